"""socialgov.domain.platforms: handle rules at their limits, canonical URLs and every URL tolerance."""

from __future__ import annotations

import json

import pytest

from conftest import PROJECT
from socialgov.domain.platforms import (
    _URL_LIKE,
    CATALOGUE,
    PLATFORMS,
    SPECS,
    Profile,
    bare_handle,
    canonical_platform,
    canonical_url,
    handle_from_url,
    handle_key,
    handle_problem,
    is_profile_url,
    looks_like_url,
    normalize_url,
    parse_handle,
    parse_profile,
    same_url,
    url_problem,
)

LONG_DOMAIN = "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com"
assert len(LONG_DOMAIN) == 253

VALID = [
    ("x", "a"),
    ("x", "a" * 15),
    ("x", "Acme_Support1"),
    ("x", "@AcmeSupport"),
    ("instagram", "a"),
    ("instagram", "a" * 30),
    ("instagram", "acme.corp_1"),
    ("threads", "a"),
    ("threads", "a" * 30),
    ("threads", "@acme.corp_1"),
    ("tiktok", "ab"),
    ("tiktok", "a" * 24),
    ("tiktok", "acme.shop"),
    ("tiktok", "acme_"),
    ("youtube", "abc"),
    ("youtube", "a" * 30),
    ("youtube", "acme-help.uk_1"),
    ("facebook", "abcde"),
    ("facebook", "noaa"),
    ("facebook", "a" * 50),
    ("facebook", "Acme.Corp"),
    ("linkedin", "ab"),
    ("linkedin", "a" * 100),
    ("linkedin", "acme-corp-2"),
    ("mastodon", "acme@mastodon.social"),
    ("mastodon", "@acme@mastodon.social"),
    ("mastodon", "a@x.io"),
    ("mastodon", "a" * 30 + "@mastodon.social"),
    ("mastodon", "acme.uk@social.example.org"),
    ("bluesky", "acme.bsky.social"),
    ("bluesky", "@acme.com"),
    ("bluesky", LONG_DOMAIN),
    ("bluesky", "xn--caf-dma.example"),
]

INVALID = [
    ("x", ""),
    ("x", "@"),
    ("x", "a" * 16),
    ("x", "acme-support"),
    ("x", "acme.support"),
    ("x", "acme support"),
    ("instagram", ""),
    ("instagram", "a" * 31),
    ("instagram", "acme-corp"),
    ("threads", "a" * 31),
    ("threads", "acme corp"),
    ("tiktok", "a"),
    ("tiktok", "a" * 25),
    ("tiktok", "acme."),
    ("tiktok", "acme-shop"),
    ("youtube", "ab"),
    ("youtube", "a" * 31),
    ("youtube", "acme help"),
    ("facebook", ""),
    ("facebook", "a" * 51),
    ("facebook", "acme_corp"),
    ("facebook", "acme-corp"),
    ("linkedin", "a"),
    ("linkedin", "a" * 101),
    ("linkedin", "acme_corp"),
    ("linkedin", "Acme-Corp"),
    ("mastodon", "acme"),
    ("mastodon", "acme@"),
    ("mastodon", "acme@localhost"),
    ("mastodon", "a" * 31 + "@mastodon.social"),
    ("mastodon", "acme@@mastodon.social"),
    ("mastodon", "acme.@mastodon.social"),
    ("bluesky", "acme"),
    ("bluesky", "acme..com"),
    ("bluesky", "-acme.com"),
    ("bluesky", "acme-.com"),
    ("bluesky", "acme.c"),
    ("bluesky", LONG_DOMAIN.replace("d" * 57, "d" * 58)),
    ("bluesky", "a" * 64 + ".com"),
]


def test_platforms_are_the_schema_enum() -> None:
    schema = json.loads((PROJECT / "schemas" / "account.schema.json").read_text("utf-8"))
    assert list(PLATFORMS) == schema["properties"]["platform"]["enum"]
    assert set(SPECS) == {
        "x",
        "instagram",
        "threads",
        "tiktok",
        "youtube",
        "facebook",
        "linkedin",
        "mastodon",
        "bluesky",
    }


@pytest.mark.parametrize(("platform", "handle"), VALID)
def test_valid_handles(platform: str, handle: str) -> None:
    assert handle_problem(platform, handle) is None
    assert canonical_url(platform, handle) is not None


@pytest.mark.parametrize(("platform", "handle"), INVALID)
def test_invalid_handles(platform: str, handle: str) -> None:
    problem = handle_problem(platform, handle)
    assert problem is not None
    label = SPECS[platform].label
    assert problem.startswith(f"'{handle}' is not a valid {label} handle: {label} handles are ")
    assert canonical_url(platform, handle) is None


def test_handle_problems_say_what_a_valid_handle_is() -> None:
    assert handle_problem("x", "acme-support") == (
        "'acme-support' is not a valid X handle: X handles are 1 to 15 letters, digits or "
        "underscores"
    )
    assert handle_problem("tiktok", "acme.") == (
        "'acme.' is not a valid TikTok handle: TikTok handles are 2 to 24 letters, digits, "
        "periods or underscores, not ending in a period"
    )
    assert str(handle_problem("linkedin", "Acme-Corp")).endswith("; write 'acme-corp'")
    assert str(handle_problem("mastodon", "acme")).endswith(
        "; add the instance the account lives on"
    )
    assert "a domain name" in str(handle_problem("bluesky", "acme"))


@pytest.mark.parametrize("platform", ["forum", "other", "wechat"])
def test_platforms_without_profile_urls_are_not_checked(platform: str) -> None:
    assert handle_problem(platform, "anything at all!") is None
    assert canonical_url(platform, "acme") is None
    assert url_problem(platform, "acme", "https://example.com/whatever") is None
    assert url_problem(platform, None, "not a url") is None
    assert handle_from_url(platform, "https://example.com/acme") is None


@pytest.mark.parametrize("platform", ["pinterest", "reddit", "discord", "github", "telegram"])
def test_platforms_without_a_handle_rule_check_urls_only(platform: str) -> None:
    assert handle_problem(platform, "anything at all!") is None
    assert str(handle_problem(platform, "https://example.com/acme")).startswith(
        "'https://example.com/acme' is a web address, not a handle"
    )
    label = CATALOGUE[platform].label
    assert url_problem(platform, "acme", "https://example.com/whatever") == (
        f"'https://example.com/whatever' is not a profile URL on {label}"
        + (
            f" ({CATALOGUE[platform].template.replace('{handle}', 'HANDLE')})"
            if CATALOGUE[platform].template
            else ""
        )
    )
    assert url_problem(platform, "acme", "https://x.com/acme") == (
        f"'https://x.com/acme' is a X profile, not a {label} one"
    )


@pytest.mark.parametrize(
    ("name", "platform"),
    [
        ("x", "x"),
        (" X ", "x"),
        ("Twitter", "x"),
        ("twitter.com", "x"),
        ("FB", "facebook"),
        ("insta", "instagram"),
        ("YouTube", "youtube"),
        ("bsky", "bluesky"),
        ("threads.com", "threads"),
        ("reddit", "reddit"),
        ("myspace", None),
        ("", None),
    ],
)
def test_canonical_platform(name: str, platform: str | None) -> None:
    assert canonical_platform(name) == platform


def test_bare_handle_and_handle_key() -> None:
    assert bare_handle("@acme") == "acme"
    assert bare_handle(" @Acme ") == "Acme"
    assert bare_handle("acme") == "acme"
    assert bare_handle("@@acme") == "@acme"
    assert bare_handle("@acme@mastodon.social") == "acme@mastodon.social"
    assert handle_key("@AcmeCorp") == handle_key("acmecorp") == "acmecorp"


@pytest.mark.parametrize(
    ("platform", "handle", "url", "from_url"),
    [
        ("x", "@AcmeSupport", "https://x.com/AcmeSupport", "AcmeSupport"),
        ("instagram", "acme.corp", "https://www.instagram.com/acme.corp", "acme.corp"),
        ("threads", "@acme.corp", "https://www.threads.net/@acme.corp", "acme.corp"),
        ("tiktok", "acme.shop", "https://www.tiktok.com/@acme.shop", "acme.shop"),
        ("youtube", "AcmeHelp", "https://www.youtube.com/@AcmeHelp", "AcmeHelp"),
        ("facebook", "AcmeCorp", "https://www.facebook.com/AcmeCorp", "AcmeCorp"),
        ("linkedin", "acme-corp", "https://www.linkedin.com/company/acme-corp", "acme-corp"),
        (
            "mastodon",
            "@Acme@Mastodon.Social",
            "https://mastodon.social/@Acme",
            "Acme@mastodon.social",
        ),
        (
            "bluesky",
            "acme.bsky.social",
            "https://bsky.app/profile/acme.bsky.social",
            "acme.bsky.social",
        ),
    ],
)
def test_canonical_url_and_back(platform: str, handle: str, url: str, from_url: str) -> None:
    assert canonical_url(platform, handle) == url
    assert url_problem(platform, handle, url) is None
    assert handle_from_url(platform, url) == from_url
    assert is_profile_url(platform, url)


def test_handle_from_url_keeps_the_urls_letter_case() -> None:
    assert handle_from_url("x", "http://twitter.com/AcmeSupport/") == "AcmeSupport"
    assert handle_from_url("mastodon", "https://Mastodon.Social/@Acme/") == "Acme@mastodon.social"
    assert handle_from_url("tiktok", "tiktok.com/@acme.shop") == "acme.shop"
    assert handle_from_url("bluesky", "https://bsky.app/profile/acme.com") == "acme.com"
    # linkedin slugs are lower case; the URL's letter case does not count
    assert handle_from_url("linkedin", "https://www.linkedin.com/company/Acme-Corp") == "acme-corp"


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        ("x", "https://x.com/acme/status/1"),
        ("x", "https://x.com/"),
        ("x", "https://x.com/this_is_far_too_long"),
        ("instagram", "https://www.instagram.com/@acme"),
        ("tiktok", "https://www.tiktok.com/acme"),
        ("youtube", "https://www.youtube.com/channel/UCshort"),
        ("youtube", "https://www.youtube.com/watch?v=abc"),
        ("linkedin", "https://www.linkedin.com/feed"),
        ("facebook", "https://www.facebook.com/events/123"),
        ("mastodon", "https://mastodon.social/acme"),
        ("bluesky", "https://bsky.app/acme.com"),
        ("facebook", "ftp://facebook.com/acmecorp"),
    ],
)
def test_urls_that_are_not_profile_urls(platform: str, url: str) -> None:
    assert handle_from_url(platform, url) is None
    assert not is_profile_url(platform, url)
    problem = url_problem(platform, None, url)
    assert problem is not None
    assert problem.startswith(f"'{url}' is not a profile URL on {SPECS[platform].label} (")


# Every tolerance the SPEC names, for every checked platform's canonical URL.
TOLERATED = [
    ("http", lambda url: url.replace("https://", "http://")),
    ("missing www.", lambda url: url.replace("://www.", "://")),
    ("added www.", lambda url: url.replace("://", "://www.") if "://www." not in url else url),
    ("trailing slash", lambda url: url + "/"),
    ("upper case", lambda url: url.upper()),
    ("lower case", lambda url: url.lower()),
    ("all at once", lambda url: url.replace("https://www.", "HTTP://").upper() + "/"),
]
HANDLES = {
    "x": "AcmeSupport",
    "instagram": "Acme.Corp",
    "threads": "acme.corp",
    "tiktok": "acme.shop",
    "youtube": "AcmeHelp",
    "facebook": "AcmeCorp",
    "linkedin": "acme-corp",
    "mastodon": "acme@mastodon.social",
    "bluesky": "acme.bsky.social",
}


@pytest.mark.parametrize("platform", sorted(HANDLES))
@pytest.mark.parametrize(("what", "change"), TOLERATED, ids=[t[0] for t in TOLERATED])
def test_tolerated_url_differences(platform: str, what: str, change) -> None:  # type: ignore[no-untyped-def]
    handle = HANDLES[platform]
    url = change(str(canonical_url(platform, handle)))
    assert url_problem(platform, handle, url) is None, url
    assert url_problem(platform, "@" + handle, url) is None, url
    assert url_problem(platform, None, url) is None, url


@pytest.mark.parametrize("platform", sorted(HANDLES))
def test_a_different_handle_in_the_url_is_a_mismatch(platform: str) -> None:
    handle = HANDLES[platform]
    other = "zz" + handle
    url = str(canonical_url(platform, other))
    problem = url_problem(platform, handle, url)
    expected = canonical_url(platform, handle)
    assert problem == (
        f"'{url}' is not the {SPECS[platform].label} profile URL of handle '{handle}' ({expected})"
    )


def test_twitter_com_is_an_alias_of_x_only() -> None:
    assert url_problem("x", "acme", "https://twitter.com/acme") is None
    assert url_problem("x", "acme", "http://www.twitter.com/ACME/") is None
    assert url_problem("instagram", "acme", "https://twitter.com/acme") is not None


def test_threads_com_is_an_alias_of_threads_net() -> None:
    assert url_problem("threads", "acme", "https://www.threads.com/@acme") is None


def test_youtube_channel_urls_are_accepted_for_any_handle() -> None:
    channel = "https://www.youtube.com/channel/UC" + "a1B2c3D4e5F6g7H8i9J0_-"
    assert url_problem("youtube", "AcmeHelp", channel) is None
    assert url_problem("youtube", None, channel + "/") is None
    assert url_problem("youtube", "AcmeHelp", channel.replace("https://www.", "http://")) is None
    assert is_profile_url("youtube", channel)
    assert handle_from_url("youtube", channel) == "UC" + "a1B2c3D4e5F6g7H8i9J0_-"
    assert url_problem("youtube", "AcmeHelp", channel + "x") is not None
    assert url_problem("x", "acme", channel) is not None


def test_mastodon_url_lives_on_the_instance() -> None:
    assert url_problem("mastodon", "acme@mastodon.social", "https://mastodon.social/@acme") is None
    problem = url_problem("mastodon", "acme@mastodon.social", "https://fosstodon.org/@acme")
    assert problem is not None
    assert problem.endswith("(https://mastodon.social/@acme)")


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://x.com/acme", "x.com/acme"),
        ("HTTP://www.Twitter.com/Acme/", "x.com/acme"),
        ("x.com/acme", "x.com/acme"),
        ("//x.com/acme", "x.com/acme"),
        ("https://x.com/acme#about", "x.com/acme"),
        ("https://x.com:443/acme", "x.com/acme"),
        ("http://x.com:80/acme", "x.com/acme"),
        ("https://x.com:8443/acme", "x.com:8443/acme"),
        ("https://x.com./acme//", "x.com/acme"),
        ("https://www.facebook.com/profile.php?id=100064", "facebook.com/profile.php?id=100064"),
        ("ftp://example.com/acme", "ftp://example.com/acme"),
        ("  https://x.com/acme  ", "x.com/acme"),
        ("https://x.com:99999/acme", "https://x.com:99999/acme"),
    ],
)
def test_normalize_url(url: str, normalized: str) -> None:
    assert normalize_url(url) == normalized


def test_same_url() -> None:
    assert same_url("https://www.instagram.com/AcmeCorp/", "http://instagram.com/acmecorp")
    assert same_url("https://twitter.com/acme", "https://x.com/acme")
    assert not same_url("https://x.com/acme", "https://x.com/acme2")
    assert not same_url(
        "https://www.facebook.com/profile.php?id=1", "https://www.facebook.com/profile.php?id=2"
    )


def _split_by_urlsplit(url: str) -> tuple[str, str, str, str]:
    """The URL splitting socialgov did before its fast path: urlsplit for every URL."""
    import re
    from urllib.parse import urlsplit

    from socialgov.domain.platforms import HOST_ALIASES

    text = url.strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        text = "https://" + text.removeprefix("//")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return "", "", text, ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").removeprefix("www.")
    host = HOST_ALIASES.get(host, host)
    if port is not None and not (
        (port == 80 and scheme == "http") or (port == 443 and scheme == "https")
    ):
        host = f"{host}:{port}"
    if scheme in ("http", "https"):
        scheme = ""
    return scheme, host, parts.path.rstrip("/"), parts.query


def _url_corpus() -> list[str]:
    import itertools
    import random

    schemes = ["https://", "http://", "HTTPS://", "hTTp://", "//", "", "ftp://", "http\u017f://"]
    hosts = [
        "x.com",
        "www.Twitter.com",
        "WWW.x.com.",
        "www.",
        "a..b",
        "-x.com",
        "x.com:443",
        "x.com:80",
        "x.com:8443",
        "x.com:99999",
        "x.com:",
        "user@x.com",
        "[::1]",
        "[::1]:80",
        "bücher.de",
        "x.com%2F",
        "",
        ".",
        "threads.com",
        "mastodon.social",
    ]
    paths = [
        "",
        "/",
        "/acme",
        "/Acme/",
        "/acme//",
        "/@acme",
        "/profile/acme.bsky.social",
        "/acme?x=1",
        "/acme?lang=en",
        "?lang=en&a=%41",
        "/acme?",
        "/a?b?c/d",
        "/a?x#y",
        "/a?x y",
        "/a?x\\y",
        "/a?é",
        "/acme#about",
        "/acme/?#",
        "/a b",
        "/a\tb",
        "/a\\b",
        "/ä",
        "/%41cme",
        "/a;b=c,d:e!f$g&h'(i)*+~",
        "/channel/UC" + "a" * 22,
        "?id=1",
        "#frag",
    ]
    corpus = [s + h + p for s, h, p in itertools.product(schemes, hosts, paths)]
    rng = random.Random(5)
    alphabet = "aZ09.-_~/:@?#%[] \t\n\x00é+!$&'()*,;="
    for _ in range(3000):
        corpus.append(
            rng.choice(schemes)
            + rng.choice(hosts)
            + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        )
    corpus += [f"  {u}  " for u in corpus[:200]]
    return corpus


def test_the_fast_url_split_is_what_urlsplit_gives() -> None:
    from socialgov.domain.platforms import _split

    for url in _url_corpus():
        assert _split(url) == _split_by_urlsplit(url), repr(url)


def test_a_plain_url_with_a_query_is_split_without_urlsplit() -> None:
    """``x.com/acme?lang=en`` (how people copy profile URLs) takes the plain path, its query
    what urlsplit gives; a fragment or a blank after the query does not."""
    from socialgov.domain.platforms import _PLAIN_URL, _split

    for url in ("https://x.com/acme?lang=en", "http://x.com?a=%41/b?c", "https://x.com/a?"):
        assert _PLAIN_URL.fullmatch(url), url
        assert _split(url) == _split_by_urlsplit(url), url
    assert _split("https://twitter.com/Acme/?lang=en") == ("", "x.com", "/Acme", "lang=en")
    for url in ("https://x.com/a?b#c", "https://x.com/a?b c", "https://x.com/a?é"):
        assert not _PLAIN_URL.fullmatch(url), url


def test_handles_of_platforms_without_a_rule_make_a_url_only_when_plain() -> None:
    assert canonical_url("github", "acme-corp") == "https://github.com/acme-corp"
    assert canonical_url("pinterest", "acme.home") == "https://www.pinterest.com/acme.home"
    assert canonical_url("pinterest", "Acme Home Ideas") is None  # a name, not a handle
    assert canonical_url("telegram", "acme/news") is None


def _profile(platform: str, space: str, value: str, **rest: object) -> Profile:
    return Profile(
        platform=platform,
        space=space,
        value=value,
        handle=str(rest.get("handle", value)),
        host=str(rest.get("host", "")),
        type=rest.get("type"),  # type: ignore[arg-type]
        comparable=bool(rest.get("comparable", True)),
    )


@pytest.mark.parametrize(
    ("platform", "handle", "expected"),
    [
        ("discord", "acme", _profile("discord", "name", "acme", comparable=False)),
        ("x", "@Acme ", _profile("x", "name", "Acme")),
        ("linkedin", "AcmeCorp", _profile("linkedin", "org", "acmecorp")),
        ("youtube", "UC" + "1" * 22, _profile("youtube", "channel", "UC" + "1" * 22)),
        ("facebook", "12345", _profile("facebook", "id", "12345")),
        (
            "mastodon",
            "acme@Mastodon.Social",
            _profile("mastodon", "name", "acme@mastodon.social", host="mastodon.social"),
        ),
        (
            "reddit",
            "r/acme",
            _profile("reddit", "subreddit", "acme", handle="r/acme", type="forum"),
        ),
        ("x", "https://twitter.com/acme", _profile("x", "name", "acme", host="x.com")),
    ],
)
def test_a_handle_names_its_profile_field_by_field(
    platform: str, handle: str, expected: Profile
) -> None:
    found = parse_handle(platform, handle)
    assert type(found) is Profile
    assert found._asdict() == expected._asdict()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.reddit.com/r/acme/",
            _profile(
                "reddit", "subreddit", "acme", handle="r/acme", host="reddit.com", type="forum"
            ),
        ),
        ("https://x.com/acme?lang=en", _profile("x", "name", "acme", host="x.com")),
        (
            "https://www.linkedin.com/company/AcmeCorp",
            _profile("linkedin", "org", "acmecorp", host="linkedin.com"),
        ),
        (
            "https://discord.gg/acme",
            _profile(
                "discord", "invite", "acme", host="discord.gg", type="forum", comparable=False
            ),
        ),
        ("https://www.youtube.com/@acme", _profile("youtube", "name", "acme", host="youtube.com")),
    ],
)
def test_a_profile_url_names_its_profile_field_by_field(url: str, expected: Profile) -> None:
    found = parse_profile(url)
    assert type(found) is Profile
    assert found._asdict() == expected._asdict()
    assert found.key == f"{expected.platform}:{expected.space}:{expected.value.casefold()}"


@pytest.mark.parametrize(
    ("text", "is_url"),
    [
        ("acme", False),
        ("acme_support", False),
        (" acme:1", False),
        ("www.acme.com", True),
        ("  https://x.com/a", True),
        ("acme.com/page", True),
        ("a" * 400 + ".com/x", False),  # only the start is looked at
        ("a" * 400 + "://x", False),
        ("globex.jp.care1051", False),
        ("www.acme", True),
        ("WwW.acme", True),
        ("\u3000www.acme", True),
        ("@www.acme", False),
        ("acme.www.com", False),
        ("www", False),
        ("www,acme.com", False),
    ],
)
def test_what_looks_like_a_web_address(text: str, is_url: bool) -> None:
    assert looks_like_url(text) is is_url


def test_a_text_without_colon_or_slash_looks_like_a_web_address_as_the_pattern_says() -> None:
    # looks_like_url tells such a text by its start (only the www. form can match), without
    # the pattern: every combination of blanks, www-like starts, dotted bodies and ends is
    # answered as the pattern answers it (texts with : or / are matched by it).
    starts = ["", " ", "\t", "\u3000", "\u00a0", "@", "x"]
    heads = ["www.", "WWW.", "wWw.", "ww.", "www", "w.", "wwww.", "\u1e89ww.", ""]
    bodies = ["", "acme", "acme.corp", "globex.jp.care1051", ".", "a-b.c_d", "\u212a.com"]
    ends = ["", " ", "/x", ":1", "/", "."]
    texts = [s + h + b + e for s in starts for h in heads for b in bodies for e in ends]
    assert sum("www." in t.lower() and ":" not in t and "/" not in t for t in texts) > 100
    for text in texts:
        assert looks_like_url(text) is bool(_URL_LIKE.match(text.strip()[:300])), text
