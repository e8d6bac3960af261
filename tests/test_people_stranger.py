"""``socialgov import people`` on exports nobody on the team wrote: an outside tester's HR CSV
and four identity providers' SCIM exports for one charity (tests/data/people-stranger/, with
the tester's facts in expected.json). Every test goes through the command line.

The repository they are imported into is the charity's as ``import csv`` of its social media
inventory leaves it: people named as the inventory writes them (``Ben Hartley``, where HR says
Benjamin; ``Ade Bello (volunteer)``), with an address only where the inventory gave one, and
teams spelt as the inventory spells them (``Youth services``, ``Policy & Campaigns``)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, found, run_lint
from socialgov.cli import main

DATA = PROJECT / "tests" / "data" / "people-stranger"
HR = DATA / "lanternway_hr_export_2026-11-30.csv"
OKTA = DATA / "lanternway_okta_scim_users.json"
ENTRA = DATA / "lanternway_entra_provisioning_users.json"
GOOGLE = DATA / "lanternway_google_workspace_scim_users.json"
ONELOGIN = DATA / "lanternway_onelogin_scim_users.json"
EXPORTS = [HR, OKTA, ENTRA, GOOGLE, ONELOGIN]
FACTS = json.loads((DATA / "expected.json").read_text("utf-8"))
AS_OF = dt.date(2026, 11, 30)
HR_LEAVING = {  # the HR export's termination dates of its leavers
    "megan-llewellyn": dt.date(2026, 6, 30),
    "imogen-sutherland": dt.date(2025, 11, 14),
    "daniel-achterberg": dt.date(2026, 9, 30),
    "gavin-stroud": dt.date(2024, 3, 31),
    "nadia-kowalczyk": dt.date(2026, 8, 31),
}

PEOPLE = """\
# People named in Lanternway's social media inventory, as owners and backups.
# Written by import csv, then kept by hand.

people:
  - id: jo-okafor
    name: Jo Okafor
    email: jo.okafor@lanternway.example.org
    team: communications
    employment: full_time
  - id: ben-hartley
    name: Ben Hartley  # the inventory never gave his address
    employment: full_time
  - id: ellie-whitcombe
    name: Ellie Whitcombe
    email: eleanor.whitcombe@lanternway.example.org
    employment: full_time
  - id: nadia-kowalczyk
    name: Nadia Kowalczyk
    employment: full_time
  - id: seun-adeyemi
    name: Seun Adeyemi
    email: seun.adeyemi@lanternway.example.org
    employment: full_time
  - id: megan-llewellyn
    name: Megan Llewellyn
    email: megan.llewellyn@lanternway.example.org
    employment: full_time
  - id: sophie-tran
    name: Sophie Tran
    email: sophie.tran@lanternway.example.org
    employment: full_time
  - id: callum-fraser
    name: Callum Fraser
    email: callum.fraser@lanternway.example.org
    team: youth-services
    employment: full_time
  - id: gavin-stroud
    name: Gavin Stroud
    email: gavin.stroud@lanternway.example.org
    employment: full_time
  - id: imogen-sutherland
    name: Imogen Sutherland
    email: imogen.sutherland@lanternway.example.org
    employment: full_time
  - id: raj-malhotra
    name: Raj Malhotra
    email: raj.malhotra@lanternway.example.org
    employment: full_time
  - id: daniel-achterberg
    name: Daniel Achterberg
    email: daniel.achterberg@lanternway.example.org
    employment: full_time
  - id: tom-ridley
    name: Tom Ridley
    employment: full_time
  - id: hamza-qureshi
    name: Hamza Qureshi
    email: hamza.qureshi@lanternway.example.org
    employment: full_time
  - id: patricia-morrow
    name: Patricia Morrow
    email: patricia.morrow@lanternway.example.org
    employment: full_time
  - id: fiona-gallagher
    name: Fiona Gallagher
    email: fiona.gallagher@lanternway.example.org
    employment: full_time
  - id: ade-bello
    name: Ade Bello (volunteer)
    employment: volunteer
  - id: marcus-lee
    name: Marcus Lee
    employment: volunteer
"""

TEAMS = """\
# Lanternway's teams, as the inventory spells them.
teams:
  - id: communications  # the inventory's "Comms" and "Communications"
    name: Communications
  - id: fundraising
  - id: policy-campaigns
    name: Policy & Campaigns
  - id: youth-services
    name: Youth services
"""

ACCOUNTS = """\
accounts:
  - id: lanternway-events-instagram
    platform: instagram
    handle: lanternway_events
    owner: megan-llewellyn
    backup_owner: sophie-tran
    team: fundraising
  - id: lanternway-tiktok
    platform: tiktok
    handle: lanternway
    owner: ben-hartley
    backup_owner: nadia-kowalczyk
    team: communications
  - id: lanternway-camp-bluesky
    platform: bluesky
    handle: lanternwaycamp.bsky.social
    owner: imogen-sutherland
    backup_owner: jo-okafor
    team: policy-campaigns
  - id: lanternway-fundraising-x
    platform: x
    handle: LanternwayGive
    owner: sophie-tran
    backup_owner: seun-adeyemi
    team: fundraising
"""


@pytest.fixture
def charity(tmp_path: Path) -> Path:
    root = tmp_path / "lanternway"
    for relpath, text in {
        "socialgov.yaml": "organisation: Lanternway\n",
        "people/people.yaml": PEOPLE,
        "teams/teams.yaml": TEAMS,
        "accounts/accounts.yaml": ACCOUNTS,
    }.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, "utf-8")
    return root


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "fresh"
    root.mkdir()
    (root / "socialgov.yaml").write_text("organisation: Lanternway\n", "utf-8")
    return root


def run(root: Path, export: Path, *args: str, as_of: dt.date = AS_OF) -> int:
    return main(
        ["import", "people", str(export), "--root", str(root), "--as-of", str(as_of), *args]
    )


def entities(root: Path, key: str) -> dict[str, dict]:  # type: ignore[type-arg]
    found: dict[str, dict] = {}  # type: ignore[type-arg]
    for path in sorted((root / key).glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text("utf-8")):
            for entity in document.get(key, []):
                found[entity["id"]] = entity
    return found


def same_team(a: str | None, b: str | None) -> bool:
    def key(text: str | None) -> str | None:
        return re.sub(r"\W", "", text.casefold().replace("&", "and")) if text else None

    return key(a) == key(b)


def facts(export: Path) -> list[dict]:  # type: ignore[type-arg]
    """The tester's facts of one file, but the HR record without an address (Callum Fraser's
    record from before he was rehired: the same person as his later one), and as SPEC section
    10 reads them: OneLogin sends the future starter Kofi Asante with ``active: false``, which
    the SPEC calls departed (the tester: "report, don't fail")."""
    return [
        {**fact, "leaver": fact["leaver"] or (export, fact["person"]) == (ONELOGIN, "Kofi Asante")}
        for fact in FACTS[export.name]
        if fact.get("email")
    ]


def person_of(people: dict[str, dict], email: str) -> dict:  # type: ignore[type-arg]
    matches = [p for p in people.values() if str(p.get("email", "")).lower() == email]
    assert len(matches) == 1, (email, matches)
    return matches[0]


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.name.split("_")[1])
def test_into_an_empty_repository_each_export_gives_the_testers_people_and_teams(
    fresh: Path, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every person the tester calls active comes in once, under the name people know them by,
    in a Team named as the department; leavers do not come in."""
    assert run(fresh, export, "--update") == 0
    captured = capsys.readouterr()
    people, teams = entities(fresh, "people"), entities(fresh, "teams")
    expected = [fact for fact in facts(export) if not fact["leaver"]]
    assert len(people) == len(expected)
    for fact in expected:
        person = person_of(people, fact["email"])
        assert person["name"] == fact["person"]
        assert person.get("status", "active") != "departed"
        if fact["team"] is None:
            assert "team" not in person
        else:
            assert teams[person["team"]]["name"] == fact["team"]
    assert {t["name"] for t in teams.values()} == {f["team"] for f in expected if f["team"]}
    departments = len({f["team"] for f in expected if f["team"]})
    assert f", {departments} teams added ({'csv' if export == HR else 'scim'} export)." in (
        captured.out
    )
    assert not found(run_lint(fresh, as_of=AS_OF), "SG101")  # no reference left unknown
    assert run(fresh, export, "--update") == 0  # a second run finds nothing to do
    assert re.search(r"0 added, 0 updated, \d+ unchanged \(", capsys.readouterr().out)


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.name.split("_")[1])
def test_the_charitys_leavers_are_exactly_the_testers_and_lint_shows_what_they_held(
    charity: Path, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (charity / "people" / "people.yaml").read_text("utf-8")
    assert run(charity, export, "--update") == 0
    out = capsys.readouterr().out
    people = entities(charity, "people")
    known = {person["id"] for person in yaml.safe_load(PEOPLE)["people"]}
    leavers = {re.sub(r"\W+", "-", f["person"].lower()) for f in facts(export) if f["leaver"]}
    leavers &= known  # OneLogin's Kofi Asante is not in the repository
    departed = {pid for pid, p in people.items() if p.get("status") == "departed"}
    assert departed == leavers
    for pid in leavers:
        on = HR_LEAVING[pid] if export == HR else AS_OF
        assert people[pid]["departed_on"] == on
        assert f"- {pid} (" in out and f"departed on {on.isoformat()}" in out
    # nobody lost, nobody twice: the repository's 18 and the people it did not know
    assert set(people) >= known
    emails = [str(p.get("email", "")).lower() for p in people.values() if p.get("email")]
    assert len(emails) == len(set(emails))
    for fact in facts(export):
        if not fact["leaver"] and fact["team"]:
            person = person_of(people, fact["email"])
            team = entities(charity, "teams")[person["team"]]
            assert same_team(team.get("name", team["id"]), fact["team"])
    # the comments the people file had are all still there
    text = (charity / "people" / "people.yaml").read_text("utf-8")
    for line in before.splitlines():
        if "#" in line:
            assert line in text
    lint = run_lint(charity, as_of=AS_OF)
    orphaned = {f.entity.id for f in found(lint, "SG202") if f.entity}
    assert {"lanternway-events-instagram", "lanternway-camp-bluesky"} <= orphaned
    assert "lanternway-fundraising-x" not in orphaned  # Sophie Tran has not left yet
    no_backup = {f.entity.id for f in found(lint, "SG203") if f.entity}
    assert ("lanternway-tiktok" in no_backup) == ("nadia-kowalczyk" in leavers)


def test_hr_active_with_a_past_termination_date_is_a_leaver_and_a_future_one_is_not(
    charity: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nadia Kowalczyk, row 16: Fixed Term, Active, ..., 31/08/2026, End of fixed-term
    contract: HR never processed the end of her contract. Sophie Tran, row 11: Active,
    31/12/2026, serving notice."""
    assert run(charity, HR, "--update") == 0
    captured = capsys.readouterr()
    assert (
        "- nadia-kowalczyk (Nadia Kowalczyk <nadia.kowalczyk@lanternway.example.org>): "
        "active -> departed on 2026-08-31" in captured.out
    )
    assert (
        "row 16: status 'Active' but the termination date 2026-08-31 is on or before "
        "2026-11-30: read as a leaver (correct the status in HR)" in captured.err
    )
    assert (
        "~ sophie-tran (Sophie Tran <sophie.tran@lanternway.example.org>): leaving on "
        "2026-12-31 (still active)" in captured.out
    )
    people = entities(charity, "people")
    assert people["nadia-kowalczyk"]["status"] == "departed"
    assert people["nadia-kowalczyk"]["email"] == "nadia.kowalczyk@lanternway.example.org"
    assert "status" not in people["sophie-tran"]
    assert people["sophie-tran"]["departed_on"] == dt.date(2026, 12, 31)
    assert not [f for f in found(run_lint(charity, as_of=AS_OF), "SG202") if "Sophie" in f.message]


def test_before_the_termination_date_the_hr_row_is_notice_not_a_leaver(
    charity: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(charity, HR, "--update", as_of=dt.date(2026, 8, 30)) == 0
    out = capsys.readouterr().out
    assert (
        "nadia-kowalczyk (Nadia Kowalczyk" in out and "leaving on 2026-08-31 (still active)" in out
    )
    nadia = entities(charity, "people")["nadia-kowalczyk"]
    assert ("status" not in nadia, nadia["departed_on"]) == (True, dt.date(2026, 8, 31))


def test_hr_names_dates_rehire_and_a_future_starter_read_as_a_careful_person_reads_them(
    charity: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Preferred names (Ben for Benjamin, Tom for Thomas: their Persons have no address, so
    they are matched by name and get it), a mixed-case address, the rehire's old record
    without an address, and 'Pending Start' with its start date (05/01/2027, read as d/m/Y
    because the export's other dates, 31/08/2026 ..., say so)."""
    assert run(charity, HR, "--update") == 0
    captured = capsys.readouterr()
    assert "~ ben-hartley (Ben Hartley <ben.hartley@lanternway.example.org>): email " in (
        captured.out
    )
    assert (
        "+ kofi-asante (Kofi Asante <kofi.asante@lanternway.example.org>): new, full-time, "
        "team fundraising; starts on 2027-01-05" in captured.out
    )
    assert (
        "row 2: no email: another record of Callum Fraser (Leaver), who is "
        "callum.fraser@lanternway.example.org in row 7; read from that row" in captured.err
    )
    assert "not one socialgov knows" not in captured.err
    assert "not a date" not in captured.err
    people = entities(charity, "people")
    assert people["tom-ridley"]["email"] == "tom.ridley@lanternway.example.org"
    assert people["jo-okafor"]["email"] == "jo.okafor@lanternway.example.org"
    assert "status" not in people["callum-fraser"]
    assert "status" not in people["kofi-asante"]
    known = {person["id"] for person in yaml.safe_load(PEOPLE)["people"]}
    assert sorted(set(people) - known) == [
        "kofi-asante",
        "leah-morgan",
    ]


def test_departments_match_existing_teams_by_id_name_or_spelling_and_the_rest_are_added(
    charity: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Communications (name), Fundraising (id only), Policy and Campaigns (the inventory's
    'Policy & Campaigns'), Youth Services ('Youth services'): matched. The other six
    departments become Teams at the end of teams/teams.yaml, its comments kept."""
    before = (charity / "teams" / "teams.yaml").read_text("utf-8")
    assert run(charity, HR) == 1  # a dry run: the repository is behind, nothing written
    out = capsys.readouterr().out
    assert "6 teams to add (csv export)." in out
    assert "+ team people-culture (People & Culture): new, 1 person" in out
    assert (charity / "teams" / "teams.yaml").read_text("utf-8") == before
    assert run(charity, HR, "--update") == 0
    assert "6 teams added (csv export)." in capsys.readouterr().out
    after = (charity / "teams" / "teams.yaml").read_text("utf-8")
    assert after.startswith(before)
    teams = entities(charity, "teams")
    assert list(teams)[4:] == [
        "volunteering",
        "retail",
        "operations",
        "executive",
        "people-culture",
        "finance",
    ]
    people = entities(charity, "people")
    assert people["imogen-sutherland"]["team"] == "policy-campaigns"
    assert people["callum-fraser"]["team"] == "youth-services"
    assert people["seun-adeyemi"]["team"] == "fundraising"
    assert people["fiona-gallagher"]["team"] == "people-culture"
    assert not found(run_lint(charity, as_of=AS_OF), "SG101")


def test_no_teams_only_reports_the_departments(
    charity: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (charity / "teams" / "teams.yaml").read_text("utf-8")
    assert run(charity, HR, "--update", "--no-teams") == 0
    captured = capsys.readouterr()
    assert "teams added" not in captured.out
    assert "department 'Retail' (2 people) names no Team (--no-teams)" in captured.err
    assert (charity / "teams" / "teams.yaml").read_text("utf-8") == before
    assert "team" not in entities(charity, "people")["tom-ridley"]


def test_scim_names_aliases_and_guests(charity: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Okta keeps the legal given name in name.givenName and the preferred one in nickName;
    Entra ID's guests carry ' (Volunteer)' in displayName and a personal address."""
    assert run(charity, OKTA, "--update") == 0
    out = capsys.readouterr().out
    assert "ben-hartley (Ben Hartley <ben.hartley@lanternway.example.org>)" in out
    people = entities(charity, "people")
    assert people["ben-hartley"]["email"] == "ben.hartley@lanternway.example.org"
    assert "benjamin-hartley" not in people and "ben-hartley-2" not in people
    assert run(charity, ENTRA, "--update") == 0
    people = entities(charity, "people")
    assert people["ade-bello"]["name"] == "Ade Bello (volunteer)"  # kept as written here
    assert people["ade-bello"]["email"] == "ade.bello@example.net"
    assert len([p for p in people.values() if "Bello" in p.get("name", "")]) == 1


def test_a_guest_becomes_a_volunteer_in_an_empty_repository(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(fresh, ENTRA, "--update") == 0
    people = entities(fresh, "people")
    assert people["ade-bello"]["name"] == "Ade Bello"
    assert people["ade-bello"]["employment"] == "volunteer"
    assert people["jo-okafor"]["employment"] == "full_time"  # the default, reported
    assert "12 new people have no employment type" in capsys.readouterr().err


def test_a_teams_file_without_a_teams_list_stops_the_import_with_nothing_written(
    charity: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    teams = charity / "teams" / "teams.yaml"
    teams.write_text("kind: Team\nid: communications\nname: Communications\n", "utf-8")
    before = {p: p.read_text("utf-8") for p in charity.rglob("*.yaml")}
    assert run(charity, HR, "--update") == 2
    err = capsys.readouterr().err
    assert "teams/teams.yaml: holds no 'teams:' list to add the new teams to" in err
    assert {p: p.read_text("utf-8") for p in charity.rglob("*.yaml")} == before


def test_an_inactive_user_created_days_ago_is_a_starter_to_check_not_a_leaver(
    charity: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """HR adds Kofi Asante (Pending Start, starts 05/01/2027); OneLogin lists him with
    ``active: false`` and meta.created 2026-11-25: provisioned ahead of his first day. SPEC
    section 10 reads active false as departed; departing him would have to be undone by hand,
    so he is reported with '!' and left as he is. The real leavers still depart."""
    assert run(charity, HR, "--update") == 0
    capsys.readouterr()
    assert run(charity, ONELOGIN, "--update") == 1  # a person to check
    out = capsys.readouterr().out
    assert (
        "! kofi-asante (Kofi Asante <kofi.asante@lanternway.example.org>): inactive in the "
        "export ($.Resources[8]) but created there on 2026-11-25, 5 days before 2026-11-30: a "
        "starter not activated yet? left as it is" in out
    )
    people = entities(charity, "people")
    assert "status" not in people["kofi-asante"]
    assert {pid for pid, p in people.items() if p.get("status") == "departed"} == set(HR_LEAVING)


def test_the_starter_packs_files_keep_their_layout_new_entries_spaced_like_the_old(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`socialgov init`'s people and teams lists keep a blank line between items: what the
    import adds keeps it too, every line that was there stays, in order; Communications is the
    pack's team comms (by name), the other departments are added."""
    root = tmp_path / "starter"
    assert main(["init", str(root)]) == 0
    teams_file, people_file = root / "teams" / "teams.yaml", root / "people" / "people.yaml"
    teams_file.write_text(
        teams_file.read_text("utf-8").replace("lead: it-lead", "lead: it-lead  # until March"),
        "utf-8",
    )
    before = {p: p.read_text("utf-8") for p in (teams_file, people_file)}
    capsys.readouterr()
    assert run(root, HR, "--update") == 0
    assert "8 teams added (csv export)." in capsys.readouterr().out
    for path, old in before.items():
        new = path.read_text("utf-8")
        assert new.startswith(old)
        added = new[len(old) - 1 :]  # from the old text's last line end
        assert added.count("\n  - id: ") >= 8
        assert added.count("\n  - id: ") == added.count("\n\n  - id: ")  # each after a blank
    assert "    lead: it-lead  # until March\n\n  - id: fundraising\n" in teams_file.read_text(
        "utf-8"
    )
    assert entities(root, "people")["jo-okafor"]["team"] == "comms"


def test_a_display_name_in_directory_order_is_not_the_name_written(
    fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = json.loads(ENTRA.read_text("utf-8"))
    users[1]["displayName"] = "Okafor, Jo"  # as directories that sort by surname show it
    export = tmp_path / "entra.json"
    export.write_text(json.dumps(users), "utf-8")
    assert run(fresh, export, "--update") == 0
    assert entities(fresh, "people")["jo-okafor"]["name"] == "Jo Okafor"


def test_a_row_without_an_address_is_an_old_record_only_when_it_is_a_leavers(
    charity: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Callum Fraser's row 2 (Leaver, no address) is his record from before he was rehired: a
    note. Marked Active, the same row could be another Callum Fraser: it needs a person."""
    text = HR.read_text("utf-8-sig")
    assert ",Full-Time,Leaver,03/09/2016,31/07/2019," in text
    export = tmp_path / "hr.csv"
    export.write_text(
        text.replace(",Full-Time,Leaver,03/09/2016,31/07/2019,", ",Full-Time,Active,03/09/2016,,"),
        "utf-8",
    )
    assert run(charity, export, "--update") == 1
    err = capsys.readouterr().err
    assert "row 2: no email; skipped" in err and "another record" not in err
    assert run(charity, HR, "--update") == 0
    assert "row 2: no email: another record of Callum Fraser (Leaver)" in capsys.readouterr().err
