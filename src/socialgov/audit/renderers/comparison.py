"""``audit --compare REV`` in every format: what changed since a revision, short and bounded.

The markdown is made for a pull-request comment (docs/ci.md shows how to post it): a verdict
line, the indicators that moved, then the findings added and resolved and the entities added
and removed, each list at most ``LISTED`` long with "and N more". JSON and CSV carry every item.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from socialgov.audit.extras import Comparison, FindingChange, IndicatorChange
from socialgov.audit.renderers import RenderOptions
from socialgov.audit.report import Ref
from socialgov.core.escape import json_text, one_line

LISTED = 10
"""Items of each list the table, markdown and html show."""


def points(change: IndicatorChange) -> str:
    """``+12.5 pts``, ``-3.0 pts``, ``no change`` or ``new``."""
    if change.points is None:
        return "new"
    if change.points == 0:
        return "no change"
    return f"{change.points:+.1f} pts"


def share(ratio: Any) -> str:
    if ratio is None or ratio.whole == 0:
        return "n/a"
    return f"{ratio.percent:.1f}% ({ratio.part}/{ratio.whole})"


def verdict(c: Comparison) -> str:
    """One sentence: the stage and score before and after."""
    if not c.existed:
        return (
            f"The policy repository did not exist at {c.rev}; now {c.stage_after}, "
            f"score {c.score_after} of 100."
        )
    score = (
        f"score {c.score_before} → {c.score_after} ({c.score_after - (c.score_before or 0):+d})"
        if c.score_after != c.score_before
        else f"score {c.score_after}, unchanged"
    )
    stage = (
        f"{c.stage_before} → {c.stage_after}"
        if c.stage_before != c.stage_after
        else f"still {c.stage_after}"
    )
    return f"Since {c.rev}: {stage}, {score}."


def counts(c: Comparison) -> str:
    return (
        f"{len(c.findings_added)} findings added, {len(c.findings_resolved)} resolved; "
        f"errors {c.errors_before} → {c.errors_after}, warnings {c.warnings_before} → "
        f"{c.warnings_after}; {len(c.entities_added)} entities added, "
        f"{len(c.entities_removed)} removed."
    )


def entity(ref: Ref | None) -> str:
    return "" if ref is None else f"{ref.kind} {ref.label}"


# ----------------------------------------------------------------------------- table


def table(c: Comparison, options: RenderOptions) -> str:
    from socialgov.audit.renderers.table import Cell, Writer

    w = Writer(options.color, options.width)
    w.line(f"socialgov audit: what changed since {c.rev} ({c.commit[:12]})", bold=True)
    w.line(f"Both sides judged as of {c.as_of.isoformat()}.", dim=True)
    w.line()
    w.line(verdict(c))
    w.line(counts(c))
    w.heading("Indicators (shares of live accounts)")
    w.table(
        ("indicator", "before", "now", "change"),
        (
            (
                i.label,
                Cell(share(i.before), right=True),
                Cell(share(i.after), right=True),
                Cell(points(i), {"fg": _color(i)}, right=True),
            )
            for i in c.indicators
        ),
    )
    for title, items in (
        ("Findings added", c.findings_added),
        ("Findings resolved", c.findings_resolved),
    ):
        w.heading(f"{title} ({len(items)})")
        w.table(
            ("severity", "rule", "entity", "message"),
            ((f.severity, f"{f.code} {f.name}", entity(f.entity), f.message) for f in items),
            limit=LISTED,
        )
    for title, refs in (
        ("Entities added", c.entities_added),
        ("Entities removed", c.entities_removed),
    ):
        w.heading(f"{title} ({len(refs)})")
        w.listing("", [entity(r) for r in refs[:LISTED]] + [""] * 0)
        if len(refs) > LISTED:
            w.line(f"  ... and {len(refs) - LISTED} more; --format json lists every one", dim=True)
        if not refs:
            w.line("  (none)", dim=True)
    return w.text()


def _color(change: IndicatorChange) -> str | None:
    if change.points is None or change.points == 0:
        return None
    return "green" if change.points > 0 else "red"


# ----------------------------------------------------------------------------- markdown


def markdown(c: Comparison, options: RenderOptions) -> str:
    from socialgov.audit.renderers.templating import environment

    template = environment("markdown").get_template("comparison.md.j2")
    text = template.render(
        c=c,
        verdict=verdict(c),
        counts=counts(c),
        points=points,
        share=share,
        entity=entity,
        listed=LISTED,
    )
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept) + "\n"


# ----------------------------------------------------------------------------- html


def html(c: Comparison, options: RenderOptions) -> str:
    from socialgov.audit.renderers.templating import environment

    template = environment("html").get_template("comparison.html.j2")
    return template.render(
        c=c,
        verdict=verdict(c),
        counts=counts(c),
        points=points,
        share=share,
        entity=entity,
        listed=LISTED,
    )


# ----------------------------------------------------------------------------- json, csv


def document(c: Comparison) -> dict[str, Any]:
    from socialgov.audit.renderers.json import to_data

    return {"version": 1, "kind": "socialgov-audit-comparison", **to_data(c)}


def json_format(c: Comparison, options: RenderOptions) -> str:
    return json_text(document(c))


CSV_COLUMNS = (
    "change",
    "kind",
    "id",
    "name",
    "code",
    "severity",
    "message",
    "path",
    "line",
    "before",
    "after",
)


def csv_format(c: Comparison, options: RenderOptions) -> str:
    from socialgov.audit.renderers.csv import neutralise

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)

    def row(*values: object) -> None:
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in values])

    for i in c.indicators:
        before = "" if i.before is None or i.before.percent is None else i.before.percent
        after = "" if i.after.percent is None else i.after.percent
        row("indicator", "", i.key, i.label, "", "", points(i), "", "", before, after)
    for change, items in (
        ("finding added", c.findings_added),
        ("finding resolved", c.findings_resolved),
    ):
        for f in items:
            row(
                change,
                f.entity.kind if f.entity else "",
                f.entity.id if f.entity else "",
                (f.entity.name or "") if f.entity else "",
                f.code,
                f.severity,
                one_line(f.message),
                f.path,
                f.line,
                "",
                "",
            )
    for change, refs in (
        ("entity added", c.entities_added),
        ("entity removed", c.entities_removed),
    ):
        for ref in refs:
            row(change, ref.kind, ref.id, ref.name or "", "", "", "", "", "", "", "")
    return out.getvalue()


RENDERERS: dict[str, Callable[[Comparison, RenderOptions], str]] = {
    "table": table,
    "markdown": markdown,
    "html": html,
    "json": json_format,
    "csv": csv_format,
}


def few(items: Sequence[FindingChange], limit: int = LISTED) -> tuple[FindingChange, ...]:
    return tuple(items[:limit])


def comparison_renderer(name: str) -> Callable[[Comparison, RenderOptions], str]:
    """The renderer of ``audit --compare`` in the format called ``name``."""
    return RENDERERS[name]
