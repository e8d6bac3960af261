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
- ``format`` is checked by jsonschema's own format checker, so "date", "email" and "uri" mean
  exactly what they mean to jsonschema (its "uri" check with rfc3987 is called without building
  the URI's parts, which it discards).

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
  duplicates by ``len(set(items))`` after fastjsonschema's yes (see _unique_string_lists).

A schema using any other keyword, a ``$ref`` to another file, or an ``enum``/``const`` that is not
a string is left to jsonschema alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote

if TYPE_CHECKING:
    from jsonschema import FormatChecker

Check = Callable[[Any], bool]


class CodeStore(Protocol):
    """Where compiled checks are kept between runs (the parse cache's folder, signed): the
    Python code fastjsonschema writes for a prepared schema, compiled, by a digest of all it
    depends on. Writing and compiling that code is most of a check's cost (about 45 ms for the
    Account schema); loading it is a fraction of a millisecond."""

    def get(self, key: bytes) -> bytes | None: ...

    def put(self, key: bytes, code: bytes) -> None: ...


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
    r"[a-zA-Z][a-zA-Z0-9+.-]*://[a-zA-Z0-9_.~-]*(?:/[a-zA-Z0-9_.~!$&'()*+,;=:@-]*)*"
)
"""URIs of the simplest form: every string it matches whole, rfc3987's "URI" rule matches."""


def compile_check(schema: Mapping[str, Any], store: CodeStore | None = None) -> Check | None:
    """A function telling whether jsonschema would find no error in a value; None if unsure.
    With ``store``, the compiled code is taken from there when it holds it, else kept there."""
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - fastjsonschema is a dependency
        return None
    from jsonschema import Draft202012Validator

    try:
        prepared = _prepare(schema)
    except _Unsupported:
        return None
    if isinstance(prepared, dict):
        prepared["$schema"] = "http://json-schema.org/draft-07/schema#"
    checker = Draft202012Validator.FORMAT_CHECKER
    formats = {name: _conforms(checker, name) for name in _formats(schema)}
    unique = _unique_string_lists(prepared)
    try:
        validate = _compiled(prepared, formats, store)
    except fastjsonschema.JsonSchemaDefinitionException:
        return None
    invalid = fastjsonschema.JsonSchemaValueException

    def check(value: Any) -> bool:
        try:
            validate(value)
        except invalid:
            return False
        for name in unique:  # lists of strings, once validate said yes
            items = value.get(name)
            if items is not None and len(set(items)) != len(items):
                return False
        return True

    return check


def _compiled(
    prepared: Any, formats: Mapping[str, Callable[[Any], bool]], store: CodeStore | None
) -> Callable[[Any], Any]:
    """What ``fastjsonschema.compile(prepared, formats=formats, use_default=False)`` returns:
    the code of ``fastjsonschema.compile_to_code`` run, its function given the formats. The code
    depends on the prepared schema, the formats' names, fastjsonschema's version and (compiled)
    Python's; with ``store``, it is compiled once for them."""
    import functools
    import hashlib
    import json
    import marshal
    import sys

    import fastjsonschema
    from fastjsonschema.ref_resolver import RefResolver

    key = hashlib.sha256(
        json.dumps(
            [prepared, sorted(formats), fastjsonschema.VERSION, sys.version], sort_keys=True
        ).encode("utf-8")
    ).digest()
    code = None
    kept = store.get(key) if store is not None else None
    if kept is not None:
        try:
            code = marshal.loads(kept)  # signed by this machine's socialgov (the store's entry)
        except (EOFError, ValueError, TypeError):
            code = None
        if not isinstance(code, type(_compiled.__code__)):
            code = None
    if code is None:
        source = fastjsonschema.compile_to_code(prepared, formats=formats, use_default=False)
        code = compile(source, "<fastjsonschema>", "exec")
        if store is not None:
            store.put(key, marshal.dumps(code))
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # the code fastjsonschema wrote for our own schema
    function = namespace[RefResolver.from_schema(prepared, handlers={}, store={}).get_scope_name()]
    if formats:
        return functools.partial(function, custom_formats=dict(formats))
    return function  # type: ignore[no-any-return]


def _unique_string_lists(prepared: Any) -> tuple[str, ...]:
    """The properties of an object schema that are lists of strings with unique items, their
    ``uniqueItems`` taken out of ``prepared``: the check compares ``len(set(items))`` with
    ``len(items)`` itself. For strings that is jsonschema's uniqueness exactly, and it spares
    fastjsonschema's general one, which defines a function and hashes a frozen copy of every
    item on every call (a quarter of an account's check)."""
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
