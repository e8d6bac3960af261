"""Parsing in worker processes gives exactly what parsing in one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialgov import fastyaml, parallel
from socialgov.cache import CACHE_DIR
from socialgov.loader import DEFAULT_LIMITS
from test_cache import findings, generated, repository  # noqa: F401 - the fixture is shared


@pytest.mark.parametrize("exact", [False, True], ids=["fast-parser", "exact-parser"])
def test_parallel_and_sequential_parsing_find_the_same(
    repository: Path,  # noqa: F811
    exact: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if exact:  # every file to the workers, not only those the fast parser declines
        monkeypatch.setenv(fastyaml.EXACT_ENV, "1")
    sequential = findings(repository, cache=False)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    assert findings(repository, cache=False) == sequential
    assert findings(repository, cache=True) == sequential  # parsed in workers, then cached
    assert any((repository / CACHE_DIR).rglob("*.pickle"))
    assert findings(repository, cache=True) == sequential  # from the cache


def test_small_repositories_start_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated(tmp_path / "repo", 200)

    def refuse(*args: object) -> None:
        raise AssertionError("a small repository must be parsed in this process")

    monkeypatch.setattr(parallel, "_parse_in_parallel", refuse)
    monkeypatch.setattr(parallel.Vouching, "start", classmethod(refuse))
    assert findings(root, cache=False)


def test_over_the_total_size_limit_files_are_parsed_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated(tmp_path / "repo", 200)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)

    def refuse(*args: object) -> None:
        raise AssertionError("over max_total_bytes the caller must stop before parsing it all")

    monkeypatch.setattr(parallel, "_parse_in_parallel", refuse)
    files = ["people/people-00000.yaml", "accounts/accounts-00000.yaml"]
    limits = {"max_total_bytes": 10, "max_file_bytes": 10**9}
    parsed = parallel.load_all(root, files, {**_defaults(), **limits})
    assert next(parsed).path == files[0]


def _defaults() -> dict[str, int]:
    from socialgov.loader import DEFAULT_LIMITS

    return dict(DEFAULT_LIMITS)


# ----------------------------------------------------------------------------- vouching


def test_the_vouching_child_changes_no_finding_and_spares_the_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tree with schema violations: what the child vouches for is not checked here, what it
    cannot vouch for (the violations) is, and the findings are the same as without it."""
    from socialgov import schema

    root = generated(tmp_path / "repo", 400)
    for folder, entry in (
        ("accounts", "  - {id: acct-broken, platform: 42, metrics: {followers: many}}\n"),
        ("people", "  - {id: person-broken, employment: sometimes}\n"),
    ):
        last = sorted((root / folder).glob("*.yaml"))[-1]
        last.write_text(last.read_text(encoding="utf-8") + entry, encoding="utf-8")
    checked: list[object] = []
    real_check = schema._check

    def counting(file_name: str, data: object) -> list[schema.SchemaError]:
        checked.append(data)
        return real_check(file_name, data)

    monkeypatch.setattr(schema, "_check", counting)
    without = findings(root, cache=False)
    checked_without = len(checked)
    assert any(f[0] == "SG101" for f in without)
    checked.clear()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    shares: list[list[str]] = []
    real_start = parallel.Vouching.start.__func__  # type: ignore[attr-defined]

    def start(cls: type, root: Path, relpaths: list[str], limits: dict[str, int]) -> object:
        shares.append(list(relpaths))
        return real_start(cls, root, relpaths, limits)

    monkeypatch.setattr(parallel.Vouching, "start", classmethod(start))
    assert findings(root, cache=False) == without
    broken = {f[1] for f in without if f[0] == "SG101"}
    assert len(broken) == 2 and broken <= set(shares[0])  # the violations are in its share
    assert len(checked) < 0.7 * checked_without


def _vouch_for_one(tmp_path: Path, text: str) -> tuple[parallel.Vouching, Path]:
    root = tmp_path / "repo"
    root.mkdir(parents=True)
    (root / "a.yaml").write_text(text, encoding="utf-8")
    vouching = parallel.Vouching.start(root, ["a.yaml"], dict(DEFAULT_LIMITS))
    assert vouching is not None
    return vouching, root


def test_a_file_read_otherwise_here_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child read one version; this process another: its verdict is not used."""
    from socialgov import schema
    from socialgov.loader import parse_text

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    first = "accounts:\n  - id: a\n    platform: x\n"
    second = "accounts:\n  - id: a\n    platform: x\n    handle: acme\n"
    for text, trusted in ((first, 1), (second, 0)):
        vouching, _ = _vouch_for_one(tmp_path / str(trusted), first)
        parsed = parse_text(text, "a.yaml")
        vouching.read("a.yaml", text.encode())
        assert vouching.trust([parsed]) == trusted
        account = parsed.documents[0].data["accounts"][0]
        assert (schema._known_valid.get(id(account)) is not None) is bool(trusted)
        schema.forget_valid()


def test_an_invalid_entity_is_never_vouched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialgov import schema
    from socialgov.loader import parse_text

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    text = "accounts:\n  - id: a\n    platform: 42\n  - id: b\n    platform: x\n"
    vouching, _ = _vouch_for_one(tmp_path, text)
    parsed = parse_text(text, "a.yaml")
    vouching.read("a.yaml", text.encode())
    assert vouching.trust([parsed]) == 1
    broken, fine = parsed.documents[0].data["accounts"]
    assert schema._known_valid.get(id(broken)) is None
    assert schema._known_valid.get(id(fine)) is not None
    schema.forget_valid()


def test_a_child_never_heard_from_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, time_limit: object
) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    vouching, _ = _vouch_for_one(tmp_path, "accounts:\n" + "  - {id: a, platform: x}\n" * 5000)
    with time_limit(10):  # type: ignore[operator]
        vouching.close()  # killed, then reaped: no hang on a full pipe


def test_a_file_outside_the_share_never_waits_for_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialgov.loader import parse_text

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    vouching, _ = _vouch_for_one(tmp_path, "accounts:\n  - {id: a, platform: x}\n")
    try:
        assert vouching.trust_file(parse_text("people: []\n", "b.yaml")) is False
        assert vouching._verdicts is None  # not received: nothing waited for
    finally:
        vouching.close()


def test_a_child_that_fails_changes_nothing_but_the_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated(tmp_path / "repo", 300)
    expected = findings(root, cache=False)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    trusted: list[bool] = []
    real_trust = parallel.Vouching.trust_file

    def recording(self: parallel.Vouching, parsed: object) -> bool:
        trusted.append(real_trust(self, parsed))  # type: ignore[arg-type]
        return trusted[-1]

    def broken(*args: object) -> object:
        raise RuntimeError("the child fails part way")

    monkeypatch.setattr(parallel.Vouching, "trust_file", recording)
    monkeypatch.setattr(parallel, "valid_entities", broken)  # forked: the child inherits it
    assert findings(root, cache=False) == expected
    assert trusted and not any(trusted)  # nothing vouched for: every check made here
