"""Policy consistency rules SG401-SG408: treat social as another channel.

Policies must be adopted by the channels they apply to, every channel must state what its
policies fix, and channels adopting one policy, social and traditional alike, must say the same
thing. Each rule indexes the channels once (policy id to adopting channels), so the work grows
with the number of channels times the number of policies, never with pairs of channels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence, Set
from operator import attrgetter
from typing import Any

from socialgov.core.findings import Severity
from socialgov.core.wording import plural
from socialgov.domain.coverage import selected_channels
from socialgov.domain.terms import show_term, term_key, term_key_of
from socialgov.model import ChannelBase, Model, Person, Policy, PolicyRef
from socialgov.rules._common import live_channels
from socialgov.rules.base import CHANNEL_KINDS, Reads, RuleContext, Violation, rule, violation

LISTED = 5
"""How many channels a message names for one value before it says "and N more"."""


def _adopters(
    channels: Iterable[ChannelBase], policies: Set[str]
) -> dict[str, list[tuple[ChannelBase, PolicyRef]]]:
    """Policy id to the ``channels`` that adopt it (with their reference), in one pass, for
    the ``policies`` given."""
    index: dict[str, list[tuple[ChannelBase, PolicyRef]]] = defaultdict(list)
    for channel in channels:
        for ref in channel.policies:
            if ref.id in policies:
                index[ref.id].append((channel, ref))
    return index


def _names(channels: Sequence[ChannelBase]) -> str:
    """'Account a, Account b and 3 more' for a message."""
    shown = [f"{c.kind} {c.id}" for c in channels[:LISTED]]
    more = len(channels) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


_BY_ID = attrgetter("id")
_UNSTATED: Any = object()
"""What a channel's terms give for a term they do not state."""


def _social_first(channels: Iterable[ChannelBase]) -> tuple[list[ChannelBase], list[ChannelBase]]:
    """``channels`` split into social and traditional ones, each sorted by id: in that order,
    social first, they are sorted by (not social, id). (Ids are unique within a kind, so no two
    channels of one part share an id: the order is the same however they were given.)"""
    social: list[ChannelBase] = []
    traditional: list[ChannelBase] = []
    for channel in channels:
        (social if channel.kind == "Account" else traditional).append(channel)
    social.sort(key=_BY_ID)
    traditional.sort(key=_BY_ID)
    return social, traditional


def _by_kind(social: Sequence[ChannelBase], traditional: Sequence[ChannelBase]) -> str:
    """The channels stating one value (each part sorted by id), social first, then
    traditional, labelled as such."""
    parts = []
    if social:
        parts.append(f"{_names(social)} (social)")
    if traditional:
        parts.append(f"{_names(traditional)} (traditional)")
    return " and ".join(parts)


@rule(
    code="SG401",
    name="policy-not-adopted",
    severity=Severity.ERROR,
    family="consistency",
    summary="A live channel matched by a Policy's applies_to does not adopt that policy",
    rationale=(
        "A policy's applies_to says which channels must follow it. A live channel it matches "
        "but that does not list the policy in its 'policies' is run without it: its team may "
        "never have read it, and nothing it states is checked against the policy's terms. "
        "Channels that are retired or planned are not judged. A policy whose applies_to is "
        "malformed is skipped here (SG101 reports the selector). An Account that adopts no "
        "policy at all is SG406's finding, not this one: the two never fire for one channel."
    ),
    fix=(
        "Add the policy's id to the channel's 'policies', or narrow the policy's applies_to if "
        "the channel really is out of its scope."
    ),
    example_fail="""\
policies:
  - id: service-sla
    applies_to:
      kind: [Account, Channel]
      where: {purpose: service}
channels:
  - id: phone-support
    type: phone
    purpose: service
""",
    example_pass="""\
policies:
  - id: service-sla
    applies_to:
      kind: [Account, Channel]
      where: {purpose: service}
channels:
  - id: phone-support
    type: phone
    purpose: service
    policies: [service-sla]
""",
    reads=Reads.of(
        {CHANNEL_KINDS: ("status", "policies"), "Policy": ("applies_to",)}, applies_to=("Policy",)
    ),
)
def policy_not_adopted(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    channels = live_channels(model, ctx)
    for policy in model.policies:
        matched = selected_channels(policy.applies_to, channels, model, ctx.as_of, ctx.selections)
        for channel in matched or ():
            if channel.adopts(policy.id) is not None:
                continue
            if channel.social and not channel.policies:
                continue  # adopts no policy at all: SG406's finding, never both
            listed = "policies" in channel.data
            yield violation(
                entity=channel,
                message=(
                    f"Policy {policy.id} applies to {channel.kind} {channel.id} (by its "
                    f"applies_to), but the {channel.kind.lower()} does not adopt it; add "
                    f"'{policy.id}' to its policies{'' if listed else ' (a list of policy ids)'}"
                    ", or narrow the policy's applies_to if the channel is out of its scope"
                ),
                field=("policies",) if listed else (),
                related=(policy,),
                key=f"policy/{policy.id}",
            )


@rule(
    code="SG402",
    name="term-mismatch",
    severity=Severity.ERROR,
    family="consistency",
    summary="A channel states a term whose value differs from the canonical value in a policy "
    "it adopts",
    rationale=(
        "A channel's terms are what it tells customers (its bio, auto-reply, recorded message). "
        "When a channel promises a 24-hour reply while the policy it adopts fixes 4 hours, "
        "customers get different answers depending on where they ask. Values are compared as a "
        'reader would read them: 24, 24.0 and "24" are the same value, as are true and '
        '"true", and whitespace around a text does not count; case and units written in the '
        "text do. Retired channels state nothing any more and are not judged; planned ones are, "
        "so that they go live stating the right value. A term the channel does not state is not "
        "a mismatch. A pinned older version (service-sla@2) is still compared with the policy's "
        "current terms (SG404 reports the pin)."
    ),
    fix="Change the channel's term to the policy's value, or change the policy if it is wrong.",
    example_fail="""\
policies:
  - id: service-sla
    terms: {response_time_hours: 4}
accounts:
  - id: acme-care-x
    platform: x
    policies: [service-sla]
    terms: {response_time_hours: 24}
""",
    example_pass="""\
policies:
  - id: service-sla
    terms: {response_time_hours: 4}
accounts:
  - id: acme-care-x
    platform: x
    policies: [service-sla]
    terms: {response_time_hours: "4"}
""",
    reads=Reads.of({CHANNEL_KINDS: ("status", "terms", "policies"), "Policy": ("terms",)}),
)
def term_mismatch(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    fixing = {p.id for p in model.policies if p.terms}  # the policies that fix a term
    for channel in model.all_channels:
        if channel.status == "retired" or not channel.terms:
            continue
        for ref in channel.policies:
            if ref.id not in fixing:
                continue
            policy = model.policy(ref.id)
            if policy is None or not policy.terms:
                continue
            for term, stated in channel.terms.items():
                if term not in policy.terms:
                    continue
                canonical = policy.terms[term]
                if term_key(stated) == term_key(canonical):
                    continue
                yield violation(
                    entity=channel,
                    message=(
                        f"{channel.kind} {channel.id} states {term} {show_term(stated)}, but "
                        f"Policy {policy.id}, which it adopts, fixes {show_term(canonical)}; "
                        f"change terms.{term} to {show_term(canonical)} (or correct the policy)"
                    ),
                    field=("terms", term),
                    related=(policy,),
                    key=f"terms.{term}/{policy.id}",
                )


@rule(
    code="SG403",
    name="cross-channel-inconsistency",
    severity=Severity.ERROR,
    family="consistency",
    summary="Live channels adopting one policy state different values for a term in its "
    "consistent_terms",
    rationale=(
        "Customers still phone, email and chat: the information they get must be the same on "
        "every channel, traditional and social. A policy's consistent_terms lists terms it "
        "governs without fixing a value (a refund window that legal may change); every live "
        "channel adopting the policy that states such a term must state the same value. There is "
        "one finding per policy and term, on the policy's consistent_terms entry, naming each "
        "value and which channels, social and traditional, state it. Values are compared as in "
        'SG402 (24 and "24" are the same). Channels that do not state the term, and retired '
        "or planned channels, are not compared."
    ),
    fix=(
        "Decide which value is right and make every channel listed state it; if the policy "
        "should fix the value, move the term into its terms (SG402 then checks each channel)."
    ),
    example_fail="""\
policies:
  - id: returns
    consistent_terms: [refund_window_days]
accounts:
  - id: acme-x
    platform: x
    policies: [returns]
    terms: {refund_window_days: 30}
channels:
  - id: phone-support
    type: phone
    policies: [returns]
    terms: {refund_window_days: 14}
""",
    example_pass="""\
policies:
  - id: returns
    consistent_terms: [refund_window_days]
accounts:
  - id: acme-x
    platform: x
    policies: [returns]
    terms: {refund_window_days: 30}
channels:
  - id: phone-support
    type: phone
    policies: [returns]
    terms: {refund_window_days: 30}
""",
    reads=Reads.of(
        {CHANNEL_KINDS: ("status", "terms", "policies"), "Policy": ("consistent_terms",)}
    ),
)
def cross_channel_inconsistency(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    governing = [policy for policy in model.policies if policy.consistent_terms]
    if not governing:
        return
    adopters = _adopters(live_channels(model, ctx), {p.id for p in governing})
    text_keys: dict[str, str] = {}  # term_key of each text stated, computed once
    for policy in governing:
        # Each channel once (one adopting the policy twice is listed twice): by identity, as
        # the model holds one entity per kind and id.
        channels = list({id(c): c for c, _ in adopters.get(policy.id, ())}.values())
        for index, term in enumerate(policy.consistent_terms):
            values: dict[str, tuple[Any, list[ChannelBase]]] = {}
            for channel in channels:
                stated = channel.terms.get(term, _UNSTATED)
                if stated is _UNSTATED:
                    continue
                compared = term_key_of(stated, text_keys)
                values.setdefault(compared, (stated, []))[1].append(channel)
            if len(values) < 2:
                continue
            yield _inconsistency(policy, term, index, list(values.values()))


def _inconsistency(
    policy: Policy, term: str, index: int, values: list[tuple[Any, list[ChannelBase]]]
) -> Violation:
    values.sort(key=lambda item: -len(item[1]))  # stable: ties keep the order first seen
    # Each value's channels, social first then by id; every channel in that order (the runs of
    # each value's parts are merged by the sort).
    ordered = [_social_first(chans) for _, chans in values]
    social = sorted((c for part, _ in ordered for c in part), key=_BY_ID)
    traditional = sorted((c for _, part in ordered for c in part), key=_BY_ID)
    stating = social + traditional
    listing = "; ".join(
        f"{show_term(value)} on {_by_kind(*parts)}"
        for (value, _), parts in zip(values, ordered, strict=True)
    )
    hint = ""
    if len(values[0][1]) > len(values[1][1]):
        hint = f" (most state {show_term(values[0][0])})"
    return violation(
        entity=policy,
        message=(
            f"Policy {policy.id}: live channels state {len(values)} different values for "
            f"{term}: {listing}; make them all state the same value{hint}"
        ),
        field=("consistent_terms", index),
        related=tuple(stating),
        key=f"consistent_terms/{term}",
    )


@rule(
    code="SG404",
    name="policy-version-drift",
    severity=Severity.WARNING,
    family="consistency",
    summary="A channel pins an older version of a policy than its current version",
    rationale=(
        "A channel that adopts service-sla@2 while the policy is at version 3 follows rules "
        "that have been replaced: its team has not taken in the change. Unpinned references "
        "always mean the current version and never drift. Retired channels are not judged."
    ),
    fix=(
        "Review what changed in the policy, bring the channel in line, then update the "
        "reference to the current version (or drop the pin)."
    ),
    example_fail="""\
policies:
  - id: service-sla
    version: 3
channels:
  - id: phone-support
    type: phone
    policies: [service-sla@2]
""",
    example_pass="""\
policies:
  - id: service-sla
    version: 3
channels:
  - id: phone-support
    type: phone
    policies: [service-sla@3]
""",
    reads=Reads.of({CHANNEL_KINDS: ("status", "policies"), "Policy": ("version",)}),
)
def policy_version_drift(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for channel in model.all_channels:
        if channel.status == "retired":
            continue
        for ref in channel.policies:
            if ref.version is None:  # unpinned: always the current version
                continue
            policy = model.policy(ref.id)
            if policy is None or ref.version >= policy.version:
                continue
            behind = policy.version - ref.version
            yield violation(
                entity=channel,
                message=(
                    f"{channel.kind} {channel.id} pins {ref.id}@{ref.version}, but Policy "
                    f"{policy.id} is at version {policy.version} ({plural(behind, 'version')} "
                    f"behind); review the changes, then reference {ref.id}@{policy.version} "
                    f"(or plain {ref.id})"
                ),
                field=("policies", ref.index),
                related=(policy,),
                key=f"policies/{ref.id}",
            )


@rule(
    code="SG405",
    name="policy-review-overdue",
    severity=Severity.WARNING,
    family="consistency",
    summary="A Policy's review_by is before as-of",
    rationale=(
        "Policies go stale: platforms change their features, laws and service levels change. "
        "A policy past its review date may no longer say what the organisation does. It is "
        "due on its review_by day and overdue from the day after."
    ),
    fix="Review the policy with its owner, update it if needed, and set the next review_by date.",
    example_fail="""\
policies:
  - id: service-sla
    review_by: 2026-06-30
""",
    example_pass="""\
policies:
  - id: service-sla
    review_by: 2027-06-30
""",
    reads=Reads.of({"Policy": ("review_by",)}, local=True),
)
def policy_review_overdue(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for policy in model.policies:
        if policy.review_by is None or policy.review_by >= ctx.as_of:
            continue
        days = (ctx.as_of - policy.review_by).days
        yield violation(
            entity=policy,
            message=(
                f"Policy {policy.id} was due for review on {policy.review_by.isoformat()}, "
                f"{plural(days, 'day')} before {ctx.as_of.isoformat()}; review it with its "
                "owner, then set review_by to the next review date"
            ),
            field=("review_by",),
        )


@rule(
    code="SG407",
    name="policy-without-owner",
    severity=Severity.WARNING,
    family="consistency",
    summary="A Policy has no owner, or its owner is departed",
    rationale=(
        "A policy nobody owns is reviewed by nobody: it goes stale, and questions about it go "
        "unanswered. The owner may be a Person or a Team; a Person who has departed (status "
        "departed, or departed_on on or before as-of) owns nothing any more."
    ),
    fix="Set the policy's owner to a Person who is here, or to the Team responsible for it.",
    example_fail="""\
people:
  - id: jdoe
    employment: full_time
    status: departed
    departed_on: 2026-06-30
policies:
  - id: service-sla
    owner: jdoe
""",
    example_pass="""\
teams:
  - id: customer-care
    function: service
policies:
  - id: service-sla
    owner: customer-care
""",
    reads=Reads.of({"Policy": ("owner",), "Person": ("status", "departed_on")}),
)
def policy_without_owner(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for policy in model.policies:
        if policy.owner is None:
            yield violation(
                entity=policy,
                message=(
                    f"Policy {policy.id} has no owner, so nobody reviews it; set owner to the "
                    "Person or Team responsible for it"
                ),
            )
            continue
        person = model.person(policy.owner)
        if person is None or not person.departed(ctx.as_of):
            continue
        yield violation(
            entity=policy,
            message=(
                f"Policy {policy.id}'s owner {person.id} {_departure(person)}; give the policy "
                "an owner who is here (a Person or the responsible Team)"
            ),
            field=("owner",),
            related=(person,),
        )


def _departure(person: Person) -> str:
    if person.departed_on is not None:
        return f"departed on {person.departed_on.isoformat()}"
    return "has departed (status departed)"


@rule(
    code="SG408",
    name="traditional-only-policy",
    severity=Severity.WARNING,
    family="consistency",
    summary="A policy's applies_to matches traditional channels of some purpose but none of "
    "the live Accounts of that purpose, while such Accounts exist",
    rationale=(
        "Social is another channel: if the service policy applies to the phone line and the "
        "service mailbox, it applies to the service accounts on X and Facebook too. A policy "
        "written for traditional channels only leaves the social ones of the same purpose "
        "without it. For each purpose, the rule compares the live traditional channels the "
        "policy's applies_to matches with the live Accounts of that purpose: when it matches "
        "some of the former and none of the latter, there is one finding, on the policy's "
        "applies_to, per purpose. Channels without a purpose are not grouped, and a policy "
        "without applies_to or with a malformed one is skipped."
    ),
    fix=(
        "Widen the policy's applies_to to the Accounts of that purpose (for example "
        "kind: [Account, Channel]), or write the social counterpart of the policy."
    ),
    example_fail="""\
policies:
  - id: service-sla
    applies_to:
      kind: Channel
      where: {purpose: service}
channels:
  - id: phone-support
    type: phone
    purpose: service
    policies: [service-sla]
accounts:
  - id: acme-care-x
    platform: x
    purpose: service
""",
    example_pass="""\
policies:
  - id: service-sla
    applies_to:
      kind: [Account, Channel]
      where: {purpose: service}
channels:
  - id: phone-support
    type: phone
    purpose: service
    policies: [service-sla]
accounts:
  - id: acme-care-x
    platform: x
    purpose: service
    policies: [service-sla]
""",
    reads=Reads.of(
        {CHANNEL_KINDS: ("status", "purpose"), "Policy": ("applies_to",)}, applies_to=("Policy",)
    ),
)
def traditional_only_policy(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    live = live_channels(model, ctx)
    # The purposes of the live Accounts; the Accounts of one are gathered only for a finding.
    account_purposes = {c.purpose for c in live if c.social and c.purpose}
    if not account_purposes:
        return
    for policy in model.policies:
        matched = selected_channels(policy.applies_to, live, model, ctx.as_of, ctx.selections)
        if not matched:
            continue
        traditional: dict[str, list[ChannelBase]] = {}  # the traditional channels by purpose
        social: set[str] = set()
        for channel in matched:
            purpose = channel.purpose
            if not purpose:
                continue
            if channel.social:
                social.add(purpose)
            else:
                traditional.setdefault(purpose, []).append(channel)
        for purpose, channels in traditional.items():
            if purpose not in account_purposes or purpose in social:
                continue
            accounts = [c for c in live if c.social and c.purpose == purpose]
            yield violation(
                entity=policy,
                message=(
                    f"Policy {policy.id} applies to the traditional {purpose} "
                    f"{'channel' if len(channels) == 1 else 'channels'} {_names(channels)} but "
                    f"to none of the live {purpose} Accounts ({_names(accounts)}); social is "
                    "another channel, so widen applies_to to those Accounts (e.g. kind: "
                    "[Account, Channel]) or write their counterpart policy"
                ),
                field=("applies_to",),
                related=tuple(accounts),
                key=f"applies_to/{purpose}",
            )
