"""``socialgov audit``: where the organisation stands, from the same pipeline as ``lint``.

``run_audit`` lints the repository with its configuration, then computes the report
(``metrics.build_report``); ``renderers`` turn the report into table, markdown, html, json or csv.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socialgov.audit.progress import Progress
    from socialgov.audit.report import AuditReport
    from socialgov.config import Config


def run_audit(
    config: Config,
    progress: Progress | None = None,
    *,
    cache: bool = False,
    by: str | None = None,
    depth: int | None = None,
    positions: bool = True,
) -> AuditReport:
    """Lint the repository under ``config`` and build the audit report from the result.

    ``by="team"`` adds a scorecard per unit down to ``depth``. ``cache`` reuses the files
    earlier runs parsed (.socialgov_cache/), as ``lint`` does. Without ``positions``, each
    channel's ``line`` is 0 (for the formats that do not show it)."""
    from socialgov import __version__
    from socialgov.core.lifetime import keep_with_repository
    from socialgov.pipeline import lint_evaluated

    # the audit never shows where a finding is written: the lint places only the findings
    # whose order their entities do not tell, and lets go of the positions for good once they
    # are ordered, each channel's line read before if it is shown (pipeline.lint_evaluated)
    result, evaluation = lint_evaluated(
        config,
        progress=progress.files if progress else None,
        cache=cache,
        placed=False,
        lines=positions,
        positions_after=False,
    )
    model, selections, lines = evaluation.repo.model, evaluation.selections, evaluation.lines
    del evaluation  # what else it holds is not kept while the report is built
    # imported once the lint is done: its peak of memory is not raised by the audit's modules
    from socialgov.audit.metrics import AuditInput, build_report

    data = AuditInput(
        model=model,
        findings=result.findings,
        suppressed=result.suppressed,
        rules=result.rules,
        as_of=config.as_of,
        options=config.options,
        organisation=config.organisation,
        root=config.root.as_posix(),
        tool_version=__version__,
        by=by,
        depth=depth,
        positions=positions,
        selections=selections,
        lines=lines,
    )
    report = build_report(data, progress.step if progress else None)
    # a process that ends after its command keeps the report with the repository instead of
    # freeing it object by object (core.lifetime); what it was made from (the findings, the
    # lint's selections) is freed now, as before: kept while the report is written, it raised
    # the peak of the human-style 100,000-account audit above its lint's by about 2 MB
    keep_with_repository(report)
    return report
