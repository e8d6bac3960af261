"""Generate a realistic synthetic policy repository of N accounts, for benchmarks and smoke tests.

    python benchmarks/generate.py --accounts 100000 --out benchmarks/data/100k

Accounts are spread over files of about 100 entities, with people, teams, traditional channels,
policies, playbooks, objectives and forums, and a few percent of defects of every family
(ownership, focus, consistency, engagement, measurement, security, references, YAML syntax), so
that every rule has work to do. The output is deterministic for a given size and seed.
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

PLATFORMS = {
    "x": "https://x.com/{h}",
    "instagram": "https://www.instagram.com/{h}",
    "facebook": "https://www.facebook.com/{h}",
    "linkedin": "https://www.linkedin.com/company/{h}",
    "youtube": "https://www.youtube.com/@{h}",
    "tiktok": "https://www.tiktok.com/@{h}",
    "threads": "https://www.threads.net/@{h}",
    "bluesky": "https://bsky.app/profile/{h}",
}
PURPOSES = ("service", "sales", "marketing", "pr", "recruiting", "innovation")
FUNCTIONS = ("marketing", "service", "sales", "pr", "legal", "product", "hr", "it")
AS_OF = "2026-11-24"
PER_FILE = 100


# Rules as code over every account, so the benchmark measures the engine at scale: a group
# assertion across all service channels, a unique per platform (both hash, never pairwise), a
# count per team, and a per-entity assertion following a reference.
CUSTOM_RULES = """\
rules:
  - id: bench-same-service-hours
    code: BENCH001
    select:
      kind: [Account, Channel]
      where: {purpose: service, status: {not_in: [retired, planned]}}
    assert: {same: terms.service_hours}
  - id: bench-unique-handles
    code: BENCH002
    select: {kind: Account}
    group_by: platform
    assert: {unique: handle}
  - id: bench-accounts-per-team
    code: BENCH003
    select: {kind: Account, where: {status: active}}
    group_by: team
    assert: {count: {max: 100000}}
  - id: bench-full-time-owners
    code: BENCH004
    select: {kind: Account, where: {metrics.followers: {ge: 10000}}}
    assert: {field: owner, ref: Person, where: {employment: full_time}}
"""


def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Generator:
    def __init__(self, accounts: int, seed: int = 7, defect_rate: float = 0.03) -> None:
        self.n = accounts
        self.rng = random.Random(seed)
        self.defect_rate = defect_rate
        self.n_people = max(12, accounts // 8)
        self.n_teams = max(len(FUNCTIONS), accounts // 400)
        self.n_channels = max(5, accounts // 50)

    def defect(self) -> bool:
        return self.rng.random() < self.defect_rate

    def person_id(self, i: int) -> str:
        return f"person-{i:06d}"

    def team_id(self, i: int) -> str:
        return f"team-{i:04d}"

    def people(self) -> Iterator[str]:
        for i in range(self.n_people):
            departed = i % 97 == 5
            employment = "agency" if i % 53 == 7 else "full_time"
            lines = [
                f"  - id: {self.person_id(i)}",
                f"    name: {_q(f'Person {i}')}",
                f"    email: person{i}@example.com",
                f"    team: {self.team_id(i % self.n_teams)}",
                f"    employment: {employment}",
            ]
            if departed:
                lines += ["    status: departed", "    departed_on: 2026-03-01"]
            yield "\n".join(lines)

    def teams(self) -> Iterator[str]:
        for i in range(self.n_teams):
            function = FUNCTIONS[i % len(FUNCTIONS)]
            lead = "" if i % 41 == 3 else f"\n    lead: {self.person_id(i * 3 + 1)}"
            yield f"  - id: {self.team_id(i)}\n    name: Team {i}\n    function: {function}{lead}"

    def owner(self) -> int:
        # Skip the departed and agency people except when a defect is wanted.
        while True:
            i = self.rng.randrange(self.n_people)
            if i % 97 != 5 and i % 53 != 7:
                return i

    def account(self, i: int) -> str:
        rng = self.rng
        platform = list(PLATFORMS)[i % len(PLATFORMS)]
        handle = f"acme{i}"
        if platform == "bluesky":
            handle = f"acme{i}.example.com"
        if platform == "linkedin":
            handle = f"acme-{i}"
        url = PLATFORMS[platform].format(h=handle)
        forum = i % 20 == 0
        purpose = PURPOSES[i % len(PURPOSES)]
        owner = self.owner()
        backup = (owner + 1) % self.n_people
        if backup % 97 == 5 or backup % 53 == 7:
            backup = (backup + 2) % self.n_people
        team = i % self.n_teams
        lines = [f"  - id: acct-{i:07d}"]
        if forum:
            lines += [
                "    platform: forum",
                "    type: forum",
                f"    url: https://community.example.com/f/{i}",
                f"    audience: {'customers' if i % 40 == 0 else 'developers'}",
                f"    topic: topic-{(i // 20) % 50}",
            ]
        else:
            lines += [f"    platform: {platform}", f"    handle: {handle}", f"    url: {url}"]
        lines.append(f"    name: {_q(f'Acme account {i}')}")
        if self.defect():
            pass  # unowned (SG201)
        elif self.defect():
            lines.append(f"    owner: {self.person_id(5)}")  # departed owner (SG202)
        else:
            lines.append(f"    owner: {self.person_id(owner)}")
        if not self.defect():
            lines.append(f"    backup_owner: {self.person_id(backup)}")
        lines.append(f"    team: {self.team_id(team) if not self.defect() else 'team-typo'}")
        lines.append(f"    purpose: {purpose}")
        status = "retired" if i % 61 == 0 else "active"
        lines.append(f"    status: {status}")
        day = 30 + rng.randrange(120) if not self.defect() else 400
        lines.append(f"    last_activity: {_date_before(day)}")
        if not self.defect():
            policies = ["social-media", "service-sla" if not self.defect() else "service-sla@1"]
            lines.append(f"    policies: [{', '.join(policies)}]")
        lines.append("    playbooks: [escalation]")
        if not self.defect():
            lines.append(f"    objectives: [objective-{i % 10}]")
        if not self.defect():
            lines.append("    monitoring: [brandwatch]")
        hours = "Mon-Fri 08:00-20:00" if not self.defect() else "24/7"
        lines.append(f"    terms:\n      service_hours: {_q(hours)}")
        lines.append(
            "    metrics:\n"
            f"      followers: {rng.randrange(100, 100000)}\n"
            f"      posts_per_month: {rng.randrange(1, 60)}"
            + (f"\n      active_members_per_month: {rng.randrange(5, 400)}" if forum else "")
        )
        mfa = "true" if not self.defect() else "false"
        lines.append(f"    security:\n      mfa: {mfa}\n      credential_custodian: it-vault")
        return "\n".join(lines)

    def channels(self) -> Iterator[str]:
        types = ("phone", "email", "chat", "web", "store")
        for i in range(self.n_channels):
            kind = types[i % len(types)]
            owner = self.owner()
            hours = "Mon-Fri 08:00-20:00" if i % 29 else "Mon-Fri 09:00-17:00"
            yield (
                f"  - id: channel-{i:05d}\n    type: {kind}\n    contact: {_q(f'contact {i}')}\n"
                f"    owner: {self.person_id(owner)}\n"
                f"    backup_owner: {self.person_id((owner + 2) % self.n_people)}\n"
                f"    team: {self.team_id(i % self.n_teams)}\n    purpose: service\n"
                f"    policies: [service-sla]\n    playbooks: [escalation]\n"
                f"    terms:\n      service_hours: {_q(hours)}"
            )

    def fixed_files(self) -> dict[str, str]:
        pr_team = self.team_id(FUNCTIONS.index("pr"))
        service_team = self.team_id(FUNCTIONS.index("service"))
        legal_team = self.team_id(FUNCTIONS.index("legal"))
        sales_team = self.team_id(FUNCTIONS.index("sales"))
        objectives = "\n".join(
            f"  - id: objective-{i}\n    statement: Objective {i}\n    strategy: grow\n"
            f"    owner: {self.person_id(1)}\n"
            + ("    kpis:\n      - {name: reach, target: 1000}" if i != 9 else "    kpis: []")
            for i in range(10)
        )
        return {
            "socialgov.yaml": (
                "organisation: Synthetic Corp\nstrategy:\n  - id: grow\n    statement: Grow\n"
            ),
            "policies/policies.yaml": (
                "policies:\n"
                "  - id: social-media\n    title: Social media policy\n    version: 1\n"
                f"    owner: {self.person_id(1)}\n    review_by: 2027-06-30\n"
                "    applies_to: {kind: Account}\n"
                "  - id: service-sla\n    title: Service levels\n    version: 2\n"
                f"    owner: {self.person_id(2)}\n    review_by: 2026-01-31\n"
                "    consistent_terms: [service_hours]\n"
                "    applies_to: {kind: [Account, Channel], where: {purpose: service}}\n"
            ),
            "playbooks/escalation.yaml": (
                "kind: Playbook\nid: escalation\ntitle: Escalation\nhandoffs:\n"
                f"  - {{scenario: crisis, trigger: outrage, from: {service_team}, to: {pr_team},"
                " before: acknowledge, expect: statement}\n"
                f"  - {{scenario: legal, trigger: legal threat, from: {service_team}, "
                f"to: {legal_team}, before: acknowledge, expect: advice}}\n"
                f"  - {{scenario: sales_opportunity, trigger: purchase intent, "
                f"from: {service_team}, to: {sales_team}, expect: call back}}\n"
                "end: The customer confirms the issue is resolved\n"
                "follow_up: {communicate_to: [management], lessons_learned: true}\n"
            ),
            "objectives/objectives.yaml": "objectives:\n" + objectives + "\n",
            "broken/syntax.yaml": "accounts:\n  - id: broken\n   platform: x\n",
            "rules/custom.yaml": CUSTOM_RULES,
        }

    def write(self, out: Path) -> dict[str, int]:
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        for relpath, text in self.fixed_files().items():
            path = out / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        files = 0
        files += _write_chunks(out / "people", "people", list(self.people()))
        files += _write_chunks(out / "teams", "teams", list(self.teams()))
        files += _write_chunks(out / "channels", "channels", list(self.channels()))
        files += _write_chunks(
            out / "accounts", "accounts", (self.account(i) for i in range(self.n))
        )
        return {"files": files + len(self.fixed_files()) - 1, "accounts": self.n}


def _write_chunks(folder: Path, key: str, items: object) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    chunk: list[str] = []
    count = 0
    for item in items:  # type: ignore[attr-defined]
        chunk.append(item)
        if len(chunk) == PER_FILE:
            (folder / f"{key}-{count:05d}.yaml").write_text(f"{key}:\n" + "\n".join(chunk) + "\n")
            count += 1
            chunk = []
    if chunk:
        (folder / f"{key}-{count:05d}.yaml").write_text(f"{key}:\n" + "\n".join(chunk) + "\n")
        count += 1
    return count


def _date_before(days: int) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(AS_OF) - dt.timedelta(days=days)).isoformat()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    stats = Generator(args.accounts, args.seed).write(args.out)
    print(f"wrote {stats['accounts']:,} accounts in {stats['files']:,} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
