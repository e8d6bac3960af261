"""``socialgov directory``: the public directory of examples/acme and of hostile repositories,
checked for private data, escaping and links, and driven in headless Chromium over the DevTools
protocol (``--remote-debugging-pipe``): the filter typed into, the keyboard, the screenshot."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import subprocess
import textwrap
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import ACME, PROJECT, MakeRepo, find_browser
from socialgov.cli import main

WIDTH, HEIGHT = 1280, 1400
ANSWER_SECONDS = 120


def build(root: Path, out: Path, capsys: pytest.CaptureFixture[str] | None = None) -> str:
    assert main(["directory", "--root", str(root), "-o", str(out)]) == 0
    return capsys.readouterr().out if capsys is not None else ""


def every_file(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


class Page(HTMLParser):
    """The links, scripts, landmarks, headings and table rows of a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0
        self.tags: set[str] = set()
        self.headings: list[tuple[str, str]] = []
        self.rows: list[dict[str, str | None]] = []
        self._heading: tuple[str, list[str]] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.add(tag)
        if tag == "a" and values.get("href") is not None:
            self.hrefs.append(values["href"] or "")
        if tag == "script":
            self.scripts += 1
        if tag == "tr" and "data-search" in values:
            self.rows.append(values)
        if tag in ("h1", "h2"):
            self._heading = (tag, [])

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == self._heading[0]:
            self.headings.append((tag, "".join(self._heading[1]).strip()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading[1].append(data)


def load_all(folder: Path) -> Iterator[Any]:
    for path in sorted(folder.rglob("*.yaml")):
        yield from yaml.safe_load_all(path.read_text(encoding="utf-8"))


def acme_private_values() -> set[str]:
    """Every person's name and email, and every label value, waiver reason, access and security
    value written in examples/acme: none of them may reach the directory."""
    private: set[str] = set()

    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)
        elif isinstance(value, str) and len(value) >= 6:
            yield value

    for document in load_all(ACME):
        if not isinstance(document, dict):
            continue
        for person in [
            *document.get("people", []),
            *([document] if document.get("kind") == "Person" else []),
        ]:
            private.update(v for k, v in person.items() if k in ("name", "email"))
        for account in [
            *document.get("accounts", []),
            *([document] if document.get("kind") == "Account" else []),
        ]:
            for key in ("labels", "waivers", "security", "access", "archive", "login_email"):
                private.update(walk(account.get(key)))
    return private


# ----------------------------------------------------------------------------- acme


@pytest.fixture(scope="module")
def acme_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("acme-directory")
    build(ACME, out)
    return out


def acme_entities(kind: str, plural: str) -> list[dict[str, Any]]:
    """The entities of one kind in examples/acme, in collections or as single documents."""
    found: list[dict[str, Any]] = []
    for document in load_all(ACME):
        if isinstance(document, dict):
            found.extend(document.get(plural, []))
            if document.get("kind") == kind:
                found.append(document)
    return found


def acme_accounts() -> list[dict[str, Any]]:
    return acme_entities("Account", "accounts")


def test_acme_directory_files_and_schema(acme_out: Path) -> None:
    files = every_file(acme_out)
    teams = {t["id"] for t in acme_entities("Team", "teams")}
    used = {a.get("team") for a in acme_accounts() if a.get("status") != "planned"}
    # a page per team, and one for the accounts that name no team
    pages = {f"teams/{t}.html" for t in teams & used}
    pages |= {"teams/_no-team.html"} if used - teams else set()
    assert set(files) == {"index.html", "accounts.json"} | pages
    document = json.loads(files["accounts.json"])
    schema = json.loads((PROJECT / "schemas" / "directory.schema.json").read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(document)) == []
    live = [a for a in acme_accounts() if a.get("status", "active") not in ("retired", "planned")]
    retired = [a for a in acme_accounts() if a.get("status") == "retired"]
    assert len(document["accounts"]) == len(live) and retired
    assert {a["url"] for a in document["accounts"]} >= {a["url"] for a in live if "url" in a}
    assert [(c["status"], c["name"]) for c in document["closed"]] == [
        ("closed", a.get("name")) for a in retired
    ]
    for closed, account in zip(document["closed"], retired, strict=True):
        assert closed["retired_on"] == (
            str(account["retired_on"]) if "retired_on" in account else None
        )


def test_acme_directory_holds_no_private_data(acme_out: Path) -> None:
    private = acme_private_values()
    assert len(private) > 20  # the example has people, labels and waivers to leak
    for name, text in every_file(acme_out).items():
        leaked = sorted(value for value in private if value in text)
        assert leaked == [], name
        assert "@acme.example" not in text.replace("@acme.example</a>", ""), name
    document = json.loads((acme_out / "accounts.json").read_text())
    keys = {k for a in document["accounts"] + document["closed"] for k in a}
    assert keys <= {
        "platform",
        "handle",
        "url",
        "name",
        "team",
        "language",
        "verified",
        "tags",
        "status",
        "retired_on",
    }


def test_acme_index_lists_retired_accounts_as_closed_without_links(acme_out: Path) -> None:
    index = (acme_out / "index.html").read_text(encoding="utf-8")
    page = Page(index)
    assert ("h2", "Closed, not ours any more") in page.headings
    closed_rows = [r for r in page.rows if "closed" in (r.get("data-search") or "").split()]
    retired = [a for a in acme_accounts() if a.get("status") == "retired"]
    assert len(closed_rows) == len(retired)
    for account in retired:
        # a closed handle may belong to someone else now: its address is text, never a link
        assert account["url"] not in page.hrefs
        assert account["url"] in index
    assert page.scripts == 1
    assert {"header", "nav", "main", "footer"} <= page.tags
    assert "from commit " in index or "not in a git commit" in index
    assert re.search(r"Generated on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} UTC", index)


# ----------------------------------------------------------------------------- hostile input

HOSTILE = """\
teams:
  - {id: t1, name: "<script>alert('team')</script>", function: service}
people:
  - {id: p1, name: Jo Secret, email: jo.secret@private.example, employment: full_time}
accounts:
  - id: a1
    platform: other
    url: "javascript:alert(document.cookie)"
    name: "<img src=x onerror=alert(1)>"
    team: t1
    owner: p1
    labels: {cost: CC-SECRET-1, office: "Leeds & <York>"}
  - id: a2
    platform: other
    url: "data:text/html,<script>alert(2)</script>"
    handle: "\\"><script>alert(3)</script>"
    team: t1
    security: {mfa: true, credential_custodian: vault-secret-9}
  - id: a3
    platform: other
    url: "https://example.org/a\\" onmouseover=\\"alert(4)"
    team: t1
  - id: a4
    platform: x
    handle: safe_one
    team: t1
    tags: ["</td><td>", "ok"]
    waivers:
      - {rule: SG201, reason: WAIVER-REASON-SECRET, approved_by: p1, expires: 2099-01-01}
  - id: a5
    platform: other
    url: "  JavaScript:alert(5)"
    status: retired
"""


def test_hostile_values_are_escaped_and_never_links(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo(
        {"all.yaml": HOSTILE},
        config='organisation: "O\'Hare & <Sons>"\ndirectory:\n  public_labels: [office]\n',
    )
    out = tmp_path / "site"
    build(root, out)
    files = every_file(out)
    for name in ("index.html", "teams/t1.html"):
        text = files[name]
        page = Page(text)
        assert page.scripts == 1, name
        assert "<img" not in text and "<script>alert" not in text and 'onmouseover="' not in text
        for href in page.hrefs:
            assert href.startswith(
                ("https://", "http://", "#", "teams/", "../", "accounts.json")
            ), (name, href)
        assert "https://x.com/safe_one" in page.hrefs
        assert "&lt;script&gt;alert(&#39;team&#39;)&lt;/script&gt;" in text
        assert "Leeds &amp; &lt;York&gt;" in text  # a public label, escaped
        for secret in ("Jo Secret", "jo.secret", "CC-SECRET-1", "vault-secret-9", "WAIVER-REASON"):
            assert secret not in text, (name, secret)
    document = json.loads(files["accounts.json"])
    urls = {a["url"] for a in document["accounts"] + document["closed"]}
    assert not any(u and not u.startswith(("http://", "https://")) for u in urls)
    by_id = {a["name"]: a for a in document["accounts"]}
    assert by_id["<img src=x onerror=alert(1)>"]["labels"] == {"office": "Leeds & <York>"}
    assert "CC-SECRET-1" not in files["accounts.json"]


def test_rewriting_removes_only_stale_team_pages(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo(
        {
            "a.yaml": """\
            teams: [{id: care, name: Care}, {id: sales, name: Sales}]
            accounts:
              - {id: a, platform: x, handle: acme_care, team: care}
              - {id: b, platform: x, handle: acme_sales, team: sales}
            """
        }
    )
    out = tmp_path / "site"
    out.mkdir()
    (out / "CNAME").write_text("accounts.acme.example\n")
    build(root, out)
    assert (out / "teams" / "sales.html").is_file()
    (root / "a.yaml").write_text(
        "teams: [{id: care, name: Care}]\naccounts:\n  - {id: a, platform: x, handle: acme_care, team: care}\n"
    )
    build(root, out)
    assert sorted(every_file(out)) == ["CNAME", "accounts.json", "index.html", "teams/care.html"]


def test_generated_time_and_commit(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"a.yaml": "accounts:\n  - {id: a, platform: x, handle: acme}\n"})
    git = [
        "git",
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "."], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-qm", "first"], check=True)
    head = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764966600")  # 2025-12-05 20:30 UTC
    out = tmp_path / "site"
    build(root, out)
    index = (out / "index.html").read_text()
    assert f"Generated on 2025-12-05 at 20:30 UTC from commit {head[:12]} by socialgov" in index
    document = json.loads((out / "accounts.json").read_text())
    assert (document["generated"], document["commit"]) == ("2025-12-05T20:30:00Z", head)
    (root / "a.yaml").write_text("accounts:\n  - {id: a, platform: x, handle: acme2}\n")
    build(root, out)
    assert "(with changes not yet committed)" in (out / "index.html").read_text()


def test_output_that_is_a_file_is_a_message(
    make_repo: MakeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({})
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["directory", "--root", str(root), "-o", str(target)]) == 2
    assert "is a file" in capsys.readouterr().err and target.read_text() == "x"


# ----------------------------------------------------------------------------- Chromium


class Browser:
    """Headless Chromium driven over ``--remote-debugging-pipe`` (file descriptors 3 and 4):
    no port is opened, the browser reaches no network."""

    def __init__(self, workdir: Path, *extra: str) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def plumbing() -> None:
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [
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
                "--remote-debugging-pipe",
                f"--user-data-dir={workdir / 'profile'}",
                f"--window-size={WIDTH},{HEIGHT}",
                *extra,
                "about:blank",
            ],
            pass_fds=(3, 4),  # what plumbing() puts there
            preexec_fn=plumbing,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> Any:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                assert "error" not in reply, (method, reply["error"])
                return reply.get("result", {})
            self.events.append(reply)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], ANSWER_SECONDS)
            assert ready, f"the browser did not answer in {ANSWER_SECONDS} s"
            chunk = os.read(self._from_browser, 1 << 16)
            assert chunk, "the browser closed the pipe"
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def open(self, url: str) -> None:
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send(
            "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=False
        )["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Log.enable")
        self.viewport(WIDTH, HEIGHT)
        self.send("Page.navigate", {"url": url})
        for _ in range(400):
            if self.evaluate("document.readyState") == "complete":
                return
            time.sleep(0.05)
        raise AssertionError("the page did not load")

    def viewport(self, width: int, height: int) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def key(self, key: str, code: str, key_code: int, shift: bool = False) -> None:
        modifiers = 8 if shift else 0
        for kind in ("rawKeyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                {
                    "type": kind,
                    "key": key,
                    "code": code,
                    "windowsVirtualKeyCode": key_code,
                    "modifiers": modifiers,
                },
            )

    def screenshot(self) -> bytes:
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    @property
    def console(self) -> list[Any]:
        kinds = ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")
        return [e for e in self.events if e.get("method") in kinds]

    def close(self) -> None:
        with contextlib.suppress(AssertionError, OSError):
            self.send("Browser.close", session=False)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    opened = Browser(tmp_path)
    try:
        yield opened
    finally:
        opened.close()


VISIBLE_ROWS = (
    "Array.from(document.querySelectorAll('tr[data-search]'))"
    ".filter(r => r.offsetParent !== null).map(r => r.getAttribute('data-search'))"
)


def test_acme_directory_in_chromium_filters_as_you_type(
    acme_out: Path, browser: Browser, tmp_path: Path
) -> None:
    browser.open((acme_out / "index.html").as_uri())
    assert browser.evaluate("document.title") == "Official social media accounts of Acme Corp"
    every = browser.evaluate(VISIBLE_ROWS)
    assert len(every) == len([a for a in acme_accounts() if a.get("status") != "planned"])
    # the filter appears with the script; typing narrows the list, section by section
    assert browser.evaluate("document.getElementById('filter-form').hidden") is False
    browser.evaluate("document.getElementById('filter').focus()")
    browser.send("Input.insertText", {"text": "instagram"})
    shown = browser.evaluate(VISIBLE_ROWS)
    assert shown and len(shown) < len(every)
    assert all("instagram" in row for row in shown)
    assert shown == [row for row in every if "instagram" in row]
    status = browser.evaluate("document.getElementById('filter-status').textContent")
    assert status == f"{len(shown)} of {len(every)} accounts match"
    hidden_sections = browser.evaluate(
        "Array.from(document.querySelectorAll('section.group')).filter(s => s.hidden).length"
    )
    assert hidden_sections > 0
    browser.send("Input.insertText", {"text": " zzz-no-such-account"})
    assert browser.evaluate(VISIBLE_ROWS) == []
    assert browser.evaluate("document.getElementById('filter-status').textContent") == (
        f"0 of {len(every)} accounts match"
    )
    browser.evaluate("const f = document.getElementById('filter'); f.select()")
    browser.key("Backspace", "Backspace", 8)
    assert browser.evaluate(VISIBLE_ROWS) == every
    assert browser.console == []
    # a link may carry the filter: index.html?q=WORDS opens filtered
    browser.send("Page.navigate", {"url": (acme_out / "index.html").as_uri() + "?q=TikTok"})
    for _ in range(400):
        loaded = "document.readyState == 'complete' && document.getElementById('filter')"
        if browser.evaluate(f"({loaded} || {{}}).value") == "TikTok":
            break
        time.sleep(0.05)
    linked = browser.evaluate(VISIBLE_ROWS)
    assert linked == [row for row in every if "tiktok" in row] and linked


def test_acme_directory_in_chromium_keyboard_and_layout(acme_out: Path, browser: Browser) -> None:
    browser.open((acme_out / "index.html").as_uri())
    # the first Tab reaches the skip link, which moves focus to the list
    browser.key("Tab", "Tab", 9)
    assert browser.evaluate("document.activeElement.textContent") == "Skip to the accounts"
    browser.key("Enter", "Enter", 13)
    assert browser.evaluate("document.activeElement.id") == "main"
    # nothing is wider than the window; the focus ring is visible
    assert browser.evaluate("document.documentElement.scrollWidth") <= WIDTH
    browser.evaluate("document.getElementById('filter').focus()")
    outline = browser.evaluate("getComputedStyle(document.getElementById('filter')).outlineStyle")
    assert outline == "solid"
    png = browser.screenshot()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(png) > 60_000  # tables of accounts, not a blank page
    # text contrast: the body text and the links on their backgrounds meet WCAG AA (4.5:1)
    ratios = browser.evaluate(CONTRAST)
    assert ratios and min(ratios) >= 4.5, ratios
    # on a phone's width nothing overflows either
    browser.viewport(375, 800)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 375
    assert browser.console == []


CONTRAST = textwrap.dedent(
    """
    (() => {
      const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
      const lum = c => {
        const [r, g, b] = c.map(v => { v /= 255;
          return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const background = el => {
        for (let e = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return rgb(c);
        }
        return [255, 255, 255];
      };
      const els = document.querySelectorAll('h1, h2, p, th, td, a, label, caption, span');
      return Array.from(els).filter(e => e.offsetParent !== null && e.textContent.trim())
        .map(e => {
          const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        });
    })()
    """
)


def test_directory_without_script_lists_everything(acme_out: Path, tmp_path: Path) -> None:
    browser = Browser(tmp_path, "--blink-settings=scriptEnabled=false")
    try:
        browser.open((acme_out / "index.html").as_uri())
        assert browser.evaluate("document.getElementById('filter-form').offsetParent") is None
        rows = browser.evaluate(VISIBLE_ROWS)
        assert len(rows) == len([a for a in acme_accounts() if a.get("status") != "planned"])
    finally:
        browser.close()
