"""examples/acme against the contract in its README: each planted defect, and nothing else.

The README's defect table is read, not copied, so the two cannot drift apart. Only rules that
are registered take part: a defect whose rule is not built yet is left out, and joins the check
as soon as its rule is registered.
"""

from __future__ import annotations

import re

import pytest

from conftest import ACME, AS_OF
from socialgov.config import load_config
from socialgov.core.findings import EntityRef
from socialgov.pipeline import lint
from socialgov.rules.registry import builtin_rules

_ROW = re.compile(r"^\| *(\d+) *\| *([^|]+?) *\| *(\w+) `([^`]+)`[^|]*\| *(SG\d{3}) *\|")


def _planted() -> set[tuple[str, str, EntityRef]]:
    """(code, file, entity) of every row of the README's "Planted defects" table."""
    text = (ACME / "README.md").read_text(encoding="utf-8")
    table = text.split("## Planted defects", 1)[1].split("### Waived", 1)[0]
    rows = {
        (m[5], m[2], EntityRef(m[3], m[4]))
        for line in table.splitlines()
        if (m := _ROW.match(line))
    }
    assert len(rows) >= 18, "the README's defect table was not understood"
    return rows


@pytest.fixture(scope="module")
def acme() -> tuple[set[tuple[str, str, EntityRef]], set[tuple[str, str, EntityRef]]]:
    result = lint(load_config(ACME).with_overrides(as_of=AS_OF))
    reported = {(f.code, f.path, f.entity) for f in result.findings if f.entity is not None}
    suppressed = {(f.code, f.path, f.entity) for f in result.suppressed if f.entity is not None}
    assert all(f.entity is not None for f in result.findings)
    return reported, suppressed


def test_every_planted_defect_of_a_registered_rule_is_found_and_nothing_else(
    acme: tuple[set[tuple[str, str, EntityRef]], set[tuple[str, str, EntityRef]]],
) -> None:
    registered = {info.code for info in builtin_rules()}
    expected = {row for row in _planted() if row[0] in registered}
    reported, _ = acme
    assert reported == expected


def test_the_waived_dormant_account_is_suppressed(
    acme: tuple[set[tuple[str, str, EntityRef]], set[tuple[str, str, EntityRef]]],
) -> None:
    _, suppressed = acme
    assert suppressed == {("SG302", "accounts/corp-comms.yaml", EntityRef("Account", "masto-acme"))}
