"""The pipeline's run for the audit: ``lint_evaluated(placed=False)`` places only the findings
whose report order their entities do not tell, and reports the same findings in an order the
audit cannot tell from the placed run's."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import ACME, AS_OF, PROJECT, MakeRepo
from socialgov.audit.metrics import AuditInput, build_report
from socialgov.audit.renderers import FORMATS, RenderOptions, renderer
from socialgov.config import load_config
from socialgov.core.findings import Finding
from socialgov.pipeline import lint_evaluated
from socialgov.rules.base import RuleInfo
from socialgov.source.fastyaml import RymlSourceMap

PEOPLE = """\
people:
  - {id: ana, name: Ana, employment: full_time, team: care}
  - {id: ben, name: Ben, employment: full_time, team: care}
  - {id: dan, name: Dan, employment: full_time, team: care, status: departed}
"""

# Files whose entities' order tells their findings' order, and files where it does not.
ORDERED = {
    "people.yaml": PEOPLE,
    "teams.yaml": "teams:\n  - {id: care, function: service, lead: ana}\n",
    # two collections, channels first; an extension key; a second document of one entity; a
    # finding of the model (SG104) inside a2, between the rules' findings of a1 and a3; two
    # findings of one rule (SG208) on a3; an empty value last in a4
    "accounts/mixed.yaml": """\
x-notes: {a: 1}
channels:
  - {id: phone, type: phone, purpose: service}
  - {id: email, type: email, purpose: service, owner: ana}
accounts:
  - id: a1
    platform: x
    handle: a1
    purpose: service
  - id: a2
    platform: x
    handle: a2
    owner: ana
    team: nowhere
    purpose: service
  - id: a3
    platform: x
    handle: a3
    owner: ana
    purpose: service
    access:
      - {person: dan, role: admin, via: native}
      - {person: ben, role: admin, via: native}
      - {person: dan, role: editor, via: native}
  - id: a4
    platform: x
    handle: a4
    purpose: service
    url:
---
kind: Account
id: a5
platform: x
handle: a5
purpose: service
""",
    # merged from an anchor: a finding may be placed in another entity's text
    "accounts/anchored.yaml": """\
x-base: &base {platform: x, purpose: service, owner: dan}
accounts:
  - {<<: *base, id: b1, handle: b1}
  - {<<: *base, id: b2, handle: b2, owner: ana}
  - {<<: *base, id: b3, handle: b3}
""",
    # one entity alone in its file, two findings of one rule on it
    "accounts/alone.yaml": """\
accounts:
  - id: s1
    platform: x
    handle: s1
    purpose: service
    access:
      - {person: dan, role: admin, via: native}
      - {person: dan, role: editor, via: native}
""",
    "accounts/quiet.yaml": """\
accounts:
  - {id: q1, platform: x, handle: q1, purpose: service}
  - {id: q2, platform: x, handle: q2, purpose: service, owner: ana}
""",
    "accounts/flow.yaml": "accounts: [{id: f1, platform: x, handle: f1, purpose: service},"
    " {id: f2, platform: x, handle: f2, owner: nobody, purpose: service}]\n",
    # one id twice in a file (the model's SG103 on the second)
    "accounts/twice.yaml": """\
accounts:
  - {id: d0, platform: x, handle: d0, owner: ana, backup_owner: ben, purpose: service}
  - {id: d1, platform: x, handle: d1, owner: ana, backup_owner: ben, purpose: service}
  - {id: d1, platform: x, handle: d1b, purpose: service}
""",
    # a key written twice in one mapping
    "accounts/repeated.yaml": """\
accounts:
  - {id: r1, platform: x, handle: r1, purpose: service}
channels:
  - {id: r2, type: phone, purpose: service}
accounts:
  - {id: r3, platform: x, handle: r3, purpose: service}
""",
}


def _written(finding: Finding) -> tuple[Any, ...]:
    """A finding but for its place."""
    entity = None if finding.entity is None else (finding.entity.kind, finding.entity.id)
    return (
        finding.code,
        finding.name,
        int(finding.severity),
        finding.message,
        finding.path,
        entity,
        finding.related,
        finding.key,
        finding.suppressed,
    )


def _order(findings: tuple[Finding, ...]) -> tuple[Any, ...]:
    """What the audit reads of the findings' order: the entities in the order of their first
    finding, each rule's entities so, and each rule's findings on one entity in order."""
    entities: dict[Any, None] = {}
    by_rule: dict[str, dict[Any, None]] = {}
    runs: dict[tuple[Any, str], list[tuple[Any, ...]]] = {}
    for finding in findings:
        written = _written(finding)
        entities[written[5]] = None
        by_rule.setdefault(finding.code, {})[written[5]] = None
        runs.setdefault((written[5], finding.code), []).append(written)
    return (
        list(entities),
        {code: list(about) for code, about in by_rule.items()},
        runs,
        Counter(map(_written, findings)),
    )


def _audit(root: Path, placed: bool) -> tuple[dict[str, str], Any, Any]:
    """The audit of ``root`` (``--by team``) in every format, from a run placed or not, and
    the order of its findings and suppressed ones."""
    config = load_config(root).with_overrides(as_of=AS_OF)
    result, evaluation = lint_evaluated(config, placed=placed)
    report = build_report(
        AuditInput(
            model=evaluation.repo.model,
            findings=result.findings,
            suppressed=result.suppressed,
            rules=result.rules,
            as_of=AS_OF,
            options=config.options,
            organisation=config.organisation,
            root="root",
            tool_version="test",
            selections=evaluation.selections,
            by="team",
        )
    )
    shown = {name: renderer(name)(report, RenderOptions()) for name in FORMATS}
    return shown, _order(result.findings), _order(result.suppressed)


def _same_audit(root: Path) -> int:
    placed = _audit(root, True)
    unplaced = _audit(root, False)
    assert unplaced[1] == placed[1]
    assert unplaced[2] == placed[2]
    assert unplaced[0] == placed[0]
    return sum(placed[1][3].values())


def test_an_unplaced_run_orders_findings_as_the_placed_run(make_repo: MakeRepo) -> None:
    """The same findings; the entities in the order of their first finding, each rule's too,
    and each rule's findings on one entity in order; the same audit."""
    root = make_repo(ORDERED)
    assert _same_audit(root) > 20
    codes = {f[0] for f in _audit(root, True)[1][3]}
    assert {"SG104", "SG101", "SG102", "SG208"} <= codes  # the cases meant are there


def test_an_unplaced_run_of_the_example_is_the_placed_run() -> None:
    _same_audit(ACME)


@pytest.mark.parametrize("generator", ["human", "stranger"])
def test_an_unplaced_run_of_generated_trees_is_the_placed_run(
    generator: str, tmp_path: Path
) -> None:
    """The benchmark's generators: anchors, merges, flows, documents, text blocks, broken
    files, thousands of findings."""
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    try:
        main = __import__(generator).main
    finally:
        sys.path.remove(str(PROJECT / "benchmarks"))
    main(["--accounts", "400", "--out", str(tmp_path / "tree"), "--seed", "3"])
    assert _same_audit(tmp_path / "tree") > 100


def test_an_unplaced_run_places_only_what_its_entities_do_not_order(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No finding of a file written in its data's order is placed but those of an entity
    with two findings of one rule, or in whose text a placed finding falls (and the starts
    of the entities bisected to find it); in a file with anchors every finding is placed."""
    root = make_repo(ORDERED)
    config = load_config(root).with_overrides(as_of=AS_OF)
    asked: list[tuple[str, tuple[Any, ...], tuple[Any, ...]]] = []
    place = RymlSourceMap.place

    def counted(self: RymlSourceMap, base: Any, path: Any) -> tuple[int, int]:
        asked.append((self._file.path, base, path))
        return place(self, base, path)

    together = RymlSourceMap.places_together

    def counted_together(
        self: RymlSourceMap, sources: Sequence[Any], fields: Sequence[Any]
    ) -> list[tuple[int, int]] | None:
        places = together(self, sources, fields)
        if places is not None:  # a file's findings placed at once (loader.places_in)
            asked.extend(
                (self._file.path, source.base, field)
                for source, field in zip(sources, fields, strict=True)
            )
        return places

    monkeypatch.setattr(RymlSourceMap, "place", counted)
    monkeypatch.setattr(RymlSourceMap, "places_together", counted_together)
    result, _ = lint_evaluated(config, placed=False)
    by_file = Counter(path for path, _, _ in asked)
    # (SG102: the loader's, placed as the file is read)
    found = Counter(f.path for f in (*result.findings, *result.suppressed) if f.code != "SG102")
    # mixed.yaml: a3's findings (two SG208), and a2's (the model's SG104 is in its text);
    # neither a1's nor the channels' (the starts of a few entities are asked, to bisect)
    in_mixed = [(base, path) for file, base, path in asked if file == "accounts/mixed.yaml"]
    assert (("accounts", 2), ("access", 0, "person")) in in_mixed
    assert (("accounts", 2), ("access", 2, "person")) in in_mixed
    assert not any(
        base in (("accounts", 0), ("channels", 0), ("channels", 1)) for base, _ in in_mixed
    )
    assert by_file["accounts/mixed.yaml"] < found["accounts/mixed.yaml"]
    # quiet.yaml: no finding placed by the model, one of each rule an entity: nothing placed
    assert by_file["accounts/quiet.yaml"] == 0 < found["accounts/quiet.yaml"]
    # flow.yaml: only f2's (the model's SG104 is in its text)
    assert {base for file, base, _ in asked if file == "accounts/flow.yaml"} == {("accounts", 1)}
    # anchored.yaml and repeated.yaml (a key twice): each finding placed
    for name in ("accounts/anchored.yaml", "accounts/repeated.yaml"):
        assert by_file[name] >= found[name] > 0
    unplaced = len(asked)
    lint_evaluated(config)
    assert unplaced < len(asked) - unplaced  # what the placed run places


def test_the_audit_asks_for_an_unplaced_run(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_audit's lint places only what the order needs (and shows what a placed run does)."""
    import socialgov.pipeline
    from conftest import run_audit

    asked: list[bool] = []
    evaluated = socialgov.pipeline.lint_evaluated

    def recorded(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("placed", True))
        return evaluated(*args, **kwargs)

    monkeypatch.setattr(socialgov.pipeline, "lint_evaluated", recorded)
    root = make_repo(ORDERED)
    report = run_audit(root, by="team")
    assert asked == [False]
    shown = renderer("json")(report, RenderOptions())
    assert json.loads(shown)["findings"] == json.loads(_audit(root, True)[0]["json"])["findings"]


def _installed_beside(monkeypatch: pytest.MonkeyPatch, info: RuleInfo) -> None:
    """The run's rules with ``info``, a rule of the test's own, installed beside them as a
    plugin's rule would be (the two tests below share this; duplicates' D3)."""
    import socialgov.pipeline

    installed = socialgov.pipeline._installed
    monkeypatch.setattr(socialgov.pipeline, "_installed", lambda config: (*installed(config), info))


def test_a_finding_about_an_entity_the_model_does_not_hold_is_placed(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin's rule may name an entity of its own: the unplaced run cannot order it by the
    model's entities, and places every finding, as the placed run does."""
    from dataclasses import replace

    from socialgov.core.findings import Severity
    from socialgov.model import Model
    from socialgov.rules.base import RuleContext, Violation

    def ghostly(model: Model, ctx: RuleContext) -> Any:
        for account in model.accounts:
            yield Violation(replace(account, id=f"ghost-{account.id}"), "a ghost")

    _installed_beside(
        monkeypatch, RuleInfo("XG001", "ghost", Severity.ERROR, "", "test", check=ghostly)
    )
    root = make_repo(ORDERED)
    config = load_config(root).with_overrides(as_of=AS_OF)
    placed, _ = lint_evaluated(config)
    unplaced, _ = lint_evaluated(config, placed=False)
    assert any(f.code == "XG001" for f in placed.findings)
    assert unplaced.findings == placed.findings  # lines and columns too


def test_the_audits_run_reads_the_lines_then_lets_go_of_the_positions_for_good(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lines``: each Account's and Channel's line read before the rules (the positions a
    placed run finds); the positions of the files written in their data's order without a
    placed finding let go before the rules run, every file's for good once the findings are
    ordered; the same findings and suppressed ones, but no unused waiver judged."""
    from socialgov.core.findings import Severity
    from socialgov.model import Model
    from socialgov.rules.base import RuleContext

    files = {
        **ORDERED,
        "accounts/waived.yaml": """\
accounts:
  - id: w1
    platform: x
    handle: w1
    owner: ana
    purpose: service
    waivers:
      - {rule: SG204, reason: never was a problem}
""",
    }
    root = make_repo(files)
    config = load_config(root).with_overrides(as_of=AS_OF)
    placed_result, placed = lint_evaluated(config)
    model = placed.repo.model
    want = [entity.locate().line for entity in (*model.accounts, *model.channels)]
    assert placed_result.unused_waivers  # the SG204 waiver suppresses nothing

    held: dict[str, bool] = {}  # each file: its positions held when the rules run

    def watch(model: Model, ctx: RuleContext) -> Any:
        for entity in model.all():
            file = entity.source.document.source_map._file  # type: ignore[attr-defined]
            held[file.path] = file._nodes is not None
        return iter(())

    _installed_beside(
        monkeypatch, RuleInfo("XW001", "watch", Severity.INFO, "", "test", check=watch)
    )
    result, evaluation = lint_evaluated(config, placed=False, lines=True)
    assert list(evaluation.lines or ()) == want
    assert not held["accounts/quiet.yaml"]  # in its data's order, nothing placed in it
    assert not held["accounts/waived.yaml"]
    assert held["accounts/anchored.yaml"]  # every finding placed after the rules
    assert held["accounts/mixed.yaml"]  # the model's SG104 is placed among the rules' findings
    assert _order(result.findings) == _order(placed_result.findings)
    assert _order(result.suppressed) == _order(placed_result.suppressed)
    assert result.unused_waivers == ()
    for entity in evaluation.repo.model.all():
        with pytest.raises(RuntimeError, match="let go for good"):
            entity.locate()
    # without ``lines`` the positions are let go, not for good: a position asked is found again
    _, again = lint_evaluated(config, placed=False)
    assert again.lines is None
    model = again.repo.model
    assert [entity.locate().line for entity in (*model.accounts, *model.channels)] == want
    # without ``positions_after`` (the audit's formats that show no line) no line is read and
    # the positions are let go for good all the same: nothing asks one after the run
    result, gone = lint_evaluated(config, placed=False, positions_after=False)
    assert gone.lines is None
    assert _order(result.findings) == _order(placed_result.findings)
    for entity in gone.repo.model.all():
        with pytest.raises(RuntimeError, match="let go for good"):
            entity.locate()
