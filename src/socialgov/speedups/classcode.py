"""The methods ``@dataclass`` writes for socialgov's classes, compiled once, not on every start.

``@dataclass`` writes the source of each method it adds (``__init__``, ``__repr__``, ``__eq__``,
``__hash__``, a frozen class's ``__setattr__`` and ``__delattr__``) and compiles it with ``exec``
when the class is made, on every import: on Python 3.11, 352 methods for the ~60 classes a lint
imports, about 70 us each, 25 ms of every run (a tenth of a cold lint of 1,000 accounts, a quarter
of the pre-commit hook's warm run). Python keeps no compiled form of them, as it does of a
module's code in its ``.pyc`` files.

:func:`install` gives the ``dataclasses`` module an ``exec`` of its own (a module's globals are
looked up before the builtins) that, for source written for a socialgov module, runs the code
object compiled from the same text before instead of compiling it again. The same text compiled
with the same flags is the same code, so the classes are exactly what they were; text never seen
is compiled as before and kept. The code objects are stored beside the package's own ``.pyc``
files (``__pycache__``, or ``PYTHONPYCACHEPREFIX``), in marshal's format under the interpreter's
magic number, each module's apart (a run reads those of the modules it imports), by the first
run that compiled something new (:func:`save`), and not at all where
Python writes no ``.pyc`` files (``PYTHONDONTWRITEBYTECODE``, ``-B``) or cannot write (an
installation read only to its user: then every run compiles, as before). A stale, foreign or
damaged file is ignored and replaced. It is trusted as the ``.pyc`` files beside it are: whoever
can write one can write the other.

Other packages' dataclasses, and any ``exec`` this does not recognise, run the builtin as before.

On Python 3.11 :func:`install` also gives ``dataclasses`` an ``_is_type`` of its own: for each
field whose annotation is text (a module with ``from __future__ import annotations``, all of
socialgov's) ``@dataclass`` asks three times whether the text names ``ClassVar``, ``InitVar`` or
``KW_ONLY``, splitting it with a pattern each time; the split of each text is now remembered
(the names are still looked up in the class's module each time), and the answers are Python's.
This module has no ``from __future__`` import on purpose: the builtin ``exec`` of a text inherits
the future flags of the frame that calls it (here ``_exec``'s), and dataclasses' own has none, so
their methods' annotations stay what they were.

A fresh environment (a CI job without a kept cache) compiles everything once and writes the store
(~1 ms) for nothing; ``pip uninstall`` leaves the store behind as it would any file Python wrote
at run time in the package's ``__pycache__``.
"""

import atexit
import builtins
import dataclasses
import marshal
import sys
from collections.abc import Callable
from importlib.util import MAGIC_NUMBER
from types import CodeType
from typing import Any

from socialgov.speedups.stores import read_store, store_path, write_store

_OURS = "socialgov"
_HEADER = MAGIC_NUMBER + bytes([sys.flags.optimize & 0xFF, 2])
"""What a store starts with: the bytecode format, the optimisation level (-O drops asserts when
compiling) and the store's layout (2: each module's codes marshalled apart)."""
#: Stored sources past which a save keeps only the ones this process used (old class shapes
#: accumulate while socialgov's classes change in a checkout). A lint uses ~350, the language
#: server and the audit some more; a store at the limit is ~1.2 MB, read in ~2 ms.
LIMIT = 1_000

Table = dict[str, CodeType]
"""One module's compiled codes, by their source."""


def _table(packed: object) -> Table | None:
    """A module's codes from their stored bytes; None when they are not such a table."""
    try:
        table = marshal.loads(packed)  # type: ignore[arg-type]
    except (EOFError, ValueError, TypeError):
        return None
    if type(table) is dict and all(
        type(k) is str and type(v) is CodeType for k, v in table.items()
    ):
        return table
    return None


class _Codes:
    """The compiled code of dataclass sources, by module and text, and whether any is new.

    Each module's codes are stored marshalled on their own and read when the module makes its
    first class: a run reads the codes of the modules it imports (a lint ~350 of a store's ~800,
    the rest the audit's, the server's, the writers' and older shapes of changed classes), and
    one module's methods still share their names (its fields), as one marshalled whole would."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.stored: dict[str, tuple[int, bytes]] = {}
        self.tables: dict[str, Table] = {}
        self.used: dict[str, set[str]] = {}
        self.changed: set[str] = set()
        self.new = False

    def load(self) -> None:
        """Read the store's index; a missing, stale, foreign or damaged file gives none."""
        stored = read_store(self.path, _HEADER)
        if type(stored) is dict and all(
            type(module) is str
            and type(entry) is tuple
            and len(entry) == 2
            and type(entry[0]) is int
            and type(entry[1]) is bytes
            for module, entry in stored.items()
        ):
            self.stored = stored

    def table(self, module: str) -> Table:
        """``module``'s codes, read from the store when first asked for."""
        table = self.tables.get(module)
        if table is None:
            entry = self.stored.get(module)
            table = _table(entry[1]) if entry is not None else None
            if table is None:  # none stored, or damaged: compiled again and stored anew
                table = {}
                self.stored.pop(module, None)
            self.tables[module] = table
        return table

    def code(self, module: str, source: str) -> CodeType:
        """The code of ``source`` as ``exec`` would compile it: from the store, or compiled now."""
        table = self.table(module)
        code = table.get(source)
        if code is None:
            # exec compiles a text as file "<string>", inheriting the calling frame's future
            # flags: dataclasses.py has none
            code = compile(source, "<string>", "exec", dont_inherit=True)
            table[source] = code
            self.changed.add(module)
            self.new = True
        self.used.setdefault(module, set()).add(source)
        return code

    def payload(self) -> dict[str, tuple[int, bytes]]:
        """What to store: every module's codes, or past :data:`LIMIT` only those this process
        used; a module read and unchanged keeps its stored bytes."""
        counts = {module: entry[0] for module, entry in self.stored.items()}
        counts |= {module: len(table) for module, table in self.tables.items()}
        if sum(counts.values()) <= LIMIT:
            kept = dict(self.stored)
            for module in self.changed:
                table = self.tables[module]
                kept[module] = (len(table), marshal.dumps(table))
            return kept
        kept = {}
        for module, sources in self.used.items():
            table = self.tables[module]
            used = {source: table[source] for source in table if source in sources}
            kept[module] = (len(used), marshal.dumps(used))
        return kept

    def save(self) -> bool:
        """Store the codes if any is new and Python writes ``.pyc`` files; whether it did."""
        if not self.new or self.path is None or sys.dont_write_bytecode:
            return False
        if not write_store(self.path, _HEADER, self.payload):
            return False
        self.new = False
        return True


_codes: _Codes | None = None


def _exec(
    source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /, **kwargs: Any
) -> None:
    """``exec`` for the dataclasses module: socialgov's sources run from compiled code."""
    if globals is None:  # the builtin would take its caller's namespace, which is not ours
        frame = sys._getframe(1)
        globals = frame.f_globals
        if locals is None:
            locals = frame.f_locals
    if _codes is not None and type(source) is str and not kwargs:
        module = str(globals.get("__name__", ""))
        if module.partition(".")[0] == _OURS:
            source = _codes.code(module, source)
    builtins.exec(source, globals, locals, **kwargs)


_split: dict[str, tuple[str | None, str] | None] = {}
"""Each string annotation's optional module name and name, as ``_MODULE_IDENTIFIER_RE`` splits
it (None: it does not match), by the annotation."""
#: Annotations past which :func:`_is_type` splits without remembering (a process that makes
#: classes from ever new texts); socialgov's classes have ~220 distinct ones.
SPLIT_LIMIT = 4_096


def _is_type(
    annotation: str,
    cls: type,
    a_module: Any,
    a_type: Any,
    is_type_predicate: Callable[[Any, Any], bool],
) -> bool:
    """Python 3.11's ``dataclasses._is_type``, whose answer it gives for the same arguments (does
    the string ``annotation`` name ``a_type`` of ``a_module`` in ``cls``'s module?), with each
    annotation's split by the pattern remembered: ``@dataclass`` asks three times a field
    (``ClassVar``, ``InitVar``, ``KW_ONLY``) of texts that repeat across classes. The names are
    still looked up in the module each time, as they may be bound between two classes."""
    split = _split.get(annotation, False)
    if split is False:
        match = dataclasses._MODULE_IDENTIFIER_RE.match(annotation)  # type: ignore[attr-defined]
        split = (match.group(1), match.group(2)) if match else None
        if len(_split) < SPLIT_LIMIT:
            _split[annotation] = split
    if split is not None:
        ns = None
        module_name, name = split
        if not module_name:
            ns = sys.modules.get(cls.__module__).__dict__  # type: ignore[union-attr]
        else:
            module = sys.modules.get(cls.__module__)
            if module and module.__dict__.get(module_name) is a_module:
                ns = sys.modules.get(a_type.__module__).__dict__  # type: ignore[union-attr]
        if ns and is_type_predicate(ns.get(name), a_module):
            return True
    return False


def install() -> None:
    """Give ``dataclasses`` the remembering ``exec`` (once per process; idempotent), and on
    Python 3.11 the :func:`_is_type` that remembers annotations' splits."""
    global _codes
    if _codes is not None or "exec" in vars(dataclasses):
        return
    _codes = _Codes(store_path(__file__, ".dataclasses"))
    _codes.load()
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    if sys.version_info[:2] == (3, 11) and hasattr(dataclasses, "_MODULE_IDENTIFIER_RE"):
        dataclasses._is_type = _is_type  # type: ignore[attr-defined]
    atexit.register(save)


def save() -> bool:
    """Store what this process compiled that was not stored yet; whether anything was written.

    Runs at exit, and from cli.run, which ends its process without running ``atexit``."""
    return _codes is not None and _codes.save()
