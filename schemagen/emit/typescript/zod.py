"""The zod back end: ``schemas.ts``, zod schemas accepting exactly what the JSON Schemas accept.

The module imports ``z`` from "zod" and uses only the API zod 3 (>= 3.23) and
zod 4 share, so one file type-checks and validates the same under both.

Layout: every ``$defs`` entry once, as an exported named schema (shared between
functions when identical, renamed when two schemas use one name for different
things; recursive ones through ``z.lazy`` with a declared type); per function
``{Pascal}Input`` / ``{Pascal}Output`` with their types; ``AppSetup``; and the
``functions`` / ``setup`` registry.

Translation: ``ZodTranslator.translate`` dispatches each keyword family to one
method (``type_*`` per JSON type, ``enum_schema``, ``ref_schema``,
``all_of_schema``, ``any_of_schema``, ``one_of_schema``, ``not_schema``, …).
It is exact where zod has no exact native check:

- ``integer`` is ``.int()`` only when the bounds keep values within 2^53 (zod 4's
  ``.int()`` rejects larger whole numbers; JSON Schema does not), else a refine;
- ``minLength``/``maxLength`` count code points (zod counts UTF-16 units);
- ``multipleOf`` is computed as Python's ``jsonschema`` does (zod's own check
  misjudges values like ``1e-7``);
- checks that must see the input as given (``uniqueItems``, ``contains``,
  ``oneOf``, ``not``, ``if``) are a ``.refine`` only on a plain schema whose
  parse returns its input unchanged, else intersected with a ``z.custom`` check,
  because zod hands refinements its *output*, whose objects lost their unknown
  keys, filled defaults or dropped an own ``__proto__``; the sub-schemas they
  test are built once, at load, not at every check;
- objects with keys every JS object inherits (``constructor``, ``__proto__``…)
  or with ``patternProperties``/``propertyNames``/``min``/``maxProperties``/
  ``dependentRequired`` use the ``jsonObject`` helper, which checks own keys only
  and returns the input unchanged (so a ``__proto__`` property survives);
- ``enum``/``const`` members are filtered by the rest of the schema at emit time;
- ``default`` becomes ``.default()`` only on an optional property whose default
  is valid (zod 3 validates defaults, zod 4 does not);
- ``format``, ``contentMediaType`` and the other annotations never reject
  anything: they become JSDoc tags.

A keyword with no exact translation (``unevaluatedProperties``, a non-local
``$ref``, a pattern ECMAScript cannot compile, …) is dropped, which can only make
the zod schema accept *more*, and reported as an ``EmitWarning`` naming the
schema path. ``emit_zod_module`` returns them; the registered target re-issues
them through Python's ``warnings`` module (category ``EmitWarning``) for the CLI.

Known differences that remain (tested in tests/emit/typescript/test_zod.py):
zod 4 skips an own ``__proto__`` key of ``.catchall()`` objects (its
prototype-pollution guard), so such a key is neither validated nor returned (a
free-form object, ``.passthrough()``, accepts it under both zods and returns the
rest without it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from schemagen.emit.core.definitions import Document, emit_order, merge_definitions
from schemagen.emit.core.patterns import RegexError
from schemagen.emit.core.target import EmitContext, EmitWarning, TargetOutput
from schemagen.emit.core.translator import SchemaTranslator
from schemagen.emit.typescript.naming import (
    PROTOTYPE_KEYS,
    NameAllocator,
    is_identifier_name,
    jsdoc,
    json_literal,
    line_comment,
    number_literal,
    pascal_case,
    property_key,
    regex_literal,
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
from schemagen.templates import environment

MAX_SAFE_INTEGER = 2**53 - 1
# Numeric bounds and the zod method that checks each.
_BOUND_METHODS = {
    "minimum": "min",
    "exclusiveMinimum": "gt",
    "maximum": "max",
    "exclusiveMaximum": "lt",
}
HELPERS = (
    "wholeNumber",
    "anyObject",
    "codePoints",
    "jsonEqual",
    "isUnique",
    "oneOf",
    "fails",
    "ifThenElse",
    "contains",
    "onlyKeys",
    "jsonObject",
)
# Helpers each helper needs, so that using one writes its dependencies too.
HELPER_NEEDS = {"isUnique": ("jsonEqual",)}
LINE_WIDTH = 100


@dataclass(frozen=True)
class ZodModule:
    """The generated ``schemas.ts`` text and the warnings its translation raised."""

    text: str
    warnings: tuple[EmitWarning, ...]


@dataclass(frozen=True)
class Zod:
    """A translated schema: a zod expression and the TS type of the JSON it accepts."""

    code: str
    ts: str
    # "object": a plain z.object (usable in z.discriminatedUnion); "string"/"number"/
    # "array": a zod type whose native checks can still be chained; else "other".
    kind: Literal["object", "string", "number", "array", "other"] = "other"
    # The parse result may differ from the input (unknown keys stripped, defaults filled).
    changes: bool = False
    # The schema accepts `undefined` (so a required object key would pass when missing).
    accepts_undefined: bool = False
    # A literal-like schema for a discriminator: the string values it accepts.
    literals: tuple[str, ...] | None = None
    # A z.strictObject (additionalProperties: false): the keys it allows.
    closed_keys: tuple[str, ...] | None = None


ANY = Zod("z.unknown()", "unknown", accepts_undefined=True)
NEVER = Zod("z.never()", "never")


@dataclass(frozen=True)
class Site:
    """Where a schema sits: its document and JSON pointer, for refs and warnings."""

    document: Document
    pointer: str = ""
    in_all_of: bool = False

    def at(self, *tokens: str | int) -> Site:
        return Site(self.document, join(self.pointer, *tokens), self.in_all_of)


def _indent(code: str, prefix: str = "  ") -> str:
    """Indent every line of ``code`` but the first (it continues the current line)."""
    return code.replace("\n", "\n" + prefix)


def _list(open_: str, items: list[str], close: str, width: int = LINE_WIDTH) -> str:
    """``open_ a, b close`` on one line when short, else one item per line."""
    one_line = open_ + ", ".join(items) + close
    if len(one_line) <= width and "\n" not in one_line:
        return one_line
    body = "".join(f"  {_indent(item)},\n" for item in items)
    return f"{open_}\n{body}{close}"


def _union_ts(types: Iterable[str]) -> str:
    seen: list[str] = []
    for t in types:
        t = f"({t})" if "=>" in t else t
        if t not in seen:
            seen.append(t)
    if "unknown" in seen:
        return "unknown"
    return " | ".join(seen) if seen else "never"


def _chain(code: str, calls: list[str]) -> str:
    """``code`` with method ``calls`` appended, one per line when they would be long."""
    if len(code) + sum(map(len, calls)) <= 60:
        return code + "".join(calls)
    return code + "".join(f"\n  {call}" for call in calls)


def _refine(check: str, message: str) -> str:
    return f".refine({check}, {string_literal(message)})"


class ZodTranslator(SchemaTranslator[Zod, Site]):
    """JSON Schema -> zod, one method per keyword family, dispatched from ``translate``."""

    TARGET_NAME = "the zod target"
    HELPER_NEEDS = HELPER_NEEDS

    def any_type(self) -> Zod:
        return ANY

    def never_type(self) -> Zod:
        return NEVER

    def intersect(self, parts: list[Zod]) -> Zod:
        parts = [p for p in parts if p is not ANY]
        if not parts:
            return ANY
        result = parts[0]
        for part in parts[1:]:
            result = Zod(
                f"{result.code}.and({part.code})",
                f"({result.ts}) & ({part.ts})",
                changes=result.changes or part.changes,
                accepts_undefined=result.accepts_undefined and part.accepts_undefined,
            )
        if len(parts) > 1:
            # zod 4 keeps a strict object's unknown-key error in an intersection only when
            # every side reports the key; allOf refuses a key any closed part refuses.
            for part in parts:
                if part.closed_keys is not None:
                    keys = json_literal(list(part.closed_keys))
                    check = f"{self.use('onlyKeys')}({keys})"
                    result = self.raw_check(result, check, "Unrecognized key")
        return result

    def raw_check(self, base: Zod, check: str, message: str) -> Zod:
        """``base`` plus a check of the input as given (zod refinements see the output):
        a ``.refine`` on ``z.unknown()`` or on a plain string, number, array or object
        schema whose parse returns its input unchanged, else an intersection with a
        ``z.custom`` check, which sees the input."""
        if not base.changes and (base.kind != "other" or base.code == ANY.code):
            chained = f"{base.code}.refine({check}, {string_literal(message)})"
            return replace(base, code=chained, kind="other", literals=None)
        code = f"{base.code}.and(z.custom({check}, {string_literal(message)}))"
        return replace(base, code=code, kind="other", literals=None)

    # -- keyword families -----------------------------------------------------------

    def enum_schema(self, schema: dict[str, Any], site: Site) -> Zod:
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
            return NEVER
        if all(isinstance(m, str) for m in unique):
            if len(unique) == 1:
                code = f"z.literal({string_literal(unique[0])})"
            else:
                code = _list("z.enum([", [string_literal(m) for m in unique], "])")
            ts = " | ".join(string_literal(m) for m in unique)
            return Zod(code, ts, literals=tuple(unique))
        options: list[Zod] = []
        for member in unique:
            if member is None:
                options.append(Zod("z.null()", "null"))
            elif isinstance(member, (str, bool)) or is_number(member):
                options.append(Zod(f"z.literal({json_literal(member)})", json_literal(member)))
            else:
                check = f"(value) => {self.use('jsonEqual')}(value, {json_literal(member)})"
                ts = "unknown[]" if isinstance(member, list) else "Record<string, unknown>"
                options.append(Zod(f"z.custom<{ts}>({check})", ts))
        return self.union(options)

    def union(self, options: list[Zod]) -> Zod:
        if not options:
            return NEVER
        if len(options) == 1:
            return options[0]
        non_null = [o for o in options if o.code != "z.null()"]
        if len(non_null) == 1 and len(options) == 2:
            return self.nullable(non_null[0])
        return Zod(
            _list("z.union([", [o.code for o in options], "])"),
            _union_ts(o.ts for o in options),
            changes=any(o.changes for o in options),
            accepts_undefined=any(o.accepts_undefined for o in options),
        )

    def nullable(self, inner: Zod) -> Zod:
        return Zod(
            f"{inner.code}.nullable()",
            _union_ts([inner.ts, "null"]),
            changes=inner.changes,
            accepts_undefined=inner.accepts_undefined,
        )

    def ref_schema(self, ref: Any, site: Site) -> Zod:
        name = local_ref_name(ref) if isinstance(ref, str) else None
        binding = site.document.bindings.get(name) if name is not None else None
        if binding is None:
            self.warn(site, "$ref", f"{ref!r} is not a local $defs reference; accepting anything")
            return ANY
        definition = self.definitions[binding]
        if definition.recursive or definition.result is None:
            return Zod(binding, binding, changes=True)
        done: Zod = definition.result
        return replace(done, code=binding, ts=f"z.input<typeof {binding}>")

    def typed_schema(self, schema: dict[str, Any], site: Site) -> Zod | None:
        """``type`` and the keywords of each JSON type; None when nothing constrains."""
        types = self.declared_types(schema, site)
        if types is None:
            return None
        options: list[Zod] = []
        for type_name in types:
            method: Callable[[dict[str, Any], Site], Zod] = getattr(self, f"type_{type_name}")
            options.append(method(schema, site))
        nulls = [o for o in options if o.code == "z.null()"]
        others = [o for o in options if o.code != "z.null()"]
        if nulls and others:
            inner = others[0] if len(others) == 1 else self.union(others)
            return self.nullable(inner)
        return self.union(options)

    def type_null(self, schema: dict[str, Any], site: Site) -> Zod:
        return Zod("z.null()", "null")

    def type_boolean(self, schema: dict[str, Any], site: Site) -> Zod:
        return Zod("z.boolean()", "boolean")

    def type_integer(self, schema: dict[str, Any], site: Site) -> Zod:
        return self.type_number(schema, site, integer=True)

    def type_number(self, schema: dict[str, Any], site: Site, integer: bool = False) -> Zod:
        code = "z.number()"
        low: float | None = None
        high: float | None = None
        for keyword, bound in self.finite_bounds(schema, site, _BOUND_METHODS):
            method = _BOUND_METHODS[keyword]
            code += f".{method}({number_literal(bound)})"
            if method in ("min", "gt"):
                low = bound if low is None else max(low, bound)
            else:
                high = bound if high is None else min(high, bound)
        refines: list[str] = []
        safe = (
            low is not None
            and high is not None
            and low >= -MAX_SAFE_INTEGER
            and high <= MAX_SAFE_INTEGER
        )
        if integer and safe:
            code += ".int()"
        elif integer:
            # zod 4's .int() also rejects whole numbers beyond 2^53, JSON Schema does not.
            refines.append(_refine("Number.isInteger", "Expected integer"))
        step = schema.get("multipleOf")
        if step is not None:
            if not is_finite_number(step) or step <= 0:
                self.warn(site, "multipleOf", f"{step!r} is not a positive number; ignored")
            elif isinstance(step, int) and integer and safe:
                code += f".multipleOf({step})"
            else:
                # As Python's jsonschema computes it: a float step by division, and where
                # the quotient overflows, exactly (JS % is exact, as Fraction is there).
                literal = number_literal(step)
                check = (
                    f"(n) => n % {literal} === 0"
                    if isinstance(step, int)
                    else f"(n) => Number.isFinite(n / {literal}) ? "
                    f"Number.isInteger(n / {literal}) : n % {literal} === 0"
                )
                refines.append(_refine(check, f"Must be a multiple of {literal}"))
        if code == "z.number()" and integer and not safe:
            # One shared schema for the most common integer: building it once per
            # field was about a quarter of a module's load time.
            code = self.use("wholeNumber")
            refines.pop(0)
        code = _chain(code, refines)
        return Zod(code, "number", kind="other" if integer and not safe or refines else "number")

    def type_string(self, schema: dict[str, Any], site: Site) -> Zod:
        code = "z.string()"
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                code += f".regex({regex_literal(pattern)})"
            except RegexError as exc:
                self.warn(site, "pattern", f"{exc}; not checked (accepts more)")
        refines = []
        # JSON Schema counts code points; `.length` and zod's .min()/.max() count UTF-16 units.
        for keyword, words in (("minLength", "at least"), ("maxLength", "at most")):
            limit = self.count(schema, site, keyword)
            if limit is None:
                continue
            if keyword == "minLength" and limit == 0:
                continue
            if keyword == "minLength" and limit == 1:
                code += ".min(1)"  # non-empty: as many UTF-16 units as code points
                continue
            unit = "character" if limit == 1 else "characters"
            # A code point is one or two UTF-16 units: `.length` alone decides most strings.
            count = self.use("codePoints")
            check = (
                f"(s) => s.length >= {2 * limit} || {count}(s) >= {limit}"
                if keyword == "minLength"
                else f"(s) => s.length <= {limit} || {count}(s) <= {limit}"
            )
            refines.append(_refine(check, f"Must be {words} {limit} {unit}"))
        code = _chain(code, refines)
        return Zod(code, "string", kind="other" if refines else "string")

    def type_array(self, schema: dict[str, Any], site: Site) -> Zod:
        items = schema.get("items", True)
        prefix = schema.get("prefixItems", [])
        if isinstance(items, list):
            self.warn(site, "items", "the array form of items is not 2020-12; ignored")
            items = True
        if not isinstance(prefix, list):
            prefix = []
        min_items = self.count(schema, site, "minItems") or 0
        max_items = self.count(schema, site, "maxItems")
        rest = None if items is False else self.translate(items, site.at("items"))
        rest_any = rest is ANY
        if rest is not None and rest_any:
            rest = Zod("z.unknown()", "unknown")
        if not prefix:
            if rest is None:
                result = Zod("z.tuple([])", "[]", kind="other")
            else:
                code = f"z.array({rest.code})"
                if min_items:
                    code += f".min({min_items})"
                if max_items is not None:
                    code += f".max({max_items})"
                result = Zod(code, f"Array<{rest.ts}>", kind="array", changes=rest.changes)
        else:
            result = self.tuples(prefix, rest, min_items, max_items, site)
        if schema.get("uniqueItems") is True:
            result = self.raw_check(result, self.use("isUnique"), "Items must be unique")
        if "contains" in schema:
            result = self.contains_schema(result, schema, site)
        return result

    def tuples(
        self,
        prefix: list[Any],
        rest: Zod | None,
        min_items: int,
        max_items: int | None,
        site: Site,
    ) -> Zod:
        """``prefixItems``: a tuple per allowed length, since JSON Schema does not require
        every prefix item to be present."""
        items = [self.translate(s, site.at("prefixItems", i)) for i, s in enumerate(prefix)]
        n = len(items)
        top = n if max_items is None else min(n, max_items)
        options: list[Zod] = []
        for length in range(min(min_items, n), top + 1):
            part = items[:length]
            code = _list("z.tuple([", [p.code for p in part], "])")
            ts_items = [p.ts for p in part]
            changes = any(p.changes for p in part)
            if length == n and rest is not None and (max_items is None or max_items > n):
                code += f".rest({rest.code})"
                ts_items.append(f"...Array<{rest.ts}>")
                changes = changes or rest.changes
            options.append(Zod(code, "[" + ", ".join(ts_items) + "]", changes=changes))
        result = self.union(options) if options else NEVER
        result = replace(result, kind="other")
        if min_items > n:
            result = self.raw_check(
                result,
                f"(a) => Array.isArray(a) && a.length >= {min_items}",
                f"Must have at least {min_items} items",
            )
        if max_items is not None and max_items > n and rest is not None:
            result = self.raw_check(
                result,
                f"(a) => Array.isArray(a) && a.length <= {max_items}",
                f"Must have at most {max_items} items",
            )
        return result

    def contains_schema(self, base: Zod, schema: dict[str, Any], site: Site) -> Zod:
        inner = self.translate(schema["contains"], site.at("contains"))
        high = self.count(schema, site, "maxContains")
        bounds = [str(self.min_contains(schema, site))] + ([] if high is None else [str(high)])
        check = _list(f"{self.use('contains')}(", [inner.code, *bounds], ")")
        return self.raw_check(base, check, "Must contain matching items (contains)")

    def type_object(self, schema: dict[str, Any], site: Site) -> Zod:
        properties: dict[str, Any] = schema.get("properties", {}) or {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        names = list(properties) + [r for r in required if r not in properties]
        additional = schema.get("additionalProperties", True)
        if _needs_own_object(schema, names):
            return self.own_object(schema, names, required, site)
        shape: list[str] = []
        ts_fields: list[str] = []
        changes = False
        for name in names:
            field_ = self.property(
                properties.get(name, True), name, name in required, site.at("properties", name)
            )
            changes = changes or field_[2]
            shape.append(field_[0])
            ts_fields.append(field_[1])
        extra = (
            None
            if additional in (True, False)
            else self.translate(additional, site.at("additionalProperties"))
        )
        if extra is ANY:
            extra = None
        if not names and additional is not False:
            # Not z.record: it parses every key as a string too, about twice the time.
            # Both return the object without an own "__proto__" key (changes=True).
            if extra is None:
                return Zod(self.use("anyObject"), "Record<string, unknown>", changes=True)
            return Zod(
                f"z.object({{}}).catchall({extra.code})",
                f"Record<string, {extra.ts}>",
                changes=True,
            )
        body = "{\n" + "".join(f"  {_indent(line)}\n" for line in shape) + "}" if shape else "{}"
        ts_body = "{\n" + "".join(f"  {_indent(t)}\n" for t in ts_fields)
        if additional is False:
            code = f"z.strictObject({body})"
        elif extra is not None:
            code = f"z.object({body}).catchall({extra.code})"
            ts_body += "  [key: string]: unknown;\n"
            changes = True  # an own "__proto__" key is left out of the parse result
        else:
            code = f"z.object({body})"
            changes = True  # unknown keys are stripped from the parse result
        return Zod(
            code,
            ts_body + "}",
            kind="object" if extra is None else "other",
            changes=changes,
            closed_keys=tuple(names) if additional is False else None,
        )

    def property(
        self,
        schema: JsonSchema,
        name: str,
        required: bool,
        site: Site,
    ) -> tuple[str, str, bool]:
        """One object key: its shape line (JSDoc + key + schema), TS field, and changes flag."""
        value = self.translate(schema, site)
        code = value.code
        changes = value.changes
        default_applied = False
        if required and value.accepts_undefined:
            code += '.refine((v) => v !== undefined, "Required")'
        elif not required:
            given, default = self.written_default(schema, site)
            if given:  # written as zod parses it (see completed), when that is valid
                filled = self.completed(schema, default, site)
                if self.is_valid(site, schema, filled):
                    default = filled
                else:
                    if self.is_valid(site, schema, default):
                        message = "valid, but not with its keys' defaults filled in (as zod does)"
                        self.warn(site, "default", f"{message}; left out")
                    given = False
            if given and not site.in_all_of:
                code += f".default({json_literal(default)})"
                default_applied = changes = True
            else:
                code += ".optional()"
        line = f"{property_key(name)}: {code}"
        description = schema.get("description") if isinstance(schema, dict) else None
        if isinstance(description, str) and description:
            describe = f".describe({string_literal(description)})"
            too_long = len(line.rsplit("\n", 1)[-1]) + len(describe) > LINE_WIDTH - 4
            line += f"\n  {describe}" if too_long else describe
        doc = jsdoc(self.doc_lines(schema, name, default_applied))
        # zod 3 makes a key optional in its input type when its schema accepts undefined.
        optional = "" if required and not value.accepts_undefined else "?"
        undefined = "" if required else " | undefined"
        ts_key = name if is_identifier_name(name) else string_literal(name)
        ts = f"{ts_key}{optional}: {value.ts}{undefined};"
        return f"{doc}{line},", ts, changes

    def completed(
        self, schema: Any, value: Any, site: Site, filling: frozenset[int] = frozenset()
    ) -> Any:
        """A default as zod's parse of it returns it: unknown keys of a ``z.object``
        left out and the defaults of the keys it leaves out filled in, at every depth.
        zod 3 parses a default; zod 4 returns it as written and types it as a parse
        result, so ``{}`` for an object whose key has a default is a type error there.
        Writing the parse result makes both the same. ``filling`` holds the schemas whose
        default is being filled in above: a recursive default is left as written there."""
        target = self.resolve(schema, site)
        if not isinstance(target, dict) or value is None:
            return value
        # Optional[Model] (anyOf a model and null), a one-branch allOf: the one object.
        for keyword in ("anyOf", "oneOf", "allOf"):
            branches = target.get(keyword)
            if isinstance(branches, list):
                others = [b for b in branches if self.resolve(b, site) != {"type": "null"}]
                if len(others) != 1:
                    return value
                return self.completed(others[0], value, site, filling)
        if isinstance(value, list):
            prefix = target.get("prefixItems", [])
            items = target.get("items")
            prefix = prefix if isinstance(prefix, list) else []
            return [
                self.completed(prefix[i] if i < len(prefix) else items, item, site, filling)
                for i, item in enumerate(value)
            ]
        if not isinstance(value, dict):
            return value
        properties = target.get("properties", {})
        properties = properties if isinstance(properties, dict) else {}
        required = [r for r in target.get("required", []) if isinstance(r, str)]
        names = list(properties) + [r for r in required if r not in properties]
        if _needs_own_object(target, names):
            return value  # jsonObject returns its input unchanged
        additional = target.get("additionalProperties", True)
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key in properties:
                result[key] = self.completed(properties[key], item, site, filling)
            elif isinstance(additional, dict):
                result[key] = self.completed(additional, item, site, filling)
            elif not names or key in names or additional is False:
                result[key] = item  # kept (an unknown key in a closed object stays invalid)
            # else: z.object leaves an unknown key out of its parse result
        for name, sub in properties.items():
            if name in result or name in required or not isinstance(sub, dict):
                continue
            if "default" not in sub or id(sub) in filling:
                continue
            filled = self.completed(sub, sub["default"], site, filling | {id(sub)})
            if is_json(filled) and self.is_valid(site, sub, filled):
                result[name] = filled
        return result

    def own_object(
        self, schema: dict[str, Any], names: list[str], required: list[str], site: Site
    ) -> Zod:
        properties: dict[str, Any] = schema.get("properties", {}) or {}
        rules: list[str] = []
        props: list[str] = []
        ts_fields: list[str] = []
        for name in names:
            value = self.translate(properties.get(name, True), site.at("properties", name))
            is_required = "true" if name in required else "false"
            sub = properties.get(name, {})
            doc = jsdoc(self.doc_lines(sub, name, False)) if isinstance(sub, dict) else ""
            code = value.code
            description = sub.get("description") if isinstance(sub, dict) else None
            if isinstance(description, str) and description:
                code += f".describe({string_literal(description)})"
            props.append(f"{doc}[{string_literal(name)}, {code}, {is_required}],")
            ts_key = name if is_identifier_name(name) else string_literal(name)
            optional = "" if name in required else "?"
            ts_fields.append(f"{ts_key}{optional}: {value.ts};")
        rules.append(
            "properties: [\n" + "".join(f"  {_indent(p)}\n" for p in props) + "],"
            if props
            else "properties: [],"
        )
        patterns = schema.get("patternProperties", {})
        if isinstance(patterns, dict) and patterns:
            pairs = []
            for pattern, sub in patterns.items():
                inner = self.translate(sub, site.at("patternProperties", pattern))
                try:
                    regex = regex_literal(pattern)
                except RegexError as exc:
                    self.warn(site, "patternProperties", f"{exc}; matches no key (accepts more)")
                    regex = "/(?!)/u"
                pairs.append(f"[{regex}, {inner.code}]")
            rules.append(_list("patternProperties: [", pairs, "],"))
        additional = schema.get("additionalProperties", True)
        if additional is False:
            rules.append("additionalProperties: false,")
        elif additional is not True:
            extra = self.translate(additional, site.at("additionalProperties"))
            if extra is not ANY:
                rules.append(f"additionalProperties: {extra.code},")
        if "propertyNames" in schema:
            names_schema = self.translate(schema["propertyNames"], site.at("propertyNames"))
            rules.append(f"propertyNames: {names_schema.code},")
        for keyword in ("minProperties", "maxProperties"):
            limit = self.count(schema, site, keyword)
            if limit is not None:
                rules.append(f"{keyword}: {limit},")
        dependent = self.dependent_required(schema, site)
        if dependent:
            rules.append(f"dependentRequired: {json_literal(dependent)},")
        ts_fields.append("[key: string]: unknown;")
        ts = "{\n" + "".join(f"  {_indent(t)}\n" for t in ts_fields) + "}"
        body = "{\n" + "".join(f"  {_indent(r)}\n" for r in rules) + "}"
        return Zod(f"{self.use('jsonObject')}<{ts}>({body})", ts)

    def all_of_schema(self, branches: Any, site: Site) -> Zod:
        if not isinstance(branches, list):
            return ANY
        inner = replace(site, in_all_of=True)
        return self.intersect([self.translate(b, inner.at(i)) for i, b in enumerate(branches)])

    def any_of_schema(self, branches: Any, site: Site) -> Zod:
        if not isinstance(branches, list):
            return ANY
        options = [self.translate(b, site.at(i)) for i, b in enumerate(branches)]
        if any(o is ANY for o in options):
            return ANY
        return self.union(options)

    def one_of_schema(self, schema: dict[str, Any], site: Site) -> Zod:
        branches = schema["oneOf"]
        if not isinstance(branches, list):
            return ANY
        options = [self.translate(b, site.at("oneOf", i)) for i, b in enumerate(branches)]
        if len(options) == 1:
            return options[0]
        if not options:
            return NEVER
        key = self.discriminator(schema, branches, site)
        if key is not None and all(o.kind == "object" for o in options):
            code = _list(
                f"z.discriminatedUnion({string_literal(key)}, [", [o.code for o in options], "])"
            )
            return Zod(
                code, _union_ts(o.ts for o in options), changes=any(o.changes for o in options)
            )
        if key is not None or self.disjoint(branches, site):
            return self.union(options)
        code = _list(f"{self.use('oneOf')}([", [o.code for o in options], "])")
        return Zod(
            code,
            _union_ts(o.ts for o in options),
            changes=True,
            accepts_undefined=any(o.accepts_undefined for o in options),
        )

    def discriminator(self, schema: dict[str, Any], branches: list[Any], site: Site) -> str | None:
        """The property that tells ``oneOf`` branches apart, when each branch requires it
        with its own string values (then oneOf is exactly a discriminated union)."""
        tag = schema.get("discriminator")
        if not isinstance(tag, dict) or not isinstance(tag.get("propertyName"), str):
            return None
        key: str = tag["propertyName"]
        seen: set[str] = set()
        for branch in branches:
            values = self.branch_values(branch, key, site)
            if values is None or seen & values:
                return None
            seen |= values
        return key

    def branch_values(self, branch: Any, key: str, site: Site) -> set[str] | None:
        target = self.resolve(branch, site)
        if not isinstance(target, dict) or key not in target.get("required", []):
            return None
        prop = target.get("properties", {}).get(key)
        prop = self.resolve(prop, site)
        if not isinstance(prop, dict):
            return None
        values = [prop["const"]] if "const" in prop else prop.get("enum")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
        return set(values)

    def resolve(self, schema: Any, site: Site) -> Any:
        """``schema`` with a bare local ``$ref`` followed."""
        return follow_local_refs(schema, site.document.local_defs)

    def disjoint(self, branches: list[Any], site: Site) -> bool:
        """Whether no JSON value can match two ``oneOf`` branches (judged by their types)."""
        seen: set[str] = set()
        for branch in branches:
            target = self.resolve(branch, site)
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
            if "number" in types:
                types.add("integer")
            if "integer" in types:
                types.add("number")
            if seen & types:
                return False
            seen |= types
        return True

    def not_schema(self, base: Zod, sub: Any, site: Site) -> Zod:
        inner = self.translate(sub, site)
        check = f"{self.use('fails')}({inner.code})"
        return self.raw_check(base, check, "Must not match the schema (not)")

    def if_schema(self, base: Zod, schema: dict[str, Any], site: Site) -> Zod:
        cond = self.translate(schema["if"], site.at("if"))
        then = self.translate(schema.get("then", True), site.at("then"))
        else_ = self.translate(schema.get("else", True), site.at("else"))
        check = _list(f"{self.use('ifThenElse')}(", [cond.code, then.code, else_.code], ")")
        return self.raw_check(base, check, "Must match if/then/else")

    # -- documentation --------------------------------------------------------------

    def doc_lines(self, schema: JsonSchema, name: str | None, default_applied: bool) -> list[str]:
        """JSDoc lines: description, then @title, @deprecated, @default, @format, @example."""
        if not isinstance(schema, dict):
            return []
        lines: list[str] = []
        description = schema.get("description")
        if isinstance(description, str) and description:
            lines.append(description)
        tags: list[str] = []
        title = schema.get("title")
        if isinstance(title, str) and title and not _is_default_title(title, name):
            tags.append(f"@title {title}")
        if schema.get("deprecated") is True:
            tags.append("@deprecated")
        if "default" in schema and not default_applied:
            tags.append(f"@default {_compact_json(schema['default'])}")
        for keyword in ("format", "contentMediaType", "contentEncoding"):
            if isinstance(schema.get(keyword), str):
                tags.append(f"@{keyword} {schema[keyword]}")
        for example in (
            schema.get("examples", []) if isinstance(schema.get("examples"), list) else []
        ):
            tags.append(f"@example {_compact_json(example)}")
        if lines and tags:
            lines.append("")
        return lines + tags


def _needs_own_object(schema: dict[str, Any], names: list[str]) -> bool:
    """Whether an object schema is the ``jsonObject`` helper's, not a ``z.object``."""
    exotic = ("patternProperties", "propertyNames", "minProperties", "maxProperties")
    return any(k in schema for k in (*exotic, "dependentRequired")) or any(
        name in PROTOTYPE_KEYS for name in names
    )


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _is_default_title(title: str, name: str | None) -> bool:
    """pydantic titles every field ``name.replace('_', ' ').title()`` and every model by
    its class name: those repeat the name and are left out of the docs."""
    if name is None:
        return False
    return title in (name, name.replace("_", " ").title())


# -- module assembly ----------------------------------------------------------------


@dataclass(frozen=True)
class NamedSchema:
    doc: str
    name: str
    annotation: str
    expr: str
    type: str


@dataclass(frozen=True)
class RegistryEntry:
    doc: str
    key: str
    input: str
    output: str
    streaming: str
    description: str


def _documents(manifest: Manifest, names: NameAllocator) -> list[Document]:
    documents: list[Document] = []
    if manifest.setup is not None:
        documents.append(Document(names.allocate("AppSetup"), manifest.setup, "App", None, "input"))
    for fn in manifest.sorted_functions():
        pascal = pascal_case(fn.name)
        label = names.allocate(f"{pascal}Input")
        documents.append(Document(label, fn.input_schema, pascal, fn.name, "input"))
        label = names.allocate(f"{pascal}Output")
        documents.append(Document(label, fn.output_schema, pascal, fn.name, "output"))
    for document in documents:
        document.local_defs.update(local_defs(document.schema))
    return documents


def _named(
    translator: ZodTranslator,
    name: str,
    schema: JsonSchema,
    site: Site,
    type_alias: str,
    recursive: bool,
    def_name: str | None = None,
) -> tuple[NamedSchema, Zod]:
    result = translator.translate(schema, site)
    code = result.code
    description = schema.get("description") if isinstance(schema, dict) else None
    if isinstance(description, str) and description:
        code += f".describe({string_literal(description)})"
    doc = jsdoc(translator.doc_lines(schema, def_name or name, False))
    if recursive:
        lazy = NamedSchema(doc, name, f": z.ZodType<{name}>", f"z.lazy(() => {code})", result.ts)
        return lazy, result
    return NamedSchema(doc, name, "", code, type_alias), result


def emit_zod_module(manifest: Manifest, *, source: str | None = None) -> ZodModule:
    """The zod module for ``manifest``: its ``schemas.ts`` text and any warnings."""
    names = NameAllocator(["z", "functions", "setup", *HELPERS, "ObjectRules"])
    documents = _documents(manifest, names)
    definitions = merge_definitions(documents, names)
    translator = ZodTranslator()
    translator.definitions = definitions
    blocks: list[NamedSchema] = []
    for definition in emit_order(definitions):
        site = Site(definition.document, f"/$defs/{definition.name}")
        named, definition.result = _named(
            translator,
            definition.binding,
            definition.schema,
            site,
            f"z.output<typeof {definition.binding}>",
            definition.recursive,
            definition.name,
        )
        blocks.append(named)
    roots = [
        _named(translator, d.label, d.schema, Site(d), f"z.{d.io}<typeof {d.label}>", False)[0]
        for d in documents
    ]
    labels = {(d.function, d.io): d.label for d in documents}
    entries = [
        RegistryEntry(
            doc=jsdoc([fn.description] if fn.description else [], "  "),
            key=property_key(fn.name),
            input=labels[fn.name, "input"],
            output=labels[fn.name, "output"],
            streaming="true" if fn.streaming else "false",
            description=string_literal(fn.description),
        )
        for fn in manifest.sorted_functions()
    ]
    setup = labels.get((None, "input"), "null")
    template = environment().get_template("zod/schemas.ts.j2")
    text = template.render(
        source=line_comment(source or manifest.app.name or "manifest"),
        helper_names=[h for h in HELPERS if h in translator.helpers],
        definitions=blocks,
        roots=roots,
        functions=entries,
        setup=setup,
    )
    return ZodModule(text, tuple(translator.warnings))


def emit(manifest: Manifest, context: EmitContext) -> TargetOutput:
    """The ``zod`` target: ``schemas.ts``, and a warning per untranslatable keyword."""
    module = emit_zod_module(manifest)
    return TargetOutput({"schemas.ts": module.text.encode("utf-8")}, module.warnings)
