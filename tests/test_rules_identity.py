"""Identity rule SG107 handle-url-mismatch, on accounts that fire and on near misses."""

from __future__ import annotations

from conftest import MakeRepo, found, run_lint
from socialgov.core.findings import EntityRef, Severity


def test_invalid_handle_points_at_the_handle(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - id: acme-x
                platform: x
                handle: acme-support-team
                url: https://x.com/somewhere-else
            """
        }
    )
    [finding] = found(run_lint(root), "SG107")
    assert finding.severity is Severity.WARNING
    assert (finding.entity, finding.line, finding.column) == (EntityRef("Account", "acme-x"), 4, 13)
    assert finding.message == (
        "Account acme-x: handle 'acme-support-team' is not a valid X handle: X handles are 1 to "
        "15 letters, digits or underscores; correct the handle"
    )


def test_url_of_another_handle_points_at_the_url(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - id: tt-acmeshop
                platform: tiktok
                handle: acme.shop
                url: https://www.tiktok.com/@acmeshop
            """
        }
    )
    [finding] = found(run_lint(root), "SG107")
    assert (finding.line, finding.column) == (5, 10)
    assert finding.message == (
        "Account tt-acmeshop: url 'https://www.tiktok.com/@acmeshop' is not the TikTok profile "
        "URL of handle 'acme.shop' (https://www.tiktok.com/@acme.shop); correct the url or the "
        "handle"
    )


def test_url_without_handle_must_be_a_profile_url(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: li-page, platform: linkedin, url: "https://www.linkedin.com/company/acme"}
              - {id: li-person, platform: linkedin, url: "https://www.linkedin.com/in/jdoe"}
              - {id: li-feed, platform: linkedin, url: "https://www.linkedin.com/feed/"}
            """
        }
    )
    [finding] = found(run_lint(root), "SG107")
    assert finding.entity == EntityRef("Account", "li-feed")
    assert finding.message == (
        "Account li-feed: url 'https://www.linkedin.com/feed/' is not a profile URL on "
        "LinkedIn (https://www.linkedin.com/company/HANDLE); set url to the profile's address"
    )


def test_tolerated_differences_and_aliases_pass(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: a, platform: x, handle: "@AcmeSupport", url: "http://www.twitter.com/acmesupport/"}
              - {id: b, platform: instagram, handle: AcmeCorp, url: "HTTPS://INSTAGRAM.COM/ACMECORP"}
              - {id: c, platform: youtube, handle: AcmeHelp,
                 url: "https://www.youtube.com/channel/UCa1B2c3D4e5F6g7H8i9J0_-"}
              - {id: d, platform: mastodon, handle: "@acme@mastodon.social",
                 url: "https://mastodon.social/@acme"}
              - {id: e, platform: bluesky, handle: acme.com, url: "bsky.app/profile/acme.com"}
              - {id: f, platform: facebook, handle: acme.corp}
              - {id: g, platform: linkedin}
            """
        }
    )
    assert found(run_lint(root), "SG107") == []


def test_platforms_without_profile_urls_are_not_checked(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: f, platform: forum, handle: "Acme Smart Home!", url: "https://x.com/acme"}
              - {id: o, platform: other, handle: "?", url: "https://example.com"}
              - {id: w, platform: wechat, handle: "Acme 官方"}
              - {id: p, platform: pinterest, handle: "?"}
            """
        }
    )
    assert found(run_lint(root), "SG107") == []


def test_a_url_of_another_platform_is_a_real_disagreement(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: r, platform: reddit, handle: "r/acme", url: "https://x.com/acme"}
            """
        }
    )
    [finding] = found(run_lint(root), "SG107")
    assert finding.message == (
        "Account r: url 'https://x.com/acme' is a X profile, not a Reddit one; correct the url "
        "or the handle"
    )


def test_checked_whatever_the_status(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: old, platform: facebook, handle: acme_corp, status: retired}
              - {id: soon, platform: threads, handle: "acme corp", status: planned}
            """
        }
    )
    findings = found(run_lint(root), "SG107")
    assert [f.entity.id for f in findings if f.entity] == ["old", "soon"]
    assert "Facebook handles are 1 to 50 letters, digits or periods" in findings[0].message


def test_a_handle_naming_a_platforms_own_page_is_one_finding_whatever_the_url(
    make_repo: MakeRepo,
) -> None:
    """facebook.com/watch is Facebook's video section, github.com/about GitHub's own page: such
    a handle is wrong whether the url is its canonical address, another form of it or absent
    (the canonical url alone once passed); where the handle is not the first path segment
    (youtube.com/@watch, linkedin.com/company/about) nothing is reserved."""
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: a, platform: facebook, handle: watch, url: "https://www.facebook.com/watch"}
              - {id: b, platform: facebook, handle: watch, url: "http://facebook.com/watch"}
              - {id: c, platform: github, handle: About}
              - {id: d, platform: x, handle: "@explore", url: "https://x.com/explore"}
              - {id: e, platform: youtube, handle: watch, url: "https://www.youtube.com/@watch"}
              - {id: f, platform: linkedin, handle: about}
            """
        }
    )
    findings = found(run_lint(root), "SG107")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("a", 2, 41),  # the handle, each time
        ("b", 3, 41),
        ("c", 4, 39),
        ("d", 5, 34),
    ]
    assert findings[0].message == (
        "Account a: handle 'watch' names one of Facebook's own pages "
        "(https://www.facebook.com/watch), not an account; correct the handle"
    )
    assert findings[2].message == (
        "Account c: handle 'About' names one of GitHub's own pages (https://github.com/About), "
        "not an account; correct the handle"
    )
