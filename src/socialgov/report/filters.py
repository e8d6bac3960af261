"""What to report: rule selection, severity overrides, waivers and the PATHS filter."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol

from socialgov.core.findings import EntityRef, Finding, Position, Severity
from socialgov.core.kinds import UNWAIVABLE, Waiver, waiver_applies_at_all

if TYPE_CHECKING:  # the warm run (socialgov.speedups.runcache) filters without the model
    from socialgov.rules.base import RuleInfo
    from socialgov.source.loader import Path_


class Waivered(Protocol):
    """What the waivers step needs of an entity: an Entity, or what incremental lint keeps."""

    @property
    def ref(self) -> EntityRef: ...
    @property
    def path(self) -> str: ...
    @property
    def waivers(self) -> tuple[Waiver, ...]: ...
    def locate(self, field_path: Path_ = (), *, key: bool = False) -> Position: ...


class WaiverHolders(Protocol):
    """Where the waivers step finds entities: a Model, or incremental lint's index."""

    def find(self, kind: str, entity_id: str | None) -> Waivered | None: ...
    def all(self) -> Iterable[Waivered]: ...


class Written(Protocol):
    """Where PATHS mode finds which file an entity is written in: a Model, or what incremental
    lint keeps."""

    def find(self, kind: str, entity_id: str | None) -> Placed | None: ...


class Placed(Protocol):
    @property
    def path(self) -> str: ...


def select_rules(
    rules: Iterable[RuleInfo], select: Sequence[str], ignore: Sequence[str]
) -> tuple[RuleInfo, ...]:
    """The rules that ``select`` names and ``ignore`` does not (codes, prefixes, names, ALL)."""
    return tuple(
        info
        for info in rules
        if any(info.matches(s) for s in select) and not any(info.matches(s) for s in ignore)
    )


def unknown_selectors(rules: Iterable[RuleInfo], selectors: Iterable[str]) -> list[str]:
    """Selectors that match no rule at all: almost always a typo worth an error."""
    known = list(rules)
    return [s for s in selectors if not any(info.matches(s) for info in known)]


def configured_severity(info: RuleInfo, overrides: Mapping[str, Severity]) -> Severity:
    """A rule's severity in this run: the override naming its code or name, else its default."""
    for key, severity in overrides.items():
        if key.upper() == info.code.upper() or key.lower() == info.name:
            return severity
    return info.severity


def apply_severity(
    findings: Iterable[Finding], overrides: Mapping[str, Severity], rules: Iterable[RuleInfo]
) -> list[Finding]:
    """Findings with the configured severity of their rule (by code or name)."""
    if not overrides:
        return list(findings)
    by_code = {info.code: configured_severity(info, overrides) for info in rules}
    return [replace(f, severity=by_code[f.code]) if f.code in by_code else f for f in findings]


def waiver_applies(waiver: Waiver, finding: Finding, as_of: dt.date) -> bool:
    """A waiver suppresses a finding of its rule when it has a reason and has not expired.

    It is valid up to and including its ``expires`` day. SG106 (invalid-waiver) is never
    suppressed: a waiver must not vouch for waivers.
    """
    if not waiver_applies_at_all(waiver, as_of):
        return False
    wanted = waiver.rule.strip().lower()
    if wanted in UNWAIVABLE or finding.code.lower() in UNWAIVABLE:
        return False
    return wanted in (finding.code.lower(), finding.name.lower())


@dataclass(frozen=True, slots=True)
class WaiverOutcome:
    """Findings split by the waivers on their entities, and the waivers that suppressed none."""

    reported: list[Finding]
    suppressed: list[Finding]
    unused: list[tuple[EntityRef, Waiver]]


def apply_waivers(
    findings: Iterable[Finding], model: WaiverHolders, as_of: dt.date
) -> WaiverOutcome:
    """Split findings into reported and suppressed by the waivers on their entities.

    Each entity's current waivers are indexed once by the rule they name, so the work is linear
    in findings plus waivers (an entity with thousands of waivers and as many findings does not
    compare each with each). A finding takes the first waiver, in written order, of its rule's
    code or name, as :func:`waiver_applies` would pick it.

    The entities that carry waivers are found first (:func:`_carriers`), and only the findings
    whose entity's id is one of theirs are looked at, told in one pass over the findings'
    entities: most findings name an entity that waives nothing (the stranger's 5,000 accounts:
    23,600 findings, 60 waivers), and asking the model for each finding's entity took ~2,300
    instructions a finding.
    """
    findings = findings if type(findings) is list else list(findings)
    carriers, held = _carriers(model)
    # where the findings naming an entity that carries waivers are (most findings name none)
    named = (
        [at for at, ref in enumerate(map(_ENTITY, findings)) if ref is not None and ref.id in held]
        if held
        else []
    )
    suppressed: list[Finding] = []
    waived: list[int] = []  # where the suppressed findings were
    used: set[tuple[EntityRef, int]] = set()
    indexes: dict[int, dict[str, Waiver]] = {}
    for at in named:
        finding = findings[at]
        ref = finding.entity
        entity = held[ref.id].get(ref.kind)  # type: ignore[union-attr]
        if entity is None or finding.code.lower() in UNWAIVABLE:
            continue
        index = indexes.get(id(entity))
        if index is None:
            index = indexes[id(entity)] = _waiver_index(entity.waivers, as_of)
        by_code = index.get(finding.code.lower())
        by_name = index.get(finding.name.lower())
        waiver = min(
            (w for w in (by_code, by_name) if w is not None),
            key=lambda w: w.index,
            default=None,
        )
        if waiver is None:
            continue
        waived.append(at)
        used.add((entity.ref, waiver.index))
        suppressed.append(replace(finding, suppressed=waiver.reason))
    # The rest, in their order, copied in C a run at a time into a list made at its length (a
    # list of 490,000 grown an append at a time, once the C heap was given back after the rules,
    # moved through ~25 MB of pages: rules.engine).
    reported: list[Finding] = [None] * (len(findings) - len(waived))  # type: ignore[list-item]
    kept = start = 0
    for at in waived:
        reported[kept : kept + at - start] = findings[start:at]
        kept += at - start
        start = at + 1
    reported[kept:] = findings[start:]
    unused = [
        (entity.ref, waiver)
        for entity in carriers
        for waiver in entity.waivers
        if waiver_applies_at_all(waiver, as_of) and (entity.ref, waiver.index) not in used
    ]
    return WaiverOutcome(reported, suppressed, unused)


_ENTITY = attrgetter("entity")


def _carriers(
    model: WaiverHolders,
) -> tuple[list[Waivered], dict[str, dict[str, Waivered]]]:
    """The entities of ``model`` that carry waivers, in its order, and what ``model.find``
    answers for each one's kind and id, by id, then kind, when that carries waivers: the
    entity whose waivers a finding naming that kind and id takes (``find`` answers an entity
    that ``all`` gives, as the model and incremental lint's index do)."""
    carriers = [entity for entity in model.all() if entity.waivers]
    held: dict[str, dict[str, Waivered]] = {}
    for carrier in carriers:
        ref = carrier.ref
        found = model.find(ref.kind, ref.id)
        if found is not None and found.waivers:
            held.setdefault(ref.id, {})[ref.kind] = found
    return carriers, held


def _waiver_index(waivers: Iterable[Waiver], as_of: dt.date) -> dict[str, Waiver]:
    """The first current waiver of each rule name (lower case) among ``waivers``."""
    index: dict[str, Waiver] = {}
    for waiver in waivers:
        wanted = waiver.rule.strip().lower()
        if wanted not in UNWAIVABLE and waiver_applies_at_all(waiver, as_of):
            index.setdefault(wanted, waiver)
    return index


def unused_waiver_findings(
    unused: Iterable[tuple[EntityRef, Waiver]],
    model: WaiverHolders,
    rules_run: Iterable[RuleInfo],
) -> list[Finding]:
    """An info finding for each current waiver that suppressed nothing (``--show-suppressed``),
    at the waiver itself, so that stale waivers are cleaned up rather than kept forever.

    Only waivers of a rule that ran are judged: a waiver of a rule left out by select or ignore
    was just not needed this time, and one naming no known rule is SG106's error instead.
    """
    ran = {name for info in rules_run for name in (info.code.lower(), info.name.lower())}
    result: list[Finding] = []
    for ref, waiver in unused:
        entity = model.find(ref.kind, ref.id)
        wanted = waiver.rule.strip().lower()
        if entity is None or wanted not in ran or wanted in UNWAIVABLE:
            continue
        pos = entity.locate(("waivers", waiver.index))
        result.append(
            Finding(
                code="SG106",
                name="invalid-waiver",
                severity=Severity.INFO,
                message=(
                    f"{ref}: the waiver for {waiver.rule} (waivers[{waiver.index}]) suppresses "
                    f"nothing (unused waiver): {waiver.rule} finds nothing wrong here any more; "
                    "delete the waiver"
                ),
                path=entity.path,
                line=pos.line,
                column=pos.column,
                entity=ref,
                key=f"unused-waiver/{waiver.rule.strip().lower()}",
            )
        )
    return result


def without_known(
    findings: Iterable[Finding], known: Iterable[str]
) -> tuple[list[Finding], list[Finding]]:
    """Split findings into those whose fingerprint is not in ``known`` and those that are.

    ``known`` is a multiset: a fingerprint recorded twice hides two findings, so a second
    occurrence of a known problem is still reported as new.
    """
    remaining = Counter(known)
    new: list[Finding] = []
    old: list[Finding] = []
    for finding in findings:
        fp = finding.fingerprint
        if remaining[fp] > 0:
            remaining[fp] -= 1
            old.append(finding)
        else:
            new.append(finding)
    return new, old


def in_paths(findings: Iterable[Finding], paths: Iterable[str], model: Written) -> list[Finding]:
    """Findings located in ``paths``, or whose entity or related entities are written there.

    This is what pre-commit needs: the whole repository is loaded (cross-file rules need it),
    but a commit is only told about what it touches.
    """
    wanted = set(paths)

    def written_in(ref: EntityRef) -> bool:
        entity = model.find(ref.kind, ref.id)
        return entity is not None and entity.path in wanted

    return [
        f
        for f in findings
        if f.path in wanted
        or (f.entity is not None and written_in(f.entity))
        or any(written_in(r) for r in f.related)
    ]


def at_or_above(findings: Iterable[Finding], threshold: Severity | None) -> bool:
    """True when any finding reaches ``threshold`` (None: never)."""
    return threshold is not None and any(f.severity >= threshold for f in findings)
