"""The platform catalogue: every platform socialgov knows, the names people write for it, its
profile URL forms in current or past use, its handle rule and, for platforms that shut down,
the day they closed.

Everything here is generated from one table, :data:`CATALOGUE`, which the importer, ``fix``,
SG107 handle-url-mismatch, SG108 retired-platform, SG304 duplicate-presence and discovery share.
The public API (documented in docs/importing.md):

- :func:`platform_named` reads a platform as people write it (``X (formerly Twitter)``,
  ``LinkedIn School Page``, ``Facebook Group``) into a :class:`PlatformName`;
- :func:`parse_profile` reads a profile URL into a :class:`Profile` (platform, what the URL names,
  the handle to write); :func:`parse_handle` does the same for a handle as written
  (``@user@instance``, ``r/name``, or a URL pasted into a handle cell);
- :func:`presence_keys` gives what makes two accounts one presence (SG304, sightings);
- :func:`closed_on` gives the day a platform shut down;
- :func:`handle_problem`, :func:`url_problem` and :func:`canonical_url` are SG107's verdicts
  and the canonical profile URL of a handle.

The handle rules of SPEC section 3 (lengths inclusive) are checked for the platforms it lists;
other platforms' handles are checked only for being a handle at all (not a URL). URLs are
compared after :func:`normalize_url`, which forgives what does not change the page: ``http`` for
``https``, a missing or extra ``www.``, a trailing slash, letter case, a ``#fragment``, and the
old host of a platform (``twitter.com`` for ``x.com``, ``threads.com`` for ``threads.net``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

_DOMAIN = (
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
)
_FEDIVERSE_USER = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,28}[A-Za-z0-9_])?"
_SEGMENT = r"[^/]+"

FORUM = "forum"
"""The Account ``type`` of a discussion community (a group, a subreddit, a server)."""


@dataclass(frozen=True, slots=True)
class Form:
    """One profile URL form of a platform: a regex over the URL's path (after the host, without
    a trailing slash) whose group ``v`` is the value it names.

    ``space`` is what kind of value that is (``name``: a handle or vanity name; ``id``: a
    number; ``channel``: a YouTube channel id; ``group``, ``person``, ``org``, ``subreddit``,
    ``invite``, ``show``...): two URLs are the same presence when platform, space and value
    agree. ``type`` is ``forum`` for communities. ``handle`` writes the value as a handle
    (``r/{v}`` for a subreddit). ``comparable`` says whether a handle can be compared with the
    value (an invite code or a podcast id cannot). ``path`` is the regex's text: it is compiled
    when a URL of the platform is first read (:func:`_form_steps`), not at import."""

    path: str
    space: str
    type: str | None = None
    handle: str = "{v}"
    comparable: bool = True


def _form(
    path: str,
    space: str = "name",
    *,
    type: str | None = None,
    handle: str = "{v}",
    comparable: bool = True,
) -> Form:
    pattern = path.replace("{v}", f"(?P<v>{_SEGMENT})").replace("{id}", r"(?P<v>\d+)")
    return Form(pattern, space, type, handle, comparable)


@dataclass(frozen=True, slots=True)
class Platform:
    """A platform of the catalogue.

    ``hosts`` serve its profiles (the first is the canonical one; subdomains count);
    ``subdomain_handle`` says the handle is the subdomain (``acme.tumblr.com``). ``pattern`` and
    ``rule`` are the handle rule SG107 checks (None: any handle that is not a URL). ``template``
    is the canonical profile URL of a handle. ``reserved`` are first path segments that are
    never a profile (``/watch``, ``/search``). ``closed`` is the day it shut down.
    """

    id: str
    label: str
    names: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    forms: tuple[Form, ...] = ()
    pattern: re.Pattern[str] | None = None
    rule: str = ""
    template: str | None = None
    reserved: frozenset[str] = frozenset()
    closed: dt.date | None = None
    subdomain_handle: bool = False
    handle_prefix: str = ""
    """A sign some write before a handle and that is no part of it (``+`` on Google+)."""


def _platform(
    id: str,
    label: str,
    *,
    names: tuple[str, ...] = (),
    hosts: tuple[str, ...] = (),
    forms: tuple[Form, ...] = (),
    pattern: str | None = None,
    rule: str = "",
    template: str | None = None,
    reserved: str = "",
    closed: str | None = None,
    subdomain_handle: bool = False,
    handle_prefix: str = "",
) -> Platform:
    return Platform(
        id=id,
        label=label,
        names=names,
        hosts=hosts,
        forms=forms,
        pattern=re.compile(pattern) if pattern is not None else None,
        rule=rule,
        template=template,
        reserved=frozenset(reserved.split()),
        closed=dt.date.fromisoformat(closed) if closed else None,
        subdomain_handle=subdomain_handle,
        handle_prefix=handle_prefix,
    )


_INSTAGRAM = r"[A-Za-z0-9._]{1,30}"
_INSTAGRAM_RULE = "1 to 30 letters, digits, periods or underscores"

CATALOGUE: Mapping[str, Platform] = MappingProxyType(
    {
        p.id: p
        for p in (
            _platform(
                "x",
                "X",
                names=("twitter", "x twitter", "twitter x", "x formerly twitter"),
                hosts=("x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"),
                forms=(_form("/@{v}"), _form("/{v}")),
                pattern=r"[A-Za-z0-9_]{1,15}",
                rule="1 to 15 letters, digits or underscores",
                template="https://x.com/{handle}",
                reserved="home i intent search hashtag share explore settings messages "
                "notifications login signup tos privacy compose",
            ),
            _platform(
                "facebook",
                "Facebook",
                names=("fb", "facebook page", "fb page", "facebook group", "fb group"),
                hosts=("facebook.com", "fb.com", "m.facebook.com", "web.facebook.com", "fb.me"),
                forms=(
                    _form("/profile\\.php", "id"),  # ?id=N, read from the query
                    _form("/pages/[^/]+/{id}", "id"),
                    _form("/pages/category/[^/]+/[^/]+-{id}", "id"),
                    _form("/people/[^/]+/{id}", "id"),
                    _form("/groups/{v}", "group", type=FORUM),
                    _form("/pg/{v}"),
                    _form("/[^/]*[A-Za-z][^/]*-{id}", "id"),
                    _form("/{id}", "id"),
                    _form("/{v}"),
                ),
                # New usernames need 5 characters, but older pages keep shorter ones
                # (facebook.com/noaa, /nasa, /cnn): 1 is the least that exists.
                pattern=r"[A-Za-z0-9.]{1,50}",
                rule="1 to 50 letters, digits or periods",
                template="https://www.facebook.com/{handle}",
                reserved="events watch marketplace sharer sharer.php login help photo.php "
                "permalink.php story.php plugins share dialog hashtag gaming",
            ),
            _platform(
                "instagram",
                "Instagram",
                names=("ig", "insta", "instagram business"),
                hosts=("instagram.com", "instagr.am"),
                forms=(_form("/{v}"),),
                pattern=_INSTAGRAM,
                rule=_INSTAGRAM_RULE,
                template="https://www.instagram.com/{handle}",
                reserved="p reel reels explore stories accounts tv direct",
            ),
            _platform(
                "linkedin",
                "LinkedIn",
                names=(
                    "li",
                    "linked in",
                    "linkedin company",
                    "linkedin company page",
                    "linkedin school",
                    "linkedin school page",
                    "linkedin showcase",
                    "linkedin showcase page",
                    "linkedin page",
                    "linkedin group",
                ),
                hosts=("linkedin.com",),
                forms=(
                    _form("/company/{v}", "org"),
                    _form("/school/{v}", "org"),
                    _form("/showcase/{v}", "org"),
                    _form("/groups/{v}", "group", type=FORUM),
                    _form("/in/{v}", "person"),
                ),
                pattern=r"[a-z0-9-]{2,100}",
                rule="a company slug: 2 to 100 lower-case letters, digits or hyphens",
                template="https://www.linkedin.com/company/{handle}",
            ),
            _platform(
                "youtube",
                "YouTube",
                names=("yt", "youtube channel", "you tube"),
                hosts=("youtube.com", "m.youtube.com"),
                forms=(
                    _form("/@{v}"),
                    _form("/channel/(?P<v>UC[A-Za-z0-9_-]{22})", "channel"),
                    _form("/user/{v}"),
                    _form("/c/{v}"),
                    _form("/{v}"),
                ),
                pattern=r"[A-Za-z0-9._-]{3,30}",
                rule="3 to 30 letters, digits, periods, hyphens or underscores",
                template="https://www.youtube.com/@{handle}",
                reserved="watch playlist results feed shorts embed live redirect t premium "
                "gaming channel user c signin account",
            ),
            _platform(
                "tiktok",
                "TikTok",
                names=("tik tok",),
                hosts=("tiktok.com",),
                forms=(_form("/@{v}"),),
                pattern=r"[A-Za-z0-9._]{1,23}[A-Za-z0-9_]",
                rule="2 to 24 letters, digits, periods or underscores, not ending in a period",
                template="https://www.tiktok.com/@{handle}",
            ),
            _platform(
                "threads",
                "Threads",
                names=("threads", "instagram threads", "meta threads"),
                hosts=("threads.net", "threads.com"),
                forms=(_form("/@{v}"),),
                pattern=_INSTAGRAM,
                rule=_INSTAGRAM_RULE + " (as on Instagram)",
                template="https://www.threads.net/@{handle}",
            ),
            _platform(
                "bluesky",
                "Bluesky",
                names=("bsky", "bluesky social", "blue sky"),
                hosts=("bsky.app",),
                forms=(_form("/profile/{v}"),),
                pattern=rf"{_DOMAIN}|did:plc:[a-z2-7]{{24}}",
                rule="a domain name, such as acme.bsky.social or acme.com",
                template="https://bsky.app/profile/{handle}",
            ),
            _platform(
                "mastodon",
                "Mastodon",
                names=("fediverse", "fedi"),
                hosts=(
                    "mastodon.social",
                    "mastodon.online",
                    "mstdn.social",
                    "mas.to",
                    "fosstodon.org",
                    "hachyderm.io",
                    "infosec.exchange",
                    "social.bund.de",
                ),
                forms=(_form("/@{v}"), _form("/users/{v}")),
                pattern=rf"{_FEDIVERSE_USER}@{_DOMAIN}",
                rule="user@instance, such as acme@mastodon.social (the user: 1 to 30 letters, "
                "digits or underscores, with periods or hyphens inside; the instance: a "
                "domain name)",
                template="https://{instance}/@{user}",
            ),
            _platform(
                "pinterest",
                "Pinterest",
                hosts=(
                    "pinterest.com",
                    "pinterest.co.uk",
                    "pinterest.ca",
                    "pinterest.de",
                    "pinterest.fr",
                    "pinterest.com.au",
                    "pin.it",
                ),
                forms=(_form("/{v}"),),
                template="https://www.pinterest.com/{handle}",
                reserved="pin search ideas today business categories",
            ),
            _platform(
                "reddit",
                "Reddit",
                names=("subreddit", "reddit community"),
                hosts=("reddit.com", "old.reddit.com"),
                forms=(
                    _form("/r/{v}", "subreddit", type=FORUM, handle="r/{v}"),
                    _form("/u/{v}", "user", handle="u/{v}"),
                    _form("/user/{v}", "user", handle="u/{v}"),
                ),
            ),
            _platform(
                "discord",
                "Discord",
                names=("discord server", "discord community"),
                hosts=("discord.gg", "discord.com", "discordapp.com"),
                forms=(
                    _form("/invite/{v}", "invite", type=FORUM, comparable=False),
                    _form("/{v}", "invite", type=FORUM, comparable=False),
                ),
                reserved="channels app login servers developers download",
            ),
            _platform(
                "whatsapp",
                "WhatsApp",
                names=("whats app", "whatsapp channel", "whatsapp business"),
                hosts=("whatsapp.com", "wa.me"),
                forms=(
                    _form("/channel/{v}", "channel", comparable=False),
                    _form("/{v}", "number", comparable=False),
                ),
                reserved="download business",
            ),
            _platform(
                "snapchat",
                "Snapchat",
                names=("snap",),
                hosts=("snapchat.com",),
                forms=(_form("/add/{v}"), _form("/@{v}")),
                template="https://www.snapchat.com/add/{handle}",
            ),
            _platform(
                "twitch",
                "Twitch",
                hosts=("twitch.tv", "m.twitch.tv"),
                forms=(_form("/{v}"),),
                template="https://www.twitch.tv/{handle}",
                reserved="directory videos search p downloads",
            ),
            _platform(
                "telegram",
                "Telegram",
                names=("telegram channel",),
                hosts=("t.me", "telegram.me", "telegram.dog"),
                forms=(_form("/s/{v}"), _form("/{v}")),
                template="https://t.me/{handle}",
                reserved="joinchat addstickers share proxy",
            ),
            _platform(
                "flickr",
                "Flickr",
                hosts=("flickr.com",),
                forms=(
                    _form("/photos/{v}"),
                    _form("/people/{v}"),
                    _form("/groups/{v}", "group", type=FORUM),
                ),
                template="https://www.flickr.com/photos/{handle}",
            ),
            _platform(
                "medium",
                "Medium",
                hosts=("medium.com",),
                forms=(_form("/@{v}"), _form("/{v}", "publication")),
                template="https://medium.com/@{handle}",
                reserved="tag topics m search p plans membership about",
                subdomain_handle=True,
            ),
            _platform(
                "github",
                "GitHub",
                names=("git hub", "github organization", "github org"),
                hosts=("github.com",),
                forms=(_form("/orgs/{v}"), _form("/{v}")),
                template="https://github.com/{handle}",
                reserved="topics features about marketplace search settings login explore "
                "sponsors enterprise pricing collections",
            ),
            _platform(
                "vimeo",
                "Vimeo",
                hosts=("vimeo.com",),
                forms=(
                    _form("/channels/{v}", "channel"),
                    _form("/showcase/{v}", "showcase"),
                    _form("/groups/{v}", "group", type=FORUM),
                    _form("/(?P<v>[A-Za-z][^/]*)"),
                ),
                template="https://vimeo.com/{handle}",
                reserved="ondemand search watch categories manage upload features blog",
            ),
            _platform(
                "spotify",
                "Spotify",
                names=("spotify podcast", "spotify for podcasters"),
                hosts=("open.spotify.com", "spotify.com", "podcasters.spotify.com"),
                forms=(
                    _form("/show/{v}", "show", comparable=False),
                    _form("/artist/{v}", "artist", comparable=False),
                    _form("/user/{v}", "user"),
                    _form("/pod/show/{v}", "podcast"),
                ),
            ),
            _platform("wechat", "WeChat", names=("weixin", "we chat")),
            _platform(
                "weibo",
                "Weibo",
                names=("sina weibo",),
                hosts=("weibo.com", "weibo.cn"),
                forms=(_form("/u/{id}", "id"), _form("/{v}")),
            ),
            _platform(
                "tumblr",
                "Tumblr",
                hosts=("tumblr.com",),
                forms=(_form("/blog/view/{v}"), _form("/blog/{v}"), _form("/{v}")),
                template="https://{handle}.tumblr.com",
                reserved="dashboard explore tagged search login register",
                subdomain_handle=True,
            ),
            _platform(
                "googleplus",
                "Google+",
                names=("google+", "google plus", "g+", "gplus"),
                hosts=("plus.google.com",),
                forms=(
                    _form("/b/\\d+/\\+{v}"),
                    _form("/b/\\d+/{id}", "id"),
                    _form("/u/\\d+/\\+{v}"),
                    _form("/communities/{id}", "community", type=FORUM),
                    _form("/\\+{v}"),
                    _form("/{id}", "id"),
                ),
                template="https://plus.google.com/+{handle}",
                closed="2019-04-02",
                handle_prefix="+",
            ),
            _platform(
                "vine",
                "Vine",
                hosts=("vine.co",),
                forms=(_form("/u/{id}", "id"), _form("/{v}")),
                template="https://vine.co/{handle}",
                reserved="v tags",
                closed="2017-01-17",
            ),
            _platform(
                "storify",
                "Storify",
                hosts=("storify.com",),
                forms=(_form("/{v}"),),
                template="https://storify.com/{handle}",
                closed="2018-05-16",
            ),
            _platform(
                "periscope",
                "Periscope",
                hosts=("periscope.tv", "pscp.tv"),
                forms=(_form("/{v}"),),
                template="https://www.periscope.tv/{handle}",
                reserved="w",
                closed="2021-03-31",
            ),
            _platform("forum", "forum", names=("own forum", "community forum", "message board")),
            _platform("other", "other"),
        )
    }
)
"""Every platform socialgov knows, in the order of the Account schema's ``platform`` enum."""

PLATFORMS: tuple[str, ...] = tuple(CATALOGUE)
"""Every value the Account schema allows for ``platform``."""

SPECS: Mapping[str, Platform] = MappingProxyType(
    {p.id: p for p in CATALOGUE.values() if p.pattern is not None}
)
"""The platforms whose handles SG107 checks against a rule (SPEC section 3)."""

HOST_ALIASES: Mapping[str, str] = MappingProxyType(
    {"twitter.com": "x.com", "threads.com": "threads.net"}
)
"""Hosts that serve the same profiles as another (after ``www.`` is removed)."""

TAILS = frozenset(
    [
        "about",
        "posts",
        "profile",
        "featured",
        "videos",
        "photos",
        "timeline",
        "home",
        "feed",
        "streams",
        "playlists",
        "community",
        "people",
        "jobs",
        "life",
        "mycompany",
        "media",
        "likes",
        "with_replies",
        "info",
        "reviews",
        "shorts",
    ]
)
"""Last path segments that show one part of a profile and still name the profile."""


def _host_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for platform in CATALOGUE.values():
        for host in platform.hosts:
            table[host] = platform.id
    return table


_HOSTS: Mapping[str, str] = MappingProxyType(_host_table())


def closed_on(platform: str) -> dt.date | None:
    """The day ``platform`` shut down, or None while it runs (or is unknown)."""
    known = CATALOGUE.get(platform)
    return known.closed if known is not None else None


def label(platform: str) -> str:
    """The platform's name as people know it (``youtube`` -> ``YouTube``)."""
    known = CATALOGUE.get(platform)
    return known.label if known is not None else platform


# ----------------------------------------------------------------------------- names


@dataclass(frozen=True, slots=True)
class PlatformName:
    """A platform as a spreadsheet names it: the platform, and ``forum`` when the name says the
    presence is a community (``Facebook Group``, ``LinkedIn Group``, ``Discord server``)."""

    platform: str
    type: str | None = None


_FORUM_WORDS = frozenset(
    [
        "group",
        "groups",
        "community",
        "communities",
        "server",
        "forum",
        "subreddit",
    ]
)
_FILLER = frozenset(
    [
        "page",
        "pages",
        "account",
        "accounts",
        "profile",
        "channel",
        "official",
        "company",
        "school",
        "showcase",
        "business",
        "handle",
        "the",
        "formerly",
        "previously",
        "aka",
        "now",
        "feed",
        "app",
        "social",
        "network",
        "com",
        "our",
        "main",
    ]
)


@lru_cache(maxsize=1)
def _name_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for platform in CATALOGUE.values():
        for name in (platform.id, platform.label, *platform.names):
            table[_words(name)] = platform.id
            table[_words(name).replace(" ", "")] = platform.id
    return table


def _words(text: str) -> str:
    text = text.lower().replace("google+", "googleplus").replace("g+", "googleplus")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def platform_named(text: str) -> PlatformName | None:
    """The platform ``text`` names as people write it, or None when it names none we know.

    ``X (formerly Twitter)`` and ``Twitter/X`` are x, ``FB`` facebook, ``Insta`` instagram,
    ``LinkedIn School Page`` linkedin, ``Facebook Group`` facebook with type forum, ``YT``
    youtube, ``Google+`` googleplus; a host (``twitter.com``) names its platform too."""
    raw = text.strip().lower()
    if not raw:
        return None
    by_host = platform_of_host(raw.split("/", 1)[0]) if "." in raw and " " not in raw else None
    if by_host is not None:
        return PlatformName(by_host)
    words = _words(raw)
    table = _name_table()
    forum = FORUM if _FORUM_WORDS & set(words.split()) else None
    found = table.get(words) or table.get(words.replace(" ", ""))
    if found is None:
        kept = [w for w in words.split() if w not in _FILLER and w not in _FORUM_WORDS]
        found = table.get(" ".join(kept)) or table.get("".join(kept))
        if found is None:
            found = next((table[w] for w in kept if w in table and len(w) > 1), None)
    if found is None:  # one word as export tools write it: TIKTOKBUSINESS, FACEBOOKGROUP
        compact = words.replace(" ", "")
        prefixes = [name for name in table if len(name) >= 4 and compact.startswith(name)]
        if prefixes:
            found = table[max(prefixes, key=len)]
            if any(compact.endswith(word) for word in _FORUM_WORDS):
                forum = FORUM
    if found is None:
        return None
    if found in ("reddit", "discord", "forum"):
        forum = FORUM if found != "reddit" or "subreddit" in words or forum else None
    return PlatformName(found, forum)


def canonical_platform(name: str) -> str | None:
    """The platform ``name`` means (``Twitter`` -> ``x``), or None when it is not one we know."""
    found = platform_named(name)
    return found.platform if found is not None else None


@lru_cache(maxsize=1024)
def platform_of_host(host: str) -> str | None:
    """The platform whose profiles ``host`` (or a domain above it) serves, or None.

    Remembered (a repository names few hosts, and every url of an Account asks)."""
    name = host.strip().lower().rstrip(".").removeprefix("www.")
    name = HOST_ALIASES.get(name, name)
    while "." in name:
        found = _HOSTS.get(name)
        if found is not None:
            return found
        name = name.partition(".")[2]
    return None


# ----------------------------------------------------------------------------- handles


def bare_handle(handle: str) -> str:
    """A handle without surrounding blanks and without one leading ``@`` (``@acme`` -> ``acme``)."""
    return handle.strip().removeprefix("@")


def handle_key(handle: str) -> str:
    """What makes two handles the same on one platform: bare and case-insensitive."""
    return bare_handle(handle).casefold()


_URL_LIKE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)+/)", re.IGNORECASE
)


def looks_like_url(text: str) -> bool:
    """Whether ``text`` is a web address (``https://...``, ``www...``, ``host.tld/path``) rather
    than a handle. Only the start is looked at (a host name is at most 253 characters): the
    pattern backtracks over a long run of letters, so on a whole 100,000-character value it
    would take quadratic time, once per entity that value is aliased into."""
    if "." not in text and ":" not in text:
        return False  # each form of the pattern needs one of them (most handles have neither)
    if ":" not in text and "/" not in text:
        # Only the ``www.`` form can match (the scheme needs ``:``, a host and path ``/``):
        # its four characters at the start, told without the pattern, which backtracks over
        # a dotted handle (``globex.jp.care1051``) once per form. Nothing but ``W`` lowers to
        # ``w``, and the pattern's ignored case matches ``w`` with ``W`` alone.
        return text.lstrip()[:4].lower() == "www."
    start = text.strip()[:300]
    if "." not in start and ":" not in start:
        return False
    return bool(_URL_LIKE.match(start))


_MASTODON_ADDRESS = re.compile(rf"@?(?P<user>{_FEDIVERSE_USER})@(?P<instance>{_DOMAIN})")
_YOUTUBE_CHANNEL = re.compile(r"UC[A-Za-z0-9_-]{22}")
_REDDIT = re.compile(r"/?(?P<kind>r|u|user)/(?P<v>[^/]+)/?", re.IGNORECASE)


class Profile(NamedTuple):
    """What a profile URL or a handle names on a platform.

    ``space`` and ``value`` identify the presence (see :class:`Form`); ``handle`` is what an
    Account's ``handle`` holds for it; ``type`` is ``forum`` for communities; ``host`` is the
    URL's host (the instance, for Mastodon). A named tuple: rules make one or two for every
    Account (SG107, SG304), and a tuple is made several times faster than a frozen dataclass."""

    platform: str
    space: str
    value: str
    handle: str
    host: str = ""
    type: str | None = None
    comparable: bool = True

    @property
    def key(self) -> str:
        """The presence's identity: two profiles with one key are one presence (SG304)."""
        return f"{self.platform}:{self.space}:{self.value.casefold()}"

    @property
    def numeric(self) -> bool:
        """A number or an opaque id rather than a name (a name and an id cannot be compared)."""
        return self.space in ("id", "channel") or self.value.isdigit()


_profile_of: Callable[[tuple[str, str, str, str, str, str | None, bool]], Profile] = partial(
    tuple.__new__, Profile
)
"""``Profile(*fields)`` of all seven fields, without the named tuple's ``__new__`` (a Python
function: a third of the time of making one, for one or two per Account in SG107 and SG304)."""


def parse_handle(platform: str, text: str) -> Profile | None:
    """What a handle as written names on ``platform``: ``@acme``, ``acme@mastodon.social``,
    ``r/acme``, a YouTube channel id, a numeric page id, or a profile URL pasted into the handle
    (its profile, on whatever platform its host shows). None for a blank handle."""
    written = text.strip()
    if not written:
        return None
    if looks_like_url(written):
        return parse_profile(written, platform)
    known = CATALOGUE.get(platform)
    return _parse_written(platform, known, written, _bare(known, written))


def _bare(known: Platform | None, handle: str) -> str:
    """``bare_handle(handle)`` without the platform's ``handle_prefix`` (Google+'s ``+``)."""
    value = bare_handle(handle)
    if known is not None and known.handle_prefix:
        value = value.removeprefix(known.handle_prefix)
    return value


def _parse_written(
    platform: str, known: Platform | None, written: str, value: str
) -> Profile | None:
    """:func:`parse_handle` of ``written``, a handle stripped, not blank and no web address, whose
    :func:`_bare` is ``value``."""
    if platform == "mastodon":
        match = _MASTODON_ADDRESS.fullmatch(written)
        if match is not None:
            value = f"{match['user']}@{match['instance'].lower()}"
            return Profile(platform, "name", value, value, match["instance"].lower())
    if platform == "reddit":
        match = _REDDIT.fullmatch(written)
        if match is not None:
            kind = match["kind"].lower()
            space, prefix = ("subreddit", "r") if kind == "r" else ("user", "u")
            return Profile(
                platform,
                space,
                match["v"],
                f"{prefix}/{match['v']}",
                type=FORUM if space == "subreddit" else None,
            )
    if not value:
        return None
    space = "org" if platform == "linkedin" else "name"  # a company slug on LinkedIn
    if platform == "youtube" and _YOUTUBE_CHANNEL.fullmatch(value):
        space = "channel"
    elif platform == "facebook" and value.isdigit():
        space = "id"
    if platform == "linkedin":
        value = value.lower()
    comparable = platform not in ("discord", "whatsapp")
    return _profile_of((platform, space, value, value, "", None, comparable))


# ----------------------------------------------------------------------------- URLs


def parse_profile(url: str, platform: str | None = None) -> Profile | None:
    """The profile a URL names, on the platform its host shows, or None when it is no profile
    URL socialgov knows (another page of a platform, an unknown host).

    ``platform`` is a hint for hosts that do not say which platform they are: any host can be
    a Mastodon instance, so with ``mastodon`` an ``https://instance/@user`` URL on any host
    is read; without a hint, only on an unknown host whose path is exactly ``/@user``.
    """
    written = url.strip()
    if written.startswith("@") and _MASTODON_ADDRESS.fullmatch(written) is not None:
        return parse_handle("mastodon", written)
    scheme, host, path, query = _split(written)
    if scheme or not host or ":" in host:
        return None
    found = platform_of_host(host)
    if found is None or (platform == "mastodon" and found != "mastodon"):
        return _fediverse(host, path) if platform in (None, "mastodon", "other") else None
    known = CATALOGUE[found]
    if path.count("/") == 1 and path.startswith("/"):
        rest = path  # one segment (the usual profile URL): no tail to drop, no subdomain handle
    else:
        segments = [s for s in path.split("/") if s]
        if len(segments) > 1 and segments[-1].lower() in TAILS:
            segments.pop()
        if known.subdomain_handle and host not in known.hosts:
            sub = host.rsplit(".", 2)[0] if host.count(".") >= 2 else ""
            if sub and "." not in sub and sub != "m" and not segments:
                return Profile(found, "name", sub, sub, host)
        rest = "/" + "/".join(segments)
    for form, fullmatch, named, generic in _form_steps(found):
        match = fullmatch(rest)
        if match is None:
            continue
        value = match["v"] if named else None
        if value is None:  # facebook's profile.php?id=N
            ids = parse_qs(query).get("id", [])
            value = ids[0] if ids and ids[0].isdigit() else None
            if value is None:
                continue
        if generic and value.lower() in known.reserved:
            continue
        return _profile(known, form, value, host)
    return None


_FormStep = tuple[Form, Callable[[str], "re.Match[str] | None"], bool, bool]


@cache
def _form_steps(found: str) -> tuple[_FormStep, ...]:
    """What :func:`parse_profile` asks of each form of the platform ``found``, worked out when a
    URL of it is first read: the form, its regex's ``fullmatch``, whether it has a group ``v``,
    and whether it is the generic ``/{v}`` form (whose value must not be a reserved path). A run
    meets a few of the catalogue's platforms: compiling every form at import took 3 ms of each
    start. One entry per platform of the catalogue."""
    steps = []
    for form in CATALOGUE[found].forms:
        regex = re.compile(form.path, re.IGNORECASE)
        generic = form.path.startswith("/(?P<v>")
        steps.append((form, regex.fullmatch, "v" in regex.groupindex, generic))
    return tuple(steps)


def _profile(known: Platform, form: Form, value: str, host: str) -> Profile | None:
    if known.id == "mastodon":
        value = f"{value.removeprefix('@')}@{host}"
    if known.id == "linkedin":
        value = value.lower()
    handle = value if form.handle == "{v}" else form.handle.format(v=value)
    if form.space in ("name", "org") and known.pattern and not known.pattern.fullmatch(value):
        return None  # no such handle can exist: not a profile URL
    return _profile_of((known.id, form.space, value, handle, host, form.type, form.comparable))


def _fediverse(host: str, path: str) -> Profile | None:
    match = re.fullmatch(r"/@([^/@]+)", path)
    if match is None:
        return None
    value = f"{match[1]}@{host}"
    known = CATALOGUE["mastodon"]
    assert known.pattern is not None
    if not known.pattern.fullmatch(value):
        return None
    return Profile("mastodon", "name", value, value, host)


def presence_keys(platform: str | None, handle: str | None, url: str | None) -> tuple[str, ...]:
    """What makes an account the presence it is: the identity keys (:attr:`Profile.key`) its
    handle and url name. Two accounts sharing a key are one presence (SG304); a sighting
    sharing one with an Account is that Account.

    A handle on ``other`` (or an unknown platform) is keyed by the url's host, so the same handle
    on two services is never one presence; without a url it is not keyed at all. A url no
    profile form reads is keyed by its normalised form. A url on another platform's host than
    ``platform`` is keyed by its normalised form too (SG107 reports it)."""
    keys: list[str] = []
    handle_key_ = handle_identity(platform, handle, url)
    if handle_key_ is not None:
        keys.append(handle_key_)
    url_key = url_identity(platform, url)
    if url_key is not None and url_key not in keys:
        keys.append(url_key)
    return tuple(keys)


class Identity(NamedTuple):
    """What SG304 (duplicate-presence) and SG107 (handle-url-mismatch) read of one Account's
    handle and url, each parsed once for both (:func:`account_identity`)."""

    handle_key: str | None
    """:func:`handle_identity` of the account."""
    url_key: str | None
    """:func:`url_identity` of the account."""
    canonical: bool
    """Whether the url is exactly ``canonical_url(platform, handle, valid=True)``, or a url
    that the parse reads as that URL and as the handle's profile (:func:`_same_page`): SG107
    asks nothing more of it."""
    named: Profile | None
    """``parse_handle(platform, handle)``, kept only while SG107 may need it: the platform is
    checked and the url is not the canonical one (else None)."""
    found: Profile | None
    """``parse_profile(url, platform)``, kept likewise."""
    problem: str | None
    """``handle_problem(platform, handle)`` on a platform SG107 checks (None without a handle,
    and on the others)."""


def account_identity(platform: str | None, handle: str | None, url: str | None) -> Identity:
    """The :class:`Identity` of an Account on ``platform`` with ``handle`` and ``url``: the
    handle and the url are parsed once for what SG304 and SG107 both ask of them (each asked
    ``parse_handle`` and ``parse_profile`` of the same texts for itself)."""
    if handle is not None and url is not None:
        fast = _CANONICAL.get(platform)  # type: ignore[arg-type]
        if fast is not None:
            # The usual Account: a plain handle (maybe with its @) and its canonical URL, or one
            # the parse reads as it.
            head, tail, accepts, closed, prefix, apart = fast
            value = handle[1:] if handle[:1] == "@" else handle
            made = head + value + tail
            if (
                (url == made or _same_page(url, made, platform, value))  # type: ignore[arg-type]
                and accepts(value) is not None
                and value.lower() not in closed
                and not (apart is not None and apart(value))
                and not (("." in handle or ":" in handle) and looks_like_url(handle))
            ):
                key = prefix + value.casefold()
                return _identity_of((key, key, True, None, None, None))
    known = CATALOGUE.get(platform) if platform not in (None, "other", "forum") else None
    if known is None:
        found = parse_profile(url, platform) if url is not None else None
        handle_key_ = handle_identity(platform, handle, url)
        url_key = _url_key(platform, url, found)
        if url_key is not None and url_key == handle_key_:
            url_key = handle_key_
        return _identity_of((handle_key_, url_key, False, None, None, None))
    # A platform SG107 checks (``platform`` is one of the catalogue's).
    assert platform is not None  # known is None for a missing platform
    named: Profile | None = None
    canonical = False
    handle_key_ = problem = None
    if handle is not None:
        # parse_handle and handle_problem, sharing the look for a web address and the bare handle
        written = handle.strip()
        if looks_like_url(written):
            named = parse_profile(written, platform)
            problem = _web_address(handle)
        else:
            bare = _bare(known, written)
            named = _parse_written(platform, known, written, bare) if written else None
            problem = _written_problem(platform, known, handle, bare)
        # parse_handle reads a blank handle as None, and a profile of the platform's own only
        # from a handle that is not blank: then its key is the handle's key.
        if named is not None and named.platform == platform:
            handle_key_ = named.key
            if url is not None:
                made = _canonical(known, platform, named)
                canonical = url == made
                if (
                    made is not None
                    and _reads_as_named(platform, known, named)
                    and (canonical or _same_page(url, made, platform, named.value))
                ):
                    # the url's key is the handle's without parsing it (SG107: nothing more
                    # to ask): the canonical URL, or one its parse reads as that URL
                    return _identity_of((handle_key_, handle_key_, True, None, None, problem))
    if url is None:
        return _identity_of((handle_key_, None, False, None, None, problem))
    found = parse_profile(url, platform)
    if found is not None and found.platform == platform and url.strip():
        url_key = found.key
    else:
        url_key = _url_key(platform, url, found)
    if url_key is not None and url_key == handle_key_:
        url_key = handle_key_  # one text for both (SG304 keeps them for every Account)
    if canonical:
        return _identity_of((handle_key_, url_key, True, None, None, problem))  # SG107: no more
    return _identity_of((handle_key_, url_key, False, named, found, problem))


_NAMED_SPACE: dict[str, str] = {
    "x": "name",
    "facebook": "name",
    "instagram": "name",
    "linkedin": "org",
    "youtube": "name",
    "tiktok": "name",
    "threads": "name",
    "bluesky": "name",
    "pinterest": "name",
}
"""The platforms whose canonical profile URL (their template, ``head + value + tail``) is read
back by :func:`parse_profile` as the profile of the value it was made of, in this space, when
:func:`_reads_as_named` says so; the others' URLs are always parsed."""


def _reads_as_named(platform: str, known: Platform, named: Profile) -> bool:
    """Whether ``parse_profile`` of the canonical URL of ``named`` (a handle's profile on
    ``platform``, whose canonical URL the Account's url is) gives a profile of ``named``'s key,
    without parsing it. So it does on a platform of :data:`_NAMED_SPACE` for a value that is
    neither a reserved path (the generic ``/{v}`` form skips it) nor a tail (a second path
    segment is dropped), that the platform's pattern accepts (``_profile`` refuses what it does
    not; Pinterest has none, and ``_canonical`` made its URL of plain characters only), and whose
    space is the one the template's form gives (Facebook's ASCII digits are an ``id``, with no
    pattern): those patterns take only characters the plain-URL split reads as written, and no
    form tried before the template's own matches such a path (Facebook's ``/profile.php`` goes on
    to the next form without a query). Anything else is parsed; tests/test_rules_differential.py
    holds the two to each other on every platform."""
    space = _NAMED_SPACE.get(platform)
    if space is None:
        return False
    value = named.value
    lowered = value.lower()
    if lowered in known.reserved or lowered in TAILS:
        return False
    if platform == "facebook" and value.isdigit():
        return value.isascii() and named.space == "id"
    if known.pattern is not None and known.pattern.fullmatch(value) is None:
        return False
    return named.space == space


def _same_page(url: str, made: str, platform: str, value: str) -> bool:
    """Whether ``url`` is ``made`` (the canonical URL of ``value``, a handle's profile's value on
    ``platform``) but for what :func:`parse_profile` does not read: ``http`` for ``https``, a
    ``www.``, another host of the platform's own (``twitter.com``, ``m.facebook.com``),
    trailing slashes, a query of plain characters (not after Facebook's ``profile.php``, whose
    ``?id=N`` names the page). Such a url is split as ``made`` is (the plain-URL pattern reads
    both, path for path: :func:`_split`) and parsed as it is but for the profile's ``host``,
    which no key holds: only for a platform of :data:`_NAMED_SPACE`, whose canonical path is
    plain when :func:`_reads_as_named` says so (both are asked). Anything else (a host in
    capitals, a fragment, blanks around) is parsed; tests/test_rules_differential.py holds the
    url's key and SG107's verdict to the parse's on every form of every platform."""
    page, asks, query = url.partition("?")
    if asks and (_plain_query(query) is None or value.lower() == "profile.php"):
        return False
    page = page.rstrip("/")
    start, fronts = _pages(platform)
    path = made[start:]  # "/" and what follows the host: none of the fronts holds a "/"
    return page.endswith(path) and page[: len(page) - len(path)] in fronts


_plain_query = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*").fullmatch
"""A query :data:`_PLAIN_URL` reads as written (its third group)."""


@cache
def _pages(platform: str) -> tuple[int, frozenset[str]]:
    """For :func:`_same_page`: where the path of ``platform``'s canonical URL starts (after
    ``https://`` and the template's host), and what may come before that path in a url read as
    the canonical one: ``https://`` or ``http://``, maybe ``www.``, and a host (without
    ``www.``, lower case, of plain characters: no ``/``) that serves the platform's profiles as
    the template's host does (its alias, when it has one, is the platform's too). One entry
    per platform of :data:`_NAMED_SPACE`."""
    known = CATALOGUE[platform]
    head = _AROUND[known.template]  # type: ignore[index]
    assert head is not None and head[0].startswith("https://")
    start = head[0].index("/", len("https://"))
    hosts = frozenset(
        host
        for host in known.hosts
        if re.fullmatch(r"[a-z0-9.-]+", host)
        and not host.startswith("www.")
        and not host.endswith(".")
        and not known.subdomain_handle  # a host that is not the platform's names the profile
        and platform_of_host(HOST_ALIASES.get(host, host)) == platform
    )
    return start, frozenset(
        scheme + www + host
        for scheme in ("https://", "http://")
        for www in ("", "www.")
        for host in hosts
    )


def _canonical_at_once() -> dict[str, tuple[str, str, Any, frozenset[str], str, Any]]:
    """For :func:`account_identity`: each platform of :data:`_NAMED_SPACE` whose canonical URL
    is ``head + value + tail`` (:data:`_AROUND`), with what tells, in one test each, a handle
    whose url is that URL of it and which the long way reads as :func:`_reads_as_named` does
    (then both keys are the handle's, ``canonical`` is true and there is no problem): the
    pattern the handle's bare value must match (the platform's, which SG107's check is too;
    Pinterest, which has none, the plain value ``_canonical`` asks for), the values that are a
    reserved path or a tail, the key's ``platform:space:``, and the values that are read in
    another space (a Facebook page id, a YouTube channel id). Those patterns take no blank, so
    a handle they accept needs no strip, and LinkedIn's no capital, so its value is the one
    ``_parse_written`` lowers. Any other handle or url goes the long way."""
    table: dict[str, tuple[str, str, Any, frozenset[str], str, Any]] = {}
    for platform, space in _NAMED_SPACE.items():
        known = CATALOGUE[platform]
        spec = SPECS.get(platform)
        around = _AROUND.get(known.template) if known.template is not None else None
        if around is None or known.handle_prefix or known.subdomain_handle:
            continue
        if known.pattern is None and spec is None:
            accepts = _plain_value
        elif spec is not None and known.pattern is not None and spec.pattern is known.pattern:
            accepts = known.pattern.fullmatch
        else:
            continue
        apart: Any = None
        if platform == "facebook":
            apart = str.isdigit
        elif platform == "youtube":
            apart = _YOUTUBE_CHANNEL.fullmatch
        table[platform] = (
            around[0],
            around[1],
            accepts,
            known.reserved | TAILS,
            f"{platform}:{space}:",
            apart,
        )
    return table


_identity_of: Callable[[tuple[str | None, str | None, bool, Any, Any, str | None]], Identity] = (
    partial(tuple.__new__, Identity)
)
"""``Identity(*fields)`` without the named tuple's ``__new__`` (see :data:`_profile_of`)."""


def handle_identity(platform: str | None, handle: str | None, url: str | None) -> str | None:
    """The identity key the handle names (see :func:`presence_keys`), or None."""
    if not handle or not handle.strip() or not platform:
        return None
    if platform in CATALOGUE and platform not in ("other", "forum"):
        found = parse_handle(platform, handle)
        if found is None:
            return None
        if found.platform != platform:
            return None  # a URL of another platform in the handle: SG107's business
        return found.key
    host = _split(url)[1] if url and url.strip() else ""
    return f"{platform}:{host}:{handle_key(handle)}" if host else None


def url_identity(platform: str | None, url: str | None) -> str | None:
    """The identity key the url names (see :func:`presence_keys`), or None without a url."""
    if not url or not url.strip():
        return None
    return _url_key(platform, url, parse_profile(url, platform))


def _url_key(platform: str | None, url: str | None, found: Profile | None) -> str | None:
    """:func:`url_identity`, with ``found`` the url's ``parse_profile(url, platform)``."""
    if not url or not url.strip():
        return None
    if found is not None and (found.platform == platform or platform in (None, "other")):
        return found.key
    return "url:" + normalize_url(url)


def canonical_url(platform: str, handle: str, *, valid: bool = False) -> str | None:
    """The profile URL of ``handle`` on ``platform`` as the SPEC writes it.

    None when the platform has no profile URL for handles, or the handle is not valid there
    (``valid``: :func:`handle_problem` already found nothing wrong with it).
    """
    known = CATALOGUE.get(platform)
    if known is None or (not valid and handle_problem(platform, handle) is not None):
        return None
    return _canonical(known, platform, parse_handle(platform, handle))


def _canonical(known: Platform, platform: str, found: Profile | None) -> str | None:
    """:func:`canonical_url` of a valid handle on ``platform`` (``known``), which
    ``parse_handle`` reads as ``found``."""
    if found is None or found.platform != platform:
        return None
    if platform == "reddit":
        return f"https://www.reddit.com/{found.handle}" if found.space != "name" else None
    if platform == "youtube" and found.space == "channel":
        return f"https://www.youtube.com/channel/{found.value}"
    template = known.template
    if template is None:
        return None
    if known.pattern is None and _plain_value(found.value) is None:
        return None  # no rule says what a handle is here: only a plain one makes a URL
    around = _AROUND.get(template)
    if around is not None:  # the template names the handle alone: no format, no partition
        return around[0] + found.value + around[1]
    user, _, instance = found.value.partition("@")
    return template.format(handle=found.value, user=user, instance=instance.lower())


_plain_value = re.compile(r"[A-Za-z0-9._-]+").fullmatch


def _around(template: str) -> tuple[str, str] | None:
    """``template`` split around its one ``{handle}``, when that is all it names (no other
    field, no brace escaped): ``template.format(handle=v, ...)`` is then ``head + v + tail``."""
    head, mark, tail = template.partition("{handle}")
    if not mark or any(brace in head + tail for brace in "{}"):
        return None
    return head, tail


_AROUND: dict[str, tuple[str, str] | None] = {
    p.template: _around(p.template) for p in CATALOGUE.values() if p.template is not None
}
"""Each template of the catalogue split around its handle (_around), for _canonical: a profile
URL made by two concatenations instead of a format call with three keywords."""

_CANONICAL = _canonical_at_once()
"""See :func:`_canonical_at_once`."""


def handle_problem(platform: str, handle: str) -> str | None:
    """Why ``handle`` cannot be a handle on ``platform``, or None when it can (or is unchecked)."""
    if looks_like_url(handle):
        return _web_address(handle)
    known = CATALOGUE.get(platform)
    return _written_problem(platform, known, handle, _bare(known, handle))


def _web_address(handle: str) -> str:
    """:func:`handle_problem` of a handle that is a web address."""
    return (
        f"'{handle}' is a web address, not a handle; move it to url and write the handle "
        "it names (socialgov fix does both)"
    )


def _written_problem(platform: str, known: Platform | None, handle: str, bare: str) -> str | None:
    """:func:`handle_problem` of ``handle``, no web address, whose :func:`_bare` is ``bare``."""
    if known is not None and bare.lower() in known.reserved and _first_segment(known):
        page = known.template.format(handle=bare)  # type: ignore[union-attr]
        return f"'{handle}' names one of {known.label}'s own pages ({page}), not an account"
    spec = SPECS.get(platform)
    if spec is None or spec.pattern is None:
        return None
    if spec.pattern.fullmatch(bare):
        return None
    problem = f"'{handle}' is not a valid {spec.label} handle: {spec.label} handles are {spec.rule}"
    if platform == "linkedin" and spec.pattern.fullmatch(bare.lower()):
        problem += f"; write '{bare.lower()}'"
    elif platform == "mastodon" and "@" not in bare:
        problem += "; add the instance the account lives on"
    return problem


def _first_segment(known: Platform) -> bool:
    """Whether a handle's profile URL is the handle alone after the host (``x.com/{handle}``),
    where a reserved path (``/explore``, ``/watch``) is a page of the platform's own."""
    template = known.template
    return template is not None and template.endswith("/{handle}") and template.count("/") == 3


def handle_from_url(platform: str, url: str) -> str | None:
    """The handle a profile URL of ``platform`` names (in the URL's own letter case), or None
    when the URL is not a profile URL of that platform."""
    found = parse_profile(url, platform)
    return found.handle if found is not None and found.platform == platform else None


def is_profile_url(platform: str, url: str) -> bool:
    """Whether ``url`` is a profile URL of ``platform`` at all (for any valid handle)."""
    found = parse_profile(url, platform)
    return found is not None and found.platform == platform


def _example(known: Platform) -> str:
    if known.template is None:
        return ""
    example = known.template.replace("{handle}", "HANDLE").replace("{user}", "USER")
    return f" ({example.replace('{instance}', 'INSTANCE')})"


def url_problem(platform: str, handle: str | None, url: str, *, valid: bool = False) -> str | None:
    """Why ``url`` is not the profile of ``handle`` on ``platform``, or None when it is, or when
    nobody can tell (a numeric page id against a vanity name, an invite code).

    Without a handle, the URL must be a profile URL of the platform. Platforms without profile
    URLs (other, forum, WeChat), and handles that are themselves invalid (see
    :func:`handle_problem`), give None (``valid``: it already found nothing wrong with the
    handle).
    """
    known = CATALOGUE.get(platform)
    if known is None or not known.hosts:
        return None
    return _url_problem(known, platform, handle, url, parse_profile(url, platform), valid=valid)


def parsed_url_problem(
    platform: str, handle: str | None, url: str, identity: Identity, *, valid: bool = False
) -> str | None:
    """:func:`url_problem` of an Account whose :func:`account_identity` is ``identity`` (with
    the url not its handle's canonical one: ``identity`` keeps what was parsed then)."""
    known = CATALOGUE.get(platform)
    if known is None or not known.hosts:
        return None
    named = identity.named if handle is not None else None
    return _url_problem(known, platform, handle, url, identity.found, valid=valid, named=named)


_UNPARSED: Any = object()
"""The handle not parsed yet (see _url_problem)."""


def _url_problem(
    known: Platform,
    platform: str,
    handle: str | None,
    url: str,
    found: Profile | None,
    *,
    valid: bool,
    named: Profile | None = _UNPARSED,
) -> str | None:
    """:func:`url_problem`, with ``found`` the url's ``parse_profile(url, platform)`` and
    ``named``, when given, the handle's ``parse_handle(platform, handle)``."""
    if found is None:
        shown = platform_of_host(_split(url)[1])
        if shown is not None and shown != platform:
            return f"'{url}' is a {label(shown)} address, not a {known.label} one"
        return f"'{url}' is not a profile URL on {known.label}{_example(known)}"
    if found.platform != platform:
        return f"'{url}' is a {label(found.platform)} profile, not a {known.label} one"
    if handle is None or not handle.strip():
        return None
    if not valid and handle_problem(platform, handle) is not None:
        return None
    if named is _UNPARSED:
        named = parse_handle(platform, handle)
    if named is None or named.platform != platform:
        return None
    if not (named.comparable and found.comparable) or named.numeric != found.numeric:
        return None  # a name and a number: nobody can tell from here
    if named.value.casefold() == found.value.casefold():
        return None
    expected = _canonical(known, platform, named)  # the handle is valid: checked above
    shown_expected = f" ({expected})" if expected else ""
    return f"'{url}' is not the {known.label} profile URL of handle '{handle}'{shown_expected}"


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")

# An http or https URL whose host is letters, digits, dots and hyphens and whose path holds only
# the plain characters of a URL path, then maybe a query of them (and ``?``): no user, port,
# fragment, blank, backslash, control or non-ASCII character. ``urlsplit`` reads such a URL as
# exactly these three groups (host, path, query: ``x.com/acme?lang=en``), so it is split without
# it; anything else takes the general path. Most URLs are like this.
_PLAIN_URL = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9.-]+)(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?"
    r"(?:\?([A-Za-z0-9._~!$&'()*+,;=:@%/?-]*))?"
)


def _split(url: str) -> tuple[str, str, str, str]:
    """(scheme, host, path, query) of a URL, with the tolerated differences removed.

    The host is lower case, without ``www.``, a default port or a trailing dot, and with its
    aliases resolved; the path has no trailing slash. Letter case of the path is kept.
    """
    text = url.strip()
    plain = _PLAIN_URL.fullmatch(text)  # the usual URL, which has its scheme
    if plain is None:
        if not _SCHEME.match(text):
            text = "https://" + text.removeprefix("//")
            plain = _PLAIN_URL.fullmatch(text)
        if plain is None:
            return _split_general(text)
    host = plain[1].lower().rstrip(".").removeprefix("www.")
    return "", HOST_ALIASES.get(host, host), (plain[2] or "").rstrip("/"), plain[3] or ""


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
