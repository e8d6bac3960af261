"""How policy terms are compared and shown: by SG402, SG403 and the audit's term matrix.

Terms are what a presence states publicly, so two values are the same when a reader would read
the same thing: YAML's typing does not count (``24``, ``24.0`` and ``"24"`` are one value, as are
``true`` and ``"true"``), and neither does whitespace around a text. Everything else does: case
(``"v7"`` and ``"V7"`` differ), units written into the text (``"24h"`` and ``24`` differ) and
spacing inside a text.
"""

from __future__ import annotations

import re
from typing import Any

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


def term_key(value: Any) -> str:
    """The form two term values are compared in."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    if _NUMBER.match(text):
        number = float(text)
        return str(int(number)) if number.is_integer() else repr(number)
    return text


def term_key_of(value: Any, texts: dict[str, str]) -> str:
    """:func:`term_key` of ``value``, a text's worked out once: ``texts`` remembers each text's
    key (the same texts are stated on many channels)."""
    if type(value) is not str:
        return term_key(value)
    key = texts.get(value)
    if key is None:
        key = texts[value] = term_key(value)
    return key


def show_term(value: Any) -> str:
    """A term's value as a message quotes it: as written, in single quotes."""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return f"'{text}'"
