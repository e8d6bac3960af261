"""``--format table`` (the default): the audit for a terminal, aligned, coloured only on one.

The first screen answers the three questions a reader comes with: the stage (and why), the worst
gaps, and who must act first. The sections follow in the order of ``common.SECTIONS``. Every value
from the repository goes through ``one_line``, so a name cannot carry escape sequences or line
breaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import click
from wcwidth import wcswidth, wcwidth

from socialgov.audit.renderers import RenderOptions
from socialgov.audit.renderers.common import (
    ADOPTION_LEGEND,
    SHORT_LABELS,
    STAGE_MEANING,
    STAGES,
    adoption_rows,
    cell_text,
    channel_labels,
    channels_with_findings,
    names,
    percent,
    plural,
    some,
    tallies,
    yes_no,
)
from socialgov.audit.report import AuditReport, Maturity, Ratio, label
from socialgov.core.escape import one_line

ROWS = 50
"""Rows a table shows on a terminal before it says how many more there are."""
NAMES = 8
"""Lines a list of sentences shows before it says how many more there are."""
READABLE = 9
"""The narrowest a column may become before the columns after it are left out."""

SEVERITY_COLORS = {"error": "red", "warning": "yellow", "info": "blue"}
STAGE_COLORS = {"dormant": "white", "scattered": "yellow", "coordinated": "green"}


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and how to style it on a colour terminal."""

    text: str
    style: dict[str, Any] = field(default_factory=dict)
    right: bool = False


def _width(text: str) -> int:
    width = wcswidth(text)
    return len(text) if width < 0 else width


def _char_width(char: str) -> int:
    width = wcwidth(char)
    return 1 if width < 0 else width


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in ``…`` when it was cut."""
    if _width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        step = _char_width(char)
        if used + step > width - 1:
            break
        kept.append(char)
        used += step
    return "".join(kept) + "…"


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` columns (a word longer than a
    line is cut); the first line keeps ``text``'s leading spaces, later ones start with
    ``indent``."""
    lead = text[: len(text) - len(text.lstrip(" "))]
    lines: list[str] = []
    current = lead
    for word in text[len(lead) :].split(" "):
        candidate = f"{current} {word}" if current.strip() else current + word
        if _width(candidate) <= width or not current.strip():
            current = candidate
            continue
        lines.append(current)
        current = indent + word
    lines.append(current)
    return [clip(line, width) for line in lines]


class Writer:
    def __init__(self, color: bool, width: int = 200) -> None:
        self.color = color
        self.width = width
        self.lines: list[str] = []

    def style(self, text: str, **style: Any) -> str:
        return click.style(text, **style) if self.color and style else text

    def line(self, text: str = "", **style: Any) -> None:
        """A line of plain text, wrapped to the width (continued lines indented)."""
        indent = " " * (len(text) - len(text.lstrip(" ")) + 2)
        for part in wrap(text, self.width, indent):
            self.lines.append(self.style(part, **style))

    def styled(self, text: str) -> None:
        """A line that carries its own styles; past the width it is shown plain, wrapped."""
        if _width(click.unstyle(text)) <= self.width:
            self.lines.append(text)
        else:
            self.line(click.unstyle(text))

    def heading(self, text: str) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")
        text = clip(text, self.width)
        self.lines.append(self.style(text, bold=True))
        self.lines.append(self.style("─" * _width(text), dim=True))

    def para(self, label: str, value: str) -> None:
        text = f"  {label} {value}"
        if _width(text) <= self.width:
            self.lines.append(f"  {self.style(label, bold=True)} {value}")
        else:
            self.line(text)

    def listing(self, label: str, names: Sequence[str], **style: Any) -> None:
        """``label: a, b, c and N more`` on one line that fits the width."""
        if not names:
            return
        head = f"  {label}: "
        shown: list[str] = []
        for index, name in enumerate(names):
            rest = len(names) - index - 1
            tail = f" and {rest} more" if rest else ""
            candidate = head + ", ".join([*shown, one_line(name)]) + tail
            if _width(candidate) > self.width and shown:
                break
            shown.append(one_line(name))
        hidden = len(names) - len(shown)
        text = head + ", ".join(shown) + (f" and {hidden} more" if hidden else "")
        self.lines.append(self.style(clip(text, self.width), **style))

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[Cell | str]],
        indent: int = 2,
        limit: int | None = None,
    ) -> None:
        """Aligned columns that fit the width (the widest text columns are cut with ``…``);
        past ``limit`` rows (default ``ROWS``) a line says how many more."""
        limit = ROWS if limit is None else limit
        cells: list[list[Cell]] = []
        hidden = 0
        for row in rows:
            if len(cells) >= limit:
                hidden += 1
                continue
            cells.append([c if isinstance(c, Cell) else Cell(c) for c in row])
        if not cells:
            self.lines.append(" " * indent + self.style("(none)", dim=True))
            return
        texts = [[Cell(one_line(c.text), c.style, c.right) for c in row] for row in cells]
        widths = [_width(h) for h in headers]
        for row in texts:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], _width(cell.text))
        # too narrow for every column at a readable width: the last columns are left out
        kept = len(widths)
        while kept > 2 and sum(min(w, READABLE) for w in widths[:kept]) + 2 * (kept - 1) > (
            self.width - indent
        ):
            kept -= 1
        if kept < len(widths):
            left_out = ", ".join(h or "…" for h in headers[kept:])
            headers, widths = headers[:kept], widths[:kept]
            texts = [row[:kept] for row in texts]
            self.lines.append(
                " " * indent
                + self.style(
                    clip(f"(too narrow for: {left_out}; see --format csv)", self.width - indent),
                    dim=True,
                )
            )
        widths = _fit(widths, self.width - indent - 2 * (len(widths) - 1))
        pad = " " * indent
        header = "  ".join(
            clip(h, widths[i]) + " " * (widths[i] - _width(clip(h, widths[i])))
            for i, h in enumerate(headers)
        )
        self.lines.append(pad + self.style(header.rstrip(), bold=True))
        for row in texts:
            parts = []
            for i, cell in enumerate(row):
                text = clip(cell.text, widths[i])
                space = " " * (widths[i] - _width(text))
                shown = self.style(text, **cell.style)
                parts.append(space + shown if cell.right else shown + space)
            self.lines.append((pad + "  ".join(parts)).rstrip())
        if hidden:
            note = f"... and {hidden} more; --format csv or json lists every one"
            self.lines.append(pad + self.style(clip(note, self.width - indent), dim=True))

    def text(self) -> str:
        """Every line, each checked against the width one last time."""
        return "\n".join(self._bounded()) + "\n"

    def _bounded(self) -> Iterator[str]:
        for line in self.lines:
            if _width(click.unstyle(line)) <= self.width:
                yield line
            else:
                yield clip(click.unstyle(line), self.width)


def _fit(widths: list[int], room: int) -> list[int]:
    """Column widths that add up to at most ``room``: the widest column gives way first, and no
    column goes below a few characters (``Writer.text`` then cuts what is still too long)."""
    widths = list(widths)
    floor = 4
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= floor:
            break
        second = max((w for i, w in enumerate(widths) if i != widest), default=0)
        step = max(1, min(sum(widths) - room, widths[widest] - second))
        widths[widest] = max(floor, widths[widest] - step)
    return widths


def _num(value: int, **style: Any) -> Cell:
    return Cell(str(value), style if value else {}, right=True)


def _bar(ratio: Ratio, width: int = 20) -> str:
    fraction = ratio.fraction
    filled = 0 if fraction is None else round(fraction * width)
    return "█" * filled + "░" * (width - filled)


def _ratio(writer: Writer, label: str, ratio: Ratio, note: str = "") -> None:
    writer.para(f"{label}:", percent(ratio) + (f"  {note}" if note else ""))


def render(report: AuditReport, options: RenderOptions) -> str:
    w = Writer(options.color, options.width)
    _summary(w, report)
    for section in SECTIONS_BEFORE:
        section(w, report)
    _inventory(w, report)
    _ownership(w, report)
    _activity(w, report)
    _fragmentation(w, report)
    _adoption(w, report)
    _terms(w, report)
    _playbooks(w, report)
    _objectives(w, report)
    _security(w, report)
    _lifecycle(w, report)
    _sightings(w, report)
    _findings(w, report)
    _channels(w, report)
    return w.text()


def _summary(w: Writer, report: AuditReport) -> None:
    org = one_line(report.organisation) or "Policy repository"
    w.line(f"{org}: social media governance audit, as of {report.as_of.isoformat()}", bold=True)
    w.line(f"{one_line(report.root)} · socialgov {report.tool_version}", dim=True)
    w.line()
    m = report.maturity
    stage = m.stage
    track = " → ".join(
        w.style(s.upper(), bold=True, fg=STAGE_COLORS[s]) if s == stage else s for s in STAGES
    )
    w.styled(
        f"Maturity stage: {w.style(stage.upper(), bold=True, fg=STAGE_COLORS[stage])} "
        f"({STAGE_MEANING[stage]})"
    )
    w.styled(f"  {track}")
    w.line(f"  {progress_sentence(m)}")
    for reason in () if m.steps and m.next_stage == "coordinated" else m.reasons:
        w.line(f"  - {one_line(reason)}")
    if m.steps:
        w.line(f"  To reach {m.next_stage}:")
        for step in m.steps[:NAMES]:
            w.line(f"    - {one_line(step)}")
        if len(m.steps) > NAMES:
            w.line(f"    - and {len(m.steps) - NAMES} more steps", dim=True)
    labels = channel_labels(report)
    w.heading("Coverage of live accounts (the bar is 80%)")
    w.table(
        ("indicator", "share", "", "", "missing"),
        (
            (
                i.label,
                Cell(percent(i.ratio), right=True),
                Cell(_bar(i.ratio), {"fg": "green" if i.passed else "red"}),
                Cell("ok" if i.passed else "below", {"fg": "green" if i.passed else "red"}),
                some([labels.get(g, g) for g in i.gaps], 2, empty=""),
            )
            for i in m.indicators
        ),
    )
    w.heading("Worst gaps (most harmful first)")
    if not report.worst_gaps:
        w.line("  none: nothing stands between this repository and the next stage", dim=True)
    for gap in report.worst_gaps:
        mark = "✗" if gap.severity == "error" else "!"
        text = f"  {mark} [{gap.level}] {one_line(gap.text)}"
        if _width(text) <= w.width:
            styled_mark = w.style(mark, fg=SEVERITY_COLORS[gap.severity])
            w.lines.append(f"  {styled_mark} [{gap.level}] {one_line(gap.text)}")
        else:
            w.line(text)
    w.heading("Who must act first")
    w.table(
        ("person", "role", "errors", "warnings", "info", "on"),
        (
            (
                a.name if a.person is None else label(a.name, a.person),
                a.role,
                _num(a.errors, fg="red"),
                _num(a.warnings, fg="yellow"),
                _num(a.infos),
                some([e.label for e in a.entities], 2, ""),
            )
            for a in report.act_first
        ),
    )


def progress_sentence(m: Maturity) -> str:
    """``Score 94 of 100; 97% of the way to coordinated.``"""
    text = f"Score {m.score} of 100"
    if m.next_stage is None:
        return text + "; the top stage."
    return text + f"; {m.progress}% of the way to {m.next_stage}."


def _units(w: Writer, report: AuditReport) -> None:
    if report.units is None:
        return
    units = report.units
    depth = "every level" if units.depth is None else f"down to level {units.depth}"
    w.heading(f"Units ({plural(units.teams, 'team')}, {depth}; worst first, rolled up)")
    keys = [SHORT_LABELS.get(i.key, i.key).lower() for u in units.units[:1] for i in u.indicators]
    w.table(
        ("unit", "in", "stage", "score", "live", *keys, "errors"),
        (
            (
                "  " * (u.depth - 1) + u.label,
                " / ".join(u.path) if u.path else "",
                Cell(u.stage, {"fg": STAGE_COLORS[u.stage]}),
                Cell(str(u.score), right=True),
                _num(u.live_accounts),
                *(
                    Cell(
                        "n/a" if i.ratio.percent is None else f"{i.ratio.percent:.0f}%",
                        {} if i.passed else {"fg": "red"},
                        right=True,
                    )
                    for i in u.indicators
                ),
                _num(u.errors, fg="red"),
            )
            for u in units.units
        ),
    )
    w.line(
        "  Shares of each unit's live accounts, its own and those of the teams below it; "
        "score 0-100.",
        dim=True,
    )


def _history(w: Writer, report: AuditReport) -> None:
    history = report.history
    if history is None:
        return
    samples = history.samples
    scope = f"since {history.since}" if history.since else "over the whole history"
    w.heading(f"History ({plural(len(samples), 'sample')}, one per {history.every}, {scope})")
    if not samples:
        w.line("  no commit of the policy repository to sample", dim=True)
    shown = samples[-ROWS:]
    if len(samples) > len(shown):
        w.line(
            f"  the last {len(shown)}; {len(samples) - len(shown)} earlier samples in "
            "--format csv or json",
            dim=True,
        )
    keys = (
        [SHORT_LABELS.get(i.key, i.key).lower() for i in samples[0].indicators] if samples else []
    )
    w.table(
        ("date", "commit", "stage", "score", "live", *keys, "errors"),
        (
            (
                s.date.isoformat(),
                s.short[:8],
                Cell(s.stage, {"fg": STAGE_COLORS[s.stage]}),
                Cell(str(s.score), right=True),
                _num(s.live_accounts),
                *(
                    Cell(
                        "n/a" if i.ratio.percent is None else f"{i.ratio.percent:.1f}%",
                        {} if i.passed else {"fg": "red"},
                        right=True,
                    )
                    for i in s.indicators
                ),
                _num(s.errors, fg="red"),
            )
            for s in shown
        ),
        limit=ROWS,
    )
    change = history.change
    if change is not None:
        moves = "; ".join(
            f"{SHORT_LABELS.get(i.key, i.key).lower()} {_points(i.points)}"
            for i in change.indicators
        )
        stage = (
            f"{change.stage_before} → {change.stage_after}"
            if change.stage_before != change.stage_after
            else f"still {change.stage_after}"
        )
        w.line(
            f"  Change {change.since.isoformat()} → {change.until.isoformat()}: {stage}, "
            f"score {change.score:+d}, live accounts {change.live_accounts:+d}, "
            f"errors {change.errors:+d}; {moves}."
        )
    for skipped in history.skipped[:3]:
        w.line(f"  not sampled: {one_line(skipped)}", dim=True)
    if len(history.skipped) > 3:
        w.line(f"  and {len(history.skipped) - 3} more commits not sampled", dim=True)


def _points(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1f} pts"


SECTIONS_BEFORE = (_units, _history)
"""Sections shown right after the summary (units, then history), each skipping itself when
the report has nothing for it."""


def _inventory(w: Writer, report: AuditReport) -> None:
    inv = report.inventory
    w.heading("Inventory")
    w.line(
        f"  {inv.accounts} social accounts ({inv.live_accounts} live), {inv.channels} traditional "
        f"channels ({inv.live_channels} live); {inv.people} people ({inv.active_people} active), "
        f"{inv.teams} teams, {inv.policies} policies, {inv.playbooks} playbooks, "
        f"{inv.objectives} objectives, {inv.rules} custom rules"
    )
    w.line()
    w.table(
        ("platform", "accounts", "by status"),
        ((p.platform, _num(p.total), tallies(p.by_status)) for p in inv.by_platform),
    )
    for title, splits in (
        ("team", inv.by_team),
        ("purpose", inv.by_purpose),
        ("status", inv.by_status),
    ):
        w.line()
        w.table(
            (title, "social", "traditional", "total"),
            ((s.key, _num(s.social), _num(s.traditional), _num(s.total)) for s in splits),
        )


def _ownership(w: Writer, report: AuditReport) -> None:
    own = report.ownership
    w.heading(f"Ownership ({own.live} live channels, social and traditional)")
    _ratio(w, "with a current owner", own.owned)
    _ratio(w, "with a live backup owner", own.live_backup)
    _ratio(
        w,
        "owned by accountable staff",
        own.accountable,
        f"(employment: {', '.join(own.accountable_employment)})",
    )
    issues = [
        *(("no owner", i) for i in own.unowned),
        *(("owner departed", i) for i in own.departed),
        *(("owner not accountable", i) for i in own.unaccountable),
        *(("no live backup", i) for i in own.no_live_backup),
    ]
    w.line()
    w.table(
        ("problem", "channel", "person", "detail"),
        (
            (
                Cell(
                    problem,
                    {"fg": "red" if problem in ("no owner", "owner departed") else "yellow"},
                ),
                str(i.channel),
                i.person or "",
                i.detail,
            )
            for problem, i in issues
        ),
    )


def _activity(w: Writer, report: AuditReport) -> None:
    act = report.activity
    w.heading(f"Activity (dormant after {act.dormant_days} days)")
    w.table(
        ("account", "platform", "last activity", "days", "owner"),
        (
            (
                Cell(a.id, {"fg": "yellow"} if a.last_activity else {}),
                a.platform or "",
                a.last_activity.isoformat() if a.last_activity else "unknown",
                Cell("" if a.days_inactive is None else str(a.days_inactive), right=True),
                a.owner or "",
            )
            for a in (*act.dormant, *act.unknown)
        ),
    )


def _members(count: int | None) -> str:
    return "unknown" if count is None else str(count)


def _listing(w: Writer, label: str, ids: Sequence[str], fg: str = "yellow") -> None:
    """``label: a, b, c and N more`` on one line that fits, coloured."""
    w.listing(label, ids, fg=fg)


def _fragmentation(w: Writer, report: AuditReport) -> None:
    frag = report.fragmentation
    w.heading(f"Fragmentation (forums under {frag.min_active_members} active members a month)")
    if not frag.checked:
        w.line("  not checked: the configuration does not run SG301 fragmented-forums", dim=True)
        return
    w.table(
        ("audience / topic", "forums (active members a month)", "status"),
        (
            (
                f"{g.audience or '?'} / {g.topic or '?'}",
                ", ".join(f"{m.id} ({_members(m.active_members_per_month)})" for m in g.members),
                Cell("waived: " + g.waived, {"dim": True})
                if g.waived
                else Cell("to merge", {"fg": "yellow"}),
            )
            for g in frag.groups
        ),
    )


def _adoption(w: Writer, report: AuditReport) -> None:
    adoption = report.adoption
    w.heading("Policy adoption")
    w.table(
        ("policy", "version", "required", "adopted", "missing", "outdated", "owner", "review by"),
        (
            (
                p.id,
                Cell(str(p.version), right=True),
                _num(p.required),
                _num(p.adopted),
                _num(p.missing, fg="red"),
                _num(p.outdated, fg="yellow"),
                p.owner or "",
                p.review_by.isoformat() if p.review_by else "",
            )
            for p in adoption.policies
        ),
    )
    if adoption.ungoverned:
        w.line()
        _listing(w, "Live accounts adopting no policy", adoption.ungoverned, fg="red")
    w.line()
    keys = [f"P{i + 1}" for i in range(len(adoption.policies))]
    matrix = adoption_rows(adoption, ROWS)
    if matrix.filtered:
        w.line("  Only the channels with a missing or outdated adoption:", dim=True)
    w.table(
        ("channel", *keys),
        (
            (
                f"{r.channel.id} ({'social' if r.social else 'traditional'})",
                *(
                    Cell(
                        cell_text(c),
                        {"fg": {"missing": "red", "outdated": "yellow"}.get(c.state)}
                        if c.state in ("missing", "outdated")
                        else {},
                    )
                    for c in r.cells
                ),
            )
            for r in matrix
        ),
    )
    w.line(
        "  " + "; ".join(f"{k} {p.id}" for k, p in zip(keys, adoption.policies, strict=True)),
        dim=True,
    )
    w.line(f"  {ADOPTION_LEGEND}", dim=True)


def _terms(w: Writer, report: AuditReport) -> None:
    terms = report.terms
    w.heading(f"Term consistency ({terms.inconsistent} of {len(terms.terms)} terms differ)")
    rows = []
    for row in terms.terms:
        canonical = ", ".join(f"{c.value} ({c.policy})" for c in row.canonical) or "-"
        if not row.values:
            rows.append(
                (row.term, canonical, Cell("(stated by no channel)", {"dim": True}), "", "")
            )
        for index, value in enumerate(row.values):
            mark = {"fg": "red", "bold": True} if value.differs else {}
            rows.append(
                (
                    row.term if index == 0 else "",
                    canonical if index == 0 else "",
                    Cell(("✗ " if value.differs else "") + value.value, mark),
                    some(value.social),
                    some(value.traditional),
                )
            )
    w.table(("term", "canonical", "stated value", "social channels", "traditional channels"), rows)


def _playbooks(w: Writer, report: AuditReport) -> None:
    pb = report.playbooks
    w.heading("Playbooks and crisis paths")
    _ratio(w, "live accounts covered by a playbook", pb.covered)
    _ratio(w, "live accounts with a crisis path to PR", pb.crisis_path)
    w.line()
    w.table(
        ("playbook", "scenarios", "handoffs complete", "crisis→pr", "end", "loop closed", "covers"),
        (
            (
                p.id,
                ", ".join(p.scenarios),
                Cell(
                    f"{p.complete_handoffs}/{p.handoffs}",
                    {"fg": "red"} if p.complete_handoffs < p.handoffs else {},
                    right=True,
                ),
                yes_no(p.crisis_to_pr),
                Cell(yes_no(p.has_end), {} if p.has_end else {"fg": "red"}),
                Cell(yes_no(p.loop_closed), {} if p.loop_closed else {"fg": "yellow"}),
                f"{p.live_channels} channels ({p.live_accounts} social)",
            )
            for p in pb.playbooks
        ),
    )
    _listing(w, "No playbook", pb.uncovered)
    _listing(w, "No crisis path", pb.no_crisis_path)
    _listing(
        w,
        "Service, sales and PR channels without a playbook",
        [str(r) for r in pb.required_uncovered],
    )


def _objectives(w: Writer, report: AuditReport) -> None:
    obj = report.objectives
    w.heading("Objectives and KPIs")
    _ratio(w, "live accounts serving an objective", obj.serving)
    _ratio(w, "live accounts monitored", obj.monitored)
    w.line()
    w.table(
        ("objective", "strategy", "KPIs complete", "owner", "live accounts"),
        (
            (
                o.id,
                Cell(o.strategy or "none", {} if o.strategy_known else {"fg": "red"}),
                Cell(
                    f"{sum(k.complete for k in o.kpis)}/{len(o.kpis)}",
                    {} if o.kpis and all(k.complete for k in o.kpis) else {"fg": "yellow"},
                    right=True,
                ),
                o.owner or "",
                _num(len(o.live_accounts)),
            )
            for o in obj.objectives
        ),
    )
    w.line()
    w.table(
        ("strategy goal", "objectives"),
        (
            (g.id, Cell(names(g.objectives), {} if g.objectives else {"fg": "yellow"}))
            for g in obj.strategy
        ),
    )
    _listing(w, "Serving no objective", obj.without_objective)
    _listing(w, "Not monitored", obj.unmonitored)
    if obj.monitoring_tools:
        w.line(f"  Monitoring tools: {one_line(tallies(obj.monitoring_tools))}")


def _security(w: Writer, report: AuditReport) -> None:
    sec = report.security
    w.heading("Security")
    _ratio(w, "live accounts with MFA on", sec.mfa)
    _ratio(w, "live accounts with a credential custodian", sec.custodian)
    w.line()
    w.table(
        ("account", "platform", "MFA", "custodian", "owner"),
        (
            (
                g.id,
                g.platform or "",
                Cell(yes_no(g.mfa), {} if g.mfa else {"fg": "red"}),
                Cell(g.custodian or "none", {} if g.custodian else {"fg": "red"}),
                g.owner or "",
            )
            for g in sec.gaps
        ),
    )


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else "none"


def _lifecycle(w: Writer, report: AuditReport) -> None:
    lc = report.lifecycle
    w.heading("Lifecycle: reviews, leavers, records and tools")
    _ratio(
        w,
        f"live channels reviewed in the last {lc.review_interval_days} days",
        lc.reviewed,
        f"{len(lc.overdue)} overdue, {len(lc.due_soon)} due in the next {lc.due_window_days} days",
    )
    w.line()
    w.line("  Leavers who can still log in (revoke first)", bold=True)
    w.table(
        ("where", "person", "departed", "role", "via"),
        (
            (
                f"{a.holder.kind} {a.holder.id}",
                Cell(f"{a.name} ({a.person})" if a.name else a.person, {"fg": "red"}),
                _date(a.departed_on),
                a.role or "",
                a.via or "",
            )
            for a in lc.leavers
        ),
    )
    w.line()
    w.line(f"  Reviews overdue and due in the next {lc.due_window_days} days", bold=True)
    w.table(
        ("channel", "owner", "last", "due", "state"),
        (
            (
                f"{r.channel.kind} {r.channel.id}",
                r.owner or "",
                f"{r.last.isoformat()} ({r.basis})",
                r.due.isoformat(),
                Cell(
                    f"{-r.days_left} days overdue"
                    if r.state == "overdue"
                    else f"due in {r.days_left} days",
                    {"fg": "red" if r.state == "overdue" else "yellow"},
                ),
            )
            for r in (*lc.overdue, *lc.due_soon)
        ),
    )
    if lc.never_dated:
        undated = [one_line(r.id) for r in lc.never_dated]
        w.line(f"  No review, registration or creation date: {some(undated, 10)}")
    w.line()
    w.line("  Retired accounts without records", bold=True)
    w.table(
        ("account", "retired on", "archive", "missing"),
        (
            (
                r.account.id,
                _date(r.retired_on),
                r.archive or "none",
                Cell(", ".join(r.missing), {"fg": "yellow"}),
            )
            for r in lc.unrecorded_retirements
        ),
    )
    w.line()
    w.line("  Tools", bold=True)
    w.table(
        ("tool", "category", "owner", "MFA", "SSO", "audit log", "people", "accounts", "missing"),
        (
            (
                t.id,
                t.category or "",
                t.owner or Cell("none", {"fg": "red"}),
                Cell(yes_no(t.mfa), {} if t.mfa else {"fg": "red"}),
                yes_no(t.sso),
                Cell(yes_no(t.audit_log), {} if t.audit_log else {"fg": "red"}),
                _num(t.people),
                _num(t.accounts),
                Cell(", ".join(t.missing), {"fg": "yellow"} if t.missing else {}),
            )
            for t in lc.tools
        ),
    )


def _sightings(w: Writer, report: AuditReport) -> None:
    s = report.sightings
    w.heading("Sightings")
    if not s.total:
        w.line("  none recorded: 'socialgov discover' finds the presences that claim to be you")
        return
    w.para(
        f"{plural(s.total, 'sighting')}:",
        ", ".join(f"{t.count} {t.key}" for t in s.by_disposition),
    )
    for title, rows, colour in (
        ("Unregistered, not reviewed (SG310)", s.unreviewed, "yellow"),
        ("Impostors not yet reported (SG311)", s.impostors_open, "red"),
    ):
        w.line()
        w.line(f"  {title}: {len(rows)}", fg=colour if rows else None)
        w.table(
            ("sighting", "platform", "profile", "seen at", "last seen"),
            (
                (
                    r.id,
                    r.platform or "",
                    r.url or r.handle or "",
                    r.seen_at or "",
                    r.last_seen.isoformat() if r.last_seen else "",
                )
                for r in rows
            ),
            indent=4,
        )


def _findings(w: Writer, report: AuditReport) -> None:
    f = report.findings
    w.heading(
        f"Findings by rule ({plural(f.errors, 'error')}, {plural(f.warnings, 'warning')}, "
        f"{f.infos} info; {f.suppressed} suppressed)"
    )
    w.table(
        ("family", "errors", "warnings", "info"),
        (
            (
                fam.family,
                _num(fam.errors, fg="red"),
                _num(fam.warnings, fg="yellow"),
                _num(fam.infos),
            )
            for fam in f.by_family
        ),
    )
    w.line()
    w.table(
        ("rule", "name", "family", "severity", "count", "suppressed"),
        (
            (
                r.code,
                r.name,
                r.family,
                Cell(r.severity, {"fg": SEVERITY_COLORS[r.severity]}),
                _num(r.count),
                _num(r.suppressed),
            )
            for r in f.by_rule
        ),
    )


def _channels(w: Writer, report: AuditReport) -> None:
    rows = channels_with_findings(report)
    w.heading("Channels with findings (most errors first; every channel: --format csv)")
    w.table(
        (
            "channel",
            "owner",
            "owner status",
            "backup status",
            "activity",
            "errors",
            "warnings",
            "info",
        ),
        (
            (
                f"{r.id} ({r.kind})",
                r.owner or "",
                Cell(r.owner_status, {} if r.owner_status == "ok" else {"fg": "red"}),
                Cell(r.backup_status, {} if r.backup_status == "ok" else {"fg": "yellow"}),
                r.activity,
                _num(r.errors, fg="red"),
                _num(r.warnings, fg="yellow"),
                _num(r.infos),
            )
            for r in rows
        ),
    )
