"""Every rule's ``reads`` declaration (socialgov.rules.base.Reads) holds.

Incremental lint (socialgov.speedups.incremental) keeps a rule's findings when nothing it reads changed,
and checks a local rule again on the changed file alone. So, for every built-in rule, on the
example repository and on a generated inventory:

- changing a field the rule does not read (deleting it, giving it another entity's value, or a
  value of another type) never changes its findings;
- moving entities to other lines never changes the messages of a rule that does not declare
  ``positions``;
- a local rule finds, on each file's entities alone, what it finds on them in the whole model.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF
from socialgov.config import load_config
from socialgov.lang.selectors import path_reads, selector_reads
from socialgov.model import DEFAULTS, FIELDS, KINDS, Entity, Model, _fields, build_model
from socialgov.pipeline import available_rules, repository_files
from socialgov.rules.base import (
    CHANNEL_KINDS,
    EVERY_FIELD,
    READS_EVERYTHING,
    Reads,
    RuleContext,
    RuleInfo,
)
from socialgov.rules.custom import compile_rule
from socialgov.rules.engine import run_rules
from socialgov.schema.validation import validate_entity
from socialgov.source.loader import Document
from socialgov.speedups.parallel import load_all

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "benchmarks"))

from generate import Generator  # noqa: E402

Outcome = tuple[str, str, str, str, tuple[str, ...], str]


@dataclasses.dataclass(frozen=True)
class Corpus:
    name: str
    files: dict[str, list[Document]]
    strategy: dict[str, str]

    def documents(self) -> list[Document]:
        return [d for docs in self.files.values() for d in docs]

    def model(self) -> Model:
        return build_model(self.documents(), self.strategy)[0]


def _corpus(name: str, root: Path) -> Corpus:
    config = load_config(root)
    files = repository_files(config)
    parsed = load_all(root, files, dict(config.limits))
    return Corpus(name, {p.path: p.documents for p in parsed}, dict(config.strategy))


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> list[Corpus]:
    generated = tmp_path_factory.mktemp("generated")
    Generator(150, seed=11, defect_rate=0.2).write(generated)
    return [_corpus("acme", PROJECT / "examples" / "acme"), _corpus("generated", generated)]


def _rules() -> list[RuleInfo]:
    return [info for info in available_rules() if info.check is not None]


def _context() -> RuleContext:
    return RuleContext(as_of=AS_OF)


def _outcomes(model: Model, info: RuleInfo, ctx: RuleContext | None = None) -> list[Outcome]:
    """What a rule finds, positions left out (a changed field may move where one points).
    Rules run on one model may share one context (what they derive alike is derived once)."""
    return sorted(
        (f.code, f.message, f.path, str(f.entity), tuple(map(str, f.related)), f.key)
        for f in run_rules(model, [info], ctx or _context())
    )


def _replace_field(entity: Entity, value: dict[str, Any]) -> Entity:
    """The entity with its data (and typed fields) rebuilt from ``value`` as the model would:
    fields breaking the schema left out, defaults applied."""
    broken = {str(e.path[0]) for e in validate_entity(entity.kind, value) if e.path}
    data = {
        **DEFAULTS.get(entity.kind, {}),
        **{k: v for k, v in value.items() if k not in broken or k == "id"},
    }
    blank = type(entity)(id=entity.id, data=data, source=entity.source)
    return dataclasses.replace(blank, **_fields(entity.kind, data))


Mutation = Callable[[list[Entity], str], list[Entity]]


def _deleted(entities: list[Entity], name: str) -> list[Entity]:
    return [_replace_field(e, {k: v for k, v in e.data.items() if k != name}) for e in entities]


def _rotated(entities: list[Entity], name: str) -> list[Entity]:
    """Each entity takes the next one's value (so values stay plausible, but move)."""
    values = [e.data.get(name) for e in entities]
    values = values[1:] + values[:1]
    return [
        _replace_field(e, {**e.data, name: v}) if v is not None else e
        for e, v in zip(entities, values, strict=True)
    ]


def _set_to(value: Any) -> Mutation:
    def mutate(entities: list[Entity], name: str) -> list[Entity]:
        return [_replace_field(e, {**e.data, name: value}) for e in entities]

    return mutate


MUTATIONS: dict[str, Mutation] = {
    "deleted": _deleted,
    "rotated": _rotated,
    "text": _set_to("mutated value"),
    "retired": _set_to("retired"),
    "number": _set_to(1_000_000),
    "list": _set_to(["mutated"]),
}


def _mutated(model: Model, kind: str, name: str, mutate: Mutation) -> Model:
    entities = {k: dict(v) for k, v in model.entities.items()}
    changed = mutate(list(entities[kind].values()), name)
    entities[kind] = {e.id: e for e in changed}
    return Model(entities=entities, strategy=model.strategy)


def _field_names(model: Model, kind: str) -> set[str]:
    written = {key for e in model.of(kind) for key in e.data}
    return (written | set(FIELDS[kind])) - {"id"}


def test_every_built_in_rule_declares_what_it_reads() -> None:
    undeclared = [info.code for info in _rules() if info.reads is READS_EVERYTHING]
    assert undeclared == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_field_a_rule_does_not_read_never_changes_its_findings(
    corpora: list[Corpus], kind: str
) -> None:
    rules = _rules()
    wrong = []
    for corpus in corpora:
        model = corpus.model()
        if not list(model.of(kind)):
            continue
        ctx = _context()
        before = {info.code: _outcomes(model, info, ctx) for info in rules}
        resolved = {info.code: info.reads.resolve(model) for info in rules}
        for name in sorted(_field_names(model, kind)):
            blind = [info for info in rules if not resolved[info.code].reads(kind, name)]
            for label, mutate in MUTATIONS.items():
                changed, ctx = _mutated(model, kind, name, mutate), _context()
                wrong.extend(
                    f"{corpus.name}: {info.code} changes when {kind}.{name} is {label}"
                    for info in blind
                    if _outcomes(changed, info, ctx) != before[info.code]
                )
    assert wrong == []


def test_the_mutations_do_change_the_findings_of_rules_that_read_the_field(
    corpora: list[Corpus],
) -> None:
    """The check above has teeth: the same mutations move rules that declare the field."""
    model = corpora[0].model()
    owner_rules = [i for i in _rules() if i.code in ("SG201", "SG202")]
    for info in owner_rules:
        assert _outcomes(_mutated(model, "Account", "owner", _deleted), info) != _outcomes(
            model, info
        )


def _shifted(corpus: Corpus) -> Model:
    """The corpus with every entity written three lines further down its file."""
    from socialgov.source.exact import parse_text

    documents = []
    for path in corpus.files:
        text = (PROJECT / "examples" / "acme" / path).read_text(encoding="utf-8")
        documents.extend(parse_text("# one\n# two\n# three\n" + text, path).documents)
    return build_model(documents, corpus.strategy)[0]


def test_only_rules_that_declare_positions_show_them(corpora: list[Corpus]) -> None:
    acme = corpora[0]
    model, shifted = acme.model(), _shifted(acme)
    for info in _rules():
        if info.reads.positions:
            continue
        assert _outcomes(shifted, info) == _outcomes(model, info), info.code


def _file_findings(model: Model, info: RuleInfo) -> Iterator[tuple[Any, ...]]:
    for f in run_rules(model, [info], _context()):
        yield (f.path, f.line, f.column, f.message, str(f.entity), f.related, f.key)


@pytest.mark.parametrize("info", [i for i in _rules() if i.reads.local], ids=lambda i: i.code)
def test_a_local_rule_finds_on_one_file_what_it_finds_on_the_whole(
    corpora: list[Corpus], info: RuleInfo
) -> None:
    for corpus in corpora:
        whole = sorted(_file_findings(corpus.model(), info))
        per_file = sorted(
            finding
            for docs in corpus.files.values()
            for finding in _file_findings(build_model(docs, corpus.strategy)[0], info)
        )
        assert per_file == whole


# ----------------------------------------------------------------------------- declarations


def test_reads_of_merges_kinds_and_rejects_an_unknown_one() -> None:
    reads = Reads.of({CHANNEL_KINDS: ["status"], "Account": ["handle"]})
    assert reads.reads("Account", "status") and reads.reads("Account", "handle")
    assert reads.reads("Channel", "status") and not reads.reads("Channel", "handle")
    assert not reads.reads("Person", "status")
    assert Reads.of({"Person": [EVERY_FIELD]}).reads("Person", "anything")
    with pytest.raises(ValueError, match="Acount"):
        Reads.of({"Acount": ["status"]})


def test_paths_read_the_fields_they_cross_following_references() -> None:
    assert path_reads(["Account"], ["owner", "employment"]) == {
        "Account": {"owner"},
        "Person": {"employment"},
    }
    assert path_reads(["Account"], ["security", "mfa"]) == {"Account": {"security"}}
    assert path_reads(["Account"], ["policies", "title"]) == {
        "Account": {"policies"},
        "Policy": {"title"},
    }
    assert selector_reads(
        {
            "kind": "Account",
            "where": {"any": [{"purpose": "service"}, {"not": {"team.function": "pr"}}]},
        }
    ) == {"Account": {"purpose", "team"}, "Team": {"function"}}
    assert selector_reads({"kind": "Nope"}) == {}
    assert selector_reads("not a selector") == {}


def test_applies_to_selectors_add_what_they_test(corpora: list[Corpus]) -> None:
    model = corpora[0].model()
    info = next(i for i in _rules() if i.code == "SG401")
    assert not info.reads.reads("Account", "purpose")
    tested = {
        name
        for policy in model.policies
        for name in selector_reads(policy.applies_to).get("Account", ())
    }
    assert tested, "acme's policies test some Account fields"
    resolved = info.reads.resolve(model)
    assert all(resolved.reads("Account", name) for name in tested)


def _compiled(data: dict[str, Any]) -> Reads:
    return compile_rule({"code": "T001", **data}).reads()


def test_a_yaml_rule_reads_what_its_selector_assertions_and_message_name() -> None:
    reads = _compiled(
        {
            "select": {"kind": "Account", "where": {"purpose": "service"}},
            "assert": {"field": "security.mfa", "eq": True},
            "message": "{id} of {team} has mfa {value}",
        }
    )
    assert reads.local
    assert dict(reads.fields) == {"Account": frozenset({"purpose", "security", "team"})}


@pytest.mark.parametrize(
    "data",
    [
        {"select": {"kind": "Account"}, "group_by": "team", "assert": {"count": {"max": 3}}},
        {"select": {"kind": "Account"}, "assert": {"unique": "handle"}},
        {"select": {"kind": "Account"}, "assert": {"field": "owner", "ref": "Person"}},
        {"select": {"kind": "Account"}, "assert": {"field": "owner.status", "eq": "active"}},
        {
            "select": {"kind": "Account", "where": {"team.function": "pr"}},
            "assert": {"field": "handle", "present": True},
        },
    ],
    ids=["group", "unique", "ref", "followed-path", "followed-where"],
)
def test_a_yaml_rule_that_looks_beyond_the_entity_is_not_local(data: dict[str, Any]) -> None:
    assert not _compiled(data).local


def test_a_ref_assertion_reads_its_where_on_the_kind_it_names() -> None:
    reads = _compiled(
        {
            "select": {"kind": "Account"},
            "assert": {"field": "owner", "ref": "Person", "where": {"employment": "full_time"}},
        }
    )
    assert reads.reads("Account", "owner") and reads.reads("Person", "employment")
