"""The audit's findings in their report order without placing most of them.

The audit reads of a finding its entity, rule, severity and name, never its line: yet the
report order (``core.findings.in_report_order``) decides which of two findings comes first, and
the audit lists some of them in that order. ``in_order`` gives each unplaced finding a stand-in
line that puts it where placing it would, placing only the findings whose order their entities
do not tell (``pipeline.lint_evaluated(placed=False)``, the audit's, and ``lint_model``'s for
``audit --history``)."""

from __future__ import annotations

from array import array
from collections.abc import Container
from dataclasses import replace
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from socialgov.core.lifetime import return_freed_memory

if TYPE_CHECKING:
    from socialgov.core.findings import EntityRef, Finding
    from socialgov.model import Entity, Model
    from socialgov.source.loader import Document, Path_

_SLOT = 1 << 32
"""An unplaced run's stand-in line: the finding's slot in its file times this, plus its line
where it is placed (a file's lines are far fewer: limits.max_file_bytes)."""

_Group = tuple["Entity", list[tuple["Finding", "Path_"]]]


def in_order(
    placed: list[tuple[Finding, Path_ | None]],
    unplaced: list[tuple[Finding, Path_]],
    model: Model,
) -> list[tuple[Finding, Path_ | None]] | None:
    """``placed`` (what loading and the model found, in place) and the rules' ``unplaced``
    findings (line and column 0; the list is emptied), each with a line and column that put it
    where placing it would in the report order (core.findings.in_report_order) among the
    findings of its file, most of them unplaced; None when a finding is about an entity the
    model does not hold (a plugin's own), which only placing puts in its place.

    In a file whose nodes are written in its data's order (``SourceMap.in_data_order``), each
    entity's findings are written inside its text (rules place a finding at a node inside its
    entity), after the entities before it in the file's documents and before those after it:
    the entities' order tells their findings' order. Among an entity's findings the order tells
    only which of two findings of one rule comes first (equal findings are reported once; the
    audit lists SG301's groups in their findings' order), and where a placed finding of the
    file falls. So in such a file the entities with findings, in their documents' order, take
    the odd slots; a placed finding takes the slot of the last entity that starts at or before
    it (bisected over the entities' starts, each placed when needed), or slot 0 before the
    first; and the findings of an entity with two of one rule, or in whose slot a placed
    finding falls, are placed. In a slot, a placed finding keeps its line and column, the
    others are at column 0 (each of another rule). In any other file every finding is placed,
    but in a file of one entity's findings alone, where only those of one rule are ordered.
    """
    found = list(placed)
    placed_in: dict[str, list[int]] = {}  # the indexes in ``found`` of the placed, by file
    for index, (finding, _) in enumerate(placed):
        placed_in.setdefault(finding.path, []).append(index)
    # each entity's findings, by its EntityRef (the engine makes one for each entity)
    groups: dict[int, tuple[EntityRef, list[tuple[Finding, Path_]]]] = {}
    for pair in unplaced:
        finding = pair[0]
        ref = finding.entity
        if ref is None:  # placed already (the repository as a whole)
            placed_in.setdefault(finding.path, []).append(len(found))
        else:
            group = groups.get(id(ref))
            if group is None:
                group = groups[id(ref)] = (ref, [])
            group[1].append(pair)
        found.append(pair)
    unplaced.clear()
    files: dict[str, list[_Group]] = {}
    entities: dict[int, _Group] = {}  # (one group an entity, were it named by two refs)
    find = model.find
    for ref, findings in groups.values():
        path = findings[0][0].path
        entity = find(ref.kind, ref.id)
        if entity is None or entity.source.document.path != path:
            return None
        group = entities.get(id(entity))
        if group is None:
            group = entities[id(entity)] = (entity, findings)
            files.setdefault(path, []).append(group)
        else:
            group[1].extend(findings)
    del groups, entities
    ranks: dict[int, dict[Any, int] | None] = {}  # each document's keys' order (None: untold)
    setter = object.__setattr__  # (a Finding is frozen)
    for path, in_file in files.items():
        indexes = placed_in.get(path)
        if len(in_file) == 1 and indexes is None:  # one entity: only its findings to order
            entity, findings = in_file[0]
            if _repeats(findings):
                _place(entity, findings, 0)
            continue  # (each of another rule: at line 0, in order by their rules)
        ordinals = _ordinals(in_file, ranks)
        if ordinals is None:
            for entity, findings in in_file:
                _place(entity, findings, 0)
            continue
        in_file = [in_file[i] for i in sorted(range(len(in_file)), key=ordinals.__getitem__)]
        exact = [_repeats(findings) for _, findings in in_file]
        starts: list[tuple[int, int] | None] = [None] * len(in_file)
        for index in indexes or ():
            finding, field = found[index]
            where = (finding.line, finding.column)
            low, high = 0, len(in_file)  # how many entities start at or before ``where``
            while low < high:
                middle = (low + high) // 2
                start = starts[middle]
                if start is None:
                    source = in_file[middle][0].source
                    start = starts[middle] = source.document.source_map.place(source.base, ())
                if start <= where:
                    low = middle + 1
                else:
                    high = middle
            if low:
                exact[low - 1] = True
                found[index] = (replace(finding, line=finding.line + (2 * low - 1) * _SLOT), field)
        for number, (entity, findings) in enumerate(in_file):
            slot = (2 * number + 1) * _SLOT
            if exact[number]:
                _place(entity, findings, slot)
            else:
                for finding, _ in findings:
                    setter(finding, "line", slot)
    return found


def _repeats(findings: list[tuple[Finding, Path_]]) -> bool:
    """Whether an entity's ``findings`` hold two of one rule."""
    return len(findings) > 1 and len({finding.code for finding, _ in findings}) < len(findings)


def _ordinals(
    in_file: list[_Group], ranks: dict[int, dict[Any, int] | None]
) -> list[tuple[int, int, int]] | None:
    """Where each entity of a file is in its documents (document, collection, item), when the
    file is written in its data's order; None when it is not, or cannot tell. ``ranks``: each
    document's keys in order, by the document, as far as known."""
    ordinals: list[tuple[int, int, int]] = []
    for entity, _ in in_file:
        source = entity.source
        document = source.document
        key = id(document)
        if key in ranks:
            rank = ranks[key]
        else:
            data = document.data
            rank = ranks[key] = (
                {name: number for number, name in enumerate(data)}
                if type(data) is dict and document.source_map.in_data_order()
                else None
            )
        if rank is None:
            return None
        base = source.base
        if not base:
            ordinals.append((document.index, 0, 0))
        elif len(base) == 2 and base[0] in rank:
            ordinals.append((document.index, rank[base[0]], base[1]))
        else:
            return None
    return ordinals


def _place(entity: Entity, findings: list[tuple[Finding, Path_]], slot: int) -> None:
    """Give each of an entity's ``findings`` its place (``_located``'s), its line after
    ``slot``."""
    source = entity.source
    place = source.document.source_map.place
    base = source.base
    setter = object.__setattr__  # (a Finding is frozen)
    for finding, field in findings:
        line, column = place(base, field)
        setter(finding, "line", slot + line)
        setter(finding, "column", column)


_SOURCE = attrgetter("source")
_DOCUMENT = attrgetter("source.document")


def channel_lines(model: Model) -> array[int]:
    """The line each of the model's Accounts, then each of its Channels, is written on (the
    audit's rows show it): read while every file's positions are held, before the rules (an
    array: held through the rules, a list of 100,000 lines and their ints was ~3.5 MB)."""
    from socialgov.source.loader import lines_in

    return array("I", lines_in(map(_SOURCE, chain(model.accounts, model.channels))))


def let_go(model: Model, placed: Container[str]) -> list[Document]:
    """Let go of the positions of the model's files that :func:`in_order` will most likely not
    read, for a run that places no finding but those it places: the files written in their
    data's order without a finding ``placed`` already, before the rules run (it places in
    them only an entity's two findings of one rule: that file is parsed again; so are the few
    files a rule asks a position of). Each file's first document, for :func:`let_go_of`."""
    from socialgov.source.loader import release_files

    files = release_files(
        map(_DOCUMENT, model.all()),
        lambda document: document.path in placed or not document.source_map.in_data_order(),
    )
    return_freed_memory()
    return files


def let_go_of(files: list[Document], *, for_good: bool = False) -> None:
    """Let go of the positions of every file (``files``: each one's first document, from
    :func:`let_go`), once the findings are ordered; ``for_good``: nothing asks a position
    after (their text goes too: the human-style 100,000-account tree's 52 MB)."""
    from socialgov.source.loader import release_files

    release_files(files, for_good=for_good)
    return_freed_memory()
