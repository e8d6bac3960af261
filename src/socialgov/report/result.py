"""What a run produced: the loaded repository, the evaluation of its rules, and the result that
reporters render (findings only: related locations are resolved before reporting)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from socialgov.core.findings import Finding
from socialgov.report.filters import at_or_above

if TYPE_CHECKING:  # a warm run's result is made without the model or the rules' code
    from socialgov.config import Config
    from socialgov.lang.selectors import Selections
    from socialgov.model import Model
    from socialgov.report.chain import Trail
    from socialgov.rules.base import RuleInfo
    from socialgov.source.loader import Path_


@dataclass(frozen=True)
class Repository:
    """A loaded policy repository: its model and the findings met while loading it."""

    config: Config
    files: tuple[str, ...]
    model: Model
    findings: tuple[Finding, ...]
    total_bytes: int = 0
    """How many bytes the files hold, and how many YAML nodes they expand to (for limits)."""
    total_nodes: int = 0


@dataclass(frozen=True)
class LintResult:
    """What a lint run found and how it was configured: all a reporter needs."""

    config: Config
    rules: tuple[RuleInfo, ...]
    findings: tuple[Finding, ...]
    """What is reported, sorted by file and position."""
    suppressed: tuple[Finding, ...] = ()
    """Findings that waivers suppress, each with ``suppressed`` set to the waiver's reason."""
    unused_waivers: tuple[Finding, ...] = ()
    """An info finding (SG106) per current waiver of a rule that ran that suppressed nothing;
    shown with --show-suppressed, never counted towards the exit code."""
    baselined: int = 0
    """How many findings the baseline file hid."""
    preexisting: int = 0
    """How many findings ``--new-since REV`` hid because the repository at REV had them."""
    files: int = 0
    entities: int = 0
    run: str = "full"
    """How the run found its findings: ``full`` (every file read, every rule run), ``incremental``
    (from the last run's state, a few files checked again) or ``stored`` (nothing changed: the last
    run's result). The findings are the same either way."""
    trails: Mapping[Finding, Trail] | None = field(default=None, repr=False)
    """Where each finding's related entities and its chain are written (socialgov.report.chain),
    when the run was asked for them (``lint(..., trails=True)``); reporters read only this."""

    @property
    def failed(self) -> bool:
        return at_or_above(self.findings, self.config.fail_threshold)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@dataclass(frozen=True)
class Evaluation:
    """What a full run found before waivers, severity and filters, and what it came from."""

    repo: Repository
    rules: tuple[RuleInfo, ...]
    """Every rule the run knows: built-in, plugins' and the repository's own."""
    selected: tuple[RuleInfo, ...]
    found: list[tuple[Finding, Path_ | None]]
    """Each finding of a selected rule with the node it points at inside its entity (None for
    what loading and model building report). In a run that does not place findings (the
    audit's: ``pipeline.lint_evaluated(placed=False)``), a finding's line and column order it
    among the findings of its file and need not be where it is written."""
    known_rules: frozenset[str]
    selections: Selections | None = field(default=None, compare=False, repr=False)
    """What the rules' selectors selected in the model (``RuleContext.selections``), for what
    reads the model after the rules (the audit)."""
    lines: Sequence[int] | None = field(default=None, compare=False, repr=False)
    """The line of each of the model's Accounts, then of each of its Channels (the audit's
    rows show it), when the run read them before letting go of the positions
    (``pipeline.lint_evaluated(placed=False, lines=True)``); None otherwise."""
