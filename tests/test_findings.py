"""Findings: the order reports list them in, and each distinct finding once."""

from __future__ import annotations

import random

from socialgov.core.findings import EntityRef, Finding, Severity, in_report_order


def _finding(path: str, line: int, **fields: object) -> Finding:
    values: dict[str, object] = {
        "code": "SG201",
        "name": "unowned-channel",
        "severity": Severity.ERROR,
        "message": "Account a has no owner",
        "path": path,
        "line": line,
        "column": 5,
        **fields,
    }
    return Finding(**values)  # type: ignore[arg-type]


def test_by_file_then_position_then_every_other_field() -> None:
    a = EntityRef("Account", "a")
    findings = [
        _finding("b.yaml", 1),
        _finding("a.yaml", 9),
        _finding("a.yaml", 2, key="x", entity=a),
        _finding("a.yaml", 2, key="w", entity=a),
        _finding("a.yaml", 2, key="w", entity=a, related=(EntityRef("Person", "p"),)),
        _finding("a.yaml", 2, key="w"),
    ]
    ordered = in_report_order(findings)
    assert [(f.path, f.line, f.key) for f in ordered] == [
        ("a.yaml", 2, "w"),
        ("a.yaml", 2, "w"),
        ("a.yaml", 2, "w"),
        ("a.yaml", 2, "x"),
        ("a.yaml", 9, ""),
        ("b.yaml", 1, ""),
    ]
    assert [f.entity for f in ordered[:3]] == [None, a, a] and ordered[2].related


def test_equal_findings_are_kept_once_whatever_their_waiver_reason() -> None:
    first = _finding("a.yaml", 2)
    same = _finding("a.yaml", 2, suppressed="a reason")  # suppressed does not count in equality
    assert first == same and first is not same
    assert in_report_order([first, same, _finding("a.yaml", 3)]) == [first, _finding("a.yaml", 3)]


def test_of_equal_findings_the_first_found_stays() -> None:
    first = _finding("a.yaml", 2)
    same = _finding("a.yaml", 2, suppressed="a reason")
    later = _finding("a.yaml", 1)
    assert [f.suppressed for f in in_report_order([first, later, same])] == [None, None]
    assert in_report_order([first, later, same])[1] is first
    assert in_report_order([same, later, first])[1] is same
    # any iterable, read once
    assert in_report_order(iter([same, later, first]))[1] is same


def test_the_order_never_depends_on_the_order_found() -> None:
    rng = random.Random(7)
    findings = [
        _finding(rng.choice("ab") + ".yaml", rng.randrange(3), key=rng.choice("xyz"))
        for _ in range(60)
    ]
    expected = in_report_order(findings)
    assert len(expected) == len(set(findings))
    for _ in range(5):
        rng.shuffle(findings)
        assert in_report_order(findings) == expected
