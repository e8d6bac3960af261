"""A progress bar on stderr while a large repository is audited, and nothing otherwise.

It shows only when stderr is a terminal, ``CI`` is not set and the repository has at least
``LARGE_REPOSITORY`` files: a piped or CI run, and a small repository that loads in a blink, see no
bar at all (and no stray carriage returns in their logs).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import click

LARGE_REPOSITORY = 200
"""Files from which loading takes long enough (about a second) to deserve a bar."""


def wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """A bar may be drawn on ``stream``: an interactive terminal outside CI."""
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """Receives the pipeline's progress and draws it, when it should, with click's bar."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        enabled: bool | None = None,
        threshold: int = LARGE_REPOSITORY,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.threshold = threshold
        self._bar: Any = None
        self._shown = 0

    def files(self, done: int, total: int) -> None:
        """One more file read (``done`` of ``total``)."""
        if not self.enabled or total < self.threshold:
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=total, label="Reading the repository", file=self.stream, width=30
            )
            self._bar.__enter__()
        self._bar.update(done - self._shown)
        self._shown = done

    def step(self, name: str) -> None:
        """A stage of the report begins; the file bar, if any, is finished."""
        if self._bar is not None:
            self._bar.label = f"Computing the audit: {name}"
            self._bar.render_progress()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
