"""socialgov import csv: every row of a messy spreadsheet comes in; what cannot be read is
reported by row and column and kept; people and teams are written and referenced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, run_lint
from socialgov.cli import main
from socialgov.core.errors import SocialgovError
from socialgov.writing.importer import (
    convert,
    normalise_column,
    parse_date,
    parse_mapping,
    parse_number,
    slug,
    split_person,
)

SHEETS = PROJECT / "tests" / "data" / "import"
CAUSED_BY_IMPORT = {"SG100", "SG101", "SG102", "SG103", "SG104", "SG105", "SG107"}
"""What an import would have caused: a file that does not parse or breaks the schema, two ids
alike, a reference to nothing, a handle or url the import made wrong."""


def write_csv(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args: str | Path) -> int:
    return main(["import", "csv", *map(str, args)])


def entities(path: Path, key: str = "accounts") -> list[dict[str, object]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))[key]


def by_id(path: Path, key: str = "accounts") -> dict[object, dict[str, object]]:
    return {e["id"]: e for e in entities(path, key)}


# ----------------------------------------------------------------------------- the basics


def test_a_plain_spreadsheet_becomes_accounts_people_and_teams(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(
        tmp_path,
        "Platform,Username,Profile URL,Owner,Team,Purpose,Status\n"
        "Twitter,@AcmeSupport,http://twitter.com/acmesupport/,Jane Doe,Care,service,active\n"
        "Instagram,acme,,Jane Doe,Brand Marketing,marketing,Live\n",
    )
    root = tmp_path / "repo"
    assert run(src, "--root", root) == 0
    assert (root / "accounts/accounts.yaml").read_text(encoding="utf-8") == (
        "# Accounts imported from in.csv by 'socialgov import csv'.\n"
        "# Review them, then add owners, policies, playbooks and objectives.\n"
        "\n"
        "accounts:\n"
        "  - id: acmesupport-x\n"
        "    platform: x\n"
        "    handle: AcmeSupport\n"
        "    url: https://x.com/AcmeSupport\n"
        "    owner: jane-doe\n"
        "    team: care\n"
        "    purpose: service\n"
        "    status: active\n"
        "  - id: acme-instagram\n"
        "    platform: instagram\n"
        "    handle: acme\n"
        "    url: https://www.instagram.com/acme\n"
        "    owner: jane-doe\n"
        "    team: brand-marketing\n"
        "    purpose: marketing\n"
        "    status: active\n"
    )
    assert entities(root / "people/people.yaml", "people") == [
        {
            "id": "jane-doe",
            "name": "Jane Doe",
            "employment": "full_time",
            "source": "import csv in.csv",
        }
    ]
    assert entities(root / "teams/teams.yaml", "teams") == [
        {"id": "care", "name": "Care"},
        {"id": "brand-marketing", "name": "Brand Marketing"},
    ]
    stdout, stderr = capsys.readouterr()
    assert stdout.splitlines() == [
        f"wrote {root / 'socialgov.yaml'}",
        f"wrote {root / 'accounts/accounts.yaml'}",
        f"wrote {root / 'people/people.yaml'}",
        f"wrote {root / 'teams/teams.yaml'}",
    ]
    lines = stderr.splitlines()
    # the column guesses come once, first
    assert lines[0] == (
        "in.csv: columns: 'Platform' -> platform; 'Username' -> handle or url (cell by cell); "
        "'Profile URL' -> url or handle (cell by cell); 'Owner' -> owner (a person: name, "
        "email or both); 'Team' -> team (a team, by name); 'Purpose' -> purpose; 'Status' -> "
        "status"
    )
    assert sum("columns:" in line for line in lines) == 1
    assert "in.csv: values read as: 'Twitter' -> x, 'Live' -> active" in lines
    assert lines[-1] == "Imported 2 accounts from 2 rows; 1 new person, 2 new teams."
    assert not CAUSED_BY_IMPORT & {f.code for f in run_lint(root).findings}


def test_a_url_in_another_form_of_the_same_page_becomes_canonical(tmp_path: Path) -> None:
    """http, www., a trailing slash, twitter.com: the same page, written as the SPEC writes it;
    another form of the profile (youtube.com/user/...) is kept as written."""
    src = write_csv(
        tmp_path,
        "platform,handle,url\nx,acme,HTTP://www.Twitter.com/Acme/\n"
        "youtube,AcmeTV,https://www.youtube.com/user/AcmeTV\n",
    )
    assert [a["url"] for a in convert(src).accounts] == [
        "https://x.com/acme",
        "https://www.youtube.com/user/AcmeTV",
    ]


def test_bom_crlf_semicolons_quoted_separators_and_blank_rows(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "\ufeffNetwork;Handle;Name;Notes\r\n"
        'FaceBook;acme.page;"Acme; the page";"said ""hi"", twice"\r\n'
        "\r\n"
        ";;;\r\n"
        "LINKEDIN;acme-corp;Acme Corp;\r\n",
    )
    result = convert(src)
    assert result.rows == 2
    assert result.accounts == [
        {
            "id": "acme.page-facebook",
            "name": "Acme; the page",
            "description": 'said "hi", twice',
            "platform": "facebook",
            "handle": "acme.page",
            "url": "https://www.facebook.com/acme.page",
        },
        {
            "id": "acme-corp-linkedin",
            "name": "Acme Corp",
            "platform": "linkedin",
            "handle": "acme-corp",
            "url": "https://www.linkedin.com/company/acme-corp",
        },
    ]


def test_account_name_is_a_name_never_a_handle(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "Account Name,Platform,Handle / URL\n"
        "Northfield University,Twitter,@NorthfieldU\n"
        "Northfield University,Instagram,https://www.instagram.com/northfield.u/\n",
    )
    result = convert(src)
    assert [(a["name"], a["handle"]) for a in result.accounts] == [
        ("Northfield University", "NorthfieldU"),
        ("Northfield University", "northfield.u"),
    ]
    assert result.accounts[1]["url"] == "https://www.instagram.com/northfield.u"


def test_platform_names_as_people_write_them(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "Platform,Handle / URL\n"
        "X (formerly Twitter),acme\n"
        "Twitter/X,acme2\n"
        "FB,acme.page\n"
        "Insta,acme.gram\n"
        "Facebook Group,https://www.facebook.com/groups/acmeusers\n"
        "LinkedIn School Page,https://www.linkedin.com/school/acme-university/\n"
        "LinkedIn Showcase Page,https://www.linkedin.com/showcase/acme-careers/\n"
        "LinkedIn Group,https://www.linkedin.com/groups/4215296/\n"
        "YT,https://www.youtube.com/user/AcmeTV\n"
        "Google+,https://plus.google.com/+AcmeCorp/posts\n"
        ",https://github.com/acme\n"
        "Myspace,https://myspace.com/acme\n"
        "Discord server,https://discord.gg/AbCdEf\n",
    )
    result = convert(src)
    assert [(a["platform"], a.get("type"), a.get("handle")) for a in result.accounts] == [
        ("x", None, "acme"),
        ("x", None, "acme2"),
        ("facebook", None, "acme.page"),
        ("instagram", None, "acme.gram"),
        ("facebook", "forum", "acmeusers"),
        ("linkedin", None, "acme-university"),
        ("linkedin", None, "acme-careers"),
        ("linkedin", "forum", "4215296"),
        ("youtube", None, "AcmeTV"),
        ("googleplus", None, "AcmeCorp"),
        ("github", None, "acme"),  # a blank platform takes the url's host
        ("other", None, None),  # no platform we know: other, its name kept
        ("discord", "forum", "AbCdEf"),
    ]
    assert result.accounts[11]["labels"] == {"platform": "Myspace"}
    assert any("platform 'Myspace' is none socialgov knows" in d for d in result.decisions)


def test_a_word_of_the_url_in_the_handle_cell_is_no_handle(tmp_path: Path) -> None:
    """The registry's "channel" for two youtube.com/channel/UC... urls: both accounts stay."""
    src = write_csv(
        tmp_path,
        "account,service,service_url\n"
        "channel,youtube,https://www.youtube.com/channel/UCMYDOA7vb4N_fJvfQ-wAbSg\n"
        "channel,youtube,https://www.youtube.com/channel/UCSwf8bGblNsD288wY0w4Rzw\n",
    )
    result = convert(src)
    assert [a["handle"] for a in result.accounts] == [
        "UCMYDOA7vb4N_fJvfQ-wAbSg",
        "UCSwf8bGblNsD288wY0w4Rzw",
    ]
    assert result.exit_code == 0


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "order", "day"),
    [
        ("2026-11-28", None, dt.date(2026, 11, 28)),
        ("2017-06-01T14:13:44.000Z", None, dt.date(2017, 6, 1)),
        ("2023-04-11 09:30:00", None, dt.date(2023, 4, 11)),
        ("11/28/2026", None, dt.date(2026, 11, 28)),
        ("28/11/2026", None, dt.date(2026, 11, 28)),
        ("03/04/2026", "dmy", dt.date(2026, 4, 3)),
        ("03/04/2026", "mdy", dt.date(2026, 3, 4)),
        ("3.4.26", "dmy", dt.date(2026, 4, 3)),
        ("11/30/2026 14:05", "mdy", dt.date(2026, 11, 30)),
        ("14 Mar 2015", None, dt.date(2015, 3, 14)),
        ("14-Mar-15", None, dt.date(2015, 3, 14)),
        ("14th March 2015", None, dt.date(2015, 3, 14)),
        ("March 14, 2015", None, dt.date(2015, 3, 14)),
        ("Saturday, March 14, 2015", None, dt.date(2015, 3, 14)),
        ("Sept 2 2021", None, dt.date(2021, 9, 2)),
        ("45123", None, dt.date(2023, 7, 16)),  # an Excel serial day
        ("45123.5", None, dt.date(2023, 7, 16)),
    ],
)
def test_dates_as_spreadsheets_write_them(text: str, order: str | None, day: dt.date) -> None:
    assert parse_date(text, order) == day


@pytest.mark.parametrize("text", ["next week", "31/02/2026", "2026-13-01", "03/04/2026", "7"])
def test_dates_that_cannot_be_read(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text, None)


@pytest.mark.parametrize(
    ("text", "integer", "number"),
    [
        ("48,210", True, 48210),
        ("48 210", True, 48210),
        ("48\u202f210", True, 48210),
        ("48.210", True, 48210),  # a count of followers has no fraction: a thousands point
        ("1.204.551", True, 1204551),
        ("1,204,551", True, 1204551),
        ("12,5k", True, 12500),
        ("1.2M", True, 1200000),
        ("930", True, 930),
        ("22,5", False, 22.5),
        ("3.5", False, 3.5),
        ("1,500", False, 1500),
    ],
)
def test_numbers_as_people_write_them(text: str, integer: bool, number: float) -> None:
    assert parse_number(text, integer=integer) == number


def test_a_column_decides_day_first_or_month_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    us = write_csv(
        tmp_path, "platform,handle,created\nx,a,03/04/2026\nx,b,11/28/2026\n", name="us.csv"
    )
    uk = write_csv(
        tmp_path, "platform,handle,created\nx,a,03/04/2026\nx,b,28/11/2026\n", name="uk.csv"
    )
    assert [a["created"] for a in convert(us).accounts] == [
        dt.date(2026, 3, 4),
        dt.date(2026, 11, 28),
    ]
    assert [a["created"] for a in convert(uk).accounts] == [
        dt.date(2026, 4, 3),
        dt.date(2026, 11, 28),
    ]
    assert "dates in 'created' read month/day/year ('11/28/2026' settles it)" in (
        convert(us).decisions
    )
    # a column that never says: reported, kept under labels, read with --date-format
    unclear = write_csv(tmp_path, "platform,handle,created\nx,a,03/04/2026\n", name="u.csv")
    root = tmp_path / "repo"
    assert run(unclear, "--root", root) == 1
    err = capsys.readouterr().err
    assert (
        "u.csv: column 'created': every date could be day/month or month/day; those are kept "
        "under labels; give --date-format d/m/Y or m/d/Y"
    ) in err
    assert entities(root / "accounts/accounts.yaml")[0]["labels"] == {"created": "03/04/2026"}
    assert run(unclear, "--root", root, "--update", "--date-format", "d/m/Y") == 0
    assert entities(root / "accounts/accounts.yaml")[0]["created"] == dt.date(2026, 4, 3)
    assert run(unclear, "--root", tmp_path / "r2", "--date-format", "y/m/d") == 2
    assert "--date-format 'y/m/d': use d/m/Y" in capsys.readouterr().err


def test_a_bad_cell_loses_only_its_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,status,last post,followers,mfa,url\n"
        "x,acme,ask Jo,next week,about 500,maybe,\n"
        "x,acme2,active,2026-11-01,1200,yes,\n",
    )
    root = tmp_path / "repo"
    assert run(src, "--root", root) == 1
    first, second = entities(root / "accounts/accounts.yaml")
    assert first == {
        "id": "acme-x",
        "platform": "x",
        "handle": "acme",
        "url": "https://x.com/acme",
        "labels": {
            "followers": "about 500",
            "last-post": "next week",
            "mfa": "maybe",
            "status": "ask Jo",
        },
    }
    assert second["metrics"] == {"followers": 1200}
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if line.startswith("in.csv:2:")] == [
        "in.csv:2: column 'status': status 'ask Jo' is not one of planned, active, dormant, "
        "retired; kept as labels.status",
        "in.csv:2: column 'last post': 'next week' is not a date socialgov can read; write it "
        "as YYYY-MM-DD (or give --map COLUMN=labels.NAME to keep the column as text); kept as "
        "labels.last-post",
        "in.csv:2: column 'followers': 'about 500' is not a number; kept as labels.followers",
        "in.csv:2: column 'mfa': 'maybe' is not yes or no; kept as labels.mfa",
    ]
    assert (
        err[-1]
        == "Imported 2 accounts from 2 rows; 0 new people, 0 new teams; 1 row need attention."
    )
    assert not CAUSED_BY_IMPORT & {f.code for f in run_lint(root).findings}


def test_every_row_comes_in_even_the_odd_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,url,name\n"
        "x,acme,,\n"
        "x,,,Nobody knows\n"  # nothing says which presence
        ",,https://example.org/community,Our forum\n"  # no platform, an unknown host
        "x,acme5,,,surplus\n"  # more cells than columns
        "x,https://example.com/not-a-profile,,\n",
    )
    root = tmp_path / "repo"
    assert run(src, "--root", root) == 1
    accounts = by_id(root / "accounts/accounts.yaml")
    assert len(accounts) == 5
    assert accounts["our-forum-other"]["url"] == "https://example.org/community"
    assert accounts["acme5-x"]["labels"] == {"extra": "surplus"}
    err = capsys.readouterr().err
    assert "in.csv:5: has 5 cells but the header names 4 columns" in err
    assert not CAUSED_BY_IMPORT - {"SG107"} & {f.code for f in run_lint(root).findings}


# ----------------------------------------------------------------------------- people and teams


def test_one_person_however_many_rows_name_them(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,owner,owner email,backup,department\n"
        "x,a,Jane Doe,jane@acme.example,Bob Stone <bob@acme.example>,Customer Care\n"
        "x,b,jane doe,,bob@acme.example,customer care\n"  # by name, then by email
        "x,c,J. Doe,JANE@acme.example,,Customer-Care\n"  # by email, whatever the name says
        "x,d,Jane Doe,jane.doe@other.example,,\n",  # by name: the first email stays
    )
    result = convert(src)
    assert [(a["owner"], a.get("backup_owner"), a.get("team")) for a in result.accounts] == [
        ("jane-doe", "bob-stone", "customer-care"),
        ("jane-doe", "bob-stone", "customer-care"),
        ("jane-doe", None, "customer-care"),
        ("jane-doe", None, None),
    ]
    assert result.people == [
        {
            "id": "jane-doe",
            "name": "Jane Doe",
            "email": "jane@acme.example",
            "employment": "full_time",
            "source": "import csv in.csv",
        },
        {
            "id": "bob-stone",
            "name": "Bob Stone",
            "email": "bob@acme.example",
            "employment": "full_time",
            "source": "import csv in.csv",
        },
    ]
    assert result.teams == [{"id": "customer-care", "name": "Customer Care"}]


def test_people_the_repository_knows_are_referenced_not_written_again(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "people").mkdir(parents=True)
    (root / "socialgov.yaml").write_text("organisation: Acme\n", encoding="utf-8")
    (root / "people/staff.yaml").write_text(
        "people:\n  - {id: jdoe, name: Jane Doe, email: jane@acme.example, employment: part_time}\n",
        encoding="utf-8",
    )
    src = write_csv(tmp_path, "platform,handle,owner,backup\nx,a,jane@acme.example,New Person\n")
    assert run(src, "--out", root / "accounts") == 0
    assert entities(root / "accounts/accounts.yaml")[0]["owner"] == "jdoe"
    assert entities(root / "accounts/people.yaml", "people") == [
        {
            "id": "new-person",
            "name": "New Person",
            "employment": "full_time",
            "source": "import csv in.csv",
        }
    ]
    assert not CAUSED_BY_IMPORT & {f.code for f in run_lint(root).findings}


@pytest.mark.parametrize(
    ("text", "name", "email"),
    [
        ("Jane Doe <jane@acme.example>", "Jane Doe", "jane@acme.example"),
        ("jane@acme.example", None, "jane@acme.example"),
        ("Jane Doe (jane@acme.example)", "Jane Doe", "jane@acme.example"),
        ("Jane Doe", "Jane Doe", None),
    ],
)
def test_split_person(text: str, name: str | None, email: str | None) -> None:
    assert split_person(text) == (name, email)


# ----------------------------------------------------------------------------- duplicates


def test_duplicates_are_kept_and_ownership_conflicts_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,url,team\n"
        "x,acme,,Care\n"
        "X,@ACME,,Care\n"
        "youtube,,https://www.youtube.com/user/AcmeTV,Care\n"
        "youtube,AcmeTV,https://youtube.com/AcmeTV,Sales\n",
    )
    root = tmp_path / "repo"
    assert run(src, "--root", root) == 1
    assert list(by_id(root / "accounts/accounts.yaml")) == [
        "acme-x",
        "acme-x-2",
        "acmetv-youtube",
        "acmetv-youtube-2",
    ]
    err = capsys.readouterr().err.splitlines()
    assert (
        "in.csv:3: the same presence (X 'ACME') as row 2; both imported (acme-x and acme-x-2): "
        "merge them (lint reports SG304 until then)"
    ) in err
    assert (
        "in.csv:5: ownership conflict: the same presence (YouTube 'AcmeTV') as row 4, but row 4 "
        "and row 5 name team 'care' and 'sales'; both imported (acmetv-youtube and "
        "acmetv-youtube-2): decide who owns it and merge them"
    ) in err
    assert err[-1].endswith("; 2 rows need attention; 1 ownership conflicts.")
    sg304 = [f for f in run_lint(root).findings if f.code == "SG304"]
    assert [f.entity.id for f in sg304 if f.entity] == ["acme-x-2", "acmetv-youtube-2"]


# ----------------------------------------------------------------------------- --map, exit codes


def test_map_overrides_and_ignores_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path, "Site,Who,Account,Secret,MFA on\nTwitter,jdoe,acme,hunter2,Yes\n")
    out = tmp_path / "out"
    code = run(
        src, "--out", out, "--map", "who=owner", "--map", "Secret=ignore", "--map", "account=handle"
    )
    assert code == 0
    assert entities(out / "accounts.yaml") == [
        {
            "id": "acme-x",
            "platform": "x",
            "handle": "acme",
            "url": "https://x.com/acme",
            "owner": "jdoe",
            "security": {"mfa": True},
        }
    ]
    first = capsys.readouterr().err.splitlines()[0]
    assert "'Who' -> owner (a person: name, email or both) (--map)" in first
    assert "'Secret' -> ignored" in first


def test_map_mistakes_are_clear_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_csv(tmp_path, "platform,handle\nx,acme\n")
    assert run(src, "--out", tmp_path / "o", "--map", "handle=username") == 2
    assert "'username' is not a field the import reads" in capsys.readouterr().err
    assert run(src, "--out", tmp_path / "o", "--map", "nickname=handle") == 2
    assert "the spreadsheet has no column 'nickname'" in capsys.readouterr().err
    assert run(src, "--out", tmp_path / "o", "--map", "handle") == 2
    assert "write it as COLUMN=FIELD" in capsys.readouterr().err
    assert run(src) == 2
    assert "give --root DIR (a whole repository) or --out DIR" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_file_that_cannot_be_read_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = {
        "latin.csv": (
            "platform,handle\nx,Zürich\n".encode("latin-1"),
            "save the spreadsheet as 'CSV UTF-8'",
        ),
        "empty.csv": (b"", "the file is empty"),
        "blank.csv": (b"\n\n,,\n", "the file has no header row naming its columns"),
        "book.xlsx.csv": (b"PK\x03\x04\x14\x00\x06\x00", "is an Excel workbook, not CSV"),
    }
    for name, (raw, message) in cases.items():
        (tmp_path / name).write_bytes(raw)
        assert run(tmp_path / name, "--root", tmp_path / "r") == 2, name
        err = capsys.readouterr().err
        assert err.startswith("socialgov: error: ") and message in err, err
        assert "Traceback" not in err
    assert run(tmp_path / "missing.csv", "--root", tmp_path / "r") == 2
    assert not (tmp_path / "r").exists()


def test_utf16_from_excel_unicode_text_is_read(tmp_path: Path) -> None:
    src = tmp_path / "u16.csv"
    src.write_bytes("platform\thandle\nx\tacme\n".encode("utf-16"))
    assert convert(src).accounts[0]["handle"] == "acme"


# ----------------------------------------------------------------------------- writing


def test_split_team_writes_one_file_per_team(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,team\nx,acme,Customer Care\nx,acmehelp,customer-care\ninstagram,acme,\n",
    )
    root = tmp_path / "repo"
    assert run(src, "--root", root, "--split", "team") == 0
    assert sorted(p.name for p in (root / "accounts").iterdir()) == [
        "customer-care.yaml",
        "no-team.yaml",
    ]
    assert list(by_id(root / "accounts/customer-care.yaml")) == ["acme-x", "acmehelp-x"]
    assert list(by_id(root / "accounts/no-team.yaml")) == ["acme-instagram"]


def test_existing_files_are_never_overwritten_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path, "platform,handle\nx,acme\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "accounts.yaml").write_text("# mine\n", encoding="utf-8")
    assert run(src, "--out", out) == 2
    assert capsys.readouterr().err == (
        "socialgov: error: 1 file already exists and was not overwritten (use --force to "
        f"replace): {out / 'accounts.yaml'}; or re-import into them with --update\n"
    )
    assert (out / "accounts.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert run(src, "--out", out, "--force") == 0
    assert entities(out / "accounts.yaml")[0]["id"] == "acme-x"


def test_update_changes_the_entities_in_place_and_says_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = "Platform,Handle,Owner,Department,Last Post,Followers\n"
    first = write_csv(
        tmp_path,
        header + "Twitter,acme,Jane Doe,Care,2026-10-01,1000\n"
        "Instagram,acme.gram,Jane Doe,Care,2026-09-01,500\n"
        "TikTok,acme.tok,Bob Stone,Brand,2026-08-01,80\n",
        name="v1.csv",
    )
    root = tmp_path / "repo"
    assert run(first, "--root", root) == 0
    accounts_file = root / "accounts/accounts.yaml"
    text = accounts_file.read_text(encoding="utf-8")
    # a person edits the file: a comment, a field of their own, a policy
    text = text.replace("  - id: acme-x\n", "  # our main account\n  - id: acme-x\n", 1)
    text = text.replace("    platform: x\n", "    platform: x\n    verified: true\n", 1)
    accounts_file.write_text(text, encoding="utf-8")
    second = write_csv(
        tmp_path,
        header + "Twitter,acme,Jane Doe,Care,2026-11-20,1250\n"
        "Instagram,acme.gram,Jane Doe,Care,2026-09-01,500\n"
        "YouTube,AcmeTV,Carol King,Brand,2026-11-01,40\n",
        name="v2.csv",
    )
    capsys.readouterr()
    assert run(second, "--root", root, "--update") == 0
    err = capsys.readouterr().err.splitlines()
    assert [
        line for line in err if line.startswith("v2.csv: accounts.yaml") or "people.yaml" in line
    ] == [
        "v2.csv: accounts.yaml: Account acme-x: last_activity 2026-10-01 -> 2026-11-20",
        "v2.csv: accounts.yaml: Account acme-x: metrics.followers 1000 -> 1250",
        "v2.csv: accounts.yaml: added Account acmetv-youtube",
        "v2.csv: accounts.yaml: Account acme.tok-tiktok is not in the sheet any more; left as "
        "it is (retire or delete it yourself)",
        "v2.csv: people.yaml: added Person carol-king",
    ]
    text = accounts_file.read_text(encoding="utf-8")
    assert "  # our main account\n  - id: acme-x\n" in text
    accounts = by_id(accounts_file)
    assert accounts["acme-x"]["verified"] is True
    assert accounts["acme-x"]["last_activity"] == dt.date(2026, 11, 20)
    assert set(accounts) == {"acme-x", "acme.gram-instagram", "acme.tok-tiktok", "acmetv-youtube"}
    assert [p["id"] for p in entities(root / "people/people.yaml", "people")] == [
        "jane-doe",
        "bob-stone",
        "carol-king",
    ]
    # the same sheet again changes nothing
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    assert run(second, "--root", root, "--update") == 0
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before
    assert not CAUSED_BY_IMPORT & {f.code for f in run_lint(root).findings}


# ----------------------------------------------------------------------------- strangers' sheets


@pytest.mark.parametrize(
    ("sheet", "rows", "people", "teams", "planted"),
    [
        # a UK council: BOM, CRLF, a title row, d/m/Y dates, "Handle / URL", Google+ closed
        ("council.csv", 9, 5, 6, set()),
        # a retailer: semicolons, dotted thousands, decimal commas, dates in words, 2FA ticks;
        # one Instagram account listed twice by two teams
        ("retailer.csv", 8, 3, 3, {"SG304"}),
        # a university: merged group headings, m/d/Y, a date-time, an Excel serial day, a bad
        # date, the main X account listed again by admissions
        ("university.csv", 12, 8, 7, {"SG304"}),
        # a Hootsuite-style export: its own network names (TIKTOKBUSINESS), date-times
        ("hootsuite.csv", 8, 2, 2, set()),
    ],
)
def test_strangers_sheets_import_whole_and_cause_no_finding(
    tmp_path: Path, sheet: str, rows: int, people: int, teams: int, planted: set[str]
) -> None:
    root = tmp_path / "repo"
    result_code = run(SHEETS / sheet, "--root", root)
    assert result_code == (1 if planted or sheet == "university.csv" else 0)
    accounts = entities(root / "accounts/accounts.yaml")
    assert len(accounts) == rows
    assert len(entities(root / "people/people.yaml", "people")) == people
    assert len(entities(root / "teams/teams.yaml", "teams")) == teams
    assert all(a.get("owner") and a.get("team") for a in accounts)
    found = {f.code for f in run_lint(root, as_of=dt.date(2026, 12, 5)).findings}
    assert not CAUSED_BY_IMPORT & found
    assert {"SG304"} & found == planted


def test_the_council_sheet_reads_as_its_clerk_meant(tmp_path: Path) -> None:
    result = convert(SHEETS / "council.csv")
    accounts = {a["id"]: a for a in result.accounts}
    main_x = accounts["eastmerecouncil-x"]
    assert main_x["created"] == dt.date(2011, 2, 3)  # 03/02/2011, day first
    assert main_x["metrics"] == {"followers": 24310}
    assert accounts["eastmerecouncil-facebook"]["metrics"] == {"followers": 18402}
    assert accounts["eastmerereaders-facebook"]["type"] == "forum"
    assert accounts["eastmereleisure-googleplus"]["status"] == "retired"
    assert accounts["eastmereleisure-youtube"]["status"] == "dormant"
    assert accounts["eastmere-alerts-other"]["labels"] == {"platform": "Nextdoor"}
    assert "rows 1-2 read as titles above the header (row 3)" in result.decisions


def test_the_university_sheet_reads_its_merged_headings(tmp_path: Path) -> None:
    result = convert(SHEETS / "university.csv")
    assert [c.name for c in result.columns][4:8] == [
        "Owner Name",
        "Owner Email",
        "Backup Name",
        "Backup Email",
    ]
    accounts = {a["id"]: a for a in result.accounts}
    assert accounts["northfieldu-x"]["backup_owner"] == "luis-ortega"
    assert accounts["northfieldu-x"]["created"] == dt.date(2009, 9, 14)
    assert accounts["northfield-university-linkedin"]["last_activity"] == dt.date(2026, 11, 30)
    assert accounts["northfieldadmissions-instagram"]["created"] == dt.date(2023, 7, 16)
    assert accounts["northfieldalumni-facebook"]["labels"] == {"last-activity": "next week"}
    assert accounts["nfcs-mastodon"]["url"] == "https://hachyderm.io/@nfcs"
    assert [n.row for n in result.conflicts] == [14]


def test_the_retailer_sheet_reads_european_numbers(tmp_path: Path) -> None:
    accounts = {a["id"]: a for a in convert(SHEETS / "retailer.csv").accounts}
    assert accounts["kessel.home-instagram"]["metrics"] == {
        "followers": 48210,
        "posts_per_month": 22.5,
    }
    assert accounts["kessel.home-facebook"]["metrics"]["followers"] == 1204551
    assert accounts["kesseloutlet-pinterest"]["metrics"]["followers"] == 12500
    assert accounts["kessel.home-facebook"]["created"] == dt.date(2015, 3, 14)
    assert accounts["kessel.home-instagram"]["security"] == {"mfa": True}
    assert accounts["kesselhome-tiktok"]["security"] == {"mfa": False}


def test_helpers() -> None:
    assert normalise_column("  User Name ") == "user_name"
    assert slug("Acme Support (UK)") == "acme-support-uk"
    assert parse_mapping(["User Name=handle"]) == {"user_name": "handle"}
    with pytest.raises(SocialgovError):
        parse_mapping(["x=nothing"])


def test_update_with_split_finds_each_account_in_the_file_that_holds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = "platform,handle,team,followers\n"
    first = write_csv(tmp_path, header + "x,acme,Care,10\nx,acmesales,Sales,20\n", name="v1.csv")
    root = tmp_path / "repo"
    assert run(first, "--root", root, "--split", "team") == 0
    # acme moved to the sales team; acmesales is gone from the sheet
    second = write_csv(tmp_path, header + "x,acme,Sales,15\n", name="v2.csv")
    capsys.readouterr()
    assert run(second, "--root", root, "--split", "team", "--update") == 0
    err = capsys.readouterr().err
    assert "care.yaml: Account acme-x: team 'care' -> 'sales'" in err
    assert "sales.yaml: Account acmesales-x is not in the sheet any more" in err
    assert list(by_id(root / "accounts/care.yaml")) == ["acme-x"]
    assert list(by_id(root / "accounts/sales.yaml")) == ["acmesales-x"]
    assert not CAUSED_BY_IMPORT & {f.code for f in run_lint(root).findings}


def test_lifecycle_columns_are_read(tmp_path: Path) -> None:
    """SPEC section 10's dates and login address, as registers write them."""
    src = write_csv(
        tmp_path,
        "Platform,Handle,Status,Date Closed,Last Reviewed,Registered,Login Email\n"
        "Google+,acme,Closed,02/04/2019,,14/09/2012,\n"
        "X,acme,Live,,28/11/2026,14/09/2012,social@acme.example\n",
    )
    root = tmp_path / "repo"
    assert run(src, "--root", root) == 0
    closed, live = entities(root / "accounts/accounts.yaml")
    assert (closed["status"], closed["retired_on"]) == ("retired", dt.date(2019, 4, 2))
    assert live["reviewed_on"] == dt.date(2026, 11, 28)
    assert live["registered_on"] == dt.date(2012, 9, 14)
    assert live["login_email"] == "social@acme.example"
    found = {f.code for f in run_lint(root).findings}
    assert not CAUSED_BY_IMPORT & found
    assert "SG212" not in found  # the closed account records when it was closed


def test_a_date_column_that_never_says_is_read_as_the_sheets_others(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,created,last post\nx,a,03/04/2020,28/11/2026\nx,b,05/06/2021,01/12/2026\n",
    )
    result = convert(src)
    assert [a["created"] for a in result.accounts] == [dt.date(2020, 4, 3), dt.date(2021, 6, 5)]
    assert (
        "dates in 'created' read day/month/year, as the sheet's other dates ('28/11/2026' in "
        "'last post' settles it)"
    ) in result.decisions
    assert result.exit_code == 0
