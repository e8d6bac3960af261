"""The JSON report writes its findings itself: it must give exactly what the JSON encoder gives."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import TRICKY, run_lint
from socialgov.config import Config
from socialgov.core.escape import json_safe
from socialgov.core.findings import EntityRef, Finding, Severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import ReportOptions
from socialgov.reporters.json import document, render

STRANGE = TRICKY + ' \\ back\\slash \x1b[31m \u202e bidi \x7f \x85 \u2028 tab\t "findings": [],\n'
"""Every character the encoder escapes or the report makes visible, and the text the report
splices its findings in at."""


def _reference(result: LintResult, options: ReportOptions) -> str:
    """The report as Python's JSON encoder writes it: the document, indented, made safe."""
    return json_safe(json.dumps(document(result, options), indent=2, ensure_ascii=False)) + "\n"


def _findings() -> tuple[Finding, ...]:
    ref = EntityRef("Account", STRANGE)
    return (
        Finding("SG100", "yaml-syntax", Severity.ERROR, STRANGE, "a/b.yaml", 3, 7),
        Finding(
            "SG201",
            "unowned-channel",
            Severity.WARNING,
            "plain",
            STRANGE,
            12,
            1,
            entity=ref,
            key="owner",
        ),
        Finding(
            "SG403",
            "cross-channel-inconsistency",
            Severity.INFO,
            "many related",
            "policies/p.yaml",
            1_000_000,
            4,
            entity=EntityRef("Policy", "p"),
            related=(ref, EntityRef("Channel", "phone"), EntityRef("Account", "é✓")),
        ),
        Finding(
            "CUSTOM9",
            "x",
            Severity.ERROR,
            "",
            "",
            1,
            1,
            entity=EntityRef("", ""),
            related=(EntityRef("Team", "t"),),
        ),
    )


@pytest.mark.parametrize("show_suppressed", [False, True])
def test_render_is_the_encoders_output(tmp_path: Path, show_suppressed: bool) -> None:
    root = tmp_path / STRANGE.replace("\n", " ").replace("/", "-")[:60]
    findings = _findings()
    suppressed = tuple(
        replace(f, suppressed=reason)
        for f, reason in zip(findings, (STRANGE, "", "reason"), strict=False)
    )
    result = LintResult(
        Config(root=root, as_of=dt.date(2026, 11, 24)),
        (),
        findings,
        suppressed=suppressed,
        unused_waivers=findings[1:2],
        baselined=3,
        preexisting=1,
        files=7,
        entities=9,
    )
    options = ReportOptions(show_suppressed=show_suppressed)
    text = render(result, options)
    assert text == _reference(result, options)
    assert json.loads(text)["findings"][0]["message"] == STRANGE


def test_render_without_findings(tmp_path: Path) -> None:
    result = LintResult(Config(root=tmp_path, as_of=dt.date(2026, 11, 24)), (), ())
    assert render(result, ReportOptions()) == _reference(result, ReportOptions())
    assert json.loads(render(result, ReportOptions()))["findings"] == []


def test_render_of_a_real_run(tricky_repo: Path) -> None:
    result = run_lint(tricky_repo)
    for options in (ReportOptions(), ReportOptions(show_suppressed=True)):
        assert render(result, options) == _reference(result, options)
