"""Python names in the generated client: ``$defs`` keys and property names that are
keywords, constants, builtins, names the module imports or pydantic's own.

The module must import, and every wire name must travel unchanged: a payload built
from the schema's own names validates (as ``jsonschema`` says), dumps back to itself,
and an invalid one is rejected.
"""

from __future__ import annotations

import json
import keyword
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from schemagen.manifest import Manifest
from tests import profiles
from tests.emit import zod_differential as corpus
from tests.emit.python.test_client import emit, load_module

NAMED_SCHEMAS = 60 if profiles.LONG else 8

# Written by hand: what a careless emitter would bind or shadow.
PYTHON_NAMES = [
    "None", "True", "False", "none", "true", "class", "import", "match", "case", "type",
    "_", "def", "lambda", "Any", "Field", "BaseModel", "RootModel", "Literal", "Annotated",
    "TypeAlias", "Optional", "Union", "str", "list", "dict", "int", "bool", "float", "object",
    "Exception", "ValueError", "TypeError", "Ellipsis", "NotImplemented", "Fraction", "re",
    "importlib", "Integer", "Number", "FileUrl", "APP_REF", "ClientError", "Transport",
    "__proto__", "__init__", "__class__", "__dict__", "model_config", "model_fields",
    "model_dump", "model_validate", "model_x", "self", "input", "fields", "json", "copy",
    "schema", "validate", "constructor", "toString",
]  # fmt: skip


def _value_of(kind: str) -> Any:
    return {"string": "s", "integer": 3, "boolean": True, "null": None}[kind]


@st.composite
def named_schemas(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A schema whose ``$defs`` keys and property names are hostile, and a valid payload."""
    def_names = draw(st.lists(st.sampled_from(PYTHON_NAMES), min_size=1, max_size=5, unique=True))
    kinds = st.sampled_from(["string", "integer", "boolean", "null", "object"])
    defs: dict[str, Any] = {}
    samples: dict[str, Any] = {}
    for name in def_names:
        kind = draw(kinds)
        if kind == "object":
            inner = draw(st.sampled_from(PYTHON_NAMES))
            defs[name] = {"type": "object", "properties": {inner: {"type": "integer"}},
                          "required": [inner]}  # fmt: skip
            samples[name] = {inner: 1}
        else:
            defs[name] = {"type": kind}
            samples[name] = _value_of(kind)
    properties: dict[str, Any] = {}
    payload: dict[str, Any] = {}
    for prop in draw(st.lists(st.sampled_from(PYTHON_NAMES), min_size=1, max_size=6, unique=True)):
        target = draw(st.sampled_from(def_names))
        properties[prop] = {"$ref": f"#/$defs/{target}"}
        payload[prop] = samples[target]
    required = draw(st.lists(st.sampled_from(sorted(properties)), unique=True))
    schema = {"type": "object", "$defs": defs, "properties": properties, "required": required}
    return schema, payload


def _verdict(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def test_hostile_defs_and_property_names_import_and_keep_their_wire_names(
    tmp_path: Path,
) -> None:
    counter = iter(range(10**6))

    @corpus.hypothesis_settings(NAMED_SCHEMAS)
    @given(st.lists(named_schemas(), min_size=1, max_size=3))
    def check(cases: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        manifest = Manifest.from_dict(corpus.manifest_for([schema for schema, _ in cases]))
        module = load_module(emit(manifest), tmp_path, f"named_{next(counter)}")
        for i, (schema, payload) in enumerate(cases):
            model = getattr(module, f"F{i:03d}Input")
            oracle = jsonschema.Draft202012Validator(schema)
            assert oracle.is_valid(payload)
            instance = model.model_validate(payload)
            dumped = instance.model_dump(mode="json", by_alias=True, exclude_unset=True)
            assert dumped == payload
            adapter: TypeAdapter[Any] = TypeAdapter(model)
            for prop in payload:
                wrong = {**payload, prop: [payload[prop]]}  # no definition is an array
                assert not oracle.is_valid(wrong)
                assert not _verdict(adapter, wrong), json.dumps(wrong)

    check()


@pytest.mark.parametrize("name", ["None", "True", "False", "class", "import", "Any", "str"])
def test_a_defs_key_that_is_a_python_name_is_a_usable_class(tmp_path: Path, name: str) -> None:
    schema = {
        "type": "object",
        "$defs": {name: {"type": "object", "properties": {"v": {"type": "integer"}}}},
        "properties": {"x": {"$ref": f"#/$defs/{name}"}},
    }
    text = emit(Manifest.from_dict(corpus.manifest_for([schema])))
    module = load_module(text, tmp_path, f"defs_{name.lower()}")
    value = module.F000Input.model_validate({"x": {"v": 1}}).x
    assert value.v == 1
    bound = type(value).__name__
    assert bound.isidentifier() and not keyword.iskeyword(bound)
    assert module.Any is typing.Any and module.BaseModel is pydantic.BaseModel
    with pytest.raises(ValidationError):
        module.F000Input.model_validate({"x": {"v": "1"}})


@pytest.mark.parametrize("name", ["None", "True", "class", "__proto__", "Any", "model_config"])
def test_a_reference_target_named_by_a_python_name_is_a_usable_class(
    tmp_path: Path, name: str
) -> None:
    # A target reached through a pointer (not a $defs entry) is named by its last token.
    schema = {
        "type": "object",
        "properties": {
            name: {"type": "array", "items": {"$ref": f"#/properties/{name}"}},
            "x": {"$ref": f"#/properties/{name}"},
        },
    }
    text = emit(Manifest.from_dict(corpus.manifest_for([schema])))
    module = load_module(text, tmp_path, f"pointer_{name.strip('_').lower()}")
    adapter: TypeAdapter[Any] = TypeAdapter(module.F000Input)
    payload = {name: [[], [[]]], "x": [[[]]]}
    dumped = adapter.dump_python(adapter.validate_python(payload), mode="json", by_alias=True,
                                 exclude_unset=True)  # fmt: skip
    assert dumped == payload
    assert not _verdict(adapter, {"x": [1]})
    assert module.Any is typing.Any
