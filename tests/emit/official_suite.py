"""The official JSON-Schema-Test-Suite (draft 2020-12) as test cases for every target.

The suite's files are vendored in ``tests/data/json-schema-test-suite/`` (MIT, its
licence beside them), so a clean clone needs nothing outside the repository. Each
file is a list of groups, each a schema and cases (an instance and whether it is
valid). ``refRemote.json`` and the groups naming ``localhost:1234`` need the suite's
remote documents, which are not vendored: they are skipped, and ``skipped()`` says
why for each (print it with ``skip_report()``).

A target sees each group's schema as a user's ``generate`` does: as a function's
input schema in a platform ``functions_schema.json`` (``functions_schema``), read
into a manifest the way ``load_manifest_file`` reads one (``manifest``). The
function of a group is ``function_name(group)``.

Shared by the zod tests, the Python client's tests and ``benchmarks/zod_bench``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "tests" / "data" / "json-schema-test-suite" / "draft2020-12"
# Whole files left out, and why.
SKIPPED_FILES = {
    "refRemote.json": "every group $refs the suite's remote documents (localhost:1234), "
    "which are not vendored"
}
REMOTE = "localhost:1234"
REMOTE_REASON = "names localhost:1234, the host of the suite's remote documents (not vendored)"


@dataclass(frozen=True)
class Case:
    """One instance of a group, with the suite's verdict."""

    file: str  # "anchor.json"
    group: str  # the group's description
    group_index: int  # the group's place in its file
    schema: Any
    description: str
    data: Any
    valid: bool

    @property
    def id(self) -> str:
        """A readable pytest id: ``file/group/case``."""
        return f"{self.file[:-5]}/{_short(self.group)}/{_short(self.description)}"


@dataclass(frozen=True)
class Group:
    """One schema of the suite and its cases."""

    file: str
    index: int  # its place in the file
    description: str
    schema: Any
    cases: tuple[Case, ...]

    @property
    def id(self) -> str:
        return f"{self.file[:-5]}/{_short(self.description)}"


@dataclass(frozen=True)
class Skip:
    file: str
    group: str | None  # None: the whole file
    reason: str


def _short(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip())[:80]


@cache
def _read() -> tuple[tuple[Group, ...], tuple[Skip, ...]]:
    if not SUITE.is_dir():
        raise FileNotFoundError(f"the vendored suite is missing: {SUITE}")
    groups: list[Group] = []
    skips: list[Skip] = []
    for path in sorted(SUITE.glob("*.json")):
        if path.name in SKIPPED_FILES:
            skips.append(Skip(path.name, None, SKIPPED_FILES[path.name]))
            continue
        for index, raw in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            description = raw["description"]
            if REMOTE in json.dumps(raw):
                skips.append(Skip(path.name, description, REMOTE_REASON))
                continue
            cases = tuple(
                Case(
                    path.name,
                    description,
                    index,
                    raw["schema"],
                    test["description"],
                    test["data"],
                    bool(test["valid"]),
                )
                for test in raw["tests"]
            )
            groups.append(Group(path.name, index, description, raw["schema"], cases))
    return tuple(groups), tuple(skips)


def groups() -> tuple[Group, ...]:
    """Every group the tests run, file by file in the suite's order."""
    return _read()[0]


def cases(selected: Iterable[Group] | None = None) -> list[Case]:
    """Every case of ``selected`` groups (default: all the tests run)."""
    return [case for group in (groups() if selected is None else selected) for case in group.cases]


def skipped() -> tuple[Skip, ...]:
    """What the suite holds that the tests leave out, each with its reason."""
    return _read()[1]


def skip_report(extra: Iterable[Skip] = ()) -> str:
    """The skip list, one line per file or group, with its reason (for printing)."""
    lines = []
    for skip in (*skipped(), *extra):
        where = skip.file if skip.group is None else f"{skip.file}: {skip.group!r}"
        lines.append(f"skipped {where}: {skip.reason}")
    return "\n".join(lines)


def function_name(group: Group) -> str:
    """The function a group's schema is the input of: ``{file}_{index}`` as a name
    (``unevaluatedProperties_12``)."""
    stem = re.sub(r"[^0-9A-Za-z]+", "_", group.file[:-5]).strip("_")
    return f"{stem}_{group.index}"


def functions_schema(selected: Sequence[Group]) -> dict[str, Any]:
    """A platform ``functions_schema.json`` with one function per group, its schema
    as the function's input (what a user hands ``generate``)."""
    return {
        function_name(group): {
            "description": group.description,
            "input_schema": group.schema,
            "output_schema": {"type": "object", "properties": {}},
        }
        for group in selected
    }


def manifest(selected: Sequence[Group]) -> Any:
    """The manifest ``generate`` reads from ``functions_schema(selected)``."""
    from schemagen.manifest import Manifest

    return Manifest.from_functions_schema(
        functions_schema(selected), source="<json-schema-test-suite>", name="suite"
    )


def case_params(selected: Iterable[Group] | None = None) -> list[Any]:
    """``cases(selected)`` as pytest params with readable, unique ids."""
    import pytest

    seen: dict[str, int] = {}
    params = []
    for case in cases(selected):
        n = seen[case.id] = seen.get(case.id, 0) + 1
        params.append(pytest.param(case, id=case.id if n == 1 else f"{case.id}#{n}"))
    return params
