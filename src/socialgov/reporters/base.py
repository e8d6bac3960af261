"""What every reporter shares: options, display paths and safe text."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.core.findings import Finding, Severity, counts

if TYPE_CHECKING:
    from socialgov.report.result import LintResult


@dataclass(frozen=True)
class ReportOptions:
    """How the reporters of ``lint`` write: colour, quiet, suppressed findings, statistics."""

    color: bool = False
    quiet: bool = False
    show_suppressed: bool = False
    statistics: bool = False
    cwd: Path | None = None
    annotations: bool = False
    """Also emit GitHub Actions annotation commands (text format under GITHUB_ACTIONS=true)."""


def display_paths(root: Path, cwd: Path) -> Callable[[str], str]:
    """How a report shows the paths of ``root``'s files (relative, with ``/``) to a person at
    ``cwd`` (resolved): as they would type them, relative to ``cwd`` when the file is under it
    or at most two folders up, else in full. Each folder's form is worked out once per report
    (a 100,000-account repository's findings name thousands of files in far fewer folders),
    and from its parent's form and its name but for cwd and the folders holding it (pathlib and
    os.path.relpath, ~45 µs a folder, were a quarter of the stranger's 5,000-account text
    report)."""
    folders: dict[str, str] = {}
    try:
        here = cwd.relative_to(os.path.abspath(root)).as_posix()  # cwd inside the repository
    except ValueError:
        here = None

    def folder_shown(folder: str) -> str:
        """``folder``'s form with a ``/`` to put a name after (``""`` for the current folder)."""
        below: list[str] = []  # the folders made from their parent's form and their name
        if not _unplain(folder):
            while folder and folder not in folders and not _holds(folder, here):
                below.append(folder)
                folder = folder.rpartition("/")[0]
        if folder not in folders:
            above = _display_path(root, folder, cwd)
            folders[folder] = "" if above == "." else above.rstrip("/") + "/"
        form = folders[folder]
        for made in reversed(below):
            form = folders[made] = f"{form}{made.rpartition('/')[2]}/"
        return form

    def shown(relpath: str) -> str:
        folder, _, name = relpath.rpartition("/")
        if name in ("", ".", "..") or _holds(relpath, here):
            # a folder's own path (a folder that cannot be read), cwd at or inside it
            return _display_path(root, relpath, cwd)
        try:
            return folders[folder] + name
        except KeyError:
            return folder_shown(folder) + name

    return shown


def _unplain(relpath: str) -> bool:
    """Whether ``relpath`` has an empty, ``.`` or ``..`` part (or starts with ``/``)."""
    parts = f"/{relpath}/"
    return "//" in parts or "/./" in parts or "/../" in parts


def _holds(folder: str, here: str | None) -> bool:
    """Whether ``folder`` is the current folder ``here`` (relative to the root) or holds it."""
    return here is not None and (here == folder or here.startswith(folder + "/"))


def _display_path(root: Path, relpath: str, cwd: Path) -> str:
    """One path of ``root`` as :func:`display_paths` shows it."""
    full = root / relpath
    try:
        return full.relative_to(cwd).as_posix()
    except ValueError:
        rel = Path(os.path.relpath(full, cwd)).as_posix()
        return full.as_posix() if rel.split("/", 3)[:3] == ["..", "..", ".."] else rel


def summary_counts(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, int]:
    by_severity = counts(findings)
    return {
        "errors": by_severity[Severity.ERROR],
        "warnings": by_severity[Severity.WARNING],
        "info": by_severity[Severity.INFO],
    }


def shown_findings(result: LintResult, options: ReportOptions) -> list[Finding]:
    """What a report lists: the reported findings, then, with ``--show-suppressed``, the
    findings waivers suppress and the unused waivers."""
    findings = list(result.findings)
    if options.show_suppressed:
        findings.extend(result.suppressed)
        findings.extend(result.unused_waivers)
    return findings


def repository_root(root: Path) -> Path:
    """The version-control checkout holding the policy repository: the nearest folder, from
    ``root`` upward, with a ``.git`` entry (a folder, or a file in a worktree); ``root`` itself
    when there is none. CI consumers (code scanning, merge requests) want paths relative to it."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def repository_path(result: LintResult, relpath: str) -> str:
    """A finding's path relative to the checkout's root, with ``/``: ``policy/accounts/x.yaml``
    when the policy repository is the ``policy`` folder of a larger git repository."""
    return repository_paths(result)(relpath)


def repository_paths(result: LintResult) -> Callable[[str], str]:
    """:func:`repository_path` for the findings of one report: the checkout is looked for once
    (it takes a file-system look-up per folder up to it), not once per finding."""
    root = result.config.root
    prefix = root.relative_to(repository_root(root)).as_posix()
    if prefix in ("", "."):
        return _same_path
    return lambda relpath: f"{prefix}/{relpath}"


def _same_path(relpath: str) -> str:
    return relpath


def rule_title(finding: Finding) -> str:
    """``SG101 schema-violation``: how reports name a finding's rule."""
    return f"{finding.code} {finding.name}"
