"""socialgov fix: the pure fixes, the engine that applies them, and the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AS_OF, MakeRepo, codes, found, run_lint
from socialgov.cli import main
from socialgov.config import load_config
from socialgov.writing import fix as fixmod
from socialgov.writing.fix import (
    Change,
    FixContext,
    fix_repository,
    handle_at,
    platform_alias,
    policy_version,
    url_canonical,
    url_missing,
)

CTX = FixContext({"service-sla": 3})

ACCOUNTS = """\
# Social accounts of the service team.
accounts:
  - id: acme-x          # the main one
    name: "Acme Support"
    platform: Twitter
    handle: '@AcmeSupport'
    url: http://twitter.com/acmesupport/
    policies:
      - service-sla@2   # pinned until the review
    labels: {cost-centre: "CC-1"}

  - {id: acme-ig, platform: IG, handle: acme.ig, owner: jdoe}
  - id: acme-yt
    platform: youtube
    handle: acmetv
    url: https://www.youtube.com/channel/UC1234567890123456789012
"""

FIXED = """\
# Social accounts of the service team.
accounts:
  - id: acme-x          # the main one
    name: "Acme Support"
    platform: x
    handle: 'AcmeSupport'
    url: https://x.com/AcmeSupport
    policies:
      - service-sla@2   # pinned until the review
    labels: {cost-centre: "CC-1"}

  - {id: acme-ig, platform: instagram, handle: acme.ig, url: https://www.instagram.com/acme.ig, owner: jdoe}
  - id: acme-yt
    platform: youtube
    handle: acmetv
    url: https://www.youtube.com/channel/UC1234567890123456789012
"""

POLICY = """\
kind: Policy
id: service-sla
version: 3
"""


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo({"accounts/social.yaml": ACCOUNTS, "policies/sla.yaml": POLICY})


def fix(root: Path, *args: str) -> int:
    return main(["fix", "--root", str(root), *args])


# ----------------------------------------------------------------------------- the fixes


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"platform": "Twitter"}, [Change(("platform",), "x", "platform 'Twitter' -> 'x'")]),
        (
            {"platform": "LinkedIn"},
            [Change(("platform",), "linkedin", "platform 'LinkedIn' -> 'linkedin'")],
        ),
        ({"platform": "x"}, []),
        ({"platform": "myspace"}, []),  # unknown: left for SG101 to explain
        ({"platform": 3}, []),
    ],
)
def test_platform_alias(data: dict[str, object], expected: list[Change]) -> None:
    assert list(platform_alias(data, CTX)) == expected


@pytest.mark.parametrize(
    ("handle", "expected"),
    [("@acme", "acme"), (" acme ", "acme"), ("@acme@mastodon.social", "acme@mastodon.social")],
)
def test_handle_at(handle: str, expected: str) -> None:
    assert [c.value for c in handle_at({"handle": handle}, CTX)] == [expected]


def test_handle_at_leaves_good_and_empty_handles() -> None:
    assert list(handle_at({"handle": "acme"}, CTX)) == []
    assert list(handle_at({"handle": "@"}, CTX)) == []
    assert list(handle_at({}, CTX)) == []


@pytest.mark.parametrize(
    ("platform", "handle", "url", "expected"),
    [
        ("x", "Acme", "http://twitter.com/acme/", "https://x.com/Acme"),
        ("instagram", "acme", "instagram.com/acme", "https://www.instagram.com/acme"),
        (
            "mastodon",
            "acme@Mastodon.Social",
            "https://mastodon.social/@acme/",
            "https://mastodon.social/@acme",
        ),
        ("x", "Acme", "https://x.com/Acme", None),  # already canonical
        ("x", "Acme", "https://x.com/someoneelse", None),  # a mismatch is for a person to judge
        ("youtube", "acmetv", "https://youtube.com/channel/UC1234567890123456789012", None),
        ("reddit", "acme", "http://reddit.com/r/acme", None),  # platform not checked
    ],
)
def test_url_canonical(platform: str, handle: str, url: str, expected: str | None) -> None:
    data = {"platform": platform, "handle": handle, "url": url}
    assert [c.value for c in url_canonical(data, CTX)] == ([expected] if expected else [])


def test_url_missing_fills_from_platform_and_valid_handle_only() -> None:
    assert [c.value for c in url_missing({"platform": "tiktok", "handle": "acme"}, CTX)] == [
        "https://www.tiktok.com/@acme"
    ]
    assert list(url_missing({"platform": "x", "handle": "not valid!"}, CTX)) == []
    assert list(url_missing({"platform": "discord", "handle": "acme"}, CTX)) == []
    assert list(url_missing({"platform": "x", "handle": "a", "url": "https://x.com/a"}, CTX)) == []


def test_policy_version_moves_only_older_pins() -> None:
    data = {"policies": ["service-sla@2", "service-sla@3", "privacy", "unknown@1", 7]}
    assert list(policy_version(data, CTX)) == [
        Change(
            ("policies", 0), "service-sla@3", "policy 'service-sla@2' -> 'service-sla@3' (current)"
        )
    ]


def test_every_fix_is_declared_with_the_finding_it_removes() -> None:
    assert [(f.name, f.code, f.unsafe) for f in fixmod.FIXES] == [
        ("platform-alias", "SG101", False),
        ("handle-url", "SG107", False),
        ("handle-at", "SG107", False),
        ("url-canonical", "SG107", False),
        ("url-missing", "SG107", False),
        ("policy-version", "SG404", True),
    ]


# ----------------------------------------------------------------------------- the engine


def test_fix_changes_only_what_it_fixes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert fix(repo) == 0
    assert (repo / "accounts/social.yaml").read_text(encoding="utf-8") == FIXED
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "accounts/social.yaml:5: SG101 platform 'Twitter' -> 'x'",
        "accounts/social.yaml:6: SG107 handle '@AcmeSupport' -> 'AcmeSupport'",
        "accounts/social.yaml:7: SG107 url 'http://twitter.com/acmesupport/' -> "
        "'https://x.com/AcmeSupport'",
        "accounts/social.yaml:12: SG101 platform 'IG' -> 'instagram'",
        "accounts/social.yaml:12: SG107 url added: https://www.instagram.com/acme.ig",
    ]
    assert err == "Applied 5 fixes in 1 file. 1 fix needs --unsafe (review them).\n"
    assert (repo / "policies/sla.yaml").read_text(encoding="utf-8") == POLICY


def test_a_second_run_changes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fix(repo, "--unsafe")
    after_first = (repo / "accounts/social.yaml").read_bytes()
    capsys.readouterr()
    assert fix(repo, "--unsafe") == 0
    assert (repo / "accounts/social.yaml").read_bytes() == after_first
    assert capsys.readouterr() == ("", "Nothing to fix.\n")


def test_unsafe_fixes_only_with_unsafe(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fix(repo)
    assert "service-sla@2" in (repo / "accounts/social.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert fix(repo, "--unsafe") == 0
    text = (repo / "accounts/social.yaml").read_text(encoding="utf-8")
    assert "      - service-sla@3   # pinned until the review\n" in text
    assert capsys.readouterr().out == (
        "accounts/social.yaml:9: SG404 policy 'service-sla@2' -> 'service-sla@3' (current)\n"
    )


def test_diff_shows_the_changes_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (repo / "accounts/social.yaml").read_bytes()
    assert fix(repo, "--diff") == 1  # like ruff --diff: 1 when something would change
    assert (repo / "accounts/social.yaml").read_bytes() == before
    out, err = capsys.readouterr()
    assert out.startswith("--- a/accounts/social.yaml\n+++ b/accounts/social.yaml\n@@ ")
    assert "\n-    platform: Twitter\n" in out and "\n+    platform: x\n" in out
    assert err == "Would apply 5 fixes in 1 file. 1 fix needs --unsafe (review them).\n"
    fix(repo)
    capsys.readouterr()
    assert fix(repo, "--diff") == 0
    assert capsys.readouterr() == (
        "",
        "Nothing to fix safely; 1 fix needs --unsafe (review them).\n",
    )


def test_fixed_findings_are_gone_from_lint(repo: Path) -> None:
    before = run_lint(repo)
    platform_findings = [
        f for f in before.findings if f.code == "SG101" and "platform" in f.message
    ]
    assert len(platform_findings) == 2
    fix(repo, "--unsafe")
    after = run_lint(repo)
    assert not {"SG101", "SG107", "SG404"} & set(codes(after))


def test_paths_limit_the_files_fixed(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "accounts/a.yaml": "kind: Account\nid: a\nplatform: Twitter\n",
            "other/b.yaml": "kind: Account\nid: b\nplatform: Twitter\n",
        }
    )
    config = load_config(root).with_overrides(as_of=AS_OF)
    result = fix_repository(config, [str(root / "accounts")])
    assert [a.path for a in result.applied] == ["accounts/a.yaml"]
    assert "Twitter" in (root / "other/b.yaml").read_text(encoding="utf-8")


def test_merged_values_are_not_fixed_where_they_are_merged(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "x-defaults: &d\n  platform: Twitter\naccounts:\n  - id: a\n    <<: *d\n    handle: acme\n"
    )
    root = make_repo({"accounts/a.yaml": text})
    assert fix(root) == 1
    err = capsys.readouterr().err
    assert "accounts/a.yaml:4:1: 'platform' comes from a merge key (<<)" in err


def test_broken_files_are_reported_and_others_still_fixed(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {
            "a.yaml": "kind: Account\nid: a\nplatform: Twitter\n",
            "b.yaml": "kind: Account\nid: b\nplatform: [unclosed\n",
        }
    )
    assert fix(root) == 1
    err = capsys.readouterr().err
    assert "b.yaml:4:1: not fixed: invalid YAML: while parsing a flow sequence" in err
    assert "platform: x" in (root / "a.yaml").read_text(encoding="utf-8")


def test_a_file_edited_meanwhile_is_not_overwritten(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo / "accounts/social.yaml"
    real = fixmod._fix_file

    def someone_saves_meanwhile(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(ACCOUNTS + "# an edit made in an editor\n", encoding="utf-8")

    monkeypatch.setattr(fixmod, "_fix_file", someone_saves_meanwhile)
    assert fix(repo) == 1
    assert path.read_text(encoding="utf-8").endswith("# an edit made in an editor\n")
    out, err = capsys.readouterr()
    assert out == ""
    assert "accounts/social.yaml:1:1: changed on disk while socialgov was fixing it" in err
    assert sorted(p.name for p in path.parent.iterdir()) == ["social.yaml"]


def test_a_profile_url_in_the_handle_moves_to_url(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {
            "accounts/a.yaml": """\
            accounts:
              # pasted from the browser
              - id: shop-ig
                platform: instagram
                handle: https://www.instagram.com/acme.shop/
              - id: tv
                platform: youtube
                handle: youtube.com/user/AcmeTV
                url: https://www.youtube.com/user/AcmeTV
              - id: two-addresses
                platform: x
                handle: https://x.com/acme
                url: https://x.com/acme_help
              - id: wrong-platform
                platform: facebook
                handle: https://x.com/acme
            """
        }
    )
    assert [f.entity.id for f in found(run_lint(root), "SG107") if f.entity] == [
        "shop-ig",
        "tv",
        "two-addresses",
        "wrong-platform",
    ]
    assert fix(root) == 0
    text = (root / "accounts/a.yaml").read_text(encoding="utf-8")
    assert "# pasted from the browser" in text
    data = accounts_of(root / "accounts/a.yaml")
    assert data[0] == {
        "id": "shop-ig",
        "platform": "instagram",
        "handle": "acme.shop",
        "url": "https://www.instagram.com/acme.shop",
    }
    assert (data[1]["handle"], data[1]["url"]) == ("AcmeTV", "https://www.youtube.com/user/AcmeTV")
    # two different addresses, or another platform's: a person decides
    assert data[2]["handle"] == "https://x.com/acme"
    assert data[3]["handle"] == "https://x.com/acme"
    assert [f.entity.id for f in found(run_lint(root), "SG107") if f.entity] == [
        "two-addresses",
        "wrong-platform",
    ]


def accounts_of(path: Path) -> list[dict[str, object]]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))["accounts"]


def test_values_the_editor_cannot_read_skip_their_file_with_its_line(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Valid YAML whose value ruamel.yaml cannot construct (a day that does not exist, an
    integer longer than Python converts) is a skipped file at that value, never an internal
    error; the other files are still fixed."""
    digits = "9" * 5000
    root = make_repo(
        {
            "a.yaml": "kind: Account\nid: a\nplatform: Twitter\n",
            "b.yaml": "kind: Account\nid: b\nplatform: Twitter\ncreated: 2026-02-30\n",
            "c.yaml": f"kind: Account\nid: c\nplatform: Twitter\nmetrics: {{followers: {digits}}}\n",
        }
    )
    assert fix(root) == 1
    err = capsys.readouterr().err
    assert (
        "b.yaml:4:10: not fixed: cannot edit the file: the value '2026-02-30' cannot be read "
        "(day is out of range for month); correct or quote it and run again" in err
    )
    assert (
        "c.yaml:4:22: not fixed: cannot edit the file: the value '9999999999999999999999999"
        "999999999999...' cannot be read (a number of 5,000 digits, more than the 4,300 Python "
        "reads); correct or quote it and run again" in err
    )
    assert "internal error" not in err
    assert "platform: x" in (root / "a.yaml").read_text(encoding="utf-8")
    assert "platform: Twitter" in (root / "b.yaml").read_text(encoding="utf-8")


def test_a_key_tagged_as_text_is_fixed_and_keeps_its_tag(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(
        {"a.yaml": "accounts:\n  - !!str id: a\n    platform: Twitter\n    handle: ab\n"}
    )
    assert fix(root) == 0
    assert (root / "a.yaml").read_text(encoding="utf-8") == (
        "accounts:\n  - !!str id: a\n    platform: x\n    handle: ab\n    url: https://x.com/ab\n"
    )


def test_a_change_the_editor_cannot_write_back_skips_only_its_file(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edit ruamel.yaml would write as other data (here a value that reads back unequal,
    NaN) leaves its file as it was and is reported there; the other files are still fixed."""
    root = make_repo(
        {
            "a.yaml": "kind: Account\nid: a\nplatform: Twitter\n",
            "b.yaml": "kind: Account\nid: b\nplatform: Twitter\n",
        }
    )
    real = fixmod._fix_file

    def an_unwritable_edit(opened, relpath, *args: object) -> None:  # type: ignore[no-untyped-def]
        real(opened, relpath, *args)
        if relpath == "b.yaml":
            opened.documents[0]["score"] = float("nan")

    monkeypatch.setattr(fixmod, "_fix_file", an_unwritable_edit)
    assert fix(root) == 1
    out, err = capsys.readouterr()
    assert (
        "b.yaml:1:1: not fixed: the change cannot be written without altering other data of "
        "this file; it was left as it is: make the change by hand" in err
    )
    assert "platform: x" in (root / "a.yaml").read_text(encoding="utf-8")
    assert (root / "b.yaml").read_text(
        encoding="utf-8"
    ) == "kind: Account\nid: b\nplatform: Twitter\n"
    assert "1 more could not be written" in out + err


def test_a_change_that_would_drop_an_anchor_leaves_the_file_as_written(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """ruamel.yaml writes an edited flow mapping again without the anchor written on it: the
    same data, but not what the person wrote. The file is left as it is and reported; an
    anchor the edit keeps (on its own line) does not stop the fix."""
    flow = "accounts:\n  - &m {id: a1, platform: Twitter, handle: ab}\n"
    block = "accounts:\n  - &n\n    id: a2\n    platform: Twitter\n    handle: cd\n"
    root = make_repo({"a.yaml": flow, "b.yaml": block})
    assert fix(root) == 1
    err = capsys.readouterr().err
    assert (
        "a.yaml:1:1: not fixed: the change cannot be written without dropping an anchor (&name) "
        "or a tag (!!type), or moving a comment, written in this file; it was left as it is: "
        "make the change by hand" in err
    )
    assert (root / "a.yaml").read_text(encoding="utf-8") == flow
    assert (root / "b.yaml").read_text(encoding="utf-8") == (
        "accounts:\n  - &n\n    id: a2\n    platform: x\n    handle: cd\n    url: https://x.com/cd\n"
    )


def test_a_change_that_would_move_a_comment_to_another_item_is_not_written(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A comment on a list item's dash line would be written at the end of the item before
    it (where it reads as that item's): the file is left as it is and reported."""
    text = (
        "accounts:\n  - id: cm1\n    platform: x\n    handle: cm1\n"
        "  - # a comment about cm2\n    id: cm2\n    platform: x\n    handle: cm2\n"
    )
    root = make_repo({"a.yaml": text})
    assert fix(root) == 1
    assert "a.yaml:1:1: not fixed: the change cannot be written without" in capsys.readouterr().err
    assert (root / "a.yaml").read_text(encoding="utf-8") == text
