"""Where socialgov is installed from: the one source every set-up names.

socialgov is installed from its git repository at the release tag of this version, never from
a package index version that may not exist. ``socialgov init``'s workflow and pre-commit
configuration, docs/ci.md and the GitHub Action (action.yml) all name this source; a test
(tests/test_release.py) checks every snippet and generated file against these constants.
"""

from __future__ import annotations

__version__ = "0.1.0"
"""This version (pyproject.toml's ``version``; ``socialgov.__version__``)."""

REPOSITORY = "https://github.com/socialgov/socialgov"
"""The project's git repository: pre-commit's ``repo``, pip's ``git+`` source."""

ACTION = "socialgov/socialgov"
"""The GitHub Action's ``uses:`` name (action.yml at the repository's root)."""

TAG = f"v{__version__}"
"""This version's release tag: pre-commit's ``rev``, the Action's ref, pip's ``@ref``."""

PIP_REQUIREMENT = f"socialgov @ git+{REPOSITORY}@{TAG}"
"""What ``pip install`` takes (quoted, it is one argument)."""

ACTION_REF = f"{ACTION}@{TAG}"
"""A workflow step's ``uses:``."""

PLACEHOLDERS = {
    "{{socialgov_version}}": __version__,
    "{{socialgov_repo}}": REPOSITORY,
    "{{socialgov_tag}}": TAG,
    "{{socialgov_pip}}": PIP_REQUIREMENT,
    "{{socialgov_action}}": ACTION_REF,
}
"""What ``init`` substitutes in the starter pack's pre-commit configuration and workflow."""


def substitute(text: str) -> str:
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    return text
