"""The kinds of entity a repository holds, and waivers: what the run cache's stored state needs
of the model, kept here so that a warm run can read that state without importing the model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "Person",
    "Team",
    "Account",
    "Channel",
    "Policy",
    "Playbook",
    "Objective",
    "Rule",
    "Sighting",
    "Tool",
)

UNWAIVABLE = frozenset({"sg106", "invalid-waiver"})
"""The rule no waiver can silence (SG106, the check of waivers themselves), by code and name."""


@dataclass(frozen=True, slots=True)
class Waiver:
    """A waiver written on an entity: the ``rule`` it suppresses there, the ``reason``, who
    ``approved_by`` it and when it ``expires``; ``index`` is its place in the entity's list."""

    rule: str
    reason: str | None
    approved_by: str | None
    expires: dt.date | None
    index: int


def waiver_applies_at_all(waiver: Waiver, as_of: dt.date) -> bool:
    """A waiver that could suppress something (valid and current)."""
    return bool(waiver.reason and waiver.reason.strip()) and (
        waiver.expires is None or waiver.expires >= as_of
    )
