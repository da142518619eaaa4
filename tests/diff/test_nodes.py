"""Normal form: fragments, typed alternatives, the producer view."""

from __future__ import annotations

from schemagen.diff.nodes import SchemaDoc
from schemagen.schema.values import json_equal


def alts(schema: object, mode: str = "declared") -> list[tuple[str, bool]]:
    doc = SchemaDoc(schema, uri="urn:t", label="old", mode=mode)  # type: ignore[arg-type]
    return [(a.type, a.integral) for a in doc.alternatives(doc.flatten(("",)))]


def test_optional_splits_into_typed_alternatives() -> None:
    assert alts({"anyOf": [{"type": "integer"}, {"type": "null"}]}) == [
        ("number", True),
        ("null", False),
    ]


def test_type_lists_enums_and_any() -> None:
    assert alts({"type": ["number", "string"]}) == [("number", False), ("string", False)]
    assert alts({"enum": [1, "a", None]}) == [("null", False), ("number", False), ("string", False)]
    assert alts({"enum": [2.5]}) == [("number", False)]
    assert len(alts({})) == 6
    assert alts(False) == []


def test_duplicate_and_covered_alternatives_are_pruned() -> None:
    assert alts(
        {"anyOf": [{}, {"type": "string", "minLength": 2}, {"type": "null"}, {"type": "null"}]}
    ) == [
        ("null", False),
        ("boolean", False),
        ("number", False),
        ("string", False),
        ("array", False),
        ("object", False),
    ]


def test_allof_and_ref_siblings_are_merged() -> None:
    schema = {
        "$defs": {"A": {"type": "integer", "minimum": 0}},
        "allOf": [{"$ref": "#/$defs/A"}, {"maximum": 5}],
    }
    doc = SchemaDoc(schema, uri="urn:t", label="old", mode="declared")
    (alt,) = doc.alternatives(doc.flatten(("",)))
    assert alt.integral and alt.lower() == (0, False) and alt.upper() == (5, False)


def test_producer_view_closes_declared_objects_only() -> None:
    schema = {
        "type": "object",
        "properties": {
            "model": {"type": "object", "properties": {"a": {}}},
            "free": {"type": "object", "additionalProperties": True, "properties": {}},
            "mapping": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    }
    declared = SchemaDoc(schema, uri="urn:t", label="old", mode="declared")
    assert declared.closed == {"", "/properties/model"}
    assert declared.producer_schema["properties"]["model"]["additionalProperties"] is False
    assert "additionalProperties" not in schema["properties"]["model"]  # input untouched
    assert SchemaDoc(schema, uri="urn:t", label="old", mode="schema").closed == frozenset()


def test_json_equality_follows_json() -> None:
    assert json_equal(1, 1.0) and not json_equal(True, 1) and json_equal({"a": [1]}, {"a": [1.0]})
