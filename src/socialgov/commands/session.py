"""Lint sessions for editors: the whole repository linted again after each edit, with the texts
an editor holds in memory in place of the files on disk.

A :class:`Session` keeps each file's parse between runs, keyed by the text it parsed (or, for a
file read from disk, its size and modification time), so a run after an edit parses only the
edited file and then builds the model and runs every rule: the same pipeline as ``lint``
(load, model, rules, waivers, severity), so an editor shows what CI will say, including the
findings one file causes in another. Rules run in this process (never in a forked child: a
language server has threads).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from socialgov.config import CONFIG_FILE, Config
from socialgov.core.findings import Finding
from socialgov.model import Model, attach_entities, build_model
from socialgov.pipeline import configured_rules, discover_files, installed_rules
from socialgov.report.filters import select_rules
from socialgov.report.finish import finish
from socialgov.report.result import LintResult
from socialgov.rules.base import RuleContext, RuleInfo
from socialgov.rules.custom import compile_model_rules
from socialgov.rules.engine import run_rules
from socialgov.rules.registry import builtin_rules
from socialgov.source.exact import parse_text
from socialgov.source.loader import ParsedFile
from socialgov.source.reading import load_file


@dataclass(frozen=True)
class Snapshot:
    """One run's outcome: what lint reports, the model it judged and the rules it knows."""

    result: LintResult
    model: Model
    rules: tuple[RuleInfo, ...]
    files: tuple[str, ...]
    unreadable: frozenset[str] = frozenset()
    """Files the loader could not parse safely (SG100): never opened for editing."""
    texts: Mapping[str, str] = field(default_factory=dict)
    """The in-memory texts this run used in place of files on disk."""

    def by_path(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.result.findings:
            grouped.setdefault(finding.path, []).append(finding)
        return grouped


class Session:
    """A repository linted again and again, the unchanged files' parses kept."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._parsed: dict[str, tuple[object, ParsedFile]] = {}
        plugins = installed_rules(config.root)
        installed: tuple[RuleInfo, ...] = (*builtin_rules(), *plugins)
        self.installed = (*installed, *configured_rules(config, installed))

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the root, with ``/``; None when it is outside the repository."""
        try:
            relpath = path.resolve().relative_to(self.config.root.resolve()).as_posix()
        except (ValueError, OSError):
            return None
        return relpath

    def is_repository_file(self, relpath: str) -> bool:
        """Whether an editor's file belongs to the repository's YAML (it may not be on disk
        yet): a ``.yaml``/``.yml`` file, not hidden, not the configuration."""
        parts = relpath.split("/")
        return (
            relpath.endswith((".yaml", ".yml"))
            and not any(part.startswith(".") for part in parts)
            and relpath != CONFIG_FILE
        )

    def lint(self, texts: Mapping[str, str]) -> Snapshot:
        """Lint the repository, ``texts`` (root-relative path -> contents) overriding the files
        on disk."""
        config = self.config
        limits = dict(config.limits)
        files, discovered = discover_files(config)
        known = set(files)
        files = files + sorted(p for p in texts if p not in known and self.is_repository_file(p))
        findings: list[Finding] = list(discovered)
        parsed_files: list[ParsedFile] = []
        for relpath in files:
            parsed = self._parse(relpath, texts.get(relpath), limits)
            if parsed is None:
                continue
            findings.extend(parsed.findings)
            parsed_files.append(parsed)
        self._parsed = {p: v for p, v in self._parsed.items() if p in set(files)}
        documents = [document for parsed in parsed_files for document in parsed.documents]
        model, model_findings = build_model(documents, config.strategy)
        findings.extend(model_findings)
        findings = list(attach_entities(findings, model))
        custom = compile_model_rules(model, self.installed)
        rules = (*self.installed, *custom.rules)
        selected = select_rules(rules, config.select, config.ignore)
        codes = {info.code for info in selected}
        known_names = frozenset(n.lower() for info in rules for n in (info.code, info.name))
        ctx = RuleContext(as_of=config.as_of, options=config.options, known_rules=known_names)
        found = [f for f in (*findings, *custom.findings) if f.code in codes]
        found.extend(run_rules(model, selected, ctx))
        result = finish(
            config,
            found,
            rules,
            selected,
            model,
            paths=None,
            known_before=None,
            files=len(files),
            entities=sum(len(of_kind) for of_kind in model.entities.values()),
            model=model,
        )
        unreadable = frozenset(f.path for f in findings if f.code == "SG100")
        return Snapshot(result, model, rules, tuple(files), unreadable, dict(texts))

    def _parse(self, relpath: str, text: str | None, limits: dict[str, int]) -> ParsedFile | None:
        key: object
        if text is not None:
            key = ("text", text)
        else:
            try:
                info = os.stat(self.config.root / relpath)
            except OSError:
                self._parsed.pop(relpath, None)
                return None  # deleted since discovery
            key = ("disk", info.st_size, info.st_mtime_ns, info.st_ino)
        cached = self._parsed.get(relpath)
        if cached is not None and cached[0] == key:
            return cached[1]
        if text is not None:
            parsed = parse_text(text, relpath, limits)
        else:
            parsed = load_file(self.config.root, relpath, limits)
        self._parsed[relpath] = (key, parsed)
        return parsed


def open_session(root: Path, config_path: Path | None = None) -> Session:
    """A session on the repository at ``root`` (its socialgov.yaml, or ``config_path``)."""
    from socialgov.config import load_config

    return Session(load_config(root, config_path))
