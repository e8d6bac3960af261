"""The registry: every built-in rule, found in the family modules of this package.

A family module (ownership.py, focus.py, ...) holds module-level ``RuleInfo`` objects made with
``@rule``; adding a rule is writing one function in the right module. Rules written in YAML under
the top-level rules/ folder, and plugin rules, join them through ``socialgov.rules.custom``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache

from socialgov.rules.base import RuleInfo

_NOT_FAMILIES = {"base", "registry", "engine", "custom", "packs", "plugins"}


@cache
def builtin_rules() -> tuple[RuleInfo, ...]:
    """Every built-in rule (Python families and the YAML rules of rules/), sorted by code."""
    import socialgov.rules as package

    found: dict[str, RuleInfo] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name in _NOT_FAMILIES or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"socialgov.rules.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, RuleInfo):
                if value.code in found and found[value.code] is not value:
                    raise RuntimeError(f"rule code {value.code} is declared twice")
                found[value.code] = value
    from socialgov.rules._programme import programme_rule
    from socialgov.rules.custom import yaml_rules

    for info in yaml_rules():
        if info.code in found:
            raise RuntimeError(f"rule code {info.code} is declared in Python and in rules/")
        found[info.code] = info
    return tuple(programme_rule(info) for info in sorted(found.values(), key=lambda i: i.code))


def find_rule(selector: str, rules: Iterable[RuleInfo] | None = None) -> RuleInfo | None:
    """The rule whose code or name is exactly ``selector`` (case-insensitive)."""
    wanted = selector.strip().lower()
    for info in rules if rules is not None else builtin_rules():
        if info.code.lower() == wanted or info.name == wanted:
            return info
    return None
