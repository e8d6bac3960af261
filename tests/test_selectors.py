"""The selector and condition language (SPEC 4.1): every operator, missing values, references,
combinations, and errors located at their node."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import pytest

from socialgov.lang.selectors import MISSING, SelectorError, compile_selector, resolve, select
from socialgov.model import Model, build_model
from socialgov.source.exact import parse_text

AS_OF = dt.date(2026, 11, 24)

REPO = """
people:
  - {id: jdoe, employment: full_time, team: care}
  - {id: temp, employment: contractor, status: departed, departed_on: "2026-06-30"}
teams:
  - {id: care, function: service, lead: jdoe}
policies:
  - {id: service-sla, title: Service SLA, version: 3, owner: care}
  - {id: privacy, title: Privacy}
accounts:
  - id: support-x
    platform: x
    handle: AcmeSupport
    owner: jdoe
    team: care
    purpose: service
    policies: [service-sla@2, privacy]
    monitoring: [brandwatch]
    last_activity: "2026-11-01"
    metrics: {followers: 12000}
    security: {mfa: true}
    terms: {service_hours: "Mon-Fri 08:00-20:00"}
  - id: promo-ig
    platform: instagram
    handle: acme.promo
    owner: temp
    purpose: marketing
    status: dormant
    monitoring: []
    last_activity: "2025-01-10"
    metrics: {followers: 300}
    security: {mfa: false}
  - id: old-forum
    platform: forum
    type: forum
    status: retired
channels:
  - {id: phone, type: phone, purpose: service, owner: jdoe, policies: [service-sla]}
"""


@pytest.fixture(scope="module")
def model() -> Model:
    parsed = parse_text(textwrap.dedent(REPO), "repo.yaml")
    built, findings = build_model(parsed.documents)
    assert not parsed.findings and not findings, findings
    return built


def ids(model: Model, selector: dict[str, Any]) -> list[str]:
    return [e.id for e in select(model, compile_selector(selector), AS_OF)]


def accounts(model: Model, where: dict[str, Any]) -> list[str]:
    return ids(model, {"kind": "Account", "where": where})


# ----------------------------------------------------------------------------- resolve


def test_resolve_reads_fields_defaults_and_kind(model: Model) -> None:
    x = model.find("Account", "support-x")
    assert x is not None
    assert resolve(x, "security.mfa", model) is True
    assert resolve(x, "metrics.followers", model) == 12000
    assert resolve(x, "type", model) == "profile"  # the SPEC default, applied before matching
    assert resolve(x, "status", model) == "active"
    assert resolve(x, "kind", model) == "Account"
    assert resolve(x, "id", model) == "support-x"


def test_resolve_follows_references(model: Model) -> None:
    x = model.find("Account", "support-x")
    assert x is not None
    assert resolve(x, "owner", model) == "jdoe"  # the reference itself, as written
    assert resolve(x, "owner.employment", model) == "full_time"
    assert resolve(x, "team.function", model) == "service"
    assert resolve(x, "owner.team.lead.employment", model) == "full_time"
    # a list of references gives a list; the @version pin is ignored when following
    assert resolve(x, "policies.title", model) == ["Service SLA", "Privacy"]
    assert resolve(x, "policies.owner.function", model) == ["service"]


def test_resolve_missing_values(model: Model) -> None:
    forum = model.find("Account", "old-forum")
    assert forum is not None
    assert resolve(forum, "owner", model) is MISSING
    assert resolve(forum, "owner.employment", model) is MISSING
    assert resolve(forum, "security.mfa", model) is MISSING
    assert resolve(forum, "kind.x", model) is MISSING
    assert not MISSING and repr(MISSING) == "MISSING"


# ----------------------------------------------------------------------------- operators

CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    # plain value: equals; list: any of
    ("plain value", {"platform": "x"}, ["support-x"]),
    ("plain list", {"platform": ["x", "forum"]}, ["support-x", "old-forum"]),
    ("eq", {"security.mfa": {"eq": False}}, ["promo-ig"]),
    ("eq true is not 1", {"metrics.followers": {"eq": True}}, []),
    ("ne matches missing", {"security.mfa": {"ne": True}}, ["promo-ig", "old-forum"]),
    ("in", {"status": {"in": ["dormant", "retired"]}}, ["promo-ig", "old-forum"]),
    ("not_in", {"status": {"not_in": ["retired", "planned"]}}, ["support-x", "promo-ig"]),
    ("in: a text never equals a number", {"metrics.followers": {"in": ["12000", "300"]}}, []),
    ("in: mixed options", {"metrics.followers": {"in": ["x", 300]}}, ["promo-ig"]),
    ("in: a list value, any item", {"monitoring": {"in": ["brandwatch"]}}, ["support-x"]),
    ("present true", {"owner": {"present": True}}, ["support-x", "promo-ig"]),
    ("present false", {"owner": {"present": False}}, ["old-forum"]),
    (
        "present: empty list is absent",
        {"monitoring": {"present": False}},
        ["promo-ig", "old-forum"],
    ),
    ("null means missing", {"owner": None}, ["old-forum"]),
    ("matches", {"handle": {"matches": "^Acme"}}, ["support-x"]),
    ("matches is a search", {"handle": {"matches": "promo"}}, ["promo-ig"]),
    ("matches a number as text", {"metrics.followers": {"matches": "^12"}}, ["support-x"]),
    ("gt", {"metrics.followers": {"gt": 300}}, ["support-x"]),
    ("ge", {"metrics.followers": {"ge": 300}}, ["support-x", "promo-ig"]),
    ("lt", {"metrics.followers": {"lt": 12000}}, ["promo-ig"]),
    ("le", {"metrics.followers": {"le": 12000}}, ["support-x", "promo-ig"]),
    ("lt date", {"last_activity": {"lt": "2026-01-01"}}, ["promo-ig"]),
    ("ge date", {"last_activity": {"ge": "2026-11-01"}}, ["support-x"]),
    ("gt text", {"handle": {"gt": "B"}}, ["promo-ig"]),
    ("gt on text is false for numbers", {"metrics.followers": {"gt": "a"}}, []),
    ("older_than_days", {"last_activity": {"older_than_days": 180}}, ["promo-ig"]),
    ("newer_than_days", {"last_activity": {"newer_than_days": 23}}, ["support-x"]),
    ("newer_than_days bound", {"last_activity": {"newer_than_days": 22}}, []),
    ("contains in a list", {"monitoring": {"contains": "brandwatch"}}, ["support-x"]),
    ("contains a substring", {"handle": {"contains": "Support"}}, ["support-x"]),
    ("contains a mapping key", {"terms": {"contains": "service_hours"}}, ["support-x"]),
    ("contains: policy id matches a pin", {"policies": {"contains": "service-sla"}}, ["support-x"]),
    ("contains: a pin compares exactly", {"policies": {"contains": "service-sla@3"}}, []),
    ("contains: pin exact", {"policies": {"contains": "service-sla@2"}}, ["support-x"]),
    ("eq on a list: any item", {"policies": "privacy"}, ["support-x"]),
    ("reference followed", {"owner.employment": "contractor"}, ["promo-ig"]),
    ("reference followed, ne", {"owner.status": {"ne": "departed"}}, ["support-x", "old-forum"]),
    ("several operators: all hold", {"metrics.followers": {"gt": 100, "lt": 1000}}, ["promo-ig"]),
]


@pytest.mark.parametrize(("where", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_operators(model: Model, where: dict[str, Any], expected: list[str]) -> None:
    assert accounts(model, where) == expected


MISSING_CASES = [
    ("eq", {"eq": "x"}, False),
    ("eq null", {"eq": None}, True),
    ("ne", {"ne": "x"}, True),
    ("in", {"in": ["x"]}, False),
    ("not_in", {"not_in": ["x"]}, True),
    ("present true", {"present": True}, False),
    ("present false", {"present": False}, True),
    ("matches", {"matches": ".*"}, False),
    ("gt", {"gt": 0}, False),
    ("ge", {"ge": "2000-01-01"}, False),
    ("lt", {"lt": 10}, False),
    ("le", {"le": 10}, False),
    ("older_than_days", {"older_than_days": 0}, False),
    ("newer_than_days", {"newer_than_days": 100000}, False),
    ("contains", {"contains": "x"}, False),
]


@pytest.mark.parametrize(
    ("condition", "holds"), [c[1:] for c in MISSING_CASES], ids=[c[0] for c in MISSING_CASES]
)
def test_missing_values(model: Model, condition: dict[str, Any], holds: bool) -> None:
    # old-forum has no handle at all
    assert ("old-forum" in accounts(model, {"handle": condition})) is holds


@pytest.mark.parametrize(
    ("value", "present"),
    [
        ("", False),
        ("   ", False),
        ("\t\n", False),
        ([], False),
        ({}, False),
        (None, False),
        (MISSING, False),
        (" x ", True),
        (0, True),
        (False, True),
        ([""], True),
    ],
)
def test_present_treats_empty_and_blank_as_absent(value: Any, present: bool) -> None:
    from socialgov.lang.selectors import compile_condition

    assert compile_condition("name", {"present": True}).holds(value, AS_OF) is present
    assert compile_condition("name", {"present": False}).holds(value, AS_OF) is not present


def test_dates_as_date_objects_too(model: Model) -> None:
    from socialgov.lang.selectors import compile_condition

    condition = compile_condition("created", {"older_than_days": 10, "lt": "2026-11-20"})
    assert condition.holds(dt.date(2026, 11, 1), AS_OF)
    assert not condition.holds(dt.date(2026, 11, 20), AS_OF)
    assert not condition.holds("not a date", AS_OF)


# ----------------------------------------------------------------------------- combinations


def test_all_any_not(model: Model) -> None:
    assert accounts(model, {"any": [{"platform": "x"}, {"status": "retired"}]}) == [
        "support-x",
        "old-forum",
    ]
    assert accounts(model, {"all": [{"purpose": "service"}, {"security.mfa": True}]}) == [
        "support-x"
    ]
    assert accounts(model, {"not": {"platform": "x"}}) == ["promo-ig", "old-forum"]
    nested = {
        "not": {"any": [{"platform": "x"}, {"all": [{"status": "dormant"}, {"owner": "temp"}]}]}
    }
    assert accounts(model, nested) == ["old-forum"]


def test_kinds(model: Model) -> None:
    selector = compile_selector({"kind": ["Account", "Channel"], "where": {"purpose": "service"}})
    assert selector.kinds == ("Account", "Channel")
    assert [e.id for e in select(model, selector, AS_OF)] == ["support-x", "phone"]
    assert compile_selector({"kind": "Team"}).kinds == ("Team",)
    everything = compile_selector({})
    assert everything.kinds == ()
    assert len(select(model, everything, AS_OF)) == sum(1 for _ in model.all())
    # a kind selector rejects other kinds in matches() too
    person = model.find("Person", "jdoe")
    assert person is not None
    assert not selector.matches(person, model, AS_OF)
    assert compile_selector({"kind": "Person"}).matches(person, model, AS_OF)


def test_select_accepts_a_mapping(model: Model) -> None:
    assert [e.id for e in select(model, {"kind": "Team"}, AS_OF)] == ["care"]


def test_channel_policies_pinned_and_unpinned(model: Model) -> None:
    assert ids(model, {"kind": "Channel", "where": {"policies": {"contains": "service-sla"}}}) == [
        "phone"
    ]
    assert ids(
        model, {"kind": ["Account", "Channel"], "where": {"policies": {"not_in": ["service-sla"]}}}
    ) == ["promo-ig", "old-forum"]


# ----------------------------------------------------------------------------- errors

ERRORS: list[tuple[str, Any, tuple[Any, ...], str]] = [
    ("not a mapping", ["Account"], (), "must be a mapping"),
    ("unknown key", {"kinds": "Account"}, ("kinds",), "did you mean 'kind'"),
    ("unknown kind", {"kind": "account"}, ("kind",), "did you mean 'Account'"),
    ("unknown kind in list", {"kind": ["Account", "Chanel"]}, ("kind", 1), "unknown kind 'Chanel'"),
    ("empty kinds", {"kind": []}, ("kind",), "empty list"),
    ("where not a mapping", {"where": ["purpose"]}, ("where",), "must be a mapping"),
    (
        "unknown operator",
        {"where": {"status": {"nin": ["x"]}}},
        ("where", "status", "nin"),
        "unknown operator 'nin'",
    ),
    (
        "operator typo",
        {"where": {"metrics.followers": {"gte": 1}}},
        ("where", "metrics.followers", "gte"),
        "did you mean 'ge'",
    ),
    (
        "bad regex",
        {"where": {"handle": {"matches": "(["}}},
        ("where", "handle", "matches"),
        "not a valid regular expression",
    ),
    (
        "regex not text",
        {"where": {"handle": {"matches": 5}}},
        ("where", "handle", "matches"),
        "regular expression written as text",
    ),
    (
        "in needs a list",
        {"where": {"status": {"in": "active"}}},
        ("where", "status", "in"),
        "takes a list",
    ),
    (
        "in item a mapping",
        {"where": {"status": {"not_in": [{"a": 1}]}}},
        ("where", "status", "not_in", 0),
        "not a mapping",
    ),
    (
        "present needs a bool",
        {"where": {"owner": {"present": "yes"}}},
        ("where", "owner", "present"),
        "true or false",
    ),
    (
        "gt needs number or date",
        {"where": {"metrics.followers": {"gt": [1]}}},
        ("where", "metrics.followers", "gt"),
        "number or a date",
    ),
    (
        "gt rejects a bool",
        {"where": {"metrics.followers": {"gt": True}}},
        ("where", "metrics.followers", "gt"),
        "number or a date",
    ),
    (
        "days need an integer",
        {"where": {"created": {"older_than_days": "90"}}},
        ("where", "created", "older_than_days"),
        "whole number",
    ),
    (
        "days not negative",
        {"where": {"created": {"newer_than_days": -1}}},
        ("where", "created", "newer_than_days"),
        "whole number",
    ),
    (
        "contains one value",
        {"where": {"tags": {"contains": ["a", "b"]}}},
        ("where", "tags", "contains"),
        "one value",
    ),
    (
        "eq a mapping",
        {"where": {"terms": {"eq": {"a": 1}}}},
        ("where", "terms", "eq"),
        "not a mapping",
    ),
    ("empty condition", {"where": {"status": {}}}, ("where", "status"), "empty mapping"),
    (
        "empty path segment",
        {"where": {"security..mfa": True}},
        ("where", "security..mfa"),
        "not a field path",
    ),
    (
        "unknown field",
        {"kind": "Account", "where": {"purpse": "service"}},
        ("where", "purpse"),
        "did you mean 'purpose'",
    ),
    (
        "unknown nested field",
        {"kind": "Account", "where": {"security.mfe": True}},
        ("where", "security.mfe"),
        "did you mean 'mfa'",
    ),
    (
        "unknown field behind a reference",
        {"kind": "Account", "where": {"owner.employmnt": "x"}},
        ("where", "owner.employmnt"),
        "Person has no field 'employmnt'",
    ),
    ("any needs a list", {"where": {"any": {"platform": "x"}}}, ("where", "any"), "non-empty list"),
    (
        "error inside any",
        {"where": {"any": [{"platform": "x"}, {"handle": {"matches": "("}}]}},
        ("where", "any", 1, "handle", "matches"),
        "regular expression",
    ),
    (
        "error inside not",
        {"where": {"not": {"status": {"bogus": 1}}}},
        ("where", "not", "status", "bogus"),
        "unknown operator",
    ),
]


@pytest.mark.parametrize(
    ("data", "path", "text"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_errors_have_a_path_and_a_fix(data: Any, path: tuple[Any, ...], text: str) -> None:
    with pytest.raises(SelectorError) as caught:
        compile_selector(data)
    assert caught.value.path == path
    assert text in caught.value.message
    assert isinstance(caught.value, ValueError)


def test_free_form_fields_accept_any_key() -> None:
    compile_selector(
        {"kind": "Account", "where": {"labels.cost-centre": "CC1", "terms.anything": 1}}
    )


def test_error_text_shows_the_path() -> None:
    with pytest.raises(SelectorError) as caught:
        compile_selector({"where": {"any": [{"handle": {"matches": "("}}]}})
    assert str(caught.value).startswith("where.any[0].handle.matches: ")


def test_compiles_once_and_is_reusable(model: Model) -> None:
    selector = compile_selector({"kind": "Account", "where": {"handle": {"matches": "^acme"}}})
    assert [e.id for e in select(model, selector, AS_OF)] == ["promo-ig"]
    assert [e.id for e in select(model, selector, AS_OF)] == ["promo-ig"]


@pytest.mark.parametrize(
    "path",
    [
        "id",
        "kind",
        "kind.x",
        "status",
        "handle",
        "security.mfa",
        "security.mfa.x",
        "metrics.followers",
        "terms.service_hours",
        "monitoring",
        "owner",
        "owner.employment",
        "owner.team.lead.employment",
        "policies",
        "policies.title",
        "nothing.here",
    ],
)
def test_field_path_fast_path_agrees_with_the_general_walk(model: Model, path: str) -> None:
    from socialgov.lang.selectors import FieldPath, _walk

    parsed = FieldPath.parse(path)
    for entity in model.all():
        general = _walk(entity.data, entity.kind, (), parsed.parts, model, top=True)
        assert parsed.get(entity, model) == general, (entity.id, path)


# ----------------------------------------------------------------------------- Selections

SHARED_SELECTORS: list[dict[str, Any]] = [
    {"kind": "Account", "where": {"status": {"not_in": ["retired", "planned"]}}},
    {"kind": ["Account", "Channel"], "where": {"purpose": "service"}},
    {"where": {"owner.employment": "full_time"}},
    {"kind": "Account", "where": {"last_activity": {"older_than_days": 30}}},
    {"kind": "Account", "where": {"metrics.followers": {"ge": 1000}}},
    {"kind": "Account", "where": {"security.mfa": 1}},
]


@pytest.mark.parametrize("selector", SHARED_SELECTORS)
def test_selections_answer_what_select_answers(model: Model, selector: dict[str, Any]) -> None:
    from socialgov.lang.selectors import Selections

    selections = Selections()
    expected = select(model, compile_selector(selector), AS_OF)
    assert selections.select(model, selector, AS_OF) == expected
    assert selections.select(model, compile_selector(selector), AS_OF) == expected
    everything = list(model.all())
    shuffled = everything[::-1]
    compiled = selections.compile(selector)
    assert selections.filter(model, compiled, shuffled, AS_OF) == [
        e for e in shuffled if compiled.matches(e, model, AS_OF)
    ]


def test_selections_run_each_selector_once_per_model_and_date(
    model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socialgov.lang.selectors as selectors

    calls: list[Any] = []
    real = selectors.select

    def counting(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(selectors, "select", counting)
    selections = selectors.Selections()
    live = {"kind": "Account", "where": {"last_activity": {"older_than_days": 30}}}
    first = selections.select(model, live, AS_OF)
    first.clear()  # the caller's copy: the remembered answer is untouched
    assert [e.id for e in selections.select(model, dict(live), AS_OF)] == ["promo-ig"]
    assert len(calls) == 1
    # Another day is another answer.
    assert selections.select(model, live, dt.date(2025, 1, 20)) == []
    assert len(calls) == 2
    # The same values written differently are different selectors: true is not 1, and the
    # order of conditions is kept.
    selections.select(model, {"kind": "Account", "where": {"verified": True}}, AS_OF)
    selections.select(model, {"kind": "Account", "where": {"verified": 1}}, AS_OF)
    assert len(calls) == 4


def test_selections_filter_asks_directly_about_entities_of_another_model(model: Model) -> None:
    import dataclasses

    from socialgov.lang.selectors import Selections

    selections = Selections()
    selector = selections.compile({"kind": "Account", "where": {"purpose": "service"}})
    support = model.find("Account", "support-x")
    assert support is not None
    copy = dataclasses.replace(support, data={**support.data, "purpose": "marketing"})
    assert selections.filter(model, selector, [copy, support], AS_OF) == [support]


def test_selections_filtered_is_what_filter_gave_for_an_equal_tuple(model: Model) -> None:
    from socialgov.lang.selectors import Selections

    selections = Selections()
    selector = selections.compile({"kind": "Account", "where": {"purpose": "service"}})
    accounts = tuple(model.accounts)
    assert selections.filtered(model, selector, accounts, AS_OF) is None  # not asked yet
    given = selections.filter(model, selector, accounts, AS_OF)
    assert given
    equal = tuple(list(accounts))  # the same entities in the same order, another tuple
    assert equal is not accounts
    found = selections.filtered(model, selector, equal, AS_OF)
    assert found == given
    assert found is not None
    found.clear()  # the caller's copy
    assert selections.filtered(model, selector, equal, AS_OF) == given
    assert selections.filtered(model, selector, accounts[1:], AS_OF) is None  # other entities
    other = selections.compile({"kind": "Account", "where": {"purpose": "sales"}})
    assert selections.filtered(model, other, equal, AS_OF) is None  # another selector
    assert selections.filtered(model, selector, equal, dt.date(2025, 1, 1)) is None  # another day


def test_selections_filter_a_tuple_once_and_hand_out_copies(model: Model) -> None:
    import dataclasses

    from socialgov.lang.selectors import Selections

    selections = Selections()
    compiled = selections.compile({"kind": ["Account", "Channel"], "where": {"purpose": "service"}})
    assert compiled._where is not None
    asked: list[Any] = []

    def where(entity: Any, *args: Any) -> bool:
        asked.append(entity)
        return compiled._where(entity, *args)  # type: ignore[misc]

    # The same selector (the same source), its where counted: each entity filtered afresh is
    # asked once.
    selector = dataclasses.replace(compiled, _where=where, _choose=None)
    support = model.find("Account", "support-x")
    assert support is not None
    stranger = dataclasses.replace(support, data={**support.data, "purpose": "service"})
    channels = (*model.all_channels, stranger)
    expected = [c for c in channels if compiled.matches(c, model, AS_OF)]
    assert stranger in expected and len(expected) < len(channels)
    first = selections.filter(model, selector, channels, AS_OF)
    assert first == expected and asked == list(channels)
    first.clear()  # the caller's copy: the remembered answer is untouched
    assert selections.filter(model, selector, channels, AS_OF) == expected
    assert len(asked) == len(channels)  # the same tuple: remembered
    # Another tuple is filtered afresh; a list is never remembered (it may change between calls).
    assert selections.filter(model, selector, channels[::-1], AS_OF) == expected[::-1]
    assert len(asked) == 2 * len(channels)
    listed = list(channels)
    assert selections.filter(model, selector, listed, AS_OF) == expected
    listed.pop()
    assert selections.filter(model, selector, listed, AS_OF) == expected[:-1]
    assert len(asked) == 4 * len(channels) - 1
    # Another day is another answer.
    selections.filter(model, selector, channels, dt.date(2025, 1, 20))
    assert len(asked) == 5 * len(channels) - 1


def test_selector_matching_is_matches_of_each_entity(model: Model) -> None:
    """What a selector matching a sequence of entities at once answers is what it answers of
    each, for entities of its kinds and others, with a where it chooses in one loop (texts, a
    number), a general where, or none."""
    import dataclasses

    support = model.find("Account", "support-x")
    assert support is not None
    odd = [
        dataclasses.replace(support, data={**support.data, "purpose": value})
        for value in ("service", "Service", None, 3, ["service"], {"a": 1})
    ]
    entities = [*model.all(), *odd, *reversed(list(model.all()))]
    for source in [
        *SHARED_SELECTORS,
        {"kind": "Account"},
        {"kind": ["Channel", "Account"]},
        {},
        {"where": {"purpose": "service"}},
        {"kind": "Account", "where": {"purpose": ["sales", "service"]}},
        {"kind": "Account", "where": {"any": [{"purpose": "service"}, {"status": "paused"}]}},
    ]:
        selector = compile_selector(source)
        expected = [e for e in entities if selector.matches(e, model, AS_OF)]
        assert selector.matching(entities, model, AS_OF) == expected, source
        assert selector.matching(iter(entities), model, AS_OF) == expected, source


def test_selections_raise_the_selector_error_every_time() -> None:
    from socialgov.lang.selectors import Selections

    selections = Selections()
    bad = {"kind": "Account", "where": {"purpose": {"eqq": "service"}}}
    with pytest.raises(SelectorError) as expected:
        compile_selector(bad)
    for _ in range(2):
        with pytest.raises(SelectorError) as raised:
            selections.compile(bad)
        assert (raised.value.message, raised.value.path) == (
            expected.value.message,
            expected.value.path,
        )


def test_each_rule_context_has_its_own_selections() -> None:
    from socialgov.rules.base import RuleContext

    first, second = RuleContext(as_of=AS_OF), RuleContext(as_of=AS_OF)
    assert first.selections is not second.selections
    assert first == second
