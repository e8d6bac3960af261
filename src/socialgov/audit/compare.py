"""``audit --compare REV``: what changed since a git revision, short enough for a pull request.

The repository at REV is read from git like ``--new-since`` reads it (``git archive`` into a
temporary folder) and audited with the configuration it had there; both sides are judged as of
the same day (``--as-of``, default today), so what differs is what the change did, not the
calendar. Findings are matched by fingerprint (rule, entity and field, never lines), entities by
kind and id.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.audit.extras import Comparison, FindingChange, IndicatorChange
from socialgov.audit.report import Ref
from socialgov.core.errors import SocialgovError
from socialgov.core.findings import Finding
from socialgov.source.git import _git, checkout_root, export_tree, resolve_commit

if TYPE_CHECKING:
    from socialgov.audit.report import FindingsSummary, Maturity
    from socialgov.config import Config
    from socialgov.model import Model


@dataclass(frozen=True)
class Side:
    """What one side of the comparison needs from its audit: the maturity and the findings by
    severity, every entity by kind and id, and the reported findings. Taken from the lint's
    model, which is let go at once (two models are never held together)."""

    maturity: Maturity
    summary: FindingsSummary
    entities: dict[tuple[str, str], Ref]
    findings: tuple[Finding, ...]


def _audit(config: Config, cache: bool) -> Side:
    from socialgov.audit.metrics import AuditInput, measure
    from socialgov.pipeline import lint_model

    result, model = lint_model(config, cache=cache)
    maturity, _, summary = measure(
        AuditInput(
            model=model,
            findings=result.findings,
            suppressed=result.suppressed,
            rules=result.rules,
            as_of=config.as_of,
            options=config.options,
        )
    )
    return Side(maturity, summary, _entities(model), result.findings)


def compare_with(config: Config, rev: str, *, cache: bool = True) -> Comparison:
    """The audit now against the audit at ``rev``."""
    from socialgov.config import load_config

    top = checkout_root(config.root)
    commit = resolve_commit(top, rev)
    prefix = config.root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix
    after = _audit(config, cache)
    with tempfile.TemporaryDirectory(prefix="socialgov-compare-") as tmp:
        tree = Path(tmp)
        if export_tree(top, commit, prefix, tree):
            old_root = (tree / prefix) if prefix else tree
            try:
                old = load_config(old_root)
            except SocialgovError as exc:
                raise SocialgovError(
                    f"--compare {rev}: the configuration there could not be read: {exc}"
                ) from None
            old = replace(old, as_of=config.as_of, baseline=None)
            before: Side | None = _audit(old, cache=False)
        else:
            before = None
    return comparison(rev, commit, _date(top, commit), config.as_of, before, after)


def _date(top: Path, commit: str) -> dt.date | None:
    done = _git(["show", "-s", "--format=%cI", commit], top)
    text = done.stdout.decode().strip()
    return dt.datetime.fromisoformat(text).date() if done.returncode == 0 and text else None


def _entities(model: Model | None) -> dict[tuple[str, str], Ref]:
    if model is None:
        return {}
    return {
        (entity.kind, entity.id): Ref(entity.kind, entity.id, getattr(entity, "name", None))
        for kind in sorted(model.entities)
        for entity in model.of(kind)
    }


def _finding(finding: Finding, names: dict[tuple[str, str], Ref]) -> FindingChange:
    entity = None
    if finding.entity is not None:
        key = (finding.entity.kind, finding.entity.id)
        entity = names.get(key, Ref(*key))
    return FindingChange(
        code=finding.code,
        name=finding.name,
        severity=str(finding.severity),  # type: ignore[arg-type]
        message=finding.message,
        entity=entity,
        path=finding.path,
        line=finding.line,
    )


def _order(change: FindingChange) -> tuple[int, str, str, str]:
    rank = {"error": 0, "warning": 1, "info": 2}[change.severity]
    return (
        rank,
        change.code,
        change.entity.id if change.entity else "",
        change.message,
    )


def comparison(
    rev: str,
    commit: str,
    date: dt.date | None,
    as_of: dt.date,
    before: Side | None,
    after: Side,
) -> Comparison:
    """The differences between two audits (``before`` None: the repository did not exist)."""
    old_entities = before.entities if before is not None else {}
    new_entities = after.entities
    before_findings = before.findings if before is not None else ()
    old_prints = {f.fingerprint for f in before_findings}
    new_prints = {f.fingerprint for f in after.findings}
    added = sorted(
        (_finding(f, new_entities) for f in after.findings if f.fingerprint not in old_prints),
        key=_order,
    )
    resolved = sorted(
        (_finding(f, old_entities) for f in before_findings if f.fingerprint not in new_prints),
        key=_order,
    )
    old_indicators = {i.key: i.ratio for i in before.maturity.indicators} if before else {}
    return Comparison(
        rev=rev,
        commit=commit,
        date=date,
        as_of=as_of,
        existed=before is not None,
        stage_before=before.maturity.stage if before else None,
        stage_after=after.maturity.stage,
        score_before=before.maturity.score if before else None,
        score_after=after.maturity.score,
        indicators=tuple(
            IndicatorChange.between(i.key, i.label, old_indicators.get(i.key), i.ratio)
            for i in after.maturity.indicators
        ),
        errors_before=before.summary.errors if before else 0,
        errors_after=after.summary.errors,
        warnings_before=before.summary.warnings if before else 0,
        warnings_after=after.summary.warnings,
        findings_added=tuple(added),
        findings_resolved=tuple(resolved),
        entities_added=tuple(
            new_entities[k] for k in sorted(set(new_entities) - set(old_entities))
        ),
        entities_removed=tuple(
            old_entities[k] for k in sorted(set(old_entities) - set(new_entities))
        ),
    )
