"""speedups/regexcode.py: the programs of the patterns a run compiles, kept once compiled.

Each test runs Python in a fresh interpreter whose ``.pyc`` files (and so the store) go to a
folder of its own (``PYTHONPYCACHEPREFIX``), as a first run after an installation would.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from importlib.util import MAGIC_NUMBER
from pathlib import Path

import pytest

from socialgov.speedups import regexcode

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "examples" / "acme"

pytestmark = pytest.mark.skipif(
    not (3, 11) <= sys.version_info < (3, 14), reason="this Python compiles patterns as before"
)

# lint the example, then print how many patterns the run compiled itself, how many came from
# the store, and whether the store was written (what the process ends by doing)
_LINT = """
import sys
from socialgov.cli import main
from socialgov.speedups import regexcode
code = main(["lint", "--quiet", "--no-cache", "--as-of", "2026-11-24", "--root", sys.argv[1]])
programs = regexcode._programs
print(code, len(programs.missed), len(programs.used), regexcode.save())
"""


def _python(
    prefix: Path, script: str, *args: str, env: dict[str, str] | None = None, whole: bool = False
) -> str:
    """Run ``script`` in a fresh interpreter: the last line it printed (``whole``: all of it)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment |= {"PYTHONPYCACHEPREFIX": str(prefix), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=environment | (env or {}),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout if whole else done.stdout.strip().splitlines()[-1]


def _lint(prefix: Path, env: dict[str, str] | None = None) -> tuple[int, int, bool]:
    """Lint the example: the patterns compiled afresh, those from the store, and whether the
    store was written at the end."""
    code, missed, used, saved = _python(prefix, _LINT, str(ACME), env=env).split()
    assert code == "1"  # the example has findings: the run did its work
    return int(missed), int(used), saved == "True"


def _store(prefix: Path) -> Path:
    [store] = prefix.rglob("regexcode.*.patterns")
    return store


def _stored(prefix: Path) -> tuple[str, dict[object, object], dict[object, object]]:
    data = _store(prefix).read_bytes()
    assert data.startswith(MAGIC_NUMBER)
    return marshal.loads(data[len(MAGIC_NUMBER) :])  # type: ignore[no-any-return]


def test_the_first_run_stores_the_programs_and_the_next_compiles_none(tmp_path: Path) -> None:
    missed, used, saved = _lint(tmp_path)
    assert missed > 50 and used == 0 and saved  # socialgov's, click's, PyYAML's, ...
    written = _store(tmp_path).read_bytes()
    _, texts, raw = _stored(tmp_path)
    assert len(texts) + len(raw) == missed
    assert _lint(tmp_path) == (0, missed, False)  # every pattern from the store: nothing new
    assert _store(tmp_path).read_bytes() == written


def test_no_store_is_written_where_python_writes_no_pyc_files(tmp_path: Path) -> None:
    assert _lint(tmp_path, env={"PYTHONDONTWRITEBYTECODE": "1"})[2] is False
    assert list(tmp_path.rglob("regexcode.*.patterns")) == []


def test_a_damaged_or_foreign_store_is_ignored_and_replaced(tmp_path: Path) -> None:
    missed = _lint(tmp_path)[0]
    store = _store(tmp_path)
    good = store.read_bytes()
    stamp, texts, raw = _stored(tmp_path)
    for damage in (
        b"",  # empty
        b"\x00\x01\x02 not a store",  # foreign
        good[:-40],  # cut short
        b"XXXX" + good[4:],  # another interpreter's magic number
        MAGIC_NUMBER + marshal.dumps(("3.99.0 another build", texts, raw)),  # another Python
        MAGIC_NUMBER + marshal.dumps([stamp, texts, raw]),  # not a store's shape
    ):
        store.write_bytes(damage)
        assert _lint(tmp_path) == (missed, 0, True), damage[:20]
        assert _lint(tmp_path) == (0, missed, False)  # the replacement is read back whole


def test_a_damaged_program_is_compiled_as_before(tmp_path: Path) -> None:
    missed = _lint(tmp_path)[0]
    stamp, texts, raw = _stored(tmp_path)
    key = next(key for key, program in texts.items() if program is not None)
    for damage in (
        (0, [1, 2, 3], 0, {}, ()),  # a program _sre refuses
        (0, [1, 2, 3]),  # too short
        "not a program",
    ):
        texts[key] = damage
        _store(tmp_path).write_bytes(MAGIC_NUMBER + marshal.dumps((stamp, texts, raw)))
        assert _lint(tmp_path) == (0, missed, False), damage  # compiled afresh, as before


def test_where_the_store_cannot_be_written_no_pattern_is_parsed_again(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache folder cannot be made under a file\n", encoding="utf-8")
    script = """
import re
import socialgov
from socialgov.speedups import regexcode
re.compile("(?P<one>a)+b")
parses = []
parse = regexcode._parser.parse
regexcode._parser.parse = lambda *args: parses.append(args) or parse(*args)
print(regexcode.save(), len(parses))
"""
    assert _python(blocked, script) == "False 0"


_LIBRARY = """
import re, sys
import socialgov
from socialgov.speedups import regexcode
regexcode.LIMIT = 5
for n in range(int(sys.argv[1])):
    re.compile(f"library-{n}")
print(len(regexcode._programs.missed))
"""


def test_a_library_caller_keeps_a_bounded_few_and_stores_none(tmp_path: Path) -> None:
    assert _python(tmp_path, _LIBRARY, "20") == "5"  # at most LIMIT in hand
    assert list(tmp_path.rglob("regexcode.*.patterns")) == []  # none saved at exit: no command
    script = _LIBRARY.replace("print(len(regexcode._programs.missed))", "print(regexcode.save())")
    assert _python(tmp_path, script, "20") == "True"
    _, texts, raw = _stored(tmp_path)
    assert len(texts) + len(raw) <= 5


def test_a_debug_pattern_prints_its_program_every_time(tmp_path: Path) -> None:
    script = """
import re
import socialgov
from socialgov.speedups import regexcode
re.compile("ab+c", re.DEBUG)
print(regexcode.save())
"""
    for saved in ("True", "False"):  # stored by the first, read by the second: printed by both
        printed = _python(tmp_path, script, whole=True)
        assert "LITERAL 97" in printed and "MAX_REPEAT 1 MAXREPEAT" in printed
        assert printed.split()[-1] == saved


def test_a_store_past_its_limit_keeps_only_what_the_run_used(tmp_path: Path) -> None:
    missed = _lint(tmp_path)[0]
    stamp, texts, raw = _stored(tmp_path)
    one = next(program for program in texts.values() if program is not None)
    stale = {(f"old_{n}", 0): one for n in range(regexcode.LIMIT)}
    _store(tmp_path).write_bytes(MAGIC_NUMBER + marshal.dumps((stamp, {**stale, **texts}, raw)))
    assert _lint(tmp_path) == (0, missed, False)  # nothing new: the big store kept as it is

    del texts[next(iter(texts))]  # one this run needs, to compile again
    _store(tmp_path).write_bytes(MAGIC_NUMBER + marshal.dumps((stamp, {**stale, **texts}, raw)))
    assert _lint(tmp_path) == (1, missed - 1, True)
    _, kept, _ = _stored(tmp_path)
    assert len(kept) == len(texts) + 1
    assert not any(str(pattern).startswith("old_") for pattern, _ in kept)


# compile patterns with the store installed, in two processes (the first compiles and stores,
# the second reads the store), and compare each with what re compiles without the store
_PATTERNS = r"""
import re, sys, warnings
import socialgov
from socialgov.speedups import regexcode

cases = [
    ("(?P<user>[a-z]+)@(?P<host>[a-z.]+)", 0, "Ann@Example.org"),
    ("(?P<user>[a-z]+)@(?P<host>[a-z.]+)", re.IGNORECASE, "Ann@Example.org"),
    (b"(?m)^(ab|cd)+$", 0, b"x\nabcd\n"),
    ("(?m)^(ab|cd)+$", 0, "x\nabcd\n"),
    ("[\u00e9-\u00ff]+\\w", re.ASCII, "\u00e9\u00e8a"),
    ("(a)(?:b)(c)?", re.VERBOSE, "ab"),
]
before = len(regexcode._programs.missed)  # importing socialgov compiles some
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warned = re.compile("[[a]x")  # FutureWarning: a possible nested set
made = [re.compile(pattern, flags) for pattern, flags, _ in cases]
original = regexcode._original
for (pattern, flags, text), mine in zip(cases, made):
    fresh = original(pattern, flags)
    assert mine == fresh, pattern
    assert (mine.flags, mine.groups, dict(mine.groupindex)) == (
        fresh.flags, fresh.groups, dict(fresh.groupindex)
    ), pattern
    found, again = mine.search(text), fresh.search(text)
    assert (found and found.groups(), found and found.groupdict(), found and found.span()) == (
        again and again.groups(), again and again.groupdict(), again and again.span()
    ), pattern
assert len(caught) == 1 and caught[0].category is FutureWarning  # stored or not, it warns
assert warned.match("ax") is not None
print(len(regexcode._programs.missed) - before, regexcode.save())
"""


def test_patterns_made_from_stored_programs_are_those_compiled_afresh(tmp_path: Path) -> None:
    assert _python(tmp_path, _PATTERNS) == "7 True"  # the six and the one that warns
    assert _python(tmp_path, _PATTERNS) == "0 False"  # all from the store, the warning too
    _, texts, raw = _stored(tmp_path)
    assert texts[("[[a]x", 0)] is None  # compiled by every run, never served from the store
    assert ("(?m)^(ab|cd)+$", 0) in texts and (b"(?m)^(ab|cd)+$", 0) in raw
    assert texts[("(?P<user>[a-z]+)@(?P<host>[a-z.]+)", 2)] is not None  # re.IGNORECASE


def test_a_full_store_of_used_programs_is_not_rewritten_for_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store at its limit whose every program this run used has no room for the run's new
    pattern: nothing is added or pruned, so the file is left as it is (not written again, the
    same bytes, every run)."""
    import re

    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as where .pyc files are written
    path = tmp_path / "store.patterns"
    programs = regexcode._Programs(str(path))
    programs.texts = {(f"p{number}", 0): None for number in range(regexcode.LIMIT)}
    programs.used = set(programs.texts)
    path.write_bytes(b"as the last run left it")
    before = path.stat()
    programs.missed = [("new-[a-z]+", 0, re.compile("new-[a-z]+"))]
    assert programs.save() is False
    assert path.read_bytes() == b"as the last run left it"
    assert path.stat().st_ino == before.st_ino
    assert programs.missed == []  # handed on once: not tried again at the next save


def test_tokenizes_patterns_are_never_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    """tokenize joins its string prefixes from a set, so its pattern's text changes with each
    process's hash seed: stored, it would never be found again, and the store would grow by
    one pattern (and a whole rewrite) on every run that reads a builtin's signature."""
    import re

    if regexcode._original is None:  # not installed in this process: re's own compile
        monkeypatch.setattr(regexcode, "_original", re._compiler.compile)  # type: ignore[attr-defined]
    programs = regexcode._Programs(None)
    from_tokenize: dict[str, object] = {"__name__": "tokenize", "programs": programs}
    exec("def compile_it(p):\n    return programs.compile(p, 0)\n", from_tokenize)
    assert from_tokenize["compile_it"]("(rb|Br|RB)'[a-z]+") is not None  # type: ignore[operator]
    assert programs.missed == []
    assert programs.compile("(rb|Br|RB)'[0-9]+", 0) is not None  # anyone else's: remembered
    assert [pattern for pattern, _, _ in programs.missed] == ["(rb|Br|RB)'[0-9]+"]
