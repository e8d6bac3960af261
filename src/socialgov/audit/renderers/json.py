"""``--format json``: the whole report as versioned JSON (documented in docs/audit.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from fractions import Fraction
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any

from socialgov.audit.renderers import RenderOptions
from socialgov.audit.report import (
    Actor,
    AdoptionCell,
    AuditReport,
    ChannelRow,
    FamilyCount,
    IndicatorChange,
    Ratio,
    Ref,
    Split,
    TermCell,
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
    channels is hundreds of megabytes of JSON).

    Each section is written by orjson (in Rust, a tenth of the time); a section it cannot
    write as ``json.dumps`` would (text that is not UTF-8, an integer past 64 bits, a float
    it writes otherwise) is written by ``_write`` instead, in Python."""
    fast = _Fast()
    chunks = ['{\n  "version": ' + int.__repr__(VERSION), ',\n  "kind": ' + _string(KIND)]
    for name in _fields(AuditReport):
        value = getattr(report, name)
        if name in OPTIONAL and value is None:
            continue
        out = [",\n  " + _string(name) + ": "]
        if name == "options":
            _write_mapping(report.options, out, "\n  ")
        else:
            try:
                pieces = fast.pieces(value, "\n  ")
            except TypeError:  # orjson's JSONEncodeError too
                _write(value, out, "\n  ", chunks)
            else:
                out.append(pieces[0])
                for piece in pieces[1:]:
                    chunks.append(_safe("".join(out)))
                    out = [piece]
        chunks.append(_safe("".join(out)))
    chunks.append("\n}\n")
    return "".join(chunks)


def _safe(text: str) -> str:
    """``json_safe(text)``, which leaves ASCII text without DEL and ``##[`` as it is: everything
    written here went through a JSON encoder's escaping, which writes every control below
    U+0020 as an escape, so a scan of such text would find nothing to change."""
    if text.isascii() and "\x7f" not in text and "##[" not in text:
        return text
    return json_safe(text)


SHARED = (AdoptionCell, TermCell)
"""Values the report makes once and shares between rows (equal cells): each is converted once."""


class _Fast:
    """Writes report values with orjson, as ``_write`` does: the dataclasses as mappings of
    their ``_fields``, dates as ISO text, shares (``Fraction``) as numbers; a long list a
    thousand items at a time, each batch's text indented for its depth.

    Raises TypeError for what orjson would write otherwise than ``json.dumps``: text with lone
    surrogates (names of files that are not UTF-8), integers past 64 bits (orjson refuses
    both), and floats written with an exponent, or not finite (orjson writes ``1e16`` and
    ``null`` where Python writes ``1e+16`` and ``NaN``)."""

    def __init__(self) -> None:
        import orjson

        self.dumps = orjson.dumps
        self.option = (
            orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
        )
        self.converters: dict[type, Callable[[Any], Any]] = {dt.date: dt.date.isoformat}
        self.shared: dict[int, dict[str, Any]] = {}

    def pieces(self, value: Any, newline: str) -> list[str]:
        """The text of ``value`` at the indent ``newline``, in pieces of at most ``LONG`` items."""
        if type(value) not in (tuple, list) or len(value) <= LONG:
            return [self.text(value).replace("\n", newline)]
        pieces = ["["]
        for start in range(0, len(value), LONG):
            inner = self.text(value[start : start + LONG])[1:-2]  # "\n  item,\n  item"
            pieces.append(("," if start else "") + inner.replace("\n", newline))
        pieces.append(newline + "]")
        return pieces

    def text(self, value: Any) -> str:
        return self.dumps(value, default=self.convert, option=self.option).decode()

    def convert(self, value: Any) -> Any:
        """What orjson is given for a value it does not know (``to_data``'s conversion)."""
        converter = self.converters.get(type(value))
        if converter is None:
            converter = self.converters[type(value)] = self.converter(type(value))
        return converter(value)

    def converter(self, kind: type) -> Callable[[Any], Any]:
        """How values of ``kind`` are converted: a function made once per type."""
        if issubclass(kind, Ratio):
            return lambda r: {"part": r.part, "whole": r.whole, "percent": _plain(r.percent)}
        if dataclasses.is_dataclass(kind):
            names = _fields(kind)
            get = attrgetter(*names) if len(names) > 1 else (lambda v: (getattr(v, names[0]),))
            floats = [i for i, n in enumerate(names) if "float" in _annotation(kind, n)]
            if kind in SHARED:  # equal cells are one object: converted once
                shared = self.shared

                def once(value: Any) -> dict[str, Any]:
                    found = shared.get(id(value))
                    if found is None:
                        found = shared[id(value)] = dict(zip(names, get(value), strict=True))
                    return found

                return once
            if not floats:
                return lambda value: dict(zip(names, get(value), strict=True))

            def checked(value: Any) -> dict[str, Any]:
                members = get(value)
                for i in floats:
                    if type(members[i]) is float:
                        _plain(members[i])
                return dict(zip(names, members, strict=True))

            return checked
        if issubclass(kind, Fraction):
            return lambda f: _plain(float(f))
        if issubclass(kind, dt.date):
            return kind.isoformat
        raise TypeError(f"{kind.__name__} is written by _write")


def _annotation(kind: type, name: str) -> str:
    """The type a member of a report dataclass is declared with (a property's return type)."""
    for member in dataclasses.fields(kind):
        if member.name == name:
            return str(member.type)
    return str(getattr(kind, name).fget.__annotations__.get("return", "float"))


def _plain(value: float | None) -> float | None:
    """``value``, if orjson writes it as ``float.__repr__`` does (a fixed-point number)."""
    if value is None or value == 0 or (1e-4 <= abs(value) < 1e16 and math.isfinite(value)):
        return value
    raise TypeError(f"{value!r} is written by _write")


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
