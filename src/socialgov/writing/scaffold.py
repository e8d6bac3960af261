"""``socialgov init``: a new policy repository from the starter pack.

The starter pack is the top-level ``policies/`` folder of the project (shipped inside the package
as ``socialgov/policies``): a complete policy repository, with comments, for an organisation to
adapt. ``init`` copies it file by file, with two adjustments so that the new repository lints
clean the day it is made and for a year after:

- each Policy's ``effective`` becomes today and its ``review_by`` the end of the month thirteen
  months from now, and each Playbook's ``last_exercised`` becomes today (the day it was adopted;
  the first drill is due within ``drill_interval_days``), edited with the round-trip writer, so
  the comments stay;
- the placeholders of socialgov.release (``{{socialgov_repo}}``, ``{{socialgov_tag}}``,
  ``{{socialgov_action}}``...) in the pre-commit configuration and the CI workflow become the
  one source socialgov is installed from, at this version's tag, so both run the version that
  made it.

Existing files are never overwritten unless ``force`` is given; without it, nothing is written
when any target exists, and the error lists them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from socialgov.core.errors import SocialgovError
from socialgov.core.resources import data_dir

REVIEW_MONTHS = 13


@dataclass
class InitResult:
    """What ``init`` did: the repository's root, the files it wrote and those it replaced."""

    root: Path
    written: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)


def starter_files() -> list[str]:
    """The starter pack's files, relative, with ``/``, hidden ones included, sorted."""
    pack = data_dir("policies")
    return sorted(
        path.relative_to(pack).as_posix()
        for path in pack.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def review_date(today: dt.date) -> dt.date:
    """The last day of the month ``REVIEW_MONTHS`` months after ``today``'s month: about a
    year ahead, so that a yearly review is due before the policy is overdue."""
    months = today.year * 12 + (today.month - 1) + REVIEW_MONTHS + 1
    first_of_next = dt.date(months // 12, months % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _substitute(text: str) -> str:
    from socialgov.release import substitute

    return substitute(text)


def _dated(relpath: str, raw: bytes, today: dt.date) -> str:
    """The pack file's text with every Policy's effective and review_by, and every Playbook's
    last_exercised, set from ``today``."""
    from socialgov.model import entity_mappings
    from socialgov.writing.writer import parse_yaml, set_value

    opened = parse_yaml(Path(relpath), raw)
    for document in opened.documents:
        for kind, entity in entity_mappings(document):
            if kind == "Policy":
                set_value(entity, "effective", today, after=("owner", "version"))
                set_value(entity, "review_by", review_date(today), after=("effective",))
            elif kind == "Playbook" and "last_exercised" in entity:
                set_value(entity, "last_exercised", today)
    return opened.render()


def render_file(relpath: str, today: dt.date) -> str:
    """The text ``init`` writes for the starter pack's file ``relpath``."""
    raw = (data_dir("policies") / relpath).read_bytes()
    if relpath.endswith((".yaml", ".yml")) and (b"kind: Policy" in raw or b"kind: Playbook" in raw):
        return _substitute(_dated(relpath, raw, today))
    return _substitute(raw.decode("utf-8"))


def init_repository(
    target: Path, *, force: bool = False, today: dt.date | None = None
) -> InitResult:
    """Write the starter pack into ``target`` (created when missing)."""
    from socialgov.core.files import ABSENT, FileChangedError, write_atomic
    from socialgov.writing.writer import refusal

    today = today or dt.date.today()
    if target.exists() and not target.is_dir():
        raise SocialgovError(f"{target}: is a file; give the folder to create the repository in")
    files = starter_files()
    existing = [target / rel for rel in files if (target / rel).exists()]
    if existing and not force:
        raise SocialgovError(refusal(existing))
    texts = {rel: render_file(rel, today) for rel in files}
    result = InitResult(target)
    for rel, text in texts.items():
        path = target / rel
        replacing = path.exists()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text, expected=None if force else ABSENT)
        except FileChangedError:
            raise SocialgovError(f"{path}: appeared while initialising; not overwritten") from None
        except OSError as exc:
            raise SocialgovError(f"{path}: cannot write: {exc.strerror or exc}") from None
        (result.replaced if replacing else result.written).append(path)
    return result


def render_result(result: InitResult) -> str:
    """What ``socialgov init`` prints: the files, then the next steps."""
    lines = [f"created {path}" for path in result.written]
    lines += [f"replaced {path}" for path in result.replaced]
    where = "" if result.root.resolve() == Path.cwd().resolve() else f"cd {result.root} && "
    lines += [
        "",
        f"A policy repository is ready in {result.root}. Next:",
        "  1. Replace the placeholders (people/, teams/, accounts/, the organisation and "
        "strategy in socialgov.yaml).",
        f"  2. Check it: {where}socialgov lint",
        "  3. Commit it, and run 'pre-commit install' to check every commit.",
    ]
    return "\n".join(lines) + "\n"
