"""The benchmark harness runs end to end (a smoke run: it proves the harness works, not timings)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_smoke_run_writes_results(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "benchmarks" / "run.py"),
            "--smoke",
            "--data",
            str(tmp_path / "data"),
            "--results",
            str(results),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    text = results.read_text(encoding="utf-8")
    for measure in (
        "| cold |",
        "| warm |",
        "| incremental |",
        "| full-rerun |",
        "| paths |",
        "| acme |",
        "| floor |",
    ):
        assert measure in text
    assert "## Machine" in text and "- Cores: " in text
    assert "| peak memory < 1.5 GB (largest process or process tree) |" in text
    cold = next(line for line in text.splitlines() if line.startswith("| cold |"))
    tree_mb = cold.rstrip(" |").rsplit("|", 1)[1].strip()
    assert int(tree_mb) > 0  # the process tree's memory was sampled
    assert "## Targets" in text
    # the changed file is restored after the incremental runs
    changed = tmp_path / "data" / "500" / "accounts" / "accounts-00000.yaml"
    assert "benchmark edit" not in changed.read_text(encoding="utf-8")


def test_the_process_tree_holds_every_descendant() -> None:
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(PROJECT / "benchmarks"))
    assert run.can_see_children()  # Linux, where CI runs: the memory column is measured
    sleeper = "import time; time.sleep(30)"
    middle = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {sleeper!r}])"
    script = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {middle!r}])"
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 20
        tree = run.process_tree(parent.pid)
        while len(tree) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
            tree = run.process_tree(parent.pid)
        assert tree[0] == parent.pid
        assert len(tree) == 3  # its child, and its child's child
    finally:
        for pid in reversed(run.process_tree(parent.pid)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        parent.wait()
