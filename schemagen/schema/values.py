"""JSON values as JSON Schema sees them: their type, and its one notion of equality.

JSON Schema compares numbers by value (``1`` equals ``1.0``) and never equates a
boolean with a number (``true`` is not ``1``); arrays and objects compare
deeply. ``json_equal`` decides it and ``canonical`` is a text that equal values
(and only they) share, for sets and dictionary keys. ``written_form`` is no
equality: it tells apart documents written differently (``1`` and ``1.0``),
which generated code would write differently too.
"""

from __future__ import annotations

import json
import math
from typing import Any

JsonSchema = Any  # a JSON Schema: a dict or a boolean


def is_number(value: Any) -> bool:
    """A JSON number (booleans are not numbers)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_finite_number(value: Any) -> bool:
    """A JSON number that is finite (an int always is, even one beyond any double)."""
    return is_number(value) and (isinstance(value, int) or math.isfinite(value))


def is_json(value: Any) -> bool:
    """Whether ``value`` is JSON data: pydantic writes ``float("inf")`` as ``Infinity``,
    which no JSON value is (nor can a literal in generated code be)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(is_json(item) for item in value)
    if isinstance(value, dict):
        return all(is_json(item) for item in value.values())
    return True


def json_type(value: Any) -> str:
    """The JSON type of a value, ``integer`` for integral numbers (as jsonschema)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {value!r}")


def json_equal(a: Any, b: Any) -> bool:
    """JSON Schema equality: 1 == 1.0, True != 1, deep for arrays and objects."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if is_number(a) and is_number(b):
        return bool(a == b)
    return type(a) is type(b) and bool(a == b)


def _normal(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return int(value)
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    return value


def canonical(value: Any) -> str:
    """Canonical text of a JSON value: equal values (1 and 1.0 too) give equal text."""
    return json.dumps(_normal(value), sort_keys=True, ensure_ascii=False)


def written_form(value: Any) -> str:
    """Canonical text of a JSON value as written: 1 and 1.0 differ (keys are sorted)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
