"""The command line: exit codes, text and json output, options, errors without tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import PROJECT, MakeRepo
from socialgov.cli import main

BROKEN = {
    "people.yaml": "people:\n  - {id: jdoe, employment: full_time}\n",
    "accounts/a.yaml": "accounts:\n  - id: acme-x\n    platform: x\n    owner: jdoee\n",
    "accounts/b.yaml": "kind: Account\nid: acme-fb\nplatform: facebook\nownr: jdoe\n",
    "broken.yaml": "a: [1, 2\n",
}
LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>SG\d{3}) \[(error|warning|info)\] .+$"
)


def lint(root: Path, *args: str) -> list[str]:
    return ["lint", "--root", str(root), "--as-of", "2026-11-24", "--select", "SG1", *args]


def test_text_output_lines_and_summary(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(BROKEN)
    monkeypatch.chdir(root)
    assert main(lint(root)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == [
        "accounts/a.yaml:4:12: SG104 [error] Account acme-x: owner names Person 'jdoee', which does not exist; did you mean 'jdoe'?",
        "accounts/b.yaml:4:1: SG101 [error] Account acme-fb: unknown field 'ownr'; did you mean 'owner'?",
        "broken.yaml:2:1: SG100 [error] invalid YAML: while parsing a flow sequence did not find expected ',' or ']'; a [flow list] is not closed or lacks a comma",
    ]
    assert all(LINE.match(line) for line in out[:-1])
    assert out[-1] == "Found 3 problems (3 errors, 0 warnings, 0 info) in 4 files."


def test_paths_are_shown_relative_to_the_current_folder(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(BROKEN)
    monkeypatch.chdir(root.parent)
    main(lint(root))
    assert capsys.readouterr().out.startswith("repo/accounts/a.yaml:4:12: SG104")


def test_clean_repository_exits_0(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"people.yaml": BROKEN["people.yaml"]})
    assert main(lint(root)) == 0
    assert capsys.readouterr().out == "No problems found in 1 file (1 entities).\n"


def test_quiet_prints_findings_only(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(BROKEN)
    main(lint(root, "--quiet"))
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all(LINE.match(line) for line in out)


def test_json_output_has_the_spec_shape(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(BROKEN)
    assert main(lint(root, "--format", "json")) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == 1
    first = report["findings"][0]
    assert set(first) >= {
        "code",
        "name",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "entity",
        "related",
        "fingerprint",
    }
    assert first["path"] == "accounts/a.yaml"
    assert first["entity"] == {"kind": "Account", "id": "acme-x"}
    assert report["summary"]["errors"] == 3
    assert report["summary"]["files"] == 4
    syntax = report["findings"][-1]
    assert syntax["entity"] is None and syntax["code"] == "SG100"


def test_output_file_gets_the_report_without_colour(
    make_repo: MakeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(BROKEN)
    target = tmp_path / "report.json"
    assert main(lint(root, "--format", "json", "--output", str(target))) == 1
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text())["summary"]["total"] == 3


def test_select_ignore_and_fail_on(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(BROKEN)
    assert main(lint(root, "--ignore", "SG100,SG101,schema-violation", "--ignore", "SG104")) == 0
    assert main(lint(root, "--fail-on", "never")) == 0
    capsys.readouterr()
    assert main(["lint", "--root", str(root), "--select", "unknown-reference", "-q"]) == 1
    assert capsys.readouterr().out.count("SG104") == 1


def test_config_severity_and_fail_on(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(BROKEN, "severity: {SG104: warning, yaml-syntax: info, SG101: info}\n")
    assert main(lint(root)) == 0
    out = capsys.readouterr().out
    assert "SG104 [warning]" in out and "SG100 [info]" in out
    assert "(0 errors, 1 warning, 2 info)" in out
    root2 = make_repo(
        BROKEN, "severity: {SG104: warning, SG100: info, SG101: info}\nfail_on: warning\n"
    )
    assert main(lint(root2)) == 1


def test_paths_report_only_findings_in_those_files(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(BROKEN)
    monkeypatch.chdir(root)
    assert main([*lint(root, "-q"), "accounts/b.yaml"]) == 1
    assert capsys.readouterr().out.startswith("accounts/b.yaml:4:1: SG101")
    assert main([*lint(root, "-q"), "people.yaml"]) == 0


def test_paths_include_findings_tied_to_entities_written_there(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "a.yaml": "people:\n  - {id: jdoe, employment: full_time}\n",
            "b.yaml": "people:\n  - {id: jdoe, employment: intern}\n",
        }
    )
    monkeypatch.chdir(root)
    assert main([*lint(root, "-q"), "a.yaml"]) == 1
    assert "b.yaml:2:10: SG103" in capsys.readouterr().out


def test_colour_only_on_a_terminal(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(BROKEN)
    main(lint(root))
    assert "\x1b[" not in capsys.readouterr().out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(lint(root))
    assert "\x1b[" in capsys.readouterr().out
    main(lint(root, "--no-color"))
    assert "\x1b[" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "--root", "/no/such/place"], "--root /no/such/place: no such folder"),
        (["lint", "--select", "SG999"], "select: SG999 matches no rule"),
        (["lint", "--as-of", "tomorrow"], "'tomorrow' is not a date"),
        (["lint", "--format", "xml"], "'xml' is not a report format"),
        (["lint", "--bogus"], "No such option '--bogus'"),
    ],
)
def test_bad_invocations_are_one_clear_line_and_exit_2(
    args: list[str],
    message: str,
    make_repo: MakeRepo,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(make_repo({}))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_no_repository_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["lint"]) == 2
    assert capsys.readouterr().err.startswith("socialgov: error: no socialgov.yaml found")


def test_unreadable_config_is_exit_2_naming_the_position(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({}, "fail_on: [\n")
    assert main(["lint", "--root", str(root)]) == 2
    assert "socialgov.yaml:2:1: invalid YAML" in capsys.readouterr().err


def test_internal_errors_hide_the_traceback_unless_debug(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socialgov.pipeline

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(socialgov.pipeline, "lint_reported", explode)
    root = make_repo({})
    assert main(["lint", "--root", str(root)]) == 2
    assert "internal error: RuntimeError: boom" in capsys.readouterr().err
    with pytest.raises(RuntimeError):
        main(["lint", "--root", str(root), "--debug"])


def test_console_script_runs_as_a_module(make_repo: MakeRepo) -> None:
    root = make_repo(BROKEN)
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "socialgov", *lint(root, "-q")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    assert len(done.stdout.splitlines()) == 3


def test_the_cyclic_collector_is_paused_for_a_command_and_resumed_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from socialgov import pipeline as lint_module

    seen: list[bool] = []
    real = lint_module.lint_reported

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lint_module, "lint_reported", recording)
    (tmp_path / "socialgov.yaml").write_text("organisation: Test\n")
    assert gc.isenabled()
    assert main(["lint", "--root", str(tmp_path)]) == 0
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        main(["lint", "--root", str(tmp_path)])
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_the_command_exits_at_once_with_every_byte_written() -> None:
    """run() ends the process without the interpreter's teardown: what was printed or written
    is all there, and the exit code is main's."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    acme = PROJECT / "examples" / "acme"
    done = subprocess.run(
        [sys.executable, "-m", "socialgov", "lint", "--root", str(acme), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["summary"]["errors"] > 0 and len(report["findings"]) > 10
    empty = subprocess.run(
        [sys.executable, "-m", "socialgov", "lint", "--root", str(acme), "--select", "SG999"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert empty.returncode == 2 and "SG999" in empty.stderr


def test_audit_and_lint_import_the_pipeline_before_reading_the_settings(
    make_repo: MakeRepo,
) -> None:
    """Both commands lay the pipeline's modules out in memory before the settings are read,
    so that the audit's lint starts from what the lint's starts from (laid out after the
    settings' freed objects, they left the audit's lint 1-2 MB above lint's at its peak)."""
    root = make_repo(BROKEN)
    probe = (
        "import sys\n"
        "import socialgov.cli as cli\n"
        "read = cli.load_settings\n"
        "def load_settings(*args, **kwargs):\n"
        "    print('socialgov.pipeline' in sys.modules)\n"
        "    return read(*args, **kwargs)\n"
        "cli.load_settings = load_settings\n"
        "cli.main(sys.argv[1:])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    for command in (
        lint(root, "-q"),
        ["audit", "--root", str(root), "--as-of", "2026-11-24", "--format", "json"],
    ):
        done = subprocess.run(
            [sys.executable, "-c", probe, *command], capture_output=True, text=True, env=env
        )
        assert done.stdout.splitlines()[0] == "True", (command, done.stderr)


def test_a_command_is_made_only_when_it_is_asked_for() -> None:
    """Importing the command line makes no option; a run makes its own command's (here
    ``import people``'s, inside its group), not the ~110 of the others; ``--help`` makes
    every command, each with what it was written with."""
    probe = (
        "import sys\n"
        "import click\n"
        "made = []\n"
        "init = click.Parameter.__init__\n"
        "def counting(self, *args, **kwargs):\n"
        "    made.append(self)\n"
        "    init(self, *args, **kwargs)\n"
        "click.Parameter.__init__ = counting\n"
        "from socialgov.cli import cli, main\n"
        "print(len(made), file=sys.stderr)\n"
        "main(sys.argv[1:])\n"
        "print(len(made), file=sys.stderr)\n"
        "print(len(cli.commands['import'].commands['people'].params), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", probe, "import", "people", "--help"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: socialgov import people [OPTIONS] FILE")
    lines = done.stderr.splitlines()
    at_import, after_run, own = int(lines[-3]), int(lines[-2]), int(lines[-1])
    assert at_import == 1  # the group's --version
    assert own == 12  # FILE, six repository options and five of its own
    assert after_run - at_import == own + 3  # and the --help of socialgov, import and people


def test_every_command_is_listed_and_made_from_what_was_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from socialgov.cli import cli

    names = list(cli.commands)
    assert names == [
        "lint", "audit", "schema", "test", "rules", "explain", "fix", "import", "discover",
        "directory", "init", "server",
    ]  # fmt: skip
    assert main(["--help"]) == 0
    listed = capsys.readouterr().out.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed if line[:2] == "  " and line[2] != " "] == sorted(names)
    lint = cli.commands["lint"]
    assert isinstance(lint, click.Command) and lint.name == "lint"
    assert lint is cli.commands["lint"]  # made once
    assert [param.name for param in lint.params][:4] == ["paths", "root", "config_path", "as_of"]
    assert lint.help is not None and lint.help.startswith("Check the policy repository")
    group = cli.commands["import"]
    assert isinstance(group, click.Group)
    assert sorted(group.commands) == ["csv", "people"]
    assert cli.get_command(click.Context(cli), "nosuch") is None
