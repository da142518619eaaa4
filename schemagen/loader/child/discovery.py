"""Function discovery and schema generation, by the platform's rules (SPEC.md §2).

Runs inside the loader's child process, on the imported app module. It reads
class attributes only: no App instance is created and no method is called.
"""

from __future__ import annotations

import collections.abc
import inspect
import os
import re
import sys
import types
import typing
import warnings as pywarnings
from dataclasses import dataclass
from typing import Any

import pydantic
from pydantic import BaseModel

from schemagen.loader.child import field_errors, positions, stubs

# Methods the platform never exposes as functions.
LIFECYCLE = frozenset({"setup", "unload"})
STREAMING_ORIGINS = (
    collections.abc.AsyncGenerator,
    collections.abc.Generator,
    collections.abc.AsyncIterator,
    collections.abc.Iterator,
)
# Classes whose methods are never functions. The SDK's are not among them: the
# platform discovers BaseApp's own ``run(BaseAppInput) -> BaseAppOutput`` in an
# App that defines none.
FRAMEWORK_MODULES = ("pydantic",)
FUNCTION_META_ATTR = "__inferencesh_function__"
APP_PACKAGE = field_errors.APP_PACKAGE
CONTAMINATION_HINT = "install that module, or drop --stub/--stub-all for it"


class ChildError(Exception):
    """An error to report to the parent: message, location, hint."""

    def __init__(
        self,
        message: str,
        *,
        kind: str = "app",
        file: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.fields = {
            "kind": kind,
            "message": message,
            "file": file,
            "line": line,
            "hint": hint,
            "detail": detail,
        }

    def as_dict(self) -> dict[str, Any]:
        return dict(self.fields)


@dataclass
class Warning_:
    message: str
    file: str | None = None
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "file": self.file, "line": self.line}


def source_location(obj: Any) -> tuple[str | None, int | None]:
    """File and first line of a class or function, when Python knows them."""
    target = inspect.unwrap(obj) if callable(obj) else obj
    try:
        file = inspect.getsourcefile(target)
        _, line = inspect.getsourcelines(target)
    except (OSError, TypeError):
        return None, None
    return file, line or None


def find_app_class(module: types.ModuleType, name: str | None) -> type:
    """``App``, else the single BaseApp subclass, else an error."""
    if name is not None:
        candidate = module.__dict__.get(name)
        if not isinstance(candidate, type):
            raise ChildError(
                f"--app-class {name}: no class of that name in the entrypoint",
                file=module.__file__,
            )
        return candidate
    candidate = module.__dict__.get("App")
    if isinstance(candidate, type):
        return candidate
    base_apps = sorted(
        (
            value
            for value in module.__dict__.values()
            if isinstance(value, type)
            and value.__module__ == module.__name__
            and any(k.__name__ == "BaseApp" for k in value.__mro__[1:])
        ),
        key=lambda k: k.__name__,
    )
    if len(base_apps) == 1:
        return base_apps[0]
    if base_apps:
        names = ", ".join(k.__name__ for k in base_apps)
        raise ChildError(
            f"several BaseApp subclasses ({names}) and none is named App",
            file=module.__file__,
            hint="choose one with --app-class NAME",
        )
    raise ChildError(
        "no App class: expected a class named App or a single BaseApp subclass",
        file=module.__file__,
        hint="choose one with --app-class NAME",
    )


def _is_model(value: Any) -> typing.TypeGuard[type[BaseModel]]:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _defining_class(app_class: type, name: str) -> type:
    return next(k for k in app_class.__mro__ if name in k.__dict__)


def _is_framework(klass: type) -> bool:
    module = klass.__module__ or ""
    return klass is object or module.split(".")[0] in FRAMEWORK_MODULES


def _streamed_model(hint: Any) -> type[BaseModel] | None:
    """The model a generator annotation yields, or None.

    Later SDKs stream deltas before the final output,
    ``AsyncGenerator[Union[LLMDelta, AppOutput], None]``; the platform writes
    the output model then (the one member that is not a delta).
    """
    origin = typing.get_origin(hint)
    if origin in STREAMING_ORIGINS:
        args = typing.get_args(hint)
        if args and _is_model(args[0]):
            return args[0]
        if args and typing.get_origin(args[0]) in (typing.Union, types.UnionType):
            outputs = [m for m in typing.get_args(args[0]) if not _is_delta(m)]
            if len(outputs) == 1 and _is_model(outputs[0]):
                return outputs[0]
    return None


def _is_delta(member: Any) -> bool:
    """A streamed delta type of the SDK (``LLMDelta``), real or the bundled surface's stand-in."""
    path = stubs.stub_path_of(member)
    if path is not None:
        return path.endswith("Delta")
    return isinstance(member, type) and any(k.__name__.endswith("Delta") for k in member.__mro__)


@dataclass
class Discovered:
    name: str
    method: Any
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    streaming: bool


def _first_param(method: Any) -> inspect.Parameter | None:
    try:
        params = list(inspect.signature(method).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return positional[1] if len(positional) >= 2 else None


def _resolve_hints(method: Any) -> dict[str, Any]:
    return typing.get_type_hints(method)


def discover_functions(app_class: type, warnings: list[Warning_]) -> list[Discovered]:
    """Every public method whose first argument and result are pydantic models."""
    found = []
    for name in sorted(dir(app_class)):
        if name.startswith("_") or name in LIFECYCLE:
            continue
        if _is_framework(_defining_class(app_class, name)):
            continue
        raw = inspect.getattr_static(app_class, name)
        if isinstance(raw, (staticmethod, classmethod, property)) or not callable(raw):
            continue
        param = _first_param(raw)
        if param is None:
            continue
        declared = getattr(raw, "__annotations__", {}) or {}
        try:
            hints = _resolve_hints(raw)
        except Exception as exc:  # noqa: BLE001 - any failure to resolve is reported
            if declared:
                file, line = source_location(raw)
                warnings.append(
                    Warning_(
                        f"App.{name} is not exposed as a function: its type hints cannot be "
                        f"resolved ({type(exc).__name__}: {exc})",
                        file,
                        line,
                    )
                )
            continue
        input_model = hints.get(param.name)
        if not _is_model(input_model):
            _check_stub_hint(name, "input", input_model, raw)
            continue
        result = hints.get("return")
        streamed = _streamed_model(result)
        if streamed is not None:
            output_model, streaming = streamed, True
        elif _is_model(result):
            output_model, streaming = result, False
        else:
            _check_stub_hint(name, "output", result, raw)
            file, line = source_location(raw)
            warnings.append(
                Warning_(
                    f"App.{name} takes a model but is not exposed as a function: its return "
                    "annotation is not a pydantic model or a generator of one",
                    file,
                    line,
                )
            )
            continue
        found.append(Discovered(name, raw, input_model, output_model, streaming))
    return found


@dataclass
class Compiled:
    """What ``compile_manifest`` gives: the manifest, warnings, and the classes behind them."""

    manifest: dict[str, Any]
    warnings: list[dict[str, Any]]
    functions: list[Discovered]
    setup_model: type[BaseModel] | None
    app_class: type


_BUNDLED_SDK_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "sdk", ""
)


@dataclass(frozen=True)
class StubSource:
    """Where a stub in a schema came from, as the messages say it."""

    value: str  # "the stubbed module 'torch' (torch.float16)"
    base: str  # "'torch.nn.Module' of the stubbed module 'torch'"
    hint: str


def stub_source(origin: str) -> StubSource:
    """``origin`` (a stub's dotted path) in a person's terms, with what to do about it."""
    top = origin.split(".")[0]
    if top == APP_PACKAGE:
        # A module of the app's own that is not in its folder.
        local = origin.removeprefix(APP_PACKAGE + ".")
        module = _stub_module_of(origin).removeprefix(APP_PACKAGE + ".") or local
        where = f"the app's own module '{module}', which is missing"
        return StubSource(
            f"{where} ({local})",
            f"'{local}' of {where}",
            f"add {module.replace('.', '/')}.py to the app folder; was it left out of the "
            "repository?",
        )
    sdk = sys.modules.get("inferencesh")
    if top == "inferencesh" and str(getattr(sdk, "__file__", "")).startswith(_BUNDLED_SDK_DIR):
        # The name the app imported: "Stream" of the stub path "inferencesh.Stream[]".
        name = re.split(r"[.\[(]", origin.removeprefix("inferencesh."))[0]
        where = f"the bundled inferencesh surface (0.7.15), which has no {name}"
        return StubSource(
            where,
            f"{name} of {where}",
            "the app is written for another inferencesh version: install that version "
            "and use --sdk installed",
        )
    return StubSource(
        f"the stubbed module '{top}' ({origin})",
        f"'{origin}' of the stubbed module '{top}'",
        CONTAMINATION_HINT,
    )


def _stub_module_of(origin: str) -> str:
    """The longest prefix of ``origin`` that is a stubbed module (the rest are attributes)."""
    parts = origin.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if isinstance(sys.modules.get(name), stubs.StubModule):
            return name
    return ""


def _check_stub_hint(name: str, side: str, hint: Any, method: Any) -> None:
    origin = stubs.find_stub(hint)
    if origin is not None:
        file, line = source_location(method)
        source = stub_source(origin)
        raise ChildError(
            f"App.{name}: its {side} type comes from {source.value}",
            kind="contamination",
            file=file,
            line=line,
            hint=source.hint,
        )


def discover_setup_model(app_class: type) -> type[BaseModel] | None:
    """The model annotating ``setup``'s config parameter, if there is one."""
    raw = inspect.getattr_static(app_class, "setup", None)
    if raw is None or not callable(raw):
        return None
    param = _first_param(raw)
    if param is None:
        return None
    try:
        hints = _resolve_hints(raw)
    except Exception as exc:  # noqa: BLE001
        file, line = source_location(raw)
        raise ChildError(
            f"App.setup: its type hints cannot be resolved ({type(exc).__name__}: {exc})",
            file=file,
            line=line,
        ) from None
    model = hints.get(param.name)
    if _is_model(model):
        return model
    _check_stub_hint("setup", "config", model, raw)
    return None


def function_metadata(method: Any) -> dict[str, Any]:
    """``@inferencesh.function`` metadata (credentials, annotations), when declared."""
    target = method
    while target is not None:
        meta = getattr(target, FUNCTION_META_ATTR, None)
        if isinstance(meta, dict):
            return {k: meta[k] for k in ("credentials", "annotations") if k in meta}
        target = getattr(target, "__wrapped__", None)
    return {}


def model_schema(model: type[BaseModel], role: str) -> dict[str, Any]:
    """``model.model_json_schema()``, refusing anything a stub reached."""
    _check_model_tree(model, role, set())
    with pywarnings.catch_warnings():
        pywarnings.simplefilter("error", category=_json_schema_warning())
        try:
            schema = model.model_json_schema()
        except Exception as exc:  # noqa: BLE001
            kind = type(exc).__name__
            if kind == "PydanticUndefinedAnnotation" or (
                getattr(exc, "code", None) == "class-not-fully-defined"
            ):
                message = f"{model.__name__}: a type hint cannot be resolved: {_first_line(exc)}"
            elif type(exc).__module__.startswith("pydantic") or isinstance(
                exc, _json_schema_warning()
            ):
                field = field_errors.json_schema_failure(model, str(exc))
                file, line = source_location(model)
                if field is not None:
                    where = source_location(field.owner)[0] if field.owner else file
                    raise ChildError(
                        field.message, file=where, line=field.line or line, hint=field.hint
                    ) from None
                message = f"{model.__name__}: unsupported field type: {_first_line(exc)}"
            else:
                text = field_errors.in_app_terms(str(exc))
                message = f"{model.__name__}: generating its JSON Schema failed: {kind}: {text}"
            file, line = source_location(model)
            raise ChildError(message, file=file, line=line) from None
    origin = stubs.find_stub(schema)
    if origin is not None:
        file, line = source_location(model)
        source = stub_source(origin)
        raise ChildError(
            f"{model.__name__} ({role}): its schema would contain a value from "
            f"{source.value}; {_schema_path(schema)}",
            kind="contamination",
            file=file,
            line=line,
            hint=source.hint,
        )
    return schema


def _json_schema_warning() -> type[Warning]:
    from pydantic.json_schema import PydanticJsonSchemaWarning

    return PydanticJsonSchemaWarning


def _first_line(exc: BaseException) -> str:
    text = field_errors.in_app_terms(str(exc)).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    return text.split("For further information visit")[0].strip()


def _schema_path(schema: Any, pointer: str = "") -> str:
    """A readable JSON pointer to the first stub value inside ``schema``."""
    if stubs.stub_path_of(schema) is not None:
        return f"at {pointer or '/'}"
    items: list[tuple[str, Any]] = []
    if isinstance(schema, dict):
        items = [(str(k), v) for k, v in schema.items()]
    elif isinstance(schema, list):
        items = [(str(i), v) for i, v in enumerate(schema)]
    for key, value in items:
        if stubs.find_stub(value) is not None:
            return _schema_path(value, f"{pointer}/{key}")
    return f"at {pointer or '/'}"


def _check_model_tree(model: type[BaseModel], role: str, seen: set[type]) -> None:
    """Find stubs in a model's bases, field types, defaults and constraints."""
    if model in seen:
        return
    seen.add(model)
    for klass in model.__mro__:
        origin = klass.__dict__.get("__schemagen_stub__")
        if isinstance(origin, str):
            file, line = source_location(model)
            source = stub_source(origin)
            raise ChildError(
                f"{model.__name__} ({role}) derives from {source.base}; its fields cannot be known",
                kind="contamination",
                file=file,
                line=line,
                hint=source.hint,
            )
    for field_name, info in model.model_fields.items():
        parts = {
            "type": info.annotation,
            "default": info.default,
            "constraints": list(info.metadata),
            "description": info.description,
            "title": info.title,
            "examples": info.examples,
            "json_schema_extra": info.json_schema_extra,
        }
        for what, value in parts.items():
            origin = stubs.find_stub(value)
            if origin is not None:
                file, line = source_location(model)
                source = stub_source(origin)
                raise ChildError(
                    f"{model.__name__}.{field_name} ({role}): its {what} comes from {source.value}",
                    kind="contamination",
                    file=file,
                    line=positions.field_line(model, field_name) or line,
                    hint=source.hint,
                )
        for nested in _models_in(info.annotation):
            _check_model_tree(nested, role, seen)


def _models_in(hint: Any) -> list[type[BaseModel]]:
    if _is_model(hint):
        return [hint]
    found = []
    for arg in typing.get_args(hint):
        found.extend(_models_in(arg))
    return found


def compile_manifest(
    module: types.ModuleType,
    *,
    app_dir: str,
    entrypoint: str,
    app_class_name: str | None,
    sdk: dict[str, Any],
    stubbed: set[str],
) -> Compiled:
    """The manifest dict of an imported app module, discovery warnings, what was found."""
    warnings: list[Warning_] = []
    app_class = find_app_class(module, app_class_name)
    functions = discover_functions(app_class, warnings)
    if not functions:
        file, line = source_location(app_class)
        raise ChildError(
            f"{app_class.__name__} has no functions: no public method takes a pydantic model "
            "and returns one (or a generator of one)",
            file=file,
            line=line,
            hint="; ".join(w.message for w in warnings)
            or "annotate run(self, input_data: AppInput) -> AppOutput",
        )
    entries: dict[str, Any] = {}
    for fn in functions:
        entry: dict[str, Any] = {
            "description": inspect.getdoc(getattr(app_class, fn.name)) or "",
            "input_schema": model_schema(fn.input_model, f"input of {fn.name}"),
            "output_schema": model_schema(fn.output_model, f"output of {fn.name}"),
        }
        entry.update(function_metadata(fn.method))
        entry["streaming"] = fn.streaming
        entries[fn.name] = entry
    setup_model = discover_setup_model(app_class)
    manifest = {
        "format": "schemagen-manifest",
        "format_version": 1,
        "app": {
            "name": os.path.basename(app_dir),
            "language": "python",
            "entrypoint": os.path.relpath(entrypoint, app_dir),
            "app_class": app_class.__name__,
            "origin": "app",
            "sdk": sdk,
            "pydantic_version": pydantic.VERSION,
            # A missing module of the app's own package is named as the app names it.
            "stubbed_modules": sorted({name.removeprefix(APP_PACKAGE + ".") for name in stubbed}),
        },
        "setup": model_schema(setup_model, "setup") if setup_model is not None else None,
        "functions": entries,
    }
    return Compiled(manifest, [w.as_dict() for w in warnings], functions, setup_model, app_class)
