"""The model building as it was before the speed-ups of issue 8 (main at cac112f), kept verbatim
as the oracle of the differential tests in tests/test_model.py: the straightforward way to make an
entity's typed fields, to keep its valid fields and to find its unknown references. Only the
parts the speed-ups replaced are here; the rest is socialgov.model's own."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from socialgov.core.findings import EntityRef, Finding, Severity
from socialgov.model import (
    DEFAULTS,
    ENTITY_CLASSES,
    NESTED_REFERENCES,
    REFERENCES,
    Access,
    Entity,
    Handoff,
    Kpi,
    Model,
    PolicyRef,
    Source,
    Waiver,
    _Candidate,
    _date,
    _map,
    _nested_references,
    _playbook_references,
    _str,
    _strs,
    _structural,
    _Suggester,
    _unknown,
)


def reference_access(value: Any) -> tuple[Access, ...]:
    return tuple(
        Access(
            person=_str(a.get("person")),
            role=_str(a.get("role")),
            via=_str(a.get("via")),
            index=i,
        )
        for i, a in enumerate(value or [])
        if isinstance(a, Mapping)
    )


def reference_fields(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Typed constructor arguments from validated data (bad values already removed)."""
    common: dict[str, Any] = {
        "name": _str(data.get("name")),
        "description": _str(data.get("description")),
        "labels": _map(data.get("labels")),
        "tags": _strs(data.get("tags")),
        "waivers": tuple(
            Waiver(
                rule=str(w.get("rule", "")),
                reason=_str(w.get("reason")),
                approved_by=_str(w.get("approved_by")),
                expires=_date(w.get("expires")),
                index=i,
            )
            for i, w in enumerate(data.get("waivers") or [])
            if isinstance(w, Mapping)
        ),
    }
    if kind == "Person":
        specific = {
            "email": _str(data.get("email")),
            "team": _str(data.get("team")),
            "role": _str(data.get("role")),
            "employment": _str(data.get("employment")),
            "status": data.get("status", "active"),
            "departed_on": _date(data.get("departed_on")),
        }
    elif kind == "Team":
        specific = {
            "function": _str(data.get("function")),
            "lead": _str(data.get("lead")),
            "parent": _str(data.get("parent")),
        }
    elif kind in ("Account", "Channel"):
        specific = {
            "owner": _str(data.get("owner")),
            "backup_owner": _str(data.get("backup_owner")),
            "team": _str(data.get("team")),
            "purpose": _str(data.get("purpose")),
            "status": data.get("status", "active"),
            "policies": tuple(
                PolicyRef.parse(ref, i)
                for i, ref in enumerate(data.get("policies") or [])
                if isinstance(ref, str)
            ),
            "playbooks": _strs(data.get("playbooks")),
            "terms": _map(data.get("terms")),
            "type": _str(data.get("type")),
            "approved_by": _str(data.get("approved_by")),
            "reviewed_on": _date(data.get("reviewed_on")),
            "access": reference_access(data.get("access")),
        }
        if kind == "Account":
            specific.update(
                platform=_str(data.get("platform")),
                type=data.get("type", "profile"),
                handle=_str(data.get("handle")),
                url=_str(data.get("url")),
                audience=_str(data.get("audience")),
                topic=_str(data.get("topic")),
                region=_str(data.get("region")),
                language=_str(data.get("language")),
                created=_date(data.get("created")),
                last_activity=_date(data.get("last_activity")),
                objectives=_strs(data.get("objectives")),
                monitoring=_strs(data.get("monitoring")),
                metrics=_map(data.get("metrics")),
                security=_map(data.get("security")),
                verified=data.get("verified") if isinstance(data.get("verified"), bool) else None,
                registered_on=_date(data.get("registered_on")),
                retired_on=_date(data.get("retired_on")),
                login_email=_str(data.get("login_email")),
                archive=data.get("archive") if isinstance(data.get("archive"), Mapping) else None,
                managed_via=_strs(data.get("managed_via")),
            )
        else:
            specific["contact"] = _str(data.get("contact"))
    elif kind == "Policy":
        specific = {
            "title": _str(data.get("title")),
            "version": data.get("version", 1),
            "owner": _str(data.get("owner")),
            "effective": _date(data.get("effective")),
            "review_by": _date(data.get("review_by")),
            "applies_to": data.get("applies_to")
            if isinstance(data.get("applies_to"), Mapping)
            else None,
            "terms": _map(data.get("terms")),
            "consistent_terms": _strs(data.get("consistent_terms")),
        }
    elif kind == "Playbook":
        specific = {
            "title": _str(data.get("title")),
            "applies_to": data.get("applies_to")
            if isinstance(data.get("applies_to"), Mapping)
            else None,
            "handoffs": tuple(
                Handoff(
                    scenario=_str(h.get("scenario")),
                    trigger=_str(h.get("trigger")),
                    from_team=_str(h.get("from")),
                    to_team=_str(h.get("to")),
                    before=_str(h.get("before")),
                    expect=_str(h.get("expect")),
                    continue_on=_str(h.get("continue_on")),
                    index=i,
                )
                for i, h in enumerate(data.get("handoffs") or [])
                if isinstance(h, Mapping)
            ),
            "end": _str(data.get("end")),
            "follow_up": _map(data.get("follow_up")),
            "last_exercised": _date(data.get("last_exercised")),
        }
    elif kind == "Objective":
        specific = {
            "statement": _str(data.get("statement")),
            "strategy": _str(data.get("strategy")),
            "kpis": tuple(
                Kpi(name=_str(k.get("name")), target=k.get("target"))
                for k in data.get("kpis") or []
                if isinstance(k, Mapping)
            ),
            "owner": _str(data.get("owner")),
        }
    elif kind == "Sighting":
        specific = {
            name: _str(data.get(name))
            for name in ("url", "platform", "handle", "seen_at", "account", "note")
        }
        specific.update(
            first_seen=_date(data.get("first_seen")),
            last_seen=_date(data.get("last_seen")),
            disposition=data.get("disposition", "unreviewed"),
        )
    elif kind == "Tool":
        specific = {
            "category": _str(data.get("category")),
            "owner": _str(data.get("owner")),
            "security": _map(data.get("security")),
            "access": reference_access(data.get("access")),
        }
    else:  # Rule
        specific = {"code": _str(data.get("code")), "severity": data.get("severity", "warning")}
    return {**common, **specific}


def reference_make_entity(
    candidate: _Candidate, validate: Any, valid: Any = None
) -> tuple[Entity | None, list[Finding]]:  # (valid: the fast model's one-pass builders, unused)
    document, base, kind = candidate.document, candidate.base, candidate.kind
    data = candidate.data
    if not isinstance(data, Mapping):
        return None, [
            _structural(
                "SG101",
                "schema-violation",
                f"each item of {base[0]} must be a mapping describing one {kind}, got "
                f"{type(data).__name__}",
                document,
                base,
                finding_key="/".join(map(str, base)),
            )
        ]
    entity_id = data.get("id")
    ref = EntityRef(kind, entity_id) if isinstance(entity_id, str) else None
    findings: list[Finding] = []
    broken: set[str] = set()
    for error in validate(kind, data):
        findings.append(
            _structural(
                "SG101",
                "schema-violation",
                f"{ref}: {error.message}" if ref else f"{kind}: {error.message}",
                document,
                (*base, *error.path),
                key=error.at_key,
                entity=ref,
                finding_key="/".join(map(str, error.path)) + ":" + error.message,
            )
        )
        if error.path:
            broken.add(str(error.path[0]))
    if ref is None or "id" in broken:
        return None, findings
    clean = {k: v for k, v in data.items() if k not in broken}
    clean = {**DEFAULTS.get(kind, {}), **clean}
    cls = ENTITY_CLASSES[kind]
    entity = cls(
        id=entity_id, data=clean, source=Source(document, base), **reference_fields(kind, clean)
    )
    return entity, findings


def reference_unknown_references(model: Model) -> Iterator[Finding]:
    suggester = _Suggester(model)
    for entity in model.all():
        for reference in REFERENCES[entity.kind]:
            value = entity.data.get(reference.field)
            values = value if reference.many and isinstance(value, list) else [value]
            for i, target in enumerate(values):
                if not isinstance(target, str):
                    continue
                target_id = target.partition("@")[0] if reference.field == "policies" else target
                if any(model.find(kind, target_id) for kind in reference.kinds):
                    continue
                node = (reference.field, i) if reference.many else (reference.field,)
                yield _unknown(suggester, entity, node, target_id, reference.kinds)
        if entity.kind in NESTED_REFERENCES:
            yield from _nested_references(model, entity, suggester)
        if entity.kind == "Playbook":
            yield from _playbook_references(model, entity, suggester)
        if entity.kind == "Objective":
            strategy = entity.data.get("strategy")
            if isinstance(strategy, str) and strategy not in model.strategy:
                known = ", ".join(model.strategy) or "none defined yet"
                pos = entity.locate(("strategy",))
                yield Finding(
                    code="SG104",
                    name="unknown-reference",
                    severity=Severity.ERROR,
                    message=(
                        f"Objective {entity.id}: strategy '{strategy}' is not a goal in "
                        f"socialgov.yaml's strategy list (known: {known}); "
                        "fix the id or add the goal"
                    ),
                    path=entity.path,
                    line=pos.line,
                    column=pos.column,
                    entity=entity.ref,
                    key="strategy",
                )
        for i, waiver in enumerate(entity.waivers):
            if waiver.approved_by and not model.person(waiver.approved_by):
                yield _unknown(
                    suggester,
                    entity,
                    ("waivers", i, "approved_by"),
                    waiver.approved_by,
                    ("Person",),
                )
