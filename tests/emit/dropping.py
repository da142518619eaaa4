"""Schemas with a keyword a target drops, at a random place: the direction property.

A target that cannot translate a keyword drops it, which must make the code accept
*more*, never less, wherever the keyword sits: under ``not``, in an ``if``, in one
``oneOf`` branch, under ``contains`` with ``maxContains``, beside ``unevaluated*``, at
any depth. Shared by the
zod and the Python client's tests: ``dropped_schemas`` draws such schemas, ``values``
the instances to try, and ``accepts`` is the oracle (Python ``jsonschema``, with the
dropped keywords' real meaning: a Python-dialect pattern as Python reads it, a remote
``$ref`` to a document the oracle holds and no target can see).

Every value the oracle accepts, the generated code must accept.
"""

from __future__ import annotations

from typing import Any

import referencing
from hypothesis import given
from hypothesis import strategies as st

from tests import profiles
from tests.emit import zod_differential as zd

COUNT = 400 if profiles.LONG else 60
REMOTE = "https://schemagen.invalid/remote.json"
# The remote document only the oracle knows: strings of at least two characters.
_REGISTRY: referencing.Registry[Any] = referencing.Registry().with_resource(
    REMOTE,
    referencing.Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "minLength": 2}
    ),
)
# What no target translates: an inline-flag pattern (Python: case-insensitive; ECMA-262
# has no such syntax), a $ref to a document outside the schema.
DROPPED: list[dict[str, Any]] = [
    {"type": "string", "pattern": "(?i)^a"},
    {"$ref": REMOTE},
    {"pattern": "(?i)b$"},
]
LEAVES = st.one_of(
    st.sampled_from(
        [
            {"type": "string"},
            {"type": "integer"},
            {"type": "array"},
            {"type": "object"},
            {"type": "null"},
            {"const": "a"},
            {"enum": ["A", 1]},
            {"minimum": 2},
            {"type": "string", "maxLength": 1},
            {"required": ["x"]},
            True,
            False,
        ]
    ),
    st.sampled_from(DROPPED),
)


def _extend(children: Any) -> Any:
    return st.one_of(
        st.builds(lambda s: {"not": s}, children),
        st.builds(lambda i, t: {"if": i, "then": t}, children, children),
        st.builds(lambda i, e: {"if": i, "else": e}, children, children),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, children, children, children),
        st.builds(lambda a: {"oneOf": a}, st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda a: {"anyOf": a}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda a: {"allOf": a}, st.lists(children, min_size=1, max_size=2)),
        st.builds(
            lambda c, lo, hi: {"contains": c, "minContains": lo, "maxContains": hi},
            children,
            st.integers(0, 1),
            st.integers(1, 2),
        ),
        st.builds(lambda c: {"contains": c, "maxContains": 1}, children),
        st.builds(lambda c: {"type": "array", "items": c}, children),
        st.builds(lambda c: {"properties": {"x": c}}, children),
        st.builds(lambda c: {"additionalProperties": c}, children),
        # What unevaluated* reads of in-place applicators must widen with them.
        st.builds(
            lambda i, t, e: {"if": i, "then": t, "else": e, "unevaluatedProperties": False},
            children,
            children,
            children,
        ),
        st.builds(
            lambda a: {"anyOf": a, "unevaluatedProperties": False},
            st.lists(children, min_size=1, max_size=2),
        ),
        st.builds(lambda c: {"contains": c, "unevaluatedItems": False}, children),
    )


def _has_dropped(schema: Any) -> bool:
    return schema in DROPPED or (
        isinstance(schema, (dict, list))
        and any(_has_dropped(v) for v in (schema.values() if isinstance(schema, dict) else schema))
    )


SCHEMAS = st.recursive(LEAVES, _extend, max_leaves=6).filter(_has_dropped)

# Instances: what the leaves tell apart (case, length, type), nested once or twice.
_SCALARS = st.sampled_from(
    [None, True, 0, 1, 2, 3.5, "", "a", "A", "ab", "Ab", "b", "xb", "XB", "ba", "abc"]
)
VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["x", "y"]), inner, max_size=2),
    ),
    max_leaves=5,
)


def dropped_schemas(count: int = COUNT) -> list[Any]:
    """``count`` schemas, each with at least one dropped keyword somewhere (deterministic
    in the quick profile)."""
    found: list[Any] = []

    @zd.hypothesis_settings(count)
    @given(SCHEMAS)
    def collect(schema: Any) -> None:
        found.append(
            {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
            if isinstance(schema, dict)
            else schema
        )

    collect()
    return found[:count]


def values(count: int = 40) -> list[Any]:
    """``count`` instances, the same for every schema (deterministic in the quick profile)."""
    found: list[Any] = [None, "a", "A", "b", "B", [], ["a"], ["A", "A"], {}, {"x": "A"}]

    @zd.hypothesis_settings(count)
    @given(VALUES)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    unique: list[Any] = []
    for value in found:
        if not any(zd.js_value(value) == zd.js_value(u) and type(u) is type(value) for u in unique):
            unique.append(value)
    return unique


def accepts(schema: Any, value: Any) -> bool:
    """The oracle: whether ``value`` is valid against ``schema``, dropped keywords read
    with their real meaning."""
    validator = zd.OracleValidator(schema, registry=_REGISTRY)
    return bool(validator.is_valid(value))
