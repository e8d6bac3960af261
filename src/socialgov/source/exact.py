"""The exact YAML parser: what libyaml reads, built into plain data that keeps where every node came
from (socialgov.source.events, the only module that imports PyYAML). (socialgov.source.fastyaml
parses what it is sure to read alike; this reads the rest.)

Most of the rest, in repositories as people write them, is a file that does not parse at all,
for one of two mistakes: a line indented with a tab, and an unquoted ``: `` in a value
(``topic: Support: EMEA``). Such a file is answered here without importing PyYAML (about 24 M
instructions, 2% of a cold lint of a small repository) when it is certain what libyaml says:

- the mistake is the first thing libyaml stops at: the text before it is read by the fast path
  (so libyaml reads it too, the same tokens), as one document whose root is a list or mapping
  written in block style from the first column (so no document is complete when it stops:
  the file gives none, and a key written twice before it is never reported, as with libyaml);
- what libyaml's scanner is doing when it meets the mistake is told by the line before it, of
  a few shapes only: a tab at the start of a line is "found character that cannot start any
  token" after a comment, a key, a quoted value or a flow collection, and "found a tab
  character that violates indentation" inside a plain value, which goes on over lines until a
  comment or a line less indented; the second ``:`` of ``key: value: more`` on a line of its
  own is "mapping values are not allowed in this context";
- no text block is open there (a line less indented than each ``|`` or ``>`` line follows it),
  and the file holds no character YAML does not allow (libyaml's reader refuses one before it
  scans anything).

A file holding a whole merge conflict (``<<<<<<<``, ``=======``, ``>>>>>>>``), which
socialgov.source.events reports at its first marker wherever the parser gives up past it, is
answered here the same way when the parser is certain to give up there (see _merge_conflict).

Anything else, and every file when the fast path is turned off, is parsed by
socialgov.source.events. tests/test_exact.py compares the two on every corpus the project has,
with each mistake made on every line it can be.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from socialgov.core.findings import Position
from socialgov.source.loader import (
    _LINES,
    _NOT_PRINTABLE,
    CONFLICT,
    DEFAULT_LIMITS,
    ParsedFile,
    conflict_start,
    syntax_finding,
    syntax_hint,
)

if TYPE_CHECKING:
    from re import Pattern


def parse_text(text: str, path: str, limits: dict[str, int] | None = None) -> ParsedFile:
    """Parse the YAML ``text`` of the file at ``path`` (relative, for messages)."""
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    known = _common_mistake(text, path, limits)
    if known is None:
        known = _merge_conflict(text, path, limits)
    if known is not None:
        return known
    from socialgov.source import events

    return events.parse_text(text, path, limits)


# --------------------------------------------------------------------------- common mistakes

_KEY = r"""(?:[A-Za-z_][A-Za-z0-9_.\-]*|"[^"\\\n]*"|'[^'\n]*')"""
"""A mapping key as people write one: a word, or quoted without escapes."""
_QUOTED = r"""(?:"[^"\\\n]*"|'[^'\n]*')"""
_PLAIN = r"""[A-Za-z0-9_(](?:[ ]*(?:[^#:\n\r\t"' ]|:[^#:\n\r\t"' ]))*"""
"""A plain value on one line: no comment, no ``: ``, no quote, no tab, no space at its end
(so that no text can make a pattern below try every split of a run of spaces)."""
_IN_FLOW = rf"""(?:[^\[\]{{}}#\n\r\t"']|{_QUOTED})*"""
_FLOW = rf"(?:\[{_IN_FLOW}\]|\{{{_IN_FLOW}\}})"
"""A flow list or mapping on one line, nothing nested."""
_NODE = rf"^[ ]*(?:-[ ]+)*(?:{_KEY}:[ ]+)?"
"""Where a line's last node starts: its indentation, list items' dashes and a key."""

_COLON: Pattern[str] = re.compile(rf"(?m)^[ ]*(?:-[ ]+)*{_KEY}:[ ]+{_PLAIN}[ ]*(:)(?=[ \r\n]|$)")
"""``key: value: more``: the second colon, where libyaml stops."""
_NEXT_TOKEN: Pattern[str] = re.compile(
    rf"[ ]*#.*|[ ]*(?:-[ ]+)*(?:-|{_KEY}:)|{_NODE}(?:{_QUOTED}|{_FLOW})(?:[ ]+#.*)?"
    rf"|{_NODE}{_PLAIN}[ ]+#.*"
)
"""A line after which a tab starting the next line cannot start a token: a comment, a key or
a list item without a value, a value quoted or in flow style, a plain value with a comment."""
_IN_PLAIN: Pattern[str] = re.compile(rf"{_NODE}{_PLAIN}")
"""A line that ends in a plain value, which libyaml goes on reading over the next lines."""
_HEADED: Pattern[str] = re.compile(rf"[ ]*(?:-(?:[ ]|$)|{_KEY}[ ]*:(?:[ ]|$))")
"""A line whose first node is a key or a list item: a text block on it is indented more."""
_FIRST_COLUMN_BLOCK: Pattern[str] = re.compile(r"[^ #\[{\r]")

_TAB_AFTER_TOKEN = "while scanning for the next token found character that cannot start any token"
_TAB_IN_PLAIN = "while scanning a plain scalar found a tab character that violates indentation"
_SECOND_COLON = "mapping values are not allowed in this context"


def _common_mistake(text: str, path: str, limits: dict[str, int]) -> ParsedFile | None:
    """What libyaml says about a file with a tab indenting a line or a second ``: `` on a line,
    when this is certain to be it (see the module's docstring); else None."""
    tab = text.find("\n\t") + 1
    colon = _COLON.search(text, 0, tab or len(text))
    if not tab and colon is None:
        return None
    from socialgov.source import fastyaml

    if not fastyaml.enabled() or _NOT_PRINTABLE.search(text) is not None:
        return None
    at = colon.start(1) if colon is not None else tab
    before = text[:at]
    lines = before.split("\n")
    if not _block_style_root(lines) or not _text_blocks_closed(lines):
        return None
    if colon is not None:
        above = next((line for line in reversed(lines[:-1]) if line.strip(" \r")), "")
        if above.rstrip(" \r").endswith(("]", "}")):
            return None  # (a deeper line after a flow item: the fast path's reading differs)
        problem = _SECOND_COLON
    else:
        last = next((line for line in reversed(lines[:-1]) if line.strip(" \r")), "")
        last = last.rstrip(" \r")
        if _NEXT_TOKEN.fullmatch(last):
            problem = _TAB_AFTER_TOKEN
        elif _IN_PLAIN.fullmatch(last):
            problem = _TAB_IN_PLAIN
        else:
            return None
    parsed = fastyaml.parse(before, path, limits)
    if parsed is None or len(parsed.documents) != 1:
        return None
    if any(finding.code != "SG102" for finding in parsed.findings):
        return None  # (the fast path reports nothing else: keys written twice)
    if any(_spaced(document.data) for document in parsed.documents):
        return None  # a deeper line after a one-line list item, which the fast path misreads
    position = Position(len(lines), len(lines[-1]) + 1)
    hint = syntax_hint(problem if colon is not None else "'\\t'")  # libyaml stops at the tab
    message = f"invalid YAML: {problem}; {hint}"
    return ParsedFile(path, [], [syntax_finding(path, message, position)])


def _merge_conflict(text: str, path: str, limits: dict[str, int]) -> ParsedFile | None:
    """What libyaml's parse of a file holding a whole merge conflict comes to (the conflict, at
    its ``<<<<<<<`` line: socialgov.source.events reports it wherever the parser gives up at or
    after that line), when the parser is certain to give up there and not before:

    - the text before the marker's line is read by the fast path as one document whose root is
      a list or mapping written in block style from the first column, with every text block
      closed (as for the common mistakes above: libyaml reads the same tokens, and no document
      is complete);
    - the marker's line has no ``:``: its text, in the first column, is a plain value where
      that root's next key or item goes, which no ``:`` on its line makes a key (the key libyaml
      requires there) and no line can carry on (a plain value ends at the first column): the
      parser gives up on that line or the next, past the marker;
    - the file holds no character YAML does not allow (libyaml's reader refuses one first).

    Anything else is left to socialgov.source.events."""
    if "<<<<<<<" not in text:
        return None
    line = conflict_start(text, len(text) + 1)
    if line is None or line == 1:
        return None
    from socialgov.source import fastyaml

    if not fastyaml.enabled() or _NOT_PRINTABLE.search(text) is not None:
        return None
    breaks = list(itertools.islice(_LINES.finditer(text), line - 1))
    before = text[: breaks[-1].end()]
    marker = text[breaks[-1].end() :]
    ending = _LINES.search(marker)
    if ":" in (marker if ending is None else marker[: ending.start()]):
        return None
    lines = before.split("\n")
    if not _block_style_root(lines) or not _text_blocks_closed(lines):
        return None
    parsed = fastyaml.parse(before, path, limits)
    if parsed is None or len(parsed.documents) != 1:
        return None
    if any(finding.code != "SG102" for finding in parsed.findings):
        return None  # (the fast path reports nothing else: keys written twice, never told)
    if any(_spaced(document.data) for document in parsed.documents):
        return None  # a deeper line after a one-line list item, which the fast path misreads
    return ParsedFile(path, [], [syntax_finding(path, CONFLICT, Position(line, 1))])


def _block_style_root(lines: list[str]) -> bool:
    """Whether the first document's root starts in the first column in block style, after
    comments, blank lines and at most a ``---`` line (so it ends only with the document)."""
    marker = False
    for line in lines:
        bare = line.rstrip(" \r")
        if not bare or bare.lstrip(" ").startswith("#"):
            continue
        if bare == "---" and not marker:
            marker = True
            continue
        if _FIRST_COLUMN_BLOCK.match(bare) is None or bare.startswith(("---", "...", "%")):
            return False
        break
    else:
        return False
    # No other document marker: a document ended before the mistake would be kept
    return sum(line.startswith(("---", "...")) for line in lines) == marker


def _text_blocks_closed(lines: list[str]) -> bool:
    """Whether every line that may hold a text block's ``|`` or ``>`` header is followed by a
    line indented no more than it (a line less indented than the block ends it) and names a
    key or list item before it (so the block is indented more than the line)."""
    least = None  # the least indentation of the lines after, blank lines left out
    for line in reversed(lines):
        indent = len(line) - len(line.lstrip(" "))
        if ("|" in line or ">" in line) and (
            least is None or least > indent or _HEADED.match(line) is None
        ):
            return False
        if line.strip(" \r") and (least is None or indent < least):
            least = indent
    return True


def _spaced(data: object) -> bool:
    """Whether a key or text in ``data`` starts with a space: what the fast path reads where a
    line indented deeper follows a list item of one line (``- {a: 1}`` or ``- "a"``, then
    ``    b: c``), which libyaml refuses; a quoted text may start so too (declined with it)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and key.startswith(" "):
                    return True
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and value.startswith(" "):
            return True
    return False
