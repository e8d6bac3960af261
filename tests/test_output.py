"""socialgov.core.output: what every command prints and writes (docs/security.md, issue 16 classes 1
and 6). Through the command line (``main``), on repositories a pull request could send."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import AS_OF, PROJECT
from socialgov.cli import main
from socialgov.core import output
from socialgov.core.output import plain

# .NET's char.IsWhiteSpace: what the runner's TrimStart() removes before looking for "::".
DOTNET_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


def runner_commands(text: str) -> list[str]:
    """The lines of ``text`` GitHub's runner would act on: it splits at CR, LF and CRLF, takes a
    line as a command when it starts with ``::`` once leading white space is trimmed, and its
    legacy parser takes ``##[`` anywhere in a line."""
    return [
        line
        for line in re.split("\r\n|\r|\n", text)
        if line.lstrip(DOTNET_SPACE).startswith("::") or "##[" in line
    ]


def test_python_strips_every_space_the_runner_trims() -> None:
    # plain() relies on str.lstrip() trimming at least what .NET's TrimStart() does
    assert DOTNET_SPACE.strip() == ""
    assert all(ch.isspace() for ch in DOTNET_SPACE)


@pytest.mark.parametrize(
    "line",
    [
        "::error::x",
        "  ::warning file=a::x",
        "\t::stop-commands::tok",
        "\u00a0::error::nbsp",
        "\u2003\u3000::add-mask::secret",
        "\u205f::notice::x",
        "x ##[error]legacy anywhere",
        "##[group]fold",
        "a\r::error::carriage return",
        "a\u2028::error::line separator",
        "a\x85::error::next line",
        "a\x0b\x0c::error::vertical tab",
    ],
)
def test_plain_leaves_no_line_the_runner_runs(line: str) -> None:
    safe = plain(f"ok\n{line}\nok\n")
    assert runner_commands(safe) == []
    assert safe.count("\n") == 3  # no line added or removed
    assert plain("no command here: a::b ## [x]\n") == "no command here: a::b ## [x]\n"


def test_plain_changes_what_a_full_scan_would_and_nothing_else() -> None:
    """plain() looks for each kind of line break before scanning with its regular expression:
    on texts made of every character it cares about, it gives what the scan alone gives."""
    import random

    breaks = re.compile("\r(?!\n)|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

    def visible(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    def scanned(text: str) -> str:
        text = breaks.sub(visible, text.replace("##[", "##\\x5b"))
        lines = text.split("\n")
        for i, line in enumerate(lines):
            rest = line.lstrip()
            if rest.startswith("::"):
                lines[i] = line[: len(line) - len(rest)] + "\\x3a" + rest[1:]
        return "\n".join(lines)

    alphabet = "ab \r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029:#[\u00e9"
    pick = random.Random(18)
    for _ in range(20_000):
        text = "".join(pick.choice(alphabet) for _ in range(pick.randint(0, 14)))
        assert plain(text) == scanned(text), repr(text)
    assert plain("a\r\nb\r\n") == "a\r\nb\r\n"  # CSV's row ends stay
    assert plain("a\r\nb\rc") == "a\r\nb\\x0dc"


def _repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "socialgov.yaml").write_text("organisation: T\n", encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# File names a pull request can choose: each begins a text line, after Unicode white space.
HOSTILE_NAMES = [
    "\u00a0::error file=x::forged.yaml",
    "\u2003::stop-commands::token.yaml",
    " \t::warning::tab.yaml",
    "\u3000::add-mask::secret.yaml",
    "x##[error]legacy.yaml",
    "sub/\u205f::notice::deep.yaml",
]
HOSTILE_VALUES = [
    "x\n::error::forged",
    "x\r\n  ::warning::crlf",
    "x\u2028\u00a0::error::ls",
    "x\x85::error::nel",
    "##[error]legacy",
    "a ##[warning]b ##[group]c",
]


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    files = {name: f"kind: Team\nid: t{i}\nlaed: x\n" for i, name in enumerate(HOSTILE_NAMES)}
    teams = "".join(
        f"  - {{id: v{i}, lead: {json.dumps(v)}}}\n" for i, v in enumerate(HOSTILE_VALUES)
    )
    files["values.yaml"] = "teams:\n" + teams
    rule_tests = "".join(
        f"  - name: {json.dumps(v)}\n    entities: [{{kind: Team, id: t, function: pr}}]\n"
        "    expect: pass\n"
        for v in HOSTILE_VALUES
    )
    files["rules/r.yaml"] = (
        "kind: Rule\nid: r\ncode: ACME001\nseverity: error\ndescription: d\n"
        "select: {kind: Team}\nassert: {field: function, eq: pr}\n"
        'message: "{id} ##[error] forged"\ntests:\n' + rule_tests
    )
    return _repo(tmp_path / "repo", files)


@pytest.mark.parametrize("github", [False, True])
def test_lint_text_never_gives_the_runner_a_command(
    hostile_repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    github: bool,
) -> None:
    monkeypatch.chdir(hostile_repo)
    monkeypatch.setenv("GITHUB_ACTIONS", "true" if github else "false")
    code = main(["lint", "--no-cache", "--as-of", AS_OF.isoformat(), "--select", "SG1"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    commands = runner_commands(out)
    # under GitHub Actions: exactly our annotations, one per finding, and nothing else
    findings = [line for line in out.splitlines() if " SG1" in line and not line.startswith("::")]
    assert len(findings) == len(HOSTILE_NAMES) + len(HOSTILE_VALUES)
    if github:
        assert len(commands) == len(findings)
        assert all(re.match(r"::(error|warning|notice) file=", c) for c in commands)
        assert not any("##[" in c for c in commands)
    else:
        assert commands == []


def test_socialgov_test_output_keeps_each_case_on_one_line(
    hostile_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(hostile_repo)
    assert main(["test", "--as-of", AS_OF.isoformat()]) == 0
    out = capsys.readouterr().out
    assert runner_commands(out) == []
    cases = [line for line in out.splitlines() if line.endswith(" PASSED")]
    assert len(cases) == len(HOSTILE_VALUES)  # a line break in a name starts no line
    assert main(["test", "--as-of", AS_OF.isoformat(), "--format", "junit"]) == 0
    xml = capsys.readouterr().out
    assert runner_commands(xml) == []
    names = [e.get("name") for e in ElementTree.fromstring(xml.encode()).iter("testcase")]
    assert "##[error]legacy" in names  # unchanged in meaning


def test_no_audit_format_gives_the_runner_a_command(
    hostile_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(hostile_repo)
    for fmt in ("table", "markdown", "csv", "html", "json"):
        assert main(["audit", "--no-cache", "--as-of", AS_OF.isoformat(), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert runner_commands(out) == [], fmt
        if fmt == "json":  # printed as written (ESCAPED): plain() would change nothing
            assert plain(out) == out


def test_the_audit_json_is_printed_safe_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The audit's JSON skips plain(): its writer escapes what plain() would change."""
    accounts = "accounts:\n" + "".join(
        f"  - {{id: a{i}, name: {json.dumps(v)}, platform: x, handle: {json.dumps(v)},"
        " status: active, owner: nobody}\n"
        for i, v in enumerate(HOSTILE_VALUES)
    )
    root = _repo(tmp_path / "r", {"\u00a0::error file=x::a.yaml": accounts})
    monkeypatch.chdir(root)
    assert main(["audit", "--no-cache", "--as-of", AS_OF.isoformat(), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert runner_commands(out) == [] and plain(out) == out
    data = json.loads(out)
    assert [c["name"] for c in data["channels"]] == HOSTILE_VALUES  # nothing lost
    assert data["channels"][0]["path"] == "\u00a0::error file=x::a.yaml"


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "junit", "checkstyle"])
def test_machine_formats_are_safe_and_lose_nothing(
    hostile_repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    monkeypatch.chdir(hostile_repo)
    main(["lint", "--no-cache", "--as-of", AS_OF.isoformat(), "--format", fmt])
    out = capsys.readouterr().out
    assert runner_commands(out) == []
    if fmt in ("junit", "checkstyle"):
        texts = " ".join(
            " ".join([e.text or "", *e.attrib.values()])
            for e in ElementTree.fromstring(out.encode()).iter()
        )
    else:
        texts = json.dumps(json.loads(out), ensure_ascii=False)
    assert "##[error]" in texts  # the escapes decode back to what the repository holds


def test_error_lines_never_give_the_runner_a_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repo(tmp_path / "repo", {})
    (root / "socialgov.yaml").write_text('organisation: "##[error]x"\nfail_on: 3\n', "utf-8")
    assert main(["lint", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert err and runner_commands(err) == []


# --------------------------------------------------------------------------- output targets


def _lint(root: Path, *extra: str) -> int:
    return main(["lint", "--root", str(root), "--no-cache", "--as-of", AS_OF.isoformat(), *extra])


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return _repo(tmp_path / "repo", {"t.yaml": "kind: Team\nid: t\nlaed: x\n"})


class FifoReader(threading.Thread):
    """Reads a FIFO for as long as the test needs, whether or not a writer has it open yet (the
    descriptor is non-blocking: no writer reads as end of file, an idle one as no data)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.done = threading.Event()
        self.data = bytearray()

    def run(self) -> None:
        while not self.done.is_set():
            if not self._read():
                time.sleep(0.005)

    def _read(self) -> bool:
        try:
            chunk = os.read(self.fd, 65536)
        except BlockingIOError:
            return False
        self.data += chunk
        return bool(chunk)

    def finish(self) -> bytes:
        self.done.set()
        self.join(10)
        while self._read():
            pass
        os.close(self.fd)
        return bytes(self.data)


WRITERS = [
    ("lint -o", ["lint", "-o", "{}"]),
    ("lint --format", ["lint", "--format", "sarif:{}"]),
    ("--write-baseline", ["lint", "--write-baseline", "{}"]),
    ("audit -o", ["audit", "--format", "json", "-o", "{}"]),
    ("test -o", ["test", "-o", "{}"]),
]


def _argv(template: list[str], root: Path, target: Path) -> list[str]:
    command, *rest = [part.format(target) for part in template]
    return [command, "--root", str(root), "--as-of", AS_OF.isoformat(), *rest]


@pytest.mark.parametrize(("name", "template"), WRITERS)
def test_a_fifo_is_written_through_never_replaced(
    repo: Path, tmp_path: Path, name: str, template: list[str]
) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    reader.start()
    try:
        main(_argv(template, repo, fifo))
    finally:
        got = reader.finish()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got.strip(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "report.fifo"]  # no temp file


@pytest.mark.parametrize(("name", "template"), WRITERS)
def test_a_fifo_nobody_reads_is_an_error_not_a_hang(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, template: list[str]
) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    assert main(_argv(template, repo, fifo)) == 2
    err = capsys.readouterr().err
    assert "no program is reading this FIFO" in err and str(fifo) in err, name
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize(("name", "template"), WRITERS)
def test_a_link_to_a_device_is_written_through_and_kept(
    repo: Path, tmp_path: Path, name: str, template: list[str]
) -> None:
    link = tmp_path / "report.out"
    link.symlink_to(os.devnull)
    code = main(_argv(template, repo, link))
    assert code in (0, 1), name
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("make", ["folder", "socket"])
def test_what_is_neither_file_device_nor_fifo_is_refused(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    target = tmp_path / "target"
    if make == "folder":
        target.mkdir()
    else:
        import socket

        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    link = tmp_path / "link"
    link.symlink_to(target)
    for path in (target, link):
        for template in (WRITERS[0][1], WRITERS[2][1], WRITERS[4][1]):
            assert main(_argv(template, repo, path)) == 2
            err = capsys.readouterr().err
            assert f"is a {make}" in err and "Traceback" not in err
    assert link.is_symlink()


def test_a_regular_file_is_replaced_atomically_and_a_full_device_is_an_error(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.txt"
    report.write_text("old\n", encoding="utf-8")
    report.chmod(0o640)
    assert _lint(repo, "-o", str(report)) == 1
    assert "SG101" in report.read_text("utf-8") and stat.S_IMODE(report.stat().st_mode) == 0o640
    if FULL:
        assert _lint(repo, "-o", "/dev/full") == 2
        assert "no space left" in capsys.readouterr().err.lower()


# Only where /dev/full is the device: never write to a file that has taken its name.
FULL = os.path.exists("/dev/full") and stat.S_ISCHR(os.stat("/dev/full").st_mode)


def _run(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "socialgov", *args], cwd=cwd, env=env, timeout=60, **kwargs
    )


LINT = ["lint", "--no-cache", "--as-of", AS_OF.isoformat()]


AUDIT = ["audit", "--no-cache", "--as-of", AS_OF.isoformat()]


@pytest.mark.parametrize(
    ("command", "code"), [(LINT, 1), (AUDIT, 0), ([*AUDIT, "--format", "json"], 0)]
)
def test_a_closed_standard_output_is_an_error(repo: Path, command: list[str], code: int) -> None:
    done = _run(command, repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert done.returncode == code
    # the shell's >&-: descriptor 1 closed before the program starts
    closed = subprocess.run(
        ["sh", "-c", 'exec "$0" -m socialgov "$@" >&-', sys.executable, *command],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(PROJECT / "src")},
        stderr=subprocess.PIPE,
        timeout=60,
    )
    assert closed.returncode == 2
    assert b"standard output is closed" in closed.stderr and b"Traceback" not in closed.stderr


@pytest.mark.skipif(not FULL, reason="needs /dev/full (a character device)")
@pytest.mark.parametrize("command", [LINT, ["rules"], ["explain", "SG101"], ["schema"]])
def test_a_full_standard_output_is_an_error(repo: Path, command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = _run(command, repo, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert b"no space left on device" in done.stderr.lower()
    assert b"Traceback" not in done.stderr


def test_a_reader_that_goes_away_keeps_the_exit_code(repo: Path) -> None:
    for i in range(40):
        (repo / f"t{i}.yaml").write_text(f"kind: Team\nid: t{i}\nlaed: x\n" * 1, "utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "socialgov", *LINT],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(PROJECT / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head -0`: the reader is gone before anything is written
    err = process.stderr.read()
    assert process.wait(60) == 1  # findings: exit 1, as if the report had been read
    assert err == b""


@pytest.mark.parametrize("gather", [1, 3, 1 << 20])
def test_a_report_written_a_piece_at_a_time_is_made_plain_as_the_whole_text(
    gather: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plain_writing hands on whole lines only, so each is made plain as the whole text's line
    would be, wherever the pieces were cut (a break, a command, a CRLF across a cut)."""
    import random

    monkeypatch.setattr(output, "_GATHER", gather)
    rng = random.Random(gather)
    alphabet = ["a", " ", "\n", "\r\n", "\r", "::", ":", "##[", "#", "[", "\u2028", "\x85"]
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        cuts = sorted(rng.sample(range(len(text) + 1), rng.randint(0, min(8, len(text) + 1))))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        handed: list[str] = []
        output.plain_writing(lambda put, pieces=pieces: [put(p) for p in pieces])(handed.append)
        assert "".join(handed) == plain(text)
        assert all(piece.endswith("\n") for piece in handed[:-1])


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
def test_utf8_pieces_a_stream_cannot_encode_are_written_with_escapes(
    encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A piece handed on as UTF-8 (the audit's JSON) holding a character the stream's encoding
    lacks (a console in cp1252, a redirect in ASCII) is written as text with backslash escapes,
    as a text piece is, and the pieces after it still come: never "standard output is closed"."""
    pieces = ["{ ", "Caf\u00e9 \U0001f4e3 \u4e2d".encode(), b" ok", " }\n"]
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding=encoding))
    output.echo(lambda put: [put(piece) for piece in pieces])
    shown = raw.getvalue().decode(encoding)
    wanted = "{ Caf\u00e9 \U0001f4e3 \u4e2d ok }\n"
    assert shown == wanted.encode(encoding, "backslashreplace").decode(encoding)


class _Unnamed(io.TextIOWrapper):
    """A stream that does not say its encoding (as some stand-ins for standard output)."""

    @property
    def encoding(self) -> None:  # type: ignore[override]
        return None


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", None, "unnamed"])
def test_text_handed_on_as_utf8_comes_out_as_the_same_text_in_order(
    encoding: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A report written a piece at a time may hand on pieces already encoded as UTF-8 (the
    audit's JSON): each destination shows the same text, in order, as if every piece had been
    text: UTF-8 into a UTF-8 stream's bytes, decoded for one that encodes otherwise or holds
    text only (encoding None: a StringIO), and into a file and through a FIFO."""
    pieces = ["{\n  ", "Ré".encode(), memoryview(b'["x", "\\u00e9"]'), "\u00e9\n", b"}\n"]
    text = "".join(p if isinstance(p, str) else str(p, "utf-8") for p in pieces)

    def writing(put: object) -> None:
        for piece in pieces:
            put(piece)  # type: ignore[operator]

    raw = io.BytesIO()
    stream: io.TextIOBase
    if encoding is None:
        stream = io.StringIO()
    elif encoding == "unnamed":
        stream = _Unnamed(raw, encoding="utf-8")
    else:
        stream = io.TextIOWrapper(raw, encoding=encoding)
    monkeypatch.setattr(sys, "stdout", stream)
    output.echo(writing)
    if isinstance(stream, io.StringIO):
        shown = stream.getvalue()
    else:
        shown = raw.getvalue().decode("utf-8" if encoding == "unnamed" else str(encoding))
    assert shown == text
    target = tmp_path / "report.json"
    output.write_report(writing, target)
    assert target.read_text(encoding="utf-8") == text
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    reader.start()
    try:
        output.write_report(writing, fifo)
    finally:
        got = reader.finish()
    assert got.decode("utf-8") == text
