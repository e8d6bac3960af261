"""The writer: round-trip editing that loses nothing, atomic writes, changed-on-disk refusal."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from socialgov.core import files
from socialgov.core.files import FileChangedError, write_atomic
from socialgov.writing import writer
from socialgov.writing.writer import (
    Style,
    YamlReadError,
    detect_style,
    dump_documents,
    load_documents,
    own_key,
    read_yaml,
    render_new,
    set_value,
    splice,
)

CORPUS = Path(__file__).parent / "data" / "writer"
CORPUS_FILES = sorted(CORPUS.glob("*.yaml"))

# Files whose every line ruamel.yaml itself writes back as it was, with the detected style.
# The others hold what ruamel.yaml normalises (a comment above the first ---, an explicit ...,
# an anchor on a list item, \u escapes, ~); there the splice keeps the original lines.
RUAMEL_EXACT = {"comments.yaml", "indent4.yaml", "sequences0.yaml", "styles.yaml"}


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copyfile(CORPUS / name, target)
    return target


def changes(before: str, after: str) -> list[str]:
    """The lines that differ, as ndiff shows them ('- old' and '+ new')."""
    return [
        line.rstrip("\n")
        for line in difflib.ndiff(before.splitlines(True), after.splitlines(True))
        if line.startswith(("- ", "+ "))
    ]


def test_corpus_is_not_trivial() -> None:
    assert {p.name for p in CORPUS_FILES} >= RUAMEL_EXACT | {
        "anchors.yaml",
        "multidoc.yaml",
        "quoting.yaml",
    }


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_unedited_file_renders_byte_identical(path: Path) -> None:
    opened = read_yaml(path)
    assert opened.render().encode("utf-8") == path.read_bytes()
    assert not opened.changed
    assert opened.diff() == ""


@pytest.mark.parametrize("name", sorted(RUAMEL_EXACT))
def test_detected_style_lets_ruamel_write_the_file_back_exactly(name: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    style = detect_style(text)
    assert dump_documents(load_documents(text, style), style) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n  b: 1\nl:\n  - x\n", Style(2, 4, 2)),
        ("a:\n    b: 1\nl:\n-   x\n", Style(4, 4, 0)),
        ("l:\n- x\n", Style(2, 2, 0)),
        ("---\na: 1\n", Style(explicit_start=True)),
        ("# c\n--- # doc\na: 1\n", Style(explicit_start=True)),
        ("a: 1\r\nb: 2\r\n", Style(newline="\r\n")),
        ("\ufeffa: 1\n", Style(bom=True)),
        ("k: |\n    text\nm:\n   n: 1\n", Style(3, 5, 3)),
    ],
)
def test_detect_style(text: str, expected: Style) -> None:
    assert detect_style(text) == expected


def test_edit_changes_only_the_edited_line_and_keeps_comments(tmp_path: Path) -> None:
    path = copy("comments.yaml", tmp_path)
    before = path.read_text(encoding="utf-8")
    opened = read_yaml(path)
    account = opened.documents[0]["accounts"][0]
    set_value(account, "owner", "asmith")
    assert opened.save() is True
    after = path.read_text(encoding="utf-8")
    assert changes(before, after) == ["-     owner: jdoe", "+     owner: asmith"]


def test_edit_in_a_file_ruamel_would_reformat_keeps_every_other_line(tmp_path: Path) -> None:
    path = copy("multidoc.yaml", tmp_path)
    before = path.read_text(encoding="utf-8")
    opened = read_yaml(path)
    set_value(opened.documents[1], "employment", "full_time")
    opened.save()
    after = path.read_text(encoding="utf-8")
    assert changes(before, after) == ["- employment: contractor", "+ employment: full_time"]
    assert after.startswith("# People of the service team, one document each.\n---\n")
    assert "\n...\n" in after


def test_quoting_style_of_an_edited_value_is_kept(tmp_path: Path) -> None:
    path = copy("quoting.yaml", tmp_path)
    before = path.read_text(encoding="utf-8")
    opened = read_yaml(path)
    set_value(opened.documents[0], "handle", "Acme_Support")
    set_value(opened.documents[0], "platform", "instagram")
    opened.save()
    assert sorted(changes(before, path.read_text(encoding="utf-8"))) == [
        '+ handle: "Acme_Support"',
        "+ platform: 'instagram'",
        '- handle: "@Acme_Support"',
        "- platform: 'x'",
    ]


def test_new_key_goes_after_its_neighbour_in_block_and_flow_mappings(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "accounts:\n"
        "  - id: a   # first\n"
        "    platform: x\n"
        "    handle: acme\n"
        "    owner: jdoe\n"
        "  - {id: b, platform: x, handle: acme2, owner: jdoe}\n",
        encoding="utf-8",
    )
    opened = read_yaml(path)
    for account in opened.documents[0]["accounts"]:
        set_value(account, "url", f"https://x.com/{account['handle']}", after=["handle"])
    opened.save()
    assert path.read_text(encoding="utf-8") == (
        "accounts:\n"
        "  - id: a   # first\n"
        "    platform: x\n"
        "    handle: acme\n"
        "    url: https://x.com/acme\n"
        "    owner: jdoe\n"
        "  - {id: b, platform: x, handle: acme2, url: https://x.com/acme2, owner: jdoe}\n"
    )


def test_anchors_aliases_and_merge_keys_survive_an_edit(tmp_path: Path) -> None:
    path = copy("anchors.yaml", tmp_path)
    before = path.read_text(encoding="utf-8")
    opened = read_yaml(path)
    accounts = opened.documents[0]["accounts"]
    set_value(accounts[2], "handle", "acme.ig")
    opened.save()
    after = path.read_text(encoding="utf-8")
    assert changes(before, after) == ["-     handle: acme", "+     handle: acme.ig"]
    data = yaml.safe_load(after)
    assert data["accounts"][0]["owner"] == "jdoe"  # the merge still resolves
    assert data["accounts"][2]["tags"] == ["flagship", "emea"]  # and the alias


def test_own_key_tells_merged_keys_apart() -> None:
    opened = writer.parse_yaml(Path("anchors.yaml"), (CORPUS / "anchors.yaml").read_bytes())
    account = opened.documents[0]["accounts"][0]
    assert own_key(account, "platform")
    assert "owner" in account and not own_key(account, "owner")
    assert not own_key(account, "missing")


def test_flow_and_block_styles_survive_an_edit(tmp_path: Path) -> None:
    path = copy("styles.yaml", tmp_path)
    before = path.read_text(encoding="utf-8")
    opened = read_yaml(path)
    opened.documents[0]["handoffs"][0]["to"] = "pr"
    opened.documents[0]["follow_up"]["communicate_to"].append("legal")
    opened.save()
    assert changes(before, path.read_text(encoding="utf-8")) == [
        '-   - {scenario: crisis, from: care, to: comms, trigger: "A post about safety", '
        "before: Hold, expect: Statement}",
        '+   - {scenario: crisis, from: care, to: pr, trigger: "A post about safety", '
        "before: Hold, expect: Statement}",
        "-   communicate_to: [care, comms]",
        "+   communicate_to: [care, comms, legal]",
    ]


def test_four_space_and_zero_offset_indentation_is_kept(tmp_path: Path) -> None:
    for name, field, value in (("indent4.yaml", "lead", "bwong"), ("sequences0.yaml", "id", "x")):
        path = copy(name, tmp_path)
        before = path.read_text(encoding="utf-8")
        opened = read_yaml(path)
        first = opened.documents[0][next(iter(opened.documents[0]))][0]
        set_value(first, field, value)
        opened.save()
        diff = changes(before, path.read_text(encoding="utf-8"))
        assert len(diff) == 2 and diff[1].endswith(f"{field}: {value}"), diff


def test_mixed_indentation_falls_back_to_a_full_rendering_that_keeps_data_and_comments(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text(
        "people:\n  - id: a  # keep me\n    employment: full_time\n"
        "teams:\n- id: t\n  function: pr\n",
        encoding="utf-8",
    )
    opened = read_yaml(path)
    opened.documents[0]["teams"][0]["function"] = "legal"
    opened.save()
    text = path.read_text(encoding="utf-8")
    assert "# keep me" in text
    assert yaml.safe_load(text) == {
        "people": [{"id": "a", "employment": "full_time"}],
        "teams": [{"id": "t", "function": "legal"}],
    }


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "win.yaml"
    path.write_bytes(b"\xef\xbb\xbfkind: Person\r\nid: jdoe  # me\r\nemployment: intern\r\n")
    opened = read_yaml(path)
    set_value(opened.documents[0], "employment", "full_time")
    opened.save()
    assert path.read_bytes() == (
        b"\xef\xbb\xbfkind: Person\r\nid: jdoe  # me\r\nemployment: full_time\r\n"
    )


def test_diff_is_unified_and_writes_nothing(tmp_path: Path) -> None:
    path = copy("comments.yaml", tmp_path)
    before = path.read_bytes()
    opened = read_yaml(path)
    set_value(opened.documents[0]["accounts"][1], "handle", "acmesupport")
    diff = opened.diff("accounts/comments.yaml")
    assert diff.startswith("--- a/accounts/comments.yaml\n+++ b/accounts/comments.yaml\n@@ ")
    assert "-    handle: acme.support\n+    handle: acmesupport\n" in diff
    assert path.read_bytes() == before


def test_splice_refuses_what_it_cannot_place() -> None:
    assert splice("a: 1\n", "a: 1\n", "a: 2\n") == "a: 2\n"
    assert splice("a:  1\nb: 2\n", "a: 1\nb: 2\n", "a: 1\nb: 3\n") == "a:  1\nb: 3\n"
    # the changed line itself is written differently in the original: no safe place
    assert splice("a:  1\nb: 2\n", "a: 1\nb: 2\n", "a: 5\nb: 2\n") is None


def test_render_new_writes_a_header_and_default_style() -> None:
    text = render_new([{"accounts": [{"id": "a", "tags": ["x"]}]}], header="Made by a test.")
    assert text == "# Made by a test.\n\naccounts:\n  - id: a\n    tags:\n      - x\n"


# ----------------------------------------------------------------------------- atomicity


def test_write_atomic_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, "a: 2\n")
    assert path.read_text(encoding="utf-8") == "a: 2\n"
    assert path.stat().st_mode & 0o777 == 0o640


def test_write_atomic_gives_a_new_file_the_usual_permissions(tmp_path: Path) -> None:
    """A new report or YAML file is readable as any file the user creates, not owner-only."""
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.html", "<html></html>")
        os.umask(0o077)
        write_atomic(tmp_path / "private.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "private.json").stat().st_mode & 0o777 == 0o600


def test_failure_mid_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy("comments.yaml", tmp_path)
    before = path.read_bytes()
    opened = read_yaml(path)
    set_value(opened.documents[0]["accounts"][0], "owner", "asmith")
    real_fdopen = os.fdopen

    class Exploding:
        """A file object that writes half of the text, then fails like a full disk."""

        def __init__(self, handle: object) -> None:
            self.handle = handle

        def __enter__(self) -> Exploding:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()  # type: ignore[attr-defined]

        def write(self, text: str) -> int:
            self.handle.write(text[: len(text) // 2])  # type: ignore[attr-defined]
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", lambda fd, *a, **k: Exploding(real_fdopen(fd, *a, **k)))
    with pytest.raises(OSError, match="No space left"):
        opened.save()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comments.yaml"]


def test_failure_at_rename_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "a: 2\n")
    assert path.read_text(encoding="utf-8") == "a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = copy("comments.yaml", tmp_path)
    opened = read_yaml(path)
    set_value(opened.documents[0]["accounts"][0], "owner", "asmith")
    path.write_text("# someone else's edit\n", encoding="utf-8")
    with pytest.raises(FileChangedError, match="changed on disk"):
        opened.save()
    assert path.read_text(encoding="utf-8") == "# someone else's edit\n"
    assert [p.name for p in tmp_path.iterdir()] == ["comments.yaml"]


def test_creating_a_file_refuses_when_one_appeared_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    with pytest.raises(FileChangedError):
        write_atomic(path, "b: 2\n", expected=files.ABSENT)
    assert path.read_text(encoding="utf-8") == "a: 1\n"


# ----------------------------------------------------------------------------- bad input


def test_invalid_yaml_is_reported_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [unclosed\n", encoding="utf-8")
    with pytest.raises(YamlReadError) as info:
        read_yaml(path)
    assert info.value.line == 3 and "cannot edit invalid YAML" in str(info.value)


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(YamlReadError, match=r"dup.yaml:2:1: .*duplicate key"):
        read_yaml(path)


def test_non_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Zürich\n".encode("latin-1"))
    with pytest.raises(YamlReadError, match=r"not valid UTF-8.*0xfc"):
        read_yaml(path)


def test_ruamel_is_not_imported_by_linting(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "socialgov.yaml").write_text("organisation: T\n", encoding="utf-8")
    code = (
        "import sys; from socialgov.cli import main; main(['lint', '--root', sys.argv[1]]); "
        "print('ruamel' in ' '.join(sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "src")}
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, env=env
    )
    assert out.stdout.strip().endswith("False"), out.stdout + out.stderr


def test_render_new_quotes_words_yaml_1_1_reads_as_booleans() -> None:
    text = render_new([{"labels": {"a": "yes", "b": "Off", "c": "no way", "d": "~"}}])
    assert text == "labels:\n  a: 'yes'\n  b: 'Off'\n  c: no way\n  d: '~'\n"
    assert yaml.safe_load(text) == {"labels": {"a": "yes", "b": "Off", "c": "no way", "d": "~"}}


def test_a_value_that_cannot_be_read_is_found_beside_an_alias_inside_itself() -> None:
    """The value ruamel.yaml cannot construct is found by walking the file's nodes again; an
    alias inside the node it names (which ruamel.yaml reads) must not make that walk endless.
    Run in a child process so that an endless walk fails the test instead of hanging it."""
    import subprocess
    import sys

    script = (
        "from pathlib import Path\n"
        "from socialgov.writing.writer import YamlReadError, parse_yaml\n"
        "text = b'loop: &r\\n  - *r\\naccounts:\\n  - id: a\\n    created: 2026-02-30\\n'\n"
        "try:\n"
        "    parse_yaml(Path('a.yaml'), text)\n"
        "except YamlReadError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == (
        "a.yaml:5:14: cannot edit the file: the value '2026-02-30' cannot be read (day is out "
        "of range for month); correct or quote it and run again"
    ), done.stderr
