"""zod objects: ``properties``, ``required``, ``additionalProperties`` and the rest of
the object keywords, and the defaults of properties, as zod parses them.

A plain object is a ``z.object`` (``z.strictObject`` when closed, ``.catchall`` for a
typed rest); one with keys every JS object inherits (``constructor``,
``__proto__``…) or with ``patternProperties``/``propertyNames``/``min``/
``maxProperties``/``dependentRequired`` uses the ``jsonObject`` helper, which checks
own keys only and returns the input unchanged. A default becomes ``.default()``
only on an optional property whose default is valid, written as zod's parse of it.
"""

from __future__ import annotations

from abc import ABC
from typing import Any

from schemagen.emit.core.patterns import RegexError
from schemagen.emit.core.translator import SchemaTranslator
from schemagen.emit.typescript.naming import (
    PROTOTYPE_KEYS,
    is_identifier_name,
    jsdoc,
    json_literal,
    property_key,
    regex_literal,
    string_literal,
)
from schemagen.emit.typescript.zod_code import (
    ANY,
    LINE_WIDTH,
    Site,
    Zod,
    code_list,
    doc_lines,
    indent,
)
from schemagen.schema.values import JsonSchema, is_json


class ZodObjects(SchemaTranslator[Zod, Site], ABC):
    """The object keyword family of ``ZodTranslator``."""

    def type_object(self, schema: dict[str, Any], site: Site) -> Zod:
        properties: dict[str, Any] = schema.get("properties", {}) or {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        names = list(properties) + [r for r in required if r not in properties]
        additional = schema.get("additionalProperties", True)
        if needs_own_object(schema, names):
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
        body = "{\n" + "".join(f"  {indent(line)}\n" for line in shape) + "}" if shape else "{}"
        ts_body = "{\n" + "".join(f"  {indent(t)}\n" for t in ts_fields)
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
                        self.warn(site, "default", f"{message}; left out", widens=False)
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
        doc = jsdoc(doc_lines(schema, name, default_applied))
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
        target = self.resolve(schema, site.document)
        if not isinstance(target, dict) or value is None:
            return value
        # Optional[Model] (anyOf a model and null), a one-branch allOf: the one object.
        for keyword in ("anyOf", "oneOf", "allOf"):
            branches = target.get(keyword)
            if isinstance(branches, list):
                others = [b for b in branches if self.resolve(b, site.document) != {"type": "null"}]
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
        # jsonObject keeps every key as given, but the declared ones' parse results.
        own = needs_own_object(target, names)
        additional = target.get("additionalProperties", True)
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key in properties:
                result[key] = self.completed(properties[key], item, site, filling)
            elif isinstance(additional, dict) and not own:
                result[key] = self.completed(additional, item, site, filling)
            elif own or not names or key in names or additional is False:
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
        parsed = False  # some key's parse differs from its input: the result is built
        for name in names:
            prop_site = site.at("properties", name)
            value = self.translate(properties.get(name, True), prop_site)
            is_required = "true" if name in required else "false"
            sub = properties.get(name, {})
            code = value.code
            default_applied = False
            if name not in required:
                default = self.own_default(sub, prop_site)
                if default is not None:
                    code += f".default({json_literal(default[0])})"
                    default_applied = True
            parsed = parsed or value.changes or default_applied
            doc = jsdoc(doc_lines(sub, name, default_applied)) if isinstance(sub, dict) else ""
            description = sub.get("description") if isinstance(sub, dict) else None
            if isinstance(description, str) and description:
                code += f".describe({string_literal(description)})"
            filled = ", true" if default_applied else ""
            props.append(f"{doc}[{string_literal(name)}, {code}, {is_required}{filled}],")
            ts_key = name if is_identifier_name(name) else string_literal(name)
            optional = "" if name in required else "?"
            ts_fields.append(f"{ts_key}{optional}: {value.ts};")
        rules.append(
            "properties: [\n" + "".join(f"  {indent(p)}\n" for p in props) + "],"
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
            rules.append(code_list("patternProperties: [", pairs, "],"))
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
        ts = "{\n" + "".join(f"  {indent(t)}\n" for t in ts_fields) + "}"
        body = "{\n" + "".join(f"  {indent(r)}\n" for r in rules) + "}"
        if parsed:  # the keys' parse results and defaults, as z.object returns them
            return Zod(f"{self.use('parsedObject')}<{ts}>({body})", ts, changes=True)
        return Zod(f"{self.use('jsonObject')}<{ts}>({body})", ts)

    def own_default(self, schema: JsonSchema, site: Site) -> tuple[Any] | None:
        """The default of an optional key of a ``jsonObject``, as ``property`` writes it
        (zod's parse of it, when that is valid); None when there is none to fill in."""
        given, default = self.written_default(schema, site)
        if not given or site.in_all_of:
            return None
        filled = self.completed(schema, default, site)
        if self.is_valid(site, schema, filled):
            return (filled,)
        if self.is_valid(site, schema, default):
            message = "valid, but not with its keys' defaults filled in (as zod does)"
            self.warn(site, "default", f"{message}; left out", widens=False)
        return None


def needs_own_object(schema: dict[str, Any], names: list[str]) -> bool:
    """Whether an object schema is the ``jsonObject`` helper's, not a ``z.object``."""
    exotic = ("patternProperties", "propertyNames", "minProperties", "maxProperties")
    return any(k in schema for k in (*exotic, "dependentRequired")) or any(
        name in PROTOTYPE_KEYS for name in names
    )
