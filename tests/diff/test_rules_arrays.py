"""Rules of ``rules_arrays``: uniqueItems; items and prefixItems recurse."""

from __future__ import annotations

import pytest

from tests.diff.cases import Case, check, diff, obj

INTS = {"type": "array", "items": {"type": "integer"}}

CASES = [
    Case("unique-items-added", obj(INTS), obj({**INTS, "uniqueItems": True})),
    Case("unique-items-added", obj({**INTS, "uniqueItems": True}), obj(INTS), fires=False),
    Case("unique-items-removed", obj({**INTS, "uniqueItems": True}), obj(INTS)),
    Case("unique-items-removed", obj(INTS), obj({**INTS, "uniqueItems": True}), fires=False),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)


def test_tuple_position_change_is_located() -> None:
    old = obj(
        {
            "type": "array",
            "prefixItems": [{"type": "integer"}, {"type": "string"}],
            "minItems": 2,
            "maxItems": 2,
        }
    )
    new = obj(
        {
            "type": "array",
            "prefixItems": [{"type": "integer"}, {"type": "integer"}],
            "minItems": 2,
            "maxItems": 2,
        }
    )
    (finding,) = [f for f in diff("input", old, new) if f.severity.label == "breaking"]
    assert finding.rule == "input-type-changed"
    assert finding.pointer == "/properties/x/prefixItems/1"
    assert finding.witness is not None and finding.witness.value == {"x": [0, ""]}


def test_items_added_where_any_was_accepted() -> None:
    findings = diff("input", obj({"type": "array"}), obj(INTS))
    (finding,) = [f for f in findings if f.severity.label == "breaking"]
    assert finding.rule == "input-type-removed"
    assert finding.pointer == "/properties/x/items"
