"""``socialgov import csv``: the spreadsheets people keep become a policy repository.

Import never loses a row. Every row becomes an Account; a cell that cannot be read (a date in no
known form, a number with text in it) leaves that one field out, keeps the raw text under
``labels`` and is reported with its row and column. Reading is forgiving the way people write:

- the file: comma, semicolon, tab or pipe separated, a UTF-8 byte order mark, Windows line
  ends, blank rows, a title row or a row of merged group headings above the real header;
- columns: many spellings of each field (``Account Name`` is a name, never a handle); a handle
  column may hold profile URLs and a URL column handles, cell by cell; the guesses are printed
  once at the top of the report and ``--map`` overrides any of them;
- values: platform names as people write them (the platform catalogue), dates in ISO, m/d/Y or
  d/m/Y (the column decides), ``14 Mar 2015``, ``March 14, 2015``, Excel serial numbers and
  date-times; numbers with thousands separators and ``12.5k``; yes/no in many forms;
- people and teams: owner and backup columns (names, emails, ``Name <email>``) become Person
  entities, one per person (matched by email, else by name), department columns Team entities,
  written beside the accounts and referenced from them.

Two rows that are the same presence are both imported and reported; when they name different
owners or teams the report calls it an ownership conflict. ``--update`` re-imports an updated
sheet into the files it wrote, in place (round-trip: comments and order kept), and says what
changed. Exit 0 when every row came in whole, 1 when a cell or row needs a person's attention,
2 when the file cannot be read at all (a SocialgovError).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialgov.core.errors import SocialgovError
from socialgov.core.escape import one_line
from socialgov.domain.platforms import (
    bare_handle,
    canonical_url,
    label,
    looks_like_url,
    parse_handle,
    parse_profile,
    platform_named,
    presence_keys,
    same_url,
)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

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
    "registered_on",
    "reviewed_on",
    "retired_on",
    "login_email",
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

# What a column may be read as.
TEXT_FIELDS = ("name", "description", "audience", "topic", "region", "language", "login_email")
PRESENCE_FIELDS = ("handle", "url")
PEOPLE_FIELDS = ("owner", "owner.email", "backup_owner", "backup_owner.email", "owner.employment")
ENUM_FIELDS = ("platform", "type", "purpose", "status")
LIST_FIELDS = ("policies", "playbooks", "objectives", "monitoring", "tags")
DATE_FIELDS = ("created", "last_activity", "registered_on", "reviewed_on", "retired_on")
BOOL_FIELDS = ("verified", "security.mfa")
INT_FIELDS = ("metrics.followers", "metrics.members", "metrics.active_members_per_month")
NUMBER_FIELDS = ("metrics.posts_per_month",)
FIELDS: tuple[str, ...] = (
    "id",
    *TEXT_FIELDS,
    *PRESENCE_FIELDS,
    *PEOPLE_FIELDS,
    "team",
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
    **{name.replace(".", "_"): name for name in FIELDS},
    **{name: name for name in FIELDS if "." not in name},
    # the presence
    "network": "platform",
    "service": "platform",
    "service_key": "platform",
    "service_name": "platform",
    "social_network": "platform",
    "social_media": "platform",
    "social_platform": "platform",
    "platform_name": "platform",
    "site": "platform",
    "channel": "platform",
    "social_channel": "platform",
    "media": "platform",
    "account_type": "type",
    "page_type": "type",
    "username": "handle",
    "user_name": "handle",
    "user": "handle",
    "account": "handle",
    "screen_name": "handle",
    "handle_name": "handle",
    "social_handle": "handle",
    "account_handle": "handle",
    "profile_username": "handle",
    "at_handle": "handle",
    "link": "url",
    "profile_url": "url",
    "profile": "url",
    "profile_link": "url",
    "account_url": "url",
    "account_link": "url",
    "service_url": "url",
    "web_address": "url",
    "page_url": "url",
    "page_link": "url",
    "channel_url": "url",
    "social_url": "url",
    "address": "url",
    "account_name": "name",
    "display_name": "name",
    "page_name": "name",
    "profile_name": "name",
    "channel_name": "name",
    "social_profile": "name",
    "title": "name",
    "account_title": "name",
    # people and teams
    "account_owner": "owner",
    "owner_name": "owner",
    "owner_id": "owner",
    "owned_by": "owner",
    "responsible": "owner",
    "responsible_person": "owner",
    "managed_by": "owner",
    "manager": "owner",
    "account_manager": "owner",
    "admin": "owner",
    "administrator": "owner",
    "contact": "owner",
    "lead": "owner",
    "account_lead": "owner",
    "channel_lead": "owner",
    "social_lead": "owner",
    "lead_name": "owner",
    "account_admin": "owner",
    "account_manager_name": "owner",
    "contact_name": "owner",
    "primary_contact": "owner",
    "main_contact": "owner",
    "email": "owner.email",
    "e_mail": "owner.email",
    "owner_e_mail": "owner.email",
    "contact_email": "owner.email",
    "account_owner_email": "owner.email",
    "manager_email": "owner.email",
    "lead_email": "owner.email",
    "account_lead_email": "owner.email",
    "primary_contact_email": "owner.email",
    "responsible_email": "owner.email",
    "employment": "owner.employment",
    "contract": "owner.employment",
    "owner_contract": "owner.employment",
    "backup": "backup_owner",
    "backup_name": "backup_owner",
    "backup_owner_name": "backup_owner",
    "backup_owner_id": "backup_owner",
    "backup_contact": "backup_owner",
    "deputy": "backup_owner",
    "secondary_owner": "backup_owner",
    "secondary_contact": "backup_owner",
    "second_admin": "backup_owner",
    "cover": "backup_owner",
    "backup_email": "backup_owner.email",
    "backup_contact_email": "backup_owner.email",
    "deputy_email": "backup_owner.email",
    "secondary_email": "backup_owner.email",
    "secondary_contact_email": "backup_owner.email",
    "department": "team",
    "department_name": "team",
    "owning_department": "team",
    "dept": "team",
    "business_unit": "team",
    "unit": "team",
    "division": "team",
    "faculty": "team",
    "school": "team",
    "directorate": "team",
    "service_area": "team",
    "office": "team",
    "agency": "team",
    "team_id": "team",
    "team_name": "team",
    "group": "team",
    "profile_group": "team",
    "department_service": "team",
    "department_or_service": "team",
    # the rest
    "lang": "language",
    "locale": "language",
    "country": "region",
    "location": "region",
    "market": "region",
    "area": "region",
    "created_at": "created",
    "created_on": "created",
    "date_created": "created",
    "creation_date": "created",
    "date_added": "registered_on",
    "added": "registered_on",
    "connected_on": "registered_on",
    "date_connected": "registered_on",
    "opened": "created",
    "date_opened": "created",
    "launched": "created",
    "launch_date": "created",
    "start_date": "created",
    "registered": "registered_on",
    "registration_date": "registered_on",
    "date_registered": "registered_on",
    "last_reviewed": "reviewed_on",
    "reviewed": "reviewed_on",
    "review_date": "reviewed_on",
    "date_reviewed": "reviewed_on",
    "last_review": "reviewed_on",
    "last_review_date": "reviewed_on",
    "last_reviewed_on": "reviewed_on",
    "reviewed_on": "reviewed_on",
    "recertified": "reviewed_on",
    "retired": "retired_on",
    "retired_date": "retired_on",
    "date_retired": "retired_on",
    "closed_on": "retired_on",
    "date_closed": "retired_on",
    "closure_date": "retired_on",
    "deleted_on": "retired_on",
    "login_email": "login_email",
    "login": "login_email",
    "login_e_mail": "login_email",
    "sign_in_email": "login_email",
    "account_email": "login_email",
    "registered_email": "login_email",
    "last_post": "last_activity",
    "last_posted": "last_activity",
    "last_active": "last_activity",
    "last_activity_date": "last_activity",
    "last_post_date": "last_activity",
    "date_of_last_post": "last_activity",
    "most_recent_post": "last_activity",
    "last_used": "last_activity",
    "last_published": "last_activity",
    "last_published_date": "last_activity",
    "last_published_on": "last_activity",
    "policy": "policies",
    "playbook": "playbooks",
    "objective": "objectives",
    "listening": "monitoring",
    "monitoring_tools": "monitoring",
    "monitored_by": "monitoring",
    "social_listening": "monitoring",
    "keywords": "tags",
    "categories": "tags",
    "verified_account": "verified",
    "blue_tick": "verified",
    "mfa": "security.mfa",
    "mfa_on": "security.mfa",
    "mfa_enabled": "security.mfa",
    "2fa": "security.mfa",
    "2fa_enabled": "security.mfa",
    "two_factor": "security.mfa",
    "two_step_verification": "security.mfa",
    "credential_custodian": "security.credential_custodian",
    "custodian": "security.credential_custodian",
    "password_holder": "security.credential_custodian",
    "login_held_by": "security.credential_custodian",
    "password_manager": "security.credential_custodian",
    "vault": "security.credential_custodian",
    "followers": "metrics.followers",
    "follower_count": "metrics.followers",
    "followers_count": "metrics.followers",
    "fans": "metrics.followers",
    "subscribers": "metrics.followers",
    "page_likes": "metrics.followers",
    "audience_size": "metrics.followers",
    "members": "metrics.members",
    "member_count": "metrics.members",
    "active_members_per_month": "metrics.active_members_per_month",
    "monthly_active_members": "metrics.active_members_per_month",
    "posts_per_month": "metrics.posts_per_month",
    "monthly_posts": "metrics.posts_per_month",
    "posts_month": "metrics.posts_per_month",
    "posts_a_month": "metrics.posts_per_month",
    "posts_per_month_avg": "metrics.posts_per_month",
    "notes": "description",
    "note": "description",
    "comments": "description",
    "about": "description",
    "bio": "description",
    "remarks": "description",
    # German column names (a German or Austrian register)
    "plattform": "platform",
    "netzwerk": "platform",
    "kanal": "platform",
    "kanalname": "name",
    "name_des_kanals": "name",
    "accountname": "name",
    "einrichtung": "team",
    "abteilung": "team",
    "organisationseinheit": "team",
    "fachbereich": "team",
    "bereich": "team",
    "verantwortlich": "owner",
    "verantwortliche": "owner",
    "verantwortliche_r": "owner",
    "verantwortlicher": "owner",
    "ansprechperson": "owner",
    "ansprechpartner": "owner",
    "ansprechpartnerin": "owner",
    "vertretung": "backup_owner",
    "stellvertretung": "backup_owner",
    "erstellt": "created",
    "erstellt_am": "created",
    "angelegt_am": "created",
    "eroffnet_am": "created",
    "zuletzt_gepruft": "reviewed_on",
    "zuletzt_geprueft": "reviewed_on",
    "letzte_prufung": "reviewed_on",
    "letzte_pruefung": "reviewed_on",
    "gepruft_am": "reviewed_on",
    "letzter_beitrag": "last_activity",
    "letzter_post": "last_activity",
    "anmerkungen": "description",
    "anmerkung": "description",
    "bemerkungen": "description",
    "bemerkung": "description",
    "beschreibung": "description",
    "sprache": "language",
}

# Word clues for column names no alias names, tried in order: (words all present, field).
CLUES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("backup", "email"), "backup_owner.email"),
    (("deputy", "email"), "backup_owner.email"),
    (("secondary", "email"), "backup_owner.email"),
    (("backup",), "backup_owner"),
    (("deputy",), "backup_owner"),
    (("owner", "email"), "owner.email"),
    (("contact", "email"), "owner.email"),
    (("manager", "email"), "owner.email"),
    (("email",), "owner.email"),
    (("owner",), "owner"),
    (("responsible",), "owner"),
    (("manager",), "owner"),
    (("lead",), "owner"),
    (("follower",), "metrics.followers"),
    (("subscriber",), "metrics.followers"),
    (("last", "post"), "last_activity"),
    (("last", "activ"), "last_activity"),
    (("created",), "created"),
    (("launch",), "created"),
    (("opened",), "created"),
    (("department",), "team"),
    (("team",), "team"),
    (("handle",), "handle"),
    (("username",), "handle"),
    (("url",), "url"),
    (("link",), "url"),
    (("platform",), "platform"),
    (("network",), "platform"),
    (("status",), "status"),
    (("purpose",), "purpose"),
    (("audience",), "audience"),
    (("language",), "language"),
    (("mfa",), "security.mfa"),
    (("2fa",), "security.mfa"),
    (("name",), "name"),
)

BLANK = frozenset(
    {"", "-", "--", "\u2014", "\u2013", "n/a", "na", "n.a.", "none", "null", "nil", "tbc", "tbd"}
)
BLANK |= frozenset({"?", "unknown", "not known", "#n/a"})

STATUS_SYNONYMS = {
    "live": "active",
    "open": "active",
    "yes": "active",
    "in use": "active",
    "current": "active",
    "aktiv": "active",
    "inaktiv": "dormant",
    "ruhend": "dormant",
    "pausiert": "dormant",
    "geschlossen": "retired",
    "archiviert": "retired",
    "stillgelegt": "retired",
    "geplant": "planned",
    "inactive": "dormant",
    "paused": "dormant",
    "not used": "dormant",
    "unused": "dormant",
    "quiet": "dormant",
    "closed": "retired",
    "deleted": "retired",
    "archived": "retired",
    "deactivated": "retired",
    "shut down": "retired",
    "decommissioned": "retired",
    "planning": "planned",
    "proposed": "planned",
    "requested": "planned",
    "pending": "planned",
    "in progress": "planned",
}
# A management tool's "Status" column says whether the tool is still connected to the profile,
# not whether the account is in use: only "connected" says something of the account (active).
CONNECTION_STATES = frozenset(
    {
        "connected",
        "disconnected",
        "not connected",
        "reauthorization required",
        "reauthorisation required",
        "needs reauthorization",
        "needs reauthorisation",
        "reconnect",
        "reconnect required",
        "expired",
        "token expired",
        "authorization expired",
        "authorisation expired",
    }
)

PURPOSE_SYNONYMS = {
    "customer service": "service",
    "customer care": "service",
    "customer support": "service",
    "support": "service",
    "help": "service",
    "helpdesk": "service",
    "enquiries": "service",
    "brand": "marketing",
    "promotion": "marketing",
    "promotions": "marketing",
    "communications": "marketing",
    "comms": "marketing",
    "engagement": "marketing",
    "events": "marketing",
    "news": "pr",
    "press": "pr",
    "media relations": "pr",
    "public relations": "pr",
    "public information": "pr",
    "emergencies": "pr",
    "alerts": "pr",
    "recruitment": "recruiting",
    "careers": "recruiting",
    "jobs": "recruiting",
    "hiring": "recruiting",
    "admissions": "recruiting",
    "student recruitment": "recruiting",
    "ecommerce": "sales",
    "e-commerce": "sales",
    "shop": "sales",
    "retail": "sales",
    "offers": "sales",
    "research": "innovation",
    "r&d": "innovation",
    "product": "innovation",
    "staff": "internal",
    "employees": "internal",
}
TYPE_SYNONYMS = {
    "group": "forum",
    "community": "forum",
    "server": "forum",
    "subreddit": "forum",
    "discussion": "forum",
    "page": "profile",
    "account": "profile",
    "channel": "profile",
    "company page": "profile",
    "business page": "profile",
}
EMPLOYMENT_SYNONYMS = {
    "full time": "full_time",
    "fulltime": "full_time",
    "ft": "full_time",
    "permanent": "full_time",
    "staff": "full_time",
    "employee": "full_time",
    "part time": "part_time",
    "parttime": "part_time",
    "pt": "part_time",
    "contract": "contractor",
    "contractor": "contractor",
    "freelance": "contractor",
    "freelancer": "contractor",
    "consultant": "contractor",
    "temp": "contractor",
    "agency": "agency",
    "intern": "intern",
    "internship": "intern",
    "student": "intern",
    "work study": "intern",
    "volunteer": "volunteer",
}
TRUE = frozenset({"true", "yes", "y", "1", "on", "enabled", "x", "✓", "✔", "ok", "ja", "oui"})
FALSE = frozenset({"false", "no", "n", "0", "off", "disabled", "✗", "✘", "nein", "non"})
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
DATE_FORMATS = {
    "d/m/y": "dmy",
    "dd/mm/yyyy": "dmy",
    "d/m/yyyy": "dmy",
    "dmy": "dmy",
    "m/d/y": "mdy",
    "mm/dd/yyyy": "mdy",
    "m/d/yyyy": "mdy",
    "mdy": "mdy",
}
EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """Why a cell cannot be read as its column's field."""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the import reports: at a row (0 for the whole file) and, maybe, a column.

    ``attention`` notices need a person (exit 1); the others say what the import decided."""

    row: int
    message: str
    column: str | None = None
    attention: bool = True


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the sheet and what it is read as."""

    index: int
    name: str
    target: str | None
    guessed: bool = True


@dataclass
class ImportResult:
    """What a spreadsheet became: accounts, people and teams, what was noticed, what was
    written."""

    source: str
    columns: list[Column] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    rows_of: dict[str, int] = field(default_factory=dict)
    """Account id -> the sheet's row it came from."""
    people: list[dict[str, Any]] = field(default_factory=list)
    teams: list[dict[str, Any]] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    rows: int = 0
    files: dict[str, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)
    """Relative path -> (collection key, entities) to write."""
    written: list[Path] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    assumed_employment: int = 0

    @property
    def exit_code(self) -> int:
        return 1 if any(n.attention for n in self.notices) else 0

    @property
    def conflicts(self) -> list[Notice]:
        return [n for n in self.notices if n.message.startswith("ownership conflict")]


# ----------------------------------------------------------------------------- columns


def normalise_column(name: str) -> str:
    """``"User Name "`` -> ``user_name``: how column names are compared."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def ascii_words(text: str) -> str:
    """``Fakultät für Informatik`` -> ``Fakultat fur Informatik``: letters without their accents
    (for ids, which are ASCII), other characters kept."""
    value = unicodedata.normalize("NFKD", text)
    value = value.translate({0x0131: "i", 0x0142: "l", 0x0141: "L", 0x00F8: "o", 0x00D8: "O"})
    value = value.replace("ß", "ss").replace("æ", "ae").replace("Æ", "AE").replace("đ", "d")
    return "".join(c for c in value if not unicodedata.combining(c))


def slug(text: str) -> str:
    """A lower-case id from free text: ``"Acme Support (UK)"`` -> ``acme-support-uk``."""
    value = re.sub(r"[^a-z0-9._]+", "-", text.strip().lower())
    return value.strip("-._")[:120].strip("-._")


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
                f"--map {item!r}: '{target}' is not a field the import reads; use one of "
                f"{', '.join(FIELDS)}, labels.NAME, or {IGNORE}"
            )
        mapping[normalise_column(column)] = target
    return mapping


def parse_date_format(text: str | None) -> str | None:
    """``--date-format d/m/Y`` -> ``dmy``; None when not given."""
    if text is None:
        return None
    found = DATE_FORMATS.get(text.strip().lower().replace("-", "/").replace(".", "/"))
    if found is None:
        raise SocialgovError(
            f"--date-format {text!r}: use d/m/Y (day first, as in the UK) or m/d/Y (month "
            "first, as in the US)"
        )
    return found


def _label_key(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", column.strip().lower()).strip("-") or "column"


def guess_target(column: str) -> str | None:
    """The field a column name means, or None when it names none (it becomes a label)."""
    folded = unicodedata.normalize("NFKD", column).encode("ascii", "ignore").decode("ascii")
    key = normalise_column(folded).replace("e_mail", "email")
    if not key:
        return None
    words = key.split("_")
    if ("handle" in words or "username" in words) and ("url" in words or "link" in words):
        return "handle"  # "Handle / URL": read cell by cell
    if key in ALIASES:
        return ALIASES[key]
    for prefix in ("account_", "social_", "page_", "profile_", "primary_"):
        rest = key.removeprefix(prefix)
        if key.startswith(prefix) and rest == "id":
            return None  # a platform's or a tool's own id (Profile ID): not a socialgov id
        if key.startswith(prefix) and rest in ALIASES:
            return ALIASES[rest]
    for clue, target in CLUES:
        if all(any(word.startswith(part) for word in words) for part in clue):
            return target
    return None


# How narrow a grouping a team column names: the narrowest is the team, the wider ones labels.
_TEAM_BREADTH = {
    "team": 0,
    "group": 1,
    "department": 1,
    "dept": 1,
    "service": 1,
    "unit": 1,
    "office": 1,
    "einrichtung": 1,
    "abteilung": 1,
    "area": 2,
    "division": 3,
    "directorate": 3,
    "business": 3,
    "faculty": 3,
    "school": 3,
    "agency": 3,
    "fachbereich": 3,
}


def _team_column(
    header: Sequence[str], normalised: Sequence[str], overrides: Mapping[str, str]
) -> int | None:
    """The index of the column read as the team: the one given with --map, else the narrowest
    grouping of those that name a team (``Department / Service`` rather than ``Directorate``)."""
    for index, key in enumerate(normalised):
        if overrides.get(key) == "team":
            return index
    best: tuple[int, int] | None = None
    for index, (column, key) in enumerate(zip(header, normalised, strict=True)):
        if key in overrides or guess_target(column) != "team":
            continue
        breadth = min((_TEAM_BREADTH.get(word, 2) for word in key.split("_")), default=2)
        if key not in ALIASES:
            breadth += 10  # named by a word of it only ('Comms team notes'): the last choice
        if best is None or breadth < best[0]:
            best = (breadth, index)
    return best[1] if best else None


def assign_columns(header: Sequence[str], overrides: Mapping[str, str]) -> list[Column]:
    """What each column is read as (``labels.X`` for columns that name no field)."""
    columns: list[Column] = []
    taken: set[str] = set()
    normalised = [normalise_column(c) for c in header]
    for column in overrides:
        if column not in normalised:
            raise SocialgovError(
                f"--map: the spreadsheet has no column '{column}'; its columns are "
                f"{', '.join(repr(c) for c in header if c.strip())}"
            )
    team_column = _team_column(header, normalised, overrides)
    for index, (column, key) in enumerate(zip(header, normalised, strict=True)):
        given = overrides.get(key)
        if given == IGNORE or (not key and given is None):
            columns.append(Column(index, column, None, given is None))
            continue
        target = given or guess_target(column)
        if not given and target == "team" and index != team_column:
            target = None  # a wider grouping (Directorate over Department): kept as a label
        if target is None or (target in taken and not target.startswith("labels.")):
            target = f"labels.{_label_key(column)}"
        taken.add(target)
        columns.append(Column(index, column, target, given is None))
    return columns


# ----------------------------------------------------------------------------- reading


def read_table(path: Path) -> list[tuple[int, list[str]]]:
    """Every row of a CSV file with its row number (as a spreadsheet numbers them)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SocialgovError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise SocialgovError(
                f"{path}: not readable as UTF-16; save it as 'CSV UTF-8'"
            ) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SocialgovError(
                f"{path}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save "
                "the spreadsheet as 'CSV UTF-8'"
            ) from None
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise SocialgovError(
            f"{path}: is an Excel workbook, not CSV; save it as 'CSV UTF-8' and import that"
        )
    if not text.strip():
        raise SocialgovError(f"{path}: the file is empty; it needs a header row")
    delimiter = _delimiter(text)
    # Only the delimiter is sniffed: quoting is always a spreadsheet's ("" inside quotes is one
    # "), since the sniffer guesses it wrong from a few rows and then corrupts values.
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise SocialgovError(f"{path}:{number + 1}: cannot read the row: {exc}") from None
        number += 1
        rows.append((number, cells))


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (the first row) and the (row number, cells) of every later row, read as
    :func:`read_table` reads them: for the other commands that read spreadsheets (``import
    people``, ``discover --feed``)."""
    table = read_table(path)
    _, header = table[0]
    if not any(cell.strip() for cell in header):
        raise SocialgovError(f"{path}:1: the first row must name the columns")
    return header, iter(table[1:])


def _delimiter(text: str) -> str:
    """The separator: the one the first lines split into the most, the same number of cells."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    if lines and lines[0].lower().startswith("sep=") and len(lines[0]) == 5:
        return lines[0][4]
    best, score = ",", 0
    for candidate in (",", ";", "\t", "|"):
        counts = [len(next(csv.reader([line], delimiter=candidate), [])) for line in lines if line]
        common = Counter(counts).most_common(1)
        if common and common[0][0] > 1:
            value = common[0][0] * common[0][1]
            if value > score:
                best, score = candidate, value
    return best


def find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, list[str], list[str]]:
    """(index of the header row in ``rows``, its cells, the group headings above it).

    The header is the row among the first ten that names the most known columns; rows above it
    are titles or merged group headings (``Owner`` spanning ``Name`` and ``Email``)."""
    best, best_score = -1, 0
    for index, (_, cells) in enumerate(rows[:10]):
        score = sum(1 for cell in cells if guess_target(cell) is not None)
        if score > best_score:
            best, best_score = index, score
    if best < 0:
        first = next((i for i, (_, cells) in enumerate(rows) if any(c.strip() for c in cells)), -1)
        if first < 0:
            raise SocialgovError("the file has no header row naming its columns")
        return first, rows[first][1], []
    groups: list[str] = []
    if best > 0:
        above = rows[best - 1][1]
        filled = [c.strip() for c in above]
        if sum(1 for c in filled if c) >= 1 and any(c for c in filled[1:]):
            current = ""
            for cell in filled:
                current = cell or current
                groups.append(current)
    return best, rows[best][1], groups


def _combine(header: list[str], groups: list[str]) -> list[str]:
    """Header cells under merged group headings: ``Email`` under ``Backup`` is ``Backup Email``
    when that names a field and the cell alone names another (or none)."""
    names = []
    for index, cell in enumerate(header):
        group = groups[index] if index < len(groups) else ""
        combined = f"{group} {cell}".strip()
        generic = guess_target(cell) in (None, "name", "owner.email")
        if generic and group and cell.strip() and guess_target(combined) not in (None, "name"):
            names.append(combined)
        elif group and not cell.strip():
            names.append(group)
        else:
            names.append(cell)
    return names


# ----------------------------------------------------------------------------- values


def is_blank(text: str) -> bool:
    return text.strip().lower() in BLANK


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T,].*)?")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?")
_DAY_MONTH = re.compile(
    r"(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]+([a-z]+)\.?,?[\s\-/.]+(\d{4}|\d{2})(?:\s.*)?"
)
_MONTH_DAY = re.compile(
    r"(?:[a-z]+,?\s+)?([a-z]+)\.?[\s\-/.]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]+(\d{4})(?:\s.*)?"
)


def date_order(values: Iterable[str]) -> tuple[str | None, str | None]:
    """How a column writes numeric dates: (``dmy``/``mdy``/None, the value that settles it)."""
    day_first = month_first = None
    for value in values:
        match = _NUMERIC_DATE.fullmatch(value.strip())
        if match is None:
            continue
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second and day_first is None:
            day_first = value.strip()
        elif second > 12 >= first and month_first is None:
            month_first = value.strip()
    if day_first and not month_first:
        return "dmy", day_first
    if month_first and not day_first:
        return "mdy", month_first
    return None, None


def has_numeric_dates(values: Iterable[str]) -> bool:
    return any(_NUMERIC_DATE.fullmatch(v.strip()) for v in values)


def parse_date(text: str, order: str | None) -> dt.date:
    """A date as spreadsheets write it; ``order`` reads ``01/02/2026`` (``dmy`` or ``mdy``)."""
    value = text.strip()
    lower = value.lower()
    try:
        match = _ISO_DATE.fullmatch(value)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _NUMERIC_DATE.fullmatch(value)
        if match:
            first, second, year = int(match[1]), int(match[2]), _year(match[3])
            if order is None:
                if first > 12:
                    order = "dmy"
                elif second > 12:
                    order = "mdy"
                elif first == second:
                    order = "dmy"
                else:
                    raise CellError(
                        f"'{text}' could be day/month or month/day; give --date-format d/m/Y "
                        "or m/d/Y"
                    )
            day, month = (first, second) if order == "dmy" else (second, first)
            return dt.date(year, month, day)
        match = _DAY_MONTH.fullmatch(lower)
        if match and match[2] in MONTHS:
            return dt.date(_year(match[3]), MONTHS[match[2]], int(match[1]))
        match = _MONTH_DAY.fullmatch(lower)
        if match and match[1] in MONTHS:
            return dt.date(int(match[3]), MONTHS[match[1]], int(match[2]))
        if re.fullmatch(r"\d{5}(?:\.\d+)?", value):
            serial = int(float(value))
            if 20000 <= serial <= 80000:  # an Excel serial day: 1954 to 2119
                return EXCEL_EPOCH + dt.timedelta(days=serial)
    except CellError:
        raise
    except ValueError:
        raise CellError(f"'{text}' is not a day that exists") from None
    raise CellError(
        f"'{text}' is not a date socialgov can read; write it as YYYY-MM-DD (or give "
        "--map COLUMN=labels.NAME to keep the column as text)"
    )


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CellError(f"'{text}' is not yes or no")


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_number(text: str, *, integer: bool) -> int | float:
    """``48,210``, ``48 210``, ``48.210`` (a whole count), ``12.5k``, ``3,5`` (a decimal comma)."""
    value = _SPACES.sub("", text.strip()).lower().removesuffix("+")
    scale = 1
    suffix = re.fullmatch(r"(.*\d)(k|m|mn|mio)", value)
    if suffix:
        value, scale = suffix[1], 1000 if suffix[2] == "k" else 1_000_000
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", value):
        value = value.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", value) and (integer or value.count(".") > 1):
        value = value.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d+", value):
        value = value.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        raise CellError(f"'{text}' is not a number")
    number = float(value) * scale
    if integer:
        if number != int(number):
            raise CellError(f"'{text}' is not a whole number")
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
        raise CellError(f"{what} '{text}' cannot be made into an id")
    return made


def _word(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9&+-]+", " ", text.lower()).split())


def _enum(name: str, text: str, allowed: Sequence[str], synonyms: Mapping[str, str]) -> str:
    value = _word(text).replace(" ", "_")
    if value in allowed:
        return value
    spoken = _word(text)
    if spoken in synonyms:
        return synonyms[spoken]
    for words, meant in synonyms.items():
        if re.search(rf"\b{re.escape(words)}\b", spoken):
            return meant
    raise CellError(f"{name} '{text}' is not one of {', '.join(allowed)}")


def _schema_enum(kind_file: str, name: str) -> tuple[str, ...]:
    from socialgov.schema.validation import load_schema

    return tuple(load_schema(kind_file)["properties"][name]["enum"])


# ----------------------------------------------------------------------------- people


@dataclass
class Person:
    """A person an import names: id, name, email and employment, and whether the repository
    already has them."""

    id: str
    name: str | None
    email: str | None
    employment: str | None = None
    existing: bool = False


# Titles written before a name: not part of whom it names.
_TITLES = frozenset(
    (
        *("dr", "dr.", "prof", "prof.", "professor", "mr", "mr.", "mrs", "mrs.", "ms", "ms."),
        *("miss", "mx", "mx.", "sir", "dame", "rev", "rev.", "revd", "cllr", "cllr.", "hon"),
        *("mag", "mag.", "mag.a", "mag.\u00aa", "mmag", "mmag.", "dipl.-ing.", "di", "di."),
        *("dipl.", "ing", "ing.", "dott", "dott.", "univ.-prof.", "priv.-doz.", "hon."),
    )
)


def person_name(text: str) -> str:
    """The name as a person writes it, without titles, in reading order: ``Dr. Iain McLeod`` ->
    ``Iain McLeod``, ``Nair, Priya`` -> ``Priya Nair``, typographic apostrophes as ``'``."""
    value = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u2018", "'")
    value = " ".join(value.split())
    last, comma, first = value.partition(",")
    if comma and first.strip() and "," not in first and len(last.split()) <= 2:
        value = f"{first.strip()} {last.strip()}"
    words = value.split()
    while len(words) > 2 and words[0].casefold() in _TITLES:
        words = words[1:]
    return " ".join(words)


def person_key(text: str) -> str:
    """How names are compared: a name as :func:`person_name` writes it, in lower case, without
    accents, apostrophes, hyphens or a role in brackets: ``Jürgen Weiss`` = ``Jürgen Weiß``
    (either Unicode form), ``Mehmet Yilmaz`` = ``Mehmet Y\u0131lmaz``, ``O\u2019Donnell`` =
    ``O'Donnell``,
    ``Ade Bello (volunteer)`` = ``Ade Bello``."""
    value = re.sub(r"\([^)]*\)", " ", person_name(text))
    value = ascii_words(unicodedata.normalize("NFKC", value).casefold())
    value = re.sub(r"['`]", "", value)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value).split())


def probably_same_person(first: str, second: str) -> bool:
    """``Jo Okafor`` and ``Joanne Okafor``: the same surname, one first name the start of the
    other. Reported, never merged: ``Sam`` may be Samuel or Samantha."""
    a, b = person_key(first).split(), person_key(second).split()
    if len(a) < 2 or len(b) < 2 or a == b or a[1:] != b[1:]:
        return False
    short, long = sorted((a[0], b[0]), key=len)
    return len(short) >= 2 and short != long and long.startswith(short)


def _mailbox_key(email: str) -> str:
    """``Priya.Nair@…`` -> ``priyanair``: an email's local part, to compare with a name."""
    return re.sub(r"[^a-z0-9]+", "", email.partition("@")[0].casefold())


class People:
    """One Person per person however many rows name them: matched by email, else by name.

    Starts from the repository's people (``known``), so an import into a repository that knows
    them references them rather than writing them again."""

    def __init__(self, known: Iterable[Person] = (), used: Iterable[str] = ()) -> None:
        self.people: list[Person] = []
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, Person] = {}
        self.by_id: dict[str, Person] = {}
        self.used: set[str] = set(used)
        for person in known:
            self._index(person)

    def _index(self, person: Person) -> None:
        self.people.append(person)
        self.by_id[person.id] = person
        self.used.add(person.id)
        if person.email:
            self.by_email.setdefault(person.email.casefold(), person)
        if person.name:
            self.by_name.setdefault(person_key(person.name), person)

    def find_or_add(self, name: str | None, email: str | None) -> Person:
        if name:
            name = person_name(name) or name
        if email and email.casefold() in self.by_email:
            person = self.by_email[email.casefold()]
            if person.name is None and name and not person.existing:
                person.name = name
                self.by_name.setdefault(person_key(name), person)
            return person
        key = person_key(name) if name else None
        if key and key in self.by_name:
            person = self.by_name[key]
            if person.email is None and email and not person.existing:
                person.email = email
                self.by_email.setdefault(email.casefold(), person)
            return person
        if name and not email and name.strip() in self.by_id:
            return self.by_id[name.strip()]
        # a name and, in another row, only an email whose local part spells that name
        # ('Chloe Barker' and chloe.barker@...): one person
        for person in self.people:
            if person.existing:
                continue
            if (
                key
                and not email
                and person.name is None
                and person.email
                and _mailbox_key(person.email) == key.replace(" ", "")
            ):
                person.name = name
                self.by_name.setdefault(key, person)
                return person
            if (
                email
                and not name
                and person.email is None
                and person.name
                and person_key(person.name).replace(" ", "") == _mailbox_key(email)
            ):
                person.email = email
                self.by_email.setdefault(email.casefold(), person)
                return person
        base = (
            slug(ascii_words(name).replace("'", ""))
            if name
            else slug(ascii_words(email.split("@")[0]))
            if email
            else ""
        )
        base = base or "person"
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        person = Person(candidate, name, email)
        self._index(person)
        return person


def _several_people(text: str) -> list[str]:
    """``Jordan Blake / Marisol Vega`` -> both names; a cell naming one person -> that cell."""
    parts = [p.strip() for p in re.split(r"\s+/\s+|\s*;\s*|\n", text) if p.strip()]
    if len(parts) > 1 and all(EMAIL.search(p) or len(p.split()) >= 2 for p in parts):
        return parts
    return [text]


# The local parts of shared mailboxes: an address made only of these words is no one person's.
_ROLE_MAILBOX_WORDS = frozenset(
    (
        *("social", "socialmedia", "sm", "info", "admin", "it", "itadmin", "comms", "media"),
        *("communications", "marketing", "press", "digital", "hello", "contact", "support"),
        *("team", "office", "web", "webmaster", "noreply", "no", "reply", "enquiries", "help"),
        *("news", "accounts", "helpdesk", "service", "services", "general", "mail", "agency"),
    )
)
_ORGANISATION = re.compile(
    r"\((?:organi[sz]ation|company|agency|business|brand|page|department|team)\)\s*$",
    re.IGNORECASE,
)


def not_a_person(name: str | None, email: str | None) -> str | None:
    """What an owner cell names when it is no person: ``an organisation`` (``City of Fairhaven
    Heights (Organization)``) or ``a shared mailbox`` (``social@agency.example`` with no name);
    None for a person."""
    if name and _ORGANISATION.search(name):
        return "an organisation"
    if email and not name:
        words = [w for w in re.split(r"[._+-]+", email.partition("@")[0].casefold()) if w]
        if words and all(word in _ROLE_MAILBOX_WORDS for word in words):
            return "a shared mailbox"
    return None


def split_person(text: str) -> tuple[str | None, str | None]:
    """``Jane Doe <jane@uni.edu>`` -> (name, email); a bare email or a bare name."""
    value = text.strip()
    found = EMAIL.search(value)
    if found is None:
        return value or None, None
    email = found.group(0)
    name = (value[: found.start()] + value[found.end() :]).strip()
    name = re.sub(r"^[\s<>()\[\],;:\"']+|[\s<>()\[\],;:\"']+$", "", name).strip()
    return name or None, email


# ----------------------------------------------------------------------------- rows


@dataclass
class RowRead:
    """One row as read: the account (without id), its people, and what was noticed."""

    number: int
    account: dict[str, Any]
    owner: tuple[str | None, str | None] = (None, None)
    backup: tuple[str | None, str | None] = (None, None)
    employment: str | None = None
    team: str | None = None
    notices: list[Notice] = field(default_factory=list)


class Reader:
    """Reads rows of one sheet as its columns say (the column-wide decisions made first)."""

    def __init__(
        self,
        source: str,
        columns: list[Column],
        rows: list[tuple[int, list[str]]],
        date_format: str | None,
    ) -> None:
        self.source = source
        self.columns = [c for c in columns if c.target is not None]
        self.enums = {
            "type": _schema_enum("account.schema.json", "type"),
            "purpose": _schema_enum("account.schema.json", "purpose"),
            "status": _schema_enum("account.schema.json", "status"),
            "employment": _schema_enum("person.schema.json", "employment"),
        }
        self.orders: dict[int, str | None] = {}
        self.notices: list[Notice] = []
        self.decisions: list[str] = []
        self.value_guesses: dict[tuple[str, str], str] = {}
        self.connection: set[int] = set()
        for column in self.columns:
            if column.target == "status":
                self._connection_state(column, rows)
        unsettled: list[Column] = []
        settled: dict[str, tuple[str, str]] = {}
        for column in self.columns:
            if column.target not in DATE_FIELDS:
                continue
            values = [
                cells[column.index]
                for _, cells in rows
                if column.index < len(cells) and not is_blank(cells[column.index])
            ]
            order, because = date_order(values)
            if date_format is not None:
                self.orders[column.index] = date_format
                if order is not None and order != date_format:
                    self.notices.append(
                        Notice(
                            0,
                            f"column '{column.name}': --date-format reads it "
                            f"{_order_words(date_format)}, but '{because}' is written "
                            f"{_order_words(order)}; check the dates",
                            column.name,
                        )
                    )
            elif order is not None:
                self.orders[column.index] = order
                settled.setdefault(order, (column.name, because))
                self.decisions.append(
                    f"dates in '{column.name}' read {_order_words(order)} ('{because}' settles it)"
                )
            elif has_numeric_dates(values):
                unsettled.append(column)
        # One sheet comes from one spreadsheet program: a column that never says is read as the
        # sheet's other date columns are, when they agree.
        only = next(iter(settled)) if len(settled) == 1 else None
        for column in unsettled:
            self.orders[column.index] = only
            if only is not None:
                name, because = settled[only]
                self.decisions.append(
                    f"dates in '{column.name}' read {_order_words(only)}, as the sheet's other "
                    f"dates ('{because}' in '{name}' settles it)"
                )
                continue
            self.notices.append(
                Notice(
                    0,
                    f"column '{column.name}': every date could be day/month or month/day; "
                    "those are kept under labels; give --date-format d/m/Y or m/d/Y",
                    column.name,
                )
            )

    def _connection_state(self, column: Column, rows: list[tuple[int, list[str]]]) -> None:
        """A status column holding only a tool's connection states is read as one: Connected
        is active, the others are kept as labels and reported once for the column."""
        states: dict[str, list[int]] = {}
        for number, cells in rows:
            text = cells[column.index].strip() if column.index < len(cells) else ""
            if is_blank(text):
                continue
            if _word(text) not in CONNECTION_STATES:
                return
            states.setdefault(text, []).append(number)
        if not states:
            return
        self.connection.add(column.index)
        key = _label_key(column.name)
        others = [
            f"'{text}' (row{'s' if len(numbers) > 1 else ''} {', '.join(str(n) for n in numbers)})"
            for text, numbers in states.items()
            if _word(text) != "connected"
        ]
        message = (
            f"column '{column.name}' is the tool's connection to each profile, not the "
            "account's status: 'Connected' is read as active"
        )
        if not others:
            self.decisions.append(message)
            return
        self.notices.append(
            Notice(
                0,
                f"{message}; {', '.join(others)} kept as labels.{key}: reconnect the profile "
                "in the tool, or write the account's status if it is no longer used",
                column.name,
            )
        )

    def read(self, number: int, cells: list[str]) -> RowRead:
        row = RowRead(number, {})
        account = row.account
        labels: dict[str, str] = {}
        handles: list[tuple[Column, str]] = []
        urls: list[tuple[Column, str]] = []
        for column in self.columns:
            target = column.target
            assert target is not None
            text = cells[column.index] if column.index < len(cells) else ""
            if is_blank(text):
                continue
            text = text.strip()
            if target.startswith("labels."):
                labels[target.removeprefix("labels.")] = text
                continue
            try:
                if target == "handle":
                    (urls if looks_like_url(text) else handles).append((column, text))
                elif target == "url":
                    (urls if looks_like_url(text) or "/" in text else handles).append(
                        (column, text)
                    )
                elif target in ("id", *TEXT_FIELDS, "security.credential_custodian"):
                    self._set(account, target, text)
                elif target in ("owner", "backup_owner"):
                    first, *more = _several_people(text)
                    if more:
                        key = _label_key(column.name)
                        labels[key] = text
                        row.notices.append(
                            Notice(
                                number,
                                f"names {len(more) + 1} people; {target} is one person: "
                                f"'{first}' is read as the {target.replace('_', ' ')}, the "
                                f"cell kept as labels.{key} (add the others as access, or "
                                "write one per cell)",
                                column.name,
                            )
                        )
                    name, email = split_person(first)
                    slot = row.owner if target == "owner" else row.backup
                    person = (name or slot[0], email or slot[1])
                    if target == "owner":
                        row.owner = person
                    else:
                        row.backup = person
                elif target in ("owner.email", "backup_owner.email"):
                    found = EMAIL.search(text)
                    if found is None:
                        raise CellError(f"'{text}' is not an email address")
                    if target == "owner.email":
                        row.owner = (row.owner[0], found.group(0))
                    else:
                        row.backup = (row.backup[0], found.group(0))
                elif target == "owner.employment":
                    row.employment = self._guess(
                        column,
                        text,
                        _enum("employment", text, self.enums["employment"], EMPLOYMENT_SYNONYMS),
                    )
                elif target == "team":
                    row.team = text
                elif target == "platform":
                    self._platform(column, text, account, labels)
                elif column.index in self.connection:
                    if _word(text) == "connected":
                        account["status"] = "active"
                    else:
                        labels[_label_key(column.name)] = text
                elif target in ("type", "purpose", "status"):
                    synonyms = {
                        "type": TYPE_SYNONYMS,
                        "purpose": PURPOSE_SYNONYMS,
                        "status": STATUS_SYNONYMS,
                    }[target]
                    value = _enum(target, text, self.enums[target], synonyms)
                    account[target] = self._guess(column, text, value)
                elif target in LIST_FIELDS:
                    items = _list(text)
                    if target in ("policies", "playbooks", "objectives"):
                        items = [_ref(v, target[:-1]) for v in items]
                    account[target] = items
                elif target in DATE_FIELDS:
                    account[target] = parse_date(text, self.orders.get(column.index))
                elif target in BOOL_FIELDS:
                    self._set(account, target, parse_bool(text))
                else:
                    self._set(account, target, parse_number(text, integer=target in INT_FIELDS))
            except CellError as exc:
                key = _label_key(column.name)
                labels[key] = text
                row.notices.append(Notice(number, f"{exc}; kept as labels.{key}", column.name))
        self._presence(row, handles, urls, labels)
        if labels:
            account["labels"] = dict(sorted(labels.items()))
        return row

    @staticmethod
    def _set(account: dict[str, Any], target: str, value: Any) -> None:
        group, _, name = target.partition(".")
        if name:
            account.setdefault(group, {})[name] = value
        else:
            account[target] = value

    def _guess(self, column: Column, text: str, value: str) -> str:
        if _word(text).replace(" ", "_") != value:
            self.value_guesses.setdefault((column.name, text), value)
        return value

    def _platform(
        self, column: Column, text: str, account: dict[str, Any], labels: dict[str, str]
    ) -> None:
        named = platform_named(text)
        if named is None:
            labels["platform"] = text
            account["_platform_unknown"] = text
            return
        account["platform"] = named.platform
        shown = named.platform + (", type forum" if named.type else "")
        if text.lower() != named.platform:
            self.value_guesses.setdefault((column.name, text), shown)
        if named.type is not None:
            account.setdefault("type", named.type)

    def _presence(
        self,
        row: RowRead,
        handles: list[tuple[Column, str]],
        urls: list[tuple[Column, str]],
        labels: dict[str, str],
    ) -> None:
        """Platform, handle and url from the cells that hold them, completed from each other."""
        account = row.account
        unknown = account.pop("_platform_unknown", None)
        url_text = urls[0][1] if urls else None
        for column, extra in urls[1:]:
            if url_text is not None and not same_url(_as_url(extra), _as_url(url_text)):
                labels[_label_key(column.name)] = extra
        url = _as_url(url_text) if url_text is not None else None
        profile = parse_profile(url, account.get("platform")) if url else None
        platform = account.get("platform")
        if platform is None:
            if profile is not None:
                platform = profile.platform
                how = "its url"
            else:
                platform = "other"
                how = "no known url host either"
                if unknown is None and not handles and url is None:
                    row.notices.append(
                        Notice(
                            row.number,
                            "no platform, handle or url: nothing says which presence this is; "
                            "imported as platform other",
                        )
                    )
            account["platform"] = platform
            if unknown is not None:
                self.decisions.append(
                    f"row {row.number}: platform '{unknown}' is none socialgov knows; "
                    f"imported as {platform} ({how}; the name is kept as labels.platform)"
                )
        platform = account["platform"]
        if profile is not None and profile.type is not None and profile.platform == platform:
            account.setdefault("type", profile.type)
        handle = None
        for column, text in handles:
            found = parse_handle(platform, text)
            written = bare_handle(text)
            if profile is not None and found is not None and _placeholder(written, url):
                # a registry's "channel" for youtube.com/channel/UC...: not a handle
                row.notices.append(
                    Notice(
                        row.number,
                        f"handle '{text}' is a word of its url, not a handle; the handle is "
                        f"read from the url instead",
                        column.name,
                        attention=False,
                    )
                )
                continue
            if handle is None:
                handle = written
            elif written.casefold() != handle.casefold():
                labels[_label_key(column.name)] = text
        if handle is None and profile is not None and profile.platform == platform:
            handle = profile.handle
        if handle:
            account["handle"] = handle
        if url is not None:
            expected = canonical_url(platform, handle) if handle else None
            account["url"] = expected if expected and same_url(url, expected) else url
        elif handle:
            expected = canonical_url(platform, handle)
            if expected is not None:
                account["url"] = expected
        if handle is None and url is None and (handles or urls):
            row.notices.append(Notice(row.number, "neither a handle nor a url could be read"))


def _placeholder(handle: str, url: str | None) -> bool:
    """A handle cell holding a fixed word of the url's path (``channel``, ``user``, ``groups``,
    ``company``, ``showcase``, ``photos``) rather than the profile's handle."""
    if url is None:
        return False
    words = {"channel", "user", "c", "company", "school", "showcase", "groups", "photos", "in"}
    word = handle.strip().lower()
    return word in words and f"/{word}/" in url.lower()


def _as_url(text: str) -> str:
    value = text.strip()
    if value.startswith("@"):
        return value  # a Mastodon address: parse_profile reads it
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = "https://" + value.removeprefix("//")
    return value


def _order_words(order: str) -> str:
    return "day/month/year" if order == "dmy" else "month/day/year"


# ----------------------------------------------------------------------------- the import


@dataclass(frozen=True)
class Target:
    """Where an import writes: a whole repository (``root``) or an accounts folder (``out``)."""

    folder: Path
    whole: bool

    def path(self, kind: str, name: str) -> str:
        if self.whole:
            return f"{kind}/{name}"
        return name if kind == "accounts" else f"{kind}.yaml"


def _known(repository: Path | None) -> tuple[list[Person], set[str], set[str], dict[str, str]]:
    """The repository's people, person ids, team ids and team names (lower case) -> id."""
    if repository is None:
        return [], set(), set(), {}
    from socialgov.config import load_config
    from socialgov.pipeline import load_repository

    try:
        model = load_repository(load_config(repository)).model
    except SocialgovError:
        return [], set(), set(), {}
    people = [Person(p.id, p.name, p.email, p.employment, existing=True) for p in model.people]
    teams = {t.id for t in model.teams}
    names = {(t.name or t.id).casefold(): t.id for t in model.teams}
    return people, {p.id for p in model.people}, teams, names


def _repository_of(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / "socialgov.yaml").is_file():
            return candidate
    return None


def convert(
    path: Path,
    mapping: Mapping[str, str] | None = None,
    *,
    split: str | None = None,
    date_format: str | None = None,
    target: Target | None = None,
    repository: Path | None = None,
) -> ImportResult:
    """Read the spreadsheet at ``path`` into accounts, people and teams (nothing is written)."""
    table = read_table(path)
    header_at, header, groups = find_header(table)
    result = ImportResult(source=path.name)
    nul_rows = [n for n, cells in table if any("\x00" in c for c in cells)]
    if nul_rows:
        table = [(n, [c.replace("\x00", "") for c in cells]) for n, cells in table]
        header = [c.replace("\x00", "") for c in header]
        result.notices.extend(
            Notice(n, "holds NUL characters, which no text has; they were removed")
            for n in nul_rows
        )
    if header_at > 0:
        result.decisions.append(
            f"rows 1-{table[header_at][0] - 1} read as titles above the header (row "
            f"{table[header_at][0]})"
            if header_at > 1
            else f"row 1 read as a title above the header (row {table[header_at][0]})"
        )
    names = _combine(list(header), groups)
    columns = assign_columns(names, mapping or {})
    result.columns = columns
    body = [(n, cells) for n, cells in table[header_at + 1 :] if any(c.strip() for c in cells)]
    body, filled = _fill_down(columns, body)
    if filled:
        result.decisions.append(filled)
    reader = Reader(path.name, columns, body, date_format)
    result.notices.extend(reader.notices)
    known_people, person_ids, team_ids, team_names = _known(repository)
    people = People(known_people, person_ids)
    teams: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    first_of: dict[str, int] = {}
    row_of: dict[int, RowRead] = {}
    for number, cells in body:
        skipped = not_an_account(columns, cells)
        if skipped is not None:
            result.decisions.append(f"row {number}: {skipped}, not an account: skipped")
            continue
        result.rows += 1
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            extra = [c for c in cells[len(header) :] if c.strip()]
            result.notices.append(
                Notice(
                    number,
                    f"has {len(cells)} cells but the header names {len(header)} columns; the "
                    f"extra {'ones are' if len(extra) > 1 else 'one is'} kept as labels.extra "
                    "(quote values that contain the separator)",
                )
            )
        row = reader.read(number, cells)
        if len(cells) > len(header):
            extra_text = " | ".join(c.strip() for c in cells[len(header) :] if c.strip())
            if extra_text:
                row.account.setdefault("labels", {})["extra"] = extra_text
        account = row.account
        result.notices.extend(row.notices)
        for slot, key in ((row.owner, "owner"), (row.backup, "backup_owner")):
            what = not_a_person(*slot)
            if what is None:
                continue
            written = " ".join(v for v in slot if v)
            label = key.replace("_", "-")
            account.setdefault("labels", {})[label] = written
            result.notices.append(
                Notice(
                    number,
                    f"{key.replace('_', ' ')} '{written}' is {what}, not a person: kept as "
                    f"labels.{label}; name the person who answers for the account",
                )
            )
            if key == "owner":
                row.owner = (None, None)
            else:
                row.backup = (None, None)
        if row.owner != (None, None):
            person = people.find_or_add(*row.owner)
            if row.employment and not person.existing:
                person.employment = person.employment or row.employment
            account["owner"] = person.id
        if row.backup != (None, None):
            account["backup_owner"] = people.find_or_add(*row.backup).id
        if row.team is not None:
            account["team"] = _team(row.team, teams, team_ids, team_names)
        account["id"] = _make_id(account, used, number, result)
        used.add(account["id"])
        result.rows_of[account["id"]] = number
        row_of[number] = row
        _duplicates(account, number, first_of, result, teams)
        result.accounts.append(_ordered(account))
    written = [p for p in people.people if not p.existing and p.name]
    for index, person in enumerate(written):
        for other in written[index + 1 :]:
            if probably_same_person(str(person.name), str(other.name)):
                result.notices.append(
                    Notice(
                        0,
                        f"people '{person.name}' ({person.id}) and '{other.name}' ({other.id}) "
                        "are probably one person (a short first name and the full one): merge "
                        "them if so",
                    )
                )
    for person in people.people:
        if person.existing:
            continue
        entry: dict[str, Any] = {"id": person.id}
        if person.name:
            entry["name"] = person.name
        if person.email:
            entry["email"] = person.email
        if person.employment is None:
            result.assumed_employment += 1
        entry["employment"] = person.employment or "full_time"
        entry["source"] = f"import csv {path.name}"
        result.people.append(entry)
    _several_teams(result, teams)
    result.teams = [team for team in teams.values() if not team.pop("_existing", False)]
    new_teams = list(teams.values())
    for index, team in enumerate(new_teams):
        for other in new_teams[index + 1 :]:
            if probably_same_team(str(team["name"]), str(other["name"])):
                result.notices.append(
                    Notice(
                        0,
                        f"teams '{team['name']}' ({team['id']}) and '{other['name']}' "
                        f"({other['id']}) are probably the same team: merge them (write one "
                        "name in the sheet, or move the accounts of one to the other)",
                    )
                )
    if reader.value_guesses:
        shown = ", ".join(
            f"'{text}' -> {value}" for (_, text), value in reader.value_guesses.items()
        )
        result.decisions.append(f"values read as: {shown}")
    result.decisions.extend(reader.decisions)
    if result.assumed_employment:
        result.decisions.append(
            f"employment: full_time written for {result.assumed_employment} "
            f"{'person' if result.assumed_employment == 1 else 'people'} (the sheet does not "
            "say; employment is required): correct it where it is wrong"
        )
    _validate(result)
    result.files = _files(result, split, target or Target(Path("."), whole=False))
    return result


def _fill_down(
    columns: Sequence[Column], body: list[tuple[int, list[str]]]
) -> tuple[list[tuple[int, list[str]]], str | None]:
    """A team column written as merged cells (the team in its first row, the rows under it
    blank) has each blank cell read as the team above it, as the sheet's reader sees it.

    It is read so when the first row names a team and most rows below are blank; the report
    says which rows took the team above them."""
    team = next((c for c in columns if c.target == "team"), None)
    rows = [(n, cells) for n, cells in body if not_an_account(columns, cells) is None]
    if team is None or len(rows) < 3:
        return body, None

    def cell(cells: list[str]) -> str:
        return cells[team.index].strip() if team.index < len(cells) else ""

    blank = sum(1 for _, cells in rows if is_blank(cell(cells)))
    if is_blank(cell(rows[0][1])) or blank * 2 < len(rows):
        return body, None
    out: list[tuple[int, list[str]]] = []
    above = ""
    taken: list[int] = []
    skip = {n for n, _ in body} - {n for n, _ in rows}
    for number, cells in body:
        if number in skip:
            out.append((number, cells))
            continue
        if is_blank(cell(cells)):
            cells = list(cells) + [""] * (team.index + 1 - len(cells))
            cells[team.index] = above
            taken.append(number)
        else:
            above = cell(cells)
        out.append((number, cells))
    return out, (
        f"column '{team.name}' is written as merged cells (a team in the first of its rows, the "
        f"rows under it blank): {len(taken)} blank cells read as the team above them (rows "
        f"{_ranges(taken)}); write the team in each row if that is wrong"
    )


def _ranges(numbers: Sequence[int]) -> str:
    """``[2, 3, 4, 7]`` -> ``2-4, 7``."""
    parts: list[str] = []
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:  # type: ignore[operator]
            prev = n
        else:
            parts.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(parts)


_NOT_ACCOUNT_WORDS = {
    "total": "a totals row",
    "totals": "a totals row",
    "grand total": "a totals row",
    "subtotal": "a totals row",
    "sub total": "a totals row",
    "sum": "a totals row",
    "count": "a totals row",
    "average": "a totals row",
    "key": "a key or legend line",
    "legend": "a key or legend line",
    "note": "a note under the table",
    "notes": "a note under the table",
    "nb": "a note under the table",
}


def not_an_account(columns: Sequence[Column], cells: Sequence[str]) -> str | None:
    """What a row is when it is not an account (a totals row, a legend or note line under the
    table), or None when it may be one.

    A row is not an account when no cell names its platform, handle, url or name, and its text
    is in one or two cells only, or starts with a word such as TOTAL, Key or Note."""
    identifying = {"platform", "handle", "url", "name"}
    filled = [
        (column, cells[column.index].strip())
        for column in columns
        if column.index < len(cells) and cells[column.index].strip()
    ]
    if any(column.target in identifying for column, _ in filled):
        return None
    texts = [cell.strip() for cell in cells if cell.strip()]
    if not texts:
        return None
    first = re.sub(r"[^a-z ]+", " ", texts[0].lower()).split()
    for words in (" ".join(first[:2]), " ".join(first[:1])):
        if words in _NOT_ACCOUNT_WORDS:
            return _NOT_ACCOUNT_WORDS[words]
    if len(texts) <= 2:
        return "a line of text outside the table" if len(texts) == 1 else "two cells of text"
    return None


def team_key(name: str) -> str:
    """How team names are compared: ``Children\u2019s Services`` = ``childrens services``, ``Fire &
    Rescue`` = ``Fire and Rescue``, ``Alumni-Netzwerk`` = ``Alumni Netzwerk`` (and, compared
    without spaces by :func:`same_team`, ``E-Commerce`` = ``eCommerce``)."""
    value = re.sub(r"['`\u2018\u2019]", "", unicodedata.normalize("NFKC", name).casefold())
    value = ascii_words(value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"\s*[&+]\s*", " and ", value)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value).split())


def same_team(first: str, second: str) -> bool:
    """Whether two team names are one team written two ways (``E-Commerce``, ``eCommerce``)."""
    return team_key(first).replace(" ", "") == team_key(second).replace(" ", "")


def _shortens(short: str, long: str) -> bool:
    """``comms`` shortens ``communications``: same first letter, its letters in order."""
    if not short or len(short) >= len(long) or short[0] != long[0]:
        return False
    rest = iter(long)
    return all(letter in rest for letter in short)


def _singular(words: list[str]) -> list[str]:
    """``libraries`` -> ``library``, ``services`` -> ``service``: plurals compared as one."""
    out = []
    for word in words:
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def probably_same_team(first: str, second: str) -> bool:
    """Two team names that differ as an abbreviation and its full form do (``Comms`` and
    ``Communications``, ``Parks & Rec`` and ``Parks and Recreation``, ``UB`` and
    ``Universitätsbibliothek``): reported as probably one team, never merged without a person.
    A name inside a longer one (``Planning``, ``Emergency Planning``) is not: it is often a team
    of its own."""
    a, b = team_key(first), team_key(second)
    if same_team(first, second) or not a or not b:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    short_words, long_words = _singular(short.split()), _singular(long.split())
    if len(short_words) == len(long_words) and all(
        x == y or _shortens(x, y) for x, y in zip(short_words, long_words, strict=True)
    ):
        return True
    if set(short_words) <= set(long_words):
        return False  # 'Planning' and 'Emergency Planning' are two teams
    joined_short, joined_long = "".join(short_words), "".join(long_words)
    return len(joined_short) * 10 <= len(joined_long) * 7 and _shortens(joined_short, joined_long)


def _team(
    text: str,
    teams: dict[str, dict[str, Any]],
    known_ids: set[str],
    known_names: dict[str, str],
) -> str:
    name = " ".join(text.split())
    known = known_names.get(name.casefold())
    if known is None:
        known = next((i for n, i in known_names.items() if same_team(n, name)), None)
    if known is not None:
        return known
    if ID_PATTERN.match(name) and name in known_ids:
        return name
    for team in teams.values():
        if same_team(str(team.get("name", "")), name):
            return str(team["id"])
    team_id = slug(ascii_words(name).replace(".", "")) or "team"
    if team_id in teams or team_id in known_ids:
        return team_id  # "Customer Care" and "customer-care" are one team
    teams[team_id] = {"id": team_id, "name": name}
    return team_id


def _several_teams(result: ImportResult, teams: dict[str, dict[str, Any]]) -> None:
    """A team cell naming two of the sheet's teams (``Communications, Police Department``): an
    account has one team, so it takes the one most of its owner's other accounts have (else the
    first), the cell is kept as ``labels.team``, and the report says so."""
    for account in result.accounts:
        combined = teams.get(str(account.get("team")))
        if combined is None or combined.get("_existing"):
            continue
        parts = [p.strip() for p in re.split(r"\s*[,;]\s*|\s+/\s+", str(combined["name"]))]
        found = [
            next((t for t in teams.values() if t is not combined and same_team(t["name"], p)), None)
            for p in parts
        ]
        if len(parts) < 2 or any(t is None for t in found):
            continue
        owned = Counter(
            a.get("team")
            for a in result.accounts
            if a is not account and a.get("owner") and a.get("owner") == account.get("owner")
        )
        chosen = max(found, key=lambda t: owned[t["id"]] if t else -1)
        assert chosen is not None
        account["team"] = chosen["id"]
        account.setdefault("labels", {})["team"] = str(combined["name"])
        why = "the team of its owner's other accounts" if chosen["id"] in owned else "the first"
        result.notices.append(
            Notice(
                result.rows_of[account["id"]],
                f"team '{combined['name']}' names {len(parts)} of the sheet's teams; an account "
                f"has one: read as '{chosen['name']}' ({why}), the cell kept as labels.team",
            )
        )
    used = {a.get("team") for a in result.accounts}
    for team_id in [i for i, t in teams.items() if i not in used and not t.get("_existing")]:
        del teams[team_id]


def _make_id(account: Mapping[str, Any], used: set[str], number: int, result: ImportResult) -> str:
    given = account.get("id")
    if given:
        base = given.strip() if ID_PATTERN.match(given.strip()) else slug(given)
        if base and base not in used:
            return str(base)
        if base:
            result.notices.append(
                Notice(number, f"id '{base}' is already used by an earlier row; made unique")
            )
    handle = account.get("handle")
    platform = account["platform"]
    if handle:
        stem = handle.partition("@")[0] if platform == "mastodon" else handle
        base = slug(f"{stem}-{platform}")
    elif account.get("name"):
        base = slug(f"{account['name']}-{platform}")
    elif account.get("url"):
        tail = re.sub(r"^[a-z]+://", "", str(account["url"]).lower()).split("/", 1)[-1]
        base = slug(f"{tail}-{platform}")
    else:
        base = slug(f"row-{number}-{platform}")
    base = base or slug(f"account-{platform}") or "account"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _duplicates(
    account: dict[str, Any],
    number: int,
    first_of: dict[str, int],
    result: ImportResult,
    teams: Mapping[str, Mapping[str, Any]],
) -> None:
    keys = presence_keys(account["platform"], account.get("handle"), account.get("url"))
    earlier = next((first_of[k] for k in keys if k in first_of), None)
    if earlier is not None:
        first = next(a for a in result.accounts if result.rows_of[a["id"]] == earlier)
        differ = [
            f"{what} '{first.get(key)}' and '{account.get(key)}'"
            for key, what in (("team", "team"), ("owner", "owner"))
            if first.get(key) and account.get(key) and first.get(key) != account.get(key)
        ]
        names = [str(teams.get(str(a.get("team")), {}).get("name", "")) for a in (first, account)]
        alike = ""
        if differ and differ[0].startswith("team") and probably_same_team(*names):
            # 'Comms' and 'Communications': one team written two ways, not two owners
            alike = f" (team '{first['team']}' and '{account['team']}' are probably one team)"
            differ = differ[1:]
        what = f"{label(account['platform'])} " + (
            f"'{account['handle']}'" if account.get("handle") else f"'{account.get('url')}'"
        )
        if differ:
            result.notices.append(
                Notice(
                    number,
                    f"ownership conflict: the same presence ({what}) as row {earlier}, but row "
                    f"{earlier} and row {number} name {' and '.join(differ)}; both imported "
                    f"({first['id']} and {account['id']}): decide who owns it and merge them",
                )
            )
        else:
            result.notices.append(
                Notice(
                    number,
                    f"the same presence ({what}) as row {earlier}{alike}; both imported "
                    f"({first['id']} and {account['id']}): merge them (lint reports SG304 until "
                    "then)",
                )
            )
    for key in keys:
        first_of.setdefault(key, number)


def _ordered(account: Mapping[str, Any]) -> dict[str, Any]:
    return {name: account[name] for name in FIELD_ORDER if name in account}


def _validate(result: ImportResult) -> None:
    """Whatever would still break the schema (an address that is no URL, an email that is no
    email) leaves its field and is kept under labels: an import causes no SG101."""
    from socialgov.schema.validation import validate_entity

    for kind, entities in (("Account", result.accounts), ("Person", result.people)):
        for entity in entities:
            for error in validate_entity(kind, _yaml_ready(entity)):
                if not error.path:
                    continue
                name = str(error.path[0])
                if name in ("id", "platform", "employment"):
                    continue
                value = entity.pop(name, None)
                if value is None:
                    continue
                entity.setdefault("labels", {})[name] = str(value)
                number = result.rows_of.get(str(entity["id"]), 0) if kind == "Account" else 0
                result.notices.append(
                    Notice(
                        number,
                        f"{kind} {entity['id']}: {name} '{value}' is not valid ({error.message}); "
                        f"kept as labels.{name}",
                    )
                )


def _yaml_ready(value: Any) -> Any:
    """The entity as the schema sees it once written and read back (a date is its ISO text)."""
    if isinstance(value, Mapping):
        return {k: _yaml_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _files(
    result: ImportResult, split: str | None, target: Target
) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    files: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for account in result.accounts:
        name = f"{account.get(split) or 'no-team'}.yaml" if split else "accounts.yaml"
        files.setdefault(target.path("accounts", name), ("accounts", []))[1].append(account)
    if result.people:
        files[target.path("people", "people.yaml")] = ("people", result.people)
    if result.teams:
        files[target.path("teams", "teams.yaml")] = ("teams", result.teams)
    return dict(sorted(files.items()))


# ----------------------------------------------------------------------------- writing


HEADERS = {
    "accounts": "Accounts imported from {source} by 'socialgov import csv'.\n"
    "Review them, then add owners, policies, playbooks and objectives.",
    "people": "People named in {source}, written by 'socialgov import csv'.\n"
    "employment is full_time unless the sheet said otherwise: correct it where it is wrong.",
    "teams": "Teams named in {source}, written by 'socialgov import csv'.\n"
    "Add each team's function and lead.",
}


def write(
    result: ImportResult, target: Target, *, force: bool = False, update: bool = False
) -> list[Path]:
    """Write the result's files under the target folder (refusing, writing nothing, when one
    exists unless ``force``; editing them in place with ``update``)."""
    from socialgov.core.files import ABSENT, FileChangedError, write_atomic
    from socialgov.writing.writer import refusal, render_new

    folder = target.folder
    if folder.exists() and not folder.is_dir():
        raise SocialgovError(f"{folder}: is a file; give a folder")
    paths = {folder / name: value for name, value in result.files.items()}
    if update:
        paths = _homes(paths, folder, target)
    existing = [p for p in paths if p.exists()]
    if existing and not force and not update:
        raise SocialgovError(refusal(existing) + "; or re-import into them with --update")
    folder.mkdir(parents=True, exist_ok=True)
    if target.whole and not (folder / "socialgov.yaml").exists():
        config = folder / "socialgov.yaml"
        organisation = re.sub(r"[_-]+", " ", Path(result.source).stem).strip() or "Imported"
        write_atomic(
            config,
            "# Written by 'socialgov import csv'; see docs/importing.md and SPEC section 6.\n"
            f"organisation: {_quoted(organisation)}\n",
            expected=ABSENT,
        )
        result.written.append(config)
    for path, (key, entities) in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if update and path.exists():
            if _update_file(path, key, entities, result):
                result.written.append(path)
            continue
        text = render_new([{key: entities}], header=HEADERS[key].format(source=result.source))
        try:
            write_atomic(path, text, expected=None if force else ABSENT)
        except FileChangedError:
            raise SocialgovError(f"{path}: appeared while importing; not overwritten") from None
        except OSError as exc:
            raise SocialgovError(f"{path}: cannot write: {exc.strerror or exc}") from None
        result.written.append(path)
    return result.written


def _homes(
    paths: dict[Path, tuple[str, list[dict[str, Any]]]], folder: Path, target: Target
) -> dict[Path, tuple[str, list[dict[str, Any]]]]:
    """For ``--update``: each account goes to the file that already holds it (its team may have
    changed since, with ``--split team``), and every accounts file an earlier import wrote is
    looked at, so that accounts no longer in the sheet are reported wherever they are."""
    import yaml

    others = {"people.yaml", "teams.yaml"}
    found = (
        sorted((folder / "accounts").glob("*.yaml"))
        if target.whole
        else sorted(p for p in folder.glob("*.yaml") if p.name not in others)
    )
    home: dict[str, Path] = {}
    for path in found:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # reported when the file itself is opened for the update
        for entry in data.get("accounts") or [] if isinstance(data, dict) else []:
            if not isinstance(entry, dict):
                continue
            keys = presence_keys(entry.get("platform"), entry.get("handle"), entry.get("url"))
            for key in (*keys, f"id:{entry.get('id')}"):
                home.setdefault(key, path)
    routed: dict[Path, tuple[str, list[dict[str, Any]]]] = {
        path: ("accounts", []) for path in found
    }
    for path, (key, entities) in paths.items():
        if key != "accounts":
            routed[path] = (key, entities)
            continue
        routed.setdefault(path, ("accounts", []))
        for entity in entities:
            keys = presence_keys(entity["platform"], entity.get("handle"), entity.get("url"))
            where = next((home[k] for k in (*keys, f"id:{entity['id']}") if k in home), path)
            routed.setdefault(where, ("accounts", []))[1].append(entity)
    return routed


def _quoted(text: str) -> str:
    import json

    return text if re.fullmatch(r"[A-Za-z][A-Za-z0-9 .&()-]*", text) else json.dumps(text)


def _update_file(
    path: Path, key: str, entities: list[dict[str, Any]], result: ImportResult
) -> bool:
    """Edit the entities of one file written by an earlier import to what the sheet says now,
    keeping everything a person added (comments, other fields); add new ones; report both."""
    from socialgov.core.files import FileChangedError
    from socialgov.writing.writer import YamlReadError, plain, read_yaml, set_value

    try:
        yaml_file = read_yaml(path)
    except YamlReadError as exc:
        raise SocialgovError(f"{path}:{exc.line}: {exc}") from None
    collection = None
    for document in yaml_file.documents:
        if isinstance(document, dict) and isinstance(document.get(key), list):
            collection = document[key]
            break
    if collection is None:
        raise SocialgovError(
            f"{path}: has no '{key}:' list to update; import into another folder, or use --force"
        )
    kind = {"accounts": "Account", "people": "Person", "teams": "Team"}[key]
    by_id = {str(e.get("id")): e for e in collection if isinstance(e, dict)}
    by_key: dict[str, Any] = {}
    if key == "accounts":
        for entry in collection:
            if isinstance(entry, dict):
                for presence in presence_keys(
                    entry.get("platform"), entry.get("handle"), entry.get("url")
                ):
                    by_key.setdefault(presence, entry)
    seen: set[int] = set()
    rel = path.name
    for entity in entities:
        match = None
        if key == "accounts":
            for presence in presence_keys(
                entity["platform"], entity.get("handle"), entity.get("url")
            ):
                candidate = by_key.get(presence)
                if candidate is not None and id(candidate) not in seen:
                    match = candidate
                    break
        if match is None:
            candidate = by_id.get(str(entity["id"]))
            if candidate is not None and id(candidate) not in seen:
                match = candidate
        if match is None:
            collection.append(entity)
            result.changes.append(f"{rel}: added {kind} {entity['id']}")
            continue
        seen.add(id(match))
        if key != "accounts":
            continue
        for name, value in entity.items():
            if name == "id":
                continue
            if isinstance(value, dict):
                current = match.get(name)
                if not isinstance(current, dict):
                    set_value(match, name, value, after=FIELD_ORDER)
                    result.changes.append(f"{rel}: {kind} {match['id']}: {name} added")
                    continue
                for sub, sub_value in value.items():
                    if plain(current.get(sub)) != sub_value:
                        old = current.get(sub)
                        set_value(current, sub, sub_value)
                        result.changes.append(
                            f"{rel}: {kind} {match['id']}: {name}.{sub} "
                            f"{_shown(old)} -> {_shown(sub_value)}"
                        )
                continue
            old = match.get(name)
            if plain(old) != value:
                set_value(match, name, value, after=_before(name))
                result.changes.append(
                    f"{rel}: {kind} {match['id']}: {name} {_shown(old)} -> {_shown(value)}"
                )
    if key == "accounts":
        for entry in collection:
            if isinstance(entry, dict) and id(entry) not in seen and entry not in entities:
                result.changes.append(
                    f"{rel}: {kind} {entry.get('id')} is not in the sheet any more; left as it "
                    "is (retire or delete it yourself)"
                )
    try:
        return yaml_file.save()
    except FileChangedError:
        raise SocialgovError(f"{path}: changed while importing; not overwritten") from None


def _before(name: str) -> tuple[str, ...]:
    index = FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)
    return tuple(reversed(FIELD_ORDER[:index]))


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def import_csv(
    path: Path,
    out: Path | None = None,
    mapping: Sequence[str] = (),
    *,
    root: Path | None = None,
    split: str | None = None,
    force: bool = False,
    update: bool = False,
    date_format: str | None = None,
) -> ImportResult:
    """Convert the spreadsheet and write it: what ``socialgov import csv`` does."""
    if (out is None) == (root is None):
        raise SocialgovError("give --root DIR (a whole repository) or --out DIR (accounts only)")
    target = Target(root, whole=True) if root is not None else Target(out, whole=False)  # type: ignore[arg-type]
    repository = root if root is not None and (root / "socialgov.yaml").is_file() else None
    if repository is None and out is not None:
        repository = _repository_of(out.resolve())
    result = convert(
        path,
        parse_mapping(mapping),
        split=split,
        date_format=parse_date_format(date_format),
        target=target,
        repository=repository,
    )
    write(result, target, force=force, update=update)
    return result


def render_result(result: ImportResult) -> tuple[str, str]:
    """(stdout, stderr): the files written; then the column guesses, the decisions, every
    notice by row, the changes of an update, and a summary."""
    out = []
    for path in result.written:
        out.append(f"wrote {path}\n")
    source = one_line(result.source)
    err = []
    shown = []
    for column in result.columns:
        if column.target is None:
            if column.name.strip():
                shown.append(f"'{column.name}' -> ignored")
            continue
        what = column.target
        if what == "handle":
            what = "handle or url (cell by cell)"
        elif what == "url":
            what = "url or handle (cell by cell)"
        elif what in ("owner", "backup_owner"):
            what += " (a person: name, email or both)"
        elif what == "team":
            what += " (a team, by name)"
        shown.append(f"'{column.name}' -> {what}{'' if column.guessed else ' (--map)'}")
    err.append(
        one_line(f"{source}: columns: {'; '.join(shown)}")
        + "\n"
        + f"{source}: change any of them with --map 'COLUMN=FIELD' (or =ignore)\n"
    )
    for decision in result.decisions:
        err.append(f"{source}: {one_line(decision)}\n")
    for notice in sorted(result.notices, key=lambda n: n.row):
        where = f"{source}:{notice.row}" if notice.row else source
        column = f" column '{notice.column}':" if notice.column and notice.row else ""
        err.append(f"{where}:{one_line(column)} {one_line(notice.message)}\n")
    for change in result.changes:
        err.append(f"{source}: {one_line(change)}\n")
    attention = {n.row for n in result.notices if n.attention and n.row}
    summary = (
        f"Imported {len(result.accounts)} account{'s' if len(result.accounts) != 1 else ''} "
        f"from {result.rows} row{'s' if result.rows != 1 else ''}; "
        f"{len(result.people)} new {'person' if len(result.people) == 1 else 'people'}, "
        f"{len(result.teams)} new team{'s' if len(result.teams) != 1 else ''}"
    )
    if attention or any(n.attention for n in result.notices):
        summary += f"; {len(attention)} row{'s' if len(attention) != 1 else ''} need attention"
    if result.conflicts:
        summary += f"; {len(result.conflicts)} ownership conflicts"
    err.append(summary + ".\n")
    return "".join(out), "".join(err)
