"""``--format json``: the whole report as versioned JSON (documented in docs/audit.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from fractions import Fraction
from json.encoder import encode_basestring
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
from socialgov.core.escape import indented_json, json_safe

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
    """``json_text(document(report))``, written straight from the report: no copy of it as
    dictionaries and lists, and the text joined a piece at a time (a report of 100,000
    channels is hundreds of megabytes of JSON)."""
    chunks = ['{\n  "version": ' + int.__repr__(VERSION), ',\n  "kind": ' + _string(KIND)]
    for name in _fields(AuditReport):
        value = getattr(report, name)
        if name in OPTIONAL and value is None:
            continue
        out = [",\n  " + _string(name) + ": "]
        if name == "options":
            _write_mapping(report.options, out, "\n  ")
        else:
            _write(value, out, "\n  ", chunks)
        chunks.append(json_safe("".join(out)))
    chunks.append("\n}\n")
    return "".join(chunks)


_string = encode_basestring

LONG = 1000
"""A list longer than this is written to text an item at a time."""

_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    """The JSON members of a report dataclass: its fields, then its ``_DERIVED`` properties."""
    found = _FIELDS.get(kind)
    if found is None:
        names = (*(f.name for f in dataclasses.fields(kind)), *_DERIVED.get(kind, ()))
        found = _FIELDS[kind] = names
    return found


def _write_mapping(items: Any, out: list[str], newline: str) -> None:
    """``(key, value)`` pairs as a JSON object, each value as ``to_data`` converts it."""
    if not items:
        out.append("{}")
        return
    inner = newline + "  "
    separator = "{" + inner
    for key, value in items:
        out.append(separator + _string(key) + ": ")
        _write(value, out, inner)
        separator = "," + inner
    out.append(newline + "}")


def _write(value: Any, out: list[str], newline: str, done: list[str] | None = None) -> None:
    """Append the JSON of ``to_data(value)``, as ``indented_json`` writes it, to ``out``;
    ``newline`` is a line break and the current indent. Given ``done``, the text of a long
    list's items moves there as it is written (``out`` then holds what follows them)."""
    kind = type(value)
    if kind is str:
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is tuple or kind is list:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        long = done is not None and len(value) > LONG
        for item in value:
            if type(item) is str:
                out.append(separator + _string(item))
            else:
                out.append(separator)
                _write(item, out, inner)
            separator = "," + inner
            if long:
                done.append(json_safe("".join(out)))  # type: ignore[union-attr]
                out.clear()
        out.append(newline + "]")
    elif isinstance(value, Ratio):
        inner = newline + "  "
        out.append(
            f'{{{inner}"part": {int.__repr__(value.part)},{inner}"whole": '
            f'{int.__repr__(value.whole)},{inner}"percent": '
        )
        _write(value.percent, out, inner)
        out.append(newline + "}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = newline + "  "
        separator = "{" + inner
        for name in _fields(kind):
            item = getattr(value, name)
            if type(item) is str:
                out.append(separator + _string(name) + ": " + _string(item))
            else:
                out.append(separator + _string(name) + ": ")
                _write(item, out, inner, done)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, Fraction):
        out.append(_float(float(value)))
    elif isinstance(value, dt.date):
        out.append(_string(value.isoformat()))
    elif isinstance(value, (tuple, list)):
        _write(list(value), out, newline, done)
    elif isinstance(value, float):
        out.append(_float(value))
    else:  # plain data as socialgov.yaml gave it (an option's mapping)
        out.append(indented_json(value).replace("\n", newline))


def _float(value: float) -> str:
    return float.__repr__(value) if math.isfinite(value) else indented_json(value)
