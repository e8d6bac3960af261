"""Property-based tests: whatever a repository holds, socialgov answers with findings.

Random YAML text, random bytes and random entities (shaped like the real kinds or not) are
written into a repository and linted in-process through ``socialgov.cli.main``, in a random
report format. Whatever they hold: no traceback, exit code 0 or 1, every finding inside the
file it names, and a report its consumers can parse. Hypothesis's deadline bounds the time of
every example, so a hang or a blow-up fails the test.

The number of examples is moderate so that CI stays fast; ``SOCIALGOV_FUZZ=thorough`` runs
thousands per test::

    SOCIALGOV_FUZZ=thorough python -m pytest tests/test_properties.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import AS_OF
from socialgov.cli import LINT_FORMATS, cli, main
from socialgov.model import KINDS, PLURALS
from socialgov.schema.validation import KIND_FILES, load_schema
from socialgov.source.exact import parse_text

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PROFILES = {"ci": 200, "thorough": 5000}
FUZZ = settings(
    max_examples=PROFILES[os.environ.get("SOCIALGOV_FUZZ", "ci")],
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Pieces of YAML that reach every corner of the parser and the builder when put together.
TOKENS = [
    "\n",
    "\n",
    "\n",
    " ",
    "  ",
    "    ",
    "\t",
    "- ",
    ": ",
    ":",
    "? ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "<<: ",
    "<<: *a",
    "!!python/object/apply:os.system ",
    "!!str ",
    "!!int ",
    "!!map ",
    "!custom ",
    "! ",
    "'",
    '"',
    "# comment",
    "|",
    ">",
    "---",
    "...",
    "%YAML 1.2\n",
    "%TAG ! tag:example.com,2026:\n",
    "kind: ",
    "Account",
    "Person",
    "Team",
    "Policy",
    "Rule",
    "id: ",
    "acme-x",
    "jdoe",
    "owner: ",
    "platform: x",
    "accounts:",
    "people:",
    "terms: ",
    "waivers: ",
    "rule: SG101",
    "true",
    "no",
    "~",
    "12",
    "0x1F",
    "1e3",
    "2026-11-22",
    "9:30",
    "\x00",
    "\x1b[31m",
    "\ufeff",
    "\u202e",
    "é",
    "\r\n",
    "\\",
    '"\\e\\x00\\u202e"',
]

yaml_text = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
    st.text(max_size=300),
)


def _field_values(kind: str) -> dict[str, st.SearchStrategy[Any]]:
    """For each field of ``kind``: its schema's examples and enum values, or anything."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, spec in load_schema(KIND_FILES[kind])["properties"].items():
        if name == "kind":
            continue
        known = [*spec.get("examples", []), *spec.get("enum", [])]
        fields[name] = st.sampled_from(known) if known else st.nothing()
    return fields


IDS = st.sampled_from(["jdoe", "acme-x", "care", "sla", "pb", "obj", "r1", "x", "Bad Id!"])
ANY_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        IDS,
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def entities(draw: st.DrawFn) -> dict[str, Any]:
    """An entity of a random kind: mostly its own fields with plausible values, sometimes
    wrong types, unknown fields or a missing id."""
    kind = draw(st.sampled_from(KINDS))
    fields = _field_values(kind)
    chosen = draw(st.lists(st.sampled_from(sorted(fields)), max_size=8, unique=True))
    entity: dict[str, Any] = {"kind": kind, "id": draw(IDS)}
    for name in chosen:
        entity[name] = draw(st.one_of(fields[name], IDS, ANY_VALUE))
    if draw(st.booleans()):  # an unknown field; not kind, which says where the entity goes
        entity[draw(st.text(min_size=1, max_size=8).filter(lambda k: k != "kind"))] = draw(
            ANY_VALUE
        )
    if draw(st.integers(0, 9)) == 0:
        del entity["id"]
    return entity


@st.composite
def entity_files(draw: st.DrawFn) -> dict[str, str]:
    """A few files of entities, written one per document or as collections."""
    files: dict[str, str] = {}
    for index in range(draw(st.integers(1, 4))):
        batch = draw(st.lists(entities(), min_size=1, max_size=4))
        if draw(st.booleans()):
            text = yaml.dump_all(batch, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
        else:
            plural = {kind: name for name, kind in PLURALS.items()}
            collection: dict[str, list[Any]] = {}
            for entity in batch:
                collection.setdefault(plural[entity.pop("kind")], []).append(entity)
            text = yaml.dump(collection, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
        files[f"dir{index % 2}/file{index}.yaml"] = text
    return files


def write_repo(root: Path, files: dict[str, str | bytes]) -> None:
    """The repository holds ``files`` and socialgov.yaml, and nothing from earlier examples."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "socialgov.yaml").write_text("organisation: Fuzz\n")
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def check_lint(
    root: Path, files: dict[str, str | bytes], fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lint ``root`` in format ``fmt``: findings or success, never a crash or a broken report."""
    write_repo(root, files)
    code = main(["lint", "--root", str(root), "--as-of", AS_OF.isoformat(), "--format", fmt])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert err == ""
    if fmt in ("sarif", "gitlab"):
        json.loads(out)
    elif fmt in ("junit", "checkstyle"):
        ElementTree.fromstring(out.encode())
    elif fmt == "text":
        assert out.endswith(".\n") and "\x1b" not in out
    if fmt != "json":
        return
    report = json.loads(out)
    for finding in report["findings"]:
        if finding["path"] == "socialgov.yaml" and finding["entity"] is None:
            assert finding["line"] == 1  # a missing programme: the repository as a whole
            continue
        assert finding["path"] in files
        content = files[finding["path"]]
        assert finding["line"] >= 1 and finding["column"] >= 1
        if isinstance(content, str):
            # A position inside the file: at most one line past its last line break.
            assert finding["line"] <= len(LINE_BREAK.findall(content)) + 1


# JSON half the time: its findings are checked against the files too.
FORMATS = st.one_of(st.just("json"), st.sampled_from(LINT_FORMATS))
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@FUZZ
@given(text=yaml_text, fmt=FORMATS)
def test_random_yaml_text(
    text: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_lint(tmp_path / "repo", {"random.yaml": text}, fmt, capsys)


@FUZZ
@given(raw=st.binary(max_size=200), fmt=FORMATS)
def test_random_bytes(
    raw: bytes, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_lint(tmp_path / "repo", {"random.yaml": raw}, fmt, capsys)


@FUZZ
@given(files=entity_files(), fmt=FORMATS)
def test_random_entities(
    files: dict[str, str], fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_lint(tmp_path / "repo", dict(files), fmt, capsys)


OPTIONS = sorted(
    {
        opt
        for command in cli.commands.values()
        for param in command.params
        for opt in getattr(param, "opts", ())
        if opt != "--debug"
    }
)


@FUZZ
@given(
    argv=st.lists(
        st.one_of(st.sampled_from([*sorted(cli.commands), *OPTIONS]), st.text(max_size=12)),
        max_size=6,
    )
)
@example(argv=["fix", "\x00"])  # click's own path check crashed on a NUL character
@example(argv=["lint", "--output", "a\x00b"])
def test_random_command_lines_never_crash(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assume("--debug" not in argv)
    # --watch lints until interrupted, waiting for a broken repository to be fixed: not a crash
    # but a command that never returns (tests/test_watch.py tests it with a bounded sleep).
    assume("--watch" not in argv)
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err and "internal error" not in err


@FUZZ
@given(cells=st.lists(st.text(max_size=40), min_size=2, max_size=2))
@example(cells=["", '"'])  # the CSV sniffer once guessed the quoting wrong and read '""'
@example(cells=["0\x850", "a\u2028b"])  # line breaks to YAML 1.1, not to 1.2
@example(cells=["!!python/object/apply:os.system ['touch pwned']", "&a *a {x: [y"])
def test_imported_values_read_back_as_the_same_text(
    cells: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import csv`` writes whatever a spreadsheet holds as data, never as YAML syntax."""
    import csv

    from socialgov.writing.importer import is_blank

    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["id", "platform", "handle", "audience", "topic"], ["acme-x", "x", "acme", *cells]]
        )
    out = tmp_path / "out"
    if out.exists():
        shutil.rmtree(out)
    code = main(["import", "csv", str(source), "--out", str(out)])
    _, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in err and "internal error" not in err
    assert code == 0 or "in.csv:2:" in err  # what needs a person is said at its row
    [written] = out.glob("*.yaml")
    parsed = parse_text(written.read_text(encoding="utf-8"), written.name)
    assert parsed.findings == []
    [account] = parsed.documents[0].data["accounts"]
    for field, cell in zip(("audience", "topic"), cells, strict=True):
        text = cell.replace("\x00", "").strip()  # a NUL is removed (and reported)
        expected = "" if is_blank(text) else text  # "-", "n/a": a blank cell
        assert account.get(field, "") == expected
