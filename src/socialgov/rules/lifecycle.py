"""Lifecycle rules SG208-SG213: who can log in, registration and review, retirement and records.

An account is hijacked through whoever still holds a login, not through its owner of record; so
these rules read the ``access`` lists of channels and Tools, the login's address, the review
dates and the archive of records (SPEC section 10). "Live" means any status but retired and
planned. People an ``access`` entry names who do not exist are SG104's business, so these rules
skip them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from socialgov.core.findings import Severity
from socialgov.model import NATIVE_LOGIN, Access, Account, ChannelBase, Entity, Model
from socialgov.rules._common import (
    defaults,
    departed_people,
    departure,
    live_accounts,
    live_channels,
    option,
    plural,
    written,
)
from socialgov.rules.base import CHANNEL_KINDS, Reads, RuleContext, Violation, rule, violation

FAMILY = "lifecycle"


def _way_in(entry: Access) -> str:
    """How an access entry logs in, for messages: " (admin, via hootsuite)"."""
    role = entry.role or "no role"
    if entry.via and entry.via != NATIVE_LOGIN:
        return f" ({role}, via {entry.via})"
    if entry.via == NATIVE_LOGIN:
        return f" ({role}, on the platform's own login)"
    return f" ({role})"


@rule(
    code="SG208",
    name="departed-access",
    severity=Severity.ERROR,
    family=FAMILY,
    summary="A live channel's or a Tool's access lists a departed person",
    rationale=(
        "Accounts are hijacked through whoever still holds a login. When someone leaves, "
        "changing the owner of record is not enough: every login they held, on the platform "
        "and in the publishing and listening tools, must be revoked, or a leaver can still post "
        "in the organisation's name. A person is departed when their status is departed, or "
        "their departed_on is on or before as-of. Every Tool is judged (a tool has no status); "
        "retired and planned channels are not."
    ),
    fix=(
        "Revoke the person's login (on the platform, or in the Tool named by `via`), then "
        "remove their entry from `access`; if they were an admin, make sure enough active "
        "admins remain (SG210)."
    ),
    example_fail="""\
people:
  - id: jdoe
    employment: full_time
    status: departed
    departed_on: 2026-10-31
  - id: asmith
    employment: full_time
accounts:
  - id: acme-x
    platform: x
    owner: asmith
    access:
      - {person: asmith, role: admin, via: native}
      - {person: jdoe, role: admin, via: native}
""",
    example_pass="""\
people:
  - id: asmith
    employment: full_time
accounts:
  - id: acme-x
    platform: x
    owner: asmith
    access:
      - {person: asmith, role: admin, via: native}
""",
    reads=Reads.of(
        {
            CHANNEL_KINDS: ("status", "access"),
            "Tool": ("access",),
            "Person": ("status", "departed_on"),
        }
    ),
)
def departed_access(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """An access entry, on a live channel or a Tool, naming a person who has left."""
    holders: list[Entity] = [*live_channels(model, ctx), *model.tools]
    departed = departed_people(model, ctx)
    for holder in holders:
        entries: Sequence[Access] = getattr(holder, "access", ())
        for entry in entries:
            person = departed.get(entry.person)
            if person is None:
                continue
            if holder.kind == "Tool":
                revoke = f"remove their login to {holder.id}"
            elif entry.via and entry.via != NATIVE_LOGIN:
                revoke = f"revoke their login in {entry.via} and on the platform"
            else:
                revoke = "revoke their login on the platform"
            yield violation(
                holder,
                f"{holder.kind} {holder.id}: access lists {person.id}{_way_in(entry)}, who "
                f"{departure(person, ctx.as_of)}, so a leaver can still log in; {revoke}, then "
                "remove the entry",
                field=("access", entry.index, "person"),
                related=(person,),
                key=f"access/{person.id}",
            )


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def _on_domains(address: str, domains: Sequence[str]) -> bool:
    domain = _domain(address)
    for allowed in domains:
        allowed = allowed.strip().lower().lstrip("@").rstrip(".")
        if domain == allowed or domain.endswith("." + allowed):
            return True
    return False


@rule(
    code="SG209",
    name="personal-login",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live Account's login_email is not on one of the organisation_domains",
    rationale=(
        "A login registered to someone's private or personal address leaves with them: "
        "password resets and security codes go to a mailbox the organisation does not control. "
        "The login must survive its holder, so it belongs on a shared address of the "
        "organisation's own domain. Subdomains of a listed domain count as the organisation's. "
        "Nothing is judged until socialgov.yaml lists `organisation_domains`."
    ),
    fix=(
        "Move the platform login to a shared mailbox on the organisation's domain (for example "
        "social@your-domain) and update `login_email`; if the domain is the organisation's, add "
        "it to `organisation_domains` in socialgov.yaml."
    ),
    example_config="organisation_domains: [acme.example]\n",
    example_fail="""\
accounts:
  - id: acme-x
    platform: x
    login_email: jane.doe.1987@gmail.com
""",
    example_pass="""\
accounts:
  - id: acme-x
    platform: x
    login_email: social@acme.example
""",
    reads=Reads.of({"Account": ("status", "login_email")}, local=True),
)
def personal_login(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account whose login is on an address outside the organisation's domains."""
    domains = [str(d) for d in option(ctx, "organisation_domains") or ()]
    if not domains:
        return
    shown = ", ".join(domains)
    for account in live_accounts(model, ctx):
        address = account.login_email
        if address is None or _on_domains(address, domains):
            continue
        yield violation(
            account,
            f"Account {account.id}'s login is registered to {address}, which is not on the "
            f"organisation's domains ({shown}); move the login to a shared address on one of "
            "them so it survives whoever holds it",
            field=("login_email",),
        )


@rule(
    code="SG210",
    name="too-few-admins",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live Account has fewer than min_admins active people with role admin in access",
    rationale=(
        "With one admin, a holiday, a departure or one hijacked login locks the organisation "
        "out of its own account; university and government registers ask for at least two. "
        "Admins are the distinct people in `access` with role admin who have not departed; the "
        "owner counts only when listed in `access` as an admin (being owner of record is not a "
        "login). Accounts are judged as soon as any live Account of the repository records "
        "`access`: until then nothing is known about logins anywhere, and this rule stays "
        "quiet rather than report every account."
    ),
    fix=(
        "Give a second active person (the backup owner is a natural choice) admin rights on "
        "the platform and list them in `access` with role admin; or lower `options.min_admins`."
    ),
    options=defaults("min_admins"),
    example_fail="""\
people:
  - id: jdoe
    employment: full_time
accounts:
  - id: acme-x
    platform: x
    owner: jdoe
    access:
      - {person: jdoe, role: admin, via: native}
""",
    example_pass="""\
people:
  - id: jdoe
    employment: full_time
  - id: asmith
    employment: full_time
accounts:
  - id: acme-x
    platform: x
    owner: jdoe
    access:
      - {person: jdoe, role: admin, via: native}
      - {person: asmith, role: admin, via: native}
""",
    reads=Reads.of({"Account": ("status", "access"), "Person": ("status", "departed_on")}),
)
def too_few_admins(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account with fewer active admins than min_admins."""
    wanted = int(option(ctx, "min_admins"))
    accounts = live_accounts(model, ctx)
    if not any("access" in account.data for account in accounts):
        return
    # an admin counts when the id names a Person who has not departed: the people by id, and
    # the departed ones derived once for the rules (not each admin's Person found and asked)
    people = model.entities.get("Person", {})
    departed = departed_people(model, ctx)
    for account in accounts:
        admins: list[str] = []
        for entry in account.access:
            person = entry.person
            if entry.role != "admin" or person is None or person in admins:
                continue
            if person in people and person not in departed:
                admins.append(person)
        if len(admins) >= wanted:
            continue
        if "access" not in account.data:
            what = "records no access, so no admin is known"
        elif admins:
            what = f"has {plural(len(admins), 'active admin')} ({', '.join(admins)})"
        else:
            what = "has no active admin in access"
        yield violation(
            account,
            f"Account {account.id} {what}, fewer than min_admins ({wanted}); give "
            f"{'another active person' if admins else 'active people'} admin rights on the "
            "platform and list them in access with role admin",
            field=written(account, "access"),
        )


def last_review(channel: ChannelBase) -> tuple[str, dt.date] | None:
    """The field and date a channel's review is counted from: reviewed_on, else (never
    reviewed) registered_on, else created; None when none is written."""
    if channel.reviewed_on is not None:
        return "reviewed_on", channel.reviewed_on
    if isinstance(channel, Account):
        if channel.registered_on is not None:
            return "registered_on", channel.registered_on
        if channel.created is not None:
            return "created", channel.created
    return None


def review_register(channels: Iterable[ChannelBase]) -> bool:
    """Whether the repository keeps a register: some live channel records ``reviewed_on`` or
    ``registered_on`` (then a channel with only ``created`` is judged from it)."""
    return any(
        channel.reviewed_on is not None or getattr(channel, "registered_on", None) is not None
        for channel in channels
    )


@rule(
    code="SG211",
    name="review-overdue",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live channel's last review is more than review_interval_days before as-of",
    rationale=(
        "Registers of official accounts (the U.S. Digital Registry, universities' account "
        "policies) ask each owner to recertify every account every year: is it still needed, "
        "are the owner, the people with access and the details right. The last review is "
        "`reviewed_on`; a channel never reviewed counts from `registered_on`, else from "
        "`created`. `created` alone counts only once the repository keeps a register (some live "
        "channel records `reviewed_on` or `registered_on`): until then every old account would "
        "be reported at once for a programme that does not exist yet. A channel with no date "
        "is not judged (its age is unknown); the boundary is strict (exactly "
        "review_interval_days days is not yet overdue)."
    ),
    fix=(
        "Have the owner review the channel (still needed? owner, backup, access and details "
        "right?), fix what is wrong, and set `reviewed_on` to the day of the review."
    ),
    options=defaults("review_interval_days"),
    example_fail="""\
accounts:
  - id: acme-x
    platform: x
    registered_on: 2024-05-02
    reviewed_on: 2025-06-30
""",
    example_pass="""\
accounts:
  - id: acme-x
    platform: x
    registered_on: 2024-05-02
    reviewed_on: 2026-06-30
""",
    reads=Reads.of(
        {CHANNEL_KINDS: ("status", "reviewed_on"), "Account": ("registered_on", "created")}
    ),
)
def review_overdue(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live channel not reviewed within review_interval_days."""
    interval = int(option(ctx, "review_interval_days"))
    channels = live_channels(model, ctx)
    register = review_register(channels)
    for channel in channels:
        last = last_review(channel)
        if last is None or (last[0] == "created" and not register):
            continue
        field_name, day = last
        age = (ctx.as_of - day).days
        if age <= interval:
            continue
        if field_name == "reviewed_on":
            when = f"was last reviewed on {day.isoformat()}"
        else:
            label = "registered" if field_name == "registered_on" else "created"
            when = f"has never been reviewed ({label} on {day.isoformat()})"
        yield violation(
            channel,
            f"{channel.kind} {channel.id} {when}, {plural(age, 'day')} before as-of, more "
            f"than review_interval_days ({interval}); have its owner confirm it is still "
            "needed and that owner, access and details are right, then set reviewed_on",
            field=(field_name,),
        )


@rule(
    code="SG212",
    name="retired-without-record",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A retired Account has no retired_on, or no archive when require_archive is true",
    rationale=(
        "A closed presence still matters: its handle can be squatted by an impostor, its posts "
        "may be records the organisation must keep (NARA Bulletin 2014-02 for US federal "
        "agencies, the UK National Archives), and the public directory lists it as closed from "
        "its retired_on. So a retirement records the day it happened and, where records law "
        "applies (`require_archive: true`), where the account's records are archived."
    ),
    fix=(
        "Set `retired_on` to the day the account was closed; with `require_archive`, capture "
        "its records and describe them under `archive` (tool, location, last_capture)."
    ),
    options=defaults("require_archive"),
    example_fail="""\
accounts:
  - id: old-campaign-x
    platform: x
    status: retired
""",
    example_pass="""\
accounts:
  - id: old-campaign-x
    platform: x
    status: retired
    retired_on: 2025-09-30
""",
    reads=Reads.of({"Account": ("status", "retired_on", "archive")}, local=True),
)
def retired_without_record(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A retired Account without its closing date, or without its archive when required."""
    require = bool(option(ctx, "require_archive"))
    for account in model.accounts:
        if account.status != "retired":
            continue
        if account.retired_on is None:
            yield violation(
                account,
                f"Account {account.id} is retired but has no retired_on; set retired_on to the "
                "day it was closed",
                field=("status",),
                key="retired_on",
            )
        if require and account.archive is None:
            yield violation(
                account,
                f"Account {account.id} is retired and records no archive, which require_archive "
                "asks for; capture its records and describe them under archive (tool, "
                "location, last_capture)",
                field=("status",),
                key="archive",
            )


@rule(
    code="SG213",
    name="archive-stale",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="With require_archive, a live Account has no archive, or its last_capture is more "
    "than archive_max_age_days before as-of",
    rationale=(
        "Public bodies bound by records law must keep what their accounts publish; an archive "
        "whose last capture is weeks old has already lost what was posted and deleted since. "
        "Only judged when `options.require_archive` is true; an archive without `last_capture` "
        "is stale (nobody knows when it last captured anything). The boundary is strict."
    ),
    fix=(
        "Capture the account with the archiving tool (or fix the capture that stopped) and set "
        "`archive.last_capture`; describe a missing archive under `archive`."
    ),
    options=defaults("require_archive", "archive_max_age_days"),
    example_config="options:\n  require_archive: true\n",
    example_fail="""\
accounts:
  - id: acme-x
    platform: x
    archive:
      tool: pagefreezer
      last_capture: 2026-08-01
tools:
  - id: pagefreezer
    category: archiving
    security: {mfa: true, audit_log: true}
""",
    example_pass="""\
accounts:
  - id: acme-x
    platform: x
    archive:
      tool: pagefreezer
      last_capture: 2026-11-20
tools:
  - id: pagefreezer
    category: archiving
    security: {mfa: true, audit_log: true}
""",
    reads=Reads.of({"Account": ("status", "archive")}, local=True),
)
def archive_stale(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account, where archives are required, with no archive or an old capture."""
    if not option(ctx, "require_archive"):
        return
    limit = int(option(ctx, "archive_max_age_days"))
    for account in live_accounts(model, ctx):
        archive = account.archive
        if archive is None:
            yield violation(
                account,
                f"Account {account.id} records no archive, which require_archive asks for; "
                "capture its records with an archiving tool and describe them under archive "
                "(tool, location, last_capture)",
                field=written(account, "archive"),
            )
            continue
        last = archive.get("last_capture")
        day = last if isinstance(last, dt.date) else None
        if day is None and isinstance(last, str):
            try:
                day = dt.date.fromisoformat(last)
            except ValueError:
                day = None
        if day is None:
            yield violation(
                account,
                f"Account {account.id}'s archive has no last_capture, so nobody knows when its "
                "records were last captured; capture it and set archive.last_capture",
                field=("archive",),
            )
            continue
        age = (ctx.as_of - day).days
        if age > limit:
            yield violation(
                account,
                f"Account {account.id}'s archive was last captured on {day.isoformat()}, "
                f"{plural(age, 'day')} before as-of, more than archive_max_age_days ({limit}); "
                "capture it again (or fix the capture that stopped) and update last_capture",
                field=("archive", "last_capture"),
            )


SECURED_CATEGORIES = ("publishing", "archiving")
"""Tool categories whose logins can speak for the organisation or hold its records (SG703)."""

_CONTROLS = (
    ("mfa", "multi-factor authentication", "require multi-factor authentication for every login"),
    ("audit_log", "audit log", "turn on its audit log (who posted, who changed access)"),
)


@rule(
    code="SG703",
    name="tool-insecure",
    severity=Severity.WARNING,
    family="security",
    summary="A publishing or archiving Tool has security.mfa not true, or no audit_log",
    rationale=(
        "A publishing tool holds the keys of every account it manages: one login to it posts "
        "everywhere at once, so it needs multi-factor authentication just like the accounts "
        "(the UK NCSC's guidance covers the management tools too), and an audit log that says "
        "who posted and who changed access. An archiving tool holds the records the "
        "organisation must keep. Unrecorded counts as missing; one finding per missing "
        "control."
    ),
    fix=(
        "Turn on multi-factor authentication (or single sign-on that enforces it) and the "
        "audit log in the tool, then record `security.mfa: true` and `security.audit_log: true`."
    ),
    example_fail="""\
tools:
  - id: hootsuite
    category: publishing
    security: {mfa: false, audit_log: true}
""",
    example_pass="""\
tools:
  - id: hootsuite
    category: publishing
    security: {mfa: true, sso: true, audit_log: true}
""",
    reads=Reads.of({"Tool": ("category", "security")}, local=True),
)
def tool_insecure(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A publishing or archiving Tool without MFA or an audit log."""
    for tool in model.tools:
        if tool.category not in SECURED_CATEGORIES:
            continue
        for name, what, action in _CONTROLS:
            value = tool.security.get(name)
            if value is True:
                continue
            state = "is not recorded" if value is None else f"is {value!r}".lower()
            yield violation(
                tool,
                f"Tool {tool.id} ({tool.category}) has no {what}: security.{name} {state}; "
                f"{action} and set security.{name}: true",
                field=written(tool, "security", name),
                key=f"security.{name}",
            )
