"""Sharing the rules with a forked child finds exactly what one process finds."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ACME, AS_OF
from socialgov import parallel
from socialgov.config import load_config
from socialgov.errors import SocialgovError
from socialgov.lint import available_rules, lint, load_repository
from socialgov.model import Model
from socialgov.rules import parallel as rules_parallel
from socialgov.rules.base import RuleContext, RuleInfo, Violation
from socialgov.rules.engine import RuleCrashed, located_findings
from test_cache import generated

Setup = tuple[Model, tuple[RuleInfo, ...], RuleContext]


@pytest.fixture(scope="module", params=["acme", "generated"])
def repository(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "acme":
        shutil.copytree(ACME, root, dirs_exist_ok=True)
        return root
    return generated(root, 1200)


@pytest.fixture(scope="module")
def setup(repository: Path) -> Setup:
    config = load_config(repository).with_overrides(as_of=AS_OF)
    model = load_repository(config).model
    rules = available_rules(model, repository)
    return model, rules, fresh_context(rules)


def fresh_context(rules: tuple[RuleInfo, ...]) -> RuleContext:
    """A context of its own for each run: rules cache what they derive in it."""
    known = frozenset(n.lower() for info in rules for n in (info.code, info.name))
    return RuleContext(as_of=AS_OF, options={}, known_rules=known)


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[int, object]]]:
    """Split whatever the size, as on a machine of two cores; yields what each child sent."""
    monkeypatch.setattr(rules_parallel, "SPLIT_MIN_ENTITIES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    received: list[dict[int, object]] = []
    results = rules_parallel._Split.results

    def recording(self: rules_parallel._Split) -> dict[int, object]:
        found = results(self)
        received.append(dict(found))
        return found  # type: ignore[return-value]

    monkeypatch.setattr(rules_parallel._Split, "results", recording)
    yield received


@pytest.fixture
def parent_takes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave every shared rule to the child, so that what it does is certain to matter."""
    monkeypatch.setattr(rules_parallel._Split, "claim", lambda self: None)


def sequential(setup: Setup, rules: tuple[RuleInfo, ...] | None = None) -> list[object]:
    model, every, _ = setup
    return located_findings(model, rules or every, fresh_context(every))


def split(setup: Setup, rules: tuple[RuleInfo, ...] | None = None, **options: object) -> object:
    model, every, _ = setup
    return rules_parallel.check_rules(model, rules or every, fresh_context(every), **options)


def test_shared_rules_find_what_one_process_finds(
    setup: Setup, forking: list[dict[int, object]]
) -> None:
    expected = sequential(setup)
    assert len(expected) > 10
    assert split(setup) == expected  # every finding, in order, with the node it points at
    assert len(forking) == 1  # a child ran


def test_what_the_child_sends_back_is_every_finding_of_its_rules(
    setup: Setup, forking: list[dict[int, object]], parent_takes_nothing: None
) -> None:
    expected = sequential(setup)
    found = split(setup)
    assert found == expected
    assert [f.fingerprint for f, _ in found] == [f.fingerprint for f, _ in expected]  # type: ignore[attr-defined]
    (sent,) = forking
    runnable = [info for info in setup[1] if info.check is not None]
    assert sorted(sent) == list(range(len(runnable)))  # the child ran every rule


def in_child_only(parent: int, check: object, misbehave: object) -> object:
    """A check that misbehaves when it runs in another process than ``parent``."""

    def checked(model: Model, ctx: RuleContext) -> Iterator[Violation]:
        if os.getpid() != parent:
            misbehave()  # type: ignore[operator]
        yield from check(model, ctx)  # type: ignore[operator]

    return checked


def with_check(rules: tuple[RuleInfo, ...], code: str, wrap: object) -> tuple[RuleInfo, ...]:
    return tuple(
        dataclasses.replace(info, check=wrap(info.check)) if info.code == code else info  # type: ignore[operator]
        for info in rules
    )


def test_a_rule_that_fails_in_the_child_is_run_again_here(
    setup: Setup, forking: list[dict[int, object]], parent_takes_nothing: None
) -> None:
    parent = os.getpid()

    def fail() -> None:
        raise RuntimeError("only in the child")

    rules = with_check(setup[1], "SG201", lambda check: in_child_only(parent, check, fail))
    assert split(setup, rules) == sequential(setup)
    (sent,) = forking
    sg201 = [info.code for info in rules if info.check is not None].index("SG201")
    assert sg201 not in sent and len(sent) > 1  # the child went on with the other rules


def test_a_child_that_dies_part_way_changes_no_finding(
    setup: Setup, forking: list[dict[int, object]], parent_takes_nothing: None
) -> None:
    parent = os.getpid()
    rules = with_check(
        setup[1], "SG302", lambda check: in_child_only(parent, check, lambda: os._exit(3))
    )
    assert split(setup, rules) == sequential(setup)
    assert forking == [{}]  # nothing came back: this process ran every rule


def crashing(check: object) -> object:
    def checked(model: Model, ctx: RuleContext) -> Iterator[Violation]:
        raise ValueError("a bug in the rule")
        yield from check(model, ctx)  # type: ignore[operator]

    return checked


def test_a_crashing_rule_is_reported_as_one_process_reports_it(
    setup: Setup, forking: list[dict[int, object]]
) -> None:
    rules = with_check(with_check(setup[1], "SG302", crashing), "SG202", crashing)
    with pytest.raises(RuleCrashed) as one_process:
        sequential(setup, rules)
    with pytest.raises(RuleCrashed) as shared:
        split(setup, rules)
    assert str(shared.value) == str(one_process.value)
    assert shared.value.info.code == "SG202"  # the first of the two in the rules' order


def test_an_error_a_rule_explains_is_raised_as_it_is(
    setup: Setup, forking: list[dict[int, object]], parent_takes_nothing: None
) -> None:
    def too_slow(check: object) -> object:
        def checked(model: Model, ctx: RuleContext) -> Iterator[Violation]:
            raise SocialgovError("rule R1: the pattern takes too long; simplify it")
            yield from check(model, ctx)  # type: ignore[operator]

        return checked

    rules = with_check(setup[1], "SG203", too_slow)
    with pytest.raises(SocialgovError, match="rule R1: the pattern takes too long"):
        split(setup, rules)


def test_rules_kept_here_never_run_in_the_child(
    setup: Setup, forking: list[dict[int, object]], parent_takes_nothing: None
) -> None:
    parent = os.getpid()
    ran_in: list[int] = []

    def recording(check: object) -> object:
        def checked(model: Model, ctx: RuleContext) -> Iterator[Violation]:
            ran_in.append(os.getpid())  # a child's list is its own: only this one is seen
            yield from check(model, ctx)  # type: ignore[operator]

        return checked

    rules = with_check(setup[1], "SG202", recording)
    found = split(setup, rules, keep_here={"SG202"})
    assert found == sequential(setup)
    assert ran_in == [parent]


def test_rules_over_many_entities_are_queued_first(setup: Setup) -> None:
    model, rules, _ = setup
    runnable = [info for info in rules if info.check is not None]
    order = [
        runnable[index].code for index in rules_parallel.queue_order(model, runnable, {"SG304"})
    ]
    assert sorted(order) == sorted(info.code for info in runnable if info.code != "SG304")
    # SG503 reads Playbooks only, SG302 every Account: a quick rule is taken last
    assert order.index("SG302") < order.index("SG503")


def test_a_small_model_is_checked_in_this_process(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    entities = sum(len(of_kind) for of_kind in setup[0].entities.values())
    monkeypatch.setattr(rules_parallel, "SPLIT_MIN_ENTITIES", entities + 1)

    def refuse() -> int:
        raise AssertionError("a small model must not fork")

    monkeypatch.setattr(os, "fork", refuse)
    assert split(setup) == sequential(setup)


def test_a_queue_too_big_for_the_pipe_is_not_shared(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)

    def refuse() -> int:
        raise AssertionError("a queue that does not fit must not fork")

    monkeypatch.setattr(os, "fork", refuse)
    model, rules, ctx = setup
    many = [rules[0]] * 40_000  # 80,000 bytes: more than a pipe holds (64 KB)
    assert rules_parallel._Split.start(model, many, list(range(len(many))), ctx) is None


def test_an_interrupted_run_leaves_no_child_behind(
    setup: Setup, forking: list[dict[int, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    start = rules_parallel._Split.start

    def recording(*args: object) -> rules_parallel._Split | None:
        outcome = start(*args)  # type: ignore[arg-type]
        assert outcome is not None
        started.append(outcome.child.pid)
        return outcome

    monkeypatch.setattr(rules_parallel._Split, "start", staticmethod(recording))

    def interrupted(check: object) -> object:
        def checked(model: Model, ctx: RuleContext) -> Iterator[Violation]:
            raise KeyboardInterrupt
            yield from check(model, ctx)  # type: ignore[operator]

        return checked

    rules = with_check(setup[1], "SG202", interrupted)
    with pytest.raises(KeyboardInterrupt):
        split(setup, rules, keep_here={"SG202"})
    (pid,) = started
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped already


def test_a_whole_lint_is_the_same_with_the_rules_shared(
    repository: Path, forking: list[dict[int, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(repository).with_overrides(as_of=AS_OF)
    shared = lint(config)
    assert forking
    monkeypatch.setattr(rules_parallel, "SPLIT_MIN_ENTITIES", 10**9)
    alone = lint(config)
    assert shared.findings == alone.findings
    assert shared.suppressed == alone.suppressed
    assert shared.unused_waivers == alone.unused_waivers
