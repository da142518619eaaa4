"""Suite-wide options and fixtures.

``pytest --update-golden`` rewrites every golden file a test compares against
instead of failing; read ``git diff golden/`` before committing the result.
"""

from __future__ import annotations

import os
import tempfile

import pytest

# Every schemagen the tests start caches into a throw-away folder, never ~/.cache.
os.environ.setdefault("SCHEMAGEN_CACHE_DIR", tempfile.mkdtemp(prefix="schemagen-test-cache-"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
