"""A third benchmark tree, written by someone who never saw the other two generators.

The organisation: the executive branch of the (fictional) State of Westmark, a US state with
some thirty agencies, each with divisions, districts and field facilities (state parks, DMV
offices, job centers, State Police troops, museums, welcome centers...). Its social media
register started in 2014 as a spreadsheet kept by the Governor's Office of Communications, was
imported with ``socialgov import csv --split team`` in 2023 and again, for the local offices,
in one big statewide import; since then each agency's web or public-affairs people keep their
part by hand, each in the habits of their year and their tools:

* the imported files keep the importer's layout (two-space block style, one big collection per
  team, the importer's header comment), with hand additions appended below;
* Transportation and the State Police keep one tiny file per account in deep folders
  (``agencies/transportation/districts/d04/facebook.yaml``), a single ``kind: Account``
  document each, four-space indentation;
* Emergency Management keeps one multi-document file per region (``---`` between accounts,
  comments between documents, a leading ``---``);
* Health's epidemiologist-turned-webmaster uses ``x-defaults`` anchors, merge keys and an
  aliased policy list, flow mappings for small maps;
* the Motor Vehicles contractor's files come from Windows (CRLF, a byte order mark) and quote
  every string;
* the Governor's office wrote its files by hand in 2017-2019: long literal blocks, many
  comments, its own key order, ``first.last`` person ids;
* Spanish-language accounts of Labor and Health carry Spanish comments and names.

Governance gaps (people who left, no backups, no archive although records law applies, old
policy versions, accounts on platforms that shut down) come at the rates such an inventory has;
a few mistakes people really make are planted and listed in ``.generator.json`` with the
structural findings they must cause.

Standard library only. ``python benchmarks/stranger.py --accounts 5000 --out /tmp/x``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import unicodedata
from pathlib import Path

AS_OF = dt.date(2026, 11, 30)  # the day the tree "was written"; tests lint with --as-of this
D = dt.date

# --------------------------------------------------------------------------------------------
# vocabulary (written here; nothing is read at run time)


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "María José Ana Luis Carmen Jorge Lucía Diego Sofía Andrés Guadalupe Ramón Inés Joaquín "
    "Thu Minh Hương Quang Linh Bảo Ngọc Tuấn Mai Hiếu "
    "Kaya Winona Tahoma Sequoia Dezba Ahanu Kiona Nayeli "
    "Søren Zoë Chloé Björn Siobhán Łukasz Agnieszka Jürgen Émile Renée Noël Anaïs "
    "Ngozi Oluwaseun Chidi Amara Kwame Abena Fatima Yusuf Amina Omar Leila Samir "
    "Keʻala Kalani Makoa Leilani Hyun-woo Ji-yeon Min-jun Haruto Yuki Aiko Wei Xiaoling Priya "  # noqa: RUF001 (the okina of Hawaiian names)
    "Arjun Deepa Rohan Sean Patrick Bridget Megan Tyler Brandon Ashley Kayla Dustin Crystal "
    "Heather Travis Kelsey Cody Amber Jared Brittany Lindsey Dale Darlene Earl Loretta Wade "
    "Marisol Jamal Tanisha DeShawn Latoya Rasheed Imani Terrence Keisha Marcus Rosa Hector"
)
LAST = _words(
    "Peña Hernández Ortíz Muñoz Gutiérrez Castañeda Ibáñez Núñez Sánchez Domínguez Mendoza "
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Võ Đặng Bùi Đỗ "
    "Tsosie Begay Yazzie Runningwater Whitehorse Two-Bears Redcloud Lightfoot "
    "Kowalczyk Wiśniewski Müller Schäfer Jørgensen Søndergaard Lefèvre Dubois Brontë "
    "Okonkwo Adeyemi Mensah Abdi Haddad Nasser Farah "
    "Kahananui Akana Kealoha Park Kim Choi Nakamura Tanaka Chen Zhang Patel Iyer "
    "O'Brien O’Connor MacLeod McAllister Fitzgerald Kowalski Johnson Miller Anderson Thompson "  # noqa: RUF001 (a typographic apostrophe, as people type)
    "Sorensen Lindqvist Halvorsen Baptiste Washington Jefferson Coleman Brooks Whitfield "
    "Reyes Delgado Villanueva Espinoza Calloway Pruitt Hollister Abernathy Quill Varga"
)

TOWN_A = _words(
    "Cedar Alder Pine Elk Bear Eagle Otter Heron Raven Willow Aspen Juniper Sage Maple Birch "
    "Granite Copper Silver Iron Salt Red Blue Stone Clear Cold Sweet Bitter Crystal Shadow "
    "North South East West Upper Lower Big Little Old New Fort Port Mount Lake Río San Santa "
    "Tahoma Kittatas Wenaha Chelan Oka Skookum Nisqua Tumwa Yaquina Klick Walla Umat Sisk"
)
TOWN_B = _words(
    "Falls Creek Springs Valley Ridge Hollow Bend Crossing Harbor Point Flats Butte Prairie "
    "Ferry Junction Grove Meadows Bluff Canyon Mesa Landing Forks Gap Rapids Pass Heights "
    "Lake Park Mill Rock Bay Island Glen Wells Fork"
)
COUNTIES = _words(
    "Alder Bexley Calloway Dunmore Esperanza Franklin Granite Hollis Ibarra Jasper Kittatas "
    "Lassen Modoc Nisqua Okanogan Pend Quillayute Roslyn Skookum Tahoma Umatilla Valdez "
    "Wenaha Yaquina Zillah"
)

STATE = "Westmark"
DOMAIN = "westmark.example"  # the state's email and web domain (RFC 2606 style)
OLD_DOMAIN = "wm-state.example"  # the domain before the 2019 consolidation

# agency slug, name, short code (for handles), team function, keeper style, weight,
# facility kind (or None), divisions
AGENCIES = [
    (
        "governor",
        "Office of the Governor",
        "Gov",
        "executive",
        "governor",
        3,
        None,
        ["Constituent Services", "Boards & Commissions", "First Spouse's Office"],
    ),
    (
        "gocomms",
        "Governor's Office of Communications",
        "GovComms",
        "pr",
        "governor",
        2,
        None,
        ["Press Office", "Digital Engagement", "Translation Services"],
    ),
    (
        "oit",
        "Office of Information Technology",
        "OIT",
        "it",
        "governor",
        1,
        None,
        ["Security Operations Center", "Web Services"],
    ),
    (
        "dot",
        "Department of Transportation",
        "WestDOT",
        "service",
        "tiny",
        9,
        "district",
        ["Traffic Operations", "Highway Safety", "Ferries", "Aviation", "Rail & Transit"],
    ),
    (
        "wsp",
        "Westmark State Police",
        "WSP",
        "service",
        "tiny",
        5,
        "troop",
        ["Recruiting", "Crime Lab", "Motor Carrier Safety"],
    ),
    (
        "parks",
        "Department of Parks & Wildlife",
        "WMParks",
        "marketing",
        "import",
        14,
        "park",
        ["Hunting & Fishing", "Boating", "Trails", "Wildlife Viewing", "Volunteer Program"],
    ),
    (
        "health",
        "Department of Health",
        "WMHealth",
        "service",
        "anchors",
        8,
        "health-district",
        ["Immunization", "WIC", "Vital Records", "Environmental Health", "Tobacco Prevention"],
    ),
    (
        "dmv",
        "Division of Motor Vehicles",
        "WMDMV",
        "service",
        "windows",
        6,
        "dmv-office",
        ["Driver Licensing", "Vehicle Titles", "Commercial Licensing"],
    ),
    (
        "labor",
        "Department of Labor & Workforce",
        "WMLabor",
        "service",
        "spanish",
        6,
        "job-center",
        ["Unemployment Insurance", "Apprenticeships", "Workplace Safety"],
    ),
    (
        "oem",
        "Office of Emergency Management",
        "WMEmergency",
        "pr",
        "multidoc",
        4,
        "em-region",
        ["Preparedness", "Recovery", "Alerts & Warnings"],
    ),
    (
        "tourism",
        "Travel Westmark",
        "TravelWM",
        "marketing",
        "import",
        5,
        "welcome-center",
        ["Outdoor Recreation", "Film Office", "Culinary Trail"],
    ),
    (
        "library",
        "Westmark State Library",
        "WMLibrary",
        "other",
        "import",
        4,
        "library",
        ["Talking Book Library", "Digital Archives", "Youth Services"],
    ),
    (
        "history",
        "Westmark Historical Society & Museums",
        "WMHistory",
        "marketing",
        "governor",
        3,
        "museum",
        ["Collections", "Education Programs"],
    ),
    (
        "ag",
        "Department of Agriculture",
        "WMAg",
        "other",
        "import",
        3,
        "fair",
        ["Farmers Markets", "Food Safety", "Westmark Grown"],
    ),
    (
        "dnr",
        "Department of Natural Resources",
        "WMDNR",
        "service",
        "multidoc",
        5,
        "forest",
        ["Wildfire", "Geological Survey", "Aquatic Lands"],
    ),
    (
        "education",
        "Department of Education",
        "WMEd",
        "other",
        "import",
        3,
        None,
        ["Teacher Certification", "School Nutrition", "Special Education"],
    ),
    (
        "revenue",
        "Department of Revenue",
        "WMRevenue",
        "service",
        "windows",
        2,
        None,
        ["Taxpayer Services", "Unclaimed Property"],
    ),
    (
        "corrections",
        "Department of Corrections",
        "WMDOC",
        "other",
        "tiny",
        2,
        "facility",
        ["Community Corrections", "Careers"],
    ),
    (
        "veterans",
        "Department of Veterans Affairs",
        "WMVets",
        "service",
        "spanish",
        2,
        "vets-home",
        ["Benefits", "Cemeteries"],
    ),
    (
        "guard",
        "Westmark National Guard",
        "WMGuard",
        "pr",
        "tiny",
        2,
        "unit",
        ["Recruiting", "Family Programs"],
    ),
    (
        "commerce",
        "Department of Commerce & Economic Development",
        "WMCommerce",
        "sales",
        "import",
        2,
        None,
        ["Small Business", "Trade & Export", "Broadband Office"],
    ),
    (
        "lottery",
        "Westmark Lottery",
        "WMLottery",
        "marketing",
        "windows",
        1,
        None,
        ["Responsible Gaming"],
    ),
    (
        "arts",
        "Westmark Arts Council",
        "WMArts",
        "marketing",
        "spanish",
        1,
        None,
        ["Poet Laureate", "Folk Arts"],
    ),
    (
        "sos",
        "Office of the Secretary of State",
        "WMSOS",
        "pr",
        "governor",
        1,
        None,
        ["Elections", "Corporations", "State Archives"],
    ),
    (
        "attorney-general",
        "Office of the Attorney General",
        "WMAG",
        "legal",
        "governor",
        1,
        None,
        ["Consumer Protection", "Crime Victims"],
    ),
    (
        "hr",
        "Department of Administration - State HR",
        "WorkForWM",
        "hr",
        "import",
        1,
        None,
        ["Careers", "Employee Wellness"],
    ),
    (
        "ports",
        "Port of Westmark",
        "PortWM",
        "sales",
        "anchors",
        1,
        "terminal",
        ["Cruise Terminal", "Cargo"],
    ),
]

FACILITY = {
    "district": (
        "District",
        [
            "District {n}",
            "Region {n} Maintenance",
            "{town} Maintenance Shed",
            "{town} Rest Area",
            "{town} Ferry Terminal",
            "{town} Pass Traffic",
        ],
    ),
    "troop": ("Troop", ["Troop {L}", "Troop {L} {town} Post", "{town} Detachment"]),
    "park": (
        "Park",
        [
            "{town} State Park",
            "{town} Wildlife Area",
            "{town} State Beach",
            "{town} Fish Hatchery",
            "{town} Trail State Park",
        ],
    ),
    "health-district": (
        "Health District",
        ["{county} County Health District", "{town} Public Health Clinic", "{town} WIC Clinic"],
    ),
    "dmv-office": ("DMV Office", ["DMV {town}", "{town} Licensing Office"]),
    "job-center": ("WorkSource", ["WorkSource {town}", "Centro de Empleo {town}"]),
    "em-region": (
        "Region",
        [
            "{county} Region Emergency Management",
            "{town} Emergency Operations Center",
            "{town} CERT",
            "{town} Flood Warning",
        ],
    ),
    "welcome-center": ("Welcome Center", ["{town} Welcome Center", "Visit {town}"]),
    "library": ("Library", ["{town} Regional Library", "{county} County Library System"]),
    "museum": (
        "Museum",
        ["{town} History Museum", "{town} Heritage Site", "Fort {town} State Historic Site"],
    ),
    "fair": ("Fair", ["{county} County Fair", "{town} Farmers Market"]),
    "forest": ("Forest", ["{town} State Forest", "{county} Fire District"]),
    "facility": ("Facility", ["{town} Correctional Center", "{town} Reentry Center"]),
    "vets-home": ("Veterans Home", ["{town} Veterans Home"]),
    "unit": ("Unit", ["{n}th Infantry Battalion", "{n}th Airlift Wing", "{town} Readiness Center"]),
    "terminal": ("Terminal", ["{town} Marine Terminal"]),
}

# The platform mix of a state government in 2026 (the 2017 U.S. Digital Registry sample had
# twitter 39%, facebook 36%, youtube 10%; since then Instagram, Nextdoor and TikTok grew).
PLATFORMS = [
    ("facebook", 300),
    ("x", 150),
    ("instagram", 160),
    ("youtube", 80),
    ("linkedin", 50),
    ("nextdoor", 35),
    ("tiktok", 25),
    ("threads", 20),
    ("bluesky", 25),
    ("flickr", 20),
    ("mastodon", 6),
    ("pinterest", 8),
    ("vimeo", 5),
    ("github", 4),
    ("fbgroup", 10),
    ("googleplus", 9),
    ("periscope", 3),
    ("storify", 2),
    ("medium", 3),
    ("reddit", 2),
    ("discord", 2),
    ("whatsapp", 3),
    ("snapchat", 3),
    ("tumblr", 2),
    ("spotify", 5),
    ("forum", 3),
]
RETIRED_PLATFORMS = {
    "googleplus": D(2019, 4, 2),
    "periscope": D(2021, 3, 31),
    "storify": D(2018, 5, 16),
}

TOOLS = [
    ("hootsuite", "Hootsuite Enterprise (statewide contract WM-IT-2021-044)", "publishing"),
    ("sprout", "Sprout Social (Health and Labor seats)", "publishing"),
    ("archivesocial", "Social media archiving (records retention)", "archiving"),
    ("meltwater", "Meltwater listening", "listening"),
    ("everbridge", "Everbridge alerts console", "other"),
]

POLICIES = [
    "wm-social-media",
    "records-retention",
    "comment-moderation",
    "accessibility",
    "language-access",
    "constituent-sla",
]

WORDS = _words(
    "the state agency post posts public comment comments record records retention schedule "
    "moderation staff account accounts page pages official resident residents county office "
    "update updates alert alerts season permit permits hours closure closures road roads "
    "weather wildfire smoke advisory advisories service services program programs grant grants "
    "volunteer volunteers event events park parks trail trails license renewal online in person "
    "appointment appointments federal guidance reviewed approved by director deputy manager "
    "after before during the 2019 2021 2023 legislative session budget cut pilot migration "
    "from to and or of for with on in at a an we our this that these those every each"
)

AUDIENCES = {
    "dot": ["drivers", "commuters", "freight carriers", "ferry riders"],
    "wsp": ["drivers", "residents", "recruits"],
    "parks": ["visitors", "hunters and anglers", "campers"],
    "health": ["residents", "parents", "health care providers"],
    "dmv": ["drivers"],
    "labor": ["job seekers", "employers", "claimants"],
    "oem": ["residents", "media"],
    "tourism": ["visitors", "travel trade"],
    "library": ["patrons", "librarians"],
    "history": ["visitors", "teachers"],
    "ag": ["farmers", "fairgoers"],
    "dnr": ["residents", "landowners", "hikers"],
    "education": ["teachers", "parents"],
    "revenue": ["taxpayers", "businesses"],
    "corrections": ["families", "job seekers"],
    "veterans": ["veterans", "families"],
    "guard": ["recruits", "families"],
    "commerce": ["businesses"],
    "lottery": ["players"],
    "arts": ["artists", "residents"],
    "hr": ["job seekers"],
    "ports": ["shippers", "cruise passengers"],
}

PROGRAMS = [
    "Outreach",
    "Events",
    "Newsroom",
    "Youth Council",
    "Grants",
    "Safety Week",
    "Town Halls",
    "Careers",
    "Volunteers",
    "Community Meetings",
    "Scholarships",
    "Road Trip",
    "Alerts",
    "Open Data",
    "Podcast",
    "Photo Archive",
]

SPANISH = [
    "Cuenta oficial en español; responde la Oficina de Acceso Lingüístico.",
    "Publicamos avisos de cierres y horarios; no respondemos consultas de casos por mensaje.",
    "Revisado por la coordinadora regional después de la reorganización de 2024.",
]


def _ascii(text: str) -> str:
    text = text.replace("ʻ", "").replace("’", "").replace("'", "")  # noqa: RUF001
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-")


def _camel(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", _ascii(text)))


# --------------------------------------------------------------------------------------------
# YAML text, written by hand

_YAML11_WORDS = {
    "y",
    "n",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "false",
    "null",
    "~",
    "nan",
    ".nan",
    ".inf",
    "-.inf",
    "none",
}
_PLAIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][^\n\t]*")


class Block(str):
    """A text written as a literal (``|``) or folded (``>``) block: the str is what YAML reads."""

    mode: str
    lines: list[str]

    @classmethod
    def make(cls, lines: list[str], mode: str) -> Block:
        value = ("\n".join(lines) if mode == "|" else " ".join(lines)) + "\n"
        block = cls(value)
        block.mode, block.lines = mode, lines
        return block


class Raw:
    """A value written exactly as a person typed it; ``data`` is what it reads as."""

    __slots__ = ("data", "text")

    def __init__(self, text: str, data: object) -> None:
        self.text, self.data = text, data


class Style:
    def __init__(self, **kw: object) -> None:
        self.indent = 2
        self.dash_indent = True  # list items indented under their key
        self.quote = "auto"  # auto | double | single
        self.flow_lists = True
        self.flow_maps = False
        self.blank_between = False
        self.date_quoted = False
        self.crlf = False
        self.bom = False
        self.lead = False  # a leading '---'
        self.__dict__.update(kw)


def _plain_ok(s: str, flow: bool) -> bool:
    if not s or not _PLAIN.fullmatch(s) or s != s.strip():
        return False
    if s.lower() in _YAML11_WORDS or ": " in s or " #" in s or s.endswith(":"):
        return False
    return not (flow and any(c in s for c in ",[]{}:"))


def _dq(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_SCALARS: dict[tuple[str, str, bool], str] = {}


def _scalar(v: object, st: Style, flow: bool = False) -> str:
    if type(v) is str:
        key = (v, st.quote, flow)
        text = _SCALARS.get(key)
        if text is None:
            text = _SCALARS[key] = _str_scalar(v, st, flow)
        return text
    if isinstance(v, Raw):
        return v.text
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, dt.date):
        return f'"{v.isoformat()}"' if st.date_quoted else v.isoformat()
    if isinstance(v, (int, float)):
        return repr(v)
    return _str_scalar(str(v), st, flow)


def _str_scalar(s: str, st: Style, flow: bool) -> str:
    if st.quote == "double":
        return _dq(s)
    if _plain_ok(s, flow) and not (st.quote == "single" and " " in s):
        return s
    if st.quote == "single" or ("\\" in s and '"' not in s and "'" not in s):
        return "'" + s.replace("'", "''") + "'" if "\n" not in s else _dq(s)
    return _dq(s)


def _flow(v: object, st: Style) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x, st)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x, st) for x in v) + "]"
    return _scalar(v, st, flow=True)


def _is_scalar(v: object) -> bool:
    return not isinstance(v, (dict, list))


class Writer:
    """Renders mappings to lines; ``meta`` holds comments and planted slips per entity."""

    def __init__(self, st: Style) -> None:
        self.st = st

    def mapping(self, d: dict, col: int, out: list[str], meta: dict | None = None) -> None:
        st = self.st
        pad = " " * col
        inline = meta.get("inline", {}) if meta else {}
        before = meta.get("before", {}) if meta else {}
        dup = meta.get("dup") if meta else None
        for k, v in d.items():
            if k in before:
                out.extend(pad + "# " + c for c in before[k])
            if dup and dup[0] == k:
                out.append(f"{pad}{k}: {_scalar(dup[1], st)}")
            tail = f"   # {inline[k]}" if k in inline else ""
            if isinstance(v, Raw) or _is_scalar(v):
                if isinstance(v, Block):
                    out.append(f"{pad}{k}: {v.mode}{tail}")
                    ipad = " " * (col + st.indent)
                    out.extend(ipad + line if line else "" for line in v.lines)
                else:
                    out.append(f"{pad}{k}: {_scalar(v, st)}{tail}")
            elif isinstance(v, dict):
                if not v:
                    out.append(f"{pad}{k}: {{}}{tail}")
                elif st.flow_maps and all(_is_scalar(x) for x in v.values()) and len(v) <= 4:
                    out.append(f"{pad}{k}: {_flow(v, st)}{tail}")
                else:
                    out.append(f"{pad}{k}:{tail}")
                    self.mapping(v, col + st.indent, out)
            else:
                self.sequence(k, v, col, out, tail)

    def sequence(self, k: str, v: list, col: int, out: list[str], tail: str = "") -> None:
        st = self.st
        pad = " " * col
        if not v:
            out.append(f"{pad}{k}: []{tail}")
            return
        scalars = all(_is_scalar(x) for x in v)
        if scalars and st.flow_lists and len(v) <= 6:
            out.append(f"{pad}{k}: {_flow(v, st)}{tail}")
            return
        out.append(f"{pad}{k}:{tail}")
        dcol = col + (st.indent if st.dash_indent else 0)
        dpad = " " * dcol
        for x in v:
            if _is_scalar(x):
                out.append(f"{dpad}- {_scalar(x, st)}")
            elif st.flow_maps and all(_is_scalar(y) for y in x.values()):
                out.append(f"{dpad}- {_flow(x, st)}")
            else:
                self.item(x, dcol, out)

    def item(self, x: dict, dcol: int, out: list[str], meta: dict | None = None) -> None:
        start = len(out)
        self.mapping(x, dcol + 2, out, meta)
        # the first line that is not a comment gets the dash
        for i in range(start, len(out)):
            if not out[i].lstrip().startswith("#"):
                out[i] = " " * dcol + "- " + out[i][dcol + 2 :]
                break


# --------------------------------------------------------------------------------------------
# the generator


class StrangerGenerator:
    """The State of Westmark's inventory: exactly ``accounts`` Accounts."""

    def __init__(self, accounts: int, seed: int = 11) -> None:
        if accounts < 0:
            raise ValueError("accounts must be >= 0")
        self.n = accounts
        self.seed = seed
        self.keep_data = False  # the test sets it: self.data[relpath] = [documents]
        self.data: dict[str, list] = {}

    # -- helpers ---------------------------------------------------------------------------
    def _date(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + dt.timedelta(days=self.r.randint(0, max(span, 0)))

    def _text(self, words: int) -> list[str]:
        r = self.r
        ws = [r.choice(WORDS) for _ in range(words)]
        ws[0] = ws[0].capitalize()
        lines, cur = [], []
        for w in ws:
            cur.append(w)
            if sum(len(c) + 1 for c in cur) > 72:
                lines.append(" ".join(cur))
                cur = []
        if cur:
            lines.append(" ".join(cur) + ".")
        else:
            lines[-1] += "."
        return lines

    def _person(
        self, team: str, style: str, employment: str = "full_time", role: str | None = None
    ) -> str:
        r = self.r
        first, last = r.choice(FIRST), r.choice(LAST)
        if style == "spanish" and r.random() < 0.5:
            first, last = r.choice(FIRST[:15]), r.choice(LAST[:11]) + " " + r.choice(LAST[:11])
        if style == "governor":
            base = f"{_slug(first).split('-')[0]}.{_slug(last)}"
        elif style in ("tiny", "windows"):
            base = (_slug(first)[:1] + _slug(last).replace("-", ""))[:12]
        else:
            base = f"{_slug(first)}-{_slug(last)}"
        pid, i = base, 1
        while pid in self.people:
            i += 1
            pid = f"{base}{i}" if style in ("tiny", "windows") else f"{base}-{i}"
        name = f"{last}, {first}" if style == "tiny" else f"{first} {last}"  # Workday: Last, First
        email_dom = f"{self.agency_sub(team)}.{DOMAIN}"
        p = {
            "id": pid,
            "name": name,
            "email": f"{_slug(first).split('-')[0]}.{_slug(last).replace('-', '')}"
            f"{'' if i == 1 else i}@{email_dom}",
            "team": team,
            "employment": employment,
        }
        if role:
            p["role"] = role
        # turnover: elections, retirements, the 2024 reorganisation
        x = r.random()
        if x < 0.045:
            p["status"] = "departed"
            p["departed_on"] = self._date(D(2022, 1, 1), D(2026, 11, 15))
        elif x < 0.06:
            p["status"] = "leave"
        elif x < 0.066:  # serving notice
            p["departed_on"] = self._date(D(2026, 12, 5), D(2027, 3, 1))
        self.people[pid] = p
        self.people_of_agency.setdefault(self.agency_of_team[team], []).append(pid)
        return pid

    def agency_sub(self, team: str) -> str:
        return self.agency_of_team[team]

    # -- plan ------------------------------------------------------------------------------
    def _plan(self) -> None:
        r = self.r
        n = self.n
        self.people: dict[str, dict] = {}
        self.people_of_agency: dict[str, list[str]] = {}
        self.teams: dict[str, dict] = {}
        self.agency_of_team: dict[str, str] = {}
        self.accounts: list[dict] = []  # in file order per agency
        self.meta: dict[str, dict] = {}
        self.used: set[str] = set()  # presence keys
        self.acc_ids: set[str] = set()
        self.town_names: set[str] = set()
        self.fac_counter: dict[str, int] = {}
        # quotas
        weights = [a[5] for a in AGENCIES]
        total = sum(weights)
        quotas = [n * w // total for w in weights]
        floor = 2 if n >= 4 * len(AGENCIES) else 0
        quotas = [max(q, floor) for q in quotas]
        diff = n - sum(quotas)
        i = 0
        order = sorted(range(len(AGENCIES)), key=lambda j: -weights[j])
        while diff != 0:
            j = order[i % len(order)]
            if diff > 0:
                quotas[j] += 1
                diff -= 1
            elif quotas[j] > floor:
                quotas[j] -= 1
                diff += 1
            i += 1
        self.quotas = quotas
        for ag in AGENCIES:
            slug, name, _short, function, style, _w, _fac, divisions = ag
            self.agency_of_team[slug] = slug
            self.teams[slug] = {"id": slug, "name": name, "function": function}
            for dv in divisions:
                tid = f"{slug}-{_slug(dv)}"
                self.agency_of_team[tid] = slug
                self.teams[tid] = {"id": tid, "name": dv, "parent": slug}
        # leads and comms staff per agency
        self.comms: dict[str, list[str]] = {}
        for ag in AGENCIES:
            slug, style = ag[0], ag[4]
            lead = self._person(slug, style, role=f"Director, {ag[1]}")
            self.people[lead].pop("status", None)
            self.people[lead].pop("departed_on", None)
            self.teams[slug]["lead"] = lead
            pio = [
                self._person(
                    slug,
                    style,
                    role=r.choice(
                        [
                            "Public Information Officer",
                            "Communications Manager",
                            "Digital Media Coordinator",
                            "Web & Social Media Specialist",
                            "Outreach Coordinator",
                        ]
                    ),
                )
                for _ in range(3)
            ]
            self.comms[slug] = pio
            for dv in ag[7]:
                tid = f"{slug}-{_slug(dv)}"
                if style == "import" and r.random() < 0.5 and slug != "gocomms":
                    continue  # imported teams: nobody added function or lead (SG206)
                self.teams[tid]["function"] = (
                    "pr"
                    if dv == "Press Office"
                    else "it"
                    if slug == "oit"
                    else r.choice(["service", "marketing", "other", "pr"])
                )
                self.teams[tid]["lead"] = self._person(tid, style, role=f"Manager, {dv}")
        self.staff_by_team: dict[str, list[str]] = {}
        for ai, ag in enumerate(AGENCIES):
            self._agency_accounts(ai, ag, quotas[ai])

    def _unit_names(self, fac: str, count: int) -> list[str]:
        r = self.r
        _kind, patterns = FACILITY[fac]
        plain = [p for p in patterns if "{n}" not in p and "{L}" not in p] or patterns
        names: list[str] = []
        while len(names) < count:
            n = self.fac_counter[fac] = self.fac_counter.get(fac, 0) + 1
            pat = r.choice(patterns)
            if ("{n}" in pat and n > 12) or ("{L}" in pat and n > 26):
                pat = r.choice(plain)  # only so many districts and troops
            town = f"{r.choice(TOWN_A)} {r.choice(TOWN_B)}"
            name = pat.format(
                n=n, L=chr(64 + n) if n <= 26 else str(n), town=town, county=r.choice(COUNTIES)
            )
            if name in self.town_names:
                name = f"{name} {r.choice(['North', 'South', 'East', 'West', 'Annex', 'II'])}"
                if name in self.town_names:
                    name = f"{name} {n}"
            self.town_names.add(name)
            names.append(name)
        return names

    def _agency_accounts(self, ai: int, ag: tuple, quota: int) -> None:
        r = self.r
        slug, name, short, _function, style, _w, fac, divisions = ag
        units: list[tuple[str, str, str]] = [(name, slug, "hq")]
        units += [(dv, f"{slug}-{_slug(dv)}", "division") for dv in divisions]
        made = 0
        # each unit has 1-6 accounts; facilities added until the quota is met
        fac_names: list[str] = []
        ui = 0
        while made < quota:
            if ui < len(units):
                uname, team, ukind = units[ui]
            else:
                if not fac:
                    prog = r.choice(PROGRAMS)
                    where = r.choice(COUNTIES)
                    uname = (
                        f"{where} County {prog}" if r.random() < 0.6 else f"{short} {prog} {where}"
                    )
                    tries = 0
                    while uname in self.town_names:
                        tries += 1
                        uname = f"{r.choice(TOWN_A)} {r.choice(TOWN_B)} {prog}"
                        if tries > 20:
                            uname += f" {ui}"
                    self.town_names.add(uname)
                    team, ukind = slug, "program"
                else:
                    if not fac_names:
                        fac_names = self._unit_names(fac, 64)
                    uname, team, ukind = fac_names.pop(), slug, "facility"
            ui += 1
            k = {
                "hq": r.randint(4, 9),
                "division": r.randint(1, 4),
                "program": r.randint(1, 3),
                "facility": r.choice([1, 1, 1, 2, 2, 3, 4]),
            }[ukind]
            k = min(k, quota - made)
            manager = None
            if ukind == "facility":
                emp = "full_time"
                if slug == "parks" and r.random() < 0.12:
                    emp = "part_time"  # seasonal rangers run many park pages
                manager = self._person(
                    team, style, employment=emp, role=f"{FACILITY[fac][0]} Manager, {uname}"
                )
            platforms = self._platforms(k, ukind)
            for plat in platforms:
                self._account(ag, uname, team, ukind, plat, manager)
                made += 1

    def _platforms(self, k: int, ukind: str) -> list[str]:
        r = self.r
        first = ["facebook"] if ukind == "facility" else ["facebook", "x"]
        out = first[:k]
        names = [p for p, _ in PLATFORMS]
        weights = [w for _, w in PLATFORMS]
        while len(out) < k:
            p = r.choices(names, weights)[0]
            if p not in out or p in ("facebook", "x", "instagram"):
                out.append(p)
        return out

    # -- one account -----------------------------------------------------------------------
    def _handle(self, plat: str, base_words: str, short: str) -> tuple[str | None, str, str]:
        """(handle, url, type) for a new presence, unique and valid for its platform."""
        r = self.r
        camel = _camel(base_words)
        low = camel.lower()
        words = re.findall(r"[A-Za-z0-9]+", _ascii(base_words))
        initials = "".join(w[0] for w in words).upper()
        for attempt in range(400):
            suffix = (
                ""
                if attempt == 0
                else str(attempt + 1)
                if attempt < 12
                else str(r.randint(10, 10 ** (2 + attempt // 40)))
            )
            typ = "profile"
            handle: str | None
            if plat == "x":
                cand = (
                    [camel, f"{camel}News", f"{camel}_Info", f"{camel}Alerts"]
                    if camel == short
                    else [f"{short}{initials}", f"{short}_{initials}", camel, f"{short}_{low}"]
                )
                h = cand[attempt % 4]
                h = (h[: 15 - len(suffix)] + suffix) if attempt >= 4 else h[:15]
                handle = h
                url = r.choice(
                    [
                        f"https://x.com/{h}",
                        f"https://twitter.com/{h}",
                        f"http://twitter.com/{h}",
                        f"https://x.com/{h}",
                    ]
                )
            elif plat in ("facebook",):
                fb = [
                    camel,
                    f"{camel}Official",
                    f"{camel}Espanol",
                    camel if camel == short else f"{short}{camel}",
                ]
                h = fb[attempt % 4][:50] if attempt < 4 else fb[0][: 50 - len(suffix)] + suffix
                if len(h) < 5:
                    h = h + "Page"
                handle = h
                url = r.choice(
                    [
                        f"https://www.facebook.com/{h}",
                        f"https://facebook.com/{h}/",
                        f"https://www.facebook.com/{h}",
                    ]
                )
            elif plat == "fbgroup":
                h = f"{low}{suffix}"[:60]
                handle, typ = None, "forum"
                url = f"https://www.facebook.com/groups/{h}"
            elif plat in ("instagram", "threads"):
                h = r.choice([low, f"{short.lower()}.{low}", f"{short.lower()}_{low}"])
                h = h[: 30 - len(suffix)] + suffix
                handle = h
                url = (
                    f"https://www.instagram.com/{h}/"
                    if plat == "instagram"
                    else f"https://www.threads.net/@{h}"
                )
            elif plat == "youtube":
                h = camel[: 30 - len(suffix)] + suffix
                if len(h) < 3:
                    h += "TV"
                if r.random() < 0.15:
                    chan = "UC" + "".join(
                        r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
                        for _ in range(22)
                    )
                    handle, url = None, f"https://www.youtube.com/channel/{chan}"
                    h = chan
                else:
                    handle = h
                    url = r.choice(
                        [
                            f"https://www.youtube.com/@{h}",
                            f"https://www.youtube.com/user/{h}",
                            f"https://www.youtube.com/@{h}",
                        ]
                    )
            elif plat == "linkedin":
                h = _slug(base_words)[:90] + ("" if not suffix else "-" + suffix)
                handle = h
                url = r.choice(
                    [
                        f"https://www.linkedin.com/company/{h}",
                        f"https://www.linkedin.com/showcase/{h}/",
                    ]
                )
            elif plat == "tiktok":
                h = (low[: 24 - len(suffix)] + suffix) or "wmstate"
                handle, url = h, f"https://www.tiktok.com/@{h}"
            elif plat == "bluesky":
                if r.random() < 0.3:
                    h = f"{_slug(base_words)[:40].strip('-')}{suffix}.{DOMAIN}"
                else:
                    h = f"{low[:30]}{suffix}.bsky.social"
                handle, url = h, f"https://bsky.app/profile/{h}"
            elif plat == "mastodon":
                user = f"{low[:28]}{suffix}"
                h = user
                handle, url = f"{user}@social.{DOMAIN}", f"https://social.{DOMAIN}/@{user}"
            elif plat == "flickr":
                h = f"{low[:40]}{suffix}"
                handle, url = h, f"https://www.flickr.com/photos/{h}"
            elif plat == "pinterest":
                h = f"{low[:28]}{suffix}"
                handle, url = h, f"https://www.pinterest.com/{h}/"
            elif plat == "vimeo":
                h = f"{low[:28]}{suffix}"
                handle, url = h, f"https://vimeo.com/{h}"
            elif plat == "github":
                h = f"{_slug(base_words)[:36].strip('-')}{suffix}"
                handle, url = h, f"https://github.com/{h}"
            elif plat == "medium":
                h = f"{low[:28]}{suffix}"
                handle, url = h, f"https://medium.com/@{h}"
            elif plat == "tumblr":
                h = f"{_slug(base_words)[:30].strip('-')}{suffix}"
                handle, url = h, f"https://{h}.tumblr.com"
            elif plat == "snapchat":
                h = f"{low[:14]}{suffix}"
                handle, url = h, f"https://www.snapchat.com/add/{h}"
            elif plat == "nextdoor":
                h = f"{_slug(base_words)[:40]}{suffix}"
                handle, url = h, f"https://nextdoor.com/agency-detail/wm/{h}/"
            elif plat == "reddit":
                h = f"{camel[:18]}{suffix}"
                handle, typ, url = None, "forum", f"https://www.reddit.com/r/{h}"
            elif plat == "discord":
                h = f"{low[:20]}{suffix}"
                handle, typ, url = None, "forum", f"https://discord.gg/{h}"
            elif plat == "whatsapp":
                h = "0029Va" + "".join(
                    r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(18)
                )
                handle, url = None, f"https://whatsapp.com/channel/{h}"
            elif plat == "spotify":
                h = "".join(
                    r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                    for _ in range(22)
                )
                handle, url = None, f"https://open.spotify.com/show/{h}"
            elif plat == "googleplus":
                h = f"{camel[:40]}{suffix}"
                handle, url = None, f"https://plus.google.com/+{h}"
            elif plat == "periscope":
                h = f"{camel[:14]}{suffix}"
                handle, url = None, f"https://www.periscope.tv/{h}"
            elif plat == "storify":
                h = f"{low[:20]}{suffix}"
                handle, url = None, f"https://storify.com/{h}"
            else:  # forum
                h = f"{_slug(base_words)[:40]}{suffix}"
                handle, typ = None, "forum"
                url = f"https://community.{DOMAIN}/c/{h}"
            key = f"{plat}:{h.lower()}"
            if key not in self.used:
                self.used.add(key)
                return handle, url, typ
        raise RuntimeError("no free handle")  # pragma: no cover

    def _account(
        self, ag: tuple, uname: str, team: str, ukind: str, plat: str, manager: str | None
    ) -> None:
        r = self.r
        slug, _aname, short, function, style = ag[:5]
        real_plat = {"fbgroup": "facebook", "nextdoor": "other"}.get(plat, plat)
        base = {"hq": short, "division": f"{short} {uname}"}.get(ukind, uname)
        handle, url, typ = self._handle(plat, base, short)
        aid = f"{slug}-{_slug(uname)[:40]}-{real_plat}" if ukind != "hq" else f"{slug}-{real_plat}"
        if plat == "fbgroup":
            aid += "-group"
        i = 1
        root = aid
        while aid in self.acc_ids:
            i += 1
            aid = f"{root}-{i}"
        self.acc_ids.add(aid)
        label = {
            "x": "X",
            "fbgroup": "Facebook Group",
            "nextdoor": "Nextdoor",
            "googleplus": "Google+",
            "youtube": "YouTube",
            "linkedin": "LinkedIn",
            "tiktok": "TikTok",
        }.get(plat, plat.capitalize())
        lang = "en"
        if style == "spanish" and r.random() < 0.3:
            lang = "es"
        disp = f"{uname} on {label}" if r.random() < 0.5 else uname
        if lang == "es":
            disp = f"{uname} (Español)"
        # dates
        created = self._date(D(2009, 6, 1), D(2025, 10, 1))
        if real_plat in RETIRED_PLATFORMS:
            created = self._date(
                D(2011, 6, 1), RETIRED_PLATFORMS[real_plat] - dt.timedelta(days=400)
            )
        status = "active"
        x = r.random()
        if real_plat in RETIRED_PLATFORMS or x < 0.06:
            status = "retired"
        elif x < 0.09:
            status = "dormant"
        elif x < 0.105:
            status = "planned"
        if status == "active" and r.random() < 0.1:
            last = self._date(D(2023, 1, 1), D(2026, 5, 1))  # nobody posts any more
        elif status == "dormant":
            last = self._date(D(2021, 1, 1), D(2025, 6, 1))
        elif status == "retired":
            last = self._date(
                created, min(RETIRED_PLATFORMS.get(real_plat, D(2026, 6, 1)), D(2026, 6, 1))
            )
        else:
            last = self._date(D(2026, 9, 1), AS_OF)
        if last < created:
            last = created
        comms = self.comms[slug]
        owner = manager or r.choice(comms)
        backup = r.choice([c for c in comms if c != owner])
        acc: dict = {}
        imported = style == "import" or (ukind == "facility" and r.random() < 0.35)
        e = {"id": aid, "name": disp, "platform": real_plat}
        if typ == "forum":
            e["type"] = "forum"
        if handle:
            e["handle"] = handle
        e["url"] = url
        e["owner"] = owner
        if r.random() > 0.09:
            e["backup_owner"] = backup
        e["team"] = team
        purpose = {
            "pr": "pr",
            "service": "service",
            "marketing": "marketing",
            "sales": "sales",
            "hr": "recruiting",
            "legal": "pr",
            "it": "internal",
            "executive": "pr",
        }.get(function, "other")
        if "Recruit" in uname or "Careers" in uname:
            purpose = "recruiting"
        if status == "planned":
            e["status"] = status
        if imported:
            # the importer's fields, in the importer's order
            e["created"] = created
            if status != "planned":
                e["last_activity"] = last
            if status in ("retired", "dormant"):
                e["status"] = status
            e["metrics"] = {"followers": r.randint(40, 60000) if status != "planned" else 0}
            if r.random() < 0.7:
                e["security"] = {"mfa": r.random() < 0.85}
            # a person added policies afterwards to about half of them
            if r.random() < 0.55:
                e["policies"] = self._policy_refs(purpose, lang)
                e["purpose"] = purpose
            if status == "retired":
                e["retired_on"] = max(last, created)
            acc = e
        else:
            e["purpose"] = purpose
            e["audience"] = r.choice(AUDIENCES.get(slug, ["residents", "media"]))
            e["topic"] = (
                uname if r.random() < 0.6 else r.choice(["alerts", "closures", "events", "news"])
            )
            e["region"] = r.choice(["statewide", "statewide", *COUNTIES[:8]])
            e["language"] = lang
            e["status"] = status
            e["created"] = created
            if r.random() < 0.6:
                e["reviewed_on"] = self._date(D(2024, 6, 1), AS_OF)
            elif r.random() < 0.3:
                e["registered_on"] = self._date(D(2023, 1, 1), AS_OF)
            if status != "planned":
                e["last_activity"] = last
            if status == "retired":
                e["retired_on"] = max(last, created)
            e["policies"] = self._policy_refs(purpose, lang)
            if r.random() < 0.7:
                e["objectives"] = [self._objective_for(purpose)]
            if r.random() < 0.8:
                e["monitoring"] = r.sample(
                    ["meltwater", "Google Alerts", "Everbridge social feed", "hootsuite"],
                    r.randint(1, 2),
                )
            if r.random() < 0.55:
                e["managed_via"] = [r.choice(["hootsuite", "sprout"])]
            e["metrics"] = {
                "followers": r.randint(20, 250000),
                "posts_per_month": r.randint(0, 120),
            }
            if typ == "forum":
                e["metrics"] = {
                    "members": r.randint(30, 9000),
                    "active_members_per_month": r.randint(2, 600),
                }
            e["security"] = {
                "mfa": r.random() < 0.9,
                "credential_custodian": r.choice(
                    ["oit", "1Password: WM-Social", "oit-security-operations-center"]
                ),
            }
            if r.random() < 0.75:
                dom = DOMAIN if r.random() < 0.9 else OLD_DOMAIN
                if r.random() < 0.02:
                    dom = "gmail.example"
                e["login_email"] = f"social.{slug}@{dom}"
            if r.random() < 0.7:
                acc_list = [{"person": owner, "role": "admin", "via": "native"}]
                if "backup_owner" in e:
                    acc_list.append(
                        {
                            "person": backup,
                            "role": r.choice(["admin", "admin", "editor"]),
                            "via": r.choice(["native", "hootsuite"]),
                        }
                    )
                e["access"] = acc_list
            if r.random() < 0.65 or status == "retired":
                e["archive"] = {
                    "tool": "archivesocial",
                    "location": f"records://wm/{slug}/{aid}",
                    "last_capture": self._date(D(2026, 10, 1), AS_OF)
                    if status != "retired"
                    else last,
                    "retain_until": D(2033, 12, 31),
                }
            if r.random() < 0.3:
                e["labels"] = {
                    "records-series": f"GS-{r.randint(10, 99)}-{r.randint(100, 999)}",
                    "cost-center": f"{r.randint(1000, 9999)}",
                }
            if r.random() < 0.15:
                e["tags"] = r.sample(
                    ["spanish", "alerts", "seasonal", "legacy", "flagship", "youth"], 2
                )
            if lang == "es":
                e["description"] = r.choice(SPANISH)
                e["terms"] = {"language_access": "es"}
            elif r.random() < 0.06:
                e["description"] = Block.make(self._text(r.randint(30, 90)), r.choice(["|", ">"]))
            if r.random() < 0.02:
                e["waivers"] = [
                    {
                        "rule": "SG302",
                        "reason": "Seasonal page: posts only May to September (ticket WM-SOC-"
                        f"{r.randint(100, 999)})",
                        "approved_by": self.teams[slug]["lead"],
                        "expires": D(2027, 6, 30),
                    }
                ]
            if purpose == "service" and r.random() < 0.6:
                e.setdefault("terms", {})["response_time_hours"] = 48
            acc = e
        acc_meta: dict = {"agency": slug, "style": style, "imported": imported, "ukind": ukind}
        if style == "spanish" and not imported and r.random() < 0.08:
            acc_meta["before"] = {
                "id": [
                    r.choice(
                        [
                            "Cuenta abierta para la campaña de 2021; revisar si sigue activa.",
                            "Responsable cambió en 2024 (ver people/).",
                            "Pendiente: activar 2FA con OIT.",
                        ]
                    )
                ]
            }
        elif r.random() < 0.05:
            acc_meta["before"] = {
                "id": [
                    r.choice(
                        [
                            "TODO: confirm owner after the reorg",
                            f"Added {self._date(D(2018, 1, 1), AS_OF).isoformat()} per "
                            f"request from the regional manager",
                            "Page name changed in 2022; old name kept in the name field",
                            "Verified badge requested, see ticket WM-SOC-"
                            + str(r.randint(100, 999)),
                        ]
                    )
                ]
            }
        self.accounts.append(acc)
        self.meta[aid] = acc_meta

    def _policy_refs(self, purpose: str, lang: str) -> list[str]:
        r = self.r
        refs = ["wm-social-media" if r.random() < 0.8 else "wm-social-media@2", "records-retention"]
        if r.random() < 0.6:
            refs.append("comment-moderation")
        if r.random() < 0.4:
            refs.append("accessibility")
        if lang == "es":
            refs.append("language-access")
        if purpose == "service":
            refs.append("constituent-sla")
        return refs

    def _objective_for(self, purpose: str) -> str:
        return {
            "service": "answer-residents",
            "pr": "inform-in-emergencies",
            "marketing": "grow-visitors",
            "recruiting": "fill-state-jobs",
            "sales": "grow-business",
        }.get(purpose, "open-government")

    # -- planted mistakes ----------------------------------------------------------------
    def _plant(self) -> None:
        r = self.r
        n = self.n
        self.defects: list[dict] = []
        self.expected: dict[str, int] = {}
        self.expected_other: dict[str, int] = {}
        self.channel_conflicts = 0
        self.notes_doc = False
        if n < 40:
            return

        def bump(code: str, k: int = 1, other: bool = False) -> None:
            tgt = self.expected_other if other else self.expected
            tgt[code] = tgt.get(code, 0) + k

        free = [
            a
            for a in self.accounts
            if a.get("status", "active") in ("active",)
            and a["platform"] not in ("other", "forum")
            and "handle" in a
        ]
        r.shuffle(free)
        taken: set[str] = set()

        def pick(pred) -> dict | None:
            for a in free:
                if a["id"] not in taken and pred(a):
                    taken.add(a["id"])
                    return a
            return None

        def block_style(a: dict) -> bool:  # a file whose keys are written one per line
            return self.meta[a["id"]]["style"] in (
                "import",
                "tiny",
                "governor",
                "spanish",
                "multidoc",
            )

        def add(a: dict, kind: str, **kw: object) -> None:
            self.meta[a["id"]].setdefault("defects", []).append(dict(kind=kind, **kw))

        # SG104: a facility manager deleted from the people file (instead of marked departed)
        # while their accounts still name them: one finding per reference
        leads = {t.get("lead") for t in self.teams.values()}
        comms = {p for ps in self.comms.values() for p in ps}
        for _ in range(max(1, n // 5000)):
            cands = [
                a
                for a in free
                if a["id"] not in taken
                and a["owner"] not in comms
                and a["owner"] not in leads
                and a["owner"] not in self.deleted_people
            ]
            if not cands:
                break
            pid = cands[0]["owner"]
            refs = [
                a
                for a in self.accounts
                if a.get("owner") == pid or any(x["person"] == pid for x in a.get("access", []))
            ]
            k = sum(
                (a.get("owner") == pid) + sum(x["person"] == pid for x in a.get("access", []))
                for a in refs
            )
            self.deleted_people.add(pid)
            taken.update(a["id"] for a in refs)
            for a in refs:
                add(a, "deleted-person", person=pid, entity=a["id"])
            bump("SG104", k)
        # SG102: a handover written below the old owner instead of over it
        for _ in range(max(1, n // 4000)):
            a = pick(lambda a: block_style(a) and a.get("backup_owner"))
            if a:
                old = a["owner"]
                a["owner"] = a["backup_owner"]
                self.meta[a["id"]]["dup"] = ("owner", old)
                # the backup took over and nobody named a new backup: SG204 follows (not structural)
                add(a, "duplicate-key", key="owner", entity=a["id"], also="SG204")
                bump("SG102")
        # SG101: a platform written as people say it
        for _ in range(max(1, n // 2500)):
            a = pick(lambda a: block_style(a) and a["platform"] in ("x", "facebook"))
            if a:
                word = {"x": "Twitter", "facebook": "Facebook"}[a["platform"]]
                a["platform"] = Raw(word, word)
                add(a, "platform-name", value=word, entity=a["id"])
                bump("SG101")
        # SG101: YAML 1.1 booleans from an old template ('mfa: yes')
        for _ in range(max(1, n // 2000)):
            a = pick(
                lambda a: (
                    block_style(a)
                    and isinstance(a.get("security"), dict)
                    and a["security"].get("mfa") is True
                )
            )
            if a:
                a["security"]["mfa"] = Raw("yes", True)
                add(a, "yaml11-boolean", field="security.mfa", entity=a["id"])
                bump("SG101")
        # SG101 x2: a US date typed by hand (the pattern and the date check both fail)
        for _ in range(max(1, n // 3000)):
            a = pick(lambda a: block_style(a) and "created" in a)
            if a:
                c = a["created"]
                text = f"{c.month:02d}/{c.day:02d}/{c.year}"
                a["created"] = Raw(text, text)
                add(a, "us-date", field="created", value=text, entity=a["id"])
                bump("SG101", 2)
        # SG101: followers copied from a report with a thousands separator
        for _ in range(max(1, n // 3000)):
            a = pick(
                lambda a: (
                    block_style(a)
                    and self.meta[a["id"]]["style"] != "anchors"
                    and a.get("metrics", {}).get("followers", 0) >= 1000
                )
            )
            if a:
                f = a["metrics"]["followers"]
                text = f"{f:,}"
                a["metrics"]["followers"] = Raw(text, text)
                add(a, "thousands-separator", field="metrics.followers", value=text, entity=a["id"])
                bump("SG101")
        # SG101: a field socialgov does not have ('notes:' where 'description' was meant)
        for _ in range(max(1, n // 4000)):
            a = pick(lambda a: block_style(a) and "description" not in a)
            if a:
                a["notes"] = "Ask the district PIO before posting anything about road closures."
                add(a, "unknown-field", field="notes", entity=a["id"])
                bump("SG101")
        # SG104: a team id misspelt
        for _ in range(max(1, n // 3000)):
            a = pick(lambda a: block_style(a) and a["team"].startswith(("dot", "parks")))
            if a:
                t = a["team"]
                if t in ("dot", "parks"):
                    wrong = {"dot": "wsdot", "parks": "parks-and-wildlife"}[t]  # the old names
                else:
                    cut = len(t) - 3
                    wrong = t[:cut] + t[cut + 1 :]  # a letter dropped
                a["team"] = wrong
                add(a, "team-typo", value=wrong, entity=a["id"])
                bump("SG104")
        # SG107: a url copied from the neighbouring row
        for _ in range(max(1, n // 2000)):
            a = pick(
                lambda a: (
                    a["platform"] == "x"
                    and not self.meta[a["id"]].get("defects")
                    and "x:" + (a["handle"][:-1] + "Info").lower() not in self.used
                )
            )
            if a:
                wrong = a["url"].rsplit("/", 1)[0] + "/" + a["handle"][:-1] + "Info"
                a["url"] = wrong
                self.used.add("x:" + (a["handle"][:-1] + "Info").lower())
                add(a, "handle-url-mismatch", url=wrong, entity=a["id"])
                bump("SG107")
        # SG107: the page's display name typed into the handle
        for _ in range(max(1, n // 5000)):
            a = pick(
                lambda a: (
                    a["platform"] == "facebook"
                    and " " in str(a["name"])
                    and not self.meta[a["id"]].get("defects")
                    and "(" not in a["name"]
                )
            )
            if a:
                a["handle"] = a["name"]
                add(a, "display-name-as-handle", value=a["name"], entity=a["id"])
                bump("SG107")
        # SG108: a Google+ page that nobody marked closed (from the 2014 sheet)
        gp = [a for a in self.accounts if a["platform"] == "googleplus" and a["id"] not in taken]
        for a in gp[: max(1, n // 8000)]:
            taken.add(a["id"])
            a["status"] = "active"
            a.pop("retired_on", None)
            add(a, "closed-platform-live", entity=a["id"])
            bump("SG108")
        # SG304: one Facebook page registered by two agencies (ownership conflict)
        fb = [
            a
            for a in self.accounts
            if a["platform"] == "facebook"
            and "handle" in a
            and a["id"] not in taken
            and a.get("status", "active") != "planned"
        ]
        r.shuffle(fb)
        for _ in range(max(1, n // 2500)):
            if len(fb) < 2:
                break
            first = fb.pop()
            second = next(
                (b for b in fb if self.meta[b["id"]]["agency"] != self.meta[first["id"]]["agency"]),
                None,
            )
            if second is None:
                break
            fb.remove(second)
            taken.update((first["id"], second["id"]))
            second["handle"] = first["handle"]
            second["url"] = first["url"]
            add(second, "double-registration", same_as=first["id"], entity=second["id"])
            bump("SG304", other=True)
        # SG106: a waiver that ran out
        for _ in range(max(1, n // 10000)):
            a = pick(lambda a: not self.meta[a["id"]]["imported"] and "waivers" not in a)
            if a:
                a["waivers"] = [
                    {
                        "rule": "SG604",
                        "reason": "Meltwater contract lapsed; renewal in procurement",
                        "approved_by": self.teams[self.meta[a["id"]]["agency"]]["lead"],
                        "expires": D(2025, 12, 31),
                    }
                ]
                add(a, "expired-waiver", entity=a["id"])
                bump("SG106")
        # SG103: a person who moved agencies, added again by the new agency's import
        movers = [
            p
            for p in self.people.values()
            if p.get("status") is None and p["id"] not in self.deleted_people
        ]
        for _ in range(max(1, n // 10000)):
            if not movers:
                break
            p = movers.pop(r.randrange(len(movers)))
            other = next(
                a[0]
                for a in AGENCIES
                if a[0] != self.agency_of_team[p["team"]] and a[4] == "import"
            )
            self.dup_people.append((p["id"], other))
            bump("SG103")
        # SG100: a merge conflict left in a channels file; SG105: a contacts sheet saved as YAML
        self.channel_conflicts = 1 + n // 25000
        bump("SG100", self.channel_conflicts)
        self.notes_doc = True
        bump("SG105", 2)

    def _refs_of(self, pid: str) -> int:
        if not hasattr(self, "_refcount"):
            cnt: dict[str, int] = {}
            for a in self.accounts:
                for k in ("owner", "backup_owner"):
                    if a.get(k):
                        cnt[a[k]] = cnt.get(a[k], 0) + 1
                for x in a.get("access", []):
                    cnt[x["person"]] = cnt.get(x["person"], 0) + 1
                for w in a.get("waivers", []):
                    cnt[w["approved_by"]] = cnt.get(w["approved_by"], 0) + 1
            for t in self.teams.values():
                if t.get("lead"):
                    cnt[t["lead"]] = cnt.get(t["lead"], 0) + 1
            self._refcount = cnt
        return self._refcount.get(pid, 0) + (
            5 if any(pid in self.comms[a] for a in self.comms) else 0
        )

    # -- files -------------------------------------------------------------------------------
    def _emit(self, rel: str, text: str, docs: list | None, st: Style | None = None) -> None:
        if st is not None and st.crlf:
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        if st is not None and st.bom:
            data = b"\xef\xbb\xbf" + data
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.nfiles += 1
        if self.keep_data and docs is not None:
            self.data[rel] = docs

    def _docs_value(self, v: object) -> object:
        if isinstance(v, Raw):
            return v.data
        if isinstance(v, dict):
            return {k: self._docs_value(x) for k, x in v.items()}
        if isinstance(v, list):
            return [self._docs_value(x) for x in v]
        return v

    def _collection_file(
        self,
        rel: str,
        key: str,
        items: list[dict],
        st: Style,
        header: list[str],
        extra_top: dict | None = None,
        anchors: dict | None = None,
    ) -> None:
        w = Writer(st)
        out = [f"# {h}" if h else "#" for h in header]
        if header:
            out.append("")
        if st.lead:
            out.append("---")
        doc_data: dict = {}
        if anchors:  # x-defaults with a merge key
            out.append("x-defaults: &defaults")
            sub: list[str] = []
            w.mapping(anchors, st.indent, sub)
            out.extend(sub)
            out.append("")
            doc_data["x-defaults"] = self._docs_value(anchors)
        out.append(f"{key}:")
        dcol = st.indent if st.dash_indent else 0
        shared_pol: tuple | None = None
        for idx, e in enumerate(items):
            meta = self.meta.get(e["id"]) if key == "accounts" else None
            if st.blank_between and idx:
                out.append("")
            if anchors:
                body = {k: v for k, v in e.items() if not (k in anchors and anchors[k] == v)}
                # an aliased policy list: the first item with the common list anchors it
                pol = e.get("policies")
                start = len(out)
                out.append(" " * dcol + "- <<: *defaults")
                rest = dict(body)
                pol_line = None
                if pol is not None and "policies" in rest:
                    tpl = tuple(pol)
                    del rest["policies"]
                    if shared_pol is None and len(pol) >= 3:
                        shared_pol = tpl
                        pol_line = f"policies: &std-policies {_flow(list(pol), st)}"
                    elif shared_pol == tpl:
                        pol_line = "policies: *std-policies"
                    else:
                        pol_line = f"policies: {_flow(list(pol), st)}"
                sub = []
                w.mapping(rest, dcol + 2, sub, meta)
                out.extend(sub)
                if pol_line:
                    out.append(" " * (dcol + 2) + pol_line)
                del start
            else:
                w.item(e, dcol, out, meta)
        text = "\n".join(out) + "\n"
        doc_data[key] = [self._docs_value(self._merged(e, anchors)) for e in items]
        self._emit(rel, text, [doc_data] if self.keep_data else None, st)

    @staticmethod
    def _merged(e: dict, anchors: dict | None) -> dict:
        if not anchors:
            return e
        m = dict(anchors)
        m.update(e)
        return m

    def _entity_docs_file(
        self,
        rel: str,
        kind: str,
        items: list[dict],
        st: Style,
        header: list[str],
        between: bool = True,
    ) -> None:
        w = Writer(st)
        out = [f"# {h}" if h else "#" for h in header]
        if st.lead:
            out.append("---")
        docs = []
        for i, e in enumerate(items):
            if i:
                out.append("---")
            meta = self.meta.get(e["id"]) if kind == "Account" else None
            if between and meta and i and self.r.random() < 0.3:
                out.append(f"# {e['name']}")
            body = {"kind": kind, **e}
            w.mapping(body, 0, out, meta)
            docs.append(self._docs_value(body))
        text = "\n".join(out) + "\n"
        self._emit(rel, text, docs if self.keep_data else None, st)

    # -- write ----------------------------------------------------------------------------
    def write(self, out: Path) -> dict:
        out = Path(out)
        self.r = random.Random(f"westmark:{self.seed}:{self.n}")
        self.out = out
        self.nfiles = 0
        self.data = {}
        _SCALARS.clear()
        self.file_defects: list[dict] = []
        self.deleted_people: set[str] = set()
        self.dup_people: list[tuple[str, str]] = []
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        self._plan()
        self._plant()
        self._write_config()
        self._write_people_and_teams()
        self._write_accounts()
        self._write_policies_etc()
        self._write_channels()
        self._write_misc()
        counted = sum(1 for _ in self.accounts)
        assert counted == self.n, (counted, self.n)
        defects = []
        for a in self.accounts:
            for d in self.meta[a["id"]].get("defects", []):
                defects.append({"file": self.file_of[a["id"]], **d})
        defects += self.file_defects
        manifest = {
            "generator": "benchmarks/stranger.py",
            "organisation": f"State of {STATE} (executive branch)",
            "accounts": self.n,
            "seed": self.seed,
            "as_of": AS_OF.isoformat(),
            "files": self.nfiles + 1,
            "unparsed_files": sorted(self.unparsed),
            "defects": defects,
            "expected_structural": dict(sorted(self.expected.items())),
            "expected_other": dict(sorted(self.expected_other.items())),
            "structural_codes": [
                "SG100",
                "SG101",
                "SG102",
                "SG103",
                "SG104",
                "SG105",
                "SG106",
                "SG107",
                "SG108",
            ],
        }
        (out / ".generator.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        return manifest

    def _write_config(self) -> None:
        text = f"""# socialgov configuration: State of {STATE}, executive branch social media
# register.
#
# Kept by the Governor's Office of Communications (Digital Engagement). Agencies keep their own
# folders; changes to this file need a review from GOC and OIT Security (see CODEOWNERS).
# History: spreadsheet 2014-2022 ("WM Social Media Registry.xlsx"), imported 2023-03 with
# `socialgov import csv --split team`; local offices imported 2023-09 from the statewide sheet.

organisation: "State of {STATE} - Executive Branch"

# From the Governor's 2025-2028 Digital Services Plan.
strategy:
  - id: inform-residents
    statement: Residents get accurate, timely information from the agency that owns it
  - id: safety-first
    statement: Alerts and warnings reach people on the channels they already use
  - id: service-everywhere
    statement: Questions asked on social get the same answer as at a counter or on the phone
  - id: visit-westmark
    statement: Grow out-of-state visits to parks and heritage sites 5% a year
  - id: public-workforce
    statement: Fill state jobs within 60 days
  - id: open-government
    statement: Every post is a public record and is kept as one

organisation_domains: [{DOMAIN}, {OLD_DOMAIN}]

# Drafts and the original spreadsheets are not part of the register.
exclude:
  - "drafts/**"
  - "imports/**"

fail_on: error

options:
  dormant_days: 180
  forum_min_active_members: 50
  accountable_employment: [full_time]
  max_channels_per_owner: 40          # a PIO runs every page of a mid-size agency
  max_platforms_per_team: 6
  review_interval_days: 365
  min_admins: 2
  drill_interval_days: 365
  archive_max_age_days: 45            # ArchiveSocial captures nightly; 45 days allows outages
  require_archive: true               # Public Records Act, RCW-style retention schedule GS-50
"""
        self._emit("socialgov.yaml", text, None)

    def _write_people_and_teams(self) -> None:
        r = self.r
        # teams: one hand-kept file for the Governor's cluster, the rest as imported
        gov = [
            t
            for t in self.teams.values()
            if self.agency_of_team[t["id"]] in ("governor", "gocomms", "oit")
        ]
        rest = [t for t in self.teams.values() if t not in gov]
        self._collection_file(
            "teams/governor.yaml",
            "teams",
            gov,
            Style(blank_between=True),
            [
                "Teams of the Governor's cluster (hand-kept since 2017).",
                "The Press Office is the only pr team for crisis handoffs; see playbooks/.",
            ],
        )
        self._collection_file(
            "teams/agencies.yaml",
            "teams",
            rest,
            Style(),
            [
                "Teams named in WM Social Media Registry.xlsx, written by 'socialgov import csv'.",
                "Add each team's function and lead.",
                "(Functions and leads were filled in for most agencies in 2024; parents added "
                "2025.)",
            ],
        )
        # people: one file per agency, in the agency keeper's style
        by_agency: dict[str, list[dict]] = {}
        for p in self.people.values():
            if p["id"] in self.deleted_people:
                continue
            by_agency.setdefault(self.agency_of_team[p["team"]], []).append(p)
        for slug, style in ((a[0], a[4]) for a in AGENCIES):
            ps = by_agency.get(slug, [])
            for pid, other in self.dup_people:
                if other == slug:
                    q = dict(self.people[pid])
                    q["team"] = other
                    q["source"] = "import csv 2025-moves.csv"
                    ps = [*ps, q]
                    self.file_defects.append(
                        {
                            "file": f"people/{slug}.yaml",
                            "kind": "duplicate-person-id",
                            "person": pid,
                        }
                    )
            if not ps:
                continue
            if style == "import":
                ps = [
                    {**p, "source": p.get("source", "import csv WM Social Media Registry.xlsx")}
                    for p in ps
                ]
                self._collection_file(
                    f"people/{slug}.yaml",
                    "people",
                    ps,
                    Style(),
                    [
                        "People named in WM Social Media Registry.xlsx, written by 'socialgov "
                        "import csv'.",
                        "employment is full_time unless the sheet said otherwise: correct it "
                        "where it is wrong.",
                    ],
                )
            elif style == "windows":
                self._collection_file(
                    f"people/{slug}.yaml",
                    "people",
                    ps,
                    Style(quote="double", crlf=True, bom=True, indent=4),
                    [
                        f"{slug.upper()} staff with access to social media (maintained by "
                        f"contractor)"
                    ],
                )
            elif style == "tiny":
                self._collection_file(
                    f"people/{slug}.yaml",
                    "people",
                    ps,
                    Style(indent=4, dash_indent=False),
                    ["Synced from Workday export (HR) - do not hand edit names"],
                )
            elif style == "anchors":
                self._collection_file(
                    f"people/{slug}.yaml", "people", ps, Style(flow_maps=True), ["people"]
                )
            else:
                self._collection_file(
                    f"people/{slug}.yaml",
                    "people",
                    ps,
                    Style(blank_between=r.random() < 0.5),
                    [f"People of the {slug} cluster."],
                )

    def _write_accounts(self) -> None:
        r = self.r
        self.file_of: dict[str, str] = {}
        by_agency: dict[str, list[dict]] = {}
        for a in self.accounts:
            by_agency.setdefault(self.meta[a["id"]]["agency"], []).append(a)
        big_import: list[dict] = []
        tiny_paths: set[str] = set()
        for ag in AGENCIES:
            slug, name, _short, _function, style = ag[:5]
            accs = by_agency.get(slug, [])
            hand, imported = [], []
            for a in accs:
                (imported if self.meta[a["id"]]["imported"] else hand).append(a)
            if style != "import":
                big_import.extend(imported)
                accs = hand
            if not accs:
                continue
            if style == "import":
                by_team: dict[str, list[dict]] = {}
                for a in accs:
                    by_team.setdefault(a["team"] if a["team"] in self.teams else slug, []).append(a)
                for team, items in by_team.items():
                    rel = f"accounts/{_slug(self.teams.get(team, {'name': team})['name'])}.yaml"
                    for part, chunk in enumerate(_chunks(items, 2500)):
                        rp = rel if part == 0 else rel.replace(".yaml", f"-{part + 1}.yaml")
                        self._collection_file(
                            rp,
                            "accounts",
                            chunk,
                            Style(),
                            [
                                "Accounts imported from WM Social Media Registry.xlsx by "
                                "'socialgov import csv'.",
                                "Review them, then add owners, policies, playbooks and objectives.",
                            ],
                        )
                        for a in chunk:
                            self.file_of[a["id"]] = rp
            elif style == "tiny":
                st = Style(indent=4, dash_indent=True, flow_lists=False)
                for a in accs:
                    unit = _slug(a["name"].split(" on ")[0])[:40] or "hq"
                    region = f"region-{(sum(map(ord, unit)) % 6) + 1}"
                    plat = _val(a["platform"]).lower()
                    rel = f"agencies/{slug}/{region}/{unit}/social/{plat}.yaml"
                    if rel in tiny_paths:
                        rel = rel.replace(".yaml", f"-{a['id'][-12:]}.yaml")
                    tiny_paths.add(rel)
                    self._entity_docs_file(
                        rel,
                        "Account",
                        [a],
                        st,
                        [f"{a['name']}", f"Owner: see people/{slug}.yaml"]
                        if r.random() < 0.5
                        else [],
                    )
                    self.file_of[a["id"]] = rel
            elif style == "multidoc":
                st = Style(lead=True, flow_lists=True)
                groups: dict[str, list[dict]] = {}
                for a in accs:
                    groups.setdefault(a.get("region", "statewide").lower(), []).append(a)
                for region, items in groups.items():
                    for part, chunk in enumerate(_chunks(items, 400)):
                        tail = "" if part == 0 else f"-{part + 1}"
                        rel = f"accounts/{slug}/{region}{tail}.yml"
                        self._entity_docs_file(
                            rel,
                            "Account",
                            chunk,
                            st,
                            [
                                f"{name}: {region} accounts. One document per account, newest "
                                f"at the bottom."
                            ],
                        )
                        for a in chunk:
                            self.file_of[a["id"]] = rel
            elif style == "anchors":
                team_default = slug
                anchors = {
                    "team": team_default,
                    "owner": self.comms[slug][0],
                    "monitoring": ["meltwater"],
                    "security": {"mfa": True, "credential_custodian": "oit"},
                }
                for i, chunk in enumerate(_chunks(accs, 900)):
                    rel = f"accounts/{slug}/social-accounts-{i + 1:02d}.yaml"
                    self._collection_file(
                        rel,
                        "accounts",
                        chunk,
                        Style(flow_maps=True, flow_lists=True),
                        [
                            f"{name} social accounts.",
                            "Defaults below; each entry overrides what differs.",
                        ],
                        anchors=anchors,
                    )
                    for a in chunk:
                        self.file_of[a["id"]] = rel
            elif style == "windows":
                st = Style(
                    quote="double",
                    crlf=True,
                    bom=True,
                    indent=4,
                    date_quoted=True,
                    flow_lists=False,
                )
                for i, chunk in enumerate(_chunks(accs, 600)):
                    rel = f"accounts/{slug.upper()}/{slug}_social_{i + 1}.yaml"
                    self._collection_file(
                        rel,
                        "accounts",
                        chunk,
                        st,
                        [
                            f"{name} - social media accounts",
                            "Updated by contractor (vendor ticket queue)",
                        ],
                    )
                    for a in chunk:
                        self.file_of[a["id"]] = rel
            elif style == "spanish":
                st = Style(blank_between=True)
                for i, chunk in enumerate(_chunks(accs, 700)):
                    rel = f"accounts/{slug}/cuentas-{i + 1}.yaml"
                    self._collection_file(
                        rel,
                        "accounts",
                        chunk,
                        st,
                        [
                            f"{name} / Cuentas oficiales en redes sociales.",
                            "Las cuentas en español adoptan la política de acceso lingüístico "
                            "(language-access).",
                        ],
                    )
                    for a in chunk:
                        self.file_of[a["id"]] = rel
            else:  # governor: hand-written 2017-2019, its own key order, lots of comments
                st = Style(blank_between=True, quote="single")
                order = [
                    "id",
                    "owner",
                    "backup_owner",
                    "team",
                    "name",
                    "platform",
                    "type",
                    "handle",
                    "url",
                ]
                items = [{**{k: a[k] for k in order if k in a}, **a} for a in accs]
                for i, chunk in enumerate(_chunks(items, 500)):
                    rel = f"accounts/{slug}.yaml" if i == 0 else f"accounts/{slug}-{i + 1}.yaml"
                    self._collection_file(
                        rel,
                        "accounts",
                        chunk,
                        st,
                        [
                            f"{name}",
                            "",
                            "Hand-maintained since 2017 (originally in the Registry spreadsheet).",
                            "Please keep owner/backup at the top of each entry so reviewers "
                            "see them first.",
                        ],
                    )
                    for a in chunk:
                        self.file_of[a["id"]] = rel
        # the statewide local-offices import: very large files, importer style
        for i, chunk in enumerate(_chunks(big_import, 6000)):
            tail = "" if i == 0 else f"-part{i + 1}"
            rel = f"accounts/imported/local-offices-2023-09{tail}.yaml"
            self._collection_file(
                rel,
                "accounts",
                chunk,
                Style(),
                [
                    "Accounts imported from Local Offices Social Media Inventory (FY24).csv "
                    "by 'socialgov import csv'.",
                    "Review them, then add owners, policies, playbooks and objectives.",
                    "DO NOT re-import over this file: agencies have edited entries since (use "
                    "--update).",
                ],
            )
            for a in chunk:
                self.file_of[a["id"]] = rel

    def _write_policies_etc(self) -> None:
        gc = self.comms["gocomms"]
        longtext = Block.make(
            [
                "1. Every official account is registered here before it posts. Unregistered",
                "   accounts found by Digital Engagement are reported as impostors or closed.",
                "2. Each account has one accountable owner (a permanent state employee) and a",
                "   backup. Seasonal staff, interns and vendors may post, never own.",
                "3. Posts, comments and direct messages are public records (retention schedule",
                "   GS-50-05). Accounts are archived by the statewide archiving tool.",
                "4. Comments are moderated under the Comment Policy; never delete a comment",
                "   because it criticises the state.",
                "",
                "Adopted by the Governor's Office of Communications, 2017; revised 2021 and 2025.",
            ],
            "|",
        )
        pol = [
            {
                "id": "wm-social-media",
                "title": "State of Westmark Social Media Policy",
                "version": 3,
                "owner": gc[0],
                "effective": D(2025, 7, 1),
                "review_by": D(2027, 6, 30),
                "applies_to": {"kind": "Account"},
                "description": longtext,
            },
            {
                "id": "records-retention",
                "title": "Social Media Records Retention (GS-50-05)",
                "version": 2,
                "owner": "sos-state-archives",
                "effective": D(2024, 1, 1),
                "review_by": D(2027, 1, 1),
                "applies_to": {"kind": "Account", "where": {"status": {"not_in": ["planned"]}}},
            },
            {
                "id": "comment-moderation",
                "title": "Public Comment Policy",
                "version": 1,
                "owner": "attorney-general",
                "effective": D(2021, 3, 15),
                "review_by": D(2026, 3, 15),
                "terms": {"comment_policy_url": f"https://www.{DOMAIN}/comment-policy"},
            },
            {
                "id": "accessibility",
                "title": "Accessible Social Media (alt text, captions, CamelCase hashtags)",
                "owner": "oit-web-services",
                "effective": D(2023, 5, 1),
                "review_by": D(2027, 5, 1),
            },
            {
                "id": "language-access",
                "title": "Language Access Plan: social media",
                "owner": gc[1],
                "effective": D(2022, 9, 1),
                "review_by": D(2027, 9, 1),
                "applies_to": {"kind": "Account", "where": {"language": "es"}},
                "terms": {"language_access": "es"},
            },
            {
                "id": "constituent-sla",
                "title": "Constituent Response Standard",
                "version": 2,
                "owner": "governor-constituent-services",
                "effective": D(2024, 7, 1),
                "review_by": D(2027, 6, 30),
                "applies_to": {"kind": ["Account", "Channel"], "where": {"purpose": "service"}},
                "consistent_terms": ["response_time_hours"],
            },
        ]
        for p in pol:
            self._entity_docs_file(
                f"policies/{p['id']}.yaml",
                "Policy",
                [p],
                Style(),
                ["Policy. Changes need GOC and the Attorney General's office."],
            )
        pb = [
            {
                "id": "statewide-crisis",
                "title": "Statewide crisis and emergency communications",
                "applies_to": {"kind": ["Account", "Channel"]},
                "last_exercised": D(2026, 5, 14),
                "handoffs": [
                    {
                        "scenario": "crisis",
                        "trigger": (
                            "An emergency declaration, a wildfire evacuation, or a "
                            "post about an agency going viral"
                        ),
                        "from": "oem",
                        "to": "gocomms-press-office",
                        "before": (
                            "Post the holding statement from the Joint Information "
                            "Center template; pause scheduled posts"
                        ),
                        "expect": (
                            "The Press Office coordinates one message across every "
                            "agency account within 30 minutes"
                        ),
                    },
                    {
                        "scenario": "account_compromise",
                        "trigger": "A post nobody in the agency made, or a login alert",
                        "to": "oit-security-operations-center",
                        "before": "Screenshot, call the OIT SOC hotline, pause the publishing tool",
                        "expect": (
                            "OIT locks the account, resets credentials and files the "
                            "platform's report within 2 hours"
                        ),
                    },
                    {
                        "scenario": "legal",
                        "trigger": (
                            "A public records request or litigation hold naming social media"
                        ),
                        "from": "gocomms",
                        "to": "attorney-general",
                        "before": "Preserve the thread in the archive; do not delete",
                        "expect": "The AG's office answers and says what may be posted",
                    },
                ],
                "end": (
                    "The Press Office confirms the final message is posted everywhere and "
                    "the JIC is closed."
                ),
                "follow_up": {
                    "communicate_to": ["gocomms", "oem", "oit"],
                    "lessons_learned": "After-action report within 10 working days",
                },
            },
            {
                "id": "constituent-complaints",
                "title": "Complaints and casework on social",
                "applies_to": {"kind": ["Account", "Channel"], "where": {"purpose": "service"}},
                "handoffs": [
                    {
                        "scenario": "complaint",
                        "trigger": "A resident describes a problem with their own case",
                        "to": "governor-constituent-services",
                        "before": (
                            "Reply publicly with the casework form link; never ask for an SSN"
                        ),
                        "expect": "Constituent Services opens a case within 2 business days",
                        "continue_on": "gov-casework-email",
                    }
                ],
                "end": "The case is closed in the casework system.",
                "follow_up": {"communicate_to": ["governor"], "lessons_learned": True},
            },
        ]
        self._entity_docs_file(
            "playbooks/statewide.yaml",
            "Playbook",
            pb,
            Style(lead=True),
            ["Playbooks agreed by the Governor's cabinet, 2024."],
        )
        obj = [
            {
                "id": "answer-residents",
                "statement": "Residents' questions on social are answered as on the phone",
                "strategy": "service-everywhere",
                "owner": gc[0],
                "kpis": [{"name": "median first response (hours)", "target": 48}],
            },
            {
                "id": "inform-in-emergencies",
                "statement": "Emergency information reaches people fast",
                "strategy": "safety-first",
                "owner": self.comms["oem"][0],
                "kpis": [{"name": "minutes from declaration to first post", "target": 15}],
            },
            {
                "id": "grow-visitors",
                "statement": "More out-of-state visitors",
                "strategy": "visit-westmark",
                "owner": self.comms["tourism"][0],
                "kpis": [{"name": "referrals to reservation site", "target": "+5%"}],
            },
            {
                "id": "fill-state-jobs",
                "statement": "Fill state jobs faster",
                "strategy": "public-workforce",
                "owner": self.comms["hr"][0],
                "kpis": [{"name": "days to fill", "target": 60}],
            },
            {
                "id": "grow-business",
                "statement": "Small businesses find state programs",
                "strategy": "inform-residents",
                "owner": self.comms["commerce"][0],
            },
            {
                "id": "open-government",
                "statement": "Every account is a kept public record",
                "strategy": "open-government",
                "owner": self.comms["sos"][0],
                "kpis": [{"name": "accounts archived", "target": "100%"}],
            },
        ]
        self._collection_file(
            "objectives/objectives.yaml",
            "objectives",
            obj,
            Style(),
            ["Objectives from the 2025-2028 Digital Services Plan."],
        )
        tools = []
        for tid, tname, cat in TOOLS:
            tools.append(
                {
                    "id": tid,
                    "name": tname,
                    "category": cat,
                    "owner": "oit",
                    "security": {"mfa": True, "sso": cat != "other", "audit_log": True},
                    "access": [
                        {"person": self.comms["oit"][0], "role": "admin"},
                        {"person": self.comms["gocomms"][1], "role": "admin"},
                    ],
                }
            )
        self._collection_file(
            "tools/tools.yaml",
            "tools",
            tools,
            Style(flow_maps=True),
            ["Statewide contracts. OIT owns every tool."],
        )
        rule = {
            "id": "spanish-accounts-adopt-language-access",
            "code": "WM001",
            "severity": "warning",
            "description": "Spanish-language accounts adopt the Language Access Plan",
            "select": {
                "kind": "Account",
                "where": {"language": "es", "status": {"not_in": ["retired", "planned"]}},
            },
            "assert": {"field": "policies", "eq": "language-access"},
            "message": "{kind} {id} posts in Spanish but does not adopt language-access",
        }
        self._entity_docs_file(
            "rules/wm001-language-access.yaml",
            "Rule",
            [rule],
            Style(),
            ["WM001: the Language Access Plan (2022) applies to every Spanish-language account."],
        )

    def _write_channels(self) -> None:
        r = self.r
        self.unparsed: list[str] = []
        gov_chan = [
            {
                "id": "gov-casework-email",
                "type": "email",
                "name": "Constituent casework mailbox",
                "contact": f"casework@governor.{DOMAIN}",
                "owner": self.comms["governor"][0],
                "backup_owner": self.comms["governor"][1],
                "team": "governor-constituent-services",
                "purpose": "service",
                "status": "active",
                "reviewed_on": D(2026, 4, 2),
                "policies": ["constituent-sla"],
                "terms": {"response_time_hours": 48},
            }
        ]
        self._collection_file(
            "channels/governor.yaml",
            "channels",
            gov_chan,
            Style(),
            ["Traditional channels of the Governor's office"],
        )
        conflicts = self.channel_conflicts
        for ai, ag in enumerate(AGENCIES):
            slug, name = ag[0], ag[1]
            if ag[3] != "service":
                continue
            chans = [
                {
                    "id": f"{slug}-phone",
                    "type": "phone",
                    "name": f"{name} call center",
                    "contact": f"+1 555 01{ai:02d} {r.randint(1000, 9999)}",
                    "owner": self.comms[slug][0],
                    "backup_owner": self.comms[slug][1],
                    "team": slug,
                    "purpose": "service",
                    "status": "active",
                    "reviewed_on": D(2026, 2, 1),
                    "policies": ["constituent-sla"],
                    "terms": {"response_time_hours": 48},
                },
                {
                    "id": f"{slug}-web",
                    "type": "web",
                    "name": f"{name} website",
                    "contact": f"https://{slug}.{DOMAIN}/",
                    "owner": self.comms[slug][2],
                    "team": slug,
                    "purpose": "service",
                    "status": "active",
                    "reviewed_on": D(2026, 2, 1),
                    "policies": ["constituent-sla"],
                },
            ]
            rel = f"channels/{slug}/phone-and-web.yaml"
            if conflicts and ag[4] in (
                "tiny",
                "multidoc",
                "anchors",
                "spanish",
                "windows",
                "import",
            ):
                conflicts -= 1
                w = Writer(Style())
                out = ["# Call center and website.", "channels:"]
                w.item(chans[0], 2, out)
                keep = out[:]
                # a merge left unresolved: both sides of the hours change
                i = next(j for j, line in enumerate(keep) if "response_time_hours" in line)
                keep[i : i + 1] = [
                    "<<<<<<< HEAD",
                    keep[i],
                    "=======",
                    keep[i].replace("48", "24"),
                    ">>>>>>> phone-hours-2026",
                ]
                self._emit(rel, "\n".join(keep) + "\n", None)
                self.unparsed.append(rel)
                self.file_defects.append({"file": rel, "kind": "merge-conflict-markers"})
            else:
                self._collection_file(rel, "channels", chans, Style(), ["Call center and website."])

    def _write_misc(self) -> None:
        # a contacts sheet someone saved as YAML next to the teams (SG105, one per key)
        if self.notes_doc:
            text = (
                "# Agency social media contacts, from the 2022 PIO roster (kept for reference)\n"
                "agency_contacts:\n"
                + "".join(
                    f"  - {{agency: {a[0]}, pio: {self.comms[a[0]][0]}}}\n" for a in AGENCIES[:6]
                )
                + "updated: 2022-08-15\n"
            )
            rel = "teams/pio-roster.yaml"
            data = [
                {
                    "agency_contacts": [
                        {"agency": a[0], "pio": self.comms[a[0]][0]} for a in AGENCIES[:6]
                    ],
                    "updated": D(2022, 8, 15),
                }
            ]
            self._emit(rel, text, data)
            self.file_defects.append({"file": rel, "kind": "not-an-entity-document", "keys": 2})
        # files that are not read: a draft (excluded), the spreadsheet, docs
        self._emit(
            "drafts/tiktok-pilot.yaml",
            "# draft, not registered yet\naccounts:\n  - id: tiktok pilot\n    platform: TikTok\n",
            None,
        )
        self._emit(
            "imports/README.md",
            "Original spreadsheets live in the records system; this folder is excluded.\n",
            None,
        )
        self._emit(
            "README.md",
            f"# State of {STATE} social media register\n\nRun `socialgov lint` before every "
            f"merge.\n",
            None,
        )
        self._emit(
            "CODEOWNERS",
            "* @westmark/goc-digital\n/accounts/dot/ @westmark/dot-public-affairs\n",
            None,
        )


def _val(v: object) -> object:
    return v.data if isinstance(v, Raw) else v


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]
    if not items:
        return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    m = StrangerGenerator(args.accounts, args.seed).write(args.out)
    print(
        f"wrote {m['files']} files, {m['accounts']} accounts, {len(m['defects'])} planted "
        f"defects to {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
