"""The command line: parse options, call the pipeline, choose the reporter. No logic lives here."""

from __future__ import annotations

from socialgov import install

# Idempotent, and first: any way into the command line runs with the package's speedups
# (socialgov.__init__ leaves them to the command, which may be a console script of an older
# entry, ``socialgov.cli:run``, that never passes through socialgov.__main__).
install()

import contextlib
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from socialgov import __version__
from socialgov.audit.renderers import FORMATS as AUDIT_RENDERERS
from socialgov.commands.lazy import Commands, argument, command, option
from socialgov.core.errors import SocialgovError
from socialgov.reporters import FORMATS as REPORT_FORMATS

if TYPE_CHECKING:
    from socialgov.core.files import Writing

F = TypeVar("F", bound=Callable[..., Any])

LINT_FORMATS = tuple(REPORT_FORMATS)
AUDIT_FORMATS = tuple(AUDIT_RENDERERS)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


def repository_options(func: F) -> F:
    """Options every command that reads a policy repository takes."""
    options = [
        option(
            "--root",
            type=_PATH,
            help="The policy repository's folder (default: the nearest folder upward holding "
            "socialgov.yaml).",
        ),
        option(
            "--config",
            "config_path",
            type=_PATH,
            help="The configuration file (default: ROOT/socialgov.yaml).",
        ),
        option(
            "--as-of",
            callback=_parse_date,
            metavar="DATE",
            help="Judge dates against this day (YYYY-MM-DD) instead of today.",
        ),
        option("--no-color", is_flag=True, help="Never colour the output."),
        option("--quiet", "-q", is_flag=True, help="Print findings only, no summary."),
        option("--debug", is_flag=True, help="Show a traceback on internal errors."),
    ]
    for decorate in reversed(options):
        func = decorate(func)
    return func


class PathArgument(click.Path):
    """click.Path that refuses a NUL character with a usage error (click's own check would
    crash on it: the operating system cannot take such a path)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and "\x00" in value:
            self.fail(f"{value!r} contains a NUL character, which no path can hold", param, ctx)
        return super().convert(value, param, ctx)


# One instance of each kind of path for every option and argument that takes one: each click.Path
# made asks gettext for its name (about 0.2 M instructions a call, gettext looking for a
# catalogue every time), 36 of them at import before.
_PATH = PathArgument(path_type=Path)
_PATH_TEXT = PathArgument(path_type=str)
_FOLDER = PathArgument(path_type=Path, file_okay=False)
_FILE = PathArgument(path_type=Path, dir_okay=False)


cache_option = option(
    "--cache/--no-cache",
    "cache",
    default=None,
    help="Reuse and update .socialgov_cache/, or parse every file afresh (the results are the "
    "same). Default: the cache, except in CI (CI set) where no cache exists yet.",
)


def cache_for(root: Path | None, requested: bool | None) -> bool:
    """Whether this run uses the cache (socialgov.speedups.cache.cache_wanted), for the repository
    the command will find from ``root``."""
    from socialgov.config import resolve_root
    from socialgov.speedups.cache import cache_wanted

    return cache_wanted(resolve_root(root), requested, os.environ)


def load_settings(
    root: Path | None,
    config_path: Path | None,
    *,
    cache: bool = False,
    **overrides: Any,
) -> Any:
    """The configuration for this run: socialgov.yaml with the command line's overrides."""
    from socialgov.config import load_config, resolve_root

    resolved = resolve_root(root)
    valid = None
    if cache:
        from socialgov.speedups.cache import CachedConfigs

        valid = CachedConfigs()
    config = load_config(resolved, config_path, valid=valid)
    return config.with_overrides(**overrides)


def use_color(no_color: bool, output: Path | None) -> bool:
    if no_color or output is not None or "NO_COLOR" in os.environ:
        return False
    return sys.stdout is not None and sys.stdout.isatty()


def emit(
    text: str | Writing,
    output: Path | None,
    option: str = "--output",
    *,
    commands: bool = False,
    escaped: bool = False,
) -> None:
    """Write a report to stdout, or to ``output`` (socialgov.core.output.write_report), every line
    made safe for a CI log first (socialgov.core.output.plain) unless the report is ``commands``:
    workflow commands built by escaping every value (``--format github``), or ``escaped``: JSON
    whose every value its writer escaped and made ``json_safe``, where no line can be one.
    ``text`` may be written a piece at a time (socialgov.core.files.Writing), never held whole."""
    from socialgov.core.output import echo, plain, plain_writing, write_report

    if not (commands or escaped):
        text = plain(text) if isinstance(text, str) else plain_writing(text)
    if output is None:
        echo(text)
    else:
        write_report(text, output, option)


def emit_err(text: str) -> None:
    """What a command tells on standard error (skipped rows, warnings), made plain."""
    from socialgov.core.output import echo, plain

    echo(plain(text), err=True)


def say(text: str, *, err: bool = False) -> None:
    """A message of the command itself (not a report), as one safe line per line."""
    from socialgov.core.output import echo, plain

    echo(plain(text) + "\n", err=err)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    commands=Commands(),
)
@click.version_option(__version__, prog_name="socialgov")
def cli() -> None:
    """socialgov: social media governance as code.

    Keep your social presences, owners, policies and playbooks as YAML in git, and check them
    like a compiler checks code.
    """


class ReportFormat(click.ParamType):
    """``--format FORMAT`` or ``--format FORMAT:FILE``."""

    name = "format"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "FORMAT[:FILE]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from socialgov.reporters import ReportTarget, parse_target

        if isinstance(value, ReportTarget):
            return value
        try:
            return parse_target(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@command(cli, "lint")
@argument("paths", nargs=-1, type=_PATH_TEXT)
@repository_options
@option(
    "--format",
    "output_format",
    type=ReportFormat(),
    multiple=True,
    help=f"Report format: {', '.join(LINT_FORMATS)} (default: text). Repeat it for several "
    "reports in one run, each but one with its own file: --format text --format "
    "sarif:socialgov.sarif.",
)
@option(
    "--output",
    "-o",
    type=_PATH,
    help="Write the report (the --format given without a file) here instead of printing it.",
)
@option("--select", multiple=True, help="Rules to run: codes, prefixes (SG2), names, ALL.")
@option("--ignore", multiple=True, help="Rules to skip: codes, prefixes, names.")
@option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    help="Exit 1 when a finding reaches this severity (default: error).",
)
@option(
    "--show-suppressed",
    is_flag=True,
    help="Also show the findings waivers suppress, and waivers that suppress nothing.",
)
@option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule has (most first) instead of the findings.",
)
@option(
    "--baseline",
    type=_PATH,
    help="Report only findings not recorded in this baseline file (default: 'baseline' in "
    "socialgov.yaml).",
)
@option(
    "--write-baseline",
    type=_PATH,
    metavar="FILE",
    help="Record every current finding in FILE, so that later runs with --baseline FILE report "
    "only new ones.",
)
@option(
    "--new-since",
    metavar="REV",
    help="Report only findings that the repository did not have at git revision REV "
    "(a branch, tag or commit; for pull requests: --new-since origin/main).",
)
@cache_option
@option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes to use on a large repository (parsing and rules); more than 1 pays off "
    "only on an idle machine with that many cores.",
)
@option(
    "--watch",
    is_flag=True,
    help="Lint again whenever a file of the repository changes (Ctrl-C to stop).",
)
def lint(
    paths: tuple[str, ...],
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
    output_format: tuple[Any, ...],
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    show_suppressed: bool,
    statistics: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    new_since: str | None,
    cache: bool | None,
    jobs: int,
    watch: bool,
) -> int:
    """Check the policy repository; with PATHS, report only what those files touch."""
    if watch:
        if write_baseline is not None:
            raise click.UsageError("--watch lints again and again; drop --write-baseline")
        from socialgov.commands.watch import stamps
        from socialgov.commands.watch import watch as watching
        from socialgov.core.lifetime import goes_on
        from socialgov.speedups.replay import forget

        goes_on()
        forget()  # each run's output is one of many: never an answer to this command

        ctx = click.get_current_context()
        again = {**ctx.params, "watch": False}
        return watching(
            lambda: int(ctx.invoke(ctx.command, **again)),
            lambda: stamps(root, config_path),
            lambda line: say(line, err=True),
        )
    from socialgov.config import split_codes
    from socialgov.pipeline import lint_reported
    from socialgov.reporters import (
        asked_for,
        emits_commands,
        plan_targets,
        render_reports,
        wants_trails,
    )
    from socialgov.reporters.base import ReportOptions

    targets = plan_targets(output_format, output)
    use_cache = cache_for(root, cache)
    from socialgov.speedups.replay import recorder

    answer = recorder(  # a run whose output the next one may write again (__main__.py)
        use_cache
        and write_baseline is None
        and new_since is None
        and config_path is None
        and all(target.output is None for target in targets)
    )
    if write_baseline is not None and (paths or new_since or baseline):
        raise click.UsageError(
            "--write-baseline records every finding of the whole repository; "
            "drop PATHS, --new-since and --baseline"
        )
    config = load_settings(
        root,
        config_path,
        cache=use_cache,
        as_of=as_of,
        select=split_codes(select),
        ignore=split_codes(ignore),
        fail_on=fail_on,
        baseline=baseline,
    )
    if paths:  # before the work: a path outside the repository is an error (exit 2)
        from socialgov.report.finish import check_paths_inside

        check_paths_inside(config.root, paths)
    on_github = os.environ.get("GITHUB_ACTIONS") == "true"
    planned = [
        (
            target,
            ReportOptions(
                color=use_color(no_color, target.output),
                quiet=quiet,
                show_suppressed=show_suppressed,
                statistics=statistics,
                annotations=on_github and target.format == "text" and target.output is None,
            ),
        )
        for target in targets
    ]
    if write_baseline is not None:
        from socialgov.pipeline import record_baseline

        recorded = record_baseline(config, write_baseline)
        if not quiet:
            say(f"socialgov: recorded {recorded.baselined} findings in {write_baseline}", err=True)
        reports = render_reports(recorded, planned)
    else:
        asked = asked_for(planned, config.root)
        if asked is None:  # its reports carry the time: never written again
            answer = None
        confirmed: list[Any] = []
        reports = lint_reported(
            config,
            lambda result: render_reports(result, planned),
            asked,
            list(paths) if paths else None,
            new_since=new_since,
            cache=use_cache,
            trails=wants_trails(target.format for target in targets),
            jobs=jobs,
            confirmed=confirmed,
        )
    for report in reports.rendered:
        target = report.target
        where = "--output" if target.output == output else f"--format {target.format}:FILE"
        emit(report.text, target.output, where, commands=emits_commands(target.format))
        if report.annotations is not None:  # workflow commands, every value escaped
            emit(report.annotations, None, commands=True)
        for caveat in report.caveats:
            say(f"socialgov: warning: {caveat}", err=True)
    if answer is not None:
        answer.remember(config, root, paths, reports.exit_code, confirmed)
    return reports.exit_code


@command(cli, "audit")
@repository_options
@option(
    "--format",
    "output_format",
    type=click.Choice(AUDIT_FORMATS),
    help="Report format (default: from --output's suffix, .md .html .json .csv, else table).",
)
@option("--output", "-o", type=_PATH, help="Write the report here.")
@option(
    "--by",
    type=click.Choice(["team"]),
    help="Add a scorecard per unit (Team, rolled up its parents), worst first.",
)
@option(
    "--depth",
    type=click.IntRange(min=1),
    metavar="N",
    help="With --by team: list units down to level N (1: top units); deeper ones are rolled up.",
)
@option(
    "--history",
    is_flag=True,
    help="Add the indicators, score and stage at sampled commits of the git history.",
)
@option(
    "--since",
    metavar="DATE|REV_RANGE",
    help="With --history: commits from this date (YYYY-MM-DD) or in this range (v1..main).",
)
@option(
    "--every",
    type=click.Choice(["week", "month", "commit"]),
    help="With --history: one sample per week (default), per month, or every commit.",
)
@option(
    "--compare",
    metavar="REV",
    help="Report only what changed since git revision REV: indicators, findings, entities.",
)
@option(
    "--width",
    type=click.IntRange(min=40),
    metavar="COLUMNS",
    help="Table format: the longest line (default: the terminal's width, else 200).",
)
@cache_option
def audit(
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
    output_format: str | None,
    output: Path | None,
    by: str | None,
    depth: int | None,
    history: bool,
    since: str | None,
    every: str | None,
    compare: str | None,
    width: int | None,
    cache: bool | None,
) -> int:
    """Report on the whole inventory: coverage, gaps, who must act, and the maturity stage."""
    # the pipeline imported before the settings are read, as ``lint`` does: its modules laid
    # out after the settings' freed objects left the audit's lint 1-2 MB above lint's at its
    # peak (100,000 accounts)
    import socialgov.pipeline  # noqa: F401
    from socialgov.audit import run_audit
    from socialgov.audit.progress import Progress
    from socialgov.audit.renderers import (
        ESCAPED,
        SHOW_LINES,
        RenderOptions,
        format_for,
        renderer,
        writer,
    )

    if depth is not None and by is None:
        raise click.UsageError("--depth needs --by team")
    if (since or every) and not history:
        raise click.UsageError("--since and --every go with --history")
    if compare is not None and (history or by):
        raise click.UsageError("--compare reports the changes only; drop --history and --by")
    config = load_settings(root, config_path, as_of=as_of)
    chosen = format_for(output, output_format)
    options = RenderOptions(
        color=chosen == "table" and use_color(no_color, output),
        width=width or terminal_width(output),
    )
    if compare is not None:
        from socialgov.audit.compare import compare_with
        from socialgov.audit.renderers.comparison import comparison_renderer

        comparison = compare_with(config, compare, cache=cache_for(root, cache))
        emit(comparison_renderer(chosen)(comparison, options), output)
        return 0
    with Progress() as progress:
        report = run_audit(
            config,
            progress,
            cache=cache_for(root, cache),
            by=by,
            depth=depth,
            positions=chosen in SHOW_LINES,
        )
        if history:
            from dataclasses import replace

            from socialgov.audit.history import sample_history
            from socialgov.core.lifetime import goes_on

            goes_on()  # one evaluation per sampled commit: each freed as the next one comes
            # the samples' cache lives in a temporary folder for this run only: always worth it
            series = sample_history(
                config, since=since, every=every or "week", cache=cache is not False
            )
            report = replace(report, history=series)
    write = writer(chosen)
    if write is None:
        emit(renderer(chosen)(report, options), output, escaped=chosen in ESCAPED)
    else:
        emit(lambda put: write(report, options, put), output, escaped=chosen in ESCAPED)
    return 0


def terminal_width(output: Path | None) -> int:
    """The terminal's width when the report goes to one, else 200 characters (also when
    standard output is closed: writing the report then says so)."""
    if output is None and sys.stdout is not None and sys.stdout.isatty():
        import shutil

        return max(shutil.get_terminal_size().columns, 40)
    return 200


@command(cli, "schema")
@argument("kind", required=False)
@option(
    "--output",
    "-o",
    type=_FOLDER,
    help="Write every schema into this folder instead of printing.",
)
def schema(kind: str | None, output: Path | None) -> int:
    """Print the JSON Schema of KIND (or of a whole document), or write them all to a folder."""
    from socialgov.schema.validation import export_schemas, schema_text

    if output is not None:
        for path in export_schemas(output):
            say(f"wrote {path}")
        return 0
    emit(schema_text(kind), None)
    return 0


@command(cli, "test")
@repository_options
@option(
    "--format",
    "output_format",
    type=click.Choice(["text", "junit"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@option("--output", "-o", type=_PATH, help="Write the report here.")
def test_command(
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
    output_format: str,
    output: Path | None,
) -> int:
    """Run the tests of every Rule in the repository; exit 1 when one fails."""
    from socialgov.commands.ruletests import render_junit, render_text, run_tests

    report = run_tests(load_settings(root, config_path, as_of=as_of))
    text = render_junit(report) if output_format == "junit" else render_text(report, quiet=quiet)
    emit(text, output)
    return report.exit_code


def rule_catalogue(root: Path | None, config_path: Path | None, *, own: bool = True) -> Any:
    """Every rule a run in this repository knows: built-in, plugins', the rule packs' that
    socialgov.yaml extends and (with ``own``) the repository's own Rules. Outside a policy
    repository (and without --root), the built-in and plugins' rules."""
    from socialgov.config import find_root
    from socialgov.pipeline import available_rules, load_repository

    if root is None and config_path is None:
        try:
            find_root(Path.cwd())
        except SocialgovError:
            return available_rules()
    config = load_settings(root, config_path)
    if not own:
        return available_rules(config=config)
    return available_rules(load_repository(config, cache=True).model, config=config)


def catalogue_options(func: F) -> F:
    """--root and --config for the commands that list or explain rules."""
    func = option(
        "--config",
        "config_path",
        type=_PATH,
        help="The configuration file (default: ROOT/socialgov.yaml).",
    )(func)
    return option(
        "--root",
        type=_PATH,
        help="The policy repository whose own rules and rule packs to include (default: the "
        "nearest folder upward holding socialgov.yaml, if any).",
    )(func)


@command(cli, "rules")
@option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A table, or JSON with every rule's documentation.",
)
@catalogue_options
def rules_command(output_format: str, root: Path | None, config_path: Path | None) -> int:
    """List every rule: code, name, severity, family and summary; in a policy repository, its
    own Rules and those of the rule packs it extends too."""
    from socialgov.commands.explain import rules_json, rules_table

    rules = rule_catalogue(root, config_path)
    emit(rules_json(rules) if output_format == "json" else rules_table(rules), None)
    return 0


@command(cli, "explain")
@argument("rule")
@option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Plain text, JSON, or a Markdown section as in docs/rules.md (for a rule).",
)
@catalogue_options
@option(
    "--as-of",
    callback=_parse_date,
    metavar="DATE",
    help="For a finding: judge dates against this day (YYYY-MM-DD), as the lint that found it.",
)
def explain(
    rule: str,
    output_format: str,
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
) -> int:
    """Explain RULE (a code such as SG403, or a name such as cross-channel-inconsistency;
    a repository's own Rules and its rule packs' too), or a finding: its FINGERPRINT or
    PATH:LINE, with the chain of entities behind it."""
    from socialgov.report.chain import is_finding_selector

    if is_finding_selector(rule):
        return explain_finding(rule, output_format, root, config_path, as_of)
    from socialgov.commands.explain import explain as render
    from socialgov.commands.explain import find

    try:  # the rules that need no repository loaded first
        info = find(rule, rule_catalogue(root, config_path, own=False))
    except SocialgovError:
        info = find(rule, rule_catalogue(root, config_path))
    emit(render(info, output_format), None)
    return 0


def explain_finding(
    selector: str,
    output_format: str,
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
) -> int:
    """``explain FINGERPRINT|PATH:LINE``: lint, then show the findings it names with their
    chains."""
    from socialgov.commands.explain import explain_findings
    from socialgov.pipeline import lint as run_lint
    from socialgov.report.chain import select_findings, split_location
    from socialgov.report.finish import relative_paths

    config = load_settings(root, config_path, as_of=as_of)
    result = run_lint(config, trails=True)
    relpath = None
    if ":" in selector:
        path = split_location(selector)[0]
        inside = relative_paths(config.root, [path])
        relpath = next(iter(inside)) if inside else path.replace("\\", "/").removeprefix("./")
    found = select_findings([*result.findings, *result.suppressed], selector, relpath)
    if not found:
        what = "finding has fingerprint" if relpath is None else "finding is at"
        raise SocialgovError(
            f"no {what} {selector} (as of {config.as_of.isoformat()}); 'socialgov lint "
            "--format json' lists each finding's fingerprint, path and line"
        )
    fmt = "json" if output_format == "json" else "text"
    emit(explain_findings(found, result.trails, fmt), None)
    return 0


def _safe(message: str) -> str:
    """An error message, which may quote the repository, as one line safe for a terminal."""
    from socialgov.core.escape import one_line

    return one_line(message)


@command(cli, "fix")
@argument("paths", nargs=-1, type=_PATH_TEXT)
@repository_options
@option("--diff", is_flag=True, help="Show a unified diff of the fixes; write nothing.")
@option("--unsafe", is_flag=True, help="Also apply fixes that change meaning (review them).")
def fix(
    paths: tuple[str, ...],
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
    diff: bool,
    unsafe: bool,
) -> int:
    """Apply safe fixes to the repository (or PATHS), keeping comments, order and quoting."""
    from socialgov.writing.fix import fix_repository, render_result

    config = load_settings(root, config_path, as_of=as_of)
    if paths:  # a path outside the repository is an error, never "Nothing to fix"
        from socialgov.report.finish import check_paths_inside

        check_paths_inside(config.root, paths)
    result = fix_repository(config, list(paths) or None, unsafe=unsafe, diff=diff)
    out, err = render_result(result, diff=diff)
    emit(out, None)
    if not quiet or result.skipped:
        emit_err(err)
    return result.exit_code


@command(cli, "import", cls=click.Group)
def import_group() -> None:
    """Turn other inventories into socialgov YAML."""


@command(import_group, "csv")
@argument("file", type=_FILE)
@option(
    "--root",
    type=_FOLDER,
    help="Write a whole repository here: accounts/, people/, teams/ (and socialgov.yaml when "
    "missing).",
)
@option(
    "--out",
    type=_FOLDER,
    help="Write the Account YAML into this folder (with people.yaml and teams.yaml when the "
    "sheet names people or teams the repository above does not know).",
)
@option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read COLUMN as FIELD (an Account field, owner.email, backup_owner.email, "
    "owner.employment, labels.NAME, or ignore); repeatable.",
)
@option(
    "--date-format",
    metavar="d/m/Y|m/d/Y",
    help="How to read dates such as 03/04/2026 when a column never says (no day over 12).",
)
@option(
    "--split",
    type=click.Choice(["team"]),
    help="Write one accounts file per team instead of one accounts.yaml.",
)
@option(
    "--update",
    is_flag=True,
    help="Re-import into the files an earlier import wrote, "
    "changing them in place (comments kept), and say what changed.",
)
@option("--force", is_flag=True, help="Overwrite files that already exist.")
@option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def import_csv(
    file: Path,
    root: Path | None,
    out: Path | None,
    mapping: tuple[str, ...],
    date_format: str | None,
    split: str | None,
    update: bool,
    force: bool,
    debug: bool,
) -> int:
    """Turn an account spreadsheet (CSV) into a policy repository: every row becomes an
    Account, owners and departments become people and teams. Exit 1 when a cell or row needs
    a person's attention (the report says which)."""
    from socialgov.writing.importer import import_csv as run_import
    from socialgov.writing.importer import render_result

    if (root is None) == (out is None):
        raise click.UsageError("give --root DIR (a whole repository) or --out DIR (accounts only)")
    if update and force:
        raise click.UsageError("--update edits the files in place; --force replaces them: give one")
    result = run_import(
        file,
        out,
        mapping,
        root=root,
        split=split,
        force=force,
        update=update,
        date_format=date_format,
    )
    stdout, stderr = render_result(result)
    emit(stdout, None)
    emit_err(stderr)
    return result.exit_code


@command(import_group, "people")
@argument("file", type=PathArgument(path_type=Path, dir_okay=False, exists=True))
@repository_options
@option(
    "--update",
    is_flag=True,
    help="Change the Person entities in place (comments and layout kept) and add new people; "
    "without it, only show what would change.",
)
@option(
    "--source",
    metavar="TEXT",
    help="What to record in each changed person's source (default: the export's kind, file "
    "name and the as-of date).",
)
@option(
    "--employment",
    type=click.Choice(["full_time", "part_time", "contractor", "agency", "intern", "volunteer"]),
    default="full_time",
    show_default=True,
    help="The employment of new people whose export says none.",
)
@option(
    "--people",
    "people_file",
    metavar="PATH",
    help="The file (relative to the root) new people are added to (default: the file with "
    "the most people, else people/people.yaml).",
)
@option(
    "--teams/--no-teams",
    "add_teams",
    default=True,
    show_default=True,
    help="Add a Team for each department that names none (to the file with the most teams, "
    "else teams/teams.yaml); with --no-teams such departments are only reported.",
)
def import_people(
    file: Path,
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
    update: bool,
    source: str | None,
    employment: str,
    people_file: str | None,
    add_teams: bool,
) -> int:
    """Sync the people with an HR export (CSV) or an identity provider's SCIM 2.0 export (JSON):
    leavers become departed (departed_on: the export's date, else as-of), new people are added,
    departments become Teams, nobody is deleted."""
    from socialgov.writing.people import import_people as run_import

    config = load_settings(root, config_path, as_of=as_of)
    code, out, err = run_import(
        config,
        file,
        update=update,
        source=source,
        employment=employment,
        target=people_file,
        add_teams=add_teams,
    )
    if not quiet or code:
        emit(out, None)
    emit_err(err)
    return code


@command(cli, "discover")
@repository_options
@option(
    "--site",
    "sites",
    multiple=True,
    metavar="URL|DIR",
    help="Crawl this web site (same host only, robots.txt honoured), or read the saved HTML "
    "pages in this folder; repeatable.",
)
@option(
    "--feed",
    "feeds",
    multiple=True,
    type=_FILE,
    help="Read a discovery export (CSV: platform and handle, or url; first/last seen); repeatable.",
)
@option(
    "--output",
    "-o",
    type=_FILE,
    help="Where new sightings are added (default: ROOT/sightings/discovered.yaml); known "
    "sightings are updated where they are.",
)
@option("--max-pages", default=500, show_default=True, type=click.IntRange(1, 100_000))
@option(
    "--max-depth",
    default=10,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Links to follow from the first page.",
)
@option(
    "--time-limit",
    default=300.0,
    show_default=True,
    type=click.FloatRange(0.1, 86_400),
    help="Seconds for the whole crawl.",
)
@option(
    "--delay",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 60),
    help="Seconds between requests (robots.txt's Crawl-delay wins when longer).",
)
@option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 600),
    help="Seconds one request may take to answer.",
)
@option(
    "--max-page-size",
    default=5_000_000,
    show_default=True,
    type=click.IntRange(1_000, 1_000_000_000),
    metavar="BYTES",
    help="Bytes read of any one page; the rest of a larger page is not read.",
)
@option("--diff", is_flag=True, help="Show what would change in the YAML; write nothing.")
def discover(
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
    sites: tuple[str, ...],
    feeds: tuple[Path, ...],
    output: Path | None,
    max_pages: int,
    max_depth: int,
    time_limit: float,
    delay: float,
    timeout: float,
    max_page_size: int,
    diff: bool,
) -> int:
    """Find social presences that claim to be you (links on your own site, discovery feeds) and
    merge them into the repository's sightings: last_seen moves, new ones are added, what a
    person wrote is never changed."""
    from socialgov.commands.discover import CrawlLimits, discover_all, render_result

    if not sites and not feeds:
        raise click.UsageError("give --site URL|DIR or --feed FILE (or both)")
    config = load_settings(root, config_path, as_of=as_of)
    limits = CrawlLimits(
        max_pages=max_pages,
        max_depth=max_depth,
        time_limit=time_limit,
        delay=delay,
        timeout=timeout,
        max_bytes=max_page_size,
    )
    target = output if output is not None else config.root / "sightings" / "discovered.yaml"
    discoveries, merged = discover_all(config, sites, feeds, limits, target, diff=diff)
    out, err = render_result(discoveries, merged, diff=diff, quiet=quiet)
    emit(out, None)
    emit_err(err)
    return 0


@command(cli, "directory")
@repository_options
@option(
    "--output",
    "-o",
    required=True,
    type=_FOLDER,
    help="The folder to write the directory into (created when missing).",
)
def directory_command(
    root: Path | None,
    config_path: Path | None,
    as_of: dt.date | None,
    no_color: bool,
    quiet: bool,
    debug: bool,
    output: Path,
) -> int:
    """Publish the directory of official presences: index.html, a page per team and
    accounts.json, with public fields only; retired accounts listed as closed."""
    from socialgov.commands.directory import make_directory
    from socialgov.core.escape import one_line

    config = load_settings(root, config_path, as_of=as_of)
    directory, written = make_directory(config, output)
    if not quiet:
        click.echo(
            f"wrote {one_line(str(output))}: {len(directory.official)} official and "
            f"{len(directory.closed)} closed account(s), {len(written.files)} file(s)"
            + (f", {len(written.removed)} old team page(s) removed" if written.removed else "")
        )
    return 0


@command(cli, "init")
@argument("directory", required=False, default=".", type=_PATH)
@option("--force", is_flag=True, help="Overwrite files that already exist.")
@option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def init(directory: Path, force: bool, debug: bool) -> int:
    """Create a policy repository in DIRECTORY (default: here) from the starter pack."""
    from socialgov.writing.scaffold import init_repository, render_result

    emit(render_result(init_repository(directory, force=force)), None)
    return 0


@command(cli, "server")
@option(
    "--root",
    type=_PATH,
    help="The policy repository (default: the nearest folder holding socialgov.yaml from the "
    "editor's workspace folder upward).",
)
@option(
    "--config",
    "config_path",
    type=_PATH,
    help="The configuration file (default: ROOT/socialgov.yaml).",
)
@option(
    "--as-of",
    callback=_parse_date,
    metavar="DATE",
    help="Judge dates against this day (YYYY-MM-DD) instead of today.",
)
@option("--stdio", is_flag=True, help="Talk over standard input and output (the default).")
@option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def server(
    root: Path | None, config_path: Path | None, as_of: dt.date | None, stdio: bool, debug: bool
) -> int:
    """Run the language server (LSP over stdio) for editors: diagnostics as you type, hover,
    go to definition, completion and code actions. See docs/editors.md."""
    from socialgov.config import resolve_root

    if root is not None:
        root = resolve_root(root)  # a bad --root is a usage error now, not a silent editor
    if config_path is not None and not config_path.is_file():
        raise SocialgovError(f"--config {config_path}: no such file")
    from socialgov.commands.server import serve
    from socialgov.core.lifetime import goes_on

    goes_on()  # it lints again on every edit
    serve(root, config_path, as_of)
    return 0


def run() -> NoReturn:
    """The ``socialgov`` command (and ``python -m socialgov``): :func:`main`, then exit at once.

    The output is flushed, then the process ends without the interpreter's teardown, which
    would free a large repository's millions of objects one by one to no end (0.35 s after a
    100,000-account lint; mypy exits the same way). Nothing is left unwritten: reports and
    fixed files are written and closed before main returns.
    """
    from socialgov.core.lifetime import ends_after_command
    from socialgov.core.output import flush_streams
    from socialgov.speedups.classcode import save as save_class_code
    from socialgov.speedups.regexcode import save as save_patterns

    ends_after_command()
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C outside the command itself (click reports it inside)
        code = 2
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write("\nsocialgov: aborted\n")
    flush_streams()  # a reader gone, a closed or full stream: nothing left to tell
    save_class_code()  # what atexit would have stored (speedups/classcode.py)
    save_patterns()  # and speedups/regexcode.py
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code instead of raising, as pre-commit's tools do.

    Python's cyclic garbage collector is paused for the command: a command runs once and its
    process ends, and each full collection would walk the repository's millions of objects
    again to free nothing (0.4 s of a 100,000-account lint). Reference counting still frees
    what is dropped.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    selectors = sys.modules.get("socialgov.lang.selectors")
    if selectors is not None:  # each command is one run, with its own matching budget
        selectors.reset_match_budget()
    try:
        result = cli.main(args=args, prog_name="socialgov", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        say("socialgov: aborted", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except SocialgovError as exc:
        if debug:
            raise
        say(f"socialgov: error: {_safe(str(exc))}", err=True)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the promise: no traceback without --debug
        if debug:
            raise
        say(
            f"socialgov: internal error: {type(exc).__name__}: {_safe(str(exc))}\n"
            "This is a bug in socialgov; rerun with --debug and report the traceback.",
            err=True,
        )
        return 2
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    run()
