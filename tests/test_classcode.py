"""speedups/classcode.py: dataclasses' methods for socialgov's classes, compiled once and kept.

Each test runs socialgov in a fresh interpreter whose ``.pyc`` files (and so the store) go to a
folder of its own (``PYTHONPYCACHEPREFIX``), as a first run after an installation would.
"""

from __future__ import annotations

import dataclasses
import json
import marshal
import os
import subprocess
import sys
import types
from importlib.util import MAGIC_NUMBER
from pathlib import Path

import pytest

from socialgov.speedups import classcode

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "examples" / "acme"

# run in a fresh interpreter: lint the example, then say what the store did
_PROBE = """
import json, sys
from socialgov.cli import main
from socialgov.speedups import classcode
code = main(["lint", "--quiet", "--no-cache", "--as-of", "2026-11-24", "--root", sys.argv[1]])
store = classcode._codes
print(json.dumps({"code": code, "used": len(store.used), "stored": len(store.codes),
                  "saved": classcode.save()}))
"""


def _run(prefix: Path, *flags: str, env: dict[str, str] | None = None) -> dict[str, object]:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment |= {"PYTHONPYCACHEPREFIX": str(prefix), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, *flags, "-c", _PROBE, str(ACME)],
        capture_output=True,
        text=True,
        env=environment | (env or {}),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _stores(prefix: Path) -> list[Path]:
    return sorted(prefix.rglob("classcode.*.dataclasses"))


def test_the_first_run_stores_the_methods_and_the_next_compiles_none(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert first["code"] == 1  # the example has findings: the run did its work
    assert first["used"] > 100  # the model's, rules' and reports' classes
    assert first["saved"] is True
    [store] = _stores(tmp_path)
    written = store.read_bytes()

    second = _run(tmp_path)
    assert second["code"] == 1
    assert second["used"] == first["used"]
    assert second["saved"] is False  # every method came from the store: nothing new to keep
    assert store.read_bytes() == written


def test_no_store_is_written_where_python_writes_no_pyc_files(tmp_path: Path) -> None:
    assert _run(tmp_path, env={"PYTHONDONTWRITEBYTECODE": "1"})["saved"] is False
    assert _run(tmp_path, "-B")["saved"] is False
    assert _stores(tmp_path) == []


def test_a_damaged_or_foreign_store_is_ignored_and_replaced(tmp_path: Path) -> None:
    _run(tmp_path)
    [store] = _stores(tmp_path)
    for damage in (
        b"",  # empty
        b"\x00\x01\x02 not a store",  # foreign
        store.read_bytes()[:-40],  # cut short
        b"XXXX\x00" + store.read_bytes()[5:],  # another interpreter's magic number
        MAGIC_NUMBER + bytes([sys.flags.optimize]) + marshal.dumps({"def f(): pass": 3}),
    ):
        store.write_bytes(damage)
        run = _run(tmp_path)
        assert run["code"] == 1
        assert run["saved"] is True, damage[:20]
        assert _run(tmp_path)["saved"] is False  # the replacement is read back whole


def test_a_store_that_cannot_be_written_only_costs_the_compiling(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache folder cannot be made under a file\n", encoding="utf-8")
    run = _run(blocked)
    assert run["code"] == 1
    assert run["saved"] is False
    assert blocked.is_file()


def test_a_store_past_its_limit_keeps_only_what_the_run_used(tmp_path: Path) -> None:
    _run(tmp_path)
    [store] = _stores(tmp_path)
    header = MAGIC_NUMBER + bytes([sys.flags.optimize])
    codes = marshal.loads(store.read_bytes()[len(header) :])
    stale = {f"def old_{n}(): return {n}": compile("pass", "<string>", "exec") for n in range(2100)}
    store.write_bytes(header + marshal.dumps({**stale, "def lost(): pass": codes.popitem()[1]}))

    run = _run(tmp_path)
    assert run["saved"] is True  # the one removed above was compiled again
    kept = marshal.loads(store.read_bytes()[len(header) :])
    assert len(kept) == run["used"] < classcode.LIMIT
    assert not any(source.startswith(("def old_", "def lost")) for source in kept)


def _make_class(module: str) -> type:
    made = types.ModuleType(module)
    made.dataclasses = dataclasses  # type: ignore[attr-defined]
    sys.modules[module] = made  # dataclasses reads the class's module's namespace from here
    try:
        exec(
            "@dataclasses.dataclass(frozen=True, slots=True, kw_only=True, order=True)\n"
            "class Probe:\n"
            "    name: str\n"
            "    tags: tuple[str, ...] = ()\n"
            "    size: int = dataclasses.field(default=3, compare=False)\n",
            vars(made),
        )
    finally:
        del sys.modules[module]
    return made.Probe  # type: ignore[attr-defined,no-any-return]


def test_a_class_made_from_kept_code_behaves_as_one_compiled_afresh() -> None:
    kept, again = _make_class("socialgov._probe"), _make_class("socialgov._probe_again")
    fresh, other_fresh = _make_class("elsewhere"), _make_class("elsewhere_too")
    # socialgov's classes run the code compiled once; any other module's is compiled each time
    assert again.__init__.__code__ is kept.__init__.__code__
    assert other_fresh.__init__.__code__ is not fresh.__init__.__code__
    for cls in (kept, again, fresh):
        one, same, other = cls(name="a", tags=("x",)), cls(name="a", size=9), cls(name="b")
        assert repr(one) == "Probe(name='a', tags=('x',), size=3)"
        assert same == cls(name="a", tags=(), size=1) and one != same
        assert hash(same) == hash(cls(name="a", size=1))
        assert one < other and sorted([other, one]) == [one, other]
        with pytest.raises(dataclasses.FrozenInstanceError):
            one.name = "c"  # type: ignore[misc]
        with pytest.raises(TypeError):
            cls("a")  # keyword-only
        assert [f.name for f in dataclasses.fields(cls)] == ["name", "tags", "size"]
        assert dataclasses.replace(one, name="z").name == "z"
