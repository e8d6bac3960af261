"""Baseline files: record today's findings, then report only new ones (SPEC section 5).

A baseline is a versioned JSON file (docs/formats.md)::

    {"version": 1, "tool": "socialgov", "findings": [
        {"fingerprint": "...", "code": "SG203", "name": "no-backup-owner",
         "entity": {"kind": "Account", "id": "acme-x"}, "path": "accounts/x.yaml",
         "message": "..."}]}

Only ``fingerprint`` is compared; the other fields are there for the people who review the file.
A fingerprint is the rule code, the entity's kind and id and the field or related entity at fault
(socialgov.core.findings.fingerprint): never a line number or a file, so a recorded finding stays
recorded when its entity moves to another file or other fields change around it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.core.errors import SocialgovError
from socialgov.core.files import read_bounded
from socialgov.core.findings import Finding
from socialgov.core.text import bounded

if TYPE_CHECKING:
    pass

VERSION = 1
MAX_BYTES = 256 * 1024 * 1024
"""The largest baseline file read (a finding takes about 40 bytes in one)."""


def baseline_text(findings: Iterable[Finding]) -> str:
    """The baseline file recording ``findings``, sorted so that it diffs well."""
    entries = [
        {
            "fingerprint": f.fingerprint,
            "code": f.code,
            "name": f.name,
            "entity": f.entity.as_dict() if f.entity else None,
            "path": f.path,
            "message": f.message,
        }
        for f in findings
    ]
    entries.sort(key=lambda e: (e["code"], e["path"], e["fingerprint"], e["message"]))
    data = {"version": VERSION, "tool": "socialgov", "findings": entries}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: Path, findings: Iterable[Finding]) -> None:
    """Record ``findings`` in ``path``, atomically: a reader never sees half a baseline."""
    from socialgov.core.output import write_report

    write_report(baseline_text(findings), path, "--write-baseline")


def _small_int(text: str) -> int:
    """A JSON integer, refused when it is wider than any a baseline holds (a version number):
    Python cannot even print one of thousands of digits."""
    if len(text.lstrip("-")) > 30:
        raise ValueError(f"it holds a {len(text.lstrip('-')):,}-digit number")
    return int(text)


def read_baseline(path: Path) -> list[str]:
    """The fingerprints recorded in ``path``, one per recorded finding."""
    how = f"create it with 'socialgov lint --write-baseline {path}'"
    try:  # bounded, and never a pipe or a device: the path may come from a pull request
        text = read_bounded(path, MAX_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise SocialgovError(f"baseline {path}: no such file; {how}") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise SocialgovError(f"baseline {path}: cannot be read ({reason}); {how}") from None
    try:
        data: Any = json.loads(text, parse_int=_small_int)
    except json.JSONDecodeError as exc:
        raise SocialgovError(
            f"baseline {path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); {how}"
        ) from None
    except RecursionError:
        raise SocialgovError(
            f"baseline {path}: nested too deeply to be a baseline file; {how}"
        ) from None
    except ValueError as exc:  # a number too wide (_small_int)
        raise SocialgovError(f"baseline {path}: {exc}; {how}") from None
    if not isinstance(data, dict) or "version" not in data:
        raise SocialgovError(f"baseline {path}: not a socialgov baseline file; {how}")
    if data["version"] != VERSION:
        raise SocialgovError(
            f"baseline {path}: version {bounded(repr(data['version']), 40)} is not supported "
            f"(this socialgov reads version {VERSION}); rewrite it with "
            f"'socialgov lint --write-baseline {path}'"
        )
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise SocialgovError(
            f"baseline {path}: 'findings' must be a list of objects with a 'fingerprint'; {how}"
        )
    return [e["fingerprint"] for e in entries]
