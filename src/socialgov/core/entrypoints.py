"""Installed entry points (rule plugins, rule packs), found without importing from the folder
being checked: a pull request to a policy repository cannot bring code its CI would run."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


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


def installed_entry_points(group: str, untrusted: Iterable[Path] = ()) -> Iterator[tuple[Any, Any]]:
    """Each entry point of ``group`` among the installed distributions, once, with its
    distribution, found with the current folder and ``untrusted`` folders off ``sys.path``."""
    from importlib.metadata import distributions

    with without_untrusted_paths(untrusted) as path:
        seen: set[tuple[str, str]] = set()
        for dist in distributions(path=path):
            for entry in dist.entry_points:
                if entry.group != group or (entry.name, entry.value) in seen:
                    continue
                seen.add((entry.name, entry.value))
                yield entry, dist
