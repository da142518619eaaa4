"""The HTTP side of ``schemagen serve``: what the official SDKs call to run a task.

Read from ``inferencesh`` (PyPI) and ``@inferencesh/sdk`` (npm); both send
``Authorization: Bearer <key>`` and JSON, and read the ``{"data": …}`` envelope
(errors as ``application/problem+json`` with ``title``/``detail``):

- ``POST /apps/run`` ``{"app", "function"?, "input", "setup"?}`` -> the new task
  (status 1, received). The app reference must name the served app (its
  ``namespace/name``; any ``@version``);
- ``GET /tasks/{id}`` -> the task; ``GET /tasks/{id}/status`` -> ``{id, status}``
  (the npm SDK's polling mode);
- ``GET /tasks/{id}/stream`` -> NDJSON (chunked), one task snapshot per line from
  the first update on, then each new one until the terminal one, heartbeats
  (``{"type": "heartbeat"}``) while it waits;
- ``POST /tasks/{id}/cancel`` -> ``{id, status}``: a task waiting its turn ends
  cancelled at once, a running one at its next ``await`` (blocking code: when it
  returns, its output dropped); a finished one stays as it ended; an unknown id is 404;
- ``POST /files`` ``{"files": [{filename, content_type, …}]}`` -> records with an
  ``upload_url`` (``PUT`` the bytes there) and the ``uri`` to pass as input: how
  both SDKs upload data URIs and local files found in an input;
- ``GET /files/{id}/{name}``: an uploaded file or a file output.

A task's snapshots: ``status`` (the platform's numbers: 1 received, 6 setting up,
7 running, 10 completed, 11 failed, 12 cancelled), ``output``, ``error``, ``logs``.
A streaming function reports each output as a running snapshot carrying it; the
completed one carries the last. Tasks run one at a time, in the order they came.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from schemagen.errors import UsageError
from schemagen.serve.runner import FileStore, Runner, TaskError, TaskMetadata

HOST = "127.0.0.1"
HEARTBEAT_SECONDS = 10.0
MAX_BODY = 512 * 1024 * 1024

RECEIVED, SETTING_UP, RUNNING, COMPLETED, FAILED, CANCELLED = 1, 6, 7, 10, 11, 12
TERMINAL = frozenset({COMPLETED, FAILED, CANCELLED})
LOG_TYPE_RUN = 1


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class Task:
    """One run of a function: its snapshots, in order, for the stream to replay."""

    id: str
    app: str
    function: str
    input: Any
    setup: Any
    status: int = RECEIVED
    output: Any = None
    error: str | None = None
    logs: list[dict[str, Any]] = field(default_factory=list)
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    cancel_requested: bool = False
    job: Future[None] | None = None  # its run on the worker's loop
    changed: threading.Condition = field(default_factory=threading.Condition)

    def snapshot(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "app": self.app,
            "function": self.function,
            "status": self.status,
            "input": self.input,
            "setup": self.setup,
            "output": self.output,
            "logs": list(self.logs),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if self.error is not None:
            data["error"] = self.error
        return data

    def update(
        self,
        *,
        status: int | None = None,
        output: Any = None,
        error: str | None = None,
        log: str | None = None,
        publish: bool = True,
    ) -> None:
        """Change the task and (unless ``publish`` is false) add a snapshot."""
        with self.changed:
            if self.status in TERMINAL:
                return
            if status is not None:
                self.status = status
            if output is not None:
                self.output = output
            if error is not None:
                self.error = error
            if log is not None:
                self.logs.append(
                    {
                        "id": uuid.uuid4().hex,
                        "created_at": _now(),
                        "updated_at": _now(),
                        "task_id": self.id,
                        "log_type": LOG_TYPE_RUN,
                        "content": log,
                    }
                )
            self.updated_at = _now()
            if publish:
                self.snapshots.append(self.snapshot())
            self.changed.notify_all()


class Problem(Exception):
    """An HTTP error answered as ``application/problem+json``."""

    def __init__(self, status: HTTPStatus, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class AppServer:
    """The tasks, the files and the one worker that runs tasks, behind an HTTP server."""

    def __init__(
        self,
        runner: Runner,
        files: FileStore,
        *,
        app_ref: str | None,
        api_key: str | None,
        port: int,
    ) -> None:
        self.runner = runner
        self.files = files
        self.app_ref = app_ref
        self.api_key = api_key
        self.verbose = False  # log every request on stderr
        self.heartbeat_seconds = HEARTBEAT_SECONDS  # between heartbeats on a waiting stream
        self.tasks: dict[str, Task] = {}
        self.http = ThreadingHTTPServer((HOST, port), _handler(self))
        self.http.daemon_threads = True
        self.url = f"http://{HOST}:{self.http.server_address[1]}"
        files.base_url = self.url
        self.loop = asyncio.new_event_loop()
        self._worker = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._order = threading.Lock()
        self._queue: asyncio.Lock | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def serve_forever(self) -> None:
        self._worker.start()
        try:
            self.http.serve_forever(poll_interval=0.2)
        finally:
            self.http.server_close()
            future = asyncio.run_coroutine_threadsafe(self.runner.unload_all(), self.loop)
            try:
                future.result(timeout=30)
            except Exception:  # noqa: BLE001 - shutting down: nothing left to report to
                pass
            self.loop.call_soon_threadsafe(self.loop.stop)

    def shutdown(self) -> None:
        threading.Thread(target=self.http.shutdown, daemon=True).start()

    # -- tasks ---------------------------------------------------------------------------

    def create_task(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise Problem(HTTPStatus.BAD_REQUEST, "the body must be a JSON object")
        app = body.get("app")
        if not isinstance(app, str) or not app:
            raise Problem(HTTPStatus.BAD_REQUEST, "'app' is required: namespace/name[@version]")
        name, _, function = app.partition(":")
        function = body.get("function") or function or "run"
        if self.app_ref is not None and name.split("@")[0] != self.app_ref.split("@")[0]:
            raise Problem(
                HTTPStatus.NOT_FOUND, f"app {name!r} not found: this server runs {self.app_ref}"
            )
        if function not in self.runner.functions:
            known = ", ".join(sorted(self.runner.functions))
            raise Problem(
                HTTPStatus.NOT_FOUND, f"function {function!r} not found (the app has: {known})"
            )
        task = Task(uuid.uuid4().hex, name, function, body.get("input"), body.get("setup"))
        task.update(status=RECEIVED)
        self.tasks[task.id] = task
        # The answer is the task as created: a client that polls for a status change
        # (the npm SDK) would wait forever if the answer were already its final state.
        created = task.snapshot()
        task.job = asyncio.run_coroutine_threadsafe(self._execute(task), self.loop)
        return created

    async def _execute(self, task: Task) -> None:
        if self._queue is None:
            self._queue = asyncio.Lock()
        async with self._queue:  # one task at a time, as a worker runs them
            if task.cancel_requested:
                task.update(status=CANCELLED)
                return
            setups = self.runner.setups
            scratch = self.files.folder / f"task-{task.id}"

            def sink(kind: str, value: Any) -> None:
                if task.cancel_requested:
                    raise TaskError("task cancelled")
                if kind == "log":
                    task.update(log=value, publish=False)
                elif self.runner.functions[task.function].streaming:
                    task.update(status=RUNNING, output=value)
                else:
                    task.update(output=value, publish=False)

            metadata = TaskMetadata(task.id, task.app, sink)
            task.update(status=RUNNING)
            try:
                await self.runner.run(
                    task.function, task.input, task.setup, sink, metadata, scratch
                )
            except TaskError as error:
                if task.cancel_requested:
                    task.update(status=CANCELLED)
                else:
                    task.update(status=FAILED, error=str(error))
                return
            except asyncio.CancelledError:
                task.update(status=CANCELLED)
                raise
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
                if self.runner.setups != setups:
                    print(
                        f"schemagen: set up the app ({self.runner.setups} so far)",
                        file=sys.stderr,
                        flush=True,
                    )
            task.update(status=COMPLETED)

    def task(self, task_id: str) -> Task:
        task = self.tasks.get(task_id)
        if task is None:
            raise Problem(HTTPStatus.NOT_FOUND, f"task {task_id!r} not found")
        return task

    def cancel(self, task_id: str) -> Task:
        """Cancel a task: at once if it waits its turn, at its next ``await`` if it runs
        async code, at its next output or log line (or its return) if it blocks. A
        finished task stays as it ended."""
        task = self.task(task_id)
        task.cancel_requested = True
        with task.changed:
            if task.status == RECEIVED:
                task.update(status=CANCELLED)
        if task.job is not None:
            task.job.cancel()  # raises CancelledError in the task's coroutine
        return task

    def stream(self, task: Task, write: Callable[[bytes], None]) -> None:
        """Write ``task``'s snapshots as NDJSON until the terminal one, and a heartbeat
        whenever nothing was written for ``heartbeat_seconds`` (a change that adds no
        snapshot, such as a log line, is no reason for one)."""
        sent = 0
        last = time.monotonic()
        while True:
            with task.changed:
                if sent >= len(task.snapshots):
                    task.changed.wait(max(0.0, last + self.heartbeat_seconds - time.monotonic()))
                pending = task.snapshots[sent:]
            if not pending:
                if time.monotonic() - last >= self.heartbeat_seconds:
                    write(b'{"type": "heartbeat"}\n')
                    last = time.monotonic()
                continue
            for snapshot in pending:
                write(json.dumps(snapshot).encode("utf-8") + b"\n")
                sent += 1
                if snapshot["status"] in TERMINAL:
                    return
            last = time.monotonic()

    # -- files ---------------------------------------------------------------------------

    def create_files(self, body: Any) -> list[dict[str, Any]]:
        wanted = body.get("files") if isinstance(body, dict) else None
        if not isinstance(wanted, list) or not wanted:
            raise Problem(HTTPStatus.BAD_REQUEST, "'files' must be a non-empty list")
        records = []
        for entry in wanted:
            entry = entry if isinstance(entry, dict) else {}
            file_id = self.files.reserve(entry.get("filename"), entry.get("content_type"))
            records.append(
                {
                    "id": file_id,
                    "uri": self.files.url(file_id),
                    "upload_url": f"{self.url}/files/{file_id}/upload",
                    "filename": entry.get("filename"),
                    "content_type": self.files.get(file_id).content_type,  # type: ignore[union-attr]
                    "size": entry.get("size"),
                    "created_at": _now(),
                }
            )
        return records


_TASK = re.compile(r"/tasks/([0-9a-f]+)(/status|/stream|/cancel)?\Z")
_FILE = re.compile(r"/files/([0-9a-f]+)(?:/(upload|[^/]*))?\Z")


def _handler(server: AppServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "schemagen-serve"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
            if server.verbose:
                super().log_message(format, *args)

        # -- plumbing --------------------------------------------------------------------

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, data: Any, status: int = 200) -> None:
            body = json.dumps({"data": data, "messages": []}).encode("utf-8")
            self._send(status, body, "application/json")

        def _problem(self, problem: Problem) -> None:
            body = json.dumps(
                {
                    "type": "about:blank",
                    "title": problem.status.phrase,
                    "status": problem.status.value,
                    "detail": problem.detail,
                }
            ).encode("utf-8")
            self._send(problem.status.value, body, "application/problem+json")

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise Problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the body is too large")
            return self.rfile.read(length) if length else b""

        def _json_body(self) -> Any:
            raw = self._body()
            try:
                return json.loads(raw) if raw else None
            except ValueError:
                raise Problem(HTTPStatus.BAD_REQUEST, "the body is not JSON") from None

        def _authorize(self) -> None:
            if server.api_key is None:
                return
            if self.headers.get("Authorization") != f"Bearer {server.api_key}":
                raise Problem(HTTPStatus.UNAUTHORIZED, "a valid API key is required")

        def _dispatch(self, route: Callable[[], None]) -> None:
            try:
                route()
            except Problem as problem:
                self._problem(problem)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        # -- routes ----------------------------------------------------------------------

        def do_GET(self) -> None:  # noqa: N802 - the base's naming
            self._dispatch(self._get)

        def do_HEAD(self) -> None:  # noqa: N802
            self._dispatch(self._get)

        def do_POST(self) -> None:  # noqa: N802
            self._dispatch(self._post)

        def do_PUT(self) -> None:  # noqa: N802
            self._dispatch(self._put)

        def _get(self) -> None:
            path = self.path.split("?", 1)[0]
            file_match = _FILE.match(path)
            if file_match:
                stored = server.files.get(file_match.group(1))
                if stored is None:
                    raise Problem(HTTPStatus.NOT_FOUND, "no such file")
                self._send(200, stored.path.read_bytes(), stored.content_type)
                return
            self._authorize()
            if path in ("", "/"):
                self._json(
                    {
                        "app": server.app_ref,
                        "functions": {
                            name: {"streaming": fn.streaming}
                            for name, fn in server.runner.functions.items()
                        },
                    }
                )
                return
            match = _TASK.match(path)
            if match is None or match.group(2) == "/cancel":
                raise Problem(HTTPStatus.NOT_FOUND, f"no route GET {path}")
            task = server.task(match.group(1))
            if match.group(2) == "/status":
                self._json({"id": task.id, "status": task.status})
            elif match.group(2) == "/stream":
                self._stream(task)
            else:
                with task.changed:
                    snapshot = task.snapshot()
                self._json(snapshot)

        def _stream(self, task: Task) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

            def write(data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            server.stream(task, write)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _post(self) -> None:
            self._authorize()
            path = self.path.split("?", 1)[0]
            if path == "/apps/run":
                self._json(server.create_task(self._json_body()))
            elif path == "/files":
                self._json(server.create_files(self._json_body()))
            elif (match := _TASK.match(path)) and match.group(2) == "/cancel":
                self._body()
                task = server.cancel(match.group(1))
                self._json({"id": task.id, "status": task.status})
            else:
                raise Problem(HTTPStatus.NOT_FOUND, f"no route POST {path}")

        def _put(self) -> None:
            path = self.path.split("?", 1)[0]
            match = _FILE.match(path)
            stored = server.files.get(match.group(1)) if match else None
            if match is None or match.group(2) != "upload" or stored is None:
                raise Problem(HTTPStatus.NOT_FOUND, f"no route PUT {path}")
            stored.path.write_bytes(self._body())
            self._send(200, b"", "text/plain")

    return Handler


def serve_app(server: AppServer, *, announce: Callable[[str], None]) -> int | None:
    """Run ``server`` until SIGINT/SIGTERM (the signal is returned); ``announce`` gets
    the line saying where."""
    stopped_by: list[int] = []

    def stop(signum: int, frame: Any) -> None:
        stopped_by.append(signum)
        server.shutdown()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    functions = ", ".join(sorted(server.runner.functions))
    announce(f"serving {server.app_ref or 'the app'} ({functions}) at {server.url}")
    started = time.monotonic()
    server.serve_forever()
    announce(f"stopped after {time.monotonic() - started:.0f} s")
    return stopped_by[0] if stopped_by else None


def run_server(
    app: Path | None,
    *,
    port: int,
    app_ref: str | None,
    api_key: str | None,
    sdk: Any,
    app_class: str | None,
    verbose: bool,
    announce: Callable[[str], None],
    max_instances: int | None = None,
    heartbeat_seconds: float | None = None,
    cancel_timeout: float | None = None,
) -> int | None:
    """Import the app at ``app``, serve it on 127.0.0.1 until SIGINT/SIGTERM, clean up;
    the signal that stopped it.

    ``heartbeat_seconds``: the time between heartbeat lines on a task's stream while
    it waits (default ``HEARTBEAT_SECONDS``). ``cancel_timeout``: how long a cancelled
    task of a Node.js app may take to stop before its node is killed (default
    ``serve.node.CANCEL_TIMEOUT``).
    """
    from schemagen.app_ref import resolve_app_ref
    from schemagen.loader.api import locate_app
    from schemagen.serve.runner import AppRunner, scratch_folder

    location = locate_app(app)
    if location.language == "node":
        _check_node_options(location.entrypoint, sdk=sdk, app_class=app_class)
    ref = resolve_app_ref(app_ref, location.app_dir)
    scratch = scratch_folder()
    runner: Runner | None = None
    try:
        files = FileStore(scratch)
        if location.language == "node":
            from schemagen.serve.node import CANCEL_TIMEOUT, NodeAppRunner

            runner = NodeAppRunner(
                location,
                files=files,
                max_instances=max_instances,
                cancel_timeout=CANCEL_TIMEOUT if cancel_timeout is None else cancel_timeout,
            )
        else:
            runner = AppRunner(
                location, sdk=sdk, app_class=app_class, files=files, max_instances=max_instances
            )
        try:
            server = AppServer(runner, files, app_ref=ref, api_key=api_key, port=port)
        except OSError as error:
            raise UsageError(
                f"cannot listen on {HOST}:{port}: {error.strerror}",
                hint="choose another --port, or 0 for any free one",
            ) from None
        server.verbose = verbose
        if heartbeat_seconds is not None:
            server.heartbeat_seconds = heartbeat_seconds
        return serve_app(server, announce=announce)
    except BaseException:
        if runner is not None and location.language == "node":
            asyncio.run(runner.unload_all())  # the server never started: end its node
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _check_node_options(entrypoint: Path, *, sdk: Any, app_class: str | None) -> None:
    """A Node.js app runs with its own installed packages and its exported App."""
    shown = os.path.relpath(entrypoint)
    shown = str(entrypoint) if shown.startswith("..") else shown
    if sdk == "bundled":
        raise UsageError(
            "--sdk bundled is for Python apps: a Node.js app is served with the "
            "@inferencesh/app installed in its node_modules",
            file=shown,
        )
    if app_class is not None:
        raise UsageError(
            "--app-class is for Python apps: a Node.js app's class is its exported App",
            file=shown,
        )
