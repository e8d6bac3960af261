"""socialgov: social media governance as code."""

from socialgov.speedups.regexcode import install as _install_patterns

# first: the modules imported from here on compile their patterns from stored programs
_install_patterns()

from socialgov.release import __version__  # noqa: E402
from socialgov.speedups.classcode import install as _install_class_code  # noqa: E402

__all__ = ["__version__"]

# before any of the package's classes is made: dataclasses' methods from compiled code
_install_class_code()
