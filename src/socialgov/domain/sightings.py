"""Sightings: which web links are social profiles, and which presences are the same.

Thin over the platform catalogue (socialgov.domain.platforms), shared by the rules SG310 and SG311,
``socialgov discover`` (recognising links and merging sightings) and the audit. What makes two
presences one is the catalogue's :func:`~socialgov.domain.platforms.presence_keys`, exactly as SG304
compares Accounts: a sighting sharing a key with an Account is that Account.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import urlsplit, urlunsplit

from socialgov.domain import platforms

PresenceKey = str
"""An identity key of the catalogue (``x:name:acme``, ``url:example.org/acme``)."""


@dataclass(frozen=True, slots=True)
class ProfileLink:
    """A link recognised as a social profile: its platform, the handle it names, and the URL to
    record (the catalogue's canonical profile URL of the handle when there is one, else the
    link without its fragment and without a query that does not change the profile)."""

    platform: str
    handle: str | None
    url: str


def recognise(url: str) -> ProfileLink | None:
    """The social profile ``url`` links to, or None when the catalogue reads no profile there
    (another site, a share button, a post rather than a profile, a javascript: link)."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    profile = platforms.parse_profile(text)
    if profile is None:
        return None
    canonical = platforms.canonical_url(profile.platform, profile.handle)
    if canonical is None:
        bare = urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, "", ""))
        same = platforms.parse_profile(bare)
        keep_query = same is None or same.key != profile.key
        canonical = urlunsplit(
            (parts.scheme.lower(), parts.netloc, parts.path, parts.query if keep_query else "", "")
        )
    return ProfileLink(profile.platform, profile.handle or None, canonical)


def presence_keys(platform: str | None, handle: str | None, url: str | None) -> set[PresenceKey]:
    """The catalogue's identity keys of a presence (see platforms.presence_keys)."""
    return set(platforms.presence_keys(platform, handle, url))


E = TypeVar("E")


class PresenceIndex(Generic[E]):
    """Entities by presence key, for finding the one a presence is (the first written wins)."""

    def __init__(self, entries: Iterable[tuple[E, set[PresenceKey]]]) -> None:
        self._by_key: dict[PresenceKey, E] = {}
        for entity, keys in entries:
            for key in keys:
                self._by_key.setdefault(key, entity)

    def find(self, keys: Iterable[PresenceKey]) -> E | None:
        """The entity sharing a key with ``keys``, or None (keys tried in a fixed order)."""
        for key in sorted(keys):
            found = self._by_key.get(key)
            if found is not None:
                return found
        return None
