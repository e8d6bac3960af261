"""The published JSON Schemas: valid draft 2020-12, documented, exported for editors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from socialgov.cli import main
from socialgov.schema.validation import KIND_FILES, load_schema, schema_files, validate_entity


def _properties(schema: object, where: str = ""):
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, value in schema.items():
            if key != "properties":
                yield from _properties(value, f"{where}/{key}")
        for name, sub in schema.get("properties", {}).items():
            yield from _properties(sub, f"{where}.{name}")
    elif isinstance(schema, list):
        for item in schema:
            yield from _properties(item, where)


@pytest.mark.parametrize("name", sorted(schema_files()))
def test_every_schema_is_valid_draft_2020_12_and_documented(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema.get("description")
    undocumented = [where for where, sub in _properties(schema) if "description" not in sub]
    assert undocumented == []


@pytest.mark.parametrize("kind", sorted(KIND_FILES))
def test_each_kind_schema_accepts_its_own_examples(kind: str) -> None:
    schema = load_schema(KIND_FILES[kind])
    assert schema["examples"]
    for example in schema["examples"]:
        assert validate_entity(kind, example) == []


def test_schema_command_prints_one_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "account"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$id"].endswith("account.schema.json")


def test_schema_command_without_kind_prints_the_document_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"].endswith("document.schema.json")


def test_schema_command_unknown_kind_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "acount"]) == 2
    assert "no schema for 'acount'" in capsys.readouterr().err


def test_schema_output_writes_every_schema_and_refs_resolve(tmp_path: Path) -> None:
    from referencing import Registry, Resource

    assert main(["schema", "--output", str(tmp_path / "out")]) == 0
    written = {p.name: json.loads(p.read_text()) for p in (tmp_path / "out").iterdir()}
    assert set(written) == set(schema_files())
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in written.values()
    )
    validator = Draft202012Validator(written["document.schema.json"], registry=registry)
    good = {
        "accounts": [{"id": "a", "platform": "x"}],
        "people": [{"id": "p", "employment": "intern"}],
    }
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({"kind": "Account", "id": "a", "platform": "myspace"}))


@pytest.mark.parametrize(
    ("security", "tags", "message"),
    [
        (
            {"mfa": "yes"},
            ["a"],
            'security.mfa: expected a boolean, got string "yes"; write true or false (YAML 1.2 '
            "reads yes, no, on and off as text)",
        ),
        ({"mfa": "Off"}, ["a"], 'got string "Off"; write true or false (YAML 1.2 reads'),
        ({"mfa": "true"}, ["a"], 'security.mfa: expected a boolean, got string "true"; remove the'),
        ({"mfa": "enabled"}, ["a"], 'security.mfa: expected a boolean, got string "enabled"'),
        (
            {"mfa": True},
            [None, "a"],
            "tags[0]: expected a string, got an empty value (null); write one, or remove the item",
        ),
        (
            {"mfa": True, "credential_custodian": None},
            ["a"],
            "security.credential_custodian: expected a string, got an empty value (null); write "
            "one, or remove the field",
        ),
    ],
)
def test_a_wrong_type_says_how_people_come_to_write_it(
    security: dict[str, object], tags: list[object], message: str
) -> None:
    """YAML 1.1's yes/no/on/off (old templates, PyYAML) are text in YAML 1.2; a value left
    empty is null. Each message says so in plain words, not 'got null null'."""
    account = {"id": "a-x", "platform": "x", "handle": "acme", "security": security, "tags": tags}
    messages = [error.message for error in validate_entity("Account", account)]
    assert len(messages) == 1 and message in messages[0], messages
    if "enabled" in message:
        assert "write true or false" not in messages[0] and "quotes" not in messages[0]
