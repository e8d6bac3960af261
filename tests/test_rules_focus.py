"""Focus rules SG301-SG305, each on an entity that fires and on its near misses."""

from __future__ import annotations

import datetime as dt

from conftest import MakeRepo, found, run_lint
from socialgov.core.findings import EntityRef, Severity


def account(account_id: str) -> EntityRef:
    return EntityRef("Account", account_id)


# --------------------------------------------------------------------------- SG301

FORUMS = """\
accounts:
  - id: home-subreddit
    platform: reddit
    type: forum
    audience: smart home owners
    topic: smart home
    metrics: {active_members_per_month: 35}
  - id: home-discord
    platform: discord
    type: forum
    audience: Smart  Home Owners
    topic: SMART HOME
    metrics: {active_members_per_month: 22}
  - id: home-forum
    platform: forum
    type: forum
    audience: smart home owners
    topic: smart home
    metrics: {active_members_per_month: 120}
"""


def test_fragmented_forums_reports_the_least_active_forum_naming_the_others(
    make_repo: MakeRepo,
) -> None:
    root = make_repo({"accounts.yaml": FORUMS})
    [finding] = found(run_lint(root), "SG301")
    assert finding.severity is Severity.WARNING
    assert (finding.entity, finding.line, finding.column) == (account("home-discord"), 8, 5)
    assert finding.related == (account("home-subreddit"), account("home-forum"))
    assert finding.message == (
        "Account home-discord is one of 3 live forums for audience 'Smart  Home Owners' and "
        "topic 'SMART HOME', 2 of them with fewer than 50 active members per month: "
        "home-discord (22 per month), home-subreddit (35 per month) and home-forum "
        "(120 per month); consolidate them into one forum and retire the others"
    )


def test_fragmented_forums_counts_an_unknown_activity_as_the_least(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: a, platform: reddit, type: forum, audience: fans, topic: audio,
                 metrics: {active_members_per_month: 10}}
              - {id: b, platform: discord, type: forum, audience: fans, topic: audio,
                 metrics: {members: 900}}
            """
        }
    )
    [finding] = found(run_lint(root), "SG301")
    assert finding.entity == account("b")
    assert "b (unknown per month) and a (10 per month)" in finding.message


def test_fragmented_forums_needs_two_thin_live_forums_sharing_audience_and_topic(
    make_repo: MakeRepo,
) -> None:
    def forum(forum_id: str, members: int | None, **extra: str) -> str:
        fields = {
            "id": forum_id,
            "platform": "discord",
            "type": "forum",
            "audience": "fans",
            "topic": "audio",
            **extra,
        }
        text = ", ".join(f"{k}: {v}" for k, v in fields.items())
        if members is not None:
            text += f", metrics: {{active_members_per_month: {members}}}"
        return f"  - {{{text}}}\n"

    cases = {
        "one thin, one at the threshold": forum("a", 49) + forum("b", 50),
        "one thin and a retired one": forum("a", 10) + forum("b", 10, status="retired"),
        "one thin and a planned one": forum("a", 10) + forum("b", 10, status="planned"),
        "a profile is no forum": forum("a", 10) + forum("b", 10, type="profile"),
        "type left to its default": forum("a", 10)
        + "  - {id: b, platform: forum, audience: fans, topic: audio}\n",
        "another topic": forum("a", 10) + forum("b", 10, topic="video"),
        "another audience": forum("a", 10) + forum("b", 10, audience="dealers"),
        "no topic written": forum("a", 10)
        + "  - {id: b, platform: discord, type: forum, audience: fans}\n",
        "a single forum": forum("a", 1),
    }
    for name, forums in cases.items():
        root = make_repo({"accounts.yaml": "accounts:\n" + forums})
        assert found(run_lint(root), "SG301") == [], name


def test_fragmented_forums_reads_forum_min_active_members(make_repo: MakeRepo) -> None:
    root = make_repo({"accounts.yaml": FORUMS}, config="options:\n  forum_min_active_members: 30\n")
    assert found(run_lint(root), "SG301") == []
    root = make_repo(
        {"accounts.yaml": FORUMS}, config="options:\n  forum_min_active_members: 121\n"
    )
    [finding] = found(run_lint(root), "SG301")
    assert "3 of them with fewer than 121 active members per month" in finding.message


def test_fragmented_forums_one_finding_per_group(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": FORUMS
            + """\
  - {id: audio-a, platform: reddit, type: forum, audience: fans, topic: audio}
  - {id: audio-b, platform: discord, type: forum, audience: fans, topic: audio}
"""
        }
    )
    findings = found(run_lint(root), "SG301")
    assert [f.entity for f in findings] == [account("home-discord"), account("audio-a")]
    assert len({f.fingerprint for f in findings}) == 2


# --------------------------------------------------------------------------- SG302


def test_dormant_account_fires_one_day_past_dormant_days(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - id: quiet
                platform: x
                last_activity: 2026-05-27
              - {id: exactly, platform: x, last_activity: 2026-05-28}
              - {id: recent, platform: x, last_activity: 2026-11-24}
              - {id: future, platform: x, last_activity: 2027-01-01}
              - {id: old-retired, platform: x, last_activity: 2020-01-01, status: retired}
              - {id: old-planned, platform: x, last_activity: 2020-01-01, status: planned}
              - {id: marked, platform: x, last_activity: "2020-01-01", status: dormant}
            """
        }
    )
    findings = found(run_lint(root), "SG302")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("quiet", 4, 20),
        ("marked", 10, 46),
    ]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message == (
        "Account quiet was last active on 2026-05-27, 181 days before 2026-11-24 "
        "(dormant_days: 180); post or moderate again and update last_activity, or set "
        "status: retired"
    )


def test_dormant_account_reads_dormant_days_and_as_of(make_repo: MakeRepo) -> None:
    files = {"accounts.yaml": "accounts:\n  - {id: a, platform: x, last_activity: 2026-08-25}\n"}
    assert found(run_lint(make_repo(files)), "SG302") == []
    root = make_repo(files, config="options:\n  dormant_days: 90\n")
    [finding] = found(run_lint(root), "SG302")
    assert "91 days before 2026-11-24 (dormant_days: 90)" in finding.message
    later = run_lint(make_repo(files), as_of=dt.date(2027, 2, 22))
    assert "181 days before 2027-02-22" in found(later, "SG302")[0].message


# --------------------------------------------------------------------------- SG303


def test_activity_unknown_fires_for_live_accounts_only(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: old, platform: x, status: retired}
              - {id: soon, platform: x, status: planned}
              - {id: known, platform: x, last_activity: 2026-11-01}
              - id: unknown
                platform: x
            """,
            "channels.yaml": "channels:\n  - {id: phone, type: phone}\n",
        }
    )
    [finding] = found(run_lint(root), "SG303")
    assert finding.severity is Severity.INFO
    assert (finding.entity, finding.line, finding.column) == (account("unknown"), 5, 5)
    assert finding.message == (
        "Account unknown has no last_activity; record the date of its last post or moderation "
        "so that dormant presences can be found"
    )


# --------------------------------------------------------------------------- SG304


def test_duplicate_presence_same_handle_on_one_platform(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "a.yaml": """\
            accounts:
              - id: ig-acmecorp
                platform: instagram
                handle: acmecorp
            """,
            "b.yaml": """\
            accounts:
              - {id: th-acmecorp, platform: threads, handle: acmecorp}
              - id: ig-official
                platform: instagram
                handle: '@AcmeCorp'
              - {id: ig-third, platform: instagram, handle: ACMECORP, status: retired}
            """,
        }
    )
    findings = found(run_lint(root), "SG304")
    assert [(f.path, f.entity, f.line, f.column, f.related) for f in findings] == [
        ("b.yaml", account("ig-official"), 5, 13, (account("ig-acmecorp"),)),
        ("b.yaml", account("ig-third"), 6, 49, (account("ig-acmecorp"),)),
    ]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].message == (
        "Account ig-official has the same Instagram handle '@AcmeCorp' as Account ig-acmecorp "
        "('acmecorp', a.yaml:2); one presence needs one entity: merge ig-official into "
        "ig-acmecorp and delete it"
    )


def test_duplicate_presence_same_normalised_url(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: x-acme, platform: x, url: "https://x.com/Acme"}
              - {id: tw-acme, platform: x, url: "http://www.twitter.com/acme/"}
              - {id: forum-a, platform: forum, url: "https://community.acme.example"}
              - {id: forum-b, platform: forum, url: "https://pro.community.acme.example"}
              - {id: forum-c, platform: forum, url: "HTTPS://Community.Acme.Example/"}
              - {id: both, platform: x, handle: acme, url: "https://x.com/acme"}
            """
        }
    )
    findings = found(run_lint(root), "SG304")
    assert [(f.entity.id, f.line, f.column, f.related) for f in findings if f.entity] == [
        ("tw-acme", 3, 37, (account("x-acme"),)),
        ("forum-c", 6, 41, (account("forum-a"),)),
        ("both", 7, 37, (account("x-acme"),)),
    ]
    assert findings[0].message == (
        "Account tw-acme has the same url 'http://www.twitter.com/acme/' as Account x-acme "
        "('https://x.com/Acme', accounts.yaml:2): both name one profile; one presence needs one "
        "entity: merge tw-acme into x-acme and delete it"
    )


def test_duplicate_presence_one_finding_when_handle_and_url_both_match(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: one, platform: x, handle: acme, url: "https://x.com/acme"}
              - {id: two, platform: x, handle: Acme, url: "https://twitter.com/acme"}
            """
        }
    )
    [finding] = found(run_lint(root), "SG304")
    assert finding.entity == account("two")
    assert "same X handle" in finding.message


def test_duplicate_presence_near_misses(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: x-acme, platform: x, handle: acme, url: "https://x.com/acme"}
              - {id: ig-acme, platform: instagram, handle: acme}
              - {id: x-acme2, platform: x, handle: acme2, url: "https://x.com/acme2"}
              - {id: forum-a, platform: forum, url: "https://community.acme.example"}
              - {id: forum-b, platform: forum, url: "https://community.acme.example/pro"}
              - {id: no-identity, platform: forum}
              - {id: no-identity-2, platform: forum}
            """
        }
    )
    assert found(run_lint(root), "SG304") == []


# --------------------------------------------------------------------------- SG305

SIX = ("x", "facebook", "instagram", "linkedin", "youtube", "tiktok")


def _team_accounts(platforms: tuple[str, ...], team: str = "marketing", **extra: str) -> str:
    more = "".join(f", {k}: {v}" for k, v in extra.items())
    return "".join(
        f"  - {{id: {team}-{p}, platform: {p}, team: {team}{more}}}\n" for p in platforms
    )


TEAMS = """\
teams:
  - id: marketing
    function: marketing
"""


def test_platform_sprawl_fires_on_the_team(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "teams.yaml": TEAMS,
            "accounts.yaml": "accounts:\n"
            + _team_accounts(SIX)
            + "  - {id: second-x, platform: x, team: marketing}\n",
        }
    )
    [finding] = found(run_lint(root), "SG305")
    assert finding.severity is Severity.INFO
    assert (finding.path, finding.line, finding.column) == ("teams.yaml", 2, 5)
    assert finding.entity == EntityRef("Team", "marketing")
    assert len(finding.related) == 7
    assert finding.message == (
        "Team marketing keeps live Accounts on 6 platforms (facebook, instagram, linkedin, "
        "tiktok, x and youtube), more than max_platforms_per_team (5); focus on the platforms "
        "that serve its objectives and retire or hand over the others"
    )


def test_platform_sprawl_lists_the_accounts_in_the_order_they_are_written(
    make_repo: MakeRepo,
) -> None:
    # Files by name; in a file, documents in order; in a document, its lists in the order
    # they are written (not by name), each list's items in order.
    root = make_repo(
        {
            "teams.yaml": TEAMS,
            "b.yaml": "kind: Account\nid: m-tiktok\nplatform: tiktok\nteam: marketing\n"
            "---\nteams:\n  - {id: sales, function: sales}\naccounts:\n"
            "  - {id: m-youtube, platform: youtube, team: marketing}\n"
            "  - {id: m-x, platform: x, team: marketing}\n"
            "  - {id: m-linkedin-2, platform: linkedin, team: marketing}\n"
            "people:\n  - {id: ann, name: Ann}\n",
            "a.yaml": "people:\n  - {id: bob, name: Bob}\naccounts:\n"
            "  - {id: m-linkedin, platform: linkedin, team: marketing}\n"
            "  - {id: m-facebook, platform: facebook, team: marketing}\n"
            "  - {id: m-instagram, platform: instagram, team: marketing}\n",
        }
    )
    [finding] = found(run_lint(root), "SG305")
    assert [ref.id for ref in finding.related] == [
        "m-linkedin",
        "m-facebook",
        "m-instagram",
        "m-tiktok",
        "m-youtube",
        "m-x",
        "m-linkedin-2",
    ]


def test_platform_sprawl_near_misses(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "teams.yaml": TEAMS,
            "accounts.yaml": "accounts:\n"
            + _team_accounts(SIX[:5])
            + _team_accounts(("tiktok",), status="planned")
            + _team_accounts(("threads",), status="retired")
            + "  - {id: other-team, platform: bluesky}\n"
            + _team_accounts(SIX, team="ghost-team"),
        }
    )
    result = run_lint(root)
    assert found(result, "SG305") == []
    assert {f.code for f in result.findings if f.entity and f.entity.id.startswith("ghost")} >= {
        "SG104"
    }


def test_platform_sprawl_reads_max_platforms_per_team(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"teams.yaml": TEAMS, "accounts.yaml": "accounts:\n" + _team_accounts(SIX[:3])},
        config="options:\n  max_platforms_per_team: 2\n",
    )
    [finding] = found(run_lint(root), "SG305")
    assert "on 3 platforms (facebook, instagram and x), more than max_platforms_per_team (2)" in (
        finding.message
    )


def test_duplicate_presence_by_the_catalogues_identity(make_repo: MakeRepo) -> None:
    """One presence in any of its URL forms is one presence; the same handle on two services,
    or on two unknown services (platform other, told apart by the url's host), is not."""
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: gh, platform: github, handle: usnistgov}
              - {id: fl, platform: flickr, handle: usnistgov, url: "http://flickr.com/photos/usnistgov"}
              - {id: md, platform: medium, url: "https://medium.com/@usnistgov"}
              - {id: o1, platform: other, handle: acme, url: "https://forum.acme.example/u/acme"}
              - {id: o2, platform: other, handle: acme, url: "https://talk.example.org/acme"}
              - {id: o3, platform: other, handle: acme}
              - {id: yt, platform: youtube, url: "https://www.youtube.com/user/AcmeTV"}
              - {id: yt2, platform: youtube, handle: acmetv}
              - {id: fb, platform: facebook, url: "https://www.facebook.com/Acme-Page-123456789"}
              - {id: fb2, platform: facebook, url: "https://www.facebook.com/profile.php?id=123456789"}
              - {id: li, platform: linkedin, url: "https://www.linkedin.com/company/acme"}
              - {id: li2, platform: linkedin, url: "https://www.linkedin.com/in/acme"}
            """
        }
    )
    findings = found(run_lint(root), "SG304")
    assert [(f.entity.id, f.related) for f in findings if f.entity] == [
        ("yt2", (account("yt"),)),
        ("fb2", (account("fb"),)),
    ]
    assert findings[0].message.startswith(
        "Account yt2 names the same YouTube profile ('acmetv') as Account yt "
        "('https://www.youtube.com/user/AcmeTV', accounts.yaml:8)"
    )
