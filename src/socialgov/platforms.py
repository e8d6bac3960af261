"""Social platforms: their names and aliases, handle rules and canonical profile URLs.

Pure data and functions, shared by SG107 handle-url-mismatch, SG304 duplicate-presence and
``socialgov fix``/``import`` (canonical URLs, a stripped leading ``@``, ``twitter`` -> ``x``).

The handle rules are those of SPEC section 3 (lengths inclusive). Platforms without a rule here
(pinterest, reddit, discord, ...) are not checked. URLs are compared after :func:`normalize_url`,
which forgives what does not change the page: ``http`` for ``https``, a missing or extra
``www.``, a trailing slash, letter case, a ``#fragment``, and the old host of a platform
(``twitter.com`` for ``x.com``, ``threads.com`` for ``threads.net``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlsplit

PLATFORMS: tuple[str, ...] = (
    "x",
    "facebook",
    "instagram",
    "linkedin",
    "youtube",
    "tiktok",
    "threads",
    "bluesky",
    "mastodon",
    "pinterest",
    "reddit",
    "discord",
    "whatsapp",
    "snapchat",
    "twitch",
    "forum",
    "other",
)
"""Every value the Account schema allows for ``platform``."""

PLATFORM_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "twitter": "x",
        "twitter.com": "x",
        "x.com": "x",
        "fb": "facebook",
        "facebook.com": "facebook",
        "ig": "instagram",
        "insta": "instagram",
        "instagram.com": "instagram",
        "li": "linkedin",
        "linkedin.com": "linkedin",
        "yt": "youtube",
        "youtube.com": "youtube",
        "tiktok.com": "tiktok",
        "threads.net": "threads",
        "threads.com": "threads",
        "bsky": "bluesky",
        "bsky.app": "bluesky",
        "bsky.social": "bluesky",
        "pinterest.com": "pinterest",
        "reddit.com": "reddit",
        "discord.com": "discord",
        "discord.gg": "discord",
        "whatsapp.com": "whatsapp",
        "snapchat.com": "snapchat",
        "twitch.tv": "twitch",
    }
)
"""Other names people write for a platform (lower case), and the platform they mean."""

HOST_ALIASES: Mapping[str, str] = MappingProxyType(
    {"twitter.com": "x.com", "threads.com": "threads.net"}
)
"""Hosts that serve the same profiles as another (after ``www.`` is removed)."""

_DOMAIN = (
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
)
_FEDIVERSE_USER = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9_])?"


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """What a handle on one platform looks like and where its profile lives.

    ``url_template`` uses ``{handle}``, or ``{user}`` and ``{instance}`` for ``user@instance``
    handles (mastodon). ``also_profiles`` are regexes of other URLs (normalised) that are that
    platform's profile URL whatever the handle, such as YouTube's ``/channel/UC...``.
    """

    platform: str
    label: str
    pattern: re.Pattern[str]
    rule: str
    url_template: str
    also_profiles: tuple[re.Pattern[str], ...] = field(default=())


def _spec(
    platform: str,
    label: str,
    pattern: str,
    rule: str,
    url_template: str,
    also_profiles: tuple[str, ...] = (),
) -> PlatformSpec:
    return PlatformSpec(
        platform=platform,
        label=label,
        pattern=re.compile(pattern),
        rule=rule,
        url_template=url_template,
        also_profiles=tuple(re.compile(p) for p in also_profiles),
    )


_INSTAGRAM = r"[A-Za-z0-9._]{1,30}"
_INSTAGRAM_RULE = "1 to 30 letters, digits, periods or underscores"

SPECS: Mapping[str, PlatformSpec] = MappingProxyType(
    {
        spec.platform: spec
        for spec in (
            _spec(
                "x",
                "X",
                r"[A-Za-z0-9_]{1,15}",
                "1 to 15 letters, digits or underscores",
                "https://x.com/{handle}",
            ),
            _spec(
                "instagram",
                "Instagram",
                _INSTAGRAM,
                _INSTAGRAM_RULE,
                "https://www.instagram.com/{handle}",
            ),
            _spec(
                "threads",
                "Threads",
                _INSTAGRAM,
                _INSTAGRAM_RULE + " (as on Instagram)",
                "https://www.threads.net/@{handle}",
            ),
            _spec(
                "tiktok",
                "TikTok",
                r"[A-Za-z0-9._]{1,23}[A-Za-z0-9_]",
                "2 to 24 letters, digits, periods or underscores, not ending in a period",
                "https://www.tiktok.com/@{handle}",
            ),
            _spec(
                "youtube",
                "YouTube",
                r"[A-Za-z0-9._-]{3,30}",
                "3 to 30 letters, digits, periods, hyphens or underscores",
                "https://www.youtube.com/@{handle}",
                also_profiles=(r"youtube\.com/channel/uc[a-z0-9_-]{22}",),
            ),
            _spec(
                "facebook",
                "Facebook",
                r"[A-Za-z0-9.]{5,50}",
                "5 to 50 letters, digits or periods",
                "https://www.facebook.com/{handle}",
            ),
            _spec(
                "linkedin",
                "LinkedIn",
                r"[a-z0-9-]{2,100}",
                "a company slug: 2 to 100 lower-case letters, digits or hyphens",
                "https://www.linkedin.com/company/{handle}",
            ),
            _spec(
                "mastodon",
                "Mastodon",
                rf"{_FEDIVERSE_USER}@{_DOMAIN}",
                "user@instance, such as acme@mastodon.social (the user: 1 to 30 letters, "
                "digits or underscores, with periods or hyphens inside; the instance: a "
                "domain name)",
                "https://{instance}/@{user}",
            ),
            _spec(
                "bluesky",
                "Bluesky",
                _DOMAIN,
                "a domain name, such as acme.bsky.social or acme.com",
                "https://bsky.app/profile/{handle}",
            ),
        )
    }
)
"""The platforms whose handles and URLs SG107 checks."""


def canonical_platform(name: str) -> str | None:
    """The platform ``name`` means (``Twitter`` -> ``x``), or None when it is not one we know."""
    key = name.strip().lower()
    if key in PLATFORMS:
        return key
    return PLATFORM_ALIASES.get(key)


def bare_handle(handle: str) -> str:
    """A handle without surrounding blanks and without one leading ``@`` (``@acme`` -> ``acme``)."""
    return handle.strip().removeprefix("@")


def handle_key(handle: str) -> str:
    """What makes two handles the same on one platform: bare and case-insensitive."""
    return bare_handle(handle).casefold()


def handle_problem(platform: str, handle: str) -> str | None:
    """Why ``handle`` cannot be a handle on ``platform``, or None when it can (or is unchecked)."""
    spec = SPECS.get(platform)
    if spec is None:
        return None
    bare = bare_handle(handle)
    if spec.pattern.fullmatch(bare):
        return None
    problem = f"'{handle}' is not a valid {spec.label} handle: {spec.label} handles are {spec.rule}"
    if platform == "linkedin" and spec.pattern.fullmatch(bare.lower()):
        problem += f"; write '{bare.lower()}'"
    elif platform == "mastodon" and "@" not in bare:
        problem += "; add the instance the account lives on"
    return problem


def canonical_url(platform: str, handle: str) -> str | None:
    """The profile URL of ``handle`` on ``platform`` as the SPEC writes it.

    None when the platform is not checked or the handle is not valid there.
    """
    spec = SPECS.get(platform)
    if spec is None or handle_problem(platform, handle) is not None:
        return None
    bare = bare_handle(handle)
    user, _, instance = bare.partition("@")
    return spec.url_template.format(handle=bare, user=user, instance=instance.lower())


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")

# An http or https URL whose host is letters, digits, dots and hyphens and whose path holds only
# the plain characters of a URL path: no user, port, query, fragment, blank, backslash, control
# or non-ASCII character. ``urlsplit`` reads such a URL as exactly these two groups (host, path),
# so it is split without it; anything else takes the general path. Most URLs are like this.
_PLAIN_URL = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9.-]+)(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?"
)


def _split(url: str) -> tuple[str, str, str, str]:
    """(scheme, host, path, query) of a URL, with the tolerated differences removed.

    The host is lower case, without ``www.``, a default port or a trailing dot, and with its
    aliases resolved; the path has no trailing slash. Letter case of the path is kept.
    """
    text = url.strip()
    if not _SCHEME.match(text):
        text = "https://" + text.removeprefix("//")
    plain = _PLAIN_URL.fullmatch(text)
    if plain is None:
        return _split_general(text)
    host = plain[1].lower().rstrip(".").removeprefix("www.")
    return "", HOST_ALIASES.get(host, host), (plain[2] or "").rstrip("/"), ""


def _split_general(text: str) -> tuple[str, str, str, str]:
    """:func:`_split` of a URL that has a scheme, by ``urllib.parse.urlsplit``."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return "", "", text, ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    host = host.removeprefix("www.")
    host = HOST_ALIASES.get(host, host)
    if port is not None and not (
        (port == 80 and scheme == "http") or (port == 443 and scheme == "https")
    ):
        host = f"{host}:{port}"
    if scheme in ("http", "https"):
        scheme = ""
    return scheme, host, parts.path.rstrip("/"), parts.query


def normalize_url(url: str) -> str:
    """A URL in the form used to compare URLs: no scheme (for http and https), no ``www.``, no
    trailing slash, no fragment, host aliases resolved, all lower case.

    ``HTTP://www.Twitter.com/Acme/`` and ``https://x.com/acme`` both give ``x.com/acme``.
    """
    scheme, host, path, query = _split(url)
    text = f"{host}{path}" + (f"?{query}" if query else "")
    if scheme:
        text = f"{scheme}://{text}"
    return text.lower()


def same_url(first: str, second: str) -> bool:
    """Whether two URLs name the same page once the tolerated differences are removed."""
    return normalize_url(first) == normalize_url(second)


def _template_regex(spec: PlatformSpec) -> re.Pattern[str]:
    pattern = re.escape(normalize_url(spec.url_template.replace("{", "\0").replace("}", "\1")))
    for name in ("handle", "user", "instance"):
        pattern = pattern.replace(re.escape(f"\0{name}\1"), rf"(?P<{name}>[^/?#]+)")
    return re.compile(pattern, re.IGNORECASE)


_TEMPLATE_REGEXES: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {platform: _template_regex(spec) for platform, spec in SPECS.items()}
)


def handle_from_url(platform: str, url: str) -> str | None:
    """The handle a profile URL of ``platform`` names (in the URL's own letter case), or None
    when the URL is not that platform's profile URL for a valid handle."""
    regex = _TEMPLATE_REGEXES.get(platform)
    if regex is None:
        return None
    scheme, host, path, query = _split(url)
    if scheme or query:
        return None
    match = regex.fullmatch(f"{host}{path}")
    if match is None:
        return None
    groups = match.groupdict()
    handle = groups.get("handle") or f"{groups.get('user')}@{groups.get('instance')}"
    pattern = SPECS[platform].pattern
    if pattern.fullmatch(handle):
        return handle
    # Letter case does not count in a URL: a lower-case-only slug may be written in capitals.
    return handle.lower() if pattern.fullmatch(handle.lower()) else None


def is_profile_url(platform: str, url: str) -> bool:
    """Whether ``url`` is a profile URL of ``platform`` at all (for any valid handle)."""
    if handle_from_url(platform, url) is not None:
        return True
    spec = SPECS.get(platform)
    normalized = normalize_url(url)
    return spec is not None and any(p.fullmatch(normalized) for p in spec.also_profiles)


def url_problem(platform: str, handle: str | None, url: str) -> str | None:
    """Why ``url`` is not the profile URL of ``handle`` on ``platform``, or None when it is.

    Without a handle, the URL must be a profile URL of the platform. Unchecked platforms, and
    handles that are themselves invalid (see :func:`handle_problem`), give None.
    """
    spec = SPECS.get(platform)
    if spec is None:
        return None
    normalized = normalize_url(url)
    if any(p.fullmatch(normalized) for p in spec.also_profiles):
        return None
    if handle is None:
        if handle_from_url(platform, url) is not None:
            return None
        example = spec.url_template.replace("{handle}", "HANDLE").replace("{user}", "USER")
        example = example.replace("{instance}", "INSTANCE")
        return f"'{url}' is not a profile URL on {spec.label} ({example})"
    expected = canonical_url(platform, handle)
    if expected is None or normalized == normalize_url(expected):
        return None
    return f"'{url}' is not the {spec.label} profile URL of handle '{handle}' ({expected})"
