"""Identity rule SG107: an Account's handle and url must name a real profile on its platform.

The per-platform handle patterns and profile URLs live in socialgov.platforms, which ``fix``
and ``import`` share; this module only turns their verdicts into findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.findings import Severity
from socialgov.model import Model
from socialgov.platforms import SPECS, canonical_url, handle_problem, url_problem
from socialgov.rules.base import Reads, RuleContext, Violation, rule

FAMILY = "identity"


def _platform_rules() -> str:
    """Every checked platform's handle rule and profile URL, for the rule's documentation."""
    return "; ".join(
        f"{spec.platform}: {spec.rule}, at {spec.url_template}" for spec in SPECS.values()
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
        "then look at the wrong profile. Accounts are checked whatever their status; a leading "
        "@ in the handle is fine. Urls are compared ignoring http/https, a missing or extra "
        "www., a trailing slash, letter case and a #fragment; twitter.com is accepted for "
        "x.com, threads.com for threads.net, and a youtube.com/channel/UC... url for any "
        "YouTube handle. Without a handle, the url must still be a profile URL of the platform. "
        "Handles (lengths inclusive) and profile URLs: "
        + _platform_rules()
        + ". Other platforms are not checked."
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
    for account in model.accounts:
        platform = account.platform
        if platform not in SPECS:
            continue
        handle = account.handle
        if handle is not None:
            problem = handle_problem(platform, handle)
            if problem is not None:
                yield Violation(
                    account,
                    f"Account {account.id}: handle {problem}; correct the handle",
                    field=("handle",),
                )
                continue
        url = account.url
        if url is None or (handle is not None and url == canonical_url(platform, handle)):
            continue  # no url, or exactly the profile URL the SPEC writes (the usual case)
        problem = url_problem(platform, handle, url)
        if problem is not None:
            fix = "correct the url or the handle" if handle else "set url to the profile's address"
            yield Violation(
                account,
                f"Account {account.id}: url {problem}; {fix}",
                field=("url",),
            )
