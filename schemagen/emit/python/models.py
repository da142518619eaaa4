"""JSON Schema -> pydantic v2 models whose validation agrees with Python's ``jsonschema``.

``PyTranslator.translate`` dispatches each keyword family to one method
(``type_*`` per JSON type, ``enum_schema``, ``ref_schema``, ``all_of_schema``,
``any_of_schema``, ``one_of_schema``, ``not_schema``, ``if_schema``, …) and
returns a ``Py``: a type expression that is both the static type (for mypy and
editors) and the runtime validator. Exactness, where pydantic's own semantics differ
from JSON Schema's:

- scalars are strict (``"5"`` is not an integer, ``1`` is not a boolean), yet an
  ``integer`` accepts ``1.0`` and a ``number`` keeps ints as ints (``Integer`` /
  ``Number`` in the generated module);
- ``enum``/``const`` compare as ``jsonschema`` does (``1 == 1.0``, ``1 != True``);
  only members also valid against the rest of the schema are kept;
- ``pattern`` is ``re.search`` (as ``jsonschema`` evaluates it), ``multipleOf`` and
  ``uniqueItems`` are computed as ``jsonschema`` computes them;
- checks that must see the input as given (``uniqueItems``, ``prefixItems``,
  ``contains``, ``allOf``/``oneOf``/``not``/``if`` beside a main type, the object
  keywords pydantic has no field for) run as ``BeforeValidator``s (or a model's
  ``mode="before"`` validator) on the raw value, against lazily built
  ``TypeAdapter``s of the other generated types;
- objects keep unknown keys (``extra="allow"``) unless ``additionalProperties`` is
  ``false``; a schema-valued ``additionalProperties`` types ``__pydantic_extra__``;
- an optional property without a default is ``T | None = None`` that still rejects
  an explicit ``null`` when the schema does; defaults are the schema's (not validated
  against it, as the platform does not either): one the field's type does not admit
  goes through ``_unchecked`` (so mypy accepts it), and a ``null`` one makes the field
  read as absent.

A keyword with no exact translation (``unevaluatedProperties``, a non-local
``$ref``, a pattern Python's ``re`` cannot compile, …) is dropped, which can only
make the model accept *more*, and reported as an ``EmitWarning`` naming the schema
path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Literal

from schemagen.emit.core.definitions import Definition, Document, emit_order, merge_definitions
from schemagen.emit.core.target import EmitWarning
from schemagen.emit.core.translator import SchemaTranslator
from schemagen.emit.python.naming import (
    RESERVED_FIELD_NAMES,
    NameAllocator,
    docstring,
    json_literal,
    pascal_case,
    snake_name,
    string_literal,
)
from schemagen.manifest import Manifest
from schemagen.schema.defs import local_defs
from schemagen.schema.pointers import follow_local_refs, join, local_ref_name
from schemagen.schema.values import (
    JsonSchema,
    is_finite_number,
    is_json,
    is_number,
    json_equal,
    json_type,
)

# The base class of every generated model, and the names the runtime section binds.
BASE_MODEL = "_SchemaModel"
RUNTIME_NAMES = frozenset(
    {
        BASE_MODEL,
        "Integer",
        "Number",
        "FileUrl",
        "APP_REF",
        "Transport",
        "AsyncTransport",
        "SdkTransport",
        "AsyncSdkTransport",
        "ClientError",
        "TaskFailedError",
        "TransportError",
        "ApiConnectionError",
        "OutputValidationError",
        "RootModel",
    }
)
LINE_WIDTH = 88
# Numeric bounds and the pydantic Field argument that checks each.
_NUMBER_BOUNDS = {
    "minimum": "ge",
    "exclusiveMinimum": "gt",
    "maximum": "le",
    "exclusiveMaximum": "lt",
}


class Kind:
    """What a translated type statically accepts, for choosing how a default is written."""

    NULL, BOOLEAN, INTEGER, NUMBER, STRING, ARRAY, OBJECT, ANY = (
        "null",
        "boolean",
        "integer",
        "number",
        "string",
        "array",
        "object",
        "any",
    )


@dataclass(frozen=True)
class Py:
    """A translated schema: a type expression (static type and runtime validator)."""

    expr: str
    kinds: frozenset[str]
    # The members of a Literal type (a default must be one of them to be written plainly).
    literals: tuple[Any, ...] | None = None
    # Checks of the raw input beside the main type (rendered as BeforeValidators).
    checks: tuple[str, ...] = ()

    @property
    def nullable(self) -> bool:
        return bool(self.kinds & {Kind.NULL, Kind.ANY})

    def annotation(self) -> str:
        """The expression with its raw-input checks attached."""
        if not self.checks:
            return self.expr
        validators = ", ".join(f"BeforeValidator({c})" for c in self.checks)
        return f"Annotated[{self.expr}, {validators}]"

    def accepts_plain_default(self, value: Any) -> bool:
        """Whether ``name: <this> = <value>`` type-checks (mypy) as written."""
        if isinstance(value, (list, dict)):
            return False
        if Kind.ANY in self.kinds:
            return True
        if self.literals is not None:
            return any(json_equal(value, m) and type(value) is type(m) for m in self.literals)
        if value is None:
            return Kind.NULL in self.kinds
        if isinstance(value, bool):
            return Kind.BOOLEAN in self.kinds
        if isinstance(value, int):
            return bool(self.kinds & {Kind.INTEGER, Kind.NUMBER})
        if isinstance(value, float):
            return Kind.NUMBER in self.kinds
        return isinstance(value, str) and Kind.STRING in self.kinds

    def accepts_factory_default(self, value: Any) -> bool:
        """Whether ``Field(default_factory=lambda: <value>)`` type-checks (mypy) as written.

        Only an empty list is sure to (mypy infers a non-empty literal on its own, and
        lists are invariant: ``[1]`` is no ``list[int | float]``, ``[{}]`` no ``list[Model]``).
        """
        return Kind.ANY in self.kinds or (value == [] and Kind.ARRAY in self.kinds)


ANY = Py("Any", frozenset({Kind.ANY}))
NEVER = Py("Any", frozenset({Kind.ANY}), checks=("_never",))


@dataclass
class ModelField:
    """One field of a generated model class."""

    name: str
    annotation: str
    default: str | None  # the right-hand side, or None for a required field
    doc: str
    wire: str  # the property name on the wire
    required: bool


@dataclass
class ModelClass:
    """A generated pydantic model (or RootModel) class."""

    name: str
    doc: str = ""
    config: str | None = None
    fields: list[ModelField] = field(default_factory=list)
    extra: str | None = None  # the type of __pydantic_extra__'s values
    checks: list[str] = field(default_factory=list)  # raw-input checks (model_validator)
    root: str | None = None  # a RootModel's root type
    rebuild: bool = False  # call model_rebuild() once every name exists


@dataclass
class TypeAlias:
    name: str
    expr: str
    doc: str = ""


Block = ModelClass | TypeAlias


@dataclass(frozen=True)
class Site:
    """Where a schema sits: its document and JSON pointer (for refs and warnings), and
    the name a class made for it would get."""

    document: Document
    pointer: str = ""
    hint: str = ""

    def at(self, *tokens: str | int, hint: str | None = None) -> Site:
        pointer = join(self.pointer, *tokens)
        return replace(self, pointer=pointer, hint=self.hint if hint is None else hint)


def _union_members(expr: str) -> list[str]:
    """The members of a top-level ``A | B`` expression (``[expr]`` for anything else)."""
    members: list[str] = []
    depth = 0
    start = 0
    quote = ""
    for i, ch in enumerate(expr):
        if quote:
            if ch == quote and expr[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "|" and depth == 0:
            members.append(expr[start:i].strip())
            start = i + 1
    members.append(expr[start:].strip())
    return members


def _lazy(py: Py) -> str:
    """A ``_Lazy`` adapter of ``py`` (built on first use: it may name later classes)."""
    return f"_Lazy(lambda: {py.annotation()})"


def _call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args)})"


def _int_bounds(schema: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The JSON Schema bounds of an integer as inclusive integer bounds (exactly)."""
    low: int | None = None
    high: int | None = None
    for keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound: Any = schema.get(keyword)
        if not is_finite_number(bound):
            continue
        exact = Fraction(bound)
        if keyword == "minimum":
            value = math.ceil(exact)
            low = value if low is None else max(low, value)
        elif keyword == "exclusiveMinimum":
            value = math.floor(exact) + 1
            low = value if low is None else max(low, value)
        elif keyword == "maximum":
            value = math.floor(exact)
            high = value if high is None else min(high, value)
        else:
            value = math.ceil(exact) - 1
            high = value if high is None else min(high, value)
    return low, high


class PyTranslator(SchemaTranslator[Py, Site]):
    """JSON Schema -> pydantic types, one method per keyword family."""

    TARGET_NAME = "the Python client"

    def __init__(self, names: NameAllocator) -> None:
        super().__init__()
        self.names = names  # module-level names
        self.blocks: list[Block] = []  # inline classes, in the order they were made

    def any_type(self) -> Py:
        return ANY

    def never_type(self) -> Py:
        self.use("_never")
        return NEVER

    def intersect(self, parts: list[Py]) -> Py:
        """The first part as the type; every other part checked on the raw input."""
        parts = [p for p in parts if p is not ANY]
        if not parts:
            return ANY
        main, others = parts[0], parts[1:]
        if not others:
            return main
        self.use("_Lazy")
        checks = [_call(self.use("_all_of"), [_lazy(p) for p in others])]
        kinds = main.kinds
        for other in others:
            if Kind.ANY not in other.kinds:
                kinds = kinds & other.kinds if Kind.ANY not in kinds else other.kinds
        return replace(main, kinds=kinds, checks=(*main.checks, *checks))

    def with_check(self, base: Py, check: str) -> Py:
        return replace(base, checks=(*base.checks, check))

    # -- keyword families -----------------------------------------------------------

    def enum_schema(self, schema: dict[str, Any], site: Site) -> Py:
        """``enum`` / ``const``: the members that are also valid against the rest (and are
        JSON: no value on the wire equals ``Infinity``)."""
        members = [schema["const"]] if "const" in schema else schema["enum"]
        if not isinstance(members, list):
            self.warn(site, "enum", f"{members!r} is not a list; ignored")
            return ANY
        rest = {k: v for k, v in schema.items() if k not in ("enum", "const")}
        unique: list[Any] = []
        for member in members:
            if any(json_equal(m, member) for m in unique):
                continue
            if is_json(member) and self.is_valid(site, rest, member):
                unique.append(member)
        if not unique:
            self.use("_never")
            return NEVER
        kinds = frozenset(
            Kind.NUMBER if json_type(m) == "integer" else json_type(m) for m in unique
        )
        # pydantic's Literal parses integers as 64-bit ones.
        literal_able = all(
            m is None or isinstance(m, str) or (isinstance(m, int) and -(2**63) <= m < 2**63)
            for m in unique
        )
        has_bool = any(isinstance(m, bool) for m in unique)
        has_int = any(is_number(m) for m in unique)
        if not literal_able or (has_bool and has_int):
            # Literal cannot hold floats or objects, and pydantic's Literal takes 1 for True.
            check = _call(self.use("_member"), [json_literal(m) for m in unique])
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        values = [m for m in unique if m is not None]
        expr = f"Literal[{', '.join(json_literal(m) for m in values)}]" if values else "None"
        if values and None in unique:
            expr += " | None"
        checks: tuple[str, ...] = ()
        if not all(isinstance(m, str) or m is None for m in unique):
            # 1.0 is the member 1 (and True is not): canonicalise before the Literal check.
            checks = (_call(self.use("_member"), [json_literal(m) for m in unique]),)
        return Py(expr, kinds, literals=tuple(unique), checks=checks)

    def ref_schema(self, ref: Any, site: Site) -> Py:
        name = local_ref_name(ref) if isinstance(ref, str) else None
        binding = site.document.bindings.get(name) if name is not None else None
        if binding is None:
            self.warn(site, "$ref", f"{ref!r} is not a local $defs reference; accepting anything")
            return ANY
        definition = self.definitions[binding]
        target = self.resolve(definition.schema, definition.document)
        literals = None
        if isinstance(target, dict) and ("enum" in target or "const" in target):
            values = [target["const"]] if "const" in target else target["enum"]
            literals = tuple(values) if isinstance(values, list) else None
        kinds = self.kinds_of(definition.schema, definition.document, set())
        return Py(binding, kinds, literals=literals)

    def kinds_of(self, schema: JsonSchema, document: Document, seen: set[str]) -> frozenset[str]:
        """The JSON kinds a schema can accept, judged by ``type``/``enum``/``$ref`` only."""
        if not isinstance(schema, dict):
            return frozenset({Kind.ANY})
        if "const" in schema or "enum" in schema:
            values = [schema["const"]] if "const" in schema else schema["enum"]
            if isinstance(values, list):
                return frozenset(json_type(v) for v in values) | (
                    {Kind.NUMBER} if any(json_type(v) == "integer" for v in values) else set()
                )
        declared = schema.get("type")
        if isinstance(declared, str):
            return frozenset({declared})
        if isinstance(declared, list):
            return frozenset(t for t in declared if isinstance(t, str))
        ref = schema.get("$ref")
        name = local_ref_name(ref) if isinstance(ref, str) else None
        if name is not None and name in document.local_defs and name not in seen:
            return self.kinds_of(document.local_defs[name], document, seen | {name})
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                found: frozenset[str] = frozenset()
                for branch in branches:
                    found |= self.kinds_of(branch, document, seen)
                return found
        return frozenset({Kind.ANY})

    def typed_schema(self, schema: dict[str, Any], site: Site) -> Py | None:
        """``type`` and the keywords of each JSON type; None when nothing constrains."""
        types = self.declared_types(schema, site)
        if types is None:
            return None
        options = [getattr(self, f"type_{t}")(schema, site) for t in types]
        return self.union(options)

    def union(self, options: list[Py]) -> Py:
        if not options:
            self.use("_never")
            return NEVER
        if any(o is ANY for o in options):
            return ANY
        if len(options) == 1:
            return options[0]
        exprs: list[str] = []
        for option in options:
            for expr in _union_members(option.annotation()):
                if expr not in exprs:
                    exprs.append(expr)
        # None last, as written by hand (`X | None`).
        exprs.sort(key=lambda e: e == "None")
        kinds: frozenset[str] = frozenset().union(*(o.kinds for o in options))
        literals = None
        if all(o.literals is not None or o.expr == "None" for o in options):
            literals = tuple(v for o in options for v in (o.literals or (None,)))
        return Py(" | ".join(exprs), kinds, literals=literals)

    def type_null(self, schema: dict[str, Any], site: Site) -> Py:
        return Py("None", frozenset({Kind.NULL}), literals=(None,))

    def type_boolean(self, schema: dict[str, Any], site: Site) -> Py:
        return Py("StrictBool", frozenset({Kind.BOOLEAN}))

    def type_integer(self, schema: dict[str, Any], site: Site) -> Py:
        self.use("Integer")
        low, high = _int_bounds(schema)
        constraints = []
        if low is not None:
            constraints.append(f"ge={low}")
        if high is not None:
            constraints.append(f"le={high}")
        return self.numeric("Integer", constraints, schema, site, Kind.INTEGER)

    def type_number(self, schema: dict[str, Any], site: Site) -> Py:
        self.use("Number")
        constraints = [
            f"{_NUMBER_BOUNDS[keyword]}={json_literal(bound)}"
            for keyword, bound in self.finite_bounds(schema, site, _NUMBER_BOUNDS)
        ]
        return self.numeric("Number", constraints, schema, site, Kind.NUMBER)

    def numeric(
        self, base: str, constraints: list[str], schema: dict[str, Any], site: Site, kind: str
    ) -> Py:
        metadata = [_call("Field", constraints)] if constraints else []
        step = schema.get("multipleOf")
        if step is not None:
            if not is_finite_number(step) or step <= 0:
                self.warn(site, "multipleOf", f"{step!r} is not a positive number; ignored")
            else:
                metadata.append(f"AfterValidator({self.use('_multiple_of')}({json_literal(step)}))")
        expr = f"Annotated[{base}, {', '.join(metadata)}]" if metadata else base
        return Py(expr, frozenset({kind}))

    def type_string(self, schema: dict[str, Any], site: Site) -> Py:
        constraints = []
        for keyword, name in (("minLength", "min_length"), ("maxLength", "max_length")):
            limit = self.count(schema, site, keyword)
            if limit is None:
                continue
            if keyword == "minLength" and limit == 0:
                continue
            constraints.append(f"{name}={limit}")
        metadata = [_call("Field", constraints)] if constraints else []
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as exc:
                self.warn(site, "pattern", f"Python's re cannot compile it ({exc}); not checked")
            else:
                helper = self.use("_pattern")
                metadata.append(f"AfterValidator({helper}({string_literal(pattern)}))")
        # The platform's File fields travel as URL (or data URI) strings.
        base = self.use("FileUrl") if schema.get("format") == "file" else "StrictStr"
        expr = f"Annotated[{base}, {', '.join(metadata)}]" if metadata else base
        return Py(expr, frozenset({Kind.STRING}))

    def type_array(self, schema: dict[str, Any], site: Site) -> Py:
        items = schema.get("items", True)
        prefix = schema.get("prefixItems", [])
        if isinstance(items, list):
            self.warn(site, "items", "the array form of items is not 2020-12; ignored")
            items = True
        if not isinstance(prefix, list):
            prefix = []
        constraints = []
        for keyword, name in (("minItems", "min_length"), ("maxItems", "max_length")):
            limit = self.count(schema, site, keyword)
            if limit is not None:
                if keyword != "minItems" or limit:
                    constraints.append(f"{name}={limit}")
        checks: list[str] = []
        hint = site.hint + "Item"
        if prefix:
            self.use("_Lazy")
            lazies = [
                _lazy(self.translate(s, site.at("prefixItems", i, hint=f"{hint}{i}")))
                for i, s in enumerate(prefix)
            ]
            if items is False:
                rest = "False"
            else:
                translated = self.translate(items, site.at("items", hint=hint))
                rest = "True" if translated is ANY else _lazy(translated)
            checks.append(_call(self.use("_items"), [f"[{', '.join(lazies)}]", rest]))
            element = "Any"
        elif items is False:
            constraints = ["max_length=0"]
            element = "Any"
        else:
            element = self.translate(items, site.at("items", hint=hint)).annotation()
        expr = f"list[{element}]"
        if constraints:
            expr = f"Annotated[{expr}, {_call('Field', constraints)}]"
        if schema.get("uniqueItems") is True:
            checks.append(self.use("_unique"))
        if "contains" in schema:
            inner = self.translate(schema["contains"], site.at("contains", hint=hint))
            low = self.min_contains(schema, site)
            high = self.count(schema, site, "maxContains")
            self.use("_Lazy")
            args = [_lazy(inner), json_literal(low), json_literal(high)]
            checks.append(_call(self.use("_contains"), args))
        return Py(expr, frozenset({Kind.ARRAY}), checks=tuple(checks))

    def type_object(self, schema: dict[str, Any], site: Site) -> Py:
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            properties = {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        additional = schema.get("additionalProperties", True)
        if not properties and not required and additional is not False:
            return self.dict_schema(schema, site)
        return Py(self.model_class(schema, site), frozenset({Kind.OBJECT}))

    def dict_schema(self, schema: dict[str, Any], site: Site) -> Py:
        """An object without named properties: ``dict[str, T]``."""
        additional = schema.get("additionalProperties", True)
        patterns = schema.get("patternProperties")
        rules = self.object_rules(schema, site, known=[])
        value = "Any"
        if not patterns:  # else the rules check pattern keys and additionalProperties
            hint = site.hint + "Value"
            value = self.translate(
                additional, site.at("additionalProperties", hint=hint)
            ).annotation()
        checks = (rules,) if rules else ()
        return Py(f"dict[str, {value}]", frozenset({Kind.OBJECT}), checks=checks)

    def object_rules(self, schema: dict[str, Any], site: Site, known: list[str]) -> str | None:
        """A ``_object_rules(...)`` check for the object keywords pydantic has no field for."""
        args: list[str] = []
        for keyword, name in (
            ("minProperties", "min_properties"),
            ("maxProperties", "max_properties"),
        ):
            limit = self.count(schema, site, keyword)
            if limit is not None:
                args.append(f"{name}={limit}")
        if "propertyNames" in schema:
            names = self.translate(schema["propertyNames"], site.at("propertyNames", hint="Key"))
            self.use("_Lazy")
            args.append(f"property_names={_lazy(names)}")
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict) and patterns:
            self.use("_Lazy")
            entries = []
            for pattern, sub in patterns.items():
                try:
                    re.compile(pattern)
                except re.error as exc:
                    self.warn(site, "patternProperties", f"{pattern!r}: {exc}; not checked")
                    continue
                translated = self.translate(
                    sub, site.at("patternProperties", pattern, hint=site.hint + "Value")
                )
                entries.append(f"{string_literal(pattern)}: {_lazy(translated)}")
            args.append("pattern_properties={" + ", ".join(entries) + "}")
            additional = schema.get("additionalProperties", True)
            if additional is False:
                args.append("additional=False")
            elif additional is not True:
                translated = self.translate(additional, site.at("additionalProperties"))
                if translated is not ANY:
                    args.append(f"additional={_lazy(translated)}")
            args.append("known=" + json_literal(known))
        dependent = self.dependent_required(schema, site)
        if dependent:
            args.append(f"dependent_required={json_literal(dependent)}")
        if not args:
            return None
        return _call(self.use("_object_rules"), args)

    def model_class(self, schema: dict[str, Any], site: Site, name: str | None = None) -> str:
        """Make the model class of an object schema; returns its name."""
        if name is None:
            name = self.names.allocate(pascal_case(site.hint or "Object", "Object"))
        model = ModelClass(name)
        self.fill_model(model, schema, site)
        self.blocks.append(model)
        return name

    def fill_model(self, model: ModelClass, schema: dict[str, Any], site: Site) -> None:
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            properties = {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        names = list(properties) + [r for r in dict.fromkeys(required) if r not in properties]
        field_names = NameAllocator(RESERVED_FIELD_NAMES | self.helpers, parent=self.names)
        for wire in names:
            sub = properties.get(wire, True)
            hint = model.name + pascal_case(wire, "Field")
            at = site.at("properties", wire, hint=hint)
            translated = self.translate(sub, at)
            ident = field_names.allocate(snake_name(wire))
            model.fields.append(
                self.model_field(ident, wire, sub, translated, wire in required, at)
            )
        additional = schema.get("additionalProperties", True)
        patterns = schema.get("patternProperties")
        if additional is False and not patterns:
            model.config = 'ConfigDict(extra="forbid")'
        elif additional not in (True, False) and not patterns:
            extra = self.translate(additional, site.at("additionalProperties"))
            if extra is not ANY:
                model.extra = extra.annotation()
        rules = self.object_rules(schema, site, names)
        if rules:
            model.checks.append(rules)
        model.doc = self.doc(schema, "    ")

    def model_field(
        self, ident: str, wire: str, schema: JsonSchema, py: Py, required: bool, site: Site
    ) -> ModelField:
        args: list[str] = []
        annotation = py.annotation()
        default: str | None = None
        plain_default: str | None = None
        if not required:
            given, value = self.written_default(schema, site)
            # A null default the type rejects (``seed: int = None``) reads as absent:
            # the field is None until set, and an explicit null stays invalid.
            if given and (value is not None or py.nullable):
                literal = json_literal(value)
                if py.accepts_plain_default(value):
                    plain_default = literal
                elif isinstance(value, (list, dict)):
                    if not py.accepts_factory_default(value):
                        literal = f"{self.use('_unchecked')}({literal})"
                    args.append(f"default_factory=lambda: {literal}")
                else:
                    # Defaults are the schema's, not checked against it (nor by the platform).
                    args.append(f"default={self.use('_unchecked')}({literal})")
            else:
                if not py.nullable:
                    # Absent reads as None; an explicit null stays invalid.
                    helper = self.use("_not_null")
                    annotation = f"Annotated[{annotation} | None, BeforeValidator({helper})]"
                plain_default = "None"
        if ident != wire:
            args.append(f"alias={string_literal(wire)}")
        if args:
            if plain_default is not None:
                args.insert(0, f"default={plain_default}")
            default = _call("Field", args)
        else:
            default = plain_default
        doc = self.doc(schema, "    ") if isinstance(schema, dict) else ""
        return ModelField(ident, annotation, default, doc, wire, required)

    def all_of_schema(self, branches: Any, site: Site) -> Py:
        if not isinstance(branches, list):
            return ANY
        parts = [
            self.translate(b, site.at(i, hint=f"{site.hint}Part{i}"))
            for i, b in enumerate(branches)
        ]
        return self.intersect(parts)

    def any_of_schema(self, branches: Any, site: Site) -> Py:
        if not isinstance(branches, list):
            return ANY
        return self.union(
            [
                self.translate(b, site.at(i, hint=f"{site.hint}Option{i}"))
                for i, b in enumerate(branches)
            ]
        )

    def one_of_schema(self, schema: dict[str, Any], site: Site) -> Py:
        branches = schema["oneOf"]
        if not isinstance(branches, list):
            return ANY
        options = [
            self.translate(b, site.at("oneOf", i, hint=f"{site.hint}Option{i}"))
            for i, b in enumerate(branches)
        ]
        if not options:
            self.use("_never")
            return NEVER
        if len(options) == 1:
            return options[0]
        if self.disjoint(branches, site):
            return self.union(options)
        # Exactly one branch: count the matches on the raw input.
        self.use("_Lazy")
        union = self.union(options)
        check = _call(self.use("_one_of"), [_lazy(o) for o in options])
        if union is ANY:
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        return self.with_check(union, check)

    def resolve(self, schema: Any, document: Document) -> Any:
        """``schema`` with a bare local ``$ref`` followed."""
        return follow_local_refs(schema, document.local_defs)

    def disjoint(self, branches: list[Any], site: Site) -> bool:
        """Whether no JSON value can match two ``oneOf`` branches: by their types, or by a
        required property whose string values differ (a discriminated union)."""
        targets = [self.resolve(b, site.document) for b in branches]
        if self.discriminated(targets, site.document):
            return True
        seen: set[str] = set()
        for target in targets:
            if not isinstance(target, dict) or set(target) & {"anyOf", "oneOf", "allOf", "$ref"}:
                return False
            declared = target.get("type")
            if "const" in target or "enum" in target:
                values = [target["const"]] if "const" in target else target["enum"]
                types = {json_type(v) for v in values}
            elif declared is None:
                return False
            else:
                types = {declared} if isinstance(declared, str) else set(declared)
            if types & {"number", "integer"}:
                types |= {"number", "integer"}
            if seen & types:
                return False
            seen |= types
        return True

    def discriminated(self, targets: list[Any], document: Document) -> bool:
        for key in self.candidate_keys(targets):
            seen: set[str] = set()
            for target in targets:
                prop = self.resolve(target.get("properties", {}).get(key), document)
                values = prop.get("enum") if isinstance(prop, dict) else None
                if isinstance(prop, dict) and "const" in prop:
                    values = [prop["const"]]
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    break
                if seen & set(values):
                    break
                seen |= set(values)
            else:
                return True
        return False

    def candidate_keys(self, targets: list[Any]) -> list[str]:
        if not targets or not all(
            isinstance(t, dict)
            and t.get("type") == "object"
            and isinstance(t.get("required"), list)
            for t in targets
        ):
            return []
        common = set(targets[0]["required"])
        for target in targets[1:]:
            common &= set(target["required"])
        return sorted(k for k in common if isinstance(k, str))

    def not_schema(self, base: Py, sub: Any, site: Site) -> Py:
        inner = self.translate(sub, replace(site, hint=site.hint + "Not"))
        self.use("_Lazy")
        check = _call(self.use("_not"), [_lazy(inner)])
        if base is ANY:
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        return self.with_check(base, check)

    def if_schema(self, base: Py, schema: dict[str, Any], site: Site) -> Py:
        self.use("_Lazy")
        parts = [
            _lazy(self.translate(schema.get(k, True), site.at(k, hint=site.hint + k.title())))
            for k in ("if", "then", "else")
        ]
        check = _call(self.use("_if_then_else"), parts)
        if base is ANY:
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        return self.with_check(base, check)

    # -- documentation --------------------------------------------------------------

    def doc(self, schema: JsonSchema, indent: str) -> str:
        """The docstring of a class or field: its description (``""`` when none)."""
        if not isinstance(schema, dict):
            return ""
        description = schema.get("description")
        if isinstance(description, str) and description.strip():
            return docstring(description, indent)
        return ""


# -- module assembly --------------------------------------------------------------------


def _is_model_schema(schema: JsonSchema) -> bool:
    """Whether a schema becomes a model class of its own (an object with named keys)."""
    if not _is_object_schema(schema):
        return False
    properties = schema.get("properties")
    return (
        bool(properties)
        or bool(schema.get("required"))
        or (schema.get("additionalProperties") is False)
    )


def _is_object_schema(schema: JsonSchema) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type") == "object"
        and "enum" not in schema
        and "const" not in schema
    )


@dataclass
class Root:
    """A function's input or output (or the setup config) as the client sees it."""

    label: str
    document: Document
    is_model: bool  # a class (else a type alias, validated through a TypeAdapter)
    fields: list[ModelField] = field(default_factory=list)


@dataclass
class ModelModule:
    """The models part of the generated module."""

    blocks: list[Block]
    roots: dict[tuple[str | None, str], Root]  # (function or None for setup, io) -> root
    helpers: set[str]
    warnings: list[EmitWarning]
    names: NameAllocator


class _DefinitionNames:
    """The module's names, for ``merge_definitions``: a definition is named as a class
    (``pascal_case``) by Python's rules (a ``Namer``)."""

    def __init__(self, names: NameAllocator) -> None:
        self._names = names

    def allocate(self, wanted: str, *alternatives: str) -> str:
        return self._names.allocate(
            pascal_case(wanted, "Model"), *(pascal_case(a, "Model") for a in alternatives)
        )


def translate_manifest(manifest: Manifest, reserved: Iterable[str]) -> ModelModule:
    """Every model, alias and root type of ``manifest``'s setup and functions."""
    names = NameAllocator(taken=[*reserved, *RUNTIME_NAMES])
    documents: list[tuple[str | None, Literal["input", "output"], Document]] = []
    if manifest.setup is not None:
        documents.append(
            (
                None,
                "input",
                Document(names.allocate("AppSetup"), manifest.setup, "App", None, "input"),
            )
        )
    for fn in manifest.sorted_functions():
        pascal = pascal_case(fn.name, "Function")
        io: Literal["input", "output"]
        for io, schema in (("input", fn.input_schema), ("output", fn.output_schema)):
            label = names.allocate(f"{pascal}{io.title()}")
            documents.append((fn.name, io, Document(label, schema, pascal, fn.name, io)))
    for _, _, document in documents:
        document.local_defs.update(local_defs(document.schema))
    definitions = merge_definitions([d for _, _, d in documents], _DefinitionNames(names))
    translator = PyTranslator(names)
    translator.definitions = definitions
    blocks: list[Block] = []
    for definition in emit_order(definitions):
        site = Site(definition.document, f"/$defs/{definition.name}", definition.binding)
        blocks.extend(
            _named(translator, definition.binding, definition.schema, site, definition.recursive)
        )
    roots: dict[tuple[str | None, str], Root] = {}
    for function, io, document in documents:
        site = Site(document, "", document.label)
        made = _named(translator, document.label, document.schema, site, False, root=True)
        blocks.extend(made)
        own = made[-1]
        is_model = isinstance(own, ModelClass) or _aliases_model(own, definitions)
        fields = _root_fields(own, blocks, definitions)
        roots[function, io] = Root(document.label, document, is_model, fields)
    for block in blocks:
        if isinstance(block, ModelClass) and block.root is None:
            block.rebuild = block.rebuild or bool(
                definitions.get(block.name, None) and definitions[block.name].recursive
            )
    return ModelModule(blocks, roots, translator.helpers, translator.warnings, names)


def _aliases_model(block: Block, definitions: Mapping[str, Definition]) -> bool:
    return (
        isinstance(block, TypeAlias)
        and block.expr in definitions
        and _is_model_schema(definitions[block.expr].schema)
    )


def _root_fields(
    own: Block, blocks: list[Block], definitions: Mapping[str, Definition]
) -> list[ModelField]:
    target = own.expr if isinstance(own, TypeAlias) else own.name
    for block in blocks:
        if isinstance(block, ModelClass) and block.name == target and block.root is None:
            return block.fields
    return []


def _named(
    translator: PyTranslator,
    name: str,
    schema: JsonSchema,
    site: Site,
    recursive: bool,
    root: bool = False,
) -> list[Block]:
    """The block(s) naming ``schema`` ``name``: a class, or an alias (after the inline
    classes its translation made). A function's input or output (``root``) that is an
    object is always a class, even without properties: its fields are keywords."""
    start = len(translator.blocks)
    plain_object = root and _is_object_schema(schema)
    if (_is_model_schema(schema) or plain_object) and not any(
        k in schema for k in ("$ref", "allOf", "anyOf", "oneOf", "not", "if")
    ):
        translator.model_class(schema, site, name)
        made = translator.blocks[start:]
        del translator.blocks[start:]
        own = made.pop()
        assert isinstance(own, ModelClass)
        own.rebuild = recursive
        return [*made, own]
    result = translator.translate(schema, site)
    made = translator.blocks[start:]
    del translator.blocks[start:]
    doc = translator.doc(schema, "")
    if recursive:
        # A recursive type that is not a plain object model: a RootModel class.
        model = ModelClass(name, doc=translator.doc(schema, "    "), root=result.annotation())
        model.rebuild = True
        return [*made, model]
    return [*made, TypeAlias(name, result.annotation(), doc)]
