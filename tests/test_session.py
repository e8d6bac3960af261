"""The editor's lint session (socialgov.commands.session) reports what ``socialgov lint`` reports: on
repositories nobody here wrote for it, and with an editor's unsaved text in place of a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmark_modules import benchmark_module
from conftest import ACME, AS_OF, PROJECT
from socialgov.commands.session import Session
from socialgov.config import load_config
from socialgov.core.findings import Finding
from socialgov.pipeline import lint

NORTHWIND = PROJECT / "tests" / "acceptance" / "northwind"


def rows(findings: tuple[Finding, ...] | list[Finding]) -> list[tuple[object, ...]]:
    return [(f.path, f.line, f.column, f.code, f.message, f.fingerprint) for f in findings]


def generated(tmp_path: Path) -> Path:
    root = tmp_path / "generated"
    benchmark_module("generate").main(["--accounts", "300", "--out", str(root), "--seed", "11"])
    return root


@pytest.mark.parametrize("source", ["acme", "northwind", "generated"])
def test_a_session_finds_what_lint_finds(source: str, tmp_path: Path) -> None:
    if source == "generated":
        root = generated(tmp_path)
    else:
        root = tmp_path / source
        shutil.copytree(ACME if source == "acme" else NORTHWIND, root)
    config = load_config(root).with_overrides(as_of=AS_OF)
    expected = lint(config)
    assert expected.findings
    snapshot = Session(config).lint({})
    assert rows(snapshot.result.findings) == rows(expected.findings)
    assert rows(snapshot.result.suppressed) == rows(expected.suppressed)


def test_unsaved_text_counts_as_if_it_were_written(tmp_path: Path) -> None:
    root = generated(tmp_path)
    config = load_config(root).with_overrides(as_of=AS_OF)
    session = Session(config)
    first = session.lint({})
    people = sorted((root / "people").glob("*.yaml"))[0]
    relpath = people.relative_to(root).as_posix()
    text = people.read_text(encoding="utf-8")
    edited = text.replace("employment: full_time", "employment: intern", 3)
    assert edited != text
    in_memory = session.lint({relpath: edited})
    people.write_text(edited, encoding="utf-8")
    on_disk = lint(config)
    assert rows(in_memory.result.findings) == rows(on_disk.findings)
    assert rows(in_memory.result.findings) != rows(first.result.findings)
    # A new file that exists only in the editor is linted too.
    extra = session.lint({relpath: edited, "accounts/new.yaml": "kind: Account\nid: [\n"})
    assert any(f.path == "accounts/new.yaml" and f.code == "SG100" for f in extra.result.findings)
