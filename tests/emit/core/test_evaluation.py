"""``core.evaluation``: which keywords evaluate what for unevaluatedProperties/Items
(JSON Schema 2020-12 section 11), written by hand from the specification."""

from __future__ import annotations

from typing import Any

from schemagen.emit.core.evaluation import evaluated


def _at(site: str, tokens: tuple[str | int, ...]) -> str:
    return site + "".join(f"/{t}" for t in tokens)


def _follow(schema: dict[str, Any], keyword: str, site: str) -> tuple[Any, str, Any] | None:
    defs = {"#/$defs/named": {"properties": {"byref": {}}, "$ref": "#/$defs/named"}}
    ref = schema[keyword]
    return (defs[ref], "/$defs/named", ref) if ref in defs else None


def test_in_place_applicators_and_their_conditions() -> None:
    schema = {
        "properties": {"a": {}},
        "patternProperties": {"^x": {}},
        "allOf": [{"properties": {"b": {}}}, {"unevaluatedProperties": False}],
        "anyOf": [{"properties": {"c": {}}}],
        "oneOf": [{"additionalProperties": True}],
        "if": {"properties": {"d": {}}},
        "then": {"properties": {"e": {}}},
        "else": {"properties": {"f": {}}},
        "dependentSchemas": {"g": {"properties": {"h": {}}}},
        "not": {"properties": {"never": {}}},
        "$ref": "#/$defs/named",
        "unevaluatedProperties": False,
    }
    found = evaluated(schema, "", _at, _follow)
    assert sorted(found.names) == ["a", "b", "byref"]  # the reference's cycle: once
    assert found.patterns == ["^x"]
    assert found.all_keys  # allOf's nested unevaluatedProperties evaluates every key
    (c_schema, c_site, c), (o_schema, o_site, o) = found.when_valid
    assert (c_site, c.names, o_site, o.all_keys) == ("/anyOf/0", ["c"], "/oneOf/0", True)
    ((cond, cond_site, chosen, otherwise),) = found.conditions
    assert (cond_site, chosen.names, otherwise.names) == ("/if", ["d", "e"], ["f"])
    ((key, dependent),) = found.dependent
    assert (key, dependent.names) == ("g", ["h"])
    assert "never" not in found.names and not found.static


def test_items() -> None:
    schema = {"prefixItems": [{}, {}], "contains": {"type": "string"}, "anyOf": [{"items": {}}]}
    found = evaluated(schema, "", _at, _follow)
    assert (found.prefix, found.all_items) == (2, False)
    assert [site for _, site in found.contains] == ["/contains"]
    assert found.when_valid[0][2].all_items
    assert evaluated({"items": False}, "", _at, _follow).all_items
