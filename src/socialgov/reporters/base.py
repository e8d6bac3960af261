"""What every reporter shares: options, display paths and safe text."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from socialgov.findings import Finding, Severity, counts

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    quiet: bool = False
    show_suppressed: bool = False
    statistics: bool = False
    cwd: Path | None = None


def terminal_safe(text: str) -> str:
    """Text from the repository with control characters (escape sequences) made visible."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def display_path(root: Path, relpath: str, cwd: Path | None = None) -> str:
    """A finding's path as a person at ``cwd`` would type it: relative when under cwd."""
    full = root / relpath
    base = (cwd or Path.cwd()).resolve()
    try:
        return full.relative_to(base).as_posix()
    except ValueError:
        rel = os.path.relpath(full, base)
        return Path(rel).as_posix() if not rel.startswith("../../..") else full.as_posix()


def summary_counts(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, int]:
    by_severity = counts(findings)
    return {
        "errors": by_severity[Severity.ERROR],
        "warnings": by_severity[Severity.WARNING],
        "info": by_severity[Severity.INFO],
    }
