"""Identity rules: SG107, an Account's handle and url must name one real profile on its
platform; SG108, a live Account must not be on a platform that has shut down.

The per-platform handle patterns, profile URL forms and closing dates live in the platform catalogue
(socialgov.domain.platforms), which ``fix`` and ``import`` share; this module only turns its
verdicts into findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.core.findings import Severity
from socialgov.domain.platforms import (
    CATALOGUE,
    SPECS,
    closed_on,
    label,
    parsed_url_problem,
)
from socialgov.model import Model
from socialgov.rules._common import live_accounts
from socialgov.rules.base import Reads, RuleContext, Violation, rule, violation

FAMILY = "identity"


def _platform_rules() -> str:
    """Every checked platform's handle rule and profile URL, for the rule's documentation."""
    return "; ".join(f"{spec.id}: {spec.rule}, at {spec.template}" for spec in SPECS.values())


def _closed_platforms() -> str:
    """The platforms that shut down and when, for SG108's documentation."""
    return ", ".join(
        f"{p.label} ({p.id}, {p.closed.isoformat()})"
        for p in CATALOGUE.values()
        if p.closed is not None
    )


@rule(
    code="SG107",
    name="handle-url-mismatch",
    severity=Severity.WARNING,
    family=FAMILY,
    summary=(
        "An Account's handle is invalid for its platform, or its url is not that platform's "
        "profile URL for the handle"
    ),
    rationale=(
        "A handle that cannot exist on its platform, or a url that points somewhere else, is "
        "usually a typo or a copy-paste from another presence; monitoring, audits and people "
        "then look at the wrong profile. It fires only on a real disagreement: a handle that "
        "cannot exist on the platform (or is a web address: socialgov fix moves it to url, or "
        "names one of the platform's own pages: facebook.com/watch, x.com/explore), a "
        "url that is no profile URL of the platform, or a url that names another handle than "
        "the one written. Every profile URL form in current or past use is accepted (YouTube "
        "/@h, /channel/UC..., /user/h, /c/h and /h; LinkedIn /company/, /school/, /showcase/, "
        "/groups/N and /in/; Facebook /h, /Page-Name-123..., /profile.php?id=N, /groups/h, "
        "/people/Name/N; X and Twitter with queries such as ?lang=en; and the other platforms "
        "of the catalogue, see docs/importing.md). A url that names a number or an id (a "
        "Facebook page id, a YouTube channel id, a LinkedIn group) cannot be compared with a "
        "handle that is a name, and is not a mismatch. Accounts are checked whatever their "
        "status; a leading @ in the handle is fine. Urls are compared ignoring http/https, a "
        "missing or extra www., a trailing slash, letter case, a #fragment and a query; "
        "twitter.com is accepted for x.com, threads.com for threads.net. Handles (lengths "
        "inclusive): "
        + _platform_rules()
        + ". Handles on other platforms are checked only for not being a web address or one of "
        "the platform's own pages; "
        "platforms other and forum are not checked."
    ),
    fix="Correct the handle, or set url to the profile URL the message gives.",
    example_fail=(
        "accounts:\n  - id: acme-x\n    platform: x\n    handle: AcmeSupport\n"
        "    url: https://x.com/AcmeSales\n"
    ),
    example_pass=(
        "accounts:\n  - id: acme-x\n    platform: x\n    handle: '@AcmeSupport'\n"
        "    url: http://www.twitter.com/acmesupport/\n"
    ),
    reads=Reads.of({"Account": ("platform", "handle", "url")}, local=True),
)
def handle_url_mismatch(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """An invalid handle, or a url that is not the handle's profile."""
    identities = ctx.derived.account_identities(model, "SG107")  # parsed once with SG304
    for account, identity in zip(model.accounts, identities, strict=True):
        platform = account.platform
        if platform not in CATALOGUE or platform in ("other", "forum"):
            continue
        handle = account.handle
        if handle is not None:
            problem = identity.problem  # handle_problem(platform, handle), found with the parse
            if problem is not None:
                yield violation(
                    account,
                    f"Account {account.id}: handle {problem}; correct the handle",
                    field=("handle",),
                )
                continue
        url = account.url
        if url is None or (handle is not None and identity.canonical):
            continue  # no url, or the profile URL the SPEC writes, or one read as it (usual)
        # the handle was checked above
        problem = parsed_url_problem(platform, handle, url, identity, valid=True)
        if problem is not None:
            fix = "correct the url or the handle" if handle else "set url to the profile's address"
            yield violation(
                account,
                f"Account {account.id}: url {problem}; {fix}",
                field=("url",),
            )


@rule(
    code="SG108",
    name="retired-platform",
    severity=Severity.ERROR,
    family=FAMILY,
    summary="A live Account is on a platform that has shut down",
    rationale=(
        "A platform that has closed cannot carry a presence any more: an account on it that the "
        "inventory still calls live is either a record nobody updated or a name nobody "
        "guards (closed platforms' handles get reused elsewhere, and their archives are "
        "records the organisation may have to keep). Platforms that have shut down, with "
        "their closing days: "
        + _closed_platforms()
        + ". An account is judged once its platform's closing day is on or before as-of."
    ),
    fix=(
        "Set `status: retired` (with `retired_on`), and record where the account's archive is "
        "kept; remove the account only if nothing of it needs keeping."
    ),
    example_fail="accounts:\n  - id: acme-gplus\n    platform: googleplus\n    handle: acme\n",
    example_pass=(
        "accounts:\n  - id: acme-gplus\n    platform: googleplus\n    handle: acme\n"
        "    status: retired\n"
    ),
    reads=Reads.of({"Account": ("status", "platform")}, local=True),
)
def retired_platform(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account on a platform closed by as-of."""
    for account in live_accounts(model, ctx):
        closed = closed_on(account.platform) if account.platform else None
        if closed is not None and closed <= ctx.as_of:
            yield violation(
                account,
                f"Account {account.id} is on {label(account.platform)}, which shut down on "
                f"{closed.isoformat()}, but its status is {account.status}; set status: retired "
                "and record where its archive is kept",
                field=("platform",),
            )
