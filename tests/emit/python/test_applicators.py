"""The in-place applicators and the unevaluated keywords, at random, against ``jsonschema``.

Beyond the official suite's hand-picked groups: random nestings of ``allOf``,
``anyOf``, ``oneOf``, ``if``/``then``/``else``, ``not``, ``dependentSchemas`` and
``$ref`` around ``unevaluatedProperties`` / ``unevaluatedItems`` and the keywords whose
annotations they read (``properties``, ``patternProperties``, ``additionalProperties``,
``prefixItems``, ``items``, ``contains``), at several levels. Every generated model
must give ``jsonschema``'s verdict on every random instance, and a valid one must
dump back to itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from schemagen.emit.python.client import emit_python_client
from schemagen.manifest import Manifest
from tests import profiles
from tests.emit import zod_differential as zd
from tests.emit.python.test_client import disagreement, load_module

SCHEMAS = 1000 if profiles.LONG else 150
VALUES = 300 if profiles.LONG else 60
KEYS = ["a", "b", "c"]
# What evaluates, and can fail on the same value (so that which branch holds matters).
LEAVES = st.sampled_from([
    True, False, {"properties": {"a": {"type": "integer"}}}, {"properties": {"b": True}},
    {"patternProperties": {"^c": {"type": "string"}}},
    {"additionalProperties": {"type": "integer"}},
    {"required": ["a"]}, {"prefixItems": [{"type": "integer"}]}, {"items": {"type": "string"}},
    {"contains": {"type": "string"}}, {"unevaluatedProperties": {"type": "integer"}},
    {"unevaluatedItems": {"type": "integer"}}, {"minItems": 2}, {"$ref": "#/$defs/d"},
    {"type": "object"}, {"type": "array"}, {"dependentSchemas": {"a": {"properties": {"b": True}}}},
])  # fmt: skip
REST = st.sampled_from([False, {"type": "string"}])


def _with(schema: Any, keyword: str, value: Any) -> Any:
    return (
        {**schema, keyword: value}
        if isinstance(schema, dict)
        else {"allOf": [schema], keyword: value}
    )


def _extend(children: Any) -> Any:
    return st.one_of(
        st.builds(lambda x: {"allOf": x}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda x: {"anyOf": x}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda x: {"oneOf": x}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, children, children, children),
        st.builds(lambda x: {"not": x}, children),
        st.builds(lambda k, x: {"dependentSchemas": {k: x}}, st.sampled_from(KEYS), children),
        st.builds(lambda x, u: _with(x, "unevaluatedProperties", u), children, REST),
        st.builds(lambda x, u: _with(x, "unevaluatedItems", u), children, REST),
        st.builds(lambda x: {"properties": {"a": x}}, children),
        st.builds(lambda x: {"items": x}, children),
    )


DEFINITIONS = st.sampled_from(
    [True, {"type": "integer"}, {"properties": {"b": True}}, {"unevaluatedProperties": False}]
)
INSTANCES = st.recursive(
    st.sampled_from([None, 1, "s", True]),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=6,
)


def _draw(strategy: Any, count: int) -> list[Any]:
    found: list[Any] = []

    @zd.hypothesis_settings(count)
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


def test_applicators_and_unevaluated_keywords_agree_with_jsonschema(tmp_path: Path) -> None:
    # Each schema asks what its applicators evaluate: an unevaluated keyword on top.
    tree = st.recursive(LEAVES, _extend, max_leaves=5)
    unevaluated = st.sampled_from(["unevaluatedProperties", "unevaluatedItems"])
    # ... or a function's input model (a class of its own) with applicators beside.
    model = st.builds(
        lambda applied, rest: {"type": "object", "properties": {"b": {"type": "integer"}},
                               "dependentSchemas": {"a": applied},
                               "unevaluatedProperties": rest},
        tree, REST,
    )  # fmt: skip
    pairs = st.tuples(st.one_of(st.builds(_with, tree, unevaluated, REST), model), DEFINITIONS)
    schemas = [_with(s, "$defs", {"d": d}) for s, d in _draw(pairs, SCHEMAS)]
    instances = _draw(INSTANCES, VALUES)
    text, warnings = emit_python_client(
        Manifest.from_dict(zd.manifest_for(schemas, name="applicators")), "tests/applicators"
    )
    assert not warnings, warnings
    path = tmp_path / "applicators_client.py"
    path.write_text(text, encoding="utf-8")
    for args in (  # deep nesting, laid out as ruff format would; no lint
        ["check", "--isolated", "--select", "E,F,W,I,B,UP", "--ignore", "E501"],
        ["format", "--isolated", "--check", "--diff"],
    ):
        ruff = subprocess.run(
            [sys.executable, "-m", "ruff", *args, str(path)], capture_output=True, text=True
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    module = load_module(text, tmp_path, "applicators_client")
    problems = []
    for i, schema in enumerate(schemas):
        adapter: TypeAdapter[Any] = TypeAdapter(getattr(module, f"F{i:03d}Input"))
        oracle = jsonschema.Draft202012Validator(schema)
        for instance in instances:
            problem = disagreement(adapter, oracle, instance)
            if problem is not None:
                problems.append(f"{problem} of {json.dumps(schema)}")
    assert len(schemas) * len(instances) > 1000
    assert not problems, "\n".join(problems[:20])
