"""Sightings: which web links are social profiles, and which presences are the same.

Pure functions over the platform catalogue (socialgov.platforms), shared by the rules SG310 and
SG311, ``socialgov discover`` (recognising links and merging sightings) and the audit. Two
presences are the same presence when they share a key: the same platform and handle
(case-insensitive, without a leading @), or the same normalised profile URL, as SG304 compares
Accounts. A profile URL also yields its handle where the catalogue knows the platform's URL form,
so a sighting written as a URL matches an Account written as a handle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from socialgov.platforms import (
    SPECS,
    canonical_platform,
    canonical_url,
    handle_from_url,
    handle_key,
    is_profile_url,
    normalize_url,
)

PresenceKey = tuple[str, ...]
"""("handle", platform, handle key) or ("url", normalised url)."""


@dataclass(frozen=True, slots=True)
class Profile:
    """A link recognised as a social profile: its platform, handle (when the URL names one) and
    the URL to record (the catalogue's canonical profile URL when there is one)."""

    platform: str
    handle: str | None
    url: str


# Single-segment paths of platform hosts that are pages of the platform itself, not profiles
# (links to them are share buttons, log-in links and the like).
_NOT_PROFILES: Mapping[str, frozenset[str]] = {
    "x": frozenset(
        {
            "home",
            "explore",
            "search",
            "share",
            "intent",
            "login",
            "signup",
            "i",
            "settings",
            "notifications",
            "messages",
            "tos",
            "privacy",
            "hashtag",
        }
    ),
    "facebook": frozenset(
        {
            "sharer",
            "sharer.php",
            "share",
            "login",
            "login.php",
            "groups",
            "pages",
            "watch",
            "events",
            "marketplace",
            "help",
            "policies",
            "privacy",
            "dialog",
            "plugins",
            "home.php",
        }
    ),
    "instagram": frozenset({"explore", "accounts", "about", "developer", "legal", "p", "reel"}),
    "threads": frozenset({"login", "search"}),
    "linkedin": frozenset({"shareArticle", "sharing", "feed", "login", "legal", "help"}),
    "youtube": frozenset({"watch", "results", "feed", "playlist", "embed", "shorts"}),
    "tiktok": frozenset({"foryou", "explore", "login", "legal", "following"}),
}


_AT_PATH_HOSTS = frozenset({"medium.com", "vimeo.com", "substack.com", "flickr.com"})
"""Hosts that use ``/@name`` paths but are not Mastodon instances."""


def recognise(url: str) -> Profile | None:
    """The social profile ``url`` links to, or None when it is not a profile link the platform
    catalogue recognises (another site, a share button, a post rather than a profile)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".").removeprefix("www.").removeprefix("m.")
    platform = canonical_platform(host)
    if platform is None:
        # Any host may be a Mastodon instance: https://instance/@user is its profile form.
        bare = f"https://{parts.hostname}{parts.path}"
        handle = None if host in _AT_PATH_HOSTS else handle_from_url("mastodon", bare)
        if handle is None:
            return None
        return Profile("mastodon", handle, canonical_url("mastodon", handle) or bare)
    if platform in SPECS:
        segments = [s for s in parts.path.split("/") if s]
        if segments and segments[0] in _NOT_PROFILES.get(platform, frozenset()):
            return None
        # A query (?lang=en, ?utm_source=...) or fragment does not change which profile it is.
        bare = f"https://{parts.hostname}{parts.path}"
        handle = handle_from_url(platform, bare)
        if handle is not None:
            return Profile(platform, handle, canonical_url(platform, handle) or bare)
        if is_profile_url(platform, bare):
            return Profile(platform, None, bare.rstrip("/"))
        return None
    # Platforms whose URL forms the catalogue does not describe: a link with a path to the
    # platform's host is taken as a profile, recorded as written.
    if not parts.path.strip("/"):
        return None
    return Profile(platform, None, f"https://{parts.hostname}{parts.path}".rstrip("/"))


def presence_keys(platform: str | None, handle: str | None, url: str | None) -> set[PresenceKey]:
    """What makes a presence the same as another: its platform and handle, and its normalised
    URL (and the handle a profile URL names, and the profile URL a handle has)."""
    keys: set[PresenceKey] = set()
    if handle and handle.strip() and platform:
        keys.add(("handle", platform, handle_key(handle)))
        profile = canonical_url(platform, handle)
        if profile is not None:
            keys.add(("url", normalize_url(profile)))
    if url and url.strip():
        keys.add(("url", normalize_url(url)))
        if platform:
            named = handle_from_url(platform, url)
            if named is not None:
                keys.add(("handle", platform, handle_key(named)))
    return keys


E = TypeVar("E")


class PresenceIndex(Generic[E]):
    """Entities by presence key, for finding the one a presence is (the first written wins)."""

    def __init__(self, entries: Iterable[tuple[E, set[PresenceKey]]]) -> None:
        self._by_key: dict[PresenceKey, E] = {}
        for entity, keys in entries:
            for key in keys:
                self._by_key.setdefault(key, entity)

    def find(self, keys: Iterable[PresenceKey]) -> E | None:
        """The entity sharing a key with ``keys`` (handle keys before url keys), or None."""
        for key in sorted(keys):
            found = self._by_key.get(key)
            if found is not None:
                return found
        return None
