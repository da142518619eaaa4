"""Rules of ``rules_enum``: enum and const values."""

from __future__ import annotations

import pytest

from tests.diff.cases import Case, check, obj

AB = {"type": "string", "enum": ["a", "b"]}
A = {"type": "string", "enum": ["a"]}

CASES = [
    Case("enum-value-removed", obj(AB), obj(A), message='"b"'),
    Case("enum-value-removed", obj(A), obj(AB), fires=False),
    Case("enum-value-removed", obj({"const": "a"}), obj({"const": "b"}), note="const"),
    Case(
        "enum-value-removed",
        obj({"enum": ["a", "b"], "type": "string", "maxLength": 1}),
        obj({"enum": ["a", "b", "cc"], "type": "string", "maxLength": 1}),
        fires=False,
        note="only-effective-values",
    ),
    Case("enum-value-added", obj(A), obj(AB), message='"b"'),
    Case("enum-value-added", obj(AB), obj(A), fires=False),
    Case("became-enum", obj({"type": "string"}), obj(AB)),
    Case("became-enum", obj(AB), obj({"type": "string"}), fires=False),
    Case(
        "became-enum",
        obj({"type": "integer", "minimum": 1, "maximum": 2}),
        obj({"enum": [1, 2]}),
        fires=False,
        note="same-values",
    ),
    Case("no-longer-enum", obj(AB), obj({"type": "string"})),
    Case("no-longer-enum", obj({"type": "string"}), obj(AB), fires=False),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)
