"""Geometry for the history's inline SVG line charts: shares over commit dates, with the bar.

Pure functions from the history to coordinates and labels; the template draws them (escaping
every label) and the stylesheet colours each series by class. The x axis is a time scale (a
month between two samples takes twice the room of a fortnight); the y axis runs 0-100 with a
tick every 20 and the 80% bar drawn dashed, labelled. Both axes carry a title, so a printed page
needs no colour to be read: each line also has its own dash pattern and marker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (its classes are imported by the runs that make a history only)
    from socialgov.audit.extras import Sample

WIDTH = 640
LEFT = 48
RIGHT = 16
TOP = 16
PLOT_HEIGHT = 180
AXIS = 54
LEGEND_ROW = 20
LEGEND_COLUMNS = 2
DOTS = 60
"""Samples up to which each one is marked with a dot (beyond, the lines say enough)."""


@dataclass(frozen=True, slots=True)
class Tick:
    """A mark on an axis: where, and its label."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Dot:
    """One sample's marker on a line: where, and its hover title."""

    x: float
    y: float
    title: str


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the chart: its CSS class, its label, its points (as SVG writes them) and
    its samples' markers."""

    css: str
    label: str
    points: str
    dots: tuple[Dot, ...]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One entry of the chart's legend: where, its CSS class and its label."""

    x: float
    y: float
    css: str
    label: str


@dataclass(frozen=True, slots=True)
class LineChart:
    """A line chart: its titles, size and plot area, its axes' ticks, its lines and legend, and
    the bar a share must reach, when it has one."""

    title: str
    y_title: str
    x_title: str
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    legend: tuple[LegendEntry, ...]
    bar: Tick | None = None


def _x(dates: Sequence[dt.date]) -> list[float]:
    right = WIDTH - RIGHT
    if not dates:
        return []
    if len(dates) == 1 or dates[0] == dates[-1]:
        if len(dates) == 1:
            return [(LEFT + right) / 2]
        step = (right - LEFT) / (len(dates) - 1)
        return [LEFT + i * step for i in range(len(dates))]
    span = (dates[-1] - dates[0]).days
    return [LEFT + (d - dates[0]).days / span * (right - LEFT) for d in dates]


def _y(value: float) -> float:
    return TOP + PLOT_HEIGHT - value / 100 * PLOT_HEIGHT


def _x_ticks(dates: Sequence[dt.date], xs: Sequence[float], gap: float = 100) -> tuple[Tick, ...]:
    """Date labels that never overlap: the first and the last sample, and between them those
    at least ``gap`` px from their neighbours."""
    if not dates:
        return ()
    chosen = [0]
    for i in range(1, len(dates)):
        if xs[i] - xs[chosen[-1]] >= gap:
            chosen.append(i)
    last = len(dates) - 1
    if last and chosen[-1] != last:  # make room for the last date, the one read most
        while len(chosen) > 1 and xs[last] - xs[chosen[-1]] < gap:
            chosen.pop()
        if xs[last] - xs[chosen[-1]] >= gap:
            chosen.append(last)
    return tuple(Tick(xs[i], dates[i].isoformat()) for i in chosen)


def line_chart(
    title: str,
    y_title: str,
    samples: Sequence[Sample],
    lines: Sequence[tuple[str, str, Sequence[float | None]]],
    bar: float | None = None,
) -> LineChart:
    """``lines``: (css class, label, one value 0-100 per sample or None where unmeasured)."""
    dates = [s.date for s in samples]
    xs = _x(dates)
    series = []
    for css, label, values in lines:
        points = [
            (x, _y(v), s) for x, v, s in zip(xs, values, samples, strict=True) if v is not None
        ]
        series.append(
            Series(
                css,
                label,
                " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points),
                tuple(
                    Dot(x, y, f"{label}: {_value(v)} on {s.date.isoformat()} ({s.short})")
                    for (x, y, s), v in zip(
                        points, [v for v in values if v is not None], strict=True
                    )
                )
                if len(samples) <= DOTS
                else (),
            )
        )
    bottom = TOP + PLOT_HEIGHT
    column = (WIDTH - LEFT) / LEGEND_COLUMNS
    legend = tuple(
        LegendEntry(
            LEFT + (i % LEGEND_COLUMNS) * column,
            bottom + AXIS + (i // LEGEND_COLUMNS) * LEGEND_ROW,
            css,
            label,
        )
        for i, (css, label, _) in enumerate(lines)
    )
    rows = (len(lines) + LEGEND_COLUMNS - 1) // LEGEND_COLUMNS
    return LineChart(
        title=title,
        y_title=y_title,
        x_title="Commit date",
        width=WIDTH,
        height=int(bottom + AXIS + rows * LEGEND_ROW + 4),
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=bottom,
        y_ticks=tuple(Tick(_y(v), f"{v}") for v in range(0, 101, 20)),
        x_ticks=_x_ticks(dates, xs),
        series=tuple(series),
        legend=legend,
        bar=Tick(_y(bar), f"{bar:g}% bar") if bar is not None else None,
    )


def _value(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def coverage(samples: Sequence[Sample], threshold: Fraction) -> LineChart:
    """Each indicator's share of live accounts at each sample, against the bar."""
    keys = [(i.key, i.label) for i in samples[0].indicators] if samples else []
    lines = []
    for n, (key, label) in enumerate(keys):
        values: list[float | None] = []
        for s in samples:
            ratio = next((i.ratio for i in s.indicators if i.key == key), None)
            values.append(None if ratio is None or ratio.percent is None else ratio.percent)
        lines.append((f"line s{n + 1}", label, values))
    return line_chart(
        "Coverage of live accounts over time",
        "Share of live accounts (%)",
        samples,
        lines,
        bar=float(threshold * 100),
    )


def score(samples: Sequence[Sample]) -> LineChart:
    """The score (0-100) at each sample."""
    return line_chart(
        "Score over time",
        "Score (0-100)",
        samples,
        [("line s0", "Score", [float(s.score) for s in samples])],
    )
