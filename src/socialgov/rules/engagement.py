"""Engagement rules SG501-SG507: pass the ball well, and rehearse it.

For every scenario that calls for it, a playbook says who gets the ball, what happens before the
pass and after it, what constitutes the END, and who is told afterwards. Coverage (which
playbooks cover which channels) is computed by ``socialgov.domain.coverage``: once per run for
the live Accounts (SG505 and SG506 share it), once for SG501's channels. SG503
no-end-condition is written in the rules-as-code language (rules/no-end-condition.yaml).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from socialgov.core.findings import Severity
from socialgov.core.wording import and_list
from socialgov.domain.coverage import has_crisis_path, playbook_coverage
from socialgov.model import Account, ChannelBase, Model, Playbook
from socialgov.rules._common import (
    by_position,
    defaults,
    live_account_coverage,
    live_accounts,
    live_channels,
    option,
    plural,
)
from socialgov.rules.base import CHANNEL_KINDS, Reads, RuleContext, Violation, rule, violation

ESCALATING_PURPOSES = ("service", "sales", "pr")
"""Purposes whose channels meet complaints, leads and crises, and so need a playbook (SG501)."""

HANDOFF_FIELDS = ("scenario", "trigger", "to", "before", "expect")
"""What a handoff must say (SG502): which situation, what prompts the pass, who receives the
ball, what the passer does first and what the receiver is expected to do."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _playbooks_field(channel: ChannelBase) -> tuple[str, ...]:
    return ("playbooks",) if "playbooks" in channel.data else ()


@rule(
    code="SG501",
    name="no-playbook",
    severity=Severity.WARNING,
    family="engagement",
    summary="A live channel whose purpose is service, sales or pr is covered by no Playbook",
    rationale=(
        "Service, sales and PR channels meet complaints, sales leads and crises every day. "
        "Without a playbook nobody knows who gets the ball, what to do before passing it, or "
        "when the matter is closed, so every operator improvises. A channel is covered by a "
        "playbook whose applies_to matches it, or by listing the playbook in its 'playbooks'. "
        "Retired and planned channels are not judged; a reference to a playbook that does not "
        "exist is SG104's finding and counts as listed here."
    ),
    fix=(
        "List the playbook that covers the channel in its 'playbooks', or make a playbook's "
        "applies_to match it; write the playbook first if there is none."
    ),
    example_fail="""\
channels:
  - id: phone-support
    type: phone
    purpose: service
""",
    example_pass="""\
playbooks:
  - id: service-escalation
    applies_to:
      kind: [Account, Channel]
      where: {purpose: service}
    end: The customer confirms the issue is solved
channels:
  - id: phone-support
    type: phone
    purpose: service
""",
    reads=Reads.of(
        {CHANNEL_KINDS: ("status", "purpose", "playbooks"), "Playbook": ("applies_to",)},
        applies_to=("Playbook",),
    ),
)
def no_playbook(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    channels = [
        c for c in live_channels(model, ctx) if c.purpose in ESCALATING_PURPOSES and not c.playbooks
    ]
    if not channels:
        return
    coverage = playbook_coverage(model, channels, ctx.as_of, ctx.selections)
    for channel, playbooks in zip(channels, coverage, strict=True):
        if playbooks:
            continue
        yield violation(
            entity=channel,
            message=(
                f"{channel.kind} {channel.id} is a live {channel.purpose} channel covered by no "
                "playbook, so nobody knows who gets the ball in a complaint, a lead or a "
                "crisis; list a playbook in its playbooks, or make a playbook's applies_to "
                "match it"
            ),
            field=_playbooks_field(channel),
        )


@rule(
    code="SG502",
    name="handoff-incomplete",
    severity=Severity.ERROR,
    family="engagement",
    summary="A handoff lacks scenario, trigger, to, before or expect",
    rationale=(
        "A handoff is only useful when it is complete: the scenario it handles, what prompts "
        "the pass, the team that receives the ball, what the passing team does before passing "
        "it and what the receiving team is expected to do. A handoff missing any of them leaves "
        "someone guessing at the worst moment. There is one finding per handoff, naming every "
        "missing field; 'from' and 'continue_on' are optional."
    ),
    fix="Fill in the missing fields of the handoff.",
    example_fail="""\
teams:
  - id: corporate-comms
    function: pr
playbooks:
  - id: crisis
    end: The holding statement is out
    handoffs:
      - scenario: crisis
        to: corporate-comms
""",
    example_pass="""\
teams:
  - id: corporate-comms
    function: pr
playbooks:
  - id: crisis
    end: The holding statement is out
    handoffs:
      - scenario: crisis
        trigger: A complaint is shared more than 50 times in an hour
        to: corporate-comms
        before: Acknowledge publicly and take the conversation to DM
        expect: Issue a holding statement within 1 hour
""",
    reads=Reads.of({"Playbook": ("handoffs",)}, local=True),
)
def handoff_incomplete(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for playbook in model.playbooks:
        for handoff in playbook.handoffs:
            values = {
                "scenario": handoff.scenario,
                "trigger": handoff.trigger,
                "to": handoff.to_team,
                "before": handoff.before,
                "expect": handoff.expect,
            }
            missing = [name for name in HANDOFF_FIELDS if _blank(values[name])]
            if not missing:
                continue
            what = handoff.scenario or "unnamed scenario"
            yield violation(
                entity=playbook,
                message=(
                    f"Playbook {playbook.id}: handoff {handoff.index + 1} ({what}) lacks "
                    f"{and_list(missing)}; say {and_list([_MEANING[m] for m in missing])}"
                ),
                field=("handoffs", handoff.index),
                key=f"handoffs/{handoff.index}",
            )


_MEANING = {
    "scenario": "which situation it handles (scenario)",
    "trigger": "what prompts the pass (trigger)",
    "to": "which team receives the ball (to)",
    "before": "what the passing team does first (before)",
    "expect": "what the receiving team is expected to do (expect)",
}


@rule(
    code="SG504",
    name="loop-not-closed",
    severity=Severity.WARNING,
    family="engagement",
    summary="A Playbook's follow_up lacks communicate_to or lessons_learned",
    rationale=(
        "Passing the ball well ends with closing the loop: telling whoever else should know "
        "(communicate_to) and asking what was learned (lessons_learned). An empty list, "
        "lessons_learned: false or an empty text count as missing."
    ),
    fix="Add follow_up.communicate_to (the teams or audiences to tell) and "
    "follow_up.lessons_learned (true, or a description of the review).",
    example_fail="""\
playbooks:
  - id: complaints
    end: The customer confirms the issue is solved
    follow_up:
      communicate_to: [product]
""",
    example_pass="""\
playbooks:
  - id: complaints
    end: The customer confirms the issue is solved
    follow_up:
      communicate_to: [product]
      lessons_learned: Monthly complaint review with product
""",
    reads=Reads.of({"Playbook": ("follow_up",)}, local=True),
)
def loop_not_closed(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    for playbook in model.playbooks:
        follow_up = playbook.follow_up
        missing = []
        if not follow_up.get("communicate_to"):
            missing.append("communicate_to (who else to tell)")
        lessons = follow_up.get("lessons_learned")
        if lessons is False or _blank(lessons):
            missing.append("lessons_learned (the review that asks what to do differently)")
        if not missing:
            continue
        written = "follow_up" in playbook.data
        yield violation(
            entity=playbook,
            message=(
                f"Playbook {playbook.id} does not close the loop: its follow_up lacks "
                f"{and_list(missing)}; add {'them' if len(missing) > 1 else 'it'} to follow_up"
            ),
            field=("follow_up",) if written else (),
        )


@rule(
    code="SG505",
    name="no-crisis-path",
    severity=Severity.WARNING,
    family="engagement",
    summary="A live Account is covered by no handoff whose scenario is crisis and whose to team "
    "has function pr",
    rationale=(
        "Any public account can be where a crisis starts. When it does, the operator must know "
        "that the ball goes to the PR team, and how. An account is covered by the handoffs of "
        "every playbook that covers it (by applies_to or by its 'playbooks'); one of them must "
        "have scenario crisis and pass to a Team whose function is pr. Retired and planned "
        "accounts are not judged."
    ),
    fix=(
        "Cover the account with a playbook that has a crisis handoff to the PR team: add such "
        "a handoff to a playbook it already has, or list (or match) a crisis playbook."
    ),
    example_fail="""\
accounts:
  - id: acme-x
    platform: x
""",
    example_pass="""\
teams:
  - id: corporate-comms
    function: pr
playbooks:
  - id: crisis
    applies_to: {kind: Account}
    end: The holding statement is out and mentions are back to normal
    handoffs:
      - scenario: crisis
        trigger: A post about us is shared more than 50 times in an hour
        to: corporate-comms
        before: Acknowledge and stop scheduled posts
        expect: Issue a holding statement within 1 hour
accounts:
  - id: acme-x
    platform: x
""",
    reads=Reads.of(
        {
            "Account": ("status", "playbooks"),
            "Playbook": ("applies_to", "handoffs"),
            "Team": ("function",),
        },
        applies_to=("Playbook",),
    ),
)
def no_crisis_path(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    accounts = live_accounts(model, ctx)
    if not accounts:
        return
    crisis: dict[str, bool] = {}
    covers: dict[int, bool] = {}  # each cover's answer, by its tuple (accounts share covers)
    for account, playbooks in zip(accounts, live_account_coverage(model, ctx), strict=True):
        covered = covers.get(id(playbooks))
        if covered is None:
            covered = covers[id(playbooks)] = _any_crisis(playbooks, model, crisis)
        if covered:
            continue
        if playbooks:
            named = ", ".join(p.id for p in playbooks)
            why = f"none of its playbooks ({named}) passes a crisis to a team whose function is pr"
        else:
            why = "no playbook covers it"
        yield violation(
            entity=account,
            message=(
                f"Account {account.id} has no crisis path: {why}; cover it with a playbook "
                "that has a handoff with scenario crisis to the PR team"
            ),
            field=_playbooks_field(account),
            related=tuple(playbooks),
        )


def _any_crisis(playbooks: Sequence[Playbook], model: Model, seen: dict[str, bool]) -> bool:
    """Whether one of ``playbooks`` has a crisis path; ``seen`` remembers each playbook's."""
    for playbook in playbooks:
        found = seen.get(playbook.id)
        if found is None:
            found = seen[playbook.id] = has_crisis_path(playbook, model)
        if found:
            return True
    return False


COMPROMISE = "account_compromise"
"""The handoff scenario of a hijacked or locked account (SG506)."""


def _has_compromise_path(playbook: Playbook) -> bool:
    return any(handoff.scenario == COMPROMISE for handoff in playbook.handoffs)


@rule(
    code="SG506",
    name="no-compromise-path",
    severity=Severity.WARNING,
    family="engagement",
    summary="A live Account is covered by no Playbook with an account_compromise handoff",
    rationale=(
        "A hijacked or locked account is a matter of minutes: someone must know who locks it "
        "down, who calls the platform, who tells followers and who checks the other accounts "
        "the same login reaches (the UK NCSC: plan for the worst). An account is covered by "
        "the handoffs of every playbook that covers it (by applies_to or by its 'playbooks'); "
        "one of them must have scenario account_compromise. Retired and planned accounts are "
        "not judged. While no playbook has such a handoff at all, the plan is missing for "
        "everyone, and that is one finding (on the playbook written first, else on the first "
        "live Account), not one per account."
    ),
    fix=(
        "Add a handoff with scenario account_compromise (trigger, to, before, expect) to a "
        "playbook that covers the account, or write a compromise playbook whose applies_to "
        "matches every Account."
    ),
    example_fail="""\
accounts:
  - id: acme-x
    platform: x
""",
    example_pass="""\
teams:
  - id: it-security
    function: it
playbooks:
  - id: account-compromise
    applies_to: {kind: Account}
    end: Every login is back in our hands and followers have been told
    handoffs:
      - scenario: account_compromise
        trigger: A post we did not write, or a login alert we cannot explain
        to: it-security
        before: Stop scheduled posts and note what was posted
        expect: Lock the account, reset logins, report to the platform within 1 hour
accounts:
  - id: acme-x
    platform: x
""",
    reads=Reads.of(
        {"Account": ("status", "playbooks"), "Playbook": ("applies_to", "handoffs")},
        applies_to=("Playbook",),
    ),
)
def no_compromise_path(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    accounts = live_accounts(model, ctx)
    if not accounts:
        return
    if not any(_has_compromise_path(p) for p in model.playbooks):
        yield _no_compromise_plan(model, accounts)
        return
    covers: dict[int, bool] = {}  # each cover's answer, by its tuple (accounts share covers)
    for account, playbooks in zip(accounts, live_account_coverage(model, ctx), strict=True):
        covered = covers.get(id(playbooks))
        if covered is None:
            covered = covers[id(playbooks)] = any(_has_compromise_path(p) for p in playbooks)
        if covered:
            continue
        if playbooks:
            named = ", ".join(p.id for p in playbooks)
            why = f"none of its playbooks ({named}) has an account_compromise handoff"
        else:
            why = "no playbook covers it"
        yield violation(
            entity=account,
            message=(
                f"Account {account.id} has no plan for a hijacked or locked login: {why}; "
                "cover it with a playbook that has a handoff with scenario account_compromise"
            ),
            field=_playbooks_field(account),
            related=tuple(playbooks),
        )


def _no_compromise_plan(model: Model, accounts: tuple[Account, ...]) -> Violation:
    """The one finding of a repository where no playbook plans for a hijacked account: on the
    playbook written first (where the handoff can go), else on the first live Account."""
    count = plural(len(accounts), "live Account")
    playbooks = by_position(model.playbooks)
    if playbooks:
        return violation(
            entity=playbooks[0],
            message=(
                f"No playbook has a handoff with scenario account_compromise, so none of the "
                f"{count} has a plan for a hijacked or locked login; add one here (who locks "
                "the account, who reports it to the platform, who tells followers) and make "
                "the playbook cover every Account"
            ),
            field=("handoffs",) if "handoffs" in playbooks[0].data else (),
            key="programme",
        )
    first = by_position(accounts)[0]
    return violation(
        entity=first,
        message=(
            f"No playbook exists, so none of the {count} has a plan for a hijacked or locked "
            "login; write a playbook with a handoff with scenario account_compromise whose "
            "applies_to matches every Account"
        ),
        key="programme",
    )


@rule(
    code="SG507",
    name="playbook-not-exercised",
    severity=Severity.INFO,
    family="engagement",
    summary="A Playbook's last_exercised is missing or more than drill_interval_days before as-of",
    rationale=(
        "A plan nobody has rehearsed fails on the day: the phone number is old, the receiving "
        "team has changed, the platform's recovery form has moved. A drill once a year (by "
        "default) finds that out first. A Playbook without `last_exercised` has never been "
        "drilled as far as anyone knows; the boundary is strict."
    ),
    fix=(
        "Run a drill of the playbook (walk through a made-up case with the teams it names), "
        "fix what it shows, and set `last_exercised` to the day of the drill."
    ),
    options=defaults("drill_interval_days"),
    example_fail="""\
playbooks:
  - id: account-compromise
    end: Every login is back in our hands
    last_exercised: 2025-03-10
""",
    example_pass="""\
playbooks:
  - id: account-compromise
    end: Every login is back in our hands
    last_exercised: 2026-03-10
""",
    reads=Reads.of({"Playbook": ("last_exercised",)}, local=True),
)
def playbook_not_exercised(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    interval = int(option(ctx, "drill_interval_days"))
    for playbook in model.playbooks:
        day = playbook.last_exercised
        if day is None:
            yield violation(
                playbook,
                f"Playbook {playbook.id} has never been exercised (no last_exercised); run a "
                "drill with the teams it names and set last_exercised to its date",
            )
            continue
        age = (ctx.as_of - day).days
        if age > interval:
            yield violation(
                playbook,
                f"Playbook {playbook.id} was last exercised on {day.isoformat()}, "
                f"{plural(age, 'day')} before as-of, more than drill_interval_days "
                f"({interval}); run a drill and update last_exercised",
                field=("last_exercised",),
            )
