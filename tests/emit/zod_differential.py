"""The differential check of the zod target: JSON Schema verdicts vs zod's ``safeParse``.

Shared by ``tests/emit/typescript/test_zod.py`` and ``benchmarks/zod_bench.py``:

- the oracle: Python ``jsonschema`` Draft 2020-12, with ``pattern`` and
  ``patternProperties`` evaluated as ECMA-262 regexes (``regress``), as JSON
  Schema specifies; ``re`` reads some patterns differently (``$`` also matches
  before a final newline, ``\\d`` matches any Unicode digit);
- instances: valid ones from hypothesis-jsonschema, invalid ones by mutating
  them (wrong types, missing required keys, out-of-range values, extra keys,
  nulls, astral characters) at every depth; every instance is labelled by the
  oracle, never by how it was made;
- a hypothesis strategy for schemas that exercise every keyword the target
  translates, to grow the corpus beyond the hand-written cases.

Profiles: ``HYPOTHESIS_PROFILE=long`` generates ten times more (default
``quick``, deterministic).
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
import regress
from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import strategies as st

from tests import profiles

PROFILE = profiles.PROFILE
QUICK = PROFILE != "long"
# How many generated schemas, and valid instances drawn per schema.
GENERATED_SCHEMAS = 40 if QUICK else 400
VALID_PER_SCHEMA = 6 if QUICK else 30
MUTANTS_PER_SCHEMA = 60 if QUICK else 300
JS_SAFE = 2**53


def hypothesis_settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        database=None,
        derandomize=QUICK,
        deadline=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
        phases=[p for p in settings.default.phases if p.name != "shrink"],
    )


# -- the oracle -------------------------------------------------------------------------


@cache
def _ecma(pattern: str) -> Any:
    try:
        return regress.Regex(pattern, "u")
    except Exception:  # a Python-dialect pattern: read it as its author meant
        compiled = re.compile(pattern)
        return type("PyRegex", (), {"find": staticmethod(compiled.search)})()


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "string") and _ecma(pattern).find(instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _ecma(pattern).find(key) is not None:
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


OracleValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    {"pattern": _pattern, "patternProperties": _pattern_properties},
)


def js_value(value: Any) -> Any:
    """``value`` as JavaScript reads it from JSON: integers beyond 2^53 become doubles."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return value
    if isinstance(value, int):
        return float(value) if abs(value) > JS_SAFE else value
    if isinstance(value, list):
        return [js_value(v) for v in value]
    return {k: js_value(v) for k, v in value.items()}


def oracle(schema: Any) -> Any:
    return OracleValidator(schema)


# -- instances ---------------------------------------------------------------------------


def _strip_formats(schema: Any) -> Any:
    """``format`` is an annotation; hypothesis-jsonschema refuses ones it does not know."""
    if isinstance(schema, dict):
        return {k: _strip_formats(v) for k, v in schema.items() if k != "format"}
    if isinstance(schema, list):
        return [_strip_formats(v) for v in schema]
    return schema


def valid_instances(schema: Any, count: int = VALID_PER_SCHEMA) -> list[Any]:
    """Up to ``count`` instances hypothesis-jsonschema generates for ``schema``."""
    from hypothesis_jsonschema import from_schema

    found: list[Any] = []
    try:
        strategy = from_schema(_strip_formats(schema))
    except Exception:
        return found

    @hypothesis_settings(count)
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            collect()
        except Exception:  # unsatisfiable, recursive, or too hard to generate
            pass
    return found


def seed_instances(schema: Any) -> list[Any]:
    """Instances that need no generator: defaults, examples, enum members, empties."""
    found: list[Any] = [{}, [], "", 0, None]
    for sub in _walk(schema):
        for key in ("default", "const"):
            if key in sub:
                found.append(sub[key])
        for key in ("enum", "examples"):
            if isinstance(sub.get(key), list):
                found.extend(sub[key])
    return found


def _walk(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from _walk(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _walk(value)


REPLACEMENTS: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    2**60,
    1e20,
    -0.0,
    "",
    "x",
    "ab\n",
    "\U0001f600" * 2,
    "😀abc",
    [],
    [None],
    {},
    {"x": 1},
    10**3,
    0.1,
    7,
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for token in path:
        value = value[token]
    return value


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    result = copy.deepcopy(value)
    _get(result, path[:-1])[path[-1]] = new
    return result


def mutants(instance: Any, limit: int) -> list[Any]:
    """Variants of ``instance`` changed at one place each, at every depth."""
    found: list[Any] = []
    for path in _paths(instance):
        target = _get(instance, path)
        for replacement in REPLACEMENTS:
            found.append(_set(instance, path, replacement))
        if isinstance(target, (int, float)) and not isinstance(target, bool):
            for delta in (-1, 1, 0.5, -0.5):
                if isinstance(delta, float) and abs(target) > 2**1000:
                    continue  # past any double: no float near it
                found.append(_set(instance, path, target + delta))
        if isinstance(target, str):
            found.append(_set(instance, path, target + "\U0001f600"))
            found.append(_set(instance, path, target[:-1]))
            found.append(_set(instance, path, target + "\n"))
        if isinstance(target, list):
            found.append(_set(instance, path, target + target[:1]))
            found.append(_set(instance, path, target[:-1]))
            found.append(_set(instance, path, [*target, None]))
        if isinstance(target, dict):
            for key in list(target):
                found.append(_set(instance, path, {k: v for k, v in target.items() if k != key}))
            for extra in ("__extra", "constructor", "x-extra"):
                found.append(_set(instance, path, {**target, extra: 1}))
            found.append(_set(instance, path, {**target, "extra": "s"}))
    # Spread the budget over all depths rather than the first paths only.
    if len(found) > limit:
        step = len(found) / limit
        found = [found[int(i * step)] for i in range(limit)]
    return found


@dataclass
class Labelled:
    """An instance (as JS reads it) and the oracle's verdict on it."""

    instance: Any
    valid: bool


def instance_corpus(
    schema: Any, *, valid: int = VALID_PER_SCHEMA, mutants_per_schema: int = MUTANTS_PER_SCHEMA
) -> list[Labelled]:
    """Valid, seeded and mutated instances of ``schema``, deduplicated, labelled."""
    validator = oracle(schema)
    generated = valid_instances(schema, valid)
    candidates = generated + seed_instances(schema)
    for base in generated[:4] or [{}]:
        candidates.extend(mutants(base, mutants_per_schema // max(1, min(4, len(generated)))))
    seen: set[str] = set()
    corpus: list[Labelled] = []
    for candidate in candidates:
        try:
            value = js_value(candidate)
        except OverflowError:  # an integer past any double: JavaScript cannot read it
            continue
        key = json.dumps(value, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        corpus.append(Labelled(value, bool(validator.is_valid(value))))
    return corpus


# -- generated schemas ------------------------------------------------------------------

PATTERNS = ["^[a-z]+$", "^a", "b$", "^[0-9]{2,3}$", "x|y", "^\\w+$", "^.$", "^[^@]+@[^@]+$"]
SMALL = st.integers(min_value=-5, max_value=20)


@st.composite
def string_schemas(draw: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if draw(st.booleans()):
        schema["minLength"] = draw(st.integers(0, 3))
    if draw(st.booleans()):
        schema["maxLength"] = draw(st.integers(1, 6))
    if draw(st.integers(0, 3)) == 0:
        schema["pattern"] = draw(st.sampled_from(PATTERNS))
    if draw(st.integers(0, 4)) == 0:
        schema["format"] = draw(st.sampled_from(["file", "uri", "email", "date-time"]))
    return schema


@st.composite
def number_schemas(draw: Any) -> dict[str, Any]:
    integer = draw(st.booleans())
    schema: dict[str, Any] = {"type": "integer" if integer else "number"}
    for keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        if draw(st.integers(0, 2)) == 0:
            schema[keyword] = (
                draw(SMALL)
                if integer or draw(st.booleans())
                else draw(st.sampled_from([0.5, -2.5, 10.25]))
            )
    if draw(st.integers(0, 3)) == 0:
        schema["multipleOf"] = draw(st.sampled_from([2, 3, 5, 0.5, 0.25, 2.5]))
    return schema


LEAVES = st.one_of(
    string_schemas(),
    number_schemas(),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.builds(
        lambda v: {"enum": v},
        st.lists(st.sampled_from(["a", "b", "c d", 'q"']), min_size=1, max_size=3, unique=True),
    ),
    st.builds(
        lambda v: {"enum": v},
        st.lists(
            st.sampled_from(["a", 1, 2.5, None, True, [1], {"k": 1}]),
            min_size=1,
            max_size=4,
            unique_by=json.dumps,
        ),
    ),
    st.builds(lambda v: {"const": v}, st.sampled_from(["on", 0, False, None])),
    st.just({}),
    st.builds(
        lambda t: {"type": t},
        st.lists(
            st.sampled_from(["string", "integer", "null", "boolean"]),
            min_size=2,
            max_size=3,
            unique=True,
        ),
    ),
)

KEYS = st.sampled_from(["a", "b", "name", "class", "a-b", "x y", "constructor", "__proto__", "é"])


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    @st.composite
    def objects(draw: Any) -> dict[str, Any]:
        props = draw(st.dictionaries(KEYS, children, max_size=4))
        schema: dict[str, Any] = {"type": "object", "properties": props}
        if props:
            schema["required"] = draw(st.lists(st.sampled_from(sorted(props)), unique=True))
        extra = draw(st.integers(0, 5))
        if extra == 0:
            schema["additionalProperties"] = False
        elif extra == 1:
            schema["additionalProperties"] = draw(children)
        elif extra == 2:
            schema["patternProperties"] = {"^x-": draw(children)}
        elif extra == 3:
            schema["minProperties"] = draw(st.integers(0, 2))
            schema["maxProperties"] = draw(st.integers(2, 4))
        for key, sub in props.items():
            if draw(st.integers(0, 3)) == 0 and key not in schema.get("required", []):
                defaults = [v for v in ("d", 1, None, [], True) if oracle(sub).is_valid(v)]
                if defaults:
                    sub["default"] = draw(st.sampled_from(defaults))
        return schema

    @st.composite
    def arrays(draw: Any) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array"}
        shape = draw(st.integers(0, 3))
        if shape == 0:
            schema["prefixItems"] = draw(st.lists(children, min_size=1, max_size=3))
            schema["items"] = draw(st.one_of(st.just(False), children))
        else:
            schema["items"] = draw(children)
        if draw(st.booleans()):
            schema["minItems"] = draw(st.integers(0, 2))
        if draw(st.booleans()):
            schema["maxItems"] = draw(st.integers(1, 4))
        if draw(st.integers(0, 2)) == 0:
            schema["uniqueItems"] = True
        return schema

    combinators = st.one_of(
        st.builds(lambda s: {"anyOf": [s, {"type": "null"}], "default": None}, children),
        st.builds(lambda a: {"anyOf": a}, st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda a: {"oneOf": a}, st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda a: {"allOf": a}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda s: {"not": s}, children),
    )
    return st.one_of(objects(), objects(), arrays(), combinators)


SCHEMAS = st.recursive(LEAVES, _extend, max_leaves=8)


@st.composite
def function_input_schemas(draw: Any) -> dict[str, Any]:
    """An object schema, as a function input is; sometimes with recursive ``$defs``."""
    root: dict[str, Any] = {
        "type": "object",
        "properties": draw(st.dictionaries(KEYS, SCHEMAS, min_size=1, max_size=4)),
    }
    root["required"] = draw(st.lists(st.sampled_from(sorted(root["properties"])), unique=True))
    if draw(st.integers(0, 3)) == 0:
        root["$defs"] = {
            "Tree": {
                "type": "object",
                "properties": {
                    "v": draw(LEAVES),
                    "kids": {"type": "array", "items": {"$ref": "#/$defs/Tree"}},
                },
                "required": ["v"],
            }
        }
        root["properties"]["tree"] = {"$ref": "#/$defs/Tree"}
    return root


def generated_schemas(count: int = GENERATED_SCHEMAS) -> list[dict[str, Any]]:
    """``count`` schemas from ``function_input_schemas`` (deterministic in the quick profile)."""
    found: list[dict[str, Any]] = []

    @hypothesis_settings(count)
    @given(function_input_schemas())
    def collect(schema: dict[str, Any]) -> None:
        found.append(schema)

    collect()
    return found[:count]


def manifest_for(schemas: list[dict[str, Any]], name: str = "generated") -> dict[str, Any]:
    """A manifest with one function per schema (``f000``, ``f001``…)."""
    return {
        "format": "schemagen-manifest",
        "format_version": 1,
        "app": {
            "name": name,
            "language": "unknown",
            "entrypoint": None,
            "app_class": None,
            "origin": "manifest",
            "sdk": {"source": "unknown", "version": None},
            "pydantic_version": None,
            "stubbed_modules": [],
        },
        "setup": None,
        "functions": {
            f"f{i:03d}": {
                "description": "",
                "input_schema": schema,
                "output_schema": {"type": "object", "properties": {}},
                "streaming": False,
            }
            for i, schema in enumerate(schemas)
        },
    }
