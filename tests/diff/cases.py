"""Rule test cases: an OLD and a NEW schema, and whether a rule fires.

Every family's test module lists ``Case``s; ``check`` runs one on each side it
names and, for a rule that is breaking by default, re-verifies the witness with
jsonschema independently of the diff. ``test_registry`` checks that every
registered rule has at least one positive and one negative case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jsonschema

from schemagen.diff.config import DiffConfig
from schemagen.diff.engine import compare_side
from schemagen.diff.model import ACCEPT_SIDES, SIDES, Finding, Severity, Side
from schemagen.diff.registry import all_rules
from schemagen.diff.witness import format_checker
from tests.diff.strategies import closed

ALL_CASES: list[Case] = []


@dataclass(frozen=True)
class Case:
    """``change`` (a rule ID without its side) fires, or not, on each of ``sides``."""

    change: str
    old: Any
    new: Any
    fires: bool = True
    sides: tuple[Side, ...] = SIDES
    mode: str = "declared"
    note: str = ""
    # Substring the message must contain (positive cases).
    message: str | None = None
    rule_ids: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        ALL_CASES.append(self)

    @property
    def id(self) -> str:
        sign = "fires" if self.fires else "silent"
        return f"{self.change}-{sign}-{'-'.join(self.sides)}" + (
            f"-{self.note}" if self.note else ""
        )


def obj(x: Any, *, required: bool = True, **extra: Any) -> dict[str, Any]:
    """A root object whose property ``x`` has schema ``x``."""
    schema: dict[str, Any] = {"type": "object", "properties": {"x": x}}
    if required:
        schema["required"] = ["x"]
    schema.update(extra)
    return schema


def diff(side: Side, old: Any, new: Any, mode: str = "declared") -> list[Finding]:
    function = None if side == "setup" else "run"
    return compare_side(side, function, old, new, DiffConfig(extra_properties=mode))  # type: ignore[arg-type]


def assert_witness(
    finding: Finding, side: Side, old: Any, new: Any, mode: str = "declared"
) -> None:
    """The witness is produced by one version and rejected by the other."""
    assert finding.witness is not None, finding
    producer, consumer = (old, new) if side in ACCEPT_SIDES else (new, old)
    if mode == "declared":
        producer = closed(producer)
    value = finding.witness.value
    checker = format_checker()
    assert jsonschema.Draft202012Validator(producer, format_checker=checker).is_valid(value), (
        finding
    )
    assert not jsonschema.Draft202012Validator(consumer, format_checker=checker).is_valid(value), (
        finding
    )


def check(case: Case) -> None:
    rules = all_rules()
    for side in case.sides:
        rule_id = f"{side}-{case.change}"
        assert rule_id in rules, f"no rule {rule_id}"
        findings = diff(side, case.old, case.new, case.mode)
        hits = [f for f in findings if f.rule == rule_id]
        if not case.fires:
            assert not hits, (rule_id, hits)
            continue
        assert hits, (rule_id, [(f.rule, f.pointer, f.message) for f in findings])
        if case.message is not None:
            assert any(case.message in f.message for f in hits), [f.message for f in hits]
        rule = rules[rule_id]
        for finding in hits:
            if rule.severity is Severity.BREAKING:
                assert finding.unproven is None, finding
                assert finding.severity is Severity.BREAKING
                assert_witness(finding, side, case.old, case.new, case.mode)
            else:
                assert finding.severity is rule.severity
                assert finding.witness is None
