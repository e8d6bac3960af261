"""Find the files of a policy repository and parse them, keeping where every node came from.

YAML is parsed with PyYAML's C parser (libyaml) when it is available. Nodes are turned into plain
Python data here rather than by PyYAML's constructor, so that every mapping key and value keeps
its source position, duplicate keys are reported (SG102) instead of silently overwritten, and
dates stay the strings the person wrote (quoted or not).

Booleans follow YAML 1.2 (``true``/``false`` only), as ruamel.yaml does when writing: ``no`` is a
string, so ``language: no`` means Norwegian, not False.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from socialgov.findings import Finding, Position, Severity

try:  # libyaml makes parsing several times faster; PyYAML's pure-Python parser is the fallback
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


Path_ = tuple[str | int, ...]
"""A path to a node inside a document: mapping keys and sequence indexes."""

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_KNOWN_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}

DEFAULT_LIMITS: dict[str, int] = {
    "max_file_bytes": 20 * 1024 * 1024,
    "max_nodes_per_file": 2_000_000,
    "max_depth": 100,
    "max_scalar_chars": 100_000,
    "max_documents_per_file": 10_000,
    "max_files": 200_000,
}


class _Resolver(yaml.resolver.Resolver):
    """PyYAML's resolver with YAML 1.2 booleans."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _Composer(_Parser, _Resolver):  # type: ignore[misc,valid-type]
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Resolver.__init__(self)


_scalar_constructor = yaml.constructor.SafeConstructor()


@dataclass(slots=True)
class SourceMap:
    """Positions of the nodes of one document, by path."""

    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> Position:
        """Where the node at ``path`` starts; for a missing node, its nearest existing parent.

        With ``key=True`` the position of the mapping key that names the node, when it has one.
        """
        path = tuple(path)
        while True:
            if key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return Position(1, 1)
            path = path[:-1]
            key = False


@dataclass(slots=True)
class Document:
    """One YAML document of a file: its data as plain Python and where each node came from."""

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


class _Builder:
    """Turns composed nodes into plain data, recording positions and problems."""

    def __init__(self, path: str, limits: dict[str, int]) -> None:
        self.path = path
        self.limits = limits
        self.findings: list[Finding] = []
        self.source_map = SourceMap()
        self.nodes = 0

    @staticmethod
    def _pos(node: Node) -> Position:
        return Position(node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, path: Path_ = (), depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > self.limits["max_nodes_per_file"]:
            raise _LimitExceeded(
                node,
                f"the file expands to more than {self.limits['max_nodes_per_file']:,} YAML nodes "
                "(often an alias bomb: anchors referring to anchors); simplify it or raise "
                "limits.max_nodes_per_file in socialgov.yaml",
            )
        if depth > self.limits["max_depth"]:
            raise _LimitExceeded(
                node,
                f"nesting is deeper than {self.limits['max_depth']} levels; flatten the data or "
                "raise limits.max_depth in socialgov.yaml",
            )
        self.source_map.values[path] = self._pos(node)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            self._check_tag(node, _SEQ)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            self._check_tag(node, _MAP)
            return self._mapping(node, path, depth)
        raise _LimitExceeded(node, f"unsupported YAML node {type(node).__name__}")

    def _check_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            raise _UnsupportedTag(node)

    def _scalar(self, node: ScalarNode) -> Any:
        if len(node.value) > self.limits["max_scalar_chars"]:
            raise _LimitExceeded(
                node,
                f"a value is longer than {self.limits['max_scalar_chars']:,} characters; shorten "
                "it or raise limits.max_scalar_chars in socialgov.yaml",
            )
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            # Dates stay as written so that quoted and unquoted dates mean the same thing.
            return node.value
        if tag not in _KNOWN_SCALAR_TAGS:
            raise _UnsupportedTag(node)
        try:
            return _scalar_constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            raise _LimitExceeded(node, f"invalid {tag.rsplit(':', 1)[-1]} value: {exc}") from None

    def _key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise _LimitExceeded(node, "a mapping key must be a plain value, not a list or mapping")
        if node.tag not in _KNOWN_SCALAR_TAGS and node.tag != _MERGE:
            raise _UnsupportedTag(node)
        return node.value

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        pairs = list(node.value)
        merged: list[tuple[str, Any]] = []
        for key_node, value_node in pairs:
            if key_node.tag == _MERGE:
                merged.extend(self._merge(value_node, path, depth))
                continue
            key = self._key(key_node)
            key_pos = self._pos(key_node)
            if key in first_seen:
                first = first_seen[key]
                self.findings.append(
                    _finding(
                        "SG102",
                        "duplicate-key",
                        f"key '{key}' appears twice in this mapping (first on line {first.line}); "
                        "YAML keeps only the last value, so delete or rename one of them",
                        self.path,
                        key_pos,
                        "/".join(map(str, (*path, key))),
                    )
                )
            first_seen[key] = key_pos
            self.source_map.keys[(*path, key)] = key_pos
            result[key] = self.build(value_node, (*path, key), depth + 1)
        # Keys merged with `<<` never override keys written in the mapping itself.
        for key, value in merged:
            result.setdefault(key, value)
        return result

    def _merge(self, node: Node, path: Path_, depth: int) -> list[tuple[str, Any]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        items: list[tuple[str, Any]] = []
        for source in sources:
            if not isinstance(source, MappingNode):
                raise _LimitExceeded(source, "a merge key (<<) must name a mapping")
            # Merged values are positioned where they were written (the anchor).
            value = _Builder(self.path, self.limits)
            value.nodes = self.nodes
            data = value.build(source, (), depth + 1)
            self.nodes = value.nodes
            self.findings.extend(value.findings)
            items.extend(data.items())
            for key, pos in value.source_map.keys.items():
                self.source_map.keys.setdefault((*path, *key), pos)
            for key, pos in value.source_map.values.items():
                if key:
                    self.source_map.values.setdefault((*path, *key), pos)
        return items


class _LimitExceeded(Exception):
    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


class _UnsupportedTag(_LimitExceeded):
    def __init__(self, node: Node) -> None:
        super().__init__(
            node,
            f"unsupported YAML tag '{node.tag}': socialgov reads plain data only (no "
            "language-specific or custom tags); remove the tag",
        )


def decode(raw: bytes) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM) or UTF-16/32 with a BOM.

    Raises UnicodeDecodeError, whose ``start`` is the offset of the first bad byte.
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return raw.decode("utf-32")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def parse_text(text: str, path: str, limits: dict[str, int] | None = None) -> ParsedFile:
    """Parse the YAML ``text`` of the file at ``path`` (relative, for messages)."""
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    documents: list[Document] = []
    findings: list[Finding] = []
    composer = _Composer(text)
    try:
        while composer.check_node():
            node = composer.get_node()
            if len(documents) >= limits["max_documents_per_file"]:
                findings.append(
                    syntax_finding(
                        path,
                        f"the file holds more than {limits['max_documents_per_file']:,} documents; "
                        "split it or raise limits.max_documents_per_file in socialgov.yaml",
                        Position(node.start_mark.line + 1, node.start_mark.column + 1),
                    )
                )
                break
            builder = _Builder(path, limits)
            try:
                data = builder.build(node)
            except _LimitExceeded as exc:
                mark = exc.node.start_mark
                findings.append(
                    syntax_finding(path, exc.message, Position(mark.line + 1, mark.column + 1))
                )
                continue
            except RecursionError:
                findings.append(syntax_finding(path, "the document is nested too deeply to read"))
                continue
            findings.extend(builder.findings)
            documents.append(Document(path, len(documents), data, builder.source_map))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        char = _char_at(text, mark.line, mark.column) if mark else ""
        hint = _hint("'\\t'" if char == "\t" else problem)
        findings.append(syntax_finding(path, f"invalid YAML: {problem}; {hint}", pos))
    except yaml.YAMLError as exc:  # reader errors: characters YAML does not allow
        findings.append(syntax_finding(path, f"invalid YAML: {_one_line(str(exc))}"))
    return ParsedFile(path, documents, findings)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


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
    ("undefined alias", "an alias (*name) must name an anchor (&name) defined before it"),
)


def _hint(problem: str) -> str:
    """What to do about a parser error, in plain words."""
    for marker, hint in _HINTS:
        if marker in problem:
            return hint
    return "fix the syntax at this position"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def load_file(root: Path, relpath: str, limits: dict[str, int] | None = None) -> ParsedFile:
    """Read and parse one file of the repository; every problem becomes an SG100 finding."""
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    full = root / relpath
    try:
        size = full.stat().st_size
        if size > limits["max_file_bytes"]:
            return ParsedFile(
                relpath,
                [],
                [
                    syntax_finding(
                        relpath,
                        f"the file is {size:,} bytes, over the limit of "
                        f"{limits['max_file_bytes']:,}; split it or raise "
                        "limits.max_file_bytes in socialgov.yaml",
                    )
                ],
            )
        raw = full.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return ParsedFile(
            relpath,
            [],
            [syntax_finding(relpath, f"cannot read the file: {reason}; check its permissions")],
        )
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        return ParsedFile(
            relpath,
            [],
            [
                syntax_finding(
                    relpath,
                    f"the file is not valid UTF-8 (or UTF-16 with a byte order mark): "
                    f"byte 0x{raw[exc.start]:02x} at offset {exc.start}; save it as UTF-8",
                    key="encoding",
                )
            ],
        )
    return parse_text(text, relpath, limits)


def discover(
    root: Path, include: Sequence[str], exclude: Sequence[str]
) -> tuple[list[str], list[Finding]]:
    """The repository's YAML files (relative, with ``/``, sorted) and problems met on the way.

    Hidden files and folders are skipped. Symbolic links are followed only when they stay inside
    the root; one that leads outside, or a loop, is reported as a finding and skipped.
    """
    import pathspec

    included = pathspec.GitIgnoreSpec.from_lines(include)
    excluded = pathspec.GitIgnoreSpec.from_lines(exclude)
    found: list[str] = []
    problems: list[Finding] = []
    real_root = root.resolve()
    for relpath, problem in _walk(real_root, ""):
        if problem:
            problems.append(syntax_finding(relpath, problem, key="filesystem"))
            continue
        if included.match_file(relpath) and not excluded.match_file(relpath):
            found.append(relpath)
    found.sort()
    return found, problems


def _walk(root: Path, prefix: str, seen: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    directory = root / prefix if prefix else root
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        yield prefix or ".", f"cannot read the folder: {exc.strerror}; check its permissions"
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        relpath = f"{prefix}/{entry.name}" if prefix else entry.name
        if entry.is_symlink():
            target = Path(os.path.realpath(entry.path))
            if not target.exists():
                if entry.name.endswith((".yaml", ".yml")):
                    yield relpath, "this symbolic link points to nothing (or loops); remove it"
                continue
            if not target.is_relative_to(root):
                yield (
                    relpath,
                    (
                        "this symbolic link leads outside the repository and is not followed; "
                        "copy the file into the repository instead"
                    ),
                )
                continue
            if target.is_dir():
                if str(target) in seen:
                    yield relpath, "this symbolic link makes a loop and is not followed"
                    continue
                yield from _walk(root, relpath, seen | {str(target)})
                continue
            yield relpath, ""
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(root, relpath, seen | {str(Path(entry.path).resolve())})
        elif entry.is_file(follow_symlinks=False):
            yield relpath, ""
