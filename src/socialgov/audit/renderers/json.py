"""``--format json``: the whole report as versioned JSON (documented in docs/audit.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from typing import Any

from socialgov.audit.renderers import RenderOptions
from socialgov.audit.report import (
    Actor,
    AuditReport,
    ChannelRow,
    FamilyCount,
    IndicatorChange,
    Ratio,
    Ref,
    Split,
    TermMatrix,
    Unit,
)
from socialgov.core.escape import json_text

VERSION = 1
KIND = "socialgov-audit"

# Properties worth having in the JSON although they are computed from other fields.
_DERIVED: dict[type, tuple[str, ...]] = {
    Split: ("total",),
    FamilyCount: ("total",),
    Actor: ("total",),
    ChannelRow: ("findings",),
    TermMatrix: ("inconsistent",),
    Ref: ("label",),
    Unit: ("label",),
    IndicatorChange: ("direction",),
}


def to_data(value: Any) -> Any:
    """Plain JSON data for a report value: dates as ISO text, shares as numbers."""
    if isinstance(value, Ratio):
        return {"part": value.part, "whole": value.whole, "percent": value.percent}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in _DERIVED.get(type(value), ()):
            data[name] = to_data(getattr(value, name))
        return data
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    return value


OPTIONAL = ("units", "history")
"""Sections present only when asked for (``--by team``, ``--history``)."""


def document(report: AuditReport) -> dict[str, Any]:
    data = to_data(report)
    data["options"] = {key: to_data(value) for key, value in report.options}
    for name in OPTIONAL:
        if data.get(name) is None:
            data.pop(name, None)
    return {"version": VERSION, "kind": KIND, **data}


def render(report: AuditReport, options: RenderOptions) -> str:
    return json_text(document(report))
