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


def _pathing(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for account in model.accounts:
        yield Violation(account, "a field", field=tuple(["handle"]))  # a new tuple each time
        yield Violation(account, "a key", field=("team",), key="".join(["team", ".lead"]))
        yield Violation(account, "an item", field=("tags", int("1")))
        yield Violation(account, "a true key", field=("tags", True))
        yield Violation(account, "a list", field=["handle"])  # type: ignore[arg-type]


def test_equal_paths_and_keys_are_held_once_and_a_true_part_keeps_its_own(
    make_repo: MakeRepo,
) -> None:
    """The findings of a run share one of equal field paths and of equal keys (the
    stranger's 100,000 accounts: 490,000 findings, ~25 paths, ~80 keys); a path holding a
    part other than a str or an int is its own (``("tags", True) == ("tags", 1)``, yet its
    key is ``tags/True``), and so is a list (a plugin's: no dict key, yet placed as before).
    Each finding is still what to_finding makes of its violation."""
    root = make_repo(
        {
            "accounts.yaml": "accounts:\n"
            "  - {id: a, platform: x, handle: a, tags: [p, q]}\n"
            "  - {id: b, platform: x, handle: b, tags: [p, q]}\n"
        }
    )
    model = load_repository(load_config(root)).model
    info = RuleInfo("T003", "pathing", Severity.INFO, "", "test", check=_pathing)
    ctx = RuleContext(as_of=AS_OF)
    found = located_findings(model, [info], ctx)
    assert found == [(to_finding(info, v), v.field) for v in _pathing(model, ctx)]
    keys = ["handle", "team.lead", "tags/1", "tags/True", "handle"]
    assert [f.key for f, _ in found[:5]] == keys
    assert found[4][0].line == found[0][0].line  # a list (a plugin's) placed as its tuple
    first, second = found[:5], found[5:]
    for (one, one_path), (other, other_path) in zip(first, second, strict=True):
        assert one_path == other_path
        assert one.key == other.key
        if type(one_path) is tuple and type(one_path[-1]) is not bool:
            assert other_path is one_path
            assert other.key is one.key
    assert type(first[3][1][1]) is bool
    assert type(second[3][1][1]) is bool
