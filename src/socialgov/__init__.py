"""socialgov: social media governance as code.

The package's import installs the two speedups every run uses: speedups/regexcode.py first
(the modules imported from then on compile their patterns from stored programs), then
speedups/classcode.py (the dataclasses' methods from compiled code, before any of the
package's classes is made). Not when the interpreter runs the command (``python -m socialgov``,
or the ``socialgov`` command: :func:`_commanded`): socialgov.__main__ first asks
speedups/replay.py for a stored answer, through modules that make no pattern and no class, so
that an answered run imports neither ``re`` nor ``typing`` nor ``dataclasses``; the command line
(socialgov.cli) installs them (:func:`install`, idempotent) before its own imports, whichever
script reached it.
"""

from __future__ import annotations

import os as _os
import sys as _sys

from socialgov.release import __version__

__all__ = ["__version__"]


def install() -> None:
    """Install the speedups (idempotent)."""
    from socialgov.speedups.regexcode import install as install_patterns

    install_patterns()  # first: the modules imported from here on compile from stored programs
    from socialgov.speedups.classcode import install as install_class_code

    install_class_code()  # before any of the package's classes is made


def _commanded() -> bool:
    """Whether this interpreter was started to run the command: ``python -m socialgov`` (while
    the package is imported for it, ``sys.argv[0]`` is ``-m``, and the interpreter's own
    arguments name the package after ``-m``), or the ``socialgov`` command's script."""
    if _sys.argv[:1] == ["-m"]:
        arguments = getattr(_sys, "orig_argv", [])
        for at, argument in enumerate(arguments):
            if argument == "-m":
                return arguments[at + 1 : at + 2] == ["socialgov"]
            if argument == "-msocialgov":
                return True
        return False
    script = _os.path.basename(_sys.argv[0]) if _sys.argv else ""
    return script in ("socialgov", "socialgov.exe", "socialgov-script.py")


if not _commanded():
    install()
