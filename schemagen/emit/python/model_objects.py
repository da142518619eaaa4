"""pydantic objects: an object schema with named properties is a model class (its
fields, defaults, aliases and ``extra``), one without is a ``dict``; the object
keywords pydantic has no field for are checked on the raw input (``_object_rules``).
"""

from __future__ import annotations

from abc import ABC
from typing import Any

from schemagen.emit.core.naming import Namer
from schemagen.emit.core.translator import SchemaTranslator
from schemagen.emit.python.model_code import (
    ANY,
    Block,
    Kind,
    ModelClass,
    ModelField,
    Py,
    Record,
    Site,
    call,
    lazy,
    pattern_error,
    schema_doc,
)
from schemagen.emit.python.naming import (
    RESERVED_FIELD_NAMES,
    NameAllocator,
    json_literal,
    pascal_case,
    snake_name,
    string_literal,
)
from schemagen.schema.values import JsonSchema


class PyObjects(SchemaTranslator[Py, Site], ABC):
    """The object keyword family of ``PyTranslator``, and the classes it makes."""

    def __init__(self, names: NameAllocator, namer: Namer | None = None) -> None:
        super().__init__(namer)
        self.names = names  # module-level names
        self.blocks: list[Block] = []  # inline classes, in the order they were made
        # Each place's schema and translation, and what translating it used and said.
        self.translated: dict[tuple[Any, ...], tuple[JsonSchema, Py, Record]] = {}
        self.records: list[Record] = []  # of the translations under way

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
            args.append(f"property_names={lazy(names)}")
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict) and patterns:
            self.use("_Lazy")
            entries = []
            unread = False
            for pattern, sub in patterns.items():
                problem = pattern_error(pattern)
                if problem is not None:
                    self.warn(site, "patternProperties", f"{pattern!r}: {problem}; not checked")
                    unread = True
                    continue
                translated = self.translate(
                    sub, site.at("patternProperties", pattern, hint=site.hint + "Value")
                )
                entries.append(f"{string_literal(pattern)}: {lazy(translated)}")
            args.append("pattern_properties={" + ", ".join(entries) + "}")
            # The keys an unread pattern matches would fall to additionalProperties:
            # that is not checked either, so that the model only accepts more.
            additional = True if unread else schema.get("additionalProperties", True)
            if additional is False:
                args.append("additional=False")
            elif additional is not True:
                translated = self.translate(additional, site.at("additionalProperties"))
                if translated is not ANY:
                    args.append(f"additional={lazy(translated)}")
            args.append("known=" + json_literal(known))
        dependent = self.dependent_required(schema, site)
        if dependent:
            args.append(f"dependent_required={json_literal(dependent)}")
        if not args:
            return None
        return call(self.use("_object_rules"), args)

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
        model.doc = schema_doc(schema, "    ")

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
                elif py.root_model:
                    # Its class validates a null; statically it is no None.
                    args.append(f"default={self.use('_unchecked')}(None)")
                else:
                    plain_default = "None"
        if ident != wire:
            args.append(f"alias={string_literal(wire)}")
        if args:
            if plain_default is not None:
                args.insert(0, f"default={plain_default}")
            default = call("Field", args)
        else:
            default = plain_default
        doc = schema_doc(schema, "    ") if isinstance(schema, dict) else ""
        return ModelField(ident, annotation, default, doc, wire, required)
