"""``--format checkstyle``: Checkstyle XML, for reviewdog, Jenkins warnings-ng and the like.

Valid against shared/standards/checkstyle/checkstyle-report-1.0.0.xsd: one ``<file>`` per file
with findings (its path relative to the checkout's root), one ``<error>`` per finding with
line, column, severity (error, warning or info) and ``source`` ``socialgov.CODE``.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from socialgov.core.escape import xml_document, xml_safe
from socialgov.core.findings import Finding, Severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import ReportOptions, repository_paths, shown_findings

FORMAT_VERSION = "4.3"
"""The report version most tools write and read (Checkstyle's own XMLLogger, ESLint)."""

SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def _severity(finding: Finding) -> str:
    """A waived finding is shown as info: it does not need fixing now."""
    return "info" if finding.suppressed is not None else SEVERITIES[finding.severity]


def _message(finding: Finding) -> str:
    if finding.suppressed is None:
        return finding.message
    return f"{finding.message} (suppressed: {finding.suppressed})"


def render(result: LintResult, options: ReportOptions) -> str:
    root = Element("checkstyle", version=FORMAT_VERSION)
    by_file: dict[str, list[Finding]] = {}
    path = repository_paths(result)
    for finding in shown_findings(result, options):
        by_file.setdefault(path(finding.path), []).append(finding)
    for path, findings in sorted(by_file.items()):
        file = SubElement(root, "file", name=xml_safe(path))
        for finding in findings:
            error = SubElement(file, "error")
            if finding.line > 0:
                error.set("line", str(finding.line))
            if finding.column > 0:
                error.set("column", str(finding.column))
            error.set("severity", _severity(finding))
            error.set("message", xml_safe(_message(finding)))
            error.set("source", f"socialgov.{finding.code}")
    return xml_document(root)
