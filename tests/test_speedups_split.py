"""Sharing the rules with a forked child finds exactly what one process finds."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ACME, AS_OF
from socialgov.config import load_config
from socialgov.core.errors import SocialgovError
from socialgov.model import Model
from socialgov.pipeline import available_rules, lint, load_repository
from socialgov.rules.base import RuleContext, RuleInfo, Violation
from socialgov.rules.engine import RuleCrashed, located_findings
from socialgov.speedups import parallel, split
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
    monkeypatch.setattr(split, "SPLIT_MIN_ENTITIES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    received: list[dict[int, object]] = []
    results = split.Split.results

    def recording(self: split.Split) -> dict[int, object]:
        found = results(self)
        received.append(dict(found))
        return found  # type: ignore[return-value]

    monkeypatch.setattr(split.Split, "results", recording)
    yield received


@pytest.fixture
def parent_takes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave every shared rule to the child, so that what it does is certain to matter."""
    monkeypatch.setattr(split.Split, "claim", lambda self: None)


def every_runnable(rules: tuple[RuleInfo, ...]) -> list[RuleInfo]:
    """The rules with a check, in their order (the structural ones have none)."""
    return [info for info in rules if info.check is not None]


def sequential(setup: Setup, rules: tuple[RuleInfo, ...] | None = None) -> list[object]:
    model, every, _ = setup
    return located_findings(model, rules or every, fresh_context(every))


def run_shared(
    setup: Setup, rules: tuple[RuleInfo, ...] | None = None, **options: object
) -> object:
    model, every, _ = setup
    options.setdefault("jobs", 2)
    return split.check_rules(model, rules or every, fresh_context(every), **options)


def test_shared_rules_find_what_one_process_finds(
    setup: Setup, forking: list[dict[int, object]]
) -> None:
    expected = sequential(setup)
    assert len(expected) > 10
    assert run_shared(setup) == expected  # every finding, in order, with the node it points at
    assert len(forking) == 1  # a child ran


def test_what_the_child_sends_back_is_every_finding_of_its_rules(
    setup: Setup, forking: list[dict[int, object]], parent_takes_nothing: None
) -> None:
    expected = sequential(setup)
    found = run_shared(setup)
    assert found == expected
    assert [f.fingerprint for f, _ in found] == [f.fingerprint for f, _ in expected]  # type: ignore[attr-defined]
    (sent,) = forking
    runnable = every_runnable(setup[1])
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
    assert run_shared(setup, rules) == sequential(setup)
    (sent,) = forking
    sg201 = [info.code for info in every_runnable(rules)].index("SG201")
    assert sg201 not in sent and len(sent) > 1  # the child went on with the other rules


def test_a_child_that_dies_part_way_changes_no_finding(
    setup: Setup, forking: list[dict[int, object]], parent_takes_nothing: None
) -> None:
    parent = os.getpid()
    rules = with_check(
        setup[1], "SG302", lambda check: in_child_only(parent, check, lambda: os._exit(3))
    )
    assert run_shared(setup, rules) == sequential(setup)
    assert forking == [{}]  # nothing came back: this process ran every rule


def crashing(check: object) -> object:
    def checked(model: Model, ctx: RuleContext) -> Iterator[Violation]:
        raise ValueError("a bug in the rule")
        yield from check(model, ctx)  # type: ignore[operator]

    return checked


@pytest.fixture(params=["in the child", "here"])
def who_runs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every shared rule run by one side: the child, or this process."""
    if request.param == "in the child":
        monkeypatch.setattr(split.Split, "claim", lambda self: None)
    else:  # the child, forked after this, inherits it: it takes nothing
        monkeypatch.setattr(split, "_check", lambda *args: {})
    return str(request.param)


def test_a_crashing_rule_is_reported_as_one_process_reports_it(
    setup: Setup, forking: list[dict[int, object]], who_runs: str
) -> None:
    # Two rules whose order in the queue is the other way round from the rules' order: the
    # error must be the first one's, whichever process meets the second first.
    model, every, _ = setup
    runnable = [info.code for info in every_runnable(every)]
    queued = [runnable[index] for index in split.queue_order(model, every_runnable(every), ())]
    first, second = next(
        (a, b)
        for a in runnable
        for b in runnable
        if runnable.index(a) < runnable.index(b) and queued.index(b) < queued.index(a)
    )
    calls: list[str] = []

    def counted(check: object) -> object:
        crash = crashing(check)

        def checked(model: Model, ctx: RuleContext) -> Iterator[Violation]:
            calls.append(first)  # this process's calls only
            return crash(model, ctx)  # type: ignore[operator,no-any-return]

        return checked

    rules = with_check(with_check(every, second, crashing), first, counted)
    with pytest.raises(RuleCrashed) as one_process:
        sequential(setup, rules)
    calls.clear()
    with pytest.raises(RuleCrashed) as shared:
        run_shared(setup, rules)
    assert str(shared.value) == str(one_process.value)
    assert shared.value.info.code == first
    assert calls == [first]  # run once: here, or here again after it failed in the child


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
        run_shared(setup, rules)


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
    found = run_shared(setup, rules, keep_here={"SG202"})
    assert found == sequential(setup)
    assert ran_in == [parent]
    (sent,) = forking
    codes = [info.code for info in every_runnable(rules)]
    assert codes.index("SG202") not in sent  # the child never took it
    assert len(sent) == len(codes) - 1  # and took every other rule


def test_a_refused_fork_leaves_the_rules_to_this_process(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    monkeypatch.setattr(split, "SPLIT_MIN_ENTITIES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)

    def refused() -> int:
        raise OSError(errno.ENOMEM, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", refused)
    open_before = sorted(os.listdir("/proc/self/fd"))
    assert run_shared(setup) == sequential(setup)
    assert sorted(os.listdir("/proc/self/fd")) == open_before  # no pipe left open


def test_an_interrupt_while_waiting_for_the_child_stops_it_at_once(
    setup: Setup, forking: list[dict[int, object]], parent_takes_nothing: None
) -> None:
    import signal
    import time

    parent = os.getpid()
    rules = with_check(
        setup[1], "SG302", lambda check: in_child_only(parent, check, lambda: time.sleep(20))
    )

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    started = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(KeyboardInterrupt):
            run_shared(setup, rules)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 10  # killed, not waited for through its 20 s rule


def test_a_finding_travels_from_the_child_whole() -> None:
    from dataclasses import fields

    from socialgov.core.findings import EntityRef, Finding, Severity

    carried = {"message", "path", "line", "column", "entity", "related", "key"}
    from_the_rule, not_yet = {"code", "name", "severity"}, {"suppressed"}
    # A field added to Finding must travel in the rows too (split._row, split._findings).
    assert {f.name for f in fields(Finding)} == carried | from_the_rule | not_yet
    info = RuleInfo(code="SG999", name="some-rule", severity=Severity.INFO, summary="", family="x")
    finding = Finding(
        code="SG999",
        name="some-rule",
        severity=Severity.INFO,
        message="Account a: what is wrong; how to fix it",
        path="accounts/a.yaml",
        line=7,
        column=5,
        entity=EntityRef("Account", "a"),
        related=(EntityRef("Person", "p"), EntityRef("Account", "b")),
        key="owner",
    )
    node = ("owner",)
    assert split._findings(info, [split._row(finding, node)]) == [(finding, node)]


def test_rules_over_many_entities_are_queued_first(setup: Setup) -> None:
    model, rules, _ = setup
    runnable = every_runnable(rules)
    order = [runnable[index].code for index in split.queue_order(model, runnable, {"SG304"})]
    assert sorted(order) == sorted(info.code for info in runnable if info.code != "SG304")
    # SG503 reads Playbooks only, SG302 every Account: a quick rule is taken last
    assert order.index("SG302") < order.index("SG503")


def test_one_job_is_checked_in_this_process(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(split, "SPLIT_MIN_ENTITIES", 0)

    def refuse() -> int:
        raise AssertionError("one job must not fork")

    monkeypatch.setattr(os, "fork", refuse)
    assert run_shared(setup, jobs=1) == sequential(setup)


def test_a_small_model_is_checked_in_this_process(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    entities = sum(len(of_kind) for of_kind in setup[0].entities.values())
    monkeypatch.setattr(split, "SPLIT_MIN_ENTITIES", entities + 1)

    def refuse() -> int:
        raise AssertionError("a small model must not fork")

    monkeypatch.setattr(os, "fork", refuse)
    assert run_shared(setup) == sequential(setup)


def test_a_queue_too_big_for_the_pipe_is_not_shared(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)

    def refuse() -> int:
        raise AssertionError("a queue that does not fit must not fork")

    monkeypatch.setattr(os, "fork", refuse)
    model, rules, ctx = setup
    many = [rules[0]] * 40_000  # 80,000 bytes: more than a pipe holds (64 KB)
    assert split.Split.start(model, many, list(range(len(many))), ctx) is None


def test_an_interrupted_run_leaves_no_child_behind(
    setup: Setup, forking: list[dict[int, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    start = split.Split.start

    def recording(*args: object) -> split.Split | None:
        outcome = start(*args)  # type: ignore[arg-type]
        assert outcome is not None
        started.append(outcome.child.pid)
        return outcome

    monkeypatch.setattr(split.Split, "start", staticmethod(recording))

    def interrupted(check: object) -> object:
        def checked(model: Model, ctx: RuleContext) -> Iterator[Violation]:
            raise KeyboardInterrupt
            yield from check(model, ctx)  # type: ignore[operator]

        return checked

    rules = with_check(setup[1], "SG202", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_shared(setup, rules, keep_here={"SG202"})
    (pid,) = started
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped already


def test_a_whole_lint_is_the_same_with_the_rules_shared(
    repository: Path, forking: list[dict[int, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(repository).with_overrides(as_of=AS_OF)
    shared = lint(config, jobs=2)
    assert forking
    forking.clear()
    alone = lint(config)  # one process: the default
    assert not forking
    assert shared.findings == alone.findings
    assert shared.suppressed == alone.suppressed
    assert shared.unused_waivers == alone.unused_waivers
