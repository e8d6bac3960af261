"""Geometry for the HTML report's inline SVG charts: horizontal bars, stacked or against a bar.

Pure functions from report values to rectangles and labels; the template draws them (and escapes
every label), and the stylesheet colours them by class, so no value ever becomes markup here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from socialgov.audit.report import FamilyCount, Indicator, PlatformCount

LABEL_WIDTH = 180
BAR_WIDTH = 270
VALUE_WIDTH = 60
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 34
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
MAX_LABEL = 26

STATUS_ORDER = ("active", "dormant", "planned", "retired")


@dataclass(frozen=True, slots=True)
class Segment:
    """One rectangle of a bar: where it starts and how wide, its CSS class and its hover title."""

    x: float
    width: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class Row:
    """One bar of a chart: its height on the page, its label (shortened) and full label, its
    segments, and the value written after it, with where."""

    y: float
    label: str
    full_label: str
    segments: tuple[Segment, ...]
    value: str
    value_x: float


@dataclass(frozen=True, slots=True)
class LegendItem:
    """One entry of a chart's legend: where it starts, its CSS class and its label."""

    x: float
    css: str
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of horizontal bars: its title, size, rows and legend, and the bar a share must
    reach (where the marker is drawn, and its label) when it has one."""

    title: str
    width: int
    height: int
    rows: tuple[Row, ...]
    legend: tuple[LegendItem, ...]
    marker_x: float | None = None
    marker_label: str = ""

    @property
    def bar_top(self) -> int:
        return TOP - 6

    @property
    def bar_bottom(self) -> float:
        return TOP + len(self.rows) * ROW_HEIGHT - 6


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _legend(items: Sequence[tuple[str, str]]) -> tuple[LegendItem, ...]:
    result = []
    x = float(LABEL_WIDTH)
    for css, label in items:
        result.append(LegendItem(x, css, label))
        x += 30 + 7 * len(label)
    return tuple(result)


def _height(rows: int) -> int:
    return TOP + max(rows, 1) * ROW_HEIGHT + 6


def stacked(
    title: str,
    rows: Sequence[tuple[str, Sequence[tuple[str, int, str]]]],
    legend: Sequence[tuple[str, str]],
) -> Chart:
    """One bar per row, its segments ``(css class, count, tooltip)`` stacked on one scale."""
    largest = max((sum(n for _, n, _ in parts) for _, parts in rows), default=0) or 1
    scale = BAR_WIDTH / largest
    drawn = []
    for index, (label, parts) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for css, count, tip in parts:
            if count <= 0:
                continue
            segments.append(Segment(x, count * scale, css, tip))
            x += count * scale
        total = sum(n for _, n, _ in parts)
        drawn.append(
            Row(TOP + index * ROW_HEIGHT, _short(label), label, tuple(segments), str(total), x + 6)
        )
    return Chart(title, WIDTH, _height(len(rows)), tuple(drawn), _legend(legend))


def platforms(counts: Sequence[PlatformCount]) -> Chart:
    """Accounts by platform, each bar split by status."""
    statuses = [s for s in STATUS_ORDER if any(t.key == s for p in counts for t in p.by_status)]
    statuses += sorted({t.key for p in counts for t in p.by_status} - set(STATUS_ORDER))
    rows = []
    for platform in counts:
        tally = {t.key: t.count for t in platform.by_status}
        rows.append(
            (
                platform.platform,
                [
                    (_status_css(s), tally.get(s, 0), f"{platform.platform}: {tally.get(s, 0)} {s}")
                    for s in statuses
                ],
            )
        )
    return stacked("Accounts by platform and status", rows, [(_status_css(s), s) for s in statuses])


def _status_css(status: str) -> str:
    return f"st-{status}" if status in STATUS_ORDER else "st-other"


def families(counts: Sequence[FamilyCount]) -> Chart:
    """Reported findings by rule family, split by severity."""
    rows = [
        (
            f.family,
            [
                ("sev-error", f.errors, f"{f.family}: {f.errors} errors"),
                ("sev-warning", f.warnings, f"{f.family}: {f.warnings} warnings"),
                ("sev-info", f.infos, f"{f.family}: {f.infos} info"),
            ],
        )
        for f in counts
    ]
    legend = [("sev-error", "error"), ("sev-warning", "warning"), ("sev-info", "info")]
    return stacked("Findings by rule family", rows, legend)


def coverage(indicators: Sequence[Indicator], threshold: Fraction) -> Chart:
    """Each indicator's share of live accounts on a 0-100% scale, with the threshold marked."""
    rows = []
    for index, indicator in enumerate(indicators):
        share = indicator.ratio.fraction
        width = 0.0 if share is None else float(share) * BAR_WIDTH
        css = "ok" if indicator.passed else "below"
        value = "n/a" if share is None else f"{indicator.ratio.percent:.1f}%"
        rows.append(
            Row(
                TOP + index * ROW_HEIGHT,
                _short(indicator.label),
                indicator.label,
                (
                    Segment(LABEL_WIDTH, BAR_WIDTH, "track", indicator.label),
                    Segment(
                        LABEL_WIDTH,
                        width,
                        css,
                        f"{indicator.label}: {indicator.ratio.part} of {indicator.ratio.whole}",
                    ),
                ),
                value,
                LABEL_WIDTH + BAR_WIDTH + 6,
            )
        )
    bar = f"{float(threshold * 100):g}%"
    return Chart(
        "Coverage of live accounts against the bar",
        WIDTH,
        _height(len(rows)),
        tuple(rows),
        _legend([("ok", f"at or above {bar}"), ("below", f"below {bar}")]),
        marker_x=LABEL_WIDTH + float(threshold) * BAR_WIDTH,
        marker_label=bar,
    )
