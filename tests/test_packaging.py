"""The built wheel carries schemas/, rules/ and policies/, and works from another folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ACME, PROJECT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(PROJECT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("socialgov-*.whl")
    return built


def test_wheel_ships_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for schema in (PROJECT / "schemas").glob("*.schema.json"):
        assert f"socialgov/schemas/{schema.name}" in names
    for folder, inside in (("rules", "rules_yaml"), ("policies", "policies")):
        for path in (PROJECT / folder).rglob("*"):
            if path.is_file():
                assert (
                    f"socialgov/{inside}/{path.relative_to(PROJECT / folder).as_posix()}" in names
                )


def test_wheel_ships_the_compiled_schema_checks(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    compiled = sorted((PROJECT / "src" / "socialgov" / "schema" / "compiled").glob("*.py"))
    assert len(compiled) > 10
    for path in compiled:
        assert f"socialgov/schema/compiled/{path.name}" in names


def test_wheel_ships_the_audit_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    templates = PROJECT / "src" / "socialgov" / "audit" / "templates"
    shipped = sorted(p.name for p in templates.iterdir())
    assert shipped == [
        "comparison.html.j2",
        "comparison.md.j2",
        "report.css",
        "report.html.j2",
        "report.md.j2",
    ]
    for name in shipped:
        assert f"socialgov/audit/templates/{name}" in names


def test_installed_wheel_lints_acme_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "socialgov", "lint", "--root", str(ACME), "--as-of", "2026-11-24"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    assert (
        str(target)
        in subprocess.run(
            [sys.executable, "-c", "import socialgov; print(socialgov.__file__)"],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert "SG104 [error]" in done.stdout
    schema = subprocess.run(
        [sys.executable, "-m", "socialgov", "schema", "account"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0 and '"$id"' in schema.stdout
