"""``socialgov discover``: find the social presences that claim to be the organisation, and merge
them into the repository's Sighting entities.

Three sources, one result (a list of :class:`Seen` profiles, each with where it was seen):

- :func:`crawl_site`: a polite, bounded crawler of the organisation's own web site. Same host
  only (``www.`` or not, http or https); robots.txt honoured (``urllib.robotparser``, its
  Crawl-delay too); at most ``max_pages`` pages, ``max_depth`` links deep, ``time_limit``
  seconds in all, ``max_bytes`` read of any page, one request at a time with a delay; a
  User-Agent that says who asks and why. Redirects are followed by hand (on the same host, at
  most :data:`MAX_REDIRECTS`, loops detected); HTTP errors, unreachable pages, non-HTML
  responses and enormous pages are problems reported with the page that linked them, and the
  crawl goes on.
- :func:`scan_folder`: a folder of saved HTML pages, read from disk, never fetched.
- :func:`read_feed`: a discovery export (CSV), as brand-protection services produce.

HTML is read by the standard library's ``html.parser`` (a tolerant HTML tokenizer: malformed
markup never stops it); every ``<a href>``, ``<area href>`` and ``<link rel=me>`` is resolved
against the page (and its ``<base href>``) and recognised by the platform catalogue
(:func:`socialgov.domain.sightings.recognise`).

:func:`merge` writes the result with the round-trip writer: a presence already sighted (same
presence, as SG304 and SG310 compare) gets its ``last_seen`` moved forward and nothing else; a
new one is added to the output file. A disposition, an account or a note a person wrote is never
touched, and running discover again on the same day changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from socialgov import __version__
from socialgov.config import Config
from socialgov.core.errors import SocialgovError
from socialgov.domain.platforms import bare_handle, canonical_platform, canonical_url
from socialgov.domain.sightings import (
    PresenceIndex,
    PresenceKey,
    ProfileLink,
    presence_keys,
    recognise,
)

USER_AGENT = (
    f"socialgov-discover/{__version__} (+https://pypi.org/project/socialgov/; finds the links "
    "to an organisation's social media profiles on its own web site)"
)
"""Who is asking, and why; robots.txt rules for ``socialgov-discover`` (or ``*``) apply."""

ROBOTS_AGENT = "socialgov-discover"
MAX_REDIRECTS = 5
MAX_LINKS_PER_PAGE = 20_000
QUEUE_FACTOR = 4
"""Pages queued at most, as a multiple of --max-pages (some fail or robots.txt forbids them)."""
MAX_CRAWL_DELAY = 10.0
"""The longest Crawl-delay honoured (seconds); a longer one is capped and reported."""
HTML_TYPES = ("text/html", "application/xhtml+xml")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
# Links to files that are never HTML pages are not fetched at all.
_BINARY_SUFFIX = re.compile(
    r"\.(?:pdf|zip|gz|tgz|bz2|xz|7z|rar|jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp[34]|m4[av]|"
    r"mov|avi|webm|ogg|wav|flac|docx?|xlsx?|pptx?|odt|ods|csv|json|xml|rss|atom|css|js|"
    r"woff2?|ttf|otf|eot|exe|dmg|msi|apk|iso)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Seen:
    """A social profile, where it was seen (a page URL, a saved file or a feed) and when."""

    profile: ProfileLink
    seen_at: str
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None


@dataclass
class Discovery:
    """What a discovery found, and what it could not do."""

    source: str
    seen: list[Seen] = field(default_factory=list)
    pages: int = 0
    """Pages (or files, or feed rows) read."""
    problems: list[str] = field(default_factory=list)
    """Plain-text problems, each naming the page or row (broken pages, unreadable rows)."""
    robots_skipped: list[str] = field(default_factory=list)
    other_hosts: set[str] = field(default_factory=set)
    stopped: str | None = None
    """Why the crawl stopped before it ran out of pages (a bound was reached), if it did."""


# ----------------------------------------------------------------------------- HTML


class _LinkParser(HTMLParser):
    """The links of one page: ``<a>``/``<area>`` hrefs, ``<link rel=me>``, ``<base href>`` and
    ``<link rel=canonical>`` (what a saved page says its address was)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.links) >= MAX_LINKS_PER_PAGE:
            return
        values = {name: value for name, value in attrs if value is not None}
        href = values.get("href")
        if href is None:
            return
        if tag in ("a", "area"):
            self.links.append(href)
        elif tag == "base" and self.base is None:
            self.base = href
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            if "me" in rels:
                self.links.append(href)
            if "canonical" in rels and self.canonical is None:
                self.canonical = href

    handle_startendtag = handle_starttag


@dataclass(frozen=True, slots=True)
class PageLinks:
    """The links of one page, and its canonical URL when it names one."""

    links: tuple[str, ...]
    """Every link, resolved to an absolute URL without its fragment."""
    canonical: str | None


def page_links(html: str, page_url: str) -> PageLinks:
    """The links of an HTML page at ``page_url``, resolved (``<base href>`` honoured)."""
    parser = _LinkParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up only on pathological markup
        pass
    base = page_url
    if parser.base:
        base = _join(page_url, parser.base) or page_url
    links = []
    for href in parser.links:
        resolved = _join(base, href)
        if resolved is not None:
            links.append(resolved)
    canonical = _join(base, parser.canonical) if parser.canonical else None
    return PageLinks(tuple(links), canonical)


def _join(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``, without its fragment; None for what is not a link
    to a web page (javascript:, mailto:, data:, malformed)."""
    href = href.strip()
    if not href or len(href) > 4096:
        return None
    try:
        joined = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(joined)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "file") and not (
        parts.scheme == "" and not base.startswith(("http:", "https:"))
    ):
        return None
    return joined


def _decode(body: bytes, charset: str | None) -> str:
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    match = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9._-]+)""", body[:4096], re.I)
    if match:
        try:
            return body.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return body.decode("utf-8", errors="replace")


# ----------------------------------------------------------------------------- crawling


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by the crawler itself (same host, counted, loops detected)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class _Response:
    """One response as the crawl reads it: the final URL, the status, the headers, the body
    (up to the limit) and whether it was cut there."""

    url: str
    status: int
    headers: Message
    body: bytes
    truncated: bool


class _Fetcher:
    """One GET at a time, bounded in time and size, redirects not followed."""

    def __init__(self, timeout: float, max_bytes: int) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.opener = urllib.request.build_opener(_NoRedirects())
        self.opener.addheaders = [
            ("User-Agent", USER_AGENT),
            ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"),
        ]

    def get(self, url: str, *, html_only: bool = True, deadline: float | None = None) -> _Response:
        """The response to GET ``url`` (3xx, 4xx and 5xx included). Network problems raise
        ``OSError`` (``urllib.error.URLError``, timeouts); so does a body still arriving at
        ``deadline`` (a ``time.monotonic`` value), however slowly it trickles in."""
        try:
            response = self.opener.open(url, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            with error:
                body = error.read(min(self.max_bytes, 65536)) if error.code < 300 else b""
                return _Response(url, error.code, error.headers, body, False)
        with response:
            headers = response.headers
            kind = headers.get_content_type()
            if html_only and kind not in HTML_TYPES:
                return _Response(response.geturl(), response.status, headers, b"", False)
            body = self._body(response, deadline)
            truncated = len(body) > self.max_bytes
            return _Response(
                response.geturl(), response.status, headers, body[: self.max_bytes], truncated
            )

    def _body(self, response: Any, deadline: float | None) -> bytes:
        """At most ``max_bytes + 1`` bytes of the body, read a piece at a time (each read waits
        at most ``timeout``), given up at ``deadline``."""
        chunks: list[bytes] = []
        size = 0
        while size <= self.max_bytes:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError("the page was still arriving when the time limit was reached")
            chunk = response.read1(min(1 << 16, self.max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)


def _site_key(url: str) -> tuple[str, int | None]:
    """What "the same host" means: the host without ``www.``, and an explicit non-default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    port = parts.port
    if port in (80, 443):
        port = None
    return host, port


def _page_key(url: str) -> str:
    """A page's identity for "already visited": no fragment, host in lower case."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return urlunsplit(("", parts.netloc.lower(), path, parts.query, ""))


@dataclass
class CrawlLimits:
    """How far, how long and how fast a crawl may go."""

    max_pages: int = 500
    max_depth: int = 10
    time_limit: float = 300.0
    """Seconds for the whole crawl."""
    delay: float = 0.5
    """Seconds between two requests (robots.txt's Crawl-delay, when longer, wins)."""
    timeout: float = 10.0
    """Seconds for one request to answer."""
    max_bytes: int = 5_000_000
    """Bytes read of any one page; a longer page is read up to here and reported."""


def crawl_site(
    start: str,
    limits: CrawlLimits | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Discovery:
    """Crawl the site at ``start`` (see the module's documentation)."""
    limits = limits or CrawlLimits()
    parts = urlsplit(start.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SocialgovError(
            f"--site {start}: not a web address or a folder; give a URL such as "
            "https://www.example.org/ or a folder of saved HTML pages"
        )
    start = urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))
    fetcher = _Fetcher(limits.timeout, limits.max_bytes)
    result = Discovery(source=start)
    deadline = clock() + limits.time_limit
    robots, crawl_delay = _robots(fetcher, start, result)
    delay = max(limits.delay, crawl_delay)
    site = _site_key(start)
    queue: deque[tuple[str, int, str | None]] = deque([(start, 0, None)])
    queued = {_page_key(start)}
    first_request = True
    while queue:
        if result.pages >= limits.max_pages:
            result.stopped = f"--max-pages {limits.max_pages} reached"
            break
        if clock() >= deadline:
            result.stopped = f"the time limit of {limits.time_limit:g} seconds was reached"
            break
        url, depth, referrer = queue.popleft()
        if not robots.can_fetch(ROBOTS_AGENT, url):
            result.robots_skipped.append(url)
            continue
        if not first_request and delay > 0:
            sleep(delay)
        first_request = False
        page = _fetch_page(fetcher, url, referrer, site, robots, queued, result, deadline)
        if page is None:
            if depth == 0 and result.pages == 0 and not queue:
                raise SocialgovError(f"--site {start}: {result.problems[-1]}")
            continue
        final_url, html = page
        result.pages += 1
        links = page_links(html, final_url)
        for link in links.links:
            profile = recognise(link)
            if profile is not None:
                result.seen.append(Seen(profile, final_url))
                continue
            if not link.startswith(("http://", "https://")):
                continue
            if _site_key(link) != site:
                result.other_hosts.add(urlsplit(link).hostname or link)
                continue
            key = _page_key(link)
            if key in queued or depth + 1 > limits.max_depth:
                continue
            if len(queued) >= QUEUE_FACTOR * limits.max_pages:
                continue  # more than the crawl can ever fetch: memory stays bounded
            if _BINARY_SUFFIX.search(urlsplit(link).path):
                continue
            queued.add(key)
            queue.append((link, depth + 1, final_url))
    return result


def _robots(
    fetcher: _Fetcher, start: str, result: Discovery
) -> tuple[urllib.robotparser.RobotFileParser, float]:
    """The site's robots.txt rules (RFC 9309: a missing file allows everything; a server error
    forbids everything) and its Crawl-delay for us, capped."""
    parts = urlsplit(start)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    parser = urllib.robotparser.RobotFileParser(robots_url)
    url = robots_url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = fetcher.get(url, html_only=False)
        except (OSError, ValueError) as exc:
            raise SocialgovError(
                f"--site {start}: cannot reach {parts.netloc}: {_reason(exc)}"
            ) from None
        if response.status in (301, 302, 303, 307, 308):
            location = response.headers.get("Location")
            target = _join(url, location) if location else None
            if target is None:
                break
            url = target
            continue
        break
    else:
        response = _Response(url, 404, Message(), b"", False)
    if response.status >= 500:
        result.problems.append(
            f"{robots_url}: HTTP {response.status}; robots.txt could not be read, so the site is "
            "treated as forbidding every page (RFC 9309)"
        )
        parser.disallow_all = True
        return parser, 0.0
    if response.status >= 400 or response.status in (301, 302, 303, 307, 308):
        parser.allow_all = True
        return parser, 0.0
    text = response.body.decode("utf-8", errors="replace")
    parser.parse(text.splitlines())
    delay = parser.crawl_delay(ROBOTS_AGENT)
    if delay is None:
        return parser, 0.0
    wanted = float(delay)
    if wanted > MAX_CRAWL_DELAY:
        result.problems.append(
            f"{robots_url}: Crawl-delay {wanted:g} s is longer than {MAX_CRAWL_DELAY:g} s; "
            f"{MAX_CRAWL_DELAY:g} s used"
        )
        wanted = MAX_CRAWL_DELAY
    return parser, wanted


def _fetch_page(
    fetcher: _Fetcher,
    url: str,
    referrer: str | None,
    site: tuple[str, int | None],
    robots: urllib.robotparser.RobotFileParser,
    queued: set[str],
    result: Discovery,
    deadline: float | None = None,
) -> tuple[str, str] | None:
    """(final URL, HTML) of ``url`` after same-host redirects; None, with a problem recorded,
    when there is no HTML page to read there."""
    linked = f" (linked from {referrer})" if referrer else ""
    chain = [url]
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = fetcher.get(current, deadline=deadline)
        except (OSError, ValueError) as exc:
            result.problems.append(f"{current}: cannot be read: {_reason(exc)}{linked}")
            return None
        if response.status in (301, 302, 303, 307, 308):
            location = response.headers.get("Location")
            target = _join(current, location) if location else None
            if target is None or not target.startswith(("http://", "https://")):
                result.problems.append(
                    f"{current}: HTTP {response.status} redirect without a usable Location{linked}"
                )
                return None
            if _site_key(target) != site:
                result.other_hosts.add(urlsplit(target).hostname or target)
                result.problems.append(
                    f"{current}: redirects to another host ({target}); not followed{linked}"
                )
                return None
            if target in chain:
                result.problems.append(
                    f"{url}: redirect loop ({' -> '.join([*chain, target])}); skipped{linked}"
                )
                return None
            if not robots.can_fetch(ROBOTS_AGENT, target):
                result.robots_skipped.append(target)
                return None
            chain.append(target)
            if current != url:
                queued.add(_page_key(target))
            current = target
            continue
        if response.status >= 400:
            result.problems.append(f"{current}: HTTP {response.status}{linked}")
            return None
        if response.status != 200:
            result.problems.append(f"{current}: HTTP {response.status}, not a page{linked}")
            return None
        if not response.body and response.headers.get_content_type() not in HTML_TYPES:
            if len(chain) == 1 and referrer is None:
                result.problems.append(
                    f"{current}: not an HTML page ({response.headers.get_content_type()})"
                )
            return None
        if response.truncated:
            result.problems.append(
                f"{current}: larger than {fetcher.max_bytes:,} bytes; only the first "
                f"{fetcher.max_bytes:,} were read{linked}"
            )
        queued.add(_page_key(response.url))
        return response.url, _decode(response.body, response.headers.get_content_charset())
    result.problems.append(f"{url}: more than {MAX_REDIRECTS} redirects; skipped{linked}")
    return None


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, TimeoutError) and reason.args and reason.args[0] != "timed out":
        return str(reason)
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "no answer in time"
    text = getattr(reason, "strerror", None) or str(reason)
    return str(text)


# ----------------------------------------------------------------------------- saved pages


def scan_folder(folder: Path, max_pages: int = 500, max_bytes: int = 5_000_000) -> Discovery:
    """The profile links of the saved HTML pages under ``folder`` (nothing is fetched). A page
    is named by the address its ``<link rel=canonical>`` gives, else its path in the folder."""
    result = Discovery(source=str(folder))
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in HTML_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    for path in files:
        if result.pages >= max_pages:
            result.stopped = f"--max-pages {max_pages} reached"
            break
        relative = path.relative_to(folder).as_posix()
        try:
            with path.open("rb") as handle:
                body = handle.read(max_bytes + 1)
        except OSError as exc:
            result.problems.append(f"{relative}: cannot be read: {exc.strerror or exc}")
            continue
        if len(body) > max_bytes:
            result.problems.append(
                f"{relative}: larger than {max_bytes:,} bytes; only the first {max_bytes:,} "
                "were read"
            )
            body = body[:max_bytes]
        result.pages += 1
        links = page_links(_decode(body, None), path.resolve().as_uri())
        seen_at = (
            links.canonical if links.canonical and links.canonical.startswith("http") else relative
        )
        for link in links.links:
            profile = recognise(link)
            if profile is not None:
                result.seen.append(Seen(profile, seen_at))
    if not files:
        result.problems.append(f"{folder}: holds no saved HTML pages (*.html, *.htm)")
    return result


# ----------------------------------------------------------------------------- feeds

_FEED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "platform": ("platform", "network", "social_network", "service", "site", "channel"),
    "handle": ("handle", "username", "user_name", "screen_name", "account_handle", "account"),
    "url": ("url", "profile_url", "profile", "link", "account_url", "profile_link", "page_url"),
    "first_seen": (
        "first_seen",
        "first_detected",
        "detected",
        "detected_on",
        "discovered",
        "discovered_on",
        "first_seen_date",
        "date_found",
        "found",
    ),
    "last_seen": ("last_seen", "last_detected", "last_seen_date", "last_checked", "seen"),
    "seen_at": ("seen_at", "source", "found_on", "source_url", "where_found"),
}


def read_feed(path: Path) -> Discovery:
    """The profiles of a discovery export (CSV): a column for the platform and one for the
    handle, or one for the profile URL; first and last seen dates when it has them."""
    from socialgov.writing.importer import normalise_column, read_rows

    header, rows = read_rows(path)
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = normalise_column(name)
        for field_name, spellings in _FEED_COLUMNS.items():
            if key in spellings and field_name not in columns:
                columns[field_name] = index
    if "url" not in columns and not {"platform", "handle"} <= columns.keys():
        found = ", ".join(repr(h) for h in header if h.strip()) or "none"
        raise SocialgovError(
            f"{path}:1: a discovery feed needs a URL column (url, profile url, link) or a "
            f"platform column and a handle column; found {found}"
        )
    result = Discovery(source=path.name)
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        result.pages += 1
        values = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
        problem, seen = _feed_row(values, path.name)
        if problem:
            result.problems.append(f"{path.name}:{number}: {problem}")
        if seen is not None:
            result.seen.append(seen)
    return result


def _feed_row(values: Mapping[str, str], feed: str) -> tuple[str | None, Seen | None]:
    url, handle, platform_text = (
        values.get("url", ""),
        values.get("handle", ""),
        values.get("platform", ""),
    )
    platform = canonical_platform(platform_text) if platform_text else None
    if platform_text and platform is None:
        platform = None
    profile: ProfileLink | None = None
    if url:
        profile = recognise(url if "://" in url else f"https://{url}")
        if profile is None and platform is not None:
            profile = ProfileLink(platform, bare_handle(handle) or None, url)
    if profile is None and handle and platform is not None:
        bare = bare_handle(handle)
        profile = ProfileLink(platform, bare, canonical_url(platform, bare) or "")
    if profile is None:
        if url:
            return f"'{url}' is not a social profile address the catalogue knows; row skipped", None
        if platform_text and platform is None:
            return f"platform '{platform_text}' is not one socialgov knows; row skipped", None
        return "no profile URL, or no platform and handle; row skipped", None
    problems = []
    dates: dict[str, dt.date | None] = {}
    for name in ("first_seen", "last_seen"):
        text = values.get(name, "")
        dates[name] = None
        if text:
            parsed = _feed_date(text)
            if parsed is None:
                problems.append(f"{name.replace('_', ' ')} '{text}' is not a date (YYYY-MM-DD)")
            dates[name] = parsed
    seen = Seen(
        profile,
        values.get("seen_at") or feed,
        first_seen=dates["first_seen"],
        last_seen=dates["last_seen"],
    )
    return ("; ".join(problems) + "; that date is left out") if problems else None, seen


def _feed_date(text: str) -> dt.date | None:
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$", text.strip())
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


# ----------------------------------------------------------------------------- merging


@dataclass
class MergeResult:
    """What merging the found presences into the sightings did (or, with diff, would do)."""

    added: list[str] = field(default_factory=list)
    """Ids of the new sightings."""
    moved: list[str] = field(default_factory=list)
    """Ids of the sightings whose last_seen moved."""
    unchanged: int = 0
    files: list[str] = field(default_factory=list)
    """Files written (or, with diff, that would be)."""
    diffs: list[str] = field(default_factory=list)


@dataclass
class _Group:
    """The sightings of one presence in this run, merged: where first seen, the date range."""

    profile: ProfileLink
    seen_at: str
    keys: set[PresenceKey]
    first_seen: dt.date
    last_seen: dt.date


def _groups(seen: Iterable[Seen], today: dt.date) -> list[_Group]:
    groups: list[_Group] = []
    index: dict[PresenceKey, _Group] = {}
    for item in seen:
        profile = item.profile
        keys = presence_keys(profile.platform, profile.handle, profile.url)
        if not keys:
            continue
        first = item.first_seen or item.last_seen or today
        last = item.last_seen or today
        group = next((index[k] for k in sorted(keys) if k in index), None)
        if group is None:
            group = _Group(profile, item.seen_at, set(keys), min(first, last), max(first, last))
            groups.append(group)
        else:
            group.first_seen = min(group.first_seen, first)
            group.last_seen = max(group.last_seen, last)
            group.keys |= keys
        for key in keys:
            index.setdefault(key, group)
    return groups


def merge(
    config: Config,
    seen: Sequence[Seen],
    output: Path,
    *,
    diff: bool = False,
) -> MergeResult:
    """Merge ``seen`` into the repository's sightings (see the module's documentation); new
    sightings go to ``output``. ``config.as_of`` is today."""
    from socialgov.model import entity_mappings
    from socialgov.pipeline import load_repository
    from socialgov.writing.writer import YamlFile, YamlReadError, get_node, read_yaml

    today = config.as_of
    repository = load_repository(config)
    model = repository.model
    opened: dict[Path, YamlFile] = {}

    def open_file(path: Path) -> YamlFile:
        if path not in opened:
            try:
                opened[path] = read_yaml(path)
            except YamlReadError as exc:
                raise SocialgovError(f"{exc}; fix the file, then run discover again") from None
        return opened[path]

    existing: list[tuple[Any, set[PresenceKey], str]] = []
    for sighting in model.sightings:
        path = config.root / sighting.path
        document = open_file(path).documents[sighting.source.document.index]
        try:
            node = get_node(document, sighting.source.base)
        except (KeyError, IndexError, TypeError):
            node = None
        if node is None or node.get("id") != sighting.id:
            node = next(
                (
                    m
                    for d in opened[path].documents
                    for kind, m in entity_mappings(d)
                    if kind == "Sighting" and m.get("id") == sighting.id
                ),
                None,
            )
        if node is None:
            continue
        keys = presence_keys(sighting.platform, sighting.handle, sighting.url)
        existing.append((node, keys, sighting.id))
    sightings_index: PresenceIndex[tuple[Any, str]] = PresenceIndex(
        ((node, sid), keys) for node, keys, sid in existing
    )
    accounts: PresenceIndex[str] = PresenceIndex(
        (a.id, presence_keys(a.platform, a.handle, a.url)) for a in model.accounts
    )
    used_ids = {s.id for s in model.sightings}
    result = MergeResult()
    new_entries: list[dict[str, Any]] = []
    for group in _groups(seen, today):
        found = sightings_index.find(group.keys)
        if found is not None:
            node, sid = found
            current = _as_date(node.get("last_seen"))
            if current is None or group.last_seen > current:
                _set_date(node, "last_seen", group.last_seen)
                result.moved.append(sid)
            else:
                result.unchanged += 1
            continue
        entry = _new_sighting(group, accounts.find(group.keys), used_ids)
        new_entries.append(entry)
        result.added.append(entry["id"])
    new_text = _append(output, new_entries, open_file) if new_entries else None
    changed = [(path, f) for path, f in opened.items() if f.changed]
    if new_text is not None:
        result.files.append(_relative(config.root, output))
        if diff:
            result.diffs.append(_new_file_diff(_relative(config.root, output), new_text))
    for path, yaml_file in changed:
        relative = _relative(config.root, path)
        result.files.append(relative)
        if diff:
            result.diffs.append(yaml_file.diff(relative))
    if not diff:
        _save_all(changed, output, new_text)
    return result


def _new_file_diff(relative: str, text: str) -> str:
    import difflib

    lines = difflib.unified_diff([], text.splitlines(keepends=True), "/dev/null", f"b/{relative}")
    return "".join(lines)


def _relative(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _set_date(node: Any, key: str, value: dt.date) -> None:
    from socialgov.writing.writer import set_value

    old = node.get(key)
    value = _fresh(value)
    set_value(
        node,
        key,
        value.isoformat() if isinstance(old, str) else value,
        after=("first_seen", "seen_at", "handle", "url", "platform"),
    )


def _fresh(day: dt.date) -> dt.date:
    """A date object of its own: the YAML writer would write one object used twice as an
    anchor and an alias (``&id001``), which no person wants to read."""
    return dt.date(day.year, day.month, day.day)


def _new_id(group: _Group, used: set[str]) -> str:
    from socialgov.writing.importer import slug

    profile = group.profile
    if profile.handle:
        text = f"{profile.platform}-{profile.handle}"
    else:
        parts = urlsplit(profile.url)
        text = f"{profile.platform}-{(parts.hostname or '').removeprefix('www.')}{parts.path}"
    base = slug(text.replace("/", "-").replace("@", "-"))[:100].strip("-._") or profile.platform
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _new_sighting(group: _Group, account: str | None, used: set[str]) -> dict[str, Any]:
    profile = group.profile
    entry: dict[str, Any] = {"id": _new_id(group, used)}
    if profile.url:
        entry["url"] = profile.url
    entry["platform"] = profile.platform
    if profile.handle:
        entry["handle"] = profile.handle
    entry["seen_at"] = group.seen_at
    entry["first_seen"] = _fresh(group.first_seen)
    entry["last_seen"] = _fresh(group.last_seen)
    if account is not None:
        entry["disposition"] = "official"
        entry["account"] = account
    else:
        entry["disposition"] = "unreviewed"
    return entry


def _append(
    output: Path, entries: list[dict[str, Any]], open_file: Callable[[Path], Any]
) -> str | None:
    """Add ``entries`` to the ``sightings:`` collection of ``output`` (opened for editing);
    when ``output`` does not exist yet, the text of the new file instead."""
    from socialgov.writing.writer import render_new

    if not output.exists():
        return render_new(
            [{"sightings": entries}],
            header=(
                "Presences seen on the web or in discovery feeds (socialgov discover).\n"
                "Set disposition (official with account, unofficial, impostor, ignored) and "
                "note;\ndiscover only ever moves last_seen and adds new sightings."
            ),
        )
    yaml_file = open_file(output)
    target = next(
        (
            d["sightings"]
            for d in yaml_file.documents
            if isinstance(d, Mapping) and isinstance(d.get("sightings"), list)
        ),
        None,
    )
    if target is None:
        document = yaml_file.documents[0] if yaml_file.documents else None
        if not isinstance(document, Mapping) or "kind" in document:
            raise SocialgovError(
                f"{output}: holds no 'sightings:' collection to add to; give --output a new "
                "file or a file of collections"
            )
        document["sightings"] = []
        target = document["sightings"]
    target.extend(entries)
    return None


def _save_all(changed: Sequence[tuple[Path, Any]], output: Path, new_text: str | None) -> None:
    """Write the new file (refusing to replace one made meanwhile), then each edited file."""
    from socialgov.core.files import ABSENT, FileChangedError, write_atomic

    try:
        if new_text is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(output, new_text, expected=ABSENT)
        for _path, yaml_file in changed:
            yaml_file.save()
    except FileChangedError as exc:
        raise SocialgovError(str(exc)) from None
    except OSError as exc:
        raise SocialgovError(f"{output}: cannot write: {exc.strerror or exc}") from None


# ----------------------------------------------------------------------------- the command


def discover_all(
    config: Config,
    sites: Sequence[str],
    feeds: Sequence[Path],
    limits: CrawlLimits,
    output: Path,
    *,
    diff: bool = False,
) -> tuple[list[Discovery], MergeResult]:
    """Read every source, then merge what they saw into the repository (nothing is written
    when a source cannot be read at all)."""
    discoveries: list[Discovery] = []
    for site in sites:
        folder = Path(site)
        if "://" not in site and folder.is_dir():
            discoveries.append(scan_folder(folder, limits.max_pages, limits.max_bytes))
        elif "://" not in site and not site.startswith("www."):
            raise SocialgovError(
                f"--site {site}: no such folder; give a folder of saved HTML pages or a web "
                "address such as https://www.example.org/"
            )
        else:
            discoveries.append(crawl_site(site if "://" in site else f"https://{site}", limits))
    for feed in feeds:
        discoveries.append(read_feed(feed))
    seen = [item for discovery in discoveries for item in discovery.seen]
    return discoveries, merge(config, seen, output, diff=diff)


def render_result(
    discoveries: Sequence[Discovery], merged: MergeResult, *, diff: bool, quiet: bool
) -> tuple[str, str]:
    """(stdout, stderr): what was read and found, what changed; problems on stderr."""
    from socialgov.core.escape import one_line, terminal_safe

    out: list[str] = []
    err: list[str] = []
    for discovery in discoveries:
        for problem in discovery.problems:
            err.append(f"socialgov: {one_line(problem)}\n")
        if discovery.robots_skipped:
            shown = ", ".join(discovery.robots_skipped[:5])
            more = len(discovery.robots_skipped) - 5
            err.append(
                f"socialgov: robots.txt forbids {len(discovery.robots_skipped)} page(s), not "
                f"read: {one_line(shown)}" + (f" and {more} more" if more > 0 else "") + "\n"
            )
        if not quiet:
            profiles = len({(s.profile.platform, s.profile.url) for s in discovery.seen})
            line = (
                f"{one_line(discovery.source)}: {discovery.pages} read, {profiles} social "
                f"profile link(s) found"
            )
            if discovery.other_hosts:
                line += f", {len(discovery.other_hosts)} other host(s) not followed"
            if discovery.stopped:
                line += f"; stopped early: {discovery.stopped}"
            out.append(line + "\n")
    if diff:
        out.extend(terminal_safe(d) for d in merged.diffs)
    verb = "would be" if diff else ""
    summary = (
        f"{len(merged.added)} new sighting(s), last_seen moved on {len(merged.moved)}, "
        f"{merged.unchanged} unchanged"
    )
    if merged.files:
        where = ", ".join(one_line(f) for f in merged.files)
        summary += f"; {verb + ' ' if verb else ''}written: {where}"
    else:
        summary += "; nothing to write"
    if not quiet or diff:
        out.append(summary + "\n")
    return "".join(out), "".join(err)
