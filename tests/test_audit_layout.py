"""The audit holds its layout at every size: in a browser, on paper, and in a terminal.

HTML: headless Chromium lays the page out at 1400 px and at print size (an A4 page's printable
width, with the page's print rules applied), and a script added to a copy of the page compares
every element's box with its container's, writing what it finds into the DOM, which the test
reads back with --dump-dom. Nothing may stick out of the box that holds it, for examples/acme and
for 10,000 generated accounts with long, varied names and a deep unit hierarchy.

Terminal: the audit of the US Congress's real inventory (tests/data/realdata, converted into a
policy repository below) never prints a line wider than the width it was given, or 200 columns
when it is not writing to a terminal.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from wcwidth import wcswidth

from conftest import ACME, AS_OF, find_browser, run_audit
from inventory_generator import generate
from socialgov.cli import main
from test_audit_html_chromium import png_size

SCREEN = 1400
PAPER = 718
"""A4 at 96 px an inch is 794 px wide; the browser's default print margins leave about 718."""

CHECK = """
(function () {
  var problems = [];
  var all = document.body.querySelectorAll("*");
  function name(e) {
    var s = e.tagName.toLowerCase();
    if (e.id) s += "#" + e.id;
    if (typeof e.className === "string" && e.className.trim())
      s += "." + e.className.trim().split(/\\s+/).join(".");
    return s;
  }
  function clips(e) {
    var st = getComputedStyle(e);
    return st.overflowX !== "visible" || st.overflowY !== "visible";
  }
  for (var i = 0; i < all.length; i++) {
    var e = all[i];
    if (e.id === "layout-check") continue;
    if (e.closest("svg") && e.tagName.toLowerCase() !== "svg") continue;
    var st = getComputedStyle(e);
    if (st.display === "none") continue;
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    var p = e.parentElement;
    if (p && p !== document.body && !clips(p)) {
      var q = p.getBoundingClientRect();
      if (r.right > q.right + 1 || r.left < q.left - 1)
        problems.push(name(e) + " sticks out of " + name(p) + ": " + Math.round(r.left) + "-" +
          Math.round(r.right) + " in " + Math.round(q.left) + "-" + Math.round(q.right) +
          " (" + (e.textContent || "").trim().slice(0, 60) + ")");
    }
    if (st.display !== "inline" && e.tagName.toLowerCase() !== "svg" &&
        e.scrollWidth > e.clientWidth + 1)
      problems.push(name(e) + " holds content " + e.scrollWidth + " px wide in " +
        e.clientWidth + " px");
  }
  var page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1)
    problems.push("the page is " + page.scrollWidth + " px wide in a " + page.clientWidth +
      " px window");
  var out = document.createElement("pre");
  out.id = "layout-check";
  out.textContent = JSON.stringify({elements: all.length, problems: problems});
  document.body.appendChild(out);
})();
"""


def layout(page: str, width: int, printed: bool, workdir: Path) -> dict[str, Any]:
    """What the layout check finds on ``page`` laid out ``width`` px wide (with the print
    stylesheet when ``printed``)."""
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    if printed:
        text = text.replace("@media print", "@media all").replace(
            "@media not print", "@media not all"
        )
    assert "</body>" in text
    text = text.replace("</body>", f"<script>{CHECK}</script></body>")
    copy = workdir / f"layout-{width}.html"
    copy.write_text(text, encoding="utf-8")
    command = [
        find_browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        f"--user-data-dir={workdir / 'profile'}",
        f"--window-size={width},2000",
        f"--screenshot={workdir / f'layout-{width}.png'}",
        "--dump-dom",
        copy.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=workdir)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="layout-check">(.*?)</pre>', done.stdout, re.S)
    assert found, "the layout check did not run"
    assert png_size(workdir / f"layout-{width}.png") == (width, 2000)
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


def assert_holds(page: str, workdir: Path) -> None:
    for width, printed in ((SCREEN, False), (PAPER, True)):
        result = layout(page, width, printed, workdir)
        assert result["elements"] > 100
        assert result["problems"] == [], (width, printed, result["problems"][:20])


def test_the_layout_check_sees_an_element_that_sticks_out(tmp_path: Path) -> None:
    """The harness itself: an overflowing cell must be caught, or the checks prove nothing."""
    page = (
        "<!DOCTYPE html><html><body><main style='width: 300px'><table><tr><td>"
        + "x" * 400
        + "</td></tr></table><p style='white-space: nowrap'>"
        + "word " * 200
        + "</p></main></body></html>"
    )
    problems = layout(page, SCREEN, False, tmp_path)["problems"]
    assert any(p.startswith("table sticks out of main") for p in problems)
    assert any(p.startswith("p holds content") for p in problems)


def commit(checkout: Path, date: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=checkout, env=env, check=True, capture_output=True)


def audit_page(root: Path, out: Path) -> str:
    """The HTML audit with units and a history of every commit, as the command writes it."""
    argv = ["audit", "--root", str(root), "--as-of", AS_OF.isoformat(), "--by", "team"]
    assert main([*argv, "--history", "--every", "commit", "--output", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_acme_with_history_and_units_holds_its_layout_on_screen_and_on_paper(
    tmp_path: Path,
) -> None:
    checkout = tmp_path / "acme"
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    shutil.copytree(ACME, checkout, dirs_exist_ok=True)
    held_back = {p: p.read_bytes() for p in (checkout / "accounts").glob("*.yaml")}
    for path in list(held_back)[: len(held_back) // 2]:
        path.unlink()
    commit(checkout, "2026-06-01T09:00:00+00:00", "Half of the accounts")
    for path, data in held_back.items():
        path.write_bytes(data)
    commit(checkout, "2026-09-15T09:00:00+00:00", "Every account")
    page = audit_page(checkout, tmp_path / "acme.html")
    assert page.count('<svg class="chart line"') == 2 and '<section id="units"' in page
    assert_holds(page, tmp_path)


def test_ten_thousand_accounts_hold_the_layout_on_screen_and_on_paper(tmp_path: Path) -> None:
    checkout = tmp_path / "large"
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    for size, date in ((2_000, "2026-03-02"), (6_000, "2026-06-01"), (10_000, "2026-09-01")):
        shutil.rmtree(checkout / "accounts", ignore_errors=True)
        generate(checkout, accounts=size)
        commit(checkout, f"{date}T12:00:00+02:00", f"{size} accounts")
    report = run_audit(checkout, by="team")
    assert report.inventory.accounts == 10_000 and report.units is not None
    assert len(report.units.units) > 50
    assert max(len(u.name) for u in report.units.units) > 80
    assert max(len(c.name or "") for c in report.channels) > 150
    page = audit_page(checkout, tmp_path / "large.html")
    assert page.count('<svg class="chart line"') == 2 and "3 samples" in page
    assert_holds(page, tmp_path)


# ----------------------------------------------------------------------------- the terminal


def congress(realdata: Path, root: Path) -> Path:
    """The Congress's official accounts (December 2024) as a policy repository: legislators in
    office in June 2026 are people, those who left are departed; chambers, party caucuses and
    state delegations are a three-level unit hierarchy."""
    current = yaml.safe_load(
        (realdata / "congress-legislators_legislators-current_2026-06-15_dfa9622.yaml").read_text(
            encoding="utf-8"
        )
    )
    social = yaml.safe_load(
        (
            realdata / "congress-legislators_legislators-social-media_2024-12-18_9b024af.yaml"
        ).read_text(encoding="utf-8")
    )
    people: dict[str, dict[str, object]] = {}
    teams: dict[str, dict[str, object]] = {}
    team_of: dict[str, str] = {}
    for member in current:
        bioguide = member["id"]["bioguide"].lower()
        term = member["terms"][-1]
        chamber = "senate" if term["type"] == "sen" else "house"
        party = f"{chamber}-{re.sub(r'[^a-z]+', '-', term['party'].lower())}"
        state = f"{party}-{term['state'].lower()}"
        teams.setdefault(chamber, {"id": chamber, "name": f"U.S. {chamber.title()}"})
        teams.setdefault(
            party, {"id": party, "name": f"{term['party']}s, {chamber.title()}", "parent": chamber}
        )
        teams.setdefault(
            state,
            {"id": state, "name": f"{term['party']}s of {term['state']}", "parent": party},
        )
        team_of[bioguide] = state
        people[bioguide] = {
            "id": bioguide,
            "name": member["name"].get("official_full")
            or f"{member['name']['first']} {member['name']['last']}",
            "employment": "full_time",
            "team": state,
        }
    urls = {
        "twitter": ("x", "https://x.com/{}"),
        "facebook": ("facebook", "https://www.facebook.com/{}"),
        "youtube": ("youtube", "https://www.youtube.com/{}"),
        "instagram": ("instagram", "https://www.instagram.com/{}"),
    }
    accounts = []
    for entry in social:
        bioguide = entry["id"]["bioguide"].lower()
        if bioguide not in people:
            people[bioguide] = {
                "id": bioguide,
                "name": f"Former member {entry['id']['bioguide']}",
                "employment": "full_time",
                "status": "departed",
                "departed_on": "2025-01-03",
            }
        for key, (platform, url) in urls.items():
            handle = entry["social"].get(key)
            if not handle:
                continue
            account = {
                "id": re.sub(r"[^a-z0-9]+", "-", f"{platform}-{handle}".lower()).strip("-"),
                "name": f"{people[bioguide]['name']} on {platform}",
                "platform": platform,
                "handle": str(handle),
                "url": url.format(handle),
                "owner": bioguide,
                "purpose": "pr",
            }
            if bioguide in team_of:
                account["team"] = team_of[bioguide]
            accounts.append(account)
    root.mkdir(parents=True)
    (root / "socialgov.yaml").write_text("organisation: United States Congress\n")
    documents = {
        "people.yaml": {"people": list(people.values())},
        "teams.yaml": {"teams": list(teams.values())},
        "accounts.yaml": {"accounts": accounts},
    }
    for name, data in documents.items():
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def congress_root(realdata: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return congress(realdata, tmp_path_factory.mktemp("congress") / "repo")


def columns(text: str) -> int:
    return max(wcswidth(line) if wcswidth(line) >= 0 else len(line) for line in text.splitlines())


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_congress_audit_fits_the_width_it_is_given(
    congress_root: Path, width: int, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["audit", "--root", str(congress_root), "--as-of", AS_OF.isoformat()]
    assert main([*argv, "--by", "team", "--width", str(width)]) == 0
    text = capsys.readouterr().out
    assert columns(text) <= width
    # the long lists are there, bounded: a row count and "and N more" where names were cut
    assert "and " in text and " more" in text
    assert "Units (" in text and "U.S. Senate" in text


def test_the_congress_audit_off_a_terminal_stays_within_200_columns(
    congress_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--root", str(congress_root), "--as-of", AS_OF.isoformat()]) == 0
    text = capsys.readouterr().out
    assert 150 < columns(text) <= 200  # the width is used, and never passed
    # without the bound, the lists of accounts run to thousands of characters on one line
    report = run_audit(congress_root)
    assert sum(len(i.gaps) for i in report.maturity.indicators) > 1000
