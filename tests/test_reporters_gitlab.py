"""--format gitlab: a Code Quality report valid against GitLab's own schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from conftest import run_lint
from socialgov.config import Config
from socialgov.core.findings import Finding, Severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import ReportOptions
from socialgov.reporters.gitlab import render


def issues(result: LintResult, **options: Any) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(render(result, ReportOptions(**options)))
    return data


def test_every_issue_is_valid_and_complete(tricky_repo: Path, standards: Path) -> None:
    schema = json.loads(
        (standards / "gitlab-codequality" / "gitlab-codeclimate.schema.json").read_text("utf-8")
    )
    validator = jsonschema.Draft7Validator(schema)
    result = run_lint(tricky_repo)
    assert {f.severity for f in result.findings} == set(Severity)
    text = render(result, ReportOptions(show_suppressed=True))
    assert not text.startswith("\ufeff")
    report = json.loads(text)
    assert isinstance(report, list) and len(report) == len(result.findings) + 2
    for item in report:
        assert list(validator.iter_errors(item)) == []
        # what GitLab's documentation requires beyond its schema
        assert isinstance(item["check_name"], str) and item["check_name"].startswith("SG")
        assert item["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert isinstance(item["location"]["lines"]["begin"], int)
        assert (
            item["location"]["path"].startswith("policy/accounts/")
            or item["location"]["path"] == "policy/people/people.yaml"
        )
        assert "\n" not in item["description"]
    assert len({item["fingerprint"] for item in report}) == len(report)


def test_severities_and_descriptions(tricky_repo: Path) -> None:
    result = run_lint(tricky_repo)
    report = issues(result)
    assert [i["severity"] for i in report] == [
        {"error": "major", "warning": "minor", "info": "info"}[str(f.severity)]
        for f in result.findings
    ]
    assert any('<&>"%,:é' in i["description"] for i in report)
    assert any(i["location"]["path"] == 'policy/accounts/café, "x": 100% <&>.yaml' for i in report)
    waived = [i for i in issues(result, show_suppressed=True) if "(suppressed:" in i["description"]]
    assert len(waived) == 1 and waived[0]["severity"] == "info"


def test_fingerprints_survive_moving_the_entity(tricky_repo: Path) -> None:
    before = {
        i["check_name"]: i["fingerprint"]
        for i in issues(run_lint(tricky_repo))
        if i["check_name"] == "SG104"
    }
    source = tricky_repo / 'accounts/café, "x": 100% <&>.yaml'
    target = tricky_repo / "moved" / "elsewhere.yaml"
    target.parent.mkdir()
    target.write_text("# moved here\n\n" + source.read_text("utf-8"), encoding="utf-8")
    source.unlink()
    after = {
        i["check_name"]: i["fingerprint"]
        for i in issues(run_lint(tricky_repo))
        if i["check_name"] == "SG104"
    }
    assert before == after and before


def test_equal_fingerprints_are_made_unique(tmp_path: Path) -> None:
    one = Finding("SG101", "schema-violation", Severity.ERROR, "first", "a.yaml", 1, 1)
    two = Finding("SG101", "schema-violation", Severity.ERROR, "second", "a.yaml", 2, 1)
    assert one.fingerprint == two.fingerprint
    report = issues(LintResult(Config(root=tmp_path), (), (one, two)))
    assert report[0]["fingerprint"] == one.fingerprint
    assert report[1]["fingerprint"] != one.fingerprint
    assert issues(LintResult(Config(root=tmp_path), (), (one, two))) == report  # stable


def test_no_findings_is_an_empty_array(tmp_path: Path) -> None:
    assert issues(LintResult(Config(root=tmp_path), (), ())) == []
