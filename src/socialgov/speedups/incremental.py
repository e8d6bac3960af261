"""Incremental lint: after a small change, check again only what the change can affect.

A full lint with the cache leaves a *state* next to its result (socialgov.speedups.runcache): every
finding of the selected rules before waivers, each with the node it points at inside its
entity; each file's SHA-256; what each rule reads (:class:`~socialgov.rules.base.Reads`); and
the entities that carry waivers. The next lint whose setup is the same (configuration,
socialgov, plugins, the file list) but where a few files' bytes changed starts from that state:

1. Each changed file is parsed, read back as it was from the parse cache, and both versions are
   modelled on their own; their entities are compared field by field.
2. A rule that reads none of the changed fields keeps its findings; those in a changed file are
   pointed at their nodes' new lines. A local rule that reads a changed field is checked again
   on the changed files' entities alone.
3. Severity, waivers, baseline and ``--new-since`` are applied as in a full run.

The result is the full run's, finding for finding (tests/test_incremental.py compares them after
many kinds of edits). Whatever this cannot decide takes the full run instead:

- a file added, removed or renamed, or more than :data:`MAX_CHANGED_FILES` changed;
- an entity added, removed or renamed, or a changed Policy, Playbook or Rule (they change what
  the rules select);
- a changed reference (owner, team, policies, waivers...), which the model checks (SG104);
- a structural finding (SG100-SG105) but an unknown reference in a changed file, before or
  after the change (an unknown reference keeps its finding, at its new line);
- a changed field that a rule which is not local reads (SG207 counts the owners of every
  channel, for example), or that a plugin's rule may read (plugins declare nothing);
- an earlier version no longer in the parse cache, or no state (the first run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from socialgov.config import Config
from socialgov.core.findings import EntityRef, Finding, Position
from socialgov.core.kinds import KINDS, Waiver

# The model, the rules and the parsers are imported only when a file changed: a run whose files
# are all as the state knows them (the pre-commit hook's, most often) needs none of them.
if TYPE_CHECKING:
    from socialgov.model import Entity, Model
    from socialgov.report.finish import KnownBefore
    from socialgov.report.result import Evaluation, LintResult
    from socialgov.rules.base import Reads, RuleInfo
    from socialgov.schema.validation import Validity
    from socialgov.source.loader import ParsedFile, Path_
    from socialgov.speedups.cache import ParseCache
    from socialgov.speedups.runcache import RunInputs

MAX_CHANGED_FILES = 16
"""More changed files than this (a branch switch, a rebase) take the full run."""

STRUCTURAL = frozenset({"SG100", "SG101", "SG102", "SG103", "SG104", "SG105"})
"""What loading and model building report, from the whole repository at once."""

RESHAPING_KINDS = frozenset({"Policy", "Playbook", "Rule"})
"""Kinds whose entities change what rules select (applies_to, a Rule's own selector)."""


@cache
def links() -> Mapping[str, frozenset[str]]:
    """The fields of each kind that name something else, which model building checks (SG104)."""
    from socialgov.model import NESTED_REFERENCES, REFERENCES

    return {
        kind: frozenset(
            {reference.field for reference in REFERENCES[kind]}
            | {"waivers"}
            | {container for container, _, _ in NESTED_REFERENCES.get(kind, ())}
            | ({"handoffs"} if kind == "Playbook" else set())
            | ({"strategy"} if kind == "Objective" else set())
        )
        for kind in KINDS
    }


@dataclass(frozen=True, slots=True)
class Waivered:
    """An entity with waivers, as the waivers step needs it: who, where, and where each waiver
    is written (the one position it is asked for)."""

    ref: EntityRef
    path: str
    waivers: tuple[Waiver, ...]
    positions: tuple[Position, ...]

    @classmethod
    def of(cls, entity: Entity) -> Waivered:
        positions = tuple(entity.locate(("waivers", waiver.index)) for waiver in entity.waivers)
        return cls(entity.ref, entity.path, entity.waivers, positions)

    def locate(self, field_path: Path_ = (), *, key: bool = False) -> Position:
        """Where waiver ``field_path[1]`` is written (``("waivers", index)``)."""
        if len(field_path) != 2 or field_path[0] != "waivers" or not isinstance(field_path[1], int):
            raise ValueError(f"only the positions of waivers are kept, not of {field_path}")
        return self.positions[field_path[1]]


class WaiverIndex:
    """The entities that carry waivers, by kind and id, in model order."""

    def __init__(self, holders: Mapping[EntityRef, Waivered]) -> None:
        self._by_id = {(ref.kind, ref.id): holder for ref, holder in holders.items()}

    def find(self, kind: str, entity_id: str | None) -> Waivered | None:
        return self._by_id.get((kind, entity_id))

    def all(self) -> Iterator[Waivered]:
        return iter(self._by_id.values())


@dataclass(frozen=True)
class LintState:
    """What incremental lint starts from: a full run's findings and what they depend on."""

    files: tuple[str, ...]
    hashes: tuple[bytes, ...]
    rules: tuple[dict[str, Any], ...]
    """The selected rules, as runcache.rule_row writes them (for the report)."""
    reads: Mapping[str, Reads]
    """What each selected rule reads, its ``applies_to`` resolved on the model."""
    known_rules: frozenset[str]
    found: tuple[tuple[Finding, Path_ | None], ...]
    waivered: Mapping[EntityRef, Waivered]
    troubled: frozenset[str]
    """The files with a structural finding (SG100-SG105) other than an unknown reference."""
    entities: int
    total_bytes: int
    total_nodes: int
    written: Mapping[str, tuple[tuple[str, str], ...]]
    """The kind and id of every entity, by the file it is written in: what PATHS mode asks of
    the model (an incremental run never moves an entity to another file)."""


def state_of(inputs: RunInputs, evaluation: Evaluation, result: LintResult) -> LintState | None:
    """The state a full run leaves for the next; None when incremental lint cannot start from
    it. The files a structural finding is in are *troubled*: an edit to one takes the full run.
    An id used twice (SG103) troubles both files that write it: a look-up by id there could
    not tell the two apart, while an edit anywhere else is checked again as usual (a hook in a
    repository with one pasted account would otherwise always run in full)."""
    from socialgov.speedups.runcache import rule_row

    if tuple(evaluation.repo.files) != inputs.files:
        return None
    found = tuple(evaluation.found)
    model = evaluation.repo.model
    doubled = set()
    for finding, _ in found:
        if finding.code == "SG103" and finding.entity is not None:
            first = model.find(finding.entity.kind, finding.entity.id)
            if first is None:
                return None  # not what SG103 reports: take no chances
            doubled.add(first.path)
    written: dict[str, list[tuple[str, str]]] = {}
    for entity in model.all():
        written.setdefault(entity.path, []).append((entity.kind, entity.id))
    return LintState(
        files=inputs.files,
        hashes=inputs.hashes,
        rules=tuple(rule_row(info) for info in evaluation.selected),
        reads={info.code: info.reads.resolve(model) for info in evaluation.selected},
        known_rules=evaluation.known_rules,
        found=found,
        waivered={e.ref: Waivered.of(e) for e in model.all() if e.waivers},
        troubled=frozenset(
            finding.path
            for finding, _ in found
            if finding.code in STRUCTURAL and finding.code != "SG104"
        )
        | doubled,
        entities=result.entities,
        total_bytes=evaluation.repo.total_bytes,
        total_nodes=evaluation.repo.total_nodes,
        written={path: tuple(refs) for path, refs in written.items()},
    )


MAX_DELTA_FILES = 64
"""How many files may differ from the last full run's state before the whole state is
written again rather than what changed."""


@dataclass(frozen=True)
class StateDelta:
    """How the state changed since the last full run (``base``, its key): the inputs of the
    run that wrote it, and the findings and waivers of the files that changed since."""

    base: bytes
    inputs: RunInputs
    found: Mapping[str, tuple[tuple[Finding, Path_ | None], ...]]
    waivered: Mapping[EntityRef, Waivered]
    total_bytes: int
    total_nodes: int

    def applied(self, state: LintState) -> LintState:
        """``state`` (the base's) as this delta leaves it."""
        found = [entry for entry in state.found if entry[0].path not in self.found]
        for entries in self.found.values():
            found.extend(entries)
        return replace(
            state,
            hashes=self.inputs.hashes,
            found=tuple(found),
            waivered={**state.waivered, **self.waivered},
            total_bytes=self.total_bytes,
            total_nodes=self.total_nodes,
        )


def delta_of(base: bytes, inputs: RunInputs, state: LintState, paths: Iterable[str]) -> StateDelta:
    """What ``state`` holds for ``paths`` (the files changed since the full run ``base``)."""
    wanted = set(paths)
    found: dict[str, list[tuple[Finding, Path_ | None]]] = {path: [] for path in wanted}
    for entry in state.found:
        entries = found.get(entry[0].path)
        if entries is not None:
            entries.append(entry)
    return StateDelta(
        base=base,
        inputs=inputs,
        found={path: tuple(entries) for path, entries in found.items()},
        waivered={ref: w for ref, w in state.waivered.items() if w.path in wanted},
        total_bytes=state.total_bytes,
        total_nodes=state.total_nodes,
    )


@dataclass(frozen=True)
class _Change:
    """One changed file, both versions modelled on their own."""

    path: str
    model: Model
    fields: frozenset[tuple[str, str]]
    """(kind, field) of every field that differs between the versions."""
    moved: bool
    """Whether some entity of the file starts at another line or column."""
    grown: tuple[int, int]
    """How many bytes and nodes the file gained (negative when it shrank)."""
    references: Mapping[tuple[EntityRef | None, str], Position]
    """Where each reference to an entity outside the file is written (SG104's key), which is
    where an unknown one is reported."""


def relint(
    config: Config,
    inputs: RunInputs,
    state: object,
    installed: Callable[[], Sequence[RuleInfo]],
    *,
    known_before: KnownBefore | None,
    paths: Sequence[str] | None = None,
) -> tuple[LintResult, LintState, list[str]] | None:
    """The result of a full run, found from the state the last run with the same setup left,
    with the new state and the files that changed; None when the full run must be made (see
    the module's documentation for when). ``installed`` gives every rule but the repository's
    own; it is called only when a rule must run again."""
    if not isinstance(state, LintState) or state.files != inputs.files:
        return None
    changed = [
        (path, old)
        for path, old, new in zip(state.files, state.hashes, inputs.hashes, strict=True)
        if old != new
    ]
    if len(changed) > MAX_CHANGED_FILES or any(path in state.troubled for path, _ in changed):
        return None
    changes = []
    if changed:
        from socialgov.speedups.cache import ParseCache

        parse_cache = ParseCache(config.root, dict(config.limits))
        try:
            for path, old_hash in changed:
                change = _compare(parse_cache, path, old_hash, config.strategy)
                if change is None:
                    return None
                changes.append(change)
        finally:
            parse_cache.close()
    written = _written(config, paths, state) if paths is not None else None
    total_bytes = state.total_bytes + sum(change.grown[0] for change in changes)
    total_nodes = state.total_nodes + sum(change.grown[1] for change in changes)
    limits = config.limits
    if total_bytes > limits["max_total_bytes"] or total_nodes > limits["max_total_nodes"]:
        return None  # the full run says which limit, and what to do
    outcome = _relint(config, state, changes, installed, known_before, paths, written)
    if outcome is None:
        return None
    result, found, waivered = outcome
    new_state = replace(
        state,
        hashes=inputs.hashes,
        found=found,
        waivered=waivered,
        total_bytes=total_bytes,
        total_nodes=total_nodes,
    )
    return result, new_state, [path for path, _ in changed]


def _compare(
    parse_cache: ParseCache, path: str, old_hash: bytes, strategy: Mapping[str, str]
) -> _Change | None:
    old_file = parse_cache.version(path, old_hash)
    if old_file is None:
        return None
    new_file = parse_cache.load(path)
    if old_file.findings or new_file.findings:
        return None
    from socialgov.model import build_model

    _trust_unchanged(old_file, new_file, parse_cache.validity)
    old_model, _ = build_model(old_file.documents, strategy, parse_cache.validity)
    new_model, problems = build_model(new_file.documents, strategy, parse_cache.validity)
    # Every reference to another file's entity is unknown here. No reference changes (checked
    # below) and no id either, so the full model finds the same unknown ones as before.
    if any(finding.code != "SG104" for finding in problems):
        return None
    fields: set[tuple[str, str]] = set()
    moved = False
    for kind in KINDS:
        before, after = old_model.entities[kind], new_model.entities[kind]
        if list(before) != list(after):
            return None  # added, removed, renamed or reordered
        for old, new in zip(before.values(), after.values(), strict=True):
            names = _changed_fields(old.data, new.data)
            if names and (kind in RESHAPING_KINDS or names & links()[kind]):
                return None
            fields.update((kind, name) for name in names)
            moved = moved or old.locate() != new.locate()
    grown = (new_file.size - old_file.size, new_file.nodes - old_file.nodes)
    references = {(f.entity, f.key): Position(f.line, f.column) for f in problems}
    return _Change(path, new_model, frozenset(fields), moved, grown, references)


def _trust_unchanged(old_file: ParsedFile, new_file: ParsedFile, validity: Validity) -> None:
    """Spare the schema check of each entity mapping the edit left as it was."""
    from socialgov.speedups.cache import entity_candidates

    for old_document, new_document in zip(old_file.documents, new_file.documents, strict=False):
        old_values = dict(entity_candidates(old_document.data))
        for path, value in entity_candidates(new_document.data):
            known = old_values.get(path)
            if known is not None and same(known, value):
                validity.trust_as(known, value)


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    """The top-level fields whose values differ (in type, value or order)."""
    return {
        name
        for name in old.keys() | new.keys()
        if name not in old or name not in new or not same(old[name], new[name])
    }


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types throughout (``1``, ``1.0`` and ``true`` differ, and so do
    mappings with their keys in another order, since messages list them in order)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _relint(
    config: Config,
    state: LintState,
    changes: list[_Change],
    installed: Callable[[], Sequence[RuleInfo]],
    known_before: KnownBefore | None,
    paths: Sequence[str] | None,
    written: Written | None,
) -> tuple[LintResult, tuple[tuple[Finding, Path_ | None], ...], dict[EntityRef, Waivered]] | None:
    from socialgov.report.finish import finish
    from socialgov.speedups.runcache import rule_from_row

    fields = {pair for change in changes for pair in change.fields}
    moved = [change.model for change in changes if change.moved]
    moved_models = [change.model for change in changes]
    again: list[RuleInfo] = []
    known: dict[str, RuleInfo] = {}
    ctx = None
    for row in state.rules:
        code = row["code"]
        reads = state.reads[code]
        touched = any(reads.reads(kind, name) for kind, name in fields)
        if not touched and not (reads.positions and moved):
            continue  # what the rule found stands: no need of its code
        if not known:  # every rule family imported, and the plugins loaded, only now
            from socialgov.rules.base import RuleContext

            known = {info.code: info for info in installed()}
            ctx = RuleContext(
                as_of=config.as_of, options=config.options, known_rules=state.known_rules
            )
        info = known.get(code)
        if info is not None and info.check is None:
            continue  # structural: no such finding in a changed file, before or after
        if touched:
            if info is not None and not reads.local:
                from socialgov.rules._programme import per_entity

                # a programme rule that this change cannot switch on or off is local again
                info = per_entity(info, (f for f, _ in state.found), moved_models, ctx)
            if info is None or not (reads.local or info.reads.local):
                return None
            again.append(info)
        elif _shows(code, state.found, moved):
            return None  # a message says where a moved entity was written
    models = {change.path: change.model for change in changes}
    by_path = {change.path: change for change in changes}
    checked_again = {info.code for info in again}
    found: list[tuple[Finding, Path_ | None]] = []
    for finding, node in state.found:
        change = by_path.get(finding.path)
        if change is not None:
            if finding.code in checked_again:
                continue
            moved_finding = _moved(finding, node, change)
            if moved_finding is None:
                return None
            finding = moved_finding
        found.append((finding, node))
    if again:
        from socialgov.rules.engine import located_findings

        assert ctx is not None
        for model in models.values():
            found.extend(located_findings(model, again, ctx))
    waivered = dict(state.waivered)
    for model in models.values():
        waivered.update((e.ref, Waivered.of(e)) for e in model.all() if e.waivers)
    # What the reporters show of each rule, as the full run kept it (the same for every run of
    # this setup), without importing the rules' code.
    selected = tuple(rule_from_row(row) for row in state.rules)
    result = finish(
        config,
        [finding for finding, _ in found],
        selected,
        selected,
        WaiverIndex(waivered),
        paths=paths,
        known_before=known_before,
        files=len(state.files),
        entities=state.entities,
        written=written,
    )
    return replace(result, run="incremental"), tuple(found), waivered


@dataclass(frozen=True, slots=True)
class _Placed:
    """Where an entity is written: its file, as the state names it (what :meth:`Written.find`
    answers)."""

    path: str


class Written:
    """Which file each entity written in the files PATHS names is in (what PATHS mode asks of
    the model: where a finding's entity and related entities are written)."""

    def __init__(self, files: Mapping[tuple[str, str], str]) -> None:
        self._files = files

    def find(self, kind: str, entity_id: str | None) -> _Placed | None:
        path = self._files.get((kind, entity_id)) if entity_id is not None else None
        return None if path is None else _Placed(path)


def _written(config: Config, paths: Sequence[str], state: LintState) -> Written:
    """The entities written in the files PATHS names, from the state (an incremental run adds,
    removes, renames and moves no entity between files)."""
    from socialgov.report.finish import relative_paths

    wanted = relative_paths(config.root, paths)
    return Written({ref: path for path in wanted for ref in state.written.get(path, ())})


def _shows(
    code: str, found: Iterable[tuple[Finding, Path_ | None]], models: Sequence[Model]
) -> bool:
    """Whether a finding of rule ``code`` is about, or relates to, an entity of ``models``."""
    for finding, _ in found:
        if finding.code != code:
            continue
        for ref in (finding.entity, *finding.related):
            if ref is not None and any(m.find(ref.kind, ref.id) for m in models):
                return True
    return False


def _moved(finding: Finding, node: Path_ | None, change: _Change) -> Finding | None:
    """The finding pointing at its node's place in the file's new version (None when that
    cannot be told)."""
    if finding.code == "SG104":
        position = change.references.get((finding.entity, finding.key))
    elif node is None or finding.entity is None:
        return None
    else:
        entity = change.model.find(finding.entity.kind, finding.entity.id)
        position = None if entity is None else entity.locate(node)
    if position is None:
        return None
    if (position.line, position.column) == (finding.line, finding.column):
        return finding
    return replace(finding, line=position.line, column=position.column)
