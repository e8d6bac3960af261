"""Small helpers the rule families share: options, field positions, wording."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from socialgov.config import DEFAULT_OPTIONS
from socialgov.model import Account, ChannelBase, Entity, Model, Person, Playbook
from socialgov.rules.base import RuleContext
from socialgov.source.loader import Path_


def option(ctx: RuleContext, name: str) -> Any:
    """A rule option from socialgov.yaml, or its default when the run's options lack it."""
    return ctx.options.get(name, DEFAULT_OPTIONS[name])


def defaults(*names: str) -> dict[str, Any]:
    """The default values of some options, for a rule's ``options=`` documentation."""
    return {name: DEFAULT_OPTIONS[name] for name in names}


def written(entity: Entity, *path: str) -> Path_:
    """The longest prefix of ``path`` that the entity's file actually writes.

    Rules point at a field when it is written (an empty list, ``mfa: false``) and at the
    entity, or the nearest written parent, when it is not.
    """
    value: Any = entity.data
    found: list[str] = []
    for part in path:
        # a dict told by its type: isinstance(..., Mapping) asks the ABC (~1,900 instructions)
        if (type(value) is not dict and not isinstance(value, Mapping)) or part not in value:
            break
        found.append(part)
        value = value[part]
    return tuple(found)


def live_accounts(model: Model, ctx: RuleContext) -> tuple[Account, ...]:
    """Accounts whose status is neither retired nor planned, in model order."""
    return ctx.derived.live_accounts(model)


def live_account_coverage(model: Model, ctx: RuleContext) -> tuple[tuple[Playbook, ...], ...]:
    """The playbooks that cover each live Account, in :func:`live_accounts`' order (derived once
    per run; socialgov.domain.coverage.playbook_coverage)."""
    return ctx.derived.live_account_coverage(model, ctx.as_of, ctx.selections)


def live_channels(model: Model, ctx: RuleContext) -> tuple[ChannelBase, ...]:
    """Accounts and traditional Channels whose status is neither retired nor planned, Accounts
    first, each in model order."""
    return ctx.derived.live_channels(model)


def departed_people(model: Model, ctx: RuleContext) -> Mapping[str | None, Person]:
    """The people departed by the run's as-of date, by id (derived once per run): ``.get(id)``
    is the Person an id names when they have departed; None otherwise (no id, an id naming
    nobody, which is SG104's business, or someone still here)."""
    return ctx.derived.departed_people(model, ctx.as_of)  # type: ignore[return-value]


def departure(person: Person, as_of: dt.date) -> str:
    """How a departed person left, for messages: "departed on 2026-03-01" or "has status
    departed"."""
    if person.departed_on is not None and person.departed_on <= as_of:
        return f"departed on {person.departed_on.isoformat()}"
    return "has status departed"


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 day``, ``2 days``."""
    return f"{count} {noun if count == 1 else (plural_form or noun + 's')}"


def listing(items: Iterable[str], limit: int = 10) -> str:
    """``a, b and c``; long lists end with ``and N more``."""
    values = list(items)
    if len(values) > limit:
        shown, rest = values[:limit], len(values) - limit
        return ", ".join(shown) + f" and {rest} more"
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


E = TypeVar("E", bound=Entity)


def by_position(entities: Iterable[E]) -> list[E]:
    """Entities in the order they are written: by file, then line and column.

    The order is read from where each entity sits in its file's data (its document, the list
    holding it, its place in that list), which is the order of the text, without working out
    a line and column for each (a tenth of a 100,000-account run when a team's every Account
    was located to be sorted)."""
    keys: dict[int, dict[Any, int]] = {}

    def written(entity: E) -> tuple[str, int, int, int]:
        source = entity.source
        document, base = source.document, source.base
        if len(base) != 2:  # a document that is one entity (``kind:``)
            return source.path, document.index, -1, 0
        ranks = keys.get(id(document))
        if ranks is None:
            data = document.data
            ranks = keys[id(document)] = {key: n for n, key in enumerate(data)}
        return source.path, document.index, ranks.get(base[0], -1), base[1]

    return sorted(entities, key=written)
