"""The text format's --statistics, --show-suppressed and summary line."""

from __future__ import annotations

import dataclasses
import itertools
import os
from pathlib import Path

import pytest

from conftest import run_lint
from socialgov.core.findings import EntityRef, Finding, Severity
from socialgov.reporters.base import ReportOptions, display_paths
from socialgov.reporters.text import render, write


def test_statistics_count_per_rule(tricky_repo: Path) -> None:
    text = render(
        run_lint(tricky_repo), ReportOptions(statistics=True, quiet=True, cwd=tricky_repo)
    )
    # the counts only, as ruff --statistics prints them: no finding line
    stats = text.splitlines()
    assert stats == [
        "     1  SG100    yaml-syntax [error]",
        "     1  SG101    schema-violation [error]",
        "     1  SG102    duplicate-key [info]",
        "     1  SG104    unknown-reference [warning]",
        "     1  SG105    unknown-document [info]",
    ]


def test_show_suppressed_lists_waived_findings_and_unused_waivers(tricky_repo: Path) -> None:
    result = run_lint(tricky_repo)
    plain = render(result, ReportOptions(cwd=tricky_repo))
    listed = "\n".join(plain.splitlines()[:-1])  # the summary line only counts them
    assert "suppressed:" not in listed and "unused waiver" not in listed
    assert plain.splitlines()[-1] == (
        "Found 5 problems (2 errors, 1 warning, 2 info) in 4 files, 1 suppressed, 1 unused waiver."
    )
    shown = render(result, ReportOptions(cwd=tricky_repo, show_suppressed=True))
    lines = shown.splitlines()
    assert (
        "accounts/weird.yaml:9:1: SG101 [error] Account acme-li: unknown field "
        "'k\\n<&>\"%,:é'; remove it, or keep your own data under labels (suppressed: Legacy "
        '<import> & "cleanup",\\nsecond line: 100% é)'
    ) in lines
    assert (
        "people/people.yaml:5:9: SG106 [info] Person jdoe: the waiver for SG103 (waivers[0]) "
        "suppresses nothing (unused waiver): SG103 finds nothing wrong here any more; delete "
        "the waiver"
    ) in lines
    counted = render(
        result, ReportOptions(cwd=tricky_repo, show_suppressed=True, statistics=True)
    ).splitlines()
    assert "     1  SG101    schema-violation [suppressed]" in counted
    assert "     1  SG106    invalid-waiver [info]" in counted
    assert not any(line.startswith(("accounts/", "people/")) for line in counted)
    assert run_lint(tricky_repo).exit_code == 1  # shown or not, waived findings never fail


def test_summary_names_what_was_hidden(make_repo: object) -> None:
    root = make_repo({"people.yaml": "people:\n  - {id: jdoe, employment: full_time}\n"})  # type: ignore[operator]
    assert render(run_lint(root), ReportOptions()).strip() == (
        "No problems found in 1 file (1 entities)."
    )


def test_paths_are_shown_as_typed_from_the_working_folder(tmp_path: Path) -> None:
    """Relative to the working folder when a file is under it or at most two folders up (from
    inside the repository, beside it, above it), in full when further; two files of one folder
    alike (its form is worked out once)."""
    root = tmp_path / "a" / "b" / "repo"
    (root / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "a" / "b" / "other" / "o2" / "o3").mkdir(parents=True)
    (root / "socialgov.yaml").write_text("organisation: Paths\n", encoding="utf-8")
    for relpath in ("top.yaml", "sub/deep/one.yaml", "sub/deep/two.yaml"):
        (root / relpath).write_text("kind: Account\nid: [\n", encoding="utf-8")  # SG100
    result = run_lint(root)

    def shown(cwd: Path) -> list[str]:
        lines = render(result, ReportOptions(cwd=cwd, quiet=True)).splitlines()
        return sorted(line.split(":")[0] for line in lines)

    deep = ["sub/deep/one.yaml", "sub/deep/two.yaml", "top.yaml"]
    assert shown(root) == deep
    assert shown(root / "sub") == ["../top.yaml", "deep/one.yaml", "deep/two.yaml"]
    assert shown(root / "sub" / "deep") == ["../../top.yaml", "one.yaml", "two.yaml"]
    assert shown(tmp_path / "a") == [f"b/repo/{p}" for p in deep]
    assert shown(tmp_path / "a" / "b" / "other") == [f"../repo/{p}" for p in deep]
    assert shown(tmp_path / "a" / "b" / "other" / "o2") == [f"../../repo/{p}" for p in deep]
    far = tmp_path / "a" / "b" / "other" / "o2" / "o3"
    assert shown(far) == [(root / p).as_posix() for p in deep]


def test_a_folders_own_path_is_shown_from_wherever_one_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding on a folder (one that cannot be read: ``teams/locked``, or the root ``.``) is
    shown as the folder, also from inside it; a library caller's relative root shows top-level
    files without a ``./``."""
    root = tmp_path / "repo"
    inner = root / "teams" / "locked" / "inner"
    inner.mkdir(parents=True)

    def shown(cwd: Path, relpath: str) -> str:
        return display_paths(root, cwd)(relpath)

    assert shown(root, "teams/locked") == "teams/locked"
    assert shown(root / "teams" / "locked", "teams/locked") == "."
    assert shown(inner, "teams/locked") == ".."
    assert shown(root, ".") == "."
    assert shown(root / "teams", ".") == ".."
    assert shown(tmp_path, ".") == "repo"
    assert shown(root / "teams" / "locked", ".") == "../.."
    assert shown(inner, ".") == root.as_posix()
    # "two folders up" counts folders, not the dots a name starts with
    assert shown(root / "teams" / "locked", "..x.yaml") == "../../..x.yaml"
    assert shown(inner, "..x.yaml") == (root / "..x.yaml").as_posix()
    monkeypatch.chdir(root)
    relative = display_paths(Path("."), root.resolve())
    assert [relative("top.yaml"), relative("teams/x.yaml")] == ["top.yaml", "teams/x.yaml"]


def test_each_folders_form_made_from_its_parents_is_the_one_worked_out_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A folder is shown as its parent's form and its name: for every path of a tree, from
    every folder in it, beside it and above it, what the report shows is what os.path.relpath
    says (in full past two folders up), the current folder and the folders holding it
    included, and paths with empty, ``.`` or ``..`` parts as pathlib reads them; whichever
    order the paths are asked in; a root given with ``..``, or relative to the process's
    folder, alike."""
    monkeypatch.chdir("/")
    folders = ["", "a", "a/b", "a/b/c", "a/b/c/d", "a/e", "a/e/b", "f", "f/a", "f/a/b", ".g", "..h"]
    paths = [f"{folder}/n.yaml".lstrip("/") for folder in folders]
    paths += ["a//b/n.yaml", "a/./b/n.yaml", "a/b/../e/n.yaml", "/etc/n.yaml", "a/b", "a", "."]
    resolved = Path("/srv/x/y/repo")
    cwds = [resolved / folder for folder in folders] + [
        *(Path(p) for p in ("/", "/srv", "/srv/x", "/srv/x/y", "/srv/x/z", "/srv/x/y/other")),
        Path("/srv/x/y/other/o2"), Path("/srv/x/y/repo2"), Path("/elsewhere/a/b/c"),
    ]  # fmt: skip

    def alone(root: Path, cwd: Path, relpath: str) -> str:
        full = root / relpath
        if full.is_relative_to(cwd):
            return full.relative_to(cwd).as_posix()
        rel = os.path.relpath(full, cwd)
        return full.as_posix() if rel.split("/")[:3] == ["..", "..", ".."] else rel

    roots = (resolved, Path("/srv/x/z/../y/repo"), Path("srv/x/y/repo"), Path("srv/x/../x/y/repo"))
    for root, cwd in itertools.product(roots, cwds):
        expected = [alone(root, cwd, relpath) for relpath in paths]
        assert [display_paths(root, cwd)(relpath) for relpath in paths] == expected, cwd
        backwards = display_paths(root, cwd)
        assert [backwards(relpath) for relpath in reversed(paths)] == expected[::-1], cwd


def test_the_report_is_handed_on_a_thousand_lines_at_a_time(tricky_repo: Path) -> None:
    """``write`` hands the report on in pieces of whole lines (a report of ~490,000 findings is
    never held whole), and they make the lines ``path:line:col: CODE [severity] message``,
    a waived one with its reason, then the summary; ``render`` is their text."""
    result = run_lint(tricky_repo)
    many = tuple(
        Finding(
            "SG201", "unowned-channel", severity, f"message {n}", f"d{n % 7}/f{n % 5}.yaml",
            n, n % 9 + 1, EntityRef("Channel", f"c{n}"), (), "", "why\nnot" if n == 5 else None,
        )
        for n, severity in zip(range(2_345), [*Severity] * 800, strict=False)
    )  # fmt: skip
    result = dataclasses.replace(result, findings=many, suppressed=(), unused_waivers=())
    options = ReportOptions(cwd=tricky_repo)
    pieces: list[str] = []
    write(result, options, pieces.append)
    assert len(pieces) == 4  # 1,000 + 1,000 + 345 findings, then the summary
    assert all(piece.endswith("\n") for piece in pieces)
    expected = [
        f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity.name.lower()}] {f.message}"
        + (" (suppressed: why\\nnot)" if f.suppressed else "")
        for f in many
    ]
    lines = "".join(pieces).splitlines()
    assert lines[:-1] == expected
    assert lines[-1].startswith("Found 2345 problems (781 errors, 782 warnings, 782 info)")
    assert render(result, options) == "".join(pieces)
    # in colour, each line as before (the colour on the place, the code and the severity)
    coloured = render(result, dataclasses.replace(options, color=True)).splitlines()
    assert coloured[2] == (
        "\x1b[1md2/f2.yaml:2:3:\x1b[0m \x1b[31m\x1b[1mSG201\x1b[0m \x1b[31m[error]\x1b[0m message 2"
    )
    assert len(coloured) == len(lines)
