"""``extends:`` in socialgov.yaml: configurations to start from, and installed rule packs.

``extends`` names one or a list of:

- a path to another socialgov configuration (``../shared/socialgov.yaml``; relative to the
  file that names it), or
- the name of an installed rule pack: a Python distribution that registers, under the
  ``socialgov.packs`` entry point group, a package (or a folder) holding ``socialgov.yaml``
  and/or ``rules/*.yaml`` (``kind: Rule`` documents, with their tests)::

      [project.entry-points."socialgov.packs"]
      acme-group = "acme_group_rules"

A string is a path when it ends in ``.yaml`` or ``.yml`` or holds a ``/``; otherwise it names a
pack. Bases are merged in order, later ones over earlier ones, and the repository's own keys
over all of them: mappings (``options``, ``severity``, ``limits``...) key by key, everything
else (lists, strings) replaced whole. Nothing is fetched from the network: a pack is code the
user installed; the repository can only name it. Packs are looked up among the installed
distributions with the repository and the current folder off ``sys.path``, as plugins are.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.core.errors import SocialgovError

if TYPE_CHECKING:
    pass

GROUP = "socialgov.packs"
PACK_CONFIG = "socialgov.yaml"
PACK_RULES = "rules"
MAX_DEPTH = 16
# Keys of a configuration that belong to the repository itself: a base may not set them.
OWN_KEYS = ("baseline", "extends")


@dataclass(frozen=True)
class RuleFile:
    """One YAML file of rules shipped by a pack, as its bytes were read (for the run cache)."""

    path: str
    """Shown in messages and test reports: ``pack NAME: rules/FILE.yaml``."""
    text: str


@dataclass(frozen=True)
class Pack:
    """An installed rule pack that a configuration extends."""

    name: str
    folder: str
    distribution: str
    rule_files: tuple[RuleFile, ...] = ()


@dataclass(frozen=True)
class Extended:
    """A configuration's data with its bases merged in, and the packs it uses."""

    data: dict[str, Any]
    packs: tuple[Pack, ...]


def is_path(entry: str) -> bool:
    return entry.endswith((".yaml", ".yml")) or "/" in entry or os.sep in entry


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``: mappings merged key by key, anything else replaced."""
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            merged[key] = merge(below, value)
        else:
            merged[key] = value
    return merged


def extend(
    data: Mapping[str, Any], shown: str, folder: Path, untrusted: Sequence[Path]
) -> Extended:
    """``data`` (a validated configuration, read from ``shown`` in ``folder``) with what its
    ``extends`` names merged underneath."""
    return _Resolver(untrusted).resolve(data, shown, folder, ())


class _Resolver:
    def __init__(self, untrusted: Sequence[Path]) -> None:
        self.untrusted = untrusted
        self.packs: dict[str, Pack] = {}

    def resolve(
        self, data: Mapping[str, Any], shown: str, folder: Path, chain: tuple[str, ...]
    ) -> Extended:
        entries = data.get("extends") or []
        if isinstance(entries, str):
            entries = [entries]
        merged: dict[str, Any] = {}
        for entry in entries:
            base = self._base(str(entry), shown, folder, chain)
            merged = merge(merged, base)
        own = {key: value for key, value in data.items() if key != "extends"}
        return Extended(merge(merged, own), tuple(self.packs.values()))

    def _base(self, entry: str, shown: str, folder: Path, chain: tuple[str, ...]) -> dict[str, Any]:
        if len(chain) >= MAX_DEPTH:
            raise SocialgovError(
                f"{shown}: extends: more than {MAX_DEPTH} configurations deep; shorten the chain"
            )
        if is_path(entry):
            path = (folder / entry).resolve()
            key = f"path:{path}"
            label = str(path)
            if not path.is_file():
                raise SocialgovError(
                    f"{shown}: extends: {entry}: no such file ({path}); name a socialgov "
                    "configuration file, relative to the file that extends it"
                )
        else:
            pack = self._pack(entry, shown)
            path = Path(pack.folder) / PACK_CONFIG
            key = f"pack:{entry}"
            label = f"pack {entry}: {PACK_CONFIG}"
            if not path.is_file():
                return {}
        if key in chain:
            raise SocialgovError(
                f"{shown}: extends: {entry} extends itself (through {' -> '.join(chain)}); "
                "remove one of the extends"
            )
        data = _read_config(path, label)
        for own in OWN_KEYS[:1]:
            if own in data:
                raise SocialgovError(
                    f"{label}: '{own}' belongs to a repository, not to a configuration others "
                    "extend; set it in the repository's own socialgov.yaml"
                )
        return self.resolve(data, label, path.parent, (*chain, key)).data

    def _pack(self, name: str, shown: str) -> Pack:
        if name in self.packs:
            return self.packs[name]
        found = find_pack(name, self.untrusted)
        if found is None:
            names = ", ".join(sorted(installed_packs(self.untrusted))) or "none"
            raise SocialgovError(
                f"{shown}: extends: no installed rule pack is called '{name}' (installed: "
                f"{names}); install the package that ships it (pip install ...), or name a "
                "configuration file by its path (ending in .yaml)"
            )
        self.packs[name] = found
        return found


def _read_config(path: Path, label: str) -> dict[str, Any]:
    from socialgov.schema.validation import validate_config
    from socialgov.source.reading import load_file

    parsed = load_file(path.parent, path.name)
    if parsed.findings:
        first = parsed.findings[0]
        raise SocialgovError(f"{label}:{first.line}:{first.column}: {first.message}")
    if not parsed.documents or parsed.documents[0].data is None:
        return {}
    document = parsed.documents[0]
    data = document.data
    if len(parsed.documents) > 1 or not isinstance(data, dict):
        raise SocialgovError(f"{label}: must hold one mapping of settings")
    errors = validate_config(data)
    if errors:
        pos = document.locate(errors[0].path, key=errors[0].at_key)
        raise SocialgovError(f"{label}:{pos.line}:{pos.column}: {errors[0].message}")
    return data


# ----------------------------------------------------------------------------- installed packs


def _entry_points(untrusted: Sequence[Path]) -> Iterator[tuple[Any, str]]:
    from socialgov.core.entrypoints import installed_entry_points

    for entry, dist in installed_entry_points(GROUP, untrusted):
        yield entry, str(dist.metadata["Name"])


def installed_packs(untrusted: Sequence[Path] = ()) -> list[str]:
    """The names of the installed rule packs."""
    return [entry.name for entry, _ in _entry_points(untrusted)]


def find_pack(name: str, untrusted: Sequence[Path] = ()) -> Pack | None:
    """The installed pack called ``name``, its rule files read; None when none is."""
    from socialgov.core.entrypoints import without_untrusted_paths

    for entry, distribution in _entry_points(untrusted):
        if entry.name != name:
            continue
        label = f"rule pack '{name}' ({entry.value}, from {distribution})"
        try:
            with without_untrusted_paths(untrusted):
                value = entry.load()
        except Exception as exc:
            raise SocialgovError(
                f"{label} failed to load: {type(exc).__name__}: {exc}; fix or reinstall it"
            ) from None
        folder = _folder(value)
        if folder is None or not folder.is_dir():
            raise SocialgovError(
                f"{label} names neither a package nor a folder; its entry point must name the "
                "package that holds socialgov.yaml and rules/"
            )
        rules_dir = folder / PACK_RULES
        files = (
            sorted(p for p in rules_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if rules_dir.is_dir()
            else []
        )
        if not files and not (folder / PACK_CONFIG).is_file():
            raise SocialgovError(
                f"{label}: {folder} holds neither {PACK_CONFIG} nor {PACK_RULES}/*.yaml"
            )
        rule_files = tuple(
            RuleFile(f"pack {name}: {PACK_RULES}/{p.name}", p.read_text(encoding="utf-8"))
            for p in files
        )
        return Pack(name, str(folder), distribution, rule_files)
    return None


def _folder(value: Any) -> Path | None:
    if isinstance(value, str | os.PathLike):
        return Path(value)
    locations = getattr(value, "__path__", None)
    if locations:
        return Path(next(iter(locations)))
    source = getattr(value, "__file__", None)
    return Path(source).parent if source else None


# ----------------------------------------------------------------------------- a pack's rules
