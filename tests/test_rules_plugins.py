"""Plugins: Python rules from installed packages under the ``socialgov.rules`` entry point group,
never from the linted repository."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import PROJECT, MakeRepo, run_lint
from socialgov.cli import main
from socialgov.rules.plugins import plugin_rules

PLUGIN_SOURCE = """
from socialgov.core.findings import Severity
from socialgov.rules.base import Violation, rule


@rule(code="{code}", name="{name}", severity=Severity.WARNING, summary="Accounts have a handle",
      family="plugin")
def check(model, ctx):
    for account in model.accounts:
        if not account.handle:
            yield Violation(account, f"Account {{account.id}} has no handle; add one", ("handle",))


RULES = [check]
"""


def install_plugin(site: Path, module: str, code: str, *, source: str | None = None) -> Path:
    """Write a plugin as an installed distribution would leave it: a module and a dist-info."""
    site.mkdir(parents=True, exist_ok=True)
    text = (
        source
        if source is not None
        else PLUGIN_SOURCE.format(code=code, name=module.replace("_", "-"))
    )
    (site / f"{module}.py").write_text(text, encoding="utf-8")
    info = site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[socialgov.rules]\n{module} = {module}:RULES\n", encoding="utf-8"
    )
    return site


def test_installed_plugin_rules_run_beside_builtins(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = install_plugin(tmp_path / "site", "acme_plugin_rules", "ACMEPY001")
    monkeypatch.syspath_prepend(str(site))
    assert [info.code for info in plugin_rules()] == ["ACMEPY001"]
    root = make_repo(
        {"a.yaml": "accounts: [{id: a, platform: x}, {id: b, platform: x, handle: b}]\n"}
    )
    result = run_lint(root)
    [finding] = [f for f in result.findings if f.code == "ACMEPY001"]
    assert finding.message == "Account a has no handle; add one"
    assert finding.name == "acme-plugin-rules"
    assert not [f for f in run_lint(root, ignore=("ACMEPY001",)).findings if f.code == "ACMEPY001"]


def test_a_broken_plugin_is_a_clear_exit_2(
    make_repo: MakeRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = install_plugin(
        tmp_path / "site", "broken_plugin_rules", "X1", source="import no_such_module\n"
    )
    monkeypatch.syspath_prepend(str(site))
    root = make_repo({"a.yaml": "accounts: [{id: a, platform: x}]\n"})
    assert main(["lint", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "plugin 'broken_plugin_rules'" in err
    assert "No module named 'no_such_module'" in err
    assert "Traceback" not in err


def test_a_plugin_must_give_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialgov.core.errors import SocialgovError

    site = install_plugin(tmp_path / "site", "wrong_plugin_rules", "X1", source="RULES = 42\n")
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(SocialgovError, match="gives a int, not a rule"):
        plugin_rules()


def test_plugins_are_never_loaded_from_the_linted_repository(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    """A pull request that adds a dist-info to a policy repository must not run code in its CI,
    even though ``python -m socialgov`` puts the current folder first on sys.path."""
    root = make_repo({"a.yaml": "accounts: [{id: a, platform: x}]\n"})
    marker = tmp_path / "pwned"
    evil = f"open({str(marker)!r}, 'w').write('ran')\nRULES = []\n"
    install_plugin(root, "evil_repo_rules", "EVIL1", source=evil)
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "socialgov", "lint", "--format", "json"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert not marker.exists()
    assert "EVIL1" not in done.stdout


def test_sys_path_is_restored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    before = list(sys.path)
    plugin_rules([tmp_path])
    assert sys.path == before


def test_plugin_codes_must_not_shadow_builtin_codes(
    make_repo: MakeRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = textwrap.dedent(PLUGIN_SOURCE.format(code="SG100", name="fake"))
    site = install_plugin(tmp_path / "site", "shadow_plugin_rules", "SG100", source=source)
    monkeypatch.syspath_prepend(str(site))
    root = make_repo({"a.yaml": "accounts: [{id: a, platform: x}]\n"})
    assert main(["lint", "--root", str(root)]) == 2
    assert "built-in rule's code" in capsys.readouterr().err


def test_a_plugin_installed_as_a_zip_file_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a folder can be looked into cheaply for entry points: a zip file on the path is read
    by importlib.metadata, as before."""
    import zipfile

    site = install_plugin(tmp_path / "site", "zipped_plugin_rules", "ZIPPY001")
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for path in sorted(site.rglob("*")):
            if path.is_file():
                packed.write(path, path.relative_to(site).as_posix())
    monkeypatch.syspath_prepend(str(archive))
    assert [info.code for info in plugin_rules()] == ["ZIPPY001"]


def test_a_plugin_with_egg_info_metadata_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = install_plugin(tmp_path / "site", "egg_plugin_rules", "EGG001")
    (site / "egg_plugin_rules-1.0.dist-info").rename(site / "egg_plugin_rules.egg-info")
    (site / "egg_plugin_rules.egg-info" / "METADATA").rename(
        site / "egg_plugin_rules.egg-info" / "PKG-INFO"
    )
    monkeypatch.syspath_prepend(str(site))
    assert [info.code for info in plugin_rules()] == ["EGG001"]


def test_a_plugin_installed_as_an_unzipped_egg_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """buildout and easy_install leave a folder NAME-VERSION.egg on the path, its metadata in
    EGG-INFO: importlib.metadata reads it, so the look before it must too."""
    site = install_plugin(tmp_path / "site", "unzipped_egg_rules", "EGGDIR001")
    egg = tmp_path / "unzipped_egg_rules-1.0-py3.11.egg"
    site.rename(egg)
    (egg / "unzipped_egg_rules-1.0.dist-info").rename(egg / "EGG-INFO")
    (egg / "EGG-INFO" / "METADATA").rename(egg / "EGG-INFO" / "PKG-INFO")
    monkeypatch.syspath_prepend(str(egg))
    assert [info.code for info in plugin_rules()] == ["EGGDIR001"]
