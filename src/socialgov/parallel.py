"""Parse a large repository's files on every core; small ones stay in one process.

Starting worker processes costs about a tenth of a second and every parsed file has to travel
back to the main process, so only a repository with at least PARALLEL_MIN_BYTES of YAML left to
parse (files the cache does not hold) is parsed in parallel: the pre-commit hook on a small
repository never starts a process. Files come back in the order given, each parsed exactly as
socialgov.loader parses it in one process, so the findings do not depend on the path taken
(tests/test_parallel.py compares both).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path

from socialgov.cache import ParseCache, digest, dumps, read_and_parse, read_and_parse_fast
from socialgov.loader import ParsedFile, load_file

PARALLEL_MIN_BYTES = 8 * 1024 * 1024
"""YAML left to parse below which one process is faster (about 13,000 accounts)."""
_FILES_PER_TASK = 8


def workers() -> int:
    """How many processes to parse with: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def load_all(
    root: Path, files: Sequence[str], limits: dict[str, int], cache: ParseCache | None = None
) -> Iterator[ParsedFile]:
    """The parsed files, in the order of ``files``: from the cache, in parallel, or in turn."""
    results: list[ParsedFile | None] = [None] * len(files)
    todo: list[int] = []
    for index, relpath in enumerate(files):
        hit = cache.lookup(relpath) if cache is not None else None
        if hit is None:
            todo.append(index)
        else:
            results[index] = hit
    size = _size(root, [files[i] for i in todo])
    if size <= limits["max_total_bytes"]:
        todo = _parse_fast(root, files, limits, cache, todo, results)
        size = _size(root, [files[i] for i in todo])
    count = workers()
    # Over max_total_bytes, parse in turn: the caller stops at the limit, before reading it all.
    if count < 2 or not PARALLEL_MIN_BYTES <= size <= limits["max_total_bytes"]:
        for index in todo:
            results[index] = _parse_here(root, files[index], limits, cache)
    else:
        _parse_in_parallel(root, files, limits, cache, todo, results, count)
    for parsed in results:
        assert parsed is not None
        yield parsed


def _parse_fast(
    root: Path,
    files: Sequence[str],
    limits: dict[str, int],
    cache: ParseCache | None,
    todo: list[int],
    results: list[ParsedFile | None],
) -> list[int]:
    """Parse in this process what the fast path can (it is faster than handing files to
    workers and their data back); the indexes left for the exact path."""
    from socialgov import fastyaml

    if not fastyaml.enabled():
        return todo
    left = []
    for index in todo:
        outcome = read_and_parse_fast(root, files[index], limits)
        if outcome is None:
            left.append(index)
            continue
        raw, parsed = outcome
        results[index] = parsed
        if cache is not None:
            cache.remember(files[index], digest(raw), parsed)
    return left


def _parse_here(
    root: Path, relpath: str, limits: dict[str, int], cache: ParseCache | None
) -> ParsedFile:
    if cache is None:
        return load_file(root, relpath, limits)
    known_as, parsed = read_and_parse(root, relpath, limits)
    cache.remember(relpath, known_as, parsed)
    return parsed


def _parse_in_parallel(
    root: Path,
    files: Sequence[str],
    limits: dict[str, int],
    cache: ParseCache | None,
    todo: list[int],
    results: list[ParsedFile | None],
    count: int,
) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunks = [todo[i : i + _FILES_PER_TASK] for i in range(0, len(todo), _FILES_PER_TASK)]
    tasks = [(str(root), [files[i] for i in chunk], limits) for chunk in chunks]
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        for chunk, outcome in zip(chunks, pool.map(_parse_chunk, tasks), strict=True):
            for index, (known_as, blob) in zip(chunk, outcome, strict=True):
                parsed = pickle.loads(blob)
                results[index] = parsed
                if cache is not None:
                    cache.remember(files[index], known_as, parsed)


def _parse_chunk(task: tuple[str, list[str], dict[str, int]]) -> list[tuple[bytes | None, bytes]]:
    """In a worker: parse some files; each as (hash of its bytes, the pickled parse)."""
    root, relpaths, limits = task
    out = []
    for relpath in relpaths:
        known_as, parsed = read_and_parse(Path(root), relpath, limits)
        out.append((known_as, dumps(parsed)))
    return out


def _size(root: Path, files: Sequence[str]) -> int:
    total = 0
    for relpath in files:
        try:
            total += (root / relpath).stat().st_size
        except OSError:
            continue
    return total
