"""Focus rules SG301-SG305: a few well-run presences beat a presence everywhere.

They find forums that split one community, presences that went quiet or whose activity nobody
records, two entities for one presence, and teams spread over too many platforms. SG303
activity-unknown is written in the rules-as-code language (rules/activity-unknown.yaml).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from socialgov.core.findings import Severity
from socialgov.domain.platforms import label
from socialgov.model import Account, Model
from socialgov.rules._common import by_position, defaults, listing, live_accounts, option, plural
from socialgov.rules.base import Reads, RuleContext, Violation, rule, violation

FAMILY = "focus"


def _words(text: str) -> str:
    """Text compared as people mean it: case and runs of blanks do not matter."""
    return " ".join(text.split()).casefold()


def _active_members(account: Account) -> int | float | None:
    value = account.metrics.get("active_members_per_month")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _thin(account: Account, threshold: float) -> bool:
    """Fewer active members per month than ``threshold``; an unknown count is fewer."""
    count = _active_members(account)
    return count is None or count < threshold


def _activity_rank(account: Account) -> float:
    """Orders forums from least to most active; an unknown count is the least."""
    count = _active_members(account)
    return -1.0 if count is None else float(count)


def _activity(account: Account) -> str:
    count = _active_members(account)
    return f"{account.id} ({'unknown' if count is None else f'{count:g}'} per month)"


@rule(
    code="SG301",
    name="fragmented-forums",
    severity=Severity.WARNING,
    family=FAMILY,
    summary=(
        "Two or more live forums share an audience and topic, and at least two of them have "
        "fewer than forum_min_active_members active members per month"
    ),
    rationale=(
        "Several half-empty forums for the same people split the conversation: questions go "
        "unanswered in one while the answer sits in another, and each needs its own monitoring "
        "and moderation. Forums are Accounts with type forum (an own-site forum too needs "
        "`type: forum`: the type defaults to profile); they share an audience and topic "
        "when both are written and equal ignoring case and extra blanks. A forum without "
        "metrics.active_members_per_month counts as below the threshold. One finding per group, "
        "on its least active forum, naming the others."
    ),
    fix=(
        "Consolidate the group into one forum and retire the others (status: retired), or waive "
        "the finding while the merge is planned."
    ),
    options=defaults("forum_min_active_members"),
    example_fail=(
        "accounts:\n"
        "  - id: home-subreddit\n    platform: reddit\n    type: forum\n"
        "    audience: smart home owners\n    topic: smart home\n"
        "    metrics: {active_members_per_month: 35}\n"
        "  - id: home-discord\n    platform: discord\n    type: forum\n"
        "    audience: Smart Home Owners\n    topic: smart home\n"
        "    metrics: {active_members_per_month: 22}\n"
    ),
    example_pass=(
        "accounts:\n"
        "  - id: home-subreddit\n    platform: reddit\n    type: forum\n"
        "    audience: smart home owners\n    topic: smart home\n"
        "    metrics: {active_members_per_month: 35}\n"
        "  - id: home-discord\n    platform: discord\n    type: forum\n"
        "    audience: smart home owners\n    topic: smart home\n    status: retired\n"
    ),
    reads=Reads.of({"Account": ("status", "type", "audience", "topic", "metrics")}),
)
def fragmented_forums(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """Live forums for one audience and topic, two or more of them thin."""
    threshold = option(ctx, "forum_min_active_members")
    groups: dict[tuple[str, str], list[Account]] = defaultdict(list)
    for account in live_accounts(model, ctx):
        if account.type == "forum" and account.audience and account.topic:
            groups[(_words(account.audience), _words(account.topic))].append(account)
    for (audience, topic), forums in groups.items():
        if len(forums) < 2:
            continue
        thin = [f for f in forums if _thin(f, threshold)]
        if len(thin) < 2:
            continue
        ordered = by_position(forums)
        least = min(ordered, key=_activity_rank)
        others = [f for f in ordered if f is not least]
        yield violation(
            least,
            f"Account {least.id} is one of {plural(len(forums), 'live forum')} for audience "
            f"'{least.audience}' and topic '{least.topic}', {len(thin)} of them with fewer "
            f"than {threshold} active members per month: "
            f"{listing(_activity(f) for f in (least, *others))}; consolidate them into one "
            "forum and retire the others",
            related=tuple(others),
            key=f"{audience}/{topic}",
        )


@rule(
    code="SG302",
    name="dormant-account",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live Account's last_activity is more than dormant_days days before as-of",
    rationale=(
        "A presence that has gone quiet still speaks for the organisation: customers post "
        "questions nobody answers, and an unwatched login is an easy target. Exactly dormant_days "
        "days is not yet dormant; one more day is. Status dormant is still live, so it does not "
        "silence this rule: retire the account or revive it."
    ),
    fix=(
        "Post or moderate again and update `last_activity`, or set `status: retired` if the "
        "presence is no longer needed."
    ),
    options=defaults("dormant_days"),
    example_fail=("accounts:\n  - id: acme-x\n    platform: x\n    last_activity: 2026-05-27\n"),
    example_pass=("accounts:\n  - id: acme-x\n    platform: x\n    last_activity: 2026-05-28\n"),
    reads=Reads.of({"Account": ("status", "last_activity")}, local=True),
)
def dormant_account(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account with no activity for more than dormant_days days."""
    limit = int(option(ctx, "dormant_days"))
    for account in live_accounts(model, ctx):
        last = account.last_activity
        if last is None:
            continue
        idle = (ctx.as_of - last).days
        if idle > limit:
            yield violation(
                account,
                f"Account {account.id} was last active on {last.isoformat()}, "
                f"{plural(idle, 'day')} before {ctx.as_of.isoformat()} (dormant_days: {limit}); "
                "post or moderate again and update last_activity, or set status: retired",
                field=("last_activity",),
            )


@rule(
    code="SG304",
    name="duplicate-presence",
    severity=Severity.ERROR,
    family=FAMILY,
    summary=(
        "Two Accounts are the same presence: same platform and handle, or same normalised url"
    ),
    rationale=(
        "One presence written as two entities gets two owners, two sets of policies and two "
        "rows in every count, and the two drift apart. Two Accounts are one presence when "
        "their handles or urls name the same profile in the platform catalogue: the same "
        "platform and handle (ignoring case and a leading @), or urls that name the same "
        "profile in any of its URL forms (youtube.com/user/acme and youtube.com/@acme; "
        "twitter.com and x.com; http, www., a trailing slash and letter case do not count). "
        "A handle on platform other counts only with its url's host, so the same handle on "
        "two services is never one presence; a url no profile form reads is compared as "
        "written, normalised. Every status counts: a retired entity and a new one for the "
        "same presence are still one presence. The finding is on the entity written later, "
        "naming the earlier one."
    ),
    fix="Keep one entity per presence: merge what the duplicate says into the other and delete it.",
    example_fail=(
        "accounts:\n"
        "  - {id: acme-x, platform: x, handle: acme}\n"
        "  - {id: acme-x-support, platform: x, handle: '@Acme'}\n"
    ),
    example_pass=(
        "accounts:\n"
        "  - {id: acme-x, platform: x, handle: acme}\n"
        "  - {id: acme-threads, platform: threads, handle: acme}\n"
    ),
    reads=Reads.of({"Account": ("platform", "handle", "url")}, positions=True),
)
def duplicate_presence(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """Two Account entities describing one presence."""
    identities = ctx.derived.account_identities(model, "SG304")  # parsed once with SG107
    keyed = [
        (account, identity.handle_key, identity.url_key)
        for account, identity in zip(model.accounts, identities, strict=True)
    ]
    counted: dict[str, int] = {}  # how many accounts name each key (an account counts once)
    for _, handle, url in keyed:
        if handle is not None:
            counted[handle] = counted.get(handle, 0) + 1
        if url is not None and url != handle:
            counted[url] = counted.get(url, 0) + 1
    # Only accounts sharing a key with another can be a duplicate or its first: they alone are
    # put in written order (positions are looked up for them alone).
    shared = [
        (account, handle, url)
        for account, handle, url in keyed
        if (handle is not None and counted[handle] > 1) or (url is not None and counted[url] > 1)
    ]
    first_of: dict[str, tuple[Account, str]] = {}
    for account, handle, url in sorted(shared, key=lambda item: (item[0].path, item[0].locate())):
        field, earlier = _earlier(first_of, handle, url)
        if earlier is not None:
            first, how = earlier
            where = f"{_written(first)}, {first.path}:{first.locate().line}"
            if field == "handle" and how == "handle":
                said = (
                    f"has the same {label(str(account.platform))} handle '{account.handle}' "
                    f"as Account {first.id} ({where})"
                )
            elif field == "url" and how == "url":
                said = (
                    f"has the same url '{account.url}' as Account {first.id} ({where}): both "
                    "name one profile"
                )
            else:
                written = account.handle if field == "handle" else account.url
                said = (
                    f"names the same {label(str(account.platform))} profile ('{written}') as "
                    f"Account {first.id} ({where})"
                )
            yield violation(
                account,
                f"Account {account.id} {said}; one presence needs one entity: merge "
                f"{account.id} into {first.id} and delete it",
                field=(field,),
                related=(first,),
            )
        for key, how in ((handle, "handle"), (url, "url")):
            if key is not None:
                first_of.setdefault(key, (account, how))


def _earlier(
    first_of: dict[str, tuple[Account, str]], handle: str | None, url: str | None
) -> tuple[str, tuple[Account, str] | None]:
    """The field by which an account repeats an earlier presence, and that presence (with the
    field that named it there); None when it repeats none."""
    if handle is not None and handle in first_of:
        return "handle", first_of[handle]
    if url is not None and url in first_of:
        return "url", first_of[url]
    return "", None


def _written(account: Account) -> str:
    """How an account names its presence, for messages: its handle and url as written."""
    parts = [f"'{value}'" for value in (account.handle, account.url) if value]
    return " at ".join(parts) if parts else "no handle or url"


@rule(
    code="SG305",
    name="platform-sprawl",
    severity=Severity.INFO,
    family=FAMILY,
    summary="A team keeps live Accounts on more than max_platforms_per_team platforms",
    rationale=(
        "A few well-run presences beat a presence everywhere: every platform needs content, "
        "monitoring and moderation, and a team spread over many does none of them well. An "
        "Account belongs to the team its `team` field names."
    ),
    fix=(
        "Focus on the platforms that serve the team's objectives; retire or hand over the "
        "presences on the others, or raise `options.max_platforms_per_team`."
    ),
    options=defaults("max_platforms_per_team"),
    example_fail=(
        "teams:\n  - id: marketing\n    function: marketing\n"
        "accounts:\n"
        + "".join(
            f"  - {{id: acme-{p}, platform: {p}, team: marketing}}\n"
            for p in ("x", "facebook", "instagram", "linkedin", "youtube", "tiktok")
        )
    ),
    example_pass=(
        "teams:\n  - id: marketing\n    function: marketing\n"
        "accounts:\n"
        + "".join(
            f"  - {{id: acme-{p}, platform: {p}, team: marketing}}\n"
            for p in ("x", "facebook", "instagram", "linkedin", "youtube")
        )
        + "  - {id: acme-tiktok, platform: tiktok, team: marketing, status: planned}\n"
    ),
    reads=Reads.of({"Account": ("status", "team", "platform")}),
)
def platform_sprawl(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A team with live Accounts on too many platforms."""
    limit = int(option(ctx, "max_platforms_per_team"))
    by_team: dict[str, dict[str, list[Account]]] = defaultdict(lambda: defaultdict(list))
    for account in live_accounts(model, ctx):
        if account.team is not None and account.platform is not None:
            by_team[account.team][account.platform].append(account)
    for team_id, platforms in by_team.items():
        team = model.team(team_id)
        if team is None or len(platforms) <= limit:
            continue
        accounts = by_position(a for group in platforms.values() for a in group)
        yield violation(
            team,
            f"Team {team.id} keeps live Accounts on {len(platforms)} platforms "
            f"({listing(sorted(platforms), limit=50)}), more than max_platforms_per_team "
            f"({limit}); focus on the platforms that serve its objectives and retire or hand "
            "over the others",
            related=tuple(accounts),
        )
