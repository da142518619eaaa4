"""The OpenAPI back end: ``openapi.json``, the platform's task API typed for one app.

An OpenAPI 3.1 document, whose schemas are JSON Schema 2020-12: each function's
input and output schema and the setup schema go in as the manifest has them,
but for their ``$defs``. A ``$ref`` inside a component resolves against the
whole document, not the component, so every ``$defs`` entry becomes a component
of its own (once when several schemas hold it identically, renamed
``{Owner}{Name}`` when they hold different schemas under one name) and every
``#/$defs/…`` reference points there (a ``discriminator``'s ``mapping`` too); any
other pointer into a source schema (``#``, ``#/properties/…``) points at the same
place in its component. ``tests/emit/openapi/test_document.py`` checks that each component
accepts exactly what its source schema accepts.

The operations are the ones the official SDKs use to run a task (see
``schemagen.serve.server``): ``POST /apps/run`` with one request shape per
function (``{app, function, input, setup}``), ``GET /tasks/{id}`` and
``POST /tasks/{id}/cancel``, answered in the ``{"data": …}`` envelope, with the
API key as a bearer token. The base URL is the SDKs' default.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from schemagen.emit.core.naming import UNICODE_LETTERS, pascal_words
from schemagen.emit.core.patterns import is_ecma_pattern
from schemagen.emit.core.target import EmitContext, EmitWarning, TargetOutput
from schemagen.manifest import Manifest
from schemagen.schema.defs import definition_identity, local_defs, reachable_defs, refs
from schemagen.schema.keywords import DATA_KEYWORDS, DEFS_KEYWORDS, SCHEMA_MAPS
from schemagen.schema.pointers import escape, local_ref_name
from schemagen.schema.walk import schema_nodes

SERVER = "https://api.inference.sh"  # the official SDKs' default base URL
COMPONENT_REF = "#/components/schemas/"
API_COMPONENTS = ("AppRunRequest", "Task", "TaskResponse", "Problem")
TASK_STATUSES = "1 received, 6 setting up, 7 running, 10 completed, 11 failed, 12 cancelled"
_NOT_IN_KEY = re.compile(r"[^A-Za-z0-9._-]")  # what an OpenAPI component name may not hold
_ECMA_SPECIAL = re.compile(r"[.^$*+?()\[\]{}|\\/]")  # escaped in a pattern (ECMA-262)

JsonObject = dict[str, Any]


class Components:
    """``components.schemas``: unique names, and one entry per distinct ``$defs`` schema."""

    def __init__(self) -> None:
        self.schemas: JsonObject = {}
        self._by_content: dict[tuple[str, ...], str] = {}

    def name(self, wanted: str, *alternatives: str) -> str:
        """The first free valid name of ``wanted`` and ``alternatives``, else ``wanted2``…"""
        cleaned = [_component_key(w) for w in (wanted, *alternatives)]
        for candidate in cleaned:
            if candidate not in self.schemas:
                self.schemas[candidate] = None  # reserved; filled in by add
                return candidate
        n = 2
        while f"{cleaned[0]}{n}" in self.schemas:
            n += 1
        self.schemas[f"{cleaned[0]}{n}"] = None
        return f"{cleaned[0]}{n}"

    def add_document(self, name: str, owner: str, schema: Any) -> None:
        """``schema`` as component ``name`` (allocated), its ``$defs`` hoisted beside it."""
        if not isinstance(schema, dict):
            self.schemas[name] = schema
            return
        local = local_defs(schema)
        names: dict[str, str] = {}
        # A $defs entry is shared when it and every entry it reaches are identical, and
        # none of them points into its document elsewhere than at a $defs entry ("#").
        for key in local:
            into_document = any(
                ref.startswith("#") and local_ref_name(ref) is None
                for ref in refs(reachable_defs(key, local))
            )
            identity = (*definition_identity(key, local), name if into_document else "")
            shared = self._by_content.get(identity)
            if shared is None:
                shared = self.name(key, f"{owner}{key[:1].upper()}{key[1:]}")
                self._by_content[identity] = shared
            names[key] = shared
        for key, target in names.items():
            if self.schemas[target] is None:
                self.schemas[target] = _rewrite(local[key], names, name)
        body = {k: v for k, v in schema.items() if k not in DEFS_KEYWORDS}
        self.schemas[name] = _rewrite(body, names, name)


def function_component_base(name: str) -> str:
    """What a function's components are named after: its words in Pascal case
    (``generate_image``: ``GenerateImageInput``, ``GenerateImageOutput``, …)."""
    return pascal_words(name, UNICODE_LETTERS) or "Schema"


def _component_key(name: str) -> str:
    """``name`` as a component name: accents dropped from letters ("Élan": "Elan"), then
    what OpenAPI does not allow in one."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NOT_IN_KEY.sub("", ascii_name) or "Schema"


def _rewrite(schema: Any, names: dict[str, str], root: str) -> Any:
    """``schema`` with every local ``$ref`` pointing at its component (data left as is):
    ``names`` are the components of the ``$defs`` entries, ``root`` the document's."""
    if isinstance(schema, list):
        return [_rewrite(item, names, root) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: JsonObject = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = _rewrite_ref(value, names, root)
        elif key == "discriminator" and isinstance(value, dict):
            # OpenAPI reads a mapping's values as references too (pydantic: "#/$defs/Cat").
            out[key] = _rewrite_discriminator(value, names, root)
        elif key in DATA_KEYWORDS:
            out[key] = value  # data, whatever keys it has
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _rewrite(sub, names, root) for name, sub in value.items()}
        else:
            out[key] = _rewrite(value, names, root)
    return out


def _rewrite_ref(ref: str, names: dict[str, str], root: str) -> str:
    """``ref`` at the place it names in the source document, now in the components."""
    target = local_ref_name(ref)
    if target in names:
        return COMPONENT_REF + names[target]
    if ref != "#" and not ref.startswith("#/"):
        return ref  # elsewhere, or an anchor
    # A JSON pointer ("#": the document itself): a bare "#" in a component would be the
    # whole OpenAPI document.
    pointer = ref[1:]
    for prefix in (f"/{keyword}/" for keyword in DEFS_KEYWORDS):
        if pointer.startswith(prefix):
            head, _, rest = pointer[len(prefix) :].partition("/")
            key = local_ref_name(f"#{prefix}{head}")
            if key in names:
                return f"{COMPONENT_REF}{names[key]}/{rest}"
    return COMPONENT_REF + root + pointer


def _rewrite_discriminator(
    discriminator: JsonObject, names: dict[str, str], root: str
) -> JsonObject:
    """``discriminator`` with each ``mapping`` value, a ``$defs`` reference or a bare
    ``$defs`` name (to OpenAPI, a component name), pointing at that entry's component."""
    mapping = discriminator.get("mapping")
    if not isinstance(mapping, dict):
        return discriminator

    def target(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return COMPONENT_REF + names[value] if value in names else _rewrite_ref(value, names, root)

    return {**discriminator, "mapping": {tag: target(v) for tag, v in mapping.items()}}


def _ref(name: str) -> JsonObject:
    return {"$ref": COMPONENT_REF + name}


def openapi_document(manifest: Manifest, app_ref: str | None) -> JsonObject:
    """The OpenAPI 3.1 document of ``manifest``'s functions behind the platform's API."""
    components = Components()
    # The API's own names first, so that a $defs entry called "RunInput" is renamed.
    names = component_names(manifest, components)
    run_request, task, envelope, problem = (components.name(n) for n in API_COMPONENTS)
    setup = names.get(None)
    if manifest.setup is not None and setup is not None:
        components.add_document(setup.input, "App", manifest.setup)
    requests: list[JsonObject] = []
    outputs: list[JsonObject] = []
    for fn in manifest.sorted_functions():
        own = names[fn.name]
        pascal = function_component_base(fn.name)
        components.add_document(own.input, pascal, fn.input_schema)
        components.add_document(own.output, pascal, fn.output_schema)
        outputs.append(_ref(own.output))
        properties: JsonObject = {
            "app": _app_schema(app_ref),
            "function": {"const": fn.name},
            "input": _ref(own.input),
        }
        if setup is not None:
            properties["setup"] = _ref(setup.input)
        # The platform runs `run` when a request names no function.
        required = ["app", "input"] if fn.name == "run" else ["app", "function", "input"]
        request: JsonObject = {
            "type": "object",
            "description": fn.description or f"Run {fn.name}.",
            "properties": properties,
            "required": required,
        }
        if fn.streaming:
            request["x-streaming"] = True
        components.schemas[own.request] = request
        requests.append(_ref(own.request))
    components.schemas[run_request] = requests[0] if len(requests) == 1 else {"oneOf": requests}
    components.schemas[task] = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "status": {"type": "integer", "description": TASK_STATUSES},
            "output": {"anyOf": [*outputs, {"type": "null"}]},
            "error": {"type": ["string", "null"]},
        },
        "required": ["id", "status"],
    }
    components.schemas[envelope] = {
        "type": "object",
        "properties": {"data": _ref(task)},
        "required": ["data"],
    }
    # Errors come as RFC 9457 problem details (a bad request, a bad key, no such task).
    components.schemas[problem] = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "status": {"type": "integer"},
        },
    }
    title = app_ref or manifest.app.name or "app"
    version = app_ref.partition("@")[2] if app_ref else ""
    task_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    answer = {
        "200": {
            "description": "The task (for a cancel: its id and status), in the platform's "
            "envelope.",
            "content": {"application/json": {"schema": _ref(envelope)}},
        },
        "4XX": {
            "description": "The request was refused: invalid, unauthorized, or no such task.",
            "content": {"application/problem+json": {"schema": _ref(problem)}},
        },
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": title,
            "version": version or "latest",
            "description": f"The functions of {title} behind the inference.sh task API "
            "(generated by schemagen).",
        },
        "servers": [{"url": SERVER}],
        "security": [{"apiKey": []}],
        "paths": {
            "/apps/run": {
                "post": {
                    "operationId": "runTask",
                    "summary": f"Run a function of {title}",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref(run_request)}},
                    },
                    "responses": answer,
                }
            },
            "/tasks/{id}": {
                "get": {
                    "operationId": "getTask",
                    "summary": "A task: its status, output or error",
                    "parameters": [task_id],
                    "responses": answer,
                }
            },
            "/tasks/{id}/cancel": {
                "post": {
                    "operationId": "cancelTask",
                    "summary": "Cancel a task",
                    "parameters": [task_id],
                    "responses": answer,
                }
            },
        },
        "components": {
            "schemas": components.schemas,
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        },
    }


@dataclass(frozen=True)
class FunctionComponents:
    """The component names of one function's input, output and request."""

    input: str
    output: str
    request: str


def component_names(
    manifest: Manifest, components: Components | None = None
) -> dict[str | None, FunctionComponents]:
    """Each function's component names (``None``: the setup schema, as ``input``)."""
    components = components or Components()
    names: dict[str | None, FunctionComponents] = {}
    if manifest.setup is not None:
        setup = components.name("AppSetup")
        names[None] = FunctionComponents(setup, setup, setup)
    for fn in manifest.sorted_functions():
        pascal = function_component_base(fn.name)
        names[fn.name] = FunctionComponents(
            *(components.name(f"{pascal}{part}") for part in ("Input", "Output", "Request"))
        )
    return names


def _app_schema(app_ref: str | None) -> JsonObject:
    if app_ref is None:
        return {"type": "string", "description": "namespace/name[@version]"}
    base = _ECMA_SPECIAL.sub(r"\\\g<0>", app_ref.partition("@")[0])
    return {"type": "string", "pattern": f"^{base}(@[^@/]+)?$"}


def _checked(document: JsonObject) -> list[EmitWarning]:
    """The warnings of patterns in Python's dialect and of refs outside the document (kept: they
    are the platform's); leave out, with a warning, a default its own schema rejects
    (OpenAPI requires defaults to be valid)."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:openapi", resource)
    found: list[EmitWarning] = []
    for name, component in document["components"]["schemas"].items():
        for node, pointer in schema_nodes(component, f"/components/schemas/{escape(name)}"):
            where = "#" + pointer
            patterns = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
            patterns += list(node.get("patternProperties") or ())
            if any(not is_ecma_pattern(pattern) for pattern in patterns):
                found.append(EmitWarning(where, _PYTHON_PATTERN))
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.append(EmitWarning(where, _REMOTE_REF))
            if "default" in node:
                here = {"$ref": "urn:openapi#" + quote(pointer, safe="/~")}
                validator = jsonschema.Draft202012Validator(here, registry=registry)
                if not validator.is_valid(node["default"]):
                    del node["default"]
                    found.append(EmitWarning(where, _BAD_DEFAULT))
    return found


_PYTHON_PATTERN = (
    "a pattern in Python's regex dialect, kept as the platform has it; "
    "OpenAPI tools read patterns as ECMA-262 and may reject or misread it"
)
_REMOTE_REF = "a $ref outside the document, kept as it is: OpenAPI tools must fetch it"
_BAD_DEFAULT = "a default its own schema rejects is left out (OpenAPI requires valid defaults)"


def emit_openapi(manifest: Manifest, context: EmitContext) -> TargetOutput:
    """The ``openapi`` target: ``openapi.json``, and a warning for each part OpenAPI
    tools may misread (a Python pattern, a remote ``$ref``) or a default left out."""
    document = openapi_document(manifest, context.app_ref)
    found = _checked(document)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return TargetOutput({"openapi.json": text.encode("utf-8")}, tuple(found))
