"""The one way socialgov prints and writes what it reports.

Every command sends its output through three functions, so a new command or reporter gets the
same protections by using them (docs/security.md, "Outputs never break or inject"):

- :func:`plain` makes a human-readable report (lint ``text``, ``socialgov test``, the audit
  ``table``, every message of ``fix``, ``import``, ``init``) safe to print in a CI log: no line
  can be read as a GitHub Actions workflow command, however the repository's text lands on it.
  Values themselves go through ``reporters.base.one_line`` first (controls made visible, one line).
- :func:`echo` writes to standard output or standard error: a closed or full stream is a
  :class:`~socialgov.core.errors.SocialgovError` (one line, exit 2), a reader that went away (``|
  head``) ends the output quietly and the command keeps its exit code.
- :func:`write_report` writes a report to a file the user named (``-o``, ``--format FMT:FILE``,
  ``--write-baseline``): regular files are replaced atomically; a character device or a FIFO
  (``/dev/stdout``, ``>(gzip > r.gz)``) is written through, never swapped for a file; anything
  else (a folder, a socket, a block device) is refused.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from socialgov.core.errors import SocialgovError
from socialgov.core.files import Writing, kind_of, put_encoded

# GitHub's runner reads a line as a command when, after .NET's TrimStart() (every Unicode white
# space: tabs, no-break and other spaces, line and paragraph separators), it starts with "::";
# its legacy parser takes "##[" anywhere in a line. Python's str.lstrip() strips a superset of
# .NET's white space, so nothing the runner would trim is missed.
_LEGACY_COMMAND = re.compile(r"##\[")
# Line breaks other than "\n" and "\r\n" (CSV's row end): the runner's reader also ends a line
# at a lone carriage return, and terminals and log viewers may break at the others.
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What _OTHER_BREAKS matches, looked for one character at a time: a report without any (most)
# is not scanned by the regular expression, which takes about a second for the JSON audit of
# 100,000 channels, where this takes a hundredth (CSV's "\r\n" row ends counted out).
_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
# "::" looked for by the regular expression engine's search: on a report whose every line holds
# colons (a text report: path:line:column) str's `in` takes 2.5-4 times as long (9-13 ms against
# 2.5-3.8 ms on stranger-5000's 6.9 MB report), though callgrind counts it fewer instructions.
_DOUBLE_COLON = re.compile("::")


def _other_breaks(text: str) -> bool:
    if any(c in text for c in _BREAKS):
        return True
    return "\r" in text and text.count("\r") != text.count("\r\n")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(text: str) -> str:
    """``text`` with no line that GitHub Actions would run as a workflow command.

    A line whose first non-blank characters are ``::`` gets its first colon shown as ``\\x3a``;
    ``##[`` anywhere becomes ``##\\x5b``; line breaks other than ``\\n`` and ``\\r\\n`` are shown as
    escapes, so a value can never begin a line of its own. Everything else is unchanged.
    """
    if "#" in text and "##[" in text:  # one character is found faster than three
        text = _LEGACY_COMMAND.sub(r"##\\x5b", text)
    if _other_breaks(text):
        text = _OTHER_BREAKS.sub(_visible, text)
    if _DOUBLE_COLON.search(text) is None:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        rest = line.lstrip()
        if rest.startswith("::"):
            start = len(line) - len(rest)
            lines[i] = f"{line[:start]}\\x3a{rest[1:]}"
    return "\n".join(lines)


def plain_writing(writing: Writing) -> Writing:
    """``writing`` (text written a piece at a time) made :func:`plain` as it comes: exactly as
    the whole text would be, since plain() reads a line at a time and each piece handed on
    ends with a line break (what follows the last one waits for the next); pieces are
    gathered up to about a megabyte, so a destination is not written for every small one."""

    def write(put: Callable[[str], None]) -> None:
        pending: list[str] = []
        size = 0

        def take(piece: str) -> None:
            nonlocal size
            pending.append(piece)
            size += len(piece)
            if size >= _GATHER and "\n" in piece:
                end = piece.rindex("\n") + 1
                pending[-1] = piece[:end]
                put(plain("".join(pending)))
                rest = piece[end:]
                pending[:] = [rest] if rest else []
                size = len(rest)

        writing(take)
        if pending:
            put(plain("".join(pending)))

    return write


_GATHER = 1 << 20
"""How many characters :func:`plain_writing` gathers before handing them on."""


def plain_line(text: str) -> str:
    """A one-line message (an error, a warning) made safe for a CI log: :func:`plain` after
    ``one_line`` (controls visible, line breaks shown as ``\\n``)."""
    from socialgov.core.escape import one_line

    return plain(one_line(text))


# --------------------------------------------------------------------------- standard streams


def echo(text: str | Writing, *, err: bool = False) -> None:
    """Write ``text`` to standard output (or error) and flush it; ``text`` may be written a
    piece at a time (socialgov.core.files.Writing).

    Standard output closed (``>&-``) or full (``/dev/full``, a full disk) is a SocialgovError
    saying so (exit 2), never a traceback and never a silent success. A reader that went away
    (``socialgov lint | head -1``) is not an error: the rest of the output is dropped and the
    command ends with its own exit code. Text the stream cannot encode is written with
    backslash escapes rather than failing.
    """
    stream: TextIO | None = sys.stderr if err else sys.stdout
    name = "standard error" if err else "standard output"
    if stream is None or getattr(stream, "closed", False):
        if err:
            return  # nowhere left to say anything; the exit code still tells
        raise SocialgovError(f"{name} is closed; give the command somewhere to write (or -o FILE)")
    try:
        if isinstance(text, str):
            _write_text(stream, text)
        else:
            text(lambda piece: _write_text(stream, piece))  # type: ignore[union-attr]
        stream.flush()
    except BrokenPipeError:
        if _recording is not None:
            _recording.whole = False
        _drop_output(stream)
    except ValueError:  # an operation on a closed file
        if not err:
            raise SocialgovError(f"{name} is closed; give the command somewhere to write") from None
    except OSError as exc:
        if err:
            return
        raise SocialgovError(
            f"cannot write to {name}: {exc.strerror or exc}; nothing more was written"
        ) from None


class Recording:
    """What :func:`echo` wrote while recording (:func:`record`): each piece as the bytes a UTF-8
    stream took, in order, with whether it went to standard error. ``whole`` is False when a
    piece's bytes cannot be told (a stream in another encoding) or a stream broke."""

    def __init__(self) -> None:
        self.pieces: list[tuple[bool, bytes]] = []
        self.whole = True

    def take(self, stream: TextIO, piece: str | bytes | memoryview, errors: str | None) -> None:
        if getattr(stream, "encoding", None) != "utf-8":
            self.whole = False  # what another encoding wrote is not told here
        elif isinstance(piece, str):
            try:
                data = piece.encode("utf-8", errors or getattr(stream, "errors", None) or "strict")
            except UnicodeEncodeError:
                self.whole = False
                return
            self.pieces.append((stream is sys.stderr, data))
        else:
            self.pieces.append((stream is sys.stderr, bytes(piece)))


_recording: Recording | None = None


def record() -> Recording:
    """Record what :func:`echo` writes from now on, to the end of the process (one command):
    the bytes an unchanged run may write again without running (socialgov.speedups.replay)."""
    global _recording
    _recording = Recording()
    return _recording


def _write_text(stream: TextIO, text: str | bytes | memoryview) -> None:
    if not isinstance(text, str):  # already UTF-8 (socialgov.core.files.Writing)
        try:
            put_encoded(stream, text)
            if _recording is not None:
                _recording.take(stream, text, None)
            return
        except UnicodeEncodeError:  # a stream in an encoding without some character: below
            text = str(text, "utf-8")
    try:
        stream.write(text)
        errors = None
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        errors = "backslashreplace"
    if _recording is not None:
        _recording.take(stream, text, errors)


def _drop_output(stream: TextIO) -> None:
    """After a broken pipe: point the stream's descriptor at the null device, so that what is
    still buffered, and the flush at exit, go nowhere instead of raising again."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def flush_streams() -> None:
    """Flush standard output and error at exit; a failure there has nothing left to tell."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            _drop_output(stream)
        except (OSError, ValueError):
            pass


# --------------------------------------------------------------------------- files


def write_report(text: str | Writing, path: Path, option: str = "--output") -> None:
    """Write a report to ``path``, as the option ``option`` named it (``text`` may be written a
    piece at a time: socialgov.core.files.Writing).

    - a regular file, a new file, or a symbolic link to either: replaced atomically (a reader
      sees the old report or the new one; an interrupted run leaves the old one whole); a link
      is replaced by the file, never written through, so a link planted where a report goes
      cannot make socialgov write elsewhere;
    - a character device or a FIFO, named directly or through a link (``/dev/stdout``,
      ``/dev/null``, a process substitution): written through, never replaced by a file; a FIFO
      that no program reads is an error at once rather than a hang;
    - anything else: refused with a message saying what it is.

    Every failure is a SocialgovError naming the option and the path (exit 2).
    """
    from socialgov.core.files import write_atomic

    where = f"{option} {path}"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None  # a new file, or a link to nothing: the write creates a regular file
    except OSError as exc:
        raise SocialgovError(f"{where}: {exc.strerror or exc}") from None
    try:
        if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            _write_through(path, text)
            return
        if mode is not None and not stat.S_ISREG(mode):
            raise SocialgovError(
                f"{where}: is {kind_of(mode)}, not a file; name a file to write the report to"
            )
        write_atomic(path, text)
    except SocialgovError as exc:
        if str(exc).startswith(where):
            raise
        raise SocialgovError(f"{where}: {exc}") from None
    except OSError as exc:
        raise SocialgovError(f"{where}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENXIO:
        return "no program is reading this FIFO (named pipe); start the reader first"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device; nothing was written in full"
    return exc.strerror or str(exc)


def _write_through(path: Path, text: str | Writing) -> None:
    """Write ``text`` into the device or FIFO at ``path`` (which is never created or replaced)."""
    flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)  # a FIFO without a reader: ENXIO at once, instead of waiting
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # swapped since it was looked at
            raise SocialgovError(f"is {kind_of(mode)} now; run the command again")
        os.set_blocking(fd, True)

        def put(piece: str | bytes | memoryview) -> None:
            data = memoryview(
                piece.encode("utf-8", "backslashreplace") if isinstance(piece, str) else piece
            )
            while data:
                written = os.write(fd, data)
                data = data[written:]

        if isinstance(text, str):
            put(text)
        else:
            text(put)
    finally:
        os.close(fd)
