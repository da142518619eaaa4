"""The ``$defs`` of a manifest's schemas, as a code generator needs them.

Shared by every back end that turns JSON Schema into code (zod, Python
models): the keyword families, the schema documents of a manifest, every
``$defs`` entry merged across documents when it (and all it reaches) is
identical, which of them are recursive, and an order that puts dependencies
first.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote

from schemagen.emit.ts_naming import NameAllocator

JsonSchema = Any  # a JSON Schema: a dict or a boolean

# Keywords that only annotate: they never change what validates.
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "$schema",
        "$id",
        "$anchor",
        "$defs",
        "definitions",
        "format",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
        "discriminator",
    }
)
# Validation keywords this back end cannot translate exactly: dropped with a warning.
UNSUPPORTED = frozenset(
    {
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentSchemas",
        "dependencies",
        "$dynamicRef",
        "$dynamicAnchor",
        "$recursiveRef",
        "$recursiveAnchor",
    }
)
TYPE_NAMES = ("null", "boolean", "integer", "number", "string", "array", "object")
STRING_KEYWORDS = ("minLength", "maxLength", "pattern")
NUMBER_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
ARRAY_KEYWORDS = (
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
)
OBJECT_KEYWORDS = (
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
)


@dataclass
class Document:
    """One schema document of the manifest (setup, or a function's input or output)."""

    label: str  # its export name, e.g. "RunInput"; prefixes warnings
    schema: JsonSchema
    owner: str  # Pascal name of its function ("Run"), "App" for setup
    function: str | None  # the function's name; None for setup
    io: Literal["input", "output"]
    local_defs: dict[str, JsonSchema] = field(default_factory=dict)
    # local $defs name -> module binding
    bindings: dict[str, str] = field(default_factory=dict)


@dataclass
class Definition:
    """A named schema of the module, made from one or more identical ``$defs`` entries."""

    name: str
    binding: str
    schema: JsonSchema
    document: Document
    order: int
    depends: set[str] = field(default_factory=set)  # bindings it refers to
    recursive: bool = False
    # What a back end made of it (its own type).
    result: Any = None


def is_number(value: Any) -> bool:
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
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or isinstance(value, float) and value.is_integer():
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def local_ref_name(ref: str) -> str | None:
    for prefix in ("#/$defs/", "#/definitions/"):
        if ref.startswith(prefix) and "/" not in ref[len(prefix) :]:
            token = unquote(ref[len(prefix) :])
            return token.replace("~1", "/").replace("~0", "~")
    return None


# Keywords whose value is a map of names to schemas, and ones whose value is data.
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
DATA_KEYWORDS = ("enum", "const", "default", "examples", "required", "dependentRequired")


def refs(schema: JsonSchema) -> Iterable[str]:
    """Every ``$ref`` string inside ``schema`` (keys of ``properties`` are names, not keywords)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str):
            yield ref
        for key, value in schema.items():
            if key in SCHEMA_MAPS and isinstance(value, dict):
                for sub in value.values():
                    yield from refs(sub)
            elif key not in DATA_KEYWORDS:
                yield from refs(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from refs(item)


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


def merge_definitions(documents: list[Document], names: NameAllocator) -> dict[str, Definition]:
    """Every ``$defs`` entry, merged across documents when it (and all it reaches) is identical."""
    by_identity: dict[tuple[str, str], Definition] = {}
    definitions: dict[str, Definition] = {}
    for document in documents:
        local = document.local_defs
        for name in local:
            identity = (name, canonical(reachable_defs(name, local)))
            existing = by_identity.get(identity)
            if existing is None:
                binding = names.allocate(name, f"{document.owner}{name[:1].upper()}{name[1:]}")
                existing = Definition(name, binding, local[name], document, len(by_identity))
                by_identity[identity] = existing
                definitions[binding] = existing
            document.bindings[name] = existing.binding
    for definition in definitions.values():
        doc = definition.document
        for ref in refs(definition.schema):
            target = local_ref_name(ref)
            if target is not None and target in doc.bindings:
                definition.depends.add(doc.bindings[target])
    mark_recursive(definitions)
    return definitions


def mark_recursive(definitions: dict[str, Definition]) -> None:
    """Flag every definition on a reference cycle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(definitions[node].depends):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in definitions[node].depends:
                for member in component:
                    definitions[member].recursive = True

    for node in sorted(definitions, key=lambda b: definitions[b].order):
        if node not in index:
            visit(node)


def emit_order(definitions: dict[str, Definition]) -> list[Definition]:
    """Dependencies first (cycles aside), otherwise in the order the manifest lists them."""
    done: set[str] = set()
    ordered: list[Definition] = []

    def place(binding: str, path: set[str]) -> None:
        if binding in done or binding in path:
            return
        path.add(binding)
        for dep in sorted(definitions[binding].depends, key=lambda b: definitions[b].order):
            place(dep, path)
        path.discard(binding)
        if binding not in done:
            done.add(binding)
            ordered.append(definitions[binding])

    for definition in sorted(definitions.values(), key=lambda d: d.order):
        place(definition.binding, set())
    return ordered
