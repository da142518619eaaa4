"""The ``schemagen`` command and ``python -m schemagen``.

Kept import-light, like the package: it runs before anything else.
"""

import os
import sys


def main() -> None:
    """Run the command line, under hash seed 0 (see ``_pin_hash_seed``)."""
    _pin_hash_seed()
    from schemagen.cli import main as command_line

    command_line()


def _pin_hash_seed() -> None:
    """Start this interpreter again under ``PYTHONHASHSEED=0``, unless the caller chose a seed.

    An app's import runs in a fork of this process when it can (one interpreter
    started instead of two, ``loader/parent.py``), and must see the hash seed
    a child interpreter gets, 0, so that an app's sets iterate in the same
    order on every run. Starting again costs a bare interpreter's start-up
    (about 12 ms), before any import; where there is no ``exec`` that keeps the
    process (Windows), the imports run in a child interpreter instead.
    """
    if os.name != "posix" or sys.flags.hash_randomization == 0 or "PYTHONHASHSEED" in os.environ:
        return
    os.execve(sys.executable, sys.orig_argv, {**os.environ, "PYTHONHASHSEED": "0"})


if __name__ == "__main__":
    main()
