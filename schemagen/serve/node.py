"""Running a Node.js app's real code for ``schemagen serve``: one long-lived ``node``.

The runner (``loader/node/runtime/serve.mjs``, started through
``loader.api.node_serve_command``) imports the app as Node resolves it (its
``node_modules`` installed; nothing stubbed) and runs its functions; this side
speaks its JSON-lines protocol over a Unix socket in the server's private
folder, so that the app's own stdout and stderr stay the terminal's (a child
process it starts with inherited output cannot corrupt the protocol). The
protocol and what a task does in the app are described in ``serve.mjs``.

Tasks come one at a time (the server's queue). A cancelled task (the server
cancels its coroutine) asks the runner to cancel it: the app's ``onCancel()`` is
called and the task ends when the function stops, its result dropped; a function
that has not stopped ``cancel_timeout`` seconds later is stopped by killing the
node process (its process group), as the platform's supervisor kills an app that
does not respond, and the next task starts a new one (set up anew). A node that
ends on its own (``process.exit()``, a crash) fails the task it was running,
saying so, and is started again for the next task: the server stays up.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemagen.errors import AppError, UsageError
from schemagen.loader.api import AppLocation, error_from_child, node_serve_command
from schemagen.schema.pointers import tokens as pointer_tokens
from schemagen.serve.runner import EventSink, FileStore, TaskError, TaskMetadata, map_files

JsonObject = dict[str, Any]
# How long a cancelled task may take to stop before its node is killed (the
# platform's supervisor waits as long for an app's on_cancel).
CANCEL_TIMEOUT = 30.0
# How long the app may take to unload when the server stops.
UNLOAD_TIMEOUT = 20.0
TERMINAL = frozenset({"done", "failed", "cancelled", "ended"})


@dataclass
class NodeFunction:
    """A function of a Node.js app, as the runner describes it."""

    name: str
    streaming: bool
    socket: bool  # a stream function (it takes a live socket): not served
    input_schema: JsonObject
    output_schema: JsonObject


@dataclass
class _Pending:
    """The messages of one task, as they arrive; read on the server's event loop."""

    loop: asyncio.AbstractEventLoop
    inbox: collections.deque[JsonObject] = field(default_factory=collections.deque)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    finished: bool = False

    def put(self, message: JsonObject) -> None:
        self.inbox.append(message)
        self.arrived.set()

    async def next(self, timeout: float | None = None) -> JsonObject:
        """The next message; ``asyncio.TimeoutError`` after ``timeout`` seconds."""
        while not self.inbox:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), timeout)
        message = self.inbox.popleft()
        if message.get("event") in TERMINAL:
            self.finished = True
        return message


class _Node:
    """One runner process and its socket; a reader thread hands its messages on."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, listener: socket.socket):
        self.process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a kill reaches what it started
        )
        self.connection = self._accept(listener)
        self.reader = self.connection.makefile("rb")
        self.write_lock = threading.Lock()
        self.pending: dict[str, _Pending] = {}
        self.unloaded = threading.Event()
        self.crash: str | None = None
        self.alive = True

    def _accept(self, listener: socket.socket) -> socket.socket:
        listener.settimeout(0.2)
        while True:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                if self.process.poll() is not None:
                    raise UsageError(
                        f"node ended (exit code {self.process.returncode}) before running the app",
                        hint="run it with -v; is this Node.js 18 or newer?",
                    ) from None
                continue
            connection.settimeout(None)
            return connection

    def first(self) -> JsonObject:
        """The runner's first message: ready, or why the app cannot be served."""
        line = self.reader.readline()
        if not line:
            code = self.process.wait()
            raise AppError(f"the app's node process ended (exit code {code}) while importing it")
        message: JsonObject = json.loads(line)
        return message

    def send(self, message: JsonObject) -> None:
        data = json.dumps(message).encode("utf-8") + b"\n"
        with self.write_lock:
            try:
                self.connection.sendall(data)
            except OSError:
                pass  # it has ended; the reader reports that

    def read_forever(self) -> None:
        """Dispatch each message to its task (on that task's loop) until the socket ends."""
        for line in self.reader:
            message: JsonObject = json.loads(line)
            event = message.get("event")
            if event == "unloaded":
                self.unloaded.set()
            elif event == "crashed":
                self.crash = str(message.get("message"))
            pending = self.pending.get(str(message.get("id")))
            if pending is not None:
                pending.loop.call_soon_threadsafe(pending.put, message)
        self.alive = False
        self.unloaded.set()
        code = self.process.wait()
        why = f": {self.crash}" if self.crash else ""
        text = f"the app's node process ended (exit code {code}){why}"
        ended = {"event": "ended", "message": text}
        for pending in list(self.pending.values()):
            pending.loop.call_soon_threadsafe(pending.put, dict(ended))

    def kill(self) -> None:
        """Kill the runner and whatever it started (its process group)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class NodeAppRunner:
    """A Node.js app run by a long-lived ``node`` (see the module's docstring)."""

    def __init__(
        self,
        location: AppLocation,
        *,
        files: FileStore,
        max_instances: int | None = None,
        cancel_timeout: float = CANCEL_TIMEOUT,
    ) -> None:
        self.location = location
        self.files = files
        self.max_instances = max_instances
        self.cancel_timeout = cancel_timeout
        self.functions: dict[str, NodeFunction] = {}
        self.setup_schema: JsonObject | None = None
        self.setups = 0
        self._socket_path = str(files.folder / "node-runner.sock")
        self._node: _Node | None = None
        self._start()

    # -- the process ---------------------------------------------------------------------

    def _start(self) -> None:
        """Start a runner and wait until it has imported the app."""
        argv = node_serve_command(
            self.location, {"socket": self._socket_path, "maxInstances": self.max_instances}
        )
        env = dict(os.environ)
        # @inferencesh/app's File caches downloads here (default ~/.cache/inferencesh/files).
        env.setdefault("FILE_CACHE_DIR", str(self.files.folder / "file-cache"))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._socket_path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(self._socket_path)
            listener.listen(1)
            try:
                node = _Node(argv, env, self.location.app_dir, listener)
            except OSError as error:
                raise UsageError(f"cannot start node: {error.strerror}", file=argv[0]) from None
        finally:
            listener.close()
        first = node.first()
        if first.get("event") != "ready":
            node.kill()
            raise error_from_child(first["error"])
        self.functions = {
            name: NodeFunction(
                name,
                bool(info["streaming"]),
                bool(info["socket"]),
                info["input_schema"],
                info["output_schema"],
            )
            for name, info in sorted(first["functions"].items())
        }
        self.setup_schema = first.get("setup")
        threading.Thread(target=node.read_forever, daemon=True).start()
        self._node = node

    async def _running(self) -> _Node:
        """The runner, started again if the last one ended."""
        if self._node is None or not self._node.alive:
            if self._node is not None:
                self._node.kill()
            self._node = None
            try:
                await asyncio.to_thread(self._start)
            except (AppError, UsageError) as error:
                raise TaskError(f"the app cannot be started again: {error}") from None
        assert self._node is not None
        return self._node

    # -- tasks ---------------------------------------------------------------------------

    async def run(
        self,
        function: str,
        input_data: Any,
        setup: Any,
        sink: EventSink,
        metadata: TaskMetadata,
        scratch: Path,
    ) -> None:
        served = self.functions.get(function)
        if served is None:
            raise TaskError(f"the app has no function {function!r}")
        node = await self._running()
        task_id = metadata.task_id
        pending = _Pending(asyncio.get_running_loop())
        node.pending[task_id] = pending
        if not node.alive:  # it ended before its reader could see this task
            pending.put({"event": "ended", "message": "the app's node process ended"})
        node.send(
            {
                "op": "run",
                "id": task_id,
                "function": function,
                "input": input_data,
                "setup": setup,
                "metadata": _metadata(metadata),
            }
        )
        try:
            await self._follow(pending, served, sink)
        except BaseException:
            if not pending.finished:  # cancelled here: the function still runs there
                await self._stop(node, task_id, pending)
            raise
        finally:
            node.pending.pop(task_id, None)

    async def _follow(self, pending: _Pending, served: NodeFunction, sink: EventSink) -> None:
        while True:
            message = await pending.next()
            event = message["event"]
            if event == "log":
                sink("log", message["text"])
            elif event == "setup":
                self.setups += 1
            elif event == "output":
                sink("output", self._wire_output(served, message))
            elif event == "done":
                return
            elif event == "cancelled":
                raise TaskError("task cancelled")
            else:  # failed, ended
                raise TaskError(str(message["message"]))

    async def _stop(self, node: _Node, task_id: str, pending: _Pending) -> None:
        """Cancel the task in the runner and wait until it stops; kill the runner when
        it has not stopped in time. A second cancel changes nothing."""
        node.send({"op": "cancel", "id": task_id})
        deadline = time.monotonic() + self.cancel_timeout
        while not pending.finished:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                node.kill()  # the reader then ends the task; the next task starts a new node
                node.alive = False
                return
            try:
                message = await pending.next(remaining)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                continue
            if message["event"] == "setup":
                self.setups += 1

    def _wire_output(self, served: NodeFunction, message: JsonObject) -> Any:
        """An output as the platform sends it: each File the app returned (and each
        path where the schema says file) a URL this server serves."""
        data = message["output"]
        for pointer in message.get("files", []):
            data = _replace_at(data, pointer_tokens(pointer), self._publish)
        schema = served.output_schema
        return map_files(data, schema, schema, self._publish)

    def _publish(self, value: Any) -> Any:
        if isinstance(value, str) and not os.path.isabs(value) and "://" not in value:
            relative = self.location.app_dir / value  # the app's own working directory
            if relative.is_file():
                value = str(relative)
        return self.files.publish(value)

    async def unload_all(self) -> None:
        await asyncio.to_thread(self._shutdown)

    def _shutdown(self) -> None:
        """Unload the app's instances and end the runner (killed if it does not end)."""
        node, self._node = self._node, None
        if node is None:
            return
        if node.alive:
            node.send({"op": "unload"})
            node.unloaded.wait(UNLOAD_TIMEOUT)
            try:
                node.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        node.kill()


def _metadata(metadata: TaskMetadata) -> JsonObject:
    """The request metadata the app's functions get (``RequestMetadata``'s fields)."""
    return {
        name: getattr(metadata, name)
        for name in (
            "worker_id",
            "app_id",
            "app_version_id",
            "app_variant",
            "gpu_ids",
            "task_id",
            "team_id",
            "user_id",
        )
    }


def _replace_at(value: Any, tokens: list[str], convert: Any) -> Any:
    """``value`` with the part at ``tokens`` replaced by ``convert(part)``."""
    if not tokens:
        return convert(value)
    head, rest = tokens[0], tokens[1:]
    if isinstance(value, dict) and head in value:
        return {**value, head: _replace_at(value[head], rest, convert)}
    if isinstance(value, list) and head.isdigit() and int(head) < len(value):
        copy = list(value)
        copy[int(head)] = _replace_at(value[int(head)], rest, convert)
        return copy
    return value
