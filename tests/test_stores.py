"""speedups/stores.py: where the start-up stores live, reading one, writing one whole or not at all."""

from __future__ import annotations

import marshal
import sys
from pathlib import Path

from socialgov.speedups.stores import read_store, store_path, write_store

HEADER = b"TEST\x00\x01"


def test_a_store_lives_beside_the_modules_pyc_file() -> None:
    path = store_path("/somewhere/pkg/module.py", ".things")
    assert path is not None
    if sys.pycache_prefix is None:
        expected = f"/somewhere/pkg/__pycache__/module.{sys.implementation.cache_tag}.things"
        assert path == expected
    assert path.endswith(f"module.{sys.implementation.cache_tag}.things")


def test_what_was_written_is_read_back(tmp_path: Path) -> None:
    path = str(tmp_path / "cache" / "deep" / "store.bin")  # its folders made
    assert write_store(path, HEADER, lambda: {"a": [1, 2], "b": ("x", None)})
    assert read_store(path, HEADER) == {"a": [1, 2], "b": ("x", None)}
    assert [p.name for p in (tmp_path / "cache" / "deep").iterdir()] == ["store.bin"]


def test_missing_foreign_or_damaged_stores_read_as_none(tmp_path: Path) -> None:
    path = tmp_path / "store.bin"
    assert read_store(None, HEADER) is None
    assert read_store(str(path), HEADER) is None  # missing
    path.write_bytes(b"OTHER!" + marshal.dumps({"a": 1}))
    assert read_store(str(path), HEADER) is None  # another header
    path.write_bytes(HEADER + marshal.dumps({"a": 1})[:-3])
    assert read_store(str(path), HEADER) is None  # cut short
    path.write_bytes(HEADER + b"\xff\x00garbage")
    assert read_store(str(path), HEADER) is None  # not marshal
    (tmp_path / "folder").mkdir()
    assert read_store(str(tmp_path / "folder"), HEADER) is None  # unreadable


def test_a_rewrite_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "store.bin"
    assert write_store(str(path), HEADER, lambda: [1])
    before = path.stat().st_ino
    assert write_store(str(path), HEADER, lambda: [2])
    assert path.stat().st_ino != before  # a new file renamed over the old, never written in place
    assert read_store(str(path), HEADER) == [2]


def test_where_the_store_cannot_be_written_the_payload_is_never_made(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a folder cannot be made under a file\n", encoding="utf-8")
    made: list[int] = []

    def payload() -> object:
        made.append(1)
        return [1]

    assert write_store(str(blocker / "sub" / "store.bin"), HEADER, payload) is False
    assert made == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_payload_of_none_writes_nothing_and_keeps_the_old_store(tmp_path: Path) -> None:
    path = tmp_path / "store.bin"
    assert write_store(str(path), HEADER, lambda: {"kept": True})
    kept = path.read_bytes()
    assert write_store(str(path), HEADER, lambda: None) is False
    assert path.read_bytes() == kept
    assert [p.name for p in tmp_path.iterdir()] == ["store.bin"]  # no temporary left


def test_a_value_marshal_cannot_write_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "store.bin"
    assert write_store(str(path), HEADER, lambda: {"a": object()}) is False
    assert list(tmp_path.iterdir()) == []
