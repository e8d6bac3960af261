"""Ownership rules SG201-SG207, each on an entity that fires and on its near misses."""

from __future__ import annotations

import datetime as dt

from conftest import MakeRepo, found, lint_and_model, run_lint
from socialgov.core.findings import EntityRef, Severity

PEOPLE = """\
people:
  - id: jdoe
    employment: full_time
  - id: asmith
    employment: full_time
  - id: gone
    employment: full_time
    status: departed
    departed_on: 2026-03-01
  - id: today
    employment: full_time
    departed_on: 2026-11-24
  - id: tomorrow
    employment: full_time
    departed_on: 2026-11-25
  - id: resting
    employment: full_time
    status: leave
  - id: temp
    employment: contractor
  - id: agency
    employment: agency
  - id: gone-temp
    employment: contractor
    status: departed
    departed_on: 2026-01-31
  - id: marked
    employment: full_time
    status: departed
    departed_on: 2027-01-31
"""


def person(person_id: str) -> EntityRef:
    return EntityRef("Person", person_id)


# --------------------------------------------------------------------------- SG201


def test_unowned_channels_are_one_finding_while_no_channel_names_an_owner(
    make_repo: MakeRepo,
) -> None:
    files = {
        "accounts.yaml": """\
        accounts:
          - {id: a, platform: x}
          - {id: b, platform: x, status: dormant}
          - {id: c, platform: x, status: retired}
        """,
        "channels.yaml": "kind: Channel\nid: phone\ntype: phone\n",
    }
    root = make_repo(files)
    [finding] = found(run_lint(root), "SG201")
    assert (finding.path, finding.line, finding.column, finding.entity) == (
        "socialgov.yaml",
        1,
        1,
        None,
    )
    assert finding.message.startswith(
        "No live channel in the repository names an owner yet, which leaves 3 live channels "
        "uncovered; first step: record the one accountable person"
    )
    # one owner anywhere, and each channel without one is its own finding again
    files["people.yaml"] = PEOPLE
    files["channels.yaml"] = "kind: Channel\nid: phone\ntype: phone\nowner: jdoe\n"
    root = make_repo(files)
    assert [f.entity.id for f in found(run_lint(root), "SG201") if f.entity] == ["a", "b"]


def test_unowned_channel_fires_on_the_entity_of_a_live_account_and_channel(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - id: no-owner
                platform: x
              - id: dormant-no-owner
                platform: x
                status: dormant
              - id: owned
                platform: x
                owner: jdoe
            """,
            "channels.yaml": """\
            kind: Channel
            id: phone
            type: phone
            """,
        }
    )
    findings = found(run_lint(root), "SG201")
    assert [(f.path, f.line, f.column, f.entity) for f in findings] == [
        ("accounts.yaml", 2, 5, EntityRef("Account", "no-owner")),
        ("accounts.yaml", 4, 5, EntityRef("Account", "dormant-no-owner")),
        ("channels.yaml", 1, 1, EntityRef("Channel", "phone")),
    ]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].message == (
        "Account no-owner (status active) has no owner; set owner to the id of the one Person "
        "accountable for it"
    )
    assert "Channel phone" in findings[2].message


def test_unowned_channel_skips_retired_planned_owned_and_unknown_owners(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - {id: old, platform: x, status: retired}
              - {id: soon, platform: x, status: planned}
              - {id: owned, platform: x, owner: jdoe}
              - {id: typo, platform: x, owner: jdoee}
            """,
        }
    )
    result = run_lint(root)
    assert found(result, "SG201") == []
    assert [f.entity for f in found(result, "SG104")] == [EntityRef("Account", "typo")]


# --------------------------------------------------------------------------- SG202


def test_orphan_account_points_at_the_owner_of_a_departed_person(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - id: acme-x
                platform: x
                owner: gone
            """,
        }
    )
    [finding] = found(run_lint(root), "SG202")
    assert (finding.line, finding.column) == (4, 12)
    assert finding.severity is Severity.ERROR
    assert finding.related == (person("gone"),)
    assert finding.message == (
        "Account acme-x is owned by gone, who departed on 2026-03-01; make an active full-time "
        "person its owner, or, if nobody needs it any more, retire it (status: retired, "
        "retired_on) and archive its records"
    )


def test_orphan_account_departure_day_boundaries_and_status(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - {id: on-the-day, platform: x, owner: today}
              - {id: day-after, platform: x, owner: tomorrow}
              - {id: on-leave, platform: x, owner: resting}
              - {id: status-says, platform: x, owner: marked}
              - {id: archived, platform: x, owner: gone, status: retired}
              - {id: future, platform: x, owner: gone, status: planned}
            """,
            "channels.yaml": """\
            channels:
              - {id: phone, type: phone, owner: gone}
            """,
        }
    )
    findings = found(run_lint(root), "SG202")
    assert [f.entity.id for f in findings if f.entity] == ["on-the-day", "status-says", "phone"]
    assert "who departed on 2026-11-24" in findings[0].message
    assert "who has status departed" in findings[1].message


def test_orphan_account_names_the_configured_accountable_employment(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": "accounts:\n  - {id: acme-x, platform: x, owner: gone}\n",
        },
        config="options:\n  accountable_employment: [full_time, part_time]\n",
    )
    [finding] = found(run_lint(root), "SG202")
    assert "make an active full-time or part-time person its owner, or" in finding.message


def test_orphan_account_advises_retiring_an_idle_presence_first(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - {id: quiet, platform: x, owner: gone, status: dormant}
              - {id: resting, platform: x, owner: gone, status: dormant}
              - {id: busy, platform: x, owner: gone, last_activity: 2026-11-20}
            """,
        }
    )
    messages = {f.entity.id: f.message for f in found(run_lint(root), "SG202") if f.entity}
    idle = (
        "it is no longer active, so retire it (status: retired, retired_on) and archive its "
        "records, or make an active full-time person its owner"
    )
    assert messages["quiet"].endswith(idle) and messages["resting"].endswith(idle)
    assert messages["busy"].endswith(
        "make an active full-time person its owner, or, if nobody needs it any more, retire it "
        "(status: retired, retired_on) and archive its records"
    )


# --------------------------------------------------------------------------- SG203


def test_no_backup_owner_fires_when_missing_or_departed(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - id: alone
                platform: x
                owner: jdoe
              - id: backup-gone
                platform: x
                owner: jdoe
                backup_owner: today
            """,
        }
    )
    findings = found(run_lint(root), "SG203")
    assert [(f.line, f.column, f.related) for f in findings] == [
        (2, 5, ()),
        (8, 19, (person("today"),)),
    ]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message == (
        "Account alone has no backup_owner; set backup_owner to an active person who can stand "
        "in for jdoe when they are away"
    )
    assert findings[1].message == (
        "Account backup-gone's backup_owner today departed on 2026-11-24; make an active person "
        "its backup_owner"
    )


def test_no_backup_owner_near_misses(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - {id: fine, platform: x, owner: jdoe, backup_owner: asmith}
              - {id: leaves-tomorrow, platform: x, owner: jdoe, backup_owner: tomorrow}
              - {id: old, platform: x, owner: jdoe, status: retired}
              - {id: soon, platform: x, status: planned}
              - {id: typo, platform: x, owner: jdoe, backup_owner: asmit}
            """,
        }
    )
    assert found(run_lint(root), "SG203") == []


# --------------------------------------------------------------------------- SG204


def test_backup_same_as_owner_points_at_backup_owner_whatever_the_status(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - id: acme-x
                platform: x
                owner: jdoe
                backup_owner: jdoe
              - {id: old, platform: x, owner: asmith, backup_owner: asmith, status: retired}
              - {id: fine, platform: x, owner: jdoe, backup_owner: asmith}
              - {id: no-owner, platform: x}
            """,
        }
    )
    findings = found(run_lint(root), "SG204")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("acme-x", 5, 19),
        ("old", 6, 57),
    ]
    assert findings[0].related == (person("jdoe"),)
    assert findings[0].message == (
        "Account acme-x has jdoe as both owner and backup_owner; make another active person its "
        "backup_owner"
    )


# --------------------------------------------------------------------------- SG205


def test_unaccountable_owner_fires_on_the_owner_field(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - id: acme-x
                platform: x
                owner: temp
            """,
            "channels.yaml": "channels:\n  - {id: chat, type: chat, owner: agency}\n",
        }
    )
    findings = found(run_lint(root), "SG205")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("acme-x", 4, 12),
        ("chat", 2, 35),
    ]
    assert findings[0].related == (person("temp"),)
    assert findings[0].message == (
        "Account acme-x is owned by temp, whose employment is contractor, not one "
        "accountable_employment allows (full_time); make an active full-time person its owner "
        "(temp can keep running it day to day)"
    )


def test_unaccountable_owner_near_misses(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - {id: staff, platform: x, owner: jdoe}
              - {id: old, platform: x, owner: temp, status: retired}
              - {id: soon, platform: x, owner: temp, status: planned}
              - {id: left, platform: x, owner: gone-temp}
            """,
        }
    )
    result = run_lint(root)
    assert found(result, "SG205") == []
    assert [f.entity.id for f in found(result, "SG202") if f.entity] == ["left"]


def test_unaccountable_owner_reads_accountable_employment(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - {id: by-contractor, platform: x, owner: temp}
              - {id: by-staff, platform: x, owner: jdoe}
              - {id: by-agency, platform: x, owner: agency}
            """,
        },
        config="options:\n  accountable_employment: [contractor]\n",
    )
    findings = found(run_lint(root), "SG205")
    assert [f.entity.id for f in findings if f.entity] == ["by-staff", "by-agency"]
    assert "not one accountable_employment allows (contractor)" in findings[0].message
    assert "make an active contractor person its owner" in findings[0].message


def test_unaccountable_owner_judges_each_channel_of_a_shared_owner(make_repo: MakeRepo) -> None:
    # Owners shared by many channels, interleaved, with channels naming nobody or nobody known:
    # every channel of an unaccountable owner has its own finding, in the channels' order.
    accounts = "".join(
        f"  - {{id: a{i}, platform: x, owner: {owner}}}\n"
        for i, owner in enumerate(["temp", "jdoe", "temp", "nobody", "agency", "temp", "jdoe"])
    )
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": "accounts:\n" + accounts + "  - {id: unowned, platform: x}\n",
            "channels.yaml": "channels:\n  - {id: chat, type: chat, owner: temp}\n",
        }
    )
    findings = found(run_lint(root), "SG205")
    assert [f.entity.id for f in findings if f.entity] == ["a0", "a2", "a4", "a5", "chat"]
    assert [f.related for f in findings] == [
        (person("temp"),),
        (person("temp"),),
        (person("agency"),),
        (person("temp"),),
        (person("temp"),),
    ]


# --------------------------------------------------------------------------- SG206


def test_team_without_lead_fires_for_no_lead_and_a_departed_lead(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "teams.yaml": """\
            teams:
              - id: care
                function: service
              - id: sales
                function: sales
                lead: gone
              - {id: pr, function: pr, lead: jdoe}
              - {id: it, function: it, lead: tomorrow}
              - {id: hr, function: hr, lead: resting}
            """,
        }
    )
    findings = found(run_lint(root), "SG206")
    assert [(f.entity.id, f.line, f.column, f.related) for f in findings if f.entity] == [
        ("care", 2, 5, ()),
        ("sales", 6, 11, (person("gone"),)),
    ]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message == (
        "Team care has no lead; set lead to the active person who answers for the team"
    )
    assert findings[1].message == (
        "Team sales's lead gone departed on 2026-03-01; make an active person its lead"
    )


# --------------------------------------------------------------------------- SG207


def _owned(count: int, owner: str = "jdoe", status: str = "active", start: int = 0) -> str:
    return "".join(
        f"  - {{id: a{i}, platform: other, owner: {owner}, status: {status}}}\n"
        for i in range(start, start + count)
    )


def test_owner_overloaded_counts_live_accounts_and_channels(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": "accounts:\n" + _owned(14) + _owned(3, status="retired", start=14),
            "channels.yaml": "channels:\n  - {id: phone, type: phone, owner: jdoe}\n"
            "  - {id: chat, type: chat, owner: jdoe, status: dormant}\n",
        }
    )
    [finding] = found(run_lint(root), "SG207")
    assert finding.severity is Severity.INFO
    assert (finding.path, finding.line, finding.column) == ("people.yaml", 2, 5)
    assert finding.entity == person("jdoe")
    assert len(finding.related) == 16
    assert EntityRef("Channel", "phone") in finding.related
    assert EntityRef("Account", "a14") not in finding.related
    assert finding.message.startswith("jdoe owns 16 live channels (a0, a1, ")
    assert finding.message.endswith(
        "and 6 more), more than max_channels_per_owner (15); hand some to other owners or "
        "retire the ones nobody needs"
    )


def test_owner_overloaded_stays_quiet_at_the_limit(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": "accounts:\n" + _owned(15) + _owned(2, status="planned", start=15),
        }
    )
    assert found(run_lint(root), "SG207") == []


def test_owner_overloaded_reads_max_channels_per_owner(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"people.yaml": PEOPLE, "accounts.yaml": "accounts:\n" + _owned(3)},
        config="options:\n  max_channels_per_owner: 2\n",
    )
    [finding] = found(run_lint(root), "SG207")
    assert "jdoe owns 3 live channels (a0, a1 and a2), more than max_channels_per_owner (2)" in (
        finding.message
    )


def test_ownership_dates_follow_as_of(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": "accounts:\n  - {id: acme-x, platform: x, owner: tomorrow}\n",
        }
    )
    assert found(run_lint(root), "SG202") == []
    assert len(found(run_lint(root, as_of=dt.date(2026, 11, 25)), "SG202")) == 1


# --------------------------------------------------------------------------- SG214


def test_team_parent_cycle_is_one_finding_per_cycle_on_its_smallest_team(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "teams.yaml": """\
                teams:
                  - {id: org, name: Organisation}
                  - {id: comms, parent: org}
                  - {id: social, parent: comms}
                  - {id: zeta, parent: beta}
                  - {id: beta, parent: gamma}
                  - {id: gamma, parent: zeta}
                  - {id: self, parent: self}
                  - {id: under-loop, parent: beta}
                  - {id: dangling, parent: nowhere}
            """
        }
    )
    result = run_lint(root)
    findings = found(result, "SG214")
    assert [(f.entity, f.severity) for f in findings] == [
        (EntityRef("Team", "beta"), Severity.ERROR),
        (EntityRef("Team", "self"), Severity.ERROR),
    ]
    assert "beta -> gamma -> zeta -> beta" in findings[0].message
    assert [r.id for r in findings[0].related] == ["gamma", "zeta"]
    assert (findings[0].line, findings[0].column) == (6, 24)  # beta's parent value
    # a parent naming no team is an unknown reference, not a cycle
    assert [f.entity for f in found(result, "SG104")] == [EntityRef("Team", "dangling")]


def test_departed_owners_backups_leads_and_access_as_each_person_says(make_repo: MakeRepo) -> None:
    # The rules look people up among those departed by the run's date (derived once per run):
    # each finding names exactly the people Person.departed calls gone on that date, whether
    # they left by status, by date before, on or after it, or not at all, and nobody for ids
    # naming no one.
    people = ["jdoe", "gone", "today", "tomorrow", "resting", "marked", "gone-temp", "ghost"]
    accounts = "\n".join(
        f"  - {{id: a{i}, platform: x, owner: {owner}, backup_owner: {backup}, "
        f"access: [{{person: {access}, role: admin}}]}}"
        for i, (owner, backup, access) in enumerate(
            zip(people, reversed(people), people[3:] + people[:3], strict=True)
        )
    )
    teams = "\n".join(f"  - {{id: t-{person}, lead: {person}}}" for person in people)
    root = make_repo(
        {"people.yaml": PEOPLE, "rest.yaml": f"teams:\n{teams}\naccounts:\n{accounts}\n"}
    )
    for as_of in (
        dt.date(2026, 2, 1),
        dt.date(2026, 11, 24),
        dt.date(2026, 11, 25),
        dt.date(2027, 6, 1),
    ):
        result, model = lint_and_model(
            root, as_of=as_of, select=["SG202", "SG203", "SG206", "SG208"]
        )
        gone = {p.id for p in model.people if p.departed(as_of)}
        assert gone, as_of
        named = {
            (f.code, f.entity.id if f.entity else None, f.related[0].id)
            for f in result.findings
            if f.related
        }
        expected = set()
        for account in model.accounts:
            if account.owner in gone:
                expected.add(("SG202", account.id, account.owner))
            if account.backup_owner in gone:
                expected.add(("SG203", account.id, account.backup_owner))
            for entry in account.access:
                if entry.person in gone:
                    expected.add(("SG208", account.id, entry.person))
        for team in model.teams:
            if team.lead in gone:
                expected.add(("SG206", team.id, team.lead))
        assert named == expected, as_of
