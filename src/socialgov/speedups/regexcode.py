"""The programs ``re`` compiles from a run's patterns, kept once compiled, not made on every start.

Python compiles a regular expression in two steps: it parses the pattern and writes its program
in Python (``re._parser``, ``re._compiler``), then hands the program to the C engine
(``_sre.compile``). The first step is slow: the ~110 patterns a cold lint of the human-style
1,000-account tree compiles (its own, and those of click, PyYAML, gettext, platform, json, ...,
all at import) took ~75 M instructions, 6% of the run, every run; the second step, given the
same program, takes under 1 M. Python keeps no compiled form of them, as it does of a module's
code in its ``.pyc`` files.

:func:`install` gives ``re._compiler`` a ``compile`` of its own (``re._compile`` calls it for a
pattern that is not in ``re``'s cache): a text or bytes pattern whose program was stored before
goes to ``_sre.compile`` with it; any other is compiled as before, and remembered. The programs
are stored beside the package's ``.pyc`` files by :func:`save`, at the end of a command that
compiled something new, and not at all where Python writes no ``.pyc`` files. A program is
stored only when, given to ``_sre.compile``, it makes a pattern equal to the one Python compiled
(``Pattern.__eq__`` compares the flags, the text and the program), and only when compiling the
pattern warns of nothing (a stored pattern would not warn again); any other pattern is stored
as one to compile every time, so that no run's end tries it again. The store is
stamped with the interpreter's version and build and ``_sre``'s magic number and code size: any
other interpreter ignores and replaces it, as a damaged file. It is trusted as the ``.pyc``
files beside it are: whoever can write one can write the other.

Only on Python 3.11 to 3.13 (``re._compiler``, whose ``compile`` is the same in the three);
elsewhere nothing changes. Patterns compiled before socialgov is imported (the interpreter's
start) are compiled as they were. Only the command line (``cli.run``) saves: a library caller
compiles from the store but never writes to it.
"""

from __future__ import annotations

import sys
import warnings
from importlib.util import MAGIC_NUMBER
from typing import Any

from socialgov.speedups.stores import read_store, store_path, write_store

if (3, 11) <= sys.version_info < (3, 14):  # re._compiler.compile as written below, unchanged
    import _sre
    from re import _compiler, _parser
else:  # pragma: no cover - Python 3.10 (sre_compile) or one not tried: left alone
    _compiler = None

#: Stored patterns past which a save keeps only the ones this process used.
LIMIT = 2_000

_DEBUG = 128  # re.DEBUG: compiling prints the program, so such a pattern is always compiled

Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
"""What ``_sre.compile`` takes after the pattern: flags, code, groups, group index, index group."""


def _stamp() -> str:
    if _compiler is None:  # pragma: no cover
        return ""
    return f"{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}"


class _Programs:
    """The stored programs of text and bytes patterns, by pattern and flags, and what this
    process compiled without one."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.texts: dict[tuple[str, int], Program | None] = {}
        self.bytes: dict[tuple[bytes, int], Program | None] = {}
        self.used: set[tuple[Any, int]] = set()
        self.missed: list[tuple[Any, int, Any]] = []

    def load(self) -> None:
        """Read the stored programs; a missing, stale, foreign or damaged file gives none."""
        stored = read_store(self.path, MAGIC_NUMBER)
        if (
            type(stored) is tuple
            and len(stored) == 3
            and stored[0] == _stamp()
            and type(stored[1]) is dict
            and type(stored[2]) is dict
        ):
            self.texts, self.bytes = stored[1], stored[2]

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        """``re._compiler.compile``: from the stored program, or compiled and remembered."""
        kind = type(pattern)
        if (kind is str or kind is bytes) and not flags & _DEBUG:
            key = (pattern, flags)
            program = (self.texts if kind is str else self.bytes).get(key, False)  # type: ignore[call-overload]
            if program:
                try:
                    made = _sre.compile(pattern, *program[:3], dict(program[3]), program[4])
                except Exception:  # a damaged entry, of any shape: compiled as before
                    pass
                else:
                    self.used.add(key)
                    return made
            compiled = _original(pattern, flags)
            if program is False:  # never seen (None: seen, and compiled every time)
                if len(self.missed) < LIMIT and not _seeded():  # a long-lived process, on and on
                    self.missed.append((pattern, flags, compiled))
            else:
                self.used.add(key)
            return compiled
        return _original(pattern, flags)

    def save(self) -> bool:
        """Store the programs of the patterns this process compiled, if Python writes ``.pyc``
        files; whether it wrote anything."""
        if not self.missed or self.path is None or sys.dont_write_bytecode:
            return False
        missed, self.missed = self.missed, []
        texts, bytes_ = self.texts, self.bytes
        if len(texts) + len(bytes_) + len(missed) > LIMIT:
            texts = {key: texts[key] for key in self.used if key in texts}
            bytes_ = {key: bytes_[key] for key in self.used if key in bytes_}
        pruned = len(texts) + len(bytes_) < len(self.texts) + len(self.bytes)
        added = missed[: max(LIMIT - len(texts) - len(bytes_), 0)]

        def programs() -> tuple[str, dict[Any, Any], dict[Any, Any]] | None:
            # called once the store's file is open: where it cannot be written, no pattern is
            # parsed again
            if not added and not pruned:
                return None
            for pattern, flags, compiled in added:
                # None: a pattern that warns, or that this Python compiles otherwise, is
                # compiled by every run, without being tried again at its end
                table: dict[Any, Program | None] = texts if type(pattern) is str else bytes_
                table[(pattern, int(flags))] = _program(pattern, flags, compiled)
            return (_stamp(), texts, bytes_)

        if not write_store(self.path, MAGIC_NUMBER, programs):
            return False
        self.texts, self.bytes = texts, bytes_
        return True


def _seeded() -> bool:
    """Whether the pattern being compiled is one of ``tokenize``'s (inspect reads a builtin's
    signature with it; attrs asks, when jsonschema is imported to explain a schema finding):
    their string prefixes are joined from a set, so the text changes with each process's hash
    seed, no later run finds it in the store, and storing it would add one more each run."""
    frame = sys._getframe(2)  # the caller of re's compile (this, then _Programs.compile)
    for _ in range(4):
        if frame is None:
            return False
        if frame.f_globals.get("__name__") == "tokenize":
            return True
        frame = frame.f_back
    return False


def _program(pattern: Any, flags: int, compiled: Any) -> Program | None:
    """The program ``re._compiler.compile`` gives ``_sre.compile`` for ``pattern``, if it makes a
    pattern equal to ``compiled`` and compiling it warns of nothing; else None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _parser.parse(pattern, flags)
            code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        program: Program = (
            int(flags | parsed.state.flags),
            [int(op) for op in code],
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        made = _sre.compile(pattern, *program[:3], dict(groupindex), program[4])
    except Exception:  # a warning, or a Python whose private steps differ: not stored
        return None
    return program if made == compiled else None


_programs: _Programs | None = None
_original: Any = None


def install() -> None:
    """Give ``re._compiler`` the remembering ``compile`` (once per process; idempotent)."""
    global _programs, _original
    if _programs is not None or _compiler is None:
        return
    programs = _Programs(store_path(__file__, ".patterns"))
    programs.load()
    _original = _compiler.compile
    _programs = programs
    _compiler.compile = programs.compile


def save() -> bool:
    """Store what this process compiled that was not stored yet; whether anything was written.

    Called by cli.run as its process ends, never at exit: a library caller's (a host
    importing socialgov) patterns are not socialgov's to keep, and such a process keeps at most
    :data:`LIMIT` of them in hand."""
    return _programs is not None and _programs.save()
