"""Parsing in worker processes gives exactly what parsing in one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialgov import fastyaml, parallel
from socialgov.cache import CACHE_DIR
from test_cache import findings, generated, repository  # noqa: F401 - the fixture is shared


@pytest.mark.parametrize("exact", [False, True], ids=["fast-parser", "exact-parser"])
def test_parallel_and_sequential_parsing_find_the_same(
    repository: Path,  # noqa: F811
    exact: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if exact:  # every file to the workers, not only those the fast parser declines
        monkeypatch.setenv(fastyaml.EXACT_ENV, "1")
    sequential = findings(repository, cache=False)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    assert findings(repository, cache=False) == sequential
    assert findings(repository, cache=True) == sequential  # parsed in workers, then cached
    assert any((repository / CACHE_DIR).rglob("*.pickle"))
    assert findings(repository, cache=True) == sequential  # from the cache


def test_small_repositories_start_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated(tmp_path / "repo", 200)

    def refuse(*args: object) -> None:
        raise AssertionError("a small repository must be parsed in this process")

    monkeypatch.setattr(parallel, "_parse_in_parallel", refuse)
    assert findings(root, cache=False)


def test_over_the_total_size_limit_files_are_parsed_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated(tmp_path / "repo", 200)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)

    def refuse(*args: object) -> None:
        raise AssertionError("over max_total_bytes the caller must stop before parsing it all")

    monkeypatch.setattr(parallel, "_parse_in_parallel", refuse)
    files = ["people/people-00000.yaml", "accounts/accounts-00000.yaml"]
    limits = {"max_total_bytes": 10, "max_file_bytes": 10**9}
    parsed = parallel.load_all(root, files, {**_defaults(), **limits})
    assert next(parsed).path == files[0]


def _defaults() -> dict[str, int]:
    from socialgov.loader import DEFAULT_LIMITS

    return dict(DEFAULT_LIMITS)
