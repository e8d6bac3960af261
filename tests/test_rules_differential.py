"""Rules made faster give what the straightforward implementations they replaced gave.

Each reference below is the plain implementation a rule (or a helper of the rule engine) had
before it was made faster, kept here verbatim in spirit: it sorts everything, recomputes
everything and calls the general functions. Both run on repositories full of the cases each
shortcut skips (duplicates across files and within one, retired and planned channels, texts
equal only after normalising, values of every type), and must agree exactly: the same
violations, in the same order, with the same positions and messages.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import pytest

from conftest import AS_OF, MakeRepo
from socialgov.config import load_config
from socialgov.domain import platforms
from socialgov.domain.coverage import key, playbook_coverage, selected_channels
from socialgov.domain.platforms import (
    _NAMED_SPACE,
    CATALOGUE,
    TAILS,
    Identity,
    _reads_as_named,
    account_identity,
    canonical_url,
    handle_identity,
    handle_problem,
    label,
    parse_handle,
    parsed_url_problem,
    url_identity,
    url_problem,
)
from socialgov.domain.terms import show_term, term_key
from socialgov.lang.selectors import (
    _COMPARE,
    MISSING,
    Selections,
    _any_item,
    _comparer,
    _equals,
    _present,
    compile_condition,
    compile_selector,
    doubtful_together,
)
from socialgov.model import Account, ChannelBase, Model, Playbook, Policy
from socialgov.pipeline import load_repository
from socialgov.rules import consistency, focus, identity
from socialgov.rules.base import RuleContext, RuleInfo, Violation
from socialgov.rules.engine import to_finding


def _model(make_repo: MakeRepo, files: dict[str, str]) -> Model:
    return load_repository(load_config(make_repo(files))).model


def _same_findings(info: RuleInfo, model: Model, reference: Iterator[Violation]) -> None:
    """The rule's findings (positions and all) are the reference's, in the same order."""
    ctx = RuleContext(as_of=AS_OF)
    assert info.check is not None
    fast = [to_finding(info, v) for v in info.check(model, ctx)]
    slow = [to_finding(info, v) for v in reference]
    assert fast == slow
    assert [f.suppressed for f in fast] == [f.suppressed for f in slow]


# --------------------------------------------------------------------------- SG304


def _duplicate_presence_reference(model: Model) -> Iterator[Violation]:
    """SG304 written plainly: every account in written order, positions looked up for all."""
    first_of: dict[str, tuple[Account, str]] = {}
    for account in sorted(model.accounts, key=lambda e: (e.path, e.locate())):
        handle = handle_identity(account.platform, account.handle, account.url)
        url = url_identity(account.platform, account.url)
        if handle is not None and handle in first_of:
            field, (first, how) = "handle", first_of[handle]
        elif url is not None and url in first_of:
            field, (first, how) = "url", first_of[url]
        else:
            field = ""
        if field:
            shown = " at ".join(f"'{v}'" for v in (first.handle, first.url) if v)
            where = f"{shown or 'no handle or url'}, {first.path}:{first.locate().line}"
            name = label(str(account.platform))
            if field == how == "handle":
                said = (
                    f"has the same {name} handle '{account.handle}' as Account {first.id} ({where})"
                )
            elif field == how == "url":
                said = (
                    f"has the same url '{account.url}' as Account {first.id} ({where}): both "
                    "name one profile"
                )
            else:
                written = account.handle if field == "handle" else account.url
                said = (
                    f"names the same {name} profile ('{written}') as Account {first.id} ({where})"
                )
            yield Violation(
                account,
                f"Account {account.id} {said}; one presence needs one entity: merge "
                f"{account.id} into {first.id} and delete it",
                field=(field,),
                related=(first,),
            )
        if handle is not None:
            first_of.setdefault(handle, (account, "handle"))
        if url is not None:
            first_of.setdefault(url, (account, "url"))


HANDLES = ("acme", "@Acme", " ACME ", "other", "acme_2", "", "  ", "x y")
URLS = (
    "https://x.com/acme",
    "HTTP://www.twitter.com/Acme/",
    "x.com/acme#top",
    "https://www.instagram.com/acme",
    "https://example.com/a?b=1",
    "https://example.com/a?b=2",
    "",
    " ",
)
PLATFORMS = ("x", "instagram", "mastodon", "unknown-platform")


def _random_accounts(rng: random.Random, count: int, prefix: str) -> str:
    """Accounts in block and flow style, with handles and urls drawn from small pools so that
    duplicates are frequent, some left out."""
    lines = ["accounts:"]
    for i in range(count):
        fields = {"id": f"{prefix}-{i}", "platform": rng.choice(PLATFORMS)}
        if rng.random() < 0.8:
            fields["handle"] = rng.choice(HANDLES)
        if rng.random() < 0.6:
            fields["url"] = rng.choice(URLS)
        if rng.random() < 0.2:
            fields["status"] = rng.choice(("retired", "planned", "dormant"))
        if rng.random() < 0.5:
            body = ", ".join(f"{k}: {v!r}" for k, v in fields.items())
            lines.append(f"  - {{{body}}}")
        else:
            first, *rest = fields.items()
            lines.append(f"  - {first[0]}: {first[1]!r}")
            lines.extend(f"    {k}: {v!r}" for k, v in rest)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(4))
def test_duplicate_presence_is_the_reference(make_repo: MakeRepo, seed: int) -> None:
    rng = random.Random(seed)
    files = {
        # written in an order unlike the model's: b before a, two documents in one file
        f"accounts/{name}.yaml": _random_accounts(rng, 40, name)
        + "---\n"
        + _random_accounts(rng, 5, name + "-more")
        for name in ("b", "a", "a-b", "a_b", "ab")
    }
    model = _model(make_repo, files)
    found = list(focus.duplicate_presence.check(model, RuleContext(as_of=AS_OF)))  # type: ignore[misc]
    assert any(v.field == ("handle",) for v in found)
    assert any(v.field == ("url",) for v in found)
    _same_findings(focus.duplicate_presence, model, _duplicate_presence_reference(model))


# --------------------------------------------------------------------------- SG107


def _handle_url_mismatch_reference(model: Model) -> Iterator[Violation]:
    """SG107 as first written: every url through url_problem."""
    from socialgov.domain.platforms import CATALOGUE

    for account in model.accounts:
        platform = account.platform
        if platform not in CATALOGUE or platform in ("other", "forum"):
            continue
        handle = account.handle
        if handle is not None:
            problem = handle_problem(platform, handle)
            if problem is not None:
                yield Violation(
                    account,
                    f"Account {account.id}: handle {problem}; correct the handle",
                    field=("handle",),
                )
                continue
        if account.url is None:
            continue
        problem = url_problem(platform, handle, account.url)
        if problem is not None:
            fix = "correct the url or the handle" if handle else "set url to the profile's address"
            yield Violation(account, f"Account {account.id}: url {problem}; {fix}", field=("url",))


@pytest.mark.parametrize("seed", range(3))
def test_handle_url_mismatch_is_the_reference(make_repo: MakeRepo, seed: int) -> None:
    rng = random.Random(seed)
    model = _model(make_repo, {"accounts/a.yaml": _random_accounts(rng, 120, "a")})
    _same_findings(identity.handle_url_mismatch, model, _handle_url_mismatch_reference(model))


# --------------------------------------------------------------------------- SG107 and SG304

IDENTITY_HANDLES = (
    *HANDLES,
    None,
    "AcmeSupport",
    "acme@mastodon.social",
    "@acme@Mastodon.Social",
    "r/acme",
    "u/acme",
    "UC" + "x" * 22,
    "123456",
    "https://x.com/acme",
    "x.com/acme",
    "acme.bsky.social",
    "explore",
    "+acme",
    "a" * 40,
    "",
    "   ",
)
IDENTITY_URLS = (
    *URLS,
    None,
    "https://x.com/AcmeSupport",
    "https://x.com/explore",
    "https://twitter.com/acme?lang=en",
    "https://mastodon.social/@acme",
    "https://www.mastodon.social/@acme",
    "https://www.reddit.com/r/acme",
    "https://www.youtube.com/channel/UC" + "x" * 22,
    "https://www.youtube.com/@acme",
    "https://www.facebook.com/123456",
    "https://www.facebook.com/profile.php?id=123456",
    "https://www.facebook.com/acme",
    "https://www.linkedin.com/company/acme",
    "https://www.linkedin.com/company/Acme/about",
    "https://bsky.app/profile/acme.bsky.social",
    "https://acme.tumblr.com",
    "https://plus.google.com/+acme",
    "https://example.com/@acme",
    "",
    "  ",
    " https://x.com/acme ",
)


def _canonical_reference(platform: str, handle: str) -> str | None:
    """canonical_url as it was written before the templates were split around the handle:
    the template's format with the handle, its user and its instance."""
    import re

    from socialgov.domain.platforms import parse_handle

    known = CATALOGUE[platform]
    found = parse_handle(platform, handle)
    if found is None or found.platform != platform:
        return None
    if platform == "reddit":
        return f"https://www.reddit.com/{found.handle}" if found.space != "name" else None
    if platform == "youtube" and found.space == "channel":
        return f"https://www.youtube.com/channel/{found.value}"
    if known.template is None:
        return None
    if known.pattern is None and not re.fullmatch(r"[A-Za-z0-9._-]+", found.value):
        return None
    user, _, instance = found.value.partition("@")
    return known.template.format(handle=found.value, user=user, instance=instance.lower())


@pytest.mark.parametrize("platform", sorted(CATALOGUE))
def test_a_canonical_url_is_the_templates_format(platform: str) -> None:
    """A profile URL made by concatenating around the template's handle is the one the
    template's format made, for every platform and handle (odd ones, braces among them)."""
    handles = [
        *(h for h in IDENTITY_HANDLES if h is not None),
        "{handle}",
        "a{0}b",
        "a}b",
        "acme_{x}",
        "Acme.Care-1",
        "acme@Social.Example",
        "é",
    ]
    made = 0
    for handle in handles:
        expected = _canonical_reference(platform, handle)
        if handle_problem(platform, handle) is None:
            assert canonical_url(platform, handle, valid=True) == expected, handle
            made += expected is not None
        assert canonical_url(platform, handle) == (
            expected if handle_problem(platform, handle) is None else None
        ), handle
    if CATALOGUE[platform].template is not None:
        assert made > 0


@pytest.mark.parametrize("platform", [*sorted(CATALOGUE), None, "unknown-platform"])
def test_an_account_identity_is_what_each_rule_asked_for_itself(platform: str | None) -> None:
    """account_identity, parsed once for SG107 and SG304, answers for every handle and url what
    the functions the two rules called each gave: the identity keys, whether the url is the
    canonical one, and (through what it keeps) url_problem."""
    checked = platform in CATALOGUE and platform not in ("other", "forum")
    for handle in IDENTITY_HANDLES:
        for url in IDENTITY_URLS:
            found = account_identity(platform, handle, url)
            assert type(found) is Identity and len(found) == len(Identity._fields)
            assert found.handle_key == handle_identity(platform, handle, url)
            assert found.url_key == url_identity(platform, url)
            problem = handle_problem(platform, handle) if checked and handle is not None else None
            assert found.problem == problem  # SG107's verdict on the handle, found with the parse
            if found.url_key is not None and found.url_key == found.handle_key:
                assert found.url_key is found.handle_key  # one text kept for both
            if not checked or url is None:
                assert (found.named, found.found) == (None, None)
                continue
            assert platform is not None
            canonical = handle is not None and url == canonical_url(platform, handle, valid=True)
            if canonical:
                assert found.canonical
            if found.canonical:  # the canonical URL, or one its parse reads as that URL
                assert handle is not None
                if problem is None:
                    for valid in (True, False):
                        assert url_problem(platform, handle, url, valid=valid) is None
                continue
            for valid in (True, False):
                assert parsed_url_problem(platform, handle, url, found, valid=valid) == (
                    url_problem(platform, handle, url, valid=valid)
                )


def _canonical_handles(seed: int) -> list[str]:
    """Handles whose canonical URLs the url's parse may or may not read back as the handle: plain
    names, digits, the characters that change a parse (``.``, ``-``, ``_``, ``@``, ``/``, ``:``),
    every reserved path and tail in either case, lengths at the patterns' edges, domains (Bluesky),
    channel ids, and profile URLs of every platform pasted into the handle."""
    rnd = random.Random(seed)
    words = [*TAILS, *(w for known in CATALOGUE.values() for w in known.reserved)]
    words += ["profile.php", "PROFILE.PHP", "123", "0", "a-1", "ab-12", "a.b", "a_b", "pages"]
    words += ["acme.bsky.social", "a-b.example", "x.y", "UC" + "a" * 22, "r/acme", "u/acme"]
    words += [
        "did:plc:" + "a2" * 12,
        "did:plc:" + "A2" * 12,
        "\u0661\u0662\u0663",
        "12\u0663",
        "acme\u0661",
    ]
    handles = [form for w in words for form in (w, w.upper(), "@" + w)]
    for _ in range(600):
        size = rnd.choice([1, 2, 3, 15, 16, 23, 24, 30, 31, 50, 51, 100, 101])
        letters = "abcXYZ019_.-" if rnd.random() < 0.7 else "abcXYZ019_.-@/:+é %"
        handles.append("".join(rnd.choice(letters) for _ in range(size)))
        handles.append("".join(rnd.choice("0123456789") for _ in range(size)))
        labels = ["".join(rnd.choice("ab9-") for _ in range(rnd.randint(1, 5))) for _ in "ab"]
        handles.append(".".join([*labels, rnd.choice(["social", "example", "x", "9a"])]))
    for known in CATALOGUE.values():
        for host in known.hosts[:2]:
            for value in ("acme", "123", "about", "a.b", "UC" + "b" * 22):
                handles += [f"https://{host}/{value}", f"https://{host}/@{value}"]
                handles += [f"https://{host}/{part}/{value}" for part in ("in", "pg", "user", "c")]
                handles += [f"https://{host}/company/{value}", f"https://{host}/groups/{value}"]
    return handles


@pytest.mark.parametrize("platform", sorted(CATALOGUE))
def test_a_canonical_url_keyed_without_its_parse_is_keyed_as_parsed(platform: str) -> None:
    """account_identity takes the url's key from the handle when the url is the handle's
    canonical URL and the parse could not read it otherwise (platforms._reads_as_named): on
    every handle of every form, the url's key is still url_identity's (the parse's), and one
    text for both keys when they are equal."""
    shortcut = 0
    for handle in _canonical_handles(len(platform)):
        url = canonical_url(platform, handle, valid=True)
        if url is None:
            continue
        found = account_identity(platform, handle, url)
        assert found.canonical
        assert found.handle_key == handle_identity(platform, handle, url)
        assert found.url_key == url_identity(platform, url), (handle, url)
        if found.url_key is not None and found.url_key == found.handle_key:
            assert found.url_key is found.handle_key
        # the private _reads_as_named only counts the handles the shortcut took (the answers
        # themselves are asserted above, through account_identity and url_identity)
        shortcut += found.handle_key is not None and _reads_as_named(
            platform, CATALOGUE[platform], parse_handle(platform, handle)
        )
    if platform in _NAMED_SPACE:
        assert shortcut > 100  # the shortcut was taken, not only the parse


def _same_pages(url: str, platform: str, rnd: random.Random) -> list[str]:
    """``url`` (a canonical profile URL) written as people write it: with http, with or without
    www., on the platform's other hosts and on others', trailing slashes, queries plain and not
    (Facebook's ``?id=``), a fragment, capitals, blanks, no scheme; the usual forms, then 40
    mixtures of these drawn by ``rnd``."""
    rest = url.partition("://")[2]
    host, slash, path = rest.partition("/")
    bare = host.removeprefix("www.")
    hosts = [host, bare, "www." + bare, "www.www." + bare, bare.upper(), bare + ".", bare + ":443"]
    hosts += [bare + ":8080", "evil" + bare, "example.com", "twitter.com", "www.threads.com"]
    hosts += [h for known in CATALOGUE.values() for h in known.hosts[:3]]
    tails = ["", "/", "//", "?lang=en", "/?lang=en", "?id=123", "?", "?id=12&x=y", "?a b", "?é"]
    tails += ["#top", "/#top", "?x=1#top", "?a/b?c", "/about", "/@x", "?id=123/", "/x"]
    usual = [
        f"{head}{written}{slash}{path}{tail}"
        for head in ("https://", "http://")
        for written in (host, bare, "www." + bare)
        for tail in tails[:6]
    ]
    drawn = [
        f"{rnd.choice(('https://', 'http://'))}{rnd.choice(hosts)}{slash}{path}{rnd.choice(tails)}"
        for _ in range(40)
    ]
    odd = [url.upper(), "HTTP://" + rest, "ftp://" + rest, rest, "//" + rest, f" {url} "]
    odd += [url + "\n", url.replace(path, path.upper()) if path else url]
    return [*usual, *drawn, *odd]


@pytest.mark.parametrize("platform", sorted(CATALOGUE))
def test_a_url_the_parse_reads_as_the_canonical_one_is_keyed_as_parsed(platform: str) -> None:
    """account_identity keys a url that differs from the handle's canonical URL only in what
    the parse does not read (http, www., another host of the platform's, trailing slashes, a
    plain query: platforms._same_page) from the handle too, and calls it canonical, so that
    SG107 asks nothing more: on every form of such urls, the url's key is url_identity's and
    SG107's verdict url_problem's (None when it calls the url canonical)."""
    shortcut = 0
    rnd = random.Random(platform)
    handles = _canonical_handles(len(platform))
    for handle in [*handles[:200:2], *handles[200::41], "profile.php", "Profile.PHP"]:
        made = canonical_url(platform, handle, valid=True)
        if made is None:
            continue
        for url in _same_pages(made, platform, rnd):
            found = account_identity(platform, handle, url)
            assert found.handle_key == handle_identity(platform, handle, url)
            assert found.url_key == url_identity(platform, url), (handle, url)
            if found.url_key is not None and found.url_key == found.handle_key:
                assert found.url_key is found.handle_key
            if found.problem is not None or url == made:
                continue  # SG107 asks nothing of the url (see the test above for the rest)
            if found.canonical:
                assert url_problem(platform, handle, url, valid=True) is None, (handle, url)
                shortcut += 1
            else:
                assert parsed_url_problem(platform, handle, url, found, valid=True) == (
                    url_problem(platform, handle, url, valid=True)
                ), (handle, url)
    if platform in _NAMED_SPACE:
        assert shortcut > 150, shortcut  # the shortcut was taken, not only the parse
    else:
        assert shortcut == 0


@pytest.mark.parametrize("platform", sorted(CATALOGUE))
def test_the_usual_account_is_told_at_once_as_the_long_way_tells_it(
    platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """account_identity tells a plain handle whose url is its canonical URL, or one the parse
    reads as it (platforms._CANONICAL), without parsing either; on every handle of every form,
    with each of those urls, it gives the Identity the long way gives (field for field, one
    text for both keys), and the long way is still taken for everything else."""
    rnd = random.Random(platform)
    handles = _canonical_handles(len(platform))
    cases = []
    for handle in [*handles[:300], *handles[300::7], "@acme", "@@acme", " acme", "acme "]:
        made = canonical_url(platform, handle, valid=True)
        if made is None:
            continue
        for url in [made, *_same_pages(made, platform, rnd)[::3]]:
            cases.append((handle, url))
    fast = [account_identity(platform, handle, url) for handle, url in cases]
    with monkeypatch.context() as patched:
        patched.setattr(platforms, "_CANONICAL", {})
        slow = [account_identity(platform, handle, url) for handle, url in cases]
    told = 0
    for (handle, url), one, other in zip(cases, fast, slow, strict=True):
        assert type(one) is Identity and one == other, (handle, url)
        assert (one.url_key is one.handle_key) == (other.url_key is other.handle_key)
        told += one.canonical and one.problem is None
    if platform not in _NAMED_SPACE:
        return
    assert told > 100
    # the usual Account, told without a parse of its handle or its url
    for name in ("parse_profile", "_parse_written", "_written_problem", "_split"):
        monkeypatch.setattr(platforms, name, _not_asked)
    value = {"linkedin": "acme-1", "bluesky": "acme.bsky.social"}.get(platform, "acme1")
    head, tail = platforms._AROUND[CATALOGUE[platform].template]  # type: ignore[index]
    for handle in (value, "@" + value):
        for url in (head + value + tail, head + value + tail + "/"):
            found = account_identity(platform, handle, url)
            assert found.canonical and found.problem is None and found.named is None
            assert found.handle_key == found.url_key and found.url_key is found.handle_key
    with pytest.raises(AssertionError, match="parsed"):
        account_identity(platform, value, head + value + tail + "#top")


def _not_asked(*args: Any) -> Any:
    raise AssertionError("parsed")


def test_account_identities_are_let_go_once_both_rules_took_them(make_repo: MakeRepo) -> None:
    model = _model(
        make_repo,
        {
            "a.yaml": "accounts:\n"
            "  - {id: a, platform: x, handle: acme, url: 'https://x.com/acme'}\n"
            "  - {id: b, platform: instagram, url: 'https://example.com/b'}\n"
            "  - {id: c, platform: other, handle: acme}\n",
        },
    )
    ctx = RuleContext(as_of=AS_OF)
    first = ctx.derived.account_identities(model, "SG107")
    assert first == [account_identity(a.platform, a.handle, a.url) for a in model.accounts]
    assert first[0].handle_key == first[0].url_key == "x:name:acme" and first[0].canonical
    assert ctx.derived.account_identities(model, "SG107") is first  # kept for SG304
    assert ctx.derived.account_identities(model, "SG304") is first
    again = ctx.derived.account_identities(model, "SG304")  # both took it: made afresh
    assert again == first and again is not first
    assert ctx.derived.account_identities(Model({"Account": {}}), "SG107") == []


# --------------------------------------------------------------------------- SG403


def _cross_channel_inconsistency_reference(model: Model) -> Iterator[Violation]:
    """SG403 as first written: every policy indexed, each value's channels sorted apart."""
    adopters: dict[str, list[ChannelBase]] = defaultdict(list)
    for channel in model.all_channels:
        if channel.live:
            for ref in channel.policies:
                adopters[ref.id].append(channel)
    for policy in model.policies:
        if not policy.consistent_terms:
            continue
        channels = list({key(c): c for c in adopters.get(policy.id, ())}.values())
        for index, term in enumerate(policy.consistent_terms):
            values: dict[str, tuple[Any, list[ChannelBase]]] = {}
            for channel in channels:
                if term in channel.terms:
                    stated = channel.terms[term]
                    values.setdefault(term_key(stated), (stated, []))[1].append(channel)
            if len(values) >= 2:
                yield _inconsistency_reference(policy, term, index, list(values.values()))


def _names(channels: list[ChannelBase]) -> str:
    shown = [f"{c.kind} {c.id}" for c in channels[:5]]
    more = len(channels) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _by_kind(channels: list[ChannelBase]) -> str:
    ordered = sorted(channels, key=lambda c: (not c.social, c.id))
    social = [c for c in ordered if c.social]
    traditional = [c for c in ordered if not c.social]
    parts = []
    if social:
        parts.append(f"{_names(social)} (social)")
    if traditional:
        parts.append(f"{_names(traditional)} (traditional)")
    return " and ".join(parts)


def _inconsistency_reference(
    policy: Policy, term: str, index: int, values: list[tuple[Any, list[ChannelBase]]]
) -> Violation:
    values.sort(key=lambda item: -len(item[1]))
    listing = "; ".join(f"{show_term(value)} on {_by_kind(chans)}" for value, chans in values)
    hint = ""
    if len(values[0][1]) > len(values[1][1]):
        hint = f" (most state {show_term(values[0][0])})"
    stating = sorted((c for _, chans in values for c in chans), key=lambda c: (not c.social, c.id))
    return Violation(
        entity=policy,
        message=(
            f"Policy {policy.id}: live channels state {len(values)} different values for "
            f"{term}: {listing}; make them all state the same value{hint}"
        ),
        field=("consistent_terms", index),
        related=tuple(stating),
        key=f"consistent_terms/{term}",
    )


def test_cross_channel_inconsistency_is_the_reference(make_repo: MakeRepo) -> None:
    rng = random.Random(5)
    hours = ("'24'", "24", "24.0", "' 24 '", "'24h'", "true", "'true'", "[1, 2]", "{a: 1}")
    lines = ["accounts:"]
    channels = ["channels:"]
    for i in range(150):
        policies = rng.choice(("[returns]", "[returns, returns@1]", "[returns, sla]", "[sla]"))
        status = rng.choice(("active", "active", "retired", "planned", "dormant"))
        terms = f"{{hours: {rng.choice(hours)}, window: {rng.choice(hours)}}}"
        entry = f"{{id: c{i % 60}, policies: {policies}, status: {status}, terms: {terms}}}"
        if i % 3:
            lines.append(f"  - {entry[:-1]}, platform: x}}")
        else:
            channels.append(f"  - {entry[:-1]}, type: phone}}")
    files = {
        "accounts.yaml": "\n".join(lines) + "\n",
        "channels.yaml": "\n".join(channels) + "\n",
        "policies.yaml": (
            "policies:\n"
            "  - {id: returns, consistent_terms: [hours, window, unstated]}\n"
            "  - {id: sla, consistent_terms: [window]}\n"
            "  - {id: plain}\n"
        ),
    }
    model = _model(make_repo, files)
    found = list(consistency.cross_channel_inconsistency.check(model, RuleContext(as_of=AS_OF)))  # type: ignore[misc]
    assert len(found) >= 2
    _same_findings(
        consistency.cross_channel_inconsistency,
        model,
        _cross_channel_inconsistency_reference(model),
    )


# --------------------------------------------------------------------------- coverage


def _playbook_coverage_reference(
    model: Model, channels: list[ChannelBase]
) -> dict[tuple[str, str], list[Playbook]]:
    covered: dict[tuple[str, str], list[Playbook]] = {key(c): [] for c in channels}
    for playbook in model.playbooks:
        matched = selected_channels(playbook.applies_to, channels, model, AS_OF)
        for channel in matched or ():
            covered[key(channel)].append(playbook)
    for channel in channels:
        found = covered[key(channel)]
        for playbook_id in channel.playbooks:
            playbook = model.find("Playbook", playbook_id)
            if isinstance(playbook, Playbook) and all(p.id != playbook_id for p in found):
                found.append(playbook)
    return covered


def test_playbook_coverage_is_the_reference(make_repo: MakeRepo) -> None:
    rng = random.Random(11)
    names = ("crisis", "service", "none", "crisis", "ghost")
    accounts = ["accounts:"]
    for i in range(80):
        listed = ", ".join(rng.sample(names, rng.randrange(4)))
        purpose = rng.choice(("service", "sales", "pr"))
        accounts.append(f"  - {{id: a{i}, platform: x, purpose: {purpose}, playbooks: [{listed}]}}")
    files = {
        "accounts.yaml": "\n".join(accounts) + "\n",
        "channels.yaml": "channels:\n  - {id: a1, type: phone, playbooks: [crisis, crisis]}\n",
        "playbooks.yaml": (
            "playbooks:\n"
            "  - {id: crisis, end: x, applies_to: {kind: Account, where: {purpose: pr}}}\n"
            "  - {id: service, end: x, applies_to: {kind: [Account, Channel]}}\n"
            "  - {id: none, end: x}\n"
        ),
    }
    model = _model(make_repo, files)
    channels = list(model.all_channels)
    reference = _playbook_coverage_reference(model, channels)
    fast = playbook_coverage(model, channels, AS_OF)
    assert [list(found) for found in fast] == [reference[key(c)] for c in channels]
    assert len({tuple(p.id for p in found) for found in fast}) > 3  # channels differ in cover
    # channels covered alike share one tuple (100,000 channels hold a few)
    alike = {tuple(p.id for p in found): found for found in fast}
    assert all(found is alike[tuple(p.id for p in found)] for found in fast)
    assert len(alike) < len(channels) // 4
    # any order of the channels: each gets its own playbooks, in the playbooks' order
    shuffled = rng.sample(channels, len(channels))
    again = playbook_coverage(model, shuffled, AS_OF)
    assert [list(found) for found in again] == [reference[key(c)] for c in shuffled]


# --------------------------------------------------------------------------- selectors

VALUES: tuple[Any, ...] = (
    MISSING,
    True,
    False,
    0,
    1,
    1.0,
    2.5,
    10_000,
    9_999.5,
    "service",
    " service",
    "Service",
    "true",
    "1",
    "",
    "   ",
    "2026-01-01",
    dt.date(2026, 1, 1),
    [],
    ["service"],
    ["sales", "service"],
    [True],
    [1, 20_000],
    [None, "service"],
    (),
    {},
    {"a": 1},
    "service-sla@3",
)


def _present_reference(value: Any) -> bool:
    if value is MISSING or value is None:
        return False
    if isinstance(value, str):
        return not value.isspace() and value != ""
    return not (isinstance(value, list | tuple | Mapping) and len(value) == 0)


def test_present_is_the_reference() -> None:
    for value in VALUES:
        assert _present(value) is _present_reference(value), value


@pytest.mark.parametrize("operand", [True, False, "service", "service-sla", 1, 1.0, "2026-01-01"])
@pytest.mark.parametrize("field", ["purpose", "policies"])
def test_eq_is_the_reference(operand: Any, field: str) -> None:
    """``eq`` (also written as a plain value) answers as :func:`_equals` for every value."""
    refs = field == "policies"
    for condition in ({"eq": operand}, operand):
        test = compile_condition(field, condition).tests[0]
        for value in (*VALUES, [operand]):
            assert test(value, AS_OF) == _equals(value, operand, refs), (operand, value)


@pytest.mark.parametrize("op", sorted(_COMPARE))
@pytest.mark.parametrize("operand", [10_000, 2.5, 1, "2026-01-01", "m"])
def test_comparisons_are_the_reference(op: str, operand: Any) -> None:
    test = compile_condition("metrics.followers", {op: operand}).tests[0]
    compare = _comparer(op, operand)
    for value in VALUES:
        assert test(value, AS_OF) == _any_item(value, compare), (op, operand, value)


PATHS = (
    "id",
    "kind",
    "status",
    "name",
    "owner",
    "policies",
    "security",
    "security.mfa",
    "metrics.followers",
    "terms.service_hours",
    "labels.a",
    "owner.employment",
    "owner.team.lead",
    "team.function",
    "policies.title",
    "playbooks.handoffs.scenario",
    "handoffs.scenario",
    "handoffs.to.lead",
    "waivers.approved_by.team",
    "security.mfa.x",
    "terms.service_hours.x",
)


def _odd_data(rng: random.Random, depth: int = 0) -> Any:
    """A value of any shape a field may hold when data skipped its schema check."""
    choice = rng.randrange(9 if depth < 2 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, 0, 2.5, "", "p1", "t1", "x", "service-sla@2"])
    if choice == 2:
        return rng.choice(["p1", "p2", "nobody", "t1"])
    if choice == 3:
        return rng.choice([[], ["p1", None], ["service-sla", "service-sla@2", 3]])
    if choice in (4, 5):
        return rng.choice(["active", "retired", " "])
    names = ["mfa", "followers", "service_hours", "a", "x", "lead", "scenario", "to"]
    if choice == 8:
        return [_odd_data(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {rng.choice(names): _odd_data(rng, depth + 1) for _ in range(rng.randrange(4))}


def test_getters_read_what_the_general_walk_reads(make_repo: MakeRepo) -> None:
    """Each path's getter (one, two or more parts) answers what FieldPath.get and the general
    walk answer, on entities whose data holds values of every shape, references included."""
    from socialgov.lang.selectors import FieldPath, _walk

    model = _model(
        make_repo,
        {
            "p.yaml": "people:\n  - {id: p1, employment: full_time, team: t1}\n"
            "  - {id: p2, team: t2}\n",
            "t.yaml": "teams:\n  - {id: t1, lead: p1, function: x}\n  - {id: t2}\n",
            "pol.yaml": "kind: Policy\nid: service-sla\ntitle: SLA\n",
            "pb.yaml": "kind: Playbook\nid: crisis\nhandoffs:\n  - {scenario: s, to: t1}\n",
            "a.yaml": "accounts:\n  - {id: a1, platform: x, owner: p1, policies: [service-sla]}\n",
        },
    )
    rng = random.Random(11)
    entities = list(model.all())
    fields = ["status", "owner", "policies", "security", "metrics", "terms", "labels", "team"]
    fields += ["handoffs", "playbooks", "waivers", "kind", "name"]
    made = []
    for n in range(3_000):
        base = rng.choice(entities)
        data = {k: _odd_data(rng) for k in rng.sample(fields, rng.randrange(6))}
        if n % 3 == 0:
            data = {**base.data, **data}
        entity = type(base)(id=base.id, data=data, source=base.source)
        made.append(entity)
        for text in PATHS:
            path = FieldPath.parse(text)
            walked = _walk(entity.data, entity.kind, (), path.parts, model, top=True)
            assert path.getter(entity, model) == path.get(entity, model), (text, data)
            got = path.getter(entity, model)
            assert got == walked and type(got) is type(walked), (text, data)
    for text in PATHS:  # each entity's value read in one loop (group_by, same, unique)
        path = FieldPath.parse(text)
        expected = [path.getter(entity, model) for entity in made]
        values = path.values(made, model)
        assert values == expected, text
        assert [type(v) for v in values] == [type(v) for v in expected], text


SIEVED = (
    ("status", {"present": True}),
    ("security.mfa", {"eq": True}),
    ("security.mfa", True),
    ("security.mfa", {"eq": False}),
    ("status", "active"),
    ("status", {"eq": " "}),
    ("metrics.followers", {"present": True}),
    ("terms.service_hours", {"present": True}),
    ("owner", {"present": True}),
    ("name", {"present": True}),
    ("kind", {"present": True}),
    ("kind", "Account"),
    ("policies", {"eq": "service-sla"}),
    ("owner.employment", {"present": True}),
    ("security.mfa.x", {"eq": True}),
    ("status", {"present": True, "eq": "active"}),
    ("status", {"present": False}),
    ("security.mfa", {"ne": True}),
)


def _one_account(make_repo: MakeRepo) -> Model:
    """A model of one Account and its owner, whose Account the tests give data of every shape."""
    return _model(
        make_repo,
        {
            "p.yaml": "people:\n  - {id: p1, employment: full_time, team: t1}\n",
            "a.yaml": "accounts:\n  - {id: a1, platform: x, owner: p1}\n",
        },
    )


def test_what_a_condition_is_sure_of_it_holds(make_repo: MakeRepo) -> None:
    """A condition's ``doubtful`` leaves out only entities that meet the condition (as its
    getter and test answer), keeps the others in their order, and exists for the usual
    conditions on the entity's own fields."""
    model = _one_account(make_repo)
    rng = random.Random(5)
    base = next(iter(model.accounts))
    fields = ["status", "owner", "policies", "security", "metrics", "terms", "name", "kind"]
    extra = [dt.date(2026, 1, 1), 0, 3, 2.5, False, {}, {"mfa": True}, [" "], (), "  ", "\t"]
    entities = []
    for _ in range(2_000):
        data = {k: _odd_data(rng) for k in rng.sample(fields, rng.randrange(6))}
        for name in rng.sample(fields, rng.randrange(2)):
            data[name] = rng.choice(extra)
        if rng.randrange(4) == 0:
            data["security"] = {"mfa": rng.choice([True, False, None, "true", 1, {}])}
        entities.append(type(base)(id=base.id, data=data, source=base.source))
    sieved = 0
    for field, written in SIEVED:
        condition = compile_condition(field, written)
        if condition.doubtful is None:
            continue
        sieved += 1
        get = condition.path.getter
        doubtful = condition.doubtful(entities)
        kept = {id(e) for e in doubtful}
        assert doubtful == [e for e in entities if id(e) in kept]  # in their order
        for entity in entities:
            if id(entity) not in kept:
                assert condition.holds(get(entity, model), AS_OF), (field, written, entity.data)
        if field == "owner.employment":  # a reference, followed the general way: all in doubt
            assert doubtful == entities
        else:
            assert len(doubtful) < len(entities), (field, written)
    assert sieved == 11  # present: true and eq on texts and booleans, on one or two names


def test_conditions_sieved_together_leave_each_what_its_own_sieve_leaves(
    make_repo: MakeRepo,
) -> None:
    """One pass sieving for several conditions (the built-in rules' on the live Accounts) gives
    each condition exactly what its own ``doubtful`` gives, on data of every shape (data that is
    not a dict among it), and a Selections remembers the others' answers for when they are
    asked."""
    model = _one_account(make_repo)
    rng = random.Random(11)
    base = next(iter(model.accounts))
    fields = ["status", "owner", "policies", "security", "metrics", "terms", "name"]
    entities = []
    for _ in range(1_000):
        data: Any = {k: _odd_data(rng) for k in rng.sample(fields, rng.randrange(6))}
        if rng.randrange(4) == 0:
            data["security"] = {"mfa": rng.choice([True, False, None, "true", 1, {}, " "])}
        if rng.randrange(10) == 0:
            data = MappingProxyType(data)  # not a dict: in doubt for every condition
        entities.append(type(base)(id=base.id, data=data, source=base.source))
    conditions = [compile_condition(f, w) for f, w in SIEVED]
    usual = [c for c in conditions if c.sure is not None]
    assert len(usual) == 11
    for chosen in (usual, usual[::-1], rng.sample(usual, 4), usual[:1]):
        together = doubtful_together([c.sure for c in chosen if c.sure is not None])(entities)
        assert len(together) == len(chosen)
        for condition, in_doubt in zip(chosen, together, strict=True):
            assert condition.doubtful is not None
            assert in_doubt == condition.doubtful(entities)

    selector = compile_selector({"kind": "Account"})
    selections = Selections()
    first, *others = usual
    accounts = list(model.accounts)
    assert first.doubtful is not None
    assert selections.doubtful(model, selector, first, AS_OF, usual) == first.doubtful(accounts)
    for other in others:
        assert other.doubtful is not None
        remembered = selections.doubtful(model, selector, other, AS_OF)
        assert remembered == other.doubtful(accounts)
        assert remembered is selections.doubtful(model, selector, other, AS_OF, usual)


TEXT_CHOICES = (
    ("status", "active"),
    ("status", {"eq": "active"}),
    ("status", {"ne": "retired"}),
    ("status", {"in": ["active", "dormant"]}),
    ("status", {"not_in": ["retired", "planned"]}),
    ("purpose", "service"),
    ("name", {"in": ["", " ", "Active"]}),
)


def test_a_where_on_texts_answers_as_its_condition_does(make_repo: MakeRepo) -> None:
    """A where-condition comparing a field of the entity itself with texts (read at once for a
    text value) answers, on data of every shape, what the condition's own getter and test do."""
    from socialgov.lang.selectors import compile_where

    model = _one_account(make_repo)
    rng = random.Random(11)
    base = next(iter(model.accounts))
    odd = [None, "", " ", "active", "Active", "active ", "retired", "service", True, False, 1, 0]
    odd += [1.0, ["active"], ("active",), {"active": 1}, dt.date(2026, 1, 1), "2026-01-01"]
    entities = []
    for _ in range(2_000):
        data = {k: _odd_data(rng) for k in rng.sample(["status", "purpose", "name"], 2)}
        for name in rng.sample(["status", "purpose", "name"], rng.randrange(3)):
            data[name] = rng.choice(odd)
        entities.append(type(base)(id=base.id, data=data, source=base.source))
    for field, written in TEXT_CHOICES:
        match, condition = compile_where({field: written}), compile_condition(field, written)
        for entity in entities:
            expected = condition.matches(entity, model, AS_OF)
            assert bool(match(entity, model, AS_OF)) is bool(expected), (
                field,
                written,
                entity.data,
            )


def test_a_selection_on_texts_is_what_its_condition_chooses(make_repo: MakeRepo) -> None:
    """A selector whose where is one condition on texts selects in one loop (no call per
    entity) exactly the entities its condition matches, in model order, on data of every shape
    (data that is not a dict among it)."""

    model = _one_account(make_repo)
    rng = random.Random(13)
    base = next(iter(model.accounts))
    odd = [None, "", " ", "active", "Active", "retired", "planned", "service", True, 1, 0.0]
    odd += [["active"], ["retired", "active"], {"active": 1}, dt.date(2026, 1, 1)]
    entities = []
    for number in range(1_500):
        data: Any = {k: rng.choice(odd) for k in rng.sample(["status", "purpose", "name"], 2)}
        if rng.randrange(12) == 0:
            data = MappingProxyType(data)
        entities.append(type(base)(id=f"a{number}", data=data, source=base.source))
    _selects_as_its_condition_chooses(entities, TEXT_CHOICES)


NUMBER_CHOICES: list[tuple[str, Any]] = [
    ("metrics.followers", {"ge": 10_000}),
    ("metrics.followers", {"lt": 10_000.5}),
    ("metrics.posts_per_month", {"gt": 0}),
    ("metrics", {"le": 1}),
    ("metrics", {"gt": -0.5}),
]


def test_a_selection_on_numbers_is_what_its_condition_chooses(make_repo: MakeRepo) -> None:
    """A selector whose where is one condition comparing a field (one or two names) with a
    number selects in one loop exactly the entities its condition matches, in model order, on
    data of every shape: numbers of both types, booleans, numbers as text, dates, lists of
    numbers, mappings that are not dicts, a missing field, data that is not a dict."""

    model = _one_account(make_repo)
    rng = random.Random(17)
    base = next(iter(model.accounts))
    odd: list[Any] = [None, 0, 1, -1, 9_999, 10_000, 10_000.5, 1e9, float("nan"), True, False]
    odd += ["10000", "", dt.date(2026, 1, 1), [10_000], [1, 20_000], [], {"followers": 5}]
    entities = []
    for number in range(2_000):
        data: Any = {"name": rng.choice(odd)} if rng.randrange(2) else {}
        metrics: Any = {k: rng.choice(odd) for k in rng.sample(["followers", "posts_per_month"], 2)}
        if rng.randrange(8) == 0:
            metrics = MappingProxyType(metrics)
        elif rng.randrange(4) == 0:
            metrics = rng.choice(odd)
        if rng.randrange(6):
            data["metrics"] = metrics
        if rng.randrange(12) == 0:
            data = MappingProxyType(data)
        entities.append(type(base)(id=f"a{number}", data=data, source=base.source))
    _selects_as_its_condition_chooses(entities, NUMBER_CHOICES)


def _selects_as_its_condition_chooses(entities: list[Any], choices: list[tuple[str, Any]]) -> None:
    """Each selector of one where condition selects exactly the entities its condition
    matches, in their order, and some but not all of them."""
    from socialgov.lang.selectors import select

    odd_model = Model(entities={"Account": {e.id: e for e in entities}})
    for field, written in choices:
        condition = compile_condition(field, written)
        selector = compile_selector({"kind": "Account", "where": {field: written}})
        chosen = select(odd_model, selector, AS_OF)
        assert chosen == [e for e in entities if condition.matches(e, odd_model, AS_OF)]
        assert 0 < len(chosen) < len(entities), (field, written)


def test_where_with_several_conditions_is_every_condition(make_repo: MakeRepo) -> None:
    from socialgov.lang.selectors import compile_where

    model = _model(
        make_repo,
        {
            "a.yaml": "accounts:\n"
            + "".join(
                f"  - {{id: a{i}, platform: {p}, purpose: {u}, status: {s}}}\n"
                for i, (p, u, s) in enumerate(
                    (p, u, s)
                    for p in ("x", "instagram")
                    for u in ("service", "sales")
                    for s in ("active", "retired")
                )
            )
        },
    )
    conditions = {"platform": "x", "purpose": "service", "status": {"ne": "retired"}}
    for count in (1, 2, 3):
        where = dict(list(conditions.items())[:count])
        match = compile_where(where)
        parts = [compile_condition(k, v) for k, v in where.items()]
        for account in model.accounts:
            expected = all(c.matches(account, model, AS_OF) for c in parts)
            assert match(account, model, AS_OF) is expected


# --------------------------------------------------------------------------- derived values


def test_live_channels_are_derived_once_per_model(make_repo: MakeRepo) -> None:
    model = _model(
        make_repo,
        {
            "a.yaml": "accounts:\n"
            "  - {id: a, platform: x}\n  - {id: b, platform: x, status: retired}\n"
            "  - {id: c, platform: x, status: dormant}\n  - {id: d, platform: x, status: planned}\n"
            "channels:\n  - {id: a, type: phone}\n  - {id: p, type: phone, status: retired}\n",
        },
    )
    ctx = RuleContext(as_of=AS_OF)
    live = ctx.derived.live_channels(model)
    assert live == tuple(c for c in model.all_channels if c.live)
    assert [(c.kind, c.id) for c in live] == [("Account", "a"), ("Account", "c"), ("Channel", "a")]
    assert ctx.derived.live_channels(model) is live  # derived once
    assert ctx.derived.live_accounts(model) == tuple(a for a in model.accounts if a.live)
    other = Model({"Account": {}})
    assert ctx.derived.live_channels(other) == ()  # another model starts afresh
    assert ctx.derived.live_accounts(model) == live[:2]


def test_live_account_coverage_is_derived_once_per_model_and_day(make_repo: MakeRepo) -> None:
    model = _model(
        make_repo,
        {
            "a.yaml": "accounts:\n"
            "  - {id: a, platform: x, purpose: pr}\n  - {id: b, platform: x, status: retired}\n"
            "  - {id: c, platform: x, playbooks: [listed]}\n"
            "playbooks:\n"
            "  - {id: pr, end: x, applies_to: {kind: Account, where: {purpose: pr}}}\n"
            "  - {id: listed, end: x}\n",
        },
    )
    ctx = RuleContext(as_of=AS_OF)
    coverage = ctx.derived.live_account_coverage(model, AS_OF, ctx.selections)
    assert [[p.id for p in found] for found in coverage] == [["pr"], ["listed"]]
    assert isinstance(coverage, tuple) and all(isinstance(found, tuple) for found in coverage)
    assert ctx.derived.live_account_coverage(model, AS_OF, ctx.selections) is coverage
    later = AS_OF + dt.timedelta(days=1)
    assert ctx.derived.live_account_coverage(model, later, ctx.selections) is not coverage
    assert ctx.derived.live_account_coverage(Model({"Account": {}}), AS_OF, None) == ()


# --------------------------------------------------------------------------- findings


def test_a_finding_made_from_a_violation_is_the_one_named_by_keywords(make_repo: MakeRepo) -> None:
    """_to_finding builds each Finding positionally: every field lands where its keyword puts it
    (a field, related entities, a key given or made from the field or the related ones, a long
    message bounded, the repository as a whole)."""
    from socialgov.core.findings import Finding

    model = _model(
        make_repo,
        {
            "accounts.yaml": "accounts:\n  - id: a\n    platform: x\n    handle: acme\n"
            "    security: {mfa: false}\n  - id: b\n    platform: x\n",
        },
    )
    a, b = model.accounts
    info = focus.duplicate_presence
    violations = [
        Violation(a, "m1", ("security", "mfa")),
        Violation(a, "m2", (), (b,)),
        Violation(b, "m3" * 5000, ("handle",), (a, b), key="k"),
        Violation(b, "m4"),
    ]
    for violation in violations:
        entity = violation.entity
        assert entity is not None
        pos = entity.locate(violation.field)
        key = violation.key
        if key is None:
            key = "/".join(map(str, violation.field)) or ",".join(
                f"{r.kind}/{r.id}" for r in violation.related
            )
        named = Finding(
            code=info.code,
            name=info.name,
            severity=info.severity,
            message=violation.message,
            path=entity.path,
            line=pos.line,
            column=pos.column,
            entity=entity.ref,
            related=tuple(r.ref for r in violation.related),
            key=key,
        )
        made = to_finding(info, violation)
        assert made == named
        assert [getattr(made, f) for f in Finding.__slots__] == [
            getattr(named, f) for f in Finding.__slots__
        ]
    assert to_finding(info, violations[0]).line == 5
    assert len(to_finding(info, violations[2]).message) < 5000
