"""Where the fast path (rapidyaml) places keys and nodes, asked the way the model asks: an
entity's mapping searched for several of its fields, the key written at a position searched for
among the entities of a file (the owner of a duplicate key, SG102), a position turned back
into the offset it was worked out from. Each answer is compared with the exact path's."""

from __future__ import annotations

import random
from array import array
from typing import Any

import pytest

import yaml_stranger
from socialgov.core.findings import Position
from socialgov.source import fastyaml
from socialgov.source.exact import parse_text
from socialgov.source.loader import DEFAULT_LIMITS, Document, ParsedFile
from test_source_map import _every_path

LIMITS = dict(DEFAULT_LIMITS)
FIELDS = ("id", "name", "platform", "handle", "owner", "team", "status", "policies", "metrics")


def _entities_file(rng: random.Random) -> str:
    """A list of entities in a stranger's style (anchors, aliases and merge keys in some),
    sometimes after a mapping of defaults, and in some files one entity with a key written
    twice (the duplicate's line repeated, when it is a one-line key and value)."""
    style = yaml_stranger.Style.pick(rng)
    style.tags = style.keys = style.untidy = style.escapes = style.json = style.wrap = 0.0
    if rng.random() < 0.4:
        style.anchors, style.aliases, style.merges = 0.3, 0.3, 0.3
    writer = yaml_stranger.Writer(rng, style)
    entities: list[dict[str, Any]] = []
    for index in range(rng.randint(2, 14)):
        entity: dict[str, Any] = {"id": f"e{index}"}
        for field in rng.sample(FIELDS[1:], rng.randint(1, len(FIELDS) - 1)):
            entity[field] = rng.choice(
                [f"{field} {index}", "Zoë Ó", rng.randint(0, 99), [field, "b"], {"x": field}]
            )
        entities.append(entity)
    data: dict[str, Any] = {"accounts": entities}
    if rng.random() < 0.3:
        data = {"x-defaults": {"status": "active", "team": "a"}, **data}
    writer.collection(data, "")
    lines = writer.lines
    if rng.random() < 0.8:  # a key written twice: the line again, right after itself
        simple = [
            at
            for at, line in enumerate(lines)
            if line.strip().startswith(("owner:", "team:", "status:")) and "&" not in line
        ]
        if simple:
            at = rng.choice(simple)
            lines.insert(at + 1, lines[at])
    return "\n".join(lines) + "\n"


def _parsed(text: str) -> tuple[ParsedFile, ParsedFile] | None:
    fast = fastyaml.parse(text, "f.yaml", LIMITS)
    if fast is None:
        return None
    return fast, parse_text(text, "f.yaml", LIMITS)


def _key_positions(document: Document) -> list[Position]:
    """Every key's position and every node's, the positions a finding may name."""
    found = []
    for path in _every_path(document.data):
        found += [document.locate(path, key=True), document.locate(path)]
    return found


def test_the_entity_holding_each_key_is_the_exact_paths() -> None:
    """Asked of each entity's map in turn (as attach_entities asks for SG102's owner), the key
    written at every key's and node's position, and at the duplicate key's: the exact path's
    answer each time, in files with and without anchors, aliases, merge keys and a key
    written twice."""
    taken = duplicates = linked = 0
    for seed in range(150):
        text = _entities_file(random.Random(seed))
        parsed = _parsed(text)
        if parsed is None:
            continue
        fast, exact = parsed
        taken += 1
        duplicates += bool(fast.findings)
        for got, want in zip(fast.documents, exact.documents, strict=True):
            linked += got.source_map._file.links is not None  # type: ignore[attr-defined]
            if not isinstance(want.data, dict) or not isinstance(want.data.get("accounts"), list):
                continue
            positions = _key_positions(want)
            positions += [Position(f.line, f.column) for f in exact.findings]
            positions += [Position(1, 1), Position(10_000, 1), Position(2, 500)]
            for index in range(len(want.data["accounts"])):
                base = ("accounts", index)
                mine, theirs = got.source_map.subtree(base), want.source_map.subtree(base)
                for position in positions:
                    assert mine.key_path(position) == theirs.key_path(position), (
                        seed,
                        base,
                        position,
                    )
    assert taken > 60
    assert duplicates > 12
    assert linked > 10


def _spied_offsets(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    asked: list[Any] = []
    original = fastyaml._FilePositions._offset

    def spy(self: Any, document: int, path: Any, start: int, key: bool) -> int:
        asked.append(path)
        return original(self, document, path, start, key)

    monkeypatch.setattr(fastyaml._FilePositions, "_offset", spy)
    return asked


@pytest.mark.parametrize("anchored", [False, True])
def test_an_entity_that_cannot_hold_the_key_is_not_searched(
    anchored: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The owner of a key written twice is searched among the entities of its file: an entity
    written wholly before or after the key is answered from where it and the next one start,
    without locating each of its keys; an entity holding an alias is searched (its keys may be
    written elsewhere), and the answers are the exact path's."""
    entities = [
        f"  - id: e{index}\n    name: E {index}\n    owner: o{index}\n    team: t\n"
        + ("    owner: again\n" if index == 30 else "")
        + ("    policies: *p\n" if anchored and index == 10 else "")
        for index in range(40)
    ]
    text = ("x-p: &p [a, b]\n" if anchored else "") + "accounts:\n" + "".join(entities)
    parsed = _parsed(text)
    assert parsed is not None
    fast, exact = parsed
    assert [f.code for f in fast.findings] == ["SG102"]
    position = Position(fast.findings[0].line, fast.findings[0].column)
    document, want = fast.documents[0], exact.documents[0]
    assert (document.source_map._file.links is not None) is True  # type: ignore[attr-defined]
    asked = _spied_offsets(monkeypatch)
    found = [
        document.source_map.subtree(("accounts", index)).key_path(position) for index in range(40)
    ]
    assert found == [
        want.source_map.subtree(("accounts", index)).key_path(position) for index in range(40)
    ]
    assert found[30] == ("owner",) and found.count(None) == 39
    searched = {path[:2] for path in asked if len(path) > 2}
    # only the owner (and an entity holding an alias) had their keys located
    assert searched == ({("accounts", 30), ("accounts", 10)} if anchored else {("accounts", 30)})


TEXTS = [
    "a: 1\nb: [x, y]\n",
    "# é\nname: Zoë Ó'Brien\nlist:\n  - 😀 x\n  - ü: ß\n",
    "k: v\r\nw: x\r\n",
    "a: " + "x" * 1030 + "\nb: c\n" + "\n" * 1500 + "é: " + "ä" * 700 + "\nlast: z",
    "\n" * 1023 + "a: b\n" + "c: d\n" * 400,
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_position_is_turned_back_into_its_offset(text: str) -> None:
    """Every character's offset gives a position that gives the offset back (lines in every
    1 KB block, the first and the last, line breaks, characters of several bytes); a position
    no character has gives none."""
    parsed = fastyaml.parse(text, "f.yaml", LIMITS)
    assert parsed is not None
    file = parsed.documents[0].source_map._file  # type: ignore[attr-defined]
    raw = file.raw
    starts = [at for at in range(len(raw) + 1) if at == len(raw) or raw[at] & 0xC0 != 0x80]
    for offset in starts:
        assert file._offset_at(file._position(offset)) == offset
    lines = raw.count(b"\n") + 1
    last = len(raw.rsplit(b"\n", 1)[-1].decode())
    for nowhere in (
        Position(0, 1),
        Position(1, 0),
        Position(lines + 1, 1),
        Position(lines, last + 2),
    ):
        assert file._offset_at(nowhere) == -2


def test_a_mapping_searched_keeps_its_children_walked_and_not_its_keys() -> None:
    """A mapping searched keeps its children as far as walked, as 32-bit numbers (for the next
    key placed there), and no copy of its keys: the key's place is found among the data's own
    keys (a list of them for every mapping searched took ~81 MiB of the stranger's 100,000
    accounts' lint). The positions are the exact path's."""
    text = "accounts:\n" + "".join(
        f"  - id: a{i}\n    name: n {i}\n    team: t\n    owner: o\n" for i in range(3)
    )
    parsed = _parsed(text)
    assert parsed is not None
    fast, exact = (p.documents[0] for p in parsed)
    for path in (("accounts", 0, "team"), ("accounts", 0, "name"), ("accounts", 1, "owner")):
        assert fast.locate(path) == exact.locate(path)
        assert fast.locate(path, key=True) == exact.locate(path, key=True)
    kept = list(fast.source_map._file._walked.values())  # type: ignore[attr-defined]
    assert all(type(children) is array and children.typecode == "I" for children in kept)
    # the top mapping to its first key, the first Account to its third, the second to its fourth
    assert sorted(len(children) for children in kept) == [1, 3, 4]


def test_a_file_without_anchors_lets_the_anchors_column_go() -> None:
    """Only a file with anchors, aliases or merge keys reads where a value's anchor is written:
    the others keep seven columns, 28 bytes a node, and their positions are the exact path's;
    a file with an anchor keeps all eight, and places its anchored nodes at their ``&``."""
    plain = "accounts:\n  - id: a\n    tags: [x, y]\n  - id: b\n    team: {name: t}\n"
    anchored = plain + "defaults: &d {team: t}\nother:\n  <<: *d\n  id: c\n"
    for text, columns in ((plain, 7), (anchored, 8)):
        parsed = _parsed(text)
        assert parsed is not None
        fast, exact = (p.documents[0] for p in parsed)
        file = fast.source_map._file  # type: ignore[attr-defined]
        for _ in range(2):  # as parsed, and parsed again after the columns were let go
            nodes = file.nodes()
            assert type(nodes) is fastyaml._Columns  # (this rapidyaml's nodes are read)
            assert len(nodes._at) == columns * file.size
            for path in _every_path(exact.data):
                assert fast.locate(path) == exact.locate(path), path
                assert fast.locate(path, key=True) == exact.locate(path, key=True), path
            file.release()


def test_positions_kept_are_answered_after_release_without_parsing_again() -> None:
    """A position kept (SourceMap.keep: an unused waiver's, asked after the rules let go of the
    file's positions) is the exact path's, and is answered after release from what was kept,
    without parsing the file again; any other position parses it again, and is the exact
    path's too. Forgetting what locating looked up keeps the columns and the answers."""
    text = "accounts:\n" + "".join(
        f"  - id: a{i}\n    team: t\n    waivers:\n      - {{rule: SG201, reason: r}}\n"
        for i in range(3)
    )
    parsed = _parsed(text)
    assert parsed is not None
    fast, exact = (p.documents[0] for p in parsed)
    source_map = fast.source_map
    file = source_map._file  # type: ignore[attr-defined]
    wanted = [("accounts", i, "waivers", 0) for i in range(3)]
    assert fast.locate(("accounts", 1, "team")) == exact.locate(("accounts", 1, "team"))
    assert file._parents
    source_map.forget()
    assert not file._parents and not file._walked and file._nodes is not None
    source_map.keep(wanted)
    source_map.release()
    assert file._nodes is None
    for path in wanted:
        assert fast.locate(path) == exact.locate(path)
    assert file._nodes is None  # not parsed again for them
    assert fast.locate(("accounts", 2, "team")) == exact.locate(("accounts", 2, "team"))
    assert file._nodes is not None
    # a view of a part of the document keeps the paths inside it
    view = source_map.subtree(("accounts", 1))
    view.keep([("waivers", 0)])
    source_map.release()
    assert view.locate(("waivers", 0)) == exact.locate(("accounts", 1, "waivers", 0))
    assert file._nodes is None


def test_a_node_started_from_the_columns_starts_where_the_general_way_finds_it() -> None:
    """_Columns.start answers in one call where _FilePositions._node_offset makes several (a
    block mapping's first key, a scalar that is no text block): for every node of files in a
    stranger's styles (anchors, aliases and merge keys in some), its answer is the general
    way's (start left out), and the positions are the exact path's."""
    answered = linked = 0
    for seed in range(60):
        text = _entities_file(random.Random(seed))
        parsed = _parsed(text)
        if parsed is None:
            continue
        file = parsed[0].documents[0].source_map._file  # type: ignore[attr-defined]
        nodes = file.nodes()
        assert type(nodes) is fastyaml._Columns
        linked += file.links is not None
        anchored = fastyaml._VALANCH if file.links is not None else 0
        for node in range(file.size):
            start = nodes.start(node, anchored)
            try:
                general = fastyaml._FilePositions._node_offset(_GeneralWay(file), node)
            except fastyaml._Inexact:
                general = -1
            if start >= 0:
                answered += 1
                assert start == general, (seed, node)
        for got, want in zip(parsed[0].documents, parsed[1].documents, strict=True):
            for path in _every_path(want.data):
                assert got.locate(path) == want.locate(path), (seed, path)
    assert answered > 2_000
    assert linked > 5


class _GeneralWay:
    """A file's positions whose columns answer no start (the general way of _node_offset)."""

    def __init__(self, file: Any) -> None:
        self._file = file
        self._nodes = _NoStart(file.nodes())

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._file, name)
        if callable(value) and hasattr(fastyaml._FilePositions, name):
            return lambda *args: getattr(fastyaml._FilePositions, name)(self, *args)
        return value


class _NoStart:
    def __init__(self, nodes: Any) -> None:
        self._nodes = nodes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nodes, name)


def test_a_walk_keeps_the_walk_to_its_parent_and_walks_on_from_it() -> None:
    """An entity's walk keeps its collection's (the next entity of the file walks on from it,
    not from the root); a walk whose parent is missing answers the deepest node found, as a
    walk from the root does; the positions are the exact path's."""
    text = "x-note: n\naccounts:\n" + "".join(
        f"  - id: a{i}\n    team: t\n    security: {{mfa: false}}\n" for i in range(3)
    )
    parsed = _parsed(text)
    assert parsed is not None
    fast, exact = (p.documents[0] for p in parsed)
    file = fast.source_map._file  # type: ignore[attr-defined]
    for path in (("accounts", 1, "team"), ("accounts", 2, "security", "mfa"), ("accounts", 0)):
        assert fast.locate(path) == exact.locate(path)
    walked = file._parents
    assert {("accounts",), ("accounts", 1), ("accounts", 2), ("accounts", 2, "security")} <= set(
        walked
    )
    root = file._roots[0]
    assert file._walk(0, ("nope", 1, "team")) == root  # the deepest node found: the root
    assert ("nope", 1) not in walked
    assert fast.locate(("nope", 1, "team")) == exact.locate(("nope", 1, "team"))
