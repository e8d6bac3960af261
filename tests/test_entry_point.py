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
