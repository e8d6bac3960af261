"""Security rules SG701-SG702: logins that cannot be taken over and never go missing."""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.findings import Severity
from socialgov.model import Model
from socialgov.rules._common import live_accounts, written
from socialgov.rules.base import RuleContext, Violation, rule

FAMILY = "security"


@rule(
    code="SG701",
    name="mfa-not-enabled",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live Account's security.mfa is not true",
    rationale=(
        "A hijacked account speaks in the organisation's name to all its followers; "
        "multi-factor authentication stops most takeovers. Unrecorded counts as not enabled."
    ),
    fix="Enable multi-factor authentication on the login and set `security.mfa: true`.",
    example_fail="accounts:\n  - id: acme-x\n    platform: x\n    security: {mfa: false}\n",
    example_pass="accounts:\n  - id: acme-x\n    platform: x\n    security: {mfa: true}\n",
)
def mfa_not_enabled(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account without multi-factor authentication recorded as enabled."""
    for account in live_accounts(model):
        mfa = account.security.get("mfa")
        if mfa is True:
            continue
        state = "has security.mfa: false" if mfa is False else "does not record security.mfa"
        yield Violation(
            account,
            f"Account {account.id} {state}; enable multi-factor authentication on its login and "
            "set security.mfa: true",
            field=written(account, "security", "mfa"),
            key="security.mfa",
        )


@rule(
    code="SG702",
    name="no-credential-custodian",
    severity=Severity.WARNING,
    family=FAMILY,
    summary="A live Account has no security.credential_custodian",
    rationale=(
        "When nobody knows who holds the login, access leaves with whoever set the account up, "
        "and nobody can recover or lock it in a crisis. A blank value counts as none."
    ),
    fix=(
        "Set `security.credential_custodian:` to the Person or Team id, or the vault, that "
        "holds the login."
    ),
    example_fail="accounts:\n  - id: acme-x\n    platform: x\n    security: {mfa: true}\n",
    example_pass=(
        "accounts:\n  - id: acme-x\n    platform: x\n"
        "    security: {mfa: true, credential_custodian: '1password:social-vault'}\n"
    ),
)
def no_credential_custodian(model: Model, ctx: RuleContext) -> Iterator[Violation]:
    """A live Account whose login custodian is not recorded."""
    for account in live_accounts(model):
        custodian = account.security.get("credential_custodian")
        if isinstance(custodian, str) and custodian.strip():
            continue
        yield Violation(
            account,
            f"Account {account.id} does not say who holds its login; set "
            "security.credential_custodian to the Person, Team or vault that does",
            field=written(account, "security", "credential_custodian"),
            key="security.credential_custodian",
        )
