"""``--format html``: one self-contained page, glad to be opened in a browser.

Inline CSS (templates/report.css) and inline SVG charts (``charts``), no script, and a Content
Security Policy that forbids loading anything, so the file works offline and cannot call out.
Jinja2's autoescape escapes every value from the repository (templates/report.html.j2).
"""

from __future__ import annotations

from socialgov.audit.renderers import RenderOptions, charts, linecharts
from socialgov.audit.renderers.common import template_globals
from socialgov.audit.renderers.templating import environment
from socialgov.audit.report import AuditReport, TermRow

ROWS = 250
"""Rows a table shows before it says how many more there are (csv and json have them all)."""
NAMES = 40
"""Names a list shows before "and N more"."""
TERM_COLUMNS = 80
"""Channels the term matrix shows as columns; beyond, each value lists its channels instead."""


def value_keys(row: TermRow) -> dict[str, str]:
    """A letter for each value a term takes (A, B, ... then A2, B2, ...), most stated first."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return {
        value.value: letters[i % 26] + (str(i // 26 + 1) if i >= 26 else "")
        for i, value in enumerate(row.values)
    }


def render(report: AuditReport, options: RenderOptions) -> str:
    template = environment("html").get_template("report.html.j2")
    samples = report.history.samples if report.history is not None else ()
    context = template_globals(report, rows=ROWS, names_shown=NAMES)
    context.update(
        coverage_chart=charts.coverage(report.maturity.indicators, report.maturity.threshold),
        platform_chart=charts.platforms(report.inventory.by_platform),
        family_chart=charts.families(report.findings.by_family),
        value_keys=value_keys,
        term_columns=TERM_COLUMNS,
        channels_ordered=sorted(report.channels, key=lambda c: (-c.errors, -c.findings, c.id)),
        history_coverage=linecharts.coverage(samples, report.maturity.threshold)
        if samples
        else None,
        history_score=linecharts.score(samples) if samples else None,
    )
    return template.render(context)
