"""``schemagen.__main__.exit_now``: the command's exit without interpreter teardown keeps
what the usual exit does that a caller can see."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from tests.helpers import REPO

# Output block-buffered as usual, whatever this process's environment says.
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def run(code: str) -> subprocess.CompletedProcess[str]:
    script = "from schemagen.__main__ import exit_now\n" + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=BUFFERED,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_code_atexit_functions_and_buffered_output_survive() -> None:
    result = run(
        """
        import atexit, sys
        atexit.register(lambda: print("atexit ran", file=sys.stderr))
        sys.stdout.write("x" * 100_000)  # still buffered when exit_now starts
        exit_now(3)
        """
    )
    assert (result.returncode, len(result.stdout), result.stderr) == (3, 100_000, "atexit ran\n")


def test_a_message_is_printed_and_exits_1_and_none_exits_0() -> None:
    assert (run("exit_now('no such app')").returncode, run("exit_now(None)").returncode) == (1, 0)
    assert run("exit_now('no such app')").stderr == "no such app\n"


def test_a_thread_that_is_not_a_daemon_is_waited_for() -> None:
    result = run(
        """
        import threading, time
        def late():
            time.sleep(0.3)
            print("thread finished", flush=True)
        threading.Thread(target=late).start()
        exit_now(4)
        """
    )
    assert (result.returncode, result.stdout) == (4, "thread finished\n")


def test_a_reader_gone_before_the_last_flush_is_exit_141() -> None:
    script = "from schemagen.__main__ import exit_now\nprint('x' * 10)\nexit_now(0)\n"
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=BUFFERED,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # before the child's stdout (a pipe: block-buffered) is flushed
    _, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stderr) == (141, b"")
