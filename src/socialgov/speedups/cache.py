"""A cache of parsed files, like ruff's: a file whose bytes did not change is not parsed again.

The cache lives in ``.socialgov_cache/`` at the repository's root (hidden, so never linted; it
holds a ``.gitignore`` of ``*`` so git ignores it too). It has one entry per file, named after a
hash of the file's path, holding the SHA-256 of the bytes it was parsed from and the parsed file
(data, source positions and findings, so findings point where they always do). An entry is used
only when the file's bytes hash the same; the folder's name is a fingerprint of socialgov's
version, the code that parses, the Python version and the limits, so any change to those starts
a fresh cache.

The folder sits in the repository, where a pull request can put files of its own, and an entry
is a pickle, which runs code when it is read. So every entry is signed (keyed BLAKE2b,
socialgov.speedups.digests) with a key that never lives in a repository: 32 random bytes in the
user's cache folder (``$XDG_CACHE_HOME/socialgov/cache.key``, else ``~/.cache/...``), made on
first use. An entry whose signature does not match was not written by this machine's
socialgov and is never unpickled, and nothing is written through a symbolic link. Without a key
(no writable home), there is no cache.

Entries are written to a temporary file and renamed into place, so runs at the same time never
read half an entry; an entry that cannot be read (damaged, from another Python) is parsed again,
and a cache that cannot be written (read-only checkout) is silently skipped: the cache can make
socialgov faster, never wrong and never fail.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov import __version__
from socialgov.config import CACHE_DIR
from socialgov.core.files import read_bounded
from socialgov.core.findings import EntityRef, Finding, Position, entity_ref, made
from socialgov.core.resources import PACKAGE_DIR
from socialgov.schema import validation as schema
from socialgov.speedups.digests import (
    KEY_BYTES,
    LENGTH_BYTES,
    RACY_NS,
    Hash,
    file_digest,
    key_file,
    length_tag,
    read_key,
    read_signed,
    signer,
)
from socialgov.speedups.digests import digest as digest_of

if TYPE_CHECKING:  # the parsers are imported only by a run that parses (not a warm one)
    from socialgov.source.loader import ParsedFile

try:  # pickle.loads is _pickle's: taken from there, a run that only reads its entries (a warm
    # one) does not import pickle.py (~5 M instructions: its Python pickler, struct, ...),
    # which writing one still imports
    from _pickle import loads as unpickle
except ImportError:  # pragma: no cover - a Python without the C pickler
    from pickle import loads as unpickle

_CODE = ("source", "schema", "core/findings.py", "speedups/cache.py")
"""The code a cached parse depends on (folders: every module in them), under the package."""


def _code_files() -> list[Path]:
    files = []
    for name in _CODE:
        path = PACKAGE_DIR / name
        files.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    return files


def cache_wanted(root: Path, requested: bool | None, environ: Mapping[str, str]) -> bool:
    """Whether a run uses the cache: as asked (``--cache``/``--no-cache``), else yes, except on a
    CI runner (``CI`` set, as every major CI service sets it) whose checkout has no cache yet.

    There a cold run would write a cache of up to a few hundred megabytes that nothing reads
    again (each CI job starts from a fresh clone), a tenth or more of the run; a runner that
    restores ``.socialgov_cache/`` (actions/cache, docs/ci.md) finds it and uses it.
    """
    if requested is not None:
        return requested
    on_ci = environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return not on_ci or (root / CACHE_DIR).is_dir()


PARSING_DISTRIBUTIONS = ("jsonschema", "fastjsonschema", "pyyaml", "rapidyaml", "google-re2")
"""The libraries whose versions a cached parse and schema check depend on."""


def fingerprint(limits: dict[str, int], root: Path | None = None) -> str:
    """What parsing and schema checks depend on besides the file's bytes and path (worked out
    once per process and set of limits: a run asks for it several times). With ``root``, the
    code's and the schemas' digests come from what its cache remembers (:func:`package_files`)."""
    # the limits as text in a form of their own, not JSON: a warm run imports no json for it
    return _fingerprint(repr(sorted(limits.items())), root)


@cache
def _fingerprint(limits_text: str, root: Path | None) -> str:
    from socialgov.speedups.environment import installed_versions

    known = _digests_by_path(root)
    digest = digest_of()
    # the interpreter's version says the pickle protocols its pickle.py writes and reads too
    digest.update(f"{__version__}|{sys.version}|".encode())
    digest.update(limits_text.encode())
    for path in _code_files():
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + _file_digest(path, known))
    for name, path in schema.schema_files().items():
        digest.update(name.encode() + _file_digest(path, known))
    # The metadata folders' names hold the versions (pyyaml-6.0.3.dist-info): read without
    # importlib.metadata, which a warm run would otherwise import for this alone.
    for folder in installed_versions(PARSING_DISTRIBUTIONS):
        digest.update(f"{folder}|".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def _digests_by_path(root: Path | None) -> dict[str, bytes]:
    """The SHA-256 of each of socialgov's files by path, as remembered in ``root``'s cache (or
    read); empty without ``root``."""
    return {} if root is None else {path: sha for _, path, sha in package_files(root)}


def _file_digest(path: Path, known: dict[str, bytes]) -> bytes:
    """The SHA-256 of the file at ``path``: from ``known``, else read."""
    found = known.get(str(path))
    return found if found is not None else file_digest(path.read_bytes())


_SHIPPED_DATA = ("schemas", "rules")
"""The data folders a run reads besides the code (the schemas, the built-in rules in YAML):
inside the package in a wheel, at the top of the repository in a source checkout or an
editable install (socialgov.core.resources), where they count as much."""

PACKAGE_FILES_ENTRY = "package-files"
"""The SHA-256 of each of socialgov's own files, under what the file system says of them."""


@cache
def package_files(root: Path | None = None) -> tuple[tuple[str, str, bytes], ...]:
    """Every file of the installed socialgov package (code, schemas, data) and of the data
    folders it reads from outside it (a source checkout's schemas/ and rules/), in a fixed
    order: the name it is digested under, its path and the SHA-256 of its bytes. Worked out
    once per process and repository, as the fingerprint is: they are the code the process
    runs (a run asks for them three times: the configuration's memos, the cache's folder, the
    run's key).

    With ``root``, the digests are remembered in its cache (``package-files``, signed as every
    entry) under what the file system says of every file (size, modification and change times,
    inode: any write changes the change time), and the files are read again only when one of
    them changed, was added or went away. A file changed less than :data:`RACY_NS` before the
    digests were made may have changed in the same clock tick: such digests are not
    remembered."""
    started = time.time_ns()
    listed = _package_listing()
    header = b""
    newest = 0
    signing = None
    if root is not None:
        try:
            stamps = []
            for shown, path in listed:
                info = os.stat(path)
                stamps.append(
                    (shown, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
                )
                newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
        except OSError:  # a file went away while looked at: read what is there
            root = None
        else:
            header = digest_of(repr(stamps).encode("utf-8", "surrogateescape")).digest()
            signing = _entry_signer(PACKAGE_FILES_ENTRY, header)
    entry = None if root is None else root / CACHE_DIR / PACKAGE_FILES_ENTRY
    size = 32  # a SHA-256
    if entry is not None and signing is not None:
        payload = read_signed(entry, header, signing.copy())
        if payload is not None and len(payload) == size * len(listed):
            return tuple(
                (shown, path, payload[at * size : (at + 1) * size])
                for at, (shown, path) in enumerate(listed)
            )
    digests = []
    for _, path in listed:
        with open(path, "rb") as handle:
            digests.append(file_digest(handle.read()))
    if entry is not None and signing is not None and newest < started - RACY_NS:
        base = entry.parent
        write_signed(base, base, entry, header, signing, b"".join(digests))
    return tuple((shown, path, sha) for (shown, path), sha in zip(listed, digests, strict=True))


def _package_listing() -> list[tuple[str, str]]:
    """The files :func:`package_files` digests: each with its name and path, in a fixed order
    (each folder's files by name, then its folders by name; not ``__pycache__``, which holds
    the ``.pyc`` files and the speedups' stores that runs rewrite)."""
    from socialgov.core.resources import data_dir

    tops = [("", str(PACKAGE_DIR))]
    for name in _SHIPPED_DATA:
        folder = data_dir(name)
        if not folder.resolve().is_relative_to(PACKAGE_DIR.resolve()):
            tops.append((f"{name}:", str(folder)))
    found: list[tuple[str, str]] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:  # as os.walk: a folder that cannot be listed holds nothing
            return
        folders = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if entry.name != "__pycache__" and not entry.is_symlink():
                    folders.append(entry)
            elif not entry.name.endswith((".pyc", ".pyo")):
                found.append((prefix + entry.name, entry.path))
        for entry in folders:
            walk(entry.path, f"{prefix}{entry.name}/")

    for label, top in tops:
        walk(top, label)
    return found


def _entry_signer(name: str, header: bytes) -> Hash | None:
    """The signature of the entry ``name`` at the top of a cache folder, begun over what it
    stands for; None without a key."""
    key = signing_key()
    if key is None:
        return None
    signing = signer(key)
    signing.update(f"{name}\0".encode() + header)
    return signing


def key_path() -> Path:
    """Where this user's signing key lives: in their cache folder, never in a repository
    (socialgov.speedups.digests.key_file)."""
    return Path(key_file())


def signing_key() -> bytes | None:
    """This user's key for signing cache entries, made on first use; None when it cannot be."""
    path = key_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            import tempfile

            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
            try:
                import secrets  # once per user: a warm run only reads the key

                os.write(fd, secrets.token_bytes(KEY_BYTES))
                os.close(fd)
                with contextlib.suppress(FileExistsError):  # another run made it first
                    os.link(temporary, path)
            finally:
                os.unlink(temporary)
    except OSError:
        return None
    return read_key(str(path))


class ParseCache:
    """Parsed files of one repository, by path and content hash."""

    def __init__(
        self, root: Path, limits: dict[str, int], digests: Mapping[str, bytes] | None = None
    ) -> None:
        self.root = root
        self.limits = limits
        self.digests = dict(digests or {})
        """What each file's bytes hashed to when this run looked at them (the run cache hashes
        them first): a hit is then found without reading the file again."""
        self.base = root / CACHE_DIR
        self.folder = self.base / fingerprint(limits, root)
        self.hits = 0
        self.misses = 0
        self._writable = True
        self._pending: list[tuple[Path, bytes, ParsedFile]] = []
        self._key = signing_key()
        if self._key is None:
            self._writable = False
        self.validity = schema.Validity()
        """What passed its schema in this run, and what the cache vouches for."""

    def _entry(self, relpath: str) -> Path:
        name = digest_of(relpath.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return self.folder / name[:2] / f"{name}.pickle"

    def load(self, relpath: str) -> ParsedFile:
        """The parsed file at ``relpath``: from the cache when its bytes are unchanged."""
        from socialgov.source.reading import load_file, parse_file_text

        source = _source(self.root, relpath, self.limits)
        if source is None:  # unreadable, too big or undecodable: the loader says so
            return load_file(self.root, relpath, self.limits)
        raw, text = source
        known_as = digest(raw)
        cached = self._read(self._entry(relpath), known_as)
        if cached is not None:
            self.hits += 1
            return cached
        parsed = parse_file_text(text, relpath, self.limits)
        parsed.size = len(raw)
        self.remember(relpath, known_as, parsed)
        return parsed

    def lookup(self, relpath: str) -> ParsedFile | None:
        """The cached parse of ``relpath`` if its bytes are unchanged, else None."""
        known_as = self.digests.get(relpath)
        if known_as is None:
            try:
                raw = read_bounded(self.root / relpath, self.limits["max_file_bytes"])
            except Exception:  # the loader reports it (too big, unreadable) when it parses
                return None
            known_as = digest(raw)
        cached = self._read(self._entry(relpath), known_as)
        if cached is not None:
            self.hits += 1
        return cached

    def version(self, relpath: str, known_as: bytes) -> ParsedFile | None:
        """The cached parse of ``relpath`` as it was when its bytes hashed to ``known_as`` (an
        earlier version, for incremental lint), or None when the cache no longer holds it."""
        return self._read(self._entry(relpath), known_as)

    def remember(self, relpath: str, digest: bytes | None, parsed: ParsedFile) -> None:
        """Store ``parsed`` (read from bytes hashing to ``digest``) when this run closes."""
        self.misses += 1
        if digest is not None:
            self._pending.append((self._entry(relpath), digest, parsed))

    def close(self) -> None:
        """Write the entries of the files parsed in this run, once the model validated them."""
        try:
            for entry, digest, parsed in self._pending:
                self._write(entry, digest, parsed, self._valid_entities(parsed))
        finally:
            self._pending.clear()

    def _valid_entities(self, parsed: ParsedFile) -> Vouched:
        """Where the values that passed their schema sit: document, path, schema file."""
        return valid_entities(parsed, self.validity.seen)

    def _signer(self, entry: Path, digest: bytes) -> Hash | None:
        """The signature of an entry, begun over what it stands for; None without a key."""
        if self._key is None:
            return None
        signing = signer(self._key)
        signing.update(f"{self.folder.name}\0{entry.name}\0".encode() + digest)
        return signing

    def _read(self, entry: Path, digest: bytes) -> ParsedFile | None:
        signer = self._signer(entry, digest)
        if signer is None:
            return None
        payload = read_signed(entry, digest, signer)
        if payload is None:
            return None  # missing, or not written by this machine's socialgov: never unpickled
        try:
            parsed, valid = unpickle(payload)
        except Exception:  # damaged or written by another version: parse again
            return None
        from socialgov.source.loader import ParsedFile

        if not isinstance(parsed, ParsedFile):
            return None
        trust_entities(parsed, valid, self.validity)
        return parsed

    def _write(
        self,
        entry: Path,
        digest: bytes,
        parsed: ParsedFile,
        valid: list[tuple[int, tuple[str | int, ...], str]],
    ) -> None:
        import pickle

        signer = self._signer(entry, digest)
        if not self._writable or signer is None:
            return
        try:
            payload = dumps((parsed, valid))
        except (pickle.PicklingError, RecursionError):
            self._writable = False
            return
        if not write_signed(self.base, self.folder, entry, digest, signer, payload):
            self._writable = False  # read-only checkout or full disk: run without the cache


CONFIG_ENTRY = "config-valid"
"""The one configuration (as read) known to pass its schema, so that a run whose socialgov.yaml
did not change need not import jsonschema to check it again."""


def _config_header(root: Path, data: Any) -> bytes:
    """What a configuration's validity depends on: socialgov's version, the schemas (their
    digests as ``root``'s cache remembers them, :func:`package_files`), and the data as read
    (its repr keeps types apart: ``1``, ``'1'`` and ``true`` differ)."""
    known = _digests_by_path(root)
    digest = digest_of(f"{__version__}\0{sys.version}\0".encode())
    for path in schema.schema_files().values():
        digest.update(_file_digest(path, known))
    digest.update(repr(data).encode("utf-8"))
    return digest.digest()


def config_known_valid(root: Path, data: Any) -> bool:
    """Whether this configuration passed its schema in an earlier run (signed, as every entry)."""
    header = _config_header(root, data)
    signer = _entry_signer(CONFIG_ENTRY, header)
    entry = root / CACHE_DIR / CONFIG_ENTRY
    return signer is not None and read_signed(entry, header, signer) == b"valid"


def remember_valid_config(root: Path, data: Any) -> None:
    """Record that this configuration passed its schema; silent when the cache cannot be
    written."""
    header = _config_header(root, data)
    signer = _entry_signer(CONFIG_ENTRY, header)
    if signer is not None:
        base = root / CACHE_DIR
        write_signed(base, base, base / CONFIG_ENTRY, header, signer, b"valid")


Vouched = list[tuple[int, tuple[str | int, ...], str]]
"""Where a file's valid entity mappings are: document index, path inside it, schema file."""


def valid_entities(parsed: ParsedFile, seen: dict[int, tuple[str, Any]]) -> Vouched:
    """Where the mappings of ``parsed`` that ``seen`` (schema.Validity.seen) holds are."""
    found = []
    for document in parsed.documents:
        for path, value in entity_candidates(document.data):
            known = seen.get(id(value))
            if known is not None and known[1] is value:
                found.append((document.index, path, known[0]))
    return found


def trust_entities(parsed: ParsedFile, valid: Vouched, validity: schema.Validity) -> None:
    """Trust the mappings ``valid`` names in ``parsed`` as having passed their schema."""
    documents = {document.index: document.data for document in parsed.documents}
    for index, path, file_name in valid:
        value = documents.get(index)
        for part in path:
            value = value[part]
        validity.trust(file_name, value)


def write_signed(
    base: Path, folder: Path, entry: Path, header: bytes, signer: Hash, payload: bytes
) -> bool:
    """Write an entry (see :func:`read_signed`) to ``entry`` atomically; False when the cache
    cannot be written (read-only checkout, full disk, a planted symbolic link)."""
    try:
        prepare_folder(base, folder)
        entry.parent.mkdir(parents=True, exist_ok=True)
        if entry.parent.is_symlink():  # planted in the repository: never write through it
            raise OSError(f"{entry.parent} is a symbolic link")
        length = len(payload).to_bytes(LENGTH_BYTES, "big")
        tag = length_tag(signer, length)
        signer.update(payload)
        import tempfile

        fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(header)
                handle.write(tag)
                handle.write(length)
                handle.write(signer.digest())
                handle.write(payload)
            os.replace(temporary, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


def prepare_folder(base: Path, folder: Path) -> None:
    """Make the cache folder ``folder`` inside ``base`` (.socialgov_cache/), removing the folders
    of other fingerprints; raises OSError rather than write through a symbolic link."""
    if base.is_symlink() or folder.is_symlink():
        raise OSError(f"{base} holds a symbolic link")  # never write through one
    if folder.is_dir():
        return
    base.mkdir(exist_ok=True)
    _create(base / ".gitignore", "# created by socialgov\n*\n")
    _create(
        base / "CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by socialgov.\n",
    )
    # Entries of other versions or limits are never read again: remove them.
    for old in base.iterdir():
        if old.is_dir() and old.name != folder.name:
            _remove_tree(old)
    folder.mkdir(exist_ok=True)


def _create(path: Path, text: str) -> None:
    """Write a new file; one that exists, even as a link pointing nowhere, is left alone."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


@cache
def _parsing() -> tuple[Any, Any]:
    """socialgov.source.fastyaml and socialgov.source.reading, imported when a run parses its
    first file (a warm run parses none), then kept: the import statements each file ran (three,
    ``from socialgov.source import fastyaml`` through importlib's ``_handle_fromlist``) cost
    about 13 K instructions a file."""
    from socialgov.source import fastyaml, reading

    return fastyaml, reading


def _source(root: Path, relpath: str, limits: dict[str, int]) -> tuple[bytes, str] | None:
    """The bytes and text of a file, or None when the loader has a finding to make about it."""
    decode = _parsing()[1].decode
    try:
        raw = read_bounded(f"{root}{os.sep}{relpath}", limits["max_file_bytes"])
        return raw, decode(raw)
    except Exception:  # OSError, reading.DecodeError, or any other: the loader tells
        return None


def read_and_parse(
    root: Path, relpath: str, limits: dict[str, int]
) -> tuple[bytes | None, ParsedFile]:
    """Parse one file; with the hash of the bytes parsed when it may be cached."""
    from socialgov.source.reading import load_file, parse_file_text

    source = _source(root, relpath, limits)
    if source is None:
        return None, load_file(root, relpath, limits)
    raw, text = source
    parsed = parse_file_text(text, relpath, limits)
    parsed.size = len(raw)
    return digest(raw), parsed


def read_and_parse_fast(
    root: Path, relpath: str, limits: dict[str, int]
) -> tuple[bytes, ParsedFile] | None:
    """Parse one file on the fast path alone (socialgov.source.fastyaml), with the file's bytes (to
    hash for the cache); None when it needs the exact path (read_and_parse)."""
    fastyaml, reading = _parsing()
    try:
        raw = read_bounded(f"{root}{os.sep}{relpath}", limits["max_file_bytes"])
    except Exception:  # OSError or any other: the loader tells
        return None
    if raw.isascii():  # no byte order mark, and its text is its bytes: not decoded (a copy)
        parsed = fastyaml.parse(None, relpath, limits, raw)
    else:
        try:
            text = reading.decode(raw)
        except Exception:  # reading.DecodeError: the loader tells
            return None
        parsed = fastyaml.parse(
            text, relpath, limits, None if raw.startswith(reading.BOMS) else raw
        )
    return None if parsed is None else (raw, parsed)


def digest(raw: bytes) -> bytes:
    """What the cache knows a file's bytes by."""
    return file_digest(raw)


def dumps(value: Any) -> bytes:
    """Pickle parsed files quickly (see _reducers)."""
    import pickle

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _reducers()
    pickler.dump(value)
    return buffer.getvalue()


def entity_candidates(data: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """The mappings of a document that may be entities: itself and the items of its lists."""
    if not isinstance(data, dict):
        return
    yield (), data
    for key, value in data.items():
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield (key, index), item


def _reducers() -> dict[type, Any]:
    """Pickle the parsed file's dataclasses as constructor calls (the findings, references and
    positions as calls of :func:`_finding` and :func:`_pair`).

    The default for a dataclass with slots restores each object field by field through Python
    code; calling the class with its fields is several times faster. A SourceMap pickles itself
    as a few flat arrays (loader._Table), not as an object per node. A process that never
    imported the loader (a warm run) has no parsed file to pickle, and does not import it.
    """
    return _reducers_for("socialgov.source.loader" in sys.modules)


@cache
def _reducers_for(parsed: bool) -> dict[type, Any]:
    reducers: dict[type, Any] = {
        Finding: _reducer(_finding, tuple(f.name for f in dataclasses.fields(Finding))),
        EntityRef: _paired(EntityRef),
        Position: _paired(Position),
    }
    if parsed:
        from socialgov.source.loader import Document, ParsedFile

        for cls in (Document, ParsedFile):
            names = tuple(f.name for f in dataclasses.fields(cls))
            if all(f.init for f in dataclasses.fields(cls)):
                reducers[cls] = _reducer(cls, names)
    return reducers


def _reducer(make: Any, names: tuple[str, ...]) -> Any:
    def reduce(obj: Any) -> tuple[Any, tuple[Any, ...]]:
        return make, tuple(getattr(obj, name) for name in names)

    return reduce


def _paired(cls: type) -> Any:
    one, other = cls.__slots__

    def reduce(obj: Any) -> tuple[Any, tuple[Any, ...]]:
        return _pair, (cls, getattr(obj, one), getattr(obj, other))

    return reduce


# A frozen dataclass's ``__init__`` sets each slot through ``object.__setattr__``: a stored run's
# findings (a Finding's eleven slots, ~18,000 instructions, and each EntityRef's and Position's
# two) were most of unpickling it, which a warm PATHS run does whole. The cache's entries are
# unpickled through the functions below instead, which fill a plain class with the same slots and
# then make the object the class it was (core.findings.made and entity_ref, which make the rules'
# findings and their references so): the same objects (tests/test_cache.py compares them with
# the classes' own constructors).


class _PositionSlots:
    __slots__ = Position.__slots__


def _position(line: int, column: int) -> Position:
    """``Position(line, column)`` without its frozen ``__init__``, as core.findings.entity_ref
    makes an EntityRef."""
    plain = _PositionSlots()
    plain.line, plain.column = line, column
    plain.__class__ = Position  # type: ignore[assignment]
    return plain  # type: ignore[return-value]


_MAKERS: dict[type, Callable[[Any, Any], Any]] = {EntityRef: entity_ref, Position: _position}
"""Each two-slot class :func:`_pair` restores, and what makes one without its ``__init__``."""


def _finding(*fields: Any) -> Finding:
    """``Finding(*fields)`` (its eleven fields in order), as unpickled: through
    core.findings.made, which bounds a message as the class does; a waived finding (few)
    through the class, which bounds the waiver's reason too."""
    if fields[-1] is not None:
        return Finding(*fields)
    return made(*fields[:-1])


def _pair(cls: type, first: Any, second: Any) -> Any:
    """``cls(first, second)`` of a frozen two-slot class (EntityRef, Position), as unpickled."""
    return _MAKERS[cls](first, second)


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


CONFIG_PARSED_ENTRY = "config-parsed"
"""The one configuration file (its bytes) known to read as a mapping, and that mapping, so that a
run whose socialgov.yaml did not change need not import a YAML parser to read it again."""


def _parsed_header(root: Path, raw: bytes) -> bytes:
    """What reading a configuration depends on: its bytes and the parsers (their code and
    versions, as in the parse cache's fingerprint)."""
    from socialgov.source.limits import DEFAULT_LIMITS

    parsers = fingerprint(dict(DEFAULT_LIMITS), root)
    return digest_of(parsers.encode() + b"\0" + raw).digest()


def config_parsed(root: Path, raw: bytes) -> Any:
    """The mapping a configuration of these bytes read as in an earlier run, else None."""
    header = _parsed_header(root, raw)
    signer = _entry_signer(CONFIG_PARSED_ENTRY, header)
    if signer is None:
        return None
    payload = read_signed(root / CACHE_DIR / CONFIG_PARSED_ENTRY, header, signer)
    if payload is None:
        return None
    try:
        data = unpickle(payload)  # signed by this machine's socialgov
    except Exception:  # damaged: read the file again
        return None
    return data if isinstance(data, dict) else None


def keep_config_parsed(root: Path, raw: bytes, data: Any) -> None:
    """Remember what a configuration of these bytes reads as; silent when it cannot."""
    import pickle

    header = _parsed_header(root, raw)
    signer = _entry_signer(CONFIG_PARSED_ENTRY, header)
    if signer is None:
        return
    try:
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a value pickle cannot take: read the file every time
        return
    base = root / CACHE_DIR
    write_signed(base, base, base / CONFIG_PARSED_ENTRY, header, signer, payload)


class CachedConfigs:
    """The cache's memory of configurations (socialgov.config.ValidConfigs): those that passed
    their schema, and what the last configuration file read as."""

    def known(self, root: Path, data: Any) -> bool:
        return config_known_valid(root, data)

    def remember(self, root: Path, data: Any) -> None:
        remember_valid_config(root, data)

    def parsed(self, root: Path, raw: bytes) -> Any:
        return config_parsed(root, raw)

    def keep_parsed(self, root: Path, raw: bytes, data: Any) -> None:
        keep_config_parsed(root, raw, data)
