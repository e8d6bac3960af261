"""Parse a large repository's files on several cores, when asked (``lint --jobs N``).

By default socialgov runs in one process: on a shared or busy machine a second process costs
more than it spares, and run times stay predictable. With ``jobs`` of 2 or more, the files the
fast parser cannot take are parsed by worker processes (below), and the rules, once the model is
built, are shared with a forked child (socialgov.speedups.split).

Starting worker processes costs about a tenth of a second and every parsed file has to travel
back to the main process, so only a repository with at least PARALLEL_MIN_BYTES of YAML left to
parse (files the cache does not hold) is parsed in parallel: the pre-commit hook on a small
repository never starts a process. Files come back in the order given, each parsed exactly as
socialgov.source.loader parses it in one process, so the findings do not depend on the path taken
(tests/test_parallel.py compares both).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from socialgov.source.loader import ParsedFile
from socialgov.source.reading import load_file
from socialgov.speedups.cache import ParseCache, digest, dumps, read_and_parse, read_and_parse_fast

PARALLEL_MIN_BYTES = 8 * 1024 * 1024
"""YAML left to parse below which one process is faster (about 13,000 accounts)."""
_FILES_PER_TASK = 8


def workers() -> int:
    """How many processes to parse with: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether work may be shared with a forked child here: on Linux, with two cores or more,
    in a process with no other thread (forking a threaded process is unsafe)."""
    import sys
    import threading

    return (
        sys.platform == "linux"
        and hasattr(os, "fork")
        and workers() >= 2
        and threading.active_count() == 1
    )


def load_all(
    root: Path,
    files: Sequence[str],
    limits: dict[str, int],
    cache: ParseCache | None = None,
    jobs: int = 1,
) -> Iterator[ParsedFile]:
    """The parsed files, in the order of ``files``: from the cache, in parallel (with ``jobs``
    of 2 or more, on at most that many cores), or in turn."""
    results: list[ParsedFile | None] = [None] * len(files)
    todo: list[int] = []
    for index, relpath in enumerate(files):
        hit = cache.lookup(relpath) if cache is not None else None
        if hit is None:
            todo.append(index)
        else:
            results[index] = hit
    within = _size(root, [files[i] for i in todo]) <= limits["max_total_bytes"]
    if within:
        todo = _parse_fast(root, files, limits, cache, todo, results)
    # Over max_total_bytes, parse in turn: the caller stops at the limit, before reading it all.
    count = min(jobs, workers()) if todo and within else 1
    if count >= 2 and _size(root, [files[i] for i in todo]) >= PARALLEL_MIN_BYTES:
        _parse_in_parallel(root, files, limits, cache, todo, results, count)
    else:
        for index in todo:
            results[index] = _parse_here(root, files[index], limits, cache)
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
    from socialgov.source import fastyaml

    if not fastyaml.enabled():
        return todo
    left = []
    with fastyaml.quiet():  # stderr redirected once for all the files, not once each
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
    import pickle
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


class ForkedChild:
    """A forked copy of this process that does some work and sends back one answer, pickled,
    through a pipe; this process reads it when it needs it (:meth:`answer`).

    The child never returns into the caller's code: it exits at once when its work is done or
    fails (no cleanup of the parent's state, no atexit handlers, no flushing of its output).
    """

    def __init__(self, pid: int, reader: int) -> None:
        self._pid = pid
        self._reader = reader
        self._answered = False

    @classmethod
    def fork(cls, work: Callable[[], object]) -> ForkedChild | None:
        """Fork a child that runs ``work`` and sends what it returns (see :func:`can_fork`);
        None when the system refuses a new process (no memory, a limit on processes)."""
        import pickle
        import signal

        # An interrupt is held back across the fork, so that it cannot reach the child before
        # the child is inside its try (it would unwind into the caller's code). The mask as it
        # was is read first and put back in a ``finally``: an exception raised in the parent
        # while SIGINT is held back (a SIGALRM handler's, say) must not leave it held back, or
        # this process and every process it starts from then on ignore Ctrl-C.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, ())
        reader, writer = os.pipe()
        pid = -1
        child: ForkedChild | None = None
        try:
            try:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                try:
                    pid = os.fork()
                except OSError:
                    os.close(reader)
                    os.close(writer)
                    return None
                if pid == 0:  # the child: never returns, whatever happens (an interrupt too)
                    # 1 unless the answer is written whole: the parent does what it does not hear of
                    code = 1
                    try:
                        signal.pthread_sigmask(signal.SIG_SETMASK, held)
                        os.close(reader)
                        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                        with os.fdopen(writer, "wb") as pipe:
                            pipe.write(payload)
                        code = 0
                    finally:
                        os._exit(code)  # an exception, even an interrupt, ends here
                child = cls(pid, reader)
                os.close(writer)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a held interrupt lands here
        except BaseException:
            if child is None and pid > 0:  # forked, not yet held by a ForkedChild
                child = cls(pid, reader)
            if child is not None:
                child.close()  # killed and reaped: its answer will never be read
            raise
        return child

    @property
    def pid(self) -> int:
        return self._pid

    def answer(self) -> object:
        """What the child sent, once it is done (and reaped); None if it failed or died part
        way. Waits for it."""
        import pickle

        chunks = []
        try:
            with os.fdopen(self._reader, "rb") as pipe:
                self._reader = -1  # closed with the file object, whatever happens next
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
            self._answered = True
        except OSError:
            return None
        finally:
            self.close()
        try:
            return pickle.loads(b"".join(chunks))  # from our own child, through a pipe
        except Exception:  # the child stopped part way
            return None

    def close(self) -> None:
        """Reap the child; one whose whole answer was not read (this process stopped early,
        or was interrupted while reading) is killed first, since it may still be working or
        waiting to write."""
        if self._reader >= 0:
            with contextlib.suppress(OSError):
                os.close(self._reader)
            self._reader = -1
        if not self._pid:
            return
        if not self._answered:
            import signal

            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)
        self._pid = 0


def _size(root: Path, files: Sequence[str]) -> int:
    total = 0
    folder = f"{root}{os.sep}"
    for relpath in files:
        try:
            total += os.stat(folder + relpath).st_size
        except OSError:
            continue
    return total
