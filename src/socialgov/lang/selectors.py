"""The selector and condition language (SPEC 4.1), shared by Rule ``select``/``assert`` and by
Policy and Playbook ``applies_to``.

A selector is ``{kind: KIND | [KIND, ...], where: {PATH: CONDITION, ...}}``. It is compiled once
by :func:`compile_selector`, which checks everything that can be checked without data (kinds,
operators, operand types, regular expressions, field paths against the kinds' schemas) and raises
:class:`SelectorError` with the path of the offending node inside the selector. Matching a
compiled selector is then a few dictionary look-ups per condition.

Values
    Paths are dotted (``security.mfa``) and read ``entity.data``, which holds the fields as
    written with the SPEC's defaults applied (``status: active``...). ``kind`` and ``id`` are
    fields of every entity. A segment that reaches a reference field follows it to the entity it
    names (``owner.employment``, ``team.function``, ``owner.team.lead``); a policy reference's
    ``@version`` is ignored when following it. A path through a list (``policies.title``,
    ``handoffs.scenario``) gives the list of what each item yields, missing ones left out and
    nested lists flattened. Dates are the ISO strings as written.

Missing values
    A field that is absent, null, or a reference to no existing entity is :data:`MISSING`.
    ``present: false`` (and ``eq: null``, or a plain ``null``) matches it; ``ne`` and ``not_in``
    match it too, because a missing value is not equal to anything (so ``security.mfa: {ne: true}``
    selects accounts whose MFA is off *or unknown*); every other operator is false on it.
    ``present`` also treats an empty or blank text (only spaces), list or mapping as not present.

Lists
    When the field's value is a list, an operator holds when it holds for the list as a whole
    (``eq: [a, b]``) or for any item (as MongoDB queries do): ``policies: service-sla`` matches a
    channel that adopts that policy. ``ne`` and ``not_in`` are the exact negations of ``eq`` and
    ``in``. In a ``policies`` list, ``service-sla`` also matches a pinned ``service-sla@3``; a
    value written with ``@`` compares exactly.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import CodeType
from typing import TYPE_CHECKING, Any, Final

from socialgov.core.errors import SocialgovError
from socialgov.core.text import bounded as bounded_text
from socialgov.model import KINDS, NESTED_REFERENCES, REFERENCES

if TYPE_CHECKING:
    from socialgov.model import Entity, Model

__all__ = [
    "MISSING",
    "OPERATORS",
    "Condition",
    "FieldPath",
    "Selector",
    "SelectorError",
    "compile_condition",
    "compile_selector",
    "compile_where",
    "field_path",
    "resolve",
    "select",
]


class _Missing:
    """The value of a field that is not there; falsy, and equal only to itself."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

OPERATORS: tuple[str, ...] = (
    "eq",
    "ne",
    "in",
    "not_in",
    "present",
    "matches",
    "gt",
    "ge",
    "lt",
    "le",
    "older_than_days",
    "newer_than_days",
    "contains",
)
COMBINATORS: tuple[str, ...] = ("all", "any", "not")
SELECTOR_KEYS: tuple[str, ...] = ("kind", "where")

Path_ = tuple[str | int, ...]


MATCH_SECONDS: Final = 0.5
"""How long one ``matches`` may take on one value before the run stops (see PatternTooSlow)."""


MAX_PATTERN_SIZE: Final = 100_000
"""The largest ``matches`` pattern, counted with its repetitions multiplied out (``(a{100}){100}``
is 10,000): the timeout-capable engine (``regex``) unrolls counted repetition when it compiles,
so ``a{99999999}`` would take gigabytes before matching anything."""


def pattern_size(pattern: str) -> int:
    """How long ``pattern`` (a valid Python regular expression) is with every counted repetition
    multiplied out; an unbounded one (``+``, ``*``, ``{5,}``) counts its minimum, at least once.
    Without recursion, whatever the nesting."""
    from re import _parser  # type: ignore[attr-defined]

    repeats = {_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", None)}
    total = 0
    stack: list[tuple[Any, int]] = [(_parser.parse(pattern), 1)]
    while stack:
        items, factor = stack.pop()
        for op, arg in items:
            total += factor
            if total > MAX_PATTERN_SIZE:
                return total
            if op in repeats:
                low, high, sub = arg
                count = high if high != _parser.MAXREPEAT else max(low, 1)
                stack.append((sub, factor * max(count, 1)))
            elif op is _parser.SUBPATTERN:
                stack.append((arg[-1], factor))
            elif op is _parser.BRANCH:
                stack.extend((branch, factor) for branch in arg[1])
            elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
                stack.append((arg[1], factor))
            elif op is getattr(_parser, "ATOMIC_GROUP", None):
                stack.append((arg, factor))
            elif op is _parser.GROUPREF_EXISTS:
                stack.extend((branch, factor) for branch in arg[1:] if branch is not None)
    return total


MATCH_TOTAL_SECONDS: Final = 10.0
"""How long all ``matches`` of one run may take together: a pattern that takes just under
MATCH_SECONDS on each of many values would otherwise make the run as long as the values are
many. The run stops (exit 2) naming the pattern that was matching when the budget ran out."""


class PatternTooSlow(SocialgovError):
    """A ``matches`` pattern that backtracks catastrophically on a value, or patterns that
    together spent the run's matching budget: the run stops (exit 2) rather than hang, since a
    rule's pattern is as untrusted as the repository it comes in."""


class _MatchClock:
    """Time spent matching ``matches`` patterns in this run: reset by each command and each run
    of the rules (``rules.engine.located_findings``), so a long-running server's runs do not
    add up."""

    spent: float = 0.0


def reset_match_budget() -> None:
    """Start a new run's matching budget (MATCH_TOTAL_SECONDS)."""
    _MatchClock.spent = 0.0


def _bounded_search(
    operand: str, pattern: re.Pattern[str], where: Sequence[str | int]
) -> Callable[[Any], bool]:
    """Search with ``pattern``, giving up after MATCH_SECONDS: Python's ``re`` cannot be
    interrupted, so the same pattern runs on ``regex`` (the same syntax) with a timeout."""
    import regex

    try:
        bounded = regex.compile(operand)
    except regex.error:  # pragma: no cover - regex reads every pattern re reads
        bounded = None

    def search(item: Any) -> bool:
        if not isinstance(item, str):
            if not _is_number(item):
                return False
            item = str(item)
        if bounded is None:  # pragma: no cover
            return pattern.search(item) is not None
        left = MATCH_TOTAL_SECONDS - _MatchClock.spent
        started = time.monotonic()
        try:
            return bounded.search(item, timeout=min(MATCH_SECONDS, max(left, 0.001))) is not None
        except TimeoutError:
            shown = item if len(item) <= 40 else item[:37] + "..."
            if left < MATCH_SECONDS:
                raise PatternTooSlow(
                    f"{_show_path(where) or 'matches'}: the rules' patterns took more than "
                    f"{MATCH_TOTAL_SECONDS:g} s in all, the run's budget for matching; the "
                    f"pattern '{bounded_text(operand, 80)}' was matching '{shown}' when it ran "
                    "out; make the slow patterns simpler (anchor them, avoid nested or "
                    "overlapping repetition such as (a+)+ or (a|aa)+)"
                ) from None
            raise PatternTooSlow(
                f"{_show_path(where) or 'matches'}: the pattern '{bounded_text(operand, 80)}' "
                f"took more than {MATCH_SECONDS} s on the value '{shown}': it backtracks "
                "catastrophically; rewrite it without nested or overlapping repetition such as "
                "(a+)+ or (a|aa)+"
            ) from None
        finally:
            _MatchClock.spent += time.monotonic() - started

    return search


class SelectorError(ValueError):
    """A selector or condition that cannot work. ``path`` locates the offending node inside the
    mapping given to :func:`compile_selector` (keys and list indexes), so that the caller can
    point a finding at it; the message says what is wrong and how to fix it."""

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path: Path_ = tuple(path)

    def __str__(self) -> str:
        where = _show_path(self.path)
        return f"{where}: {self.message}" if where else self.message


def _show_path(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# ----------------------------------------------------------------------------- references

# Reference fields by (kind, path inside the entity, list indexes left out) -> kinds they name.
_REF_FIELDS: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {
    (kind, (ref.field,)): ref.kinds for kind, refs in REFERENCES.items() for ref in refs
}
_REF_FIELDS.update(
    {
        ("Playbook", ("handoffs", "from")): ("Team",),
        ("Playbook", ("handoffs", "to")): ("Team",),
        ("Playbook", ("handoffs", "continue_on")): ("Channel", "Account"),
    }
)
_REF_FIELDS.update(
    {
        (kind, (container, name)): kinds
        for kind, nested in NESTED_REFERENCES.items()
        for container, name, kinds in nested
    }
)
for _kind in KINDS:
    _REF_FIELDS[(_kind, ("waivers", "approved_by"))] = ("Person",)
_POLICY_LISTS = frozenset({"policies"})


def reference_kinds(kind: str, local_path: Sequence[str]) -> tuple[str, ...]:
    """The kinds the field at ``local_path`` of a ``kind`` entity names; () if not a reference."""
    return _REF_FIELDS.get((kind, tuple(local_path)), ())


def _follow(
    model: Model, kinds: tuple[str, ...], target: str, local: tuple[str, ...]
) -> Entity | None:
    if local and local[-1] in _POLICY_LISTS:
        target = target.partition("@")[0]
    for kind in kinds:
        found = model.find(kind, target)
        if found is not None:
            return found
    return None


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A dotted path, split once. ``get`` resolves it on an entity, following references."""

    text: str
    parts: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        parts = tuple(text.split("."))
        if not text or any(not part for part in parts):
            raise SelectorError(
                f"'{text}' is not a field path; write field names separated by dots, "
                "such as security.mfa"
            )
        return cls(text, parts)

    @property
    def policy_refs(self) -> bool:
        """True when the path ends at a list of policy references (``id@version`` items)."""
        return self.parts[-1] in _POLICY_LISTS

    def get(self, entity: Entity, model: Model) -> Any:
        # Fast path for fields of the entity itself (``status``, ``security.mfa``): plain
        # mappings all the way down. A text to follow as a reference, or a list to flatten,
        # takes the general walk.
        value: Any = entity.data
        for part in self.parts:
            if not isinstance(value, dict):
                return _walk(entity.data, entity.kind, (), self.parts, model, top=True)
            value = value.get(part, MISSING)
            if value is MISSING:
                # ``kind`` is a field of every entity, though not written in its data
                return entity.kind if self.text == "kind" else MISSING
        return MISSING if value is None else value

    @property
    def getter(self) -> Getter:
        """:meth:`get` as a function made for this path (one, two or more parts), for loops
        over many entities: the same answers without the method call and the loop."""
        return _getter(self.parts)

    def values(self, entities: Iterable[Entity], model: Model) -> list[Any]:
        """What :attr:`getter` answers for each of ``entities``, in their order; a field of
        the entity itself (one name) is read in one loop, without a call per entity."""
        get = self.getter
        if len(self.parts) != 1 or self.parts == ("kind",):
            return [get(entity, model) for entity in entities]
        (name,) = self.parts
        found: list[Any] = []
        for entity in entities:
            data = entity.data
            if type(data) is dict:
                value = data.get(name)
                found.append(MISSING if value is None else value)
            else:
                found.append(get(entity, model))
        return found

    def local(self, entity: Entity) -> tuple[str, ...]:
        """The part of the path inside ``entity`` itself: up to the first reference it follows.

        This is the node a finding about the value points at (``owner`` for ``owner.employment``).
        """
        local: list[str] = []
        for part in self.parts:
            local.append(part)
            if reference_kinds(entity.kind, local):
                break
        return tuple(local)


Getter = Callable[["Entity", "Model"], Any]


@cache
def _getter(parts: tuple[str, ...]) -> Getter:
    """What :meth:`FieldPath.get` answers for ``parts``, as a function: plain mappings are read
    at once; anything else (a reference to follow, a list to flatten, a value that is not a
    mapping) takes the general walk, as there."""
    if len(parts) == 1:
        (only,) = parts
        kind_field = only == "kind"

        def get_one(entity: Entity, model: Model) -> Any:
            data = entity.data
            if not isinstance(data, dict):
                return _walk(data, entity.kind, (), parts, model, top=True)
            value = data.get(only, MISSING)
            if value is None:
                return MISSING
            if value is MISSING and kind_field:
                return entity.kind  # a field of every entity, though not written in its data
            return value

        return get_one
    if len(parts) == 2:
        first, second = parts

        def get_two(entity: Entity, model: Model) -> Any:
            data = entity.data
            if isinstance(data, dict):
                value = data.get(first, MISSING)
                if value is MISSING:
                    return MISSING
                if isinstance(value, dict):
                    value = value.get(second)
                    return MISSING if value is None else value
            return _walk(data, entity.kind, (), parts, model, top=True)

        return get_two

    def get_many(entity: Entity, model: Model) -> Any:
        value: Any = entity.data
        for part in parts:
            if not isinstance(value, dict):
                return _walk(entity.data, entity.kind, (), parts, model, top=True)
            value = value.get(part, MISSING)
            if value is MISSING:
                return MISSING
        return MISSING if value is None else value

    return get_many


def _walk(
    value: Any,
    kind: str,
    local: tuple[str, ...],
    parts: tuple[str, ...],
    model: Model,
    top: bool = False,
) -> Any:
    for index, part in enumerate(parts):
        if isinstance(value, list):
            found: list[Any] = []
            for item in value:
                result = _walk(item, kind, local, parts[index:], model)
                if result is MISSING:
                    continue
                if isinstance(result, list):
                    found.extend(result)
                else:
                    found.append(result)
            return found
        if isinstance(value, str):
            kinds = reference_kinds(kind, local)
            if not kinds:
                return MISSING
            target = _follow(model, kinds, value, local)
            if target is None:
                return MISSING
            value, kind, local, top = target.data, target.kind, (), True
        if not isinstance(value, Mapping):
            return MISSING
        if part in value:
            value = value[part]
        elif top and part == "kind":
            value = kind
        else:
            return MISSING
        local = (*local, part)
        top = False
    return MISSING if value is None else value


def resolve(entity: Entity, dotted_path: str | FieldPath, model: Model) -> Any:
    """The value at ``dotted_path`` in ``entity`` (references followed), or :data:`MISSING`."""
    path = dotted_path if isinstance(dotted_path, FieldPath) else FieldPath.parse(dotted_path)
    return path.get(entity, model)


# ----------------------------------------------------------------------------- field checking


@cache
def _kind_schema(kind: str) -> Mapping[str, Any]:
    from socialgov.schema.validation import KIND_FILES, load_schema

    return load_schema(KIND_FILES[kind])


def _deref(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node and seen < 10:
        ref = str(node["$ref"])
        if not ref.startswith("#/$defs/"):
            return {}
        node = schema.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {})
        seen += 1
    return node


def _unknown_field(
    kinds: Iterable[str], parts: tuple[str, ...]
) -> tuple[int, str, list[str]] | None:
    """Where ``parts`` names a field that no kind's schema has: (index, kind names, choices).

    Only closed mappings are checked (an entity, ``security``, ``metrics``...); free-form ones
    (``labels``, ``terms``) accept any key. Reference fields switch to the named kind's schema.
    """
    failures: list[tuple[int, str, list[str]]] = []
    for kind in kinds:
        failure = _check_parts(kind, parts)
        if failure is None:
            return None
        failures.append(failure)
    if not failures:
        return None
    index = max(f[0] for f in failures)
    deepest = [f for f in failures if f[0] == index]
    choices = sorted({c for f in deepest for c in f[2]})
    return index, " or ".join(dict.fromkeys(f[1] for f in deepest)), choices


def _check_parts(
    kind: str, parts: tuple[str, ...], offset: int = 0
) -> tuple[int, str, list[str]] | None:
    schema = _kind_schema(kind)
    node: Mapping[str, Any] = schema
    local: tuple[str, ...] = ()
    for index, part in enumerate(parts):
        while node.get("type") == "array" or "items" in node:
            node = _deref(schema, node.get("items", {}))
        targets = reference_kinds(kind, local)
        if targets:
            results = [_check_parts(k, parts[index:], offset + index) for k in targets]
            return None if any(r is None for r in results) else results[0]
        properties = node.get("properties")
        if not isinstance(properties, Mapping):
            return None  # a scalar or a free-form mapping: nothing more to check
        if part in properties:
            node = _deref(schema, properties[part])
            local = (*local, part)
            continue
        if node.get("additionalProperties", True) is not False:
            return None
        what = kind if not local else f"{kind} {'.'.join(local)}"
        return offset + index, what, sorted(properties)
    return None


# ----------------------------------------------------------------------------- values


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _same(value: Any, wanted: Any, policy_refs: bool) -> bool:
    """Equality without Python's surprises: true is not 1, a date equals its ISO text."""
    if isinstance(value, bool) or isinstance(wanted, bool):
        return isinstance(value, bool) and isinstance(wanted, bool) and value == wanted
    if _is_number(value) and _is_number(wanted):
        return bool(value == wanted)
    if isinstance(value, dt.date) or isinstance(wanted, dt.date):
        left, right = _as_date(value), _as_date(wanted)
        return left is not None and left == right
    if policy_refs and isinstance(value, str) and isinstance(wanted, str) and "@" not in wanted:
        return value.partition("@")[0] == wanted
    if isinstance(value, list | tuple) and isinstance(wanted, list | tuple):
        return list(value) == list(wanted)
    return type(value) is type(wanted) and bool(value == wanted)


def _equals(value: Any, wanted: Any, policy_refs: bool) -> bool:
    if value is MISSING:
        return wanted is None
    if wanted is None:
        return False
    if isinstance(value, list):
        return _same(value, wanted, policy_refs) or any(
            _same(v, wanted, policy_refs) for v in value
        )
    return _same(value, wanted, policy_refs)


def _member(options: tuple[Any, ...], policy_refs: bool) -> Callable[[Any], bool]:
    """``in``: the value equals one of ``options``. When every option is a text (the usual
    ``status: {not_in: [retired, planned]}``), a text value is looked up in a set, which is what
    comparing it with each option by :func:`_same` amounts to (texts equal only texts)."""
    texts = frozenset(o for o in options if type(o) is str)
    if policy_refs or len(texts) != len(options):
        return lambda value: any(_equals(value, o, policy_refs) for o in options)

    def test(value: Any) -> bool:
        if type(value) is str:
            return value in texts
        return any(_equals(value, o, policy_refs) for o in options)

    return test


def _equality(operand: Any, policy_refs: bool) -> Test:
    """``eq``: :func:`_equals`. A text or a boolean value meets a text or boolean operand of
    its own type exactly when it is equal (what :func:`_same` amounts to), which is tested
    first: ``purpose: service`` and ``security.mfa: true`` are the usual conditions."""
    if type(operand) is bool or (type(operand) is str and not policy_refs):
        kind = type(operand)

        def test(value: Any, as_of: dt.date) -> bool:
            if type(value) is kind:
                return bool(value == operand)
            return _equals(value, operand, policy_refs)

        return test
    return lambda value, _: _equals(value, operand, policy_refs)


def _any_item(value: Any, test: Callable[[Any], bool]) -> bool:
    if value is MISSING:
        return False
    if isinstance(value, list):
        return any(test(item) for item in value if item is not None)
    return test(value)


def _present(value: Any) -> bool:
    if value is MISSING or value is None:
        return False
    if isinstance(value, str):
        return not value.isspace() and value != ""
    if isinstance(value, list | tuple | dict):  # before the slower check against Mapping
        return len(value) != 0
    return not (isinstance(value, Mapping) and len(value) == 0)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


def _comparer(op: str, operand: Any) -> Callable[[Any], bool]:
    compare = _COMPARE[op]
    operand_date = _as_date(operand)
    if _is_number(operand):

        def test(value: Any) -> bool:
            return _is_number(value) and compare(value, operand)

    elif operand_date is not None:

        def test(value: Any) -> bool:
            value_date = _as_date(value)
            return value_date is not None and compare(value_date, operand_date)

    else:

        def test(value: Any) -> bool:
            return isinstance(value, str) and compare(value, operand)

    return test


def _contains(value: Any, wanted: Any, policy_refs: bool) -> bool:
    if isinstance(value, list):
        return any(_same(item, wanted, policy_refs) for item in value)
    if isinstance(value, str):
        return isinstance(wanted, str) and wanted in value
    if isinstance(value, Mapping):
        return isinstance(wanted, str) and wanted in value
    return False


# ----------------------------------------------------------------------------- conditions

Test = Callable[[Any, dt.date], bool]


Sieve = Callable[[Sequence["Entity"]], list["Entity"]]
SureForm = tuple[tuple[str, Any], tuple[str, ...], Any]
"""A sieve's form (a key of _SURELY), the one or two names of the field it reads, its operand."""


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled condition on one field: every (operator, operand) must hold."""

    path: FieldPath
    operators: tuple[tuple[str, Any], ...]
    tests: tuple[Test, ...]
    doubtful: Sieve | None = field(default=None, compare=False, repr=False)
    """For the usual conditions (see :func:`_sieve`): the entities, of those given, that may
    not meet the condition, in their order; every other one surely meets it. None for the
    others: every entity is in doubt."""
    sure: SureForm | None = field(default=None, compare=False, repr=False)
    """What ``doubtful`` tests (its form, the names it reads and the operand), for a pass that
    sieves for several conditions at once (:func:`doubtful_together`); None without one."""

    def holds(self, value: Any, as_of: dt.date) -> bool:
        if len(self.tests) == 1:  # the usual single operator, without a generator per value
            return self.tests[0](value, as_of)
        return all(test(value, as_of) for test in self.tests)

    def matches(self, entity: Entity, model: Model, as_of: dt.date) -> bool:
        tests = self.tests
        if len(tests) == 1:
            return tests[0](self.path.get(entity, model), as_of)
        return self.holds(self.path.get(entity, model), as_of)


def _operator_test(op: str, operand: Any, path: FieldPath, where: Path_) -> Test:
    """One operator's test, with its operand checked; ``where`` locates it for errors."""
    refs = path.policy_refs
    if op == "eq":
        _check_scalar_or_list(operand, op, where)
        return _equality(operand, refs)
    if op == "ne":
        _check_scalar_or_list(operand, op, where)
        return lambda value, _: not _equals(value, operand, refs)
    if op in ("in", "not_in"):
        if not isinstance(operand, list):
            raise SelectorError(
                f"'{op}' takes a list of values, such as {op}: [retired, planned]; "
                f"got {_describe(operand)}",
                where,
            )
        for index, item in enumerate(operand):
            _check_scalar_or_list(item, op, (*where, index))
        options = tuple(operand)
        member = _member(options, refs)
        if op == "in":
            return lambda value, _: member(value)
        return lambda value, _: not member(value)
    if op == "present":
        if not isinstance(operand, bool):
            raise SelectorError(f"'present' takes true or false; got {_describe(operand)}", where)
        return lambda value, _: _present(value) is operand
    if op == "matches":
        if not isinstance(operand, str):
            raise SelectorError(
                f"'matches' takes a regular expression written as text; got {_describe(operand)}",
                where,
            )
        shown = bounded_text(operand, 80)
        try:
            pattern = re.compile(operand)
        except (re.error, OverflowError, RecursionError) as exc:
            raise SelectorError(
                f"'{shown}' is not a valid regular expression ({bounded_text(str(exc))}); fix the "
                "pattern (Python syntax; escape special characters such as . ( [ with a "
                "backslash)",
                where,
            ) from None
        size = pattern_size(operand)
        if size > MAX_PATTERN_SIZE:
            raise SelectorError(
                f"'{shown}' repeats too much: with its repetition counts multiplied out it is "
                f"at least {size:,} steps long, more than {MAX_PATTERN_SIZE:,}; use smaller "
                "counts such as {1,100}, or + and * where the count does not matter",
                where,
            )

        search = _bounded_search(operand, pattern, where)
        return lambda value, _: _any_item(value, search)
    if op in _COMPARE:
        if not (_is_number(operand) or isinstance(operand, str)):
            raise SelectorError(
                f"'{op}' compares with a number or a date (YYYY-MM-DD); got {_describe(operand)}",
                where,
            )
        compare = _comparer(op, operand)
        if _is_number(operand):
            ordered = _COMPARE[op]

            def numeric(value: Any, as_of: dt.date) -> bool:
                # A number value is compared at once (what _any_item and compare amount to).
                if type(value) is int or type(value) is float:
                    return ordered(value, operand)
                return _any_item(value, compare)

            return numeric
        return lambda value, _: _any_item(value, compare)
    if op in ("older_than_days", "newer_than_days"):
        if not (isinstance(operand, int) and not isinstance(operand, bool)) or operand < 0:
            raise SelectorError(
                f"'{op}' takes a whole number of days, 0 or more; got {_describe(operand)}",
                where,
            )
        days = operand
        older = op == "older_than_days"

        def age_test(value: Any, as_of: dt.date) -> bool:
            def one(item: Any) -> bool:
                day = _as_date(item)
                if day is None:
                    return False
                age = (as_of - day).days
                return age > days if older else age <= days

            return _any_item(value, one)

        return age_test
    if op == "contains":
        _check_scalar_or_list(operand, op, where)
        if isinstance(operand, list | Mapping):
            raise SelectorError(
                "'contains' takes one value (the item or text to look for); got "
                f"{_describe(operand)}; "
                "to require several, combine conditions with all:",
                where,
            )
        return lambda value, _: value is not MISSING and _contains(value, operand, refs)
    raise SelectorError(_unknown_operator(op), where)


# Operators of other query languages (MongoDB, JSON Logic, OPA) people type from habit.
_ALIASES = {
    "gte": "ge",
    "lte": "le",
    "neq": "ne",
    "nin": "not_in",
    "notin": "not_in",
    "exists": "present",
    "regex": "matches",
    "match": "matches",
    "equals": "eq",
    "has": "contains",
    "older_than": "older_than_days",
    "newer_than": "newer_than_days",
}


def _unknown_operator(op: Any) -> str:
    close = (
        [_ALIASES[op]]
        if op in _ALIASES
        else difflib.get_close_matches(str(op), [*OPERATORS, *COMBINATORS], n=1, cutoff=0.6)
    )
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown operator '{op}'; {hint}operators are {', '.join(OPERATORS)}"


def _check_scalar_or_list(operand: Any, op: str, where: Path_) -> None:
    if isinstance(operand, Mapping):
        raise SelectorError(
            f"'{op}' takes a value or a list, not a mapping; to combine conditions use all:, any: "
            "or not: around whole where-mappings",
            where,
        )


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{value}'"
    return f"the {type(value).__name__} {value}"


def compile_condition(
    field: str, condition: Any, where: Path_ = (), kinds: Sequence[str] = ()
) -> Condition:
    """Compile the condition on ``field``: a plain value (equals), a list (any of), or a
    mapping of operators. ``where`` is the condition's own path, for errors."""
    path = field_path(field, where, kinds)
    if isinstance(condition, Mapping):
        if not condition:
            raise SelectorError(
                f"the condition on '{field}' is an empty mapping; give an operator "
                f"({', '.join(OPERATORS)}) or a value",
                where,
            )
        operators: list[tuple[str, Any]] = []
        tests: list[Test] = []
        for op, operand in condition.items():
            if op not in OPERATORS:
                raise SelectorError(_unknown_operator(op), (*where, op))
            tests.append(_operator_test(op, operand, path, (*where, op)))
            operators.append((op, operand))
        return _condition(path, tuple(operators), tuple(tests))
    op = "in" if isinstance(condition, list) else "eq"
    test = _operator_test(op, condition, path, where)
    return _condition(path, ((op, condition),), (test,))


def _condition(
    path: FieldPath, operators: tuple[tuple[str, Any], ...], tests: tuple[Test, ...]
) -> Condition:
    sure = _sure_form(path, operators)
    return Condition(path, operators, tests, None if sure is None else _sieve(sure), sure)


# What surely meets a condition, as Python expressions on the value ``v`` read from an entity's
# data (names bound in _SIEVE_NAMES, operands passed as ``OPERAND``, never written into code):
# each implies what the condition's test (_operator_test) answers on that value.
_SURELY: dict[tuple[str, Any], str] = {
    # _present: a text with a character that is not a blank; a list or a mapping with items; a
    # number, a boolean or a date (not a Mapping, so present).
    ("present", True): (
        "(type(v) is str and not v.isspace() and v != '') "
        "or (type(v) in SIZED and len(v) != 0) or type(v) in SCALARS"
    ),
    # _equality: a value of the operand's own type is compared with == at once.
    ("eq", bool): "type(v) is bool and v == OPERAND",
    ("eq", str): "type(v) is str and v == OPERAND",
}
_SIEVE_NAMES: dict[str, Any] = {
    "SIZED": (list, dict),
    "SCALARS": (int, float, bool, dt.date, dt.datetime),
}


def _sure_form(path: FieldPath, operators: Sequence[tuple[str, Any]]) -> SureForm | None:
    """What the ``doubtful`` of a condition tests: for one operator, ``present: true`` or
    ``eq`` with a text or a boolean, on a field of the entity itself (one or two names, read
    through plain dicts: no reference followed, no list flattened); None for other conditions."""
    if len(operators) != 1 or path.parts == ("kind",) or len(path.parts) > 2:
        return None
    op, operand = operators[0]
    if op == "present" and operand is True:
        form: tuple[str, Any] = ("present", True)
    elif op == "eq" and type(operand) is bool:
        form = ("eq", bool)
    elif op == "eq" and type(operand) is str and not path.policy_refs:
        form = ("eq", str)
    else:
        return None
    return form, tuple(path.parts), operand


def _sieve(sure: SureForm) -> Sieve:
    """The ``doubtful`` of a condition whose test :func:`_sure_form` reads: a loop made for it
    once, reading the value with ``dict.get`` and testing it inline, where the general way makes
    three calls per entity (the getter, the test, the check). Whatever the loop is not sure of
    (another type, data that is not a dict, a missing value) is left in doubt, to be tested the
    general way."""
    together = doubtful_together([sure])
    return lambda entities: together(entities)[0]


def doubtful_together(
    forms: Sequence[SureForm],
) -> Callable[[Sequence[Entity]], tuple[list[Entity], ...]]:
    """For several conditions' :attr:`Condition.sure`: a function giving, for each in order,
    what its ``doubtful`` gives of the entities, in one pass over them. At 100,000 entities a
    pass is set by reading each entity and its data from memory more than by the tests: rules
    testing several fields of the same entities (the built-in rules on the live Accounts)
    read each mapping once instead of once per rule."""
    names: dict[str, Any] = dict(_SIEVE_NAMES)
    for number, (_, parts, operand) in enumerate(forms):
        names[f"OPERAND{number}"] = operand  # the operands and names are names, not code
        names[f"FIRST{number}"] = parts[0]
        names[f"SECOND{number}"] = parts[-1]
    shape = tuple((form, len(parts)) for form, parts, _ in forms)
    exec(_sieve_code(shape), names)
    made: Callable[[Sequence[Entity]], tuple[list[Entity], ...]] = names["doubtful"]
    return made


@cache
def _sieve_code(shape: tuple[tuple[tuple[str, Any], int], ...]) -> CodeType:
    """The code defining ``doubtful`` for conditions of these forms on fields of so many names
    each, compiled once per process: compiling it costs about 45 us a condition, making the
    function from the compiled code about 2 us."""
    indent = "\n" + " " * 12
    body = unsure = ""
    for number, (form, parts) in enumerate(shape):
        body += f"{indent}v = d.get(FIRST{number})"
        if parts == 2:
            body += f"{indent}v = v.get(SECOND{number}) if type(v) is dict else None"
        sure = _SURELY[form].replace("OPERAND", f"OPERAND{number}")
        body += f"{indent}if not ({sure}):{indent}    add{number}(entity)"
        unsure += f"{indent}add{number}(entity)"
    made = ", ".join(f"found{n}" for n in range(len(shape)))
    adds = ", ".join(f"found{n}.append" for n in range(len(shape)))
    adders = ", ".join(f"add{n}" for n in range(len(shape)))
    source = f"""
def doubtful(entities):
    {made}, = {", ".join("[]" for _ in shape)},
    {adders}, = {adds},
    for entity in entities:
        d = entity.data
        if type(d) is dict:{body}
        else:{unsure}
    return {made},
"""
    kinds = " ".join(f"{form[0]}-{getattr(form[1], '__name__', form[1])}" for form, _ in shape)
    return compile(source, f"<sieve: {kinds}>", "exec")


def field_path(field: Any, where: Path_ = (), kinds: Sequence[str] = ()) -> FieldPath:
    """Parse a dotted path and check it against the schemas of ``kinds`` (all when empty)."""
    if not isinstance(field, str):
        raise SelectorError(
            f"a field path must be text such as security.mfa; got {_describe(field)}", where
        )
    try:
        path = FieldPath.parse(field)
    except SelectorError as exc:
        raise SelectorError(exc.message, where) from None
    unknown = _unknown_field(kinds or KINDS, path.parts)
    if unknown is not None:
        index, owner, choices = unknown
        part = path.parts[index]
        close = difflib.get_close_matches(part, choices, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif kinds and len(choices) <= 30:
            hint = f"its fields are {', '.join(choices)}"
        else:
            hint = "see 'socialgov schema' for each kind's fields"
        subject = f"{owner} has no field" if kinds or index else "no kind has a field"
        within = f" (in '{field}')" if len(path.parts) > 1 else ""
        raise SelectorError(f"{subject} '{part}'{within}; {hint}", where)
    return path


# ----------------------------------------------------------------------------- where

Match = Callable[["Entity", "Model", dt.date], bool]


def compile_where(where: Any, at: Path_ = ("where",), kinds: Sequence[str] = ()) -> Match:
    """Compile a where-mapping (field conditions and ``all``/``any``/``not``) into a predicate."""
    if not isinstance(where, Mapping):
        raise SelectorError(
            "'where' must be a mapping from field paths to conditions, such as "
            "{purpose: service, security.mfa: {ne: true}}; got " + _describe(where),
            at,
        )
    parts: list[Match] = []
    for key, value in where.items():
        here = (*at, key)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise SelectorError(
                    f"'{key}' takes a non-empty list of where-mappings, such as "
                    f"{key}: [{{platform: x}}, {{platform: threads}}]; got {_describe(value)}",
                    here,
                )
            subs = tuple(compile_where(item, (*here, i), kinds) for i, item in enumerate(value))
            parts.append(_all(subs) if key == "all" else _any(subs))
        elif key == "not":
            parts.append(_not(compile_where(value, here, kinds)))
        else:
            condition = compile_condition(key, value, here, kinds)
            parts.append(_matcher(condition))
    return _all(tuple(parts))


def _matcher(condition: Condition) -> Match:
    """:meth:`Condition.matches` as a function, reading the value with the path's getter."""
    get = condition.path.getter
    if len(condition.tests) == 1:  # the usual single operator
        test = condition.tests[0]
        texts = _text_choice(condition)
        if texts is not None:  # a text field against texts: one call per entity, not three
            name, wanted, negated = texts

            def match(entity: Entity, model: Model, as_of: dt.date) -> bool:
                data = entity.data
                if type(data) is dict:
                    value = data.get(name)
                    if type(value) is str:
                        return (value in wanted) is not negated
                return test(get(entity, model), as_of)

            return match
        return lambda entity, model, as_of: test(get(entity, model), as_of)
    holds = condition.holds
    return lambda entity, model, as_of: holds(get(entity, model), as_of)


def _text_choice(condition: Condition) -> tuple[str, frozenset[str], bool] | None:
    """For a condition that compares a field of the entity itself (one name, not ``kind``, not a
    policy list) with texts only (``eq``, ``ne``, ``in``, ``not_in``): the field's name, the
    texts, and whether the condition is their negation. A text value then meets it exactly when
    it is (or, negated, is not) one of them: what :func:`_same` amounts to for two texts."""
    path = condition.path
    if len(condition.operators) != 1 or len(path.parts) != 1 or path.parts == ("kind",):
        return None
    if path.policy_refs:
        return None
    op, operand = condition.operators[0]
    options = operand if op in ("in", "not_in") else [operand]
    if op not in ("eq", "ne", "in", "not_in") or not isinstance(options, list):
        return None
    if not options or any(type(option) is not str for option in options):
        return None
    return path.parts[0], frozenset(options), op in ("ne", "not_in")


def _all(parts: tuple[Match, ...]) -> Match:
    if len(parts) == 1:
        return parts[0]

    if len(parts) == 2:  # the usual pair, without a generator per entity
        first, second = parts
        return lambda entity, model, as_of: bool(
            first(entity, model, as_of) and second(entity, model, as_of)
        )
    return lambda entity, model, as_of: all(p(entity, model, as_of) for p in parts)


def _any(parts: tuple[Match, ...]) -> Match:
    return lambda entity, model, as_of: any(p(entity, model, as_of) for p in parts)


def _not(part: Match) -> Match:
    return lambda entity, model, as_of: not part(entity, model, as_of)


# ----------------------------------------------------------------------------- selectors


@dataclass(frozen=True)
class Selector:
    """A compiled selector: which kinds, and the predicate their entities must meet."""

    kinds: tuple[str, ...]
    """The kinds it chooses from; empty means every kind."""
    source: Mapping[str, Any]
    _where: Match | None = None
    _choose: Chooser | None = None
    """For a where of one condition comparing a field with texts (``status: {not_in:
    [retired, planned]}``) or a number (``metrics.followers: {ge: 10000}``): the entities, of
    those given, that ``_where`` matches, in one loop without a call per entity (see
    :func:`_chooser`)."""

    def matches(self, entity: Entity, model: Model, as_of: dt.date) -> bool:
        if self.kinds and entity.kind not in self.kinds:
            return False
        return self._where is None or self._where(entity, model, as_of)

    def matching(self, entities: Iterable[Entity], model: Model, as_of: dt.date) -> list[Entity]:
        """``[e for e in entities if self.matches(e, model, as_of)]``, with a where of one
        condition on texts or a number chosen in one loop (``_choose``) and no call per entity
        for the kinds."""
        kinds, where = self.kinds, self._where
        chosen = [e for e in entities if e.kind in kinds] if kinds else list(entities)
        if where is None:
            return chosen
        if self._choose is not None:
            return self._choose(chosen, model, as_of)
        return [e for e in chosen if where(e, model, as_of)]


def compile_selector(data: Mapping[str, Any]) -> Selector:
    """Check and compile a selector once; raise :class:`SelectorError` at its offending node."""
    if not isinstance(data, Mapping):
        raise SelectorError(
            "a selector must be a mapping with 'kind' and/or 'where', such as "
            "{kind: Account, where: {purpose: service}}; got " + _describe(data)
        )
    for key in data:
        if key not in SELECTOR_KEYS:
            close = difflib.get_close_matches(str(key), SELECTOR_KEYS, n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else "conditions go under 'where'"
            raise SelectorError(
                f"unknown selector key '{key}'; a selector has only kind and where; {hint}", (key,)
            )
    kinds = _kinds(data.get("kind"))
    where = choose = None
    if "where" in data:
        written = data["where"]
        where = compile_where(written, ("where",), kinds)
        if isinstance(written, Mapping) and len(written) == 1:
            [(key, value)] = written.items()
            if key not in ("all", "any", "not"):
                choose = _chooser(compile_condition(key, value, ("where", key), kinds))
    return Selector(kinds=kinds, source=data, _where=where, _choose=choose)


Chooser = Callable[[Iterable["Entity"], "Model", dt.date], list["Entity"]]


def _chooser(condition: Condition) -> Chooser | None:
    """For a condition :func:`_text_choice` reads (a field of the entity itself against
    texts): the entities, of those given, meeting it, in their order, in one loop reading a
    text value at once (what _matcher's ``match`` answers for each, without calling it: a
    selection of 100,000 Accounts made 100,000 calls); None for other conditions."""
    texts = _text_choice(condition)
    if texts is None:
        return _number_chooser(condition)
    name, wanted, negated = texts
    get, test = condition.path.getter, condition.tests[0]

    def choose(entities: Iterable[Entity], model: Model, as_of: dt.date) -> list[Entity]:
        found: list[Entity] = []
        add = found.append
        for entity in entities:
            data = entity.data
            if type(data) is dict:
                value = data.get(name)
                if type(value) is str:
                    if (value in wanted) is not negated:
                        add(entity)
                    continue
            if test(get(entity, model), as_of):
                add(entity)
        return found

    return choose


def _number_chooser(condition: Condition) -> Chooser | None:
    """For a condition comparing a field of the entity itself (one or two names, such as
    ``metrics.followers``) with a number (``gt``, ``ge``, ``lt``, ``le``): the entities, of those
    given, meeting it, in their order, in one loop that compares a number value at once, read
    through plain dicts (what the getter and the test answer for it: see _operator_test's
    ``numeric``); any other value is asked of the getter and the test. None for other
    conditions."""
    path = condition.path
    if len(condition.operators) != 1 or not 1 <= len(path.parts) <= 2 or path.policy_refs:
        return None
    op, operand = condition.operators[0]
    if op not in _COMPARE or not _is_number(operand) or path.parts == ("kind",):
        return None
    first, second = path.parts[0], path.parts[-1]
    two = len(path.parts) == 2
    ordered, get, test = _COMPARE[op], path.getter, condition.tests[0]

    def choose(entities: Iterable[Entity], model: Model, as_of: dt.date) -> list[Entity]:
        found: list[Entity] = []
        add = found.append
        for entity in entities:
            data = entity.data
            if type(data) is dict:
                value = data.get(first)
                if two and type(value) is dict:
                    value = value.get(second)
                elif two:
                    value = None  # not read through plain dicts: asked below
                if type(value) is int or type(value) is float:
                    if ordered(value, operand):
                        add(entity)
                    continue
            if test(get(entity, model), as_of):
                add(entity)
        return found

    return choose


def _kinds(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    names = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not value:
        raise SelectorError(
            "'kind' is an empty list; name at least one kind or leave it out", ("kind",)
        )
    kinds: list[str] = []
    for index, name in enumerate(names):
        at: Path_ = ("kind", index) if isinstance(value, list) else ("kind",)
        if name not in KINDS:
            close = next((k for k in KINDS if str(name).lower() == k.lower()), None)
            hint = f"did you mean '{close}'?" if close else f"use one of {', '.join(KINDS)}"
            raise SelectorError(f"unknown kind '{name}'; {hint}", at)
        if name not in kinds:
            kinds.append(name)
    return tuple(kinds)


def select(model: Model, selector: Selector | Mapping[str, Any], as_of: dt.date) -> list[Entity]:
    """The entities of ``model`` that ``selector`` chooses, in kind order then model order."""
    compiled = selector if isinstance(selector, Selector) else compile_selector(selector)
    kinds = compiled.kinds or KINDS
    where = compiled._where
    if where is None:
        return [entity for kind in kinds for entity in model.of(kind)]
    choose = compiled._choose
    if choose is not None:  # the usual where on texts: one loop per kind, no call per entity
        found: list[Entity] = []
        for kind in kinds:
            found.extend(choose(model.of(kind), model, as_of))
        return found
    return [entity for kind in kinds for entity in model.of(kind) if where(entity, model, as_of)]


def source_key(value: Any) -> Any:
    """A hashable stand-in for a selector as written: types, values and key order all count,
    so two selectors with the same key select the same entities in the same way."""
    if isinstance(value, Mapping):
        return ("map", tuple((source_key(k), source_key(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(source_key(v) for v in value))
    return (type(value).__name__, value)


class Selections:
    """The entities each selector selects, computed once per run and shared by every rule.

    Several rules often select the same entities (six built-in rules choose the live Accounts,
    and the policies' ``applies_to`` are matched by several rules): a selector written the same
    way is compiled and run over the model once. The answers belong to one model and one as-of
    date; asked about another, it starts afresh. One instance serves one run (see RuleContext).
    """

    def __init__(self) -> None:
        self._model: Model | None = None
        self._as_of: dt.date | None = None
        self._compiled: dict[Any, Selector | SelectorError] = {}
        self._selected: dict[Any, tuple[Entity, ...]] = {}
        self._filtered: dict[tuple[Any, int], tuple[tuple[Entity, ...], list[Entity]]] = {}
        self._doubtful: dict[Any, dict[int, tuple[Condition, list[Entity]]]] = {}

    def _for(self, model: Model, as_of: dt.date) -> None:
        if model is not self._model or as_of != self._as_of:
            self._model, self._as_of = model, as_of
            self._selected.clear()
            self._filtered.clear()
            self._doubtful.clear()

    def compile(self, source: Mapping[str, Any]) -> Selector:
        """:func:`compile_selector`, remembered; raises its SelectorError each time."""
        key = source_key(source)
        try:
            compiled = self._compiled.get(key)
        except TypeError:  # an unhashable value (a set from a plugin): not remembered
            return compile_selector(source)
        if compiled is None:
            try:
                compiled = compile_selector(source)
            except SelectorError as error:
                compiled = error
            self._compiled[key] = compiled
        if isinstance(compiled, SelectorError):
            raise SelectorError(compiled.message, compiled.path)
        return compiled

    def select(
        self, model: Model, selector: Selector | Mapping[str, Any], as_of: dt.date
    ) -> list[Entity]:
        """What :func:`select` returns, computed once per selector."""
        compiled = selector if isinstance(selector, Selector) else self.compile(selector)
        self._for(model, as_of)
        try:
            key = source_key(compiled.source)
            found = self._selected.get(key)
        except TypeError:
            return select(model, compiled, as_of)
        if found is None:
            found = self._selected[key] = tuple(select(model, compiled, as_of))
        return list(found)

    def doubtful(
        self,
        model: Model,
        selector: Selector,
        condition: Condition,
        as_of: dt.date,
        together: Iterable[Condition] = (),
    ) -> list[Entity]:
        """What ``condition.doubtful`` gives of what ``selector`` selects, worked out once, in
        one pass over the selection with the conditions ``together`` (the other conditions the
        run's rules test on what ``selector`` selects: see :func:`doubtful_together`), whose
        answers are remembered for when they are asked. ``condition`` has a ``doubtful``; the
        list returned is shared, not to be changed."""
        assert condition.doubtful is not None and condition.sure is not None
        self._for(model, as_of)
        try:
            key = source_key(selector.source)
            known = self._doubtful.get(key)
        except TypeError:  # an unhashable value (a set from a plugin): not remembered
            return condition.doubtful(self.select(model, selector, as_of))
        if known is None:
            known = self._doubtful[key] = {}
        found = known.get(id(condition))
        if found is None or found[0] is not condition:
            sieved = {id(condition): condition}
            for other in together:
                done = known.get(id(other))
                if other.sure is not None and (done is None or done[0] is not other):
                    sieved.setdefault(id(other), other)
            conditions = list(sieved.values())
            sieve = doubtful_together([c.sure for c in conditions if c.sure is not None])
            answers = sieve(self.select(model, selector, as_of))
            for other, in_doubt in zip(conditions, answers, strict=True):
                known[id(other)] = (other, in_doubt)
            found = known[id(condition)]
        return found[1]

    def filter(
        self,
        model: Model,
        selector: Selector,
        entities: Iterable[Entity],
        as_of: dt.date,
    ) -> list[Entity]:
        """The ``entities`` that ``selector`` matches, in their order: what
        ``[e for e in entities if selector.matches(e, model, as_of)]`` gives
        (:meth:`Selector.matching`). Of a tuple (the run's live channels, which several rules
        filter by every policy's ``applies_to``), the answer is worked out once."""
        self._for(model, as_of)
        if type(entities) is not tuple:
            return selector.matching(entities, model, as_of)
        try:
            key = (source_key(selector.source), id(entities))
            done = self._filtered.get(key)
        except TypeError:  # an unhashable value (a set from a plugin): not remembered
            return selector.matching(entities, model, as_of)
        if done is None or done[0] is not entities:
            # kept with the tuple, whose id is then not reused
            done = self._filtered[key] = (entities, selector.matching(entities, model, as_of))
        return list(done[1])

    def filtered(
        self, model: Model, selector: Selector, entities: tuple[Entity, ...], as_of: dt.date
    ) -> list[Entity] | None:
        """What :meth:`filter` gave for ``entities`` or for a tuple equal to it (the same
        entities in the same order: the run's live channels, as another reader makes them),
        without matching anything; None when it was not asked."""
        if model is not self._model or as_of != self._as_of:
            return None
        try:
            wanted = source_key(selector.source)
        except TypeError:
            return None
        for (source, _), (kept, matched) in self._filtered.items():
            if source == wanted and kept == entities:
                return list(matched)
        return None


# ----------------------------------------------------------------------------- what is read


def path_reads(kinds: Sequence[str], parts: Sequence[str]) -> dict[str, set[str]]:
    """The top-level fields, per kind, that resolving a dotted path on ``kinds`` (all when
    empty) reads: ``owner.employment`` on an Account reads the Account's ``owner`` and the
    Person's ``employment``, following references as :meth:`FieldPath.get` does."""
    found: dict[str, set[str]] = {}
    frontier: list[tuple[str, tuple[str, ...]]] = [(kind, ()) for kind in kinds or KINDS]
    for part in parts:
        following: list[tuple[str, tuple[str, ...]]] = []
        for kind, local in frontier:
            if not local:
                found.setdefault(kind, set()).add(part)
            local = (*local, part)
            targets = reference_kinds(kind, local)
            if targets:
                following.extend((target, ()) for target in targets)
            else:
                following.append((kind, local))
        frontier = following
    return found


def where_paths(where: Any) -> Iterator[str]:
    """The field paths a where-mapping tests, through ``all``, ``any`` and ``not``."""
    if not isinstance(where, Mapping):
        return
    for key, value in where.items():
        if key in ("all", "any") and isinstance(value, list):
            for item in value:
                yield from where_paths(item)
        elif key == "not":
            yield from where_paths(value)
        elif isinstance(key, str) and key:
            yield key


def where_reads(where: Any, kinds: Sequence[str]) -> dict[str, set[str]]:
    """The fields a where-mapping reads, per kind."""
    found: dict[str, set[str]] = {}
    for text in where_paths(where):
        for kind, names in path_reads(kinds, text.split(".")).items():
            found.setdefault(kind, set()).update(names)
    return found


def selector_reads(source: Any) -> dict[str, set[str]]:
    """The fields a selector as written reads, per kind; nothing for a malformed one, which
    matches nothing (and is SG101's business)."""
    if not isinstance(source, Mapping):
        return {}
    try:
        kinds = _kinds(source.get("kind"))
    except SelectorError:
        return {}
    return where_reads(source.get("where"), kinds)
