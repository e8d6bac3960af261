"""The HTML audit in a real browser: headless Chromium renders it, screenshots it, and logs nothing.

Chromium is a test dependency installed from Debian's ``chromium`` package. .ci/run installs it and
requires these tests to run (a missing browser fails them there); on a machine without it they are
skipped with a reason that says how to install it.
The browser runs without network access to anything (background networking, component updates
and sync are off, and the page's Content Security Policy forbids every load).
"""

from __future__ import annotations

import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from conftest import ACME, MakeRepo, find_browser, run_audit
from socialgov.audit.renderers import RenderOptions, renderer
from test_audit_render import SECTIONS as REPORT_SECTIONS

WIDTH, HEIGHT = 1280, 2000
SECTIONS = ["Maturity stage", "Worst gaps", "Who must act first", *REPORT_SECTIONS]


class Rendered:
    def __init__(self, dom: str, log: str, screenshot: Path) -> None:
        self.dom = dom
        self.log = log
        self.screenshot = screenshot

    @property
    def console(self) -> list[str]:
        """Everything the page wrote to the console: errors, CSP refusals, uncaught exceptions."""
        return [line for line in self.log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def open_in_chromium(page: Path, workdir: Path) -> Rendered:
    shot = workdir / "screenshot.png"
    command = [
        find_browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--mute-audio",
        f"--user-data-dir={workdir / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        f"--window-size={WIDTH},{HEIGHT}",
        f"--screenshot={shot}",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=workdir)
    assert done.returncode == 0, done.stderr[-2000:]
    return Rendered(done.stdout, done.stderr, shot)


class Outline(HTMLParser):
    """The headings and element names of a DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in ("h1", "h2", "h3"):
            self._open = (tag, [])

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            self.headings.append((tag, "".join(self._open[1]).strip()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)


def outline(dom: str) -> Outline:
    parsed = Outline()
    parsed.feed(dom)
    return parsed


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def write_html(report_root: Path, target: Path, **overrides: object) -> Path:
    report = run_audit(report_root, **overrides)
    target.write_text(renderer("html")(report, RenderOptions()), encoding="utf-8")
    return target


def test_acme_audit_renders_in_chromium_with_its_headings_and_no_console_output(
    tmp_path: Path,
) -> None:
    page = write_html(ACME, tmp_path / "acme-audit.html")
    rendered = open_in_chromium(page, tmp_path)
    parsed = outline(rendered.dom)
    assert ("h1", "Acme Corp: social media governance audit") in parsed.headings
    h2 = [text for tag, text in parsed.headings if tag == "h2"]
    assert h2 == SECTIONS
    assert "svg" in parsed.tags and "script" not in parsed.tags
    assert rendered.console == []
    assert png_size(rendered.screenshot) == (WIDTH, HEIGHT)
    # a blank or broken page compresses to a few kilobytes; the report is charts and tables
    assert rendered.screenshot.stat().st_size > 60_000


def test_hostile_values_render_as_text_in_the_browser(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo(
        {
            "a.yaml": """\
                people:
                  - {id: jdoe, name: "<img src=x onerror=alert(1)>", employment: full_time}
                accounts:
                  - id: evil
                    platform: x
                    handle: "<script>alert(1)</script>"
                    owner: jdoe
                    objectives: [missing]
                    terms: {hours: "</td></tr></table><script>alert(2)</script>"}
            """
        },
        config="organisation: '<script>alert(3)</script>'\n",
    )
    rendered = open_in_chromium(write_html(root, tmp_path / "hostile.html"), tmp_path)
    parsed = outline(rendered.dom)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert ("h1", "<script>alert(3)</script>: social media governance audit") in parsed.headings
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.dom
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered.dom
    assert rendered.console == []


def test_the_console_check_sees_errors(tmp_path: Path) -> None:
    """The harness itself: a page that errs must be caught, or the checks above prove nothing."""
    page = tmp_path / "erring.html"
    page.write_text(
        "<!DOCTYPE html><html><body><h1>x</h1>"
        "<script>console.error('broken'); notAFunction();</script></body></html>",
        encoding="utf-8",
    )
    rendered = open_in_chromium(page, tmp_path)
    assert any("broken" in line for line in rendered.console)
    assert any("Uncaught" in line for line in rendered.console)
