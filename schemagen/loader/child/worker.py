"""A compile worker: imports pydantic and schemagen once, then forks one child per app.

Batch runs (``--recursive``, several apps, ``-j``) start one worker per job.
The worker itself never imports app code: every app is imported in a fresh
``fork()`` of the worker, so one app's import (its modules, stubs, monkey
patches of pydantic) can never reach another app's result, exactly as with
one interpreter per app, minus the start-up cost.

Protocol (JSON lines): the parent sends ``{"id", "request"}`` per app on the
worker's stdin; the worker answers ``{"id", "reply", "output"}`` on its stdout,
where ``reply`` is what ``child.run_request`` returns and ``output`` is what
the app printed. The first line on stdin is the worker's own configuration:
``{"sdk": "auto|bundled|installed"}``.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import signal
import sys
import types
from collections.abc import Sequence
from typing import Any

from schemagen.loader.child import main as child
from schemagen.loader.process import Ended, Tail, drain, reply_of

BUNDLED_MODULES = (
    "inferencesh",
    "inferencesh.models",
    "inferencesh.models.base",
    "inferencesh.models.file",
    "inferencesh.models.llm",
    "inferencesh.models.output_meta",
    "inferencesh.output_meta_gen",
)


class _PreloadedLoader(importlib.abc.Loader):
    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class PreloadedFinder(importlib.abc.MetaPathFinder):
    """Serves modules imported before the fork, as if imported now.

    They stay out of ``sys.modules`` until an app asks for one; then all of
    them return at once (their classes refer to each other's modules), so
    "did the app import the SDK?" still has its one-shot answer.
    """

    def __init__(self, modules: dict[str, types.ModuleType]) -> None:
        self.modules = modules

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        for name, module in self.modules.items():
            if name != fullname:
                sys.modules.setdefault(name, module)
        module = self.modules[fullname]
        return importlib.machinery.ModuleSpec(
            fullname,
            _PreloadedLoader(module),
            is_package=hasattr(module, "__path__"),
        )


def resolve_sdk(mode: str) -> str:
    """``auto`` resolved once for the whole batch, as the child would resolve it."""
    if mode != "auto":
        return mode
    return "installed" if importlib.util.find_spec("inferencesh") is not None else "bundled"


def preload_bundled_sdk() -> PreloadedFinder:
    """Import the bundled surface once, for every fork to find as if it imported it.

    Its models are created with ``defer_build``: each builds its validator the
    first time something needs it, so the ~40 models an app does not use (the
    LLM ones, for most apps) cost nothing. The setting is taken off them after,
    so that the app's own models, which inherit their config, are built as usual.
    """
    from pydantic import BaseModel

    sys.path.insert(0, child.SDK_DIR)
    BaseModel.model_config["defer_build"] = True
    try:
        for name in BUNDLED_MODULES:
            importlib.import_module(name)
    finally:
        del BaseModel.model_config["defer_build"]
    modules = {
        name: module
        for name, module in sys.modules.items()
        if name == "inferencesh" or name.startswith("inferencesh.")
    }
    for module in modules.values():
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                value.model_config.pop("defer_build", None)
    for name in modules:
        del sys.modules[name]
    sys.path.remove(child.SDK_DIR)
    finder = PreloadedFinder(modules)
    sys.meta_path.insert(0, finder)
    return finder


def compile_in_fork(request: dict[str, Any], timeout: float) -> tuple[dict[str, Any], str]:
    """Run ``child.run_request`` in a forked child; (reply, the tail of what the app printed)."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    out_read, out_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(read_fd)
            os.close(out_read)
            os.dup2(out_write, 1)
            os.dup2(out_write, 2)
            sys.stdin = open(os.devnull)  # noqa: SIM115 - the child exits below
            reply = child.run_request(request)
            with os.fdopen(write_fd, "w", encoding="utf-8") as out:
                json.dump(reply, out)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(0)
    os.close(write_fd)
    os.close(out_write)
    chunks = bytearray()
    tail = Tail()
    with os.fdopen(read_fd, "rb") as pipe, os.fdopen(out_read, "rb") as printed:
        try:
            finished = drain({pipe: chunks.extend, printed: tail.write}, timeout)
        except BaseException:  # Ctrl-C, a signal: the app's import ends with us
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        if not finished:
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    ended = Ended(bytes(chunks), tail.text(), code, timed_out=not finished)
    return reply_of(ended), ended.output


def main() -> None:
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if sys.path and sys.path[0] == "":
        del sys.path[0]
    sys.dont_write_bytecode = True
    config = json.loads(sys.stdin.readline())
    sdk = resolve_sdk(config["sdk"])
    if sdk == "bundled":
        preload_bundled_sdk()
    for line in sys.stdin:
        message = json.loads(line)
        request = message["request"]
        request["options"]["sdk"] = sdk
        reply, printed = compile_in_fork(request, request["options"]["timeout"])
        protocol.write(json.dumps({"id": message["id"], "reply": reply, "output": printed}) + "\n")
        protocol.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
