"""The python-client back end: goldens, mypy --strict / ruff, the differential check of
its models against Python's ``jsonschema``, and hostile names.

- Goldens: ``golden/python_client/<example>/client.py``, emitted from each example's
  golden manifest with the app reference of its ``inf.yml``; refresh with
  ``pytest tests/emit/python/test_client.py --update-golden`` and read the diff.
- Differential: for the examples, the zod keyword cases and a hypothesis-generated
  corpus (``tests/emit/zod_differential.py``, shared with the zod target), valid
  instances (hypothesis-jsonschema, seeds) and mutants of them are labelled by
  ``jsonschema`` (Draft 2020-12); the generated model must give the same verdict on
  every one, and every valid instance must dump back to itself.
- Hostile names: generated manifests whose app, function, property and enum names
  and descriptions hold quotes, backslashes, ``\"\"\"``, ``*/``, line terminators,
  reserved words, ``__proto__``, leading digits, hyphens and names that collide
  once made identifiers; the module must import and round-trip data through the
  client methods (keyword arguments and models).

Profiles: quick by default; ``HYPOTHESIS_PROFILE=long`` generates ten times more.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from schemagen.app_ref import app_ref_from_folder
from schemagen.emit.python.client import emit_python_client
from schemagen.emit.python.naming import docstring, pascal_case, snake_name, string_literal
from schemagen.manifest import Manifest
from tests import profiles
from tests.emit import zod_differential as corpus
from tests.helpers import EXAMPLES, GOLDEN, REPO, compare_or_update, is_app

LONG = profiles.LONG
GENERATED_SCHEMAS = 200 if LONG else 16
HOSTILE_MANIFESTS = 100 if LONG else 12
VALID_PER_SCHEMA = 20 if LONG else 4
MUTANTS_PER_BASE = 40 if LONG else 12

EXAMPLE_APPS = sorted(p for p in EXAMPLES.iterdir() if is_app(p))
ZOD_CASES = REPO / "tests" / "emit" / "zod_cases"


def example_manifest(app: Path) -> Manifest:
    data = json.loads((GOLDEN / "examples" / app.name / "manifest.json").read_text())
    return Manifest.from_dict(data)


def load_module(text: str, folder: Path, name: str) -> types.ModuleType:
    path = folder / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def emit(manifest: Manifest, app_ref: str = "tests/generated") -> str:
    text, _ = emit_python_client(manifest, app_ref)
    return text


# -- goldens and code quality --------------------------------------------------------------


@pytest.mark.parametrize("app", EXAMPLE_APPS, ids=[p.name for p in EXAMPLE_APPS])
def test_golden(app: Path, update_golden: bool) -> None:
    app_ref = app_ref_from_folder(app)
    assert app_ref == f"examples/{app.name}"
    text, found = emit_python_client(example_manifest(app), app_ref)
    assert not found
    compare_or_update(
        GOLDEN / "python_client" / app.name, {"client.py": text.encode("utf-8")}, update_golden
    )


# Zod keyword cases whose clients are type-checked, linted and format-checked (their deep
# nesting is laid out as ruff format would, too).
CHECKED_ZOD_CASES = ("exotic", "keywords", "names", "refs")
# Defaults real apps give that their own types do not admit statically (``seed: int =
# None``, a list of models or of floats written as a literal): mypy must accept them.
DEFAULTS_SAMPLE = corpus.manifest_for([{
    "type": "object",
    "$defs": {"Lora": {"type": "object", "properties": {"url": {"type": "string"}},
                       "required": ["url"]}},
    "properties": {
        "seed": {"type": "integer", "default": None},
        "mode": {"enum": ["a", "b"], "type": "string", "default": None},
        "lora": {"$ref": "#/$defs/Lora", "default": {"url": "b"}},
        "loras": {"type": "array", "items": {"$ref": "#/$defs/Lora"}, "default": [{"url": "a"}]},
        "sizes": {"type": "array", "items": {"type": "number"}, "default": [1, 2]},
        "weights": {"type": "object", "additionalProperties": {"type": "number"},
                    "default": {"a": 1}},
        "ratio": {"type": "number", "default": "wide"},
        "tags": {"type": "array", "items": {"type": "string"}, "default": []},
    },
}], name="defaults")  # fmt: skip


def test_generated_code_passes_mypy_strict_ruff_and_is_formatted(tmp_path: Path) -> None:
    files = []
    for app in EXAMPLE_APPS:
        target = tmp_path / f"client_{app.name.replace('-', '_').replace('.', '_')}.py"
        target.write_bytes((GOLDEN / "python_client" / app.name / "client.py").read_bytes())
        files.append(str(target))
    no_ref = tmp_path / "client_no_ref.py"  # a client whose constructor takes the app
    no_ref.write_text(emit_python_client(example_manifest(EXAMPLE_APPS[0]), None)[0])
    files.append(str(no_ref))
    hostile = tmp_path / "client_hostile.py"
    hostile.write_text(emit(Manifest.from_dict(HOSTILE_SAMPLE)), encoding="utf-8")
    files.append(str(hostile))
    samples = {"defaults": DEFAULTS_SAMPLE}
    for case in CHECKED_ZOD_CASES:  # they use the validation helpers the examples do not
        samples[f"case_{case}"] = json.loads((ZOD_CASES / f"{case}.json").read_text())
    for name, sample in samples.items():
        target = tmp_path / f"client_{name}.py"
        target.write_text(emit(Manifest.from_dict(sample)), encoding="utf-8")
        files.append(str(target))
    python = sys.executable
    mypy = subprocess.run(
        [python, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "c"),
         *files],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    # Generated code is linted with the common rule families; long lines are the
    # descriptions' and literals', kept as written.
    ruff = [python, "-m", "ruff"]
    check = subprocess.run(
        [*ruff, "check", "--isolated", "--select", "E,F,W,I,B,UP", "--ignore", "E501", *files],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    # Every module is exactly as ruff format would write it.
    formatted = subprocess.run(
        [*ruff, "format", "--isolated", "--check", "--diff", *files],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_the_cli_reads_the_app_reference_from_inf_yml(tmp_path: Path) -> None:
    from tests.helpers import run_cli

    app = EXAMPLES / "multi-function"
    result = run_cli("generate", str(app), "--sdk", "bundled", "--target", "python-client",
                     "--out", str(tmp_path))  # fmt: skip
    assert result.code == 0, result.stderr
    written = (tmp_path / "client.py").read_text()
    golden = (GOLDEN / "python_client" / "multi-function" / "client.py").read_text()
    assert 'APP_REF = "examples/multi-function"' in written
    # The same module but for the header's command, which names the run's --out.
    assert "\n".join(without_regenerate(written)) == "\n".join(without_regenerate(golden))


def without_regenerate(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("Regenerate: ")]


def test_without_an_app_reference_the_client_takes_one(tmp_path: Path) -> None:
    from tests.helpers import run_cli

    # No inf.yml beside a manifest: every target is still written.
    manifest = GOLDEN / "examples" / "multi-function" / "manifest.json"
    result = run_cli("generate", str(manifest), "--target", "jsonschema",
                     "--target", "python-client", "--target", "ts-client",
                     "--out", str(tmp_path))  # fmt: skip
    assert result.code == 0, result.stderr
    assert {p.name for p in tmp_path.iterdir()} == {
        "client.py", "client.ts", "schemas.ts", "functions_schema.json", "input_schema.json",
        "output_schema.json", "manifest.json",
    }  # fmt: skip
    module = load_module((tmp_path / "client.py").read_text(), tmp_path, "client_no_ref")
    assert module.APP_REF is None
    sent: list[dict[str, Any]] = []

    class Echo:
        def run(self, request: dict[str, Any]) -> list[dict[str, Any]]:
            sent.append(request)
            return [{"status": 10, "output": {"reversed_text": "cba"}}]

    client = module.MultiFunctionClient(transport=Echo(), app="acme/words@3")
    assert client.reverse(text="abc").reversed_text == "cba"
    assert sent == [{"app": "acme/words@3", "function": "reverse", "input": {"text": "abc"}}]
    with pytest.raises(TypeError, match="'app'"):
        module.MultiFunctionClient(transport=Echo())
    for name in ("MultiFunctionClient", "AsyncMultiFunctionClient"):
        parameter = inspect.signature(getattr(module, name)).parameters["app"]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert parameter.default is inspect.Parameter.empty


# -- the differential check --------------------------------------------------------------


def documents(manifest: Manifest) -> Iterator[tuple[str, Any]]:
    """(the root type's name in the module, schema) of every schema the manifest holds."""
    if manifest.setup is not None:
        yield "AppSetup", manifest.setup
    for fn in manifest.sorted_functions():
        pascal = pascal_case(fn.name, "Function")
        yield f"{pascal}Input", fn.input_schema
        yield f"{pascal}Output", fn.output_schema


def instances(schema: Any) -> list[Any]:
    """Valid, seeded and mutated instances of ``schema``, deduplicated."""
    generated = corpus.valid_instances(schema, VALID_PER_SCHEMA)
    found = generated + corpus.seed_instances(schema)
    for base in generated[:3] or [{}]:
        found += corpus.mutants(base, MUTANTS_PER_BASE)
    seen: set[str] = set()
    unique = []
    for value in found:
        key = json.dumps(value, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(value)
    return unique


def disagreements(
    module: types.ModuleType, manifest: Manifest, seen: set[str]
) -> tuple[int, list[str]]:
    """How many instances were judged, and every verdict or round trip that differs
    (schemas in ``seen``, judged already for another manifest, are skipped)."""
    judged = 0
    problems: list[str] = []
    for name, schema in documents(manifest):
        key = json.dumps(schema, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        adapter: TypeAdapter[Any] = TypeAdapter(getattr(module, name))
        oracle = jsonschema.Draft202012Validator(schema)
        for instance in instances(schema):
            judged += 1
            problem = disagreement(adapter, oracle, instance)
            if problem is not None:
                problems.append(f"{name}: {problem}")
    return judged, problems


def disagreement(
    adapter: TypeAdapter[Any], oracle: jsonschema.Draft202012Validator, instance: Any
) -> str | None:
    """How the model and ``jsonschema`` disagree on ``instance``, or None: one accepts what
    the other rejects, or an accepted value does not dump back as it came."""
    expected = oracle.is_valid(instance)
    try:
        value = adapter.validate_python(instance)
    except ValidationError:
        return f"rejects valid {json.dumps(instance)[:200]}" if expected else None
    if not expected:
        return f"accepts invalid {json.dumps(instance)[:200]}"
    back = adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)
    if back != instance:
        return f"{json.dumps(instance)[:150]} dumps as {back!r:.150}"
    return None


def differential_manifests() -> Iterator[tuple[str, Manifest]]:
    for app in EXAMPLE_APPS:
        yield f"examples/{app.name}", example_manifest(app)
    for case in sorted(ZOD_CASES.glob("*.json")):
        yield f"zod_cases/{case.stem}", Manifest.from_dict(json.loads(case.read_text()))
    schemas = corpus.generated_schemas(GENERATED_SCHEMAS)
    yield "generated", Manifest.from_dict(corpus.manifest_for(schemas))


def test_models_agree_with_jsonschema(tmp_path: Path) -> None:
    total = 0
    problems: list[str] = []
    seen: set[str] = set()
    for i, (label, manifest) in enumerate(differential_manifests()):
        module = load_module(emit(manifest), tmp_path, f"differential_{i}")
        judged, found = disagreements(module, manifest, seen)
        total += judged
        problems += [f"{label} {p}" for p in found]
        print(f"{label}: {judged} instances, {judged - len(found)} agree")
    print(f"differential: {total} instances, {total - len(problems)} agree")
    assert total > 1000
    assert not problems, "\n".join(problems[:30])


# -- hostile names -------------------------------------------------------------------------

HOSTILE = [
    "class", "self", "input", "fields", "json", "model_config", "str", "__proto__",
    "constructor", "toString", "2fast", "with-hyphen", "a b", "a-b", "a_b", "a.b", "_private",
    "", "é", "None", 'q"uote', "back\\slash", 'end"""', "*/", "line\nbreak", "para\u2028sep",
    "Literal", "Any", "BaseModel", "RunInput", "APP_REF", "def", "run", "setup", "transport",
]  # fmt: skip
# The manifest admits identifier-like function names only (as Python methods are).
FUNCTION_NAMES = [n for n in HOSTILE if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n)]
TEXT = st.sampled_from([
    'a "quoted" text', "back\\slash \\n not a newline", '"""triple', "*/ closes */",
    "two\nlines", "sep\u2028arator", "tab\there", "ends with a quote\"", "", "😀 emoji",
])  # fmt: skip
KINDS = st.sampled_from(["string", "integer", "number", "boolean", "enum", "nullable", "list"])


@st.composite
def hostile_properties(draw: Any) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=6, unique=True))
    properties: dict[str, Any] = {}
    for name in names:
        kind = draw(KINDS)
        schema: dict[str, Any]
        if kind == "enum":
            schema = {"enum": draw(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4,
                                            unique=True))}  # fmt: skip
        elif kind == "nullable":
            schema = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
        elif kind == "list":
            schema = {"type": "array", "items": {"type": "string"}}
        else:
            schema = {"type": kind}
        if draw(st.booleans()):
            schema["description"] = draw(TEXT)
        properties[name] = schema
    return properties


@st.composite
def hostile_manifests(draw: Any) -> dict[str, Any]:
    functions = {}
    for name in draw(st.lists(st.sampled_from(FUNCTION_NAMES), min_size=1, max_size=4,
                              unique=True)):  # fmt: skip
        properties = draw(hostile_properties())
        required = draw(st.lists(st.sampled_from(sorted(properties)), unique=True))
        schema = {"type": "object", "properties": properties, "required": required,
                  "description": draw(TEXT)}  # fmt: skip
        functions[name] = {"description": draw(TEXT), "input_schema": schema,
                           "output_schema": schema, "streaming": draw(st.booleans())}  # fmt: skip
    manifest = corpus.manifest_for([], name=draw(st.sampled_from(HOSTILE)))
    manifest["functions"] = functions
    return manifest


HOSTILE_SAMPLE = corpus.manifest_for([], name="3d class")
HOSTILE_SAMPLE["functions"] = {
    name: {
        "description": 'Has """quotes""", a \\ and */ and\u2028more',
        "input_schema": {
            "type": "object",
            "description": "*/ \"\"\" '''",
            "properties": {
                "a-b": {"type": "string", "description": 'first """'},
                "a_b": {"type": "integer", "description": "what you're after: a Fraction"},
                "a b": {"enum": ['x"', "y\\", "__proto__", "class"]},
                "class": {"type": "boolean", "default": False},
                "self": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
                "json": {"type": "array", "items": {"type": "number"}},
                "2x": {"type": "string"},
            },
            "required": ["a-b", "a_b", "2x"],
        },
        "output_schema": {"type": "object", "properties": {"__proto__": {"type": "string"}}},
        "streaming": streaming,
    }
    for name, streaming in (("class", False), ("_private", True), ("toString", False))
}


def value_for(schema: dict[str, Any], pick: int) -> Any:
    if "enum" in schema:
        return schema["enum"][pick % len(schema["enum"])]
    if "anyOf" in schema:
        return None if pick % 2 else "s"
    kind = schema.get("type")
    if kind == "array":
        return [value_for(schema["items"], pick), value_for(schema["items"], pick + 1)]
    return {"string": f'v"{pick}\\\u2028é', "integer": pick, "number": pick + 0.5,
            "boolean": pick % 2 == 0}[kind]  # fmt: skip


class Echo:
    """A Transport whose task outputs its input (each running update streams it too)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def run(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        self.requests.append(request)
        yield {"status": 7, "output": request["input"]}
        yield {"status": "completed", "output": request["input"]}


def round_trip(module: types.ModuleType, manifest: Manifest, pick: int) -> None:
    """Every function called with keyword arguments and with its model; the echoed
    output must equal the input, the wire names kept exactly."""
    client_names = [n for n in dir(module) if n.endswith("Client") and not n.startswith("Async")]
    [client_name] = client_names
    echo = Echo()
    client = getattr(module, client_name)(transport=echo)
    methods = {
        m: getattr(client, m)
        for m in dir(client)
        if not m.startswith("_") and m not in ("transport", "app_ref", "setup")
    }
    for fn in manifest.sorted_functions():
        schema = fn.input_schema
        data = {k: value_for(s, pick + i) for i, (k, s) in enumerate(schema["properties"].items())}
        model = getattr(module, f"{pascal_case(fn.name, 'Function')}Input")
        instance = model.model_validate(data)
        fields = {f: getattr(instance, f) for f, info in model.model_fields.items()
                  if (f if info.alias is None else info.alias) in data}  # fmt: skip
        [method] = [call for call in methods.values() if _called(call, fn.name)]
        for args, kwargs in (((instance,), {}), ((), fields)):
            result = method(*args, **kwargs)
            outputs = list(result) if fn.streaming else [result]
            assert echo.requests[-1]["function"] == fn.name
            assert echo.requests[-1]["input"] == data
            for output in outputs:
                assert output.model_dump(mode="json", by_alias=True, exclude_unset=True) == data
        if schema["required"]:
            with pytest.raises(module.InputValidationError):
                method()


def _called(method: Any, name: str) -> bool:
    """Whether the client method sends function ``name`` (read from its source)."""
    import inspect

    return f"({string_literal(name)}, " in inspect.getsource(method)


def test_hostile_names_import_and_round_trip(tmp_path: Path) -> None:
    counter = iter(range(10**6))

    @corpus.hypothesis_settings(HOSTILE_MANIFESTS)
    @given(hostile_manifests(), st.integers(0, 5))
    def check(data: dict[str, Any], pick: int) -> None:
        manifest = Manifest.from_dict(data)
        module = load_module(emit(manifest, 'ns/"*/\\'), tmp_path, f"hostile_{next(counter)}")
        assert module.APP_REF == 'ns/"*/\\'
        round_trip(module, manifest, pick)

    check()
    manifest = Manifest.from_dict(HOSTILE_SAMPLE)
    module = load_module(emit(manifest), tmp_path, "hostile_sample")
    round_trip(module, manifest, 1)
    # Two properties that make one identifier stay two fields, with their wire names.
    fields = module.ClassInput.model_fields
    assert {f: i.alias for f, i in fields.items()} == {
        "a_b": "a-b", "a_b_": "a_b", "a_b_2": "a b", "class_": "class", "self_": "self",
        "json_": "json", "field_2x": "2x",
    }  # fmt: skip
    assert module.ClassInput.__doc__ == "*/ \"\"\" '''"


# -- naming --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "plain", 'a"b', "it's", "both\"'", "\\", "\u2028\x00\ud800😀",
                                  "\n\r\t", '"""'])  # fmt: skip
def test_string_literals_mean_the_text(text: str) -> None:
    assert eval(string_literal(text)) == text


@pytest.mark.parametrize("text", ['a"""b', 'end"', '"start', "x\\y", "two\nlines", "*/"])
def test_docstrings_hold_the_text(text: str) -> None:
    source = "def f():\n" + docstring(text, "    ") + "    pass\n"
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    assert inspect.cleandoc(namespace["f"].__doc__) == text.strip()


def test_identifiers() -> None:
    assert pascal_case("flux.1-dev") == "Flux1Dev"
    assert pascal_case("3d-tools", "App") == "App3dTools"
    assert snake_name("a-b") == "a_b" and snake_name("2x") == "field_2x"
    assert snake_name("_private") == "private" and snake_name("") == "field"


def test_defaults_the_types_do_not_admit_are_kept_as_given(tmp_path: Path) -> None:
    module = load_module(emit(Manifest.from_dict(DEFAULTS_SAMPLE)), tmp_path, "defaults")
    given = module.F000Input()
    assert (given.seed, given.mode, given.ratio) == (None, None, "wide")
    assert given.loras == [{"url": "a"}] and given.sizes == [1, 2] and given.tags == []
    with pytest.raises(ValidationError):
        module.F000Input(seed=None)  # a null default does not make null valid


class Scripted:
    """A Transport that answers every task with the given updates."""

    def __init__(self, *updates: dict[str, Any]) -> None:
        self.updates = updates

    def run(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        yield from self.updates


class AsyncScripted(Scripted):
    async def run(self, request: dict[str, Any]) -> Any:
        for update in self.updates:
            yield update


def test_task_outcomes_become_typed_results_and_errors(tmp_path: Path) -> None:
    import asyncio

    module = load_module(
        (GOLDEN / "python_client" / "streaming-story" / "client.py").read_text(), tmp_path, "ss"
    )
    chunk = {"chunk": {"index": 0, "text": "t"}}
    cases: list[tuple[tuple[dict[str, Any], ...], Any]] = [
        # Streamed outputs are the running updates; the completed one ends the stream.
        (({"status": 1}, {"status": 7, "output": chunk}, {"status": 10, "output": chunk}), 1),
        # A transport that cannot stream (polling) still gets the final output.
        (({"status": "running"}, {"status": "COMPLETED", "output": chunk}), 1),
        (({"status": 12, "id": "t1"},), (module.TaskFailedError, "'run' cancelled")),
        (({"status": "rejected", "error": "no credit"},), (module.TaskFailedError, "no credit")),
        (({"status": 7, "output": {"chunk": 5}},), (module.OutputValidationError, "chunk")),
        (({"status": 7},), (module.TransportError, "stopped early")),
    ]  # fmt: skip
    for updates, expected in cases:
        for client in (
            module.StreamingStoryClient(transport=Scripted(*updates)),
            module.AsyncStreamingStoryClient(transport=AsyncScripted(*updates)),
        ):
            stream = client.run(topic="t")

            async def collect(stream: Any = stream) -> list[Any]:
                return [o async for o in stream]

            def outputs(stream: Any = stream) -> list[Any]:
                return asyncio.run(collect()) if hasattr(stream, "__aiter__") else list(stream)

            if isinstance(expected, int):
                assert [o.chunk.text for o in outputs()] == ["t"] * expected
            else:
                with pytest.raises(expected[0], match=expected[1]):
                    outputs()


# (schema, instances): each once broke the import, the emitter or a verdict.
EDGE_CASES = [
    (  # recursive definitions that are not object models (RootModel classes)
        {
            "$defs": {"T": {"type": "array", "items": {"$ref": "#/$defs/T"}}},
            "type": "object",
            "properties": {"t": {"$ref": "#/$defs/T"}},
        },
        [{"t": [[], [[]]]}, {"t": [1]}],
    ),
    (
        {
            "$defs": {
                "J": {
                    "anyOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/$defs/J"}}]
                }
            },
            "type": "object",
            "properties": {"j": {"$ref": "#/$defs/J"}},
        },
        [{"j": ["a", ["b"]]}, {"j": [1]}],
    ),
    (
        {
            "$defs": {"D": {"type": "object", "additionalProperties": {"$ref": "#/$defs/D"}}},
            "type": "object",
            "properties": {"d": {"$ref": "#/$defs/D"}},
        },
        [{"d": {"a": {"b": {}}}}, {"d": {"a": 1}}],
    ),
    (  # bounds and steps beyond any double
        {
            "type": "object",
            "properties": {
                "x": {"type": "integer", "maximum": 10**400, "minimum": -(10**400)},
                "m": {"type": "integer", "multipleOf": 10**400},
            },
        },
        [{"x": 10**300, "m": 0}, {"x": -(10**300)}, {"m": 5}],
    ),
    (  # integers past 64 bits in an enum
        {"type": "object", "properties": {"x": {"enum": [2**63, 1]}}},
        [{"x": 2**63}, {"x": 1}, {"x": 2}],
    ),
    (  # a model class whose dependentSchemas make classes of their own
        {
            "type": "object",
            "properties": {"prompt": {"type": "string"}},
            "dependentSchemas": {"prompt": {"properties": {"n": {"type": "integer"}}}},
            "unevaluatedProperties": False,
        },
        [{"prompt": "p", "n": 3}, {"prompt": "p", "n": "3"}, {"n": 3}, {"prompt": "p", "z": 1}],
    ),
    (  # two dependent schemas of one key, both evaluating
        {
            "allOf": [
                {"dependentSchemas": {"a": {"properties": {"b": True}}}},
                {"dependentSchemas": {"a": {"properties": {"c": True}}}},
            ],
            "unevaluatedProperties": False,
        },
        [{"a": 1, "b": 1, "c": 1}, {"b": 1}, {"a": 1, "d": 1}],
    ),
    (  # counts past any length
        {
            "type": "object",
            "properties": {
                "s": {"type": "string", "maxLength": 2**64},
                "a": {"type": "array", "maxItems": 2**64},
            },
        },
        [{"s": "abc", "a": [1]}],
    ),
]


def test_edge_schemas_import_and_agree_with_jsonschema(tmp_path: Path) -> None:
    manifest = Manifest.from_dict(corpus.manifest_for([schema for schema, _ in EDGE_CASES]))
    text = emit(manifest)
    # The recursive roots alone (names used only in forward references are imported too).
    recursive = Manifest.from_dict(corpus.manifest_for([schema for schema, _ in EDGE_CASES[:3]]))
    path = tmp_path / "recursive_client.py"
    path.write_text(emit(recursive), encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    load_module(path.read_text(encoding="utf-8"), tmp_path, "recursive_client")
    module = load_module(text, tmp_path, "edge_client")
    problems = []
    for i, (schema, cases) in enumerate(EDGE_CASES):
        adapter: TypeAdapter[Any] = TypeAdapter(getattr(module, f"F{i:03d}Input"))
        for instance in cases:
            expected = jsonschema.Draft202012Validator(schema).is_valid(instance)
            try:
                adapter.validate_python(instance)
                got = True
            except ValidationError:
                got = False
            if got is not expected:
                problems.append(
                    f"{i} {json.dumps(instance)[:80]}: jsonschema {expected}, model {got}"
                )
    assert not problems, "\n".join(problems)
