"""The zod back end: ``schemas.ts``, zod schemas accepting exactly what the JSON Schemas accept.

The module imports ``z`` from "zod" and uses only the API zod 3 (>= 3.23) and
zod 4 share, so one file type-checks and validates the same under both.

Layout: every ``$defs`` entry once, as an exported named schema (shared between
functions when identical, renamed when two schemas use one name for different
things; recursive ones through ``z.lazy`` with a declared type); per function
``{Pascal}Input`` / ``{Pascal}Output`` with their types; ``AppSetup``; and the
``functions`` / ``setup`` registry.

Translation: ``zod_translator`` (``ZodTranslator``), ``zod_objects`` and
``zod_code``. Every keyword of 2020-12's applicator, validation and unevaluated
vocabularies is translated (the official suite's verdicts, tests/emit/typescript/
test_zod_suite.py); a ``$ref``/``$dynamicRef`` target that is not a ``$defs`` entry
named as one (a pointer, an anchor, an ``$id``, the bundled metaschema) is a
``z.lazy`` definition of its own, before the rest. A keyword with no exact
translation (a ``$ref`` to another document, a pattern ECMAScript cannot compile, …)
is dropped, which can only make the zod schema accept *more* (the constructs where
that would refuse more widen instead: ``core.translator``), and reported as an
``EmitWarning`` naming the schema path; ``emit_zod_module`` returns them.

Known differences that remain (tested in tests/emit/typescript/test_zod.py):
zod 4 skips an own ``__proto__`` key of ``.catchall()`` objects (its
prototype-pollution guard), so such a key is neither validated nor returned (a
free-form object, ``.passthrough()``, accepts it under both zods and returns the
rest without it).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.emit.core.definitions import emit_order, manifest_documents, merge_definitions
from schemagen.emit.core.target import EmitContext, EmitWarning, TargetOutput
from schemagen.emit.typescript.naming import (
    NameAllocator,
    jsdoc,
    line_comment,
    pascal_case,
    property_key,
    string_literal,
)
from schemagen.emit.typescript.zod_code import Site, Zod, doc_lines
from schemagen.emit.typescript.zod_translator import HELPERS, ZodTranslator
from schemagen.manifest import Manifest
from schemagen.schema.values import JsonSchema
from schemagen.templates import environment


@dataclass(frozen=True)
class ZodModule:
    """The generated ``schemas.ts`` text and the warnings its translation raised."""

    text: str
    warnings: tuple[EmitWarning, ...]


@dataclass(frozen=True)
class NamedSchema:
    doc: str
    name: str
    annotation: str
    expr: str
    type: str


@dataclass(frozen=True)
class RegistryEntry:
    doc: str
    key: str
    input: str
    output: str
    streaming: str
    description: str


def _named(
    translator: ZodTranslator,
    name: str,
    schema: JsonSchema,
    site: Site,
    type_alias: str,
    recursive: bool,
    def_name: str | None = None,
) -> tuple[NamedSchema, Zod]:
    result = translator.translate(schema, site)
    code = result.code
    description = schema.get("description") if isinstance(schema, dict) else None
    if isinstance(description, str) and description:
        code += f".describe({string_literal(description)})"
    doc = jsdoc(doc_lines(schema, def_name or name, False))
    if recursive:
        lazy = NamedSchema(doc, name, f": z.ZodType<{name}>", f"z.lazy(() => {code})", result.ts)
        return lazy, result
    return NamedSchema(doc, name, "", code, type_alias), result


def emit_zod_module(manifest: Manifest, *, source: str | None = None) -> ZodModule:
    """The zod module for ``manifest``: its ``schemas.ts`` text and any warnings."""
    names = NameAllocator(["z", "functions", "setup", *HELPERS, "ObjectRules"])
    documents = manifest_documents(manifest, names, pascal_case)
    definitions = merge_definitions(documents, names)
    translator = ZodTranslator(names)
    translator.definitions = definitions
    blocks: list[NamedSchema] = []
    for definition in emit_order(definitions):
        site = Site(definition.document, f"/$defs/{definition.name}")
        named, definition.result = _named(
            translator,
            definition.binding,
            definition.schema,
            site,
            f"z.output<typeof {definition.binding}>",
            definition.recursive,
            definition.name,
        )
        blocks.append(named)
    roots = [
        _named(translator, d.label, d.schema, Site(d), f"z.{d.io}<typeof {d.label}>", False)[0]
        for d in documents
    ]
    # What references name beyond $defs entries, each once (through z.lazy: before
    # everything, as anything may use them).
    targets: list[NamedSchema] = []
    while (target := translator.next_target()) is not None:
        named, target.result = _named(
            translator,
            target.binding,
            target.schema,
            target.site,
            f"z.output<typeof {target.binding}>",
            True,
            target.name,
        )
        targets.append(named)
    labels = {(d.function, d.io): d.label for d in documents}
    entries = [
        RegistryEntry(
            doc=jsdoc([fn.description] if fn.description else [], "  "),
            key=property_key(fn.name),
            input=labels[fn.name, "input"],
            output=labels[fn.name, "output"],
            streaming="true" if fn.streaming else "false",
            description=string_literal(fn.description),
        )
        for fn in manifest.sorted_functions()
    ]
    setup = labels.get((None, "input"), "null")
    template = environment().get_template("zod/schemas.ts.j2")
    text = template.render(
        source=line_comment(source or manifest.app.name or "manifest"),
        helper_names=[h for h in HELPERS if h in translator.helpers],
        definitions=targets + blocks,
        roots=roots,
        functions=entries,
        setup=setup,
    )
    return ZodModule(text, tuple(translator.warnings))


def emit(manifest: Manifest, context: EmitContext) -> TargetOutput:
    """The ``zod`` target: ``schemas.ts``, and a warning per untranslatable keyword."""
    module = emit_zod_module(manifest)
    return TargetOutput({"schemas.ts": module.text.encode("utf-8")}, module.warnings)
