"""Structural rules SG100-SG105: reported while loading and building the model, not by checks.

They are declared here so that ``socialgov rules`` and ``socialgov explain`` document them like
every other rule, and so that select/ignore/severity apply to them the same way.
"""

from __future__ import annotations

from socialgov.core.findings import Severity
from socialgov.rules.base import RuleInfo

YAML_SYNTAX = RuleInfo(
    code="SG100",
    name="yaml-syntax",
    severity=Severity.ERROR,
    family="structure",
    summary="A file is not valid YAML, or cannot be read as plain data",
    rationale=(
        "A file that does not parse says nothing about the presences it was meant to describe, "
        "so everything in it goes unchecked. The finding points at the parser's position; the "
        "other files are still checked. Unreadable files, encodings other than UTF-8 (or UTF-16 "
        "with a byte order mark), custom or language tags such as !!python/object, and files "
        "over the resource limits are reported here too."
    ),
    fix="Correct the syntax at the reported line and column (indentation, a missing colon, an "
    "unclosed quote or bracket).",
    example_fail="accounts:\n  - id: acme-x\n    platform: x\n   handle: acme\n",
    example_pass="accounts:\n  - id: acme-x\n    platform: x\n    handle: acme\n",
)

SCHEMA_VIOLATION = RuleInfo(
    code="SG101",
    name="schema-violation",
    severity=Severity.ERROR,
    family="structure",
    summary="A document breaks its kind's JSON Schema",
    rationale=(
        "Unknown fields, misspelt enum values and values of the wrong type would otherwise pass "
        "silently and make rules judge the wrong data. There is one finding per violation, at the "
        "offending node, with its path. Use 'socialgov schema' to get the schemas for your editor."
    ),
    fix="Correct the field as the message says; keep your own data under 'labels'.",
    example_fail="kind: Account\nid: acme-x\nplatform: x\nownr: jdoe\n",
    example_pass="kind: Account\nid: acme-x\nplatform: x\nowner: jdoe\n",
)

DUPLICATE_KEY = RuleInfo(
    code="SG102",
    name="duplicate-key",
    severity=Severity.ERROR,
    family="structure",
    summary="A mapping repeats a key",
    rationale=(
        "YAML parsers silently keep the last value of a repeated key, so an edit to the first one "
        "has no effect, or a value someone relies on is quietly dropped."
    ),
    fix="Delete one of the two keys, or rename the one that was meant to be another field.",
    example_fail="kind: Account\nid: acme-x\nplatform: x\nowner: jdoe\nowner: asmith\n",
    example_pass="kind: Account\nid: acme-x\nplatform: x\nowner: jdoe\nbackup_owner: asmith\n",
)

DUPLICATE_ID = RuleInfo(
    code="SG103",
    name="duplicate-id",
    severity=Severity.ERROR,
    family="structure",
    summary="Two entities of one kind share an id",
    rationale=(
        "References name entities by id; with two entities behind one id, references, waivers "
        "and baselines would point at either. The first one read (by file path) is kept."
    ),
    fix="Rename one of them, and update the references that meant it.",
    example_fail=(
        "people:\n  - {id: jdoe, employment: full_time}\n  - {id: jdoe, employment: contractor}\n"
    ),
    example_pass=(
        "people:\n  - {id: jdoe, employment: full_time}\n  - {id: jdoe2, employment: contractor}\n"
    ),
)

UNKNOWN_REFERENCE = RuleInfo(
    code="SG104",
    name="unknown-reference",
    severity=Severity.ERROR,
    family="structure",
    summary="A reference names no entity of the kind it must be",
    rationale=(
        "An owner, team, policy, playbook or objective that does not exist is as good as none, "
        "and usually a typo. Objective strategies must name a goal listed in socialgov.yaml."
    ),
    fix="Correct the id (the message suggests the closest existing one) or add the entity.",
    example_fail=(
        "people:\n  - {id: jdoe, employment: full_time}\n"
        "accounts:\n  - {id: acme-x, platform: x, owner: jdoee}\n"
    ),
    example_pass=(
        "people:\n  - {id: jdoe, employment: full_time}\n"
        "accounts:\n  - {id: acme-x, platform: x, owner: jdoe}\n"
    ),
)

UNKNOWN_DOCUMENT = RuleInfo(
    code="SG105",
    name="unknown-document",
    severity=Severity.ERROR,
    family="structure",
    summary="A document is neither an entity with a known kind nor a collection",
    rationale=(
        "Every YAML document in the repository must describe entities; anything else (an unknown "
        "kind, a misspelt collection key, a bare list) would otherwise be ignored."
    ),
    fix="Give the document a known 'kind:' or key it by a plural kind name (people, accounts...).",
    example_fail="acounts:\n  - {id: acme-x, platform: x}\n",
    example_pass="accounts:\n  - {id: acme-x, platform: x}\n",
)
