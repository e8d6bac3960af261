"""Wording and symbols that the text formats (table, markdown, html) share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from socialgov.audit.report import (
    AdoptionCell,
    AdoptionRow,
    AuditReport,
    ChannelRow,
    PolicyAdoption,
    Ratio,
    Tally,
    label,
)

T = TypeVar("T")

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
    ("lifecycle", "Lifecycle"),
    ("sightings", "Sightings"),
    ("findings", "Findings by rule"),
    ("channels", "Channels"),
)
"""Every section of the report, in order: (anchor, heading)."""


SHORT_LABELS: dict[str, str] = {
    "owned_with_backup": "Backup",
    "adopting_policies": "Policies",
    "playbook_covered": "Playbook",
    "serving_objective": "Objective",
    "monitored": "Monitored",
}
"""Each maturity indicator in a word, for the columns of a narrow table."""


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
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def link(address: str | None) -> str | None:
    """``address`` when it is a web link a reader may follow (http or https with a host), else
    None: a profile link is shown as a link, anything else as text."""
    if not address:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(address.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in address.strip()):
        return None
    return address.strip()


def markdown_link(address: str | None) -> str | None:
    """A followable ``address`` as a markdown link target: the characters that would end the
    link or the table cell (parentheses, angle brackets, ``|``, spaces, backslashes) percent-
    encoded, so the link is the address and nothing else."""
    target = link(address)
    if target is None:
        return None
    from urllib.parse import quote

    return quote(target, safe="/:?#@!$&'*+,;=%-._~")


def channel_labels(report: AuditReport) -> dict[str, str]:
    """Each channel's id to ``Name (id)``: how a reader recognises it (Accounts win a clash)."""
    labels = {r.id: label(r.name, r.id) for r in report.channels if not r.social}
    labels.update((r.id, label(r.name, r.id)) for r in report.channels if r.social)
    return labels


def channels_with_findings(report: AuditReport) -> list[ChannelRow]:
    """The channels that carry findings, most errors first, then most findings."""
    return sorted(
        (r for r in report.channels if r.findings), key=lambda r: (-r.errors, -r.findings, r.id)
    )


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first items of a long list, and how many were left out."""

    items: tuple[T, ...]
    hidden: int
    filtered: bool = False
    """True when only the rows with a gap are kept (see ``adoption_rows``)."""

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __bool__(self) -> bool:
        return bool(self.items) or self.hidden > 0


def cap(items: Sequence[T], limit: int) -> Capped[T]:
    """At most ``limit`` of ``items``: a page stays readable whatever the inventory's size, and
    csv and json still carry every row."""
    return Capped(tuple(items[:limit]), max(len(items) - limit, 0))


def adoption_rows(adoption: PolicyAdoption, limit: int) -> Capped[AdoptionRow]:
    """Every row of the adoption matrix when it is short; otherwise only the rows with a missing
    or outdated adoption (the ones to act on), at most ``limit``."""
    if len(adoption.rows) <= limit:
        return cap(adoption.rows, limit)
    gaps = [r for r in adoption.rows if any(c.state in ("missing", "outdated") for c in r.cells)]
    shown = cap(gaps, limit)
    return Capped(shown.items, shown.hidden, filtered=True)


def template_globals(report: AuditReport, rows: int, names_shown: int) -> dict[str, object]:
    """What the html and markdown templates may call besides the report itself; ``rows`` and
    ``names_shown`` cap the length of tables and of lists of names."""
    return {
        "row_limit": rows,
        "name_limit": names_shown,
        "cap": cap,
        "adoption_rows": adoption_rows,
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
        "link": link,
        "md_link": markdown_link,
        "short_labels": SHORT_LABELS,
    }
