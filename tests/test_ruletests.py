"""`socialgov test`: every Rule's tests, a pytest-like report, JUnit XML, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MakeRepo
from socialgov.cli import main

SPEC_RULE = """\
kind: Rule
id: service-hours-everywhere
code: ACME001                 # shown like SG codes; must not start with SG
severity: error
description: Every service channel states the same service hours
select:
  kind: [Account, Channel]
  where: {purpose: service, status: {not_in: [retired, planned]}}
assert:
  same: terms.service_hours   # a group assertion: one value across everything selected
message: "{kind} {id} states service hours '{value}', others state {others}"
tests:                        # run by `socialgov test`
  - name: differing hours fail
    entities:
      - {kind: Channel, id: phone, type: phone, purpose: service, terms: {service_hours: "9-5"}}
      - {kind: Account, id: x, platform: x, purpose: service, terms: {service_hours: "24/7"}}
    expect: fail
"""

MORE_TESTS = """\
  - name: same hours pass
    entities:
      - {kind: Channel, id: phone, type: phone, purpose: service, terms: {service_hours: "9-5"}}
      - {kind: Account, id: x, platform: x, purpose: service, terms: {service_hours: "9-5"}}
    expect: pass
  - name: wrongly expected to pass
    entities:
      - {kind: Channel, id: phone, type: phone, purpose: service, terms: {service_hours: "9-5"}}
      - {kind: Account, id: x, platform: x, purpose: service, terms: {service_hours: "24/7"}}
    expect: pass
  - name: wrongly expected to fail
    entities:
      - {kind: Channel, id: phone, type: phone, purpose: service}
    expect: fail
  - name: invalid entity
    entities:
      - {kind: Account, id: x, platfrom: x}
    expect: pass
"""


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["test", "--root", str(root), "--as-of", "2026-11-24", *args])
    return code, capsys.readouterr().out


def test_spec_example_passes(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(make_repo({"rules/hours.yaml": SPEC_RULE}), capsys)
    assert code == 0
    assert "rules/hours.yaml::service-hours-everywhere::differing hours fail PASSED" in out
    assert out.splitlines()[-1] == "1 passed, 0 failed"


def test_failures_are_explained_and_exit_1(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(make_repo({"rules/hours.yaml": SPEC_RULE + MORE_TESTS}), capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[-1] == "2 passed, 3 failed"
    assert "rules/hours.yaml::service-hours-everywhere::same hours pass PASSED" in lines
    assert "rules/hours.yaml::service-hours-everywhere::wrongly expected to pass FAILED" in lines
    assert "rules/hours.yaml::service-hours-everywhere::invalid entity ERROR" in lines
    assert "expected pass, but the rule found 2 problem(s):" in out
    assert "Account x states service hours '24/7', others state '9-5' (Channel phone)" in out
    assert "expected fail, but the rule found nothing" in out
    # the test's entity is located in the rule's own file
    assert "rules/hours.yaml:34:32: SG101" in out and "unknown field 'platfrom'" in out


def test_malformed_rule_is_an_error(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = SPEC_RULE.replace(
        "same: terms.service_hours", "same: terms.service_hours\n  count: {max: 1}"
    )
    code, out = run(make_repo({"rules/hours.yaml": bad}), capsys)
    assert code == 1
    assert "rules/hours.yaml::service-hours-everywhere::(rule) ERROR" in out
    assert "the rule is malformed" in out and "count" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed"


def test_no_tests_is_not_a_failure(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(make_repo({"a.yaml": "accounts: [{id: a, platform: x}]\n"}), capsys)
    assert code == 0
    assert "no rule tests found" in out
    assert out.splitlines()[-1] == "0 passed, 0 failed"


def test_quiet_prints_failures_and_the_summary(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(make_repo({"rules/hours.yaml": SPEC_RULE}), capsys, "--quiet")
    assert (code, out) == (0, "1 passed, 0 failed\n")


def test_junit_is_valid_against_the_strict_schema(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path, standards: Path
) -> None:
    import xmlschema

    xsd = standards / "junit" / "windyroad-JUnit.xsd"
    hostile = (
        SPEC_RULE + MORE_TESTS + '  - name: "<&> \\u0001 ]]>"\n    entities: []\n    expect: pass\n'
    )
    root = make_repo({"rules/hours.yaml": hostile})
    output = tmp_path / "report.xml"
    code, _ = run(root, capsys, "--format", "junit", "--output", str(output))
    assert code == 1
    schema = xmlschema.XMLSchema(str(xsd))
    schema.validate(str(output))
    import xml.etree.ElementTree as ET

    suite = ET.parse(output).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "2", "1")
    names = [case.get("name") for case in suite.iter("testcase")]
    assert "<&> \\x01 ]]>" in names  # a control character is shown, as in every report


def test_a_file_that_does_not_parse_is_an_error(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({"rules/hours.yaml": SPEC_RULE, "rules/broken.yaml": "rules:\n  - id: [\n"})
    code, out = run(root, capsys)
    assert code == 1
    assert "rules/broken.yaml::(file)::yaml-syntax ERROR" in out
    assert "the file cannot be read, so its Rules and their tests cannot run" in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"
