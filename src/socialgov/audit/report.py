"""The audit report: one frozen, typed value that the metrics build and the renderers read.

Everything a renderer shows is here, already computed and already worded: renderers format, they
never count, compare or decide. ``socialgov.audit.renderers.json`` turns this object into the
versioned JSON that docs/audit.md documents, so the field names below are part of that contract.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from socialgov.audit.values import (
    Activity,
    BackupStatus,
    CellState,
    OwnerStatus,
    Ratio,
    Ref,
    Severity,
    Stage,
    Written,
    derived,
    label,
    set_member,
)

if TYPE_CHECKING:
    from socialgov.audit.extras import History, Units

T = TypeVar("T")


@cache
def maker(cls: type[T]) -> Callable[..., T]:
    """A function making a ``cls`` from its fields' values in order, as ``cls(...)`` does,
    several times as fast, for the rows the metrics make by the thousand (made once per class
    and process).

    A frozen dataclass's ``__init__`` sets each slot with ``object.__setattr__``; the function
    made here fills an object of a twin class instead (the same slots, not frozen: each value
    stored as any attribute is, without a call), then makes it a ``cls`` (``__class__``, which
    Python allows between classes of the same layout) and works out the derived members
    (``__post_init__``). A class without slots of its own, or with a base class other than
    ``object`` or :class:`Written`, is filled slot by slot through its descriptors' ``__set__``."""
    space: dict[str, Any] = {"new": object.__new__, "cls": cls}
    parameters, names = [], []
    for spec in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not spec.init:
            continue
        names.append(spec.name)
        if spec.default is not dataclasses.MISSING:
            space[f"default_{len(names)}"] = spec.default
            parameters.append(f"{spec.name}=default_{len(names)}")
        else:
            parameters.append(spec.name)
    if _twinned(cls):
        space["twin"] = twin(cls)
        body = ["    made = new(twin)", *(f"    made.{name} = {name}" for name in names)]
        body.append("    made.__class__ = cls")
    else:
        body = ["    made = new(cls)"]
        for i, name in enumerate(names):
            space[f"set_{i}"] = getattr(cls, name).__set__
            body.append(f"    set_{i}(made, {name})")
    lines = [f"def make({', '.join(parameters)}):", *body]
    if hasattr(cls, "__post_init__"):
        space["post_init"] = cls.__post_init__  # type: ignore[attr-defined]
        lines.append("    post_init(made)")
    lines.append("    return made")
    exec("\n".join(lines), space)
    made: Callable[..., T] = space["make"]
    return made


def _twinned(cls: type) -> bool:
    return cls.__dict__.get("__slots__") is not None and cls.__bases__ in _TWIN_BASES


@cache
def twin(cls: type[T]) -> type:
    """The class :func:`maker` fills for ``cls`` (a frozen dataclass with slots of its own and
    no base class but ``object`` or :class:`Written`): the same slots and base, not frozen.
    An object of it, each slot set (derived members too), made a ``cls`` by setting its
    ``__class__``, is the ``cls`` made from those values: what a loop making many of them
    does inline, without a call each (``metrics._channel_rows``)."""
    if not _twinned(cls):
        raise TypeError(f"{cls.__name__} has no slots of its own, or a base class")
    slots = cls.__dict__["__slots__"]
    return type(f"_{cls.__name__}Twin", cls.__bases__, {"__slots__": slots})


_TWIN_BASES = ((object,), (Written,))
"""The bases a class :func:`twin` stands in for may have: none of them adds a slot."""


THRESHOLD = Fraction(80, 100)
"""The coverage a maturity indicator needs for the coordinated stage (SPEC section 8)."""


def make_ref(kind: str, id_: str, name: str | None = None) -> Ref:
    """``Ref(kind, id_, name)``, made with one call (``Ref(...)``, or :func:`maker`'s function,
    call ``__post_init__`` too): for the sections that name every live channel."""
    made: Any = _new(_RefTwin)
    made.kind = kind
    made.id = id_
    made.name = name
    made.label = label(name, id_)
    made.__class__ = Ref
    ref: Ref = made
    return ref


_new = object.__new__
_RefTwin = twin(Ref)


@dataclass(frozen=True, slots=True)
class Tally(Written):
    """A count under one key (a status, a tool, a custodian)."""

    key: str
    count: int


@dataclass(frozen=True, slots=True)
class Split(Written):
    """A count of social Accounts and traditional Channels under one key."""

    key: str
    social: int
    traditional: int
    total: int = derived()

    def __post_init__(self) -> None:
        set_member(self, "total", self.social + self.traditional)


@dataclass(frozen=True, slots=True)
class PlatformCount(Written):
    """The social Accounts on one platform, with their counts by status."""

    platform: str
    total: int
    by_status: tuple[Tally, ...]


@dataclass(frozen=True, slots=True)
class Inventory(Written):
    """What the repository holds: its entities counted, and the channels by platform, status, team,
    purpose and type."""

    accounts: int
    live_accounts: int
    channels: int
    live_channels: int
    people: int
    active_people: int
    teams: int
    policies: int
    playbooks: int
    objectives: int
    rules: int
    by_platform: tuple[PlatformCount, ...]
    by_status: tuple[Split, ...]
    by_team: tuple[Split, ...]
    by_purpose: tuple[Split, ...]
    by_channel_type: tuple[Tally, ...]


@dataclass(frozen=True, slots=True)
class ChannelRow(Written):
    """One social Account or traditional Channel, with everything the audit computed for it."""

    kind: str
    id: str
    name: str | None
    social: bool
    platform: str | None
    type: str | None
    handle: str | None
    address: str | None
    team: str | None
    purpose: str | None
    status: str
    live: bool
    owner: str | None
    owner_status: OwnerStatus
    backup_owner: str | None
    backup_status: BackupStatus
    last_activity: dt.date | None
    days_inactive: int | None
    activity: Activity
    policies: tuple[str, ...]
    required_policies: tuple[str, ...]
    missing_policies: tuple[str, ...]
    playbooks: tuple[str, ...]
    crisis_path: bool | None
    objectives: tuple[str, ...]
    monitoring: tuple[str, ...]
    mfa: bool | None
    custodian: str | None
    errors: int
    warnings: int
    infos: int
    suppressed: int
    path: str
    line: int
    findings: int = derived()
    """errors, warnings and infos."""

    def __post_init__(self) -> None:
        set_member(self, "findings", self.errors + self.warnings + self.infos)


@dataclass(frozen=True, slots=True)
class OwnerIssue(Written):
    """A live channel whose owner or backup falls short, and why (``detail``)."""

    channel: Ref
    person: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class Ownership(Written):
    """Over live channels, social and traditional."""

    live: int
    owned: Ratio
    live_backup: Ratio
    accountable: Ratio
    accountable_employment: tuple[str, ...]
    unowned: tuple[OwnerIssue, ...]
    departed: tuple[OwnerIssue, ...]
    no_live_backup: tuple[OwnerIssue, ...]
    unaccountable: tuple[OwnerIssue, ...]


@dataclass(frozen=True, slots=True)
class DormantAccount(Written):
    """A live Account with no activity within the dormant window, or none recorded."""

    id: str
    platform: str | None
    handle: str | None
    owner: str | None
    last_activity: dt.date | None
    days_inactive: int | None


@dataclass(frozen=True, slots=True)
class ActivitySection(Written):
    """The live Accounts' activity: the dormant ones, longest silent first, and the ones never
    dated."""

    dormant_days: int
    live_accounts: int
    dormant: tuple[DormantAccount, ...]
    unknown: tuple[DormantAccount, ...]


@dataclass(frozen=True, slots=True)
class ForumMember(Written):
    """An Account of a fragmented group, with its monthly active members."""

    id: str
    platform: str | None
    active_members_per_month: int | None
    owner: str | None


@dataclass(frozen=True, slots=True)
class FragmentGroup(Written):
    """Forum Accounts of one audience and topic (SG301): the members, the least active, and any
    waiver."""

    audience: str | None
    topic: str | None
    members: tuple[ForumMember, ...]
    least_active: str
    waived: str | None
    """The reason of the waiver that suppresses the SG301 finding, when one does."""


@dataclass(frozen=True, slots=True)
class Fragmentation(Written):
    """SG301's groups of forums split across platforms, when the rule runs."""

    checked: bool
    """False when the configuration does not run SG301, the rule that finds the groups."""
    min_active_members: int
    groups: tuple[FragmentGroup, ...]


@dataclass(frozen=True, slots=True)
class PolicyColumn(Written):
    """A policy of the adoption matrix, with how many live channels require, adopt, miss and pin an
    older version of it."""

    id: str
    title: str | None
    version: int
    owner: str | None
    review_by: dt.date | None
    required: int
    adopted: int
    missing: int
    outdated: int


@dataclass(frozen=True, slots=True)
class AdoptionCell(Written):
    """A live channel's standing on one policy, and the version it pins, if any."""

    state: CellState
    pinned: int | None = None


@dataclass(frozen=True, slots=True)
class AdoptionRow(Written):
    """A live channel's row of the adoption matrix."""

    channel: Ref
    social: bool
    cells: tuple[AdoptionCell, ...]
    """One cell per policy, in the order of ``PolicyAdoption.policies``."""


@dataclass(frozen=True, slots=True)
class PolicyAdoption(Written):
    """Live channels (rows) by policies (columns)."""

    policies: tuple[PolicyColumn, ...]
    rows: tuple[AdoptionRow, ...]
    ungoverned: tuple[str, ...]
    """Live Accounts adopting no policy at all."""
    missing: int


@dataclass(frozen=True, slots=True)
class Canonical(Written):
    """The value a policy states for a term."""

    policy: str
    value: str


@dataclass(frozen=True, slots=True)
class TermValue(Written):
    """One value of a term and the channels that state it, social and traditional apart."""

    value: str
    social: tuple[str, ...]
    traditional: tuple[str, ...]
    differs: bool


@dataclass(frozen=True, slots=True)
class TermCell(Written):
    """A live channel's value for a term, and whether it differs from the canonical one."""

    value: str | None
    differs: bool = False


@dataclass(frozen=True, slots=True)
class TermRow(Written):
    """One term across the live channels that state it: the canonical values, each value stated and
    by whom."""

    term: str
    canonical: tuple[Canonical, ...]
    governed_by: tuple[str, ...]
    """Policies that fix a value for the term or list it in consistent_terms."""
    values: tuple[TermValue, ...]
    cells: tuple[TermCell, ...]
    """One cell per channel, in the order of ``TermMatrix.channels``."""
    consistent: bool


@dataclass(frozen=True, slots=True)
class TermMatrix(Written):
    """Terms (rows) by live channels that state terms (columns): social first, then traditional."""

    channels: tuple[Ref, ...]
    social: int
    """How many of ``channels`` (the first ones) are social Accounts."""
    terms: tuple[TermRow, ...]
    inconsistent: int = derived()

    def __post_init__(self) -> None:
        set_member(self, "inconsistent", sum(1 for row in self.terms if not row.consistent))


@dataclass(frozen=True, slots=True)
class PlaybookSummary(Written):
    """A playbook's handoffs, scenarios, end and follow-up, and how many live channels it covers."""

    id: str
    title: str | None
    scenarios: tuple[str, ...]
    handoffs: int
    complete_handoffs: int
    crisis_to_pr: bool
    has_end: bool
    loop_closed: bool
    live_channels: int
    live_accounts: int


@dataclass(frozen=True, slots=True)
class PlaybookCoverage(Written):
    """Live channels and Accounts covered by a playbook, with a crisis path, and the gaps."""

    playbooks: tuple[PlaybookSummary, ...]
    covered: Ratio
    """Live Accounts covered by at least one playbook."""
    crisis_path: Ratio
    """Live Accounts covered by a crisis handoff to a PR team."""
    uncovered: tuple[str, ...]
    no_crisis_path: tuple[str, ...]
    required_uncovered: tuple[Ref, ...]
    """Live service, sales and PR channels, social or traditional, that no playbook covers."""


@dataclass(frozen=True, slots=True)
class KpiView(Written):
    """An objective's KPI as the report shows it."""

    name: str | None
    target: str | None
    complete: bool


@dataclass(frozen=True, slots=True)
class ObjectiveSummary(Written):
    """An objective, its strategy goal, its KPIs and the live Accounts serving it."""

    id: str
    statement: str | None
    strategy: str | None
    strategy_known: bool
    owner: str | None
    kpis: tuple[KpiView, ...]
    live_accounts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StrategyGoal(Written):
    """A strategy goal from socialgov.yaml and the objectives that serve it."""

    id: str
    statement: str
    objectives: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Objectives(Written):
    """The objectives and strategy, and the live Accounts serving an objective and monitored."""

    objectives: tuple[ObjectiveSummary, ...]
    strategy: tuple[StrategyGoal, ...]
    serving: Ratio
    """Live Accounts serving at least one known objective."""
    monitored: Ratio
    """Live Accounts with at least one monitoring tool."""
    without_objective: tuple[str, ...]
    unmonitored: tuple[str, ...]
    monitoring_tools: tuple[Tally, ...]


@dataclass(frozen=True, slots=True)
class SecurityGap(Written):
    """A live Account without MFA or a credential custodian."""

    id: str
    platform: str | None
    owner: str | None
    mfa: bool | None
    custodian: str | None


@dataclass(frozen=True, slots=True)
class Security(Written):
    """The live Accounts' MFA and credential custodians, and the gaps."""

    mfa: Ratio
    custodian: Ratio
    gaps: tuple[SecurityGap, ...]
    custodians: tuple[Tally, ...]


@dataclass(frozen=True, slots=True)
class ReviewItem(Written):
    """A live channel's review: when it was last done (or, never reviewed, registered or
    created), and when the next is due."""

    channel: Ref
    name: str | None
    owner: str | None
    basis: str
    """reviewed_on, registered_on or created: the date the review is counted from."""
    last: dt.date
    due: dt.date
    days_left: int
    """Days from as-of to the due date; negative when overdue."""
    state: str
    """overdue, due soon (within the next 90 days) or ok."""


@dataclass(frozen=True, slots=True)
class LeaverAccess(Written):
    """A departed person still listed in a live channel's or a Tool's access (SG208)."""

    holder: Ref
    person: str
    name: str | None
    departed_on: dt.date | None
    role: str | None
    via: str | None


@dataclass(frozen=True, slots=True)
class RetiredRecord(Written):
    """A retired Account and what its retirement records."""

    account: Ref
    retired_on: dt.date | None
    archive: str | None
    """Where its records are kept (the archive's location, else its tool), None without one."""
    missing: tuple[str, ...]
    """retired_on, and archive when require_archive is on: what SG212 asks for."""


@dataclass(frozen=True, slots=True)
class ToolRow(Written):
    """A tool the live Accounts name (managed via, monitoring, access, archive), its controls, and
    how many people and Accounts use it."""

    id: str
    name: str | None
    category: str | None
    owner: str | None
    mfa: bool | None
    sso: bool | None
    audit_log: bool | None
    people: int
    """How many people the access list names."""
    accounts: int
    """How many live Accounts name it (managed_via, monitoring, access via, archive)."""
    missing: tuple[str, ...]
    """The controls it lacks: owner, mfa, audit_log (mfa and audit_log judged on every tool
    here; SG703 reports them for publishing and archiving tools)."""


@dataclass(frozen=True, slots=True)
class Lifecycle(Written):
    """SPEC section 10: reviews, leavers' access, retired accounts' records and the tools."""

    review_interval_days: int
    due_window_days: int
    reviewed: Ratio
    """Live channels whose last review is within review_interval_days, of the live channels."""
    reviews: tuple[ReviewItem, ...]
    """Every live channel with a review date, overdue first, then by due date."""
    never_dated: tuple[Ref, ...]
    """Live channels with no review, registration or creation date."""
    leavers: tuple[LeaverAccess, ...]
    retired: tuple[RetiredRecord, ...]
    """Every retired Account; those missing a record have ``missing``."""
    tools: tuple[ToolRow, ...]

    @property
    def overdue(self) -> tuple[ReviewItem, ...]:
        return tuple(r for r in self.reviews if r.state == "overdue")

    @property
    def due_soon(self) -> tuple[ReviewItem, ...]:
        return tuple(r for r in self.reviews if r.state == "due soon")

    @property
    def unrecorded_retirements(self) -> tuple[RetiredRecord, ...]:
        return tuple(r for r in self.retired if r.missing)

    @property
    def tools_without_controls(self) -> tuple[ToolRow, ...]:
        return tuple(t for t in self.tools if t.missing)


@dataclass(frozen=True, slots=True)
class SightingRow(Written):
    """A presence seen on the web or in a feed (a Sighting) that needs a person."""

    id: str
    platform: str | None
    handle: str | None
    url: str | None
    seen_at: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Sightings(Written):
    """Presences that claim to be the organisation (SPEC section 11): how many, what people
    decided about them, and which still need someone."""

    total: int
    by_disposition: tuple[Tally, ...]
    unreviewed: tuple[SightingRow, ...]
    """Unreviewed sightings that match no Account (SG310)."""
    impostors_open: tuple[SightingRow, ...]
    """Impostors not yet reported to their platform (SG311)."""


@dataclass(frozen=True, slots=True)
class RuleCount(Written):
    """One rule's reported and suppressed findings."""

    code: str
    name: str
    family: str
    severity: Severity
    count: int
    suppressed: int


@dataclass(frozen=True, slots=True)
class FamilyCount(Written):
    """A rule family's findings by severity."""

    family: str
    errors: int
    warnings: int
    infos: int
    total: int = derived()

    def __post_init__(self) -> None:
        set_member(self, "total", self.errors + self.warnings + self.infos)


@dataclass(frozen=True, slots=True)
class FindingsSummary(Written):
    """The lint's findings by severity, rule and family."""

    total: int
    errors: int
    warnings: int
    infos: int
    suppressed: int
    by_rule: tuple[RuleCount, ...]
    by_family: tuple[FamilyCount, ...]


@dataclass(frozen=True, slots=True)
class Indicator(Written):
    """One maturity indicator: its coverage, whether it meets the threshold, and its gaps."""

    key: str
    label: str
    ratio: Ratio
    passed: bool
    gaps: tuple[str, ...]
    """The live Accounts that miss this indicator."""


@dataclass(frozen=True, slots=True)
class Maturity(Written):
    """The maturity stage, the indicators that decide it, and what stands before the next stage."""

    stage: Stage
    threshold: Fraction
    indicators: tuple[Indicator, ...]
    blocking: tuple[RuleCount, ...]
    """Rules of the SG2 and SG4 families with error findings: each keeps the stage at scattered."""
    reasons: tuple[str, ...]
    """Plain sentences: why this stage and not the next."""
    error_free: Ratio = Ratio(0, 0)  # noqa: RUF009 (frozen: one shared value is safe)
    """Live Accounts that no SG2 or SG4 error finding is about (as its entity or related)."""
    score: int = 0
    """0-100: the mean of the five indicators' shares and ``error_free``, rounded down."""
    next_stage: Stage | None = None
    progress: int = 0
    """0-100: how far the organisation is from its stage to ``next_stage`` (see maturity.py)."""
    steps: tuple[str, ...] = ()
    """What remains to reach ``next_stage``, one plain sentence each, largest first."""


@dataclass(frozen=True, slots=True)
class Actor(Written):
    """Someone who must act, and on what: the people whose entities carry the most findings."""

    person: str | None
    name: str
    role: str
    errors: int
    warnings: int
    infos: int
    entities: tuple[Ref, ...]
    total: int = derived()

    def __post_init__(self) -> None:
        set_member(self, "total", self.errors + self.warnings + self.infos)


@dataclass(frozen=True, slots=True)
class Gap(Written):
    """One of the worst gaps, worded for a reader at a glance, ranked by ``risk``."""

    severity: Severity
    text: str
    risk: int = 0
    """0-100: how much harm the gap can do (a leaver's login outranks a differing term)."""
    level: str = "low"
    """high, medium or low: ``risk`` in a word."""
    code: str | None = None
    """The rule whose findings make the gap; None for an indicator below the bar."""
    count: int = 0
    entities: tuple[Ref, ...] = ()
    """The first entities the gap is about (the JSON and the lint list every one)."""


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The whole audit: every section the renderers show, computed once."""

    organisation: str
    root: str
    as_of: dt.date
    tool_version: str
    options: tuple[tuple[str, object], ...]
    maturity: Maturity
    worst_gaps: tuple[Gap, ...]
    act_first: tuple[Actor, ...]
    inventory: Inventory
    ownership: Ownership
    activity: ActivitySection
    fragmentation: Fragmentation
    adoption: PolicyAdoption
    terms: TermMatrix
    playbooks: PlaybookCoverage
    objectives: Objectives
    security: Security
    lifecycle: Lifecycle
    sightings: Sightings
    findings: FindingsSummary
    actors: tuple[Actor, ...]
    channels: tuple[ChannelRow, ...]
    units: Units | None = None
    """With ``--by team``: the scorecard of each unit."""
    history: History | None = None
    """With ``--history``: the samples of the git history."""
