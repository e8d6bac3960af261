"""``--format json``: the whole report as versioned JSON (documented in docs/audit.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from fractions import Fraction
from json.encoder import encode_basestring
from typing import Any

from socialgov.audit.renderers import RenderOptions
from socialgov.audit.report import AuditReport, Ratio
from socialgov.core.escape import indented_json, json_safe

VERSION = 1
KIND = "socialgov-audit"


def to_data(value: Any) -> Any:
    """Plain JSON data for a report value: dates as ISO text, shares as numbers."""
    if isinstance(value, Ratio):
        return {"part": value.part, "whole": value.whole, "percent": value.percent}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
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
    dictionaries and lists.

    orjson writes it, in Rust: the report's dataclasses (their fields, derived members
    included: see ``report._derived``), dates and lists, calling back only for a share
    (``Fraction``). What it would write otherwise than ``json.dumps``, or refuses (text with
    lone surrogates, from names of files that are not UTF-8; an integer past 64 bits; a float
    with an exponent), is written by ``_write``, in Python: the history (its changes in points
    may be any float), options that are not plain text, numbers and lists, and any section
    orjson refuses."""
    import orjson

    if report.history is None and all(_plain(value) for _, value in report.options):
        document = {"version": VERSION, "kind": KIND}
        for name in _fields(AuditReport):
            value = getattr(report, name)
            if name in OPTIONAL and value is None:
                continue
            document[name] = dict(report.options) if name == "options" else value
        option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        try:
            data = orjson.dumps(document, default=_share, option=option)
        except TypeError:  # orjson's JSONEncodeError is one
            pass
        else:
            return _escaped(data)
    return _by_section(report, orjson)


def _plain(value: Any) -> bool:
    """Whether orjson writes an option's value as ``json.dumps`` does."""
    kind = type(value)
    if kind in (str, bool, int) or value is None or kind is dt.date:
        return True
    if kind is float:
        return _fixed(value)
    if kind in (tuple, list):
        return all(_plain(item) for item in value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def _fixed(number: float) -> bool:
    """Whether ``float.__repr__`` writes ``number`` without an exponent, as orjson does."""
    return number == 0 or (1e-4 <= abs(number) < 1e16 and math.isfinite(number))


def _escaped(data: bytes) -> str:
    """orjson's UTF-8 as text, made ``json_safe``: it escapes every control below U+0020, so
    only DEL, ``##[`` and characters from U+0080 up may need it, which begin with the bytes
    looked for here (C1 controls, U+061C, U+200E to U+2069); text without them is left as it
    is, unscanned."""
    text = data.decode()
    if (b"#" in data and b"##[" in data) or b"\x7f" in data:
        return json_safe(text)
    if not text.isascii() and (b"\xc2" in data or b"\xd8" in data or b"\xe2" in data):
        return json_safe(text)
    return text


def _by_section(report: AuditReport, orjson: Any) -> str:
    """The JSON a section at a time, each by orjson if it can, else by ``_write``; the text
    joined a piece at a time."""

    def dumps(value: Any) -> str:
        return orjson.dumps(value, default=_share, option=orjson.OPT_INDENT_2).decode()

    chunks = ['{\n  "version": ' + int.__repr__(VERSION), ',\n  "kind": ' + _string(KIND)]
    for name in _fields(AuditReport):
        value = getattr(report, name)
        if name in OPTIONAL and value is None:
            continue
        out = [",\n  " + _string(name) + ": "]
        if name == "options":
            _write_mapping(report.options, out, "\n  ")
        elif name == "history":
            _write(value, out, "\n  ", chunks)
        else:
            try:
                pieces = _pieces(dumps, value, "\n  ")
            except TypeError:
                _write(value, out, "\n  ", chunks)
            else:
                out.append(pieces[0])
                for piece in pieces[1:]:
                    chunks.append(_safe("".join(out)))
                    out = [piece]
        chunks.append(_safe("".join(out)))
    chunks.append("\n}\n")
    return "".join(chunks)


def _share(value: Any) -> float:
    """A ``Fraction`` as the number orjson writes, when it writes it as ``json.dumps`` does."""
    if isinstance(value, Fraction) and _fixed(number := float(value)):
        return number
    raise TypeError(f"{type(value).__name__} is written by _write")


def _pieces(dumps: Callable[[Any], str], value: Any, newline: str) -> list[str]:
    """The text of ``value`` at the indent ``newline``, a long list in pieces of ``LONG``
    items (orjson writes a list of them; its brackets are left out, its lines indented)."""
    if type(value) not in (tuple, list) or len(value) <= LONG:
        return [dumps(value).replace("\n", newline)]
    pieces = ["["]
    for start in range(0, len(value), LONG):
        inner = dumps(value[start : start + LONG])[1:-2]  # "\n  item,\n  item"
        pieces.append(("," if start else "") + inner.replace("\n", newline))
    pieces.append(newline + "]")
    return pieces


def _safe(text: str) -> str:
    """``json_safe(text)``, which leaves ASCII text without DEL and ``##[`` as it is: everything
    written here went through a JSON encoder's escaping, which writes every control below
    U+0020 as an escape, so a scan of such text would find nothing to change."""
    if text.isascii() and "\x7f" not in text and ("#" not in text or "##[" not in text):
        return text
    return json_safe(text)


_string = encode_basestring

LONG = 1000
"""A list longer than this is written to text an item at a time."""


def _fields(kind: type) -> tuple[str, ...]:
    """The JSON members of a report dataclass: its fields (derived members included)."""
    return tuple(f.name for f in dataclasses.fields(kind))


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
