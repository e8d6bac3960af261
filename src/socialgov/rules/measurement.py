"""Measurement rules SG601-SG604: every presence serves a measured objective and is watched."""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.findings import Severity
from socialgov.model import Model
from socialgov.rules._common import live_accounts, written
from socialgov.rules.base import RuleContext, Violation, rule

FAMILY = "measurement"


@rule(
    code="SG601",
    name="no-objective",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live Account has no objective",
    rationale=(
        "A presence that serves no objective cannot be shown to serve the company strategy, so "
        "nobody can say whether it is worth its cost. Connect each to an Objective. An empty "
        "list counts as none."
    ),
    fix="List the Objectives the account serves under `objectives:`, or retire the account.",
    example_fail="accounts:\n  - id: acme-x\n    platform: x\n    objectives: []\n",
    example_pass=(
        "objectives:\n  - id: faster-answers\n    statement: Answer customers within an hour\n"
        "accounts:\n  - id: acme-x\n    platform: x\n    objectives: [faster-answers]\n"
    ),
)
def no_objective(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account listing no objective."""
    for account in live_accounts(model):
        if not account.objectives:
            yield Violation(
                account,
                f"Account {account.id} serves no objective; list the Objectives it serves under "
                "objectives, or retire it if it serves none",
                field=written(account, "objectives"),
                key="objectives",
            )


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
)
def objective_without_kpi(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """An Objective without a measurable kpi."""
    for objective in model.objectives:
        if any(kpi.name and kpi.name.strip() and kpi.target is not None for kpi in objective.kpis):
            continue
        incomplete = bool(objective.kpis)
        what = "no kpi has both a name and a target" if incomplete else "it has no kpis"
        yield Violation(
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
)
def objective_without_strategy(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """An Objective that serves no strategy goal."""
    goals = ", ".join(model.strategy)
    hint = f" ({goals})" if goals else " (socialgov.yaml lists none yet: add them under strategy)"
    for objective in model.objectives:
        if objective.strategy is None:
            yield Violation(
                objective,
                f"Objective {objective.id} names no strategy; set strategy to the company "
                f"strategy goal it serves{hint}",
            )


@rule(
    code="SG604",
    name="unmonitored-account",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live Account has no monitoring",
    rationale=(
        "Mentions, complaints and crises happen whether or not anyone is listening; a presence "
        "no listening or monitoring tool covers is one where they go unseen. An empty list "
        "counts as none."
    ),
    fix="List the listening or monitoring tools that cover the account under `monitoring:`.",
    example_fail="accounts:\n  - id: acme-x\n    platform: x\n",
    example_pass="accounts:\n  - id: acme-x\n    platform: x\n    monitoring: [brandwatch]\n",
)
def unmonitored_account(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account no monitoring tool covers."""
    for account in live_accounts(model):
        if not account.monitoring:
            yield Violation(
                account,
                f"Account {account.id} has no monitoring; list the listening or monitoring "
                "tools that cover it under monitoring",
                field=written(account, "monitoring"),
                key="monitoring",
            )
