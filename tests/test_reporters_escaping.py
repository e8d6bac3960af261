"""Every report format carries hostile text from the repository without breaking or injecting.

One repository puts terminal escape sequences, bidirectional controls, characters XML 1.0
forbids, markup, quotes, line breaks, workflow-command separators and spreadsheet formulas into
file names, ids, names, references and values. Each lint format and each audit format is then
parsed the way its consumer parses it, and checked to hold the text as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import AS_OF
from socialgov.cli import LINT_FORMATS, main

# Characters no report may print raw: C0 controls but tab and line feed, DEL and C1 controls
# (ESC and U+009B start terminal escape sequences), line and paragraph separators, and the
# bidirectional controls of "Trojan Source".
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)
# Characters XML 1.0 cannot hold at all, even escaped.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# The same hostile text in YAML double-quoted form (\e is ESC, \a BEL, \0 NUL, \v vertical tab).
HOSTILE = (
    "\\e[2J\\e]0;pwned\\a\\x9b31m\\u202eexe.txt\\u2066 \\0\\v\\uFFFE "
    '<script>alert(1)</script> ]]> &amp; \\" onmouseover=\\"alert(1) '
    "%0A::error::forged\\r\\nforged line | `*x*` @octocat =HYPERLINK(1)"
)
FORMULA = ("=HYPERLINK(1)", "+1+2", "-2+3", "@SUM(A1)", "\\tTAB", "\\rCR")
FILE_NAME = "acc<&>\"'%0A,: \x1b[31m"  # a file name holds anything but / and NUL


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    root = tmp_path / "checkout" / "policy"
    root.mkdir(parents=True)
    (root.parent / ".git").mkdir()
    (root / "socialgov.yaml").write_text('organisation: "Acme ' + HOSTILE + '"\n')
    (root / "people.yaml").write_text(
        'people:\n  - {id: jdoe, employment: full_time, name: "' + HOSTILE + '"}\n'
    )
    accounts = ["accounts:"]
    for index, formula in enumerate(FORMULA):
        accounts += [
            f"  - id: acct-{index}",
            "    platform: x",
            f'    handle: "{formula}"',
            f'    name: "{formula} {HOSTILE}"',
            '    owner: "' + HOSTILE + '"',
            f'    audience: "{formula}"',
            f'    topic: "{formula}"',
            "    purpose: service",
            f'    terms: {{hours: "{formula} {HOSTILE}"}}',
        ]
    (root / f"{FILE_NAME}.yaml").write_text("\n".join(accounts) + "\n")
    (root / "broken.yaml").write_text('kind: Team\nid: "' + HOSTILE + '"\nlaed: x\n')
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) in (0, 1)
    out, err = capsys.readouterr()
    assert err == ""
    return out


def lint_output(root: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    return run(["lint", "--root", str(root), "--as-of", AS_OF.isoformat(), "--format", fmt], capsys)


def audit_output(root: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    return run(
        ["audit", "--root", str(root), "--as-of", AS_OF.isoformat(), "--format", fmt], capsys
    )


@pytest.mark.parametrize("fmt", LINT_FORMATS)
def test_no_lint_format_prints_raw_control_characters(
    fmt: str, hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = lint_output(hostile_repo, fmt, capsys)
    assert "pwned" in out  # the hostile text is reported...
    assert RAW_CONTROL.findall(out) == []  # ... with every control character made visible


def test_text_keeps_one_line_per_finding(
    hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = lint_output(hostile_repo, "text", capsys).splitlines()
    assert lines[-1].startswith("Found ")
    assert not any(line.startswith(("forged", "::", "%0A")) for line in lines)
    assert all(
        re.match(r"^.+:\d+:\d+: SG\d{3} \[(error|warning|info)\] ", line) for line in lines[:-1]
    )


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_parse_back_to_the_repository_text(
    fmt: str, hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(lint_output(hostile_repo, fmt, capsys))
    text = json.dumps(data, ensure_ascii=False)
    # The decoded report holds the very characters the repository holds.
    assert "\x1b[2J" in text or "\\u001b[2J" in text
    assert "\u202eexe.txt" in text


@pytest.mark.parametrize("fmt", ["junit", "checkstyle"])
def test_xml_formats_are_well_formed_and_hold_the_text_as_text(
    fmt: str, hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = lint_output(hostile_repo, fmt, capsys)
    assert NOT_XML.findall(out) == []
    tree = ElementTree.fromstring(out.encode("utf-8"))
    assert tree.find(".//script") is None  # markup from the repository stays text
    texts = " ".join(
        [*(value for element in tree.iter() for value in element.attrib.values())]
        + [element.text or "" for element in tree.iter()]
    )
    assert "<script>alert(1)</script>" in texts and "]]>" in texts
    assert "\\x1b[2J" in texts and "\\u202eexe.txt" in texts and "\\x00\\x0b\\ufffe" in texts


def test_github_annotations_cannot_forge_commands(
    hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = lint_output(hostile_repo, "github", capsys).splitlines()
    assert lines
    for line in lines:
        match = re.fullmatch(r"::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)", line)
        assert match, line
        for prop in match["props"].split(","):
            name, _, value = prop.partition("=")
            assert name in ("file", "line", "col", "title") and "," not in value
    assert any("%250A::error::forged%0D%0Aforged line" in line for line in lines)


def test_audit_csv_neutralises_formulas(
    hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = audit_output(hostile_repo, "csv", capsys)
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) == 1 + len(FORMULA)
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert re.fullmatch(r"-?\d+", cell), cell  # only plain numbers may start so
    handles = {row[rows[0].index("handle")] for row in rows[1:]}
    assert handles == {"'=HYPERLINK(1)", "'+1+2", "'-2+3", "'@SUM(A1)", "'\tTAB", "'\\x0dCR"}
    assert RAW_CONTROL.findall(out.replace("\r\n", "\n")) == []


def test_audit_html_escapes_everything(
    hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = audit_output(hostile_repo, "html", capsys)
    assert "<script" not in out.lower()
    assert 'onmouseover="alert' not in out and "onmouseover=&#34;alert" in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert RAW_CONTROL.findall(out) == []


def test_audit_markdown_keeps_text_as_text(
    hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = audit_output(hostile_repo, "markdown", capsys)
    assert "<script" not in out and "&lt;script&gt;" in out
    assert "@octocat" not in out  # a handle never notifies a GitHub user
    assert RAW_CONTROL.findall(out) == []
    for line in out.splitlines():
        assert not line.startswith("forged")


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_audit_terminal_and_json(
    fmt: str, hostile_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = audit_output(hostile_repo, fmt, capsys)
    assert RAW_CONTROL.findall(out) == []
    if fmt == "json":
        assert "\u202eexe.txt" in json.dumps(json.loads(out), ensure_ascii=False)
    else:
        assert not any(line.startswith("forged") for line in out.splitlines())


# --------------------------------------------------------------------------- the helpers


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # CSI
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # OSC, ended by BEL
        ("\x1b]8;;http://evil\x1b\\link", "\\x1b]8;;http://evil\\x1b\\link"),  # OSC 8 hyperlink
        ("\x9b31m\x9d0;t\x9c", "\\x9b31m\\x9d0;t\\x9c"),  # the one-character C1 forms
        ("a\x7fb\x00c\x08d\re", "a\\x7fb\\x00c\\x08d\\x0de"),
        ("user\u202egnp.exe", "user\\u202egnp.exe"),  # RIGHT-TO-LEFT OVERRIDE
        (
            "\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d",
            "\\u2066\\u2067\\u2068\\u2069\\u202a\\u202b\\u202c\\u202d",
        ),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("tab\tand\nline", "tab\tand\nline"),  # kept: they do not move the cursor elsewhere
        ("café ✓ 👩‍👩‍👧 Ünïcødé", "café ✓ 👩‍👩‍👧 Ünïcødé"),  # ordinary text, emoji joiners too
    ],
)
def test_terminal_safe(text: str, shown: str) -> None:
    from socialgov.core.escape import terminal_safe

    assert terminal_safe(text) == shown


@pytest.mark.parametrize(
    ("char", "kept"),
    [(c, True) for c in ("\t", "\n", " ", "\ud7ff", "\ue000", "\ufffd", "\U00010000")]
    + [("\U0010ffff", True)]
    + [(c, False) for c in ("\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ud800", "\udfff")]
    + [("\ufffe", False), ("\uffff", False)],
)
def test_xml_safe_keeps_exactly_the_characters_xml_allows(char: str, kept: bool) -> None:
    """The edges of XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] | ...)."""
    from socialgov.core.escape import xml_safe

    assert (xml_safe(f"a{char}b") == f"a{char}b") is kept


def test_one_line_json_text_and_xml_safe() -> None:
    from socialgov.core.escape import json_text, one_line, xml_safe

    assert one_line("a\r\nb\nc\x1b") == "a\\nb\\nc\\x1b"
    data = {"k": "\x1b\x9b\u202e\u2028\x7f\n"}
    text = json_text(data)
    assert RAW_CONTROL.findall(text) == [] and json.loads(text) == data
    assert xml_safe("\x00\x0b\ufffe\uffff\ud800\x9b\u202e<&>\t\n") == (
        "\\x00\\x0b\\ufffe\\uffff\\ud800\\x9b\\u202e<&>\t\n"
    )


@pytest.mark.parametrize("code", range(128))
def test_one_line_shows_every_ascii_character_as_terminal_safe_does(code: int) -> None:
    """Plain ASCII text is returned as it is only when nothing in it needs showing: each ASCII
    character, alone and beside a GitHub command's ``##[``, as the full escaping shows it."""
    from socialgov.core.escape import one_line, terminal_safe

    for text in (f"a{chr(code)}b", f"##{chr(code)}", f"{chr(code)}#[x"):
        assert one_line(text) == terminal_safe(text.replace("\n", "\\n"))


def test_one_lines_is_one_line_of_each_told_from_their_join() -> None:
    """A list of texts is made safe as each text alone would be: the list itself when all are
    printable ASCII without ``##[`` (told from their join), else each shown as one_line shows it,
    a join whose ``##[`` spans two texts (neither holds it) alike."""
    from socialgov.core.escape import one_line, one_lines

    plain = ["a message", "", "x ~ y", "#", "# [", "#[x]"]
    assert one_lines(plain) is plain
    spanning = ["ends ##", "[starts", "plain"]
    assert one_lines(spanning) == spanning
    for code in [*range(128), 0x85, 0xE9, 0x2028, 0x202E, 0xD800]:
        for texts in (
            [f"a{chr(code)}b", "plain"],
            ["plain", f"##{chr(code)}", "z"],
            [f"{chr(code)}#[x", "#", "#[", "##", "["],
        ):
            assert one_lines(texts) == [one_line(text) for text in texts], (code, texts)


@pytest.mark.parametrize("code", [*range(128), 0x85, 0xE9, 0x2028, 0x202E, 0xD800])
def test_a_long_text_is_shown_as_it_is_exactly_when_a_short_one_would_be(code: int) -> None:
    """A text past ``escape._LONG`` characters (a thousand messages joined) has its control
    characters searched for one by one, a shorter one a byte at a time: either is returned as
    it is when it is printable ASCII without ``##[`` (the plain reading), and else shown as the
    full escaping shows it, whatever the character and wherever it stands (first, in the
    middle, last, beside a ``##``)."""
    from socialgov.core import escape
    from socialgov.core.escape import one_line, one_lines, terminal_safe

    char = chr(code)
    for size in (escape._LONG - 10, escape._LONG, escape._LONG + 1, 3 * escape._LONG):
        for at in (0, size // 2, size - 1):
            base = ("plain text # [x] ~ " * (size // 19 + 1))[:size]
            for text in (base[:at] + char + base[at + 1 :], base[:at] + "##" + char):
                plain = text.isascii() and text.isprintable() and "##[" not in text
                assert one_line(text) is text or not plain, (code, size, at)
                assert one_line(text) == terminal_safe(text.replace("\n", "\\n"))
                assert one_lines([text[:at], text[at:]]) == [
                    one_line(text[:at]),
                    one_line(text[at:]),
                ]
