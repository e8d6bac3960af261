"""``audit --by team``: a scorecard per unit, rolled up the Team hierarchy, worst first.

A unit is a Team with every team below it (``parent``, socialgov.domain.units). Its scorecard is the
organisation's, computed over the unit's live Accounts only: the five indicators, the share no
SG2/SG4 error finding is about, the score (0-100) and the stage. Findings on the unit's channels
are counted beside them. Live Accounts with no team, or a team that is not a Team, make one
unit of their own, so every account is counted once at the top.

Units are ranked worst first: those with live Accounts by score (lowest first), then by size
(largest first), then by name; units without a live Account (nothing to judge) come last.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence

from socialgov.audit.extras import Unit, Units, UnitScore
from socialgov.audit.maturity import assess
from socialgov.audit.report import ChannelRow, Ref, Stage
from socialgov.core.findings import Finding, Severity
from socialgov.domain.units import ancestors, parents
from socialgov.model import Model

NO_TEAM = "(no team)"


def units(
    model: Model,
    rows: Sequence[ChannelRow],
    findings: Sequence[Finding],
    blocked: Collection[str],
    depth: int | None = None,
) -> Units:
    """The scorecard of every unit down to ``depth`` (1: top units only; None: all)."""
    teams = {t.id: t for t in model.teams}
    parent_of = {k: v for k, v in parents(teams.values()).items() if v in teams}
    chains = {team: ancestors(team, parent_of) for team in teams}
    members: dict[str | None, list[ChannelRow]] = defaultdict(list)
    own: Counter[str | None] = Counter()
    counts: dict[str | None, Counter[Severity]] = defaultdict(Counter)
    reported: dict[tuple[str, str], Counter[Severity]] = defaultdict(Counter)
    for finding in findings:
        if finding.entity is not None:
            reported[(finding.entity.kind, finding.entity.id)][finding.severity] += 1
    for row in rows:
        chain: list[str | None] = list(chains[row.team]) if row.team in teams else [None]
        if row.social and row.live:
            own[chain[0]] += 1
        for unit in chain:
            if row.social and row.live:
                members[unit].append(row)
            counts[unit].update(reported.get((row.kind, row.id), Counter()))
    result = []
    keys: list[str | None] = [t for t in teams if depth is None or len(chains[t]) <= depth]
    if members.get(None) or counts.get(None):
        keys.append(None)
    for key in keys:
        accounts = members.get(key, [])
        maturity = assess(accounts, (), blocked=blocked)  # its errors: ``blocked``, below
        team = teams.get(key) if key is not None else None
        lead = model.person(team.lead) if team is not None and team.lead else None
        tally = counts.get(key, Counter())
        result.append(
            Unit(
                id=key,
                name=(team.name or team.id) if team is not None else NO_TEAM,
                parent=parent_of.get(key) if key is not None else None,
                depth=len(chains[key]) if key is not None else 1,
                path=tuple(reversed(chains[key][1:])) if key is not None else (),
                lead=Ref("Person", lead.id, lead.name) if lead is not None else None,
                own_accounts=own.get(key, 0),
                live_accounts=len(accounts),
                stage=_stage(maturity.stage, accounts, blocked),
                score=maturity.score,
                indicators=tuple(
                    UnitScore(i.key, i.label, i.ratio, i.passed) for i in maturity.indicators
                ),
                blocked=sum(1 for r in accounts if r.id in blocked),
                errors=tally[Severity.ERROR],
                warnings=tally[Severity.WARNING],
                infos=tally[Severity.INFO],
            )
        )
    result.sort(key=lambda u: (u.live_accounts == 0, u.score, -u.live_accounts, u.name.lower()))
    return Units(depth, tuple(result), len(teams))


def _stage(stage: Stage, accounts: Sequence[ChannelRow], blocked: Collection[str]) -> Stage:
    """The unit's stage: an SG2/SG4 error about one of its live Accounts keeps it scattered."""
    if stage == "coordinated" and any(r.id in blocked for r in accounts):
        return "scattered"
    return stage
