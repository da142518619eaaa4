"""pydantic model code: what a translation returns (``Py``: a type expression, the
kinds of JSON it accepts, its raw-input checks), the classes and aliases it makes,
where a schema stands (``Site``), and small pieces of code every part writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic_core import SchemaError, SchemaValidator, core_schema

from schemagen.emit.core.definitions import Document
from schemagen.emit.core.target import EmitWarning
from schemagen.emit.python.naming import docstring
from schemagen.schema.pointers import join
from schemagen.schema.values import JsonSchema, json_equal

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
    # A RootModel class: statically it admits its instances only, whatever it validates.
    root_model: bool = False

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
        if isinstance(value, (list, dict)) or self.root_model:
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
        if self.root_model:
            return False
        return Kind.ANY in self.kinds or (value == [] and Kind.ARRAY in self.kinds)


ANY = Py("Any", frozenset({Kind.ANY}))
NEVER = Py("Any", frozenset({Kind.ANY}), checks=("_never",))


@dataclass
class Record:
    """What one translation used and said: replayed when its result is reused."""

    helpers: set[str] = field(default_factory=set)
    warnings: list[tuple[EmitWarning, bool]] = field(default_factory=list)  # (it, widens)


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
    # The bundled document (the metaschema) the pointer is into; "" for the document.
    root: str = ""
    # The dynamic scope: the schema resources evaluation entered, outermost first.
    scope: tuple[str, ...] = ()

    def at(self, *tokens: str | int, hint: str | None = None) -> Site:
        pointer = join(self.pointer, *tokens)
        return replace(self, pointer=pointer, hint=self.hint if hint is None else hint)


def is_model_schema(schema: JsonSchema) -> bool:
    """Whether a schema becomes a model class of its own (an object with named keys)."""
    if not is_object_schema(schema):
        return False
    properties = schema.get("properties")
    return (
        bool(properties)
        or bool(schema.get("required"))
        or (schema.get("additionalProperties") is False)
    )


def is_object_schema(schema: JsonSchema) -> bool:
    """Whether a schema is an object type (not an enum of objects)."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "object"
        and "enum" not in schema
        and "const" not in schema
    )


def is_plain_model(schema: JsonSchema, root: bool = False) -> bool:
    """Whether a definition (or a function's input or output: ``root``, which is a
    class even without properties: its fields are keywords) is written as a model
    class of its own; else an alias of its type, or a RootModel when it is recursive."""
    plain_object = root and is_object_schema(schema)
    return (is_model_schema(schema) or plain_object) and not any(
        k in schema for k in ("$ref", "$dynamicRef", "allOf", "anyOf", "oneOf", "not", "if")
    )


def union_members(expr: str) -> list[str]:
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


def pattern_error(pattern: str) -> str | None:
    """Why the generated ``_search`` cannot read ``pattern``; None when it can.

    Python's ``re`` reads it as jsonschema does; one ``re`` rejects (``\\p{Letter}``:
    Unicode properties) is read by the Rust regex engine pydantic validates
    ``pattern`` with, which needs nothing beyond pydantic (the ``regex`` package would
    be a new dependency of every client)."""
    try:
        re.compile(pattern)
    except re.error as python_error:
        try:
            SchemaValidator(core_schema.str_schema(pattern=pattern))
        except SchemaError:
            return f"neither Python's re nor pydantic's regex engine reads it ({python_error})"
    return None


def lazy(py: Py) -> str:
    """A ``_Lazy`` adapter of ``py`` (built on first use: it may name later classes)."""
    return f"_Lazy(lambda: {py.annotation()})"


def call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args)})"


def schema_doc(schema: JsonSchema, indent: str) -> str:
    """The docstring of a class or field: its description (``""`` when none)."""
    if not isinstance(schema, dict):
        return ""
    description = schema.get("description")
    if isinstance(description, str) and description.strip():
        return docstring(description, indent)
    return ""
