"""Options and fixtures of the diff tests.

Goldens of the diff reports live in ``golden/diff/``. Regenerate them with::

    pytest tests/diff --update-golden

and read ``git diff golden/diff`` before committing.

The property tests run a quick, deterministic profile by default; run the long
one with ``HYPOTHESIS_PROFILE=long pytest tests/diff/test_properties.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "diff"


def pytest_addoption(parser: pytest.Parser) -> None:
    try:
        parser.addoption(
            "--update-golden",
            action="store_true",
            default=False,
            help="rewrite golden files from the current output instead of comparing",
        )
    except ValueError:
        pass  # the suite-wide conftest defines it already


class Golden:
    """Compares text with ``golden/diff/<name>``, or rewrites it with --update-golden."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, name: str, text: str) -> None:
        path = GOLDEN / name
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.is_file(), f"{path} is missing: run pytest tests/diff --update-golden"
        assert text == path.read_text(encoding="utf-8"), (
            f"{name} differs from its golden; "
            "run pytest tests/diff --update-golden and read the diff"
        )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden", default=False)))
