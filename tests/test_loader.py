"""Loading: discovery, parsing with source positions, duplicate keys, syntax errors, dates,
and everything hostile: limits, tags, encodings, odd files and links."""

from __future__ import annotations

import codecs
import math
import os
import random
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from conftest import PROJECT, DenyReads, flow_depth_column
from socialgov.core.files import FileTooBig, read_bounded
from socialgov.core.findings import Position
from socialgov.source.discovery import discover, select, walk
from socialgov.source.exact import parse_text
from socialgov.source.loader import DEFAULT_LIMITS, ParsedFile, text_position
from socialgov.source.reading import DecodeError, decode, load_file

ALL = ("**/*.yaml", "**/*.yml")
TimeLimit = Callable[[float], AbstractContextManager[None]]


def parse(text: str, **limits: int) -> ParsedFile:
    return parse_text(text, "f.yaml", limits)


def only_finding(parsed: ParsedFile) -> tuple[int, int, str]:
    assert len(parsed.findings) == 1, [f.message for f in parsed.findings]
    finding = parsed.findings[0]
    assert finding.code == "SG100"
    return finding.line, finding.column, finding.message


def test_positions_of_keys_and_values_are_one_based() -> None:
    parsed = parse_text("accounts:\n  - id: acme-x\n    platform: x\n", "a.yaml")
    doc = parsed.documents[0]
    assert doc.data == {"accounts": [{"id": "acme-x", "platform": "x"}]}
    assert doc.locate(("accounts", 0)) == Position(2, 5)
    assert doc.locate(("accounts", 0, "platform")) == Position(3, 15)
    assert doc.locate(("accounts", 0, "platform"), key=True) == Position(3, 5)


def test_missing_node_locates_its_nearest_parent() -> None:
    doc = parse_text("kind: Account\nid: x\n", "a.yaml").documents[0]
    assert doc.locate(("owner",)) == Position(1, 1)
    assert doc.locate(("metrics", "followers")) == Position(1, 1)


def test_several_documents_per_file_keep_their_own_positions() -> None:
    parsed = parse_text("kind: Team\nid: a\n---\nkind: Team\nid: b\n", "t.yaml")
    assert [d.data["id"] for d in parsed.documents] == ["a", "b"]
    assert [d.index for d in parsed.documents] == [0, 1]
    assert parsed.documents[1].locate(("id",)) == Position(5, 5)


def test_duplicate_key_is_sg102_at_the_second_key_and_the_last_value_wins() -> None:
    parsed = parse_text("kind: Account\nid: x\nowner: a\nowner: b\n", "d.yaml")
    assert parsed.documents[0].data["owner"] == "b"
    [finding] = parsed.findings
    assert (finding.code, finding.line, finding.column) == ("SG102", 4, 1)
    assert "first on line 3" in finding.message


def test_duplicate_key_in_a_nested_mapping() -> None:
    parsed = parse_text("terms:\n  a: 1\n  b: 2\n  a: 3\n", "d.yaml")
    [finding] = parsed.findings
    assert (finding.line, finding.column) == (4, 3)
    assert finding.key == "terms/a"


def test_syntax_error_is_sg100_at_the_parser_position() -> None:
    parsed = parse_text("accounts:\n  - id: x\n   platform: x\n", "bad.yaml")
    [finding] = parsed.findings
    assert finding.code == "SG100"
    assert (finding.line, finding.column) == (3, 4)
    assert finding.message.startswith("invalid YAML:")


def test_documents_before_a_syntax_error_are_kept() -> None:
    parsed = parse_text("kind: Team\nid: a\n---\nkind: [\n", "bad.yaml")
    assert [d.data["id"] for d in parsed.documents] == ["a"]
    assert [f.code for f in parsed.findings] == ["SG100"]


def test_dates_stay_strings_quoted_or_not() -> None:
    data = parse_text("a: 2026-11-22\nb: '2026-11-22'\n", "d.yaml").documents[0].data
    assert data == {"a": "2026-11-22", "b": "2026-11-22"}


def test_yaml_1_2_booleans_only() -> None:
    data = parse_text("language: no\nx: yes\nmfa: true\nother: False\n", "b.yaml").documents[0].data
    assert data == {"language": "no", "x": "yes", "mfa": True, "other": False}


def test_numbers_and_nulls_are_typed() -> None:
    data = parse_text("a: 12\nb: 1.5\nc: null\nd: ~\ne:\n", "n.yaml").documents[0].data
    assert data == {"a": 12, "b": 1.5, "c": None, "d": None, "e": None}


def test_keys_are_strings_as_written() -> None:
    data = parse_text("1: a\ntrue: b\non: c\n", "k.yaml").documents[0].data
    assert data == {"1": "a", "true": "b", "on": "c"}


def test_merge_keys_and_aliases() -> None:
    text = "base: &b {team: t, status: active}\nitem:\n  <<: *b\n  status: retired\n"
    doc = parse_text(text, "m.yaml").documents[0]
    assert doc.data["item"] == {"team": "t", "status": "retired"}


def test_unknown_tag_is_a_finding_not_code() -> None:
    parsed = parse_text("a: !!python/object/apply:os.system ['true']\n", "t.yaml")
    assert parsed.documents == []
    [finding] = parsed.findings
    assert finding.code == "SG100"
    assert "unsupported YAML tag" in finding.message
    assert (finding.line, finding.column) == (1, 4)


def test_empty_and_comment_only_files_have_no_documents() -> None:
    assert parse_text("", "e.yaml").documents == []
    assert parse_text("# nothing here\n", "c.yaml").documents == []
    assert parse_text("# nothing here\n", "c.yaml").findings == []


def test_decode_handles_boms() -> None:
    assert decode(codecs.BOM_UTF8 + b"a: 1") == "a: 1"
    assert decode("a: é".encode("utf-16")) == "a: é"
    assert decode(b"a: 1") == "a: 1"


def test_invalid_utf8_is_a_finding_with_the_byte_offset(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"name: caf\xe9\n")
    parsed = load_file(tmp_path, "bad.yaml")
    [finding] = parsed.findings
    assert finding.code == "SG100"
    assert "byte 0xe9 at offset 9" in finding.message


def test_crlf_positions(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_bytes(b"kind: Team\r\nid: t\r\nlead: x\r\n")
    doc = load_file(tmp_path, "w.yaml").documents[0]
    assert doc.locate(("lead",)) == Position(3, 7)


def test_discover_skips_hidden_and_applies_globs(tmp_path: Path) -> None:
    for rel in (
        "a.yaml",
        "b.yml",
        "c.txt",
        ".hidden.yaml",
        ".git/x.yaml",
        "ci/skip.yaml",
        "d/e.yaml",
    ):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a: 1\n")
    files, problems = discover(tmp_path, ["**/*.yaml", "**/*.yml"], ["ci/**"])
    assert files == ["a.yaml", "b.yml", "d/e.yaml"]
    assert problems == []


def test_discover_does_not_follow_links_outside_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("a: 1\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link.yaml").symlink_to(outside)
    (root / "inside.yaml").write_text("a: 1\n")
    (root / "alias.yaml").symlink_to(root / "inside.yaml")
    files, problems = discover(root, ["**/*.yaml"], [])
    assert files == ["inside.yaml"]  # read once, under its own name: no duplicate ids
    assert [(p.path, p.code) for p in problems] == [("link.yaml", "SG100")]
    assert "outside the repository" in problems[0].message


def test_syntax_errors_say_what_to_do() -> None:
    tab = parse_text("a:\n\t- x\n", "t.yaml").findings[0]
    assert "replace it with spaces" in tab.message
    quote = parse_text('a: "open\nb: 2\n', "q.yaml").findings[0]
    assert "add the closing quote" in quote.message


# --------------------------------------------------------------------------- positions


def test_positions_of_keys_and_values() -> None:
    doc = parse("kind: Account\nid: x\nterms:\n  hours: '9-5'\nlist: [a, {b: c}]\n").documents[0]
    assert doc.locate(("terms", "hours")) == Position(4, 10)
    assert doc.locate(("terms", "hours"), key=True) == Position(4, 3)
    assert doc.locate(("list", 1, "b")) == Position(5, 15)
    assert doc.locate(("list", 1)) == Position(5, 11)
    # A missing node is located at its nearest existing parent.
    assert doc.locate(("terms", "missing", "deeper")) == Position(4, 3)
    assert doc.locate(("id", "below-a-scalar")) == Position(2, 5)
    assert doc.locate(()) == Position(1, 1)


def test_crlf_line_endings_keep_positions_right() -> None:
    doc = parse("a: 1\r\nb:\r\n  c: [x,\r\n      y]\r\n").documents[0]
    assert doc.data == {"a": 1, "b": {"c": ["x", "y"]}}
    assert doc.locate(("b", "c", 1)) == Position(4, 7)
    assert doc.locate(("b", "c"), key=True) == Position(3, 3)


def test_columns_count_characters_not_bytes() -> None:
    doc = parse("näme: Ünïcödé\nid: x\n").documents[0]
    assert doc.locate(("näme",)) == Position(1, 7)
    finding = parse("é: ü\nk: !bad v\n").findings[0]
    assert (finding.line, finding.column) == (2, 4)


def test_document_index_and_scalar_root() -> None:
    parsed = parse("--- just text\n---\na: 1\n")
    assert [d.data for d in parsed.documents] == ["just text", {"a": 1}]
    assert [d.index for d in parsed.documents] == [0, 1]
    assert parsed.documents[0].locate(()) == Position(1, 5)


# --------------------------------------------------------------------------- YAML 1.2 scalars


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),  # Norwegian, not False: YAML 1.1 booleans are strings
        ("yes", "yes"),
        ("on", "on"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("9:30", "9:30"),  # not the YAML 1.1 sexagesimal 570
        ("010", 10),  # not the YAML 1.1 octal 8
        ("0o10", 8),
        ("0x1F", 31),
        ("-42", -42),
        ("1_000", "1_000"),
        ("1e3", 1000.0),
        ("-.5", -0.5),
        ("2.", 2.0),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("2026-11-22", "2026-11-22"),  # dates stay as written
        ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z"),
        ("'true'", "true"),
        ('"12"', "12"),
        ("!!str 12", "12"),
        ("!!int '12'", 12),
        ("!!float 1", 1.0),
        ("!!bool 'true'", True),
        ("!!null ''", None),
        ("!!timestamp 2026-01-01", "2026-01-01"),
        ("! 12", "12"),
        ("=", "="),
        ("<<", "<<"),
        ("1" * 5000, "1" * 5000),  # more digits than Python converts: stays text
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    assert parse(f"v: {text}\n").documents[0].data == {"v": value}


def test_nan_is_a_float() -> None:
    assert math.isnan(parse("v: .nan\n").documents[0].data["v"])


@pytest.mark.parametrize("text", ["!!int abc", "!!bool yes", "!!float x1", "!!null 0"])
def test_an_explicit_type_that_does_not_fit_is_a_finding(text: str) -> None:
    line, column, message = only_finding(parse(f"a: 1\nv: {text}\n"))
    assert (line, column) == (2, 4)
    assert "is not a valid" in message and "remove the tag" in message


def test_keys_are_the_text_as_written() -> None:
    assert parse("1: a\ntrue: b\n~: c\n'x': d\n").documents[0].data == {
        "1": "a",
        "true": "b",
        "~": "c",
        "x": "d",
    }


def test_a_collection_as_key_is_a_finding() -> None:
    assert only_finding(parse("? [a, b]\n: c\n"))[:2] == (1, 3)
    assert "mapping key must be a plain value" in only_finding(parse("? {a: 1}\n: c\n"))[2]
    assert only_finding(parse("x: &l [1]\n*l : v\n"))[:2] == (2, 1)


# --------------------------------------------------------------------------- duplicates, merges, aliases


def test_duplicate_key_is_sg102_at_the_second_key() -> None:
    parsed = parse("a:\n  b: 1\n  b: 2\n")
    assert [(f.code, f.line, f.column) for f in parsed.findings] == [("SG102", 3, 3)]
    assert "first on line 2" in parsed.findings[0].message
    assert parsed.findings[0].key == "a/b"
    assert parsed.documents[0].data == {"a": {"b": 2}}


def test_duplicate_key_inside_a_list_names_its_path() -> None:
    parsed = parse("l:\n  - {x: 1}\n  - {x: 1, x: 2}\n")
    assert [f.key for f in parsed.findings] == ["l/1/x"]


def test_merge_keys_never_override_written_keys_and_point_at_the_anchor() -> None:
    text = (
        "defaults: &d\n"
        "  status: active\n"
        "  region: eu\n"
        "other: &o {region: us, team: t}\n"
        "acct:\n"
        "  <<: [*d, *o]\n"
        "  status: planned\n"
    )
    parsed = parse(text)
    assert parsed.findings == []
    doc = parsed.documents[0]
    assert doc.data["acct"] == {"status": "planned", "region": "eu", "team": "t"}
    assert doc.locate(("acct", "status")) == Position(7, 11)
    assert doc.locate(("acct", "region")) == Position(3, 11)  # the earlier merge wins
    assert doc.locate(("acct", "team"), key=True) == Position(4, 24)


def test_a_merge_key_written_after_the_keys_still_loses_to_them() -> None:
    doc = parse("b: &b {x: 1, y: 1}\nm:\n  x: 2\n  <<: *b\n").documents[0]
    assert doc.data["m"] == {"x": 2, "y": 1}
    assert doc.locate(("m", "x")) == Position(3, 6)


def test_merge_of_something_that_is_not_a_mapping_is_a_finding() -> None:
    line, column, message = only_finding(parse("a: &a [1]\nb:\n  <<: *a\n"))
    assert (line, column) == (3, 7)
    assert "merge key (<<)" in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("<<: \n- ", (2, 2)),  # hypothesis's find: the list closes past the last line
        ("<<:\n- 1\n- 2", (2, 3)),
        ("x:\n  <<: [{a: 1},\n    3]", (3, 5)),
        ("x:\n  <<:\n  - {a: 1}\n  - [b]", (4, 5)),
        ("<<: []\n- x", None),  # not YAML: SG100 from the parser, wherever it says
        ("x: &l [{a: 1}, 2]\ny:\n  <<: *l", (3, 7)),  # at the alias, not what it names
        ("x:\n  <<: 3", (2, 7)),
    ],
)
def test_a_bad_merge_value_is_found_at_the_value_inside_the_file(
    text: str, where: tuple[int, int] | None
) -> None:
    line, column, message = only_finding(parse(text))
    assert 1 <= line <= text.count("\n") + 1
    if where is not None:
        assert (line, column) == where
        assert "merge key (<<)" in message


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert parse("'<<': {a: 1}\n").documents[0].data == {"<<": {"a": 1}}


def test_aliases_share_their_anchor_and_its_positions() -> None:
    doc = parse("a: &x {k: [1, 2]}\nb: *x\n").documents[0]
    assert doc.data["b"] == {"k": [1, 2]}
    assert doc.data["b"] is doc.data["a"]
    assert doc.locate(("b", "k", 1)) == Position(1, 15)


def test_undefined_alias_is_a_finding_at_the_alias() -> None:
    line, column, message = only_finding(parse("a: 1\nb: *nowhere\n"))
    assert (line, column) == (2, 4)
    assert "*nowhere names no anchor" in message


def test_an_alias_inside_its_own_anchor_is_a_finding() -> None:
    line, column, message = only_finding(parse("a: &loop\n  b: *loop\n"))
    assert (line, column) == (2, 6)
    assert "inside the node it names" in message


def test_anchors_do_not_reach_into_the_next_document() -> None:
    parsed = parse("a: &x 1\n---\nb: *x\n")
    assert [d.data for d in parsed.documents] == [{"a": 1}]
    assert only_finding(parsed)[:2] == (3, 4)


def test_a_redefined_anchor_means_its_latest_definition() -> None:
    assert parse("a: &x 1\nb: &x 2\nc: *x\n").documents[0].data["c"] == 2


# --------------------------------------------------------------------------- limits


def billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{', '.join(f'*{prev}' for _ in range(10))}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_one_finding_without_expanding(time_limit: TimeLimit) -> None:
    # Expanded, this is 10^9 strings: a hang and an out-of-memory. Read, it is one finding at
    # the first alias that takes the file over the limit. time_limit turns a hang into a failure.
    with time_limit(10):
        parsed = parse(billion_laughs())
    line, column, message = only_finding(parsed)
    # f has 10^5 + ... nodes; the running count crosses 2,000,000 inside g's list.
    assert line == 7 and column > 4
    assert "alias bomb" in message and "limits.max_nodes_per_file" in message
    assert parsed.documents == []


def test_many_aliases_to_one_big_anchor_count_what_they_repeat() -> None:
    text = "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 50) + "]\n"
    assert parse(text).findings == []
    line, _, message = only_finding(parse(text, max_nodes_per_file=20_000))
    assert line == 2 and "more than 20,000 YAML nodes" in message


def test_node_limit_counts_the_whole_file() -> None:
    assert parse("[1, 2, 3]\n", max_nodes_per_file=4).findings == []
    assert only_finding(parse("[1, 2, 3]\n---\n[4]\n", max_nodes_per_file=4))[:2] == (3, 1)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("[" * 10_000, (1, flow_depth_column(65, 1))),
        ("[" * 10_000 + "]" * 10_000, (1, flow_depth_column(65, 1))),
        ("{a: " * 10_000 + "}" * 10_000, (1, 257)),
        ("".join("  " * i + "a:\n" for i in range(3000)), (65, 129)),
        ("- " * 5000 + "x\n", (1, 129)),
    ],
    ids=["unclosed-flow-lists", "flow-lists", "flow-mappings", "block-mappings", "block-lists"],
)
def test_deep_nesting_is_a_finding_never_a_recursion_error(
    text: str, position: tuple[int, int]
) -> None:
    assert len(text) > sys.getrecursionlimit()
    parsed = parse(text)
    depth = parsed.findings[0]
    assert (depth.line, depth.column) == position
    assert "nested more than 64 levels deep" in depth.message
    # An unclosed flow list is also a syntax error; nothing else is reported.
    assert all("invalid YAML" in f.message for f in parsed.findings[1:])


def test_depth_limit_is_inclusive_and_configurable() -> None:
    assert parse("a: {b: {c: 1}}\n", max_depth=3).findings == []
    assert only_finding(parse("a: {b: {c: []}}\n", max_depth=3))[:2] == (1, 12)


def test_depth_counts_what_an_alias_expands_to() -> None:
    text = "a: &deep {b: {c: {d: 1}}}\nx: {y: {z: *deep}}\n"
    assert parse(text, max_depth=6).findings == []
    assert only_finding(parse(text, max_depth=5))[:2] == (2, 12)


def test_scalar_and_key_length_limit() -> None:
    assert parse("a: " + "x" * 100_000 + "\n").findings == []
    line, column, message = only_finding(parse("a: " + "x" * 100_001 + "\n"))
    assert (line, column) == (1, 4)
    assert "100,001 characters" in message and "limits.max_scalar_chars" in message
    assert only_finding(parse("abcdef: 1\n", max_scalar_chars=5))[:2] == (1, 1)


def test_document_limit_keeps_the_documents_before_it() -> None:
    parsed = parse("--- {a: 1}\n" * 10_001)
    assert len(parsed.documents) == 10_000
    line, column, message = only_finding(parsed)
    assert (line, column) == (10_001, 1)
    assert "more than 10,000 YAML documents" in message
    assert "limits.max_documents_per_file" in message
    assert len(parse("--- 1\n--- 2\n--- 3\n", max_documents_per_file=2).documents) == 2


def test_a_problem_drops_its_document_and_the_next_one_is_read() -> None:
    parsed = parse("a: !!python/name:os.system ''\nb: [*undefined]\n---\nc: 1\n")
    assert [d.data for d in parsed.documents] == [{"c": 1}]
    assert only_finding(parsed)[:2] == (1, 4)


def test_default_limits_match_the_published_config_schema() -> None:
    from socialgov.schema.validation import load_schema

    limits = load_schema("config.schema.json")["properties"]["limits"]
    assert {name: spec["default"] for name, spec in limits["properties"].items()} == DEFAULT_LIMITS
    assert limits["additionalProperties"] is False


# --------------------------------------------------------------------------- tags


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('!!python/object/apply:os.system ["touch pwned"]', "!!python/object/apply:os.system"),
        ('!!python/object/new:os.system ["touch pwned"]', "!!python/object/new:os.system"),
        ("!!python/name:os.system ''", "!!python/name:os.system"),
        ("!!python/module:os ''", "!!python/module:os"),
        ("!!python/object:__main__.Evil {a: 1}", "!!python/object:__main__.Evil"),
        ("!custom value", "!custom"),
        ("!custom {a: 1}", "!custom"),
        ("!<tag:example.com,2026:x> [1]", "tag:example.com,2026:x"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!!map [1]", "!!map"),
    ],
)
def test_tags_other_than_plain_data_are_findings(
    text: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line, column, message = only_finding(parse(f"id: x\nvalue: {text}\n"))
    assert (line, column) == (2, 8)
    assert f"unsupported YAML tag '{shown}'" in message
    assert not (tmp_path / "pwned").exists()


def test_a_tag_on_a_key_is_a_finding() -> None:
    assert (
        "!!python/name:os.system" in only_finding(parse("? !!python/name:os.system ''\n: 1\n"))[2]
    )


# --------------------------------------------------------------------------- characters and encodings


def test_nul_byte_is_a_finding_at_its_position() -> None:
    line, column, message = only_finding(parse("a: 1\nb: x\x00y\n"))
    assert (line, column) == (2, 5)
    assert "NUL byte" in message


def test_utf16_without_bom_is_recognised_as_such() -> None:
    raw = "kind: Person\n".encode("utf-16-le")
    assert "UTF-16 without a byte order mark" in only_finding(parse(decode(raw)))[2]


def test_control_character_is_a_finding_naming_it() -> None:
    line, column, message = only_finding(parse("a: 1\r\nb: \x1b[31mred\n"))
    assert (line, column) == (2, 4)
    assert "U+001B" in message


def test_escaped_control_characters_in_double_quotes_are_data() -> None:
    assert parse('a: "\\e[31m\\x00"\n').documents[0].data == {"a": "\x1b[31m\x00"}


def test_tab_in_indentation_says_so() -> None:
    line, column, message = only_finding(parse("a:\n\tb: 1\n"))
    assert (line, column) == (2, 1)
    assert "tab" in message and "spaces" in message


def test_tabs_after_content_are_fine() -> None:
    assert parse("a:\t1\nb: [x,\ty]\n").documents[0].data == {"a": 1, "b": ["x", "y"]}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n", "---\n...\n"])
def test_empty_and_comment_only_files_hold_nothing(text: str) -> None:
    parsed = parse(text)
    assert parsed.findings == []
    assert [d.data for d in parsed.documents] in ([], [None])


def test_very_long_line() -> None:
    text = "ids: [" + ", ".join(f"id-{i}" for i in range(50_000)) + "]\n"
    assert len(text) > 400_000
    parsed = parse(text)
    assert parsed.findings == []
    assert len(parsed.documents[0].data["ids"]) == 50_000
    assert parsed.documents[0].locate(("ids", 49_999)).line == 1


TEXT = "kind: Person\nid: ana\nname: Ana Núñez\n"


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode(),
        codecs.BOM_UTF8 + TEXT.encode(),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
)
def test_decode_supported_encodings(raw: bytes) -> None:
    assert decode(raw) == TEXT


@pytest.mark.parametrize(
    ("raw", "encoding", "offset", "byte", "position"),
    [
        (b"a: 1\nb: \xff\n", "UTF-8", 8, 0xFF, (2, 4)),
        (codecs.BOM_UTF8 + b"a: 1\nb: \xc3(\n", "UTF-8", 11, 0xC3, (2, 4)),
        (b"a: caf\xe9\n", "UTF-8", 6, 0xE9, (1, 7)),
        (
            codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8a\x00",
            "UTF-16 LE",
            6,
            0,
            (1, 3),
        ),
        (codecs.BOM_UTF16_BE + b"\x00a\x00", "UTF-16 BE", 4, 0, (1, 2)),
    ],
)
def test_invalid_bytes_name_their_offset_and_position(
    raw: bytes, encoding: str, offset: int, byte: int, position: tuple[int, int]
) -> None:
    with pytest.raises(DecodeError) as caught:
        decode(raw)
    error = caught.value
    assert (error.encoding, error.offset, error.byte) == (encoding, offset, byte)
    assert (error.position.line, error.position.column) == position


def test_load_file_reports_invalid_bytes_as_a_finding(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"id: ok\nname: \x89PNG\r\n")
    parsed = load_file(tmp_path, "bad.yaml")
    line, column, message = only_finding(parsed)
    assert (line, column) == (2, 7)
    assert "not valid UTF-8" in message and "byte 0x89 at offset 13" in message


def test_text_position_counts_yaml_line_breaks() -> None:
    assert text_position("a\r\nb\rc\nd", 7) == Position(4, 1)
    assert text_position("ab", 1) == Position(1, 2)


# --------------------------------------------------------------------------- reading files


def test_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text("a: " + "x" * 200 + "\n")
    parsed = load_file(tmp_path, "big.yaml", {"max_file_bytes": 100})
    line, column, message = only_finding(parsed)
    assert (line, column) == (1, 1)
    assert "204 bytes" in message and "limits.max_file_bytes" in message
    assert load_file(tmp_path, "big.yaml", {"max_file_bytes": 204}).findings == []


def test_read_bounded_never_reads_more_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10
    path.write_bytes(b"x" * 11)
    with pytest.raises(FileTooBig):
        read_bounded(path, 10)
    # A file that grows after it was measured (its size said 10) is refused too: the read asks
    # for one byte more than the limit and refuses the file when it gets it.
    real_fstat = os.fstat
    path.write_bytes(b"x" * 4096)

    def measured_small(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[6] = 10  # st_size
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", measured_small)
    with pytest.raises(FileTooBig, match="over the limit of 10"):
        read_bounded(path, 10)


def test_read_bounded_reads_the_whole_file_however_it_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.yaml"
    text = bytes(range(256)) * 300
    path.write_bytes(text)
    assert read_bounded(path, len(text)) == text
    # Grown since it was measured (its size said 10), within the limit: read whole.
    real_fstat, real_read = os.fstat, os.read

    def measured_small(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[6] = 10  # st_size
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", measured_small)
    assert read_bounded(path, 10**6) == text
    # Short reads (a network file system may give fewer bytes than asked): read to the end.
    monkeypatch.setattr(os, "fstat", real_fstat)
    monkeypatch.setattr(os, "read", lambda fd, size: real_read(fd, min(size, 7)))
    assert read_bounded(path, 10**6) == text
    with pytest.raises(FileTooBig):
        read_bounded(path, len(text) - 1)


def test_read_bounded_reads_a_file_as_big_as_measured_in_one_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_read = os.read
    calls: list[int] = []

    def counted(fd: int, size: int) -> bytes:
        calls.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(os, "read", counted)
    for size in (0, 10, 70_000):
        path = tmp_path / f"f{size}.yaml"
        path.write_bytes(b"x" * size)
        calls.clear()
        assert read_bounded(path, 10**6) == b"x" * size
        assert len(calls) == 1


def test_read_bounded_refuses_a_fifo_without_blocking(
    tmp_path: Path, time_limit: TimeLimit
) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with time_limit(10), pytest.raises(OSError, match="not a regular file"):
        read_bounded(fifo, 100)


def test_unreadable_file_is_a_finding(tmp_path: Path, deny_reads: DenyReads) -> None:
    # Tests may run as root, where chmod 000 does not deny reads: the OSError path is simulated
    # here; tests/test_security.py checks a real permission denial.
    (tmp_path / "secret.yaml").write_text("a: 1\n")
    deny_reads(lambda path: path.endswith("secret.yaml"))
    line, column, message = only_finding(load_file(tmp_path, "secret.yaml"))
    assert (line, column) == (1, 1)
    assert "cannot read the file: Permission denied" in message


# --------------------------------------------------------------------------- discovery


def tree(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def problems(root: Path, include: tuple[str, ...] = ALL, exclude: tuple[str, ...] = ()):
    files, found = discover(root, include, exclude)
    return files, [(f.path, f.message) for f in found]


def test_discovery_skips_hidden_and_excluded_and_sorts(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "b.yaml": "",
            "a/x.yml": "",
            ".git/c.yaml": "",
            "a/.hidden.yaml": "",
            "ci/d.yaml": "",
            "notes.txt": "",
        },
    )
    assert discover(root, ALL, ["ci/**"]) == (["a/x.yml", "b.yaml"], [])


def test_the_default_include_selects_what_its_gitignore_patterns_select(tmp_path: Path) -> None:
    # Without include/exclude the file names' endings decide (no pattern matcher): the same
    # files as the patterns themselves, spelt so that the matcher must read them.
    names = [
        "a.yaml",
        "b.yml",
        "c.YAML",
        "d.yaml.bak",
        "e.json",
        "yaml",
        "f.yamll",
        "g .yaml",
        "deep/er/h.yaml",
        "deep/i.yml",
        "dir.yaml/j.txt",
        "dir.yaml/k.yml",
        "l.yaml~",
        "m\u00e9.yaml",
        "n[1].yaml",
        "o*.yml",
        "p!.yaml",
        "#q.yaml",
        "r.yaml ",
    ]
    root = tree(tmp_path, dict.fromkeys(names, ""))
    (root / os.fsdecode(b"s\xff.yaml")).write_text("")  # a name that is not UTF-8
    default = discover(root, ALL, ())
    assert default == discover(root, ("*.yaml", "*.yml"), ())
    assert default == discover(root, ("**/*.yaml", "**/*.yml", "!never"), ())
    assert "deep/er/h.yaml" in default[0] and "c.YAML" not in default[0]
    assert "dir.yaml/j.txt" in default[0]  # as in a .gitignore: the folder's name matches


def test_the_default_include_does_not_import_the_pattern_matcher(tmp_path: Path) -> None:
    root = tree(tmp_path, {"a.yaml": "", "b/c.yml": ""})
    code = (
        "import sys; from pathlib import Path;"
        "from socialgov.source.discovery import discover, DEFAULT_INCLUDE;"
        f"print(discover(Path({str(root)!r}), DEFAULT_INCLUDE, ())[0], 'pathspec' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split("]")[1].strip() == "False", done.stdout
    for exclude, imports in (("'x/**', '*.bak.yaml'", "False"), ("'x/*.yaml',", "True")):
        code_excluding = code.replace("DEFAULT_INCLUDE, ()", f"DEFAULT_INCLUDE, ({exclude})")
        done = subprocess.run(
            [sys.executable, "-c", code_excluding],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        assert done.stdout.split("]")[1].strip() == imports, (exclude, done.stdout)


_PARTS = ["drafts", "draft", "drafts.yaml", "archive", "a", "b", "old", "x.bak.yaml", "templates"]
_LEAVES = [
    "a.yaml",
    "b.yml",
    "c.bak.yaml",
    "drafts",
    "old.yaml",
    "d.txt",
    "archive.yml",
    ".bak.yaml",
]


def _plain_pattern_cases(rng: random.Random) -> list[str]:
    """Patterns of the shapes answered without pathspec, over the tree's own names."""

    def body() -> str:
        return "/".join(rng.choice(_PARTS) for _ in range(rng.choice((1, 1, 1, 2))))

    shapes = [
        lambda: f"{body()}/**",
        lambda: f"/{body()}/**",
        lambda: f"**/{body()}/**",
        lambda: f"{body()}/",
        lambda: f"/{body()}/",
        lambda: f"**/{body()}/",
        lambda: body(),
        lambda: f"/{body()}",
        lambda: f"**/{body()}",
        lambda: "*" + rng.choice([".yaml", ".yml", ".bak.yaml", "s", "yaml", ".txt"]),
        lambda: "**/*" + rng.choice([".yaml", ".bak.yaml", "ts"]),
    ]
    return [rng.choice(shapes)() for _ in range(rng.choice((1, 1, 2, 3)))]


def test_plain_patterns_select_what_the_pattern_matcher_selects(tmp_path: Path) -> None:
    """Folders and endings named literally (``drafts/**``, ``/archive/``, ``*.bak.yaml``) are
    answered without pathspec: the same files as pathspec itself selects, which it does when
    the list also holds a pattern only it reads (``zz[0]``, matching nothing here)."""
    rng = random.Random(18)
    files: dict[str, str] = {}
    folders: set[str] = set()
    for _ in range(160):
        parts = [rng.choice(_PARTS) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
        relpath = "/".join([*parts, rng.choice(_LEAVES)])
        above = {"/".join(parts[:i]) for i in range(1, len(parts) + 1)}
        if relpath not in folders and not above & files.keys():  # a name is a file or a folder
            files[relpath] = ""
            folders |= above
    entries = walk(tree(tmp_path, files))  # what discover() walks, chosen from 800 times
    compared = 0
    for _ in range(400):
        include = _plain_pattern_cases(rng) if rng.random() < 0.3 else list(ALL)
        exclude = _plain_pattern_cases(rng)
        plain = select(entries, include, exclude)
        matcher = select(entries, [*include, "zz[0]"], [*exclude, "zz[0]"])
        assert plain == matcher, (include, exclude)
        compared += len(plain[0])
    assert compared > 5_000  # the patterns selected files, not nothing


def test_symlink_to_a_file_outside_the_root_is_a_finding_and_not_read(tmp_path: Path) -> None:
    outside = tree(tmp_path / "outside", {"secret.yaml": "password: hunter2\n"})
    root = tree(tmp_path / "repo", {"ok.yaml": ""})
    (root / "leak.yaml").symlink_to(outside / "secret.yaml")
    (root / "README.md").symlink_to(outside / "secret.yaml")  # not YAML: not our concern
    files, found = problems(root)
    assert files == ["ok.yaml"]
    assert found == [("leak.yaml", found[0][1])]
    assert "leads outside the repository and is not followed" in found[0][1]


def test_symlink_to_a_folder_outside_the_root_is_a_finding_unless_excluded(tmp_path: Path) -> None:
    outside = tree(tmp_path / "outside", {"x.yaml": ""})
    root = tree(tmp_path / "repo", {"ok.yaml": ""})
    (root / "vendor").symlink_to(outside, target_is_directory=True)
    files, found = problems(root)
    assert files == ["ok.yaml"] and [path for path, _ in found] == ["vendor"]
    assert problems(root, exclude=("vendor/",)) == (["ok.yaml"], [])


def test_symlink_loops_are_findings(tmp_path: Path, time_limit: TimeLimit) -> None:
    root = tree(tmp_path / "repo", {"a/x.yaml": ""})
    (root / "a" / "up").symlink_to(root, target_is_directory=True)
    (root / "self.yaml").symlink_to(root / "self.yaml")
    (root / "ping.yaml").symlink_to(root / "pong.yaml")
    (root / "pong.yaml").symlink_to(root / "ping.yaml")
    with time_limit(10):
        files, found = problems(root)
    assert files == ["a/x.yaml"]
    assert [path for path, _ in found] == ["a/up", "ping.yaml", "pong.yaml", "self.yaml"]
    assert "a loop" in found[0][1]
    assert all("points to nothing, or to itself through a loop" in m for _, m in found[1:])


def test_dangling_symlink_is_a_finding_only_for_a_yaml_name(tmp_path: Path) -> None:
    root = tree(tmp_path / "repo", {"ok.yaml": ""})
    (root / "gone.yaml").symlink_to(root / "missing.yaml")
    (root / "gone-folder").symlink_to(root / "missing", target_is_directory=True)
    assert problems(root)[1] == [("gone.yaml", problems(root)[1][0][1])]


def test_links_inside_the_root_read_each_file_once(tmp_path: Path) -> None:
    root = tree(tmp_path / "repo", {"v2/a.yaml": "", "v2/b.yaml": "", ".private/c.yaml": ""})
    (root / "current").symlink_to(root / "v2", target_is_directory=True)
    (root / "alias.yaml").symlink_to(root / "v2" / "a.yaml")
    (root / "c.yaml").symlink_to(root / ".private" / "c.yaml")
    assert problems(root) == (["c.yaml", "v2/a.yaml", "v2/b.yaml"], [])


def test_fifo_named_yaml_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    root = tree(tmp_path / "repo", {"ok.yaml": ""})
    os.mkfifo(root / "pipe.yaml")
    (root / "link.yaml").symlink_to(root / "pipe.yaml")
    files, found = problems(root)
    assert files == ["ok.yaml"]
    assert [path for path, _ in found] == ["link.yaml", "pipe.yaml"]
    assert all("not a regular file" in message for _, message in found)


def test_unreadable_folder_is_a_finding_and_the_rest_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree(tmp_path / "repo", {"locked/x.yaml": "", "open/y.yaml": ""})
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, found = problems(root)
    assert files == ["open/y.yaml"]
    assert found == [("locked", found[0][1])]
    assert "cannot read the folder: Permission denied" in found[0][1]


def test_deep_folder_tree_needs_no_recursion(tmp_path: Path) -> None:
    deep = tmp_path / "repo"
    parts = ["d"] * (sys.getrecursionlimit() + 100)
    folders = [deep]
    for part in parts:  # one level at a time: Path.mkdir(parents=True) recurses
        folders.append(folders[-1] / part)
    try:
        for folder in folders:
            folder.mkdir()
        (folders[-1] / "x.yaml").write_text("")
        files, found = discover(deep, ALL, ())
        assert files == ["/".join([*parts, "x.yaml"])] and found == []
    finally:  # shutil.rmtree, which pytest cleans up with, recurses too
        (folders[-1] / "x.yaml").unlink(missing_ok=True)
        for folder in reversed(folders):
            if folder.exists():
                folder.rmdir()


def test_discovery_stops_after_max_files(tmp_path: Path) -> None:
    root = tree(tmp_path, {f"f{i}.yaml": "" for i in range(20)})
    files, _ = discover(root, ALL, (), max_files=5)
    assert len(files) == 6


def test_subtree_keeps_positions_relative_to_the_nested_node() -> None:
    doc = parse_text(
        "rules:\n  - id: r\n    tests:\n      - {id: a, kind: Team}\n", "r.yaml"
    ).documents[0]
    sub = doc.source_map.subtree(("rules", 0, "tests", 0))
    assert sub.locate(("kind",)) == Position(4, 23)
    assert sub.locate(("missing",)) == Position(4, 9)
    assert doc.source_map.subtree(("nothing", 3)).locate(()) == Position(1, 1)


def test_a_syntax_error_at_the_end_of_a_file_without_a_final_line_break_is_inside_it() -> None:
    # libyaml points at the line after the last one; editors cannot go there.
    assert only_finding(parse("a: 1\nb: ["))[:2] == (2, 5)
    assert only_finding(parse("a: 1\nb: [\n"))[:2] == (3, 1)


def test_a_parsed_file_counts_the_nodes_of_the_documents_it_keeps() -> None:
    assert parse("a: &x [1, 2]\nb: [*x, *x]\n").nodes == 13  # mapping, 2 keys, 3, 1 + 3 + 3
    assert parse("[1]\n---\n[*nowhere]\n").nodes == 2  # the dropped document cost nothing


@pytest.mark.parametrize(
    "char",
    ["\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\x84", "\x86", "\x9f", "\ufffe", "\uffff"],
)
def test_a_character_yaml_leaves_out_is_named_in_the_finding(char: str) -> None:
    """The edges of YAML's character set (https://yaml.org/spec/1.2.2/#51-character-set; a
    surrogate cannot reach the parser: its UTF-8 bytes do not decode, which is its own finding)."""
    [(line, column, message)] = [only_finding(parse(f'a: "x{char}y"\n'))]
    assert (line, column) == (1, 6)
    assert f"U+{ord(char):04X}" in message


@pytest.mark.parametrize(
    "char", ["~", "\x85", "\xa0", "\ud7ff", "\ue000", "\ufffd", "\U00010000", "\U0010ffff"]
)
def test_a_character_yaml_allows_reads_without_a_finding(char: str) -> None:
    parsed = parse(f'a: "x{char}y"\n')
    assert parsed.findings == []
    assert parsed.documents[0].data["a"].startswith("x")


def test_pyyaml_s_reader_finds_the_characters_yaml_does_not_allow_as_its_own_pattern_does() -> None:
    """The exact parser hands PyYAML's reader the loader's compiled pattern (cheaper to compile)
    under the text of PyYAML's own: both must find exactly the same characters, all of them."""
    code = """
import ast, re, sys
import socialgov.source.events
from socialgov.source import loader
import yaml.reader

tree = ast.parse(open(yaml.reader.__file__, encoding="utf-8").read())
text, = [
    node.value.args[0].value
    for node in ast.walk(tree)
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "NON_PRINTABLE"
]
taken = yaml.reader.Reader.NON_PRINTABLE
own = re.compile(text, re.UNICODE)  # other flags than PyYAML's: compiled again, not the one kept
every = "".join(map(chr, range(0x110000)))
print(taken is loader._NOT_PRINTABLE, own is not taken)
print([m.start() for m in taken.finditer(every)] == [m.start() for m in own.finditer(every)])
print(len(own.findall(every)))
"""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split() == ["True", "True", "True", str(61 + 2048 + 2)], done.stdout
    # And PyYAML's own pure-Python reader, with that pattern, still refuses a control character.
    import yaml
    from yaml.reader import Reader

    with pytest.raises(yaml.YAMLError, match="special characters are not allowed"):
        Reader("a: \x07\n")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_merge_conflict_left_in_a_file_is_named_at_its_first_marker(newline: str) -> None:
    """git's markers make the file invalid YAML a line or two later; the finding says what
    happened, at the '<<<<<<<' line, rather than the parser's complaint where it gave up."""
    text = (
        "accounts:\n  - id: b-x\n    platform: x\n<<<<<<< HEAD\n    handle: acmeb\n=======\n"
        "    handle: acme-b\n>>>>>>> feature/rename\n"
    ).replace("\n", newline)
    parsed = parse_text(text, "accounts/a.yaml")
    assert [(f.code, f.line, f.column) for f in parsed.findings] == [("SG100", 4, 1)]
    assert "merge conflict is left in the file" in parsed.findings[0].message
    assert "delete the other side and the three marker lines" in parsed.findings[0].message
    # a syntax error before the conflict is that error; markers that are not a conflict are text
    broken_first = text.replace("platform: x", "platform: x: y", 1)
    assert "merge conflict" not in parse_text(broken_first, "a.yaml").findings[0].message
    no_end = text.replace(">>>>>>> feature/rename", "    x: y", 1)
    assert "merge conflict" not in parse_text(no_end, "a.yaml").findings[0].message
    in_text = "note: |\n  <<<<<<< a\n  =======\n  >>>>>>> b\n"
    assert parse_text(in_text, "a.yaml").findings == []
