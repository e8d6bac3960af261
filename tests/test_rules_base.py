"""rules.base: what a rule yields, made as the built-in rules make it."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from socialgov.model import Account, Source
from socialgov.rules.base import Violation, violation
from socialgov.source.loader import Document, SourceMap

DOCUMENT = Document("accounts.yaml", 0, {}, SourceMap())


def _account(account_id: str) -> Account:
    return Account(id=account_id, data={"id": account_id}, source=Source(DOCUMENT, ("accounts", 0)))


def test_a_violation_made_without_its_init_is_the_violation_its_init_makes() -> None:
    """``violation`` (what the built-in rules yield theirs with) gives the Violation the frozen
    dataclass's constructor gives: a Violation, equal, alike in every slot and its defaults,
    shown alike (and hashed alike where it can be), still frozen, copied by ``replace`` and pickled as one."""
    owner, other = _account("a"), _account("b")
    cases = [
        ((owner, "Account a has no owner"), {}),
        ((owner, "m"), {"field": ("owner",), "related": (other,), "key": "owner"}),
        ((None, "no programme"), {"key": "programme"}),
    ]
    for arguments, keywords in cases:
        fast = violation(*arguments, **keywords)
        slow = Violation(*arguments, **keywords)
        assert type(fast) is Violation and fast == slow and repr(fast) == repr(slow)
        if fast.entity is None:  # an entity's data (a dict) is not hashable
            assert hash(fast) == hash(slow)
        assert [getattr(fast, name) for name in Violation.__slots__] == [
            getattr(slow, name) for name in Violation.__slots__
        ]
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.message = "changed"  # type: ignore[misc]
        assert dataclasses.replace(fast, key="other").key == "other"
        assert pickle.dumps(fast) == pickle.dumps(slow)
        assert type(pickle.loads(pickle.dumps(fast))) is Violation
    assert violation(owner, "m") == Violation(owner, "m", (), (), None)
