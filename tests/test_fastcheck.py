"""The compiled yes/no check says "valid" exactly when jsonschema finds no error.

Differential tests: both paths run on every schema's examples, on thousands of mutations of them,
and on whole repositories (examples/acme and a generated one), and must agree.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from benchmark_modules import benchmark_module
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
    monkeypatch.setattr(schema, "_compiled", {})
    if fast_after > 10**6:  # jsonschema alone: no shipped check either
        monkeypatch.setattr(schema, "shipped_check_for", lambda file_name: None)
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
        benchmark_module("generate").Generator(1500).write(root)
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


def test_the_explaining_format_checker_answers_as_jsonschemas_does() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    explaining = fastcheck.format_checker()
    assert set(explaining.checkers) == set(checker.checkers)
    values = [*FORMAT_VALUES, "https://x.com/acme?lang=en#top", "http://a b", "2026-02-30"]
    values += ["2026-11-24T10:00:00+05:90", "2026-11-24T10:00:00+05:30", 20261124, None]
    for name in checker.checkers:
        for value in values:
            assert explaining.conforms(value, name) == checker.conforms(value, name), (name, value)


def test_an_entity_explained_keeps_its_url_finding() -> None:
    """Explaining an invalid entity judges its url with rfc3987 only when the url is not plain:
    a bad url is still reported, a plain one is not."""
    plain = {"id": "a", "platform": "x", "url": "https://x.com/acme", "status": 3}
    bad = {**plain, "url": "https://x.com/a b"}
    assert {e.path for e in schema.validate_entity("Account", plain)} == {("status",)}
    assert {e.path for e in schema.validate_entity("Account", bad)} == {("status",), ("url",)}


def test_uri_check_skips_rfc3987s_parts_and_answers_the_same() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    function, _ = checker.checkers["uri"]
    fast = fastcheck._rfc3987_uri(function)
    assert fast is not None  # rfc3987 and regex are dependencies: the cheap check is used
    assert fastcheck._conforms(checker, "uri").__code__ is fast.__code__
    assert fastcheck._rfc3987_uri(lambda value: True) is None  # another checker: not replaced
    generator = benchmark_module("generate").Generator(300)
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
        "%", "%2F", "%zz", "%c3%A9", "?", "#", "@", "[", "]", "[::1]", ":8080", "é", " ", "\n", "\t",
        "'", "!", "$", "&", "(", ")", "*", "+", ",", ";", "=", "^", "|", "{", "}", "example.com",
    ]  # fmt: skip
    rng = random.Random(8)
    values = ["https://x.com/a\n", "http://", "http:///", "a://b//c", "h://-/~/_/."]
    for _ in range(20_000):
        head = rng.choice(["https://", "http://", "x+y://", "", "1a://", "a:/"])
        values.append(head + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))))
    taken = (
        "https://www.threads.net/@acme",
        "http://a.b/c:d@e!$&'()*+,;=/f",
        "x://",
        "https://x.com/acme?lang=en",
        "https://a.b/%C3%A9t%c3%a9?q=a/b?c#top/1",
        "https://a.b#f",
    )
    for url in taken:
        assert fastcheck._PLAIN_URI.fullmatch(url), url  # taken at once
    for url in ("https://a.b:8080/", "https://u@a.b/", "https://a.b/%zz", "https://a.b/?q#f#g"):
        assert not fastcheck._PLAIN_URI.fullmatch(url), url  # left to rfc3987
    plain = [v for v in values if fastcheck._PLAIN_URI.fullmatch(v)]
    assert len(plain) > 1_000 and len(values) - len(plain) > 1_000
    checks = fastcheck.format_checks(["uri", "uri-reference"])
    for value in values:
        whole = rfc3987.match(value, "URI") is not None
        if fastcheck._PLAIN_URI.fullmatch(value):
            assert whole, value
        assert fast(value) == checker.conforms(value, "uri"), value
        for name, conforms in checks.items():
            assert conforms(value) == checker.conforms(value, name), (name, value)
    # The pattern written into the format's check (_PLAIN_FORMS) is _ACCEPTED's test exactly.
    for name, plain in fastcheck._PLAIN_FORMS.items():
        accepted = fastcheck._ACCEPTED[name]
        for value in [*values, 7, None, b"https://x.com/a", ["https://x.com/a"]]:
            told = isinstance(value, str) and plain(value) is not None
            assert told == accepted(value), (name, value)


_SEGMENTS_URI = re.compile(
    r"[a-zA-Z][a-zA-Z0-9+.-]*://[a-zA-Z0-9_.~-]*"
    r"(?:/[a-zA-Z0-9_.~!$&'()*+,;=:@-]*(?:%[0-9a-fA-F]{2}[a-zA-Z0-9_.~!$&'()*+,;=:@-]*)*)*"
    r"(?:\?[a-zA-Z0-9_.~!$&'()*+,;=:@/?-]*(?:%[0-9a-fA-F]{2}[a-zA-Z0-9_.~!$&'()*+,;=:@/?-]*)*)?"
    r"(?:#[a-zA-Z0-9_.~!$&'()*+,;=:@/?-]*(?:%[0-9a-fA-F]{2}[a-zA-Z0-9_.~!$&'()*+,;=:@/?-]*)*)?"
)
"""The plain-URI shortcut with its path written as RFC 3986 does, one repeated group per
segment (``("/" c*(%hh c*)*)*``), as it was before it became one run."""


def test_plain_uri_path_as_one_run_matches_what_a_group_per_segment_matched() -> None:
    """The shortcut's path written as one run of segments accepts exactly the strings the
    segment-per-group form accepted: slashes anywhere and repeated, empty segments, escapes
    at a segment's start and end, bad escapes, queries and fragments after them."""
    import random

    pieces = [
        "/", "//", "a", "Z", "0", "-", ".", "_", "~", "@", ":", "!", "$", "&", "'", "(", ")",
        "*", "+", ",", ";", "=", "%", "%2F", "%2", "%zz", "%c3%A9", "?", "#", " ", "é", "\n",
        "[", "]", "^", "example.com",
    ]  # fmt: skip
    rng = random.Random(18)
    values = [
        "https://a.b",
        "https://a.b/",
        "https://a.b//",
        "https://a.b/%2F/",
        "https://a.b%2F",
        "https://a.b/a/%41/b?q#f",
        "https://a.b/a%4",
        "x://",
        "x:///",
        "https://a.b?/#/",
    ]
    for _ in range(30_000):
        head = rng.choice(["https://", "http://a.b", "https://www.x.com/", "x+y://h", "1a://"])
        values.append(head + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))))
    taken = [v for v in values if _SEGMENTS_URI.fullmatch(v)]
    assert len(taken) > 3_000 and len(values) - len(taken) > 3_000
    for value in values:
        assert bool(fastcheck._PLAIN_URI.fullmatch(value)) == bool(
            _SEGMENTS_URI.fullmatch(value)
        ), value


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


SHIPPED = PROJECT / "src" / "socialgov" / "schema" / "compiled"


def test_every_compiled_check_ships_generated_from_the_schema_as_it_is() -> None:
    # If this fails, a schema was edited: run `python -m socialgov.schema.fastcheck`.
    shipped = {path.stem for path in SHIPPED.glob("*.py")} - {"__init__"}
    assert shipped == {name.removesuffix(".schema.json") for name in CHECKED}
    for file_name in CHECKED:
        raw = (PROJECT / "schemas" / file_name).read_bytes()
        assert fastcheck.shipped_check(file_name, raw) is not None, file_name


def test_a_schema_changed_since_its_check_was_generated_is_not_checked_by_it() -> None:
    raw = (PROJECT / "schemas" / "account.schema.json").read_bytes()
    assert fastcheck.shipped_check("account.schema.json", raw + b"\n") is None
    assert fastcheck.shipped_check("no-such.schema.json", raw) is None


def test_the_generator_writes_what_ships(tmp_path: Path) -> None:
    written = fastcheck.write_shipped(schema.schema_files(), tmp_path)
    assert sorted(path.name for path in written) == sorted(
        path.name for path in SHIPPED.glob("*.py") if path.name != "__init__.py"
    )
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "fastjsonschema" not in text.split('"""', 2)[2]  # it runs without it
        shipped = (SHIPPED / path.name).read_text(encoding="utf-8")
        for name in ("SCHEMA_STAMP", "FORMATS", "UNIQUE"):
            assert _constant(text, name) == _constant(shipped, name), (path.name, name)


def _constant(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"{name} = "))


@pytest.mark.parametrize("file_name", CHECKED)
def test_the_shipped_check_agrees_with_jsonschema_on_examples_and_mutations(
    file_name: str,
) -> None:
    check = schema.shipped_check_for(file_name)
    assert check is not None
    tried = 0
    for example in schema.load_schema(file_name)["examples"]:
        for value in mutations(example):
            tried += 1
            assert check(value) == jsonschema_valid(file_name, value), value
    assert tried > 50


def test_the_format_checks_answer_as_the_format_checker_does() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    names = ["date", "date-time", "email", "uri", "uri-reference", "no-such-format"]
    values = [
        *FORMAT_VALUES,
        "2026-11-24T10:00:00Z",
        "2026-11-24T10:00:00.5+01:00",
        "2026-11-24T10:00:00+05:90",
        "2026-11-24T10:00:00-24:00",
        "2026-11-24t10:00:00z",
        "2026-11-24T25:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-11-24T10:00:00",
        "2026-11-24 10:00:00Z",
        "2026-1-24",
        "\u0662\u0660\u0662\u0666-11-24",
        "relative/path",
        "mailto:a@example.com",
    ]
    for name, conforms in fastcheck.format_checks(names).items():
        for value in values:
            assert conforms(value) == checker.conforms(value, name), (name, value)


CLEAN_REPOSITORY = {
    "socialgov.yaml": "organisation: Clean\n",
    "people.yaml": (
        "people:\n  - {id: ann, name: Ann, email: ann@example.com, employment: full_time}\n"
    ),
    "teams.yaml": "teams:\n  - {id: web, name: Web, function: marketing, lead: ann}\n",
    "accounts.yaml": (
        "accounts:\n  - id: web-x\n    platform: x\n    handle: acmeweb\n"
        "    url: https://x.com/acmeweb\n    owner: ann\n    team: web\n"
        "    created: 2024-01-31\n"
    ),
}


def _lint_and_modules(root: Path) -> tuple[str, set[str]]:
    import os
    import subprocess

    code = (
        "import sys; from socialgov.cli import main; status = main(['lint', '--no-cache', "
        "'--format', 'json', '--as-of', '2026-11-24']);"
        "print(status, ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('jsonschema', 'fastjsonschema', 'yaml'))), file=sys.stderr)"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    _status, *modules = done.stderr.strip().splitlines()[-1].split(" ")
    return done.stdout, set(modules)


def test_a_lint_of_valid_files_imports_neither_validator_nor_the_exact_parser(
    tmp_path: Path,
) -> None:
    for relpath, text in CLEAN_REPOSITORY.items():
        (tmp_path / relpath).write_text(text, encoding="utf-8")
    report, modules = _lint_and_modules(tmp_path)
    assert modules == set() and '"SG101"' not in report
    # A wrong type is explained without jsonschema (socialgov.schema.explainer) ...
    (tmp_path / "bad.yaml").write_text("people:\n  - {id: bob, name: 7}\n", encoding="utf-8")
    report, modules = _lint_and_modules(tmp_path)
    assert '"SG101"' in report and modules == set()
    # ... and so is a value failing a pattern ...
    (tmp_path / "bad.yaml").write_text("people:\n  - {id: Bob, name: Bob}\n", encoding="utf-8")
    report, modules = _lint_and_modules(tmp_path)
    assert '"SG101"' in report and modules == set()
    # ... a value too long by jsonschema (whose wording), which the run then imports.
    too_long = "b" * 129
    (tmp_path / "bad.yaml").write_text(
        f"people:\n  - {{id: {too_long}, name: Bob}}\n", encoding="utf-8"
    )
    report, modules = _lint_and_modules(tmp_path)
    assert '"SG101"' in report and {"jsonschema", "fastjsonschema"} & modules == {"jsonschema"}
    assert "yaml" not in modules
    # A key written twice (SG102) is reported without the exact parser ...
    (tmp_path / "twice.yaml").write_text("people:\n  - {id: cy, id: cy}\n", encoding="utf-8")
    report, modules = _lint_and_modules(tmp_path)
    assert '"SG102"' in report and "yaml" not in modules
    # ... a file only the exact parser explains (a tag) makes the run import PyYAML.
    (tmp_path / "tagged.yaml").write_text("people: !person {id: dee}\n", encoding="utf-8")
    report, modules = _lint_and_modules(tmp_path)
    assert '"SG100"' in report and "yaml" in modules
