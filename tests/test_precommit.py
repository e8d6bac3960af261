"""The pre-commit hooks this project publishes, checked with real pre-commit and git."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, Git

MANIFEST = PROJECT / ".pre-commit-hooks.yaml"
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
PACKAGE_FOLDERS = ("src", "schemas", "rules", "policies")


def pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_the_manifest_is_valid_for_pre_commit() -> None:
    done = pre_commit("validate-manifest", str(MANIFEST), cwd=PROJECT)
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text("utf-8"))}
    assert set(hooks) == {"socialgov-lint", "socialgov-test"}
    assert hooks["socialgov-lint"]["entry"] == "socialgov lint"
    assert hooks["socialgov-lint"].get("pass_filenames", True) is True
    assert hooks["socialgov-test"]["entry"] == "socialgov test"
    assert hooks["socialgov-test"]["pass_filenames"] is False
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["require_serial"] is True


def test_a_broken_manifest_would_be_caught(tmp_path: Path) -> None:
    broken = tmp_path / "hooks.yaml"
    broken.write_text("- id: x\n  name: x\n  language: python\n", "utf-8")
    done = pre_commit("validate-manifest", str(broken), cwd=tmp_path)
    assert done.returncode == 1 and "Missing required key: entry" in done.stdout + done.stderr


def hook_repository(into: Path, git: Git) -> str:
    """This project's working tree as a git repository pre-commit can clone; its commit id."""
    into.mkdir()
    for name in PACKAGE_FILES:
        shutil.copy2(PROJECT / name, into / name)
    for name in PACKAGE_FOLDERS:
        shutil.copytree(
            PROJECT / name, into / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    git("init", "-q", cwd=into)
    git("add", "-A", cwd=into)
    git("commit", "-qm", "socialgov as it is being tested", cwd=into)
    return git("rev-parse", "HEAD", cwd=into).strip()


@pytest.mark.slow
def test_the_hook_blocks_a_defective_commit_and_passes_the_fix(
    tmp_path: Path, git: Git, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit installs socialgov from this project (a local clone, pip from PyPI for its
    dependencies), as a policy repository's .pre-commit-config.yaml would."""
    rev = hook_repository(tmp_path / "socialgov", git)
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-cache"))
    monkeypatch.delenv("PYTHONPATH", raising=False)  # the hook runs the installed package
    repo = tmp_path / "policy"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {(tmp_path / 'socialgov').as_uri()}\n    rev: {rev}\n"
        "    hooks:\n      - id: socialgov-lint\n        args: [--as-of, '2026-11-24']\n",
        "utf-8",
    )
    (repo / "socialgov.yaml").write_text("organisation: Test\nselect: [SG1]\n", "utf-8")
    (repo / "people.yaml").write_text("people:\n  - {id: jdoe, employment: full_time}\n", "utf-8")
    (repo / "legacy.yaml").write_text(  # an old defect, committed before the hook
        "kind: Account\nid: legacy\nplatform: x\nowner: gone\n", "utf-8"
    )
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "start", cwd=repo)
    installed = pre_commit("install", cwd=repo)
    assert installed.returncode == 0, installed.stderr

    account = repo / "accounts" / "acme-x.yaml"
    account.parent.mkdir()
    account.write_text("kind: Account\nid: acme-x\nplatform: x\nowner: jdoee\n", "utf-8")
    git("add", "-A", cwd=repo)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    blocked = subprocess.run(
        ["git", "commit", "-m", "add acme-x"], cwd=repo, capture_output=True, text=True, env=env
    )
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "socialgov lint" in output and "Failed" in output
    assert "accounts/acme-x.yaml:4:8: SG104 [error] Account acme-x: owner names Person 'jdoee'" in (
        output
    )
    assert "legacy" not in output  # only what the commit touches is reported

    account.write_text("kind: Account\nid: acme-x\nplatform: x\nowner: jdoe\n", "utf-8")
    git("add", "-A", cwd=repo)
    passed = subprocess.run(
        ["git", "commit", "-m", "add acme-x"], cwd=repo, capture_output=True, text=True, env=env
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "socialgov lint....." in passed.stderr and "Passed" in passed.stderr
    assert git("log", "--format=%s", "-1", cwd=repo).strip() == "add acme-x"
