"""Audit renderers: one module per format, each with ``render(report, options) -> str``; a
format whose text may be too large to hold whole also has ``write(report, options, put)``,
which hands the same text to ``put`` a piece at a time, as UTF-8.

They only render: every number, verdict and sentence comes from the ``AuditReport``. Modules are
imported when their format is asked for, so the table a terminal shows never loads Jinja2.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socialgov.audit.report import AuditReport


FORMATS: dict[str, str] = {
    "table": "socialgov.audit.renderers.table",
    "markdown": "socialgov.audit.renderers.markdown",
    "html": "socialgov.audit.renderers.html",
    "json": "socialgov.audit.renderers.json",
    "csv": "socialgov.audit.renderers.csv",
}

SHOW_LINES = frozenset({"json", "csv"})
"""The formats that show the line each channel is written on (the others need no positions)."""

ESCAPED = frozenset({"json"})
"""The formats whose text is safe in a CI log as written: JSON whose writer escaped every value
and made it ``json_safe`` (no line break but its own, no ``##[``, every line starting with
indentation and JSON), which the command line then prints without scanning it again."""

SUFFIXES: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".txt": "table",
}


@dataclass(frozen=True)
class RenderOptions:
    """How the audit renderers write: colour and, for the table, its width."""

    color: bool = False
    width: int = 200
    """The table format's longest line, in columns (the terminal's width, else 200)."""


Renderer = Callable[["AuditReport", RenderOptions], str]


def renderer(name: str) -> Renderer:
    """The ``render`` function of the format called ``name``."""
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render


Writer = Callable[["AuditReport", RenderOptions, Callable[[bytes | memoryview], None]], None]
"""A format's ``write``: its text handed on as UTF-8, a piece at a time (see
socialgov.core.files.Writing)."""


def writer(name: str) -> Writer | None:
    """The ``write`` function of the format called ``name``, when it has one."""
    module = importlib.import_module(FORMATS[name])
    write: Writer | None = getattr(module, "write", None)
    return write


def format_for(output: Path | None, requested: str | None) -> str:
    """The format asked for, else the one ``--output``'s suffix names, else ``table``."""
    if requested is not None:
        return requested
    if output is not None:
        return SUFFIXES.get(output.suffix.lower(), "table")
    return "table"
