"""Policy consistency rules SG401-SG408: each fires on its defect, at the right node, and stays
quiet on its near misses (retired and planned channels, defaults, missing data, boundary dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import MakeRepo, run_lint
from socialgov.core.findings import EntityRef, Finding, Severity
from socialgov.domain.terms import show_term, term_key
from socialgov.lang.selectors import SelectorError, compile_selector


def findings(root: Path, code: str, **overrides: object) -> list[Finding]:
    result = run_lint(root, select=(code,), **overrides)
    assert all(f.code == code for f in result.findings)
    return list(result.findings)


def where(finding: Finding) -> tuple[str, int, int]:
    return (finding.path, finding.line, finding.column)


# ----------------------------------------------------------------------------- term comparison


@pytest.mark.parametrize(
    ("a", "b"),
    [(24, "24"), (24, 24.0), ("24.0", 24), (True, "true"), (" v7 ", "v7"), (1.5, "1.50")],
)
def test_values_a_reader_reads_the_same_are_equal(a: object, b: object) -> None:
    assert term_key(a) == term_key(b)


@pytest.mark.parametrize(("a", "b"), [("v7", "V7"), ("24h", 24), (1, True), ("9-5", "9 - 5")])
def test_values_that_read_differently_differ(a: object, b: object) -> None:
    assert term_key(a) != term_key(b)


def test_show_term_quotes_the_value_as_written() -> None:
    assert [show_term(v) for v in (24, "24.0", False)] == ["'24'", "'24.0'", "'false'"]


# ----------------------------------------------------------------------------- SG401

SG401 = {
    "policies.yaml": """\
        policies:
          - id: service-sla
            owner: care
            applies_to:
              kind: [Account, Channel]
              where: {purpose: service}
        """,
    "channels.yaml": """\
        channels:
          - id: phone
            type: phone
            purpose: service
          - id: mailbox
            type: email
            purpose: service
            policies: [other]
          - id: chat
            type: chat
            purpose: service
            policies: [service-sla@1]
          - id: old-phone
            type: phone
            purpose: service
            status: retired
          - id: new-phone
            type: phone
            purpose: service
            status: planned
          - id: sales-phone
            type: phone
            purpose: sales
        accounts:
          - id: care-x
            platform: x
            purpose: service
            status: dormant
        """,
}


def test_sg401_live_channels_matched_by_applies_to_must_adopt_the_policy(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(SG401)
    found = findings(root, "SG401")
    assert [(f.entity, where(f)) for f in found] == [
        (EntityRef("Channel", "phone"), ("channels.yaml", 2, 5)),
        (EntityRef("Channel", "mailbox"), ("channels.yaml", 8, 15)),  # its policies list
    ]
    # care-x (dormant is live) adopts no policy at all: SG406 says so, and SG401 never also
    assert [f.entity for f in findings(root, "SG406")] == [EntityRef("Account", "care-x")]
    first = found[0]
    assert first.severity is Severity.ERROR
    assert first.related == (EntityRef("Policy", "service-sla"),)
    assert "Policy service-sla applies to Channel phone" in first.message
    assert "add 'service-sla' to its policies" in first.message


def test_sg401_skips_a_policy_whose_applies_to_is_malformed(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - id: sla\n    applies_to: {kind: Account, where: {purpos: x}}\n",
            "a.yaml": "accounts:\n  - {id: a, platform: x}\n",
        }
    )
    with pytest.raises(SelectorError):
        compile_selector({"kind": "Account", "where": {"purpos": "x"}})
    assert findings(root, "SG401") == []


def test_sg401_without_applies_to_nothing_must_adopt(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - id: sla\n",
            "a.yaml": "accounts:\n  - {id: a, platform: x, purpose: service}\n",
        }
    )
    assert findings(root, "SG401") == []


# ----------------------------------------------------------------------------- SG402

SG402 = {
    "policies.yaml": """\
        policies:
          - id: service-sla
            terms:
              response_time_hours: 4
              service_hours: "Mon-Fri 08:00-20:00"
          - id: privacy
            terms: {privacy_notice: v7}
        """,
    "accounts.yaml": """\
        accounts:
          - id: care-x
            platform: x
            policies: [service-sla, privacy]
            terms:
              response_time_hours: 24
              service_hours: "Mon-Fri 08:00-20:00"
              privacy_notice: V7
              tone: friendly
          - id: care-fb
            platform: facebook
            policies: [service-sla@1]
            terms: {response_time_hours: "4", service_hours: " Mon-Fri 08:00-20:00 "}
          - id: care-ig
            platform: instagram
            status: retired
            policies: [service-sla]
            terms: {response_time_hours: 48}
          - id: care-tt
            platform: tiktok
            status: planned
            policies: [service-sla]
            terms: {response_time_hours: 12}
          - id: shop-x
            platform: x
            terms: {response_time_hours: 1}
        """,
}


def test_sg402_points_at_the_channel_term_that_differs(make_repo: MakeRepo) -> None:
    root = make_repo(SG402)
    found = findings(root, "SG402")
    assert [(f.entity, where(f)) for f in found] == [
        (EntityRef("Account", "care-x"), ("accounts.yaml", 6, 28)),
        (EntityRef("Account", "care-x"), ("accounts.yaml", 8, 23)),
        (EntityRef("Account", "care-tt"), ("accounts.yaml", 23, 34)),  # planned: goes live soon
    ]
    hours, notice, planned = found
    assert hours.message == (
        "Account care-x states response_time_hours '24', but Policy service-sla, which it "
        "adopts, fixes '4'; change terms.response_time_hours to '4' (or correct the policy)"
    )
    assert hours.related == (EntityRef("Policy", "service-sla"),)
    assert "privacy_notice 'V7'" in notice.message and "fixes 'v7'" in notice.message
    assert notice.related == (EntityRef("Policy", "privacy"),)
    assert "'12'" in planned.message


# ----------------------------------------------------------------------------- SG403

SG403 = {
    "policies.yaml": """\
        policies:
          - id: returns
            owner: care
            consistent_terms: [service_hours, refund_window_days]
        """,
    "accounts.yaml": """\
        accounts:
          - id: acme-x
            platform: x
            policies: [returns]
            terms: {refund_window_days: 30}
          - id: acme-fb
            platform: facebook
            policies: [returns@1]
            terms: {refund_window_days: "30"}
          - id: acme-ig
            platform: instagram
            policies: [returns]
            status: retired
            terms: {refund_window_days: 7}
          - id: acme-tt
            platform: tiktok
            policies: [returns]
            status: planned
            terms: {refund_window_days: 60}
          - id: acme-yt
            platform: youtube
            terms: {refund_window_days: 90}
        """,
    "channels.yaml": """\
        channels:
          - id: phone-support
            type: phone
            policies: [returns]
            terms: {refund_window_days: 14}
          - id: email-support
            type: email
            policies: [returns]
        """,
}


def test_sg403_one_finding_on_the_policy_naming_values_and_channels(make_repo: MakeRepo) -> None:
    root = make_repo(SG403)
    [finding] = findings(root, "SG403")
    assert finding.entity == EntityRef("Policy", "returns")
    assert where(finding) == ("policies.yaml", 4, 39)  # consistent_terms' refund_window_days
    assert finding.message == (
        "Policy returns: live channels state 2 different values for refund_window_days: "
        "'30' on Account acme-fb, Account acme-x (social); '14' on Channel phone-support "
        "(traditional); make them all state the same value (most state '30')"
    )
    assert finding.related == (
        EntityRef("Account", "acme-fb"),
        EntityRef("Account", "acme-x"),
        EntityRef("Channel", "phone-support"),
    )


def test_sg403_a_value_stated_on_both_kinds_names_both(make_repo: MakeRepo) -> None:
    files = dict(SG403)
    files["channels.yaml"] = SG403["channels.yaml"].replace("14", "30").rstrip(" ") + (
        "          - id: chat\n            type: chat\n            policies: [returns]\n"
        "            terms: {refund_window_days: 21}\n"
    )
    [finding] = findings(make_repo(files), "SG403")
    assert (
        "'30' on Account acme-fb, Account acme-x (social) and Channel phone-support "
        "(traditional); '21' on Channel chat (traditional)"
    ) in finding.message


def test_sg403_quiet_when_live_adopters_agree(make_repo: MakeRepo) -> None:
    files = dict(SG403)
    files["channels.yaml"] = SG403["channels.yaml"].replace("14", "30.0")
    assert findings(make_repo(files), "SG403") == []


def test_sg403_names_a_few_channels_then_counts_the_rest(make_repo: MakeRepo) -> None:
    accounts = "".join(
        f"  - {{id: a{i}, platform: x, policies: [p], terms: {{t: {1 if i else 2}}}}}\n"
        for i in range(9)
    )
    root = make_repo(
        {
            "p.yaml": "policies:\n  - {id: p, consistent_terms: [t]}\n",
            "a.yaml": "accounts:\n" + accounts,
        }
    )
    [finding] = findings(root, "SG403")
    assert "'1' on Account a1, Account a2, Account a3, Account a4, Account a5 and 3 more" in (
        finding.message
    )
    assert len(finding.related) == 9


def test_sg403_orders_channels_social_first_by_id_whatever_the_files_order(
    make_repo: MakeRepo,
) -> None:
    # Written out of order, across files; an Account and a Channel sharing an id; a channel
    # adopting the policy twice (listed once); values tied in count keep the order first seen.
    root = make_repo(
        {
            "p.yaml": "policies:\n  - {id: p, consistent_terms: [t]}\n",
            "b.yaml": "channels:\n"
            "  - {id: zeta, type: phone, policies: [p], terms: {t: 1}}\n"
            "  - {id: desk, type: email, policies: [p, p@1], terms: {t: 2}}\n",
            "a.yaml": "accounts:\n"
            "  - {id: desk, platform: x, policies: [p], terms: {t: 1}}\n"
            "  - {id: beta, platform: x, policies: [p], terms: {t: 2}}\n"
            "  - {id: alpha, platform: x, policies: [p@1, p], terms: {t: '2'}}\n",
        }
    )
    [finding] = findings(root, "SG403")
    assert finding.message == (
        "Policy p: live channels state 2 different values for t: '2' on Account alpha, "
        "Account beta (social) and Channel desk (traditional); '1' on Account desk (social) "
        "and Channel zeta (traditional); make them all state the same value (most state '2')"
    )
    assert finding.related == (
        EntityRef("Account", "alpha"),
        EntityRef("Account", "beta"),
        EntityRef("Account", "desk"),
        EntityRef("Channel", "desk"),
        EntityRef("Channel", "zeta"),
    )


# ----------------------------------------------------------------------------- SG404


def test_sg404_points_at_the_older_pin(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - {id: sla, version: 3}\n  - {id: brand}\n",
            "c.yaml": """\
                channels:
                  - id: phone
                    type: phone
                    policies: [brand@1, sla@1]
                  - id: mail
                    type: email
                    policies: [sla@3, brand]
                  - id: old
                    type: phone
                    status: retired
                    policies: [sla@2]
                  - id: soon
                    type: phone
                    status: planned
                    policies: [sla@2]
                """,
        }
    )
    found = findings(root, "SG404")
    assert [(f.entity, where(f)) for f in found] == [
        (EntityRef("Channel", "phone"), ("c.yaml", 4, 25)),
        (EntityRef("Channel", "soon"), ("c.yaml", 15, 16)),
    ]
    assert found[0].severity is Severity.WARNING
    assert found[0].message == (
        "Channel phone pins sla@1, but Policy sla is at version 3 (2 versions behind); review "
        "the changes, then reference sla@3 (or plain sla)"
    )
    assert found[0].related == (EntityRef("Policy", "sla"),)


def test_sg404_version_defaults_to_1(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - {id: sla}\n",
            "c.yaml": "channels:\n  - {id: phone, type: phone, policies: [sla@1]}\n",
        }
    )
    assert findings(root, "SG404") == []


# ----------------------------------------------------------------------------- SG405

SG405 = """\
    policies:
      - id: overdue
        review_by: 2026-11-23
      - id: due-today
        review_by: 2026-11-24
      - id: no-date
    """


def test_sg405_review_by_before_as_of(make_repo: MakeRepo) -> None:
    [finding] = findings(make_repo({"p.yaml": SG405}), "SG405")
    assert finding.entity == EntityRef("Policy", "overdue")
    assert where(finding) == ("p.yaml", 3, 16)
    assert finding.message == (
        "Policy overdue was due for review on 2026-11-23, 1 day before 2026-11-24; review it "
        "with its owner, then set review_by to the next review date"
    )


def test_sg405_judges_against_as_of(make_repo: MakeRepo) -> None:
    root = make_repo({"p.yaml": SG405})
    assert findings(root, "SG405", as_of=dt.date(2026, 11, 23)) == []
    assert len(findings(root, "SG405", as_of=dt.date(2026, 11, 25))) == 2


# ----------------------------------------------------------------------------- SG406


def test_sg406_live_accounts_without_policies(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - {id: smp}\n",
            "a.yaml": """\
                accounts:
                  - id: bare
                    platform: x
                  - id: empty
                    platform: x
                    policies: []
                  - id: governed
                    platform: x
                    policies: [smp]
                  - id: typo
                    platform: x
                    policies: [spm]
                  - id: retired
                    platform: x
                    status: retired
                  - id: planned
                    platform: x
                    status: planned
                  - id: dormant
                    platform: x
                    status: dormant
                channels:
                  - id: phone
                    type: phone
                """,
        }
    )
    found = findings(root, "SG406")
    assert [(f.entity.id, where(f)[1:]) for f in found if f.entity] == [
        ("bare", (2, 5)),
        ("empty", (6, 15)),
        ("dormant", (19, 5)),
    ]
    assert "Account bare is live but adopts no policy" in found[0].message
    assert found[0].severity is Severity.ERROR


# ----------------------------------------------------------------------------- SG407


def test_sg407_policy_without_a_present_owner(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": """\
                people:
                  - {id: gone, employment: full_time, status: departed, departed_on: 2026-01-31}
                  - {id: leaving, employment: full_time, departed_on: 2026-11-24}
                  - {id: later, employment: full_time, departed_on: 2026-11-25}
                teams:
                  - {id: legal, function: legal}
                """,
            "p.yaml": """\
                policies:
                  - id: orphan
                  - id: by-gone
                    owner: gone
                  - id: by-leaving
                    owner: leaving
                  - id: by-later
                    owner: later
                  - id: by-team
                    owner: legal
                  - id: by-nobody
                    owner: nobody
                """,
        }
    )
    found = findings(root, "SG407")
    assert [(f.entity.id, where(f)[1:]) for f in found if f.entity] == [
        ("orphan", (2, 5)),
        ("by-gone", (4, 12)),
        ("by-leaving", (6, 12)),
    ]
    assert found[0].message.startswith("Policy orphan has no owner")
    assert found[1].message == (
        "Policy by-gone's owner gone departed on 2026-01-31; give the policy an owner who is "
        "here (a Person or the responsible Team)"
    )
    assert found[1].related == (EntityRef("Person", "gone"),)


# ----------------------------------------------------------------------------- SG408

SG408_ACCOUNTS = """\
    accounts:
      - {id: care-x, platform: x, purpose: service}
      - {id: care-fb, platform: facebook, purpose: service}
      - {id: old-care, platform: x, purpose: service, status: retired}
      - {id: shop-x, platform: x, purpose: sales}
    channels:
      - {id: phone, type: phone, purpose: service}
      - {id: mail, type: email, purpose: service}
      - {id: shop, type: store, purpose: sales}
      - {id: pr-line, type: phone, purpose: pr}
      - {id: misc, type: phone}
    """


def test_sg408_policy_for_traditional_channels_only(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": """\
                policies:
                  - id: sla
                    applies_to: {kind: Channel}
                """,
            "c.yaml": SG408_ACCOUNTS,
        }
    )
    found = findings(root, "SG408")
    assert [(f.key, where(f)) for f in found] == [
        ("applies_to/sales", ("p.yaml", 3, 17)),
        ("applies_to/service", ("p.yaml", 3, 17)),
    ]
    service = found[1]
    assert service.entity == EntityRef("Policy", "sla")
    assert service.message == (
        "Policy sla applies to the traditional service channels Channel phone, Channel mail "
        "but to none of the live service Accounts (Account care-x, Account care-fb); social is "
        "another channel, so widen applies_to to those Accounts (e.g. kind: [Account, Channel]) "
        "or write their counterpart policy"
    )
    assert service.related == (EntityRef("Account", "care-x"), EntityRef("Account", "care-fb"))


@pytest.mark.parametrize(
    "applies_to",
    [
        "{kind: [Account, Channel], where: {purpose: service}}",
        "{where: {purpose: service}}",
        "{kind: Channel, where: {purpose: pr}}",  # no pr Account exists
        "{kind: Channel, where: {type: phone, purpose: {not_in: [service, sales, pr]}}}",
        "{kind: Channel, where: {purpos: service}}",  # malformed: SG101's business
    ],
)
def test_sg408_near_misses(make_repo: MakeRepo, applies_to: str) -> None:
    root = make_repo(
        {
            "p.yaml": f"policies:\n  - id: sla\n    applies_to: {applies_to}\n",
            "c.yaml": SG408_ACCOUNTS,
        }
    )
    assert findings(root, "SG408") == []


def test_sg408_one_matched_account_of_the_purpose_is_enough(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - id: sla\n    applies_to: {where: {id: [phone, care-fb]}}\n",
            "c.yaml": SG408_ACCOUNTS,
        }
    )
    assert findings(root, "SG408") == []
