"""JSON Schema -> zod: ``ZodTranslator``, one method per keyword family.

``translate`` (``core.translator``) dispatches each keyword family to one method
(``type_*`` per JSON type, ``enum_schema``, ``ref_schema``, ``all_of_schema``,
``any_of_schema``, ``one_of_schema``, ``not_schema``, …; the object keywords are in
``zod_objects``). It is exact where zod has no exact native check:

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
  anything: they become JSDoc tags;
- ``unevaluatedProperties``/``unevaluatedItems`` check the input against an
  ``Evaluates`` plan (what the schema's in-place applicators evaluate,
  ``core.evaluation``: sub-schemas whose verdict decides are zod schemas in it);
  ``dependentSchemas`` is a check on the input too.

A keyword with no exact translation is dropped, which can only make the zod schema
accept *more*, with a warning naming the schema path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from schemagen.emit.core.definitions import UNSUPPORTED, Definition
from schemagen.emit.core.evaluation import Evaluated
from schemagen.emit.core.patterns import RegexError
from schemagen.emit.typescript.naming import (
    json_literal,
    number_literal,
    regex_literal,
    string_literal,
)
from schemagen.emit.typescript.zod_code import (
    ANY,
    NEVER,
    Site,
    Zod,
    chain,
    code_list,
    refine,
    union_ts,
)
from schemagen.emit.typescript.zod_objects import ZodObjects
from schemagen.schema.values import is_finite_number, is_number

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
    "parsedObject",
    "dependentSchemas",
    "evaluated",
    "unevaluatedProperties",
    "unevaluatedItems",
)
# Helpers each helper needs, so that using one writes its dependencies too.
HELPER_NEEDS = {
    "isUnique": ("jsonEqual",),
    "parsedObject": ("jsonObject",),
    "unevaluatedProperties": ("evaluated",),
    "unevaluatedItems": ("evaluated",),
}


def _no_objects(option: Zod) -> bool:
    """Whether ``option`` accepts no JSON object (judged by its TS type)."""
    return option.ts in ("null", "boolean", "number", "string", "never") or option.ts.startswith(
        ("Array<", "[")
    )


class ZodTranslator(ZodObjects):
    """JSON Schema -> zod, one method per keyword family, dispatched from ``translate``."""

    TARGET_NAME = "the zod target"
    HELPER_NEEDS = HELPER_NEEDS
    RESOLVES_ALL_REFS = True
    UNSUPPORTED = UNSUPPORTED - {
        "$dynamicRef",
        "$dynamicAnchor",
        "dependentSchemas",
        "unevaluatedProperties",
        "unevaluatedItems",
    }

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
        code = base.code
        if base.closed_keys is not None:
            # zod 4 drops a strict object's unknown-key error in an intersection unless
            # both sides report it: checked on the input here.
            keys = json_literal(list(base.closed_keys))
            code += f'.and(z.custom({self.use("onlyKeys")}({keys}), "Unrecognized key"))'
        code += f".and(z.custom({check}, {string_literal(message)}))"
        return replace(base, code=code, kind="other", literals=None, closed_keys=None)

    # -- keyword families -----------------------------------------------------------

    def enum_schema(self, unique: list[Any], site: Site) -> Zod:
        if all(isinstance(m, str) for m in unique):
            if len(unique) == 1:
                code = f"z.literal({string_literal(unique[0])})"
            else:
                code = code_list("z.enum([", [string_literal(m) for m in unique], "])")
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
        closed = [o for o in options if o.closed_keys is not None]
        others = [o for o in options if o.closed_keys is None]
        return Zod(
            code_list("z.union([", [o.code for o in options], "])"),
            union_ts(o.ts for o in options),
            changes=any(o.changes for o in options),
            accepts_undefined=any(o.accepts_undefined for o in options),
            # The one strict object of a union no other option of which takes objects.
            closed_keys=closed[0].closed_keys
            if len(closed) == 1 and all(_no_objects(o) for o in others)
            else None,
        )

    def nullable(self, inner: Zod) -> Zod:
        return Zod(
            f"{inner.code}.nullable()",
            union_ts([inner.ts, "null"]),
            changes=inner.changes,
            accepts_undefined=inner.accepts_undefined,
            closed_keys=inner.closed_keys,
        )

    def ref_schema(self, definition: Definition, site: Site) -> Zod:
        binding = definition.binding
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
            refines.append(refine("Number.isInteger", "Expected integer"))
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
                refines.append(refine(check, f"Must be a multiple of {literal}"))
        if code == "z.number()" and integer and not safe:
            # One shared schema for the most common integer: building it once per
            # field was about a quarter of a module's load time.
            code = self.use("wholeNumber")
            refines.pop(0)
        code = chain(code, refines)
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
            refines.append(refine(check, f"Must be {words} {limit} {unit}"))
        code = chain(code, refines)
        return Zod(code, "string", kind="other" if refines else "string")

    def type_array(self, schema: dict[str, Any], site: Site) -> Zod:
        items, prefix = self.array_items(schema, site)
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
            code = code_list("z.tuple([", [p.code for p in part], "])")
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
        high = self.max_contains(schema, site)
        bounds = [str(self.min_contains(schema, site))] + ([] if high is None else [str(high)])
        check = code_list(f"{self.use('contains')}(", [inner.code, *bounds], ")")
        return self.raw_check(base, check, "Must contain matching items (contains)")

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
            code = code_list(
                f"z.discriminatedUnion({string_literal(key)}, [", [o.code for o in options], "])"
            )
            return Zod(
                code, union_ts(o.ts for o in options), changes=any(o.changes for o in options)
            )
        if key is not None or self.types_disjoint(branches, site.document):
            return self.union(options)
        code = code_list(f"{self.use('oneOf')}([", [o.code for o in options], "])")
        return Zod(
            code,
            union_ts(o.ts for o in options),
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
        target = self.resolve(branch, site.document)
        if not isinstance(target, dict) or key not in target.get("required", []):
            return None
        prop = target.get("properties", {}).get(key)
        prop = self.resolve(prop, site.document)
        if not isinstance(prop, dict):
            return None
        values = [prop["const"]] if "const" in prop else prop.get("enum")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
        return set(values)

    def not_schema(self, base: Zod, sub: Any, site: Site) -> Zod:
        inner = self.translate(sub, site)
        check = f"{self.use('fails')}({inner.code})"
        return self.raw_check(base, check, "Must not match the schema (not)")

    def dependent_schemas(self, base: Zod, schema: dict[str, Any], site: Site) -> Zod:
        dependent = schema["dependentSchemas"]
        if not isinstance(dependent, dict):
            self.warn(site, "dependentSchemas", "not a map of names to schemas; ignored")
            return base
        pairs = [
            f"[{string_literal(key)}, {self.translate(sub, site.at('dependentSchemas', key)).code}]"
            for key, sub in dependent.items()
        ]
        check = code_list(f"{self.use('dependentSchemas')}([", pairs, "])")
        return self.raw_check(base, check, "Must match the schemas its keys depend on")

    def unevaluated_schema(self, base: Zod, schema: dict[str, Any], site: Site) -> Zod:
        plan = self.evaluated(schema, site)
        result = base
        for keyword, items, what in (
            ("unevaluatedProperties", False, "keys"),
            ("unevaluatedItems", True, "items"),
        ):
            if keyword not in schema or schema[keyword] is True:
                continue
            sub = schema[keyword]
            rest = "false" if sub is False else self.translate(sub, site.at(keyword)).code
            check = code_list(
                f"{self.use(keyword)}(", [self.plan_code(plan, items, site), rest], ")"
            )
            message = f"Must have no {what} the schema does not evaluate ({keyword})"
            result = self.raw_check(result, check, message)
        return result

    def quietly(self, schema: Any, site: Site) -> Zod:
        """``schema`` translated once more (what its first translation reported stays)."""
        warnings, widenings = len(self.warnings), self.widenings
        result = self.translate(schema, site)
        del self.warnings[warnings:]
        self.widenings = widenings
        return result

    def plan_code(self, plan: Evaluated[Site], items: bool, site: Site) -> str:
        """An ``Evaluates`` literal (templates/zod/helpers.ts.j2) for ``plan``."""
        fields: list[str] = []
        if plan.all_items if items else plan.all_keys:
            return "{ all: true }"
        if items:
            if plan.prefix:
                fields.append(f"prefix: {plan.prefix}")
            if plan.contains:
                codes = [self.quietly(s, at).code for s, at in plan.contains]
                fields.append(code_list("contains: [", codes, "]"))
        else:
            if plan.names:
                fields.append(f"names: {json_literal(plan.names)}")
            patterns = []
            for pattern in plan.patterns:
                try:
                    patterns.append(regex_literal(pattern))
                except RegexError:  # reported where it is checked: here, evaluate every key
                    return "{ all: true }"
            if patterns:
                fields.append(code_list("patterns: [", patterns, "]"))
            if plan.dependent:
                pairs = [
                    f"[{string_literal(k)}, {self.plan_code(p, items, site)}]"
                    for k, p in plan.dependent
                ]
                fields.append(code_list("dependent: [", pairs, "]"))
        if plan.when_valid:
            pairs = [
                f"[{self.quietly(s, at).code}, {self.plan_code(p, items, site)}]"
                for s, at, p in plan.when_valid
            ]
            fields.append(code_list("valid: [", pairs, "]"))
        if plan.conditions:
            triples = [
                code_list(
                    "[",
                    [
                        self.quietly(s, at).code,
                        self.plan_code(then, items, site),
                        self.plan_code(otherwise, items, site),
                    ],
                    "]",
                )
                for s, at, then, otherwise in plan.conditions
            ]
            fields.append(code_list("cond: [", triples, "]"))
        return code_list("{ ", fields, " }") if fields else "{}"

    def if_schema(self, base: Zod, schema: dict[str, Any], site: Site) -> Zod:
        cond = self.translate(schema["if"], site.at("if"))
        then = self.translate(schema.get("then", True), site.at("then"))
        else_ = self.translate(schema.get("else", True), site.at("else"))
        check = code_list(f"{self.use('ifThenElse')}(", [cond.code, then.code, else_.code], ")")
        return self.raw_check(base, check, "Must match if/then/else")
