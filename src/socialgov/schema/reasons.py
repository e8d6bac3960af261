"""Why a value fails a published schema, without importing jsonschema.

A lint that finds an invalid entity explains it with the errors jsonschema's Draft 2020-12
validator gives (socialgov.schema.validation turns them into plain words). Importing jsonschema
(referencing, attrs, its format libraries) took about 45 ms, for the one or two invalid entities
a repository usually has. ``errors`` gives the same errors, in the same order and with the same
fields validation reads (keyword, its value, the schema holding it, the value, the path, the
message, the errors inside ``anyOf``/``oneOf``), for the keywords the published schemas use,
each written as jsonschema 4 writes it. A schema using anything else (another keyword jsonschema
knows, another format, a reference outside the file, a nested ``$id``) is not ``supported``, and
jsonschema explains it as before. tests/test_schema_reasons.py holds both to the same
explanations on every published schema, on entities broken in every way they can be.
"""

from __future__ import annotations

import functools
import itertools
import numbers
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

_UNSUPPORTED = frozenset(
    {
        "$dynamicRef", "contains", "dependentRequired", "dependentSchemas", "multipleOf",
        "prefixItems", "unevaluatedItems", "unevaluatedProperties",
        "$id", "$anchor", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$vocabulary",
    }
)  # fmt: skip
"""What this module leaves to jsonschema: the keywords of Draft 2020-12 no published schema uses,
and what would change where a reference leads. Every other keyword jsonschema acts on is in
_KEYWORDS (tests/test_schema_reasons.py holds the two to jsonschema's list)."""
_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
_REF = re.compile(r"#(?:/[A-Za-z0-9_$\-.]+)*")
"""A reference this module follows: a JSON pointer inside the schema's own file, with no
escapes."""


class Error:
    """One error as jsonschema's ValidationError holds it (the fields validation reads)."""

    __slots__ = (
        "_set",
        "context",
        "instance",
        "message",
        "parent",
        "path",
        "schema",
        "validator",
        "validator_value",
    )

    def __init__(self, message: str, context: list[Error] | None = None) -> None:
        self.message = message
        self.validator: str | None = None
        self.validator_value: Any = None
        self.instance: Any = None
        self.schema: Any = None
        self.path: deque[str | int] = deque()
        """Where the value is, from the value the error's keyword was checked on upwards."""
        self.context = context or []
        self.parent: Error | None = None
        self._set = False
        for error in self.context:
            error.parent = self

    @property
    def absolute_path(self) -> deque[str | int]:
        if self.parent is None:
            return self.path
        path = deque(self.path)
        path.extendleft(reversed(self.parent.absolute_path))
        return path


class Explainer:
    """jsonschema's errors for one schema (``root``, a whole published schema file)."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.formats = _format_checks()

    def errors(self, instance: Any) -> Iterator[Error]:
        """Every error of ``instance``, in jsonschema's order (Validator.iter_errors)."""
        return self._descend(instance, self.root)

    def _valid(self, instance: Any, schema: Any) -> bool:
        return next(self._descend(instance, schema), None) is None

    def _descend(
        self, instance: Any, schema: Any, path: str | int | None = None
    ) -> Iterator[Error]:
        if schema is True:
            return
        if schema is False:  # (jsonschema leaves out the path to it: so does this)
            error = Error(f"False schema does not allow {instance!r}")
            error.instance, error.schema, error._set = instance, schema, True
            yield error
            return
        for keyword, value in schema.items():
            check = _KEYWORDS.get(keyword)
            if check is None:
                continue
            for error in check(self, value, instance, schema):
                if not error._set:
                    error.validator, error.validator_value = keyword, value
                    error.instance, error.schema, error._set = instance, schema, True
                if path is not None:
                    error.path.appendleft(path)
                yield error

    def _resolve(self, ref: str) -> Any:
        return _resolve(self.root, ref)


def _resolve(root: Any, ref: str) -> Any:
    """The part of ``root`` a reference names (a JSON pointer without escapes, see _REF)."""
    target = root
    for part in ref[2:].split("/") if ref != "#" else ():
        target = target[int(part)] if isinstance(target, list) else target[part]
    return target


def supported(schema: Any) -> bool:
    """Whether ``errors`` gives jsonschema's errors for ``schema``: every keyword jsonschema
    would act on, in every subschema it may reach (through the keywords that hold subschemas,
    and the references), is one this module knows, with values it knows (types, formats,
    references inside the file)."""
    formats = _format_checks()
    pending: list[Any] = [schema]
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, bool) or id(node) in seen:
            continue
        if not isinstance(node, dict):
            return False
        seen.add(id(node))
        for key, value in node.items():
            if key in _UNSUPPORTED and not (node is schema and key == "$id"):
                return False
            if key == "type" and not _known_types(value):
                return False
            if key == "format" and isinstance(value, str) and value not in formats:
                return False
            if key == "$ref":
                if not (isinstance(value, str) and _REF.fullmatch(value)):
                    return False
                try:
                    pending.append(_resolve(schema, value))
                except (KeyError, IndexError, ValueError, TypeError):
                    return False
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                pending.extend(value.values())
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                pending.extend(value)
            elif key in _SCHEMAS:
                pending.append(value)
    return True


_SCHEMAS = frozenset(
    {"additionalProperties", "items", "propertyNames", "not", "if", "then", "else"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})
"""Where the keywords this module knows hold subschemas: one, a list, a mapping of them."""


def _known_types(value: Any) -> bool:
    if isinstance(value, str):
        return value in _TYPES
    return isinstance(value, list) and all(isinstance(v, str) and v in _TYPES for v in value)


# The keywords, each as jsonschema 4's _keywords module checks it.

Check = Callable[[Explainer, Any, Any, Mapping[str, Any]], Iterator[Error]]


def _is_type(instance: Any, name: str) -> bool:
    """Draft 2020-12's types, as jsonschema's type checker tells them."""
    if name == "object":
        return isinstance(instance, dict)
    if name == "string":
        return isinstance(instance, str)
    if name == "array":
        return isinstance(instance, list)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if isinstance(instance, bool):
        return False
    if name == "integer":
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    return isinstance(instance, numbers.Number)  # number


def _equal(one: Any, two: Any) -> bool:
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(i, j) for i, j in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and _equal(value, two[key]) for key, value in one.items()
        )
    return bool(_unbool(one) == _unbool(two))


_TRUE, _FALSE = object(), object()


def _unbool(element: Any) -> Any:
    if element is True:
        return _TRUE
    if element is False:
        return _FALSE
    return element


def _unique(container: list[Any]) -> bool:
    try:
        ordered = sorted(_unbool(i) for i in container)
        for i, j in zip(ordered, itertools.islice(ordered, 1, None), strict=False):
            if _equal(i, j):
                return False
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for element in container:
            element = _unbool(element)
            for other in seen:
                if _equal(other, element):
                    return False
            seen.append(element)
    return True


def _extras_msg(extras: list[Any]) -> tuple[str, str]:
    verb = "was" if len(extras) == 1 else "were"
    return ", ".join(repr(extra) for extra in extras), verb


def _additional(instance: dict[Any, Any], schema: Mapping[str, Any]) -> Iterator[Any]:
    properties = schema.get("properties", {})
    patterns = "|".join(schema.get("patternProperties", {}))
    for name in instance:
        if name not in properties:
            if patterns and re.search(patterns, name):
                continue
            yield name


def _pattern_properties(
    v: Explainer, patterns: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if not isinstance(instance, dict):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if re.search(pattern, key):
                yield from v._descend(value, subschema, path=key)


def _property_names(
    v: Explainer, names: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if not isinstance(instance, dict):
        return
    for name in instance:
        yield from v._descend(name, names)


def _additional_properties(
    v: Explainer, allowed: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if not isinstance(instance, dict):
        return
    extras = set(_additional(instance, schema))
    if isinstance(allowed, dict):
        for extra in extras:
            yield from v._descend(instance[extra], allowed, path=extra)
    elif not allowed and extras:
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(each) for each in sorted(extras))
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            yield Error(f"{joined} {verb} not match any of the regexes: {patterns}")
        else:
            message = "Additional properties are not allowed (%s %s unexpected)"
            yield Error(message % _extras_msg(sorted(extras, key=str)))


def _items(v: Explainer, items: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    if not isinstance(instance, list) or not instance:
        return
    if items is False:
        rest = instance if len(instance) != 1 else instance[0]
        yield Error(f"Expected at most 0 items but found {len(instance)} extra: {rest!r}")
        return
    for index, item in enumerate(instance):
        yield from v._descend(item, items, path=index)


def _const(v: Explainer, const: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    if not _equal(instance, const):
        yield Error(f"{const!r} was expected")


def _exclusive_minimum(
    v: Explainer, minimum: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if _is_type(instance, "number") and instance <= minimum:
        yield Error(f"{instance!r} is less than or equal to the minimum of {minimum!r}")


def _exclusive_maximum(
    v: Explainer, maximum: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if _is_type(instance, "number") and instance >= maximum:
        yield Error(f"{instance!r} is greater than or equal to the maximum of {maximum!r}")


def _minimum(
    v: Explainer, minimum: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if _is_type(instance, "number") and instance < minimum:
        yield Error(f"{instance!r} is less than the minimum of {minimum!r}")


def _maximum(
    v: Explainer, maximum: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if _is_type(instance, "number") and instance > maximum:
        yield Error(f"{instance!r} is greater than the maximum of {maximum!r}")


def _min_items(
    v: Explainer, least: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if isinstance(instance, list) and len(instance) < least:
        yield Error(f"{instance!r} {'should be non-empty' if least == 1 else 'is too short'}")


def _max_items(
    v: Explainer, most: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if isinstance(instance, list) and len(instance) > most:
        yield Error(f"{instance!r} {'is expected to be empty' if most == 0 else 'is too long'}")


def _unique_items(
    v: Explainer, unique: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if unique and isinstance(instance, list) and not _unique(instance):
        yield Error(f"{instance!r} has non-unique elements")


def _pattern(
    v: Explainer, pattern: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if isinstance(instance, str) and not re.search(pattern, instance):
        yield Error(f"{instance!r} does not match {pattern!r}")


def _format(v: Explainer, name: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    check = v.formats.get(name)
    if check is not None and not check(instance):
        yield Error(f"{instance!r} is not a {name!r}")


def _min_length(
    v: Explainer, least: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if isinstance(instance, str) and len(instance) < least:
        yield Error(f"{instance!r} {'should be non-empty' if least == 1 else 'is too short'}")


def _max_length(
    v: Explainer, most: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if isinstance(instance, str) and len(instance) > most:
        yield Error(f"{instance!r} {'is expected to be empty' if most == 0 else 'is too long'}")


def _enum(v: Explainer, enums: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    if all(not _equal(each, instance) for each in enums):
        yield Error(f"{instance!r} is not one of {enums!r}")


def _ref(v: Explainer, ref: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    yield from v._descend(instance, v._resolve(ref))


def _type(v: Explainer, types: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    names = [types] if isinstance(types, str) else types
    if not any(_is_type(instance, name) for name in names):
        reprs = ", ".join(repr(name) for name in names)
        yield Error(f"{instance!r} is not of type {reprs}")


def _properties(
    v: Explainer, properties: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if not isinstance(instance, dict):
        return
    for name, subschema in properties.items():
        if name in instance:
            yield from v._descend(instance[name], subschema, path=name)


def _required(
    v: Explainer, required: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if not isinstance(instance, dict):
        return
    for name in required:
        if name not in instance:
            yield Error(f"{name!r} is a required property")


def _min_properties(
    v: Explainer, least: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if isinstance(instance, dict) and len(instance) < least:
        message = "should be non-empty" if least == 1 else "does not have enough properties"
        yield Error(f"{instance!r} {message}")


def _max_properties(
    v: Explainer, most: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if isinstance(instance, dict) and len(instance) > most:
        message = "is expected to be empty" if most == 0 else "has too many properties"
        yield Error(f"{instance!r} {message}")


def _all_of(v: Explainer, all_of: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    for subschema in all_of:
        yield from v._descend(instance, subschema)


def _any_of(v: Explainer, any_of: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    found: list[Error] = []
    for subschema in any_of:
        errors = list(v._descend(instance, subschema))
        if not errors:
            break
        found.extend(errors)
    else:
        yield Error(f"{instance!r} is not valid under any of the given schemas", found)


def _one_of(v: Explainer, one_of: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    subschemas = iter(one_of)
    found: list[Error] = []
    first_valid = None
    for subschema in subschemas:
        errors = list(v._descend(instance, subschema))
        if not errors:
            first_valid = subschema
            break
        found.extend(errors)
    else:
        yield Error(f"{instance!r} is not valid under any of the given schemas", found)
    more_valid = [each for each in subschemas if v._valid(instance, each)]
    if more_valid:
        more_valid.append(first_valid)
        reprs = ", ".join(repr(each) for each in more_valid)
        yield Error(f"{instance!r} is valid under each of {reprs}")


def _not(
    v: Explainer, not_schema: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[Error]:
    if v._valid(instance, not_schema):
        yield Error(f"{instance!r} should not be valid under {not_schema!r}")


def _if(v: Explainer, if_schema: Any, instance: Any, schema: Mapping[str, Any]) -> Iterator[Error]:
    if v._valid(instance, if_schema):
        if "then" in schema:
            yield from v._descend(instance, schema["then"])
    elif "else" in schema:
        yield from v._descend(instance, schema["else"])


_KEYWORDS: dict[str, Check] = {
    "$ref": _ref,
    "additionalProperties": _additional_properties,
    "allOf": _all_of,
    "anyOf": _any_of,
    "const": _const,
    "enum": _enum,
    "exclusiveMaximum": _exclusive_maximum,
    "exclusiveMinimum": _exclusive_minimum,
    "format": _format,
    "if": _if,
    "items": _items,
    "maxItems": _max_items,
    "maxLength": _max_length,
    "maxProperties": _max_properties,
    "maximum": _maximum,
    "minItems": _min_items,
    "minLength": _min_length,
    "minProperties": _min_properties,
    "minimum": _minimum,
    "not": _not,
    "oneOf": _one_of,
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "properties": _properties,
    "propertyNames": _property_names,
    "required": _required,
    "type": _type,
    "uniqueItems": _unique_items,
}


# Formats, as jsonschema's format checker answers them for Draft 2020-12 (where it imports a
# library for a format, the same library), with the common valid forms accepted first
# (socialgov.schema.fastcheck: the same answers).

_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(instance: Any) -> bool:
    if not isinstance(instance, str):
        return True
    try:
        return bool(_RE_DATE.fullmatch(instance) and date.fromisoformat(instance))
    except ValueError:
        return False


def _is_email(instance: Any) -> bool:
    return not isinstance(instance, str) or "@" in instance


def _is_uri(instance: Any) -> bool:
    if not isinstance(instance, str):
        return True
    import rfc3987

    try:
        return bool(rfc3987.parse(instance, rule="URI"))
    except ValueError:
        return False


def _is_date_time(instance: Any) -> bool:
    if not isinstance(instance, str):
        return True
    from rfc3339_validator import validate_rfc3339

    return bool(validate_rfc3339(instance.upper()))


@functools.cache
def _format_checks() -> dict[str, Callable[[Any], bool]]:
    """The formats this module checks as jsonschema would here: a format whose library is not
    installed (jsonschema then checks it otherwise, or not at all) is left out, and a schema
    using it is left to jsonschema."""
    from importlib.util import find_spec

    from socialgov.schema.fastcheck import _ACCEPTED

    checks: dict[str, Callable[[Any], bool]] = {"date": _is_date, "email": _is_email}
    if find_spec("rfc3987") is not None:
        checks["uri"] = _is_uri
    if find_spec("rfc3339_validator") is not None:
        checks["date-time"] = _is_date_time
    return {name: _accepted_first(_ACCEPTED.get(name), check) for name, check in checks.items()}


def _accepted_first(
    accepted: Callable[[Any], bool] | None, check: Callable[[Any], bool]
) -> Callable[[Any], bool]:
    if accepted is None:
        return check
    return lambda value: accepted(value) or check(value)
