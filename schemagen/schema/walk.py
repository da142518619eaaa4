"""The sub-schemas of a document, two ways.

``subschemas`` visits the places JSON Schema defines as sub-schemas (the
keywords of ``keywords.SCHEMA_*``): what a reasoning about validation (the
diff) may read. ``schema_nodes`` visits every object that is not data (anything
outside ``enum``, ``const``, ``default``, …), unknown keywords included: what a
rewriting of references (OpenAPI components) or a search for them must not miss.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from schemagen.schema.keywords import (
    DATA_KEYWORDS,
    SCHEMA_KEYWORDS,
    SCHEMA_LISTS,
    SCHEMA_MAPS,
)
from schemagen.schema.pointers import join


def subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, Any, str | None]]:
    """Every sub-schema of a document (objects and booleans), itself first:
    (pointer, schema, the keyword it sits under)."""
    stack: list[tuple[str, Any, str | None]] = [(pointer, schema, None)]
    while stack:
        here, node, parent_kw = stack.pop()
        yield here, node, parent_kw
        if not isinstance(node, dict):
            continue
        for kw in SCHEMA_KEYWORDS:
            if isinstance(node.get(kw), (dict, bool)):
                stack.append((join(here, kw), node[kw], kw))
        for kw in SCHEMA_MAPS:
            if isinstance(node.get(kw), dict):
                for name, sub in node[kw].items():
                    stack.append((join(here, kw, name), sub, kw))
        for kw in SCHEMA_LISTS:
            if isinstance(node.get(kw), list):
                for i, sub in enumerate(node[kw]):
                    stack.append((join(here, kw, i), sub, kw))


def schema_nodes(schema: Any, pointer: str = "") -> Iterator[tuple[dict[str, Any], str]]:
    """Every object inside ``schema`` that is not data, itself included, in document
    order, with its pointer (the keys of ``properties`` and the other name maps are
    names, not keywords)."""
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from schema_nodes(item, join(pointer, index))
        return
    if not isinstance(schema, dict):
        return
    yield schema, pointer
    for key, value in schema.items():
        if key in DATA_KEYWORDS:
            continue
        if key in SCHEMA_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from schema_nodes(sub, join(pointer, key, name))
        else:
            yield from schema_nodes(value, join(pointer, key))
