"""docs/ci.md: every YAML snippet parses, means what it says, and its commands run."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PROJECT, MakeRepo
from socialgov.cli import main

DOC = PROJECT / "docs" / "ci.md"


def snippets() -> list[Any]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)
    return [yaml.safe_load(block) for block in blocks]


def find(kind: str) -> list[dict[str, Any]]:
    tests = {
        "github": lambda s: isinstance(s, dict) and "jobs" in s and True in s,  # `on:` is True
        "gitlab": lambda s: (
            isinstance(s, dict) and any(isinstance(v, dict) and "script" in v for v in s.values())
        ),
        "pre-commit": lambda s: isinstance(s, dict) and "repos" in s,
    }
    return [s for s in snippets() if tests[kind](s)]


def lint_commands() -> list[str]:
    lines: list[str] = []
    for snippet in find("github"):
        for job in snippet["jobs"].values():
            lines.extend(step["run"] for step in job["steps"] if "run" in step)
    for snippet in find("gitlab"):
        for job in snippet.values():
            lines.extend(job["script"])
    return [line for line in lines if line.startswith("socialgov lint")]


def test_every_snippet_parses_and_each_setup_is_there() -> None:
    assert len(snippets()) == 10
    assert len(find("github")) == 5 and len(find("gitlab")) == 2 and len(find("pre-commit")) == 2


def test_github_workflow_uploads_the_sarif_it_writes() -> None:
    [workflow] = [
        w
        for w in find("github")
        if "lint" in w["jobs"]
        and any(s.get("run", "").startswith("socialgov lint") for s in w["jobs"]["lint"]["steps"])
        and any("upload-sarif" in s.get("uses", "") for s in w["jobs"]["lint"]["steps"])
    ]
    steps = workflow["jobs"]["lint"]["steps"]
    lint = next(s["run"] for s in steps if s.get("run", "").startswith("socialgov lint"))
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload"))
    assert f"sarif:{upload['with']['sarif_file']}" in lint
    assert workflow["permissions"]["security-events"] == "write"


def test_gitlab_job_publishes_the_reports_it_writes() -> None:
    job = find("gitlab")[0]["socialgov"]
    command = next(line for line in job["script"] if line.startswith("socialgov lint"))
    reports = job["artifacts"]["reports"]
    assert f"gitlab:{reports['codequality']}" in command
    assert f"junit:{reports['junit']}" in command
    assert job["artifacts"]["when"] == "always"


def test_pre_commit_configs_are_valid(tmp_path: Path) -> None:
    for i, config in enumerate(find("pre-commit")):
        path = tmp_path / f"config{i}.yaml"
        path.write_text(yaml.safe_dump(config), "utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "pre_commit", "validate-config", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    [local] = [c for c in find("pre-commit") if c["repos"][0]["repo"] == "local"]
    hooks = {h["id"]: h for h in local["repos"][0]["hooks"]}
    manifest = {
        h["id"]: h for h in yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    }
    for hook_id, hook in hooks.items():  # the local form mirrors the published hooks
        for key in ("entry", "language", "pass_filenames", "require_serial", "types_or"):
            assert hook.get(key) == manifest[hook_id].get(key), (hook_id, key)


def test_the_documented_commands_run(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"people.yaml": "people:\n  - {id: jdoe, employment: full_time}\n"})
    monkeypatch.chdir(root)
    commands = [c for c in lint_commands() if "--new-since" not in c]  # tests/test_history.py
    assert len(commands) == 3
    for command in commands:
        args = shlex.split(command)[1:]
        assert main([*args, "--as-of", "2026-11-24"]) == 0, capsys.readouterr().err
        for arg in args:
            if ":" in arg and not arg.startswith("-"):
                assert (root / arg.partition(":")[2]).is_file()


def test_the_documented_audit_comment_compares_and_posts_the_file_it_writes() -> None:
    workflow = next(s for s in find("github") if "audit-change" in s["jobs"])
    steps = workflow["jobs"]["audit-change"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    audit = next(s["run"] for s in steps if s.get("run", "").startswith("socialgov audit"))
    args = shlex.split(audit)
    assert args[1:3] == ["audit", "--compare"] and "--format" in args
    written = args[args.index("--output") + 1]
    post = next(s for s in steps if "gh pr comment" in s.get("run", ""))
    assert f"--body-file {written}" in post["run"]
    assert workflow["permissions"]["pull-requests"] == "write"
    assert post["env"]["GH_TOKEN"] == "${{ github.token }}"
