"""Time socialgov on generated repositories, one core, and write benchmarks/RESULTS.md.

    python benchmarks/run.py --accounts 1000 5000 100000        # the documented benchmark
    python benchmarks/run.py --accounts 5000 --against main~3    # before and after, one run
    python benchmarks/run.py --smoke                             # tiny trees, one run each (CI)

Three trees per size, each generated when missing (under benchmarks/data/, git-ignored):
``plain`` by benchmarks/generate.py (files of a hundred accounts, one tidy shape), ``human``
by benchmarks/human.py (YAML as people write it: small files in nested folders, comments,
several documents per file, flow and block style, text blocks, anchors and merge keys, CRLF,
several groups' habits and a few mistakes), and ``stranger`` by benchmarks/stranger.py, written
by someone who never saw the other two or socialgov's source (a state government's register:
imported spreadsheets beside hand-kept folders of one file per account, multi-document files,
anchors, Windows files, Spanish): the code is tuned on the first two, the third shows whether a
figure holds on a tree it was not tuned on. On each tree, in one run, it times with wall
clocks, start-up included, every command pinned to one core (``taskset -c 0``; where taskset is
missing, the CPU affinity is set before the command starts; where neither is possible the
report says so), and beside each wall time the CPU time the kernel charged the command (user
and system, its children included), which a shared machine's other work moves less:

- ``socialgov lint`` cold (``--no-cache``), warm (cache filled, nothing changed), incremental
  (one account's name changed in one file before each run), full-rerun (an account's owner
  changed: an edit incremental lint cannot take), PATHS mode on that one file with the cache
  warm and nothing changed (the target's measure), PATHS mode on that file just edited (what
  the pre-commit hook runs after an edit: no stored answer can be replayed), and ``socialgov
  audit`` cold (``--no-cache``, JSON; and its default format's memory, untimed);
- beside them: the floor, PyYAML's ``CSafeLoader`` parsing the same files in one process;
  rapidyaml (``ryml``) parsing the same files in one process, both run in the same rounds as
  cold lint (floor, ryml, before, after, floor, ryml, ...: a ratio to the floor compares runs
  made at the same time); cold lint once more in the same rounds as the audit
  (``lint-by-audit``: lint, before's audit, after's audit, lint, ...), the lint the audit's
  target is judged against, for the same reason; and, once, a bare interpreter start
  (``python -I -c pass``) and ``socialgov lint`` on examples/acme.

Medians of 5 runs by default. Memory: the peak RSS of each command (its largest process) and,
for cold lint and the audit, the peak of the whole process tree (the sum of every process's
PSS, sampled every 20 ms, from one more untimed run), so that forked children count.

``--against REV`` runs every socialgov command also with the source of git revision REV
(extracted under the data folder; same interpreter, same ``python -m socialgov`` invocation,
each with its own copy of the trees so neither side's cache touches the other's), the two
interleaved run by run, and reports per measure the ratio after/before and whether any is more
than 5% slower. ``--after REV`` runs another revision instead of this checkout as the
"after" side (``--against C~1 --after C``: what commit C alone changed). The report ends
with "What each change bought", kept from one run to the next (``--bought TEXT`` adds a line
from an ``--against`` run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import Generator  # noqa: E402
from human import MANIFEST, HumanGenerator  # noqa: E402
from stranger import StrangerGenerator  # noqa: E402

AS_OF = "2026-11-24"
GENERATORS = ("plain", "human", "stranger")
SOURCE = {
    "plain": "benchmarks/generate.py",
    "human": "benchmarks/human.py",
    "stranger": "benchmarks/stranger.py",
}
CODE = {  # the files a tree depends on: one edited, its trees are made again
    "plain": ("generate.py",),
    "human": ("human.py", "yamltext.py"),
    "stranger": ("stranger.py",),
}
README_START = "<!-- benchmark-results:start -->"
README_END = "<!-- benchmark-results:end -->"
BOUGHT_START = "<!-- what-each-change-bought:start -->"
BOUGHT_END = "<!-- what-each-change-bought:end -->"
SLOWER = 1.05  # --against: a measure more than 5% slower is reported

FLOOR_SCRIPT = """
import sys, yaml
refused = 0
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, "rb") as handle:
        try:
            list(yaml.load_all(handle, Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            refused += 1
if sys.argv[2:] == ["--count"]:
    print(refused)
"""
# rapidyaml takes bytes: a byte order mark is dropped first, as a YAML reader does
RYML_SCRIPT = """
import sys, ryml
refused = 0
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, "rb") as handle:
        raw = handle.read()
    buffer = bytearray(raw[3:] if raw.startswith(b"\\xef\\xbb\\xbf") else raw)
    try:
        tree = ryml.Tree()
        ryml.parse_in_place(buffer, tree)
    except Exception:
        refused += 1
if sys.argv[2:] == ["--count"]:
    print(refused)
"""
# rows of the targets table (issue 18): what, which size, how measured, the limit
TARGETS = (
    ("cold lint <= 0.5 x CSafeLoader parse-only", 100_000, "cold/floor", 0.5),
    ("cold lint <= 1.0 x the floor", 1_000, "cold/floor", 1.0),
    ("cold lint <= 0.6 x the floor", 5_000, "cold/floor", 0.6),
    ("warm lint <= 0.05 x cold", None, "warm/cold", 0.05),
    ("PATHS mode, warm <= 5 x `python -I -c pass`", 1_000, "paths/bare", 5.0),
    ("audit <= 1.2 x cold lint", 100_000, "audit/lint-by-audit", 1.2),
    ("audit peak memory <= lint's (process tree)", 100_000, "audit-memory/cold-memory", 1.0),
    (
        "audit peak memory, default format <= lint's (process tree)",
        100_000,
        "audit-table-memory/cold-memory",
        1.0,
    ),
    ("peak memory of lint (process tree) <= 1.0 GB", 100_000, "cold-memory-gb", 1.0),
)


@dataclass
class Measure:
    """Wall times and CPU times (seconds) and peak memory (bytes) of one command, run several
    times."""

    name: str
    command: str
    times: list[float] = field(default_factory=list)
    peak_rss: int = 0
    tree_memory: int = 0
    """Peak memory of the command's whole process tree (bytes, PSS), from an untimed run."""
    note: str = ""
    cpu: list[float] = field(default_factory=list)
    """CPU time of each run (user + system, the command's children included)."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    def add(self, run: Run) -> None:
        self.times.append(run.elapsed)
        self.cpu.append(run.cpu)
        self.peak_rss = max(self.peak_rss, run.peak_rss)


@dataclass
class Side:
    """One version of socialgov: its source folder and the environment that runs it."""

    name: str  # "after" (this checkout) or "before" (--against REV)
    src: Path
    label: str
    env: dict[str, str] = field(default_factory=dict)
    has_cache_flag: bool = True
    audit_cache_flag: bool = True


@dataclass
class Tree:
    generator: str
    accounts: int
    path: Path
    files: list[str]
    size: int


# running commands ------------------------------------------------------------------------------


class Pin:
    """How commands are held to one core."""

    def __init__(self, core: int | None) -> None:
        self.core = core
        self.prefix: list[str] = []
        self.preexec: Callable[[], None] | None = None
        if core is None:
            self.how = "not pinned (--core none)"
        elif shutil.which("taskset"):
            self.prefix = ["taskset", "-c", str(core)]
            self.how = f"`taskset -c {core}`"
        elif hasattr(os, "sched_setaffinity"):
            self.preexec = lambda: os.sched_setaffinity(0, {core})
            self.how = f"CPU affinity set to core {core} before exec (taskset not found)"
        else:
            self.how = "NOT pinned: neither taskset nor sched_setaffinity on this system"

    def argv(self, argv: Sequence[str]) -> list[str]:
        return [*self.prefix, *argv]


class Run(NamedTuple):
    """One run of a command."""

    elapsed: float
    """Wall time, seconds."""
    cpu: float
    """CPU time, seconds: user + system of the command and of the children it waited for."""
    peak_rss: int
    """Bytes, its largest process."""
    code: int


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path, pin: Pin | None = None) -> Run:
    """Run ``argv``: its wall time, CPU time, peak RSS and exit code."""
    pin = pin or Pin(None)
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            pin.argv(argv),
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            preexec_fn=pin.preexec,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            errors.seek(0)
            text = errors.read().decode("utf-8", "replace")[-4000:]
            raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{text}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(elapsed, cpu, usage.ru_maxrss * 1024, process.returncode)


SAMPLE_SECONDS = 0.02


def tree_memory(argv: Sequence[str], env: dict[str, str], cwd: Path, pin: Pin | None = None) -> int:
    """Run ``argv`` and return the peak of its process tree's memory in bytes: the sum of
    every process's PSS (pages shared between them counted once), sampled every 20 ms; 0
    where /proc cannot tell (not Linux)."""
    if not can_see_children():
        return 0  # reported as n/a rather than as the root process alone
    pin = pin or Pin(None)
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            pin.argv(argv),
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            preexec_fn=pin.preexec,
        )
        peak = 0
        while process.poll() is None:
            peak = max(peak, sum(_pss(pid) for pid in process_tree(process.pid)))
            time.sleep(SAMPLE_SECONDS)
        if process.returncode not in (0, 1):
            errors.seek(0)
            text = errors.read().decode("utf-8", "replace")[-4000:]
            raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{text}")
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


# trees -----------------------------------------------------------------------------------------


def yaml_files(tree: Path) -> list[str]:
    """The tree's YAML files (relative), hidden folders such as the cache left out."""
    found = []
    for path in sorted(tree.rglob("*.y*ml")):
        relative = path.relative_to(tree)
        if not any(part.startswith(".") for part in relative.parts):
            found.append(relative.as_posix())
    return found


def _stamp(generator: str, accounts: int) -> str:
    """What a tree was made from: its generator's code and its size."""
    digest = hashlib.sha256(f"{generator} {accounts}".encode())
    for name in CODE[generator]:
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def ensure_tree(generator: str, accounts: int, data: Path) -> Tree:
    """The tree of ``accounts`` accounts by ``generator``, generated again when missing or
    made by other code."""
    path = data / f"{generator}-{accounts}"
    stamp = _stamp(generator, accounts)
    marker = path / ".bench-stamp"
    if not marker.is_file() or marker.read_text().strip() != stamp:
        print(f"generating {generator} tree of {accounts:,} accounts in {path}", file=sys.stderr)
        if generator == "plain":
            Generator(accounts).write(path)
        elif generator == "human":
            HumanGenerator(accounts).write(path)
        else:
            StrangerGenerator(accounts).write(path)
        marker.write_text(stamp + "\n")
    files = yaml_files(path)
    return Tree(generator, accounts, path, files, sum((path / f).stat().st_size for f in files))


def copy_tree(tree: Tree, suffix: str) -> Tree:
    """A copy of ``tree`` for the other side of --against (its own cache)."""
    path = tree.path.with_name(tree.path.name + suffix)
    shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(tree.path, path, ignore=shutil.ignore_patterns(".socialgov_cache"))
    return Tree(tree.generator, tree.accounts, path, tree.files, tree.size)


_NAME = re.compile(r"^([ \t]*(?:- )?)name: (.*)$", re.MULTILINE)
_OWNER = re.compile(r"^[ \t]*(?:- )?owner: ([a-z0-9][a-z0-9._-]*)[ \t]*$", re.MULTILINE)


@dataclass
class EditTarget:
    """The file the incremental, full-rerun and PATHS measures edit, and how."""

    relpath: str
    name_line: str  # a line naming one account, once in the file
    owners: list[str]  # three owners named on lines of their own, the first to be replaced


def edit_target(path: Path, files: list[str]) -> EditTarget:
    """The first account file (path order) that names an account on a line found once in the
    file and at least three owners in block style, with LF line ends and no planned mistake."""
    avoid: set[str] = set()
    manifest = path / MANIFEST
    if manifest.is_file():
        import json

        avoid = {d["file"] for d in json.loads(manifest.read_text())["defects"]}
    ranked = sorted(files, key=lambda f: ("account" not in f, f))
    for relpath in ranked:
        if relpath in avoid:
            continue
        raw = (path / relpath).read_bytes()
        if b"\r" in raw or raw.startswith(b"\xef\xbb\xbf"):
            continue
        text = raw.decode("utf-8")
        owners = list(dict.fromkeys(_OWNER.findall(text)))
        if len(owners) < 3:
            continue
        names = [m.group(0) for m in _NAME.finditer(text)]
        unique = [line for line in names if names.count(line) == 1]
        if unique:
            return EditTarget(relpath, unique[0], owners)
    raise SystemExit(f"no file of {path} names accounts and owners in block style")


# the sides ---------------------------------------------------------------------------------------


def base_env() -> dict[str, str]:
    """The environment of every command: a developer's machine (CI unset, so the cache is
    written as it is there), no colour."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CI", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "SOCIALGOV_EXACT_PARSER")
    }
    env["NO_COLOR"] = "1"
    return env


def make_side(name: str, src: Path, label: str) -> Side:
    """A side that runs socialgov from ``src``: refused (SystemExit) when ``python -m
    socialgov`` with PYTHONPATH at ``src`` would run socialgov from anywhere else (an installed
    copy), which would compare a version with itself."""
    env = {**base_env(), "PYTHONPATH": str(src)}
    found = subprocess.run(
        [sys.executable, "-c", "import socialgov; print(socialgov.__file__)"],
        env=env,
        capture_output=True,
        text=True,
    )
    where = found.stdout.strip()
    if found.returncode or not Path(where).resolve().is_relative_to(src.resolve()):
        raise SystemExit(
            f"{name}: socialgov imports from {where or 'nowhere'}, not from {src}"
            + (f"\n{found.stderr.strip()}" if found.returncode else "")
        )
    lint_help = _help(env, "lint")
    audit_help = _help(env, "audit")
    return Side(name, src, label, env, "--no-cache" in lint_help, "--no-cache" in audit_help)


def _help(env: dict[str, str], command: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "socialgov", command, "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def checkout(rev: str, data: Path) -> tuple[Path, str]:
    """The source of ``rev``, extracted (git archive) under ``data``; its src folder and label."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    if commit.returncode:
        raise SystemExit(f"--against {rev}: not a revision of {PROJECT}")
    sha = commit.stdout.strip()
    folder = data / f"rev-{sha[:12]}"
    if not (folder / "src" / "socialgov").is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        archive = subprocess.Popen(
            # the whole checkout: its src finds schemas/, rules/ and policies/ beside it
            ["git", "archive", "--format=tar", sha],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
        )
        subprocess.run(["tar", "-x", "-C", str(folder)], stdin=archive.stdout, check=True)
        if archive.wait():
            raise SystemExit(f"git archive {sha} failed")
    return folder / "src", f"{rev} ({sha[:10]})"


def head_label() -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "src"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"this checkout ({commit or 'unknown'}{', src modified' if dirty else ''})"


# measuring ---------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, sides: list[Side], pin: Pin) -> None:
        self.args = args
        self.sides = sides
        self.pin = pin
        # results[(generator, accounts)][measure][side name]; ("", 0) for the global ones
        self.results: dict[tuple[str, int], dict[str, dict[str, Measure]]] = {}
        self.trees: dict[tuple[str, int], Tree] = {}

    def lint(self, side: Side, root: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "socialgov",
            "lint",
            "--quiet",
            "--as-of",
            AS_OF,
            "--root",
            str(root),
        ]

    def timed(
        self,
        key: tuple[str, int],
        name: str,
        command: str,
        argv_of: Callable[[Side], list[str]],
        cwd_of: Callable[[Side], Path],
        *,
        before: Callable[[Side, int], None] | None = None,
        memory: bool = False,
        sides: list[Side] | None = None,
        beside: Sequence[tuple[str, str, list[str], Path]] = (),
        runs: int | None = None,
    ) -> None:
        """Run one measure on every side, the sides interleaved run by run (A B A B ...).

        ``runs``: how many timed runs (``--runs`` unless given); 0 with ``memory`` measures the
        process tree's peak memory only, from one untimed run a side (its times read n/a).

        ``beside``: measures of their own (name, command, argv, cwd), each run once in every
        round before the sides (F A B F A B ...), so that a ratio to them compares runs made
        at the same time, not minutes apart on a machine whose speed drifts."""
        sides = sides or self.sides
        results = self.results.setdefault(key, {})
        found = results.setdefault(name, {})
        for side in sides:
            found[side.name] = Measure(name, command)
        owner = self.sides[-1].name  # a measure of its own is reported on the last side's column
        for other, other_command, _, _ in beside:
            results[other] = {owner: Measure(other, other_command)}
        label = f"{key[0]}-{key[1]} " if key[0] else ""
        runs = self.args.runs if runs is None else runs
        for index in range(runs):
            for other, _, argv, cwd in beside:
                run = run_once(argv, self.sides[-1].env, cwd, self.pin)
                results[other][owner].add(run)
                print(f"  {label}{other} [{owner}]: {run.elapsed:.3f} s", file=sys.stderr)
            for side in sides:
                if before:
                    before(side, index)
                run = run_once(argv_of(side), side.env, cwd_of(side), self.pin)
                found[side.name].add(run)
                print(f"  {label}{name} [{side.name}]: {run.elapsed:.3f} s", file=sys.stderr)
        if memory:
            for side in sides:
                if before:
                    before(side, runs)
                m = found[side.name]
                m.tree_memory = tree_memory(argv_of(side), side.env, cwd_of(side), self.pin)
                print(
                    f"  {label}{name} [{side.name}]: {m.tree_memory / 1e6:.0f} MB (process tree)",
                    file=sys.stderr,
                )

    def warm_up(self) -> None:
        """Compile each side's modules (lint and audit) before anything is timed, so that
        neither side pays for writing its bytecode in a timed run."""
        acme = PROJECT / "examples" / "acme"
        for side in self.sides:
            for command, flag in (("lint", side.has_cache_flag), ("audit", side.audit_cache_flag)):
                argv = [
                    sys.executable,
                    "-m",
                    "socialgov",
                    command,
                    "--as-of",
                    AS_OF,
                    "--root",
                    str(acme),
                ]
                run_once([*argv, "--no-cache"] if flag else argv, side.env, PROJECT)

    def global_measures(self) -> None:
        key = ("", 0)
        bare = self.sides[-1]
        print("bare interpreter start", file=sys.stderr)
        self.timed(
            key,
            "bare",
            "python -I -c pass",
            lambda s: [sys.executable, "-I", "-c", "pass"],
            lambda s: PROJECT,
            sides=[bare],
        )
        acme = {side.name: self._acme_copy(side) for side in self.sides}
        for side in self.sides:
            run_once(self.lint(side, acme[side.name]), side.env, PROJECT, self.pin)  # cache
        print("examples/acme", file=sys.stderr)
        self.timed(
            key,
            "acme",
            "socialgov lint on examples/acme (cache)",
            lambda s: self.lint(s, acme[s.name]),
            lambda s: PROJECT,
        )

    def _acme_copy(self, side: Side) -> Path:
        """examples/acme of this checkout, copied per side (each keeps its own cache)."""
        target = self.args.data / f"acme-{side.name}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(
            PROJECT / "examples" / "acme",
            target,
            ignore=shutil.ignore_patterns(".socialgov_cache"),
        )
        return target

    def tree_measures(self, tree: Tree) -> None:
        key = (tree.generator, tree.accounts)
        self.trees[key] = tree
        roots = {self.sides[-1].name: tree}
        if len(self.sides) > 1:
            roots[self.sides[0].name] = copy_tree(tree, ".before")
        target = edit_target(tree.path, tree.files)
        original = (tree.path / target.relpath).read_text(encoding="utf-8")

        def root(side: Side) -> Path:
            return roots[side.name].path

        def changed(side: Side) -> Path:
            return root(side) / target.relpath

        def restore(side: Side, index: int = 0) -> None:
            changed(side).write_text(original, encoding="utf-8")

        def edit(side: Side, index: int) -> None:
            """A real edit, not a comment: an account's name changes, so its data does."""
            indent = _NAME.match(target.name_line).group(1)  # type: ignore[union-attr]
            renamed = f'{indent}name: "Edited {time.time_ns()} {index}"'
            changed(side).write_text(original.replace(target.name_line, renamed, 1), "utf-8")

        def hand_over(side: Side, index: int) -> None:
            """The first owner line names another owner of the file each run."""
            new = target.owners[1 + index % 2]
            text = re.sub(
                rf"^([ \t]*(?:- )?owner: ){re.escape(target.owners[0])}[ \t]*$",
                lambda m: m.group(1) + new,
                original,
                count=1,
                flags=re.MULTILINE,
            )
            changed(side).write_text(text, encoding="utf-8")

        def cold_argv(side: Side) -> list[str]:
            argv = self.lint(side, root(side))
            return [*argv, "--no-cache"] if side.has_cache_flag else argv

        def audit_argv(side: Side, format: str = "json") -> list[str]:
            argv = [
                sys.executable,
                "-m",
                "socialgov",
                "audit",
                "--as-of",
                AS_OF,
                "--root",
                str(root(side)),
                "--format",
                format,
            ]
            return [*argv, "--no-cache"] if side.audit_cache_flag else argv

        def fill(side: Side, index: int = 0) -> None:
            run_once(self.lint(side, root(side)), side.env, PROJECT, self.pin)

        here = lambda side: PROJECT  # noqa: E731
        name = f"{tree.generator} tree, {tree.accounts:,} accounts"
        try:
            listing = tree.path / ".bench-files"
            listing.write_text("\n".join(tree.files) + "\n", encoding="utf-8")
            print(f"{name}: socialgov, the floor and rapidyaml beside cold lint", file=sys.stderr)
            for side in self.sides:
                shutil.rmtree(root(side) / ".socialgov_cache", ignore_errors=True)
            self.timed(
                key,
                "cold",
                "socialgov lint --no-cache",
                cold_argv,
                here,
                memory=True,
                beside=[
                    (
                        "floor",
                        "yaml.load_all(..., Loader=yaml.CSafeLoader), one process",
                        [sys.executable, "-c", FLOOR_SCRIPT, str(listing)],
                        tree.path,
                    ),
                    (
                        "ryml",
                        "ryml.parse_in_place (rapidyaml), one process",
                        [sys.executable, "-c", RYML_SCRIPT, str(listing)],
                        tree.path,
                    ),
                ],
            )
            for parser, script in (("floor", FLOOR_SCRIPT), ("ryml", RYML_SCRIPT)):
                counted = subprocess.run(
                    [sys.executable, "-c", script, str(listing), "--count"],
                    cwd=tree.path,
                    env=self.sides[-1].env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                refused = int(counted.stdout.strip() or 0)
                self.results[key][parser][
                    self.sides[-1].name
                ].note = f"refused {refused:,} of {len(tree.files):,} files"
            for side in self.sides:
                fill(side)
            self.timed(
                key,
                "warm",
                "socialgov lint (cache, nothing changed)",
                lambda s: self.lint(s, root(s)),
                here,
            )
            self.timed(
                key,
                "incremental",
                f"socialgov lint (cache, a name changed in {target.relpath})",
                lambda s: self.lint(s, root(s)),
                here,
                before=edit,
            )
            self.timed(
                key,
                "full-rerun",
                f"socialgov lint (cache, an owner changed in {target.relpath}: a full run)",
                lambda s: self.lint(s, root(s)),
                here,
                before=hand_over,
            )
            for side in self.sides:
                restore(side)
                fill(side)
            self.timed(
                key,
                "paths",
                f"socialgov lint {target.relpath} (PATHS mode, warm cache)",
                lambda s: [*self.lint(s, root(s)), str(changed(s))],
                here,
            )
            self.timed(
                key,
                "paths-edited",
                f"socialgov lint {target.relpath} (PATHS mode, that file just edited: the hook "
                "after an edit)",
                lambda s: [*self.lint(s, root(s)), str(changed(s))],
                here,
                before=edit,
            )
            for side in self.sides:
                restore(side)
            self.timed(
                key,
                "audit",
                "socialgov audit --no-cache --format json",
                audit_argv,
                here,
                memory=True,
                beside=[
                    (
                        "lint-by-audit",
                        "socialgov lint --no-cache, run in the same rounds as the audit",
                        cold_argv(self.sides[-1]),
                        PROJECT,
                    )
                ],
            )
            self.timed(
                key,
                "audit-table",
                "socialgov audit --no-cache --format table (memory only: the default format)",
                lambda s: audit_argv(s, "table"),
                here,
                memory=True,
                runs=0,
            )
            if self.args.peers:
                run_peers(self, key, tree)
        finally:
            for side in self.sides:
                restore(side)


def run_peers(bench: Bench, key: tuple[str, int], tree: Tree) -> None:
    """yamllint and check-jsonschema on the same files (``pip install -e '.[bench]'``)."""
    bindir = Path(sys.executable).parent
    path = f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"
    last = bench.sides[-1:]
    yamllint = shutil.which("yamllint", path=path)
    checker = shutil.which("check-jsonschema", path=path)
    found = bench.results[key]
    if yamllint:
        bench.timed(
            key,
            "yamllint",
            "yamllint (default rules)",
            lambda s: [yamllint, "-f", "parsable", *tree.files],
            lambda s: tree.path,
            sides=last,
        )
    else:
        found["yamllint"] = {last[0].name: Measure("yamllint", "yamllint", note="not installed")}
    schema = PROJECT / "schemas" / "document.schema.json"
    if checker:
        bench.timed(
            key,
            "check-jsonschema",
            "check-jsonschema --schemafile document.schema.json",
            lambda s: [
                checker,
                "--base-uri",
                schema.as_uri(),
                "--schemafile",
                str(schema),
                *[f for f in tree.files if f != "socialgov.yaml"],
            ],
            lambda s: tree.path,
            sides=last,
        )
    else:
        found["check-jsonschema"] = {
            last[0].name: Measure("check-jsonschema", "check-jsonschema", note="not installed")
        }


# the report --------------------------------------------------------------------------------------


def startup_hooks(folders: Sequence[str] | None = None) -> list[str]:
    """The ``.pth`` files in ``folders`` (by default this interpreter's site-packages) with a
    line ``site`` runs as code at every interpreter start (one starting with ``import``): what
    each start of every measured command pays, the bare start's too. A sandbox's hook that
    imports certifi at start-up cost 20-65 ms a start here (see docs/performance.md)."""
    import site

    found = []
    for folder in site.getsitepackages() if folders is None else folders:
        for path in sorted(Path(folder).glob("*.pth")):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if any(line.startswith(("import ", "import\t")) for line in text.splitlines()):
                found.append(path.name)
    return found


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
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "Memory": memory,
        "OS": platform.platform(),
        "Python": f"{platform.python_version()} ({sys.executable})",
        "Code run at every interpreter start (.pth)": ", ".join(startup_hooks()) or "none",
        "Load average at the end": load,
        "Date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _spread(m: Measure) -> float | None:
    if len(m.times) < 2 or not m.median:
        return None
    return (max(m.times) - min(m.times)) / m.median


def _mb(value: int) -> str:
    return f"{value / 1e6:.0f}" if value else "n/a"


AgainstRow = tuple[str, str, float | None, float | None, float | None, float | None, float | None]


class Report:
    def __init__(self, bench: Bench, command: str, elapsed: float) -> None:
        self.bench = bench
        self.command = command
        self.elapsed = elapsed
        self.after = bench.sides[-1].name
        self.before = bench.sides[0].name if len(bench.sides) > 1 else None

    def get(self, key: tuple[str, int], name: str, side: str | None = None) -> Measure | None:
        return self.bench.results.get(key, {}).get(name, {}).get(side or self.after)

    def median(
        self, key: tuple[str, int], name: str, side: str | None = None, *, cpu: bool = False
    ) -> float | None:
        m = self.get(key, name, side)
        if not m:
            return None
        return m.cpu_median if cpu else m.median

    def value(
        self, key: tuple[str, int], how: str, side: str | None = None, *, cpu: bool = False
    ) -> float | None:
        """A target's measured value: ``a/b`` of medians (``x-memory``: process tree peaks),
        of wall times, or with ``cpu`` of CPU times (None for memory)."""
        if how == "cold-memory-gb":
            if cpu:
                return None
            m = self.get(key, "cold", side)
            peak = max(m.peak_rss, m.tree_memory) if m else 0
            return peak / 1e9 if peak else None
        top, bottom = how.split("/")

        def one(name: str) -> float | None:
            if name.endswith("-memory"):
                if cpu:
                    return None
                m = self.get(key, name[: -len("-memory")], side)
                peak = max(m.peak_rss, m.tree_memory) if m else 0
                return float(peak) if peak else None
            if name == "bare":
                return self.median(("", 0), "bare", self.after, cpu=cpu)
            return self.median(key, name, side, cpu=cpu)

        return _ratio(one(top), one(bottom))

    def target_rows(self) -> list[tuple[str, str, str, str, str, str]]:
        """Every row of the targets table, for every generator: measured (wall time, and the
        same ratio of CPU times), met or not (judged on wall time, as the targets say)."""
        rows = []
        sizes = sorted({n for _, n in self.bench.trees})
        for title, size, how, limit in TARGETS:
            for generator in [g for g in GENERATORS if g in self.bench.args.generators]:
                wanted = [size] if size else (sizes or [0])
                for accounts in wanted:
                    key = (generator, accounts)
                    measured = self.value(key, how) if key in self.bench.trees else None
                    on_cpu = self.value(key, how, cpu=True) if key in self.bench.trees else None
                    if measured is None:
                        skipped = f"{generator}-{accounts}" in self.bench.args.skip
                        verdict = "not measured" + (
                            f" (--skip {generator}-{accounts})"
                            if skipped
                            else f" (needs --accounts {accounts})"
                            if key not in self.bench.trees and accounts
                            else ""
                        )
                    else:
                        verdict = "met" if measured <= limit else "**not met**"
                    unit = " GB" if how.endswith("-gb") else " x"
                    size_text = f"{accounts:,}" if accounts else "any"
                    rows.append(
                        (
                            title,
                            generator,
                            size_text,
                            "n/a" if measured is None else f"{measured:.3f}{unit}",
                            "n/a" if on_cpu is None else f"{on_cpu:.3f}{unit}",
                            verdict,
                        )
                    )
        return rows

    def render(self) -> str:
        bench = self.bench
        args = bench.args
        lines = [
            "# Benchmark results",
            "",
            f"Generated by `{self.command}` in {self.elapsed / 60:.0f} min. Medians of "
            f"{args.runs} run(s) each; wall time, start-up included; every command pinned to "
            f"one core: {bench.pin.how}. CPU time: user + system time the kernel charged the "
            "command and its children, the same runs' median; the targets are judged on wall "
            "time, the CPU column shows how much of a ratio the machine's other work moved; "
            "each ratio compares runs made in the same rounds (the floor and rapidyaml beside "
            "cold lint, `lint-by-audit` beside the audit). "
            "Peak RSS: each command's largest process; process "
            "tree: the peak of the sum of every process's PSS (forked children included), from "
            "one more, untimed run.",
            "",
            "## Machine",
            "",
        ]
        lines += [f"- {key}: {value}" for key, value in machine().items()]
        lines += [f"- socialgov {side.name}: {side.label}" for side in bench.sides]
        lines += ["", "## Targets (issue 18)", "", *self.targets_table()]
        for key, tree in bench.trees.items():
            lines += ["", f"## {tree.generator} tree, {tree.accounts:,} accounts", ""]
            lines.append(
                f"{len(tree.files):,} YAML files, {tree.size / 1e6:.1f} MB "
                f"({SOURCE[tree.generator]})."
            )
            lines += ["", *self.measures_table(key)]
        glob = bench.results.get(("", 0), {})
        if glob:
            lines += ["", "## Start-up and examples/acme", "", *self.measures_table(("", 0))]
        if self.before:
            lines += ["", "## Before and after", "", *self.against_table()]
        lines += [
            "",
            "Not targets: incremental and full-rerun show what an edit costs (full-rerun is an "
            "edit incremental lint cannot take; docs/performance.md says which).",
        ]
        if args.smoke:
            lines += ["", "Smoke run: too small to judge the targets; it proves the harness works."]
        lines += ["", "## What each change bought", "", self.bought_section()]
        return "\n".join(lines) + "\n"

    def targets_table(self) -> list[str]:
        out = [
            "| target | tree | accounts | measured | on CPU time | met |",
            "|---|---|---:|---:|---:|---|",
        ]
        out += [f"| {' | '.join(row)} |" for row in self.target_rows()]
        return out

    def measures_table(self, key: tuple[str, int]) -> list[str]:
        head = "| measure | command |"
        rule = "|---|---|"
        if self.before:
            head += " before (s) | after (s) | after/before |"
            rule += "---:|---:|---:|"
        else:
            head += " median (s) |"
            rule += "---:|"
        head += " CPU (s) |"
        rule += "---:|"
        if key[0]:
            head += " x floor | x rapidyaml | x cold |"
            rule += "---:|---:|---:|"
        head += " peak RSS (MB) | process tree (MB) |"
        rule += "---:|---:|"
        out = [head, rule]
        for name, by_side in self.bench.results.get(key, {}).items():
            m = by_side.get(self.after) or next(iter(by_side.values()))
            command = m.command + (f" ({m.note})" if m.note else "")
            row = f"| {name} | {command} |"
            if self.before:
                b = by_side.get(self.before)
                before = b.median if b else None
                row += f" {_fmt(before)} | {_fmt(m.median)} | {_fmt(_ratio(m.median, before))} |"
            else:
                row += f" {_fmt(m.median)} |"
            row += f" {_fmt(m.cpu_median)} |"
            if key[0]:
                row += (
                    f" {_fmt(_ratio(m.median, self.median(key, 'floor')))} |"
                    f" {_fmt(_ratio(m.median, self.median(key, 'ryml')))} |"
                    f" {_fmt(_ratio(m.median, self.median(key, 'cold')))} |"
                )
            row += f" {_mb(m.peak_rss)} | {_mb(m.tree_memory)} |"
            out.append(row)
        return out

    def against_rows(self) -> list[AgainstRow]:
        """Per measure: where, name, before, after, after/before, the run-to-run spread
        (the larger of the two sides' (slowest - fastest) / median) and after/before of the
        CPU times (None for memory)."""
        rows = []
        for key, measures in self.bench.results.items():
            where = f"{key[0]} {key[1]:,}" if key[0] else "examples"
            for name, by_side in measures.items():
                if self.before not in by_side:
                    continue
                a, b = by_side[self.before], by_side[self.after]
                spread = max((_spread(a), _spread(b)), key=lambda x: -1 if x is None else x)
                cpu = _ratio(b.cpu_median, a.cpu_median)
                if a.times or b.times:  # a measure of memory only has no times to compare
                    rows.append(
                        (where, name, a.median, b.median, _ratio(b.median, a.median), spread, cpu)
                    )
                if a.tree_memory and b.tree_memory:
                    rows.append(
                        (
                            where,
                            f"{name} memory (MB)",
                            a.tree_memory / 1e6,
                            b.tree_memory / 1e6,
                            b.tree_memory / a.tree_memory,
                            None,
                            None,
                        )
                    )
        return rows

    def against_table(self) -> list[str]:
        before = next(s for s in self.bench.sides if s.name == self.before)
        after = self.bench.sides[-1]
        out = [
            f"before: {before.label}; after: {after.label}. Same interpreter, same invocation "
            "(`python -m socialgov`, PYTHONPATH at each side's src), each side its own copy of "
            "every tree; runs interleaved (before, after, before, after, ...).",
            "",
            "| tree | measure | before | after | after/before | verdict | run-to-run spread "
            "| after/before, CPU time |",
            "|---|---|---:|---:|---:|---|---:|---:|",
        ]
        slower: list[str] = []
        grown: list[str] = []
        for where, name, a, b, ratio, spread, cpu in self.against_rows():
            memory = name.endswith("(MB)")
            worse, better = ("more", "less") if memory else ("slower", "faster")
            if ratio is None:
                verdict = "n/a"
            elif ratio > SLOWER:
                verdict = f"**{(ratio - 1) * 100:.0f}% {worse}**"
                (grown if memory else slower).append(f"{where} {name}")
            elif ratio < 1 / SLOWER:
                verdict = f"{(1 - ratio) * 100:.0f}% {better}"
            else:
                verdict = "within 5%"
            noise = "n/a" if spread is None else f"{spread * 100:.0f}%"
            cells = (where, name, _fmt(a), _fmt(b), _fmt(ratio), verdict, noise, _fmt(cpu))
            out.append(f"| {' | '.join(cells)} |")
        out += [
            "",
            "More than 5% slower: " + (", ".join(slower) if slower else "no measure") + ".",
            "More than 5% more memory: " + (", ".join(grown) if grown else "no measure") + ".",
            "A difference smaller than the run-to-run spread may be the machine, not the change: "
            "run again, or with more --runs; the CPU time's ratio moves less with the machine's "
            "other work (it still counts a busy core's slower caches).",
        ]
        return out

    def bought_section(self) -> str:
        """The ledger of what each change bought, kept from the results file's last version;
        with --against and --bought, this run's ratios are added to it."""
        previous = ""
        path = self.bench.args.results_path
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if BOUGHT_START in text and BOUGHT_END in text:
                previous = text.split(BOUGHT_START, 1)[1].split(BOUGHT_END, 1)[0].strip()
        if not previous:
            previous = (
                "One line per change, measured with `--against` (the commit before the change) "
                "on the same machine in one run: the change, the revisions, and the ratio "
                "after/before of the measures it was for.\n\n"
                "| change | before -> after | what it bought (after/before) |\n|---|---|---|"
            )
        if self.before and self.bench.args.bought:
            before = next(s for s in self.bench.sides if s.name == self.before)
            gains = "; ".join(
                f"{where} {name} {ratio:.2f}x"
                for where, name, _, _, ratio, _, _ in self.against_rows()
                if ratio is not None and "memory" not in name and where != "examples"
            )
            previous += (
                f"\n| {self.bench.args.bought} | {before.label} -> "
                f"{self.bench.sides[-1].label} | {gains} |"
            )
        return f"{BOUGHT_START}\n{previous}\n{BOUGHT_END}"

    def readme_block(self) -> str:
        """What the README quotes: the command, the machine line and the targets table."""
        return "\n".join(
            [
                f"From [benchmarks/RESULTS.md](benchmarks/RESULTS.md), `{self.command}`, one core "
                f"({self.bench.pin.how}), medians of {self.bench.args.runs}:",
                "",
                *self.targets_table(),
            ]
        )


def update_readme(block: str, readme: Path = PROJECT / "README.md") -> bool:
    """Put ``block`` between the README's benchmark markers, if it has them (whether it had)."""
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(
        head + README_START + "\n" + textwrap.dedent(block) + "\n" + README_END + tail,
        encoding="utf-8",
    )
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--accounts",
        type=int,
        nargs="+",
        default=[100_000],
        help="sizes of the trees (several: --accounts 1000 5000 100000)",
    )
    parser.add_argument("--generators", nargs="+", choices=GENERATORS, default=list(GENERATORS))
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        metavar="TREE",
        help="trees left out, as GENERATOR-ACCOUNTS (--skip stranger-100000); their target rows "
        "say so",
    )
    parser.add_argument(
        "--runs", type=int, help="runs of each command (median; default 5, 1 with --smoke)"
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also run every socialgov command with git revision REV's source",
    )
    parser.add_argument(
        "--after",
        metavar="REV",
        help="with --against: run git revision REV's source as 'after' instead of this "
        "checkout (one change measured on its own: --against C~1 --after C)",
    )
    parser.add_argument(
        "--bought", metavar="TEXT", help="with --against: add this run to 'What each change bought'"
    )
    parser.add_argument(
        "--core", default="0", help="the core every command is pinned to ('none': not pinned)"
    )
    parser.add_argument(
        "--peers", action="store_true", help="also time yamllint and check-jsonschema (slow)"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny trees (200 accounts), one run each: proves the harness works",
    )
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where trees are made")
    parser.add_argument("--results", type=Path, help="default: benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.smoke:
        args.accounts = [200]
    if args.runs is None:
        args.runs = 1 if args.smoke else 5
    if (args.bought or args.after) and not args.against:
        parser.error("--bought and --after need --against")
    args.results_path = args.results or (
        args.data / "RESULTS-smoke.md" if args.smoke else HERE / "RESULTS.md"
    )
    args.data.mkdir(parents=True, exist_ok=True)
    args.data = args.data.resolve()
    command = "python benchmarks/run.py " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:])
    )
    started = time.perf_counter()
    pin = Pin(None if args.core == "none" else int(args.core))
    print(f"pinning: {pin.how}", file=sys.stderr)
    if args.after:
        src, label = checkout(args.after, args.data)
        sides = [make_side("after", src, label)]
    else:
        sides = [make_side("after", PROJECT / "src", head_label())]
    if args.against:
        src, label = checkout(args.against, args.data)
        sides.insert(0, make_side("before", src, label))
    bench = Bench(args, sides, pin)
    bench.warm_up()
    bench.global_measures()
    for accounts in sorted(set(args.accounts)):
        for generator in args.generators:
            if f"{generator}-{accounts}" not in args.skip:
                bench.tree_measures(ensure_tree(generator, accounts, args.data))
    report = Report(bench, command.strip(), time.perf_counter() - started)
    text = report.render()
    print(text)
    args.results_path.parent.mkdir(parents=True, exist_ok=True)
    args.results_path.write_text(text, encoding="utf-8")
    print(f"wrote {args.results_path}", file=sys.stderr)
    if not args.smoke and args.results is None:
        update_readme(report.readme_block())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
