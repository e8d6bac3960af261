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
  exactly what they mean to jsonschema.

A schema using any other keyword, a ``$ref`` to another file, or an ``enum``/``const`` that is not
a string is left to jsonschema alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

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


def _prepare(schema: Any) -> Any:
    """A copy of ``schema`` that fastjsonschema reads as jsonschema does, or _Unsupported."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, Mapping):
        raise _Unsupported("a subschema is not a mapping")
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key not in _SAME_MEANING:
            raise _Unsupported(f"keyword {key}")
        if key in _SCHEMA_MAPS:
            result[key] = {name: _prepare(sub) for name, sub in value.items()}
        elif key in _SCHEMA_VALUES:
            result[key] = _prepare(value)
        elif key in _SCHEMA_LISTS:
            result[key] = [_prepare(sub) for sub in value]
        elif key == "$ref":
            if not isinstance(value, str) or not value.startswith("#/"):
                raise _Unsupported(f"$ref {value!r}")
            result[key] = value
        elif key == "enum":
            if not all(isinstance(item, str) for item in value):
                raise _Unsupported("enum of non-strings")
            result[key] = list(value)
        elif key == "const":
            if not isinstance(value, str):
                raise _Unsupported("const of a non-string")
            result[key] = value
        else:
            result[key] = value
    if "$ref" in result and len(result) > 1:
        result = {"allOf": [{"$ref": result.pop("$ref")}], **result}
    return result


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


def compile_check(schema: Mapping[str, Any]) -> Check | None:
    """A function telling whether jsonschema would find no error in a value; None if unsure."""
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

    def conforms(name: str) -> Callable[[Any], bool]:
        return lambda value: checker.conforms(value, name)

    formats = {name: conforms(name) for name in _formats(schema)}
    try:
        validate = fastjsonschema.compile(prepared, formats=formats, use_default=False)
    except fastjsonschema.JsonSchemaDefinitionException:
        return None
    invalid = fastjsonschema.JsonSchemaValueException

    def check(value: Any) -> bool:
        try:
            validate(value)
        except invalid:
            return False
        return True

    return check


@cache
def check_for(file_name: str) -> Check | None:
    """The compiled check of one published schema (compiled once per process), or None."""
    from socialgov.schema import load_schema

    return compile_check(load_schema(file_name))
