"""``audit --history``: the indicators, counts and stage at sampled commits of the git history.

Each sampled commit's tree is read from git (``git archive``: neither the working tree, the index
nor the refs are touched) into one temporary folder that is reused from sample to sample, so the
parse cache (``.socialgov_cache/`` in that folder, keyed by each file's path and the digest of its
bytes) spares parsing every file that did not change between two samples. Each sample is judged
as of its own commit date (the committer's date, in the committer's time zone), with the
configuration the repository had at that commit.

Sampling follows the first-parent history of HEAD (the main line, not every side branch's
commits) and only the commits that changed the policy repository's folder: ``--every week`` (the
default) keeps the last such commit of each ISO week, ``month`` the last of each month,
``commit`` every one. ``--since`` takes a date (commits on or after it) or a git revision range
(``v1..main``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.audit.extras import History, HistoryChange, IndicatorChange, Sample, UnitScore
from socialgov.audit.report import FindingsSummary, Inventory, Maturity
from socialgov.core.errors import SocialgovError
from socialgov.source.git import _git, checkout_root, export_tree

if TYPE_CHECKING:
    from socialgov.config import Config

Measured = tuple[Maturity, Inventory, FindingsSummary]

EVERY = ("week", "month", "commit")


@dataclass(frozen=True)
class Commit:
    """One commit of the history: its id, its date and the first line of its message."""

    id: str
    date: dt.date
    subject: str


def commits(top: Path, prefix: str, since: str | None) -> list[Commit]:
    """The first-parent commits of HEAD (or of the range ``since``) that changed ``prefix``,
    oldest first."""
    revision = ["HEAD"]
    start: dt.date | None = None
    if since:
        if ".." in since:
            if since.startswith("-"):
                raise SocialgovError(f"--since {since!r}: not a revision range")
            revision = [since]
        else:
            try:
                start = dt.date.fromisoformat(since)
            except ValueError:
                raise SocialgovError(
                    f"--since {since}: give a date (YYYY-MM-DD) or a git revision range (v1..main)"
                ) from None
    done = _git(
        [
            "log",
            "--first-parent",
            "-z",
            "--format=%H%x1f%cI%x1f%s",
            *revision,
            "--",
            prefix or ".",
        ],
        top,
    )
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise SocialgovError(
            f"--history: git could not list the history of {top}: "
            f"{message[-1] if message else 'unknown error'} (a repository without commits has "
            "no history; in CI, fetch the whole history: git fetch --unshallow)"
        )
    found = []
    for record in done.stdout.decode("utf-8", errors="replace").split("\0"):
        if not record.strip():
            continue
        commit, when, subject = [*record.strip("\n").split("\x1f"), "", ""][:3]
        date = dt.datetime.fromisoformat(when).date()
        if start is None or date >= start:
            found.append(Commit(commit, date, subject))
    found.reverse()
    return found


def sample(found: Sequence[Commit], every: str) -> list[Commit]:
    """The last commit of each week or month (``every``), or every commit, oldest first."""
    if every == "commit":
        return list(found)
    if every not in EVERY:
        raise SocialgovError(f"--every {every}: choose week, month or commit")
    last: dict[tuple[int, int], Commit] = {}
    for commit in found:
        if every == "week":
            year, week, _ = commit.date.isocalendar()
            last[(year, week)] = commit
        else:
            last[(commit.date.year, commit.date.month)] = commit
    return list(last.values())


@contextlib.contextmanager
def _workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="socialgov-history-") as tmp:
        yield Path(tmp)


def measured_at(
    config: Config, revisions: Sequence[Commit], *, cache: bool = True
) -> Iterator[tuple[Commit, Measured | None, str | None]]:
    """The maturity, counts and findings at each revision, judged as of its commit date (None
    and the reason when the policy repository did not exist there or its configuration could
    not be read)."""
    from socialgov.config import CACHE_DIR, load_config

    top = checkout_root(config.root)
    prefix = config.root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix
    with _workspace() as work:
        kept = work / "cache"  # the parse cache, moved aside while the tree is replaced
        for commit in revisions:
            tree = work / "tree"
            if tree.exists():
                shutil.rmtree(tree)
            tree.mkdir()
            if not export_tree(top, commit.id, prefix, tree):
                yield commit, None, "the policy repository did not exist yet"
                continue
            root = (tree / prefix) if prefix else tree
            if kept.is_dir() and not (root / CACHE_DIR).exists():
                kept.rename(root / CACHE_DIR)
            try:
                try:
                    at = load_config(root, _config_at(config, root))
                except SocialgovError as exc:
                    yield commit, None, f"its configuration could not be read: {exc}"
                    continue
                at = replace(at, as_of=commit.date, baseline=None)
                measured = _measure(at, cache)
            finally:
                if (root / CACHE_DIR).is_dir() and not kept.exists():
                    (root / CACHE_DIR).rename(kept)
            yield commit, measured, None


def _measure(config: Config, cache: bool) -> Measured:
    """The maturity, the counts and the findings of the repository under ``config``."""
    from socialgov.audit.metrics import AuditInput, measure
    from socialgov.pipeline import lint_model

    # the parsed files are reused from sample to sample; the run is not stored (no later run
    # sees this tree again); a sample shows no finding's place (pipeline.lint_evaluated)
    result, model = lint_model(config, cache=cache, remember=False, placed=False)
    return measure(
        AuditInput(
            model=model,
            findings=result.findings,
            suppressed=result.suppressed,
            rules=result.rules,
            as_of=config.as_of,
            options=config.options,
        )
    )


def _config_at(config: Config, root: Path) -> Path | None:
    """The configuration file to read at a revision: the same file inside the repository, or
    the one outside it that --config named."""
    if config.config_path is None:
        return None
    try:
        return root / config.config_path.resolve().relative_to(config.root.resolve())
    except ValueError:
        return config.config_path


def sample_history(
    config: Config,
    *,
    since: str | None = None,
    every: str = "week",
    cache: bool = True,
) -> History:
    """The series of samples, oldest first, and the change from the first to the last."""
    top = checkout_root(config.root)
    prefix = config.root.resolve().relative_to(top).as_posix()
    chosen = sample(commits(top, "" if prefix == "." else prefix, since), every)
    samples = []
    skipped = []
    for commit, measured, reason in measured_at(config, chosen, cache=cache):
        if measured is None:
            skipped.append(f"{commit.id[:12]} ({commit.date.isoformat()}): {reason}")
            continue
        samples.append(to_sample(commit, *measured))
    return History(
        since=since,
        every=every,
        samples=tuple(samples),
        change=change(samples[0], samples[-1]) if len(samples) >= 2 else None,
        skipped=tuple(skipped),
    )


def to_sample(
    commit: Commit, m: Maturity, inventory: Inventory, findings: FindingsSummary
) -> Sample:
    return Sample(
        commit=commit.id,
        short=commit.id[:12],
        date=commit.date,
        subject=commit.subject,
        stage=m.stage,
        score=m.score,
        progress=m.progress,
        indicators=tuple(UnitScore(i.key, i.label, i.ratio, i.passed) for i in m.indicators),
        error_free=m.error_free,
        live_accounts=inventory.live_accounts,
        accounts=inventory.accounts,
        live_channels=inventory.live_channels,
        errors=findings.errors,
        warnings=findings.warnings,
        infos=findings.infos,
    )


def change(first: Sample, last: Sample) -> HistoryChange:
    """What moved between two samples: score, stage, each indicator, counts."""
    return HistoryChange(
        since=first.date,
        until=last.date,
        stage_before=first.stage,
        stage_after=last.stage,
        score=last.score - first.score,
        indicators=tuple(
            IndicatorChange.between(a.key, a.label, a.ratio, b.ratio)
            for a, b in zip(first.indicators, last.indicators, strict=True)
        ),
        live_accounts=last.live_accounts - first.live_accounts,
        errors=last.errors - first.errors,
        warnings=last.warnings - first.warnings,
    )
