"""The Python client's models: every ``$defs`` entry and root type of a manifest as
pydantic v2 models (or aliases) whose validation agrees with Python's ``jsonschema``.

Each definition shared by several documents is written once (``core.definitions``);
a recursive one is rebuilt once every name exists; a function's input or output that
is an object is always a class, even without properties (its fields are the client
method's keywords). The translation itself: ``model_translator`` (``PyTranslator``),
``model_objects`` and ``model_code``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from schemagen.emit.core.definitions import (
    Definition,
    Document,
    emit_order,
    manifest_documents,
    merge_definitions,
)
from schemagen.emit.core.target import EmitWarning
from schemagen.emit.python.model_code import (
    RUNTIME_NAMES,
    Block,
    ModelClass,
    ModelField,
    Site,
    TypeAlias,
    is_model_schema,
    is_plain_model,
    schema_doc,
)
from schemagen.emit.python.model_translator import PyTranslator
from schemagen.emit.python.naming import RESERVED_MODULE_NAMES, NameAllocator, pascal_case
from schemagen.manifest import Manifest
from schemagen.schema.values import JsonSchema


@dataclass
class Root:
    """A function's input or output (or the setup config) as the client sees it."""

    label: str
    document: Document
    is_model: bool  # a class (else a type alias, validated through a TypeAdapter)
    fields: list[ModelField] = field(default_factory=list)


@dataclass
class ModelModule:
    """The models part of the generated module."""

    blocks: list[Block]
    roots: dict[tuple[str | None, str], Root]  # (function or None for setup, io) -> root
    helpers: set[str]
    warnings: list[EmitWarning]
    names: NameAllocator


class _DefinitionNames:
    """The module's names, for ``merge_definitions``: a definition is named as a class
    (``pascal_case``) by Python's rules (a ``Namer``)."""

    def __init__(self, names: NameAllocator) -> None:
        self._names = names

    def allocate(self, wanted: str, *alternatives: str) -> str:
        return self._names.allocate(
            pascal_case(wanted, "Model"), *(pascal_case(a, "Model") for a in alternatives)
        )


def translate_manifest(manifest: Manifest, reserved: Iterable[str]) -> ModelModule:
    """Every model, alias and root type of ``manifest``'s setup and functions."""
    names = NameAllocator(RESERVED_MODULE_NAMES, taken=[*reserved, *RUNTIME_NAMES])
    documents = manifest_documents(manifest, names, lambda name: pascal_case(name, "Function"))
    definitions = merge_definitions(documents, _DefinitionNames(names))
    translator = PyTranslator(names, _DefinitionNames(names))
    translator.definitions = definitions
    blocks: list[Block] = []
    for definition in emit_order(definitions):
        site = Site(definition.document, f"/$defs/{definition.name}", definition.binding)
        blocks.extend(
            _named(translator, definition.binding, definition.schema, site, definition.recursive)
        )
    roots: dict[tuple[str | None, str], Root] = {}
    for document in documents:
        site = Site(document, "", document.label)
        made = _named(translator, document.label, document.schema, site, False, root=True)
        blocks.extend(made)
        own = made[-1]
        is_model = isinstance(own, ModelClass) or _aliases_model(own, definitions)
        fields = _root_fields(own, blocks, definitions)
        roots[document.function, document.io] = Root(document.label, document, is_model, fields)
    # What references other than to a $defs entry name (a pointer, an anchor, an $id,
    # the metaschema, a $dynamicRef's target in its scope): classes, placed before
    # what names them.
    targets: list[Block] = []
    while (target := translator.next_target()) is not None:
        assert isinstance(target.site, Site)
        targets.extend(_named(translator, target.binding, target.schema, target.site, True))
    blocks = _ordered([*targets, *blocks])
    for block in blocks:
        if isinstance(block, ModelClass) and block.root is None:
            block.rebuild = block.rebuild or bool(
                definitions.get(block.name, None) and definitions[block.name].recursive
            )
    return ModelModule(blocks, roots, translator.helpers, translator.warnings, names)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LAZY = "_Lazy(lambda:"


def _eager(expr: str) -> str:
    """``expr`` without its ``_Lazy(lambda: …)`` parts (evaluated on first use only)."""
    out: list[str] = []
    i = 0
    while (start := expr.find(_LAZY, i)) >= 0:
        out.append(expr[i:start])
        depth, j, quote = 0, start + len("_Lazy"), ""
        while j < len(expr):
            ch = expr[j]
            j += 1
            if quote:  # a string literal's brackets are text (its escapes skipped)
                if ch == "\\":
                    j += 1
                elif ch == quote:
                    quote = ""
                continue
            if ch in "\"'":
                quote = ch
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0:
                break
        i = j
    out.append(expr[i:])
    return "".join(out)


def _ordered(blocks: list[Block]) -> list[Block]:
    """``blocks`` in their order, except that a block comes after every block its
    module-level code names at import time (an alias's type, a RootModel's root): a
    reference resolved through an ``$id`` or a pointer can name a definition emitted
    later. Class bodies and ``_Lazy`` types are read later, and stay as they are."""
    names = {b.name for b in blocks}
    needs: dict[str, set[str]] = {}
    for block in blocks:
        eager = block.expr if isinstance(block, TypeAlias) else None
        if isinstance(block, ModelClass) and block.root is not None and not block.rebuild:
            eager = block.root
        found = set(_NAME.findall(_eager(eager))) if eager else set()
        needs[block.name] = (found & names) - {block.name}
    placed: set[str] = set()
    ordered: list[Block] = []
    pending = list(blocks)
    while pending:
        ready = next((b for b in pending if needs[b.name] <= placed), pending[0])
        pending.remove(ready)
        ordered.append(ready)
        placed.add(ready.name)
    return ordered


def _aliases_model(block: Block, definitions: Mapping[str, Definition]) -> bool:
    return (
        isinstance(block, TypeAlias)
        and block.expr in definitions
        and is_model_schema(definitions[block.expr].schema)
    )


def _root_fields(
    own: Block, blocks: list[Block], definitions: Mapping[str, Definition]
) -> list[ModelField]:
    target = own.expr if isinstance(own, TypeAlias) else own.name
    for block in blocks:
        if isinstance(block, ModelClass) and block.name == target and block.root is None:
            return block.fields
    return []


def _named(
    translator: PyTranslator,
    name: str,
    schema: JsonSchema,
    site: Site,
    recursive: bool,
    root: bool = False,
) -> list[Block]:
    """The block(s) naming ``schema`` ``name``: a class, or an alias (after the inline
    classes its translation made). A function's input or output (``root``) that is an
    object is always a class, even without properties: its fields are keywords."""
    start = len(translator.blocks)
    if is_plain_model(schema, root):
        checks = translator.applicator_checks(schema, site)  # (their classes come first)
        translator.model_class(schema, site, name)
        made = translator.blocks[start:]
        del translator.blocks[start:]
        own = made.pop()
        assert isinstance(own, ModelClass)
        own.checks.extend(checks)
        own.rebuild = recursive
        return [*made, own]
    result = translator.translate(schema, site)
    made = translator.blocks[start:]
    del translator.blocks[start:]
    doc = schema_doc(schema, "")
    if recursive:
        # A recursive type that is not a plain object model: a RootModel class.
        model = ModelClass(name, doc=schema_doc(schema, "    "), root=result.annotation())
        model.rebuild = True
        return [*made, model]
    return [*made, TypeAlias(name, result.annotation(), doc)]
