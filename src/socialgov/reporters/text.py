"""The default format: ``path:line:col: CODE [severity] message``, then a summary line."""

from __future__ import annotations

from collections import Counter

import click

from socialgov.findings import Finding, Severity
from socialgov.lint import LintResult
from socialgov.reporters.base import ReportOptions, display_path, summary_counts, terminal_safe

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _line(result: LintResult, finding: Finding, options: ReportOptions) -> str:
    path = display_path(result.config.root, finding.path, options.cwd)
    where = f"{terminal_safe(path)}:{finding.line}:{finding.column}:"
    code = finding.code
    severity = f"[{finding.severity}]"
    message = terminal_safe(finding.message)
    if finding.suppressed is not None:
        message += f" (suppressed: {terminal_safe(finding.suppressed)})"
    if options.color:
        where = click.style(where, bold=True)
        code = click.style(code, fg=_COLORS[finding.severity], bold=True)
        severity = click.style(severity, fg=_COLORS[finding.severity])
    return f"{where} {code} {severity} {message}"


def summary(result: LintResult) -> str:
    """One line: how many findings of each severity, in how many files."""
    n = summary_counts(result.findings)
    total = sum(n.values())
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    suppressed = f", {len(result.suppressed)} suppressed" if result.suppressed else ""
    if not total:
        return f"No problems found in {files} ({result.entities} entities{suppressed})."
    parts = [
        f"{n['errors']} error{'s' if n['errors'] != 1 else ''}",
        f"{n['warnings']} warning{'s' if n['warnings'] != 1 else ''}",
        f"{n['info']} info",
    ]
    plural = "s" if total != 1 else ""
    return f"Found {total} problem{plural} ({', '.join(parts)}) in {files}{suppressed}."


def statistics(findings: tuple[Finding, ...]) -> list[str]:
    """Counts per rule, most frequent first, as ruff --statistics shows them."""
    by_rule = Counter((f.code, f.name, f.severity) for f in findings)
    return [
        f"{count:>6}  {code:<8} {name} [{severity}]"
        for (code, name, severity), count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def render(result: LintResult, options: ReportOptions) -> str:
    lines = [_line(result, f, options) for f in result.findings]
    if options.show_suppressed:
        lines.extend(_line(result, f, options) for f in result.suppressed)
    if options.statistics:
        lines.extend(statistics(result.findings))
    if not options.quiet:
        lines.append(summary(result))
    return "\n".join(lines) + ("\n" if lines else "")
