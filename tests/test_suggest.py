"""Suggestions gives exactly what difflib.get_close_matches gives on the full list of names."""

from __future__ import annotations

import difflib
import random
import string

import pytest

from socialgov.core.suggest import Suggestions


def _random_id(rng: random.Random) -> str:
    alphabet = string.ascii_lowercase + string.digits + "-_."
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))


def _typo(rng: random.Random, word: str) -> str:
    chars = list(word)
    for _ in range(rng.randint(0, 3)):
        action = rng.choice(("drop", "add", "swap", "change"))
        position = rng.randrange(len(chars) + 1)
        if action == "add" or not chars:
            chars.insert(position, rng.choice(string.ascii_lowercase + "-"))
        elif action == "drop":
            del chars[min(position, len(chars) - 1)]
        elif action == "swap" and len(chars) > 1:
            i = min(position, len(chars) - 2)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[min(position, len(chars) - 1)] = rng.choice(string.ascii_lowercase)
    return "".join(chars)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("n", "cutoff"), [(1, 0.7), (3, 0.6), (5, 0.0), (2, 1.0), (4, 0.45)])
def test_same_answer_as_difflib_on_random_ids(seed: int, n: int, cutoff: float) -> None:
    rng = random.Random(seed)
    # Realistic ids (shared prefixes, numbered) mixed with random text, duplicates included.
    names = [f"team-{rng.randrange(60):03d}" for _ in range(80)]
    names += [f"{rng.choice(('acme', 'acct', 'ops'))}-{_random_id(rng)}" for _ in range(150)]
    names += [_random_id(rng) for _ in range(70)]
    suggestions = Suggestions(names, n=n, cutoff=cutoff)
    words = [_typo(rng, rng.choice(names)) for _ in range(120)]
    words += [_random_id(rng) for _ in range(40)] + ["", "team-typo"]
    for word in words:
        expected = difflib.get_close_matches(word, names, n=n, cutoff=cutoff)
        assert suggestions.close_matches(word) == expected, word
        # A second ask is answered from memory, identically.
        assert suggestions.close_matches(word) == expected, word
        assert suggestions.best(word) == (expected[0] if expected else None)


def test_ties_are_broken_as_difflib_breaks_them() -> None:
    # Both names score the same against the word; difflib keeps the greater name.
    names = ["ab-x", "ab-y", "ab-w"]
    assert Suggestions(names, n=1, cutoff=0.5).close_matches("ab-z") == (
        difflib.get_close_matches("ab-z", names, n=1, cutoff=0.5)
    )
    assert Suggestions(names, n=1, cutoff=0.5).best("ab-z") == "ab-y"


def test_names_of_a_length_difflib_rejects_are_never_suggested() -> None:
    # 'a' against 'abcdefgh': real_quick_ratio is 2/9, below any useful cutoff.
    suggestions = Suggestions(["abcdefgh", "b"], n=3, cutoff=0.3)
    assert suggestions.close_matches("a") == difflib.get_close_matches(
        "a", ["abcdefgh", "b"], n=3, cutoff=0.3
    )
    assert suggestions.close_matches("a") == []


def test_no_names_gives_no_suggestion() -> None:
    assert Suggestions([], n=1, cutoff=0.7).best("team-typo") is None


def test_the_answer_returned_is_a_copy() -> None:
    suggestions = Suggestions(["team-a", "team-b"], n=2, cutoff=0.5)
    first = suggestions.close_matches("team-c")
    first.clear()
    assert suggestions.close_matches("team-c") == ["team-b", "team-a"]


@pytest.mark.parametrize(("n", "cutoff"), [(0, 0.6), (1, -0.1), (1, 1.5)])
def test_bad_arguments_are_refused_as_difflib_refuses_them(n: int, cutoff: float) -> None:
    with pytest.raises(ValueError):
        difflib.get_close_matches("x", ["x"], n=n, cutoff=cutoff)
    with pytest.raises(ValueError):
        Suggestions(["x"], n=n, cutoff=cutoff)
