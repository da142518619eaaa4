"""The producer view of a schema: what the values a pydantic or zod model writes look like.

A model writes its declared properties only, so an object schema that declares
``properties`` and leaves ``additionalProperties`` out is closed in that view
(``additionalProperties: false``), unless something else decides its keys
(``patternProperties``, ``unevaluatedProperties``, a ``$ref`` or ``allOf`` beside
it, or being an ``allOf`` branch, where closing would refuse its siblings' keys).
An explicit ``additionalProperties: true`` (pydantic ``extra="allow"``) stays
open. The view accepts less than the schema, never more: every value of it is
valid against the schema.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

from schemagen.schema.pointers import resolve_pointer
from schemagen.schema.walk import subschemas

# What, beside ``properties``, keeps an object open in the producer view.
_DECIDES_KEYS = (
    "additionalProperties",
    "patternProperties",
    "unevaluatedProperties",
    "$ref",
    "allOf",
)


def closable_objects(schema: Any) -> Iterator[str]:
    """The pointers of the objects a producer fills with declared properties only."""
    for pointer, node, parent_kw in subschemas(schema):
        if (
            isinstance(node, dict)
            and isinstance(node.get("properties"), dict)
            and parent_kw != "allOf"
            and not any(k in node for k in _DECIDES_KEYS)
        ):
            yield pointer


def closed_objects(schema: Any, pointers: Iterable[str]) -> Any:
    """A copy of ``schema`` with the objects at ``pointers`` closed (itself when none)."""
    pointers = list(pointers)
    if not pointers:
        return schema
    result = copy.deepcopy(schema)
    for pointer in pointers:
        resolve_pointer(result, pointer)["additionalProperties"] = False
    return result
