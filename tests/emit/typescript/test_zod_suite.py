"""The official JSON-Schema-Test-Suite (draft 2020-12) through the zod target, under zod 3
and zod 4: every group's schema is a function's input (``official_suite``), the module
``generate`` writes for it is loaded in node, and each case must get the suite's verdict.

All groups' modules and instances go to one node process in one batch (the harness
loads each module under both zods), so the whole suite takes seconds. A group that
cannot pass yet is in ``KNOWN_MISSES`` with its reason, and printed.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from schemagen.emit.typescript.naming import pascal_case
from schemagen.emit.typescript.zod import emit_zod_module
from tests.emit import official_suite as suite
from tests.emit.node_harness import NodeHarness, node_missing, typecheck

# (file, group description) -> why the zod target cannot give the suite's verdicts yet.
KNOWN_MISSES: dict[tuple[str, str], str] = {}


@cache
def _modules() -> dict[str, tuple[str, list[str]]]:
    """Each group's generated module and its warnings, by group id."""
    modules = {}
    for group in suite.groups():
        module = emit_zod_module(suite.manifest([group]))
        modules[group.id] = (module.text, [str(w) for w in module.warnings])
    return modules


def _export(group: suite.Group) -> str:
    return f"{pascal_case(suite.function_name(group))}Input"


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict[str, list[Any]]]:
    """Every case's verdict under each zod: group id -> zod -> [verdict per case]."""
    missing = node_missing()
    if missing:
        pytest.fail(missing)
    groups = suite.groups()
    node = NodeHarness()
    try:
        response = node.run(
            {group.id: _modules()[group.id][0] for group in groups},
            [(group.id, _export(group), [case.data for case in group.cases]) for group in groups],
        )
    finally:
        node.close()
    found: dict[str, dict[str, list[Any]]] = {}
    for i, group in enumerate(groups):
        error = response["errors"].get(group.id)
        found[group.id] = {
            zod: [f"error: {error}"] * len(group.cases) if error else response["verdicts"][zod][i]
            for zod in ("zod3", "zod4")
        }
    return found


def test_skips_are_printed() -> None:
    extra = [suite.Skip(file, group, reason) for (file, group), reason in KNOWN_MISSES.items()]
    print(suite.skip_report(extra))
    known = {(g.file, g.description) for g in suite.groups()}
    assert set(KNOWN_MISSES) <= known, "a known miss names no group of the suite"


@pytest.mark.parametrize("case", suite.case_params())
@pytest.mark.parametrize("zod", ["zod3", "zod4"])
def test_suite_case(zod: str, case: suite.Case, verdicts: dict[str, Any]) -> None:
    reason = KNOWN_MISSES.get((case.file, case.group))
    if reason is not None:
        pytest.skip(reason)
    group = next(g for g in suite.groups() if g.file == case.file and g.index == case.group_index)
    verdict = verdicts[group.id][zod][group.cases.index(case)]
    assert verdict is case.valid, (
        f"the suite says {case.valid}, {zod} says {verdict}\n"
        f"schema: {json.dumps(case.schema)}\ninstance: {json.dumps(case.data)}\n"
        f"module:\n{_modules()[group.id][0]}"
    )


@pytest.mark.parametrize("group", [pytest.param(g, id=g.id) for g in suite.groups()])
def test_no_warning_on_suite_schemas(group: suite.Group) -> None:
    if (group.file, group.description) in KNOWN_MISSES:
        pytest.skip(KNOWN_MISSES[group.file, group.description])
    assert not _modules()[group.id][1]


@pytest.mark.parametrize("zod", ["zod3", "zod4"])
def test_every_groups_module_typechecks(zod: str) -> None:
    # References in every form (definitions through z.lazy), unevaluated* plans and
    # dependentSchemas are what only the suite exercises; every group's module is checked.
    missing = node_missing()
    if missing:
        pytest.fail(missing)
    groups = suite.groups()
    assert len(groups) > 300
    files = {f"{suite.function_name(g)}.ts": _modules()[g.id][0] for g in groups}
    assert len(files) == len(groups)  # one file per group: none hides another
    result = typecheck(files, zod)
    assert result.returncode == 0, result.stdout + result.stderr
