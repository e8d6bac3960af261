"""``--format csv``: one row per channel, social and traditional, with the computed columns,
then one row per Tool (kind ``Tool``: its id, name, owner and the controls it lacks); with
``--history``, one row per sample of the history instead (a CSV holds one table).

The lifecycle columns (review due, leavers with access, retired on, archive) come from the
audit's lifecycle section, matched to each channel by kind and id.

Every text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is prefixed with ``'``, as OWASP advises against CSV injection:
the repository's values are shown, never evaluated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from socialgov.audit.renderers import RenderOptions
from socialgov.audit.report import AuditReport, ChannelRow, Lifecycle
from socialgov.core.escape import terminal_safe

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


LIFECYCLE_COLUMNS = (
    "last_review",
    "review_due",
    "review",
    "leavers_with_access",
    "retired_on",
    "archive",
)
TOOL_COLUMNS = ("missing_controls",)


def _lifecycle_cells(lifecycle: Lifecycle) -> dict[tuple[str, str], list[object]]:
    """Each channel's lifecycle cells, by (kind, id)."""
    cells: dict[tuple[str, str], list[object]] = {}
    for review in lifecycle.reviews:
        key = (review.channel.kind, review.channel.id)
        cells[key] = [review.last.isoformat(), review.due.isoformat(), review.state, "", "", ""]
    for leaver in lifecycle.leavers:
        row = cells.setdefault((leaver.holder.kind, leaver.holder.id), [""] * 6)
        row[3] = f"{row[3]}; {leaver.person}" if row[3] else leaver.person
    for retired in lifecycle.retired:
        row = cells.setdefault((retired.account.kind, retired.account.id), [""] * 6)
        row[4] = retired.retired_on.isoformat() if retired.retired_on else ""
        row[5] = retired.archive or ""
    return cells


HISTORY_COLUMNS = (
    "date",
    "commit",
    "subject",
    "stage",
    "score",
    "progress",
    "live_accounts",
    "accounts",
    "live_channels",
    "errors",
    "warnings",
    "info",
)


def history(report: AuditReport) -> str:
    """With ``--history``: one row per sample, oldest first; each indicator's share of live
    accounts in percent (rounded down to one decimal, empty without live accounts)."""
    assert report.history is not None
    samples = report.history.samples
    keys = [i.key for i in samples[0].indicators] if samples else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*HISTORY_COLUMNS, *keys, "error_free"])
    for s in samples:
        shares = {i.key: i.ratio.percent for i in s.indicators}
        writer.writerow(
            [
                s.date.isoformat(),
                s.commit,
                neutralise(s.subject),
                s.stage,
                s.score,
                s.progress,
                s.live_accounts,
                s.accounts,
                s.live_channels,
                s.errors,
                s.warnings,
                s.infos,
                *("" if shares[k] is None else shares[k] for k in keys),
                "" if s.error_free.percent is None else s.error_free.percent,
            ]
        )
    return out.getvalue()


def render(report: AuditReport, options: RenderOptions) -> str:
    if report.history is not None:
        return history(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*(name for name, _ in COLUMNS), *LIFECYCLE_COLUMNS, *TOOL_COLUMNS])
    lifecycle = _lifecycle_cells(report.lifecycle)
    blank = [""] * len(LIFECYCLE_COLUMNS)
    for row in report.channels:
        values = [get(row) for _, get in COLUMNS]
        values += [*lifecycle.get((row.kind, row.id), blank), ""]
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in values])
    names = [name for name, _ in COLUMNS]
    for tool in report.lifecycle.tools:
        values = [""] * (len(COLUMNS) + len(LIFECYCLE_COLUMNS)) + ["; ".join(tool.missing)]
        values[names.index("kind")] = "Tool"
        values[names.index("id")] = tool.id
        values[names.index("name")] = tool.name or ""
        values[names.index("type")] = tool.category or ""
        values[names.index("owner")] = tool.owner or ""
        values[names.index("mfa")] = _yes_no(tool.mfa)
        values[len(COLUMNS) + LIFECYCLE_COLUMNS.index("leavers_with_access")] = lifecycle.get(
            ("Tool", tool.id), blank
        )[LIFECYCLE_COLUMNS.index("leavers_with_access")]
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in values])
    return out.getvalue()
