"""Message templates: plain names and dotted paths only; nothing reaches Python objects."""

from __future__ import annotations

import datetime as dt

import pytest

from socialgov.lang.selectors import MISSING
from socialgov.lang.template import NOT_SET, TemplateError, parse_template, render_value


def test_renders_names_and_paths_without_str_format() -> None:
    template = parse_template(
        "{kind} {id}: '{terms.service_hours}' {{literal}} {labels.cost-centre}"
    )
    assert template.names == ("kind", "id", "terms.service_hours", "labels.cost-centre")
    values = {"kind": "Account", "id": "x", "terms.service_hours": "9-5", "labels.cost-centre": 7}
    assert template.render(values.__getitem__) == "Account x: '9-5' {literal} 7"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{__class__}", "names starting with '_'"),
        ("{id.__class__}", "names starting with '_'"),
        ("{id.__init__.__globals__}", "names starting with '_'"),
        ("{0}", "positional placeholders"),
        ("{0.real}", "positional placeholders"),
        ("{}", "empty placeholder"),
        ("{id[0]}", "index access"),
        ("{terms[x]}", "index access"),
        ("{value!r}", "conversions such as !r"),
        ("{value!s}", "conversions such as !s"),
        ("{value:>999999999}", "format specifications"),
        ("{value:{id}}", "format specifications"),
        ("{id with space}", "only field names"),
        ("{ {", "literal braces"),
        ("}", "literal braces"),
    ],
)
def test_hostile_placeholders_are_refused(text: str, problem: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(text)
    assert problem in str(caught.value)


def test_every_bad_placeholder_is_listed() -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template("{__class__} and {0} and {id} and {x[1]}")
    assert len(caught.value.problems) == 3


def test_values_render_like_yaml_and_stay_short() -> None:
    assert render_value(True) == "true"
    assert render_value(MISSING) == NOT_SET
    assert render_value(None) == NOT_SET
    assert render_value(["a", 1]) == "a, 1"
    assert render_value({"mfa": False}) == "{mfa: false}"
    assert render_value(dt.date(2026, 1, 2)) == "2026-01-02"
    assert render_value(object()) == "object"  # never a repr with an address
    long = render_value("x" * 10_000)
    assert len(long) == 200 and long.endswith("…")
