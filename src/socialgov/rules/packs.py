"""The Rules of installed rule packs (``extends:`` names them; socialgov.extends finds them),
compiled beside the built-in rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from socialgov.core.errors import SocialgovError
from socialgov.extends import Pack
from socialgov.model import Entity, Model
from socialgov.rules.base import RuleInfo


@dataclass(frozen=True)
class PackRules:
    """The Rules of the packs a configuration extends: compiled, and as a model of their own
    (for their tests)."""

    rules: tuple[RuleInfo, ...]
    model: Model
    entities: tuple[Entity, ...]


def pack_rules(packs: Sequence[Pack], taken: Sequence[RuleInfo] = ()) -> PackRules:
    """Compile every Rule the packs ship; a broken one stops the run (exit 2) with its place,
    since a shared rule set that silently lost a rule would pass what it should fail."""
    from socialgov.model import build_model
    from socialgov.rules.custom import compile_model_rules
    from socialgov.source.exact import parse_text

    documents = []
    for pack in packs:
        for rule_file in pack.rule_files:
            parsed = parse_text(rule_file.text, rule_file.path)
            if parsed.findings:
                first = parsed.findings[0]
                raise SocialgovError(
                    f"{first.path}:{first.line}:{first.column}: {first.message}; the rule pack "
                    "is broken: reinstall or fix it"
                )
            documents.extend(parsed.documents)
    model, findings = build_model(documents, {})
    problems = [f for f in findings if f.code != "SG104"]
    if model.rules and not problems:
        non_rules = [e for e in model.all() if e.kind != "Rule"]
        if non_rules:
            e = non_rules[0]
            pos = e.locate()
            raise SocialgovError(
                f"{e.path}:{pos.line}:{pos.column}: a rule pack's rules/ holds only Rules, not "
                f"{e.kind} {e.id}"
            )
    compiled = compile_model_rules(model, taken)
    problems.extend(compiled.findings)
    if problems:
        first = problems[0]
        raise SocialgovError(
            f"{first.path}:{first.line}:{first.column}: {first.message}; the rule pack is "
            "broken: reinstall or fix it"
        )
    rules = tuple(_as_pack_rule(info) for info in compiled.rules)
    return PackRules(rules, model, tuple(model.rules))


def _as_pack_rule(info: RuleInfo) -> RuleInfo:
    from dataclasses import replace

    pack = info.origin.split(":", 1)[0].removeprefix("pack ") if info.origin else ""
    return replace(info, family=f"pack {pack}" if pack else info.family)
