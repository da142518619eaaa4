"""JSON pointers and local references, judged by ``referencing`` (jsonschema's resolver)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from schemagen.schema.pointers import (
    escape,
    follow_local_refs,
    join,
    local_ref_name,
    ref_pointer,
    resolve_pointer,
    tokens,
)

DOCUMENT: dict[str, Any] = {
    "properties": {"a/b": {"type": "string"}, "t~n": {"items": {"const": 1}}, "": {}},
    "$defs": {"Café": {"type": "integer"}, "x/y": {"$ref": "#/$defs/Caf%C3%A9"}},
    "anyOf": [{"type": "null"}, {"minimum": 0}],
}
POINTERS = [
    "",
    "/properties/a~1b",
    "/properties/t~0n/items/const",
    "/properties/",
    "/$defs/Café",
    "/$defs/x~1y",
    "/anyOf/1/minimum",
]


def _oracle(document: Any, ref: str) -> Any:
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    resolver = Registry().with_resource("urn:doc", resource).resolver()
    return resolver.lookup("urn:doc" + ref).contents


@pytest.mark.parametrize("pointer", POINTERS)
def test_a_pointer_names_what_referencing_resolves(pointer: str) -> None:
    ref = "#" + quote(pointer, safe="/~")
    assert ref_pointer(ref) == pointer
    assert resolve_pointer(DOCUMENT, pointer) is _oracle(DOCUMENT, ref)


@pytest.mark.parametrize("pointer", ["/nothing", "/anyOf/2", "/anyOf/x", "/properties/a/b"])
def test_a_pointer_to_nothing_is_a_lookup_error(pointer: str) -> None:
    with pytest.raises((Unresolvable, ValueError)):  # ValueError: "x" as an index
        _oracle(DOCUMENT, "#" + pointer)
    with pytest.raises(LookupError):
        resolve_pointer(DOCUMENT, pointer)


def test_join_escapes_and_tokens_unescape() -> None:
    pointer = join("", "properties", "a/b~c", 0)
    assert pointer == "/properties/a~1b~0c/0"
    assert tokens(pointer) == ["properties", "a/b~c", "0"]
    assert escape("~1") == "~01"  # not "/": the order of the replacements matters
    assert tokens("/~01") == ["~1"]


def test_local_ref_name_reads_escaped_and_percent_encoded_names() -> None:
    assert local_ref_name("#/$defs/x~1y") == "x/y"
    assert local_ref_name("#/definitions/Caf%C3%A9") == "Café"
    assert local_ref_name("#/$defs/A/properties/b") is None
    assert local_ref_name("#/properties/a") is None
    assert local_ref_name("other.json#/$defs/A") is None


def test_follow_local_refs_follows_bare_references_to_their_end() -> None:
    defs = {"A": {"$ref": "#/$defs/B", "description": "an A"}, "B": {"type": "string"}}
    assert follow_local_refs({"$ref": "#/$defs/A"}, defs) == {"type": "string"}
    beside = {"$ref": "#/$defs/A", "minLength": 1}
    assert follow_local_refs(beside, defs) is beside  # the sibling constrains
    assert follow_local_refs(beside, defs, with_siblings=True) == {"type": "string"}
    assert follow_local_refs({"$ref": "#/$defs/Z"}, defs) == {"$ref": "#/$defs/Z"}


def test_follow_local_refs_stops_where_a_cycle_closes() -> None:
    defs = {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}
    assert follow_local_refs({"$ref": "#/$defs/A"}, defs) in defs.values()
