"""Run the rules of a large model on two cores, when asked (``lint --jobs 2``): this process and
a forked child share them.

The rules are a good half of a cold lint of a large repository, and each is a pure function
of the model: once the model is built, a forked child has all it needs, without copying it
(the model's pages are shared copy-on-write). The two processes take the rules one at a time
from a queue, so a slow rule on one side does not leave the other waiting; the child sends
back the findings of the rules it took, as plain rows, and this process puts every finding in
the order one process would have found them.

The child's findings are the findings of its rules, rebuilt here field for field from its
rows. A rule the child did not finish (it failed, or the child died) is run here, in the
rules' order, and a rule that failed here raises its error at its place in that order, so an
error is reported as one process reports it (tests/test_rules_split.py). The rules of
installed plugins stay in this process, and run first: socialgov cannot know they are pure.

Only with ``jobs`` of 2 or more (one process is the default: on a busy machine the child waits for a
core and the run gets slower), on Linux, with two cores or more, in a process with no other thread
(see socialgov.speedups.parallel.can_fork), and for a model of at least SPLIT_MIN_ENTITIES entities.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from typing import Any

from socialgov.core.findings import EntityRef, Finding
from socialgov.model import Model
from socialgov.rules.base import RuleContext, RuleInfo
from socialgov.rules.engine import located_findings
from socialgov.source.loader import Path_
from socialgov.speedups.parallel import ForkedChild, can_fork

SPLIT_MIN_ENTITIES = 10_000
"""Entities below which the rules run in this process alone (about 0.3 s of rules: forking
and sending findings back would cost more than it spares)."""

Located = list[tuple[Finding, Path_]]
_Row = tuple[str, str, int, int, Any, tuple[tuple[str, str], ...], str, Path_]
"""A finding on its way from the child: message, path, line, column, entity (kind, id),
related ((kind, id), ...), key, and the node it points at. The rule gives the rest."""

_INDEX_BYTES = 2
"""Each queued rule is its index in two bytes, so up to 65,536 rules can be queued; the pipe
holds fewer (32,768 in the usual 64 KB, 2,048 in a 4 KB one), and a queue it cannot hold is
not shared."""


def check_rules(
    model: Model,
    rules: Sequence[RuleInfo],
    ctx: RuleContext,
    *,
    keep_here: Collection[str] = (),
    jobs: int = 1,
    release: bool = False,
) -> Located:
    """:func:`socialgov.rules.engine.located_findings`, the work shared with a forked child
    when ``jobs`` is 2 or more and the model is large enough; the same findings in the same
    order either way. ``keep_here``: codes of rules that only this process may run (plugins').
    ``release``: located_findings' (in one process)."""
    runnable = [info for info in rules if info.check is not None]
    shared = queue_order(model, runnable, keep_here)
    entities = sum(len(of_kind) for of_kind in model.entities.values())
    split = None
    if jobs >= 2 and entities >= SPLIT_MIN_ENTITIES and len(shared) >= 2:
        split = Split.start(model, runnable, shared, ctx)
    if split is None:
        return located_findings(model, runnable, ctx, release=release)
    done: dict[int, Located | Exception] = {}
    try:
        for index, info in enumerate(runnable):
            if info.code in keep_here:
                _run_one(model, info, ctx, index, done)
        while (index := split.claim()) is not None:
            _run_one(model, runnable[index], ctx, index, done)
        for index, rows in split.results().items():
            done.setdefault(index, _findings(runnable[index], rows))
    finally:
        split.close()
    found: Located = []
    for index, info in enumerate(runnable):
        # In the rules' order, as one process: the first rule that failed raises its error;
        # a rule the child did not finish is run here.
        outcome = done[index] if index in done else located_findings(model, [info], ctx)
        if isinstance(outcome, Exception):
            raise outcome
        found.extend(outcome)
    return found


def queue_order(model: Model, runnable: list[RuleInfo], keep_here: Collection[str]) -> list[int]:
    """The indexes of the rules both processes may run, those over the most entities first
    (how many entities are of the kinds a rule reads is a rough measure of its cost): the
    last rules taken are quick ones, so neither process waits long for the other at the end."""
    shared = [index for index, info in enumerate(runnable) if info.code not in keep_here]
    counts = {kind: len(of_kind) for kind, of_kind in model.entities.items()}

    def entities_read(index: int) -> int:
        return sum(counts.get(kind, 0) for kind in runnable[index].reads.fields)

    return sorted(shared, key=lambda index: -entities_read(index))


def _run_one(
    model: Model,
    info: RuleInfo,
    ctx: RuleContext,
    index: int,
    done: dict[int, Located | Exception],
) -> None:
    """Run one rule; what it raises is kept in ``done`` in place of its findings, to be raised
    in the rules' order (a rule that failed is not run twice)."""
    try:
        done[index] = located_findings(model, [info], ctx)
    except Exception as error:
        done[index] = error


class Split:
    """The queue of rule indexes both processes take from, and the child taking from it."""

    def __init__(self, child: ForkedChild, queue: int) -> None:
        self.child = child
        self._queue = queue

    @classmethod
    def start(
        cls, model: Model, runnable: list[RuleInfo], shared: list[int], ctx: RuleContext
    ) -> Split | None:
        """Fill the queue and fork the child; None when this cannot run here."""
        if len(runnable) > 1 << (8 * _INDEX_BYTES) or not can_fork():
            return None
        queue, filler = os.pipe()
        # Filled before the fork, without blocking: a pipe too small for the queue (a user
        # over the system's pipe quota gets one page) means one process does it all.
        os.set_blocking(filler, False)
        items = b"".join(index.to_bytes(_INDEX_BYTES, "little") for index in shared)
        try:
            written = os.write(filler, items)
        except BlockingIOError:
            written = 0
        finally:
            os.close(filler)
        if written != len(items):
            os.close(queue)
            return None
        child = ForkedChild.fork(lambda: _check(model, runnable, ctx, queue))
        if child is None:  # no process to be had: one process does it all
            os.close(queue)
            return None
        return cls(child, queue)

    def claim(self) -> int | None:
        """The next rule to run, or None when the queue is empty."""
        return _claim(self._queue)

    def results(self) -> dict[int, list[_Row]]:
        """What the child found, by rule index; {} if it failed part way or sent nothing."""
        found = self.child.answer()
        return found if isinstance(found, dict) else {}

    def close(self) -> None:
        """Close the queue and reap the child (killed first if its findings were never read)."""
        if self._queue >= 0:
            os.close(self._queue)
            self._queue = -1
        self.child.close()


def _claim(queue: int) -> int | None:
    """Take one index off the queue. Both processes read the same pipe; a read of two bytes
    is atomic, and an empty pipe whose writer is closed reads as the end."""
    item = os.read(queue, _INDEX_BYTES)
    return int.from_bytes(item, "little") if len(item) == _INDEX_BYTES else None


def _check(
    model: Model, runnable: list[RuleInfo], ctx: RuleContext, queue: int
) -> dict[int, list[_Row]]:
    """In the child: the findings of the rules it takes off the queue, by rule index."""
    done: dict[int, list[_Row]] = {}
    while (index := _claim(queue)) is not None:
        try:
            found = located_findings(model, [runnable[index]], ctx)
        except Exception:
            continue  # the parent runs it again, and reports what went wrong
        done[index] = [_row(finding, node) for finding, node in found]
    return done


def _row(finding: Finding, node: Path_) -> _Row:
    """A finding as plain data, which pickles several times faster than the dataclass."""
    entity = finding.entity
    return (
        finding.message,
        finding.path,
        finding.line,
        finding.column,
        (entity.kind, entity.id) if entity is not None else None,
        tuple((ref.kind, ref.id) for ref in finding.related),
        finding.key,
        node,
    )


def _findings(info: RuleInfo, rows: list[_Row]) -> Located:
    """The child's rows of one rule as findings, as that rule made them here."""
    refs: dict[tuple[str, str], EntityRef] = {}

    def ref(pair: tuple[str, str]) -> EntityRef:
        known = refs.get(pair)
        if known is None:
            known = refs[pair] = EntityRef(*pair)
        return known

    return [
        (
            Finding(
                code=info.code,
                name=info.name,
                severity=info.severity,
                message=message,
                path=path,
                line=line,
                column=column,
                entity=ref(entity) if entity is not None else None,
                related=tuple(map(ref, related)),
                key=key,
            ),
            node,
        )
        for message, path, line, column, entity, related, key, node in rows
    ]
