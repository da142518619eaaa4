"""JSON Schema (2020-12) keyword families, as the layers above read them."""

from __future__ import annotations

# Keywords that only annotate: they never change what validates.
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "$schema",
        "$id",
        "$anchor",
        "$defs",
        "definitions",
        "format",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
        "discriminator",
    }
)
# The values of ``type`` (``number`` includes ``integer``).
TYPE_NAMES = ("null", "boolean", "integer", "number", "string", "array", "object")
# The validation keywords of each type: they constrain only values of that type.
STRING_KEYWORDS = ("minLength", "maxLength", "pattern")
NUMBER_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
ARRAY_KEYWORDS = (
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
)
OBJECT_KEYWORDS = (
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
)
# Annotations that describe strings (the diff reports their changes).
STRING_ANNOTATIONS = ("format", "contentMediaType", "contentEncoding")

# Where sub-schemas sit: keywords whose value is one schema, a map of names to
# schemas, or a list of schemas.
SCHEMA_KEYWORDS = (
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
# Keywords whose value is data, whatever keys it holds (never a schema).
DATA_KEYWORDS = ("enum", "const", "default", "examples", "required", "dependentRequired")
# Where a document keeps the schemas its references name.
DEFS_KEYWORDS = ("definitions", "$defs")
