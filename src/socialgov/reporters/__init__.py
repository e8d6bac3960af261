"""Reporters: one module per output format, each with ``render(result, options) -> str``, and
optionally ``caveats(result, options) -> list[str]``, warnings for the user about the report.

Modules are imported only when their format is asked for, so that a plain ``socialgov lint``
does not pay for XML or SARIF at start-up, and this module imports nothing heavy: the command
line takes its list of formats from ``FORMATS`` (a new format is its module, one line here, its
tests and its docs).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.core.errors import SocialgovError

if TYPE_CHECKING:
    from socialgov.report.result import LintResult
    from socialgov.reporters.base import ReportOptions

FORMATS: dict[str, str] = {
    "text": "socialgov.reporters.text",
    "json": "socialgov.reporters.json",
    "sarif": "socialgov.reporters.sarif",
    "junit": "socialgov.reporters.junit",
    "github": "socialgov.reporters.github",
    "gitlab": "socialgov.reporters.gitlab",
    "checkstyle": "socialgov.reporters.checkstyle",
}

Renderer = Callable[["LintResult", "ReportOptions"], str]


def renderer(name: str) -> Renderer:
    """The ``render`` function of the format called ``name``."""
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render


def caveats(name: str, result: LintResult, options: ReportOptions) -> list[str]:
    """What the format ``name`` warns about this report (a format may define ``caveats``)."""
    module = importlib.import_module(FORMATS[name])
    warn: Callable[[LintResult, ReportOptions], list[str]] | None = getattr(module, "caveats", None)
    return warn(result, options) if warn is not None else []


@dataclass(frozen=True)
class ReportTarget:
    """One report of a run: a format and where it goes (None: standard output)."""

    format: str
    output: Path | None = None


def parse_target(text: str) -> ReportTarget:
    """``sarif`` or ``sarif:reports/socialgov.sarif`` (the file after the first colon)."""
    name, sep, path = text.partition(":")
    name = name.strip().lower()
    if name not in FORMATS:
        raise ValueError(
            f"'{name}' is not a report format; use one of {', '.join(FORMATS)} "
            "(optionally with a file: sarif:socialgov.sarif)"
        )
    if sep and not path.strip():
        raise ValueError(f"'{text}' names no file after the colon; write {name}:FILE")
    return ReportTarget(name, Path(path) if sep else None)


def plan_targets(targets: Sequence[ReportTarget], output: Path | None) -> list[ReportTarget]:
    """The reports to write. ``--output`` receives the first ``--format`` that names no file of
    its own (so ``--format sarif --output a.sarif --format text`` reads as it is written); at most
    one other report goes to standard output, and no two reports go to one file."""
    if not targets:
        targets = [ReportTarget("text")]
    planned: list[ReportTarget] = []
    to_stdout: list[str] = []
    for target in targets:
        if target.output is None and output is not None:
            target, output = ReportTarget(target.format, output), None
        elif target.output is None:
            to_stdout.append(target.format)
        planned.append(target)
    if len(to_stdout) > 1:
        raise SocialgovError(
            f"--format {', '.join(to_stdout)}: only one report can go to standard output; give "
            f"the others a file of their own, as in --format {to_stdout[-1]}:socialgov."
            f"{to_stdout[-1]}"
        )
    if output is not None:
        raise SocialgovError("--output has no report to receive: every --format names its own file")
    files = [t.output.resolve() for t in planned if t.output is not None]
    duplicates = sorted({str(f) for f in files if files.count(f) > 1})
    if duplicates:
        raise SocialgovError(f"two reports would be written to {duplicates[0]}; give each its file")
    return planned
