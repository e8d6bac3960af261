"""``socialgov lint --watch``: lint, then again after each change, until Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import PROJECT, MakeRepo
from socialgov.commands.watch import changes, watch

ACCOUNT = "kind: Account\nid: news\nplatform: x\nhandle: news\n"


def test_watch_runs_again_after_each_change_and_stops_on_interrupt() -> None:
    looks = iter(
        [
            {"a.yaml": (1, 1)},
            {"a.yaml": (1, 1)},
            {"a.yaml": (2, 5)},  # first run, then an edit
            {"a.yaml": (2, 5)},
            {"a.yaml": (2, 5), "b.yaml": (1, 9)},
        ]  # second run, a new file
    )
    runs: list[int] = []
    lines: list[str] = []

    def look() -> dict[str, tuple[int, int]]:
        try:
            return next(looks)
        except StopIteration:
            raise KeyboardInterrupt from None

    def run() -> int:
        runs.append(len(runs))
        return len(runs) % 2

    assert watch(run, look, lines.append, sleep=lambda _: None) == 0  # the last run's code
    assert runs == [0, 1]
    assert lines.count("socialgov: watching for changes (Ctrl-C to stop)") == 2
    assert "socialgov: a.yaml changed; linting again" in lines
    assert "socialgov: b.yaml changed; linting again" in lines


def test_changes_name_added_removed_and_edited_files() -> None:
    assert changes({"a": (1, 1), "b": (1, 1)}, {"a": (1, 2), "c": (1, 1)}) == ["a", "b", "c"]
    assert changes({"a": (1, 1)}, {"a": (1, 1)}) == []


def _reader(stream: object, lines: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        lines.put(line)


@pytest.mark.slow
def _ctrl_c_as_at_a_terminal() -> None:
    """The watch starts with SIGINT as a terminal's foreground command has it, whatever this
    test process inherited: a suite started in the background (``pytest &``, nohup) ignores
    SIGINT, and a child inherits that, so that the watch would never see the test's Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_lint_watch_end_to_end(make_repo: MakeRepo) -> None:
    root = make_repo({"accounts/news.yaml": ACCOUNT}, "organisation: T\nselect: [SG201]\n")
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "socialgov", "lint", "--watch", "--root", str(root), "--no-color"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []

    def until(text: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return
        raise AssertionError(f"never saw {text!r}: {''.join(seen)}")

    try:
        until("watching for changes")
        assert any("SG201" in line for line in seen)  # the account has no owner
        time.sleep(0.05)
        (root / "accounts" / "news.yaml").write_text(ACCOUNT + "owner: jdoe\n", encoding="utf-8")
        until("accounts/news.yaml changed; linting again")
        until("watching for changes")
        second = "".join(seen[seen.index(next(s for s in seen if "changed" in s)) :])
        assert "SG201" not in second and "No problems found" in second
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0  # the last run's exit code
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
