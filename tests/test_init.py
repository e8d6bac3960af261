"""socialgov init: a policy repository from the starter pack that lints clean and stays clean."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, run_lint
from socialgov.cli import main
from socialgov.core.findings import EntityRef
from socialgov.core.resources import data_dir
from socialgov.writing.scaffold import init_repository, review_date, starter_files

EXPECTED_FILES = [
    ".github/workflows/socialgov.yml",
    ".pre-commit-config.yaml",
    "README.md",
    "accounts/accounts.yaml",
    "channels/channels.yaml",
    "objectives/objectives.yaml",
    "people/people.yaml",
    "playbooks/escalation.yaml",
    "policies/privacy-notice.yaml",
    "policies/service-sla.yaml",
    "policies/social-media-policy.yaml",
    "socialgov.yaml",
    "teams/teams.yaml",
    "tools/tools.yaml",
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "governance"
    init_repository(root, today=AS_OF)
    return root


def load(root: Path, relpath: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((root / relpath).read_text(encoding="utf-8"))


def test_init_writes_the_whole_starter_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "governance"
    assert main(["init", str(root)]) == 0
    assert starter_files() == EXPECTED_FILES
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert written == EXPECTED_FILES
    out = capsys.readouterr().out
    assert f"created {root / 'socialgov.yaml'}\n" in out
    assert f"Check it: cd {root} && socialgov lint" in out


def test_init_defaults_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert (tmp_path / "socialgov.yaml").is_file()
    assert (tmp_path / ".pre-commit-config.yaml").is_file()


@pytest.mark.parametrize("days_ahead", [0, 180, 365])
def test_a_new_repository_lints_clean_today_and_for_a_year(repo: Path, days_ahead: int) -> None:
    result = run_lint(repo, as_of=AS_OF + dt.timedelta(days=days_ahead))
    assert [f"{f.code} {f.path}:{f.line} {f.message}" for f in result.findings] == []
    assert result.exit_code == 0
    assert result.entities == 27


def test_after_a_year_without_a_drill_the_playbook_asks_for_one(repo: Path) -> None:
    """init dates the playbook's last_exercised today; a year and a day later without a drill,
    that is the one finding (an info: the exit code stays 0)."""
    result = run_lint(repo, as_of=AS_OF + dt.timedelta(days=366))
    assert [(f.code, f.path, f.entity) for f in result.findings] == [
        ("SG507", "playbooks/escalation.yaml", EntityRef("Playbook", "escalation"))
    ]
    assert result.exit_code == 0


def test_the_command_line_agrees_on_the_real_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "r"
    main(["init", str(root)])
    capsys.readouterr()
    for day in (dt.date.today(), dt.date.today() + dt.timedelta(days=365)):
        assert main(["lint", "--root", str(root), "--as-of", day.isoformat()]) == 0
        assert capsys.readouterr().out.startswith("No problems found")


def test_the_repository_stays_clean_after_fix(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert main(["fix", "--root", str(repo), "--unsafe"]) == 0
    assert capsys.readouterr() == ("", "Nothing to fix.\n")
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before
    assert run_lint(repo).findings == ()


def test_accounts_made_live_need_only_their_activity_date(repo: Path) -> None:
    """The planned example accounts carry everything a live account needs: owners, policies,
    playbook, objectives, monitoring, MFA and a custodian."""
    path = repo / "accounts/accounts.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    status: planned\n", f"    status: active\n    last_activity: {AS_OF}\n"
    )
    path.write_text(text, encoding="utf-8")
    assert [(f.code, f.message) for f in run_lint(repo).findings] == []


def test_policy_dates_are_set_from_today_and_nothing_else_changes(repo: Path) -> None:
    for name in ("service-sla", "privacy-notice", "social-media-policy"):
        relpath = f"policies/{name}.yaml"
        pack = (data_dir("policies") / relpath).read_text(encoding="utf-8")
        written = (repo / relpath).read_text(encoding="utf-8")
        changed = [
            line
            for line in difflib.ndiff(pack.splitlines(), written.splitlines())
            if line.startswith(("+ ", "- "))
        ]
        assert sorted(changed) == [
            "+ effective: 2026-11-24",
            "+ review_by: 2027-12-31",
            "- effective: 2026-01-01",
            "- review_by: 2027-01-31",
        ], relpath
        assert written.startswith("# ")  # the explanatory comments are kept


@pytest.mark.parametrize(
    ("today", "review"),
    [
        (dt.date(2026, 11, 24), dt.date(2027, 12, 31)),
        (dt.date(2026, 11, 30), dt.date(2027, 12, 31)),
        (dt.date(2026, 12, 1), dt.date(2028, 1, 31)),
        (dt.date(2027, 1, 31), dt.date(2028, 2, 29)),
    ],
)
def test_review_date_is_a_month_end_more_than_a_year_ahead(today: dt.date, review: dt.date) -> None:
    assert review_date(today) == review
    assert (review - today).days > 366


def test_existing_files_are_listed_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "r"
    root.mkdir()
    (root / "README.md").write_text("ours\n", encoding="utf-8")
    (root / "teams").mkdir()
    (root / "teams/teams.yaml").write_text("teams: []\n", encoding="utf-8")
    assert main(["init", str(root)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "socialgov: error: 2 files already exist and were not overwritten (use --force to "
        f"replace): {root / 'README.md'}, {root / 'teams/teams.yaml'}\n"
    )
    assert sorted(p.name for p in root.rglob("*")) == ["README.md", "teams", "teams.yaml"]
    assert main(["init", str(root), "--force"]) == 0
    assert "replaced" in capsys.readouterr().out
    assert (root / "README.md").read_text(encoding="utf-8").startswith("# Our social media")


def test_init_into_a_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    assert "is a file" in capsys.readouterr().err


def test_hooks_and_ci_run_this_socialgov(repo: Path) -> None:
    from socialgov import __version__

    for path in repo.rglob("*"):
        if path.is_file():
            assert "{{" not in path.read_text(encoding="utf-8"), path
    hooks = load(repo, ".pre-commit-config.yaml")["repos"][0]
    assert hooks["rev"] == f"v{__version__}"
    assert [h["id"] for h in hooks["hooks"]] == ["socialgov-lint"]
    workflow = load(repo, ".github/workflows/socialgov.yml")
    steps = workflow["jobs"]["lint"]["steps"]
    assert {"uses": f"socialgov/socialgov@v{__version__}"} in steps
    assert workflow["permissions"]["security-events"] == "write"  # the Action uploads SARIF


def test_the_starter_pack_has_what_good_governance_needs(repo: Path) -> None:
    teams = {t["id"]: t for t in load(repo, "teams/teams.yaml")["teams"]}
    playbook = load(repo, "playbooks/escalation.yaml")
    handoffs = {h["scenario"]: h for h in playbook["handoffs"]}
    assert set(handoffs) == {
        "crisis",
        "sales_opportunity",
        "complaint",
        "account_compromise",
        "legal",
    }
    assert teams[handoffs["crisis"]["to"]]["function"] == "pr"
    assert teams[handoffs["account_compromise"]["to"]]["function"] == "it"
    assert playbook["last_exercised"] == AS_OF
    tools = {t["id"]: t for t in load(repo, "tools/tools.yaml")["tools"]}
    assert tools["your-publishing-tool"]["security"] == {
        "mfa": True,
        "sso": True,
        "audit_log": True,
    }
    for account in load(repo, "accounts/accounts.yaml")["accounts"]:
        assert account["login_email"].endswith("@example.org")
        admins = [a["person"] for a in account["access"] if a["role"] == "admin"]
        assert len(admins) == 2 and account["owner"] in admins
    assert playbook["end"] and set(playbook["follow_up"]) == {"communicate_to", "lessons_learned"}
    sla = load(repo, "policies/service-sla.yaml")
    assert sla["applies_to"]["where"] == {"purpose": "service"} and sla["consistent_terms"]
    engagement = load(repo, "policies/social-media-policy.yaml")["description"]
    assert "Rules of engagement" in engagement
    goals = {g["id"] for g in load(repo, "socialgov.yaml")["strategy"]}
    objectives = load(repo, "objectives/objectives.yaml")["objectives"]
    assert {o["strategy"] for o in objectives} == goals
    assert all(o["kpis"] for o in objectives)
