"""The zod target: goldens, tsc under zod 3 and 4, and the differential proof.

Needs the node packages: ``npm ci`` at the repository root. Goldens (``golden/zod/``)
are rewritten by ``pytest tests/emit/typescript/test_zod.py --update-golden``; read the diff.
``HYPOTHESIS_PROFILE=long`` makes the generated corpus ten times larger.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from schemagen.emit import get_target
from schemagen.emit.core.patterns import RegexError
from schemagen.emit.core.target import EmitContext
from schemagen.emit.typescript.naming import (
    jsdoc,
    pascal_case,
    property_key,
    regex_literal,
    string_literal,
)
from schemagen.emit.typescript.zod import emit_zod_module
from schemagen.manifest import Manifest, load_manifest_file
from schemagen.schema.keywords import (
    ARRAY_KEYWORDS,
    NUMBER_KEYWORDS,
    OBJECT_KEYWORDS,
    STRING_KEYWORDS,
)
from tests.emit import zod_differential as zd
from tests.emit.node_harness import NodeHarness, typecheck
from tests.helpers import outputs_across_hash_seeds

ROOT = Path(__file__).resolve().parents[3]
CASES_DIR = ROOT / "tests" / "emit" / "zod_cases"
GOLDEN = ROOT / "golden" / "zod"
CASES = sorted(p.stem for p in CASES_DIR.glob("*.json"))
# The example and fixture apps' manifests (goldens of the core compiler), when present.
APP_MANIFESTS = sorted((ROOT / "golden").glob("*/*/manifest.json"))

# Every validation keyword z.toJSONSchema loses or changes, and why. A difference
# not listed here fails test_round_trip: document it or fix the translation.
ROUND_TRIP_DIFFERENCES = {
    "minLength": "counted in code points by a .refine(), which toJSONSchema cannot see",
    "maxLength": "counted in code points by a .refine(), which toJSONSchema cannot see",
    "multipleOf": "checked by a .refine() unless the value is a safe-range integer",
    "uniqueItems": "checked on the input by z.custom (JSON equality)",
    "contains": "checked on the input by z.custom",
    "not": "checked on the input by z.custom",
    "if": "checked on the input by z.custom",
    "then": "checked on the input by z.custom",
    "else": "checked on the input by z.custom",
    "oneOf": "anyOf in zod (z.union / z.discriminatedUnion), exactly-one checked by z.custom",
    "patternProperties": "checked by the jsonObject helper (z.custom)",
    "propertyNames": "checked by the jsonObject helper (z.custom)",
    "minProperties": "checked by the jsonObject helper (z.custom)",
    "maxProperties": "checked by the jsonObject helper (z.custom)",
    "dependentRequired": "checked by the jsonObject helper (z.custom)",
    "properties": "objects with inherited key names go through the jsonObject helper",
    "required": "objects with inherited key names go through the jsonObject helper",
    "additionalProperties": "zod writes false for z.strictObject and {} for catchalls",
    "type:integer": "whole numbers beyond 2^53 need a .refine(Number.isInteger) (zod 4 .int())",
    "enum": "object/array members are z.custom deep-equality checks",
    "const": "a one-member enum becomes z.literal, which toJSONSchema writes as const",
    "prefixItems": "prefixItems without minItems = their count become a union of tuples",
    "items": "prefixItems without minItems = their count become a union of tuples",
    "minItems": "tuple lengths are a union of tuples, whose length zod writes as min/maxItems",
    "maxItems": "tuple lengths are a union of tuples, whose length zod writes as min/maxItems",
    "anyOf": "unions zod writes as anyOf (nullable, tuple lengths, type arrays)",
    "allOf": "z.custom checks intersected with .and() are written as allOf",
    "pattern": "a pattern with no ECMAScript equivalent is dropped, with a warning",
    "$ref": "zod inlines definitions it does not see reused; a non-local $ref is dropped",
    "type:null": "zod writes nullable as anyOf with type null",
    "type:object": "jsonObject/custom checks are unrepresentable",
    "type:array": "custom checks are unrepresentable",
    "type:string": "custom checks are unrepresentable",
    "type:number": "integer refines and custom checks are written as number",
    "type:boolean": "custom checks are unrepresentable",
    "exclusiveMinimum": "zod writes exclusive bounds as given",
    "exclusiveMaximum": "zod writes exclusive bounds as given",
    "minimum": "zod writes bounds as given",
    "maximum": "zod writes bounds as given",
}


def _manifest(name: str) -> Manifest:
    return load_manifest_file(CASES_DIR / f"{name}.json")


def _exports(manifest: Manifest) -> list[str]:
    names = ["AppSetup"] if manifest.setup is not None else []
    for fn in manifest.sorted_functions():
        names += [f"{pascal_case(fn.name)}Input", f"{pascal_case(fn.name)}Output"]
    return names


def _inputs(manifest: Manifest) -> list[str]:
    """The input schemas' export names, function by function."""
    return [f"{pascal_case(fn.name)}Input" for fn in manifest.sorted_functions()]


def _schemas(manifest: Manifest) -> list[Any]:
    schemas = [manifest.setup] if manifest.setup is not None else []
    for fn in manifest.sorted_functions():
        schemas += [fn.input_schema, fn.output_schema]
    return schemas


@pytest.fixture(scope="module")
def generated() -> tuple[list[dict[str, Any]], Manifest, str]:
    schemas = zd.generated_schemas()
    manifest = Manifest.from_dict(zd.manifest_for(schemas))
    return schemas, manifest, emit_zod_module(manifest).text


# -- lexical rules ---------------------------------------------------------------------


def test_string_literal_escapes_everything_that_could_break_a_module() -> None:
    text = 'q" b\\ */ \n \r \u2028 \u2029 \ud800 \x00 é'
    literal = string_literal(text)
    assert "\n" not in literal and "\u2028" not in literal and "\ud800" not in literal
    assert json.loads(literal) == text  # a JSON string literal is a TS string literal


def test_keys_keep_their_exact_names() -> None:
    assert property_key("__proto__") == '["__proto__"]'
    assert property_key("class") == "class"
    assert property_key("a-b") == '"a-b"'
    assert property_key("é") == "é"
    assert pascal_case("generate_image") == "GenerateImage"
    assert pascal_case("delete") == "Delete"


def test_jsdoc_cannot_be_closed_by_its_text() -> None:
    block = jsdoc(["a */ b", "c\u2028d"])
    assert block.count("*/") == 1 and block.rstrip().endswith("*/")
    assert "\u2028" not in block


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        ("^[a-z0-9_\\-]+$", "/^[a-z0-9_\\-]+$/u"),
        ("(?P<area>\\d{3})-(?P=area)\\Z", "/(?<area>\\p{Nd}{3})-\\k<area>$/u"),
        ("^\\d+$", "/^\\d+$/u"),
        ("(?P<n>.)$", "/(?<n>[^\\n])(?=\\n?$)/u"),
        ("a{", "/a\\{/u"),
        ("[]a]", "/[\\]a]/u"),
        ("[\\w-.]", "/[\\p{L}\\p{N}_\\-\\.]/u"),
        ("\\_x", "/_x/u"),
        ("a/b", "/a\\/b/u"),
        ("\\U0001F600", "/\\u{1f600}/u"),
    ],
)
def test_python_patterns_become_exact_ecmascript(pattern: str, literal: str) -> None:
    assert regex_literal(pattern) == literal


@pytest.mark.parametrize(
    "pattern", ["(?i)abc", "a*+", "(?#c)", "\\z", "(a", "[a", "\\_\\b", "\\_[\\s]"]
)
def test_untranslatable_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(RegexError):
        regex_literal(pattern)


# -- goldens, determinism, warnings -----------------------------------------------------


def _check_golden(path: Path, text: str | None, update: bool) -> None:
    if update:
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        return
    if text is None:
        assert not path.exists(), f"{path} should not exist (pytest --update-golden)"
    else:
        command = "pytest tests/emit/typescript/test_zod.py --update-golden"
        assert path.is_file(), f"{path} missing: {command}"
        assert path.read_text(encoding="utf-8") == text, f"{path} differs (--update-golden)"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, update_golden: bool) -> None:
    module = emit_zod_module(_manifest(case), source=f"tests/emit/zod_cases/{case}.json")
    _check_golden(GOLDEN / case / "schemas.ts", module.text, update_golden)
    notes = "".join(f"{w}\n" for w in module.warnings) or None
    _check_golden(GOLDEN / case / "warnings.txt", notes, update_golden)


def test_output_is_deterministic_across_hash_seeds() -> None:
    script = (
        "import sys; from pathlib import Path; from schemagen.manifest import load_manifest_file;"
        "from schemagen.emit.typescript.zod import emit_zod_module;"
        "sys.stdout.write(''.join(emit_zod_module(load_manifest_file(Path(p))).text"
        f" for p in {[str(CASES_DIR / f'{c}.json') for c in CASES]!r}))"
    )
    outputs = outputs_across_hash_seeds(script)
    assert len(outputs) == 1


def test_target_reports_untranslatable_keywords_as_warnings() -> None:
    output = get_target("zod").emit(_manifest("exotic"), EmitContext())
    assert set(output.files) == {"schemas.ts"}
    wheres = sorted(w.where for w in output.warnings)
    assert wheres == [
        "RunInput #/properties/case_insensitive/pattern",
        "RunInput #/properties/remote/$ref",
    ]
    assert not get_target("zod").emit(_manifest("keywords"), EmitContext()).warnings


def test_header_names_the_app_as_the_clients_do() -> None:
    # The app reference (inf.yml's namespace/name) is not something to regenerate from.
    manifest = load_manifest_file(APP_MANIFESTS[0])
    named = dataclasses.replace(manifest, app=dataclasses.replace(manifest.app, name="my-app"))
    output = get_target("zod").emit(named, EmitContext(app_ref="acme/other"))
    text = output.files["schemas.ts"].decode()
    assert "// Regenerate: schemagen generate my-app --target zod\n" in text
    assert "acme/other" not in text


# -- tsc --------------------------------------------------------------------------------


@pytest.mark.parametrize("zod", ["zod3", "zod4"])
def test_typechecks_strict(
    zod: str, harness: NodeHarness, generated: tuple[list[dict[str, Any]], Manifest, str]
) -> None:
    files = {
        f"golden/{case}.ts": (GOLDEN / case / "schemas.ts").read_text(encoding="utf-8")
        for case in CASES
    }
    for path in APP_MANIFESTS:
        files[f"apps/{path.parent.parent.name}-{path.parent.name}.ts"] = emit_zod_module(
            load_manifest_file(path)
        ).text
    files["generated.ts"] = generated[2]
    # An app name with JS line terminators lands in the header's line comment.
    manifest = load_manifest_file(APP_MANIFESTS[0])
    hostile = dataclasses.replace(manifest.app, name="evil\nname\u2028*/ x\r\ny")
    files["hostile-name.ts"] = emit_zod_module(dataclasses.replace(manifest, app=hostile)).text
    assert (
        "// Generated by schemagen from evil name */ x y; do not edit."
        in (files["hostile-name.ts"])
    )
    result = typecheck(files, zod)
    assert result.returncode == 0, result.stdout + result.stderr


# -- differential validation ------------------------------------------------------------


def _differential(
    harness: NodeHarness,
    label: str,
    text: str,
    exports: list[str],
    schemas: list[Any],
    instances: list[list[Any]] | None = None,
) -> tuple[int, list[str]]:
    """Every schema's verdicts in node against jsonschema's, on ``instances`` (one list
    per schema, as JS reads them) or else on each schema's generated corpus."""
    if instances is None:
        corpora = [zd.instance_corpus(schema) for schema in schemas]
    else:
        corpora = [
            [zd.Labelled(value, bool(zd.oracle(schema).is_valid(value))) for value in values]
            for schema, values in zip(schemas, instances, strict=True)
        ]
    response = harness.run(
        {label: text},
        [
            (label, name, [item.instance for item in corpus])
            for name, corpus in zip(exports, corpora, strict=True)
        ],
    )
    assert not response["errors"], response["errors"]
    failures: list[str] = []
    total = 0
    for i, (name, corpus, schema) in enumerate(zip(exports, corpora, schemas, strict=True)):
        valid = sum(item.valid for item in corpus)
        agree = {}
        for zod in ("zod3", "zod4"):
            verdicts = response["verdicts"][zod][i]
            agree[zod] = sum(v is item.valid for v, item in zip(verdicts, corpus, strict=True))
            for verdict, item in zip(verdicts, corpus, strict=True):
                if verdict is not item.valid:
                    failures.append(
                        f"{label} {name} [{zod}]: jsonschema says {item.valid}, zod says "
                        f"{verdict}\n  schema: {json.dumps(schema)[:2000]}\n"
                        f"  instance: {json.dumps(item.instance)[:500]}"
                    )
        total += len(corpus)
        print(
            f"{label:>28} {name:<22} {len(corpus):5} instances ({valid:4} valid) "
            f"agree zod3 {agree['zod3']}/{len(corpus)} zod4 {agree['zod4']}/{len(corpus)}"
        )
    return total, failures


@pytest.mark.parametrize("case", CASES + [str(p.relative_to(ROOT)) for p in APP_MANIFESTS])
def test_differential_cases(case: str, harness: NodeHarness) -> None:
    manifest = _manifest(case) if case in CASES else load_manifest_file(ROOT / case)
    text = emit_zod_module(manifest).text
    total, failures = _differential(harness, case, text, _exports(manifest), _schemas(manifest))
    print(f"{case}: {total} instances, {len(failures)} disagreements")
    assert not failures, "\n".join(failures[:20])


# One property of a case per keyword family the issue lists (and the extra ones).
KEYWORD_PROPERTIES = {
    "keywords": [
        "prompt",
        "slug",
        "code",
        "anywhere",
        "steps",
        "even",
        "seed",
        "thirds",
        "guidance",
        "quarter",
        "strength",
        "scalar",
        "anything",
        "required_any",
        "mode",
        "mixed",
        "fixed",
        "filtered",
        "either",
        "both",
        "tags",
        "pair",
        "loose_tuple",
        "closed_tuple",
        "unique_objects",
        "settings",
        "free",
        "closed",
        "typed_extra",
        "image",
        "email",
        "old",
        "bad_default",
        "list_default",
        "object_default",
    ],
    "refs": ["tree", "pet", "color", "alias", "expr", "shape"],
    "exotic": [
        "labels",
        "short_keys",
        "deps",
        "not_empty",
        "conditional",
        "has_big",
        "exclusive",
        "typed_one_of",
        "point",
        "numbered",
    ],
    "names": ["__proto__", "constructor", "toString", "a-b", 'quote"key', "back\\slash"],
}


@pytest.mark.parametrize(
    ("case", "prop"),
    [(case, prop) for case, props in KEYWORD_PROPERTIES.items() for prop in props],
)
def test_keyword(case: str, prop: str, harness: NodeHarness) -> None:
    """Each keyword family alone: its property as a required key of an object."""
    source = _manifest(case).functions["run"].input_schema
    schema = {
        "type": "object",
        "properties": {prop: source["properties"][prop]},
        "required": [prop],
        **{k: v for k, v in source.items() if k == "$defs"},
    }
    manifest = Manifest.from_dict(zd.manifest_for([schema], name=f"{case}-{prop}"))
    total, failures = _differential(
        harness, f"{case}.{prop}", emit_zod_module(manifest).text, ["F000Input"], [schema]
    )
    assert total > 5
    assert not failures, "\n".join(failures[:20])


def test_differential_generated(
    harness: NodeHarness, generated: tuple[list[dict[str, Any]], Manifest, str]
) -> None:
    schemas, manifest, text = generated
    exports = _inputs(manifest)
    total, failures = _differential(harness, "generated", text, exports, schemas)
    print(
        f"generated ({zd.PROFILE}): {len(schemas)} schemas, {total} instances, "
        f"{len(failures)} disagreements"
    )
    assert total > 20 * len(schemas)
    assert not failures, "\n".join(failures[:20])


def test_string_lengths_count_code_points_at_every_boundary(harness: NodeHarness) -> None:
    """minLength/maxLength decide by ``.length`` where it settles the count and count
    code points otherwise: every string of up to four pieces from one-unit, two-unit
    and lone-surrogate characters, against limits 0 to 4, judged as jsonschema does."""
    pieces = ["a", "\U0001f600", "\ud800", "\udc00"]
    strings = [""]
    for _ in range(4):
        strings += [
            s + p
            for s in strings
            if len(s.encode("utf-16-le", "surrogatepass")) < 8
            for p in pieces
        ]
    # As JS reads them from JSON (a lone high then low surrogate is one pair there).
    instances = sorted({json.loads(json.dumps(s)) for s in strings})
    schemas = [
        {"type": "string", keyword: limit}
        for keyword in ("minLength", "maxLength")
        for limit in range(5)
    ]
    manifest = Manifest.from_dict(zd.manifest_for(schemas, name="lengths"))
    text = emit_zod_module(manifest).text
    total, failures = _differential(
        harness, "lengths", text, _inputs(manifest), schemas, [instances] * len(schemas)
    )
    assert total == len(schemas) * len(instances)
    assert len(instances) > 100
    assert not failures, "\n".join(failures[:20])


# (schema, instances as JSON text): checks on the input where the parse changes it, and
# counts written as whole floats or not counts at all.
INPUT_CHECKS: list[tuple[dict[str, Any], list[str]]] = [
    (  # tuple rest items whose parse fills a default, under `not`
        {
            "type": "array",
            "prefixItems": [{"type": "integer"}],
            "items": {"type": "object", "properties": {"x": {"default": 0}}},
            "not": {"contains": {"type": "object", "required": ["x"]}},
        },
        ["[1, {}]", '[1, {"x": 1}]'],
    ),
    (  # tuple rest items whose parse strips keys, under uniqueItems
        {
            "type": "array",
            "prefixItems": [{}],
            "items": {"type": "object", "properties": {"a": {}}},
            "uniqueItems": True,
        },
        ['[1, {"a": 1, "b": 1}, {"a": 1, "b": 2}]', '[1, {"a": 1}, {"a": 1}]'],
    ),
    ({"type": "object", "not": {"required": ["__proto__"]}}, ['{"__proto__": 1}', "{}"]),
    (
        {"type": "object", "if": {"required": ["__proto__"]}, "then": False},
        ['{"__proto__": 1}', '{"a": 1}'],
    ),
    (
        {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "not": {"required": ["__proto__"]},
        },
        ['{"__proto__": 1}', '{"a": 1}'],
    ),
    (
        {"type": "array", "items": {"type": "object"}, "uniqueItems": True},
        ['[{"__proto__": 1}, {}]', "[{}, {}]"],
    ),
    ({"type": "array", "minItems": 2.0}, ["[]", "[1, 2]"]),
    (  # bounds and steps beyond any double (the emitter raised OverflowError)
        {"type": "integer", "minimum": -(10**400), "maximum": 10**400},
        ["0", "5", "1e300", "-1e300"],
    ),
    ({"type": "integer", "multipleOf": 10**400}, ["0", "5"]),
    (  # a quotient that overflows a double (jsonschema then computes exactly)
        {"type": "number", "multipleOf": 0.5},
        ["-1.7976931348623157e+308", "1e308", "0.25", "1.5"],
    ),
    (  # allOf with a closed object: zod 4 dropped its unknown-key error in .and()
        {
            "$defs": {
                "Closed": {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
            },
            "allOf": [{"$ref": "#/$defs/Closed"}, {"type": "object", "properties": {"b": {}}}],
        },
        ['{"a": 1}', '{"a": 1, "b": 1}', '{"__proto__": 1}', "1"],
    ),
    (  # found by the long profile
        {
            "type": "object",
            "properties": {
                "name": {
                    "allOf": [
                        {
                            "oneOf": [
                                {
                                    "anyOf": [
                                        {"type": ["boolean", "integer"]},
                                        {"enum": ["a"]},
                                        {"enum": ["b", "c d"]},
                                    ]
                                },
                                {
                                    "oneOf": [
                                        {"type": "null", "default": None},
                                        {"type": ["boolean", "null", "integer"]},
                                    ]
                                },
                                {
                                    "type": "object",
                                    "properties": {},
                                    "patternProperties": {"^x-": {"type": "null", "default": None}},
                                },
                            ]
                        },
                        {
                            "type": "object",
                            "properties": {"b": {"enum": [2.5, [1], True, 1], "default": 1}},
                            "required": [],
                            "additionalProperties": False,
                        },
                    ]
                }
            },
            "required": ["name"],
        },
        ['{"name": {"x": 1}}', '{"name": {"b": 1}}', '{"name": {}}'],
    ),
    ({"type": "string", "maxLength": 1.0}, ['"ab"', '"a"']),
    ({"type": "array", "contains": {"type": "string"}, "minContains": 0.0}, ["[]", "[1]"]),
]


def test_checks_on_the_input_and_counts_agree_with_jsonschema(harness: NodeHarness) -> None:
    """Each case once broke a verdict: a check that saw zod's parse result (defaults
    filled, keys stripped, an own "__proto__" left out) instead of the input, or a
    count written 2.0 (an integer in JSON Schema)."""
    schemas = [schema for schema, _ in INPUT_CHECKS]
    manifest = Manifest.from_dict(zd.manifest_for(schemas, name="input-checks"))
    text = emit_zod_module(manifest).text
    cases = [[json.loads(i) for i in instances] for _, instances in INPUT_CHECKS]
    _, failures = _differential(harness, "input-checks", text, _inputs(manifest), schemas, cases)
    assert not failures, "\n".join(failures)


def test_defaults_are_written_as_their_parse_result(harness: NodeHarness) -> None:
    """A default that leaves out keys with defaults of their own is written with them
    filled in: zod 4 returns a default as written and types it as a parse result (so
    ``.default({})`` did not compile), zod 3 parses it; both now return the same."""
    inner = {"type": "object", "properties": {"x": {"type": "string", "default": "x"}}}
    ref = {"$ref": "#/$defs/Inner"}
    schema = {
        "$defs": {
            "Inner": inner,
            # A recursive default (zod 3 cannot parse it either): written as it is.
            "Node": {
                "type": "object",
                "properties": {"child": {"$ref": "#/$defs/Node", "default": {}}},
            },
        },
        "type": "object",
        "properties": {
            "plain": {**inner, "default": {}},
            "checked": {**inner, "not": {"required": ["b"]}, "default": {}},
            "listed": {"type": "array", "items": inner, "default": [{}, {"x": "y"}]},
            # pydantic's Optional[Inner] = Inner(), dict[str, Inner] and an unknown key
            "optional": {"anyOf": [ref, {"type": "null"}], "default": {}},
            "mapped": {"type": "object", "additionalProperties": ref, "default": {"k": {}}},
            "stripped": {**inner, "default": {"extra": 1}},
            # Filled in, the default is invalid (zod 3 would refuse a missing key): left out.
            "dropped": {**inner, "not": {"required": ["x"]}, "default": {}},
            "tree": {"$ref": "#/$defs/Node"},
        },
    }
    manifest = Manifest.from_dict(zd.manifest_for([schema], name="defaults"))
    module = emit_zod_module(manifest)
    text = module.text
    assert [str(w) for w in module.warnings] == [
        "F000Input #/properties/dropped/default: valid, but not with its keys' defaults "
        "filled in (as zod does); left out"
    ]
    for zod in ("zod3", "zod4"):
        result = typecheck({"defaults.ts": text}, zod)
        assert result.returncode == 0, result.stdout + result.stderr
    response = harness.run({"defaults": text}, [], parse=[("defaults", "F000Input", {})])
    expected = {
        "plain": {"x": "x"},
        "checked": {"x": "x"},
        "listed": [{"x": "x"}, {"x": "y"}],
        "optional": {"x": "x"},
        "mapped": {"k": {"x": "x"}},
        "stripped": {"x": "x"},
    }
    for zod in ("zod3", "zod4"):
        data = response["parsed"][0][zod]["data"]
        assert {key: data[key] for key in expected} == expected
        assert "dropped" not in data


def test_proto_key_survives_parsing(harness: NodeHarness) -> None:
    text = emit_zod_module(_manifest("names")).text
    good = json.loads('{"__proto__": "data", "class": "c"}')
    response = harness.run(
        {"names": text},
        [
            (
                "names",
                "RunInput",
                [
                    good,
                    {
                        "class": "c"
                    },  # __proto__ is required: inherited Object.prototype must not count
                    {"__proto__": "d", "class": "c", "constructor": "not an integer"},
                    {"__proto__": "d", "class": "c", "toString": "own string"},
                ],
            )
        ],
        parse=[("names", "RunInput", good)],
    )
    for zod in ("zod3", "zod4"):
        assert response["verdicts"][zod][0] == [True, False, False, True]
        parsed = response["parsed"][0][zod]
        # ... and the other keys' defaults are filled, as z.object fills them.
        assert parsed["ownKeys"] == ["__proto__", "class", "delete"]
        assert parsed["data"] == {**good, "delete": False}


def test_known_difference_zod4_skips_proto_keys_of_typed_maps(harness: NodeHarness) -> None:
    """The one documented difference: zod 4 never reads (or returns) an own "__proto__"
    key of a .catchall() object, its prototype-pollution guard; zod 3 and JSON Schema
    validate it. The parsed value never holds the unvalidated key. A free-form object
    accepts the key under both zods (as JSON Schema does) and returns the rest."""
    text = emit_zod_module(_manifest("keywords")).text
    bad = json.loads('{"prompt": "p", "required_any": 1, "settings": {"__proto__": "x"}}')
    free = json.loads('{"prompt": "p", "required_any": 1, "free": {"__proto__": {}, "k": 1}}')
    response = harness.run(
        {"keywords": text},
        [("keywords", "RunInput", [bad, free])],
        parse=[("keywords", "RunInput", bad), ("keywords", "RunInput", free)],
    )
    assert response["verdicts"]["zod3"] == [[False, True]]
    assert response["verdicts"]["zod4"] == [[True, True]]
    assert response["parsed"][0]["zod4"]["data"]["settings"] == {}
    for zod in ("zod3", "zod4"):
        assert response["parsed"][1][zod]["data"]["free"] == {"k": 1}


# -- round trip -------------------------------------------------------------------------

# The keywords a round trip can lose (minContains and maxContains travel with contains).
VALIDATION_KEYWORDS = {
    "type", "enum", "const", "$ref", "anyOf", "oneOf", "allOf", "not", "if", "then", "else",
    *NUMBER_KEYWORDS, *STRING_KEYWORDS, *OBJECT_KEYWORDS,
    *(k for k in ARRAY_KEYWORDS if k not in ("minContains", "maxContains")),
}  # fmt: skip


def _keywords(schema: Any) -> set[str]:
    found: set[str] = set()
    for sub in zd._walk(schema):
        for key, value in sub.items():
            if key not in VALIDATION_KEYWORDS:
                continue
            if key == "type":
                found.update(f"type:{t}" for t in ([value] if isinstance(value, str) else value))
            elif not (
                key == "properties"
                and isinstance(value, dict)
                and "type" in value
                and not isinstance(value["type"], (str, list))
            ):
                found.add(key)
    return found


@pytest.mark.parametrize("case", CASES)
def test_round_trip(case: str, harness: NodeHarness, update_golden: bool) -> None:
    """z.toJSONSchema (zod 4, io "input") of every export, against its source schema."""
    manifest = _manifest(case)
    exports = _exports(manifest)
    response = harness.run(
        {case: emit_zod_module(manifest).text}, tojson=[(case, name) for name in exports]
    )
    lines = []
    for name, source, back in zip(exports, _schemas(manifest), response["tojson"], strict=True):
        assert "error" not in back, back
        lost = sorted(_keywords(source) - _keywords(back))
        added = sorted(_keywords(back) - _keywords(source))
        undocumented = [k for k in lost + added if k not in ROUND_TRIP_DIFFERENCES]
        assert not undocumented, f"{name}: undocumented round-trip difference {undocumented}"
        lines.append(f"{name}: lost {', '.join(lost) or '-'}; added {', '.join(added) or '-'}\n")
        lines += [f"  {k}: {ROUND_TRIP_DIFFERENCES[k]}\n" for k in lost + added]
    _check_golden(GOLDEN / case / "roundtrip.txt", "".join(lines), update_golden)


def test_keys_named_like_object_prototype_keep_defaults(harness: NodeHarness) -> None:
    """A model with a ``constructor`` (or ``__proto__``) field still fills the defaults
    of its other fields, as z.object does, and keeps an own ``__proto__`` key."""
    schema = {
        "type": "object",
        "properties": {
            "prompt": {"type": "string"},
            "style": {"type": "string", "default": "modern"},
            "constructor": {"type": "integer", "default": 0},
            "__proto__": {
                "type": "object",
                "properties": {"a": {"type": "integer", "default": 1}},
                "default": {},
            },
            "toString": {"type": "string"},
        },
        "required": ["prompt"],
    }
    manifest = Manifest.from_dict(zd.manifest_for([schema], name="prototype-defaults"))
    text = emit_zod_module(manifest).text
    given = json.loads('{"prompt": "p", "__proto__": {}, "extra": [1]}')
    response = harness.run(
        {"m": text},
        parse=[("m", "F000Input", {"prompt": "p"}), ("m", "F000Input", given)],
    )
    assert not response["errors"], response["errors"]
    for zod in ("zod3", "zod4"):
        bare, full = (response["parsed"][i][zod] for i in (0, 1))
        assert bare["data"] == {
            "prompt": "p",
            "style": "modern",
            "constructor": 0,
            "__proto__": {"a": 1},
        }, zod
        assert full["data"] == {
            "prompt": "p",
            "__proto__": {"a": 1},
            "extra": [1],
            "style": "modern",
            "constructor": 0,
        }, zod
        assert "__proto__" in full["ownKeys"]
    for zod in ("zod3", "zod4"):
        assert typecheck({"m.ts": text}, zod).returncode == 0


# $defs keys a module binding cannot be as written: reserved words of ECMAScript and
# TypeScript, CommonJS's scope (exports, require, module), the module's own exports.
RESERVED_DEFS = (
    "class delete default enum function new this void await yield let static implements "
    "interface package private protected public arguments eval undefined NaN Infinity null "
    "true false typeof in of var const type any unknown never string number object symbol z "
    "Object Array Promise __proto__ constructor prototype import export require module "
    "exports functions setup True None"
).split()


def test_reserved_words_as_defs_keys_compile_and_load(harness: NodeHarness) -> None:
    schema = {
        "type": "object",
        "properties": {w: {"$ref": f"#/$defs/{w}"} for w in RESERVED_DEFS},
        "$defs": {
            w: {
                "type": "object",
                "properties": {"v": {"type": "string"}, "next": {"$ref": f"#/$defs/{w}"}},
            }
            for w in RESERVED_DEFS
        },
    }
    text = emit_zod_module(Manifest.from_dict(zd.manifest_for([schema], name="reserved"))).text
    for zod in ("zod3", "zod4"):
        result = typecheck({"reserved.ts": text}, zod)
        assert result.returncode == 0, result.stdout + result.stderr
    instances = [{w: {"v": "x", "next": {"v": "y"}} for w in RESERVED_DEFS}, {"class": {"v": 1}}]
    response = harness.run({"reserved": text}, [("reserved", "F000Input", instances)])
    assert not response["errors"], response["errors"]
    assert response["verdicts"]["zod3"] == [[True, False]] == response["verdicts"]["zod4"]
