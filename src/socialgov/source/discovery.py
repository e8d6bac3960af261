"""Which files make up a policy repository: include and exclude patterns, hidden files, and
symbolic links that never lead out of the repository (loops survived; each real file read once
even when links make it reachable under several names)."""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialgov.core.findings import Finding

YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_INCLUDE = ("**/*.yaml", "**/*.yml")
"""What a repository without ``include:`` selects: every YAML file, at any depth."""


def discover(
    root: Path, include: Sequence[str], exclude: Sequence[str], max_files: int | None = None
) -> tuple[list[str], list[Finding]]:
    """The repository's YAML files (relative, with ``/``, sorted) and problems met on the way.

    Hidden files and folders are skipped. Symbolic links are followed only when they stay
    inside the root; one that leads outside, a loop, or one that points to nothing is reported
    as a finding and skipped (for a path that ``include`` and ``exclude`` would select). A file
    reachable under several names through links is read once, under its own name when that is
    selected. With ``max_files``, discovery stops once it has found one file more than that.
    """
    return select(_walk(root.resolve()), include, exclude, max_files)


def walk(root: Path) -> list[Entry]:
    """Every non-hidden file under ``root`` and every problem met, as :func:`discover` walks
    them before ``include`` and ``exclude`` choose: what its result depends on besides them."""
    return list(_walk(root.resolve()))


def select(
    entries: Iterable[Entry],
    include: Sequence[str],
    exclude: Sequence[str],
    max_files: int | None = None,
) -> tuple[list[str], list[Finding]]:
    """What :func:`discover` finds among the ``entries`` of a walk."""
    from socialgov.source.loader import syntax_finding

    wanted, wanted_folder = _matchers(include, exclude)

    by_real: dict[str, tuple[bool, str]] = {}
    problems: list[Finding] = []
    for entry in entries:
        if entry.problem:
            selected = wanted_folder(entry.relpath) if entry.folder else wanted(entry.relpath)
            if selected:
                problems.append(syntax_finding(entry.relpath, entry.problem, key="filesystem"))
            continue
        if not wanted(entry.relpath):
            continue
        choice = (entry.via_link, entry.relpath)
        if entry.real not in by_real or choice < by_real[entry.real]:
            by_real[entry.real] = choice
            if max_files is not None and len(by_real) > max_files:
                break
    problems.sort(key=lambda finding: finding.path)
    return sorted(relpath for _, relpath in by_real.values()), problems


def _matchers(
    include: Sequence[str], exclude: Sequence[str]
) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
    """Whether a file, and a folder, is selected by ``include`` and ``exclude``.

    The settings most repositories keep (every YAML file, nothing excluded; a few folders or a
    file-name ending excluded) are answered without the pattern matcher, which costs more than
    all the rest of a small repository's start-up: pathspec imports asyncio, ~155 M
    instructions (:func:`_plain_patterns`). As in a .gitignore, a pattern that matches a folder
    selects everything in it (``notes.yaml/README.md``)."""
    if tuple(include) == DEFAULT_INCLUDE and not exclude:
        return _any_yaml_name, lambda relpath: True
    included = _plain_patterns(include) or _spec("include", include).match_file
    excluded = _plain_patterns(exclude) or _spec("exclude", exclude).match_file

    def wanted(relpath: str) -> bool:
        name = matchable(relpath)
        return included(name) and not excluded(name)

    def wanted_folder(relpath: str) -> bool:
        return not excluded(matchable(relpath) + "/")

    return wanted, wanted_folder


def _any_yaml_name(relpath: str) -> bool:
    """Whether the file, or a folder above it, has a YAML name (what ``**/*.yaml`` and
    ``**/*.yml`` select)."""
    return relpath.endswith(YAML_SUFFIXES) or (
        "/" in relpath and any(part.endswith(YAML_SUFFIXES) for part in relpath.split("/"))
    )


_GLOB = frozenset("*?[]\\!#")
"""Characters that make a part of a pattern more than its literal text (or a comment)."""


def _plain_patterns(patterns: Sequence[str]) -> Callable[[str], bool] | None:
    """``patterns`` as a test of a name (a folder's ending in ``/``), answered as pathspec's
    GitIgnoreSpec answers, when every one is a literal folder or a literal ending: ``drafts/**``,
    ``/archive/``, ``old/``, ``legacy``, ``teams/old``, ``**/templates/**``, ``*.bak.yaml``,
    ``**/*.yml``; None for any other (a glob within a name, a negation, a comment, an escape,
    spaces at either end, a name outside ASCII), which the pattern matcher then reads. Checked
    against pathspec on generated trees and patterns (tests/test_loader.py)."""
    tests = []
    for pattern in patterns:
        test = _plain_pattern(pattern)
        if test is None:
            return None
        tests.append(test)
    if len(tests) == 1:
        return tests[0]
    return lambda name: any(test(name) for test in tests)


def _plain_pattern(pattern: str) -> Callable[[str], bool] | None:
    """One pattern of :func:`_plain_patterns`, or None."""
    if not pattern.isascii() or pattern != pattern.strip():
        return None
    anywhere = pattern.startswith("**/")  # at any depth
    body = pattern[3:] if anywhere else pattern
    if body.startswith("*") and "/" not in body:  # *.bak.yaml: a name (or a folder's) ending so
        ending = body[1:]
        if not ending or _GLOB.intersection(ending):
            return None
        return lambda name: any(part.endswith(ending) for part in name.split("/"))
    rooted = body.startswith("/")
    if rooted:
        if anywhere:
            return None
        body = body[1:]
    below = body.endswith("/**")  # everything inside the folder, not the folder's own name
    if below:
        body = body[:-3]
    folder = not below and body.endswith("/")  # a folder of that name, and what it holds
    if folder:
        body = body[:-1]
    parts = body.split("/")
    if any(part in ("", ".", "..") or _GLOB.intersection(part) for part in parts):
        return None
    inside = body + "/"
    if not anywhere and (rooted or below or len(parts) > 1):  # a slash before the end roots it
        if below or folder:
            return lambda name: name.startswith(inside)
        return lambda name: name.startswith(inside) or name == body
    inside = "/" + inside
    if below or folder:
        return lambda name: inside in "/" + name
    return lambda name: inside in "/" + name + "/"


def matchable(name: str) -> str:
    """A file name as patterns see it: a name that is not UTF-8 (its bytes kept as lone
    surrogates by ``os.fsdecode``) with each such byte read as U+FFFD, so ``*.yaml`` still
    matches it and no matcher has to encode what cannot be encoded."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return name


def _spec(option: str, patterns: Sequence[str]) -> Any:
    """``patterns`` as a gitignore-style matcher, on RE2 when it is installed: a pattern from a
    pull request's socialgov.yaml can then never take more than linear time on a file name
    (Python's ``re`` takes exponential time on some patterns, ``*a*a*a*a*a*a*a*b`` for one)."""
    import pathspec

    from socialgov.core.errors import SocialgovError

    try:
        import re2  # noqa: F401

        backend = "re2"
    except ImportError:  # pragma: no cover - google-re2 is a dependency; a platform may lack it
        backend = None
    try:
        return pathspec.GitIgnoreSpec.from_lines(patterns, backend=backend)
    except ValueError as exc:
        raise SocialgovError(
            f"{option}: {exc}; write it as in a .gitignore file ('**/*.yaml', 'ci/**')"
        ) from None


@dataclass(frozen=True, slots=True)
class Entry:
    """A file (or a problem) met walking the repository: its path as the repository names it,
    its real path, whether a link led there, and the problem, if any."""

    relpath: str
    real: str = ""
    via_link: bool = False
    problem: str = ""
    folder: bool = False


def _walk(root: Path) -> Iterator[Entry]:
    """Every non-hidden file under ``root``, and the problems met; without recursion, and in
    time linear in the number of real folders: each folder is listed once, however many links
    lead to it. The folders reached without a link are walked first, then those only links
    reach, by the smallest name, so that a file is found under its own name when it has one.
    (Walking every path through links is exponential: a chain of folders each linking twice
    to the next has 2^n paths.)"""
    # Each pending folder: its path as the repository names it, its real path, whether a link
    # led there, and the real paths of the folders above it (to recognise loops).
    pending: list[tuple[str, str, bool, frozenset[str]]] = [("", str(root), False, frozenset())]
    linked: list[tuple[str, str, frozenset[str]]] = []  # a heap: folders links lead to
    walked: set[str] = set()
    root_prefix = str(root).rstrip(os.sep) + os.sep
    while pending or linked:
        if not pending:
            relpath, real, above_link = heapq.heappop(linked)
            if real not in walked:
                pending.append((relpath, real, True, above_link))
            continue
        prefix, real_dir, via_link, above = pending.pop()
        if real_dir in walked:
            continue
        walked.add(real_dir)
        above = above | {real_dir}
        try:
            with os.scandir(real_dir) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            yield Entry(
                prefix or ".",
                problem=f"cannot read the folder: {exc.strerror or exc}; give the user running "
                "socialgov access to it, or exclude it in socialgov.yaml",
                folder=True,
            )
            continue
        for entry in reversed(entries):  # reversed: the stack then yields them in order
            if entry.name.startswith("."):
                continue
            relpath = f"{prefix}/{entry.name}" if prefix else entry.name
            try:
                if entry.is_symlink():
                    yield from _link(entry, relpath, root_prefix, above, linked)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((relpath, entry.path, via_link, above))
                elif entry.is_file(follow_symlinks=False):
                    yield Entry(relpath, entry.path, via_link)
                elif entry.name.endswith(YAML_SUFFIXES):
                    yield Entry(relpath, problem=_NOT_REGULAR)
            except OSError as exc:
                yield Entry(relpath, problem=f"cannot inspect this path: {exc.strerror or exc}")


_NOT_REGULAR = (
    "this is not a regular file (a pipe, socket or device) and is not read; remove it or "
    "exclude it in socialgov.yaml"
)


def _link(
    entry: os.DirEntry[str],
    relpath: str,
    root_prefix: str,
    above: frozenset[str],
    linked: list[tuple[str, str, frozenset[str]]],
) -> Iterator[Entry]:
    """Follow the symbolic link ``entry`` only where that is safe; a folder it leads to is
    queued on ``linked`` (walked once, after the folders reached without links)."""
    try:
        real = os.path.realpath(entry.path, strict=True)
    except (OSError, RuntimeError):
        yield Entry(
            relpath,
            problem="this symbolic link points to nothing, or to itself through a loop of "
            "links; fix or remove the link",
        )
        return
    is_dir = os.path.isdir(real)
    if not (real + os.sep).startswith(root_prefix):
        yield Entry(
            relpath,
            problem="this symbolic link leads outside the repository and is not followed; "
            "copy what it points to into the repository instead",
            folder=is_dir,
        )
        return
    if is_dir:
        if real in above:
            yield Entry(
                relpath,
                problem="this symbolic link points to a folder that contains it, a loop, and is "
                "not followed; remove the link",
                folder=True,
            )
            return
        heapq.heappush(linked, (relpath, real, above))
    elif os.path.isfile(real):
        yield Entry(relpath, real, via_link=True)
    elif entry.name.endswith(YAML_SUFFIXES):
        yield Entry(relpath, problem=_NOT_REGULAR)
