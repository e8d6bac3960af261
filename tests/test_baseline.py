"""Baselines: --write-baseline records today's findings, --baseline reports only new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import AS_OF, MakeRepo, run_lint
from socialgov.cli import main
from socialgov.core.errors import SocialgovError
from socialgov.core.findings import Finding, Severity
from socialgov.report.baseline import baseline_text, read_baseline, write_baseline
from socialgov.report.filters import without_known

CONFIG = "organisation: Test\nselect: [SG1]\n"
"""The structural rules only, so that the findings stay the same as rule families are added."""
PEOPLE = "people:\n  - {id: jdoe, employment: full_time}\n"
ACCOUNT = """\
    kind: Account
    id: acme-x
    platform: x
    owner: jdoe
    backup_owner: jdoee
    colour: red
    """


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo({"people.yaml": PEOPLE, "accounts/x.yaml": ACCOUNT}, CONFIG)


def lint_args(root: Path, *args: str) -> list[str]:
    return ["lint", "--root", str(root), "--as-of", AS_OF.isoformat(), *args]


def test_write_then_report_only_new_findings(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(lint_args(repo)) == 1
    capsys.readouterr()
    assert main(lint_args(repo, "--write-baseline", str(baseline))) == 0
    captured = capsys.readouterr()
    assert "recorded 2 findings in" in captured.err
    assert captured.out.strip().endswith("(2 entities, 2 in the baseline).")
    data = json.loads(baseline.read_text("utf-8"))
    assert data["version"] == 1 and data["tool"] == "socialgov"
    assert [(f["code"], f["entity"], f["path"]) for f in data["findings"]] == [
        ("SG101", {"kind": "Account", "id": "acme-x"}, "accounts/x.yaml"),
        ("SG104", {"kind": "Account", "id": "acme-x"}, "accounts/x.yaml"),
    ]
    assert main(lint_args(repo, "--baseline", str(baseline))) == 0
    capsys.readouterr()
    (repo / "accounts" / "y.yaml").write_text(
        "kind: Account\nid: acme-y\nplatform: x\nowner: nobody\n", "utf-8"
    )
    assert main(lint_args(repo, "--baseline", str(baseline), "--format", "json")) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["entity"]["id"]) for f in report["findings"]] == [("SG104", "acme-y")]
    assert report["summary"]["baselined"] == 2


def test_fingerprints_survive_moving_the_entity_and_editing_other_fields(
    repo: Path, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(lint_args(repo, "--write-baseline", str(baseline))) == 0
    before = {f.fingerprint for f in run_lint(repo).findings}
    (repo / "accounts" / "x.yaml").unlink()
    (repo / "elsewhere").mkdir()
    (repo / "elsewhere" / "all.yaml").write_text(
        "# everything in one collection now\n"
        "accounts:\n"
        "  - id: acme-z\n    platform: x\n    owner: jdoe\n    backup_owner: jdoe\n"
        "  - id: acme-x\n"
        "    name: Acme on X\n"  # a new field
        "    platform: x\n"
        "    handle: acme\n"  # another new field
        "    owner: jdoe\n"
        "    colour: red\n"  # the recorded defects, on other lines, in another file
        "    backup_owner: jdoee\n",
        "utf-8",
    )
    moved = run_lint(repo)
    assert {f.fingerprint for f in moved.findings} == before
    assert [f.path for f in moved.findings] == ["elsewhere/all.yaml"] * 2
    result = run_lint(repo, baseline=baseline)
    assert result.findings == () and result.baselined == 2


def test_a_changed_defect_is_new(repo: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(lint_args(repo, "--write-baseline", str(baseline))) == 0
    text = (repo / "accounts" / "x.yaml").read_text("utf-8")
    (repo / "accounts" / "x.yaml").write_text(text.replace("jdoee", "jdoo"), "utf-8")
    result = run_lint(repo, baseline=baseline)
    assert [f.message for f in result.findings] == [
        "Account acme-x: backup_owner names Person 'jdoo', which does not exist; "
        "did you mean 'jdoe'?"
    ]


def test_baseline_from_socialgov_yaml(make_repo: MakeRepo, capsys: pytest.CaptureFixture) -> None:
    config = CONFIG + "baseline: .socialgov-baseline.json\n"
    root = make_repo({"people.yaml": PEOPLE, "accounts/x.yaml": ACCOUNT}, config)
    assert main(lint_args(root)) == 2  # configured but not written yet: say how to create it
    assert "create it with 'socialgov lint --write-baseline" in capsys.readouterr().err
    assert main(lint_args(root, "--write-baseline", str(root / ".socialgov-baseline.json"))) == 0
    assert main(lint_args(root)) == 0
    assert run_lint(root).baselined == 2


def test_a_fingerprint_recorded_once_hides_one_finding() -> None:
    one = Finding("SG101", "schema-violation", Severity.ERROR, "m", "a.yaml", 1, 1)
    two = Finding("SG101", "schema-violation", Severity.ERROR, "m", "a.yaml", 9, 1)
    new, old = without_known([one, two], [one.fingerprint])
    assert (new, old) == ([two], [one])


def test_written_atomically_and_sorted(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text("old", "utf-8")
    one = Finding("SG104", "unknown-reference", Severity.ERROR, "m", "b.yaml")
    two = Finding("SG101", "schema-violation", Severity.ERROR, "m", "a.yaml")
    write_baseline(path, [one, two])
    assert path.read_text("utf-8") == baseline_text([two, one])
    assert read_baseline(path) == [two.fingerprint, one.fingerprint]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json"]  # no temporary left


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "b.json:1:2: not valid JSON"),
        ("[]", "not a socialgov baseline file"),
        ('{"version": 2, "findings": []}', "version 2 is not supported"),
        ('{"version": 1, "findings": [{"code": "SG101"}]}', "must be a list of objects with a"),
    ],
)
def test_bad_baseline_files_are_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text, "utf-8")
    with pytest.raises(SocialgovError, match=message):
        read_baseline(path)


def test_write_baseline_refuses_partial_runs(repo: Path, capsys: pytest.CaptureFixture) -> None:
    args = lint_args(repo, "--write-baseline", "b.json", str(repo / "people.yaml"))
    assert main(args) == 2
    assert "--write-baseline records every finding" in capsys.readouterr().err
