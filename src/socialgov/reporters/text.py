"""The default format: ``path:line:col: CODE [severity] message``, then a summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click

from socialgov.core.escape import one_line, one_lines
from socialgov.core.findings import Finding, Severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import ReportOptions, display_paths, shown_findings, summary_counts

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _line(finding: Finding, options: ReportOptions, paths: dict[str, str]) -> str:
    where = f"{paths[finding.path]}:{finding.line}:{finding.column}:"
    code = finding.code
    severity = f"[{finding.severity}]"
    message = one_line(finding.message)
    if finding.suppressed is not None:
        message += f" (suppressed: {one_line(finding.suppressed)})"
    if options.color:
        where = click.style(where, bold=True)
        code = click.style(code, fg=_COLORS[finding.severity], bold=True)
        severity = click.style(severity, fg=_COLORS[finding.severity])
    return f"{where} {code} {severity} {message}"


def _lines(findings: list[Finding], options: ReportOptions, paths: dict[str, str]) -> str:
    """The lines of ``findings``, each ending with a line break."""
    if options.color:
        return "".join([_line(finding, options, paths) + "\n" for finding in findings])
    out = []
    add = out.append
    messages = one_lines([finding.message for finding in findings])
    for finding, message in zip(findings, messages, strict=True):  # _line without colour
        if finding.suppressed is not None:
            message += f" (suppressed: {one_line(finding.suppressed)})"
        add(
            f"{paths[finding.path]}:{finding.line}:{finding.column}: {finding.code} "
            f"{_LABELS[finding.severity]} {message}\n"
        )
    return "".join(out)


_LABELS = {severity: f"[{severity}]" for severity in Severity}


def summary(result: LintResult) -> str:
    """One line: how many findings of each severity, in how many files, and what was hidden."""
    n = summary_counts(result.findings)
    total = sum(n.values())
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    hidden = [
        f"{count} {what}"
        for count, what in (
            (len(result.suppressed), "suppressed"),
            (len(result.unused_waivers), "unused waiver" + "s" * (len(result.unused_waivers) != 1)),
            (result.baselined, "in the baseline"),
            (result.preexisting, "already present at the --new-since revision"),
        )
        if count
    ]
    if not total:
        extra = "".join(f", {part}" for part in hidden)
        return f"No problems found in {files} ({result.entities} entities{extra})."
    parts = [
        f"{n['errors']} error{'s' if n['errors'] != 1 else ''}",
        f"{n['warnings']} warning{'s' if n['warnings'] != 1 else ''}",
        f"{n['info']} info",
    ]
    plural = "s" if total != 1 else ""
    found = f"Found {total} problem{plural} ({', '.join(parts)}) in {files}"
    return found + "".join(f", {part}" for part in hidden) + "."


def statistics(findings: list[Finding]) -> list[str]:
    """Counts per rule, most frequent first, as ruff --statistics shows them; waived findings
    (with --show-suppressed) are counted on rows of their own."""
    by_rule = Counter(
        (f.code, f.name, "suppressed" if f.suppressed is not None else str(f.severity))
        for f in findings
    )
    return [
        f"{count:>6}  {code:<8} {name} [{label}]"
        for (code, name, label), count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _safe_path(path: str) -> str:
    if path.lstrip().startswith(("::", "##")):  # never a GitHub Actions workflow command
        path = f"./{path}"
    return one_line(path)


def write(result: LintResult, options: ReportOptions, put: Callable[[str], None]) -> None:
    """:func:`render`'s text handed to ``put`` a piece at a time (a thousand findings' lines
    each), so that the report is never held whole: with ~490,000 findings (a stranger's
    100,000-account tree) its lines and their join took ~400 MiB at the run's peak."""
    shown = shown_findings(result, options)
    shown_path = display_paths(result.config.root, (options.cwd or Path.cwd()).resolve())
    lines: list[str] = []
    if options.statistics:
        lines.extend(statistics(shown))
    else:
        paths = {path: _safe_path(shown_path(path)) for path in {f.path for f in shown}}
        for start in range(0, len(shown), _PIECE):
            put(_lines(shown[start : start + _PIECE], options, paths))
    if not options.quiet:
        lines.append(summary(result))
    if lines:
        put("\n".join(lines) + "\n")


_PIECE = 1000
"""How many findings' lines :func:`write` hands on at a time."""


def render(result: LintResult, options: ReportOptions) -> str:
    """The findings one per line, then the summary line; with ``statistics`` the counts per
    rule instead of the findings (as ``ruff --statistics`` prints them)."""
    pieces: list[str] = []
    write(result, options, pieces.append)
    return "".join(pieces)
