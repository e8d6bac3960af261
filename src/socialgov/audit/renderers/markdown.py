"""``--format markdown``: the audit for a pull-request comment or a wiki page.

Headings, tables and the stage first; long tables fold into ``<details>``. The template is
templates/report.md.j2; every value from the repository is escaped by the environment.
"""

from __future__ import annotations

from socialgov.audit.renderers import RenderOptions
from socialgov.audit.renderers.common import template_globals
from socialgov.audit.renderers.templating import environment
from socialgov.audit.report import AuditReport

ROWS = 30
"""Rows a table shows: GitHub takes comments of up to 65,536 characters."""
NAMES = 10
"""Names a list shows before "and N more"."""


def render(report: AuditReport, options: RenderOptions) -> str:
    template = environment("markdown").get_template("report.md.j2")
    text = template.render(template_globals(report, rows=ROWS, names_shown=NAMES))
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept) + "\n"
