"""A small YAML writer for the benchmark generators: a tree of nodes in, YAML text out, written
the way a person would (block and flow style, comments, anchors, aliases, merge keys, text
blocks, quoting by habit), and the data a YAML 1.2 core parser must read back from it.

The writer only ever writes what it can read back exactly: ``resolve(node)`` is the data any
correct parser (PyYAML, rapidyaml, socialgov's loader) gives for ``render(node)``; the tests of
the human generator check that with PyYAML file by file. Values are restricted to what YAML 1.1
(PyYAML) and YAML 1.2 core read the same way, so the check holds for both.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

# Plain words YAML 1.1 or 1.2 read as something other than a string.
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~", ""}
_PLAIN = re.compile(r"[A-Za-z][^\n\r\t\"\\`]*")
_FLOW_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _.@/+()'&-]*")


class Block(str):
    """A text block (``|``, ``|-``, ``|+``, ``>``, ``>-``): the string it reads as, and how it
    is written. ``lines`` are the lines as written ("" for a blank line between paragraphs);
    ``keep`` the blank lines a ``|+`` block keeps after its text."""

    style: str
    lines: tuple[str, ...]
    keep: int

    def __new__(cls, lines: list[str], style: str, keep: int = 0) -> Block:
        if style.startswith("|"):
            body = "\n".join(lines)
        else:  # folded: the lines of a paragraph join with spaces, a blank line is a break
            paragraphs, current = [], []
            for line in lines:
                if line:
                    current.append(line)
                else:
                    paragraphs.append(" ".join(current))
                    current = []
            paragraphs.append(" ".join(current))
            body = "\n".join(paragraphs)
        if style in ("|", ">"):
            value = body + "\n"
        elif style == "|+":
            value = body + "\n" + "\n" * keep
        else:  # |- and >-
            value = body
        made = super().__new__(cls, value)
        made.style, made.lines, made.keep = style, tuple(lines), keep
        return made


@dataclass
class C:
    """A scalar (or flow collection) with a comment after it on its line."""

    value: Any
    comment: str


@dataclass
class Q:
    """A string quoted with this character whatever the style's habit."""

    value: str
    char: str = '"'


@dataclass
class Note:
    """A comment on a line of its own, before the next key or item."""

    text: str


@dataclass
class Disabled:
    """An entry commented out line by line (kept for reference, or waiting for approval)."""

    node: Any
    reason: str = ""


@dataclass
class Map:
    """A mapping. ``items`` are (key, value) pairs and Notes; ``merge`` the anchored mappings
    merged in with ``<<`` (the first wins, the mapping's own keys win over all)."""

    items: list[Any] = field(default_factory=list)
    flow: bool = False
    anchor: str | None = None
    merge: list[Map] = field(default_factory=list)


@dataclass
class Seq:
    items: list[Any] = field(default_factory=list)
    flow: bool = False
    anchor: str | None = None


@dataclass
class Alias:
    """``*name`` of an anchored node, which it reads as."""

    target: Map | Seq | Anchored


@dataclass
class Anchored:
    """A scalar with an anchor."""

    value: Any
    anchor: str


@dataclass
class Style:
    """How one person writes YAML."""

    indent: int = 2
    dash_indented: bool = False  # "key:\n  - item" rather than "key:\n- item"
    quote: str = '"'  # the quote they use when a value needs one
    quote_fields: frozenset[str] = frozenset()  # keys whose string values they always quote
    quote_keys: bool = False  # "id": ... (pasted from JSON)
    true_word: str = "true"
    false_word: str = "false"
    comment_gap: str = "  "  # between a value and its comment


def resolve(node: Any) -> Any:
    """The data ``render(node)`` reads as."""
    if isinstance(node, Map):
        data: dict[Any, Any] = {}
        for merged in reversed(node.merge):
            data.update(resolve(merged))
        for item in node.items:
            if isinstance(item, (Note, Disabled)):
                continue
            key, value = item
            data[resolve(key)] = resolve(value)
        return data
    if isinstance(node, Seq):
        return [resolve(item) for item in node.items if not isinstance(item, (Note, Disabled))]
    if isinstance(node, (C, Q)):
        return resolve(node.value)
    if isinstance(node, Alias):
        return resolve(node.target)
    if isinstance(node, Anchored):
        return resolve(node.value)
    return node


def plain_ok(text: str, flow: bool = False) -> bool:
    """Whether ``text`` reads back as this same string when written without quotes, in YAML
    1.1 and 1.2 alike (conservative)."""
    if text.lower() in _RESERVED or text != text.strip():
        return False
    if flow:
        return bool(_FLOW_PLAIN.fullmatch(text))
    if not _PLAIN.fullmatch(text):
        return False
    return ": " not in text and " #" not in text and not text.endswith(":")


def quoted(text: str, char: str) -> str:
    if char == "'" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


class Writer:
    def __init__(self, style: Style) -> None:
        self.style = style

    # scalars -----------------------------------------------------------------------------
    def scalar(self, value: Any, key: str | None = None, flow: bool = False) -> str:
        s = self.style
        if isinstance(value, Q):
            return quoted(value.value, value.char)
        if isinstance(value, Anchored):
            return f"&{value.anchor} {self.scalar(value.value, key, flow)}"
        if isinstance(value, Alias):
            return "*" + _anchor_of(value.target)
        if value is None:
            return "null"
        if isinstance(value, bool):
            return s.true_word if value else s.false_word
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            if key in s.quote_fields or not plain_ok(value, flow):
                return quoted(value, s.quote)
            return value
        raise TypeError(f"cannot write {value!r}")

    def key(self, key: Any) -> str:
        if self.style.quote_keys and isinstance(key, str) and key != "<<":
            return quoted(key, self.style.quote)
        return key if isinstance(key, str) and plain_ok(key) else self.scalar(key)

    def inline(self, node: Any, key: str | None = None) -> str:
        """A node written on one line (flow style)."""
        if isinstance(node, C):  # no comment inside a flow collection
            return self.inline(node.value, key)
        if isinstance(node, Map):
            anchor = f"&{node.anchor} " if node.anchor else ""
            parts = [f"<<: *{_anchor_of(m)}" for m in node.merge]
            for item in node.items:
                k, v = item
                parts.append(f"{self.key(k)}: {self.inline(v, k)}")
            return anchor + "{" + ", ".join(parts) + "}"
        if isinstance(node, Seq):
            anchor = f"&{node.anchor} " if node.anchor else ""
            return anchor + "[" + ", ".join(self.inline(i, key) for i in node.items) + "]"
        if isinstance(node, Alias):
            return "*" + _anchor_of(node.target)
        return self.scalar(node, key, flow=True)

    # block style ---------------------------------------------------------------------------
    def lines(self, node: Any, col: int = 0) -> list[str]:
        """A mapping or sequence in block style, its lines starting at column ``col``."""
        if isinstance(node, Map):
            return self._map(node, col)
        if isinstance(node, Seq):
            return self._seq(node, col)
        raise TypeError("a document is a mapping or a sequence")

    def _map(self, node: Map, col: int) -> list[str]:
        pad = " " * col
        out = [f"{pad}<<: *{_anchor_of(m)}" for m in node.merge[:1]]
        if len(node.merge) > 1:
            out = [f"{pad}<<: [{', '.join('*' + _anchor_of(m) for m in node.merge)}]"]
        for item in node.items:
            if isinstance(item, Note):
                out.append(f"{pad}# {item.text}".rstrip())
                continue
            if isinstance(item, Disabled):
                out += self._disabled(item, col)
                continue
            key, value = item
            out += self._entry(pad + self.key(key) + ":", value, col, key)
        return out

    def _entry(self, head: str, value: Any, col: int, key: Any) -> list[str]:
        """``head`` (a key and its colon) followed by its value."""
        s = self.style
        comment = ""
        if isinstance(value, C):
            comment = f"{s.comment_gap}# {value.comment}"
            value = value.value
        if isinstance(value, Block):
            indicator = value.style
            body = [(" " * (col + s.indent) + line) if line else "" for line in value.lines]
            return [f"{head} {indicator}{comment}", *body, *([""] * value.keep)]
        if isinstance(value, Map) and not value.flow and (value.items or value.merge):
            anchor = f" &{value.anchor}" if value.anchor else ""
            return [head + anchor + comment, *self._map(value, col + s.indent)]
        if isinstance(value, Seq) and not value.flow and value.items:
            anchor = f" &{value.anchor}" if value.anchor else ""
            inner = col + s.indent if s.dash_indented else col
            return [head + anchor + comment, *self._seq(value, inner)]
        if isinstance(value, (Map, Seq, Alias)):
            return [f"{head} {self.inline(value, key)}{comment}"]
        return [f"{head} {self.scalar(value, key)}{comment}"]

    def _seq(self, node: Seq, col: int) -> list[str]:
        pad = " " * col
        out: list[str] = []
        for item in node.items:
            if isinstance(item, Note):
                out.append(f"{pad}# {item.text}".rstrip())
                continue
            if isinstance(item, Disabled):
                out += self._disabled(item, col)
                continue
            comment = ""
            if isinstance(item, C):
                comment = f"{self.style.comment_gap}# {item.comment}"
                item = item.value
            if isinstance(item, Map) and not item.flow and (item.items or item.merge):
                inner = self._map(item, col + 2)
                out.append(pad + "- " + inner[0][col + 2 :] + comment)
                out += inner[1:]
            elif isinstance(item, Seq) and not item.flow and item.items:
                inner = self._seq(item, col + 2)
                out.append(pad + "- " + inner[0][col + 2 :] + comment)
                out += inner[1:]
            elif isinstance(item, Block):
                out += self._entry(pad + "-", item, col, None)
            elif isinstance(item, (Map, Seq, Alias)):
                out.append(f"{pad}- {self.inline(item)}{comment}")
            else:
                out.append(f"{pad}- {self.scalar(item)}{comment}")
        return out

    def _disabled(self, item: Disabled, col: int) -> list[str]:
        pad = " " * col
        node = item.node
        body = (
            self._seq(Seq([node]), col)
            if isinstance(node, Map)
            else self._entry(pad + self.key(node[0]) + ":", node[1], col, node[0])
        )
        out = [f"{pad}# {item.reason}"] if item.reason else []
        return out + [pad + "# " + line[col:] if line.strip() else pad + "#" for line in body]


def _anchor_of(node: Any) -> str:
    anchor = getattr(node, "anchor", None)
    if not anchor:
        raise ValueError("an alias needs an anchored node")
    return anchor


def render_documents(
    documents: list[Any],
    style: Style,
    *,
    header: list[str] = (),  # type: ignore[assignment]
    start_marker: bool = False,
    end_marker: bool = False,
    newline: str = "\n",
    final_newline: bool = True,
) -> str:
    """Whole file text: a header comment, then each document (separated by ``---``)."""
    writer = Writer(style)
    out = [f"# {line}".rstrip() for line in header]
    for index, document in enumerate(documents):
        if index or start_marker:
            out.append("---")
        out += writer.lines(document)
        if end_marker:
            out.append("...")
    text = newline.join(out)
    return text + newline if final_newline else text
