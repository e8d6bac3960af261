"""``python -m socialgov`` run from a policy repository's root imports nothing from it
(docs/security.md, issue 16 class 7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, PROJECT

# Modules socialgov imports after it starts, at once or lazily in some command.
PLANTED = ["click", "re2", "yaml", "jsonschema", "wcwidth", "pathspec", "regex", "jinja2", "ryml"]


@pytest.fixture
def planted_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "socialgov.yaml").write_text("organisation: T\n", encoding="utf-8")
    (root / "t.yaml").write_text("kind: Team\nid: t\nlaed: x\n", encoding="utf-8")
    payload = "import sys\nsys.stderr.write('PLANTED {}\\n')\nraise SystemExit(99)\n"
    for name in PLANTED:
        (root / f"{name}.py").write_text(payload.format(name), encoding="utf-8")
    package = root / "ruamel" / "yaml"  # a package too, not only modules
    package.mkdir(parents=True)
    (root / "ruamel" / "__init__.py").write_text(payload.format("ruamel"), encoding="utf-8")
    (package / "__init__.py").write_text(payload.format("ruamel.yaml"), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["lint"],
        ["lint", "--format", "sarif"],
        ["lint", "--format", "junit"],
        ["audit", "--format", "html"],
        ["test"],
        ["fix", "--diff"],
        ["schema"],
    ],
)
@pytest.mark.parametrize("pythonpath_extra", ["", ":"])  # ":" adds an empty entry: the cwd
def test_python_m_imports_nothing_from_the_current_folder(
    planted_repo: Path, args: list[str], pythonpath_extra: str
) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src") + pythonpath_extra}
    env.pop("GITHUB_ACTIONS", None)
    command = [sys.executable, "-m", "socialgov", *args]
    if args[0] not in ("schema",):
        command += ["--as-of", AS_OF.isoformat()]
    done = subprocess.run(command, cwd=planted_repo, env=env, capture_output=True, timeout=120)
    assert b"PLANTED" not in done.stderr
    assert done.returncode in (0, 1), done.stderr


_SPY = """
import gc, runpy, sys
class Spy:
    def find_spec(self, name, path=None, target=None):
        if name in ("click", "socialgov.cli"):
            sys.stderr.write(f"{name} collector={gc.isenabled()}\\n")
        return None
sys.meta_path.insert(0, Spy())
sys.argv = ["socialgov", "--version"]
runpy.run_module("socialgov", run_name="__main__", alter_sys=True)
"""


def test_python_m_imports_the_command_line_with_the_collector_paused() -> None:
    """The command runs with the cyclic collector paused and ends its process (cli.run):
    ``python -m socialgov`` pauses it before importing the command line, whose modules' objects
    would otherwise set off collections that free nothing."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _SPY], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "socialgov.cli collector=False" in done.stderr
    assert "click collector=False" in done.stderr


_INSTALLED = """
import sys
sys.argv[0] = {script!r}
import dataclasses, re
import socialgov
print("package", "exec" in vars(dataclasses), re._compiler.compile.__module__)
{then}
print("then", "exec" in vars(dataclasses), re._compiler.compile.__module__)
"""


@pytest.mark.parametrize(
    ("script", "then", "at_import"),
    [
        ("/usr/local/bin/socialgov", "import socialgov.cli", False),  # an older entry's script
        ("/usr/local/bin/socialgov", "from socialgov.cli import run", False),
        ("/usr/local/bin/other", "import socialgov.model", True),  # a library caller
    ],
)
def test_every_way_into_the_package_runs_with_its_speedups(
    script: str, then: str, at_import: bool
) -> None:
    """The package leaves its speedups (speedups/regexcode.py, classcode.py) to the command
    when the interpreter runs it, so that an answered run (speedups/replay.py) loads neither;
    the command line installs them first whichever script reached it (one of an older entry,
    ``socialgov.cli:run``, never passes through socialgov.__main__), a library caller at the
    package's import."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    code = _INSTALLED.format(script=script, then=then)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    package, after = done.stdout.split("\n")[:2]
    installed = "True socialgov.speedups.regexcode"
    assert package == f"package {installed}" if at_import else package != f"package {installed}"
    assert after == f"then {installed}"
