"""Find the files of a policy repository and parse them, keeping where every node came from.

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
- Bytes are decoded here (UTF-8 with or without BOM, UTF-16/32 with BOM); invalid bytes, control
  characters and NUL bytes are findings naming their position.
- Discovery never follows a symbolic link out of the repository, survives link loops, and reads
  each real file once even when links make it reachable under several names.

Every mapping key and value keeps its source position (``SourceMap``), duplicate keys are
reported (SG102) instead of silently overwritten, and dates stay the strings the person wrote
(quoted or not).

Scalars follow the YAML 1.2 core schema, as ruamel.yaml (the writer) does: ``true``/``false``
are the only booleans, so ``language: no`` means Norwegian, not False; ``9:30`` is a string,
not the YAML 1.1 sexagesimal integer 570; ``010`` is ten, not eight.
"""

from __future__ import annotations

import codecs
import math
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Union

import yaml
from yaml.events import (
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

from socialgov.core.findings import Finding, Position, Severity
from socialgov.source.limits import DEFAULT_LIMITS as DEFAULT_LIMITS

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


Path_ = tuple[str | int, ...]
"""A path to a node inside a document: mapping keys and sequence indexes."""


_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_INT = _CORE + "int"
_FLOAT = _CORE + "float"
_BOOL = _CORE + "bool"
_NULL = _CORE + "null"
_TIMESTAMP = _CORE + "timestamp"
_MAP = _CORE + "map"
_SEQ = _CORE + "seq"

# The YAML 1.2 core schema's plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL_RE = re.compile(r"~|null|Null|NULL|")
_BOOL_RE = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)

# Characters YAML does not allow in a stream (https://yaml.org/spec/1.2.2/#51-character-set).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


# --------------------------------------------------------------------------- source positions


SourceNode = Union["_Tree", Position]
"""Where a node was written, while a document is read: a position, or a collection's tree."""


@dataclass(slots=True, eq=False)
class _Tree:
    """Positions of a list or mapping and of everything inside it, while the document is read:
    a tree that mirrors the data, turned into a compact SourceMap (``_freeze``) once the
    document is complete.

    An alias shares its anchor's tree, as its data shares the anchor's data, so positions inside
    an alias point at the anchored text: the place to edit.
    """

    position: Position = field(default_factory=lambda: Position(1, 1))
    children: dict[str | int, SourceNode] = field(default_factory=dict)
    keys: dict[str | int, Position] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> Position:
        """Where the node at ``path`` starts (see SourceMap.locate)."""
        node: SourceNode = self
        last = len(path) - 1
        for i, part in enumerate(path):
            if not isinstance(node, _Tree):
                return node
            if i == last and key and part in node.keys:
                return node.keys[part]
            child = node.children.get(part)
            if child is None:
                return node.position
            node = child
        return node if isinstance(node, Position) else node.position

    def subtree(self, path: Path_) -> _Tree:
        """The positions of the node at ``path`` as a tree of its own (see SourceMap.subtree)."""
        node: SourceNode = self
        for part in path:
            child = node.children.get(part) if isinstance(node, _Tree) else None
            if child is None:
                break
            node = child
        return node if isinstance(node, _Tree) else _Tree(self.locate(path))

    def key_path(self, position: Position) -> Path_ | None:
        """The path of the mapping key written at ``position`` (see SourceMap.key_path)."""
        pending: list[tuple[_Tree, Path_]] = [(self, ())]
        while pending:
            node, path = pending.pop()
            for key, key_position in node.keys.items():
                if key_position == position:
                    return (*path, key)
            for key, child in node.children.items():
                if isinstance(child, _Tree):
                    pending.append((child, (*path, key)))
        return None


# A document's positions, flat: per node (in _Table.nodes) its line, column, kind, first edge
# and number of edges; per edge (in _Table.edges) the child node and the line and column of the
# mapping key that names it (0, 0 for a list item), and (in _Table.names) that key.
_NODE = 5
_EDGE = 3
_SCALAR, _SEQUENCE, _MAPPING = 0, 1, 2
_INDEXED = 16
"""A mapping with more keys than this is searched through a dict, made when first searched."""


def _ints(values: list[int]) -> array[int]:
    """``values`` as a compact array: 4 bytes each, 8 when a number needs it."""
    try:
        return array("I", values)
    except OverflowError:  # pragma: no cover - a line or column past 4 billion
        return array("q", values)


class _Table:
    """The positions of one document, flat (see above): a few bytes per node instead of a
    Position object, cheap to pickle and to unpickle."""

    __slots__ = ("_index", "edges", "names", "nodes")

    def __init__(self, nodes: array[int], edges: array[int], names: list[str | None]) -> None:
        self.nodes = nodes
        self.edges = edges
        self.names = names
        self._index: dict[int, dict[str | int | None, int]] = {}

    def __reduce__(self) -> tuple[type[_Table], tuple[Any, ...]]:
        return _Table, (self.nodes, self.edges, self.names)

    def position(self, node: int) -> Position:
        base = node * _NODE
        return Position(self.nodes[base], self.nodes[base + 1])

    def is_scalar(self, node: int) -> bool:
        return self.nodes[node * _NODE + 2] == _SCALAR

    def edge(self, node: int, part: str | int) -> int:
        """The edge from ``node`` to its child ``part``; -1 when there is none."""
        base = node * _NODE
        kind, first, count = self.nodes[base + 2 : base + 5]
        if kind == _SEQUENCE:
            return first + part if isinstance(part, int) and 0 <= part < count else -1
        if kind == _SCALAR:
            return -1
        if count > _INDEXED:
            index = self._index.get(node)
            if index is None:
                names = self.names
                index = self._index[node] = {names[e]: e for e in range(first, first + count)}
            return index.get(part, -1)
        names = self.names
        for edge in range(first, first + count):
            if names[edge] == part:
                return edge
        return -1

    def child(self, edge: int) -> int:
        return self.edges[edge * _EDGE]

    def key_position(self, edge: int) -> Position | None:
        base = edge * _EDGE
        line = self.edges[base + 1]
        return Position(line, self.edges[base + 2]) if line else None

    def items(self, node: int) -> Iterator[tuple[str | int, int]]:
        """The children of ``node`` in the order written: (key or index, edge)."""
        base = node * _NODE
        kind, first, count = self.nodes[base + 2 : base + 5]
        for i, edge in enumerate(range(first, first + count)):
            name = self.names[edge]
            yield (i if kind == _SEQUENCE or name is None else name), edge


class SourceMap:
    """Where every node of a document (or of a list or mapping inside it) was written.

    The positions are held flat, a few bytes per node (``_Table``), and a Position is made only
    when asked for (``locate``): a document has far more nodes than findings. An alias shares
    its anchor's positions, as its data shares the anchor's data, so positions inside an alias
    point at the anchored text: the place to edit.
    """

    __slots__ = ("_node", "_table")

    def __init__(self, position: Position | None = None) -> None:
        """The positions of an empty list or mapping, or of a scalar document, at ``position``."""
        where = position or Position(1, 1)
        self._table = _Table(_ints([where.line, where.column, _MAPPING, 0, 0]), _ints([]), [])
        self._node = 0

    @classmethod
    def _view(cls, table: _Table, node: int) -> SourceMap:
        view = cls.__new__(cls)
        view._table = table
        view._node = node
        return view

    def __reduce__(self) -> tuple[Any, tuple[_Table, int]]:
        return SourceMap._view, (self._table, self._node)

    def release(self) -> None:
        """Let go of what the positions were worked out from, where that is more than they
        need (a parser's tree of the whole file: socialgov.source.fastyaml); positions asked
        for later are worked out again. These positions are all held here: nothing to let go."""

    def __repr__(self) -> str:
        return f"SourceMap({self.position!r}, {len(self.children)} children)"

    @property
    def position(self) -> Position:
        """Where the list or mapping starts."""
        return self._table.position(self._node)

    @property
    def children(self) -> dict[str | int, SourceMap | Position]:
        """Each child by key or index: a scalar's position, or a collection's SourceMap."""
        table = self._table
        out: dict[str | int, SourceMap | Position] = {}
        for name, edge in table.items(self._node):
            child = table.child(edge)
            out[name] = (
                table.position(child) if table.is_scalar(child) else self._view(table, child)
            )
        return out

    @property
    def keys(self) -> dict[str | int, Position]:
        """Where each key of a mapping was written."""
        table = self._table
        out: dict[str | int, Position] = {}
        for name, edge in table.items(self._node):
            where = table.key_position(edge)
            if where is not None:
                out[name] = where
        return out

    def locate(self, path: Path_, *, key: bool = False) -> Position:
        """Where the node at ``path`` starts; for a missing node, its nearest existing parent.

        With ``key=True`` the position of the mapping key that names the node, when it has one.
        """
        table = self._table
        node = self._node
        last = len(path) - 1
        for i, part in enumerate(path):
            if table.is_scalar(node):
                break
            edge = table.edge(node, part)
            if edge < 0:
                break
            if i == last and key:
                where = table.key_position(edge)
                if where is not None:
                    return where
            node = table.child(edge)
        return table.position(node)

    def subtree(self, path: Path_) -> SourceMap:
        """The positions of the node at ``path`` as a map of its own (for a nested document)."""
        table = self._table
        node = self._node
        for part in path:
            edge = -1 if table.is_scalar(node) else table.edge(node, part)
            if edge < 0:
                break
            node = table.child(edge)
        if table.is_scalar(node):
            return SourceMap(self.locate(path))
        return self._view(table, node)

    def key_path(self, position: Position) -> Path_ | None:
        """The path of the mapping key written at ``position``, searched depth first from the
        last child; None when no key of this map was written there."""
        table = self._table
        pending: list[tuple[int, Path_]] = [(self._node, ())]
        while pending:
            node, path = pending.pop()
            items = list(table.items(node))
            for name, edge in items:
                if table.key_position(edge) == position:
                    return (*path, name)
            for name, edge in items:
                child = table.child(edge)
                if not table.is_scalar(child):
                    pending.append((child, (*path, name)))
        return None


def _freeze(tree: _Tree) -> SourceMap:
    """The compact SourceMap of a document's tree; a tree an alias shares is stored once."""
    nodes: list[int] = []
    edges: list[int] = []
    names: list[str | None] = []
    ids: dict[int, int] = {}
    pending: list[_Tree] = []

    def collection(tree: _Tree) -> int:
        node = ids.get(id(tree))
        if node is None:
            node = ids[id(tree)] = len(nodes) // _NODE
            kind = _SEQUENCE if tree.children and not tree.keys else _MAPPING
            nodes.extend((tree.position.line, tree.position.column, kind, 0, 0))
            pending.append(tree)
        return node

    collection(tree)
    while pending:
        current = pending.pop()
        base = ids[id(current)] * _NODE
        nodes[base + 3] = len(edges) // _EDGE
        nodes[base + 4] = len(current.children)
        sequence = nodes[base + 2] == _SEQUENCE
        keys = current.keys
        for name, child in current.children.items():
            if isinstance(child, _Tree):
                node = collection(child)
            else:
                node = len(nodes) // _NODE
                nodes.extend((child.line, child.column, _SCALAR, 0, 0))
            where = None if sequence else keys.get(name)
            if where is None:
                edges.extend((node, 0, 0))
            else:
                edges.extend((node, where.line, where.column))
            names.append(None if sequence else name)  # type: ignore[arg-type]
    return SourceMap._view(_Table(_ints(nodes), _ints(edges), names), 0)


@dataclass(slots=True)
class Document:
    """One YAML document of a file: its data as plain Python and where each node came from.

    Data reached through an alias is shared with its anchor (as PyYAML does): treat it as
    read-only.
    """

    path: str
    index: int
    data: Any
    source_map: SourceMap

    def locate(self, node_path: Path_, *, key: bool = False) -> Position:
        return self.source_map.locate(node_path, key=key)


@dataclass(slots=True)
class ParsedFile:
    path: str
    documents: list[Document]
    findings: list[Finding]
    size: int = 0
    """How many bytes were read."""
    nodes: int = 0
    """How many YAML nodes the file expands to, aliases counted as what they repeat."""


def _finding(code: str, name: str, message: str, path: str, pos: Position, key: str) -> Finding:
    return Finding(
        code=code,
        name=name,
        severity=Severity.ERROR,
        message=message,
        path=path,
        line=pos.line,
        column=pos.column,
        key=key,
    )


def syntax_finding(path: str, message: str, pos: Position | None = None, key: str = "") -> Finding:
    """An SG100 finding: the file cannot be read as YAML."""
    return _finding("SG100", "yaml-syntax", message, path, pos or Position(1, 1), key or message)


def limit_message(problem: str, limit: str, fix: str) -> str:
    """The message of a finding for input over a limit: the problem, and both ways out."""
    return (
        f"{problem}; {fix}, or raise limits.{limit} in socialgov.yaml if the file is meant to "
        "be this way"
    )


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
            where = "/".join(map(str, (*self._path(), key)))
            self.findings.append(
                _finding(
                    "SG102",
                    "duplicate-key",
                    f"key '{key}' appears twice in this mapping (first on line {first.line}); "
                    "YAML keeps only the last value, so delete or rename one of them",
                    self.path,
                    top.key_position,
                    where,
                )
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


_INVALID = object()


def _plain_scalar(value: str) -> Any:
    """The meaning of an untagged, unquoted scalar under the YAML 1.2 core schema."""
    if not value or value[0] in "~nNtTfF":
        if _NULL_RE.fullmatch(value):
            return None
        if _BOOL_RE.fullmatch(value):
            return value[0] in "tT"
        return value
    if value[0] in "0123456789+-.":
        number = _typed_scalar(value, _INT if _INT_RE.fullmatch(value) else _FLOAT)
        if number is not _INVALID:
            return number
    return value


def _typed_scalar(value: str, tag: str) -> Any:
    """``value`` read as the core type ``tag``; ``_INVALID`` when it is not one."""
    if tag == _NULL:
        return None if _NULL_RE.fullmatch(value) else _INVALID
    if tag == _BOOL:
        return value[:1] in "tT" if _BOOL_RE.fullmatch(value) else _INVALID
    if tag == _INT:
        if not _INT_RE.fullmatch(value):
            return _INVALID
        try:
            if value.startswith(("0o", "0x")):
                return int(value[2:], 8 if value[1] == "o" else 16)
            return int(value)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            return _INVALID
    if not _FLOAT_RE.fullmatch(value):
        return _INVALID
    lowered = value.lower()
    if lowered.endswith(".inf"):
        return -math.inf if value.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(value)


# --------------------------------------------------------------------------- parsing


def parse_text(text: str, path: str, limits: dict[str, int] | None = None) -> ParsedFile:
    """Parse the YAML ``text`` of the file at ``path`` (relative, for messages)."""
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
        tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
        hint = _hint("'\\t'" if tab else problem)
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


_HINTS = (
    ("'\\t'", "a tab indents this line, and YAML allows spaces only: replace it with spaces"),
    ("expected <block end>", "the indentation here does not line up with the lines above"),
    ("expected '-' indicator", "the indentation here does not line up with the lines above"),
    ("expected key", "the indentation here does not line up with the lines above"),
    (
        "mapping values are not allowed",
        "quote the value if it contains ': ', or fix the indentation",
    ),
    ("quoted scalar", "a quoted value is not closed: add the closing quote"),
    ("expected ',' or ']'", "a [flow list] is not closed or lacks a comma"),
    ("expected ',' or '}'", "a {flow mapping} is not closed or lacks a comma"),
)


def _hint(problem: str) -> str:
    """What to do about a parser error, in plain words."""
    for marker, hint in _HINTS:
        if marker in problem:
            return hint
    return "fix the syntax at this position"


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


def text_position(text: str, index: int) -> Position:
    """The 1-based line and column of character ``index``, counting line breaks as YAML does."""
    line = 1
    line_start = 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line += 1
        line_start = match.end()
    return Position(line, index - line_start + 1)


# --------------------------------------------------------------------------- reading files

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# --------------------------------------------------------------------------- discovery
