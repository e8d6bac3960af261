"""Errors that stop a command: the tool could not do its job (exit code 2)."""

from __future__ import annotations


class SocialgovError(Exception):
    """A problem with the invocation or the environment, reported as one line and exit 2.

    Problems *in* the policy repository are findings, never exceptions.
    """
