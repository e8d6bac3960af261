"""The parts of the audit report only some runs make: ``audit --by team``'s scorecard per unit
(``Units``), ``audit --history``'s samples (``History``) and ``audit --compare``'s changes
(``Comparison``). Frozen, typed values like those of ``socialgov.audit.report``, on the same
base (``socialgov.audit.values``), kept apart so that a run making none of them does not import
them: ``@dataclass`` costs about 1 M instructions a class at every import, and these nine were
8 M of the 51 M an audit spent importing the report's classes."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from socialgov.audit.values import Ratio, Ref, Severity, Stage, Written, derived, label, set_member


@dataclass(frozen=True, slots=True)
class UnitScore(Written):
    """One indicator of a unit: its share of the unit's live Accounts and the verdict."""

    key: str
    label: str
    ratio: Ratio
    passed: bool


@dataclass(frozen=True, slots=True)
class Unit(Written):
    """A Team's scorecard, rolled up: its own live Accounts and those of every team below it."""

    id: str | None
    """The Team's id; None for the live Accounts with no team (or one that is not a Team)."""
    name: str
    parent: str | None
    depth: int
    """1 for a top unit, 2 for a unit of a top unit, and so on."""
    path: tuple[str, ...]
    """The ids of the units above it, the top unit first."""
    lead: Ref | None
    own_accounts: int
    """Live Accounts whose team is this one."""
    live_accounts: int
    """Live Accounts of this team and every team below it."""
    stage: Stage
    score: int
    indicators: tuple[UnitScore, ...]
    blocked: int
    """Of ``live_accounts``, how many an SG2 or SG4 error finding is about."""
    errors: int
    warnings: int
    infos: int
    """Reported findings on the unit's channels (live or not), rolled up."""
    label: str = derived()

    def __post_init__(self) -> None:
        set_member(self, "label", self.name if self.id is None else label(self.name, self.id))


@dataclass(frozen=True, slots=True)
class Units(Written):
    """``audit --by team``: every unit down to ``depth`` (None: all), worst first."""

    depth: int | None
    units: tuple[Unit, ...]
    teams: int
    """How many Teams the repository has (units deeper than ``depth`` are rolled up)."""


@dataclass(frozen=True, slots=True)
class IndicatorChange(Written):
    """One indicator then and now."""

    key: str
    label: str
    before: Ratio | None
    """None when there was nothing to compare with (the repository did not exist)."""
    after: Ratio
    points: float | None
    """The change in percentage points, exact to one decimal; None when either side has no
    live account."""

    @classmethod
    def between(cls, key: str, label: str, before: Ratio | None, after: Ratio) -> IndicatorChange:
        old = before.fraction if before is not None else None
        new = after.fraction
        moved = None
        if old is not None and new is not None:
            moved = math.floor(abs(new - old) * 1000 + Fraction(1, 2)) / 10
            moved = -moved if new < old else moved
        return cls(key, label, before, after, moved)

    direction: str = derived()
    """up, down, same, or new."""

    def __post_init__(self) -> None:
        points = self.points
        moved = (
            "new" if points is None else "up" if points > 0 else "down" if points < 0 else "same"
        )
        set_member(self, "direction", moved)


@dataclass(frozen=True, slots=True)
class Sample(Written):
    """The audit at one commit of the history, judged as of that commit's date."""

    commit: str
    short: str
    date: dt.date
    subject: str
    stage: Stage
    score: int
    progress: int
    indicators: tuple[UnitScore, ...]
    error_free: Ratio
    live_accounts: int
    accounts: int
    live_channels: int
    errors: int
    warnings: int
    infos: int


@dataclass(frozen=True, slots=True)
class HistoryChange(Written):
    """From the first sample to the last."""

    since: dt.date
    until: dt.date
    stage_before: Stage
    stage_after: Stage
    score: int
    indicators: tuple[IndicatorChange, ...]
    live_accounts: int
    errors: int
    warnings: int


@dataclass(frozen=True, slots=True)
class History(Written):
    """``audit --history``: the samples, oldest first."""

    since: str | None
    every: str
    samples: tuple[Sample, ...]
    change: HistoryChange | None
    """None with fewer than two samples."""
    skipped: tuple[str, ...] = ()
    """Sampled commits that could not be audited, each with why."""


@dataclass(frozen=True, slots=True)
class FindingChange(Written):
    """A finding that appeared or went away between two revisions (``audit --compare``)."""

    code: str
    name: str
    severity: Severity
    message: str
    entity: Ref | None
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Comparison(Written):
    """``audit --compare REV``: what changed since REV, both sides judged as of ``as_of``."""

    rev: str
    commit: str
    date: dt.date | None
    as_of: dt.date
    existed: bool
    """False when the policy repository did not exist at REV (everything is added)."""
    stage_before: Stage | None
    stage_after: Stage
    score_before: int | None
    score_after: int
    indicators: tuple[IndicatorChange, ...]
    errors_before: int
    errors_after: int
    warnings_before: int
    warnings_after: int
    findings_added: tuple[FindingChange, ...]
    findings_resolved: tuple[FindingChange, ...]
    entities_added: tuple[Ref, ...]
    entities_removed: tuple[Ref, ...]
