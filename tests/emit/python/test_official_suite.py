"""The official JSON-Schema-Test-Suite (draft 2020-12) through the Python client.

Every group's schema is a function's input schema in one ``functions_schema.json``
(``tests/emit/official_suite.py``), as a user hands it to ``generate``; the one
``client.py`` made of it is imported once, and each case's instance must get the
suite's verdict from the function's input type (a ``TypeAdapter`` of it, as the
client's methods validate). What the suite itself leaves out (its remote
documents) and the groups still missed are printed with their reasons.
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

# Groups the Python client does not yet get right, each with why: (file, group) -> reason.
MISSED: dict[tuple[str, str], str] = {}


def _missed() -> list[suite.Skip]:
    return [suite.Skip(file, group, reason) for (file, group), reason in MISSED.items()]


@pytest.fixture(scope="module")
def suite_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[types.ModuleType, list[EmitWarning]]
]:  # fmt: skip
    print("\n" + suite.skip_report(_missed()))
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
    reason = MISSED.get((case.file, case.group))
    if reason is not None:
        pytest.skip(reason)
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
    missed = {
        pascal_case(suite.function_name(g), "Function") + "Input"
        for g in suite.groups()
        if (g.file, g.description) in MISSED
    }
    left = [w for w in warnings if w.where.split(" ")[0] not in missed]
    assert not left, "\n".join(str(w) for w in left)


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
