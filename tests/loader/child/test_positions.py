"""Source positions: each recorded line is the declaration it names, read from the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from schemagen.loader.parent import LoadOptions, load_app
from schemagen.manifest import Declared, Sources
from tests.helpers import EXAMPLES, FIXTURES

POSITIONS = FIXTURES / "apps" / "source-positions"


def load_sources(app: Path) -> Sources:
    sources = load_app(app, LoadOptions(positions=True)).manifest.sources
    assert sources is not None
    return sources


def source_line(sources: Sources, declared: Declared, line: int) -> str:
    path = Path(sources.path(declared))
    return path.read_text(encoding="utf-8").splitlines()[line - 1]


def check_model(sources: Sources, location: str, declared: Declared, schema: dict) -> None:
    name = location.rsplit("/", 1)[-1]
    text = source_line(sources, declared, declared.line)
    if location != "#":
        assert re.match(rf"class {re.escape(name)}\b", text), (location, text)
    else:
        assert text.startswith("class "), text
    for prop, line in declared.fields.items():
        field_text = source_line(sources, declared, line)
        python_name = re.match(r"\s+(\w+)\s*:", field_text)
        assert python_name, (prop, field_text)
        # The property is the field's name or, when the field has one, its alias.
        assert python_name.group(1) == prop or f'alias="{prop}"' in field_text
        assert prop in schema["properties"]


@pytest.mark.parametrize(
    "app", [POSITIONS, *sorted(p for p in EXAMPLES.iterdir() if (p / "inference.py").exists())]
)
def test_every_position_is_the_declaration_it_names(app: Path) -> None:
    result = load_app(app, LoadOptions(positions=True))
    sources = result.manifest.sources
    assert sources is not None
    manifest = result.manifest
    for name, function in sources.functions.items():
        assert function.at is not None
        text = source_line(sources, function.at, function.at.line)
        following = source_line(sources, function.at, function.at.line + 1)
        assert f"def {name}(" in text or (text.strip().startswith("@") and name in following)
        for side, models in (("input", function.input), ("output", function.output)):
            schema = getattr(manifest.functions[name], f"{side}_schema")
            assert "#" in models
            for location, declared in models.items():
                part = schema if location == "#" else schema["$defs"][location.split("/")[-1]]
                check_model(sources, location, declared, part)
    for location, declared in sources.setup.items():
        assert manifest.setup is not None
        check_model(sources, location, declared, manifest.setup)


def test_helper_modules_inherited_fields_aliases_and_what_is_left_out() -> None:
    sources = load_sources(POSITIONS)
    assert Path(sources.app_dir).resolve() == POSITIONS.resolve()
    models = sources.functions["run"].input
    # Nested models and enums from a helper module, with that module's lines.
    assert models["#/$defs/Settings"].file == "models.py"
    assert models["#/$defs/Style"].file == "models.py"
    # A field inherited from a base in the same file, and an aliased one.
    assert {"user", "maxTokens"} <= set(models["#"].fields)
    assert models["#/$defs/Item"].fields == {"name": 13}
    # output_meta comes from the SDK's BaseAppOutput: no line in the app.
    assert set(sources.functions["run"].output["#"].fields) == {"text"}


def test_classes_sharing_a_name_are_not_guessed_at(tmp_path: Path) -> None:
    shutil.copytree(POSITIONS, tmp_path / "app")
    (tmp_path / "app" / "models.py").write_text(
        (POSITIONS / "models.py").read_text() + "\n\nclass Item(BaseModel):\n    label: str\n"
    )
    source = tmp_path / "app" / "inference.py"
    source.write_text(
        source.read_text()
        .replace("from .models import Settings", "from .models import Item as Other, Settings")
        .replace("    prompt: str\n", "    prompt: str\n    other: Other\n")
    )
    result = load_app(tmp_path / "app", LoadOptions(positions=True))
    assert result.manifest.sources is not None
    models = result.manifest.sources.functions["run"].input
    defs = result.manifest.functions["run"].input_schema["$defs"]
    # pydantic gives both their module paths as $defs names; neither gets a line.
    assert sum("Item" in name for name in defs) == 2
    assert not any("Item" in location for location in models)
    assert {"item", "other"} <= set(models["#"].fields)


def test_positions_under_stub_all() -> None:
    # Everything the loader imports after installing stubs would be stubbed too.
    result = load_app(POSITIONS, LoadOptions(positions=True, stub_all=True))
    assert result.manifest.sources is not None
    assert result.manifest.sources.functions["run"].input["#"].fields["prompt"] == 21


def test_positions_are_never_written() -> None:
    with_positions = load_app(POSITIONS, LoadOptions(positions=True)).manifest
    without = load_app(POSITIONS, LoadOptions()).manifest
    assert without.sources is None
    assert with_positions.to_json() == without.to_json()
