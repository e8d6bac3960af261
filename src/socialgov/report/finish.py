"""From what the rules found to what is reported: configured severities, waivers, PATHS, the
baseline and the findings an earlier revision already had, in report order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.core.errors import SocialgovError
from socialgov.core.findings import Finding, in_report_order
from socialgov.report.filters import (
    WaiverHolders,
    Written,
    apply_severity,
    apply_waivers,
    in_paths,
    unused_waiver_findings,
    without_known,
)
from socialgov.report.result import LintResult

if TYPE_CHECKING:  # a warm run finishes without the model or the rules' code
    from socialgov.config import Config
    from socialgov.model import Model
    from socialgov.rules.base import RuleInfo

KnownBefore = Callable[[], Iterable[str]]
"""The fingerprints of the findings the repository already had (``--new-since REV``), asked for
only when a run needs them; the pipeline supplies it (it lints that revision)."""


def finish(
    config: Config,
    findings: list[Finding],
    rules: Sequence[RuleInfo],
    selected: tuple[RuleInfo, ...],
    waivers: WaiverHolders,
    *,
    paths: Sequence[str] | None,
    known_before: KnownBefore | None,
    files: int,
    entities: int,
    model: Model | None = None,
    written: Written | None = None,
    unused_waivers: bool = True,
) -> LintResult:
    """The result of a run from what its selected rules found: configured severities, waivers
    (from the entities ``waivers`` finds), PATHS (which needs to know where entities are
    written: ``written``, else the model), baseline and ``--new-since`` applied, sorted by file
    and position. Without ``unused_waivers``, the waivers that suppressed nothing are not
    reported (SG106's info findings, which ask where each waiver is written: for what reads
    none of them, the audit)."""
    findings = apply_severity(findings, config.severity, rules)
    outcome = apply_waivers(findings, waivers, config.as_of)
    reported, suppressed = outcome.reported, outcome.suppressed
    unused = (
        unused_waiver_findings(outcome.unused, waivers, selected)
        if unused_waivers and any(info.code == "SG106" for info in selected)
        else []
    )
    if paths is not None:
        where = written or model
        if where is None:
            raise ValueError("reporting only some paths needs to know where entities are written")
        wanted = relative_paths(config.root, paths)
        reported = in_paths(reported, wanted, where)
        suppressed = in_paths(suppressed, wanted, where)
        unused = in_paths(unused, wanted, where)
    reported = in_report_order(reported)
    baselined: list[Finding] = []
    if config.baseline is not None:
        from socialgov.report.baseline import read_baseline

        reported, baselined = without_known(reported, read_baseline(config.baseline))
    preexisting: list[Finding] = []
    if known_before is not None:
        reported, preexisting = without_known(reported, known_before())
    return LintResult(
        config=config,
        rules=selected,
        findings=tuple(reported),
        suppressed=tuple(sorted(suppressed, key=Finding.sort_key)),
        unused_waivers=tuple(sorted(unused, key=Finding.sort_key)),
        baselined=len(baselined),
        preexisting=len(preexisting),
        files=files,
        entities=entities,
    )


def relative_paths(root: Path, paths: Sequence[str]) -> set[str]:
    """PATHS as given on the command line, as root-relative paths with ``/`` (those outside
    the repository left out: :func:`check_paths_inside` refuses them first where they matter)."""
    result = set()
    for path in paths:
        full = Path(path).resolve()
        try:
            result.add(full.relative_to(root).as_posix())
        except ValueError:
            continue
    return result


def check_paths_inside(root: Path, paths: Sequence[str]) -> None:
    """Refuse (exit 2) PATHS outside the repository: ``lint`` or ``fix`` of such a path checks
    nothing, which must never read as "No problems found" or "Nothing to fix"."""
    outside = []
    for path in paths:
        try:
            Path(path).resolve().relative_to(root)
        except ValueError:
            outside.append(path)
    if outside:
        from socialgov.core.escape import one_line

        shown = ", ".join(one_line(p) for p in outside[:5])
        more = f" and {len(outside) - 5} more" if len(outside) > 5 else ""
        raise SocialgovError(
            f"{shown}{more}: not inside the policy repository {one_line(str(root))}; give "
            "files under it, or point --root at the repository that holds them"
        )
