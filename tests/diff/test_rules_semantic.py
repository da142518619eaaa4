"""Rules of ``rules_semantic``: unmodelled keywords and the last-resort search."""

from __future__ import annotations

import pytest

from tests.diff.cases import Case, assert_witness, check, diff, obj

CASES = [
    Case(
        "unsupported-keyword-changed",
        obj({"not": {"type": "string"}}),
        obj({"not": {"type": "integer"}}),
    ),
    Case(
        "unsupported-keyword-changed",
        obj({"not": {"type": "string"}}),
        obj({"not": {"type": "string"}, "description": "x"}),
        fires=False,
    ),
]

# Rules tested by plain functions below: (positive test, negative test).
COVERS = {
    "setup-schema-narrowed": ("test_search_finds_what_no_rule_explains", "test_search_stays_quiet"),
    "input-schema-narrowed": ("test_search_finds_what_no_rule_explains", "test_search_stays_quiet"),
    "output-schema-widened": ("test_search_finds_what_no_rule_explains", "test_search_stays_quiet"),
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)


@pytest.fixture
def no_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch every structural check off, leaving only the last-resort search."""
    monkeypatch.setattr("schemagen.diff.walker.NODE_CHECKS", [])
    monkeypatch.setattr("schemagen.diff.walker.ALT_CHECKS", [])
    monkeypatch.setattr("schemagen.diff.walker.SITE_CHECKS", [])


@pytest.mark.parametrize("side", ["setup", "input", "output"])
def test_search_finds_what_no_rule_explains(no_rules: None, side: str) -> None:
    # oneOf is one of the constructs the walker notes as approximate, so the
    # search runs (it also runs whenever a claimed break found no witness).
    old = {"oneOf": [{"type": "string"}, {"type": "null"}]}
    new = {"oneOf": [{"type": "integer"}, {"type": "null"}]}
    findings = diff(side, old, new)  # type: ignore[arg-type]
    rule = "output-schema-widened" if side == "output" else f"{side}-schema-narrowed"
    (finding,) = findings
    assert finding.rule == rule and finding.severity.label == "breaking"
    assert_witness(finding, side, old, new)  # type: ignore[arg-type]


@pytest.mark.parametrize("side", ["setup", "input", "output"])
def test_search_stays_quiet(no_rules: None, side: str) -> None:
    old = {"oneOf": [{"type": "string"}, {"type": "null"}], "description": "before"}
    new = {"oneOf": [{"type": "string"}, {"type": "null"}], "description": "after"}
    assert diff(side, old, new) == []  # type: ignore[arg-type]


def test_search_is_not_run_where_the_rules_are_exact(no_rules: None) -> None:
    assert diff("input", {"type": "string"}, {"type": "integer"}) == []


def test_search_is_not_run_when_a_rule_proved_the_break() -> None:
    findings = diff("input", obj({"type": "string"}), obj({"type": "integer"}))
    assert [f.rule for f in findings] == ["input-type-changed"]
