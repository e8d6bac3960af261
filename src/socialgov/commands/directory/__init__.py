"""``socialgov directory -o DIR``: the public directory of the organisation's official presences.

Generated from the register, so it is never out of date: ``index.html`` (every team's accounts,
then the closed ones), one page per team under ``teams/``, and ``accounts.json`` (valid against
the published schemas/directory.schema.json). Pages are self-contained (inline CSS and one
small inline script allowed by its hash in the Content Security Policy, nothing loaded), usable
without script (the filter appears only when the script runs), and escaped by Jinja2's
autoescape.

Only public fields leave the repository: platform, handle, url, name, team name, language,
verified and tags of each live Account, and for a retired one its ``retired_on``; the labels
that ``directory.public_labels`` in socialgov.yaml names. Never people, emails, access,
security, archive, other labels, waivers, terms or descriptions. Planned accounts are not
published. A profile link is a link only when it is an ``http``/``https`` URL; a closed
account's address is shown as text, since its handle may belong to someone else now.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from socialgov import __version__
from socialgov.config import Config
from socialgov.core.errors import SocialgovError
from socialgov.domain.platforms import canonical_url, label
from socialgov.model import Account, Model

TEMPLATES = Path(__file__).resolve().parent / "templates"
SCHEMA_ID = "https://socialgov.dev/schemas/directory.schema.json"
JSON_VERSION = 1
UNASSIGNED = "_no-team"
"""The anchor and page name of the accounts that name no team (team ids never start with _)."""

_AT_HANDLES = frozenset(
    {"x", "instagram", "threads", "tiktok", "youtube", "bluesky", "mastodon", "twitch"}
)
"""Platforms whose people write a handle with a leading @."""


def platform_label(platform: str | None) -> str:
    """How people write a platform's name (``x`` -> ``X``, ``youtube`` -> ``YouTube``)."""
    if not platform:
        return "Unknown"
    named = label(platform)
    return named if named != platform else platform.capitalize()


def safe_link(url: str | None) -> str | None:
    """``url`` when it may be a link in a public page: an http or https URL with a host and
    nothing that could end the attribute or smuggle a script (javascript:, data: and every other
    scheme are never links)."""
    if not url:
        return None
    text = url.strip()
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


@dataclass(frozen=True, slots=True)
class PublicLabel:
    """One public label of an Account: its key and its value, as the directory shows them."""

    key: str
    value: str


@dataclass(frozen=True, slots=True)
class PublicAccount:
    """What the directory says about one Account: public fields only."""

    id: str
    platform: str
    platform_label: str
    handle: str | None
    url: str | None
    name: str | None
    team: str | None
    team_name: str | None
    language: str | None
    verified: bool
    tags: tuple[str, ...]
    labels: tuple[PublicLabel, ...]
    closed: bool
    retired_on: str | None

    @property
    def link(self) -> str | None:
        """The address to link to: never for a closed account."""
        return None if self.closed else safe_link(self.url)

    @property
    def display(self) -> str:
        """How the account is named in its row: the handle, else the address."""
        if self.handle:
            handle = self.handle.strip()
            at = "" if handle.startswith("@") or self.platform not in _AT_HANDLES else "@"
            return at + handle
        return self.url or self.id

    @property
    def search(self) -> str:
        """What the filter matches: platform, handle, address, name, team, language, tags."""
        parts = [
            self.platform,
            self.platform_label,
            self.handle or "",
            self.url or "",
            self.name or "",
            self.team_name or "",
            self.language or "",
            *self.tags,
            *(f"{label.key} {label.value}" for label in self.labels),
            "closed" if self.closed else "",
        ]
        return " ".join(p for p in parts if p).lower()

    def as_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "platform": self.platform,
            "handle": self.handle,
            "url": safe_link(self.url),
            "name": self.name,
            "team": self.team_name,
            "language": self.language,
            "verified": self.verified,
            "tags": list(self.tags),
            "status": "closed" if self.closed else "official",
        }
        if self.closed:
            entry["retired_on"] = self.retired_on
        if self.labels:
            entry["labels"] = {label.key: label.value for label in self.labels}
        return entry


@dataclass(frozen=True, slots=True)
class TeamGroup:
    """A team's section of the directory: its id and title, its official Accounts and its
    closed ones."""

    id: str
    title: str
    accounts: tuple[PublicAccount, ...]
    closed: tuple[PublicAccount, ...]

    @property
    def anchor(self) -> str:
        return f"team-{self.id}"

    @property
    def page(self) -> str:
        return f"teams/{self.id}.html"


@dataclass(frozen=True)
class Directory:
    """The whole directory: the organisation, its teams' sections, the closed Accounts, when
    and from which commit (and whether a dirty tree) it was made, in which language."""

    organisation: str
    groups: tuple[TeamGroup, ...]
    closed: tuple[PublicAccount, ...]
    generated: dt.datetime
    commit: str | None
    dirty: bool
    language: str = "en"

    @property
    def official(self) -> tuple[PublicAccount, ...]:
        return tuple(a for g in self.groups for a in g.accounts)


def public_account(
    account: Account, team_name: str | None, public_labels: Sequence[str]
) -> PublicAccount:
    """The public view of ``account`` (see the module's documentation)."""
    platform = account.platform or "other"
    url = account.url
    if not url and account.handle:
        url = canonical_url(platform, account.handle)
    labels = tuple(
        PublicLabel(key, str(account.labels[key]))
        for key in public_labels
        if key in account.labels and account.labels[key] is not None
    )
    closed = account.status == "retired"
    return PublicAccount(
        id=account.id,
        platform=platform,
        platform_label=platform_label(platform),
        handle=account.handle,
        url=url,
        name=account.name,
        team=account.team,
        team_name=team_name,
        language=account.language,
        verified=account.verified is True,
        tags=tuple(account.tags),
        labels=labels,
        closed=closed,
        retired_on=account.retired_on.isoformat() if closed and account.retired_on else None,
    )


def build_directory(
    model: Model,
    organisation: str,
    public_labels: Sequence[str] = (),
    *,
    generated: dt.datetime,
    commit: str | None = None,
    dirty: bool = False,
) -> Directory:
    """The directory of ``model``: live Accounts grouped by team (by team name, the accounts
    of no team last), retired ones listed as closed; planned ones left out."""
    teams = {team.id: team for team in model.teams}
    by_team: dict[str, list[PublicAccount]] = {}
    closed_by_team: dict[str, list[PublicAccount]] = {}
    for account in model.accounts:
        if account.status == "planned":
            continue
        team = teams.get(account.team or "")
        team_name = (team.name or team.id) if team is not None else None
        entry = public_account(account, team_name, public_labels)
        key = team.id if team is not None else UNASSIGNED
        (closed_by_team if entry.closed else by_team).setdefault(key, []).append(entry)

    def order(entries: Iterable[PublicAccount]) -> tuple[PublicAccount, ...]:
        return tuple(
            sorted(
                entries,
                key=lambda a: (a.platform_label.lower(), (a.handle or a.url or "").lower(), a.id),
            )
        )

    def title(key: str) -> str:
        team = teams.get(key)
        return (team.name or team.id) if team is not None else "Accounts of no team"

    keys = sorted(
        set(by_team) | set(closed_by_team),
        key=lambda k: (k == UNASSIGNED, title(k).lower(), k),
    )
    groups = tuple(
        TeamGroup(k, title(k), order(by_team.get(k, ())), order(closed_by_team.get(k, ())))
        for k in keys
    )
    closed = order(a for g in groups for a in g.closed)
    return Directory(
        organisation=organisation or "Our organisation",
        groups=groups,
        closed=closed,
        generated=generated,
        commit=commit,
        dirty=dirty,
    )


# ----------------------------------------------------------------------------- provenance


def generation_time() -> dt.datetime:
    """Now, in UTC; ``SOURCE_DATE_EPOCH`` (reproducible builds) gives the time instead."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def git_commit(root: Path) -> tuple[str | None, bool]:
    """(the commit checked out at ``root``, whether files differ from it); (None, False)
    outside git."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args],
                cwd=root,
                capture_output=True,
                check=False,
                stdin=subprocess.DEVNULL,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None

    commit = git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if not commit:
        return None, False
    status = git("status", "--porcelain", "--untracked-files=no", "--", ".")
    return commit, bool(status)


# ----------------------------------------------------------------------------- rendering


def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _environment() -> Any:
    import jinja2

    from socialgov.audit.renderers.templating import visible

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=visible,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _counts(directory: Directory) -> str:
    official = len(directory.official)
    closed = len(directory.closed)
    teams = sum(1 for g in directory.groups if g.accounts)
    text = f"{official} official account{'s' if official != 1 else ''}"
    text += f" in {teams} team{'s' if teams != 1 else ''}" if teams else ""
    if closed:
        text += f"; {closed} closed account{'s' if closed != 1 else ''}"
    return text + "."


def render_pages(directory: Directory) -> dict[str, str]:
    """Every file of the directory by its path inside DIR: index.html, teams/ID.html,
    accounts.json."""
    from markupsafe import Markup

    environment = _environment()
    template = environment.get_template("page.html.j2")
    script = _asset("filter.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    generated = directory.generated.astimezone(dt.timezone.utc)
    commit_text = (
        f"commit {directory.commit[:12]}"
        + (" (with changes not yet committed)" if directory.dirty else "")
        if directory.commit
        else "files that are not in a git commit"
    )
    common: dict[str, Any] = {
        "lang": directory.language,
        "css": Markup(_asset("directory.css")),
        "script": Markup(script),
        "script_hash": Markup(f"sha256-{digest}"),
        "version": __version__,
        "organisation": directory.organisation,
        "generated_text": generated.strftime("on %Y-%m-%d at %H:%M UTC"),
        "commit_text": commit_text,
    }
    pages: dict[str, str] = {}
    with_accounts = [g for g in directory.groups if g.accounts]
    pages["index.html"] = template.render(
        common,
        title=f"Official social media accounts of {directory.organisation}",
        intro=(
            f"Every account on this page is run by {directory.organisation}. An account that "
            "claims to be us and is not listed here is not ours."
        ),
        nav=[{"href": f"#{g.anchor}", "label": g.title} for g in with_accounts]
        + ([{"href": "#closed", "label": "Closed accounts"}] if directory.closed else []),
        groups=[
            {
                "anchor": g.anchor,
                "title": g.title,
                "href": g.page,
                "caption": f"Official accounts of {g.title}",
                "accounts": g.accounts,
            }
            for g in with_accounts
        ],
        closed=directory.closed,
        show_team=True,
        counts=_counts(directory),
        json_href="accounts.json",
        back_href=None,
    )
    for g in directory.groups:
        pages[g.page] = template.render(
            common,
            title=f"{g.title}: official social media accounts of {directory.organisation}",
            intro=(
                f"The accounts that {g.title} runs for {directory.organisation}. An account "
                "that claims to be us and is not listed in our directory is not ours."
            ),
            nav=[{"href": "../index.html", "label": f"All accounts of {directory.organisation}"}],
            groups=[
                {
                    "anchor": g.anchor,
                    "title": g.title,
                    "href": None,
                    "caption": f"Official accounts of {g.title}",
                    "accounts": g.accounts,
                }
            ],
            closed=g.closed,
            show_team=False,
            counts=_counts(
                Directory(
                    directory.organisation,
                    (g,),
                    g.closed,
                    directory.generated,
                    directory.commit,
                    directory.dirty,
                )
            ),
            json_href="../accounts.json",
            back_href="../index.html",
        )
    pages["accounts.json"] = accounts_json(directory)
    return pages


def accounts_json(directory: Directory) -> str:
    """The directory as JSON, valid against schemas/directory.schema.json."""
    document = {
        "$schema": SCHEMA_ID,
        "version": JSON_VERSION,
        "organisation": directory.organisation,
        "generated": directory.generated.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": directory.commit,
        "accounts": [a.as_json() for g in directory.groups for a in g.accounts],
        "closed": [a.as_json() for a in directory.closed],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------------- writing


@dataclass
class Written:
    """What writing the directory did: the files it wrote and the ones it removed."""

    files: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_directory(out: Path, pages: Mapping[str, str]) -> Written:
    """Write the pages into ``out``: each file atomically, after all were rendered; team pages
    of an earlier run whose team is gone are removed. Nothing else in ``out`` is touched."""
    from socialgov.core.files import write_atomic

    if out.exists() and not out.is_dir():
        raise SocialgovError(f"-o {out}: exists and is not a folder; give a folder to write into")
    written = Written()
    try:
        (out / "teams").mkdir(parents=True, exist_ok=True)
        for relative, text in pages.items():
            write_atomic(out / relative, text)
            written.files.append(relative)
        for stale in sorted((out / "teams").glob("*.html")):
            relative = f"teams/{stale.name}"
            if relative not in pages:
                stale.unlink()
                written.removed.append(relative)
    except OSError as exc:
        raise SocialgovError(f"-o {out}: cannot write: {exc.strerror or exc}") from None
    return written


def make_directory(config: Config, out: Path) -> tuple[Directory, Written]:
    """The command: load the repository, build and write its directory."""
    from socialgov.pipeline import load_repository

    repository = load_repository(config)
    commit, dirty = git_commit(config.root)
    directory = build_directory(
        repository.model,
        config.organisation,
        config.public_labels,
        generated=generation_time(),
        commit=commit,
        dirty=dirty,
    )
    return directory, write_directory(out, render_pages(directory))
