"""Waiver rules: SG106 invalid-waiver.

Waivers are data (SPEC section 5): a reviewed exception with a reason and an expiry date.
``socialgov.report.filters`` applies the valid ones; this rule reports the ones that are not valid,
so a waiver can neither rot silently nor suppress without a recorded reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from socialgov.core.findings import Severity
from socialgov.core.kinds import UNWAIVABLE
from socialgov.core.suggest import Suggestions
from socialgov.core.text import bounded
from socialgov.core.wording import and_list, plural
from socialgov.model import KINDS, Entity, Model, Waiver
from socialgov.rules.base import EVERY_FIELD, Reads, RuleContext, Violation, rule, violation

# Findings of SG106 cannot be waived (UNWAIVABLE): a waiver must not vouch for waivers.


def known_rules(model: Model, ctx: RuleContext) -> dict[str, str]:
    """Every name a waiver may use, lower case, mapped to how to show it in a suggestion.

    The built-in rules' codes and names, those the run knows besides (plugins), and the
    repository's own Rule entities by code and by id.
    """
    from socialgov.rules.registry import builtin_rules

    names: dict[str, str] = {}
    for info in builtin_rules():
        names[info.code.lower()] = info.code
        names[info.name.lower()] = info.name
    for name in ctx.known_rules:
        names.setdefault(name.lower(), name)
    for custom in model.rules:
        names.setdefault(custom.id.lower(), custom.id)
        if custom.code:
            names.setdefault(custom.code.lower(), custom.code)
    return names


def waiver_problems(
    waiver: Waiver,
    names: dict[str, str],
    as_of: dt.date,
    suggest: Suggestions | None = None,
) -> tuple[list[str], list[str], tuple[str | int, ...]]:
    """What is wrong with one waiver, how to fix it, and the node to point at (under the waiver).

    An empty first list means the waiver is valid.
    """
    problems: list[str] = []
    fixes: list[str] = []
    node: tuple[str | int, ...] | None = None
    wanted = waiver.rule.strip().lower()
    if wanted in UNWAIVABLE:
        problems.append(f"waives {waiver.rule}, which cannot be waived")
        fixes.append("correct or delete the waivers SG106 reports instead of waiving SG106")
        node = ("rule",)
    elif wanted not in names:
        close = _close_match(wanted, names, suggest)
        hint = f" (did you mean '{names[close]}'?)" if close else ""
        problems.append(f"names rule '{bounded(waiver.rule, 80)}', which does not exist{hint}")
        fixes.append("name a rule by the code or name 'socialgov rules' lists")
        node = ("rule",)
    if waiver.reason is None or not waiver.reason.strip():
        problems.append("has no reason")
        fixes.append("write in 'reason' why the exception is acceptable, with a ticket or plan")
        if node is None:
            node = ("reason",) if waiver.reason is not None else ()
    if waiver.expires is not None and waiver.expires < as_of:
        days = (as_of - waiver.expires).days
        problems.append(
            f"expired on {waiver.expires.isoformat()}, {plural(days, 'day')} before "
            f"{as_of.isoformat()}, so it no longer suppresses anything"
        )
        fixes.append("fix what it waived, or renew it with a new reason and a later 'expires'")
        if node is None:
            node = ("expires",)
    return problems, fixes, node or ()


MAX_SUGGESTIONS = 1000
"""Distinct unknown rule names a run looks for a 'did you mean' for; past it, waivers naming
unknown rules are still reported, without the suggestion (thousands of them are not typos)."""


def _close_match(wanted: str, names: dict[str, str], suggest: Suggestions | None) -> str | None:
    """The known name closest to ``wanted``, as difflib finds it (socialgov.core.suggest: each
    distinct name looked up once, candidates of hopeless lengths skipped), for the first
    MAX_SUGGESTIONS distinct names of the run, so thousands of unknown names stay cheap."""
    if suggest is None:
        suggest = Suggestions(names, n=1)
    if suggest.answered >= MAX_SUGGESTIONS and not suggest.remembers(wanted):
        return None
    return suggest.best(wanted)


def _describe(entity: Entity, waiver: Waiver, names: dict[str, str]) -> str:
    if waiver.rule.strip().lower() in names:
        return f"{entity.kind} {entity.id}: the waiver of {waiver.rule} (waivers[{waiver.index}])"
    return f"{entity.kind} {entity.id}: waivers[{waiver.index}]"


def _series(parts: list[str]) -> str:
    """Problems of one waiver: 'a', 'a, and b', 'a, b, and c' (each may hold commas)."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]


@rule(
    code="SG106",
    name="invalid-waiver",
    severity=Severity.ERROR,
    family="waivers",
    summary="A waiver has no reason, names an unknown rule, or has expired",
    rationale=(
        "A waiver is a reviewed exception, so it must say why it is acceptable and until when. "
        "A waiver without a reason cannot be reviewed, one naming a rule that does not exist "
        "(usually a typo) suppresses nothing while looking as if it did, and one past its expiry "
        "date no longer suppresses: the exception was meant to end, and the finding it hid is "
        "reported again. Such waivers do not suppress anything. A waiver may name a built-in "
        "rule by code or name, or one of the repository's own Rules by code or id; it is valid "
        "up to and including its 'expires' day. SG106 itself cannot be waived. With "
        "--show-suppressed, valid waivers that suppressed nothing in this run are reported "
        "too, as SG106 at severity info ('unused waiver'); they never change the exit code."
    ),
    fix=(
        "Give the waiver a reason (with a ticket or plan), correct the rule's code or name, or "
        "renew an expired waiver with a new reason and a later expiry date; delete waivers that "
        "are no longer needed."
    ),
    example_fail="""\
people:
  - id: jdoe
    employment: full_time
accounts:
  - id: acme-x
    platform: x
    owner: jdoe
    waivers:
      - rule: ungoverned-acount
        reason: Policies are being written; see ticket GOV-12
        approved_by: jdoe
        expires: 2027-03-31
""",
    example_pass="""\
people:
  - id: jdoe
    employment: full_time
accounts:
  - id: acme-x
    platform: x
    owner: jdoe
    waivers:
      - rule: ungoverned-account
        reason: Policies are being written; see ticket GOV-12
        approved_by: jdoe
        expires: 2027-03-31
""",
    reads=Reads.of({KINDS: ("waivers",), "Rule": (EVERY_FIELD,)}),
)
def invalid_waiver(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    names: dict[str, str] | None = None
    suggest: Suggestions | None = None
    for entity in model.all():
        if not entity.waivers:
            continue
        if names is None or suggest is None:
            names = known_rules(model, ctx)
            suggest = Suggestions(names, n=1)
        for waiver in entity.waivers:
            problems, fixes, node = waiver_problems(waiver, names, ctx.as_of, suggest)
            if not problems:
                continue
            yield violation(
                entity=entity,
                message=(
                    f"{_describe(entity, waiver, names)} {_series(problems)}; {and_list(fixes)}"
                ),
                field=("waivers", waiver.index, *node),
                key=f"waivers/{waiver.rule}",
            )
