"""Every set-up people copy installs socialgov from the one source of socialgov.release: the
files ``socialgov init`` writes, every snippet of docs/ci.md, the README files and the Action."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from conftest import PROJECT
from socialgov import __version__, release
from socialgov.cli import main

PAGES = [
    PROJECT / "docs" / "ci.md",
    PROJECT / "docs" / "editors.md",
    PROJECT / "docs" / "packs.md",
    PROJECT / "README.md",
]
PIP_INSTALL = re.compile(r"pip install\s+(?P<what>\"[^\"]*\"|'[^']*'|\S+)")
STRAY = re.compile(r"socialgov\s*(==|>=|~=)|pip install\s+[\"']?socialgov(?![\w-])(?!\s*@)")
"""An install from a package index: ``socialgov==0.1.0``, ``pip install socialgov``."""


def test_the_source_is_the_repository_at_this_versions_tag() -> None:
    tag, repository = release.TAG, release.REPOSITORY
    assert tag == f"v{__version__}"
    assert "socialgov @ git+" + repository + "@" + tag == release.PIP_REQUIREMENT
    assert release.ACTION + "@" + tag == release.ACTION_REF
    assert release.REPOSITORY.endswith("/" + release.ACTION)


def installs_in(data: Any) -> list[tuple[str, str]]:
    """Every place a YAML document installs socialgov: ('uses', ref), ('pip', requirement),
    ('pre-commit', repo@rev) and ('dependency', requirement)."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        repo, rev = data.get("repo"), data.get("rev")
        if isinstance(repo, str) and repo != "local" and "hooks" in data:
            found.append(("pre-commit", f"{repo}@{rev}"))
        for dependency in data.get("additional_dependencies") or []:
            if "socialgov" in dependency:
                found.append(("dependency", dependency))
        uses = data.get("uses")
        if isinstance(uses, str) and uses.startswith(("socialgov/", "./")):
            found.append(("uses", uses))
        for value in data.values():
            found.extend(installs_in(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(installs_in(value))
    elif isinstance(data, str):
        for match in PIP_INSTALL.finditer(data):
            what = match.group("what").strip("\"'")
            if "socialgov" in what and what not in (".", "-e"):
                found.append(("pip", what))
    return found


def expected(kind: str, value: str) -> bool:
    return {
        "uses": value == release.ACTION_REF,
        "pip": value == release.PIP_REQUIREMENT,
        "dependency": value == release.PIP_REQUIREMENT,
        "pre-commit": value == f"{release.REPOSITORY}@{release.TAG}",
    }[kind]


def test_inits_files_name_the_one_source(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "repo")]) == 0
    root = tmp_path / "repo"
    workflow = yaml.safe_load((root / ".github/workflows/socialgov.yml").read_text())
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    found = installs_in(workflow) + installs_in(hooks)
    assert sorted(kind for kind, _ in found) == ["pre-commit", "uses"]
    assert all(expected(kind, value) for kind, value in found), found
    readme = (root / "README.md").read_text()
    assert f'pip install "{release.PIP_REQUIREMENT}"' in readme
    for path in root.rglob("*"):
        if path.is_file():
            assert not STRAY.search(path.read_text(encoding="utf-8")), path


def test_every_snippet_of_the_docs_names_the_one_source() -> None:
    kinds: set[str] = set()
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert not STRAY.search(text), (page, STRAY.search(text))
        for language, block in re.findall(r"```(yaml|sh|bash)\n(.*?)```", text, flags=re.S):
            data = yaml.safe_load(block) if language == "yaml" else block
            for kind, value in installs_in(data):
                kinds.add(kind)
                assert expected(kind, value), (page.name, kind, value)
    assert kinds == {"uses", "pip", "dependency", "pre-commit"}


def test_the_action_installs_from_its_own_checkout() -> None:
    action = yaml.safe_load((PROJECT / "action.yml").read_text(encoding="utf-8"))
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert 'pip install --disable-pip-version-check --quiet "${ACTION_PATH}"' in install["run"]
    # A chosen version comes from the action's own repository, never from a package index.
    assert "git+${GITHUB_SERVER_URL}/${ACTION_REPOSITORY}@${INPUT_VERSION}" in install["run"]
