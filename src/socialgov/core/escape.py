"""Text from a repository made safe for where it is shown: a terminal, one line of a report,
JSON, XML. Every reporter and every message that quotes a user's text goes through these."""

from __future__ import annotations

import math
import re
from functools import cache
from typing import TYPE_CHECKING

try:  # json.encoder's own (it takes _json's when there is one), without importing json (~2 M
    # instructions of a warm run, whose text report needs no more of it than this)
    from _json import encode_basestring
except ImportError:  # pragma: no cover - a Python without the C accelerator
    from json.encoder import encode_basestring

if TYPE_CHECKING:  # XML is imported only by the reports that write it
    from xml.etree.ElementTree import Element


# C0 and C1 control characters but tab and line feed (ESC starts every terminal escape sequence:
# CSI, OSC; U+009B and U+009D are their one-character forms), the line and paragraph separators,
# and the bidirectional controls that make text display in another order than it is read
# ("Trojan Source", CVE-2021-42574).
# Lone surrogates are bytes of a file name that is not UTF-8 (os.fsdecode's surrogateescape): no
# stream can encode them, so they are shown as the byte they stand for.
#
# Compiled when first used: a class of characters past U+00FF is compiled through a table of
# 65,536 entries (about 4.5 M instructions each, of this pattern and of _not_xml's), and most
# runs show only ASCII text (one_line's shortcut) and write no XML.
@cache
def _control() -> re.Pattern[str]:
    return re.compile(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
    )


# GitHub's runner takes "##[" anywhere in a line as a (legacy) workflow command.
_LEGACY_COMMAND = re.compile(r"##\[")


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
    return _control().sub(visible, text)


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
    return _control().sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def one_line(text: str) -> str:
    """Text from the repository, safe for a terminal, on one line: line breaks shown as ``\\n``,
    so that it can never forge a line of its own."""
    if _as_it_is(text):
        return text  # most messages and paths: nothing to show otherwise
    return terminal_safe(text.replace("\r\n", "\n").replace("\n", "\\n"))


def one_lines(texts: list[str]) -> list[str]:
    """:func:`one_line` of each of ``texts``: ``texts`` itself when their join is shown as it is
    (printable ASCII without ``##[`` all through is so in each part), told in one pass over the
    join instead of a call for each (a thousand findings' messages of a text report)."""
    if _as_it_is("".join(texts)):
        return texts
    return [one_line(text) for text in texts]


def _as_it_is(text: str) -> bool:
    """Whether ``text`` is printable ASCII without ``##[``, which :func:`one_line` shows as it
    is. Told in C: a text past :data:`_LONG` characters (a thousand findings' messages joined,
    :func:`one_lines`) by a ``memchr`` for each of ASCII's 33 control characters (~3
    instructions a character in all, and ~19,000 for the 33 calls), a shorter one (a path, a
    message) a byte at a time (what is left of the bytes once the printable ones are deleted;
    ~10 instructions a character, where ``str.isprintable`` asks Unicode's tables for each,
    ~26); and ``##[`` looked for only where there is a ``#`` (found by ``memchr``: the three
    characters' search took half as long again as the rest)."""
    if not text.isascii():
        return False
    if len(text) > _LONG:
        if any(map(text.__contains__, _CONTROLS)):
            return False
    elif text.encode().translate(None, _PRINTABLE_ASCII):
        return False
    return "#" not in text or "##[" not in text


_LONG = 4096
"""The length past which a text's control characters are searched for one by one (the 33
searches cost more than the byte-at-a-time pass below ~2,700 characters)."""
_CONTROLS = tuple(chr(code) for code in (*range(0x20), 0x7F))
"""ASCII's characters that ``str.isprintable`` says are not printable."""
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
"""What ``str.isprintable`` says is printable of ASCII: space to ``~``."""


@cache
def _not_xml() -> re.Pattern[str]:
    """What XML 1.0 leaves out of its characters (#x9 | #xA | #xD | [#x20-#xD7FF] |
    [#xE000-#xFFFD] | [#x10000-#x10FFFF]), written as what is left out: the same set, compiled
    ten times faster; compiled when an XML report is first written."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold at all (most control characters, lone
    surrogates) and those it discourages or that reorder text on screen (C1 controls,
    bidirectional controls) made visible as ``\\xNN`` / ``\\uNNNN``; the XML writer escapes
    the rest."""
    return _not_xml().sub(visible, _control().sub(visible, text))  # ##[ is xml_document's


def xml_document(root: Element) -> str:
    """An element tree as an indented UTF-8 XML document; ElementTree escapes ``<``, ``&``,
    quotes and, in attributes, newlines and tabs (as ``&#10;`` and ``&#09;``)."""
    from xml.etree import ElementTree

    ElementTree.indent(root)
    body = xml_no_commands(ElementTree.tostring(root, encoding="unicode"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def xml_no_commands(body: str) -> str:
    """An XML document with no line a GitHub Actions runner would take as a workflow command,
    unchanged in meaning: text that would begin a line with ``::`` (a value with a line break)
    gets its colon as ``&#58;``, and ``##[`` its bracket as ``&#91;``. Markup never starts with
    ``:`` or holds ``##[``, so only text and attribute values are touched."""
    body = body.replace("##[", "##&#91;")
    if "::" not in body:
        return body
    return re.sub(r"^(\s*):", r"\1&#58;", body, flags=re.MULTILINE)
