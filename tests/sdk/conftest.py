"""The reference environment for the SDK parity tests: inferencesh 0.7.15.

Built once per machine under ``.cache/venvs/`` (see ``tests/venvs.py``), with
exactly the pydantic and pydantic-core of the interpreter running the tests, so
that any difference in schemas comes from the SDK code, not from pydantic.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.venvs import installed_version, make_venv, pydantic_pins

REFERENCE_SDK = "inferencesh==0.7.15"


@pytest.fixture(scope="session")
def sdk_0715_python() -> Path:
    """The Python of a venv with inferencesh 0.7.15 and this interpreter's pydantic."""
    name = f"inferencesh-0.7.15-pydantic-{installed_version('pydantic')}"
    return make_venv(name, [REFERENCE_SDK, *pydantic_pins()])


@pytest.fixture(scope="session")
def sdk_with_function_python() -> Path:
    """The Python of a venv with inferencesh 0.36.0, whose ``function`` decorator
    the bundled one follows, and this interpreter's pydantic."""
    name = f"inferencesh-0.36.0-pydantic-{installed_version('pydantic')}"
    return make_venv(name, ["inferencesh==0.36.0", *pydantic_pins()])
