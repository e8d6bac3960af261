"""Discovery rules SG310 unregistered-presence and SG311 impostor-open, through lint, on
sightings that match an Account in each way one presence can be written, and on near misses."""

from __future__ import annotations

import json

import pytest

from conftest import MakeRepo, found, run_lint
from socialgov.cli import main
from socialgov.core.findings import EntityRef, Severity

ACCOUNTS = """\
accounts:
  - {id: acme-x, platform: x, handle: AcmeHelp, status: retired}
  - {id: acme-ig, platform: instagram, url: "https://www.instagram.com/acme.shop/"}
  - {id: acme-toot, platform: mastodon, handle: "@acme@mastodon.social"}
  - {id: acme-pin, platform: pinterest, url: "https://www.pinterest.com/acmehome"}
"""


def test_sg310_for_each_unmatched_sighting_and_none_for_matches(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": ACCOUNTS,
            "sightings/site.yaml": """\
            sightings:
              # the same presences as registered Accounts, written differently
              - {id: s-x-url, platform: x, url: "http://www.twitter.com/acmehelp/"}
              - {id: s-x-handle, platform: x, handle: "@ACMEHELP"}
              - {id: s-ig-handle, platform: instagram, handle: Acme.Shop}
              - {id: s-toot, platform: mastodon, url: "https://mastodon.social/@Acme"}
              - {id: s-pin, platform: pinterest, url: "https://pinterest.com/acmehome/"}
              # not registered
              - id: s-x-other
                platform: x
                url: https://x.com/acmehelp_
                seen_at: https://www.acme.example/contact
              - {id: s-threads, platform: threads, handle: acme.shop}
              - {id: s-toot-other, platform: mastodon, handle: acme@fosstodon.org}
              # a person decided
              - {id: s-fan, platform: x, handle: acmefans, disposition: unofficial}
              - {id: s-gone, platform: x, handle: acmeold, disposition: ignored}
            """,
        }
    )
    findings = found(run_lint(root), "SG310")
    assert [f.entity.id for f in findings if f.entity] == ["s-x-other", "s-threads", "s-toot-other"]
    first = findings[0]
    assert first.severity is Severity.WARNING
    assert (first.path, first.line, first.column) == ("sightings/site.yaml", 9, 5)
    assert first.message == (
        "Sighting s-x-other: https://x.com/acmehelp_ (seen on https://www.acme.example/contact) "
        "is not a registered Account; register it, or set disposition to unofficial, impostor "
        "or ignored"
    )
    assert "Threads handle 'acme.shop'" in findings[1].message


def test_sg310_points_at_a_written_disposition(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "s.yaml": """\
            kind: Sighting
            id: s-one
            platform: tiktok
            url: https://www.tiktok.com/@acme
            disposition: unreviewed
            """
        }
    )
    [finding] = found(run_lint(root), "SG310")
    assert (finding.entity, finding.line, finding.column) == (EntityRef("Sighting", "s-one"), 5, 14)


def test_registering_the_account_clears_sg310(make_repo: MakeRepo) -> None:
    sightings = (
        "sightings:\n  - {id: s-yt, platform: youtube, url: 'https://youtube.com/@AcmeTV'}\n"
    )
    root = make_repo({"s.yaml": sightings})
    assert len(found(run_lint(root), "SG310")) == 1
    root = make_repo(
        {
            "s.yaml": sightings,
            "a.yaml": "accounts:\n  - {id: tv, platform: youtube, handle: acmetv}\n",
        }
    )
    assert found(run_lint(root), "SG310") == []


@pytest.mark.parametrize(
    ("note", "fires"),
    [
        (None, True),
        ("not yet reported", True),
        ("To be reported on Monday", True),
        ("Never reported, waiting for legal", True),
        ("unreported", True),
        ("Seen in an ad", True),
        ("Reported to X on 2026-11-20, case 4471", False),
        ("2026-11-20: REPORTED via the brand portal", False),
    ],
)
def test_sg311_impostor_until_the_note_says_reported(
    make_repo: MakeRepo, note: str | None, fires: bool
) -> None:
    note_line = "" if note is None else f"    note: {json.dumps(note)}\n"
    root = make_repo(
        {
            "s.yaml": (
                "sightings:\n"
                "  - id: x-acme-help\n"
                "    platform: x\n"
                "    handle: acme_help\n"
                "    first_seen: 2026-11-02\n"
                "    last_seen: 2026-11-20\n"
                "    disposition: impostor\n" + note_line
            )
        }
    )
    findings = found(run_lint(root), "SG311")
    assert bool(findings) is fires
    if fires:
        [finding] = findings
        assert finding.severity is Severity.ERROR
        assert finding.entity == EntityRef("Sighting", "x-acme-help")
        # the note when written, else the entity
        assert (finding.line, finding.column) == ((8, 11) if note else (2, 5))
        assert "X handle 'acme_help' is an impostor" in finding.message
    # an impostor is never also an unregistered presence: a person has decided
    assert found(run_lint(root), "SG310") == []


def test_sg311_only_for_impostors(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "s.yaml": """\
            sightings:
              - {id: a, platform: x, handle: a1, disposition: unofficial}
              - {id: b, platform: x, handle: b1, disposition: ignored}
              - {id: c, platform: x, handle: c1, disposition: impostor}
            """
        }
    )
    assert [f.entity.id for f in found(run_lint(root), "SG311") if f.entity] == ["c"]


def test_sighting_schema_and_references(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "s.yaml": """\
            sightings:
              - {id: a, platform: x, disposition: maybe, url: "https://x.com/a"}
              - {id: b, platform: x}
              - {id: c, platform: x, handle: c, disposition: official, account: nope}
            """
        }
    )
    result = run_lint(root)
    schema = [(f.entity.id if f.entity else None, f.message) for f in found(result, "SG101")]
    assert schema[0][0] == "a" and "disposition: 'maybe' is not allowed" in schema[0][1]
    assert schema[1][0] == "b" and "'url'" in schema[1][1]
    [unknown] = found(result, "SG104")
    assert unknown.entity == EntityRef("Sighting", "c")
    assert "account names Account 'nope'" in unknown.message


def test_rules_are_listed_and_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "impostor-open"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SG311 impostor-open\nSeverity: error    Family: discovery")
    assert "note: not yet reported" in out and "note: Reported to X" in out
    assert main(["rules"]) == 0
    rows = [line.split()[:4] for line in capsys.readouterr().out.splitlines()]
    assert ["SG310", "unregistered-presence", "warning", "discovery"] in rows


def test_a_sighting_takes_every_platform_an_account_takes() -> None:
    from socialgov.schema.validation import load_schema

    account = load_schema("account.schema.json")["properties"]["platform"]["enum"]
    sighting = load_schema("sighting.schema.json")["properties"]["platform"]["enum"]
    assert sighting == account
