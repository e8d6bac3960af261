"""The chain of entities behind a finding: ``socialgov explain FINGERPRINT|PATH:LINE`` and
SARIF's code flows.

A finding is on one entity, at one field, and relates to others (an orphan account's owner, a
policy's adopters). The chain walks from the finding's entity along the reference fields the
model knows (``owner``, ``team``, ``lead``, ``policies``, ``access[].person``...) to each
related entity, by the shortest way, and ends at each with the fields the rule reads of that
kind (its declared ``reads``), each link with its value and where it is written::

    Account x-news   owner: jdoe               accounts/x.yaml:6:8
    Person jdoe      status: departed          people/people.yaml:5:13

A finding at a reference with nothing related (an unknown reference) shows the value it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socialgov.core.findings import EntityRef, Finding
from socialgov.model import NESTED_REFERENCES, REFERENCES, Entity, Model
from socialgov.rules.base import EVERY_FIELD, RuleInfo

MAX_DEPTH = 3
MAX_RELATED = 1000
"""Related locations and chain links kept per finding: GitHub code scanning takes at most 1,000
locations a SARIF result; a finding that relates more (one policy stated differently by thousands
of channels) keeps the first 1,000 (SARIF says how many in ``properties.relatedCount``)."""
MAX_VALUES = 4
SHOWN_BY_DEFAULT = ("status", "departed_on", "employment")


@dataclass(frozen=True, slots=True)
class Link:
    """One step of a chain: an entity, a field of it and the value written there."""

    entity: EntityRef
    field: str
    value: str
    path: str
    line: int
    column: int

    def __str__(self) -> str:
        what = f"{self.field}: {self.value}" if self.field else ""
        return f"{self.entity}  {what}".rstrip()


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _field_link(entity: Entity, path: tuple[str | int, ...], value: Any) -> Link:
    pos = entity.locate(path)
    shown = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
    return Link(entity.ref, shown, _show(value), entity.path, pos.line, pos.column)


def _references(entity: Entity) -> Iterator[tuple[tuple[str | int, ...], str, tuple[str, ...]]]:
    """Every reference ``entity`` writes: (its path, the id, the kinds it may name)."""
    data = entity.data
    for reference in REFERENCES.get(entity.kind, ()):
        value = data.get(reference.field)
        if reference.many and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield (reference.field, index), item.partition("@")[0], reference.kinds
        elif isinstance(value, str):
            yield (reference.field,), value, reference.kinds
    for outer, inner, kinds in NESTED_REFERENCES.get(entity.kind, ()):
        value = data.get(outer)
        if isinstance(value, list):
            for index, row in enumerate(value):
                if isinstance(row, Mapping) and isinstance(row.get(inner), str):
                    yield (outer, index, inner), row[inner], kinds
        elif isinstance(value, Mapping) and isinstance(value.get(inner), str):
            yield (outer, inner), value[inner], kinds


def _way(model: Model, start: Entity, goal: EntityRef) -> list[tuple[Entity, tuple[Any, ...]]]:
    """The shortest way along references from ``start`` to ``goal``: each entity on it with
    the field followed; empty when there is none within MAX_DEPTH steps."""
    frontier: list[tuple[Entity, list[tuple[Entity, tuple[Any, ...]]]]] = [(start, [])]
    seen = {start.ref}
    for _ in range(MAX_DEPTH):
        following: list[tuple[Entity, list[tuple[Entity, tuple[Any, ...]]]]] = []
        for entity, steps in frontier:
            for path, target_id, kinds in _references(entity):
                for kind in kinds:
                    target = model.find(kind, target_id)
                    if target is None or target.ref in seen:
                        continue
                    way = [*steps, (entity, path)]
                    if target.ref == goal:
                        return way
                    seen.add(target.ref)
                    following.append((target, way))
        frontier = following
    return []


def _read_fields(entity: Entity, rule: RuleInfo | None) -> list[Link]:
    """The fields of ``entity`` the rule reads (as far as it says), with their values."""
    names: Sequence[str] = SHOWN_BY_DEFAULT
    if rule is not None:
        declared = rule.reads.fields.get(entity.kind)
        if declared and EVERY_FIELD not in declared:
            names = sorted(declared)
    links = []
    for name in names:
        if name in entity.data and not isinstance(entity.data[name], Mapping | list):
            links.append(_field_link(entity, (name,), entity.data[name]))
    return links[:MAX_VALUES]


def _at_field(finding: Finding, entity: Entity) -> tuple[str | int, ...]:
    """The path of the field the finding points at, when its key names one of the entity."""
    parts: list[str | int] = []
    node: Any = entity.data
    for part in finding.key.replace(".", "/").split("/") if finding.key else []:
        if isinstance(node, Mapping) and part in node:
            parts.append(part)
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            parts.append(int(part))
            node = node[int(part)]
        else:
            break
    return tuple(parts)


def _walk(model: Model, start: Entity, parts: Sequence[str]) -> list[Link]:
    """The links of a dotted path that follows references (a Rule's ``team.lead.status``),
    from ``start``: each reference followed, then the value at the end."""
    from socialgov.lang.selectors import reference_kinds

    links: list[Link] = []
    entity, index = start, 0
    while index < len(parts):
        kinds: tuple[str, ...] = ()
        end = index + 1
        while end < len(parts) and not (kinds := reference_kinds(entity.kind, parts[index:end])):
            end += 1
        value: Any = entity.data
        for part in parts[index : end if kinds else len(parts)]:
            value = value.get(part) if isinstance(value, Mapping) else None
        if not kinds:
            if value is not None and not isinstance(value, Mapping | list):
                links.append(_field_link(entity, tuple(parts[index:]), value))
            break
        if not isinstance(value, str):
            break
        links.append(_field_link(entity, tuple(parts[index:end]), value))
        named = [model.find(kind, value.partition("@")[0]) for kind in kinds]
        target = next((e for e in named if e is not None), None)
        if target is None:
            break
        entity, index = target, end
    return links


def chain(finding: Finding, model: Model, rule: RuleInfo | None = None) -> list[Link]:
    """The entities behind ``finding``, from its own entity to each related one."""
    if finding.entity is None:
        return []
    start = model.find(finding.entity.kind, finding.entity.id)
    if start is None:
        return []
    field = _at_field(finding, start)
    node: Any = start.data
    for part in field:
        node = node[part]
    first = (
        _field_link(start, field, node)
        if field and not isinstance(node, Mapping | list)
        else Link(start.ref, "", "", start.path, finding.line, finding.column)
    )
    links = [first]
    seen = {first}  # links are compared often: a set, not the list (findings can relate to many)

    def add(link: Link) -> None:
        if link not in seen:
            seen.add(link)
            links.append(link)

    for parts in rule.follows if rule is not None else ():
        for link in _walk(model, start, parts):
            add(link)
    if len(links) > 1 and not first.field:
        links.remove(first)
        seen.discard(first)
    ends: list[EntityRef] = list(finding.related)
    if not ends and isinstance(node, str):
        for path, target_id, kinds in _references(start):
            if path == field:
                named = [model.find(kind, target_id) for kind in kinds]
                ends.extend(e.ref for e in named if e is not None)
    for goal in ends:
        target = model.find(goal.kind, goal.id)
        if target is None:
            continue
        for entity, path in _way(model, start, goal):
            value: Any = entity.data
            for part in path:
                value = value[part]
            link = _field_link(entity, path, value)
            if not links or link != links[-1]:
                add(link)
        pos = target.locate()
        reads = _read_fields(target, rule)
        for link in reads or [Link(target.ref, "", "", target.path, pos.line, pos.column)]:
            add(link)
    return links


@dataclass(frozen=True, slots=True)
class Place:
    """Where a related entity is written."""

    entity: EntityRef
    path: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Trail:
    """A finding's related entities and its chain, resolved from the model before reporting,
    so that no reporter needs the model or a file."""

    related: tuple[Place, ...]
    """Where each related entity the model knows is written (at most ``max_related``)."""
    chain: tuple[Link, ...]
    """The chain of entities behind the finding (:func:`chain`)."""


def trails(
    findings: Iterable[Finding],
    model: Model,
    rules: Mapping[str, RuleInfo],
    max_related: int = MAX_RELATED,
) -> dict[Finding, Trail]:
    """The trail of each finding that is on an entity or relates to some."""
    out: dict[Finding, Trail] = {}
    for finding in findings:
        if finding.entity is None and not finding.related:
            continue
        related = []
        for ref in finding.related[:max_related]:
            entity = model.find(ref.kind, ref.id)
            if entity is not None:
                pos = entity.locate(())
                related.append(Place(ref, entity.path, pos.line, pos.column))
        out[finding] = Trail(tuple(related), tuple(chain(finding, model, rules.get(finding.code))))
    return out


def render_chain(links: Sequence[Link]) -> list[str]:
    """The chain as aligned lines: entity, field and value, where it is written."""
    if not links:
        return []
    names = [str(link.entity) for link in links]
    values = [f"{link.field}: {link.value}" if link.field else "" for link in links]
    width = max(len(n) for n in names)
    value_width = max(len(v) for v in values)
    lines = []
    previous = None
    for link, name, value in zip(links, names, values, strict=True):
        shown = name if link.entity != previous else ""
        arrow = "  " if not lines or link.entity == previous else "->"
        lines.append(
            f"  {arrow} {shown.ljust(width)}  {value.ljust(value_width)}  "
            f"{link.path}:{link.line}:{link.column}".rstrip()
        )
        previous = link.entity
    return lines


# ----------------------------------------------------------------------------- explain FINDING


def is_finding_selector(text: str) -> bool:
    """Whether ``explain``'s argument names findings (a fingerprint, or PATH:LINE) rather than
    a rule (rule codes and names hold no ``:`` and are not 32 hex digits)."""
    import re

    return bool(re.fullmatch(r"[0-9a-f]{32}", text) or re.fullmatch(r".+:\d+(:\d+)?", text))


def select_findings(
    findings: Sequence[Finding], selector: str, relpath: str | None
) -> list[Finding]:
    """The findings ``selector`` names: by fingerprint, or at PATH:LINE (``relpath`` is PATH
    relative to the repository's root)."""
    if ":" not in selector:
        return [f for f in findings if f.fingerprint == selector]
    line = split_location(selector)[1]
    return [f for f in findings if f.path == relpath and f.line == line]


def split_location(selector: str) -> tuple[str, int]:
    """PATH and LINE of ``PATH:LINE`` or ``PATH:LINE:COLUMN``."""
    head, _, last = selector.rpartition(":")
    if ":" in head and head.rpartition(":")[2].isdigit():  # PATH:LINE:COLUMN
        path, _, line = head.rpartition(":")
        return path, int(line)
    return head, int(last)
