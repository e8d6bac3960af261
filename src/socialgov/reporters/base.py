"""What every reporter shares: options, display paths and safe text."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.findings import Finding, Severity, counts

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from socialgov.lint import LintResult

# C0 and C1 control characters but tab and line feed (ESC starts every terminal escape sequence:
# CSI, OSC; U+009B and U+009D are their one-character forms), the line and paragraph separators,
# and the bidirectional controls that make text display in another order than it is read
# ("Trojan Source", CVE-2021-42574).
# Lone surrogates are bytes of a file name that is not UTF-8 (os.fsdecode's surrogateescape): no
# stream can encode them, so they are shown as the byte they stand for.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
# GitHub's runner takes "##[" anywhere in a line as a (legacy) workflow command.
_LEGACY_COMMAND = re.compile(r"##\[")


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    quiet: bool = False
    show_suppressed: bool = False
    statistics: bool = False
    cwd: Path | None = None
    annotations: bool = False
    """Also emit GitHub Actions annotation commands (text format under GITHUB_ACTIONS=true)."""


def visible(match: re.Match[str]) -> str:
    """A character as the escape that names it: ``\\x1b``, ``\\u202e``; a lone surrogate from
    a name that is not UTF-8 as the byte it stands for (``\\xff``)."""
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """Text from the repository with control characters (terminal escape sequences),
    bidirectional controls and the bytes of names that are not UTF-8 made visible as escapes,
    and ``##[`` (a GitHub Actions command anywhere in a line) as ``##\\x5b``; tabs and line feeds
    are kept (``one_line`` shows those too)."""
    if "##[" in text:
        text = _LEGACY_COMMAND.sub(r"##\\x5b", text)
    return _CONTROL.sub(visible, text)


def json_text(value: object) -> str:
    """``value`` as indented JSON, readable (not ASCII-escaped) yet safe to print: the control
    and bidirectional characters JSON allows raw in a string are written as ``\\u`` escapes, so
    the text decodes to exactly the same data."""
    return json_safe(indented_json(value)) + "\n"


def indented_json(value: object) -> str:
    """What ``json.dumps(value, indent=2, ensure_ascii=False)`` gives, written by one recursive
    function into one list: Python's encoder indents through a generator per container, which
    costs seconds on a report of 100,000 findings. Strings go through the encoder's own C
    escaping; tests compare both on every kind of value."""
    out: list[str] = []
    _write_json(value, out, "\n")
    return "".join(out)


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == math.inf:
        return "Infinity"
    if value == -math.inf:
        return "-Infinity"
    return float.__repr__(value)


def _json_key(key: object) -> str:
    """A mapping key as the JSON encoder writes it (it turns numbers, booleans and null into
    text)."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return encode_basestring(_json_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _write_json(value: object, out: list[str], newline: str) -> None:
    """Append ``value``'s JSON to ``out``; ``newline`` is a line break and the current indent.
    The checks run in the encoder's order (a bool is an int, a str subclass is a str)."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_json_float(value))
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            kind = type(item)
            if kind is str:  # the usual leaves, written here rather than by another call
                out.append(separator + encode_basestring(item))
            elif kind is int:
                out.append(separator + int.__repr__(item))
            else:
                out.append(separator)
                _write_json(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            name = encode_basestring(key) if type(key) is str else _json_key(key)
            kind = type(item)
            if kind is str:
                out.append(f"{separator}{name}: {encode_basestring(item)}")
            elif kind is int:
                out.append(f"{separator}{name}: {int.__repr__(item)}")
            else:
                out.append(f"{separator}{name}: ")
                _write_json(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def json_safe(text: str) -> str:
    """JSON text with the control and bidirectional characters, and lone surrogates, written as
    ``\\u`` escapes, and ``##[`` as ``##\\u005b`` (never a GitHub Actions command in a CI log),
    all of which decode to the same data (see :func:`json_text`)."""
    if "##[" in text:
        text = _LEGACY_COMMAND.sub(r"##\\u005b", text)
    return _CONTROL.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def one_line(text: str) -> str:
    """Text from the repository, safe for a terminal, on one line: line breaks shown as ``\\n``,
    so that it can never forge a line of its own."""
    return terminal_safe(text.replace("\r\n", "\n").replace("\n", "\\n"))


def display_path(root: Path, relpath: str, cwd: Path | None = None) -> str:
    """A finding's path as a person at ``cwd`` would type it: relative when under cwd.

    ``cwd``, when given, must already be resolved (reporters resolve it once per report).
    """
    full = root / relpath
    base = cwd if cwd is not None else Path.cwd().resolve()
    try:
        return full.relative_to(base).as_posix()
    except ValueError:
        rel = os.path.relpath(full, base)
        return Path(rel).as_posix() if not rel.startswith("../../..") else full.as_posix()


def summary_counts(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, int]:
    by_severity = counts(findings)
    return {
        "errors": by_severity[Severity.ERROR],
        "warnings": by_severity[Severity.WARNING],
        "info": by_severity[Severity.INFO],
    }


def shown_findings(result: LintResult, options: ReportOptions) -> list[Finding]:
    """What a report lists: the reported findings, then, with ``--show-suppressed``, the
    findings waivers suppress and the unused waivers."""
    findings = list(result.findings)
    if options.show_suppressed:
        findings.extend(result.suppressed)
        findings.extend(result.unused_waivers)
    return findings


def repository_root(root: Path) -> Path:
    """The version-control checkout holding the policy repository: the nearest folder, from
    ``root`` upward, with a ``.git`` entry (a folder, or a file in a worktree); ``root`` itself
    when there is none. CI consumers (code scanning, merge requests) want paths relative to it."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def repository_path(result: LintResult, relpath: str) -> str:
    """A finding's path relative to the checkout's root, with ``/``: ``policy/accounts/x.yaml``
    when the policy repository is the ``policy`` folder of a larger git repository."""
    return repository_paths(result)(relpath)


def repository_paths(result: LintResult) -> Callable[[str], str]:
    """:func:`repository_path` for the findings of one report: the checkout is looked for once
    (it takes a file-system look-up per folder up to it), not once per finding."""
    root = result.config.root
    prefix = root.relative_to(repository_root(root)).as_posix()
    if prefix in ("", "."):
        return _same_path
    return lambda relpath: f"{prefix}/{relpath}"


def _same_path(relpath: str) -> str:
    return relpath


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold at all (most control characters, lone
    surrogates) and those it discourages or that reorder text on screen (C1 controls,
    bidirectional controls) made visible as ``\\xNN`` / ``\\uNNNN``; the XML writer escapes
    the rest."""
    return _NOT_XML.sub(visible, _CONTROL.sub(visible, text))  # ##[ is xml_document's


def rule_title(finding: Finding) -> str:
    """``SG101 schema-violation``: how reports name a finding's rule."""
    return f"{finding.code} {finding.name}"


def xml_document(root: Element) -> str:
    """An element tree as an indented UTF-8 XML document; ElementTree escapes ``<``, ``&``,
    quotes and, in attributes, newlines and tabs (as ``&#10;`` and ``&#09;``)."""
    from xml.etree import ElementTree

    ElementTree.indent(root)
    body = xml_no_commands(ElementTree.tostring(root, encoding="unicode"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


_XML_COMMAND_LINE = re.compile(r"^(\s*):", re.MULTILINE)


def xml_no_commands(body: str) -> str:
    """An XML document with no line a GitHub Actions runner would take as a workflow command,
    unchanged in meaning: text that would begin a line with ``::`` (a value with a line break)
    gets its colon as ``&#58;``, and ``##[`` its bracket as ``&#91;``. Markup never starts with
    ``:`` or holds ``##[``, so only text and attribute values are touched."""
    body = body.replace("##[", "##&#91;")
    return _XML_COMMAND_LINE.sub(r"\1&#58;", body) if "::" in body else body
