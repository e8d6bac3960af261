"""socialgov import csv: messy spreadsheets become valid Account YAML, bad rows are reported."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from conftest import run_lint
from socialgov.cli import main
from socialgov.errors import SocialgovError
from socialgov.importer import convert, normalise_column, parse_mapping, slug


def write_csv(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args: str | Path) -> int:
    return main(["import", "csv", *map(str, args)])


def accounts(path: Path) -> list[dict[str, object]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["accounts"]


def test_a_plain_spreadsheet_becomes_accounts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(
        tmp_path,
        "Platform,Username,Profile URL,Owner,Team,Purpose,Status\n"
        "Twitter,@AcmeSupport,http://twitter.com/acmesupport/,jdoe,care,service,active\n"
        "Instagram,acme,,Jane Doe,Brand Marketing,marketing,Live\n",
    )
    out = tmp_path / "accounts"
    assert run(src, "--out", out) == 0
    assert (out / "accounts.yaml").read_text(encoding="utf-8") == (
        "# Accounts imported from in.csv by 'socialgov import csv'.\n"
        "# Review them, then add owners, policies, playbooks and objectives.\n"
        "\n"
        "accounts:\n"
        "  - id: acmesupport-x\n"
        "    platform: x\n"
        "    handle: AcmeSupport\n"
        "    url: https://x.com/AcmeSupport\n"
        "    owner: jdoe\n"
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
    stdout, stderr = capsys.readouterr()
    assert stdout == f"wrote {out / 'accounts.yaml'} (2 accounts)\n"
    assert stderr == "Imported 2 accounts from 2 rows.\n"


def test_bom_crlf_semicolons_quoted_commas_blank_rows_and_mixed_case(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "\ufeffNetwork;Handle;Name;Notes\r\n"
        'FaceBook;acme.page;"Acme; the page";"said ""hi"", twice"\r\n'
        "\r\n"
        ";;;\r\n"
        "LINKEDIN;acme-corp;Acme Corp;\r\n",
    )
    out = tmp_path / "out"
    assert run(src, "--out", out) == 0
    assert accounts(out / "accounts.yaml") == [
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


def test_quoted_commas_in_a_comma_separated_file(tmp_path: Path) -> None:
    src = write_csv(tmp_path, 'platform,handle,name\nx,acme,"Acme, Inc."\n')
    result = convert(src)
    assert result.accounts[0]["name"] == "Acme, Inc."


def test_unknown_columns_are_kept_as_string_labels(tmp_path: Path) -> None:
    src = write_csv(tmp_path, "platform,handle,Cost Centre,Launched?,Agency\nx,acme,007,yes,\n")
    out = tmp_path / "out"
    assert run(src, "--out", out) == 0
    text = (out / "accounts.yaml").read_text(encoding="utf-8")
    assert accounts(out / "accounts.yaml")[0]["labels"] == {"cost-centre": "007", "launched": "yes"}
    assert "cost-centre: '007'" in text
    assert "launched: 'yes'" in text


def test_bad_rows_are_reported_with_row_numbers_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,url,status,created,followers\n"
        "x,acme,,active,2024-01-31,12000\n"  # row 2: fine
        "\n"  # row 3: blank
        ",,,,,\n"  # row 4: blank
        "x,,,active,,\n"  # row 5: nothing says which presence
        "x,acme2,,pending,,\n"  # row 6: unknown status
        "x,acme3,,active,31/01/2024,\n"  # row 7: not an ISO date
        "x,acme4,,active,,many\n"  # row 8: not a number
        "X,@ACME,,active,,\n"  # row 9: the same presence as row 2
        ",,https://example.org/community,,,\n"  # row 10: no platform, none from the url
        "x,acme5,,active,,,surplus\n",  # row 11: more cells than columns
    )
    out = tmp_path / "out"
    assert run(src, "--out", out) == 1
    _, stderr = capsys.readouterr()
    assert stderr.splitlines() == [
        "in.csv:5: neither a handle nor a url; one of them says which presence this is; "
        "row skipped",
        "in.csv:6: status 'pending' is not one of planned, active, dormant, retired; row skipped",
        "in.csv:7: '31/01/2024' is not a date; write it as YYYY-MM-DD; row skipped",
        "in.csv:8: 'many' is not a number; row skipped",
        "in.csv:9: the same presence as row 2 (same platform and handle, or same url); merge "
        "the two rows; row skipped",
        "in.csv:10: no platform, and none can be told from the url; add a platform column; "
        "row skipped",
        "in.csv:11: has 7 cells but the header names 6 columns; quote values that contain the "
        "separator; row skipped",
        "Imported 1 account from 8 rows; 7 skipped.",
    ]
    assert accounts(out / "accounts.yaml") == [
        {
            "id": "acme-x",
            "platform": "x",
            "handle": "acme",
            "url": "https://x.com/acme",
            "status": "active",
            "created": dt.date(2024, 1, 31),
            "metrics": {"followers": 12000},
        }
    ]


def test_map_overrides_and_ignores_columns(tmp_path: Path) -> None:
    src = write_csv(tmp_path, "Site,Who,Account,Secret,MFA on\nTwitter,jdoe,acme,hunter2,Yes\n")
    out = tmp_path / "out"
    code = run(
        src,
        "--out",
        out,
        "--map",
        "who=owner",
        "--map",
        "Secret=ignore",
        "--map",
        "Account=labels.legacy-account",
        "--map",
        "account=handle",
    )
    assert code == 0
    assert accounts(out / "accounts.yaml") == [
        {
            "id": "acme-x",
            "platform": "x",
            "handle": "acme",
            "url": "https://x.com/acme",
            "owner": "jdoe",
            "security": {"mfa": True},
        }
    ]


def test_map_mistakes_are_clear_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_csv(tmp_path, "platform,handle\nx,acme\n")
    assert run(src, "--out", tmp_path / "o", "--map", "handle=username") == 2
    assert "'username' is not an Account field" in capsys.readouterr().err
    assert run(src, "--out", tmp_path / "o", "--map", "nickname=handle") == 2
    assert "the spreadsheet has no column 'nickname'" in capsys.readouterr().err
    assert run(src, "--out", tmp_path / "o", "--map", "handle") == 2
    assert "write it as COLUMN=FIELD" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_split_team_writes_one_file_per_team(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,team\nx,acme,Customer Care\nx,acmehelp,customer-care\ninstagram,acme,\n",
    )
    out = tmp_path / "out"
    assert run(src, "--out", out, "--split", "team") == 0
    assert sorted(p.name for p in out.iterdir()) == ["customer-care.yaml", "no-team.yaml"]
    assert [a["id"] for a in accounts(out / "customer-care.yaml")] == ["acme-x", "acmehelp-x"]
    assert [a["id"] for a in accounts(out / "no-team.yaml")] == ["acme-instagram"]


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
        f"replace): {out / 'accounts.yaml'}\n"
    )
    assert (out / "accounts.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert run(src, "--out", out, "--force") == 0
    assert accounts(out / "accounts.yaml")[0]["id"] == "acme-x"


def test_ids_are_unique_slugs(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "id,platform,handle,url,name\n"
        ",x,Acme_UK,,\n"
        ",other,,https://forum.acme.example/t/1,\n"
        "Acme Shop!,facebook,acmeshop,,\n"
        ",GitHub,acme,,Acme on GitHub\n"
        ",Flickr,acme,,\n"
        ",youtube,,https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv,Acme TV\n"
        ",youtube,,https://www.youtube.com/channel/UCbbcdefghijklmnopqrstuv,Acme TV\n",
    )
    result = convert(src)
    assert [a["id"] for a in result.accounts] == [
        "acme_uk-x",
        "t-1-other",
        "acme-shop",
        "acme-github",
        "acme-flickr",
        "ucabcdefghijklmnopqrstuv-youtube",
        "ucbbcdefghijklmnopqrstuv-youtube",
    ]
    assert result.accounts[3]["platform"] == "github"


def test_platform_and_handle_are_told_from_the_url(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "link\nhttp://twitter.com/NOAA68/\nwww.instagram.com/acme/\nhttps://twitter.com/@NOAA68\n",
    )
    result = convert(src)
    assert [(a["platform"], a.get("handle"), a["url"]) for a in result.accounts] == [
        ("x", "NOAA68", "https://x.com/NOAA68"),
        ("instagram", "acme", "https://www.instagram.com/acme"),
    ]
    # twitter.com/@NOAA68 names NOAA68 too: the same presence as row 2
    assert [s.row for s in result.skipped] == [4]


def test_non_utf8_and_empty_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SocialgovError, match="save the spreadsheet as 'CSV UTF-8'"):
        convert(write_csv(tmp_path, "platform,handle\nx,Zürich\n", encoding="latin-1"))
    with pytest.raises(SocialgovError, match="the file is empty"):
        convert(write_csv(tmp_path, "", name="empty.csv"))


def test_helpers() -> None:
    assert normalise_column("  User Name ") == "user_name"
    assert slug("Acme Support (UK)") == "acme-support-uk"
    assert parse_mapping(["User Name=handle"]) == {"user_name": "handle"}


def test_imported_accounts_are_valid(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path,
        "platform,handle,status,mfa,followers,posts per month,language,tags\n"
        'TikTok,acme.shop,inactive,no,"12,500",3.5,en,"a; b; a"\n'
        "Mastodon,@acme@Mastodon.Social,,yes,0,0,de,\n",
    )
    root = tmp_path / "repo"
    root.mkdir()
    (root / "socialgov.yaml").write_text("organisation: T\n", encoding="utf-8")
    assert run(src, "--out", root / "accounts") == 0
    result = run_lint(root)
    assert [f for f in result.findings if f.code in {"SG101", "SG103", "SG105", "SG107"}] == []
    assert accounts(root / "accounts/accounts.yaml")[0]["metrics"] == {
        "followers": 12500,
        "posts_per_month": 3.5,
    }
    assert accounts(root / "accounts/accounts.yaml")[1]["url"] == "https://mastodon.social/@acme"


def test_real_inventory_of_the_us_department_of_commerce(tmp_path: Path, realdata: Path) -> None:
    """410 real accounts: blank names, numeric Facebook ids, URLs registered twice or three
    times, platforms that shut down. Converted to the CSV a person would export."""
    rows = json.loads(
        (realdata / "usdr-project_DOC_accts_2017-06_f71e6ab.json").read_text(encoding="utf-8")
    )
    src = tmp_path / "doc.csv"
    with src.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["Account", "Service", "Service URL", "Organization", "Tags", "Created At"])
        for row in rows:
            out.writerow(
                [
                    row["account"],
                    row["service_display_name"],
                    row["service_url"],
                    row["organization"],
                    ", ".join(tag["tag_text"] for tag in row["tags"]),
                    row["created_at"],
                ]
            )
    root = tmp_path / "repo"
    root.mkdir()
    (root / "socialgov.yaml").write_text("organisation: DOC\n", encoding="utf-8")
    result = convert(src)
    assert result.rows == len(rows) == 410
    # Every skipped row is a URL registered more than once, never a crash or a guess.
    assert len(result.skipped) == 21
    assert all("the same presence as row" in s.reason for s in result.skipped)
    by_id = {a["id"]: a for a in result.accounts}
    assert len(by_id) == len(result.accounts) == 389
    numeric = by_id["517901871554731-facebook"]
    assert numeric["handle"] == "517901871554731"  # a numeric page id stays a string
    assert {a["platform"] for a in result.accounts} == {
        "x",
        "facebook",
        "youtube",
        "linkedin",
        "instagram",
        "pinterest",
        "flickr",
        "github",
        "medium",
        "tumblr",
        "googleplus",
        "storify",
    }
    assert sum(1 for a in result.accounts if a["platform"] == "storify") == 3
    assert run(src, "--out", root / "accounts") == 1
    linted = run_lint(root)
    assert [f for f in linted.findings if f.code in {"SG100", "SG101", "SG103", "SG105"}] == []
