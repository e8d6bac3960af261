"""Message templates of custom rules: ``{kind} {id} states '{value}', others state {others}``.

A template is parsed once, when the rule is compiled, and every placeholder is checked: only plain
names and dotted field paths (``{owner.name}``, ``{terms.service_hours}``) are allowed. Nothing
reaches Python objects: there is no ``str.format``, no attribute or index access, no conversion
(``!r``) and no format specification (``:>99999``), so ``{__class__}``, ``{id.__class__}``,
``{0}`` or ``{id[0]}`` are errors reported on the rule, never evaluated. Values are rendered by
:func:`render_value` and cut to a bounded length.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from socialgov.core.text import MAX_MESSAGE, bounded, number_text
from socialgov.lang.selectors import MISSING

MAX_VALUE_CHARS = 200
NOT_SET = "(not set)"
_NAME = re.compile(r"^[A-Za-z0-9-][A-Za-z0-9_-]*(\.[A-Za-z0-9-][A-Za-z0-9_-]*)*$")


class TemplateError(ValueError):
    """Placeholders that are not allowed; each message says which and what to write instead."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed template: literal text and placeholder names, alternating."""

    text: str
    pieces: tuple[tuple[str, str | None], ...]
    """(literal text, placeholder name or None) pairs, in order."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.pieces if name is not None)

    def render(self, lookup: Callable[[str], Any]) -> str:
        """The message, with each placeholder replaced by ``render_value(lookup(name))``; it
        stops at MAX_MESSAGE characters, so a template of thousands of placeholders costs no
        more than a message can hold."""
        out: list[str] = []
        length = 0
        for literal, name in self.pieces:
            out.append(literal)
            length += len(literal)
            if name is not None and length <= MAX_MESSAGE:
                value = render_value(lookup(name))
                out.append(value)
                length += len(value)
            if length > MAX_MESSAGE:
                break
        return bounded("".join(out), MAX_MESSAGE) if length > MAX_MESSAGE else "".join(out)


def parse_template(text: str) -> Template:
    """Parse and check ``text``; raise :class:`TemplateError` listing every bad placeholder."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(
            [f"{exc}; write {{{{ and }}}} for literal braces, and {{name}} for a field"]
        ) from None
    pieces: list[tuple[str, str | None]] = []
    problems: list[str] = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            pieces.append((literal, None))
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "")
        shown += (f":{spec}" if spec else "") + "}"
        problem = _check_name(name, shown)
        if problem is None and conversion:
            problem = (
                f"{shown}: conversions such as !{conversion} are not allowed; write {{{name}}}"
            )
        if problem is None and spec:
            problem = (
                f"{shown}: format specifications (after ':') are not allowed; write {{{name}}}"
            )
        if problem is not None:
            problems.append(problem)
        pieces.append((literal, name))
    if problems:
        raise TemplateError(problems)
    return Template(text, tuple(pieces))


def _check_name(name: str, shown: str) -> str | None:
    if not name:
        return "{} (an empty placeholder) is not allowed; name a field, such as {id} or {value}"
    if "[" in name or "]" in name:
        return (
            f"{shown}: index access is not allowed; name a field by its dotted path, "
            "such as {terms.service_hours}"
        )
    if name.split(".", 1)[0].isdigit():
        return f"{shown}: positional placeholders are not allowed; name a field, such as {{id}}"
    if any(part.startswith("_") for part in name.split(".")):
        return (
            f"{shown}: names starting with '_' are not allowed; use entity fields and "
            "id, kind, value, others"
        )
    if not _NAME.match(name):
        return (
            f"{shown}: only field names and dotted field paths are allowed, such as {{id}} "
            "or {owner.name}"
        )
    return None


def render_value(value: Any) -> str:
    """A value as a person reads it in a message: YAML-like, bounded in length. Rendering stops
    once the text is longer than the bound, so a list of a million aliased items costs no more
    than a short one."""
    text = _render(value, depth=0)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def _render(value: Any, depth: int) -> str:
    if value is MISSING or value is None:
        return NOT_SET
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value[: MAX_VALUE_CHARS + 1]
    if isinstance(value, int):
        return number_text(value)
    if isinstance(value, float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if depth > 3:
        return "…"
    if isinstance(value, Mapping):
        return "{" + _join((f"{k}: {_render(v, depth + 1)}" for k, v in value.items())) + "}"
    if isinstance(value, list | tuple):
        return _join(_render(item, depth + 1) for item in value)
    return type(value).__name__


def _join(parts: Iterable[str]) -> str:
    """``", ".join(parts)``, stopping once the text is past MAX_VALUE_CHARS."""
    out: list[str] = []
    length = 0
    for part in parts:
        out.append(part)
        length += len(part) + 2
        if length > MAX_VALUE_CHARS:
            break
    return ", ".join(out)
