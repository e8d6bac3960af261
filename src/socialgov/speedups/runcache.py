"""The whole-run cache: a lint whose every input is unchanged returns the last run's findings.

Where the parse cache (socialgov.speedups.cache) saves parsing each unchanged file, this cache saves
the whole run: the model, references and every rule. A run's *inputs* are:

- the bytes of every linted file (SHA-256 each), in the order discovered, and what discovery
  reported (skipped links, for example): one byte changed, a file added or removed, and the key
  differs;
- the whole configuration after the command line's overrides (root, config file, include,
  exclude, select, ignore, severity, fail_on, options, baseline, limits) and the ``--as-of`` date;
- the baseline file's bytes, and the commit that ``--new-since REV`` names today;
- socialgov itself: its version and the bytes of every file of the package (code, schemas), the
  parse cache's fingerprint (Python, PyYAML, jsonschema and fastjsonschema versions);
- the installed plugins: the environment's stamp (the metadata folders on ``sys.path``, see
  socialgov.speedups.environment), each plugin's entry point and distribution, and the bytes of
  its package, read on every run; the plugins are not loaded for this, so a warm run imports
  neither them nor importlib.metadata (which runs only when the stamp changed).

Everything but the files' bytes is digested into the *setup*; the setup and the files' hashes into
the *key*. The last run is stored in ``.socialgov_cache/<fingerprint>/lint-run`` under its setup:
its key, its result, and the state incremental lint starts from (socialgov.speedups.incremental). A
run with the same key returns the stored result; one with the same setup but a few changed files
starts from the state. The entry is one, replaced by every run; it is pickled, signed with the same
key and signature as the parse cache, and unpickled only when the signature holds, so a pull request
cannot plant an entry that hides findings or runs code; it is written atomically (temporary file,
rename), and only when no input changed while the run read them.

The entry holds what the reporters show (findings, suppressed findings, unused waivers, the
counts, the selected rules' descriptions) but not the model, so it only serves runs that need no
model: lint of the whole repository (no PATHS) to reporters other than SARIF (whose related
locations come from the model). The audit, PATHS mode and SARIF always take the normal path.
A reused result's rules are those descriptions (:func:`rule_from_row`): the rules' code is not
imported to answer from the cache.

The reports the command line wrote from a whole run are kept too, in an entry of their own
(``lint-report``, :class:`StoredReport`), under the setup and what the reports depend on besides
the result (formats, options, the folder the command runs in): an unchanged run writes them
again without unpickling the run's findings (socialgov.pipeline.lint_reported).

Beside the run, the cache remembers what discovery chose among the files of the last walk of
the repository (so the include/exclude matcher is imported only when a folder changed) and
which plugins the environment of a stamp holds.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov import __version__
from socialgov.config import CACHE_DIR, Config
from socialgov.core.files import read_bounded
from socialgov.core.findings import Finding, Severity
from socialgov.speedups.cache import (
    RACY_NS,
    dumps,
    fingerprint,
    package_files,
    read_signed,
    signing_key,
    unpickle,
    write_signed,
)
from socialgov.speedups.digests import (
    FEW_FILES,
    Hash,
    digest,
    few_file_digest,
    file_digest,
    signer,
)

if TYPE_CHECKING:
    from socialgov.report.result import LintResult
    from socialgov.rules.base import RuleInfo

ENTRY = "lint-run"
DELTA_ENTRY = "lint-delta"
REPORT_ENTRY = "lint-report"
"""The reports of the last whole run, as the command line wrote them (see :class:`StoredReport`)."""
PLUGINS_ENTRY = "plugins"
"""Which plugins the installed distributions hold, under the environment's stamp."""
DISCOVERY_ENTRY = "discovered"
"""What discovery chose among the files of the last walk, under the walk and the patterns."""
_RULE_TEXT = ("summary", "family", "rationale", "fix", "example_fail", "example_pass")


class RunCache:
    """The stored last run of one repository under its setup: its key, result and state; and
    the changes incremental runs made to that state since (a small entry of its own, so that
    an incremental run does not write the whole state again)."""

    def __init__(self, config: Config) -> None:
        self.base = config.root / CACHE_DIR
        self.folder = self.base / fingerprint(dict(config.limits), config.root)
        self.entry = self.folder / ENTRY
        self.delta_entry = self.folder / DELTA_ENTRY
        self.report_entry = self.folder / REPORT_ENTRY
        self.plugins_entry = self.folder / PLUGINS_ENTRY
        self.discovery_entry = self.folder / DISCOVERY_ENTRY
        self._key = signing_key()

    def _signer(self, entry: Path, setup: bytes) -> Hash | None:
        if self._key is None:
            return None
        signing = signer(self._key)
        signing.update(f"{self.folder.name}\0{entry.name}\0".encode() + setup)
        return signing

    def _load(self, entry: Path, setup: bytes) -> Any:
        signer = self._signer(entry, setup)
        if signer is None:
            return None
        payload = read_signed(entry, setup, signer)
        if payload is None:
            return None  # missing, another setup's, or not written by this machine's socialgov
        try:
            return unpickle(payload)  # signed by this machine's socialgov: see above
        except Exception:  # damaged, or pickled by another version
            return None

    def _store(self, entry: Path, setup: bytes, value: Any) -> None:
        signer = self._signer(entry, setup)
        if signer is not None:
            write_signed(self.base, self.folder, entry, setup, signer, dumps(value))

    def load(self, setup: bytes) -> StoredRun | None:
        """The last full run with this setup, or None."""
        stored = self._load(self.entry, setup)
        return stored if isinstance(stored, StoredRun) else None

    def store(self, setup: bytes, stored: StoredRun) -> None:
        """Remember a full run (and forget the changes made since the last); silent when it
        cannot."""
        self._store(self.entry, setup, stored)
        with contextlib.suppress(OSError):
            self.delta_entry.unlink()

    def load_delta(self, setup: bytes) -> Any:
        """What incremental runs changed since the last full run with this setup, or None."""
        return self._load(self.delta_entry, setup)

    def store_delta(self, setup: bytes, delta: Any) -> None:
        """Remember what incremental runs changed since the last full run; silent when it
        cannot."""
        self._store(self.delta_entry, setup, delta)

    def load_report(self, setup: bytes, asked: str) -> StoredReport | None:
        """The reports last written for the run of this setup asked for as ``asked``, or None."""
        stored = self._load(self.report_entry, _report_header(setup, asked))
        return stored if isinstance(stored, StoredReport) else None

    def store_report(self, setup: bytes, asked: str, stored: StoredReport) -> None:
        """Remember the reports of a whole run (only the last ones are kept); silent when it
        cannot."""
        self._store(self.report_entry, _report_header(setup, asked), stored)

    def discover(
        self, root: Path, include: Sequence[str], exclude: Sequence[str], max_files: int | None
    ) -> tuple[list[str], list[Finding]]:
        """What socialgov.source.discovery.discover finds: the files and problems of a walk of
        ``root`` chosen by ``include`` and ``exclude``. The choice is a function of the walk's
        entries and the patterns, remembered for the last walk, so a run whose folders did not
        change does not import the pattern matcher (pathspec)."""
        from socialgov.source.discovery import Entry, select, walk

        entries = walk(root)
        walked = digest()
        # each entry as repr(astuple(entry)) writes it (its fields are texts and flags), without
        # astuple's deep copy of each field, a thousand entries at a time
        names = [field.name for field in fields(Entry)]
        for start in range(0, len(entries), 1000):
            text = "".join(
                repr(tuple([getattr(entry, name) for name in names]))
                for entry in entries[start : start + 1000]
            )
            walked.update(text.encode("utf-8", "surrogateescape"))
        walked.update(
            repr((tuple(include), tuple(exclude), max_files)).encode("utf-8", "surrogateescape")
        )
        header = walked.digest()
        known = self._load(self.discovery_entry, header)
        if (
            isinstance(known, tuple)
            and len(known) == 2
            and isinstance(known[0], list)
            and isinstance(known[1], list)
            and all(type(f) is Finding for f in known[1])
        ):
            return list(known[0]), list(known[1])
        files, problems = select(entries, include, exclude, max_files)
        self._store(self.discovery_entry, header, (files, problems))
        return files, problems

    def plugins(self, stamp: bytes, untrusted: Sequence[Path]) -> list[PluginSource]:
        """The plugins installed in the environment of ``stamp``: remembered, or found with
        importlib.metadata (once, after anything was installed or removed) and remembered."""
        known = self._load(self.plugins_entry, stamp)
        if isinstance(known, list) and all(type(item) is PluginSource for item in known):
            return known
        found = plugin_sources(untrusted)
        self._store(self.plugins_entry, stamp, found)
        return found


@dataclass(frozen=True)
class StoredRun:
    """What the cache keeps of a run: its inputs (hashes and stamps), what the reporters show
    (:func:`result_payload`) and, when it can be kept, the state for incremental lint."""

    inputs: RunInputs
    result: dict[str, Any] | None
    """None after a PATHS run, which reported only some files."""
    state: Any = None

    @property
    def key(self) -> bytes:
        return self.inputs.key


@dataclass(frozen=True)
class StoredReport:
    """The reports of a whole run, as written: what the command line rendered from the run's
    result for what it was asked (formats, options, the folder it ran in), kept apart from the
    run's entry so that an unchanged run writes them again without unpickling its findings."""

    inputs: RunInputs
    value: Any


def _report_header(setup: bytes, asked: str) -> bytes:
    return digest(setup + b"\0" + asked.encode("utf-8", "surrogateescape")).digest()


Stamp = tuple[int, int, int, int]
"""A file's size, modification and change times (nanoseconds) and inode."""


@dataclass(frozen=True)
class RunInputs:
    """What a full lint depends on: ``setup`` digests everything but the files' bytes (the
    configuration, socialgov, plugins, baseline, the --new-since commit, the file list and what
    discovery found); ``hashes`` holds each file's SHA-256, in the order of ``files``, and
    ``stamps`` what the file system said of each when it was hashed (at ``hashed_at``)."""

    setup: bytes
    files: tuple[str, ...]
    stamps: tuple[Stamp, ...]
    hashes: tuple[bytes, ...] = ()
    hashed_at: int = 0

    def same(self, other: RunInputs) -> bool:
        """Whether ``other`` found the same setup and files, each with the same stamp and
        hash (when each was hashed aside)."""
        return self.unchanged(other) and self.hashes == other.hashes

    def unchanged(self, later: RunInputs) -> bool:
        """Whether ``later`` finds the same setup, the same files and each file untouched."""
        return (self.setup, self.files, self.stamps) == (later.setup, later.files, later.stamps)

    def settles(self, earlier: RunInputs) -> bool:
        """Whether files that ``earlier`` hashed too soon after they changed to keep their hash
        (see :meth:`hashed`) are fewer here: remembered instead of ``earlier``, these inputs
        spare the next runs hashing those files again (as git refreshes its index)."""
        return self._racy() < earlier._racy()

    def _racy(self) -> int:
        """How many files were hashed too soon after they changed for their hash to be kept."""
        if not self.hashes:
            return 0
        limit = self.hashed_at - RACY_NS
        return sum(1 for _, mtime, ctime, _ in self.stamps if mtime >= limit or ctime >= limit)

    @property
    def key(self) -> bytes:
        """One digest of every input: the whole-run cache's key."""
        key = digest(self.setup)
        for relpath, file_hash in zip(self.files, self.hashes, strict=True):
            key.update(relpath.encode("utf-8", "surrogateescape") + b"\0" + file_hash)
        return key.digest()

    def hashed(self, config: Config, known: RunInputs | None = None) -> RunInputs | None:
        """These inputs with every file's hash; None when a file cannot be read (the normal
        path then reports it). A file whose stamp is the one ``known`` (an earlier run's
        inputs) recorded, and older than that run by :data:`RACY_NS`, keeps ``known``'s hash
        without being read again."""
        started = time.time_ns()
        reusable: dict[str, tuple[Stamp, bytes]] = {}
        if known is not None and known.hashes:
            before = known.hashed_at - RACY_NS
            reusable = {
                relpath: (stamp, file_hash)
                for relpath, stamp, file_hash in zip(
                    known.files, known.stamps, known.hashes, strict=True
                )
                if stamp[1] < before and stamp[2] < before
            }
        limit = config.limits["max_file_bytes"]
        top = os.path.join(config.root, "")
        hashes = []
        fresh = 0
        for relpath, stamp in zip(self.files, self.stamps, strict=True):
            kept = reusable.get(relpath)
            if kept is not None and kept[0] == stamp:
                hashes.append(kept[1])
                continue
            fresh += 1  # a few without loading OpenSSL (a warm run's), the rest through it
            hash_file = few_file_digest if fresh <= FEW_FILES else file_digest
            try:
                hashes.append(hash_file(read_bounded(top + relpath, limit)))
            except Exception:  # unreadable or too big: the normal path says so
                return None
        return replace(self, hashes=tuple(hashes), hashed_at=started)


def run_inputs(
    config: Config,
    files: Sequence[str],
    discovered: Sequence[Finding],
    new_since: str | None,
    run_cache: RunCache | None = None,
) -> RunInputs | None:
    """What a full lint depends on, the files looked at but not read (see
    :meth:`RunInputs.hashed`); None when some input cannot be read (the normal path then
    reports it)."""
    setup = digest()

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
            setup.update(len(data).to_bytes(8, "big") + data)

    run_cache = run_cache or RunCache(config)
    add(__version__, _package_digest(config.root), fingerprint(dict(config.limits), config.root))
    add(*(repr(getattr(config, f.name)) for f in fields(config)))
    add(*_plugin_inputs(config, run_cache))
    if config.baseline is not None:
        from socialgov.report.baseline import MAX_BYTES

        try:  # bounded, and never blocking on a pipe: the path may come from a pull request
            add(read_bounded(config.baseline, MAX_BYTES))
        except Exception:  # the normal path says what is wrong with it
            return None
    if new_since is not None:
        commit = _commit(config.root, new_since)
        if commit is None:
            return None
        add(commit)
    add(len(files), *files, *(finding_row(f) for f in discovered))
    stamps = []
    top = os.path.join(config.root, "")  # joined as text: a Path for each file costs more
    for relpath in files:
        try:
            info = os.stat(top + relpath)
        except OSError:  # gone or unreadable: the normal path says so
            return None
        stamps.append((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return RunInputs(setup.digest(), tuple(files), tuple(stamps))


def _package_digest(root: Path | None = None) -> bytes:
    """The bytes of every file of the installed socialgov package (code, schemas, data), and
    of its data folders outside it (a source checkout's schemas/ and rules/): one digest of
    each file's name and SHA-256 (socialgov.speedups.cache.package_files, remembered in
    ``root``'s cache under what the file system says of every file)."""
    package = digest()
    for shown, _, sha in package_files(root):
        package.update(shown.encode("utf-8", "surrogateescape") + b"\0" + sha)
    return package.digest()


@dataclass(frozen=True)
class PluginSource:
    """An installed plugin (an entry point of socialgov.rules) and where its code lives."""

    name: str
    value: str
    distribution: str
    code: str | None
    """The plugin's top package folder, or its module file; None when it cannot be found."""
    package: bool


def plugin_sources(untrusted: Sequence[Path]) -> list[PluginSource]:
    """Every installed plugin, found with importlib.metadata, without importing its code."""
    from importlib.util import find_spec

    from socialgov.core.entrypoints import installed_entry_points, without_untrusted_paths
    from socialgov.rules.plugins import GROUP

    found = []
    for entry, dist in installed_entry_points(GROUP, untrusted):
        top = entry.value.split(":", 1)[0].strip().split(".", 1)[0]
        code: str | None = None
        package = False
        try:
            with without_untrusted_paths(untrusted):
                spec = find_spec(top)
        except (ImportError, ValueError):  # loading it says what is wrong (exit 2)
            spec = None
        if spec is not None and spec.origin not in (None, "built-in", "frozen"):
            origin = Path(spec.origin)
            package = origin.name == "__init__.py"
            code = str(origin.parent if package else origin)
        elif spec is not None and spec.submodule_search_locations:  # a namespace package
            code, package = str(next(iter(spec.submodule_search_locations))), True
        found.append(
            PluginSource(entry.name, entry.value, str(dist.metadata["Name"]), code, package)
        )
    return found


def _plugin_inputs(config: Config, run_cache: RunCache) -> list[object]:
    """What the installed plugins are: the environment's stamp (socialgov.speedups.environment),
    each plugin's entry point and distribution, and the bytes of its code, read on every run.

    A plugin's rules are not loaded for this: a warm run never imports them."""
    from socialgov.speedups.environment import environment_stamp, search_path

    untrusted = [config.root]
    stamp = environment_stamp(search_path(untrusted))
    parts: list[object] = [stamp]
    for plugin in run_cache.plugins(stamp, untrusted):
        parts.append((plugin.name, plugin.value, plugin.distribution, plugin.code))
        if plugin.code is None:
            continue
        where = Path(plugin.code)
        paths = sorted(where.rglob("*.py")) if plugin.package else [where]
        for path in paths:
            try:
                parts.append(file_digest(path.read_bytes()))
            except OSError:
                parts.append(str(path))
    return parts


def _commit(root: Path, revision: str) -> str | None:
    """The commit ``revision`` names now, or None when git cannot say."""
    import subprocess

    try:
        done = subprocess.run(
            [
                "git",
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{revision}^{{commit}}",
            ],
            cwd=root,
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except OSError:
        return None
    text = done.stdout.decode("ascii", "replace").strip()
    return text if done.returncode == 0 and text else None


def finding_row(finding: Finding) -> list[Any]:
    """A finding as a JSON list, every field kept."""
    return [
        finding.code,
        finding.name,
        int(finding.severity),
        finding.message,
        finding.path,
        finding.line,
        finding.column,
        None if finding.entity is None else [finding.entity.kind, finding.entity.id],
        [[ref.kind, ref.id] for ref in finding.related],
        finding.key,
        finding.suppressed,
    ]


def rule_row(info: RuleInfo) -> dict[str, Any]:
    """What reporters may show of a rule (its check is code and is looked up again)."""
    row: dict[str, Any] = {"code": info.code, "name": info.name, "severity": int(info.severity)}
    row.update({name: getattr(info, name) for name in _RULE_TEXT})
    return row


def rule_from_row(row: dict[str, Any], known: Mapping[str, RuleInfo] | None = None) -> RuleInfo:
    """The built-in or plugin rule of that code in ``known``, else its description (what the
    reporters show of a rule; a warm run does not import the rules' code)."""
    from socialgov.rules.base import RuleInfo

    info = known.get(row["code"]) if known is not None else None
    if info is not None:
        return info
    return RuleInfo(
        code=row["code"],
        name=row["name"],
        severity=Severity(row["severity"]),
        **{name: row[name] for name in _RULE_TEXT},
    )


def result_payload(result: LintResult) -> dict[str, Any]:
    """What the whole-run cache keeps of a lint result: everything but the model."""
    return {
        "rules": [rule_row(info) for info in result.rules],
        "findings": result.findings,
        "suppressed": result.suppressed,
        "unused_waivers": result.unused_waivers,
        "baselined": result.baselined,
        "preexisting": result.preexisting,
        "files": result.files,
        "entities": result.entities,
    }


def load_result(config: Config, stored: dict[str, Any]) -> LintResult | None:
    """The lint result that ``result_payload`` kept, for ``config``; None when it is damaged.
    Its rules are the descriptions the result kept (:func:`rule_from_row`), without their code."""
    from socialgov.report.result import LintResult

    try:
        return LintResult(
            run="stored",
            config=config,
            rules=tuple(rule_from_row(row) for row in stored["rules"]),
            findings=_findings(stored["findings"]),
            suppressed=_findings(stored["suppressed"]),
            unused_waivers=_findings(stored["unused_waivers"]),
            baselined=int(stored["baselined"]),
            preexisting=int(stored["preexisting"]),
            files=int(stored["files"]),
            entities=int(stored["entities"]),
        )
    except (KeyError, TypeError, ValueError):  # a damaged entry: the run is made again
        return None


def _findings(stored: Any) -> tuple[Finding, ...]:
    if not isinstance(stored, tuple) or not all(type(f) is Finding for f in stored):
        raise TypeError("not a tuple of findings")
    return stored
