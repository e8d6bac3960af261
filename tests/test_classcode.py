"""speedups/classcode.py: dataclasses' methods for socialgov's classes, compiled once and kept.

Each test runs Python in a fresh interpreter whose ``.pyc`` files (and so the store) go to a
folder of its own (``PYTHONPYCACHEPREFIX``), as a first run after an installation would.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import marshal
import os
import subprocess
import sys
import types
import typing
from importlib.util import MAGIC_NUMBER
from pathlib import Path

import pytest

from socialgov.speedups import classcode

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "examples" / "acme"
HEADER = MAGIC_NUMBER + bytes([sys.flags.optimize, 2])

# lint the example, then print whether the store was written (what the process ends by doing)
_LINT = """
import sys
from socialgov.cli import main
from socialgov.speedups import classcode
code = main(["lint", "--quiet", "--no-cache", "--as-of", "2026-11-24", "--root", sys.argv[1]])
print(code, classcode.save())
"""


def _python(prefix: Path, script: str, *flags: str, env: dict[str, str] | None = None) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment |= {"PYTHONPYCACHEPREFIX": str(prefix), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, *flags, "-c", script, str(ACME)],
        capture_output=True,
        text=True,
        env=environment | (env or {}),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def _lint(prefix: Path, *flags: str, env: dict[str, str] | None = None) -> bool:
    """Lint the example; whether the store was written at the end."""
    code, saved = _python(prefix, _LINT, *flags, env=env).split()
    assert code == "1"  # the example has findings: the run did its work
    return saved == "True"


def _store(prefix: Path) -> Path:
    [store] = prefix.rglob("classcode.*.dataclasses")
    return store


def _modules(prefix: Path) -> dict[str, tuple[int, bytes]]:
    """The store's entries: each module's count of codes and its codes marshalled."""
    data = _store(prefix).read_bytes()
    assert data.startswith(HEADER)
    modules = marshal.loads(data[len(HEADER) :])
    assert isinstance(modules, dict)
    return modules


def _stored(prefix: Path) -> dict[str, object]:
    """Every stored code by its source, whatever its module."""
    codes: dict[str, object] = {}
    for count, packed in _modules(prefix).values():
        table = marshal.loads(packed)
        assert len(table) == count
        codes |= table
    return codes


def _write(prefix: Path, modules: dict[str, dict[str, object]]) -> None:
    packed = {name: (len(table), marshal.dumps(table)) for name, table in modules.items()}
    _store(prefix).write_bytes(HEADER + marshal.dumps(packed))


def test_the_first_run_stores_the_methods_and_the_next_compiles_none(tmp_path: Path) -> None:
    assert _lint(tmp_path) is True
    written = _store(tmp_path).read_bytes()
    assert len(_stored(tmp_path)) > 100  # the model's, the rules' and the reports' classes
    assert _lint(tmp_path) is False  # every method came from the store: nothing new to keep
    assert _store(tmp_path).read_bytes() == written


def test_no_store_is_written_where_python_writes_no_pyc_files(tmp_path: Path) -> None:
    assert _lint(tmp_path, env={"PYTHONDONTWRITEBYTECODE": "1"}) is False
    assert _lint(tmp_path, "-B") is False
    assert list(tmp_path.rglob("classcode.*")) == []


def test_a_damaged_or_foreign_store_is_ignored_and_replaced(tmp_path: Path) -> None:
    _lint(tmp_path)
    store = _store(tmp_path)
    good = store.read_bytes()
    for damage in (
        b"",  # empty
        b"\x00\x01\x02 not a store",  # foreign
        good[:-40],  # cut short
        b"XXXX\x00" + good[4:],  # another interpreter's magic number
        good[:5] + b"\x01" + good[6:],  # another layout
        HEADER + marshal.dumps({"def f(): pass": 3}),  # not an index of modules
        HEADER + marshal.dumps({"socialgov.model": (1, marshal.dumps({"x": 3}))}),  # not code
        HEADER + marshal.dumps({"socialgov.model": (1, b"\x00damaged")}),
    ):
        store.write_bytes(damage)
        assert _lint(tmp_path) is True, damage[:20]
        assert _lint(tmp_path) is False  # the replacement is read back whole


def test_a_store_that_cannot_be_written_only_costs_the_compiling(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache folder cannot be made under a file\n", encoding="utf-8")
    assert _lint(blocked) is False
    assert blocked.is_file()


def test_a_store_past_its_limit_keeps_only_what_the_run_used(tmp_path: Path) -> None:
    _lint(tmp_path)
    used = _stored(tmp_path)
    one = next(iter(used.values()))
    stale = {f"def old_{n}(): return {n}": one for n in range(classcode.LIMIT)}
    modules = {name: marshal.loads(packed) for name, (_, packed) in _modules(tmp_path).items()}
    modules["socialgov.model"] |= stale  # old shapes of a module the run imports
    modules["socialgov.gone"] = stale  # and a module no run imports any more
    _write(tmp_path, modules)
    assert _lint(tmp_path) is False  # nothing new: the big store is read and kept as it is

    first = next(iter(modules["socialgov.model"]))
    del modules["socialgov.model"][first]  # one this run needs, to compile again
    _write(tmp_path, modules)
    assert _lint(tmp_path) is True
    kept = _stored(tmp_path)
    assert len(kept) == len(used)
    assert not any(source.startswith("def old_") for source in kept)


def test_a_run_reads_only_the_codes_of_the_modules_it_imports(tmp_path: Path) -> None:
    """Each module's codes are read when it makes its first class: a lint never reads those of
    a module it does not import (here damaged, which reading would find and replace)."""
    _lint(tmp_path)
    modules = _modules(tmp_path)
    modules["socialgov.not_imported"] = (1, b"\x00 not marshal")
    store = _store(tmp_path)
    store.write_bytes(HEADER + marshal.dumps(modules))
    written = store.read_bytes()
    assert _lint(tmp_path) is False
    assert store.read_bytes() == written
    del modules["socialgov.model"]  # a module the run imports: its codes compiled and stored
    store.write_bytes(HEADER + marshal.dumps(modules))
    assert _lint(tmp_path) is True
    assert _modules(tmp_path)["socialgov.not_imported"] == (1, b"\x00 not marshal")
    assert "socialgov.model" in _modules(tmp_path)


# make the same class in socialgov modules (their methods come through the store) and in another
# module, with the store and with the builtin exec alone, and compare them
_CLASSES = """
import dataclasses, inspect, sys, types

def make(module):
    made = types.ModuleType(module)
    sys.modules[module] = made  # dataclasses reads the class's module's namespace from here
    exec(
        "import dataclasses\\n"
        "@dataclasses.dataclass(frozen=True, slots=True, kw_only=True, order=True)\\n"
        "class Probe:\\n"
        "    name: str\\n"
        "    tags: 'tuple[str, ...]' = ()\\n"
        "    size: int = dataclasses.field(default=3, compare=False)\\n",
        vars(made),
    )
    del sys.modules[module]
    return made.Probe

import socialgov  # installs the store's exec
kept, again = make("socialgov._probe"), make("socialgov._probe")
foreign, other = make("elsewhere"), make("elsewhere_too")
installed = dataclasses.__dict__.pop("exec")
plain = make("elsewhere_plain")  # the builtin exec alone
dataclasses.exec = installed

# socialgov's classes run the code compiled once; any other module's is compiled each time
assert again.__init__.__code__ is kept.__init__.__code__
assert other.__init__.__code__ is not foreign.__init__.__code__
for cls in (kept, again, foreign):
    for method in ("__init__", "__repr__", "__eq__", "__lt__", "__hash__", "__setattr__"):
        made, fresh = getattr(cls, method), getattr(plain, method)
        assert made.__code__.co_flags == fresh.__code__.co_flags, method
        assert made.__code__.co_code == fresh.__code__.co_code, method
        assert made.__annotations__ == fresh.__annotations__, method
    assert str(inspect.signature(cls)) == str(inspect.signature(plain))
    one, same, other = cls(name="a", tags=("x",)), cls(name="a", size=9), cls(name="b")
    assert repr(one) == "Probe(name='a', tags=('x',), size=3)"
    assert same == cls(name="a", tags=(), size=1) and one != same
    assert hash(same) == hash(cls(name="a", size=1))
    assert one < other and sorted([other, one]) == [one, other]
    try:
        one.name = "c"
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a frozen class took an assignment")
    try:
        cls("a")
    except TypeError:
        pass
    else:
        raise AssertionError("a keyword-only class took a positional argument")
    assert [f.name for f in dataclasses.fields(cls)] == ["name", "tags", "size"]
    assert dataclasses.replace(one, name="z").name == "z"
print("same")
"""


def test_classes_made_from_kept_code_are_those_compiled_afresh(tmp_path: Path) -> None:
    assert _python(tmp_path, _CLASSES) == "same"


# the annotations dataclasses asks about, as people write them: a ClassVar, an InitVar, the
# KW_ONLY marker, each bare, through its module or an alias of it, with odd spacing, and texts
# that name none of them or do not split at all
_ANNOTATIONS = [
    "ClassVar",
    "ClassVar[int]",
    "typing.ClassVar[int]",
    "t.ClassVar",
    " t . ClassVar[str]",
    "InitVar",
    "InitVar[int]",
    "dataclasses.InitVar[int]",
    "dc.InitVar",
    "KW_ONLY",
    "dataclasses.KW_ONLY",
    "dc.KW_ONLY",
    "int",
    "str | None",
    "tuple[str, ...]",
    "missing.ClassVar",
    "",
    "[int]",
    "'quoted'",
    "3.ClassVar",
]


def _probe_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(
        "import dataclasses, dataclasses as dc, typing, typing as t\n"
        "from typing import ClassVar\n"
        "from dataclasses import InitVar, KW_ONLY\n",
        vars(module),
    )
    return module


def test_annotations_are_told_as_pythons_own_dataclasses_tell_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert sys.version_info[:2] != (3, 11) or dataclasses._is_type is classcode._is_type
    spec = importlib.util.spec_from_file_location("_pristine_dataclasses", dataclasses.__file__)
    assert spec is not None and spec.loader is not None
    pristine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pristine)
    asks = [
        (typing, typing.ClassVar, dataclasses._is_classvar),
        (dataclasses, dataclasses.InitVar, dataclasses._is_initvar),
        (dataclasses, dataclasses.KW_ONLY, dataclasses._is_kw_only),
    ]
    bare = types.ModuleType("socialgov._bare")  # imports nothing: every name is unbound
    for module in (_probe_module("socialgov._probe"), bare):
        monkeypatch.setitem(sys.modules, module.__name__, module)
        cls = type("Probe", (), {"__module__": module.__name__})
        for annotation in _ANNOTATIONS * 2:  # the second time from what was remembered
            for a_module, a_type, predicate in asks:
                args = (annotation, cls, a_module, a_type, predicate)
                assert classcode._is_type(*args) is pristine._is_type(*args), args


def test_a_name_bound_between_two_classes_is_looked_up_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("socialgov._rebound")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(  # under this file's future import: the annotations are texts, as in socialgov's
        "import dataclasses, typing\n"
        "@dataclasses.dataclass\n"
        "class Before:\n"
        "    x: Marker = 1\n"
        "Marker = typing.ClassVar\n"
        "@dataclasses.dataclass\n"
        "class After:\n"
        "    x: Marker = 1\n"
        "Marker = dataclasses.InitVar\n"
        "@dataclasses.dataclass\n"
        "class Last:\n"
        "    x: Marker = 1\n"
        "    _: dataclasses.KW_ONLY\n"
        "    y: int = 2\n",
        vars(module),
    )
    assert [f.name for f in dataclasses.fields(module.Before)] == ["x"]
    assert dataclasses.fields(module.After) == ()
    assert module.After().x == 1  # a ClassVar: no argument, the class's attribute
    assert [f.name for f in dataclasses.fields(module.Last)] == ["y"]  # x is an InitVar
    assert str(inspect.signature(module.Last)) == "(x: 'Marker' = 1, *, y: 'int' = 2) -> None"


def _dataclasses_of_the_package() -> list[type]:
    import pkgutil

    import socialgov

    found = []
    for module_info in pkgutil.walk_packages(socialgov.__path__, "socialgov."):
        if module_info.name == "socialgov.__main__":  # runs the command line
            continue
        module = importlib.import_module(module_info.name)
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and dataclasses.is_dataclass(value)
            and value.__module__ == module.__name__
        ]
    return found


def test_every_dataclass_of_the_package_has_a_docstring_of_its_own() -> None:
    # @dataclass gives a class without one its signature, through inspect.signature, each time
    # the class is made (~0.3 M instructions a class at every import)
    found = _dataclasses_of_the_package()
    assert len(found) > 150  # the walk reached the package's modules
    undocumented = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in found
        if (cls.__doc__ or "").startswith(cls.__name__ + "(")
    ]
    assert undocumented == []
