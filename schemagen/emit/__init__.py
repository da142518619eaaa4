"""Back ends: each reads only a Manifest and returns the files it generates.

``REGISTRY`` lists every target (``core.target.Target``) by the name ``--target``
takes, in the order its help shows them, as ``"module:attribute"`` of the
declaration in the target's folder. A declaration is cheap to import; a target's
code is imported only when it runs (``extract`` and the JSON Schema files never
pay for the code generators), and this module imports nothing until asked.
Adding a target: docs/architecture.md.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemagen.emit.core.target import EmitContext, Emitted, Target
    from schemagen.manifest import Manifest

REGISTRY: Mapping[str, str] = {
    "jsonschema": "schemagen.emit.jsonschema:TARGET",
    "zod": "schemagen.emit.typescript:ZOD",
    "python-client": "schemagen.emit.python:PYTHON_CLIENT",
    "ts-client": "schemagen.emit.typescript:TS_CLIENT",
    "openapi": "schemagen.emit.openapi:TARGET",
    "llm-tools": "schemagen.emit.llm_tools:TARGET",
}
DEFAULT_TARGETS = ("jsonschema",)


def get_target(name: str) -> Target:
    """The declaration of target ``name`` (a key of ``REGISTRY``)."""
    module, _, attribute = REGISTRY[name].partition(":")
    target: Target = getattr(importlib.import_module(module), attribute)
    if target.name != name:
        raise AssertionError(f"REGISTRY[{name!r}] declares the target {target.name!r}")
    return target


def all_targets() -> list[Target]:
    """Every target, in ``REGISTRY`` order."""
    return [get_target(name) for name in REGISTRY]


def declared_files() -> frozenset[str]:
    """Every file some target may write."""
    return frozenset(path for target in all_targets() for path in target.files)


def request_key(names: list[str], context: EmitContext) -> str:
    """What decides the output of ``names`` run with ``context``, as text: the targets
    and the values of the options they read (a cache key)."""
    options = sorted({option for name in names for option in get_target(name).options})
    return json.dumps({"targets": names, **{o: getattr(context, o) for o in options}})


def emit_targets(manifest: Manifest, names: list[str], context: EmitContext) -> Emitted:
    """Run every named back end; the union of their files (a name clash is a bug)."""
    from schemagen.emit.core.target import Emitted

    emitted = Emitted()
    for name in names:
        target = get_target(name)
        output = target.emit(manifest, context)
        emitted.obsolete += [f for f in target.optional_files if f not in output.files]
        for warning in output.warnings:
            message = f"{name}: {warning}"
            if message not in emitted.warnings:
                emitted.warnings.append(message)
        for path, content in output.files.items():
            if path in emitted.files and emitted.files[path] != content:
                raise AssertionError(f"targets disagree on {path}")
            emitted.files[path] = content
    emitted.obsolete = sorted(set(emitted.obsolete) - emitted.files.keys())
    return emitted
