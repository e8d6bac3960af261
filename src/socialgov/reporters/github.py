"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,title=T::MESSAGE``, escaped exactly as the runner parses it (see
shared/standards/github-actions/): in the message ``%``, CR and LF are percent-encoded; in
property values ``:`` and ``,`` too, ``%`` always first. Errors are ``::error``, warnings
``::warning``, info and waived findings ``::notice``. The text format prints the same lines when
it runs under GitHub Actions (``GITHUB_ACTIONS=true``).
"""

from __future__ import annotations

from socialgov.core.escape import terminal_safe
from socialgov.core.findings import Finding, Severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import (
    ReportOptions,
    repository_path,
    repository_paths,
    rule_title,
    shown_findings,
)

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


WORKFLOW_COMMANDS = True
"""Every line is a GitHub Actions workflow command: printed as it is (values escaped here)."""


def escape_data(text: str) -> str:
    """A command's message, as @actions/core's escapeData writes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value, as @actions/core's escapeProperty writes it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(result: LintResult, finding: Finding, path: str | None = None) -> str:
    """One workflow command for ``finding``, on one line; ``path``, when given, is its
    repository_path."""
    command = "notice" if finding.suppressed is not None else COMMANDS[finding.severity]
    properties = {
        "file": repository_path(result, finding.path) if path is None else path,
        "line": str(finding.line),
        "col": str(finding.column),
        "title": rule_title(finding),
    }
    message = finding.message
    if finding.suppressed is not None:
        message += f" (suppressed: {finding.suppressed})"
    params = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    # The log that shows the command is a terminal too: no escape sequence gets through.
    return terminal_safe(f"::{command} {params}::{escape_data(message)}")


def annotations(result: LintResult, options: ReportOptions) -> list[str]:
    path = repository_paths(result)
    return [annotation(result, f, path(f.path)) for f in shown_findings(result, options)]


def render(result: LintResult, options: ReportOptions) -> str:
    lines = annotations(result, options)
    return "".join(f"{line}\n" for line in lines)
