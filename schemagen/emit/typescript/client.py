"""The ``ts-client`` back end: ``client.ts``, a typed client of one app over ``schemas.ts``.

It builds on the zod target's registry (``functions`` and ``setup`` of
``./schemas.js``, which this target writes too): one method per function, its input
typed ``z.input`` of the function's input schema and checked with it before
anything is sent, its output parsed with the output schema; a streaming function
returns an ``AsyncIterable`` of outputs. It takes an ``@inferencesh/sdk`` client (or
anything with the same ``run``) and reads the task's updates through ``onUpdate``.

Naming: the class is ``{Pascal(app name)}Client``; a method keeps its function's
name when that is a valid, free TypeScript identifier, else a sanitised one (reserved
words get ``_``, clashes a number); functions are always addressed by their exact
names (string keys of the registry).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.emit.core.target import EmitContext, TargetOutput
from schemagen.emit.typescript import zod
from schemagen.emit.typescript.naming import (
    PROTOTYPE_KEYS,
    NameAllocator,
    jsdoc,
    pascal_case,
    split_lines,
    string_literal,
)
from schemagen.manifest import Manifest
from schemagen.templates import environment

# Public members of the generated class (its helpers are #private), the keys of
# Object.prototype, and `then` (a client with a then method is a thenable: awaiting it,
# or returning it from an async function, would call that app function): a method
# never takes these names.
CLASS_MEMBERS = frozenset({"constructor", "appRef", "then"}) | PROTOTYPE_KEYS


@dataclass(frozen=True)
class Method:
    method: str
    key: str  # the function's name as a TS string literal
    streaming: bool
    doc: str


def _method_name(name: str) -> str:
    """The function's own name when it is one identifier, else its words joined by ``_``."""
    parts = [p for p in "".join(c if c.isalnum() or c in "_$" else " " for c in name).split()]
    candidate = "_".join(parts) or "fn"
    if candidate[0].isdigit():
        candidate = "fn_" + candidate
    return candidate


def method_names(manifest: Manifest) -> dict[str, str]:
    """Function name -> the client method that calls it."""
    methods = NameAllocator(CLASS_MEMBERS)
    return {fn.name: methods.allocate(_method_name(fn.name)) for fn in manifest.sorted_functions()}


def emit_ts_client(manifest: Manifest, app_ref: str) -> str:
    """The text of ``client.ts`` for ``manifest`` (it imports ``./schemas.js``,
    the name Node.js ESM and bundlers both resolve to ``schemas.ts``)."""
    client = pascal_case(manifest.app.name or "App") + "Client"
    if client[0] == "_":
        client = "App" + client.lstrip("_")
    names = method_names(manifest)
    found: list[Method] = []
    for fn in manifest.sorted_functions():
        lines = [fn.description] if fn.description else []
        if fn.streaming:
            lines += ([""] if lines else []) + ["Streams its outputs as they arrive."]
        found.append(
            Method(names[fn.name], string_literal(fn.name), fn.streaming, jsdoc(lines, "  "))
        )
    example = ""
    if found:
        first = found[0]
        example = (
            f"for await (const output of app.{first.method}({{ … }})) console.log(output);"
            if first.streaming
            else f"const output = await app.{first.method}({{ … }});"
        )
    template = environment().get_template("ts_client/client.ts.j2")
    return template.render(
        # A line comment ends at any line terminator: the app's name keeps to one line.
        source=" ".join(split_lines(manifest.app.name or "manifest")),
        app_ref=string_literal(app_ref),
        app_ref_doc=app_ref.replace("*/", "*\\/").replace("`", "'"),
        client=client,
        example=example,
        has_setup=manifest.setup is not None,
        functions=found,
        any_call=any(not m.streaming for m in found),
        any_stream=any(m.streaming for m in found),
    )


def emit(manifest: Manifest, context: EmitContext) -> TargetOutput:
    """The ``ts-client`` target: ``client.ts`` and the ``schemas.ts`` it builds on (the
    zod target's file, byte for byte: both targets together write it once)."""
    assert context.app_ref is not None  # a required option
    schemas = zod.emit(manifest, context)
    files = {**schemas.files, "client.ts": emit_ts_client(manifest, context.app_ref).encode()}
    return TargetOutput(files, schemas.warnings)
