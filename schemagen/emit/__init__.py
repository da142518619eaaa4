"""Back ends: each reads only a Manifest and returns the files it generates.

A target is one module here exposing ``TARGET`` (a ``Target``); ``TARGETS``
lists them in the order ``--target`` help shows them. Emitters never touch the
disk: ``schemagen.output.write_files`` writes what they return, atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from schemagen.manifest import Manifest

# Relative path inside the output folder -> exact bytes.
GeneratedFiles = dict[str, bytes]


@dataclass(frozen=True)
class EmitContext:
    """What an emitter may know besides the manifest (set by the CLI's flags)."""

    app_ref: str | None = None


@dataclass(frozen=True)
class Target:
    name: str
    help: str
    emit: Callable[[Manifest, EmitContext], GeneratedFiles]


def _targets() -> Mapping[str, Target]:
    from schemagen.emit import jsonschema, py_client, ts_client, zod

    found = [jsonschema.TARGET, zod.TARGET]
    found += [py_client.TARGET, ts_client.TARGET]
    return {t.name: t for t in found}


TARGETS: Mapping[str, Target] = _targets()
DEFAULT_TARGETS = ("jsonschema",)


def emit_targets(manifest: Manifest, names: list[str], context: EmitContext) -> GeneratedFiles:
    """Run every named back end; the union of their files (a name clash is a bug)."""
    files: GeneratedFiles = {}
    for name in names:
        for path, content in TARGETS[name].emit(manifest, context).items():
            if path in files and files[path] != content:
                raise AssertionError(f"targets disagree on {path}")
            files[path] = content
    return files
