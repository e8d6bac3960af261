"""``socialgov import people``: HR (CSV) and identity-provider (SCIM 2.0) exports keep the
Person entities in step, in place, with every comment kept; leavers then show in lint.

The SCIM files in tests/data/scim/ are written the way four identity providers export users
(see tests/data/scim/README.md); each differs from the others in shape."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ACME, PROJECT, found, run_lint
from socialgov.cli import main
from socialgov.core.findings import EntityRef

SCIM = PROJECT / "tests" / "data" / "scim"
AS_OF = "2026-11-30"
LEAVERS = {"lucas-moreau", "sofia-martins", "ravi-shah"}


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root)
    return root


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text("utf-8") for p in sorted(root.rglob("*.yaml"))
    }


def people(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    found: dict[str, dict] = {}  # type: ignore[type-arg]
    for path in (root / "people").glob("*.yaml"):
        for document in yaml.safe_load_all(path.read_text("utf-8")):
            for person in document.get("people", [document]):
                found[person["id"]] = person
    return found


def run(root: Path, export: Path | str, *args: str) -> int:
    return main(["import", "people", str(export), "--root", str(root), "--as-of", AS_OF, *args])


def test_three_leavers_from_okta_change_exactly_those_three_and_show_in_lint(
    acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(acme)
    assert run(acme, SCIM / "okta-users.json", "--update") == 0
    out = capsys.readouterr().out
    changed = [line.split()[1] for line in out.splitlines() if line.startswith("- ")]
    assert sorted(changed) == sorted(LEAVERS)
    assert "3 marked departed, 0 added, 0 updated, 22 unchanged (scim export)." in out
    assert "Not in the export, left as they are: sam-taylor, kai-lindqvist" in out
    after = files(acme)
    assert [name for name in before if before[name] != after[name]] == ["people/staff.yaml"]
    # every line of the file is still there, comments included, in the same order: only the
    # three people's status, departed_on and source were added
    old_lines, new_lines = (
        before["people/staff.yaml"].splitlines(),
        after["people/staff.yaml"].splitlines(),
    )
    remaining = iter(new_lines)
    assert all(any(line == new for new in remaining) for line in old_lines)
    added = [
        line[1:].strip()
        for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0)
        if line.startswith("+") and not line.startswith("+++")
    ]
    assert (
        added
        == [
            "status: departed",
            "departed_on: 2026-11-30",
            "source: scim okta-users.json 2026-11-30",
        ]
        * 3
    )
    now = people(acme)
    assert {pid for pid, p in now.items() if p.get("departed_on") == dt.date(2026, 11, 30)} == (
        LEAVERS
    )
    result = run_lint(acme, as_of=dt.date(2026, 11, 30))
    orphaned = {ref.id for f in found(result, "SG202") for ref in f.related}
    still_in = {ref.id for f in found(result, "SG208") for ref in f.related}
    assert orphaned | {"mark-ellison"} >= LEAVERS and {"lucas-moreau", "sofia-martins"} <= orphaned
    assert still_in >= LEAVERS
    assert EntityRef("Tool", "sprout-social") in {f.entity for f in found(result, "SG208")}
    # a second run finds nothing left to do and writes nothing
    capsys.readouterr()
    assert run(acme, SCIM / "okta-users.json", "--update") == 0
    assert "0 marked departed, 0 added, 0 updated, 25 unchanged" in capsys.readouterr().out
    assert files(acme) == after


def test_without_update_nothing_is_written_and_the_difference_fails(
    acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(acme)
    assert run(acme, SCIM / "okta-users.json") == 1
    out = capsys.readouterr().out
    assert "3 would be marked departed" in out
    assert "Nothing written; run again with --update" in out
    assert files(acme) == before


def test_entra_id_matches_by_email_not_upn_and_skips_groups(
    acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entra ID's userName is the tenant's UPN; the address is in emails. Julia Novak's
    active is the text "False" (Entra ID has sent it so), and she is departed already."""
    before = files(acme)
    assert run(acme, SCIM / "entra-id-users.json", "--update") == 0
    captured = capsys.readouterr()
    assert "0 marked departed, 0 added, 0 updated, 25 unchanged" in captured.out
    assert captured.err == "$.Resources[5]: a Group resource, not a User; skipped\n"
    assert files(acme) == before


def test_google_workspace_list_adds_a_new_hire_to_the_people_file(
    acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(acme, SCIM / "google-workspace-users.json", "--update", "--employment", "part_time")
        == 0
    )
    captured = capsys.readouterr()
    assert (
        "+ zoe-adeyemi (Zoë Adeyemi <zoe.adeyemi@acme.example>): new, part-time, team customer-care"
        in captured.out
    )
    assert "1 new people have no employment type in the export" in captured.err
    staff = (acme / "people" / "staff.yaml").read_text("utf-8")
    assert staff.startswith("# Acme Corp employees who own, back up or govern a channel.")
    assert staff.rstrip().endswith(
        "  - id: zoe-adeyemi\n    name: Zoë Adeyemi\n    email: zoe.adeyemi@acme.example\n"
        "    team: customer-care\n    role: Social Care Agent\n    employment: part_time\n"
        "    source: scim google-workspace-users.json 2026-11-30"
    )
    assert run_lint(acme, as_of=dt.date(2026, 11, 30)).findings  # still lints (no new SG101)
    assert not found(run_lint(acme, as_of=dt.date(2026, 11, 30)), "SG101")


def test_onelogin_moves_a_team_and_marks_a_leaver(
    acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(acme, SCIM / "onelogin-users.json", "--update") == 0
    out = capsys.readouterr().out
    assert (
        "- nadia-petrova (Nadia Petrova <nadia.petrova@acme.example>): active -> departed on 2026-11-30"
        in out
    )
    assert (
        "~ felix-wagner (Felix Wagner <felix.wagner@acme.example>): team retail -> ecommerce" in out
    )
    now = people(acme)
    assert (now["felix-wagner"]["team"], now["nadia-petrova"]["status"]) == (
        "ecommerce",
        "departed",
    )


HR_CSV = """\
Employee ID,First Name,Last Name,Work Email,Department,Job Title,Employment Status,Termination Date,Worker Type
1001,Priya,Nair,priya.nair@acme.example,Brand & Marketing,Head of Brand,Active,,Full-Time
1002,Lucas,Moreau,Lucas.Moreau@ACME.example,Brand & Marketing,Social Media Manager,Terminated,15/11/2026,Full-Time
1003,Emma,Jansen,emma.jansen@acme.example,Brand & Marketing,Content & Video Lead,On Leave,,Full-Time
1004,Paula,Fischer,paula.fischer@acme.example,Legal,"Senior Counsel, Marketing & Privacy",Active,,Full-Time
1005,Tariq,Aziz,tariq.aziz@acme.example,Customer Care,Social Care Agent,Active,,Contractor
1006,Julia,Novak,julia.novak@acme.example,Community,Community Lead,Active,,Full-Time
1007,No,Address,,Retail,Clerk,Active,,Full-Time
1008,Omar,Haddad,omar.haddad@acme.example,Talent Acquisition,Head of Talent Acquisition,Terminated,2027-01-31,Full-Time
"""


def test_hr_csv_export_syncs_status_leave_and_dates(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "workday-export.csv"
    export.write_text(HR_CSV, "utf-8")
    assert run(acme, export, "--update") == 1  # a row without email and a rehire need a person
    captured = capsys.readouterr()
    assert (
        "- lucas-moreau (Lucas Moreau <lucas.moreau@acme.example>): active -> departed on 2026-11-15"
        in captured.out
    )
    assert "~ emma-jansen (Emma Jansen <emma.jansen@acme.example>): active -> leave" in captured.out
    assert (
        "~ paula-fischer (Paula Fischer <paula.fischer@acme.example>): leave -> active"
        in captured.out
    )
    assert (
        "+ tariq-aziz (Tariq Aziz <tariq.aziz@acme.example>): new, contractor, team customer-care"
        in captured.out
    )
    assert "! julia-novak (" in captured.out and "left as it is" in captured.out
    assert (
        "~ omar-haddad (Omar Haddad <omar.haddad@acme.example>): leaving on 2027-01-31 "
        "(still active)" in captured.out
    )
    assert "row 8: no email; skipped" in captured.err
    now = people(acme)
    assert now["lucas-moreau"]["departed_on"] == dt.date(2026, 11, 15)
    assert now["julia-novak"]["status"] == "departed"  # never changed back by an import
    assert now["tariq-aziz"]["employment"] == "contractor"
    # serving notice: the date is recorded, the status stays until the day comes
    assert (now["omar-haddad"].get("status"), now["omar-haddad"]["departed_on"]) == (
        None,
        dt.date(2027, 1, 31),
    )
    assert len(now) == 28  # nobody deleted


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "users.json",
            json.dumps({"users": [{"email": "a@acme.example"}]}),
            "not a SCIM export: $ has keys users; expected a SCIM 2.0 ListResponse",
        ),
        (
            "list.json",
            json.dumps([{"mail": "a@acme.example", "active": False}]),
            "not a SCIM export: $[0] is not a User resource",
        ),
        ("broken.json", '{"Resources": [', "broken.json:1:16: not valid JSON"),
        (
            "no-email.csv",
            "Name,Department\nJane Doe,Sales\n",
            "no-email.csv:1: no email column (the columns are 'Name', 'Department')",
        ),
        (
            "no-name.csv",
            "Email,Department\njane@acme.example,Sales\n",
            "no-name.csv:1: no name column (the columns are 'Email', 'Department'); add a 'Name' "
            "column, or 'First Name' and 'Last Name'",
        ),
    ],
)
def test_exports_that_cannot_be_read_are_clear_errors_and_write_nothing(
    acme: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    message: str,
) -> None:
    export = tmp_path / name
    export.write_text(text, "utf-8")
    before = files(acme)
    assert run(acme, export, "--update") == 2
    err = capsys.readouterr().err
    assert err.startswith("socialgov: error: ") and message in err
    assert "Traceback" not in err
    assert files(acme) == before


def test_a_user_without_an_email_is_reported_by_its_json_path(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((SCIM / "okta-users.json").read_text("utf-8"))
    del data["Resources"][2]["emails"]
    data["Resources"][2]["userName"] = "bcarter"
    export = tmp_path / "okta.json"
    export.write_text(json.dumps(data), "utf-8")
    assert run(acme, export) == 1
    err = capsys.readouterr().err
    assert (
        "$.Resources[2]: no email (emails[].value, or a userName that is an address); skipped"
        in err
    )


def test_a_repository_without_people_gets_a_new_people_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    (root / "socialgov.yaml").write_text("organisation: Fresh\n", "utf-8")
    assert run(root, SCIM / "onelogin-users.json", "--update") == 0
    written = yaml.safe_load((root / "people" / "people.yaml").read_text("utf-8"))["people"]
    assert len(written) == 22  # the 25 users but the three inactive ones
    assert all(p["source"] == f"scim onelogin-users.json {AS_OF}" for p in written)
    assert {p["employment"] for p in written} >= {"full_time", "contractor", "intern"}
    assert "wrote" in capsys.readouterr().out


def test_one_page_of_a_paged_list_response_is_reported(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads((SCIM / "okta-users.json").read_text("utf-8"))
    data["totalResults"], data["Resources"] = 240, data["Resources"][:10]
    export = tmp_path / "page-1.json"
    export.write_text(json.dumps(data), "utf-8")
    assert run(acme, export) == 1
    assert "$.totalResults: the export holds 10 of 240 resources" in capsys.readouterr().err


def test_the_people_file_must_be_inside_the_repository(
    acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(acme, SCIM / "okta-users.json", "--update", "--people", "../outside.yaml") == 2
    assert "--people ../outside.yaml: outside the repository" in capsys.readouterr().err
    assert not (acme.parent / "outside.yaml").exists()


def test_a_file_changed_meanwhile_stops_the_import_before_anything_is_written(
    acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leavers in two files (people/external.yaml, written first, and people/staff.yaml);
    someone edits the second while the import renders: neither file is written."""
    from socialgov.writing.writer import YamlFile

    data = json.loads((SCIM / "okta-users.json").read_text("utf-8"))
    for user in data["Resources"]:
        if user["userName"] == "nina.holm@acme.example":
            user["active"] = False
    export = tmp_path / "okta.json"
    export.write_text(json.dumps(data), "utf-8")
    external, staff = acme / "people" / "external.yaml", acme / "people" / "staff.yaml"
    render = YamlFile.render

    def render_while_someone_edits(self: YamlFile) -> str:
        text = render(self)
        if not staff.read_text("utf-8").endswith("# edited meanwhile\n"):
            staff.write_text(staff.read_text("utf-8") + "# edited meanwhile\n", "utf-8")
        return text

    monkeypatch.setattr(YamlFile, "render", render_while_someone_edits)
    before = external.read_text("utf-8")
    assert run(acme, export, "--update") == 2
    assert "staff.yaml: changed on disk since it was read" in capsys.readouterr().err
    assert external.read_text("utf-8") == before
    assert "status: departed" not in staff.read_text("utf-8").split("lucas-moreau", 1)[1][:200]
