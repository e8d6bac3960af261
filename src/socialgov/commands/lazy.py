"""The command line's commands, each made when click first asks for it.

``cli.py`` declares its commands with :func:`command`, :func:`option` and :func:`argument`
instead of click's own decorators: they record what click's would do, and a group whose
``commands`` are :class:`Commands` makes a command (its options and arguments built by click's
decorators, in the order Python applied them) the first time it is asked for. A run builds the
command it runs, not the other commands' ~110 options (about 11 M instructions of a cold start);
``socialgov --help``, completion and the tests that read ``cli.commands`` ask for all of them and
get what eager commands were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class Commands(MutableMapping[str, click.Command]):
    """A group's commands by name, each made (its options and arguments built) when it is first
    asked for: a run builds the command it runs, not the other commands' ~110 options (about
    11 M instructions of a cold lint's start). ``socialgov --help``, completion and the tests
    that read ``cli.commands`` ask for all of them and get what eager commands were."""

    def __init__(self) -> None:
        self._entries: dict[str, click.Command | Later] = {}

    def later(self, name: str, later: Later) -> None:
        self._entries[name] = later

    def __getitem__(self, name: str) -> click.Command:
        entry = self._entries[name]
        if isinstance(entry, Later):
            entry = self._entries[name] = entry.make()
        return entry

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._entries[name] = command

    def __delitem__(self, name: str) -> None:
        del self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class Later:
    """A command as written (its function, name, click's attributes and its options' and
    arguments' decorators in the order Python applied them), made by :meth:`make`. A group's own
    commands wait in :attr:`commands` until it is made."""

    def __init__(self, function: Callable[..., Any], name: str, attrs: dict[str, Any]) -> None:
        self.function = function
        self.name = name
        self.attrs = attrs
        self.commands = Commands()

    def make(self) -> click.Command:
        function = self.function
        for decorate in getattr(function, "_socialgov_params", ()):
            function = decorate(function)
        made: click.Command = click.command(self.name, **self.attrs)(function)
        if isinstance(made, click.Group):
            made.commands = self.commands
        return made


def command(
    group: click.Group | Later, name: str, **attrs: Any
) -> Callable[[Callable[..., Any]], Later]:
    """``group.command(name, **attrs)``, made when the command is first asked for
    (:class:`Commands`)."""

    def decorator(function: Callable[..., Any]) -> Later:
        later = Later(function, name, attrs)
        commands = group.commands
        assert isinstance(commands, Commands)
        commands.later(name, later)
        return later

    return decorator


def _kept(decorate: Callable[[F], F]) -> Callable[[F], F]:
    """A click decorator, applied when its command is made (:meth:`Later.make`)."""

    def keep(function: F) -> F:
        function.__dict__.setdefault("_socialgov_params", []).append(decorate)
        return function

    return keep


def option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """``click.option``, made with its command."""
    return _kept(click.option(*decls, **attrs))


def argument(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """``click.argument``, made with its command."""
    return _kept(click.argument(*decls, **attrs))
