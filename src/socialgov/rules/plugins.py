"""Python rules from installed plugin packages: the ``socialgov.rules`` entry point group.

A plugin package declares, in its pyproject.toml::

    [project.entry-points."socialgov.rules"]
    acme = "acme_rules:RULES"

where ``RULES`` is a :class:`~socialgov.rules.base.RuleInfo` (made with ``@rule``) or a list of
them. Plugins are found among the *installed* distributions only. The folder socialgov runs in
and the policy repository itself are taken off the search path while plugins are found and
imported, so a pull request to a policy repository cannot bring code that its CI would run
(``python -m socialgov`` puts the current folder first on ``sys.path``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from socialgov.core.entrypoints import installed_entry_points, without_untrusted_paths
from socialgov.core.errors import SocialgovError
from socialgov.rules.base import RuleInfo

GROUP = "socialgov.rules"


def plugin_rules(untrusted: Iterable[Path] = ()) -> tuple[RuleInfo, ...]:
    """Every rule that installed plugins register; a plugin that fails to load stops the run
    (exit 2) with its name, since silently skipping it would let its findings vanish."""
    found: dict[str, tuple[RuleInfo, str]] = {}
    untrusted = list(untrusted)
    with without_untrusted_paths(untrusted):  # imports made while loading stay trusted too
        for entry, dist in installed_entry_points(GROUP, untrusted):
            label = f"plugin '{entry.name}' ({entry.value}, from {dist.metadata['Name']})"
            for info in _load(entry, label):
                if info.code in found and found[info.code][0] is not info:
                    raise SocialgovError(
                        f"{label} declares rule {info.code}, which {found[info.code][1]} "
                        "already declares; rule codes must be unique"
                    )
                found[info.code] = (info, label)
    return tuple(info for info, _ in sorted(found.values(), key=lambda item: item[0].code))


def _load(entry: object, label: str) -> list[RuleInfo]:
    try:
        value = entry.load()  # type: ignore[attr-defined]
    except Exception as exc:
        raise SocialgovError(
            f"{label} failed to load: {type(exc).__name__}: {exc}; fix the plugin or uninstall it"
        ) from None
    items = list(value) if isinstance(value, list | tuple) else [value]
    for item in items:
        if not isinstance(item, RuleInfo):
            raise SocialgovError(
                f"{label} gives a {type(item).__name__}, not a rule; an entry point must name a "
                "RuleInfo (made with socialgov.rules.base.rule) or a list of them"
            )
    return items
