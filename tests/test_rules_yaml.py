"""The built-in rules written in the rules-as-code language (the project's rules/ folder)."""

from __future__ import annotations

from conftest import AS_OF, PROJECT
from socialgov.commands.ruletests import PASSED, run_builtin_tests
from socialgov.config import Config
from socialgov.rules.custom import yaml_compiled_rules, yaml_rules
from socialgov.rules.registry import builtin_rules


def test_yaml_rules_join_the_builtin_registry() -> None:
    codes = {info.code for info in yaml_rules()}
    assert "SG406" in codes
    builtin = {info.code: info for info in builtin_rules()}
    for info in yaml_rules():
        # the registry's rule is this one, or this one reporting a missing programme once
        registered = builtin[info.code]
        assert registered is info or registered.check is not info.check
        assert (registered.name, registered.summary) == (info.name, info.summary)
        for kind, fields in info.reads.fields.items():  # a programme rule reads waivers too
            assert registered.reads.fields[kind] - {"waivers"} == fields - {"waivers"}
        assert info.code.startswith("SG")
        assert info.family != "custom"
        assert info.summary and info.rationale and info.fix
        assert info.example_fail and info.example_pass


def test_every_yaml_rule_has_passing_and_failing_tests_that_hold() -> None:
    report = run_builtin_tests(Config(root=PROJECT, as_of=AS_OF))
    failed = [f"{c.node_id}: {c.detail}" for c in report.cases if c.outcome != PASSED]
    assert not failed
    for rule in yaml_compiled_rules():
        expects = {test["expect"] for test in rule.data["tests"]}
        assert expects == {"pass", "fail"}, rule.id


def test_every_rules_file_is_documented_in_rules_as_code() -> None:
    text = (PROJECT / "docs" / "rules-as-code.md").read_text(encoding="utf-8")
    for info in yaml_rules():
        assert f"{info.code} {info.name}" in text
