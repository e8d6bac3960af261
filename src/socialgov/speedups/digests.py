"""The digests and signatures the caches use, without OpenSSL where a run hashes little.

``hashlib`` and ``hmac`` load OpenSSL's libcrypto when imported: ~12 M instructions and ~3 ms of
wall time, a tenth of what a warm run does besides starting Python, which hashes only a few
kilobytes (its setup, its keys, the stamps of socialgov's files) and checks the signatures of
the entries it reads. Those are BLAKE2b (``_blake2``, built into CPython beside ``hashlib``):
keyed, it is a MAC by design (RFC 7693 section 2.9), so the entries are signed without HMAC; a
BLAKE2b signature with this machine's key can no more be forged than an HMAC-SHA256 could.

A file's bytes are known by their SHA-256 (:func:`file_digest`): hashlib's, through OpenSSL,
several times faster per byte than the built-in module on the megabytes a cold run hashes, and
imported when a file is first hashed (a warm run whose files are unchanged hashes none); the
first few files a run hashes again (:func:`few_file_digest`) take CPython's own module.
"""

from __future__ import annotations

import os
import stat

try:
    from _blake2 import blake2b
except ImportError:  # an interpreter without CPython's built-in module
    from hashlib import blake2b

try:
    from _operator import _compare_digest as compare_digest
except ImportError:  # as hmac itself falls back
    from hmac import compare_digest

try:
    from _sha256 import sha256 as _own_sha256  # CPython 3.11
except ImportError:
    try:
        from _sha2 import sha256 as _own_sha256  # type: ignore[no-redef]  # CPython 3.12+
    except ImportError:
        _own_sha256 = None  # type: ignore[assignment]

__all__ = [
    "FEW_FILES",
    "KEY_BYTES",
    "LENGTH_BYTES",
    "RACY_NS",
    "SIZE",
    "Hash",
    "compare_digest",
    "digest",
    "few_file_digest",
    "file_digest",
    "key_file",
    "length_tag",
    "read_key",
    "read_signed",
    "signer",
]

SIZE = 32
"""Bytes of every digest and signature here."""


TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (re, ...): see below
if TYPE_CHECKING:
    from typing import Protocol

    class Hash(Protocol):
        """What the caches ask of a digest or a signature being made."""

        digest_size: int

        def update(self, data: bytes, /) -> None: ...

        def digest(self) -> bytes: ...

        def hexdigest(self) -> str: ...

        def copy(self) -> Hash: ...

else:  # the type is for the checker: a run answered before the command line imports no typing
    Hash = object


def digest(data: bytes = b"") -> Hash:
    """A digest of ``data`` (more may be added with ``update``): what the caches know their
    keys, setups and headers by."""
    made: Hash = blake2b(data, digest_size=SIZE)
    return made


def signer(key: bytes) -> Hash:
    """A signature made with ``key`` (this machine's signing key) of what is added to it."""
    made: Hash = blake2b(key=key, digest_size=SIZE)
    return made


def file_digest(data: bytes) -> bytes:
    """The SHA-256 of a file's bytes: what the caches know a file's contents by."""
    import hashlib  # here: a run that hashes no file does not load OpenSSL

    return hashlib.sha256(data).digest()


FEW_FILES = 8
"""How many files a run hashes with :func:`few_file_digest` before it takes hashlib's."""


def few_file_digest(data: bytes) -> bytes:
    """:func:`file_digest`, for one of the few files a warm run hashes again (one saved less
    than 2 s before, most often: socialgov.speedups.runcache.RACY_NS): CPython's own SHA-256,
    which loads no library, several times slower per byte than OpenSSL's."""
    if _own_sha256 is None:
        return file_digest(data)
    return _own_sha256(data).digest()


RACY_NS = 2_000_000_000
"""A file whose stamp is this close to when it was hashed may have changed in the same clock
tick (FAT counts in 2 s steps): it is hashed again, as git does with "racily clean" files."""

KEY_BYTES = 32
"""Bytes of this user's signing key."""


def key_file() -> str:
    """Where this user's signing key lives: in their cache folder
    (``$XDG_CACHE_HOME/socialgov/cache.key``, else ``~/.cache/...``), never in a repository
    (socialgov.speedups.cache.signing_key makes it on first use)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "socialgov", "cache.key")


def read_key(path: str) -> bytes | None:
    """The signing key at ``path`` (never through a symbolic link), or None when there is none
    to read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            key = os.read(fd, KEY_BYTES + 1)
        finally:
            os.close(fd)
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


LENGTH_BYTES = 8
"""Bytes of an entry's payload length, written big-endian after the header's signature."""


def length_tag(signer: Hash, length: bytes) -> bytes:
    """The signature of what an entry stands for and how long its payload is: checked before a
    byte of the payload is read."""
    tag = signer.copy()
    tag.update(b"length\0" + length)
    return tag.digest()


def read_signed(entry: str | os.PathLike[str], header: bytes, signer: Hash) -> bytes | None:
    """The payload of a signed entry, or None when it is missing, is not a regular file, stands
    for something other than ``header``, or a signature does not hold (the caches' entries:
    socialgov.speedups.cache.write_signed writes them).

    An entry is ``header``, a signature of the header and the payload's length, the length, a
    signature of the payload, and the payload. The first signature and the file's size are
    checked before the payload is read, so an entry that a pull request commits (it can copy a
    header: it is the digest of a file it wrote) costs a few bytes of reading whatever its size,
    and a payload is never read past the length this machine's socialgov signed.
    """
    size = SIZE
    try:
        # Never blocks on a pipe or follows a link planted in the repository's cache folder.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        with open(os.open(entry, flags), "rb") as handle:
            info = os.fstat(handle.fileno())
            least = len(header) + 2 * size + LENGTH_BYTES
            if not stat.S_ISREG(info.st_mode) or info.st_size < least:
                return None
            if handle.read(len(header)) != header:
                return None
            tag = handle.read(size)
            length = handle.read(LENGTH_BYTES)
            if not compare_digest(tag, length_tag(signer, length)):
                return None
            expected = int.from_bytes(length, "big")
            if info.st_size != least + expected:
                return None
            signature = handle.read(size)
            payload = handle.read(expected)
    except OSError:
        return None
    signer.update(payload)
    if len(payload) != expected or not compare_digest(signature, signer.digest()):
        return None
    return payload
