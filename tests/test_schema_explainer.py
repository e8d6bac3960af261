"""The common schema mistakes are explained without jsonschema, exactly as jsonschema explains them.

socialgov.schema.explainer answers only when it is sure; whenever it answers, its errors must be
those of the jsonschema path (same paths, messages, order, at_key). Differential tests: for every
published schema, entities with the mistakes strangers make (misspelt keys, wrong types, missing
fields, wrong case, nested and list mistakes, values failing formats, several at once) go through
both, and through validate_entity; and a lint of a tree with the human-style generator's planted
mistakes imports no jsonschema. The same file runs in an environment without the [dev] extras
(no rfc3987: jsonschema checks no ``uri`` there), which is where installs differ.
"""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmark_modules import benchmark_module
from socialgov.cli import main
from socialgov.schema import validation as schema
from test_fastcheck import _DELETE, ODD_VALUES, paths, replaced

PROJECT = Path(__file__).resolve().parent.parent
CHECKED = [*schema.KIND_FILES.items(), ("config", schema.CONFIG_FILE)]
KIND_OF = {file_name: kind for kind, file_name in CHECKED}

# Values people write where a format is expected: some fail it everywhere, some only where a
# format library is installed (a uri without rfc3987 is not checked), some pass in odd forms.
FORMAT_VALUES = [
    "2026-13-01",
    "24/11/2026",
    "2026-11-24T10:00:00Z",
    "not a url",
    "www.example.com/acme",
    "https://exa mple.com/x",
    "https://user@example.com:8443/a?b=c#d",
    "http://[::1]/x",
    "ann at example.com",
    "ann@",
    "mailto:ann@example.com",
    # dates as strangers write them, and what jsonschema's "date" refuses beside its pattern
    "05/18/2010",
    "2026-1-5",
    "20261124",
    "2026-W47-1",
    "0000-01-01",
    "2026-11-24\n",
    " 2026-11-24",
    "\uff12\uff10\uff12\uff16-11-24",
    "\u0662\u0660\u0662\u0666-11-24",
    # ids and references beside their pattern (a "$" matches before a final newline)
    "Acme",
    "acme x",
    "-acme",
    "acme-x\n",
    "acme@2",
    "a" * 129,
]


def _misspellings(key: str) -> list[str]:
    """How a stranger misspells a key: letters swapped, dropped or doubled, capitals, a hyphen
    for an underscore, a plural, a space inside."""
    spelt = [key.capitalize(), key.upper(), f"{key}s", key.replace("_", "-"), key.replace("_", " ")]
    if len(key) > 3:
        spelt += [key[:2] + key[3] + key[2] + key[4:], key[:-1], key[:3] + key[2:]]
    return [s for s in dict.fromkeys(spelt) if s != key]


def _recased(value: str) -> list[str]:
    return [
        v for v in dict.fromkeys([value.capitalize(), value.upper(), f" {value}"]) if v != value
    ]


def _renamed(value: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return {new if key == old else key: item for key, item in value.items()}


def _single_mistakes(example: Any) -> Iterator[Any]:
    """Each mistake alone, wherever it can be made in ``example``."""
    yield example
    if not isinstance(example, dict):
        return
    yield {**example, "unknown_field": 1}
    yield {**example, "notes": "kept here by mistake", "Owner": "ann"}
    yield [example]
    yield "just text"
    for path in paths(example):
        parent = example
        for part in path[:-1]:
            parent = parent[part]
        here = parent[path[-1]]
        for new in [*ODD_VALUES, *FORMAT_VALUES, 12500, "12500", 7920, ["a", 1]]:
            yield replaced(example, path, new)
        if isinstance(parent, dict):
            yield replaced(example, path, _DELETE)
            for spelt in _misspellings(str(path[-1])):
                renamed = copy.deepcopy(example)
                target = renamed
                for part in path[:-1]:
                    target = target[part]
                if len(path) == 1:
                    yield _renamed(renamed, path[-1], spelt)
                else:
                    parent_path = path[:-1]
                    yield replaced(renamed, parent_path, _renamed(target, path[-1], spelt))
        if isinstance(here, str):
            for recased in _recased(here):
                yield replaced(example, path, recased)
            yield replaced(example, path, [here])
            yield replaced(example, path, {"value": here})
        if isinstance(here, list) and here:
            yield replaced(example, path, [*here, here[0]])
            yield replaced(example, path, here[0])
            yield replaced(example, path, [*here, None])
        if isinstance(here, dict):
            yield replaced(example, path, {**here, "extra": "x"})
            yield replaced(example, path, [here])


def _several_mistakes(examples: list[Any], rng: random.Random, count: int) -> Iterator[Any]:
    """Entities with two to five mistakes at once: each a single mistake's change, made in turn
    to the same entity where the place it changes is still there."""
    singles = [m for e in examples for m in _single_mistakes(e) if isinstance(m, dict)]
    for _ in range(count):
        entity = copy.deepcopy(rng.choice(examples))
        for _ in range(rng.randrange(2, 6)):
            other = rng.choice(singles)
            for key in list(entity):
                if key not in other:
                    del entity[key]
            for key, value in other.items():
                if key not in entity or rng.random() < 0.5:
                    entity[key] = copy.deepcopy(value)
        yield entity


def _entities(file_name: str, seed: int) -> Iterator[Any]:
    examples = [e for e in schema.load_schema(file_name).get("examples", []) if e]
    for example in examples:
        yield from _single_mistakes(example)
    yield from _several_mistakes(examples, random.Random(seed), 300)


def _validated(file_name: str, value: Any) -> list[schema.SchemaError]:
    kind = KIND_OF[file_name]
    if kind == "config":
        return schema.validate_config(value)
    return schema.validate_entity(kind, value)


@pytest.mark.parametrize(("kind", "file_name"), CHECKED)
def test_whenever_the_explainer_answers_it_says_what_jsonschema_says(
    kind: str, file_name: str
) -> None:
    invalid = answered = 0
    for value in _entities(file_name, seed=sum(map(ord, kind))):
        truth = schema.jsonschema_errors(file_name, value)
        assert _validated(file_name, value) == truth, value
        sure = schema.surely_explained(file_name, value)
        if sure is not None:
            assert sure == truth, value
        if truth:
            invalid += 1
            answered += sure is not None
    assert invalid > 100
    # It answers for the common mistakes of every kind whose root it models (Sighting's root
    # anyOf needs url or handle: a mistake there is jsonschema's to explain, the rest is not).
    print(f"{kind}: answered {answered} of {invalid} invalid entities")
    assert answered > invalid // 4


# The format libraries jsonschema uses when they are installed (the [dev] extra brings rfc3987);
# a default install may have none of them, and then jsonschema checks no ``uri``.
_FORMAT_LIBRARIES = (
    "rfc3987",
    "rfc3986_validator",
    "rfc3987_syntax",
    "rfc3339_validator",
    "fqdn",
    "idna",
    "webcolors",
    "jsonpointer",
    "uri_template",
    "isoduration",
)


def test_the_differential_holds_where_no_format_library_is_installed() -> None:
    """The differential above, run again in a process where none of the format libraries can
    be imported, as on a default install: jsonschema checks no ``uri`` there, and the compiled
    checks (which the explainer asks) must judge as it does."""
    code = (
        "import sys\n"
        f"for name in {_FORMAT_LIBRARIES!r}:\n"
        "    sys.modules[name] = None\n"
        "import jsonschema, pytest\n"
        "assert 'uri' not in jsonschema.FormatChecker.checkers\n"
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', sys.argv[1]]))\n"
    )
    test = f"{__file__}::test_whenever_the_explainer_answers_it_says_what_jsonschema_says"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PROJECT / "src"), str(PROJECT / "tests")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code, test], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"{len(CHECKED)} passed" in done.stdout


SURE = [
    ("Account", {"id": "a-x", "platform": "x", "status": "Active"}),
    ("Account", {"id": "a-x", "platform": "x", "backup_onwer": "ann"}),
    ("Account", {"id": "a-x", "platform": "x", "backup_owner": None}),
    ("Account", {"id": "a-x", "platform": "x", "labels": {"cost-centre": 7920}}),
    ("Account", {"id": "a-x", "platform": "X", "metrics": {"followers": "12k"}, "Owner": "ann"}),
    ("Account", {"platform": "x", "access": [{"person": "ann", "role": "Admin"}]}),
    ("Account", {"id": "a-x", "platform": "x", "tags": ["a", 1], "security": {"mfa": "yes"}}),
    ("Person", {"id": "ann", "name": 7}),
    ("Person", {"id": "ann", "name": "Ann", "status": "departed"}),
    ("Team", {"id": "web", "name": "Web", "lead": ["ann"]}),
    # a failing pattern or date, told as jsonschema's keywords are written (format, then pattern)
    ("Account", {"id": "Acme X", "platform": "x"}),
    ("Account", {"id": "a-x", "platform": "x", "created": "05/18/2010"}),
    ("Account", {"id": "a-x", "platform": "x", "created": "2026-02-30"}),
    ("Account", {"id": "a-x", "platform": "x", "login_email": "ann.example.com"}),
    ("Account", {"id": "a-x", "platform": "x", "status": "Active", "created": "24/11/2026"}),
    ("Person", {"id": "ann", "name": "Ann", "departed_on": "2026-1-5"}),
]


@pytest.mark.parametrize(("kind", "value"), SURE)
def test_the_common_mistakes_are_explained_without_jsonschema(kind: str, value: Any) -> None:
    file_name = schema.KIND_FILES[kind]
    sure = schema.surely_explained(file_name, value)
    assert sure is not None and sure == schema.jsonschema_errors(file_name, value) != []


UNSURE = [
    # a failing length is jsonschema's to word (its wording differs between its versions)
    ("Account", {"id": "a" * 129, "platform": "x"}),
    ("Account", {"id": "a-x", "platform": "x", "login_email": "ab"}),
    # and a mistake beside one of those: one answer for the entity, jsonschema's
    ("Account", {"id": "a-x", "platform": "x", "status": "Active", "login_email": "@"}),
    # a duplicate in a list
    ("Account", {"id": "a-x", "platform": "x", "tags": ["a", "a"]}),
    # Sighting's anyOf (a url or a handle)
    ("Sighting", {"id": "s-1", "platform": "x"}),
]


@pytest.mark.parametrize(("kind", "value"), UNSURE)
def test_what_it_cannot_be_sure_of_is_left_to_jsonschema(kind: str, value: Any) -> None:
    file_name = schema.KIND_FILES[kind]
    assert schema.surely_explained(file_name, value) is None
    assert schema.validate_entity(kind, value) == schema.jsonschema_errors(file_name, value) != []


def test_a_valid_entity_needs_no_explaining() -> None:
    example = schema.load_schema("account.schema.json")["examples"][0]
    assert schema.surely_explained("account.schema.json", example) == []


def _found(tree: Path, entity: dict[str, str]) -> Any:
    """The entity a finding names, read from its files with PyYAML (independently of socialgov)."""
    import yaml

    def walk(value: Any) -> Iterator[Any]:
        if isinstance(value, dict):
            if (
                value.get("id") == entity["id"]
                and value.get("kind", entity["kind"]) == entity["kind"]
            ):
                yield value
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    found = []
    for path in sorted(tree.rglob("*.y*ml")):
        try:
            documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8-sig")))
        except yaml.YAMLError:
            continue  # the generator's broken files (SG102), none of them the entity's
        found += [hit for document in documents for hit in walk(document)]
    assert len(found) == 1, entity
    return found[0]


def test_a_lint_of_the_mistakes_people_make_imports_no_jsonschema(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    manifest = benchmark_module("human").HumanGenerator(1000, seed=7).write(tree)
    code = (
        "import sys; from socialgov.cli import main; main(['lint', '--no-cache', '--format', "
        "'json', '--as-of', '2026-11-24', '--root', sys.argv[1]]); print(' '.join(sorted(m for "
        "m in sys.modules if m.split('.')[0] == 'jsonschema')) or '-', file=sys.stderr)"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tree)], env=env, capture_output=True, text=True
    )
    assert done.stderr.strip().splitlines()[-1] == "-"
    findings = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "SG101"]
    planted = [e for e in manifest["expected_structural"] if e.startswith("SG101 ")]
    assert len(findings) == len(planted) >= 4
    for finding in findings:
        entity = finding["entity"]
        data = _found(tree, entity)
        said = [
            f"{entity['kind']} {entity['id']}: {error.message}"
            for error in schema.jsonschema_errors(schema.KIND_FILES[entity["kind"]], data)
        ]
        assert finding["message"] in said


def test_the_cli_reports_an_explained_mistake_as_jsonschema_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "socialgov.yaml").write_text("organisation: Acme\n", encoding="utf-8")
    (tmp_path / "accounts.yaml").write_text(
        "accounts:\n  - id: acme-x\n    platform: x\n    Status: active\n    team: 7\n",
        encoding="utf-8",
    )
    main(
        ["lint", "--no-cache", "--format", "json", "--as-of", "2026-11-24", "--root", str(tmp_path)]
    )
    findings = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["code"] == "SG101"]
    data = {"id": "acme-x", "platform": "x", "Status": "active", "team": 7}
    expected = schema.jsonschema_errors("account.schema.json", data)
    assert [f["message"] for f in findings] == [f"Account acme-x: {e.message}" for e in expected]
    assert [(f["line"], f["column"]) for f in findings] == [(4, 5), (5, 11)]
