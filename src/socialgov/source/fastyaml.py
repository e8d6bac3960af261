"""The fast path for parsing: rapidyaml's C++ parser for YAML as people write it.

socialgov.source.loader's parser builds every node from libyaml's events in Python: exact, safe,
and about as slow as PyYAML. Here rapidyaml (PyPI ``rapidyaml``) parses the text in C++, and the
data is built one of two ways:

- most files: rapidyaml writes the tree out as JSON and ``json.loads`` builds the data in C,
  about six times faster than the exact path (a plain ``True``, ``FALSE`` or ``Null``, which
  rapidyaml writes as a string, is written as JSON's word for it: _with_json_words; anchors,
  aliases and merge keys, which rapidyaml writes as an alias's ``"*name"`` and a key ``"<<"``,
  are resolved in that data from the few nodes of rapidyaml's tree they are: _Aliases);
- files with other plain values the YAML 1.2 core schema reads as null, booleans or numbers
  beyond JSON's (``~``, ``0x1F``, ``010``, ``.inf``), or anchors _Aliases leaves (a name
  defined twice): ``_Walker`` builds the data from rapidyaml's tree in Python, exactly as the
  exact path builds it from libyaml's events (an alias shares its anchor's data, keys written
  in a mapping win over merged ones and an earlier merged mapping over a later one, nodes and
  depth counted as aliases expand), about four times as fast as the exact path: it reads
  rapidyaml's array of nodes as lists (see _Walker), not node by node through its wrapper.

Source positions are not built at all: ``RymlSourceMap`` works out where a node was written
only when a finding asks (``locate``), from rapidyaml's tree, kept from the parse, whose strings
point into (a copy of) the file's bytes: a scalar at its first character (its quote), a text
block at its ``|`` or ``>``, a node with an anchor at its ``&``, an alias at what it names, a
merged key at the merged mapping's key.

The fast path answers only when it is certain to give exactly what exact.parse_text gives:
the same data (types included), node count, source positions and findings: none, or a key
written twice in a mapping (SG102), which the walk reports as the exact path does (the JSON's
mappings would keep the last value silently: a file with one is walked). Anything else returns
None and the file takes the exact path:

- tags, directives, complex keys (``?``), reserved indicators, content on a ``---`` line, an
  end marker (``...``) followed by more than the next ``---``, empty or scalar documents,
  tabs, a carriage return that is not part of a CRLF line end, backslashes outside quoted
  values (escapes), characters YAML does not allow, anchors on keys, anchor names libyaml
  refuses, text blocks with an anchor, flow collections nested or spread over lines, keys
  over 1024 characters (libyaml's limit), and layouts that rapidyaml accepts but libyaml
  rejects: one RE2 scan (_UNSUPPORTED), first of the text without comments, then,
  when that finds something, with quoted values and text blocks masked (a bracket or quote
  inside those is text to both parsers);
- text blocks rapidyaml reads differently (a header with more than its indicators and a
  comment, a comment holding ``-``, ``+`` or a digit, which rapidyaml takes for indicators;
  an indentation indicator with a blank line of spaces; a block last in a file without a final
  line break);
- a file rapidyaml cannot parse (the exact path explains the syntax error);
- an alias without its anchor or inside it, a merge of what is not a mapping (SG100): all
  reported by the exact path;
- anything near a limit (nodes, depth, scalar length, documents).

A position the tree cannot tell exactly (an empty value, a comment between a ``-`` and its item,
an empty ``[]`` or ``{}``, a text block header with a quoted key or comment holding ``|`` or
``>``) is answered by parsing that one file on the exact path. The differential tests in
tests/test_fastyaml.py compare both paths on every corpus the project has, on generated
inventories and on a stranger's YAML (tests/yaml_stranger.py), and the values with PyYAML's;
``SOCIALGOV_EXACT_PARSER=1`` in the environment turns the fast path off.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import functools
import gc
import itertools
import json
import operator
import os
import re
import sys
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import re2

from socialgov.core.findings import Finding, Position
from socialgov.core.lazy import lazily
from socialgov.core.lifetime import ending_after_command
from socialgov.source.loader import (
    _BOOL_RE,
    _FLOAT_RE,
    _INT_RE,
    _NULL_RE,
    Document,
    ParsedFile,
    Path_,
    SourceMap,
    Written,
    _plain_scalar,
    duplicate_key_finding,
)

try:
    # rapidyaml's wrapper imports `deprecation` for its deprecated functions' decorator, which
    # imports packaging.version: ~9 M instructions, its version pattern compiled, for versions
    # nobody parses (rapidyaml gives the decorator no current version). Loaded if used, in a
    # process of one command only: LazyLoader is not thread-safe before Python 3.12.3 (two
    # threads' first reads can see the module empty), and the language server, a watch or a
    # library caller may have a plugin use packaging in threads.
    if ending_after_command():
        lazily("packaging.version")
    import ryml
    from ryml import _ryml

    _type = _ryml.Tree_type
    _first_child = _ryml.Tree_first_child
    _next_sibling = _ryml.Tree_next_sibling
    _reserve = _ryml.Tree_reserve
    _parse_in_place = _ryml.parse_substr
    _emit_json_to = _ryml.emit_json_to_substr
    _tree_size = _ryml.Tree_size
    _NONE = ryml.NONE
    _MAP, _SEQ, _VAL = ryml.MAP, ryml.SEQ, ryml.VAL
    _VALREF, _VALANCH, _VALTAG, _VALQUO = ryml.VALREF, ryml.VALANCH, ryml.VALTAG, ryml.VALQUO
    _KEY, _KEYQUO, _STREAM = ryml.KEY, ryml.KEYQUO, ryml.STREAM
    _KEY_SPECIAL = ryml.KEYREF | ryml.KEYANCH | ryml.KEYTAG
    _SCALAR_ONLY = ryml.MAP | ryml.SEQ | ryml.VAL | ryml.VALREF | ryml.VALANCH | ryml.VALTAG
    """rapidyaml's node type bits (one call for what a node is), and the functions each file
    calls, without the Python wrapper's frame."""
    _handle: Any = operator.attrgetter("this")
    """The object SWIG made for a ``ryml.Tree``'s C++ tree, which the functions above take as
    they take the tree: given the tree itself, each call first looks up this object through
    SWIG's wrapper (a type name formatted and compared, an attribute looked up), about 1.1 µs a
    call and ten calls a file; given the object, 0.03 µs. (A rapidyaml whose functions refuse
    it is given the tree.)"""
    try:
        _tree_size(_handle(ryml.Tree()))
    except Exception:  # pragma: no cover - depends on how rapidyaml was wrapped

        def _handle(tree: Any) -> Any:
            return tree

    _Tree = ryml.Tree
    _new_tree = _ryml.new_Tree
    _object_new = object.__new__

    def _tree_made() -> Any:
        """A new ``ryml.Tree``, made without its wrapper's ``__init__``: SWIG's ``swiginit``
        first asks the new object for the ``this`` it does not have yet, and formats the
        AttributeError it then drops (about 3 µs a file, half of making a tree); the C++ tree
        is set as the object's ``this`` as ``swiginit`` sets it, and freed with it."""
        tree = _object_new(_Tree)
        tree.this = _new_tree()
        return tree

    _tree: Callable[[], Any] = _tree_made
    try:
        _probe = _tree()
        if not (_probe.thisown and _tree_size(_handle(_probe)) == 1):  # its root, owned
            raise TypeError("not a tree")  # pragma: no cover - another wrapper
        del _probe
    except Exception:  # pragma: no cover - depends on how rapidyaml was wrapped
        _tree = ryml.Tree
except ImportError:  # pragma: no cover - rapidyaml is a dependency; without it, the exact path
    ryml = None

EXACT_ENV = "SOCIALGOV_EXACT_PARSER"
"""Set to 1 to parse every file on the exact path (for comparing, or when in doubt)."""

# What the fast path leaves to the exact one, found in one linear scan (RE2, so no pattern can
# make it slow) of the text as _masked leaves it (quoted values and text blocks masked, no
# comments): characters that YAML or rapidyaml treat specially (tabs, carriage returns, escapes,
# control characters); an indicator of a tag, complex key, directive or reserved character
# where a node may start (at the start of a line or after ':', '-', '[', '{', ',' or '?'), or
# an anchor or alias whose name libyaml refuses (empty, or other than letters, digits, '-' and
# '_'), or alone on its line; a document end marker followed by more than comments before the
# next start marker (libyaml wants one), a document start marker with content on its line; a
# flow collection spread over lines, used as a key or followed by more than a comment; a '-'
# that would open a list after a key on its line; a value starting with ']', '}' or ':'; an
# empty key; a flow item starting or ending with ':'; a quoted key closed on a later line than
# it opens; more than a comment after a quoted value; lines indented 256 spaces or more; a text
# block with an anchor (``&text |``: the checks of text blocks below read a header only where a
# node starts); an anchor followed on its line by a list's '-', a closing bracket, a reserved
# indicator, a '%', a '?' key indicator or a ':', an alias by a list's '-' (libyaml refuses
# ``- &x - a``, ``a: &x }``, ``a: &x]``, ``&b @handle``, ``[&x %y]``, ``{a: &x :b}`` and
# ``- *x - a``, and reads ``[&x :b]`` as a mapping, where rapidyaml reads the text ``:b``;
# an empty anchored value in a flow, ``[&x ]``, is left to the exact path too).
_UNSUPPORTED = re2.compile(
    rb"[\x00-\x09\x0b-\x1f\x7f\\]"
    rb"|(?:(?:^|\n)[ ]*|[:\-\[{,?][ ]*)"
    rb"(?:[!?%@`]|[&*](?:[^0-9A-Za-z_\-]|$|[0-9A-Za-z_\-]+[^0-9A-Za-z_\- \n,\]}]))"
    rb"|(?:^|\n)---[ ]*[^ \n]"
    rb"|(?:^|\n)[ ]*[&*][0-9A-Za-z_\-]+[ ]*(?:\n|$)"
    rb"|(?:^|\n)\.\.\.[ ]*(?:[^ \n]|(?:\n[ ]*)*\n(?:[ ]+[^ \n]|[^-. \n]|-(?:[^-]|$)|--(?:[^-]|$)"
    rb"|---[^ \n]|\.(?:[^.]|$)|\.\.(?:[^.]|$)|\.\.\.[^ \n]))"
    rb"|[\]}][ ]*[^ \n,\]}#]"
    rb"|[\[{][^\]}\n]*\n"
    rb"|:[ ]+-(?:[ \n]|$)"
    rb"|(?:^|[\n:-])[ ]*[\]}]"
    rb"|(?:^|\n)[ -]*:(?:[ \n]|$)"
    rb"|[\[{,][ ]*:|:[,\]}]|:[ ]+:"
    rb"|(?:^|\n)[^'\"\n]*['\"][ ]*:(?:[ \n]|$)"
    rb"|(?:(?:^|\n)[ ]*(?:-[ ]+)*|[:\-?][ ]+|[\[{,][ ]*)"
    rb"(?:\"[^\"]*\"|'(?:[^']|'')*')[ ]+[^ \n#:,\]}]"
    rb"|\n {256}"
    rb"|(?:(?:^|\n)[ ]*|[:\-\[{,?][ ]*)(?:&[^ \n]*[ ]+[|>@`%:]"
    rb"|&[0-9A-Za-z_\-]*[ ]*[\]}]|&[^ \n]*[ ]+\?(?:[ \n]|$)|[&*][^ \n]*[ ]+-(?:[ \n]|$))"
)
_MASKED_COMMENT = re.compile(rb"(?m)^((?:(?:[^'\"#\n]|'x*'|\"x*\")*[ ])?)(#[^\n]*)")
"""A comment, after a line's start without quotes (or, once masked, only masked values)."""
_NOT_PRINTABLE_UTF8 = re2.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u2028\u2029\ufeff]".encode()
)
"""What YAML does not allow in a text, or reads as a line break only libyaml knows, or as a
byte order mark inside it: loader._NOT_PRINTABLE (but the surrogates, which no UTF-8 text
holds) and ``\x85``, ``\u2028``, ``\u2029``, ``\ufeff``, in one RE2 pass over the text's
UTF-8 (RE2 reads a pattern and text given as bytes as UTF-8): a third of the instructions of
``re``'s search of the text, one of the fast path's costliest passes over a text past ASCII."""
# A JSON string that the YAML 1.2 core schema would read, unquoted, as null, a boolean or a
# number: rapidyaml writes such a plain scalar as a string, as it does a quoted one. (An empty
# plain scalar it writes as null; "" is always a quoted one.)
_CORE_PATTERNS = "|".join(p.pattern.rstrip("|") for p in (_NULL_RE, _BOOL_RE, _INT_RE, _FLOAT_RE))
_LOOKALIKE = re.compile(f'"(?:{_CORE_PATTERNS})"')
_LOOKALIKE_RE2 = re2.compile(_LOOKALIKE.pattern.encode())  # the same: faster to tell if any
_LOOKALIKE_OR_SPACED = re2.compile(_LOOKALIKE.pattern.encode() + rb'|" ')
"""A lookalike, or a string that may start with a space (see _plain_after_spaces)."""
_ASCII_SPACES = b" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
"""The ASCII characters ``str.isspace`` holds to be white space."""
_MARGIN = 2
"""How far from a limit (nodes, depth) the exact path takes over, to report it exactly."""
_CR, _HASH, _QUOTE, _DOUBLE_QUOTE, _BAR, _ANGLE, _DASH = b"\r#'\"|>-"
_CLOSE_SQUARE, _CLOSE_CURLY, _COMMA, _COLON = b"]},:"
"""Bytes looked for with ``in``, as the numbers they are: ``b"#" in text`` first tries to read
``b"#"`` as a number, and formats the TypeError it makes of that (about 1,700 instructions,
more than finding the byte in most files: 20 M of parsing the human-style 5,000-account tree,
18 such tests a file); a number is looked for at once (``memchr``). A longer needle is
looked for with ``find``."""


class _Unsupported(Exception):
    """The text needs the exact path."""


class _DuplicateKey(_Unsupported):
    """A mapping of rapidyaml's JSON writes a key twice: the walk reads the file (it reports
    each duplicate as the exact path does)."""


def enabled() -> bool:
    """Whether the fast path may be used: rapidyaml is installed and not turned off."""
    return ryml is not None and os.environ.get(EXACT_ENV, "") in ("", "0")


def parse(
    text: str | None, path: str, limits: dict[str, int], encoded: bytes | None = None
) -> ParsedFile | None:
    """``text`` parsed exactly as exact.parse_text would, or None when only it can.
    ``encoded``: ``text`` as UTF-8, when the caller has it (the bytes of a file read without a
    byte order mark), so that it is not encoded again; ``text`` may then be None when those
    bytes are ASCII (each character its byte: a file's bytes need not be decoded)."""
    scan = _unsupported_or_deep(limits["max_depth"])
    if scan is None:
        return None
    # The scans read the file's UTF-8 bytes: each character YAML gives a meaning is ASCII,
    # and a character past ASCII is bytes that no pattern's ASCII character matches.
    if text is None:  # ``encoded`` is ASCII: the text's characters are its bytes
        assert encoded is not None
        if not encoded.strip(_ASCII_SPACES):  # (white space as ``str.isspace`` tells, or none)
            return None
        raw, length = encoded, len(encoded)
    else:
        if not text or text.isspace():
            return None
        raw, length = text.encode() if encoded is None else encoded, len(text)
    read = raw
    if _CR in raw:  # Windows line ends: both parsers read \r\n as \n, a lone \r as well
        read = raw.replace(b"\r\n", b"\n")
        if _CR in read:  # (no \r of a \r\n is left: \r\n cannot overlap itself)
            return None  # a lone \r: a line break too, to libyaml only
    bare = _without_comments(read)
    if bare is None:
        return None  # a control character in a comment
    long_key = _long_key(bare)  # (not in the scan: see _long_key)
    scans = _scans(scan)
    found = scans(bare)  # which of the scans find something: in most files, none
    if long_key or _UNSUPPORTED_FOUND in found:  # perhaps only in a quoted value or block
        if _found(_NOT_PRINTABLE_UTF8, read):
            return None  # a control character masking would hide (in a value or a comment)
        bare = _masked(read)
        found = scans(bare)
        if _UNSUPPORTED_FOUND in found or _long_key(bare):
            return None
        if (_CLOSE_SQUARE in bare or _CLOSE_CURLY in bare) and _deeper_after_flow(bare):
            return None  # seen only with escapes, which the first scan refuses
    if (_BAR in bare or _ANGLE in bare) and not _text_blocks_agree(read, bare):
        return None
    if _HASH in read and _comment_in_flow(read):
        return None
    if not raw.isascii() and _found(_NOT_PRINTABLE_UTF8, raw):
        return None
    buffer = bytearray(raw)
    try:
        with quiet():
            # Parsed in place, in a buffer kept with the tree: the same tree later tells where
            # each node was written (see _FilePositions), without parsing the file again.
            tree = _tree()
            this = _handle(tree)
            _reserve(this, _nodes_to_reserve(raw))
            _parse_in_place(buffer, this)
            size, view = _node_view(tree)
            origin = _address(buffer)
            roots = _documents(this)
            if len(roots) + _MARGIN > limits["max_documents_per_file"] or not all(
                _type(this, root) & (_MAP | _SEQ) and _first_child(this, root) != _NONE
                for root in roots
            ):
                return None  # an empty or scalar document, or too many of them
            walker = None
            resolved = None
            anchored = _ANCHORED_FOUND in found
            settled: frozenset[bytes] = frozenset()
            # The documents in one text (a stream's JSON is the list of its documents): the
            # decoder makes each key once per text, so every document of a file shares its keys
            # (as the walk shares them); one call into rapidyaml, not one a document
            if _JSON_WORD_FOUND in found:
                emitted, settled = _with_json_words(this, view, buffer, origin)
            else:
                emitted = _json(this)
            written = str(emitted, "utf-8")
            # most files: no string that may be a lookalike or start with a space, in one pass
            suspect = _found(_LOOKALIKE_OR_SPACED, emitted)
            spaced = suspect and written.find('" ') >= 0
            if not suspect or _quoted_where_written(written, bare, settled, emitted):
                try:
                    data = _decode(written)
                    # A key written twice keeps one value (and what is inside it) in the
                    # data: fewer values than the tree has nodes below its root
                    if _values(data) != size - 1:
                        raise _DuplicateKey
                    if roots[0] == 0:  # a lone document, not a stream
                        data = [data]
                    if anchored:  # aliases written as "*name", merge keys as "<<"
                        resolved = _Aliases(view, buffer, origin, roots, data)
                    walker = False
                except _Unsupported as unsupported:
                    if not anchored and type(unsupported) is not _DuplicateKey:
                        raise
                    # the walk tells (a duplicate key, a merge of no mapping)
            if walker is None:  # plain lookalikes, or aliases this could not resolve
                walker = _Walker(tree, buffer, limits)
                data = [walker.document(root) for root in roots]
    except Exception:  # rapidyaml's errors, and _Unsupported: the exact path says what is wrong
        return None
    links = walker.links if walker else resolved.links if resolved is not None else None
    columns = (  # a file without links never reads where an anchor is (see without_anchors)
        _Columns(view, origin, size, links is not None)
        if view is not None
        else _TreeNodes(tree, origin)
    )
    if spaced and _plain_after_spaces(columns, buffer, size):
        return None  # a line rapidyaml misread (see _plain_after_spaces): libyaml refuses it
    if walker:
        nodes = walker.nodes
        if walker.height + _MARGIN > limits["max_depth"]:
            return None
    else:
        nodes = size + columns.keyed() - (roots[0] != 0)  # the stream is no YAML node
        if resolved is not None:  # each alias counted as what it repeats (before the data
            nodes += resolved.repeated  # is read whole below: an alias bomb stops here)
            if nodes + _MARGIN > limits["max_nodes_per_file"] or (
                resolved.height + _MARGIN > limits["max_depth"]
            ):
                return None
        longest = limits["max_scalar_chars"]
        if (
            length > longest
            and (type(columns) is not _Columns or _longest_written(tree, size) > longest)
            and _longest(data) > longest
        ):
            return None
        nested = _NESTED_FLOW_FOUND in found
        if nested and max(map(_height, data)) + _MARGIN > limits["max_depth"]:
            return None  # flow collections inside flow collections nest on one line
    if nodes + _MARGIN > limits["max_nodes_per_file"]:
        return None
    file = _FilePositions(raw, path, limits, size, links)
    file.adopt(columns, buffer, roots, data)
    findings = []
    if walker and walker.duplicates:
        try:
            findings = walker.duplicate_findings(file, path)
        except _Inexact:
            return None  # a key the tree cannot place (an empty quoted one)
    documents = [
        Document(path, index, value, RymlSourceMap._root(file, index))
        for index, value in enumerate(data)
    ]
    return ParsedFile(path, documents, findings, len(raw), nodes)


def _plain_after_spaces(nodes: _Columns | _TreeNodes, buffer: bytearray, size: int) -> bool:
    """Whether a plain key or value of the tree starts with a space, which none written in YAML
    does: rapidyaml 0.15 reads a line indented past a one-line item of a list written at its
    key's indentation (``k:`` then ``- {n: r}`` then ``    t: S``, under a key) as a key of the
    mapping holding the list, its spaces kept (``"  t"``); libyaml refuses the text. Asked
    only of a file whose JSON holds a string that may start with a space (``" ``)."""
    plain_key, plain_value = _KEY | _KEYQUO, _VAL | _VALQUO | _VAL_BLOCK
    end = len(buffer)
    for node in range(size):
        kind = nodes.kind(node)
        spans = []
        if kind & plain_key == _KEY:
            spans.append(nodes.key(node))
        if kind & plain_value == _VAL:
            spans.append(nodes.val(node))
        for at, length in spans:
            if length and 0 <= at < end and buffer[at] == 0x20:
                return True
    return False


def _values(data: Any) -> int:
    """How many values the lists and mappings of ``data`` (JSON's data) hold, at every depth.

    A level at a time, in C: ``gc.get_referents`` gives a list's items and a mapping's values
    (JSON's mappings have only string keys, which CPython's mappings of string keys do not
    give: checked when imported, see _COUNTS_VALUES), and nothing of a string or number. Each
    node of rapidyaml's tree below its root is one value of its JSON, so a mapping that kept
    one value of a key written twice leaves the count short."""
    count = 0
    level = _referents(data)
    while level:
        count += len(level)
        level = _referents(*level)
    return count


Link = int | tuple[int, int]
"""Where a child of a list or mapping was written: the node holding its key and value, or,
when they differ, the node holding its key and the node holding its value (see _Walker)."""
Links = dict[str | int, Link] | tuple[int, dict[str | int, Link]]
"""Where the children of a list or mapping holding an alias or merge keys were written: each
(the walk's), or, for a mapping, its merge key's node (-1: none) and the keys that are not
simply its own children: those holding an alias and those merged (_Aliases'; its other keys
are its children but the merge key, in order)."""

_ANCHORED = re2.compile(rb"(?:(?:^|\n)[ ]*|[:\-\[{,?][ ]*)[&*]|<<")
"""Where an anchor, an alias or a merge key may be: the data built from rapidyaml's JSON, which
writes an alias as a string and a merge key as a key, is then resolved by _Aliases (or the
file walked by _Walker, when that cannot tell)."""


class _Walker:
    """Builds a file's data from rapidyaml's tree as exact._Builder builds it from libyaml's
    events: plain scalars read by the YAML 1.2 core schema, an alias sharing its anchor's
    data, merge keys (``<<``) adding the keys the mapping does not write itself (an earlier
    merged mapping winning over a later one), every node counted as it expands, aliases
    included, and the height of each node with what its aliases repeat. Anything the exact
    path reports as SG100 (an alias without its anchor or inside it, a merge of something that
    is no mapping, a key with an anchor or alias) raises _Unsupported. A key written twice in a
    mapping keeps the last value in the first key's place, as the exact path keeps it, and is
    recorded (``duplicates``) for the SG102 finding the exact path reports
    (:meth:`duplicate_findings`).

    The tree is read as _Columns reads it, straight from rapidyaml's array of nodes (each
    node's type, first child and next sibling, where its key, value and anchor were written),
    copied out into lists at once: a Python call into rapidyaml for each node cost three times
    as much. Keys and values are read in the parse buffer, where rapidyaml left them (in place:
    it rewrites escapes and text blocks there), as one string sliced for a file that is ASCII.

    ``links`` records, for each list and mapping of the tree whose data is not simply its
    children in order (one holding an alias or merge keys), where each child of its data was
    written: the node holding its key and value (an int), or, when they differ, both (for an
    alias, the anchored node holds the value; for a merged key, the merged mapping's own
    nodes hold both). The others' n-th key or item is their n-th child."""

    def __init__(self, tree: Any, buffer: bytearray, limits: dict[str, int]) -> None:
        size = _tree_size(_handle(tree))
        read = _columns_read_rapidyaml() and 0 < size < _LOW and _numbered_in_order(tree, size)
        (
            self.kinds,
            self.key_at,
            self.key_size,
            self.val_at,
            self.val_size,
            self.anchor_at,
            self.anchor_size,
            self.first,
            self.next,
        ) = _tree_lists(tree, size) if read else _tree_lists_asked(tree)
        origin = _address(buffer)
        end = origin + len(buffer)
        for starts, sizes in (
            (self.key_at, self.key_size),
            (self.val_at, self.val_size),
            (self.anchor_at, self.anchor_size),
        ):
            written = list(itertools.compress(starts, sizes))
            if written and (
                min(written) < origin or max(map(operator.add, written, filter(None, sizes))) > end
            ):
                raise _Unsupported  # a scalar rapidyaml wrote outside the file's text
        self.origin = origin
        self.ascii = buffer.isascii()
        self.source: str | bytes = buffer.decode("ascii") if self.ascii else bytes(buffer)
        self.longest = limits["max_scalar_chars"]
        self.nodes = 0
        self.height = 0
        self.links: dict[int, dict[str | int, Link]] = {}
        self.anchors: dict[str, tuple[Any, int, int, int] | None] = {}
        self.keys: dict[str, str] = {}
        """Each key once: the same key of every entity of a file is one string (as
        ``json.loads`` shares them)."""
        self.duplicates: list[tuple[int, int, int, int, str]] = []
        """Each key written again in its mapping, in the order the exact path reports them
        (when the value after it is read): its document's root, the mapping, the node holding
        the key again and the one holding it before, and the key."""
        self.root = 0

    def document(self, root: int) -> Any:
        self.anchors = {}  # anchors never reach across documents
        self.root = root
        data, size, height, _node = self._node(root)
        self.nodes += size
        self.height = max(self.height, height)
        return data

    def _text(self, at: int, size: int) -> str:
        """The text rapidyaml read at address ``at``, ``size`` bytes long."""
        start = at - self.origin
        text = self.source[start : start + size]
        return text if self.ascii else text.decode()  # type: ignore[return-value,union-attr]

    def _scalar(self, node: int, kind: int) -> Any:
        """A scalar's data: its text, read by the core schema when it is plain."""
        text = self._text(self.val_at[node], self.val_size[node])
        if len(text) > self.longest:
            raise _Unsupported
        if kind & _VALQUO or (text and text[0] not in _PLAIN_TYPED):
            return text
        return _plain_scalar(text)

    def _node(self, node: int) -> tuple[Any, int, int, int]:
        """(data, nodes it expands to, height, the node its positions come from)."""
        kind = self.kinds[node]
        if kind & _VALREF:  # an alias: its text is the name after the *
            found = self.anchors.get(self._text(self.val_at[node] + 1, self.val_size[node] - 1))
            if found is None:  # no such anchor before it, or the alias is inside it
                raise _Unsupported
            return found
        if kind & _VALTAG:
            raise _Unsupported
        anchor = None
        if kind & _VALANCH:
            anchor = self._text(self.anchor_at[node], self.anchor_size[node])
            self.anchors[anchor] = None  # being read: an alias to it here is a loop
        if kind & _MAP:
            value = self._mapping(node)
        elif kind & _SEQ:
            value = self._sequence(node)
        else:
            value = (self._scalar(node, kind), 1, 0, node)
        if anchor is not None:
            self.anchors[anchor] = value
        return value

    def _sequence(self, node: int) -> tuple[Any, int, int, int]:
        kinds, nexts, scalar = self.kinds, self.next, self._scalar
        data: list[Any] = []
        links: dict[str | int, Link] | None = None  # kept only for a list holding an alias
        size, height = 1, 1
        child = self.first[node]
        while child != _NONE:
            kind = kinds[child]
            where = child
            if kind & _SCALAR_ONLY == _VAL:  # a plain or quoted scalar
                data.append(scalar(child, kind))
                size += 1
            else:
                item, item_size, item_height, where = self._node(child)
                data.append(item)
                size += item_size
                if item_height >= height:
                    height = item_height + 1
            if where != child and links is None:  # an alias: its data is the anchored node's
                links = dict(enumerate(self._children(node, len(data) - 1)))
            if links is not None:
                links[len(data) - 1] = child if where == child else (child, where)
            child = nexts[child]
        if links is not None:
            self.links[node] = links
        return data, size, height, node

    def _children(self, node: int, count: int) -> list[int]:
        """The first ``count`` children of ``node``."""
        found = []
        child = self.first[node]
        while len(found) < count:
            found.append(child)
            child = self.next[child]
        return found

    def _mapping(self, node: int) -> tuple[Any, int, int, int]:
        kinds, nexts = self.kinds, self.next
        key_at, key_size, origin, source = self.key_at, self.key_size, self.origin, self.source
        val_at, val_size, ascii_, longest = self.val_at, self.val_size, self.ascii, self.longest
        data: dict[str, Any] = {}
        links: dict[str | int, Link] = {}
        merges: list[tuple[dict[str, Any], int]] = []
        simple = True  # no alias, no merge key: the n-th key is the n-th child
        keys = self.keys
        size, height = 1, 1
        child = self.first[node]
        while child != _NONE:
            kind = kinds[child]
            if kind & _KEY_SPECIAL:
                raise _Unsupported  # a key with an anchor, alias or tag
            start = key_at[child] - origin
            key = source[start : start + key_size[child]]
            if not ascii_:
                key = key.decode()  # type: ignore[union-attr]
            key = keys.setdefault(key, key)
            if kind & _SCALAR_ONLY == _VAL and key != "<<":  # a plain or quoted scalar
                start = val_at[child] - origin  # (self._scalar, written out: most nodes are)
                value = source[start : start + val_size[child]]
                if not ascii_:
                    value = value.decode()  # type: ignore[union-attr]
                if len(value) > longest:
                    raise _Unsupported
                if not kind & _VALQUO and (not value or value[0] in _PLAIN_TYPED):
                    value = _plain_scalar(value)
                where = child
                size += 2
            else:
                value, value_size, value_height, where = self._node(child)
                size += 1 + value_size
                if value_height >= height:
                    height = value_height + 1
                if key == "<<" and not kind & _KEYQUO:
                    merges.extend(self._merged(value, where))
                    simple = False
                    child = nexts[child]
                    continue
            if key in data:  # the last value is kept, in the first key's place
                before = links[key]
                before = before if type(before) is int else before[0]  # type: ignore[index]
                self.duplicates.append((self.root, node, child, before, key))
                simple = False  # its n-th key is no longer its n-th child
            data[key] = value
            if where == child:
                links[key] = child
            else:  # an alias: its data is the anchored node's
                links[key] = (child, where)
                simple = False
            child = nexts[child]
        for merged, source_node in merges:
            written = self.links.get(source_node)
            at = self.first[source_node]  # without links, the n-th key's node
            for key, value in merged.items():
                link = at if written is None else written[key]
                if written is None:
                    at = nexts[at]
                if key not in data:
                    data[key] = value
                    links[key] = link
        if not simple:
            self.links[node] = links
        return data, size, height, node

    def duplicate_findings(self, file: _FilePositions, path: str) -> list[Finding]:
        """The SG102 finding of each key written twice, as the exact path words and places it:
        at the key written again, naming the line of the one before it, with the path of the
        mapping (raises _Inexact for a key the tree cannot place)."""
        findings = []
        for root, mapping, again, before, key in self.duplicates:
            first = file._position(file._key_offset(before))
            where = self._written_path(root, mapping)
            position = file._position(file._key_offset(again))
            findings.append(duplicate_key_finding(path, key, first.line, position, where))
        return findings

    def _written_path(self, root: int, target: int) -> list[str | int]:
        """The keys and indexes that lead from ``root`` to ``target`` as written (not through
        aliases): what the exact path names a mapping by."""
        pending: list[tuple[int, list[str | int]]] = [(root, [])]
        while pending:
            node, path = pending.pop()
            if node == target:
                return path
            kind = self.kinds[node]
            child = self.first[node] if kind & (_MAP | _SEQ) else _NONE
            index = 0
            while child != _NONE:
                if kind & _MAP:
                    size = self.key_size[child]
                    part: str | int = self._text(self.key_at[child], size) if size else ""
                else:
                    part = index
                pending.append((child, [*path, part]))
                child = self.next[child]
                index += 1
        raise _Inexact  # (not seen: the mapping is inside its document)

    def _merged(self, value: Any, node: int) -> list[tuple[dict[str, Any], int]]:
        """The mappings a merge key's value names, with their nodes."""
        if isinstance(value, dict):
            return [(value, node)]
        if not isinstance(value, list):
            raise _Unsupported
        merged = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise _Unsupported
            links = self.links.get(node)
            link = self._children(node, index + 1)[-1] if links is None else links[index]
            merged.append((item, link if type(link) is int else link[1]))
        return merged


class _Aliases:
    """Anchors, aliases and merge keys (``<<``) resolved in the data ``json.loads`` built from
    rapidyaml's JSON, which writes an alias as the string ``"*name"``, a merge key as the key
    ``"<<"`` and an anchor not at all: each alias's place in the data is given its anchor's
    data (shared, as the walk and the exact path share it), and each mapping merges what its
    ``<<`` names as _Walker merges it (keys written in the mapping win over merged ones, an
    earlier merged mapping over a later one; merged keys after the mapping's own, in order).

    Only the nodes that matter are read, straight from rapidyaml's array of nodes (as
    _Columns reads it): the aliases, the anchored nodes and the merge keys are found by their
    type bits and key lengths read as byte columns (``bytes.translate`` and ``find``, in C),
    each one's place in the data by its parents. What the walk would record for positions
    (``links``, for the lists and mappings holding an alias or a merge key), how many more
    nodes the aliases make (``repeated``: each alias counts as what it repeats, as the walk
    counts it) and the height they reach (``height``) are worked out from those nodes alone.

    Anything less usual (an anchor name defined twice in a document, an alias with no anchor
    before it or inside it, a key with an anchor or alias, a merge of something that is no
    mapping, a tree not read as columns) raises _Unsupported: the walk then decides."""

    __slots__ = (
        "_buffer",
        "_children",
        "_end",
        "_indexes",
        "_origin",
        "_words",
        "height",
        "links",
        "repeated",
    )

    def __init__(
        self,
        view: memoryview | None,
        buffer: bytearray,
        origin: int,
        roots: list[int],
        data: list[Any],
    ) -> None:
        if view is None:  # (see _node_view)
            raise _Unsupported
        stride = 8 * _WORDS
        low, high = view[0::stride].tobytes(), view[1::stride].tobytes()  # the type's bits
        if _hits(low, _KEY_ALIAS) or _hits(high, _KEY_ANCHOR_OR_TAG):
            raise _Unsupported  # a key with an alias, an anchor or a tag: the walk refuses it
        words = self._words = view.cast("Q")
        self._buffer, self._origin, self._end = buffer, origin, len(buffer)
        self._children: dict[int, list[int]] = {}
        self._indexes: dict[int, dict[int, int]] = {}
        aliases = _hits(low, _VAL_ALIAS)
        merges = [
            node
            for node in _hits(view[8 * _KEY_SIZE :: stride].tobytes(), _TWO)
            if words[node * _WORDS + _KEY_SIZE] == 2
            and not words[node * _WORDS] & _KEYQUO
            and self._text(words[node * _WORDS + _KEY_AT], 2) == b"<<"
        ]
        self.links: dict[int, Links] = {}
        self.repeated = self.height = 0
        if not aliases and not merges:
            return  # anchors alone: the data is as written
        targets, depths = self._targets(aliases, _hits(high, _VAL_ANCHOR), roots)

        objects: dict[int, Any] = {root: data[index] for index, root in enumerate(roots)}
        places = {alias: self._place(alias, objects) for alias in aliases}
        shared = {target: self._object(target, objects) for target in set(targets.values())}
        for merge in merges:
            self._object(words[merge * _WORDS + _PARENT], objects)
        for alias, (container, step) in places.items():
            container[step] = shared[targets[alias]]

        # Where the children of a list or mapping holding an alias or merge key were written:
        # a list's, each; a mapping's, those that are not simply its own children (see Links)
        mappings = {words[merge * _WORDS + _PARENT]: merge for merge in merges}
        aliased: dict[int, dict[str | int, Link]] = {}
        for alias in aliases:
            parent = words[alias * _WORDS + _PARENT]
            if words[parent * _WORDS] & _MAP:
                if mappings.setdefault(parent, -1) != alias:  # (a merge key is no key)
                    aliased.setdefault(parent, {})[places[alias][1]] = (alias, targets[alias])
            elif parent not in self.links:
                self.links[parent] = {
                    index: child if child not in targets else (child, targets[child])
                    for index, child in enumerate(self._items(parent))
                }
        written: dict[int, dict[str | int, Link]] = {}
        for mapping in sorted(mappings, key=self._after_its_children):
            merge = mappings[mapping]
            links = aliased.get(mapping, {})
            if merge >= 0:
                self._merge(objects[mapping], merge, targets, links, written)
            self.links[mapping] = (merge, links)

        sizes: dict[int, tuple[int, int]] = {}
        for alias in aliases:  # what it repeats, as deep as it is (the lists and mappings
            size, height = self._expanded(targets[alias], targets, sizes)  # around it)
            self.repeated += size - 1
            self.height = max(self.height, depths[alias] + height)

    def _text(self, at: int, size: int) -> bytes:
        """The bytes rapidyaml read at address ``at`` (checked to lie inside the buffer)."""
        start = at - self._origin
        if start < 0 or start + size > self._end:
            raise _Unsupported  # a scalar rapidyaml wrote outside the file's text
        return bytes(self._buffer[start : start + size])

    def _items(self, node: int) -> list[int]:
        """The children of ``node``, in order."""
        found = self._children.get(node)
        if found is None:
            words = self._words
            found = self._children[node] = []
            child = words[node * _WORDS + _FIRST]
            while child != _NONE:
                found.append(child)
                child = words[child * _WORDS + _NEXT]
        return found

    def _targets(
        self, aliases: list[int], anchored: list[int], roots: list[int]
    ) -> tuple[dict[int, int], dict[int, int]]:
        """The anchored node each alias names (the anchor before it in its document, not one
        holding it), and how many lists and mappings hold each alias."""
        words = self._words
        targets: dict[int, int] = {}
        depths: dict[int, int] = {}
        defined: dict[bytes, int] = {}
        document = -1
        is_alias = set(aliases)
        for node in sorted({*aliases, *anchored}):
            at = bisect.bisect_right(roots, node) - 1
            if at != document:
                defined, document = {}, at  # anchors never reach across documents
            base = node * _WORDS
            if node not in is_alias:
                name = self._text(words[base + _ANCHOR_AT], words[base + _ANCHOR_SIZE])
                if name in defined:
                    raise _Unsupported  # defined again: which one an alias names, the walk tells
                defined[name] = node
                continue
            if words[base] & _VALANCH:
                raise _Unsupported
            target = defined.get(self._text(words[base + _VAL_AT] + 1, words[base + _VAL_SIZE] - 1))
            if target is None:
                raise _Unsupported  # no such anchor before it
            parent = node
            depth = 0
            while parent != roots[at]:
                parent = words[parent * _WORDS + _PARENT]
                depth += 1
                if parent == target:
                    raise _Unsupported  # an alias inside its anchor
            targets[node], depths[node] = target, depth
        return targets, depths

    def _object(self, node: int, objects: dict[int, Any]) -> Any:
        """The data built at ``node`` (before any alias was resolved)."""
        if node in objects:
            return objects[node]
        container, step = self._place(node, objects)
        try:
            value = objects[node] = container[step]
        except (KeyError, IndexError, TypeError):
            raise _Unsupported from None  # (not seen: the data is the tree's)
        return value

    def _place(self, node: int, objects: dict[int, Any]) -> tuple[Any, str | int]:
        """The list or mapping holding ``node``'s data, and its index or key there."""
        base = node * _WORDS
        parent = self._words[base + _PARENT]
        container = self._object(parent, objects)
        if type(container) is dict:
            return container, self._text(
                self._words[base + _KEY_AT], self._words[base + _KEY_SIZE]
            ).decode()
        if type(container) is not list:
            raise _Unsupported
        index = self._indexes.get(parent)
        if index is None:
            index = self._indexes[parent] = {
                item: at for at, item in enumerate(self._items(parent))
            }
        return container, index[node]

    def _after_its_children(self, node: int) -> tuple[int, int]:
        """Mappings merged in the order their reading ends (a mapping after every node inside
        it and before it), as the walk merges them: the last node inside it, then inner first.
        Mappings that end at the same node are one inside the other: the deeper is inner (not
        the later numbered: rapidyaml numbers a stream's first document after its contents)."""
        words = self._words
        last = node
        while words[last * _WORDS + _LAST] != _NONE:
            last = words[last * _WORDS + _LAST]
        depth = 0
        parent = words[node * _WORDS + _PARENT]
        while parent != _NONE:
            depth += 1
            parent = words[parent * _WORDS + _PARENT]
        return last, -depth

    def _merge(
        self,
        data: dict[str, Any],
        merge: int,
        targets: dict[int, int],
        links: dict[str | int, Link],
        written: dict[int, dict[str | int, Link]],
    ) -> None:
        """Merge into a mapping's data ``data`` what its merge key (its child ``merge``) names,
        recording in ``links`` where each merged key was written (``written``: where each key
        of each merged mapping was, found once per file)."""
        value = data.pop("<<")
        source = targets.get(merge, merge)
        if type(value) is dict:
            merged = [(value, source)]
        elif type(value) is list and all(type(item) is dict for item in value):
            items = self._items(source)
            if len(items) != len(value):
                raise _Unsupported
            merged = [(item, targets.get(at, at)) for item, at in zip(value, items, strict=True)]
        else:
            raise _Unsupported  # a merge of what is no mapping: the exact path says so
        for mapping, at in merged:
            keys = written.get(at)
            if keys is None:  # its own keys are its children (but its merge key), in order
                skip, keys = self.links.get(at, (-1, {}))  # type: ignore[misc]
                children = [child for child in self._items(at) if child != skip]
                keys = written[at] = {**dict(zip(mapping, children, strict=False)), **keys}
            for key, item in mapping.items():
                if key not in data:
                    data[key] = item
                    links[key] = keys[key]  # (KeyError: the walk tells)

    def _expanded(
        self, node: int, targets: dict[int, int], sizes: dict[int, tuple[int, int]]
    ) -> tuple[int, int]:
        """How many nodes ``node`` stands for, aliases repeated (its key not counted), and its
        height, as the walk counts them."""
        node = targets.get(node, node)
        known = sizes.get(node)
        if known is not None:
            return known
        kind = self._words[node * _WORDS]
        size, height = 1, 0
        if kind & (_MAP | _SEQ):
            height = 1
            keyed = 1 if kind & _MAP else 0
            for child in self._items(node):
                child_size, child_height = self._expanded(child, targets, sizes)
                size += keyed + child_size
                height = max(height, child_height + 1)
        sizes[node] = size, height
        return size, height


def _hits(column: bytes, table: bytes) -> list[int]:
    """The positions of the bytes of ``column`` that ``table`` (for bytes.translate) marks 1."""
    marked = column.translate(table)
    found = []
    at = marked.find(1)
    while at >= 0:
        found.append(at)
        at = marked.find(1, at + 1)
    return found


def _marking(test: Any) -> bytes:
    return bytes(1 if test(value) else 0 for value in range(256))


_KEY_SIZE, _KEY_AT, _VAL_AT, _VAL_SIZE, _ANCHOR_AT, _ANCHOR_SIZE = 4, 3, 9, 10, 11, 12
_PARENT, _FIRST, _LAST, _NEXT = 13, 14, 15, 16
"""Words of rapidyaml's node (see _WORDS)."""
_TWO = _marking(lambda value: value == 2)
_FOUR_OR_FIVE = _marking(lambda value: value in (4, 5))
if ryml is not None:
    _KEYED = _marking(lambda value: value & int(ryml.KEY))
    _VAL_ALIAS = _marking(lambda value: value & int(ryml.VALREF))
    _KEY_ALIAS = _marking(lambda value: value & int(ryml.KEYREF))
    _VAL_ANCHOR = _marking(lambda value: value & (int(ryml.VALANCH) >> 8))
    _KEY_ANCHOR_OR_TAG = _marking(
        lambda value: value & ((int(ryml.KEYANCH) | int(ryml.KEYTAG) | int(ryml.VALTAG)) >> 8)
    )


def _tree_lists(tree: Any, size: int) -> list[list[int]]:
    """The words of rapidyaml's nodes the walk reads, each as a list (a column) of the tree's
    ``size`` nodes (numbered in order, see _numbered_in_order), in the order of _WALKED."""
    words = _memory(_nodes_address(tree), 8 * _WORDS * size, _READ).cast("Q")
    return [words[word::_WORDS].tolist() for word in _WALKED]


def _tree_lists_asked(tree: Any) -> list[list[int]]:
    """The same lists, asked of rapidyaml node by node (for a rapidyaml whose nodes are laid
    out otherwise, or a tree whose nodes are not numbered in order)."""
    count = tree.capacity()
    lists = [[0] * count for _ in _WALKED]
    kinds, key_at, key_size, val_at, val_size, anchor_at, anchor_size, first, next_ = lists
    pending = [tree.root_id()]
    while pending:
        node = pending.pop()
        kinds[node] = int(_type(tree, node))
        first[node], next_[node] = tree.first_child(node), tree.next_sibling(node)
        for text, at, size in (
            (tree.key(node) if tree.has_key(node) else None, key_at, key_size),
            (tree.val(node) if tree.has_val(node) else None, val_at, val_size),
            (tree.val_anchor(node) if tree.has_val_anchor(node) else None, anchor_at, anchor_size),
        ):
            if text is not None and len(text):
                at[node], size[node] = _address(text), len(text)
        pending.extend(child for child in (first[node], next_[node]) if child != _NONE)
    return lists


_WALKED = (0, 3, 4, 9, 10, 11, 12, 14, 16)
"""The words of rapidyaml's node (see _WORDS) the walk reads: the type; the key's text
(address, length); the value's text and its anchor (the same); the first child and the next
sibling."""
_PLAIN_TYPED = frozenset("~nNtTfF0123456789+-.")
"""The first characters of a plain scalar the core schema may read as other than text."""


def _deeper_after_flow(bare: bytes) -> bool:
    """Whether a line that ends with a flow collection (``- {}``, ``key: [a, b]``) is followed
    by a line indented past the collection's item or key: libyaml refuses it, rapidyaml 0.15
    may read it as a key (``- {}`` then ``    - "a\\nb: c"``). Only the lines whose next line is
    indented further (or as far, for a flow collection alone on its line) are looked at."""
    for pattern in (_FLOW_THEN_DEEPER, _FLOW_ALONE_THEN_SAME):
        for match in pattern.finditer(bare):
            line = bare[match.start() : bare.index(b"\n", match.start())]
            content = line.lstrip(b" ")
            indent = len(line) - len(content)
            dashes = len(content) - len(content.lstrip(b"- "))
            rest = content[dashes:]
            bracket = min((at for at in (rest.find(b"["), rest.find(b"{")) if at >= 0), default=0)
            if rest.find(b": ", 0, bracket) >= 0 or rest[:bracket].endswith(b":"):
                limit = indent + dashes  # the key's column
            elif dashes:
                limit = indent + len(content[:dashes].rstrip(b" ")) - 1  # the last dash's column
            else:
                limit = indent - 1  # alone on its line: its key is on a line above
            if len(match.group(2)) > limit:
                return True
    return False


_FLOW_THEN_DEEPER = re.compile(rb"(?m)^( *)(?! )[^\n]*[\]}] *\n(?: *\n)*(\1 +)[^ \n]")
"""A line ending with a closing bracket, then (past blank lines) one indented further."""
_FLOW_ALONE_THEN_SAME = re.compile(rb"(?m)^( *)(?! )[\[{][^\n]*[\]}] *\n(?: *\n)*(\1 *)[^ \n]")
"""A line holding only a flow collection, then one indented as far or further."""


def _text_blocks_agree(text: bytes, bare: bytes) -> bool:
    """Whether rapidyaml reads the text blocks (``|``, ``>``) of ``text`` as libyaml does:
    when the file ends with a line break (rapidyaml ends a last block with one either way),
    and each header holds only its indicators and a comment (rapidyaml takes more) without
    ``-``, ``+`` or digits (rapidyaml reads those as indicators)."""
    headers = _block_headers(bare)
    if not headers:
        return True
    if _block_comment(text) or not (text.endswith(b"\n") or _ends_before(bare)):
        return False
    if not all(_BLOCK_HEADER.fullmatch(header) for header in headers):
        return False
    # With an indentation indicator, rapidyaml drops the spaces of a blank line past it
    return not any(_INDENTED.search(header) for header in headers) or not _found(_SPACES_ONLY, text)


def _block_headers(bare: bytes) -> list[bytes]:
    """What follows each ``|`` or ``>`` of ``bare`` that may start a node, to the end of its
    line: a line's first ``|`` or ``>`` that comes at its start or right after one of
    ``:-[{,?`` (past spaces). Each is within one line, so only the lines holding a ``|`` or
    ``>`` (found by ``bytes.find``) are read, each ``|`` or ``>`` told by the characters before
    it (an RE2 pass over every file with a text block cost more; asking RE2 of each such line
    cost about 27 K instructions a header)."""
    headers = []
    find = bare.find
    bar, angle = find(_BAR), find(_ANGLE)
    while bar >= 0 or angle >= 0:
        at = bar if angle < 0 or 0 <= bar < angle else angle
        start = bare.rfind(_NEWLINE, 0, at) + 1
        end = find(_NEWLINE, at)
        if end < 0:
            end = len(bare)
        while at >= 0:  # the line's | and > in turn, from its first
            before = bare[start:at].rstrip(b" ")
            if not before or before[-1] in _BEFORE_HEADER:
                headers.append(bare[at:end])
                break
            later_bar, later_angle = find(_BAR, at + 1, end), find(_ANGLE, at + 1, end)
            at = later_bar if later_angle < 0 or 0 <= later_bar < later_angle else later_angle
        if bar >= 0:
            bar = find(_BAR, end)
        if angle >= 0:
            angle = find(_ANGLE, end)
    return headers


_BEFORE_HEADER = b":-[{,?"
"""What may come right before a text block's header (past spaces)."""
_NEWLINE = 0x0A


def _ends_before(bare: bytes) -> bool:
    """Whether the last text block of ``bare`` (the text without comments) ends before the
    file does: a line after it starts at or left of its key (or its item's ``-``). The last
    line that may hold a header is found from the end, among the lines holding ``|`` or ``>``."""
    end = len(bare)
    while True:
        at = max(bare.rfind(b"|", 0, end), bare.rfind(b">", 0, end))
        if at < 0:
            return False
        end = bare.rfind(b"\n", 0, at) + 1
        last = _ANY_BLOCK_LINE.match(bare, end)
        if last is not None:
            break
    indent, key = last.groups()
    parent = len(indent) if key else len(indent.rstrip(b" ")) - 1
    for line in bare[last.end() :].split(b"\n"):
        content = line.lstrip(b" ")
        if content and len(line) - len(content) <= parent:
            return True
    return False


def _block_comment(text: bytes) -> bool:
    """Whether a text block's header has a comment holding a ``-``, ``+`` or digit, which
    rapidyaml 0.15 takes for a chomping or indentation indicator (``|  # a - b`` strips the last
    line break; so does ``>1#+``, where libyaml reads a comment without the space YAML asks for
    before it): _BLOCK_COMMENT found in a line of ``text``. Only the lines holding a ``#`` and
    a ``|`` or ``>`` are searched (each found by ``bytes.find``), not the whole text: a match
    lies within one line (an RE2 pass over every file with a text block cost more)."""
    at = text.find(b"#")
    while at >= 0:
        start = text.rfind(b"\n", 0, at) + 1
        end = text.find(b"\n", at)
        if end < 0:
            end = len(text)
        line = text[start:end]
        if (_BAR in line or _ANGLE in line) and _found(_BLOCK_COMMENT, line):
            return True
        at = text.find(b"#", end)
    return False


_BLOCK_COMMENT = re2.compile(rb"(?:^|\n|[:\-\[{,?])[ ]*[|>][0-9+-]*[ ]*#[^\n]*[-+0-9]")
"""A text block's header whose comment holds a ``-``, ``+`` or digit (see _block_comment)."""
_INDENTED = re.compile(rb"^.[+-]?[1-9]")
_SPACES_ONLY = re2.compile(rb"(?:^|\n)[ ]+(?:\r?\n|$)")
_BLOCK_HEADER = re.compile(rb"[|>](?:[1-9][+-]?|[+-][1-9]?)?[ ]*(?:#.*)?")


def _long_key(text: bytes) -> bool:
    """Whether a ``:`` that may end a key comes more than 1024 characters into a line of
    ``text``: libyaml refuses a key that long, rapidyaml reads it (a one-line flow mapping that
    long is left to the exact path too). Asked of the lines that long only: as one more
    alternative of the RE2 scan above (a line's start, 1,025 characters that are no line break,
    a ``:``) it made RE2 count the characters of every line, and parsing every file of the
    human-style 1,000-account tree took 1.7 times the instructions."""
    # Such a line holds 512 bytes without a line break from a multiple of 512 on: only a text
    # holding that is split into lines (a few calls of bytes.find for most files)
    if len(text) <= _KEY_BYTES or -1 not in map(  # (in C: a generator cost more than finding)
        text.find,
        itertools.repeat(b"\n"),
        range(0, len(text) - 511, 512),
        range(512, len(text) + 1, 512),
    ):
        return False
    return any(  # counted in characters, as RE2 reads UTF-8
        _KEY_END.search(line.decode(errors="replace"), _KEY_BYTES) is not None
        # rapidyaml 0.15 takes time quadratic in a run of spaces inside a plain value (a
        # value of 200,000 spaces between two words took 11 s): such a run is left to
        # libyaml, which reads it in linear time, from 1,024 spaces on (a line that long)
        or line.find(_SPACE_RUN) >= 0
        for line in text.split(b"\n")
        if len(line) > _KEY_BYTES
    )


_SPACE_RUN = b" " * 1024


_KEY_BYTES = 1025
"""A line's characters before a key's ``:`` past libyaml's limit (each at least a byte)."""
_KEY_END = re.compile(":(?:[ ,\\]}]|$)|[\"']:")
"""A ``:`` that may end a key: before a space, a comma, a closing bracket or the line's end, or
right after a quoted key (``{"key":1}``, as JSON is written)."""


def _nodes_to_reserve(raw: bytes) -> int:
    """How many nodes to reserve in rapidyaml's tree of ``raw`` before parsing: one for every
    20 bytes, enough for most files (their nodes take 14 to 35 bytes, 22 in the middle, in the
    human-style trees); a file with more grows its tree (rapidyaml doubles it, its nodes still
    numbered in order). Counting where nodes start (five passes of ``bytes.count``) cost more
    than the copies it spared: parsing every file of the 1,000-account trees took 14-15 M fewer
    instructions this way (human-style 372.9 -> 357.8 M, plain 224.0 -> 210.3 M). Every
    reserved node is cleared: one for every 16 bytes cleared more than the growing it spared
    (cold lint of the 5,000-account trees 6.1 M and 5.1 M more instructions than one for every
    20; one for every 24 grew too many trees, 13.8 M more on the human-style tree)."""
    return len(raw) // 20 + 16


def _quoted_where_written(
    emitted: str,
    text: bytes,
    settled: frozenset[bytes] = frozenset(),
    encoded: bytes | memoryview | None = None,
) -> bool:
    """Whether every string of ``emitted`` that the core schema would read otherwise unquoted
    (a phone number "+442079460150", "010", "True") was quoted in ``text`` (the file as the
    scan reads it: quoted values and text blocks masked, comments taken away): its characters
    never stand alone there as a value or key would (after a key, a ``-`` or a bracket, before
    the line's end, a comment, a ``:``, a comma or a bracket). Such a string holds no space,
    so a plain value of it is written on one line; inside a longer value it is not one.
    Strings in ``settled`` are known to be keys or quoted values (see _with_json_words).
    ``encoded``: ``emitted`` as UTF-8, when the caller has it (rapidyaml wrote it so)."""
    if encoded is None:
        encoded = emitted.encode()
    # each found by RE2 in the JSON's bytes (``re`` over the JSON's text took 40% of this in
    # files whose every value is quoted)
    found = {
        bytes(encoded[span[0][0] + 1 : span[0][1] - 1]) for span in _spans(_LOOKALIKE_RE2, encoded)
    }
    found -= settled
    if not found:
        return True
    candidates = set(found)  # the strings, and how a plain value written as one may be spelt
    for value in found:
        if value in _WRITTEN_AS:
            if f'"{value.decode()}":' in emitted:
                return False  # a key rapidyaml may have rewritten, quoted or not (_WRITTEN_AS)
            candidates.update(_WRITTEN_AS[value])
    for start in _standing_alone(text, candidates):
        line_start = text.rfind(b"\n", 0, start) + 1
        if _VALUE_START.search(text, line_start, start) is not None:
            return False
    return True


def _standing_alone(text: bytes, candidates: set[bytes]) -> Iterator[int]:
    """Where each of ``candidates`` (lookalikes, spellings of _WRITTEN_AS) is written in
    ``text`` as _STANDING_ALONE's group: the places the scan of every lookalike standing alone
    finds with one of them for its group, found without stopping at each of the others (the
    stranger's registers write a plain number or boolean on every few lines: 6,837 of them in
    the 224 files of its 5,000-account tree that quote a lookalike, none of them quoted
    elsewhere in its file, each an RE2 call and a few Python steps).

    Each such group is the whole run of a lookalike's characters (none of which may come before
    or after one), after one of _BEFORE_VALUE or at the text's start, so two never overlap and
    a search of _STANDING_ALONE from the character before one (or from the start) finds it
    first, whatever comes before: that search tells each place found here, so the places are
    the scan's whichever way they are looked for. A few candidates in a small text: each looked
    for with ``bytes.find``; more: RE2 searching for all of them standing alone at once (a
    pattern made for the text: about 40 us, paid back past a dozen lookalikes standing alone);
    very many: the scan of every lookalike, each group looked up among them."""
    if len(candidates) * len(text) <= _FOUND_ONE_BY_ONE:
        before = _BEFORE_VALUE
        for written in candidates:
            at = text.find(written)
            while at >= 0:
                if (not at or text[at - 1] in before) and _group_from(
                    _STANDING_ALONE, text, at - 1 if at else 0
                ) == (at, at + len(written)):
                    yield at
                at = text.find(written, at + 1)
    elif len(candidates) <= _FOUND_TOGETHER:
        alternatives = b"|".join(map(re.escape, sorted(candidates)))
        pattern = re2.compile(rb"(?:^|[ :\[{,\n])(%s)%s" % (alternatives, _VALUE_END))
        for start, stop in _groups(pattern, text):
            if _group_from(_STANDING_ALONE, text, start - 1 if start else 0) == (start, stop):
                yield start
    else:
        for start, stop in _groups(_STANDING_ALONE, text):
            if text[start:stop] in candidates:
                yield start


_FOUND_ONE_BY_ONE = 1 << 16
"""Candidates times the text's bytes up to which each candidate is looked for with
``bytes.find`` (a pass each, ~1.3 ns a byte) rather than by a pattern made for the text."""
_FOUND_TOGETHER = 256
"""Up to how many candidates a pattern is made to find them together."""


def _groups(pattern: Any, text: bytes) -> Iterator[tuple[int, int]]:
    """Where the first group of each match of RE2 ``pattern`` in ``text`` is, each searched
    for from the end of the group before (for patterns whose groups never overlap and whose
    group is preceded by a character of its match: see _standing_alone)."""
    at = 0
    while True:
        start, stop = _group_from(pattern, text, at)
        if start < 0:
            return
        yield start, stop
        at = stop


_BEFORE_VALUE = b" :[{,\n"
"""What comes right before a plain value where _VALUE_START finds one."""


_WRITTEN_AS = {
    b".inf": (b".Inf", b".INF", b"inf", b"infinity"),
    b"-.inf": (b"-.Inf", b"-.INF", b"-inf", b"-infinity"),
    b"+.inf": (b"+.Inf", b"+.INF"),
    b".nan": (b".NaN", b".NAN", b"nan"),
}
"""How a plain value rapidyaml's JSON writes as one of these may be written in the file: the
core schema reads ``.Inf``, ``-.INF`` and ``.NaN`` as the numbers ``.inf`` and ``.nan`` are;
rapidyaml 0.15 also writes a plain ``nan``, ``inf``, ``infinity``, ``-inf`` and ``-infinity``
(values or keys) as ``.nan``, ``.inf`` and ``-.inf``, which the core schema reads as text; and
any of these spellings as a key, quoted or not, in those three ways."""


_VALUE_START = re.compile(rb"(?m)(?:[:\-?][ ]+|[\[{,][ ]*|[\"']:[ ]*|^[ ]*)(?:[&!][^ \n]*[ ]+)*$")
"""What a line holds before a plain value that starts there: as _NODE_START, after a quoted
key's ``:`` without a space too (``{"owner":~}``, as JSON is written), and the value's anchor or
tag if it has one (``s: &none ~``)."""
_VALUE_END = rb"[ ]*(?:$|\n|\r|[ ]#|:[ \n]|:$|[,\]}])"
_STANDING_ALONE = re2.compile(
    rb"(?:^|[ :\[{,\n])(%s|-?inf|-?infinity|nan)%s" % (_CORE_PATTERNS.encode(), _VALUE_END)
)
"""A lookalike or a spelling of _WRITTEN_AS (the first group), written after what may come
right before a plain value (_BEFORE_VALUE, or the text's start) and followed by what may end one
(before the line's end, a comment, a ``:``, a comma or a bracket). Its characters (letters,
digits, ``+-.~``) are none of those, so each match's group is the whole run of them."""


def _with_json_words(
    this: Any, view: memoryview | None, buffer: bytearray, origin: int
) -> tuple[memoryview, frozenset[bytes]]:
    """rapidyaml's JSON of the tree (of a stream: the list of its documents), with the plain
    values the core schema reads as a boolean or null that JSON does not write (``True``,
    ``FALSE``, ``Null``; rapidyaml writes them as strings) written as JSON's ``true``,
    ``false`` and ``null``. (Other such values, ``~``, ``0x1F``, ``+1``, are still written as
    strings: _quoted_where_written sees them.)

    Each is as long as its JSON word, so it is changed in the parse buffer, where the tree's
    text is, for rapidyaml to write, and put back at once (the buffer is the file's text again,
    kept once; see _FilePositions.adopt). Every node is looked at whose value is plain (not
    quoted, not a text block) and as long as one of those words: any of them still written as a
    string is a key, or a value quoted or in a text block, which it is (the words are returned,
    for _quoted_where_written to pass over), or an anchored or tagged value, which is left as
    written and its word not returned (_quoted_where_written finds it plain: the walk reads
    it). ``this``: the tree (_handle's), ``view``: its nodes (_node_view's), ``origin``: the
    buffer's address."""
    if view is None:
        return _json(this), frozenset()  # left to the walk
    words = view.cast("Q")
    end = len(buffer)
    settled = set(_JSON_WORDS)
    changed: list[tuple[int, bytes]] = []
    try:  # the nodes whose value is 4 or 5 bytes long, found in a byte column (in C)
        for node in _hits(view[8 * _VAL_SIZE :: 8 * _WORDS].tobytes(), _FOUR_OR_FIVE):
            base = node * _WORDS
            length = words[base + _VAL_SIZE]
            kind = words[base]
            if length not in (4, 5) or not kind & _VAL or kind & (_VALQUO | _VAL_BLOCK):
                continue
            start = words[base + _VAL_AT] - origin
            stop = start + length
            if start < 0 or stop > end:  # a value outside the file: the walk refuses it
                settled = set()
                break
            written = bytes(buffer[start:stop])
            word = _JSON_WORDS.get(written)
            if word is None:
                continue
            if kind & _SCALAR_ONLY != _VAL:  # anchored or tagged (or an alias's name)
                settled.discard(written)
                continue
            changed.append((start, written))
            buffer[start:stop] = word
        return _json(this), frozenset(settled)
    finally:
        for start, written in changed:
            buffer[start : start + len(written)] = written


_JSON_WORDS = {
    word.encode(): word.lower().encode()
    for word in ("True", "TRUE", "False", "FALSE", "Null", "NULL")
}
"""The plain values the core schema reads as a boolean or null that JSON writes otherwise, each
as long as the JSON word for it."""
_JSON_WORD = re2.compile(rb"True|TRUE|False|FALSE|Null|NULL")


class _Output(threading.local):
    """Where rapidyaml writes a tree's JSON, a buffer a thread (see _json)."""

    def __init__(self) -> None:
        self.buffer = bytearray(_KEPT_OUTPUT // 16)


_KEPT_OUTPUT = 1 << 20
"""The largest buffer a thread keeps for the JSON (a larger file's JSON gets one of its own)."""
_output = _Output()


def _json(this: Any) -> memoryview:
    """rapidyaml's JSON of the tree ``this`` (of a stream: the list of its documents), as UTF-8,
    written into this thread's buffer, kept from file to file. (rapidyaml's ``emit_json_malloc``
    writes every tree twice, once to measure its JSON and once into a new buffer: a sixth of
    parsing the human-style trees.) A JSON longer than the buffer is measured by the same call,
    and written again into a buffer as long as it."""
    out = _output.buffer
    failed, size = _emit_json_to(this, 0, out)
    if failed:
        out = bytearray(size + (size >> 2))
        if len(out) <= _KEPT_OUTPUT:
            _output.buffer = out
        failed, size = _emit_json_to(this, 0, out)
        if failed:  # pragma: no cover - rapidyaml measured it
            raise _Unsupported("the JSON did not fit")
    return memoryview(out)[:size]


def _documents(tree: Any) -> list[int]:
    """The root node of each document of rapidyaml's tree: the root, or the stream's children."""
    if _type(tree, 0) & _STREAM != _STREAM:  # the root is node 0; a stream is a list too
        return [0]
    found = []
    document = _first_child(tree, 0)
    while document != _NONE:
        found.append(document)
        document = _next_sibling(tree, document)
    return found


def quiet() -> _Quiet:
    """Silence rapidyaml, which prints each error to the process's stderr before raising it
    (the exact path reports the error in socialgov's words), for as long as this lasts: around
    one file (parse), or around parsing many (socialgov.speedups.parallel), so that stderr is
    redirected once instead of once a file (six system calls, about a tenth of the time a
    small file's parse takes). Nested and concurrent uses share one redirection: the first to
    start it makes it, the last to end it restores stderr. While it lasts, anything written to
    stderr is lost: in parallel's loop only files are read and parsed (no progress, no warning
    is written there by socialgov; an error propagates, printed after stderr is back), but another
    thread's writes in that window (a language server's log) would be lost too: the language
    server parses file by file, so its window is one file's parse, as before. (A class's
    methods, not a generator's: a generator, its frame and the context manager around it cost
    more than the redirection's bookkeeping, once a file.)"""
    return _QUIET


class _Quiet:
    """What :func:`quiet` gives: one for every use (it holds nothing of its own)."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _silenced, _saved_stderr
        with _silencing:
            if not _silenced:
                _saved_stderr = _silence_stderr()
            _silenced += 1

    def __exit__(self, *_: object) -> None:
        global _silenced
        with _silencing:
            _silenced -= 1
            if not _silenced and _saved_stderr >= 0:
                os.dup2(_saved_stderr, 2)
                os.close(_saved_stderr)


_QUIET = _Quiet()


def _silence_stderr() -> int:
    """Point stderr at the null device; a copy of what it was, or -1 when there is no stderr
    or it cannot be silenced (then rapidyaml's messages are shown, and nothing else changes)."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to silence
        return -1
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
    except OSError:
        os.close(saved)
        return -1
    return saved


_silencing = threading.Lock()
_silenced = 0
"""How many quiet() are under way."""
_saved_stderr = -1
"""stderr while they are, or -1 when there was none."""


def _masked(text: bytes) -> bytes:
    """``text`` as the scan above reads it: the contents of its quoted values (one line,
    without escapes) and of its text blocks replaced by ``x``, and without its comments.
    Inside those, brackets, quotes, colons and indicators are text to both parsers, and a
    comment may say anything."""
    spanning = False
    if _QUOTE in text or _DOUBLE_QUOTE in text:
        text = _mask_quoted(text)
        spanning = _found(_OPEN_QUOTE, text)
    if _HASH in text:
        text = _MASKED_COMMENT.sub(_keep_prefix if spanning else rb"\1", text)
    if _BAR in text or _ANGLE in text:
        text = _mask_blocks(text)
    return text


_QUOTED = re2.compile(
    rb"(\"(?:[^\"\\\n]|\\[nt\"\\/ ]"
    rb"|\\u(?:[0-9a-cA-Ce-fE-F][0-9a-fA-F]{3}|[dD][0-7][0-9a-fA-F]{2}))*\""
    rb"|'[^'\n]*(?:''[^'\n]*)*')(?:[ ]*(?:[ ]#|:[ \n]|[,\]}\n])|[ ]*:?$)"
)
"""A quoted value on one line, followed by what may follow a value: a comment, a ``:`` (it is a
key), a comma, a closing bracket, the line's end. A double-quoted one with only the escapes
rapidyaml reads as libyaml does: ``\\n``, ``\\t``, ``\\"``, ``\\\\``, ``\\/``, an escaped space and
``\\u`` of a character that is no surrogate (rapidyaml 0.15 writes a surrogate pair's halves as
three bytes each, and refuses ``\\0``, ``\\a``, ``\\e`` and the like)."""
_OPEN_QUOTE = re2.compile(
    rb"(?:(?:^|\n)[ ]*(?:-[ ]+)*|[:\-?][ ]+|[\[{,][ ]*)(?:\"x*(?:[^x\"]|$)|'x*(?:[^x']|$))"
)
"""A quote that may open a value which _mask_quoted did not mask: one over several lines, or
with escapes."""
_NODE_START = re.compile(rb"(?m)(?:[:\-?][ ]+|[\[{,][ ]*|^[ ]*)$")
"""What a line holds before a value that starts there (a quote at its end)."""


def _node_starts(text: bytes, line_start: int, start: int) -> bool:
    """Whether a value may start at ``start`` of ``text``, its line starting at ``line_start``:
    _NODE_START found between them, told from the last character before the spaces there (a
    search of the pattern read the line from its start at each quote: a line holding a long
    flow collection of quoted values was read once a value)."""
    before = text[line_start:start]
    content = before.rstrip(b" ")
    return not content or (
        content[-1] in b"[{," or (content[-1] in b":-?" and len(content) < len(before))
    )


def _quoted_insides(text: bytes) -> Iterator[tuple[int, int]]:
    """Where the inside of each quoted value of ``text`` that _mask_quoted masks starts and
    ends (its quotes left out), in order, found as they are asked for."""
    for (start, _end), (_open, quoted_end) in _spans(_QUOTED, text):
        line_start = text.rfind(b"\n", 0, start) + 1
        if not _node_starts(text, line_start, start):
            continue  # a quote inside a plain value: part of the text, not a quoted value
        yield start + 1, quoted_end - 1


def _mask_quoted(text: bytes) -> bytes:
    pieces = []
    done = 0
    for inside, close in _quoted_insides(text):
        pieces.append(text[done:inside])
        pieces.append(b"x" * (close - inside))
        done = close
    if not pieces:
        return text
    pieces.append(text[done:])
    return b"".join(pieces)


def _comment_outside_quotes(line: bytes) -> bool:
    """Whether a `` #`` of ``line`` (one line) is left by _mask_quoted: neither of its two
    characters inside a quoted value it masks. The quoted values are found only as far as the
    line's `` #`` reach (a long flow line's ``name: "Globex Talent, MX #2632"`` is its first;
    finding every quoted value of the line to mask it cost about 100 K instructions a line)."""
    insides = _quoted_insides(line)
    inside = close = -1  # the quoted value reached so far (none yet)
    at = line.find(b" #")
    while at >= 0:
        while close <= at:  # the next quoted value that ends past this " #"
            inside, close = next(insides, (len(line) + 2, len(line) + 2))
        if at + 1 < inside:  # before it: its space and # are not masked
            return True
        at = line.find(b" #", at + 1)
    return False


def _mask_blocks(text: bytes) -> bytes:
    """``text`` with the lines of each text block replaced by ``x`` after their indentation
    (tabs and carriage returns kept: the scan still sees them). A block's lines are those
    after its header that are blank or indented further than the header's line and its
    ``- `` indicators; the first line that is not ends it."""
    pieces = []
    done = 0
    for match in _BLOCK_LINE.finditer(text):
        indent, key = match.groups()
        if key:
            parent = len(indent)  # the block's key starts after the indentation and dashes
        elif _DASH in indent:
            parent = len(indent.rstrip(b" ")) - 1  # the block is an item: its dash
        else:
            continue  # a header alone on its line: its key's indentation is on a line above
        at = match.end() + 1
        while at < len(text):
            end = text.find(b"\n", at)
            end = len(text) if end < 0 else end
            line = text[at:end]
            content = line.lstrip(b" ")
            if content and len(line) - len(content) <= parent:
                break
            if content:
                pieces.append(text[done : at + len(line) - len(content)])
                pieces.append(_BLANK_BLOCK.sub(b"x", content))
                done = end
            at = end + 1
    if not pieces:
        return text
    pieces.append(text[done:])
    return b"".join(pieces)


_BLOCK_LINE = re.compile(rb"(?m)^([ ]*(?:-[ ]+)*)([^\n]*?[:?][ ]+)?[|>][1-9+-]*[ ]*$")
"""A line ending in a text block's header (its comment taken away), with its indentation."""
_ANY_BLOCK_LINE = re.compile(rb"(?m)^([ ]*(?:-[ ]+)*)([^\n]*?[:?][ ]+)?[|>][^\n]*$")
"""Any line that may hold a text block's header, a comment kept after it or not."""
_BLANK_BLOCK = re.compile(rb"[^\t\r]")


def _space_hash(text: bytes, start: int) -> int:
    """``text.find(b" #", start)``, found by its ``#``: ``bytes.find`` of one byte is
    ``memchr``, of two a loop over every byte (a third of _comment_in_flow's instructions on
    the human-style tree, whose files hold a `` #`` in one line of fifty)."""
    find = text.find
    at = find(_HASH, start + 1)
    while at >= 0 and text[at - 1] != 0x20:
        at = find(_HASH, at + 1)
    return at - 1 if at >= 0 else -1


def _comment_in_flow(text: bytes) -> bool:
    """Whether a comment starts inside a flow collection: in ``{a: 1, b: [2] # c}`` the comment
    takes the rest of the line, so the mapping is not closed there, which libyaml refuses and
    rapidyaml reads as the text ``[2] # c``. The comment of a line is its first ``#`` after a
    space outside a quoted value; inside, more brackets opened than closed before it.

    Only the lines where a flow collection opens before a `` #`` are read (the lines holding a
    `` #``, each found by its ``#``: an RE2 pass over the text for them cost more), each
    with its quoted values masked (_mask_quoted: a quoted value it masks is on one line, so
    masking a line alone masks it as masking the whole file would), not the whole file."""
    find = text.find
    at = _space_hash(text, 0)
    while at >= 0:
        line_start = text.rfind(b"\n", 0, at) + 1
        line_end = find(b"\n", at)
        if line_end < 0:
            line_end = len(text)
        at = _space_hash(text, line_end)
        square, curly = find(b"[", line_start, line_end), find(b"{", line_start, line_end)
        bracket = square if curly < 0 or 0 <= square < curly else curly
        if bracket < 0 or find(b" #", bracket + 1, line_end) < 0:
            continue  # no flow collection opens before a comment may start
        line = text[line_start:line_end]
        if _QUOTE in line or _DOUBLE_QUOTE in line:
            if not _comment_outside_quotes(line):
                continue  # each " #" inside a quoted value: no comment
            line = _mask_quoted(line)
        comment = line.find(b" #")  # none left when each was inside a quoted value
        before = line[:comment]
        if comment >= 0 and (
            before.count(b"[") + before.count(b"{") > before.count(b"]") + before.count(b"}")
        ):
            return True
    return False


def _without_comments(text: bytes) -> bytes | None:
    """``text`` without its comments, for the scan above: a comment may say anything but a
    control character (None then: libyaml refuses it, in a comment too; the scan would not see
    it there, nor the check of a text past ASCII in a text that is all ASCII).

    A comment starts with ``#`` at the start of a line or after a space. Only lines without
    quotes before the ``#`` are considered, so a ``#`` inside a quoted value is never taken for
    a comment; one inside a quoted value that spans lines is, but only hides more of that
    value, unless a quote closes it on that line with more YAML after it: such a "comment" is
    kept, and scanned. (_masked also drops those after masked values, and keeps none when no
    value may span lines.)

    Only the lines holding a ``#`` are looked at, each found by ``bytes.find``: the first
    ``#`` of a line is a comment's when the line has no quote before it and it starts the line
    or follows a space (a later ``#`` of that line then is inside the comment, or inside a
    value that the scan reads whole)."""
    at = text.find(b"#")
    if at < 0:
        return text
    pieces = []
    comments = []
    done = 0
    while at >= 0:
        start = text.rfind(b"\n", 0, at) + 1
        end = text.find(b"\n", at)
        if end < 0:
            end = len(text)
        comment = text[at:end]
        before = text[start:at]
        if (
            (at == start or text[at - 1] == 0x20)
            and _QUOTE not in before
            and _DOUBLE_QUOTE not in before
            # (most comments hold no quote: _more_yaml's first test, without its call)
            and not ((_QUOTE in comment or _DOUBLE_QUOTE in comment) and _more_yaml(comment))
        ):
            pieces.append(text[done:at])
            comments.append(comment)
            done = end
        at = text.find(b"#", end)
    if not pieces:
        return text
    dropped = b"".join(comments)
    if len(dropped.translate(None, _CONTROLS)) != len(dropped):
        return None
    pieces.append(text[done:])
    return b"".join(pieces)


_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
"""The ASCII characters YAML refuses anywhere, in a comment too (a tab it allows there)."""


def _more_yaml(comment: bytes) -> bool:
    """Whether a comment holds a quote, then what could be more YAML: a quoted value that
    spans lines may end there, so the "comment" is scanned, to be safe."""
    single, double = comment.find(b"'"), comment.find(b'"')
    if single < 0 and double < 0:
        return False  # most comments
    after = comment[double if single < 0 or 0 <= double < single else single :]
    # (bytes looked for as the numbers they are: see _CR)
    return _COMMA in after or _CLOSE_SQUARE in after or _CLOSE_CURLY in after or _COLON in after


def _keep_prefix(match: re.Match[bytes]) -> bytes:
    prefix, comment = match.groups()
    return match.group() if _more_yaml(comment) else prefix


def _found(pattern: Any, text: bytes) -> bool:
    """Whether RE2 ``pattern`` matches anywhere in ``text``."""
    return pattern.search(text) is not None


def _found_in_one_call(pattern: Any, text: bytes) -> bool:
    """The same, asked of RE2 in one call: its Python wrapper's search makes a generator and a
    match object first, about half the cost of the scans of a small file."""
    return pattern._regexp.Match(_ANYWHERE, text, 0, len(text))[0][0] >= 0


def _group_from(pattern: Any, text: bytes, at: int) -> tuple[int, int]:
    """Where the first group of RE2 ``pattern``'s first match in ``text`` from ``at`` is;
    (-1, -1) when there is none."""
    found = pattern.search(text, at)
    return (-1, -1) if found is None else found.span(1)


def _group_in_one_call(pattern: Any, text: bytes, at: int) -> tuple[int, int]:
    """The same, asked of RE2 in one call (see _found_in_one_call)."""
    return pattern._regexp.Match(_ANYWHERE, text, at, len(text))[1]


def _spans(pattern: Any, text: bytes) -> Iterator[Sequence[tuple[int, int]]]:
    """Where each match of RE2 ``pattern`` in ``text`` is, as its finditer finds them: the
    whole match's span, then each group's ((-1, -1) for a group that took no part)."""
    groups = range(1, pattern.groups + 1)
    for match in pattern.finditer(text):
        yield [match.span(), *map(match.span, groups)]


def _spans_in_calls(pattern: Any, text: bytes) -> Iterator[Sequence[tuple[int, int]]]:
    """The same, asked of RE2 a match at a time: its Python wrapper's finditer makes a match
    object of each, its spans decoded and found again by group, which cost more than finding
    them (in the text blocks' headers and the flows followed by comments of human-style files:
    about 2% of a cold lint of the human-style 100,000-account tree)."""
    match = pattern._regexp.Match
    at, end = 0, len(text)
    while True:
        spans = match(_ANYWHERE, text, at, end)
        stop = spans[0][1]
        if stop < 0:
            return
        yield spans
        if at == end:
            return
        at = stop if stop > at else at + 1  # past an empty match, as the wrapper steps


with contextlib.suppress(Exception):  # a wrapper without these keeps its search
    _ANYWHERE = re2._Anchor.UNANCHORED
    _probe = re2.compile(rb"b+")
    if (_found_in_one_call(_probe, b"abbc"), _found_in_one_call(_probe, b"ac")) == (True, False):
        _found = _found_in_one_call
    _probe = re2.compile(rb"(?:^|c)(b+)")
    if (
        [tuple(_group_in_one_call(_probe, b"bcbb", at)) for at in (0, 1, 2)]
        == [_group_from(_probe, b"bcbb", at) for at in (0, 1, 2)]
        == [(0, 1), (2, 4), (-1, -1)]
    ):
        _group_from = _group_in_one_call
    _probe = re2.compile(rb"(b)+|(x)|$")
    if [list(map(tuple, spans)) for spans in _spans_in_calls(_probe, b"abbcxx")] == list(
        _spans(_probe, b"abbcxx")
    ):
        _spans = _spans_in_calls


def _refuse(name: str) -> Any:
    raise _Unsupported(name)  # NaN or Infinity: not JSON rapidyaml writes for a YAML value


_decoder = json.JSONDecoder(parse_constant=_refuse)
"""rapidyaml's JSON decoded, its mappings built by the C scanner itself: a hook telling a key
written twice (``object_pairs_hook``, a Python call a mapping and a tuple a key) took a quarter
of the decoding's instructions; a key written twice is told by :func:`_values` instead. (The
decoder holds nothing of a call: threads share it, as ``json.loads`` shares its own.)"""
_decode_whole = _decoder.decode
_scan_json = _decoder.scan_once


def _decode(written: str) -> Any:
    """The value of the JSON text ``written``, as ``_decoder.decode`` gives it: rapidyaml
    writes one value and a line break after it, which the scanner is asked for at once
    (``decode`` matched a pattern for white space before and after it, and called
    ``raw_decode``, two Python calls and two searches a file); any other text is decoded
    whole, as before."""
    try:
        value, end = _scan_json(written, 0)
    except StopIteration:  # (white space first: not seen)
        return _decode_whole(written)
    if (end == len(written) - 1 and written[end] == "\n") or end == len(written):
        return value
    return _decode_whole(written)  # more after the value: decode tells


@functools.lru_cache(maxsize=8)
def _deep_lines(max_depth: int) -> Any:
    """Lines that might nest near ``max_depth``; None when any line might (a low limit).

    Nesting in block YAML costs columns: a list or mapping inside another starts further
    right, except a list under a key, whose items' contents then start two columns right. So a
    mapping key's depth is at most its column plus one, its value (one flow collection at most,
    not nested) adds two: a node is at most three levels deeper than its line's leading spaces
    and dashes are long. A file without lines that deep is far from the limit, which the exact
    path reports in its own words."""
    longest = max_depth - 8
    if longest < 1:
        return None
    return re2.compile(rb"(?:^|\n)[ -]{%d}" % longest)


@functools.lru_cache(maxsize=8)
def _unsupported_or_deep(max_depth: int) -> Any:
    """_UNSUPPORTED or _deep_lines in one scan; None when any line might nest too deep.

    Scanned in the text without its comments: taking a comment away never changes the spaces
    and dashes a line starts with, so the deep lines are the same as in the text."""
    deep = _deep_lines(max_depth)
    if deep is None:
        return None
    return re2.compile(_UNSUPPORTED.pattern + b"|" + deep.pattern)


_NESTED_FLOW = re2.compile(rb"[\[{,][ ]*[\[{]")


@functools.lru_cache(maxsize=8)
def _scans(scan: Any) -> Callable[[bytes], list[int]]:
    """Which of ``scan`` (_unsupported_or_deep's), _ANCHORED, _NESTED_FLOW and _JSON_WORD
    find something in a text (their indexes: _UNSUPPORTED_FOUND ...), in one linear pass of
    RE2 over it (an RE2 set). One pattern of the first three telling that none does, as in most
    files, then each scan again where one did, and a pass for _JSON_WORD, took twice as long.
    (A set's search runs RE2's DFA through the text and, unlike a pattern's, has no slower
    automaton to fall back on: it fails only when its memory cannot hold two of the DFA's
    states, far more than these patterns need; a set that cannot be compiled is a pattern of
    each, asked in turn.)"""
    patterns = (scan, _ANCHORED, _NESTED_FLOW, _JSON_WORD)
    try:
        scans = re2.Set.SearchSet()
        for pattern in patterns:
            scans.Add(pattern.pattern)
        scans.Compile()
        match = scans._set.Match  # the C call, without the wrapper's frame
        if sorted(match(b"a: &x [[1]]\nb: True\n")) == [1, 2, 3] and not match(b"a: 1\n"):
            return match
    except Exception:  # pragma: no cover - a wrapper without sets
        pass
    return lambda text: [index for index, pattern in enumerate(patterns) if _found(pattern, text)]


_UNSUPPORTED_FOUND, _ANCHORED_FOUND, _NESTED_FLOW_FOUND, _JSON_WORD_FOUND = range(4)


def _height(data: Any) -> int:
    """How many levels of lists and mappings ``data`` (JSON's data: mappings, lists, strings,
    numbers, booleans and None) holds, as exact._Builder counts them.

    A level at a time, in C: ``gc.get_referents`` gives what the lists and mappings of a level
    hold (a mapping's values, and perhaps its keys: strings) and nothing of the rest, the only
    objects here it tracks. The deepest level whose referents are not empty holds a list or
    mapping that is not empty; the next, the last, may hold empty ones (a Python loop over each
    item and value cost ten times as much: about 8 ms for a large file with flows in flows)."""
    if type(data) is not dict and type(data) is not list:
        return 0
    height, deeper = 1, _referents(data)  # (what the lists and mappings at height hold)
    while deeper:
        below = _referents(*deeper)
        if not below:  # only empty lists and mappings, if any, below height
            return height + 1 if any(map(_IS_CONTAINER, map(type, deeper))) else height
        height, deeper = height + 1, below
    return height


_referents = gc.get_referents
_IS_CONTAINER = frozenset([dict, list]).__contains__


def _values_walked(data: Any) -> int:
    """:func:`_values` in Python, for a Python whose mappings give their keys to
    ``gc.get_referents`` too."""
    count = 0
    pending = [data]
    while pending:
        value = pending.pop()
        if type(value) is dict:
            value = list(value.values())
        elif type(value) is not list:
            continue
        count += len(value)
        pending += value
    return count


_COUNTS_VALUES = _values(json.loads('[{"a": [1, {"b": "c"}], "d": {}}, [], "e"]')) == 8
if not _COUNTS_VALUES:  # pragma: no cover - CPython's mappings of string keys give values only
    _values = _values_walked


def _longest_written(tree: Any, size: int) -> int:
    """The most bytes rapidyaml's tree holds for a key or a value (its ``size`` nodes, numbered
    in order): at least as many as the longest string of the JSON's data has characters (each
    is a key or value of the tree, written as JSON and read back; a character takes a byte or
    more), found in two columns of its nodes, where :func:`_longest` reads every string of the
    data in Python (a tenth of parsing the stranger's tree, whose files of more than 100,000
    characters hold none that long)."""
    words = _memory(_nodes_address(tree), 8 * _WORDS * size, _READ).cast("Q")
    return max(max(words[_KEY_SIZE::_WORDS]), max(words[_VAL_SIZE::_WORDS]))


def _longest(data: Any) -> int:
    """The length of the longest string (key or value) in ``data``."""
    longest = 0
    pending = [data]
    while pending:
        value = pending.pop()
        if type(value) is dict:
            longest = max(longest, *map(len, value), 0)
            pending.extend(value.values())
        elif type(value) is list:
            pending.extend(value)
        elif type(value) is str:
            longest = max(longest, len(value))
    return longest


# --------------------------------------------------------------------------- positions


class _PyBuffer(ctypes.Structure):
    _fields_ = [  # ctypes' declaration of Py_buffer
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def _address(buffer: Any) -> int:
    """The memory address of the first byte of ``buffer`` (a bytearray or a memoryview)."""
    if type(buffer) is bytearray and buffer:  # (a quarter of the time of the general way)
        return ctypes.addressof(ctypes.c_char.from_buffer(buffer))
    view = _PyBuffer()
    _get_buffer(buffer, ctypes.byref(view), 0)
    try:
        return view.buf or 0
    finally:
        _release_buffer(ctypes.byref(view))


class _Inexact(Exception):
    """The tree cannot tell this position exactly; the exact path answers."""


_WORDS = 18
"""rapidyaml's node (``NodeData``), in 64-bit words: its type; the key's tag, text and anchor,
each a pointer and a length; the value's the same; its parent, first child, last child, next
sibling and previous sibling."""
_KEPT = (0, 3, 4, 9, 10, 14, 16, 11)
"""The words positions read, in the order of the columns: the type, the key's text (pointer,
length), the value's text (pointer, length), the first child, the next sibling and the value's
anchor (pointer; last, so that a file without anchors, aliases or merge keys lets it go:
_Columns.without_anchors)."""
_STARTS = tuple(2 * word for word in _KEPT)
"""Where each kept word's low half is, in 32-bit numbers from its node's start."""
_READ = 0x100
_INDEXED = 16
"""A mapping with more children than this is indexed by key when searched in full."""
_COUNTED = 64
"""A mapping whose data holds at most this many keys finds a key's child by the key's place
among them (no index; see _FilePositions._keyed)."""
_place_of = operator.indexOf
"""Where a key is among a mapping's keys: the dict's keys compared in C, without a list of them
(which _keyed kept for every mapping searched: ~81 MiB on the stranger's 100,000 accounts)."""
_LOW = 0xFFFFFFFF
"""Each word is kept to its low 32 bits: the type bits fit (checked), node numbers too (a file
has far fewer than 4 billion nodes), and a pointer's offset from the buffer's start, taken
modulo 2**32, is exact for a file under 4 GB."""
_FLOW = 0
_VAL_BLOCK = 0
if ryml is not None:
    _FLOW = ryml.FLOW_SL | ryml.FLOW_ML
    _VAL_BLOCK = ryml.VAL_LITERAL | ryml.VAL_FOLDED
_PROBE = (
    b"---\nplain: value\n'quoted key': \"quoted\"\nflow: [a, 'b', {c: d}, []]\nempty:\n"
    b"block:\n  - &anchor {x: 1}\n  - *anchor\n  - |\n    text\n  - >-\n    folded\n"
    b"merged:\n  <<: *anchor\n  y: ''\n  z: 'it''s'\n---\n- a\n- b: [c]\n"
)
"""A stream with every kind of node positions read, to check the layout against."""


class _Columns:
    """What positions read of a file's rapidyaml tree, without the tree: each node's type, where
    its key, value and anchor were written (offsets in the parse buffer) and how long they are,
    its first child and next sibling, copied out of the tree's own nodes into columns of 32-bit
    numbers (32 bytes a node, where rapidyaml's node takes 144), so that the tree can be freed
    as soon as the file is parsed."""

    __slots__ = ("_at", "_origin", "_size")

    def __init__(self, view: memoryview, origin: int, size: int, anchors: bool = True) -> None:
        """The columns of the ``size`` nodes in ``view`` (_node_view's), parsed in a buffer at
        address ``origin``; without the anchors' column unless ``anchors`` (a file without
        anchors, aliases or merge keys reads none: see without_anchors)."""
        nodes = array("I")
        nodes.frombytes(view)
        # little-endian (checked): the low half of word w is the 32-bit number 2 * w
        kept = _STARTS if anchors else _STARTS[:-1]
        columns = b"".join([nodes[start :: 2 * _WORDS] for start in kept])
        self._at = memoryview(columns).cast("I")
        self._origin = origin & _LOW
        self._size = size

    def without_anchors(self) -> None:
        """Let go of the anchors' column (the last), which only a file with anchors, aliases or
        merge keys reads (_FilePositions._node_offset, where it has ``links``): 4 bytes a node,
        ~14 MB of the stranger's 100,000 accounts. (Columns made without it keep theirs.)"""
        if len(self._at) > 7 * self._size:
            self._at = memoryview(self._at[: 7 * self._size].tobytes()).cast("I")

    def kind(self, node: int) -> int:
        return self._at[node]

    def keyed(self) -> int:
        """How many nodes have a key (the type's low byte, little-endian: checked)."""
        return self._at[: self._size].tobytes()[::4].translate(_KEYED).count(1)

    def key(self, node: int) -> tuple[int, int]:
        """Where the key's text starts (its offset) and how many bytes it has."""
        at, size = self._at, self._size
        return (at[size + node] - self._origin) & _LOW, at[2 * size + node]

    def val(self, node: int) -> tuple[int, int]:
        at, size = self._at, self._size
        return (at[3 * size + node] - self._origin) & _LOW, at[4 * size + node]

    def anchor(self, node: int) -> int:
        return (self._at[7 * self._size + node] - self._origin) & _LOW

    def first_child(self, node: int) -> int:
        child = self._at[5 * self._size + node]
        return -1 if child == _LOW else child

    def next_sibling(self, node: int) -> int:
        sibling = self._at[6 * self._size + node]
        return -1 if sibling == _LOW else sibling

    def children(self, node: int) -> list[int]:
        """The children of ``node``, in order."""
        at, after = self._at, 6 * self._size
        found = []
        child = at[5 * self._size + node]
        while child != _LOW:
            found.append(child)
            child = at[after + child]
        return found

    def walk_children(self, node: int, known: array[int], count: int, skip: int = -1) -> int:
        """The child of ``node`` with ``count`` children before it (``skip`` not counted), -1
        when it has fewer: ``known``, its children walked so far (``skip`` left out), is
        walked on from its last and extended as far as that child."""
        at, after = self._at, 6 * self._size
        child = at[after + known[-1]] if known else at[5 * self._size + node]
        count -= len(known)
        while child != _LOW:
            if child != skip:
                known.append(child)
                if not count:
                    return child
                count -= 1
            child = at[after + child]
        return -1

    def start(self, node: int, anchored: int) -> int:
        """Where _FilePositions._node_offset finds ``node`` to start, when the columns alone
        tell it: a block mapping's first key, a scalar that is no text block (each less its
        opening quote, if quoted); -1 for any other node (a list, a flow, a text block, an
        empty value or mapping, a node whose kind has a bit of ``anchored``): _node_offset
        tells. One call where _node_offset makes three to five (a finding is placed at its
        entity's mapping when the field it names is missing: 18,000 of the stranger's 5,000
        accounts' 23,600 placings)."""
        at, size = self._at, self._size
        kind = at[node]
        if kind & anchored:
            return -1
        if kind & _MAP:
            first = at[5 * size + node]
            if kind & _FLOW or first == _LOW or not at[2 * size + first]:
                return -1
            offset = (at[size + first] - self._origin) & _LOW
            return offset - 1 if at[first] & _KEYQUO else offset
        if kind & (_SEQ | _VAL_BLOCK) or not at[4 * size + node]:
            return -1
        offset = (at[3 * size + node] - self._origin) & _LOW
        return offset - 1 if kind & _VALQUO else offset

    def map_starts(self, nodes: Sequence[int], anchored: int = 0) -> list[int]:
        """For each of ``nodes`` that is a mapping whose first key is written, that key's
        offset: on the line _FilePositions._node_offset finds the mapping to start on (its
        first key's, less an opening quote; a flow mapping's ``{``, which the fast path takes
        only on its first key's line), all that lines need. -1 for any other node, for a node
        whose kind has a bit of ``anchored`` (its ``&`` may be lines above), and for -1. One
        call for a list of entities, where _node_offset is five calls a node."""
        at, size, origin = self._at, self._size, self._origin
        firsts, sizes = 5 * size, 2 * size
        found = []
        for node in nodes:
            offset = -1
            kind = at[node] if node >= 0 else 0
            if kind & _MAP and not kind & anchored:
                first = at[firsts + node]
                if first != _LOW and at[sizes + first]:
                    offset = (at[size + first] - origin) & _LOW
            found.append(offset)
        return found


class _TreeNodes:
    """The same questions, asked of rapidyaml's tree itself (kept): for a rapidyaml whose nodes
    are laid out otherwise than _Columns reads them."""

    __slots__ = ("_origin", "_tree")

    def __init__(self, tree: Any, origin: int) -> None:
        self._tree = tree
        self._origin = origin

    def kind(self, node: int) -> int:
        return int(_type(self._tree, node))

    def keyed(self) -> int:
        count = 0
        pending = [self._tree.root_id()]
        while pending:
            node = pending.pop()
            count += bool(self.kind(node) & _KEY)
            pending += self.children(node)
        return count

    def key(self, node: int) -> tuple[int, int]:
        return self._span(self._tree.key(node))

    def val(self, node: int) -> tuple[int, int]:
        return self._span(self._tree.val(node))

    def anchor(self, node: int) -> int:
        return _address(self._tree.val_anchor(node)) - self._origin

    def _span(self, text: Any) -> tuple[int, int]:
        return (_address(text) - self._origin, len(text)) if text else (0, 0)

    def first_child(self, node: int) -> int:
        child = self._tree.first_child(node)
        return -1 if child == ryml.NONE else child

    def next_sibling(self, node: int) -> int:
        sibling = self._tree.next_sibling(node)
        return -1 if sibling == ryml.NONE else sibling

    def children(self, node: int) -> list[int]:
        found = []
        child = self.first_child(node)
        while child >= 0:
            found.append(child)
            child = self.next_sibling(child)
        return found

    def walk_children(self, node: int, known: array[int], count: int, skip: int = -1) -> int:
        """See _Columns.walk_children."""
        child = self.next_sibling(known[-1]) if known else self.first_child(node)
        count -= len(known)
        while child >= 0:
            if child != skip:
                known.append(child)
                if not count:
                    return child
                count -= 1
            child = self.next_sibling(child)
        return -1

    def map_starts(self, nodes: Sequence[int], anchored: int = 0) -> list[int]:
        """See _Columns.map_starts."""
        found = []
        for node in nodes:
            kind = self.kind(node) if node >= 0 else 0
            first = self.first_child(node) if kind & _MAP and not kind & anchored else -1
            offset, size = self.key(first) if first >= 0 else (-1, 0)
            found.append(offset if size else -1)
        return found


_memory = ctypes.pythonapi.PyMemoryView_FromMemory
_memory.argtypes = [ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int]
_memory.restype = ctypes.py_object
"""A read-only memoryview of bytes at an address (``PyBUF_READ``: 0x100 as the last argument)."""


def _nodes_address(tree: Any) -> int:
    """Where rapidyaml's array of nodes starts: the first member of its ``Tree``."""
    return ctypes.c_void_p.from_address(int(tree.this)).value or 0


def _nodes(tree: Any, buffer: bytearray, anchors: bool = True) -> _Columns | _TreeNodes:
    """What positions need of ``tree`` (parsed in place in ``buffer``): columns copied out of
    it when rapidyaml lays its nodes out as _Columns reads them (without the anchors' column
    unless ``anchors``), else the tree itself."""
    size, view = _node_view(tree)
    origin = _address(buffer)
    if view is not None:
        return _Columns(view, origin, size, anchors)
    return _TreeNodes(tree, origin)


_HEAD = ctypes.c_size_t * 4
"""The start of rapidyaml's ``Tree``: where its nodes are, how many it has room for, how many
it has, its first free one (checked: _columns_read_rapidyaml)."""


def _node_view(tree: Any) -> tuple[int, memoryview | None]:
    """How many nodes ``tree`` has, and its nodes as bytes (read-only, ``8 * _WORDS`` a node,
    valid while the tree lives) when they are laid out as _Columns reads them and are the
    tree's first ones (see _numbered_in_order); else None (rapidyaml is asked node by node).
    The tree's head is read once a parse for _with_json_words, _Aliases and _Columns, which
    each read it again through ctypes (about 14 K instructions a file)."""
    if not _columns_read_rapidyaml():
        return _tree_size(_handle(tree)), None
    nodes, capacity, size, free = _HEAD.from_address(int(tree.this))[:]  # (not iterated: 0.9 µs)
    if not 0 < size < _LOW or not (free == size or (free == _NONE and size == capacity)):
        return size, None
    return size, _memory(nodes, 8 * _WORDS * size, _READ)


def _numbered_in_order(tree: Any, size: int) -> bool:
    """Whether the nodes of ``tree`` are its first ``size`` (none removed while parsing): its
    list of free nodes starts right after them (or there is none left)."""
    head = (ctypes.c_size_t * 4).from_address(int(tree.this))  # nodes, capacity, size, free
    return head[3] == size or (head[3] == ryml.NONE and size == head[1])


@functools.cache
def _columns_read_rapidyaml() -> bool:
    """Whether _Columns reads this rapidyaml's nodes right: checked once, against rapidyaml's
    own answers for every node of a small stream with every kind of node positions ask about
    (a rapidyaml that lays its nodes out otherwise keeps its trees instead)."""
    if sys.byteorder != "little" or ctypes.sizeof(ctypes.c_void_p) != 8:
        return False
    buffer = bytearray(_PROBE)
    tree = ryml.Tree()
    try:
        tree.reserve(256)  # room past what is read, should rapidyaml's nodes be smaller
        ryml.parse_in_place(buffer, tree)
        head = (ctypes.c_size_t * 3).from_address(int(tree.this))  # nodes, capacity, size
        if head[1] != tree.capacity() or head[2] != tree.size():
            return False
        if not _numbered_in_order(tree, tree.size()):
            return False
        tree.remove(tree.last_child(tree.first_child(tree.root_id())))
        if _numbered_in_order(tree, tree.size()):  # a node removed is free again
            return False
        buffer = bytearray(_PROBE)
        tree = ryml.Tree()
        tree.reserve(256)
        ryml.parse_in_place(buffer, tree)
        origin = _address(buffer)
        view = _memory(_nodes_address(tree), 8 * _WORDS * tree.size(), _READ)
        columns, asked = _Columns(view, origin, tree.size()), _TreeNodes(tree, origin)
        for node in range(tree.size()):
            kind = _type(tree, node)
            if columns.kind(node) != kind or (
                bool(kind & _FLOW) != tree.is_flow(node)
                or bool(kind & _MAP) != tree.is_map(node)
                or bool(kind & _SEQ) != tree.is_seq(node)
                or bool(kind & _KEYQUO) != tree.is_key_quoted(node)
                or bool(kind & _VALQUO) != tree.is_val_quoted(node)
                or bool(kind & _VAL_BLOCK)
                != (tree.is_val_literal(node) or tree.is_val_folded(node))
                or bool(kind & _VALANCH) != tree.has_val_anchor(node)
            ):
                return False
            if (columns.first_child(node), columns.next_sibling(node)) != (
                asked.first_child(node),
                asked.next_sibling(node),
            ):
                return False
            for part in ("key", "val"):
                if tree.has_key(node) or part == "val":
                    got, want = getattr(columns, part)(node), getattr(asked, part)(node)
                    if got[1] != want[1] or (want[1] and got[0] != want[0]):
                        return False
            if kind & _VALANCH and columns.anchor(node) != asked.anchor(node):
                return False
        if not _walk_reads_rapidyaml(tree, buffer, origin):
            return False
    except Exception:  # anything unexpected: keep the trees
        return False
    return True


def _walk_reads_rapidyaml(tree: Any, buffer: bytearray, origin: int) -> bool:
    """Whether _tree_lists reads every node of ``tree`` (parsed in place in ``buffer``, at
    address ``origin``) as rapidyaml answers for it: its type, children, key, value and anchor."""
    kinds, key_at, key_size, val_at, val_size, anchor_at, anchor_size, first, next_ = _tree_lists(
        tree, tree.size()
    )

    def differs(at: int, size: int, asked: Any) -> bool:
        if asked is None or not len(asked):  # an empty scalar, or none
            return size != 0
        return bytes(buffer[at - origin : at - origin + size]) != bytes(asked)

    for node in range(tree.size()):
        if (kinds[node], first[node], next_[node]) != (
            _type(tree, node),
            tree.first_child(node),
            tree.next_sibling(node),
        ):
            return False
        if tree.has_key(node) and differs(key_at[node], key_size[node], tree.key(node)):
            return False
        if tree.has_val(node) and differs(val_at[node], val_size[node], tree.val(node)):
            return False
        if tree.has_val_anchor(node) and differs(
            anchor_at[node], anchor_size[node], tree.val_anchor(node)
        ):
            return False
    return True


def _inside(value: Any, part: str | int) -> Any:
    """The data at ``part`` of a file's data ``value``, as its tree has it (see _keyed)."""
    try:
        return value[part]
    except (KeyError, IndexError, TypeError):
        raise _Inexact from None  # the data was changed since: the exact path answers


class _FilePositions:
    """Where the nodes of one file were written, worked out when first asked.

    rapidyaml parses the bytes in place, so every key and value of its tree is a slice of the
    buffer: the slice's address, less the buffer's, is the offset where the text was written.
    Those offsets, and the tree's shape, are copied out of the tree when the file is parsed
    (_Columns), and the tree is let go at once.
    """

    __slots__ = (
        "_buffer",
        "_data",
        "_exact",
        "_index",
        "_items",
        "_kept",
        "_lines_before",
        "_linked",
        "_nodes",
        "_parents",
        "_raw",
        "_roots",
        "_walked",
        "ascii",
        "limits",
        "links",
        "path",
        "size",
    )

    def __init__(
        self,
        raw: bytes,
        path: str,
        limits: dict[str, int],
        size: int,
        links: dict[int, Links] | None = None,
    ) -> None:
        self._raw: bytes | None = raw
        """The file's text as UTF-8 (its byte order mark removed); None while the buffer the
        tree was parsed in holds the same bytes (see :meth:`adopt`)."""
        self.path = path
        self.limits = limits
        self.size = size
        """How many nodes rapidyaml's tree of the file has."""
        self.ascii = raw.isascii()
        self._nodes: _Columns | _TreeNodes | None = None
        self._buffer: bytearray | None = None
        """The buffer the tree was parsed in, while its keys are read there (see _keyed)."""
        self._data: list[Any] | None = None
        """Each document's data, whose mappings' keys are the tree's, in the tree's order
        (files whose data was built from rapidyaml's JSON; see _keyed)."""
        self._exact: list[SourceMap] | None = None
        self._roots: list[int] = []
        self._lines_before: array[int] | None = None
        """How many line breaks come before each block of _BLOCK bytes of the file."""
        self._linked: list[int] | None = None
        """The nodes of ``links``, in order (see _may_hold)."""
        self._parents: dict[Path_ | tuple[int, Path_], tuple[int, Any]] = {}
        """The tree's node, and the data there, for each parent path located so far: keyed by
        the path in the first document, by (document, path) in the others (a path holds no
        tuple, so the two never meet; one tuple less an entity in most files)."""
        self._items: dict[int, list[int]] = {}
        """The items of each list of the tree searched so far."""
        self._index: dict[int, dict[str, int]] = {}
        """The children of each large mapping searched so far, by key."""
        self._walked: dict[int, array[int]] = {}
        """The children of each mapping searched so far, as far as walked (see _keyed)."""
        self._kept: dict[tuple[int, Path_], Position] | None = None
        """Positions worked out before :meth:`release` to be answered after it (:meth:`keep`)."""
        self.links: dict[int, Links] | None = links
        """For a file with anchors, aliases or merge keys, where each child of each list and
        mapping holding an alias or a merge key was written (see _Walker); None for the
        others, whose tree says it all."""

    def __reduce__(self) -> tuple[type[_FilePositions], tuple[Any, ...]]:
        return _FilePositions, (self.raw, self.path, self.limits, self.size, self.links)

    @property
    def raw(self) -> bytes:
        """The file's text as UTF-8 (its byte order mark removed)."""
        return self._raw if self._raw is not None else bytes(self._text())

    def _text(self) -> bytes | bytearray:
        """The file's text, without a copy: the parse buffer when it holds the same bytes."""
        if self._raw is not None:
            return self._raw
        if self._buffer is None:
            raise RuntimeError(f"{self.path}: a position asked after its file was let go for good")
        return self._buffer

    def exact(self, document: int) -> SourceMap:
        """The positions the exact path finds (parsed once, when first needed)."""
        if self._exact is None:
            from socialgov.source.events import parse_text  # (PyYAML's: a file that parses)

            parsed = parse_text(self._text().decode(), self.path, self.limits)
            self._exact = [document.source_map for document in parsed.documents]
        return self._exact[document]

    def adopt(
        self,
        nodes: _Columns | _TreeNodes,
        buffer: bytearray,
        roots: list[int],
        data: list[Any] | None = None,
    ) -> None:
        """Take what positions need of the tree that parsed the file in place in ``buffer`` (a
        copy of ``raw``): its ``nodes`` (_nodes'); the tree itself may be let go then (see
        _Columns). ``data``: each document's data, when it was built from rapidyaml's JSON.

        When parsing left the buffer as it was (it changes only where rapidyaml rewrites a
        scalar in place), the buffer is the file's text from then on: each file's bytes are
        kept once, not twice (62 MB on the 100,000-account tree). When it did not, the buffer
        is kept only while the keys of mappings are read there, not when the data names them
        (48 MB on the 100,000-account human-style tree, whose text blocks are rewritten)."""
        if self.links is None and type(nodes) is _Columns:
            nodes.without_anchors()  # no anchor is read in this file
        self._nodes, self._roots = nodes, roots
        if data is not None:
            self._data = data
        if self._raw is not None and buffer == self._raw:
            self._raw, self._buffer = None, buffer
        else:  # the keys are read from the data, when there is data
            self._buffer = None if self._data is not None else buffer

    def release(self, for_good: bool = False) -> None:
        """Let go of what was taken from the tree and of what was found in it: the text is
        kept, and a position asked for later parses it again. ``for_good``: no position will
        be asked (the audit, once it read what it shows): the text goes too, and one asked
        after raises."""
        if for_good:
            self._raw = self._buffer = self._kept = self._exact = self._lines_before = None
        if self._nodes is None:
            return
        if self._raw is None and not for_good:
            self._raw = bytes(self._text())
        self._nodes = self._buffer = None
        self._roots, self._parents, self._items, self._index = [], {}, {}, {}
        self._walked = {}

    def keep(self, document: int, paths: Iterable[Path_]) -> None:
        """Work out the positions at ``paths`` in ``document`` now, and answer them from here
        from then on, through :meth:`release` (which then does not parse the file again for
        them): the few positions asked after a file's positions are let go (an unused waiver's,
        after the rules: see rules.engine.located_findings)."""
        kept = self._kept
        if kept is None:
            kept = self._kept = {}
        for path in paths:
            kept[(document, path)] = self.locate(document, (), path, False)

    def forget(self) -> None:
        """Let go of what was found in the tree (the walks to parents, lists' items, mappings'
        children walked and indexed), keeping what it was taken from: the next position walks
        again. The rules' violations of a file are placed together, then this (the walks of
        the stranger's 100,000 accounts were ~45 MB while the findings were held)."""
        self._parents, self._items, self._index, self._walked = {}, {}, {}, {}

    def nodes(self) -> _Columns | _TreeNodes:
        """What positions read of the file's tree (parsed again after :meth:`release`)."""
        if self._nodes is None:
            buffer = bytearray(self.raw)
            tree = ryml.Tree()
            tree.reserve(self.size)
            ryml.parse_in_place(buffer, tree)
            self.adopt(_nodes(tree, buffer, self.links is not None), buffer, _documents(tree))
        assert self._nodes is not None
        return self._nodes

    def locate(self, document: int, base: Path_, path: Path_, key: bool) -> Position:
        if self._kept is not None and not key:
            known = self._kept.get((document, (*base, *path)))
            if known is not None:
                return known
        try:
            return self._locate(document, (*base, *path), len(base), key)
        except _Inexact:
            return self.exact(document).subtree(base).locate(path, key=key)

    def place(self, document: int, base: Path_, entity: Path_, path: Path_) -> tuple[int, int]:
        """``locate(document, base, (*entity, *path), False)``'s line and column, without
        making the Position: a finding's place, ``path`` inside the mapping at ``entity`` (an
        entity's; its walk kept under that tuple itself, which its Source holds anyway)."""
        try:
            if base or len(path) > 1:
                offset = self._offset(document, (*base, *entity, *path), len(base), False)
            elif path:
                offset = self._node_offset(self._field_node(document, entity, path[0]))
            else:
                if self._nodes is None:
                    self.nodes()
                walked = self._walk(document, entity)
                offset = self._node_offset(walked if type(walked) is int else walked[0])
            return self._line_column(offset)
        except _Inexact:
            where = self.exact(document).subtree(base).locate((*entity, *path))
            return where.line, where.column

    def places(
        self, sources: Sequence[Written], fields: Sequence[Path_]
    ) -> list[tuple[int, int]] | None:
        """:meth:`place` of each of ``fields`` inside its source's node (in the map of
        ``source.document``, at ``source.base``), worked out together: each node's offset found
        once (the stranger's 5,000 accounts' 23,900 findings are at 13,500 places: an entity's
        findings of missing fields all at its mapping), and the lines and columns of the
        offsets counted in the text's order, each from the one before, rather than each from
        its block of the file. None when a source's document is not one of this file's (or not
        parsed by rapidyaml)."""
        nodes = self._nodes
        if nodes is None:
            nodes = self.nodes()
        # what each source's findings share (by the source's id: each is held in ``sources``):
        # its node, its data where _field_node takes a key's place among the data's keys, its
        # document's index and map's base (see _entity); a mapping's children walked are kept
        # in _walked, as _field_node keeps them, once a key there is asked
        entities: dict[int, tuple[int, Any, int, Path_]] = {}
        walked_children = self._walked
        field_node, node_offset = self._field_node, self._node_offset
        # the offset of each node found (-1: only the exact path places it), most read from
        # the columns in one call (_Columns.start, which _node_offset asks first)
        known: dict[int, int] = {-1: -1}
        start = nodes.start if type(nodes) is _Columns else None
        anchored = _VALANCH if self.links is not None else 0
        offsets: list[int] = []
        for source, field in zip(sources, fields, strict=True):
            entity = entities.get(id(source))
            if entity is None:
                view = source.document.source_map
                if type(view) is not RymlSourceMap or view._file is not self:
                    return None
                entity = entities[id(source)] = self._entity(view, source.base)
            node, value, index, top = entity
            try:  # (place's ways to the node; _Inexact: only the exact path tells)
                if top or len(field) > 1:
                    path = (*top, *source.base, *field)
                    node = field_node(index, path[:-1], path[-1]) if path else self._roots[index]
                elif field:
                    part = field[0]
                    if value is None or type(part) is not str:
                        node = field_node(index, source.base, part)
                    elif part in value:
                        kept = walked_children.get(node)
                        if kept is None:
                            kept = walked_children[node] = array("I")
                        place = _place_of(value, part)
                        if place < len(kept):
                            node = kept[place]
                        else:
                            child = nodes.walk_children(node, kept, place)  # type: ignore[union-attr]
                            if child >= 0:
                                node = child
            except _Inexact:
                node = -1
            offset = known.get(node)
            if offset is None:
                offset = -1 if start is None else start(node, anchored)
                if offset < 0:
                    try:
                        offset = node_offset(node)
                    except _Inexact:
                        offset = -1
                known[node] = offset
            offsets.append(offset)
        at_offset = self._lines_columns(known.values())
        placed = list(map(at_offset.__getitem__, offsets))
        if -1 in offsets:  # placed the exact path's way, each alone
            for at, offset in enumerate(offsets):
                if offset < 0:
                    source = sources[at]
                    placed[at] = source.document.source_map.place(source.base, fields[at])
        return placed

    def _entity(self, view: RymlSourceMap, base: Path_) -> tuple[int, Any, int, Path_]:
        """What :meth:`places` keeps of the node at ``base`` in ``view`` (a document's map, or
        its part's) for each of its fields: the node (-1 when only the exact path finds it, and
        its fields), its data where _field_node finds a child by its key's place among the
        data's keys (else None), the document's index and the view's base (when it is not the
        document's, each field is found the general way)."""
        index, top = view._document, view._base
        if top:
            return -1, None, index, top
        try:
            walked = self._walk(index, base)
        except _Inexact:
            return -1, None, index, top
        if type(walked) is int:
            return walked, None, index, top
        node, value = walked
        nodes = self._nodes
        if (
            self.links is None
            and type(nodes) is _Columns
            and type(value) is dict
            and len(value) <= _COUNTED
            and nodes.kind(node) & _MAP
        ):
            return node, value, index, top
        return node, None, index, top

    def _lines_columns(self, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
        """The line and column of each of ``offsets`` (:meth:`_line_column`'s), by offset, the
        line breaks counted once up to the last, from each offset to the next in order (-1,
        for none, answers (0, 0))."""
        raw = self._raw
        if raw is None:
            raw = self._buffer
            assert raw is not None
        found: dict[int, tuple[int, int]] = {-1: (0, 0)}
        line, before, line_start = 1, 0, 0
        count, rfind, ascii = raw.count, raw.rfind, self.ascii
        for offset in sorted(offsets):
            if offset > before:
                breaks = count(_NEWLINE, before, offset)
                if breaks:
                    line += breaks
                    line_start = rfind(_NEWLINE, before, offset) + 1
                before = offset
            elif offset < 0:
                continue
            if ascii:
                found[offset] = line, offset - line_start + 1
            else:
                found[offset] = line, len(raw[line_start:offset].decode()) + 1
        return found

    def existing(self, document: int, path: Path_) -> Path_ | None:
        """The longest start of ``path`` that names a list or mapping; None for a scalar."""
        nodes = self.nodes()
        node = self._roots[document]
        value = None if self._data is None else self._data[document]
        depth = 0
        for part in path:
            child = self._child(node, part, value)
            if child < 0:
                break
            node = child
            value = None if value is None else _inside(value, part)
            depth += 1
        return path[:depth] if nodes.kind(node) & (_MAP | _SEQ) else None

    def _child(self, node: int, part: str | int, written: Any, key: bool = False) -> int:
        """The child ``part`` of ``node``; -1 when there is none (or ``node`` is a scalar).
        ``written`` is the data parsed at ``node`` (None: the keys are read in the buffer, see
        _keyed). With ``key``, the node holding its key (which differs for an alias or a
        merged key, see _Walker)."""
        if self.links is not None:
            links = self.links.get(node)
            if links is not None:
                skip = None
                if type(links) is tuple:  # the mapping's other keys are its children (Links)
                    skip, links = links
                found = links.get(part)
                if found is None:
                    if skip is None or not isinstance(part, str):
                        return -1
                    return self._keyed(self._nodes, node, part, written, skip)  # type: ignore[arg-type]
                return found if type(found) is int else found[0 if key else 1]
        nodes = self._nodes
        assert nodes is not None
        kind = nodes.kind(node)
        if kind & _MAP:
            return self._keyed(nodes, node, part, written) if isinstance(part, str) else -1
        if isinstance(part, int) and kind & _SEQ:
            items = self._items.get(node)
            if items is None:  # the n-th item is found by walking them: list them once
                items = self._items[node] = nodes.children(node)
            return items[part] if 0 <= part < len(items) else -1
        return -1

    def _keyed(
        self, nodes: _Columns | _TreeNodes, node: int, name: str, written: Any, skip: int = -1
    ) -> int:
        """The child of mapping ``node`` whose key is ``name``; -1 when there is none.

        The keys are those of ``written``, the mapping's data, in the order written (which is
        the tree's: rapidyaml's JSON of the mapping built it, and no key is there twice); or,
        without it, as rapidyaml read them in the parse buffer. With the data, the key's place
        among its keys names the child: its children are walked in the columns (one call, no
        Python call per key) as far as that place, and kept, so that the next key searched
        there (the rules place 4.7 findings in an Account's mapping on the stranger's tree) is
        read from them or walked from the last one (an index of every key costs more than a
        walk to one). A mapping of more than _COUNTED keys is indexed; one read in the buffer
        is walked key by key and, when large, indexed once. ``skip``: the child that is the
        mapping's merge key, which its data does not hold (its merged keys follow
        its own; see Links)."""
        index = self._index.get(node)
        if index is None:
            if type(written) is dict:
                # its keys are its children's, in order (the merge key skipped)
                if len(written) > _COUNTED:
                    children = nodes.children(node)
                    if skip >= 0:
                        children = [child for child in children if child != skip]
                    index = self._index[node] = dict(zip(written, children, strict=False))
                    return index.get(name, -1)
                if name not in written:
                    return -1
                kept = self._walked.get(node)
                if kept is None:
                    kept = self._walked[node] = array("I")
                place = _place_of(written, name)  # its keys searched in C, not copied
                if place < len(kept):
                    return kept[place]
                return nodes.walk_children(node, kept, place, skip)
            child = nodes.first_child(node)
            seen = 0
            if written is not None:
                for key in written:
                    if child == skip:
                        child = nodes.next_sibling(child)
                    if child < 0:
                        break
                    if key == name and seen < _INDEXED:
                        return child
                    child = nodes.next_sibling(child)
                    seen += 1
            else:
                buffer = self._buffer
                assert buffer is not None
                wanted = name.encode()
                while child >= 0:
                    offset, size = nodes.key(child)
                    found = size == len(wanted) and buffer.startswith(wanted, offset)
                    if found and seen < _INDEXED and child != skip:
                        return child
                    child = nodes.next_sibling(child)
                    seen += 1
            if seen < _INDEXED:
                return -1
            index = self._index[node] = self._keys(nodes, node, written, skip)
        return index.get(name, -1)

    def _keys(
        self, nodes: _Columns | _TreeNodes, node: int, written: Any, skip: int = -1
    ) -> dict[str, int]:
        """The children of mapping ``node`` by key (see _keyed)."""
        found: dict[str, int] = {}
        child = nodes.first_child(node)
        if written is not None:
            for key in written:
                if child == skip:
                    child = nodes.next_sibling(child)
                if child < 0:
                    break
                found[key] = child
                child = nodes.next_sibling(child)
            return found
        buffer = self._buffer
        assert buffer is not None
        while child >= 0:
            if child != skip:
                offset, size = nodes.key(child)
                found.setdefault(buffer[offset : offset + size].decode(), child)
            child = nodes.next_sibling(child)
        return found

    def lines(self, document: int, paths: Sequence[Path_]) -> list[int]:
        """The line of each node at ``paths``: ``locate(document, path, (), False).line`` for
        each (see :meth:`lines_of`)."""
        return self.lines_of([document] * len(paths), paths)

    def lines_of(self, documents: Sequence[int], paths: Sequence[Path_]) -> list[int]:
        """The line of the node at each of ``paths`` in the document beside it in
        ``documents``, worked out together (the line breaks before each counted from the one
        before, in the order of the nodes: a file's documents asked at once count its line
        breaks once) rather than a position at a time."""
        found: list[tuple[int, int]] = []
        starts = self._starts(documents, paths)
        for at, path in enumerate(paths):
            offset = starts[at]
            if offset < 0:
                try:
                    offset = self._offset(documents[at], path, len(path), False)
                except _Inexact:
                    offset = -1
            found.append((offset, at))
        found.sort()
        raw = self._text()
        lines = [0] * len(paths)
        line = before = -1
        for offset, at in found:
            if offset < 0:
                lines[at] = self.locate(documents[at], paths[at], (), False).line
            elif before < 0:  # the first: from the count by blocks when made, else from the start
                if self._lines_before is None:
                    line = raw.count(b"\n", 0, offset) + 1
                else:
                    line = self._line(offset)
                lines[at], before = line, offset
            else:
                line += raw.count(b"\n", before, offset)
                lines[at], before = line, offset
        return lines

    def _starts(self, documents: Sequence[int], paths: Sequence[Path_]) -> list[int]:
        """An offset on the line where the node at each of ``paths`` (in the document beside
        it) starts (what :meth:`lines_of` needs), for the nodes a report of entities' lines
        asks about: a document, or an item of a list, that is a mapping, read from the columns
        together (_Columns.map_starts); -1 for any other (an anchored node, an item of a list
        with links), which :meth:`_offset` finds."""
        links = self.links
        nodes = self.nodes()
        roots = self._roots
        picked: list[int] = []
        above: Path_ | None = None
        above_document = -1
        items: list[int] = []
        for document, path in zip(documents, paths, strict=True):
            if not path:
                picked.append(roots[document])
                continue
            part = path[-1]
            if type(part) is not int:
                picked.append(-1)
                continue
            if path[:-1] != above or document != above_document:
                # the items of one list follow one another in ``paths``
                above, above_document, items = path[:-1], document, []
                walked = self._walk(document, above)
                if (
                    type(walked) is tuple
                    and nodes.kind(walked[0]) & _SEQ
                    and (links is None or walked[0] not in links)  # its items are there
                ):
                    found = self._items.get(walked[0])
                    if found is None:
                        found = self._items[walked[0]] = nodes.children(walked[0])
                    items = found
            picked.append(items[part] if 0 <= part < len(items) else -1)
        return nodes.map_starts(picked, 0 if links is None else _VALANCH)

    def _locate(self, document: int, path: Path_, start: int, key: bool) -> Position:
        return self._position(self._offset(document, path, start, key))

    def _walk(self, document: int, path: Path_) -> tuple[int, Any] | int:
        """The node at ``path`` and the data there (kept: the walk to a parent is shared by
        every field of an entity); when a part of it is missing, the deepest node found. The
        walk to ``path`` less its last part is kept too, and walked on from (an entity's
        collection is walked once a file, not once an entity)."""
        known = self._parents.get((document, path) if document else path)
        if known is not None:
            return known
        rest = path
        if len(path) > 1:
            known = self._walk(document, path[:-1])
            if type(known) is int:
                return known
            node, value = known
            rest = path[-1:]
        else:
            node = self._roots[document]
            value = None if self._data is None else self._data[document]
        for part in rest:
            child = self._child(node, part, value)
            if child < 0:
                return node
            node = child
            value = None if value is None else _inside(value, part)
        known = self._parents[(document, path) if document else path] = node, value
        return known

    def _offset(self, document: int, path: Path_, start: int, key: bool) -> int:
        """Where the node at ``path`` starts (see :meth:`locate`), as an offset in the text."""
        nodes = self._nodes
        if nodes is None:
            nodes = self.nodes()
        if not path:
            return self._node_offset(self._roots[document])
        if not key:
            return self._node_offset(self._field_node(document, path[:-1], path[-1]))
        walked = self._walk(document, path[:-1])  # a key is asked for rarely: no fast path
        if type(walked) is int:
            return self._node_offset(walked)
        parent, value = walked
        child = self._child(parent, path[-1], value)
        if child < 0:
            return self._node_offset(parent)
        if len(path) > start and nodes.kind(parent) & _MAP:
            return self._key_offset(self._child(parent, path[-1], value, key=True))
        return self._node_offset(child)

    def _field_node(self, document: int, parent_path: Path_, part: str | int) -> int:
        """The node whose start :meth:`_offset` (without ``key``) answers for ``(*parent_path,
        part)``: the node there, or its deepest parent there is. The hot path of placing: the
        parent's walk looked up here before calling :meth:`_walk`, and a key of a mapping's
        data found as :meth:`_keyed` finds it, without its calls."""
        nodes = self._nodes
        if nodes is None:
            nodes = self.nodes()
        walked = self._parents.get((document, parent_path) if document else parent_path)
        if walked is None:
            walked = self._walk(document, parent_path)
            if type(walked) is int:
                return walked
        parent, value = walked
        if (
            type(value) is dict
            and type(part) is str
            and self.links is None
            and type(nodes) is _Columns
            and len(value) <= _COUNTED
            and nodes.kind(parent) & _MAP
        ):  # (_child's and _keyed's way for this mapping: no index is made of it)
            if part not in value:
                return parent
            kept = self._walked.get(parent)
            if kept is None:
                kept = self._walked[parent] = array("I")
            place = _place_of(value, part)
            if place < len(kept):
                return kept[place]
            child = nodes.walk_children(parent, kept, place)
        else:
            child = self._child(parent, part, value)
        return parent if child < 0 else child

    def _key_offset(self, node: int) -> int:
        nodes = self._nodes
        assert nodes is not None
        offset, size = nodes.key(node)
        if not size:
            raise _Inexact
        return offset - 1 if nodes.kind(node) & _KEYQUO else offset

    def _node_offset(self, node: int) -> int:
        """Where a node starts, as libyaml marks it: a scalar's first character (its opening
        quote), a block mapping's first key, a block list's first ``-``, a flow collection's
        bracket; a node with an anchor, its ``&``."""
        nodes = self._nodes
        assert nodes is not None
        if type(nodes) is _Columns:
            offset = nodes.start(node, _VALANCH if self.links is not None else 0)
            if offset >= 0:
                return offset
        kind = nodes.kind(node)
        if self.links is not None and kind & _VALANCH:
            return nodes.anchor(node) - 1
        if kind & (_MAP | _SEQ):
            first = nodes.first_child(node)
            if first < 0:
                raise _Inexact  # an empty [] or {}: nothing inside points at it
            inner = self._key_offset(first) if kind & _MAP else self._node_offset(first)
            if kind & _MAP and not kind & _FLOW:
                return inner
            if not kind & _FLOW:
                return self._opener(inner, _DASH)  # a block list
            return self._opener(inner, ord("[") if kind & _SEQ else ord("{"))
        offset, size = nodes.val(node)
        if not size:
            raise _Inexact  # an empty value: libyaml marks where the next token starts
        if kind & _VAL_BLOCK:
            return self._block_header(offset)
        return offset - 1 if kind & _VALQUO else offset

    def _block_header(self, offset: int) -> int:
        """Where a text block (``|`` or ``>``) starts, as libyaml marks it: its indicator, on
        the line before ``offset`` (where rapidyaml writes the block's text, in place)."""
        raw = self._text()
        if offset <= 0 or raw[offset - 1] != 0x0A:
            raise _Inexact
        start = raw.rfind(b"\n", 0, offset - 1) + 1
        found = [m.start() for m in _BLOCK_INDICATOR.finditer(raw, start, offset - 1)]
        if len(found) != 1:
            raise _Inexact  # a quoted key or a comment holds what could be one too
        return found[0]

    def _opener(self, offset: int, opener: int) -> int:
        """The offset of the ``-``, ``[`` or ``{`` right before ``offset``, past blanks.

        A flow collection's bracket is on its first item's line (the fast path takes no flow
        spread over lines), with only spaces between: the first character before them is the
        bracket, whatever the line holds before it (a quoted ``"CL #2487"`` is no comment). A
        block list's ``-`` may be lines above its item, past a comment that may hold one."""
        raw = self._text()
        at = offset - 1
        if opener != _DASH:
            while at >= 0 and raw[at] == 0x20:
                at -= 1
            if at < 0 or raw[at] != opener:
                raise _Inexact  # a layout this does not follow
            return at
        while at >= 0 and raw[at] in (0x20, 0x0A):
            at -= 1
        if at < 0 or raw[at] != opener or _HASH in raw[raw.rfind(b"\n", 0, at) + 1 : at]:
            raise _Inexact  # a comment in between, or a layout this does not follow
        return at

    def _position(self, offset: int) -> Position:
        """The line and column of ``offset``."""
        line, column = self._line_column(offset)
        return Position(line, column)

    def _line_column(self, offset: int) -> tuple[int, int]:
        """The line and column of ``offset`` (see :meth:`_line`, done here without the call)."""
        raw = self._raw
        if raw is None:
            raw = self._buffer
            assert raw is not None
        lines = self._lines_before
        if lines is None:
            lines = self._count_lines(raw)
        block = offset // _BLOCK
        line = lines[block] + raw.count(_NEWLINE, block * _BLOCK, offset) + 1
        line_start = raw.rfind(_NEWLINE, 0, offset) + 1  # (a number: no buffer asked of it)
        if self.ascii:
            return line, offset - line_start + 1
        return line, len(raw[line_start:offset].decode()) + 1

    def _offset_at(self, position: Position) -> int:
        """The offset whose position (:meth:`_position`) is ``position``; -2 when none is."""
        raw = self._text()
        lines = self._lines_before
        if lines is None:
            lines = self._count_lines(raw)
        breaks = position.line - 1  # the line breaks before the line
        if breaks < 0 or position.column < 1:
            return -2
        # the block holding the line break before the line (the line may start in the next)
        block = max(bisect.bisect_left(lines, breaks) - 1, 0)
        line_start = block * _BLOCK
        for _ in range(breaks - lines[block]):
            line_start = raw.find(b"\n", line_start) + 1
            if not line_start:
                return -2
        if self.ascii:
            offset = line_start + position.column - 1
        else:
            line_end = raw.find(b"\n", line_start)
            line = bytes(raw[line_start : len(raw) if line_end < 0 else line_end])
            chars = line.decode()[: position.column - 1]
            offset = line_start + len(chars.encode())
        if offset > len(raw) or self._position(offset) != position:
            return -2
        return offset

    def _may_hold(self, document: int, base: Path_, target: int) -> bool:
        """Whether a key written at offset ``target`` may be inside the node at ``base``: False
        when the tree tells it is not: ``target`` before where the node starts, or from where
        its next sibling (its key, if it has one) starts. Every node's text follows its
        parent's and comes before its next sibling's, and the nodes are numbered in that order
        (_Columns), so the node's descendants are the nodes before its next sibling; a
        descendant holding an alias or a merge key (in ``links``) may place keys elsewhere:
        then True. One answer for an entity, where searching it locates each of its keys (the
        owner of SG102's key is searched among the entities of its file, in order)."""
        nodes = self.nodes()
        if type(nodes) is not _Columns or target < 0:
            return True
        walked = self._walk(document, base) if base else (self._roots[document], None)
        if type(walked) is int:
            return True
        node = walked[0]
        after = nodes.next_sibling(node) if base else -1
        if self.links is not None:
            linked = self._linked
            if linked is None:
                linked = self._linked = sorted(self.links)
            at = bisect.bisect_left(linked, node)
            if at < len(linked) and (after < 0 or linked[at] < after):
                return True
        try:
            if target < self._node_offset(node):
                return False
            if after < 0:
                return True
            keyed = nodes.kind(after) & _KEY
            return target < (self._key_offset(after) if keyed else self._node_offset(after))
        except _Inexact:
            return True

    def _line(self, offset: int) -> int:
        """The line of ``offset``: the line breaks before it, counted from the start of its
        block of the file (how many each block begins after is counted once)."""
        raw = self._text()
        lines = self._lines_before
        if lines is None:
            lines = self._count_lines(raw)
        block = offset // _BLOCK
        return lines[block] + raw.count(b"\n", block * _BLOCK, offset) + 1

    def _count_lines(self, raw: bytes | bytearray) -> array[int]:
        """How many line breaks come before each block of _BLOCK bytes of ``raw`` (kept)."""
        ends = range(_BLOCK, len(raw) + _BLOCK, _BLOCK)
        counts = map(raw.count, itertools.repeat(b"\n"), range(0, len(raw), _BLOCK), ends)
        lines = self._lines_before = array("q", itertools.accumulate(counts, initial=0))
        return lines


_BLOCK = 1024
"""The size of the blocks of a file whose line breaks _FilePositions counts once."""
_NEWLINE = 0x0A
"""A line break, looked for as a number (bytes.count and rfind ask no buffer of it)."""
_BLOCK_INDICATOR = re.compile(
    rb"(?m)(?:^|(?<=[ ]))[|>](?=(?:[1-9][+-]?|[+-][1-9]?)?[ ]*(?:#[^\n]*)?\r?$)"
)
"""A text block's indicator on its line: after a space (or first), then at most its chomping
and indentation indicators and a comment."""
_DASH = ord("-")
"""A block list's opener (``_FilePositions._opener``)."""


class RymlSourceMap(SourceMap):
    """A SourceMap whose positions come from rapidyaml's tree, worked out when asked for."""

    __slots__ = ("_base", "_document", "_file")

    @classmethod
    def _root(cls, file: _FilePositions, document: int, base: Path_ = ()) -> RymlSourceMap:
        view = cls.__new__(cls)
        view._file = file
        view._document = document
        view._base = base
        return view

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # type: ignore[override]
        return RymlSourceMap._root, (self._file, self._document, self._base)

    def __repr__(self) -> str:
        return f"RymlSourceMap({self._file.path!r}, {self._document}, {self._base!r})"

    def _exact(self) -> SourceMap:
        return self._file.exact(self._document).subtree(self._base)

    def release(self, for_good: bool = False) -> None:
        self._file.release(for_good)

    def forget(self) -> None:
        self._file.forget()

    def keep(self, paths: Iterable[Path_]) -> None:
        base = self._base
        self._file.keep(self._document, [(*base, *path) for path in paths] if base else paths)

    @property
    def position(self) -> Position:
        return self._file.locate(self._document, self._base, (), False)

    @property
    def children(self) -> dict[str | int, SourceMap | Position]:
        return self._exact().children

    @property
    def keys(self) -> dict[str | int, Position]:
        return self._exact().keys

    def locate(self, path: Path_, *, key: bool = False) -> Position:
        return self._file.locate(self._document, self._base, path, key)

    def place(self, base: Path_, path: Path_) -> tuple[int, int]:
        return self._file.place(self._document, self._base, base, path)

    def places_together(
        self, sources: Sequence[Written], fields: Sequence[Path_]
    ) -> list[tuple[int, int]] | None:
        """Every source's map one of this file's documents: the file asked once for all of
        them (_FilePositions.places); None otherwise."""
        return self._file.places(sources, fields)

    def in_data_order(self) -> bool:
        """A file without anchors, aliases, merge keys or keys written twice (``links``): its
        tree, and its data, in the order written."""
        return self._file.links is None

    def lines_together(
        self, asked: Sequence[tuple[SourceMap, Sequence[Path_]]]
    ) -> list[int] | None:
        """Every map of ``asked`` a document of this file: the file asked once for all of them
        (a file of an entity a document: the audit's line of each); None otherwise."""
        file = self._file
        if not all(type(m) is RymlSourceMap and m._file is file for m, _ in asked):
            return None
        documents: list[int] = []
        paths: list[Path_] = []
        for view, wanted in asked:
            base = view._base  # type: ignore[attr-defined]
            documents += [view._document] * len(wanted)  # type: ignore[attr-defined]
            paths += [(*base, *path) for path in wanted] if base else wanted
        return file.lines_of(documents, paths)

    def lines(self, paths: Sequence[Path_]) -> list[int]:
        base = self._base
        return self._file.lines(self._document, [(*base, *path) for path in paths])

    def subtree(self, path: Path_) -> SourceMap:
        """The positions of the node at ``path`` (or of its nearest existing parent)."""
        try:
            found = self._file.existing(self._document, (*self._base, *path))
        except _Inexact:
            return self._exact().subtree(path)
        if found is None:  # a scalar: a map of one position, as SourceMap.subtree gives
            return SourceMap(self.locate(path))
        return RymlSourceMap._root(self._file, self._document, found)

    def key_path(self, position: Position) -> Path_ | None:
        found = _written_key_path(self._file, self._document, self._base, position)
        return self._exact().key_path(position) if found is _UNTOLD else found


_UNTOLD: Any = object()
"""What _written_key_path answers when only the exact path can tell."""


def _written_key_path(
    file: _FilePositions, document: int, base: Path_, position: Position
) -> Path_ | None:
    """The path (inside ``base``) of the mapping key written at ``position``, as the exact
    path's SourceMap.key_path finds it: for the duplicate key's finding (SG102), whose entity is
    named by it, without parsing the file again on the exact path. Searched as that searches
    its map, in the file's data: each mapping's keys in order (its own, then those merged),
    then the lists and mappings inside it, the last first (so that a key shared by aliases or
    merged is found where the exact path finds it), each key located as :meth:`locate` does.
    _UNTOLD when the data is not at hand (a parse from the cache) or a position is not exact."""
    data = file._data
    if data is None:
        return _UNTOLD
    try:
        value = data[document]
        for part in base:
            value = value[part]
        target = file._offset_at(position)  # each key's offset compared, not its position
        if not file._may_hold(document, base, target):
            return None
        pending: list[tuple[Path_, Any]] = [((), value)]
        while pending:
            path, value = pending.pop()
            items = value.items() if type(value) is dict else enumerate(value)
            if type(value) is dict:
                for key in value:
                    inside = (*path, key)
                    if file._offset(document, (*base, *inside), len(base), True) == target:
                        return inside
            pending.extend(
                ((*path, part), item) for part, item in items if type(item) in (dict, list)
            )
    except (_Inexact, KeyError, IndexError, TypeError):
        return _UNTOLD
    return None
