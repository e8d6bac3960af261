"""Safe file input and output: bounded reads that refuse what is not a regular file, and
atomic writes that never lose what a user wrote (a file changed meanwhile is refused)."""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from socialgov.core.errors import SocialgovError


class FileTooBig(OSError):
    """A file over the size limit, which is not read."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(0, f"{size:,} bytes, over the limit of {limit:,}")
        self.size = size


_READING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bounded(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, refusing more than ``max_bytes``.

    The file is opened without blocking and checked through its descriptor, so a FIFO or a
    device that takes the place of a file is refused rather than read forever, and a file that
    grows while it is read is cut off at the limit.
    """
    fd = os.open(path, _READING)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        if info.st_size > max_bytes:
            raise FileTooBig(info.st_size, max_bytes)
        asked = min(max(info.st_size + 1, 1 << 16), max_bytes + 1)
        raw = os.read(fd, asked)
        if len(raw) == info.st_size < asked:  # most files: whole, as measured, in one call
            return raw
        # Read to the end in as few calls as the size allows (the first asks for the size and
        # one byte more, at least 64 KB; fewer bytes than asked that make the size measured are
        # the end, else the next call finds it: a network file system may read short), never
        # more than one byte past the limit: a file grown since it was measured is still cut
        # off there.
        parts = [raw]
        total = len(raw)
        while raw and total <= max_bytes and not (len(raw) < asked and total == info.st_size):
            asked = min(max(info.st_size + 1 - total, 1 << 16), max_bytes + 1 - total)
            raw = os.read(fd, asked)
            parts.append(raw)
            total += len(raw)
        raw = parts[0] if len(parts) == 1 else b"".join(parts)
        if len(raw) > max_bytes:
            raise FileTooBig(max(len(raw), info.st_size), max_bytes)
        return raw
    finally:
        os.close(fd)


def content_stamp(data: bytes) -> str:
    """What tells a shipped file's bytes from those something generated from it was made from
    (the shipped schema checks, the built-in rules' data): their size and CRC-32. Not a defence
    against anyone (the two ship together); it notices a file edited without generating again,
    without loading OpenSSL for hashlib at every start (zlib is loaded already)."""
    import zlib

    return f"{len(data)}:{zlib.crc32(data):08x}"


def kind_of(mode: int) -> str:
    """What a file is, in words: ``a folder``, ``a FIFO``, ``a character device`` ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


class FileChangedError(SocialgovError):
    """The file changed on disk after it was read: writing would lose someone else's edit."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: changed on disk since it was read; not overwritten, run the command again"
        )
        self.path = path


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a file looked like when it was read: enough to notice a change before writing."""

    digest: str
    size: int
    mtime_ns: int

    @classmethod
    def of_bytes(cls, raw: bytes, mtime_ns: int = 0) -> Snapshot:
        import hashlib  # not at import: a lint without the cache never hashes a file

        return cls(hashlib.sha256(raw).hexdigest(), len(raw), mtime_ns)


def snapshot(path: Path) -> Snapshot | None:
    """The file's current snapshot, or None when it does not exist."""
    try:
        raw = Path(path).read_bytes()
        mtime = Path(path).stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return Snapshot.of_bytes(raw, mtime)


ABSENT = Snapshot("", -1, -1)
"""The snapshot of a file that did not exist: creating it must not replace one made meanwhile."""


def _unchanged(path: Path, expected: Snapshot) -> bool:
    """True when ``path`` is still as ``expected`` (:data:`ABSENT`: it still does not exist)."""
    current = snapshot(path)
    if current is None or expected is ABSENT:
        return current is None and expected is ABSENT
    return current.size == expected.size and current.digest == expected.digest


Writing = Callable[[Callable[[Any], None]], None]
"""Text written a piece at a time: called with the function that takes each piece (a report
too large to hold whole; see socialgov.core.output). A piece is text, or text already encoded
as UTF-8 (``bytes`` or a ``memoryview`` of them: the audit's JSON, as orjson writes it), which
the destinations take as it is where they write UTF-8 (see :func:`put_encoded`)."""


def put_encoded(handle: IO[str], piece: str | bytes | memoryview) -> None:
    """Write ``piece`` (see :data:`Writing`) to ``handle``: text as text; UTF-8 into the bytes
    under it when it writes UTF-8 without changing line breaks (after what it holds as text),
    else decoded and written as text."""
    if isinstance(piece, str):
        handle.write(piece)
        return
    under = getattr(handle, "buffer", None)
    if under is not None and os.linesep == "\n" and _utf8(getattr(handle, "encoding", None)):
        handle.flush()
        under.write(piece)
    else:
        handle.write(str(piece, "utf-8"))


def _utf8(encoding: object) -> bool:
    """Whether ``encoding`` (a stream's, which a stand-in for a stream may lack) is UTF-8."""
    if not isinstance(encoding, str):
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def write_atomic(
    path: Path,
    text: str | Writing,
    *,
    encoding: str = "utf-8",
    expected: Snapshot | None = None,
) -> None:
    """Replace ``path`` with ``text`` in one step: a reader sees the old file or the new one,
    never half of either, and an interrupted write leaves the old file untouched. ``text`` may
    be written a piece at a time (:data:`Writing`): a failure part way leaves the old file.

    With ``expected`` (a :class:`Snapshot` taken when the file was read, or :data:`ABSENT` for a
    file that did not exist), the file is compared again just before it is replaced; when it
    changed, the new text is thrown away and :class:`FileChangedError` is raised.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        existing = path.stat().st_mode
    except FileNotFoundError:  # a new file, or a link to nothing (the link is replaced)
        existing = None
    if existing is not None and not stat.S_ISREG(existing):
        from socialgov.core.files import kind_of

        # never swap a device, a FIFO or a folder (or a link to one) for a regular file
        raise OSError(errno.EINVAL, f"is {kind_of(existing)}, not a regular file; name a file")
    # an existing file keeps its mode; a new one gets what open() would give it, not mkstemp's
    # owner-only 0600
    mode = existing & 0o7777 if existing is not None else 0o666 & ~_umask()
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                text(lambda piece: put_encoded(handle, piece))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if expected is not None and not _unchanged(path, expected):
            raise FileChangedError(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
