"""The compiled yes/no check says "valid" exactly when jsonschema finds no error.

Differential tests: both paths run on every schema's examples, on thousands of mutations of them,
and on whole repositories (examples/acme and a generated one), and must agree.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import ACME, AS_OF, PROJECT
from socialgov.config import load_config
from socialgov.pipeline import lint
from socialgov.schema import fastcheck
from socialgov.schema import validation as schema
from socialgov.schema.fastcheck import compile_check
from socialgov.schema.validation import check_for

CHECKED = [*schema.KIND_FILES.values(), schema.CONFIG_FILE]
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    1.5,
    "",
    "x",
    "Not An Id!",
    "2026-02-30",
    "2026-11-24",
    "not an email",
    "https://example.com/a",
    [],
    ["x"],
    [1],
    ["a", "a"],
    {},
    {"x": 1},
]


def jsonschema_valid(file_name: str, value: Any) -> bool:
    validator = Draft202012Validator(
        schema.load_schema(file_name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return not any(True for _ in validator.iter_errors(value))


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths(item, (*prefix, index))


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    result = copy.deepcopy(value)
    target = result
    for part in path[:-1]:
        target = target[part]
    if new is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return result


_DELETE = object()


def mutations(example: Any) -> Iterator[Any]:
    yield example
    for path in paths(example):
        for new in [_DELETE, *ODD_VALUES]:
            yield replaced(example, path, new)
    if isinstance(example, dict):
        yield {**example, "unknown_field": 1}


@pytest.mark.parametrize("file_name", CHECKED)
def test_every_published_schema_has_a_compiled_check(file_name: str) -> None:
    # If this fails, a schema uses a construct fastcheck does not trust; extend fastcheck (with
    # differential tests) rather than losing the fast path silently.
    assert check_for(file_name) is not None


@pytest.mark.parametrize("file_name", CHECKED)
def test_compiled_check_agrees_with_jsonschema_on_examples_and_mutations(file_name: str) -> None:
    check = check_for(file_name)
    assert check is not None
    examples = schema.load_schema(file_name).get("examples", [])
    assert examples, f"{file_name} has no examples to test with"
    tried = disagreements = 0
    for example in examples:
        for value in mutations(example):
            tried += 1
            expected = jsonschema_valid(file_name, value)
            if check(value) != expected:
                disagreements += 1
                pytest.fail(f"{file_name}: fast={not expected} jsonschema={expected} on {value!r}")
    assert tried > 50 and disagreements == 0


def test_ref_siblings_apply_as_in_2020_12() -> None:
    check = compile_check(
        {
            "$defs": {"s": {"type": "string"}},
            "properties": {"a": {"$ref": "#/$defs/s", "minLength": 3}},
        }
    )
    assert check is not None
    assert check({"a": "abc"})
    assert not check({"a": "x"})  # draft 7 would ignore minLength next to $ref


def test_dates_are_judged_by_jsonschemas_format_checker() -> None:
    check = compile_check({"type": "string", "format": "date"})
    assert check is not None
    assert check("2026-02-28")
    assert not check("2026-02-30")  # a date-shaped string that is no date


@pytest.mark.parametrize(
    "unsure",
    [
        {"unevaluatedProperties": False},
        {"prefixItems": [{"type": "string"}]},
        {"enum": [1, 2]},
        {"const": True},
        {"$ref": "other.schema.json"},
        {"properties": {"a": {"dependentRequired": {"a": ["b"]}}}},
    ],
)
def test_schemas_it_might_read_differently_are_left_to_jsonschema(unsure: dict[str, Any]) -> None:
    assert compile_check(unsure) is None


def test_the_compiled_check_does_not_fill_in_defaults() -> None:
    check = compile_check({"properties": {"a": {"type": "string", "default": "x"}}})
    assert check is not None
    value: dict[str, Any] = {}
    assert check(value)
    assert value == {}


def _findings(root: Path, fast_after: int, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setattr(schema, "FAST_AFTER", fast_after)
    schema._calls.clear()
    result = lint(load_config(root).with_overrides(as_of=AS_OF))
    return [
        (f.code, f.path, f.line, f.column, f.message, f.key, f.severity) for f in result.findings
    ]


SCHEMA_DEFECTS = """\
people:
  - {id: p-bad-email, name: Bad Email, email: not-an-email}
  - {id: p-unknown, name: Unknown Field, emial: a@example.com}
  - {id: P Bad Id, name: Bad Id}
  - {id: p-no-name}
accounts:
  - {id: a-bad-date, platform: x, handle: a, created: 2026-02-30}
  - {id: a-bad-type, platform: x, handle: b, policies: social-media}
  - {id: a-bad-enum, platform: twiter, handle: c}
  - {id: a-nested, platform: x, handle: d, terms: {service_hours: [1, 2]}}
  - [not, a, mapping]
teams:
  - {id: t-bad, name: 7, function: marketingg}
"""


@pytest.mark.parametrize("repository", ["acme", "generated"])
def test_lint_findings_are_identical_on_the_fast_and_the_jsonschema_path(
    repository: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / repository
    if repository == "acme":
        shutil.copytree(ACME, root)
    else:
        sys.path.insert(0, str(PROJECT / "benchmarks"))
        try:
            from generate import Generator
        finally:
            sys.path.remove(str(PROJECT / "benchmarks"))
        Generator(1500).write(root)
    (root / "schema-defects.yaml").write_text(SCHEMA_DEFECTS, encoding="utf-8")
    slow = _findings(root, 10**9, monkeypatch)
    fast = _findings(root, 0, monkeypatch)
    assert any(code == "SG101" for code, *_ in slow)  # there are schema findings to compare
    assert fast == slow


TREE = {
    "$defs": {
        "name": {"type": "string", "pattern": "^[a-z]+$"},
        "a/b": {"$ref": "#/$defs/name", "maxLength": 3},
        "node": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"$ref": "#/$defs/a~1b"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
        },
    },
    "$ref": "#/$defs/node",
    "properties": {"root": {"const": "yes"}},
}
TREE_VALUES: list[Any] = [
    {"name": "abc"},
    {"name": "abcd"},
    {"name": "ABC"},
    {"name": "abc", "root": "yes"},
    {"name": "abc", "root": "no"},
    {"name": "a", "children": [{"name": "b"}, {"name": "c", "children": [{"name": "d"}]}]},
    {"name": "a", "children": [{"name": "b", "children": [{"name": "toolong"}]}]},
    {"name": "a", "children": [{"name": "b", "children": [{"nom": "x"}]}]},
    {"name": "a", "children": [{"name": "b", "extra": 1}]},
    {"name": "a", "children": "none"},
    {"children": []},
    [],
]


def test_refs_chained_escaped_recursive_and_with_siblings_read_as_jsonschema_reads_them() -> None:
    check = compile_check(TREE)
    assert check is not None
    validator = Draft202012Validator(TREE)
    for value in TREE_VALUES:
        assert check(value) == validator.is_valid(value), value


def test_refs_are_inlined_except_those_leading_to_a_cycle() -> None:
    # Inlined subschemas compile to straight-line code; a ref compiles to a call that formats its
    # error name with locals() for every list item, the cost this avoids. A ref that leads to a
    # cycle stays a ref (inlining it would never end).
    prepared = fastcheck._prepare(TREE)
    text = json.dumps(prepared)
    assert '"#/$defs/name"' not in text and '"#/$defs/a~1b"' not in text
    assert '"#/$defs/node"' in text
    # The kinds a repository holds thousands of keep no ref at all; the others only those that
    # lead to ``where``, which holds ``where``s.
    for kind in ("Person", "Team", "Account", "Channel", "Objective"):
        prepared = fastcheck._prepare(schema.load_schema(schema.KIND_FILES[kind]))
        assert '"$ref"' not in json.dumps(prepared), kind
    for kind in ("Policy", "Playbook", "Rule"):
        prepared = fastcheck._prepare(schema.load_schema(schema.KIND_FILES[kind]))
        assert '"#/$defs/where"' in json.dumps(prepared)
        assert '"#/$defs/id"' not in json.dumps(prepared), kind


@pytest.mark.parametrize(
    "unsure",
    [
        {"$defs": {"a": {"$id": "other.json", "type": "string"}}, "$ref": "#/$defs/a"},
        {"$ref": "#/$defs/missing"},
        {"properties": {"a": {"$ref": 7}}},
    ],
)
def test_refs_it_cannot_resolve_as_jsonschema_does_are_left_to_jsonschema(
    unsure: dict[str, Any],
) -> None:
    assert compile_check(unsure) is None


FORMAT_VALUES: list[Any] = [
    None,
    7,
    "",
    "2026-02-28",
    "2026-02-30",
    "a@example.com",
    "not an email",
    "https://example.com/a?b#c",
    "http://exa mple.com",
    "//no-scheme",
    "urn:isbn:0451450523",
    "12:30:00Z",
    "192.168.0.1",
    "::1",
    "example.com",
    "P1D",
    "^[a-z]+$",
    "(",
    "550e8400-e29b-41d4-a716-446655440000",
]


def test_format_checks_answer_as_the_format_checker_does() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    for name in [*checker.checkers, "no-such-format"]:
        conforms = fastcheck._conforms(checker, name)
        for value in FORMAT_VALUES:
            assert conforms(value) == checker.conforms(value, name), (name, value)


def test_uri_check_skips_rfc3987s_parts_and_answers_the_same() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    function, _ = checker.checkers["uri"]
    fast = fastcheck._rfc3987_uri(function)
    assert fast is not None  # rfc3987 and regex are dependencies: the cheap check is used
    assert fastcheck._conforms(checker, "uri").__code__ is fast.__code__
    assert fastcheck._rfc3987_uri(lambda value: True) is None  # another checker: not replaced
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    try:
        from generate import Generator
    finally:
        sys.path.remove(str(PROJECT / "benchmarks"))
    generator = Generator(300)
    urls = [
        line.split("url: ", 1)[1]
        for i in range(300)
        for line in generator.account(i).splitlines()
        if line.startswith("    url: ")
    ]
    assert len(urls) > 100
    inserts = [" ", "%", "%2", "%zz", "[", "]", "[::1]", "é", "#", "?", ":", "//", "@", "\\", "\n"]
    values: list[Any] = [*FORMAT_VALUES, "x:", "x:/", "1x:y", "mailto:a@b", "http://[v1.x]/"]
    for url in urls:
        values.append(url)
        for n, insert in enumerate(inserts):
            at = (n * 7) % (len(url) + 1)
            values.append(url[:at] + insert + url[at:])
    verdicts = {fast(value) for value in values}
    assert verdicts == {True, False}
    for value in values:
        assert fast(value) == checker.conforms(value, "uri"), value


def test_plain_uris_accepted_at_once_are_uris_by_rfc3987s_whole_rule() -> None:
    """Every string the plain-URL shortcut accepts, rfc3987's "URI" rule accepts too; strings
    near the shortcut's edges (other characters, ports, queries, IPv6, a trailing newline)
    get rfc3987's answer."""
    import random

    import rfc3987

    checker = Draft202012Validator.FORMAT_CHECKER
    fast = fastcheck._conforms(checker, "uri")
    pieces = [
        "http", "https", "a+b.c-d", "1x", ":", "//", "/", "a", "Z", "0", "-", ".", "_", "~",
        "%", "%2F", "%zz", "?", "#", "@", "[", "]", "[::1]", ":8080", "é", " ", "\n", "\t",
        "'", "!", "$", "&", "(", ")", "*", "+", ",", ";", "=", "^", "|", "{", "}", "example.com",
    ]  # fmt: skip
    rng = random.Random(8)
    values = ["https://x.com/a\n", "http://", "http:///", "a://b//c", "h://-/~/_/."]
    for _ in range(20_000):
        head = rng.choice(["https://", "http://", "x+y://", "", "1a://", "a:/"])
        values.append(head + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))))
    for url in ("https://www.threads.net/@acme", "http://a.b/c:d@e!$&'()*+,;=/f", "x://"):
        assert fastcheck._PLAIN_URI.fullmatch(url), url  # taken at once
    for url in ("https://a.b:8080/", "https://u@a.b/", "https://a.b/?q", "https://a.b/#f"):
        assert not fastcheck._PLAIN_URI.fullmatch(url), url  # left to rfc3987
    plain = [v for v in values if fastcheck._PLAIN_URI.fullmatch(v)]
    assert len(plain) > 1_000 and len(values) - len(plain) > 1_000
    for value in values:
        whole = rfc3987.match(value, "URI") is not None
        if fastcheck._PLAIN_URI.fullmatch(value):
            assert whole, value
        assert fast(value) == checker.conforms(value, "uri"), value


UNIQUE = {
    "type": "object",
    "$defs": {"names": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}},
    "properties": {
        "tags": {"$ref": "#/$defs/names"},
        "numbers": {"type": "array", "items": {"type": "number"}, "uniqueItems": True},
        "nested": {"type": "object", "properties": {"tags": {"$ref": "#/$defs/names"}}},
        "open": True,
    },
}


@pytest.mark.parametrize(
    "value",
    [
        {"tags": ["a", "b"]},
        {"tags": ["a", "a"]},
        {"tags": ["a", "A"]},
        {"tags": []},
        {"tags": ["a", 1]},
        {"tags": "a"},
        {"numbers": [1, 1.0]},
        {"numbers": [1, True]},
        {"nested": {"tags": ["a", "a"]}},
        {"nested": {"tags": ["a", "b"]}},
        {"open": ["a", "a"]},
        ["a", "a"],
    ],
)
def test_unique_lists_of_strings_are_checked_as_jsonschema_checks_them(value: Any) -> None:
    # Root lists of strings are checked for duplicates by the check itself; every other
    # uniqueItems (numbers, nested lists sharing the same $defs) stays fastjsonschema's.
    check = compile_check(UNIQUE)
    assert check is not None
    assert check(value) == Draft202012Validator(UNIQUE).is_valid(value)


def test_only_root_lists_of_strings_leave_uniqueness_to_the_check() -> None:
    prepared = fastcheck._prepare(UNIQUE)
    assert fastcheck._unique_string_lists(prepared) == ("tags",)
    assert "uniqueItems" not in prepared["properties"]["tags"]
    assert prepared["properties"]["nested"]["properties"]["tags"]["uniqueItems"] is True
    assert prepared["properties"]["numbers"]["uniqueItems"] is True


class DictStore:
    """A store of compiled checks in memory, as the parse cache keeps them on disk."""

    def __init__(self) -> None:
        self.entries: dict[bytes, bytes] = {}
        self.served = 0

    def get(self, key: bytes) -> bytes | None:
        code = self.entries.get(key)
        self.served += code is not None
        return code

    def put(self, key: bytes, code: bytes) -> None:
        self.entries[key] = code


@pytest.mark.parametrize("file_name", ["account.schema.json", "rule.schema.json"])
def test_a_check_compiled_once_and_kept_answers_as_jsonschema(file_name: str) -> None:
    store = DictStore()
    first = compile_check(schema.load_schema(file_name), store)
    assert first is not None and len(store.entries) == 1 and store.served == 0
    kept = compile_check(schema.load_schema(file_name), store)
    assert kept is not None and store.served == 1  # loaded, not compiled again
    examples = schema.load_schema(file_name)["examples"]
    tried = 0
    for example in examples:
        for value in mutations(example):
            tried += 1
            assert kept(value) == first(value) == jsonschema_valid(file_name, value), value
    assert tried > 50


def test_a_damaged_kept_check_is_compiled_again() -> None:
    store = DictStore()
    assert compile_check(schema.load_schema("account.schema.json"), store) is not None
    (key,) = store.entries
    store.entries[key] = b"not marshal data"
    check = compile_check(schema.load_schema("account.schema.json"), store)
    assert check is not None
    example = schema.load_schema("account.schema.json")["examples"][0]
    assert check(example) is True
    assert check({**example, "unknown_field": 1}) is False
    assert store.entries[key] != b"not marshal data"  # the fresh code replaced it


def test_a_cached_cold_run_keeps_the_compiled_checks_for_the_next(tmp_path: Path) -> None:
    """A run with the parse cache over more entities of a kind than FAST_AFTER compiles that
    kind's check once and keeps it for the user; a later run that parses every file again (a
    fresh clone, in a new process) loads it instead, and reports the same."""
    import os
    import subprocess

    generated = tmp_path / "tree"
    generator = str(PROJECT / "benchmarks" / "generate.py")
    subprocess.run(
        [sys.executable, generator, "--accounts", "300", "--out", str(generated)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src"), "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("CI", None)

    def lint_tree(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "socialgov", "lint", "--as-of", "2026-11-24", *args],
            cwd=generated,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode in (0, 1), done.stderr
        return done.stdout

    plain = lint_tree("--no-cache")
    assert not (tmp_path / "socialgov" / "checks").exists()  # --no-cache keeps nothing
    assert lint_tree() == plain
    kept = sorted((tmp_path / "socialgov" / "checks").glob("*.code"))
    assert kept, "no compiled check was kept"
    stamps = [entry.stat().st_mtime_ns for entry in kept]
    shutil.rmtree(generated / ".socialgov_cache")  # as a fresh clone: parse every file again
    assert lint_tree() == plain
    assert [entry.stat().st_mtime_ns for entry in kept] == stamps  # served, not written again
