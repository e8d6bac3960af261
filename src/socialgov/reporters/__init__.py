"""Reporters: one module per output format, each with ``render(result, options) -> str``.

Modules are imported only when their format is asked for, so that a plain ``socialgov lint``
does not pay for XML or SARIF at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from socialgov.lint import LintResult
from socialgov.reporters.base import ReportOptions

FORMATS: dict[str, str] = {
    "text": "socialgov.reporters.text",
    "json": "socialgov.reporters.json",
}

Renderer = Callable[[LintResult, ReportOptions], str]


def renderer(name: str) -> Renderer:
    """The ``render`` function of the format called ``name``."""
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render
