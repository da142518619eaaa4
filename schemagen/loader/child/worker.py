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

import json
import os
import signal
import sys
from typing import Any

from schemagen.loader.child import main as child
from schemagen.loader.child.preload import preload_bundled_sdk, resolve_sdk
from schemagen.loader.process import Ended, Tail, drain, reply_of


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
    config = json.loads(sys.stdin.readline())
    sdk = resolve_sdk(config["sdk"])
    if sdk == "bundled":
        preload_bundled_sdk(llm=True)
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
