"""What a parsed policy file is, whichever parser read it: its documents as plain data, where
every node came from (``SourceMap``), the findings of reading it, and the YAML 1.2 core schema's
reading of plain scalars.

The files are parsed by socialgov.source.fastyaml (rapidyaml) when it is certain to give what
the exact parser gives, and by socialgov.source.exact (libyaml's events, built here into data)
otherwise; socialgov.source.reading chooses. Only the exact parser imports PyYAML.

Scalars follow the YAML 1.2 core schema, as ruamel.yaml (the writer) does: ``true``/``false``
are the only booleans, so ``language: no`` means Norwegian, not False; ``9:30`` is a string,
not the YAML 1.1 sexagesimal integer 570; ``010`` is ten, not eight.
"""

from __future__ import annotations

import codecs
import math
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, Union

from socialgov.core.findings import Finding, Position, Severity
from socialgov.source.limits import DEFAULT_LIMITS as DEFAULT_LIMITS

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

# Characters YAML does not allow in a stream (https://yaml.org/spec/1.2.2/#51-character-set:
# x09 | x0A | x0D | [x20-x7E] | x85 | [xA0-xD7FF] | [xE000-xFFFD] | [x010000-x10FFFF]), written
# as what the set leaves out: the same characters, compiled ten times faster.
_NOT_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
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

    def release(self, for_good: bool = False) -> None:
        """Let go of what the positions were worked out from, where that is more than they
        need (a parser's tree of the whole file: socialgov.source.fastyaml); positions asked
        for later are worked out again. ``for_good``: none will be asked (the file's text may
        go too). These positions are all held here: nothing to let go."""

    def forget(self) -> None:
        """Let go of what locating looked up to answer faster (a parser's walks of the file:
        socialgov.source.fastyaml), once no more positions are asked for a while (the rules'
        violations of the file are placed); later positions walk again. Nothing here."""

    def keep(self, paths: Iterable[Path_]) -> None:
        """Work out the positions at ``paths`` now, to be answered without the parse after
        :meth:`release` (see socialgov.source.fastyaml). These are all held here anyway."""

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

    def place(self, base: Path_, path: Path_) -> tuple[int, int]:
        """``locate((*base, *path))``'s line and column, where no Position need be made (a
        finding's place: rules.engine)."""
        where = self.locate((*base, *path))
        return where.line, where.column

    def in_data_order(self) -> bool:
        """Whether the nodes of this map's file are written in the order its documents' data
        holds them, each inside its parent's text and none inside another's (no anchor, alias,
        merge key or key written twice), so that the file's entities, in the order its
        documents hold them, are written one after the other, each finding about one within
        its text (the audit's report order: socialgov.pipeline). False: this map cannot tell."""
        return False

    def lines(self, paths: Sequence[Path_]) -> list[int]:
        """The line of each node at ``paths``: ``locate(path).line`` for each, asked at once
        (a report of every entity's line: see fastyaml, which works them out together)."""
        return [self.locate(path).line for path in paths]

    def lines_together(
        self, asked: Sequence[tuple[SourceMap, Sequence[Path_]]]
    ) -> list[int] | None:
        """What :func:`lines_of` answers for ``asked`` (this map first), when this kind of map
        can work it out for all of them at once; None to ask each map (this one cannot)."""
        return None

    def places_together(
        self, sources: Sequence[Written], fields: Sequence[Path_]
    ) -> list[tuple[int, int]] | None:
        """What :func:`places_in` answers for ``sources`` and ``fields`` (this map the first
        source's), when this kind of map can work it out for all of them at once; None to ask
        each map (this one cannot)."""
        return None

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
    """One file read: its documents, and findings on what could not be read."""

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


def duplicate_key_finding(
    path: str, key: str, first_line: int, pos: Position, where: Sequence[str | int]
) -> Finding:
    """An SG102 finding: ``key`` written again at ``pos`` in a mapping that has it on line
    ``first_line``; ``where`` is the path of the mapping in its document."""
    return _finding(
        "SG102",
        "duplicate-key",
        f"key '{key}' appears twice in this mapping (first on line {first_line}); "
        "YAML keeps only the last value, so delete or rename one of them",
        path,
        pos,
        "/".join(map(str, (*where, key))),
    )


def syntax_finding(path: str, message: str, pos: Position | None = None, key: str = "") -> Finding:
    """An SG100 finding: the file cannot be read as YAML."""
    return _finding("SG100", "yaml-syntax", message, path, pos or Position(1, 1), key or message)


CONFLICT = (
    "a merge conflict is left in the file: the lines from '<<<<<<<' to '>>>>>>>' hold both "
    "sides of it; keep the side you want, and delete the other side and the three marker lines"
)
"""The SG100 message of a file whose parse gives up at or after a whole merge conflict's first
marker (conflict_start): that, not the parser's complaint, is what to fix."""
_LINES = re.compile(r"\r\n|\r|\n")


def conflict_start(text: str, error_line: int) -> int | None:
    """The line of git's ``<<<<<<<`` marker, when the file holds a whole conflict (``<<<<<<<``,
    ``=======``, ``>>>>>>>`` at the start of lines, in that order) whose first marker is at or
    before the line where the parser gave up: that, not the parser's complaint, is what to fix."""
    if "<<<<<<<" not in text:
        return None
    seen: list[int] = []
    for number, line in enumerate(_LINES.split(text), start=1):
        marker = line[:7]
        if marker == "<<<<<<<" and not seen and line[7:8] in ("", " "):
            if number > error_line:
                return None
            seen.append(number)
        elif marker == "=======" and len(seen) == 1 and not line[7:].strip():
            seen.append(number)
        elif marker == ">>>>>>>" and len(seen) == 2 and line[7:8] in ("", " "):
            return seen[0]
    return None


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


class Written(Protocol):
    """Where something was written: a document, and the path of its node there (what a model's
    entity holds as its ``source``)."""

    @property
    def document(self) -> Document: ...

    @property
    def base(self) -> Path_: ...


def lines_in(sources: Iterable[Written]) -> list[int]:
    """The line each of ``sources`` is written on (``document.locate(base).line``): asked of
    each file at once for all of its documents' nodes that follow one another in ``sources``
    (:func:`lines_of`: a file parsed by rapidyaml reads where a mapping starts without locating
    it, and counts its line breaks once for all of its documents: many files of the
    human-style tree hold one entity a document). Nothing is kept per node but its line."""
    lines: list[int] = []
    asked: list[tuple[SourceMap, list[Path_]]] = []  # a file's documents, each with its bases
    last = None
    path = None
    bases: list[Path_] = []
    for source in sources:
        document = source.document
        if document is not last:
            last = document
            if document.path != path:
                if asked:
                    lines += lines_of(asked)
                path, asked = document.path, []
            bases = []
            asked.append((document.source_map, bases))
        bases.append(source.base)
    if asked:
        lines += lines_of(asked)
    return lines


def places_in(sources: Sequence[Written], fields: Sequence[Path_]) -> list[tuple[int, int]]:
    """The line and column of the node at each of ``fields`` inside its source's node
    (``source.document.source_map.place(source.base, field)``), the sources all of one file (a
    file's findings: rules.engine): asked of the file at once, when the first source's map
    answers for them all (:meth:`SourceMap.places_together`: fastyaml's finds each node's
    offset once and counts the line breaks before the offsets once, in their order), else of
    each map."""
    if sources:
        together = sources[0].document.source_map.places_together(sources, fields)
        if together is not None:
            return together
    return [
        source.document.source_map.place(source.base, field)
        for source, field in zip(sources, fields, strict=True)
    ]


def release_files(
    documents: Iterable[Document],
    keep: Callable[[Document], bool] | None = None,
    *,
    for_good: bool = False,
) -> list[Document]:
    """Let go of the positions of each file of ``documents`` (:meth:`SourceMap.release`; each
    file once: a file's documents share its positions, and follow one another), but of the
    files whose first document ``keep`` keeps; each file's first document, in order.
    ``for_good``: no position of them will be asked again: their text goes too."""
    seen: set[str] = set()
    files: list[Document] = []
    last = None
    for document in documents:
        if document is last:  # the entities of a document follow one another
            continue
        last = document
        path = document.path
        if path not in seen:
            seen.add(path)
            files.append(document)
            if keep is None or not keep(document):
                document.source_map.release(for_good)
    return files


def lines_of(asked: Sequence[tuple[SourceMap, Sequence[Path_]]]) -> list[int]:
    """The line of the node at each path of each ``(map, paths)`` of ``asked``, in order (a
    report of every entity's line): the first map's :meth:`SourceMap.lines_together` when it
    answers for them all (fastyaml's, for documents of one file: their line breaks counted
    once), else each map's ``lines(paths)``."""
    if len(asked) > 1:
        together = asked[0][0].lines_together(asked)
        if together is not None:
            return together
    lines: list[int] = []
    for view, wanted in asked:
        lines += view.lines(wanted)
    return lines


def syntax_hint(problem: str) -> str:
    """What to do about a parser error (libyaml's words), in plain words."""
    for marker, hint in _HINTS:
        if marker in problem:
            return hint
    return "fix the syntax at this position"


def limit_message(problem: str, limit: str, fix: str) -> str:
    """The message of a finding for input over a limit: the problem, and both ways out."""
    return (
        f"{problem}; {fix}, or raise limits.{limit} in socialgov.yaml if the file is meant to "
        "be this way"
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
