"""benchmarks/server.py runs end to end (a tiny smoke run: it proves the script works, never
timings)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_server_benchmark_smoke_run(tmp_path: Path) -> None:
    results = tmp_path / "SERVER.md"
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "benchmarks" / "server.py"),
            *("--accounts", "40", "--edits", "2", "--no-pin"),
            *("--data", str(tmp_path / "data"), "--results", str(results)),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    text = results.read_text(encoding="utf-8")
    assert "| accounts | edits | first lint (ms) | median (ms) |" in text
    assert re.search(r"^\| 40 \| 2 \| \d+ \| \d+ \| \d+ \| \d+ \| (yes|no) \|$", text, re.M), text
    assert (tmp_path / "data" / "server-40" / "socialgov.yaml").is_file()
