"""The benchmark harness runs end to end (a smoke run: it proves the harness works, not timings)."""

from __future__ import annotations

import os
import subprocess
import sys
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
