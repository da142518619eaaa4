"""Dropping never rejects more (Python client): a keyword the models cannot translate
(here a ``$ref`` to a document outside the schema, which only the oracle holds) under
``not``, in an ``if``, in a ``oneOf`` branch or under ``contains`` with
``maxContains`` widens the model at the nearest sound place, with a warning naming it;
and for random schemas with a dropped keyword anywhere (``tests/emit/dropping.py``,
shared with the zod tests) the model accepts every value the oracle accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from schemagen.emit.python.client import emit_python_client
from schemagen.manifest import Manifest
from tests.emit import dropping
from tests.emit import zod_differential as zd
from tests.emit.python.test_client import load_module

REMOTE = {"$ref": dropping.REMOTE}  # the oracle: strings of two characters or more

# (schema, a value the schema accepts that the model refused before widening, the
# warning's place and its start)
CONSTRUCTS = {
    "not": ({"not": REMOTE}, "a", "#/not", "dropped"),
    "if": (
        {"if": REMOTE, "then": {"minLength": 2}, "else": {"maxLength": 1}},
        "a",
        "#/if",
        "a part",
    ),
    "oneOf": ({"oneOf": [REMOTE, {"maxLength": 1}]}, "a", "#/oneOf", "a branch"),
    "maxContains": (
        {"contains": REMOTE, "maxContains": 1},
        ["ab", "a"],
        "#/maxContains",
        "ignored",
    ),
    "not-not": ({"not": {"not": REMOTE}}, "ab", "#/not", "dropped"),
}


def _module(schemas: list[Any], tmp_path: Path, name: str) -> tuple[Any, list[str]]:
    manifest = Manifest.from_dict(zd.manifest_for(schemas, name=name))
    text, warnings = emit_python_client(manifest, "tests/dropping")
    return load_module(text, tmp_path, f"dropping_{name}"), [str(w) for w in warnings]


def _accepts(module: Any, index: int, value: Any) -> bool:
    adapter: TypeAdapter[Any] = TypeAdapter(getattr(module, f"F{index:03d}Input"))
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("construct", sorted(CONSTRUCTS))
def test_each_construct_widens_where_it_is_sound(construct: str, tmp_path: Path) -> None:
    schema, value, place, start = CONSTRUCTS[construct]
    assert dropping.accepts(schema, value)
    module, warnings = _module([schema], tmp_path, construct.replace("-", "_"))
    assert any(f"F000Input {place}: {start}" in w for w in warnings), warnings
    assert _accepts(module, 0, value)


def test_if_still_checks_then_or_else(tmp_path: Path) -> None:
    # The condition is unknown, so then OR else: a value neither accepts is refused.
    schema = {"if": REMOTE, "then": {"type": "string"}, "else": {"type": "string"}}
    module, _ = _module([schema], tmp_path, "if_both")
    assert _accepts(module, 0, "a") and not _accepts(module, 0, 1)


def test_random_schemas_accept_every_value_the_oracle_accepts(tmp_path: Path) -> None:
    schemas = dropping.dropped_schemas()
    values = dropping.values()
    module, warnings = _module(schemas, tmp_path, "random")
    assert warnings  # something was dropped
    failures = []
    checked = 0
    for i, schema in enumerate(schemas):
        for value in values:
            if dropping.accepts(schema, value):
                checked += 1
                if not _accepts(module, i, value):
                    failures.append(f"refuses {json.dumps(value)}\n  schema: {json.dumps(schema)}")
    print(f"{len(schemas)} schemas, {checked} valid values, {len(failures)} refused")
    assert checked > len(schemas)
    assert not failures, "\n".join(failures[:10])
