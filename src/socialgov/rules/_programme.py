"""Programme-level findings (SPEC section 9): a missing programme is one finding.

When nothing in the repository has yet what a rule asks for (no Policy exists, no Playbook, no
Objective; no live Account sets backup_owner, monitoring, security or last_activity), the rule
reports once, on socialgov.yaml line 1, with the count of live channels it leaves uncovered and
the first step to take. Per-entity findings start as soon as one entity has the element: then
the gap is a gap of that entity, not of the programme.

Each rule named here is wrapped when the registry collects the built-in rules; the rule itself
stays a plain per-entity check (its own tests and ``socialgov test`` see it unwrapped). A wrapped
rule is never local (whether it reports per entity depends on every other entity).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from socialgov.core.findings import Finding
from socialgov.model import Entity, Model
from socialgov.rules.base import RuleContext, RuleInfo, Violation, violation

PROGRAMME_FILE = "socialgov.yaml"
"""Where a programme finding points (line 1): the repository as a whole."""


@dataclass(frozen=True)
class Programme:
    """What a rule asks for across the repository, and how to start providing it."""

    has: Callable[[Model, RuleContext], bool]
    """Whether any entity has the element (then the rule reports per entity)."""
    missing: str
    """What the repository lacks, as a sentence's subject ("No Policy exists yet")."""
    step: str
    """The first step to take."""
    existence: bool = False
    """The element is an entity existing (a Policy), which only adding or removing entities
    changes, never an edit of fields."""


def _live_accounts(model: Model) -> Iterator[object]:
    return (a for a in model.accounts if a.live)


def _any_live_channel(field: str) -> Callable[[Model, RuleContext], bool]:
    def has(model: Model, ctx: RuleContext) -> bool:
        return any(getattr(c, field, None) for c in model.all_channels if c.live)

    return has


def _any_live_account(test: Callable[[object], bool]) -> Callable[[Model, RuleContext], bool]:
    def has(model: Model, ctx: RuleContext) -> bool:
        return any(test(a) for a in _live_accounts(model))

    return has


def _security(key: str) -> Callable[[object], bool]:
    def written(account: object) -> bool:
        security = getattr(account, "security", None) or {}
        value = security.get(key) if hasattr(security, "get") else None
        return value is not None and value != ""

    return written


PROGRAMMES: dict[str, Programme] = {
    "SG201": Programme(
        _any_live_channel("owner"),
        "No live channel in the repository names an owner yet",
        "record the one accountable person of each presence (an owner column in the "
        "spreadsheet you import, or owner: on each channel), starting with the most visible",
    ),
    "SG203": Programme(
        _any_live_channel("backup_owner"),
        "No live channel in the repository names a backup_owner yet",
        "agree a backup for each owner and record it as backup_owner, starting with the "
        "channels that answer customers",
    ),
    "SG206": Programme(
        lambda model, ctx: any(team.lead for team in model.teams),
        "No Team in the repository names a lead yet",
        "set lead on each team to the person who answers for it",
    ),
    "SG303": Programme(
        _any_live_account(lambda a: getattr(a, "last_activity", None) is not None),
        "No live Account in the repository records last_activity yet",
        "record the date of each presence's last post or moderation as last_activity (a "
        "last-post column in the spreadsheet you import), so that dormant presences show",
    ),
    "SG406": Programme(
        lambda model, ctx: any(True for _ in model.policies),
        "No Policy exists in the repository yet",
        "write the social media policy every account follows ('socialgov init' has a starter "
        "policy in policies/) and list it in each account's policies",
        existence=True,
    ),
    "SG501": Programme(
        lambda model, ctx: any(True for _ in model.playbooks),
        "No Playbook exists in the repository yet",
        "write a playbook for how customer questions, complaints and sales leads are passed on "
        "('socialgov init' has a starter playbook)",
        existence=True,
    ),
    "SG505": Programme(
        lambda model, ctx: any(True for _ in model.playbooks),
        "No Playbook exists in the repository yet, so no account has a crisis path",
        "write a crisis playbook with a handoff to the PR team ('socialgov init' has a "
        "starter playbook) and let it apply to every account",
        existence=True,
    ),
    "SG601": Programme(
        lambda model, ctx: any(True for _ in model.objectives),
        "No Objective exists in the repository yet",
        "write the objectives the presences serve, each with a kpi, and list them in each "
        "account's objectives",
        existence=True,
    ),
    "SG604": Programme(
        _any_live_account(lambda a: bool(getattr(a, "monitoring", ()))),
        "No live Account in the repository lists its monitoring yet",
        "record the listening or monitoring tool that covers each presence under monitoring",
    ),
    "SG701": Programme(
        _any_live_account(_security("mfa")),
        "No live Account in the repository records security.mfa yet",
        "check multi-factor authentication on each presence's login and record it as security.mfa",
    ),
    "SG702": Programme(
        _any_live_account(_security("credential_custodian")),
        "No live Account in the repository records security.credential_custodian yet",
        "record who holds each presence's login (a person, a team or a vault) as "
        "security.credential_custodian",
    ),
}
"""The rules that report a missing programme once, by code."""


_PER_ENTITY: dict[str, RuleInfo] = {}
"""Each wrapped rule as it was, by code: what it reports while the programme exists."""


def per_entity(
    info: RuleInfo, found: Iterable[Finding], models: Iterable[Model], ctx: RuleContext
) -> RuleInfo | None:
    """The rule as it reports per entity, when a change to some files cannot turn its
    programme finding on or off, so that those files alone can be checked again; else None.

    That is so when the last run reported per entity (no programme finding) and the element
    is an entity's existence (only adding or removing entities changes it, which is never an
    incremental run), or some changed file still has the element."""
    original = _PER_ENTITY.get(info.code)
    programme = PROGRAMMES.get(info.code)
    if original is None or programme is None or not original.reads.local:
        return None
    if any(f.code == info.code and f.entity is None for f in found):
        return None
    if programme.existence or any(programme.has(model, ctx) for model in models):
        return original
    return None


def _waives(entity: Entity, info: RuleInfo, ctx: RuleContext) -> bool:
    """Whether ``entity`` carries a current waiver of the rule (as the waivers step reads it)."""
    from socialgov.core.kinds import waiver_applies_at_all

    names = (info.code.lower(), info.name.lower())
    return any(
        waiver_applies_at_all(w, ctx.as_of) and w.rule.strip().lower() in names
        for w in entity.waivers
    )


def programme_rule(info: RuleInfo) -> RuleInfo:
    """``info`` reporting once for the whole repository while nothing has what it asks for."""
    programme = PROGRAMMES.get(info.code)
    if programme is None or info.check is None:
        return info
    check = info.check
    _PER_ENTITY[info.code] = info

    def wrapped(model: Model, ctx: RuleContext) -> Iterator[Violation]:
        violations = list(check(model, ctx))
        if not violations or programme.has(model, ctx):
            yield from violations
            return
        # An entity that waives the rule keeps its own finding, for its waiver to suppress.
        waived = [v for v in violations if v.entity is not None and _waives(v.entity, info, ctx)]
        yield from waived
        violations = [v for v in violations if v not in waived]
        if not violations:
            return
        uncovered = len({(v.entity.kind, v.entity.id) for v in violations if v.entity})
        kinds = {v.entity.kind for v in violations if v.entity}
        noun = "live Account" if kinds <= {"Account"} else "live channel"
        if kinds == {"Team"}:
            noun = "Team"
        plural = "" if uncovered == 1 else "s"
        yield violation(
            None,
            f"{programme.missing}, which leaves {uncovered} {noun}{plural} uncovered; first "
            f"step: {programme.step} ({info.code} reports each {noun} on its own once one has "
            "it)",
            key="programme",
        )

    note = (
        f" While nothing in the repository has what this rule asks for "
        f"({programme.missing[0].lower()}{programme.missing[1:]}), it reports once, on "
        f"{PROGRAMME_FILE} line 1, with the count it leaves uncovered and the first step; it "
        "reports each entity as soon as one has it (SPEC section 9)."
    )
    reads = info.reads
    fields = {kind: frozenset({*names, "waivers"}) for kind, names in reads.fields.items()}
    return dataclasses.replace(
        info,
        check=wrapped,
        rationale=info.rationale + note,
        reads=dataclasses.replace(reads, fields=fields, local=False),
    )
