"""Hostile pull requests, round two (issue 16; docs/security.md): names that are not UTF-8,
super-linear paths, values Python cannot take as written, the parse cache, interrupts and
paths outside the repository. Through the command line (``main``) unless a process is needed."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import AS_OF
from socialgov.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names and signals")


def _repo(root: Path, files: dict[str | bytes, str], config: str = "organisation: T\n") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "socialgov.yaml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        path = os.path.join(os.fsencode(root), os.fsencode(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- 5. names not UTF-8

TEAM = "kind: Team\nid: {}\nlaed: x\n"
BAD_NAMES: dict[str | bytes, str] = {
    b"\xff\xfe.yaml": TEAM.format("t1"),  # Latin-1 / binary bytes in a YAML file's name
    b"d\xe9p/a.yaml": TEAM.format("t2"),  # in a folder's name
    b"notes-\xe9t\xe9.txt": "not read",  # a file socialgov never reads
    b"sub/\x80\x81/deep.yml": TEAM.format("t3"),  # continuation bytes alone
    b"\xed\xa0\x80.yaml": TEAM.format("t4"),  # an encoded surrogate: invalid UTF-8 too
}


@pytest.fixture
def bad_names(tmp_path: Path) -> Path:
    return _repo(tmp_path / "repo", BAD_NAMES)


LINT_FORMATS = ["text", "json", "sarif", "junit", "github", "gitlab", "checkstyle"]


@pytest.mark.parametrize("fmt", LINT_FORMATS)
def test_names_that_are_not_utf8_are_read_and_reported_in_every_format(
    bad_names: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    for _ in range(2):  # without, then with the parse cache's entries
        code, out, err = _run(
            capsys, "lint", "--root", str(bad_names), "--as-of", AS_OF.isoformat(), "--format", fmt
        )
        assert code == 1 and err == ""
        out.encode("utf-8")  # printable: no lone surrogate reaches the stream
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out)
        elif fmt in ("junit", "checkstyle"):
            ElementTree.fromstring(out.encode())
    if fmt == "json":
        paths = {f["path"] for f in json.loads(out)["findings"]} - {"socialgov.yaml"}
        # the exact names, decoded as the file system gives them
        assert paths == {os.fsdecode(n) for n in BAD_NAMES if not n.endswith(b".txt")}
    if fmt == "text":
        assert "\\xff\\xfe.yaml:3:1: SG101" in out and "d\\xe9p/a.yaml" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "--format", "table"],
        ["audit", "--format", "json"],
        ["audit", "--format", "csv"],
        ["audit", "--format", "html"],
        ["audit", "--format", "markdown"],
        ["test"],
        ["fix", "--diff"],
        ["fix"],
        ["lint", "--statistics"],
    ],
)
def test_names_that_are_not_utf8_never_crash_a_command(
    bad_names: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = _run(
        capsys, argv[0], "--root", str(bad_names), "--as-of", "2026-11-24", *argv[1:]
    )
    assert code in (0, 1), err
    assert "internal error" not in err
    (out + err).encode("utf-8")


def test_patterns_match_names_that_are_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path / "repo", BAD_NAMES, 'organisation: T\nexclude: ["d*/**", "*.yml"]\n')
    code, out, _ = _run(
        capsys, "lint", "--root", str(root), "--as-of", "2026-11-24", "--format", "json"
    )
    assert code == 1
    paths = {f["path"] for f in json.loads(out)["findings"]} - {"socialgov.yaml"}
    assert paths == {os.fsdecode(b"\xff\xfe.yaml"), os.fsdecode(b"\xed\xa0\x80.yaml")}
