"""Measurement rules SG601-SG604, each on an entity that fires and on its near misses."""

from __future__ import annotations

from conftest import MakeRepo, found, run_lint
from socialgov.core.findings import EntityRef, Severity

CONFIG = """\
strategy:
  - id: retain-customers
    statement: Keep churn below 5%
"""

OBJECTIVES = """\
objectives:
  - id: answers
    statement: Answer within an hour
    strategy: retain-customers
    kpis:
      - {name: median first response (minutes), target: 60}
"""


def account(account_id: str) -> EntityRef:
    return EntityRef("Account", account_id)


# --------------------------------------------------------------------------- SG601


def test_no_objective_fires_on_live_accounts(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "objectives.yaml": OBJECTIVES,
            "accounts.yaml": """\
            accounts:
              - id: missing
                platform: x
              - id: empty
                platform: x
                objectives: []
              - {id: dormant, platform: x, status: dormant}
              - {id: served, platform: x, objectives: [answers]}
              - {id: old, platform: x, status: retired}
              - {id: soon, platform: x, status: planned}
            """,
            "channels.yaml": "channels:\n  - {id: phone, type: phone}\n",
        },
        config=CONFIG,
    )
    findings = found(run_lint(root), "SG601")
    assert [(f.entity, f.line, f.column) for f in findings] == [
        (account("missing"), 2, 5),
        (account("empty"), 6, 17),
        (account("dormant"), 7, 5),
    ]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message == (
        "Account missing serves no objective; list the Objectives it serves under objectives, "
        "or retire it if it serves none"
    )
    assert findings[0].fingerprint != findings[1].fingerprint


# --------------------------------------------------------------------------- SG602


def test_objective_without_kpi(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "objectives.yaml": OBJECTIVES
            + """\
  - id: no-kpis
    statement: Be loved
    strategy: retain-customers
  - id: half-kpis
    statement: Be loved
    strategy: retain-customers
    kpis:
      - {name: net promoter score}
      - {target: 40}
  - id: zero-target
    statement: Fewer complaints
    strategy: retain-customers
    kpis:
      - {name: open complaints, target: 0}
"""
        },
        config=CONFIG,
    )
    findings = found(run_lint(root), "SG602")
    assert [(f.entity, f.line, f.column) for f in findings] == [
        (EntityRef("Objective", "no-kpis"), 7, 5),
        (EntityRef("Objective", "half-kpis"), 14, 7),
    ]
    assert findings[0].message == (
        "Objective no-kpis cannot be measured: it has no kpis; add a kpi with a name and a target"
    )
    assert findings[1].message == (
        "Objective half-kpis cannot be measured: no kpi has both a name and a target; add a kpi "
        "with a name and a target"
    )


# --------------------------------------------------------------------------- SG603


def test_objective_without_strategy(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "objectives.yaml": OBJECTIVES
            + """\
  - id: adrift
    statement: Be loved
    kpis: [{name: nps, target: 40}]
  - {id: unknown-goal, statement: Be loved, strategy: world-peace, kpis: [{name: nps, target: 1}]}
"""
        },
        config=CONFIG,
    )
    result = run_lint(root)
    [finding] = found(result, "SG603")
    assert finding.severity is Severity.WARNING
    assert (finding.entity, finding.line, finding.column) == (
        EntityRef("Objective", "adrift"),
        7,
        5,
    )
    assert finding.message == (
        "Objective adrift names no strategy; set strategy to the company strategy goal it "
        "serves (retain-customers)"
    )
    assert [f.entity for f in found(result, "SG104")] == [EntityRef("Objective", "unknown-goal")]


def test_objective_without_strategy_when_no_goals_are_defined(make_repo: MakeRepo) -> None:
    root = make_repo({"objectives.yaml": "objectives:\n  - {id: adrift, statement: Be loved}\n"})
    [finding] = found(run_lint(root), "SG603")
    assert finding.message.endswith("(socialgov.yaml lists none yet: add them under strategy)")


# --------------------------------------------------------------------------- SG604


def test_unmonitored_account(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - id: unwatched
                platform: x
              - {id: empty, platform: x, monitoring: []}
              - {id: watched, platform: x, monitoring: [brandwatch]}
              - {id: old, platform: x, status: retired}
              - {id: soon, platform: x, status: planned}
            """,
            "channels.yaml": "channels:\n  - {id: phone, type: phone}\n",
        }
    )
    findings = found(run_lint(root), "SG604")
    assert [(f.entity, f.line, f.column) for f in findings] == [
        (account("unwatched"), 2, 5),
        (account("empty"), 4, 42),
    ]
    assert findings[0].message == (
        "Account unwatched has no monitoring; list the listening or monitoring tools that cover "
        "it under monitoring"
    )
