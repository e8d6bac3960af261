"""Ownership rules SG202-SG207 and SG214: every live presence has an accountable owner and a backup.

SG201 unowned-channel is written in the rules-as-code language (rules/unowned-channel.yaml).

"Channel" means an Account or a traditional Channel; "live" means any status but retired and
planned. Owners that name no Person are SG104's business, so these rules skip them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from socialgov.core.findings import Severity
from socialgov.domain.units import cycles, parents
from socialgov.model import ChannelBase, Model, Person
from socialgov.rules._common import (
    by_position,
    defaults,
    departed_people,
    departure,
    listing,
    live_channels,
    option,
    plural,
)
from socialgov.rules.base import CHANNEL_KINDS, Reads, RuleContext, Violation, rule, violation

FAMILY = "ownership"

_EMPLOYMENT_WORDS = {"full_time": "full-time", "part_time": "part-time"}


def _people_words(employment: Sequence[str]) -> str:
    """``[full_time]`` -> "full-time person"; ``[full_time, part_time]`` -> "full-time or
    part-time person"."""
    words = [_EMPLOYMENT_WORDS.get(kind, kind) for kind in employment]
    return (" or ".join(words) + " person") if words else "person"


@rule(
    code="SG202",
    name="orphan-account",
    severity=Severity.ERROR,
    family=FAMILY,
    summary="A live channel's owner has departed",
    rationale=(
        "When the owner leaves, the presence keeps talking in the organisation's name with nobody "
        "accountable for it, and often with the login in a former employee's hands. A person is "
        "departed when their status is departed, or their departed_on date is on or before as-of."
    ),
    fix=(
        "Make an active person the owner, move the login to them (security) and revoke the "
        "leaver's access (SG208). If nobody needs the presence any more (it is dormant, or its "
        "purpose left with its owner, as with an office holder's account), retire it instead: "
        "`status: retired`, `retired_on`, and archive its records (`archive`)."
    ),
    example_fail=(
        "people:\n  - id: jdoe\n    employment: full_time\n    status: departed\n"
        "    departed_on: 2026-03-01\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    owner: jdoe\n"
    ),
    example_pass=(
        "people:\n  - id: jdoe\n    employment: full_time\n    departed_on: 2027-03-01\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    owner: jdoe\n"
    ),
    reads=Reads.of({CHANNEL_KINDS: ("status", "owner"), "Person": ("status", "departed_on")}),
)
def orphan_account(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live channel whose owner has departed by as-of."""
    wanted = _people_words(option(ctx, "accountable_employment"))
    departed = departed_people(model, ctx)
    for channel in live_channels(model, ctx):
        owner = departed.get(channel.owner)
        if owner is None:
            continue
        retire = "retire it (status: retired, retired_on) and archive its records"
        if channel.status == "dormant":
            advice = f"it is no longer active, so {retire}, or make an active {wanted} its owner"
        else:
            advice = f"make an active {wanted} its owner, or, if nobody needs it any more, {retire}"
        yield violation(
            channel,
            f"{channel.kind} {channel.id} is owned by {owner.id}, who "
            f"{departure(owner, ctx.as_of)}; {advice}",
            field=("owner",),
            related=(owner,),
        )


@rule(
    code="SG203",
    name="no-backup-owner",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live channel has no backup_owner, or its backup_owner has departed",
    rationale=(
        "Owners go on holiday, fall ill and leave. Without a backup nobody can post, answer or "
        "recover the login in the meantime, and a departure orphans the presence at once. Fires "
        "when backup_owner is missing, or names a person departed by as-of (status departed, "
        "or departed_on on or before as-of)."
    ),
    fix="Set `backup_owner:` to an active person other than the owner.",
    example_fail=(
        "people:\n  - id: jdoe\n    employment: full_time\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    owner: jdoe\n"
    ),
    example_pass=(
        "people:\n  - id: jdoe\n    employment: full_time\n"
        "  - id: asmith\n    employment: part_time\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    owner: jdoe\n    backup_owner: asmith\n"
    ),
    reads=Reads.of(
        {CHANNEL_KINDS: ("status", "owner", "backup_owner"), "Person": ("status", "departed_on")}
    ),
)
def no_backup_owner(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live channel with no backup_owner, or a departed one."""
    departed = departed_people(model, ctx)
    for channel in live_channels(model, ctx):
        if channel.backup_owner is None:
            stand_in = f"for {channel.owner} " if channel.owner else ""
            yield violation(
                channel,
                f"{channel.kind} {channel.id} has no backup_owner; set backup_owner to an active "
                f"person who can stand in {stand_in}when they are away",
            )
            continue
        backup = departed.get(channel.backup_owner)
        if backup is not None:
            yield violation(
                channel,
                f"{channel.kind} {channel.id}'s backup_owner {backup.id} "
                f"{departure(backup, ctx.as_of)}; make an active person its backup_owner",
                field=("backup_owner",),
                related=(backup,),
            )


@rule(
    code="SG204",
    name="backup-same-as-owner",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A channel's backup_owner is its owner",
    rationale=(
        "A backup who is the owner is no backup: when that person is away or leaves, nobody "
        "stands in. Checked whatever the channel's status, since it is always a slip."
    ),
    fix="Set `backup_owner:` to a different, active person.",
    example_fail=(
        "people:\n  - id: jdoe\n    employment: full_time\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    owner: jdoe\n    backup_owner: jdoe\n"
    ),
    example_pass=(
        "people:\n  - id: jdoe\n    employment: full_time\n"
        "  - id: asmith\n    employment: full_time\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    owner: jdoe\n    backup_owner: asmith\n"
    ),
    reads=Reads.of({CHANNEL_KINDS: ("owner", "backup_owner")}),
)
def backup_same_as_owner(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """backup_owner names the same person as owner."""
    for channel in model.all_channels:
        if channel.owner is not None and channel.backup_owner == channel.owner:
            person = model.person(channel.owner)
            yield violation(
                channel,
                f"{channel.kind} {channel.id} has {channel.owner} as both owner and "
                "backup_owner; make another active person its backup_owner",
                field=("backup_owner",),
                related=(person,) if person is not None else (),
            )


@rule(
    code="SG205",
    name="unaccountable-owner",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live channel's owner's employment is not in accountable_employment",
    rationale=(
        "Agencies, contractors, interns and volunteers may run a presence day to day, but the "
        "one accountable for it should be someone the organisation employs for the long term "
        "(by default: full-time staff). Owners who have departed are reported by SG202 instead, "
        "and a person with no employment written is reported by SG101 (it is required)."
    ),
    fix=(
        "Make a person whose employment is accountable the owner; the current owner can keep "
        "running the channel day to day. Or widen `options.accountable_employment`."
    ),
    options=defaults("accountable_employment"),
    example_fail=(
        "people:\n  - id: intern1\n    employment: intern\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    owner: intern1\n"
    ),
    example_pass=(
        "people:\n  - id: jdoe\n    employment: full_time\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    owner: jdoe\n"
    ),
    reads=Reads.of(
        {CHANNEL_KINDS: ("status", "owner"), "Person": ("employment", "status", "departed_on")}
    ),
)
def unaccountable_owner(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live channel owned by someone whose employment cannot be accountable."""
    accountable = list(option(ctx, "accountable_employment"))
    allowed = ", ".join(accountable) or "nothing"
    wanted = _people_words(accountable)
    # Judged once per owner (channels share a few thousand owners): the owner to report, or
    # None (nobody, no employment written, departed, or accountable).
    judged: dict[str | None, Person | None] = {}
    for channel in live_channels(model, ctx):
        owner_id = channel.owner
        if owner_id in judged:
            owner = judged[owner_id]
        else:
            owner = model.person(owner_id)
            if (
                owner is None
                or owner.employment is None
                or owner.departed(ctx.as_of)
                or owner.employment in accountable
            ):
                owner = None
            judged[owner_id] = owner
        if owner is not None:
            yield violation(
                channel,
                f"{channel.kind} {channel.id} is owned by {owner.id}, whose employment is "
                f"{owner.employment}, not one accountable_employment allows ({allowed}); make an "
                f"active {wanted} its owner ({owner.id} can keep running it day to day)",
                field=("owner",),
                related=(owner,),
            )


@rule(
    code="SG206",
    name="team-without-lead",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A Team has no lead, or its lead has departed",
    rationale=(
        "A team's lead answers for the channels the team runs, approves waivers and receives "
        "escalations; a team without one has nobody to pass the ball to."
    ),
    fix="Set `lead:` to an active person.",
    example_fail="teams:\n  - id: care\n    function: service\n",
    example_pass=(
        "people:\n  - id: jdoe\n    employment: full_time\n"
        "teams:\n  - id: care\n    function: service\n    lead: jdoe\n"
    ),
    reads=Reads.of({"Team": ("lead",), "Person": ("status", "departed_on")}),
)
def team_without_lead(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A team with no lead, or a departed one."""
    departed = departed_people(model, ctx)
    for team in model.teams:
        if team.lead is None:
            yield violation(
                team,
                f"Team {team.id} has no lead; set lead to the active person who answers for "
                "the team",
            )
            continue
        lead = departed.get(team.lead)
        if lead is not None:
            yield violation(
                team,
                f"Team {team.id}'s lead {lead.id} {departure(lead, ctx.as_of)}; make an active "
                "person its lead",
                field=("lead",),
                related=(lead,),
            )


@rule(
    code="SG207",
    name="owner-overloaded",
    severity=Severity.INFO,
    family=FAMILY,
    summary="One person owns more than max_channels_per_owner live channels",
    rationale=(
        "Accountability spread over too many presences is accountability in name only: nobody "
        "can watch, answer and improve dozens of channels. Live Accounts and Channels both count."
    ),
    fix=(
        "Hand some channels to other owners, retire the ones nobody needs, or raise "
        "`options.max_channels_per_owner`."
    ),
    options=defaults("max_channels_per_owner"),
    example_fail=(
        "people:\n  - id: jdoe\n    employment: full_time\n"
        "accounts:\n"
        + "".join(f"  - {{id: acme-{i}, platform: other, owner: jdoe}}\n" for i in range(1, 17))
    ),
    example_pass=(
        "people:\n  - id: jdoe\n    employment: full_time\n"
        "accounts:\n"
        + "".join(f"  - {{id: acme-{i}, platform: other, owner: jdoe}}\n" for i in range(1, 16))
        + "  - {id: acme-16, platform: other, owner: jdoe, status: retired}\n"
    ),
    reads=Reads.of({CHANNEL_KINDS: ("status", "owner")}),
)
def owner_overloaded(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A person owning more live channels than max_channels_per_owner."""
    limit = int(option(ctx, "max_channels_per_owner"))
    owned: dict[str, list[ChannelBase]] = defaultdict(list)
    for channel in live_channels(model, ctx):
        if channel.owner is not None:
            owned[channel.owner].append(channel)
    for person_id, channels in owned.items():
        person = model.person(person_id)
        if person is None or len(channels) <= limit:
            continue
        ordered = by_position(channels)
        yield violation(
            person,
            f"{person.id} owns {plural(len(channels), 'live channel')} "
            f"({listing(c.id for c in ordered)}), more than max_channels_per_owner ({limit}); "
            "hand some to other owners or retire the ones nobody needs",
            related=tuple(ordered),
        )


@rule(
    code="SG214",
    name="team-parent-cycle",
    severity=Severity.ERROR,
    family=FAMILY,
    summary="A Team is its own ancestor: following parent leads back to it",
    rationale=(
        "The unit hierarchy (a Team's `parent`) says which department a team belongs to; the "
        "audit rolls each unit's scorecard up to its parents (`socialgov audit --by team`). A "
        "cycle makes every team in it a part of itself, so nobody above them answers for their "
        "presences. One finding per cycle, on the team of the cycle with the smallest id."
    ),
    fix="Set `parent:` of one team of the cycle to the unit it really belongs to, or remove it "
    "if the team is a top unit.",
    example_fail=("teams:\n  - id: care\n    parent: service\n  - id: service\n    parent: care\n"),
    example_pass=("teams:\n  - id: care\n    parent: service\n  - id: service\n"),
    reads=Reads.of({"Team": ("parent",)}),
)
def team_parent_cycle(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """Each cycle of the team hierarchy, once."""
    teams = {t.id: t for t in model.teams}
    for loop in cycles(parents(teams.values())):
        first = teams[loop[0]]
        path = " -> ".join([*loop, loop[0]])
        yield violation(
            first,
            f"Team {first.id} is its own ancestor ({path}); set parent of one of them to the "
            "unit it belongs to, or remove parent from the one that is a top unit",
            field=("parent",),
            related=tuple(teams[t] for t in loop[1:]),
        )
