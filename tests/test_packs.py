"""``extends:``: configurations by path and installed rule packs (``socialgov.packs`` entry
points), whose rules run, list, explain and test like the built-in ones; and ``rules`` and
``explain`` showing a repository's own Rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, MakeRepo
from socialgov.cli import main

PACK_SOURCE = PROJECT / "tests" / "data" / "packs" / "acme-group-rules"

ACCOUNTS = """\
accounts:
  - id: x-news
    platform: x
    handle: news
    owner: jdoe
    region: eu
    last_activity: 2026-08-21   # 95 days before as-of
  - id: x-acme
    platform: x
    handle: acmeshop
    owner: jdoe
people:
  - id: jdoe
    employment: full_time
"""


@pytest.fixture(scope="session")
def pack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test pack, built and installed by pip as a user would install it (into a folder of
    its own, put on sys.path by the tests that use it)."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--no-index", "--target", str(site), str(PACK_SOURCE)),
        ],
        check=True,
        capture_output=True,
    )
    assert (site / "acme_group_rules" / "rules" / "group.yaml").is_file()
    return site


@pytest.fixture
def with_pack(pack_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(pack_site))
    return pack_site


def lint_json(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = main(["lint", "--root", str(root), "--as-of", "2026-11-24", "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_a_packs_rules_run_and_its_config_is_merged_under_the_repositorys(
    make_repo: MakeRepo, with_pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {"accounts.yaml": ACCOUNTS},
        "organisation: T\nextends: acme-group\noptions:\n  dormant_days: 100\n",
    )
    code, report = lint_json(root, capsys)
    assert code == 1
    by_code: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        by_code.setdefault(finding["code"], []).append(finding)
    # GRP001: the pack's rule, at the handle's node; the prefixed handle passes.
    [grp] = by_code["GRP001"]
    assert (grp["path"], grp["line"], grp["entity"]["id"]) == ("accounts.yaml", 4, "x-news")
    assert grp["severity"] == "error" and "lacks the group prefix" in grp["message"]
    assert [f["entity"]["id"] for f in by_code["GRP002"]] == ["x-acme"]
    # The repository's dormant_days (100) wins over the pack's (90): 95 days is not dormant.
    assert "SG302" not in by_code
    # The pack's severity for SG203 (info) and its ignore list apply.
    assert {f["severity"] for f in by_code["SG203"]} == {"info"}
    assert "SG305" not in by_code and "SG207" not in by_code


def test_the_packs_options_apply_where_the_repository_sets_none(
    make_repo: MakeRepo, with_pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"accounts.yaml": ACCOUNTS}, "extends: [acme-group]\n")
    _, report = lint_json(root, capsys)
    dormant = [f for f in report["findings"] if f["code"] == "SG302"]
    assert [f["entity"]["id"] for f in dormant] == ["x-news"]
    assert dormant[0]["severity"] == "error"  # the pack's severity


def test_a_packs_rules_list_explain_and_test_like_the_builtin_ones(
    make_repo: MakeRepo, with_pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"accounts.yaml": ACCOUNTS}, "extends: acme-group\n")
    assert main(["rules", "--root", str(root)]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert rows["GRP001"].split()[:5] == [
        "GRP001",
        "group-handle-prefix",
        "error",
        "pack",
        "acme-group",
    ]
    assert "SG202" in rows

    assert main(["rules", "--root", str(root), "--format", "json"]) == 0
    listed = {r["code"]: r for r in json.loads(capsys.readouterr().out)["rules"]}
    assert listed["GRP002"]["origin"] == "pack acme-group: rules/group.yaml:22"

    assert main(["explain", "group-handle-prefix", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "GRP001 group-handle-prefix\nSeverity: error    Family: pack acme-group\n"
    )
    assert "Defined at: pack acme-group: rules/group.yaml:2\n" in out
    assert "Example that fails\n    # test: a handle without the prefix fails\n" in out
    assert "      handle: news\n" in out and "      handle: acmenews\n" in out

    assert main(["test", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert (
        "pack acme-group: rules/group.yaml::group-handle-prefix::a prefixed handle passes PASSED"
        in out
    )
    assert out.endswith("3 passed, 0 failed\n")


def test_without_extends_the_pack_stays_out(
    make_repo: MakeRepo, with_pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"accounts.yaml": ACCOUNTS})
    _, report = lint_json(root, capsys)
    assert not [f for f in report["findings"] if f["code"].startswith("GRP")]
    assert main(["explain", "GRP001", "--root", str(root)]) == 2
    assert "unknown rule 'GRP001'" in capsys.readouterr().err


def test_a_repository_rule_cannot_take_a_packs_code(
    make_repo: MakeRepo, with_pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = """\
    kind: Rule
    id: mine
    code: GRP001
    select: {kind: Account}
    assert: {field: handle, present: true}
    """
    root = make_repo({"accounts.yaml": ACCOUNTS, "rules/mine.yaml": rule}, "extends: acme-group\n")
    _, report = lint_json(root, capsys)
    [dup] = [f for f in report["findings"] if f["code"] == "SG103"]
    assert "already used by the pack acme-group rule GRP001" in dup["message"]


def test_an_unknown_pack_is_a_clear_error(
    make_repo: MakeRepo, with_pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"accounts.yaml": ACCOUNTS}, "extends: acme-grop\n")
    assert main(["lint", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "no installed rule pack is called 'acme-grop' (installed: acme-group)" in err
    assert "Traceback" not in err


def test_extends_by_path_chains_and_the_nearest_keys_win(
    make_repo: MakeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "group.yaml").write_text(
        "extends: base.yaml\noptions:\n  dormant_days: 200\nseverity:\n  SG303: error\n",
        encoding="utf-8",
    )
    (shared / "base.yaml").write_text(
        "options:\n  dormant_days: 10\n  max_channels_per_owner: 1\nselect: [SG2, SG3]\n",
        encoding="utf-8",
    )
    root = make_repo(
        {"accounts.yaml": ACCOUNTS}, "extends: ../shared/group.yaml\nseverity: {SG207: warning}\n"
    )
    _, report = lint_json(root, capsys)
    found = {(f["code"], f["severity"]) for f in report["findings"]}
    assert ("SG303", "error") in found  # group.yaml's severity, merged with the repository's
    assert ("SG207", "warning") in found  # base.yaml's max_channels_per_owner: 1
    assert not any(code == "SG302" for code, _ in found)  # group.yaml's 200 over base's 10
    assert {code[:3] for code, _ in found} <= {"SG2", "SG3", "SG1"}  # base.yaml's select


def test_extends_cycles_and_missing_files_are_errors(
    make_repo: MakeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    root = make_repo({}, "extends: ../a.yaml\n")
    assert main(["lint", "--root", str(root)]) == 2
    assert "extends itself" in capsys.readouterr().err
    root = make_repo({}, "extends: ../nothing.yaml\n")
    assert main(["lint", "--root", str(root)]) == 2
    assert "extends: ../nothing.yaml: no such file" in capsys.readouterr().err
    (tmp_path / "bad.yaml").write_text("baseline: x.json\n", encoding="utf-8")
    root = make_repo({}, "extends: ../bad.yaml\n")
    assert main(["lint", "--root", str(root)]) == 2
    assert "'baseline' belongs to a repository" in capsys.readouterr().err


def test_rules_and_explain_include_the_repositorys_own_rules(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rule = """\
    # our house rules
    kind: Rule
    id: handles-lowercase
    code: ACME001
    severity: warning
    description: Handles are written in lower case
    select: {kind: Account}
    assert: {field: handle, matches: "^[a-z0-9_]+$"}
    tests:
      - name: upper case fails
        entities: [{kind: Account, id: a, platform: x, handle: News}]
        expect: fail
      - name: lower case passes
        entities: [{kind: Account, id: a, platform: x, handle: news}]
        expect: pass
    """
    root = make_repo({"rules/house.yaml": rule})
    assert main(["rules", "--root", str(root)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "ACME001" in line)
    assert row.split()[:4] == ["ACME001", "handles-lowercase", "warning", "custom"]
    assert main(["explain", "acme001", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Defined at: rules/house.yaml:2\n" in out
    assert "Example that fails\n    # test: upper case fails\n" in out
    assert "      handle: News\n" in out
    # Outside any repository (and without --root), only the built-in rules are known.
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["explain", "ACME001"]) == 2
    assert "unknown rule 'ACME001'" in capsys.readouterr().err
    monkeypatch.chdir(root / "rules")  # inside it, the repository's own rules are known
    assert main(["explain", "ACME001"]) == 0
