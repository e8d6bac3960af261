"""The exact parser's answers without PyYAML: a tab indenting a line and a second ``: `` on a line
are reported as libyaml reports them (socialgov.source.events, PyYAML's parser, is the oracle),
and every file the answer is not certain for goes to PyYAML."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import yaml_stranger
from conftest import PROJECT
from socialgov.source import events, exact
from socialgov.source.loader import DEFAULT_LIMITS, ParsedFile
from socialgov.source.reading import decode

LIMITS = dict(DEFAULT_LIMITS)
TAB = "while scanning for the next token found character that cannot start any token"
TAB_IN_PLAIN = "while scanning a plain scalar found a tab character that violates indentation"
COLON = "mapping values are not allowed in this context"
TAB_HINT = "a tab indents this line, and YAML allows spaces only: replace it with spaces"
COLON_HINT = "quote the value if it contains ': ', or fix the indentation"


def _outcome(parsed: ParsedFile) -> tuple[object, ...]:
    return (
        parsed.findings,
        [document.data for document in parsed.documents],
        parsed.nodes,
        parsed.size,
    )


def _on_lines(
    text: str,
    rng: random.Random,
    lines_per_file: int,
    changes: Callable[[str, random.Random], list[list[str]]],
) -> list[str]:
    """The file with each of ``changes`` of a line made on some of its lines (not blank ones),
    one file for each line and change."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    chosen = range(len(lines))
    if len(lines) > lines_per_file:
        chosen = sorted(rng.sample(range(len(lines)), lines_per_file))
    made = []
    for i in chosen:
        line = lines[i]
        if not line.strip():
            continue
        for changed in changes(line, rng):
            made.append(newline.join([*lines[:i], *changed, *lines[i + 1 :]]))
    return made


def _mistakes(line: str, rng: random.Random) -> list[list[str]]:
    """Each mistake made on a line: the line indented with a tab instead of its spaces, a tab
    before its spaces, and a line ``key: value: more`` after it."""
    indent = line[: len(line) - len(line.lstrip(" "))]
    key_at = len(line) - len(line.lstrip(" -"))
    return [
        ["\t" + line.lstrip(" ")],
        ["\t" + line],
        [line, " " * key_at + "topic: Support: EMEA and APAC"],
        [line, indent + "note: a b: c"],
        [line, "", "\tid: x"],
    ]


def _conflict(line: str, rng: random.Random) -> list[list[str]]:
    """A merge conflict left in place of a line: git's markers in the first column, the two
    sides the line and a changed copy of it; the first marker labelled as git labels it, with a
    comment, or with a colon."""
    label = rng.choice(["", " HEAD", " HEAD # ours", " Updated upstream", " a: b"])
    return [[f"<<<<<<<{label}", line, "=======", line + " 2", ">>>>>>> theirs (fix: x)"]]


def _answered_as_pyyaml(
    answer: Callable[[str, str, dict[str, int]], ParsedFile | None],
    changes: Callable[[str, random.Random], list[list[str]]],
    seed: int,
) -> tuple[int, int]:
    """How many of the files ``changes`` makes of every corpus file ``answer`` answers (each
    exactly as PyYAML's parser does: findings, messages, positions, documents, nodes), and of
    how many."""
    rng = random.Random(seed)
    answered = tried = 0
    for text in _corpus():
        for changed in _on_lines(text, rng, 10, changes):
            tried += 1
            got = answer(changed, "f.yaml", LIMITS)
            if got is None:
                continue
            answered += 1
            assert _outcome(got) == _outcome(events.parse_text(changed, "f.yaml", LIMITS)), changed
    return answered, tried


def _corpus() -> list[str]:
    texts = []
    for root in (PROJECT / "tests" / "data", PROJECT / "examples"):
        for path in sorted(root.rglob("*.y*ml")):
            try:
                texts.append(decode(path.read_bytes()))
            except ValueError:
                continue
    rng = random.Random(18)
    for _ in range(120):
        texts.append(yaml_stranger.document(rng, yaml_stranger.Style.pick(rng)))
    return texts


@pytest.mark.slow
def test_every_mistake_answered_without_pyyaml_is_what_pyyaml_says() -> None:
    """Each mistake made on lines of every corpus the project has and of a stranger's YAML:
    whatever exact.parse_text answers without PyYAML is exactly what PyYAML's parser says
    (findings, messages, positions, documents); and it answers most of them."""
    answered, tried = _answered_as_pyyaml(exact._common_mistake, _mistakes, 13)
    assert tried > 3000
    assert answered > tried // 4, (answered, tried)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        # after a comment, a quoted value, a key without a value, a flow list: no token
        ("a:\n  b: c\n# next\n\tid: x\n", 4, 1, f"{TAB}; {TAB_HINT}"),
        ('a:\n  b: "c"\n\tid: x\n', 3, 1, f"{TAB}; {TAB_HINT}"),
        ("a:\n\t- id: x\n", 2, 1, f"{TAB}; {TAB_HINT}"),
        ('a:\n  b: ["c", d]\n\n\tid: x\n', 4, 1, f"{TAB}; {TAB_HINT}"),
        ("a:\n  b: c # note\n\tid: x\n", 3, 1, f"{TAB}; {TAB_HINT}"),
        ("a:\n  b: 'c'\n\t\n", 3, 1, f"{TAB}; {TAB_HINT}"),  # a tab alone is no blank to it
        # inside a plain value, which goes on over blank lines
        ("a:\n  b: c\n\n  \n\tid: x\n", 5, 1, f"{TAB_IN_PLAIN}; {TAB_HINT}"),
        ("- a b\n\t- id: x\n", 2, 1, f"{TAB_IN_PLAIN}; {TAB_HINT}"),
        # a second ': ' on a line, with a list's dash, a quoted key, CRLF, spaces before it
        ("- b: x\n  topic: Support: EMEA and APAC\n", 2, 17, f"{COLON}; {COLON_HINT}"),
        ('- b: x\n  "topic": Support : EMEA\n', 2, 20, f"{COLON}; {COLON_HINT}"),
        ("---\na: 1\r\nb: http://x.org:\r\n", 3, 16, f"{COLON}; {COLON_HINT}"),
        # a text block closed before the mistake, a key written twice before it (never told)
        ("a: |\n  x\nb: 1\nb: 2\n\tc: 3\n", 5, 1, f"{TAB_IN_PLAIN}; {TAB_HINT}"),
    ],
)
def test_a_common_mistake_is_reported_as_pyyaml_reports_it(
    text: str, line: int, column: int, message: str
) -> None:
    got = exact._common_mistake(text, "f.yaml", LIMITS)
    assert got is not None
    assert [(f.code, f.line, f.column, f.message) for f in got.findings] == [
        ("SG100", line, column, f"invalid YAML: {message}")
    ]
    assert _outcome(got) == _outcome(events.parse_text(text, "f.yaml", LIMITS))
    assert _outcome(exact.parse_text(text, "f.yaml")) == _outcome(got)


@pytest.mark.parametrize(
    "text",
    [
        "a: |\n  x\n\tb: 1\n",  # a text block open at the tab: libyaml says otherwise
        "a:\n    |\n  x\n\tb: 1\n",  # a text block alone on its line
        "a: 1\n...\n---\nb: 1\n\tc: 2\n",  # a document complete before the mistake
        "[a, b]\n\tc: 2\n",  # a root in flow style: complete before the tab
        "  a: 1\n\tc: 2\n",  # a root not in the first column
        "a: 1\n\tc: 2\x01\n",  # a character YAML refuses, which libyaml's reader finds first
        "a: &x 1\n\tc: 2\n",  # after an anchor
        "a:\n  b: 'it''s'\n\tc: 2\n",  # a quoted value with an escape
        "a:\n  - {b: 1}\n    topic: Support: EMEA\n",  # a deeper line after a flow item
        # ... or after any list item of one line (the review's cases): libyaml refuses the
        # deeper line before the mistake, where the fast path reads a key with its spaces
        'a:\n  k:\n  - "r"\n    t: S: x\n',
        "a:\n  k:\n  - 'r'\n    t: S: x\n",
        "a:\n  k:\n  - r\n    t: S: x\n",
        "a:\n  k:\n  - {n: r}\n    t: S\n\tx\n",
        "a:\n  k:\n  - [r]\n    t: S\n\tx\n",
        'a:\n  k:\n  - "r"\n    t: S\n# c\n\tx\n',
        "a:\n  b: 1\n c: d\n\tg: 1\n",  # an earlier mistake of another shape
        "a: !x 1\nb: c: d\n",  # a tag before the mistake
        "\tc: 2\n",  # nothing before the tab
    ],
)
def test_what_is_not_certain_is_left_to_pyyaml(text: str) -> None:
    assert exact._common_mistake(text, "f.yaml", LIMITS) is None
    assert _outcome(exact.parse_text(text, "f.yaml")) == _outcome(
        events.parse_text(text, "f.yaml", LIMITS)
    )


@pytest.mark.slow
def test_every_conflict_answered_without_pyyaml_is_what_pyyaml_says() -> None:
    """A merge conflict left in place of lines of every corpus the project has and of a
    stranger's YAML: whatever exact.parse_text answers without PyYAML is exactly what PyYAML's
    parser and events say (the conflict at its first marker); and it answers many of them."""
    answered, tried = _answered_as_pyyaml(exact._merge_conflict, _conflict, 20)
    assert tried > 1000
    assert answered > tried // 5, (answered, tried)


CONFLICT = "a merge conflict is left in the file: the lines from '<<<<<<<' to '>>>>>>>' hold"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # the stranger's: inside a nested mapping, git's labels
        (
            "# c\nchannels:\n  - id: a\n    terms:\n<<<<<<< HEAD\n      h: 48\n=======\n"
            "      h: 24\n>>>>>>> phone-hours-2026\n",
            5,
        ),
        ("a: 1\n<<<<<<<\nb: 2\n=======\nb: 3\n>>>>>>>\n", 2),  # no labels, between keys
        ("- a\n- b: 1\n<<<<<<< ours # x\n- c\n=======\n- d\n>>>>>>> theirs\n", 3),  # a list
        ("a: 1\r\n<<<<<<< HEAD\r\nb: 2\r\n=======\r\n>>>>>>> x\r\n", 2),  # CRLF
        ("---\na: |\n  x\nb: 1\nb: 2\n<<<<<<< HEAD\n=======\n>>>>>>> x", 6),  # closed block
        # the markers' sides hold anything: a tab, a tag, a flow over lines
        ("a: 1\n<<<<<<< HEAD\n\tb: !x [1,\n=======\n>>>>>>> x\n", 2),
        ("a: &x 1\nb: *x\n<<<<<<< HEAD\n=======\n>>>>>>> x\n", 3),  # anchors before it
    ],
)
def test_a_merge_conflict_is_reported_as_pyyaml_reports_it(text: str, line: int) -> None:
    got = exact._merge_conflict(text, "f.yaml", LIMITS)
    assert got is not None
    assert [(f.code, f.line, f.column, f.message[: len(CONFLICT)]) for f in got.findings] == [
        ("SG100", line, 1, CONFLICT)
    ]
    assert _outcome(got) == _outcome(events.parse_text(text, "f.yaml", LIMITS))
    assert _outcome(exact.parse_text(text, "f.yaml")) == _outcome(got)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n<<<<<<< HEAD: x\nb: 2\n=======\n>>>>>>> x\n",  # a colon may make the marker a key
        "<<<<<<< HEAD\na: 1\n=======\na: 2\n>>>>>>> x\n",  # nothing before the marker
        "a: |\n  x\n<<<<<<< HEAD\n=======\n>>>>>>> x\n",  # a text block open before it
        "a: 1\n...\n---\nb: 1\n<<<<<<< HEAD\n=======\n>>>>>>> x\n",  # a document complete
        "[a, b]\n<<<<<<< HEAD\n=======\n>>>>>>> x\n",  # a root in flow style
        "  a: 1\n<<<<<<< HEAD\n=======\n>>>>>>> x\n",  # a root not in the first column
        'a: "x\n<<<<<<< HEAD\n=======\n>>>>>>> y"\n',  # inside a quoted value: no conflict
        "a: 1\x01\n<<<<<<< HEAD\n=======\n>>>>>>> x\n",  # a character YAML refuses
        "a: 1\n<<<<<<< HEAD\nb: 2\n",  # no whole conflict
        "a: 1\n  <<<<<<< HEAD\n=======\n>>>>>>> x\n",  # markers not in the first column
    ],
)
def test_what_is_not_certain_about_a_conflict_is_left_to_pyyaml(text: str) -> None:
    assert exact._merge_conflict(text, "f.yaml", LIMITS) is None
    assert _outcome(exact.parse_text(text, "f.yaml")) == _outcome(
        events.parse_text(text, "f.yaml", LIMITS)
    )


def test_the_fast_path_turned_off_turns_this_off_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALGOV_EXACT_PARSER", "1")
    assert exact._common_mistake("a: 1\n\tb: 2\n", "f.yaml", LIMITS) is None


def test_a_common_mistake_is_reported_without_importing_pyyaml(tmp_path: Path) -> None:
    """The point of it: a file with a tab, a second ': ' or a merge conflict does not import
    PyYAML (~24 M instructions); a file with a tag still does."""
    code = """
import sys
from socialgov.source.exact import parse_text
for text in sys.argv[1:]:
    finding, = parse_text(text, "f.yaml").findings
    print(finding.line, finding.column, "yaml" in sys.modules)
"""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    conflict = "a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> x\n"
    texts = [
        "a:\n  b: c\n# x\n\tid: y\n",
        "- b: x\n  topic: Support: EMEA\n",
        conflict,
        "a: !t 1\n",
    ]
    done = subprocess.run(
        [sys.executable, "-c", code, *texts], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split("\n")[:4] == ["4 1 False", "2 17 False", "2 1 False", "1 4 True"], (
        done.stdout
    )
