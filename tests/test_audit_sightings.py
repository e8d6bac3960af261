"""The audit's Sightings section: counts by disposition, the unregistered presences nobody has
reviewed and the impostors not yet reported, in every format, escaped."""

from __future__ import annotations

import datetime as dt
import json

from conftest import MakeRepo, run_audit
from socialgov.audit.renderers import RenderOptions, renderer
from test_directory import Page

FILES = {
    "accounts.yaml": """\
    accounts:
      - {id: acme-x, platform: x, handle: AcmeHelp}
    """,
    "sightings.yaml": """\
    sightings:
      - id: ours
        platform: x
        url: https://twitter.com/acmehelp
      - id: deals
        platform: x
        url: https://x.com/acme_deals
        seen_at: https://www.acme.example/offers
        last_seen: 2026-11-02
      - id: newer
        platform: instagram
        url: https://www.instagram.com/acme.deals
        last_seen: 2026-11-20
      - id: script
        platform: other
        url: "javascript:alert('x')"
      - id: fan
        platform: x
        handle: acmefans
        disposition: unofficial
      - id: fake
        platform: x
        handle: acme_support_desk
        disposition: impostor
        note: to be reported
      - id: fake-done
        platform: x
        handle: acme_helpdesk
        disposition: impostor
        note: Reported to X on 2026-11-21
    """,
}


def test_sightings_section_counts_and_lists(make_repo: MakeRepo) -> None:
    report = run_audit(make_repo(FILES))
    s = report.sightings
    assert s.total == 7
    assert {(t.key, t.count) for t in s.by_disposition} == {
        ("unreviewed", 4),
        ("unofficial", 1),
        ("impostor", 2),
    }
    # the one matching an Account is not listed; the newest last_seen comes first
    assert [r.id for r in s.unreviewed] == ["newer", "deals", "script"]
    assert s.unreviewed[1].seen_at == "https://www.acme.example/offers"
    assert s.unreviewed[1].last_seen == dt.date(2026, 11, 2)
    assert [r.id for r in s.impostors_open] == ["fake"]


def test_sightings_in_every_format(make_repo: MakeRepo) -> None:
    report = run_audit(make_repo(FILES))
    table = renderer("table")(report, RenderOptions())
    section = table[table.index("Sightings\n") : table.index("Findings by rule")]
    assert "7 sightings: 4 unreviewed, 2 impostor, 1 unofficial" in section
    assert "Unregistered, not reviewed (SG310): 3" in section
    assert "Impostors not yet reported (SG311): 1" in section
    assert "acme_support_desk" in section and "acme_helpdesk" not in section

    markdown = renderer("markdown")(report, RenderOptions())
    assert (
        "| deals | x | https://x.com/acme\\_deals | https://www.acme.example/offers | 2026-11-02 |"
        in (markdown)
    )

    html = renderer("html")(report, RenderOptions())
    page = Page(html)
    assert "https://x.com/acme_deals" in page.hrefs
    assert not any(href.lower().startswith("javascript") for href in page.hrefs)
    assert "javascript:alert(&#39;x&#39;)" in html  # shown as text, escaped

    document = json.loads(renderer("json")(report, RenderOptions()))
    assert [r["id"] for r in document["sightings"]["unreviewed"]] == ["newer", "deals", "script"]
    assert document["sightings"]["impostors_open"][0]["note"] == "to be reported"


def test_no_sightings_says_how_to_find_them(make_repo: MakeRepo) -> None:
    report = run_audit(make_repo({"accounts.yaml": "accounts:\n  - {id: a, platform: x}\n"}))
    assert report.sightings.total == 0
    table = renderer("table")(report, RenderOptions())
    assert "none recorded: 'socialgov discover' finds the presences" in table
    html = renderer("html")(report, RenderOptions())
    assert "<code>socialgov discover</code> finds the presences" in html
