"""Hostile and broken input, end to end through the command line (docs/security.md).

Every file of the corpus in tests/hostile/ is linted beside ordinary files, in-process through
``socialgov.cli.main``: it must give exactly its expected findings, and the ordinary files must
still be checked. Bigger hostile inputs are generated here; the file system cases (links,
pipes, permissions), broken configurations and bad options follow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import click
import pytest
import yaml

from conftest import AS_OF, PROJECT, DenyReads, flow_depth_column
from socialgov.cli import cli, main

HOSTILE = PROJECT / "tests" / "hostile"
TimeLimit = Callable[[float], AbstractContextManager[None]]

# Ordinary files linted beside every hostile one. The unknown owner is a planted SG104: seeing it
# proves the other files were still checked.
ORDINARY = {
    "people.yaml": "people:\n  - {id: jdoe, employment: full_time}\n",
    "control.yaml": "kind: Account\nid: control\nplatform: x\nowner: nobody\n",
}
CONTROL = ("SG104", "control.yaml", 4, 8)

NODES = "more than 2,000,000 YAML nodes here, typically an alias bomb"
DEPTH = "nested more than 64 levels deep"
TAG = "unsupported YAML tag '{}': socialgov reads plain data only"

# Each file of tests/hostile/: its findings (code, line, column, part of the message) and how
# many entities it holds once read.
EXPECTED: dict[str, tuple[list[tuple[str, int, int, str]], int]] = {
    "billion-laughs.yaml": ([("SG100", 8, 8, NODES)], 0),
    "quadratic-aliases.yaml": ([("SG100", 3, 11984, NODES)], 0),
    "many-merges.yaml": ([("SG100", 999, 10, NODES)], 0),
    "deep-flow.yaml": ([("SG100", 1, flow_depth_column(65, 1), DEPTH)], 0),
    "deep-mapping.yaml": ([("SG100", 1, 257, DEPTH)], 0),
    "deep-block.yaml": ([("SG100", 65, 129, DEPTH)], 0),
    "recursive-alias.yaml": ([("SG100", 4, 9, "the alias *l is inside the node it names")], 0),
    "undefined-alias.yaml": ([("SG100", 3, 7, "the alias *nobody names no anchor")], 0),
    "python-apply.yaml": (
        [("SG100", 4, 8, TAG.format("!!python/object/apply:os.system"))],
        0,
    ),
    "python-new.yaml": ([("SG100", 4, 8, TAG.format("!!python/object/new:os.system"))], 0),
    "python-name.yaml": ([("SG100", 4, 8, TAG.format("!!python/name:os.system"))], 0),
    "python-module.yaml": ([("SG100", 4, 8, TAG.format("!!python/module:os"))], 0),
    "custom-tag.yaml": ([("SG100", 3, 11, TAG.format("!custom"))], 0),
    "utf8.yaml": ([], 1),
    "utf8-bom.yaml": ([], 1),
    "utf16-le-bom.yaml": ([], 1),
    "utf16-be-bom.yaml": ([], 1),
    "utf16-le-no-bom.yaml": (
        [("SG100", 3, 24, "byte 0xfa at offset 64 cannot be decoded; the file looks like UTF-16")],
        0,
    ),
    "invalid-utf8.yaml": (
        [("SG100", 3, 12, "not valid UTF-8: byte 0xfa at offset 32 cannot be decoded")],
        0,
    ),
    "latin1.yaml": ([("SG100", 3, 12, "not valid UTF-8: byte 0xfa at offset 32")], 0),
    "binary.yaml": ([("SG100", 1, 1, "not valid UTF-8: byte 0x89 at offset 0")], 0),
    "crlf.yaml": ([("SG101", 4, 1, "unknown field 'ownr'; did you mean 'owner'?")], 1),
    "tabs.yaml": ([("SG100", 4, 1, "a tab indents this line")], 0),
    "nul.yaml": ([("SG100", 2, 6, "the file contains a NUL byte")], 0),
    "control-char.yaml": ([("SG100", 3, 7, "the control character U+001B")], 0),
    "empty.yaml": ([], 0),
    "comments-only.yaml": ([], 0),
    "not-yaml.yaml": (
        [
            ("SG100", 1, 2, "a mapping key must be a plain value"),
            ("SG100", 2, 3, "invalid YAML: did not find expected <document start>"),
        ],
        0,
    ),
}


def make_repo(
    root: Path,
    files: dict[str, str | bytes],
    config: str = "organisation: Test\n",
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "socialgov.yaml").write_text(config)
    for relpath, content in {**ORDINARY, **files}.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def lint_json(
    root: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, object], str]:
    code = main(
        ["lint", "--root", str(root), "--as-of", AS_OF.isoformat(), "--format", "json", *args]
    )
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def findings_in(report: dict[str, object], path: str) -> list[tuple[str, int, int, str]]:
    return [
        (f["code"], f["line"], f["column"], f["message"])
        for f in report["findings"]  # type: ignore[attr-defined]
        if f["path"] == path
    ]


def assert_still_checked(report: dict[str, object]) -> None:
    code, path, line, column = CONTROL
    assert (code, line, column) in [f[:3] for f in findings_in(report, path)]


def test_the_corpus_has_an_expected_outcome_for_every_file() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    time_limit: TimeLimit,
) -> None:
    monkeypatch.chdir(tmp_path)  # where a payload would leave its marker
    root = make_repo(tmp_path / "repo", {name: (HOSTILE / name).read_bytes()})
    with time_limit(30):
        code, report, err = lint_json(root, capsys, "--select", "SG1")
    expected, entities = EXPECTED[name]
    found = findings_in(report, name)
    assert [f[:3] for f in found] == [e[:3] for e in expected]
    for (*_, message), (*_, part) in zip(found, expected, strict=True):
        assert part in message
    assert_still_checked(report)
    assert report["summary"]["entities"] == 2 + entities  # type: ignore[index]
    assert code == 1 and err == ""
    assert not list(tmp_path.rglob("pwned*"))


def test_the_python_payload_is_live_but_never_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    payload = (HOSTILE / "python-apply.yaml").read_text()
    # The payload is real: PyYAML's unsafe loader runs it and the marker appears...
    yaml.unsafe_load(payload)
    marker = tmp_path / "pwned-apply"
    assert marker.exists()
    marker.unlink()
    # ... while every socialgov command that reads a repository only ever reads it as data.
    root = make_repo(tmp_path / "repo", {"accounts/evil.yaml": payload})
    (root / "rules").mkdir()
    (root / "rules" / "evil.yaml").write_text(
        "kind: Rule\nid: evil\ncode: EVIL001\nselect: {kind: Account}\n"
        "assert: {field: owner, present: true}\n"
        "tests:\n  - name: payload\n    entities:\n      - " + payload.replace("\n", "\n        ")
    )
    readers = [name for name, command in cli.commands.items() if _takes(command, "--root")]
    assert "lint" in readers and "test" in readers
    for name in readers:
        assert main([name, "--root", str(root)]) in (0, 1, 2)
    capsys.readouterr()
    assert not list(tmp_path.rglob("pwned*"))


def _takes(command: click.Command, option: str) -> bool:
    return any(option in getattr(param, "opts", ()) for param in command.params)


# --------------------------------------------------------------------------- generated hostile input


def test_huge_file_is_one_finding_without_being_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "repo", {})
    with (root / "huge.yaml").open("wb") as handle:  # sparse: no disk used, nothing to read
        handle.truncate(20 * 1024 * 1024 + 1)
    _, report, _ = lint_json(root, capsys)
    [(rule, line, column, message)] = findings_in(report, "huge.yaml")
    assert (rule, line, column) == ("SG100", 1, 1)
    assert "20,971,521 bytes, over the limit of 20,971,520; it is not read" in message
    assert_still_checked(report)


def test_huge_value_many_documents_and_a_very_long_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_line = "kind: Team\nid: t\ntags: [" + ", ".join(f"t{i}" for i in range(60_000)) + "]\n"
    root = make_repo(
        tmp_path / "repo",
        {
            "scalar.yaml": "kind: Team\nid: s\ndescription: " + "x" * 100_001 + "\n",
            "documents.yaml": "--- {kind: Team, id: d}\n" + "---\n" * 10_000,
            "line.yaml": long_line,
        },
    )
    _, report, _ = lint_json(root, capsys, "--select", "SG100")
    assert [f[:3] for f in findings_in(report, "scalar.yaml")] == [("SG100", 3, 14)]
    assert [f[:3] for f in findings_in(report, "documents.yaml")] == [("SG100", 10_001, 1)]
    assert findings_in(report, "line.yaml") == []
    assert len(long_line.splitlines()[2]) > 400_000


def test_limits_are_set_in_socialgov_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "limits: {max_file_bytes: 60, max_depth: 2, max_scalar_chars: 5}\n"
    root = make_repo(
        tmp_path / "repo",
        {"big.yaml": "# " + "x" * 60 + "\n", "deep.yaml": "a: {b: [c]}\n", "long.yaml": "abcdef\n"},
        config,
    )
    _, report, _ = lint_json(root, capsys, "--select", "SG100")
    assert "over the limit of 60" in findings_in(report, "big.yaml")[0][3]
    assert "more than 2 levels" in findings_in(report, "deep.yaml")[0][3]
    assert "over the limit of 5" in findings_in(report, "long.yaml")[0][3]


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("max_files: 2", "the repository has more than 2 YAML files (limits.max_files)"),
        (
            "max_total_bytes: 100",
            "the repository's YAML files add up to more than 100 bytes (limits.max_total_bytes)",
        ),
    ],
)
def test_repository_wide_limits_stop_the_run_with_exit_2(
    limit: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        tmp_path / "repo", {"a.yaml": "a: 1\n", "b.yaml": "b: 1\n"}, f"limits: {{{limit}}}\n"
    )
    assert main(["lint", "--root", str(root)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"socialgov: error: {message}")


# --------------------------------------------------------------------------- the file system


def test_links_out_of_the_repository_are_findings_and_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], time_limit: TimeLimit
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("kind: Team\nid: outside-secret\n")
    root = make_repo(tmp_path / "repo", {})
    (root / "leak.yaml").symlink_to(outside / "secret.yaml")
    (root / "vendor").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.yaml").symlink_to(root / "nowhere.yaml")
    os.mkfifo(root / "pipe.yaml")
    with time_limit(30):
        code, report, err = lint_json(root, capsys)
    problems = {path: findings_in(report, path) for path in ("leak.yaml", "vendor", "loop")}
    assert all(found and found[0][0] == "SG100" for found in problems.values())
    assert "leads outside the repository" in problems["leak.yaml"][0][3]
    assert "a loop" in problems["loop"][0][3]
    assert "points to nothing" in findings_in(report, "dangling.yaml")[0][3]
    assert "not a regular file" in findings_in(report, "pipe.yaml")[0][3]
    assert "outside-secret" not in json.dumps(report)
    assert_still_checked(report)
    assert code == 1 and err == ""


def test_unreadable_file_simulated(
    tmp_path: Path, deny_reads: DenyReads, capsys: pytest.CaptureFixture[str]
) -> None:
    # As root, chmod 000 does not stop reads; the OSError path is simulated here, and
    # test_unreadable_file_for_real below denies the read for real.
    root = make_repo(tmp_path / "repo", {"secret.yaml": "kind: Team\nid: t\n"})
    deny_reads(lambda path: path.endswith("secret.yaml"))
    _, report, _ = lint_json(root, capsys)
    [(rule, line, column, message)] = findings_in(report, "secret.yaml")
    assert (rule, line, column) == ("SG100", 1, 1)
    assert message.startswith("cannot read the file: Permission denied")
    assert_still_checked(report)


JSON_SG1 = ("--format", "json", "--select", "SG1")


def _without_read_override() -> list[str] | None:
    """A command prefix under which chmod 000 denies reads: none needed for a normal user; for
    root, setpriv dropping the capabilities that bypass file permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    drop = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}"]


@pytest.mark.slow
def test_unreadable_file_for_real(tmp_path: Path, cli_env: dict[str, str]) -> None:
    prefix = _without_read_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: chmod 000 cannot deny a read")
    root = make_repo(tmp_path / "repo", {"secret.yaml": "kind: Team\nid: t\n"})
    (root / "secret.yaml").chmod(0)
    (root / "locked").mkdir()
    (root / "locked" / "x.yaml").write_text("a: 1\n")
    (root / "locked").chmod(0)
    try:
        run = subprocess.run(
            [*prefix, sys.executable, "-m", "socialgov", "lint", "--root", str(root), *JSON_SG1],
            capture_output=True,
            text=True,
            env=cli_env,
            timeout=120,
            check=False,
        )
    finally:
        (root / "locked").chmod(0o755)
    if run.returncode == 2 and "setpriv" in run.stderr:  # pragma: no cover - no capabilities
        pytest.skip(f"setpriv cannot drop capabilities here: {run.stderr.strip()}")
    assert run.returncode == 1 and run.stderr == ""
    report = json.loads(run.stdout)
    assert findings_in(report, "secret.yaml")[0][3].startswith(
        "cannot read the file: Permission denied"
    )
    assert findings_in(report, "locked")[0][3].startswith(
        "cannot read the folder: Permission denied"
    )
    assert_still_checked(report)


# --------------------------------------------------------------------------- exit 2, one line


def one_line_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("socialgov: error: ")
    return err.removeprefix("socialgov: error: ").rstrip("\n")


def test_root_that_is_a_file_or_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file.yaml").write_text("a: 1\n")
    assert one_line_error(["lint", "--root", str(tmp_path / "file.yaml")], capsys).endswith(
        "not a folder; pass the policy repository's folder"
    )
    assert one_line_error(["lint", "--root", str(tmp_path / "missing")], capsys).endswith(
        "missing: no such folder"
    )


BILLION = (HOSTILE / "billion-laughs.yaml").read_text()


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("organisation: [Acme\n", "socialgov.yaml:2:1: invalid YAML"),
        ("organisation: !!python/name:os.system\n", "socialgov.yaml:1:15: unsupported YAML tag"),
        (BILLION, "socialgov.yaml:8:8: the file expands to more than 2,000,000 YAML nodes"),
        ("- a\n- b\n", "socialgov.yaml:1:1: the configuration must be a mapping"),
        ("limits: {max_depth: 1000}\n", "socialgov.yaml:1:21: limits.max_depth: 1000 is greater"),
        ("limits: {max_dpth: 3}\n", "socialgov.yaml:1:10: limits: unknown field 'max_dpth'"),
        (b"organisation: caf\xe9\n", "socialgov.yaml:1:18: the file is not valid UTF-8"),
        ("organisation: x\x07\n", "socialgov.yaml:1:16: the file contains the control"),
        ('fail_on: "\\e]0;pwned\\a\\u202e"\n', "fail_on: '\\x1b]0;pwned\\x07\\u202e' is not"),
    ],
    ids=[
        "syntax",
        "python-tag",
        "alias-bomb",
        "not-a-mapping",
        "limit-too-high",
        "unknown-limit",
        "invalid-bytes",
        "control-character",
        "escapes-in-a-value",
    ],
)
def test_broken_socialgov_yaml_is_one_line_naming_the_position(
    config: str | bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "socialgov.yaml").write_bytes(
        config if isinstance(config, bytes) else config.encode()
    )
    assert expected in one_line_error(["lint", "--root", str(tmp_path)], capsys)


def test_socialgov_yaml_that_is_not_a_readable_file(
    tmp_path: Path, deny_reads: DenyReads, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, link, denied = tmp_path / "folder", tmp_path / "link", tmp_path / "denied"
    (folder / "socialgov.yaml").mkdir(parents=True)
    link.mkdir()
    (link / "socialgov.yaml").symlink_to(tmp_path / "nowhere.yaml")
    denied.mkdir()
    (denied / "socialgov.yaml").write_text("organisation: x\n")
    assert one_line_error(["lint", "--root", str(folder)], capsys) == (
        "socialgov.yaml:1:1: cannot read the file: not a regular file; make it a readable YAML "
        "file or remove it"
    )
    assert "cannot read the file: No such file or directory" in one_line_error(
        ["lint", "--root", str(link)], capsys
    )
    deny_reads(lambda path: path.startswith(str(denied)))
    assert one_line_error(["lint", "--root", str(denied)], capsys) == (
        "socialgov.yaml:1:1: cannot read the file: Permission denied; make it a readable YAML "
        "file or remove it"
    )


# --------------------------------------------------------------------------- bad options

BAD_VALUES = ("", "-", "nope", "\x1b[31mred\u202e", "2026-99-99", "/nonexistent/place", "-1")


def _option_cases() -> list[list[str]]:
    cases: list[list[str]] = [["--bogus"], ["nocommand"], ["lint", "--format"], ["--version", "x"]]
    for name, command in sorted(cli.commands.items()):
        cases.append([name, "--bogus"])
        cases.append([name, *(["x"] * 5)])
        for param in command.params:
            if not isinstance(param, click.Option) or "--debug" in param.opts:
                continue
            if "--watch" in param.opts:  # runs until Ctrl-C: tests/test_watch.py drives it
                continue
            option = param.opts[-1]
            if param.is_flag:
                cases.append([name, option, option, "unexpected-argument"])
            else:
                cases.extend([name, option, value] for value in BAD_VALUES)
    return cases


def test_bad_options_never_print_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no repository here, and nothing of ours to write over
    cases = _option_cases()
    assert len(cases) > 50
    for argv in cases:
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), argv
        assert "Traceback" not in out + err, argv
        assert "internal error" not in err, (argv, err)
        assert "\x1b" not in err, argv


# --------------------------------------------------------------------------- output never injects


def test_text_output_never_carries_escapes_or_forged_lines(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_repo(
        tmp_path / "repo",
        {
            "accounts.yaml": (
                "accounts:\n"
                '  - {id: a1, platform: x, owner: "\\e[2J\\e]0;pwned\\a\\x9b31m\\u202etxt.exe"}\n'
                '  - {id: a2, platform: x, owner: "x\\nforged.yaml:1:1: SG000 [error] forged"}\n'
                '  - {id: a3, platform: x, owner: "x\\r::error file=f::forged"}\n'
            ),
            "::warning::named.yaml": "kind: Team\nid: t\nlaed: x\n",
        },
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["lint", "--as-of", AS_OF.isoformat(), "--select", "SG1"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    for char in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
        assert char not in out
    assert "\\x9b31m\\u202etxt.exe" in out  # made visible, in the text and the annotations
    lines = out.splitlines()
    assert not any(line.startswith("forged.yaml") for line in lines)
    commands = [line for line in lines if line.startswith("::")]
    assert commands and all(line.startswith(("::error ", "::warning ")) for line in commands)
    assert "./::warning::named.yaml:3:1: SG101" in out


# --------------------------------------------------------------------------- patterns in bounded time


def test_include_patterns_match_file_names_in_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], time_limit: TimeLimit
) -> None:
    # With Python's re this pattern takes minutes on each of these names; RE2 takes microseconds.
    config = 'include: ["**/*.yaml"]\nexclude: ["*a*a*a*a*a*a*a*a*a*a*a*a*b"]\n'
    root = make_repo(tmp_path / "repo", {f"{'a' * 80}{i}.yaml": "a: 1\n" for i in range(5)}, config)
    with time_limit(20):
        _, report, err = lint_json(root, capsys, "--select", "SG1")
    assert err == "" and report["summary"]["files"] == 7  # type: ignore[index]


def test_an_invalid_include_pattern_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "repo", {}, 'exclude: ["\\\\"]\n')
    message = one_line_error(["lint", "--root", str(root)], capsys)
    assert message.startswith("exclude: Invalid git pattern: '\\\\'; write it as in a .gitignore")


def test_a_rule_pattern_that_backtracks_stops_the_run_in_bounded_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], time_limit: TimeLimit
) -> None:
    rule = (
        "kind: Rule\nid: slow\ncode: ACME001\n"
        "select: {kind: Account, where: {handle: {matches: '(a|aa)+$'}}}\n"
        "assert: {field: owner, present: true}\n"
    )
    account = "kind: Account\nid: evil\nplatform: x\nhandle: " + "a" * 60 + "!\n"
    root = make_repo(tmp_path / "repo", {"rules/slow.yaml": rule, "evil.yaml": account})
    with time_limit(30):
        message = one_line_error(["lint", "--root", str(root)], capsys)
    assert message.startswith(
        "rules/slow.yaml:1:1: Rule slow: where.handle.matches: the pattern '(a|aa)+$' took more "
        "than 0.5 s on the value 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...': it backtracks "
        "catastrophically"
    )


@pytest.mark.parametrize("baseline", ["../outside.json", "/dev/zero", "link/b.json"])
def test_the_config_baseline_stays_inside_the_repository(
    baseline: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "repo", {}, f"baseline: {baseline}\n")
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    message = one_line_error(["lint", "--root", str(root)], capsys)
    assert message.startswith(f"socialgov.yaml:1:11: baseline: '{baseline}' is outside the")


def test_a_baseline_that_is_a_pipe_is_refused_without_blocking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], time_limit: TimeLimit
) -> None:
    root = make_repo(tmp_path / "repo", {})
    os.mkfifo(root / "baseline.json")
    with time_limit(10):
        message = one_line_error(
            ["lint", "--root", str(root), "--baseline", str(root / "baseline.json")], capsys
        )
    assert "cannot be read (not a regular file)" in message


def test_docs_security_lists_every_limit_with_its_default() -> None:
    from socialgov.source.loader import DEFAULT_LIMITS

    text = (PROJECT / "docs" / "security.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| ([\d,]+)", text, flags=re.M)
    assert {name: int(value.replace(",", "")) for name, value in rows} == DEFAULT_LIMITS


def test_every_command_answers_the_whole_corpus(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    time_limit: TimeLimit,
) -> None:
    monkeypatch.chdir(tmp_path)
    corpus = {path.name: path.read_bytes() for path in HOSTILE.glob("*.yaml")}
    root = make_repo(tmp_path / "repo", dict(corpus))
    # The language server talks LSP on standard input: tests/test_server.py drives it.
    readers = [
        (name, command)
        for name, command in cli.commands.items()
        if _takes(command, "--root") and name != "server"
    ]
    feed = tmp_path / "feed.csv"
    feed.write_text("platform,handle\nx,acme\n", encoding="utf-8")
    # what the commands that need more than a repository are given
    needs = {
        "discover": ["--feed", str(feed), "--diff"],
        "directory": ["-o", str(tmp_path / "directory")],
        "explain": ["SG101"],
    }
    for name, command in readers:
        argv = [name, *needs.get(name, []), "--root", str(root)]
        if _takes(command, "--as-of"):
            argv += ["--as-of", AS_OF.isoformat()]
        with time_limit(60):
            code = main(argv)
        out, err = capsys.readouterr()
        assert code in (0, 1), (name, err)
        assert "Traceback" not in out + err and "internal error" not in err, name
        assert RAW.findall(out + err) == [], name
    # fix opens files for editing only when the safe loader could read them.
    main(["fix", "--root", str(root), "--diff"])
    err = capsys.readouterr().err
    assert "billion-laughs.yaml:8:8: not fixed: the file expands to more than" in err
    column = flow_depth_column(65, 1)
    assert f"deep-flow.yaml:1:{column}: not fixed: lists and mappings are nested" in err
    assert not list(tmp_path.rglob("pwned*"))


RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_aliases_across_many_files_stop_at_the_run_wide_node_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each file is well under max_nodes_per_file; together they are over max_total_nodes.
    aliases = (
        "big: &big [" + ", ".join(["x"] * 100) + "]\nmany: [" + ", ".join(["*big"] * 100) + "]\n"
    )
    files = {f"f{i}.yaml": aliases for i in range(3)}
    root = make_repo(tmp_path / "repo", files, "limits: {max_total_nodes: 25000}\n")
    message = one_line_error(["lint", "--root", str(root)], capsys)
    assert message.startswith(
        "the repository's YAML files expand to more than 25,000 nodes (limits.max_total_nodes)"
    )
