"""The manifest: schemagen's IR, the only thing that crosses from front end to back ends.

A manifest is a JSON document (format ``schemagen-manifest``, version
``FORMAT_VERSION``) described by ``manifest.schema.json`` beside this file::

    {
      "format": "schemagen-manifest",
      "format_version": 1,
      "app": {"name": ..., "language": "python", "entrypoint": "inference.py",
              "app_class": "App", "sdk": {"source": "bundled", "version": "0.7.15"},
              "pydantic_version": "2.14.4", "stubbed_modules": ["torch"]},
      "setup": {...JSON Schema...} | null,
      "functions": {"run": {"description": "", "input_schema": {...},
                            "output_schema": {...}, "streaming": false}, ...}
    }

``functions`` minus the schemagen-only keys (``SCHEMAGEN_FUNCTION_KEYS``) is
exactly the platform's ``functions_schema.json``.

A manifest loaded from an app for ``schemagen diff`` also knows where the app
declares each function, model and field (``Manifest.sources``). That part is
never written: line numbers would make a committed manifest stale at every edit.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from schemagen.errors import ManifestError, not_json

FORMAT = "schemagen-manifest"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("manifest.schema.json")

# Keys of a function entry that the platform's functions_schema.json does not have.
SCHEMAGEN_FUNCTION_KEYS = ("streaming",)

SdkSource = Literal["bundled", "installed", "none", "unknown"]
Language = Literal["python", "node", "unknown"]
Origin = Literal["app", "manifest", "functions_schema", "schema_files"]

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class SdkInfo:
    """Which inferencesh surface the app was compiled against."""

    source: SdkSource
    version: str | None = None


@dataclass(frozen=True)
class AppInfo:
    """Where the manifest came from and how it was compiled."""

    name: str | None
    language: Language
    entrypoint: str | None
    app_class: str | None
    sdk: SdkInfo
    pydantic_version: str | None = None
    stubbed_modules: tuple[str, ...] = ()
    origin: Origin = "app"
    # Node.js apps: the zod their schemas were built with (theirs, else schemagen's).
    zod_version: str | None = None


@dataclass(frozen=True)
class Function:
    """One callable function of an app, as the platform describes it."""

    name: str
    description: str
    input_schema: JsonObject
    output_schema: JsonObject
    streaming: bool = False
    credentials: list[Any] | None = None
    annotations: dict[str, Any] | None = None
    # "stream" for a function that takes a socket (the platform writes it after description).
    kind: str | None = None

    def platform_entry(self) -> JsonObject:
        """This function's entry in the platform's functions_schema.json."""
        entry: JsonObject = {"description": self.description}
        if self.kind is not None:
            entry["kind"] = self.kind
        entry["input_schema"] = self.input_schema
        entry["output_schema"] = self.output_schema
        if self.credentials is not None:
            entry["credentials"] = self.credentials
        if self.annotations is not None:
            entry["annotations"] = self.annotations
        return entry


@dataclass(frozen=True)
class Declared:
    """Where a function, model or enum is declared; for a model, each field's line too."""

    file: str  # relative to the app folder, '/'-separated
    line: int
    fields: Mapping[str, int] = field(default_factory=dict)  # property name -> line


@dataclass(frozen=True)
class FunctionSource:
    """Where a function is declared, and the models of its input and output."""

    at: Declared | None
    # Schema location ("#" for the model itself, "#/$defs/Name") -> its declaration.
    input: Mapping[str, Declared]
    output: Mapping[str, Declared]


@dataclass(frozen=True)
class Sources:
    """Where an app declares what its manifest describes."""

    app_dir: str  # as the user names it: relative to the current folder when inside it
    functions: Mapping[str, FunctionSource]
    setup: Mapping[str, Declared]

    def path(self, declared: Declared) -> str:
        """The declaring file as the user names it."""
        return declared.file if self.app_dir == "." else f"{self.app_dir}/{declared.file}"

    @classmethod
    def from_dict(cls, data: JsonObject, *, app_dir: str) -> Sources:
        """From the loader child's ``sources`` reply (files relative to ``app_dir``)."""

        def declared(entry: JsonObject) -> Declared:
            return Declared(entry["file"], entry["line"], entry.get("fields", {}))

        def models(entries: JsonObject) -> dict[str, Declared]:
            return {location: declared(entry) for location, entry in entries.items()}

        functions = {
            name: FunctionSource(
                at=declared(entry["at"]) if entry["at"] else None,
                input=models(entry["input"]),
                output=models(entry["output"]),
            )
            for name, entry in data["functions"].items()
        }
        return cls(
            app_dir=app_dir.replace(os.sep, "/") or ".",
            functions=functions,
            setup=models(data["setup"]),
        )


@dataclass(frozen=True)
class Manifest:
    """An app's whole API: setup schema and every function's schemas."""

    app: AppInfo
    setup: JsonObject | None
    functions: Mapping[str, Function] = field(default_factory=dict)
    # Known when loaded from an app with positions asked for; never serialised.
    sources: Sources | None = field(default=None, compare=False, repr=False)

    def sorted_functions(self) -> list[Function]:
        return [self.functions[name] for name in sorted(self.functions)]

    def platform_functions_schema(self) -> JsonObject:
        """The platform's functions_schema.json content, functions sorted by name."""
        return {fn.name: fn.platform_entry() for fn in self.sorted_functions()}

    def to_dict(self) -> JsonObject:
        functions: JsonObject = {}
        for fn in self.sorted_functions():
            entry = fn.platform_entry()
            entry["streaming"] = fn.streaming
            functions[fn.name] = entry
        app: JsonObject = {
            "name": self.app.name,
            "language": self.app.language,
            "entrypoint": self.app.entrypoint,
            "app_class": self.app.app_class,
            "origin": self.app.origin,
            "sdk": {"source": self.app.sdk.source, "version": self.app.sdk.version},
            "pydantic_version": self.app.pydantic_version,
        }
        if self.app.zod_version is not None:
            app["zod_version"] = self.app.zod_version
        app["stubbed_modules"] = sorted(self.app.stubbed_modules)
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app": app,
            "setup": self.setup,
            "functions": functions,
        }

    def to_json(self) -> str:
        """Canonical text of the manifest (deterministic, ends with a newline)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<manifest>", trusted: bool = False) -> Manifest:
        """Validate ``data`` against the manifest JSON Schema and build a Manifest.

        ``trusted`` skips the validation for manifests schemagen's own loader
        just produced (its tests validate those against the schema).
        """
        if not trusted:
            validate_manifest(data, source=source)
        app = data["app"]
        functions = {
            name: Function(
                name=name,
                description=entry["description"],
                input_schema=entry["input_schema"],
                output_schema=entry["output_schema"],
                streaming=entry.get("streaming", False),
                credentials=entry.get("credentials"),
                annotations=entry.get("annotations"),
                kind=entry.get("kind"),
            )
            for name, entry in data["functions"].items()
        }
        return cls(
            app=AppInfo(
                name=app.get("name"),
                language=app["language"],
                entrypoint=app.get("entrypoint"),
                app_class=app.get("app_class"),
                sdk=SdkInfo(source=app["sdk"]["source"], version=app["sdk"].get("version")),
                pydantic_version=app.get("pydantic_version"),
                stubbed_modules=tuple(app.get("stubbed_modules", ())),
                origin=app.get("origin", "manifest"),
                zod_version=app.get("zod_version"),
            ),
            setup=data["setup"],
            functions=functions,
        )

    @classmethod
    def from_functions_schema(
        cls,
        data: Any,
        *,
        setup: JsonObject | None = None,
        source: str = "<functions_schema.json>",
        name: str | None = None,
    ) -> Manifest:
        """Build a manifest from the platform's functions_schema.json content."""
        validate_functions_schema(data, source=source)
        functions = {
            fn_name: Function(
                name=fn_name,
                description=entry.get("description", ""),
                input_schema=entry["input_schema"],
                output_schema=entry["output_schema"],
                credentials=entry.get("credentials"),
                annotations=entry.get("annotations"),
                kind=entry.get("kind"),
            )
            for fn_name, entry in data.items()
        }
        return cls(
            app=AppInfo(
                name=name,
                language="unknown",
                entrypoint=None,
                app_class=None,
                sdk=SdkInfo(source="unknown"),
                origin="functions_schema",
            ),
            setup=setup,
            functions=functions,
        )


@cache
def manifest_json_schema() -> JsonObject:
    """The JSON Schema every manifest is validated against."""
    result: JsonObject = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return result


def _validate(data: Any, schema: JsonObject, *, source: str, what: str) -> None:
    import jsonschema  # imported lazily: extraction alone never needs it

    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        pointer = "/" + "/".join(str(p) for p in error.absolute_path)
        raise ManifestError(
            f"not a valid {what}: at {pointer}: {error.message}",
            file=source,
            hint="regenerate it with `schemagen extract`" if what == "manifest" else None,
        )


def validate_manifest(data: Any, *, source: str = "<manifest>") -> None:
    """Raise ManifestError unless ``data`` is a manifest of a version we read."""
    if isinstance(data, dict) and data.get("format") == FORMAT:
        version = data.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise ManifestError(
                f"manifest format version {version} is newer than this schemagen reads "
                f"({FORMAT_VERSION})",
                file=source,
                hint="upgrade schemagen",
            )
    _validate(data, manifest_json_schema(), source=source, what="manifest")


def validate_functions_schema(data: Any, *, source: str) -> None:
    """Raise ManifestError unless ``data`` has the shape of functions_schema.json."""
    schema = manifest_json_schema()
    wrapper: JsonObject = {
        "$defs": schema["$defs"],
        "type": "object",
        "additionalProperties": {"$ref": "#/$defs/platform_function"},
    }
    _validate(data, wrapper, source=source, what="functions_schema.json")


def load_manifest_file(path: Path) -> Manifest:
    """Read a manifest file, or a platform functions_schema.json, from disk."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(f"cannot read: {exc.strerror}", file=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise not_json(exc, str(path)) from None
    if isinstance(data, dict) and "format" in data:
        return Manifest.from_dict(data, source=str(path))
    setup = None
    setup_path = path.with_name("setup_schema.json")
    if setup_path.is_file():
        try:
            setup = json.loads(setup_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise not_json(exc, str(setup_path)) from None
    return Manifest.from_functions_schema(
        data, setup=setup, source=str(path), name=path.resolve().parent.name
    )
