"""The start-up budget: a warm run (the pre-commit hook's, PATHS mode) imports only what it uses.

Each run is a fresh interpreter calling the command line's ``main(argv)`` as the ``socialgov``
command does (a process of one command), which then writes the names in ``sys.modules``
(``-X importtime`` cannot tell: it misses what ``importlib.import_module`` imports, the rule
families and reporters among them). A warm run takes its findings from the
run cache, so it must import no rule family, no YAML parser, no schema validator, no pattern
matcher and no plugin discovery. Times are never asserted (benchmarks/ and docs/performance.md
measure them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ACME, PROJECT
from socialgov.config import CACHE_DIR
from socialgov.speedups.digests import RACY_NS

pytestmark = pytest.mark.slow

RULE_FAMILIES = sorted(
    f"socialgov.rules.{path.stem}"
    for path in (PROJECT / "src" / "socialgov" / "rules").glob("*.py")
    if path.stem not in {"__init__", "base"}
)
"""Every module of the rules package but what a stored state is made of (RuleInfo, Reads)."""

HEAVY = {
    "yaml",  # PyYAML, the exact loader's parser
    "ryml",  # rapidyaml, the fast parser
    "re2",
    "ruamel",
    "jsonschema",
    "fastjsonschema",
    "pathspec",  # include/exclude patterns
    "importlib.metadata",  # plugin and pack discovery
    "jinja2",
    "tempfile",  # and shutil, random, bz2, lzma: only to write, and a warm run writes nothing
    "pkgutil",  # the lint formats are the reporters' folder listed (~1.5 M instructions)
    "socialgov.model",
    "socialgov.source.loader",
    "socialgov.source.fastyaml",
    "socialgov.source.reading",
    "socialgov.lang.selectors",
    "socialgov.schema.fastcheck",
    "socialgov.speedups.parallel",
    "socialgov.speedups.split",
    "socialgov.domain.platforms",
    *RULE_FAMILIES,
}
"""What a warm run must not import."""

_RUN = """
import builtins, sys
# what the run imports: the modules it loads, and those it asks for that the interpreter (or a
# start-up hook of the machine, which may load tempfile) had loaded before it
started = set(sys.modules)
asked = set()
importing = builtins.__import__
def asking(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0:
        asked.add(name)
    return importing(name, globals, locals, fromlist, level)
builtins.__import__ = asking
import re
from socialgov.core.lifetime import ends_after_command
ends_after_command()  # as the socialgov command (cli.run) says before main: one command, one thread
from socialgov.cli import main
code = main(sys.argv[2:])
modules = sorted(set(sys.modules) - started | asked)
compiled = getattr(re, "_cache", {})  # re's compiled patterns, by type, text and flags
patterns = sorted({key[1] for key in compiled if type(key[1]) is str} if type(compiled) is dict else [])
import json  # after the run's modules are counted: the run may need none of it
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    json.dump({"modules": modules, "patterns": patterns}, handle)
sys.exit(code)
"""


_SETTLED = """
from socialgov.speedups import cache, runcache
cache.RACY_NS = runcache.RACY_NS = 0  # every file as if written long before (no racy ones)
"""


def imported(root: Path, *args: str, home: Path, settled: bool = False) -> set[str]:
    """The modules a ``socialgov lint`` run in ``root`` imports (its exit status must be 0 or 1);
    ``settled``: its files and socialgov's as if written long before the runs (none "racily
    clean", which a run hashes again)."""
    return set(_ran(root, *args, home=home, settled=settled)["modules"])


def compiled(root: Path, *args: str, home: Path) -> set[str]:
    """The text patterns ``re`` compiled in a ``socialgov lint`` run in ``root`` (on a Python
    whose ``re`` keeps them as 3.11 to 3.13 do; the tests below skip on any other)."""
    if type(getattr(re, "_cache", None)) is not dict:
        pytest.skip("this Python's re keeps its compiled patterns otherwise")
    return set(_ran(root, *args, home=home)["patterns"])


def _ran(root: Path, *args: str, home: Path, settled: bool = False) -> dict[str, list[str]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT / "src"),
        "XDG_CACHE_HOME": str(home),  # the signing key, away from the user's
    }
    env.pop("CI", None)
    modules = home.parent / "modules.json"
    code = _RUN.replace("import re\n", f"import re{_SETTLED}") if settled else _RUN
    done = subprocess.run(
        [sys.executable, "-c", code, str(modules), "lint", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    ran: dict[str, list[str]] = json.loads(modules.read_text(encoding="utf-8"))
    return ran


def heavy(modules: set[str]) -> set[str]:
    """The heavy modules among ``modules`` (a package's submodules count as the package)."""
    return {name for name in modules if name in HEAVY or name.split(".")[0] in HEAVY}


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    return root


def test_the_report_reads_every_import(acme: Path, tmp_path: Path) -> None:
    """The check below can fail: a cold run imports every heavy module it guards against (the
    pattern matcher where socialgov.yaml has a pattern that is not a literal folder or ending,
    PyYAML where a file needs it)."""
    config = acme / "socialgov.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "exclude: [drafts/*.yaml]\n", "utf-8")
    # and PyYAML where a file needs the exact parser (a tag, which only it explains; a tab
    # indenting a line is explained without it: tests/test_exact.py)
    (acme / "tagged.yaml").write_text("people: !person {id: cy}\n", encoding="utf-8")
    cold = imported(acme, "--no-cache", "accounts/retail.yaml", home=tmp_path / "home")
    assert {"yaml", "socialgov.model", "socialgov.rules.identity", "pathspec"} <= cold
    assert {"socialgov.cli", "click"} <= cold


def test_a_cold_run_without_the_cache_imports_only_what_it_uses(acme: Path, tmp_path: Path) -> None:
    """No installed distribution declares a plugin or a rule pack: a cold run learns it from
    their entry_points.txt files, without importlib.metadata (tests/test_rules_plugins.py shows
    that plugins are still found, in a folder or a zip file). Without the cache, nothing is
    hashed, signed or pickled."""
    cold = imported(acme, "--no-cache", home=tmp_path / "home")
    assert "socialgov.rules.identity" in cold  # the rules ran
    assert {"importlib.metadata", "hashlib", "hmac", "pickle"} & cold == set()


def test_a_warm_paths_run_imports_nothing_heavy(acme: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    imported(acme, home=home)  # fills the cache
    first = imported(acme, "accounts/retail.yaml", home=home)
    warm = imported(acme, "accounts/retail.yaml", home=home)
    assert heavy(warm) == set(), sorted(heavy(warm))
    assert heavy(first) == set(), sorted(heavy(first))  # a state no edit touched answers too


def test_a_warm_run_of_unchanged_files_loads_no_openssl(acme: Path, tmp_path: Path) -> None:
    """hashlib and hmac load OpenSSL (~3 ms of a start): a warm run whose files are as the
    cache knows them hashes no file's bytes, and checks its entries' BLAKE2b signatures."""
    home = tmp_path / "home"
    imported(acme, home=home, settled=True)  # fills the cache
    warm = imported(acme, home=home, settled=True)
    paths = imported(acme, "accounts/retail.yaml", home=home, settled=True)
    assert {"socialgov.speedups.runcache", "socialgov.speedups.digests"} <= warm & paths
    assert {"hashlib", "hmac", "_hashlib"} & (warm | paths) == set()


def test_a_warm_text_report_imports_no_json(acme: Path, tmp_path: Path) -> None:
    """json (~2 M instructions to import) is for the JSON formats and a cold run's schemas: a
    warm run's text report, whole or PATHS, escapes with _json's function alone, and the
    caches' fingerprint writes the limits without it. A JSON report imports it, so the check
    can fail."""
    home = tmp_path / "home"
    imported(acme, home=home, settled=True)  # fills the cache
    warm = imported(acme, home=home, settled=True)
    paths = imported(acme, "accounts/retail.yaml", home=home, settled=True)
    assert {"json", "json.decoder", "json.encoder"} & (warm | paths) == set()
    assert "_json" in warm & paths
    assert "json" in imported(acme, "--format", "json", home=home, settled=True)


def test_a_warm_run_reads_its_entries_without_pickle_py(acme: Path, tmp_path: Path) -> None:
    """pickle.py (~5 M instructions to import: the Python pickler, struct, ...) is for writing
    the cache's entries: a warm whole and PATHS run read theirs with _pickle's loads, which is
    pickle.loads. A cold run with the cache writes them, so the check can fail."""
    home = tmp_path / "home"
    cold = imported(acme, home=home, settled=True)  # fills the cache
    warm = imported(acme, home=home, settled=True)
    paths = imported(acme, "accounts/retail.yaml", home=home, settled=True)
    assert "pickle" in cold
    assert "pickle" not in warm | paths
    assert "_pickle" in warm & paths


def test_a_warm_whole_run_imports_nothing_heavy(acme: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    imported(acme, home=home)
    warm = imported(acme, home=home)
    assert heavy(warm) == set(), sorted(heavy(warm))


def test_a_json_report_of_a_warm_run_imports_nothing_heavy(acme: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    imported(acme, "--format", "json", home=home)
    warm = imported(acme, "--format", "json", "accounts/retail.yaml", home=home)
    assert heavy(warm) == set(), sorted(heavy(warm))


def test_an_edit_models_the_file_again_but_keeps_the_file_list(acme: Path, tmp_path: Path) -> None:
    """An edit that incremental lint takes (a name) parses and models the changed file; the
    file list still comes from the cache."""
    home = tmp_path / "home"
    imported(acme, home=home)
    path = acme / "accounts" / "retail.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    name: " in text
    path.write_text(text.replace("    name: ", "    name: Renamed ", 1), encoding="utf-8")
    after_edit = imported(acme, "accounts/retail.yaml", home=home)
    assert "socialgov.model" in after_edit  # the changed file is modelled again
    assert "pathspec" not in after_edit  # the same files: the choice among them is remembered


def test_a_text_report_compiles_no_pattern_it_does_not_use(acme: Path, tmp_path: Path) -> None:
    """A class of characters past U+00FF costs ~4.5 M instructions to compile (a table of
    65,536 entries): the terminal's and XML's escapes are compiled when text needs them, not
    at import; nor are the sightings' note patterns of SG311 (acme has no sighting). An XML
    report, whose text goes through both escapes, compiles them: the check can fail."""
    from socialgov.core import escape

    home = tmp_path / "home"
    control = escape._control.__wrapped__().pattern
    not_xml = escape._not_xml.__wrapped__().pattern
    plain = compiled(acme, "--no-cache", home=home)
    assert {control, not_xml} & plain == set()
    assert not any("reported" in pattern for pattern in plain)
    xml = compiled(acme, "--no-cache", "--format", "junit", home=home)
    assert {control, not_xml} <= xml


def test_rapidyaml_is_imported_without_packaging_s_version_pattern(
    acme: Path, tmp_path: Path
) -> None:
    """rapidyaml's wrapper imports ``deprecation``, which imports packaging.version: a cold run
    leaves its code (and its version pattern, ~9 M instructions) unrun; nothing asks it for a
    version."""
    plain = compiled(acme, "--no-cache", home=tmp_path / "home")
    assert "socialgov.source.fastyaml" in imported(acme, "--no-cache", home=tmp_path / "home")
    assert not any("(?P<release>" in pattern for pattern in plain)


_GETTEXT = """
import gettext
asked = []
real = gettext.gettext
gettext.gettext = lambda message: asked.append(message) or real(message)
import socialgov.cli
print(len(asked))
"""


def test_the_command_line_asks_gettext_for_few_names() -> None:
    """click asks gettext for every click.Path's name when it is made, and gettext looks for a
    catalogue each time (~0.2 M instructions a call, no catalogue found is remembered): the
    command line makes one path type of each kind, not one per option (36 before)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _GETTEXT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) <= 8


_LIBRARY_IMPORT = """
import sys, types
import socialgov.source.fastyaml
version = sys.modules.get("packaging.version")
print(version is None or type(version) is types.ModuleType)
"""


def test_a_library_import_of_the_parser_leaves_packaging_an_ordinary_module() -> None:
    """The lazy packaging.version is for a process of one command (cli.run): importlib's
    LazyLoader is not thread-safe on this Python, and a library caller, the language server or
    a watch may use packaging from several threads."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _LIBRARY_IMPORT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]


def test_an_answered_run_imports_neither_click_nor_the_rules(acme: Path, tmp_path: Path) -> None:
    """``python -m socialgov`` answers an unchanged lint before the command line is imported
    (socialgov.speedups.replay): such a run imports the package (without its speedups, which
    the command installs after asking: socialgov.__init__) and the caches' digests, nothing of
    click, the command line, the rules, pathlib, pickle, re, typing or dataclasses. Counted with
    ``-X importtime`` (every run of the invocation the same, as its answer requires)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT / "src"),
        "XDG_CACHE_HOME": str(tmp_path / "home"),
    }
    env.pop("CI", None)
    env.pop("GITHUB_ACTIONS", None)
    bare = subprocess.run(  # what the interpreter's start imports (a start-up hook: pathlib)
        [sys.executable, "-X", "importtime", "-c", "pass"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    started = set(re.findall(r"^import time:.*\|\s*(\S+)$", bare.stderr, re.MULTILINE))
    runs = []
    for _ in range(3):  # a cold run (it makes the cache folder), a warm one stores, one answered
        time.sleep(RACY_NS / 1e9)  # what the run before changed settles: an answer is stored
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "socialgov", "lint", "accounts/retail.yaml"],
            cwd=acme,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 1, done.stderr[-2000:]
        imports = re.findall(r"^import time:.*\|\s*(\S+)$", done.stderr, re.MULTILINE)
        runs.append((done.stdout, set(imports) - started))
    (first_out, first), (_, _), (answered_out, answered) = runs
    assert answered_out == first_out
    assert {"click", "socialgov.cli"} <= first
    assert "socialgov.speedups.replay" in answered
    leaked = {
        name
        for name in answered
        if name.split(".")[0] in {"click", "pathlib", "pickle", "json", "re", "typing"}
        or name in {"dataclasses", "socialgov.speedups.classcode", "socialgov.speedups.regexcode"}
        or name.startswith(("socialgov.rules", "socialgov.cli", "socialgov.config"))
    }
    assert leaked == set()
    assert heavy(answered) == set()
