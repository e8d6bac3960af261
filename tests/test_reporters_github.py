"""--format github, and annotations from the text format under GitHub Actions.

The parser below follows the runner's own (actions/runner ActionCommand.TryParseV2 and its
unescaping, as shared/standards/github-actions/ describes it), so the tests check that every
value comes back exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AS_OF, TRICKY, run_lint
from socialgov.cli import main
from socialgov.config import Config
from socialgov.core.findings import Finding, Severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import ReportOptions
from socialgov.reporters.github import escape_data, escape_property, render


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ",")):
        text = text.replace(escaped, plain)
    return text.replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner reads it: command, properties, message."""
    line = line.lstrip()
    assert line.startswith("::")
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2 :]
    command, _, props = info.partition(" ")
    properties: dict[str, str] = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape_property(value)
    return command, properties, unescape_data(data)


def test_escaping_round_trips_through_the_runner_parser() -> None:
    for text in (TRICKY, "%25 literally", "a::b", "\r\n", "100%0A"):
        assert unescape_data(escape_data(text)) == text
        assert unescape_property(escape_property(text)) == text
        assert "\n" not in escape_data(text) and "," not in escape_property(text)
        assert ":" not in escape_property(text)


def test_one_annotation_per_finding_parsed_back_exactly(tricky_repo: Path) -> None:
    result = run_lint(tricky_repo)
    assert {f.severity for f in result.findings} == set(Severity)
    lines = render(result, ReportOptions()).splitlines()
    assert len(lines) == len(result.findings)
    for line, finding in zip(lines, result.findings, strict=True):
        command, properties, message = parse(line)
        assert (
            command
            == {"error": "error", "warning": "warning", "info": "notice"}[str(finding.severity)]
        )
        assert properties == {
            "file": f"policy/{finding.path}",
            "line": str(finding.line),
            "col": str(finding.column),
            "title": f"{finding.code} {finding.name}",
        }
        assert message == finding.message
    assert any('\n<&>"%,:é' in parse(line)[2] for line in lines)
    assert any("café, " in parse(line)[1]["file"] for line in lines)


def test_waived_findings_are_notices(tricky_repo: Path) -> None:
    lines = render(run_lint(tricky_repo), ReportOptions(show_suppressed=True)).splitlines()
    waived = [parse(line) for line in lines if "(suppressed" in line]
    assert len(waived) == 1 and waived[0][0] == "notice"
    assert waived[0][2].endswith('(suppressed: Legacy <import> & "cleanup",\nsecond line: 100% é)')


def test_nothing_to_report_prints_nothing(tmp_path: Path) -> None:
    assert render(LintResult(Config(root=tmp_path), (), ()), ReportOptions()) == ""


def test_message_with_double_colon_stays_in_the_data(tmp_path: Path) -> None:
    finding = Finding("SG101", "schema-violation", Severity.WARNING, "a::b:c", "x.yaml", 2, 3)
    line = render(LintResult(Config(root=tmp_path), (), (finding,)), ReportOptions())
    assert parse(line.strip()) == (
        "warning",
        {"file": "x.yaml", "line": "2", "col": "3", "title": "SG101 schema-violation"},
        "a::b:c",
    )


@pytest.mark.parametrize(
    ("env", "extra", "annotated"),
    [("true", [], True), ("false", [], False), (None, [], False), ("true", ["-o", "r.txt"], False)],
)
def test_text_annotates_on_github_actions(
    tricky_repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: str | None,
    extra: list[str],
    annotated: bool,
) -> None:
    monkeypatch.chdir(tricky_repo)
    if env is None:
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    else:
        monkeypatch.setenv("GITHUB_ACTIONS", env)
    code = main(["lint", "--as-of", AS_OF.isoformat(), *extra])
    assert code == 1
    out = capsys.readouterr().out
    if extra:
        out = (tricky_repo / "r.txt").read_text("utf-8")
    commands = [line for line in out.splitlines() if line.startswith("::")]
    plain = [line for line in out.splitlines() if ": SG1" in line and not line.startswith("::")]
    assert len(plain) == 5  # the usual text lines are always there
    assert len(commands) == (5 if annotated else 0)
    if annotated:
        assert {parse(c)[0] for c in commands} == {"error", "warning", "notice"}
