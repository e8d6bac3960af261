"""Run rules over the model and turn their violations into findings."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from socialgov.core.errors import SocialgovError
from socialgov.core.findings import EntityRef, Finding, entity_ref, made
from socialgov.core.lifetime import return_freed_memory
from socialgov.model import Entity, Model
from socialgov.rules.base import RuleContext, RuleInfo, Violation
from socialgov.source.loader import Path_, places_in


class RuleCrashed(Exception):
    """A rule raised: a bug in socialgov or a plugin, reported as an internal error (exit 2)."""

    def __init__(self, info: RuleInfo, error: Exception) -> None:
        super().__init__(f"rule {info.code} ({info.name}) failed: {type(error).__name__}: {error}")
        self.info = info


def to_finding(info: RuleInfo, violation: Violation) -> Finding:
    return _located(info, violation, {}, {})[0]


def _located(
    info: RuleInfo,
    violation: Violation,
    refs: dict[int, tuple[Entity, EntityRef]],
    shared: dict[Any, Any],
    place: bool = True,
) -> tuple[Finding, Path_]:
    """:func:`to_finding`, with the path it points at (the violation's field); ``refs`` keeps
    the EntityRef made for each entity (by id, with the entity, so that the id stays its own),
    for the next findings naming it or relating it. ``shared`` keeps the first of equal field
    paths (with its key) and of equal keys, so that the findings of a run hold one of each
    (the stranger's 100,000 accounts: 490,000 findings, ~25 field paths, ~80 keys). Without
    ``place``, the finding is not placed: line and column 0."""
    field = violation.field
    entity = violation.entity
    if entity is None:  # the repository as a whole: socialgov.yaml, line 1
        from socialgov.rules._programme import PROGRAMME_FILE

        finding = Finding(
            code=info.code,
            name=info.name,
            severity=info.severity,
            message=violation.message,
            path=PROGRAMME_FILE,
            entity=None,
            key=violation.key or "programme",
        )
        return finding, field
    # entity.locate(field)'s line and column, without its four calls and Position
    if place:
        source = entity.source
        line, column = source.document.source_map.place(source.base, field)
    else:
        line = column = 0
    joined = None
    if type(field) is tuple:  # (a plugin's list is placed, not shared: it is no dict key)
        for part in field:  # of str and int parts only (1 == True, yet "x/1" != "x/True")
            if type(part) is not str and type(part) is not int:
                break
        else:
            kept = shared.get(field)
            if kept is None:
                kept = shared[field] = (field, "/".join(map(str, field)))
            field, joined = kept
    key = violation.key
    if key is None:
        if joined is None:
            joined = "/".join(map(str, field))
        key = joined or _related_key(violation.related)
    elif type(key) is str:
        key = shared.setdefault(key, key)
    related = _named(violation.related, refs) if violation.related else ()
    # The entity's EntityRef too, made once: another finding may name it, or have related it
    # (SG305 relates every live Account of a sprawling team before the rules that name them).
    address = id(entity)
    known = refs.get(address)
    if known is None or known[0] is not entity:
        known = refs[address] = (entity, entity_ref(entity.kind, entity.id))
    # Made without the frozen dataclass's __init__ (core.findings.made: a quarter of the
    # instructions; tests/test_rules_differential.py holds this to Finding's keywords).
    finding = made(
        info.code,
        info.name,
        info.severity,
        violation.message,
        entity.path,
        line,
        column,
        known[1],
        related,
        key,
    )
    return finding, field


def _related_key(related: tuple[Entity, ...]) -> str:
    """The key of a finding whose field is the entity itself: the entities it relates."""
    # (a list made for join, not a generator: SG305's keys join thousands of Accounts)
    return ",".join([f"{r.kind}/{r.id}" for r in related])


def _named(
    related: tuple[Entity, ...], refs: dict[int, tuple[Entity, EntityRef]]
) -> tuple[EntityRef, ...]:
    """The EntityRefs of ``related``, each made once for the run (``refs``: see _located)."""
    named = []
    add = named.append  # a finding may relate 100,000 channels (SG403)
    known_ref = refs.get
    for other in related:
        address = id(other)
        known = known_ref(address)
        if known is None or known[0] is not other:
            known = refs[address] = (other, entity_ref(other.kind, other.id))
        add(known[1])
    return tuple(named)


def run_rules(model: Model, rules: Iterable[RuleInfo], ctx: RuleContext) -> list[Finding]:
    """Every finding of the given rules; structural rules (no ``check``) are skipped here."""
    return [finding for finding, _ in located_findings(model, rules, ctx)]


def located_findings(
    model: Model,
    rules: Iterable[RuleInfo],
    ctx: RuleContext,
    *,
    release: bool = False,
    place: bool = True,
) -> list[tuple[Finding, Path_]]:
    """:func:`run_rules`, each finding with the path of the node it points at inside its entity
    (what socialgov.speedups.incremental needs to point at it again after the entity moves).

    The rules run first, and what a finding needs of each violation is kept (its entity,
    message, field path and key, the path and key shared as :func:`_located` shares them);
    then the violations are placed file by file, and what placing a file looked up (its walks)
    is let go once its violations are placed; with ``release`` (nothing asks a position of the
    model after the rules: a lint), the file's positions too (SourceMap.release), and the
    memory given back before the findings are made, in the order found. On the stranger's
    100,000 accounts (~490,000 findings) a violation kept (~80 bytes) is under half a finding
    with its pair (~190), and no finding is made while every file's positions are held. A
    violation whose placing or making might raise (no entity, a field other than a tuple of
    str and int parts, a message other than a str) is made into its finding at once, as
    before, so that a rule's error is raised in the rules' order; one that relates entities
    has their EntityRefs made at once (as its key is joined from them), and is placed with its
    file's (placed alone, each cost ~3 times as much: stranger-5000's 1,298, ~94 M).
    Without ``place`` (for what reads no finding's line or column), nothing is placed: every
    finding's line and column are 0, and the memory the rules freed is given back before the
    findings are made, as with ``release`` (every file's positions are still held then)."""
    from socialgov.lang.selectors import reset_match_budget

    reset_match_budget()  # each run of the rules has its own matching budget (a server runs many)
    refs: dict[int, tuple[Entity, EntityRef]] = {}
    shared: dict[Any, Any] = {}
    # (entity, message, field, key) of a violation to place, with its related entities' refs
    # last if it has any, or its finding placed at once
    found: list[Any] = []
    ran: list[tuple[RuleInfo, int]] = []  # each rule, with where its violations end in found
    files: dict[str, array[int]] = {}  # each file's violations to place, by their place in found
    for info in rules:
        if info.check is None:
            continue
        try:
            for violation in info.check(model, ctx):
                entity = violation.entity
                field = violation.field
                if entity is None or type(field) is not tuple or type(violation.message) is not str:
                    found.append(_located(info, violation, refs, shared, place))
                    continue
                for part in field:
                    if type(part) is not str and type(part) is not int:
                        found.append(_located(info, violation, refs, shared, place))
                        break
                else:
                    kept = shared.get(field)
                    if kept is None:
                        kept = shared[field] = (field, "/".join(map(str, field)))
                    key = violation.key
                    related = violation.related
                    if key is None:
                        key = kept[1]
                        if not key and related:  # (as _located makes it)
                            key = _related_key(related)
                    elif type(key) is str:
                        key = shared.setdefault(key, key)
                    path = entity.source.document.path
                    waiting = files.get(path)
                    if waiting is None:
                        waiting = files[path] = array("I")
                    waiting.append(len(found))
                    if related:  # its refs made now, as _located makes them; placed with the file's
                        found.append(
                            (entity, violation.message, kept[0], key, _named(related, refs))
                        )
                    else:
                        found.append((entity, violation.message, kept[0], key))
        except SocialgovError:
            raise  # says itself what to fix (a pattern too slow to match): exit 2, not a crash
        except Exception as error:
            raise RuleCrashed(info, error) from error
        ran.append((info, len(found)))
    if not files:
        return found
    lines = array("I", bytes(4 * len(found)))
    columns = array("I", lines)
    if not place:
        files = {}
    # A waiver's position is asked after the rules (report.filters.unused_waiver_findings):
    # kept through the release of its file's positions, rather than that file parsed again.
    waived: dict[str, list[Entity]] = {}
    if release:
        for entity in model.all():
            if entity.waivers:
                waived.setdefault(entity.source.document.path, []).append(entity)
    at = 0
    try:
        for path, waiting in files.items():
            # the file's violations placed together; should that raise, each is placed alone,
            # so that a placing that raises fails the rule of its own violation
            kept = list(map(found.__getitem__, waiting))
            sources = [violation[0].source for violation in kept]
            fields = [violation[2] for violation in kept]
            try:
                placed = places_in(sources, fields)
            except SocialgovError:
                raise
            except Exception:
                placed = []
                # ``at`` names the violation being placed to the handler below
                for at, source, field in zip(waiting, sources, fields, strict=True):  # noqa: B007
                    placed.append(source.document.source_map.place(source.base, field))
            for at, (line, column) in zip(waiting, placed, strict=True):
                lines[at] = line
                columns[at] = column
            source_map = sources[-1].document.source_map
            if release:
                for holder in waived.get(path, ()):
                    source = holder.source
                    source.document.source_map.keep(
                        [(*source.base, "waivers", waiver.index) for waiver in holder.waivers]
                    )
                source_map.release()
            else:
                source_map.forget()
        del files
        if release or not place:
            # what the rules freed in the C heap given back before the findings are made:
            # without placing (the audit) every file's positions are still held, and the
            # findings (31,279 at the plain 100,000-account tree) came on top of it
            return_freed_memory()
        start = 0
        known_ref = refs.get
        # One int object for each line number (the 490,000 findings' lines are mostly past the
        # 256 Python keeps one of each: ~15 MB), as far as there are findings.
        numbers = list(range(min(max(lines), len(found)) + 1))
        shared_lines = len(numbers)
        for info, end in ran:
            code, name, severity = info.code, info.name, info.severity
            for at in range(start, end):
                kept = found[at]
                size = len(kept)
                if size == 2:
                    continue  # placed at once
                if size == 4:
                    entity, message, field, key = kept
                    named: tuple[EntityRef, ...] = ()
                else:  # a violation relating entities, their refs made
                    entity, message, field, key, named = kept
                line = lines[at]
                if line < shared_lines:
                    line = numbers[line]
                # The entity's EntityRef made once (see _located).
                address = id(entity)
                known = known_ref(address)
                if known is None or known[0] is not entity:
                    known = refs[address] = (entity, entity_ref(entity.kind, entity.id))
                finding = made(
                    code,
                    name,
                    severity,
                    message,
                    entity.source.document.path,
                    line,
                    columns[at],
                    known[1],
                    named,
                    key,
                )
                found[at] = finding, field
            start = end
    except SocialgovError:
        raise
    except Exception as error:
        raise RuleCrashed(ran[bisect_right([end for _, end in ran], at)][0], error) from error
    return found
