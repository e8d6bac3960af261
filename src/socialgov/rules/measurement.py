"""Measurement rules SG602-SG603: every objective is measured and serves the strategy.

SG601 no-objective and SG604 unmonitored-account are written in the rules-as-code language
(rules/no-objective.yaml, rules/unmonitored-account.yaml).
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.core.findings import Severity
from socialgov.model import Model
from socialgov.rules._common import written
from socialgov.rules.base import Reads, RuleContext, Violation, rule, violation

FAMILY = "measurement"


@rule(
    code="SG602",
    name="objective-without-kpi",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="An Objective has no kpi with both name and target",
    rationale=(
        "An objective nobody measures cannot be met or missed: success stays a matter of "
        "opinion. At least one kpi needs a name and a target (a target of 0 counts)."
    ),
    fix="Add a kpi with a `name` and a `target` under `kpis:`.",
    example_fail=(
        "objectives:\n  - id: faster-answers\n    statement: Answer customers within an hour\n"
        "    kpis:\n      - name: median first response (minutes)\n"
    ),
    example_pass=(
        "objectives:\n  - id: faster-answers\n    statement: Answer customers within an hour\n"
        "    kpis:\n      - name: median first response (minutes)\n        target: 60\n"
    ),
    reads=Reads.of({"Objective": ("kpis",)}, local=True),
)
def objective_without_kpi(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """An Objective without a measurable kpi."""
    for objective in model.objectives:
        if any(kpi.name and kpi.name.strip() and kpi.target is not None for kpi in objective.kpis):
            continue
        incomplete = bool(objective.kpis)
        what = "no kpi has both a name and a target" if incomplete else "it has no kpis"
        yield violation(
            objective,
            f"Objective {objective.id} cannot be measured: {what}; add a kpi with a name and a "
            "target",
            field=written(objective, "kpis"),
            key="kpis",
        )


@rule(
    code="SG603",
    name="objective-without-strategy",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="An Objective has no strategy",
    rationale=(
        "Objectives exist to serve the company strategy; one that names no strategy goal may "
        "serve nothing the organisation has agreed on. (A strategy id that socialgov.yaml does "
        "not list is SG104.)"
    ),
    fix="Set `strategy:` to the id of a goal under `strategy:` in socialgov.yaml.",
    example_fail=(
        "objectives:\n  - id: faster-answers\n    statement: Answer customers within an hour\n"
    ),
    example_pass=(
        "objectives:\n  - id: faster-answers\n    statement: Answer customers within an hour\n"
        "    strategy: retain-customers\n"
    ),
    reads=Reads.of({"Objective": ("strategy",)}, local=True),
)
def objective_without_strategy(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """An Objective that serves no strategy goal."""
    goals = ", ".join(model.strategy)
    hint = f" ({goals})" if goals else " (socialgov.yaml lists none yet: add them under strategy)"
    for objective in model.objectives:
        if objective.strategy is None:
            yield violation(
                objective,
                f"Objective {objective.id} names no strategy; set strategy to the company "
                f"strategy goal it serves{hint}",
            )
