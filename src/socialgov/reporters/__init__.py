"""Reporters: one module per output format, each with ``render(result, options) -> str``, and
optionally ``caveats(result, options) -> list[str]``, warnings for the user about the report.

Every module of this package but ``base`` is a format, named as its module: a new format is its
module, its tests and its docs (docs/formats.md), nothing else. A module says what it needs of
the run and of the command line with constants: ``TRAILS = True`` (where related entities are
written, resolved before reporting), ``WORKFLOW_COMMANDS = True`` (its lines are CI workflow
commands, printed as they are) and ``STAMPED = True`` (its report carries when or where it was
written, so an unchanged run renders it again instead of writing the last run's). Modules are
imported only when their format is asked for, so that a plain ``socialgov lint`` does not pay for
XML or SARIF at start-up. A format may also define ``write(result, options, put)``, its report
handed to ``put`` a piece at a time, so that a large report is never held whole (see
:class:`Pieces`).
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.core.errors import SocialgovError

if TYPE_CHECKING:
    from socialgov.report.result import LintResult
    from socialgov.reporters.base import ReportOptions

DEFAULT = "text"


def _module_names(folder: str) -> set[str]:
    """The names of the modules and packages in ``folder``, as ``pkgutil.iter_modules`` finds
    them (its import costs ~1.5 M instructions, a warm run's whole need of it being this list)."""
    from importlib.machinery import all_suffixes

    suffixes = sorted(all_suffixes(), key=len, reverse=True)  # the longest first, as inspect's

    def module_name(file: str) -> str | None:
        for suffix in suffixes:
            if file.endswith(suffix):
                return file[: -len(suffix)]
        return None

    names: set[str] = set()
    try:
        entries = list(os.scandir(folder))
    except OSError:  # not a folder (a zip file's path): pkgutil, which reads those too
        import pkgutil

        return {module.name for module in pkgutil.iter_modules([folder])}
    for entry in entries:
        name = module_name(entry.name)
        if name is None and "." not in entry.name and entry.is_dir():
            try:
                inside = os.listdir(entry.path)
            except OSError:
                continue
            if any(module_name(file) == "__init__" for file in inside):
                name = entry.name
        if name and name != "__init__" and "." not in name:
            names.add(name)
    return names


def _formats() -> dict[str, str]:
    """Each format's module by name, the default first (the package's modules, not imported)."""
    names = sorted(
        name
        for name in set().union(*map(_module_names, __path__))
        if not name.startswith("_") and name != "base"
    )
    names.sort(key=lambda name: name != DEFAULT)
    return {name: f"{__name__}.{name}" for name in names}


FORMATS: dict[str, str] = _formats()

Renderer = Callable[["LintResult", "ReportOptions"], str]


def renderer(name: str) -> Renderer:
    """The ``render`` function of the format called ``name``."""
    module = importlib.import_module(FORMATS[name])
    render: Renderer = module.render
    return render


Writer = Callable[["LintResult", "ReportOptions", Callable[[str], None]], None]


def writer(name: str) -> Writer | None:
    """The ``write`` function of the format called ``name``, when it has one."""
    write: Writer | None = getattr(importlib.import_module(FORMATS[name]), "write", None)
    return write


def _says(name: str, constant: str) -> bool:
    return bool(getattr(importlib.import_module(FORMATS[name]), constant, False))


def emits_commands(name: str) -> bool:
    """Whether the format ``name`` writes CI workflow commands (printed as they are)."""
    return _says(name, "WORKFLOW_COMMANDS")


def wants_trails(names: Iterable[str]) -> bool:
    """Whether any of the formats ``names`` shows where a finding's related entities and chain
    are written (a format's module says so with ``TRAILS = True``): the run then resolves them
    (``lint(..., trails=True)``)."""
    return any(_says(name, "TRAILS") for name in names)


def caveats(name: str, result: LintResult, options: ReportOptions) -> list[str]:
    """What the format ``name`` warns about this report (a format may define ``caveats``)."""
    module = importlib.import_module(FORMATS[name])
    warn: Callable[[LintResult, ReportOptions], list[str]] | None = getattr(module, "caveats", None)
    return warn(result, options) if warn is not None else []


def stamped(names: Iterable[str]) -> bool:
    """Whether any of the formats ``names`` writes when or where it was written (``STAMPED =
    True``): such reports are rendered by every run, never taken from the last one."""
    return any(_says(name, "STAMPED") for name in names)


@dataclass(frozen=True)
class Rendered:
    """One report of a run as written: its target, its text, the workflow annotations that
    follow it (``ReportOptions.annotations``) and the format's caveats."""

    target: ReportTarget
    text: str | Pieces
    annotations: str | None
    caveats: tuple[str, ...]


class Pieces:
    """A report written a piece at a time as it is emitted (socialgov.core.files.Writing): called
    with the function that takes each piece. A lint of a stranger's 100,000-account tree finds
    ~490,000 problems; its text report, rendered whole, held its lines and their join (~400 MiB)
    at the run's peak. Kept whole only when it is kept: ``str()`` joins it once (and it is then
    written from that text), and it pickles as its text (the run cache keeps the reports of a
    run as they were written)."""

    __slots__ = ("_text", "_write")

    def __init__(self, write: Callable[[Callable[[str], None]], None]) -> None:
        self._write = write
        self._text: str | None = None

    def __call__(self, put: Callable[[str], None]) -> None:
        if self._text is None:
            self._write(put)
        else:
            put(self._text)

    def __str__(self) -> str:
        if self._text is None:
            pieces: list[str] = []
            self._write(pieces.append)
            self._text = "".join(pieces)
        return self._text

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        return str, (str(self),)


@dataclass(frozen=True)
class Reports:
    """Every report of a run, in the order asked, and the exit code the run ends with."""

    rendered: tuple[Rendered, ...]
    exit_code: int


def render_reports(
    result: LintResult, planned: Sequence[tuple[ReportTarget, ReportOptions]]
) -> Reports:
    """The reports of ``result``, one per target with its options."""
    rendered = []
    for target, options in planned:
        annotations = None
        if options.annotations:  # workflow commands, every value escaped: not made plain
            from socialgov.reporters.github import render as annotate

            annotations = annotate(result, options)
        write = writer(target.format)
        text: str | Pieces = (
            renderer(target.format)(result, options)
            if write is None
            else Pieces(functools.partial(write, result, options))
        )
        rendered.append(
            Rendered(target, text, annotations, tuple(caveats(target.format, result, options)))
        )
    return Reports(tuple(rendered), result.exit_code)


def asked_for(planned: Sequence[tuple[ReportTarget, ReportOptions]], root: Path) -> str | None:
    """What the reports of ``planned`` depend on besides the run's result (each target and its
    options, the folder paths are shown from, and the checkout holding ``root``, which the CI
    formats' paths are relative to), or None when one of them is stamped."""
    if stamped(target.format for target, _ in planned):
        return None
    from socialgov.reporters.base import repository_root

    here = Path.cwd().resolve()
    return repr(
        (
            [
                (target, replace(options, cwd=(options.cwd or here).resolve()))
                for target, options in planned
            ],
            repository_root(root),
        )
    )


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
