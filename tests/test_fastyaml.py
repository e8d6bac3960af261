"""The fast path (rapidyaml) gives exactly what the exact path (libyaml events) gives, or nothing.

Every test compares the two: whenever ``fastyaml.parse`` answers, the exact path must have the
same findings (none, or a key written twice: SG102, worded and placed alike), the same documents,
the same data (types included), the same node count, and the same answer to every ``locate``
(values and keys), every ``subtree`` and every path that goes off the data.
Tests also check that the fast path is really taken where it should be, so that a fast path
which always declined could not pass.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import random
import re
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import yaml_stranger
from conftest import ACME, AS_OF, PROJECT
from socialgov.config import CACHE_DIR, load_config
from socialgov.core.findings import Position
from socialgov.pipeline import lint
from socialgov.source import fastyaml
from socialgov.source.exact import parse_text
from socialgov.source.loader import DEFAULT_LIMITS, Document, ParsedFile, lines_of, places_in
from socialgov.source.reading import decode, load_file
from socialgov.speedups.cache import dumps
from test_cache import generated
from test_source_map import _every_path, _probes

LIMITS = dict(DEFAULT_LIMITS)
NORTHWIND = PROJECT / "tests" / "acceptance" / "northwind"
CORPORA = [
    PROJECT / "examples",
    PROJECT / "tests" / "acceptance",
    PROJECT / "tests" / "hostile",
    PROJECT / "rules",
    PROJECT / "policies",
    PROJECT / "tests" / "data" / "writer",
    PROJECT / "tests" / "data" / "packs",
]


def _same(a: Any, b: Any) -> bool:
    """Equal data with equal types all the way down (True is not 1, 1.0 is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b or (a != a and b != b)  # NaN


def _differences(text: str, limits: dict[str, int] = LIMITS) -> list[str] | None:
    """None when the fast path declines; else every way it differs from the exact path."""
    fast = fastyaml.parse(text, "f.yaml", limits)
    if fast is None:
        return None
    exact = parse_text(text, "f.yaml", limits)
    if exact.findings != fast.findings or len(exact.documents) != len(fast.documents):
        return [
            f"the exact path finds {[(f.line, f.column, f.key, f.message) for f in exact.findings]}"
            f", the fast one {[(f.line, f.column, f.key, f.message) for f in fast.findings]}"
        ]
    problems = []
    if fast.nodes != exact.nodes:
        problems.append(f"nodes {fast.nodes} != {exact.nodes}")
    for got, want in zip(fast.documents, exact.documents, strict=True):
        problems += _document_differences(got, want)
    # every document's nodes asked of the file at once (the audit's line of each entity: a
    # document each), the last document first; and of the exact path's maps, a map at a time
    fast_asked, exact_asked, lines = [], [], []
    for got, want in zip(fast.documents[::-1], exact.documents[::-1], strict=True):
        paths = _every_path(want.data)[::-1]
        fast_asked.append((got.source_map, paths))
        exact_asked.append((want.source_map, paths))
        lines += [want.source_map.locate(path).line for path in paths]
    for found in (lines_of(fast_asked), lines_of(exact_asked)):
        if found != lines:
            problems.append(f"lines_of {found} != {lines}")
    return problems + _places_differences(fast.documents, exact.documents)


class _Written(NamedTuple):
    """Where an entity was written, as a model's entity holds it (loader.Written)."""

    document: Document
    base: tuple[str | int, ...]


def _places_differences(fast: list[Document], exact: list[Document]) -> list[str]:
    """Every probe of every document placed together, the file asked once
    (loader.places_in, a file's findings: rules.engine), as each is placed alone and as the
    exact path locates it: each path split into an entity's and its field in three ways, in
    the documents' maps and in maps of their first parts (a document's part), the last
    document first and the probes in an order that is not the text's; again after the
    positions are let go (parsed again when asked)."""
    sources: list[_Written] = []
    fields: list[tuple[str | int, ...]] = []
    expected: list[tuple[int, int]] = []
    for got, want in zip(fast[::-1], exact[::-1], strict=True):
        probes = _probes(want.data)
        for path in probes[::-1]:
            where = want.source_map.locate(path)
            for split in sorted({0, len(path) // 2, len(path)}):
                sources.append(_Written(got, path[:split]))
                fields.append(path[split:])
                expected.append((where.line, where.column))
            inner = got.source_map.subtree(path[:1])
            if path and type(inner) is type(got.source_map):  # a map of the document's part
                part = Document(got.path, got.index, got.data, inner)
                theirs = want.source_map.subtree(path[:1]).locate(path[1:])
                sources.append(_Written(part, path[1 : 1 + len(path) // 2]))
                fields.append(path[1 + len(path) // 2 :])
                expected.append((theirs.line, theirs.column))
    problems = []
    alone = [s.document.source_map.place(s.base, f) for s, f in zip(sources, fields, strict=True)]
    if alone != expected:
        problems.append("placed alone != the exact path's")
    for _ in ("held", "let go"):
        first = sources[0].document.source_map
        together = first.places_together(sources, fields)
        if together is None and type(first) is fastyaml.RymlSourceMap:
            problems.append("the file was not asked once")
        if places_in(sources, fields) != expected:
            problems.append(f"places_in != the exact path's ({len(expected)} places)")
        first.release()
    return problems


def _document_differences(got: Document, want: Document) -> list[str]:
    problems = []
    if got.index != want.index:
        problems.append(f"document {got.index} != {want.index}")
    if not _same(got.data, want.data):
        problems.append(f"data {got.data!r} != {want.data!r}")
    probes = _every_path(want.data)
    probes += (
        [(*p, "missing") for p in probes] + [(*p, 0) for p in probes] + [(*p, 99) for p in probes]
    )
    for path in probes:
        for key in (False, True):
            mine = got.source_map.locate(path, key=key)
            theirs = want.source_map.locate(path, key=key)
            if mine != theirs:
                problems.append(f"locate{path} key={key}: {mine} != {theirs}")
        # a finding's place: locate's line and column, the path given as an entity's and its
        # field's; in the map of the path's first part too (a map of a part of the document)
        split, theirs = len(path) // 2, want.source_map.locate(path)
        for source_map in (got.source_map, want.source_map):
            if source_map.place(path[:split], path[split:]) != (theirs.line, theirs.column):
                problems.append(f"place{path[:split]}{path[split:]} != {theirs}")
            if source_map.place(path, ()) != (theirs.line, theirs.column):
                problems.append(f"place{path}() != {theirs}")
        inner, inner_at = got.source_map.subtree(path[:1]), want.source_map.subtree(path[:1])
        theirs = inner_at.locate(path[1:])
        if inner.place(path[1:split], path[max(split, 1) :]) != (theirs.line, theirs.column):
            problems.append(f"subtree{path[:1]}.place{path[1:]} != {theirs}")
        if got.source_map.subtree(path).position != want.source_map.subtree(path).position:
            problems.append(f"subtree{path}")
    # which key is written at a key's position (and at its value's), in the document and inside
    # its first level: for paths spread over the document, 12 of a small one, 3 of a large one
    # (each answer walks the document)
    paths = _every_path(want.data)
    for path in paths[:: max(1, len(paths) // (12 if len(paths) < 1000 else 3))]:
        for at in (want.source_map.locate(path, key=True), want.source_map.locate(path)):
            for base in ((), path[:1]):
                mine = got.source_map.subtree(base).key_path(at)
                theirs = want.source_map.subtree(base).key_path(at)
                if mine != theirs:
                    problems.append(f"key_path{base} at {at}: {mine} != {theirs}")
    # every node's line asked at once (the audit's line of each entity), in an order that is
    # not the text's, as the exact path's positions give them one at a time
    asked = probes[::-1]
    lines = [want.source_map.locate(path).line for path in asked]
    if got.source_map.lines(asked) != lines or want.source_map.lines(asked) != lines:
        problems.append(f"lines {got.source_map.lines(asked)} != {lines}")
    return problems


def test_findings_of_several_files_or_of_the_exact_path_are_each_placed_alone() -> None:
    """places_in asks a file at once only when every source is one of its documents, parsed by
    rapidyaml; sources of two files, or of the exact path's maps, are each placed alone (the
    same places), and a file asked of another file's sources does not answer."""
    texts = ["a:\n  b: 1\n  c: [1, 2]\n", "x: {y: 1}\n---\nz: \u00e9t\u00e9\n"]
    fast = [fastyaml.parse(text, f"f{i}.yaml", LIMITS) for i, text in enumerate(texts)]
    exact = [parse_text(text, f"f{i}.yaml", LIMITS) for i, text in enumerate(texts)]
    sources, fields, expected = [], [], []
    for got, want in zip(fast, exact, strict=True):
        assert got is not None
        for document, theirs in zip(got.documents, want.documents, strict=True):
            for path in _probes(theirs.data):
                where = theirs.source_map.locate(path)
                sources.append(_Written(document, path[:1]))
                fields.append(path[1:])
                expected.append((where.line, where.column))
    first = sources[0].document.source_map
    assert first.places_together(sources, fields) is None  # (two files)
    assert places_in(sources, fields) == expected
    documents = _documents_of(exact, sources)
    exact_sources = [_Written(d, s.base) for s, d in zip(sources, documents, strict=True)]
    assert exact_sources[0].document.source_map.places_together(exact_sources, fields) is None
    assert places_in(exact_sources, fields) == expected


def _documents_of(parsed: list[ParsedFile], sources: list[_Written]) -> list[Document]:
    """The document of ``parsed`` at each source's document's file and index."""
    files = {file.path: file for file in parsed}
    return [files[s.document.path].documents[s.document.index] for s in sources]


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _compare_tree(root: Path) -> tuple[int, int]:
    """(files, files the fast path took); fails on the first difference."""
    files = taken = 0
    for path in _yaml_files(root):
        try:
            text = decode(path.read_bytes())
        except ValueError:
            continue
        files += 1
        problems = _differences(text)
        if problems is not None:
            taken += 1
            assert problems == [], f"{path}: {problems[:5]}"
    return files, taken


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_every_file_of_the_project_parses_the_same_on_both_paths(corpus: Path) -> None:
    files, taken = _compare_tree(corpus)
    assert files
    if corpus.name == "examples":
        assert taken >= files // 2  # mostly plain YAML: the fast path must not decline it


def test_generated_inventory_takes_the_fast_path_and_parses_the_same(tmp_path: Path) -> None:
    root = generated(tmp_path / "repo", 1000)
    files, taken = _compare_tree(root)
    assert taken >= files - 2  # all but the deliberately broken file(s)


def test_real_inventories_parse_the_same(realdata: Path) -> None:
    files, _taken = _compare_tree(realdata)
    assert files


SUPPORTED = {
    "block map and list": "a: 1\nb:\n  - x\n  - y: 2\n    z: [p, 'q', \"r\"]\n",
    "indentless list": "key:\n- one\n- two: 2\n  three: 3\n",
    "nested dashes": "- - - deep\n  - next\n- last\n",
    "flow map": "a: {x: 1, 'y': two}\nb: { z: 3 }\n",
    "quoted keys": "'single key': 1\n\"double key\": 2\n'it''s': 3\n",
    "lookalikes quoted and plain side by side, after each thing a value may follow": (
        'q: "0x1F"\np: [0x1F,"0x1F", +1]\nm: {k: "+1",l: +1}\nn:\n- "~"\n- ~\no: "010"\n'
        '"010": 010\nr: x"010"\ns: [a, 1e3]\n'
    ),
    "quoted keys and values starting with spaces": (
        "' key': ' v'\n\"  k2\": [\" x\", 'say \"hi\" ok']\nl:\n- ' a'\n- {' b': \"  c\"}\n"
    ),
    "a list at its key's indentation, one-line items, then a key": (
        "a:\n  k:\n  - {n: r}\n  - 'q'\n  - [s]\n  t: S\nu:\n- {v: w}\n"
    ),
    "empty values": "a:\nb: ''\nc: \"\"\nd:\n  -\n  - x\n",
    "empty collections": "a: []\nb: {}\nc: [ ]\n",
    "comments everywhere": "# top\na: 1 # after\n# between\nb: # here\n  - # dash\n    x\n",
    "a comment ending in a dash": "- # c-\n  a: b\n- c\n",
    "dash then newline": "-\n  a: 1\n-\n  - b\n",
    "multi-line scalars": "a: plain\n  continued\nb: 'quoted\n  too'\nc: x\n",
    "numbers and booleans": "i: 12\nn: -3\nf: 1.5\ne: 1e3\nd: .5\nt: true\nf2: false\nz: null\ny: yes\n",
    "dates and times stay text": "d: 2026-09-02\nt: 9:30\nts: 2026-09-02T10:00:00Z\n",
    "unicode": "name: Café Zürich\nemoji: 😀 ok\n'clé': été\nafter: x\n",
    "urls and colons": "url: https://example.com/a?b=c#d\nk: a:b\n",
    "crowded": "a: x#y\nb: 'a: b'\nc: \"x # y\"\nd: C#\n",
    "quoted lookalikes": "phone: \"+442079460150\"\nzero: '010'\nyes: 'True'\nnone: '~'\n",
    # a plain lookalike right after each character a value may follow without a space (the
    # review of 651752a: removing one of them from _BEFORE_VALUE misread each of these)
    "a lookalike right after a colon in a flow map": 'm: {"k":0x1F}\n',
    "a lookalike right after a bracket": "a: [0o17]\n",
    "a lookalike right after a comma": "a: [1,0o17]\n",
    "a quoted and a plain lookalike right after a comma": 'a: ["0o17",0o17]\n',
    "quoted number, bare in a comment": "# our 34 stores\ncount: '34'\n",
    "document marker": "---\na: 1\n",
    "marker with a comment": "# head\n--- # first\na: 1\n",
    "three documents": "a: 1\n---\n- x\n- y\n---\nb: {c: 2}\n",
    "plain scalar over lines": "a: one\n  two\n  three\nb: x\nc: [y]\n",
    "quoted scalar over lines": "- a: 'one\n    two'\n  b: \"x\n    y\"\n  c: z\n",
    "literal block": "a: |\n  line one\n    indented\n\n  last\nb: x\n",
    "folded block": "a: >\n  folded\n  text\n\n  para\nb: x\n",
    "chomping": "a: |-\n  strip\nb: |+\n  keep\n\nc: >-\n  12\nd: x\n",
    "indentation indicator": "a: |2\n    two more\n  base\nb: >1-\n  x\n",
    "block after a dash": "- |\n  one\n- >-  # folded\n  two\n-   |\n    three\n",
    "block holding YAML": "a: |\n  - not: [a, list]\n  \"quoted\": 'x' # no comment\n  @x *y &z\nb: 1\n",
    "a text block's header on the line after its key": (
        "'id':\n >\n  acct\nowner: &a1\n  team: x\n  t: \"[a] b\"\n"
    ),
    "blocks in a list of maps": "- id: a\n  text: |\n    x\n- id: b\n  text: >\n    y\n",
    "quotes inside plain values": 'name: Eric A. "Rick" Crawford\nshop: Store managers\' debrief\n',
    "brackets inside quoted values": "m: \"{kind} {id} states '{value}', others {x}\"\nn: '[a] {b}'\n",
    "quoted values in flow": 'a: ["x, y", \'p]q\', "{z}"]\nb: {\'k\': "v"}\n',
    "single-quoted backslash": "p: 'C:\\\\temp'\n",
    "a comment with quotes": "a: 1 # it's here\n# don't \"a\"\nb: 2\n",
    "quoted lookalike, plain inside a longer value": "zip: '02119'\nfec: H8TN02119\n",
    "plain lookalikes": "fax: ~\nt: True\nh: 0x1F\no: 010\nn: .inf\np: +1\nq: '010'\n",
    "a lookalike on the line after its key": "a:\n  010\nb:\n  - ~\n",
    "anchors and aliases": "a: &x\n  k: 1\nb: *x\nc: &y 5\nd: *y\ne: &z [1, *y]\n",
    "an anchor defined again": "x: &a 1\ny: &a 2\nz: *a\n",
    "merge key": "base: &b {x: 1, y: 2}\nm:\n  y: 9\n  <<: *b\n  z: 3\n",
    "merge keys, a list of them": "a: &a {p: 1}\nb: &b\n  q: 2\n  p: 3\nc:\n  <<: [*a, *b]\n  r: 4\n",
    "a merge key twice: both merged, no duplicate": "a: &x {k: 1}\nb: {<<: *x, <<: {j: 2}, k: 3}\n",
    "merge of an empty list": "<<: []\na: 1\n",
    "a quoted merge key is a key": "'<<': 1\na: 2\n",
    "windows line ends": "a: 1\r\nb:\r\n  - x\r\n  - 'y\r\n    z'\r\nc: |\r\n  l1\r\n\r\n  l2\r\nd: >-\r\n  f\r\n  g\r\n",
    "end markers": "a: 1\n...\n---\nb: 2\n... # done\n\n# bye\n",
    "flow in flow": "a: [{x: 1}, {y: [2, 3]}, []]\nb: {c: [d, {e: f}], g: {}}\n",
    "escapes": 'a: "x\\ny\\tz\\\\w\\"q\\/ \\u00e9"\nb: ["\\"", c]\n',
    "flows, then the next key": "- tags: [a, b]\n  owner: {x: 1}\n- [c]\n- d: [e]\n  f: g\n",
    "a text block, then the last line without a break": "a: |\n  text\nb: 1",
    "aliases in a list": "- &x a\n- *x\n- [*x, &y b, *y]\n",
    "an alias late in a list": "- &x a\n- b\n- c\n- *x\n- [d, e, *x]\n- f\n",
    "merge of mappings written in place": (
        "a: &a {p: 1}\nc:\n  <<: [{q: 2}, *a]\n  r: 4\nd:\n  <<: {s: 5, t: 6}\n  s: 7\n"
    ),
    "merge of a mapping that merges": (
        "a: &a {p: 1, q: 2}\nb: &b\n  <<: *a\n  q: 3\nc:\n  <<: *b\n  r: [*a]\n"
    ),
    "a mapping of many keys": "".join(f"key{i}: v{i}\n" for i in range(40)) + "'q k': |\n  t\n",
    "many keys, a value rewritten in place": (
        "".join(f"k{i}:\n  n: v\n    more\n" if i == 20 else f"k{i}: x\n" for i in range(30))
    ),
    "anchors among many keys": (
        "base: &b {x: 1}\n" + "".join(f"k{i}: *b\n" for i in range(30)) + "m:\n  <<: *b\n"
    ),
    # the walk reads keys and values where rapidyaml left them in the parse buffer: empty
    # values (rapidyaml points them nowhere), text past ASCII, text it rewrote in place
    "anchors with empty values": "base: &b\n  x:\n  y: 1\nother:\n  <<: *b\n  z:\nl:\n  -\n  - *b\n",
    "anchors in a file past ASCII": (
        "base: &b\n  naïve: café\n  'ключ': \"значение\"\nother:\n  <<: *b\n  ü: ö\n"
    ),
    "anchors and text rewritten in place": (
        'base: &b\n  x: "a\\tb\\u00e9"\n  y: |\n    line\n    two\n  z: >-\n    folded\n    text\n'
        "c: *b\nd: [*b]\n"
    ),
    # the scans read UTF-8 bytes: characters past ASCII beside what they look for
    "quoted brackets past ASCII": 'm: "é [x] {y}"\nn: \'ü: {z}\'\no: ["ä, b", c]\n',
    "a comment with a quote, then a colon": 'a: 1 # it\'s: here\nb: [x] # "y", z\n',
    "a lookalike past ASCII": "é: 010\nb: '010'\nc: [~, ü]\n",
    "text blocks past ASCII": "é: |\n  ü\nf: >-\n  ö\n  ä\ng: x\n",
    # anchors, aliases and merge keys as people write them: resolved in the data built from
    # rapidyaml's JSON (fastyaml._Aliases), or by the walk when that cannot tell
    "merge keys overridden before and after": (
        "a: &a {p: 1, q: 1}\nb: &b {q: 2, r: 2, s: 2}\nc:\n  p: 0\n  <<: [*a, *b]\n  r: 3\n"
    ),
    "nested merges": (
        "base: &base {x: 1, y: 0}\nmid: &mid\n  <<: *base\n  y: 2\ntop:\n  <<: *mid\n  z: 3\n"
        "  inner:\n    <<: [*mid, *base]\n    x: 9\n    deeper: {<<: *top_less, w: 1}\n"
    ).replace("*top_less", "*base"),
    # rapidyaml numbers a stream's first document after its contents: inner merges first
    # all the same (found by the twelfth round's review: the outer one kept a key "<<")
    "a merge inside a merge, in the first of several documents": "<<:\n  <<:\n    c: x\n---\na: 1\n",
    "merges inside merges, in several documents": (
        "<<:\n  <<:\n    <<: {c: x, d: 1}\n    d: 2\n  e: 3\n---\na: 1\n---\n"
        "b:\n  <<:\n    <<: {f: 1}\n  g: 2\n"
    ),
    "aliases to nodes holding aliases": (
        "a: &a 1\nb: &b [*a, 2]\nc: &c {k: *b, <<: {m: *a}}\nd: [*c, *b, *a]\ne: {f: *c}\n"
    ),
    "anchors on mappings, lists and scalars in several documents": (
        "---\nd: &d {k: v}\ne: *d\nf:\n  <<: *d\n---\nl: &l [1, 2]\nm: *l\n---\n"
        "s: &s text\nt: [*s, *s]\nu: *s\n"
    ),
    "merge keys with windows line ends": (
        "base: &b\r\n  x: 1\r\n  y: |\r\n    two\r\n    lines\r\nc:\r\n  <<: *b\r\n  z: *b\r\n"
    ),
    "merge keys past ASCII": (
        "base: &b\n  naïve: café\n  'ключ': 1\nx:\n  <<: *b\n  ü: [*b]\nй: {<<: *b, naïve: ö}\n"
    ),
    "merge keys in flow mappings": "a: &a {p: 1}\nb: {<<: *a, q: 2}\nc: [{<<: [*a], p: 3}]\n",
    "a merge of an alias to a list of mappings": (
        "l: &l [{p: 1}, {q: 2, p: 0}]\nm:\n  <<: *l\n  r: 3\n"
    ),
    "accounts merging their defaults": (
        "# care accounts\nx-defaults: &defaults\n    purpose: service\n    security: {mfa: True}\n"
        "accounts:\n- <<: *defaults\n  id: a-1\n  notes: |\n    first\n    text\n  tags: [x, y]\n"
        "- <<: *defaults  # paused\n  id: a-2\n  status: paused\n  security: {mfa: FALSE}\n"
        "- id: a-3\n  <<: *defaults\n  purpose: sales\n"
    ),
    "a quoted merge key beside a merge key": (
        "a: &a {p: 1}\nb: &b\n  '<<': kept\n  <<: *a\nc: *b\nd: {\"<<\": *a}\n"
    ),
    "an alias among a merge's own keys": "a: &a {p: 1}\nb:\n  <<: *a\n  q: *a\n  r: [*a]\n",
    "an anchor defined again inside itself": "x: &a [&a 1, *a]\ny: *a\n",
    "an empty anchored value merged and repeated": "a: &a\nb: [*a, *a]\nc: &c {}\nd: {<<: *c}\n",
    "anchors beside plain lookalikes": "a: &a {p: ~, q: 010}\nb:\n  <<: *a\n  r: True\n",
    # a lookalike anchored itself: rapidyaml's JSON writes it as a string, as it was written
    "anchored plain lookalikes": (
        "s: &none ~\nt: *none\nu: &hex 0x10\nv: [*hex, &octal 010, *octal]\n"
        "w: &inf -.inf\nx: {y: *inf}\n"
    ),
    "anchored capitalised words": "a: &n Null\nb: *n\nc: [&t TRUE, *t]\nd: &f False\n",
    "an anchored capitalised word beside a plain one": "a: &n Null\nb: True\nc: *n\n",
    "anchored lookalikes in a flow list": "s: [&c ~, *c]\nt: [&d NULL, *d, True]\n",
    # rapidyaml's JSON writes .Inf, -.INF and .NaN in lower case: still numbers (the walk's)
    "infinities and not-a-number capitalised": (
        "a: .Inf\nb: -.INF\nc: .NaN\nd: [.NAN, '.NaN', +.Inf]\ne: {f: .NaN}\n"
    ),
    "not-a-number capitalised in a list": "a: [.NaN, 1]\n",
    # rapidyaml's JSON writes a plain nan, inf, infinity, -inf as .nan, .inf, -.inf: text to
    # the core schema (a grandmother called Nan, an abbreviation), left to the walk
    "nan and inf in lower case": (
        "name: nan\nnan: 1\nl: [inf, -inf, infinity, -infinity]\nc: nan # gran\nd: .inf\n"
    ),
    "an anchored nan": "a: &n nan\nb: [*n, inf]\n",
    "nan and inf as quoted keys": "'nan': 1\n\"-.Inf\": x\nb: {'.NaN': [3]}\n",
    # JSON's way: a quoted key's ':' without a space, then a plain lookalike (the reviewer's)
    "a lookalike right after a quoted key's colon": (
        'accounts:\n  - {"id":"acme-x", "owner":~, "n":0x1F, "i":infinity, "f":-.INF}\n'
        "b: {'k':&x 010, c: *x}\n"
    ),
    # a ':' more than 1024 bytes into a line that is no key's end: inside a quoted value, or
    # not followed by a space
    "a long line whose colons end no key": (
        "a: '" + "x" * 1100 + ": y'\nb: " + "z " * 600 + "ab:cd\nc: [" + "w, " * 400 + "v]\n"
    ),
    "a key 1024 characters long, libyaml's longest": "k" * 1023 + "é: 1\nv: " + "x " * 900 + "\n",
    "comments after flow collections closed": (
        "a: [1, [2]]  # a comment\nb: {c: 'x # y', d: [3]} # another [ one\ne: '[' # z\n"
    ),
    # each line that may hold a comment inside a flow is read with its quoted values masked
    "a ' #' only inside quoted values of a flow": "b: ['x # y', \"{ #\"]\nc: '[ #'\n",
    "flows closed before comments, quotes on other lines": (
        "a: 'it''s [ # not'\nb: [\"x\", {y: 'z'}] # c [\nd: \"{\" # e\nf: [1] # g"
    ),
    "capitalised words as anchor and alias names": "a: &True x\nb: *True\nc: False\n",
    # booleans and nulls as people capitalise them, which JSON does not write: rapidyaml's JSON
    # is written with JSON's words in their place (see fastyaml._with_json_words)
    "booleans and nulls capitalised": (
        "id: acme-x\nverified: True\nsecurity:\n  mfa: FALSE\n  sso: False # for now\n"
        "backup_owner: Null\narchive: NULL\nactive: true\n"
    ),
    "capitalised words in lists and flows": (
        "flags: [True, false, TRUE, 'True', \"FALSE\"]\nitems:\n  - True\n  - Null\n"
        "  - {on: True, off: False, none: NULL, text: 'Null'}\n  -   TRUE\n"
    ),
    "capitalised words that stay text": (
        "True: key\n'False': quoted key\nstory: True story\nlong: True\n  or not\n"
        "block: |\n  True\nfolded: >-\n  False\nnote: 'True'\nq: \"NULL\"\nw: Truely\n"
        "x: TRUE-ish\ny: Nullable\n"
    ),
    "capitalised words beside other lookalikes": "a: True\nb: ~\nc: 010\nd: FALSE\n",
    "capitalised words beside quoted ones": (
        "flags: [True, 'FALSE', \"Null\"]\nb: TRUE\nc: {d: False, e: 'No'}\nf:\n  - 'False '\n"
        "  - NULL\n"
    ),
    "capitalised words in several documents": (
        "---\nkind: Account\nverified: True\n---\nkind: Person\nactive: False\nleft: Null\n"
    ),
    "capitalised words with windows line ends": "a: True\r\nb:\r\n  - FALSE\r\n  - x\r\n",
    "capitalised words past ASCII": "café: True\nnaïve: [Null, 'é']\nü: FALSE # ö\n",
    "capitalised words with text rewritten in place": (
        'a: "x\\ty"\nb: True\nc: |\n  block\n  text\nd: Null\n'
    ),
}
# a '#' in a quoted value before a flow collection on its line: no comment (where the flow's
# bracket is found, see fastyaml._FilePositions._opener)
HASH_BEFORE_FLOWS = {
    "a '#' in a quoted name, then flows": (
        '- {id: a, name: "Globex Talent, CL #2487", security: {mfa: true}, tags: [x, "#y", [z]]}'
        '\n- {n: "#3", l: [1]}\n'
    ),
    "a '#' in quoted keys and values, then flows": (
        "k: {n: '#1', l: [x], m: {p: [q]}}\n\"x # y\": {a: 1}\n'#': [b, {c: d}]\n"
    ),
    "a '#' in quoted items, then flows, in lists of lists": (
        '- ["a #b", [c], {d: "#e", f: [g]}]\n- - [a, "# b", [c]] # d [\n  - {e: "# f", g: {h: i}}\n'
    ),
    "a '#' in quoted values, then flows spaced out": (
        'a: "x #y"\nb: [ "p # q" , [ r ] ,{ s: t } ]\nc: { u: "#" , v: {w: x} }\n'
    ),
    "a '#' in an anchored value, then flows": (
        '- {a: &x "#1", b: [*x, [y]], c: {d: *x}}\n- {e: "#2", <<: {f: [g]}}\n'
    ),
}
SUPPORTED.update(HASH_BEFORE_FLOWS)


@pytest.mark.parametrize("text", SUPPORTED.values(), ids=SUPPORTED.keys())
def test_plain_yaml_takes_the_fast_path_with_identical_results(text: str) -> None:
    assert _differences(text) == []


@pytest.mark.parametrize("text", HASH_BEFORE_FLOWS.values(), ids=HASH_BEFORE_FLOWS.keys())
def test_flows_after_a_quoted_hash_are_located_without_the_exact_path(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A '#' inside a quoted value before a flow collection on its line is no comment: the
    flow's bracket is found in the text, not by parsing the file again on the exact path."""
    fast = fastyaml.parse(text, "f.yaml", LIMITS)
    assert fast is not None
    exact = parse_text(text, "f.yaml", LIMITS)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again on the exact path")

    monkeypatch.setattr("socialgov.source.events.parse_text", refused)
    for got, want in zip(fast.documents, exact.documents, strict=True):
        for path in _every_path(want.data):
            assert got.source_map.locate(path) == want.source_map.locate(path), path


DUPLICATES = {
    "a key twice": "a: 1\na: 2\n",
    "a key three times, the first at the end": "a: 1\nb: 2\na: [x]\nc: 3\na: {y: 4}\n",
    "quoted and plain, one key": "'a': 1\n\"b\": 2\na: 3\nb: 4\n",
    "deep, in lists and flows": (
        "x:\n  - a: 1\n    b: {p: 1, p: ~}\n    a: [q, {r: 1, r: 2}]\n  - s\nx: 1\n"
    ),
    "in several documents": "a: 1\na: 2\n---\n- b: 1\n  b: True\n---\nc: 1\n",
    "past ASCII": 'é: 1\nnaïve: [{ü: 1, "ü": 2}]\né: 3\n',
    "beside a merge": "a: &x {k: 1}\nb:\n  <<: *x\n  c: 1\n  c: 2\n",
    "a merged key written twice": "a: &x {k: 1, k: 2}\nb:\n  <<: *x\n  k: 3\nc: {<<: *x}\n",
    "an alias written twice": "a: &x 1\nb: *x\nb: *x\nc: [*x]\n",
    "a quoted merge key twice": "'<<': 1\n'<<': 2\n",
    "beside lookalikes": "a: ~\nb: 0x1F\na: .inf\n",
    "with text blocks": "a: |\n  one\nb: x\na: >-\n  two\n",
    "windows line ends": "a: 1\r\nb:\r\n  c: 1\r\n  c: 2\r\n",
}


@pytest.mark.parametrize("text", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_duplicate_keys_take_the_fast_path_with_the_exact_paths_findings(text: str) -> None:
    """A key written twice is reported (SG102) on the fast path as on the exact one: the same
    message, position and key, the last value kept in the first key's place."""
    assert _differences(text) == []
    parsed = fastyaml.parse(text, "f.yaml", LIMITS)
    assert parsed is not None
    assert {finding.code for finding in parsed.findings} == {"SG102"}


DECLINED = {
    "alias before its anchor": "a: *x\nb: &x 1\n",
    "alias inside its anchor": "- &a\n  - 1\n  - *a\n",
    "an empty quoted key twice": "'': 1\n'': 2\n",
    "alias to another document": "a: &x 1\n---\nb: *x\n",
    "merge of a scalar": "a: &x 1\nb:\n  <<: *x\n",
    "anchor on a key": "&k a: 1\n",
    "a line indented past a flow item": 'owner:\n- {}\n  - "a \\nb: c"\n',
    "an anchor alone on its line": "a: >-\n x\n&owner\n",
    "an anchor without a name": "a:\n & x\n",
    "an anchor name libyaml refuses": "a: &x.y 1\nb: *x.y\n",
    "an anchor named past ASCII": "a: &café 1\nb: *café\n",
    "tag": "a: !!str 1\n",
    "a text block last, without a final line break": "a: |\n  text",
    "a text block last past ASCII, without a final line break": "a: |\n  é\nb: |\n  ü",
    "a text block last, a comment after it": "a: |\n  text\n# end",
    "a text block with a comment, last": "a: |+\nb: > #\n  x",
    "a text block after a quoted key, with a comment, last": "a: >  # x\n  y\n'b': >  # z\n  w",
    "a text block alone on its line, last": "a:\n  |\n  text\nb: 1\nc:\n  >\n  more",
    "more after a text block's header": "a: |1> x\n  text\n",
    "a dash in a text block header's comment": "- >  # a - b\n   x\n- y\n",
    "a plus in a comment right after a header": "a: >1#+\n   x\n\n   y\n\n",
    # a text block with an anchor: rapidyaml read its header's comment (a - b) as indicators,
    # took more after the header, and ended it with a line break where the file did not
    "an anchored text block with a dash in its comment": "a: &x > # a - b\n  text\nb: *x\n",
    "an anchored text block, more after its header": "a: &x |1 x\n  text\n",
    "an anchored text block last, without a final line break": "a: |\n  x\nb: &a |\n  text",
    # an anchor, then a list's dash or a closing bracket on its line: libyaml refuses them,
    # rapidyaml read a list and the text '}'
    "an anchor, then a dash": "- &x - a\n",
    "an anchor, then a dash, nested": "- - &x - 1\n",
    "an anchor, then a closing brace": "owner: &a1  }\nb: 1\n",
    "an anchor, then a closing bracket": "a: &x ]\n",
    "an anchor, then a closing bracket, no space": "a: &x]\nb:\n  &y}\n",
    "an anchor, then a reserved indicator": "'owner' : &b @handle\nb: [&c `x`]\n",
    "an alias, then a dash": "- &x 1\n- *x - a\n",
    "an anchor, then a percent sign in a flow": "a: [b, &x %y]\n",
    "an anchor, then a key indicator in a flow": "a: [&x ? b]\n",
    # in a flow, libyaml reads ':' after an anchor as a value indicator (an empty key, or a
    # mapping it then refuses to close); rapidyaml read the text ':alse'
    "an anchor, then a colon in a flow mapping": 'a: { "null3": &null :alse }\n',
    "an anchor, then a colon in a flow sequence": "x: [&a :b]\n",
    "indentation indicator and a blank line of spaces": "a: |1\n  \n",
    "more after a single-quoted value": "- 'it''s' x\n",
    "empty document": "---\n---\na: 1\n",
    "scalar document": "a: 1\n---\ntext\n",
    "content after an end marker": "a: 1\n...\nb: 2\n",
    "content after an end marker and its comment": "a: 1\n... # accounts end\n\nb: 2\n",
    "content after an end marker and a space": "a: 1\n... \nb: 2\n",
    "more on an end marker's line": "a: 1\n... x\n",
    "a lone carriage return": "a: 1\rb: 2\n",
    "a lone carriage return before a windows line end": "a: 1\r\r\nb: 2\r\n",
    "a lone carriage return after a windows line end": "a: 1\r\n\rb: 2\r\n",
    "a lone carriage return, last": "a: 1\r\nb: 2\r",
    "content after a marker": "--- a: 1\n",
    "directive": "%YAML 1.2\n---\na: 1\n",
    "complex key": "? a\n: 1\n",
    "tab": "a:\t1\n",
    "escape rapidyaml reads otherwise": 'a: "x\\0y"\n',
    "a surrogate pair": 'a: "\\ud83d\\ude00"\n',
    "a backslash in a plain value": "a: C:\\temp\n",
    "reserved indicator": "a: @x\n",
    "flow key": "[a]: 1\n",
    "flow over lines": "a: [one,\n  two]\n",
    "more after a flow": "- [a, b] - c\n",
    "dash after key": "a: - x\n",
    "closing bracket starts a value": "a: }x\n",
    "empty key": ": 1\n",
    "flow item starting with a colon": "a: [:a: b]\n",
    "flow item ending with a colon": "- [a:, b]\n",
    "quoted key over two lines": "k:\n  '\n k':\n",
    "flow value starting with a colon": "- {a: :1}\n",
    "more after a quoted value": '- "x" -\n- x\n',
    "syntax error": "a: b: c\n",
    "a comment hiding the end of a flow mapping after a quote": "p: {b: 'k', x: 2 # c}\nu: 1\n",
    "a comment hiding the end of a flow list after a quote": 'p: ["k", {x: ~ # c}]\nu: 1\n',
    "a comment hiding the end of a flow mapping": "r: {y: [1], x: 2 # c}\nu: 1\n",
    "a comment hiding the end of nested flows": "r: {x: 1, n: [{y: [1], x: ~ # c}, 2]}\nu: 1\n",
    "a comment hiding the end of a flow after a quoted ' #'": (
        "a: 'x'\np: {b: \"k # j\", x: 2 # c}\nu: 1\n"
    ),
    "a comment hiding the end of a flow on the last line": 'u: 1\np: ["k", 1 # c]',
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "only a comment": "# nothing\n",
    "a scalar document": "just text\n",
    "byte order mark inside": "a: \ufeff1\n",
    "next line character": "a: x\x85y\n",
    # What YAML does not allow past ASCII, or reads as a line break: one RE2 pass of the UTF-8
    "a line separator": "a: x\u2028y\n",
    "a paragraph separator": "a: é\u2029\n",
    "a C1 control character, first": "a: \x80é\n",
    "a C1 control character, last": "a: é\x9f\n",
    "not a character (U+FFFE)": "- é\n- \ufffe\n",
    "not a character (U+FFFF)": "a: 'é\uffff'\n",
    "a next line character in a comment": "a: é # x\x85y\n",
    "a byte order mark in a comment": "# é\ufeff\na: 1\n",
    "a control character in a comment past ASCII": "a: é # x\x01y\n",
    # libyaml refuses a control character in a comment too (the scan reads no comment)
    "a control character in a comment": "a: 1 # x\x01y\n",
    "a delete character in a comment": "# x\x7f\na: 1\n",
    "an escape character in a comment of a list": "- 1\n# \x1b[0m\n- 2\n",
    "a control character in the second comment": "a: 1 # x\nb: 2 # \x0c\n",
    # ... and in what the scan reads masked: a comment after a quoted value, a quoted value,
    # a text block (all ASCII)
    "a control character in a comment after a single-quoted value": "name: 'T2' # \x01\n",
    "a control character in a comment after a double-quoted value": 'a: "q" # \x1f\n',
    "a backspace in a single-quoted value": "name: 'T\x083'\n",
    "a delete character in a text block": "a: |\n  T\x7f4\n",
    "a form feed in a quoted value holding a '#'": "- 'a # \x0c'\n",
    "a delete character in a text past ASCII": "a: é\x7f\n",
    # libyaml refuses a key more than 1024 characters long; rapidyaml read it
    "a key of 1025 characters": "k" * 1024 + "é: 1\n",
    "a quoted key of 1025 characters": "- '" + "k" * 1023 + "': 1\n",
    "a long key in a flow mapping": "a: {" + "k" * 1025 + ": 1}\n",
    "a long quoted key in a flow, as JSON is written": 'a: {"' + "k" * 1100 + '":1}\n',
    # rapidyaml 0.15 takes time quadratic in a run of spaces inside a plain value
    "a run of spaces inside a plain value": "a: b" + " " * 1100 + "x\n",
    "a run of spaces inside a plain item": "- b" + " " * 5000 + "x\n- c\n",
    # rapidyaml 0.15 reads a line indented past a one-line item of a list written at its key's
    # indentation, under a key, as a key of the mapping above with its spaces; libyaml refuses
    "a line deeper than a flow mapping item": "a:\n  kpis:\n  - {name: reach}\n    topic: S\n",
    "a line deeper than a flow list item": "a:\n  k:\n  - [r]\n    t: S\n",
    "a line deeper than a quoted item": "a:\n  k:\n  - 'r'\n    t: S\n  z: 1\n",
    "a line one space deeper than a flow item": "a:\n  k:\n  - {n: r}\n   t: S\n",
    "a line deeper than an item, in a walked file": 'a:\n  k:\n  - "r"\n    t: S\nb: ~\n',
    "a line deeper than an item, in a file with words": "a:\n  k:\n  - [r]\n    t: True\n",
}


@pytest.mark.parametrize("text", DECLINED.values(), ids=DECLINED.keys())
def test_what_only_the_exact_path_can_tell_is_left_to_it(text: str) -> None:
    assert fastyaml.parse(text, "f.yaml", LIMITS) is None


@pytest.mark.parametrize(
    "flow",
    [
        "[[[[[[[1]]]]]]]",
        "[[[[[[[]]]]]]]",
        "[[[[[[{}]]]]]]",
        "[1, [[[[[[x]]]]]]]",
        "[[], [[[[[[]]]]]]]",
        "{a: [[[[[{b: 1, c: [], d: 2, e: 3, f: 4, g: 5}]]]]]}",
        "[[[[[[[]]]]], [[[[[[[]]]]]]]]]",
        "[[[[[[[{}], x, [y]]]]]]]",
    ],
)
def test_the_depth_of_flows_in_flows_is_the_exact_paths(flow: str) -> None:
    # A flow inside a flow nests on one line: its depth is counted in the data (_height), and
    # a file within _MARGIN levels of the limit is left to the exact path, to report it
    text = f"k: {flow}\nother: [x]\n"
    depth = 1
    while parse_text(text, "f.yaml", {**LIMITS, "max_depth": depth}).findings:
        depth += 1  # the least limit the exact path takes it within: its depth
    assert depth >= 8 and parse_text(text, "f.yaml", {**LIMITS, "max_depth": depth - 1}).findings
    assert _differences(text, {**LIMITS, "max_depth": depth + 2}) == []
    assert fastyaml.parse(text, "f.yaml", {**LIMITS, "max_depth": depth + 1}) is None
    aliased = f"a: &a {flow}\nb: [*a, [*a]]\n"  # two levels deeper, through an alias
    assert fastyaml.parse(aliased, "f.yaml", {**LIMITS, "max_depth": depth + 3}) is None
    assert _differences(aliased, {**LIMITS, "max_depth": depth + 4}) == []


def test_limits_near_the_edge_are_left_to_the_exact_path() -> None:
    deep = "".join(" " * i + f"k{i}:\n" for i in range(70)) + " " * 70 + "v: 1\n"
    assert fastyaml.parse(deep, "f.yaml", LIMITS) is None
    assert parse_text(deep, "f.yaml", LIMITS).findings  # the exact path reports the depth
    long_value = "a: " + "x" * 50 + "\n"
    small = {**LIMITS, "max_scalar_chars": 20}
    assert fastyaml.parse(long_value, "f.yaml", small) is None
    assert fastyaml.parse("a: {b: [c]}\n", "f.yaml", {**LIMITS, "max_depth": 8}) is None
    flows = "a: " + "[" * 30 + "1" + "]" * 30 + "\n"  # 31 levels on one line
    assert fastyaml.parse(flows, "f.yaml", {**LIMITS, "max_depth": 32}) is None
    assert parse_text(flows, "f.yaml", {**LIMITS, "max_depth": 30}).findings
    assert _differences(flows) == []
    bomb = "a: &a [1, 1]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"  # 61 nodes
    assert fastyaml.parse(bomb, "f.yaml", {**LIMITS, "max_nodes_per_file": 20}) is None
    assert _differences(bomb) == []
    deep = "a: &a\n  - - - - 1\n" + "".join(  # 21 levels through aliases, 5 as written
        f"{name}: &{name}\n  - - - - *{previous}\n"
        for previous, name in zip("abcd", "bcde", strict=True)
    )
    assert fastyaml.parse(deep, "f.yaml", {**LIMITS, "max_depth": 22}) is None
    assert parse_text(deep, "f.yaml", {**LIMITS, "max_depth": 20}).findings
    assert _differences(deep) == []
    assert parse_text(bomb, "f.yaml", {**LIMITS, "max_nodes_per_file": 20}).findings
    many = "".join(f"k{i}: {i}\n" for i in range(50))
    assert fastyaml.parse(many, "f.yaml", {**LIMITS, "max_nodes_per_file": 100}) is None
    assert fastyaml.parse(many, "f.yaml", LIMITS) is not None


MORE = "".join(f"b{i}: 1\n" for i in range(10))


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("a: " + "x" * 21 + "\n" + MORE, False),  # a value over the limit
        ("k" * 21 + ": 1\n" + MORE, False),  # a key over it, its value short
        ("- [a, " + "y" * 21 + "]\n" + "- b\n" * 10, False),  # in a flow
        ("a: |\n  " + "z" * 10 + "\n  " + "z" * 10 + "\nb: 1\n", False),  # a block's lines
        ("a: " + "é" * 20 + "\n" + MORE, True),  # 20 characters, 40 bytes
        ("a: x\n" + "b: " + "y" * 20 + "\n" * 3, True),  # at the limit
        ("a: " + "w " * 11 + "\n" + MORE, False),  # 21 characters with the spaces
        ("a: " + "w\n   " * 10 + "w\nb: 1\n", False),  # 21 characters folded over lines
        ("a: " + "w\n   " * 9 + "w\n" + MORE, True),  # 19, written in 56 bytes
    ],
)
def test_the_longest_string_is_told_in_characters(text: str, taken: bool) -> None:
    # A file longer than max_scalar_chars may hold a string longer than it: the most bytes
    # rapidyaml holds for a key or value tells when none can be (_longest_written), else each
    # string's characters are counted in the data
    small = {**LIMITS, "max_scalar_chars": 20}
    assert len(text) > 20
    if taken:
        assert _differences(text, small) == []
    else:
        assert fastyaml.parse(text, "f.yaml", small) is None
        assert parse_text(text, "f.yaml", small).findings


@pytest.mark.parametrize(
    "line",
    ["# " + "'" * 200_000, "#" + " '" * 100_000 + " x", "c: 1 " + "# '" * 50_000],
    ids=["quotes", "spaced quotes", "hashes and quotes"],
)
def test_hostile_comments_are_scanned_in_linear_time(line: str) -> None:
    """A comment of a hundred thousand quotes once took minutes (a regular expression that
    backtracked); it must parse like any file, the same on both paths."""
    assert _differences(f"a: 1\n{line}\nb: 2\n") == []


def test_rapidyaml_errors_print_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    assert fastyaml.parse("a: b: c\n", "f.yaml", LIMITS) is None
    assert fastyaml.parse("a:\n  b: 1\n c: 2\n", "f.yaml", LIMITS) is None
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_quiet_silences_stderr_once_for_nested_uses_and_gives_it_back(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with fastyaml.quiet():
        with fastyaml.quiet():
            assert fastyaml.parse("a: b: c\n", "f.yaml", LIMITS) is None
        os.write(2, b"inside\n")  # still silenced: the outer use has not ended
        assert fastyaml.parse("a:\n  b: 1\n c: 2\n", "f.yaml", LIMITS) is None
    os.write(2, b"after\n")
    assert capfd.readouterr() == ("", "after\n")


def test_exact_parser_environment_variable_turns_the_fast_path_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    assert fastyaml.enabled()
    assert type(load_file(tmp_path, "a.yaml").documents[0].source_map) is fastyaml.RymlSourceMap
    monkeypatch.setenv(fastyaml.EXACT_ENV, "1")
    assert not fastyaml.enabled()
    assert type(load_file(tmp_path, "a.yaml").documents[0].source_map) is not (
        fastyaml.RymlSourceMap
    )


def test_each_parse_counts_its_own_keys() -> None:
    """The decoder (one a thread) counts each file's keys afresh: after a file whose JSON was
    decoded, or one whose decoding stopped at a key written twice, the next file's node count
    is the exact path's."""
    many = "a: 1\nb: 2\nc: {d: 3, e: 4}\n"
    twice = "a: 1\nb: {c: 2, c: 3}\n"
    few = "---\nx: 1\n---\n- y\n"
    for text in (many, twice, few, many, few):
        fast = fastyaml.parse(text, "f.yaml", LIMITS)
        assert fast is not None
        assert fast.nodes == parse_text(text, "f.yaml", LIMITS).nodes


def test_threads_parsing_at_once_each_count_their_own_keys() -> None:
    """Threads parsing at once (the language server, a library caller) each count their own
    file's keys: a decoder shared by threads would add one file's keys to another's count,
    and the per-file node limit is judged on that count; and each reads its own file's JSON
    (rapidyaml writes it into a buffer a thread keeps)."""
    import sys
    import threading

    texts = [
        "a: 1\nb: 2\nc: {d: 3, e: 4}\n",
        "x: 1\n",
        "---\nk: {l: {m: {n: 1}}}\n---\n- y\n",
        "".join(f"key{i}: {{a: {i}, b: {i}}}\n" for i in range(40)),
    ]
    exact = [parse_text(text, "f.yaml", LIMITS) for text in texts]
    want = [parsed.nodes for parsed in exact]
    data = [parsed.documents[-1].data for parsed in exact]
    wrong: list[tuple[int, int]] = []
    start = threading.Barrier(6)

    def parse_many(offset: int) -> None:
        start.wait()
        for turn in range(400):
            index = (offset + turn) % len(texts)
            fast = fastyaml.parse(texts[index], "f.yaml", LIMITS)
            if fast is None or fast.nodes != want[index]:
                wrong.append((index, -1 if fast is None else fast.nodes))
            elif not _same(fast.documents[-1].data, data[index]):  # each its own JSON
                wrong.append((index, -2))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can
    try:
        threads = [threading.Thread(target=parse_many, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []


def test_json_of_any_length_is_read_whole_and_alone() -> None:
    """rapidyaml writes each file's JSON into a buffer a thread keeps from file to file: a file
    whose JSON is longer than the buffer has it written whole (into a longer buffer, kept, or
    past a megabyte one of its own), and a file after a longer one reads its own JSON only."""

    def inventory(count: int) -> str:
        return "".join(
            f"- id: acct-{i}\n  handle: '@team{i}'\n  tags: [press, True, {i}]\n  note: null\n"
            for i in range(count)
        )

    for count in (2, 3_000, 1, 25_000, 4, 3_000, 1):
        text = inventory(count)
        fast = fastyaml.parse(text, "f.yaml", LIMITS)
        assert fast is not None
        want = [
            {"id": f"acct-{i}", "handle": f"@team{i}", "tags": ["press", True, i], "note": None}
            for i in range(count)
        ]
        assert _same(fast.documents[0].data, want)
        assert fast.nodes == 1 + 12 * count  # the list; an item: its mapping, 4 keys, 7 values


def test_a_file_read_with_a_byte_order_mark_is_placed_as_its_text(tmp_path: Path) -> None:
    """The fast path is given the file's bytes as its text's UTF-8 only when they are (no
    byte order mark): positions are counted in the text, not in the bytes."""
    from socialgov.speedups.cache import read_and_parse_fast

    text = '# ünïcode\nname: Zoë\nlist:\n  - "a"\n  - b\n---\nother: [1, 2]\n'
    for name, raw in (
        ("plain.yaml", text.encode()),
        ("bom8.yaml", b"\xef\xbb\xbf" + text.encode()),
        ("bom16.yaml", text.encode("utf-16")),
    ):
        (tmp_path / name).write_bytes(raw)
        outcome = read_and_parse_fast(tmp_path, name, LIMITS)
        assert outcome is not None
        assert outcome[0] == raw
        exact = parse_text(text, name, LIMITS)
        for got, want in zip(outcome[1].documents, exact.documents, strict=True):
            assert _document_differences(got, want) == []


def test_an_ascii_file_is_parsed_from_its_bytes_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ASCII file's bytes are its text, character for character: the fast path reads them
    without a decoded copy (a file past ASCII is still decoded, and checked), and tells the
    same blank texts (white space as ``str.isspace`` has it) from the others."""
    from socialgov.source import reading
    from socialgov.speedups.cache import read_and_parse_fast

    text = "# ascii\nname: Zoe\nlist:\n  - 'a'\n  - b\n---\nother: [1, 2]\n"
    decoded: list[bytes] = []
    decode = reading.decode
    monkeypatch.setattr(reading, "decode", lambda raw: decoded.append(raw) or decode(raw))
    for name, raw in (
        ("ascii.yaml", text.encode()),
        ("utf8.yaml", text.encode() + b"z: \xc3\xab\n"),
    ):
        (tmp_path / name).write_bytes(raw)
        outcome = read_and_parse_fast(tmp_path, name, LIMITS)
        assert outcome is not None and outcome[0] == raw
        exact = parse_text(raw.decode(), name, LIMITS)
        for got, want in zip(outcome[1].documents, exact.documents, strict=True):
            assert _document_differences(got, want) == []
    assert decoded == [text.encode() + b"z: \xc3\xab\n"]  # the ASCII file was not decoded
    for blank in ("", " ", "\n\n", " \t\r\n\x0b\x0c", "\x1c\x1d\x1e\x1f \n", "\x1f"):
        assert fastyaml.parse(None, "b.yaml", LIMITS, blank.encode()) is None
        assert fastyaml.parse(blank, "b.yaml", LIMITS, blank.encode()) is None
    for small in ("a: 1\n", " a: [b]", "\n- x\n"):
        by_bytes = fastyaml.parse(None, "s.yaml", LIMITS, small.encode())
        by_text = fastyaml.parse(small, "s.yaml", LIMITS, small.encode())
        assert by_bytes is not None and by_text is not None
        assert [d.data for d in by_bytes.documents] == [d.data for d in by_text.documents]


@pytest.mark.parametrize("anchors", [False, True], ids=["plain", "anchors and merge keys"])
def test_a_fast_parse_survives_pickling_for_the_cache(anchors: bool) -> None:
    text = SUPPORTED["comments everywhere"] + SUPPORTED["unicode"].replace("name", "other")
    if anchors:
        text += "anchor: &p {x: 1, y: 2}\nmerged:\n  y: 3\n  <<: *p\nalias: *p\n"
    parsed = fastyaml.parse(text, "f.yaml", LIMITS)
    assert parsed is not None
    again: ParsedFile = pickle.loads(dumps(parsed))
    exact = parse_text(text, "f.yaml", LIMITS).documents[0]
    for path in _every_path(exact.data):
        for key in (False, True):
            assert again.documents[0].locate(path, key=key) == exact.locate(path, key=key)
    fresh: ParsedFile = pickle.loads(dumps(parsed))  # a finding's place asked first
    for path in _every_path(exact.data):
        where = exact.locate(path)
        for split in range(len(path) + 1):
            got = fresh.documents[0].source_map.place(path[:split], path[split:])
            assert got == (where.line, where.column), (path, split)
    assert _same(again.documents[0].data, exact.data)


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_positions_after_the_tree_is_let_go_are_the_same(name: str) -> None:
    text = SUPPORTED[name]
    parsed = fastyaml.parse(text, "f.yaml", LIMITS)
    assert parsed is not None
    exact = parse_text(text, "f.yaml", LIMITS)
    for got, want in zip(parsed.documents, exact.documents, strict=True):
        paths = _every_path(want.data)
        before = [got.locate(path, key=key) for path in paths for key in (False, True)]
        got.source_map.release()
        assert got.source_map._file._nodes is None  # type: ignore[attr-defined]
        after = [got.locate(path, key=key) for path in paths for key in (False, True)]
        assert after == before == [want.locate(p, key=k) for p in paths for k in (False, True)]
        got.source_map.release()  # a finding's place asked first after it
        placed = [got.source_map.place(path, ()) for path in paths]
        assert placed == [(want.locate(p).line, want.locate(p).column) for p in paths]
        got.source_map.release()  # and again, once more after being parsed again
        assert [got.locate(path) for path in paths] == [want.locate(path) for path in paths]
    exact.documents[0].source_map.release()  # the exact path's positions hold nothing else


def test_positions_let_go_for_good_take_the_text_and_are_not_asked_again() -> None:
    """``release(for_good=True)`` (the audit's, once it read its lines): the text goes with
    the positions, and a position asked after says so rather than parse nothing."""
    parsed = fastyaml.parse("accounts:\n  - {id: a, platform: x}\n", "f.yaml", LIMITS)
    assert parsed is not None
    document = parsed.documents[0]
    assert document.locate(("accounts", 0, "platform")) == Position(2, 23)
    document.source_map.release(for_good=True)
    file = document.source_map._file  # type: ignore[attr-defined]
    assert file._nodes is None and file._raw is None and file._buffer is None
    with pytest.raises(RuntimeError, match=r"f\.yaml: a position asked after its file was let go"):
        document.locate(("accounts", 0))
    document.source_map.release(for_good=True)  # again: nothing left to let go


def test_files_let_go_once_each_but_those_kept() -> None:
    """``loader.release_files``: each file once (its documents follow one another), but the
    files whose first document is kept; it answers each file's first document, in order (what
    a second pass lets go of without going through every entity again)."""
    from socialgov.source.loader import release_files

    texts = {"a.yaml": "kind: Team\nid: a\n---\nkind: Team\nid: b\n", "b.yaml": "x: 1\n"}
    parsed = {path: fastyaml.parse(text, path, LIMITS) for path, text in texts.items()}
    a, b = (parsed[path] for path in texts)
    assert a is not None and b is not None
    documents = [a.documents[0], a.documents[0], a.documents[1], b.documents[0]]
    for document in documents:
        document.locate(())  # each file's positions worked out
    files = release_files(documents, lambda document: document.path == "b.yaml")
    assert files == [a.documents[0], b.documents[0]]
    assert a.documents[0].source_map._file._nodes is None  # type: ignore[attr-defined]
    assert b.documents[0].source_map._file._nodes is not None  # type: ignore[attr-defined]
    assert release_files(files, for_good=True) == files
    with pytest.raises(RuntimeError, match="let go for good"):
        b.documents[0].locate(())


ANCHORED = sorted(name for name, text in SUPPORTED.items() if "&" in text)
WALKED = {
    "an anchor defined again",  # which one an alias names depends on where each ends
    "an anchor defined again inside itself",
    "anchors beside plain lookalikes",  # rapidyaml's JSON writes ~ and 010 as strings
    "anchored plain lookalikes",
    "anchored capitalised words",  # an anchored value is left as written, for the walk
    "an anchored capitalised word beside a plain one",
    "anchored lookalikes in a flow list",
    "an anchored nan",
    "a lookalike right after a quoted key's colon",
    "plain lookalikes",
    "a quoted merge key beside a merge key",  # two keys "<<" in rapidyaml's JSON
    "a merge key twice: both merged, no duplicate",
}


class _Refused:
    def __init__(self, *args: Any) -> None:
        raise fastyaml._Unsupported


@pytest.mark.parametrize("name", ANCHORED)
def test_anchors_resolved_in_the_json_data_and_by_the_walk_are_the_same(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with anchors, aliases or merge keys is built from rapidyaml's JSON with its
    aliases resolved in the data; the walk takes what that cannot tell. Each way, alone, gives
    the exact path's data, node count and every position (or, for the walk's cases, leaves it
    to the walk)."""
    text = SUPPORTED[name]
    with monkeypatch.context() as alone:
        alone.setattr(fastyaml, "_Walker", _Refused)
        assert _differences(text) == ([] if name not in WALKED else None)
    with monkeypatch.context() as alone:
        alone.setattr(fastyaml, "_Aliases", _Refused)
        assert _differences(text) == []


def test_rapidyamls_nodes_are_read_without_keeping_its_tree() -> None:
    # the layout of rapidyaml's nodes is checked once against its own answers; should a new
    # rapidyaml lay them out otherwise, its trees are kept instead (slower to locate, more
    # memory): this test says so
    assert fastyaml._columns_read_rapidyaml()
    parsed = fastyaml.parse(SUPPORTED["anchors and aliases"], "f.yaml", LIMITS)
    assert parsed is not None
    kept = parsed.documents[0].source_map._file  # type: ignore[attr-defined]
    assert type(kept._nodes).__name__ == "_Columns"
    # read as columns only while the tree's nodes are its first ones: none removed while parsing
    import ryml

    tree, text = ryml.Tree(), bytearray(b"a: 1\nb: [c, d]\ne: f\n")  # the tree points into it
    ryml.parse_in_place(text, tree)
    assert fastyaml._numbered_in_order(tree, tree.size())
    size, view = fastyaml._node_view(tree)  # the head read once a parse: the same answer
    assert size == tree.size() and view is not None and len(view) == 8 * fastyaml._WORDS * size
    tree.remove(tree.find_child(tree.root_id(), b"b"))
    assert not fastyaml._numbered_in_order(tree, tree.size())
    assert fastyaml._node_view(tree) == (tree.size(), None)
    assert type(fastyaml._nodes(tree, text)) is fastyaml._TreeNodes


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_positions_are_the_same_however_the_keys_are_read(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the data (a fresh parse), from the parse buffer (a parse read back from the cache,
    without its data), and from rapidyaml's tree itself (a rapidyaml whose nodes are laid out
    otherwise): the exact path's positions every time."""
    text = SUPPORTED[name]
    exact = parse_text(text, "f.yaml", LIMITS)
    fresh = fastyaml.parse(text, "f.yaml", LIMITS)
    assert fresh is not None
    cached: ParsedFile = pickle.loads(dumps(fresh))
    monkeypatch.setattr(fastyaml, "_columns_read_rapidyaml", lambda: False)
    tree = fastyaml.parse(text, "f.yaml", LIMITS)
    assert tree is not None
    assert type(tree.documents[0].source_map._file._nodes).__name__ == "_TreeNodes"  # type: ignore[attr-defined]
    assert tree.nodes == exact.nodes  # the keys counted in rapidyaml's tree itself
    for parsed in (fresh, cached, tree):
        for got, want in zip(parsed.documents, exact.documents, strict=True):
            assert _document_differences(got, want) == []


@pytest.mark.parametrize(
    "written",
    ['{\n  "a": [1, "b"]\n}\n', "[1]", " [1]\n", "[1]\n\n", "[1] [2]\n", '"a"\n', "", "[1]\t\r\n"],
)
def test_rapidyaml_s_json_is_decoded_as_the_decoder_decodes_it(written: str) -> None:
    """_decode asks the decoder's scanner for the one value rapidyaml writes and the line break
    after it; any other text is decoded whole: the same value, or the same error."""
    decoder = json.JSONDecoder(parse_constant=fastyaml._refuse)
    try:
        want: object = decoder.decode(written)
    except json.JSONDecodeError as error:
        with pytest.raises(json.JSONDecodeError, match=re.escape(error.msg)):
            fastyaml._decode(written)
    else:
        assert fastyaml._decode(written) == want


def test_trees_are_made_without_the_wrappers_init() -> None:
    """fastyaml makes rapidyaml's trees without SWIG's __init__ (which formats and drops an
    AttributeError first): a tree it owns, freed with its wrapper, that parses."""
    assert fastyaml._tree is fastyaml._tree_made
    tree = fastyaml._tree()
    assert tree.thisown
    buffer = bytearray(b"a: [1, 2]\n")
    fastyaml._parse_in_place(buffer, fastyaml._handle(tree))
    assert fastyaml._tree_size(fastyaml._handle(tree)) == 4  # the mapping, its list, 1, 2
    assert json.loads(bytes(fastyaml._json(fastyaml._handle(tree)))) == {"a": [1, 2]}


def test_the_values_of_json_data_are_counted_in_c_as_in_python() -> None:
    """A key written twice is told by counting the data's values (gc.get_referents a level at a
    time, not a decoder's hook a mapping): CPython's mappings of string keys give their values
    only, checked when imported, and the count is the one walked in Python."""
    assert fastyaml._COUNTS_VALUES
    rng = random.Random(18)

    def value(depth: int) -> object:
        kind = rng.random() if depth < 5 else 0.0
        if kind < 0.4:
            return rng.choice(["x", "", 1, 2.5, True, None, "True", 10**30])
        if kind < 0.7:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {f"k{index}": value(depth + 1) for index in range(rng.randrange(4))}

    for _ in range(300):
        data = json.loads(json.dumps(value(0)))
        assert fastyaml._values(data) == fastyaml._values_walked(data), data
    # a key written twice keeps one value, and nothing of the other
    assert fastyaml._values(json.loads('{"a": {"b": [1, 2]}, "a": 3}')) == 1


def test_each_file_is_kept_once_unless_parsing_rewrote_it() -> None:
    text = SUPPORTED["comments everywhere"]
    parsed = fastyaml.parse(text, "f.yaml", LIMITS)
    assert parsed is not None
    kept = parsed.documents[0].source_map._file  # type: ignore[attr-defined]
    assert kept._raw is None  # the parse buffer is the text
    assert kept.raw == text.encode()
    # rapidyaml joins a scalar's lines in place: the text as written is kept beside it
    text = SUPPORTED["plain scalar over lines"]
    parsed = fastyaml.parse(text, "f.yaml", LIMITS)
    assert parsed is not None
    kept = parsed.documents[0].source_map._file  # type: ignore[attr-defined]
    assert kept._raw == text.encode()
    assert kept._buffer is None  # its keys are read from the data
    assert parsed.documents[0].locate(("c", 0)) == Position(5, 5)


def _lint_json(root: Path) -> list[dict[str, Any]]:
    result = lint(load_config(root).with_overrides(as_of=AS_OF))
    return [
        {
            "code": f.code,
            "path": f.path,
            "line": f.line,
            "column": f.column,
            "message": f.message,
            "entity": f.entity,
            "fingerprint": f.fingerprint,
        }
        for f in result.findings
    ]


@pytest.mark.parametrize("name", ["acme", "northwind", "generated"])
def test_lint_reports_the_same_findings_on_both_paths(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if name == "generated":
        root = generated(tmp_path / name, 1500)
    else:
        root = tmp_path / name
        shutil.copytree(
            ACME if name == "acme" else NORTHWIND, root, ignore=shutil.ignore_patterns(CACHE_DIR)
        )
    fast = _lint_json(root)
    monkeypatch.setenv(fastyaml.EXACT_ENV, "1")
    exact = _lint_json(root)
    assert fast == exact
    assert len(fast) > 10


# --------------------------------------------------------------------------- generated YAML

_SCALARS = [
    "a", "b c", "'q'", '"dq"', "1", "-2", "1.5", "true", "false", "null", "", "x: y", "'it''s'",
    "été", "http://x.y/z", "2026-01-02", "a#b", "a #c", "[1, 2]", "{k: v}", "[]", "{}",
    "'multi\n  line'", "plain\n  more", "-", "- x", ":", "?", "'", '"', "[", "{", "}", "]", ",",
    "#c", "a,b", "@x", "`x", "%x", "'1'", "x:", "k: v: w", "yes", "1e3", ".5", "0o7", "'a: b'",
    '"a # b"', "a:b", "[a,\n  b]", "{a: 1,\n  b: 2}", "'x'y", '"x" y', "a'b", "[a, b]c", "x ]",
    "- ", "a  b", "x ", "[a, [b]]", "{a: {b: 1}}", "[a: b]", "{a, b}", "[a,]", "{a: 1,}",
    "a\n\n  b", "''", '""', "~", "True", "0x1F", "012", "+1", "1_0", ".inf", "1.", "- - x",
]  # fmt: skip
_KEYS = [
    "a", "b", "key", "'q k'", '"d"', "1", "x y", "-k", "k#", "'a: b'", '"x#y"', "é", "true",
    "null", "~", "[a]", "{a: 1}", "''", "a b ", "'a\n b'", "a\n b", '"x\n  y"',
]  # fmt: skip


def _render(rng: random.Random, depth: int, indent: int) -> str | None:
    """A random block of YAML (or None for a scalar), from valid and invalid pieces."""
    pad = " " * indent
    kind = rng.random()
    if depth > 3 or kind < 0.3:
        return None
    lines = []
    for _ in range(rng.randint(0, 4)):
        sub = _render(rng, depth + 1, indent + rng.choice([1, 2, 4] if kind < 0.65 else [2]))
        if kind < 0.65:
            key = rng.choice(_KEYS)
            if sub is None:
                lines.append(f"{pad}{key}: {rng.choice(_SCALARS)}{rng.choice(['', '  # c'])}")
            else:
                lines += [f"{pad}{key}:{rng.choice(['', ' # c'])}", sub]
        elif sub is None:
            lines.append(f"{pad}- {rng.choice(_SCALARS)}")
        elif rng.random() < 0.5:
            lines += [f"{pad}-{rng.choice(['', ' # c'])}", sub]
        else:
            lines.append(f"{pad}- {sub.lstrip(' ')}")
    return "\n".join(lines)


def _mutate(rng: random.Random, text: str) -> str:
    """``text`` with one character removed, inserted or replaced: often no longer YAML."""
    at = rng.randrange(len(text))
    char = rng.choice(" -:\n'\"[]{},#x")
    return rng.choice(
        [
            text[:at] + text[at + 1 :],
            text[:at] + char + text[at:],
            text[:at] + char + text[at + 1 :],
        ]
    )


@settings(max_examples=400, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(0, 2))
def test_generated_documents_parse_the_same_or_are_declined(
    rng: random.Random, mutations: int
) -> None:
    text = _render(rng, 0, 0) or "a: 1"
    if rng.random() < 0.2:
        text = rng.choice(["---\n", ""]) + text + "\n---\n" + (_render(rng, 0, 0) or "b: 2")
    for _ in range(mutations):
        text = _mutate(rng, text)
    assert _differences(text + "\n") in (None, [])


_ANCHORED_SCALARS = [
    "1", "2.5", "true", "null", "hi", "'q s'", '"dq"', "é", "-3", "''", "yes", "2024-01-02",
    "~", "0x1F", "010", "0o17", ".inf", "-.Inf", ".NaN", ".NAN", "Null", "NULL", "True",
    "FALSE", "+1", "1_000", "1e3", "'~'", '"True"', "x # c",
]  # fmt: skip


class _AnchoredWriter:
    """Documents full of anchors, aliases and merge keys (``<<: *a``, ``<<: [*a, *b]``), in
    block and flow style, with lookalike scalars anchored or not and comments here and there:
    what a person copying settings around a file writes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.anchors: dict[str, str] = {}  # name: "map", "seq" or "scalar"
        self.count = 0

    def _anchor(self) -> str | None:
        if self.rng.random() < 0.3:
            self.count += 1
            return self.rng.choice(["a", "b", "c", f"n{self.count}"])
        return None

    def node(self, indent: int, depth: int, flow: bool = False) -> str:
        rng = self.rng
        roll = rng.random()
        if depth > 3 or roll < 0.35:
            named = [name for name in self.anchors]
            if named and rng.random() < 0.3:
                return f"*{rng.choice(named)}" + (" " if flow else "")
            anchor, value = self._anchor(), rng.choice(_ANCHORED_SCALARS)
            if flow and "#" in value:
                value = "x"
            if anchor:
                self.anchors[anchor] = "scalar"
                return f"&{anchor} {value}"
            return value
        if roll < 0.6:
            anchor = self._anchor()
            items = [self.node(indent + 2, depth + 1, True) for _ in range(rng.randrange(4))]
            if anchor:
                self.anchors[anchor] = "seq"
            return (f"&{anchor} " if anchor else "") + "[" + ", ".join(items) + "]"
        return self.mapping(indent, depth, flow)

    def mapping(self, indent: int, depth: int, flow: bool) -> str:
        rng = self.rng
        anchor = self._anchor()
        entries: list[tuple[str, str | None]] = []
        merged = [name for name, kind in self.anchors.items() if kind == "map"]
        if merged and rng.random() < 0.5:
            picked = rng.sample(merged, min(len(merged), rng.randrange(1, 3)))
            alias = " ".join(f"*{name} " for name in picked[:1])
            many = "[" + ", ".join(f"*{name} " for name in picked) + "]"
            entries.append(("<<", alias if rng.random() < 0.5 else many))
        keys = ["a", "b", "c", "id", "name", "x", "é", "'<<'", "k1", "tags"]
        entries += [(key, None) for key in rng.sample(keys, rng.randrange(4))]
        rng.shuffle(entries)
        if flow or rng.random() < 0.3:
            body = ", ".join(f"{k}: {v or self.node(indent, depth + 1, True)}" for k, v in entries)
            if anchor:
                self.anchors[anchor] = "map"
            return (f"&{anchor} " if anchor else "") + "{" + body + "}"
        lines = []
        for key, value in entries:
            written = value or self.node(indent + 2, depth + 1)
            comment = rng.choice(["", "", "  # why"]) if not written.startswith("\n") else ""
            sep = "" if written.startswith("\n") else " "
            lines.append(" " * indent + f"{key}:{sep}{written}{comment}")
        if anchor:
            self.anchors[anchor] = "map"
        if not lines:
            return (f"&{anchor} " if anchor else "") + "{}"
        return (f" &{anchor}" if anchor else "") + "\n" + "\n".join(lines)

    def document(self) -> str:
        top = []
        for key in self.rng.sample(["p", "q", "r", "s", "t", "u"], self.rng.randrange(1, 6)):
            value = self.node(2, 1)
            joined = value.startswith((" &", "\n"))
            top.append(f"{key}:{value}" if joined else f"{key}: {value}")
        return "\n".join(top) + "\n"


@settings(max_examples=500, deadline=None)
@given(st.randoms(use_true_random=False))
def test_anchored_documents_parse_the_same_or_are_declined(rng: random.Random) -> None:
    """Anchors, aliases and merge keys among lookalikes (``&none ~``, ``.NaN``, ``0x1F``),
    flows and comments: the fast path gives the exact path's data, node count and every
    position, or leaves the file to it."""
    assert _differences(_AnchoredWriter(rng).document()) in (None, [])


# --------------------------------------------------------------------------- a stranger's YAML


class _CoreLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML reading the YAML 1.2 core schema, as socialgov does: an independent judge of
    the values (PyYAML's own composer, merge keys and constructors), dates kept as text. On
    libyaml's parser, as the exact path (PyYAML's Python parser refuses a few headers libyaml
    takes, such as ``|3#``). Keys are the text as written (``1:`` is the key "1", ``~:`` the key
    "~"), as socialgov reads them."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            key = (
                key_node.value
                if isinstance(key_node, yaml.ScalarNode)
                else self.construct_object(key_node, deep=deep)
            )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("merge", r"<<", "<"),
    ("bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN)",
        "-+0123456789.",
    ),
):
    _CoreLoader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(f"^(?:{_pattern})$"), list(_first)
    )


def _core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


def _core_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    return math.nan if text == ".nan" else float(text)


_CoreLoader.add_constructor("tag:yaml.org,2002:int", _core_int)
_CoreLoader.add_constructor("tag:yaml.org,2002:float", _core_float)
_CoreLoader.add_constructor(
    "tag:yaml.org,2002:bool", lambda loader, node: loader.construct_scalar(node)[0] in "tT"
)


def _unordered(data: Any) -> Any:
    """``data`` with mappings as sorted item lists: PyYAML puts merged keys first."""
    if isinstance(data, dict):
        return sorted(((k, _unordered(v)) for k, v in data.items()), key=repr)
    if isinstance(data, list):
        return [_unordered(item) for item in data]
    return (type(data).__name__, data if data == data else "nan")


def _stranger_file(seed: int) -> str:
    """A stranger's file, as socialgov reads it (decoded: a byte order mark at its start is
    not text)."""
    rng = random.Random(seed)
    if rng.random() < 0.3:
        text = yaml_stranger.text_blocks(rng)
    else:
        text = yaml_stranger.document(rng, yaml_stranger.Style.pick(rng))
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        text = yaml_stranger.mutate(rng, text)
    return decode(text.encode())


STRANGERS = int(os.environ.get("SOCIALGOV_STRANGER_EXAMPLES", "600"))
"""How many strangers' files a run writes: raise it to search longer (thousands, locally)."""


@settings(max_examples=STRANGERS, deadline=None)
@given(st.integers(0, 2**32))
def test_a_strangers_yaml_parses_the_same_on_both_paths_or_is_declined(seed: int) -> None:
    """Files in many people's styles (yaml_stranger: anchors on any node and aliases
    anywhere, merge keys, tags and directives, lookalikes in every spelling, odd and long keys,
    values over lines, escapes, JSON pasted in, unicode, untidy white space, a byte order
    mark), some broken by a mutation: the fast path gives what the exact path gives,
    positions included, or declines; and what it gives is what PyYAML reads under the core
    schema."""
    text = _stranger_file(seed)
    assert _differences(text) in (None, [])
    fast = fastyaml.parse(text, "f.yaml", LIMITS)
    if fast is not None:
        try:
            judged = list(yaml.load_all(text, Loader=_CoreLoader))
        except yaml.composer.ComposerError as error:  # PyYAML refuses an anchor defined twice,
            assert "duplicate anchor" in str(error)  # which YAML allows: no second judge
            return
        assert [_unordered(d.data) for d in fast.documents] == [_unordered(d) for d in judged]


def test_a_strangers_yaml_mostly_takes_the_fast_path() -> None:
    """Not a fast path that declines everything: of well-formed files in many styles, with
    text blocks, quotes and comments, most are taken."""
    taken = valid = 0
    for seed in range(300):
        rng = random.Random(seed)
        style = yaml_stranger.Style.pick(rng)
        style.anchors = 0.0
        style.crlf = False
        text = yaml_stranger.document(rng, style)
        if parse_text(text, "f.yaml", LIMITS).findings:
            continue
        valid += 1
        taken += fastyaml.parse(text, "f.yaml", LIMITS) is not None
    assert valid > 200
    assert taken > valid // 4


def _wide_file(rng: random.Random) -> str:
    """Documents in a stranger's style, each a mapping of a width from one key to a couple of
    hundred (a wide mapping is searched otherwise than a narrow one, see _keyed)."""
    style = yaml_stranger.Style.pick(rng)
    # without the habits that send a file to the exact path wherever they occur (a wide
    # mapping has room for one): tags, odd keys, tabs, escapes, JSON and values over lines
    style.tags = style.keys = style.untidy = style.escapes = style.json = style.wrap = 0.0
    if rng.random() < 0.5:  # merge keys, whose node a mapping's data does not hold
        style.anchors, style.merges = max(style.anchors, 0.3), 0.5
    writer = yaml_stranger.Writer(rng, style)
    for _ in range(rng.randint(1, 3)):
        width = rng.choice([1, 2, 5, 15, 16, 17, 30, 63, 64, 65, 66, 100, 200])
        keys = dict.fromkeys(
            rng.choice(yaml_stranger.KEYS)
            if rng.random() < 0.2
            else f"{rng.choice(yaml_stranger.KEYS)}-{i}"
            for i in range(width)
        )
        writer.mappings = []
        writer.lines.append("---")
        wide = {key: _wide_value(rng, key) for key in keys}
        # a mapping before it, which the wide one may merge (<<) when the style anchors
        writer.collection({"base": {"status": "active", "1": 2}, "wide": wide}, "")
    return "\n".join(writer.lines) + "\n"


def _wide_value(rng: random.Random, key: str) -> object:
    """Mostly values that every parser reads alike (one odd value sends the file to the
    exact path, and a wide mapping has many), sometimes the stranger's."""
    if rng.random() < 0.05:
        return yaml_stranger.value(rng, 4)
    return rng.choice([f"{key} value", rng.randint(0, 999), True, None, [key, "b"], {"x": key}, ""])


def test_positions_in_mappings_of_every_width_are_the_exact_paths() -> None:
    """Every key and value of mappings from one key to hundreds (some with merge keys, in many
    styles), and keys that are not there, are located where the exact path locates them."""
    taken = 0
    for seed in range(120):
        text = _wide_file(random.Random(seed))
        problems = _differences(text)
        assert problems in (None, []), f"seed {seed}: {problems[:5]}"
        taken += problems is not None
    assert taken > 30  # of 120 (the stranger sends many a wide file to the exact path)


_FLOW_THEN_COMMENT = re.compile(rb"[\[{][^\n]*[ ]#")
"""What _comment_in_flow reads: the lines where a flow collection opens before a `` #``."""
_BLOCK_COMMENT_ANYWHERE = re.compile(rb"(?:^|\n|[:\-\[{,?])[ ]*[|>][0-9+-]*[ ]*#[^\n]*[-+0-9]")
"""What _block_comment tells: a text block's header whose comment holds -, + or a digit."""


def _comment_in_flow_by_pattern(text: bytes) -> bool:
    """_comment_in_flow as the pattern above finds its lines (the whole text searched)."""
    for match in _FLOW_THEN_COMMENT.finditer(text):
        line_start = text.rfind(b"\n", 0, match.start()) + 1
        line_end = text.find(b"\n", match.end())
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if b"'" in line or b'"' in line:
            line = fastyaml._mask_quoted(line)
        comment = line.find(b" #")
        before = line[:comment]
        if comment >= 0 and (
            before.count(b"[") + before.count(b"{") > before.count(b"]") + before.count(b"}")
        ):
            return True
    return False


@given(st.lists(st.sampled_from([*b"[{]}#|>-+1:,? a'\"\n", *b"  \n", *b"##"]), max_size=60))
@settings(max_examples=3000, deadline=None)
def test_the_lines_comments_are_looked_for_in_are_the_patterns(chars: list[int]) -> None:
    """_comment_in_flow and _block_comment read only the lines holding a '#' (found by
    bytes.find), not the whole text: the same answers as the patterns over the whole text."""
    text = bytes(chars)
    assert fastyaml._comment_in_flow(text) == _comment_in_flow_by_pattern(text)
    assert fastyaml._block_comment(text) == (_BLOCK_COMMENT_ANYWHERE.search(text) is not None)


@given(st.lists(st.sampled_from([*b"#  #'\"\\[{,:-x\"'", *b" #"]), max_size=40))
@settings(max_examples=3000, deadline=None)
def test_a_comment_outside_quoted_values_is_told_as_masking_tells_it(chars: list[int]) -> None:
    """_comment_in_flow finds a line's quoted values only as far as its ' #' reach: the same
    answer as masking every quoted value of the line and looking for a ' #' left."""
    line = bytes(chars)
    left = fastyaml._mask_quoted(line).find(b" #") >= 0
    assert fastyaml._comment_outside_quotes(line) is left


def test_a_space_and_hash_are_found_by_the_hash() -> None:
    """_space_hash finds ' #' by its '#' (memchr), as bytes.find of the two finds it."""
    rng = random.Random(15)
    for _ in range(50_000):
        text = bytes(rng.choice(b" #\nx#  ") for _ in range(rng.randrange(14)))
        start = rng.randrange(len(text) + 2)
        assert fastyaml._space_hash(text, start) == text.find(b" #", start), (text, start)


def test_a_comment_after_quoted_values_is_found() -> None:
    assert not fastyaml._comment_outside_quotes(b'- {a: "x #1", b: y}')
    assert fastyaml._comment_outside_quotes(b'- {a: "x #1", b: y} # c')
    assert fastyaml._comment_outside_quotes(b"- {a: 'x', b: y # c")
    assert not fastyaml._comment_outside_quotes(b"- {a: 'x # '' # y', b: z}")
    assert fastyaml._comment_outside_quotes(b'- {a: b"x #1", c: d}')  # no quoted value there


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        (b"a: [1, 2] # c\nb: {x: 1 # y\n", True),
        (b"a: x # c [\nb: [1] #\n", False),
        (b"a: ['x # y', b #z\n", True),
        (b"a: x #c [ #d\n", False),
        (b"# [\n  b: 1 #\n", False),
        (b'a: ["b # c"] # d\n', False),
    ],
)
def test_a_comment_inside_a_flow_is_found_on_any_line(text: bytes, inside: bool) -> None:
    assert fastyaml._comment_in_flow(text) is inside
    assert _comment_in_flow_by_pattern(text) is inside


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (b"a: |  # a - b\n  x\n", True),
        (b"a: |\n  x # 1\n", False),
        (b"# a: | 1\nb: >1#+\n", True),
        (b"a: x # | 2\nb: '|' # c\n", False),
        (b"- >- # note 3\n  y", True),
    ],
)
def test_a_text_blocks_header_comment_with_indicators_is_found(text: bytes, found: bool) -> None:
    assert fastyaml._block_comment(text) is found
    assert (_BLOCK_COMMENT_ANYWHERE.search(text) is not None) is found


_BLOCK_HEADERS_ANYWHERE = re.compile(rb"(?:^|\n|[:\-\[{,?])[ ]*([|>][^\n]*)")
"""What _block_headers gives: each text block's header that may start a node, to its line's end."""


@given(st.lists(st.sampled_from([*b"|>|>-:[{,? \n\na#1+"]), max_size=60))
@settings(max_examples=3000, deadline=None)
def test_the_lines_text_blocks_headers_are_looked_for_in_are_the_patterns(chars: list[int]) -> None:
    """_block_headers searches only the lines holding a '|' or '>' (found by bytes.find), each
    alone: the same headers, in the same order, as the pattern over the whole text."""
    text = bytes(chars)
    want = [match.group(1) for match in _BLOCK_HEADERS_ANYWHERE.finditer(text)]
    assert fastyaml._block_headers(text) == want


def test_text_blocks_headers_are_found_on_every_line() -> None:
    text = b"a: |\n  x > y\nb: >- # c\n  |\n- |2\n  z\nc: 'q|r'\n|\n"
    assert fastyaml._block_headers(text) == [b"|", b">- # c", b"|", b"|2", b"|"]


def test_where_a_quoted_value_may_start_is_told_as_the_pattern_tells_it() -> None:
    """_mask_quoted asks whether a value may start at each quote from the characters before it
    on its line (_node_starts), as _NODE_START's search of the line did (which read the line
    from its start at each quote of a long flow collection)."""
    rng = random.Random(12)
    alphabet = b" :-?[{,x\"'a\n#"
    for _ in range(100_000):
        text = bytes(rng.choice(alphabet) for _ in range(rng.randrange(14)))
        start = rng.randrange(len(text) + 1)
        line_start = text.rfind(b"\n", 0, start) + 1
        found = fastyaml._NODE_START.search(text, line_start, start) is not None
        assert fastyaml._node_starts(text, line_start, start) == found, (text, start)


def _standing_alone_by_scan(text: bytes, candidates: set[bytes]) -> list[int]:
    """Where each of ``candidates`` stands alone in ``text``, as _quoted_where_written found
    them before: every lookalike standing alone, a match at a time, kept when a candidate."""
    found, at = [], 0
    while True:
        start, stop = fastyaml._group_from(fastyaml._STANDING_ALONE, text, at)
        if start < 0:
            return found
        if text[start:stop] in candidates:
            found.append(start)
        at = stop


_LOOKALIKES = ["1003", "48", "010", "0x1F", "+1", "-2.5", "1e3", ".inf", "-.Inf", ".NaN"]
_LOOKALIKES += ["nan", "inf", "-infinity", "~", "null", "True", "false", "NULL", "0o17", "12"]


@pytest.mark.parametrize("how_many", [1, 3, 40, 300])
def test_lookalikes_standing_alone_are_found_however_they_are_looked_for(how_many: int) -> None:
    """_standing_alone looks for a few candidates one by one, more with a pattern made for
    them, very many by the scan of every lookalike: the places are the scan's every way, in
    texts of lookalikes quoted, plain, inside longer values and after every character one may
    follow or not."""
    rng = random.Random(how_many)
    pieces = [" ", ": ", "- ", "[", "{", ",", "\n", "\n  ", '"', "'", "x", "# ", ":", "]", "}"]
    for _ in range(300 if how_many < 300 else 40):
        numbers = [str(rng.randrange(1000, 10_000)) for _ in range(how_many)]
        words = _LOOKALIKES + numbers
        text = "".join(
            rng.choice(words) if rng.random() < 0.4 else rng.choice(pieces)
            for _ in range(rng.randrange(2, 4000 if how_many > 3 else 400))
        ).encode()
        candidates = {word.encode() for word in rng.sample(words, min(how_many, len(words)))}
        got = sorted(fastyaml._standing_alone(text, candidates))
        assert got == sorted(_standing_alone_by_scan(text, candidates)), (text[:300], candidates)


@pytest.mark.parametrize("distinct", [1, 30, 300])
def test_registers_quoting_lookalikes_are_read_as_the_exact_path_reads_them(
    distinct: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A register quoting a number on each entry (``cost-center: "6413"``, the stranger's) with
    plain numbers and booleans beside it takes the JSON path, unless one of its quoted numbers
    is also written plain: then the walk, as the exact path reads it."""
    rng = random.Random(distinct)
    codes = [str(code) for code in rng.sample(range(1000, 10_000), distinct)]
    entries = [
        f'- id: a{index}\n  cost-center: "{codes[index % distinct]}"\n'
        f"  metrics: {{followers: {rng.randrange(100)}, posts: {index}}}\n"
        f"  security:\n    mfa: {rng.choice(['true', 'false'])}\n  ref: X{codes[0]}\n"
        for index in range(max(distinct, 40))
    ]
    quoted = "accounts:\n" + "".join(entries)
    plain = quoted + f"extra: {codes[-1]}\n"
    walked: list[object] = []
    walker = fastyaml._Walker
    monkeypatch.setattr(fastyaml, "_Walker", lambda *args: walked.append(args) or walker(*args))
    for text, json_path in ((quoted, True), (plain, False)):
        walked.clear()
        assert fastyaml.parse(text, "f.yaml", LIMITS) is not None
        assert bool(walked) is not json_path  # walked only where a quoted one is also plain
        assert _differences(text) == []


def test_the_scans_asked_at_once_find_what_each_finds_alone(realdata: Path) -> None:
    # parse asks which of four RE2 patterns find something in a text in one pass (an RE2 set,
    # _scans): each pattern asked alone must agree, on every file of the project, the public
    # inventories and 300 of a stranger's files, as read and as masked
    scan = fastyaml._unsupported_or_deep(LIMITS["max_depth"])
    patterns = (scan, fastyaml._ANCHORED, fastyaml._NESTED_FLOW, fastyaml._JSON_WORD)
    texts = [path.read_bytes() for root in [*CORPORA, realdata] for path in _yaml_files(root)]
    texts += [_stranger_file(seed).encode() for seed in range(300)]
    scans = fastyaml._scans(scan)
    seen = set()
    for text in texts:
        for read in (text, fastyaml._masked(text)):
            want = [index for index, pattern in enumerate(patterns) if pattern.search(read)]
            assert sorted(scans(read)) == want, read[:200]
            seen.update(want)
    assert seen == {0, 1, 2, 3}  # each found somewhere
