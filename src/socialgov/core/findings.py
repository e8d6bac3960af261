"""What every check produces: a Finding, its Severity, its location and its fingerprint."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, count, islice
from operator import eq, itemgetter

from socialgov.core.text import MAX_MESSAGE, bounded


class Severity(enum.IntEnum):
    """How serious a finding is; ordered so that ``max()`` gives the worst."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use error, warning or info") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class EntityRef:
    """An entity named by kind and id, as findings and reports show it."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id}


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a policy repository.

    ``path`` is relative to the repository root, with ``/``. ``key`` tells findings of one rule on
    one entity apart (the field or the related entity) and goes into the fingerprint, which must
    never depend on line numbers.
    """

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int = 1
    column: int = 1
    entity: EntityRef | None = None
    related: tuple[EntityRef, ...] = ()
    key: str = ""
    suppressed: str | None = field(default=None, compare=False)
    """The reason of the waiver that suppresses this finding, when one does."""

    def __post_init__(self) -> None:
        # Every finding's message, whatever made it, is bounded (socialgov.core.text): a message
        # quoting a value that aliases expand cannot make a report grow with what the input
        # expands to. The related list is kept whole: PATHS selects findings by it, and the
        # rules that name many entities do so once per group, not once per member.
        if len(self.message) > MAX_MESSAGE:
            object.__setattr__(self, "message", bounded(self.message, MAX_MESSAGE))
        if self.suppressed is not None and len(self.suppressed) > MAX_MESSAGE:
            object.__setattr__(self, "suppressed", bounded(self.suppressed, MAX_MESSAGE))

    @property
    def fingerprint(self) -> str:
        return fingerprint(self)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


class _Made:
    """A Finding's slots without its frozen ``__init__``: what :func:`made` fills before the
    object becomes the Finding it is (the same slots, so the same layout: Python lets an object
    change to such a class)."""

    __slots__ = Finding.__slots__


def made(
    code: str,
    name: str,
    severity: Severity,
    message: str,
    path: str,
    line: int,
    column: int,
    entity: EntityRef | None,
    related: tuple[EntityRef, ...],
    key: str,
) -> Finding:
    """``Finding(code, name, ..., key)``, the same object, for a quarter of the instructions:
    a frozen dataclass's ``__init__`` sets each of its eleven slots through
    ``object.__setattr__`` (~1,300 instructions each, ~18,300 a Finding; the rules make one
    for every finding, 23,618 on the stranger's 5,000 accounts); a slot of a plain class is
    set by the interpreter at once (~4,200 a Finding in all)."""
    finding = _Made()
    finding.code = code
    finding.name = name
    finding.severity = severity
    finding.message = message if len(message) <= MAX_MESSAGE else bounded(message, MAX_MESSAGE)
    finding.path = path
    finding.line = line
    finding.column = column
    finding.entity = entity
    finding.related = related
    finding.key = key
    finding.suppressed = None
    finding.__class__ = Finding  # type: ignore[assignment]
    return finding  # type: ignore[return-value]


class _Ref:
    """An EntityRef's slots without its frozen ``__init__`` (see :class:`_Made`)."""

    __slots__ = EntityRef.__slots__


def entity_ref(kind: str, id_: str) -> EntityRef:
    """``EntityRef(kind, id_)``, the same object, for a quarter of the instructions: the frozen
    dataclass's ``__init__`` sets its two slots through ``object.__setattr__`` (~4,400
    instructions a ref); here they are stored at once and ``__class__`` is set. The rules'
    findings name an EntityRef for each entity they name or relate (human-5000: ~4,900, most
    of them the Accounts SG305 relates)."""
    ref = _Ref()
    ref.kind = kind
    ref.id = id_
    ref.__class__ = EntityRef  # type: ignore[assignment]
    return ref  # type: ignore[return-value]


def fingerprint(finding: Finding) -> str:
    """A stable identity for a finding: rule, entity and field, never its line or file.

    An entity can move to another file or gain fields elsewhere and keep its fingerprints. A
    finding with no entity (a YAML syntax error) is tied to its file instead.
    """
    where = (
        f"{finding.entity.kind}/{finding.entity.id}" if finding.entity else f"file:{finding.path}"
    )
    text = "\x1f".join((finding.code, where, finding.key))
    import hashlib  # here: a text report, without a baseline or waivers, needs no fingerprint

    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def in_report_order(findings: Iterable[Finding]) -> list[Finding]:
    """Each distinct finding once, by file and position (:meth:`Finding.sort_key`), then by
    every other field, so that the order never depends on the order they were found in."""
    found = findings if isinstance(findings, list | tuple) else list(findings)
    # Sorted by file, line, column and code alone, where sorting by the whole order (a tuple of
    # ten, and its entity's of two) took ~190 bytes a finding while it sorted (~95 MiB of the
    # stranger's 100,000 accounts' 490,000 findings) and half again as many instructions. The
    # sort is stable: findings alike in those four are in the order found, and only they (two
    # of 23,618 on the stranger's 5,000 accounts) are then sorted by their whole order, where
    # equal findings, the same order, are kept once: the first found.
    # The findings in that order picked in C by one itemgetter (its list made at its length,
    # where a list grown an append at a time after the rules gave the C heap back moved
    # through ~4 times its 4 MB of pages), and the keys by the same itemgetter first, the
    # list of them let go before the findings are picked (so no more is held at once than
    # before): the ties are found on each key beside the next, not each looked up twice
    # (26.3 -> 19.3 M instructions on stranger-5000's 23,989 findings).
    keys = [(f.path, f.line, f.column, f.code) for f in found]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    if len(order) > 1:
        pick = itemgetter(*order)
        in_order: Sequence[tuple[str, int, int, str]] = pick(keys)
        del keys
        ordered = list(pick(found))
        del pick
    else:
        in_order, ordered = keys, list(found)
    ties = list(compress(count(), map(eq, in_order, islice(in_order, 1, None))))
    if not ties:
        return ordered
    result: list[Finding] = []
    done = 0
    for first, last in _runs(ties):
        result += ordered[done:first]
        result += _distinct(sorted(ordered[first : last + 2], key=_report_order))
        done = last + 2
    result += ordered[done:]
    return result


def _runs(ties: list[int]) -> Iterator[tuple[int, int]]:
    """The runs of consecutive numbers in ``ties`` (sorted), each as its first and last."""
    first = last = ties[0]
    for place in ties[1:]:
        if place != last + 1:
            yield first, last
            first = place
        last = place
    yield first, last


def _distinct(findings: list[Finding]) -> list[Finding]:
    """``findings`` (in report order) with each run of equal ones (the same order) kept once."""
    result: list[Finding] = []
    previous: object = None
    for finding in findings:
        order = _report_order(finding)
        if order != previous:
            result.append(finding)
            previous = order
    return result


def _report_order(f: Finding) -> tuple[object, ...]:
    entity = ("", "") if f.entity is None else (f.entity.kind, f.entity.id)
    return (
        f.path,
        f.line,
        f.column,
        f.code,
        f.message,
        f.key,
        f.name,
        int(f.severity),
        entity,
        f.related,
    )


def counts(findings: list[Finding] | tuple[Finding, ...]) -> dict[Severity, int]:
    """How many findings there are of each severity, worst first."""
    result = {severity: 0 for severity in sorted(Severity, reverse=True)}
    for finding in findings:
        result[finding.severity] += 1
    return result
