"""Time socialgov on a synthetic repository of N accounts and write benchmarks/RESULTS.md.

    python benchmarks/run.py --accounts 100000     # the documented benchmark
    python benchmarks/run.py --smoke               # 500 accounts, one run each, no peers (CI)

In one run, on the same generated tree (benchmarks/data/<N>, git-ignored, generated when
missing), it times with wall clocks, start-up included:

- ``socialgov lint`` cold (``--no-cache``), warm (cache filled, nothing changed), incremental
  (one account's name changed in one file before each run: a real edit, not a comment), an edit
  that incremental lint cannot take (an account's owner changed: every rule that counts owners
  must look at the whole repository again, so the run is a full one from the parse cache), and
  PATHS mode on one file (what the pre-commit hook runs);
- ``socialgov lint`` on examples/acme;
- the floor: ``yaml.load(..., Loader=yaml.CSafeLoader)`` over the same files in one process;
- the peers a user would otherwise script: yamllint and check-jsonschema on the same files
  (install them with ``pip install -e '.[bench]'``; a missing peer is reported, not fatal).

It prints the medians of several runs, the ratios to the floor and to each peer, the peak memory
(RSS) of each command, and whether each target of the performance issue is met.

socialgov shares work with forked children on a large repository, and a child's pages are
shared with its parent until one of them writes to them: the peak RSS of the largest process,
which is what the operating system reports for a command, does not count what the children
copied. So each socialgov command the memory target judges runs once more, untimed, while its
whole process tree's memory is sampled (the sum of each process's proportional set size, PSS,
every 20 ms): that is the memory the command takes from the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import Generator  # noqa: E402

CHANGED_FILE = "accounts/accounts-00000.yaml"
README_START = "<!-- benchmark-results:start -->"
README_END = "<!-- benchmark-results:end -->"

FLOOR_SCRIPT = """
import sys, yaml
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        try:
            list(yaml.load_all(handle, Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            pass
"""


@dataclass
class Measure:
    """Wall times (seconds) and peak resident memory (bytes) of one command, run several times."""

    name: str
    command: str
    times: list[float] = field(default_factory=list)
    peak_rss: int = 0
    tree_memory: int = 0
    """Peak memory of the command's whole process tree (bytes, PSS), from an untimed run."""
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int]:
    """Run ``argv``; its wall time, peak RSS in bytes (its own process tree) and exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{stderr}")
    return elapsed, usage.ru_maxrss * 1024, process.returncode


def timed(
    measure: Measure,
    argv: Sequence[str],
    runs: int,
    env: dict[str, str],
    cwd: Path,
    before: object = None,
    *,
    memory: bool = False,
) -> Measure:
    """Run ``argv`` ``runs`` times (``before(index)`` first, if given); with ``memory``, once
    more, untimed, sampling its process tree's memory."""
    for index in range(runs):
        if callable(before):
            before(index)
        elapsed, rss, _ = run_once(argv, env, cwd)
        measure.times.append(elapsed)
        measure.peak_rss = max(measure.peak_rss, rss)
        print(f"  {measure.name}: {elapsed:.3f} s", file=sys.stderr)
    if memory:
        if callable(before):
            before(runs)
        measure.tree_memory = tree_memory(argv, env, cwd)
        print(
            f"  {measure.name}: {measure.tree_memory / 1e6:.0f} MB (process tree)", file=sys.stderr
        )
    return measure


SAMPLE_SECONDS = 0.02


def tree_memory(argv: Sequence[str], env: dict[str, str], cwd: Path) -> int:
    """Run ``argv`` and return the peak of its process tree's memory in bytes: the sum of
    every process's PSS (pages shared between them counted once), sampled every 20 ms; 0
    where /proc cannot tell (not Linux)."""
    if not can_see_children():
        return 0  # reported as n/a rather than as the root process alone
    process = subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_pss(pid) for pid in process_tree(process.pid)))
        time.sleep(SAMPLE_SECONDS)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{stderr}")
    return peak


def can_see_children() -> bool:
    """Whether /proc tells each process's children (Linux built with CONFIG_PROC_CHILDREN)."""
    return Path(f"/proc/self/task/{os.getpid()}/children").is_file()


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc (a process that ends meanwhile is skipped)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text()
                todo.extend(int(child) for child in children.split())
        except OSError:
            continue  # gone meanwhile
    return tree


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def yaml_files(tree: Path) -> list[str]:
    """The tree's YAML files (relative), hidden folders such as the cache left out."""
    found = []
    for path in sorted(tree.rglob("*.y*ml")):
        relative = path.relative_to(tree)
        if not any(part.startswith(".") for part in relative.parts):
            found.append(relative.as_posix())
    return found


def ensure_tree(accounts: int, data: Path) -> Path:
    tree = data / str(accounts)
    if not (tree / "socialgov.yaml").is_file():
        print(f"generating {accounts:,} accounts into {tree}", file=sys.stderr)
        Generator(accounts).write(tree)
    return tree


def lint_supports_cache(env: dict[str, str]) -> bool:
    helptext = subprocess.run(
        [sys.executable, "-m", "socialgov", "lint", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "--no-cache" in helptext


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "Memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "socialgov commit": commit or "unknown",
        "Date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def peer_version(module: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(module)
    except metadata.PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each socialgov command")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of each slow peer")
    parser.add_argument("--smoke", action="store_true", help="500 accounts, one run, no peers")
    parser.add_argument("--no-peers", action="store_true", help="skip yamllint, check-jsonschema")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where trees are made")
    parser.add_argument("--results", type=Path, help="default: benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.smoke:
        args.accounts, args.runs, args.peer_runs, args.no_peers = 500, 1, 1, True
    results_path = args.results or (
        args.data / "RESULTS-smoke.md" if args.smoke else HERE / "RESULTS.md"
    )

    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src"), "NO_COLOR": "1"}
    tree = ensure_tree(args.accounts, args.data)
    files = yaml_files(tree)
    size = sum((tree / f).stat().st_size for f in files)
    cache_dir = tree / ".socialgov_cache"
    has_cache = lint_supports_cache(env)
    socialgov = [sys.executable, "-m", "socialgov", "lint", "--quiet", "--as-of", "2026-11-24"]
    lint_tree = [*socialgov, "--root", str(tree)]
    changed = tree / CHANGED_FILE
    original = changed.read_text(encoding="utf-8")

    named = 'name: "Acme account 0"'
    if named not in original:
        raise SystemExit(f"{changed} lacks {named}: regenerate the tree (delete {args.data})")

    owners = list(dict.fromkeys(re.findall(r"^    owner: (\S+)$", original, re.MULTILINE)))
    if len(owners) < 3:
        raise SystemExit(f"{changed} names too few owners: regenerate the tree ({args.data})")

    def edit(index: int) -> None:
        """A real edit, not a comment: an account's name changes, so its data does."""
        renamed = f'name: "Acme account 0, edit {time.time_ns()} {index}"'
        changed.write_text(original.replace(named, renamed, 1), "utf-8")

    def hand_over(index: int) -> None:
        """The first account changes owner, to another owner of the file each run."""
        owner = f"owner: {owners[1 + index % 2]}"
        changed.write_text(original.replace(f"owner: {owners[0]}", owner, 1), "utf-8")

    measures: dict[str, Measure] = {}
    try:
        print("socialgov lint, cold", file=sys.stderr)
        cold_argv = [*lint_tree, "--no-cache"] if has_cache else lint_tree
        shutil.rmtree(cache_dir, ignore_errors=True)
        measures["cold"] = timed(
            Measure("cold", "socialgov lint --no-cache"),
            cold_argv,
            args.runs,
            env,
            PROJECT,
            memory=True,
        )
        print("socialgov lint, warm", file=sys.stderr)
        run_once(lint_tree, env, PROJECT)  # fills the cache
        measures["warm"] = timed(
            Measure("warm", "socialgov lint (cache, nothing changed)"),
            lint_tree,
            args.runs,
            env,
            PROJECT,
            memory=True,
        )
        measures["incremental"] = timed(
            Measure("incremental", f"socialgov lint (cache, a name changed in {CHANGED_FILE})"),
            lint_tree,
            args.runs,
            env,
            PROJECT,
            before=edit,
            memory=True,
        )
        measures["full-rerun"] = timed(
            Measure(
                "full-rerun",
                f"socialgov lint (cache, an owner changed in {CHANGED_FILE}: a full run)",
            ),
            lint_tree,
            args.runs,
            env,
            PROJECT,
            before=hand_over,
            memory=True,
        )
        changed.write_text(original, encoding="utf-8")
        run_once(lint_tree, env, PROJECT)
        measures["paths"] = timed(
            Measure("paths", f"socialgov lint {CHANGED_FILE} (PATHS mode, cache)"),
            [*lint_tree, str(changed)],
            args.runs,
            env,
            PROJECT,
        )
    finally:
        changed.write_text(original, encoding="utf-8")
    acme = PROJECT / "examples" / "acme"
    measures["acme"] = timed(
        Measure("acme", "socialgov lint on examples/acme"),
        [*socialgov, "--root", str(acme)],
        args.runs,
        env,
        PROJECT,
    )
    print("floor: CSafeLoader", file=sys.stderr)
    measures["floor"] = timed(
        Measure("floor", "yaml.load(..., Loader=yaml.CSafeLoader), one process"),
        [sys.executable, "-c", FLOOR_SCRIPT, *files],
        args.runs,
        env,
        tree,
    )
    if not args.no_peers:
        run_peers(measures, files, tree, env, args.peer_runs)

    report = render(measures, args, len(files), size, has_cache)
    print(report)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results_path.write_text(report, encoding="utf-8")
    print(f"wrote {results_path}", file=sys.stderr)
    if not args.smoke and args.results is None:
        update_readme(report)
    return 0


def run_peers(
    measures: dict[str, Measure], files: list[str], tree: Path, env: dict[str, str], runs: int
) -> None:
    bindir = Path(sys.executable).parent
    yamllint = shutil.which("yamllint", path=f"{bindir}{os.pathsep}{env.get('PATH', '')}")
    if yamllint:
        print("peer: yamllint", file=sys.stderr)
        measures["yamllint"] = timed(
            Measure("yamllint", f"yamllint {peer_version('yamllint')} (default rules)"),
            [yamllint, "-f", "parsable", *files],
            runs,
            env,
            tree,
        )
    else:
        measures["yamllint"] = Measure("yamllint", "yamllint", note="not installed")
    checker = shutil.which("check-jsonschema", path=f"{bindir}{os.pathsep}{env.get('PATH', '')}")
    schema = PROJECT / "schemas" / "document.schema.json"
    if checker:
        print("peer: check-jsonschema", file=sys.stderr)
        measures["check-jsonschema"] = timed(
            Measure(
                "check-jsonschema",
                f"check-jsonschema {peer_version('check-jsonschema')} "
                "--schemafile schemas/document.schema.json",
            ),
            [
                checker,
                # the schemas' $id is a web address: resolve their $refs from this checkout
                "--base-uri",
                schema.as_uri(),
                "--schemafile",
                str(schema),
                *[f for f in files if f != "socialgov.yaml"],
            ],
            runs,
            env,
            tree,
        )
    else:
        measures["check-jsonschema"] = Measure(
            "check-jsonschema", "check-jsonschema", note="not installed"
        )


def _ratio(a: Measure | None, b: Measure | None) -> float | None:
    if a is None or b is None or a.median is None or b.median is None or b.median == 0:
        return None
    return a.median / b.median


def _fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render(
    measures: dict[str, Measure],
    args: argparse.Namespace,
    files: int,
    size: int,
    has_cache: bool,
) -> str:
    floor, cold = measures.get("floor"), measures.get("cold")
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `python benchmarks/run.py --accounts {args.accounts}"
        + (" --smoke" if args.smoke else "")
        + f"`: {args.accounts:,} accounts in {files:,} YAML files ({size / 1e6:.1f} MB).",
        f"Medians of {args.runs} run(s) each ({args.peer_runs} for the peers); wall time, "
        "start-up included; peak RSS of each command's largest process; peak memory of its "
        "whole process tree (PSS, forked children included) from one more, untimed run.",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in machine().items()]
    lines += [
        "",
        "## Timings",
        "",
        "| measure | command | median (s) | runs | x floor | x cold | peak RSS (MB) "
        "| process tree (MB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, m in measures.items():
        median = "n/a" if m.median is None else f"{m.median:.3f}"
        rss = f"{m.peak_rss / 1e6:.0f}" if m.peak_rss else "n/a"
        tree = f"{m.tree_memory / 1e6:.0f}" if m.tree_memory else "n/a"
        command = m.command + (f" ({m.note})" if m.note else "")
        lines.append(
            f"| {key} | {command} | {median} | {len(m.times)} | "
            f"{_fmt_ratio(_ratio(m, floor))} | {_fmt_ratio(_ratio(m, cold))} | {rss} | {tree} |"
        )
    if not has_cache:
        lines += ["", "This socialgov has no cache: warm and incremental are cold runs."]
    peak = max(
        (
            max(m.peak_rss, m.tree_memory)
            for k, m in measures.items()
            if k in ("cold", "warm", "incremental", "full-rerun")
        ),
        default=0,
    )
    yamllint_speedup = _ratio(measures.get("yamllint"), cold)
    checker_speedup = _ratio(measures.get("check-jsonschema"), cold)
    targets = [
        ("cold <= 0.5 x floor (CSafeLoader parse only)", _ratio(cold, floor), lambda r: r <= 0.5),
        ("warm <= 0.1 x cold", _ratio(measures.get("warm"), cold), lambda r: r <= 0.1),
        (
            "incremental <= 0.15 x cold",
            _ratio(measures.get("incremental"), cold),
            lambda r: r <= 0.15,
        ),
        ("acme < 0.5 s wall", measures["acme"].median, lambda r: r < 0.5),
        (
            "peak memory < 1.5 GB (largest process or process tree)",
            peak / 1e9 if peak else None,
            lambda r: r < 1.5,
        ),
        ("cold >= 20 x faster than yamllint", yamllint_speedup, lambda r: r >= 20),
    ]
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---:|---|"]
    for name, value, test in targets:
        verdict = "not measured" if value is None else "yes" if test(value) else "**no**"
        lines.append(f"| {name} | {_fmt_ratio(value)} | {verdict} |")
    if checker_speedup is not None:
        lines += ["", f"check-jsonschema takes {checker_speedup:.1f} x the time of cold lint."]
    if "full-rerun" in measures:
        lines += [
            "",
            "full-rerun is not a target: it shows what an edit costs that incremental lint "
            "cannot take (docs/performance.md says which).",
        ]
    if args.smoke:
        lines += ["", "Smoke run: too small to judge the targets; it proves the harness works."]
    return "\n".join(lines) + "\n"


def update_readme(report: str) -> None:
    """Put the tables of ``report`` between the README's benchmark markers, if it has them."""
    readme = PROJECT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return
    # The report's sections sit under the README's own "Performance" heading.
    body = report.split("\n", 2)[2].strip().replace("\n## ", "\n### ")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(
        head + README_START + "\n" + textwrap.dedent(body) + "\n" + README_END + tail,
        encoding="utf-8",
    )


if __name__ == "__main__":
    raise SystemExit(main())
