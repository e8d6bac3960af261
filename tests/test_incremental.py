"""Incremental lint: after a small change, the result is the full run's, found from the state.

Every test makes an edit, then compares what ``lint(cache=True, reuse=True)`` gives with a full
lint without any cache, field by field (fingerprints included), and checks whether the result
was found incrementally or by the full run as the module documents.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ACME, AS_OF
from socialgov.config import CACHE_DIR, load_config
from socialgov.core.findings import EntityRef, Position
from socialgov.model import Waiver
from socialgov.pipeline import lint
from socialgov.report.result import LintResult
from socialgov.speedups import incremental
from socialgov.speedups.incremental import Waivered, WaiverIndex, same
from socialgov.speedups.runcache import ENTRY, RunCache
from test_cache import generated
from test_runcache import everything, plain, run


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    return root


class Spy:
    """Records whether each run was found incrementally (True) or had to run in full."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.outcomes: list[bool] = []
        real = incremental.relint

        def relint(*args: Any, **kwargs: Any) -> Any:
            outcome = real(*args, **kwargs)
            self.outcomes.append(outcome is not None)
            return outcome

        monkeypatch.setattr(incremental, "relint", relint)

    def last(self) -> bool:
        return self.outcomes[-1]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(monkeypatch)


def edit(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {relpath}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def stored_state(root: Path) -> object:
    """The state the last run left for incremental lint."""
    from socialgov.pipeline import discover_files
    from socialgov.speedups.runcache import run_inputs

    config = load_config(root).with_overrides(as_of=AS_OF)
    inputs = run_inputs(config, *discover_files(config), None)
    assert inputs is not None
    stored = RunCache(config).load(inputs.setup)
    assert stored is not None
    return stored.state


def relinted(root: Path) -> LintResult:
    """Lint after an edit, checking the result is the full run's exactly."""
    result = run(root)
    assert everything(result) == everything(plain(root))
    return result


# Edits of the example repository, each with whether it is found incrementally.
Edit = Callable[[Path], None]


def rename(root: Path) -> None:
    edit(root, "accounts/brand-marketing.yaml", "name: Acme on Instagram", "name: Acme, Instagram")


def let_go_quiet(root: Path) -> None:
    """Makes x-acmecorp dormant: SG302 (a local rule) finds something new."""
    edit(root, "accounts/corp-comms.yaml", "last_activity: 2026-11-", "last_activity: 2025-01-")


def switch_mfa_off(root: Path) -> None:
    """SG701, a local rule written in YAML, finds something new."""
    edit(root, "accounts/brand-marketing.yaml", "mfa: true", "mfa: false")


def rename_beside_a_waiver(root: Path) -> None:
    """An entity with a waiver moves down a line: the unused-waiver finding must follow it."""
    edit(root, "accounts/corp-comms.yaml", "\naccounts:\n", "\n# a new comment line\naccounts:\n")


def comment_a_duplicate(root: Path) -> None:
    """SG304's message names the line of the first of two duplicates, which moves down."""
    edit(root, "accounts/brand-marketing.yaml", "accounts:\n", "# moved\naccounts:\n")


def retire(root: Path) -> None:
    """status is read by rules that look at every channel (SG207...): the full run."""
    edit(root, "accounts/talent.yaml", "status: active", "status: retired")


def change_owner(root: Path) -> None:
    """A reference: the full run (and its SG104 check)."""
    edit(root, "accounts/retail.yaml", "owner: felix-wagner", "owner: nobody-here")


def add_an_account(root: Path) -> None:
    path = root / "accounts" / "brand-marketing.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - id: brand-new\n    platform: mastodon\n    handle: acme@mastodon.social\n",
        encoding="utf-8",
    )


def edit_a_policy(root: Path) -> None:
    edit(
        root, "policies/service-sla.yaml", "title: Customer Service Levels", "title: Service Levels"
    )


def break_the_yaml(root: Path) -> None:
    edit(root, "accounts/retail.yaml", "accounts:\n", "accounts: [\n")


EDITS: list[tuple[Edit, bool]] = [
    (rename, True),
    (let_go_quiet, True),
    (switch_mfa_off, True),
    (rename_beside_a_waiver, True),
    (comment_a_duplicate, False),
    (retire, False),
    (change_owner, False),
    (add_an_account, False),
    (edit_a_policy, False),
    (break_the_yaml, False),
]


@pytest.mark.parametrize(
    ("change", "incrementally"), EDITS, ids=lambda e: getattr(e, "__name__", "")
)
def test_an_edit_gives_the_full_runs_result(
    acme: Path, spy: Spy, change: Edit, incrementally: bool
) -> None:
    run(acme)
    change(acme)
    relinted(acme)
    assert spy.last() is incrementally
    again = run(acme)  # the edited state is stored in turn: nothing changed, the result reused
    assert again.run != "full"
    assert everything(again) == everything(plain(acme))


def test_a_local_rule_finds_what_the_edit_brings_and_forgets_what_it_fixes(
    acme: Path, spy: Spy
) -> None:
    run(acme)
    let_go_quiet(acme)
    dormant = [f.entity for f in relinted(acme).findings if f.code == "SG302"]
    assert EntityRef("Account", "x-acmecorp") in dormant and spy.last()
    edit(acme, "accounts/corp-comms.yaml", "last_activity: 2025-01-", "last_activity: 2026-11-")
    assert EntityRef("Account", "x-acmecorp") not in [
        f.entity for f in relinted(acme).findings if f.code == "SG302"
    ]
    assert spy.last()


def unrename(root: Path) -> None:
    edit(root, "accounts/brand-marketing.yaml", "name: Acme, Instagram", "name: Acme on Instagram")


def test_edits_one_after_another_stay_exact(acme: Path, spy: Spy) -> None:
    run(acme)
    for change in (rename, let_go_quiet, switch_mfa_off, rename_beside_a_waiver, retire, unrename):
        change(acme)
        relinted(acme)
    # retire takes the full run; the others are incremental
    assert spy.outcomes == [True, True, True, True, False, True]


def test_two_files_changed_at_once(acme: Path, spy: Spy) -> None:
    run(acme)
    rename(acme)
    let_go_quiet(acme)
    relinted(acme)
    assert spy.last()


def test_a_broken_file_fixed_again_takes_the_full_run(acme: Path, spy: Spy) -> None:
    run(acme)
    break_the_yaml(acme)
    assert any(f.code == "SG100" for f in relinted(acme).findings)
    edit(acme, "accounts/retail.yaml", "accounts: [\n", "accounts:\n")
    assert not any(f.code == "SG100" for f in relinted(acme).findings)
    assert spy.outcomes == [False, False]


def test_too_many_changed_files_take_the_full_run(
    acme: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(incremental, "MAX_CHANGED_FILES", 1)
    run(acme)
    rename(acme)
    let_go_quiet(acme)
    relinted(acme)
    assert spy.last() is False


def test_an_earlier_version_gone_from_the_parse_cache_takes_the_full_run(
    acme: Path, spy: Spy
) -> None:
    run(acme)
    rename(acme)
    for entry in (acme / CACHE_DIR).glob("*/*/*.pickle"):
        entry.unlink()
    relinted(acme)
    assert spy.last() is False


def test_a_tampered_state_is_never_used(acme: Path, spy: Spy) -> None:
    run(acme)
    (entry,) = (acme / CACHE_DIR).glob(f"*/{ENTRY}")
    data = entry.read_bytes()
    entry.write_bytes(data.replace(b"SG302", b"SG999", 1))
    rename(acme)
    relinted(acme)
    assert spy.outcomes == []  # its signature fails: neither result nor state is read


def test_an_id_used_twice_takes_the_full_run_only_for_its_files(acme: Path, spy: Spy) -> None:
    path = acme / "accounts" / "brand-marketing.yaml"  # x-acmecorp is first in corp-comms.yaml
    path.write_text(
        path.read_text(encoding="utf-8") + "  - id: x-acmecorp\n    platform: x\n",
        encoding="utf-8",
    )
    run(acme)
    assert stored_state(acme) is not None
    edit(acme, "accounts/talent.yaml", "name: Acme Jobs on X", "name: Acme Jobs, X")
    relinted(acme)  # a file that holds neither: checked again on its own
    assert spy.last() is True
    rename(acme)  # the file of the second x-acmecorp
    relinted(acme)
    assert spy.last() is False
    let_go_quiet(acme)  # the file of the first
    relinted(acme)
    assert spy.last() is False


def test_a_baseline_applies_as_in_a_full_run(acme: Path, spy: Spy) -> None:
    from socialgov.report.baseline import write_baseline

    baseline = acme / "baseline.json"
    write_baseline(baseline, plain(acme).findings)
    run(acme, baseline=baseline)
    let_go_quiet(acme)
    result = run(acme, baseline=baseline)
    assert everything(result) == everything(plain(acme, baseline=baseline))
    assert spy.last() and result.baselined > 0
    assert [f.code for f in result.findings] == ["SG302"]


# ----------------------------------------------------------------------------- random edits

FIELDS: dict[str, Callable[[random.Random], Any]] = {
    "name": lambda rng: f"Renamed {rng.randrange(1000)}",
    "description": lambda rng: rng.choice(["", "about us", None]),
    "last_activity": lambda rng: (
        f"20{rng.randrange(20, 27)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"
    ),
    "security": lambda rng: rng.choice(
        [{"mfa": False}, {"mfa": True, "credential_custodian": "it"}, {}]
    ),
    "monitoring": lambda rng: rng.choice([[], ["brandwatch"]]),
    "objectives": lambda rng: rng.choice([[], ["objective-0"]]),
    "terms": lambda rng: {"service_hours": rng.choice(["Mon-Fri 08:00-20:00", "24/7"])},
    "metrics": lambda rng: {"active_members_per_month": rng.randrange(200)},
    "status": lambda rng: rng.choice(["active", "retired", "dormant"]),
    "handle": lambda rng: rng.choice(["acme1", "acme2", "bad handle!"]),
    "labels": lambda rng: {"region": rng.choice(["eu", "us"])},
}


def test_random_edits_of_a_generated_inventory_stay_exact(tmp_path: Path, spy: Spy) -> None:
    """Each edit rewrites a whole file (yaml.safe_dump moves every line), changing one field of
    one entity; incremental or not, the result must be the full run's."""
    root = generated(tmp_path / "generated", 150)
    rng = random.Random(20261125)
    files = sorted((root / "accounts").glob("*.yaml"))
    run(root)
    for _ in range(14):
        path = rng.choice(files)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        entity = rng.choice(data["accounts"])
        name = rng.choice(sorted(FIELDS))
        value = FIELDS[name](rng)
        if value is None:
            entity.pop(name, None)
        else:
            entity[name] = value
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        relinted(root)
    assert True in spy.outcomes and False in spy.outcomes


# ----------------------------------------------------------------------------- pieces


def test_same_tells_types_and_order_apart() -> None:
    assert same({"a": [1, "x"]}, {"a": [1, "x"]})
    assert not same(1, True) and not same(1, 1.0) and not same("1", 1)
    assert not same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not same([1], [1, 2])


def test_the_waiver_index_finds_holders_and_their_waivers_positions() -> None:
    waiver = Waiver(rule="SG302", reason="why", approved_by=None, expires=None, index=0)
    holder = Waivered(EntityRef("Account", "a"), "a.yaml", (waiver,), (Position(4, 7),))
    index = WaiverIndex({holder.ref: holder})
    assert index.find("Account", "a") is holder and index.find("Account", "b") is None
    assert index.find("Account", None) is None and list(index.all()) == [holder]
    assert holder.locate(("waivers", 0)) == Position(4, 7)
    with pytest.raises(ValueError, match="only the positions of waivers"):
        holder.locate(("name",))


def test_only_the_edited_entity_is_schema_checked_again(
    acme: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialgov.schema import validation as schema

    run(acme)
    checked: list[Any] = []
    real = schema.check_schema

    def counting(file_name: str, data: Any, *checks: Any) -> list[Any]:
        checked.append(data.get("id") if isinstance(data, dict) else data)
        return real(file_name, data, *checks)

    monkeypatch.setattr(schema, "check_schema", counting)
    rename(acme)
    result = run(acme)
    assert spy.outcomes == [True]
    # socialgov.yaml (no id), then the renamed account alone of its file's fifteen entities
    assert checked == [None, "ig-acmecorp"]
    assert everything(result) == everything(plain(acme))


# ----------------------------------------------------------------------------- PATHS mode

PATHS = [
    ["accounts/brand-marketing.yaml"],
    ["accounts/corp-comms.yaml"],
    ["policies/service-sla.yaml", "people/staff.yaml"],
    ["accounts/retail.yaml", "accounts/brand-marketing.yaml"],
    ["not-in-the-repository.yaml"],
]


@pytest.mark.parametrize("paths", PATHS, ids=lambda p: "+".join(Path(x).stem for x in p))
def test_paths_mode_starts_from_the_state_and_reports_what_a_full_run_does(
    acme: Path, spy: Spy, paths: list[str]
) -> None:
    config = load_config(acme).with_overrides(as_of=AS_OF)
    wanted = [str(acme / p) for p in paths]
    run(acme)
    for change in (None, rename, let_go_quiet):
        if change is not None:
            change(acme)
        result = lint(config, wanted, cache=True, reuse=True)
        assert everything(result) == everything(lint(config, wanted))
        assert result.run != "full" and spy.last()
        assert bool(result.findings) is (paths != ["not-in-the-repository.yaml"])


def test_paths_mode_after_a_full_paths_run_keeps_the_state_not_the_result(
    acme: Path, spy: Spy
) -> None:
    config = load_config(acme).with_overrides(as_of=AS_OF)
    wanted = [str(acme / "accounts" / "retail.yaml")]
    first = lint(config, wanted, cache=True, reuse=True)  # nothing stored yet: the full run
    assert first.run == "full" and spy.outcomes == []
    whole = run(acme)  # the stored result was only retail.yaml's: found from the state
    assert spy.outcomes == [True]
    assert everything(whole) == everything(plain(acme))


def test_edits_one_after_another_check_only_the_edited_entity_each_time(
    acme: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an incremental run spares checking is recorded as valid for the next one."""
    from socialgov.schema import validation as schema

    run(acme)
    checked: list[Any] = []
    real = schema.check_schema

    def counting(file_name: str, data: Any, *checks: Any) -> list[Any]:
        checked.append(data.get("id") if isinstance(data, dict) else data)
        return real(file_name, data, *checks)

    monkeypatch.setattr(schema, "check_schema", counting)
    for name in ("Acme, Instagram", "Acme on IG", "Acme, Instagram"):
        text = (acme / "accounts" / "brand-marketing.yaml").read_text(encoding="utf-8")
        edited = re.sub(r"name: Acme[ ,]+(on )?(Instagram|IG)\n", f"name: {name}\n", text, count=1)
        (acme / "accounts" / "brand-marketing.yaml").write_text(edited, encoding="utf-8")
        checked.clear()
        run(acme)
        assert checked == [None, "ig-acmecorp"]
    assert spy.outcomes == [True, True, True]


def test_a_missing_programme_switches_on_and_off_as_the_full_run_says(
    tmp_path: Path, spy: Spy
) -> None:
    """SPEC section 9: while no live Account records last_activity, SG303 is one finding on
    socialgov.yaml; the edit that records the first one makes it per account, and the edit
    that removes the last one makes it one again. Edits that cannot switch it stay incremental."""
    root = tmp_path / "repo"
    (root / "accounts").mkdir(parents=True)
    (root / "socialgov.yaml").write_text("organisation: T\nselect: [SG303]\n", encoding="utf-8")
    for name in ("a", "b"):
        (root / f"accounts/{name}.yaml").write_text(
            f"accounts:\n  - {{id: {name}1, platform: x}}\n  - {{id: {name}2, platform: x}}\n",
            encoding="utf-8",
        )
    first = relinted(root)
    assert [(f.path, f.entity) for f in first.findings] == [("socialgov.yaml", None)]
    edit(
        root,
        "accounts/a.yaml",
        "{id: a1, platform: x}",
        "{id: a1, platform: x, last_activity: 2026-11-01}",
    )
    switched = relinted(root)
    assert [f.entity.id for f in switched.findings if f.entity] == ["a2", "b1", "b2"]
    edit(
        root,
        "accounts/b.yaml",
        "{id: b1, platform: x}",
        "{id: b1, platform: x, last_activity: 2026-11-02}",
    )
    assert [f.entity.id for f in relinted(root).findings if f.entity] == ["a2", "b2"]
    assert spy.last()  # a1 still has it: b.yaml is checked again on its own
    edit(root, "accounts/a.yaml", "last_activity: 2026-11-01", "last_activity: 2026-11-03")
    relinted(root)
    assert spy.last()
    # the last two go: one finding again
    edit(root, "accounts/a.yaml", ", last_activity: 2026-11-03}", "}")
    edit(root, "accounts/b.yaml", ", last_activity: 2026-11-02}", "}")
    assert [(f.path, f.entity) for f in relinted(root).findings] == [("socialgov.yaml", None)]
