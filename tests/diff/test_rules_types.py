"""Rules of ``rules_types``: JSON types, nullability, integer within number."""

from __future__ import annotations

import pytest

from tests.diff.cases import Case, check, obj

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
OPTIONAL_STRING = {"anyOf": [STRING, {"type": "null"}], "default": None}

CASES = [
    Case(
        "type-removed",
        obj({"type": ["string", "integer"]}),
        obj(STRING),
        message="integer|string to string",
    ),
    Case("type-removed", obj(STRING), obj({"type": ["string", "integer"]}), fires=False),
    Case("type-removed", obj({}), obj(STRING), note="any", message="from any to string"),
    Case("type-added", obj(STRING), obj({"type": ["string", "integer"]})),
    Case("type-added", obj({"type": ["string", "integer"]}), obj(STRING), fires=False),
    Case("type-changed", obj(STRING), obj(INTEGER), message="from string to integer"),
    Case("type-changed", obj(INTEGER), obj(NUMBER), fires=False, note="widened"),
    Case("became-non-nullable", obj(OPTIONAL_STRING, required=False), obj(STRING, required=False)),
    Case("became-non-nullable", obj(STRING), obj(OPTIONAL_STRING), fires=False),
    Case("became-nullable", obj(STRING), obj(OPTIONAL_STRING)),
    Case("became-nullable", obj(OPTIONAL_STRING), obj(STRING), fires=False),
    Case("number-became-integer", obj(NUMBER), obj(INTEGER)),
    Case("number-became-integer", obj(INTEGER), obj(NUMBER), fires=False),
    Case("integer-became-number", obj(INTEGER), obj(NUMBER)),
    Case("integer-became-number", obj(NUMBER), obj(INTEGER), fires=False),
    Case(
        "type-changed", obj(STRING), obj({"enum": [2.5]}), note="enum-number", message="to number"
    ),
    Case(
        "type-changed",
        obj({"type": "array", "items": STRING}),
        obj({"type": "array", "items": INTEGER}),
        note="items",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)
