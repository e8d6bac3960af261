"""How much harm each kind of gap can do, so the worst gaps are ordered by risk (SPEC section 12).

A gap is a rule with reported findings, or a maturity indicator below the bar. The ranking asks
what can go wrong, worst first: someone outside the organisation can post in its name (a leaver
still holds a login, an owner has left, an impostor is live, no one holds the credentials), then
a presence nobody answers for, then an incident with no path, then policies not applied, and last
the inconsistencies a reader notices (a stated term that differs). A rule not listed here (a
custom rule, a plugin's) ranks by its severity.
"""

from __future__ import annotations

RULES: dict[str, int] = {
    # someone who should not can post in the organisation's name
    "SG208": 100,  # departed-access: a leaver can still log in
    "SG202": 96,  # orphan-account: the owner left, the login may be in a leaver's hands
    "SG311": 94,  # impostor-open
    "SG702": 90,  # no-credential-custodian
    "SG701": 88,  # mfa-not-enabled
    "SG209": 86,  # personal-login
    "SG108": 84,  # retired-platform: a presence on a closed platform
    "SG201": 82,  # unowned-channel
    "SG703": 80,  # tool-insecure
    "SG304": 76,  # duplicate-presence
    "SG310": 74,  # unregistered-presence
    "SG210": 72,  # too-few-admins
    # an incident with nowhere to go
    "SG505": 68,  # no-crisis-path
    "SG506": 66,  # no-compromise-path
    "SG203": 62,  # no-backup-owner
    "SG205": 58,  # unaccountable-owner
    "SG214": 56,  # team-parent-cycle
    "SG406": 54,  # ungoverned-account
    "SG401": 52,  # policy-not-adopted
    "SG302": 50,  # dormant-account: an abandoned presence is a hijack target
    "SG212": 48,  # retired-without-record
    "SG213": 46,  # archive-stale
    "SG211": 44,  # review-overdue
    "SG501": 42,  # no-playbook
    "SG502": 40,  # handoff-incomplete
    "SG503": 40,  # no-end-condition
    "SG206": 38,  # team-without-lead
    "SG407": 36,  # policy-without-owner
    "SG405": 34,  # policy-review-overdue
    "SG604": 32,  # unmonitored-account
    "SG104": 30,  # unknown-reference
    "SG103": 30,  # duplicate-id
    "SG100": 30,  # yaml-syntax: nothing in the file is checked
    "SG101": 28,  # schema-violation
    # what a reader notices, but no one is harmed by today
    "SG402": 20,  # term-mismatch
    "SG403": 20,  # cross-channel-inconsistency
    "SG408": 18,  # traditional-only-policy
    "SG404": 16,  # policy-version-drift
    "SG601": 14,  # no-objective
    "SG603": 12,  # objective-without-strategy
    "SG602": 12,  # objective-without-kpi
    "SG504": 12,  # loop-not-closed
    "SG507": 10,  # playbook-not-exercised
    "SG301": 10,  # fragmented-forums
    "SG107": 10,  # handle-url-mismatch
    "SG303": 8,  # activity-unknown
    "SG207": 8,  # owner-overloaded
    "SG305": 6,  # platform-sprawl
}

INDICATORS: dict[str, int] = {
    "owned_with_backup": 63,
    "adopting_policies": 53,
    "playbook_covered": 43,
    "monitored": 33,
    "serving_objective": 15,
}

BY_SEVERITY = {"error": 35, "warning": 22, "info": 5}


def of_rule(code: str, severity: str) -> int:
    """The risk of a rule's findings: the table above, else by severity."""
    return RULES.get(code, BY_SEVERITY.get(severity, 5))


def level(risk: int) -> str:
    """high, medium or low."""
    return "high" if risk >= 70 else ("medium" if risk >= 40 else "low")
