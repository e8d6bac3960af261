"""Modules loaded when first used, not when imported (``importlib.util.LazyLoader``).

For a third-party module that another one imports at its top but a run never uses: the name is
bound as usual, and the module's code runs at the first attribute anyone reads from it."""

from __future__ import annotations

import importlib.util
import sys


def lazily(name: str) -> bool:
    """Make ``import name`` (and ``from parent import name``) give a module whose code runs when
    an attribute of it is first read; whether it did. Nothing changes for a module already
    imported, or one that cannot be found (its import fails later as it would have)."""
    if name in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return False
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:  # as the import system binds a submodule on its package
        setattr(sys.modules[parent], child, module)
    return True
