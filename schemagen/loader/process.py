"""Running a loader child: its reply in full, what the app printed as a bounded tail.

An app may print without end at import time (progress bars, a model card, a
flood of warnings). Its output is drained while the child runs, so the child
never blocks on a full pipe, and only the last ``TAIL_BYTES`` are kept for
``-v``: memory stays flat however much it prints. The reply (the child's own
stdout) is kept whole.

The import's memory is capped with ``RLIMIT_AS``, set by the child itself
(``boot.limit_memory``) before it imports anything of the app's; how a child
ended (exit code, or the signal that killed it) comes back with the output.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from schemagen.loader.early import SpawnedChild, kill_group, start_child

if TYPE_CHECKING:
    from schemagen.loader.early import Child

TAIL_BYTES = 64 * 1024


class Tail:
    """The last ``limit`` bytes written to it, and how many came before them."""

    def __init__(self, limit: int = TAIL_BYTES) -> None:
        self.limit = limit
        self.data = bytearray()
        self.dropped = 0

    def write(self, chunk: bytes) -> None:
        self.data += chunk
        extra = len(self.data) - self.limit
        if extra > 0:
            del self.data[:extra]
            self.dropped += extra

    def text(self) -> str:
        text = self.data.decode("utf-8", "replace")
        if self.dropped:
            # Start at a line boundary: the first kept line is whole.
            newline = text.find("\n")
            text = text[newline + 1 :] if newline >= 0 else text
            return f"[{self.dropped:,} earlier bytes of the app's output not kept]\n{text}"
        return text


@dataclass
class Ended:
    """How a child ended: the reply bytes, the output tail, its exit."""

    reply: bytes
    output: str
    returncode: int | None
    timed_out: bool = False

    @property
    def signal_name(self) -> str | None:
        """The signal that killed the child (``SIGKILL``), if one did."""
        if self.returncode is None or self.returncode >= 0:
            return None
        try:
            return signal.Signals(-self.returncode).name
        except ValueError:
            return f"signal {-self.returncode}"


def reply_of(ended: Ended) -> dict[str, Any]:
    """The child's reply, or what its end says when it could not give one."""
    if ended.timed_out:
        return {"ok": False, "error": {"kind": "timeout"}}
    try:
        reply: dict[str, Any] = json.loads(ended.reply)
        return reply
    except ValueError:
        exit_code = ended.returncode
        return {
            "ok": False,
            "error": {"kind": "crashed", "exit_code": exit_code, "signal": ended.signal_name},
        }


def run_child(
    argv: list[str],
    request: bytes,
    *,
    timeout: float,
    cwd: str,
    env: dict[str, str],
    started: SpawnedChild | None = None,
) -> Ended:
    """Run ``argv`` (or the child ``started`` early with it) with ``request`` on stdin;
    its stdout whole and its stderr's tail."""
    with started or start_child(argv, cwd, env) as proc:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        with _RUNNING_LOCK:
            _RUNNING.add(proc)
        try:
            try:
                proc.stdin.write(request)
                proc.stdin.close()
            except BrokenPipeError:
                pass  # it died at once; its exit says why
            reply = bytearray()
            tail = Tail()
            timed_out = not drain({proc.stdout: reply.extend, proc.stderr: tail.write}, timeout)
        except BaseException:
            kill_group(proc)
            raise
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(proc)
        if timed_out:
            kill_group(proc)
        # The early child need not be waited for once it has replied: it is ending, and
        # its exit takes a few ms more (unmapping its memory); left to poll() and init.
        done = isinstance(proc, SpawnedChild) and not timed_out and _replied(reply)
        returncode = proc.poll() if done else proc.wait()
    return Ended(bytes(reply), tail.text(), returncode, timed_out)


def _replied(reply: bytes | bytearray) -> bool:
    try:
        json.loads(reply)
    except ValueError:
        return False
    return True


# The children ``run_child`` waits for, in any thread: an interrupted run kills them all.
_RUNNING: set[Child] = set()
_RUNNING_LOCK = threading.Lock()


def kill_running_children() -> None:
    """Kill every child ``run_child`` is waiting for (threads of an interrupted run)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for proc in running:
        kill_group(proc)


def drain(streams: dict[IO[bytes], Callable[[bytes], object]], timeout: float) -> bool:
    """Read every stream to its end, each chunk to its callback; False on timeout."""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for stream, sink in streams.items():
            selector.register(stream, selectors.EVENT_READ, sink)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fd, 1 << 16)
                if chunk:
                    key.data(chunk)
                else:
                    selector.unregister(key.fileobj)
    return True


def default_memory_limit() -> int:
    """Half of this machine's memory, at least 2 GiB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - sysconf unknown
        return 8 << 30
    return max(2 << 30, total // 2)


def format_size(size: int) -> str:
    """``size`` bytes as people write it (``12 GiB``, ``512 MiB``)."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            value = size / (1 << shift)
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} B"


def parse_size(text: str) -> int | None:
    """``4G``, ``512M``, ``1.5GiB``, ``1000000`` (bytes), or ``none``/``0`` for no limit."""
    value = text.strip().lower().removesuffix("b").removesuffix("i")
    if value in ("none", "0", "off", "unlimited", ""):
        return None
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    factor = units.get(value[-1], 1)
    number = value[:-1] if value[-1] in units else value
    size = int(float(number) * factor)
    if size <= 0:
        raise ValueError(text)
    return size
