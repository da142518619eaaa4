"""The ``llm-tools`` target: each function as a tool an agent can call.

``openai_tools.json`` is the ``tools`` list of OpenAI's function calling
(``{"type": "function", "function": {"name", "description", "parameters",
"strict"}}``), ``anthropic_tools.json`` Anthropic's (``{"name", "description",
"input_schema"}``). Both take the function's input schema as it is, ``$defs``
and all: a tool's arguments are what the model writes, so what the schema
accepts is what the app accepts.

OpenAI's strict mode keeps to a subset of JSON Schema (``strict``). A function's
tool is strict when its schema fits that subset once the objects a pydantic model
fills with declared properties only are closed (``schema.producer``: a narrowing,
every value of which the app still accepts); otherwise it is not strict, and each
part that keeps it out is a warning. A value JSON cannot hold (pydantic writes
``float("inf")`` as ``Infinity``) is left out of both formats with a warning, and so
is a function whose input is not an object schema (both formats need one). Tool
names are the function names where they fit ``[a-zA-Z0-9_-]{1,64}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from schemagen.emit.core.target import EmitContext, EmitWarning, TargetOutput
from schemagen.emit.llm_tools.naming import tool_names
from schemagen.emit.llm_tools.strict import violations
from schemagen.manifest import Manifest
from schemagen.schema.defs import local_defs
from schemagen.schema.keywords import DATA_KEYWORDS, DEFS_KEYWORDS, SCHEMA_MAPS
from schemagen.schema.pointers import follow_local_refs, join
from schemagen.schema.producer import closable_objects, closed_objects
from schemagen.schema.values import is_json

JsonObject = dict[str, Any]
Warn = Callable[[str, str], None]  # (JSON pointer, what was done)


def emit(manifest: Manifest, context: EmitContext) -> TargetOutput:
    """Both tool files of ``manifest``'s functions, in name order, and the warnings."""
    found: list[EmitWarning] = []
    functions = manifest.sorted_functions()
    names = tool_names([fn.name for fn in functions])
    openai: list[JsonObject] = []
    anthropic: list[JsonObject] = []
    for fn in functions:

        def warn(pointer: str, detail: str, label: str = fn.name) -> None:
            found.append(EmitWarning(f"{label} #{pointer}", detail))

        name = names[fn.name]
        if name != fn.name:
            warn("", f"the tool is named {name!r} (tool names are [a-zA-Z0-9_-]{{1,64}})")
        parameters = object_root(json_only(fn.input_schema, "", warn))
        if parameters is None:
            warn("", "not an object schema, which a tool's input must be; no tool")
            continue
        described = {"description": fn.description} if fn.description else {}
        strict_parameters = closed_objects(parameters, closable_objects(parameters))
        problems = violations(strict_parameters)
        for pointer, detail in problems:
            warn(pointer, f"OpenAI's strict mode {detail}; the OpenAI tool is not strict")
        function = {
            "name": name,
            **described,
            "parameters": parameters if problems else strict_parameters,
            "strict": not problems,
        }
        openai.append({"type": "function", "function": function})
        anthropic.append({"name": name, **described, "input_schema": parameters})
    files = {"openai_tools.json": _json_file(openai), "anthropic_tools.json": _json_file(anthropic)}
    return TargetOutput(files, tuple(found))


def object_root(schema: Any) -> JsonObject | None:
    """``schema`` when it is an object schema; the object schema its bare root
    ``$ref`` names (with the document's ``$defs``, which its references point into),
    as pydantic writes a recursive model; else None."""
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "object":
        return schema
    target = follow_local_refs(schema, local_defs(schema))
    if target is schema or not isinstance(target, dict) or target.get("type") != "object":
        return None
    return {
        **target,
        **{keyword: schema[keyword] for keyword in DEFS_KEYWORDS if keyword in schema},
    }


def json_only(schema: Any, pointer: str, warn: Warn) -> Any:
    """``schema`` without the values JSON cannot hold (``Infinity``, ``NaN``): an
    ``enum`` or ``examples`` member is left out, so is any other keyword holding one
    (a ``const`` becomes an empty ``enum``: no JSON value equals it)."""
    if isinstance(schema, list):
        return [json_only(item, join(pointer, i), warn) for i, item in enumerate(schema)]
    if not isinstance(schema, dict):
        return schema
    out: JsonObject = {}
    for key, value in schema.items():
        here = join(pointer, key)
        if is_json(value):
            out[key] = value
        elif key in ("enum", "examples") and isinstance(value, list):
            out[key] = [member for member in value if is_json(member)]
            warn(here, f"{_text(value)} holds values JSON cannot; they are left out")
        elif key == "const" and not is_json(value):
            out["enum"] = []
            warn(here, f"{_text(value)} is not a JSON value; written as an empty enum")
        elif key in DATA_KEYWORDS or not isinstance(value, (dict, list)):
            warn(here, f"{_text(value)} is not a JSON value; left out")
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: json_only(sub, join(here, name), warn) for name, sub in value.items()}
        else:
            out[key] = json_only(value, here, warn)
    return out


def _text(value: Any) -> str:
    return json.dumps(value, allow_nan=True)


def _json_file(tools: list[JsonObject]) -> bytes:
    return (json.dumps(tools, indent=2) + "\n").encode("ascii")
