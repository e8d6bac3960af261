"""``socialgov explain FINGERPRINT|PATH:LINE``: a finding with the chain of entities behind it,
each with its value and position; SARIF carries the same chain as a code flow."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import MakeRepo
from socialgov.cli import main

PEOPLE = """\
people:
  - id: jdoe
    name: Jane Doe
    employment: full_time
    status: departed
    departed_on: 2026-06-30
  - id: asmith
    employment: full_time
teams:
  - id: social
    function: marketing
    lead: jdoe
"""
ACCOUNT = """\
kind: Account
id: x-news
platform: x
handle: acmenews
owner: jdoe
backup_owner: asmith
team: social
"""
RULE = """\
kind: Rule
id: lead-still-here
code: ACME001
select: {kind: Account}
assert: {field: team.lead.status, ne: departed}
"""


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo(
        {"people/people.yaml": PEOPLE, "accounts/x.yaml": ACCOUNT, "rules/lead.yaml": RULE},
        "organisation: T\nselect: [SG202, SG206, ACME001]\n",
    )


def explain(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["explain", *args, "--root", str(repo), "--as-of", "2026-11-24"]) == 0
    return capsys.readouterr().out


def test_explain_path_line_shows_the_chain_with_values_and_positions(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = explain(repo, capsys, "accounts/x.yaml:5")
    assert out.startswith("accounts/x.yaml:5:8: SG202 [error] Account x-news is owned by jdoe")
    chain = out.split("The entities behind it:\n")[1].splitlines()
    assert [line.split() for line in chain] == [
        ["Account", "x-news", "owner:", "jdoe", "accounts/x.yaml:5:8"],
        ["->", "Person", "jdoe", "departed_on:", "2026-06-30", "people/people.yaml:6:18"],
        ["status:", "departed", "people/people.yaml:5:13"],
    ]


def test_a_rules_path_through_two_references_is_followed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Rule tests team.lead.status: the chain is Account -> Team -> Person."""
    out = explain(repo, capsys, str(repo / "accounts" / "x.yaml") + ":7")
    assert "ACME001 [warning]" in out
    chain = out.split("The entities behind it:\n")[1].splitlines()
    assert [line.split() for line in chain] == [
        ["Account", "x-news", "team:", "social", "accounts/x.yaml:7:7"],
        ["->", "Team", "social", "lead:", "jdoe", "people/people.yaml:12:11"],
        ["->", "Person", "jdoe", "status:", "departed", "people/people.yaml:5:13"],
    ]


def test_explain_by_fingerprint_as_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--root", str(repo), "--as-of", "2026-11-24", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    team = next(f for f in report["findings"] if f["code"] == "SG206")
    out = explain(repo, capsys, team["fingerprint"], "--format", "json")
    [finding] = json.loads(out)["findings"]
    assert finding["fingerprint"] == team["fingerprint"] and finding["code"] == "SG206"
    assert [(c["kind"], c["id"], c["field"], c["value"], c["line"]) for c in finding["chain"]] == [
        ("Team", "social", "lead", "jdoe", 12),
        ("Person", "jdoe", "departed_on", "2026-06-30", 6),
        ("Person", "jdoe", "status", "departed", 5),
    ]


def test_a_finding_that_is_not_there_is_a_clear_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", "0" * 32, "--root", str(repo)]) == 2
    assert "no finding has fingerprint 00000000" in capsys.readouterr().err
    assert main(["explain", "accounts/x.yaml:2", "--root", str(repo)]) == 2
    assert "no finding is at accounts/x.yaml:2" in capsys.readouterr().err


def test_sarif_carries_the_chain_as_a_code_flow(
    repo: Path, capsys: pytest.CaptureFixture[str], standards: Path
) -> None:
    assert main(["lint", "--root", str(repo), "--as-of", "2026-11-24", "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    schema = json.loads((standards / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "ACME001")
    [flow] = result["codeFlows"]
    steps = [step["location"] for step in flow["threadFlows"][0]["locations"]]
    assert [s["message"]["text"] for s in steps] == [
        "Account x-news: team: social",
        "Team social: lead: jdoe",
        "Person jdoe: status: departed",
    ]
    region = steps[2]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (5, 13)
    assert steps[2]["physicalLocation"]["artifactLocation"]["uri"].endswith("people/people.yaml")
