"""``--format json``: the whole report as versioned JSON (documented in docs/audit.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Iterator
from fractions import Fraction
from json.encoder import encode_basestring
from typing import Any

from socialgov.audit.renderers import RenderOptions
from socialgov.audit.report import AuditReport, Ratio, Ref
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
    """``json_text(document(report))``, written straight from the report (see :func:`write`)."""
    chunks: list[Piece] = []
    write(report, options, chunks.append)
    return b"".join(chunks).decode("utf-8")


Piece = bytes | memoryview
"""A piece of the JSON as UTF-8: what orjson wrote, or a view of it."""


def write(report: AuditReport, options: RenderOptions, put: Callable[[Piece], None]) -> None:
    """:func:`render`'s text as UTF-8, handed to ``put`` a piece at a time: no copy of the
    report as dictionaries and lists, and never the whole text at once (a report of 100,000
    channels is hundreds of megabytes of JSON), nor decoded to be encoded again on its way out
    (socialgov.core.output takes UTF-8 pieces).

    orjson writes each section, in Rust: the report's dataclasses (their fields, derived
    members included: see ``values.derived``), dates and lists, calling back only for a share
    (``Fraction``); a long list ``LONG`` items at a time. What it would write otherwise than
    ``json.dumps``, or refuses (text with lone surrogates, from names of files that are not
    UTF-8; an integer past 64 bits), is written by ``_write``, in Python: a section orjson
    refuses, the options (YAML's mappings, whose keys may be numbers) and the history (its
    changes in points may be any float). Every piece is ``json_safe``."""
    import orjson

    def dumper(
        option: int, default: Callable[[Any], Any], converted: Converted | None = None
    ) -> Callable[[Any, int], Piece]:
        def dumps(value: Any, depth: int) -> Piece:
            if converted is not None:  # the fields of a list's items are two levels in
                kind = type(value)
                items = (kind is tuple or kind is list) and value
                converted.items = (type(value[0]), depth + 2) if items else None
            # orjson indents ``value`` as it would inside ``depth`` objects: it is written
            # inside them, and a view of its bytes without the text around them handed on
            # (no copy, where moving every line to its depth afterwards is a scan and a copy)
            for _ in range(depth):
                value = {"": value}
            data = orjson.dumps(value, default=default, option=option)
            opening, closing = _around(depth)
            view = memoryview(data)[opening : len(data) - closing]
            if _clean(data):
                return view
            return json_safe(str(view, "utf-8")).encode("utf-8")

        return dumps

    # orjson reads a dataclass with slots a field at a time, by name, with a check of each
    # field's kind (every report class is a ``report.Written``, so that it asks no object for
    # a ``__dict__`` in vain): faster than a call back to Python making it a dictionary, for
    # a row of many fields (a channel's 35) and a small value alike (a Ref, a review, an
    # issue); only the adoption matrix goes through ``_as_dict`` (OPT_PASSTHROUGH_DATACLASS
    # hands it there), whose rows share their tuples of cells (see _cells)
    native = dumper(orjson.OPT_INDENT_2, _share)
    # the lists of cells made for this report (see _cells), dropped with it
    converted = Converted(getattr(orjson, "Fragment", None))
    as_dicts = dumper(
        orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS, _as_dict(converted), converted
    )

    def put_text(text: str) -> None:
        put(_safe(text).encode("utf-8"))

    put_text('{\n  "version": ' + int.__repr__(VERSION) + ',\n  "kind": ' + _string(KIND))
    for name in _fields(AuditReport):
        value = getattr(report, name)
        if name in OPTIONAL and value is None:
            continue
        out = [",\n  " + _string(name) + ": "]
        if name == "options":
            _write_mapping(report.options, out, "\n  ")
        elif name == "history":
            _write(value, out, "\n  ", put_text)
        else:
            put_text(out[0])
            for piece in _pieces(as_dicts if name in _CONVERTED else native, value, "\n  "):
                put(piece)
            continue
        put_text("".join(out))
    put(b"\n}\n")


def _share(value: Any) -> float:
    """A ``Fraction`` as the number orjson writes, when it writes it as ``json.dumps`` does."""
    if isinstance(value, Fraction) and _fixed(number := float(value)):
        return number
    raise TypeError(f"{type(value).__name__} is written by _write")


_CONVERTED = frozenset({"adoption"})
"""The sections whose dataclasses orjson hands to ``_as_dict`` (the others it writes itself):
the adoption matrix, whose rows' cells are one tuple wherever equal, each tuple's list of
dictionaries made once (orjson writing each row's cells itself took a quarter longer:
53.4 -> 66.6 M instructions on the human-style 5,000-account tree's 4,854 rows)."""


def _as_dict(converted: Converted) -> Callable[[Any], Any]:
    """orjson's ``default`` for one report: a report dataclass as the dictionary of its fields
    (derived members included), as orjson would write it; a share as :func:`_share` writes it.
    ``converted``: the lists of cells made for the report so far (see :func:`_cells`)."""

    def as_dict(value: Any) -> Any:
        convert = _CONVERTERS.get(type(value))  # (the usual case: one look-up a value)
        if convert is None:
            if not dataclasses.is_dataclass(value) or isinstance(value, type):
                return _share(value)
            convert = _converter_of(type(value))
        return convert(value, converted)

    return as_dict


_CONVERTERS: dict[type, Callable[[Any, Converted], dict[str, Any]]] = {}


def _converter_of(kind: type) -> Callable[[Any, Converted], dict[str, Any]]:
    """The dictionary maker of a report dataclass ``kind`` (:func:`_converter`), made once."""
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert


def _converter(kind: type) -> Callable[[Any, Converted], dict[str, Any]]:
    """A function making the dictionary of a ``kind``'s fields, in their order, in one
    expression (one call, where a loop over the fields is one a field).

    What orjson would hand back for each row of a long list is made here too: a ``Ref`` field
    is made its dictionary in the same expression, and a field of cells (``_CELLS``: a few
    distinct cells, shared by every row) the list of their dictionaries, each made once."""
    members = []
    for spec in dataclasses.fields(kind):
        name = spec.name
        if name.startswith("_"):
            continue
        if spec.type == "Ref":
            inner = ", ".join(f"{member!r}: value.{name}.{member}" for member in _fields(Ref))
            members.append(f"{name!r}: {{{inner}}}")
        elif spec.type in _CELLS:
            members.append(f"{name!r}: cells(value.{name}, converted, value)")
        else:
            members.append(f"{name!r}: value.{name}")
    space: dict[str, Any] = {"cells": _cells}
    exec(f"def convert(value, converted):\n    return {{{', '.join(members)}}}", space)
    convert: Callable[[Any, Converted], dict[str, Any]] = space["convert"]
    return convert


_CELLS = frozenset({"tuple[AdoptionCell, ...]"})
"""The fields of cells: an adoption row's (one tuple shared by the rows of equal cells)."""


class Converted:
    """What the writer of one report made of its tuples of cells, and where it writes."""

    __slots__ = ("fragment", "items", "lists")

    def __init__(self, fragment: Callable[[bytes], Any] | None = None) -> None:
        self.fragment = fragment
        """``orjson.Fragment`` (orjson 3.10 and later): JSON orjson copies as it is."""
        self.lists: dict[int, tuple[tuple[Any, ...], list[Any], dict[int, Any]]] = {}
        """By each tuple's ``id``: the tuple (which keeps its ``id`` from being reused while
        it is here), the list of its cells' dictionaries, and its JSON (an orjson
        ``Fragment``) by the indent it was written at."""
        self.items: tuple[type, int] | None = None
        """The kind of the items of the list orjson is writing, and how many levels in their
        fields are (None: it is not writing a list)."""


def _cells(cells: tuple[Any, ...], converted: Converted, owner: Any) -> Any:
    """The dictionaries of ``cells`` (the field of ``owner``), each distinct cell's made once;
    a tuple met before in the report (``converted``) gives the same list. Where ``owner`` is
    an item of the list orjson writes (an adoption row), the list's JSON instead,
    indented as it is there, written by orjson once for each tuple (rows of equal cells share
    one): orjson copies it, where it would write each row's cells again."""
    known = converted.lists.get(id(cells))
    if known is None or known[0] is not cells:
        made: dict[int, Any] = {}  # by the cell's ``id``: every cell is alive in ``cells``
        listed = []
        for cell in cells:
            found = made.get(id(cell))
            if found is None:
                found = made[id(cell)] = _converter_of(type(cell))(cell, converted)
            listed.append(found)
        known = converted.lists[id(cells)] = (cells, listed, {})
    items = converted.items
    fragment = converted.fragment
    if items is None or type(owner) is not items[0] or fragment is None:
        return known[1]
    level = items[1]
    written = known[2].get(level)
    if written is None:
        import orjson

        text = orjson.dumps(known[1], option=orjson.OPT_INDENT_2)
        written = known[2][level] = fragment(text.replace(b"\n", b"\n" + b"  " * level))
    return written


def _around(depth: int) -> tuple[int, int]:
    """How many bytes orjson writes before and after a value it indents inside ``depth``
    objects, each with one member whose name is empty: ``{``, a line break, the indent and
    ``"": `` for each before; a line break, the indent and ``}`` for each after."""
    return (
        sum(len('{\n  "": ') + 2 * level for level in range(depth)),
        sum(len("\n}") + 2 * level for level in range(depth)),
    )


def _pieces(dumps: Callable[[Any, int], Piece], value: Any, newline: str) -> Iterator[Piece]:
    """The JSON of ``value`` at the indent ``newline``, as UTF-8 made ``json_safe``, a long
    list a piece of ``LONG`` items at a time (orjson writes a list of them; its brackets are
    left out, its lines indented). What orjson refuses (a TypeError) is written by ``_write``:
    the value, or the batch. A dataclass holding a long list somewhere in its fields (the
    adoption matrix: a row per live channel) is written a field at a time, as orjson writes
    it, so that its list is too."""
    if _holds_long_list(value):
        inner = newline + "  "
        opening = "{"
        for name in _fields(type(value)):
            yield (opening + inner + _string(name) + ": ").encode("utf-8")
            yield from _pieces(dumps, getattr(value, name), inner)
            opening = ","
        yield (newline + "}").encode("utf-8")
        return
    depth = (len(newline) - 1) // 2  # newline: a line break and two spaces a level
    if type(value) not in (tuple, list) or len(value) <= LONG:
        try:
            yield dumps(value, depth)
        except TypeError:  # orjson's JSONEncodeError is one
            out: list[str] = []
            _write(value, out, newline)
            yield _safe("".join(out)).encode("utf-8")
        return
    inner = newline + "  "
    yield b"["
    for start in range(0, len(value), LONG):
        batch = value[start : start + LONG]
        if start:
            yield b","
        try:
            # "\n  item,\n  item" at its depth: what orjson writes between "[" and the line
            # break before "]"
            yield dumps(batch, depth)[1 : -len(newline) - 1]
        except TypeError:
            out = []
            for item in batch:
                out.append(("," if out else "") + inner)
                _write(item, out, inner)
            yield _safe("".join(out)).encode("utf-8")
    yield (newline + "]").encode("utf-8")


def _holds_long_list(value: Any) -> bool:
    """Whether ``value`` is a report dataclass with a list longer than ``LONG`` among its
    fields, or in a dataclass among them."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return False
    for name in _fields(type(value)):
        field = getattr(value, name)
        if type(field) in (tuple, list) and len(field) > LONG:
            return True
        if _holds_long_list(field):
            return True
    return False


def _fixed(number: float) -> bool:
    """Whether ``float.__repr__`` writes ``number`` without an exponent, as orjson does."""
    return number == 0 or (1e-4 <= abs(number) < 1e16 and math.isfinite(number))


def _clean(written: bytes) -> bool:
    """Whether orjson's ``written`` UTF-8 holds nothing ``json_safe`` changes, looked for as
    bytes (a search in C each) rather than by a regular expression's scan of every character
    of the decoded text. orjson writes every control below U+0020 as an escape and refuses
    lone surrogates; what is left is DEL, ``##[`` and, in text that is not ASCII, the C1
    controls (UTF-8 lead byte C2), U+061C (D8) and the marks, separators and bidirectional
    controls of U+2000-U+206F (E2). Text with one of those lead bytes (some letters and
    punctuation have them too: a no-break space, a dash) is scanned as before. Each byte is
    looked for by ``in`` (``memchr``), ASCII text too: ``isascii`` first read every byte of
    every piece, about 9 M instructions for the human-style 5,000-account report's 10 MB."""
    return not (
        b"\x7f" in written
        or _holds_command(written)
        or b"\xc2" in written
        or b"\xd8" in written
        or b"\xe2" in written
    )


def _holds_command(written: bytes) -> bool:
    """Whether ``written`` holds ``##[`` (what starts a CI workflow command).

    Each ``#`` is found by ``find`` (``memchr``: many gigabytes a second) and the two bytes
    after it compared: a search for the three bytes at once (``in``) steps through the text a
    byte at a time, about 1 GB/s, and the human-style tree's report holds ``#`` in one piece of
    two (in names such as ``IN #20046``). Past ``_FEW`` of them in one piece, ``in`` does it."""
    find = written.find
    at = find(b"#")
    for _ in range(_FEW):
        if at < 0:
            return False
        if written.startswith(b"#[", at + 1):
            return True
        at = find(b"#", at + 1)
    return at >= 0 and b"##[" in written


_FEW = 4096
"""How many ``#`` of one piece :func:`_holds_command` looks at one by one."""


def _safe(text: str) -> str:
    """``json_safe(text)``, which leaves ASCII text without DEL and ``##[`` as it is: everything
    written here went through a JSON encoder's escaping, which writes every control below
    U+0020 as an escape, so a scan of such text would find nothing to change."""
    if text.isascii() and "\x7f" not in text and ("#" not in text or "##[" not in text):
        return text
    return json_safe(text)


_string = encode_basestring

LONG = 1000
"""A list longer than this is written to text this many items at a time."""


def _fields(kind: type) -> tuple[str, ...]:
    """The JSON members of a report dataclass: its fields (derived members included), but, as
    orjson writes a dataclass, none whose name starts with ``_``."""
    return tuple(f.name for f in dataclasses.fields(kind) if not f.name.startswith("_"))


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


def _write(
    value: Any, out: list[str], newline: str, done: Callable[[str], None] | None = None
) -> None:
    """Append the JSON of ``to_data(value)``, as ``indented_json`` writes it, to ``out``;
    ``newline`` is a line break and the current indent. Given ``done``, the text of a long
    list's items is handed to it as it is written (``out`` then holds what follows them)."""
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
                done(json_safe("".join(out)))  # type: ignore[misc]
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
