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
    expected = lint(config).findings
    everything = len(checked)
    assert everything > 20  # each entity of acme, checked once
    checked.clear()
    assert lint(config, cache=True).findings == expected  # fills the cache: all checked
    assert len(checked) == everything
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
