"""The filter stage: which rules run, at which severity, which findings waivers suppress, which a
baseline already knows, and which a PATHS run (pre-commit) is told about."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import AS_OF, MakeRepo, lint_and_model, run_lint
from socialgov.core.findings import EntityRef, Finding, Severity
from socialgov.model import Waiver
from socialgov.pipeline import available_rules
from socialgov.report.filters import (
    apply_severity,
    apply_waivers,
    at_or_above,
    configured_severity,
    in_paths,
    select_rules,
    unknown_selectors,
    unused_waiver_findings,
    waiver_applies,
    without_known,
)

RULES = available_rules()
DAY = dt.timedelta(days=1)


def finding(code: str = "SG203", entity: str | None = "x", **fields: object) -> Finding:
    info = next(r for r in RULES if r.code == code)
    values: dict[str, object] = {
        "code": info.code,
        "name": info.name,
        "severity": info.severity,
        "message": f"{code} on {entity}",
        "path": "accounts/x.yaml",
        "entity": EntityRef("Account", entity) if entity else None,
    }
    values.update(fields)
    return Finding(**values)  # type: ignore[arg-type]


def codes_of(rules: tuple[object, ...]) -> set[str]:
    return {r.code for r in rules}  # type: ignore[attr-defined]


def test_select_and_ignore_take_codes_prefixes_names_and_all() -> None:
    every = codes_of(select_rules(RULES, ["ALL"], []))
    assert every == {r.code for r in RULES}
    ownership = codes_of(select_rules(RULES, ["SG2"], []))
    assert ownership and all(code.startswith("SG2") for code in ownership)
    assert codes_of(select_rules(RULES, ["SG2"], ["no-backup-owner"])) == ownership - {"SG203"}
    assert codes_of(select_rules(RULES, ["sg203", "orphan-account"], [])) == {"SG203", "SG202"}
    assert select_rules(RULES, ["ALL"], ["ALL"]) == ()


def test_selectors_that_match_nothing_are_named() -> None:
    assert unknown_selectors(RULES, ["SG2", "orphan-acount", "XX9", "all"]) == [
        "orphan-acount",
        "XX9",
    ]


def test_severity_overrides_by_code_or_name() -> None:
    sg203 = next(r for r in RULES if r.code == "SG203")
    assert configured_severity(sg203, {}) is Severity.WARNING
    assert configured_severity(sg203, {"sg203": Severity.ERROR}) is Severity.ERROR
    assert configured_severity(sg203, {"no-backup-owner": Severity.INFO}) is Severity.INFO
    changed = apply_severity(
        [finding("SG203"), finding("SG202")], {"no-backup-owner": Severity.ERROR}, RULES
    )
    assert [(f.code, f.severity) for f in changed] == [
        ("SG203", Severity.ERROR),
        ("SG202", Severity.ERROR),
    ]


def test_a_waiver_applies_to_its_rule_until_the_end_of_its_expiry_day() -> None:
    waiver = Waiver("no-backup-owner", "Hiring a backup", None, AS_OF, 0)
    assert waiver_applies(waiver, finding("SG203"), AS_OF)
    assert not waiver_applies(waiver, finding("SG203"), AS_OF + DAY)
    assert not waiver_applies(waiver, finding("SG202"), AS_OF)
    assert not waiver_applies(Waiver("SG203", "  ", None, None, 0), finding("SG203"), AS_OF)
    # A waiver never vouches for waivers.
    assert not waiver_applies(Waiver("SG106", "Because", None, None, 0), finding("SG106"), AS_OF)


def test_waivers_in_a_repository_suppress_count_and_report_what_they_did_not_use(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "people.yaml": """\
                people:
                  - {id: ann, employment: full_time}
                """,
            "accounts.yaml": """\
                accounts:
                  - id: x
                    platform: x
                    owner: ann
                    waivers:
                      - {rule: SG203, reason: Hiring a backup, expires: 2027-01-31}
                      - {rule: SG204, reason: Never was a problem}
                """,
        },
        "organisation: Test\nselect: [SG106, SG2]\n",  # SG106 judges unused waivers
    )
    result = run_lint(root)
    assert [f.code for f in result.suppressed] == ["SG203"]
    assert result.suppressed[0].suppressed == "Hiring a backup"
    assert "SG203" not in [f.code for f in result.findings]
    unused = [f for f in result.unused_waivers if f.key == "unused-waiver/sg204"]
    assert (
        len(unused) == 1
        and (unused[0].line, unused[0].column) == (7, 9)
        and "delete the waiver" in unused[0].message
    )
    # After the expiry day the waiver no longer suppresses.
    later = run_lint(root, as_of=dt.date(2027, 2, 1))
    assert "SG203" in [f.code for f in later.findings]


def test_waivers_of_rules_that_did_not_run_are_not_called_unused() -> None:
    waiver = Waiver("SG301", "Merging forums", None, None, 0)

    class Holder:
        ref = EntityRef("Account", "x")
        path = "accounts/x.yaml"
        waivers = (waiver,)

        def locate(self, field_path: object = (), *, key: bool = False) -> object:
            raise AssertionError("an unused waiver of a rule that did not run is not located")

    class Holders:
        def find(self, kind: str, entity_id: str | None) -> Holder:
            return Holder()

        def all(self) -> list[Holder]:
            return [Holder()]

    outcome = apply_waivers([finding("SG203")], Holders(), AS_OF)
    assert [f.code for f in outcome.reported] == ["SG203"] and outcome.suppressed == []
    assert outcome.unused == [(EntityRef("Account", "x"), waiver)]
    ran = select_rules(RULES, ["SG2"], [])
    assert unused_waiver_findings(outcome.unused, Holders(), ran) == []


def test_a_baseline_hides_each_known_finding_once() -> None:
    a, b = finding("SG203", "a"), finding("SG203", "b")
    new, old = without_known([a, a, b], [a.fingerprint])
    assert (new, old) == ([a, b], [a])
    new, old = without_known([a, b], [a.fingerprint, a.fingerprint, b.fingerprint])
    assert (new, old) == ([], [a, b])


def test_paths_keep_findings_located_there_or_about_entities_written_there(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "people/ann.yaml": "kind: Person\nid: ann\nemployment: full_time\n"
            "status: departed\ndeparted_on: 2026-01-01\n",
            "people/bob.yaml": "kind: Person\nid: bob\nemployment: full_time\n",
            "accounts/x.yaml": "kind: Account\nid: x\nplatform: x\nowner: ann\nbackup_owner: bob\n",
            "accounts/y.yaml": "kind: Account\nid: y\nplatform: x\nowner: bob\n",
        },
        "organisation: Test\nselect: [SG202, SG203]\n",
    )
    result, model = lint_and_model(root)
    everything = result.findings
    assert {(f.code, f.entity.id) for f in everything if f.entity} == {
        ("SG202", "x"),
        ("SG203", "y"),
    }
    # The departed owner's file touches the orphan finding on x (related: Person ann).
    touched = in_paths(everything, ["people/ann.yaml"], model)
    assert [(f.code, f.path) for f in touched] == [("SG202", "accounts/x.yaml")]
    assert [f.code for f in in_paths(everything, ["accounts/y.yaml"], model)] == ["SG203"]
    assert in_paths(everything, ["nowhere.yaml"], model) == []


def test_fail_on_threshold() -> None:
    warning, info = finding("SG203"), finding("SG207")
    assert at_or_above([warning, info], Severity.WARNING)
    assert not at_or_above([info], Severity.WARNING)
    assert not at_or_above([warning], None)
    assert not at_or_above([], Severity.INFO)


def test_each_filter_reads_findings_from_any_file(tmp_path: Path) -> None:
    """Findings outside any entity (a broken file) pass the waivers step untouched."""
    broken = finding("SG203", None, path="broken.yaml")

    class Empty:
        def find(self, kind: str, entity_id: str | None) -> None:
            return None

        def all(self) -> list[object]:
            return []

    outcome = apply_waivers([broken], Empty(), AS_OF)  # type: ignore[arg-type]
    assert outcome.reported == [broken] and outcome.suppressed == [] and outcome.unused == []
