"""The maturity stage exactly as SPEC section 8 defines it, at every boundary."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from socialgov.audit.maturity import INDICATORS, assess, blocking_errors, indicators, stage
from socialgov.audit.report import THRESHOLD, ChannelRow, Ratio
from socialgov.core.findings import EntityRef, Finding, Severity

GOOD = ChannelRow(
    kind="Account",
    id="acct",
    name=None,
    social=True,
    platform="x",
    type="profile",
    handle=None,
    address=None,
    team=None,
    purpose="service",
    status="active",
    live=True,
    owner="jdoe",
    owner_status="ok",
    backup_owner="asmith",
    backup_status="ok",
    last_activity=None,
    days_inactive=None,
    activity="active",
    policies=("sla",),
    required_policies=("sla",),
    missing_policies=(),
    playbooks=("escalation",),
    crisis_path=True,
    objectives=("care",),
    monitoring=("Brandwatch",),
    mfa=True,
    custodian="it",
    errors=0,
    warnings=0,
    infos=0,
    suppressed=0,
    path="accounts.yaml",
    line=1,
)

# One way to miss each indicator.
MISSES = {
    "owned_with_backup": {"backup_status": "departed"},
    "adopting_policies": {"missing_policies": ("sla",)},
    "playbook_covered": {"playbooks": ()},
    "serving_objective": {"objectives": ()},
    "monitored": {"monitoring": ()},
}


def accounts(total: int, missing: int, key: str) -> list[ChannelRow]:
    """``total`` live accounts, of which ``missing`` miss indicator ``key``."""
    return [
        dataclasses.replace(GOOD, id=f"a{i}", **(MISSES[key] if i < missing else {}))
        for i in range(total)
    ]


def finding(code: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(
        code, "some-rule", severity, "message", "a.yaml", entity=EntityRef("Account", "a0")
    )


def test_every_indicator_of_the_spec_is_measured() -> None:
    assert [key for key, _ in INDICATORS] == list(MISSES)
    measured = indicators([GOOD])
    assert [i.ratio for i in measured] == [Ratio(1, 1)] * 5
    assert all(i.passed for i in measured)


@pytest.mark.parametrize("key", list(MISSES))
def test_79_9_percent_is_scattered_and_80_percent_is_coordinated(key: str) -> None:
    below = assess(accounts(1000, 201, key), [])
    at = assess(accounts(1000, 200, key), [])
    failing = next(i for i in below.indicators if i.key == key)
    assert failing.ratio == Ratio(799, 1000) and failing.ratio.percent == 79.9
    assert not failing.passed and len(failing.gaps) == 201
    assert below.stage == "scattered"
    assert at.stage == "coordinated"
    assert next(i for i in at.indicators if i.key == key).passed


def test_a_share_just_under_the_bar_never_displays_as_the_bar() -> None:
    ratio = Ratio(7999, 10000)
    assert not ratio.meets(THRESHOLD)
    assert ratio.percent == 79.9
    assert Ratio(4, 5).meets(THRESHOLD) and Ratio(4, 5).percent == 80.0
    assert str(Ratio(0, 0)) == "0/0" and Ratio(0, 0).percent is None


@pytest.mark.parametrize("code", ["SG201", "SG202", "SG205", "SG401", "SG403", "SG406"])
def test_one_error_of_an_sg2_or_sg4_rule_keeps_the_stage_at_scattered(code: str) -> None:
    result = assess([GOOD], [finding(code)])
    assert result.stage == "scattered"
    assert [(b.code, b.count) for b in result.blocking] == [(code, 1)]
    assert any(code in reason for reason in result.reasons)


@pytest.mark.parametrize(
    "blocker",
    [
        finding("SG203", Severity.WARNING),  # SG2, but a warning
        finding("SG201", Severity.INFO),  # severity lowered in socialgov.yaml
        finding("SG304"),  # an error, but not SG2 or SG4
        finding("SG104"),
        finding("ACME201"),  # a custom rule's code is not "in SG2"
    ],
)
def test_other_findings_do_not_block_coordination(blocker: Finding) -> None:
    assert assess([GOOD], [blocker]).stage == "coordinated"


def test_no_live_account_is_dormant_whatever_else_is_wrong() -> None:
    result = assess([], [finding("SG201"), finding("SG402")])
    assert result.stage == "dormant"
    assert all(i.ratio.whole == 0 for i in result.indicators)
    assert "no live social account" in result.reasons[0]


def test_stage_function_follows_the_definition() -> None:
    measured = indicators([GOOD])
    assert stage(0, measured, ()) == "dormant"
    assert stage(1, measured, ()) == "coordinated"
    assert stage(1, measured, blocking_errors([finding("SG402")])) == "scattered"
    worse = indicators(accounts(2, 1, "monitored"))
    assert stage(2, worse, ()) == "scattered"


def test_blocking_errors_are_counted_by_rule_most_first() -> None:
    found = [
        finding("SG402"),
        finding("SG201"),
        finding("SG402"),
        finding("SG302", Severity.WARNING),
    ]
    assert [(b.code, b.count) for b in blocking_errors(found)] == [("SG402", 2), ("SG201", 1)]


def test_reasons_explain_every_failing_indicator_with_its_value() -> None:
    result = assess(accounts(4, 1, "monitored") + accounts(0, 0, "monitored"), [])
    assert result.stage == "scattered"
    assert result.reasons == ("Monitored: 3 of 4 live accounts (75.0%), below the 80% bar.",)
    coordinated = assess([GOOD], [])
    assert "at 80% or more" in coordinated.reasons[0]


def test_the_threshold_can_be_given() -> None:
    rows = accounts(10, 1, "monitored")
    assert assess(rows, [], threshold=Fraction(95, 100)).stage == "scattered"
    assert assess(rows, [], threshold=Fraction(90, 100)).stage == "coordinated"


# ----------------------------------------------------------------------------- score, progress


NOTHING = {
    "owner_status": "missing",
    "backup_status": "missing",
    "policies": (),
    "missing_policies": ("sla",),
    "playbooks": (),
    "objectives": (),
    "monitoring": (),
}


def test_one_error_never_looks_like_nothing_covered() -> None:
    """The cliff of SPEC section 8: both are scattered; the score and progress tell them apart."""
    nothing = assess(
        [dataclasses.replace(GOOD, id=f"a{i}", **NOTHING) for i in range(100)],
        [finding("SG201")],
    )
    one_error = assess(accounts(100, 0, "monitored"), [finding("SG402")])
    assert nothing.stage == one_error.stage == "scattered"
    # nothing covered: five shares at 0, and 99 of 100 accounts free of an SG2/SG4 error
    assert nothing.score == 16 and nothing.progress == 16
    # everything covered, one error on one account of 100: (5 + 99/100) / 6
    assert one_error.error_free == Ratio(99, 100)
    assert one_error.score == 99 and one_error.progress == 99
    assert one_error.steps == ("Fix 1 error finding of SG402 some-rule.",)
    assert nothing.steps[0] == (
        "Owned, with a live backup: 80 more live accounts to reach 80% (0 of 100 now)."
    )


def test_progress_counts_each_indicator_up_to_the_bar_and_steps_say_how_many_more() -> None:
    # 60 of 100 monitored: 60/80 of the way on that indicator, the other four at the bar
    result = assess(accounts(100, 40, "monitored"), [])
    assert result.stage == "scattered" and result.next_stage == "coordinated"
    assert result.progress == 95  # (4 + 3/4 + 1) / 6 = 95.8
    assert result.score == 93  # (4 + 0.6 + 1) / 6 = 93.3
    assert result.steps == ("Monitored: 20 more live accounts to reach 80% (60 of 100 now).",)


def test_coordinated_is_the_top_and_dormant_has_a_first_step() -> None:
    top = assess(accounts(10, 1, "monitored"), [])
    assert (top.stage, top.next_stage, top.progress, top.steps) == ("coordinated", None, 100, ())
    assert top.score == 98  # (4 + 9/10 + 1) / 6 = 98.3
    dormant = assess([], [])
    assert (dormant.score, dormant.progress, dormant.next_stage) == (0, 0, "scattered")
    assert dormant.steps == ("Register the organisation's first live social account.",)


def test_the_indicators_and_the_error_free_share_read_the_rows_once() -> None:
    """Every indicator and the error-free share are worked out in one pass over the live
    Accounts (at 100,000 accounts each pass reads memory the caches no longer hold), with
    each gap in the rows' order and the share as the rows say."""

    class Counted(list[ChannelRow]):
        passes = 0

        def __iter__(self):  # type: ignore[no-untyped-def]
            Counted.passes += 1
            return super().__iter__()

    rows = Counted(
        [
            dataclasses.replace(GOOD, id="b", playbooks=()),
            dataclasses.replace(GOOD, id="a0", monitoring=(), objectives=()),
            dataclasses.replace(GOOD, id="c", backup_status="missing", playbooks=()),
        ]
    )
    result = assess(rows, [finding("SG201")], blocked={"a0"})
    assert Counted.passes == 1
    assert result.error_free == Ratio(2, 3)
    gaps = {i.key: i.gaps for i in result.indicators}
    assert gaps == {
        "owned_with_backup": ("c",),
        "adopting_policies": (),
        "playbook_covered": ("b", "c"),
        "serving_objective": ("a0",),
        "monitored": ("a0",),
    }
