"""The house's import rules (docs/architecture.md), checked on the real import graph.

pyproject.toml's ``[tool.importlinter]`` contracts say which stage may import which: each layer
only the layers below it, and only the pipeline and the commands know the speed layer exists.
These tests run import-linter on them, prove the contracts catch a planted back-import in a copy
of the package, and check that no module imports itself through others (no import circles,
inside a stage either).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import pytest

PROJECT = Path(__file__).resolve().parent.parent
PACKAGE = PROJECT / "src" / "socialgov"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's verdict on the package under ``project/src`` (no cache: always fresh)."""
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command;"
            "sys.exit(lint_imports_command())",
            "--no-cache",
            "--no-logo",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    done = lint_imports(PROJECT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "planted"),
    [
        ("core/findings.py", "import socialgov.pipeline"),
        ("rules/base.py", "from socialgov.report import finish"),
        ("reporters/base.py", "from socialgov.speedups import cache"),
    ],
)
def test_a_planted_back_import_breaks_a_contract(tmp_path: Path, module: str, planted: str) -> None:
    copy = tmp_path / "project"
    shutil.copytree(
        PACKAGE, copy / "src" / "socialgov", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(PROJECT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / "src" / "socialgov" / module
    target.write_text(target.read_text() + f"\n{planted}  # planted by the test\n")
    done = lint_imports(copy)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout.upper()
    imported = planted.split()[1]
    assert f"socialgov.{module.removesuffix('.py').replace('/', '.')}" in done.stdout
    assert imported in done.stdout


def import_cycles(package: str) -> list[list[str]]:
    """Every set of modules that import each other, directly or through others (Tarjan)."""
    graph = grimp.build_graph(package, cache_dir=None)
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(start: str) -> None:
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_itself_through_others() -> None:
    sys.path.insert(0, str(PROJECT / "src"))
    try:
        assert import_cycles("socialgov") == []
    finally:
        sys.path.remove(str(PROJECT / "src"))


def test_the_cycle_finder_finds_a_planted_circle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "circle"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circle import b\n")
    (package / "b.py").write_text("from circle import c\n")
    (package / "c.py").write_text("import circle.a\n")
    (package / "d.py").write_text("from circle import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("circle") == [["circle.a", "circle.b", "circle.c"]]


def _copy_of_socialgov(tmp_path: Path) -> Path:
    """A copy of the package and the data it ships, to change as a contributor would."""
    copy = tmp_path / "project"
    shutil.copytree(
        PACKAGE, copy / "src" / "socialgov", ignore=shutil.ignore_patterns("__pycache__")
    )
    for data in ("schemas", "rules", "policies"):
        shutil.copytree(PROJECT / data, copy / data)
    return copy


def _socialgov(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "socialgov", *args],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_new_output_format_is_its_module_alone(tmp_path: Path) -> None:
    copy = _copy_of_socialgov(tmp_path)
    (copy / "src" / "socialgov" / "reporters" / "tally.py").write_text(
        '"""One line per finding: its code."""\n\n'
        "from socialgov.report.result import LintResult\n"
        "from socialgov.reporters.base import ReportOptions, shown_findings\n\n\n"
        "def render(result: LintResult, options: ReportOptions) -> str:\n"
        '    return "".join(f"{f.code}\\n" for f in shown_findings(result, options))\n',
        encoding="utf-8",
    )
    acme = str(PROJECT / "examples" / "acme")
    done = _socialgov(copy, "lint", "--root", acme, "--no-cache", "--format", "tally")
    assert done.returncode == 1, done.stderr
    codes = done.stdout.split()
    assert "SG202" in codes and all(code.startswith("SG") for code in codes)
    assert "tally" in _socialgov(copy, "lint", "--help").stdout


def test_a_new_rule_is_its_function_in_its_family_module(tmp_path: Path) -> None:
    copy = _copy_of_socialgov(tmp_path)
    family = copy / "src" / "socialgov" / "rules" / "measurement.py"
    family.write_text(
        family.read_text(encoding="utf-8")
        + textwrap.dedent(
            """


            @rule(
                code="SG699",
                name="objective-without-statement",
                severity=Severity.WARNING,
                family=FAMILY,
                summary="An Objective has no statement",
                rationale="An objective nobody wrote down cannot be shared.",
                fix="Add a `statement`.",
                reads=Reads.of({"Objective": ("statement",)}, local=True),
            )
            def objective_without_statement(model: Model, ctx: RuleContext) -> Iterator[Violation]:
                for objective in model.objectives:
                    yield Violation(objective, f"Objective {objective.id} is checked", key="id")
            """
        ),
        encoding="utf-8",
    )
    assert "SG699" in _socialgov(copy, "rules").stdout
    acme = str(PROJECT / "examples" / "acme")
    done = _socialgov(copy, "lint", "--root", acme, "--no-cache", "--select", "SG699")
    assert done.returncode == 0, done.stderr  # a warning: below the failing threshold
    assert "SG699 [warning] Objective" in done.stdout
