"""The openapi back end: a valid OpenAPI 3.1 document (openapi-spec-validator), whose
components accept exactly what their source schemas accept (jsonschema on both, over
the zod differential's instances), and goldens.

Goldens: ``golden/openapi/<example>/openapi.json``, emitted from each example's golden
manifest; refresh with ``pytest tests/emit/openapi/test_document.py --update-golden``.
"""

from __future__ import annotations

import json
from functools import reduce
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from schemagen.app_ref import app_ref_from_folder
from schemagen.emit.core.target import EmitContext
from schemagen.emit.openapi.document import (
    FunctionComponents,
    component_names,
    emit_openapi,
    openapi_document,
)
from schemagen.manifest import Manifest
from tests.emit import zod_differential as corpus
from tests.emit.python.test_client import EXAMPLE_APPS, ZOD_CASES, example_manifest
from tests.helpers import GOLDEN, compare_or_update, outputs_across_hash_seeds

CASES = sorted(ZOD_CASES.glob("*.json"))


def case_manifest(path: Path) -> Manifest:
    return Manifest.from_dict(json.loads(path.read_text()))


def all_manifests() -> list[tuple[str, Manifest]]:
    return [(app.name, example_manifest(app)) for app in EXAMPLE_APPS] + [
        (path.stem, case_manifest(path)) for path in CASES
    ]


@pytest.mark.parametrize("app", EXAMPLE_APPS, ids=lambda p: p.name)
def test_golden(app: Path, update_golden: bool) -> None:
    output = emit_openapi(example_manifest(app), EmitContext(app_ref=app_ref_from_folder(app)))
    assert not output.warnings
    compare_or_update(GOLDEN / "openapi" / app.name, output.files, update_golden)


@pytest.mark.parametrize(("label", "manifest"), all_manifests(), ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("app_ref", [None, "acme/flux.1-dev@2"])
def test_documents_are_valid_openapi_3_1(
    label: str, manifest: Manifest, app_ref: str | None
) -> None:
    output = emit_openapi(manifest, EmitContext(app_ref=app_ref))
    document = json.loads(output.files["openapi.json"])
    # What the emitter keeps and warns of: Python-dialect patterns, refs to elsewhere.
    flagged = [
        w.where
        for w in output.warnings
        if "dialect" in w.detail or "outside the document" in w.detail
    ]
    # The rest is valid OpenAPI 3.1 (the kept keywords are valid JSON Schema, but the
    # specification's validator reads patterns as ECMA-262 and fetches remote refs).
    for where in flagged:
        keys = [k.replace("~1", "/").replace("~0", "~") for k in where.split("/")[1:]]
        node = reduce(
            lambda node, key: node[int(key) if isinstance(node, list) else key], keys, document
        )
        for keyword in ("pattern", "patternProperties", "$ref"):
            node.pop(keyword, None)
    validate(document)
    assert bool(flagged) is (label in ("keywords", "exotic"))


def component_validator(document: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    """A validator of ``#/components/schemas/<name>`` with refs resolved in the document."""
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:openapi", resource)
    ref = {"$ref": f"urn:openapi#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(ref, registry=registry)


@pytest.mark.parametrize(("label", "manifest"), all_manifests(), ids=lambda v: str(v)[:20])
def test_components_accept_exactly_what_their_schemas_accept(
    label: str, manifest: Manifest
) -> None:
    document = openapi_document(manifest, "acme/app")
    names = component_names(manifest)
    checked = 0
    for fn in manifest.sorted_functions():
        for name, schema in (
            (names[fn.name].input, fn.input_schema),
            (names[fn.name].output, fn.output_schema),
        ):
            source = jsonschema.Draft202012Validator(schema)
            component = component_validator(document, name)
            for item in corpus.instance_corpus(schema, valid=6, mutants_per_schema=12):
                verdict = source.is_valid(item.instance)
                assert component.is_valid(item.instance) is verdict, (name, item.instance)
                checked += 1
        # A request for this function is a valid request body exactly when its input is.
        accepts_input = jsonschema.Draft202012Validator(fn.input_schema)
        requests = component_validator(document, "AppRunRequest")
        for value in [*corpus.valid_instances(fn.input_schema, 2), {}, None]:
            request = {"app": "acme/app", "function": fn.name, "input": value}
            assert requests.is_valid(request) is accepts_input.is_valid(value), request
    assert checked > 0


def test_identical_defs_are_one_component_and_clashing_ones_are_renamed() -> None:
    item = {"type": "object", "properties": {"a": {"type": "string"}}}
    other = {"type": "object", "properties": {"b": {"type": "integer"}}}

    def holding(definition: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {"x": {"$ref": "#/$defs/Item"}},
            "$defs": {"Item": definition},
        }

    data = corpus.manifest_for([holding(item), holding(item), holding(other)])
    schemas = openapi_document(Manifest.from_dict(data), None)["components"]["schemas"]
    assert schemas["Item"] == item
    assert schemas["F002Item"] == other
    assert schemas["F000Input"]["properties"]["x"] == {"$ref": "#/components/schemas/Item"}
    assert schemas["F001Input"]["properties"]["x"] == {"$ref": "#/components/schemas/Item"}
    assert schemas["F002Input"]["properties"]["x"] == {"$ref": "#/components/schemas/F002Item"}


_DATA = ("enum", "const", "default", "examples")  # values that are data, not schemas
_NAMED = ("properties", "patternProperties", "dependentSchemas", "schemas")  # name -> schema


def references(node: Any) -> list[str]:
    """Every ``$ref`` in ``node``, and every ``discriminator`` mapping value (a reference too)."""
    if isinstance(node, list):
        return [ref for item in node for ref in references(item)]
    if not isinstance(node, dict):
        return []
    found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
    discriminator = node.get("discriminator")
    if isinstance(discriminator, dict):
        found += [v for v in discriminator.get("mapping", {}).values() if isinstance(v, str)]
    for key, value in node.items():
        if key in _NAMED and isinstance(value, dict):
            found += references(list(value.values()))
        elif key not in _DATA:
            found += references(value)
    return found


def resolves(document: dict[str, Any], ref: str) -> bool:
    node: Any = document
    for token in ref.removeprefix("#/").split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


@pytest.mark.parametrize(("label", "manifest"), all_manifests(), ids=lambda v: str(v)[:20])
def test_every_local_reference_resolves_in_the_document(label: str, manifest: Manifest) -> None:
    document = openapi_document(manifest, None)
    local = [ref for ref in references(document) if ref.startswith("#")]
    assert local
    assert [ref for ref in local if not resolves(document, ref)] == []


def test_component_names_keep_accented_letters_without_their_accents() -> None:
    # OpenAPI allows only ASCII letters, digits, ".", "-" and "_" in a component name.
    keys = ["Éléphant", "Größe", "a/b c", "日本"]
    schema = {
        "type": "object",
        "properties": {key: {"$ref": "#/$defs/" + quote(key.replace("/", "~1"))} for key in keys},
        "$defs": {key: {"const": key} for key in keys},
    }
    document = openapi_document(Manifest.from_dict(corpus.manifest_for([schema])), None)
    properties = document["components"]["schemas"]["F000Input"]["properties"]
    assert [properties[key]["$ref"].rsplit("/", 1)[1] for key in keys] == [
        "Elephant",
        "Groe",
        "abc",
        "Schema",
    ]


def test_a_discriminator_mapping_points_at_the_components() -> None:
    def holding(kind: str) -> dict[str, Any]:
        # Pydantic's shape of a discriminated union; the second function's Cat is
        # another schema under the same name, so its component is renamed.
        cat = {"type": "object", "properties": {"kind": {"const": kind}}, "required": ["kind"]}
        dog = {"type": "object", "properties": {"kind": {"const": "dog"}}, "required": ["kind"]}
        return {
            "type": "object",
            "properties": {
                "pet": {
                    "oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {kind: "#/$defs/Cat", "dog": "Dog"},
                    },
                }
            },
            "$defs": {"Cat": cat, "Dog": dog},
        }

    data = corpus.manifest_for([holding("cat"), holding("kitten")])
    schemas = openapi_document(Manifest.from_dict(data), None)["components"]["schemas"]
    assert schemas["F000Input"]["properties"]["pet"]["discriminator"]["mapping"] == {
        "cat": "#/components/schemas/Cat",
        "dog": "#/components/schemas/Dog",
    }
    assert schemas["F001Input"]["properties"]["pet"]["discriminator"]["mapping"] == {
        "kitten": "#/components/schemas/F001Cat",
        "dog": "#/components/schemas/Dog",
    }


def test_a_pointer_into_the_source_document_points_at_its_component() -> None:
    def tree(value: str) -> dict[str, Any]:
        # "#" is the document itself: in a component it would be the OpenAPI document.
        return {
            "type": "object",
            "properties": {
                "value": {"type": value},
                "same": {"$ref": "#/properties/value"},
                "kids": {"type": "array", "items": {"$ref": "#"}},
                "wrapped": {"$ref": "#/$defs/Wrap"},
                "inner": {"$ref": "#/$defs/Wrap/properties/tree"},
            },
            "$defs": {"Wrap": {"type": "object", "properties": {"tree": {"$ref": "#"}}}},
        }

    data = corpus.manifest_for([tree("integer"), tree("string")])
    document = openapi_document(Manifest.from_dict(data), None)
    schemas = document["components"]["schemas"]
    # Wrap holds the same text in both documents but means each one's own tree.
    assert schemas["Wrap"]["properties"]["tree"] == {"$ref": "#/components/schemas/F000Input"}
    assert schemas["F001Wrap"]["properties"]["tree"] == {"$ref": "#/components/schemas/F001Input"}
    assert schemas["F000Input"]["properties"]["same"] == {
        "$ref": "#/components/schemas/F000Input/properties/value"
    }
    assert schemas["F000Input"]["properties"]["inner"] == {
        "$ref": "#/components/schemas/Wrap/properties/tree"
    }
    for index, schema in enumerate(data["functions"].values()):
        component = component_validator(document, f"F{index:03}Input")
        source = jsonschema.Draft202012Validator(schema["input_schema"])
        value = 1 if index == 0 else "a"
        other = "a" if index == 0 else 1
        for instance in [
            {"value": value, "kids": [{"value": value, "same": value}]},
            {"value": value, "kids": [{"value": other}]},
            {"same": other},
            {"wrapped": {"tree": {"kids": [{"value": value}]}}},
            {"wrapped": {"tree": {"kids": [{"value": other}]}}},
            {"inner": {"wrapped": {"tree": {"value": other}}}},
        ]:
            assert component.is_valid(instance) is source.is_valid(instance), instance


def test_the_app_reference_constrains_requests() -> None:
    manifest = example_manifest(EXAMPLE_APPS[0])
    document = openapi_document(manifest, "acme/chat.v2@3")
    run = component_validator(document, "RunRequest")
    body = {
        "function": "run",
        "input": corpus.valid_instances(manifest.functions["run"].input_schema, 1)[0],
    }
    assert run.is_valid({**body, "app": "acme/chat.v2"})
    assert run.is_valid({**body, "app": "acme/chat.v2@4"})
    assert not run.is_valid({**body, "app": "acme/chatXv2"})
    assert document["info"]["version"] == "3"


def test_a_default_its_schema_rejects_is_left_out_with_a_warning() -> None:
    schema = {
        "type": "object",
        "properties": {
            "seed": {"type": "integer", "default": None},
            "steps": {"type": "integer", "default": 4},
        },
    }
    manifest = Manifest.from_dict(corpus.manifest_for([schema]))
    output = emit_openapi(manifest, EmitContext())
    assert [str(w) for w in output.warnings] == [
        "#/components/schemas/F000Input/properties/seed: a default its own schema rejects is "
        "left out (OpenAPI requires valid defaults)"
    ]
    properties = json.loads(output.files["openapi.json"])["components"]["schemas"]["F000Input"]
    assert properties["properties"] == {
        "seed": {"type": "integer"},
        "steps": schema["properties"]["steps"],
    }


def test_output_is_deterministic_across_hash_seeds() -> None:
    script = (
        "import sys; from pathlib import Path;"
        "from schemagen.manifest import load_manifest_file;"
        "from schemagen.emit.core.target import EmitContext;"
        "from schemagen.emit.openapi.document import emit_openapi;"
        "sys.stdout.write(''.join(emit_openapi(load_manifest_file(Path(p)), EmitContext()).files"
        f"['openapi.json'].decode() for p in {[str(p) for p in CASES]!r}))"
    )
    outputs = outputs_across_hash_seeds(script)
    assert len(outputs) == 1


def test_every_operation_describes_its_errors_as_problem_details() -> None:
    # schemagen serve answers errors as application/problem+json with title and detail,
    # as the platform does (see schemagen.serve.server).
    document = openapi_document(example_manifest(EXAMPLE_APPS[0]), None)
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) == 3
    for operation in operations:
        refused = operation["responses"]["4XX"]["content"]["application/problem+json"]
        assert refused["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert {"title", "detail"} <= set(document["components"]["schemas"]["Problem"]["properties"])


def test_component_names_are_the_functions_pascal_words_whatever_typescript_reserves() -> None:
    # "Map" is no name a TypeScript binding may take; an OpenAPI component may.
    data = corpus.manifest_for([{"type": "object", "properties": {}}])
    data["functions"] = {"map": data["functions"]["f000"]}
    names = component_names(Manifest.from_dict(data))
    assert names["map"] == FunctionComponents("MapInput", "MapOutput", "MapRequest")
