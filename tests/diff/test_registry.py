"""The registry: stable IDs, severities by direction, and a test for every rule."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from schemagen.diff.model import Effect, Severity
from schemagen.diff.registry import all_rules
from tests.diff.cases import ALL_CASES

FAMILY_TESTS = sorted(p.stem for p in Path(__file__).parent.glob("test_rules_*.py"))


def _load_cases() -> dict[str, set[bool]]:
    seen: dict[str, set[bool]] = {}
    for name in FAMILY_TESTS:
        module = importlib.import_module(f"tests.diff.{name}")
        for rule, tests in getattr(module, "COVERS", {}).items():
            for test in tests:
                assert hasattr(module, test), f"{name}.{test} named in COVERS does not exist"
            seen.setdefault(rule, set()).update({True, False})
    for case in ALL_CASES:
        for side in case.sides:
            seen.setdefault(f"{side}-{case.change}", set()).add(case.fires)
    return seen


def test_every_rule_has_a_positive_and_a_negative_test() -> None:
    seen = _load_cases()
    missing = [rule for rule in all_rules() if seen.get(rule) != {True, False}]
    assert not missing, f"rules without both a positive and a negative case: {missing}"


def test_rule_ids_are_stable_kebab_case() -> None:
    for rule_id, rule in all_rules().items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id), rule_id
        if rule.side is not None and rule.family != "functions":
            assert rule_id == f"{rule.side}-{rule.change}"


@pytest.mark.parametrize("side", ["setup", "input", "output"])
def test_severity_follows_direction(side: str) -> None:
    accepts = side != "output"
    for rule in all_rules().values():
        if rule.side != side or rule.family == "functions":
            continue
        if rule.effect is Effect.NARROWS:
            assert rule.severity is (Severity.BREAKING if accepts else Severity.INFO), rule.id
        elif rule.effect is Effect.WIDENS:
            assert rule.severity is (Severity.INFO if accepts else Severity.BREAKING), rule.id
        elif rule.effect is Effect.BOTH:
            assert rule.severity is Severity.BREAKING, rule.id


def test_issue_examples_exist() -> None:
    rules = all_rules()
    for rule_id in (
        "input-property-became-required",
        "output-enum-value-added",
        "setup-default-changed",
        "function-removed",
    ):
        assert rule_id in rules
    assert rules["input-property-became-required"].severity is Severity.BREAKING
    assert rules["output-enum-value-added"].severity is Severity.BREAKING
    assert rules["input-maximum-increased"].severity is Severity.INFO
    assert rules["setup-default-changed"].severity is Severity.WARNING
