"""Running an app's real code in this process, as the platform's worker does.

The app is imported once (``schemagen.loader.api.import_app``: a synthetic
package rooted at the app folder, which is also the working directory and on
``sys.path``). Its ``inferencesh`` is the installed one, or schemagen's bundled
surface when none is installed (``--sdk``). Nothing is stubbed: the app's
dependencies must be installed.

A task: the setup config is validated with the setup model and ``App().setup(config)``
runs once per distinct config (each config's instance is kept; with
``max_instances`` set, the least recently used one is unloaded to make room, and
``max_instances=1`` re-initialises on every change as the platform's worker does);
the input is
validated with the function's input model, its file fields made local paths first
(URLs are downloaded, data URIs decoded: the app reads ``input.image.path``); the
function runs (async or not, generator or not); every output is dumped to JSON
with its file fields turned into URLs the server serves.
"""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
import mimetypes
import os
import re
import shutil
import tempfile
import urllib.parse
import urllib.request
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from schemagen.errors import AppError
from schemagen.loader.api import AppLocation, SdkMode, import_app, select_sdk
from schemagen.schema.defs import local_defs
from schemagen.schema.pointers import follow_local_refs

JsonObject = dict[str, Any]
# Events a running function reports: ("output", json) for each output, ("log", text).
EventSink = Callable[[str, Any], None]


class TaskError(Exception):
    """A task failed: the message is what the task's ``error`` says."""


class FunctionInfo(Protocol):
    """What the server needs to know of a served function."""

    @property
    def streaming(self) -> bool: ...


class Runner(Protocol):
    """Runs an app's functions for the server: ``AppRunner`` (a Python app, in this
    process) and ``serve.node.NodeAppRunner`` (a Node.js app, in a node process)."""

    @property
    def functions(self) -> Mapping[str, FunctionInfo]: ...

    @property
    def setups(self) -> int: ...

    async def run(
        self,
        function: str,
        input_data: Any,
        setup: Any,
        sink: EventSink,
        metadata: TaskMetadata,
        scratch: Path,
    ) -> None:
        """Run ``function`` to its end; each output goes to ``sink("output", json)``,
        each log line to ``sink("log", text)``; a ``TaskError`` when the task fails."""
        ...

    async def unload_all(self) -> None: ...


@dataclass
class ServedFunction:
    """A function of the app, with its models and JSON Schemas."""

    name: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    streaming: bool
    input_schema: JsonObject
    output_schema: JsonObject


@dataclass
class StoredFile:
    path: Path
    filename: str
    content_type: str


class FileStore:
    """Files the server hands out (outputs) or received (uploads), by id."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.base_url = ""  # set once the server knows its port
        self._files: dict[str, StoredFile] = {}

    def url(self, file_id: str) -> str:
        name = urllib.parse.quote(self._files[file_id].filename)
        return f"{self.base_url}/files/{file_id}/{name}"

    def add(
        self, path: Path, *, filename: str | None = None, content_type: str | None = None
    ) -> str:
        """Register a file; returns its id. The file is copied (apps reuse their paths)."""
        file_id = uuid.uuid4().hex
        name = filename or path.name or "file"
        stored = self.folder / file_id
        shutil.copyfile(path, stored)
        guessed = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        self._files[file_id] = StoredFile(stored, name, guessed)
        return file_id

    def reserve(self, filename: str | None, content_type: str | None) -> str:
        """An upload slot (``POST /files``): an empty file the client then PUTs."""
        file_id = uuid.uuid4().hex
        stored = self.folder / file_id
        stored.write_bytes(b"")
        name = filename or "file" + (mimetypes.guess_extension(content_type or "") or "")
        guessed = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        self._files[file_id] = StoredFile(stored, name, guessed)
        return file_id

    def get(self, file_id: str) -> StoredFile | None:
        return self._files.get(file_id)

    def publish(self, value: Any) -> Any:
        """A file output (a local path, or a File's JSON form) as the URL serving it;
        a File with no local path is its ``uri``, anything else stays."""
        path = value.get("path") if isinstance(value, dict) else value
        if isinstance(path, str) and os.path.isfile(path):
            filename = value.get("filename") if isinstance(value, dict) else None
            content_type = value.get("content_type") if isinstance(value, dict) else None
            return self.url(self.add(Path(path), filename=filename, content_type=content_type))
        if isinstance(value, dict):
            return value.get("uri")
        return value

    def local_path(self, url: str) -> Path | None:
        """The stored file a URL of this server points at, if it is one."""
        if not self.base_url or not url.startswith(self.base_url + "/files/"):
            return None
        file_id = url[len(self.base_url) + len("/files/") :].split("/", 1)[0]
        stored = self._files.get(file_id)
        return stored.path if stored is not None else None


class TaskMetadata:
    """The ``metadata`` argument of an app's functions: the task's ids, and ``log``."""

    def __init__(self, task_id: str, app_id: str, sink: EventSink) -> None:
        self.task_id = task_id
        self.app_id = app_id
        self.app_version_id: str | None = None
        self.app_variant = "default"
        self.worker_id = "schemagen-serve"
        self.gpu_ids: list[str] = []
        self.team_id: str | None = None
        self.user_id: str | None = None
        self._sink = sink

    def log(self, message: Any) -> None:
        """Add a line to the task's logs."""
        self._sink("log", str(message))

    def update(self, other: Mapping[str, Any]) -> None:
        for key, value in dict(other).items():
            setattr(self, key, value)


def _positional_arity(method: Any) -> int:
    """How many positional arguments the bound ``method`` takes."""
    try:
        params = list(inspect.signature(method).parameters.values())
    except (TypeError, ValueError):
        return 1
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 99
    return len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])


def map_files(
    value: Any, schema: Any, root: Mapping[str, Any], convert: Callable[[Any], Any]
) -> Any:
    """``value`` with ``convert`` applied at every place its schema says is a File
    (``{"type": "string", "format": "file"}``), through refs, unions, objects, arrays."""
    schema = follow_local_refs(schema, local_defs(root), with_siblings=True)
    if not isinstance(schema, dict) or value is None:
        return value
    if schema.get("format") == "file" and isinstance(value, (str, dict)):
        return convert(value)
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(keyword, []) or []:
            mapped = map_files(value, branch, root, convert)
            if mapped is not value:
                return mapped
    if isinstance(value, dict):
        properties = schema.get("properties", {}) or {}
        extra = schema.get("additionalProperties")
        return {
            key: map_files(item, properties.get(key, extra), root, convert)
            for key, item in value.items()
        }
    if isinstance(value, list):
        prefix = schema.get("prefixItems", []) or []
        items = schema.get("items")
        return [
            map_files(item, prefix[i] if i < len(prefix) else items, root, convert)
            for i, item in enumerate(value)
        ]
    return value


class AppRunner:
    """One app, imported in this process; runs its functions."""

    def __init__(
        self,
        location: AppLocation,
        *,
        sdk: SdkMode = "auto",
        app_class: str | None = None,
        files: FileStore,
        max_instances: int | None = None,
    ) -> None:
        self.location = location
        self.files = files
        self.max_instances = max_instances
        self.sdk = select_sdk(sdk)
        self.functions: dict[str, ServedFunction] = {}
        self.setup_model: type[BaseModel] | None = None
        self.setups = 0  # how many times an instance was set up (for logs and tests)
        self._instances: OrderedDict[str, Any] = OrderedDict()
        self._load(app_class)

    def _load(self, app_class_name: str | None) -> None:
        imported = import_app(self.location, app_class_name)
        self.app_class = imported.app_class
        self.setup_model = imported.setup_model
        found = imported.functions
        if not found:
            raise AppError("the app has no functions to serve", file=str(self.location.entrypoint))
        for item in found:
            self.functions[item.name] = ServedFunction(
                item.name,
                item.input_model,
                item.output_model,
                item.streaming,
                item.input_model.model_json_schema(),
                item.output_model.model_json_schema(),
            )

    # -- setup --------------------------------------------------------------------------

    async def _instance(self, setup: Any, sink: EventSink, metadata: TaskMetadata) -> Any:
        """The app instance set up with ``setup`` (made and set up on first use)."""
        config: BaseModel | None = None
        if self.setup_model is not None:
            try:
                config = self.setup_model.model_validate(setup or {})
            except ValidationError as error:
                raise TaskError(f"invalid setup: {error}") from None
            key = json.dumps(config.model_dump(mode="json"), sort_keys=True)
        else:
            key = ""
        if key in self._instances:
            self._instances.move_to_end(key)
            return self._instances[key]
        while self.max_instances is not None and len(self._instances) >= self.max_instances:
            _, old = self._instances.popitem(last=False)
            await _maybe_await(getattr(old, "unload", None))
        app = self.app_class()
        setup_method = getattr(app, "setup", None)
        if callable(setup_method):
            arity = _positional_arity(setup_method)
            args: list[Any] = [config, metadata][:arity]
            sink("log", "setting up" + (f" with {key}" if key else ""))
            try:
                await _maybe_await(setup_method, *args)
            except Exception as error:  # noqa: BLE001 - the app's failure is the task's
                raise TaskError(f"setup failed: {type(error).__name__}: {error}") from error
        self.setups += 1
        self._instances[key] = app
        return app

    async def unload_all(self) -> None:
        while self._instances:
            _, app = self._instances.popitem(last=False)
            await _maybe_await(getattr(app, "unload", None))

    # -- running ------------------------------------------------------------------------

    async def run(
        self,
        function: str,
        input_data: Any,
        setup: Any,
        sink: EventSink,
        metadata: TaskMetadata,
        scratch: Path,
    ) -> None:
        """Run ``function``; every output goes to ``sink("output", json)``."""
        served = self.functions.get(function)
        if served is None:
            raise TaskError(f"the app has no function {function!r}")
        app = await self._instance(setup, sink, metadata)
        local = map_files(
            input_data, served.input_schema, served.input_schema, _Downloader(self.files, scratch)
        )
        try:
            value = served.input_model.model_validate(local)
        except ValidationError as error:
            raise TaskError(f"invalid input: {error}") from None
        method = getattr(app, function)
        args: list[Any] = [value, metadata][: max(1, _positional_arity(method))]
        try:
            result = method(*args)
            if served.streaming:
                if inspect.isasyncgen(result):
                    async for item in result:
                        sink("output", self._wire_output(served, item))
                else:
                    for item in result:
                        sink("output", self._wire_output(served, item))
                        await asyncio.sleep(0)
            else:
                if inspect.isawaitable(result):
                    result = await result
                sink("output", self._wire_output(served, result))
        except TaskError:
            raise
        except Exception as error:  # noqa: BLE001 - the app's failure is the task's
            raise TaskError(f"{type(error).__name__}: {error}") from error

    def _wire_output(self, served: ServedFunction, output: Any) -> Any:
        """An output as the platform sends it: JSON, files as URLs this server serves."""
        if not isinstance(output, BaseModel):
            try:
                output = served.output_model.model_validate(output)
            except ValidationError as error:
                raise TaskError(f"invalid output: {error}") from None
        data = output.model_dump(mode="json", by_alias=True)
        schema = served.output_schema
        return map_files(data, schema, schema, self.files.publish)


@dataclass
class _Downloader:
    """Turns an input file reference into a local path: a URL of this server, another
    URL (downloaded), a data URI (decoded); a local path stays."""

    files: FileStore
    scratch: Path
    count: list[int] = field(default_factory=lambda: [0])

    def __call__(self, value: Any) -> Any:
        uri = value.get("uri") or value.get("path") if isinstance(value, dict) else value
        if not isinstance(uri, str):
            return value
        own = self.files.local_path(uri)
        if own is not None:
            stored = self.files.get(own.name)
            return str(self._copy(own, stored.filename if stored else own.name))
        if uri.startswith("data:"):
            return str(self._decode(uri))
        if uri.startswith(("http://", "https://")):
            return str(self._download(uri))
        return uri

    def _target(self, filename: str) -> Path:
        self.count[0] += 1
        folder = self.scratch / str(self.count[0])
        folder.mkdir(parents=True, exist_ok=True)
        return folder / (os.path.basename(filename) or "file")

    def _copy(self, path: Path, filename: str) -> Path:
        target = self._target(filename)
        shutil.copyfile(path, target)
        return target

    def _decode(self, uri: str) -> Path:
        match = re.match(r"data:([^;,]*)(;base64)?,(.*)\Z", uri, re.S)
        if match is None:
            raise TaskError("invalid input: a file field holds a malformed data URI")
        extension = mimetypes.guess_extension(match.group(1) or "") or ""
        payload = match.group(3)
        try:
            data = (
                base64.b64decode(payload + "=" * (-len(payload) % 4))
                if match.group(2)
                else urllib.parse.unquote_to_bytes(payload)
            )
        except ValueError:
            raise TaskError("invalid input: a file field holds undecodable base64") from None
        target = self._target("file" + extension)
        target.write_bytes(data)
        return target

    def _download(self, url: str) -> Path:
        name = os.path.basename(urllib.parse.urlparse(url).path) or "file"
        target = self._target(urllib.parse.unquote(name))
        try:
            with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
                shutil.copyfileobj(response, out)
        except OSError as error:
            raise TaskError(f"cannot download the input file {url}: {error}") from None
        return target


async def _maybe_await(function: Any, *args: Any) -> Any:
    if function is None:
        return None
    result = function(*args)
    if inspect.isawaitable(result):
        result = await result
    return result


def scratch_folder() -> Path:
    """A private temporary folder for the server's files."""
    return Path(tempfile.mkdtemp(prefix="schemagen-serve-"))
