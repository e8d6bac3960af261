"""The caches' digests and signatures (socialgov.speedups.digests): BLAKE2b without OpenSSL,
files' bytes by their SHA-256."""

from __future__ import annotations

import hashlib
import hmac

from socialgov.speedups.digests import SIZE, compare_digest, digest, file_digest, signer

KEY = bytes(range(32))


def test_a_digest_is_blake2b_of_its_size() -> None:
    made = digest(b"setup")
    made.update(b" and more")
    assert made.digest() == hashlib.blake2b(b"setup and more", digest_size=SIZE).digest()
    assert len(made.digest()) == SIZE == made.digest_size
    assert made.hexdigest() == made.digest().hex()
    assert digest().digest() != digest(b"\0").digest()


def test_a_signature_is_keyed_blake2b_and_needs_the_key() -> None:
    signed = signer(KEY)
    signed.update(b"entry\0header")
    expected = hashlib.blake2b(b"entry\0header", key=KEY, digest_size=SIZE).digest()
    assert signed.digest() == expected
    assert signed.digest() != digest(b"entry\0header").digest()  # not without the key
    other = signer(bytes(32))
    other.update(b"entry\0header")
    assert other.digest() != expected


def test_a_signature_copied_goes_on_apart() -> None:
    """read_signed checks the length's tag on a copy, then the payload on the signer."""
    signed = signer(KEY)
    signed.update(b"header")
    tag = signed.copy()
    tag.update(b"length")
    signed.update(b"payload")
    assert tag.digest() == hashlib.blake2b(b"headerlength", key=KEY, digest_size=SIZE).digest()
    assert signed.digest() == hashlib.blake2b(b"headerpayload", key=KEY, digest_size=SIZE).digest()


def test_a_files_digest_is_its_sha256() -> None:
    data = b"people:\n  - {id: ana}\n" * 100
    assert file_digest(data) == hashlib.sha256(data).digest()


def test_signatures_are_compared_as_hmac_compares_them() -> None:
    for a, b in ((b"x" * 32, b"x" * 32), (b"x" * 32, b"y" * 32), (b"", b""), (b"x", b"xx")):
        assert compare_digest(a, b) == hmac.compare_digest(a, b)


def test_a_few_files_digest_is_their_sha256_too() -> None:
    from socialgov.speedups.digests import few_file_digest

    for data in (b"", b"kind: Person\nid: ana\n", bytes(range(256)) * 300):
        assert few_file_digest(data) == file_digest(data) == hashlib.sha256(data).digest()
