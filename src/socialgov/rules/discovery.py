"""Discovery rules: presences seen on the web or in a feed (Sighting entities) that claim to be
the organisation. SG310 holds up every unreviewed sighting that is not a registered Account;
SG311 every impostor not yet reported to its platform.

What makes a sighting the same presence as an Account is socialgov.domain.sightings' (the platform
catalogue's keys, as SG304 compares Accounts); this module only turns it into findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from socialgov.core.findings import Severity
from socialgov.domain.platforms import label
from socialgov.domain.sightings import PresenceIndex, presence_keys
from socialgov.model import Account, Model, Sighting
from socialgov.rules.base import Reads, RuleContext, Violation, rule, violation

FAMILY = "discovery"


@cache
def _reported() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What says a note was reported, and what says it was not; compiled when a sighting's note
    is first read (about 3 M instructions, at the import of every lint before)."""
    return re.compile(r"\breported\b", re.IGNORECASE), re.compile(
        r"\b(?:not|never|n't|yet to be|to be|will be|should be|must be|unreported)\b"
        r"(?:\s+(?:yet|been|be|been\s+yet))*\s+reported\b|\bunreported\b",
        re.IGNORECASE,
    )


def was_reported(note: str | None) -> bool:
    """Whether a sighting's note says it was reported ("Reported to X on 2026-11-20"), and not
    that it was not, or is still to be ("not yet reported", "to be reported")."""
    if not note:
        return False
    reported, not_reported = _reported()
    if not reported.search(note):
        return False
    return not_reported.search(note) is None


def _account_index(model: Model) -> PresenceIndex[Account]:
    return PresenceIndex(
        (account, presence_keys(account.platform, account.handle, account.url))
        for account in model.accounts
    )


def unregistered_sightings(model: Model) -> Iterator[Sighting]:
    """The unreviewed sightings that are the same presence as no Account (SG310), in model
    order; shared with the audit."""
    index: PresenceIndex[Account] | None = None
    for sighting in model.sightings:
        if sighting.disposition != "unreviewed":
            continue
        if index is None:
            index = _account_index(model)
        keys = presence_keys(sighting.platform, sighting.handle, sighting.url)
        if keys and index.find(keys) is None:
            yield sighting


def open_impostors(model: Model) -> Iterator[Sighting]:
    """The impostors whose note does not say they were reported (SG311); shared with the
    audit."""
    for sighting in model.sightings:
        if sighting.disposition == "impostor" and not was_reported(sighting.note):
            yield sighting


def sighting_label(sighting: Sighting) -> str:
    """How a sighting is named in messages: its URL, else platform and handle."""
    if sighting.url:
        return sighting.url
    return f"{label(sighting.platform or 'other')} handle '{sighting.handle}'"


@rule(
    code="SG310",
    name="unregistered-presence",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="An unreviewed Sighting matches no Account: a presence claims to be us but is not "
    "registered",
    rationale=(
        "Departments link their own accounts from their own pages, and fans, former staff and "
        "impostors open accounts in the organisation's name; a presence nobody registered has "
        "no owner, no policy and no one watching it, and the public cannot tell it from an "
        "official one. A sighting matches an Account when they are the same presence: the same "
        "platform and handle (ignoring case and a leading @), or the same profile URL after "
        "normalisation (http/https, www., a trailing slash, letter case, twitter.com for "
        "x.com), as SG304 compares Accounts; a profile URL also stands for the handle it names. "
        "Accounts of every status count. Only sightings whose disposition is unreviewed (the "
        "default) are judged: a person who set another disposition has decided."
    ),
    fix=(
        "Decide what the presence is: register it as an Account (and set disposition: official "
        "with account: ID), or set disposition to unofficial, impostor or ignored."
    ),
    example_fail=(
        "accounts:\n  - {id: acme-x, platform: x, handle: acme}\n"
        "sightings:\n"
        "  - id: x-acme-deals\n    platform: x\n    url: https://x.com/acme_deals\n"
        "    seen_at: https://www.acme.example/offers\n"
    ),
    example_pass=(
        "accounts:\n  - {id: acme-x, platform: x, handle: acme}\n"
        "sightings:\n"
        "  - id: x-acme\n    platform: x\n    url: https://twitter.com/Acme/\n"
        "    seen_at: https://www.acme.example/contact\n"
        "  - id: x-acme-deals\n    platform: x\n    url: https://x.com/acme_deals\n"
        "    disposition: unofficial\n    note: A reseller's page; tolerated\n"
    ),
    reads=Reads.of(
        {
            "Sighting": ("platform", "handle", "url", "disposition", "seen_at"),
            "Account": ("platform", "handle", "url"),
        }
    ),
)
def unregistered_presence(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """An unreviewed sighting that is no registered Account."""
    for sighting in unregistered_sightings(model):
        where = f" (seen on {sighting.seen_at})" if sighting.seen_at else ""
        yield violation(
            sighting,
            f"Sighting {sighting.id}: {sighting_label(sighting)}{where} is not a registered "
            "Account; register it, or set disposition to unofficial, impostor or ignored",
            field=("disposition",),
        )


@rule(
    code="SG311",
    name="impostor-open",
    severity=Severity.ERROR,
    family=FAMILY,
    summary="A Sighting marked impostor has no note saying it was reported to the platform",
    rationale=(
        "An impostor account misleads customers in the organisation's name (support scams, "
        "fake offers) until the platform takes it down, and platforms act only on a report. "
        "The impostor stays open until its note says it was reported (the word 'reported', as "
        "in 'Reported to X on 2026-11-20, case 4471'; 'not yet reported' or 'to be reported' "
        "do not count). The SPEC also asks that last_seen be on or after first_seen; that holds "
        "for every sighting discover writes, and a sighting whose dates are missing or "
        "swapped is still judged, so a typo never hides an impostor."
    ),
    fix="Report the presence to the platform, then record it in note (when, where, case number).",
    example_fail=(
        "sightings:\n"
        "  - id: x-acme-help\n    platform: x\n    url: https://x.com/acme_help\n"
        "    first_seen: 2026-11-02\n    last_seen: 2026-12-01\n    disposition: impostor\n"
        "    note: not yet reported\n"
    ),
    example_pass=(
        "sightings:\n"
        "  - id: x-acme-help\n    platform: x\n    url: https://x.com/acme_help\n"
        "    first_seen: 2026-11-02\n    last_seen: 2026-12-01\n    disposition: impostor\n"
        "    note: Reported to X on 2026-11-20, case 4471\n"
    ),
    reads=Reads.of({"Sighting": ("disposition", "note", "url", "platform", "handle")}, local=True),
)
def impostor_open(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """An impostor nobody has reported yet."""
    for sighting in open_impostors(model):
        written = sighting.note is not None
        yield violation(
            sighting,
            f"Sighting {sighting.id}: {sighting_label(sighting)} is an impostor and "
            + ("its note does not say it was reported" if written else "has no note")
            + "; report it to the platform and write in note when and how it was reported",
            field=("note",),
        )
