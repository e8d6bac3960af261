"""Lifecycle rules SG208-SG213, SG506, SG507 and SG703, each on entities that fire and on their
near misses, with the position of every finding; and the references of the new fields (SG104)."""

from __future__ import annotations

from conftest import MakeRepo, codes, found, run_lint
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
  - id: leaving-today
    employment: full_time
    departed_on: 2026-11-24
  - id: leaving-later
    employment: full_time
    departed_on: 2026-12-31
"""

TOOLS = """\
tools:
  - id: hootsuite
    category: publishing
    security: {mfa: true, audit_log: true}
    access:
      - {person: jdoe, role: admin}
      - {person: gone, role: editor}
  - id: pagefreezer
    category: archiving
    security: {mfa: true, audit_log: true}
"""


def person(person_id: str) -> EntityRef:
    return EntityRef("Person", person_id)


# --------------------------------------------------------------------------- SG208


def test_departed_access_points_at_each_leavers_entry(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "tools.yaml": TOOLS,
            "accounts.yaml": """\
            accounts:
              - id: acme-x
                platform: x
                owner: jdoe
                access:
                  - {person: jdoe, role: admin, via: native}
                  - {person: gone, role: admin, via: hootsuite}
                  - {person: leaving-today, role: editor, via: native}
                  - {person: leaving-later, role: editor}
              - id: closed
                platform: x
                status: retired
                retired_on: 2026-01-01
                access: [{person: gone, role: admin}]
            channels:
              - id: phone
                type: phone
                access:
                  - person: gone
                    role: agency
            """,
        }
    )
    findings = found(run_lint(root), "SG208")
    assert [(f.entity, f.path, f.line, f.column) for f in findings] == [
        (EntityRef("Account", "acme-x"), "accounts.yaml", 7, 18),
        (EntityRef("Account", "acme-x"), "accounts.yaml", 8, 18),
        (EntityRef("Channel", "phone"), "accounts.yaml", 19, 17),
        (EntityRef("Tool", "hootsuite"), "tools.yaml", 7, 18),
    ]
    assert all(f.severity is Severity.ERROR for f in findings)
    assert [f.related for f in findings] == [
        (person("gone"),),
        (person("leaving-today"),),
        (person("gone"),),
        (person("gone"),),
    ]
    assert findings[0].message == (
        "Account acme-x: access lists gone (admin, via hootsuite), who departed on 2026-03-01, "
        "so a leaver can still log in; revoke their login in hootsuite and on the platform, "
        "then remove the entry"
    )
    assert "on the platform's own login" in findings[1].message
    assert findings[3].message.startswith("Tool hootsuite: access lists gone (editor)")
    assert "remove their login to hootsuite" in findings[3].message


def test_departed_access_is_quiet_when_everyone_listed_is_here(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - id: acme-x
                platform: x
                access: [{person: jdoe, role: admin}, {person: leaving-later, role: admin}]
            """,
        }
    )
    assert "SG208" not in codes(run_lint(root))


def test_unknown_people_and_tools_in_the_new_fields_are_sg104(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "tools.yaml": TOOLS,
            "accounts.yaml": """\
            accounts:
              - id: acme-x
                platform: x
                approved_by: nobody
                managed_via: [hootsuite, sprout]
                access:
                  - {person: jdo, role: admin, via: native}
                  - {person: jdoe, role: admin, via: hootsuit}
                archive: {tool: pagefreezr, location: records}
                monitoring: [Brandwatch, hootsuite]
            """,
            "more-tools.yaml": """\
            kind: Tool
            id: brandwatch
            category: listening
            owner: marketing
            access: [{person: ghost, role: analyst}]
            """,
        }
    )
    messages = [(f.path, f.line, f.message) for f in found(run_lint(root), "SG104")]
    assert messages == [
        (
            "accounts.yaml",
            4,
            "Account acme-x: approved_by names Person 'nobody', which does not exist; add that "
            "Person or correct the id",
        ),
        (
            "accounts.yaml",
            5,
            "Account acme-x: managed_via[1] names Tool 'sprout', which does not exist; add that "
            "Tool or correct the id",
        ),
        (
            "accounts.yaml",
            7,
            "Account acme-x: access[0].person names Person 'jdo', which does not exist; did you "
            "mean 'jdoe'?",
        ),
        (
            "accounts.yaml",
            8,
            "Account acme-x: access[1].via names Tool 'hootsuit', which does not exist; did you "
            "mean 'hootsuite'?",
        ),
        (
            "accounts.yaml",
            9,
            "Account acme-x: archive.tool names Tool 'pagefreezr', which does not exist; did you "
            "mean 'pagefreezer'?",
        ),
        (
            "more-tools.yaml",
            4,
            "Tool brandwatch: owner names Person or Team 'marketing', which does not exist; add "
            "that Person or Team or correct the id",
        ),
        (
            "more-tools.yaml",
            5,
            "Tool brandwatch: access[0].person names Person 'ghost', which does not exist; add "
            "that Person or correct the id",
        ),
    ]


# --------------------------------------------------------------------------- SG209

DOMAINS = "organisation: Test\norganisation_domains: [acme.example]\n"


def test_personal_login_fires_outside_the_organisation_domains(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: private, platform: x, login_email: jane.doe@gmail.com}
              - {id: shared, platform: x, login_email: social@acme.example}
              - {id: upper, platform: x, login_email: Social@ACME.example}
              - {id: sub, platform: x, login_email: team@comms.acme.example}
              - {id: lookalike, platform: x, login_email: team@notacme.example}
              - {id: unknown, platform: x}
              - {id: closed, platform: x, status: retired, login_email: a@gmail.com}
            """,
        },
        config=DOMAINS,
    )
    findings = found(run_lint(root), "SG209")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("private", 2, 45),
        ("lookalike", 6, 47),
    ]
    assert findings[0].message == (
        "Account private's login is registered to jane.doe@gmail.com, which is not on the "
        "organisation's domains (acme.example); move the login to a shared address on one of "
        "them so it survives whoever holds it"
    )


def test_personal_login_needs_the_organisation_domains(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"accounts.yaml": "accounts:\n  - {id: a, platform: x, login_email: j@gmail.com}\n"}
    )
    assert "SG209" not in codes(run_lint(root))


# --------------------------------------------------------------------------- SG210


def test_too_few_admins_counts_active_distinct_admins(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - id: two
                platform: x
                access:
                  - {person: jdoe, role: admin}
                  - {person: asmith, role: admin, via: native}
              - id: one-and-a-leaver
                platform: x
                access:
                  - {person: jdoe, role: admin}
                  - {person: gone, role: admin}
              - id: twice-the-same
                platform: x
                owner: jdoe
                access:
                  - {person: jdoe, role: admin}
                  - {person: jdoe, role: admin, via: native}
                  - {person: asmith, role: editor}
              - id: none-recorded
                platform: x
              - id: retired
                platform: x
                status: retired
                retired_on: 2026-01-01
            """,
        }
    )
    findings = found(run_lint(root), "SG210")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("one-and-a-leaver", 10, 7),
        ("twice-the-same", 16, 7),
        ("none-recorded", 19, 5),
    ]
    assert findings[0].message == (
        "Account one-and-a-leaver has 1 active admin (jdoe), fewer than min_admins (2); give "
        "another active person admin rights on the platform and list them in access with role "
        "admin"
    )
    assert "records no access, so no admin is known" in findings[2].message


def test_too_few_admins_counts_only_people_who_exist_and_have_not_departed(
    make_repo: MakeRepo,
) -> None:
    """An admin counts when the id names a Person who has not departed by as-of: not an id
    naming nobody, nor someone departed by status or by a date on or before as-of; someone
    leaving after as-of still counts."""
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "accounts.yaml": """\
            accounts:
              - id: with-nobody
                platform: x
                access: [{person: jdoe, role: admin}, {person: nobody, role: admin}]
              - id: with-one-leaving-today
                platform: x
                access: [{person: jdoe, role: admin}, {person: leaving-today, role: admin}]
              - id: with-one-leaving-later
                platform: x
                access: [{person: jdoe, role: admin}, {person: leaving-later, role: admin}]
              - id: with-one-gone
                platform: x
                access: [{person: gone, role: admin}, {person: asmith, role: admin}]
            """,
        }
    )
    findings = found(run_lint(root), "SG210")
    assert [f.entity.id for f in findings if f.entity] == [
        "with-nobody",
        "with-one-leaving-today",
        "with-one-gone",
    ]
    assert [f.message.split(", fewer")[0] for f in findings] == [
        "Account with-nobody has 1 active admin (jdoe)",
        "Account with-one-leaving-today has 1 active admin (jdoe)",
        "Account with-one-gone has 1 active admin (asmith)",
    ]


def test_too_few_admins_waits_until_access_is_recorded_and_honours_min_admins(
    make_repo: MakeRepo,
) -> None:
    files = {"people.yaml": PEOPLE, "accounts.yaml": "accounts:\n  - {id: a, platform: x}\n"}
    assert "SG210" not in codes(run_lint(make_repo(files)))
    files["accounts.yaml"] = (
        "accounts:\n  - {id: a, platform: x, access: [{person: jdoe, role: admin}]}\n"
    )
    root = make_repo(files, config="organisation: T\noptions: {min_admins: 1}\n")
    assert "SG210" not in codes(run_lint(root))


# --------------------------------------------------------------------------- SG211


def test_review_overdue_counts_from_the_right_date(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: reviewed-late, platform: x, registered_on: 2026-01-01, reviewed_on: 2025-11-23}
              - {id: boundary, platform: x, reviewed_on: 2025-11-24}
              - {id: registered-only, platform: x, registered_on: 2024-02-29}
              - {id: created-only, platform: x, created: 2020-01-01}
              - {id: recent-review, platform: x, created: 2010-01-01, reviewed_on: 2026-01-01}
              - {id: no-date, platform: x}
              - {id: retired, platform: x, status: retired, retired_on: 2026-01-01, created: 2010-01-01}
            channels:
              - {id: phone, type: phone, reviewed_on: 2024-11-01}
            """,
        }
    )
    findings = found(run_lint(root), "SG211")
    assert [(f.entity, f.line, f.column) for f in findings] == [
        (EntityRef("Account", "reviewed-late"), 2, 78),
        (EntityRef("Account", "registered-only"), 4, 55),
        (EntityRef("Account", "created-only"), 5, 46),
        (EntityRef("Channel", "phone"), 10, 43),
    ]
    assert findings[0].message == (
        "Account reviewed-late was last reviewed on 2025-11-23, 366 days before as-of, more than "
        "review_interval_days (365); have its owner confirm it is still needed and that owner, "
        "access and details are right, then set reviewed_on"
    )
    assert findings[1].message.startswith(
        "Account registered-only has never been reviewed (registered on 2024-02-29)"
    )
    assert "(created on 2020-01-01)" in findings[2].message


def test_review_overdue_waits_for_a_register_before_counting_from_created(
    make_repo: MakeRepo,
) -> None:
    files = {"accounts.yaml": "accounts:\n  - {id: old, platform: x, created: 2010-01-01}\n"}
    assert "SG211" not in codes(run_lint(make_repo(files)))
    files["accounts.yaml"] += "  - {id: new, platform: x, registered_on: 2026-10-01}\n"
    assert [f.entity.id for f in found(run_lint(make_repo(files)), "SG211") if f.entity] == ["old"]
    root = make_repo(
        {
            "accounts.yaml": "accounts:\n  - {id: old, platform: x, created: 2010-01-01}\n"
            "  - {id: odd, platform: x, status: planned, reviewed_on: 2026-10-01}\n"
        }
    )
    assert "SG211" not in codes(run_lint(root))


# --------------------------------------------------------------------------- SG212 and SG213


def test_retired_without_record_wants_the_date_and_the_archive_when_required(
    make_repo: MakeRepo,
) -> None:
    files = {
        "tools.yaml": TOOLS,
        "accounts.yaml": """\
        accounts:
          - id: no-date
            platform: x
            status: retired
          - id: dated
            platform: x
            status: retired
            retired_on: 2025-09-30
          - id: recorded
            platform: x
            status: retired
            retired_on: 2025-09-30
            archive: {tool: pagefreezer, location: records://x, last_capture: 2025-09-30}
        """,
    }
    findings = found(run_lint(make_repo(files)), "SG212")
    assert [(f.entity.id, f.line, f.column, f.key) for f in findings if f.entity] == [
        ("no-date", 4, 13, "retired_on"),
    ]
    assert findings[0].message == (
        "Account no-date is retired but has no retired_on; set retired_on to the day it was closed"
    )
    root = make_repo(files, config="organisation: T\noptions: {require_archive: true}\n")
    findings = found(run_lint(root), "SG212")
    assert [(f.entity.id, f.key) for f in findings if f.entity] == [
        ("no-date", "archive"),
        ("no-date", "retired_on"),
        ("dated", "archive"),
    ]


def test_archive_stale_only_with_require_archive(make_repo: MakeRepo) -> None:
    files = {
        "tools.yaml": TOOLS,
        "accounts.yaml": """\
        accounts:
          - {id: none, platform: x}
          - {id: fresh, platform: x, archive: {tool: pagefreezer, last_capture: 2026-10-25}}
          - {id: stale, platform: x, archive: {tool: pagefreezer, last_capture: 2026-10-24}}
          - {id: undated, platform: x, archive: {tool: pagefreezer}}
          - {id: closed, platform: x, status: retired, retired_on: 2025-01-01, archive: {}}
        """,
    }
    assert "SG213" not in codes(run_lint(make_repo(files)))
    root = make_repo(files, config="organisation: T\noptions: {require_archive: true}\n")
    findings = found(run_lint(root), "SG213")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("none", 2, 5),
        ("stale", 4, 73),
        ("undated", 5, 41),
    ]
    assert findings[1].message == (
        "Account stale's archive was last captured on 2026-10-24, 31 days before as-of, more "
        "than archive_max_age_days (30); capture it again (or fix the capture that stopped) and "
        "update last_capture"
    )


# --------------------------------------------------------------------------- SG506 and SG507

COMPROMISE = """\
teams:
  - {id: it-security, function: it}
playbooks:
  - id: compromise
    applies_to: {kind: Account, where: {purpose: service}}
    end: Logins are back in our hands
    last_exercised: 2026-05-01
    handoffs:
      - scenario: account_compromise
        trigger: A post we did not write
        to: it-security
        before: Stop scheduled posts
        expect: Lock the account and reset every login
  - id: crisis-only
    end: Mentions are back to normal
    handoffs: [{scenario: crisis, to: it-security}]
"""


def test_no_compromise_path_fires_on_uncovered_live_accounts(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "playbooks.yaml": COMPROMISE,
            "accounts.yaml": """\
            accounts:
              - {id: care, platform: x, purpose: service}
              - {id: listed, platform: x, playbooks: [compromise]}
              - {id: crisis, platform: x, playbooks: [crisis-only]}
              - {id: bare, platform: x}
              - {id: planned, platform: x, status: planned}
            """,
        }
    )
    findings = found(run_lint(root), "SG506")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("crisis", 4, 42),
        ("bare", 5, 5),
    ]
    assert findings[0].related == (EntityRef("Playbook", "crisis-only"),)
    assert findings[0].message == (
        "Account crisis has no plan for a hijacked or locked login: none of its playbooks "
        "(crisis-only) has an account_compromise handoff; cover it with a playbook that has a "
        "handoff with scenario account_compromise"
    )
    assert "no playbook covers it" in findings[1].message


def test_no_compromise_path_is_one_finding_while_no_playbook_plans_for_it(
    make_repo: MakeRepo,
) -> None:
    accounts = "accounts:\n" + "".join(f"  - {{id: a{i}, platform: x}}\n" for i in range(30))
    crisis_only = "playbooks:\n  - {id: crisis-only, end: Done, last_exercised: 2026-05-01}\n"
    root = make_repo({"accounts.yaml": accounts, "playbooks.yaml": crisis_only})
    [finding] = found(run_lint(root), "SG506")
    assert (finding.entity, finding.path, finding.line) == (
        EntityRef("Playbook", "crisis-only"),
        "playbooks.yaml",
        2,
    )
    assert finding.message.startswith(
        "No playbook has a handoff with scenario account_compromise, so none of the 30 live "
        "Accounts has a plan for a hijacked or locked login; add one here"
    )
    [finding] = found(
        run_lint(make_repo({"accounts.yaml": accounts, "playbooks.yaml": "playbooks: []\n"})),
        "SG506",
    )
    assert finding.entity == EntityRef("Account", "a0")
    assert finding.message.startswith("No playbook exists, so none of the 30 live Accounts")


def test_playbook_not_exercised(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "playbooks.yaml": COMPROMISE
            + "  - {id: old, end: Done, last_exercised: 2025-11-23}\n"
            + "  - {id: boundary, end: Done, last_exercised: 2025-11-24}\n",
        },
        config="organisation: T\n",
    )
    findings = found(run_lint(root), "SG507")
    assert [(f.entity.id, f.line, f.column) for f in findings if f.entity] == [
        ("crisis-only", 14, 5),
        ("old", 17, 42),
    ]
    assert all(f.severity is Severity.INFO for f in findings)
    assert findings[0].message.startswith("Playbook crisis-only has never been exercised")
    root = make_repo({"playbooks.yaml": COMPROMISE}, config="options: {drill_interval_days: 100}\n")
    assert [f.entity.id for f in found(run_lint(root), "SG507") if f.entity] == [
        "compromise",
        "crisis-only",
    ]


# --------------------------------------------------------------------------- SG703


def test_tool_insecure_reports_each_missing_control(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "tools.yaml": """\
            tools:
              - id: publisher
                category: publishing
                security: {mfa: false}
              - id: archiver
                category: archiving
              - id: listener
                category: listening
              - id: good
                category: publishing
                security: {mfa: true, audit_log: true}
            """,
        }
    )
    findings = found(run_lint(root), "SG703")
    assert [(f.entity.id, f.key, f.line, f.column) for f in findings if f.entity] == [
        ("publisher", "security.audit_log", 4, 15),
        ("publisher", "security.mfa", 4, 21),
        ("archiver", "security.audit_log", 5, 5),
        ("archiver", "security.mfa", 5, 5),
    ]
    assert findings[1].message == (
        "Tool publisher (publishing) has no multi-factor authentication: security.mfa is false; "
        "require multi-factor authentication for every login and set security.mfa: true"
    )
    assert "security.audit_log is not recorded" in findings[0].message


def test_a_tool_is_a_kind_with_a_schema_and_a_collection_key(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "tools.yaml": """\
            tools:
              - id: publisher
                category: publishing
                colour: blue
                security: {mfa: true, audit_log: true}
                access: [{person: jdoe, role: admin, via: native}]
            """,
            "people.yaml": PEOPLE,
        }
    )
    messages = [f.message for f in found(run_lint(root), "SG101")]
    assert len(messages) == 2
    assert "colour" in messages[0] and "via" in messages[1]
