"""A document's ``$defs``: its entries, what each reaches, and sharing them across
documents.

Several documents (a manifest's inputs, outputs and setup) often hold the same
``$defs`` entry (pydantic writes a model once per document that uses it); a
target that writes one module or one OpenAPI document for all of them keeps such
an entry once. Two entries are the same definition when they have the same name
and they and everything they reach are written identically.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from schemagen.schema.keywords import DEFS_KEYWORDS
from schemagen.schema.pointers import local_ref_name
from schemagen.schema.values import JsonSchema, written_form
from schemagen.schema.walk import schema_nodes


def local_defs(schema: JsonSchema) -> dict[str, Any]:
    """The entries of a document's ``definitions`` and ``$defs`` (``$defs`` wins a name)."""
    found: dict[str, Any] = {}
    if isinstance(schema, dict):
        for keyword in DEFS_KEYWORDS:
            defs = schema.get(keyword)
            if isinstance(defs, dict):
                found.update(defs)
    return found


def refs(schema: JsonSchema) -> Iterator[str]:
    """Every ``$ref`` string inside ``schema``."""
    for node, _ in schema_nodes(schema):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref


def reachable_defs(start: str, local: Mapping[str, Any]) -> dict[str, Any]:
    """``$defs`` entry ``start`` and every entry of ``local`` it refers to, at any depth."""
    found: dict[str, Any] = {}
    todo = [start]
    while todo:
        name = todo.pop()
        if name in found or name not in local:
            continue
        found[name] = local[name]
        todo.extend(n for n in map(local_ref_name, refs(local[name])) if n)
    return found


def definition_identity(name: str, local: Mapping[str, Any]) -> tuple[str, str]:
    """What entry ``name`` of a document's ``local`` defs is, across documents: equal
    identities are one definition (the same name, and it and all it reaches written
    alike: ``1`` and ``1.0`` differ, as generated code writes them differently)."""
    return name, written_form(reachable_defs(name, local))
