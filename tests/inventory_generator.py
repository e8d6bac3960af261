"""A large policy repository that looks like a stranger's, for the audit's layout and scale tests.

Not one organisation's tidy example: people from many places (diacritics, Cyrillic, Greek, Arabic,
Chinese and very long names), a unit hierarchy four levels deep with long, wordy team names,
account names that are long, missing or just the handle, ids as an import makes them from profile
URLs (``https-www.linkedin.com-company-...``), handles of every length, and the usual mess of
missing owners, leavers, differing terms and unmonitored accounts, in proportions that vary by
division. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

FIRST = (
    "Ana",
    "José",
    "Zoë",
    "Siobhán",
    "Ólafur",
    "Nguyễn Thị",
    "Александр",
    "Ελένη",
    "محمد",
    "王芳",
    "Mary-Kate",
    "Jean-Baptiste",
    "Priyanka",
    "Kwame",
    "Yuki",
    "Łukasz",
    "Søren",
    "Chiamaka",
    "Ifeoma",
    "Björk",
    "Maximiliano Alejandro",
    "Li",
    "O'Neill",
    "Aoife",
)
LAST = (
    "Smith",
    "García Márquez",
    "Wolfeschlegelsteinhausenbergerdorff",
    "Papadopoulou-Konstantinidou",
    "de la Cruz y Fernández de Córdoba",
    "Ng",
    "Иванова",
    "Al-Hashimi",
    "O'Brien",
    "Nakamura",
    "Van der Westhuizen",
    "Okonkwo",
    "Müller-Lüdenscheidt",
    "Dubois",
    "Kowalczyk",
    "Øster",
    "Venkataraghavan",
    "Zhang",
    "Nuñez",
    "Mbatha",
)
DIVISIONS = (
    "Corporate Communications and Public Affairs",
    "Customer Experience, Service and Community Engagement",
    "Sales",
    "Research, Development and Innovation Programmes (including Partnerships with Universities)",
    "Human Resources, Talent Acquisition and Employer Branding",
    "IT",
    "Regional Operations: Europe, the Middle East and Africa",
    "Regional Operations: Asia-Pacific",
)
DEPARTMENT = (
    "Social Media Desk",
    "Press Office",
    "Digital Marketing and Paid Social Campaigns",
    "Customer Care (Tier 1 and Tier 2 Support)",
    "Community Management",
    "Recruitment Marketing",
    "Investor Relations",
    "Product Launches",
    "Local Markets",
)
OFFICE = (
    "North",
    "South-East and the Islands",
    "Berlin",
    "São Paulo",
    "Zürich",
    "Kraków",
    "Reykjavík",
    "Johannesburg and Cape Town Joint Office",
    "東京",
    "القاهرة",
    "Москва",
    "Αθήνα",
)
FUNCTIONS = ("marketing", "service", "sales", "pr", "legal", "hr", "product", "it", "executive")
PLATFORMS = {
    "x": "https://x.com/{h}",
    "instagram": "https://www.instagram.com/{h}",
    "facebook": "https://www.facebook.com/{h}",
    "linkedin": "https://www.linkedin.com/company/{h}",
    "youtube": "https://www.youtube.com/@{h}",
    "tiktok": "https://www.tiktok.com/@{h}",
    "threads": "https://www.threads.net/@{h}",
    "mastodon": "https://mastodon.social/@{h}",
    "pinterest": "https://www.pinterest.com/{h}",
    "reddit": "https://www.reddit.com/r/{h}",
}
PURPOSES = ("service", "sales", "marketing", "pr", "recruiting", "innovation", "internal", "other")
TOOLS = ("Brandwatch", "Sprinklr", "Hootsuite Insights", "Talkwalker", "in-house listening")


def slug(text: str, limit: int = 60) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")
    return value or "x"


def _entry(value: dict[str, object]) -> str:
    return "  - " + json.dumps(value, ensure_ascii=False)


def generate(root: Path, accounts: int = 10_000, seed: int = 21) -> Path:
    """Write a policy repository of ``accounts`` social accounts under ``root``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "socialgov.yaml").write_text(
        "organisation: Internationale Gesellschaft für Öffentliche Kommunikation und "
        "Kundendialog (IGÖKK) - Gruppe\nstrategy:\n"
        "  - {id: trust, statement: Be trusted in every market}\n"
        "  - {id: service-first, statement: Answer every customer where they are}\n",
        encoding="utf-8",
    )
    # the unit hierarchy: divisions, their departments, the departments' offices
    teams: list[dict[str, object]] = []
    leaves: list[tuple[str, int]] = []  # (team id, division index)
    for d, division in enumerate(DIVISIONS):
        division_id = slug(division)
        teams.append({"id": division_id, "name": division, "function": FUNCTIONS[d % 9]})
        for department in rng.sample(DEPARTMENT, rng.randint(2, 6)):
            department_id = slug(f"{division_id[:30]}-{department}")
            teams.append(
                {
                    "id": department_id,
                    "name": f"{department} \u2013 {division}",
                    "function": rng.choice(FUNCTIONS),
                    "parent": division_id,
                }
            )
            leaves.append((department_id, d))
            for office in rng.sample(OFFICE, rng.randint(0, 5)):
                office_id = slug(f"{department_id[:40]}-{office}") + f"-{rng.randrange(1000)}"
                teams.append(
                    {
                        "id": office_id,
                        "name": f"{department}, {office} office",
                        "function": rng.choice(FUNCTIONS),
                        "parent": department_id,
                    }
                )
                leaves.append((office_id, d))
    people: list[dict[str, object]] = []
    for i in range(max(40, accounts // 6)):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if i % 37 == 0:
            name = f"{name} {rng.choice(LAST)} {rng.choice(LAST)}"
        person: dict[str, object] = {
            "id": f"{slug(name, 40)}-{i}",
            "name": name,
            "employment": rng.choice(("full_time",) * 6 + ("part_time", "contractor", "agency")),
            "team": rng.choice(leaves)[0],
        }
        if rng.random() < 0.06:
            person["status"] = "departed"
            person["departed_on"] = f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        people.append(person)
    for team in teams:
        if rng.random() < 0.9:
            team["lead"] = rng.choice(people)["id"]
    policies = [
        {
            "id": slug(title),
            "title": title,
            "version": rng.randint(1, 4),
            "owner": rng.choice(people)["id"],
            "applies_to": {"kind": "Account", "where": {"purpose": purposes}},
            "terms": {"response_time_hours": rng.choice((1, 4, 24))},
        }
        for title, purposes in (
            ("Social media code of conduct for every employee and agency", list(PURPOSES)),
            ("Customer service response times and escalation (all regions)", ["service"]),
            ("Sales enquiries on social", ["sales"]),
            ("Press and public statements", ["pr"]),
            ("Recruitment advertising and employer brand", ["recruiting"]),
        )
    ]
    for policy in policies[1:]:
        policy["consistent_terms"] = ["service_hours"]
    playbooks = [
        {
            "id": "crisis-and-account-compromise",
            "title": "Crisis, outage and account compromise",
            "applies_to": {"kind": "Account", "where": {"purpose": ["service", "pr", "marketing"]}},
            "handoffs": [
                {
                    "scenario": "crisis",
                    "trigger": "A post about us trends",
                    "from": teams[1]["id"],
                    "to": teams[0]["id"],
                    "before": "Acknowledge",
                    "expect": "Statement within an hour",
                }
            ],
            "end": "Statement published and questions answered",
            "follow_up": {"communicate_to": ["executive"], "lessons_learned": True},
        }
    ]
    objectives = [
        {
            "id": f"objective-{i}",
            "statement": rng.choice(
                ("Grow qualified leads", "Answer within the hour", "Be the employer of choice")
            ),
            "strategy": rng.choice(("trust", "service-first")),
            "kpis": [{"name": "share", "target": "10%"}],
        }
        for i in range(8)
    ]
    # how well each division keeps its accounts: one is in good order, others less so
    care = [rng.choice((0.97, 0.9, 0.75, 0.5, 0.2)) for _ in DIVISIONS]
    by_team: dict[str, list[str]] = {}
    for i in range(accounts):
        team, division = rng.choice(leaves)
        good = care[division]
        platform = rng.choice(list(PLATFORMS))
        handle = rng.choice(
            (
                f"igokk{i}",
                f"{slug(str(rng.choice(OFFICE)), 12).replace('-', '')}{i}",
                f"igokk-customer-care-{i}",
            )
        )
        if platform == "x":
            handle = re.sub(r"[^a-z0-9]", "", handle)[:10] + str(i)
        url = PLATFORMS[platform].format(h=handle)
        account: dict[str, object] = {
            "id": slug(url, 120) if rng.random() < 0.5 else f"{platform}-{handle}",
            "platform": platform,
            "handle": handle,
            "url": url,
            "team": team,
            "purpose": rng.choice(PURPOSES),
            "status": rng.choice(("active",) * 12 + ("dormant", "planned", "retired")),
            "last_activity": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        }
        naming = rng.random()
        if naming < 0.5:
            account["name"] = f"IGÖKK {rng.choice(OFFICE)} on {platform}"
        elif naming < 0.6:
            account["name"] = (
                f"The official account of {rng.choice(DEPARTMENT)}, {rng.choice(DIVISIONS)}, "
                f"{rng.choice(OFFICE)} office - questions answered Monday to Friday"
            )
        elif naming < 0.7:
            account["name"] = handle
        if rng.random() < good:
            account["owner"] = rng.choice(people)["id"]
        if rng.random() < good:
            account["backup_owner"] = rng.choice(people)["id"]
        if rng.random() < good:
            account["policies"] = [p["id"] for p in policies if rng.random() < 0.6]
        if rng.random() < good:
            account["monitoring"] = rng.sample(TOOLS, rng.randint(1, 2))
        if rng.random() < good:
            account["objectives"] = [rng.choice(objectives)["id"]]
        if rng.random() < good:
            account["security"] = {"mfa": rng.random() < 0.9, "credential_custodian": "vault"}
        if rng.random() < 0.3:
            account["terms"] = {
                "response_time_hours": rng.choice((1, 4, 24, 48)),
                "service_hours": rng.choice(("Mon-Fri 08:00-20:00", "24/7", "Mo-Fr 9-17 Uhr")),
            }
        by_team.setdefault(team, []).append(_entry(account))
    for folder, key, items in (
        ("people", "people", people),
        ("teams", "teams", teams),
        ("policies", "policies", policies),
        ("playbooks", "playbooks", playbooks),
        ("objectives", "objectives", objectives),
    ):
        (root / folder).mkdir(exist_ok=True)
        text = f"{key}:\n" + "\n".join(_entry(item) for item in items) + "\n"
        (root / folder / f"{folder}.yaml").write_text(text, encoding="utf-8")
    (root / "accounts").mkdir(exist_ok=True)
    for team, entries in by_team.items():
        text = "accounts:\n" + "\n".join(entries) + "\n"
        (root / "accounts" / f"{team}.yaml").write_text(text, encoding="utf-8")
    return root
