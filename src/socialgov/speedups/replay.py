"""An unchanged lint answered before the command line is imported: the hook's path.

``import socialgov.cli`` alone (click, the commands, the configuration, the pipeline) costs about
five times a bare interpreter start; the pre-commit hook runs the same lint again and again on
an unchanged repository. So ``python -m socialgov`` and the ``socialgov`` command
(socialgov.__main__) ask :func:`answer`, before anything else is imported, whether this exact
invocation was answered before with nothing it depends on changed since. If so, the bytes that
run wrote to standard output and error are written again, in the same order, and the process
ends with its exit code; otherwise :func:`answer` returns and the command line runs as always.
This module imports only what ``import socialgov`` has loaded and the caches' digests
(socialgov.speedups.digests): no click, no pathlib, no pickle, no rule.

An answer is stored (:class:`Recorder`, which the command line's ``lint`` asks for) only for a
lint that writes nothing but standard output and error (no ``--output`` or report file, no
``--write-baseline``, ``--new-since``, ``--config`` or ``--watch``: :func:`forget`), with the
cache, without rule packs or installed plugins, that ended with exit code 0 or 1 and whose
every piece of output was written in UTF-8 without a broken pipe or a Python warning. It is
found under a digest of everything the run reads besides files (:func:`_invocation`):
socialgov's version, the interpreter (its path, version, flags, options and ``sys.path``), the
arguments exactly, the working folder, every environment variable, whether standard input,
output and error are terminals, the terminal's size, the encodings of the streams, and today's
date. The answer holds what the file system said, when the run was over, of everything else it
depended on (:func:`_look`):

- every folder and file of the repository discovery walks (each non-hidden entry under the
  root: size, times, inode), so a file edited, added, removed or renamed changes an answer;
  a repository holding a symbolic link or a special file is never answered;
- the configuration, one of those files; one that may ``extends`` another (which may live
  outside the repository) is never answered;
- the search upward for ``socialgov.yaml`` (the answer of each folder's probe), or the folder
  ``--root`` names, and which entries the folders above the root and the working folder are
  (a folder replaced by a link, or moved);
- each file given as PATHS (it must be one of the repository's files, reached without a link);
- whether each folder from the root upward holds a ``.git`` entry, up to the first that does
  (the checkout the CI formats' paths are relative to);
- socialgov's own files and their folders (socialgov.speedups.cache.package_files), and every
  folder of ``sys.path`` (installing, upgrading or removing a distribution changes its
  folder; a dependency's file edited in place is not seen, as the run cache does not see it).

A stamp changed less than :data:`RACY_NS` before the run started may hide a change made in the
same clock tick ("racily clean", as git says): so every stamp an answer holds was there,
unchanged, before the run read anything. A linted file changed that recently is held by the
size and SHA-256 the run read instead (the run cache's hash: socialgov.speedups.runcache), read
and hashed again by every check, and a folder of the repository by the names it holds (the
first cached run makes ``.socialgov_cache/``, which changes the root's times), listed again;
another file, or a folder outside the repository, changed that recently is not, and no answer
is stored. An answer is signed
with the caches' key and signature (socialgov.speedups.digests) and lives in the user's cache
folder, beside the key (``answers/``, one file an invocation, the oldest removed past
:data:`MAX_ANSWERS`): never in a repository, where discovery would see it.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import time

from socialgov import __version__
from socialgov.speedups.digests import (
    RACY_NS,
    Hash,
    digest,
    few_file_digest,
    key_file,
    read_key,
    read_signed,
    signer,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (re, ...)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Any

    from socialgov.config import Config
    from socialgov.core.output import Recording
    from socialgov.speedups.runcache import RunInputs

    Look = tuple[str, int, Any]
    """A path, what is asked of it, and the answer the run found."""

__all__ = ["MAX_ANSWERS", "MAX_LOOKS", "MAX_OUTPUT", "Recorder", "answer", "forget", "recorder"]

FOLDER = "answers"
"""The folder of stored answers, beside the signing key."""
MAX_ANSWERS = 64
"""How many answers are kept (the oldest go first)."""
MAX_LOOKS = 100_000
"""A run that depends on more files and folders than this is not stored."""
MAX_OUTPUT = 4 << 20
"""A run that wrote more bytes than this is not stored."""

STAMP, ENTRY, IS_FILE, CONTENT, LISTING, EXISTS = 0, 1, 2, 3, 4, 5
"""What :func:`_look` tells of a path: its stamp; which entry it is (its type and inode, not
following a link); whether it is a regular file; (:func:`_content`) its size and SHA-256;
(:func:`_listing`) the names of the entries a folder holds that are not hidden; whether it
exists (following a link)."""

FORM = 1
"""The form of a stored answer (part of its key): a change to what :func:`answer` reads changes
it."""


class _Asked:
    """This invocation, as :func:`answer` found it: its digest, when the process started,
    the date and ``sys.path`` it saw."""

    def __init__(self, key: bytes, started: int, date: tuple[int, ...], path: list[str]) -> None:
        self.key = key
        self.started = started
        self.date = date
        self.path = path


_asked: _Asked | None = None


def answer() -> None:
    """Write the stored answer of this invocation and end the process with its exit code, when
    one is stored and nothing it depends on changed; else return (the command line runs)."""
    global _asked
    started = time.time_ns()
    try:
        cwd = os.getcwd()
    except OSError:  # the working folder is gone: the command line says so
        return
    date = tuple(time.localtime()[:3])
    key = _invocation(cwd, date)
    _asked = _Asked(key, started, date, list(sys.path))
    signing = _signer(key)
    if signing is None:
        return
    payload = read_signed(_entry(key), key, signing)
    if payload is None:
        return
    try:
        looks, pieces, code = marshal.loads(payload)  # signed by this machine's socialgov
        if not _unchanged(looks) or type(code) is not int:
            return
        if not all(type(err) is bool and type(data) is bytes for err, data in pieces):
            return
    except (EOFError, ValueError, TypeError, IndexError):  # another form: the command line runs
        return
    _write(pieces, code)


def _unchanged(looks: Sequence[Look]) -> bool:
    """Whether the file system answers each of ``looks`` as it did."""
    for path, how, found in looks:
        if how == CONTENT:
            now = _content(path, found[0])
        elif how == LISTING:
            now = _listing(path)
        else:
            now = _look(path, how)
        if now != found:
            return False
    return True


def _invocation(cwd: str, date: tuple[int, ...]) -> bytes:
    """A digest of everything a lint's output depends on besides the files it reads."""
    terminals = []
    for fd in (0, 1, 2):
        try:
            terminals.append(os.isatty(fd))
        except OSError:
            terminals.append(None)
    size = None
    if terminals[1]:
        try:
            size = tuple(os.get_terminal_size(1))
        except OSError:
            size = None
    streams = [
        None
        if stream is None
        else (getattr(stream, "encoding", None), getattr(stream, "errors", None))
        for stream in (sys.stdout, sys.stderr)
    ]
    parts = (
        FORM,
        __version__,
        sys.executable,
        sys.version,
        tuple(sys.flags),
        sys.path,
        sys.orig_argv,  # the interpreter's options too
        sys.argv,
        cwd,
        sorted(os.environ.items()),
        terminals,
        size,
        streams,
        date,
    )
    return digest(repr(parts).encode("utf-8", "surrogateescape")).digest()


def _folder() -> str:
    return os.path.join(os.path.dirname(key_file()), FOLDER)


def _entry(key: bytes) -> str:
    return os.path.join(_folder(), key.hex())


def _signer(key: bytes) -> Hash | None:
    secret = read_key(key_file())
    if secret is None:
        return None
    signing = signer(secret)
    signing.update(f"{FOLDER}\0".encode() + key)
    return signing


def _look(path: str, how: int) -> Any:
    """What the file system says of ``path`` now (see :data:`STAMP`)."""
    try:
        if how == ENTRY:
            info = os.lstat(path)
            return (info.st_mode, info.st_ino, info.st_dev)
        info = os.stat(path)
    except OSError:
        return False if how in (IS_FILE, EXISTS) else None
    if how == IS_FILE:
        return stat.S_ISREG(info.st_mode)
    if how == EXISTS:
        return True
    return _stamp(info)


def _content(path: str, size: int) -> tuple[int, bytes] | None:
    """The size and SHA-256 of the regular file at ``path`` (never through a link), read no
    further than a byte past ``size``; None when it cannot be read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        with open(os.open(path, flags), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            data = handle.read(size + 1)
    except OSError:
        return None
    return (len(data), few_file_digest(data))


def _listing(folder: str) -> tuple[str, ...] | None:
    """The names of the entries ``folder`` holds that discovery does not skip (not hidden),
    in order; None when it cannot be listed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    return tuple(sorted(name for name in names if not name.startswith(".")))


def _stamp(info: os.stat_result) -> tuple[int, ...]:
    """A path's type and permissions, size, modification and change times, inode and device."""
    return (
        info.st_mode,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_ino,
        info.st_dev,
    )


def _write(pieces: Sequence[tuple[bool, bytes]], code: int) -> None:
    """Write the stored pieces as the run did, then end the process with ``code``; return
    (the command line runs) when standard output cannot take the first byte."""
    dropped = set()
    written = False
    for err, data in pieces:
        fd = 2 if err else 1
        if fd in dropped:
            continue
        view = memoryview(data)
        while view:
            try:
                count = os.write(fd, view)
            except BrokenPipeError:  # the reader went away: the rest goes nowhere (core.output)
                dropped.add(fd)
                break
            except OSError as exc:
                if err:  # nothing left to tell, as the command line's own writes
                    dropped.add(fd)
                    break
                if not written:
                    return None  # closed or full: the command line says so
                message = (
                    f"socialgov: error: cannot write to standard output: {exc.strerror or exc}; "
                    "nothing more was written\n"
                )
                try:
                    os.write(2, message.encode())
                finally:
                    os._exit(2)
            view = view[count:]
            written = written or not err
    os._exit(code)


def forget() -> None:
    """Store no answer for this process's command (``lint --watch``, which lints again and
    again, each time through the command line's ``lint``)."""
    global _asked
    _asked = None


def recorder(possible: bool) -> Recorder | None:
    """A recorder of this lint's output, when ``possible`` (the command line's part: the run
    writes nothing but standard output and error, with the cache) and :func:`answer` was asked
    about this invocation; else None."""
    if not possible or _asked is None:
        return None
    from socialgov.core.output import record

    return Recorder(_asked, record())


class Recorder:
    """Stores the answer of this invocation once its run is over (:meth:`remember`)."""

    def __init__(self, asked: _Asked, recording: Recording) -> None:
        import warnings

        self.asked = asked
        self.recording = recording
        shown = warnings.showwarning

        def showing(*args: Any, **kwargs: Any) -> None:
            recording.whole = False  # written to standard error past core.output
            shown(*args, **kwargs)

        warnings.showwarning = showing

    def remember(
        self,
        config: Config,
        root: Path | None,
        paths: Sequence[str],
        code: int,
        confirmed: Sequence[RunInputs],
    ) -> None:
        """Store what the run wrote and ended with, and what it depended on; silent when it
        cannot, or when anything is uncertain (then nothing is stored). ``confirmed``: the
        inputs the run's result is of (socialgov.pipeline.lint), whose SHA-256 of a file
        changed too recently for its stamp to tell stands for it instead."""
        asked = self.asked
        recording = self.recording
        if code not in (0, 1) or not recording.whole or config.packs:
            return
        if tuple(time.localtime()[:3]) != asked.date:
            return  # the day changed during the run: its date-dependent rules saw another
        if sum(len(data) for _, data in recording.pieces) > MAX_OUTPUT:
            return
        depends = _depends_on(config, root, paths, asked.path)
        if depends is None or len(depends[0]) > MAX_LOOKS:
            return
        looks = _settled(*depends, asked.started - RACY_NS, str(config.root), confirmed)
        if looks is None:
            return
        payload = marshal.dumps((looks, recording.pieces, code))
        signing = _signer(asked.key)
        if signing is None:
            return
        from pathlib import Path

        from socialgov.speedups.cache import write_signed

        folder = Path(_folder())
        if write_signed(folder, folder, folder / asked.key.hex(), asked.key, signing, payload):
            _prune(str(folder))


def _settled(
    looks: list[Look],
    walk: Walk,
    settled: int,
    top: str,
    confirmed: Sequence[RunInputs],
) -> list[Look] | None:
    """``looks``, each stamp changed at ``settled`` or later (too close to the run for it to
    tell a change made in the same clock tick) replaced by what the run saw: a linted file by
    the size and SHA-256 the run read (``confirmed``), a folder of the walk by the names it
    holds (every file the run read still there: one added or removed while it ran is then
    either a recent file the run did not read, or missing); None when another stamp is that
    recent (a file the run did not read, or a folder outside the walk)."""
    read = {
        os.path.join(top, relpath): (stamp[0], sha)
        for inputs in confirmed
        for relpath, stamp, sha in zip(inputs.files, inputs.stamps, inputs.hashes, strict=True)
    }
    kept = []
    for look in looks:
        path, how, found = look
        if how == STAMP and found is not None and max(found[2], found[3]) >= settled:
            if path in read and stat.S_ISREG(found[0]):
                look = (path, CONTENT, read[path])
            elif path in walk.listings and read and read.keys() <= walk.files:
                look = (path, LISTING, walk.listings[path])
            else:
                return None
        kept.append(look)
    return kept


def _depends_on(
    config: Config, root: Path | None, paths: Sequence[str], search_path: Sequence[str]
) -> tuple[list[Look], Walk] | None:
    """What the run depended on besides :func:`_invocation`'s digest, each with what the file
    system says of it now; None when something cannot be told (then no answer is stored)."""
    from socialgov.config import CONFIG_FILE
    from socialgov.speedups.cache import package_files
    from socialgov.speedups.environment import environment_stamp
    from socialgov.speedups.environment import search_path as plugin_path
    from socialgov.speedups.runcache import RunCache

    top = str(config.root)
    untrusted = [config.root]
    if RunCache(config).plugins(environment_stamp(plugin_path(untrusted)), untrusted):
        return None  # a plugin's code is not told here
    cwd = os.getcwd()
    looks: list[Look] = [(folder, ENTRY, _look(folder, ENTRY)) for folder in _above(cwd)]
    if root is None:  # the search upward for socialgov.yaml (socialgov.config.find_root)
        folder = cwd
        while True:
            probe = os.path.join(folder, CONFIG_FILE)
            found = _look(probe, IS_FILE)
            looks.append((probe, IS_FILE, found))
            if found or os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
        if folder != top:
            return None
    else:
        given = os.path.abspath(root)
        if given != top or os.path.realpath(given) != given:
            return None
        looks.extend((folder, ENTRY, _look(folder, ENTRY)) for folder in _above(top))
    walk = _walked(top, looks)
    if walk is None or _extends(os.path.join(top, CONFIG_FILE)):
        return None
    files = walk.files
    for folder in _above(top):  # the checkout the CI formats' paths are relative to
        probe = os.path.join(folder, ".git")  # (socialgov.reporters.base.repository_root)
        found = _look(probe, EXISTS)
        looks.append((probe, EXISTS, found))
        if found:
            break
    for path in paths:
        given = os.path.abspath(path)
        if given not in files or os.path.realpath(given) != given:
            return None
    if config.baseline is not None:
        baseline = os.path.abspath(config.baseline)
        if baseline not in files or os.path.realpath(baseline) != baseline:
            return None
    folders = set()
    for _, path, _ in package_files(config.root):
        looks.append((path, STAMP, _look(path, STAMP)))
        folders.add(os.path.dirname(path))
    for entry in search_path:
        folders.add(os.path.abspath(entry or cwd))
    looks.extend((folder, STAMP, _look(folder, STAMP)) for folder in sorted(folders))
    return looks, walk


def _extends(config: str) -> bool:
    """Whether the configuration file may extend another (socialgov.extends): one outside the
    repository is not walked. Told by the word alone, whatever the YAML means by it."""
    try:
        with open(config, "rb") as handle:
            return b"extends" in handle.read()
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _above(path: str) -> list[str]:
    """``path`` and every folder above it."""
    found = [path]
    while os.path.dirname(found[-1]) != found[-1]:
        found.append(os.path.dirname(found[-1]))
    return found


class Walk:
    """What :func:`_walked` found: the files' paths, and each folder's :func:`_listing`."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.listings: dict[str, tuple[str, ...]] = {}


def _walked(top: str, looks: list[Look]) -> Walk | None:
    """Add the stamp of every folder and file discovery walks under ``top`` (each entry not
    hidden: socialgov.source.discovery) to ``looks``; return what it found. None when a
    folder cannot be listed or holds a link or a special file (discovery's answer would turn on
    what is behind it)."""
    walk = Walk()
    files = walk.files
    pending = [top]
    while pending:
        folder = pending.pop()
        looks.append((folder, STAMP, _look(folder, STAMP)))
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            return None
        walk.listings[folder] = tuple(
            sorted(entry.name for entry in entries if not entry.name.startswith("."))
        )
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                return None
            if stat.S_ISDIR(info.st_mode):
                pending.append(entry.path)
            elif stat.S_ISREG(info.st_mode):
                files.add(entry.path)
                looks.append((entry.path, STAMP, _stamp(info)))
            else:
                return None
    return walk


def _prune(folder: str) -> None:
    """Keep the newest :data:`MAX_ANSWERS` answers in ``folder``."""
    try:
        with os.scandir(folder) as listing:
            stored = [
                (entry.stat(follow_symlinks=False).st_mtime_ns, entry.path)
                for entry in listing
                if len(entry.name) == 64 and entry.is_file(follow_symlinks=False)
            ]
        for _, path in sorted(stored)[:-MAX_ANSWERS]:
            os.unlink(path)
    except OSError:  # another run pruned first, or the folder went away
        return
