"""The official JSON-Schema-Test-Suite (draft 2020-12) through the Python client.

Every group's schema is a function's input schema in one ``functions_schema.json``
(``tests/emit/official_suite.py``), as a user hands it to ``generate``; the one
``client.py`` made of it is imported once, and each case's instance must get the
suite's verdict from the function's input type (a ``TypeAdapter`` of it, as the
client's methods validate), and a valid one must dump back to itself. What the
suite's copy leaves out (its remote documents) is printed with the reasons; nothing
else is skipped, and no suite schema may get a warning.
"""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from schemagen.emit.core.target import EmitWarning
from schemagen.emit.python.client import emit_python_client
from schemagen.emit.python.naming import pascal_case
from tests.emit import official_suite as suite
from tests.emit.python.test_client import load_module


@pytest.fixture(scope="module")
def suite_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[types.ModuleType, list[EmitWarning]]
]:  # fmt: skip
    print("\n" + suite.skip_report())
    text, warnings = emit_python_client(suite.manifest(suite.groups()), "tests/suite")
    folder: Path = tmp_path_factory.mktemp("suite")
    yield load_module(text, folder, "official_suite_client"), warnings


def _input_type(module: types.ModuleType, group: suite.Group) -> Any:
    return getattr(module, pascal_case(suite.function_name(group), "Function") + "Input")


_GROUPS = {(g.file, g.index): g for g in suite.groups()}


@pytest.mark.parametrize("case", suite.case_params())
def test_the_client_gives_the_suites_verdict(
    suite_client: tuple[types.ModuleType, list[EmitWarning]], case: suite.Case
) -> None:
    module, _ = suite_client
    adapter: TypeAdapter[Any] = TypeAdapter(
        _input_type(module, _GROUPS[case.file, case.group_index])
    )
    try:
        value = adapter.validate_python(case.data)
    except ValidationError:
        assert not case.valid, f"rejects a valid instance: {case.data!r}"
        return
    assert case.valid, f"accepts an invalid instance: {case.data!r}"
    # A valid value survives the dump the client sends.
    assert adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True) == case.data


def test_no_suite_schema_gets_a_warning(
    suite_client: tuple[types.ModuleType, list[EmitWarning]],
) -> None:
    _, warnings = suite_client
    assert not warnings, "\n".join(str(w) for w in warnings)


def test_the_suites_client_passes_mypy_strict_and_ruff(tmp_path: Path) -> None:
    text, _ = emit_python_client(suite.manifest(suite.groups()), "tests/suite")
    path = tmp_path / "suite_client.py"
    path.write_text(text, encoding="utf-8")
    python = sys.executable
    mypy = subprocess.run(
        [python, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "c"),
         str(path)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    for args in (
        ["check", "--isolated", "--select", "E,F,W,I,B,UP", "--ignore", "E501"],
        ["format", "--isolated", "--check", "--diff"],
    ):
        ruff = subprocess.run(
            [python, "-m", "ruff", *args, str(path)], capture_output=True, text=True, timeout=120
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr
