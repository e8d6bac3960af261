"""What is installed, told cheaply: the run cache's key needs to know which distributions (and
so which plugins) are installed, and a warm run must not pay for importlib.metadata's scan of
every distribution's metadata to learn that nothing changed.

Installing, upgrading or removing a distribution adds, renames or removes its metadata folder
(``NAME-VERSION.dist-info``, or ``.egg-info``) in a folder of ``sys.path``, which changes that
folder's listing and its modification time. :func:`environment_stamp` digests, for each folder
of the search path, its modification time and the names of the metadata folders in it: one
``stat`` and one listing per folder of ``sys.path``. What the stamp stands for (the plugins'
entry points and where their code lives) is worked out with importlib.metadata only when the
stamp changes, and remembered in the cache (socialgov.speedups.runcache); the plugins' code
itself is read on every run, so an editable plugin's edit is seen at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from socialgov.core.entrypoints import metadata_folders
from socialgov.speedups.digests import digest


def _listing(folder: str) -> tuple[int, tuple[str, ...]] | None:
    """A folder's modification time and the metadata folders in it; None when it is not a
    folder that can be listed (a zip file, or gone)."""
    try:
        modified = os.stat(folder).st_mtime_ns
    except OSError:
        return None
    names = metadata_folders(folder)
    return None if names is None else (modified, tuple(sorted(names)))


def search_path(untrusted: Iterable[Path] = ()) -> list[str]:
    """``sys.path`` as plugins are found on it (socialgov.core.entrypoints): without the
    current folder and the ``untrusted`` folders."""
    from socialgov.core.entrypoints import without_untrusted_paths

    with without_untrusted_paths(untrusted) as path:
        return path


def environment_stamp(path: Sequence[str]) -> bytes:
    """A digest that changes when a distribution is installed, upgraded or removed in a folder
    of ``path``, or the folders holding distributions change places on it.

    A folder without a metadata folder counts for nothing until one appears in it (which changes
    its listing): so ``socialgov`` (whose script's folder is first on ``sys.path``) and ``python
    -m socialgov`` find the same stamp, and share the cache."""
    stamp = digest(f"{sys.version}\0".encode())
    for folder in path:
        listing = _listing(folder)
        if listing is not None and listing[1]:
            stamp.update(repr((folder, listing)).encode("utf-8", "surrogateescape"))
    return stamp.digest()


def installed_versions(names: Iterable[str], path: Sequence[str] | None = None) -> list[str]:
    """The metadata folder of each distribution of ``names`` found first on ``path`` (default
    ``sys.path``), as importlib.metadata would find it; its name holds the version
    (``pyyaml-6.0.3.dist-info``). Distributions not found are left out."""
    wanted = {_normalised(name) for name in names}
    found: dict[str, str] = {}
    for folder in sys.path if path is None else path:
        listing = _listing(folder or ".")
        if listing is None:
            continue
        for entry in listing[1]:
            name = _normalised(entry.split("-", 1)[0])
            if name in wanted and name not in found:
                found[name] = entry
    return [found[name] for name in sorted(found)]


def _normalised(name: str) -> str:
    """A distribution's name as its metadata folder may spell it (PEP 503, with ``_``)."""
    return name.lower().replace("-", "_").replace(".", "_")
