"""Security rules SG701-SG702, each on an entity that fires and on its near misses."""

from __future__ import annotations

from conftest import MakeRepo, found, run_lint
from socialgov.core.findings import EntityRef, Severity

ACCOUNTS = """\
accounts:
  - id: mfa-off
    platform: x
    security:
      mfa: false
      credential_custodian: it-security
  - id: mfa-unsaid
    platform: x
    security:
      credential_custodian: "  "
  - id: no-security
    platform: x
  - {id: safe, platform: x, security: {mfa: true, credential_custodian: "1password:social"}}
  - {id: dormant, platform: x, status: dormant, security: {mfa: true}}
  - {id: old, platform: x, status: retired}
  - {id: soon, platform: x, status: planned, security: {mfa: false}}
"""


def account(account_id: str) -> EntityRef:
    return EntityRef("Account", account_id)


def test_mfa_not_enabled(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"accounts.yaml": ACCOUNTS, "channels.yaml": "channels:\n  - {id: web, type: web}\n"}
    )
    findings = found(run_lint(root), "SG701")
    assert [(f.entity, f.line, f.column) for f in findings] == [
        (account("mfa-off"), 5, 12),
        (account("mfa-unsaid"), 10, 7),
        (account("no-security"), 11, 5),
    ]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message == (
        "Account mfa-off has security.mfa: false; enable multi-factor authentication on its "
        "login and set security.mfa: true"
    )
    # one message for false and unrecorded: the value shows which (SG701 is a YAML rule)
    assert findings[1].message.startswith("Account mfa-unsaid has security.mfa: (not set); ")


def test_no_credential_custodian(make_repo: MakeRepo) -> None:
    root = make_repo({"accounts.yaml": ACCOUNTS})
    findings = found(run_lint(root), "SG702")
    assert [(f.entity, f.line, f.column) for f in findings] == [
        (account("mfa-unsaid"), 10, 29),
        (account("no-security"), 11, 5),
        (account("dormant"), 14, 59),
    ]
    assert findings[0].message == (
        "Account mfa-unsaid does not say who holds its login; set security.credential_custodian "
        "to the Person, Team or vault that does"
    )
