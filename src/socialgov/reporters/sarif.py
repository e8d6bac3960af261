"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

The log validates against the OASIS schema and carries what code scanning reads (see
shared/standards/sarif/): a rule for every rule that ran, with short and full descriptions and
help; stable rule ids (the codes); partial fingerprints that ignore line numbers; artifact URIs
relative to the checkout's root, percent-encoded, with ``/``; 1-based regions counted in Unicode
code points. Waived findings (shown with ``--show-suppressed``) carry an ``inSource`` suppression
with the waiver's reason as its justification. docs/formats.md describes the mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from socialgov import __version__
from socialgov.core.escape import json_text
from socialgov.core.findings import Finding, Severity
from socialgov.report.chain import MAX_RELATED
from socialgov.report.filters import configured_severity
from socialgov.report.result import LintResult
from socialgov.reporters.base import (
    ReportOptions,
    repository_paths,
    repository_root,
    shown_findings,
)
from socialgov.rules.base import RuleInfo

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "socialgov/v1"
TRAILS = True
"""Related locations and code flows need the run's trails (socialgov.reporters.wants_trails)."""
MAX_TEXT = 1024
"""Code scanning's limit on shortDescription and fullDescription."""
MAX_RESULTS = 25_000
"""The most results GitHub code scanning keeps from one run (it refuses the upload above)."""

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _rules(result: LintResult, findings: list[Finding]) -> list[RuleInfo]:
    """Every rule that ran, plus the rule of any listed finding that is not among them."""
    from socialgov.rules.registry import builtin_rules

    rules = {info.code: info for info in result.rules}
    known = {info.code: info for info in builtin_rules()}
    for finding in findings:
        if finding.code not in rules:
            rules[finding.code] = known.get(finding.code) or RuleInfo(
                code=finding.code,
                name=finding.name,
                severity=finding.severity,
                summary=finding.name.replace("-", " ").capitalize(),
                family="other",
            )
    return sorted(rules.values(), key=lambda info: info.code)


def reporting_descriptor(info: RuleInfo, result: LintResult) -> dict[str, Any]:
    severity = configured_severity(info, result.config.severity)
    summary = info.summary or info.name
    full = info.rationale or summary
    help_text = "\n\n".join(
        part
        for part in (
            info.fix and f"How to fix: {info.fix}",
            f"Documentation: docs/rules.md#{info.code.lower()}, or run: socialgov explain "
            f"{info.code}",
        )
        if part
    )
    help_markdown = "\n\n".join(
        part
        for part in (
            full,
            info.fix and f"**How to fix:** {info.fix}",
            f"See [{info.code} in the rule reference](docs/rules.md#{info.code.lower()}) or run "
            f"`socialgov explain {info.code}`.",
        )
        if part
    )
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": _clip(summary)},
        "fullDescription": {"text": _clip(full)},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "tags": ["socialgov", info.family],
            "precision": "very-high",
            "problem.severity": PROBLEM_SEVERITY[severity],
        },
    }


Uris = Callable[[str], str]
"""A finding's root-relative path to its artifact URI (see :func:`_uris`)."""


def _uris(result: LintResult) -> Uris:
    """Each path's URI relative to the checkout, percent-encoded: the checkout looked for once
    per report and each path encoded once."""
    path = repository_paths(result)
    known: dict[str, str] = {}

    def uri(relpath: str) -> str:
        found = known.get(relpath)
        if found is None:
            # the name's own bytes, when it is not UTF-8
            raw = path(relpath).encode("utf-8", "surrogateescape")
            found = known[relpath] = quote(raw, safe="/")
        return found

    return uri


def _location(uri: str, line: int, column: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
            "region": {
                "startLine": max(line, 1),
                "startColumn": max(column, 1),
                "endLine": max(line, 1),
            },
        }
    }


def _related(result: LintResult, finding: Finding, uri: Uris) -> list[dict[str, Any]]:
    """Where each related entity is written, as the run resolved it."""
    trail = result.trails.get(finding) if result.trails is not None else None
    locations: list[dict[str, Any]] = []
    for place in trail.related if trail is not None else ():
        location = _location(uri(place.path), place.line, place.column)
        location["id"] = len(locations)
        location["message"] = {"text": str(place.entity)}
        locations.append(location)
    return locations


def _code_flows(result: LintResult, finding: Finding, uri: Uris) -> list[dict[str, Any]]:
    """The chain of entities behind the finding (socialgov.report.chain) as one code flow, when it
    has more than one step."""
    trail = result.trails.get(finding) if result.trails is not None else None
    if trail is None or len(trail.chain) < 2:
        return []
    locations = []
    for link in trail.chain[:MAX_RELATED]:
        location = _location(uri(link.path), link.line, link.column)
        text = f"{link.entity}: {link.field}: {link.value}" if link.field else str(link.entity)
        location["message"] = {"text": _clip(text)}
        locations.append({"location": location})
    return [{"threadFlows": [{"locations": locations}]}]


def sarif_result(
    finding: Finding,
    rule_index: int,
    result: LintResult,
    uri: Uris | None = None,
) -> dict[str, Any]:
    """One finding as a SARIF result; ``uri`` (from :func:`_uris`) serves a whole report."""
    uri = _uris(result) if uri is None else uri
    item: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(uri(finding.path), finding.line, finding.column)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    related = _related(result, finding, uri)
    if related:
        item["relatedLocations"] = related
    flows = _code_flows(result, finding, uri)
    if flows:
        item["codeFlows"] = flows
    properties: dict[str, Any] = {}
    if finding.entity is not None:
        properties["entity"] = finding.entity.as_dict()
    if finding.related:
        properties["related"] = [ref.as_dict() for ref in finding.related[:MAX_RELATED]]
        if len(finding.related) > MAX_RELATED:
            properties["relatedCount"] = len(finding.related)
    if properties:
        item["properties"] = properties
    if finding.suppressed is not None:
        item["suppressions"] = [
            {"kind": "inSource", "status": "accepted", "justification": finding.suppressed}
        ]
    return item


def document(result: LintResult, options: ReportOptions) -> dict[str, Any]:
    findings = shown_findings(result, options)
    rules = _rules(result, findings)
    index = {info.code: i for i, info in enumerate(rules)}
    uri = _uris(result)
    checkout = repository_root(result.config.root).as_uri()
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "socialgov",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [reporting_descriptor(info, result) for info in rules],
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "originalUriBaseIds": {SRCROOT: {"uri": checkout.rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [sarif_result(f, index[f.code], result, uri) for f in findings],
            }
        ],
    }


def render(result: LintResult, options: ReportOptions) -> str:
    return json_text(document(result, options))


def caveats(result: LintResult, options: ReportOptions) -> list[str]:
    """What the user should know about this report before uploading it."""
    count = len(shown_findings(result, options))
    if count <= MAX_RESULTS:
        return []
    return [
        f"the SARIF report holds {count:,} results, and GitHub code scanning takes at most "
        f"{MAX_RESULTS:,} from one run; upload it after a baseline (--write-baseline FILE, then "
        "baseline: FILE in socialgov.yaml) so that only new findings are in it, or in parts "
        "(--select SG2, --select SG3, ...), one category each (docs/ci.md)"
    ]
