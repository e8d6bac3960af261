"""``python -m socialgov``: the command line, immune to the folder it runs in.

``python -m`` puts the current folder first on ``sys.path`` (as an empty entry or its full
path). Run from a policy repository's root, every module imported after this point (``click``,
``re2``, ``yaml``, ...) would be looked for in the repository first, so a ``click.py`` a pull
request commits there would run. The current folder is taken off the path before anything else
is imported, as the console script never has it. socialgov's own modules are found through the
package, which is already imported; a folder named ``socialgov`` in the current folder is found
by Python before this file runs, which no code here can prevent (docs/security.md: use the
``socialgov`` command, or ``python -P -m socialgov``).
"""

import gc
import os
import sys

# The command runs with the cyclic collector paused (cli.main) and ends the process: paused from
# here, the command line is imported without the collections its ~150 modules' objects would
# set off (~7 M instructions).
gc.disable()


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


sys.path[:] = _without_current_folder(sys.path)

try:
    from socialgov.cli import run  # only after the path is safe
except KeyboardInterrupt:  # Ctrl-C while starting: the same answer as during the command
    sys.stderr.write("\nsocialgov: aborted\n")
    os._exit(2)

run()
