"""The ``schemagen`` command and ``python -m schemagen``.

Kept import-light, like the package: it runs before anything else.
"""

import sys


def main() -> None:
    """Run the command line, the import child of one app started first (``loader/early.py``)."""
    from schemagen.loader import early

    early.start(sys.argv)
    from schemagen.cli import main as command_line

    command_line()


if __name__ == "__main__":
    main()
