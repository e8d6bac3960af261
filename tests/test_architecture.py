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
