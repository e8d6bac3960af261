"""``--format json``: the documented, versioned machine format (docs/formats.md)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from socialgov.findings import Finding
from socialgov.lint import LintResult
from socialgov.reporters.base import ReportOptions, json_text, shown_findings, summary_counts

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
    findings = shown_findings(result, options)
    return {
        "version": VERSION,
        "root": result.config.root.as_posix(),
        "as_of": result.config.as_of.isoformat(),
        "findings": [finding_dict(f) for f in findings],
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
    return json_text(document(result, options))
