"""The ``jsonschema`` target: the platform's own schema files and ``manifest.json``."""

from __future__ import annotations

from schemagen.emit.core.target import Target

TARGET = Target(
    name="jsonschema",
    help="the platform's schema files and manifest.json",
    emitter="schemagen.emit.jsonschema.files:emit",
    files=(
        "functions_schema.json",
        "input_schema.json",
        "output_schema.json",
        "setup_schema.json",
        "manifest.json",
    ),
    optional_files=("input_schema.json", "output_schema.json", "setup_schema.json"),
)
