"""``--new-since REV``: the findings the repository already had at a git revision.

The policy repository's tree at REV is taken from git (``git archive``, so neither the working
tree, the index nor the refs are touched) into a temporary folder and linted there with the same
configuration. Findings are then compared by fingerprint, which ignores files and lines, so a
pull request is told only about what it introduced.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

from socialgov.core.errors import SocialgovError

if TYPE_CHECKING:
    pass


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise SocialgovError("--new-since needs git, and git is not installed") from None


def checkout_root(folder: Path) -> Path:
    """The top folder of the git checkout holding ``folder``."""
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        raise SocialgovError(
            f"--new-since: {folder} is not inside a git repository; run it in a clone, or drop "
            "--new-since"
        )
    return Path(os.fsdecode(done.stdout.strip())).resolve()


def resolve_commit(top: Path, rev: str) -> str:
    """The commit id that ``rev`` names; an unknown revision is one clear error."""
    if not rev.strip() or rev.startswith("-"):
        raise SocialgovError(f"--new-since {rev!r}: not a git revision")
    done = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    if done.returncode != 0:
        raise SocialgovError(
            f"--new-since {rev}: unknown git revision in {top}; name a branch, tag or commit "
            "that exists there (in CI, fetch it first: git fetch origin main)"
        )
    return done.stdout.decode().strip()


def _extract(archive: bytes, into: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
            return
        safe = [  # Pythons without extraction filters: regular files and folders only
            m
            for m in tar.getmembers()
            if (m.isfile() or m.isdir())
            and not m.name.startswith("/")
            and ".." not in Path(m.name).parts
        ]
        tar.extractall(into, members=safe)


def export_tree(top: Path, commit: str, prefix: str, into: Path) -> bool:
    """Write ``prefix`` (a folder of the checkout, "" for all of it) as it was at ``commit``
    into ``into``; False when that folder did not exist at ``commit``."""
    if prefix and _git(["cat-file", "-e", f"{commit}:{prefix}"], top).returncode != 0:
        return False
    done = _git(["archive", "--format=tar", commit, *(["--", prefix] if prefix else [])], top)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise SocialgovError(
            f"--new-since: git could not export {commit[:12]}: "
            f"{message[-1] if message else 'unknown error'}"
        )
    _extract(done.stdout, into)
    return True
