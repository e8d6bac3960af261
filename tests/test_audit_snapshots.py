"""Regression snapshots of the audit: its complete reports on four repositories, byte for byte.

Speed work on the audit (its metrics, its JSON writer, what it takes over from the lint) must not
change a byte of what it reports. These tests audit a human-style repository
(benchmarks/human.py: many small files in nested folders, anchors, merge keys, several documents
a file, findings in hundreds of files), a generated one (benchmarks/generate.py, every rule family
at work), examples/acme and tests/acceptance/northwind, through the command line, and compare
each report with the one stored in tests/data/audit_snapshots/, which this module writes when
run as a script:

    PYTHONPATH=src python tests/test_audit_snapshots.py

Run it only when a change of the audit's output is intended, and review the difference of the
stored files in the commit. The repository's absolute root is stored as ``<ROOT>`` and
socialgov's version as ``<VERSION>``.
"""

from __future__ import annotations

import difflib
import gzip
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SNAPSHOTS = PROJECT / "tests" / "data" / "audit_snapshots"
AS_OF = "2026-11-24"

REPORTS: dict[str, list[str]] = {
    "json": ["--format", "json"],
    "table": ["--format", "table", "--width", "120"],
    "by-team.json": ["--format", "json", "--by", "team"],
}
"""Report name: the audit's options. Every repository gets these."""


def _benchmark_module(name: str) -> object:
    spec = importlib.util.spec_from_file_location(
        f"socialgov_benchmark_{name}", PROJECT / "benchmarks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def _human(tmp: Path) -> Path:
    root = tmp / "human"
    _benchmark_module("human").HumanGenerator(700, seed=11).write(root)  # type: ignore[attr-defined]
    return root


def _generated(tmp: Path) -> Path:
    root = tmp / "generated"
    generator = _benchmark_module("generate").Generator  # type: ignore[attr-defined]
    generator(1500, defect_rate=0.03).write(root)
    return root


Source = Callable[[Path], Path]

REPOSITORIES: dict[str, Source] = {
    "human": _human,
    "generated": _generated,
    "acme": lambda _tmp: PROJECT / "examples" / "acme",
    "northwind": lambda _tmp: PROJECT / "tests" / "acceptance" / "northwind",
}


def audits(root: Path, out: Path) -> dict[str, str]:
    """Each report of REPORTS on the repository at ``root``, audited as of AS_OF without the
    cache, through the command line (written to a file under ``out``)."""
    from socialgov import __version__
    from socialgov.cli import main

    found: dict[str, str] = {}
    for name, options in REPORTS.items():
        written = out / f"audit.{name}"
        args = ["audit", "--no-cache", "--as-of", AS_OF, "--root", str(root), *options]
        code = main([*args, "--output", str(written)])
        assert code == 0, f"audit {name} exited {code}"
        text = written.read_text(encoding="utf-8")
        text = text.replace(root.resolve().as_posix(), "<ROOT>")
        found[name] = text.replace(__version__, "<VERSION>")
    return found


def _snapshot(repo: str, report: str) -> Path:
    return SNAPSHOTS / f"{repo}.{report}.gz"


@pytest.mark.parametrize("repo", sorted(REPOSITORIES))
def test_the_audit_reports_what_it_reported(repo: str, tmp_path: Path) -> None:
    root = REPOSITORIES[repo](tmp_path)
    for report, text in audits(root, tmp_path).items():
        stored = gzip.decompress(_snapshot(repo, report).read_bytes()).decode("utf-8")
        if text != stored:
            diff = "".join(
                list(
                    difflib.unified_diff(
                        stored.splitlines(keepends=True),
                        text.splitlines(keepends=True),
                        f"stored {repo}.{report}",
                        f"now {repo}.{report}",
                    )
                )[:60]
            )
            pytest.fail(f"the audit's {report} report of {repo} changed:\n{diff}")


def test_the_human_repository_has_findings_in_many_files_and_anchors(tmp_path: Path) -> None:
    """The snapshot covers what the audit must keep in order: findings in many files, entities
    written with anchors and merge keys, several documents in a file."""
    import json

    root = _human(tmp_path)
    texts = [p.read_text(encoding="utf-8") for p in root.rglob("*.yaml")]
    assert sum("<<: *" in t for t in texts) >= 5
    assert sum(t.count("\n---") >= 1 for t in texts) >= 50
    report = json.loads(audits(root, tmp_path)["json"])
    files = {row["path"] for row in report["channels"] if row["findings"]}
    assert len(files) >= 50
    assert len(report["actors"]) >= 20


def write_snapshots() -> None:
    import tempfile

    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for repo, source in REPOSITORIES.items():
            where = Path(tmp) / repo
            where.mkdir()
            for report, text in audits(source(where), where).items():
                _snapshot(repo, report).write_bytes(
                    gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
                )
                print(f"wrote {_snapshot(repo, report).relative_to(PROJECT)}")


if __name__ == "__main__":
    write_snapshots()
