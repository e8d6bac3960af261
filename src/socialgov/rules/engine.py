"""Run rules over the model and turn their violations into findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from socialgov.core.errors import SocialgovError
from socialgov.core.findings import EntityRef, Finding, made
from socialgov.model import Entity, Model
from socialgov.rules.base import RuleContext, RuleInfo, Violation
from socialgov.source.loader import Path_


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
) -> tuple[Finding, Path_]:
    """:func:`to_finding`, with the path it points at (the violation's field); ``refs`` keeps
    the EntityRef made for each entity (by id, with the entity, so that the id stays its own),
    for the next findings naming it or relating it. ``shared`` keeps the first of equal field
    paths (with its key) and of equal keys, so that the findings of a run hold one of each
    (the stranger's 100,000 accounts: 490,000 findings, ~25 field paths, ~80 keys)."""
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
    source = entity.source
    line, column = source.document.source_map.place(source.base, field)
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
        key = joined or ",".join(f"{r.kind}/{r.id}" for r in violation.related)
    elif type(key) is str:
        key = shared.setdefault(key, key)
    related: tuple[EntityRef, ...] = ()
    known_ref = refs.get
    if violation.related:
        named = []
        add = named.append  # a finding may relate 100,000 channels (SG403)
        for other in violation.related:
            address = id(other)
            known = known_ref(address)
            if known is None or known[0] is not other:
                known = refs[address] = (other, other.ref)
            add(known[1])
        related = tuple(named)
    # The entity's EntityRef too, made once: another finding may name it, or have related it
    # (SG305 relates every live Account of a sprawling team before the rules that name them).
    address = id(entity)
    known = known_ref(address)
    if known is None or known[0] is not entity:
        known = refs[address] = (entity, entity.ref)
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


def run_rules(model: Model, rules: Iterable[RuleInfo], ctx: RuleContext) -> list[Finding]:
    """Every finding of the given rules; structural rules (no ``check``) are skipped here."""
    return [finding for finding, _ in located_findings(model, rules, ctx)]


def located_findings(
    model: Model, rules: Iterable[RuleInfo], ctx: RuleContext
) -> list[tuple[Finding, Path_]]:
    """:func:`run_rules`, each finding with the path of the node it points at inside its entity
    (what socialgov.speedups.incremental needs to point at it again after the entity moves)."""
    from socialgov.lang.selectors import reset_match_budget

    reset_match_budget()  # each run of the rules has its own matching budget (a server runs many)
    findings: list[tuple[Finding, Path_]] = []
    refs: dict[int, tuple[Entity, EntityRef]] = {}
    shared: dict[Any, Any] = {}
    for info in rules:
        if info.check is None:
            continue
        try:
            findings.extend(_located(info, v, refs, shared) for v in info.check(model, ctx))
        except SocialgovError:
            raise  # says itself what to fix (a pattern too slow to match): exit 2, not a crash
        except Exception as error:
            raise RuleCrashed(info, error) from error
    return findings
