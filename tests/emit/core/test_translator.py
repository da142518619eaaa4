"""What every code back end shares through ``SchemaTranslator``."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from schemagen.emit import emit_targets
from schemagen.emit.core.target import EmitContext
from schemagen.manifest import Manifest
from tests.emit import zod_differential as corpus
from tests.emit.node_harness import NodeHarness
from tests.profiles import LONG

# pydantic writes ``ratio: float = float("inf")`` as ``"default": Infinity`` (and a float
# enum's infinite member as ``Infinity``), which the platform copies into its files.
NOT_JSON = corpus.manifest_for([{
    "type": "object",
    "properties": {
        "ratio": {"type": "number", "default": float("inf")},
        "scale": {"enum": [1.5, float("inf")], "default": 1.5},
    },
}])  # fmt: skip


@pytest.mark.parametrize("target", ["zod", "python-client", "ts-client"])
def test_values_that_are_not_json_are_left_out_with_a_warning(target: str) -> None:
    emitted = emit_targets(Manifest.from_dict(NOT_JSON), [target], EmitContext(app_ref="a/b"))
    assert emitted.warnings == [
        f"{target}: F000Input #/properties/ratio/default: Infinity is not a JSON value; left out"
    ]
    for text in emitted.files.values():  # documented, never code (before: a ValueError)
        assert all(b"@default" in line for line in text.splitlines() if b"Infinity" in line)


# -- keywords set to values of the wrong type ---------------------------------------------

# Keywords whose values the back ends write into code (counts, bounds, lists, maps).
KEYWORDS = [
    "minItems", "maxItems", "minContains", "maxContains", "minLength", "maxLength",
    "minProperties", "maxProperties", "multipleOf", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "enum", "const", "dependentRequired",
    "pattern", "required", "uniqueItems", "prefixItems", "propertyNames",
    "format", "title", "description", "examples", "deprecated", "default",
]  # fmt: skip
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["1); evil(", "*/ evil() /*", "\\", "\u2028", "__proto__"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def ill_typed_schemas(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["array", "string", "object", "number", "integer"]))
    schema: dict[str, Any] = {"type": kind}
    if kind == "array":
        schema["contains"] = {"type": "string"}
    if kind == "object":
        schema["properties"] = {"constructor": {"type": "string"}}
    for keyword in draw(st.lists(st.sampled_from(KEYWORDS), min_size=1, max_size=3)):
        schema[keyword] = draw(JSON_VALUES)
    return schema


@settings(max_examples=200 if LONG else 25, deadline=None, derandomize=not LONG)
@given(st.lists(ill_typed_schemas(), min_size=1, max_size=6))
@example([{"type": "integer", "enum": [1, 2], "exclusiveMinimum": None, "multipleOf": None}])
def test_any_keyword_value_yields_code_that_loads(
    harness: NodeHarness, tmp_path_factory: pytest.TempPathFactory, schemas: list[Any]
) -> None:
    """Whatever a keyword holds (a string where a count goes, code, a map where a
    list goes), the zod module transpiles and loads under zod 3 and 4 and the Python
    client imports: the value is written as data or left out with a warning."""
    manifest = Manifest.from_dict(
        corpus.manifest_for([{"type": "object", "properties": {"a": s}} for s in schemas])
    )
    emitted = emit_targets(manifest, ["zod", "python-client"], EmitContext(app_ref="a/b"))
    response = harness.run({"fuzz": emitted.files["schemas.ts"].decode()}, [])
    assert not response["errors"], response["errors"]
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzz_client.py"
    path.write_bytes(emitted.files["client.py"])
    result = subprocess.run(
        [sys.executable, "-c", "import fuzz_client"], cwd=folder, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_enum_members_are_told_apart_by_json_schemas_equality() -> None:
    # [1] and [1.0] are one member (jsonschema's const says so), {"a": 1} another.
    manifest = Manifest.from_dict(
        corpus.manifest_for([{"enum": [[1], [1.0], {"a": 1}, {"a": 1.0}, True, 1, 1.0]}])
    )
    emitted = emit_targets(manifest, ["zod", "python-client"], EmitContext(app_ref="a/b"))
    zod = emitted.files["schemas.ts"].decode()
    assert zod.count("(value, [1])") == 1 and zod.count("(value, { a: 1 })") == 1
    python = emitted.files["client.py"].decode()
    assert '_member([1], {"a": 1}, True, 1)' in python
