"""The JSON writer every JSON report uses: exactly what Python's JSON encoder writes."""

from __future__ import annotations

import json
import math
import random
from collections import OrderedDict
from typing import Any

import pytest

from socialgov.core.escape import indented_json, json_safe, json_text
from socialgov.core.findings import Severity

STRINGS = (
    "",
    "plain",
    'quote " back\\slash',
    "é✓ 中文 😀",
    "\x00\x1b[31m\x7f\x85",
    "\u2028\u202e",
    "\ud800",
)


class Text(str):
    """A str subclass: the encoder writes it as a string."""


def _value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(12 if depth < 4 else 8)
    if kind == 0:
        return rng.choice(STRINGS)
    if kind == 1:
        return rng.choice((None, True, False))
    if kind == 2:
        return rng.choice((0, -1, 10**30, Severity.WARNING, True))
    if kind == 3:
        return rng.choice((0.0, -0.0, 1.5, 1e300, 1e-7, math.inf, -math.inf, math.nan))
    if kind == 4:
        return Text(rng.choice(STRINGS))
    if kind in (5, 6, 7):
        return rng.choice(("a", 1, 2.5))
    if kind in (8, 9):
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 10:
        return tuple(_value(rng, depth + 1) for _ in range(rng.randrange(3)))
    keys = (*STRINGS, 1, -2, 2.5, math.inf, True, False, None, Text("k"))
    return {rng.choice(keys): _value(rng, depth + 1) for _ in range(rng.randrange(5))}


@pytest.mark.parametrize("seed", range(20))
def test_indented_json_is_the_encoders_output(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        value = _value(rng, 0)
        assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_containers_and_scalars_at_the_top() -> None:
    for value in ([], {}, (), "x", 1, None, OrderedDict(b=1, a=[{}]), [[[]]], {"": {"": []}}):
        assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_the_encoder_refuses_is_refused() -> None:
    for value in ({1j: 1}, {(1, 2): 1}):
        with pytest.raises(TypeError, match="keys must be str, int, float, bool or None"):
            indented_json(value)
    for value in ([object()], {1, 2}, b"bytes"):
        with pytest.raises(TypeError, match="is not JSON serializable"):
            indented_json(value)


def test_json_text_is_safe_and_decodes_to_the_same_data() -> None:
    value = {"message": "\x1b[2J\u202eevil\u2028", "n": [1, 2.5, None]}
    text = json_text(value)
    assert text == json_safe(json.dumps(value, indent=2, ensure_ascii=False)) + "\n"
    assert "\x1b" not in text and "\u202e" not in text and "\\u001b" in text
    assert json.loads(text) == value
