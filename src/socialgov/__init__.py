"""socialgov: social media governance as code."""

from socialgov.release import __version__
from socialgov.speedups.classcode import install as _install_class_code

__all__ = ["__version__"]

# before any of the package's classes is made: dataclasses' methods from compiled code
_install_class_code()
