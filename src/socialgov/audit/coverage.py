"""Which policies and playbooks reach a channel: the audit's use of the selector language.

A Policy's ``applies_to`` names the channels that must adopt it; a Playbook's ``applies_to`` names
the channels it covers (a channel that lists the playbook in its ``playbooks`` is covered too).
The rules that judge these (SG401, SG408, SG501, SG505) evaluate the same selectors with the same
module, ``socialgov.selectors``, so the audit cannot disagree with them. A selector that does not
compile is reported on its entity by lint (SG101) and selects nothing here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from socialgov.model import ChannelBase, Model, Playbook, Policy
from socialgov.selectors import Selector, SelectorError, compile_selector


def _compiled(applies_to: Mapping[str, Any] | None) -> Selector | None:
    if applies_to is None:
        return None
    try:
        return compile_selector(applies_to)
    except SelectorError:
        return None


class Coverage:
    """The model's policies and playbooks with their selectors compiled once."""

    def __init__(self, model: Model, as_of: dt.date) -> None:
        self.model = model
        self.as_of = as_of
        self._policies = [(p, _compiled(p.applies_to)) for p in sorted(model.policies, key=_id)]
        self._playbooks = [(p, _compiled(p.applies_to)) for p in sorted(model.playbooks, key=_id)]

    def _selects(self, selector: Selector | None, channel: ChannelBase) -> bool:
        return selector is not None and selector.matches(channel, self.model, self.as_of)

    def required_policies(self, channel: ChannelBase) -> tuple[Policy, ...]:
        """The policies whose ``applies_to`` selects ``channel``, by id."""
        return tuple(p for p, selector in self._policies if self._selects(selector, channel))

    def covering_playbooks(self, channel: ChannelBase) -> tuple[Playbook, ...]:
        """The playbooks that cover ``channel``: listed in its ``playbooks``, or selecting it."""
        listed = set(channel.playbooks)
        return tuple(
            p
            for p, selector in self._playbooks
            if p.id in listed or self._selects(selector, channel)
        )


def _id(entity: Policy | Playbook) -> str:
    return entity.id


def crisis_to_pr(playbook: Playbook, model: Model) -> bool:
    """The playbook passes a crisis to a team whose function is pr (what SG505 asks for)."""
    for handoff in playbook.handoffs:
        if handoff.scenario != "crisis":
            continue
        team = model.team(handoff.to_team)
        if team is not None and team.function == "pr":
            return True
    return False
