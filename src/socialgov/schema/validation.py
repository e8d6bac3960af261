"""JSON Schema validation of entities and of socialgov.yaml. schemas/ is the source of truth."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.core.resources import data_dir

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

    from socialgov.schema.fastcheck import Check

KIND_FILES: dict[str, str] = {
    "Person": "person.schema.json",
    "Team": "team.schema.json",
    "Account": "account.schema.json",
    "Channel": "channel.schema.json",
    "Policy": "policy.schema.json",
    "Playbook": "playbook.schema.json",
    "Objective": "objective.schema.json",
    "Rule": "rule.schema.json",
    "Sighting": "sighting.schema.json",
    "Tool": "tool.schema.json",
}
CONFIG_FILE = "config.schema.json"
DOCUMENT_FILE = "document.schema.json"


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One violation: where (a path inside the validated value) and what, in plain words."""

    path: tuple[str | int, ...]
    message: str
    at_key: bool = False
    """True when the position to show is the mapping key itself (an unknown field)."""


def schema_files() -> dict[str, Path]:
    """Every published schema by file name."""
    folder = data_dir("schemas")
    return {path.name: path for path in sorted(folder.glob("*.schema.json"))}


@cache
def load_schema(file_name: str) -> dict[str, Any]:
    import json  # here: a warm run asks this module for the schemas' files, never their data

    path = data_dir("schemas") / file_name
    with path.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def _validator(file_name: str) -> Validator:
    from jsonschema import Draft202012Validator

    from socialgov.schema.fastcheck import format_checker

    schema = load_schema(file_name)
    return Draft202012Validator(schema, format_checker=format_checker())


@cache
def check_for(file_name: str) -> Check | None:
    """The compiled yes/no check of one published schema (socialgov.schema.fastcheck, compiled once
    per process), or None where fastcheck cannot compile it."""
    from socialgov.schema.fastcheck import compile_check

    return compile_check(load_schema(file_name))


@cache
def shipped_check_for(file_name: str) -> Check | None:
    """The yes/no check shipped with socialgov for the published schema ``file_name`` (None if
    there is none, or the schema changed since it was generated)."""
    from socialgov.schema.fastcheck import _check

    module = shipped_module_for(file_name)
    return None if module is None else _check(vars(module))


@cache
def shipped_module_for(file_name: str) -> Any:
    """The module of the check shipped for the published schema ``file_name`` (None if there is
    none, or the schema changed since it was generated): socialgov.model builds from its code."""
    from socialgov.schema.fastcheck import shipped_module

    return shipped_module(file_name, (data_dir("schemas") / file_name).read_bytes())


def validate_entity(kind: str, data: Any, validity: Validity | None = None) -> list[SchemaError]:
    """Check one entity mapping against its kind's schema (sparing those ``validity`` knows)."""
    return entity_check(validity)(kind, data)


def entity_check(validity: Validity | None = None) -> Callable[[str, Any], list[SchemaError]]:
    """``validate_entity`` with ``validity`` given, as a function of (kind, data) made once for
    a run: a ``functools.partial`` with a keyword copies its keywords into a new dict at every
    call (about 1,600 instructions an entity)."""
    if validity is None:
        return _check_kind
    sparing = validity.validate

    def check_kind(kind: str, data: Any) -> list[SchemaError]:
        return sparing(KIND_FILES[kind], data)

    return check_kind


def _check_kind(kind: str, data: Any) -> list[SchemaError]:
    return check_schema(KIND_FILES[kind], data)


def validate_config(data: Any) -> list[SchemaError]:
    return check_schema(CONFIG_FILE, data)


class Validity:
    """Which values passed their schema in one run, by identity: those the parse cache vouches
    for (``trust``: their schema check is spared) and those that passed here (``seen``, which the
    parse cache stores with each file). One run's object, never shared between runs."""

    def __init__(self) -> None:
        self.trusted: dict[int, tuple[str, Any]] = {}
        self.seen: dict[int, tuple[str, Any]] = {}
        """id(value) -> (schema file, the value itself: the id is only valid while it lives)."""

    def trust(self, file_name: str, value: Any) -> None:
        """Record that ``value`` passed ``file_name`` (the parse cache knows)."""
        self.trusted[id(value)] = self.seen[id(value)] = (file_name, value)

    def trust_as(self, known: Any, value: Any) -> None:
        """Trust ``value`` as ``known`` is trusted: the same mapping, read again from an edited
        file (incremental lint compares them before asking)."""
        trusted = self.trusted.get(id(known))
        if trusted is not None and trusted[1] is known:
            self.trust(trusted[0], value)

    def validate(self, file_name: str, data: Any) -> list[SchemaError]:
        """Check ``data`` against ``file_name``, unless it is trusted to pass it."""
        known = self.trusted.get(id(data))
        if known is not None and known[1] is data and known[0] == file_name:
            return []
        errors = check_schema(file_name, data)
        if not errors:
            self.seen[id(data)] = (file_name, data)
        return errors


FAST_AFTER = 100
"""Validations of one schema before its compiled check pays for compiling it (about 30 ms)."""
_calls: dict[str, int] = {}
_compiled: dict[str, Check | None] = {}
"""Each schema's compiled check once asked for (check_for)."""
_UNCOMPILED: Any = object()


def check_schema(file_name: str, data: Any) -> list[SchemaError]:
    """``data`` against the published schema ``file_name``: a compiled yes/no check first (the one
    shipped with socialgov; for a schema changed since it was generated, one compiled once the
    schema is used often enough to pay for it, see fastcheck); jsonschema explains only the
    failures, in plain words."""
    check = _compiled.get(file_name, _UNCOMPILED)
    if check is _UNCOMPILED:
        check = shipped_check_for(file_name)
        if check is not None:
            _compiled[file_name] = check
        else:
            calls = _calls[file_name] = _calls.get(file_name, 0) + 1
            if calls > FAST_AFTER:
                check = _compiled[file_name] = check_for(file_name)
    if check is not None:
        if check(data):
            return []
        sure = _surely_explained(file_name, check, data)
        if sure is not None:
            return sure
    return jsonschema_errors(file_name, data)


def surely_explained(file_name: str, data: Any) -> list[SchemaError] | None:
    """What is wrong with ``data`` against the published schema ``file_name``, told without
    jsonschema where that is certain (socialgov.schema.explainer: unknown and missing fields,
    wrong types, values not allowed), else None. [] when the value is valid."""
    check = shipped_check_for(file_name) or check_for(file_name)
    if check is None:
        return None
    if check(data):
        return []
    return _surely_explained(file_name, check, data)


def jsonschema_errors(file_name: str, data: Any) -> list[SchemaError]:
    """What is wrong with ``data`` against the published schema ``file_name``, as jsonschema
    finds it, in plain words (what an invalid entity gets when the explainer is not sure)."""
    return _explain(_validator(file_name), data)


def _surely_explained(file_name: str, check: Check, data: Any) -> list[SchemaError] | None:
    from socialgov.schema.explainer import explained

    errors = explained(load_schema(file_name), check, data)
    if errors is None:
        return None
    described: list[SchemaError] = []
    for path, keyword, detail in errors:
        if keyword == "additionalProperties":
            described.extend(_unknown_fields(path, *detail))
        elif keyword == "required":
            described.append(_missing_field(path, detail))
        elif keyword == "enum":
            described.append(_not_allowed(path, *detail))
        elif keyword == "const":
            described.append(_not_the_constant(path, detail))
        elif keyword == "pattern":
            described.append(_not_matching(path, *detail))
        elif keyword == "format":
            described.append(_not_of_format(path, *detail))
        else:
            described.append(_wrong_type(path, *detail))
    return described


def _explain(validator: Validator, data: Any) -> list[SchemaError]:
    errors: list[SchemaError] = []
    for error in sorted(validator.iter_errors(data), key=_error_order):
        errors.extend(_describe(error))
    return errors


def _error_order(error: ValidationError) -> tuple[str, ...]:
    return tuple(str(part) for part in error.absolute_path)


def _field_name(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the entity"


def _describe(error: ValidationError) -> list[SchemaError]:
    """Plain-language messages for one jsonschema error, positioned at the node to edit."""
    path = tuple(error.absolute_path)
    where = _field_name(path)
    validator = error.validator
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if validator == "additionalProperties" and isinstance(error.instance, Mapping):
        return _unknown_fields(path, list(schema.get("properties", {})), error.instance)
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [_missing_field(path, missing)]
    if validator == "enum":
        return [_not_allowed(path, error.validator_value, error.instance)]
    if validator == "const":
        return [_not_the_constant(path, error.validator_value)]
    if validator == "type":
        return [_wrong_type(path, error.validator_value, error.instance)]
    if validator == "pattern":
        return [_not_matching(path, error.validator_value, error.instance)]
    if validator == "format":
        return [_not_of_format(path, error.validator_value, error.instance)]
    if validator in ("anyOf", "oneOf") and error.context:
        best = min(error.context, key=lambda e: (len(e.absolute_path) * -1, e.validator != "type"))
        return _describe(best)
    message = error.message if len(error.message) < 300 else error.message[:297] + "..."
    return [SchemaError(path, f"{where}: {message}")]


def _unknown_fields(
    path: tuple[str | int, ...], known: list[str], instance: Mapping[Any, Any]
) -> list[SchemaError]:
    where = _field_name(path)
    results = []
    for key in instance:
        if key in known:
            continue
        hint = _suggest(str(key), known)
        fix = f"did you mean '{hint}'?" if hint else "remove it, or keep your own data under labels"
        inside = f"{where}: " if path else ""
        results.append(
            SchemaError((*path, key), f"{inside}unknown field '{key}'; {fix}", at_key=True)
        )
    return results


def _missing_field(path: tuple[str | int, ...], name: str) -> SchemaError:
    return SchemaError(path, f"{_field_name(path)}: required field '{name}' is missing; add it")


def _not_allowed(path: tuple[str | int, ...], allowed: list[Any], instance: Any) -> SchemaError:
    choices = ", ".join(str(v) for v in allowed)
    hint = _suggest(str(instance), [str(v) for v in allowed])
    fix = f"did you mean '{hint}'?" if hint else f"use one of: {choices}"
    return SchemaError(path, f"{_field_name(path)}: '{instance}' is not allowed; {fix}")


def _not_the_constant(path: tuple[str | int, ...], value: Any) -> SchemaError:
    return SchemaError(path, f"{_field_name(path)}: must be '{value}'")


def _not_matching(path: tuple[str | int, ...], pattern: Any, instance: Any) -> SchemaError:
    return SchemaError(
        path, f"{_field_name(path)}: {_short(instance)} does not match the required form {pattern}"
    )


def _not_of_format(path: tuple[str | int, ...], format_name: Any, instance: Any) -> SchemaError:
    how = " (write it as YYYY-MM-DD)" if format_name == "date" else ""
    return SchemaError(
        path, f"{_field_name(path)}: {_short(instance)} is not a valid {format_name}{how}"
    )


_YAML11_BOOLEANS = frozenset(("yes", "no", "on", "off", "y", "n"))
"""Words YAML 1.1 (and PyYAML, and old templates) read as true or false; YAML 1.2 reads text."""


def _wrong_type(path: tuple[str | int, ...], expected: Any, instance: Any) -> SchemaError:
    expected = " or ".join(expected) if isinstance(expected, list) else expected
    wanted = f"{_field_name(path)}: expected {_article(expected)}"
    if instance is None:
        fix = "remove the item" if path and isinstance(path[-1], int) else "remove the field"
        return SchemaError(path, f"{wanted}, got an empty value (null); write one, or {fix}")
    got = f"{wanted}, got {_json_type(instance)} {_short(instance)}"
    if expected == "boolean" and isinstance(instance, str):
        if instance.lower() in _YAML11_BOOLEANS:
            got += "; write true or false (YAML 1.2 reads yes, no, on and off as text)"
        elif instance.lower() in ("true", "false"):
            got += "; remove the quotes"
    return SchemaError(path, got)


def _suggest(word: str, choices: list[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return matches[0] if matches else None


def _article(type_name: str) -> str:
    return f"an {type_name}" if type_name[:1] in "aeiou" else f"a {type_name}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, Mapping):
        return "mapping"
    return type(value).__name__


def _short(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def schema_text(kind: str | None) -> str:
    """The schema of ``kind`` (a kind name, any case, or "config"), or of a whole document."""
    if kind is None:
        file_name = DOCUMENT_FILE
    else:
        by_name = {k.lower(): f for k, f in KIND_FILES.items()}
        by_name.update({"config": CONFIG_FILE, "document": DOCUMENT_FILE})
        file_name = by_name.get(kind.lower(), "")
        if not file_name:
            from socialgov.core.errors import SocialgovError

            choices = ", ".join([*KIND_FILES, "config", "document"])
            raise SocialgovError(f"no schema for '{kind}'; choose one of: {choices}")
    import json

    return json.dumps(load_schema(file_name), indent=2, ensure_ascii=False) + "\n"


def export_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` (relative $refs between them keep working)."""
    from socialgov.core.files import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, source in schema_files().items():
        target = folder / name
        write_atomic(target, source.read_text(encoding="utf-8"))
        written.append(target)
    return written
