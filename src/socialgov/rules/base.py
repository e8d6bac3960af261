"""What a rule is: its metadata, the violations it yields, and the context it runs in.

A built-in rule is a pure function ``check(model, ctx) -> Iterable[Violation]`` decorated with
``@rule(...)``, which turns it into a :class:`RuleInfo`. The function never prints, exits or reads
files; the engine turns its violations into findings with positions from the source map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from socialgov.core.findings import Severity
from socialgov.core.kinds import KINDS

if TYPE_CHECKING:  # what a rule is, and what it reads, are known without the model's code
    from socialgov.domain.platforms import Identity
    from socialgov.lang.selectors import Selections
    from socialgov.model import Account, ChannelBase, Entity, Model, Person, Playbook
    from socialgov.source.loader import Path_


_IDENTITY_TAKERS: Final = frozenset({"SG107", "SG304"})
"""The rules that share :meth:`Derived.account_identities`."""


class Derived:
    """What several rules derive from the model in the same way (the live channels), derived
    once per run and shared, as :class:`~socialgov.lang.selectors.Selections` shares what selectors
    select. The values belong to one model; asked about another, it starts afresh. One
    instance serves one run (see RuleContext)."""

    def __init__(self) -> None:
        self._model: Model | None = None
        self._live_channels: tuple[ChannelBase, ...] | None = None
        self._live_accounts: tuple[Account, ...] | None = None
        self._departed: tuple[dt.date, dict[str, Person]] | None = None
        self._account_coverage: tuple[dt.date, tuple[tuple[Playbook, ...], ...]] | None = None
        self._identities: list[Identity] | None = None
        self._identities_taken: set[str] = set()

    def _for(self, model: Model) -> None:
        if model is not self._model:
            self._model = model
            self._live_channels = self._live_accounts = None
            self._departed = self._account_coverage = None
            self._identities, self._identities_taken = None, set()

    def account_identities(self, model: Model, taker: str) -> list[Identity]:
        """What SG107 and SG304 read of every Account's handle and url
        (socialgov.domain.platforms.account_identity), in ``model.accounts``' order: each
        handle and url parsed once for both rules, not once in each. ``taker`` is the rule
        asking: once both have taken the list it is let go (a rule asking again gets it made
        afresh), so that it is not kept through the rest of the run (about 15 MB at 100,000
        Accounts)."""
        self._for(model)
        identities = self._identities
        if identities is None:
            from socialgov.domain.platforms import account_identity

            identities = self._identities = [
                account_identity(a.platform, a.handle, a.url) for a in model.accounts
            ]
            self._identities_taken = set()
        self._identities_taken.add(taker)
        if self._identities_taken >= _IDENTITY_TAKERS:
            self._identities, self._identities_taken = None, set()
        return identities

    def live_channels(self, model: Model) -> tuple[ChannelBase, ...]:
        """Accounts then traditional Channels, in model order, whose status is neither retired
        nor planned."""
        self._for(model)
        if self._live_channels is None:
            self._live_channels = tuple(c for c in model.all_channels if c.live)
        return self._live_channels

    def live_accounts(self, model: Model) -> tuple[Account, ...]:
        """The live Accounts, in model order."""
        self._for(model)
        if self._live_accounts is None:
            self._live_accounts = tuple(a for a in model.accounts if a.live)
        return self._live_accounts

    def departed_people(self, model: Model, as_of: dt.date) -> Mapping[str, Person]:
        """The people departed by ``as_of`` (:meth:`Person.departed`), by id: the owners,
        backups, leads and access holders of every channel are looked up in it, instead of
        each Person being found and asked again for every channel that names them."""
        self._for(model)
        if self._departed is None or self._departed[0] != as_of:
            people: Iterable[tuple[str, Person]] = model.entities.get("Person", {}).items()
            gone = {person_id: p for person_id, p in people if p.departed(as_of)}
            self._departed = (as_of, gone)
        return self._departed[1]

    def live_account_coverage(
        self, model: Model, as_of: dt.date, selections: Selections | None
    ) -> tuple[tuple[Playbook, ...], ...]:
        """The playbooks that cover each live Account, in :meth:`live_accounts`' order
        (socialgov.domain.coverage.playbook_coverage): SG505 and SG506 each judge every live
        Account by them. Tuples, and Accounts covered alike share one."""
        self._for(model)
        if self._account_coverage is None or self._account_coverage[0] != as_of:
            from socialgov.domain.coverage import playbook_coverage

            accounts = self.live_accounts(model)
            self._account_coverage = (
                as_of,
                tuple(playbook_coverage(model, accounts, as_of, selections)),
            )
        return self._account_coverage[1]


def _selections() -> Selections:
    from socialgov.lang.selectors import Selections

    return Selections()


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may know besides the model: the date it judges against and its options."""

    as_of: dt.date
    options: Mapping[str, Any] = field(default_factory=dict)
    known_rules: frozenset[str] = frozenset()
    """Codes and names (lower case) of every rule this run knows besides the repository's own
    Rule entities (plugins, for example); the built-in rules are always known."""
    selections: Selections = field(default_factory=_selections, compare=False, repr=False)
    """What each selector selects, computed once for the whole run and shared by the rules."""
    derived: Derived = field(default_factory=Derived, compare=False, repr=False)
    """What several rules derive from the model alike (the live channels), derived once."""


EVERY_FIELD: Final = "*"
"""In :class:`Reads`, every field of a kind."""

CHANNEL_KINDS: Final = ("Account", "Channel")


@dataclass(frozen=True)
class Reads:
    """What a rule's findings depend on, so that a run after a small change can tell the rules
    whose findings cannot have changed (socialgov.speedups.incremental).

    ``fields`` names, per kind, the top-level fields the rule reads on entities of that kind,
    whatever their role (the entity judged, or one it looks up); ``*`` is every field. Ids and
    kinds are always read. ``local`` promises that the violations on an entity depend only on
    that entity's own fields and the run's context (never on another entity, not even whether
    one exists), so they can be checked again for one file's entities alone. ``positions``
    says that messages show where the entities a finding is about or relates to are written (a
    line number).
    ``applies_to`` names the kinds (Policy, Playbook) whose ``applies_to`` selectors the rule
    matches: the fields those selectors test are read too, as the repository writes them
    (see :meth:`resolve`).

    Tests check every declaration (tests/test_rules_reads.py): changing a field a rule does not
    declare never changes its findings, and a local rule finds the same per file as overall.
    """

    fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    local: bool = False
    positions: bool = False
    applies_to: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        fields: Mapping[str | tuple[str, ...], Iterable[str]],
        *,
        local: bool = False,
        positions: bool = False,
        applies_to: tuple[str, ...] = (),
    ) -> Reads:
        """``Reads.of({CHANNEL_KINDS: ["status", "owner"], "Person": ["status"]})``."""
        merged: dict[str, set[str]] = {}
        for kinds, names in fields.items():
            for kind in (kinds,) if isinstance(kinds, str) else kinds:
                if kind not in KINDS:
                    raise ValueError(f"unknown kind {kind!r} in a rule's reads")
                merged.setdefault(kind, set()).update(names)
        frozen = {kind: frozenset(names) for kind, names in merged.items()}
        return cls(frozen, local=local, positions=positions, applies_to=applies_to)

    def reads(self, kind: str, field_name: str) -> bool:
        """True when the rule reads ``field_name`` of ``kind`` entities."""
        names = self.fields.get(kind)
        return names is not None and (field_name in names or EVERY_FIELD in names)

    def resolve(self, model: Model) -> Reads:
        """These reads with those of the model's ``applies_to`` selectors added in."""
        if not self.applies_to:
            return self
        from socialgov.lang.selectors import selector_reads

        merged = {kind: set(names) for kind, names in self.fields.items()}
        for kind in self.applies_to:
            for entity in model.of(kind):
                applies_to = entity.data.get("applies_to")
                for read_kind, names in selector_reads(applies_to).items():
                    merged.setdefault(read_kind, set()).update(names)
        return Reads(
            {kind: frozenset(names) for kind, names in merged.items()},
            local=self.local,
            positions=self.positions,
        )


READS_EVERYTHING: Final = Reads({kind: frozenset({EVERY_FIELD}) for kind in KINDS})
"""What a rule that declares nothing (a plugin's) is taken to read."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One thing a rule found wrong with ``entity``.

    ``field`` is the path, inside the entity, of the node a person must edit; leave it empty when
    the entity as a whole is at fault (a missing field, for example). ``key`` tells apart several
    violations of one rule on one entity; it defaults to the field path. ``entity`` is None for
    a finding about the repository as a whole (a missing programme, SPEC section 9), which
    points at socialgov.yaml, line 1.
    """

    entity: Entity | None
    message: str
    field: Path_ = ()
    related: tuple[Entity, ...] = ()
    key: str | None = None


class _Open:
    """A Violation's slots without its frozen ``__init__``: what :func:`violation` fills before
    the object becomes the Violation it is (the same slots and base, so the same layout)."""

    __slots__ = Violation.__slots__


def violation(
    entity: Entity | None,
    message: str,
    field: Path_ = (),
    related: tuple[Entity, ...] = (),
    key: str | None = None,
) -> Violation:
    """``Violation(entity, message, field, related, key)``, the same object, for a quarter of
    the instructions: the frozen dataclass's ``__init__`` sets each of its five slots through
    ``object.__setattr__`` (~10,800 instructions a Violation, called with keywords; the rules
    make one for every finding, 23,600 on the stranger's 5,000 accounts); here each slot of a
    plain twin is stored at once and ``__class__`` is set (~2,600). The built-in rules make
    theirs with it; a plugin's ``Violation(...)`` is the same object."""
    made = _Open()
    made.entity = entity
    made.message = message
    made.field = field
    made.related = related
    made.key = key
    made.__class__ = Violation  # type: ignore[assignment]
    return made  # type: ignore[return-value]


Check = Callable[["Model", RuleContext], Iterable[Violation]]


@dataclass(frozen=True)
class RuleInfo:
    """A rule's identity and documentation; ``check`` is None for the structural rules that
    loading and model building report (SG100-SG105)."""

    code: str
    name: str
    severity: Severity
    summary: str
    family: str
    rationale: str = ""
    fix: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    example_fail: str = ""
    example_pass: str = ""
    example_config: str = ""
    """socialgov.yaml settings both examples are linted with (an option the rule needs), if any."""
    check: Check | None = None
    reads: Reads = READS_EVERYTHING
    """What the rule's findings depend on (see :class:`Reads`); a rule that does not say is
    taken to read everything, and is checked again after any change."""
    origin: str = ""
    """Where a rule written as a ``kind: Rule`` entity is (``rules/x.yaml:3``, or ``pack NAME:
    rules/x.yaml:3``); empty for the rules socialgov ships and plugins' rules."""
    follows: tuple[tuple[str, ...], ...] = field(default=(), compare=False, repr=False)
    """The dotted field paths a Rule entity tests that follow references (``owner.employment``,
    ``team.lead.status``), split: ``explain`` walks them to show the chain behind a finding."""
    tests: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    """A Rule entity's ``tests`` as written (``explain`` shows one that fails and one that
    passes as the rule's examples)."""

    def matches(self, selector: str) -> bool:
        """True when ``selector`` (ALL, a code, a code prefix or the name) selects this rule."""
        selector = selector.strip()
        return (
            selector.upper() == "ALL"
            or self.code.upper().startswith(selector.upper())
            or self.name == selector.lower()
        )


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    family: str,
    rationale: str = "",
    fix: str = "",
    options: Mapping[str, Any] | None = None,
    example_fail: str = "",
    example_pass: str = "",
    example_config: str = "",
    reads: Reads = READS_EVERYTHING,
) -> Callable[[Check], RuleInfo]:
    """Declare a built-in rule: ``@rule(code="SG201", name="unowned-channel", ...)``."""

    def wrap(check: Check) -> RuleInfo:
        return RuleInfo(
            code=code,
            name=name,
            severity=severity,
            summary=summary,
            family=family,
            rationale=rationale or (check.__doc__ or "").strip(),
            fix=fix,
            options=dict(options or {}),
            example_fail=example_fail,
            example_pass=example_pass,
            example_config=example_config,
            check=check,
            reads=reads,
        )

    return wrap
