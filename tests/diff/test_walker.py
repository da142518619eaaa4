"""The walker: $refs, recursion, shared definitions, witnesses lifted along paths."""

from __future__ import annotations

from typing import Any

import pytest

from schemagen.errors import ManifestError
from tests.diff.cases import assert_witness, diff

INT, STR = {"type": "integer"}, {"type": "string"}


def tree(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"tree": {"$ref": "#/$defs/Tree"}},
        "required": ["tree"],
        "$defs": {
            "Tree": {
                "type": "object",
                "properties": {
                    "value": value,
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}},
                },
            }
        },
    }


def test_recursive_model_is_compared_once_and_witnessed() -> None:
    old, new = tree(INT), tree(STR)
    findings = diff("input", old, new)
    assert [(f.rule, f.pointer) for f in findings] == [
        ("input-type-changed", "/properties/tree/properties/value")
    ]
    assert findings[0].witness is not None
    assert findings[0].witness.value == {"tree": {"value": 0}}
    assert_witness(findings[0], "input", old, new)


def test_witness_takes_another_path_when_the_first_is_covered() -> None:
    def schema(x: dict[str, Any]) -> dict[str, Any]:
        item = {"type": "object", "properties": {"x": x}, "required": ["x"]}
        return {
            "type": "object",
            "properties": {
                "a": {"anyOf": [{"$ref": "#/$defs/Item"}, {"type": "object"}]},
                "b": {"$ref": "#/$defs/Item"},
            },
            "$defs": {"Item": item},
        }

    old, new = schema(INT), schema(STR)
    (finding,) = [f for f in diff("input", old, new) if f.severity.label == "breaking"]
    assert finding.pointer == "/properties/b/properties/x"
    assert finding.witness is not None and finding.witness.value == {"b": {"x": 0}}
    assert_witness(finding, "input", old, new)


def test_unchanged_shared_definitions_are_skipped() -> None:
    old = tree(INT)
    new = {**tree(INT), "description": "now documented"}
    assert [f.rule for f in diff("output", old, new)] == ["output-description-changed"]


def test_renamed_definition_with_the_same_shape_is_no_change() -> None:
    old = tree(INT)
    new = {
        "type": "object",
        "properties": {"tree": {"$ref": "#/$defs/Node"}},
        "required": ["tree"],
        "$defs": {"Node": old["$defs"]["Tree"]},
    }
    new["$defs"]["Node"] = {
        **old["$defs"]["Tree"],
        "properties": {
            "value": INT,
            "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
        },
    }
    assert diff("input", old, new) == []


@pytest.mark.parametrize("ref", ["#/$defs/Missing", "https://example.com/schema.json"])
def test_unresolvable_refs_are_manifest_errors(ref: str) -> None:
    with pytest.raises(ManifestError):
        diff("input", {"type": "object"}, {"type": "object", "properties": {"x": {"$ref": ref}}})


def test_each_witness_shows_its_own_rule_only_where_several_change_at_once() -> None:
    import jsonschema

    def width(**kw: Any) -> dict[str, Any]:
        return {"anyOf": [{"type": "integer", **kw}, {"type": "null"}]}

    old = {
        "type": "object",
        "properties": {"width": width(minimum=256, multipleOf=8), "name": {"type": "string"}},
        "required": ["width", "name"],
    }
    new = {
        "type": "object",
        "properties": {
            "width": width(minimum=512, multipleOf=16),
            "name": {"type": "string", "minLength": 3, "pattern": "^a"},
        },
        "required": ["width", "name"],
    }
    expected = {
        "input-minimum-increased": ("width", {"minimum"}),
        "input-multiple-of-narrowed": ("width", {"multipleOf"}),
        "input-min-length-increased": ("name", {"minLength"}),
        "input-pattern-added": ("name", {"pattern"}),
    }
    findings = {f.rule: f for f in diff("input", old, new)}
    assert set(expected) <= set(findings)
    for rule, (prop, keywords) in expected.items():
        finding = findings[rule]
        assert_witness(finding, "input", old, new)
        assert finding.witness is not None
        # Independently of the diff: why NEW refuses the value, property by property.
        errors = jsonschema.Draft202012Validator(new).iter_errors(finding.witness.value)
        reasons: dict[Any, set[Any]] = {}
        for error in errors:
            stack = [error]
            while stack:
                e = stack.pop()
                stack.extend(e.context or ())
                if not e.context and e.validator != "type":  # the nullable's other branch
                    reasons.setdefault(next(iter(e.absolute_path), None), set()).add(e.validator)
        # Refused for its own change, and nowhere else (the siblings suit both versions).
        assert reasons == {prop: keywords}, (rule, finding.witness.value, reasons)
