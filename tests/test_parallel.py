"""One process by default; with ``jobs`` (``lint --jobs N``), parsing in worker processes and
sharing the rules with a forked child give exactly what one process gives."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF
from socialgov.cli import main
from socialgov.config import CACHE_DIR, load_config
from socialgov.pipeline import lint
from socialgov.source import fastyaml
from socialgov.speedups import parallel, split
from test_cache import generated, repository  # noqa: F401 - the fixture is shared


def findings(root: Path, *, cache: bool, jobs: int = 1) -> list[Any]:
    result = lint(load_config(root).with_overrides(as_of=AS_OF), cache=cache, jobs=jobs)
    return [
        (f.code, f.path, f.line, f.column, f.message, f.key, f.severity, f.entity)
        for f in result.findings
    ]


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every fork this process makes (worker processes and forked children alike)."""
    made: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return made


@pytest.fixture
def parallel_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thresholds down and two cores, so that ``jobs=2`` shares whatever it can."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(split, "SPLIT_MIN_ENTITIES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)


@pytest.mark.parametrize("exact", [False, True], ids=["fast-parser", "exact-parser"])
def test_parallel_and_sequential_runs_find_the_same(
    repository: Path,  # noqa: F811
    exact: bool,
    monkeypatch: pytest.MonkeyPatch,
    parallel_everything: None,
    forks: list[int],
) -> None:
    if exact:  # every file to the workers, not only those the fast parser declines
        monkeypatch.setenv(fastyaml.EXACT_ENV, "1")
    sequential = findings(repository, cache=False)
    assert forks == []  # one process unless asked
    assert findings(repository, cache=False, jobs=2) == sequential
    assert forks  # asked: workers or the rules' child
    assert findings(repository, cache=True, jobs=2) == sequential  # then cached
    assert any((repository / CACHE_DIR).rglob("*.pickle"))
    assert findings(repository, cache=True, jobs=2) == sequential  # from the cache


def test_by_default_nothing_runs_in_another_process(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parallel_everything: None,
    forks: list[int],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Even where sharing would be allowed (large enough, two cores), the command line runs in
    one process unless --jobs says otherwise."""
    root = generated(tmp_path / "repo", 300)
    monkeypatch.setenv(fastyaml.EXACT_ENV, "1")
    args = ["lint", "--root", str(root), "--as-of", AS_OF.isoformat(), "--format", "json"]
    main([*args, "--no-cache"])
    one = capsys.readouterr().out
    assert forks == []
    main([*args, "--no-cache", "--jobs", "2"])
    assert capsys.readouterr().out == one
    assert forks


def test_small_repositories_start_no_process_even_when_asked(
    tmp_path: Path, forks: list[int]
) -> None:
    root = generated(tmp_path / "repo", 200)
    assert findings(root, cache=False, jobs=2)
    assert forks == []


def test_over_the_total_size_limit_files_are_parsed_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    root = generated(tmp_path / "repo", 200)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    files = ["people/people-00000.yaml", "accounts/accounts-00000.yaml"]
    limits = {"max_total_bytes": 10, "max_file_bytes": 10**9}
    parsed = parallel.load_all(root, files, {**_defaults(), **limits}, jobs=2)
    assert next(parsed).path == files[0]
    assert forks == []  # over max_total_bytes the caller stops before parsing it all


def _defaults() -> dict[str, int]:
    from socialgov.source.loader import DEFAULT_LIMITS

    return dict(DEFAULT_LIMITS)


def test_files_rapidyaml_refuses_print_nothing_and_stderr_is_given_back(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """The fast path's files are parsed with stderr silenced once for all of them (rapidyaml
    prints its errors there): a lint shows socialgov's finding, nothing of rapidyaml's, and
    whatever is written to stderr afterwards."""
    for number in range(3):
        (tmp_path / f"team-{number}.yaml").write_text(
            f"teams:\n  - id: team-{number}\n    name: Team {number}\n", encoding="utf-8"
        )
    (tmp_path / "broken.yaml").write_text("teams:\n  - id: x\n    name: a: b\n", encoding="utf-8")
    code = main(["lint", "--root", str(tmp_path), "--no-cache", "--format", "json"])
    os.write(2, b"after\n")
    out, err = capfd.readouterr()
    assert code == 1 and '"SG100"' in out and "broken.yaml" in out
    assert err == "after\n"


def test_an_interrupt_in_the_parent_while_forking_gives_ctrl_c_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SIGINT is held back across the fork; an exception raised in the parent meanwhile (a
    SIGALRM handler's, landing just after the fork) must put the signal mask back as it was,
    and kill and reap the child. Left held back, this process ignores Ctrl-C, and so does every
    process it starts from then on (a test suite's `lint --watch` never stopped)."""
    import signal

    real_fork, real_close = os.fork, os.close
    forked: list[int] = []

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    def close(fd: int) -> None:
        real_close(fd)
        if forked and len(forked) == 1:  # the parent's first close after the fork
            forked.append(-1)
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(os, "close", close)
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ())
    assert signal.SIGINT not in before
    with pytest.raises(KeyboardInterrupt):
        parallel.ForkedChild.fork(lambda: time.sleep(30))
    monkeypatch.undo()
    assert signal.pthread_sigmask(signal.SIG_BLOCK, ()) == before
    with pytest.raises(ChildProcessError):  # killed and reaped, not left sleeping
        os.waitpid(forked[0], os.WNOHANG)
