"""--new-since REV on a real git history made in a temporary folder."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import AS_OF, Git
from socialgov.cli import main

PEOPLE = "people:\n  - {id: jdoe, employment: full_time}\n"
OLD_DEFECT = "kind: Account\nid: acme-x\nplatform: x\nowner: jdoee\n"
NEW_DEFECT = "kind: Account\nid: acme-y\nplatform: x\nowner: nobody\n"


def write(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def lint_json(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(
        ["lint", "--root", str(root), "--as-of", AS_OF.isoformat(), "--format", "json", *args]
    )
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def history(tmp_path: Path, git: Git) -> Path:
    """A checkout whose policy repository (in policy/) has one defect committed on main."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    git("init", "-q", cwd=checkout)
    write(checkout, {"README.md": "not policy\n"})
    git("add", "-A", cwd=checkout)
    git("commit", "-qm", "before the policy repository", cwd=checkout)
    root = checkout / "policy"
    write(root, {"socialgov.yaml": "organisation: Test\nselect: [SG1]\n", "people.yaml": PEOPLE,
                 "accounts/x.yaml": OLD_DEFECT})  # fmt: skip
    git("add", "-A", cwd=checkout)
    git("commit", "-qm", "policy with one defect", cwd=checkout)
    return root


def test_only_findings_new_since_the_revision(
    history: Path, git: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = lint_json(history, capsys)
    assert code == 1 and [f["entity"]["id"] for f in report["findings"]] == ["acme-x"]
    code, report = lint_json(history, capsys, "--new-since", "HEAD")
    assert code == 0 and report["findings"] == [] and report["summary"]["preexisting"] == 1

    write(history, {"accounts/y.yaml": NEW_DEFECT})  # uncommitted work counts as new
    code, report = lint_json(history, capsys, "--new-since", "main")
    assert code == 1
    assert [f["entity"]["id"] for f in report["findings"]] == ["acme-y"]

    git("add", "-A", cwd=history)
    git("commit", "-qm", "a second defect", cwd=history)
    _, report = lint_json(history, capsys, "--new-since", "HEAD~1")
    assert [f["entity"]["id"] for f in report["findings"]] == ["acme-y"]
    _, report = lint_json(history, capsys, "--new-since", "HEAD")
    assert report["findings"] == []


def test_moving_and_editing_an_entity_is_not_new(
    history: Path, git: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    (history / "accounts" / "x.yaml").unlink()
    write(history, {"moved/all.yaml": "accounts:\n  - id: acme-x\n    name: Acme\n"
                    "    platform: x\n    handle: acme\n    owner: jdoee\n"})  # fmt: skip
    code, report = lint_json(history, capsys, "--new-since", "HEAD")
    assert code == 0 and report["findings"] == [] and report["summary"]["preexisting"] == 1


def test_a_revision_before_the_policy_repository_existed(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = lint_json(history, capsys, "--new-since", "HEAD~1")
    assert code == 1 and [f["entity"]["id"] for f in report["findings"]] == ["acme-x"]


def test_the_checkout_is_left_untouched(
    history: Path, git: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    write(history, {"accounts/y.yaml": NEW_DEFECT})
    git("add", "accounts/y.yaml", cwd=history)
    before = (git("status", "--porcelain", cwd=history), git("stash", "list", cwd=history))
    lint_json(history, capsys, "--new-since", "HEAD")
    after = (git("status", "--porcelain", cwd=history), git("stash", "list", cwd=history))
    assert before == after
    assert git("worktree", "list", cwd=history).count("\n") == 1


def test_unknown_revision_is_exit_2(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for rev in ("no-such-branch", "--all"):
        code = main(["lint", "--root", str(history), "--new-since", rev])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1
        assert err.startswith(f"socialgov: error: --new-since {rev}") or "not a git revision" in err
    main(["lint", "--root", str(history), "--new-since", "no-such-branch"])
    assert "unknown git revision" in capsys.readouterr().err


def test_outside_a_git_repository_is_exit_2(
    tmp_path: Path, git: Git, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "plain"
    write(root, {"socialgov.yaml": "organisation: Test\n", "people.yaml": PEOPLE})
    assert main(["lint", "--root", str(root), "--new-since", "HEAD"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"socialgov: error: --new-since: {root} is not inside a git repository; run it in a "
        "clone, or drop --new-since\n"
    )
