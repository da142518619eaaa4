"""The ``openapi`` target: ``openapi.json``, the platform's task API typed for one app."""

from __future__ import annotations

from schemagen.emit.core.target import Target

TARGET = Target(
    name="openapi",
    help="openapi.json: OpenAPI 3.1 of the platform's task API for this app",
    emitter="schemagen.emit.openapi.document:emit_openapi",
    files=("openapi.json",),
    options=("app_ref",),
)
