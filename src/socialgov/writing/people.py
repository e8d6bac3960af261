"""``socialgov import people``: who has joined, moved and left, from HR or the identity provider.

The truth about who has left is in the HR system or the identity provider, not in YAML. This
module reads their exports and keeps the repository's Person entities in step with them:

- an HR export (CSV): a header row naming at least an email column and a name column (or first
  and last name), read loosely (``Work Email``, ``E-mail address``, ``Full Name``, ``Employment
  Status``, ``Termination Date``, ``Department`` ...);
- a SCIM 2.0 export (JSON, RFC 7643 ``User`` resources): a ``ListResponse`` or a plain list of
  users, as Okta, Microsoft Entra ID, OneLogin or a Google Workspace connector write them.
  ``active: false`` means departed; the enterprise extension's ``department`` names the team,
  ``title`` the role, ``userType`` the employment.

People are identified by email (case-insensitive; an alias of the export matches when the
names agree too); a Person written without an email is matched by name, the preferred or the
legal one. With ``update``, the Person entities are changed in place through the round-trip
writer (comments, order and layout kept): leavers become ``status: departed`` with
``departed_on`` (the export's termination date, else as-of). A termination date on or before
as-of makes a leaver whatever the HR status still says; a later one is notice being served:
the status is kept and ``departed_on`` recorded. People on leave and back are set so, team and
role follow the export, and people the repository does not know are added. A department that
names no Team becomes one (written beside the people, through the same writer). Nobody is ever
deleted, and a person departed here but active in the export is reported, not changed (a rehire
is a person's call). Every file is rendered before any is written, and each is replaced
atomically, so a problem leaves the repository as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from socialgov.config import Config
from socialgov.core.errors import SocialgovError
from socialgov.core.escape import one_line

SCIM_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
SCIM_LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SCIM_ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

EMPLOYMENTS = ("full_time", "part_time", "contractor", "agency", "intern", "volunteer")
DEFAULT_PEOPLE_FILE = "people/people.yaml"
DEFAULT_TEAMS_FILE = "teams/teams.yaml"
NEW_USER_DAYS = 30
"""An inactive SCIM user created this many days before as-of or fewer is taken for a starter
not activated yet, not a leaver: reported, not departed."""

# Words in an employment type (CSV column, SCIM userType), in the order they are tried.
_EMPLOYMENT_WORDS: tuple[tuple[str, str], ...] = (
    ("part", "part_time"),
    ("intern", "intern"),
    ("trainee", "intern"),
    ("apprentice", "intern"),
    ("student", "intern"),
    ("working_student", "intern"),
    ("volunteer", "volunteer"),
    ("agency", "agency"),
    ("vendor", "agency"),
    ("supplier", "agency"),
    ("contingent", "contractor"),
    ("contract", "contractor"),
    ("consult", "contractor"),
    ("freelance", "contractor"),
    ("temp", "contractor"),
    ("external", "contractor"),
    ("full", "full_time"),
    ("fixed", "full_time"),
    ("employee", "full_time"),
    ("permanent", "full_time"),
    ("regular", "full_time"),
    ("staff", "full_time"),
    ("fte", "full_time"),
)

# HR status words: what each means for a Person's status.
_STATUS_WORDS: Mapping[str, str] = {
    **dict.fromkeys(
        ("active", "employed", "current", "true", "yes", "1", "enabled", "working", "hired"),
        "active",
    ),
    **dict.fromkeys(
        ("leave", "on_leave", "loa", "leave_of_absence", "parental_leave", "sabbatical"),
        "leave",
    ),
    **dict.fromkeys(
        (
            "inactive",
            "terminated",
            "termed",
            "departed",
            "leaver",
            "left",
            "former",
            "false",
            "no",
            "0",
            "disabled",
            "deactivated",
            "suspended",
            "deprovisioned",
            "withdrawn",
            "retired",
            "resigned",
        ),
        "departed",
    ),
}

# CSV column names (normalised) and what each holds.
_COLUMNS: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "email",
            "e_mail",
            "mail",
            "email_address",
            "e_mail_address",
            "work_email",
            "work_email_address",
            "business_email",
            "primary_email",
            "company_email",
            "user_principal_name",
            "upn",
        ),
        "email",
    ),
    **dict.fromkeys(
        ("name", "full_name", "display_name", "employee_name", "worker", "worker_name", "person"),
        "name",
    ),
    **dict.fromkeys(
        ("first_name", "given_name", "firstname", "forename", "legal_first_name"), "first"
    ),
    **dict.fromkeys(
        ("preferred_name", "preferred_first_name", "known_as", "nickname", "goes_by"), "preferred"
    ),
    **dict.fromkeys(("last_name", "family_name", "surname", "lastname"), "last"),
    **dict.fromkeys(
        (
            "status",
            "employment_status",
            "employee_status",
            "worker_status",
            "active",
            "account_status",
            "hr_status",
        ),
        "status",
    ),
    **dict.fromkeys(
        (
            "department",
            "dept",
            "team",
            "org_unit",
            "organisation_unit",
            "organization_unit",
            "cost_center_name",
            "division",
        ),
        "team",
    ),
    **dict.fromkeys(("title", "job_title", "position", "role", "job", "business_title"), "role"),
    **dict.fromkeys(
        (
            "employment",
            "employment_type",
            "employee_type",
            "worker_type",
            "worker_category",
            "contract_type",
            "time_type",
            "user_type",
        ),
        "employment",
    ),
    **dict.fromkeys(
        (
            "departed_on",
            "termination_date",
            "term_date",
            "leaving_date",
            "leave_date",
            "end_date",
            "last_day",
            "last_working_day",
            "separation_date",
            "exit_date",
            "contract_end_date",
            "end_of_contract",
        ),
        "departed_on",
    ),
    **dict.fromkeys(
        ("start_date", "hire_date", "date_of_joining", "joining_date", "joined", "started_on"),
        "started_on",
    ),
}

# HR status words for someone who has not started yet: added as active, their start date shown.
_STARTER_WORDS = frozenset(
    (
        "pending_start",
        "pending_hire",
        "pre_hire",
        "prehire",
        "pre_boarding",
        "preboarding",
        "onboarding",
        "not_started",
        "new_starter",
        "future_starter",
        "starter",
        "offer_accepted",
        "hired_not_started",
    )
)


@dataclass(frozen=True)
class Record:
    """One person as the export gives them."""

    where: str
    """Where in the export: ``row 7`` or ``$.Resources[3]``."""
    email: str
    """The address, lower-cased (the one written for a new person)."""
    name: str | None
    """The name people know them by (a preferred first name when the export gives one)."""
    status: str
    departed_on: dt.date | None = None
    """The termination (leaving, end) date as the export gives it, past or future."""
    department: str | None = None
    role: str | None = None
    employment: str | None = None
    tells_leave: bool = False
    """Whether the export tells leave from active (an HR status column does; SCIM's
    ``active`` does not: someone on leave keeps their login), so that leave is synced."""
    status_text: str | None = None
    """The HR status as written (``Active``), for messages."""
    started_on: dt.date | None = None
    """The start date, shown for someone who has not started yet."""
    emails: tuple[str, ...] = ()
    """Every address of the person (aliases too, lower-cased), to match people by."""
    names: tuple[str, ...] = ()
    """Other names of the person (the legal name beside a preferred one), to match by."""
    created_on: dt.date | None = None
    """When the identity provider created the user (SCIM ``meta.created``)."""


@dataclass(frozen=True)
class Problem:
    """Something in an export that could not be taken as it is: where, and what."""

    where: str
    message: str
    attention: bool = True
    """False for a note (a Group resource among the users): it does not fail the command."""


@dataclass(frozen=True)
class Export:
    """What an export holds: its records, what could not be read, and what kind it is."""

    kind: str
    """``csv`` or ``scim``."""
    records: tuple[Record, ...]
    problems: tuple[Problem, ...] = ()


# ----------------------------------------------------------------------------- reading


def read_export(path: Path) -> Export:
    """The people of an HR (CSV) or identity-provider (SCIM 2.0 JSON) export."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SocialgovError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SocialgovError(
            f"{path}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); export it "
            "as UTF-8"
        ) from None
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith(("{", "[")):
        return _read_scim(path, text)
    return _read_csv(path)


def _read_scim(path: Path, text: str) -> Export:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SocialgovError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); a SCIM export is a "
            "JSON document"
        ) from None
    resources, base = _scim_resources(path, data)
    records: list[Record] = []
    problems: list[Problem] = []
    total = data.get("totalResults") if isinstance(data, dict) else None
    if isinstance(total, int) and total > len(resources):
        problems.append(
            Problem(
                "$.totalResults",
                f"the export holds {len(resources)} of {total} resources (one page of a "
                "paged ListResponse); export every page: people on the other pages are neither "
                "added nor marked departed",
            )
        )
    for index, resource in enumerate(resources):
        where = f"{base}[{index}]"
        if not isinstance(resource, dict):
            problems.append(Problem(where, "not a SCIM resource (a JSON object); skipped"))
            continue
        if not _is_user(resource):
            kind = _resource_type(resource) or "an object without a User schema"
            problems.append(
                Problem(where, f"a {kind} resource, not a User; skipped", attention=False)
            )
            continue
        try:
            records.append(_scim_record(resource, where))
        except ValueError as exc:
            problems.append(Problem(where, f"{exc}; skipped"))
    return Export("scim", tuple(records), tuple(problems))


def _scim_resources(path: Path, data: Any) -> tuple[list[Any], str]:
    """The resources of a ListResponse, a plain list or one User, and their JSON path."""
    expected = (
        "expected a SCIM 2.0 ListResponse (schemas: ["
        f'"{SCIM_LIST}"], with Resources), a list of User resources, or one User resource'
    )
    if isinstance(data, list):
        if data and not any(isinstance(item, dict) and _is_user(item) for item in data):
            raise SocialgovError(
                f"{path}: not a SCIM export: $[0] is not a User resource (no schemas naming "
                f'"{SCIM_USER}", no meta.resourceType "User"); {expected}'
            )
        return data, "$"
    if not isinstance(data, dict):
        raise SocialgovError(
            f"{path}: not a SCIM export: the document is a plain value; {expected}"
        )
    schemas = data.get("schemas")
    if (isinstance(schemas, list) and SCIM_LIST in schemas) or "Resources" in data:
        resources = data.get("Resources", [])
        if not isinstance(resources, list):
            raise SocialgovError(
                f"{path}: $.Resources is {type(resources).__name__}, not a list of resources; "
                f"{expected}"
            )
        return resources, "$.Resources"
    if _is_user(data):
        return [data], "$"
    keys = ", ".join(list(map(str, data))[:6]) or "none"
    raise SocialgovError(f"{path}: not a SCIM export: $ has keys {keys}; {expected}")


def _resource_type(resource: Mapping[str, Any]) -> str | None:
    meta = resource.get("meta")
    kind = meta.get("resourceType") if isinstance(meta, dict) else None
    if isinstance(kind, str):
        return kind
    schemas = resource.get("schemas")
    if isinstance(schemas, list):
        for schema in schemas:
            if isinstance(schema, str) and schema.startswith("urn:ietf:params:scim:schemas:core"):
                return schema.rsplit(":", 1)[-1]
    return None


def _is_user(resource: Mapping[str, Any]) -> bool:
    schemas = resource.get("schemas")
    if isinstance(schemas, list) and SCIM_USER in schemas:
        return True
    return _resource_type(resource) == "User"


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _scim_email(resource: Mapping[str, Any]) -> str | None:
    """The primary email, else the work email, else the first; else an email userName."""
    emails = [
        e for e in resource.get("emails") or [] if isinstance(e, dict) and _text(e.get("value"))
    ]

    def rank(entry: Mapping[str, Any]) -> int:
        primary = entry.get("primary") in (True, "true", "True")
        return 0 if primary else 1 if entry.get("type") == "work" else 2

    if emails:
        return str(_text(sorted(emails, key=rank)[0]["value"]))
    user_name = _text(resource.get("userName"))
    if user_name and _looks_like_email(user_name):
        return user_name
    return None


def _looks_like_email(text: str) -> bool:
    return re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) is not None


def _scim_active(value: Any, where: str) -> bool:
    if value is None:
        return True  # RFC 7643: active is optional; a listed user without it is not a leaver
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"  # Entra ID has sent "False" as text
    raise ValueError(f"active is {value!r}, neither true nor false")


def _scim_emails(resource: Mapping[str, Any]) -> tuple[str, ...]:
    """Every address of the user (aliases, old domains), lower-cased, for matching."""
    found = [
        str(_text(e.get("value"))).lower()
        for e in resource.get("emails") or []
        if isinstance(e, dict) and _text(e.get("value"))
    ]
    user_name = _text(resource.get("userName"))
    if user_name and _looks_like_email(user_name):
        found.append(user_name.lower())
    return tuple(dict.fromkeys(found))


def _scim_names(resource: Mapping[str, Any]) -> tuple[str | None, tuple[str, ...], str | None]:
    """The name people know the user by, the other names they go by, and what a parenthesised
    tail of ``displayName`` says (Entra ID's guests: ``Ade Bello (Volunteer)``).

    The known name is the nickname (RFC 7643's "casual way to address the user") with the
    family name, else ``displayName``, else ``name.formatted``, else the name's parts: Okta
    keeps the legal given name in ``name.givenName`` and the preferred one in ``nickName``."""
    parts = resource.get("name") if isinstance(resource.get("name"), dict) else {}
    given, family = _text(parts.get("givenName")), _text(parts.get("familyName"))
    nick = _text(resource.get("nickName"))
    display = _text(resource.get("displayName"))
    tail = None
    if display:
        match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", display)
        if match:
            display, tail = match.group(1), match.group(2)
    # "Okafor, Jo" (a directory's sort order) is a display name, not how to write one
    sorted_display = display is not None and "," in display
    candidates = [
        _text(f"{nick} {family}") if nick and family else None,
        None if sorted_display else display,
        _text(parts.get("formatted")),
        _text(" ".join(str(parts.get(p) or "") for p in ("givenName", "middleName", "familyName"))),
        _text(f"{given} {family}") if given and family else None,
        display,
    ]
    names = list(dict.fromkeys(c for c in candidates if c))
    return (names[0] if names else None), tuple(names[1:]), tail


def _scim_record(resource: Mapping[str, Any], where: str) -> Record:
    email = _scim_email(resource)
    if email is None:
        raise ValueError("no email (emails[].value, or a userName that is an address)")
    name, names, tail = _scim_names(resource)
    enterprise = resource.get(SCIM_ENTERPRISE)
    department = _text(enterprise.get("department")) if isinstance(enterprise, dict) else None
    active = _scim_active(resource.get("active"), where)
    employment = employment_of(_text(resource.get("userType"))) or employment_of(tail)
    return Record(
        where=where,
        email=email.lower(),
        name=name,
        status="active" if active else "departed",
        department=department,
        role=_text(resource.get("title")),
        employment=employment,
        emails=_scim_emails(resource),
        names=names,
        created_on=_created_on(resource),
    )


def _created_on(resource: Mapping[str, Any]) -> dt.date | None:
    meta = resource.get("meta")
    created = meta.get("created") if isinstance(meta, dict) else None
    try:
        return dt.date.fromisoformat(created[:10]) if isinstance(created, str) else None
    except ValueError:
        return None


def _read_csv(path: Path) -> Export:
    from socialgov.writing.importer import normalise_column, read_rows

    header, rows = read_rows(path)
    columns: dict[str, int] = {}
    for index, column in enumerate(header):
        meaning = _COLUMNS.get(normalise_column(column))
        if meaning is not None and meaning not in columns:
            columns[meaning] = index
    shown = ", ".join(repr(c) for c in header)
    if "email" not in columns:
        raise SocialgovError(
            f"{path}:1: no email column (the columns are {shown}); people are identified by "
            "their work email, so export it (a column named 'Email' or 'Work Email')"
        )
    if "name" not in columns and not (
        ("first" in columns or "preferred" in columns) and "last" in columns
    ):
        raise SocialgovError(
            f"{path}:1: no name column (the columns are {shown}); add a 'Name' column, or "
            "'First Name' and 'Last Name'"
        )
    records: list[Record] = []
    problems: list[Problem] = []
    without_email: list[tuple[str, str | None, str | None, str | None]] = []
    rows = list(rows)
    order = _date_order(
        cells[columns[meaning]].strip()
        for _, cells in rows
        for meaning in ("departed_on", "started_on")
        if meaning in columns and columns[meaning] < len(cells)
    )
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        where = f"row {number}"

        def cell(meaning: str, cells: list[str] = cells) -> str | None:
            index = columns.get(meaning)
            if index is None or index >= len(cells):
                return None
            return _text(cells[index])

        first, preferred, last = cell("first"), cell("preferred"), cell("last")
        legal = _text(f"{first or ''} {last or ''}")
        name = cell("name") or _text(f"{preferred or first or ''} {last or ''}")
        email = cell("email")
        status_text = cell("status")
        if email is None or not _looks_like_email(email):
            if email is None:
                without_email.append((where, name, legal, status_text))
            else:
                problems.append(Problem(where, f"'{email}' is not an email address; skipped"))
            continue
        dates: dict[str, dt.date | None] = {}
        for meaning in ("departed_on", "started_on"):
            try:
                dates[meaning] = _hr_date(cell(meaning), order)
            except ValueError as exc:
                # a start date only adds to a line; a leaving date decides a status
                problems.append(
                    Problem(where, f"{exc}; read as no date", attention=meaning == "departed_on")
                )
                dates[meaning] = None
        status = _status(status_text) if status_text else "active"
        if status is None:
            problems.append(
                Problem(where, f"status '{status_text}' is not one socialgov knows; read as active")
            )
        records.append(
            Record(
                where=where,
                email=email.lower(),
                name=name,
                status="active" if status in (None, "starter") else status,
                departed_on=dates["departed_on"],
                department=cell("team"),
                role=cell("role"),
                employment=employment_of(cell("employment")),
                tells_leave=status_text is not None,
                status_text=status_text,
                started_on=dates["started_on"],
                emails=(email.lower(),),
                names=tuple(n for n in (legal, cell("name")) if n and n != name),
            )
        )
    problems.extend(_without_email(without_email, records))
    return Export("csv", tuple(records), tuple(problems))


def _without_email(
    rows: Sequence[tuple[str, str | None, str | None, str | None]], records: Sequence[Record]
) -> list[Problem]:
    """Rows without an address: skipped. A leaver's row whose name is that of a row with an
    address is an earlier employment record of the same person (a rehire keeps both), so a
    note; any other needs a person (the address is how people are matched)."""
    problems: list[Problem] = []
    for where, name, legal, status_text in rows:
        keys = {_name_key(n) for n in (name, legal) if n}
        same = next(
            (r for r in records if keys & {_name_key(n) for n in (r.name, *r.names) if n}),
            None,
        )
        if same is None or not status_text or _status(status_text) != "departed":
            problems.append(Problem(where, "no email; skipped"))
            continue
        state = f" ({status_text})" if status_text else ""
        problems.append(
            Problem(
                where,
                f"no email: another record of {name}{state}, who is {same.email} in "
                f"{same.where}; read from that row",
                attention=False,
            )
        )
    return problems


def _name_key(name: str) -> str:
    """A name without case, spacing or a parenthesised tail (``Ade Bello (volunteer)``)."""
    return " ".join(re.sub(r"\s*\([^()]*\)\s*$", "", name).casefold().split())


def _status(text: str) -> str | None:
    """``active``, ``leave``, ``departed``, ``starter`` (not started yet) or None (unknown)."""
    key = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    if key in _STARTER_WORDS:
        return "starter"
    for word, status in (("leave", "leave"), ("terminat", "departed"), ("inactive", "departed")):
        if word in key:
            return status
    return None


def employment_of(text: str | None) -> str | None:
    """``Full-Time`` -> full_time, ``Contractor`` -> contractor; None when unknown."""
    if not text:
        return None
    key = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    if key in EMPLOYMENTS:
        return key
    for word, employment in _EMPLOYMENT_WORDS:
        if word in key:
            return employment
    return None


_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def _date_order(values: Iterable[str | None]) -> str | None:
    """``dmy`` or ``mdy`` when the export's slashed dates say which (a first part over 12 is
    a day, a second part over 12 is a day too), as a spreadsheet's column does; None when
    none says, or they disagree."""
    orders = set()
    for value in values:
        match = _SLASHED.match(value or "")
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                orders.add("dmy")
            elif second > 12 >= first:
                orders.add("mdy")
    return orders.pop() if len(orders) == 1 else None


def _hr_date(text: str | None, order: str | None = None) -> dt.date | None:
    """An HR date: ISO (with or without a time), or d/m/Y and m/d/Y where the numbers say
    which (a part over 12 is the day) or the export's other dates do (``order``)."""
    if not text:
        return None
    iso = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$", text)
    if iso:
        try:
            return dt.date.fromisoformat(iso.group(1))
        except ValueError:
            pass
    slashed = _SLASHED.match(text)
    if slashed:
        first, second, year = (int(part) for part in slashed.groups())
        try:
            if first > 12 >= second or (order == "dmy" and max(first, second) <= 12):
                return dt.date(year, second, first)
            if second > 12 >= first or (order == "mdy" and max(first, second) <= 12):
                return dt.date(year, first, second)
        except ValueError:
            pass
    raise ValueError(f"'{text}' is not a date socialgov can read safely; write it as YYYY-MM-DD")


# ----------------------------------------------------------------------------- planning


@dataclass
class Change:
    """What happens to one person."""

    person: str
    """The Person id (new ones: the id they get)."""
    label: str
    """``Jane Doe <jane.doe@acme.example>``."""
    kind: str
    """departed, added, updated, conflict or unchanged."""
    details: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    """The fields to set (new people: the whole entity)."""
    path: str | None = None
    """The file of the existing Person (None for a new one)."""


@dataclass
class Plan:
    """What importing an export would change, what it could not read, and what it noticed."""

    changes: list[Change]
    problems: list[Problem]
    kind: str
    target: str
    """The file new people go into."""
    unknown_departments: dict[str, int] = field(default_factory=dict)
    """Departments that name no Team, with how many people (only when teams are not added)."""
    defaulted_employment: int = 0
    missing: list[str] = field(default_factory=list)
    """Active people of the repository the export does not list (not changed)."""
    leavers_unknown: int = 0
    """Departed people of the export the repository never had."""
    new_teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Teams to add for departments that name none: id -> the Team's fields."""
    teams_target: str = DEFAULT_TEAMS_FILE
    """The file new teams go into."""

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def team_members(self, team_id: str) -> int:
        return sum(1 for c in self.changes if c.fields.get("team") == team_id)


@dataclass(frozen=True)
class _Known:
    """A person the repository already has: id, the file they are written in, and their data."""

    id: str
    path: str
    data: Mapping[str, Any]


@dataclass
class _Repository:
    """What the import needs of the repository: its people, its teams (by every key a
    department may match), and the files holding ``people:`` and ``teams:`` collections with
    how many entities each holds."""

    people: list[_Known] = field(default_factory=list)
    teams: dict[str, str] = field(default_factory=dict)
    team_ids: set[str] = field(default_factory=set)
    collections: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"people": {}, "teams": {}}
    )

    def target(self, key: str, default: str) -> str:
        """The file with the most entities of a ``key:`` collection, else ``default``."""
        files = self.collections[key]
        return max(files, key=lambda relpath: files[relpath]) if files else default


def _repository(config: Config) -> _Repository:
    from socialgov.model import entity_mappings
    from socialgov.pipeline import repository_files
    from socialgov.source.reading import load_file

    found = _Repository()
    for relpath in repository_files(config):
        for document in load_file(config.root, relpath).documents:
            data = document.data
            for key in ("people", "teams"):
                if isinstance(data, dict) and isinstance(data.get(key), list):
                    files = found.collections[key]
                    files[relpath] = files.get(relpath, 0) + len(data[key])
            for kind, mapping in entity_mappings(data):
                entity_id = mapping.get("id")
                if not isinstance(entity_id, str):
                    continue
                if kind == "Person":
                    found.people.append(_Known(entity_id, relpath, mapping))
                elif kind == "Team":
                    found.team_ids.add(entity_id)
                    name = mapping.get("name")
                    for key in _team_keys(entity_id) + (
                        _team_keys(name) if isinstance(name, str) and name.strip() else []
                    ):
                        found.teams.setdefault(key, entity_id)
    return found


def _team_keys(text: str) -> list[str]:
    """What a department and a Team's id or name are compared by: the text without case and
    with runs of blanks as one, its slug, and its letters and digits with ``&`` read as
    ``and`` (``Policy & Campaigns`` is ``Policy and Campaigns``)."""
    from socialgov.writing.importer import slug

    folded = " ".join(text.casefold().split())
    loose = "~" + re.sub(r"[^\w]+|_", "", folded.replace("&", " and "))
    return [folded, slug(text), loose]


def _label(name: str | None, email: str | None) -> str:
    if name and email:
        return f"{name} <{email}>"
    return name or email or "?"


def plan(
    config: Config,
    export: Export,
    *,
    as_of: dt.date,
    source: str,
    employment: str,
    target: str | None = None,
    add_teams: bool = True,
    teams_target: str | None = None,
) -> Plan:
    """What syncing the repository's people with ``export`` changes, without writing.

    With ``add_teams``, a department that names no Team becomes a new Team (id slugged from
    the department, name as written); without it the department is only reported."""
    from socialgov.writing.importer import slug

    repository = _repository(config)
    people = repository.people
    by_email: dict[str, _Known] = {}
    by_name: dict[str, _Known] = {}
    for known in people:
        email = known.data.get("email")
        if isinstance(email, str) and email.strip():
            by_email.setdefault(email.strip().lower(), known)
        else:
            name = known.data.get("name")
            if isinstance(name, str) and name.strip():
                by_name.setdefault(_name_key(name), known)
    used_ids = {known.id for known in people}
    result = Plan(
        [],
        list(export.problems),
        export.kind,
        target or repository.target("people", DEFAULT_PEOPLE_FILE),
        teams_target=teams_target or repository.target("teams", DEFAULT_TEAMS_FILE),
    )
    teams = _Teams(repository, result, add_teams)
    seen: set[str] = set()
    matched: set[str] = set()
    for record in export.records:
        key = record.email.lower()
        if key in seen:
            result.problems.append(
                Problem(record.where, f"{record.email} is listed twice; the first is used")
            )
            continue
        seen.add(key)
        record = _leaving(record, as_of, result)
        known = (
            by_email.get(key)
            or _by_alias(record, by_email, matched)
            or next(
                (
                    by_name[_name_key(n)]
                    for n in (record.name, *record.names)
                    if n and _name_key(n) in by_name
                ),
                None,
            )
        )
        team = teams.of(record.department)
        if known is None:
            if record.status == "departed" and not _serving_notice(record, as_of):
                result.leavers_unknown += 1
                continue
            result.changes.append(
                _new_person(record, team, used_ids, source, employment, result, as_of, slug)
            )
            continue
        matched.add(str(known.data.get("email") or "").strip().lower())
        result.changes.append(_update(known, record, team, as_of, source))
    teams.keep_used()
    changed = {c.person for c in result.changes if c.path is not None}
    result.missing = [
        k.id for k in people if k.id not in changed and k.data.get("status", "active") != "departed"
    ]
    return result


def _by_alias(record: Record, by_email: Mapping[str, _Known], matched: set[str]) -> _Known | None:
    """The Person written with another address of the record (an alias, an old domain), when
    their names agree too: an alias may be a shared mailbox (press@) that is not this person."""
    names = {_name_key(n) for n in (record.name, *record.names) if n}
    for email in record.emails:
        known = by_email.get(email)
        name = known.data.get("name") if known is not None else None
        if (
            known is not None
            and email not in matched
            and isinstance(name, str)
            and _name_key(name) in names
        ):
            return known
    return None


def _serving_notice(record: Record, as_of: dt.date) -> bool:
    return record.departed_on is not None and record.departed_on > as_of


def _leaving(record: Record, as_of: dt.date, result: Plan) -> Record:
    """The record as a careful reader of HR takes it: a termination date on or before as-of
    makes a leaver whatever the status still says (HR updates the status late, or never for a
    fixed-term contract that simply ended); a later one is notice being served, the status
    kept. A leaver without a date stays one."""
    leaving = record.departed_on
    if leaving is None or record.status == "departed" or leaving > as_of:
        return record
    if record.status_text:
        result.problems.append(
            Problem(
                record.where,
                f"status '{record.status_text}' but the termination date "
                f"{leaving.isoformat()} is on or before {as_of.isoformat()}: read as a leaver "
                "(correct the status in HR)",
                attention=False,
            )
        )
    return replace(record, status="departed")


class _Teams:
    """Departments to Team ids: an existing Team when one matches, else (with ``add``) a new
    Team; new teams nobody ends up in are dropped by ``keep_used``."""

    def __init__(self, repository: _Repository, result: Plan, add: bool) -> None:
        self.index = dict(repository.teams)
        self.used = set(repository.team_ids)
        self.result = result
        self.add = add

    def of(self, department: str | None) -> str | None:
        from socialgov.writing.importer import slug

        if not department:
            return None
        keys = _team_keys(department)
        team = next((self.index[key] for key in keys if key in self.index), None)
        if team is not None:
            return team
        if not self.add:
            unknown = self.result.unknown_departments
            unknown[department] = unknown.get(department, 0) + 1
            return None
        base = slug(department) or "team"
        team, n = base, 2
        while team in self.used:
            team, n = f"{base}-{n}", n + 1
        self.used.add(team)
        self.result.new_teams[team] = {"id": team, "name": " ".join(department.split())}
        for key in keys:
            self.index.setdefault(key, team)
        return team

    def keep_used(self) -> None:
        used = {c.fields.get("team") for c in self.result.changes}
        for team in [t for t in self.result.new_teams if t not in used]:
            del self.result.new_teams[team]


def _new_person(
    record: Record,
    team: str | None,
    used: set[str],
    source: str,
    default_employment: str,
    result: Plan,
    as_of: dt.date,
    slug: Any,
) -> Change:
    base = slug(record.email.split("@", 1)[0].replace(".", "-")) or "person"
    person_id, n = base, 2
    while person_id in used:
        person_id, n = f"{base}-{n}", n + 1
    used.add(person_id)
    employment = record.employment
    if employment is None:
        employment = default_employment
        result.defaulted_employment += 1
    fields: dict[str, Any] = {"id": person_id}
    if record.name:
        fields["name"] = record.name
    fields["email"] = record.email
    if team:
        fields["team"] = team
    if record.role:
        fields["role"] = record.role
    fields["employment"] = employment
    if record.status not in ("active", "departed"):
        fields["status"] = record.status
    details = [f"new, {employment.replace('_', '-')}" + (f", team {team}" if team else "")]
    if record.started_on and record.started_on > as_of:
        details.append(f"starts on {record.started_on.isoformat()}")
    if _serving_notice(record, as_of):
        fields["departed_on"] = record.departed_on
        details.append(f"leaving on {record.departed_on.isoformat()}")  # type: ignore[union-attr]
    fields["source"] = source
    return Change(person_id, _label(record.name, record.email), "added", details, fields)


def _update(known: _Known, record: Record, team: str | None, as_of: dt.date, source: str) -> Change:
    data = known.data
    label = _label(_text(data.get("name")) or record.name, _text(data.get("email")) or record.email)
    change = Change(known.id, label, "unchanged", path=known.path)
    status = data.get("status", "active")
    leaving = record.departed_on
    if status == "departed" and record.status != "departed":
        change.kind = "conflict"
        change.details.append(
            f"departed here but {record.status} in the export ({record.where}); left as it is: "
            "if they came back, set their status by hand"
        )
        return change
    created = record.created_on
    if (
        record.status == "departed"
        and status != "departed"
        and created is not None
        and (as_of - created).days <= NEW_USER_DAYS
    ):
        # An inactive user created days ago is a starter provisioned ahead of their first day
        # far more often than a leaver: departing them would need undoing by hand.
        change.kind = "conflict"
        change.details.append(
            f"inactive in the export ({record.where}) but created there on "
            f"{created.isoformat()}, {(as_of - created).days} days before "
            f"{as_of.isoformat()}: a starter not activated yet? left as it is; if they left, "
            "set status: departed and departed_on by hand"
        )
        return change
    if status != "departed" and leaving and leaving > as_of:
        # Serving notice: the date is recorded, and the rules count it from that day on.
        if _date_of(data.get("departed_on")) != leaving:
            change.fields["departed_on"] = leaving
            change.details.append(f"leaving on {leaving.isoformat()} (still {status})")
    elif record.status == "departed" and status != "departed":
        departed_on = leaving or as_of
        change.kind = "departed"
        change.fields["status"] = "departed"
        change.fields["departed_on"] = departed_on
        change.details.append(f"{status} -> departed on {departed_on.isoformat()}")
    if (
        record.tells_leave
        and record.status != status
        and record.status in ("active", "leave")
        and status != "departed"
    ):
        change.fields["status"] = record.status
        change.details.append(f"{status} -> {record.status}")
    if not _text(data.get("email")):
        change.fields["email"] = record.email
        change.details.append(f"email {record.email}")
    if team and data.get("team") != team:
        change.fields["team"] = team
        change.details.append(f"team {data.get('team') or '(none)'} -> {team}")
    if record.role and data.get("role") != record.role and record.status != "departed":
        change.fields["role"] = record.role
        change.details.append(f"role -> {record.role}")
    if change.fields:
        change.fields["source"] = source
        if change.kind == "unchanged":
            change.kind = "updated"
    return change


def _date_of(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# ----------------------------------------------------------------------------- writing

_PERSON_ORDER = ("id", "name", "email", "team", "role", "employment", "status", "departed_on")


def apply(config: Config, result: Plan) -> list[Path]:
    """Write ``result``'s changes: every file rendered first, then each replaced atomically."""
    from socialgov.core.files import ABSENT, FileChangedError, snapshot, write_atomic
    from socialgov.model import entity_mappings
    from socialgov.writing.writer import read_yaml, render_new, set_value

    edits = [c for c in result.changes if c.kind in ("departed", "updated") and c.path]
    added = result.of("added")
    additions = {
        key: (target, entities)
        for key, target, entities in (
            ("people", result.target, [_ordered(c.fields) for c in added]),
            ("teams", result.teams_target, list(result.new_teams.values())),
        )
        if entities
    }
    files: dict[str, Any] = {}
    for relpath in sorted(
        {c.path for c in edits if c.path} | {target for target, _ in additions.values()}
    ):
        path = config.root / relpath
        if path.exists():
            files[relpath] = read_yaml(path)
    for change in edits:
        opened = files[str(change.path)]
        mapping = _find_person(opened.documents, change.person, entity_mappings)
        if mapping is None:
            raise SocialgovError(
                f"{change.path}: Person {change.person} was not found when writing; the file "
                "changed while importing, nothing was written"
            )
        for key, value in change.fields.items():
            if isinstance(value, dt.date):  # its own object: a shared one is written as an alias
                value = dt.date.fromordinal(value.toordinal())
            after = _PERSON_ORDER[: _PERSON_ORDER.index(key)][::-1] if key in _PERSON_ORDER else ()
            if key == "source":
                after = ("departed_on", "status", "employment", "role", "team", "email", "name")
            set_value(mapping, key, value, after=after)
    texts: dict[str, tuple[str, Any]] = {}
    new_files: dict[str, dict[str, list[Any]]] = {}
    for key, (target, entities) in additions.items():
        opened = files.get(target)
        if opened is None:
            new_files.setdefault(target, {})[key] = entities
            continue
        collection = _collection(opened.documents, key)
        if collection is None:
            option = "pass --people with a file that does (or a new file)"
            if key == "teams":
                option = "add 'teams: []' to it, or move its teams into a 'teams:' list"
            raise SocialgovError(
                f"{target}: holds no '{key}:' list to add the new {key} to; {option}"
            )
        _append(collection, entities)
    for target, collections in new_files.items():
        header = "\n".join(_HEADERS[key] for key in collections)
        texts[target] = (render_new([collections], header=header), ABSENT)
    for relpath, opened in files.items():
        texts.setdefault(relpath, (opened.render(), opened.snapshot))
    for relpath, (_, snap) in texts.items():  # all still as read, before the first write
        now = snapshot(config.root / relpath)
        if (snap is ABSENT) != (now is None) or (
            now is not None
            and snap is not None
            and snap is not ABSENT
            and now.digest != snap.digest
        ):
            raise FileChangedError(config.root / relpath)
    written: list[Path] = []
    for relpath, (text, snap) in texts.items():
        path = config.root / relpath
        if (
            snap is not ABSENT
            and files.get(relpath) is not None
            and text == files[relpath].original
        ):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text, expected=snap)
        written.append(path)
    return written


def _find_person(documents: Iterable[Any], person_id: str, mappings: Any) -> Any:
    for document in documents:
        for kind, mapping in mappings(document):
            if kind == "Person" and mapping.get("id") == person_id:
                return mapping
    return None


def _collection(documents: Sequence[Any], key: str) -> Any:
    for document in documents:
        if isinstance(document, Mapping) and isinstance(document.get(key), list):
            return document[key]
    return None


_HEADERS = {
    "people": "People, kept in step with HR by `socialgov import people --update`.",
    "teams": "Teams, from the departments of HR or the identity provider (`socialgov import "
    "people`).\nGive each team its function and a lead who is still with you (SG206).",
}


def _ordered(fields: Mapping[str, Any]) -> dict[str, Any]:
    order = (*_PERSON_ORDER, "source")
    return {key: fields[key] for key in order if key in fields}


def _append(collection: Any, entities: Sequence[Mapping[str, Any]]) -> None:
    """Add ``entities`` at the end of a ``people:`` or ``teams:`` list, a blank line between
    them when the list keeps one between its items (as the starter pack's files do)."""
    from ruamel.yaml.comments import CommentedMap

    spaced = _spaced(collection)
    for entity in entities:
        if spaced and len(collection):
            _blank_after(collection[-1])
        collection.append(CommentedMap(entity))


def _trailing(item: Any) -> list[Any] | None:
    """The comment slot after an item's last line, when the item ends in a plain value."""
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(item, CommentedMap) or not item:
        return None
    key = list(item.keys())[-1]
    if isinstance(item[key], (dict, list)):
        return None
    slot: list[Any] = item.ca.items.setdefault(key, [None, None, None, None])
    return slot


def _spaced(collection: Any) -> bool:
    """Whether most of the list's items (but the last) are followed by a blank line."""
    items = [item for item in list(collection)[:-1] if isinstance(item, Mapping) and item]
    blank = 0
    for item in items:
        slot = _trailing(item)
        token = slot[2] if slot is not None and len(slot) > 2 else None
        blank += bool(token is not None and "\n\n" in str(token.value))
    return bool(items) and blank * 2 > len(items)


def _blank_after(item: Any) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    slot = _trailing(item)
    if slot is None:
        return
    token = slot[2]
    if token is None:
        slot[2] = CommentToken("\n\n", CommentMark(0), None)
    elif "\n\n" not in str(token.value):
        token.value = str(token.value).rstrip("\n") + "\n\n"


# ----------------------------------------------------------------------------- reporting


def render_plan(result: Plan, *, update: bool, written: Sequence[Path] = ()) -> tuple[str, str]:
    """What the command prints: the people who change, then a summary; problems on stderr."""
    lines: list[str] = []
    verb = {True: ("", "added", "updated"), False: ("would be ", "to add", "to update")}[update]
    for team_id, team in result.new_teams.items():
        members = result.team_members(team_id)
        lines.append(
            one_line(
                f"+ team {team_id} ({team['name']}): new, "
                f"{members} {'person' if members == 1 else 'people'}"
            )
        )
    for change in result.changes:
        if change.kind in ("unchanged",):
            continue
        marker = {"departed": "-", "added": "+", "updated": "~", "conflict": "!"}[change.kind]
        lines.append(
            one_line(f"{marker} {change.person} ({change.label}): " + "; ".join(change.details))
        )
    departed, added, updated = (len(result.of(k)) for k in ("departed", "added", "updated"))
    conflicts = len(result.of("conflict"))
    summary = (
        f"{departed} {verb[0]}marked departed, {added} {verb[1]}, {updated} {verb[2]}, "
        f"{len(result.of('unchanged'))} unchanged"
    )
    if result.new_teams:
        count = len(result.new_teams)
        summary += f", {count} {'team' if count == 1 else 'teams'} {verb[1]}"
    if conflicts:
        summary += f", {conflicts} to check by hand"
    lines.append(summary + f" ({result.kind} export).")
    if result.leavers_unknown:
        lines.append(
            f"{result.leavers_unknown} departed people of the export are not in the repository: "
            "nothing to do for them."
        )
    if result.missing:
        from socialgov.core.wording import and_list

        shown = result.missing[:10]
        more = f" and {len(result.missing) - 10} more" if len(result.missing) > 10 else ""
        lines.append(
            f"Not in the export, left as they are: {', '.join(shown)}{more} (externals, or "
            "people the export does not cover)."
            if len(shown) > 1
            else f"Not in the export, left as they are: {and_list(shown)}."
        )
    if not update and (departed or added or updated or result.new_teams):
        lines.append("Nothing written; run again with --update to make these changes.")
    for path in written:
        lines.append(f"wrote {path}")
    errors: list[str] = [one_line(f"{p.where}: {p.message}") for p in result.problems]
    for department, count in result.unknown_departments.items():
        errors.append(
            one_line(
                f"department '{department}' ({count} {'person' if count == 1 else 'people'}) "
                "names no Team (--no-teams); add a Team whose name is the department, or its "
                "team is left as it is"
            )
        )
    if result.defaulted_employment:
        errors.append(
            f"{result.defaulted_employment} new people have no employment type in the export; "
            "written as the --employment default: check them"
        )
    out = "\n".join(lines) + "\n"
    err = "".join(f"{line}\n" for line in errors)
    return out, err


def _inside(config: Config, target: str) -> str:
    """``--people`` as a path relative to the root, refused when it leads outside it or is not
    a YAML file."""
    path = Path(target)
    full = (path if path.is_absolute() else config.root / path).resolve()
    root = config.root.resolve()
    if not full.is_relative_to(root):
        raise SocialgovError(
            f"--people {target}: outside the repository ({root}); name a file inside it"
        )
    if full.suffix not in (".yaml", ".yml"):
        raise SocialgovError(f"--people {target}: not a .yaml file; name the people file")
    return full.relative_to(root).as_posix()


def import_people(
    config: Config,
    file: Path,
    *,
    update: bool,
    source: str | None = None,
    employment: str = "full_time",
    target: str | None = None,
    add_teams: bool = True,
) -> tuple[int, str, str]:
    """Read ``file``, plan the sync and (with ``update``) write it; the exit code, stdout and
    stderr. Exit 0 when everything came in and (without ``update``) nothing differs; 1 when a
    record needs a person's attention or, without ``update``, the repository is behind."""
    if target is not None:
        target = _inside(config, target)
    export = read_export(file)
    if not export.records:
        raise SocialgovError(f"{file}: holds no people to import")
    as_of = config.as_of
    result = plan(
        config,
        export,
        as_of=as_of,
        source=source or f"{export.kind} {file.name} {as_of.isoformat()}",
        employment=employment,
        target=target,
        add_teams=add_teams,
    )
    written = apply(config, result) if update else []
    out, err = render_plan(result, update=update, written=written)
    pending = not update and (
        bool(result.new_teams)
        or any(c.kind in ("departed", "added", "updated") for c in result.changes)
    )
    attention = any(p.attention for p in result.problems) or bool(result.of("conflict"))
    return (1 if pending or attention else 0), out, err
