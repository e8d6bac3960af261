"""The rule engine: violations turned into findings, each placed and named once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from conftest import AS_OF, MakeRepo
from socialgov.config import load_config
from socialgov.core.findings import EntityRef, Severity
from socialgov.model import Model
from socialgov.pipeline import load_repository
from socialgov.rules import engine
from socialgov.rules.base import Check, RuleContext, RuleInfo, Violation
from socialgov.rules.engine import RuleCrashed, located_findings, to_finding


def _relating(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    accounts = list(model.accounts)
    yield Violation(model.team("care"), "sprawl", related=tuple(accounts))


def _naming(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for account in model.accounts:
        yield Violation(account, f"{account.id} one", field=("platform",))
        yield Violation(account, f"{account.id} two", related=(account,))


def test_findings_are_the_violations_placed_and_name_each_entity_with_one_ref(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every finding is what to_finding makes of its violation, and an entity named by several
    findings (as the finding's entity or among its related) is named by one EntityRef. A
    violation relating entities is placed with the other violations of its file, not alone as
    it comes (placed alone, each cost about three times as much)."""
    from socialgov.source.fastyaml import RymlSourceMap

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
    alone: list[object] = []
    place = RymlSourceMap.place

    def counted(self: RymlSourceMap, base: tuple[object, ...], path: tuple[object, ...]):  # type: ignore[no-untyped-def]
        alone.append(path)
        return place(self, base, path)

    with monkeypatch.context() as patched:
        patched.setattr(RymlSourceMap, "place", counted)
        found = located_findings(model, rules, ctx)
    assert alone == []
    expected = [
        (to_finding(info, v), v.field)
        for info in rules
        for v in info.check(model, ctx)  # type: ignore[misc]
    ]
    assert found == expected
    findings = [finding for finding, _ in found]
    sprawl, *named = findings
    assert [r.id for r in sprawl.related] == ["a", "b"]
    # each EntityRef is the one the model's entity gives (core.findings.entity_ref makes them)
    assert sprawl.entity == model.team("care").ref  # type: ignore[union-attr]
    assert list(sprawl.related) == [account.ref for account in model.accounts]
    for ref in (sprawl.entity, *sprawl.related):
        assert type(ref) is EntityRef
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


def _fielding(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for account in model.accounts:
        yield Violation(account, f"{account.id} team", field=("team",))
        yield Violation(account, f"{account.id} whole")
    yield Violation(model.team("care"), "care's name", field=("name",), key="care")


def _positions_of(model: Model) -> list[object]:
    """Each file's positions (fastyaml's) behind the model's entities."""
    files = {}
    for entity in model.all():
        file = entity.source.document.source_map._file  # type: ignore[attr-defined]
        files[id(file)] = file
    return list(files.values())


def test_violations_are_placed_file_by_file_and_what_placing_looked_up_let_go(
    make_repo: MakeRepo,
) -> None:
    """The findings are what to_finding makes of each violation, in the order found, whether
    placed file by file after the rules (a violation of an entity whose field is a tuple of
    str and int parts, relating entities or not) or at once (one of no entity). Once a file's
    violations are placed, what placing looked up there is let go; with ``release`` (a lint,
    which asks no position after the rules), the file's positions too, except the positions of
    its waivers, which are kept (an unused waiver's finding asks for them after the rules)."""
    files = {
        "teams.yaml": "teams:\n  - {id: care, name: Care}\n",
        "accounts.yaml": "accounts:\n"
        "  - {id: a, platform: x, handle: a, team: care}\n"
        "  - id: b\n    platform: x\n    handle: b\n    team: care\n"
        "    waivers:\n      - {rule: T004, reason: known}\n",
    }
    rules = [
        RuleInfo("T004", "fielding", Severity.INFO, "", "test", check=_fielding),
        RuleInfo("T001", "relating", Severity.INFO, "", "test", check=_relating),
        RuleInfo("T002", "naming", Severity.INFO, "", "test", check=_naming),
    ]
    ctx = RuleContext(as_of=AS_OF)
    model = load_repository(load_config(make_repo(files))).model
    expected = [
        (to_finding(info, v), v.field)
        for info in rules
        for v in info.check(model, ctx)  # type: ignore[misc]
    ]
    for release in (False, True):
        model = load_repository(load_config(make_repo(files))).model
        found = located_findings(model, rules, ctx, release=release)
        assert found == expected
        assert [f.line for f, _ in found[:5]] == [2, 2, 6, 3, 2]
        positions = _positions_of(model)
        assert all(not p._parents and not p._walked for p in positions)
        accounts = next(p for p in positions if p.path == "accounts.yaml")
        assert (accounts._nodes is None) is release
        if release:
            b = model.find("Account", "b")
            assert b is not None
            assert b.locate(("waivers", 0)).line == 8
            assert accounts._nodes is None  # kept: the file is not parsed again for it
    model = load_repository(load_config(make_repo(files))).model
    unplaced = located_findings(model, rules, ctx, place=False)
    assert unplaced == [(replace(finding, line=0, column=0), field) for finding, field in expected]
    assert all(p._lines_before is None for p in _positions_of(model))  # nothing placed


@pytest.mark.parametrize(
    ("place", "release", "given_back"),
    [
        (True, False, False),  # positions asked after the rules (the language server): kept
        (True, True, True),  # a lint: each file's positions let go as it is placed
        (False, False, True),  # the audit: nothing placed, every position still held
    ],
)
def test_what_the_rules_freed_is_given_back_before_the_findings_are_made(
    make_repo: MakeRepo,
    monkeypatch: pytest.MonkeyPatch,
    place: bool,
    release: bool,
    given_back: bool,
) -> None:
    """Without placing (the audit) as with ``release`` (a lint), the C heap the rules freed is
    given back (``return_freed_memory``) before any finding is made: the findings would
    otherwise come on top of it (the audit's peak at 100,000 accounts was its lint's + 1.5 MB)."""
    files = {
        "teams.yaml": "teams:\n  - {id: care, name: Care}\n",
        "accounts.yaml": "accounts:\n  - {id: a, platform: x, handle: a, team: care}\n",
    }
    model = load_repository(load_config(make_repo(files))).model
    calls: list[str] = []
    made = engine.made
    monkeypatch.setattr(engine, "return_freed_memory", lambda: calls.append("given back"))
    monkeypatch.setattr(engine, "made", lambda *a: calls.append("made") or made(*a))
    rules = [RuleInfo("T004", "fielding", Severity.INFO, "", "test", check=_fielding)]
    found = located_findings(model, rules, RuleContext(as_of=AS_OF), place=place, release=release)
    assert found and calls == (["given back"] if given_back else []) + ["made"] * len(found)


def _unplaceable(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    yield Violation(next(iter(model.accounts)), None, field=("team",))  # type: ignore[arg-type]


def _failing(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    yield Violation(next(iter(model.accounts)), "fine", field=("team",))
    raise ValueError("the second rule fails")


def _relating_nothing(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    yield Violation(next(iter(model.accounts)), "odd", field=("team",), related=(object(),))  # type: ignore[arg-type]


@pytest.mark.parametrize("check", [_unplaceable, _relating_nothing])
def test_a_violation_that_cannot_be_made_a_finding_fails_its_rule_in_the_rules_order(
    make_repo: MakeRepo, check: Check
) -> None:
    """A violation that cannot be made into a finding (a plugin's message that is no text, or
    a related entity that is none) fails its own rule as the rule yields it, before a later
    rule runs and fails, as when every violation was placed as it came (one relating entities
    is placed with its file's violations after the rules, its EntityRefs made at once)."""
    root = make_repo({"accounts.yaml": "accounts:\n  - {id: a, platform: x, team: t}\n"})
    model = load_repository(load_config(root)).model
    rules = [
        RuleInfo("T005", "unmade", Severity.INFO, "", "test", check=check),
        RuleInfo("T006", "failing", Severity.INFO, "", "test", check=_failing),
    ]
    with pytest.raises(RuleCrashed) as raised:
        located_findings(model, rules, RuleContext(as_of=AS_OF))
    assert raised.value.info.code == "T005"


def _on_team(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    yield Violation(next(iter(model.accounts)), "team", field=("team",))


def _on_platform(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    yield Violation(next(iter(model.accounts)), "platform", field=("platform",))


def test_a_placing_that_raises_fails_the_rule_of_its_own_violation(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file's violations are placed together; when that raises, each is placed alone, so the
    crash names the rule whose violation could not be placed, not the file's first rule."""
    from socialgov.source.fastyaml import RymlSourceMap

    root = make_repo({"accounts.yaml": "accounts:\n  - {id: a, platform: x, team: t}\n"})
    model = load_repository(load_config(root)).model
    rules = [
        RuleInfo("T010", "on team", Severity.INFO, "", "test", check=_on_team),
        RuleInfo("T011", "on platform", Severity.INFO, "", "test", check=_on_platform),
    ]
    place = RymlSourceMap.place

    def together(self: RymlSourceMap, *args: object) -> None:
        raise ValueError("placing together failed")

    def alone(self: RymlSourceMap, base: tuple[object, ...], path: tuple[object, ...]):  # type: ignore[no-untyped-def]
        if path == ("platform",):
            raise ValueError("the platform cannot be placed")
        return place(self, base, path)

    monkeypatch.setattr(RymlSourceMap, "places_together", together)
    monkeypatch.setattr(RymlSourceMap, "place", alone)
    with pytest.raises(RuleCrashed) as raised:
        located_findings(model, rules, RuleContext(as_of=AS_OF))
    assert raised.value.info.code == "T011"


def _twice_a_line(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for account in model.accounts:
        yield Violation(account, f"{account.id} team", field=("team",))
        yield Violation(account, f"{account.id} team again", field=("team",), key="again")


def test_findings_on_one_line_share_its_number(make_repo: MakeRepo) -> None:
    """The findings placed on one line hold one int of its number (most lines of a large file
    are past the 256 Python keeps one of each: ~15 MB of the stranger's 100,000 accounts'
    490,000 findings), whatever rule found them."""
    accounts = "".join(f"  - {{id: a{i}, platform: x, team: t}}\n" for i in range(400))
    root = make_repo({"accounts.yaml": "accounts:\n" + accounts})
    model = load_repository(load_config(root)).model
    info = RuleInfo("T007", "twice", Severity.INFO, "", "test", check=_twice_a_line)
    found = located_findings(model, [info], RuleContext(as_of=AS_OF))
    last, again = found[-2][0], found[-1][0]
    assert last.line == again.line == 401
    assert last.line is again.line
