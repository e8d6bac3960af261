"""``audit --by team``: scorecards per unit rolled up a three-level hierarchy, hand-computed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MakeRepo
from socialgov.cli import main

GOOD = (
    "owner: jdoe, backup_owner: asmith, policies: [p], playbooks: [pb], objectives: [o1], "
    "monitoring: [listening]"
)

FILES = {
    "people.yaml": """\
        people:
          - {id: jdoe, name: Jo Doe, employment: full_time}
          - {id: asmith, name: Al Smith, employment: full_time}
    """,
    "teams.yaml": """\
        teams:
          - {id: org, name: The Organisation, lead: jdoe}
          - {id: comms, name: Communications, parent: org, lead: jdoe}
          - {id: social, name: Social Media Desk, parent: comms, lead: jdoe}
          - {id: care, name: Customer Care, parent: org, lead: jdoe}
          - {id: other, name: An Empty Unit, lead: jdoe}
    """,
    "governance.yaml": """\
        policies:
          - {id: p, owner: jdoe, applies_to: {kind: Account}}
        playbooks:
          - {id: pb, title: Escalation, end: Done}
        objectives:
          - {id: o1, statement: Serve, strategy: s}
    """,
    "accounts.yaml": f"""\
        accounts:
          - {{id: a1, platform: other, team: social, {GOOD}}}
          - {{id: a2, platform: other, team: social, owner: jdoe, backup_owner: asmith}}
          - {{id: a3, platform: other, team: comms, {GOOD}}}
          - {{id: a4, platform: other, team: care}}
          - {{id: a5, platform: other, team: care, {GOOD}}}
          - {{id: a6, platform: other, team: org, {GOOD}}}
          - {{id: a7, platform: other, {GOOD}}}
          - {{id: a8, platform: other, team: social, status: retired}}
    """,
}
CONFIG = """\
    organisation: Units Test
    strategy: [{id: s, statement: Grow}]
    select: [SG201, SG406, SG214]
"""


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo(FILES, config=CONFIG)


def audit_json(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    code = main(["audit", "--root", str(root), "--as-of", "2026-11-24", "--format", "json", *extra])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def test_units_roll_up_three_levels_worst_first(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = audit_json(repo, capsys, "--by", "team")
    units = doc["units"]
    assert (units["depth"], units["teams"]) == (None, 5)
    rows = {u["id"]: u for u in units["units"]}
    # a1 has everything; a2 an owner and a backup only (SG406 blocks it); a4 nothing (SG201 and
    # SG406 block it); a3, a5, a6, a7 everything; a8 is retired and not counted.
    # social: a1, a2 -> every share 1/2 but ownership 2/2: (1 + 5 x 1/2) / 6 = 58.3
    # comms: a1, a2, a3 -> (1 + 5 x 2/3) / 6 = 72.2
    # care: a4, a5 -> (6 x 1/2) / 6 = 50
    # org: a1-a6 -> (5/6 + 5 x 4/6) / 6 = 69.4
    expected = {
        "care": (50, 2, 2, "scattered", (1, 2), 2),
        "social": (58, 2, 2, "scattered", (2, 2), 1),
        "org": (69, 6, 1, "scattered", (5, 6), 3),
        "comms": (72, 3, 1, "scattered", (3, 3), 1),
        None: (100, 1, 1, "coordinated", (1, 1), 0),
        "other": (0, 0, 0, "dormant", (0, 0), 0),
    }
    assert [u["id"] for u in units["units"]] == list(expected)  # worst first, empty last
    for key, (score, live, own, stage, owned, errors) in expected.items():
        unit = rows[key]
        owned_share = next(i for i in unit["indicators"] if i["key"] == "owned_with_backup")
        assert (
            unit["score"],
            unit["live_accounts"],
            unit["own_accounts"],
            unit["stage"],
            (owned_share["ratio"]["part"], owned_share["ratio"]["whole"]),
            unit["errors"],
        ) == (score, live, own, stage, owned, errors), key
    assert rows["social"]["path"] == ["org", "comms"] and rows["social"]["depth"] == 3
    assert rows["comms"]["parent"] == "org" and rows["org"]["path"] == []
    assert rows["care"]["blocked"] == 1 and rows["org"]["blocked"] == 2
    assert rows["social"]["label"] == "Social Media Desk (social)"
    assert rows[None]["name"] == "(no team)"
    # the whole organisation is the same arithmetic over all seven live accounts:
    # (6/7 + 5 x 5/7) / 6 = 31/42 = 73.8
    assert doc["maturity"]["score"] == 73


def test_depth_lists_the_top_levels_with_everything_below_rolled_up(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = audit_json(repo, capsys, "--by", "team", "--depth", "1")["units"]
    assert [(u["id"], u["live_accounts"], u["score"]) for u in units["units"]] == [
        ("org", 6, 69),
        (None, 1, 100),
        ("other", 0, 0),
    ]
    deeper = audit_json(repo, capsys, "--by", "team", "--depth", "2")["units"]
    assert {u["id"] for u in deeper["units"]} == {"org", "comms", "care", "other", None}


def test_a_cycle_neither_loops_nor_counts_an_account_twice(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    files = dict(FILES)
    files["teams.yaml"] = """\
        teams:
          - {id: org, parent: care}
          - {id: comms, parent: org}
          - {id: social, parent: comms}
          - {id: care, parent: org}
          - {id: other}
    """
    root = make_repo(files, config=CONFIG)
    doc = audit_json(root, capsys, "--by", "team")
    rows = {u["id"]: u for u in doc["units"]["units"]}
    assert rows["org"]["live_accounts"] == 6  # a1-a6, each once
    assert rows["care"]["live_accounts"] == 6
    assert [g["code"] for g in doc["worst_gaps"]].count("SG214") == 1


def test_by_team_in_every_format_and_depth_needs_by(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["audit", "--root", str(repo), "--as-of", "2026-11-24", "--by", "team"]
    assert main([*base, "--format", "table", "--width", "100"]) == 0
    table = capsys.readouterr().out
    assert "Units (5 teams, every level; worst first, rolled up)" in table
    assert max(len(line) for line in table.splitlines()) <= 100
    assert main([*base, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "| Customer Care (care) | org | scattered | 50 | 2 | 50.0% ❌ |" in markdown
    assert main([*base, "--format", "html"]) == 0
    assert '<section id="units"' in capsys.readouterr().out
    assert main(["audit", "--root", str(repo), "--depth", "2"]) == 2
    assert "--depth needs --by team" in capsys.readouterr().err
