"""socialgov.yaml: finding the repository root, defaults, validation, and command-line overrides."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from socialgov.core.errors import SocialgovError
from socialgov.core.findings import Severity
from socialgov.source.discovery import DEFAULT_INCLUDE
from socialgov.source.limits import DEFAULT_LIMITS

if TYPE_CHECKING:
    from socialgov.extends import Pack
    from socialgov.source.loader import Document

CONFIG_FILE = "socialgov.yaml"

DEFAULT_OPTIONS: dict[str, Any] = {
    "dormant_days": 180,
    "forum_min_active_members": 50,
    "accountable_employment": ["full_time"],
    "max_channels_per_owner": 15,
    "max_platforms_per_team": 5,
    "review_interval_days": 365,
    "min_admins": 2,
    "drill_interval_days": 365,
    "archive_max_age_days": 30,
    "require_archive": False,
    # Not an option in socialgov.yaml but its own top-level key; carried here so that rules,
    # which see only the run's options, can read it.
    "organisation_domains": [],
}

FAIL_ON_CHOICES = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Config:
    """Everything that shapes a run: socialgov.yaml merged with the command line."""

    root: Path
    config_path: Path | None = None
    organisation: str = ""
    strategy: Mapping[str, str] = field(default_factory=dict)
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: str = "error"
    options: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULT_OPTIONS))
    baseline: Path | None = None
    limits: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    as_of: dt.date = field(default_factory=dt.date.today)
    packs: tuple[Pack, ...] = ()
    """The installed rule packs that ``extends`` names (their rules run beside the built-in
    ones; see socialgov.packs)."""
    public_labels: tuple[str, ...] = ()
    """The Account labels ``socialgov directory`` may publish (``directory.public_labels``)."""

    @property
    def fail_threshold(self) -> Severity | None:
        """The lowest severity that makes a run fail, or None for ``never``."""
        return None if self.fail_on == "never" else Severity.parse(self.fail_on)

    def with_overrides(self, **overrides: Any) -> Config:
        """A copy with the command line's values; None means "not given"."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def find_root(start: Path) -> Path:
    """The nearest folder from ``start`` upward that holds socialgov.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise SocialgovError(
        f"no {CONFIG_FILE} found in {start} or any folder above it; run socialgov inside a "
        "policy repository, pass --root, or create one with 'socialgov init'"
    )


def resolve_root(root: Path | None, cwd: Path | None = None) -> Path:
    """The repository root: ``--root`` when given (it must be a folder), else discovery."""
    if root is None:
        return find_root(cwd or Path.cwd())
    if not root.exists():
        raise SocialgovError(f"--root {root}: no such folder")
    if not root.is_dir():
        raise SocialgovError(f"--root {root}: not a folder; pass the policy repository's folder")
    return root.resolve()


class ValidConfigs(Protocol):
    """Remembers configurations that passed their schema (the parse cache does, signed)."""

    def known(self, root: Path, data: Any) -> bool: ...

    def remember(self, root: Path, data: Any) -> None: ...

    def parsed(self, root: Path, raw: bytes) -> Any:
        """The data a configuration of these bytes was read as, if remembered (else None)."""

    def keep_parsed(self, root: Path, raw: bytes, data: Any) -> None:
        """Remember the data a configuration of these bytes is read as."""


def load_config(
    root: Path, config_path: Path | None = None, *, valid: ValidConfigs | None = None
) -> Config:
    """Read and validate socialgov.yaml (or ``config_path``); defaults when the root has none.

    A configuration that ``valid`` knows passed its schema before is not checked again.
    """
    path = config_path if config_path is not None else root / CONFIG_FILE
    if config_path is not None and not path.is_file():
        raise SocialgovError(f"--config {config_path}: no such file")
    if not os.path.lexists(path):
        return Config(root=root)
    shown = _shown(path, root)
    raw = _raw(path) if valid is not None else None
    data = valid.parsed(root, raw) if valid is not None and raw is not None else None
    if isinstance(data, dict):  # read before as this mapping: no YAML parser imported
        return _checked(root, path, shown, data, valid, None)
    from socialgov.source.reading import load_file

    # Read like any repository file: bounded, and a folder, pipe or broken link is an error.
    parsed = load_file(path.parent, path.name)
    if parsed.findings:
        first = parsed.findings[0]
        message = first.message
        if first.key == "read":  # the file's own problem, not one of the repository's files
            message = message.split(";")[0] + "; make it a readable YAML file or remove it"
        raise SocialgovError(f"{shown}:{first.line}:{first.column}: {message}")
    data = parsed.documents[0].data if parsed.documents else None
    if data is None:
        return Config(root=root, config_path=path)
    if len(parsed.documents) > 1:
        raise SocialgovError(f"{shown}: holds several YAML documents; keep only one")

    if not isinstance(data, dict):
        pos = parsed.documents[0].locate(())
        raise SocialgovError(
            f"{shown}:{pos.line}:{pos.column}: the configuration must be a mapping of settings "
            "(organisation:, include:, select:, ...), not a "
            f"{'list' if isinstance(data, list) else 'single value'}"
        )

    config = _checked(root, path, shown, data, valid, parsed.documents[0])
    if valid is not None and raw is not None and _raw(path) == raw:  # unchanged since read
        valid.keep_parsed(root, raw, data)
    return config


def _raw(path: Path) -> bytes | None:
    """The configuration file's bytes, or None when reading it has a problem to report."""
    from socialgov.core.files import read_bounded

    try:
        return read_bounded(path, DEFAULT_LIMITS["max_file_bytes"])
    except OSError:
        return None


def _checked(
    root: Path,
    path: Path,
    shown: str,
    data: dict[str, Any],
    valid: ValidConfigs | None,
    document: Document | None,
) -> Config:
    """The configuration of ``data`` (read from ``path``) once its schema and the baseline's
    place are checked; a problem's position comes from ``document``, else from parsing the
    file again (a configuration remembered as read is parsed only to say where it is wrong)."""

    def located() -> Document:
        if document is not None:
            return document
        from socialgov.source.reading import load_file

        return load_file(path.parent, path.name).documents[0]

    known = valid is not None and valid.known(root, data)
    errors = [] if known else _schema_errors(data)
    if not errors and valid is not None and not known:
        valid.remember(root, data)
    if errors:
        error = errors[0]
        pos = located().locate(error.path, key=error.at_key)
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise SocialgovError(f"{shown}:{pos.line}:{pos.column}: {error.message}{more}")
    baseline = data.get("baseline")
    if isinstance(baseline, str) and not _inside(root, baseline):
        pos = located().locate(("baseline",))
        raise SocialgovError(
            f"{shown}:{pos.line}:{pos.column}: baseline: '{baseline}' is outside the "
            "repository; keep the baseline file in it, as a path relative to the repository's "
            "root (--baseline on the command line may name any file)"
        )
    packs: tuple[Pack, ...] = ()
    if data.get("extends"):
        from socialgov.extends import extend

        extended = extend(data, shown, path.parent, [root])
        data, packs = extended.data, extended.packs
    return replace(_from_data(root, path, data), packs=packs)


def _schema_errors(data: Any) -> list[Any]:
    from socialgov.schema.validation import validate_config

    return validate_config(data)


def _inside(root: Path, relpath: str) -> bool:
    """Whether ``relpath`` names a place inside ``root`` (links followed)."""
    if Path(relpath).is_absolute():
        return False
    return (root / relpath).resolve().is_relative_to(root.resolve())


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _from_data(root: Path, path: Path, data: Mapping[str, Any]) -> Config:
    baseline = data.get("baseline")
    return Config(
        root=root,
        config_path=path,
        organisation=str(data.get("organisation", "")),
        strategy={goal["id"]: str(goal.get("statement", "")) for goal in data.get("strategy", [])},
        include=tuple(data.get("include", Config.include)),
        exclude=tuple(data.get("exclude", ())),
        select=tuple(data.get("select", ("ALL",))),
        ignore=tuple(data.get("ignore", ())),
        severity={
            str(code): Severity.parse(str(sev)) for code, sev in data.get("severity", {}).items()
        },
        fail_on=str(data.get("fail_on", "error")),
        options={
            **DEFAULT_OPTIONS,
            **data.get("options", {}),
            "organisation_domains": [str(d) for d in data.get("organisation_domains", [])],
        },
        baseline=(root / baseline) if baseline else None,
        limits={**DEFAULT_LIMITS, **data.get("limits", {})},
        public_labels=tuple(data.get("directory", {}).get("public_labels", ())),
    )


def split_codes(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """``--select A,B --select C`` as ("A", "B", "C"); None when the option was not given."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


CACHE_DIR = ".socialgov_cache"
