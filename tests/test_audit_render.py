"""Every audit format, on examples/acme and on repositories with hostile values; the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import ACME, PROJECT, MakeRepo, run_audit
from socialgov.audit.extras import History, HistoryChange, IndicatorChange, Sample, UnitScore
from socialgov.audit.progress import Progress, wanted
from socialgov.audit.renderers import FORMATS, RenderOptions, format_for, renderer
from socialgov.audit.renderers.csv import COLUMNS, LIFECYCLE_COLUMNS, TOOL_COLUMNS, neutralise
from socialgov.audit.renderers.templating import markdown_escape
from socialgov.audit.report import AuditReport, Ratio
from socialgov.cli import cli, main

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SECTIONS = (
    "Inventory",
    "Ownership",
    "Activity",
    "Fragmentation",
    "Policy adoption",
    "Term consistency",
    "Playbooks and crisis paths",
    "Objectives and KPIs",
    "Security",
    "Lifecycle",
    "Sightings",
    "Findings by rule",
    "Channels",
)
"""The report's sections after the summary, in order, in every format."""

HOSTILE = {
    "people.yaml": """\
        people:
          - {id: jdoe, name: "Jo <b>Doe</b> | =1+1", employment: full_time}
    """,
    "accounts.yaml": """\
        accounts:
          - id: evil
            name: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"
            platform: x
            handle: "<script>alert(1)</script>"
            owner: jdoe
            purpose: "service"
            monitoring: ["@ops", "+tool"]
            objectives: [nope]
            terms: {hours: "<img src=x onerror=alert(2)> | \\x1b[31mred"}
            last_activity: 2026-11-20
        channels:
          - {id: hotline, type: phone, contact: "-1 555 0100", owner: jdoe}
    """,
}


@pytest.fixture(scope="module")
def acme() -> AuditReport:
    return run_audit(ACME)


@pytest.fixture
def hostile(make_repo: MakeRepo) -> AuditReport:
    return run_audit(make_repo(HOSTILE, config="organisation: '<Acme & Co>'\n"))


def render(report: AuditReport, fmt: str, color: bool = False) -> str:
    return renderer(fmt)(report, RenderOptions(color=color))


# ----------------------------------------------------------------------------- table


def test_table_opens_with_stage_gaps_and_who_must_act(acme: AuditReport) -> None:
    text = render(acme, "table")
    first = text.split("Inventory\n")[0]
    assert first.startswith("Acme Corp: social media governance audit, as of 2026-11-24\n")
    assert f"Maturity stage: {acme.maturity.stage.upper()}" in first
    for heading in (
        "Coverage of live accounts (the bar is 80%)",
        "Worst gaps",
        "Who must act first",
    ):
        assert heading in first
    for indicator in acme.maturity.indicators:
        assert indicator.label in first
    assert not ANSI.search(text)


def test_table_sections_and_aligned_columns(acme: AuditReport) -> None:
    text = render(acme, "table")
    for heading in (*SECTIONS[:-1], "Channels with findings"):
        assert re.search(rf"^{re.escape(heading)}.*\n─+$", text, re.M), heading
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("  platform ")))
    block = lines[start : start + 1 + len(acme.inventory.by_platform)]
    # the accounts column is right-aligned under its header, the statuses start together
    ends = {line.index("accounts") + len("accounts") for line in block[:1]}
    assert all(re.match(r"^  \S+ +\d+  \S", line) for line in block[1:])
    assert {len(re.match(r"^  \S+ +\d+", line).group()) for line in block[1:]} == ends


def test_table_colour_only_when_asked(acme: AuditReport) -> None:
    coloured = render(acme, "table", color=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == render(acme, "table")


def test_table_neutralises_escape_sequences(hostile: AuditReport) -> None:
    text = render(hostile, "table", color=False)
    assert "\x1b" not in text
    assert "\\x1b[31mred" in text


# ----------------------------------------------------------------------------- markdown


def test_markdown_has_the_headings_and_tables(acme: AuditReport) -> None:
    text = render(acme, "markdown")
    assert text.startswith("# Acme Corp: social media governance audit\n")
    headings = re.findall(r"^##+ (.+)$", text, re.M)
    assert headings[:3] == [
        f"Maturity stage: {acme.maturity.stage.upper()}",
        "Worst gaps",
        "Who must act first",
    ]
    assert headings[3:] == list(SECTIONS)
    # every table row has as many cells as its header
    for table in re.findall(r"(?:^\|.*\|\n)+", text, re.M):
        rows = table.strip().splitlines()
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, rows[0]
    assert "\n\n\n" not in text


def test_markdown_escapes_every_repository_value(hostile: AuditReport) -> None:
    text = render(hostile, "markdown")
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;img src=x onerror=alert(2)&gt; \\| \\\\x1b\\[31mred" in text
    assert "\x1b" not in text
    assert "# &lt;Acme &amp; Co&gt;: social media governance audit" in text
    assert "Jo &lt;b&gt;Doe&lt;/b&gt; \\| =1+1" in text
    assert "@\u2060ops" in text  # a handle must not notify a GitHub user


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a|b", "a\\|b"),
        ("*bold* _it_ `code` [link](x)", "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x)"),
        ("<b>&amp;</b>", "&lt;b&gt;&amp;amp;&lt;/b&gt;"),
        ("line\nbreak", "line break"),
        ("@acme and me@example.com", "@\u2060acme and me@example.com"),
        (None, ""),
        (7, "7"),
    ],
)
def test_markdown_escape(raw: object, shown: str) -> None:
    assert markdown_escape(raw) == shown


# ----------------------------------------------------------------------------- html


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self.urls: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls.extend(v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action"))
        if tag in ("h1", "h2"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_html_is_self_contained_with_charts(acme: AuditReport) -> None:
    html = render(acme, "html")
    page = parse(html)
    assert page.headings[0] == "Acme Corp: social media governance audit"
    assert "Maturity stage" in page.headings and "Term consistency" in page.headings
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    # in-page anchors, and each account's profile as a link to follow (never a resource to load)
    profiles = [url for url in page.urls if not url.startswith("#")]
    assert profiles and all(url.startswith(("https://", "http://")) for url in profiles)
    assert 'href="https://x.com/AcmeHelp"' in html
    assert "default-src 'none'" in html
    assert page.tags.count("svg") == 3
    assert "Coverage of live accounts against the bar" in html
    assert "Accounts by platform and status" in html and "Findings by rule family" in html
    assert "@import" not in html and "url(" not in html


def test_html_escapes_every_repository_value(hostile: AuditReport) -> None:
    html = render(hostile, "html")
    page = parse(html)
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt; | \\x1b[31mred" in html
    assert "\x1b" not in html
    assert page.headings[0] == "<Acme & Co>: social media governance audit"


def test_html_marks_the_stage_and_failing_indicators(make_repo: MakeRepo) -> None:
    report = run_audit(make_repo(HOSTILE))
    html = render(report, "html")
    assert '<span class="badge scattered">scattered</span>' in html
    assert '<li class="current">scattered</li>' in html
    assert 'class="below"' in html  # a bar under the threshold


# ----------------------------------------------------------------------------- json


def test_json_is_versioned_and_complete(acme: AuditReport) -> None:
    data = json.loads(render(acme, "json"))
    assert (data["version"], data["kind"], data["as_of"]) == (1, "socialgov-audit", "2026-11-24")
    assert data["organisation"] == "Acme Corp"
    assert set(data) >= {
        "maturity",
        "worst_gaps",
        "act_first",
        "inventory",
        "ownership",
        "activity",
        "fragmentation",
        "adoption",
        "terms",
        "playbooks",
        "objectives",
        "security",
        "findings",
        "actors",
        "channels",
        "options",
    }
    assert data["options"]["dormant_days"] == 180
    assert data["maturity"]["threshold"] == 0.8
    owned = data["maturity"]["indicators"][0]
    assert owned["key"] == "owned_with_backup"
    assert owned["ratio"] == {"part": 30, "whole": 33, "percent": 90.9}
    assert len(data["channels"]) == 43
    row = next(c for c in data["channels"] if c["id"] == "x-acmejobs")
    assert (row["activity"], row["days_inactive"], row["last_activity"]) == (
        "dormant",
        287,
        "2026-02-10",
    )
    assert data["inventory"]["by_status"][0] == {
        "key": "active",
        "social": 32,
        "traditional": 8,
        "total": 40,
    }


def test_json_is_written_exactly_as_the_plain_data_of_the_report(
    acme: AuditReport, hostile: AuditReport
) -> None:
    """The JSON is written from the report directly, not through ``document``: the text is
    the same, for every kind of value, long lists and hostile text included."""
    from dataclasses import replace

    from socialgov.audit.renderers.json import LONG, document
    from socialgov.core.escape import json_text

    teams = run_audit(ACME, by="team")
    unusual = replace(
        acme,
        options=(
            *acme.options,
            ("a_date", dt.date(2026, 1, 2)),
            ("a_mapping", {"k": [1, "two", None, 2.5, True], "empty": {}}),
            ("a_share", 0.25),
            ("nothing", ()),
        ),
        channels=acme.channels * (LONG // len(acme.channels) + 2),
    )
    assert len(unusual.channels) > LONG
    history = replace(acme, history=_history())
    # what orjson writes otherwise than json.dumps, or refuses: those sections (or the batch
    # of a long list) are written by the Python writer, the others still by orjson
    first = acme.channels[0]
    odd = replace(
        history,
        channels=(*unusual.channels, replace(first, path="not-utf8-\udcff.yaml")),
        actors=(replace(acme.actors[0], errors=2**70), *acme.actors[1:]),
        history=replace(
            _history(),
            change=replace(
                _history().change,
                indicators=tuple(
                    IndicatorChange("k", "K", None, Ratio(1, 2), points)
                    for points in (1e20, 1e-7, float("nan"), float("inf"), -0.0, 12.5)
                ),
            ),
        ),
    )
    # every character json_safe escapes that orjson writes as it is, each in a section of text
    # that is not ASCII otherwise (the JSON writer looks for their UTF-8 bytes), and letters
    # and punctuation that share their lead bytes (a no-break space, a dash)
    marks = [
        replace(acme, channels=(replace(first, name=f"Ré {mark} x"),))
        for mark in (
            *"\x7f\x80\x85\x9f\xa0\u061c\u200e\u200f\u2013\u2028\u2029\u202e",
            *"\u2066\u2069\u2070",
            "##[",
            "#",
            # the writer finds each "#" and looks at what follows it, a few thousand of them
            # in a piece: a command after many, a "#" before one, many and none
            "# " * 5000 + "##[",
            "###[",
            "# #[ #",
            "#" * 5000,
        )
    ]
    # the adoption rows in batches, sharing their tuples of cells across batches, and one
    # batch that orjson refuses (a channel's name with a lone surrogate)
    rows = acme.adoption.rows * (LONG // len(acme.adoption.rows) + 2)
    adopting = replace(acme, adoption=replace(acme.adoption, rows=rows))
    named = replace(rows[0].channel, name="not-utf8-\udcff")
    refused = replace(
        adopting,
        adoption=replace(acme.adoption, rows=(*rows, replace(rows[0], channel=named))),
    )
    for report in (acme, hostile, teams, unusual, history, odd, *marks, adopting, refused):
        assert render(report, "json") == json_text(document(report))
        assert json.loads(render(report, "json")) == json.loads(json_text(document(report)))


def test_json_writes_each_tuple_of_cells_once(
    acme: AuditReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The adoption rows' cells, in batches of a long list: orjson writes the JSON of each
    distinct tuple of cells once (an ``orjson.Fragment`` each row's JSON holds), the same
    text as before; an orjson without ``Fragment`` (before 3.10, which pyproject allows)
    writes each row's cells: that way is tested whichever orjson is installed, the first
    where it has ``Fragment``."""
    from dataclasses import replace

    import orjson

    from socialgov.audit.renderers.json import LONG, document
    from socialgov.core.escape import json_text

    rows = acme.adoption.rows * (3 * LONG // len(acme.adoption.rows) + 2)
    report = replace(acme, adoption=replace(acme.adoption, rows=rows))
    want = json_text(document(report))
    fragment = getattr(orjson, "Fragment", None)
    if fragment is not None:
        made: list[bytes] = []

        def counted(text: bytes) -> Any:
            made.append(text)
            return fragment(text)

        monkeypatch.setattr(orjson, "Fragment", counted)
        assert render(report, "json") == want
        # one for each distinct tuple of the rows' cells (the terms are not converted)
        assert len(made) == len({id(row.cells) for row in rows}) < len(rows) // 100
    monkeypatch.delattr(orjson, "Fragment", raising=False)
    assert render(report, "json") == want


def test_json_cells_are_each_reports_own(acme: AuditReport) -> None:
    """The writer makes each tuple of cells a list once per report: a report written after
    another, whose cells are new tuples (perhaps where the other's were), has its own."""
    from dataclasses import replace

    from socialgov.audit.renderers.json import document
    from socialgov.audit.report import AdoptionCell, TermCell
    from socialgov.core.escape import json_text

    for state in ("adopted", "missing", "outdated", "not required") * 3:
        cells = tuple(AdoptionCell(state, len(state)) for _ in acme.adoption.policies)
        rows = tuple(replace(row, cells=cells) for row in acme.adoption.rows)
        terms = tuple(
            replace(term, cells=tuple(TermCell(state) for _ in term.cells))
            for term in acme.terms.terms
        )
        report = replace(
            acme,
            adoption=replace(acme.adoption, rows=rows),
            terms=replace(acme.terms, terms=terms),
        )
        assert render(report, "json") == json_text(document(report))
        del report, rows, cells, terms


def _history() -> History:
    """A history of two samples, with what a sample can hold: no earlier indicator, a change in
    points up and down, a skipped commit."""
    scores = (
        UnitScore("owned", "Owned", Ratio(3, 4), False),
        UnitScore("mfa", "MFA", Ratio(0, 0), True),
    )
    samples = tuple(
        Sample(
            commit=f"{n}" * 40,
            short=f"{n}" * 7,
            date=dt.date(2026, n, 1),
            subject=f"commit \u202e{n} ##[x]",
            stage="scattered",
            score=40 + n,
            progress=n,
            indicators=scores,
            error_free=Ratio(n, 7),
            live_accounts=7,
            accounts=8,
            live_channels=9,
            errors=n,
            warnings=0,
            infos=1,
        )
        for n in (1, 2)
    )
    change = HistoryChange(
        since=dt.date(2026, 1, 1),
        until=dt.date(2026, 2, 1),
        stage_before="scattered",
        stage_after="scattered",
        score=1,
        indicators=(
            IndicatorChange.between("owned", "Owned", None, Ratio(3, 4)),
            IndicatorChange.between("mfa", "MFA", Ratio(1, 3), Ratio(2, 3)),
            IndicatorChange.between("review", "Reviewed", Ratio(2, 3), Ratio(1, 3)),
        ),
        live_accounts=0,
        errors=1,
        warnings=0,
    )
    return History(
        since="2026-01", every="month", samples=samples, change=change, skipped=("3: gone",)
    )


def test_the_documented_json_has_the_fields_of_the_real_one() -> None:
    doc = (PROJECT / "docs" / "audit.md").read_text(encoding="utf-8")
    block = re.search(r"### JSON \(version 1\)\n\n```json\n(.*?)```", doc, re.S)
    assert block, "docs/audit.md lost its JSON example"
    documented = json.loads(block.group(1))
    real = json.loads(render(run_audit(ACME, by="team"), "json"))
    assert set(documented) - {"history"} == set(real)
    for name, section in documented.items():
        if isinstance(section, dict) and name not in ("options", "history"):
            assert set(section) == set(real[name]), name
    unit = documented["units"]["units"][0]
    assert set(unit) == set(real["units"]["units"][0])
    gap = documented["worst_gaps"][0]
    assert set(gap) == set(real["worst_gaps"][0])
    assert set(gap["entities"][0]) == set(real["worst_gaps"][0]["entities"][0])
    fields = re.search(r"A channel row has (.*?)\.\n", doc, re.S)
    assert fields
    listed = set(re.findall(r"`(\w+)`", fields.group(1)))
    assert listed == set(real["channels"][0])


# ----------------------------------------------------------------------------- csv


def test_csv_has_one_row_per_channel_with_computed_columns(acme: AuditReport) -> None:
    everything = list(csv.DictReader(io.StringIO(render(acme, "csv"))))
    rows = [r for r in everything if r["kind"] != "Tool"]
    assert len(rows) == 43
    assert list(rows[0]) == [
        *(name for name, _ in COLUMNS),
        *LIFECYCLE_COLUMNS,
        *TOOL_COLUMNS,
    ]
    by_id = {r["id"]: r for r in rows}
    assert by_id["pin-acmecorp"]["owner_status"] == "missing"
    assert by_id["ig-acme-audio"]["owner_status"] == "departed"
    assert by_id["fb-acme-outlet"]["backup_status"] == "missing"
    assert (by_id["x-acmejobs"]["dormant"], by_id["x-acmehelp"]["dormant"]) == ("yes", "no")
    assert by_id["phone-care"]["dormant"] == ""  # not tracked for traditional channels
    assert by_id["phone-care"]["url_or_contact"] == "'+44 20 7946 0100"
    assert by_id["yt-acmehelp"]["findings"] == str(
        next(c for c in acme.channels if c.id == "yt-acmehelp").findings
    )


def test_csv_carries_the_lifecycle_and_a_row_per_tool(acme: AuditReport) -> None:
    rows = list(csv.DictReader(io.StringIO(render(acme, "csv"))))
    by_id = {r["id"]: r for r in rows}
    gaming, careers = by_id["dc-acme-gaming"], by_id["ig-lifeatacme"]
    assert (gaming["last_review"], gaming["review_due"], gaming["review"]) == (
        "2025-10-02",
        "2026-10-02",
        "overdue",
    )
    assert (careers["review_due"], careers["review"]) == ("2026-12-15", "due soon")
    assert by_id["ig-acme-audio"]["leavers_with_access"] == "mark-ellison"
    legacy = by_id["forum-acme-legacy"]
    assert legacy["retired_on"] == "2024-06-30" and legacy["archive"].startswith("SharePoint")
    tools = [
        (r["id"], r["type"], r["owner"], r["missing_controls"]) for r in rows if r["kind"] == "Tool"
    ]
    assert tools == [
        ("brandwatch", "listening", "corp-comms", ""),
        ("later", "publishing", "brand-marketing", "audit_log"),
        ("sprout-social", "publishing", "brand-marketing", ""),
    ]


def test_csv_neutralises_formulas(hostile: AuditReport) -> None:
    row, phone = [
        r for r in csv.DictReader(io.StringIO(render(hostile, "csv"))) if r["kind"] != "Tool"
    ]
    assert row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert phone["url_or_contact"] == "'-1 555 0100"
    assert row["monitoring"] == "'@ops; +tool"
    assert row["handle"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\\x0dx"),  # a carriage return is shown, not sent to the terminal
        ("safe", "safe"),
        ("", ""),
    ],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


# ----------------------------------------------------------------------------- command line


def test_every_format_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in FORMATS:
        assert main(["audit", "--root", str(ACME), "--as-of", "2026-11-24", "--format", fmt]) == 0
        out = capsys.readouterr()
        assert out.out and out.err == ""
    assert main(["audit", "--root", str(ACME), "--as-of", "2026-11-24", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-11-24"


def test_output_file_and_format_from_its_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "audit.html"
    assert main(["audit", "--root", str(ACME), "--as-of", "2026-11-24", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert format_for(Path("a.md"), None) == "markdown"
    assert format_for(Path("a.CSV"), None) == "csv"
    assert format_for(Path("a.json"), "table") == "table"
    assert format_for(Path("report"), None) == "table"
    assert format_for(None, None) == "table"


def test_output_into_a_missing_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nope" / "audit.json"
    assert main(["audit", "--root", str(ACME), "--output", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"socialgov: error: --output {target}:") and "Traceback" not in err


def test_bad_options_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--root", str(ACME), "--as-of", "24/11/2026"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["audit", "--root", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["audit", "--root", str(ACME), "--format", "pdf"]) == 2
    assert main(["audit", "--root", str(ACME), "--config", str(tmp_path / "none.yaml")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_config_option_is_used(
    make_repo: MakeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(HOSTILE)
    other = tmp_path / "other.yaml"
    other.write_text("organisation: Other Org\noptions: {dormant_days: 1}\n", encoding="utf-8")
    assert (
        main(
            [
                "audit",
                "--root",
                str(root),
                "--config",
                str(other),
                "--as-of",
                "2026-11-24",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["organisation"] == "Other Org"
    assert [a["id"] for a in data["activity"]["dormant"]] == ["evil"]


def test_no_colour_and_no_progress_bar_when_piped() -> None:
    result = CliRunner().invoke(cli, ["audit", "--root", str(ACME), "--as-of", "2026-11-24"])
    assert result.exit_code == 0
    assert not ANSI.search(result.output)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_outside_ci_for_large_repositories() -> None:
    assert wanted(FakeTerminal(), {})
    assert not wanted(FakeTerminal(), {"CI": "true"})
    assert not wanted(FakeTerminal(), {"TERM": "dumb"})
    assert not wanted(io.StringIO(), {})

    def run(stream: io.StringIO, total: int, enabled: bool = True) -> str:
        with Progress(stream, enabled=enabled, threshold=200) as progress:
            for done in range(1, total + 1):
                progress.files(done, total)
            progress.step("channels")
        return stream.getvalue()

    assert "Reading the repository" in run(FakeTerminal(), 250)
    assert run(FakeTerminal(), 199) == ""
    assert run(FakeTerminal(), 250, enabled=False) == ""


def test_progress_is_fed_by_the_pipeline(make_repo: MakeRepo) -> None:
    from socialgov.audit import run_audit as audit
    from socialgov.config import load_config

    root = make_repo(
        {f"accounts/a{i}.yaml": f"accounts:\n  - {{id: a{i}, platform: x}}\n" for i in range(5)}
    )
    seen: list[tuple[int, int]] = []
    steps: list[str] = []

    class Recorder(Progress):
        def files(self, done: int, total: int) -> None:
            seen.append((done, total))

        def step(self, name: str) -> None:
            steps.append(name)

    audit(load_config(root), Recorder(io.StringIO(), enabled=False))
    assert seen == [(i, 5) for i in range(1, 6)]
    assert steps == ["channels", "findings", "maturity", "sections"]


# ----------------------------------------------------------------------------- large inventories


def large_repo(make_repo: MakeRepo, accounts: int = 300) -> Path:
    """``accounts`` live service accounts with no owner, no policy, a differing term; one of
    every three adopts the service policy."""
    rows = "\n".join(
        f"  - {{id: acct-{i:04d}, platform: x, purpose: service, terms: {{hours: '{i % 2}'}}"
        + (", policies: [sla]}" if i % 3 == 0 else "}")
        for i in range(accounts)
    )
    policy = "policies:\n  - {id: sla, applies_to: {kind: Account, where: {purpose: service}}}\n"
    return make_repo({"accounts.yaml": f"{policy}accounts:\n{rows}\n"})


def test_long_lists_are_capped_with_a_count_of_the_rest(make_repo: MakeRepo) -> None:
    from socialgov.audit.renderers import html, markdown, table

    report = run_audit(large_repo(make_repo))
    assert len(report.channels) == 300  # the report keeps everything; csv and json show it

    text = render(report, "table")
    assert f"... and {300 - table.ROWS} more; --format csv or json lists every one" in text
    assert "Only the channels with a missing or outdated adoption:" in text

    md = render(report, "markdown")
    assert len(md) < 65_536  # GitHub's limit for a comment
    assert f"_{200 - markdown.ROWS} more channels not shown;" in md  # 200 miss the policy
    assert "the channels with a missing or outdated adoption" in md
    assert "and 290 more" in md  # 300 accounts state a term; markdown names 10 of them

    page = render(report, "html")
    for table_html in page.split("<table")[1:]:
        assert table_html.count("<tr><td") <= html.ROWS
    assert f"{300 - html.ROWS} more channels not shown here" in page
    assert "(300 channels state terms)" in page
    assert 'class="terms"' not in page
    assert len(page) < 1_000_000
    assert len(list(csv.DictReader(io.StringIO(render(report, "csv"))))) == 300
    assert len(json.loads(render(report, "json"))["channels"]) == 300


def test_the_lifecycle_section_is_in_every_format(acme: AuditReport) -> None:
    """Reviews overdue and due soon, leavers with a login, retired records and tools: the
    table, markdown and HTML name them, JSON and CSV carry them."""
    table = render(acme, "table")
    section = table.split("Lifecycle: reviews, leavers, records and tools", 1)[1]
    section = section.split("Findings by rule", 1)[0]
    for text in ("Mark Ellison (mark-ellison)", "53 days overdue", "due in 21 days", "audit_log"):
        assert text in section
    markdown = render(acme, "markdown").split("## Lifecycle", 1)[1].split("## Findings", 1)[0]
    for text in ("Mark Ellison (mark-ellison)", "53 days overdue", "due in 21 days", "later"):
        assert text in markdown
    html = render(acme, "html").split('<section id="lifecycle"', 1)[1].split("</section>", 1)[0]
    for text in ("Mark Ellison", "53 days overdue", "due in 21 days", "<code>later</code>"):
        assert text in html
    data = json.loads(render(acme, "json"))["lifecycle"]
    assert [r["channel"]["id"] for r in data["reviews"] if r["state"] != "ok"] == [
        "dc-acme-gaming",
        "ig-lifeatacme",
    ]
    assert [a["person"] for a in data["leavers"]] == ["mark-ellison"]
    assert [t["id"] for t in data["tools"] if t["missing"]] == ["later"]
    rows = list(csv.DictReader(io.StringIO(render(acme, "csv"))))
    assert {r["id"]: r["review"] for r in rows}["dc-acme-gaming"] == "overdue"


def test_profile_links_are_links_and_only_web_links_are(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "a.yaml": """\
                people:
                  - {id: jdoe, employment: full_time}
                accounts:
                  - {id: good, name: Good Profile, platform: x, url: "https://x.com/good", owner: nobody}
                  - {id: script, platform: other, url: "javascript:alert(1)", owner: nobody}
                  - id: sneaky
                    platform: other
                    url: "https://example.com/a_(b)"
                    owner: nobody
            """
        }
    )
    report = run_audit(root)
    page = render(report, "html")
    assert '<a class="profile" href="https://x.com/good"' in page
    assert 'href="javascript' not in page
    md = render(report, "markdown")
    assert "[good](https://x.com/good)" not in md  # the handle is shown, else "profile"
    assert "(https://x.com/good)" in md and "Good Profile (good)" in md
    assert "javascript" not in md.split("## Channels")[1].split("](")[-1]
    assert "[profile](https://example.com/a_%28b%29)" in md


def test_json_is_handed_on_a_piece_at_a_time_never_held_whole(
    acme: AuditReport, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The JSON of a large report (100,000 channels: hundreds of megabytes) goes to its file or
    to standard output as it is written, the same text as ``render`` gives; the formats that
    write no such text are rendered whole."""
    from dataclasses import replace

    from socialgov.audit.renderers import writer
    from socialgov.audit.renderers.json import LONG, document
    from socialgov.core.escape import json_text

    rows = acme.adoption.rows
    large = replace(
        acme,
        channels=acme.channels * (4 * LONG // len(acme.channels) + 1),
        adoption=replace(acme.adoption, rows=rows * (6 * LONG // len(rows) + 1)),
    )
    whole = render(large, "json")
    assert whole == json_text(document(large))
    pieces: list[bytes | memoryview] = []
    write = writer("json")
    assert write is not None
    write(large, RenderOptions(), pieces.append)
    assert b"".join(pieces).decode("utf-8") == whole
    assert max(map(len, pieces)) < len(whole) / 5  # the adoption matrix too
    assert [name for name in FORMATS if writer(name) is not None] == ["json"]
    # through the command line: to a file and to standard output, what render gives
    expected = render(run_audit(ACME), "json")
    args = ["audit", "--root", str(ACME), "--as-of", "2026-11-24", "--format", "json"]
    target = tmp_path / "audit.json"
    assert main([*args, "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == expected
    capsys.readouterr()
    assert main(args) == 0
    assert capsys.readouterr().out == expected
