"""The rules-as-code engine: Rules written in YAML run beside the built-in rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import AS_OF, MakeRepo, run_lint
from socialgov.core.findings import EntityRef, Severity
from socialgov.lang.selectors import MISSING
from socialgov.model import Account, Model, Source
from socialgov.pipeline import available_rules
from socialgov.report.result import LintResult
from socialgov.rules.base import RuleContext
from socialgov.rules.custom import compile_rule
from socialgov.source.loader import Document, SourceMap

SPEC_RULE = """\
kind: Rule
id: service-hours-everywhere
code: ACME001                 # shown like SG codes; must not start with SG
severity: error
description: Every service channel states the same service hours
select:
  kind: [Account, Channel]
  where: {purpose: service, status: {not_in: [retired, planned]}}
assert:
  same: terms.service_hours   # a group assertion: one value across everything selected
message: "{kind} {id} states service hours '{value}', others state {others}"
"""

CHANNELS = """\
accounts:
  - {id: x1, platform: x, purpose: service, terms: {service_hours: "9-5"}}
  - {id: x2, platform: x, purpose: service, terms: {service_hours: "9-5"}}
  - {id: x3, platform: x, purpose: service, terms: {service_hours: "24/7"}}
  - {id: old, platform: x, purpose: service, status: retired, terms: {service_hours: "1-2"}}
  - {id: quiet, platform: x, purpose: service}
channels:
  - {id: phone, type: phone, purpose: marketing, terms: {service_hours: "8-8"}}
"""


def custom(result: LintResult, code: str = "ACME001") -> list:
    return [f for f in result.findings if f.code == code]


def lint_files(make_repo: MakeRepo, files: dict[str, str], **overrides: object) -> LintResult:
    return run_lint(make_repo(files), **overrides)


# ----------------------------------------------------------------------------- the SPEC's rule


def test_spec_example_rule_reports_the_odd_one_out(make_repo: MakeRepo) -> None:
    result = lint_files(make_repo, {"rules/hours.yaml": SPEC_RULE, "channels.yaml": CHANNELS})
    [finding] = custom(result)
    assert finding.message == (
        "Account x3 states service hours '24/7', others state '9-5' (Account x1, Account x2)"
    )
    assert finding.name == "service-hours-everywhere"
    assert finding.severity is Severity.ERROR
    assert finding.entity == EntityRef("Account", "x3")
    assert set(finding.related) == {EntityRef("Account", "x1"), EntityRef("Account", "x2")}
    # at the value of terms.service_hours on line 4
    assert (finding.path, finding.line) == ("channels.yaml", 4)
    assert finding.column == CHANNELS.splitlines()[3].index('"24/7"') + 1


def test_same_with_a_tie_reports_every_entity(make_repo: MakeRepo) -> None:
    files = {
        "rules/hours.yaml": SPEC_RULE,
        "c.yaml": """\
            accounts:
              - {id: a, platform: x, purpose: service, terms: {service_hours: "9-5"}}
              - {id: b, platform: x, purpose: service, terms: {service_hours: "24/7"}}
            """,
    }
    result = lint_files(make_repo, files)
    assert sorted(f.entity.id for f in custom(result)) == ["a", "b"]
    messages = {f.entity.id: f.message for f in custom(result)}
    assert messages["a"].endswith("others state '24/7' (Account b)")


def test_same_passes_when_everyone_agrees(make_repo: MakeRepo) -> None:
    files = {
        "rules/hours.yaml": SPEC_RULE,
        "c.yaml": """\
            accounts:
              - {id: a, platform: x, purpose: service, terms: {service_hours: "9-5"}}
              - {id: b, platform: x, purpose: service, terms: {service_hours: "9-5"}}
              - {id: c, platform: x, purpose: service}
            """,
    }
    assert custom(lint_files(make_repo, files)) == []


def test_custom_rules_are_selected_ignored_and_overridden_like_builtins(
    make_repo: MakeRepo,
) -> None:
    root = make_repo({"rules/hours.yaml": SPEC_RULE, "channels.yaml": CHANNELS})
    assert custom(run_lint(root, select=("ACME001",)))
    assert custom(run_lint(root, select=("service-hours-everywhere",)))
    assert custom(run_lint(root, select=("ACME",)))  # a code prefix
    assert not custom(run_lint(root, ignore=("ACME001",)))
    assert {f.code for f in run_lint(root, select=("ACME001",)).findings} == {"ACME001"}
    overridden = run_lint(root, severity={"ACME001": Severity.INFO})
    assert [f.severity for f in custom(overridden)] == [Severity.INFO]


def test_waivers_suppress_custom_findings(make_repo: MakeRepo) -> None:
    files = {
        "rules/hours.yaml": SPEC_RULE,
        "c.yaml": """\
            accounts:
              - {id: a, platform: x, purpose: service, terms: {service_hours: "9-5"}}
              - {id: b, platform: x, purpose: service, terms: {service_hours: "9-5"}}
              - id: c
                platform: x
                purpose: service
                terms: {service_hours: "24/7"}
                waivers: [{rule: ACME001, reason: Night shift pilot, expires: "2027-01-31"}]
            """,
    }
    result = lint_files(make_repo, files)
    assert custom(result) == []
    assert [f.code for f in result.suppressed if f.code == "ACME001"] == ["ACME001"]


def test_available_rules_include_the_repositorys_rules(make_repo: MakeRepo) -> None:
    from socialgov.config import load_config
    from socialgov.pipeline import load_repository

    root = make_repo({"rules/hours.yaml": SPEC_RULE})
    repo = load_repository(load_config(root))
    info = next(r for r in available_rules(repo.model) if r.code == "ACME001")
    assert info.name == "service-hours-everywhere"
    assert info.summary == "Every service channel states the same service hours"
    assert info.family == "custom"
    assert "ACME001" not in {r.code for r in available_rules()}


# ----------------------------------------------------------------------------- per entity

MFA_RULE = """\
kind: Rule
id: large-accounts-need-mfa
code: ACME002
select:
  kind: Account
  where: {metrics.followers: {ge: 10000}}
assert:
  - {field: security.mfa, eq: true}
  - {field: owner, ref: Person, where: {employment: full_time}}
"""

PEOPLE_AND_ACCOUNTS = """\
people:
  - {id: jdoe, name: Jane Doe, employment: full_time}
  - {id: temp, name: Tim Temp, employment: contractor}
accounts:
  - id: big
    platform: x
    owner: temp
    metrics: {followers: 50000}
    security: {mfa: false}
  - id: fine
    platform: x
    owner: jdoe
    metrics: {followers: 50000}
    security: {mfa: true}
  - id: small
    platform: x
    metrics: {followers: 10}
  - id: nobody
    platform: x
    metrics: {followers: 10000}
"""


def test_per_entity_assertions_point_at_the_field(make_repo: MakeRepo) -> None:
    result = lint_files(make_repo, {"rules/mfa.yaml": MFA_RULE, "a.yaml": PEOPLE_AND_ACCOUNTS})
    found = {(f.entity.id, f.message, f.line) for f in custom(result, "ACME002")}
    lines = PEOPLE_AND_ACCOUNTS.splitlines()
    mfa_line = next(i for i, t in enumerate(lines, 1) if "mfa: false" in t)
    owner_line = next(i for i, t in enumerate(lines, 1) if "owner: temp" in t)
    nobody_line = next(i for i, t in enumerate(lines, 1) if "id: nobody" in t)
    assert found == {
        ("big", "Account big: security.mfa is false; it must equal true", mfa_line),
        (
            "big",
            "Account big: owner is 'temp'; it must name a Person with employment: full_time",
            owner_line,
        ),
        ("nobody", "Account nobody: security.mfa is not set; it must equal true", nobody_line),
        (
            "nobody",
            "Account nobody: owner is not set; it must name a Person with employment: full_time",
            nobody_line,
        ),
    }


def test_finding_keys_name_the_field_and_the_assertion_only_when_there_are_several(
    make_repo: MakeRepo,
) -> None:
    # the key goes into the fingerprint (baselines); a rule with one assertion keys by field
    # alone, as the Python rules do, so moving a rule between Python and YAML keeps it
    one = MFA_RULE.replace("ACME002", "ACME009").replace("id: large-", "id: only-large-")
    one = one[: one.index("assert:")] + "assert: {field: security.mfa, eq: true}\n"
    files = {"rules/mfa.yaml": MFA_RULE, "rules/one.yaml": one, "a.yaml": PEOPLE_AND_ACCOUNTS}
    result = lint_files(make_repo, files)
    assert {(f.entity.id, f.key) for f in custom(result, "ACME009")} == {
        ("big", "security.mfa"),
        ("nobody", "security.mfa"),
    }
    assert {(f.entity.id, f.key) for f in custom(result, "ACME002")} == {
        ("big", "0:security.mfa"),
        ("big", "1:owner"),
        ("nobody", "0:security.mfa"),
        ("nobody", "1:owner"),
    }


def test_default_message_adds_the_description(make_repo: MakeRepo) -> None:
    rule = MFA_RULE.replace(
        "code: ACME002\n", "code: ACME002\ndescription: Big accounts need MFA\n"
    )
    result = lint_files(make_repo, {"rules/mfa.yaml": rule, "a.yaml": PEOPLE_AND_ACCOUNTS})
    assert any(
        f.message.endswith("(large-accounts-need-mfa: Big accounts need MFA)")
        for f in custom(result, "ACME002")
    )


def test_ref_assertion_on_a_list_and_pinned_policies(make_repo: MakeRepo) -> None:
    rule = """\
        kind: Rule
        id: owned-policies
        code: ACME003
        select: {kind: Account}
        assert: {field: policies, ref: Policy, where: {owner: {present: true}}}
        message: "{id} adopts {value}"
        """
    data = """\
        people: [{id: jdoe, employment: full_time}]
        policies:
          - {id: sla, owner: jdoe, version: 3}
          - {id: loose}
        accounts:
          - {id: good, platform: x, policies: [sla@2]}
          - {id: bad, platform: x, policies: [sla, loose]}
          - {id: none, platform: x}
          - {id: empty, platform: x, policies: []}
        """
    result = lint_files(make_repo, {"rules/r.yaml": rule, "d.yaml": data})
    messages = sorted(f.message for f in custom(result, "ACME003"))
    assert messages == ["bad adopts sla, loose", "empty adopts ", "none adopts (not set)"]


def test_ref_assertion_answers_each_entity_as_its_own_reference_says(make_repo: MakeRepo) -> None:
    # Many accounts name the same few people (the assertion answers each text once): every
    # account's finding must still be exactly what its own owner says, whoever named them
    # before, in any order; names of nobody, blank owners and lists are judged one by one.
    import random

    rng = random.Random(11)
    people = {
        "ann": "full_time",
        "bo": "contractor",
        "cy": "full_time",
        "dee": "agency",
        "eli": "part_time",
    }
    owners = [*people, "ghost", "ann2"]
    lines = ["people:", *[f"  - {{id: {p}, employment: {e}}}" for p, e in people.items()]]
    lines.append("accounts:")
    expected = set()
    for i in range(90):
        owner = rng.choice(owners)
        lines.append(f"  - {{id: a{i}, platform: x, owner: {owner}}}")
        if people.get(owner) != "full_time":
            expected.add(f"a{i}")
    for i in range(90, 96):  # no owner at all
        lines.append(f"  - {{id: a{i}, platform: x}}")
        expected.add(f"a{i}")
    rule = """\
        kind: Rule
        id: full-time-owners
        code: ACME004
        select: {kind: Account}
        assert: {field: owner, ref: Person, where: {employment: full_time}}
        """
    result = lint_files(make_repo, {"rules/r.yaml": rule, "d.yaml": "\n".join(lines) + "\n"})
    assert {f.entity.id for f in custom(result, "ACME004") if f.entity} == expected
    assert len(expected) > 30


def test_template_follows_references_and_reads_fields(make_repo: MakeRepo) -> None:
    rule = (
        MFA_RULE
        + 'message: "{kind} {id} ({owner.name}, {metrics.followers}): {code} {rule} {field}"\n'
    )
    result = lint_files(make_repo, {"rules/mfa.yaml": rule, "a.yaml": PEOPLE_AND_ACCOUNTS})
    messages = {f.message for f in custom(result, "ACME002")}
    assert messages == {
        "Account big (Tim Temp, 50000): ACME002 large-accounts-need-mfa security.mfa",
        "Account big (Tim Temp, 50000): ACME002 large-accounts-need-mfa owner",
        "Account nobody ((not set), 10000): ACME002 large-accounts-need-mfa security.mfa",
        "Account nobody ((not set), 10000): ACME002 large-accounts-need-mfa owner",
    }


# ----------------------------------------------------------------------------- groups


def test_unique_reports_every_later_duplicate(make_repo: MakeRepo) -> None:
    rule = """\
        kind: Rule
        id: unique-handles
        code: ACME004
        select: {kind: Account}
        assert: {unique: handle}
        message: "{id}: handle {value} is also used by {others}"
        """
    data = """\
        accounts:
          - {id: a, platform: x, handle: acme}
          - {id: b, platform: x, handle: acme}
          - {id: c, platform: x, handle: other}
          - {id: d, platform: x, handle: acme}
          - {id: e, platform: x}
          - {id: f, platform: x}
        """
    result = lint_files(make_repo, {"rules/r.yaml": rule, "d.yaml": data})
    found = sorted((f.entity.id, f.message) for f in custom(result, "ACME004"))
    assert found == [
        ("b", "b: handle acme is also used by Account a, Account d"),
        ("d", "d: handle acme is also used by Account a, Account b"),
    ]


def test_count_per_group_and_on_an_empty_selection(make_repo: MakeRepo) -> None:
    rules = """\
        rules:
          - id: few-per-team
            code: ACME005
            select: {kind: Account}
            group_by: team
            assert: {count: {max: 2}}
            message: "team {group} runs {value} accounts: {id}, {others}"
          - id: needs-a-forum
            code: ACME006
            select: {kind: Account, where: {type: forum}}
            assert: {count: {min: 1}}
        """
    data = """\
        teams: [{id: care}, {id: pr}]
        accounts:
          - {id: a, platform: x, team: care}
          - {id: b, platform: x, team: care}
          - {id: c, platform: x, team: care}
          - {id: d, platform: x, team: pr}
          - {id: e, platform: x}
        """
    result = lint_files(make_repo, {"rules/r.yaml": rules, "d.yaml": data})
    [many] = custom(result, "ACME005")
    assert many.message == "team care runs 3 accounts: a, Account b, Account c"
    assert many.entity == EntityRef("Account", "a")
    [none] = custom(result, "ACME006")
    assert none.entity == EntityRef("Rule", "needs-a-forum")
    assert none.message == "Rule needs-a-forum: 0 selected; there must be at least 1"
    assert none.path == "rules/r.yaml"


def test_group_by_a_list_puts_an_entity_in_each_group(make_repo: MakeRepo) -> None:
    rule = """\
        kind: Rule
        id: same-refund-per-policy
        code: ACME007
        select: {kind: [Account, Channel]}
        group_by: policies
        assert: {same: terms.refund_days}
        message: "{id} under {group}: {value} vs {others}"
        """
    data = """\
        policies: [{id: refunds}, {id: other}]
        accounts:
          - {id: a, platform: x, policies: [refunds@1, other], terms: {refund_days: 30}}
          - {id: b, platform: x, policies: [refunds], terms: {refund_days: 30}}
        channels:
          - {id: phone, type: phone, policies: [refunds], terms: {refund_days: 14}}
          - {id: mail, type: email, policies: [other], terms: {refund_days: 14}}
        """
    result = lint_files(make_repo, {"rules/r.yaml": rule, "d.yaml": data})
    messages = sorted(f.message for f in custom(result, "ACME007"))
    assert messages == [
        "a under other: 30 vs '14' (Channel mail)",
        "mail under other: 14 vs '30' (Account a)",
        "phone under refunds: 14 vs '30' (Account a, Account b)",
    ]


def test_group_by_a_text_groups_its_accounts_in_the_selections_order(
    make_repo: MakeRepo,
) -> None:
    """A text value is its own group key (read at once, without the general path's steps):
    each text's accounts are one group, in the selection's order; an account without the field
    is in none."""
    rule = """\
        kind: Rule
        id: one-per-tier
        code: ACME008
        select: {kind: Account}
        group_by: labels.tier
        assert: {count: {max: 1}}
        message: "{group}: {id}, {others}"
        """
    data = """\
        accounts:
          - {id: a, platform: x, labels: {tier: gold}}
          - {id: b, platform: x, labels: {tier: '3'}}
          - {id: c, platform: x, labels: {tier: silver}}
          - {id: d, platform: x}
          - {id: e, platform: x, labels: {tier: gold}}
          - {id: f, platform: x, labels: {tier: '3'}}
          - {id: g, platform: x, labels: {tier: silver}}
          - {id: h, platform: x, labels: {tier: gold}}
        """
    result = lint_files(make_repo, {"rules/r.yaml": rule, "d.yaml": data})
    assert [f.message for f in custom(result, "ACME008")] == [
        "gold: a, Account e, Account h",
        "3: b, Account f",
        "silver: c, Account g",
    ]


def test_group_assertions_on_a_large_model(tmp_path: Path) -> None:
    """Correctness at scale; speed is measured by benchmarks/run.py, never timed in tests."""
    document = Document("big.yaml", 0, {}, SourceMap())
    count = 30_000
    accounts = {
        f"a{i}": Account(
            id=f"a{i}",
            data={
                "id": f"a{i}",
                "platform": "x",
                "handle": f"h{i % (count - 1)}",
                "status": "active",
            },
            source=Source(document, ("accounts", i)),
        )
        for i in range(count)
    }
    model = Model(entities={"Account": accounts})
    rule = compile_rule(
        {
            "id": "u",
            "code": "T1",
            "select": {"kind": "Account"},
            "assert": [{"unique": "handle"}, {"same": "platform"}],
        }
    )
    violations = list(rule.violations(model, RuleContext(as_of=AS_OF)))
    assert len(violations) == 1  # h0 is held by a0 and a29999


# ----------------------------------------------------------------------------- malformed rules

GOOD_RULE = """\
kind: Rule
id: good
code: ACME100
select: {kind: Account}
assert: {field: owner, present: true}
"""


def sg101(result: LintResult) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in result.findings if f.code == "SG101"]


def test_malformed_rules_are_findings_and_the_others_still_run(make_repo: MakeRepo) -> None:
    bad = """\
        rules:
          - id: bad-regex
            code: ACME101
            select: {kind: Account, where: {handle: {matches: "(["}}}
            assert: {field: owner, present: true}
          - id: bad-count
            code: ACME102
            select: {kind: Account}
            assert: {count: {min: 3, max: 1}}
          - id: bad-group-by
            code: ACME103
            select: {kind: Account}
            group_by: team
            assert: {field: owner, present: true}
          - id: bad-field
            code: ACME104
            select: {kind: Account}
            assert: [{field: ownr, present: true}, {same: id}]
        """
    files = {
        "rules/good.yaml": GOOD_RULE,
        "rules/bad.yaml": bad,
        "a.yaml": "accounts: [{id: a, platform: x}]\n",
    }
    result = lint_files(make_repo, files)
    assert [f.entity.id for f in custom(result, "ACME100")] == ["a"]
    assert not [f for f in result.findings if f.code.startswith("ACME1") and f.code != "ACME100"]
    problems = sg101(result)
    assert (
        4,
        "Rule bad-regex: select.where.handle.matches: '([' is not a valid regular expression "
        "(unterminated character set at position 1); fix the pattern (Python syntax; escape "
        "special characters such as . ( [ with a backslash)",
    ) in problems
    assert any(line == 9 and "min (3) is greater than max (1)" in m for line, m in problems)
    assert any(
        line == 13 and "group_by only applies to group assertions" in m for line, m in problems
    )
    assert any(line == 18 and "no field 'ownr'; did you mean 'owner'?" in m for line, m in problems)
    assert all(
        f.entity is not None and f.entity.kind == "Rule"
        for f in result.findings
        if f.code == "SG101"
    )


def test_schema_catches_unknown_operators_and_sg_codes_without_a_crash(make_repo: MakeRepo) -> None:
    bad = """\
        rules:
          - id: sg-code
            code: SG999
            select: {kind: Account}
            assert: {field: owner, present: true}
          - id: unknown-op
            code: ACME201
            select: {kind: Account}
            assert: {field: owner, exists: true}
        """
    result = lint_files(
        make_repo,
        {
            "rules/bad.yaml": bad,
            "rules/good.yaml": GOOD_RULE,
            "a.yaml": "accounts: [{id: a, platform: x}]\n",
        },
    )
    lines = [line for line, _ in sg101(result)]
    assert 3 in lines and 9 in lines
    assert not [f for f in result.findings if f.code in ("SG999", "ACME201")]
    assert custom(result, "ACME100")


def test_rule_compiler_reports_sg_codes_itself() -> None:
    from socialgov.rules.custom import RuleProblems

    try:
        compile_rule({"id": "x", "code": "SG1", "select": {}, "assert": {"unique": "id"}})
    except RuleProblems as exc:
        assert [p.path for p in exc.problems] == [("code",)]
        assert "reserved for built-in rules" in exc.problems[0].message
    else:
        raise AssertionError("an SG code must be refused")


def test_duplicate_codes_are_sg103_and_only_the_first_runs(make_repo: MakeRepo) -> None:
    second = GOOD_RULE.replace("id: good", "id: again").replace("present: true", "present: false")
    files = {
        "rules/a.yaml": GOOD_RULE,
        "rules/b.yaml": second,
        "a.yaml": "accounts: [{id: a, platform: x}]\n",
    }
    result = lint_files(make_repo, files)
    [dup] = [f for f in result.findings if f.code == "SG103"]
    assert dup.entity == EntityRef("Rule", "again")
    assert dup.related == (EntityRef("Rule", "good"),)
    assert (dup.path, dup.line) == ("rules/b.yaml", 3)
    assert "code ACME100 is already used by Rule good at rules/a.yaml:3" in dup.message
    assert [f.entity.id for f in custom(result, "ACME100")] == ["a"]


HOSTILE = [
    "{__class__}",
    "{id.__class__}",
    "{0}",
    "{id[0]}",
    "{}",
    "{value!r}",
    "{value:>999999}",
    "{id.__init__.__globals__}",
    "{kind.__class__.__mro__[1]}",
    "{ {",
    "}",
]


def test_hostile_templates_are_findings_never_leaks(make_repo: MakeRepo) -> None:
    rules = "rules:\n" + "".join(
        f"  - id: hostile-{i}\n    code: ACME3{i:02d}\n    select: {{kind: Account}}\n"
        f"    assert: {{field: owner, present: true}}\n    message: {template!r}\n"
        for i, template in enumerate(HOSTILE)
    )
    result = lint_files(
        make_repo, {"rules/h.yaml": rules, "a.yaml": "accounts: [{id: a, platform: x}]\n"}
    )
    problems = [f for f in result.findings if f.code == "SG101"]
    assert {f.entity.id for f in problems} == {f"hostile-{i}" for i in range(len(HOSTILE))}
    message_lines = {i + 1 for i, line in enumerate(rules.splitlines()) if "message:" in line}
    assert {f.line for f in problems} <= message_lines
    assert not [f for f in result.findings if f.code.startswith("ACME3")]
    assert not any("class" in f.message and "<" in f.message for f in result.findings)


def test_as_of_drives_date_conditions(make_repo: MakeRepo) -> None:
    rule = """\
        kind: Rule
        id: stale
        code: ACME400
        select: {kind: Account}
        assert: {field: last_activity, newer_than_days: 30}
        """
    data = 'accounts: [{id: a, platform: x, last_activity: "2026-11-01"}]\n'
    root = make_repo({"rules/r.yaml": rule, "a.yaml": data})
    assert not custom(run_lint(root, as_of=dt.date(2026, 11, 24)), "ACME400")
    [late] = custom(run_lint(root, as_of=dt.date(2027, 1, 24)), "ACME400")
    assert (
        "last_activity is '2026-11-01'; it must be a date at most 30 days before as-of"
        in late.message
    )


# ------------------------------------------------------------- the built-in rules' shipped data


def test_the_built_in_rules_data_ships_written_from_the_rules_as_they_are() -> None:
    """rules/*.yaml edited without `python -m socialgov.rules.custom`: write it again."""
    from socialgov.rules import custom

    shipped = Path(custom.__file__).with_name("shipped.py").read_text(encoding="utf-8")
    assert shipped == custom.shipped_rules_code(custom.builtin_rule_files())


def _compiled(where_written: bool) -> list[object]:
    import dataclasses

    from socialgov.rules.custom import yaml_compiled_rules

    found: list[object] = []
    for rule in yaml_compiled_rules(where_written=where_written):
        info = rule.info()
        found.append((rule.data, rule.selector.kinds, rule.selector.source, info.follows))
        found.append(dataclasses.replace(info, check=None))
    return found


def test_the_built_in_rules_compiled_from_shipped_data_are_those_of_the_files() -> None:
    from socialgov.rules.custom import yaml_compiled_rules

    shipped = yaml_compiled_rules()
    assert len(shipped) == 8
    assert all(rule.document is None for rule in shipped)  # no file was parsed
    written = yaml_compiled_rules(where_written=True)
    assert [rule.document.path for rule in written if rule.document] == [
        f"{rule.id}.yaml" for rule in written
    ]  # the rules' own tests point at lines of the files
    assert _compiled(False) == _compiled(True)


def test_a_built_in_rule_file_edited_since_its_data_was_shipped_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from socialgov.rules import custom, shipped

    monkeypatch.setattr(shipped, "STAMP", shipped.STAMP.replace(".yaml:", ".yaml:1", 1))
    custom.yaml_compiled_rules.cache_clear()
    try:
        rules = custom.yaml_compiled_rules()
        assert all(rule.document is not None for rule in rules)
    finally:
        custom.yaml_compiled_rules.cache_clear()


# ----------------------------------------------------------------------------- messages


class _Text(str):
    """A str subclass, as a plugin's entity might hold."""


def _rendered_as_the_template_renders(rule: object, violation: object, model: Model) -> str:
    """What ``Template.render`` gives for a violation's outcome, the special names' values
    looked up in a dict as the engine did before it read them where they are."""
    from socialgov.lang.selectors import resolve

    entity = violation.entity  # type: ignore[attr-defined]
    value = entity.data.get("terms", {}).get("note", MISSING)
    special = {
        "id": entity.id,
        "kind": entity.kind,
        "value": value,
        "others": "",
        "group": MISSING,
        "field": "terms.note",
        "rule": rule.id,  # type: ignore[attr-defined]
        "code": rule.code,  # type: ignore[attr-defined]
    }
    return rule.template.render(  # type: ignore[attr-defined]
        lambda name: special[name] if name in special else resolve(entity, name, model)
    )


def test_a_rules_message_reads_each_value_as_the_template_renders_it() -> None:
    # Each message is put together from the values read where they are; it must be what
    # Template.render makes of them: texts up to MAX_VALUE_CHARS as written, longer ones cut,
    # other values rendered, and a message past MAX_MESSAGE bounded as render bounds it.
    from socialgov.core.text import MAX_MESSAGE
    from socialgov.lang.template import MAX_VALUE_CHARS

    document = Document("a.yaml", 0, {}, SourceMap())
    notes: list[object] = [
        "short",
        "",
        "x" * MAX_VALUE_CHARS,
        "y" * (MAX_VALUE_CHARS + 1),
        "z" * (MAX_MESSAGE + 10),
        type("Text", (str,), {})("a text of a subclass"),
        True,
        12345,
        2.5,
        None,
        ["a", "b", {"c": 1}],
        {"k": "v"},
        dt.date(2026, 1, 2),
    ]
    accounts = {}
    for i, note in enumerate([*notes, MISSING]):
        data: dict[str, object] = {"id": f"a{i}", "platform": "x", "status": "active"}
        if note is not MISSING:
            data["terms"] = {"note": note}
            data["handle"] = "h" * (i * 40)
        accounts[f"a{i}"] = Account(id=f"a{i}", data=data, source=Source(document, ("accounts", i)))
    for odd_id in ("i" * (MAX_VALUE_CHARS + 5), _Text("an id of a str subclass"), "a-longer-id"):
        accounts[odd_id] = Account(
            id=odd_id, data={"id": odd_id}, source=Source(document, ("accounts", 99))
        )
    model = Model(entities={"Account": accounts})
    long_literal = "L" * (MAX_MESSAGE - 30)
    templates = [
        "{kind} {id} has {value} at {field} ({rule} {code})",
        "{id}",
        "no placeholder at all",
        "{{literal braces}} {id} {handle} {terms.note}",
        long_literal + " {id} {value} {handle}",
        "{value}" * 30,
        "Account {id} has no note",  # the id alone: put together around it
        "L" * (MAX_MESSAGE - 3) + "{id}",  # room for an id of three characters only
    ]
    for template in templates:
        rule = compile_rule(
            {
                "id": "notes",
                "code": "T2",
                "select": {"kind": "Account"},
                "assert": {"field": "terms.note", "eq": "never"},
                "message": template,
            }
        )
        violations = list(rule.violations(model, RuleContext(as_of=AS_OF)))
        assert len(violations) == len(accounts)
        for violation in violations:
            assert violation.message == _rendered_as_the_template_renders(rule, violation, model)
            assert len(violation.message) <= MAX_MESSAGE
