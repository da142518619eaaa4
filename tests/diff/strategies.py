"""Hypothesis strategies for the diff's property tests: random schemas in the
shapes pydantic and zod emit, random mutations of them, and a value sampler.

The sampler is deliberately independent of ``schemagen.diff.witness``: it
follows a schema loosely (declared properties, bounds, enum members, pattern
samples) and perturbs freely, and every value is judged by ``jsonschema`` only.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
from hypothesis import strategies as st

from schemagen.diff.witness import format_checker

NAMES = ("a", "b", "c", "d")
PATTERNS = ("^[a-z]+$", "^[a-z0-9]+$", "^a", "b$", "^[0-9]{2,3}$", "x")
FORMATS = ("file", "uri", "date", "email", "password")
LEAF_TYPES = ("string", "integer", "number", "boolean", "null")
JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 12),
    st.sampled_from([0.5, -1.5, 2.25, 1e3, 10.0]),
    st.text(alphabet="abz09 -", max_size=5),
    st.sampled_from(["", "a", "ab", "12", "123", "https://x.y/z", "2024-01-01", "u@e.co"]),
)
ANY_JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(NAMES + ("zz",)), inner, max_size=3),
    ),
    max_leaves=6,
)


# ---------------------------------------------------------------- schemas


@st.composite
def leaf_schema(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(LEAF_TYPES + ("enum", "const", "any")))
    if kind == "any":
        return {}
    if kind == "enum":
        values = draw(
            st.lists(
                st.sampled_from(["x", "y", "z", 1, 2, 2.5, True, None]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        schema: dict[str, Any] = {"enum": values}
        if all(isinstance(v, str) for v in values) and draw(st.booleans()):
            schema["type"] = "string"
        return schema
    if kind == "const":
        return {"const": draw(st.sampled_from(["x", "y", 1, 0, False]))}
    schema = {"type": kind}
    if kind == "string":
        if draw(st.booleans()):
            schema["minLength"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            schema["maxLength"] = draw(st.integers(2, 6))
        if draw(st.integers(0, 3)) == 0:
            schema["pattern"] = draw(st.sampled_from(PATTERNS))
        if draw(st.integers(0, 4)) == 0:
            schema["format"] = draw(st.sampled_from(FORMATS))
    elif kind in ("integer", "number"):
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if draw(st.integers(0, 3)) == 0:
                schema[key] = draw(st.sampled_from([-2, 0, 1, 2.5, 5, 10]))
        if draw(st.integers(0, 5)) == 0:
            schema["multipleOf"] = draw(st.sampled_from([2, 3, 0.5]))
    if draw(st.integers(0, 3)) == 0:
        schema["description"] = draw(st.sampled_from(["d1", "d2"]))
    return schema


def node_schema(depth: int, defs: tuple[str, ...]) -> st.SearchStrategy[Any]:
    if depth <= 0:
        return leaf_schema()
    inner = node_schema(depth - 1, defs)
    options = [
        leaf_schema(),
        leaf_schema(),
        object_schema(depth - 1, defs),
        array_schema(inner),
        union_schema(inner),
    ]
    if defs:
        options.append(st.sampled_from(defs).map(lambda name: {"$ref": f"#/$defs/{name}"}))
    return st.one_of(options)


@st.composite
def object_schema(draw: st.DrawFn, depth: int, defs: tuple[str, ...]) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True))
    props = {n: draw(node_schema(depth, defs)) for n in names}
    schema: dict[str, Any] = {"type": "object", "properties": props}
    required = [n for n in names if draw(st.booleans())]
    if required:
        schema["required"] = required
    extra = draw(st.integers(0, 7))
    if extra == 0:
        schema["additionalProperties"] = False
    elif extra == 1:
        schema["additionalProperties"] = True
    elif extra == 2:
        schema["additionalProperties"] = draw(leaf_schema())
    if draw(st.integers(0, 6)) == 0:
        schema["minProperties"] = draw(st.integers(0, 2))
    if draw(st.integers(0, 6)) == 0:
        schema["maxProperties"] = draw(st.integers(1, 3))
    return schema


@st.composite
def array_schema(draw: st.DrawFn, inner: st.SearchStrategy[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array"}
    if draw(st.integers(0, 4)) == 0:
        schema["prefixItems"] = draw(st.lists(inner, min_size=1, max_size=2))
        if draw(st.booleans()):
            schema["items"] = draw(inner)
    elif draw(st.integers(0, 5)) != 0:
        schema["items"] = draw(inner)
    if draw(st.integers(0, 3)) == 0:
        schema["minItems"] = draw(st.integers(0, 2))
    if draw(st.integers(0, 3)) == 0:
        schema["maxItems"] = draw(st.integers(1, 3))
    if draw(st.integers(0, 4)) == 0:
        schema["uniqueItems"] = True
    return schema


@st.composite
def union_schema(draw: st.DrawFn, inner: st.SearchStrategy[Any]) -> dict[str, Any]:
    branches = draw(st.lists(inner, min_size=1, max_size=3))
    if draw(st.booleans()):
        branches.append({"type": "null"})
    keyword = "oneOf" if draw(st.integers(0, 4)) == 0 else "anyOf"
    schema: dict[str, Any] = {keyword: branches}
    if draw(st.integers(0, 3)) == 0:
        schema["default"] = None
    return schema


@st.composite
def schema_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A root object schema, with up to two $defs (which may refer to themselves)."""
    defs = tuple(draw(st.lists(st.sampled_from(["A", "B"]), max_size=2, unique=True)))
    root = draw(object_schema(2, defs))
    if defs:
        root["$defs"] = {name: draw(object_schema(1, defs)) for name in defs}
    return root


# ---------------------------------------------------------------- mutations


def _places(schema: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every sub-schema object."""
    out: list[tuple[Any, ...]] = []
    if not isinstance(schema, dict):
        return out
    out.append(path)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            out += _places(schema[key], (*path, key))
    for key in ("properties", "$defs"):
        for name, sub in (schema.get(key) or {}).items():
            out += _places(sub, (*path, key, name))
    for key in ("anyOf", "oneOf", "prefixItems"):
        for i, sub in enumerate(schema.get(key) or []):
            out += _places(sub, (*path, key, i))
    return out


def _get(schema: Any, path: tuple[Any, ...]) -> Any:
    for token in path:
        schema = schema[token]
    return schema


def _set(schema: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(schema, path[:-1])[path[-1]] = value
    return schema


@st.composite
def mutated(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with one to three random changes."""
    result = copy.deepcopy(schema)
    for _ in range(draw(st.integers(1, 3))):
        places = _places(result)
        path = draw(st.sampled_from(places))
        node = _get(result, path)
        op = draw(
            st.sampled_from(
                [
                    "replace",
                    "type",
                    "required",
                    "add-prop",
                    "drop-prop",
                    "bound",
                    "enum",
                    "nullable",
                    "branch",
                    "extras",
                    "string",
                    "unique",
                    "annotation",
                    "any",
                ]
            )
        )
        result = _set(result, path, draw(_mutate(node, op)))
    return result


@st.composite
def _mutate(draw: st.DrawFn, node: dict[str, Any], op: str) -> Any:
    node = copy.deepcopy(node)
    if op == "replace" and "$defs" not in node:
        return draw(leaf_schema())
    if op == "any" and "$defs" not in node:
        return {}
    if op == "type" and node.get("type") in LEAF_TYPES:
        node["type"] = draw(st.sampled_from([t for t in LEAF_TYPES if t != node["type"]]))
    elif op == "required" and "properties" in node:
        names = list(node["properties"])
        if names:
            name = draw(st.sampled_from(names))
            required = node.setdefault("required", [])
            if name in required:
                required.remove(name)
            else:
                required.append(name)
    elif op == "add-prop" and "properties" in node:
        name = draw(st.sampled_from(NAMES))
        node["properties"][name] = draw(leaf_schema())
        if draw(st.booleans()):
            node.setdefault("required", [])
            if name not in node["required"]:
                node["required"].append(name)
    elif op == "drop-prop" and node.get("properties"):
        name = draw(st.sampled_from(sorted(node["properties"])))
        del node["properties"][name]
    elif op == "bound":
        keys = {
            "string": ("minLength", "maxLength"),
            "array": ("minItems", "maxItems"),
            "object": ("minProperties", "maxProperties"),
        }.get(
            node.get("type", ""),
            ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
        )
        key = draw(st.sampled_from(keys))
        if key in node and draw(st.booleans()):
            del node[key]
        else:
            node[key] = draw(
                st.sampled_from([0, 1, 2, 3, 0.5, 5])
                if key == "multipleOf" or "imum" in key
                else st.integers(0, 4)
            )
            if key == "multipleOf" and node[key] == 0:
                node[key] = 1
    elif op == "enum":
        if "enum" in node:
            values = list(node["enum"])
            if len(values) > 1 and draw(st.booleans()):
                values.remove(draw(st.sampled_from(values)))
            else:
                extra = draw(st.sampled_from(["x", "y", "w", 1, 3, None]))
                if extra not in values:
                    values.append(extra)
            node["enum"] = values
        elif "const" in node:
            node["const"] = draw(st.sampled_from(["x", "y", 1, 0, True]))
        else:
            node["enum"] = draw(
                st.lists(
                    st.sampled_from(["x", "y", 1, 2, None]), min_size=1, max_size=2, unique=True
                )
            )
    elif op == "nullable":
        branches = node.get("anyOf")
        if branches and {"type": "null"} in branches and len(branches) == 2:
            return next(b for b in branches if b != {"type": "null"})
        if "$defs" not in node:
            return {"anyOf": [node, {"type": "null"}]}
    elif op == "branch":
        key = "anyOf" if "anyOf" in node else "oneOf" if "oneOf" in node else None
        if key:
            branches = node[key]
            if len(branches) > 1 and draw(st.booleans()):
                branches.pop(draw(st.integers(0, len(branches) - 1)))
            else:
                branches.append(draw(leaf_schema()))
    elif op == "extras" and node.get("type") == "object":
        choice = draw(st.integers(0, 3))
        if choice == 0:
            node.pop("additionalProperties", None)
        else:
            node["additionalProperties"] = [False, True, {"type": "integer"}][choice - 1]
    elif op == "string" and node.get("type") == "string":
        key = draw(st.sampled_from(["pattern", "format"]))
        if key in node and draw(st.booleans()):
            del node[key]
        else:
            node[key] = draw(st.sampled_from(PATTERNS if key == "pattern" else FORMATS))
    elif op == "unique" and node.get("type") == "array":
        if node.pop("uniqueItems", None) is None:
            node["uniqueItems"] = True
    elif op == "annotation":
        node["description"] = draw(st.sampled_from(["d1", "d3"]))
        if draw(st.booleans()):
            node["default"] = draw(JSON_LEAVES)
    return node


# ---------------------------------------------------------------- values


def _resolve(schema: Any, root: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 8:
        name = schema["$ref"].split("/")[-1]
        schema = root.get("$defs", {}).get(name, {})
        seen += 1
    return schema


def values_for(schema: Any, root: Any, depth: int = 4) -> st.SearchStrategy[Any]:
    """Values that mostly satisfy ``schema``, and sometimes just miss it."""
    schema = _resolve(schema, root)
    if depth <= 0 or not isinstance(schema, dict):
        return JSON_LEAVES
    options: list[st.SearchStrategy[Any]] = []
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, []):
            options.append(values_for(branch, root, depth - 1))
    if "enum" in schema:
        options.append(st.sampled_from(schema["enum"]))
    if "const" in schema:
        options.append(st.just(schema["const"]))
    kind = schema.get("type")
    if kind == "string":
        options.append(_leaves(schema, STRINGS))
    elif kind in ("integer", "number"):
        options.append(_leaves(schema, _number_points(schema)))
    elif kind == "boolean":
        options.append(st.booleans())
    elif kind == "null":
        options.append(st.none())
    elif kind == "array":
        options.append(_arrays(schema, root, depth))
    elif kind == "object" or "properties" in schema:
        options.append(_objects(schema, root, depth))
    if not options:
        return ANY_JSON
    conforming = st.one_of(options)
    return st.one_of(*([conforming] * 9), JSON_LEAVES)


STRINGS = [
    "",
    "a",
    "ab",
    "abc",
    "abcdef",
    "A1",
    "12",
    "123",
    "1234",
    "ba",
    "xb",
    "a!",
    "b",
    "x",
    "ax",
    "https://x.y/z",
    "data:,a",
    "2024-01-01",
    "u@e.co",
    "zz",
    "a1b",
    "0",
    "aaaaaaa",
]


def _leaves(schema: dict[str, Any], points: list[Any]) -> st.SearchStrategy[Any]:
    """Points that satisfy the leaf schema (checked), else any of them."""
    local = {k: v for k, v in schema.items() if k not in ("default", "description")}
    validator = jsonschema.Draft202012Validator(local, format_checker=format_checker())
    fitting = [p for p in points if validator.is_valid(p)]
    every = st.sampled_from(points)
    if isinstance(schema.get("type"), str) and schema["type"] == "string":
        every = st.one_of(every, st.text(alphabet="ab0x1!A", max_size=7))
    return (
        st.one_of(st.sampled_from(fitting), st.sampled_from(fitting), every) if fitting else every
    )


def _number_points(schema: dict[str, Any]) -> list[Any]:
    points: list[Any] = [0, 1, -1, 0.5, 2, 3, 4, 6, 10, 2.5, -2, 1.5, 12]
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        if isinstance(schema.get(key), (int, float)):
            v = schema[key]
            points += [v, v + 1, v - 1, v + 0.5, v - 0.5, v * 2, v + 0.25]
    return points


def _arrays(schema: dict[str, Any], root: Any, depth: int) -> st.SearchStrategy[Any]:
    prefix = [values_for(s, root, depth - 1) for s in schema.get("prefixItems", [])]
    rest = values_for(schema.get("items", {}), root, depth - 1)
    low = schema.get("minItems", 0)
    return st.builds(
        lambda head, tail: head + tail,
        st.tuples(*prefix).map(list) if prefix else st.just([]),
        st.lists(rest, min_size=max(0, low - len(prefix)), max_size=max(3, low)),
    )


@st.composite
def _objects(draw: st.DrawFn, schema: dict[str, Any], root: Any, depth: int) -> dict[str, Any]:
    props = schema.get("properties", {})
    out: dict[str, Any] = {}
    required = set(schema.get("required", []))
    for name, sub in props.items():
        keep = draw(st.integers(0, 19))
        if (name in required and keep != 0) or keep > 9:
            out[name] = draw(values_for(sub, root, depth - 1))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        extra = schema.get("additionalProperties")
        value = (
            draw(values_for(extra, root, depth - 1)) if isinstance(extra, dict) else draw(ANY_JSON)
        )
        out[draw(st.sampled_from(NAMES + ("zz", "yy")))] = value
    return out


def closed(schema: Any) -> Any:
    """The producer view: objects with properties and no additionalProperties are closed.

    Written again here from the definition in docs/diff.md (not imported), so the
    test does not trust the code it checks.
    """
    result = copy.deepcopy(schema)

    def walk(node: Any, in_all_of: bool = False) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        if (
            isinstance(node.get("properties"), dict)
            and not in_all_of
            and not any(
                k in node
                for k in (
                    "additionalProperties",
                    "patternProperties",
                    "unevaluatedProperties",
                    "$ref",
                    "allOf",
                )
            )
        ):
            node["additionalProperties"] = False
        for key, value in list(node.items()):
            if key in ("properties", "$defs", "patternProperties", "dependentSchemas"):
                for sub in value.values():
                    walk(sub)
            elif key in ("allOf",):
                for sub in value:
                    walk(sub, True)
            elif key in ("anyOf", "oneOf", "prefixItems"):
                walk(value)
            elif key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
                walk(value)

    walk(result)
    return result


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
