"""The parse cache: warm and incremental runs give exactly the findings of a run without it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ACME, AS_OF, PROJECT
from socialgov.cache import CACHE_DIR, ParseCache
from socialgov.cli import main
from socialgov.config import load_config
from socialgov.lint import lint
from test_fastcheck import SCHEMA_DEFECTS


def findings(root: Path, *, cache: bool) -> list[Any]:
    result = lint(load_config(root).with_overrides(as_of=AS_OF), cache=cache)
    return [
        (f.code, f.path, f.line, f.column, f.message, f.key, f.severity, f.entity)
        for f in result.findings
    ]


def generated(root: Path, accounts: int = 600) -> Path:
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    try:
        from generate import Generator
    finally:
        sys.path.remove(str(PROJECT / "benchmarks"))
    Generator(accounts).write(root)
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
