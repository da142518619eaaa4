"""JSON Schema -> pydantic v2 types: ``PyTranslator``, one method per keyword family.

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
- ``pattern`` is ``re.search`` (as ``jsonschema`` evaluates it; one ``re`` cannot read,
  ``\\p{Letter}``, goes through pydantic's Rust regex engine), ``multipleOf`` and
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
  read as absent;
- every ``$ref`` and ``$dynamicRef`` is followed through the shared reference layer
  (``RESOLVES_ALL_REFS``): a target that is no ``$defs`` entry becomes a class of its
  own; ``unevaluatedProperties``/``unevaluatedItems`` check what the rest of the
  schema does not evaluate of the raw value (``core.evaluation`` made an
  ``_Evaluated``), ``dependentSchemas`` the objects with its keys.

A keyword with no exact translation (a reference to a remote document, a pattern
neither engine reads, …) is dropped, which can only make the model accept *more*
(where that would reject more, the nearest sound place widens: ``core.translator``),
and reported as an ``EmitWarning`` naming the schema path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from schemagen.emit.core.definitions import UNSUPPORTED, Definition, Document
from schemagen.emit.core.evaluation import Evaluated
from schemagen.emit.python.model_code import (
    ANY,
    NEVER,
    Kind,
    Py,
    Record,
    Site,
    call,
    is_plain_model,
    lazy,
    pattern_error,
    union_members,
)
from schemagen.emit.python.model_objects import PyObjects
from schemagen.emit.python.naming import json_literal, string_literal
from schemagen.schema.pointers import local_ref_name
from schemagen.schema.values import JsonSchema, is_finite_number, is_number, json_type

# Numeric bounds and the pydantic Field argument that checks each.
_NUMBER_BOUNDS = {
    "minimum": "ge",
    "exclusiveMinimum": "gt",
    "maximum": "le",
    "exclusiveMaximum": "lt",
}


def int_bounds(schema: Mapping[str, Any]) -> tuple[int | None, int | None]:
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


class PyTranslator(PyObjects):
    """JSON Schema -> pydantic types, one method per keyword family."""

    TARGET_NAME = "the Python client"
    RESOLVES_ALL_REFS = True
    UNSUPPORTED = UNSUPPORTED - {
        "dependentSchemas",
        "unevaluatedProperties",
        "unevaluatedItems",
        "$dynamicRef",
        "$dynamicAnchor",
    }

    # -- each place translated once ---------------------------------------------------

    def translate(self, schema: JsonSchema, site: Site) -> Py:
        """``SchemaTranslator.translate``, each place of a document translated once (a
        sub-schema read twice, as an ``anyOf`` branch and for what it evaluates, or in
        a trial, is one type, its helpers and warnings replayed)."""
        key = (site.document.label, site.root, site.pointer, site.scope)
        known = self.translated.get(key)
        if known is not None and known[0] is schema:
            self.replay(known[2])
            return known[1]
        record = Record()
        self.records.append(record)
        try:
            result = super().translate(schema, site)
        finally:
            self.records.pop()
        self.translated[key] = (schema, result, record)
        return result

    def use(self, helper: str) -> str:
        for record in self.records:
            record.helpers.add(helper)
        return super().use(helper)

    def warn(self, site: Site, keyword: str, message: str, *, widens: bool = True) -> None:
        super().warn(site, keyword, message, widens=widens)
        for record in self.records:
            record.warnings.append((self.warnings[-1], widens))

    def replay(self, record: Record) -> None:
        """What a reused translation used and said, as if it were translated again
        (a trial translation forgets both)."""
        for helper in record.helpers:
            self.use(helper)
        for warning, widens in record.warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)
            if widens:
                self.widenings += 1
            for active in self.records:
                active.warnings.append((warning, widens))

    # -- in-place applicators on the raw value --------------------------------------

    def dependent_schemas(self, base: Py, schema: dict[str, Any], site: Site) -> Py:
        check = self.dependent_check(schema, site)
        return base if check is None else self.with_check(base, check)

    def unevaluated_schema(self, base: Py, schema: dict[str, Any], site: Site) -> Py:
        check = self.unevaluated_check(schema, site)
        return base if check is None else self.with_check(base, check)

    def applicator_checks(self, schema: dict[str, Any], site: Site) -> list[str]:
        """The checks of ``dependent_schemas`` and ``unevaluated_schema``, for a model
        class made of ``schema`` without ``translate`` (a definition's own class)."""
        site = self.entered(schema, site)
        checks = [self.dependent_check(schema, site), self.unevaluated_check(schema, site)]
        return [check for check in checks if check is not None]

    def dependent_check(self, schema: dict[str, Any], site: Site) -> str | None:
        """``dependentSchemas``, checked on the raw object."""
        dependent = schema.get("dependentSchemas")
        if dependent is None:
            return None
        if not isinstance(dependent, dict):
            self.warn(site, "dependentSchemas", "not a map of names to schemas; ignored")
            return None
        if not dependent:
            return None
        self.use("_Lazy")
        entries = [
            f"{string_literal(name)}: "
            + lazy(self.translate(sub, site.at("dependentSchemas", name)))
            for name, sub in dependent.items()
        ]
        return call(self.use("_dependent_schemas"), ["{" + ", ".join(entries) + "}"])

    def unevaluated_check(self, schema: dict[str, Any], site: Site) -> str | None:
        """``unevaluatedProperties`` / ``unevaluatedItems``, checked on the raw value
        against what the rest of ``schema`` evaluates of it (``core.evaluation``)."""
        args: list[str] = []
        for keyword, name in (
            ("unevaluatedProperties", "properties"),
            ("unevaluatedItems", "items"),
        ):
            if keyword not in schema:
                continue
            rest = self.translate(schema[keyword], site.at(keyword, hint=site.hint + "Rest"))
            if rest is ANY:
                continue
            self.use("_Lazy")
            args.append(f"{name}={'False' if schema[keyword] is False else lazy(rest)}")
        if not args:
            return None
        found = self.evaluated_code(self.evaluated(schema, site))
        return call(self.use("_unevaluated"), [found, *args])

    def evaluated_code(self, found: Evaluated[Site]) -> str:
        args: list[str] = []
        all_keys = found.all_keys or any(pattern_error(p) is not None for p in found.patterns)
        if all_keys:
            args.append("all_keys=True")
        else:
            if found.names:
                args.append(f"names={json_literal(found.names)}")
            if found.patterns:
                args.append(f"patterns={json_literal(found.patterns)}")
        if found.all_items:
            args.append("all_items=True")
        else:
            if found.prefix:
                args.append(f"prefix={found.prefix}")
            if found.contains:
                contains = [lazy(self.translate(s, at)) for s, at in found.contains]
                args.append(f"contains=[{', '.join(contains)}]")
        when_valid = [
            f"({lazy(self.translate(s, at))}, {self.evaluated_code(inner)})"
            for s, at, inner in found.when_valid
        ]
        always: list[str] = []
        conditions: list[str] = []
        for condition, at, chosen, otherwise in found.conditions:
            if self.widens(condition, at):
                # Which branch applies is not known exactly: both evaluate.
                always += [self.evaluated_code(chosen), self.evaluated_code(otherwise)]
            else:
                code = lazy(self.translate(condition, at))
                branches = f"{self.evaluated_code(chosen)}, {self.evaluated_code(otherwise)}"
                conditions.append(f"({code}, {branches})")
        if always:
            args.append(f"always=[{', '.join(always)}]")
        if when_valid:
            args.append(f"when_valid=[{', '.join(when_valid)}]")
        if conditions:
            args.append(f"conditions=[{', '.join(conditions)}]")
        if found.dependent:
            entries = [
                f"({string_literal(name)}, {self.evaluated_code(inner)})"
                for name, inner in found.dependent
            ]
            args.append(f"dependent=[{', '.join(entries)}]")
        self.use("_Lazy")
        return call(self.use("_Evaluated"), args)

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
        checks = [call(self.use("_all_of"), [lazy(p) for p in others])]
        kinds = main.kinds
        for other in others:
            if Kind.ANY not in other.kinds:
                kinds = kinds & other.kinds if Kind.ANY not in kinds else other.kinds
        return replace(main, kinds=kinds, checks=(*main.checks, *checks))

    def with_check(self, base: Py, check: str) -> Py:
        if base is ANY:
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        return replace(base, checks=(*base.checks, check))

    # -- keyword families -----------------------------------------------------------

    def enum_schema(self, unique: list[Any], site: Site) -> Py:
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
            check = call(self.use("_member"), [json_literal(m) for m in unique])
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        values = [m for m in unique if m is not None]
        expr = f"Literal[{', '.join(json_literal(m) for m in values)}]" if values else "None"
        if values and None in unique:
            expr += " | None"
        checks: tuple[str, ...] = ()
        if not all(isinstance(m, str) or m is None for m in unique):
            # 1.0 is the member 1 (and True is not): canonicalise before the Literal check.
            checks = (call(self.use("_member"), [json_literal(m) for m in unique]),)
        return Py(expr, kinds, literals=tuple(unique), checks=checks)

    def ref_schema(self, definition: Definition, site: Site) -> Py:
        binding = definition.binding
        target = self.resolve(definition.schema, definition.document)
        literals = None
        if isinstance(target, dict) and ("enum" in target or "const" in target):
            values = [target["const"]] if "const" in target else target["enum"]
            literals = tuple(values) if isinstance(values, list) else None
        kinds = self.kinds_of(definition.schema, definition.document, set())
        root_model = definition.recursive and not is_plain_model(definition.schema)
        return Py(binding, kinds, literals=literals, root_model=root_model)

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
            for expr in union_members(option.annotation()):
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
        low, high = int_bounds(schema)
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
        metadata = [call("Field", constraints)] if constraints else []
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
        metadata = [call("Field", constraints)] if constraints else []
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            problem = pattern_error(pattern)
            if problem is not None:
                self.warn(site, "pattern", f"{problem}; not checked")
            else:
                helper = self.use("_pattern")
                metadata.append(f"AfterValidator({helper}({string_literal(pattern)}))")
        # The platform's File fields travel as URL (or data URI) strings.
        base = self.use("FileUrl") if schema.get("format") == "file" else "StrictStr"
        expr = f"Annotated[{base}, {', '.join(metadata)}]" if metadata else base
        return Py(expr, frozenset({Kind.STRING}))

    def type_array(self, schema: dict[str, Any], site: Site) -> Py:
        items, prefix = self.array_items(schema, site)
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
                lazy(self.translate(s, site.at("prefixItems", i, hint=f"{hint}{i}")))
                for i, s in enumerate(prefix)
            ]
            if items is False:
                rest = "False"
            else:
                translated = self.translate(items, site.at("items", hint=hint))
                rest = "True" if translated is ANY else lazy(translated)
            checks.append(call(self.use("_items"), [f"[{', '.join(lazies)}]", rest]))
            element = "Any"
        elif items is False:
            constraints = ["max_length=0"]
            element = "Any"
        else:
            element = self.translate(items, site.at("items", hint=hint)).annotation()
        expr = f"list[{element}]"
        if constraints:
            expr = f"Annotated[{expr}, {call('Field', constraints)}]"
        if schema.get("uniqueItems") is True:
            checks.append(self.use("_unique"))
        if "contains" in schema:
            inner = self.translate(schema["contains"], site.at("contains", hint=hint))
            low = self.min_contains(schema, site)
            high = self.max_contains(schema, site)
            self.use("_Lazy")
            args = [lazy(inner), json_literal(low), json_literal(high)]
            checks.append(call(self.use("_contains"), args))
        return Py(expr, frozenset({Kind.ARRAY}), checks=tuple(checks))

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
        check = call(self.use("_one_of"), [lazy(o) for o in options])
        if union is ANY:
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        return self.with_check(union, check)

    def disjoint(self, branches: list[Any], site: Site) -> bool:
        """Whether no JSON value can match two ``oneOf`` branches: by their types, or by a
        required property whose string values differ (a discriminated union)."""
        targets = [self.resolve(b, site.document) for b in branches]
        return self.discriminated(targets, site.document) or self.types_disjoint(
            branches, site.document
        )

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
        check = call(self.use("_not"), [lazy(inner)])
        if base is ANY:
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        return self.with_check(base, check)

    def if_schema(self, base: Py, schema: dict[str, Any], site: Site) -> Py:
        self.use("_Lazy")
        parts = [
            lazy(self.translate(schema.get(k, True), site.at(k, hint=site.hint + k.title())))
            for k in ("if", "then", "else")
        ]
        check = call(self.use("_if_then_else"), parts)
        if base is ANY:
            return Py("Any", frozenset({Kind.ANY}), checks=(check,))
        return self.with_check(base, check)
