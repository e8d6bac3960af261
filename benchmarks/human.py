"""Generate a policy repository of N accounts written the way people write YAML.

    python benchmarks/human.py --accounts 5000 --out benchmarks/data/human-5000 [--seed 7]

benchmarks/generate.py writes one tidy shape: files of a hundred accounts, block style, no
comment. Real repositories are kept by several groups, each with its own habits. This tree is
one group of companies (Globex) whose subsidiaries and regions keep their part of the inventory
their own way:

- small files in nested folders, by region and country, by department, by platform, or one
  file per account; ``.yaml`` and ``.yml``;
- header comments (and editor schema hints), comments on their own line and after values,
  entries commented out;
- collections (``accounts:`` lists), one-entity files with ``kind:``, files of several
  documents (``---``, sometimes ``...``), collections and entities mixed in one file;
- block and flow style mixed (whole entities on one line, ``[a, b]`` lists, ``{k: v}`` maps);
- text blocks: ``>`` and ``>-`` descriptions, ``|`` and ``|+`` escalation playbooks, ``|-``;
- anchors and aliases (a shared list, a shared security block) and merge keys
  (``x-defaults: &defaults`` then ``<<: *defaults``, overridden where an entry differs);
- single, double and no quotes by habit; ``true`` or ``True``; keys in different orders;
  indentation of 2 or 4, list dashes flush or indented; Windows line ends (CRLF) in some files,
  a byte order mark in a few, a missing last newline;
- mistakes people make, a few of each (listed in the manifest, ``.generator.json``): a tab in
  the indentation, an unquoted ``: `` in a name, a key written twice, a misspelt field, a blank
  value, a number where a label wants text, a status in capitals, a team id with a typo, an
  account pasted into a second file with its id, a waiver past its date; and the governance
  gaps the rules look for (no owner, a leaver as owner, no backup, dormant, no MFA, ...).

Everything else is valid socialgov input: socialgov lint reports no parse or schema finding
but the listed mistakes (tests/test_human_generator.py checks it, and that PyYAML reads every
file as the data the generator meant). Deterministic for a given size and seed; different seeds
give different styles to each part of the group.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from yamltext import (
    Alias,
    Block,
    C,
    Disabled,
    Map,
    Note,
    Q,
    Seq,
    Style,
    render_documents,
    resolve,
)

AS_OF = dt.date(2026, 11, 24)
MANIFEST = ".generator.json"

FIRST = (
    "Ana",
    "José",
    "Zoë",
    "Siobhán",
    "Ólafur",
    "Thi Lan",
    "Aleksandr",
    "Eleni",
    "Mohammed",
    "Wang Fang",
    "Mary-Kate",
    "Jean-Baptiste",
    "Priyanka",
    "Kwame",
    "Yuki",
    "Łukasz",
    "Søren",
    "Chiamaka",
    "Björk",
    "Li",
    "Aoife",
    "Tomás",
    "Ingrid",
    "Rahul",
    "Fatima",
    "Pieter",
)
LAST = (
    "Smith",
    "García Márquez",
    "Papadopoulou",
    "de la Cruz",
    "Ng",
    "Ivanova",
    "Al-Hashimi",
    "O'Brien",
    "Nakamura",
    "Van der Berg",
    "Okonkwo",
    "Müller",
    "Dubois",
    "Kowalczyk",
    "Øster",
    "Venkataraman",
    "Zhang",
    "Nuñez",
    "Mbatha",
    "Lindqvist",
    "Rossi",
    "Fernandes",
)
COUNTRIES = {
    "emea": ("uk", "de", "fr", "es", "it", "nl", "se", "pl", "za", "ae"),
    "americas": ("us", "ca", "mx", "br", "ar", "cl"),
    "apac": ("jp", "au", "sg", "in", "kr", "nz"),
}
LANG = {
    "uk": "en-GB",
    "de": "de",
    "fr": "fr",
    "es": "es",
    "it": "it",
    "nl": "nl",
    "se": "sv",
    "pl": "pl",
    "za": "en-ZA",
    "ae": "ar",
    "us": "en-US",
    "ca": "fr-CA",
    "mx": "es-MX",
    "br": "pt-BR",
    "ar": "es-AR",
    "cl": "es-CL",
    "jp": "ja",
    "au": "en-AU",
    "sg": "en-SG",
    "in": "hi",
    "kr": "ko",
    "nz": "en-NZ",
}
PLATFORMS = (
    "x",
    "instagram",
    "facebook",
    "linkedin",
    "youtube",
    "tiktok",
    "threads",
    "bluesky",
    "mastodon",
    "pinterest",
    "whatsapp",
    "forum",
)
PLATFORM_WEIGHTS = (14, 14, 14, 9, 7, 8, 5, 4, 2, 2, 3, 4)
TOOLS = (
    ("sprout", "Sprout Social", "publishing"),
    ("brandwatch", "Brandwatch", "listening"),
    ("hootsuite", "Hootsuite", "publishing"),
    ("pagefreezer", "Pagefreezer", "archiving"),
    ("zendesk", "Zendesk", "crm"),
)
FREE_TEXT_MONITORING = ("Talkwalker", "Meltwater", "Google Alerts", "manual check (weekly)")
FUNCTIONS = ("marketing", "service", "sales", "pr", "legal", "hr", "product", "it")
PURPOSE_OF = {
    "marketing": "marketing",
    "service": "service",
    "sales": "sales",
    "pr": "pr",
    "legal": "other",
    "hr": "recruiting",
    "product": "innovation",
    "it": "internal",
}
HOURS = ("Mon-Fri 08:00-20:00", "Mon-Sat 08:00-20:00")
WORDS = (
    "customers",
    "replies",
    "within",
    "hours",
    "escalate",
    "the",
    "thread",
    "to",
    "press office",
    "legal",
    "before",
    "posting",
    "screenshots",
    "holding statement",
    "agreed",
    "line",
    "with",
    "duty manager",
    "weekends",
    "campaign",
    "launch",
    "regional",
    "store",
    "openings",
    "careers",
    "events",
    "community",
    "moderation",
    "house rules",
    "refunds",
    "deliveries",
    "outages",
    "product recalls",
    "influencers",
    "partners",
    "paid social",
    "reporting",
    "monthly",
)


@dataclass(frozen=True)
class Habits:
    """How one part of the group keeps its files."""

    name: str
    yaml: Style
    layout: str  # collection | multidoc | single | flowlines | mixed
    folders: str  # region | department | platform | flat
    per_file: tuple[int, int]
    crlf: float = 0.0
    bom: float = 0.0
    header: bool = True
    schema_hint: bool = False
    inline_comments: float = 0.0
    commented_out: float = 0.0
    merge_defaults: bool = False
    aliases: bool = False
    flow_lists: float = 0.5
    flow_maps: float = 0.3
    order: tuple[str, ...] = ()
    doc_start: bool = False
    doc_end: bool = False
    ext: str = ".yaml"
    descriptions: float = 0.1
    block_styles: tuple[str, ...] = (">",)
    quoted_dates: bool = False
    no_final_newline: float = 0.0


ORDER_ID_FIRST = (
    "id",
    "name",
    "platform",
    "type",
    "handle",
    "url",
    "owner",
    "backup_owner",
    "team",
    "purpose",
    "audience",
    "topic",
    "region",
    "language",
    "status",
    "created",
    "last_activity",
    "retired_on",
    "policies",
    "playbooks",
    "objectives",
    "monitoring",
    "terms",
    "metrics",
    "security",
    "labels",
    "tags",
    "description",
    "waivers",
)
ORDER_NAME_FIRST = (
    "name",
    "description",
    "id",
    "status",
    "platform",
    "url",
    "handle",
    "team",
    "owner",
    "backup_owner",
    "purpose",
    "region",
    "language",
    "audience",
    "topic",
    "security",
    "monitoring",
    "policies",
    "playbooks",
    "objectives",
    "terms",
    "metrics",
    "created",
    "last_activity",
    "retired_on",
    "tags",
    "labels",
    "waivers",
)
ORDER_PLATFORM_FIRST = (
    "platform",
    "handle",
    "url",
    "id",
    "name",
    "type",
    "purpose",
    "team",
    "owner",
    "backup_owner",
    "status",
    "last_activity",
    "created",
    "retired_on",
    "region",
    "language",
    "audience",
    "topic",
    "metrics",
    "security",
    "policies",
    "objectives",
    "playbooks",
    "monitoring",
    "terms",
    "labels",
    "tags",
    "description",
    "waivers",
)

HABITS = (
    Habits(
        "tidy: merge keys, folders by platform",
        Style(indent=2, quote='"', quote_fields=frozenset({"name"})),
        layout="collection",
        folders="platform",
        per_file=(8, 40),
        header=True,
        inline_comments=0.05,
        commented_out=0.02,
        merge_defaults=True,
        flow_lists=0.9,
        flow_maps=0.6,
        order=ORDER_ID_FIRST,
        descriptions=0.15,
        block_styles=(">", ">-"),
    ),
    Habits(
        "Windows: one account per file, 4 spaces, editor schema hints",
        Style(indent=4, dash_indented=True, quote='"', quote_fields=frozenset({"name", "handle"})),
        layout="single",
        folders="region",
        per_file=(1, 1),
        crlf=0.8,
        bom=0.05,
        header=False,
        schema_hint=True,
        flow_lists=0.2,
        flow_maps=0.1,
        order=ORDER_NAME_FIRST,
        ext=".yml",
        descriptions=0.3,
        block_styles=("|", ">"),
    ),
    Habits(
        "documents per file, single quotes, quoted dates",
        Style(
            indent=2,
            quote="'",
            quote_fields=frozenset({"name", "topic"}),
            true_word="True",
            false_word="False",
        ),
        layout="multidoc",
        folders="region",
        per_file=(2, 12),
        doc_start=True,
        doc_end=False,
        inline_comments=0.1,
        flow_lists=0.6,
        flow_maps=0.5,
        order=ORDER_PLATFORM_FIRST,
        descriptions=0.1,
        block_styles=(">-", "|-"),
        quoted_dates=True,
    ),
    Habits(
        "one entity per line, entries commented out",
        Style(indent=2, quote='"'),
        layout="flowlines",
        folders="department",
        per_file=(10, 60),
        commented_out=0.05,
        inline_comments=0.02,
        order=ORDER_ID_FIRST,
        descriptions=0.05,
        block_styles=(">",),
        no_final_newline=0.3,
    ),
    Habits(
        "anchors and aliases, names first, ... ends",
        Style(indent=2, dash_indented=True, quote="'", comment_gap=" "),
        layout="mixed",
        folders="department",
        per_file=(3, 15),
        aliases=True,
        doc_start=True,
        doc_end=True,
        inline_comments=0.08,
        flow_lists=0.4,
        flow_maps=0.2,
        order=ORDER_NAME_FIRST,
        descriptions=0.25,
        block_styles=(">-", "|", "|+"),
    ),
    Habits(
        "pasted from JSON: quoted keys, 4 spaces",
        Style(indent=4, quote='"', quote_keys=True, quote_fields=frozenset(ORDER_ID_FIRST)),
        layout="collection",
        folders="region",
        per_file=(5, 25),
        header=False,
        crlf=0.3,
        flow_lists=0.7,
        flow_maps=0.7,
        order=ORDER_ID_FIRST,
        descriptions=0.05,
        block_styles=(">",),
    ),
)

UNITS = (
    ("corporate", "Globex Corporate Communications", "pr"),
    ("care", "Globex Customer Care", "service"),
    ("retail", "Globex Retail", "sales"),
    ("talent", "Globex Talent", "hr"),
    ("labs", "Globex Product Labs", "product"),
    ("brand", "Globex Brand Marketing", "marketing"),
)


@dataclass
class Defect:
    code: str
    file: str
    what: str


@dataclass
class Unit:
    slug: str
    title: str
    function: str
    habits: Habits
    regions: tuple[str, ...]
    teams: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)


class HumanGenerator:
    """Writes the tree; ``files()`` gives each file's text and the data it must read as."""

    def __init__(self, accounts: int, seed: int = 7) -> None:
        self.n = accounts
        self.seed = seed
        self.rng = random.Random(seed)
        rng = self.rng
        habits = list(HABITS)
        rng.shuffle(habits)
        self.units: list[Unit] = []
        for index, (slug, title, function) in enumerate(UNITS):
            base = habits[index % len(habits)]
            tweak = replace(
                base,
                yaml=replace(base.yaml, indent=rng.choice((base.yaml.indent, 2, 4))),
                per_file=(base.per_file[0], base.per_file[1] + rng.randrange(0, 6)),
                crlf=min(1.0, base.crlf + rng.choice((0.0, 0.0, 0.2))),
            )
            regions = tuple(rng.sample(sorted(COUNTRIES), rng.randrange(1, 4)))
            self.units.append(Unit(slug, title, function, tweak, regions))
        weights = [rng.uniform(0.5, 2.0) for _ in self.units]
        total = sum(weights)
        self.share = [w / total for w in weights]
        self.n_people = max(24, accounts // 8)
        self.n_channels = max(6, accounts // 50)
        self._carried: list[str] = []  # mistakes in the text still to be made
        self._person_names: dict[str, str] = {}
        self.departed: set[str] = set()
        self.agency: set[str] = set()
        self._plan_people_and_teams()

    # the organisation ------------------------------------------------------------------------
    def _plan_people_and_teams(self) -> None:
        rng = self.rng
        used: set[str] = set()
        per_unit = max(4, self.n_people // len(self.units))
        for unit in self.units:
            unit.teams = (
                [f"{unit.slug}"]
                + [f"{unit.slug}-{region}" for region in unit.regions]
                + [
                    f"{unit.slug}-{region}-{k}"
                    for region in unit.regions
                    for k in range(max(1, self.n // (2000 * len(unit.regions) * len(self.units))))
                ]
            )
            for _ in range(per_unit):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                base = _slug(f"{first[0]}{last}") or "person"
                pid = base
                while pid in used:
                    pid = f"{base}{rng.randrange(2, 10_000)}"
                used.add(pid)
                unit.people.append(pid)
                self._person_names[pid] = f"{first} {last}"
                roll = rng.random()
                if roll < 0.02:
                    self.departed.add(pid)
                elif roll < 0.04:
                    self.agency.add(pid)
        self.everyone = [p for unit in self.units for p in unit.people]

    def owner(self, unit: Unit) -> str:
        while True:
            pid = self.rng.choice(unit.people)
            if pid not in self.departed and pid not in self.agency:
                return pid

    # files -----------------------------------------------------------------------------------
    def files(self) -> Iterator[tuple[str, str, list[Any], list[Defect]]]:
        """Each file: its path, its text, the documents it reads as (None for a file that is
        meant not to parse) and the mistakes written into it."""
        yield from self._fixed_files()
        for unit in self.units:
            yield from self._people_files(unit)
            yield from self._team_files(unit)
        yield from self._channel_files()
        yield from self._account_files()

    def write(self, out: Path) -> dict[str, Any]:
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        count = 0
        defects: list[Defect] = []
        for relpath, text, _, file_defects in self.files():
            path = out / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            count += 1
            defects += file_defects
        manifest = {
            "generator": "benchmarks/human.py",
            "accounts": self.n,
            "seed": self.seed,
            "files": count,
            "styles": {unit.slug: unit.habits.name for unit in self.units},
            "defects": [vars(d) for d in defects],
            "expected_structural": _expected(defects),
        }
        (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        return manifest

    def _file(
        self,
        relpath: str,
        documents: list[Any],
        habits: Habits,
        header: list[str] = (),  # type: ignore[assignment]
        defects: list[Defect] = (),  # type: ignore[assignment]
    ) -> tuple[str, str, list[Any], list[Defect]]:
        rng = self.rng
        head = list(header) if habits.header else []
        if habits.schema_hint:
            head.insert(0, "yaml-language-server: $schema=../../../schemas/document.schema.json")
        text = render_documents(
            documents,
            habits.yaml,
            header=head,
            start_marker=habits.doc_start,
            end_marker=habits.doc_end and len(documents) > 1,
            newline="\r\n" if rng.random() < habits.crlf else "\n",
        )
        if rng.random() < habits.no_final_newline and text.rstrip().endswith(("}", "]")):
            text = text.rstrip("\r\n")  # a last line without its line end (not after a text block)
        if rng.random() < habits.bom:
            text = "\ufeff" + text
        return relpath, text, [resolve(d) for d in documents], list(defects)

    # fixed files: configuration, tools, policies, playbooks, objectives, rules ---------------
    def _fixed_files(self) -> Iterator[tuple[str, str, list[Any], list[Defect]]]:
        tidy = Habits("governance office", Style(indent=2), "collection", "flat", (1, 1))
        strategy = Seq(
            [
                Map(
                    [("id", "grow-digital-sales"), ("statement", "Grow online sales by 15% a year")]
                ),
                Map(
                    [
                        ("id", "fewer-calls"),
                        ("statement", "Answer more questions where customers ask them"),
                    ]
                ),
                Map([("id", "employer-brand"), ("statement", "Be a place people want to work")]),
            ]
        )
        config = Map(
            [
                Note("Globex group social media inventory. Owned by the Governance Office."),
                ("organisation", "Globex Group"),
                ("strategy", strategy),
                (
                    "organisation_domains",
                    Seq(["globex.example", "globex-retail.example"], flow=True),
                ),
                (
                    "options",
                    Map(
                        [
                            ("max_channels_per_owner", 40),
                            ("accountable_employment", Seq(["full_time", "contractor"], flow=True)),
                        ]
                    ),
                ),
            ]
        )
        yield self._file("socialgov.yaml", [config], tidy, ["Globex: governance as code"])

        tools = Map(
            [
                (
                    "tools",
                    Seq(
                        [
                            Map(
                                [
                                    ("id", tid),
                                    ("name", name),
                                    ("category", category),
                                    ("owner", self.units[0].people[1]),
                                    (
                                        "security",
                                        Map(
                                            [
                                                ("mfa", True),
                                                ("sso", tid != "hootsuite"),
                                                ("audit_log", True),
                                            ],
                                            flow=True,
                                        ),
                                    ),
                                ]
                            )
                            for tid, name, category in TOOLS
                        ]
                    ),
                )
            ]
        )
        yield self._file("governance/tools.yaml", [tools], tidy, ["Tools we pay for"])

        owner = self.units[0].people[0]
        sla_description = Block(
            [
                *_wrap(
                    "Service levels we promise to customers. Every live service channel, social "
                    "and traditional, states the same hours and reply time: a tweet must not "
                    "promise what the phone line does not.",
                    60,
                ),
                "",
                "Changes go through the Governance Office (ticket GOV-118).",
            ],
            ">",
        )
        policies = [
            Map(
                [
                    ("kind", "Policy"),
                    ("id", "social-media"),
                    ("title", "Social media policy"),
                    ("version", 3),
                    ("owner", owner),
                    ("effective", dt.date(2025, 1, 1)),
                    ("review_by", dt.date(2027, 6, 30)),
                    (
                        "description",
                        Block(
                            _wrap(
                                "Who may open an account, who must own it, and how we speak "
                                "for Globex. "
                                "Applies to every presence, whatever the platform.",
                                58,
                            ),
                            ">-",
                        ),
                    ),
                    ("applies_to", Map([("kind", "Account")])),
                ]
            ),
            Map(
                [
                    ("kind", "Policy"),
                    ("id", "service-sla"),
                    ("title", "Service levels"),
                    ("version", 2),
                    ("owner", owner),
                    ("review_by", dt.date(2027, 3, 31)),
                    ("description", sla_description),
                    (
                        "applies_to",
                        Map(
                            [
                                ("kind", Seq(["Account", "Channel"], flow=True)),
                                ("where", Map([("purpose", "service")])),
                            ]
                        ),
                    ),
                    ("terms", Map([("service_hours", HOURS[0])])),
                    ("consistent_terms", Seq(["refund_window_days"], flow=True)),
                ]
            ),
            Map(
                [
                    ("kind", "Policy"),
                    ("id", "privacy-notice"),
                    ("title", "Privacy notice"),
                    ("owner", self.units[0].teams[0]),
                    ("review_by", dt.date(2026, 1, 31)),
                    (
                        "applies_to",
                        Map(
                            [
                                ("kind", "Account"),
                                ("where", Map([("purpose", Seq(["sales", "service"], flow=True))])),
                            ]
                        ),
                    ),
                    ("terms", Map([("privacy_notice", "v7")])),
                ]
            ),
        ]
        yield self._file(
            "governance/policies/policies.yaml",
            policies,
            replace(tidy, doc_start=True),
            ["Group policies, one document each"],
        )

        lessons = Block(
            [
                "Within ten working days:",
                "",
                "1. what happened, minute by minute;",
                "2. what we would do differently;",
                "3. who owns each action.",
            ],
            "|+",
            keep=1,
        )
        handoff = [
            Map(
                [
                    ("scenario", "crisis"),
                    ("trigger", "A post passes 50 shares an hour"),
                    ("from", self.units[1].slug),
                    ("to", self.units[0].slug),
                    (
                        "before",
                        Block(
                            _wrap(
                                "Screenshot the thread, pause scheduled posts on every "
                                "account and reply "
                                "once with the holding statement: we are looking into it.",
                                56,
                            ),
                            ">-",
                        ),
                    ),
                    ("expect", "Press office replies within 30 minutes"),
                ]
            ),
            Map(
                [
                    ("scenario", "account_compromise"),
                    ("trigger", "A login alert or odd posts"),
                    ("from", self.units[1].slug),
                    ("to", self.units[0].slug),
                    ("before", "Change the password in the vault and revoke sessions"),
                    ("expect", "IT confirms the account is recovered"),
                ],
                flow=True,
            ),
            Map(
                [
                    ("scenario", "sales_opportunity"),
                    ("trigger", "Purchase intent"),
                    ("from", self.units[1].slug),
                    ("to", self.units[2].slug),
                    ("expect", "Call back within a day"),
                ],
                flow=True,
            ),
        ]
        playbook = Map(
            [
                Note("The escalation playbook every live account follows."),
                ("kind", "Playbook"),
                ("id", "escalation"),
                ("title", "Escalation"),
                ("applies_to", Map([("kind", Seq(["Account", "Channel"], flow=True))])),
                ("handoffs", Seq(handoff)),
                (
                    "end",
                    Block(
                        [
                            "The duty manager closes the incident: the customer confirms it is",
                            "resolved,",
                            "or the case is closed with a reason recorded.",
                        ],
                        "|",
                    ),
                ),
                (
                    "follow_up",
                    Map(
                        [
                            ("communicate_to", Seq(["management", self.units[1].slug], flow=True)),
                            ("lessons_learned", lessons),
                        ]
                    ),
                ),
                ("last_exercised", dt.date(2026, 9, 14)),
            ]
        )
        yield self._file(
            "governance/playbooks/escalation.yaml",
            [playbook],
            replace(tidy, doc_start=True),
            ["Escalation: who gets the ball, and what happens before"],
        )

        objectives = Map(
            [
                (
                    "objectives",
                    Seq(
                        [
                            Map(
                                [
                                    ("id", f"objective-{unit.slug}"),
                                    (
                                        "statement",
                                        Block(
                                            _wrap(
                                                f"{unit.title} grows what matters to it on social "
                                                "and reports it "
                                                "monthly.",
                                                50,
                                            ),
                                            "|-",
                                        ),
                                    ),
                                    (
                                        "strategy",
                                        ("grow-digital-sales", "fewer-calls", "employer-brand")[
                                            i % 3
                                        ],
                                    ),
                                    ("owner", unit.people[0]),
                                    (
                                        "kpis",
                                        Seq(
                                            [
                                                Map(
                                                    [("name", "reach"), ("target", 1000 * (i + 1))],
                                                    flow=True,
                                                )
                                            ]
                                        ),
                                    ),
                                ]
                            )
                            for i, unit in enumerate(self.units)
                        ]
                    ),
                )
            ]
        )
        yield self._file("governance/objectives.yml", [objectives], tidy, ["Objectives"])

        rules = [
            Map(
                [
                    ("kind", "Rule"),
                    ("id", "globex-same-service-hours"),
                    ("code", "GLOBEX001"),
                    ("severity", "error"),
                    ("description", "Every service channel states the same service hours"),
                    (
                        "select",
                        Map(
                            [
                                ("kind", Seq(["Account", "Channel"], flow=True)),
                                (
                                    "where",
                                    Map(
                                        [
                                            ("purpose", "service"),
                                            (
                                                "status",
                                                Map(
                                                    [
                                                        (
                                                            "not_in",
                                                            Seq(["retired", "planned"], flow=True),
                                                        )
                                                    ],
                                                    flow=True,
                                                ),
                                            ),
                                        ]
                                    ),
                                ),
                            ]
                        ),
                    ),
                    ("assert", Map([("same", "terms.service_hours")])),
                ]
            ),
            Map(
                [
                    ("kind", "Rule"),
                    ("id", "globex-unique-handles"),
                    ("code", "GLOBEX002"),
                    ("select", Map([("kind", "Account")], flow=True)),
                    ("group_by", "platform"),
                    ("assert", Map([("unique", "handle")], flow=True)),
                ]
            ),
        ]
        yield self._file(
            "rules/globex.yaml", rules, replace(tidy, doc_start=True), ["Our own rules"]
        )

    # people and teams ------------------------------------------------------------------------
    def _people_files(self, unit: Unit) -> Iterator[tuple[str, str, list[Any], list[Defect]]]:
        habits = unit.habits
        rng = self.rng
        entries = []
        for pid in unit.people:
            items: list[Any] = [
                ("id", pid),
                ("name", self._person_names[pid]),
                ("email", f"{pid}@globex.example"),
                ("team", rng.choice(unit.teams)),
            ]
            items.append(("employment", "agency" if pid in self.agency else "full_time"))
            if pid in self.departed:
                items += [
                    ("status", "departed"),
                    ("departed_on", self._date(habits, dt.date(2026, 3, 31))),
                ]
            flow = habits.layout == "flowlines" or rng.random() < habits.flow_maps / 2
            entries.append(Map(items, flow=flow))
        folder = self._unit_root(unit)
        chunk = max(20, habits.per_file[1] * 2)
        for start in range(0, len(entries), chunk):
            part = entries[start : start + chunk]
            name = f"{folder}/people/{_stem(habits, 'staff', start // chunk)}{habits.ext}"
            yield self._file(
                name,
                [Map([("people", Seq(part))])],
                habits,
                [f"{unit.title}: people (from the HR export, edited by hand)"],
            )

    def _team_files(self, unit: Unit) -> Iterator[tuple[str, str, list[Any], list[Defect]]]:
        habits = unit.habits
        docs = []
        for index, tid in enumerate(unit.teams):
            items: list[Any] = [
                ("kind", "Team"),
                ("id", tid),
                ("name", f"{unit.title} {tid.split('-', 1)[-1].upper()}"),
                ("function", unit.function),
            ]
            if index:
                items.append(
                    ("parent", tid.rsplit("-", 1)[0] if index > len(unit.regions) else unit.slug)
                )
            if index % 7 != 3:
                items.append(("lead", unit.people[index % len(unit.people)]))
            docs.append(Map(items))
        if habits.layout in ("collection", "flowlines"):
            for doc in docs:
                doc.items = doc.items[1:]
            docs = [Map([("teams", Seq(docs))])]
        yield self._file(
            f"{self._unit_root(unit)}/teams{habits.ext}",
            docs,
            replace(habits, doc_start=habits.doc_start or len(docs) > 1),
            [f"{unit.title}: teams"],
        )

    def _channel_files(self) -> Iterator[tuple[str, str, list[Any], list[Defect]]]:
        unit = self.units[1]
        types = ("phone", "email", "chat", "web", "store", "sms")
        entries = []
        for i in range(self.n_channels):
            kind = types[i % len(types)]
            items: list[Any] = [
                ("id", f"{kind}-{i:04d}"),
                ("type", kind),
                (
                    "contact",
                    Q(f"+44 20 7946 {i % 10000:04d}")
                    if kind in ("phone", "sms")
                    else f"contact{i}@globex.example",
                ),
                ("owner", self.owner(unit)),
                ("backup_owner", self.owner(unit)),
                ("team", unit.slug),
                ("purpose", "service"),
                ("policies", Seq(["service-sla"], flow=True)),
                ("terms", Map([("service_hours", HOURS[0] if i % 23 else HOURS[1])], flow=True)),
            ]
            entries.append(Map(items))
        habits = replace(unit.habits, layout="collection")
        for start in range(0, len(entries), 50):
            yield self._file(
                f"{self._unit_root(unit)}/channels/contact-centre-{start // 50:03d}{habits.ext}",
                [Map([("channels", Seq(entries[start : start + 50]))])],
                habits,
                ["Phone, email, chat: traditional channels"],
            )

    # accounts --------------------------------------------------------------------------------
    def _account_files(self) -> Iterator[tuple[str, str, list[Any], list[Defect]]]:
        rng = self.rng
        counts = [int(self.n * share) for share in self.share]
        counts[0] += self.n - sum(counts)
        number = 0
        planned = self._plan_defects()
        pending: list[tuple[dict[str, Any], str]] = []  # to be pasted into the next file
        for unit, count in zip(self.units, counts, strict=True):
            groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
            for _ in range(count):
                account = self._account(unit, number)
                groups.setdefault(self._folder(unit, account), []).append((number, account))
                number += 1
            for folder, members in groups.items():
                lo, hi = unit.habits.per_file
                start = 0
                part = 0
                while start < len(members):
                    size = rng.randint(lo, hi)
                    chunk = members[start : start + size]
                    start += size
                    pasted = []
                    clean = not self._carried and not any(
                        planned.get(n) in ("tab", "colon") for n, _ in chunk
                    )
                    if pending and clean:
                        pasted, pending = pending, []
                        chunk = chunk + [(-1, copy) for copy, _ in pasted]
                    made = self._account_file(unit, folder, part, chunk, planned)
                    for _, source in pasted:
                        # lint reports the id on the later of the two files, in path order
                        made[3].append(
                            Defect(
                                "SG103",
                                max(source, made[0]),
                                f"an account pasted from {source} into {made[0]}, id and all",
                            )
                        )
                    yield made
                    if made[2] != [None]:  # a file that does not parse shows no id twice
                        pending += [
                            (dict(a), made[0]) for n, a in chunk if planned.get(n) == "pasted"
                        ]
                    part += 1

    def _plan_defects(self) -> dict[int, str]:
        """Which accounts (by number) carry which structural mistake: a few of each, more as
        the repository grows; never two in one account."""
        rng = random.Random(self.seed * 31 + 1)
        kinds = {
            "tab": max(1, self.n // 20000),
            "colon": max(1, self.n // 20000),
            "twice": max(1, self.n // 5000),
            "misspelt": max(1, self.n // 5000),
            "blank": max(1, self.n // 10000),
            "label-number": max(1, self.n // 10000),
            "status-case": max(1, self.n // 10000),
            "team-typo": max(1, self.n // 2000),
            "pasted": max(1, self.n // 10000),
            "waiver-expired": max(1, self.n // 10000),
        }
        wanted = sum(kinds.values())
        chosen = rng.sample(range(min(self.n, max(wanted * 3, self.n))), min(wanted, self.n))
        plan: dict[int, str] = {}
        flat = [kind for kind, n in kinds.items() for _ in range(n)]
        for number, kind in zip(chosen, flat, strict=False):
            plan[number] = kind
        return plan

    def _account(self, unit: Unit, i: int) -> dict[str, Any]:
        rng = self.rng
        region = rng.choice(unit.regions)
        country = rng.choice(COUNTRIES[region])
        platform = rng.choices(PLATFORMS, PLATFORM_WEIGHTS)[0]
        handle, url = _handle_url(platform, unit.slug, country, i, rng)
        purpose = PURPOSE_OF[unit.function]
        if rng.random() < 0.15:
            purpose = rng.choice(("service", "marketing", "sales", "pr"))
        data: dict[str, Any] = {"id": f"{unit.slug}-{country}-{platform}-{i}"}
        if rng.random() < 0.8:
            data["name"] = rng.choice(
                (
                    f"Globex {country.upper()} {platform.title()}",
                    f"Globex {unit.slug.title()} ({country.upper()})",
                    f"{unit.title}, {country.upper()} #{i}",
                    f"Globex {country.upper()}: {purpose} desk {i}",
                )
            )
        data["platform"] = platform
        if platform == "forum":
            data["type"] = "forum"
            data["audience"] = rng.choice(("customers", "developers", "partners"))
            data["topic"] = rng.choice(("product help", "community", "deals"))
        if handle is not None:
            data["handle"] = handle
        data["url"] = url
        gap = rng.random()
        if gap >= 0.02:
            data["owner"] = (
                self.owner(unit)
                if gap >= 0.035
                else rng.choice(sorted(self.departed) or unit.people)
            )
        if rng.random() >= 0.04:
            data["backup_owner"] = self.owner(unit)
        data["team"] = rng.choice(unit.teams)
        data["purpose"] = purpose
        data["region"] = region.upper() if region != "americas" else "Americas"
        data["language"] = LANG[country]
        roll = rng.random()
        status = "retired" if roll < 0.03 else "planned" if roll < 0.04 else "active"
        if status != "active" or rng.random() < 0.5:
            data["status"] = status
        if status == "retired":
            data["retired_on"] = dt.date(2025, 1 + i % 12, 1 + i % 28)
        if rng.random() < 0.6:
            data["created"] = dt.date(2012 + i % 14, 1 + i % 12, 1 + i % 28)
        if rng.random() >= 0.03:
            days = rng.randrange(1, 150) if rng.random() >= 0.04 else rng.randrange(200, 900)
            data["last_activity"] = AS_OF - dt.timedelta(days=days)
        if rng.random() >= 0.03:
            policies = ["social-media"]
            if purpose in ("service", "sales"):
                policies.append("privacy-notice")
            if purpose == "service":
                policies.append("service-sla" if rng.random() >= 0.05 else "service-sla@1")
            data["policies"] = policies
        if rng.random() < 0.3:
            data["playbooks"] = ["escalation"]
        if rng.random() >= 0.05:
            data["objectives"] = [f"objective-{unit.slug}"]
        if rng.random() >= 0.04:
            data["monitoring"] = rng.sample(
                [t[0] for t in TOOLS[:2]] + list(FREE_TEXT_MONITORING), rng.randrange(1, 3)
            )
        if purpose == "service":
            data["terms"] = {"service_hours": HOURS[0] if rng.random() >= 0.03 else HOURS[1]}
            if rng.random() < 0.2:
                data["terms"]["refund_window_days"] = 30
        if rng.random() < 0.7:
            metrics = {"followers": rng.randrange(50, 500_000)}
            if rng.random() < 0.6:
                metrics["posts_per_month"] = rng.randrange(0, 90)
            if platform == "forum":
                metrics["active_members_per_month"] = rng.randrange(5, 800)
            data["metrics"] = metrics
        data["security"] = {
            "mfa": rng.random() >= 0.04,
            "credential_custodian": rng.choice(("it-vault", "1password", unit.slug)),
        }
        if rng.random() < 0.3:
            data["labels"] = {"cost-centre": f"CC-{rng.randrange(1000, 9999)}"}
        if rng.random() < 0.2:
            data["tags"] = rng.sample(["flagship", country, region, "paid", "organic"], 2)
        if rng.random() < unit.habits.descriptions:
            data["description"] = self._description(unit, country)
        if rng.random() < 0.01:
            data["waivers"] = [
                {
                    "rule": "SG302",
                    "reason": "Seasonal: posts only during the summer campaign",
                    "expires": dt.date(2027, 5, 31),
                }
            ]
        data["_country"] = country
        data["_region"] = region
        return data

    def _description(self, unit: Unit, country: str) -> Block:
        rng = self.rng
        words = [rng.choice(WORDS) for _ in range(rng.randrange(12, 40))]
        text = f"{unit.title} in {country.upper()}: " + " ".join(words) + "."
        if rng.random() < 0.15:
            text += " 🚀"
        lines = _wrap(text, rng.choice((50, 60, 72)))
        if rng.random() < 0.3:
            lines += ["", "Contact: the duty manager (see the rota)."]
        style = rng.choice(unit.habits.block_styles)
        return Block(lines, style, keep=1 if style == "|+" else 0)

    def _folder(self, unit: Unit, account: dict[str, Any]) -> str:
        root = self._unit_root(unit)
        how = unit.habits.folders
        if how == "region":
            return f"{root}/{account['_region']}/{account['_country']}"
        if how == "department":
            return f"{root}/{account['purpose']}/{account['_country']}"
        if how == "platform":
            return f"{root}/accounts/{account['platform']}"
        return f"{root}/accounts"

    def _unit_root(self, unit: Unit) -> str:
        return {
            "region": f"regions/{unit.slug}",
            "department": f"departments/{unit.slug}",
            "platform": f"{unit.slug}/social",
            "flat": unit.slug,
        }[unit.habits.folders]

    def _account_file(
        self,
        unit: Unit,
        folder: str,
        part: int,
        chunk: list[tuple[int, dict[str, Any]]],
        planned: dict[int, str],
    ) -> tuple[str, str, list[Any], list[Defect]]:
        rng = self.rng
        habits = unit.habits
        first = chunk[0][1]
        if habits.layout == "single":
            stem = first["id"]
        else:
            stem = _stem(
                habits, first["platform"] if habits.folders != "platform" else "accounts", part
            )
        relpath = f"{folder}/{stem}{habits.ext}"
        defects: list[Defect] = []
        kinds = [planned.get(number) for number, _ in chunk]
        nodes = []
        for (_, account), kind in zip(chunk, kinds, strict=True):
            node, defect = self._account_node(unit, account, kind, relpath)
            nodes.append(node)
            if defect:
                defects.append(defect)
        layout = habits.layout
        if layout == "mixed":
            layout = rng.choice(("collection", "multidoc", "both"))
        header = [
            f"{unit.title}: {folder.split('/')[-1]} accounts",
            "Ask the Governance Office before opening a new account.",
        ]
        if layout in ("single", "multidoc"):
            docs = []
            for node in nodes:
                node.items.insert(0, ("kind", "Account"))
                docs.append(node)
            made = self._file(relpath, docs, habits, header, defects)
        elif layout == "both" and len(nodes) > 1:
            # a collection, then one more account added below it as an entity of its own
            nodes[-1].items.insert(0, ("kind", "Account"))
            docs = [self._collection(unit, nodes[:-1], False), nodes[-1]]
            made = self._file(relpath, docs, replace(habits, doc_start=True), header, defects)
        else:
            collection = self._collection(unit, nodes, layout == "flowlines")
            made = self._file(relpath, [collection], habits, header, defects)
        return self._mistakes(made, kinds, chunk)

    def _collection(self, unit: Unit, nodes: list[Map], flow: bool) -> Map:
        rng = self.rng
        habits = unit.habits
        items: list[Any] = []
        top: list[Any] = []
        if habits.merge_defaults and len(nodes) > 2:
            defaults = _common(nodes, ("team", "purpose", "policies", "security", "monitoring"))
            if defaults:
                anchor = Map([(k, v) for k, v in defaults], anchor=f"{unit.slug}-defaults")
                top.append((f"x-{unit.slug}-defaults", anchor))
                for node in nodes:
                    node.merge = [anchor]
                    own = dict(defaults)
                    node.items = [
                        (k, v)
                        for k, v in node.items
                        if not (k in own and resolve(v) == resolve(own[k]))
                        or rng.random() < 0.05  # said again although the default says it
                    ]
        if habits.aliases:
            _share(nodes, ("security", "policies", "monitoring"))
        for index, node in enumerate(nodes):
            if flow and not any(isinstance(v, Block) for _, v in node.items):
                node.flow = True
            if index and rng.random() < habits.commented_out:
                data = resolve(node)
                retired = Map(
                    [
                        ("id", data["id"] + "-old"),
                        ("platform", data["platform"]),
                        ("url", data["url"]),
                    ]
                )
                items.append(Disabled(retired, "closed in 2024, kept until the archive is done"))
            if index and rng.random() < 0.05:
                items.append(Note(f"--- {rng.choice(['EMEA', 'new in 2026', 'agency-run'])} ---"))
            items.append(node)
        return Map([*top, ("accounts", Seq(items))])

    def _account_node(
        self, unit: Unit, account: dict[str, Any], kind: str | None, relpath: str
    ) -> tuple[Map, Defect | None]:
        rng = self.rng
        habits = unit.habits
        data = {k: v for k, v in account.items() if not k.startswith("_")}
        defect = None
        if kind == "misspelt":
            data["backup_onwer"] = data.pop("backup_owner", None) or self.owner(unit)
            defect = Defect("SG101", relpath, "misspelt field backup_onwer")
        elif kind == "blank":
            data["backup_owner"] = None
            defect = Defect("SG101", relpath, "backup_owner left blank")
        elif kind == "label-number":
            data["labels"] = {"cost-centre": rng.randrange(1000, 9999)}
            defect = Defect("SG101", relpath, "a number where a label wants text")
        elif kind == "status-case":
            data["status"] = "Active"
            data.pop("retired_on", None)
            defect = Defect("SG101", relpath, "status written in capitals")
        elif kind == "team-typo":
            data["team"] = unit.slug[:-1] + "e" + unit.slug[-1]
            defect = Defect("SG104", relpath, f"team id with a typo ({data['team']})")
        elif kind == "waiver-expired":
            data["waivers"] = [
                {
                    "rule": "SG701",
                    "reason": "MFA device ordered (IT-4411)",
                    "expires": dt.date(2026, 6, 30),
                }
            ]
            defect = Defect("SG106", relpath, "a waiver past its date")
        items: list[Any] = []
        order = habits.order or tuple(data)
        keys = sorted(data, key=lambda k: order.index(k) if k in order else len(order))
        for key in keys:
            items.append((key, self._value(habits, key, data[key])))
        if kind == "twice":
            # a second owner line under the first: YAML keeps the last one
            if "owner" not in data:
                items.append(("owner", self.owner(unit)))
            at = next(n for n, (k, _) in enumerate(items) if k == "owner")
            items.insert(at + 1, ("owner", C(self.owner(unit), "handed over")))
            defect = Defect("SG102", relpath, "owner written twice")
        if rng.random() < habits.inline_comments:
            index = rng.randrange(len(items))
            key, value = items[index]
            if not isinstance(value, (Block, Map, Seq)) or getattr(value, "flow", False):
                items[index] = (
                    key,
                    C(
                        value,
                        rng.choice(
                            (
                                "check with legal",
                                "TODO: confirm",
                                "since the 2024 reorg",
                                "per ticket SM-88",
                                "agency login, see vault",
                            )
                        ),
                    ),
                )
        return Map(items), defect

    def _value(self, habits: Habits, key: str, value: Any) -> Any:
        rng = self.rng
        if isinstance(value, dict):
            small = all(not isinstance(v, (dict, list, Block)) for v in value.values())
            return Map(
                [(k, self._value(habits, k, v)) for k, v in value.items()],
                flow=small and rng.random() < habits.flow_maps,
            )
        if isinstance(value, list):
            scalars = all(not isinstance(v, (dict, list, Block)) for v in value)
            return Seq(
                [self._value(habits, key, v) for v in value],
                flow=scalars and rng.random() < habits.flow_lists,
            )
        if isinstance(value, dt.date):
            return self._date(habits, value)
        return value

    def _date(self, habits: Habits, value: dt.date) -> Any:
        return value.isoformat() if habits.quoted_dates else value

    def _mistakes(
        self,
        made: tuple[str, str, list[Any], list[Defect]],
        kinds: list[str | None],
        chunk: list[tuple[int, dict[str, Any]]],
    ) -> tuple[str, str, list[Any], list[Defect]]:
        """Mistakes that break the YAML itself, made in the text after writing: a tab in the
        indentation, an unquoted ': ' in a value. One that cannot be made in this file (no
        line of that shape) is made in the next file that has one."""
        relpath, text, documents, defects = made
        wanted = [
            (kind, account)
            for kind, (_, account) in zip(kinds, chunk, strict=True)
            if kind in ("tab", "colon")
        ]
        if not wanted and self._carried:
            wanted = [(self._carried.pop(0), chunk[0][1])]
        newline = "\r\n" if "\r\n" in text else "\n"
        lines = text.split(newline)
        for index, (kind, account) in enumerate(wanted):
            at = next((n for n, line in enumerate(lines) if _is_id_line(line, account)), None)
            if at is not None and kind == "tab":
                # an editor that indents with a tab: the account's id line
                lines[at] = "\t" + lines[at].lstrip(" ")
                what = "a tab in the indentation"
            elif at is not None and kind == "colon":
                # a value with ': ' in it, not quoted: a line added after the id
                key_at = len(lines[at]) - len(lines[at].lstrip(" -"))
                lines.insert(at + 1, " " * key_at + "topic: Support: EMEA and APAC")
                what = "an unquoted ': ' in a value"
            else:
                self._carried.append(kind)
                continue
            self._carried += [k for k, _ in wanted[index + 1 :]]
            return relpath, newline.join(lines), [None], [Defect("SG100", relpath, what)]
        return relpath, text, documents, defects


def _is_id_line(line: str, account: dict[str, Any] | None) -> bool:
    """Whether ``line`` is a block-style ``id:`` line (of ``account``, when given)."""
    stripped = line.lstrip(" -")
    if not stripped.startswith(("id: ", '"id": ')) or "{" in line:
        return False
    return account is None or stripped.split(":", 1)[1].strip().strip("'\"") == account["id"]


def _share(nodes: list[Map], keys: tuple[str, ...]) -> None:
    """Anchor the first entity's value of each key; later entities with the same value alias it
    (``security: &security {...}`` then ``security: *security``)."""
    for key in keys:
        first: Map | Seq | None = None
        for node in nodes:
            for index, (k, v) in enumerate(node.items):
                if k != key or not isinstance(v, (Map, Seq)):
                    continue
                if first is None:
                    v.anchor = key
                    first = v
                elif resolve(v) == resolve(first):
                    node.items[index] = (k, Alias(first))


def _common(nodes: list[Map], keys: tuple[str, ...]) -> list[tuple[str, Any]]:
    """The (key, node) pairs every entity of ``nodes`` holds with the same value."""
    found = []
    for key in keys:
        values = []
        for node in nodes:
            value = next((v for k, v in node.items if k == key), None)
            values.append(value)
        if all(v is not None for v in values):
            data = [resolve(v) for v in values]
            if all(d == data[0] for d in data):
                found.append((key, values[0]))
    return found


def _expected(defects: list[Defect]) -> dict[str, int]:
    """The structural findings (SG100-SG106) lint must report, counted by code and file."""
    counts = Counter(f"{d.code} {d.file}" for d in defects)
    return dict(sorted(counts.items()))


def _handle_url(
    platform: str, unit: str, country: str, i: int, rng: random.Random
) -> tuple[str | None, str]:
    cc = country.upper()
    if platform == "x":
        handle = f"Gx{cc}{unit[:2].title()}{i}"
        host = rng.choice(("https://x.com", "https://twitter.com", "http://x.com"))
        return handle, f"{host}/{handle}" + rng.choice(("", "", "/", "?lang=en"))
    if platform in ("instagram", "threads"):
        handle = f"globex.{country}.{unit}{i}"
        host = (
            "https://www.instagram.com" if platform == "instagram" else "https://www.threads.net/@"
        )
        sep = "" if platform == "threads" else "/"
        return handle, f"{host}{sep}{handle}"
    if platform == "facebook":
        handle = f"Globex{cc}{unit.title()}{i}"
        return handle, rng.choice(("https://www.facebook.com/", "https://facebook.com/")) + handle
    if platform == "linkedin":
        handle = f"globex-{country}-{unit}-{i}"
        return handle, f"https://www.linkedin.com/company/{handle}/"
    if platform == "youtube":
        handle = f"Globex{cc}{unit.title()}{i}"
        return (
            "@" + handle if rng.random() < 0.3 else handle
        ), f"https://www.youtube.com/@{handle}"
    if platform == "tiktok":
        handle = f"globex_{country}{i}"
        return handle, f"https://www.tiktok.com/@{handle}"
    if platform == "bluesky":
        handle = f"{country}{i}.globex.example"
        return handle, f"https://bsky.app/profile/{handle}"
    if platform == "mastodon":
        handle = f"globex{country}{i}@mastodon.social"
        return handle, f"https://mastodon.social/@globex{country}{i}"
    if platform == "pinterest":
        return f"globex{country}{i}", f"https://www.pinterest.com/globex{country}{i}/"
    if platform == "whatsapp":
        number = f"+44 7700 9{i % 100000:05d}"
        return number, f"https://wa.me/4477009{i % 100000:05d}"
    return None, f"https://community.globex.example/{country}/c/{unit}-{i}"


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)


def _slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _stem(habits: Habits, base: str, part: int) -> str:
    return f"{base}-{part + 1:02d}" if habits.per_file[1] > 1 and part else base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    manifest = HumanGenerator(args.accounts, args.seed).write(args.out)
    print(f"wrote {args.accounts:,} accounts in {manifest['files']:,} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
