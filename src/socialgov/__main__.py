"""``python -m socialgov`` and the ``socialgov`` command: an unchanged lint answered at once, else
the command line, immune to the folder it runs in.

``python -m`` puts the current folder first on ``sys.path`` (as an empty entry or its full
path). Run from a policy repository's root, every module imported after this point (``click``,
``re2``, ``yaml``, ...) would be looked for in the repository first, so a ``click.py`` a pull
request commits there would run. The current folder is taken off the path before anything else
is imported, as the console script never has it. socialgov's own modules are found through the
package, which is already imported; a folder named ``socialgov`` in the current folder is found
by Python before this file runs, which no code here can prevent (docs/security.md: use the
``socialgov`` command, or ``python -P -m socialgov``).

Then, before the command line is imported, socialgov.speedups.replay answers a lint that was
answered before with nothing it depends on changed (the stored output, the stored exit code);
any other command goes on to ``socialgov.cli.run``. The ``socialgov`` command's entry is
:func:`console`, which does the same.
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing before an answer
if TYPE_CHECKING:
    from typing import NoReturn


def _without_current_folder(path: list[str]) -> list[str]:
    here = os.getcwd()
    kept = []
    for entry in path:
        try:
            same = entry == "" or os.path.samefile(entry, here)
        except OSError:  # a missing folder on the path imports nothing
            same = False
        if not same:
            kept.append(entry)
    return kept


def console() -> NoReturn:
    """The ``socialgov`` command: a stored answer (socialgov.speedups.replay), else the command
    line (socialgov.cli.run)."""
    # The command runs with the cyclic collector paused (cli.main) and ends the process: paused
    # from here, the command line is imported without the collections its ~150 modules'
    # objects would set off (~7 M instructions).
    gc.disable()
    try:
        from socialgov.speedups.replay import answer

        answer()  # returns unless it answered
        from socialgov.cli import run  # which installs the speedups first (socialgov.__init__)
    except KeyboardInterrupt:  # Ctrl-C while starting: the same answer as during the command
        sys.stderr.write("\nsocialgov: aborted\n")
        os._exit(2)
    run()


if __name__ == "__main__":
    sys.path[:] = _without_current_folder(sys.path)  # before anything else is imported
    console()
