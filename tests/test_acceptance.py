"""Acceptance: tests/acceptance/northwind, a policy repository written blind from the SPEC.

Northwind Utilities (water and energy: contact centre, outage communications, careers,
regional forums) was written from SPEC.md alone, before reading the tool. Its EXPECTED.yaml
lists one planted defect per rule of SPEC section 3, and one for the repository's own rule
NW001, each with the exact line and column a person must edit; everything else is meant to be
clean under every rule. The tests read that file, so the two cannot drift apart, and run the
command line as a user does: every planted defect is found where the SPEC says, nothing else
is reported, the waiver suppresses its finding, and the repository's rule tests pass.

No rule is skipped when it is missing: a rule that is not built fails its assertion.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PROJECT
from socialgov.cli import main

NORTHWIND = PROJECT / "tests" / "acceptance" / "northwind"
EXPECTED: dict[str, Any] = yaml.safe_load((NORTHWIND / "EXPECTED.yaml").read_text("utf-8"))
AS_OF = str(EXPECTED["as_of"])
PLANTED: list[dict[str, Any]] = EXPECTED["findings"]

Entity = tuple[str, str] | None
Key = tuple[str, str, int, int, Entity]
"""(code, path, line, column, entity): what identifies a finding and where to edit."""

_TEXT_LINE = re.compile(
    r"^(?P<path>\S+):(?P<line>\d+):(?P<column>\d+): (?P<code>\S+) \[(?P<sev>\w+)\]"
)


def _entity(value: dict[str, str] | None) -> Entity:
    return None if value is None else (value["kind"], value["id"])


def _key(finding: dict[str, Any]) -> Key:
    return (
        finding["code"],
        finding["path"],
        finding["line"],
        finding["column"],
        _entity(finding["entity"]),
    )


def _under_root(shown: str) -> str:
    return Path(shown).resolve().relative_to(NORTHWIND.resolve()).as_posix()


def _run(tmp: Path, *args: str) -> tuple[int, str]:
    """Run ``socialgov ARGS --root northwind --output FILE`` in process; (exit code, report)."""
    output = tmp / "report"
    code = main([*args, "--root", str(NORTHWIND), "--output", str(output)])
    return code, output.read_text("utf-8")


def _lint(tmp: Path, *args: str) -> tuple[int, str]:
    # --no-cache: judge the files themselves, and write nothing into the source tree
    return _run(tmp, "lint", "--as-of", AS_OF, "--no-cache", *args)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    code, text = _lint(tmp_path_factory.mktemp("json"), "--format", "json")
    return code, json.loads(text)


@pytest.fixture(scope="module")
def reported(report: tuple[int, dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    return {_key(f): f for f in report[1]["findings"]}


def test_lint_reports_exactly_the_planted_defects(reported: dict[Key, dict[str, Any]]) -> None:
    expected = {_key(f) for f in PLANTED}
    missing = sorted(expected - reported.keys(), key=repr)
    unexpected = sorted(reported.keys() - expected, key=repr)
    assert (missing, unexpected) == ([], []), f"missing: {missing}\nunexpected: {unexpected}"


@pytest.mark.parametrize(
    "planted",
    PLANTED,
    ids=[f"{f['code']}-{(f['entity'] or {}).get('id', f['path'])}" for f in PLANTED],
)
def test_planted_defect_is_found_at_the_node_to_edit(
    planted: dict[str, Any], reported: dict[Key, dict[str, Any]]
) -> None:
    same_rule = [k for k in reported if k[0] == planted["code"]]
    finding = reported.get(_key(planted))
    assert finding is not None, (
        f"{planted['code']} expected at {planted['path']}:{planted['line']}:{planted['column']} "
        f"on {planted['entity']} ({planted['node']}); this rule reported {same_rule}"
    )
    assert finding["severity"] == planted["severity"]
    named = {(r["kind"], r["id"]) for r in finding["related"]}
    assert {(r["kind"], r["id"]) for r in planted.get("related", [])} <= named
    assert finding["message"].strip()


def test_the_errors_fail_the_run(report: tuple[int, dict[str, Any]]) -> None:
    code, data = report
    assert code == 1
    assert data["summary"]["total"] == len(PLANTED)
    assert data["summary"]["errors"] == sum(f["severity"] == "error" for f in PLANTED)


def test_text_report_points_at_the_same_places(tmp_path: Path) -> None:
    code, text = _lint(tmp_path, "--format", "text", "--no-color")
    lines = [m for line in text.splitlines() if (m := _TEXT_LINE.match(line))]
    shown = {  # text paths are as the user reaches them (from the working directory)
        (m["code"], _under_root(m["path"]), int(m["line"]), int(m["column"]), m["sev"])
        for m in lines
    }
    expected = {(f["code"], f["path"], f["line"], f["column"], f["severity"]) for f in PLANTED}
    assert code == 1
    assert shown == expected
    assert f"Found {len(PLANTED)} problems" in text


def test_the_valid_waiver_suppresses_its_finding(tmp_path: Path) -> None:
    _, text = _lint(tmp_path, "--format", "json", "--show-suppressed")
    data = json.loads(text)
    suppressed = {
        (f["code"], f["path"], _entity(f["entity"]))
        for f in data["findings"]
        if f.get("suppressed")
    }
    expected = {(f["code"], f["path"], _entity(f["entity"])) for f in EXPECTED["suppressed"]}
    assert suppressed == expected
    assert data["summary"]["suppressed"] == len(expected)
    assert data["summary"]["unused_waivers"] == 0


def test_fingerprints_survive_edits_elsewhere_in_the_files(
    tmp_path: Path, report: tuple[int, dict[str, Any]]
) -> None:
    """SPEC 5: a fingerprint is stable under edits elsewhere in the file (never line numbers).
    Every file gains a comment line on top, and every collection a new first entity that is
    clean (a retired account, a person, a team, ...): each finding moves, none may change."""
    copy = tmp_path / "northwind"
    shutil.copytree(NORTHWIND, copy)
    first_items = {  # {0}: the file's name, so that each new id is unique
        "accounts:\n": "  - {{id: aa-{0}, platform: other, status: retired, retired_on: 2020-01-01}}\n",
        "people:\n": "  - {{id: aa.{0}, employment: full_time}}\n",
        "teams:\n": "  - {{id: aa-team, function: other, lead: aa.people}}\n",
        "channels:\n": "  - {{id: aa-{0}, type: other, status: retired}}\n",
        "objectives:\n": "  - {{id: aa-{0}, strategy: protect-reputation, kpis: [{{name: n, target: 1}}]}}\n",
    }
    for path in copy.rglob("*.yaml"):
        text = path.read_text("utf-8")
        for key, item in first_items.items():
            if text.startswith(key) or f"\n{key}" in text:
                text = text.replace(key, key + item.format(path.stem), 1)
        path.write_text("# moved down by an edit elsewhere\n" + text, "utf-8")
    output = tmp_path / "moved.json"
    args = ["lint", "--root", str(copy), "--as-of", AS_OF, "--no-cache", "--format", "json"]
    main([*args, "--output", str(output)])
    moved = json.loads(output.read_text("utf-8"))["findings"]
    before = {f["fingerprint"]: _key(f) for f in report[1]["findings"]}
    after = {f["fingerprint"]: f["line"] for f in moved}
    assert [key for fingerprint, key in before.items() if fingerprint not in after] == []
    assert len(moved) == len(before)
    assert all(after[print_] > key[2] for print_, key in before.items() if print_ in after)


def test_the_repository_rule_tests_pass(tmp_path: Path) -> None:
    code, text = _run(tmp_path, "test", "--as-of", AS_OF, "--format", "junit")
    cases = ET.fromstring(text).iter("testcase")
    passed, errors, failures = set(), set(), set()
    for case in cases:
        if case.find("failure") is not None:
            failures.add(case.get("name"))
        elif case.find("error") is not None:
            errors.add(str(case.get("classname")).split("::", 1)[0])
        else:
            passed.add(case.get("name"))
    assert failures == set()
    assert passed == set(EXPECTED["rule_tests"]["passed"])
    assert errors == set(EXPECTED["rule_tests"]["errors"])
    assert code == 1  # the unparseable accounts/snapchat.yaml, and nothing else
