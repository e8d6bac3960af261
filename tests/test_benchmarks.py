"""The benchmark harness runs end to end (a smoke run: it proves the harness works, not timings)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmark_modules import benchmark_module

PROJECT = Path(__file__).resolve().parent.parent


def _run_module():  # benchmarks/run.py, imported as the harness's own helpers
    return benchmark_module("run")


@pytest.mark.slow
def test_smoke_run_measures_both_trees_before_and_after(tmp_path: Path) -> None:
    """--smoke on both generators' trees, with --against HEAD: every measure on each tree and
    each side, every target row, the before/after table, the changed file restored."""
    run = _run_module()
    results = tmp_path / "RESULTS.md"
    previous = f"{run.BOUGHT_START}\n| one parse path | a -> b | human 5,000 cold 0.61x |\n"
    results.write_text(f"# old\n\n{previous}{run.BOUGHT_END}\n", encoding="utf-8")
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    options = ["--smoke", "--runs", "2", "--against", "HEAD", "--data", str(data)]
    options += ["--results", str(results)]
    completed = subprocess.run(
        [sys.executable, str(PROJECT / "benchmarks" / "run.py"), *options, "--bought", "smoke"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stderr
    text = results.read_text(encoding="utf-8")
    assert "## Machine" in text and "- Cores: " in text
    assert "pinned to one core: `taskset -c 0`" in text or "CPU affinity set to core 0" in text
    for generator in ("plain", "human", "stranger"):
        section = text.split(f"## {generator} tree, 200 accounts", 1)[1].split("\n## ", 1)[0]
        measures = ("floor", "ryml", "cold", "warm", "incremental", "full-rerun", "paths")
        for measure in (*measures, "paths-edited"):
            row = next(line for line in section.splitlines() if line.startswith(f"| {measure} |"))
            if measure in ("floor", "ryml"):
                assert "| n/a | " in row  # measured once, not per side
            else:
                before, after = (float(cell) for cell in row.split("|")[3:5])
                assert before > 0 and after > 0
            assert float(row.split("|")[6]) > 0  # the CPU time column
        audit = next(line for line in section.splitlines() if line.startswith("| audit |"))
        assert int(audit.rstrip(" |").rsplit("|", 1)[1]) > 0  # process tree memory sampled
        # the default format's audit: its memory only, from one untimed run a side
        table = next(line for line in section.splitlines() if line.startswith("| audit-table |"))
        assert int(table.rstrip(" |").rsplit("|", 1)[1]) > 0
        assert table.split("|")[3:5] == [" n/a ", " n/a "]
    for measure in ("bare", "acme"):
        assert f"| {measure} |" in text
    # the floor and rapidyaml are run in the same rounds as cold lint, not in a block before it
    rounds = [
        line.split()[1]
        for line in completed.stderr.splitlines()
        if line.startswith("  human-200 ")
        and line.endswith(" s")
        and line.split()[1] in ("floor", "ryml", "cold")
    ]
    assert len(rounds) >= 8 and rounds == ["floor", "ryml", "cold", "cold"] * (len(rounds) // 4)
    # the lint the audit is judged against runs in the audit's rounds, not minutes before it
    rounds = [
        line.split()[1]
        for line in completed.stderr.splitlines()
        if line.startswith("  human-200 ")
        and line.endswith(" s")
        and line.split()[1] in ("lint-by-audit", "audit")
    ]
    assert len(rounds) >= 6 and rounds == ["lint-by-audit", "audit", "audit"] * (len(rounds) // 3)
    # every row of the targets table, for every tree, met or not
    targets = text.split("## Targets (issue 18)", 1)[1].split("\n## ", 1)[0]
    for title, size, _, _ in run.TARGETS:
        for generator in ("plain", "human", "stranger"):
            accounts = f"{size:,}" if size else "200"
            assert f"| {title} | {generator} | {accounts} |" in targets, (title, generator)
    # a time ratio also on CPU time; a memory row has none
    warm = next(
        line for line in targets.splitlines() if "| warm lint <= 0.05 x cold | human |" in line
    )
    measured, on_cpu = (float(cell.strip(" x")) for cell in warm.split("|")[4:6])
    assert measured > 0 and on_cpu > 0
    memory = next(line for line in targets.splitlines() if "| peak memory of lint" in line)
    assert memory.split("|")[5].strip() == "n/a"
    assert "| warm lint <= 0.05 x cold | human | 200 | " in targets
    assert "not measured (needs --accounts 100000)" in targets
    # before and after, per measure, with the verdict
    against = text.split("## Before and after", 1)[1].split("\n## ", 1)[0]
    assert "before: HEAD (" in against
    for measure in ("cold", "warm", "incremental", "full-rerun", "paths", "paths-edited", "audit"):
        assert f"| human 200 | {measure} |" in against
        assert f"| plain 200 | {measure} |" in against
        assert f"| stranger 200 | {measure} |" in against
    assert "More than 5% slower: " in against and "More than 5% more memory: " in against
    assert "| human 200 | cold memory (MB) |" in against
    assert "| human 200 | audit-table memory (MB) |" in against
    assert "| human 200 | audit-table |" not in against  # no times to compare
    # the ledger of what each change bought is kept, and this run added to it
    ledger = text.split(run.BOUGHT_START, 1)[1].split(run.BOUGHT_END, 1)[0]
    assert "| one parse path | a -> b | human 5,000 cold 0.61x |" in ledger
    assert "| smoke | HEAD (" in ledger
    # the edited files are as generated again, in both copies
    for copy in ("", ".before"):
        tree = data / f"human-200{copy}"
        manifest_files = run.yaml_files(data / "human-200")
        target = run.edit_target(data / "human-200", manifest_files)
        assert "Edited" not in (tree / target.relpath).read_text(encoding="utf-8")


@pytest.mark.parametrize("generator", ["human", "stranger"])
def test_the_edit_target_names_an_account_and_three_owners(tmp_path: Path, generator: str) -> None:
    """The incremental measures edit a real account: a name line found once in its file and
    an owner line that another owner of the file replaces; never a file with a planted
    mistake."""
    run = _run_module()
    tree = run.ensure_tree(generator, 300, tmp_path)
    target = run.edit_target(tree.path, tree.files)
    text = (tree.path / target.relpath).read_text(encoding="utf-8")
    assert text.count(target.name_line) == 1
    assert len(target.owners) >= 3
    for owner in target.owners[:3]:
        assert re.search(rf"^\s*(- )?owner: {re.escape(owner)}\s*$", text, re.MULTILINE)
    manifest = json.loads((tree.path / ".generator.json").read_text())
    assert target.relpath not in {d["file"] for d in manifest["defects"]}
    again = run.ensure_tree(generator, 300, tmp_path)  # kept, not generated again
    assert (again.path / ".bench-stamp").stat().st_mtime == (
        tree.path / ".bench-stamp"
    ).stat().st_mtime


def test_a_tree_is_made_again_only_when_its_own_generator_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each tree's stamp covers its generator's code and nothing else: editing the stranger's
    generator makes its trees again and keeps the other two (100,000 accounts take minutes)."""
    run = _run_module()
    data = tmp_path / "data"
    made = {g: run.ensure_tree(g, 60, data).path / ".bench-stamp" for g in run.GENERATORS}
    stamps = {g: marker.read_text() for g, marker in made.items()}
    assert len(set(stamps.values())) == len(stamps)
    code = tmp_path / "code"  # the generators' code as it is, then one file of it edited
    code.mkdir()
    for names in run.CODE.values():
        for name in names:
            (code / name).write_bytes((run.HERE / name).read_bytes())
    monkeypatch.setattr(run, "HERE", code)
    for generator in run.GENERATORS:
        run.ensure_tree(generator, 60, data)
        assert made[generator].read_text() == stamps[generator]  # same code: kept
    with (code / "stranger.py").open("a", encoding="utf-8") as edited:
        edited.write("# edited\n")
    for generator in run.GENERATORS:
        run.ensure_tree(generator, 60, data)
    assert made["stranger"].read_text() != stamps["stranger"]
    assert made["plain"].read_text() == stamps["plain"]
    assert made["human"].read_text() == stamps["human"]


def test_the_process_tree_holds_every_descendant() -> None:
    run = _run_module()
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


def test_the_readme_block_is_replaced_between_its_markers(tmp_path: Path) -> None:
    run = _run_module()
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# x\n\nbefore\n{run.README_START}\nold figures\n{run.README_END}\nafter\n",
        encoding="utf-8",
    )
    assert run.update_readme("| target | met |\n|---|---|", readme)
    text = readme.read_text(encoding="utf-8")
    assert "old figures" not in text
    assert (
        f"before\n{run.README_START}\n| target | met |\n|---|---|\n{run.README_END}\nafter" in text
    )
    plain = tmp_path / "OTHER.md"
    plain.write_text("no markers\n", encoding="utf-8")
    assert not run.update_readme("x", plain)
    assert plain.read_text(encoding="utf-8") == "no markers\n"


def test_code_run_at_every_interpreter_start_is_named(tmp_path: Path) -> None:
    """A ``.pth`` line that imports runs at every start of every measured command: the report
    names the files that have one, and not those that only add folders to the path."""
    run = _run_module()
    (tmp_path / "paths.pth").write_text("/somewhere/src\n", encoding="utf-8")
    (tmp_path / "hook.pth").write_text("# written by a sandbox\nimport os; os.getpid()\n")
    (tmp_path / "tabbed.pth").write_text("import\tos\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("import os\n", encoding="utf-8")
    assert run.startup_hooks([str(tmp_path)]) == ["hook.pth", "tabbed.pth"]
    assert run.startup_hooks([str(tmp_path / "missing")]) == []
    assert "Code run at every interpreter start (.pth)" in run.machine()


def test_a_side_that_would_run_another_socialgov_is_refused(tmp_path: Path) -> None:
    """--against compares two sources: a src folder without socialgov would silently run the
    installed one (or none), so the harness refuses it rather than compare a version with
    itself."""
    run = _run_module()
    (tmp_path / "src").mkdir()
    with pytest.raises(SystemExit, match="socialgov imports from"):
        run.make_side("before", tmp_path / "src", "empty")
    side = run.make_side("after", PROJECT / "src", "this checkout")
    assert side.env["PYTHONPATH"] == str(PROJECT / "src")
    assert "CI" not in side.env
    assert side.has_cache_flag and side.audit_cache_flag


def test_before_and_after_names_what_got_slower_or_bigger(tmp_path: Path) -> None:
    """The --against table from known timings: ratio after/before per measure, a measure more
    than 5% slower (or 5% more memory) named, one within 5% not, the spread shown."""
    run = _run_module()
    sides = [run.Side("before", tmp_path, "REV"), run.Side("after", PROJECT / "src", "HEAD")]
    args = argparse.Namespace(runs=2, smoke=False, results_path=tmp_path / "R.md", bought=None)
    bench = run.Bench(args, sides, run.Pin(None))
    key = ("human", 1000)
    bench.trees[key] = run.Tree("human", 1000, tmp_path, [], 0)

    def pair(
        before: list[float],
        after: list[float],
        memory: tuple[int, int] = (0, 0),
        cpu: tuple[list[float], list[float]] = ([], []),
    ) -> dict:
        return {
            "before": run.Measure("m", "m", before, tree_memory=memory[0], cpu=cpu[0]),
            "after": run.Measure("m", "m", after, tree_memory=memory[1], cpu=cpu[1]),
        }

    bench.results[key] = {
        "cold": pair([1.0, 1.2], [1.3, 1.3], (100_000_000, 104_000_000), ([0.9, 1.0], [0.9, 0.92])),
        "warm": pair([0.50, 0.50], [0.51, 0.52]),
        "audit": pair([2.0, 2.0], [1.5, 1.5], (100_000_000, 130_000_000)),
    }
    table = "\n".join(run.Report(bench, "cmd", 1.0).against_table())
    # the wall time's verdict, and beside it the CPU times' ratio (medians 0.95 and 0.91)
    assert "| human 1,000 | cold | 1.100 | 1.300 | 1.182 | **18% slower** | 18% | 0.958 |" in table
    assert "| human 1,000 | warm | 0.500 | 0.515 | 1.030 | within 5% | 2% | n/a |" in table
    assert "| human 1,000 | audit | 2.000 | 1.500 | 0.750 | 25% faster | 0% |" in table
    assert (
        "| human 1,000 | audit memory (MB) | 100.000 | 130.000 | 1.300 | **30% more** | n/a | n/a |"
        in table
    )
    assert "More than 5% slower: human 1,000 cold." in table
    assert "More than 5% more memory: human 1,000 audit memory (MB)." in table


def test_a_skipped_tree_is_a_target_row_that_says_so(tmp_path: Path) -> None:
    """--skip stranger-100000 leaves that tree out; its rows say it was skipped, the other
    generators' rows of that size are judged, and a generator not asked for has no rows."""
    run = _run_module()
    args = argparse.Namespace(
        runs=1,
        smoke=False,
        results_path=tmp_path / "R.md",
        bought=None,
        generators=["human", "stranger"],
        skip=["stranger-100000"],
    )
    bench = run.Bench(args, [run.Side("after", PROJECT / "src", "HEAD")], run.Pin(None))
    for generator in ("human", "stranger"):
        bench.trees[(generator, 1000)] = run.Tree(generator, 1000, tmp_path, [], 0)
    bench.trees[("human", 100_000)] = run.Tree("human", 100_000, tmp_path, [], 0)
    for key in bench.trees:
        bench.results[key] = {
            "floor": {"after": run.Measure("floor", "f", [2.0])},
            "cold": {"after": run.Measure("cold", "c", [1.0])},
        }
    rows = {(r[0], r[1], r[2]): r[5] for r in run.Report(bench, "cmd", 1.0).target_rows()}
    big = next(title for title, size, _, _ in run.TARGETS if size == 100_000)
    assert rows[(big, "stranger", "100,000")] == "not measured (--skip stranger-100000)"
    assert rows[(big, "human", "100,000")] == "met"  # 1.0 s against a 2.0 s floor
    assert not any(generator == "plain" for _, generator, _ in rows)


def test_the_audit_is_judged_against_the_lint_run_in_its_own_rounds(tmp_path: Path) -> None:
    """The audit's target divides by the cold lint run beside the audit (lint-by-audit), not
    by the cold lint measured minutes earlier: a machine that slowed down between the two
    would move the ratio by 5-10% with the same code."""
    run = _run_module()
    args = argparse.Namespace(
        runs=1, smoke=False, results_path=tmp_path / "R.md", bought=None, generators=["human"]
    )
    args.skip = []
    bench = run.Bench(args, [run.Side("after", PROJECT / "src", "HEAD")], run.Pin(None))
    key = ("human", 100_000)
    bench.trees[key] = run.Tree("human", 100_000, tmp_path, [], 0)
    bench.results[key] = {
        "cold": {"after": run.Measure("cold", "c", [8.0])},  # earlier, on a faster machine
        "audit": {"after": run.Measure("audit", "a", [11.0])},
        "lint-by-audit": {"after": run.Measure("lint-by-audit", "l", [10.0])},
    }
    audit_title = next(t for t, _, how, _ in run.TARGETS if how.startswith("audit/"))
    row = next(r for r in run.Report(bench, "cmd", 1.0).target_rows() if r[0] == audit_title)
    assert row[3] == "1.100 x" and row[5] == "met"  # 11 / 10, where 11 / 8 would be 1.375


def test_a_revision_is_extracted_and_runs_as_a_side(tmp_path: Path) -> None:
    """--against REV (and --after REV) run socialgov from REV's own files: the extracted
    source imports from there, and has the folders beside src that it reads."""
    run = _run_module()
    src, label = run.checkout("HEAD", tmp_path)
    assert src.is_relative_to(tmp_path) and label.startswith("HEAD (")
    assert (src / "socialgov" / "__main__.py").is_file() and (src.parent / "schemas").is_dir()
    side = run.make_side("before", src, label)
    assert side.env["PYTHONPATH"] == str(src)
    again, _ = run.checkout("HEAD", tmp_path)  # extracted once
    assert again == src
    with pytest.raises(SystemExit, match="not a revision"):
        run.checkout("no-such-revision-anywhere", tmp_path)


def test_a_run_is_charged_the_cpu_time_of_its_children() -> None:
    """run_once's CPU time is what the kernel charged the command and every child it waited
    for: a parent that only waits for a child spinning 0.3 s of CPU is charged at least that
    (measured as CPU time, so a busy machine cannot make it fail; wall time would not tell)."""
    run = _run_module()
    spin = "import time\nwhile time.process_time() < 0.3: pass"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])"
    result = run.run_once([sys.executable, "-c", parent], dict(os.environ), PROJECT)
    assert result.code == 0
    assert result.cpu >= 0.3
    assert result.elapsed > 0 and result.peak_rss > 0
