"""Every rule's documented examples do what they say: the failing one fires, the passing one not.

The examples are what ``socialgov explain`` and docs/rules.md show, so this keeps the
documentation from drifting away from behaviour. Each example is written, alone, into a policy
repository whose socialgov.yaml lists one strategy goal (so examples may name it), and linted
on 2026-11-24 with every rule selected; a rule that needs a setting (an option, the
organisation's domains) says so in its ``example_config``, which is added to that socialgov.yaml.
"""

from __future__ import annotations

import pytest
import yaml

from conftest import MakeRepo, codes, run_lint
from socialgov.rules.base import RuleInfo
from socialgov.rules.registry import builtin_rules

CONFIG = """\
organisation: Examples
strategy:
  - id: retain-customers
    statement: Keep churn below 5%
"""

WITH_EXAMPLES = [info for info in builtin_rules() if info.example_fail or info.example_pass]


def _ids(info: RuleInfo) -> str:
    return f"{info.code}-{info.name}"


def test_every_rule_with_a_check_has_both_examples() -> None:
    missing = [
        info.code
        for info in builtin_rules()
        if info.check is not None and not (info.example_fail and info.example_pass)
    ]
    assert missing == []


@pytest.mark.parametrize("info", WITH_EXAMPLES, ids=_ids)
def test_examples_are_plain_yaml_documents(info: RuleInfo) -> None:
    for example in (info.example_fail, info.example_pass):
        assert example.endswith("\n")
        if info.code != "SG100":  # yaml-syntax's failing example is broken on purpose
            assert isinstance(yaml.safe_load(example), dict)


@pytest.mark.parametrize("info", WITH_EXAMPLES, ids=_ids)
def test_failing_example_fires(info: RuleInfo, make_repo: MakeRepo) -> None:
    root = make_repo({"example.yaml": info.example_fail}, config=CONFIG + info.example_config)
    assert info.code in codes(run_lint(root))


@pytest.mark.parametrize("info", WITH_EXAMPLES, ids=_ids)
def test_passing_example_does_not_fire(info: RuleInfo, make_repo: MakeRepo) -> None:
    root = make_repo({"example.yaml": info.example_pass}, config=CONFIG + info.example_config)
    assert info.code not in codes(run_lint(root))
