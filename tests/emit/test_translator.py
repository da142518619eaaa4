"""What every code back end shares through ``SchemaTranslator``."""

from __future__ import annotations

import pytest

from schemagen.emit import EmitContext, emit_targets
from schemagen.manifest import Manifest
from tests.emit import zod_differential as corpus

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
