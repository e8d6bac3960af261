"""Waivers (SPEC section 5): SG106 invalid-waiver, suppression, unused waivers and how
--show-suppressed reports them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import MakeRepo, lint_and_model, run_lint
from socialgov.cli import main
from socialgov.core.findings import EntityRef, Severity
from socialgov.rules.base import RuleContext
from socialgov.rules.waivers import invalid_waiver

# Policy "stale" is overdue for review (SG405) on 2026-11-24; its waivers are numbered below.
STALE = """\
    people:
      - {id: jdoe, employment: full_time}
    rules:
      - id: service-hours-everywhere
        code: ACME001
        select: {kind: Account}
        assert: {field: platform, present: true}
    policies:
      - id: stale
        owner: jdoe
        review_by: 2026-01-01
        waivers:
          - rule: SG405
            reason: Rewritten this quarter; see GOV-7
            expires: 2026-11-24
      - id: fresh
        owner: jdoe
        waivers:
          - rule: policy-review-overdue
            reason: Kept for when the review date is set
          - rule: SG999
            reason: Typo
          - rule: sg406
          - rule: SG405
            reason: "  "
            expires: 2026-11-23
          - rule: ACME001
            reason: Custom rule by code
          - rule: service-hours-everywhere
            reason: Custom rule by id
          - rule: SG106
            reason: Trying to silence the waiver checks
    """


def test_waiver_problems_are_reported_at_the_offending_node(make_repo: MakeRepo) -> None:
    root = make_repo({"policies.yaml": STALE})
    found = run_lint(root, select=("SG106",)).findings
    assert [(f.line, f.column, f.key) for f in found] == [
        (21, 15, "waivers/SG999"),  # the unknown rule
        (23, 9, "waivers/sg406"),  # no reason at all: the waiver itself
        (25, 17, "waivers/SG405"),  # a blank reason
        (31, 15, "waivers/SG106"),
    ]
    assert all(f.entity == EntityRef("Policy", "fresh") for f in found)
    assert all(f.severity is Severity.ERROR for f in found)
    unknown, no_reason, blank_and_expired, unwaivable = (f.message for f in found)
    assert unknown == (
        "Policy fresh: waivers[1] names rule 'SG999', which does not exist (did you mean "
        "'SG209'?); name a rule by the code or name 'socialgov rules' lists"
    )
    assert no_reason == (
        "Policy fresh: the waiver of sg406 (waivers[2]) has no reason; write in 'reason' why "
        "the exception is acceptable, with a ticket or plan"
    )
    assert blank_and_expired == (
        "Policy fresh: the waiver of SG405 (waivers[3]) has no reason, and expired on "
        "2026-11-23, 1 day before 2026-11-24, so it no longer suppresses anything; write in "
        "'reason' why the exception is acceptable, with a ticket or plan and fix what it "
        "waived, or renew it with a new reason and a later 'expires'"
    )
    assert "waives SG106, which cannot be waived" in unwaivable


def test_unknown_rule_suggests_the_closest(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - id: p\n    waivers:\n      - {rule: policy-reveiw-overdue,"
            " reason: r}\n"
        }
    )
    [finding] = run_lint(root, select=("SG106",)).findings
    assert "(did you mean 'policy-review-overdue'?)" in finding.message


def test_a_waiver_expiring_on_as_of_still_suppresses(make_repo: MakeRepo) -> None:
    root = make_repo({"policies.yaml": STALE})
    result = run_lint(root, select=("SG405",))
    assert result.findings == ()
    [suppressed] = result.suppressed
    assert suppressed.code == "SG405" and suppressed.entity == EntityRef("Policy", "stale")
    assert suppressed.suppressed == "Rewritten this quarter; see GOV-7"


def test_an_expired_waiver_is_reported_and_no_longer_suppresses(make_repo: MakeRepo) -> None:
    root = make_repo({"policies.yaml": STALE})
    result = run_lint(root, select=("SG405", "SG106"), as_of=dt.date(2026, 11, 25))
    stale = [f for f in result.findings if f.entity == EntityRef("Policy", "stale")]
    assert [(f.code, f.line, f.column) for f in stale] == [("SG405", 11, 16), ("SG106", 15, 18)]
    assert "expired on 2026-11-24, 1 day before 2026-11-25" in stale[1].message
    assert result.suppressed == ()


def test_a_waiver_without_reason_does_not_suppress(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - id: p\n    review_by: 2026-01-01\n    waivers: [{rule: SG405}]\n"
        }
    )
    result = run_lint(root, select=("SG405", "SG106"))
    assert [f.code for f in result.findings] == ["SG405", "SG106"]


def test_sg106_findings_cannot_be_waived(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "p.yaml": "policies:\n  - id: p\n    waivers:\n      - {rule: SG999, reason: r}\n"
            "      - {rule: invalid-waiver, reason: Silence}\n"
        }
    )
    result = run_lint(root, select=("SG106",))
    assert [f.key for f in result.findings] == ["waivers/SG999", "waivers/invalid-waiver"]
    assert result.suppressed == ()


def test_rules_the_run_knows_besides_are_valid_waiver_targets(make_repo: MakeRepo) -> None:
    root = make_repo({"p.yaml": "policies:\n  - id: p\n    waivers: [{rule: ACME9, reason: r}]\n"})
    model = lint_and_model(root, select=("SG106",))[1]
    today = dt.date(2026, 11, 24)
    assert len(list(invalid_waiver.check(model, RuleContext(as_of=today)))) == 1  # type: ignore[misc]
    plugin = RuleContext(as_of=today, known_rules=frozenset({"acme9"}))
    assert list(invalid_waiver.check(model, plugin)) == []  # type: ignore[misc]


# ----------------------------------------------------------------------------- unused waivers


def test_unused_waivers_are_info_findings_kept_apart(make_repo: MakeRepo) -> None:
    root = make_repo({"policies.yaml": STALE})
    result = run_lint(root, select=("SG405", "SG106"))
    unused = result.unused_waivers
    assert [(f.code, f.severity, f.line, f.column) for f in unused] == [
        ("SG106", Severity.INFO, 19, 9),
    ]
    assert unused[0].message == (
        "Policy fresh: the waiver for policy-review-overdue (waivers[0]) suppresses nothing "
        "(unused waiver): policy-review-overdue finds nothing wrong here any more; delete the "
        "waiver"
    )
    assert unused[0].key == "unused-waiver/policy-review-overdue"
    assert all(f.severity is Severity.ERROR for f in result.findings)  # not among the findings


@pytest.mark.parametrize("select", [("SG106",), ("SG405",)])
def test_unused_waivers_need_both_their_rule_and_sg106_selected(
    make_repo: MakeRepo, select: tuple[str, ...]
) -> None:
    root = make_repo({"policies.yaml": STALE})
    assert run_lint(root, select=select).unused_waivers == ()


# Only the waivers of "stale" and the unused one of "fresh": no invalid waiver.
VALID_ONLY = STALE.split("      - rule: SG999")[0]


def lint_args(root: Path, *extra: str) -> list[str]:
    return ["lint", "--root", str(root), "--as-of", "2026-11-24", "--fail-on", "info", *extra]


def test_text_shows_suppressed_and_unused_only_on_request(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"policies.yaml": VALID_ONLY})
    monkeypatch.chdir(root)
    assert main(lint_args(root, "--select", "SG405")) == 0
    assert capsys.readouterr().out == "No problems found in 1 file (4 entities, 1 suppressed).\n"

    assert main(lint_args(root, "--select", "SG405,SG106")) == 0
    assert capsys.readouterr().out == (
        "No problems found in 1 file (4 entities, 1 suppressed, 1 unused waiver).\n"
    )

    # Shown with --show-suppressed, and never failing the run, even with --fail-on info.
    assert main(lint_args(root, "--select", "SG405,SG106", "--show-suppressed")) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert out[0].startswith(
        "policies.yaml:11:16: SG405 [warning] Policy stale was due for review on 2026-01-01"
    )
    assert out[0].endswith("(suppressed: Rewritten this quarter; see GOV-7)")
    assert out[1].startswith(
        "policies.yaml:19:9: SG106 [info] Policy fresh: the waiver for policy-review-overdue "
        "(waivers[0]) suppresses nothing (unused waiver)"
    )


def test_json_lists_unused_waivers_with_show_suppressed(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"policies.yaml": VALID_ONLY})
    base = lint_args(root, "--select", "SG405,SG106", "--format", "json")
    main(base)
    plain = json.loads(capsys.readouterr().out)
    assert plain["findings"] == []
    assert plain["summary"]["suppressed"] == 1 and plain["summary"]["unused_waivers"] == 1
    main([*base, "--show-suppressed"])
    shown = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["severity"], f.get("suppressed")) for f in shown] == [
        ("SG405", "warning", {"reason": "Rewritten this quarter; see GOV-7"}),
        ("SG106", "info", None),
    ]
