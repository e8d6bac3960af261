"""Bounded text: how much of the repository's content any one message, list or report quotes.

A small input can stand for a huge one: one 100,000-character value aliased a million times is
a million nodes (within the node limits) but a hundred gigabytes once every message quotes it.
So nothing a finding or report shows grows with what the input expands to, only with these
bounds (docs/security.md, "Bounded output"):

- :data:`MAX_QUOTE` characters of one value quoted in a message (:func:`bounded`);
- :data:`MAX_MESSAGE` characters of one finding's message (:class:`socialgov.core.findings.Finding`
  cuts longer ones itself, so every rule, built-in, YAML or plugin, is held to it);
- :data:`MAX_RELATED` entities a rule names as related per finding where a finding is made
  per member of a group (``unique``, ``same``), so groups stay linear;
- :func:`number_text` for integers wider than Python will print.

New rules and reporters quote repository values through :func:`bounded` and
:func:`number_text`, and list entities through :func:`bounded_list`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

MAX_QUOTE = 200
"""Characters of one value a message quotes."""
MAX_MESSAGE = 4000
"""Characters of one message (GitHub's runner cuts annotations at 4,096)."""
MAX_RELATED = 100
"""Entities a per-member finding of a group names as related (a per-group finding names all)."""

# Python refuses to turn an int of more than this many digits into text (3.11+), by default.
_MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 0)() or 4300


def bounded(text: str, limit: int = MAX_QUOTE) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was when cut."""
    if len(text) <= limit:
        return text
    note = f"… ({len(text):,} characters)"
    return text[: max(limit - len(note), 1)] + note


def bounded_list(items: Sequence[T], limit: int = MAX_RELATED) -> Sequence[T]:
    """The first ``limit`` of ``items``."""
    return items if len(items) <= limit else items[:limit]


def number_text(value: int) -> str:
    """An integer as text, or, when it is wider than Python prints (thousands of digits), how
    wide it is: ``a 5,000-digit number``. ``str()`` would raise ValueError on such a number."""
    if abs(value).bit_length() < _MAX_DIGITS * 3:  # under ~0.9 of the limit: always printable
        return str(value)
    digits = int(abs(value).bit_length() * 0.30103) + 1
    sign = "a negative " if value < 0 else "a "
    return f"{sign}{digits:,}-digit number"
