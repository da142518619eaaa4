"""OpenAI's strict mode: the subset of JSON Schema a function's parameters keep to for
``"strict": true`` (Structured Outputs, "Supported schemas" in OpenAI's guide).

- the root is an object schema, and no ``anyOf`` there;
- every object closes (``additionalProperties: false``) and requires all its
  properties (an optional one is written as required and nullable, by the app);
- every schema says what it is (``type``, ``anyOf``, ``enum``, ``const`` or ``$ref``)
  and uses only the keywords of the subset: ``type``, ``properties``, ``required``,
  ``additionalProperties``, ``items``, ``enum``, ``const``, ``anyOf``, ``$defs``
  (``definitions``) and ``$ref`` (to them or ``#``, alone); for strings ``pattern``
  and ``format`` (one of ``STRICT_FORMATS``); for numbers ``minimum``, ``maximum``,
  ``exclusiveMinimum``, ``exclusiveMaximum``, ``multipleOf``; for arrays
  ``minItems``, ``maxItems``; and the annotations ``title``, ``description`` and
  ``default`` (which OpenAI's own SDK sends as pydantic writes them);
- at most ``MAX_PROPERTIES`` properties and ``MAX_ENUM_VALUES`` enum values in all.

Not checked: the nesting depth (10 levels) and the total length of names and enum
values (120,000 characters), which no app's input comes near. A pattern must be
ECMA-262 as written (one in Python's dialect is reported).
"""

from __future__ import annotations

from typing import Any

from schemagen.emit.core.patterns import is_ecma_pattern
from schemagen.schema.pointers import join, local_ref_name, tokens
from schemagen.schema.walk import subschemas

STRICT_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "anyOf",
        "$ref",
        "$defs",
        "definitions",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "title",
        "description",
        "default",
    }
)
STRICT_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
)
# What says what a schema is (one without any of them accepts anything).
_KINDS = ("type", "anyOf", "enum", "const", "$ref")
MAX_PROPERTIES = 5000
MAX_ENUM_VALUES = 1000

Violation = tuple[str, str]  # (JSON pointer, what strict mode cannot say there)


def violations(schema: Any) -> list[Violation]:
    """Every part of ``schema`` (a function's parameters) outside strict mode's subset,
    in document order; none when the tool can be strict."""
    found: list[Violation] = []
    if not isinstance(schema, dict) or schema.get("type") != "object":
        found.append(("", "needs an object schema at the root"))
    elif "anyOf" in schema:
        found.append(("/anyOf", "has no anyOf at the root"))
    properties = enum_values = 0
    visits = sorted(subschemas(schema), key=lambda visit: _document_order(schema, visit[0]))
    for pointer, node, keyword in visits:
        if not isinstance(node, dict):
            if not (keyword == "additionalProperties" and node is False):
                found.append((pointer, "has no boolean schemas"))
            continue
        found += _node_violations(pointer, node)
        declared = node.get("properties")
        properties += len(declared) if isinstance(declared, dict) else 0
        enum = node.get("enum")
        enum_values += len(enum) if isinstance(enum, list) else 0
    if properties > MAX_PROPERTIES:
        found.append(("", f"takes at most {MAX_PROPERTIES} properties ({properties} here)"))
    if enum_values > MAX_ENUM_VALUES:
        found.append(("", f"takes at most {MAX_ENUM_VALUES} enum values ({enum_values} here)"))
    return found


def _document_order(schema: Any, pointer: str) -> tuple[int, ...]:
    """Where ``pointer`` stands in ``schema`` as written: the position of each of its
    keys among its siblings (``subschemas`` visits them last first)."""
    order: list[int] = []
    node = schema
    for token in tokens(pointer):
        if isinstance(node, list):
            order.append(int(token))
            node = node[int(token)]
        else:
            order.append(list(node).index(token))
            node = node[token]
    return tuple(order)


def _node_violations(pointer: str, node: dict[str, Any]) -> list[Violation]:
    found: list[Violation] = []
    if not any(kind in node for kind in _KINDS):
        found.append((pointer, "needs a type (or anyOf, enum, const, $ref) on every schema"))
    for keyword in node:
        if keyword not in STRICT_KEYWORDS:
            found.append((join(pointer, keyword), f"has no {keyword} keyword"))
    declared = node.get("type")
    types = declared if isinstance(declared, list) else [declared]
    if "object" in types or "properties" in node:
        properties = node.get("properties")
        names = list(properties) if isinstance(properties, dict) else []
        if node.get("additionalProperties") is not False:
            what = "needs every object closed" if names else "has no free-form objects"
            found.append((pointer, f"{what} (additionalProperties: false)"))
        required = node.get("required")
        optional = [n for n in names if not isinstance(required, list) or n not in required]
        if optional:
            listed = ", ".join(optional)
            found.append((pointer, f"needs every property required (optional: {listed})"))
    fmt = node.get("format")
    if "format" in node and fmt not in STRICT_FORMATS:
        found.append((join(pointer, "format"), f"has no format {fmt!r}"))
    pattern = node.get("pattern")
    if isinstance(pattern, str) and not is_ecma_pattern(pattern):
        found.append((join(pointer, "pattern"), "needs ECMA-262 patterns (this one is Python's)"))
    ref = node.get("$ref")
    if "$ref" in node:
        if not isinstance(ref, str) or (ref != "#" and local_ref_name(ref) is None):
            found.append((join(pointer, "$ref"), "has no $ref but to #/$defs entries or #"))
        elif set(node) - {"$ref"}:
            found.append((join(pointer, "$ref"), "has no $ref beside other keywords"))
    return found
