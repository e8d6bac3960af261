"""``--format csv``: one row per channel, social and traditional, with the computed columns.

Every text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is prefixed with ``'``, as OWASP advises against CSV injection:
the repository's values are shown, never evaluated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from socialgov.audit.renderers import RenderOptions
from socialgov.audit.report import AuditReport, ChannelRow
from socialgov.reporters.base import terminal_safe

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` made inert for spreadsheets, and for a terminal that shows the file."""
    return terminal_safe("'" + text if text.startswith(_FORMULA_START) else text)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _join(values: tuple[str, ...]) -> str:
    return "; ".join(values)


COLUMNS: tuple[tuple[str, Callable[[ChannelRow], object]], ...] = (
    ("kind", lambda r: r.kind),
    ("id", lambda r: r.id),
    ("name", lambda r: r.name or ""),
    ("platform", lambda r: r.platform or ""),
    ("type", lambda r: r.type or ""),
    ("handle", lambda r: r.handle or ""),
    ("url_or_contact", lambda r: r.address or ""),
    ("team", lambda r: r.team or ""),
    ("purpose", lambda r: r.purpose or ""),
    ("status", lambda r: r.status),
    ("live", lambda r: _yes_no(r.live)),
    ("owner", lambda r: r.owner or ""),
    ("owner_status", lambda r: r.owner_status),
    ("backup_owner", lambda r: r.backup_owner or ""),
    ("backup_status", lambda r: r.backup_status),
    ("last_activity", lambda r: r.last_activity.isoformat() if r.last_activity else ""),
    ("days_inactive", lambda r: "" if r.days_inactive is None else r.days_inactive),
    ("activity", lambda r: r.activity),
    ("dormant", lambda r: "" if not r.social else _yes_no(r.activity == "dormant")),
    ("policies", lambda r: _join(r.policies)),
    ("missing_policies", lambda r: _join(r.missing_policies)),
    ("playbooks", lambda r: _join(r.playbooks)),
    ("crisis_path", lambda r: _yes_no(r.crisis_path)),
    ("objectives", lambda r: _join(r.objectives)),
    ("monitoring", lambda r: _join(r.monitoring)),
    ("mfa", lambda r: _yes_no(r.mfa) if r.social else ""),
    ("credential_custodian", lambda r: r.custodian or ""),
    ("findings", lambda r: r.findings),
    ("errors", lambda r: r.errors),
    ("warnings", lambda r: r.warnings),
    ("info", lambda r: r.infos),
    ("suppressed", lambda r: r.suppressed),
    ("path", lambda r: r.path),
    ("line", lambda r: r.line),
)


def render(report: AuditReport, options: RenderOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in COLUMNS])
    for row in report.channels:
        writer.writerow(
            [neutralise(v) if isinstance(v, str) else v for v in (get(row) for _, get in COLUMNS)]
        )
    return out.getvalue()
