"""Which channels policies and playbooks cover: shared by the rules and the audit.

A Policy's ``applies_to`` names the channels that must adopt it; a Playbook covers the channels
its ``applies_to`` matches and those that list it in their ``playbooks``. A malformed selector
covers nothing here: SG101 reports it, and no rule may crash on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from socialgov.model import ChannelBase, Model, Playbook

if TYPE_CHECKING:
    from socialgov.lang.selectors import Selections

ChannelKey = tuple[str, str]
"""A channel's (kind, id): Accounts and Channels may share ids."""


def key(channel: ChannelBase) -> ChannelKey:
    return (channel.kind, channel.id)


def selected_channels(
    applies_to: Mapping[str, Any] | None,
    channels: Sequence[ChannelBase],
    model: Model,
    as_of: dt.date,
    selections: Selections | None = None,
) -> list[ChannelBase] | None:
    """The ``channels`` an ``applies_to`` selector matches; None when there is no selector or
    it is malformed (so that it counts as matching nothing, and is reported as SG101).

    Given the run's ``selections``, each selector is compiled and matched once for the run,
    however many rules ask (the answer is the same).
    """
    if applies_to is None:
        return None
    from socialgov.lang.selectors import SelectorError, compile_selector

    try:
        selector = (
            compile_selector(applies_to) if selections is None else selections.compile(applies_to)
        )
    except SelectorError:
        return None
    if selections is not None:
        return selections.filter(model, selector, channels, as_of)  # type: ignore[return-value]
    return [channel for channel in channels if selector.matches(channel, model, as_of)]


def playbook_coverage(
    model: Model,
    channels: Sequence[ChannelBase],
    as_of: dt.date,
    selections: Selections | None = None,
) -> list[tuple[Playbook, ...]]:
    """For each of ``channels``, in their order, the existing playbooks that cover it (possibly
    none).

    Each playbook's selector is compiled and run once over the channels; listing a playbook in
    a channel's ``playbooks`` covers the channel too. ``channels`` are the model's own (their
    (kind, id) unique), and each one's playbooks are found by its place, not its key. Channels
    covered alike share one tuple (most channels of a repository are: 100,000 of them hold a
    few distinct tuples, not 100,000 lists).
    """
    covered: list[tuple[Playbook, ...]] = [()] * len(channels)
    alike: dict[tuple[int, ...], tuple[Playbook, ...]] = {}  # each cover made, by its playbooks
    place: dict[int, int] | None = None
    for playbook in model.playbooks:
        matched = selected_channels(playbook.applies_to, channels, model, as_of, selections)
        if not matched:
            continue
        if place is None:
            place = {id(channel): index for index, channel in enumerate(channels)}
        # each cover found so far, with this playbook added, made once (and kept with it, so
        # that its id stays its own while this loop runs)
        grown: dict[int, tuple[tuple[Playbook, ...], tuple[Playbook, ...]]] = {}
        for channel in matched:
            index = place[id(channel)]
            before = covered[index]
            known = grown.get(id(before))
            if known is None:
                after = (*before, playbook)
                known = grown[id(before)] = (before, alike.setdefault(tuple(map(id, after)), after))
            covered[index] = known[1]
    named: dict[str, Playbook | None] = {}  # each listed id looked up once
    for index, channel in enumerate(channels):
        listed = channel.playbooks
        if listed:
            found = tuple(with_listed(covered[index], listed, model, named))
            covered[index] = alike.setdefault(tuple(map(id, found)), found)
    return covered


def with_listed(
    found: Sequence[Playbook],
    listed: Sequence[str],
    model: Model,
    named: dict[str, Playbook | None],
) -> list[Playbook]:
    """The playbooks that cover a channel: ``found`` (those whose ``applies_to`` select it),
    then those it lists in ``playbooks`` that exist and are not among them. ``named`` holds the
    playbook of each id looked up so far (None: no such playbook), for the next channels."""
    result = list(found)
    for playbook_id in listed:
        if playbook_id not in named:
            entity = model.find("Playbook", playbook_id)
            named[playbook_id] = entity if isinstance(entity, Playbook) else None
        playbook = named[playbook_id]
        if playbook is not None and (not result or all(p.id != playbook_id for p in result)):
            result.append(playbook)
    return result


def has_crisis_path(playbook: Playbook, model: Model) -> bool:
    """True when a handoff of ``playbook`` passes a crisis to a team whose function is pr."""
    for handoff in playbook.handoffs:
        if handoff.scenario != "crisis":
            continue
        team = model.team(handoff.to_team)
        if team is not None and team.function == "pr":
            return True
    return False
