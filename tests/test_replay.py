"""An unchanged lint answered before the command line is imported (socialgov.speedups.replay).

Every run here is a fresh ``python -m socialgov`` (through runpy, as ``-m`` runs it) with the
user's cache folder in the test's folder, and a spy that logs which modules the run looks for:
a run answered from the store never looks for click. Each part of what an answer depends on is
changed in turn: the next run must not be answered, and must write what a run without the
cache writes, byte for byte. Stamps are trusted at once (``RACY_NS`` 0) except where the test
is about files changed too recently to trust."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ACME, AS_OF, PROJECT
from socialgov.config import CACHE_DIR

pytestmark = pytest.mark.slow

_RUN = """
import runpy, sys
LOG = {log!r}
class Spy:
    def find_spec(self, name, path=None, target=None):
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(name + "\\n")
        return None
import socialgov.speedups.replay as replay
if {settled!r}:
    replay.RACY_NS = 0  # every stamp as if written long before
{before}
sys.meta_path.insert(0, Spy())
runpy.run_module("socialgov", run_name="__main__", alter_sys=True)
"""


_AS_MODULE = 'runpy.run_module("socialgov", run_name="__main__", alter_sys=True)'
_AS_COMMAND = "from socialgov.__main__ import console\nconsole()"


@dataclass
class Ran:
    code: int
    out: bytes
    err: bytes
    looked_for: list[str]

    @property
    def answered(self) -> bool:
        """Whether the stored answer was written (the command line was never imported)."""
        return "click" not in self.looked_for and "socialgov.cli" not in self.looked_for


@dataclass
class Runner:
    home: Path
    log: Path
    python: str = sys.executable
    src: Path = PROJECT / "src"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("CI", "GITHUB_ACTIONS", "NO_COLOR", "COLUMNS")
        }
        env.update(XDG_CACHE_HOME=str(self.home), PYTHONPATH=str(self.src), **extra)
        return env

    def __call__(
        self,
        cwd: Path,
        *args: str,
        settled: bool = True,
        before: str = "",
        env: dict[str, str] | None = None,
        timeout: float = 120,
        script: Path | None = None,
    ) -> Ran:
        """Run ``python -m socialgov ARGS`` in ``cwd``; with ``script``, that file as the
        ``socialgov`` command's script (socialgov.__main__:console, pyproject.toml's entry)."""
        self.log.write_text("", encoding="utf-8")
        code = _RUN.format(log=str(self.log), settled=settled, before=before)
        command = [self.python, "-c", code, *args]
        if script is not None:
            script.write_text(code.replace(_AS_MODULE, _AS_COMMAND), encoding="utf-8")
            command = [self.python, str(script), *args]
        done = subprocess.run(
            command,
            cwd=cwd,
            env=env or self.env(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        looked_for = self.log.read_text(encoding="utf-8").split()
        return Ran(done.returncode, done.stdout, done.stderr, looked_for)


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    return root


@pytest.fixture
def run(tmp_path: Path) -> Runner:
    return Runner(tmp_path / "home", tmp_path / "looked-for.log")


LINT = ("lint", "--as-of", AS_OF.isoformat())
PATHS = (*LINT, "accounts/retail.yaml")


def _same(got: Ran, want: Ran) -> None:
    assert (got.code, got.out, got.err) == (want.code, want.out, want.err)


def _answered_again(run: Runner, cwd: Path, *args: str, before: str = "") -> Ran:
    """Run until a run stores the answer (a run that made the cache folder changed the root's
    stamp: it stores none), then once more; that run is returned after checking that it was
    answered and wrote what the first run wrote."""
    first = run(cwd, *args, before=before)
    second = run(cwd, *args, before=before)
    if not second.answered:
        _same(second, first)
        second = run(cwd, *args, before=before)
    assert second.answered, second.err
    _same(second, first)
    return second


def _not_answered(run: Runner, cwd: Path, *args: str, **kwargs: object) -> None:
    """The run is not answered from the store, and writes what a run without the cache does."""
    got = run(cwd, *args, **kwargs)  # type: ignore[arg-type]
    assert not got.answered
    _same(got, run(cwd, *args, "--no-cache", **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize("args", [LINT, PATHS, (*LINT, "--format", "json"), (*LINT, "--quiet")])
def test_an_unchanged_lint_is_answered_byte_for_byte(
    run: Runner, acme: Path, args: tuple[str, ...]
) -> None:
    answered = _answered_again(run, acme, *args)
    assert answered.code == 1 and answered.out  # acme has errors
    _same(answered, run(acme, *args, "--no-cache"))
    looked_for = set(answered.looked_for)
    assert not {name for name in looked_for if name.startswith("socialgov.rules")}
    assert not looked_for & {"click", "socialgov.cli", "pickle", "pathlib", "yaml"}


def test_an_answer_keeps_its_exit_code_and_standard_error(run: Runner, acme: Path) -> None:
    passing = _answered_again(run, acme, *LINT, "--fail-on", "never")
    assert passing.code == 0
    (acme / "people" / "broken.yaml").write_text("people: [\n", encoding="utf-8")
    answered = _answered_again(run, acme, *LINT, "--statistics")
    assert answered.code == 1


def test_an_edited_file_is_not_answered(run: Runner, acme: Path) -> None:
    _answered_again(run, acme, *LINT)
    path = acme / "accounts" / "retail.yaml"
    text = path.read_text(encoding="utf-8")
    info = path.stat()
    path.write_text(text.replace("retail", "retaiL", 1), encoding="utf-8")  # the same size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # and time: the change time tells
    _not_answered(run, acme, *LINT)


@pytest.mark.parametrize("where", ["accounts", "rules", "."])
def test_a_file_added_or_removed_is_not_answered(run: Runner, acme: Path, where: str) -> None:
    _answered_again(run, acme, *PATHS)
    added = acme / where / "extra.yaml"
    added.write_text("kind: Team\nid: extra\nname: Extra\n", encoding="utf-8")
    _not_answered(run, acme, *PATHS)
    _answered_again(run, acme, *PATHS)
    added.unlink()
    _not_answered(run, acme, *PATHS)


def test_an_empty_folder_filled_is_not_answered(run: Runner, acme: Path) -> None:
    (acme / "later").mkdir()
    _answered_again(run, acme, *LINT)
    (acme / "later" / "team.yaml").write_text("kind: Team\nid: t2\nlaed: x\n", encoding="utf-8")
    _not_answered(run, acme, *LINT)


def test_the_configuration_edited_is_not_answered(run: Runner, acme: Path) -> None:
    _answered_again(run, acme, *LINT)
    config = acme / "socialgov.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "ignore: [SG2]\n", encoding="utf-8")
    _not_answered(run, acme, *LINT)


def test_other_arguments_another_folder_or_environment_are_not_answered(
    run: Runner, acme: Path, tmp_path: Path
) -> None:
    _answered_again(run, acme, *LINT)
    _not_answered(run, acme, *LINT, "--select", "SG1")
    _not_answered(run, tmp_path, *LINT, "--root", str(acme))
    _not_answered(run, acme / "accounts", *LINT)  # the root found upward
    github = run.env(GITHUB_ACTIONS="true")  # annotations
    got = run(acme, *LINT, env=github)
    assert not got.answered
    _same(got, run(acme, *LINT, "--no-cache", env=github))


def test_a_configuration_put_where_the_search_upward_looks_is_not_answered(
    run: Runner, acme: Path
) -> None:
    """A hidden folder is never walked; run from it, the search upward for socialgov.yaml
    probes it first, and the answer holds that probe."""
    hidden = acme / ".hidden"
    hidden.mkdir()
    _answered_again(run, hidden, *LINT)
    (hidden / "socialgov.yaml").write_text("organisation: Other\n", encoding="utf-8")
    _not_answered(run, hidden, *LINT)


def test_another_day_is_not_answered(run: Runner, acme: Path, tmp_path: Path) -> None:
    """The same program each run (its text is in the key: ``sys.orig_argv``), which moves the
    clock a year on once the file it runs says so."""
    switch = tmp_path / "switch.py"
    switch.write_text("", encoding="utf-8")
    before = f"exec(open({str(switch)!r}).read())"
    _answered_again(run, acme, *LINT, before=before)
    switch.write_text(
        "import time\n"
        "now = time.localtime()\n"
        "time.localtime = lambda *a: time.struct_time((now[0] + 1, *now[1:]))\n",
        encoding="utf-8",
    )
    got = run(acme, *LINT, before=before)
    assert not got.answered
    _same(got, run(acme, *LINT, "--no-cache"))


def test_another_interpreter_is_not_answered(run: Runner, acme: Path, tmp_path: Path) -> None:
    _answered_again(run, acme, *LINT)
    other = tmp_path / "bin" / "python3"
    other.parent.mkdir()
    other.symlink_to(sys.executable)
    run.python = str(other)
    _not_answered(run, acme, *LINT)


def test_socialgov_edited_or_a_distribution_installed_is_not_answered(
    run: Runner, acme: Path, tmp_path: Path
) -> None:
    run.src = tmp_path / "checkout" / "src"
    shutil.copytree(
        PROJECT / "src" / "socialgov",
        run.src / "socialgov",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for data in ("schemas", "rules", "policies"):  # a source checkout's data, beside src/
        shutil.copytree(PROJECT / data, run.src.parent / data)
    _answered_again(run, acme, *LINT)
    module = run.src / "socialgov" / "reporters" / "text.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _not_answered(run, acme, *LINT)
    _answered_again(run, acme, *LINT)
    (run.src / "someplugin-1.0.dist-info").mkdir()  # on sys.path: the folder changed
    _not_answered(run, acme, *LINT)


def test_files_changed_just_before_the_run_are_not_trusted(run: Runner, acme: Path) -> None:
    """Copied a moment ago, every file may change again within its time stamp's tick: no
    answer is stored, and every run runs."""
    for _ in range(2):
        got = run(acme, *LINT, settled=False)
        assert not got.answered
    _same(got, run(acme, *LINT, "--no-cache"))


def test_only_runs_that_write_nothing_else_are_answered(
    run: Runner, acme: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.txt"
    for args in (
        ("-o", str(report)),
        ("--format", f"json:{report}"),
        ("--write-baseline", str(tmp_path / "baseline.json")),
        ("--config", str(acme / "socialgov.yaml")),
        ("--no-cache",),
    ):
        for _ in range(2):
            assert not run(acme, *LINT, *args).answered, args
    for _ in range(2):
        assert not run(acme, "schema").answered


def test_an_entry_not_signed_by_this_machine_is_not_answered(run: Runner, acme: Path) -> None:
    _answered_again(run, acme, *LINT)
    (entry,) = [
        path for path in (run.home / "socialgov" / "answers").iterdir() if len(path.name) == 64
    ]
    data = bytearray(entry.read_bytes())
    data[-1] ^= 1
    entry.write_bytes(bytes(data))
    _not_answered(run, acme, *LINT)
    (run.home / "socialgov" / "cache.key").write_bytes(b"k" * 32)  # another key
    _not_answered(run, acme, *LINT)


def test_a_repository_holding_a_link_is_never_answered(run: Runner, acme: Path) -> None:
    (acme / "linked.yaml").symlink_to(acme / "teams" / os.listdir(acme / "teams")[0])
    for _ in range(2):
        assert not run(acme, *LINT).answered


def test_a_terminal_is_not_answered_as_a_pipe(run: Runner, acme: Path) -> None:
    import pty

    _answered_again(run, acme, *LINT)
    primary, secondary = pty.openpty()
    try:
        run.log.write_text("", encoding="utf-8")
        code = _RUN.format(log=str(run.log), settled=True, before="")
        done = subprocess.run(
            [run.python, "-c", code, *LINT],
            cwd=acme,
            env=run.env(),
            stdout=secondary,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert done.returncode == 1
    assert "click" in run.log.read_text(encoding="utf-8").split()


def test_a_configuration_that_extends_another_is_never_answered(
    run: Runner, acme: Path, tmp_path: Path
) -> None:
    """The configuration it extends may live outside the repository, which is not walked."""
    shared = tmp_path / "shared.yaml"
    shared.write_text("fail_on: error\n", encoding="utf-8")
    config = acme / "socialgov.yaml"
    config.write_text(f"extends: [{shared}]\n" + config.read_text("utf-8"), encoding="utf-8")
    for _ in range(2):
        assert not run(acme, *LINT).answered
    shared.write_text("fail_on: never\n", encoding="utf-8")
    _not_answered(run, acme, *LINT)


def _racy_after(cutoff: int) -> str:
    """Code for the run's ``before``: stamps changed after ``cutoff`` (nanoseconds since the
    epoch) are too recent to trust, those before it settled."""
    return f"import time\nreplay.RACY_NS = time.time_ns() - {cutoff}"


@pytest.mark.parametrize("args", [LINT, PATHS])
def test_a_linted_file_changed_just_before_is_answered_by_its_contents(
    run: Runner, acme: Path, args: tuple[str, ...]
) -> None:
    """The PATHS file a hook's run restores a moment before: its stamp cannot tell a change
    made in the same clock tick, so the answer holds the SHA-256 the run read instead, and
    every check reads and hashes it again."""
    _answered_again(run, acme, *args)  # the cache made, every stamp settled
    cutoff = time.time_ns()
    time.sleep(0.05)
    target = acme / "accounts" / "retail.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text, encoding="utf-8")  # restored: the same bytes, a new stamp
    recent = _racy_after(cutoff)
    first = run(acme, *args, before=recent)
    assert not first.answered  # the stamp changed: the command line runs, and stores
    second = run(acme, *args, before=recent)
    assert second.answered
    _same(second, first)
    info = target.stat()
    target.write_text(text.replace("retail", "retaiL", 1), encoding="utf-8")
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    _not_answered(run, acme, *args, before=recent)


def test_a_file_not_linted_changed_just_before_stores_no_answer(run: Runner, acme: Path) -> None:
    _answered_again(run, acme, *LINT)
    cutoff = time.time_ns()
    time.sleep(0.05)
    readme = acme / "README.md"  # walked, not linted: the run did not hash it
    readme.write_text(readme.read_text(encoding="utf-8"), encoding="utf-8")
    recent = _racy_after(cutoff)
    for _ in range(2):
        assert not run(acme, *LINT, before=recent).answered


def test_a_folder_changed_just_before_is_answered_by_its_names(run: Runner, acme: Path) -> None:
    """The first run with the cache makes .socialgov_cache/ (the root's times change), and a
    folder made a moment ago: each is held by the names it holds, listed again by every
    check; a file put in either is then seen."""
    cutoff = time.time_ns()
    time.sleep(0.05)
    (acme / "people" / "later").mkdir()
    recent = _racy_after(cutoff)
    first = run(acme, *LINT, before=recent)  # makes the cache folder, and stores
    assert not first.answered
    answered = run(acme, *LINT, before=recent)
    assert answered.answered
    _same(answered, first)
    _same(answered, run(acme, *LINT, "--no-cache"))
    (acme / "people" / "later" / "team.yaml").write_text(
        "kind: Team\nid: t2\nlaed: x\n", encoding="utf-8"
    )
    _not_answered(run, acme, *LINT, before=recent)


def test_lint_watch_is_never_answered(run: Runner, acme: Path) -> None:
    """``--watch`` lints again through the command line's ``lint``: no run of it is stored
    under the watching invocation (it would print one run's findings and end)."""
    _answered_again(run, acme, *LINT)  # the cache made, every stamp settled
    for _ in range(2):
        with pytest.raises(subprocess.TimeoutExpired):  # watching until stopped
            run(acme, *LINT, "--watch", timeout=8)
        assert "click" in run.log.read_text(encoding="utf-8").split()


def test_a_checkout_made_above_the_root_is_not_answered(
    run: Runner, acme: Path, tmp_path: Path
) -> None:
    """The CI formats' paths are relative to the nearest folder from the root upward holding
    ``.git`` (reporters.base.repository_root): the answer holds each of those probes."""
    sarif = (*LINT, "--format", "sarif")
    _answered_again(run, acme, *sarif)
    (tmp_path / ".git").mkdir()  # the folder above the root becomes a checkout
    _not_answered(run, acme, *sarif)
    _answered_again(run, acme, *sarif)
    (tmp_path / ".git").rmdir()
    _not_answered(run, acme, *sarif)


def test_the_socialgov_command_answers_too(run: Runner, acme: Path, tmp_path: Path) -> None:
    """The console script (pyproject.toml: ``socialgov.__main__:console``) asks first too."""
    script = tmp_path / "bin" / "socialgov"
    script.parent.mkdir()
    first = run(acme, *LINT, script=script)
    assert first.code == 1 and b"SG" in first.out and not first.answered
    second = run(acme, *LINT, script=script)
    if not second.answered:
        second = run(acme, *LINT, script=script)
    assert second.answered
    _same(second, first)
    _same(second, run(acme, *LINT))  # what python -m socialgov writes
