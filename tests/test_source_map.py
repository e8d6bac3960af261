"""The compact source map reports every position the tree of Position objects reported.

``loader._freeze`` turns the tree the parser builds (``_Tree``, the source map socialgov used
before) into flat arrays. Each test lints a repository twice, once with the compact map and once
with ``_freeze`` replaced by the identity (the old tree kept), and compares every finding.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ACME, AS_OF, PROJECT
from socialgov.config import CACHE_DIR, load_config
from socialgov.core.findings import Position
from socialgov.pipeline import lint
from socialgov.source import loader
from socialgov.source.exact import parse_text
from socialgov.source.loader import SourceMap
from socialgov.speedups import parallel
from socialgov.speedups.cache import dumps
from test_cache import generated

HOSTILE = PROJECT / "tests" / "hostile"
NORTHWIND = PROJECT / "tests" / "acceptance" / "northwind"


def _findings(root: Path, *, cache: bool) -> list[tuple[Any, ...]]:
    result = lint(load_config(root).with_overrides(as_of=AS_OF), cache=cache)
    return [
        (f.code, f.path, f.line, f.column, f.message, f.entity, f.fingerprint)
        for f in result.findings
    ]


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(CACHE_DIR))
    return target


@pytest.fixture(params=["acme", "northwind", "hostile", "generated"])
def repository(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "generated":
        root = generated(tmp_path / "generated", 2000)
        accounts = root / "accounts" / "accounts-00001.yaml"
        text = accounts.read_text(encoding="utf-8")  # a duplicate key: SG102 finds its entity
        accounts.write_text(text.replace("    status:", "    topic: again\n    status:", 1))
        return root
    source = {"acme": ACME, "northwind": NORTHWIND, "hostile": HOSTILE}[request.param]
    return _copy(source, tmp_path / request.param)


@pytest.mark.parametrize("parallel_parsing", [False, True], ids=["in-turn", "parallel"])
def test_compact_and_tree_source_maps_report_the_same_findings(
    repository: Path, parallel_parsing: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parallel_parsing:
        monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr(parallel, "workers", lambda: 2)
    compact = _findings(repository, cache=False)
    assert compact
    if repository.name == "generated":
        assert any(code == "SG102" and entity for code, _, _, _, _, entity, _ in compact)
    assert _findings(repository, cache=True) == compact  # parsed, then cached
    assert _findings(repository, cache=True) == compact  # from the cache
    old = _copy(repository, tmp_path / "old")
    with monkeypatch.context() as patch:
        patch.setattr(loader, "_freeze", lambda tree: tree)
        assert _findings(old, cache=False) == compact
        assert _findings(old, cache=True) == compact
        assert _findings(old, cache=True) == compact


ALIASES = """\
base: &base
  name: Base
  tags: [a, b]
  nested: {deep: [1, {x: y}]}
first:
  <<: *base
  name: First
second: *base
list:
  - &item {k: v}
  - *item
  - plain
many:
""" + "".join(f"  key{i}: value{i}\n" for i in range(40))


def _every_path(data: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    paths = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            paths += _every_path(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += _every_path(value, (*path, index))
    return paths


def _probes(data: Any) -> list[tuple[str | int, ...]]:
    """Every path of the data, and paths that go past it, off it, and wrong-typed."""
    paths = _every_path(data)
    extra = [(*p, "missing") for p in paths] + [(*p, 0) for p in paths] + [(*p, 99) for p in paths]
    return paths + extra + [("list", True), ("list", "0"), ("first", 1), ("many", "key39")]


@pytest.mark.parametrize(
    "text",
    [ALIASES, "just a scalar\n", "[]\n", "{}\n", "- 1\n- [2, 3]\n"],
    ids=["aliases", "scalar", "empty-list", "empty-map", "nested-list"],
)
def test_every_locate_and_subtree_answer_is_the_same(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (compact,) = parse_text(text, "t.yaml").documents
    with monkeypatch.context() as patch:
        patch.setattr(loader, "_freeze", lambda tree: tree)
        (tree,) = parse_text(text, "t.yaml").documents
    restored = pickle.loads(dumps(compact.source_map))
    for path in _probes(compact.data):
        for key in (False, True):
            expected = tree.source_map.locate(path, key=key)
            assert compact.locate(path, key=key) == expected, (path, key)
            assert restored.locate(path, key=key) == expected, (path, key)
        sub, old_sub = compact.source_map.subtree(path), tree.source_map.subtree(path)
        assert sub.position == old_sub.position, path
        assert sub.keys == old_sub.keys, path
        assert list(sub.children) == list(old_sub.children), path
        for probe in _probes(compact.data)[:40]:
            assert sub.locate(probe, key=True) == old_sub.locate(probe, key=True), (path, probe)
        for where in old_sub.keys.values():
            assert sub.key_path(where) == old_sub.key_path(where)


def test_a_key_is_found_by_its_position_through_aliases() -> None:
    (document,) = parse_text(ALIASES, "t.yaml").documents
    where = document.locate(("first", "name"), key=True)
    assert where == Position(7, 3)
    assert document.source_map.key_path(where) == ("first", "name")
    # Through the alias, the merged key points at the anchored text, as the tree did.
    assert document.locate(("second", "tags", 1)) == Position(3, 13)
    assert document.locate(("first", "tags", 1)) == Position(3, 13)
    assert document.source_map.key_path(Position(99, 1)) is None


def test_a_source_map_of_its_own_points_at_its_position() -> None:
    assert SourceMap().locate(("a", 1)) == Position(1, 1)
    assert SourceMap(Position(4, 7)).locate((), key=True) == Position(4, 7)
    assert SourceMap(Position(4, 7)).subtree(("x",)).position == Position(4, 7)


def test_positions_are_made_only_when_asked_for() -> None:
    (document,) = parse_text(ALIASES, "t.yaml").documents
    assert not any(isinstance(value, Position) for value in vars_of(document.source_map))


def vars_of(source_map: SourceMap) -> list[Any]:
    table = source_map._table
    return [table.nodes, table.edges, *table.names]
