"""The common schema mistakes explained without jsonschema, only where the answer is sure.

When an entity fails its compiled check (socialgov.schema.fastcheck), jsonschema explains why, and
importing it costs about as much as the rest of a small repository's lint. Most mistakes people
make are simple: a misspelt key, a missing field, a number where text belongs, ``Active`` for
``active``. For those, our messages are our own wording (validation's ``unknown_field``,
``required_field``, ``not_allowed``, ``not_the_constant``, ``wrong_type``), not jsonschema's, so
they can be told without it, provided we know exactly which of them jsonschema would report.

This module answers only when it is sure, and says "I cannot say" (None) otherwise:

- which child of an object (or item of a list) fails is asked of the compiled check itself: the
  child is set into a valid example of its parent (the schema's own ``examples``, checked valid
  first), and the whole entity built so is checked. An object whose schema is only ``type``,
  ``properties``, ``required`` and ``additionalProperties`` is valid exactly when each of its
  children is, so that check is the child's own, whatever its schema holds (formats, patterns,
  anything): the compiled check judges as jsonschema does, in this environment;
- at a node that fails it reports what it can tell for certain: unknown keys
  (``additionalProperties: false``), missing required keys, a value of the wrong ``type``, a
  value not in an ``enum`` of strings or not the string ``const``, a string its ``pattern``
  does not find (``re.search``, as jsonschema), a string that is not a ``date`` or an
  ``email`` (the two formats jsonschema checks alike in every install: see _conforms).
  Keywords for another JSON type than the value's are silent (``pattern`` says nothing of a
  number), as in every JSON Schema validator;
- anything else at a failing node (a failing ``minLength``, ``maxLength`` or number bound,
  whose wording is jsonschema's own, another format, ``anyOf``, ``if``/``then``, uniqueness of
  items that are not all strings, a keyword it does not model, a key that is not a string, a
  value that is not plain JSON) makes the whole answer None, and jsonschema explains the entity
  as before.

The errors come in jsonschema's order (the schema's keywords in their written order, ``$ref``
where it is written, items in order) and are sorted by the same key, so the messages, their
paths and order are exactly those of the jsonschema path (tests/test_schema_explainer.py
compares both on thousands of mutated entities, and runs in an environment without the format
libraries of the [dev] extra).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import unquote

_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "title",
        "description",
        "examples",
        "default",
        "deprecated",
    }
)
_FOR_STRINGS = frozenset({"minLength", "maxLength", "pattern", "format"})
_FOR_NUMBERS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
_FOR_OBJECTS = frozenset(
    {
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "dependentRequired",
        "dependentSchemas",
    }
)
_FOR_ARRAYS = frozenset({"items", "uniqueItems", "minItems", "maxItems", "prefixItems"})
_MODELLED_OBJECT = frozenset({"properties", "required", "additionalProperties"})
_MODELLED_ARRAY = frozenset({"items", "uniqueItems", "minItems", "maxItems"})

_HASHED_ALIKE = frozenset({str, int, type(None)})
"""Items whose equality in a set is jsonschema's for uniqueItems (not bool: 1 and True differ)."""
Error = tuple[tuple[Any, ...], str, Any]
"""One error as jsonschema would yield it: its path, its keyword, what describing it needs."""
Wrap = Callable[[Any], Any]
"""Builds a whole entity holding a value at one place, all else in it valid."""


class _Unsure(Exception):
    """The answer would not be certain: jsonschema explains."""


def explained(
    root: Mapping[str, Any], check: Callable[[Any], bool], data: Any
) -> list[Error] | None:
    """What jsonschema would report of ``data`` against the schema ``root`` (whose exact yes/no
    check is ``check``), in its order, sorted as validation sorts them; None when not sure."""
    try:
        errors = _Explainer(root, check).node(root, data, (), _same)
    except (_Unsure, RecursionError):  # deeply nested data: as deep for jsonschema as before
        return None
    if not errors:
        return None  # the check says no, yet nothing found here: something not modelled
    errors.sort(key=lambda error: tuple(str(part) for part in error[0]))
    return errors


def _same(value: Any) -> Any:
    return value


class _Explainer:
    def __init__(self, root: Mapping[str, Any], check: Callable[[Any], bool]) -> None:
        self._root = root
        self._check = check

    def node(self, schema: Any, value: Any, path: tuple[Any, ...], wrap: Wrap) -> list[Error]:
        """Every error of ``value`` against ``schema`` at ``path`` (``wrap`` places a value
        there in a whole entity that is valid elsewhere)."""
        nodes: list[Mapping[str, Any]] = []
        keywords = self._keywords(schema, nodes)
        kind = _json_kind(value)
        if kind == "object" and any(not isinstance(key, str) for key in value):
            raise _Unsure
        objects = [(key, node) for key, _, node in keywords if key in _FOR_OBJECTS]
        if kind == "object" and objects:
            if any(key not in _MODELLED_OBJECT for key, _ in objects):
                raise _Unsure
            if len({id(node) for _, node in objects}) != 1:
                raise _Unsure  # object keywords written in two places: not modelled
        place = _Place(self, nodes, keywords, wrap)
        errors: list[Error] = []
        for key, keyword_value, node in keywords:
            if key in _OF_THE_VALUE:
                error = _error_of(key, keyword_value, value, kind)
                if error is not None:
                    errors.append((path, *error))
            elif key in _FOR_OBJECTS:
                if kind == "object":
                    errors.extend(self._object(key, keyword_value, node, value, path, place))
            elif key in _FOR_ARRAYS:
                if kind == "array":
                    errors.extend(self._array(key, keyword_value, keywords, value, path, wrap))
            elif key == "if":
                branch = node.get("then" if self.valid(keyword_value, value) else "else")
                if branch is not None:
                    errors.extend(self.node(branch, value, path, wrap))
            elif key == "anyOf":
                if not any(self.valid(branch, value) for branch in keyword_value):
                    raise _Unsure  # jsonschema's message of its best branch: not modelled
            elif key not in ("then", "else"):  # then and else are read by if
                raise _Unsure
        return errors

    def valid(self, schema: Any, value: Any) -> bool:
        """Whether ``value`` is valid against ``schema``, told for certain (else _Unsure)."""
        kind = _json_kind(value)
        for key, keyword_value, node in self._keywords(schema, []):
            if key in _OF_THE_VALUE:
                if _error_of(key, keyword_value, value, kind) is not None:
                    return False
            elif key in _FOR_ARRAYS:
                if kind == "array":
                    raise _Unsure
            elif key in _FOR_OBJECTS:
                if kind == "object" and not self._valid_object(key, keyword_value, node, value):
                    return False
            elif key in ("if", "anyOf"):
                if not self.conditions_hold([(key, keyword_value, node)], value):
                    return False
            elif key not in ("then", "else"):
                raise _Unsure
        return True

    def _valid_object(
        self, key: str, keyword_value: Any, node: Mapping[str, Any], value: dict[Any, Any]
    ) -> bool:
        if any(not isinstance(name, str) for name in value):
            raise _Unsure
        if key == "required":
            return all(name in value for name in _names(keyword_value))
        if key == "properties" and isinstance(keyword_value, Mapping):
            return all(
                self.valid(sub, value[name]) for name, sub in keyword_value.items() if name in value
            )
        if key == "additionalProperties" and "patternProperties" not in node:
            known = node.get("properties", {})
            extras = [name for name in value if name not in known]
            if isinstance(keyword_value, bool):
                return keyword_value or not extras
            return all(self.valid(keyword_value, value[name]) for name in extras)
        raise _Unsure

    def conditions_hold(
        self, keywords: list[tuple[str, Any, Mapping[str, Any]]], value: Any
    ) -> bool:
        """Whether the keywords relating several children (``if``, ``anyOf``) are satisfied."""
        for key, keyword_value, node in keywords:
            if key == "if":
                branch = node.get("then" if self.valid(keyword_value, value) else "else")
                if branch is not None and not self.valid(branch, value):
                    return False
            elif key == "anyOf" and not any(self.valid(branch, value) for branch in keyword_value):
                return False
        return True

    def _keywords(
        self, schema: Any, nodes: list[Mapping[str, Any]]
    ) -> list[tuple[str, Any, Mapping[str, Any]]]:
        """The validating keywords of ``schema`` in jsonschema's order, each with the mapping it
        is written in: a local ``$ref``'s keywords where the ``$ref`` is written. Every mapping
        read is added to ``nodes``."""
        if schema is True:
            return []
        if not isinstance(schema, Mapping):
            raise _Unsure
        if ("$id" in schema and schema is not self._root) or any(n is schema for n in nodes):
            raise _Unsure  # refs read from another base, or refs leading back to themselves
        nodes.append(schema)
        result: list[tuple[str, Any, Mapping[str, Any]]] = []
        for key, value in schema.items():
            if key in _ANNOTATIONS:
                continue
            if key == "$ref":
                result.extend(self._keywords(self._resolve(value), nodes))
            else:
                result.append((key, value, schema))
        return result

    def _resolve(self, ref: Any) -> Any:
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise _Unsure
        target: Any = self._root
        for part in ref[2:].split("/"):
            name = unquote(part).replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or name not in target:
                raise _Unsure
            target = target[name]
        return target

    def _fails(self, wrap: Wrap, value: Any) -> bool:
        return not self._check(wrap(value))

    def passes(self, wrap: Wrap, value: Any) -> bool:
        return bool(self._check(wrap(value)))

    def _object(
        self,
        key: str,
        keyword_value: Any,
        node: Mapping[str, Any],
        value: dict[str, Any],
        path: tuple[Any, ...],
        place: _Place,
    ) -> list[Error]:
        errors: list[Error] = []
        if key == "required":
            for name in _names(keyword_value):
                if name not in value:
                    errors.append((path, "required", name))
        elif key == "properties":
            if not isinstance(keyword_value, Mapping):
                raise _Unsure
            for name, sub in keyword_value.items():
                if name in value:
                    errors.extend(self._child(sub, value[name], path, name, place))
        else:  # additionalProperties
            if "patternProperties" in node:
                raise _Unsure
            known = node.get("properties", {})
            extras = [name for name in value if name not in known]
            if keyword_value is False:
                if extras:
                    errors.append((path, "additionalProperties", (list(known), value)))
            elif keyword_value is not True:
                for name in extras:
                    errors.extend(self._child(keyword_value, value[name], path, name, place))
        return errors

    def _child(
        self, schema: Any, value: Any, path: tuple[Any, ...], name: str, place: _Place
    ) -> list[Error]:
        """The errors of one child of an object: none if the check passes it there."""
        placed = place.child(name)
        if not self._fails(placed, value):
            return []
        return self.node(schema, value, (*path, name), placed)

    def _array(
        self,
        key: str,
        keyword_value: Any,
        keywords: list[tuple[str, Any, Mapping[str, Any]]],
        value: list[Any],
        path: tuple[Any, ...],
        wrap: Wrap,
    ) -> list[Error]:
        if key == "uniqueItems":
            if keyword_value is True and (
                not all(type(item) in _HASHED_ALIKE for item in value)
                or len(set(value)) != len(value)
            ):
                raise _Unsure  # equality not modelled, or not unique (jsonschema's wording)
            return []
        if key == "minItems":
            if not isinstance(keyword_value, int) or len(value) < keyword_value:
                raise _Unsure
            return []
        if key == "maxItems":
            if not isinstance(keyword_value, int) or len(value) > keyword_value:
                raise _Unsure
            return []
        if key != "items":
            raise _Unsure
        # items: each item tried alone in a list of one (which the list's other keywords allow)
        for other, limit, _ in keywords:
            if other in ("minItems", "maxItems") and (
                not isinstance(limit, int) or (limit > 1 if other == "minItems" else limit < 1)
            ):
                raise _Unsure
        errors: list[Error] = []
        for index, item in enumerate(value):

            def placed(child: Any) -> Any:
                return wrap([child])

            if self._fails(placed, item):
                errors.extend(self.node(keyword_value, item, (*path, index), placed))
        return errors


class _Place:
    """Where an object stands: children are tried one at a time in a valid example of it."""

    def __init__(
        self,
        explainer: _Explainer,
        nodes: list[Mapping[str, Any]],
        keywords: list[tuple[str, Any, Mapping[str, Any]]],
        wrap: Wrap,
    ) -> None:
        self._explainer = explainer
        self._nodes = nodes
        self._keywords = keywords
        self._wrap = wrap
        self._bases: list[dict[str, Any]] | None = None

    def child(self, name: str) -> Wrap:
        """Places a value as the child ``name`` of a valid example of this object. The check of
        that whole entity is the child's own when the example's other children are valid and
        what relates children (``if``, ``anyOf``) holds with it in place: the first example
        where it does is used, or _Unsure."""
        bases = self.bases()
        explainer = self._explainer
        keywords = self._keywords
        wrap = self._wrap

        def placed(child: Any) -> Any:
            for base in bases:
                probe = {**base, name: child}
                if explainer.conditions_hold(keywords, probe):
                    return wrap(probe)
            raise _Unsure

        return placed

    def bases(self) -> list[dict[str, Any]]:
        """The schema's examples of this object that the check passes here."""
        if self._bases is None:
            self._bases = [
                example
                for node in self._nodes
                for example in _listed(node.get("examples"))
                if isinstance(example, dict) and self._explainer.passes(self._wrap, example)
            ]
        return self._bases


_OF_THE_VALUE = frozenset({"type", "enum", "const"}) | _FOR_STRINGS | _FOR_NUMBERS
"""The keywords that judge a value alone, without its children."""


def _error_of(key: str, keyword_value: Any, value: Any, kind: str) -> tuple[str, Any] | None:
    """The error one of the keywords _OF_THE_VALUE finds in ``value`` (of JSON type ``kind``):
    its keyword and what describing it needs, or None; _Unsure for a string or number keyword
    judging a value of its type (their checks are not modelled)."""
    if key == "type":
        return None if _is_type(value, keyword_value) else ("type", (keyword_value, value))
    if key == "enum":
        return ("enum", (keyword_value, value)) if _fails_strings(value, keyword_value) else None
    if key == "const":
        return ("const", keyword_value) if _fails_strings(value, [keyword_value]) else None
    if kind == "string" and key in _FOR_STRINGS:
        if key == "pattern":
            return None if _matches(keyword_value, value) else ("pattern", (keyword_value, value))
        if key == "format":
            return None if _conforms(keyword_value, value) else ("format", (keyword_value, value))
        if not isinstance(keyword_value, int) or isinstance(keyword_value, bool):
            raise _Unsure
        too_short = key == "minLength" and len(value) < keyword_value
        if too_short or (key == "maxLength" and len(value) > keyword_value):
            raise _Unsure  # jsonschema's wording of a length, which differs between its versions
        return None
    if key in _FOR_NUMBERS and kind == "number":
        raise _Unsure
    return None


def _matches(pattern: Any, value: str) -> bool:
    """jsonschema's ``pattern``: ``re.search`` of the pattern as written."""
    if not isinstance(pattern, str):
        raise _Unsure
    try:
        return re.search(pattern, value) is not None
    except re.error:
        raise _Unsure from None


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _conforms(name: Any, value: str) -> bool:
    """What jsonschema's format checker says of the string ``value`` for the formats whose check
    is the same in every install (jsonschema 4.18 and later, with or without format libraries):
    ``date`` is ``YYYY-MM-DD`` in ASCII digits naming a real day (its ``_RE_DATE.fullmatch`` and
    ``date.fromisoformat``, a ValueError being a "no"), ``email`` holds an ``@``. Any other
    format (``uri`` is checked only where rfc3987 is installed, ``date-time`` only with
    rfc3339-validator) is jsonschema's to judge."""
    if name == "date":
        if _DATE.fullmatch(value) is None:
            return False
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    if name == "email":
        return "@" in value
    raise _Unsure


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _names(required: Any) -> list[str]:
    """The names ``required`` lists, if jsonschema's message quotes each as written."""
    if not isinstance(required, list) or not all(
        isinstance(name, str) and repr(name) == f"'{name}'" for name in required
    ):
        raise _Unsure
    return required


def _json_kind(value: Any) -> str:
    """The JSON type of a value as loaded from YAML or JSON; _Unsure for anything else."""
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    raise _Unsure


def _is_type(value: Any, expected: Any) -> bool:
    """jsonschema's Draft 2020-12 type check (an integer-valued float is an integer)."""
    names = expected if isinstance(expected, list) else [expected]
    kind = _json_kind(value)
    for name in names:
        if name == kind:
            return True
        if name == "integer":
            if kind == "number" and (isinstance(value, int) or value.is_integer()):
                return True
        elif name not in ("string", "null", "boolean", "number", "object", "array"):
            raise _Unsure
    return False


def _fails_strings(value: Any, allowed: Any) -> bool:
    """Whether ``value`` is none of ``allowed``, all strings (no other equality to model)."""
    if not isinstance(allowed, list) or not all(isinstance(item, str) for item in allowed):
        raise _Unsure
    return not isinstance(value, str) or value not in allowed
