"""Hostile pull requests, round two (issue 16; docs/security.md): names that are not UTF-8,
super-linear paths, values Python cannot take as written, the parse cache, interrupts and
paths outside the repository. Through the command line (``main``) unless a process is needed."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import AS_OF
from socialgov.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names and signals")


def _repo(root: Path, files: dict[str | bytes, str], config: str = "organisation: T\n") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "socialgov.yaml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        path = os.path.join(os.fsencode(root), os.fsencode(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- 5. names not UTF-8

TEAM = "kind: Team\nid: {}\nlaed: x\n"
BAD_NAMES: dict[str | bytes, str] = {
    b"\xff\xfe.yaml": TEAM.format("t1"),  # Latin-1 / binary bytes in a YAML file's name
    b"d\xe9p/a.yaml": TEAM.format("t2"),  # in a folder's name
    b"notes-\xe9t\xe9.txt": "not read",  # a file socialgov never reads
    b"sub/\x80\x81/deep.yml": TEAM.format("t3"),  # continuation bytes alone
    b"\xed\xa0\x80.yaml": TEAM.format("t4"),  # an encoded surrogate: invalid UTF-8 too
}


@pytest.fixture
def bad_names(tmp_path: Path) -> Path:
    return _repo(tmp_path / "repo", BAD_NAMES)


LINT_FORMATS = ["text", "json", "sarif", "junit", "github", "gitlab", "checkstyle"]


@pytest.mark.parametrize("fmt", LINT_FORMATS)
def test_names_that_are_not_utf8_are_read_and_reported_in_every_format(
    bad_names: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    for _ in range(2):  # without, then with the parse cache's entries
        code, out, err = _run(
            capsys, "lint", "--root", str(bad_names), "--as-of", AS_OF.isoformat(), "--format", fmt
        )
        assert code == 1 and err == ""
        out.encode("utf-8")  # printable: no lone surrogate reaches the stream
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out)
        elif fmt in ("junit", "checkstyle"):
            ElementTree.fromstring(out.encode())
    if fmt == "json":
        paths = {f["path"] for f in json.loads(out)["findings"]} - {"socialgov.yaml"}
        # the exact names, decoded as the file system gives them
        assert paths == {os.fsdecode(n) for n in BAD_NAMES if not n.endswith(b".txt")}
    if fmt == "text":
        assert "\\xff\\xfe.yaml:3:1: SG101" in out and "d\\xe9p/a.yaml" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "--format", "table"],
        ["audit", "--format", "json"],
        ["audit", "--format", "csv"],
        ["audit", "--format", "html"],
        ["audit", "--format", "markdown"],
        ["test"],
        ["fix", "--diff"],
        ["fix"],
        ["lint", "--statistics"],
    ],
)
def test_names_that_are_not_utf8_never_crash_a_command(
    bad_names: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = _run(
        capsys, argv[0], "--root", str(bad_names), "--as-of", "2026-11-24", *argv[1:]
    )
    assert code in (0, 1), err
    assert "internal error" not in err
    (out + err).encode("utf-8")


def test_patterns_match_names_that_are_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path / "repo", BAD_NAMES, 'organisation: T\nexclude: ["d*/**", "*.yml"]\n')
    code, out, _ = _run(
        capsys, "lint", "--root", str(root), "--as-of", "2026-11-24", "--format", "json"
    )
    assert code == 1
    paths = {f["path"] for f in json.loads(out)["findings"]} - {"socialgov.yaml"}
    assert paths == {os.fsdecode(b"\xff\xfe.yaml"), os.fsdecode(b"\xed\xa0\x80.yaml")}


# --------------------------------------------------------------------------- 2. amplification

LONG = "x" * 90_000  # under max_scalar_chars (100,000)


def _lint_json(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> tuple[int, dict]:
    code, out, err = _run(
        capsys, "lint", "--root", str(root), "--no-cache", "--as-of", "2026-11-24",
        "--format", "json", *extra,
    )  # fmt: skip
    assert code in (0, 1), err
    return code, json.loads(out)


def _assert_bounded(report: dict, max_chars: int = 4000, max_related: int = 100) -> None:
    for finding in report["findings"]:
        assert len(finding["message"]) <= max_chars
        assert len(finding["related"]) <= max_related


@pytest.mark.parametrize(
    "field",
    ["owner", "team", "handle", "url", "language"],  # SG101 / SG104 / SG107 quote the value
)
def test_aliases_of_one_long_value_do_not_multiply_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str
) -> None:
    accounts = "".join(f"  - {{id: a{i}, platform: x, {field}: *long}}\n" for i in range(400))
    root = _repo(tmp_path / "repo", {"a.yaml": f"x-long: &long {LONG}\naccounts:\n{accounts}"})
    _, report = _lint_json(capsys, root)
    _assert_bounded(report)
    assert len(json.dumps(report)) < 400 * 4000 + 2_000_000  # not 400 x 90,000


@pytest.mark.parametrize("placeholders", ["{value}", "{id}{kind}{value}", "{labels}"])
def test_a_template_of_thousands_of_placeholders_is_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], placeholders: str
) -> None:
    template = placeholders * (60_000 // len(placeholders))  # ~20,000 placeholders
    labels = "{" + ", ".join(f"k{i}: *long" for i in range(50)) + "}"
    rule = (
        "kind: Rule\nid: r\ncode: ACME001\nseverity: error\ndescription: d\n"
        "select: {kind: Account}\nassert: {field: handle, eq: nobody}\n"
        f'message: "{template}"\n'
    )
    accounts = "".join(
        f"  - {{id: a{i}, platform: x, handle: *long, labels: {labels}}}\n" for i in range(200)
    )
    root = _repo(
        tmp_path / "repo",
        {"r.yaml": rule, "a.yaml": f"x-long: &long {LONG}\naccounts:\n{accounts}"},
    )
    _, report = _lint_json(capsys, root, "--select", "ACME001")
    assert len(report["findings"]) == 200
    _assert_bounded(report)


@pytest.mark.parametrize("assertion", ["unique: handle", "same: handle"])
def test_findings_per_entity_name_a_bounded_few_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], time_limit: object, assertion: str
) -> None:
    n = 4000
    rule = (
        "kind: Rule\nid: r\ncode: ACME002\nseverity: error\ndescription: d\n"
        f"select: {{kind: Account}}\nassert: {{{assertion}}}\n"
    )
    value = (lambda i: "same") if assertion.startswith("unique") else (lambda i: f"h{i}")
    accounts = "".join(f"  - {{id: a{i}, platform: x, handle: {value(i)}}}\n" for i in range(n))
    root = _repo(tmp_path / "repo", {"r.yaml": rule, "a.yaml": f"accounts:\n{accounts}"})
    with time_limit(60):  # type: ignore[operator]
        _, report = _lint_json(capsys, root, "--select", "ACME002")
    found = report["findings"]
    assert len(found) >= n - 1
    _assert_bounded(report, max_related=10)
    assert f"and {n - 1 - 5} more" in found[-1]["message"] or "more values" in found[-1]["message"]


# --------------------------------------------------------------------------- 3. super-linear paths


@pytest.mark.parametrize("kind", ["unknown", "no-reason", "expired", "long-unknown"])
def test_many_invalid_waivers_on_one_entity_take_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], time_limit: object, kind: str
) -> None:
    n = 10_000
    waiver = {
        "unknown": "{{rule: SG9{i:05d}, reason: r}}",
        "no-reason": "{{rule: SG201}}",
        "expired": "{{rule: SG203, reason: r, expires: 2020-01-01}}",
        "long-unknown": "{{rule: " + "q" * 300 + "{i}, reason: r}}",
    }[kind]
    waivers = "".join(f"  - {waiver.format(i=i)}\n" for i in range(n))
    text = f"kind: Account\nid: a\nplatform: x\nwaivers:\n{waivers}"
    root = _repo(tmp_path / "repo", {"a.yaml": text})
    with time_limit(60):  # type: ignore[operator]
        code, report = _lint_json(capsys, root, "--select", "SG106")
    assert code == 1 and len(report["findings"]) == n


@pytest.mark.parametrize("levels", [30, 60])
def test_a_diamond_chain_of_folder_links_is_walked_once_per_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], time_limit: object, levels: int
) -> None:
    root = _repo(tmp_path / "repo", {f"d{levels}/t.yaml": "kind: Team\nid: t\nlead: x\n"})
    for i in range(levels):
        (root / f"d{i}").mkdir(exist_ok=True)
        for name in ("a", "b", "c"):  # each folder links two or three times to the next
            (root / f"d{i}" / name).symlink_to(f"../d{i + 1}", target_is_directory=True)
    with time_limit(20):  # type: ignore[operator]
        _, report = _lint_json(capsys, root, "--select", "SG1,SG2")
    paths = {f["path"] for f in report["findings"]}
    assert f"d{levels}/t.yaml" in paths  # found once, under its own name


def test_links_reach_a_hidden_folder_once_under_the_smallest_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path / "repo", {".h/t.yaml": "kind: Team\nid: t\nlaed: x\n"})
    for name in ("z", "b", "m"):
        (root / name).symlink_to(".h", target_is_directory=True)
    _, report = _lint_json(capsys, root, "--select", "SG101")
    assert [f["path"] for f in report["findings"]] == ["b/t.yaml"]


@pytest.mark.parametrize("values", [40, 80])
def test_patterns_share_one_matching_budget_per_run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    time_limit: object,
    values: int,
) -> None:
    import socialgov.lang.selectors

    # A budget far below what the values take together on any machine (each takes tens of
    # milliseconds, 40 take over a second), and below the per-value timeout (0.5 s), so the
    # budget, not a single value, is what stops the run, however fast the machine.
    monkeypatch.setattr(socialgov.lang.selectors, "MATCH_TOTAL_SECONDS", 0.2)
    rule = (
        "kind: Rule\nid: slow\ncode: ACME003\nseverity: error\ndescription: d\n"
        "select: {kind: Account}\nassert: {field: handle, matches: '(a|aa)+$'}\n"
    )
    accounts = "".join(
        f"  - {{id: a{i}, platform: x, handle: {'a' * 26}b}}\n" for i in range(values)
    )
    root = _repo(tmp_path / "repo", {"r.yaml": rule, "a.yaml": f"accounts:\n{accounts}"})
    with time_limit(30):  # type: ignore[operator]
        code, _, err = _run(capsys, "lint", "--root", str(root), "--no-cache", "--as-of",
                            "2026-11-24", "--select", "ACME003")  # fmt: skip
    assert code == 2
    assert "in all, the run's budget for matching" in err and "(a|aa)+$" in err


# --------------------------------------------------------------------------- 4. values Python cannot take

HUGE = "9" * 5000  # wider than Python's int-to-text limit (4,300 digits)


@pytest.mark.parametrize("exact", ["0", "1"])
@pytest.mark.parametrize(
    "text",
    [
        f"kind: Account\nid: a\nplatform: x\nmetrics: {{followers: {HUGE}}}\n",
        f"kind: Account\nid: a\nplatform: x\nlabels: {{n: {HUGE}}}\n",
        f"kind: Account\nid: a\nplatform: x\nterms: {{{HUGE}: -{HUGE}}}\n",
        f"kind: Account\nid: a\nplatform: x\nmetrics: {{followers: 0x{'f' * 4000}}}\n",
        f"kind: Policy\nid: p\nversion: {HUGE}\nterms: {{x: {'9' * 4000}}}\n",
    ],
)
def test_integers_wider_than_python_prints_are_findings(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    exact: str,
) -> None:
    monkeypatch.setenv("SOCIALGOV_EXACT_PARSER", exact)
    rule = (
        "kind: Rule\nid: r\ncode: ACME004\nseverity: error\ndescription: d\n"
        "select: {kind: [Account, Policy]}\nassert: {field: metrics.followers, gt: 1}\n"
        'message: "{id} {metrics.followers} {terms} {labels} {version}"\n'
    )
    root = _repo(tmp_path / "repo", {"a.yaml": text, "r.yaml": rule})
    for fmt in ("text", "json", "sarif"):
        code, _, err = _run(
            capsys, "lint", "--root", str(root), "--as-of", "2026-11-24", "--format", fmt
        )
        assert code == 1 and err == "", err
    code, _, err = _run(capsys, "audit", "--root", str(root), "--as-of", "2026-11-24")
    assert code == 0 and "internal error" not in err


@pytest.mark.parametrize(
    "pattern",
    ["a{99999999}", "a{4294967295}", "(?:a{1000}){1000}", "((a{50}){50}){50}", "x{0,999999}"],
)
def test_a_repetition_count_too_large_to_compile_is_a_finding_on_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], time_limit: object, pattern: str
) -> None:
    rule = (
        "kind: Rule\nid: r\ncode: ACME005\nseverity: error\ndescription: d\n"
        f"select: {{kind: Account, where: {{handle: {{matches: '{pattern}'}}}}}}\n"
        "assert: {field: handle, present: true}\n"
    )
    root = _repo(tmp_path / "repo", {"r.yaml": rule, "a.yaml": "kind: Account\nid: a\n"})
    with time_limit(20):  # type: ignore[operator]
        _, report = _lint_json(capsys, root, "--select", "SG101")
    messages = [f["message"] for f in report["findings"] if f["path"] == "r.yaml"]
    assert len(messages) == 1
    assert "repeats too much" in messages[0] or "not a valid regular expression" in messages[0]


@pytest.mark.parametrize(
    "config",
    [
        "limits: {max_file_bytes: 9223372036854775808}",
        "limits: {max_file_bytes: 9223372036854775807}",
        "limits: {max_total_bytes: 18446744073709551616}",
        "limits: {max_nodes_per_file: 9223372036854775807}",
        "options: {dormant_days: 9223372036854775807}",
        "options: {review_interval_days: 999999999}",
        f"options: {{max_channels_per_owner: {HUGE}}}",
        f"limits: {{max_depth: {HUGE}}}",
    ],
)
def test_absurd_limits_in_the_configuration_are_a_clear_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str
) -> None:
    root = _repo(
        tmp_path / "repo", {"t.yaml": "kind: Team\nid: t\n"}, f"organisation: T\n{config}\n"
    )
    code, _, err = _run(capsys, "lint", "--root", str(root), "--as-of", "2026-11-24")
    assert code == 2
    assert err.startswith("socialgov: error: socialgov.yaml:2:") and "internal error" not in err


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"version": 1, "findings": [], "n": ' + HUGE + "}", "5,000-digit number"),
        ('{"version": ' + HUGE + "}", "5,000-digit number"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"version": 1, "findings": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
        ('{"version": "' + "v" * 100_000 + '"}', "is not supported"),
        ('{"version": 1e999999}', "is not supported"),
    ],
)
def test_a_hostile_baseline_file_is_a_clear_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, says: str
) -> None:
    root = _repo(tmp_path / "repo", {"t.yaml": "kind: Team\nid: t\n"})
    baseline = root / "b.json"
    baseline.write_text(content, encoding="utf-8")
    code, _, err = _run(
        capsys, "lint", "--root", str(root), "--as-of", "2026-11-24", "--baseline", str(baseline)
    )
    assert code == 2
    assert says in err and len(err) < 1000 and "internal error" not in err


# --------------------------------------------------------------------------- 8. the parse cache


def _peak_rss_of_lint(root: Path) -> tuple[int, int]:
    """(exit code, peak resident memory in KiB) of a lint run in a process of its own."""
    import subprocess

    from conftest import PROJECT

    script = (
        "import resource, sys\n"
        "from socialgov.cli import main\n"
        "code = main(['lint', '--root', sys.argv[1], '--as-of', '2026-11-24', '-q',"
        " '-o', '/dev/null'])\n"
        "print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)], env=env, capture_output=True, timeout=120
    )
    code, peak = done.stdout.split()
    return int(code), int(peak)


@pytest.mark.parametrize("body", ["sparse", "claims-small"])
def test_a_committed_cache_entry_is_not_read_before_it_is_trusted(
    tmp_path: Path, body: str
) -> None:
    root = _repo(tmp_path / "repo", {f"t{i}.yaml": TEAM.format(f"t{i}") for i in range(3)})
    code, baseline_peak = _peak_rss_of_lint(root)  # writes this machine's entries
    entries = [p for p in (root / ".socialgov_cache").rglob("*.pickle")]
    assert code == 1 and entries
    huge = 400 * 1024 * 1024
    for entry in entries:
        header = entry.read_bytes()[:32]  # the digest of the file's bytes: anyone can copy it
        with open(entry, "wb") as handle:
            handle.write(header)
            if body == "claims-small":  # a forged length field saying the body is small
                handle.write(b"\0" * 32 + (16).to_bytes(8, "big"))
            handle.truncate(huge)  # a sparse file: 400 MiB to read, no disk used
    code, peak = _peak_rss_of_lint(root)
    assert code == 1
    assert peak < baseline_peak + 100 * 1024  # KiB: never read whole


def test_a_cache_entry_that_is_a_link_or_a_pipe_is_never_read(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo", {"t.yaml": TEAM.format("t")})
    assert _peak_rss_of_lint(root)[0] == 1
    entries = list((root / ".socialgov_cache").rglob("*.pickle"))
    for i, entry in enumerate(entries):
        entry.unlink()
        if i % 2:
            os.mkfifo(entry)
        else:
            entry.symlink_to("/dev/zero")
    code, _ = _peak_rss_of_lint(root)
    assert code == 1


# --------------------------------------------------------------------------- 9. interrupts, fix, paths


def _big_repo(root: Path, files: int = 150, per_file: int = 100) -> Path:
    _repo(root, {})
    folder = root / "accounts"
    folder.mkdir()
    for f in range(files):
        rows = "".join(
            f"  - {{id: a{f}-{i}, platform: x, handle: h{f}x{i}, owner: p{i}, purpose: service}}\n"
            for i in range(per_file)
        )
        (folder / f"a{f}.yaml").write_text("accounts:\n" + rows, encoding="utf-8")
    return root


@pytest.mark.parametrize("delay", [0.0, 0.5, 1.5, 3.0])
@pytest.mark.parametrize("cache", [True, False])
def test_sigint_stops_a_large_lint_quickly_and_leaves_no_temporary_file(
    tmp_path: Path, delay: float, cache: bool
) -> None:
    import signal
    import subprocess
    import time

    from conftest import PROJECT

    root = _big_repo(tmp_path / "repo")
    out = tmp_path / "out"
    out.mkdir()
    argv = ["lint", "--as-of", "2026-11-24", "-o", str(out / "report.sarif"), "--format", "sarif"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "socialgov", *argv, *([] if cache else ["--no-cache"])],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # the delay counts from when the command runs, not from when Python starts (on a loaded
    # machine that takes a while, and a signal then ends Python's start-up, not socialgov)
    maps = Path(f"/proc/{process.pid}/maps")
    started = time.monotonic()
    while time.monotonic() - started < 30 and process.poll() is None:
        try:
            if "_yaml" in maps.read_text():  # libyaml: socialgov's loader is imported
                break
        except OSError:
            break
        time.sleep(0.01)
    time.sleep(delay)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    stopped = time.monotonic() - sent
    if process.returncode == 2:  # interrupted (a fast machine may have finished: exit 1)
        assert b"aborted" in err and b"Traceback" not in err
        assert stopped < 3.0  # about a second, with room for a loaded CI machine
    else:
        assert process.returncode == 1
    left = [
        p
        for p in [*root.rglob("*"), *out.iterdir()]
        if p.name.startswith(".tmp") or p.name.endswith(".tmp")
    ]
    assert left == []


@pytest.mark.parametrize("files", [1, 3])
def test_fix_that_can_write_nothing_never_says_nothing_to_fix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    files: int,
) -> None:
    import errno

    root = _repo(tmp_path / "repo", {})
    code, _, err = _run(capsys, "fix", "--root", str(root))
    assert err.endswith("Nothing to fix.\n")  # nothing there: the plain answer
    for i in range(files):  # a leading @ on a handle: a safe fix
        (root / f"a{i}.yaml").write_text(
            f"kind: Account\nid: a{i}\nplatform: x\nhandle: '@acme{i}'\n", "utf-8"
        )
    real_replace = os.replace

    def read_only(source: object, target: object) -> None:  # a read-only file system
        if str(target).startswith(str(root)):
            raise OSError(errno.EROFS, "Read-only file system")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", read_only)
    code, _, err = _run(capsys, "fix", "--root", str(root))
    assert code == 1
    assert "Nothing to fix" not in err
    assert "No fix written: " in err and "could not be written" in err
    assert err.count("cannot write: Read-only file system") == files
    assert not list(root.glob(".a*.tmp"))  # the temporary files are gone


@pytest.mark.parametrize("command", ["lint", "fix"])
@pytest.mark.parametrize(
    "outside", ["../elsewhere.yaml", "/etc/hostname", "{tmp}/other/a.yaml", "{tmp}/repo/../x.yaml"]
)
def test_paths_outside_the_repository_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, outside: str
) -> None:
    root = _repo(tmp_path / "repo", {"t.yaml": TEAM.format("t")})
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.yaml").write_text(TEAM.format("o"), "utf-8")
    path = outside.format(tmp=tmp_path)
    os.chdir(root)
    try:
        code, out, err = _run(capsys, command, "--root", str(root), "--as-of", "2026-11-24", path)
    finally:
        os.chdir(tmp_path)
    assert code == 2
    assert "not inside the policy repository" in err
    assert "No problems" not in out + err and "Nothing to fix" not in out + err
    code, out, err = _run(capsys, command, "--root", str(root), "--as-of", "2026-11-24",
                          str(root / "t.yaml"))  # fmt: skip
    assert code in (0, 1) and "not inside" not in err
