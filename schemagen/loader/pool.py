"""Compiling many apps at once: a pool of fork-server workers (``worker.py``).

Each job is one worker process that has imported pydantic and schemagen (and,
in bundled mode, the SDK surface) once; every app is then compiled in a fresh
fork of it. Results come back as they finish, each an ``AppOutcome`` holding
a LoadResult or the error for that app: one broken app never stops the rest.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from schemagen.errors import SchemagenError
from schemagen.loader import early
from schemagen.loader.early import WORKER_ENTRY, child_command, kill_group
from schemagen.loader.parent import (
    AppLocation,
    LoadOptions,
    LoadResult,
    child_env,
    child_request,
    result_from_reply,
)


@dataclass
class AppOutcome:
    """What compiling one app gave: a result or an error."""

    location: AppLocation
    result: LoadResult | None = None
    error: SchemagenError | None = None


class _Worker:
    def __init__(self, options: LoadOptions) -> None:
        self.proc = subprocess.Popen(
            child_command(options.python, WORKER_ENTRY),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_env(),
            text=True,
            encoding="utf-8",
            start_new_session=True,  # its forks are in its group: kill_group ends them all
        )
        self._send({"sdk": options.sdk})

    def _send(self, message: dict[str, Any]) -> None:
        stdin: IO[str] = self.proc.stdin  # type: ignore[assignment]
        stdin.write(json.dumps(message) + "\n")
        stdin.flush()

    def compile(self, index: int, request: dict[str, Any]) -> tuple[dict[str, Any], str]:
        try:
            self._send({"id": index, "request": request})
        except OSError:  # it was killed (an interrupted run): the reply below says so
            pass
        stdout: IO[str] = self.proc.stdout  # type: ignore[assignment]
        line = stdout.readline()
        if not line:
            code = self.proc.wait()
            return {"ok": False, "error": {"kind": "crashed", "exit_code": code}}, ""
        message = json.loads(line)
        return message["reply"], message["output"]

    def kill(self) -> None:
        kill_group(self.proc)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def compile_apps(
    locations: list[AppLocation], options: LoadOptions, jobs: int
) -> Iterator[AppOutcome]:
    """Compile every app, ``jobs`` at a time; outcomes in completion order."""
    if not locations:
        return
    early.discard()  # the workers take the cores
    todo: queue.Queue[tuple[int, AppLocation] | None] = queue.Queue()
    for item in enumerate(locations):
        todo.put(item)
    done: queue.Queue[AppOutcome] = queue.Queue()
    workers = [_Worker(options) for _ in range(min(jobs, len(locations)))]

    def drive(worker: _Worker) -> None:
        while True:
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            if item is None:
                return
            index, location = item
            reply, output = worker.compile(index, child_request(location, options))
            try:
                done.put(AppOutcome(location, result_from_reply(location, options, reply, output)))
            except SchemagenError as error:
                done.put(AppOutcome(location, error=error))

    threads = [threading.Thread(target=drive, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    try:
        for _ in locations:
            yield done.get()
    except BaseException:  # Ctrl-C, or the caller closed us: stop what runs now
        while not todo.empty():
            todo.get_nowait()
        for worker in workers:
            worker.kill()
        raise
    finally:
        while not todo.empty():  # the caller stopped early: start nothing new
            todo.get_nowait()
        for thread in threads:
            thread.join()
        for worker in workers:
            worker.close()
