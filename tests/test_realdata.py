"""Real inventories nobody on the project wrote (tests/data/realdata), imported and linted as a
new user would: every row comes in, and the findings are true.

- The U.S. Digital Registry sample of the Department of Commerce (410 accounts), converted to
  the CSV a person would export from it: one row per account with platform, handle, URL and
  agency (the most specific agency it lists).
- The Congress legislators' social media (December 2024) with the legislators in office in June
  2026 as the owner registry: a legislator no longer in office has departed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import lint_and_model, run_lint
from socialgov.cli import main
from socialgov.report.result import LintResult

AS_OF = dt.date(2026, 11, 24)
USDR = "usdr-project_DOC_accts_2017-06_f71e6ab.json"
SOCIAL = "congress-legislators_legislators-social-media_2024-12-18_9b024af.yaml"
CURRENT = "congress-legislators_legislators-current_2026-06-15_dfa9622.yaml"


def registry_csv(realdata: Path, path: Path) -> Path:
    """The registry's JSON as the spreadsheet someone would export from it."""
    rows = json.loads((realdata / USDR).read_text(encoding="utf-8"))
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["Account", "Service", "Service URL", "Agency", "Organization", "Created At"])
        for row in rows:
            out.writerow(
                [
                    row["account"],
                    row["service_display_name"],
                    row["service_url"],
                    row["agencies"][-1]["name"] if row["agencies"] else "",
                    row["organization"],
                    row["created_at"],
                ]
            )
    return path


@pytest.fixture(scope="module")
def registry(
    realdata: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, int, str, LintResult]:
    folder = tmp_path_factory.mktemp("registry")
    source = registry_csv(realdata, folder / "doc.csv")
    root = folder / "repo"
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["import", "csv", str(source), "--root", str(root)])
    return root, code, err.getvalue(), run_lint(root, as_of=AS_OF)


def counts(result: LintResult) -> Counter[str]:
    return Counter(f.code for f in result.findings)


def test_the_registry_imports_every_row(registry: tuple[Path, int, str, LintResult]) -> None:
    root, code, report, _ = registry
    accounts = yaml.safe_load((root / "accounts/accounts.yaml").read_text(encoding="utf-8"))
    assert len(accounts["accounts"]) == 410
    assert code == 1  # duplicates and conflicts need a person
    assert report.splitlines()[-1] == (
        "Imported 410 accounts from 410 rows; 0 new people, 10 new teams; 20 rows need "
        "attention; 4 ownership conflicts."
    )
    platforms = Counter(a["platform"] for a in accounts["accounts"])
    assert platforms == {
        "x": 160,
        "facebook": 149,
        "youtube": 43,
        "linkedin": 14,
        "flickr": 11,
        "instagram": 11,
        "github": 10,
        "pinterest": 4,
        "storify": 3,
        "googleplus": 2,
        "medium": 2,
        "tumblr": 1,
    }
    by_id = {a["id"]: a for a in accounts["accounts"]}
    # the two channels whose registry "handle" is the word "channel" are both there
    assert by_id["ucmydoa7vb4n_fjvfq-wabsg-youtube"]["handle"] == "UCMYDOA7vb4N_fJvfQ-wAbSg"
    assert by_id["ucswf8bgblnsd288wy0w4rzw-youtube"]["handle"] == "UCSwf8bGblNsD288wY0w4Rzw"
    # both Instagram rows that say "noaa" are there, one of them for noaa.education
    assert by_id["noaa-instagram"]["url"] == "https://www.instagram.com/noaa.education/"
    assert by_id["noaa-instagram-2"]["url"] == "https://www.instagram.com/noaa"


def test_the_registry_names_its_four_ownership_conflicts(
    registry: tuple[Path, int, str, LintResult],
) -> None:
    _, _, report, _ = registry
    conflicts = [line for line in report.splitlines() if ": ownership conflict:" in line]
    assert [line.split(":")[1] for line in conflicts] == ["117", "174", "370", "394"]
    assert conflicts[0] == (
        "doc.csv:117: ownership conflict: the same presence (Facebook "
        "'usnoaafisheriespacificislands') as row 63, but row 63 and row 117 name team "
        "'national-oceanic-and-atmospheric-administration-noaa' and 'department-of-commerce'; "
        "both imported (usnoaafisheriespacificislands-facebook and "
        "usnoaafisheriespacificislands-facebook-2): decide who owns it and merge them"
    )


def test_the_registry_lints_truthfully(registry: tuple[Path, int, str, LintResult]) -> None:
    root, _, _, result = registry
    found = counts(result)
    assert found["SG104"] == 0
    assert found["SG101"] == found["SG103"] == 0
    # the true mismatches only: handle 4nist for facebook.com/usnistgov, handle noaa for
    # instagram.com/noaa.education
    sg107 = [f for f in result.findings if f.code == "SG107"]
    assert [f.entity.id for f in sg107 if f.entity] == ["4nist-facebook", "noaa-instagram"]
    # duplicates are real (each pair on one service), and none across services
    model = lint_and_model(root, as_of=AS_OF)[1]
    platform = {a.id: a.platform for a in model.accounts}
    sg304 = [f for f in result.findings if f.code == "SG304"]
    assert len(sg304) == 20
    for finding in sg304:
        assert finding.entity is not None
        assert {platform[finding.entity.id]} == {platform[r.id] for r in finding.related}
    # every account on a platform that has shut down
    sg108 = sorted(f.entity.id for f in result.findings if f.code == "SG108" and f.entity)
    closed = sorted(a.id for a in model.accounts if a.platform in ("googleplus", "storify"))
    assert sg108 == closed and len(closed) == 5
    # the missing programme: once each, on socialgov.yaml
    for code in ("SG201", "SG203", "SG303", "SG406", "SG505", "SG601", "SG604", "SG701"):
        [finding] = [f for f in result.findings if f.code == code]
        assert (finding.path, finding.line, finding.entity) == ("socialgov.yaml", 1, None)
    assert sum(found.values()) < 60


def congress_repository(realdata: Path, root: Path) -> Path:
    """Congress as a policy repository: a Person per legislator of the social media file
    (departed unless in office in June 2026) and an Account per handle."""
    social = yaml.safe_load((realdata / SOCIAL).read_text(encoding="utf-8"))
    current = yaml.safe_load((realdata / CURRENT).read_text(encoding="utf-8"))
    names = {c["id"]["bioguide"]: c["name"].get("official_full") for c in current}
    people, accounts = [], []
    platforms = (
        ("twitter", "x"),
        ("facebook", "facebook"),
        ("youtube", "youtube"),
        ("instagram", "instagram"),
        ("mastodon", "mastodon"),
    )
    for entry in social:
        bioguide = entry["id"]["bioguide"]
        person: dict[str, object] = {"id": bioguide.lower(), "employment": "full_time"}
        if bioguide in names:
            person["name"] = names[bioguide]
        else:
            person.update(status="departed", departed_on="2025-01-03")
        people.append(person)
        for key, platform in platforms:
            handle = (entry.get("social") or {}).get(key)
            if handle:
                accounts.append(
                    {
                        "id": f"{bioguide.lower()}-{platform}",
                        "platform": platform,
                        "handle": str(handle),
                        "owner": bioguide.lower(),
                    }
                )
    root.mkdir(parents=True)
    (root / "socialgov.yaml").write_text("organisation: US Congress\n", encoding="utf-8")
    (root / "people.yaml").write_text(yaml.safe_dump({"people": people}), encoding="utf-8")
    (root / "accounts.yaml").write_text(yaml.safe_dump({"accounts": accounts}), encoding="utf-8")
    return root


def test_congress_says_something_specific(realdata: Path, tmp_path: Path) -> None:
    root = congress_repository(realdata, tmp_path / "congress")
    result = run_lint(root, as_of=AS_OF)
    found = counts(result)
    assert result.entities == 483 + 1174
    assert found["SG202"] == 174  # accounts of legislators no longer in office
    others = sum(found.values()) - found["SG202"]
    assert others < 250
    # what the repository lacks is said once each, not once per account
    assert all(count == 1 for code, count in found.items() if code != "SG202"), found
