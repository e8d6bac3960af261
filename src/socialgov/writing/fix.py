"""``socialgov fix``: small pure fixes, applied to the repository's YAML by one engine.

A fix is a pure function from an entity's data (as written) to the :class:`Change` list that
would correct it; it never touches files. The engine opens each file with the round-trip writer,
finds the entities in it (single documents with ``kind:`` or collections), runs the fixes in
order on each one (a fix sees the changes of the fixes before it), and writes the file back
atomically, keeping every line it did not change. Fixes are idempotent: a second run changes
nothing.

Safe fixes only restate what the file already says in the canonical form. Unsafe fixes (only
with ``--unsafe``) change what an entity means, so a person should review them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from socialgov.config import Config
from socialgov.core.escape import one_line, terminal_safe
from socialgov.core.files import FileChangedError
from socialgov.core.findings import Finding
from socialgov.domain.platforms import (
    bare_handle,
    canonical_platform,
    canonical_url,
    looks_like_url,
    parse_profile,
    same_url,
)
from socialgov.model import PolicyRef, entity_mappings
from socialgov.writing.writer import (
    NodePath,
    UnwritableChange,
    YamlFile,
    YamlReadError,
    get_node,
    own_key,
    parse_yaml,
    read_yaml,
    set_value,
    styled_like,
)


@dataclass(frozen=True, slots=True)
class Change:
    """One edit a fix asks for: set the node at ``path`` (inside the entity) to ``value``.

    A key that does not exist yet is added after the first of ``after`` the mapping has.
    """

    path: NodePath
    value: Any
    message: str
    after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FixContext:
    """What a fix may know beyond the entity: the current version of every policy."""

    policy_versions: Mapping[str, int] = field(default_factory=dict)


FixFunction = Callable[[Mapping[str, Any], FixContext], Iterable[Change]]


@dataclass(frozen=True, slots=True)
class Fix:
    """A fix: which finding it removes, which kinds it looks at, and whether it is safe."""

    code: str
    name: str
    kinds: tuple[str, ...]
    summary: str
    function: FixFunction
    unsafe: bool = False


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None


# ----------------------------------------------------------------------------- the fixes


def platform_alias(data: Mapping[str, Any], ctx: FixContext) -> Iterator[Change]:
    """``platform: Twitter`` -> ``platform: x``: an alias or letter case becomes the name."""
    platform = data.get("platform")
    if not isinstance(platform, str):
        return
    canonical = canonical_platform(platform)
    if canonical is not None and canonical != platform:
        yield Change(("platform",), canonical, f"platform '{platform}' -> '{canonical}'")


def handle_url(data: Mapping[str, Any], ctx: FixContext) -> Iterator[Change]:
    """``handle: https://www.instagram.com/acme/`` -> ``handle: acme`` and, when there is no
    url yet (or the same one), ``url:`` that address: a profile URL pasted into the handle.

    Only when the address is a profile URL of the account's own platform; anything else is
    left for a person (SG107 says what is wrong)."""
    platform, handle, url = data.get("platform"), _text(data, "handle"), _text(data, "url")
    if not isinstance(platform, str) or handle is None or not looks_like_url(handle):
        return
    profile = parse_profile(handle, platform)
    if profile is None or profile.platform != platform:
        return
    if url is not None and not same_url(url, handle):
        return  # two addresses: which one is right is a person's call
    if url is None:
        yield Change(
            ("url",),
            handle.strip(),
            f"url added from handle: {handle.strip()}",
            after=("handle", "platform"),
        )
    yield Change(("handle",), profile.handle, f"handle '{handle}' -> '{profile.handle}'")


def handle_at(data: Mapping[str, Any], ctx: FixContext) -> Iterator[Change]:
    """``handle: '@acme'`` -> ``handle: acme``: no leading @ and no surrounding blanks."""
    handle = _text(data, "handle")
    if handle is None:
        return
    bare = bare_handle(handle)
    if bare and bare != handle:
        yield Change(("handle",), bare, f"handle '{handle}' -> '{bare}'")


def url_canonical(data: Mapping[str, Any], ctx: FixContext) -> Iterator[Change]:
    """An url that names the handle's profile in another form (http, no www, a trailing slash,
    twitter.com, other letter case) -> the platform's canonical profile URL."""
    platform, handle, url = data.get("platform"), _text(data, "handle"), _text(data, "url")
    if not isinstance(platform, str) or handle is None or url is None:
        return
    expected = canonical_url(platform, handle)
    if expected is not None and url != expected and same_url(url, expected):
        yield Change(("url",), expected, f"url '{url}' -> '{expected}'")


def url_missing(data: Mapping[str, Any], ctx: FixContext) -> Iterator[Change]:
    """No url -> the profile URL that the platform and a valid handle give."""
    platform, handle = data.get("platform"), _text(data, "handle")
    if not isinstance(platform, str) or handle is None or _text(data, "url") is not None:
        return
    expected = canonical_url(platform, handle)
    if expected is not None:
        yield Change(("url",), expected, f"url added: {expected}", after=("handle", "platform"))


def policy_version(data: Mapping[str, Any], ctx: FixContext) -> Iterator[Change]:
    """``service-sla@2`` while service-sla is at version 3 -> ``service-sla@3``.

    Unsafe: adopting the newer version changes what the channel commits to (response times,
    terms), which its owner should review.
    """
    policies = data.get("policies")
    if not isinstance(policies, list):
        return
    for index, item in enumerate(policies):
        if not isinstance(item, str):
            continue
        ref = PolicyRef.parse(item, index)
        current = ctx.policy_versions.get(ref.id)
        if ref.version is not None and isinstance(current, int) and ref.version < current:
            new = f"{ref.id}@{current}"
            yield Change(("policies", index), new, f"policy '{item}' -> '{new}' (current)")


FIXES: tuple[Fix, ...] = (
    Fix("SG101", "platform-alias", ("Account",), "platform aliases to their names", platform_alias),
    Fix(
        "SG107",
        "handle-url",
        ("Account",),
        "a profile URL in the handle moved to url, and the handle it names written instead",
        handle_url,
    ),
    Fix("SG107", "handle-at", ("Account",), "a leading @ removed from handles", handle_at),
    Fix("SG107", "url-canonical", ("Account",), "profile URLs in canonical form", url_canonical),
    Fix("SG107", "url-missing", ("Account",), "a missing url filled in", url_missing),
    Fix(
        "SG404",
        "policy-version",
        ("Account", "Channel"),
        "pinned older policy versions moved to the current one",
        policy_version,
        unsafe=True,
    ),
)
"""Every fix, in the order the engine applies them."""


# ----------------------------------------------------------------------------- the engine


@dataclass(frozen=True, slots=True)
class Applied:
    """A change made (or, with --diff, to be made): where and what."""

    path: str
    line: int
    code: str
    name: str
    message: str
    unsafe: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file the engine could not fix, and why."""

    path: str
    line: int
    reason: str
    column: int = 1


@dataclass
class FixResult:
    """What a fix run did: the fixes applied and the files skipped, what could not be written,
    the diffs, how many files changed and how many unsafe fixes were left for ``--unsafe``."""

    applied: list[Applied] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unwritten: int = 0
    """Fixes found but not written (the file could not be written or changed meanwhile)."""
    diffs: list[str] = field(default_factory=list)
    files_changed: int = 0
    unsafe_available: int = 0

    @property
    def exit_code(self) -> int:
        """1 when a file could not be fixed, or (with --diff) when something would change."""
        return 1 if self.skipped or self.diffs else 0


def _line(container: Any, key: str | int) -> int | None:
    """The 1-based line of ``key`` in a round-trip mapping or list, when known."""
    lc = getattr(container, "lc", None)
    try:
        if isinstance(key, int):
            return int(lc.item(key)[0]) + 1
        return int(lc.key(key)[0]) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


def _apply(entity: Any, change: Change) -> tuple[bool, int | None, str]:
    """Make ``change`` in ``entity``; (done, line, reason when not done)."""
    parent = get_node(entity, change.path[:-1])
    key = change.path[-1]
    if isinstance(key, int):
        parent[key] = styled_like(parent[key], change.value)
        return True, _line(parent, key), ""
    if key in parent and not own_key(parent, key):
        line = _line(entity, next(iter(entity)))
        return False, line, f"'{key}' comes from a merge key (<<); fix it where it is written"
    if key in parent:
        line = _line(parent, key)
    else:
        anchor = next((a for a in change.after if a in parent), None)
        line = _line(parent, anchor) if anchor else _line(parent, next(iter(parent)))
        flow = getattr(getattr(parent, "fa", None), "flow_style", lambda: False)()
        if line is not None and anchor and not flow:
            line += 1
    set_value(parent, key, change.value, after=change.after)
    return True, line, ""


def _fix_file(
    opened: YamlFile, relpath: str, ctx: FixContext, unsafe: bool, result: FixResult
) -> None:
    for document in opened.documents:
        for kind, entity in entity_mappings(document):
            for fix in FIXES:
                if kind not in fix.kinds:
                    continue
                for change in list(fix.function(entity, ctx)):
                    if fix.unsafe and not unsafe:
                        result.unsafe_available += 1
                        continue
                    done, line, reason = _apply(entity, change)
                    where = line or 1
                    if done:
                        result.applied.append(
                            Applied(relpath, where, fix.code, fix.name, change.message, fix.unsafe)
                        )
                    else:
                        result.skipped.append(Skipped(relpath, where, reason))


def fix_files(config: Config, paths: Sequence[str] | None = None) -> list[str]:
    """The repository's YAML files (root-relative, with ``/``), limited to PATHS when given:
    a file, or a folder for every file under it."""
    from socialgov.pipeline import repository_files
    from socialgov.report.finish import relative_paths

    files = repository_files(config)
    if not paths:
        return files
    wanted = relative_paths(config.root, paths)
    if "." in wanted:
        return files
    return [f for f in files if any(f == w or f.startswith(f"{w}/") for w in wanted)]


def survey(config: Config) -> tuple[dict[str, int], dict[str, Finding]]:
    """The current version of every policy in the repository, and the files the loader could
    not read safely (their first SG100 finding): a hostile file (an alias bomb, nesting too deep
    for ruamel.yaml's recursive reader, bytes over a limit) is never opened for editing."""
    from socialgov.pipeline import load_repository

    repo = load_repository(config)
    versions = {p.id: p.version for p in repo.model.policies if isinstance(p.version, int)}
    unreadable: dict[str, Finding] = {}
    for finding in repo.findings:
        if finding.code == "SG100":
            unreadable.setdefault(finding.path, finding)
    return versions, unreadable


def fix_repository(
    config: Config,
    paths: Sequence[str] | None = None,
    *,
    unsafe: bool = False,
    diff: bool = False,
) -> FixResult:
    """Fix every file of the repository (or of PATHS); with ``diff``, write nothing."""
    versions, unreadable = survey(config)
    ctx = FixContext(versions)
    result = FixResult()
    for relpath in fix_files(config, paths):
        if relpath in unreadable:
            problem = unreadable[relpath]
            result.skipped.append(
                Skipped(relpath, problem.line, f"not fixed: {problem.message}", problem.column)
            )
            continue
        try:
            opened = read_yaml(config.root / relpath)
        except YamlReadError as exc:
            result.skipped.append(
                Skipped(relpath, exc.line, f"not fixed: {exc.reason}", exc.column)
            )
            continue
        before = len(result.applied)
        _fix_file(opened, relpath, ctx, unsafe, result)
        try:
            if len(result.applied) == before or not opened.changed:
                continue
            if diff:
                result.diffs.append(opened.diff(relpath))
                continue
        except UnwritableChange as exc:
            result.unwritten += len(result.applied) - before
            del result.applied[before:]
            result.skipped.append(Skipped(relpath, exc.line, f"not fixed: {exc.reason}"))
            continue
        try:
            opened.save()
        except FileChangedError:
            result.unwritten += len(result.applied) - before
            del result.applied[before:]
            result.skipped.append(
                Skipped(
                    relpath,
                    1,
                    "changed on disk while socialgov was fixing it; not "
                    "written, run 'socialgov fix' again",
                )
            )
            continue
        except OSError as exc:
            result.unwritten += len(result.applied) - before
            del result.applied[before:]
            result.skipped.append(Skipped(relpath, 1, f"cannot write: {exc.strerror or exc}"))
            continue
        result.files_changed += 1
    return result


def fix_text(
    relpath: str, text: str, policy_versions: Mapping[str, int], *, unsafe: bool = False
) -> tuple[str, list[Applied]]:
    """The safe fixes (with ``unsafe``, all) applied to ``text``, the contents of ``relpath``
    as an editor holds them: the fixed text (``text`` itself when nothing changes) and what
    changed. Raises :class:`YamlReadError` when the text is not YAML that can be edited."""
    from pathlib import Path

    opened = parse_yaml(Path(relpath), text.encode("utf-8"))
    result = FixResult()
    _fix_file(opened, relpath, FixContext(policy_versions), unsafe, result)
    if not result.applied or not opened.changed:
        return text, []
    return opened.render(), result.applied


def render_result(result: FixResult, *, diff: bool) -> tuple[str, str]:
    """(stdout, stderr) for the command line: per change ``path:line: CODE what``."""
    out: list[str] = []
    err: list[str] = []
    # Paths, messages and diffs quote the repository: nothing reaches the terminal raw.
    if diff:
        out.extend(terminal_safe(d) for d in result.diffs)
    else:
        out.extend(
            f"{one_line(a.path)}:{a.line}: {a.code} {one_line(a.message)}\n" for a in result.applied
        )
    err.extend(
        f"{one_line(s.path)}:{s.line}:{s.column}: {one_line(s.reason)}\n" for s in result.skipped
    )
    count = len(result.applied)
    files = len(result.diffs) if diff else result.files_changed
    noun = "fix" if count == 1 else "fixes"
    where = f"{files} file" + ("" if files == 1 else "s")
    if diff:
        summary = f"Would apply {count} {noun} in {where}." if count else "Nothing to fix."
    else:
        summary = f"Applied {count} {noun} in {where}." if count else "Nothing to fix."
    if not count and result.unwritten:  # fixes were found: never "Nothing to fix"
        n = result.unwritten
        summary = (
            f"No fix written: {n} {'fix' if n == 1 else 'fixes'} could not be written (see above)."
        )
    elif not count and result.skipped:
        n = len(result.skipped)
        places = "place" if n == 1 else "places"
        summary = f"Nothing fixed; {n} {places} could not be read or fixed (see above)."
    elif count and result.unwritten:
        summary += f" {result.unwritten} more could not be written (see above)."
    unsafe = result.unsafe_available
    if unsafe:
        fixes = f"{unsafe} {'fix needs' if unsafe == 1 else 'fixes need'} --unsafe (review them)."
        nothing = not (count or result.unwritten or result.skipped)
        summary = f"Nothing to fix safely; {fixes}" if nothing else f"{summary} {fixes}"
    err.append(summary + "\n")
    return "".join(out), "".join(err)
