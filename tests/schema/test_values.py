"""JSON values: the one equality is JSON Schema's, judged by jsonschema itself."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from schemagen.schema.keywords import TYPE_NAMES
from schemagen.schema.values import canonical, json_equal, json_type, written_form
from tests.profiles import LONG

SCALARS = (
    st.none()
    | st.booleans()
    | st.sampled_from([0, 1, -1, 0.0, 1.0, -0.0, 2.5, 2**53, float(2**53), 2**53 + 1, 10**400])
    | st.integers(-3, 3)
    | st.floats(-3, 3, allow_nan=False).map(lambda f: round(f, 1))
    | st.sampled_from(["", "a", "1", "true", "é", "\ud800"])
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "1"]), children, max_size=3)
    ),
    max_leaves=8,
)
PAIRS = st.tuples(JSON, JSON) | JSON.map(lambda v: (v, _floats_for_ints(v)))


def _floats_for_ints(value: Any) -> Any:
    """``value`` with each small integer written as a float: equal, written otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53:
        return float(value)
    if isinstance(value, list):
        return [_floats_for_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _floats_for_ints(v) for k, v in value.items()}
    return value


def _jsonschema_equal(a: Any, b: Any) -> bool:
    # The oracle: a validator's `const` is JSON Schema's equality.
    return bool(jsonschema.Draft202012Validator({"const": a}).is_valid(b))


@settings(max_examples=1000 if LONG else 200, deadline=None, derandomize=not LONG)
@given(PAIRS)
@example((1, 1.0))
@example((True, 1))
@example(([1, {"a": 0}], [1.0, {"a": 0.0}]))
@example((False, 0))
@example((2**53 + 1, float(2**53)))
def test_json_equal_and_canonical_agree_with_jsonschema(pair: tuple[Any, Any]) -> None:
    a, b = pair
    expected = _jsonschema_equal(a, b)
    assert json_equal(a, b) is expected
    assert (canonical(a) == canonical(b)) is expected


def test_written_form_tells_apart_what_is_written_differently() -> None:
    assert json_equal(1, 1.0) and written_form(1) != written_form(1.0)
    assert written_form({"b": 1, "a": [2]}) == written_form({"a": [2], "b": 1})


@given(JSON)
@settings(max_examples=200, deadline=None, derandomize=True)
def test_json_type_is_the_type_jsonschema_checks(value: Any) -> None:
    accepted = {
        name
        for name in TYPE_NAMES
        if jsonschema.Draft202012Validator({"type": name}).is_valid(value)
    }
    kind = json_type(value)
    assert accepted == ({kind, "number"} if kind == "integer" else {kind})


def test_json_type_refuses_what_is_not_json() -> None:
    with pytest.raises(TypeError):
        json_type((1, 2))
