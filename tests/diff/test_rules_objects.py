"""Rules of ``rules_objects``: properties, required, additional properties.

``extra_properties = "declared"`` (default): producers send only declared
properties; ``"schema"``: JSON Schema's own reading (left out = anything).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.diff.cases import Case, check, diff

INT = {"type": "integer"}


def model(props: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


A = model({"a": INT})
AB = model({"a": INT, "b": INT})

CASES = [
    Case("property-added", A, AB, message="`b`"),
    Case("property-added", AB, A, fires=False),
    Case("property-removed", AB, A, message="`b`"),
    Case("property-removed", A, AB, fires=False),
    Case("property-became-required", AB, model({"a": INT, "b": INT}, ("b",))),
    Case("property-became-required", model({"a": INT, "b": INT}, ("b",)), AB, fires=False),
    Case(
        "property-became-required",
        model({"a": {"const": "x"}}, additionalProperties=True),
        model({}, ("a",), additionalProperties=True),
        note="no-longer-declared",
    ),
    Case("property-became-optional", model({"a": INT, "b": INT}, ("b",)), AB),
    Case("property-became-optional", AB, model({"a": INT, "b": INT}, ("b",)), fires=False),
    Case("required-property-added", A, model({"a": INT, "b": INT}, ("b",))),
    Case("required-property-added", A, AB, fires=False, note="optional"),
    Case("required-property-removed", model({"a": INT, "b": INT}, ("b",)), A),
    Case("required-property-removed", AB, A, fires=False, note="optional"),
    Case(
        "additional-properties-restricted",
        model({"a": INT}, additionalProperties=True),
        model({"a": INT}, additionalProperties=False),
        message="additionalProperties: false",
    ),
    Case(
        "additional-properties-restricted",
        model({"a": INT}, additionalProperties=True),
        model({"a": INT, "b": INT}, additionalProperties=True),
        note="declared-explicit-extras",
        message="`b`",
    ),
    Case("additional-properties-restricted", A, AB, mode="schema", note="schema-mode"),
    Case("additional-properties-restricted", A, AB, fires=False, note="declared-mode"),
    Case(
        "additional-properties-restricted",
        AB,
        model({"a": INT}, additionalProperties=False),
        note="removed-then-rejected",
    ),
    Case(
        "additional-properties-restricted",
        model({"a": INT}, additionalProperties={"type": "number"}),
        model({"a": INT}, additionalProperties=INT),
        note="dict-values-narrowed",
        fires=False,
    ),
    Case(
        "additional-properties-widened",
        model({"a": INT}, additionalProperties=False),
        model({"a": INT, "b": INT}, additionalProperties=False),
        message="`b`",
    ),
    Case(
        "additional-properties-widened",
        model({"a": INT}, additionalProperties=False),
        model({"a": INT}, additionalProperties=True),
        note="allow",
    ),
    Case("additional-properties-widened", A, AB, fires=False),
    Case("additional-properties-forbidden", A, model({"a": INT}, additionalProperties=False)),
    Case(
        "additional-properties-forbidden",
        model({"a": INT}, additionalProperties=True),
        model({"a": INT}, additionalProperties=False),
        fires=False,
        note="explicit",
    ),
    Case("additional-properties-allowed", model({"a": INT}, additionalProperties=False), A),
    Case(
        "additional-properties-allowed",
        model({"a": INT}, additionalProperties=False),
        model({"a": INT}, additionalProperties=True),
        fires=False,
        note="explicit",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)


def test_dict_value_type_change_is_reported_under_additional_properties() -> None:
    old = model({}, additionalProperties={"type": "number"})
    new = model({}, additionalProperties=INT)
    findings = diff("input", old, new)
    (finding,) = [f for f in findings if f.severity.label == "breaking"]
    assert finding.rule == "input-number-became-integer"
    assert finding.pointer == "/additionalProperties"


def test_nested_required_property_is_located_and_witnessed() -> None:
    inner_old = model({"t": {"type": "number"}})
    inner_new = model({"t": {"type": "number"}}, ("t",))
    old = {"$defs": {"S": inner_old}, **model({"s": {"$ref": "#/$defs/S"}}, ("s",))}
    new = {"$defs": {"S": inner_new}, **model({"s": {"$ref": "#/$defs/S"}}, ("s",))}
    (finding,) = [f for f in diff("input", old, new) if f.rule == "input-property-became-required"]
    assert finding.pointer == "/properties/s/properties/t"
    assert finding.new_location == "#/$defs/S/properties/t"
    assert finding.witness is not None and finding.witness.value == {"s": {}}


def test_a_change_inside_a_nullable_model_is_located_at_the_model() -> None:
    # Optional[S]: the anyOf branch is only a $ref; the change is S's, as for a plain S.
    s_old = model({"t": INT, "u": INT})
    ref_or_null = {"anyOf": [{"$ref": "#/$defs/S"}, {"type": "null"}], "default": None}
    old = {"$defs": {"S": s_old}, **model({"s": ref_or_null})}
    new = {"$defs": {"S": model({"t": INT})}, **model({"s": ref_or_null})}
    (finding,) = diff("input", old, new)
    assert finding.rule == "input-property-removed"
    assert (finding.old_location, finding.new_location) == ("#/$defs/S/properties/u", "#/$defs/S")
