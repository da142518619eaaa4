"""The ``schemagen`` command and ``python -m schemagen``.

Kept import-light, like the package: it runs before anything else.
"""

import sys
from typing import NoReturn


def main() -> None:
    """Run the command line, the import child of one app started first (``loader/early.py``)."""
    from schemagen.loader import early

    early.start(sys.argv)
    from schemagen.cli import main as command_line

    try:
        command_line()
    except SystemExit as stop:
        exit_now(stop.code)
    exit_now(0)


def exit_now(code: str | int | None) -> NoReturn:
    """Exit with ``code`` as ``sys.exit`` would, without tearing the interpreter down.

    A run's work is done when the command returns; teardown would only free every
    module's objects one by one (~8 ms after one app's extraction, a twentieth of
    the run). What it does that matters is done here: the ``atexit`` functions
    (the early child's end, among them), and stdout and stderr flushed. Where a
    thread that is not a daemon still runs, the usual exit waits for it.
    """
    import atexit
    import os
    import threading

    if any(not t.daemon and t is not threading.main_thread() for t in threading.enumerate()):
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message")
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (`schemagen ... | head`), as cli.py says it
        from schemagen.cli import EXIT_BROKEN_PIPE

        status = EXIT_BROKEN_PIPE
    try:
        sys.stderr.flush()
    except OSError:  # nowhere left to say anything
        pass
    os._exit(status)


if __name__ == "__main__":
    main()
