"""Back ends: each reads only a Manifest and returns the files it generates.

A target is one module here exposing ``TARGET`` (a ``Target``); ``TARGET_MODULES``
lists them in the order ``--target`` help shows them, and a target's module is
imported only when it runs (``extract`` and the JSON Schema files never pay
for the code generators). Emitters never touch the disk:
``schemagen.output.write_files`` writes what they return, atomically. A keyword
an emitter cannot translate exactly is reported with ``warnings.warn`` as an
``EmitWarning``; ``emit_targets`` collects them for the CLI.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemagen.manifest import Manifest

# Relative path inside the output folder -> exact bytes.
GeneratedFiles = dict[str, bytes]

TARGET_MODULES: Mapping[str, str] = {
    "jsonschema": "schemagen.emit.jsonschema.files",
    "zod": "schemagen.emit.typescript.zod",
    "python-client": "schemagen.emit.python.client",
    "ts-client": "schemagen.emit.typescript.client",
    "openapi": "schemagen.emit.openapi.document",
}
DEFAULT_TARGETS = ("jsonschema",)


class EmitWarning(UserWarning):
    """A schema keyword a back end could not translate exactly, and what it did instead."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.detail = message


@dataclass(frozen=True)
class EmitContext:
    """What an emitter may know besides the manifest (set by the CLI's flags)."""

    app_ref: str | None = None


@dataclass(frozen=True)
class Target:
    name: str
    help: str
    emit: Callable[[Manifest, EmitContext], GeneratedFiles]
    # Files the target writes only for some manifests (setup_schema.json): when
    # it does not write one, a copy left on disk is obsolete.
    optional_files: tuple[str, ...] = ()


@dataclass
class Emitted:
    """What a run of back ends produced: the files, and the warnings they raised."""

    files: GeneratedFiles = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Files these targets own but did not write for this manifest.
    obsolete: list[str] = field(default_factory=list)


def get_target(name: str) -> Target:
    target: Target = importlib.import_module(TARGET_MODULES[name]).TARGET
    return target


def __getattr__(name: str) -> Any:
    if name == "TARGETS":  # every target, imported: for tests and tools, not the CLI
        return {target: get_target(target) for target in TARGET_MODULES}
    raise AttributeError(name)


def emit_targets(manifest: Manifest, names: list[str], context: EmitContext) -> Emitted:
    """Run every named back end; the union of their files (a name clash is a bug)."""
    emitted = Emitted()
    for name in names:
        target = get_target(name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", EmitWarning)
            files = target.emit(manifest, context)
        emitted.obsolete += [f for f in target.optional_files if f not in files]
        for warning in caught:
            if not issubclass(warning.category, EmitWarning):
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
                continue
            message = f"{name}: {warning.message}"
            if message not in emitted.warnings:
                emitted.warnings.append(message)
        for path, content in files.items():
            if path in emitted.files and emitted.files[path] != content:
                raise AssertionError(f"targets disagree on {path}")
            emitted.files[path] = content
    emitted.obsolete = sorted(set(emitted.obsolete) - emitted.files.keys())
    return emitted
