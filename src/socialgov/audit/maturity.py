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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
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
from socialgov.findings import Finding, Severity
from socialgov.rules.base import RuleInfo

BLOCKING_PREFIXES = ("SG2", "SG4")

Test = Callable[[ChannelRow], bool]

INDICATORS: tuple[tuple[str, str, Test], ...] = (
    (
        "owned_with_backup",
        "Owned, with a live backup",
        lambda r: r.owner_status in ("ok", "not accountable") and r.backup_status == "ok",
    ),
    (
        "adopting_policies",
        "Adopting their policies",
        lambda r: bool(r.policies) and not r.missing_policies,
    ),
    ("playbook_covered", "Covered by a playbook", lambda r: bool(r.playbooks)),
    ("serving_objective", "Serving an objective", lambda r: bool(r.objectives)),
    ("monitored", "Monitored", lambda r: bool(r.monitoring)),
)


def indicators(
    live_accounts: Sequence[ChannelRow], threshold: Fraction = THRESHOLD
) -> tuple[Indicator, ...]:
    """Each indicator's share of live Accounts, whether it meets ``threshold``, and the gaps."""
    result = []
    for key, label, test in INDICATORS:
        gaps = tuple(r.id for r in live_accounts if not test(r))
        ratio = Ratio(len(live_accounts) - len(gaps), len(live_accounts))
        result.append(Indicator(key, label, ratio, ratio.meets(threshold), gaps))
    return tuple(result)


def blocking_errors(
    findings: Sequence[Finding], rules: Sequence[RuleInfo] = ()
) -> tuple[RuleCount, ...]:
    """Reported error findings of SG2 and SG4 rules, counted by rule, most first."""
    families = {info.code: info.family for info in rules}
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for finding in findings:
        if finding.severity == Severity.ERROR and finding.code.startswith(BLOCKING_PREFIXES):
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


def assess(
    live_accounts: Sequence[ChannelRow],
    findings: Sequence[Finding],
    rules: Sequence[RuleInfo] = (),
    threshold: Fraction = THRESHOLD,
) -> Maturity:
    """The stage, each indicator's value against the threshold, and why, in plain sentences."""
    measured = indicators(live_accounts, threshold)
    blocking = blocking_errors(findings, rules)
    result = stage(len(live_accounts), measured, blocking)
    return Maturity(
        result, threshold, measured, blocking, reasons(result, measured, blocking, threshold)
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
