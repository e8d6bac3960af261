"""The audit report's classes as they are defined: frozen, slotted dataclasses.

Not imported by a run. ``python -m socialgov.audit.definitions`` writes each of them out as a
plain class statement below the marker in ``socialgov/audit/report.py`` (:func:`written_code`):
the same slots, fields, ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, frozen
``__setattr__`` and ``__delattr__``, ``__match_args__`` and pickling that ``@dataclass`` makes,
and the class's own docstring and methods, copied. ``@dataclass`` works each class out in
Python at every import (its fields, its methods' texts, the class made twice for its slots):
about 43 M instructions for these 44 classes at every audit; the written-out classes are made
by their class statements, compiled into ``report.py``'s ``.pyc``.

Edit the classes here, then run ``python -m socialgov.audit.definitions``;
``tests/test_audit_report.py`` fails while ``report.py`` is not what this writes, and holds each
written-out class to the dataclass defined here."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

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
    set_member,
)

if TYPE_CHECKING:
    from socialgov.audit.extras import History, Units


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


# The writing out -------------------------------------------------------------------------------

TARGET = "report_classes.py"
"""The module the classes are written to, beside this one (``report.py`` names them)."""

_HEAD = '''"""The audit report's classes written out, generated by `python -m
socialgov.audit.definitions` from socialgov/audit/definitions.py: do not edit
(socialgov.audit.report names them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING, Any

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
    set_member,
)

if TYPE_CHECKING:
    from socialgov.audit.extras import History, Units

# what @dataclass(frozen=True, slots=True) gives every class, taken from one it made
_PARAMS = Ratio.__dataclass_params__
_FIELD = dataclasses.fields(Ratio)[0]._field_type
_getstate = Ratio.__getstate__
_setstate = Ratio.__setstate__
_set = object.__setattr__
_Frozen = dataclasses.FrozenInstanceError
# what @dataclass adds on some Pythons only: ``__replace__`` (3.13: copy.replace), and on 3.10
# the ``__weakref__`` of the class it made before the one with slots (it applies to no value)
_replace = vars(Ratio).get("__replace__")
_weakref = vars(Ratio).get("__weakref__")


def _fields(*specs: tuple[str, str, Any, bool]) -> dict[str, dataclasses.Field[Any]]:
    """Each field as @dataclass records it: its name, its annotation's text, its default and
    whether it is an argument (a derived member is not, nor shown, nor compared)."""
    made = {}
    for name, kind, default, init in specs:
        spec: Any = dataclasses.field(
            default=default, init=init, repr=init, compare=init, kw_only=False
        )
        spec.name, spec.type, spec._field_type = name, kind, _FIELD
        made[name] = spec
    return made
'''


def written_code() -> str:
    """The source of :data:`TARGET`: each dataclass defined here as a plain class statement."""
    source = Path(__file__).read_text(encoding="utf-8")
    lines = source.splitlines()
    parts = [_HEAD]
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and node.decorator_list:
            parts.append(_written(globals()[node.name], node, lines))
    return "\n\n".join(parts)


def _written(cls: type, node: ast.ClassDef, lines: list[str]) -> str:
    """``cls`` (made by ``@dataclass(frozen=True, slots=True)`` from ``node``) written out."""
    name = cls.__name__
    if ast.unparse(node.decorator_list[0]) != "dataclass(frozen=True, slots=True)":
        raise ValueError(f"{name}: only @dataclass(frozen=True, slots=True) is written out")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    for spec in fields:
        shown = spec.init
        if (spec.repr, spec.compare, spec.hash, spec.kw_only) != (shown, shown, None, False) or (
            spec.default_factory is not dataclasses.MISSING or spec.metadata
        ):
            raise ValueError(f"{name}.{spec.name}: a field _fields cannot write")
        if not shown and spec.default is not dataclasses.MISSING:
            raise ValueError(f"{name}.{spec.name}: a derived member with a default")
    defaults = {
        statement.target.id: ast.unparse(statement.value)  # type: ignore[union-attr]
        for statement in node.body
        if isinstance(statement, ast.AnnAssign)
        and statement.value is not None
        and cls.__dataclass_fields__[statement.target.id].init  # type: ignore[attr-defined,union-attr]
    }
    bases = ", ".join(ast.unparse(base) for base in node.bases)
    out = [f"class {name}({bases}):" if bases else f"class {name}:"]
    for statement in node.body:  # the docstring, the fields' annotations, the own methods
        if isinstance(statement, ast.AnnAssign):
            out.append(f"    {ast.unparse(statement.target)}: {ast.unparse(statement.annotation)}")
        elif isinstance(statement, ast.Expr) and statement is not node.body[0]:
            continue  # a field's docstring (definitions.py has it)
        else:
            decorators = getattr(statement, "decorator_list", ())
            first = min([statement.lineno, *(decorator.lineno for decorator in decorators)])
            if not isinstance(statement, ast.Expr):
                out.append("")
            out.extend(lines[first - 1 : statement.end_lineno])
    names = [spec.name for spec in fields]
    given = [spec.name for spec in fields if spec.init]
    compared = "".join(f"self.{n}," for n in given)
    out.append("")
    out.append(f"    __slots__ = {tuple(names)!r}")
    out.append(f"    __match_args__ = {tuple(given)!r}")
    out.append("    __dataclass_params__ = _PARAMS")
    out.append("    __dataclass_fields__ = _fields(")
    for spec in fields:
        default = defaults.get(spec.name, "dataclasses.MISSING")
        out.append(f"        ({spec.name!r}, {spec.type!r}, {default}, {spec.init}),")
    out.append("    )")
    arguments = "".join(
        f", {n}: {cls.__dataclass_fields__[n].type}"  # type: ignore[attr-defined]
        + (f" = __dataclass_fields__[{n!r}].default" if n in defaults else "")
        for n in given
    )
    out.append("")
    out.append(f"    def __init__(self{arguments}) -> None:")
    out.extend(f"        _set(self, {n!r}, {n})" for n in given)
    if hasattr(cls, "__post_init__"):
        out.append("        self.__post_init__()")
    if not given and not hasattr(cls, "__post_init__"):
        out.append("        pass")
    shown = ", ".join(f"{n}={{self.{n}!r}}" for n in given)
    out.append("")
    out.append("    def __repr__(self) -> str:")
    out.append(f'        return self.__class__.__qualname__ + f"({shown})"')
    out.append("")
    out.append("    def __eq__(self, other: object) -> bool:")
    out.append("        if other.__class__ is self.__class__:")
    others = compared.replace("self.", "other.")
    out.append(f"            return ({compared}) == ({others})  # type: ignore[attr-defined]")
    out.append("        return NotImplemented")
    out.append("")
    out.append("    def __hash__(self) -> int:")
    out.append(f"        return hash(({compared}))")
    out.append("")
    out.append("    def __setattr__(self, name: str, value: Any) -> None:")
    out.append(f"        if type(self) is {name} or name in {tuple(names)!r}:")
    out.append('            raise _Frozen(f"cannot assign to field {name!r}")')
    out.append(f"        super({name}, self).__setattr__(name, value)")
    out.append("")
    out.append("    def __delattr__(self, name: str) -> None:")
    out.append(f"        if type(self) is {name} or name in {tuple(names)!r}:")
    out.append('            raise _Frozen(f"cannot delete field {name!r}")')
    out.append(f"        super({name}, self).__delattr__(name)")
    out.append("")
    out.append("    __getstate__ = _getstate")
    out.append("    __setstate__ = _setstate")
    out.append("    if _replace is not None:")
    out.append("        __replace__ = _replace")
    out.append("    if _weakref is not None:")
    out.append("        __weakref__ = _weakref")
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # python -m socialgov.audit.definitions: write report_classes.py
    Path(__file__).with_name(TARGET).write_text(written_code(), encoding="utf-8")
