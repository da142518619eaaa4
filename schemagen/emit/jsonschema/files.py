"""The platform's own schema files, byte for byte.

The platform writes each file as ``json.dumps(obj, indent=2)``: two-space
indent, non-ASCII escaped as ``\\uXXXX``, no trailing newline. ``manifest.json``
is schemagen's own and ends with a newline like any text file.
"""

from __future__ import annotations

import json
from typing import Any

from schemagen.emit.core.target import EmitContext, GeneratedFiles, TargetOutput
from schemagen.manifest import Manifest


def platform_json(obj: Any) -> bytes:
    """Encode ``obj`` exactly as the platform's deploy step does."""
    return json.dumps(obj, indent=2).encode("ascii")


def emit_platform_schemas(manifest: Manifest, context: EmitContext) -> GeneratedFiles:
    """functions_schema.json, input/output_schema.json (of ``run``), setup_schema.json."""
    files: GeneratedFiles = {
        "functions_schema.json": platform_json(manifest.platform_functions_schema()),
        "manifest.json": manifest.to_json().encode("utf-8"),
    }
    run = manifest.functions.get("run")
    if run is not None:
        files["input_schema.json"] = platform_json(run.input_schema)
        files["output_schema.json"] = platform_json(run.output_schema)
    if manifest.setup is not None:
        files["setup_schema.json"] = platform_json(manifest.setup)
    return files


def emit(manifest: Manifest, context: EmitContext) -> TargetOutput:
    """The ``jsonschema`` target (it never warns: it writes the schemas as they are)."""
    return TargetOutput(emit_platform_schemas(manifest, context))
