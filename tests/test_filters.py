"""The filter stage: which rules run, at which severity, which findings waivers suppress, which a
baseline already knows, and which a PATHS run (pre-commit) is told about."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
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


def test_the_waivers_step_asks_for_the_entities_that_carry_waivers_not_for_each_finding() -> None:
    """A finding's entity is looked up among those carrying waivers (found once each), not asked
    of the model finding by finding: the same split, with one ``find`` per carrier."""
    waived = Waiver("SG203", "Hiring a backup", None, None, 0)
    asked: list[tuple[str, str | None]] = []

    class Holder:
        def __init__(self, entity_id: str, waivers: tuple[Waiver, ...]) -> None:
            self.ref = EntityRef("Account", entity_id)
            self.path = f"accounts/{entity_id}.yaml"
            self.waivers = waivers

        def locate(self, field_path: object = (), *, key: bool = False) -> object:
            raise AssertionError("not located")

    entities = {"x": Holder("x", (waived,)), "y": Holder("y", ())}

    class Holders:
        def find(self, kind: str, entity_id: str | None) -> Holder | None:
            asked.append((kind, entity_id))
            return entities.get(entity_id or "") if kind == "Account" else None

        def all(self) -> list[Holder]:
            return list(entities.values())

    findings = [
        finding("SG203", "y"),
        finding("SG203", "x"),
        finding("SG202", "x"),
        finding("SG203", None),
        replace(finding("SG203", "x"), entity=EntityRef("Team", "x")),  # the same id, a Team
    ] * 50
    outcome = apply_waivers(findings, Holders(), AS_OF)
    assert asked == [("Account", "x")]  # the one carrier, once
    assert [f.suppressed for f in outcome.suppressed] == ["Hiring a backup"] * 50
    waivable = (EntityRef("Account", "x"), "SG203")
    assert outcome.reported == [f for f in findings if (f.entity, f.code) != waivable]
    assert outcome.unused == []


def test_waivers_split_findings_as_each_finding_asked_of_its_entity_would() -> None:
    """The waivers step against its plain reading: each finding's entity asked of the model, its
    first waiver in written order that ``waiver_applies`` says suppresses it (none for SG106),
    and every current waiver that suppressed nothing unused; on random entities, waivers and
    findings: ids shared by kinds, codes and names in any case, expired and reasonless
    waivers, findings without an entity or naming one the model does not hold."""
    import random

    rng = random.Random(18)
    rules = [r for r in RULES if r.code in ("SG106", "SG202", "SG203", "SG204")]

    class Holder:
        def __init__(self, kind: str, entity_id: str, waivers: tuple[Waiver, ...]) -> None:
            self.ref = EntityRef(kind, entity_id)
            self.path = f"{kind}/{entity_id}.yaml"
            self.waivers = waivers

        def locate(self, field_path: object = (), *, key: bool = False) -> object:
            raise AssertionError("not located")

    class Holders:
        def __init__(self, held: list[Holder]) -> None:
            self.held = held
            self.by_ref = {holder.ref: holder for holder in held}

        def find(self, kind: str, entity_id: str | None) -> Holder | None:
            return self.by_ref.get(EntityRef(kind, entity_id or ""))

        def all(self) -> list[Holder]:
            return self.held

    for trial in range(300):
        held = []
        for kind in ("Account", "Team"):
            for entity_id in rng.sample(["a", "b", "c", "d"], rng.randrange(5)):
                waivers = tuple(
                    Waiver(
                        rng.choice([r.code for r in rules] + [r.name.upper() for r in rules]),
                        rng.choice(["why", "", None, "  "]),
                        None,
                        rng.choice([None, AS_OF - DAY, AS_OF, AS_OF + DAY]),
                        index,
                    )
                    for index in range(rng.randrange(4))
                )
                held.append(Holder(kind, entity_id, waivers))
        model = Holders(held)
        findings = []
        for _ in range(rng.randrange(40)):
            info = rng.choice(rules)
            ref = rng.choice(
                [None, *(EntityRef(k, i) for k in ("Account", "Team") for i in "abce")]
            )
            findings.append(
                Finding(info.code, info.name, info.severity, "m", "f.yaml", 1, 1, entity=ref)
            )
        reported, suppressed, used = [], [], set()
        for item in findings:
            entity = model.find(item.entity.kind, item.entity.id) if item.entity else None
            waiver = next(
                (w for w in (entity.waivers if entity else ()) if waiver_applies(w, item, AS_OF)),
                None,
            )
            if waiver is None:
                reported.append(item)
            else:
                suppressed.append(replace(item, suppressed=waiver.reason))
                used.add((entity.ref, waiver.index))  # type: ignore[union-attr]
        unused = [
            (holder.ref, w)
            for holder in held
            for w in holder.waivers
            if w.reason
            and w.reason.strip()
            and (w.expires is None or w.expires >= AS_OF)
            and (holder.ref, w.index) not in used
        ]
        outcome = apply_waivers(findings, model, AS_OF)
        assert [id(f) for f in outcome.reported] == [id(f) for f in reported], trial
        assert [(f, f.suppressed) for f in outcome.suppressed] == [
            (f, f.suppressed) for f in suppressed
        ], trial
        assert outcome.unused == unused, trial
