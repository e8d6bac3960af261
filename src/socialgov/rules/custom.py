"""The rules-as-code engine (SPEC section 4): ``kind: Rule`` entities compiled into runnable rules.

A Rule is compiled once into a :class:`~socialgov.rules.base.RuleInfo` whose ``check`` selects
entities with the selector language (:mod:`socialgov.lang.selectors`) and evaluates its assertions:

- per entity: ``{field: PATH, OPERATOR: VALUE, ...}`` (the condition operators) and
  ``{field: PATH, ref: KIND, where: {...}}`` (the value names a KIND entity meeting ``where``;
  for a list, every item does, and the list is not empty);
- per group (everything selected, or each group of ``group_by``): ``same: PATH`` (one distinct
  value), ``unique: PATH`` (no value twice), ``count: {min: N, max: N}``. Groups are built by
  hashing the values, never by comparing pairs, so a rule over 100,000 accounts stays linear.

A Rule that cannot work (a bad regular expression, an unknown operator or field, a hostile
message template...) is an SG101 finding at the offending node, and is not run; the other rules
run. Two Rules with one code: the second is SG103 and is not run.

The built-in rules that the language expresses live as YAML in the top-level rules/ folder and are
compiled here too (:func:`yaml_rules`), with their documentation fields.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from socialgov.core.findings import EntityRef, Finding, Severity
from socialgov.core.text import MAX_MESSAGE
from socialgov.lang.selectors import (
    MISSING,
    OPERATORS,
    Condition,
    FieldPath,
    Match,
    PatternTooSlow,
    Selector,
    SelectorError,
    compile_condition,
    compile_selector,
    compile_where,
    field_path,
    path_reads,
    reference_kinds,
    resolve,
    source_key,
    where_paths,
    where_reads,
)
from socialgov.lang.template import (
    MAX_VALUE_CHARS,
    Template,
    TemplateError,
    parse_template,
    render_value,
)
from socialgov.model import KINDS, Entity, Model
from socialgov.rules.base import Reads, RuleContext, RuleInfo, Violation, violation
from socialgov.source.loader import Document, Path_

FAMILY = "custom"
GROUP_KEYS = ("same", "unique", "count")
REQUIRED = ("code", "select", "assert")
SPECIAL_NAMES = ("id", "kind", "value", "others", "group", "field", "rule", "code")
MAX_RELATED = 10
MAX_SHOWN = 5
# Fields a built-in YAML rule carries besides a Rule's own: RuleInfo's documentation.
DOC_FIELDS = ("family", "summary", "rationale", "fix", "options", "example_fail", "example_pass")


class RuleProblem(Exception):
    """One reason a Rule cannot run: the node it is at, inside the Rule, and what to do."""

    def __init__(self, path: Path_, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


# ----------------------------------------------------------------------------- assertions


def _freeze(value: Any) -> Any:
    """A hashable stand-in for a value; ``true`` and ``1`` stay different."""
    if type(value) is str:  # the usual value, its own stand-in
        return value
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list | tuple):
        return ("list", tuple(_freeze(v) for v in value))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((str(k), _freeze(v)) for k, v in value.items())))
    return value


def _holders(
    path: FieldPath, group: Sequence[Entity], model: Model
) -> dict[Any, list[tuple[Entity, Any]]]:
    """The group's entities by value at ``path`` (hashed; entities without one left out)."""
    holders: dict[Any, list[tuple[Entity, Any]]] = {}
    for entity, value in zip(group, path.values(group, model), strict=True):
        if value is not MISSING:
            frozen = value if type(value) is str else _freeze(value)
            members = holders.get(frozen)
            if members is None:
                members = holders[frozen] = []
            members.append((entity, value))
    return holders


SOLE = -1
"""The index of a Rule's only assertion: its findings' keys need no index to tell them apart."""


def _key(index: int, what: str) -> str:
    """A finding's key (it goes into the fingerprint): the field, or what the group assertion
    counts, prefixed by the assertion's index only when the Rule has several. A Rule with one
    assertion keys its findings by field alone, as the Python rules do, so a rule moved between
    Python and YAML keeps its fingerprints."""
    return what if index == SOLE else f"{index}:{what}"


class Outcome:
    """What an assertion found wrong about one entity, before the message is rendered: the
    entity, its value, the field to point at, and for the message ``others``, ``related``,
    ``group``, ``default`` (the message without a template), ``key`` and ``path`` (the
    assertion's field path, for ``{field}``). Made by :func:`_outcome`, read once by
    ``CompiledRule._violation``."""

    __slots__ = ("default", "entity", "field", "group", "key", "others", "path", "related", "value")
    entity: Entity
    value: Any
    field: Path_
    others: str
    related: tuple[Entity, ...]
    group: Any
    default: str
    key: str
    path: str


def _outcome(
    entity: Entity,
    value: Any,
    field: Path_,
    others: str = "",
    related: tuple[Entity, ...] = (),
    group: Any = MISSING,
    default: str = "",
    key: str = "",
    path: str = "",
) -> Outcome:
    """An Outcome, its slots stored at once: a frozen dataclass's ``__init__`` set each of the
    nine through ``object.__setattr__`` (~16,800 instructions an outcome, one for each finding
    of a YAML rule; this ~2,300)."""
    made = Outcome()
    made.entity = entity
    made.value = value
    made.field = field
    made.others = others
    made.related = related
    made.group = group
    made.default = default
    made.key = key
    made.path = path
    return made


@dataclass(frozen=True)
class FieldAssertion:
    """``{field: PATH, OPERATOR: VALUE, ...}``: every selected entity's value meets them."""

    index: int
    condition: Condition

    def check(
        self,
        entities: Sequence[Entity],
        model: Model,
        as_of: Any,
        *,
        sieved: bool = False,
        worded: bool = True,
    ) -> Iterator[Outcome]:
        """The outcomes of the ``entities`` failing the condition; ``sieved``: ``entities`` are
        already what the condition's ``doubtful`` gives of the selection; without ``worded``
        (a Rule with its own message) the outcomes' ``default`` message is left empty."""
        must = default = ""
        text = self.condition.path.text
        key = _key(self.index, text)  # the same for every entity
        for entity, value, field_ in self.failing(entities, model, as_of, sieved=sieved):
            if worded:
                shown = "is not set" if value is MISSING else f"is {_quote(value)}"
                must = must or _requirements(self.condition.operators)  # the same for all
                default = f"{text} {shown}; it must {must}"
            yield _outcome(entity, value, field_, "", (), MISSING, default, key, text)

    def failing(
        self, entities: Sequence[Entity], model: Model, as_of: Any, *, sieved: bool = False
    ) -> Iterator[tuple[Entity, Any, Path_]]:
        """Each of the ``entities`` failing the condition, with its value and the field an
        outcome points at (``FieldPath.local``, found once for each kind: it reads the kind)."""
        path = self.condition.path
        tests = self.condition.tests
        get, holds = path.getter, tests[0] if len(tests) == 1 else self.condition.holds
        doubtful = self.condition.doubtful
        if doubtful is not None and not sieved:  # only those it is not sure of are tested
            entities = doubtful(entities)
        local: dict[str, Path_] = {}
        for entity in entities:
            value = get(entity, model)
            if holds(value, as_of):
                continue
            field_ = local.get(entity.kind)
            if field_ is None:
                field_ = local[entity.kind] = path.local(entity)
            yield entity, value, field_


@dataclass(frozen=True)
class RefAssertion:
    """``{field: PATH, ref: KIND, where: {...}}``: the value names a KIND that meets ``where``."""

    index: int
    path: FieldPath
    kind: str
    where: Match | None
    where_text: str

    def check(
        self, entities: Sequence[Entity], model: Model, as_of: Any, *, worded: bool = True
    ) -> Iterator[Outcome]:
        """The outcomes of the ``entities`` whose value names no KIND meeting ``where``;
        without ``worded`` (a Rule with its own message) their ``default`` is left empty."""
        get, holds = self.path.getter, self._holds
        index = model.entities.get(self.kind, {})  # what model.find looks in
        # What each text names is answered once: entities name the same few owners and teams.
        answered: dict[str, bool] = {}
        default = ""
        key, text = _key(self.index, self.path.text), self.path.text  # the same for every entity
        for entity in entities:
            value = get(entity, model)
            if type(value) is str:
                held = answered.get(value)
                if held is None:
                    held = answered[value] = holds(value, index, model, as_of)
            else:
                held = holds(value, index, model, as_of)
            if held:
                continue
            if worded:
                shown = "is not set" if value is MISSING else f"is {_quote(value)}"
                need = f"a {self.kind}" + (f" with {self.where_text}" if self.where_text else "")
                default = f"{text} {shown}; it must name {need}"
            yield _outcome(
                entity, value, self.path.local(entity), "", (), MISSING, default, key, text
            )

    def _holds(self, value: Any, index: Mapping[str, Entity], model: Model, as_of: Any) -> bool:
        """Whether ``value`` names entities of ``index`` (the kind's) that meet ``where``."""
        where = self.where
        if isinstance(value, str):  # the usual single reference
            target = index.get(value.partition("@")[0] if self.kind == "Policy" else value)
            return target is not None and (where is None or bool(where(target, model, as_of)))
        items = value if isinstance(value, list) else (value,)
        if not items:
            return False
        policy = self.kind == "Policy"
        for item in items:
            if not isinstance(item, str):
                return False
            target = index.get(item.partition("@")[0] if policy else item)
            if target is None or (where is not None and not where(target, model, as_of)):
                return False
        return True


@dataclass(frozen=True)
class SameAssertion:
    """``same: PATH``: one distinct value across the group (entities without one are left out).

    The most common value is taken as right, and each entity holding another value gets a
    finding naming the others; when no value is more common than all the others, every entity
    gets one, since nothing says which is right.
    """

    index: int
    path: FieldPath

    def check_group(
        self, group: Sequence[Entity], key: Any, model: Model, rule: Entity | None
    ) -> Iterator[Outcome]:
        holders = _holders(self.path, group, model)
        if len(holders) < 2:
            return
        ranked = sorted(holders.items(), key=lambda item: -len(item[1]))
        majority = ranked[0][0] if len(ranked[0][1]) > len(ranked[1][1]) else None
        summaries = {
            frozen: f"'{render_value(members[0][1])}' ({_names([e for e, _ in members])})"
            for frozen, members in ranked
        }
        for frozen, members in holders.items():
            if frozen == majority:
                continue
            # the first MAX_SHOWN other values, without copying the whole ranking per value
            # (linear in the group, however many distinct values it holds)
            other_values = list(itertools.islice((f for f, _ in ranked if f != frozen), MAX_SHOWN))
            more = len(ranked) - 1 - len(other_values)
            others = ", ".join(summaries[f] for f in other_values)
            if more > 0:
                others += f" and {more} more values"
            related = tuple(e for f in other_values for e, _ in holders[f][:MAX_RELATED])[
                :MAX_RELATED
            ]
            for entity, value in members:
                yield _outcome(
                    entity,
                    value,
                    self.path.local(entity),
                    others=others,
                    related=related,
                    group=key,
                    default=(
                        f"{self.path.text} is {_quote(value)} but others state {others}; "
                        "it must be the same everywhere"
                    ),
                    key=_key(self.index, self.path.text),
                    path=self.path.text,
                )


@dataclass(frozen=True)
class UniqueAssertion:
    """``unique: PATH``: no value twice in the group. The first entity holding a value keeps it;
    each later one gets a finding naming the others (entities without a value are left out)."""

    index: int
    path: FieldPath

    def check_group(
        self, group: Sequence[Entity], key: Any, model: Model, rule: Entity | None
    ) -> Iterator[Outcome]:
        for members in _holders(self.path, group, model).values():
            if len(members) < 2:
                continue
            everyone = [e for e, _ in members]
            for position, (entity, value) in enumerate(members[1:], start=1):
                # the others but this one, only as many as are shown (linear, not quadratic)
                limit = max(MAX_SHOWN, MAX_RELATED)
                rest = [e for i, e in enumerate(everyone[: limit + 1]) if i != position][:limit]
                others = _names(rest, len(everyone) - 1)
                yield _outcome(
                    entity,
                    value,
                    self.path.local(entity),
                    others=others,
                    related=tuple(rest[:MAX_RELATED]),
                    group=key,
                    default=(
                        f"{self.path.text} {_quote(value)} is also used by {others}; "
                        "it must be unique"
                    ),
                    key=_key(self.index, self.path.text),
                    path=self.path.text,
                )


@dataclass(frozen=True)
class CountAssertion:
    """``count: {min, max}``: the group's size is within bounds. One finding per group, on its
    first entity, naming the others; with nothing selected (and no group_by), on the Rule."""

    index: int
    minimum: int | None
    maximum: int | None

    def check_group(
        self, group: Sequence[Entity], key: Any, model: Model, rule: Entity | None
    ) -> Iterator[Outcome]:
        size = len(group)
        if (self.minimum is None or size >= self.minimum) and (
            self.maximum is None or size <= self.maximum
        ):
            return
        bounds = " and ".join(
            text
            for text in (
                f"at least {self.minimum}" if self.minimum is not None else "",
                f"at most {self.maximum}" if self.maximum is not None else "",
            )
            if text
        )
        where = "" if key is MISSING else f" with {render_value(key)}"
        default = f"{size} selected{where}; there must be {bounds}"
        if not group:
            if rule is not None:
                yield _outcome(rule, 0, ("assert",), default=default, key=_key(self.index, "count"))
            return
        first, rest = group[0], list(group[1:])
        yield _outcome(
            first,
            size,
            (),
            others=_names(rest),
            related=tuple(rest[:MAX_RELATED]),
            group=key,
            default=default,
            key=_key(self.index, f"count:{render_value(key)}"),
        )


EntityAssertion = FieldAssertion | RefAssertion
GroupAssertion = SameAssertion | UniqueAssertion | CountAssertion


def _names(entities: Sequence[Entity], total: int | None = None) -> str:
    """The first MAX_SHOWN of ``entities`` by kind and id, and how many more of ``total``."""
    total = len(entities) if total is None else total
    shown = ", ".join(f"{e.kind} {e.id}" for e in entities[:MAX_SHOWN])
    if total > MAX_SHOWN:
        shown += f" and {total - MAX_SHOWN} more"
    return shown


def _quote(value: Any) -> str:
    return f"'{render_value(value)}'" if isinstance(value, str) else render_value(value)


_REQUIREMENT = {
    "eq": "equal {}",
    "ne": "not equal {}",
    "in": "be one of {}",
    "not_in": "be none of {}",
    "matches": "match the pattern '{}'",
    "gt": "be greater than {}",
    "ge": "be at least {}",
    "lt": "be less than {}",
    "le": "be at most {}",
    "older_than_days": "be a date more than {} days before as-of",
    "newer_than_days": "be a date at most {} days before as-of",
    "contains": "contain {}",
}


def _requirements(operators: Iterable[tuple[str, Any]]) -> str:
    parts = []
    for op, operand in operators:
        if op == "present":
            parts.append("be set" if operand else "not be set")
        else:
            parts.append(_REQUIREMENT[op].format(render_value(operand)))
    return " and ".join(parts)


# ----------------------------------------------------------------------------- compiled rules


@dataclass(frozen=True)
class CompiledRule:
    """A Rule ready to run: its selector, group_by, assertions and message."""

    id: str
    code: str
    severity: Severity
    description: str
    selector: Selector
    group_by: FieldPath | None
    per_entity: tuple[EntityAssertion, ...]
    per_group: tuple[GroupAssertion, ...]
    template: Template | None
    entity: Entity | None = None
    """The Rule entity it came from (None for a built-in YAML rule)."""
    docs: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    """The Rule as written (its ``tests`` among it)."""
    document: Document | None = None
    base: Path_ = ()
    """Where the Rule is written: its document and its path inside it."""

    def checked_violations(self, model: Model, ctx: RuleContext) -> Iterator[Violation]:
        """:meth:`violations`, naming this Rule when one of its patterns is too slow to match."""
        try:
            yield from self.violations(model, ctx)
        except PatternTooSlow as exc:
            where = ""
            if self.document is not None:
                pos = self.document.locate(self.base)
                where = f"{self.document.path}:{pos.line}:{pos.column}: "
            raise PatternTooSlow(f"{where}Rule {self.id}: {exc}") from None

    def violations(self, model: Model, ctx: RuleContext) -> Iterator[Violation]:
        selections, as_of = ctx.selections, ctx.as_of
        selected = selections.select(model, self.selector, as_of)
        worded = self.template is None  # a Rule's own message: the default wording is not read
        around_id = self._around_id
        for assertion in self.per_entity:
            if type(assertion) is FieldAssertion:
                entities, sieved = selected, False
                if assertion.condition.sure is not None:
                    # Sieved in one pass with the built-in rules' conditions on the same
                    # selection (six of them test the live Accounts): each entity's data is
                    # read once.
                    entities, sieved = (
                        selections.doubtful(
                            model,
                            self.selector,
                            assertion.condition,
                            as_of,
                            _alongside(self.selector),
                        ),
                        True,
                    )
                if around_id is not None:  # a message naming the entity's id alone
                    yield from self._named(assertion, entities, model, as_of, sieved, around_id)
                    continue
                outcomes = assertion.check(entities, model, as_of, sieved=sieved, worded=worded)
            else:
                outcomes = assertion.check(selected, model, as_of, worded=worded)
            for outcome in outcomes:
                yield self._violation(outcome, model)
        if not self.per_group:
            return
        for key, group in self._groups(selected, model):
            for group_assertion in self.per_group:
                for outcome in group_assertion.check_group(group, key, model, self.entity):
                    yield self._violation(outcome, model)

    def _groups(self, selected: list[Entity], model: Model) -> list[tuple[Any, list[Entity]]]:
        if self.group_by is None:
            return [(MISSING, selected)]
        groups: dict[Any, tuple[Any, list[Entity]]] = {}
        policy_refs = self.group_by.policy_refs
        for entity, value in zip(selected, self.group_by.values(selected, model), strict=True):
            if type(value) is str:  # the usual value (a platform, a team): its own key
                if policy_refs:
                    value = value.partition("@")[0]
                group = groups.get(value)
                if group is None:
                    group = groups[value] = (value, [])
                group[1].append(entity)
                continue
            if value is MISSING:
                continue
            for item in value if isinstance(value, list) else (value,):
                if policy_refs and isinstance(item, str):
                    item = item.partition("@")[0]
                frozen = item if type(item) is str else _freeze(item)
                group = groups.get(frozen)
                if group is None:
                    group = groups[frozen] = (item, [])
                group[1].append(entity)
        return list(groups.values())

    def _violation(self, outcome: Outcome, model: Model) -> Violation:
        entity = outcome.entity
        if self.template is not None:
            message = self._message(self.template, outcome, model)
        else:
            message = f"{entity.kind} {entity.id}: {outcome.default}"
            if self.description:
                message += f" ({self.id}: {self.description})"
        group = outcome.group
        return violation(
            entity,
            message,
            outcome.field,
            outcome.related,
            outcome.key if group is MISSING else f"{outcome.key}@{render_value(group)}",
        )

    @cached_property
    def _around_id(self) -> tuple[str, str] | None:
        """The text before and after ``{id}`` of a message that names the entity's id and
        nothing else (each built-in YAML rule's but two); None for any other message."""
        if self.template is None:
            return None
        pieces = self.template.pieces
        if len(pieces) == 1 and pieces[0][1] == "id":
            return pieces[0][0], ""
        if len(pieces) == 2 and pieces[0][1] == "id" and pieces[1][1] is None:
            return pieces[0][0], pieces[1][0]
        return None

    def _named(
        self,
        assertion: FieldAssertion,
        entities: Sequence[Entity],
        model: Model,
        as_of: Any,
        sieved: bool,
        around: tuple[str, str],
    ) -> Iterator[Violation]:
        """The violations of ``assertion`` under a message naming the entity's id alone
        (``around`` it): each made from the failing entity at once, without an Outcome; an id
        longer than MAX_VALUE_CHARS, or a message past MAX_MESSAGE, rendered as any other."""
        head, tail = around
        room = MAX_MESSAGE - len(head) - len(tail)
        text = assertion.condition.path.text
        key = _key(assertion.index, text)
        for entity, value, field_ in assertion.failing(entities, model, as_of, sieved=sieved):
            entity_id = entity.id
            if type(entity_id) is str and len(entity_id) <= min(MAX_VALUE_CHARS, room):
                message = head + entity_id + tail
            else:
                outcome = _outcome(entity, value, field_, "", (), MISSING, "", key, text)
                message = self._message(self.template, outcome, model)  # type: ignore[arg-type]
            yield violation(entity, message, field_, (), key)

    def _message(self, template: Template, outcome: Outcome, model: Model) -> str:
        """``template`` rendered for ``outcome``: what ``Template.render`` gives with the
        special names' values, each value read where it is (not through a dict made for every
        finding) and a text within MAX_VALUE_CHARS taken as ``render_value`` gives it back. A
        message longer than MAX_MESSAGE is rendered by ``Template.render`` itself, which
        bounds it (this stops reading values once past it)."""
        entity = outcome.entity
        parts: list[str] = []
        add = parts.append
        length = 0
        for literal, name in template.pieces:
            add(literal)
            length += len(literal)
            if name is not None:
                if name == "id":
                    value = entity.id
                elif name == "kind":
                    value = entity.kind
                elif name == "value":
                    value = outcome.value
                elif name in SPECIAL_NAMES:
                    value = self._special(outcome)[name]
                else:
                    value = resolve(entity, name, model)
                if type(value) is not str or len(value) > MAX_VALUE_CHARS:
                    value = render_value(value)
                add(value)
                length += len(value)
            if length > MAX_MESSAGE:
                break
        else:
            return "".join(parts)
        special = self._special(outcome)
        return template.render(
            lambda name: special[name] if name in special else resolve(entity, name, model)
        )

    def _special(self, outcome: Outcome) -> dict[str, Any]:
        """The values of a message's special names (SPECIAL_NAMES) for ``outcome``."""
        return {
            "id": outcome.entity.id,
            "kind": outcome.entity.kind,
            "value": outcome.value,
            "others": outcome.others,
            "group": outcome.group,
            "field": outcome.path,
            "rule": self.id,
            "code": self.code,
        }

    def reads(self) -> Reads:
        """What this Rule reads, from its selector, group_by, assertions and message.

        It is local (judges each entity on its own fields) when it has no group assertion,
        no ``ref`` assertion and no path that follows a reference (``owner.employment``).
        """
        kinds = self.selector.kinds or KINDS
        found: dict[str, set[str]] = {}
        local = not self.per_group and not any(isinstance(a, RefAssertion) for a in self.per_entity)

        def add(reads: Mapping[str, set[str]]) -> None:
            for kind, names in reads.items():
                found.setdefault(kind, set()).update(names)

        def add_path(parts: Sequence[str]) -> None:
            nonlocal local
            add(path_reads(kinds, parts))
            if any(reference_kinds(k, parts[:i]) for k in kinds for i in range(1, len(parts))):
                local = False

        for text in where_paths(self.selector.source.get("where")):
            add_path(text.split("."))
        if self.group_by is not None:
            add_path(self.group_by.parts)
        for assertion in self.per_entity:
            path = (
                assertion.path if isinstance(assertion, RefAssertion) else assertion.condition.path
            )
            add_path(path.parts)
            if isinstance(assertion, RefAssertion):
                add(where_reads(_ref_where(self.data, assertion.index), (assertion.kind,)))
        for group_assertion in self.per_group:
            if isinstance(group_assertion, SameAssertion | UniqueAssertion):
                add_path(group_assertion.path.parts)
        if self.template is not None:
            for name in self.template.names:
                if name not in SPECIAL_NAMES:
                    add_path(name.split("."))
        return Reads.of(found, local=local)

    def info(self) -> RuleInfo:
        docs = self.docs
        summary = str(docs.get("summary") or self.description or f"Custom rule {self.id}")
        return RuleInfo(
            code=self.code,
            name=self.id,
            severity=self.severity,
            summary=summary,
            family=str(docs.get("family") or FAMILY),
            rationale=str(docs.get("rationale") or self.description),
            fix=str(docs.get("fix") or ""),
            options=dict(docs.get("options") or {}),
            example_fail=str(docs.get("example_fail") or ""),
            example_pass=str(docs.get("example_pass") or ""),
            check=self.checked_violations,
            reads=self.reads(),
            origin=self._origin(),
            follows=self.follows(),
            tests=tuple(t for t in rule_tests(self.data) if isinstance(t, Mapping)),
        )

    def follows(self) -> tuple[tuple[str, ...], ...]:
        """The field paths this Rule tests that follow a reference (``owner.employment``)."""
        kinds = self.selector.kinds or KINDS
        paths = [tuple(text.split(".")) for text in where_paths(self.selector.source.get("where"))]
        for assertion in self.per_entity:
            field_path = (
                assertion.path if isinstance(assertion, RefAssertion) else assertion.condition.path
            )
            paths.append(tuple(field_path.parts))
        for group_assertion in self.per_group:
            if isinstance(group_assertion, SameAssertion | UniqueAssertion):
                paths.append(tuple(group_assertion.path.parts))
        found = []
        for parts in paths:
            crosses = any(
                reference_kinds(kind, parts[:i]) for kind in kinds for i in range(1, len(parts))
            )
            if crosses and parts not in found:
                found.append(parts)
        return tuple(found)

    def _origin(self) -> str:
        if self.entity is None and (self.document is None or self.docs):
            return ""  # shipped with socialgov
        if self.document is None:
            return ""
        pos = self.document.locate(self.base)
        return f"{self.document.path}:{pos.line}"


def _ref_where(data: Mapping[str, Any], index: int) -> Any:
    """The ``where`` of the ``ref`` assertion at ``index`` (SOLE for the only one)."""
    written = data.get("assert")
    item = written[index] if isinstance(written, list) and index != SOLE else written
    return item.get("where") if isinstance(item, Mapping) else None


def compile_rule(
    data: Mapping[str, Any],
    entity: Entity | None = None,
    *,
    builtin: bool = False,
    document: Document | None = None,
) -> CompiledRule:
    """Compile one Rule mapping; raise :class:`RuleProblems` listing every problem found."""
    problems: list[RuleProblem] = []
    rule_id = data.get("id")
    code = data.get("code")
    if not isinstance(code, str) or not code:
        problems.append(RuleProblem(("code",), "a Rule needs a code, such as ACME001"))
    elif code.upper().startswith("SG") and not builtin:
        problems.append(
            RuleProblem(
                ("code",),
                f"code {code} starts with SG, which is reserved for built-in rules; use your "
                "organisation's own prefix, such as ACME001",
            )
        )
    severity = Severity.WARNING
    try:
        severity = Severity.parse(str(data.get("severity", "warning")))
    except ValueError as exc:
        problems.append(RuleProblem(("severity",), str(exc)))
    selector = _compile_part(problems, ("select",), lambda: compile_selector(data.get("select")))
    kinds = selector.kinds if selector is not None else ()
    group_by = None
    if "group_by" in data:
        group_by = _compile_part(
            problems, ("group_by",), lambda: field_path(data["group_by"], (), kinds)
        )
    per_entity, per_group = _assertions(data.get("assert", MISSING), kinds, problems)
    if group_by is not None and not per_group:
        problems.append(
            RuleProblem(
                ("group_by",),
                "group_by only applies to group assertions (same, unique, count); remove it or "
                "add one",
            )
        )
    template = None
    if "message" in data:
        template = _template(data["message"], bool(per_group), kinds, problems)
    if problems:
        raise RuleProblems(problems)
    assert selector is not None and isinstance(code, str)
    description = data.get("description")
    return CompiledRule(
        id=str(rule_id),
        code=code,
        severity=severity,
        description=description if isinstance(description, str) else "",
        selector=selector,
        group_by=group_by,
        per_entity=tuple(per_entity),
        per_group=tuple(per_group),
        template=template,
        entity=entity,
        docs={k: data[k] for k in DOC_FIELDS if k in data} if builtin else {},
        data=data,
        document=entity.source.document if entity is not None else document,
        base=entity.source.base if entity is not None else (),
    )


class RuleProblems(Exception):
    """Every reason one Rule cannot run."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _compile_part(problems: list[RuleProblem], at: Path_, make: Any) -> Any:
    try:
        return make()
    except SelectorError as exc:
        problems.append(RuleProblem((*at, *exc.path), exc.message))
        return None


def _assertions(
    value: Any, kinds: Sequence[str], problems: list[RuleProblem]
) -> tuple[list[EntityAssertion], list[GroupAssertion]]:
    if value is MISSING:
        problems.append(
            RuleProblem(
                ("assert",),
                "a Rule needs 'assert': what must hold, such as {field: security.mfa, eq: true}",
            )
        )
        return [], []
    items = value if isinstance(value, list) else [value]
    base: Path_ = ("assert",)
    if isinstance(value, list) and not value:
        problems.append(RuleProblem(base, "'assert' is an empty list; give at least one assertion"))
    per_entity: list[EntityAssertion] = []
    per_group: list[GroupAssertion] = []
    for index, item in enumerate(items):
        at: Path_ = (*base, index) if isinstance(value, list) else base
        try:
            made = _assertion(item, index if len(items) > 1 else SOLE, at, kinds)
        except RuleProblem as problem:
            problems.append(problem)
            continue
        except SelectorError as exc:
            problems.append(RuleProblem((*at, *exc.path), exc.message))
            continue
        if isinstance(made, SameAssertion | UniqueAssertion | CountAssertion):
            per_group.append(made)
        else:
            per_entity.append(made)
    return per_entity, per_group


def _assertion(item: Any, index: int, at: Path_, kinds: Sequence[str]) -> Any:
    if not isinstance(item, Mapping):
        raise RuleProblem(
            at,
            "an assertion is a mapping: {field: PATH, OPERATOR: VALUE}, {field: PATH, ref: KIND}, "
            "{same: PATH}, {unique: PATH} or {count: {min: N, max: N}}",
        )
    group_keys = [k for k in GROUP_KEYS if k in item]
    if group_keys:
        key = group_keys[0]
        extra = [k for k in item if k != key]
        if extra:
            raise RuleProblem(
                (*at, extra[0]),
                f"'{extra[0]}' cannot go with '{key}'; write each assertion as its own list item",
            )
        if key == "count":
            return _count(item["count"], index, (*at, "count"))
        path = field_path(item[key], (key,), kinds)
        return SameAssertion(index, path) if key == "same" else UniqueAssertion(index, path)
    if "field" not in item:
        from difflib import get_close_matches

        close = get_close_matches(
            str(next(iter(item), "")), ["field", *GROUP_KEYS], n=1, cutoff=0.6
        )
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise RuleProblem(
            at,
            f"{hint}an assertion needs 'field' (with operators or ref), or one of same, unique, "
            "count",
        )
    if "ref" in item:
        extra = [k for k in item if k not in ("field", "ref", "where")]
        if extra:
            raise RuleProblem(
                (*at, extra[0]),
                f"'{extra[0]}' cannot go with 'ref'; a ref assertion has field, ref and where",
            )
        kind = item["ref"]
        if kind not in KINDS:
            close = next((k for k in KINDS if str(kind).lower() == k.lower()), None)
            hint = f"did you mean '{close}'?" if close else f"use one of {', '.join(KINDS)}"
            raise RuleProblem((*at, "ref"), f"unknown kind '{kind}'; {hint}")
        path = field_path(item["field"], ("field",), kinds)
        where = None
        if "where" in item:
            where = compile_where(item["where"], ("where",), (kind,))
        return RefAssertion(index, path, kind, where, _flow(item.get("where")))
    operators = {k: v for k, v in item.items() if k != "field"}
    if not operators:
        raise RuleProblem(
            at,
            f"the assertion on '{item['field']}' has no operator; add one such as present: true "
            f"({', '.join(OPERATORS)}), or ref: KIND",
        )
    condition = compile_condition(item["field"], operators, (), kinds)
    return FieldAssertion(index, condition)


def _count(value: Any, index: int, at: Path_) -> CountAssertion:
    if not isinstance(value, Mapping) or not value:
        raise RuleProblem(at, "count takes {min: N} and/or {max: N}, such as count: {max: 3}")
    bounds: dict[str, int | None] = {"min": None, "max": None}
    for key, number in value.items():
        if key not in bounds:
            raise RuleProblem((*at, key), f"count has only min and max, not '{key}'")
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise RuleProblem((*at, key), f"count {key} must be a whole number, 0 or more")
        bounds[key] = number
    low, high = bounds["min"], bounds["max"]
    if low is not None and high is not None and low > high:
        raise RuleProblem(at, f"count min ({low}) is greater than max ({high}); nothing can pass")
    return CountAssertion(index, low, high)


def _template(
    value: Any, has_groups: bool, kinds: Sequence[str], problems: list[RuleProblem]
) -> Template | None:
    if not isinstance(value, str):
        problems.append(RuleProblem(("message",), "message must be text"))
        return None
    try:
        template = parse_template(value)
    except TemplateError as exc:
        problems.extend(RuleProblem(("message",), problem) for problem in exc.problems)
        return None
    for name in template.names:
        if name in SPECIAL_NAMES:
            if name in ("others", "group") and not has_groups:
                problems.append(
                    RuleProblem(
                        ("message",),
                        f"{{{name}}} is only known for group assertions (same, unique, count)",
                    )
                )
            continue
        try:
            field_path(name, (), kinds)
        except SelectorError as exc:
            problems.append(RuleProblem(("message",), f"{{{name}}}: {exc.message}"))
    return None if problems else template


def _flow(value: Any) -> str:
    """A where-mapping as compact text for messages: ``employment: full_time, status: active``."""
    if not isinstance(value, Mapping):
        return ""
    return ", ".join(
        f"{k}: {('{' + _flow(v) + '}') if isinstance(v, Mapping) else render_value(v)}"
        for k, v in value.items()
    )


# ---------------------------------------------------------------------- the repository's rules


@dataclass(frozen=True)
class CustomRules:
    """The repository's Rules that compiled, and findings about the ones that did not."""

    compiled: tuple[CompiledRule, ...]
    rules: tuple[RuleInfo, ...]
    findings: tuple[Finding, ...]


def compile_model_rules(model: Model, taken: Iterable[RuleInfo] = ()) -> CustomRules:
    """Compile every Rule of ``model``. Malformed ones are SG101 findings at their nodes; a code
    already used (by another Rule, a built-in or a plugin) is SG103; neither is run."""
    used: dict[str, Entity | RuleInfo] = {info.code.upper(): info for info in taken}
    compiled: list[CompiledRule] = []
    findings: list[Finding] = []
    for entity in model.rules:
        if any(key not in entity.data for key in REQUIRED):
            continue  # the schema reported it (missing, or dropped for breaking the schema)
        try:
            rule = compile_rule(entity.data, entity)
        except RuleProblems as exc:
            findings.extend(_problem_finding(entity, problem) for problem in exc.problems)
            continue
        previous = used.get(rule.code.upper())
        if previous is not None:
            findings.append(_duplicate_code(entity, rule.code, previous))
            continue
        used[rule.code.upper()] = entity
        compiled.append(rule)
    return CustomRules(tuple(compiled), tuple(r.info() for r in compiled), tuple(findings))


def _problem_finding(entity: Entity, problem: RuleProblem) -> Finding:
    pos = entity.locate(problem.path, key=True)
    where = _show(problem.path)
    return Finding(
        code="SG101",
        name="schema-violation",
        severity=Severity.ERROR,
        message=f"Rule {entity.id}: {where}: {problem.message}",
        path=entity.path,
        line=pos.line,
        column=pos.column,
        entity=entity.ref,
        key=f"rule:{where}:{problem.message}",
    )


def _duplicate_code(entity: Entity, code: str, previous: Entity | RuleInfo) -> Finding:
    pos = entity.locate(("code",))
    related: tuple[EntityRef, ...] = ()
    if isinstance(previous, RuleInfo):
        owner = (
            "built-in"
            if previous.code.startswith("SG")
            else previous.family
            if previous.family.startswith("pack ")
            else "plugin"
        )
        where = f"the {owner} rule {previous.code} ({previous.name})"
    else:
        first = previous.locate(("code",))
        where = f"Rule {previous.id} at {previous.path}:{first.line}"
        related = (previous.ref,)
    return Finding(
        code="SG103",
        name="duplicate-id",
        severity=Severity.ERROR,
        message=(
            f"Rule {entity.id}: code {code} is already used by {where}; give every rule its own "
            "code (this rule does not run until then)"
        ),
        path=entity.path,
        line=pos.line,
        column=pos.column,
        entity=entity.ref,
        related=related,
        key=f"code={code}",
    )


def _show(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# ----------------------------------------------------------------------------- built-in YAML rules


def _alongside(selector: Selector) -> tuple[Condition, ...]:
    """The conditions of the built-in YAML rules' assertions on what ``selector`` selects
    (selectors written alike), which a pass sieving for one condition sieves for too."""
    try:
        key = source_key(selector.source)
        return _built_in_conditions().get(key, ())
    except TypeError:  # an unhashable value (a set from a plugin): nothing shared
        return ()


@cache
def _built_in_conditions() -> dict[Any, tuple[Condition, ...]]:
    """The conditions of the built-in YAML rules' field assertions, by their selector's
    :func:`~socialgov.lang.selectors.source_key`."""
    found: dict[Any, list[Condition]] = {}
    for rule in yaml_compiled_rules():
        for assertion in rule.per_entity:
            if isinstance(assertion, FieldAssertion) and assertion.condition.sure is not None:
                key = source_key(rule.selector.source)
                found.setdefault(key, []).append(assertion.condition)
    return {key: tuple(conditions) for key, conditions in found.items()}


@cache
def yaml_rules() -> tuple[RuleInfo, ...]:
    """The built-in rules written in the language, from the shipped rules/ folder."""
    return tuple(rule.info() for rule in yaml_compiled_rules())


@cache
def yaml_compiled_rules(*, where_written: bool = False) -> tuple[CompiledRule, ...]:
    """Compiled built-in YAML rules; a broken one is a bug in socialgov, raised loudly.

    A run compiles them from their data as shipped in :mod:`socialgov.rules.shipped` (written
    from the same files by ``python -m socialgov.rules.custom``): parsing the eight files again
    took ~8 ms of every start. ``where_written`` (the built-in rules' own tests, which point at
    lines of the files) parses the files, as does a run whose files differ from those the data
    was written from (a rules file edited since)."""
    files = builtin_rule_files()
    shipped = None if where_written else _shipped_rules(files)
    compiled: list[CompiledRule] = []
    for path, documents in shipped or _parsed_rules(files):
        for document in documents:
            data = document if shipped is not None else document.data
            if data is None:
                continue
            try:
                compiled.append(
                    compile_rule(data, builtin=True, document=None if shipped else document)
                )
            except RuleProblems as exc:
                raise RuntimeError(f"built-in rule file {path}: {exc}") from None
    return tuple(compiled)


def builtin_rule_files() -> list[tuple[str, bytes]]:
    """The built-in rule files (the shipped rules/ folder): their names and bytes, in order."""
    from socialgov.core.resources import data_dir

    return [(path.name, path.read_bytes()) for path in sorted(data_dir("rules").glob("*.yaml"))]


def rules_stamp(files: Sequence[tuple[str, bytes]]) -> str:
    """What tells the built-in rule files from those the shipped data was written from: each
    one's name and :func:`~socialgov.core.files.content_stamp`."""
    from socialgov.core.files import content_stamp

    return " ".join(f"{name}:{content_stamp(raw)}" for name, raw in files)


def _shipped_rules(files: Sequence[tuple[str, bytes]]) -> Sequence[tuple[str, Any]] | None:
    from socialgov.rules import shipped

    return shipped.RULES if rules_stamp(files) == shipped.STAMP else None


def _parsed_rules(files: Sequence[tuple[str, bytes]]) -> Iterator[tuple[str, list[Document]]]:
    from socialgov.source.loader import DEFAULT_LIMITS
    from socialgov.source.reading import parse_file_text

    for name, raw in files:
        parsed = parse_file_text(raw.decode("utf-8"), name, DEFAULT_LIMITS)
        if parsed.findings:
            raise RuntimeError(f"built-in rule file {name}: {parsed.findings[0].message}")
        yield name, parsed.documents


def shipped_rules_code(files: Sequence[tuple[str, bytes]]) -> str:
    """The source of :mod:`socialgov.rules.shipped` for ``files``: each file's documents' data."""
    import ast
    import pprint

    rules = tuple(
        (name, tuple(document.data for document in documents))
        for name, documents in _parsed_rules(files)
    )
    written = pprint.pformat(rules, width=99, sort_dicts=False)
    if ast.literal_eval(written) != rules:  # a date, .inf or .nan: not a plain literal
        raise ValueError("the built-in rules' data cannot be written as Python literals")
    return (
        '"""The built-in rules\' data, as parsed from the rules/ folder: generated by `python -m\n'
        'socialgov.rules.custom` from the files the stamp names; do not edit."""\n\n'
        "from typing import Any\n\n"
        f"STAMP = {rules_stamp(files)!r}\n\n"
        f"RULES: tuple[tuple[str, tuple[Any, ...]], ...] = {written}\n"
    )


def rule_tests(data: Mapping[str, Any]) -> list[Any]:
    tests = data.get("tests")
    return tests if isinstance(tests, list) else []


__all__ = [
    "CompiledRule",
    "CustomRules",
    "RuleProblem",
    "RuleProblems",
    "compile_model_rules",
    "compile_rule",
    "yaml_rules",
]


if __name__ == "__main__":  # python -m socialgov.rules.custom: write socialgov/rules/shipped.py
    from pathlib import Path

    target = Path(__file__).with_name("shipped.py")
    target.write_text(shipped_rules_code(builtin_rule_files()), encoding="utf-8")
    print(f"wrote {target}")
