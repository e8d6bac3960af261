"""benchmarks/stranger.py: the State of Westmark tree reads as written, lints with exactly the
structural findings its planted mistakes must cause, holds N accounts, and is reproducible."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmark_modules import benchmark_module

PROJECT = Path(__file__).resolve().parent.parent
ACCOUNTS = 300
SEEDS = (11, 12)


def _norm(value: object) -> object:
    """Dates as text, so that a quoted and a plain date compare as the writer meant them."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def _socialgov(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "socialgov", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT,
        timeout=600,
    )


@pytest.fixture(scope="module", params=SEEDS)
def tree(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    stranger = benchmark_module("stranger")
    gen = stranger.StrangerGenerator(ACCOUNTS, seed=request.param)
    gen.keep_data = True
    out = tmp_path_factory.mktemp(f"stranger-{request.param}") / "tree"
    manifest = gen.write(out)
    return gen, out, manifest


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def test_pyyaml_reads_every_file_as_written(tree) -> None:
    gen, out, manifest = tree
    unparsed = set(manifest["unparsed_files"])
    assert unparsed, "a merge conflict is planted"
    checked = 0
    for path in _yaml_files(out):
        rel = path.relative_to(out).as_posix()
        if rel in unparsed:
            with pytest.raises(yaml.YAMLError):
                list(yaml.safe_load_all(path.read_bytes()))
            continue
        docs = list(yaml.safe_load_all(path.read_bytes()))
        if rel in gen.data:
            assert _norm(docs) == _norm(gen.data[rel]), rel
            checked += 1
        else:  # socialgov.yaml and the excluded draft
            assert rel in ("socialgov.yaml", "drafts/tiktok-pilot.yaml"), rel
    assert checked == len(gen.data)
    assert json.loads((out / ".generator.json").read_text(encoding="utf-8"))["files"] == sum(
        1 for p in out.rglob("*") if p.is_file()
    )


def test_tree_holds_exactly_n_accounts(tree) -> None:
    gen, out, manifest = tree
    count = 0
    for _rel, docs in gen.data.items():
        for doc in docs:
            if isinstance(doc, dict):
                if doc.get("kind") == "Account":
                    count += 1
                count += len(doc.get("accounts") or [])
    assert count == ACCOUNTS == manifest["accounts"]
    audit = _socialgov(
        "audit", "--root", str(out), "--format", "json", "--no-cache", "--as-of", manifest["as_of"]
    )
    assert audit.returncode in (0, 1), audit.stderr
    assert json.loads(audit.stdout)["inventory"]["accounts"] == ACCOUNTS


def test_lint_reports_exactly_the_planted_structural_findings(tree) -> None:
    _gen, out, manifest = tree
    run = _socialgov(
        "lint", "--root", str(out), "--format", "json", "--no-cache", "--as-of", manifest["as_of"]
    )
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    found = Counter(f["code"] for f in report["findings"])
    for code in manifest["structural_codes"]:
        assert found.get(code, 0) == manifest["expected_structural"].get(code, 0), code
    for code, count in manifest["expected_other"].items():
        assert found.get(code, 0) == count, code
    # and each of them is where a mistake was planted
    entities = {d[k] for d in manifest["defects"] for k in ("entity", "same_as") if k in d}
    files = {d["file"] for d in manifest["defects"]}
    for f in report["findings"]:
        if f["code"] in ("SG101", "SG104", "SG106", "SG107", "SG108", "SG304"):
            assert f["entity"]["id"] in entities, f
        elif f["code"] in ("SG100", "SG102", "SG105"):
            assert f["path"] in files, f
        elif f["code"] == "SG103":
            assert f["entity"]["id"] in {
                d["person"] for d in manifest["defects"] if d["kind"] == "duplicate-person-id"
            }, f


def test_some_account_files_name_and_own_each_account_on_lines_of_their_own(tree) -> None:
    gen, out, _manifest = tree
    good = 0
    for rel, docs in gen.data.items():
        accounts = [a for doc in docs if isinstance(doc, dict) for a in doc.get("accounts") or []]
        if not rel.startswith("accounts/") or not accounts:
            continue
        raw = (out / rel).read_bytes()
        if b"\r" in raw:
            continue
        text = raw.decode("utf-8")
        names = len(re.findall(r"^\s+(?:- )?name: .+$", text, re.M))
        owners = len(re.findall(r"^\s+(?:- )?owner: [a-z0-9][a-z0-9._-]*$", text, re.M))
        if names == owners == len(accounts):
            good += 1
    assert good >= 3


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    stranger = benchmark_module("stranger")

    def snapshot(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    stranger.StrangerGenerator(ACCOUNTS, seed=11).write(a)
    (b / "stale.yaml").parent.mkdir(parents=True)
    (b / "stale.yaml").write_text("kind: Account\n", encoding="utf-8")  # write() starts afresh
    stranger.StrangerGenerator(ACCOUNTS, seed=11).write(b)
    stranger.StrangerGenerator(ACCOUNTS, seed=12).write(c)
    assert snapshot(a) == snapshot(b)
    assert snapshot(a) != snapshot(c)


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    run = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "benchmarks" / "stranger.py"),
            "--accounts",
            "60",
            "--out",
            str(out),
            "--seed",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    manifest = json.loads((out / ".generator.json").read_text(encoding="utf-8"))
    assert (manifest["generator"], manifest["accounts"], manifest["seed"]) == (
        "benchmarks/stranger.py",
        60,
        3,
    )
