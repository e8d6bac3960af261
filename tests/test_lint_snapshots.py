"""Regression snapshots: the complete reports of three repositories, byte for byte.

Speed work on the rules, the findings pipeline and the reporters must not change a single
finding, position, message, order or output byte. These tests lint a generated 2,000-account
repository (benchmarks/generate.py, every rule family at work), examples/acme and
tests/acceptance/northwind, and compare every report with the one stored in
tests/data/lint_snapshots/, which this module writes when run as a script:

    PYTHONPATH=src python tests/test_lint_snapshots.py

Run it only when a change of output is intended (a new rule, a reworded message), and review
the difference of the stored files in the commit. The repository's absolute root is stored as
``<ROOT>``, the checkout's as ``<CHECKOUT>``, socialgov's version, JUnit's timestamp and
hostname as placeholders; the text reports are shown from the repository's root.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gzip
import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SNAPSHOTS = PROJECT / "tests" / "data" / "lint_snapshots"
AS_OF = dt.date(2026, 11, 24)
GENERATED_ACCOUNTS = 2000

REPORTS: dict[str, tuple[str, dict[str, bool]]] = {
    "text": ("text", {}),
    "text-all": ("text", {"show_suppressed": True, "statistics": True}),
    "json": ("json", {"show_suppressed": True}),
}
"""Report name: (format, ReportOptions flags). Every repository gets these."""

SMALL_REPORTS: dict[str, tuple[str, dict[str, bool]]] = {
    "json-reported": ("json", {}),
    "github": ("github", {"show_suppressed": True}),
    "gitlab": ("gitlab", {"show_suppressed": True}),
    "checkstyle": ("checkstyle", {"show_suppressed": True}),
    "junit": ("junit", {"show_suppressed": True}),
    "sarif": ("sarif", {"show_suppressed": True}),
}
"""Further formats, for the two small repositories (they hold every kind of finding)."""


_UNSTABLE = re.compile(r'\b(timestamp|hostname)="[^"]*"')


def generate_repository(
    root: Path, accounts: int = GENERATED_ACCOUNTS, defect_rate: float = 0.03
) -> Path:
    """The benchmark generator's repository of ``accounts`` accounts, written at ``root``."""
    spec = importlib.util.spec_from_file_location(
        "socialgov_benchmark_generate", PROJECT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.Generator(accounts, defect_rate=defect_rate).write(root)
    return root


def reports(
    root: Path, formats: dict[str, tuple[str, dict[str, bool]]], *, cache: bool = False
) -> dict[str, str]:
    """Each report of ``formats`` on the repository at ``root``, linted as of AS_OF (without the
    cache, or with it as the command line uses it: reused when nothing changed)."""
    from socialgov import __version__
    from socialgov.config import load_config
    from socialgov.pipeline import lint
    from socialgov.reporters import renderer, wants_trails
    from socialgov.reporters.base import ReportOptions

    config = load_config(root).with_overrides(as_of=AS_OF)
    out: dict[str, str] = {}
    for name, (fmt, flags) in formats.items():
        result = lint(config, cache=cache, reuse=cache, trails=wants_trails([fmt]))
        text = renderer(fmt)(result, ReportOptions(cwd=root.resolve(), **flags))
        text = text.replace(root.resolve().as_posix(), "<ROOT>")
        text = text.replace(PROJECT.resolve().as_uri(), "<CHECKOUT>")  # SARIF's base URI
        text = text.replace(f'"{__version__}"', '"<VERSION>"')
        out[name] = _UNSTABLE.sub(r'\1="<\1>"', text)  # JUnit: when and where it ran
    return out


def _snapshot(repo: str, report: str) -> Path:
    return SNAPSHOTS / f"{repo}.{report}.gz"


Source = Callable[[Path], Path]


def _generated(tmp: Path) -> Path:
    return generate_repository(tmp / "generated")


DENSE_CONFIG = """\
organisation: Dense Corp
strategy:
  - id: grow
    statement: Grow
severity: {SG203: info, unaccountable-owner: error}
options: {max_channels_per_owner: 3, max_platforms_per_team: 3}
"""

DENSE_FILES = {
    # Duplicate presences across files (SG304, BENCH002), before and after their first.
    "accounts/aa-early.yaml": """\
accounts:
  - {id: early-dup, platform: x, handle: '@ACME8', url: 'https://x.com/other8'}
  - {id: early-url, platform: instagram, url: 'HTTP://www.Instagram.com/acme1/'}
""",
    "accounts/zz-late.yaml": """\
accounts:
  - {id: late-dup, platform: x, handle: acme0, owner: person-000010, team: team-0001}
  - {id: late-dup-2, platform: x, handle: ' acme0', status: retired}
  - {id: late-url, platform: facebook, handle: acme2, url: 'https://facebook.com/acme2'}
  - {id: bad-handle, platform: x, handle: 'has space', team: team-0001}
  - {id: bad-url, platform: instagram, handle: good1, url: 'https://instagram.com/other',
     team: team-0001}
  - {id: no-handle-url, platform: youtube, url: 'https://example.com/x', team: team-0001}
  - {id: sprawl-li, platform: linkedin, handle: sprawl-li, team: team-0001}
  - {id: sprawl-tt, platform: tiktok, handle: sprawltt, team: team-0001}
  - id: thin-forum-1
    platform: forum
    type: forum
    audience: Smart  Home
    topic: Energy
    metrics: {active_members_per_month: 3}
  - id: thin-forum-2
    platform: discord
    type: forum
    audience: smart home
    topic: energy
  - id: waived
    platform: x
    handle: waived1
    owner: person-000005
    playbooks: [no-crisis]
    waivers:
      - {rule: SG201, reason: Being handed over, expires: 2027-01-01}
      - {rule: orphan-account, reason: Owner replaced next week}
      - {rule: SG302, reason: Unused on purpose}
      - {rule: SG203, reason: Expired, expires: 2026-01-01}
      - {rule: SG999, reason: No such rule}
  - {id: no-crisis-1, platform: threads, handle: nc1, playbooks: [no-crisis], purpose: sales}
  - {id: no-crisis-2, platform: bluesky, handle: nc2.example.com, playbooks: [no-crisis, nope]}
  - id: dup-keys
    platform: x
    handle: dupkeys
    owner: person-000011
    owner: person-000012
    security: {mfa: maybe}
""",
    "channels/zz-sales.yaml": """\
channels:
  - {id: sales-phone, type: phone, purpose: sales, owner: person-000010, policies: [sales]}
  - {id: sales-mail, type: email, purpose: sales, owner: person-000010}
  - {id: sales-chat, type: chat, purpose: sales, owner: person-000010,
     policies: [service-sla@1], terms: {service_hours: 'Mon-Fri 08:00-20:00 '}}
""",
    "policies/zz-more.yaml": """\
policies:
  - id: sales
    owner: person-000005
    version: 3
    applies_to: {kind: Channel, where: {purpose: sales}}
    consistent_terms: [service_hours]
    review_by: 2020-01-01
  - id: broken-selector
    applies_to: {kind: Acount}
playbooks:
  - id: no-crisis
    end: done
    handoffs:
      - {scenario: complaint, to: team-0002}
      - {scenario: crisis, trigger: x, to: team-0001, before: y, expect: z}
""",
}


def _dense(tmp: Path) -> Path:
    """A small generated repository with many defects, and extra files for what the
    generator never writes: duplicates across files, waivers, fragmented forums, sprawl,
    traditional-only policies, playbooks without a crisis path, duplicate keys."""
    root = generate_repository(tmp / "dense", accounts=600, defect_rate=0.2)
    (root / "socialgov.yaml").write_text(DENSE_CONFIG, encoding="utf-8")
    for relpath, text in DENSE_FILES.items():
        (root / relpath).write_text(text, encoding="utf-8")
    return root


def _acme(tmp: Path) -> Path:
    return PROJECT / "examples" / "acme"


def _northwind(tmp: Path) -> Path:
    return PROJECT / "tests" / "acceptance" / "northwind"


REPOSITORIES: dict[str, tuple[Source, dict[str, tuple[str, dict[str, bool]]]]] = {
    "generated-2000": (_generated, REPORTS),
    "dense": (_dense, {**REPORTS, **SMALL_REPORTS}),
    "acme": (_acme, {**REPORTS, **SMALL_REPORTS}),
    "northwind": (_northwind, {**REPORTS, **SMALL_REPORTS}),
}


def _first_difference(expected: str, actual: str) -> str:
    diff = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "stored", "now", n=1, lineterm=""
    )
    return "\n".join(list(diff)[:40])


@pytest.mark.parametrize("repo", sorted(REPOSITORIES))
def test_reports_are_unchanged(repo: str, tmp_path: Path) -> None:
    source, formats = REPOSITORIES[repo]
    produced = reports(source(tmp_path), formats)
    for name, text in produced.items():
        stored = gzip.decompress(_snapshot(repo, name).read_bytes()).decode("utf-8")
        assert text == stored, (
            f"the {name} report of {repo} changed; if that is intended, run "
            f"'python tests/test_lint_snapshots.py' and review the new snapshots:\n"
            + _first_difference(stored, text)
        )


@pytest.mark.parametrize("repo", ["acme", "dense", "northwind"])
def test_the_cached_path_gives_the_same_reports(repo: str, tmp_path: Path) -> None:
    """The command line's default: the first run fills the cache, the next ones reuse it."""
    import shutil

    source, formats = REPOSITORIES[repo]
    root = shutil.copytree(source(tmp_path / "made"), tmp_path / "copy")
    uncached = reports(root, formats)  # the stored snapshots, but for where the copy is
    for run in ("cold", "warm"):
        for name, text in reports(root, formats, cache=True).items():
            assert text == uncached[name], f"{run} run, {name}:\n" + _first_difference(
                uncached[name], text
            )
    assert (root / ".socialgov_cache").is_dir()


def test_generated_snapshot_has_every_family() -> None:
    """The generated repository's snapshot exercises the rules the speed work touches."""
    import json

    found: set[str] = set()
    for repo in ("generated-2000", "dense"):
        stored = json.loads(gzip.decompress(_snapshot(repo, "json").read_bytes()))
        found |= {f["code"] for f in stored["findings"]}
        assert any(f["related"] for f in stored["findings"])
    for code in ("SG101", "SG102", "SG104", "SG106", "SG107", "SG201", "SG202", "SG207"):
        assert code in found, code
    for code in ("SG301", "SG304", "SG305", "SG401", "SG403", "SG408", "SG505", "SG701"):
        assert code in found, code
    for code in ("BENCH001", "BENCH002", "BENCH004"):
        assert code in found, code


def write_snapshots() -> None:
    """(Re)write every stored report from the code as it is now."""
    import tempfile

    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for repo, (source, formats) in REPOSITORIES.items():
            for name, text in reports(source(Path(tmp)), formats).items():
                # mtime=0: the same report gives the same bytes, so git sees no change
                data = gzip.compress(text.encode("utf-8"), mtime=0)
                _snapshot(repo, name).write_bytes(data)
                print(f"wrote {_snapshot(repo, name).relative_to(PROJECT)}", file=sys.stderr)


if __name__ == "__main__":
    write_snapshots()
