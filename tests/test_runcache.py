"""The whole-run cache: an unchanged run reuses the last result exactly; any change misses."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import ACME, AS_OF, PROJECT
from socialgov.cli import main
from socialgov.config import CACHE_DIR, load_config
from socialgov.pipeline import discover_files, lint, lint_model
from socialgov.report.result import LintResult
from socialgov.speedups.runcache import ENTRY, run_inputs
from test_cache import generated

NORTHWIND = PROJECT / "tests" / "acceptance" / "northwind"


def everything(result: LintResult) -> tuple[Any, ...]:
    """Every field a reporter shows, fingerprints included."""

    def rows(findings: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return [
            (
                f.code,
                f.name,
                f.severity,
                f.message,
                f.path,
                f.line,
                f.column,
                f.entity,
                f.related,
                f.key,
                f.suppressed,
                f.fingerprint,
            )
            for f in findings
        ]

    return (
        rows(result.findings),
        rows(result.suppressed),
        rows(result.unused_waivers),
        result.baselined,
        result.preexisting,
        result.files,
        result.entities,
        [(info.code, info.name, info.severity, info.summary) for info in result.rules],
        result.exit_code,
    )


def run(root: Path, *, as_of: dt.date = AS_OF, **overrides: Any) -> LintResult:
    config = load_config(root).with_overrides(as_of=as_of, **overrides)
    return lint(config, cache=True, reuse=True)


def plain(root: Path, *, as_of: dt.date = AS_OF, **overrides: Any) -> LintResult:
    return lint(load_config(root).with_overrides(as_of=as_of, **overrides))


@pytest.fixture(params=["acme", "northwind", "generated"])
def repository(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = tmp_path / request.param
    if request.param == "generated":
        return generated(root, 300)
    source = ACME if request.param == "acme" else NORTHWIND
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    return root


def test_a_warm_run_reuses_the_last_result_exactly(repository: Path) -> None:
    expected = everything(plain(repository))
    cold = run(repository)
    assert cold.run == "full"  # computed: nothing stored yet
    assert everything(cold) == expected
    assert (repository / CACHE_DIR).glob(f"*/{ENTRY}")
    warm = run(repository)
    assert warm.run == "stored"  # reused: no model was built
    assert everything(warm) == expected


def change_a_byte(root: Path) -> None:
    path = next(p for p in sorted(root.rglob("*.yaml")) if p.name != "socialgov.yaml")
    path.write_bytes(path.read_bytes() + b" ")


def add_a_file(root: Path) -> None:
    (root / "extra.yaml").write_text("kind: Person\nid: newcomer\n", encoding="utf-8")


def delete_a_file(root: Path) -> None:
    next(p for p in sorted(root.rglob("*.yaml")) if p.name != "socialgov.yaml").unlink()


def change_the_config(root: Path) -> None:
    config = root / "socialgov.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("dormant_days: 180", "dormant_days: 3"), encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [change_a_byte, add_a_file, delete_a_file, change_the_config],
    ids=lambda f: f.__name__,
)
def test_any_change_to_the_files_or_config_misses(tmp_path: Path, change: Any) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    run(root)
    assert run(root).run != "full"
    change(root)
    again = run(root)
    # A changed byte is found incrementally (socialgov.speedups.incremental: no model either); any
    # other change takes the full run.
    assert (again.run != "full") == (change is change_a_byte)
    assert everything(again) == everything(plain(root))
    assert run(root).run != "full"  # and the new run is reused in turn


@pytest.mark.parametrize(
    "overrides",
    [
        {"as_of": dt.date(2030, 1, 1)},
        {"select": ("SG2",)},
        {"ignore": ("SG403",)},
        {"fail_on": "warning"},
    ],
    ids=lambda o: next(iter(o)),
)
def test_other_options_miss(tmp_path: Path, overrides: dict[str, Any]) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    run(root)
    other = run(root, **overrides)
    assert other.run == "full"
    assert everything(other) == everything(plain(root, **overrides))


def test_a_changed_baseline_misses(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    baseline = root / "baseline.json"
    assert main(["lint", "--root", str(root), "--as-of", "2026-11-24", "-q"]) == 1
    assert main(["lint", "--root", str(root), "--write-baseline", str(baseline), "-q"]) == 0
    assert run(root, baseline=baseline).findings == ()
    assert run(root, baseline=baseline).run != "full"
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    recorded["findings"] = recorded["findings"][1:]
    baseline.write_text(json.dumps(recorded), encoding="utf-8")
    changed = run(root, baseline=baseline)
    assert changed.run == "full"
    assert len(changed.findings) == 1


def test_callers_that_need_the_model_never_reuse(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    run(root)
    config = load_config(root).with_overrides(as_of=AS_OF)
    assert lint(config, cache=True).run == "full"
    assert lint(config, reuse=True).run == "full"  # no cache, no reuse


def test_a_tampered_entry_is_never_used(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    run(root)
    (entry,) = (root / CACHE_DIR).glob(f"*/{ENTRY}")
    data = entry.read_bytes()
    assert b"SG" in data
    entry.write_bytes(data.replace(b"SG", b"XX", 1))
    result = run(root)
    assert result.run == "full"
    assert everything(result) == everything(plain(root))


def test_a_file_changed_during_the_run_is_not_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    config = load_config(root).with_overrides(as_of=AS_OF)

    def racing(done: int, total: int) -> None:
        if done == total:
            change_a_byte(root)  # an editor saved while the run was reading

    lint(config, cache=True, reuse=True, progress=racing)
    assert not list((root / CACHE_DIR).glob(f"*/{ENTRY}"))
    lint(config, cache=True, reuse=True)  # unchanged meanwhile: stored
    assert list((root / CACHE_DIR).glob(f"*/{ENTRY}"))


def test_the_command_line_reuses_and_sarif_still_has_related_locations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    args = ["lint", "--root", str(root), "--as-of", "2026-11-24"]
    assert main([*args, "--no-cache"]) == 1
    expected = capsys.readouterr().out
    assert main(args) == 1
    assert capsys.readouterr().out == expected
    config = load_config(root).with_overrides(as_of=AS_OF)
    assert lint(config, cache=True, reuse=True).run == "stored"  # the command line stored it
    assert main([*args, "--no-cache", "--format", "sarif"]) == 1
    cold = capsys.readouterr().out
    assert '"relatedLocations"' in cold and '"codeFlows"' in cold
    assert main([*args, "--format", "sarif"]) == 1  # with the cache: the same report
    assert capsys.readouterr().out == cold


def _looked_at(root: Path) -> Any:
    config = load_config(root).with_overrides(as_of=AS_OF)
    files, discovered = discover_files(config)
    return config, run_inputs(config, files, discovered, None)


def test_hashing_reads_only_files_whose_stamp_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses
    import time

    from socialgov.speedups import runcache

    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    config, looked = _looked_at(root)
    known = looked.hashed(config)
    assert known is not None and len(known.hashes) == len(known.files)
    # a stored hash that no longer matches its file shows whether the file was read again
    stale = dataclasses.replace(known, hashes=(b"stale", *known.hashes[1:]))
    read: list[str] = []
    real = runcache.read_bounded

    def reading(path: str | Path, limit: int) -> bytes:
        read.append(Path(path).relative_to(root).as_posix())
        return real(path, limit)

    monkeypatch.setattr(runcache, "read_bounded", reading)
    # just hashed: every file is within the racy window, so all are read again
    again = looked.hashed(config, stale)
    assert again is not None and again.hashes == known.hashes
    assert len(read) == len(known.files)
    # hashed long after the files were written: unchanged stamps keep their hash, unread
    read.clear()
    settled = dataclasses.replace(stale, hashed_at=time.time_ns() + 10**10)
    assert looked.hashed(config, settled).hashes == stale.hashes
    assert read == []
    # ... and a file whose stamp changed is read
    edited = root / known.files[1]
    edited.write_bytes(edited.read_bytes() + b"# edited\n")
    _, looked = _looked_at(root)
    after = looked.hashed(config, settled)
    assert read == [known.files[1]]
    assert after.hashes[1] != known.hashes[1] and after.hashes[2:] == known.hashes[2:]


PLUGIN = """
from socialgov.core.findings import Severity
from socialgov.rules.base import Violation, rule


@rule(code="CACHEPY001", name="cache-plugin", severity=Severity.WARNING, summary="A plugin",
      family="plugin")
def check(model, ctx):
    for account in list(model.accounts)[:1]:
        yield Violation(account, "plugin version {version} found this", ("name",))


RULES = [check]
"""


def test_a_plugin_installed_edited_or_removed_is_seen_by_a_warm_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The key knows the installed plugins without loading them (the metadata folders on
    sys.path, the plugin's code read every run): each change misses, warm or PATHS."""
    import sys

    from test_rules_plugins import install_plugin

    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    whole = ["lint", "--root", str(root), "--as-of", "2026-11-24"]
    paths = [*whole, str(root / "accounts" / "brand-marketing.yaml")]

    def outputs() -> tuple[str, str]:
        """The whole report and a PATHS report, each warm, checked against a cold run."""
        reports = []
        for args in (whole, paths):
            main([*args, "--no-cache"])
            cold = capsys.readouterr().out
            main(args)
            main(args)
            assert capsys.readouterr().out == cold * 2
            reports.append(cold)
        return reports[0], reports[1]

    before = outputs()
    assert "CACHEPY001" not in before[0]
    site = tmp_path / "site"
    install_plugin(site, "cache_plugin_rules", "CACHEPY001", source=PLUGIN.format(version=1))
    monkeypatch.syspath_prepend(str(site))
    installed = outputs()
    assert "plugin version 1 found this" in installed[0]
    assert "plugin version 1 found this" in installed[1]

    # An edit of the plugin's code (an editable install: no metadata changes)
    (site / "cache_plugin_rules.py").write_text(PLUGIN.format(version=2), encoding="utf-8")
    monkeypatch.delitem(sys.modules, "cache_plugin_rules")  # as a new process would
    edited = outputs()
    assert "plugin version 2 found this" in edited[0]
    assert "version 1" not in edited[0]

    sys.path.remove(str(site))
    monkeypatch.delitem(sys.modules, "cache_plugin_rules")
    assert outputs() == before


def test_an_upgrade_of_socialgov_misses_even_with_the_same_sizes_and_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest of socialgov's own files is remembered under their stamps; a file rewritten
    with the same size and modification time (an upgrade that keeps times) still misses."""
    import os

    from socialgov.core.resources import PACKAGE_DIR
    from socialgov.speedups import cache

    package = tmp_path / "package"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)
    monkeypatch.setattr(cache, "RACY_NS", 0)  # remember at once (no need to wait)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    first = run(root)
    assert first.run == "full"
    expected = everything(first)
    second = run(root)
    assert second.run == "stored" and everything(second) == expected
    assert (root / CACHE_DIR / cache.PACKAGE_FILES_ENTRY).is_file()

    module = package / "pipeline.py"
    text = module.read_text(encoding="utf-8")
    info = module.stat()
    module.write_text(text.replace("one run", "two run", 1), encoding="utf-8")  # same length
    assert module.stat().st_size == info.st_size
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))
    cache.package_files.cache_clear()  # as a new process would (they are its code)
    again = run(root)
    assert again.run == "full"  # the package changed: the run was made again
    assert everything(again) == expected
    assert run(root).run == "stored"


def test_a_store_written_beside_the_bytecode_does_not_make_the_next_run_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """__pycache__ holds the .pyc files and the speedups' stores (the patterns' and the
    dataclasses' programs), which a run may rewrite as it ends: none of them is socialgov's
    code, so a run after such a write is served from the cache (it was a full run every time
    where a run stored a pattern each time: the stranger's tree)."""
    from socialgov.core.resources import PACKAGE_DIR
    from socialgov.speedups import cache

    package = tmp_path / "package"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    assert run(root).run == "full"
    assert run(root).run == "stored"
    for store in ("speedups/__pycache__/regexcode.cpython-311.patterns", "__pycache__/x.pyc"):
        (package / store).parent.mkdir(exist_ok=True)
        (package / store).write_bytes(b"a store the last run wrote")
        cache.package_files.cache_clear()  # as a new process would
        assert run(root).run == "stored", store
    (package / "rules" / "extra.txt").write_text("a file of the package\n", encoding="utf-8")
    cache.package_files.cache_clear()
    assert run(root).run == "full"  # what is not in __pycache__ still counts


def test_the_remembered_file_list_follows_the_walk_and_the_patterns(tmp_path: Path) -> None:
    """What include and exclude choose is remembered for the same walk: another file, a nested
    folder or another pattern is seen at once, and a file no pattern selects changes nothing."""
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))

    def cold() -> tuple[Any, ...]:
        config = load_config(root).with_overrides(as_of=AS_OF)
        return everything(lint(config))

    assert run(root).run == "full"
    assert run(root).run == "stored"
    (root / "notes.txt").write_text("not YAML\n", encoding="utf-8")
    unchanged = run(root)
    assert unchanged.run == "stored" and everything(unchanged) == cold()

    nested = root / "deep" / "er"
    nested.mkdir(parents=True)
    (nested / "newcomer.yaml").write_text("kind: Person\nid: newcomer\nname: N\n", "utf-8")
    added = run(root)
    assert added.run != "stored" and added.files == unchanged.files + 1
    assert everything(added) == cold()

    config = root / "socialgov.yaml"
    config.write_text(config.read_text("utf-8") + "exclude: ['deep/**']\n", "utf-8")
    excluded = run(root)
    assert excluded.run != "stored" and excluded.files == unchanged.files
    assert everything(excluded) == cold()
    assert run(root).run == "stored"


def test_a_built_in_rule_file_changed_in_a_source_checkout_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a source checkout or an editable install the built-in rules in YAML live beside the
    package, not in it: they count as socialgov's own files all the same."""
    from socialgov.core import resources
    from socialgov.speedups.cache import package_files

    real = resources.data_dir
    rules = tmp_path / "rules"
    shutil.copytree(real("rules"), rules)
    monkeypatch.setattr(
        resources, "data_dir", lambda name: rules if name == "rules" else real(name)
    )
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    assert run(root).run == "full"
    assert run(root).run == "stored"
    rule = rules / "unowned-channel.yaml"
    rule.write_text(rule.read_text("utf-8").replace("has no owner", "has no owner yet"), "utf-8")
    package_files.cache_clear()  # as a new process would
    assert run(root).run == "full"


def test_a_run_not_to_remember_reuses_parsed_files_only(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    config = load_config(root).with_overrides(as_of=AS_OF)
    result, _ = lint_model(config, cache=True, remember=False)
    assert everything(result) == everything(plain(root))
    assert (root / CACHE_DIR).is_dir()  # the parsed files are kept for the next run
    assert not list((root / CACHE_DIR).glob(f"*/{ENTRY}"))  # the run itself is not
    lint(config, cache=True)
    assert list((root / CACHE_DIR).glob(f"*/{ENTRY}"))


def test_an_unzipped_egg_on_the_path_counts_in_the_environments_stamp(tmp_path: Path) -> None:
    """Installing or upgrading a plugin as an unzipped egg (buildout, easy_install) must change
    the stamp under which the run cache remembers the installed plugins."""
    from socialgov.speedups.environment import environment_stamp

    egg = tmp_path / "acme_rules-1.0-py3.11.egg"
    egg.mkdir()
    empty = environment_stamp([str(egg)])
    (egg / "EGG-INFO").mkdir()
    installed = environment_stamp([str(egg)])
    assert installed != empty


def _acme(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    return root


def _cold(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    code = main([*args, "--no-cache"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "options",
    [[], ["--format", "json"], ["--statistics", "--show-suppressed"], ["--quiet"]],
    ids=["text", "json", "statistics", "quiet"],
)
def test_an_unchanged_run_writes_the_last_reports_again_without_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    root = _acme(tmp_path)
    args = ["lint", "--root", str(root), "--as-of", "2026-11-24", *options]
    expected = _cold(capsys, args)
    assert main(args) == expected[0]  # with the cache: stores the run and its reports
    assert capsys.readouterr()[:] == expected[1:]
    for entry in (root / CACHE_DIR).glob(f"*/{ENTRY}"):
        entry.unlink()  # a run that loaded or made a result would need (or write) it
    assert main(args) == expected[0]
    assert capsys.readouterr()[:] == expected[1:]
    assert not list((root / CACHE_DIR).glob(f"*/{ENTRY}"))  # the reports alone answered
    change_a_byte(root)
    changed = _cold(capsys, args)
    assert main(args) == changed[0]  # a changed file: the run is made again, and stored
    assert capsys.readouterr()[:] == changed[1:]
    assert list((root / CACHE_DIR).glob(f"*/{ENTRY}"))


def test_reports_written_again_follow_the_options_and_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _acme(tmp_path)
    args = ["lint", "--root", str(root), "--as-of", "2026-11-24"]
    main(args)
    capsys.readouterr()
    for run_args in (
        [*args, "--format", "gitlab"],
        [*args, "--fail-on", "error"],
        [*args, "--select", "SG2"],
    ):
        expected = _cold(capsys, run_args)
        assert main(run_args) == expected[0]
        assert capsys.readouterr()[:] == expected[1:]
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # the text report gains annotations
    annotated = _cold(capsys, args)
    assert "::error file=" in annotated[1]
    assert main(args) == annotated[0]
    assert capsys.readouterr()[:] == annotated[1:]
    monkeypatch.delenv("GITHUB_ACTIONS")
    inside = root / "accounts"  # paths are shown relative to where the command runs
    monkeypatch.chdir(inside)
    here = _cold(capsys, args)
    assert main(args) == here[0]
    shown = capsys.readouterr()
    assert shown[:] == here[1:]
    monkeypatch.chdir(tmp_path)
    assert main(args) == here[0]
    elsewhere = capsys.readouterr().out
    assert elsewhere != shown.out and elsewhere == _cold(capsys, args)[1]


@pytest.mark.parametrize("format", ["github", "gitlab", "checkstyle"])
def test_reports_written_again_follow_the_checkout_holding_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], format: str
) -> None:
    """The CI formats show paths from the git checkout holding the repository: a checkout made
    (or removed) above the root after a run was stored changes them, as a cold run shows."""
    root = _acme(tmp_path / "top")
    args = ["lint", "--root", str(root), "--as-of", "2026-11-24", "--format", format]
    alone = _cold(capsys, args)
    assert main(args) == alone[0]  # stores the run and its reports
    assert capsys.readouterr()[:] == alone[1:]
    (tmp_path / "top" / ".git").mkdir()  # the folder above the root becomes a checkout
    inside = _cold(capsys, args)
    assert inside[1] != alone[1]  # the paths now start with the repository's folder
    assert main(args) == inside[0]
    assert capsys.readouterr()[:] == inside[1:]
    (tmp_path / "top" / ".git").rmdir()
    assert main(args) == alone[0]
    assert capsys.readouterr()[:] == alone[1:]


def test_a_stamped_report_is_rendered_by_every_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socialgov.reporters.junit as junit

    root = _acme(tmp_path)
    args = ["lint", "--root", str(root), "--as-of", "2026-11-24", "--format", "junit"]

    class Clock(dt.datetime):
        now_is = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone.utc)

        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Clock:  # type: ignore[override]
            return cls.now_is  # type: ignore[return-value]

    monkeypatch.setattr(junit, "dt", SimpleNamespace(datetime=Clock, timezone=dt.timezone))
    main(args)
    assert 'timestamp="2026-12-01T09:30:00"' in capsys.readouterr().out
    Clock.now_is = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.timezone.utc)
    main(args)  # unchanged inputs, but the report says when it was written
    assert 'timestamp="2026-12-02T10:00:00"' in capsys.readouterr().out


def test_files_hashed_too_soon_are_remembered_once_they_settle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file hashed less than RACY_NS after it changed is hashed again by every run (its stamp
    could hide an edit in the same clock tick); a run that finds it settled remembers its
    inputs again (a PATHS run in the state's delta, a whole run with its reports), so the runs
    after it hash nothing. The clock is moved on instead of waiting."""
    import time

    from socialgov.pipeline import lint_reported
    from socialgov.speedups import runcache

    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    config = load_config(root).with_overrides(as_of=AS_OF)
    hashed: list[bytes] = []
    real = runcache.file_digest

    def counted(data: bytes) -> bytes:
        hashed.append(data)
        return real(data)

    monkeypatch.setattr(runcache, "file_digest", counted)
    monkeypatch.setattr(runcache, "few_file_digest", counted)
    later = time.time_ns() + 10 * runcache.RACY_NS

    def report(result: LintResult) -> tuple[Any, ...]:
        return everything(result)

    paths = ["accounts/retail.yaml"]
    expected = everything(lint(config, paths))
    whole = everything(lint(config))
    assert everything(lint(config, paths, cache=True, reuse=True)) == expected  # just copied
    assert lint_reported(config, report, "asked", cache=True) == whole
    asks = [
        (lambda: everything(lint(config, paths, cache=True, reuse=True)), expected),
        (lambda: lint_reported(config, report, "asked", cache=True), whole),
    ]
    for ask, answer in asks:
        hashed.clear()
        assert ask() == answer
        assert hashed  # every file hashed too soon: hashed again
    monkeypatch.setattr(runcache, "time", SimpleNamespace(time_ns=lambda: later))
    for ask, answer in asks:
        hashed.clear()
        assert ask() == answer
        assert hashed  # hashed again, now long after the files changed: remembered
        hashed.clear()
        assert ask() == answer
        assert hashed == []


def test_the_first_few_files_hashed_load_no_openssl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run hashes its first FEW_FILES files with CPython's own SHA-256 (no OpenSSL to load for
    the file a warm run hashes again), the rest with hashlib's: the same digests."""
    import hashlib

    from socialgov.speedups import runcache

    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    config = load_config(root)
    files, found = discover_files(config)
    assert len(files) > runcache.FEW_FILES
    inputs = run_inputs(config, files, found, None)
    assert inputs is not None
    used: list[str] = []
    for name in ("few_file_digest", "file_digest"):
        real = getattr(runcache, name)
        monkeypatch.setattr(
            runcache, name, lambda data, name=name, real=real: used.append(name) or real(data)
        )
    hashed = inputs.hashed(config)
    assert hashed is not None
    assert used == ["few_file_digest"] * runcache.FEW_FILES + ["file_digest"] * (
        len(files) - runcache.FEW_FILES
    )
    assert list(hashed.hashes) == [hashlib.sha256((root / f).read_bytes()).digest() for f in files]
