"""The llm-tools target: goldens, the tool shapes the vendors' own SDKs type, OpenAI's
strict-mode subset as its guide documents it, and the arguments a tool admits.

Goldens: ``golden/llm_tools/<example>/``, emitted from each example's golden manifest;
refresh with ``pytest tests/emit/llm_tools --update-golden`` and read the diff.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from anthropic.types import ToolParam
from anthropic.types.tool_param import InputSchemaTyped
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema
from openai.lib._pydantic import _ensure_strict_json_schema
from openai.types.chat import ChatCompletionFunctionToolParam
from openai.types.shared_params import FunctionDefinition
from pydantic import TypeAdapter

from schemagen.emit import get_target
from schemagen.emit.core.target import EmitContext, TargetOutput
from schemagen.manifest import Manifest
from tests.emit import zod_differential as corpus
from tests.emit.python.test_client import (
    EXAMPLE_APPS,
    HOSTILE_SAMPLE,
    ZOD_CASES,
    example_manifest,
    hostile_manifests,
)
from tests.helpers import GOLDEN, compare_or_update

TARGET = get_target("llm-tools")
# FunctionDefinition.name in OpenAI's SDK: "Must be a-z, A-Z, 0-9, or contain underscores
# and dashes, with a maximum length of 64"; Anthropic's tool names keep to the same.
TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")


def emit(manifest: Manifest) -> TargetOutput:
    return TARGET.emit(manifest, EmitContext())


def tools(output: TargetOutput) -> tuple[list[Any], list[Any]]:
    files = output.files
    return json.loads(files["openai_tools.json"]), json.loads(files["anthropic_tools.json"])


def manifests() -> list[tuple[str, Manifest]]:
    cases = [
        (p.stem, Manifest.from_dict(json.loads(p.read_text()))) for p in ZOD_CASES.glob("*.json")
    ]
    examples = [(app.name, example_manifest(app)) for app in EXAMPLE_APPS]
    return sorted(examples + cases) + [("hostile", Manifest.from_dict(HOSTILE_SAMPLE))]


def one_property(schema: Any, *, root: dict[str, Any] | None = None) -> Manifest:
    """A manifest of one function whose input is a closed object requiring ``a``."""
    document = {
        "type": "object",
        "properties": {"a": schema},
        "required": ["a"],
        "additionalProperties": False,
        **(root or {}),
    }
    return Manifest.from_dict(corpus.manifest_for([document]))


# -- goldens -------------------------------------------------------------------------------


@pytest.mark.parametrize("app", EXAMPLE_APPS, ids=lambda p: p.name)
def test_golden(app: Path, update_golden: bool) -> None:
    output = emit(example_manifest(app))
    notes = "".join(f"{w}\n" for w in output.warnings)
    files = {**output.files, **({"warnings.txt": notes.encode()} if notes else {})}
    compare_or_update(GOLDEN / "llm_tools" / app.name, files, update_golden)


# -- the vendors' shapes -------------------------------------------------------------------


def _keys(typed_dict: Any) -> set[str]:
    return set(typed_dict.__annotations__)


@pytest.mark.parametrize(("label", "manifest"), manifests(), ids=lambda v: str(v)[:20])
def test_tools_have_the_shapes_the_vendor_sdks_type(label: str, manifest: Manifest) -> None:
    openai, anthropic = tools(emit(manifest))
    assert len(openai) == len(anthropic) == len(manifest.functions)
    for tool in openai:
        TypeAdapter(ChatCompletionFunctionToolParam).validate_python(tool)
        assert set(tool) <= _keys(ChatCompletionFunctionToolParam)
        assert set(tool["function"]) <= _keys(FunctionDefinition)
        assert TOOL_NAME.fullmatch(tool["function"]["name"])
        assert tool["function"]["parameters"]["type"] == "object"
    for tool in anthropic:
        TypeAdapter(ToolParam).validate_python(tool)
        TypeAdapter(InputSchemaTyped).validate_python(tool["input_schema"])  # type "object"
        assert set(tool) <= _keys(ToolParam)
        assert TOOL_NAME.fullmatch(tool["name"])
    names = [tool["name"] for tool in anthropic]
    assert names == [tool["function"]["name"] for tool in openai]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(("label", "manifest"), manifests(), ids=lambda v: str(v)[:20])
def test_a_tool_takes_the_input_schema_as_it_is(label: str, manifest: Manifest) -> None:
    openai, anthropic = tools(emit(manifest))
    for fn, tool, strict_or_not in zip(manifest.sorted_functions(), anthropic, openai, strict=True):
        assert tool["input_schema"] == fn.input_schema
        if not strict_or_not["function"]["strict"]:
            assert strict_or_not["function"]["parameters"] == fn.input_schema
        assert tool.get("description", "") == fn.description


# -- OpenAI's strict mode ------------------------------------------------------------------

# What the "Supported schemas" section of OpenAI's Structured Outputs guide lists, one
# case each: its types (string, number, boolean, integer, object, array, enum, anyOf,
# null in a type list), definitions and recursion, and its type-specific keywords.
SUPPORTED = [
    {"type": "string"},
    {"type": "number"},
    {"type": "boolean"},
    {"type": "integer"},
    {"type": ["string", "null"]},
    {"enum": ["a", "b"]},
    {"const": 3},
    {"anyOf": [{"type": "string"}, {"type": "null"}]},
    {"type": "array", "items": {"type": "string"}},
    {"type": "object", "properties": {"b": {"type": "string"}}, "required": ["b"]},
    {"type": "string", "pattern": "^@[a-z]+$"},
    *({"type": "string", "format": f} for f in "date-time time date duration email".split()),
    *({"type": "string", "format": f} for f in "hostname ipv4 ipv6 uuid".split()),
    {"type": "number", "minimum": 0, "maximum": 9, "multipleOf": 0.5},
    {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 9},
    {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3},
    {"$ref": "#/$defs/Tag"},
    {"type": "array", "items": {"$ref": "#"}},
    {"type": "string", "title": "A", "description": "an a", "default": "x"},
]
# What it says strict mode does not support, or does not list: composition (allOf, not,
# oneOf, if/then/else, dependentRequired, dependentSchemas), the type-specific keywords
# it leaves out, formats outside its list, open or free-form objects, optional
# properties, a $ref beside other keywords, and schemas that do not say what they are.
UNSUPPORTED = [
    ({"allOf": [{"type": "string"}]}, "/properties/a/allOf"),
    ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, "/properties/a/oneOf"),
    ({"type": "string", "not": {"const": "x"}}, "/properties/a/not"),
    ({"type": "string", "if": {"const": "x"}, "then": {}}, "/properties/a/if"),
    ({"type": "string", "minLength": 1}, "/properties/a/minLength"),
    ({"type": "string", "maxLength": 9}, "/properties/a/maxLength"),
    ({"type": "string", "format": "uri"}, "/properties/a/format"),
    ({"type": "string", "format": "file"}, "/properties/a/format"),
    ({"type": "string", "pattern": "(?P<x>a)"}, "/properties/a/pattern"),
    (
        {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "/properties/a/uniqueItems",
    ),
    ({"type": "array", "contains": {"type": "string"}}, "/properties/a/contains"),
    ({"type": "array", "prefixItems": [{"type": "string"}]}, "/properties/a/prefixItems"),
    ({"type": "object", "additionalProperties": {"type": "string"}}, "/properties/a"),
    ({"type": "object", "additionalProperties": True, "properties": {}}, "/properties/a"),
    ({"type": "object", "properties": {"b": {"type": "string"}}}, "/properties/a"),
    ({"type": "object", "dependentRequired": {"b": ["c"]}}, "/properties/a/dependentRequired"),
    ({"type": "object", "minProperties": 1}, "/properties/a/minProperties"),
    ({"type": "object", "patternProperties": {"x": {}}}, "/properties/a/patternProperties"),
    ({"$ref": "#/$defs/Tag", "description": "a tag"}, "/properties/a/$ref"),
    ({"$ref": "other.json#/Tag"}, "/properties/a/$ref"),
    ({"description": "anything"}, "/properties/a"),
    ({"type": "string", "examples": ["x"]}, "/properties/a/examples"),
]
TAG = {"$defs": {"Tag": {"type": "string", "enum": ["x", "y"]}}}


@pytest.mark.parametrize("schema", SUPPORTED, ids=json.dumps)
def test_what_strict_mode_supports_is_strict(schema: Any) -> None:
    output = emit(one_property(schema, root=TAG))
    (tool,), _ = tools(output)
    assert tool["function"]["strict"] is True, output.warnings
    # OpenAI's own SDK has nothing to change in a strict schema (its ensure-strict step
    # closes objects, requires every property and inlines a $ref beside other keywords).
    parameters = tool["function"]["parameters"]
    assert _ensure_strict_json_schema(copy.deepcopy(parameters), path=(), root=parameters) == (
        parameters
    )


@pytest.mark.parametrize(("schema", "pointer"), UNSUPPORTED, ids=lambda v: json.dumps(v)[:40])
def test_what_strict_mode_does_not_support_is_named_and_not_strict(
    schema: Any, pointer: str
) -> None:
    output = emit(one_property(schema, root=TAG))
    (tool,), (anthropic,) = tools(output)
    assert tool["function"]["strict"] is False
    assert tool["function"]["parameters"] == anthropic["input_schema"]
    wheres = [w.where for w in output.warnings]
    assert f"f000 #{pointer}" in wheres, wheres
    assert all("the OpenAI tool is not strict" in w.detail for w in output.warnings)


def test_the_root_must_be_an_object_without_anyof() -> None:
    union = {"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}
    output = emit(one_property({"type": "string"}, root=union))
    (tool,), _ = tools(output)
    assert tool["function"]["strict"] is False
    assert "f000 #/anyOf" in [w.where for w in output.warnings]


def test_strict_mode_limits_the_enum_values_and_properties() -> None:
    many = {"type": "string", "enum": [str(i) for i in range(1001)]}
    output = emit(one_property(many))
    assert not tools(output)[0][0]["function"]["strict"]
    assert any("at most 1000 enum values (1001 here)" in w.detail for w in output.warnings)


def test_objects_a_model_fills_with_declared_keys_only_are_closed_for_strict_mode() -> None:
    # pydantic leaves additionalProperties out of a model that ignores unknown keys.
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    output = emit(Manifest.from_dict(corpus.manifest_for([schema])))
    (tool,), (anthropic,) = tools(output)
    assert not output.warnings
    assert tool["function"] == {
        "name": "f000",
        "parameters": {**schema, "additionalProperties": False},
        "strict": True,
    }
    assert anthropic["input_schema"] == schema  # as the app has it


STRICT_CASES = [
    {"type": "object", "properties": {"a": {"type": "string", "pattern": "^[a-c]+$"}},
     "required": ["a"]},
    {"type": "object", "required": ["n", "tags"], "properties": {
        "n": {"type": "integer", "minimum": -5, "maximum": 5},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}, "maxItems": 3}},
     **TAG},
    {"type": "object", "required": ["child"], "properties": {"child": {"anyOf": [
        {"type": "object", "properties": {"k": {"type": "boolean"}}, "required": ["k"]},
        {"type": "null"}]}}},
]  # fmt: skip


@pytest.mark.parametrize("schema", STRICT_CASES, ids=lambda s: json.dumps(s)[:40])
def test_what_a_strict_tool_admits_the_app_accepts(schema: dict[str, Any]) -> None:
    (tool,), _ = tools(emit(Manifest.from_dict(corpus.manifest_for([schema]))))
    assert tool["function"]["strict"]
    parameters = tool["function"]["parameters"]
    accepts = jsonschema.Draft202012Validator(schema).is_valid

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(from_schema(parameters))
    def check(arguments: Any) -> None:
        assert accepts(arguments)

    check()


# -- names and values ----------------------------------------------------------------------


def test_a_name_longer_than_a_tool_name_is_cut_numbered_and_said() -> None:
    # Function names are Python identifiers (the manifest's schema says so): only their
    # length can keep them from being tool names.
    data = corpus.manifest_for([{"type": "object", "properties": {}}] * 3)
    names = ["a" * 64, "a" * 70, "a" * 70 + "b"]
    data["functions"] = dict(zip(names, data["functions"].values(), strict=True))
    output = emit(Manifest.from_dict(data))
    _, anthropic = tools(output)
    assert [tool["name"] for tool in anthropic] == ["a" * 64, "a" * 62 + "_2", "a" * 62 + "_3"]
    assert [str(w) for w in output.warnings] == [
        f"{'a' * 70} #: the tool is named {'a' * 62 + '_2'!r} "
        "(tool names are [a-zA-Z0-9_-]{1,64})",
        f"{'a' * 70 + 'b'} #: the tool is named {'a' * 62 + '_3'!r} "
        "(tool names are [a-zA-Z0-9_-]{1,64})",
    ]


@given(hostile_manifests())
@corpus.hypothesis_settings(20)
def test_hostile_names_make_distinct_tool_names(data: dict[str, Any]) -> None:
    openai, anthropic = tools(emit(Manifest.from_dict(data)))
    names = [tool["name"] for tool in anthropic]
    assert len(set(names)) == len(names) == len(data["functions"])
    assert all(TOOL_NAME.fullmatch(n) for n in names)


def test_values_json_cannot_hold_are_left_out_with_a_warning() -> None:
    schema = {
        "type": "number",
        "default": float("inf"),
        "enum": [1.5, float("inf")],
        "examples": [float("nan"), 2],
    }
    output = emit(one_property(schema))
    (tool,), (anthropic,) = tools(output)
    assert anthropic["input_schema"]["properties"]["a"] == {
        "type": "number",
        "enum": [1.5],
        "examples": [2],
    }
    assert [str(w) for w in output.warnings] == [
        "f000 #/properties/a/default: Infinity is not a JSON value; left out",
        "f000 #/properties/a/enum: [1.5, Infinity] holds values JSON cannot; they are left out",
        "f000 #/properties/a/examples: [NaN, 2] holds values JSON cannot; they are left out",
        "f000 #/properties/a/examples: OpenAI's strict mode has no examples keyword; "
        "the OpenAI tool is not strict",
    ]


def test_a_recursive_root_is_the_object_it_names() -> None:
    # pydantic writes a recursive input model as a $ref to its own $defs entry.
    node = {"type": "object", "properties": {"kids": {"type": "array",
            "items": {"$ref": "#/$defs/Node"}}}, "required": ["kids"]}  # fmt: skip
    schema = {"$defs": {"Node": node}, "$ref": "#/$defs/Node"}
    output = emit(Manifest.from_dict(corpus.manifest_for([schema])))
    (tool,), (anthropic,) = tools(output)
    assert anthropic["input_schema"] == {**node, "$defs": {"Node": node}}
    assert tool["function"]["strict"] is True  # the root and $defs/Node, closed


def test_an_input_that_is_no_object_makes_no_tool() -> None:
    output = emit(Manifest.from_dict(corpus.manifest_for([{"type": "string"}])))
    assert tools(output) == ([], [])
    assert [str(w) for w in output.warnings] == [
        "f000 #: not an object schema, which a tool's input must be; no tool"
    ]
