"""Rules of ``rules_bounds``: numeric bounds, multipleOf, lengths, counts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.diff.cases import Case, check, obj


def num(**kw: Any) -> dict[str, Any]:
    return obj({"type": "number", **kw})


def integer(**kw: Any) -> dict[str, Any]:
    return obj({"type": "integer", **kw})


def text(**kw: Any) -> dict[str, Any]:
    return obj({"type": "string", **kw})


def array(**kw: Any) -> dict[str, Any]:
    return obj({"type": "array", "items": {"type": "integer"}, **kw})


def mapping(**kw: Any) -> dict[str, Any]:
    return obj({"type": "object", "additionalProperties": {"type": "integer"}, **kw})


CASES = [
    Case("minimum-increased", num(minimum=0), num(minimum=1), message="minimum 0 -> minimum 1"),
    Case("minimum-increased", num(minimum=0), num(exclusiveMinimum=0), note="exclusive"),
    Case("minimum-increased", num(), num(minimum=1), note="added"),
    Case(
        "minimum-increased",
        integer(exclusiveMinimum=0),
        integer(minimum=1),
        fires=False,
        note="same-integers",
    ),
    Case("minimum-increased", num(minimum=1), num(minimum=0), fires=False),
    Case("minimum-decreased", num(minimum=1), num(minimum=0)),
    Case("minimum-decreased", num(minimum=0), num(minimum=1), fires=False),
    Case("maximum-decreased", num(maximum=10), num(maximum=5)),
    Case(
        "maximum-decreased",
        integer(maximum=10),
        integer(exclusiveMaximum=11),
        fires=False,
        note="same-integers",
    ),
    Case("maximum-increased", num(maximum=5), num(maximum=10)),
    Case("maximum-increased", num(maximum=10), num(maximum=5), fires=False),
    Case("multiple-of-narrowed", integer(multipleOf=2), integer(multipleOf=4)),
    Case("multiple-of-narrowed", integer(multipleOf=4), integer(multipleOf=2), fires=False),
    Case("multiple-of-narrowed", integer(), integer(multipleOf=0.5), fires=False, note="integers"),
    Case("multiple-of-widened", integer(multipleOf=4), integer(multipleOf=2)),
    Case("multiple-of-widened", integer(multipleOf=2), integer(multipleOf=4), fires=False),
    Case("min-length-increased", text(minLength=1), text(minLength=3)),
    Case("min-length-increased", text(minLength=3), text(minLength=1), fires=False),
    Case("min-length-decreased", text(minLength=3), text(minLength=1)),
    Case("min-length-decreased", text(minLength=1), text(minLength=3), fires=False),
    Case("max-length-decreased", text(maxLength=10), text(maxLength=3)),
    Case("max-length-decreased", text(), text(maxLength=3), note="added"),
    Case("max-length-decreased", text(maxLength=3), text(maxLength=10), fires=False),
    Case("max-length-increased", text(maxLength=3), text(maxLength=10)),
    Case("max-length-increased", text(maxLength=10), text(maxLength=3), fires=False),
    Case("min-items-increased", array(), array(minItems=2)),
    Case("min-items-increased", array(minItems=2), array(), fires=False),
    Case("min-items-decreased", array(minItems=2), array()),
    Case("min-items-decreased", array(), array(minItems=2), fires=False),
    Case("max-items-decreased", array(maxItems=3), array(maxItems=1)),
    Case("max-items-decreased", array(maxItems=1), array(maxItems=3), fires=False),
    Case("max-items-increased", array(maxItems=1), array(maxItems=3)),
    Case("max-items-increased", array(maxItems=3), array(maxItems=1), fires=False),
    Case("min-properties-increased", mapping(), mapping(minProperties=1)),
    Case("min-properties-increased", mapping(minProperties=1), mapping(), fires=False),
    Case(
        "min-properties-increased",
        obj({"type": "object", "properties": {"a": {}}, "required": ["a"]}),
        obj({"type": "object", "properties": {"a": {}}, "required": ["a"], "minProperties": 1}),
        fires=False,
        note="required-count",
    ),
    Case("min-properties-decreased", mapping(minProperties=1), mapping()),
    Case("min-properties-decreased", mapping(), mapping(minProperties=1), fires=False),
    Case("max-properties-decreased", mapping(maxProperties=3), mapping(maxProperties=1)),
    Case(
        "max-properties-decreased", mapping(maxProperties=1), mapping(maxProperties=3), fires=False
    ),
    Case("max-properties-increased", mapping(maxProperties=1), mapping(maxProperties=3)),
    Case(
        "max-properties-increased", mapping(maxProperties=3), mapping(maxProperties=1), fires=False
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)
