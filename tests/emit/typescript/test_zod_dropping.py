"""Dropping never rejects more (zod): a keyword the zod target cannot translate, under
``not``, in an ``if``, in a ``oneOf`` branch or under ``contains`` with ``maxContains``,
widens the code at the nearest sound place, with a warning naming it; and for random
schemas with a dropped keyword anywhere (``tests/emit/dropping.py``) the code accepts
every value the oracle accepts, under zod 3 and zod 4."""

from __future__ import annotations

import json
from typing import Any

import pytest

from schemagen.emit.typescript.zod import emit_zod_module
from schemagen.manifest import Manifest
from tests.emit import dropping
from tests.emit import zod_differential as zd
from tests.emit.node_harness import NodeHarness

UPPER_A = {"type": "string", "pattern": "(?i)^a"}  # Python: "A…" matches; zod drops it

# (schema, a value the schema accepts that the code refused before widening, the
# warning's place and its start)
CONSTRUCTS = {
    "not": ({"not": UPPER_A}, "b", "#/not", "dropped"),
    "if": (
        {"if": UPPER_A, "then": {"maxLength": 1}, "else": {"minLength": 2}},
        "A",
        "#/if",
        "a part",
    ),
    "oneOf": ({"oneOf": [UPPER_A, {"const": "a"}]}, "A", "#/oneOf", "a branch"),
    "maxContains": (
        {"contains": UPPER_A, "maxContains": 1},
        ["a", "b"],
        "#/maxContains",
        "ignored",
    ),
    "not-not": ({"not": {"not": UPPER_A}}, "A", "#/not", "dropped"),  # both nots go
    # unevaluatedProperties reads else's "x": an if that passed would leave it unevaluated.
    "unevaluated-if": (
        {
            "if": {"properties": {"y": UPPER_A}},
            "then": {},
            "else": {"properties": {"x": {}, "y": {}}},
            "unevaluatedProperties": False,
        },
        {"x": 1, "y": "b"},
        "#/if",
        "a part",
    ),
}


def _module(schemas: list[Any], name: str) -> tuple[str, list[str]]:
    module = emit_zod_module(Manifest.from_dict(zd.manifest_for(schemas, name=name)))
    return module.text, [str(w) for w in module.warnings]


@pytest.mark.parametrize("construct", sorted(CONSTRUCTS))
def test_each_construct_widens_where_it_is_sound(construct: str, harness: NodeHarness) -> None:
    schema, value, place, start = CONSTRUCTS[construct]
    assert dropping.accepts(schema, value)
    text, warnings = _module([schema], construct)
    assert any(f"F000Input {place}: {start}" in w for w in warnings), warnings
    response = harness.run({construct: text}, [(construct, "F000Input", [value])])
    assert not response["errors"], response["errors"]
    assert response["verdicts"]["zod3"] == [[True]] and response["verdicts"]["zod4"] == [[True]]


def test_if_still_checks_then_or_else(harness: NodeHarness) -> None:
    # The condition is unknown, so then OR else: a value neither accepts is refused.
    schema = {"if": UPPER_A, "then": {"type": "string"}, "else": {"type": "string"}}
    text, _ = _module([schema], "if-both")
    response = harness.run({"m": text}, [("m", "F000Input", ["A", 1])])
    assert response["verdicts"]["zod3"] == [[True, False]] == response["verdicts"]["zod4"]


def test_random_schemas_accept_every_value_the_oracle_accepts(harness: NodeHarness) -> None:
    schemas = dropping.dropped_schemas()
    values = dropping.values()
    text, warnings = _module(schemas, "dropping")
    assert warnings  # something was dropped
    valid = [[v for v in values if dropping.accepts(s, v)] for s in schemas]
    exports = [f"F{i:03d}Input" for i in range(len(schemas))]
    response = harness.run(
        {"dropping": text},
        [
            ("dropping", e, [zd.js_value(v) for v in vs])
            for e, vs in zip(exports, valid, strict=True)
        ],
    )
    assert not response["errors"], response["errors"]
    failures = []
    for zod in ("zod3", "zod4"):
        for schema, vs, verdicts in zip(schemas, valid, response["verdicts"][zod], strict=True):
            failures += [
                f"[{zod}] refuses {json.dumps(v)}\n  schema: {json.dumps(schema)}"
                for v, verdict in zip(vs, verdicts, strict=True)
                if verdict is not True
            ]
    checked = sum(map(len, valid))
    print(f"{len(schemas)} schemas, {checked} valid values, {len(failures)} refused")
    assert checked > len(schemas)
    assert not failures, "\n".join(failures[:10])
