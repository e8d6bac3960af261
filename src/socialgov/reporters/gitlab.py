"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array of Code Climate issues, each valid against GitLab's schema
(shared/standards/gitlab-codequality/): a one-line description, ``check_name`` (the code), a
fingerprint that is unique in the report (GitLab keeps one issue per fingerprint) and stable
across runs and file moves (so merge requests show only what changed), a GitLab severity, and the
path relative to the checkout's root with the 1-based line.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from socialgov.core.escape import json_text
from socialgov.core.findings import Finding, Severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import (
    ReportOptions,
    repository_path,
    repository_paths,
    shown_findings,
)

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _description(finding: Finding) -> str:
    text = f"{finding.code} {finding.message}"
    if finding.suppressed is not None:
        text += f" (suppressed: {finding.suppressed})"
    return " ".join(text.split())  # Code Climate descriptions are one line


def _unique(fingerprint: str, seen: Counter[str]) -> str:
    """The finding's fingerprint; a second finding with the same one gets a derived one."""
    seen[fingerprint] += 1
    if seen[fingerprint] == 1:
        return fingerprint
    derived = f"{fingerprint}#{seen[fingerprint]}".encode()
    return hashlib.sha256(derived).hexdigest()[:32]


def issue(
    result: LintResult, finding: Finding, fingerprint: str, path: str | None = None
) -> dict[str, Any]:
    """One finding as a Code Quality issue; ``path``, when given, is its repository_path."""
    return {
        "type": "issue",
        "description": _description(finding),
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": "info" if finding.suppressed is not None else SEVERITIES[finding.severity],
        "location": {
            "path": repository_path(result, finding.path) if path is None else path,
            "lines": {"begin": max(finding.line, 1)},
        },
        "engine_name": "socialgov",
    }


def render(result: LintResult, options: ReportOptions) -> str:
    seen: Counter[str] = Counter()
    path = repository_paths(result)
    issues = [
        issue(result, f, _unique(f.fingerprint, seen), path(f.path))
        for f in shown_findings(result, options)
    ]
    return json_text(issues)
