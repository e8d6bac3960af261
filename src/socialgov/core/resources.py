"""Where the data that ships with socialgov lives: schemas, YAML rules, starter policies.

In a built wheel the top-level folders ``schemas/``, ``rules/`` and ``policies/`` are copied into
the package (see pyproject.toml). In a source checkout or an editable install they are read from
the repository itself, so there is one copy of each file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The installed socialgov package (its code and, in a wheel, its data)."""
_SOURCE_ROOT = PACKAGE_DIR.parent.parent

# name in the repository -> name inside the installed package
_SHIPPED = {"schemas": "schemas", "rules": "rules_yaml", "policies": "policies"}


@cache
def data_dir(name: str) -> Path:
    """Return the folder of shipped data called ``name`` (schemas, rules or policies)."""
    installed = PACKAGE_DIR / _SHIPPED[name]
    if installed.is_dir():
        return installed
    source = _SOURCE_ROOT / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"socialgov is installed without its {name}/ folder ({installed})")
