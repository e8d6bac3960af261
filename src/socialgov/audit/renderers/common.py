"""Wording and symbols that the text formats (table, markdown, html) share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from socialgov.audit.report import AdoptionCell, AuditReport, ChannelRow, Ratio, Tally

STAGES: tuple[str, ...] = ("dormant", "scattered", "coordinated")

STAGE_MEANING: dict[str, str] = {
    "dormant": "not using social media yet",
    "scattered": "presences without the coordination around them",
    "coordinated": "strategy, roles, policies, governance and measurement in place",
}

SECTIONS: tuple[tuple[str, str], ...] = (
    ("inventory", "Inventory"),
    ("ownership", "Ownership"),
    ("activity", "Activity"),
    ("fragmentation", "Fragmentation"),
    ("adoption", "Policy adoption"),
    ("terms", "Term consistency"),
    ("playbooks", "Playbooks and crisis paths"),
    ("objectives", "Objectives and KPIs"),
    ("security", "Security"),
    ("findings", "Findings by rule"),
    ("channels", "Channels"),
)
"""Every section of the report, in order: (anchor, heading)."""


def percent(ratio: Ratio) -> str:
    """``12/15 (80.0%)``; ``n/a`` when there is nothing to measure."""
    return "n/a" if ratio.whole == 0 else f"{ratio.part}/{ratio.whole} ({ratio.percent:.1f}%)"


def cell_text(cell: AdoptionCell) -> str:
    """An adoption cell in words short enough for a matrix."""
    if cell.state == "adopted":
        return "✓" if cell.pinned is None else f"✓ v{cell.pinned}"
    if cell.state == "outdated":
        return f"v{cell.pinned}, old"
    if cell.state == "missing":
        return "✗ missing"
    return "·"


ADOPTION_LEGEND = (
    "✓ adopted (vN: pinned to version N); vN, old: pinned to an older version than the current "
    "one; ✗ missing: the policy's applies_to selects the channel but the channel does not adopt "
    "it; · not required"
)


def tallies(items: Iterable[Tally]) -> str:
    return ", ".join(f"{t.key} {t.count}" for t in items)


def names(ids: Iterable[str], empty: str = "none") -> str:
    text = ", ".join(ids)
    return text or empty


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def some(ids: Sequence[str], limit: int = 4, empty: str = "-") -> str:
    """A few names, and how many more: a glance; csv and json carry every one."""
    shown = names(ids[:limit], empty)
    return shown + (f" +{len(ids) - limit} more" if len(ids) > limit else "")


def channels_with_findings(report: AuditReport) -> list[ChannelRow]:
    """The channels that carry findings, most errors first, then most findings."""
    return sorted(
        (r for r in report.channels if r.findings), key=lambda r: (-r.errors, -r.findings, r.id)
    )


def template_globals(report: AuditReport) -> dict[str, object]:
    """What the html and markdown templates may call besides the report itself."""
    return {
        "r": report,
        "stages": STAGES,
        "stage_meaning": STAGE_MEANING,
        "threshold": f"{float(report.maturity.threshold * 100):g}%",
        "percent": percent,
        "cell_text": cell_text,
        "tallies": tallies,
        "names": names,
        "some": some,
        "yes_no": yes_no,
        "plural": plural,
        "adoption_legend": ADOPTION_LEGEND,
        "sections": SECTIONS,
        "channels_with_findings": channels_with_findings(report),
    }
