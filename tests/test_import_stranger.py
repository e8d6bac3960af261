"""socialgov import csv on seven account inventories an outside tester wrote without reading the
code (tests/data/import-stranger): the facts a careful human reads in them come in."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PROJECT, run_lint
from socialgov.cli import main

SHEETS = PROJECT / "tests" / "data" / "import-stranger"
AS_OF = dt.date(2026, 11, 30)  # the day the tester's files describe
CAUSED_BY_IMPORT = {"SG100", "SG101", "SG102", "SG103", "SG104", "SG105"}


@dataclass
class Imported:
    code: int
    err: str
    accounts: list[dict[str, Any]]
    people: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    findings: Counter[str]

    def account(self, **where: object) -> dict[str, Any]:
        found = [a for a in self.accounts if all(a.get(k) == v for k, v in where.items())]
        assert len(found) == 1, (where, found)
        return found[0]


def _entities(path: Path, key: str) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8"))[key] or []


def import_sheet(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Imported:
    """``socialgov import csv SHEET --root DIR``, then lint DIR as of the sheet's day."""
    root = tmp_path / "repo"
    code = main(["import", "csv", str(SHEETS / name), "--root", str(root)])
    err = capsys.readouterr().err
    findings = Counter(f.code for f in run_lint(root, as_of=AS_OF).findings)
    return Imported(
        code,
        err,
        _entities(root / "accounts/accounts.yaml", "accounts"),
        _entities(root / "people/people.yaml", "people"),
        _entities(root / "teams/teams.yaml", "teams"),
        findings,
    )


# ----------------------------------------------------------------------------- rows


def test_a_totals_row_is_not_an_account(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the retailer's sheet ends "TOTAL,,,...,5,186,786,$70,375.00" (row 45)
    result = import_sheet("02_harborpine_social_channels.csv", tmp_path, capsys)
    assert len(result.accounts) == 42
    assert "row 45: a totals row, not an account: skipped" in result.err
    assert not [a for a in result.accounts if a["platform"] == "other" and not a.get("url")]
    assert "Imported 42 accounts from 42 rows" in result.err
    assert result.code == 1  # duplicates, conflicts and unreadable cells remain
    assert not CAUSED_BY_IMPORT & set(result.findings)


def test_the_legend_under_a_table_is_not_an_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the NHS trust's register ends with "Key:", "RAG: Green = ..." and a rule of the trust
    result = import_sheet("04_northbrook_nhs_social_register.csv", tmp_path, capsys)
    assert len(result.accounts) == 36
    assert "row 41: a key or legend line, not an account: skipped" in result.err
    assert "row 42: a line of text outside the table, not an account: skipped" in result.err
    assert "row 43: a line of text outside the table, not an account: skipped" in result.err
    assert not CAUSED_BY_IMPORT & set(result.findings)


# ----------------------------------------------------------------------------- columns


def test_the_account_lead_is_the_owner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 'Account Lead' and 'Lead email': every row names its lead, so nothing is unowned
    result = import_sheet("04_northbrook_nhs_social_register.csv", tmp_path, capsys)
    assert "'Account Lead' -> owner" in result.err
    assert "'Lead email' -> owner.email" in result.err
    assert all(a.get("owner") for a in result.accounts)
    assert result.findings["SG201"] == 0
    main_x = result.account(platform="x", handle="NorthbrookNHS", description=None)
    assert main_x["owner"] == "helen-marsh"
    assert main_x["reviewed_on"] == dt.date(2026, 1, 12)  # 'Last review' 12/01/2026


def test_a_german_register_reads_its_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = import_sheet("03_uni_lindenau_kanaele.csv", tmp_path, capsys)
    for column, field in [
        ("Einrichtung", "team"),
        ("Plattform", "platform"),
        ("Kanalname", "name"),
        ("Verantwortlich", "owner"),
        ("Vertretung", "backup_owner"),
        ("Erstellt am", "created"),
        ("Zuletzt geprüft", "reviewed_on"),
    ]:
        assert f"'{column}' -> {field}" in result.err
    assert len(result.accounts) == 41
    assert all(a.get("owner") and a.get("team") for a in result.accounts)
    assert result.findings["SG201"] == 0
    main_x = result.account(platform="x", handle="UniLindenau")
    assert main_x["name"] == "Universität Lindenau"
    assert main_x["created"] == dt.date(2010, 5, 12)  # 12.05.2010
    assert main_x["reviewed_on"] == dt.date(2024, 10, 3)  # 03.10.2024
    assert main_x["status"] == "active"  # aktiv
    statuses = Counter(a.get("status") for a in result.accounts)
    assert statuses["active"] == 33 and statuses["dormant"] == 7  # aktiv, ruhend
    assert not CAUSED_BY_IMPORT & set(result.findings)


def test_the_tools_dates_are_read_as_what_they_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Hootsuite: 'Date Added' (to the tool) and 'Last Published'
    result = import_sheet("06_fairhaven_hootsuite_social_profiles.csv", tmp_path, capsys)
    assert "'Date Added' -> registered_on" in result.err
    assert "'Last Published' -> last_activity" in result.err
    x = result.account(platform="x", handle="fairhavenhts")
    assert x["registered_on"] == dt.date(2023, 8, 1)
    assert x["last_activity"] == dt.date(2026, 12, 1)
    assert "created" not in x


def test_sprouts_connected_on_is_the_registration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = import_sheet("07_ashgrove_rovers_sprout_profiles.csv", tmp_path, capsys)
    assert "'Connected On' -> registered_on" in result.err
    main_x = [
        a for a in result.accounts if a["platform"] == "x" and a["handle"] == "AshgroveRovers"
    ]
    assert len(main_x) == 2  # listed twice (a duplicate the sheet has)
    assert main_x[0]["registered_on"] == dt.date(2010, 2, 14)  # 40223, an Excel serial day
    assert "created" not in main_x[0]


# ----------------------------------------------------------------------------- a tool's export


def test_a_tools_profile_id_and_connection_state_are_the_tools(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = import_sheet("06_fairhaven_hootsuite_social_profiles.csv", tmp_path, capsys)
    assert len(result.accounts) == 34
    # 'Profile ID' is Hootsuite's number for the profile, not a socialgov id
    assert "'Profile ID' -> labels.profile-id" in result.err
    first = result.account(platform="x", handle="FairhavenHts")
    assert first["id"] == "fairhavenhts-x"
    assert first["labels"]["profile-id"] == "102938475"
    assert not [a for a in result.accounts if a["id"].isdigit()]
    # 'Status' is the tool's connection: Connected is active, the rest is said once
    assert first["labels"]["status"] == "Disconnected" and "status" not in first
    assert result.account(platform="x", handle="fairhavenhts")["status"] == "active"
    assert sum(a.get("status") == "active" for a in result.accounts) == 30
    said = [line for line in result.err.splitlines() if "'Disconnected'" in line]
    assert said == [
        "06_fairhaven_hootsuite_social_profiles.csv: column 'Status' is the tool's connection to "
        "each profile, not the account's status: 'Connected' is read as active; 'Disconnected' "
        "(rows 2, 20), 'Reauthorization required' (rows 9, 15) kept as labels.status: reconnect "
        "the profile in the tool, or write the account's status if it is no longer used"
    ]
    assert "is not one of planned, active" not in result.err
    # two duplicates, one conflict, two rows the city itself 'owns', one cell naming two
    # teams: no more
    assert "6 rows need attention" in result.err
    assert result.code == 1
    assert not CAUSED_BY_IMPORT & set(result.findings)


# ----------------------------------------------------------------------------- teams


def test_team_spellings_are_one_team_and_near_misses_are_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = import_sheet("01_westmarsh_cc_social_media_register.csv", tmp_path, capsys)
    names = {t["id"]: t["name"] for t in result.teams}
    # 'Fire & Rescue'/'Fire and Rescue', "Children's"/'Childrens', 'Comms '/'Comms': one each
    assert sum(1 for n in names.values() if n.startswith("Fire")) == 1
    assert sum(1 for n in names.values() if n.startswith("Children")) == 1
    # the tester counts 15 with 'Comms' = 'Communications' (said: a person merges them) and
    # 'Libraries' = 'Library Service' (not said: a name inside a longer one is often two teams)
    assert len(result.teams) == 17
    assert (
        "teams 'Communications' (communications) and 'Comms' (comms) are probably the same "
        "team: merge them" in result.err
    )
    assert "Planning' are probably" not in result.err
    # the LinkedIn page listed again by 'Comms ' is a duplicate, not an ownership conflict
    assert "row 5 (team 'communications' and 'comms' are probably one team)" in result.err
    conflicts = [line for line in result.err.splitlines() if ": ownership conflict" in line]
    assert len(conflicts) == 1 and "'WestmarshParks'" in conflicts[0]
    assert all(a["team"] in names for a in result.accounts)
    assert not CAUSED_BY_IMPORT & set(result.findings)


def test_team_names_written_with_or_without_a_space_are_one_team(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = import_sheet("02_harborpine_social_channels.csv", tmp_path, capsys)
    names = [t["name"] for t in result.teams]
    assert [n for n in names if "ommerce" in n] == ["E-Commerce"]  # and 'eCommerce'
    assert "'Customer Care' (customer-care) and 'Cust Care' (cust-care) are probably" in result.err


def test_merged_team_cells_are_read_as_the_team_above(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the NHS register writes the department once per block ('Department / Service'), under a
    # wider 'Directorate'; the blank cells below mean "same as above"
    result = import_sheet("04_northbrook_nhs_social_register.csv", tmp_path, capsys)
    assert "'Department / Service' -> team" in result.err
    assert "'Directorate' -> labels.directorate" in result.err
    assert "21 blank cells read as the team above them (rows 5-13, 15-16" in result.err
    assert all(a.get("team") for a in result.accounts)
    facebook = result.account(platform="facebook", handle="NorthbrookNHS")
    assert facebook["team"] == "communications-engagement"
    maternity = [a for a in result.accounts if a.get("handle") == "northbrookmaternity"]
    assert [a["team"] for a in maternity] == ["communications-engagement", "maternity-services"]
    # 13 teams as the tester counts them, and 'Comms & Engagement', said to be the same
    assert len(result.teams) == 14
    assert "'Comms & Engagement' (comms-engagement) are probably the same team" in result.err
    assert result.findings["SG201"] == 0
    assert not CAUSED_BY_IMPORT & set(result.findings)


def test_sprout_groups_are_teams_and_german_teams_get_readable_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sprout = import_sheet("07_ashgrove_rovers_sprout_profiles.csv", tmp_path / "a", capsys)
    assert "'Group' -> team" in sprout.err
    assert all(a.get("team") for a in sprout.accounts)
    german = import_sheet("03_uni_lindenau_kanaele.csv", tmp_path / "b", capsys)
    ids = {t["id"] for t in german.teams}
    assert {"fakultat-fur-informatik", "universitatsbibliothek", "alumni-netzwerk"} <= ids
    assert "alumni-netzwerk-2" not in ids and len(ids) == 16  # 'Alumni Netzwerk' is the same
    assert "'Universitätsbibliothek' (universitatsbibliothek) and 'UB' (ub)" in german.err


# ----------------------------------------------------------------------------- people


def test_one_person_however_the_sheet_writes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    council = import_sheet("01_westmarsh_cc_social_media_register.csv", tmp_path / "a", capsys)
    assert len(council.people) == 19  # as the tester counts them
    niamh = [p for p in council.people if "Donnell" in str(p.get("name"))]
    assert niamh == [  # O'Donnell and O\u2019Donnell
        {
            "id": "niamh-odonnell",
            "name": "Niamh O'Donnell",
            "email": "niamh.odonnell@westmarsh.example.gov.uk",
            "employment": "full_time",
            "source": "import csv 01_westmarsh_cc_social_media_register.csv",
        }
    ]
    # Austrian: 'Jürgen Weiß' in both Unicode forms and as 'Jürgen Weiss', 'Mag.a Katharina
    # Brandstätter', 'Dr. Elisabeth Hofer-Gruber', 'Mehmet Yilmaz' for 'Mehmet Y\u0131lmaz'
    german = import_sheet("03_uni_lindenau_kanaele.csv", tmp_path / "b", capsys)
    assert len(german.people) == 14
    ids = {p["id"]: p for p in german.people}
    assert ids["jurgen-weiss"]["name"] == "Jürgen Weiß"
    assert ids["elisabeth-hofer-gruber"]["name"] == "Elisabeth Hofer-Gruber"
    assert {"katharina-brandstatter", "mehmet-yilmaz", "francois-lefevre"} <= set(ids)
    # NHS: 'Dr Iain McLeod' and 'Iain Mcleod'
    nhs = import_sheet("04_northbrook_nhs_social_register.csv", tmp_path / "c", capsys)
    assert len(nhs.people) == 15
    assert {a["owner"] for a in nhs.accounts if "mcleod" in str(a["owner"])} == {"iain-mcleod"}
    for result in (council, german, nhs):
        assert not CAUSED_BY_IMPORT & set(result.findings)


def test_a_name_and_an_email_that_spells_it_are_one_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Sprout: 'Chloe Barker' as an owner, chloe.barker@... as a backup email
    sprout = import_sheet("07_ashgrove_rovers_sprout_profiles.csv", tmp_path / "a", capsys)
    chloe = [p for p in sprout.people if "chloe" in p["id"]]
    assert len(chloe) == 1 and chloe[0]["name"] == "Chloe Barker"
    assert chloe[0]["email"] == "chloe.barker@ashgroverovers.example"
    # Hootsuite: 'Beth Lindgren' as an owner, bethlindgren@... in another row
    hootsuite = import_sheet("06_fairhaven_hootsuite_social_profiles.csv", tmp_path / "b", capsys)
    assert [p["id"] for p in hootsuite.people if "lindgren" in p["id"]] == ["beth-lindgren"]


def test_an_organisation_or_a_shared_mailbox_is_no_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hootsuite = import_sheet("06_fairhaven_hootsuite_social_profiles.csv", tmp_path / "a", capsys)
    assert len(hootsuite.people) == 10
    assert not [p for p in hootsuite.people if "organization" in p["id"]]
    city_hall = hootsuite.account(name="Fairhaven Heights City Hall")
    assert "owner" not in city_hall
    assert city_hall["labels"]["owner"] == "City of Fairhaven Heights (Organization)"
    assert hootsuite.findings["SG201"] == 2  # the two rows the city itself 'owns'
    assert (
        "06_fairhaven_hootsuite_social_profiles.csv:30: owner 'City of Fairhaven Heights "
        "(Organization)' is an organisation, not a person: kept as labels.owner" in hootsuite.err
    )
    sprout = import_sheet("07_ashgrove_rovers_sprout_profiles.csv", tmp_path / "b", capsys)
    assert len(sprout.people) == 8
    assert not [p for p in sprout.people if "goalmouth" in str(p.get("email"))]
    assert "backup owner 'social@goalmouthdigital.example' is a shared mailbox" in sprout.err


def test_two_people_in_one_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the retailer's 'Secondary Owner' cell 'Jordan Blake / Marisol Vega' (row 6)
    result = import_sheet("02_harborpine_social_channels.csv", tmp_path, capsys)
    assert len(result.people) == 11
    assert not [p for p in result.people if "/" in str(p.get("name"))]
    help_x = result.account(platform="x", handle="HarborPineHelp")
    assert help_x["backup_owner"] == "jordan-blake"
    assert help_x["labels"]["secondary-owner"] == "Jordan Blake / Marisol Vega"
    assert "column 'Secondary Owner': names 2 people" in result.err


def test_a_short_first_name_and_the_full_one_are_said_to_be_one_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the charity writes its head of communications 'Jo Okafor' and 'Joanne Okafor'
    result = import_sheet("05_lanternway_social_accounts.csv", tmp_path, capsys)
    assert len(result.accounts) == 70
    assert (
        "people 'Jo Okafor' (jo-okafor) and 'Joanne Okafor' (joanne-okafor) are probably one "
        "person" in result.err
    )
    assert result.err.count("are probably one person") == 1
    assert not CAUSED_BY_IMPORT & set(result.findings)


def test_a_team_cell_naming_two_teams(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Hootsuite: the police YouTube channel's team is 'Communications, Police Department'
    result = import_sheet("06_fairhaven_hootsuite_social_profiles.csv", tmp_path, capsys)
    channel = result.account(platform="youtube", handle="FairhavenPD")
    assert channel["team"] == "police-department"  # as its owner's other accounts
    assert channel["labels"]["team"] == "Communications, Police Department"
    assert "Communications, Police Department" not in [t["name"] for t in result.teams]
    assert "read as 'Police Department' (the team of its owner's other accounts)" in result.err
    assert not CAUSED_BY_IMPORT & set(result.findings)
