"""Engagement rules SG501-SG505: each fires on its defect, at the right node, and stays quiet on
its near misses (coverage by applies_to or by listing, retired and planned channels, blanks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MakeRepo, run_lint
from socialgov.core.findings import EntityRef, Finding, Severity


def findings(root: Path, code: str) -> list[Finding]:
    result = run_lint(root, select=(code,))
    assert all(f.code == code for f in result.findings)
    return list(result.findings)


def where(finding: Finding) -> tuple[int, int]:
    return (finding.line, finding.column)


TEAMS = """\
    teams:
      - {id: comms, function: pr}
      - {id: care, function: service}
    """

# ----------------------------------------------------------------------------- SG501

SG501_CHANNELS = """\
    channels:
      - id: phone
        type: phone
        purpose: service
      - id: sales-line
        type: phone
        purpose: sales
        playbooks: []
      - id: press
        type: email
        purpose: pr
        playbooks: [press-pb]
      - id: shop
        type: store
        purpose: sales
      - id: careers
        type: email
        purpose: recruiting
      - id: old
        type: phone
        purpose: service
        status: retired
      - id: soon
        type: phone
        purpose: service
        status: planned
      - id: nowhere
        type: phone
        purpose: service
        playbooks: [missing-pb]
    accounts:
      - id: care-x
        platform: x
        purpose: service
        status: dormant
    """


def test_sg501_live_escalating_channels_need_a_playbook(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "c.yaml": SG501_CHANNELS,
            "pb.yaml": """\
                playbooks:
                  - id: press-pb
                    end: Done
                  - id: stores
                    applies_to: {kind: Channel, where: {type: store}}
                    end: Done
                """,
        }
    )
    found = findings(root, "SG501")
    assert [(f.entity, where(f)) for f in found] == [
        (EntityRef("Channel", "phone"), (2, 5)),
        (EntityRef("Channel", "sales-line"), (8, 16)),  # its empty playbooks list
        (EntityRef("Account", "care-x"), (32, 5)),
    ]
    assert found[0].severity is Severity.WARNING
    assert found[0].message == (
        "Channel phone is a live service channel covered by no playbook, so nobody knows who "
        "gets the ball in a complaint, a lead or a crisis; list a playbook in its playbooks, or "
        "make a playbook's applies_to match it"
    )


def test_sg501_a_malformed_applies_to_covers_nothing_and_does_not_crash(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "c.yaml": "channels:\n  - {id: phone, type: phone, purpose: service}\n",
            "pb.yaml": "playbooks:\n  - id: pb\n    end: Done\n    applies_to: {kind: Channel, "
            "where: {purpose: {between: [1, 2]}}}\n",
        }
    )
    assert [f.entity for f in findings(root, "SG501")] == [EntityRef("Channel", "phone")]


# ----------------------------------------------------------------------------- SG502


def test_sg502_one_finding_per_incomplete_handoff_naming_what_is_missing(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "teams.yaml": TEAMS,
            "pb.yaml": """\
                playbooks:
                  - id: crisis
                    end: Done
                    handoffs:
                      - scenario: crisis
                        trigger: Shared 50 times in an hour
                        to: comms
                        before: Acknowledge
                        expect: Holding statement
                      - scenario: complaint
                        to: care
                        trigger: " "
                      - from: care
                        before: Note the order number
                """,
        }
    )
    found = findings(root, "SG502")
    assert [(f.entity, where(f)) for f in found] == [
        (EntityRef("Playbook", "crisis"), (10, 9)),
        (EntityRef("Playbook", "crisis"), (13, 9)),
    ]
    assert found[0].severity is Severity.ERROR
    assert found[0].message == (
        "Playbook crisis: handoff 2 (complaint) lacks trigger, before and expect; say what "
        "prompts the pass (trigger), what the passing team does first (before) and what the "
        "receiving team is expected to do (expect)"
    )
    assert found[1].message.startswith(
        "Playbook crisis: handoff 3 (unnamed scenario) lacks scenario, trigger, to and expect;"
    )
    assert found[0].fingerprint != found[1].fingerprint


# ----------------------------------------------------------------------------- SG503


def test_sg503_playbook_without_end(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "pb.yaml": """\
                playbooks:
                  - id: none
                    title: No end
                  - id: blank
                    end: "  "
                  - id: ended
                    end: The customer confirms it is solved
                """,
        }
    )
    found = findings(root, "SG503")
    assert [(f.entity, where(f)) for f in found] == [
        (EntityRef("Playbook", "none"), (2, 5)),
        (EntityRef("Playbook", "blank"), (5, 10)),
    ]
    assert found[0].message == (
        "Playbook none has no end, so its cases are never closed; write in end what "
        "constitutes the END of the matter"
    )
    # an empty or blank end is no end: one message (SG503 is a YAML rule), at the blank value
    assert found[1].message.startswith("Playbook blank has no end, ")


# ----------------------------------------------------------------------------- SG504


def test_sg504_follow_up_must_close_the_loop(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "pb.yaml": """\
                playbooks:
                  - id: no-follow-up
                    end: Done
                  - id: no-lessons
                    end: Done
                    follow_up:
                      communicate_to: [product]
                      lessons_learned: false
                  - id: no-audience
                    end: Done
                    follow_up: {communicate_to: [], lessons_learned: true}
                  - id: closed-text
                    end: Done
                    follow_up: {communicate_to: [product], lessons_learned: Monthly review}
                  - id: closed-bool
                    end: Done
                    follow_up: {communicate_to: [exec], lessons_learned: true}
                """,
        }
    )
    found = findings(root, "SG504")
    assert [(f.entity.id, where(f)) for f in found if f.entity] == [
        ("no-follow-up", (2, 5)),
        ("no-lessons", (7, 7)),
        ("no-audience", (11, 16)),
    ]
    assert found[0].message == (
        "Playbook no-follow-up does not close the loop: its follow_up lacks communicate_to "
        "(who else to tell) and lessons_learned (the review that asks what to do differently); "
        "add them to follow_up"
    )
    assert "lacks lessons_learned" in found[1].message and "add it" in found[1].message
    assert "lacks communicate_to" in found[2].message


# ----------------------------------------------------------------------------- SG505

CRISIS_PLAYBOOKS = """\
    playbooks:
      - id: crisis-all
        applies_to: {kind: Account, where: {purpose: marketing}}
        end: Done
        handoffs:
          - {scenario: crisis, trigger: t, to: comms, before: b, expect: e}
      - id: crisis-listed
        end: Done
        handoffs:
          - {scenario: crisis, trigger: t, to: comms, before: b, expect: e}
      - id: crisis-to-care
        end: Done
        handoffs:
          - {scenario: crisis, trigger: t, to: care, before: b, expect: e}
      - id: complaints-to-comms
        end: Done
        handoffs:
          - {scenario: complaint, trigger: t, to: comms, before: b, expect: e}
    """


def test_sg505_every_live_account_needs_a_crisis_handoff_to_pr(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "teams.yaml": TEAMS,
            "pb.yaml": CRISIS_PLAYBOOKS,
            "a.yaml": """\
                accounts:
                  - {id: matched, platform: x, purpose: marketing}
                  - {id: listed, platform: x, playbooks: [crisis-listed]}
                  - id: wrong-team
                    platform: x
                    playbooks: [crisis-to-care, complaints-to-comms]
                  - {id: bare, platform: x}
                  - {id: retired, platform: x, status: retired}
                  - {id: planned, platform: x, status: planned}
                channels:
                  - {id: phone, type: phone, purpose: service}
                """,
        }
    )
    found = findings(root, "SG505")
    assert [(f.entity, where(f)) for f in found] == [
        (EntityRef("Account", "wrong-team"), (6, 16)),
        (EntityRef("Account", "bare"), (7, 5)),
    ]
    wrong, bare = found
    assert wrong.message == (
        "Account wrong-team has no crisis path: none of its playbooks (crisis-to-care, "
        "complaints-to-comms) passes a crisis to a team whose function is pr; cover it with a "
        "playbook that has a handoff with scenario crisis to the PR team"
    )
    assert wrong.related == (
        EntityRef("Playbook", "crisis-to-care"),
        EntityRef("Playbook", "complaints-to-comms"),
    )
    assert "no playbook covers it" in bare.message
    assert bare.severity is Severity.WARNING


def test_sg505_and_sg506_judge_each_account_by_its_own_cover(make_repo: MakeRepo) -> None:
    """Accounts covered alike share one cover, whose answer each rule works out once: accounts
    of every cover, interleaved (the same playbooks in another order are another cover; a
    listed playbook its applies_to already matched adds nothing), each reported exactly when
    its own cover has no crisis path (SG505) or no account_compromise handoff (SG506)."""
    playbooks = CRISIS_PLAYBOOKS.rstrip(" ") + (
        "      - id: compromise\n"
        "        end: Done\n"
        "        handoffs:\n"
        "          - {scenario: account_compromise, trigger: t, to: comms, before: b, expect: e}\n"
    )
    covers = [
        "[crisis-listed]",
        "[complaints-to-comms]",
        "[compromise]",
        "[crisis-to-care, compromise]",
        "[compromise, crisis-to-care]",
        "[crisis-listed, compromise]",
        "[]",
    ]
    rows = []
    for number in range(21):
        listed = covers[(number * 5) % len(covers)]
        purpose = "marketing" if number % 4 == 0 else "service"  # crisis-all matches marketing
        rows.append(f"  - {{id: a{number}, platform: x, purpose: {purpose}, playbooks: {listed}}}")
    root = make_repo(
        {
            "teams.yaml": TEAMS,
            "pb.yaml": playbooks,
            "a.yaml": "accounts:\n" + "\n".join(rows) + "\n",
        }
    )
    no_crisis, no_compromise = [], []
    for number in range(21):
        listed = covers[(number * 5) % len(covers)]
        if number % 4 != 0 and "crisis-listed" not in listed:
            no_crisis.append(EntityRef("Account", f"a{number}"))
        if "compromise]" not in listed and "compromise," not in listed:
            no_compromise.append(EntityRef("Account", f"a{number}"))
    assert 0 < len(no_crisis) < 21 and 0 < len(no_compromise) < 21
    assert [f.entity for f in findings(root, "SG505")] == no_crisis
    assert [f.entity for f in findings(root, "SG506")] == no_compromise


@pytest.mark.parametrize("function", ["service", None])
def test_sg505_the_receiving_team_must_have_function_pr(
    make_repo: MakeRepo, function: str | None
) -> None:
    team = f"{{id: comms, function: {function}}}" if function else "{id: comms}"
    root = make_repo(
        {
            "teams.yaml": f"teams:\n  - {team}\n",
            "pb.yaml": CRISIS_PLAYBOOKS.replace("to: care", "to: comms"),
            "a.yaml": "accounts:\n  - {id: listed, platform: x, playbooks: [crisis-listed]}\n",
        }
    )
    assert [f.entity for f in findings(root, "SG505")] == [EntityRef("Account", "listed")]
