"""The manifest: its JSON Schema, round trips, and the platform view of it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from schemagen.errors import ManifestError
from schemagen.manifest import (
    SCHEMAGEN_FUNCTION_KEYS,
    Manifest,
    load_manifest_file,
    manifest_json_schema,
)
from tests.helpers import GOLDEN

GOLDEN_MANIFESTS = sorted(GOLDEN.glob("*/*/manifest.json"))


def test_the_manifest_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(manifest_json_schema())


@pytest.mark.parametrize("path", GOLDEN_MANIFESTS, ids=[p.parent.name for p in GOLDEN_MANIFESTS])
def test_golden_manifests_round_trip_and_match_their_platform_files(path: Path) -> None:
    text = path.read_text()
    manifest = Manifest.from_dict(json.loads(text))
    assert manifest.to_json() == text
    platform = json.loads((path.parent / "functions_schema.json").read_text())
    stripped = {
        name: {k: v for k, v in entry.items() if k not in SCHEMAGEN_FUNCTION_KEYS}
        for name, entry in json.loads(text)["functions"].items()
    }
    assert stripped == platform
    assert manifest.platform_functions_schema() == platform


def test_functions_are_emitted_sorted_by_name() -> None:
    data = json.loads((GOLDEN / "examples" / "multi-function" / "manifest.json").read_text())
    data["functions"] = dict(reversed(list(data["functions"].items())))
    manifest = Manifest.from_dict(data)
    assert list(manifest.to_dict()["functions"]) == ["reverse", "run"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("functions"), "'functions' is a required property"),
        (lambda d: d["functions"]["run"].pop("streaming"), "'streaming' is a required property"),
        (lambda d: d["functions"]["run"].update(extra=1), "extra"),
        (lambda d: d["app"].update(language="cobol"), "cobol"),
        (lambda d: d["functions"].update({"bad name": d["functions"]["run"]}), "bad name"),
    ],
)
def test_invalid_manifests_are_rejected_with_a_pointer(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads((GOLDEN / "examples" / "multi-function" / "manifest.json").read_text())
    mutate(data)
    with pytest.raises(ManifestError) as info:
        Manifest.from_dict(data, source="m.json")
    assert message in info.value.message
    assert info.value.file == "m.json"


def test_functions_schema_file_loads_with_its_setup_schema(tmp_path: Path) -> None:
    golden = GOLDEN / "examples" / "image-tools"
    for name in ("functions_schema.json", "setup_schema.json"):
        (tmp_path / name).write_bytes((golden / name).read_bytes())
    manifest = load_manifest_file(tmp_path / "functions_schema.json")
    assert manifest.app.origin == "functions_schema"
    assert manifest.setup == json.loads((golden / "setup_schema.json").read_text())
    assert sorted(manifest.functions) == ["contact_sheet", "run"]


def test_functions_schema_of_the_wrong_shape_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "functions_schema.json"
    path.write_text(json.dumps({"run": {"description": "x"}}))
    with pytest.raises(ManifestError) as info:
        load_manifest_file(path)
    assert "not a valid functions_schema.json" in info.value.message
