"""The maturity stage, exactly as SPEC section 8 defines it.

- dormant: no live social Account;
- scattered: live Accounts, but any coverage indicator below 80% or any error finding of a rule
  in SG2 (ownership) or SG4 (policy consistency);
- coordinated: every indicator at 80% or more and no such error.

The five indicators are shares of live Accounts (the population that ``serving an objective`` and
``monitored`` can only mean): owned with a live backup, adopting their policies, covered by a
playbook, serving an objective, monitored. Shares are exact fractions, so 79.9% is below the bar
and 80% is on it. An error finding means a *reported* one: a waived finding was accepted by the
organisation in review, and a severity lowered in socialgov.yaml is no longer an error.

The stage is explained as progress, not a cliff (SPEC section 12):

- the *score* (0-100) is the mean of six shares of live Accounts: the five indicators and the
  share that no SG2/SG4 error finding is about, rounded down. One error on one account of a
  hundred costs one sixth of a point; an organisation with nothing covered scores near 0;
- the *progress* to the next stage (0-100): from scattered to coordinated, the mean of each
  indicator's share of the bar (capped at the bar) and the error-free share, rounded down and
  never 100 while anything blocks; dormant has 0 (no live account yet); coordinated is the top;
- the *steps*: how many more accounts each indicator needs to reach the bar, and the errors to
  fix, largest first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence
from fractions import Fraction

from socialgov.audit.report import (
    THRESHOLD,
    ChannelRow,
    Indicator,
    Maturity,
    Ratio,
    RuleCount,
    Stage,
)
from socialgov.core.findings import Finding, Severity
from socialgov.rules.base import RuleInfo

BLOCKING_PREFIXES = ("SG2", "SG4")

INDICATORS: tuple[tuple[str, str], ...] = (
    ("owned_with_backup", "Owned, with a live backup"),
    ("adopting_policies", "Adopting their policies"),
    ("playbook_covered", "Covered by a playbook"),
    ("serving_objective", "Serving an objective"),
    ("monitored", "Monitored"),
)
"""Each indicator's key and label, in the report's order; what each tests of a live Account's
row is written in :func:`_measured`, the one place that tests it."""


def indicators(
    live_accounts: Sequence[ChannelRow], threshold: Fraction = THRESHOLD
) -> tuple[Indicator, ...]:
    """Each indicator's share of live Accounts, whether it meets ``threshold``, and the gaps."""
    return _measured(live_accounts, threshold, ())[0]


def _measured(
    live_accounts: Sequence[ChannelRow], threshold: Fraction, blocked: Collection[str]
) -> tuple[tuple[Indicator, ...], Ratio]:
    """:func:`indicators`, and the share of ``live_accounts`` whose id is not in ``blocked``
    (the error-free share), from one pass over the rows.

    Every indicator is tested on a row before the next row is read (one pass over the rows,
    not one per indicator): the rows are in the order of their ids, which in a tree written
    as people write it is not the order they lie in memory, and at 100,000 accounts reading
    them five times was most of the maturity's time. The five tests are written out one
    after another (they were five functions, called for each row: about 9 M of the maturity's
    20.6 M instructions on the human-style 5,000-account tree), and the error-free share is
    counted in the same pass: on the human-style 100,000-account tree, in one process, 104
    -> 62 ms before the tests were written out."""
    owned: list[str] = []  # the ids of the rows failing each indicator, in its order
    adopting: list[str] = []
    covered: list[str] = []
    serving: list[str] = []
    monitored: list[str] = []
    free = 0
    for row in live_accounts:
        # owned, with a live backup: an owner here (accountable or not), a backup here
        if row.backup_status != "ok" or row.owner_status not in ("ok", "not accountable"):
            owned.append(row.id)
        # adopting their policies: some policy adopted, none required missing
        if not row.policies or row.missing_policies:
            adopting.append(row.id)
        if not row.playbooks:  # covered by a playbook
            covered.append(row.id)
        if not row.objectives:  # serving an objective
            serving.append(row.id)
        if not row.monitoring:  # monitored
            monitored.append(row.id)
        if row.id not in blocked:
            free += 1
    gaps = (owned, adopting, covered, serving, monitored)
    result = []
    for (key, label), found in zip(INDICATORS, gaps, strict=True):
        ratio = Ratio(len(live_accounts) - len(found), len(live_accounts))
        result.append(Indicator(key, label, ratio, ratio.meets(threshold), tuple(found)))
    return tuple(result), Ratio(free, len(live_accounts))


def blocking_errors(
    findings: Sequence[Finding], rules: Sequence[RuleInfo] = ()
) -> tuple[RuleCount, ...]:
    """Reported error findings of SG2 and SG4 rules, counted by rule, most first."""
    families = {info.code: info.family for info in rules}
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    error = Severity.ERROR  # (an enum's member looked up once: each look-up is a call)
    for finding in findings:
        if finding.severity == error and finding.code.startswith(BLOCKING_PREFIXES):
            counts[finding.code] += 1
            names[finding.code] = finding.name
    return tuple(
        RuleCount(code, names[code], families.get(code, ""), "error", count, 0)
        for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def stage(
    live_accounts: int, measured: Sequence[Indicator], blocking: Sequence[RuleCount]
) -> Stage:
    """dormant, scattered or coordinated (SPEC section 8)."""
    if live_accounts == 0:
        return "dormant"
    if blocking or not all(i.passed for i in measured):
        return "scattered"
    return "coordinated"


def blocked_accounts(findings: Sequence[Finding]) -> set[str]:
    """Ids of the Accounts an SG2 or SG4 error finding is about, as its entity or related."""
    ids: set[str] = set()
    error = Severity.ERROR  # (looked up once, as in blocking_errors)
    for finding in findings:
        if finding.severity == error and finding.code.startswith(BLOCKING_PREFIXES):
            for ref in (finding.entity, *finding.related):
                if ref is not None and ref.kind == "Account":
                    ids.add(ref.id)
    return ids


def score(measured: Sequence[Indicator], error_free: Ratio) -> int:
    """0-100: the mean of the indicators' shares and the error-free share, rounded down."""
    shares = [i.ratio.fraction for i in measured] + [error_free.fraction]
    if any(share is None for share in shares):
        return 0  # no live account: nothing is covered
    return math.floor(sum(shares, Fraction(0)) * 100 / len(shares))  # type: ignore[arg-type]


def progress(
    result: Stage,
    measured: Sequence[Indicator],
    error_free: Ratio,
    blocking: Sequence[RuleCount],
    threshold: Fraction,
) -> int:
    """0-100: how far from this stage to the next (see the module's documentation)."""
    if result == "dormant":
        return 0
    if result == "coordinated":
        return 100
    parts = [
        Fraction(1) if i.ratio.fraction is None else min(i.ratio.fraction / threshold, Fraction(1))
        for i in measured
    ]
    parts.append(error_free.fraction if error_free.fraction is not None else Fraction(1))
    value = math.floor(sum(parts, Fraction(0)) * 100 / len(parts))
    return min(value, 99)  # something still blocks


def steps(
    result: Stage, measured: Sequence[Indicator], blocking: Sequence[RuleCount], threshold: Fraction
) -> tuple[str, ...]:
    """What remains to reach the next stage, largest first."""
    if result == "dormant":
        return ("Register the organisation's first live social account.",)
    bar = f"{float(threshold * 100):g}%"
    needs = []
    for i in measured:
        if i.passed:
            continue
        needed = math.ceil(threshold * i.ratio.whole) - i.ratio.part
        needs.append(
            (
                needed,
                f"{i.label}: {needed} more live account{'s' if needed != 1 else ''} to reach "
                f"{bar} ({i.ratio.part} of {i.ratio.whole} now).",
            )
        )
    needs.sort(key=lambda n: -n[0])
    lines = [text for _, text in needs]
    lines.extend(
        f"Fix {rule.count} error finding{'s' if rule.count != 1 else ''} of {rule.code} "
        f"{rule.name}."
        for rule in blocking
    )
    return tuple(lines)


NEXT: dict[str, Stage | None] = {
    "dormant": "scattered",
    "scattered": "coordinated",
    "coordinated": None,
}


def assess(
    live_accounts: Sequence[ChannelRow],
    findings: Sequence[Finding],
    rules: Sequence[RuleInfo] = (),
    threshold: Fraction = THRESHOLD,
    blocked: Collection[str] | None = None,
) -> Maturity:
    """The stage, each indicator's value against the threshold, why, in plain sentences, the
    score, the progress to the next stage and the steps there.

    ``blocked`` (the ids of Accounts an SG2/SG4 error is about) is computed from ``findings``
    unless given."""
    blocked = blocked_accounts(findings) if blocked is None else blocked
    measured, error_free = _measured(live_accounts, threshold, blocked)
    blocking = blocking_errors(findings, rules)
    result = stage(len(live_accounts), measured, blocking)
    return Maturity(
        result,
        threshold,
        measured,
        blocking,
        reasons(result, measured, blocking, threshold),
        error_free=error_free,
        score=score(measured, error_free),
        next_stage=NEXT[result],
        progress=progress(result, measured, error_free, blocking, threshold),
        steps=steps(result, measured, blocking, threshold),
    )


def reasons(
    result: Stage,
    measured: Sequence[Indicator],
    blocking: Sequence[RuleCount],
    threshold: Fraction,
) -> tuple[str, ...]:
    bar = f"{float(threshold * 100):g}%"
    if result == "dormant":
        return ("There is no live social account: the organisation does not use social media yet.",)
    if result == "coordinated":
        return (
            f"Every coverage indicator is at {bar} or more and there is no error finding of an "
            "SG2 (ownership) or SG4 (policy) rule.",
        )
    lines = [
        f"{i.label}: {i.ratio.part} of {i.ratio.whole} live accounts "
        f"({i.ratio.percent:.1f}%), below the {bar} bar."
        for i in measured
        if not i.passed
    ]
    lines.extend(
        f"{rule.count} error finding{'s' if rule.count != 1 else ''} of {rule.code} {rule.name}."
        for rule in blocking
    )
    return tuple(lines)
