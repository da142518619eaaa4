"""Rules of ``rules_unions``: union alternatives and oneOf overlaps."""

from __future__ import annotations

import pytest

from tests.diff.cases import Case, check, obj


def model(kind: str, **props: dict[str, object]) -> dict[str, object]:
    return {
        "type": "object",
        "title": kind.capitalize(),
        "properties": {"kind": {"const": kind, "type": "string"}, **props},
        "required": ["kind", *props],
    }


CAT = model("cat", meow={"type": "integer"})
DOG = model("dog", bark={"type": "string"})
BIRD = model("bird", wings={"type": "integer"})


def pets(*variants: dict[str, object]) -> dict[str, object]:
    return obj({"oneOf": list(variants), "discriminator": {"propertyName": "kind"}})


CASES = [
    Case("variant-removed", pets(CAT, DOG), pets(CAT), message="Dog"),
    Case("variant-removed", pets(CAT), pets(CAT, DOG), fires=False),
    Case("variant-added", pets(CAT), pets(CAT, DOG), message="Dog"),
    Case("variant-added", pets(CAT, DOG), pets(CAT, BIRD), message="Bird", note="replaced"),
    Case("variant-added", pets(CAT, DOG), pets(DOG, CAT), fires=False, note="reordered"),
    Case(
        "one-of-overlap",
        obj({"anyOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}),
        obj({"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}),
        sides=("setup", "input"),
    ),
    Case(
        "one-of-overlap",
        obj({"anyOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}),
        obj({"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}),
        sides=("output",),
        fires=False,
    ),
    Case(
        "one-of-overlap",
        obj({"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}),
        obj({"anyOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}),
        sides=("output",),
    ),
    Case("one-of-overlap", pets(CAT, DOG), pets(CAT, DOG, BIRD), fires=False, note="disjoint"),
    Case(
        "one-of-overlap",
        obj({"anyOf": [{"type": "boolean"}, {"oneOf": [{"enum": [None, 1]}, {"type": "string"}]}]}),
        obj({"anyOf": [{"type": "boolean"}, {"oneOf": [{}, {"type": "string"}]}]}),
        sides=("setup", "input"),
        note="nested",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)
