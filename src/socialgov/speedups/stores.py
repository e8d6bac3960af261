"""The files the start-up stores keep beside the package's ``.pyc`` files (``classcode.py``'s
dataclass methods, ``regexcode.py``'s pattern programs): where they are, reading one, and
writing one whole or not at all."""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from importlib.util import cache_from_source


def store_path(module_file: str, suffix: str) -> str | None:
    """Beside ``module_file``'s ``.pyc`` file (in ``__pycache__``, or under
    ``PYTHONPYCACHEPREFIX``), named with ``suffix`` instead of ``.pyc``; None for an interpreter
    without ``.pyc`` files."""
    try:
        pyc = cache_from_source(module_file)
    except (NotImplementedError, ValueError):  # no cache tag
        return None
    return pyc[: -len(".pyc")] + suffix


def read_store(path: str | None, header: bytes) -> object | None:
    """What the store at ``path`` holds after ``header``; None when it is missing, unreadable,
    written under another header or damaged."""
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if not data.startswith(header):
        return None
    try:
        return marshal.loads(data[len(header) :])
    except (EOFError, ValueError, TypeError):
        return None


def write_store(path: str, header: bytes, payload: Callable[[], object | None]) -> bool:
    """Write ``header`` and ``payload()`` (marshalled) to ``path`` whole (a temporary file
    renamed), or nothing; whether it did. ``payload`` is called once the temporary file is
    open, so where the store cannot be written it is never called; when it returns None,
    nothing is written."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            value = payload()
            if value is not None:
                handle.write(header + marshal.dumps(value))
        if value is None:
            os.unlink(temporary)
            return False
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True
