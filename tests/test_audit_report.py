"""socialgov.audit.report: derived members and ``maker``, the fast way rows are made."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import CodeType

import pytest

from conftest import ACME, PROJECT
from socialgov.audit import definitions, extras, report, report_classes, values
from socialgov.audit.extras import IndicatorChange
from socialgov.audit.report import (
    ChannelRow,
    Ratio,
    Ref,
    Split,
    make_ref,
    maker,
    twin,
)

CLASSES = [
    value
    for module in (values, report_classes, extras)
    for value in vars(module).values()
    if isinstance(value, type)
    and dataclasses.is_dataclass(value)
    and value.__module__ == module.__name__
]


def _values(cls: type) -> list[object]:
    """A distinct value for each argument: its position, as text or as a number."""
    values: list[object] = []
    for i, spec in enumerate(f for f in dataclasses.fields(cls) if f.init):
        kind = str(spec.type)
        if kind.startswith("tuple"):
            values.append(())
        elif kind.startswith(("int", "float")):
            values.append(i + 1)
        else:
            values.append(f"v{i}")
    return values


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_maker_makes_what_the_class_makes(cls: type) -> None:
    values = _values(cls)
    made, expected = maker(cls)(*values), cls(*values)
    assert type(made) is cls
    for spec in dataclasses.fields(cls):  # derived members too (not compared by ==)
        assert getattr(made, spec.name) == getattr(expected, spec.name), spec.name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, 1)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_a_twin_filled_and_made_the_class_is_what_the_class_makes(cls: type) -> None:
    expected = cls(*_values(cls))
    made = object.__new__(twin(cls))
    for spec in dataclasses.fields(cls):  # derived members too: the twin has their slots
        setattr(made, spec.name, getattr(expected, spec.name))
    made.__class__ = cls
    assert made == expected and repr(made) == repr(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, 1)


@pytest.mark.parametrize(
    "cls", [c for c in CLASSES if c is not report.AuditReport], ids=lambda c: c.__name__
)
def test_a_report_value_has_an_empty_dict_where_orjson_asks_for_one(cls: type) -> None:
    # orjson asks each dataclass it writes for its ``__dict__``: a slotted value without one
    # raised (and cleared) an AttributeError there, a row or a Ref at a time; the JSON writer
    # hands orjson every section's values but the adoption matrix's; their fields are still
    # slots, and orjson, finding ``__slots__`` in the class, writes them by name
    import orjson

    made = maker(cls)(*_values(cls))
    assert made.__dict__ == {} and not hasattr(made, "__weakref__")
    with pytest.raises(TypeError):
        made.__dict__["id"] = "x"
    fields = {
        spec.name: getattr(made, spec.name)
        for spec in dataclasses.fields(cls)
        if not spec.name.startswith("_")
    }
    written = orjson.dumps(made, default=float)  # (a share of a Ratio: a Fraction)
    assert orjson.loads(written) == orjson.loads(orjson.dumps(fields, default=float))
    assert type(made).__dict__["__slots__"] and twin(cls).__bases__ == cls.__bases__


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_each_report_class_has_a_docstring_of_its_own(cls: type) -> None:
    # ``@dataclass`` gives a class without one its name and signature, worked out by
    # ``inspect.signature`` when the class is made: about 0.3 M instructions a class at every
    # import of the audit (31 of these classes, 8.9 M)
    signature = cls.__name__ + "("
    assert cls.__doc__ and not cls.__doc__.startswith(signature), cls.__doc__


def test_twin_refuses_a_class_it_cannot_stand_in_for() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Named(Ref):
        extra: int = 0

    with pytest.raises(TypeError, match="Named"):
        twin(Named)
    assert maker(Named)("Account", "a", "A", 2) == Named("Account", "a", "A", 2)


@pytest.mark.parametrize("name", [None, "", "  ", "a", " a ", "Acme", " Acme Care ", "ü"])
def test_make_ref_makes_what_the_class_makes(name: str | None) -> None:
    made, expected = make_ref("Account", "a", name), Ref("Account", "a", name)
    assert type(made) is Ref and made == expected and made.label == expected.label
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.label = "x"  # type: ignore[misc]


def test_maker_takes_defaults_and_keywords() -> None:
    make = maker(Ref)
    assert make("Account", "a") == Ref("Account", "a") and make("Account", "a").label == "a"
    named = make(kind="Account", id="a", name="Acme")
    assert named.label == "Acme (a)" and named == Ref("Account", "a", "Acme")


def test_derived_members_follow_the_fields_they_come_from() -> None:
    assert Ratio(799, 1000).percent == 79.9 and Ratio(0, 0).percent is None
    assert Split("k", 2, 3).total == 5 and replace(Split("k", 2, 3), social=5).total == 8
    assert [
        IndicatorChange("k", "K", None, Ratio(1, 2), p).direction for p in (None, 1.5, -0.1, 0.0)
    ] == [
        "new",
        "up",
        "down",
        "same",
    ]
    row = ChannelRow(*_values(ChannelRow))
    assert row.findings == row.errors + row.warnings + row.infos
    # derived members are not arguments, and do not decide equality
    assert "label" not in {f.name for f in dataclasses.fields(Ref) if f.init}
    with pytest.raises(TypeError):
        Ref("Account", "a", "n", "label")  # type: ignore[call-arg]


_IMPORTED = """
import sys
from pathlib import Path
from socialgov.audit import run_audit
from socialgov.audit.renderers import FORMATS, RenderOptions, renderer
from socialgov.config import load_config

config = load_config(Path(sys.argv[1]))
made = run_audit(config, by=sys.argv[2] or None)
for name in FORMATS:
    renderer(name)(made, RenderOptions())
print(" ".join(sorted(m for m in sys.modules if m.startswith("socialgov.audit."))))
"""


@pytest.mark.parametrize("by", ["", "team"])
def test_the_optional_parts_classes_are_imported_only_by_the_runs_that_make_them(by: str) -> None:
    # a run without ``--by team``, ``--history`` or ``--compare`` (every format rendered) makes
    # none of ``extras``' nine classes, each about 1 M instructions to make at import
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED, str(ACME), by],
        env={"PYTHONPATH": str(PROJECT / "src"), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    imported = done.stdout.split()
    assert "socialgov.audit.renderers.html" in imported  # every format was rendered
    made = {"socialgov.audit.extras", "socialgov.audit.units"} & set(imported)
    assert made == ({"socialgov.audit.extras", "socialgov.audit.units"} if by else set())
    # the report's classes are the written-out ones: no run makes them with @dataclass
    assert "socialgov.audit.report_classes" in imported
    assert "socialgov.audit.definitions" not in imported


# The written-out classes (report_classes.py) against the dataclasses defined in definitions.py

DEFINED = [
    value
    for value in vars(definitions).values()
    if isinstance(value, type)
    and dataclasses.is_dataclass(value)
    and value.__module__ == definitions.__name__
]
WRITTEN = {name: getattr(report_classes, name) for name in (c.__name__ for c in DEFINED)}
_MADE_BY_DATACLASS = {
    "__init__",
    "__repr__",
    "__eq__",
    "__hash__",
    "__setattr__",
    "__delattr__",
    "__getstate__",
    "__setstate__",
}


def test_the_report_classes_ship_as_the_generator_writes_them() -> None:
    # edit definitions.py, then run python -m socialgov.audit.definitions
    shipped = Path(report_classes.__file__).read_text(encoding="utf-8")
    assert definitions.written_code() == shipped
    assert len(DEFINED) == 44
    assert {c.__name__ for c in CLASSES if c.__module__ == report_classes.__name__} == set(WRITTEN)
    assert all(getattr(report, name) is cls for name, cls in WRITTEN.items())


@pytest.mark.parametrize("defined", DEFINED, ids=lambda c: c.__name__)
def test_a_written_out_class_is_what_dataclass_makes(defined: type) -> None:
    written = WRITTEN[defined.__name__]
    assert written.__qualname__ == defined.__qualname__
    assert written.__bases__ == defined.__bases__ and written.__doc__ == defined.__doc__
    assert set(vars(written)) == set(vars(defined))  # no member more or less
    for name in ("__annotations__", "__slots__", "__match_args__"):
        assert getattr(written, name) == getattr(defined, name), name
    assert repr(written.__dataclass_params__) == repr(defined.__dataclass_params__)
    assert written.__getstate__ is defined.__getstate__
    assert written.__setstate__ is defined.__setstate__
    assert list(written.__dataclass_fields__) == list(defined.__dataclass_fields__)
    for mine, theirs in zip(dataclasses.fields(written), dataclasses.fields(defined), strict=True):
        for slot in dataclasses.Field.__slots__:
            assert getattr(mine, slot) == getattr(theirs, slot), (mine.name, slot)
    # the arguments, their defaults and annotations (the return's is None either way)
    made_sig, their_sig = inspect.signature(written), inspect.signature(defined)
    assert made_sig.parameters == their_sig.parameters
    own = set(vars(defined)) - _MADE_BY_DATACLASS
    for name in own:  # the class's own methods and properties: the same code
        mine, theirs = vars(written)[name], vars(defined)[name]
        if isinstance(theirs, property):
            mine, theirs = mine.fget, theirs.fget
        if inspect.isfunction(theirs):
            assert _same_code(mine.__code__, theirs.__code__), name


def _same_code(mine: CodeType, theirs: CodeType) -> bool:
    """The same bytecode, names and constants (nested code alike), wherever it was written."""
    if (mine.co_code, mine.co_names, mine.co_varnames) != (
        theirs.co_code,
        theirs.co_names,
        theirs.co_varnames,
    ) or len(mine.co_consts) != len(theirs.co_consts):
        return False
    return all(
        _same_code(a, b) if isinstance(a, CodeType) and isinstance(b, CodeType) else a == b
        for a, b in zip(mine.co_consts, theirs.co_consts, strict=True)
    )


@pytest.mark.parametrize("defined", DEFINED, ids=lambda c: c.__name__)
def test_a_written_out_value_behaves_as_the_dataclass_value(defined: type) -> None:
    written = WRITTEN[defined.__name__]
    values = _values(defined)
    mine, theirs = written(*values), defined(*values)
    names = [spec.name for spec in dataclasses.fields(defined)]
    assert [getattr(mine, n) for n in names] == [getattr(theirs, n) for n in names]
    assert repr(mine) == repr(theirs) and hash(mine) == hash(theirs)
    assert mine == written(*values) and mine != theirs  # (another class)
    assert mine.__eq__(theirs) is NotImplemented and theirs.__eq__(mine) is NotImplemented
    assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
    given = [spec.name for spec in dataclasses.fields(defined) if spec.init]
    if given:  # a field changed: unequal, as the dataclass's
        first = given[0]
        other = values[0] + 1 if isinstance(values[0], int) else ("x",) if values[0] == () else "x"
        assert replace(mine, **{first: other}) != mine
        assert replace(theirs, **{first: other}) != theirs
        assert repr(replace(mine, **{first: other})) == repr(replace(theirs, **{first: other}))
    for name in names:
        for value in (mine, theirs):
            with pytest.raises(dataclasses.FrozenInstanceError) as assigned:
                setattr(value, name, 1)
            assert str(assigned.value) == f"cannot assign to field {name!r}"
            with pytest.raises(dataclasses.FrozenInstanceError) as deleted:
                delattr(value, name)
            assert str(deleted.value) == f"cannot delete field {name!r}"
    # a name that is no field is refused by both: @dataclass's own method then fails in its
    # super() call, made for the class before @dataclass made it again with slots (TypeError,
    # Python 3.10 to 3.13); the written-out class says it is frozen
    with pytest.raises(dataclasses.FrozenInstanceError):
        mine.other = 1
    with pytest.raises(TypeError):
        theirs.other = 1
    with pytest.raises(TypeError):
        _ = mine < mine  # type: ignore[operator]
    assert pickle.loads(pickle.dumps(mine)) == mine
    assert defined(*values).__match_args__ == mine.__match_args__
