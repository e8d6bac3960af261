"""What a run built, kept until the process ends when freeing it would be time thrown away.

``socialgov`` (cli.run) ends its process without the interpreter's teardown once its command is
done. A lint of a large repository used to free its model before the report, object by object:
0.3-0.6 s of CPU after a 100,000-account lint, for memory nobody would use again. Such a
process keeps the last repository it loaded (its model and parsed files) instead, out of the
cyclic collector's sight (``gc.freeze``: the collector, resumed after the run, would otherwise
walk all of it once more). The findings are freed as before, so that an audit, which builds
its report after its lint, stays within the lint's peak.

Only that process keeps anything, and only the last repository: a test or a library caller
(which never say the process ends), and a watch, the language server or the history (which say
they go on, and from then on collect cycles between runs), keep nothing; a command that loads
several times (a comparison) frees each earlier one as before. What a command made from that
repository and would free last (the audit's report) may be kept with it
(``keep_with_repository``): freeing 100,000 channels' rows one by one was about 0.15 s of such
an audit.
"""

from __future__ import annotations

import gc
import sys

_kept: list[object] = []
_ending = False


def ends_after_command() -> None:
    """The process ends, without teardown, once its command is done (cli.run)."""
    global _ending
    _ending = True


def ending_after_command() -> bool:
    """Whether the process ends once its command is done (a lint, an audit: one command, one
    thread), rather than going on (a watch, the language server) or being a library caller's."""
    return _ending


def goes_on() -> None:
    """The process runs on after this (a watch, the language server, the history): keep nothing
    from now on, and let the cyclic collector run again between runs. The command line pauses
    it for a command (cli.main), which suits a command that ends; a process that runs again and
    again would otherwise keep every run's cycles for its whole life. Each run still pauses it
    for itself (pipeline: _collector_paused) and resumes it after."""
    global _ending
    _ending = False
    _kept.clear()
    gc.enable()


def keep_until_exit(value: object) -> bool:
    """Keep ``value`` (the run's repository) until the process ends, if it ends after its
    command; whether it was kept."""
    if not _ending:
        return False
    _kept[:] = [value]
    gc.freeze()
    return True


def keep_with_repository(value: object) -> bool:
    """Keep ``value`` too (what the command made from the repository kept: the audit's report)
    until the process ends, if it ends after its command; let go with the repository when
    another one is kept. Whether it was kept."""
    if not _ending:
        return False
    _kept.append(value)
    gc.freeze()
    return True


def return_freed_memory() -> None:
    """Give the C library's freed memory back to the system (glibc's ``malloc_trim``).

    Large blocks (a parsed file's positions: socialgov.source.fastyaml's columns) are freed
    into the C heap, which new small Python objects (allocated in arenas of their own) do not
    reuse: unless it is given back, what is made next comes on top of it. Elsewhere than glibc
    there is nothing to call, and nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # another C library (musl)
        return
    trim(0)
