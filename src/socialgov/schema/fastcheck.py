"""A compiled yes/no check in front of jsonschema: most entities are valid, and saying so is cheap.

fastjsonschema turns a schema into Python code that answers "valid or not" about twenty times
faster than jsonschema's Draft202012Validator walks it. jsonschema stays the judge: whenever the
compiled check says no, jsonschema runs and explains (same messages, same positions), and a schema
the compiled check might read more loosely than jsonschema is not compiled at all. So the only
claim the fast path makes is "jsonschema would find nothing here", and it makes it only for
schemas where that is provably so (tests/test_fastcheck.py runs both on every schema's examples,
on mutations of them, and on whole repositories).

fastjsonschema implements drafts 4, 6 and 7. Our schemas are written in draft 2020-12 but use only
keywords whose meaning is the same in draft 7, with two differences taken care of here:

- in draft 7 a ``$ref`` hides its sibling keywords; in 2020-12 they apply too, so ``{"$ref": X,
  ...}`` is rewritten to ``{"allOf": [{"$ref": X}], ...}`` before compiling;
- ``format`` means exactly what it means to jsonschema's own format checker: the common valid
  forms (a plain URI, a real date, an address with an ``@``) are accepted at once, anything else
  is judged by that checker, imported only then (its "uri" check with rfc3987 called without
  building the URI's parts, which it discards).

Two rewrites make the common, valid case cheap without changing any answer:

- a local ``$ref`` (``#/$defs/...``) is replaced by a copy of the subschema it names unless that
  subschema leads, through its own refs, to one that refers back to itself (``where`` holds
  ``where``s; those stay refs, so the code stays small): fastjsonschema compiles an inline
  subschema into straight-line code, but a ``$ref`` into a function call whose error-name argument
  is formatted with ``str.format(**locals())`` for every item of every list, which cost more than
  the checks themselves. A ``$ref`` means exactly "also valid against that subschema" in 2020-12,
  so the copy changes nothing. Refs are resolved against the schema's root, so a subschema with an
  ``$id`` of its own (which would move the base of its refs) is left to jsonschema;
- a property of the root that is a list of strings with ``uniqueItems`` is checked for
  duplicates by ``len(set(items))`` (see _unique_string_lists), written into the code where
  that property is checked, else after fastjsonschema's yes.

fastjsonschema's code is then made leaner (socialgov.schema.leaner: enums as set lookups, known
keys as one subset test, regexes bound once, type tests not repeated), the same answers for
less work.

A schema using any other keyword, a ``$ref`` to another file, or an ``enum``/``const`` that is not
a string is left to jsonschema alone.

The checks of the published schemas ship with socialgov (socialgov.schema.compiled, written by
``python -m socialgov.schema.fastcheck``): fastjsonschema's code with each failure a bare
``Invalid``, run without fastjsonschema; a schema changed since its check was generated is
compiled at run time (compile_check).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from socialgov.core.files import content_stamp

if TYPE_CHECKING:
    from jsonschema import FormatChecker

Check = Callable[[Any], bool]


# Keywords whose draft-7 meaning in fastjsonschema equals their 2020-12 meaning in jsonschema.
_SAME_MEANING = frozenset(
    {
        "type",
        "properties",
        "additionalProperties",
        "required",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "enum",
        "const",
        "format",
        "if",
        "then",
        "else",
        "anyOf",
        "allOf",
        "oneOf",
        "not",
        "$ref",
        "$defs",
        "definitions",
    }
)
# Keywords that do not validate.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated"}
)
# Keywords whose value is a mapping of names to subschemas, or a subschema, or a list of them.
_SCHEMA_MAPS = frozenset({"properties", "$defs", "definitions"})
_SCHEMA_VALUES = frozenset(
    {"additionalProperties", "items", "propertyNames", "if", "then", "else", "not"}
)
_SCHEMA_LISTS = frozenset({"anyOf", "allOf", "oneOf"})


class _Unsupported(Exception):
    """The schema uses something the compiled check might read differently."""


class _Preparer:
    """Turns one schema into what fastjsonschema reads as jsonschema does (see the module)."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root
        self._resolving: list[str] = []
        self._inlined: dict[str, Any] = {}
        """Each ref's prepared subschema, or None when it stays a ref (it leads to a cycle)."""
        self._kept = 0
        """How many refs were kept so far; a ref whose subschema kept one is kept too."""

    def schema(self, schema: Any, *, at_root: bool = False) -> Any:
        """A prepared copy of ``schema``, or _Unsupported."""
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, Mapping):
            raise _Unsupported("a subschema is not a mapping")
        if "$id" in schema and not at_root:
            raise _Unsupported("$id below the root")
        result: dict[str, Any] = {}
        inlined: Any = None
        for key, value in schema.items():
            if key in _ANNOTATIONS:
                continue
            if key not in _SAME_MEANING:
                raise _Unsupported(f"keyword {key}")
            if key in _SCHEMA_MAPS:
                result[key] = {name: self.schema(sub) for name, sub in value.items()}
            elif key in _SCHEMA_VALUES:
                result[key] = self.schema(value)
            elif key in _SCHEMA_LISTS:
                result[key] = [self.schema(sub) for sub in value]
            elif key == "$ref":
                inlined = self._ref(value)
                if inlined is None:
                    self._kept += 1
                    result[key] = value
            else:
                result[key] = _plain(key, value)
        if inlined is not None:
            if not result:
                return inlined
            return {"allOf": [inlined], **result}
        if "$ref" in result and len(result) > 1:
            result = {"allOf": [{"$ref": result.pop("$ref")}], **result}
        return result

    def _ref(self, ref: Any) -> Any:
        """The prepared subschema ``ref`` names, or None to keep the ``$ref`` (it leads to a
        cycle). Whether a ref leads to a cycle does not depend on where it is met, so the answer
        is remembered."""
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise _Unsupported(f"$ref {ref!r}")
        if ref in self._resolving:
            return None
        if ref not in self._inlined:
            kept = self._kept
            prepared = self._resolve(ref)
            self._inlined[ref] = prepared if self._kept == kept else None
        return self._inlined[ref]

    def _resolve(self, ref: str) -> Any:
        target: Any = self._root
        for part in ref[2:].split("/"):
            name = unquote(part).replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or name not in target:
                raise _Unsupported(f"$ref {ref!r} names nothing")
            target = target[name]
        self._resolving.append(ref)
        try:
            return self.schema(target)
        finally:
            self._resolving.pop()


def _plain(key: str, value: Any) -> Any:
    """A keyword whose value is not a subschema, checked for what fastjsonschema reads alike."""
    if key == "enum":
        if not all(isinstance(item, str) for item in value):
            raise _Unsupported("enum of non-strings")
        return list(value)
    if key == "const" and not isinstance(value, str):
        raise _Unsupported("const of a non-string")
    return value


def _prepare(schema: Any) -> Any:
    """A copy of ``schema`` that fastjsonschema reads as jsonschema does, or _Unsupported."""
    if not isinstance(schema, Mapping):
        return _Preparer({}).schema(schema)
    return _Preparer(schema).schema(schema, at_root=True)


def _formats(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            if key == "format" and isinstance(value, str):
                found.add(value)
            elif key not in ("examples", "enum", "const", "default"):
                found |= _formats(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= _formats(item)
    return found


def format_checks(names: Iterable[str]) -> dict[str, Callable[[Any], bool]]:
    """What jsonschema's format checker says of a string, for each format in ``names``: the
    common, valid forms are accepted at once (see _ACCEPTED), anything else is judged by the
    format checker itself, which is imported only then (jsonschema takes 40 ms to import)."""
    return {name: _format_check(name) for name in names}


def _format_check(name: str) -> Callable[[Any], bool]:
    accepted = _ACCEPTED.get(name)
    plain = _PLAIN_FORMS.get(name)
    judge: list[Callable[[Any], bool]] = []

    def judged(value: Any) -> bool:
        if not judge:
            from jsonschema import Draft202012Validator

            judge.append(_conforms(Draft202012Validator.FORMAT_CHECKER, name))
        return judge[0](value)

    if plain is not None:
        # _ACCEPTED's test of the format written into this function: a profile URL is told in
        # one call instead of three (the check's own, _a_plain_uri's and the regex's).
        def plainly(value: Any) -> bool:
            if isinstance(value, str) and plain(value) is not None:
                return True
            return judged(value)

        return plainly

    def conforms(value: Any) -> bool:
        if accepted is not None and accepted(value):
            return True
        return judged(value)

    return conforms


def format_checker() -> FormatChecker:
    """jsonschema's format checker (Draft 2020-12's) for explaining what is wrong, with the
    common valid forms of each format accepted at once (_ACCEPTED) before its own check: the
    same answers, but a plain URL in an entity being explained no longer compiles rfc3987's
    pattern for URIs (about 15 ms, once per process)."""
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(())
    for name, (function, raises) in Draft202012Validator.FORMAT_CHECKER.checkers.items():
        accepted = _ACCEPTED.get(name)
        checker.checkers[name] = (
            function if accepted is None else _accepted_first(accepted, function),
            raises,
        )
    return checker


def _accepted_first(
    accepted: Callable[[Any], bool], function: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        return True if accepted(value) else function(value)

    return check


def _iso(form: re.Pattern[str], parse: Callable[[str], Any]) -> Callable[[Any], bool]:
    """Strings written in ``form`` that ``parse`` reads (a real day, a real moment). The strings
    accepted are remembered (up to _REMEMBERED of them): a repository repeats its dates, and a
    string in the set was accepted before."""
    known: set[str] = set()

    def accepted(value: Any) -> bool:
        if type(value) is str and value in known:
            return True
        if not isinstance(value, str) or form.fullmatch(value) is None:
            return False
        try:
            parse(value)
        except ValueError:
            return False
        if type(value) is str and len(known) < _REMEMBERED:
            known.add(value)
        return True

    return accepted


_REMEMBERED = 4096


def _a_plain_uri(value: Any) -> bool:
    return isinstance(value, str) and _PLAIN_URI.fullmatch(value) is not None


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_ACCEPTED: dict[str, Callable[[Any], bool]] = {
    # jsonschema's "date": YYYY-MM-DD naming a real day, exactly.
    "date": _iso(_DATE, dt.date.fromisoformat),
    # Some of what jsonschema's "date-time" accepts (RFC 3339, checked by rfc3339-validator
    # when installed, else not at all): seconds' fractions and a Z or +HH:MM offset (an hour
    # up to 23 and minutes up to 59: Python reads +05:90 as +06:30, RFC 3339 refuses it).
    "date-time": _iso(_DATE_TIME, dt.datetime.fromisoformat),
    "email": lambda value: isinstance(value, str) and "@" in value,
    "uri": _a_plain_uri,
    "uri-reference": _a_plain_uri,  # a URI is a URI reference
}
"""Strings each format's check surely accepts, told cheaply (never a "no": that is left to
jsonschema's format checker, so no answer differs from its own)."""


def _conforms(checker: FormatChecker, name: str) -> Callable[[Any], bool]:
    """``checker.conforms(value, name)`` without its two layers of calls and its FormatError:
    the same function, the same exceptions taken for "no", the same truth test of its result
    (see jsonschema's FormatChecker.check)."""
    entry = checker.checkers.get(name)
    if entry is None:
        return lambda value: True
    function, raises = entry
    fast = _rfc3987_uri(function) if name == "uri" else None
    if fast is not None:
        return fast

    def conforms(value: Any) -> bool:
        try:
            return bool(function(value))
        except raises:
            return False

    return conforms


def _rfc3987_uri(function: Callable[[Any], Any]) -> Callable[[Any], bool] | None:
    """jsonschema's "uri" check without the work it discards, if ``function`` is that check
    written with rfc3987 (jsonschema's choice whenever rfc3987 imports) and rfc3987 has the regex
    module (which it needs for this rule). That check calls ``rfc3987.parse(value, rule="URI")``,
    which raises ValueError when ``rfc3987.match(value, "URI")`` finds no match and otherwise
    returns the match's parts as a dict that is never empty (true); the parts are not needed to
    say yes or no. Values that are not strings conform, as there.

    A plain ``scheme://host/path`` URL is a URI by RFC 3986's grammar: a scheme, an authority
    that is a reg-name of unreserved characters (letters, digits, ``-._~``), and a path-abempty
    whose segments hold unreserved characters, sub-delims (``!$&'()*+,;=``), ``:`` and ``@``
    (``https://www.threads.net/@acme``). :data:`_PLAIN_URI` accepts those at once, a small part
    of the rule matched in a fraction of the time; anything else goes to rfc3987's whole rule."""
    import jsonschema._format as formats

    rfc3987 = getattr(formats, "rfc3987", None)
    if rfc3987 is None or not rfc3987.REGEX or function is not getattr(formats, "is_uri", None):
        return None
    match = rfc3987.match
    plain = _PLAIN_URI.fullmatch

    def is_uri(value: Any) -> bool:
        return (
            not isinstance(value, str)
            or plain(value) is not None
            or match(value, "URI") is not None
        )

    return is_uri


_PLAIN_URI = re.compile(
    r"[a-zA-Z][a-zA-Z0-9+.-]*://[a-zA-Z0-9_.~-]*"
    r"(?:/[a-zA-Z0-9_.~!$&'()*+,;=:@/-]*(?:%[0-9a-fA-F]{2}[a-zA-Z0-9_.~!$&'()*+,;=:@/-]*)*)?"
    r"(?:\?[a-zA-Z0-9_.~!$&'()*+,;=:@/?-]*(?:%[0-9a-fA-F]{2}[a-zA-Z0-9_.~!$&'()*+,;=:@/?-]*)*)?"
    r"(?:#[a-zA-Z0-9_.~!$&'()*+,;=:@/?-]*(?:%[0-9a-fA-F]{2}[a-zA-Z0-9_.~!$&'()*+,;=:@/?-]*)*)?"
)
"""URIs of the simplest form (RFC 3986's, with a host of plain characters and no port or user:
a path, a query and a fragment of its characters, percent escapes included): every string it
matches whole, rfc3987's "URI" rule matches. Each part is written ``c*(%hh c*)*`` rather than
``(c|%hh)*`` (the same strings; ``%`` is not among the characters ``c``, so there is one way to
match and no backtracking): a run of plain characters is one step for the regex engine instead of
one alternation per character: a third less time for a typical profile URL. The path, RFC 3986's
``("/" segment)*``, is written as one run that starts with ``/`` and may hold more of them
(``(/[c/]*(%hh[c/]*)*)?``: the same strings), not a repeated group per segment, whose marks
the engine saves on each turn: 8% less time for a typical profile URL."""

_PLAIN_FORMS: dict[str, Callable[[str], object]] = {
    "uri": _PLAIN_URI.fullmatch,
    "uri-reference": _PLAIN_URI.fullmatch,
}
"""The formats whose _ACCEPTED test is a string matching a pattern whole (_a_plain_uri), with
that pattern's fullmatch: format_checks writes the test into the format's check."""


def compile_check(schema: Mapping[str, Any]) -> Check | None:
    """A function telling whether jsonschema would find no error in a value; None if unsure."""
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - fastjsonschema is a dependency
        return None
    try:
        source = generated_code(schema)
    except (_Unsupported, fastjsonschema.JsonSchemaDefinitionException):
        return None
    return _check(_compiled(source))


def _check(namespace: Mapping[str, Any]) -> Check:
    """The yes/no check of the code generated_code wrote, run (or imported, as shipped)."""
    validate = namespace["CHECK"]
    formats = format_checks(namespace["FORMATS"])
    invalid = namespace["Invalid"]
    unique = namespace["UNIQUE"]
    if not unique:  # every shipped check: its lists' repeats are tested in its code

        def checked(value: Any) -> bool:
            try:
                validate(value, formats)
            except invalid:
                return False
            return True

        return checked

    def check(value: Any) -> bool:
        try:
            validate(value, formats)  # positional: cheaper than a partial's keyword
        except invalid:
            return False
        for name in unique:  # lists of strings, once validate said yes
            items = value.get(name)
            if items is not None and len(set(items)) != len(items):
                return False
        return True

    return check


def generated_code(schema: Mapping[str, Any], stamp: str = "") -> str:
    """The Python code of ``schema``'s yes/no check: what ``fastjsonschema.compile_to_code``
    writes for the prepared schema, with every failure raising one bare ``Invalid`` (its
    messages, and the copies of the schema it keeps for them, are never read: jsonschema
    explains), made leaner (socialgov.schema.leaner), then the names _check reads. Raises
    _Unsupported for a schema it would read differently from jsonschema."""
    import fastjsonschema
    from fastjsonschema.ref_resolver import RefResolver

    prepared = _prepare(schema)
    if isinstance(prepared, dict):
        prepared["$schema"] = "http://json-schema.org/draft-07/schema#"
    formats = sorted(_formats(schema))
    unique = _unique_string_lists(prepared)
    source = fastjsonschema.compile_to_code(
        prepared, formats=dict.fromkeys(formats, _accept_all), use_default=False
    )
    from socialgov.schema.leaner import leaner

    entry = RefResolver.from_schema(prepared, handlers={}, store={}).get_scope_name()
    code, unique = leaner(_bare_failures(source), entry, unique)
    if "fastjsonschema" in code or "JsonSchemaValue" in code:
        raise _Unsupported("generated code this does not know how to make bare")
    return (
        f"SCHEMA_STAMP = {stamp!r}\n"
        f"FORMATS = {tuple(formats)!r}\n"
        f"UNIQUE = {unique!r}\n\n\n"
        "class Invalid(Exception):\n"
        '    """The value is not valid (jsonschema says why)."""\n\n\n'
        f"{code}\n\n\nCHECK = {entry}\n"
    )


def _accept_all(value: Any) -> bool:
    return True


def _bare_failures(source: str) -> str:
    """fastjsonschema's code with ``raise Invalid`` for each ``raise
    JsonSchemaValueException(message, value=..., name=..., definition=..., rule=...)``, and
    without its import of fastjsonschema."""
    import ast

    class Bare(ast.NodeTransformer):
        def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST | None:
            return None if node.module == "fastjsonschema" else node

        def visit_Raise(self, node: ast.Raise) -> ast.AST:
            failure = node.exc
            if (
                isinstance(failure, ast.Call)
                and isinstance(failure.func, ast.Name)
                and failure.func.id == "JsonSchemaValueException"
            ):
                return ast.copy_location(ast.Raise(exc=ast.Name("Invalid", ast.Load())), node)
            return self.generic_visit(node)

        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id in ("JsonSchemaValueException", "JsonSchemaValuesException"):
                # caught inside anyOf, oneOf, not (the plural is raised only without fast_fail)
                return ast.copy_location(ast.Name("Invalid", node.ctx), node)
            return node

    return ast.unparse(Bare().visit(ast.parse(source)))


def _compiled(source: str) -> dict[str, Any]:
    """``source`` run, its names returned."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "<fastcheck>", "exec"), namespace)  # the code generated_code wrote
    return namespace


SHIPPED = "socialgov.schema.compiled"
"""The package of the checks generated for the published schemas (``python -m
socialgov.schema.fastcheck`` writes them): a run imports them instead of compiling."""


def shipped_check(file_name: str, schema_bytes: bytes) -> Check | None:
    """The check shipped for the schema ``file_name``, if it was generated from these bytes."""
    module = shipped_module(file_name, schema_bytes)
    return None if module is None else _check(vars(module))


def shipped_module(file_name: str, schema_bytes: bytes) -> Any:
    """The module of the check shipped for the schema ``file_name``, if it was generated from
    these bytes (its ``validate``, ``FORMATS``, ``Invalid``); else None."""
    import importlib

    try:
        module = importlib.import_module(f"{SHIPPED}.{_module_name(file_name)}")
    except ImportError:
        return None
    if content_stamp(schema_bytes) != module.SCHEMA_STAMP:
        return None  # the schema changed since: compiled as any other
    return module


def _module_name(file_name: str) -> str:
    return file_name.removesuffix(".schema.json").replace("-", "_")


def write_shipped(schemas: Mapping[str, Path], folder: Path) -> list[Path]:
    """Write the shipped check of every schema fastcheck supports into ``folder``."""
    import json

    written = []
    for file_name, path in sorted(schemas.items()):
        raw = path.read_bytes()
        try:
            code = generated_code(json.loads(raw), content_stamp(raw))
        except _Unsupported:
            continue
        target = folder / f"{_module_name(file_name)}.py"
        header = (
            f'"""The yes/no check of schemas/{file_name}, generated by '
            "`python -m socialgov.schema.fastcheck`\nfrom it with fastjsonschema: do not edit. "
            '(See socialgov.schema.fastcheck.)"""\n\n'
        )
        target.write_text(header + code, encoding="utf-8")
        written.append(target)
    return written


def _unique_string_lists(prepared: Any) -> tuple[str, ...]:
    """The properties of an object schema that are lists of strings with unique items, their
    ``uniqueItems`` taken out of ``prepared``: the check compares ``len(set(items))`` with
    ``len(items)`` itself (leaner writes that into the code). For strings that is jsonschema's
    uniqueness exactly, and it spares fastjsonschema's general one, which defines a function and
    hashes a frozen copy of every item on every call (a quarter of an account's check)."""
    if not isinstance(prepared, dict) or prepared.get("type") != "object":
        return ()
    properties = prepared.get("properties")
    if not isinstance(properties, dict):
        return ()
    names = []
    for name, sub in properties.items():
        if not isinstance(sub, dict):
            continue
        items = sub.get("items")
        if (
            sub.get("type") == "array"
            and sub.get("uniqueItems") is True
            and isinstance(items, dict)
            and items.get("type") == "string"
        ):
            # A new mapping: the old one may be shared with other places (an inlined $ref).
            properties[name] = {key: value for key, value in sub.items() if key != "uniqueItems"}
            names.append(name)
    return tuple(names)


def main() -> int:
    """Write the shipped checks: ``python -m socialgov.schema.fastcheck`` after editing a schema
    (tests/test_fastcheck.py fails until they are written again)."""
    from socialgov.core.resources import data_dir

    schemas = {path.name: path for path in data_dir("schemas").glob("*.schema.json")}
    for path in write_shipped(schemas, Path(__file__).resolve().parent / "compiled"):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
