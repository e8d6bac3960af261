"""'Did you mean' suggestions over many names, exactly as ``difflib.get_close_matches`` gives them.

``difflib.get_close_matches`` compares a word with every name, which is slow when a repository
has 100,000 ids and thousands of unknown references. :class:`Suggestions` returns the very same
answer faster, in three exact ways:

- names are grouped by length once, and a whole group is skipped when difflib's first test
  (``real_quick_ratio``, which depends only on the two lengths) already rejects it;
- each distinct word is computed once: the same typo written 3,000 times costs one search;
- a name is skipped when even all of its characters that the word holds at all would not
  pass ``quick_ratio`` (a bound of its count, told by ``str.translate``).

Every name that passes the length test still goes through difflib's own ``quick_ratio`` and
``ratio``, and the best matches are chosen as difflib chooses them (highest score, then the
greatest name), so the result never differs from ``get_close_matches`` on the full list.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from difflib import SequenceMatcher


def _length_ratio(first: int, second: int) -> float:
    """difflib's ``real_quick_ratio`` for two sequences of these lengths, computed as it does."""
    total = first + second
    return 2.0 * min(first, second) / total if total else 1.0


class Suggestions:
    """The close matches of words among a fixed collection of names, remembered per word.

    One instance serves one run (it holds the names it was given and the answers it found);
    ``n`` and ``cutoff`` have difflib's meaning and defaults.
    """

    def __init__(self, names: Iterable[str], *, n: int = 3, cutoff: float = 0.6) -> None:
        if not n > 0:
            raise ValueError(f"n must be > 0: {n!r}")
        if not 0.0 <= cutoff <= 1.0:
            raise ValueError(f"cutoff must be in [0.0, 1.0]: {cutoff!r}")
        self.n = n
        self.cutoff = cutoff
        self._by_length: dict[int, list[str]] = {}
        for name in names:
            self._by_length.setdefault(len(name), []).append(name)
        self._answers: dict[str, list[str]] = {}

    def close_matches(self, word: str) -> list[str]:
        """What ``difflib.get_close_matches(word, names, n, cutoff)`` returns, best first."""
        answer = self._answers.get(word)
        if answer is None:
            answer = self._answers[word] = self._search(word)
        return list(answer)

    @property
    def answered(self) -> int:
        """How many distinct words have been looked up so far."""
        return len(self._answers)

    def remembers(self, word: str) -> bool:
        """Whether ``word`` has been looked up already (asking again costs nothing)."""
        return word in self._answers

    def best(self, word: str) -> str | None:
        """The closest name to ``word``, or None when no name is close enough."""
        matches = self.close_matches(word)
        return matches[0] if matches else None

    def _search(self, word: str) -> list[str]:
        cutoff = self.cutoff
        matcher = SequenceMatcher()
        matcher.set_seq2(word)
        length = len(word)
        # The characters of a name that the word holds at all (those translate does not delete)
        # are at least as many as quick_ratio's matches, so a name whose ratio from them is
        # below the cutoff fails quick_ratio too: told in C, not quick_ratio's Python loop over
        # the name (~7 times the instructions).
        in_word = dict.fromkeys(map(ord, word))
        scored: list[tuple[float, str]] = []
        for name_length, names in self._by_length.items():
            if _length_ratio(name_length, length) < cutoff:
                continue
            total = name_length + length
            for name in names:
                if total and 2.0 * (name_length - len(name.translate(in_word))) / total < cutoff:
                    continue
                matcher.set_seq1(name)
                if matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
                    scored.append((matcher.ratio(), name))
        return [name for _score, name in heapq.nlargest(self.n, scored)]
