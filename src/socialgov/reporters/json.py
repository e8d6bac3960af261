"""``--format json``: the documented, versioned machine format (docs/formats.md).

The report is what ``json_text(document(...))`` gives, indented by two spaces. Python's JSON
encoder indents in pure Python, a few microseconds per value; a report of 100,000 findings
would take seconds. :func:`render` writes the findings' part itself instead, from the same
string encoder (in C) and in exactly the same layout, and leaves the rest to ``json_text``;
tests compare the two on every kind of finding.
"""

from __future__ import annotations

from collections import Counter
from json.encoder import encode_basestring
from typing import Any

from socialgov.core.escape import json_safe, json_text
from socialgov.core.findings import EntityRef, Finding, Severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import ReportOptions, shown_findings, summary_counts

VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    result: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "entity": finding.entity.as_dict() if finding.entity else None,
        "related": [ref.as_dict() for ref in finding.related],
        "fingerprint": finding.fingerprint,
    }
    if finding.suppressed is not None:
        result["suppressed"] = {"reason": finding.suppressed}
    return result


def document(result: LintResult, options: ReportOptions) -> dict[str, Any]:
    return _document(result, [finding_dict(f) for f in shown_findings(result, options)])


def _document(result: LintResult, findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "version": VERSION,
        "root": result.config.root.as_posix(),
        "as_of": result.config.as_of.isoformat(),
        "findings": findings,
        "summary": {
            **summary_counts(result.findings),
            "total": len(result.findings),
            "suppressed": len(result.suppressed),
            "unused_waivers": len(result.unused_waivers),
            "baselined": result.baselined,
            "preexisting": result.preexisting,
            "rules": dict(sorted(Counter(f.code for f in result.findings).items())),
            "files": result.files,
            "entities": result.entities,
            "failed": result.failed,
        },
    }


def render(result: LintResult, options: ReportOptions) -> str:
    findings = shown_findings(result, options)
    empty = json_text(_document(result, []))
    if not findings:
        return empty
    # The document without findings, its empty list then replaced by the findings' text: the
    # first '"findings": [],' is the key's (the version before it is a number, and a quote in
    # the root's text is escaped).
    head, _, tail = empty.partition('\n  "findings": [],\n')
    body = json_safe(",\n".join(map(_finding_text, findings)))
    return f'{head}\n  "findings": [\n{body}\n  ],\n{tail}'


_SEVERITY_TEXT = {severity: encode_basestring(str(severity)) for severity in Severity}


def _ref_text(ref: EntityRef, indent: str) -> str:
    return (
        f'{{\n{indent}  "kind": {encode_basestring(ref.kind)},\n'
        f'{indent}  "id": {encode_basestring(ref.id)}\n{indent}}}'
    )


def _finding_text(finding: Finding) -> str:
    """One finding as ``json_text`` indents it inside the report's findings list."""
    entity = finding.entity
    related = finding.related
    if related:
        items = ",\n        ".join(_ref_text(ref, "        ") for ref in related)
        related_text = f"[\n        {items}\n      ]"
    else:
        related_text = "[]"
    suppressed = (
        ""
        if finding.suppressed is None
        else f',\n      "suppressed": {{\n        "reason": '
        f"{encode_basestring(finding.suppressed)}\n      }}"
    )
    return (
        f'    {{\n      "code": {encode_basestring(finding.code)},\n'
        f'      "name": {encode_basestring(finding.name)},\n'
        f'      "severity": {_SEVERITY_TEXT[finding.severity]},\n'
        f'      "message": {encode_basestring(finding.message)},\n'
        f'      "path": {encode_basestring(finding.path)},\n'
        f'      "line": {int(finding.line)!r},\n'
        f'      "column": {int(finding.column)!r},\n'
        f'      "entity": {"null" if entity is None else _ref_text(entity, "      ")},\n'
        f'      "related": {related_text},\n'
        f'      "fingerprint": {encode_basestring(finding.fingerprint)}{suppressed}\n    }}'
    )
