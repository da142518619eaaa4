"""The ``$defs`` of a manifest's schemas, as a code generator needs them.

Shared by every back end that turns JSON Schema into code (zod, Python
models): the schema documents of a manifest, every ``$defs`` entry merged across
documents when it (and all it reaches) is identical (``schema.defs``), which of
them are recursive, and an order that puts dependencies first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from schemagen.emit.core.naming import Namer
from schemagen.manifest import Manifest
from schemagen.schema.defs import definition_identity, local_defs, refs
from schemagen.schema.pointers import local_ref_name
from schemagen.schema.values import JsonSchema

# Validation keywords no back end translates exactly: dropped with a warning.
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
    # Where a definition a reference made stands (the back end's Site), else None.
    site: Any = None


def manifest_documents(
    manifest: Manifest, names: Namer, pascal: Callable[[str], str]
) -> list[Document]:
    """The schema documents of ``manifest``, each with its ``$defs``: the setup config
    (``AppSetup``), then each function's input and output (``{Pascal}Input``,
    ``{Pascal}Output``, ``pascal`` making the function's name a type name), their
    labels taken from ``names``."""
    documents: list[Document] = []
    if manifest.setup is not None:
        documents.append(Document(names.allocate("AppSetup"), manifest.setup, "App", None, "input"))
    for fn in manifest.sorted_functions():
        owner = pascal(fn.name)
        io: Literal["input", "output"]
        for io, schema in (("input", fn.input_schema), ("output", fn.output_schema)):
            label = names.allocate(f"{owner}{io.title()}")
            documents.append(Document(label, schema, owner, fn.name, io))
    for document in documents:
        document.local_defs.update(local_defs(document.schema))
    return documents


def merge_definitions(documents: list[Document], names: Namer) -> dict[str, Definition]:
    """Every ``$defs`` entry, merged across documents when it (and all it reaches) is identical."""
    by_identity: dict[tuple[str, str], Definition] = {}
    definitions: dict[str, Definition] = {}
    for document in documents:
        local = document.local_defs
        for name in local:
            identity = definition_identity(name, local)
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
