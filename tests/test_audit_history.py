"""``audit --history`` and ``audit --compare`` on a repository built commit by commit.

The policy repository lives in the ``policy`` folder of a git checkout; each commit has its dates
set (GIT_AUTHOR_DATE, GIT_COMMITTER_DATE) and a coverage worked out by hand below. A backup owner
whose departure is recorded in advance (departed_on 2026-02-25) shows that each sample is judged
as of its own commit date.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from socialgov.cli import main

PEOPLE = """\
    people:
      - {id: jdoe, name: Jo Doe, employment: full_time}
      - {id: asmith, name: Al Smith, employment: full_time}
"""
PEOPLE_LEAVING = """\
    people:
      - {id: jdoe, name: Jo Doe, employment: full_time}
      - {id: asmith, name: Al Smith, employment: full_time, departed_on: 2026-02-25}
"""
POLICY = """\
    policies:
      - {id: p, owner: jdoe, applies_to: {kind: Account}}
"""


def accounts(*rows: str) -> str:
    return "accounts:\n" + "".join(f"  - {{{row}}}\n" for row in rows)


A = "platform: other, owner: jdoe"
BACKUP = "backup_owner: asmith"
MON = "monitoring: [listening]"
POL = "policies: [p]"

# (date, files written (None deletes), subject); the coverage at each is in EXPECTED
COMMITS: list[tuple[str, dict[str, str | None], str]] = [
    (
        "2026-01-05T10:00:00+01:00",
        {
            "policy/socialgov.yaml": "organisation: History Test\nselect: [SG203]\n",
            "policy/people.yaml": PEOPLE,
            "policy/accounts.yaml": accounts(*(f"id: a{i}, {A}" for i in range(1, 5))),
        },
        "Four accounts, owners only",
    ),
    (
        "2026-01-07T16:30:00+01:00",
        {
            "policy/accounts.yaml": accounts(
                f"id: a1, {A}, {BACKUP}", f"id: a2, {A}, {BACKUP}", f"id: a3, {A}", f"id: a4, {A}"
            )
        },
        "Backups for a1 and a2",
    ),
    (
        "2026-01-14T09:00:00+00:00",
        {
            "policy/people.yaml": PEOPLE_LEAVING,
            "policy/policies.yaml": POLICY,
            "policy/accounts.yaml": accounts(
                f"id: a1, {A}, {BACKUP}, {POL}, {MON}",
                f"id: a2, {A}, {BACKUP}, {POL}, {MON}",
                f"id: a3, {A}, {POL}, {MON}",
                f"id: a4, {A}, {MON}",
            ),
        },
        "A policy, monitoring, and a departure announced for 25 February",
    ),
    ("2026-01-20T12:00:00+00:00", {"README.md": "Not the policy repository\n"}, "Readme"),
    (
        "2026-02-20T12:00:00-05:00",
        {
            "policy/accounts.yaml": accounts(
                f"id: a1, {A}, {BACKUP}, {POL}, {MON}",
                f"id: a2, {A}, {BACKUP}, {POL}, {MON}",
                f"id: a3, {A}, {POL}, {MON}",
                f"id: a4, {A}, {MON}",
                f"id: a5, {A}",
            )
        },
        "A fifth account",
    ),
    (
        "2026-03-02T08:00:00+00:00",
        {
            "policy/accounts.yaml": accounts(
                f"id: a1, {A}, {BACKUP}, {POL}, {MON}",
                f"id: a2, {A}, {BACKUP}, {POL}, {MON}",
                f"id: a3, {A}, {POL}, {MON}",
                f"id: a5, {A}",
                f"id: a6, {A}, {MON}",
            )
        },
        "a4 retired from the inventory, a6 added",
    ),
]

KEYS = (
    "owned_with_backup",
    "adopting_policies",
    "playbook_covered",
    "serving_objective",
    "monitored",
)
# date -> (live accounts, {indicator: (part, whole)}, score, stage); score = the mean of the five
# shares and the error-free share (1: SG203 is a warning), rounded down
EXPECTED = {
    "2026-01-05": (
        4,
        {"owned_with_backup": (0, 4), "adopting_policies": (0, 4), "monitored": (0, 4)},
        16,
    ),
    "2026-01-07": (
        4,
        {"owned_with_backup": (2, 4), "adopting_policies": (0, 4), "monitored": (0, 4)},
        25,
    ),
    "2026-01-14": (
        4,
        {"owned_with_backup": (2, 4), "adopting_policies": (3, 4), "monitored": (4, 4)},
        54,
    ),
    "2026-02-20": (
        5,
        {"owned_with_backup": (2, 5), "adopting_policies": (3, 5), "monitored": (4, 5)},
        46,
    ),
    # asmith has left by 2 March: a1's and a2's backup no longer counts
    "2026-03-02": (
        5,
        {"owned_with_backup": (0, 5), "adopting_policies": (3, 5), "monitored": (4, 5)},
        40,
    ),
}


def git(checkout: Path, *args: str, date: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    done = subprocess.run(
        ["git", *args], cwd=checkout, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    top = tmp_path / "checkout"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    for date, files, subject in COMMITS:
        for relpath, text in files.items():
            path = top / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                path.unlink()
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        git(top, "add", "-A")
        git(top, "commit", "-q", "-m", subject, date=date)
    return top


def history(checkout: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    argv = ["audit", "--root", str(checkout / "policy"), "--history", "--format", "json", *extra]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)["history"]


def values(sample: dict) -> tuple[int, dict[str, tuple[int, int]], int]:
    shares = {
        i["key"]: (i["ratio"]["part"], i["ratio"]["whole"])
        for i in sample["indicators"]
        if i["key"] in ("owned_with_backup", "adopting_policies", "monitored")
    }
    return sample["live_accounts"], shares, sample["score"]


def test_every_commit_gives_exactly_the_coverage_at_its_date(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    series = history(checkout, capsys, "--every", "commit")
    samples = series["samples"]
    # the readme commit did not touch the policy repository, so it is not a sample
    assert [s["date"] for s in samples] == list(EXPECTED)
    for sample in samples:
        assert values(sample) == EXPECTED[sample["date"]], sample["date"]
        assert sample["stage"] == "scattered"
        playbook = next(i for i in sample["indicators"] if i["key"] == "playbook_covered")
        assert playbook["ratio"]["part"] == 0
    assert [s["subject"] for s in samples][-1] == "a4 retired from the inventory, a6 added"
    commits = git(checkout, "log", "--format=%H", "--", "policy").split()
    assert [s["commit"] for s in samples] == commits[::-1]
    # the change from the first sample to the last
    change = series["change"]
    assert (change["since"], change["until"], change["score"]) == ("2026-01-05", "2026-03-02", 24)
    moved = {i["key"]: (i["points"], i["direction"]) for i in change["indicators"]}
    assert moved["adopting_policies"] == (60.0, "up")
    assert moved["monitored"] == (80.0, "up")
    assert moved["owned_with_backup"] == (0.0, "same")
    assert change["live_accounts"] == 1


def test_week_and_month_keep_the_last_commit_of_each(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weekly = history(checkout, capsys)  # --every week is the default
    assert weekly["every"] == "week"
    # 5 and 7 January share an ISO week: the 7th, the later, stands for it
    assert [s["date"] for s in weekly["samples"]] == [
        "2026-01-07",
        "2026-01-14",
        "2026-02-20",
        "2026-03-02",
    ]
    monthly = history(checkout, capsys, "--every", "month")
    assert [(s["date"], s["score"]) for s in monthly["samples"]] == [
        ("2026-01-14", 54),
        ("2026-02-20", 46),
        ("2026-03-02", 40),
    ]


def test_since_a_date_or_a_revision_range(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dated = history(checkout, capsys, "--every", "commit", "--since", "2026-02-01")
    assert [s["date"] for s in dated["samples"]] == ["2026-02-20", "2026-03-02"]
    assert dated["since"] == "2026-02-01"
    ranged = history(checkout, capsys, "--every", "commit", "--since", "HEAD~3..HEAD")
    assert [s["date"] for s in ranged["samples"]] == ["2026-02-20", "2026-03-02"]
    assert main(["audit", "--root", str(checkout / "policy"), "--history", "--since", "soon"]) == 2
    assert "give a date (YYYY-MM-DD) or a git revision range" in capsys.readouterr().err


def test_history_in_every_format(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["audit", "--root", str(checkout / "policy"), "--history", "--every", "commit"]
    assert main([*base, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["date"], r["score"], r["owned_with_backup"]) for r in rows] == [
        ("2026-01-05", "16", "0.0"),
        ("2026-01-07", "25", "50.0"),
        ("2026-01-14", "54", "50.0"),
        ("2026-02-20", "46", "40.0"),
        ("2026-03-02", "40", "0.0"),
    ]
    assert main([*base, "--format", "table", "--width", "90"]) == 0
    table = capsys.readouterr().out
    assert "History (5 samples, one per commit, over the whole history)" in table
    assert "Change 2026-01-05 → 2026-03-02: still scattered, score +24" in table
    assert max(len(line) for line in table.splitlines()) <= 90
    assert main([*base, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "## History" in markdown and "| 2026-03-02 |" in markdown
    assert main([*base, "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.count('<svg class="chart line"') == 2
    assert "Share of live accounts (%)" in page and "Commit date" in page
    assert "80% bar" in page and "2026-01-05" in page


def test_history_needs_git_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "socialgov.yaml").write_text("organisation: X\n")
    assert main(["audit", "--root", str(root), "--history"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err
    assert main(["audit", "--root", str(root), "--every", "week"]) == 2
    assert "--since and --every go with --history" in capsys.readouterr().err


# ----------------------------------------------------------------------------- --compare


def test_compare_gives_the_exact_differences(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["audit", "--root", str(checkout / "policy"), "--as-of", "2026-03-02"]
    # HEAD~2 is the readme commit: the policy repository as it was on 14 January
    assert main([*argv, "--compare", "HEAD~2", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "socialgov-audit-comparison" and doc["existed"] is True
    assert (doc["score_before"], doc["score_after"]) == (45, 40)
    assert (doc["stage_before"], doc["stage_after"]) == ("scattered", "scattered")
    moved = {i["key"]: (i["points"], i["direction"]) for i in doc["indicators"]}
    assert moved == {
        "owned_with_backup": (0.0, "same"),
        "adopting_policies": (-15.0, "down"),
        "playbook_covered": (0.0, "same"),
        "serving_objective": (0.0, "same"),
        "monitored": (-20.0, "down"),
    }
    assert [(r["kind"], r["id"]) for r in doc["entities_added"]] == [
        ("Account", "a5"),
        ("Account", "a6"),
    ]
    assert [(r["kind"], r["id"]) for r in doc["entities_removed"]] == [("Account", "a4")]
    assert [(f["code"], f["entity"]["id"]) for f in doc["findings_added"]] == [
        ("SG203", "a5"),
        ("SG203", "a6"),
    ]
    assert [(f["code"], f["entity"]["id"]) for f in doc["findings_resolved"]] == [("SG203", "a4")]


def test_compare_as_a_pull_request_comment(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["audit", "--root", str(checkout / "policy"), "--as-of", "2026-03-02"]
    assert main([*argv, "--compare", "HEAD~2", "--format", "markdown"]) == 0
    comment = capsys.readouterr().out
    # markup characters are escaped: HEAD\~2 shows as HEAD~2
    assert comment.startswith("### socialgov audit: changes since HEAD\\~2 (")
    assert "**Since HEAD\\~2: still scattered, score 45 → 40 (-5).**" in comment
    assert "| Monitored | 100.0% (4/4) | 80.0% (4/5) | 🔴 -20.0 pts |" in comment
    assert "**Entities removed (1):** Account a4." in comment
    assert len(comment) < 4000
    assert main([*argv, "--compare", "HEAD~2", "--width", "80"]) == 0
    table = capsys.readouterr().out
    assert "Since HEAD~2: still scattered, score 45 → 40 (-5)." in table
    assert max(len(line) for line in table.splitlines()) <= 80
    assert main([*argv, "--compare", "HEAD~2", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["change"], r["id"]) for r in rows if r["change"].startswith("entity")} == {
        ("entity added", "a5"),
        ("entity added", "a6"),
        ("entity removed", "a4"),
    }
    assert main([*argv, "--compare", "no-such-branch"]) == 2
    assert "unknown git revision" in capsys.readouterr().err


def test_compare_with_a_revision_before_the_repository_existed(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(checkout, "checkout", "-q", "--orphan", "fresh")
    git(checkout, "rm", "-rq", "--cached", ".")
    (checkout / "other.txt").write_text("x")
    git(checkout, "add", "other.txt")
    git(checkout, "commit", "-q", "-m", "unrelated", date="2025-12-01T00:00:00+00:00")
    git(checkout, "checkout", "-q", "-f", "main")
    argv = ["audit", "--root", str(checkout / "policy"), "--as-of", "2026-03-02"]
    assert main([*argv, "--compare", "fresh", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["existed"] is False and doc["findings_resolved"] == []
    # everything is new: two people, the policy and five accounts
    assert len(doc["entities_added"]) == 8


def test_each_sample_is_linted_without_placing_its_findings(
    checkout: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sample shows counts, never where a finding is written: its lint places only what the
    order needs (pipeline.lint_evaluated(placed=False)), and the history is a placed one's."""
    import socialgov.pipeline

    asked: list[bool] = []
    evaluated = socialgov.pipeline.lint_evaluated

    def recorded(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs["placed"])
        return evaluated(*args, **kwargs)

    monkeypatch.setattr(socialgov.pipeline, "lint_evaluated", recorded)
    unplaced = history(checkout, capsys, "--every", "commit")
    assert asked and not any(asked)
    monkeypatch.setattr(
        socialgov.pipeline,
        "lint_evaluated",
        lambda *args, **kwargs: evaluated(*args, **{**kwargs, "placed": True}),
    )
    assert history(checkout, capsys, "--every", "commit") == unplaced
