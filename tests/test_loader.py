"""Loading: discovery, parsing with source positions, duplicate keys, syntax errors, dates."""

from __future__ import annotations

import codecs
from pathlib import Path

from socialgov.findings import Position
from socialgov.loader import decode, discover, load_file, parse_text


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
    assert files == ["alias.yaml", "inside.yaml"]
    assert [(p.path, p.code) for p in problems] == [("link.yaml", "SG100")]
    assert "outside the repository" in problems[0].message


def test_syntax_errors_say_what_to_do() -> None:
    tab = parse_text("a:\n\t- x\n", "t.yaml").findings[0]
    assert "replace it with spaces" in tab.message
    quote = parse_text('a: "open\nb: 2\n', "q.yaml").findings[0]
    assert "add the closing quote" in quote.message
