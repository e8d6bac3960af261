"""The lint pipeline: load, validate, model, rules, findings, filter; reporters take it on."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from socialgov.config import CONFIG_FILE, Config
from socialgov.core.errors import SocialgovError
from socialgov.core.lifetime import keep_until_exit

# The model, the rules, the parsers and git are imported by the functions that use them: a warm
# run (the pre-commit hook's) takes its findings from the run cache and never needs them.
if TYPE_CHECKING:
    from socialgov.core.findings import Finding
    from socialgov.model import Model
    from socialgov.report.finish import KnownBefore
    from socialgov.report.result import Evaluation, LintResult, Repository
    from socialgov.rules.base import RuleInfo
    from socialgov.source.loader import ParsedFile, Path_
    from socialgov.speedups.incremental import LintState, StateDelta
    from socialgov.speedups.runcache import RunCache, RunInputs, StoredRun


def repository_files(config: Config) -> list[str]:
    """The YAML files of the repository (root-relative, with ``/``), without its config file."""
    return _discover(config)[0]


def discover_files(config: Config) -> tuple[list[str], list[Finding]]:
    """The repository's YAML files (as :func:`repository_files`) and what discovery found
    wrong (unreadable folders, links out of the repository)."""
    return _discover(config)


def _discover(config: Config, run_cache: RunCache | None = None) -> tuple[list[str], list[Finding]]:
    """The repository's files and discovery's findings; with ``run_cache``, the choice among
    the files walked is the one remembered for the same walk (socialgov.speedups.runcache)."""
    from socialgov.source.discovery import discover

    found = discover if run_cache is None else run_cache.discover
    files, findings = found(
        config.root, config.include, config.exclude, config.limits["max_files"] + 1
    )
    skip = {CONFIG_FILE}
    if config.config_path is not None:
        with contextlib.suppress(ValueError):  # a config outside the root is not a repository file
            skip.add(config.config_path.resolve().relative_to(config.root).as_posix())
    return [f for f in files if f not in skip], findings


FileProgress = Callable[[int, int], None]
"""Called with (files read, files in total) as the repository loads; for progress bars."""


def load_repository(
    config: Config,
    progress: FileProgress | None = None,
    *,
    cache: bool = False,
    jobs: int = 1,
    digests: Mapping[str, bytes] | None = None,
) -> Repository:
    """Discover, parse and model every file of the repository.

    With ``cache``, files whose bytes did not change since the last run are not parsed again (see
    socialgov.speedups.cache); with ``jobs`` of 2 or more, a large repository's files that the fast
    parser declines are parsed by that many processes (socialgov.speedups.parallel). The result is
    the same either way. ``digests`` (each file's hash, as the run cache read it) spares reading
    a file again to find its cached parse.
    """
    from socialgov.model import attach_entities, build_model
    from socialgov.report.result import Repository
    from socialgov.speedups.parallel import load_all

    root = config.root
    limits = dict(config.limits)
    parse_cache = None
    if cache:
        from socialgov.speedups.cache import ParseCache

        parse_cache = ParseCache(root, limits, digests)
    files, findings = _discover(config)
    if len(files) > limits["max_files"]:
        raise SocialgovError(
            f"the repository has more than {limits['max_files']:,} YAML files (limits.max_files); "
            "narrow 'include' or add to 'exclude' in socialgov.yaml, or raise limits.max_files"
        )
    parsed_files: list[ParsedFile] = []
    total = nodes = 0
    try:
        for done, parsed in enumerate(load_all(root, files, limits, parse_cache, jobs), 1):
            total += parsed.size
            if total > limits["max_total_bytes"]:
                raise SocialgovError(
                    "the repository's YAML files add up to more than "
                    f"{limits['max_total_bytes']:,} bytes (limits.max_total_bytes); narrow "
                    "'include' or add to 'exclude' in socialgov.yaml, or raise "
                    "limits.max_total_bytes"
                )
            nodes += parsed.nodes
            if nodes > limits["max_total_nodes"]:
                raise SocialgovError(
                    f"the repository's YAML files expand to more than "
                    f"{limits['max_total_nodes']:,} nodes (limits.max_total_nodes), aliases "
                    "counted as what they repeat; remove aliases that repeat large parts, narrow "
                    "'include', or raise limits.max_total_nodes"
                )
            findings.extend(parsed.findings)
            parsed_files.append(parsed)
            if progress is not None:
                progress(done, len(files))
        model, model_findings = build_model(
            (document for parsed in parsed_files for document in parsed.documents),
            config.strategy,
            parse_cache.validity if parse_cache is not None else None,
        )
    finally:
        if parse_cache is not None:
            parse_cache.close()  # after the model: entries remember which entities passed
    findings.extend(model_findings)
    return Repository(
        config, tuple(files), model, tuple(attach_entities(findings, model)), total, nodes
    )


def available_rules(
    model: Model | None = None, root: Path | None = None, config: Config | None = None
) -> tuple[RuleInfo, ...]:
    """Built-in rules, installed plugins' rules, the rules of the packs ``config`` extends and,
    given a model, the repository's own Rules."""
    from socialgov.rules.custom import compile_model_rules
    from socialgov.rules.registry import builtin_rules

    if root is None and config is not None:
        root = config.root
    rules = (*builtin_rules(), *installed_rules(root))
    if config is not None:
        rules = (*rules, *configured_rules(config, rules))
    if model is not None:
        rules = (*rules, *compile_model_rules(model, rules).rules)
    return rules


def configured_rules(config: Config, taken: Sequence[RuleInfo] = ()) -> tuple[RuleInfo, ...]:
    """The Rules of the rule packs that ``config`` extends (socialgov.packs)."""
    if not config.packs:
        return ()
    from socialgov.rules.packs import pack_rules

    return pack_rules(config.packs, taken).rules


def installed_rules(root: Path | None = None) -> tuple[RuleInfo, ...]:
    """Rules of installed plugins (never loaded from ``root``, the linted repository)."""
    from socialgov.rules.plugins import plugin_rules
    from socialgov.rules.registry import builtin_rules

    builtin = {info.code for info in builtin_rules()}
    plugins = plugin_rules([root] if root is not None else [])
    for info in plugins:
        if info.code in builtin:
            raise SocialgovError(
                f"a plugin declares rule {info.code}, which is a built-in rule's code; plugin "
                "rules need codes of their own"
            )
    return plugins


def lint(
    config: Config,
    paths: Sequence[str] | None = None,
    *,
    new_since: str | None = None,
    progress: FileProgress | None = None,
    cache: bool = False,
    reuse: bool = False,
    jobs: int = 1,
    trails: bool = False,
    confirmed: list[RunInputs] | None = None,
) -> LintResult:
    """Check the repository under ``config.root``; with ``paths``, report only what they touch.

    ``config.baseline`` hides the findings recorded in that baseline file; ``new_since`` (a git
    revision) hides the findings the repository already had at that revision. ``cache`` reuses the
    files parsed by earlier runs (.socialgov_cache/); the findings are the same. With ``cache`` and
    ``reuse`` too, a run whose every input is unchanged since the last one returns that run's result
    (socialgov.speedups.runcache), and one where a few files changed, or one with PATHS, starts from
    it (socialgov.speedups.incremental): the same findings, with, in ``rules``, the descriptions the
    cache kept of the selected rules, without their check. With ``trails``, each finding's related
    entities and chain are resolved from the model (``LintResult.trails``, for SARIF and
    ``explain``): a full run. With the cache, ``confirmed`` receives the run's inputs (each
    file's stamp and SHA-256) when the result is theirs: no input changed while the run read
    them.
    """
    result, evaluation = _run(
        config,
        paths,
        new_since,
        progress,
        cache=cache,
        reuse=reuse and not trails,
        jobs=jobs,
        release=not trails,
        confirmed=confirmed,
    )
    if trails:
        assert evaluation is not None  # not reused: a full run
        return _with_trails(result, evaluation)
    return result


Rendering = TypeVar("Rendering")


def lint_reported(
    config: Config,
    report: Callable[[LintResult], Rendering],
    asked: str | None,
    paths: Sequence[str] | None = None,
    *,
    new_since: str | None = None,
    cache: bool = False,
    jobs: int = 1,
    trails: bool = False,
    confirmed: list[RunInputs] | None = None,
) -> Rendering:
    """``report(lint(config, paths, ..., reuse=True))``: the reports of a run, as the command line
    writes them.

    ``asked`` names everything ``report`` depends on besides the result (the formats, the
    options, the folder it runs in), or is None when its reports cannot be written again (they
    carry the time). With the cache, a whole run (no PATHS, no trails) whose every input and
    ``asked`` are the last such run's returns the reports that run wrote, without loading its
    findings (socialgov.speedups.runcache.StoredReport); any other run stores its reports for the
    next. ``confirmed``: see :func:`lint`."""
    if not cache or asked is None or paths is not None or trails:
        return report(
            lint(
                config,
                paths,
                new_since=new_since,
                cache=cache,
                reuse=True,
                jobs=jobs,
                trails=trails,
                confirmed=confirmed,
            )
        )
    from socialgov.speedups.runcache import RunCache, StoredReport

    run_cache = RunCache(config)
    looked_at = _run_inputs(config, new_since, run_cache)
    inputs = None
    if looked_at is not None:
        known = run_cache.load_report(looked_at.setup, asked)
        if known is not None:
            inputs = looked_at.hashed(config, known.inputs)
            if inputs is not None and inputs.key == known.inputs.key:
                if inputs.settles(known.inputs) and _read_unchanged(
                    config, new_since, run_cache, inputs
                ):  # files hashed again that the next runs need not hash
                    kept = StoredReport(inputs, known.value)
                    run_cache.store_report(inputs.setup, asked, kept)
                if confirmed is not None:
                    confirmed.append(inputs)
                return known.value  # type: ignore[no-any-return]
    confirmed = [] if confirmed is None else confirmed
    result, _ = _lint_cached(
        config,
        None,
        new_since=new_since,
        progress=None,
        reuse=True,
        jobs=jobs,
        looked=(run_cache, looked_at, inputs),
        confirmed=confirmed,
    )
    value = report(result)
    if confirmed:
        run_cache.store_report(confirmed[-1].setup, asked, StoredReport(confirmed[-1], value))
    return value


def lint_model(
    config: Config,
    *,
    progress: FileProgress | None = None,
    cache: bool = False,
    jobs: int = 1,
    remember: bool = True,
    placed: bool = True,
) -> tuple[LintResult, Model]:
    """A full run (as :func:`lint`) and the model it built, for what reads both.

    With ``cache`` but not ``remember``, only the parsed files are reused: the run is not stored
    for later runs (``audit --history`` audits revisions no later run will see again).
    ``placed``: see :func:`lint_evaluated`."""
    result, evaluation = lint_evaluated(
        config, progress=progress, cache=cache, jobs=jobs, remember=remember, placed=placed
    )
    return result, evaluation.repo.model


def lint_evaluated(
    config: Config,
    *,
    progress: FileProgress | None = None,
    cache: bool = False,
    jobs: int = 1,
    remember: bool = True,
    placed: bool = True,
    lines: bool = False,
    positions_after: bool = True,
) -> tuple[LintResult, Evaluation]:
    """:func:`lint_model`, with the whole evaluation: the model, and what the rules' selectors
    selected in it (``Evaluation.selections``), for the audit, which reads the model after the
    rules and selects with the same selectors.

    Without ``placed`` (the audit: it never shows where a finding is written), a run without
    the cache places only the findings whose report order their entities do not tell
    (speedups.unplaced.in_order): the other findings' ``line`` and ``column`` order them in
    their file, and are not where they are written. The same findings otherwise, in the same
    order, but for the waivers that suppressed nothing (not reported: they would ask where
    each waiver is written); such a run lets go of the positions the ordering will not read
    before the rules run, and of every position once the findings are ordered. ``lines``
    (with ``placed`` False): the caller asks no position of the model after the run but each
    Account's and Channel's line (the audit's rows), which is read before the rules
    (``Evaluation.lines``); the positions are then let go for good, their text with them (a
    position asked after raises). Without ``positions_after`` (with ``placed`` False) the caller
    asks no position of the model after the run at all (the audit's formats that show no
    line): let go for good likewise."""
    result, evaluation = _run(
        config,
        None,
        None,
        progress,
        cache=cache,
        reuse=False,
        jobs=jobs,
        remember=remember,
        placed=placed,
        lines=lines,
        positions_after=positions_after,
    )
    assert evaluation is not None  # not reused: a full run
    return result, evaluation


def _with_trails(result: LintResult, evaluation: Evaluation) -> LintResult:
    from socialgov.report.chain import trails

    rules = {info.code: info for info in evaluation.rules}
    shown = (*result.findings, *result.suppressed, *result.unused_waivers)
    return replace(result, trails=trails(shown, evaluation.repo.model, rules))


def _run(
    config: Config,
    paths: Sequence[str] | None,
    new_since: str | None,
    progress: FileProgress | None,
    *,
    cache: bool,
    reuse: bool,
    jobs: int,
    remember: bool = True,
    release: bool = False,
    placed: bool = True,
    lines: bool = False,
    positions_after: bool = True,
    confirmed: list[RunInputs] | None = None,
) -> tuple[LintResult, Evaluation | None]:
    """The result of a run, and its evaluation when it was a full one. ``release``: nothing
    asks a position of the model after the rules (a lint's result is all its caller reads), so
    that, without the cache (whose state locates waivers), the files' positions are let go as
    soon as the rules' findings are placed (rules.engine.located_findings). ``placed``: see
    :func:`lint_evaluated` (a run that the cache stores places every finding), as are
    ``lines`` and ``positions_after``; ``confirmed``: see :func:`lint`."""
    if not cache or not (reuse or remember):
        with _collector_paused():
            evaluation = _evaluate(
                config,
                _installed(config),
                progress,
                cache=cache,
                jobs=jobs,
                release=release and not cache,
                placed=placed,
                lines=lines,
                positions_after=positions_after,
            )
            finished = _finish_full(
                config, evaluation, paths, new_since, release, unused_waivers=placed
            )
            return finished, evaluation
    return _lint_cached(
        config,
        paths,
        new_since=new_since,
        progress=progress,
        reuse=reuse,
        jobs=jobs,
        confirmed=confirmed,
    )


def _installed(config: Config) -> tuple[RuleInfo, ...]:
    """Every rule a run of ``config`` may select but the repository's own: built-in, plugins'
    and the packs'. Imports every rule family and loads the plugins: a run asks for them only
    when it runs rules."""
    from socialgov.rules.registry import builtin_rules

    plugins = installed_rules(config.root)
    installed: tuple[RuleInfo, ...] = (*builtin_rules(), *plugins)
    return (*installed, *configured_rules(config, installed))


def _lint_cached(
    config: Config,
    paths: Sequence[str] | None,
    *,
    new_since: str | None,
    progress: FileProgress | None,
    reuse: bool,
    jobs: int = 1,
    looked: tuple[RunCache, RunInputs | None, RunInputs | None] | None = None,
    confirmed: list[RunInputs] | None = None,
) -> tuple[LintResult, Evaluation | None]:
    """A run with the cache: the stored result when nothing changed, an incremental run from
    the stored state when it can, else the full run (and its evaluation); then what to keep for
    the next run.

    The rules (and the plugins) are loaded only when rules run: a stored result, or a state no
    edit touched, answers without them (the key knows the plugins without loading them).
    ``looked`` is the cache, the inputs and (or None) their hashes when the caller has them
    already; ``confirmed`` receives the inputs when the result is theirs (no input changed while
    the run read them)."""
    from socialgov.speedups.runcache import RunCache, load_result

    if looked is None:
        run_cache = RunCache(config)
        looked_at, hashed = _run_inputs(config, new_since, run_cache), None
    else:
        run_cache, looked_at, hashed = looked
    confirm = confirmed.append if confirmed is not None else lambda inputs: None
    stored = run_cache.load(looked_at.setup) if reuse and looked_at is not None else None
    delta = None
    if stored is not None:
        from socialgov.speedups.incremental import StateDelta

        delta = run_cache.load_delta(stored.inputs.setup)
        if not isinstance(delta, StateDelta) or delta.base != stored.key:
            delta = None
    latest = delta.inputs if delta is not None else stored.inputs if stored is not None else None
    inputs = hashed
    if inputs is None and looked_at is not None:
        inputs = looked_at.hashed(config, latest)
    result = state = None
    changed: set[str] = set()
    newly: list[str] = []
    loaded: list[tuple[RuleInfo, ...]] = []

    def installed() -> tuple[RuleInfo, ...]:
        if not loaded:
            loaded.append(_installed(config))
        return loaded[0]

    if stored is not None and inputs is not None:
        if paths is None and stored.key == inputs.key and stored.result is not None:
            reused = load_result(config, stored.result)
            if reused is not None:
                confirm(inputs)
                return reused, None
        from socialgov.speedups.incremental import relint

        state = stored.state
        if delta is not None and state is not None:
            state, changed = delta.applied(state), set(delta.found)
        with _collector_paused():
            outcome = relint(
                config,
                inputs,
                state,
                installed,
                known_before=_known_at(config, new_since),
                paths=paths,
            )
        if outcome is None:
            state = None
        else:
            result, state, newly = outcome
            changed.update(newly)
    full = result is None
    evaluation = None
    if full:
        with _collector_paused():
            digests = dict(zip(inputs.files, inputs.hashes, strict=True)) if inputs else None
            evaluation = _evaluate(
                config, installed(), progress, cache=True, jobs=jobs, digests=digests
            )
            result = _finish_full(config, evaluation, paths, new_since)
        if inputs is not None:
            from socialgov.speedups.incremental import state_of

            state = state_of(inputs, evaluation, result)
    assert result is not None
    unchanged = not full and not newly and latest is not None and inputs is not None
    if unchanged and inputs.same(latest):
        if inputs.settles(latest) and stored is not None:
            _settled(config, new_since, run_cache, inputs, stored, delta)
        confirm(inputs)
        return result, evaluation  # nothing to remember that the cache does not hold already
    # Stored only when no input changed while the run read them.
    if inputs is not None and _read_unchanged(config, new_since, run_cache, inputs):
        confirm(inputs)
        base = None if full else stored
        _remember(run_cache, inputs, result, state, base, changed, whole=paths is None)
    return result, evaluation


def _read_unchanged(
    config: Config, new_since: str | None, run_cache: RunCache, inputs: RunInputs
) -> bool:
    """Whether every input is as ``inputs`` found it, looked at again now: no file changed
    while the run read them (what a run stores must stand for what it read)."""
    later = _run_inputs(config, new_since, run_cache)
    return later is not None and inputs.unchanged(later)


def _settled(
    config: Config,
    new_since: str | None,
    run_cache: RunCache,
    inputs: RunInputs,
    stored: StoredRun,
    delta: StateDelta | None,
) -> None:
    """Remember ``inputs`` in place of the stored ones they equal but for when they were hashed,
    now that files hashed too soon after they changed have settled (RunInputs.settles): the
    next runs hash them no more. The stored run (or the delta since it) is kept as it is, with
    these inputs: the same key, so the same result."""
    if not _read_unchanged(config, new_since, run_cache, inputs):
        return  # a file changed while the run read it
    if delta is not None:
        run_cache.store_delta(inputs.setup, replace(delta, inputs=inputs))
    else:
        run_cache.store(inputs.setup, replace(stored, inputs=inputs))


def _remember(
    run_cache: RunCache,
    inputs: RunInputs,
    result: LintResult,
    state: LintState | None,
    base: StoredRun | None,
    changed: set[str],
    *,
    whole: bool,
) -> None:
    """Store a run: a full one whole; an incremental one as what changed since the stored full
    run (``base``), unless that has grown too big. The result of a PATHS run reports only some
    files: it is not kept (the state is, and serves the next run)."""
    from socialgov.speedups.incremental import MAX_DELTA_FILES, delta_of
    from socialgov.speedups.runcache import StoredRun, result_payload

    if base is not None and state is not None and len(changed) <= MAX_DELTA_FILES:
        run_cache.store_delta(inputs.setup, delta_of(base.key, inputs, state, changed))
    else:
        payload = result_payload(result) if whole else None
        run_cache.store(inputs.setup, StoredRun(inputs, payload, state))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one run.

    Everything a run builds (the parsed files, the model) lives until its end; each full
    collection walks all of it again and frees nothing, which costs seconds on 100,000 accounts.
    Reference counting still frees what the run drops; cycles wait for the collector to resume.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_inputs(
    config: Config, new_since: str | None, run_cache: RunCache | None = None
) -> RunInputs | None:
    """What the run depends on, its files looked at but not yet hashed."""
    from socialgov.speedups.runcache import run_inputs

    files, discovered = _discover(config, run_cache)
    if len(files) > config.limits["max_files"]:
        return None
    return run_inputs(config, files, discovered, new_since, run_cache)


def _evaluate(
    config: Config,
    installed: tuple[RuleInfo, ...],
    progress: FileProgress | None,
    *,
    cache: bool,
    jobs: int = 1,
    digests: Mapping[str, bytes] | None = None,
    release: bool = False,
    placed: bool = True,
    lines: bool = False,
    positions_after: bool = True,
) -> Evaluation:
    from socialgov.report.filters import select_rules, unknown_selectors
    from socialgov.report.result import Evaluation
    from socialgov.rules.base import RuleContext
    from socialgov.rules.custom import compile_model_rules
    from socialgov.rules.registry import builtin_rules
    from socialgov.speedups.split import check_rules

    repo = load_repository(config, progress, cache=cache, jobs=jobs, digests=digests)
    custom = compile_model_rules(repo.model, installed)
    rules = (*installed, *custom.rules)
    for option, selectors in (("select", config.select), ("ignore", config.ignore)):
        unknown = unknown_selectors(rules, selectors)
        if unknown:
            raise SocialgovError(
                f"{option}: {', '.join(unknown)} matches no rule; see 'socialgov rules'"
            )
    selected = select_rules(rules, config.select, config.ignore)
    selected_codes = {info.code for info in selected}
    known = frozenset(n.lower() for info in rules for n in (info.code, info.name))
    ctx = RuleContext(as_of=config.as_of, options=config.options, known_rules=known)
    found: list[tuple[Finding, Path_ | None]] = [
        (f, None) for f in (*repo.findings, *custom.findings) if f.code in selected_codes
    ]
    # Plugins' rules run in this process only: socialgov cannot know they are pure.
    plugin_codes = {info.code for info in installed} - {info.code for info in builtin_rules()}
    shown = None
    if placed or jobs > 1:
        found.extend(
            check_rules(
                repo.model, selected, ctx, keep_here=plugin_codes, jobs=jobs, release=release
            )
        )
    else:
        from socialgov.rules.engine import located_findings
        from socialgov.speedups.unplaced import channel_lines, in_order, let_go, let_go_of

        # What the audit shows of the positions is read now; what ordering the findings will
        # not read is let go before the rules (the run then stays under a lint's peak, which
        # holds every position through its rules), the rest once they are ordered.
        if lines:
            shown = channel_lines(repo.model)
        files = let_go(repo.model, {finding.path for finding, _ in found})
        unplaced = located_findings(repo.model, selected, ctx, place=False)
        ordered = in_order(found, unplaced, repo.model)
        if ordered is None:  # about an entity the model does not hold (a plugin's): placed
            found.extend(check_rules(repo.model, selected, ctx, keep_here=plugin_codes))
        else:
            found = ordered
        let_go_of(files, for_good=lines or not positions_after)
    evaluation = Evaluation(repo, rules, selected, found, known, ctx.selections, shown)
    # A process about to end need not free the model (core/lifetime.py); the findings it frees
    # as before, so that an audit's report is built within its lint's peak.
    keep_until_exit(repo)
    return evaluation


def _finish_full(
    config: Config,
    evaluation: Evaluation,
    paths: Sequence[str] | None,
    new_since: str | None,
    release: bool = False,
    *,
    unused_waivers: bool = True,
) -> LintResult:
    """The run's result from its evaluation. With ``release`` (a lint, which reads nothing of
    its evaluation after this), each finding's field path is let go before the report is
    ordered: the stranger's 100,000 accounts' 490,000 pairs are ~31 MB, which the sort's keys
    then reuse. ``unused_waivers``: see report.finish.finish."""
    from socialgov.report.finish import finish

    repo = evaluation.repo
    found = evaluation.found
    # a list of its length, filled: grown by appends after the rules gave the C heap back, a
    # list of 490,000 moved through ~16 MB of pages
    findings: list[Finding] = [None] * len(found)  # type: ignore[list-item]
    for at, (finding, _) in enumerate(found):
        findings[at] = finding
    if release:
        found.clear()
    return finish(
        config,
        findings,
        evaluation.rules,
        evaluation.selected,
        repo.model,
        paths=paths,
        known_before=_known_at(config, new_since),
        files=len(repo.files),
        entities=sum(len(of_kind) for of_kind in repo.model.entities.values()),
        model=repo.model,
        unused_waivers=unused_waivers,
    )


def _known_at(config: Config, new_since: str | None) -> KnownBefore | None:
    """What ``--new-since`` hides: the fingerprints of the findings at that revision, worked
    out when the run first needs them (a stored result that is still valid never does)."""
    if new_since is None:
        return None
    return lambda: [finding.fingerprint for finding in findings_at(config, new_since)]


def findings_at(config: Config, rev: str) -> list[Finding]:
    """The findings the policy repository had at git revision ``rev``, with the same config."""
    from socialgov.source.git import checkout_root, export_tree, resolve_commit

    top = checkout_root(config.root)
    commit = resolve_commit(top, rev)
    prefix = config.root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix
    import tempfile

    with tempfile.TemporaryDirectory(prefix="socialgov-new-since-") as tmp:
        tree = Path(tmp)
        if not export_tree(top, commit, prefix, tree):
            return []  # the policy repository did not exist yet: everything is new
        old_root = (tree / prefix) if prefix else tree
        config_path = config.config_path
        if config_path is not None:  # a config file outside the repository stays where it is
            with contextlib.suppress(ValueError):
                config_path = old_root / config_path.resolve().relative_to(config.root)
        old = replace(config, root=old_root, config_path=config_path, baseline=None)
        try:
            return list(lint(old).findings)
        except SocialgovError as exc:
            raise SocialgovError(
                f"--new-since {rev}: linting that revision failed: {exc}"
            ) from None


def record_baseline(config: Config, path: Path) -> LintResult:
    """Lint the whole repository, ignoring any configured baseline, record every reported
    finding in ``path``, and return the run as the new baseline sees it: nothing new."""
    from socialgov.report.baseline import write_baseline

    result = lint(replace(config, baseline=None))
    write_baseline(path, result.findings)
    return replace(result, findings=(), baselined=len(result.findings))
