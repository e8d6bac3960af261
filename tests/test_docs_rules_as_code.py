"""Every example of docs/rules-as-code.md behaves as the page says.

Each ```yaml block is loaded like a repository file. A block holding a Rule must compile and every
one of its ``tests`` must pass under ``socialgov test`` (and each rule shows both outcomes: at
least one ``expect: pass`` and one ``expect: fail``). A block preceded by ``<!-- malformed: N -->``
must instead give exactly N SG101 findings on its rule, and the rule must not run.
"""

from __future__ import annotations

import re

import pytest

from conftest import AS_OF, PROJECT
from socialgov.commands.ruletests import PASSED, run_rule_tests
from socialgov.config import Config
from socialgov.model import build_model
from socialgov.rules.custom import compile_model_rules
from socialgov.source.exact import parse_text

DOC = PROJECT / "docs" / "rules-as-code.md"
BLOCK = re.compile(r"(?:<!-- malformed: (\d+) -->\n)?```yaml\n(.*?)```", re.DOTALL)
EXAMPLES = [
    (m.group(2), int(m.group(1)) if m.group(1) else None)
    for m in BLOCK.finditer(DOC.read_text("utf-8"))
]
OPERATORS = (
    "eq",
    "ne",
    "in",
    "not_in",
    "present",
    "matches",
    "gt",
    "ge",
    "lt",
    "le",
    "older_than_days",
    "newer_than_days",
    "contains",
    "all",
    "any",
    "not",
)


def _id(example: tuple[str, int | None]) -> str:
    found = re.search(r"^id: (\S+)", example[0], re.MULTILINE)
    return found.group(1) if found else "block"


def test_the_page_has_examples() -> None:
    assert len(EXAMPLES) >= 20


def test_every_operator_has_an_example() -> None:
    rules = "\n".join(text for text, malformed in EXAMPLES if malformed is None)
    for op in OPERATORS:
        assert re.search(rf"\b{op}:", rules), f"no example uses {op}"
    for assertion in ("same:", "unique:", "count:", "ref:", "group_by:"):
        assert assertion in rules


@pytest.mark.parametrize("example", EXAMPLES, ids=[_id(e) for e in EXAMPLES])
def test_example_behaves_as_documented(example: tuple[str, int | None]) -> None:
    text, malformed = example
    parsed = parse_text(text, "docs/rules-as-code.md")
    assert not parsed.findings
    model, findings = build_model(parsed.documents)
    assert not findings, [f.message for f in findings]
    [rule] = list(model.rules)
    custom = compile_model_rules(model)
    if malformed is not None:
        assert not custom.rules
        assert [f.code for f in custom.findings] == ["SG101"] * malformed, custom.findings
        return
    assert not custom.findings, [f.message for f in custom.findings]
    report = run_rule_tests(model, findings, Config(root=PROJECT, as_of=AS_OF))
    failed = [f"{c.name}: {c.detail}" for c in report.cases if c.outcome != PASSED]
    assert not failed
    expects = {t["expect"] for t in rule.data["tests"]}
    assert expects == {"pass", "fail"}, "show both outcomes"
