"""socialgov.schema.reasons gives the errors jsonschema gives, field for field and in order, so
that explaining a schema finding needs no jsonschema; what it does not know is left to it."""

from __future__ import annotations

import copy
import datetime as dt
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import ACME, AS_OF, PROJECT
from socialgov.config import load_config
from socialgov.pipeline import lint
from socialgov.schema import reasons
from socialgov.schema import validation as schema
from socialgov.source.reading import load_file

EXPLAINED = [*schema.KIND_FILES.values(), schema.CONFIG_FILE]


def jsonschema_errors(root: Any, value: Any) -> list[Any]:
    validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return list(validator.iter_errors(value))


class Both:
    """jsonschema's validator and an Explainer of one schema, made once."""

    def __init__(self, root: Any) -> None:
        self.jsonschema = Draft202012Validator(
            root, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        self.explainer = reasons.Explainer(root)
        self.compared = 0

    def compare(self, value: Any) -> None:
        expected = [fields(error) for error in self.jsonschema.iter_errors(value)]
        got = [fields(error) for error in self.explainer.errors(value)]
        assert got == expected, f"on {value!r}"
        self.compared += len(expected)


def fields(error: Any) -> tuple[Any, ...]:
    """What socialgov.schema.validation reads of an error, the errors inside it included."""
    return (
        error.message,
        error.validator,
        repr(error.validator_value),
        repr(error.instance),
        repr(error.schema),
        tuple(error.absolute_path),
        tuple(fields(inner) for inner in error.context),
    )


def assert_same_errors(root: Any, value: Any) -> int:
    expected = [fields(error) for error in jsonschema_errors(root, value)]
    got = [fields(error) for error in reasons.Explainer(root).errors(value)]
    assert got == expected, f"on {value!r}"
    return len(expected)


def test_it_knows_or_leaves_to_jsonschema_every_keyword_jsonschema_knows() -> None:
    known = set(reasons._KEYWORDS) | reasons._UNSUPPORTED
    assert set(Draft202012Validator.VALIDATORS) <= known


@pytest.mark.parametrize("file_name", EXPLAINED)
def test_every_schema_an_entity_or_config_is_checked_against_is_explained_without_jsonschema(
    file_name: str,
) -> None:
    assert reasons.supported(schema.load_schema(file_name))


# A stranger's mistakes: keys misspelt or in another case, values of another type or left empty,
# the wrong word of a list, dates and addresses written loosely, lists where one value goes.
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    7,
    -3,
    2.5,
    1.0,
    10**20,
    "",
    " ",
    "yes",
    "N/A",
    "Active",
    "TBD",
    "2026-02-30",
    "2026-13-01",
    "26-01-05",
    "2026/01/05",
    "2026-01-05T10:00:00Z",
    "05.01.2026",
    dt.date(2026, 1, 5),
    "not an email",
    "jane.doe@example.com",
    "https://example.com/a b",
    "http//example.com",
    "www.example.com",
    "https://example.com/path?q=1#top",
    "mailto:someone@example.com",
    "\u00dcn\u00efcode \u2013 text",
    "x" * 400,
    [],
    [""],
    ["a", "a"],
    [1, True],
    [None],
    [{"id": "x"}],
    {},
    {"x": 1},
    {"id": None, "name": ""},
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _typo(key: str, chance: random.Random) -> str:
    if len(key) < 2:
        return key + "s"
    at = chance.randrange(len(key) - 1)
    return chance.choice(
        [
            key[:at] + key[at + 1] + key[at] + key[at + 2 :],  # two letters swapped
            key.replace("_", "-") if "_" in key else key.title(),
            key.upper(),
            key[:-1],
            key + "_old",
            "my" + key,
        ]
    )


def _broken(example: Any, chance: random.Random) -> Any:
    """``example`` with one to four mistakes a person might make, anywhere in it."""
    value = copy.deepcopy(example)
    for _ in range(chance.randint(1, 4)):
        places = list(_paths(value))
        if not places:
            return chance.choice(ODD_VALUES)
        path = chance.choice(places)
        parent = value
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        move = chance.random()
        if move < 0.2 and isinstance(parent, dict):
            parent[_typo(str(last), chance)] = parent.pop(last)
        elif move < 0.35:
            if isinstance(parent, dict):
                del parent[last]
            else:
                parent.pop(last)
        elif move < 0.45 and isinstance(parent[last], str):
            parent[last] = chance.choice(
                [parent[last].upper(), parent[last].title(), parent[last] + " ", parent[last][1:]]
            )
        elif move < 0.55 and isinstance(parent, dict):
            parent[chance.choice(["notes", "owner_email", "Status", "lables", "x-custom"])] = (
                chance.choice(ODD_VALUES)
            )
        else:
            parent[last] = copy.deepcopy(chance.choice(ODD_VALUES))
    return value


def _examples(file_name: str) -> list[Any]:
    found = list(schema.load_schema(file_name).get("examples", []))
    kind = next((k for k, f in schema.KIND_FILES.items() if f == file_name), None)
    for path in sorted(ACME.rglob("*.yaml")):
        for document in load_file(ACME, str(path.relative_to(ACME)), None).documents:
            data = document.data
            if file_name == schema.CONFIG_FILE and path.name == "socialgov.yaml":
                found.append(data)
            if kind is None or not isinstance(data, dict):
                continue
            if data.get("kind") == kind:
                found.append({k: v for k, v in data.items() if k != "kind"})
            for value in data.values():
                if isinstance(value, list):
                    found.extend(item for item in value if isinstance(item, dict))
    return found[:12]


@pytest.mark.parametrize("file_name", EXPLAINED)
def test_the_errors_of_broken_entities_are_jsonschemas_field_for_field(file_name: str) -> None:
    both = Both(schema.load_schema(file_name))
    examples = _examples(file_name)
    assert examples
    chance = random.Random(file_name)
    for example in examples:
        both.compare(example)
        for path in _paths(example):
            broken = copy.deepcopy(example)
            target = broken
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = copy.deepcopy(chance.choice(ODD_VALUES))
            both.compare(broken)
    for _ in range(600):
        both.compare(_broken(chance.choice(examples), chance))
    for odd in ODD_VALUES:
        both.compare(odd)
    assert both.compared > 200  # the values were broken, and the errors compared


KEYWORDS = {
    "$defs": {
        "short": {"type": "string", "maxLength": 3, "minLength": 2},
        "node": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"$ref": "#/$defs/short"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
            "additionalProperties": False,
        },
    },
    "type": "object",
    "properties": {
        "tree": {"$ref": "#/$defs/node"},
        "one": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 2}]},
        "any": {"anyOf": [{"type": "string", "pattern": "^a"}, {"type": "null"}]},
        "all": {"allOf": [{"minimum": 1}, {"maximum": 5}, {"exclusiveMaximum": 4}]},
        "never": {"not": {"type": "string"}},
        "pair": {"type": "array", "minItems": 2, "maxItems": 2, "uniqueItems": True},
        "empty": {"type": "array", "maxItems": 0, "items": False},
        "labels": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]+$"},
            "patternProperties": {"^x-": {"type": "string"}},
            "additionalProperties": {"type": "integer"},
            "minProperties": 1,
            "maxProperties": 2,
        },
        "strict": {
            "type": "object",
            "patternProperties": {"^s": True},
            "additionalProperties": False,
        },
        "when": {
            "if": {"properties": {"kind": {"const": "a"}}},
            "then": {"required": ["a"]},
            "else": {"required": ["b"], "properties": {"b": {"enum": [1, "1", True]}}},
        },
        "nothing": False,
        "day": {"format": "date", "exclusiveMinimum": 0},
        "moment": {"format": "date-time"},
        "site": {"format": "uri"},
        "mail": {"format": "email"},
        "choice": {"enum": ["a", 1, None, [1], {"k": 1}]},
        "fixed": {"const": {"a": [1, 2]}},
    },
}
KEYWORD_VALUES: list[Any] = [
    {},
    {"tree": {"name": "ab", "children": [{"name": "abcd"}, {"nom": "x"}, {"name": 1}]}},
    {"tree": {"children": "no"}},
    {"one": 3},
    {"one": 1.5},
    {"one": 2.5},
    {"one": "x"},
    {"one": True},
    {"any": "abc"},
    {"any": "b"},
    {"any": None},
    {"any": 1},
    {"all": 0},
    {"all": 4},
    {"all": 6},
    {"all": True},
    {"never": "x"},
    {"never": 1},
    {"pair": [1, 1]},
    {"pair": [1, True]},
    {"pair": [0, False]},
    {"pair": [[1], [1]]},
    {"pair": [{"a": 1}, {"a": 1}, 3]},
    {"pair": [1]},
    {"empty": [1]},
    {"empty": [1, 2]},
    {"labels": {}},
    {"labels": {"a": 1, "B": "x", "x-y": 2, "c": 1.0}},
    {"labels": {"x-a": "y"}},
    {"strict": {"s1": 1, "t": 2, "u": 3}},
    {"strict": {"t": 2}},
    {"when": {"kind": "a"}},
    {"when": {"kind": "b", "b": 2}},
    {"when": {"kind": "b", "b": 1.0}},
    {"when": {"kind": "a", "a": 1}},
    {"nothing": 1},
    {"day": "2026-02-30"},
    {"day": "2026-01-05"},
    {"day": "\uff12\uff10\uff12\uff16-01-05"},  # full-width digits
    {"day": 0},
    {"moment": "2026-01-05t10:00:00z"},
    {"moment": "2026-01-05 10:00"},
    {"site": "https://example.com/a b"},
    {"site": "https://example.com/"},
    {"site": "example"},
    {"mail": "a@b"},
    {"mail": "ab"},
    {"choice": 1.0},
    {"choice": True},
    {"choice": [True]},
    {"choice": {"k": 1.0}},
    {"choice": "b"},
    {"fixed": {"a": [1, 2.0]}},
    {"fixed": {"a": [1, True]}},
    {"fixed": {"a": [1]}},
    [],
    "text",
]


@pytest.mark.parametrize("value", KEYWORD_VALUES)
def test_each_keyword_gives_jsonschemas_errors(value: Any) -> None:
    assert reasons.supported(KEYWORDS)
    assert_same_errors(KEYWORDS, value)


@pytest.mark.parametrize(
    "unsure",
    [
        {"contains": {"type": "string"}},
        {"properties": {"a": {"multipleOf": 2}}},
        {"items": [{"type": "string"}]},
        {"$ref": "other.schema.json"},
        {"$ref": "#/$defs/missing"},
        {"$ref": "#/$defs/a~1b", "$defs": {"a/b": {}}},
        {"properties": {"a": {"$id": "https://example.com/a", "$ref": "#"}}},
        {"type": "whole"},
        {"format": "ipv4"},
        {"anyOf": [{"unevaluatedProperties": False}]},
    ],
)
def test_schemas_it_might_explain_otherwise_are_left_to_jsonschema(unsure: dict[str, Any]) -> None:
    assert not reasons.supported(unsure)


def test_a_keyword_name_used_as_a_property_name_or_an_example_is_no_keyword() -> None:
    named = {
        "properties": {"contains": {"type": "string"}, "type": {"enum": ["a"]}},
        "examples": [{"type": "phone", "contains": 1}],
    }
    assert reasons.supported(named)
    assert_same_errors(named, {"contains": 1, "type": "b"})


SCHEMA_DEFECTS = """\
people:
  - {id: p-bad-email, name: Bad Email, email: not-an-email}
  - {id: p-unknown, name: Unknown Field, emial: a@example.com, phone: 0123}
  - {id: P Bad Id, name: Bad Id}
  - {id: p-no-name}
accounts:
  - {id: a-bad-date, platform: x, handle: a, created: 2026-02-30, status: Active}
  - {id: a-bad-type, platform: x, handle: b, policies: social-media, backup_owner: ~}
  - {id: a-bad-enum, platform: twiter, handle: c, labels: {cost-centre: 6133}}
  - {id: a-nested, platform: x, handle: d, terms: {service_hours: [1, 2]}}
  - {id: a-url, platform: x, handle: e, url: "x.com/e", security: {mfa: yes}}
  - [not, a, mapping]
teams:
  - {id: t-bad, name: 7, function: marketingg}
"""


MISTAKES = """\
kind: Account
id: typo-account
platform: facebook
handle: typo.account
status: Active
backup_onwer: p-nobody
labels: {cost-centre: 6133}
---
kind: Person
id: p-empty-email
name: Empty Email
email:
"""


def test_a_lint_imports_no_jsonschema_to_explain_its_schema_findings(tmp_path: Path) -> None:
    # (A value failing a format still imports it: the compiled yes/no check asks jsonschema's
    # format checker about what its shortcuts do not accept.)
    root = tmp_path / "acme"
    shutil.copytree(ACME, root)
    (root / "mistakes.yaml").write_text(MISTAKES, encoding="utf-8")
    program = (
        "import sys\n"
        "from socialgov.cli import main\n"
        f"code = main(['lint', '--root', {str(root)!r}, '--no-cache', '--format', 'json',"
        f" '--as-of', '{AS_OF.isoformat()}', '--output', {str(tmp_path / 'out.json')!r}])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('jsonschema', 'referencing', 'attrs')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
        env={"PYTHONPATH": str(PROJECT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == "[]", done.stderr
    assert (tmp_path / "out.json").read_text(encoding="utf-8").count("SG101") >= 4


def test_lint_explains_every_schema_finding_as_jsonschema_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root)
    (root / "schema-defects.yaml").write_text(SCHEMA_DEFECTS, encoding="utf-8")

    def findings() -> list[Any]:
        result = lint(load_config(root).with_overrides(as_of=AS_OF))
        return [(f.code, f.path, f.line, f.column, f.message) for f in result.findings]

    explained = findings()
    monkeypatch.setattr(reasons, "supported", lambda root: False)
    schema._explainer.cache_clear()
    try:
        by_jsonschema = findings()
    finally:
        schema._explainer.cache_clear()
    assert sum(code == "SG101" for code, *_ in explained) >= 12
    assert explained == by_jsonschema
