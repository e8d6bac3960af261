"""Shared fixtures: small policy repositories written into temporary folders."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from hypothesis import settings

from socialgov.config import Config, load_config
from socialgov.core.findings import Finding
from socialgov.model import Model
from socialgov.pipeline import lint, lint_model
from socialgov.report.result import LintResult

if TYPE_CHECKING:
    from socialgov.audit.report import AuditReport

# On a CI runner (CI set, as .ci/run and every hosted runner do) the property tests draw the
# same examples on every run, so that a run never fails by the luck of its draw and a failure
# there is reproduced by running again; on a developer's machine they draw new examples each
# run, which is how they find what nobody thought of (a fast-path divergence was found so).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

AS_OF = dt.date(2026, 11, 24)
PROJECT = Path(__file__).resolve().parent.parent
ACME = PROJECT / "examples" / "acme"

MakeRepo = Callable[..., Path]


@pytest.fixture(autouse=True)
def not_on_a_ci_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the environment of a developer's machine, wherever the suite runs: .ci/run
    runs with CI=true, which changes defaults (the cache); the tests of that set it themselves."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """Write ``{relative path: YAML text}`` (dedented) plus a socialgov.yaml; return the root."""

    def make(files: dict[str, str], config: str = "organisation: Test\n") -> Path:
        root = tmp_path / "repo"
        root.mkdir(exist_ok=True)
        (root / "socialgov.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
        for relpath, text in files.items():
            path = root / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


def run_lint(
    root: Path, *, as_of: dt.date = AS_OF, trails: bool = False, **overrides: object
) -> LintResult:
    """Lint ``root`` as the command line would, judged on ``as_of`` (with ``trails``: where
    related entities are written, as SARIF needs)."""
    config: Config = load_config(root).with_overrides(as_of=as_of, **overrides)
    return lint(config, trails=trails)


def lint_and_model(
    root: Path, *, as_of: dt.date = AS_OF, **overrides: object
) -> tuple[LintResult, Model]:
    """As :func:`run_lint`, with the model the run built (socialgov.pipeline.lint_model)."""
    config: Config = load_config(root).with_overrides(as_of=as_of, **overrides)
    return lint_model(config)


def codes(result: LintResult) -> list[str]:
    return [f.code for f in result.findings]


def found(result: LintResult, code: str) -> list[Finding]:
    """The reported findings of one rule, in report order."""
    return [f for f in result.findings if f.code == code]


DATA = PROJECT / "tests" / "data"
STANDARDS = DATA / "standards"
"""The consumers' own schemas and notes (SARIF, JUnit, Checkstyle, GitLab, GitHub workflow commands,
pre-commit), copied from the project's shared/standards/ so the suite runs from a fresh clone."""

REALDATA = DATA / "realdata"
"""Real public inventories nobody on the project wrote (sources and licences in its README.md)."""

TRICKY = "Quote \" apostrophe ' <tag> & amp, comma: colon 100% café ✓\nsecond line"
"""Text that every report format must carry safely: XML and JSON specials, workflow-command
separators, percent signs, a newline and non-ASCII."""


@pytest.fixture(scope="session")
def standards() -> Path:
    """tests/data/standards/; its absence fails the test loudly rather than skipping it."""
    if not (STANDARDS / "sarif" / "sarif-schema-2.1.0.json").is_file():
        pytest.fail(f"the consumers' schemas are missing: expected them in {STANDARDS}")
    return STANDARDS


@pytest.fixture(scope="session")
def realdata() -> Path:
    """tests/data/realdata/ (real public inventories); its absence fails the test loudly."""
    if not (REALDATA / "README.md").is_file():
        pytest.fail(f"the real inventories are missing: expected them in {REALDATA}")
    return REALDATA


BROWSERS = ("chromium", "chromium-browser", "google-chrome")
REQUIRE_BROWSER = "SOCIALGOV_REQUIRE_BROWSER"
"""Set (to 1) by .ci/run: there a missing browser fails the browser tests instead of skipping them."""


REQUIRE_TOOLS = "SOCIALGOV_REQUIRE_TOOLS"
"""Set (to 1) by .ci/run, which installs every outside tool the tests use (Chromium, actionlint):
there a missing tool fails its tests instead of skipping them."""


def require_tool(name: str, advice: str) -> NoReturn:
    """Skip the calling test, with how to install ``name``, where the tool is missing; fail it
    under .ci/run (SOCIALGOV_REQUIRE_TOOLS, or SOCIALGOV_REQUIRE_BROWSER for the browser)."""
    if os.environ.get(REQUIRE_TOOLS) or (name == "Chromium" and os.environ.get(REQUIRE_BROWSER)):
        pytest.fail(f"{name} is not installed and .ci/run requires it: {advice}.")
    pytest.skip(f"{name} is not installed, so this check cannot run here: {advice}.")


def find_browser() -> str:
    """The headless browser that renders HTML reports in the tests.

    Where Chromium is not installed (a developer's fresh clone), the browser tests are skipped with
    a plain reason; .ci/run installs Chromium and sets SOCIALGOV_REQUIRE_BROWSER, so in CI a
    missing browser fails them and no HTML page goes unchecked.
    """
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    require_tool("Chromium", "apt-get install -y chromium (.ci/run does this)")


@pytest.fixture
def tricky_repo(tmp_path: Path) -> Path:
    """A policy repository, in the ``policy`` folder of a git checkout, whose findings have
    every severity and messages, paths and waiver reasons full of special characters.

    SG101 (schema violations) stays an error; SG104 (unknown reference) is made a warning and
    SG102 (duplicate key) info by socialgov.yaml; SG100, SG105, a waived SG101 and an unused
    waiver (SG106 info) complete it. Only the SG1 rules run, so that rules added later do not
    change what the report tests count.
    """
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    root = checkout / "policy"
    files = {
        "socialgov.yaml": "organisation: Test\nselect: [SG1]\nseverity: {SG104: warning, "
        "unknown-document: info, SG102: info}\n",
        "people/people.yaml": """\
            people:
              - id: jdoe
                employment: full_time
                waivers:
                  - rule: SG103
                    reason: Merging the two jdoe records
            """,
        'accounts/café, "x": 100% <&>.yaml': """\
            kind: Account
            id: acme-x
            platform: x
            owner: "jdo<e>&q,:%é"
            backup_owner: jdoee
            """,
        "accounts/weird.yaml": """\
            kind: "Acc<o>unt & \\"co\\",\\nnext: 100%é"
            id: w1
            ---
            kind: Account
            id: acme-li
            platform: linkedin
            owner: jdoe
            "k\\n<&>\\"%,:é": 1
            "k\\n<&>\\"%,:é": 2
            waivers:
              - rule: SG101
                reason: "Legacy <import> & \\"cleanup\\",\\nsecond line: 100% é"
            """,
        "accounts/broken.yaml": "kind: Account\nid: [unclosed\n",
    }
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def cli_env() -> dict[str, str]:
    """The environment for running ``[sys.executable, "-m", "socialgov", ...]`` on this tree."""
    return {**os.environ, "PYTHONPATH": str(PROJECT / "src")}


class TimeLimitExceeded(BaseException):
    """A test took longer than its time limit: a hang, turned into a failure (a BaseException,
    so that code which catches every Exception cannot swallow it)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if sys.platform == "win32":  # pragma: no cover - no SIGALRM
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(f"still running after {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def time_limit() -> Callable[[float], AbstractContextManager[None]]:
    """``with time_limit(10): ...`` fails the test instead of hanging CI when code never ends."""
    return _time_limit


Git = Callable[..., str]


@pytest.fixture
def git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Git:
    """Run git in a folder with a known identity and no user or system configuration, never
    finding a repository above ``tmp_path``: ``git("commit", "-m", "x", cwd=repo)``."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n", "utf-8")
    for name, value in {
        "GIT_CONFIG_GLOBAL": str(config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CEILING_DIRECTORIES": str(tmp_path),
    }.items():
        monkeypatch.setenv(name, value)

    def run(*args: str, cwd: Path) -> str:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
        return done.stdout

    return run


def run_audit(
    root: Path,
    *,
    as_of: dt.date = AS_OF,
    by: str | None = None,
    depth: int | None = None,
    **overrides: object,
) -> AuditReport:
    """The audit report of ``root``, as ``socialgov audit`` computes it, judged on ``as_of``
    (``by`` and ``depth`` as ``--by`` and ``--depth`` give them)."""
    from socialgov.audit import run_audit as audit

    config: Config = load_config(root).with_overrides(as_of=as_of, **overrides)
    return audit(config, by=by, depth=depth)


def _libyaml_stops_flow_nesting_at() -> int | None:
    """libyaml 0.2.6 (PyYAML 6.0.4 wheels) refuses flow collections nested 1,000 deep before it
    hands over any event; older versions nest as deep as memory allows. Returns the depth at
    which the parser itself stops, or None."""
    import yaml

    try:
        parser = yaml._yaml.CParser("[" * 2000)  # type: ignore[attr-defined]
        parser.get_event()
        parser.get_event()
    except yaml.YAMLError as error:
        if "maximum nesting depth" in str(error):
            return error.problem_mark.column  # type: ignore[attr-defined,no-any-return]
    except AttributeError:  # no libyaml at all
        return None
    return None


LIBYAML_FLOW_LIMIT = _libyaml_stops_flow_nesting_at()


def flow_depth_column(our_column: int, chars_per_level: int) -> int:
    """Where a line of nested flow lists is reported: at socialgov's own depth limit, or where
    libyaml stopped when it refuses first (see LIBYAML_FLOW_LIMIT). Flow mappings are not
    affected: libyaml hands over their events as it goes, so socialgov's limit comes first."""
    if LIBYAML_FLOW_LIMIT is None:
        return our_column
    return LIBYAML_FLOW_LIMIT * chars_per_level + 1


DenyReads = Callable[[Callable[[str], bool]], None]


@pytest.fixture
def deny_reads(monkeypatch: pytest.MonkeyPatch) -> DenyReads:
    """``deny_reads(lambda path: ...)``: opening a matching path fails with "Permission denied",
    as chmod 000 makes it for a normal user (tests may run as root, where it does not)."""
    real_open = os.open

    def install(matches: Callable[[str], bool]) -> None:
        def deny(path: object, *args: object, **kwargs: object) -> int:
            if matches(str(path)):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", deny)

    return install
