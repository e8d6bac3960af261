"""The rule engine: violations turned into findings, each placed and named once."""

from __future__ import annotations

from collections.abc import Iterator

from conftest import AS_OF, MakeRepo
from socialgov.config import load_config
from socialgov.core.findings import Severity
from socialgov.model import Model
from socialgov.pipeline import load_repository
from socialgov.rules.base import RuleContext, RuleInfo, Violation
from socialgov.rules.engine import located_findings, to_finding


def _relating(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    accounts = list(model.accounts)
    yield Violation(model.team("care"), "sprawl", related=tuple(accounts))


def _naming(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for account in model.accounts:
        yield Violation(account, f"{account.id} one", field=("platform",))
        yield Violation(account, f"{account.id} two", related=(account,))


def test_findings_are_the_violations_placed_and_name_each_entity_with_one_ref(
    make_repo: MakeRepo,
) -> None:
    """Every finding is what to_finding makes of its violation, and an entity named by several
    findings (as the finding's entity or among its related) is named by one EntityRef."""
    root = make_repo(
        {
            "teams.yaml": "teams:\n  - {id: care, name: Care}\n",
            "accounts.yaml": "accounts:\n"
            "  - {id: a, platform: x, handle: a, team: care}\n"
            "  - {id: b, platform: x, handle: b, team: care}\n",
        }
    )
    model = load_repository(load_config(root)).model
    rules = [
        RuleInfo("T001", "relating", Severity.INFO, "", "test", check=_relating),
        RuleInfo("T002", "naming", Severity.INFO, "", "test", check=_naming),
    ]
    ctx = RuleContext(as_of=AS_OF)
    found = located_findings(model, rules, ctx)
    expected = [
        (to_finding(info, v), v.field)
        for info in rules
        for v in info.check(model, ctx)  # type: ignore[misc]
    ]
    assert found == expected
    findings = [finding for finding, _ in found]
    sprawl, *named = findings
    assert [r.id for r in sprawl.related] == ["a", "b"]
    for finding in named:
        assert finding.entity is not None
        ref = next(r for r in sprawl.related if r == finding.entity)
        assert finding.entity is ref  # the one made when the team's finding related it
        for other in finding.related:
            assert other is ref
