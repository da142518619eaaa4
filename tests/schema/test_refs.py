"""``$ref`` / ``$dynamicRef`` resolution in every form (``schema.refs``); expected
places written by hand from the 2020-12 specification's rules."""

from __future__ import annotations

import pytest

from schemagen.schema.refs import DEFAULT_BASE, METASCHEMA, References, RefError, resolve_uri


def _pointer(schema: object, ref: str, base: str = DEFAULT_BASE) -> tuple[str, str]:
    target = References(schema).resolve(ref, base)
    return target.location.document, target.location.pointer


def test_pointers_escapes_and_percent_encoding() -> None:
    schema = {
        "$defs": {"a/b": {"type": "string"}, "t~d": {}, "Café": {}, "%25": {}},
        "properties": {"x": {"items": [1]}},
        "prefixItems": [{"type": "integer"}],
    }
    assert _pointer(schema, "#") == ("", "")
    assert _pointer(schema, "#/$defs/a~1b") == ("", "/$defs/a~1b")
    assert _pointer(schema, "#/$defs/t~0d") == ("", "/$defs/t~0d")
    assert _pointer(schema, "#/$defs/Caf%C3%A9") == ("", "/$defs/Café")
    assert _pointer(schema, "#/$defs/%2525") == ("", "/$defs/%25")
    assert _pointer(schema, "#/prefixItems/0") == ("", "/prefixItems/0")
    with pytest.raises(RefError):
        _pointer(schema, "#/$defs/missing")


def test_ids_anchors_and_urns() -> None:
    schema = {
        "$id": "http://example.com/root.json",
        "$defs": {
            "B": {
                "$id": "other.json",
                "$defs": {"X": {"$id": "t/inner.json"}, "Y": {"$anchor": "bar"}},
            },
            "C": {"$id": "urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed", "$anchor": "u"},
        },
    }
    root = "http://example.com/root.json"
    assert _pointer(schema, "#", root) == ("", "")
    assert _pointer(schema, "other.json", root) == ("", "/$defs/B")
    assert _pointer(schema, "http://example.com/t/inner.json") == ("", "/$defs/B/$defs/X")
    assert _pointer(schema, "other.json#bar", root) == ("", "/$defs/B/$defs/Y")
    assert _pointer(schema, "http://example.com/other.json#/$defs/Y") == ("", "/$defs/B/$defs/Y")
    urn = "urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed"
    assert _pointer(schema, f"{urn}#u") == ("", "/$defs/C")
    assert _pointer(schema, "#u", urn) == ("", "/$defs/C")
    # A base change inside: a relative reference is resolved against the nearest $id.
    refs = References(schema)
    inner = refs.at(refs.resolve("other.json#/$defs/X", root).location)
    assert inner.base == "http://example.com/t/inner.json"
    assert resolve_uri("#/a", "urn:x:y") == "urn:x:y#/a"
    assert resolve_uri("b.json#", "http://e.com/a/c.json") == "http://e.com/a/b.json"


def test_an_id_in_data_names_nothing() -> None:
    schema = {"enum": [{"$id": "https://e.com/x", "$anchor": "a"}]}
    with pytest.raises(RefError):
        _pointer(schema, "https://e.com/x")
    with pytest.raises(RefError):
        _pointer(schema, "#a")


def test_the_metaschema_is_bundled() -> None:
    document, pointer = _pointer({"$ref": METASCHEMA}, METASCHEMA)
    assert (document, pointer) == (METASCHEMA, "")
    refs = References({})
    core = refs.resolve("meta/core", METASCHEMA)
    assert core.location.document == "https://json-schema.org/draft/2020-12/meta/core"
    assert "$dynamicAnchor" in core.schema


def test_dynamic_ref_takes_the_outermost_dynamic_anchor() -> None:
    schema = {
        "$id": "https://e.com/root",
        "$dynamicAnchor": "node",
        "$ref": "list",
        "$defs": {
            "list": {
                "$id": "list",
                "items": {"$dynamicRef": "#node"},
                "$defs": {"default": {"$dynamicAnchor": "node"}},
            },
            "plain": {"$id": "plain", "items": {"$dynamicRef": "#/$defs/x"}, "$defs": {"x": {}}},
        },
    }
    refs = References(schema)
    base = "https://e.com/list"
    inner = refs.dynamic_target("#node", base, ["https://e.com/list"])
    assert inner.location.pointer == "/$defs/list/$defs/default"
    outer = refs.dynamic_target("#node", base, ["https://e.com/root", "https://e.com/list"])
    assert outer.location.pointer == ""
    # A pointer fragment is never dynamic.
    plain = refs.dynamic_target("#/$defs/x", "https://e.com/plain", ["https://e.com/root"])
    assert plain.location.pointer == "/$defs/plain/$defs/x"
    assert refs.uses_dynamic_refs()
    assert refs.dynamic_names("https://e.com/root") == {"node"}
