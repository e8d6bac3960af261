"""socialgov.schema.validation: a run's entity check answers as validate_entity does."""

from __future__ import annotations

from typing import Any

from socialgov.schema.validation import KIND_FILES, Validity, entity_check, validate_entity

CASES: list[tuple[str, Any]] = [
    ("Account", {"id": "acme-x", "platform": "x"}),
    ("Account", {"id": "acme-x", "platform": "X"}),
    ("Account", {"id": "acme-x"}),
    ("Account", {"id": "acme-x", "platform": "x", "metrics": {"followers": -1}}),
    ("Person", {"id": "ann", "name": "Ann"}),
    ("Person", {"id": "ann", "nmae": "Ann"}),
    ("Team", {"id": "comms", "name": "Comms"}),
    ("Team", {"id": 1}),
]


def test_a_runs_entity_check_answers_as_validate_entity_with_or_without_validity() -> None:
    for validity in (None, Validity()):
        check = entity_check(validity)
        for kind, value in CASES:
            assert check(kind, value) == validate_entity(kind, value, validity), (kind, value)
    assert entity_check()("Account", {"id": "acme-x"}) != []


def test_a_runs_entity_check_spares_what_validity_trusts_and_notes_what_passes() -> None:
    invalid = {"id": "acme-x"}  # no platform
    validity = Validity()
    validity.trust(KIND_FILES["Account"], invalid)
    assert entity_check(validity)("Account", invalid) == []
    assert entity_check(None)("Account", invalid) != []
    valid = {"id": "acme-y", "platform": "x"}
    assert entity_check(validity)("Account", valid) == []
    assert validity.seen[id(valid)] == (KIND_FILES["Account"], valid)
