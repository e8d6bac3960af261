"""The exact YAML parser's reading of PyYAML: libyaml's events built into plain data, keeping
where every node came from. socialgov.source.exact is the exact parser's entry: it answers the
commonest syntax errors without PyYAML and hands every other file here. (The only module that
imports PyYAML.)

A policy repository arrives in pull requests, so everything here treats its files as hostile:

- Parsing is done from the parser's event stream (libyaml's C parser when PyYAML has it), and
  plain Python data is built from the events here, in one loop with an explicit stack. No
  constructor ever runs, so no tag can create an object or call code: ``!!python/...`` and every
  tag that is not one of YAML's plain data types is an SG100 finding. Nothing recurses, so deep
  nesting is a finding at the node that goes too deep, never a ``RecursionError``.
- An alias reuses the data of its anchor instead of copying it, and the size it expands to is
  counted before anything is built, so an alias bomb ("billion laughs") is one finding in
  milliseconds. Every limit (``DEFAULT_LIMITS``) can be changed under ``limits:`` in
  socialgov.yaml; docs/security.md explains each one.
- Control characters and NUL bytes are findings naming their position (socialgov.source.reading
  decodes the bytes).

Every mapping key and value keeps its source position (``SourceMap``), duplicate keys are
reported (SG102) instead of silently overwritten, and dates stay the strings the person wrote
(quoted or not). Scalars follow the YAML 1.2 core schema (socialgov.source.loader).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

from socialgov.core.findings import Finding, Position
from socialgov.source.loader import (
    _BOOL,
    _CORE,
    _FLOAT,
    _INT,
    _INVALID,
    _LINE_BREAK,
    _MAP,
    _NOT_PRINTABLE,
    _NULL,
    _SEQ,
    _STR,
    _TIMESTAMP,
    CONFLICT,
    DEFAULT_LIMITS,
    Document,
    ParsedFile,
    SourceNode,
    _freeze,
    _plain_scalar,
    _Tree,
    _typed_scalar,
    conflict_start,
    duplicate_key_finding,
    limit_message,
    syntax_finding,
    syntax_hint,
    text_position,
)

# PyYAML's reader compiles, when imported, a pattern of the characters YAML does not allow,
# written as the complement of those it does: Python's re builds a table of the 65,536
# characters of such a set one by one, about 58 M instructions, more than half of what
# importing PyYAML costs, for a pattern only PyYAML's pure-Python reader uses (libyaml's
# parser, used here, reads the characters in C). socialgov.source.loader has compiled the same
# set, written as the characters left out, and re keeps what it compiled by the pattern's
# text: that pattern is kept under the text PyYAML asks for before PyYAML is imported, and its
# reader finds the same characters (tests/test_loader.py compares both on every character)
# without the cost. A PyYAML whose pattern is written otherwise, or a Python whose re keeps
# its patterns otherwise, compiles its own, as before.
_PYYAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
_compiled = getattr(re, "_cache", None)
if "yaml.reader" not in sys.modules and type(_compiled) is dict:
    _compiled.setdefault((str, _PYYAML_NON_PRINTABLE, 0), _NOT_PRINTABLE)

import yaml  # noqa: E402
from yaml.events import (  # noqa: E402
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
    StreamEndEvent,
    StreamStartEvent,
)

try:  # libyaml makes parsing several times faster; PyYAML's pure-Python parser is the fallback
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


# --------------------------------------------------------------------------- building data


class _Problem(Exception):
    """The document cannot be turned into data; reported as SG100 at ``position``."""

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


@dataclass(slots=True)
class _Value:
    """A finished node: its data, where it was written, and what it costs once expanded."""

    data: Any
    source: SourceNode
    size: int
    """How many nodes it expands to, aliases included."""
    height: int
    """How many levels of lists and mappings it holds (0 for a scalar)."""
    key: str | None = None
    """For a scalar, the text as written: what it means as a mapping key."""


@dataclass(slots=True)
class _Collection:
    """A list or mapping still being read."""

    source: _Tree
    anchor: str | None
    is_mapping: bool
    data: Any
    size: int = 1
    height: int = 1
    key: str | None = None
    key_position: Position | None = None
    merge_key: bool = False
    merges: list[tuple[dict[str, Any], _Tree]] = field(default_factory=list)


class _Builder:
    """Turns parser events into plain data and source maps, checking every limit on the way."""

    def __init__(self, path: str, limits: dict[str, int]) -> None:
        self.path = path
        self.limits = limits
        self.nodes = 0
        self.findings: list[Finding] = []
        self.anchors: dict[str, _Value | None] = {}
        self.stack: list[_Collection] = []

    def start_document(self) -> None:
        self.anchors = {}  # anchors never reach across documents
        self.stack = []
        self.findings = []

    def event(self, event: Event) -> _Value | None:
        """Feed one event of a document's body; the document's value when it is complete."""
        if isinstance(event, ScalarEvent):
            return self._add(self._scalar(event), event)
        if isinstance(event, AliasEvent):
            return self._add(self._alias(event), event)
        if isinstance(event, CollectionStartEvent):
            self._open(event)
            return None
        return self._add(self._close(), event)  # a SequenceEndEvent or MappingEndEvent

    @staticmethod
    def position(event: Event) -> Position:
        return Position(event.start_mark.line + 1, event.start_mark.column + 1)

    def _count(self, event: Event, size: int, height: int) -> None:
        self.nodes += size
        if self.nodes > self.limits["max_nodes_per_file"]:
            raise _Problem(
                self.position(event),
                limit_message(
                    f"the file expands to more than {self.limits['max_nodes_per_file']:,} YAML "
                    "nodes here, typically an alias bomb: anchors that refer to anchors, every "
                    "alias repeating all that it names",
                    "max_nodes_per_file",
                    "remove the aliases or split the file",
                ),
            )
        if len(self.stack) + height > self.limits["max_depth"]:
            raise _Problem(
                self.position(event),
                _depth_message(self.limits["max_depth"]),
            )

    def _check_tag(self, event: Event, tag: str | None, plain: str) -> None:
        if tag is None or tag in ("!", plain):
            return
        self._unsupported_tag(event, tag)

    def _unsupported_tag(self, event: Event, tag: str) -> None:
        shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
        raise _Problem(
            self.position(event),
            f"unsupported YAML tag '{shown}': socialgov reads plain data only (strings, "
            "numbers, booleans, null, lists and mappings), never language-specific objects or "
            "custom tags; remove the tag",
        )

    def _scalar(self, event: ScalarEvent) -> _Value:
        value: str = event.value
        if len(value) > self.limits["max_scalar_chars"]:
            raise _Problem(
                self.position(event),
                limit_message(
                    f"this value is {len(value):,} characters long, over the limit of "
                    f"{self.limits['max_scalar_chars']:,}",
                    "max_scalar_chars",
                    "shorten it",
                ),
            )
        self._count(event, 1, 0)
        tag = event.tag
        if tag is None and event.implicit[0]:  # plain: its meaning comes from its text
            data = _plain_scalar(value)
        elif tag is None or tag == "!" or tag in (_STR, _TIMESTAMP):
            data = value  # dates stay as written, so quoted and unquoted dates mean the same
        elif tag in (_NULL, _BOOL, _INT, _FLOAT):
            data = _typed_scalar(value, tag)
            if data is _INVALID:
                raise _Problem(
                    self.position(event),
                    f"'{value}' is not a valid {tag[len(_CORE) :]}; fix the value or remove "
                    f"the tag !!{tag[len(_CORE) :]}",
                )
        else:
            self._unsupported_tag(event, tag)
        result = _Value(data, self.position(event), 1, 0, key=value)
        if event.anchor is not None:
            self.anchors[event.anchor] = result
        return result

    def _alias(self, event: AliasEvent) -> _Value:
        if event.anchor not in self.anchors:
            raise _Problem(
                self.position(event),
                f"the alias *{event.anchor} names no anchor defined before it in this "
                f"document; define &{event.anchor} first or remove the alias",
            )
        value = self.anchors[event.anchor]
        if value is None:
            raise _Problem(
                self.position(event),
                f"the alias *{event.anchor} is inside the node it names, which would make "
                "endless data; remove the alias",
            )
        self._count(event, value.size, value.height)
        return value

    def _open(self, event: CollectionStartEvent) -> None:
        is_mapping = isinstance(event, MappingStartEvent)
        self._check_tag(event, event.tag, _MAP if is_mapping else _SEQ)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_mapping and top.key is None:
            raise _Problem(
                self.position(event),
                "a mapping key must be a plain value, not a list or mapping; write the key as text",
            )
        self._count(event, 1, 1)
        source = _Tree(self.position(event))
        collection = _Collection(source, event.anchor, is_mapping, {} if is_mapping else [])
        if event.anchor is not None:
            self.anchors[event.anchor] = None  # being read: an alias to it here is a loop
        self.stack.append(collection)

    def _close(self) -> _Value:
        collection = self.stack.pop()
        data = collection.data
        if collection.is_mapping:
            # Keys merged with `<<` never override keys written in the mapping itself, and an
            # earlier merged mapping wins over a later one.
            for merged, source in collection.merges:
                for key, value in merged.items():
                    if key not in data:
                        data[key] = value
                        collection.source.children[key] = source.children[key]
                        if key in source.keys:
                            collection.source.keys[key] = source.keys[key]
        value = _Value(data, collection.source, collection.size, collection.height)
        if collection.anchor is not None:
            self.anchors[collection.anchor] = value
        return value

    def _add(self, value: _Value, event: Event) -> _Value | None:
        """Put a finished node into the list or mapping around it; the root is returned."""
        if not self.stack:
            return value
        top = self.stack[-1]
        top.size += value.size
        top.height = max(top.height, value.height + 1)
        if not top.is_mapping:
            top.source.children[len(top.data)] = value.source
            top.data.append(value.data)
            return None
        if top.key is None:
            if value.key is None:
                raise _Problem(
                    self.position(event),
                    "a mapping key must be a plain value, not a list or mapping; write the key "
                    "as text",
                )
            plain_merge = isinstance(event, ScalarEvent) and event.implicit[0] and event.tag is None
            top.key = value.key
            top.key_position = self.position(event)
            top.merge_key = plain_merge and value.key == "<<"
            return None
        if top.merge_key:
            top.merges.extend(self._merge_sources(value, event))
        else:
            self._set(top, value)
        top.key = None
        top.merge_key = False
        return None

    def _set(self, top: _Collection, value: _Value) -> None:
        key = top.key
        assert key is not None and top.key_position is not None
        if key in top.source.keys:
            first = top.source.keys[key]
            self.findings.append(
                duplicate_key_finding(self.path, key, first.line, top.key_position, self._path())
            )
        top.data[key] = value.data
        top.source.keys[key] = top.key_position
        top.source.children[key] = value.source

    def _path(self) -> list[str | int]:
        """The path of the innermost open collection, for duplicate-key fingerprints."""
        path: list[str | int] = []
        for collection in self.stack[:-1]:
            if collection.is_mapping:
                path.append(collection.key if collection.key is not None else "")
            else:
                path.append(len(collection.data))
        return path

    def _merge_sources(self, value: _Value, event: Event) -> list[tuple[dict[str, Any], _Tree]]:
        """The mappings a merge key's value names. A value that is not one is a problem at the
        node to edit: the value where it is written (an alias, not what it names), or the first
        item of a list written here that is not a mapping. Never at the event that closed a
        list: libyaml places that past the file's last line when the file does not end in a
        line break."""
        closed_here = isinstance(event, CollectionEndEvent)
        where: SourceNode = (
            value.source.position
            if closed_here and isinstance(value.source, _Tree)
            else self.position(event)
        )
        if isinstance(value.data, dict) and isinstance(value.source, _Tree):
            return [(value.data, value.source)]
        if isinstance(value.data, list) and isinstance(value.source, _Tree):
            sources: list[tuple[dict[str, Any], _Tree]] = []
            for i, item in enumerate(value.data):
                source = value.source.children[i]
                if not (isinstance(item, dict) and isinstance(source, _Tree)):
                    if closed_here:
                        where = source
                    break
                sources.append((item, source))
            else:
                return sources
        raise _Problem(
            where.position if isinstance(where, _Tree) else where,
            "a merge key (<<) must name a mapping or a list of mappings; fix the value after <<",
        )


# --------------------------------------------------------------------------- parsing


def parse_text(text: str, path: str, limits: dict[str, int] | None = None) -> ParsedFile:
    """Parse the YAML ``text`` of the file at ``path`` (relative, for messages) with PyYAML's
    parser (socialgov.source.exact.parse_text answers the commonest mistakes without it)."""
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    documents: list[Document] = []
    findings: list[Finding] = []
    builder = _Builder(path, limits)
    skipping = False
    started = 0
    kept = 0  # nodes of the documents kept: those of a dropped document were never built
    document_start = Position(1, 1)
    try:
        parser = _Parser(text)
        while True:
            event = parser.get_event()
            if isinstance(event, StreamEndEvent):
                break
            if isinstance(event, DocumentStartEvent):
                document_start = _Builder.position(event)
                started += 1
                if started > limits["max_documents_per_file"]:
                    findings.append(
                        syntax_finding(
                            path,
                            limit_message(
                                "the file holds more than "
                                f"{limits['max_documents_per_file']:,} YAML documents; this is "
                                "the first one over the limit",
                                "max_documents_per_file",
                                "split it into several files",
                            ),
                            document_start,
                            key="limits.max_documents_per_file",
                        )
                    )
                    break
                builder.start_document()
                skipping = False
                continue
            if skipping or isinstance(event, (StreamStartEvent, DocumentEndEvent)):
                continue
            try:
                value = builder.event(event)
            except _Problem as problem:
                findings.append(syntax_finding(path, problem.message, problem.position))
                skipping = True  # the rest of this document is not read; the next one is
                continue
            if value is not None:
                kept += value.size
                findings.extend(builder.findings)
                source = value.source
                if not isinstance(source, _Tree):
                    source = _Tree(source)
                documents.append(Document(path, len(documents), value.data, _freeze(source)))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _within(text, Position(mark.line + 1, mark.column + 1)) if mark else document_start
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        if "maximum nesting depth" in problem:
            # libyaml 0.2.6 and later refuse flow collections nested 1,000 deep before they
            # hand over a single event, so the limit is reported at the parser's position.
            depth = _depth_message(limits["max_depth"])
            if not any(f.message == depth for f in findings):  # the same problem, told once
                findings.append(syntax_finding(path, depth, pos))
            return ParsedFile(path, documents, findings, nodes=kept)
        conflict = conflict_start(text, pos.line)
        if conflict is not None:
            findings.append(syntax_finding(path, CONFLICT, Position(conflict, 1)))
            return ParsedFile(path, documents, findings, nodes=kept)
        tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
        hint = syntax_hint("'\\t'" if tab else problem)
        findings.append(syntax_finding(path, f"invalid YAML: {problem}; {hint}", pos))
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        findings.append(_character_finding(text, path, exc))
    return ParsedFile(path, documents, findings, nodes=kept)


def _depth_message(max_depth: int) -> str:
    return limit_message(
        f"lists and mappings are nested more than {max_depth} levels deep here",
        "max_depth",
        "flatten the data",
    )


def _character_finding(text: str, path: str, exc: yaml.YAMLError) -> Finding:
    match = _NOT_PRINTABLE.search(text)
    if match is None:  # pragma: no cover - the parser and this pattern agree on the character set
        return syntax_finding(path, f"invalid YAML: {' '.join(str(exc).split())}")
    index = match.start()
    char = match.group()
    name = "a NUL byte" if char == "\0" else f"the control character U+{ord(char):04X}"
    hint = "remove it, or write it as an escape (\\x..) inside a double-quoted string"
    if char == "\0" and ("\0" in text[:2] or text.count("\0") > len(text) // 4):
        hint = (
            "the file looks binary, or UTF-16 without a byte order mark; save it as UTF-8 "
            "text, or exclude it in socialgov.yaml"
        )
    return syntax_finding(
        path,
        f"the file contains {name}, which YAML does not allow; {hint}",
        text_position(text, index),
        key="encoding",
    )


def _within(text: str, pos: Position) -> Position:
    """``pos``, or the end of the file when the parser points past it (at the end of a file
    without a final line break, libyaml points at the line after it)."""
    breaks = _LINE_BREAK.findall(text)
    if pos.line <= len(breaks) + 1:
        return pos
    return text_position(text, len(text))
