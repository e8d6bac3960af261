"""--format checkstyle: valid against Checkstyle's own report XSD."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

from conftest import run_lint
from socialgov.core.findings import Severity
from socialgov.reporters.base import ReportOptions
from socialgov.reporters.checkstyle import render


def test_valid_and_faithful(tricky_repo: Path, standards: Path) -> None:
    schema = xmlschema.XMLSchema(standards / "checkstyle" / "checkstyle-report-1.0.0.xsd")
    result = run_lint(tricky_repo)
    assert {f.severity for f in result.findings} == set(Severity)
    for show in (False, True):
        text = render(result, ReportOptions(show_suppressed=show))
        assert [str(e) for e in schema.iter_errors(text)] == []
    assert not schema.is_valid(re.sub(r'line="\d+"', 'line="0"', text, count=1))  # 1-based

    root = ElementTree.fromstring(render(result, ReportOptions()))
    errors = [
        (
            file.get("name"),
            e.get("line"),
            e.get("column"),
            e.get("severity"),
            e.get("message"),
            e.get("source"),
        )
        for file in root.findall("file")
        for e in file.findall("error")
    ]
    expected = [
        (
            f"policy/{f.path}",
            str(f.line),
            str(f.column),
            str(f.severity),
            f.message,
            f"socialgov.{f.code}",
        )
        for f in result.findings
    ]
    assert sorted(errors) == sorted(expected)
    assert any('\n<&>"%,:é' in e[4] for e in errors)


def test_waived_findings_are_info_and_say_so(tricky_repo: Path) -> None:
    text = render(run_lint(tricky_repo), ReportOptions(show_suppressed=True))
    waived = [
        e
        for e in ElementTree.fromstring(text).iter("error")
        if "(suppressed:" in e.get("message", "")
    ]
    assert len(waived) == 1 and waived[0].get("severity") == "info"
    assert (
        waived[0]
        .get("message", "")
        .endswith('(suppressed: Legacy <import> & "cleanup",\nsecond line: 100% é)')
    )
