"""``--format junit``: JUnit XML for CI test report views (GitLab, Jenkins, GitHub actions).

Valid against both schemas in shared/standards/junit/: the strict Ant schema (windyroad) and
Jenkins' xunit schema. One ``<testsuite>`` per file with findings, one ``<testcase>`` per finding
(a ``<failure>`` whose type is the severity); a waived finding shown with ``--show-suppressed``
is a ``<skipped>`` test. A clean run is one passing test, so the report is never empty.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections import Counter
from xml.etree.ElementTree import Element, SubElement

from socialgov import __version__
from socialgov.core.escape import xml_document, xml_safe
from socialgov.core.findings import Finding
from socialgov.report.result import LintResult
from socialgov.reporters.base import ReportOptions, repository_paths, rule_title, shown_findings

STAMPED = True
"""The report carries when and on which host it was written: every run renders it."""


def _hostname() -> str:
    try:
        return socket.gethostname().strip() or "localhost"
    except OSError:
        return "localhost"


def _details(result: LintResult, finding: Finding, path: str) -> str:
    lines = [
        f"{path}:{finding.line}:{finding.column}: {finding.code} [{finding.severity}] "
        f"{finding.message}",
        f"rule: {rule_title(finding)}",
    ]
    if finding.entity is not None:
        lines.append(f"entity: {finding.entity}")
    if finding.related:
        lines.append("related: " + ", ".join(str(ref) for ref in finding.related))
    if finding.suppressed is not None:
        lines.append(f"suppressed by a waiver: {finding.suppressed}")
    lines.append(f"fingerprint: {finding.fingerprint}")
    return xml_safe("\n".join(lines))


def _suite(parent: Element, name: str, index: int, stamp: str, host: str) -> Element:
    suite = SubElement(parent, "testsuite")
    suite.attrib.update(
        name=xml_safe(name),
        timestamp=stamp,
        hostname=host,
        time="0",
        package="socialgov",
        id=str(index),
    )
    properties = SubElement(suite, "properties")
    SubElement(properties, "property", name="socialgov.version", value=__version__)
    return suite


def _close(suite: Element, tests: int, failures: int, skipped: int) -> None:
    SubElement(suite, "system-out")
    SubElement(suite, "system-err")
    suite.attrib.update(tests=str(tests), failures=str(failures), errors="0", skipped=str(skipped))


def render(result: LintResult, options: ReportOptions) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    host = xml_safe(_hostname())
    root = Element("testsuites")
    by_file: dict[str, list[Finding]] = {}
    path = repository_paths(result)
    for finding in shown_findings(result, options):
        by_file.setdefault(path(finding.path), []).append(finding)
    if not by_file:
        suite = _suite(root, "socialgov", 0, stamp, host)
        SubElement(suite, "testcase", name="no problems found", classname="socialgov", time="0")
        _close(suite, 1, 0, 0)
    for index, (path, findings) in enumerate(sorted(by_file.items())):
        suite = _suite(root, path, index, stamp, host)
        seen: Counter[str] = Counter()
        failures = skipped = 0
        for finding in findings:
            name = f"{rule_title(finding)} at line {finding.line}, column {finding.column}"
            seen[name] += 1
            if seen[name] > 1:  # GitLab keeps only the first of equal classname and name
                name = f"{name} ({seen[name]})"
            case = SubElement(
                suite, "testcase", name=xml_safe(name), classname=xml_safe(path), time="0"
            )
            if finding.suppressed is not None:
                outcome = SubElement(
                    case, "skipped", message=xml_safe(f"suppressed: {finding.suppressed}")
                )
                skipped += 1
            else:
                outcome = SubElement(
                    case, "failure", message=xml_safe(finding.message), type=str(finding.severity)
                )
                failures += 1
            outcome.text = _details(result, finding, path)
        _close(suite, len(findings), failures, skipped)
    return xml_document(root)
