"""The pipeline: ``lint(config, paths)`` loads, validates, models, runs the rules and filters, and
gives the same findings whichever way it gets there (cold, from the caches, for some paths)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ACME, AS_OF, MakeRepo, lint_and_model, run_lint
from socialgov.config import CACHE_DIR, load_config
from socialgov.pipeline import available_rules, lint, repository_files
from socialgov.report.result import LintResult

PEOPLE = "people:\n  - {id: ann, employment: full_time}\n  - {id: bob, employment: intern}\n"


def summary(result: LintResult) -> list[tuple[str, str, int, int, str]]:
    return [(f.code, f.path, f.line, f.column, f.message) for f in result.findings]


def test_a_broken_file_is_a_finding_and_every_other_file_is_still_checked(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "broken.yaml": "accounts:\n  - id: [unclosed\n",
            "accounts.yaml": "accounts:\n  - {id: x, platform: x, owner: ghost}\n",
        },
        "organisation: Test\nselect: [SG1]\n",
    )
    result = run_lint(root)
    assert [(f.code, f.path) for f in result.findings] == [
        ("SG104", "accounts.yaml"),
        ("SG100", "broken.yaml"),
    ]
    assert result.files == 3 and result.entities == 3
    assert result.exit_code == 1


def test_only_included_files_not_excluded_or_hidden_are_read(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "ci/pipeline.yaml": "stages: [lint]\n",
            ".hidden/secret.yaml": "not: a document\n",
            "notes.txt": "accounts: nothing here\n",
            "more/people.yml": "people:\n  - {id: cy, employment: full_time}\n",
        },
        "organisation: Test\nexclude: ['ci/**']\n",
    )
    config = load_config(root).with_overrides(as_of=AS_OF)
    assert repository_files(config) == ["more/people.yml", "people.yaml"]
    assert not [f for f in run_lint(root).findings if f.code == "SG105"]


def test_paths_report_what_the_given_files_touch(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "people.yaml": PEOPLE,
            "a.yaml": "kind: Account\nid: a\nplatform: x\nowner: ghost\n",
            "b.yaml": "kind: Account\nid: b\nplatform: x\nowner: nobody\n",
        },
        "organisation: Test\nselect: [SG104]\n",
    )
    config = load_config(root).with_overrides(as_of=AS_OF)
    everything = lint(config)
    assert [f.path for f in everything.findings] == ["a.yaml", "b.yaml"]
    only_b = lint(config, [str(root / "b.yaml")])
    assert [f.path for f in only_b.findings] == ["b.yaml"]


@pytest.mark.parametrize("some_paths", [False, True], ids=["whole", "paths"])
def test_the_cached_path_gives_the_findings_of_the_cold_one(
    tmp_path: Path, some_paths: bool
) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    config = load_config(root).with_overrides(as_of=AS_OF)
    absolute = [str(root / "playbooks" / "store-events.yaml")] if some_paths else None
    cold = lint(config, absolute)
    assert cold.findings
    first = lint(config, absolute, cache=True, reuse=True)  # fills the caches
    warm = lint(config, absolute, cache=True, reuse=True)  # every input unchanged
    assert summary(first) == summary(cold) == summary(warm)
    assert [f.fingerprint for f in warm.findings] == [f.fingerprint for f in cold.findings]
    assert (warm.files, warm.entities) == (cold.files, cold.entities)


def test_the_repository_own_rules_are_available_beside_the_built_in_ones(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            "rules.yaml": """\
                kind: Rule
                id: every-account-has-a-topic
                code: ACME001
                severity: warning
                description: Every account names its topic
                select: {kind: Account}
                assert: {field: topic, present: true}
                message: "{kind} {id} has no topic"
                """,
            "people.yaml": PEOPLE,
            "accounts.yaml": "accounts:\n  - {id: x, platform: x, owner: ann}\n",
        },
        "organisation: Test\nselect: [ACME]\n",
    )
    result, model = lint_and_model(root)
    assert [(f.code, f.message) for f in result.findings] == [("ACME001", "Account x has no topic")]
    assert "ACME001" in {r.code for r in available_rules(model)}
    assert "ACME001" not in {r.code for r in available_rules()}


def test_a_lint_lets_go_of_what_its_result_does_not_read_and_the_audits_keeps_it(
    make_repo: MakeRepo,
) -> None:
    """Without the cache, a lint (nothing asks its evaluation for anything after its result)
    lets go of each finding's field path once the result is made, and of its files'
    positions once its rules' findings are placed; the audit's lint keeps both (it reads each
    channel's line and the findings with the model). The findings are the same."""
    from socialgov.pipeline import _run

    root = make_repo(
        {"people.yaml": PEOPLE, "accounts.yaml": "accounts:\n  - {id: x, owner: bob}\n"}
    )
    config = load_config(root)
    released, evaluation = _run(
        config, None, None, None, cache=False, reuse=False, jobs=1, release=True
    )
    assert evaluation is not None and evaluation.found == []
    accounts = evaluation.repo.model.find("Account", "x")
    assert accounts is not None
    assert accounts.source.document.source_map._file._nodes is None  # type: ignore[attr-defined]
    kept, evaluation = _run(config, None, None, None, cache=False, reuse=False, jobs=1)
    assert evaluation is not None and len(evaluation.found) == len(kept.findings) > 0
    accounts = evaluation.repo.model.find("Account", "x")
    assert accounts is not None
    assert accounts.source.document.source_map._file._nodes is not None  # type: ignore[attr-defined]
    assert released.findings == kept.findings
