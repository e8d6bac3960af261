"""The rule catalogue as people read it: ``socialgov rules`` and ``socialgov explain``.

Everything here formats :class:`~socialgov.rules.base.RuleInfo` metadata; the rules themselves
carry their documentation (summary, rationale, options, fix, a failing and a passing example),
so the catalogue, ``explain`` and docs/rules.md cannot tell different stories. The examples are
run by the test suite.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from socialgov.core.errors import SocialgovError
from socialgov.core.findings import Finding
from socialgov.report.chain import Link, Trail, render_chain
from socialgov.rules.base import RuleInfo
from socialgov.rules.waivers import UNWAIVABLE

WIDTH = 100
FORMATS = ("text", "json", "markdown")
JSON_VERSION = 1


def find(selector: str, rules: Sequence[RuleInfo]) -> RuleInfo:
    """The rule whose code or name is ``selector`` (any case); a helpful error otherwise."""
    wanted = selector.strip()
    for info in rules:
        if wanted.upper() == info.code.upper() or wanted.lower() == info.name:
            return info
    prefixed = [info for info in rules if info.code.upper().startswith(wanted.upper())]
    if wanted and prefixed:
        codes = ", ".join(info.code for info in prefixed)
        raise SocialgovError(
            f"'{selector}' is a prefix of several rules ({codes}); explain one of them, or see "
            "them all with 'socialgov rules'"
        )
    keys = {info.code.lower(): info for info in rules} | {info.name: info for info in rules}
    close = difflib.get_close_matches(wanted.lower(), list(keys), n=1, cutoff=0.6)
    match = keys[close[0]] if close else None
    if match is None and len(wanted) >= 3:
        match = next((info for info in rules if wanted.lower() in info.name), None)
    hint = f"; did you mean {match.code} ({match.name})?" if match else ";"
    raise SocialgovError(
        f"unknown rule '{selector}'{hint} 'socialgov rules' lists every rule's code and name"
    )


def example(info: RuleInfo, expect: str) -> str:
    """The rule's documented example that ``expect``s fail or pass; for a Rule entity without
    documented examples, the entities of its first test that expects so, as YAML."""
    written = info.example_fail if expect == "fail" else info.example_pass
    if written:
        return written
    for test in info.tests:
        if test.get("expect") == expect and isinstance(test.get("entities"), list):
            import yaml

            entities = [e for e in test["entities"] if isinstance(e, dict)]
            name = test.get("name")
            head = f"# test: {name}\n" if isinstance(name, str) else ""
            return head + yaml.safe_dump(
                {"entities": entities}, sort_keys=False, allow_unicode=True, width=WIDTH
            ).removeprefix("entities:\n")
    return ""


def _options(info: RuleInfo) -> list[tuple[str, str]]:
    return [(name, json.dumps(default)) for name, default in info.options.items()]


# ----------------------------------------------------------------------------- socialgov rules


def rules_table(rules: Iterable[RuleInfo]) -> str:
    """One row per rule: code, name, severity, family, summary, in aligned columns."""
    rows = [("CODE", "NAME", "SEVERITY", "FAMILY", "SUMMARY")]
    rows.extend((i.code, i.name, str(i.severity), i.family, i.summary) for i in rules)
    widths = [max(len(row[col]) for row in rows) for col in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + "  "
        + row[4]
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def rule_dict(info: RuleInfo) -> dict[str, Any]:
    return {
        "code": info.code,
        "name": info.name,
        "severity": str(info.severity),
        "family": info.family,
        "summary": info.summary,
        "rationale": info.rationale,
        "fix": info.fix,
        "options": dict(info.options),
        "example_fail": example(info, "fail"),
        "example_pass": example(info, "pass"),
        **({"example_config": info.example_config} if info.example_config else {}),
        "origin": info.origin or None,
    }


def rules_json(rules: Iterable[RuleInfo]) -> str:
    document = {"version": JSON_VERSION, "rules": [rule_dict(info) for info in rules]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------------- socialgov explain


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(
        text, width=WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


def _block(text: str, indent: str = "    ") -> str:
    return textwrap.indent(text.rstrip("\n"), indent, lambda line: True)


def explain_text(info: RuleInfo) -> str:
    """A rule's documentation for the terminal, in the order ruff's rule pages use."""
    parts = [
        f"{info.code} {info.name}",
        f"Severity: {info.severity}    Family: {info.family}",
        *([f"Defined at: {info.origin}"] if info.origin else []),
        "",
        "What it does",
        _wrap(info.summary.rstrip(".") + "."),
    ]
    if info.rationale:
        parts += ["", "Why is this bad?", _wrap(info.rationale)]
    parts += ["", "Options"]
    options = _options(info)
    if options:
        parts += [f"  {name} (default: {default})" for name, default in options]
        parts.append(_wrap("Set them under 'options:' in socialgov.yaml."))
    else:
        parts.append("  none")
    if info.fix:
        parts += ["", "How to fix", _wrap(info.fix)]
    if info.example_config:
        parts += ["", "Examples linted with, in socialgov.yaml", _block(info.example_config)]
    failing, passing = example(info, "fail"), example(info, "pass")
    if failing:
        parts += ["", "Example that fails", _block(failing)]
    if passing:
        parts += ["", "Example that passes", _block(passing)]
    waive = (
        ""
        if info.code.lower() in UNWAIVABLE
        else f", or waive one finding with a waiver (rule: {info.code}, a reason and an expiry "
        "date) on the entity it is about"
    )
    parts += [
        "",
        "Turning it off",
        _wrap(
            f"Add {info.code} to 'ignore' in socialgov.yaml or change its severity under "
            f"'severity'{waive}."
        ),
    ]
    return "\n".join(parts) + "\n"


def explain_markdown(info: RuleInfo) -> str:
    """A rule's documentation as a section of docs/rules.md."""
    parts = [
        f"## {info.code} {info.name}",
        "",
        f"Severity: **{info.severity}**. Family: {info.family}.",
        "",
        "### What it does",
        "",
        info.summary.rstrip(".") + ".",
    ]
    if info.rationale:
        parts += ["", "### Why is this bad?", "", info.rationale]
    parts += ["", "### Options", ""]
    options = _options(info)
    if options:
        parts += [f"- `{name}` (default: `{default}`)" for name, default in options]
    else:
        parts.append("None.")
    if info.fix:
        parts += ["", "### How to fix", "", info.fix]
    failing, passing = example(info, "fail"), example(info, "pass")
    if failing or passing:
        parts += ["", "### Example", ""]
    if info.example_config:
        parts += [
            "With this in socialgov.yaml:",
            "",
            "```yaml",
            info.example_config.rstrip("\n"),
            "```",
            "",
        ]
    if failing:
        parts += ["This fails:", "", "```yaml", failing.rstrip("\n"), "```", ""]
    if passing:
        parts += ["This passes:", "", "```yaml", passing.rstrip("\n"), "```", ""]
    return "\n".join(parts).rstrip("\n") + "\n"


def explain(info: RuleInfo, output_format: str = "text") -> str:
    """A rule's documentation in ``output_format`` (text, json or markdown)."""
    if output_format == "json":
        return json.dumps(rule_dict(info), indent=2, ensure_ascii=False) + "\n"
    if output_format == "markdown":
        return explain_markdown(info)
    return explain_text(info)


def explain_findings(
    findings: Sequence[Finding], trails: Mapping[Finding, Trail] | None, output: str
) -> str:
    """Each finding with its chain (from the run's ``trails``), as text (or JSON)."""

    def links_of(finding: Finding) -> tuple[Link, ...]:
        trail = trails.get(finding) if trails is not None else None
        return trail.chain if trail is not None else ()

    if output == "json":
        import json

        from socialgov.reporters.json import finding_dict

        items = []
        for finding in findings:
            links = links_of(finding)
            items.append(
                {
                    **finding_dict(finding),
                    "chain": [
                        {
                            **link.entity.as_dict(),
                            "field": link.field or None,
                            "value": link.value if link.field else None,
                            "path": link.path,
                            "line": link.line,
                            "column": link.column,
                        }
                        for link in links
                    ],
                }
            )
        return json.dumps({"version": 1, "findings": items}, indent=2, ensure_ascii=False) + "\n"
    from socialgov.core.escape import terminal_safe

    blocks = []
    for finding in findings:
        lines = [
            f"{finding.path}:{finding.line}:{finding.column}: {finding.code} "
            f"[{finding.severity}] {finding.message}",
            f"  rule: {finding.code} {finding.name} (socialgov explain {finding.code})",
            f"  fingerprint: {finding.fingerprint}",
        ]
        if finding.suppressed is not None:
            lines.append(f"  waived: {finding.suppressed}")
        links = links_of(finding)
        if links:
            lines += ["", "  The entities behind it:", *render_chain(links)]
        blocks.append("\n".join(lines))
    return terminal_safe("\n\n".join(blocks) + "\n")
