"""Fixtures the back-end tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emit.node_harness import NodeHarness, node_missing


@pytest.fixture(scope="module")
def harness() -> Iterator[NodeHarness]:
    """One node process per test module that loads generated zod modules (zod 3 and 4)."""
    missing = node_missing()
    if missing:
        pytest.fail(missing)
    node = NodeHarness()
    yield node
    node.close()
