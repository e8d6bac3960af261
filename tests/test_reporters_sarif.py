"""--format sarif: valid against the OASIS SARIF 2.1.0 schema and GitHub code scanning's needs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from conftest import ACME, lint_and_model, run_lint
from socialgov.core.findings import Severity
from socialgov.report.chain import trails
from socialgov.report.result import LintResult
from socialgov.reporters.base import ReportOptions
from socialgov.reporters.sarif import MAX_RELATED, render


@pytest.fixture(scope="module")
def validator(standards: Path) -> jsonschema.Draft4Validator:
    schema = json.loads((standards / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema,
        format_checker=jsonschema.FormatChecker(),  # every format, uri-reference too
    )


def sarif(result: LintResult, **options: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(result, ReportOptions(**options)))
    return data


def test_validates_against_the_oasis_schema_with_uri_formats(
    tricky_repo: Path, validator: jsonschema.Draft4Validator
) -> None:
    result = run_lint(tricky_repo, trails=True)
    assert {f.severity for f in result.findings} == set(Severity)
    for show in (False, True):
        log = sarif(result, show_suppressed=show)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
        assert errors == []
    # the format checker really checks URIs: a bad one is caught
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = (
        "a b|<c>"
    )
    assert any(e.validator == "format" for e in validator.iter_errors(log))


def test_meets_github_code_scanning_requirements(tricky_repo: Path) -> None:
    result = run_lint(tricky_repo, trails=True)
    log = sarif(result, show_suppressed=True)
    assert log["$schema"] and log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "socialgov"
    rules = driver["rules"]
    for rule in rules:
        for field in ("shortDescription", "fullDescription"):
            assert 0 < len(rule[field]["text"]) <= 1024
        assert rule["help"]["text"].strip()
        assert f"docs/rules.md#{rule['id'].lower()}" in rule["help"]["text"]
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    assert run["results"]
    for item, finding in zip(run["results"], [*result.findings, *result.suppressed], strict=False):
        assert item["ruleId"] == finding.code == rules[item["ruleIndex"]]["id"]
        assert item["message"]["text"] == finding.message
        assert item["partialFingerprints"] == {"socialgov/v1": finding.fingerprint}
        location = item["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith("/") and ":" not in uri and " " not in uri
        assert unquote(uri) == f"policy/{finding.path}"  # relative to the checkout's root
        region = location["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_levels_follow_the_configured_severities(tricky_repo: Path) -> None:
    log = sarif(run_lint(tricky_repo, trails=True))
    run = log["runs"][0]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "SG100": "error",
        "SG101": "error",
        "SG104": "warning",
        "SG102": "note",
        "SG105": "note",
    }
    defaults = {r["id"]: r["defaultConfiguration"]["level"] for r in run["tool"]["driver"]["rules"]}
    assert defaults["SG104"] == "warning" and defaults["SG102"] == "note"


def test_tricky_message_and_path_survive(tricky_repo: Path) -> None:
    log = sarif(run_lint(tricky_repo, trails=True))
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any('\n<&>"%,:é' in text for text in texts)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert "policy/accounts/caf%C3%A9%2C%20%22x%22%3A%20100%25%20%3C%26%3E.yaml" in uris


def test_waived_findings_carry_an_in_source_suppression(tricky_repo: Path) -> None:
    result = run_lint(tricky_repo, trails=True)
    assert len(result.suppressed) == 1
    hidden = sarif(result)["runs"][0]["results"]
    assert all("suppressions" not in r for r in hidden)
    shown = sarif(result, show_suppressed=True)["runs"][0]["results"]
    suppressed = [r for r in shown if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": 'Legacy <import> & "cleanup",\nsecond line: 100% é',
        }
    ]
    # the unused waiver on jdoe is shown too, as a note of its own rule
    unused = [r for r in shown if r["ruleId"] == "SG106"]
    assert len(unused) == 1 and unused[0]["level"] == "note"
    assert "SG106" in {
        r["id"] for r in sarif(result, show_suppressed=True)["runs"][0]["tool"]["driver"]["rules"]
    }


def test_a_clean_repository_is_a_valid_empty_run(
    make_repo: Any, validator: jsonschema.Draft4Validator
) -> None:
    root = make_repo({"people.yaml": "people:\n  - {id: jdoe, employment: full_time}\n"})
    log = sarif(run_lint(root, trails=True))
    assert list(validator.iter_errors(log)) == []
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"]  # rules that ran and found nothing


def test_related_entities_are_capped_at_what_github_accepts() -> None:
    result, model = lint_and_model(ACME)
    finding = next(f for f in result.findings if f.related)
    refs = tuple(finding.related) * 2500  # thousands, as one policy stated by a whole inventory
    crowded = dataclasses.replace(finding, related=refs)
    rules = {info.code: info for info in result.rules}
    resolved = {**trails((crowded,), model, rules), **trails((finding,), model, rules)}
    result = dataclasses.replace(result, trails=resolved)
    report = sarif(dataclasses.replace(result, findings=(crowded,)))
    (item,) = report["runs"][0]["results"]
    assert len(item["relatedLocations"]) == MAX_RELATED == 1000
    assert [loc["id"] for loc in item["relatedLocations"]] == list(range(MAX_RELATED))
    assert len(item["properties"]["related"]) == MAX_RELATED
    assert item["properties"]["relatedCount"] == len(refs)
    few = sarif(dataclasses.replace(result, findings=(finding,)))["runs"][0]["results"][0]
    assert "relatedCount" not in few["properties"]
    assert len(few["properties"]["related"]) == len(finding.related)


def test_more_results_than_code_scanning_takes_is_a_warning_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from socialgov.cli import main
    from socialgov.reporters import sarif

    args = ["lint", "--root", str(ACME), "--format", "sarif", "--output", str(tmp_path / "r")]
    assert main(args) == 1
    assert "warning" not in capsys.readouterr().err
    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    assert main(args) == 1  # the report is still written whole; the exit code is unchanged
    err = capsys.readouterr().err
    count = len(json.loads((tmp_path / "r").read_text(encoding="utf-8"))["runs"][0]["results"])
    assert count > 3
    assert f"socialgov: warning: the SARIF report holds {count:,} results" in err
    assert "at most 3 from one run" in err and "--write-baseline" in err and "--select" in err
