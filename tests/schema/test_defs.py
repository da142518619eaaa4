"""A document's ``$defs``, what an entry reaches, and the walks over a document."""

from __future__ import annotations

from typing import Any

from schemagen.schema.defs import definition_identity, local_defs, reachable_defs, refs
from schemagen.schema.walk import schema_nodes, subschemas

ITEM: dict[str, Any] = {"type": "object", "properties": {"tag": {"$ref": "#/$defs/Tag"}}}
DOCUMENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "item": {"$ref": "#/$defs/Item"},
        "$ref": {"const": {"$ref": "#/$defs/NotARef"}},  # a property named "$ref"; data
    },
    "x-vendor": {"$ref": "#/$defs/Vendor"},
    "$defs": {"Item": ITEM, "Tag": {"enum": ["a"]}, "Lone": {"type": "null"}},
    "definitions": {"Tag": {"enum": ["old"]}, "Old": {}},
}


def test_local_defs_merges_both_keywords_and_defs_wins() -> None:
    assert local_defs(DOCUMENT) == {
        "Tag": {"enum": ["a"]},
        "Old": {},
        "Item": ITEM,
        "Lone": {"type": "null"},
    }
    assert local_defs(True) == {} and local_defs({"$defs": []}) == {}


def test_refs_skip_data_but_not_unknown_keywords() -> None:
    assert sorted(refs(DOCUMENT)) == ["#/$defs/Item", "#/$defs/Tag", "#/$defs/Vendor"]


def test_reachable_defs_follow_references_at_any_depth() -> None:
    defs = local_defs(DOCUMENT)
    assert set(reachable_defs("Item", defs)) == {"Item", "Tag"}
    assert set(reachable_defs("Lone", defs)) == {"Lone"}


def test_definitions_are_one_when_written_alike_with_all_they_reach() -> None:
    one = local_defs(DOCUMENT)
    other = {**one, "Tag": {"enum": ["b"]}}
    assert definition_identity("Item", one) == definition_identity("Item", dict(one))
    assert definition_identity("Item", one) != definition_identity("Item", other)
    assert definition_identity("Lone", one) == definition_identity("Lone", other)
    # Written differently, though equal as JSON: code would write them differently.
    assert definition_identity("N", {"N": {"default": 1}}) != definition_identity(
        "N", {"N": {"default": 1.0}}
    )


def test_subschemas_visit_the_places_json_schema_defines() -> None:
    found = {pointer: keyword for pointer, _, keyword in subschemas(DOCUMENT)}
    assert found == {
        "": None,
        "/properties/item": "properties",
        "/properties/$ref": "properties",
        "/$defs/Item": "$defs",
        "/$defs/Item/properties/tag": "properties",
        "/$defs/Tag": "$defs",
        "/$defs/Lone": "$defs",
        "/definitions/Tag": "definitions",
        "/definitions/Old": "definitions",
    }


def test_schema_nodes_visit_every_object_that_is_not_data_in_document_order() -> None:
    pointers = [pointer for _, pointer in schema_nodes(DOCUMENT)]
    assert pointers == [
        "",
        "/properties/item",
        "/properties/$ref",
        "/x-vendor",
        "/$defs/Item",
        "/$defs/Item/properties/tag",
        "/$defs/Tag",
        "/$defs/Lone",
        "/definitions/Tag",
        "/definitions/Old",
    ]
