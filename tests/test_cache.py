"""The parse cache: warm and incremental runs give exactly the findings of a run without it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmark_modules import benchmark_module
from conftest import ACME, AS_OF
from socialgov.cli import main
from socialgov.config import CACHE_DIR, load_config
from socialgov.pipeline import lint
from socialgov.speedups.cache import ParseCache
from test_fastcheck import SCHEMA_DEFECTS


def findings(root: Path, *, cache: bool) -> list[Any]:
    result = lint(load_config(root).with_overrides(as_of=AS_OF), cache=cache)
    return [
        (f.code, f.path, f.line, f.column, f.message, f.key, f.severity, f.entity)
        for f in result.findings
    ]


def generated(root: Path, accounts: int = 600) -> Path:
    benchmark_module("generate").Generator(accounts).write(root)
    return root


@pytest.fixture(params=["acme", "generated"])
def repository(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = tmp_path / request.param
    if request.param == "acme":
        shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    else:
        generated(root)
    (root / "schema-defects.yaml").write_text(SCHEMA_DEFECTS, encoding="utf-8")
    return root


def test_cold_warm_and_incremental_runs_find_the_same(repository: Path) -> None:
    expected = findings(repository, cache=False)
    assert any(code == "SG101" for code, *_ in expected)
    assert not (repository / CACHE_DIR).exists()  # without the cache nothing is written
    assert findings(repository, cache=True) == expected  # fills the cache
    assert (repository / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert findings(repository, cache=True) == expected  # warm: every file from the cache

    defects = repository / "schema-defects.yaml"
    defects.write_text(
        defects.read_text(encoding="utf-8").replace("emial:", "e_mail:"), encoding="utf-8"
    )
    changed = findings(repository, cache=False)
    assert changed != expected
    assert findings(repository, cache=True) == changed  # incremental: the edit is seen


def test_entities_read_from_the_cache_are_not_schema_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialgov.schema import validation

    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    config = load_config(root).with_overrides(as_of=AS_OF)
    checked: list[Any] = []
    real = validation.check_schema

    def counting(file_name: str, data: Any, *checks: Any) -> list[Any]:
        checked.append(data.get("id"))
        return real(file_name, data, *checks)

    monkeypatch.setattr(validation, "check_schema", counting)
    expected = lint(config).findings  # (valid data checked as it is built: model.valid_<kind>)
    checked.clear()
    assert lint(config, cache=True).findings == expected  # fills the cache: all checked
    everything = len(checked)
    assert everything > 20  # each entity of acme, checked once
    checked.clear()
    assert lint(config, cache=True).findings == expected  # a full run from the cache
    assert checked == []
    tools = root / "tools" / "tools.yaml"
    tools.write_text(tools.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    checked.clear()
    assert lint(config, cache=True).findings == expected
    assert sorted(checked) == ["brandwatch", "later", "sprout-social"]  # that file only


def test_only_changed_files_are_parsed_again(tmp_path: Path) -> None:
    root = generated(tmp_path / "repo", 300)
    config = load_config(root)
    first = ParseCache(root, dict(config.limits))
    for relpath in ("people/people-00000.yaml", "accounts/accounts-00000.yaml"):
        first.load(relpath)
    first.close()
    assert (first.hits, first.misses) == (0, 2)
    with (root / "accounts/accounts-00000.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    second = ParseCache(root, dict(config.limits))
    second.load("people/people-00000.yaml")
    second.load("accounts/accounts-00000.yaml")
    second.close()
    assert (second.hits, second.misses) == (1, 1)


def test_other_limits_use_a_fresh_cache_and_drop_the_old_one(tmp_path: Path) -> None:
    root = generated(tmp_path / "repo", 200)
    limits = dict(load_config(root).limits)
    first = ParseCache(root, limits)
    first.load("people/people-00000.yaml")
    first.close()
    second = ParseCache(root, {**limits, "max_depth": limits["max_depth"] + 1})
    assert second.folder != first.folder
    second.load("people/people-00000.yaml")
    second.close()
    assert second.misses == 1
    assert not first.folder.exists()


def test_a_damaged_entry_is_parsed_again(tmp_path: Path) -> None:
    root = generated(tmp_path / "repo", 200)
    expected = findings(root, cache=False)
    findings(root, cache=True)
    for entry in (root / CACHE_DIR).rglob("*.pickle"):
        data = entry.read_bytes()
        entry.write_bytes(data[:40] + b"garbage")
    assert findings(root, cache=True) == expected


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    root = generated(tmp_path / "repo", 200)
    (root / CACHE_DIR).write_text("not a folder", encoding="utf-8")
    assert findings(root, cache=True) == findings(root, cache=False)


def test_the_command_line_caches_unless_told_not_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    args = ["lint", "--root", str(root), "--as-of", AS_OF.isoformat(), "--no-color"]
    main([*args, "--no-cache"])
    uncached = capsys.readouterr().out
    assert not (root / CACHE_DIR).exists()
    main(args)
    assert capsys.readouterr().out == uncached
    assert (root / CACHE_DIR).is_dir()
    main(args)
    assert capsys.readouterr().out == uncached


def test_in_ci_the_cache_is_written_only_where_one_was_restored_or_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    args = ["lint", "--root", str(root), "--as-of", AS_OF.isoformat(), "--no-color"]
    main(args)
    expected = capsys.readouterr().out
    shutil.rmtree(root / CACHE_DIR)
    for value in ("true", "1", "True", "yes"):
        monkeypatch.setenv("CI", value)
        main(args)  # a fresh CI checkout: a cache would be written and never read
        assert capsys.readouterr().out == expected
        assert not (root / CACHE_DIR).exists(), value
        main(["audit", "--root", str(root), "--as-of", AS_OF.isoformat(), "--format", "json"])
        assert '"organisation": "Acme Corp"' in capsys.readouterr().out
        assert not (root / CACHE_DIR).exists(), value
    main([*args, "--cache"])  # asked for (to be saved with actions/cache)
    assert capsys.readouterr().out == expected
    assert (root / CACHE_DIR).is_dir()
    entries = sorted(p.name for p in (root / CACHE_DIR).rglob("*"))
    main(args)  # restored: used and kept up to date
    assert capsys.readouterr().out == expected
    assert sorted(p.name for p in (root / CACHE_DIR).rglob("*")) == entries
    for value in ("", "0", "false"):
        shutil.rmtree(root / CACHE_DIR)
        monkeypatch.setenv("CI", value)
        main(args)
        assert (root / CACHE_DIR).is_dir(), value
    capsys.readouterr()


# --------------------------------------------------------------------------- a hostile repository
# The cache folder sits in the repository, so a pull request can commit one. Entries are pickles,
# and unpickling runs code: what a pull request plants there must never be unpickled, and no
# link planted there may make socialgov write outside the repository.


class _Payload:
    """Unpickled, this runs ``touch MARKER``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        import os

        return os.system, (f"touch {self.marker}",)


@pytest.fixture
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's user cache folder, where the signing key is made."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "socialgov" / "cache.key"


def _planted_repo(tmp_path: Path) -> tuple[Path, str, Path]:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "socialgov.yaml").write_text("organisation: Test\n", encoding="utf-8")
    relpath = "people.yaml"
    (root / relpath).write_text("people:\n  - {id: ana, employment: intern}\n", encoding="utf-8")
    return root, relpath, tmp_path / "pwned"


def test_a_planted_entry_is_never_unpickled(tmp_path: Path, own_key: Path) -> None:
    import hashlib
    import pickle

    root, relpath, marker = _planted_repo(tmp_path)
    expected = findings(root, cache=False)
    payload = pickle.dumps(_Payload(marker))
    pickle.loads(payload)  # the payload is live: unpickling it runs the command
    assert marker.exists()
    marker.unlink()
    entry = ParseCache(root, dict(load_config(root).limits))._entry(relpath)
    entry.parent.mkdir(parents=True)
    digest = hashlib.sha256((root / relpath).read_bytes()).digest()
    for planted in (digest + payload, digest + b"\0" * 32 + payload):  # unsigned, badly signed
        entry.write_bytes(planted)
        assert findings(root, cache=True) == expected
        assert not marker.exists()
    assert own_key.stat().st_size == 32 and own_key.stat().st_mode & 0o077 == 0
    assert findings(root, cache=True) == expected  # the entry this machine wrote is read back


def test_links_planted_in_the_cache_folder_are_never_written_through(
    tmp_path: Path, own_key: Path
) -> None:
    root, _, _ = _planted_repo(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    expected = findings(root, cache=False)
    (root / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    assert findings(root, cache=True) == expected
    assert list(outside.iterdir()) == []
    (root / CACHE_DIR).unlink()
    (root / CACHE_DIR).mkdir()
    (root / CACHE_DIR / ".gitignore").symlink_to(outside / "created-through-a-link")
    assert findings(root, cache=True) == expected
    assert list(outside.iterdir()) == []


def test_a_planted_pipe_is_not_read(tmp_path: Path, own_key: Path, time_limit: Any) -> None:
    import os

    root, relpath, _ = _planted_repo(tmp_path)
    expected = findings(root, cache=False)
    entry = ParseCache(root, dict(load_config(root).limits))._entry(relpath)
    entry.parent.mkdir(parents=True)
    os.mkfifo(entry)
    with time_limit(10):
        assert findings(root, cache=True) == expected


def test_without_a_signing_key_there_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _, _ = _planted_repo(tmp_path)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert findings(root, cache=True) == findings(root, cache=False)
    assert not (root / CACHE_DIR).exists()


def _package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of socialgov's package that package_files reads instead of the real one."""
    from socialgov.core.resources import PACKAGE_DIR
    from socialgov.speedups import cache

    package = tmp_path / "package"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    cache.package_files.cache_clear()
    return package


def _read(files: tuple[tuple[str, str, bytes], ...]) -> dict[str, bytes]:
    import hashlib

    return {shown: hashlib.sha256(Path(path).read_bytes()).digest() for shown, path, _ in files}


def test_the_package_files_digests_are_remembered_under_their_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process after the first reads none of socialgov's files to know their digests; a file
    rewritten with the same size and times, added or removed is read again."""
    import os

    from socialgov.speedups import cache

    package = _package_copy(tmp_path, monkeypatch)
    monkeypatch.setattr(cache, "RACY_NS", 0)  # remember at once (no need to wait)
    root = tmp_path / "repo"
    root.mkdir()
    first = cache.package_files(root)
    shown = {name for name, _, _ in first}
    assert "pipeline.py" in shown and "speedups/cache.py" in shown
    assert not any("__pycache__" in name for name in shown)
    assert dict((name, sha) for name, _, sha in first) == _read(first)
    assert (root / CACHE_DIR / cache.PACKAGE_FILES_ENTRY).is_file()

    def unread(file: Any, *args: Any, **kwargs: Any) -> Any:
        assert not str(file).startswith(str(package)), f"read a package file: {file}"
        return open(file, *args, **kwargs)

    cache.package_files.cache_clear()  # as a new process would
    with monkeypatch.context() as reading:
        reading.setattr(cache, "open", unread, raising=False)
        assert cache.package_files(root) == first

    module = package / "pipeline.py"
    text = module.read_text(encoding="utf-8")
    info = module.stat()
    module.write_text(text.replace("one run", "two run", 1), encoding="utf-8")  # same length
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert module.stat().st_size == info.st_size
    cache.package_files.cache_clear()
    edited = cache.package_files(root)
    assert edited != first and dict((n, sha) for n, _, sha in edited) == _read(edited)

    (package / "rules" / "extra.txt").write_text("a file of the package\n", encoding="utf-8")
    cache.package_files.cache_clear()
    added = cache.package_files(root)
    assert "rules/extra.txt" in {name for name, _, _ in added}
    (package / "rules" / "extra.txt").unlink()
    cache.package_files.cache_clear()
    assert cache.package_files(root) == edited


def test_package_files_changed_just_now_are_not_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files written less than RACY_NS before the digests were made may change again in the
    same clock tick: those digests are not remembered (the copy was just written)."""
    from socialgov.speedups import cache

    _package_copy(tmp_path, monkeypatch)
    root = tmp_path / "repo"
    root.mkdir()
    files = cache.package_files(root)
    assert dict((name, sha) for name, _, sha in files) == _read(files)
    assert not (root / CACHE_DIR / cache.PACKAGE_FILES_ENTRY).exists()


def test_a_schema_edited_in_place_is_seen_by_the_fingerprint_and_the_configs_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse cache's folder and the memo of valid configurations take the schemas' digests
    from package_files: a schema rewritten with the same size and times changes both."""
    import os

    from socialgov.core import resources
    from socialgov.schema import validation
    from socialgov.speedups import cache

    monkeypatch.setattr(cache, "RACY_NS", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    schemas = tmp_path / "schemas"
    shutil.copytree(resources.data_dir("schemas"), schemas)
    real = resources.data_dir

    def data_dir(name: str) -> Path:
        return schemas if name == "schemas" else real(name)

    monkeypatch.setattr(resources, "data_dir", data_dir)
    monkeypatch.setattr(validation, "data_dir", data_dir)
    root = tmp_path / "repo"
    root.mkdir()
    (root / "socialgov.yaml").write_text("organisation: Acme\n", encoding="utf-8")
    before = cache.fingerprint({"max_files": 1}, root)
    load_config(root, valid=cache.CachedConfigs())
    assert cache.config_known_valid(root, {"organisation": "Acme"})

    schema = schemas / "config.schema.json"
    text = schema.read_text(encoding="utf-8")
    info = schema.stat()
    schema.write_text(text.replace("organisation", "organisatioN", 1), encoding="utf-8")
    os.utime(schema, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert schema.stat().st_size == info.st_size
    cache.package_files.cache_clear()  # as a new process would
    cache._fingerprint.cache_clear()
    assert cache.fingerprint({"max_files": 1}, root) != before
    assert not cache.config_known_valid(root, {"organisation": "Acme"})


def test_unpickled_findings_references_and_positions_are_the_classes_own() -> None:
    """The cache's entries restore a Finding, an EntityRef and a Position without their frozen
    ``__init__``: the same objects as the constructors make, messages bounded as they bound them."""
    import pickle

    from socialgov.core.findings import EntityRef, Finding, Position, Severity
    from socialgov.core.text import MAX_MESSAGE
    from socialgov.speedups.cache import dumps

    ref = EntityRef("Account", "acme-x")
    finding = Finding(
        "SG201",
        "unowned",
        Severity.WARNING,
        "Account acme-x has no owner",
        "accounts/x.yaml",
        3,
        5,
        ref,
        (EntityRef("Team", "t"), ref),
        "owner",
        "waived: see ticket 12",
    )
    plain = Finding("SG100", "yaml", Severity.ERROR, "bad", "a.yaml")
    assert b"_finding" in dumps(finding) and b"_pair" in dumps(ref)  # not the classes
    for value in (finding, plain, ref, Position(7, 9), (ref, Position(1, 1), (finding,))):
        restored = pickle.loads(dumps(value))
        assert restored == value and type(restored) is type(value)
        assert repr(restored) == repr(value)
        assert hash(restored) == hash(value)
    again = pickle.loads(dumps(finding))
    assert again.suppressed == finding.suppressed  # not compared by ==
    assert (again.entity, again.related) == (finding.entity, finding.related)
    with pytest.raises(AttributeError):
        again.line = 4  # type: ignore[misc]  # still frozen
    assert sorted([pickle.loads(dumps(Position(2, 1))), Position(1, 3)]) == [
        Position(1, 3),
        Position(2, 1),
    ]

    # a text longer than a finding keeps (not made by the class) is bounded as the class bounds it
    made = Finding("SG100", "yaml", Severity.ERROR, "x" * (MAX_MESSAGE + 50), "a.yaml")
    for reason in (None, "y" * (MAX_MESSAGE + 50)):
        long = object.__new__(Finding)
        for name in Finding.__slots__:
            object.__setattr__(long, name, getattr(plain, name))
        object.__setattr__(long, "message", "x" * (MAX_MESSAGE + 50))
        object.__setattr__(long, "suppressed", reason)
        bounded = pickle.loads(dumps(long))
        assert bounded.message == made.message and len(bounded.message) <= MAX_MESSAGE
        assert reason is None or len(bounded.suppressed) <= MAX_MESSAGE
