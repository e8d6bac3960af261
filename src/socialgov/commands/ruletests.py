"""``socialgov test``: run every Rule's ``tests`` and report like a test runner (SPEC 4.3).

Each test's entities form a model of their own, built by the same code as a repository's
(schemas and defaults apply), and the rule runs on it alone: ``expect: pass`` means it finds
nothing, ``expect: fail`` that it finds at least one problem. A test whose entities break their
schemas, or a Rule that cannot compile, is an error: counted as failed, with the reason.

The text report ends with the line ``N passed, N failed``; the exit code is 1 when anything
failed, else 0 (also with no tests at all, as ``conftest verify`` does: a repository without
rule tests is not broken; the report says "no rule tests found").
"""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from socialgov import __version__
from socialgov.config import Config
from socialgov.core.escape import one_line, terminal_safe, xml_no_commands, xml_safe
from socialgov.core.findings import Finding
from socialgov.model import Entity, Model, build_model
from socialgov.rules.base import RuleContext
from socialgov.rules.custom import CompiledRule, RuleProblems, compile_rule
from socialgov.source.loader import Document

PASSED, FAILED, ERROR = "passed", "failed", "error"
# Problems in a test's own entities that make the test meaningless. Unknown references (SG104)
# are normal: a test holds only the entities it needs.
_INVALID_TEST_DATA = {"SG101", "SG103", "SG105"}


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One test case's outcome; ``detail`` says why it failed, in plain words."""

    rule: str
    code: str
    name: str
    path: str
    line: int
    column: int
    outcome: str
    detail: str = ""
    seconds: float = 0.0

    @property
    def node_id(self) -> str:
        return f"{self.path}::{self.rule}::{self.name}"

    @property
    def shown_id(self) -> str:
        """:attr:`node_id` on one line, safe to print: every part comes from the repository."""
        return one_line(self.node_id)


@dataclass(frozen=True)
class TestReport:
    """The outcome of every test case of a run, the date the rules were tested as of, and how
    long it took."""

    __test__ = False  # not a pytest class

    cases: tuple[CaseResult, ...]
    as_of: dt.date
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(1 for c in self.cases if c.outcome == PASSED)

    @property
    def failed(self) -> int:
        return len(self.cases) - self.passed

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def run_tests(config: Config) -> TestReport:
    """Load the repository under ``config.root`` and run its Rules' tests."""
    from socialgov.pipeline import load_repository

    repo = load_repository(config)
    report = run_rule_tests(repo.model, repo.findings, config)
    if not config.packs:
        return report
    from socialgov.rules.packs import pack_rules

    started = time.perf_counter()
    packs = pack_rules(config.packs)
    ctx = RuleContext(as_of=config.as_of, options=config.options)
    cases = [
        case for rule in packs.entities for case in _rule_cases(rule, packs.model, (), config, ctx)
    ]
    return TestReport(
        (*cases, *report.cases), config.as_of, report.seconds + time.perf_counter() - started
    )


def run_rule_tests(model: Model, load_findings: Sequence[Finding], config: Config) -> TestReport:
    """Run the tests of every Rule in ``model``; ``load_findings`` tells which Rules are broken."""
    started = time.perf_counter()
    ctx = RuleContext(as_of=config.as_of, options=config.options)
    # A file that does not parse may hold Rules whose tests would silently vanish.
    cases = [
        CaseResult(
            "(file)",
            f.code,
            "yaml-syntax",
            f.path,
            f.line,
            f.column,
            ERROR,
            f"the file cannot be read, so its Rules and their tests cannot run: {f.message}",
        )
        for f in load_findings
        if f.code == "SG100"
    ]
    for rule in model.rules:
        cases.extend(_rule_cases(rule, model, load_findings, config, ctx))
    return TestReport(tuple(cases), config.as_of, time.perf_counter() - started)


def run_builtin_tests(config: Config) -> TestReport:
    """Run the tests of the built-in rules written in YAML (the project's own rules/ folder)."""
    from socialgov.rules.custom import yaml_compiled_rules

    started = time.perf_counter()
    ctx = RuleContext(as_of=config.as_of, options=config.options)
    cases = [
        _run_case(rule, index, test, config.strategy, ctx)
        for rule in yaml_compiled_rules(where_written=True)
        for index, test in enumerate(rule.data.get("tests") or [])
        if isinstance(test, Mapping)
    ]
    return TestReport(tuple(cases), config.as_of, time.perf_counter() - started)


def _rule_cases(
    rule: Entity,
    model: Model,
    load_findings: Sequence[Finding],
    config: Config,
    ctx: RuleContext,
) -> list[CaseResult]:
    tests = rule.data.get("tests")
    tests = tests if isinstance(tests, list) else []
    code = str(rule.data.get("code") or "")
    broken = [
        f"{f.path}:{f.line}:{f.column}: {f.message}"
        for f in load_findings
        if f.entity == rule.ref and f.code == "SG101"
    ]
    compiled: CompiledRule | None = None
    if not broken:
        try:
            compiled = compile_rule(rule.data, rule)
        except RuleProblems as exc:
            for problem in exc.problems:
                pos = rule.locate(problem.path, key=True)
                broken.append(
                    f"{one_line(rule.path)}:{pos.line}:{pos.column}: {one_line(problem.message)}"
                )
    if compiled is None:
        if not broken and not tests:
            return []
        pos = rule.locate()
        detail = "the rule is malformed, so its tests cannot run:\n" + "\n".join(broken)
        return [CaseResult(rule.id, code, "(rule)", rule.path, pos.line, pos.column, ERROR, detail)]
    results = []
    for index, test in enumerate(tests):
        if isinstance(test, Mapping):
            results.append(_run_case(compiled, index, test, model.strategy, ctx))
    return results


def _run_case(
    compiled: CompiledRule,
    index: int,
    test: Mapping[str, Any],
    strategy: Mapping[str, str],
    ctx: RuleContext,
) -> CaseResult:
    started = time.perf_counter()
    name = str(test.get("name") or f"test {index + 1}")
    at = ("tests", index)
    document = compiled.document
    assert document is not None, "a rule to test knows where it is written"
    pos = document.locate((*compiled.base, *at, "name"))

    def result(outcome: str, detail: str = "") -> CaseResult:
        seconds = time.perf_counter() - started
        return CaseResult(
            compiled.id,
            compiled.code,
            name,
            document.path,
            pos.line,
            pos.column,
            outcome,
            detail,
            seconds,
        )

    documents = [
        _sub_document(document, (*compiled.base, *at, "entities", i), i)
        for i, item in enumerate(test.get("entities") or [])
        if isinstance(item, Mapping)
    ]
    test_model, problems = build_model(documents, strategy)
    invalid = [f for f in problems if f.code in _INVALID_TEST_DATA]
    if invalid:
        lines = [
            f"{one_line(f.path)}:{f.line}:{f.column}: {f.code} {one_line(f.message)}"
            for f in invalid
        ]
        return result(ERROR, "the test's entities are invalid:\n" + "\n".join(lines))
    violations = list(compiled.violations(test_model, ctx))
    expect = test.get("expect")
    if expect == "pass" and violations:
        shown = [
            f"  {v.entity.kind} {one_line(v.entity.id)}: {one_line(v.message)}"
            if v.entity
            else f"  {one_line(v.message)}"
            for v in violations[:10]
        ]
        more = [f"  ... and {len(violations) - 10} more"] if len(violations) > 10 else []
        return result(
            FAILED,
            f"expected pass, but the rule found {len(violations)} problem(s):\n"
            + "\n".join(shown + more),
        )
    if expect == "fail" and not violations:
        return result(FAILED, "expected fail, but the rule found nothing")
    return result(PASSED)


def _sub_document(document: Document, prefix: tuple[str | int, ...], index: int) -> Document:
    """The entity at ``prefix`` inside ``document`` as a document of its own, with positions
    that still point into the Rule's file."""
    data: Any = document.data
    for part in prefix:
        data = data[part]
    return Document(document.path, index, data, document.source_map.subtree(prefix))


# ----------------------------------------------------------------------------- reports


def summary_line(report: TestReport) -> str:
    return f"{report.passed} passed, {report.failed} failed"


def render_text(report: TestReport, *, quiet: bool = False) -> str:
    """A pytest-like report whose last line is ``N passed, N failed``."""
    lines: list[str] = []
    rules = len({(c.path, c.rule) for c in report.cases})
    if not quiet:
        lines.append(
            f"socialgov test: {len(report.cases)} test(s) in {rules} rule(s), "
            f"as of {report.as_of.isoformat()}"
        )
        if not report.cases:
            lines.append(
                "no rule tests found: add 'tests' to your Rules (see docs/rules-as-code.md)"
            )
        lines.append("")
        for case in report.cases:
            lines.append(f"{case.shown_id} {case.outcome.upper()}")
    failures = [c for c in report.cases if c.outcome != PASSED]
    if failures:
        if lines:
            lines.append("")
        lines.append(" FAILURES ".center(72, "="))
        for case in failures:
            lines.append(f" {case.shown_id} ".center(72, "_"))
            lines.append(f"{one_line(case.path)}:{case.line}:{case.column}: {case.detail}")
            lines.append("")
        lines.append(" short test summary ".center(72, "="))
        for case in failures:
            lines.append(f"{case.outcome.upper()} {case.shown_id}")
    lines.append(summary_line(report))
    return terminal_safe("\n".join(lines) + "\n")  # names and messages quote the repository


def _xml(text: str) -> str:
    """Text XML 1.0 holds (ElementTree escapes the rest): see reporters.base.xml_safe."""
    return xml_safe(text)


def render_junit(report: TestReport) -> str:
    """JUnit XML, valid against the strict Ant schema: one testsuite per Rule."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    try:
        host = socket.gethostname().strip() or "localhost"
    except OSError:
        host = "localhost"
    root = Element("testsuites")
    suites: dict[tuple[str, str], list[CaseResult]] = {}
    for case in report.cases:
        suites.setdefault((case.path, case.rule), []).append(case)
    for index, ((path, rule), cases) in enumerate(suites.items()):
        failures = sum(1 for c in cases if c.outcome == FAILED)
        errors = sum(1 for c in cases if c.outcome == ERROR)
        code = cases[0].code
        suite = SubElement(
            root,
            "testsuite",
            name=_xml(f"{rule} ({code})" if code else rule),
            timestamp=stamp,
            hostname=_xml(host),
            tests=str(len(cases)),
            failures=str(failures),
            errors=str(errors),
            skipped="0",
            time=f"{sum(c.seconds for c in cases):.3f}",
            package="socialgov.rules",
            id=str(index),
        )
        properties = SubElement(suite, "properties")
        SubElement(properties, "property", name="socialgov.version", value=__version__)
        SubElement(properties, "property", name="as_of", value=report.as_of.isoformat())
        for case in cases:
            element = SubElement(
                suite,
                "testcase",
                name=_xml(case.name),
                classname=_xml(f"{path}::{rule}"),
                time=f"{case.seconds:.3f}",
            )
            if case.outcome != PASSED:
                kind = "failure" if case.outcome == FAILED else "error"
                outcome = SubElement(
                    element,
                    kind,
                    message=_xml(case.detail.splitlines()[0].rstrip(":") if case.detail else kind),
                    type="expectation" if kind == "failure" else "invalid",
                )
                outcome.text = _xml(case.detail)
        SubElement(suite, "system-out")
        SubElement(suite, "system-err")
    xml = xml_no_commands(tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"
