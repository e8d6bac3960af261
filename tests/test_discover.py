"""``socialgov discover``: the crawler against a small site served on 127.0.0.1 by the test
itself, a folder of saved pages, a discovery feed, and the merge into sightings YAML."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from conftest import MakeRepo, found, run_lint
from socialgov.cli import main

Route = Callable[["Handler"], None]

HUGE_LIMIT = 200_000


def page(body: str, title: str = "Acme") -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"
    ).encode()


MENU = """
<nav><ul>
  <li><a href="/about">About</a></li>
  <li><a href="contact">Contact</a></li>
  <li><a href="/news/">News</a></li>
  <li><a href="/old-page">Old page</a></li>
  <li><a href="/loop-a">Loop</a></li>
  <li><a href="/broken">Broken</a></li>
  <li><a href="/error">Error</a></li>
  <li><a href="/private/secret">Staff</a></li>
  <li><a href="/report.pdf">Annual report</a></li>
  <li><a href="/data">Data</a></li>
  <li><a href="/huge">Everything</a></li>
  <li><a href="/redirect-out">Partner</a></li>
  <li><a href="http://localhost:{port}/elsewhere">Our other host</a></li>
  <li><a href="https://www.example.org/acme">Example</a></li>
  <li><a href="javascript:alert(1)">Script</a></li>
  <li><a href="mailto:press@acme.example">Press</a></li>
</ul></nav>
"""

FOOTER = """
<footer>
  <a href="https://twitter.com/AcmeHelp?lang=en">X</a>
  <a href="https://www.facebook.com/acmecorp/">Facebook</a>
  <a href="https://x.com/intent/tweet?text=Acme">Share on X</a>
  <a href="https://www.facebook.com/sharer/sharer.php?u=https://acme.example">Share</a>
</footer>
"""

SITE: dict[str, tuple[int, dict[str, str], bytes]] = {}


def build_site(port: int) -> None:
    """The routes: path -> (status, headers, body)."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    menu = MENU.replace("{port}", str(port))
    huge = (
        "<p>"
        + "padding " * (HUGE_LIMIT // 8)
        + '</p><a href="https://x.com/PastTheLimit">beyond the limit</a>'
    )
    SITE.clear()
    SITE.update(
        {
            "/robots.txt": (
                200,
                {"Content-Type": "text/plain"},
                b"User-agent: *\nDisallow: /private/\n",
            ),
            "/": (200, html, page(menu + "<main><h1>Acme</h1></main>" + FOOTER)),
            "/about": (
                200,
                html,
                page(
                    menu + "<main><p>Follow our shop on "
                    '<a href="https://instagram.com/acme.shop/?hl=en">Instagram</a> and meet '
                    '<a href="/team">the team</a>.</p></main>' + FOOTER
                ),
            ),
            "/team": (
                200,
                html,
                page('<link rel="me" href="https://mastodon.social/@acme"><p>The team</p>'),
            ),
            "/contact": (
                200,
                {"Content-Type": "text/html"},
                # malformed: unclosed tags, an unquoted attribute, a stray </div>
                b"<html><body><div><p>Write to us</div><table><tr><td>"
                b"<a href=https://www.linkedin.com/company/acme-corp>LinkedIn"
                b"<a href='https://www.tiktok.com/@acmeshop'>TikTok</a></td></table>"
                b"<a href='https://example.net/<script>'>odd</a>",
            ),
            "/news/": (200, html, page('<a href="item1">First item</a>')),
            "/news/item1": (
                200,
                html,
                page('<p>Also on <a href="https://www.threads.net/@acme.news">Threads</a></p>'),
            ),
            "/old-page": (301, {"Location": "/about-us"}, b""),
            "/about-us": (
                200,
                html,
                page('<a href="https://www.youtube.com/@AcmeTV">Our channel</a>'),
            ),
            "/loop-a": (302, {"Location": "/loop-b"}, b""),
            "/loop-b": (302, {"Location": "/loop-a"}, b""),
            "/error": (500, html, page("<a href='https://x.com/ErrorPage'>x</a>")),
            "/private/secret": (200, html, page('<a href="https://x.com/SecretStaff">x</a>')),
            "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
            "/data": (
                200,
                {"Content-Type": "application/json"},
                b'{"link": "<a href=\\"https://x.com/InJson\\">"}',
            ),
            "/huge": (200, html, page(huge)),
            "/redirect-out": (302, {"Location": f"http://localhost:{port}/elsewhere"}, b""),
            "/elsewhere": (200, html, page('<a href="https://x.com/OtherHostOnly">x</a>')),
        }
    )


REQUESTS: list[tuple[str, str, str]] = []
"""(host header, path, user agent) of every request the server answered."""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        REQUESTS.append(
            (self.headers.get("Host", ""), self.path, self.headers.get("User-Agent", ""))
        )
        if self.path == "/trickle":  # a page that arrives one byte every 0.2 s, for a minute
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(300):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return
        status, headers, body = SITE.get(self.path, (404, {"Content-Type": "text/html"}, b""))
        if status == 404 and not body:
            body = page("<h1>Not found</h1><a href='https://x.com/NotFoundPage'>x</a>")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    build_site(port)
    REQUESTS.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


PLANTED = {
    ("x", "https://x.com/AcmeHelp"),
    ("facebook", "https://www.facebook.com/acmecorp"),
    ("instagram", "https://www.instagram.com/acme.shop"),
    ("mastodon", "https://mastodon.social/@acme"),
    ("linkedin", "https://www.linkedin.com/company/acme-corp"),
    ("tiktok", "https://www.tiktok.com/@acmeshop"),
    ("threads", "https://www.threads.net/@acme.news"),
    ("youtube", "https://www.youtube.com/@AcmeTV"),
}


def sightings(path: Path) -> list[dict[str, object]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(document["sightings"])


def run(root: Path, *args: str, as_of: str = "2026-11-24") -> int:
    return main(["discover", "--root", str(root), "--as-of", as_of, "--delay", "0", *args])


def test_crawl_finds_exactly_the_planted_profiles(
    site: str, make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({})
    limit = str(HUGE_LIMIT // 2)
    assert run(root, "--site", site, "--timeout", "5", "--max-page-size", limit) == 0
    captured = capsys.readouterr()
    written = sightings(root / "sightings" / "discovered.yaml")
    assert {(s["platform"], s["url"]) for s in written} == PLANTED
    by_platform = {s["platform"]: s for s in written}
    # where each was seen: the page that links it (the redirect's target for a moved page)
    assert by_platform["x"]["seen_at"] == site
    assert by_platform["instagram"]["seen_at"] == site + "about"
    assert by_platform["youtube"]["seen_at"] == site + "about-us"
    assert by_platform["mastodon"]["seen_at"] == site + "team"
    assert by_platform["x"]["handle"] == "AcmeHelp"
    assert all(s["disposition"] == "unreviewed" for s in written)
    assert all(s["first_seen"] == s["last_seen"] == dt.date(2026, 11, 24) for s in written)

    paths = [path for host, path, _ in REQUESTS]
    # robots.txt read first and honoured; other hosts never asked; binary links never fetched
    assert paths[0] == "/robots.txt"
    assert "/private/secret" not in paths
    assert all(host.startswith("127.0.0.1") for host, _, _ in REQUESTS)
    assert "/report.pdf" not in paths
    assert paths.count("/loop-a") == 1 and paths.count("/loop-b") == 1
    assert all(agent.startswith("socialgov-discover/") for _, _, agent in REQUESTS)
    # every problem is a message naming the page, on standard error
    err = captured.err
    assert f"{site}broken: HTTP 404 (linked from {site})" in err
    assert f"{site}error: HTTP 500 (linked from {site})" in err
    assert "redirect loop" in err and f"{site}loop-a" in err
    assert f"{site}redirect-out: redirects to another host" in err
    assert "robots.txt forbids 1 page(s), not read: " + site + "private/secret" in err
    # an enormous page is read up to the limit: the link past it is not seen
    assert f"{site}huge: larger than {HUGE_LIMIT // 2:,} bytes; only the first" in err
    assert "Traceback" not in err
    assert "8 new sighting(s)" in captured.out


def test_rerun_changes_only_last_seen_and_keeps_what_a_person_wrote(
    site: str, make_repo: MakeRepo
) -> None:
    root = make_repo({})
    assert run(root, "--site", site, "--max-page-size", "100000") == 0
    target = root / "sightings" / "discovered.yaml"
    # a person reviews: a comment, a disposition, a note
    text = target.read_text(encoding="utf-8")
    text = text.replace(
        "  url: https://x.com/AcmeHelp\n",
        "  url: https://x.com/AcmeHelp  # checked by Jo\n",
    )
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "url: https://www.tiktok.com" in line)
    end = next(i for i in range(at, len(lines)) if "disposition: unreviewed" in lines[i])
    lines[end] = lines[end].replace("unreviewed", "impostor") + "    note: Reported to TikTok\n"
    target.write_text("".join(lines), encoding="utf-8")
    before = target.read_text(encoding="utf-8")

    # the same day: nothing changes at all
    assert run(root, "--site", site, "--max-page-size", "100000") == 0
    assert target.read_text(encoding="utf-8") == before

    # a later day: only last_seen lines change
    assert run(root, "--site", site, "--max-page-size", "100000", as_of="2026-12-03") == 0
    after = target.read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == len(PLANTED)
    assert all(
        old.strip() == "last_seen: 2026-11-24" and new.strip() == "last_seen: 2026-12-03"
        for old, new in changed
    )
    assert "# checked by Jo" in after and "note: Reported to TikTok" in after


def test_sightings_elsewhere_are_updated_in_place_and_accounts_make_them_official(
    site: str, make_repo: MakeRepo
) -> None:
    root = make_repo(
        {
            "accounts.yaml": """\
            accounts:
              - {id: acme-fb, platform: facebook, handle: AcmeCorp}
            """,
            "reviewed.yaml": """\
            # reviewed by the brand team
            sightings:
              - id: our-x
                platform: x
                handle: acmehelp          # the support account's old name
                first_seen: 2025-01-01
                last_seen: 2025-02-01
                disposition: impostor
                note: not yet reported
            """,
        }
    )
    assert run(root, "--site", site, "--max-page-size", "100000") == 0
    reviewed = (root / "reviewed.yaml").read_text(encoding="utf-8")
    assert reviewed.replace("last_seen: 2026-11-24", "last_seen: 2025-02-01") == (
        "# reviewed by the brand team\nsightings:\n  - id: our-x\n    platform: x\n"
        "    handle: acmehelp          # the support account's old name\n"
        "    first_seen: 2025-01-01\n    last_seen: 2025-02-01\n    disposition: impostor\n"
        "    note: not yet reported\n"
    )
    assert "last_seen: 2026-11-24" in reviewed
    written = {s["platform"]: s for s in sightings(root / "sightings" / "discovered.yaml")}
    assert "x" not in written  # already sighted in reviewed.yaml
    assert written["facebook"]["disposition"] == "official"
    assert written["facebook"]["account"] == "acme-fb"
    # lint judges what is on disk: the unregistered ones, and the open impostor
    result = run_lint(root)
    assert {f.entity.id for f in found(result, "SG310") if f.entity} == {
        s["id"] for p, s in written.items() if p != "facebook"
    }
    assert [f.entity.id for f in found(result, "SG311") if f.entity] == ["our-x"]


def test_max_pages_and_depth_bound_the_crawl(
    site: str, make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({})
    assert run(root, "--site", site, "--max-pages", "1", "--diff") == 0
    out = capsys.readouterr().out
    assert "1 read" in out and "stopped early: --max-pages 1 reached" in out
    assert not (root / "sightings").exists()  # --diff writes nothing
    assert "+    url: https://x.com/AcmeHelp" in out
    REQUESTS.clear()
    assert run(root, "--site", site, "--max-depth", "0") == 0
    assert [path for _, path, _ in REQUESTS] == ["/robots.txt", "/"]


def test_unreachable_host_is_a_message_and_nothing_is_written(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = make_repo({})
    assert run(root, "--site", f"http://127.0.0.1:{port}/", "--timeout", "2") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"socialgov: error: --site http://127.0.0.1:{port}/: cannot reach")
    assert "Traceback" not in err
    assert not (root / "sightings").exists()


def test_saved_pages_folder(tmp_path: Path, make_repo: MakeRepo) -> None:
    pages = tmp_path / "saved"
    (pages / "en").mkdir(parents=True)
    (pages / "index.html").write_text(
        '<link rel="canonical" href="https://www.acme.example/">'
        '<a href="https://x.com/AcmeHelp">x</a><a href="/relative">r</a>',
        encoding="utf-8",
    )
    (pages / "en" / "contact.htm").write_bytes(
        b"<p>Caf\xe9 <a href='https://bsky.app/profile/acme.example'>Bluesky</a>"
    )
    (pages / "notes.txt").write_text("https://x.com/NotAPage", encoding="utf-8")
    root = make_repo({})
    assert run(root, "--site", str(pages), "-o", str(root / "found.yaml")) == 0
    written = {s["url"]: s for s in sightings(root / "found.yaml")}
    assert set(written) == {"https://x.com/AcmeHelp", "https://bsky.app/profile/acme.example"}
    assert written["https://x.com/AcmeHelp"]["seen_at"] == "https://www.acme.example/"
    assert written["https://bsky.app/profile/acme.example"]["seen_at"] == "en/contact.htm"


def test_feed(tmp_path: Path, make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "brandwatch-export.csv"
    feed.write_text(
        "Network,Username,Profile URL,First Detected,Last Seen,Found On\n"
        "Twitter,@acme_help,,2026-10-01,2026-11-20,search\n"
        "Instagram,,https://www.instagram.com/acme.deals/,2026-09-14T10:00:00Z,2026-11-02,\n"
        "Facebook,acme.help.desk,,yesterday,2026-11-01,ads\n"
        "MySpace,acme,,2026-01-01,2026-01-02,\n"
        ",,https://example.com/not-a-profile,,,\n",
        encoding="utf-8",
    )
    root = make_repo({})
    assert run(root, "--feed", str(feed)) == 0
    captured = capsys.readouterr()
    written = {s["platform"]: s for s in sightings(root / "sightings" / "discovered.yaml")}
    assert set(written) == {"x", "instagram", "facebook"}
    assert written["x"]["handle"] == "acme_help"
    assert written["x"]["first_seen"] == dt.date(2026, 10, 1)
    assert written["x"]["last_seen"] == dt.date(2026, 11, 20)
    assert written["x"]["seen_at"] == "search"
    assert written["instagram"]["seen_at"] == "brandwatch-export.csv"
    assert written["instagram"]["first_seen"] == dt.date(2026, 9, 14)
    # a bad date leaves that date out (the other one is kept); bad rows are named
    assert written["facebook"]["first_seen"] == written["facebook"]["last_seen"]
    assert "brandwatch-export.csv:4: first seen 'yesterday' is not a date" in captured.err
    assert "brandwatch-export.csv:5: platform 'MySpace' is not one socialgov knows" in captured.err
    assert "brandwatch-export.csv:6: 'https://example.com/not-a-profile' is not a social" in (
        captured.err
    )


def test_feed_without_usable_columns(
    tmp_path: Path, make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "f.csv"
    feed.write_text("Name,Followers\nAcme,10\n", encoding="utf-8")
    root = make_repo({})
    assert run(root, "--feed", str(feed)) == 2
    err = capsys.readouterr().err
    assert "f.csv:1: a discovery feed needs a URL column" in err and "'Name'" in err


def test_bad_site_argument(make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({})
    assert run(root, "--site", "no/such/folder") == 2
    assert "no such folder" in capsys.readouterr().err
    assert run(root) == 2
    assert "give --site URL|DIR or --feed FILE" in capsys.readouterr().err


def test_a_page_that_trickles_in_is_bounded_by_the_time_limit(
    site: str, make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo({})
    started = time.monotonic()
    code = run(root, "--site", site + "trickle", "--time-limit", "1", "--timeout", "2")
    elapsed = time.monotonic() - started
    assert code == 2
    err = capsys.readouterr().err
    assert (
        f"--site {site}trickle: {site}trickle: cannot be read: the page was still arriving" in err
    )
    # the whole page would take a minute; the crawl gives up at its limit (and one read's wait)
    assert elapsed < 30
    assert not (root / "sightings").exists()
