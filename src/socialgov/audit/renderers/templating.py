"""Jinja2 environments for the templated formats, with escaping that cannot be forgotten.

HTML uses Jinja2's autoescape. Markdown uses ``finalize``: every ``{{ expression }}`` passes
through ``markdown_escape`` before it reaches the page, so a value from the repository shows as
text whatever it holds; only the template's own literal text is markup.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from socialgov.core.escape import terminal_safe

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
_MENTION = re.compile(r"(?<![\w.])@(?=\w)")


def markdown_escape(value: Any) -> str:
    """Text that markdown (GitHub's included) shows exactly as written, on one table row.

    Control characters show as ``\\xNN``, markup characters are backslash-escaped, ``<``,
    ``>`` and ``&`` become entities (so no HTML gets through), line breaks become spaces, and
    an ``@name`` gets an invisible word joiner after the ``@`` so that a handle in a
    pull-request comment does not notify a GitHub user.
    """
    if value is None:
        return ""
    if isinstance(value, Markup):  # a template's own macro output, marked | safe
        return str(value)
    text = terminal_safe(str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"\s*[\r\n]+\s*", " ", text)
    return _MENTION.sub("@\u2060", text)


def visible(value: Any) -> Any:
    """Control characters in a value made visible (``\\x1b``), before HTML autoescape."""
    if value is None or isinstance(value, Markup) or not isinstance(value, str):
        return value
    return terminal_safe(value)


@cache
def environment(kind: str) -> jinja2.Environment:
    """The environment for ``html`` or ``markdown`` templates."""
    common: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader(TEMPLATES),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if kind == "html":
        return jinja2.Environment(autoescape=True, finalize=visible, **common)
    if kind == "markdown":
        return jinja2.Environment(autoescape=False, finalize=markdown_escape, **common)
    raise ValueError(f"no template environment for {kind!r}")
