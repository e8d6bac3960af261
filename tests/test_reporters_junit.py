"""--format junit: valid against the strict Ant (windyroad) schema and Jenkins' xunit schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import xmlschema

from conftest import TRICKY, run_lint
from socialgov.core.findings import Finding, Severity
from socialgov.reporters.base import ReportOptions
from socialgov.reporters.junit import render


@pytest.fixture(scope="module")
def schemas(standards: Path) -> list[xmlschema.XMLSchema]:
    folder = standards / "junit"
    return [
        xmlschema.XMLSchema(folder / "windyroad-JUnit.xsd"),
        xmlschema.XMLSchema(folder / "jenkins-xunit-junit-10.xsd"),
    ]


def assert_valid(text: str, schemas: list[xmlschema.XMLSchema]) -> None:
    for schema in schemas:
        errors = [str(e) for e in schema.iter_errors(text)]
        assert errors == [], schema.url


def test_valid_against_both_schemas(tricky_repo: Path, schemas: list[Any]) -> None:
    result = run_lint(tricky_repo)
    assert {f.severity for f in result.findings} == set(Severity)
    for show in (False, True):
        assert_valid(render(result, ReportOptions(show_suppressed=show)), schemas)


def test_schemas_do_reject_a_broken_report(tricky_repo: Path, schemas: list[Any]) -> None:
    text = render(run_lint(tricky_repo), ReportOptions())
    broken = text.replace('hostname="', 'hostnam="', 1)  # the strict schema requires hostname
    assert not schemas[0].is_valid(broken)


def test_a_failure_per_finding_with_exact_messages(tricky_repo: Path) -> None:
    result = run_lint(tricky_repo)
    root = ElementTree.fromstring(render(result, ReportOptions()))
    failures = root.findall(".//failure")
    assert len(failures) == len(result.findings)
    messages = sorted(f.get("message", "") for f in failures)
    assert messages == sorted(f.message for f in result.findings)  # newlines, quotes, <, &
    assert any('\n<&>"%,:é' in m for m in messages)
    assert {f.get("type") for f in failures} == {"error", "warning", "info"}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == len(suite.findall(".//failure"))
        assert suite.get("name", "").startswith("policy/")  # relative to the checkout
        names = [(c.get("classname"), c.get("name")) for c in cases]
        assert len(set(names)) == len(names)  # GitLab keeps only the first of equal names


def test_waived_findings_are_skipped_tests(tricky_repo: Path, schemas: list[Any]) -> None:
    result = run_lint(tricky_repo)
    text = render(result, ReportOptions(show_suppressed=True))
    root = ElementTree.fromstring(text)
    skipped = root.findall(".//skipped")
    assert [s.get("message") for s in skipped] == [
        'suppressed: Legacy <import> & "cleanup",\nsecond line: 100% é'
    ]
    assert sum(int(s.get("skipped", "0")) for s in root.findall("testsuite")) == 1


def test_duplicate_names_are_made_unique(tmp_path: Path) -> None:
    from socialgov.config import Config
    from socialgov.report.result import LintResult

    finding = Finding("SG101", "schema-violation", Severity.ERROR, TRICKY, "a.yaml", 3, 4)
    other = Finding("SG101", "schema-violation", Severity.ERROR, "other", "a.yaml", 3, 4)
    result = LintResult(Config(root=tmp_path), (), (finding, other))
    root = ElementTree.fromstring(render(result, ReportOptions()))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == [
        "SG101 schema-violation at line 3, column 4",
        "SG101 schema-violation at line 3, column 4 (2)",
    ]


def test_control_characters_cannot_break_the_xml(tmp_path: Path, schemas: list[Any]) -> None:
    from socialgov.config import Config
    from socialgov.report.result import LintResult

    finding = Finding("SG101", "schema-violation", Severity.ERROR, "bell\x07 end\x1b", "a.yaml")
    text = render(LintResult(Config(root=tmp_path), (), (finding,)), ReportOptions())
    assert_valid(text, schemas)
    assert ElementTree.fromstring(text).find(".//failure").get("message") == "bell\\x07 end\\x1b"


def test_a_clean_run_is_one_passing_test(make_repo: Any, schemas: list[Any]) -> None:
    root = make_repo({"people.yaml": "people:\n  - {id: jdoe, employment: full_time}\n"})
    text = render(run_lint(root), ReportOptions())
    assert_valid(text, schemas)
    cases = ElementTree.fromstring(text).findall(".//testcase")
    assert len(cases) == 1 and list(cases[0]) == []
