"""socialgov.yaml: discovery of the root, defaults, validation errors as one line, overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socialgov.config import DEFAULT_OPTIONS, find_root, load_config, resolve_root, split_codes
from socialgov.core.errors import SocialgovError
from socialgov.core.findings import Severity
from socialgov.speedups.cache import CachedConfigs


def test_root_is_the_nearest_folder_upward_with_socialgov_yaml(tmp_path: Path) -> None:
    (tmp_path / "socialgov.yaml").write_text("organisation: A\n")
    deep = tmp_path / "accounts" / "x"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()


def test_no_root_found_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SocialgovError, match=r"no socialgov.yaml found.*--root"):
        find_root(tmp_path)


def test_explicit_root_must_be_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "f.yaml"
    file.write_text("a: 1\n")
    with pytest.raises(SocialgovError, match="not a folder"):
        resolve_root(file)
    with pytest.raises(SocialgovError, match="no such folder"):
        resolve_root(tmp_path / "missing")
    assert resolve_root(tmp_path) == tmp_path.resolve()


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.options == DEFAULT_OPTIONS
    assert config.fail_threshold is Severity.ERROR
    assert config.select == ("ALL",)


def test_values_are_read_and_merged_with_defaults(tmp_path: Path) -> None:
    (tmp_path / "socialgov.yaml").write_text(
        "organisation: Acme\nstrategy:\n  - {id: grow, statement: Grow}\n"
        "select: [SG2]\nignore: [SG207]\nseverity: {SG203: error, no-playbook: info}\n"
        "fail_on: warning\noptions: {dormant_days: 90}\nbaseline: base.json\n"
    )
    config = load_config(tmp_path)
    assert config.organisation == "Acme"
    assert config.strategy == {"grow": "Grow"}
    assert config.severity == {"SG203": Severity.ERROR, "no-playbook": Severity.INFO}
    assert config.options["dormant_days"] == 90
    assert config.options["max_channels_per_owner"] == 15
    assert config.fail_threshold is Severity.WARNING
    assert config.baseline == tmp_path / "base.json"


def test_invalid_config_is_one_line_with_its_position(tmp_path: Path) -> None:
    (tmp_path / "socialgov.yaml").write_text("organisation: A\nfail_on: fatal\n")
    with pytest.raises(SocialgovError) as raised:
        load_config(tmp_path)
    assert str(raised.value).startswith("socialgov.yaml:2:10: ")
    assert "'fatal' is not allowed" in str(raised.value)


def test_broken_config_yaml_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "socialgov.yaml").write_text("organisation: [A\n")
    with pytest.raises(SocialgovError, match=r"^socialgov.yaml:2:1: invalid YAML"):
        load_config(tmp_path)


def test_unknown_config_key_suggests_the_right_one(tmp_path: Path) -> None:
    (tmp_path / "socialgov.yaml").write_text("ignroe: [SG207]\n")
    with pytest.raises(SocialgovError, match=r"did you mean 'ignore'"):
        load_config(tmp_path)


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    with pytest.raises(SocialgovError, match=r"--config .*no such file"):
        load_config(tmp_path, tmp_path / "other.yaml")


def test_overrides_replace_only_what_was_given(tmp_path: Path) -> None:
    config = load_config(tmp_path).with_overrides(as_of=dt.date(2026, 1, 1), select=None)
    assert config.as_of == dt.date(2026, 1, 1)
    assert config.select == ("ALL",)


def test_split_codes() -> None:
    assert split_codes(("SG1,SG2", "no-playbook")) == ("SG1", "SG2", "no-playbook")
    assert split_codes(()) is None


# ----------------------------------------------------------------------------- validity memo


def _counting_validation(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    from socialgov.schema import validation as schema

    calls: list[object] = []
    real = schema.validate_config

    def counting(data: object) -> list[schema.SchemaError]:
        calls.append(data)
        return real(data)

    monkeypatch.setattr(schema, "validate_config", counting)
    return calls


def test_with_the_cache_an_unchanged_valid_config_is_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting_validation(monkeypatch)
    (tmp_path / "socialgov.yaml").write_text("organisation: Acme\nfail_on: warning\n")
    first = load_config(tmp_path, valid=CachedConfigs())
    again = load_config(tmp_path, valid=CachedConfigs())
    assert first == again and len(calls) == 1
    load_config(tmp_path)  # without the cache: always checked
    assert len(calls) == 2
    (tmp_path / "socialgov.yaml").write_text("organisation: Acme\nfail_on: error\n")
    assert load_config(tmp_path, valid=CachedConfigs()).fail_on == "error"
    assert len(calls) == 3  # another configuration: checked again


def test_an_invalid_config_is_never_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting_validation(monkeypatch)
    (tmp_path / "socialgov.yaml").write_text("organisation: Acme\nfail_on: sometimes\n")
    for _ in range(2):
        with pytest.raises(SocialgovError, match="fail_on"):
            load_config(tmp_path, valid=CachedConfigs())
    assert len(calls) == 2


def test_a_tampered_memo_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialgov.config import CACHE_DIR
    from socialgov.speedups.cache import CONFIG_ENTRY

    calls = _counting_validation(monkeypatch)
    (tmp_path / "socialgov.yaml").write_text("organisation: Acme\n")
    load_config(tmp_path, valid=CachedConfigs())
    entry = tmp_path / CACHE_DIR / CONFIG_ENTRY
    entry.write_bytes(entry.read_bytes()[:-1] + b"X")
    load_config(tmp_path, valid=CachedConfigs())
    assert len(calls) == 2


def test_types_are_told_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``max_files: 10`` passes; ``max_files: '10'`` must not pass on the strength of it."""
    (tmp_path / "socialgov.yaml").write_text("limits: {max_files: 10}\n")
    load_config(tmp_path, valid=CachedConfigs())
    (tmp_path / "socialgov.yaml").write_text("limits: {max_files: '10'}\n")
    with pytest.raises(SocialgovError, match="max_files"):
        load_config(tmp_path, valid=CachedConfigs())
