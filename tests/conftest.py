"""Shared fixtures: small policy repositories written into temporary folders."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from socialgov.config import Config, load_config
from socialgov.lint import LintResult, lint

AS_OF = dt.date(2026, 11, 24)
PROJECT = Path(__file__).resolve().parent.parent
ACME = PROJECT / "examples" / "acme"

MakeRepo = Callable[..., Path]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """Write ``{relative path: YAML text}`` (dedented) plus a socialgov.yaml; return the root."""

    def make(files: dict[str, str], config: str = "organisation: Test\n") -> Path:
        root = tmp_path / "repo"
        root.mkdir(exist_ok=True)
        (root / "socialgov.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
        for relpath, text in files.items():
            path = root / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


def run_lint(root: Path, *, as_of: dt.date = AS_OF, **overrides: object) -> LintResult:
    """Lint ``root`` as the command line would, judged on ``as_of``."""
    config: Config = load_config(root).with_overrides(as_of=as_of, **overrides)
    return lint(config)


def codes(result: LintResult) -> list[str]:
    return [f.code for f in result.findings]
