"""The audit's metrics: pure functions over the model and the lint findings.

``build_report`` is the entry point; every other function computes one section
(``live_sections`` the five that read the live channels' rows, in one pass over them) and can
be called on entities built in memory. The facts about one channel (owner status, activity,
coverage) are computed once, in ``channel_rows``, and every section reads them from there, so
two sections never disagree about one channel.

Where a rule already decides something the audit shows, the audit uses the same definition
(departed as of the date, live as not retired nor planned, dormant as more than ``dormant_days``
days) or the rule's own findings (SG301's fragmentation groups), never a variant of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from socialgov.audit import risk
from socialgov.audit.maturity import assess, blocked_accounts
from socialgov.audit.report import (
    Activity,
    ActivitySection,
    Actor,
    AdoptionCell,
    AdoptionRow,
    AuditReport,
    BackupStatus,
    Canonical,
    CellState,
    ChannelRow,
    DormantAccount,
    FamilyCount,
    FindingsSummary,
    ForumMember,
    Fragmentation,
    FragmentGroup,
    Gap,
    Inventory,
    KpiView,
    LeaverAccess,
    Lifecycle,
    Maturity,
    Objectives,
    ObjectiveSummary,
    OwnerIssue,
    Ownership,
    OwnerStatus,
    PlatformCount,
    PlaybookCoverage,
    PlaybookSummary,
    PolicyAdoption,
    PolicyColumn,
    Ratio,
    Ref,
    RetiredRecord,
    ReviewItem,
    RuleCount,
    Security,
    SecurityGap,
    SightingRow,
    Sightings,
    Split,
    StrategyGoal,
    Tally,
    TermCell,
    TermMatrix,
    TermRow,
    TermValue,
    ToolRow,
    label,
    make_ref,
    maker,
    twin,
)
from socialgov.config import DEFAULT_OPTIONS
from socialgov.core.findings import EntityRef, Finding, Severity
from socialgov.core.lifetime import return_freed_memory
from socialgov.domain.coverage import (
    has_crisis_path,
    selected_channels,
    with_listed,
)
from socialgov.domain.terms import term_key, term_key_of
from socialgov.model import (
    LIVE_EXCLUDED,
    Account,
    ChannelBase,
    Entity,
    Model,
    Person,
    Playbook,
    PolicyRef,
    Sighting,
    Team,
)
from socialgov.rules.base import RuleInfo
from socialgov.rules.engagement import ESCALATING_PURPOSES
from socialgov.source.loader import lines_in, release_files

if TYPE_CHECKING:
    from socialgov.lang.selectors import Selections

NONE_KEY = "(none)"
_SOURCE = attrgetter("source")
_DOCUMENT = attrgetter("source.document")
T = TypeVar("T")


@dataclass(frozen=True)
class AuditInput:
    """What the audit is computed from: the lint pipeline's model and findings, and the run."""

    model: Model
    findings: tuple[Finding, ...]
    """Reported findings (after selection, severity overrides and waivers)."""
    suppressed: tuple[Finding, ...] = ()
    rules: tuple[RuleInfo, ...] = ()
    """The rules the configuration runs."""
    as_of: dt.date = field(default_factory=dt.date.today)
    options: Mapping[str, Any] = field(default_factory=dict)
    organisation: str = ""
    root: str = ""
    tool_version: str = ""
    by: str | None = None
    """``team`` for a scorecard per unit (``audit --by team``)."""
    depth: int | None = None
    """With ``by``: the deepest level of units listed (1: top units only)."""
    positions: bool = True
    """Each channel's row with the line it is written on (0 without: only some formats show
    it, and finding it for every channel costs as much as a tenth of the lint)."""
    selections: Selections | None = field(default=None, compare=False, repr=False)
    """The lint's selections (``RuleContext.selections``): what its rules' selectors selected,
    so that the audit matches no selector again (None: matched here)."""
    lines: Sequence[int] | None = field(default=None, compare=False, repr=False)
    """With ``positions``: the line of each of the model's Accounts, then of each of its
    Channels, when the lint read them (``Evaluation.lines``; None: read here)."""

    def option(self, name: str) -> Any:
        """An option from socialgov.yaml, or its default."""
        return self.options.get(name, DEFAULT_OPTIONS[name])

    @property
    def dormant_days(self) -> int:
        return int(self.option("dormant_days"))

    @property
    def accountable_employment(self) -> tuple[str, ...]:
        return tuple(self.option("accountable_employment"))

    @property
    def forum_min_active_members(self) -> int:
        return int(self.option("forum_min_active_members"))


StepHook = Callable[[str], None]
"""Told the name of each stage of the report as it begins (for a progress bar)."""


def build_report(data: AuditInput, progress: StepHook | None = None) -> AuditReport:
    """Every section of the audit, from the model and the findings.

    What only some sections read (the findings' tally, the live channels with their Refs, the
    rows in the order they were made) is let go once they are made: the report is at its
    largest when its last section is made, and on the human-style 100,000-account tree that
    came above the lint's own peak (by about 2 MB) while they were still held. Who must act
    and the worst gaps (what reads the tally) are made before the live channels' Refs (what
    only the adoption matrix, the term matrix and lifecycle read), so that the tally is let go
    before the Refs are made: held together they were the report's peak."""
    step = progress or (lambda _name: None)
    step("channels")
    tally = tally_findings(data.findings)
    seen = Seen({}, [])  # what lifecycle reads of the Accounts, gathered as the rows are made
    channels, rows, made = _rows_in_order(data, data.positions, tally, seen)
    # the sections that read the live rows, and the maturity's live Accounts: one pass
    live_accounts, owners, active, covered, served, secured = live_sections(
        data.model, rows, data.accountable_employment, data.dormant_days
    )
    step("findings")
    findings = findings_summary(data.findings, data.suppressed, data.rules)
    step("maturity")
    blocked = blocked_accounts(data.findings)
    maturity = assess(live_accounts, data.findings, data.rules, blocked=blocked)
    del live_accounts
    actors = responsible(data, tally)
    gaps = worst_gaps(maturity, findings, model=data.model, tally=tally)
    del tally  # let go before the live channels' Refs are made: the two are never held together
    live = live_channels(data.model, rows, channels)  # each with its Ref, made once
    del channels
    step("sections")
    counted = inventory(data.model, made)  # counts: in the order the rows were made
    del made
    matrix = adoption(data.model, rows, live=live)
    terms = term_matrix(data.model, rows, live=live)
    dates = lifecycle(data, [channel for _, channel, _ in live], seen)
    del live, seen
    scorecards = None
    if data.by == "team":  # (imported only here: its classes cost ~1 M instructions each)
        from socialgov.audit.units import units

        scorecards = units(data.model, rows, data.findings, blocked, data.depth)
    return AuditReport(
        organisation=data.organisation,
        root=data.root,
        as_of=data.as_of,
        tool_version=data.tool_version,
        options=tuple(sorted((str(k), _plain(v)) for k, v in data.options.items())),
        maturity=maturity,
        worst_gaps=gaps,
        act_first=actors[:5],
        inventory=counted,
        ownership=owners,
        activity=active,
        fragmentation=fragmentation(data),
        adoption=matrix,
        terms=terms,
        playbooks=covered,
        objectives=served,
        security=secured,
        lifecycle=dates,
        sightings=sightings(data.model),
        findings=findings,
        actors=actors,
        channels=rows,
        units=scorecards,
    )


def release_positions(model: Model) -> None:
    """Let go of what the model's positions are worked out from (for each file the fast parser
    read, the columns copied out of rapidyaml's tree and what locating looked up: about 30
    bytes a node), so that the report is built in the memory the lint used. Positions asked
    for later are worked out again: nothing changes but the time."""
    release_files(map(_DOCUMENT, model.all()))
    return_freed_memory()


def measure(data: AuditInput) -> tuple[Maturity, Inventory, FindingsSummary]:
    """Only what a sample of the history shows: the maturity, the inventory's counts and the
    findings by severity (``audit --history`` audits many revisions; the other sections, and
    each channel's line, are not computed)."""
    rows = channel_rows(data, positions=False)
    live_accounts = tuple(r for r in rows if r.social and r.live)
    maturity = assess(
        live_accounts, data.findings, data.rules, blocked=blocked_accounts(data.findings)
    )
    return (
        maturity,
        inventory(data.model, rows),
        findings_summary(data.findings, data.suppressed, data.rules),
    )


# ----------------------------------------------------------------------------- per channel


def owner_status(
    channel: ChannelBase, model: Model, as_of: dt.date, accountable: Sequence[str]
) -> OwnerStatus:
    """missing (SG201), unknown (SG104), departed (SG202), not accountable (SG205), or ok."""
    if not channel.owner:
        return "missing"
    person = model.person(channel.owner)
    if person is None:
        return "unknown"
    if person.departed(as_of):
        return "departed"
    if person.employment is not None and person.employment not in accountable:
        return "not accountable"  # an unknown employment is SG101's business, as for SG205
    return "ok"


def backup_status(channel: ChannelBase, model: Model, as_of: dt.date) -> BackupStatus:
    """missing or departed (SG203), unknown (SG104), same as owner (SG204), or ok."""
    if not channel.backup_owner:
        return "missing"
    if channel.backup_owner == channel.owner:
        return "same as owner"
    person = model.person(channel.backup_owner)
    if person is None:
        return "unknown"
    if person.departed(as_of):
        return "departed"
    return "ok"


EntityKey = tuple[str, str]
"""An entity as findings name it: (kind, id)."""


@dataclass(frozen=True)
class FindingTally:
    """The reported findings gone through once, for every section that counts them: by the
    entity each is about, and by rule."""

    by_entity: dict[EntityKey | None, list[int]]
    """[errors, warnings, infos] about each entity (None: about no entity), in the order of
    the first finding about it."""
    by_code: dict[str, dict[EntityKey, None]]
    """Each rule's entities, in the order of its first finding about each."""


def tally_findings(findings: Iterable[Finding]) -> FindingTally:
    """:class:`FindingTally` of ``findings``, in their order."""
    by_entity: dict[EntityKey | None, list[int]] = {}
    by_code: dict[str, dict[EntityKey, None]] = {}
    error = int(Severity.ERROR)  # (an enum's member looked up once: each look-up is a call)
    for finding in findings:
        entity = finding.entity
        key = None if entity is None else (entity.kind, entity.id)
        counts = by_entity.get(key)
        if counts is None:
            counts = by_entity[key] = [0, 0, 0]
        counts[error - finding.severity] += 1  # errors first, as [errors, ...]
        if key is not None:
            about = by_code.get(finding.code)
            if about is None:
                about = by_code[finding.code] = {}
            about[key] = None  # a key seen before keeps its place
    return FindingTally(by_entity, by_code)


def channel_rows(data: AuditInput, positions: bool = True) -> tuple[ChannelRow, ...]:
    """One row per Account and Channel, live or not: social first, each kind by id
    (``positions``: each with the line it is written on; 0 without)."""
    return _rows_in_order(data, positions)[1]


def _rows_in_order(
    data: AuditInput, positions: bool, tally: FindingTally | None = None, seen: Seen | None = None
) -> tuple[list[ChannelBase], tuple[ChannelRow, ...], list[ChannelRow]]:
    """Every Account and Channel in the order of the rows (social first, each kind by id),
    their rows (``positions``: each with its line, after which the model's positions are
    released: see :func:`release_positions`), and the rows in the order they were made (what
    only counts them reads them so: in the order of their memory).

    The rows are worked out in the order the channels were written (the model's), then put in
    the rows' order: each channel's values, and its file's positions, were made in that order,
    so that reading them so reads memory in the order it was filled (at 100,000 channels the
    rows and lines of the human-style tree, whose ids are not in file order, took a third
    longer read in the order of the ids)."""
    model = data.model
    accounts = list(model.accounts)
    written = [*accounts, *model.channels]
    lines = data.lines if positions else None
    if positions and lines is None:
        lines = lines_in(map(_SOURCE, written))
        release_positions(model)  # ``lines`` hold every position the report shows
    rows = _channel_rows(data, written, lines, tally, seen)
    del lines
    # the rows' order, worked out once the positions are let go (nothing made before then
    # comes on top of the memory the lint's positions hold)
    ids = [channel.id for channel in written]
    social = len(accounts)
    order = [
        *sorted(range(social), key=ids.__getitem__),  # stable: as sorting the channels by id
        *sorted(range(social, len(written)), key=ids.__getitem__),
    ]
    if len(order) < 2:  # (an itemgetter of one index gives the item itself, of none fails)
        return [written[i] for i in order], tuple([rows[i] for i in order]), rows
    pick = itemgetter(*order)  # each list read in that order in C: 29 -> 18-21 ms at 100,000
    return list(pick(written)), pick(rows), rows


class Seen(NamedTuple):
    """What the audit's other sections read of the Accounts, gathered by the pass that makes
    the rows, which reads each Account anyway (a pass of their own read each of 100,000 again,
    from memory the caches no longer held): for lifecycle."""

    tools: dict[ToolKey, int]
    """How many live Accounts name each set of tools (:func:`_tool_key`)."""
    retired: list[Account]
    """The retired Accounts, in the order of the rows made."""


def _channel_rows(
    data: AuditInput,
    channels: Sequence[ChannelBase],
    lines: Sequence[int] | None,
    tally: FindingTally | None = None,
    seen: Seen | None = None,
) -> list[ChannelRow]:
    """The row of each of ``channels`` (``lines``: the line each is written on; 0 without;
    ``tally``: the findings' tally, when at hand; ``seen``: where to gather what other
    sections read of the Accounts, when asked).

    One pass over the channels; what many channels share (a person's status, a playbook's
    crisis path, a list of monitoring tools) is worked out, or kept, once."""
    model, as_of = data.model, data.as_of
    dormant_days = data.dormant_days
    accountable = data.accountable_employment
    reported = (tally or tally_findings(data.findings)).by_entity
    suppressed: Counter[tuple[str, str]] = Counter(
        (f.entity.kind, f.entity.id) for f in data.suppressed if f.entity is not None
    )
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # equal lists of ids are kept once
    missed: dict[tuple[int, int], tuple[str, ...]] = {}  # by the ids of needed and adopted
    share = shared.setdefault
    several: dict[tuple[str, ...], tuple[str, ...]] = {}  # the ids a channel adopts, by as listed
    # What policies require and playbooks cover, by channel (``id``): each selector matched
    # once (by the lint's rules already, given its selections), each channel's list made once.
    match = _matcher(channels, data)
    required = _selected_ids(
        [(p.id, p.applies_to) for p in sorted(model.policies, key=_by_id)], match
    )
    playbooks_of = _selected_ids([(p, p.applies_to) for p in model.playbooks], match)
    named: dict[str, Playbook | None] = {}  # each playbook a channel lists, looked up once
    covering: dict[tuple[int, tuple[str, ...]], tuple[tuple[str, ...], bool]] = {}
    crisis = {p.id: has_crisis_path(p, model) for p in model.playbooks}
    known_objectives = model.entities.get("Objective", {})
    serving: dict[tuple[str, ...], tuple[str, ...]] = {}  # the known objectives of each list
    owners: dict[str | None, OwnerStatus] = {}
    backups: dict[str, BackupStatus] = {}
    # each last activity's days and state, worked out once per date (a few hundred dates)
    activities: dict[dt.date | None, tuple[int | None, Activity]] = {None: (None, "unknown")}
    no_counts = (0, 0, 0)
    tools_seen = seen.tools if seen is not None else {}
    new, blank = object.__new__, twin(ChannelRow)
    rows: list[ChannelRow] = []
    append = rows.append
    for index, channel in enumerate(channels):
        kind = channel.kind
        key = (kind, channel.id)
        ident = id(channel)
        social = channel.social  # (a class attribute: True for an Account only)
        account: Account | None = channel if social else None  # type: ignore[assignment]
        errors, warnings, infos = reported.get(key, no_counts)
        needed: tuple[str, ...] = required.get(ident, ())
        adopted = channel.policies
        if not adopted:
            ids: tuple[str, ...] = ()
        elif len(adopted) == 1:
            ids = (adopted[0].id,)
            ids = share(ids, ids)
        else:  # each list of ids as written made unique once
            listed = (
                (adopted[0].id, adopted[1].id)
                if len(adopted) == 2
                else tuple([ref.id for ref in adopted])
            )
            unique = several.get(listed)
            if unique is None:
                unique = tuple(dict.fromkeys(listed))
                unique = several[listed] = share(unique, unique)
            ids = unique
        if not needed:
            missing: tuple[str, ...] = ()
        else:  # ``needed`` and ``ids`` are each one tuple wherever equal: pairs recur (their
            # ids are safe keys: ``required`` and ``shared`` keep every such tuple alive here)
            pair = (id(needed), id(ids))
            known_missing = missed.get(pair)
            if known_missing is None:
                missing = tuple(p for p in needed if p not in ids)
                known_missing = missed[pair] = share(missing, missing)
            missing = known_missing
        selected: tuple[Playbook, ...] = playbooks_of.get(ident, ())
        listed = channel.playbooks
        # the playbooks covering a channel, and its crisis path, depend on what selects it
        # and what it lists only: worked out once per pair (``selected``: one tuple wherever
        # equal, kept alive by ``playbooks_of``, so its ``id`` is a safe key)
        coverage = (id(selected), listed)
        known_coverage = covering.get(coverage)
        if known_coverage is None:
            playbooks, crisis_path = _coverage(selected, listed, crisis, named, data)
            known_coverage = covering[coverage] = share(playbooks, playbooks), crisis_path
        playbooks, crisis_path = known_coverage
        owner, backup = channel.owner, channel.backup_owner
        status = owners.get(owner)
        if status is None:
            status = owners[owner] = owner_status(channel, model, as_of, accountable)
        if not backup:
            backing: BackupStatus = "missing"
        elif backup == owner:
            backing = "same as owner"
        else:
            known = backups.get(backup)
            if known is None:
                known = backups[backup] = backup_status(channel, model, as_of)
            backing = known
        if account is None:
            activity_state: Activity = "not tracked"
            last_activity = inactive = None
            custodian = mfa = None
            objectives_: tuple[str, ...] = ()
            monitoring: tuple[str, ...] = ()
            crisis_path = None  # type: ignore[assignment]
        else:
            last_activity = account.last_activity
            known_activity = activities.get(last_activity)
            if known_activity is None:
                known_activity = activities[last_activity] = _activity(
                    last_activity, as_of, dormant_days
                )
            inactive, activity_state = known_activity
            security = account.security
            custodian = security.get("credential_custodian")
            mfa = security.get("mfa")
            listed = account.objectives
            if not listed:
                objectives_ = ()
            else:
                served = serving.get(listed)
                if served is None:
                    served = serving[listed] = tuple(o for o in listed if o in known_objectives)
                objectives_ = served
            monitoring = account.monitoring
            if monitoring:  # equal lists one tuple: what reads them after hashes few
                monitoring = share(monitoring, monitoring)
        # the row made inline (``report.twin``): each slot set, the derived one too, then
        # made a ChannelRow; a call of ``maker``'s function with 34 arguments and the row's
        # ``__post_init__`` were a fifth of the rows' time
        row: Any = new(blank)
        row.kind = kind
        row.id = key[1]
        row.name = channel.name
        row.social = social
        row.platform = account.platform if account else None
        row.type = account.type if account else channel.type  # type: ignore[attr-defined]
        row.handle = account.handle if account else None
        row.address = account.url if account else channel.contact  # type: ignore[attr-defined]
        row.team = channel.team
        row.purpose = channel.purpose
        state = channel.status
        row.status = state if type(state) is str else str(state)
        row.live = live = state not in LIVE_EXCLUDED  # ChannelBase.live, without its call
        if seen is not None and account is not None:
            if live:
                tools = _tool_key(account, monitoring)
                tools_seen[tools] = tools_seen.get(tools, 0) + 1
            elif state == "retired":
                seen.retired.append(account)
        row.owner = owner
        row.owner_status = status
        row.backup_owner = backup
        row.backup_status = backing
        row.last_activity = last_activity
        row.days_inactive = inactive
        row.activity = activity_state
        row.policies = ids
        row.required_policies = needed
        row.missing_policies = missing
        row.playbooks = playbooks
        row.crisis_path = crisis_path
        row.objectives = objectives_
        row.monitoring = monitoring
        row.mfa = mfa if mfa is True or mfa is False else None  # a bool, without a call
        row.custodian = custodian if isinstance(custodian, str) and custodian.strip() else None
        row.errors = errors
        row.warnings = warnings
        row.infos = infos
        row.suppressed = suppressed.get(key, 0) if suppressed else 0
        row.path = channel.source.document.path
        row.line = lines[index] if lines is not None else 0
        row.findings = errors + warnings + infos  # ChannelRow.__post_init__'s
        row.__class__ = ChannelRow
        append(row)
    return rows


def _activity(last: dt.date, as_of: dt.date, dormant_days: int) -> tuple[int, Activity]:
    """The days since ``last`` (a channel's last activity) as of ``as_of``, and the activity
    they make: dormant after more than ``dormant_days`` days, as for SG302."""
    inactive = (as_of - last).days
    return inactive, "dormant" if inactive > dormant_days else "active"


def _coverage(
    selected: Sequence[Playbook],
    listed: Sequence[str],
    crisis: Mapping[str, bool],
    named: dict[str, Playbook | None],
    data: AuditInput,
) -> tuple[tuple[str, ...], bool]:
    """The ids of the playbooks covering a channel that ``selected`` select and that lists
    ``listed`` (listing a playbook covers the channel too), by id, and whether one of them has
    a crisis path."""
    found = with_listed(selected, listed, data.model, named) if listed else selected
    ordered = sorted(found, key=_by_id) if len(found) > 1 else found
    return tuple([p.id for p in ordered]), any(crisis[p.id] for p in ordered)


def _by_id(entity: Entity) -> str:
    return entity.id


Matcher = Callable[[Mapping[str, Any] | None], Sequence[ChannelBase] | None]
"""The channels an ``applies_to`` selects, as :func:`selected_channels` finds them."""


def _matcher(channels: Sequence[ChannelBase], data: AuditInput) -> Matcher:
    """:func:`selected_channels` of ``channels`` for each ``applies_to`` asked (the channels it
    gives may come in another order). The lint's rules matched the policies' selectors over
    the live channels (the run's tuple of them); what they found is taken from the lint's
    selections (``Selections.filtered``, given a tuple of the same channels), and only the
    other channels are matched here: the human-style 100,000-account tree's two ``where``
    selectors cost 0.1 s matched again over every channel."""
    model, as_of, selections = data.model, data.as_of, data.selections
    if selections is None:
        return lambda applies_to: selected_channels(applies_to, channels, model, as_of)
    from socialgov.lang.selectors import SelectorError

    live_ones: list[ChannelBase] = []
    others: list[ChannelBase] = []
    for channel in channels:
        (live_ones if channel.live else others).append(channel)
    live = tuple(live_ones)  # the lint's order
    del live_ones

    def match(applies_to: Mapping[str, Any] | None) -> Sequence[ChannelBase] | None:
        if applies_to is None:
            return None
        try:
            selector = selections.compile(applies_to)
        except SelectorError:
            return None
        known = selections.filtered(model, selector, live, as_of)  # type: ignore[arg-type]
        if known is None:
            return selections.filter(model, selector, channels, as_of)  # type: ignore[return-value]
        return known + selections.filter(model, selector, others, as_of)  # type: ignore[operator]

    return match


def _selected_ids(
    selectors: Sequence[tuple[T, Mapping[str, Any] | None]], match: Matcher
) -> dict[int, tuple[T, ...]]:
    """For each channel (by ``id``) that any of ``selectors`` selects (``match``: what each
    selects), what selects it, in the order of ``selectors`` (a malformed selector selects
    nothing). Equal tuples are one tuple.

    A selector's channels are taken together, in C (``map``, ``dict.update``): what each held
    before it, each distinct tuple so far extended once, and what each holds after it; a loop
    of three look-ups a channel took a third longer on the human-style 100,000-account tree
    (its policies and playbook select 245,000 channels in all)."""
    found: dict[int, tuple[T, ...]] = {}
    for what, applies_to in selectors:
        matched = match(applies_to)
        if not matched:
            continue
        keys = [*map(id, matched)]
        if not found:
            found = dict.fromkeys(keys, (what,))
            continue
        before = [*map(found.get, keys, repeat((), len(keys)))]
        # each distinct tuple so far (by ``id``: every one is alive in ``found`` or ``before``)
        distinct = dict(zip(map(id, before), before, strict=True))
        after = {key: (*held, what) for key, held in distinct.items()}
        found.update(zip(keys, map(after.__getitem__, map(id, before)), strict=True))
    return found


# ----------------------------------------------------------------------------- sections


def _splits(social: Counter[str], traditional: Counter[str]) -> tuple[Split, ...]:
    """Social and traditional counts under each key, most first, then by key."""
    keys = sorted(set(social) | set(traditional), key=lambda k: (-(social[k] + traditional[k]), k))
    return tuple(Split(k, social[k], traditional[k]) for k in keys)


def _tallies(values: Iterable[str]) -> tuple[Tally, ...]:
    return _ranked(Counter(values))


def _ranked(counter: Counter[str]) -> tuple[Tally, ...]:
    """Each key and its count, most first, then by key."""
    return tuple(Tally(k, n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def inventory(model: Model, rows: Sequence[ChannelRow]) -> Inventory:
    """Counts by platform (with status), status, team, purpose and traditional channel type
    (of ``rows`` in any order: each list of counts is sorted by count, then by name)."""
    by_platform: dict[str, Counter[str]] = defaultdict(Counter)
    # [social, traditional] counts by status, team and purpose
    statuses: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    teams: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    purposes: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    types: Counter[str] = Counter()
    accounts = live_accounts = live_channels = 0
    # rows alike in every field counted here are counted together
    alike = Counter(
        (row.social, row.live, row.platform, row.type, row.status, row.team, row.purpose)
        for row in rows
    )
    for (social, live, platform, kind, status, team, purpose), times in alike.items():
        if social:
            side = 0
            accounts += times
            live_accounts += live * times
            by_platform[platform or NONE_KEY][status] += times
        else:
            side = 1
            live_channels += live * times
            types[kind or NONE_KEY] += times
        statuses[side][status or NONE_KEY] += times
        teams[side][team or NONE_KEY] += times
        purposes[side][purpose or NONE_KEY] += times
    platforms = sorted(by_platform.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    people = list(model.people)
    return Inventory(
        accounts=accounts,
        live_accounts=live_accounts,
        channels=len(rows) - accounts,
        live_channels=live_channels,
        people=len(people),
        active_people=sum(1 for p in people if p.status == "active"),
        teams=len(list(model.teams)),
        policies=len(list(model.policies)),
        playbooks=len(list(model.playbooks)),
        objectives=len(list(model.objectives)),
        rules=len(list(model.rules)),
        by_platform=tuple(
            PlatformCount(name, sum(counted.values()), _ranked(counted))
            for name, counted in platforms
        ),
        by_status=_splits(*statuses),
        by_team=_splits(*teams),
        by_purpose=_splits(*purposes),
        by_channel_type=_ranked(types),
    )


class LiveSections(NamedTuple):
    """The sections that read the live channels' rows, and the maturity's live Accounts."""

    live_accounts: tuple[ChannelRow, ...]
    """The live Accounts' rows, in the order of ``rows``."""
    ownership: Ownership
    activity: ActivitySection
    playbooks: PlaybookCoverage
    objectives: Objectives
    security: Security


def live_sections(
    model: Model, rows: Sequence[ChannelRow], accountable: Sequence[str], dormant_days: int
) -> LiveSections:
    """Ownership, activity, playbook coverage, objectives and security, and the live Accounts'
    rows, from one pass over ``rows``: every list they hold is in the order of ``rows``.

    Each of them read every row (whether it is live, social, and its own fields), and the
    maturity's live Accounts were a pass of their own: at 100,000 rows each pass is a read of
    memory the caches no longer hold (the rows are in the order of their ids, not the order
    they were made in: on the human-style tree a pass reading one field took 16.5 ms in the
    report's order, 3.3 ms in the order they were made). One pass reads each row once."""
    # ownership: over live channels
    live = owned = backed = accounted = 0
    unowned: list[OwnerIssue] = []
    departed: list[OwnerIssue] = []
    no_live_backup: list[OwnerIssue] = []
    unaccountable: list[OwnerIssue] = []
    # playbooks: the live channels and Accounts each list of playbooks covers (counted once
    # a list), those without one, without a crisis path
    lists: dict[tuple[bool, tuple[str, ...]], int] = {}  # by (social?, playbooks)
    with_crisis_path = 0
    required_uncovered: list[Ref] = []
    uncovered: list[str] = []
    no_crisis_path: list[str] = []
    # activity, objectives and security: over live Accounts
    accounts: list[ChannelRow] = []
    dormant: list[ChannelRow] = []
    unknown: list[DormantAccount] = []
    serving: dict[str, list[str]] = defaultdict(list)
    each: dict[tuple[str, ...], tuple[list[str], ...]] = {}  # the lists of each list served
    without_objective: list[str] = []
    unmonitored: list[str] = []
    monitoring: dict[tuple[str, ...], int] = {}
    with_mfa = held = 0
    gaps: list[SecurityGap] = []
    custodians: Counter[str] = Counter()
    # the issues, gaps and briefs made by ``report.maker`` (not the frozen classes' __init__,
    # a call of object.__setattr__ a field): thousands of them at 100,000 rows
    issue, gap = maker(OwnerIssue), maker(SecurityGap)
    for r in rows:
        if not r.live:
            continue
        live += 1
        status = r.owner_status
        if status == "ok":
            owned += 1
            accounted += 1
        elif status == "not accountable":
            owned += 1
            person = model.person(r.owner)
            employment = person.employment if person and person.employment else "unknown"
            unaccountable.append(issue(_ref(r), r.owner, employment.replace("_", " ")))
        elif status == "missing":
            unowned.append(issue(_ref(r), r.owner, "no owner"))
        elif status == "unknown":
            unowned.append(issue(_ref(r), r.owner, f"owner '{r.owner}' is not a known person"))
        elif status == "departed":
            departed.append(issue(_ref(r), r.owner, _departure(model.person(r.owner))))
        if r.backup_status == "ok":
            backed += 1
        else:
            no_live_backup.append(issue(_ref(r), r.backup_owner, _backup_detail(r)))
        social, playbooks = r.social, r.playbooks
        key = (social, playbooks)
        lists[key] = lists.get(key, 0) + 1
        if not playbooks and r.purpose in ESCALATING_PURPOSES:
            required_uncovered.append(_ref(r))
        if not social:
            continue
        accounts.append(r)
        if not playbooks:
            uncovered.append(r.id)
        if r.crisis_path:
            with_crisis_path += 1
        else:
            no_crisis_path.append(r.id)
        state = r.activity
        if state == "dormant":
            dormant.append(r)
        elif state == "unknown":
            unknown.append(_dormant(r))
        tools = r.monitoring
        monitoring[tools] = monitoring.get(tools, 0) + 1
        if not tools:
            unmonitored.append(r.id)
        listed = r.objectives
        if listed:
            found = each.get(listed)
            if found is None:
                found = each[listed] = tuple(serving[served] for served in dict.fromkeys(listed))
            for ids in found:
                ids.append(r.id)
        else:
            without_objective.append(r.id)
        mfa, custodian = r.mfa, r.custodian
        if mfa is True:
            with_mfa += 1
        if custodian:
            held += 1
            custodians[custodian] += 1
        if mfa is not True or not custodian:
            gaps.append(gap(r.id, r.platform, r.owner, mfa, custodian))
    count = len(accounts)
    dormant.sort(key=lambda r: (-(r.days_inactive or 0), r.id))
    return LiveSections(
        live_accounts=tuple(accounts),
        ownership=Ownership(
            live=live,
            owned=Ratio(owned, live),
            live_backup=Ratio(backed, live),
            accountable=Ratio(accounted, live),
            accountable_employment=tuple(accountable),
            unowned=tuple(unowned),
            departed=tuple(departed),
            no_live_backup=tuple(no_live_backup),
            unaccountable=tuple(unaccountable),
        ),
        activity=ActivitySection(
            dormant_days=dormant_days,
            live_accounts=count,
            dormant=tuple(_dormant(r) for r in dormant),
            unknown=tuple(unknown),
        ),
        playbooks=PlaybookCoverage(
            playbooks=_playbook_summaries(model, lists),
            covered=Ratio(count - len(uncovered), count),
            crisis_path=Ratio(with_crisis_path, count),
            uncovered=tuple(uncovered),
            no_crisis_path=tuple(no_crisis_path),
            required_uncovered=tuple(required_uncovered),
        ),
        objectives=_objectives(model, count, serving, without_objective, unmonitored, monitoring),
        security=Security(
            mfa=Ratio(with_mfa, count),
            custodian=Ratio(held, count),
            gaps=tuple(gaps),
            custodians=_ranked(custodians),
        ),
    )


def _ref(row: ChannelRow) -> Ref:
    return make_ref(row.kind, row.id, row.name)


def _dormant(row: ChannelRow) -> DormantAccount:
    return maker(DormantAccount)(
        row.id, row.platform, row.handle, row.owner, row.last_activity, row.days_inactive
    )


def _departure(person: Person | None) -> str:
    if person is not None and person.departed_on is not None:
        return f"departed on {person.departed_on.isoformat()}"
    return "departed"


def _backup_detail(row: ChannelRow) -> str:
    return {
        "missing": "no backup owner",
        "unknown": f"backup '{row.backup_owner}' is not a known person",
        "same as owner": "the backup is the owner",
        "departed": f"backup '{row.backup_owner}' has departed",
    }.get(row.backup_status, row.backup_status)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def fragmentation(data: AuditInput) -> Fragmentation:
    """The groups SG301 found (waived ones too, marked): its findings are the verdict."""
    model = data.model

    def member(ref: EntityRef) -> ForumMember | None:
        account = model.find(ref.kind, ref.id)
        if not isinstance(account, Account):
            return None
        active = _int(account.metrics.get("active_members_per_month"))
        return ForumMember(account.id, account.platform, active, account.owner)

    groups = []
    for finding in (*data.findings, *data.suppressed):
        if finding.code != "SG301" or finding.entity is None:
            continue
        refs = (finding.entity, *(r for r in finding.related if r.kind == "Account"))
        members = tuple(m for m in map(member, refs) if m is not None)
        least = model.find(finding.entity.kind, finding.entity.id)
        groups.append(
            FragmentGroup(
                audience=getattr(least, "audience", None),
                topic=getattr(least, "topic", None),
                members=tuple(
                    sorted(members, key=lambda m: (m.active_members_per_month or 0, m.id))
                ),
                least_active=finding.entity.id,
                waived=finding.suppressed,
            )
        )
    groups.sort(key=lambda g: (g.waived is not None, (g.audience or "").lower(), g.least_active))
    return Fragmentation(
        checked=any(info.code == "SG301" for info in data.rules),
        min_active_members=data.forum_min_active_members,
        groups=tuple(groups),
    )


def adoption(
    model: Model,
    rows: Sequence[ChannelRow],
    channels: Sequence[ChannelBase] | None = None,
    *,
    live: Sequence[LiveChannel] | None = None,
) -> PolicyAdoption:
    """Live channels by policies: adopted, adopted at an older version, missing, not required
    (``channels``: the channel of each row, else looked up; ``live``: what
    :func:`live_channels` gives, when at hand)."""
    policies = sorted(model.policies, key=lambda p: p.id)
    if live is None:
        live = live_channels(model, rows, channels)
    ids = [policy.id for policy in policies]
    latest = [policy.version for policy in policies]
    shared: dict[tuple[CellState, int | None], AdoptionCell] = {}  # equal cells made once

    def cell(state: CellState, pinned: int | None = None) -> AdoptionCell:
        found = shared.get((state, pinned))
        if found is None:
            found = shared[state, pinned] = AdoptionCell(state, pinned)
        return found

    def cells_of(row: ChannelRow, channel: ChannelBase) -> tuple[AdoptionCell, ...]:
        refs: dict[str, PolicyRef] = {}
        for ref in channel.policies:
            refs.setdefault(ref.id, ref)  # the first, as ChannelBase.adopts finds it
        cells = []
        for i, policy_id in enumerate(ids):
            ref = refs.get(policy_id)
            if ref is not None:
                outdated = ref.version is not None and ref.version < latest[i]
                cells.append(cell("outdated" if outdated else "adopted", ref.version))
            elif policy_id in row.missing_policies:
                cells.append(cell("missing"))
            else:
                cells.append(cell("not required"))
        return tuple(cells)

    # Rows that require, miss and adopt the same policies (at the same versions) have the same
    # cells: each such group's are worked out once, and counted once per row of the group.
    groups: dict[tuple[Any, ...], list[Any]] = {}
    matrix: list[AdoptionRow] = []
    ungoverned: list[str] = []  # live Accounts that adopt no policy
    new, blank = object.__new__, twin(AdoptionRow)  # each row made inline (``report.twin``)
    for row, channel, ref in live:
        if row.social and not row.policies:
            ungoverned.append(row.id)
        written = channel.policies
        # the references as written, by their objects: the model makes one per text and
        # place (``model._policy_ref``), which the channels keep alive, so that equal lists
        # are mostly one key (and unequal objects only part a group: the cells are the same)
        signature = (
            row.required_policies,
            row.missing_policies,
            tuple(map(id, written)) if written else (),
        )
        group = groups.get(signature)
        if group is None:
            group = groups[signature] = [cells_of(row, channel), 0]
        group[1] += 1
        made: Any = new(blank)
        made.channel = ref
        made.social = row.social
        made.cells = group[0]
        made.__class__ = AdoptionRow
        matrix.append(made)
    required = [0] * len(policies)
    adopted = [0] * len(policies)
    missing = [0] * len(policies)
    outdated = [0] * len(policies)
    for (needed, _, _), (cells, times) in groups.items():
        for i, found in enumerate(cells):
            if ids[i] in needed:
                required[i] += times
            if found.state in ("adopted", "outdated"):
                adopted[i] += times
            if found.state == "outdated":
                outdated[i] += times
            elif found.state == "missing":
                missing[i] += times
    columns = tuple(
        PolicyColumn(
            id=policy.id,
            title=policy.title,
            version=int(policy.version) if isinstance(policy.version, int) else 1,
            owner=policy.owner,
            review_by=policy.review_by,
            required=required[i],
            adopted=adopted[i],
            missing=missing[i],
            outdated=outdated[i],
        )
        for i, policy in enumerate(policies)
    )
    return PolicyAdoption(
        policies=columns,
        rows=tuple(matrix),
        ungoverned=tuple(ungoverned),
        missing=sum(c.missing for c in columns),
    )


LiveChannel = tuple[ChannelRow, ChannelBase, Ref]
"""A live channel's row, the channel, and the channel as the report names it."""


def live_channels(
    model: Model, rows: Sequence[ChannelRow], channels: Sequence[ChannelBase] | None = None
) -> list[LiveChannel]:
    """Each live row with its channel (``channels``: the channel of each row, else looked up in
    ``model``) and its ``Ref``, made once for the sections that name the live channels."""
    found = []
    # each Ref made inline (``report.twin``), its label as ``report.label`` words it
    new, blank = object.__new__, twin(Ref)
    for index, row in enumerate(rows):
        if not row.live:
            continue
        if channels is not None:
            channel = channels[index]
        else:
            looked_up = model.find(row.kind, row.id)
            assert isinstance(looked_up, ChannelBase)
            channel = looked_up
        ref: Any = new(blank)
        ref.kind = row.kind
        ref.id = id_ = row.id
        ref.name = name = row.name
        ref.label = label(name, id_)
        ref.__class__ = Ref
        found.append((row, channel, ref))
    return found


def display(value: Any) -> str:
    """A YAML value as a person reads it: strings as written, the rest as YAML would show it."""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def term_matrix(
    model: Model,
    rows: Sequence[ChannelRow],
    channels: Sequence[ChannelBase] | None = None,
    *,
    live: Sequence[LiveChannel] | None = None,
) -> TermMatrix:
    """Terms by live channels that state them, social then traditional; differing values marked
    (``channels``: the channel of each row, else looked up; ``live``: what :func:`live_channels`
    gives, when at hand).

    A stated value differs when it is not the reference value: the canonical value of a policy
    the channel adopts, else any policy's canonical value, else the value most channels state.
    """
    policies = sorted(model.policies, key=lambda p: p.id)
    if live is None:
        live = live_channels(model, rows, channels)
    # the live channels that state terms, social then traditional, with their terms (each
    # channel read once here: at 100,000 channels, each pass is about 10 ms of memory reads)
    social: list[tuple[ChannelRow, Mapping[str, Any], Ref]] = []
    traditional: list[tuple[ChannelRow, Mapping[str, Any], Ref]] = []
    stated_names: set[str] = set()
    for row, channel, ref in live:
        if channel.terms:
            (social if row.social else traditional).append((row, channel.terms, ref))
            stated_names.update(channel.terms)
    ordered = social + traditional
    stating_social = len(social)
    names = sorted(
        stated_names
        | {t for p in policies for t in p.terms}
        | {t for p in policies for t in p.consistent_terms}
    )
    empty = TermCell(None)
    terms = []
    compared: dict[str, str] = {}  # term_key of each text stated (texts repeat: worked out once)
    for name in names:
        canonical = [(p, p.terms[name]) for p in policies if name in p.terms]
        canonical_keys = [(p.id, term_key(v)) for p, v in canonical]
        differing: set[str] = set()
        # the ids of the social and of the traditional channels stating each compared value
        holders: dict[str, tuple[list[str], list[str]]] = {}
        shown: dict[str, str] = {}  # the first display of each compared value
        cells = [empty] * len(ordered)
        # equal cells made once: by the text shown, among those that do not differ and those
        # that do
        cell_of: tuple[dict[str, TermCell], dict[str, TermCell]] = ({}, {})
        # what a channel should state: the value of the first policy it adopts, else the first
        # policy's, else the majority value (known once every channel is counted: the cells
        # are placed then). Worked out once per list of adopted ids (``row.policies``: equal
        # lists are one tuple, kept alive by the rows, so its ``id`` is a safe key)
        references: dict[int, str] = {}
        # (place, compared, shown, what it should state: None for the majority value)
        placing: list[tuple[int, str, str, str | None]] = []
        # each text stated, with its compared value's holders (texts repeat: looked up once)
        texts: dict[str, tuple[str, tuple[list[str], list[str]]]] = {}
        for place, (row, stating, _) in enumerate(ordered):
            value = stating.get(name, _ABSENT)
            if value is _ABSENT:
                continue
            known = texts.get(value) if type(value) is str else None
            if known is None:
                key = term_key_of(value, compared)
                text = value if type(value) is str else display(value)
                held = holders.get(key)
                if held is None:  # a value first stated
                    held = holders[key] = ([], [])
                    shown[key] = text
                if type(value) is str:
                    texts[value] = (key, held)
            else:
                key, held = known
                text = value
            held[0 if place < stating_social else 1].append(row.id)  # social ones first
            reference = None
            if canonical_keys:
                adopted = row.policies
                reference = references.get(id(adopted))
                if reference is None:
                    reference = canonical_keys[0][1]
                    for policy_id, fixed in canonical_keys:
                        if policy_id in adopted:
                            reference = fixed
                            break
                    references[id(adopted)] = reference
            placing.append((place, key, text, reference))
        # how many channels state each compared value, in the order first stated
        common = {key: len(social) + len(others) for key, (social, others) in holders.items()}
        majority = (
            min(common, key=lambda k: (-common[k], k)) if not canonical_keys and common else None
        )
        for place, key, text, reference in placing:
            differs = key != (majority if reference is None else reference)
            if differs:
                differing.add(key)
            alike = cell_of[differs]
            found = alike.get(text)
            if found is None:
                found = alike[text] = TermCell(text, differs)
            cells[place] = found
        values = [
            TermValue(
                value=shown[key],
                social=tuple(holders[key][0]),
                traditional=tuple(holders[key][1]),
                differs=key in differing,
            )
            for key in sorted(common, key=lambda k: (-common[k], k))
        ]
        terms.append(
            TermRow(
                term=name,
                canonical=tuple(Canonical(p.id, display(v)) for p, v in canonical),
                governed_by=tuple(
                    p.id for p in policies if name in p.terms or name in p.consistent_terms
                ),
                values=tuple(values),
                cells=tuple(cells),
                consistent=not differing and len(common) <= 1,
            )
        )
    return TermMatrix(
        channels=tuple(ref for _, _, ref in ordered),
        social=len(social),
        terms=tuple(terms),
    )


_ABSENT = object()


def _handoff_complete(handoff: Any) -> bool:
    return all((handoff.scenario, handoff.trigger, handoff.to_team, handoff.before, handoff.expect))


def _present(value: Any) -> bool:
    return value is not None and value is not False and value != "" and value != []


def _playbook_summaries(
    model: Model, lists: Mapping[tuple[bool, tuple[str, ...]], int]
) -> tuple[PlaybookSummary, ...]:
    """Each playbook, with the live channels and Accounts it covers (``lists``: how many live
    channels have each (social?, playbooks) pair)."""
    channels: Counter[str] = Counter()  # live channels covered, by playbook
    social: Counter[str] = Counter()  # live Accounts covered, by playbook
    for (is_social, playbooks), times in lists.items():
        for playbook_id in dict.fromkeys(playbooks):
            channels[playbook_id] += times
            if is_social:
                social[playbook_id] += times
    return tuple(
        PlaybookSummary(
            id=playbook.id,
            title=playbook.title,
            scenarios=tuple(dict.fromkeys(h.scenario for h in playbook.handoffs if h.scenario)),
            handoffs=len(playbook.handoffs),
            complete_handoffs=sum(1 for h in playbook.handoffs if _handoff_complete(h)),
            crisis_to_pr=has_crisis_path(playbook, model),
            has_end=bool(playbook.end and playbook.end.strip()),
            loop_closed=_present(playbook.follow_up.get("communicate_to"))
            and _present(playbook.follow_up.get("lessons_learned")),
            live_channels=channels[playbook.id],
            live_accounts=social[playbook.id],
        )
        for playbook in sorted(model.playbooks, key=lambda p: p.id)
    )


def _objectives(
    model: Model,
    accounts: int,
    serving: Mapping[str, list[str]],
    without_objective: Sequence[str],
    unmonitored: Sequence[str],
    monitoring: Mapping[tuple[str, ...], int],
) -> Objectives:
    """Objectives with their KPIs and strategy, the strategy goals they serve, and monitoring
    (``serving``: the live Accounts serving each objective id; ``monitoring``: how many live
    Accounts list each list of tools)."""
    tools: Counter[str] = Counter()
    for listed, times in monitoring.items():
        for tool in dict.fromkeys(listed):
            tools[tool] += times
    summaries = []
    for objective in sorted(model.objectives, key=lambda o: o.id):
        summaries.append(
            ObjectiveSummary(
                id=objective.id,
                statement=objective.statement,
                strategy=objective.strategy,
                strategy_known=objective.strategy in model.strategy,
                owner=objective.owner,
                kpis=tuple(
                    KpiView(
                        kpi.name,
                        None if kpi.target is None else display(kpi.target),
                        bool(kpi.name) and kpi.target is not None and kpi.target != "",
                    )
                    for kpi in objective.kpis
                ),
                live_accounts=tuple(serving.get(objective.id, ())),
            )
        )
    return Objectives(
        objectives=tuple(summaries),
        strategy=tuple(
            StrategyGoal(goal, statement, tuple(s.id for s in summaries if s.strategy == goal))
            for goal, statement in model.strategy.items()
        ),
        serving=Ratio(accounts - len(without_objective), accounts),
        monitored=Ratio(accounts - len(unmonitored), accounts),
        without_objective=tuple(without_objective),
        unmonitored=tuple(unmonitored),
        monitoring_tools=_ranked(tools),
    )


def sightings(model: Model) -> Sightings:
    """Sightings by disposition, the unreviewed ones that match no Account (SG310) and the
    impostors not yet reported (SG311), each newest last_seen first."""
    from socialgov.rules.discovery import open_impostors, unregistered_sightings

    def rows(found: Iterable[Sighting]) -> tuple[SightingRow, ...]:
        listed = [
            SightingRow(
                s.id, s.platform, s.handle, s.url, s.seen_at, s.first_seen, s.last_seen, s.note
            )
            for s in found
        ]
        listed.sort(
            key=lambda r: (r.last_seen is None, -(r.last_seen or dt.date.min).toordinal(), r.id)
        )
        return tuple(listed)

    every = list(model.sightings)
    return Sightings(
        total=len(every),
        by_disposition=_tallies(s.disposition for s in every),
        unreviewed=rows(unregistered_sightings(model)),
        impostors_open=rows(open_impostors(model)),
    )


def findings_summary(
    findings: Sequence[Finding], suppressed: Sequence[Finding], rules: Sequence[RuleInfo]
) -> FindingsSummary:
    """Reported findings by rule (with the suppressed ones counted) and by family.

    The findings are gone through once, counted by (rule, severity): the counts by rule, each
    rule's worst severity, the counts by family and the totals are read from those few."""
    infos = {info.code: info for info in rules}
    waived = Counter(f.code for f in suppressed)
    names: dict[str, str] = {}
    for finding in suppressed:
        names.setdefault(finding.code, finding.name)
    pairs: dict[tuple[str, Severity], int] = {}
    for finding in findings:
        pair = (finding.code, finding.severity)
        count = pairs.get(pair)
        if count is None:
            pairs[pair] = 1
            names.setdefault(finding.code, finding.name)
        else:
            pairs[pair] = count + 1
    reported: Counter[str] = Counter()
    worst: dict[str, Severity] = {}
    for (code, level), count in pairs.items():
        reported[code] += count
        worst[code] = max(worst.get(code, level), level)

    def family(code: str) -> str:
        info = infos.get(code)
        return info.family if info is not None else "custom"

    def severity(code: str) -> Severity:
        info = infos.get(code)
        return worst.get(code) or (info.severity if info is not None else Severity.WARNING)

    codes = set(reported) | set(waived)
    by_rule = tuple(
        RuleCount(
            code, names[code], family(code), str(severity(code)), reported[code], waived[code]
        )  # type: ignore[arg-type]
        for code in sorted(codes, key=lambda c: (-severity(c), -reported[c], c))
    )
    families: dict[str, Counter[Severity]] = {}
    order = [info.family for info in sorted(rules, key=lambda i: i.code)]
    total: Counter[Severity] = Counter()
    for (code, level), count in pairs.items():  # families in the order of their first finding
        families.setdefault(family(code), Counter())[level] += count
        total[level] += count
    ranked = sorted(families, key=lambda f: (order.index(f) if f in order else len(order), f))
    return FindingsSummary(
        total=len(findings),
        errors=total[Severity.ERROR],
        warnings=total[Severity.WARNING],
        infos=total[Severity.INFO],
        suppressed=len(suppressed),
        by_rule=by_rule,
        by_family=tuple(
            FamilyCount(
                f,
                families[f][Severity.ERROR],
                families[f][Severity.WARNING],
                families[f][Severity.INFO],
            )
            for f in ranked
        ),
    )


# ----------------------------------------------------------------------------- who must act


def _active(person: Person | None, as_of: dt.date) -> bool:
    return person is not None and not person.departed(as_of)


def _lead(team: Team | None, model: Model, as_of: dt.date) -> Person | None:
    lead = model.person(team.lead) if team is not None else None
    return lead if _active(lead, as_of) else None


class _ChannelAccountable:
    """Who is accountable for a channel: its owner while here, else its owning team's lead;
    each owner's presence and each team's lead worked out once (the channels of a big
    inventory have far fewer owners and teams: 27,839 entities, 5,638 pairs on the plain
    100,000-account tree)."""

    def __init__(self, model: Model, as_of: dt.date) -> None:
        self.model, self.as_of = model, as_of
        self.present: dict[str | None, str | None] = {}  # an owner's id while here, else None
        self.leads: dict[str | None, str | None] = {}  # a team's lead's id while here, else None

    def of(self, owner: str | None, team: str | None) -> tuple[str | None, str]:
        """The accountable person's id (None: nobody) and their role."""
        key = self.present.get(owner, _UNSEEN)
        if key is _UNSEEN:
            person = self.model.person(owner)
            key = self.present[owner] = person.id if _active(person, self.as_of) else None
        if key is not None:
            return key, "owner"
        key = self.leads.get(team, _UNSEEN)
        if key is _UNSEEN:
            lead = _lead(self.model.team(team), self.model, self.as_of)
            key = self.leads[team] = lead.id if lead else None
        return key, "unassigned" if key is None else "team lead"


def accountable_person(
    entity: Entity | None, model: Model, as_of: dt.date
) -> tuple[Person | None, str]:
    """Who must act on a finding about ``entity``, and in which role.

    The owner when there is a current one; otherwise the lead of the owning team (who must find
    a new owner); a Team's findings go to its lead and a Person's to their team's lead. Entities
    with nobody accountable (a playbook, a broken file) are unassigned.
    """
    if isinstance(entity, ChannelBase):
        key, role = _ChannelAccountable(model, as_of).of(entity.owner, entity.team)
        return model.person(key), role
    if entity is not None and entity.kind in ("Policy", "Objective"):
        owner_id = getattr(entity, "owner", None)
        owner = model.person(owner_id)
        if _active(owner, as_of):
            return owner, "owner"
        lead = _lead(model.team(owner_id), model, as_of)
        return (lead, "team lead") if lead else (None, "unassigned")
    if isinstance(entity, Team):
        lead = _lead(entity, model, as_of)
        return (lead, "team lead") if lead else (None, "unassigned")
    if isinstance(entity, Person):
        lead = _lead(model.team(entity.team), model, as_of)
        return (lead, "team lead") if lead else (None, "unassigned")
    return None, "unassigned"


def responsible(data: AuditInput, tally: FindingTally | None = None) -> tuple[Actor, ...]:
    """Everyone with findings to act on, most errors first, then most findings (``tally``:
    the findings' tally, when at hand)."""
    model, as_of = data.model, data.as_of
    # each accountable person's (None: nobody's) counts, roles and entities
    held: dict[str | None, tuple[list[int], set[str], list[Ref]]] = {}
    for_channel = _ChannelAccountable(model, as_of).of
    new, blank = object.__new__, twin(Ref)  # each Ref made inline (``report.twin``)
    # who is accountable for each entity, and how the report names it, worked out once for
    # all of its findings, in the order of the first finding about each (each entity once)
    for where, counts in (tally or tally_findings(data.findings)).by_entity.items():
        entity = None if where is None else model.find(*where)
        if isinstance(entity, ChannelBase):
            key, role = for_channel(entity.owner, entity.team)
        else:
            person, role = accountable_person(entity, model, as_of)
            key = person.id if person else None
        found = held.get(key)
        if found is None:
            found = held[key] = ([0, 0, 0], set(), [])
        total = found[0]
        total[0] += counts[0]
        total[1] += counts[1]
        total[2] += counts[2]
        found[1].add(role)
        if where is not None:
            ref: Any = new(blank)
            ref.kind, ref.id = where
            ref.name = name = _name(entity)
            ref.label = label(name, where[1])
            ref.__class__ = Ref
            found[2].append(ref)
    actors = []
    actor = maker(Actor)  # (10,205 of them on the human-style 100,000-account tree)
    for key, ((errors, warnings, infos), roles, entities) in held.items():
        person = model.person(key)
        actors.append(
            actor(
                person=key,
                name=(person.name or person.id) if person else "nobody accountable",
                role=" and ".join(sorted(roles)),
                errors=errors,
                warnings=warnings,
                infos=infos,
                entities=tuple(entities),
            )
        )
    actors.sort(key=lambda a: (-a.errors, -a.total, a.person is None, a.name.lower()))
    return tuple(actors)


_UNSEEN: Any = object()


def worst_gaps(
    maturity: Maturity,
    findings: FindingsSummary,
    reported: Sequence[Finding] = (),
    limit: int = 8,
    model: Model | None = None,
    *,
    tally: FindingTally | None = None,
) -> tuple[Gap, ...]:
    """The gaps a reader should see first, at most ``limit``, ordered by risk
    (``socialgov.audit.risk``): the rules with reported findings and the indicators below the
    bar, most harmful first, then most frequent. Each names the first entities it is about
    (``tally``: the tally of the ``reported`` findings, when at hand)."""
    where = (tally or tally_findings(reported)).by_code
    bar = f"{float(maturity.threshold * 100):g}%"
    blocking = {rule.code for rule in maturity.blocking}
    gaps = [
        Gap(
            "warning",
            f"{i.label}: {i.ratio.part} of {i.ratio.whole} live accounts "
            f"({i.ratio.percent:.1f}%), below {bar}",
            risk=risk.INDICATORS.get(i.key, 20),
            level=risk.level(risk.INDICATORS.get(i.key, 20)),
            count=i.ratio.whole - i.ratio.part,
            entities=tuple(_named("Account", a, model) for a in i.gaps[:5]),
        )
        for i in maturity.indicators
        if not i.passed
    ]
    for rule in findings.by_rule:
        if not rule.count:
            continue
        value = risk.of_rule(rule.code, rule.severity)
        entities = where.get(rule.code, {})
        about = [_named(kind, id_, model) for kind, id_ in itertools.islice(entities, 5)]
        noun = {"error": "error", "warning": "warning", "info": "info finding"}[rule.severity]
        gaps.append(
            Gap(
                rule.severity,
                f"{rule.code} {rule.name}: {rule.count} {noun}{'' if rule.count == 1 else 's'}"
                + (
                    f" on {_few([_brief(r) for r in about[:3]], total=len(entities))}"
                    if about
                    else ""
                )
                + ("; blocks the coordinated stage" if rule.code in blocking else ""),
                risk=value,
                level=risk.level(value),
                code=rule.code,
                count=rule.count,
                entities=tuple(about[:5]),
            )
        )
    gaps.sort(key=lambda g: (-g.risk, -g.count, g.code or "", g.text))
    return tuple(gaps[:limit])


def _short(text: str, limit: int = 40) -> str:
    """A long name cut to ``limit`` characters, with ``…``: a sentence stays a sentence."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _brief(ref: Ref) -> str:
    """``Account Acme Support (acme-x)``, a long name cut short, the id always whole."""
    return f"{ref.kind} {label(_short(ref.name) if ref.name else None, ref.id)}"


def _name(entity: Entity | None) -> str | None:
    name = getattr(entity, "name", None) if entity is not None else None
    return name if isinstance(name, str) else None


def _named(kind: str, id_: str, model: Model | None) -> Ref:
    """``Ref`` with the entity's name, when the model knows one."""
    entity = model.find(kind, id_) if model is not None else None
    name = getattr(entity, "name", None) if entity is not None else None
    return Ref(kind, id_, name if isinstance(name, str) else None)


def _few(names: Sequence[str], limit: int = 3, total: int | None = None) -> str:
    """``a, b and c``, or ``a, b, c and 4 more`` (``total``: how many there are in all)."""
    total = len(names) if total is None else total
    if total > limit:
        return ", ".join(names[:limit]) + f" and {total - limit} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _plain(value: Any) -> object:
    """An option's value as plain, immutable data for the report."""
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return value


DUE_WINDOW_DAYS = 90
"""The audit lists reviews falling due within this many days of as-of (SPEC section 10)."""


def lifecycle(
    data: AuditInput, live: Sequence[ChannelBase] | None = None, seen: Seen | None = None
) -> Lifecycle:
    """Reviews due and overdue (SG211's dates), leavers who can still log in (SG208), retired
    accounts and their records (SG212), and the tools with the controls they lack (``live``:
    the live channels, social first, each kind by id, when already at hand; ``seen``: what the
    rows' pass gathered of the Accounts, when at hand)."""
    model, as_of = data.model, data.as_of
    interval = int(data.option("review_interval_days"))
    if live is None:
        live = sorted((c for c in model.all_channels if c.live), key=lambda c: (not c.social, c.id))
    period = dt.timedelta(days=interval)
    # whether the repository keeps a register (``review_register``) is told by the pass itself,
    # which reads each channel's dates: taken to be kept by no one until a channel shows it, and
    # gone through again in the rare case that a channel dated by ``created`` alone came first
    # (review_register's own pass read every live channel where none keeps one: 30-40 ms at
    # 100,000 accounts)
    judged = _reviews(live, model, as_of, period, None)
    if judged is None:
        judged = _reviews(live, model, as_of, period, True)
    never, dues, leavers = judged
    # by state (overdue first), due date, then kind and id: each date's reviews are in that
    # order already, and one date reviewed has one due date: only the dates are sorted
    order = {"overdue": 0, "due soon": 1, "ok": 2}
    reviews = [
        review
        for *_, gathered in sorted(dues.values(), key=lambda d: (order[d[2]], d[0]))
        for review in gathered
    ]
    for tool in sorted(model.tools, key=lambda t: t.id):
        _leavers(tool, model, as_of, leavers)
    require = bool(data.option("require_archive"))
    retired = []
    record = maker(RetiredRecord)
    closed = [a for a in model.accounts if a.status == "retired"] if seen is None else seen.retired
    for account in sorted(closed, key=_by_id):
        archive = account.archive or {}
        where = archive.get("location") or archive.get("tool")
        missing = (("retired_on",) if account.retired_on is None else ()) + (
            ("archive",) if require and account.archive is None else ()
        )
        retired.append(
            record(
                make_ref("Account", account.id),
                account.retired_on,
                str(where) if where else None,
                missing,
            )
        )
    return Lifecycle(
        review_interval_days=interval,
        due_window_days=DUE_WINDOW_DAYS,
        reviewed=Ratio(sum(1 for r in reviews if r.state != "overdue"), len(live)),
        reviews=tuple(reviews),
        never_dated=tuple(never),
        leavers=tuple(leavers),
        retired=tuple(retired),
        tools=_tool_rows(model, None if seen is None else seen.tools),
    )


Dues = dict[dt.date, tuple[dt.date, int, str, list[ReviewItem]]]
"""Each date reviewed: its due date, days left, state, and its reviews."""


def _reviews(
    live: Sequence[ChannelBase],
    model: Model,
    as_of: dt.date,
    period: dt.timedelta,
    register: bool | None,
) -> tuple[list[Ref], Dues, list[LeaverAccess]] | None:
    """The live channels never dated, each date reviewed with its due date, days left, state
    and reviews (in the order of ``live``), and the leavers with access to them, as
    :func:`lifecycle` shows them. ``register``: whether some live channel records
    ``reviewed_on`` or ``registered_on`` (``review_register``); None: not known, taken to be
    False until a channel records one, and None given back if a channel dated by ``created``
    alone was judged so before it (what must then be judged again, knowing)."""
    from socialgov.rules.lifecycle import last_review

    never: list[Ref] = []
    dues: Dues = {}
    leavers: list[LeaverAccess] = []
    assumed = False  # whether a channel dated by ``created`` alone was taken to be never dated
    # each channel's Ref (no name: its label is its id, as ``make_ref`` makes it) and review
    # made inline (``report.twin``), without two calls a live channel
    new, blank_ref, blank_item = object.__new__, twin(Ref), twin(ReviewItem)
    for channel in live:
        if channel.access:
            _leavers(channel, model, as_of, leavers)
        last = last_review(channel)
        ref: Any = new(blank_ref)
        ref.kind = channel.kind
        ref.id = ref.label = channel.id
        ref.name = None
        ref.__class__ = Ref
        if last is None:
            never.append(ref)
            continue
        basis, day = last
        if basis == "created":
            if not register:
                assumed = register is None
                never.append(ref)
                continue
        elif not register:  # reviewed_on or registered_on: the repository keeps a register
            if assumed:
                return None
            register = True
        known = dues.get(day)
        if known is None:
            due = day + period
            left = (due - as_of).days
            state = "overdue" if left < 0 else "due soon" if left <= DUE_WINDOW_DAYS else "ok"
            known = dues[day] = (due, left, state, [])
        due, left, state, gathered = known
        item: Any = new(blank_item)
        item.channel = ref
        item.name = channel.name
        item.owner = channel.owner
        item.basis = basis
        item.last = day
        item.due = due
        item.days_left = left
        item.state = state
        item.__class__ = ReviewItem
        gathered.append(item)
    return never, dues, leavers


def _leavers(holder: Any, model: Model, as_of: dt.date, found: list[LeaverAccess]) -> None:
    """Add to ``found`` each access to ``holder`` (a channel or tool) that a person who has
    departed still holds."""
    for entry in getattr(holder, "access", ()):
        person = model.person(entry.person)
        if person is None or not person.departed(as_of):
            continue
        found.append(
            maker(LeaverAccess)(
                make_ref(holder.kind, holder.id),
                person.id,
                person.name,
                person.departed_on,
                entry.role,
                entry.via,
            )
        )


ToolKey = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None]
"""The tools an Account names: through which it is managed, which monitor it, through which
its people log in, and where it is archived."""


def _tool_key(account: Account, monitoring: tuple[str, ...]) -> ToolKey:
    """The tools ``account`` names (``monitoring``: its monitoring tools)."""
    archive = account.archive
    tool = archive.get("tool") if archive else None
    access = account.access
    via = tuple(filter(None, map(_VIA, access))) if access else ()  # in C: no frame a call
    return account.managed_via, monitoring, via, tool if isinstance(tool, str) else None


_VIA = attrgetter("via")


def _tool_rows(model: Model, keys: Mapping[ToolKey, int] | None = None) -> tuple[ToolRow, ...]:
    """Each tool, with the controls it lacks and how many live Accounts name it (``keys``: how
    many name each set of tools, when gathered already: see :class:`Seen`)."""
    if keys is None:
        found_keys: dict[ToolKey, int] = {}
        for account in model.accounts:
            if account.live:
                key = _tool_key(account, account.monitoring)
                found_keys[key] = found_keys.get(key, 0) + 1
        keys = found_keys
    # accounts naming the same tools are counted together: each such set is made once
    counted: Counter[frozenset[str]] = Counter()
    for key, times in keys.items():
        found = {*key[0], *key[1], *key[2]}
        if key[3] is not None:
            found.add(key[3])
        counted[frozenset(found)] += times
    named: Counter[str] = Counter()
    for names, times in counted.items():
        for name in names:
            named[name] += times
    rows = []
    for tool in sorted(model.tools, key=lambda t: t.id):
        security = tool.security
        flags = {
            name: value if isinstance(value := security.get(name), bool) else None
            for name in ("mfa", "sso", "audit_log")
        }
        missing = tuple(
            name
            for name, ok in (
                ("owner", tool.owner is not None),
                ("mfa", flags["mfa"] is True),
                ("audit_log", flags["audit_log"] is True),
            )
            if not ok
        )
        rows.append(
            ToolRow(
                id=tool.id,
                name=tool.name,
                category=tool.category,
                owner=tool.owner,
                mfa=flags["mfa"],
                sso=flags["sso"],
                audit_log=flags["audit_log"],
                people=len({a.person for a in tool.access if a.person}),
                accounts=named.get(tool.id, 0),
                missing=missing,
            )
        )
    return tuple(rows)
