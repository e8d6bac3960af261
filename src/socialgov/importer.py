"""``socialgov import csv``: an account spreadsheet becomes Account YAML.

Real spreadsheets are messy, so reading is forgiving: the dialect (comma, semicolon, tab) is
sniffed, a UTF-8 byte order mark and Windows line endings are fine, blank rows are skipped, and
column names are matched loosely (``User Name``, ``username`` and ``screen_name`` all mean
``handle``). Values are normalised the way ``socialgov fix`` would (``Twitter`` -> ``x``, no
leading ``@``, canonical profile URLs). Columns that are no Account field are kept, as strings,
under ``labels``. A row that cannot become a valid Account is reported with its row number (as a
spreadsheet numbers it: the header is row 1) and skipped; nothing is guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialgov.errors import SocialgovError
from socialgov.platforms import (
    bare_handle,
    canonical_platform,
    canonical_url,
    handle_from_url,
    handle_key,
    normalize_url,
    same_url,
)
from socialgov.reporters.base import one_line

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

# Account fields in the order they are written.
FIELD_ORDER: tuple[str, ...] = (
    "id",
    "name",
    "description",
    "platform",
    "type",
    "handle",
    "url",
    "owner",
    "backup_owner",
    "team",
    "purpose",
    "status",
    "audience",
    "topic",
    "region",
    "language",
    "created",
    "last_activity",
    "policies",
    "playbooks",
    "objectives",
    "monitoring",
    "metrics",
    "security",
    "verified",
    "tags",
    "labels",
)

# What a column may be mapped to: Account fields, metrics.* and security.* fields.
TEXT_FIELDS = ("name", "description", "audience", "topic", "region", "language", "handle", "url")
REF_FIELDS = ("owner", "backup_owner", "team")
ENUM_FIELDS = ("platform", "type", "purpose", "status")
LIST_FIELDS = ("policies", "playbooks", "objectives", "monitoring", "tags")
DATE_FIELDS = ("created", "last_activity")
BOOL_FIELDS = ("verified", "security.mfa")
INT_FIELDS = ("metrics.followers", "metrics.members", "metrics.active_members_per_month")
NUMBER_FIELDS = ("metrics.posts_per_month",)
FIELDS: tuple[str, ...] = (
    "id",
    *TEXT_FIELDS,
    *REF_FIELDS,
    *ENUM_FIELDS,
    *LIST_FIELDS,
    *DATE_FIELDS,
    *BOOL_FIELDS,
    *INT_FIELDS,
    *NUMBER_FIELDS,
    "security.credential_custodian",
)
IGNORE = "ignore"

# Column names (normalised: lower case, words joined by "_") and the field each means.
ALIASES: Mapping[str, str] = {
    **{name: name for name in FIELDS if "." not in name},
    "network": "platform",
    "service": "platform",
    "social_network": "platform",
    "social_media": "platform",
    "site": "platform",
    "username": "handle",
    "user_name": "handle",
    "user": "handle",
    "account": "handle",
    "account_name": "handle",
    "screen_name": "handle",
    "handle_name": "handle",
    "link": "url",
    "profile_url": "url",
    "profile": "url",
    "profile_link": "url",
    "account_url": "url",
    "service_url": "url",
    "web_address": "url",
    "page_url": "url",
    "display_name": "name",
    "title": "name",
    "account_owner": "owner",
    "owner_id": "owner",
    "responsible": "owner",
    "backup": "backup_owner",
    "backup_owner_id": "backup_owner",
    "deputy": "backup_owner",
    "secondary_owner": "backup_owner",
    "department": "team",
    "dept": "team",
    "business_unit": "team",
    "team_id": "team",
    "lang": "language",
    "country": "region",
    "created_at": "created",
    "created_on": "created",
    "opened": "created",
    "last_post": "last_activity",
    "last_active": "last_activity",
    "last_activity_date": "last_activity",
    "last_post_date": "last_activity",
    "policy": "policies",
    "playbook": "playbooks",
    "objective": "objectives",
    "listening": "monitoring",
    "monitoring_tools": "monitoring",
    "mfa": "security.mfa",
    "mfa_on": "security.mfa",
    "mfa_enabled": "security.mfa",
    "2fa": "security.mfa",
    "two_factor": "security.mfa",
    "credential_custodian": "security.credential_custodian",
    "custodian": "security.credential_custodian",
    "followers": "metrics.followers",
    "members": "metrics.members",
    "active_members_per_month": "metrics.active_members_per_month",
    "posts_per_month": "metrics.posts_per_month",
    "notes": "description",
}

STATUS_SYNONYMS = {
    "live": "active",
    "open": "active",
    "inactive": "dormant",
    "paused": "dormant",
    "closed": "retired",
    "deleted": "retired",
    "archived": "retired",
    "planning": "planned",
    "proposed": "planned",
}
TRUE = {"true", "yes", "y", "1", "on", "enabled", "x"}
FALSE = {"false", "no", "n", "0", "off", "disabled"}


class RowError(ValueError):
    """Why a row cannot become an Account."""


@dataclass(frozen=True, slots=True)
class SkippedRow:
    row: int
    reason: str


@dataclass
class ImportResult:
    """The accounts made from a spreadsheet, the rows skipped, and the files to write."""

    source: str
    accounts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows: int = 0
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.skipped else 0


def normalise_column(name: str) -> str:
    """``"User Name "`` -> ``user_name``: how column names are compared."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def slug(text: str) -> str:
    """A lower-case id from free text: ``"Acme Support (UK)"`` -> ``acme-support-uk``."""
    value = re.sub(r"[^a-z0-9._]+", "-", text.strip().lower())
    return value.strip("-._")[:120].strip("-._")


def _enums() -> dict[str, tuple[str, ...]]:
    from socialgov.schema import load_schema

    properties = load_schema("account.schema.json")["properties"]
    return {name: tuple(properties[name]["enum"]) for name in ENUM_FIELDS}


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """``--map "User Name=handle"`` pairs as {normalised column: field}."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, target = item.partition("=")
        target = target.strip()
        if not sep or not column.strip() or not target:
            raise SocialgovError(
                f"--map {item!r}: write it as COLUMN=FIELD, e.g. 'User Name=handle'"
            )
        if target not in FIELDS and target != IGNORE and not target.startswith("labels."):
            raise SocialgovError(
                f"--map {item!r}: '{target}' is not an Account field; use one of "
                f"{', '.join(FIELDS)}, labels.NAME, or {IGNORE}"
            )
        mapping[normalise_column(column)] = target
    return mapping


def _label_key(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", column.strip().lower()).strip("-") or "column"


def assign_columns(header: Sequence[str], overrides: Mapping[str, str]) -> list[str | None]:
    """The field each column fills (``labels.X`` for unknown ones; None to drop it)."""
    targets: list[str | None] = []
    taken: set[str] = set()
    for column in header:
        key = normalise_column(column)
        target = overrides.get(key) or ALIASES.get(key)
        if target == IGNORE or (not key and not overrides.get(key)):
            targets.append(None)
            continue
        if target is None or (target in taken and not target.startswith("labels.")):
            target = f"labels.{_label_key(column)}"
        taken.add(target)
        targets.append(target)
    for column in overrides:
        if column not in {normalise_column(c) for c in header}:
            raise SocialgovError(
                f"--map: the spreadsheet has no column '{column}'; its columns are "
                f"{', '.join(repr(c) for c in header)}"
            )
    return targets


# ----------------------------------------------------------------------------- reading


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the (row number, cells) of every row of a CSV file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SocialgovError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SocialgovError(
            f"{path}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the "
            "spreadsheet as 'CSV UTF-8'"
        ) from None
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is sniffed: quoting is always a spreadsheet's ("" inside quotes is one
    # "), since the sniffer guesses it wrong from a few rows and then corrupts values.
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise SocialgovError(f"{path}: the file is empty; it needs a header row") from None
    except csv.Error as exc:
        raise SocialgovError(f"{path}:1: cannot read the header row: {exc}") from None
    if not any(cell.strip() for cell in header):
        raise SocialgovError(f"{path}:1: the first row must name the columns")

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise SocialgovError(f"{path}:{number + 1}: cannot read the row: {exc}") from None
            number += 1
            yield number, cells

    return header, rows()


# ----------------------------------------------------------------------------- converting


def _date(text: str) -> dt.date:
    value = text.strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$", value)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            pass
    raise RowError(f"'{text}' is not a date; write it as YYYY-MM-DD")


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise RowError(f"'{text}' is not yes or no")


def _number(text: str, *, integer: bool) -> int | float:
    value = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"'{text}' is not a number") from None
    if number < 0:
        raise RowError(f"'{text}' is negative")
    if integer:
        if number != int(number):
            raise RowError(f"'{text}' is not a whole number")
        return int(number)
    return int(number) if number == int(number) else number


def _list(text: str) -> list[str]:
    seen: list[str] = []
    for part in re.split(r"[;,|\n]", text):
        item = part.strip()
        if item and item not in seen:
            seen.append(item)
    return seen


def _ref(text: str, what: str) -> str:
    value = text.strip()
    if ID_PATTERN.match(value):
        return value
    made = slug(value)
    if not made:
        raise RowError(f"{what} '{text}' cannot be made into an id")
    return made


def _enum(name: str, text: str, allowed: tuple[str, ...]) -> str:
    value = text.strip().lower()
    if name == "status":
        value = STATUS_SYNONYMS.get(value, value)
    if value in allowed:
        return value
    raise RowError(f"{name} '{text}' is not one of {', '.join(allowed)}")


def _url(text: str) -> str:
    value = text.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = "https://" + value.removeprefix("//")
    return value


def _platform_from_url(url: str) -> str | None:
    host = normalize_url(url).split("/", 1)[0]
    return canonical_platform(host)


def convert_row(cells: Mapping[str, str], enums: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """An Account mapping (without id) from one row's {field: text}; RowError when it cannot."""
    account: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for target, text in cells.items():
        if not text.strip():
            continue
        if target.startswith("labels."):
            labels[target.removeprefix("labels.")] = text.strip()
            continue
        value: Any
        if target in ("id", *TEXT_FIELDS):
            value = text.strip()
        elif target in REF_FIELDS:
            value = _ref(text, target.replace("_", " "))
        elif target == "platform":
            canonical = canonical_platform(text)
            if canonical is None:
                # A platform socialgov has no name for: an "other" presence, its name kept.
                labels["platform"] = text.strip()
                canonical = "other"
            value = canonical
        elif target in ENUM_FIELDS:
            value = _enum(target, text, enums[target])
        elif target in LIST_FIELDS:
            value = _list(text)
            if target in ("policies", "playbooks", "objectives"):
                value = [_ref(v, target[:-1]) for v in value]
        elif target in DATE_FIELDS:
            value = _date(text)
        elif target in BOOL_FIELDS:
            value = _bool(text)
        elif target in INT_FIELDS or target in NUMBER_FIELDS:
            value = _number(text, integer=target in INT_FIELDS)
        else:  # security.credential_custodian
            value = text.strip()
        group, _, name = target.partition(".")
        if name:
            account.setdefault(group, {})[name] = value
        else:
            account[target] = value
    _normalise_presence(account, labels)
    if labels:
        account["labels"] = dict(sorted(labels.items()))
    return account


def _normalise_presence(account: dict[str, Any], labels: dict[str, str]) -> None:
    """Platform, handle and url, completed from each other and in canonical form."""
    url = account.get("url")
    if url is not None:
        account["url"] = url = _url(url)
    platform = account.get("platform")
    if platform is None and url is not None:
        platform = _platform_from_url(url)
    if platform is None:
        raise RowError("no platform, and none can be told from the url; add a platform column")
    account["platform"] = platform
    handle = account.get("handle")
    if handle is not None:
        account["handle"] = handle = bare_handle(handle) or None
        if handle is None:
            del account["handle"]
    if handle is None and url is not None:
        found = handle_from_url(platform, url)
        if found is not None and bare_handle(found):
            account["handle"] = handle = bare_handle(found)
    if handle is None and url is None:
        raise RowError("neither a handle nor a url; one of them says which presence this is")
    expected = canonical_url(platform, handle) if handle else None
    if expected is not None and (url is None or same_url(url, expected)):
        account["url"] = expected


def _make_id(account: Mapping[str, Any], used: set[str]) -> str:
    given = account.get("id")
    if given:
        base = given.strip() if ID_PATTERN.match(given.strip()) else slug(given)
        if not base:
            raise RowError(f"id '{given}' cannot be made into an id")
        if base in used:
            raise RowError(f"id '{base}' is already used by an earlier row")
        return base
    handle = account.get("handle")
    platform = _platform_name(account)
    if handle:
        base = slug(f"{handle.partition('@')[0]}-{platform}")
    elif account.get("name"):
        base = slug(f"{account['name']}-{platform}")
    else:
        path = normalize_url(account["url"]).split("/", 1)[-1]
        base = slug(f"{path}-{platform}")
    base = base or slug(f"account-{platform}") or "account"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _ordered(account: Mapping[str, Any]) -> dict[str, Any]:
    return {name: account[name] for name in FIELD_ORDER if name in account}


def _platform_name(account: Mapping[str, Any]) -> str:
    """The platform as named in the spreadsheet when socialgov calls it "other" (GitHub)."""
    if account["platform"] == "other":
        return str(account.get("labels", {}).get("platform", "other")).lower()
    return str(account["platform"])


def _presence_keys(account: Mapping[str, Any]) -> list[str]:
    keys = []
    if account.get("handle"):
        keys.append(f"{_platform_name(account)}:{handle_key(account['handle'])}")
    if account.get("url"):
        keys.append(normalize_url(account["url"]))
    return keys


def convert(
    path: Path, mapping: Mapping[str, str] | None = None, *, split: str | None = None
) -> ImportResult:
    """Read the spreadsheet at ``path`` and make its accounts (nothing is written here)."""
    header, rows = read_rows(path)
    targets = assign_columns(header, mapping or {})
    enums = _enums()
    result = ImportResult(source=path.name)
    used: set[str] = set()
    seen: dict[str, int] = {}
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # a blank row
        result.rows += 1
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            result.skipped.append(
                SkippedRow(
                    number,
                    f"has {len(cells)} cells but the header names {len(header)} columns; "
                    "quote values that contain the separator",
                )
            )
            continue
        values = {t: c for t, c in zip(targets, cells, strict=False) if t is not None}
        try:
            account = convert_row(values, enums)
            keys = _presence_keys(account)
            earlier = next((seen[k] for k in keys if k in seen), None)
            if earlier is not None:
                raise RowError(
                    f"the same presence as row {earlier} (same platform and handle, or same "
                    "url); merge the two rows"
                )
            account["id"] = _make_id(account, used)
        except RowError as exc:
            result.skipped.append(SkippedRow(number, str(exc)))
            continue
        used.add(account["id"])
        for key in keys:
            seen[key] = number
        result.accounts.append(_ordered(account))
    result.files = _files(result.accounts, split)
    return result


def _files(accounts: list[dict[str, Any]], split: str | None) -> dict[str, list[dict[str, Any]]]:
    if split is None:
        return {"accounts.yaml": accounts} if accounts else {}
    files: dict[str, list[dict[str, Any]]] = {}
    for account in accounts:
        name = f"{account.get(split) or 'no-team'}.yaml"
        files.setdefault(name, []).append(account)
    return dict(sorted(files.items()))


# ----------------------------------------------------------------------------- writing


def write(result: ImportResult, out: Path, *, force: bool = False) -> list[Path]:
    """Write the result's files into ``out``; refuse (writing nothing) if one exists."""
    from socialgov.writer import ABSENT, FileChangedError, refusal, render_new, write_atomic

    targets = {out / name: accounts for name, accounts in result.files.items()}
    if out.exists() and not out.is_dir():
        raise SocialgovError(f"--out {out}: is a file; give a folder")
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise SocialgovError(refusal(existing))
    out.mkdir(parents=True, exist_ok=True)
    for target, accounts in targets.items():
        header = (
            f"Accounts imported from {result.source} by 'socialgov import csv'.\n"
            "Review them, then add owners, policies, playbooks and objectives."
        )
        text = render_new([{"accounts": accounts}], header=header)
        try:
            write_atomic(target, text, expected=None if force else ABSENT)
        except FileChangedError:
            raise SocialgovError(f"{target}: appeared while importing; not overwritten") from None
        except OSError as exc:
            raise SocialgovError(f"{target}: cannot write: {exc.strerror or exc}") from None
        result.written.append(target)
    return result.written


def import_csv(
    path: Path,
    out: Path,
    mapping: Sequence[str] = (),
    *,
    split: str | None = None,
    force: bool = False,
) -> ImportResult:
    """Convert the spreadsheet and write its accounts: what ``socialgov import csv`` does."""
    result = convert(path, parse_mapping(mapping), split=split)
    write(result, out, force=force)
    return result


def render_result(result: ImportResult, out: Path) -> tuple[str, str]:
    """(stdout, stderr): one line per file written, one per skipped row, then a summary."""
    lines = []
    for path in result.written:
        count = len(result.files[path.name])
        lines.append(f"wrote {path} ({count} account{'s' if count != 1 else ''})\n")
    err = [  # a reason may quote a cell: nothing reaches the terminal raw
        f"{one_line(str(result.source))}:{s.row}: {one_line(s.reason)}; row skipped\n"
        for s in result.skipped
    ]
    imported = len(result.accounts)
    summary = f"Imported {imported} account{'s' if imported != 1 else ''} from {result.rows} rows"
    if result.skipped:
        summary += f"; {len(result.skipped)} skipped"
    err.append(summary + ".\n")
    return "".join(lines), "".join(err)
