"""The model: typed entities with the SPEC's defaults, an index by kind and id, and references.

``build_model`` turns parsed documents into entities. Problems of shape are findings: SG101
(schema), SG103 (duplicate id), SG104 (unknown reference), SG105 (unknown document). An entity that
breaks its schema still enters the model with the broken fields left out, so that one typo does
not hide every other finding on it, nor make references to it unknown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import attrgetter
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

from socialgov.core.files import content_stamp
from socialgov.core.findings import EntityRef, Finding, Position, Severity
from socialgov.core.kinds import KINDS, Waiver
from socialgov.core.kinds import waiver_applies_at_all as waiver_applies_at_all
from socialgov.core.suggest import Suggestions
from socialgov.schema.validation import Validity
from socialgov.source.loader import Document, Path_, SourceMap

PLURALS: dict[str, str] = {
    "people": "Person",
    "teams": "Team",
    "accounts": "Account",
    "channels": "Channel",
    "policies": "Policy",
    "playbooks": "Playbook",
    "objectives": "Objective",
    "rules": "Rule",
    "sightings": "Sighting",
    "tools": "Tool",
}
LIVE_EXCLUDED = frozenset({"retired", "planned"})

# Defaults the SPEC gives, applied before any rule or selector looks at an entity.
DEFAULTS: dict[str, dict[str, Any]] = {
    "Person": {"status": "active"},
    "Account": {"status": "active", "type": "profile"},
    "Channel": {"status": "active"},
    "Policy": {"version": 1},
    "Rule": {"severity": "warning"},
    "Sighting": {"disposition": "unreviewed"},
}


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entity was written: its document and the path of its mapping inside it."""

    document: Document
    base: Path_

    @property
    def path(self) -> str:
        return self.document.path

    def locate(self, field_path: Path_ = (), *, key: bool = False) -> Position:
        return self.document.locate((*self.base, *field_path), key=key)


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """A channel's reference to a policy, optionally pinned: ``service-sla@3``."""

    id: str
    version: int | None
    index: int

    @classmethod
    def parse(cls, text: str, index: int) -> PolicyRef:
        name, _, version = text.partition("@")
        return cls(name, int(version) if version.isdigit() else None, index)


@dataclass(frozen=True, slots=True)
class Handoff:
    """One pass of the ball in a Playbook: for a ``scenario``, on a ``trigger``, the Team
    ``from_team`` does ``before`` and passes to ``to_team``, which is expected to do ``expect``;
    the conversation may ``continue_on`` another channel."""

    scenario: str | None
    trigger: str | None
    from_team: str | None
    to_team: str | None
    before: str | None
    expect: str | None
    continue_on: str | None
    index: int


@dataclass(frozen=True, slots=True)
class Access:
    """One person who can log in to a channel or Tool: their role, and (on channels) the way in:
    a Tool id or ``native`` for the platform's own login."""

    person: str | None
    role: str | None
    via: str | None
    index: int


@dataclass(frozen=True, slots=True)
class Kpi:
    """A measure an Objective is tracked by, with its target as written."""

    name: str | None
    target: Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """Fields every kind has. ``data`` is the mapping as written, with defaults applied."""

    kind: ClassVar[str] = ""
    id: str
    data: Mapping[str, Any]
    source: Source
    name: str | None = None
    description: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    waivers: tuple[Waiver, ...] = ()

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.kind, self.id)

    @property
    def path(self) -> str:
        return self.source.path

    def locate(self, field_path: Path_ = (), *, key: bool = False) -> Position:
        """Where to point for this entity, or for one of its fields when given."""
        return self.source.locate(field_path, key=key)

    def get(self, dotted: str, default: Any = None) -> Any:
        """A field by dotted path inside this entity's own data (references not followed)."""
        value: Any = self.data
        for part in dotted.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return default
            value = value[part]
        return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Entity):
    """Someone who owns, backs up, leads or can log in to something."""

    kind: ClassVar[str] = "Person"
    email: str | None = None
    team: str | None = None
    role: str | None = None
    employment: str | None = None
    status: str = "active"
    departed_on: dt.date | None = None
    # ``source`` (where the record came from) stays in ``data``: the name is the entity's Source.

    def departed(self, as_of: dt.date) -> bool:
        """Gone by ``as_of``: status departed, or a departure date on or before it."""
        return self.status == "departed" or (
            self.departed_on is not None and self.departed_on <= as_of
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Team(Entity):
    """A unit of the organisation; ``parent`` makes the hierarchy."""

    kind: ClassVar[str] = "Team"
    function: str | None = None
    lead: str | None = None
    parent: str | None = None
    """The Team this one belongs to: the unit hierarchy (``audit --by team``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelBase(Entity):
    """What social Accounts and traditional Channels share."""

    social: ClassVar[bool] = False
    """An Account (a social presence), not a traditional Channel: a class attribute, read
    without the call a property makes (rules and the audit ask it of every channel)."""
    owner: str | None = None
    backup_owner: str | None = None
    team: str | None = None
    purpose: str | None = None
    status: str = "active"
    policies: tuple[PolicyRef, ...] = ()
    playbooks: tuple[str, ...] = ()
    terms: Mapping[str, Any] = field(default_factory=dict)
    approved_by: str | None = None
    reviewed_on: dt.date | None = None
    access: tuple[Access, ...] = ()

    @property
    def live(self) -> bool:
        return self.status not in LIVE_EXCLUDED

    def adopts(self, policy_id: str) -> PolicyRef | None:
        for ref in self.policies:
            if ref.id == policy_id:
                return ref
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Account(ChannelBase):
    """A social media presence: a profile, page or forum on a platform."""

    kind: ClassVar[str] = "Account"
    social: ClassVar[bool] = True
    platform: str | None = None
    type: str = "profile"
    handle: str | None = None
    url: str | None = None
    audience: str | None = None
    topic: str | None = None
    region: str | None = None
    language: str | None = None
    created: dt.date | None = None
    last_activity: dt.date | None = None
    objectives: tuple[str, ...] = ()
    monitoring: tuple[str, ...] = ()
    metrics: Mapping[str, Any] = field(default_factory=dict)
    security: Mapping[str, Any] = field(default_factory=dict)
    verified: bool | None = None
    registered_on: dt.date | None = None
    retired_on: dt.date | None = None
    login_email: str | None = None
    archive: Mapping[str, Any] | None = None
    managed_via: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Channel(ChannelBase):
    """A traditional channel (phone line, email address, web form, shop counter)."""

    kind: ClassVar[str] = "Channel"
    type: str | None = None
    contact: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy(Entity):
    """A written policy that channels adopt, versioned."""

    kind: ClassVar[str] = "Policy"
    title: str | None = None
    version: int = 1
    owner: str | None = None
    effective: dt.date | None = None
    review_by: dt.date | None = None
    applies_to: Mapping[str, Any] | None = None
    terms: Mapping[str, Any] = field(default_factory=dict)
    consistent_terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Playbook(Entity):
    """An escalation playbook: its scenarios, hand-offs and the channels it covers."""

    kind: ClassVar[str] = "Playbook"
    title: str | None = None
    applies_to: Mapping[str, Any] | None = None
    handoffs: tuple[Handoff, ...] = ()
    end: str | None = None
    follow_up: Mapping[str, Any] = field(default_factory=dict)
    last_exercised: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Objective(Entity):
    """An aim that presences serve, with the KPIs it is measured by."""

    kind: ClassVar[str] = "Objective"
    statement: str | None = None
    strategy: str | None = None
    kpis: tuple[Kpi, ...] = ()
    owner: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule(Entity):
    """A custom rule written in YAML; the rules-as-code engine interprets ``data``."""

    kind: ClassVar[str] = "Rule"
    code: str | None = None
    severity: str = "warning"


@dataclass(frozen=True, slots=True, kw_only=True)
class Sighting(Entity):
    """A presence seen on the web or in a discovery feed, with what a person decided it is."""

    kind: ClassVar[str] = "Sighting"
    url: str | None = None
    platform: str | None = None
    handle: str | None = None
    seen_at: str | None = None
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    disposition: str = "unreviewed"
    account: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Tool(Entity):
    """A part of the social media system: a publishing, listening, CRM, analytics or archiving
    tool, with its owner, its controls and who can log in to it."""

    kind: ClassVar[str] = "Tool"
    category: str | None = None
    owner: str | None = None
    security: Mapping[str, Any] = field(default_factory=dict)
    access: tuple[Access, ...] = ()


ENTITY_CLASSES: dict[str, type[Entity]] = {
    cls.kind: cls
    for cls in (Person, Team, Account, Channel, Policy, Playbook, Objective, Rule, Sighting, Tool)
}


@dataclass(frozen=True, slots=True)
class Reference:
    """A field that names another entity: where it is, and which kinds it may name."""

    field: str
    kinds: tuple[str, ...]
    many: bool = False


# The reference fields of each kind. "strategy" names a goal in socialgov.yaml, not an entity.
REFERENCES: dict[str, tuple[Reference, ...]] = {
    "Person": (Reference("team", ("Team",)),),
    "Team": (Reference("lead", ("Person",)), Reference("parent", ("Team",))),
    "Account": (
        Reference("owner", ("Person",)),
        Reference("backup_owner", ("Person",)),
        Reference("team", ("Team",)),
        Reference("policies", ("Policy",), many=True),
        Reference("playbooks", ("Playbook",), many=True),
        Reference("objectives", ("Objective",), many=True),
        Reference("approved_by", ("Person",)),
        Reference("managed_via", ("Tool",), many=True),
    ),
    "Channel": (
        Reference("owner", ("Person",)),
        Reference("backup_owner", ("Person",)),
        Reference("team", ("Team",)),
        Reference("policies", ("Policy",), many=True),
        Reference("playbooks", ("Playbook",), many=True),
        Reference("approved_by", ("Person",)),
    ),
    "Policy": (Reference("owner", ("Person", "Team")),),
    "Playbook": (),
    "Objective": (Reference("owner", ("Person", "Team")),),
    "Rule": (),
    "Sighting": (Reference("account", ("Account",)),),
    "Tool": (Reference("owner", ("Person", "Team")),),
}
# References inside lists of mappings and inside mappings (``access[i].person``,
# ``archive.tool``), checked alongside REFERENCES. ``via`` may also be ``native``.
NESTED_REFERENCES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "Account": (
        ("access", "person", ("Person",)),
        ("access", "via", ("Tool",)),
        ("archive", "tool", ("Tool",)),
    ),
    "Channel": (("access", "person", ("Person",)), ("access", "via", ("Tool",))),
    "Tool": (("access", "person", ("Person",)),),
}
NATIVE_LOGIN = "native"
"""The ``via`` of an access entry that logs in on the platform itself, not through a Tool."""


_NO_ENTITIES: Mapping[str, Entity] = MappingProxyType({})
"""The entities of a kind the model holds none of (one shared, read-only mapping: ``find`` and
``of`` are asked hundreds of thousands of times and made an empty dict each)."""


@dataclass(frozen=True)
class Model:
    """Every entity of the repository, indexed by kind and id, with the run's settings."""

    entities: Mapping[str, Mapping[str, Entity]]
    strategy: Mapping[str, str] = field(default_factory=dict)

    def of(self, kind: str) -> Iterable[Entity]:
        return self.entities.get(kind, _NO_ENTITIES).values()

    def find(self, kind: str, entity_id: str | None) -> Entity | None:
        if entity_id is None:
            return None
        return self.entities.get(kind, _NO_ENTITIES).get(entity_id)

    def all(self) -> Iterator[Entity]:
        for kind in KINDS:
            yield from self.of(kind)

    @property
    def people(self) -> Iterable[Person]:
        return self.of("Person")  # type: ignore[return-value]

    @property
    def teams(self) -> Iterable[Team]:
        return self.of("Team")  # type: ignore[return-value]

    @property
    def accounts(self) -> Iterable[Account]:
        return self.of("Account")  # type: ignore[return-value]

    @property
    def channels(self) -> Iterable[Channel]:
        """Traditional channels only; see ``all_channels`` for social and traditional."""
        return self.of("Channel")  # type: ignore[return-value]

    @property
    def all_channels(self) -> Iterator[ChannelBase]:
        yield from self.accounts
        yield from self.channels

    @property
    def policies(self) -> Iterable[Policy]:
        return self.of("Policy")  # type: ignore[return-value]

    @property
    def playbooks(self) -> Iterable[Playbook]:
        return self.of("Playbook")  # type: ignore[return-value]

    @property
    def objectives(self) -> Iterable[Objective]:
        return self.of("Objective")  # type: ignore[return-value]

    @property
    def rules(self) -> Iterable[Rule]:
        return self.of("Rule")  # type: ignore[return-value]

    @property
    def tools(self) -> Iterable[Tool]:
        return self.of("Tool")  # type: ignore[return-value]

    def person(self, person_id: str | None) -> Person | None:
        return self.find("Person", person_id)  # type: ignore[return-value]

    def team(self, team_id: str | None) -> Team | None:
        return self.find("Team", team_id)  # type: ignore[return-value]

    def policy(self, policy_id: str | None) -> Policy | None:
        return self.find("Policy", policy_id)  # type: ignore[return-value]

    @property
    def sightings(self) -> Iterable[Sighting]:
        return self.of("Sighting")  # type: ignore[return-value]


# ----------------------------------------------------------------------------- building


def _date(value: Any) -> dt.date | None:
    """The day a field names: a date as it is, a text in ISO form (None if it names no day).
    Each text's answer is remembered (``_DAYS``): a repository writes the same few hundred
    dates again and again, and a date is immutable, so the entities that name it share it."""
    if type(value) is str:
        day = _DAYS.get(value, _UNSET)
        if day is not _UNSET:
            return day
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            day = None
        if type(value) is str and len(_DAYS) < _REMEMBERED:
            _DAYS[value] = day
        return day
    return None


_DAYS: dict[str, dt.date | None] = {}
_REMEMBERED = 4096
"""How many texts (dates, lists of policies) the builders remember the answer for."""


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    for item in value:  # the usual list of texts is taken whole, without a generator
        if not isinstance(item, str):
            return tuple(v for v in value if isinstance(v, str))
    return tuple(value)


def _map(value: Any) -> Mapping[str, Any]:
    # A dict is told at once, before the slower check against Mapping.
    return value if isinstance(value, (dict, Mapping)) else _EMPTY


def _as_written(value: Any) -> Any:
    return value


def _mapping_or_none(value: Any) -> Mapping[str, Any] | None:
    return value if type(value) is dict or isinstance(value, Mapping) else None


def _bool_or_none(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _waivers(value: Any) -> tuple[Waiver, ...]:
    return tuple(
        Waiver(
            rule=str(w.get("rule", "")),
            reason=_str(w.get("reason")),
            approved_by=_str(w.get("approved_by")),
            expires=_date(w.get("expires")),
            index=i,
        )
        for i, w in enumerate(value or [])
        if type(w) is dict or isinstance(w, Mapping)
    )


def _policy_refs(value: Any) -> tuple[PolicyRef, ...]:
    """A channel's policies, each text parsed (``PolicyRef.parse``), other items left out. The
    answer for each list is remembered by its items (``_POLICIES``): channels adopt the same few
    policies, written the same way, and the tuple is immutable, so they share it. (Equal items
    that are not texts, ``1`` and ``True``, give the same answer: only texts are read.)"""
    key = None
    if type(value) is list:
        key = tuple(value)
        try:
            known = _POLICIES.get(key)
        except TypeError:  # an item that cannot be a key (a mapping in the list)
            key = known = None
        if known is not None:
            return known
    refs = []
    for i, ref in enumerate(value or []):
        if isinstance(ref, str):
            refs.append(_policy_ref(ref, i))
    answer = tuple(refs)
    if key is not None and len(_POLICIES) < _REMEMBERED:
        _POLICIES[key] = answer
    return answer


_POLICIES: dict[tuple[Any, ...], tuple[PolicyRef, ...]] = {}


@functools.lru_cache(maxsize=4096)
def _policy_ref(text: str, index: int) -> PolicyRef:
    """``PolicyRef.parse``, made once for each text and index: channels adopt the same few
    policies, and a PolicyRef is immutable, so they share it."""
    return PolicyRef.parse(text, index)


def _handoffs(value: Any) -> tuple[Handoff, ...]:
    return tuple(
        Handoff(
            scenario=_str(h.get("scenario")),
            trigger=_str(h.get("trigger")),
            from_team=_str(h.get("from")),
            to_team=_str(h.get("to")),
            before=_str(h.get("before")),
            expect=_str(h.get("expect")),
            continue_on=_str(h.get("continue_on")),
            index=i,
        )
        for i, h in enumerate(value or [])
        if isinstance(h, Mapping)
    )


def _access(value: Any) -> tuple[Access, ...]:
    """Each mapping of a channel's (or Tool's) ``access`` as an :class:`Access`, made without
    the frozen dataclass's ``__init__`` (which sets its four slots through
    ``object.__setattr__``, ~14,000 instructions an entry with its generator; the stranger's
    5,000 accounts write 3,311 entries): a plain twin is filled and given Access's class."""
    made = []
    for i, a in enumerate(value or []):
        if type(a) is dict or isinstance(a, Mapping):
            entry = _new_twin(_AccessAssembly)
            person, role, via = a.get("person"), a.get("role"), a.get("via")
            entry.person = person if isinstance(person, str) else None
            entry.role = role if isinstance(role, str) else None
            entry.via = via if isinstance(via, str) else None
            entry.index = i
            entry.__class__ = Access
            made.append(entry)
    return tuple(made)


def _kpis(value: Any) -> tuple[Kpi, ...]:
    return tuple(
        Kpi(name=_str(k.get("name")), target=k.get("target"))
        for k in value or []
        if isinstance(k, Mapping)
    )


Convert = Callable[[Any], Any]
FieldTable = Mapping[str, Convert | None]
"""A kind's typed fields (each written under its own name) and how each is read from the data;
None means an optional string: the value if it is a string, else the field's default None."""


def _table(*fields: tuple[str, Convert | None]) -> FieldTable:
    return dict(fields)


_COMMON: tuple[tuple[str, Convert | None], ...] = (
    ("name", None),
    ("description", None),
    ("labels", _map),
    ("tags", _strs),
    ("waivers", _waivers),
)
_CHANNEL_BASE: tuple[tuple[str, Convert | None], ...] = (
    ("owner", None),
    ("backup_owner", None),
    ("team", None),
    ("purpose", None),
    ("status", _as_written),
    ("policies", _policy_refs),
    ("playbooks", _strs),
    ("terms", _map),
    ("approved_by", None),
    ("reviewed_on", _date),
    ("access", _access),
)

# What each kind's constructor takes from its data. A field whose key is not written keeps the
# dataclass default, which is what each conversion makes of a missing value (None, (), {}, and
# the SPEC's defaults, which DEFAULTS has written into the data anyway).
FIELDS: dict[str, FieldTable] = {
    "Person": _table(
        *_COMMON,
        ("email", None),
        ("team", None),
        ("role", None),
        ("employment", None),
        ("status", _as_written),
        ("departed_on", _date),
    ),
    "Team": _table(*_COMMON, ("function", None), ("lead", None), ("parent", None)),
    "Account": _table(
        *_COMMON,
        *_CHANNEL_BASE,
        ("platform", None),
        ("type", _as_written),
        ("handle", None),
        ("url", None),
        ("audience", None),
        ("topic", None),
        ("region", None),
        ("language", None),
        ("created", _date),
        ("last_activity", _date),
        ("objectives", _strs),
        ("monitoring", _strs),
        ("metrics", _map),
        ("security", _map),
        ("verified", _bool_or_none),
        ("registered_on", _date),
        ("retired_on", _date),
        ("login_email", None),
        ("archive", _mapping_or_none),
        ("managed_via", _strs),
    ),
    "Channel": _table(*_COMMON, *_CHANNEL_BASE, ("type", None), ("contact", None)),
    "Policy": _table(
        *_COMMON,
        ("title", None),
        ("version", _as_written),
        ("owner", None),
        ("effective", _date),
        ("review_by", _date),
        ("applies_to", _mapping_or_none),
        ("terms", _map),
        ("consistent_terms", _strs),
    ),
    "Playbook": _table(
        *_COMMON,
        ("title", None),
        ("applies_to", _mapping_or_none),
        ("handoffs", _handoffs),
        ("end", None),
        ("follow_up", _map),
        ("last_exercised", _date),
    ),
    "Objective": _table(
        *_COMMON,
        ("statement", None),
        ("strategy", None),
        ("kpis", _kpis),
        ("owner", None),
    ),
    "Rule": _table(*_COMMON, ("code", None), ("severity", _as_written)),
    "Sighting": _table(
        *_COMMON,
        ("url", None),
        ("platform", None),
        ("handle", None),
        ("seen_at", None),
        ("first_seen", _date),
        ("last_seen", _date),
        ("disposition", _as_written),
        ("account", None),
        ("note", None),
    ),
    "Tool": _table(
        *_COMMON,
        ("category", None),
        ("owner", None),
        ("security", _map),
        ("access", _access),
    ),
}


def _fields(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Typed constructor arguments from validated data (bad values already removed): only the
    fields written in ``data``; the others keep their defaults. (``_BUILDERS`` build the whole
    entity the same way; this gives the arguments, for ``dataclasses.replace``.)"""
    table = FIELDS[kind]
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key not in table:
            continue
        convert = table[key]
        if convert is not None:
            fields[key] = convert(value)
        elif isinstance(value, str):
            fields[key] = value
    return fields


_UNSET: Any = object()


class _SharedEmpty(dict[str, Any]):
    """An empty dict that refuses to be written: the one mapping every entity that writes none
    of a mapping field holds (see ``_EMPTY``). It reads, compares, prints, copies and pickles as
    ``{}``; writing into it raises ``TypeError`` instead of changing every such entity."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "an entity's mappings are read-only: this empty one is shared by every entity that "
            "writes none (copy it with dict() to change it)"
        )

    __setitem__ = __delitem__ = __ior__ = setdefault = update = pop = popitem = clear = _refuse


_EMPTY: Mapping[str, Any] = _SharedEmpty()
"""The mapping of every entity that writes none of a mapping field (``labels``, ``terms``,
``metrics``...): one shared empty dict, not one made per entity and field (64 bytes each, about
two an entity). Entities' mappings are read, never written (those written are the parsed
document's own, shared with it); this one refuses to be, so that a plugin writing into one
entity's cannot change every other's."""
Builder = Callable[[str, Mapping[str, Any], Source], Entity]


def _builder(cls: type[Entity], checked: bool = False) -> Builder:
    """A function building a ``cls`` entity from its validated data (bad values already
    removed), as ``FIELDS`` says: a field written in the data is converted (a text field takes
    the value only if it is a string), the others keep their dataclass defaults.

    It is what ``cls(id=..., data=..., source=..., **typed_fields)`` gives, about three times as
    fast. A frozen dataclass sets each slot through ``object.__setattr__``, a call per slot (an
    Account has 39). The builder is straight-line code written from ``FIELDS`` and the class
    (``_builder_text``) that makes the entity as an object of a twin class (``_assembly_class``),
    whose slots are set by plain assignment, and then makes it a ``cls``; each field is read with
    one ``in`` and one subscript (most fields are not written: the ``in`` alone), not a call of
    ``get``. The code ships compiled in :mod:`socialgov.model_builders` (``python -m
    socialgov.model`` writes it; compiling it at run time costs 26 M instructions, more than
    a lint of 1,000 accounts gains); a kind whose text differs from the shipped one's (a class
    or ``FIELDS`` edited since) is compiled here instead, with the same result.

    ``checked``: the builder of data that passed its kind's schema whole (no error at all), in
    which each text field (``FIELDS``' None) holds a string, each mapping field a mapping, each
    boolean a boolean and each list of texts texts, as the schema types each of them
    (tests/test_model.py holds every schema to it): it takes such a value without the tests
    (:data:`_CHECKED_AS_WRITTEN`)."""
    text, names = _builder_text(cls, checked)
    made_as = f"make_{'checked_' if checked else ''}{cls.kind}"
    try:
        from socialgov import model_builders
    except ImportError:  # not shipped (a copy of the source without it): compiled here
        make = None
    else:
        make = getattr(model_builders, made_as, None)
        if model_builders.STAMPS.get(_stamp_key(cls.kind, checked)) != content_stamp(text.encode()):
            make = None
    if make is None:
        namespace: dict[str, Any] = {}
        # our own text, from FIELDS and the class; named so that a traceback says whose
        whose = f"{'checked ' if checked else ''}{cls.kind}"
        exec(compile(text, f"<socialgov.model builder of {whose}>", "exec"), namespace)
        make = namespace[made_as]
    build: Builder = make(**names)
    return build


_CHECKED_AS_WRITTEN: frozenset[Any] = frozenset(
    {None, _as_written, _map, _mapping_or_none, _bool_or_none}
)
"""The conversions that give a value which passed its schema as it is: a text (FIELDS' None),
a mapping (the schema's object), a boolean. A list of texts (``_strs``) is made a tuple at once
when it is a list. tests/test_model.py holds every schema to them."""


def _stamp_key(kind: str, checked: bool) -> str:
    """The key of a builder's stamp in :data:`socialgov.model_builders.STAMPS`."""
    return f"{kind} checked" if checked else kind


def _builder_text(cls: type[Entity], checked: bool = False) -> tuple[str, dict[str, Any]]:
    """The text of ``make_<kind>(...)`` (``make_checked_<kind>`` with ``checked``: see
    :func:`_builder`), which returns the builder of ``cls``, and the values it takes (the twin
    class, the defaults, factories and conversions the builder uses)."""
    table = FIELDS[cls.kind]
    names: dict[str, Any] = {"new": object.__new__, "Twin": _assembly_class(cls), "cls": cls}
    body = [
        "    def build(entity_id, data, source):",
        "        entity = new(Twin)",
        "        entity.id = entity_id",
        "        entity.data = data",
        "        entity.source = source",
    ]
    for spec in dataclasses.fields(cls):
        name = spec.name
        if name in ("id", "data", "source"):
            continue
        if spec.default_factory is dict:
            names["empty"] = _EMPTY
            default = "empty"
        elif spec.default_factory is not dataclasses.MISSING:
            names[f"make_{name}"] = spec.default_factory
            default = f"make_{name}()"
        else:
            names[f"default_{name}"] = spec.default
            default = f"default_{name}"
        if name not in table:  # never read from the data (tests/test_model.py: none is)
            body.append(f"        entity.{name} = {default}")
            continue
        convert = table[name]
        if checked:
            read = f"data[{name!r}]"
            if convert is _strs:  # the usual list of texts: the conversion's answer at once
                names[f"convert_{name}"] = convert
                read = f"tuple(value) if type(value := {read}) is list else convert_{name}(value)"
            elif convert not in _CHECKED_AS_WRITTEN:
                names[f"convert_{name}"] = convert
                read = f"convert_{name}({read})"
            body += [
                f"        if {name!r} in data:",
                f"            entity.{name} = {read}",
                "        else:",
                f"            entity.{name} = {default}",
            ]
            continue
        if convert is None:
            value = f"value if isinstance(value, str) else {default}"
        elif convert is _as_written:
            value = "value"
        else:
            names[f"convert_{name}"] = convert
            value = f"convert_{name}(value)"
        body += [
            f"        if {name!r} in data:",
            f"            value = data[{name!r}]",
            f"            entity.{name} = {value}",
            "        else:",
            f"            entity.{name} = {default}",
        ]
    body += ["        entity.__class__ = cls", "        return entity", "", "    return build"]
    head = f"def make_{'checked_' if checked else ''}{cls.kind}({', '.join(names)}):"
    return "\n".join([head, *body]) + "\n", names


def model_builders_code() -> str:
    """The source of :mod:`socialgov.model_builders`: every kind's ``make_<kind>``, and
    ``valid_<kind>`` where its schema's shipped check can be read with its checked builder
    (:func:`_valid_builder_text`)."""
    texts = {
        _stamp_key(kind, checked): _builder_text(cls, checked)[0]
        for kind, cls in ENTITY_CLASSES.items()
        for checked in (False, True)
    }
    stamps = ",\n".join(
        f"    {key!r}: {content_stamp(text.encode())!r}" for key, text in texts.items()
    )
    valid = {kind: _valid_builder_text(cls) for kind, cls in ENTITY_CLASSES.items()}
    made_from = ",\n".join(
        f"    {kind!r}: {made[1]!r}" for kind, made in valid.items() if made is not None
    )
    return (
        '"""Each entity kind\'s builder (see socialgov.model._builder), generated by `python -m\n'
        'socialgov.model` from the classes and FIELDS of socialgov.model: do not edit."""\n\n'
        f'STAMPS = {{\n{stamps},\n}}\n\nVALID_FROM = {{\n{made_from},\n}}\n"""What each '
        "valid_<kind> was written from: its checked builder's stamp and its shipped check's\n"
        'SCHEMA_STAMP."""\n\n\n'
        + "\n\n".join([*texts.values(), *(made[0] for made in valid.values() if made)])
    )


def _valid_builder_text(cls: type[Entity]) -> tuple[str, tuple[str, str]] | None:
    """The text of ``valid_<kind>(entity_id, data, clean, source)``: the shipped schema check of
    the kind (:mod:`socialgov.schema.compiled`) with its checked builder written into it, so
    that each field is looked up and read once for both, and what it was written from (the
    checked builder's stamp, the check's ``SCHEMA_STAMP``); None where the check's code is not
    of the shape read here, or no check is shipped.

    Each of the check's top-level ``if 'F' in data:`` blocks that reads ``data__F = data['F']``
    first ends with the checked builder's assignment of the field (its ``data['F']`` read as
    ``data__F``) and gains the builder's ``else``; a field with a default in ``DEFAULTS`` reads it
    from ``clean`` (the data with its defaults, which the entity holds), as the builder does; a
    field the check has no such block for is built from ``clean`` after the check, as the
    builder builds it. The check's final ``return data`` goes: the entity is returned. It raises
    the check's ``Invalid`` wherever the check would, so it builds an entity exactly when the
    check says yes, and then the entity the checked builder makes (tests/test_model.py)."""
    import ast
    import copy
    import importlib
    from pathlib import Path

    from socialgov.schema.fastcheck import SHIPPED, _module_name
    from socialgov.schema.validation import KIND_FILES

    try:
        module = importlib.import_module(f"{SHIPPED}.{_module_name(KIND_FILES[cls.kind])}")
    except ImportError:
        return None
    if module.UNIQUE:  # lists whose repeats are tested after validate: not written in it
        return None
    checked_text = _builder_text(cls, checked=True)[0]
    build = ast.parse(checked_text).body[0].body[0]
    assert isinstance(build, ast.FunctionDef)
    prologue, blocks = build.body[:4], {}
    for statement in build.body[4:]:
        if isinstance(statement, ast.If):
            test = statement.test
            assert isinstance(test, ast.Compare) and isinstance(test.left, ast.Constant)
            blocks[test.left.value] = statement
    check = next(
        node
        for node in ast.parse(Path(module.__file__).read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name == "validate"
    )
    defaults = DEFAULTS.get(cls.kind, {})
    body: list[ast.stmt] = [_reading(statement, "data", "clean") for statement in prologue]
    merged = set()
    for statement in check.body:
        if isinstance(statement, ast.Return):
            continue
        field_name = _property_block(statement, blocks)
        if field_name is not None and field_name not in merged:
            assert isinstance(statement, ast.If)
            assign = statement.body[0]
            assert isinstance(assign, ast.Assign) and isinstance(assign.targets[0], ast.Name)
            read = blocks[field_name]
            if field_name in defaults:
                statement.body += [_reading(s, "data", "clean") for s in read.body]
                statement.orelse = [_reading(s, "data", "clean") for s in read.body]
            else:
                statement.body += [
                    _field_read(s, field_name, assign.targets[0].id) for s in read.body
                ]
                statement.orelse = copy.deepcopy(read.orelse)
            merged.add(field_name)
        body.append(statement)
    body += [_reading(read, "data", "clean") for name, read in blocks.items() if name not in merged]
    body += ast.parse("entity.__class__ = cls").body
    body.append(ast.Return(ast.Name("entity", ast.Load())))
    names = ("entity_id", "data", "clean", "source")
    function = ast.FunctionDef(
        f"valid_{cls.kind}",
        ast.arguments([], [ast.arg(name) for name in names], None, [], [], None, []),
        body,
        [],
        None,
    )
    tree = ast.fix_missing_locations(ast.Module([function], []))
    made_from = (content_stamp(checked_text.encode()), str(module.SCHEMA_STAMP))
    return ast.unparse(tree) + "\n", made_from


def _property_block(statement: Any, blocks: Mapping[str, Any]) -> str | None:
    """The field of a check's ``if 'F' in data:`` block whose first statement is
    ``data__F = data['F']``, when the checked builder reads that field; else None."""
    import ast

    if not (
        isinstance(statement, ast.If)
        and not statement.orelse
        and isinstance(statement.test, ast.Compare)
        and isinstance(statement.test.left, ast.Constant)
        and len(statement.test.ops) == 1
        and isinstance(statement.test.ops[0], ast.In)
        and isinstance(statement.test.comparators[0], ast.Name)
        and statement.test.comparators[0].id == "data"
        and statement.body
        and isinstance(first := statement.body[0], ast.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0], ast.Name)
        and isinstance(first.value, ast.Subscript)
        and isinstance(first.value.value, ast.Name)
        and first.value.value.id == "data"
        and isinstance(first.value.slice, ast.Constant)
        and first.value.slice.value == statement.test.left.value
    ):
        return None
    field_name = statement.test.left.value
    return field_name if field_name in blocks else None


def _reading(statement: Any, name: str, instead: str) -> Any:
    """A copy of ``statement`` reading the name ``instead`` wherever it read ``name``."""
    import ast
    import copy

    class Renamed(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.Name:
            return ast.Name(instead, node.ctx) if node.id == name else node

    return Renamed().visit(copy.deepcopy(statement))


def _field_read(statement: Any, field_name: str, value: str) -> Any:
    """A copy of ``statement`` reading the name ``value`` wherever it read ``data[field]``."""
    import ast
    import copy

    class Read(ast.NodeTransformer):
        def visit_Subscript(self, node: ast.Subscript) -> Any:
            self.generic_visit(node)
            if (
                isinstance(node.value, ast.Name)
                and node.value.id == "data"
                and isinstance(node.slice, ast.Constant)
                and node.slice.value == field_name
            ):
                return ast.Name(value, ast.Load())
            return node

    return Read().visit(copy.deepcopy(statement))


def _assembly_class(cls: type) -> type:
    """A class with the slots of the frozen slotted dataclass ``cls``, laid out alike, whose
    slots are set by plain assignment (``object.__setattr__``, which CPython sets in one
    specialised instruction, instead of the frozen class's ``__setattr__`` that refuses and the
    call per slot that goes round it). An object made as one becomes a ``cls`` by assigning
    ``__class__``, which Python allows between classes of the same base and the same slots: it
    is then exactly what ``cls(...)`` makes, frozen. No object of it is ever seen outside the
    builder that makes it; the class itself is a subclass of ``cls``'s base, so
    ``Entity.__subclasses__()`` (or ``ChannelBase``'s) lists it beside the kinds' classes."""
    return type(
        f"{cls.__name__}Assembly",
        (cls.__base__,),
        {
            "__slots__": cls.__dict__["__slots__"],
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__module__": cls.__module__,
        },
    )


class _Builders(dict[str, Builder]):
    """Each kind's builder, written when its first entity is built (an Account's takes about
    half a millisecond to compile; a repository of people and teams alone never writes it);
    ``checked``: the builders of data that passed its schema whole (see :func:`_builder`)."""

    def __init__(self, checked: bool = False) -> None:
        super().__init__()
        self.checked = checked

    def __missing__(self, kind: str) -> Builder:
        build = self[kind] = _builder(ENTITY_CLASSES[kind], self.checked)
        return build


_BUILDERS: dict[str, Builder] = _Builders()
_CHECKED_BUILDERS: dict[str, Builder] = _Builders(checked=True)


def _new_source(document: Document, base: Path_) -> Source:
    """``Source(document, base)``, without the frozen dataclass's ``__init__``."""
    source = _new_twin_source(_SourceAssembly)
    source.document = document
    source.base = base
    source.__class__ = Source
    return source


_new_twin_source = _new_twin = object.__new__
_SourceAssembly: Any = _assembly_class(Source)
_AccessAssembly: Any = _assembly_class(Access)


_FIELD_KEYS: dict[str, frozenset[str]] = {
    kind: frozenset(("kind", "id", *table)) for kind, table in FIELDS.items()
}
"""The keys of each kind's typed fields (none of them an extension key, ``x-...``)."""


class _Candidate(NamedTuple):
    """A mapping that may be an entity: its kind, data, document and path inside it."""

    kind: str
    data: Mapping[str, Any]
    document: Document
    base: Path_


def _structural(
    code: str,
    name: str,
    message: str,
    document: Document,
    node: Path_,
    *,
    key: bool = False,
    entity: EntityRef | None = None,
    finding_key: str = "",
    related: tuple[EntityRef, ...] = (),
) -> Finding:
    pos = document.locate(node, key=key)
    return Finding(
        code=code,
        name=name,
        severity=Severity.ERROR,
        message=message,
        path=document.path,
        line=pos.line,
        column=pos.column,
        entity=entity,
        related=related,
        key=finding_key,
    )


def _extension(key: object) -> bool:
    """A top-level key that starts with ``x-``: ignored, as Compose files ignore theirs, so that
    YAML anchors can be defined there and merged with ``<<`` (SPEC section 9)."""
    return isinstance(key, str) and key.startswith("x-")


def _candidates(document: Document) -> tuple[list[_Candidate], list[Finding]]:
    """The entities a document holds, in either form, and SG105/SG101 for what is not one."""
    data = document.data
    found: list[_Candidate] = []
    problems: list[Finding] = []
    if data is None:  # an empty document, or one holding only comments
        return found, problems
    if type(data) is not dict and not isinstance(data, Mapping):  # a dict told at once
        problems.append(
            _structural(
                "SG105",
                "unknown-document",
                f"this document is a {'list' if isinstance(data, list) else 'plain value'}, "
                f"not an entity or a collection; write a mapping with 'kind:' ({_KINDS_TEXT}) or a "
                f"collection keyed by {_PLURALS_TEXT}",
                document,
                (),
                finding_key=f"doc{document.index}",
            )
        )
        return found, problems
    if "kind" in data:
        kind = data["kind"]
        if kind in ENTITY_CLASSES:
            # No x- key among the kind's own fields (told at once, by a set): none to take out.
            if not data.keys() <= _FIELD_KEYS[kind] and any(_extension(key) for key in data):
                data = {key: value for key, value in data.items() if not _extension(key)}
            found.append(_new_candidate(_Candidate, (kind, data, document, ())))
        else:
            hint = next((k for k in KINDS if str(kind).lower() == k.lower()), None)
            fix = f"did you mean '{hint}'?" if hint else f"use one of: {_KINDS_TEXT}"
            problems.append(
                _structural(
                    "SG105",
                    "unknown-document",
                    f"unknown kind '{kind}'; {fix}",
                    document,
                    ("kind",),
                    finding_key=f"doc{document.index}",
                )
            )
        return found, problems
    for key, items in data.items():
        if _extension(key):
            continue  # an extension field: anchors to merge elsewhere (SPEC section 9)
        kind = PLURALS.get(key)
        if kind is None:
            close = difflib.get_close_matches(str(key).lower(), list(PLURALS), n=1, cutoff=0.7)
            hint = close[0] if close else None
            fix = f"did you mean '{hint}'?" if hint else f"a collection's keys are {_PLURALS_TEXT}"
            problems.append(
                _structural(
                    "SG105",
                    "unknown-document",
                    f"'{key}' is neither 'kind:' nor a collection key; {fix} "
                    "(or give a single entity a 'kind:')",
                    document,
                    (key,),
                    key=True,
                    finding_key=f"doc{document.index}/{key}",
                )
            )
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(
                _structural(
                    "SG101",
                    "schema-violation",
                    f"{key}: expected a list of {kind} entities, got a {type(items).__name__}",
                    document,
                    (key,),
                    finding_key=f"doc{document.index}/{key}",
                )
            )
            continue
        for index, item in enumerate(items):
            found.append(_new_candidate(_Candidate, (kind, item, document, (key, index))))
    return found, problems


_new_candidate = tuple.__new__
"""``_Candidate(...)`` without the named tuple's ``__new__``, a Python call per entity."""
_KINDS_TEXT = ", ".join(KINDS)
_PLURALS_TEXT = ", ".join(PLURALS)


def entity_mappings(data: Any) -> Iterator[tuple[str, Any]]:
    """The (kind, mapping) of every entity in one document's data, in either form (a single
    entity with ``kind:``, or a collection); anything else yields nothing. For writers, which
    edit documents without building a model."""
    if not isinstance(data, Mapping):
        return
    kind = data.get("kind")
    if kind is not None:
        if kind in ENTITY_CLASSES:
            yield kind, data
        return
    for key, items in data.items():
        plural = PLURALS.get(key) if isinstance(key, str) else None
        if plural is None or not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, Mapping):
                yield plural, item


def build_model(
    documents: Iterable[Document],
    strategy: Mapping[str, str] | None = None,
    validity: Validity | None = None,
) -> tuple[Model, list[Finding]]:
    """Entities from parsed documents, with every SG101, SG103, SG104 and SG105 finding
    (``validity``: the values known to pass their schema, and where to note those that do)."""
    from socialgov.schema.validation import entity_check

    validate = entity_check(validity)
    # data no run vouched for: checked and built in one pass where the kind's check ships
    valid = _ValidThisRun() if validity is None else None

    findings: list[Finding] = []
    index: dict[str, dict[str, Entity]] = {kind: {} for kind in KINDS}
    for document in documents:
        candidates, problems = _candidates(document)
        findings.extend(problems)
        for candidate in candidates:
            entity, problems = _make_entity(candidate, validate, valid)
            if problems:
                findings.extend(problems)
            if entity is None:
                continue
            existing = index[entity.kind].get(entity.id)
            if existing is not None:
                first = existing.locate()
                findings.append(
                    _structural(
                        "SG103",
                        "duplicate-id",
                        f"{entity.kind} id '{entity.id}' is already used at {existing.path}:"
                        f"{first.line}; ids must be unique within a kind, so rename one of them",
                        candidate.document,
                        (*candidate.base, "id"),
                        entity=entity.ref,
                        finding_key=f"{entity.path}",
                        related=(existing.ref,),
                    )
                )
                continue
            index[entity.kind][entity.id] = entity
    model = Model(entities=index, strategy=dict(strategy or {}))
    findings.extend(_unknown_references(model))
    return model, findings


def _make_entity(
    candidate: _Candidate, validate: Any, valid: Mapping[str, Any] | None = None
) -> tuple[Entity | None, list[Finding]]:
    """The entity of one candidate, with its SG101 findings. ``valid``: each kind's
    ``valid_<kind>`` (:func:`_valid_builder`), which builds an entity that passes its check and
    raises the check's ``Invalid`` for one that does not: that one is checked and built below,
    as without it."""
    kind, data, document, base = candidate  # one unpacking, not a named field read per part
    if type(data) is not dict and not isinstance(data, Mapping):  # a dict told at once
        return None, [
            _structural(
                "SG101",
                "schema-violation",
                f"each item of {base[0]} must be a mapping describing one {kind}, got "
                f"{type(data).__name__}",
                document,
                base,
                finding_key="/".join(map(str, base)),
            )
        ]
    entity_id = data.get("id")
    has_id = isinstance(entity_id, str)
    if valid is not None and has_id:
        made = valid[kind]
        if made is not None:
            build_valid, invalid = made
            clean = {**DEFAULTS.get(kind, {}), **data}
            try:
                return build_valid(entity_id, data, clean, _new_source(document, base)), []
            except invalid:
                pass  # checked again below, for its findings
    findings: list[Finding] = []
    errors = validate(kind, data)
    kept = data
    if errors:  # (an empty list or tuple is no error; anything else is read item by item)
        broken: set[str] = set()
        for error in errors:
            ref = EntityRef(kind, entity_id) if has_id else None
            findings.append(
                _structural(
                    "SG101",
                    "schema-violation",
                    f"{ref}: {error.message}" if ref else f"{kind}: {error.message}",
                    document,
                    (*base, *error.path),
                    key=error.at_key,
                    entity=ref,
                    finding_key="/".join(map(str, error.path)) + ":" + error.message,
                )
            )
            if error.path:
                broken.add(str(error.path[0]))
        if "id" in broken:
            return None, findings
        if broken:
            kept = {k: v for k, v in data.items() if k not in broken}
    if not has_id:
        return None, findings
    clean = {**DEFAULTS.get(kind, {}), **kept}
    build = _BUILDERS[kind] if errors else _CHECKED_BUILDERS[kind]  # passed whole: checked
    return build(entity_id, clean, _new_source(document, base)), findings


def _valid_builder(kind: str) -> tuple[Callable[..., Entity], type[Exception]] | None:
    """``valid_<kind>`` of :mod:`socialgov.model_builders` (:func:`_valid_builder_text`) with the
    names it reads (its shipped check's module's, its checked builder's, the check's formats),
    and the check's ``Invalid``; None where it was not written from the checked builder and the
    shipped check of today, or no check is shipped for the schema as it is."""
    from types import FunctionType

    from socialgov.schema.fastcheck import format_checks
    from socialgov.schema.validation import KIND_FILES, shipped_module_for

    try:
        from socialgov import model_builders
    except ImportError:  # not shipped (a copy of the source without it)
        return None
    written = getattr(model_builders, f"valid_{kind}", None)
    module = shipped_module_for(KIND_FILES[kind])
    if written is None or module is None:
        return None
    text, names = _builder_text(ENTITY_CLASSES[kind], checked=True)
    made_from = (content_stamp(text.encode()), module.SCHEMA_STAMP)
    if model_builders.VALID_FROM.get(kind) != made_from:
        return None
    namespace = {**vars(module), **names, "custom_formats": format_checks(module.FORMATS)}
    return FunctionType(written.__code__, namespace), module.Invalid


class _ValidBuilders(dict[str, Any]):
    """Each kind's :func:`_valid_builder`, made when its first entity is built."""

    def __missing__(self, kind: str) -> Any:
        made = self[kind] = _valid_builder(kind)
        return made


_VALID_BUILDERS: dict[str, Any] = _ValidBuilders()


class _ValidThisRun(dict[str, Any]):
    """The valid builders a run uses: a kind's only while the check in use for its schema is
    the shipped one (``check_schema`` asks ``shipped_check_for``; a test that turns it off turns
    these off too)."""

    def __missing__(self, kind: str) -> Any:
        from socialgov.schema import validation

        shipped = validation.shipped_check_for(validation.KIND_FILES[kind]) is not None
        made = self[kind] = _VALID_BUILDERS[kind] if shipped else None
        return made


class _Suggester:
    """The 'did you mean' of unknown references for one model: the names of each set of kinds
    are gathered once, and each distinct unknown id is searched once (see
    socialgov.core.suggest)."""

    def __init__(self, model: Model) -> None:
        self._model = model
        self._by_kinds: dict[tuple[str, ...], Suggestions] = {}

    def best(self, target: str, kinds: tuple[str, ...]) -> str | None:
        suggestions = self._by_kinds.get(kinds)
        if suggestions is None:
            names = (e for kind in kinds for e in self._model.entities.get(kind, {}))
            suggestions = self._by_kinds[kinds] = Suggestions(names, n=1, cutoff=0.7)
        return suggestions.best(target)


def _unknown_references(model: Model) -> Iterator[Finding]:
    suggester = _Suggester(model)
    entities = model.entities
    people = entities.get("Person", {})
    for kind in KINDS:
        # Each reference with the ids it may name, gathered once per kind, not per entity; a
        # reference in which every entity of the kind names known ids is not read again.
        named_known = _named_known(kind, entities)
        references = [
            (
                reference.field,
                reference.many,
                reference.field == "policies",
                _ids(entities, reference.kinds),
                reference,
            )
            for reference in REFERENCES[kind]
            if reference.field not in named_known
        ]
        containers = tuple(dict.fromkeys(entry[0] for entry in NESTED_REFERENCES.get(kind, ())))
        playbook, objective = kind == "Playbook", kind == "Objective"
        for entity in entities.get(kind, {}).values():
            data = entity.data
            for field_name, many, versioned, known, reference in references:
                value = data.get(field_name)
                if value is None:
                    continue
                if type(value) is str:
                    if value in known and not (versioned and "@" in value):
                        continue  # the usual reference: an id the model holds
                    values = [value]
                elif many and isinstance(value, list):
                    if _names_known(value, known, versioned):
                        continue  # the usual list: told without an index or a finding
                    values = value
                else:
                    values = [value]
                for i, target in enumerate(values):
                    if not isinstance(target, str):
                        continue
                    target_id = target.partition("@")[0] if versioned else target
                    if target_id in known:
                        continue
                    node = (field_name, i) if many else (field_name,)
                    yield _unknown(suggester, entity, node, target_id, reference.kinds)
            for container in containers:
                if container in data:
                    yield from _nested_references(model, entity, suggester)
                    break
            if playbook:
                yield from _playbook_references(model, entity, suggester)
            elif objective:
                yield from _unknown_strategy(model, entity)
            if entity.waivers:
                for i, waiver in enumerate(entity.waivers):
                    if waiver.approved_by and waiver.approved_by not in people:
                        yield _unknown(
                            suggester,
                            entity,
                            ("waivers", i, "approved_by"),
                            waiver.approved_by,
                            ("Person",),
                        )


def _named_known(kind: str, entities: Mapping[str, Mapping[str, Entity]]) -> set[str]:
    """The reference fields of ``kind`` in which no entity of the kind names an unknown id, told
    in C from the entities' slots, the fields naming the same kinds together
    (``_unknown_references`` reads the others only, entity by entity: ~8 look-ups an Account
    of ~25 bytecodes each, where nearly every reference of a repository is known).

    A field's slot holds what its finding loop reads of the field: a text field read with None
    (``FIELDS``: the text, else the default None) holds its text or None; a list of texts read
    by ``_strs`` holds its texts; ``policies``, read by ``_policy_refs``, a PolicyRef for each
    text, its ``id`` the text before any ``@``; a field left out of the data as broken holds
    its default. (A list field written as anything but a list fails its schema there and is
    left out of the data.) A field read any other way, or a value that cannot be looked up, is
    left to the loop."""
    table = FIELDS[kind]
    of_kind = entities.get(kind, _NO_ENTITIES).values()
    groups: dict[tuple[tuple[str, ...], Convert | None], list[str]] = {}
    for reference in REFERENCES[kind]:
        convert = table.get(reference.field, _as_written)
        if (convert in _LISTS_OF_IDS) if reference.many else (convert is None):
            groups.setdefault((reference.kinds, convert), []).append(reference.field)
    named_known: set[str] = set()
    for (kinds, convert), names in groups.items():
        read = attrgetter(*names)  # a field's slot, or a tuple of the fields' slots
        slots = map(read, of_kind) if len(names) == 1 else chain.from_iterable(map(read, of_kind))
        try:
            if convert is None:  # a text or None a slot
                values = set(slots)
                values.discard(None)
            else:  # a tuple of texts, or of PolicyRefs, a slot
                items = chain.from_iterable(slots)
                values = set(map(_POLICY_ID, items) if convert is _policy_refs else items)
            if values.difference(_ids(entities, kinds)):
                continue
        except TypeError:  # a value that cannot be looked up (not hashable)
            continue
        named_known.update(names)
    return named_known


_LISTS_OF_IDS = (_strs, _policy_refs)
_POLICY_ID = attrgetter("id")


def _names_known(values: list[Any], known: Container[str], versioned: bool) -> bool:
    """Whether every text of ``values`` names an id in ``known`` (with ``versioned``, a
    pinned ``id@version`` by its id), as the finding's own loop would tell one by one."""
    for target in values:
        if isinstance(target, str):
            if versioned and "@" in target:
                target = target.partition("@")[0]
            if target not in known:
                return False
    return True


def _ids(entities: Mapping[str, Mapping[str, Entity]], kinds: tuple[str, ...]) -> Container[str]:
    """The ids of the entities of ``kinds``: the index itself for one kind."""
    if len(kinds) == 1:
        return entities.get(kinds[0], {})
    return {entity_id for kind in kinds for entity_id in entities.get(kind, {})}


def _unknown_strategy(model: Model, objective: Entity) -> Iterator[Finding]:
    strategy = objective.data.get("strategy")
    if isinstance(strategy, str) and strategy not in model.strategy:
        known = ", ".join(model.strategy) or "none defined yet"
        pos = objective.locate(("strategy",))
        yield Finding(
            code="SG104",
            name="unknown-reference",
            severity=Severity.ERROR,
            message=(
                f"Objective {objective.id}: strategy '{strategy}' is not a goal in "
                f"socialgov.yaml's strategy list (known: {known}); "
                "fix the id or add the goal"
            ),
            path=objective.path,
            line=pos.line,
            column=pos.column,
            entity=objective.ref,
            key="strategy",
        )


def _nested_references(model: Model, entity: Entity, suggester: _Suggester) -> Iterator[Finding]:
    """SG104 for the references inside ``access`` entries and the ``archive`` mapping.

    A dict and a list are told by their type before ``isinstance(..., Mapping)``, which asks
    the ABC through a Python call (~1,900 instructions; an Account with two access entries and
    an archive asked it seven times), and an id is looked up in its kinds' entities at once."""
    entities = model.entities
    data = entity.data
    for container, fieldname, kinds in NESTED_REFERENCES[entity.kind]:
        value = data.get(container)
        if value is None:  # not written (told before the ABC's isinstance below)
            continue
        if type(value) is dict or (type(value) is not list and isinstance(value, Mapping)):
            items: Sequence[Any] = (value,)
            single = True
        elif isinstance(value, list):
            items, single = value, False
        else:
            continue
        for i, item in enumerate(items):
            if type(item) is not dict and not isinstance(item, Mapping):
                continue
            target = item.get(fieldname)
            if not isinstance(target, str):
                continue
            if fieldname == "via" and target == NATIVE_LOGIN:
                continue
            for kind in kinds:
                if target in entities.get(kind, _NO_ENTITIES):
                    break
            else:
                node = (container, fieldname) if single else (container, i, fieldname)
                yield _unknown(suggester, entity, node, target, kinds)


def _playbook_references(
    model: Model, playbook: Entity, suggester: _Suggester
) -> Iterator[Finding]:
    for i, handoff in enumerate(playbook.data.get("handoffs") or []):
        if not isinstance(handoff, Mapping):
            continue
        for fieldname, kinds in (
            ("from", ("Team",)),
            ("to", ("Team",)),
            ("continue_on", ("Channel", "Account")),
        ):
            target = handoff.get(fieldname)
            if isinstance(target, str) and not any(model.find(k, target) for k in kinds):
                yield _unknown(suggester, playbook, ("handoffs", i, fieldname), target, kinds)


def _unknown(
    suggester: _Suggester, entity: Entity, node: Path_, target: str, kinds: tuple[str, ...]
) -> Finding:
    close = suggester.best(target, kinds)
    what = " or ".join(kinds)
    fix = f"did you mean '{close}'?" if close else f"add that {what} or correct the id"
    pos = entity.locate(node)
    field_name = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in node).replace(
        ".[", "["
    )
    return Finding(
        code="SG104",
        name="unknown-reference",
        severity=Severity.ERROR,
        message=(
            f"{entity.kind} {entity.id}: {field_name} names {what} '{target}', "
            f"which does not exist; {fix}"
        ),
        path=entity.path,
        line=pos.line,
        column=pos.column,
        entity=entity.ref,
        key=f"{field_name}={target}",
    )


def attach_entities(findings: Iterable[Finding], model: Model) -> Iterator[Finding]:
    """Name the entity of each duplicate-key finding (SG102), which the loader reports before
    any entity exists, so that waivers, the audit and fingerprints see it like any other.

    The entity is the one whose mapping holds the repeated key: the loader's source map records
    the last occurrence of a key, which is where the finding points. The fingerprint key becomes
    the field path inside the entity, so it survives moving the entity within or across files.
    """
    findings = list(findings)
    # The entities of the files that repeat a key, in the model's order: each entity's file
    # read through its slots (a call of the path property is most of a pass over 100,000).
    wanted = {f.path for f in findings if f.code == "SG102" and f.entity is None}
    by_file: dict[str, list[Entity]] = {}
    if wanted:
        for entity in model.all():
            path = entity.source.document.path
            if path in wanted:
                by_file.setdefault(path, []).append(entity)
    for finding in findings:
        if finding.code != "SG102" or finding.entity is not None:
            yield finding
            continue
        position = Position(finding.line, finding.column)
        owner = None
        for entity in by_file.get(finding.path, ()):
            field_path = _key_path(
                entity.source.document.source_map.subtree(entity.source.base), position
            )
            if field_path is not None:
                owner = entity
                break
        if owner is None:
            yield finding
            continue
        yield replace(finding, entity=owner.ref, key="/".join(map(str, field_path)))


def _key_path(source: SourceMap, position: Position) -> Path_ | None:
    """The path, inside ``source``, of the mapping key written at ``position``."""
    return source.key_path(position)


if __name__ == "__main__":  # python -m socialgov.model: write socialgov/model_builders.py
    from pathlib import Path

    target = Path(__file__).with_name("model_builders.py")
    target.write_text(model_builders_code(), encoding="utf-8")
