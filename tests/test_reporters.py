"""Choosing reports: the format registry and several reports in one run."""

from __future__ import annotations

import json
import pickle
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import AS_OF
from socialgov.cli import LINT_FORMATS, main
from socialgov.core.errors import SocialgovError
from socialgov.reporters import (
    FORMATS,
    Pieces,
    ReportTarget,
    parse_target,
    plan_targets,
    render_reports,
)
from socialgov.reporters.base import ReportOptions
from socialgov.reporters.text import render as text_render


def test_every_format_is_offered_and_renders_every_finding(
    tricky_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each format the command line offers renders the same findings from one repository."""
    assert tuple(FORMATS) == LINT_FORMATS

    def report(name: str) -> str:
        args = ["lint", "--root", str(tricky_repo), "--as-of", AS_OF.isoformat()]
        assert main([*args, "--format", name, "--no-color"]) == 1
        return capsys.readouterr().out

    expected = json.loads(report("json"))["findings"]
    codes = {f["code"] for f in expected}
    assert {"SG100", "SG101", "SG102", "SG104", "SG105"} <= codes
    for name in FORMATS:
        rendered = report(name)
        assert rendered.strip(), name
        for code in codes:
            assert code in rendered, (name, code)
        lines_with_a_code = [line for line in rendered.splitlines() if re.search(r"SG1\d\d", line)]
        if name in ("text", "github"):  # one line a finding, one more for each line break
            assert len(lines_with_a_code) >= len(expected), name


def test_the_formats_are_the_modules_pkgutil_finds(tmp_path: Path) -> None:
    """The formats are listed from the package's folder without pkgutil, with its answer: a
    module by any suffix the interpreter imports, a package by its ``__init__``, a folder without
    one, a name with a dot and any other file left out; a path that is no folder (a zip
    file's) read by pkgutil itself."""
    import pkgutil
    from importlib.machinery import EXTENSION_SUFFIXES

    import socialgov.reporters as reporters

    for name in ("plain.py", "compiled.pyc", f"native{EXTENSION_SUFFIXES[0]}", "a.b.py"):
        (tmp_path / name).write_bytes(b"")
    for name in ("notes.txt", "__init__.py", ".py", "_private.py"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "package").mkdir()
    (tmp_path / "package" / "__init__.py").write_bytes(b"")
    (tmp_path / "compiled_package").mkdir()
    (tmp_path / "compiled_package" / "__init__.pyc").write_bytes(b"")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "table.py").write_bytes(b"")
    (tmp_path / "folder.py").mkdir()
    (tmp_path / "dotted.name").mkdir()
    (tmp_path / "dotted.name" / "__init__.py").write_bytes(b"")
    archive = tmp_path / "formats.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped.py", "")

    for folder in (tmp_path, Path(reporters.__file__).parent, archive, tmp_path / "missing"):
        found = reporters._module_names(str(folder))
        assert found == {module.name for module in pkgutil.iter_modules([str(folder)])}, folder
    assert reporters._module_names(str(tmp_path)) == {
        "plain",
        "compiled",
        "native",
        "_private",
        "package",
        "compiled_package",
        "folder",
    }
    assert reporters._module_names(str(archive)) == {"zipped"}
    assert "pkgutil" not in reporters.__dict__


def test_parse_target() -> None:
    assert parse_target("sarif") == ReportTarget("sarif")
    assert parse_target("SARIF:out/a.sarif") == ReportTarget("sarif", Path("out/a.sarif"))
    assert parse_target("junit:C:/reports/x.xml") == ReportTarget("junit", Path("C:/reports/x.xml"))
    with pytest.raises(
        ValueError, match="'yaml' is not a report format; use one of text, checkstyle"
    ):
        parse_target("yaml")
    with pytest.raises(ValueError, match="names no file after the colon"):
        parse_target("sarif:")


def test_plan_targets() -> None:
    assert plan_targets([], None) == [ReportTarget("text")]
    assert plan_targets([], Path("r.txt")) == [ReportTarget("text", Path("r.txt"))]
    planned = plan_targets([ReportTarget("sarif"), ReportTarget("text", Path("t"))], Path("a"))
    assert planned == [ReportTarget("sarif", Path("a")), ReportTarget("text", Path("t"))]
    planned = plan_targets([ReportTarget("sarif"), ReportTarget("text")], Path("a"))
    assert planned == [ReportTarget("sarif", Path("a")), ReportTarget("text")]
    with pytest.raises(SocialgovError, match="only one report can go to standard output"):
        plan_targets([ReportTarget("text"), ReportTarget("json")], None)
    with pytest.raises(SocialgovError, match="--output has no report to receive"):
        plan_targets([ReportTarget("json", Path("j"))], Path("o"))
    with pytest.raises(SocialgovError, match="two reports would be written to"):
        plan_targets([ReportTarget("json", Path("j")), ReportTarget("sarif", Path("j"))], None)


def test_several_reports_in_one_run(
    tricky_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    code = main(
        [
            "lint", "--root", str(tricky_repo), "--as-of", AS_OF.isoformat(),
            "--format", "gitlab", "--output", str(out / "codequality.json"),
            "--format", "text",
            "--format", f"sarif:{out / 'socialgov.sarif'}",
            "--format", f"junit:{out / 'junit.xml'}",
        ]
    )  # fmt: skip
    assert code == 1
    printed = capsys.readouterr().out
    assert "Found 5 problems" in printed and "\x1b[" not in printed
    sarif = json.loads((out / "socialgov.sarif").read_text("utf-8"))
    assert len(sarif["runs"][0]["results"]) == 5
    assert len(ElementTree.parse(out / "junit.xml").getroot().findall(".//failure")) == 5
    assert len(json.loads((out / "codequality.json").read_text("utf-8"))) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "text", "--format", "json"], "only one report can go to standard output"),
        (["-o", "a", "--format", "text", "--format", "json", "--format", "sarif"], "sarif: only"),
        (["--format", "yaml"], "'yaml' is not a report format"),
        (["--format", "sarif:"], "names no file after the colon"),
    ],
)
def test_bad_report_options_exit_2_with_one_line(
    tricky_repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["lint", "--root", str(tricky_repo), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_report_with_a_writer_is_written_when_emitted_and_kept_as_its_text(
    tricky_repo: Path,
) -> None:
    """The text format writes its report a piece at a time as it is emitted (never held whole);
    the run cache, which keeps a run's reports, pickles it as its text, and a report once
    joined is written from that text."""
    from conftest import run_lint

    result = run_lint(tricky_repo)
    options = ReportOptions(cwd=tricky_repo)
    planned = [(ReportTarget("text"), options), (ReportTarget("json", Path("x")), options)]
    text, as_json = (report.text for report in render_reports(result, planned).rendered)
    assert isinstance(as_json, str)  # a format without write(): rendered whole
    assert isinstance(text, Pieces)
    expected = text_render(result, options)
    pieces: list[str] = []
    text(pieces.append)
    assert "".join(pieces) == expected
    kept = pickle.loads(pickle.dumps(render_reports(result, planned)))
    assert kept.rendered[0].text == expected and type(kept.rendered[0].text) is str
    assert str(text) == expected
    again: list[str] = []
    text(again.append)
    assert again == [expected]
