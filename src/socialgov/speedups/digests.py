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

from typing import Protocol

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
    "SIZE",
    "Hash",
    "compare_digest",
    "digest",
    "few_file_digest",
    "file_digest",
    "signer",
]

SIZE = 32
"""Bytes of every digest and signature here."""


class Hash(Protocol):
    """What the caches ask of a digest or a signature being made."""

    digest_size: int

    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...

    def hexdigest(self) -> str: ...

    def copy(self) -> Hash: ...


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
