"""The small values every part of the audit report shares: the base of its classes
(``Written``), a share (``Ratio``), an entity as the report names it (``Ref``), the texts a
field may hold, and what works out a derived member.

``socialgov.audit.report`` (the ``AuditReport`` of every run) and ``socialgov.audit.extras`` (the
parts only ``--by team``, ``--history`` and ``--compare`` make) both build on them; the report
module names them too, where the rest of the package imports them from."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal

Stage = Literal["dormant", "scattered", "coordinated"]
OwnerStatus = Literal["ok", "missing", "unknown", "departed", "not accountable"]
BackupStatus = Literal["ok", "missing", "unknown", "departed", "same as owner"]
Activity = Literal["active", "dormant", "unknown", "not tracked"]
CellState = Literal["adopted", "outdated", "missing", "not required"]
Severity = Literal["error", "warning", "info"]

set_member = object.__setattr__


def derived() -> Any:
    """A member worked out from the others when the value is made (``__post_init__``), and kept
    like a field, after the others: the JSON writer writes fields, and derived members are
    part of the JSON (docs/audit.md). Not an argument, not compared, not in ``repr``."""
    return field(init=False, repr=False, compare=False)


class Written:
    """The base of every report class that orjson may be handed (``renderers/json`` has it
    write every section itself but the adoption matrix): its objects answer ``__dict__``
    (with nothing: their fields are slots) rather than raise.

    orjson asks each dataclass it writes for its ``__dict__`` and, finding ``__slots__`` in
    its class, reads the fields by name; an object without one raised an AttributeError there
    (made and cleared in C), about a fifth of writing a channel row (orjson 3.8), and more
    than the rest of writing a ``Ref``."""

    __slots__ = ()
    __dict__: Any = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Ratio(Written):
    """``part`` of ``whole``; exact, so that 79.9% and 80% are told apart without rounding."""

    part: int
    whole: int
    percent: float | None = derived()
    """The share in percent, rounded *down* to one decimal: a value below a threshold never
    displays as the threshold itself (79.96% shows as 79.9%, not 80.0%)."""

    def __post_init__(self) -> None:
        fraction = self.fraction
        set_member(self, "percent", None if fraction is None else math.floor(fraction * 1000) / 10)

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole else None

    def meets(self, threshold: Fraction) -> bool:
        """At or above ``threshold``; an empty population has nothing missing, so it meets it."""
        fraction = self.fraction
        return fraction is None or fraction >= threshold

    def __str__(self) -> str:
        percent = self.percent
        return f"{self.part}/{self.whole}" + ("" if percent is None else f" ({percent:.1f}%)")


@dataclass(frozen=True, slots=True)
class Ref(Written):
    """An entity as the report names it: by its name, with its id (``name`` is None when the
    entity has none, or it is the id itself)."""

    kind: str
    id: str
    name: str | None = None
    label: str = derived()
    """``Acme Support (acme-x)``, or the id alone when there is no other name."""

    def __post_init__(self) -> None:
        name = self.name
        set_member(self, "label", self.id if name is None else label(name, self.id))

    def __str__(self) -> str:
        return f"{self.kind} {self.label}"


def label(name: str | None, id_: str) -> str:
    """An entity as a person recognises it: its name, with its id to find it by."""
    name = (name or "").strip()
    return id_ if not name or name == id_ else f"{name} ({id_})"
