"""``socialgov lint --watch``: lint, then lint again whenever a file of the repository changes.

Changes are found by polling (no dependency, works on every file system, network shares
included): the repository's YAML files and its configuration are listed and stat'ed every
``interval`` seconds, and a different size, modification time or file list starts a new run.
The stamps are taken before each run, so an edit made while lint runs is linted next. Ctrl-C
ends the watch with the last run's exit code.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from socialgov.core.errors import SocialgovError

Stamps = Mapping[str, tuple[int, int]]
INTERVAL = 0.5


def stamps(root: Path | None, config_path: Path | None) -> Stamps:
    """Size and modification time of every file a lint of the repository reads."""
    from socialgov.config import CONFIG_FILE, load_config, resolve_root
    from socialgov.pipeline import discover_files

    found: dict[str, tuple[int, int]] = {}
    try:
        resolved = resolve_root(root)
        files = discover_files(load_config(resolved, config_path))[0]
    except SocialgovError:  # a broken configuration: watch it until it is mended
        resolved, files = (root or Path.cwd()), []
    for relpath in [*files, CONFIG_FILE]:
        path = config_path if relpath == CONFIG_FILE and config_path else resolved / relpath
        try:
            info = os.stat(path)
        except OSError:
            continue
        found[relpath] = (info.st_size, info.st_mtime_ns)
    return found


def changes(before: Stamps, after: Stamps) -> list[str]:
    """The files added, removed or changed between two looks."""
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def watch(
    run: Callable[[], int],
    look: Callable[[], Stamps],
    echo: Callable[[str], None],
    *,
    interval: float = INTERVAL,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run ``run`` now and after every change ``look`` sees, until interrupted; the last run's
    exit code. An error that stops one run (a broken configuration) is shown, and watched."""
    code = 2
    try:
        while True:
            before = look()
            try:
                code = run()
            except SocialgovError as exc:
                from socialgov.core.escape import one_line

                echo(f"socialgov: error: {one_line(str(exc))}")
                code = 2
            echo("socialgov: watching for changes (Ctrl-C to stop)")
            while not (changed := changes(before, look())):
                sleep(interval)
            shown = ", ".join(changed[:3]) + (
                f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            )
            echo(f"socialgov: {shown} changed; linting again")
    except KeyboardInterrupt:
        return code
