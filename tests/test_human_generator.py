"""benchmarks/human.py writes YAML the way people do, and every file means what it intends.

The generator is a benchmark input, but a wrong one would measure the wrong thing: a file that
parses to other data than meant, a shape it claims and never writes, a tree that lints with
parse errors nobody planted. These tests read what it wrote with PyYAML and with socialgov.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "benchmarks"))
try:
    from human import MANIFEST, HumanGenerator
finally:
    sys.path.remove(str(PROJECT / "benchmarks"))

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ACCOUNTS = 1500


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("human") / "tree"
    HumanGenerator(ACCOUNTS, seed=7).write(out)
    return out


def _files(tree: Path) -> dict[str, bytes]:
    return {
        p.relative_to(tree).as_posix(): p.read_bytes()
        for p in sorted(tree.rglob("*"))
        if p.is_file() and p.suffix in (".yaml", ".yml")
    }


def _text(raw: bytes) -> str:
    return raw.decode("utf-8-sig").replace("\r\n", "\n")


def test_every_file_reads_as_the_data_it_means(tree: Path) -> None:
    """PyYAML reads each written file as the documents the generator meant (anchors, aliases
    and merge keys resolved, text blocks folded or kept, quotes and CRLF undone); a file meant
    to be broken does not parse."""
    written = _files(tree)
    meant = list(HumanGenerator(ACCOUNTS, seed=7).files())
    assert sorted(written) == sorted(relpath for relpath, *_ in meant)
    broken = 0
    for relpath, text, documents, _ in meant:
        assert written[relpath] == text.encode("utf-8"), relpath  # what was written is this
        if documents == [None]:
            broken += 1
            with pytest.raises(yaml.YAMLError):
                list(yaml.load_all(text, Loader=Loader))
            continue
        assert list(yaml.load_all(text, Loader=Loader)) == documents, relpath
    assert broken >= 2  # a tab and an unquoted ': '


def test_the_data_is_not_trivially_equal() -> None:
    """The comparison above compares something: a file whose merge key were dropped would read
    differently (the intended data holds the merged fields)."""
    for relpath, text, documents, _ in HumanGenerator(ACCOUNTS, seed=7).files():
        if "<<: *" in text and documents != [None]:
            without = re.sub(r"^\s*(- )?<<: \*\S+\s*$", r"\1", text, flags=re.MULTILINE)
            try:
                parsed = list(yaml.load_all(without, Loader=Loader))
            except yaml.YAMLError:
                continue
            assert parsed != documents, relpath
            return
    pytest.fail("no file with a merge key")


def _indents(text: str) -> set[int]:
    """The indentation steps of a file: how far a key's children sit from the key."""
    steps = set()
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    for line, following in itertools.pairwise(lines):
        if line.rstrip().endswith(":") and not line.lstrip().startswith("- "):
            step = (len(following) - len(following.lstrip(" "))) - (
                len(line) - len(line.lstrip(" "))
            )
            if step > 0 and not following.lstrip().startswith("- "):
                steps.add(step)
    return steps


def test_it_writes_every_shape_people_write(tree: Path) -> None:
    written = {relpath: _text(raw) for relpath, raw in _files(tree).items()}
    raw = _files(tree)
    every = "\n".join(written.values())

    def files_where(test: Any) -> list[str]:
        return [relpath for relpath, text in written.items() if test(text)]

    assert max(relpath.count("/") for relpath in written) >= 4  # nested folders
    assert len(written) > ACCOUNTS / 20  # small files
    assert {Path(r).suffix for r in written} == {".yaml", ".yml"}
    assert files_where(lambda t: t.startswith("# "))  # header comments
    assert re.search(r"^[^#\n]*\S +# (TODO|check with|since|per ticket|agency)", every, re.M)
    assert re.search(r"^\s*# - id: ", every, re.M)  # an entry commented out
    assert "yaml-language-server: $schema=" in every
    manifest = json.loads((tree / MANIFEST).read_text())
    broken = {d["file"] for d in manifest["defects"] if d["code"] == "SG100"}
    documents = {
        relpath: list(yaml.load_all(text, Loader=Loader))
        for relpath, text in written.items()
        if relpath not in broken
    }
    single = [r for r, d in documents.items() if len(d) == 1 and "kind" in (d[0] or {})]
    assert any(documents[r][0]["kind"] == "Account" for r in single)  # one-entity files
    assert any(len(d) >= 3 for d in documents.values())  # several documents per file
    assert any(  # a collection and an entity with kind: in one file
        any("accounts" in doc for doc in d) and any("kind" in doc for doc in d)
        for d in documents.values()
    )
    assert re.search(r"^\.\.\.$", every, re.M)  # a document end marker
    assert re.search(r": \{[^}]+\}", every) and re.search(r": \[[^\]]+\]", every)  # flow
    assert re.search(r"^\s*- \{id: ", every, re.M)  # a whole entity on one line
    assert re.search(r"^\s+- \S", every, re.M)  # block lists
    for indicator in (">", "|", ">-", "|-", "|+"):
        assert re.search(rf": {re.escape(indicator)}$", every, re.M), indicator
    assert re.search(r"^x-[\w-]+: &[\w-]+$", every, re.M)  # an anchor in an x- field
    assert re.search(r"<<: \*[\w-]+$", every, re.M)  # a merge key
    assert re.search(r": &[\w-]+ ", every) and re.search(r": \*[\w-]+$", every, re.M)  # alias
    assert re.search(r": '[^']*'", every) and re.search(r': "[^"]*"', every)  # quoting styles
    assert re.search(r'^\s*(- )?"id": "', every, re.M)  # keys quoted (pasted from JSON)
    assert re.search(r": True$", every, re.M) and re.search(r": true$", every, re.M)
    assert re.search(r"_on: '\d{4}-\d\d-\d\d'|: '\d{4}-\d\d-\d\d'", every)  # quoted dates
    steps: set[int] = set()
    for text in written.values():
        steps |= _indents(text)
    assert {2, 4} <= steps  # indentation of 2 and of 4
    crlf = [r for r, b in raw.items() if b"\r\n" in b]
    assert crlf and len(crlf) < len(raw)  # Windows line ends in some files only
    assert any(not b.endswith(b"\n") for b in raw.values())  # a last line without its end
    first_keys = Counter()
    for docs in documents.values():
        for doc in docs:
            for entity in (doc or {}).get("accounts", [doc] if "kind" in (doc or {}) else []):
                keys = [k for k in entity if k != "kind"]
                first_keys[keys[0]] += 1
    assert len(first_keys) >= 3, first_keys  # keys in different orders


def test_the_manifest_lists_every_kind_of_mistake(tree: Path) -> None:
    manifest = json.loads((tree / MANIFEST).read_text())
    assert manifest["accounts"] == ACCOUNTS
    codes = Counter(d["code"] for d in manifest["defects"])
    assert set(codes) == {"SG100", "SG101", "SG102", "SG103", "SG104", "SG106"}
    what = " ".join(d["what"] for d in manifest["defects"])
    for mistake in (
        "tab",
        "': ' in a value",
        "written twice",
        "misspelt",
        "blank",
        "number",
        "capitals",
        "typo",
        "pasted",
        "past its date",
    ):
        assert mistake in what, mistake


def test_the_same_seed_gives_the_same_tree_and_another_seed_another() -> None:
    def texts(seed: int) -> dict[str, str]:
        return {r: t for r, t, _, _ in HumanGenerator(400, seed=seed).files()}

    first, again, other = texts(3), texts(3), texts(4)
    assert first == again
    assert first != other
    assert set(first) != set(other)  # another layout, not only other values
    styles = {s: [u.habits for u in HumanGenerator(400, seed=s).units] for s in (3, 4)}
    assert styles[3] != styles[4]  # each part of the group keeps its files another way


def _lint(tree: Path) -> list[dict[str, Any]]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "socialgov",
            "lint",
            "--root",
            str(tree),
            "--no-cache",
            "--as-of",
            "2026-11-24",
            "--format",
            "json",
        ],
        env={**os.environ, "PYTHONPATH": str(PROJECT / "src")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 1, completed.stderr  # findings, and no crash
    return json.loads(completed.stdout)["findings"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [7, 12])
def test_socialgov_reads_it_with_no_parse_or_schema_error_but_the_planted_ones(
    tmp_path: Path, seed: int
) -> None:
    tree = tmp_path / "tree"
    manifest = HumanGenerator(1000, seed=seed).write(tree)
    findings = _lint(tree)
    structural = Counter(
        f"{f['code']} {f['path']}" for f in findings if re.fullmatch(r"SG10\d", f["code"])
    )
    assert structural == Counter(manifest["expected_structural"])
    assert structural  # the planted mistakes are there and found
    codes = {f["code"] for f in findings}
    # the rules have work to do: governance gaps of each family
    assert {"SG201", "SG202", "SG203", "SG302", "SG406", "SG701"} <= codes
