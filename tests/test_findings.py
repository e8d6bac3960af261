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


def _reference_order(findings: list[Finding]) -> list[Finding]:
    """What in_report_order gives, the plain way: a stable sort by every field (file, line,
    column, code, message, key, name, severity, entity, related), equal ones kept once."""
    result: list[Finding] = []
    for finding in sorted(findings, key=_whole_order):
        if not result or _whole_order(result[-1]) != _whole_order(finding):
            result.append(finding)
    return result


def _whole_order(f: Finding) -> tuple[object, ...]:
    entity = ("", "") if f.entity is None else (f.entity.kind, f.entity.id)
    return (
        f.path,
        f.line,
        f.column,
        f.code,
        f.message,
        f.key,
        f.name,
        f.severity,
        entity,
        f.related,
    )


def test_the_order_is_the_sort_by_every_field_with_the_first_of_equal_ones_kept() -> None:
    """Findings are sorted by file, line, column and code, and only those alike in these four
    by their every field: many at one place (several rules at an entity's start), of one rule
    at one place, equal ones, lines and columns small, large and below 1, files and codes named
    alike: each time the plain sort's order, the first of equal ones kept."""
    rng = random.Random(14)
    refs = [None, EntityRef("Account", "a"), EntityRef("Account", "b"), EntityRef("Team", "a")]
    for trial in range(400):
        numbers = [  # lines and columns: small, up to 32 bits, past them, below 0
            [1, 2, 3],
            [1, 2, 3, 2**31, 2**32 - 1],
            [1, 2, 3, 2**31, 2**32 - 1, 2**32, 2**33],
            [1, 2, 3, -1, 0],
        ][trial % 4]
        findings: list[Finding] = []
        for _ in range(rng.randrange(0, 50)):
            if findings and rng.random() < 0.15:  # the same finding found again
                findings.append(rng.choice(findings))
                continue
            findings.append(
                Finding(
                    rng.choice(["SG201", "SG202", "SG20"]),
                    rng.choice(["a", "b"]),
                    rng.choice(list(Severity)),
                    rng.choice(["m", "n", "m "]),
                    rng.choice(["a.yaml", "a/b.yaml", "a.yaml.d/c.yaml", "b.yaml"]),
                    rng.choice(numbers),
                    rng.choice(numbers),
                    rng.choice(refs),
                    rng.choice([(), (EntityRef("Person", "p"),), (EntityRef("Person", "q"),)]),
                    rng.choice(["", "k", "k/0"]),
                    rng.choice([None, "a waiver's reason"]),
                )
            )
        expected = _reference_order(findings)
        ordered = in_report_order(findings)
        assert [id(f) for f in ordered] == [id(f) for f in expected], trial


def test_a_finding_made_without_its_init_is_the_finding_its_init_makes() -> None:
    """``made`` (what the rules' findings are built with) gives the Finding the frozen
    dataclass's constructor gives: a Finding, equal, alike in every slot, hashed and shown
    alike, still frozen, copied by ``replace`` and pickled as one, its long message bounded."""
    import dataclasses
    import pickle

    from socialgov.core.findings import made

    ref, other = EntityRef("Account", "a"), EntityRef("Person", "p")
    for message in ("Account a has no owner", "é" * 5000):
        values = ("SG201", "unowned-channel", Severity.ERROR, message, "a.yaml", 3, 7)
        fast = made(*values, ref, (other,), "owner")
        slow = Finding(*values, ref, (other,), "owner")
        assert type(fast) is Finding and fast == slow and hash(fast) == hash(slow)
        assert repr(fast) == repr(slow) and len(fast.message) < 5000
        assert [getattr(fast, name) for name in Finding.__slots__] == [
            getattr(slow, name) for name in Finding.__slots__
        ]
        try:
            fast.line = 4  # type: ignore[misc]
        except dataclasses.FrozenInstanceError:
            pass
        else:
            raise AssertionError("a made Finding can be changed")
        assert dataclasses.replace(fast, suppressed="why").suppressed == "why"
        assert pickle.loads(pickle.dumps(fast)) == slow
        assert fast.fingerprint == slow.fingerprint and fast.sort_key() == slow.sort_key()


def test_an_entity_ref_made_without_its_init_is_the_ref_its_init_makes() -> None:
    """``entity_ref`` (what the rules' findings name entities with) gives the EntityRef the
    frozen dataclass's constructor gives: an EntityRef, equal, hashed, ordered, shown and
    pickled alike, still frozen."""
    import dataclasses
    import pickle

    from socialgov.core.findings import entity_ref

    refs = [("Account", "a"), ("Account", "b"), ("Person", "a"), ("Team", "é" * 300)]
    for kind, id_ in refs:
        fast, slow = entity_ref(kind, id_), EntityRef(kind, id_)
        assert type(fast) is EntityRef and fast == slow and hash(fast) == hash(slow)
        assert repr(fast) == repr(slow) and str(fast) == str(slow)
        assert fast.as_dict() == slow.as_dict() == {"kind": kind, "id": id_}
        assert pickle.loads(pickle.dumps(fast)) == slow
        assert dataclasses.replace(fast, id="z") == EntityRef(kind, "z")
        try:
            fast.id = "z"  # type: ignore[misc]
        except dataclasses.FrozenInstanceError:
            pass
        else:
            raise AssertionError("a made EntityRef can be changed")
    made_refs = [entity_ref(kind, id_) for kind, id_ in reversed(refs)]
    assert sorted(made_refs) == [EntityRef(kind, id_) for kind, id_ in refs]


def test_no_finding_and_one_finding_are_in_report_order() -> None:
    """The order is picked by one itemgetter of the sorted places, which answers one item (not
    a tuple of one) for a single place: none and one finding are ordered as themselves."""
    one = _finding("a.yaml", 2)
    assert in_report_order([]) == []
    assert in_report_order([one]) == [one]
    assert in_report_order(iter([one])) == [one]
