"""The unit hierarchy: Teams and their ``parent`` Team.

Shared by SG214 (a team that is its own ancestor) and ``audit --by team`` (scorecards rolled up
the hierarchy). A parent that names no Team is SG104's business: the chain stops there. A chain
that comes back to a team it has passed stops before repeating it, so a cycle never loops.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from socialgov.model import Team


def parents(teams: Iterable[Team]) -> dict[str, str]:
    """Each team's parent id, for teams that name one."""
    return {t.id: t.parent for t in teams if t.parent}


def ancestors(team: str, parent_of: Mapping[str, str]) -> list[str]:
    """``team``'s chain up to its top unit, ``team`` first; it stops at a parent that is not a
    known team, or before a team it has already passed (a cycle)."""
    chain = [team]
    seen = {team}
    while (parent := parent_of.get(chain[-1])) is not None and parent not in seen:
        chain.append(parent)
        seen.add(parent)
    return chain


def cycles(parent_of: Mapping[str, str]) -> list[list[str]]:
    """Every cycle of the hierarchy once, each from its smallest id, in the order of that id."""
    found: dict[str, list[str]] = {}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(parent_of):
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent_of.get(node)
        if node is not None and state.get(node) == 1:
            loop = path[path.index(node) :]
            first = loop.index(min(loop))
            ordered = loop[first:] + loop[:first]
            found[ordered[0]] = ordered
        for visited in path:
            state[visited] = 2
    return [found[k] for k in sorted(found)]
