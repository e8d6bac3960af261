"""core/lifetime: a process that ends after its command keeps its last evaluation instead of
freeing it; any other process keeps nothing. Each case runs in a fresh interpreter (the choice
is the process's)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ACME, PROJECT

_RUN = """
import gc, sys
from socialgov.core import lifetime
{before}
from socialgov.cli import main
from socialgov.model import Account
from socialgov.audit.report import ChannelRow
main({command} + ["--no-cache", "--quiet", "--root", sys.argv[1]])
{after}
gc.unfreeze()  # what was kept is out of the collector's sight: counted with the rest
gc.collect()
print(sum(1 for o in gc.get_objects() if isinstance(o, {kind})))
"""

_AUDIT = ["audit", "--format", "json", "--output", os.devnull]


def accounts_alive(
    before: str = "", after: str = "", command: tuple[str, ...] = ("lint",), kind: str = "Account"
) -> int:
    """How many Account objects (or objects of ``kind``) are alive after ``command`` (a lint)
    of examples/acme in a fresh process."""
    script = _RUN.format(before=before, after=after, command=list(command), kind=kind)
    done = subprocess.run(
        [sys.executable, "-c", script, str(ACME)],
        env={**os.environ, "PYTHONPATH": str(PROJECT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[-1])


@pytest.mark.slow
def test_a_process_that_goes_on_frees_what_the_run_built() -> None:
    assert accounts_alive() == 0


@pytest.mark.slow
def test_a_process_that_ends_after_its_command_keeps_the_last_evaluation() -> None:
    assert accounts_alive(before="lifetime.ends_after_command()") > 0


@pytest.mark.slow
def test_a_process_that_says_it_goes_on_keeps_nothing_more() -> None:
    kept = "lifetime.ends_after_command()"
    assert accounts_alive(before=kept, after="lifetime.goes_on()") == 0


@pytest.mark.slow
def test_an_audit_that_ends_after_its_command_keeps_its_report_with_the_repository() -> None:
    kept = "lifetime.ends_after_command()"
    assert accounts_alive(before=kept, command=_AUDIT, kind="ChannelRow") > 0
    assert accounts_alive(before=kept, command=_AUDIT) > 0


@pytest.mark.slow
def test_an_audit_in_a_process_that_goes_on_keeps_no_row() -> None:
    assert accounts_alive(command=_AUDIT, kind="ChannelRow") == 0
    kept = "lifetime.ends_after_command()"
    assert accounts_alive(before=kept, after="lifetime.goes_on()", command=_AUDIT) == 0


@pytest.mark.slow
def test_a_process_that_goes_on_collects_cycles_between_runs() -> None:
    """The command line pauses the cyclic collector for a command (cli.main); the language
    server, --watch and --history say they go on, and collect cycles between runs from then."""
    script = "import gc\nfrom socialgov.core import lifetime\ngc.disable()\n"
    script += "lifetime.goes_on()\nprint(gc.isenabled())\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(PROJECT / "src")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True"]
