"""The import child of one app, started before the command line is read.

``schemagen extract APP`` spends its time in two parts that need not wait for
each other: this process importing the command line (click, the targets'
registry, the loader), and the child importing pydantic and the bundled SDK
before it can import the app. So ``schemagen.__main__`` starts the child
first (``start``), and it gets ready on another core while this process reads
the flags; the loader hands it the request (``take``). A run that needs no
such child (a cache hit, ``--python``, a Node.js app, many apps at once) ends
it (``discard``, also at exit). The child is the one a run would start anyway,
only earlier: same interpreter, environment and isolation.

Only the standard library here, and little of it: this runs before anything else.
Not even ``typing`` or ``subprocess`` (~15 ms together, before the child could
start): the early child is started with ``os.posix_spawn`` (``SpawnedChild``).
"""

from __future__ import annotations

import atexit
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from types import TracebackType
    from typing import Any, TypeAlias

    Child: TypeAlias = "subprocess.Popen[Any] | SpawnedChild"

# What an import child's environment sets, whatever the caller's: the same bytes
# whatever the caller's hash seed; pydantic plugins (validation hooks such as
# logfire's) not loaded, as they cannot change a schema and finding them reads
# every installed distribution's metadata. Bytecode is not turned off here: the
# child caches its own modules' and stops before the app's (``child.main.load``).
CHILD_ENVIRONMENT = {
    "PYTHONHASHSEED": "0",
    "PYDANTIC_DISABLE_PLUGINS": "__all__",
}
CHILD_ENTRY = "from schemagen.loader.child.boot import child; child()"
# The same child, told to get ready (pydantic, the SDK) before it reads its request.
EARLY_CHILD_ENTRY = "from schemagen.loader.child.boot import child; child(early=True)"
WORKER_ENTRY = "from schemagen.loader.child.boot import worker; worker()"
# The commands that import one app, when given one.
_COMMANDS = ("extract", "generate", "check")

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # schemagen/
_PACKAGE_INIT = os.path.join(_PACKAGE_DIR, "__init__.py")

_started: SpawnedChild | None = None


def child_command(python: str | None, entry: str) -> list[str]:
    """The argv running ``entry`` (Python statements) in ``python`` with schemagen importable.

    schemagen is registered from its own folder, not by putting the folder
    holding it on ``sys.path``: installed from a wheel, that folder is
    schemagen's site-packages, whose pydantic would shadow the one of the
    interpreter the app is imported with.
    """
    interpreter = sys.executable
    if python:
        import shutil

        # Resolved here: children start in other folders.
        found = shutil.which(python) if os.sep not in python else None
        interpreter = found or os.path.abspath(python)
    boot = (
        "import sys, importlib.util as u; "
        f"s = u.spec_from_file_location('schemagen', {_PACKAGE_INIT!r}, "
        f"submodule_search_locations=[{_PACKAGE_DIR!r}]); "
        "m = u.module_from_spec(s); sys.modules['schemagen'] = m; s.loader.exec_module(m); "
        "del s, m, u; "
    )
    return [interpreter, "-c", boot + entry]


def child_environment() -> dict[str, str]:
    return {**os.environ, **CHILD_ENVIRONMENT}


def start_child(
    argv: list[str], cwd: str | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """A child with pipes for its request, reply and output, in a process group of its
    own: it and whatever the app starts die together (on a timeout, on Ctrl-C, which
    reaches schemagen alone)."""
    import subprocess

    pipe = subprocess.PIPE
    return subprocess.Popen(
        argv,
        stdin=pipe,
        stdout=pipe,
        stderr=pipe,
        cwd=cwd,
        env=child_environment() if env is None else env,
        start_new_session=True,
    )


class SpawnedChild:
    """``start_child``'s child, in this folder, started with ``os.posix_spawn``: what
    the loader uses of ``subprocess.Popen`` (streams, ``pid``, ``poll``, ``wait``,
    ``kill``, ``with``), without importing it first.

    Signals ignored here stay ignored in the child (``Popen`` resets SIGPIPE and
    SIGXFSZ): an interpreter ignores both anyway, and what it starts gets them reset.
    """

    def __init__(self, argv: list[str]) -> None:
        stdin, self_stdin = os.pipe()
        self_stdout, stdout = os.pipe()
        self_stderr, stderr = os.pipe()
        # As Popen's close_fds: what this process inherited stays out of the child.
        closed = [(os.POSIX_SPAWN_CLOSE, fd) for fd in _inheritable_descriptors()]
        try:
            self.pid = os.posix_spawn(
                argv[0],
                argv,
                child_environment(),
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, stdin, 0),
                    (os.POSIX_SPAWN_DUP2, stdout, 1),
                    (os.POSIX_SPAWN_DUP2, stderr, 2),
                    *closed,
                ],
                setsid=True,
            )
        except BaseException:
            for fd in (self_stdin, self_stdout, self_stderr):
                os.close(fd)
            raise
        finally:
            for fd in (stdin, stdout, stderr):
                os.close(fd)
        self.stdin = open(self_stdin, "wb")  # noqa: SIM115 - closed by __exit__ or _end
        self.stdout = open(self_stdout, "rb")  # noqa: SIM115
        self.stderr = open(self_stderr, "rb")  # noqa: SIM115
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        import signal

        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)

    def __enter__(self) -> SpawnedChild:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stdout.close()
        self.stderr.close()
        try:
            self.stdin.close()
        except BrokenPipeError:
            pass
        self.poll()  # not wait(): see run_child


def _inheritable_descriptors() -> list[int]:
    """This process's file descriptors above 2 that a child would inherit."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found = []
        for fd in sorted(int(name) for name in names if name.isdigit()):
            try:
                if fd > 2 and os.get_inheritable(fd):
                    found.append(fd)
            except OSError:  # the listing's own descriptor, closed by now
                pass
        return found
    return []


def start(argv: list[str]) -> None:
    """Start the child now when ``argv`` is a command that may import one app with this
    interpreter (not under ``--python``)."""
    global _started
    if len(argv) < 2 or argv[1] not in _COMMANDS or os.name != "posix":
        return
    if any(arg == "--python" or arg.startswith("--python=") for arg in argv):
        return
    try:
        _started = SpawnedChild(child_command(None, EARLY_CHILD_ENTRY))
    except (OSError, AttributeError, NotImplementedError):  # no posix_spawn, or its setsid
        return  # the loader will start one itself, and report what it finds
    atexit.register(discard)


def take(python: str | None) -> SpawnedChild | None:
    """The child started early, for one app to be imported with ``python`` (None: this
    interpreter); None when there is none fit for it."""
    global _started
    proc, _started = _started, None
    if proc is not None and (python is not None or proc.poll() is not None):
        _end(proc)
        return None
    return proc


def discard() -> None:
    """End the child started early, if no app was given to it."""
    global _started
    proc, _started = _started, None
    if proc is not None:
        _end(proc)


def kill_group(proc: Child) -> None:
    """Kill ``proc`` and every process of its group (it was started in a session of its
    own), and reap it."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()  # already gone, or not a group leader after all
    proc.wait()


def _end(proc: SpawnedChild) -> None:
    kill_group(proc)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
