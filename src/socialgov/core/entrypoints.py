"""Installed entry points (rule plugins, rule packs), found without importing from the folder
being checked: a pull request to a policy repository cannot bring code its CI would run."""

from __future__ import annotations

import contextlib
import importlib.machinery
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

_PATH_FINDER = importlib.machinery.PathFinder


@contextlib.contextmanager
def without_untrusted_paths(untrusted: Iterable[Path]) -> Iterator[list[str]]:
    """``sys.path`` without the current folder and ``untrusted`` folders, restored afterwards."""
    banned = {Path.cwd().resolve(), *(p.resolve() for p in untrusted)}
    saved = list(sys.path)

    def trusted(entry: str) -> bool:
        if entry == "":
            return False
        try:
            return Path(entry).resolve() not in banned
        except OSError:
            return False

    sys.path[:] = [entry for entry in saved if trusted(entry)]
    try:
        yield list(sys.path)
    finally:
        sys.path[:] = saved


METADATA_SUFFIXES = (".dist-info", ".egg-info")
"""How the metadata folder of an installed distribution is named (``pyyaml-6.0.3.dist-info``)."""


def metadata_folders(folder: str) -> list[str] | None:
    """The metadata folders in ``folder`` of ``sys.path``, as importlib.metadata finds them (an
    unzipped egg's ``EGG-INFO`` among them); None when it cannot be listed (a zip file, or
    gone)."""
    egg = folder.rstrip("/\\").lower().endswith(".egg")
    try:
        return [
            name
            for name in os.listdir(folder)
            if name.lower().endswith(METADATA_SUFFIXES) or (egg and name.lower() == "egg-info")
        ]
    except OSError:
        return None


def _declared_nowhere(group: str, path: Iterable[str]) -> bool:
    """True when no distribution on ``path`` can declare an entry point of ``group``: every
    distribution is a metadata folder in a folder of ``path`` (:func:`metadata_folders`), and no
    ``entry_points.txt`` of theirs names the group. A look at a few small files that spares
    importing importlib.metadata and reading every distribution's metadata (about 20 ms) when no
    plugin is installed, the usual case. When it cannot tell (a zip file on the path, or an
    import hook that finds distributions of its own), False: importlib.metadata decides."""
    if any(
        getattr(finder, "find_distributions", None) is not None and finder is not _PATH_FINDER
        for finder in sys.meta_path
    ):
        return False
    for entry in path:
        folder = entry or "."
        names = metadata_folders(folder)
        if names is None:
            if os.path.exists(folder):
                return False  # a zip file: importlib.metadata reads inside it
            continue
        for name in names:
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                    if group.encode() in handle.read():
                        return False
            except OSError:
                continue  # no entry points (or none readable, as importlib.metadata finds)
    return True


def installed_entry_points(group: str, untrusted: Iterable[Path] = ()) -> Iterator[tuple[Any, Any]]:
    """Each entry point of ``group`` among the installed distributions, once, with its
    distribution, found with the current folder and ``untrusted`` folders off ``sys.path``."""
    with without_untrusted_paths(untrusted) as path:
        if _declared_nowhere(group, path):
            return
        from importlib.metadata import distributions

        seen: set[tuple[str, str]] = set()
        for dist in distributions(path=path):
            for entry in dist.entry_points:
                if entry.group != group or (entry.name, entry.value) in seen:
                    continue
                seen.add((entry.name, entry.value))
                yield entry, dist
