"""What every JSON Schema -> code translator shares: plumbing and the keyword dispatch.

Modelled on pydantic's ``GenerateJsonSchema``: ``translate`` looks at a schema
once and hands each keyword family to one method, which a back end (zod,
Python models) implements for its language. A translator returns its own
value type ``T`` (code plus what the back end needs to know about it).
"""

from __future__ import annotations

import dataclasses
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from schemagen.emit.core.definitions import UNSUPPORTED, Definition, Document
from schemagen.emit.core.evaluation import Evaluated, evaluated
from schemagen.emit.core.naming import Namer
from schemagen.emit.core.target import EmitWarning
from schemagen.schema.keywords import (
    ARRAY_KEYWORDS,
    NUMBER_KEYWORDS,
    OBJECT_KEYWORDS,
    STRING_KEYWORDS,
    TYPE_NAMES,
)
from schemagen.schema.pointers import follow_local_refs, local_ref_name, tokens
from schemagen.schema.refs import Location, References, RefError, Target
from schemagen.schema.values import JsonSchema, is_finite_number, is_json, json_equal, json_type

T = TypeVar("T")
S = TypeVar("S", bound="SiteLike")
_UNEVALUATED = ("unevaluatedProperties", "unevaluatedItems")


class SiteLike(Protocol):
    """Where a schema sits in its document (each back end adds what it needs).

    A back end that sets ``RESOLVES_ALL_REFS`` makes its site a dataclass with two
    more fields: ``root`` (``""``, or the URI of the bundled document the pointer is
    into: the metaschema) and ``scope`` (the dynamic scope: the URIs of the schema
    resources evaluation entered, outermost first)."""

    @property
    def document(self) -> Document: ...

    @property
    def pointer(self) -> str: ...

    def at(self: S, *tokens: str | int) -> S: ...


class SchemaTranslator(ABC, Generic[T, S]):
    """JSON Schema -> one target's code, one method per keyword family."""

    # How warnings name the back end: "not supported by {TARGET_NAME}".
    TARGET_NAME: ClassVar[str]
    # Helper functions a helper needs emitted beside it.
    HELPER_NEEDS: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    # Whether every $ref / $dynamicRef is followed (any pointer, anchor, $id, the
    # metaschema; ``next_target`` then hands out the definitions they make), or only
    # references to a $defs entry of the document.
    RESOLVES_ALL_REFS: ClassVar[bool] = False
    # The keywords the back end drops (with a warning: the code accepts more).
    UNSUPPORTED: ClassVar[frozenset[str]] = UNSUPPORTED

    def __init__(self, names: Namer | None = None) -> None:
        self.warnings: list[EmitWarning] = []
        self.helpers: set[str] = set()
        self.definitions: dict[str, Definition] = {}  # by binding
        self.namer = names
        self._validators: dict[int, Any] = {}
        self._references: dict[int, References] = {}
        self._plain: dict[int, bool] = {}
        self._targets: dict[tuple[int, Location, tuple[Any, ...]], Definition] = {}
        self._pending: list[Definition] = []
        # How many warnings said the code accepts more than the schema (see widens).
        self.widenings = 0
        self._widens: dict[tuple[Any, ...], bool] = {}  # what ``widens`` found, by place

    # -- plumbing -------------------------------------------------------------------

    def warn(self, site: S, keyword: str, message: str, *, widens: bool = True) -> None:
        """Report what the code does not say of the schema; ``widens``: it accepts more
        there (a dropped keyword), which ``widens()`` tells the places where accepting
        more would reject more (``not``, ``if``, ``oneOf``, ``maxContains``)."""
        root = getattr(site, "root", "")
        where = f"{site.document.label} {root}#{site.pointer}/{keyword}"
        self.warnings.append(EmitWarning(where, message))
        if widens:
            self.widenings += 1

    def use(self, helper: str) -> str:
        """Mark a helper function as needed by the generated code; its name."""
        self.helpers.add(helper)
        for need in self.HELPER_NEEDS.get(helper, ()):
            self.helpers.add(need)
        return helper

    def written_default(self, schema: JsonSchema, site: S) -> tuple[bool, Any]:
        """Whether ``schema`` has a default the generated code can hold, and that default.

        A default that is not JSON (``Infinity``) is left out, with a warning: absent
        then stays absent, as no caller can send such a value either.
        """
        if not isinstance(schema, dict) or "default" not in schema:
            return False, None
        value = schema["default"]
        if not is_json(value):
            message = f"{json.dumps(value)} is not a JSON value; left out"
            self.warn(site, "default", message, widens=False)
            return False, None
        return True, value

    def count(self, schema: dict[str, Any], site: S, keyword: str) -> int | None:
        """``schema[keyword]`` when it is a non-negative integer (``minItems``,
        ``maxLength``, ``minContains``, …; ``2.0`` is one, as in JSON Schema); None when
        absent, and None with a warning when it is anything else. The caller then
        leaves the keyword out, so the generated code accepts more."""
        if keyword not in schema:
            return None
        limit = schema[keyword]
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            self.warn(site, keyword, f"{limit!r} is not a non-negative integer; ignored")
            return None
        if limit >= 2**63:  # past any length (and pydantic's 64-bit limits)
            self.warn(site, keyword, f"{limit} is beyond any length; ignored")
            return None
        return limit

    def min_contains(self, schema: dict[str, Any], site: S) -> int:
        """``minContains``: 1 when absent, as in JSON Schema, and 0 when it is not a
        count (ignored with a warning: the code then accepts more)."""
        low = self.count(schema, site, "minContains")
        if low is None:
            return 0 if "minContains" in schema else 1
        return low

    def dependent_required(self, schema: dict[str, Any], site: S) -> dict[str, list[str]]:
        """``dependentRequired`` when it maps names to lists of names; else empty, with a
        warning when it is set to anything else (ignored: the code then accepts more)."""
        if "dependentRequired" not in schema:
            return {}
        value = schema["dependentRequired"]
        if not isinstance(value, dict) or not all(
            isinstance(names, list) and all(isinstance(n, str) for n in names)
            for names in value.values()
        ):
            self.warn(site, "dependentRequired", "not a map of names to lists of names; ignored")
            return {}
        return value

    def array_items(self, schema: dict[str, Any], site: S) -> tuple[JsonSchema, list[Any]]:
        """``items`` (what the items after ``prefixItems`` must be; ``True`` when absent)
        and ``prefixItems`` (empty when absent or not a list). The array form of ``items``
        (before 2020-12) is ignored, with a warning: the code then accepts more."""
        items = schema.get("items", True)
        prefix = schema.get("prefixItems", [])
        if isinstance(items, list):
            self.warn(site, "items", "the array form of items is not 2020-12; ignored")
            items = True
        return items, prefix if isinstance(prefix, list) else []

    def finite_bounds(
        self, schema: dict[str, Any], site: S, keywords: Iterable[str]
    ) -> Iterator[tuple[str, float]]:
        """Each of ``keywords`` that ``schema`` sets to a finite number, in that order;
        any other value is reported and ignored."""
        for keyword in keywords:
            bound = schema.get(keyword)
            if bound is None:
                continue
            if not is_finite_number(bound):
                self.warn(site, keyword, f"{bound!r} is not a finite number; ignored")
                continue
            yield keyword, bound

    def is_valid(self, site: S, schema: JsonSchema, value: Any) -> bool:
        """Whether ``value`` is valid against ``schema`` (a part of ``site``'s document).
        A schema jsonschema cannot evaluate (a bad pattern or reference, a keyword of the
        wrong type: ``"exclusiveMinimum": null``) counts as accepting it."""
        import jsonschema
        import referencing.exceptions

        root = site.document.schema
        validator = self._validators.get(id(root))
        if validator is None:
            validator = jsonschema.Draft202012Validator(root)
            self._validators[id(root)] = validator
        try:
            return bool(validator.evolve(schema=schema).is_valid(value))
        except (
            jsonschema.exceptions.SchemaError,
            referencing.exceptions.Unresolvable,
            re.error,
            TypeError,
            ValueError,
            ArithmeticError,
        ):
            return True

    # -- dispatch -------------------------------------------------------------------

    def translate(self, schema: JsonSchema, site: S) -> T:
        """The code accepting what ``schema`` accepts (annotations excluded)."""
        if schema is True or schema == {}:
            return self.any_type()
        if schema is False:
            return self.never_type()
        if not isinstance(schema, dict):
            self.warn(site, "", "not a schema; accepting anything")
            return self.any_type()
        for keyword in sorted(self.UNSUPPORTED & schema.keys()):
            self.warn(site, keyword, f"not supported by {self.TARGET_NAME}; ignored (accepts more)")
        if "enum" in schema or "const" in schema:
            members = self.enum_members(schema, site)
            if members is None:
                return self.any_type()
            return self.enum_schema(members, site) if members else self.never_type()
        site = self.entered(schema, site)
        parts: list[T] = []
        for keyword in ("$ref", "$dynamicRef") if self.RESOLVES_ALL_REFS else ("$ref",):
            if keyword in schema:
                definition = self.referenced(schema[keyword], site, keyword)
                parts.append(
                    self.any_type() if definition is None else self.ref_schema(definition, site)
                )
        typed = self.typed_schema(schema, site)
        if typed is not None:
            parts.append(typed)
        if "allOf" in schema:
            parts.append(self.all_of_schema(schema["allOf"], site.at("allOf")))
        if "anyOf" in schema:
            parts.append(self.any_of_schema(schema["anyOf"], site.at("anyOf")))
        if "oneOf" in schema:
            parts.append(self.one_of_part(schema, site))
        result = self.intersect(parts)
        if "not" in schema:
            if self.widens(schema["not"], site.at("not")):
                message = "dropped: a part of its schema is not translated (accepts more)"
                self.warn(site, "not", message)
            else:
                result = self.not_schema(result, schema["not"], site.at("not"))
        if "if" in schema and ("then" in schema or "else" in schema):
            if self.widens(schema["if"], site.at("if")):
                message = "a part of it is not translated: then or else (accepts more)"
                self.warn(site, "if", message)
                outcomes = [
                    self.translate(schema.get(k, True), site.at(k)) for k in ("then", "else")
                ]
                result = self.intersect([result, self.union(outcomes)])
            else:
                result = self.if_schema(result, schema, site)
        if "dependentSchemas" in schema and "dependentSchemas" not in self.UNSUPPORTED:
            result = self.dependent_schemas(result, schema, site)
        if any(k in schema and k not in self.UNSUPPORTED for k in _UNEVALUATED):
            return self.unevaluated_schema(result, schema, site)
        return result

    # -- dropping never rejects more ----------------------------------------------------

    def widens(self, schema: Any, site: S) -> bool:
        """Whether translating ``schema`` drops something (accepts more than it): then a
        ``not`` of it, an ``if`` of it, exactly one ``oneOf`` branch or at most
        ``maxContains`` items matching it would reject more. A trial translation: its
        warnings and helpers are not kept."""
        key = (id(schema), site.pointer, getattr(site, "root", ""), getattr(site, "scope", ()))
        known = self._widens.get(key)
        if known is not None:
            return known
        warnings, helpers, widenings = len(self.warnings), set(self.helpers), self.widenings
        self.translate(schema, site)
        widened = self._widens[key] = self.widenings > widenings
        del self.warnings[warnings:]
        self.helpers, self.widenings = helpers, widenings
        return widened

    def one_of_part(self, schema: dict[str, Any], site: S) -> T:
        """``oneOf``; ``anyOf`` of its branches when one of them accepts more than it says
        (exactly one of them could then refuse a valid value)."""
        branches = schema["oneOf"]
        if isinstance(branches, list) and any(
            self.widens(b, site.at("oneOf", i)) for i, b in enumerate(branches)
        ):
            message = "a branch is not translated exactly: checked as anyOf (accepts more)"
            self.warn(site, "oneOf", message)
            return self.any_of_schema(branches, site.at("oneOf"))
        return self.one_of_schema(schema, site)

    def max_contains(self, schema: dict[str, Any], site: S) -> int | None:
        """``maxContains`` (None when absent), left out with a warning when ``contains``
        accepts more than it says (more items would match, and too many be refused)."""
        high = self.count(schema, site, "maxContains")
        if high is not None and self.widens(schema.get("contains", True), site.at("contains")):
            message = "ignored: contains is not translated exactly (accepts more)"
            self.warn(site, "maxContains", message)
            return None
        return high

    def referenced(self, ref: Any, site: S, keyword: str = "$ref") -> Definition | None:
        """The definition a ``$ref`` (or ``$dynamicRef``) names; None, with a warning,
        when it names nothing known (the code then accepts anything there)."""
        if self.RESOLVES_ALL_REFS:
            return self._target_definition(ref, site, keyword)
        name = local_ref_name(ref) if isinstance(ref, str) else None
        binding = site.document.bindings.get(name) if name is not None else None
        if binding is None:
            self.warn(site, "$ref", f"{ref!r} is not a local $defs reference; accepting anything")
            return None
        return self.definitions[binding]

    # -- references in every form -----------------------------------------------------

    def references(self, document: Document) -> References:
        """The resources and anchors of ``document`` (built once)."""
        found = self._references.get(id(document))
        if found is None:
            found = self._references[id(document)] = References(document.schema)
        return found

    def plain(self, document: Document) -> bool:
        """Whether ``document`` has no ``$id``, anchor or dynamic reference: then a
        ``#/$defs/…`` reference names that entry and no dynamic scope is kept, which
        spares indexing its resources (a text search, not a walk)."""
        found = self._plain.get(id(document))
        if found is None:
            text = json.dumps(document.schema)
            words = ('"$id"', '"$anchor"', '"$dynamicRef"', '"$dynamicAnchor"')
            found = self._plain[id(document)] = not any(w in text for w in words)
        return found

    def place(self, site: S) -> Target:
        """What is at ``site``: its base URI and resource (the document's when the
        site's pointer is not a place of the document)."""
        refs = self.references(site.document)
        try:
            return refs.at(Location(getattr(site, "root", ""), site.pointer))
        except (LookupError, KeyError):
            return refs.at(Location("", ""))

    def entered(self, schema: dict[str, Any], site: S) -> S:
        """``site`` with the resource ``schema`` starts (its ``$id``) in its dynamic scope,
        when the document has dynamic references (else the scope is never read)."""
        scope: tuple[str, ...] = getattr(site, "scope", ())
        if not self.RESOLVES_ALL_REFS or ("$id" not in schema and scope):
            return site
        if self.plain(site.document) and not getattr(site, "root", ""):
            return site
        refs = self.references(site.document)
        if not refs.uses_dynamic_refs():
            return site
        resource = self.place(site).resource
        if resource in scope:
            return site
        return dataclasses.replace(site, scope=(*scope, resource))  # type: ignore[type-var]

    def _scope_key(self, refs: References, scope: tuple[str, ...]) -> tuple[Any, ...]:
        """What of a dynamic scope can change what a ``$dynamicRef`` names: for each
        dynamic anchor name, the outermost resource of the scope declaring it."""
        if not refs.uses_dynamic_refs():
            return ()
        names = sorted({key.partition("#")[2] for key in refs.dynamic_anchors})
        return tuple(
            (name, next((r for r in scope if name in refs.dynamic_names(r)), None))
            for name in names
        )

    def _target_definition(self, ref: Any, site: S, keyword: str) -> Definition | None:
        if not isinstance(ref, str):
            self.warn(site, keyword, f"{ref!r} is not a URI reference; accepting anything")
            return None
        name = local_ref_name(ref)
        in_document = not getattr(site, "root", "") and self.plain(site.document)
        if in_document and name is not None and name in site.document.bindings:
            return self.definitions[site.document.bindings[name]]
        refs = self.references(site.document)
        base = self.place(site).base
        scope: tuple[str, ...] = getattr(site, "scope", ())
        try:
            if keyword == "$dynamicRef":
                target = refs.dynamic_target(ref, base, scope)
            else:
                target = refs.resolve(ref, base)
        except RefError as exc:
            self.warn(site, keyword, f"{exc}; accepting anything")
            return None
        inner_scope = scope if target.resource in scope else (*scope, target.resource)
        if not refs.uses_dynamic_refs():
            inner_scope = ()
        location = target.location
        name = local_ref_name("#" + location.pointer) if location.document == "" else None
        # A $defs entry named as one ("#/$defs/a") is the module's definition of it (what
        # merge_definitions orders its dependencies by); reached otherwise, a target.
        if (
            name is not None
            and name in site.document.bindings
            and local_ref_name(ref) == name
            and not refs.uses_dynamic_refs()
        ):
            return self.definitions[site.document.bindings[name]]
        key = (id(site.document), location, self._scope_key(refs, inner_scope))
        definition = self._targets.get(key)
        if definition is None:
            words = [t for t in tokens(location.pointer) if not t.isdigit()]
            wanted = words[-1] if words else "Root"
            if location.document:
                wanted = "Meta" + wanted[:1].upper() + wanted[1:]
            assert self.namer is not None, "RESOLVES_ALL_REFS needs the module's Namer"
            binding = self.namer.allocate(
                wanted, f"{site.document.owner}{wanted[:1].upper()}{wanted[1:]}"
            )
            definition = Definition(
                name=wanted,
                binding=binding,
                schema=target.schema,
                document=site.document,
                order=len(self._targets),
                recursive=True,  # emitted before what uses it: through z.lazy or alike
            )
            definition.site = dataclasses.replace(  # type: ignore[type-var]
                site, pointer=location.pointer, root=location.document, scope=inner_scope
            )
            self._targets[key] = definition
            self._pending.append(definition)
        return definition

    def next_target(self) -> Definition | None:
        """A definition a reference made that is not translated yet (its ``site`` set:
        translate its ``schema`` there); None when all are."""
        return self._pending.pop(0) if self._pending else None

    def follow(self, schema: dict[str, Any], keyword: str, site: S) -> tuple[Any, S, Any] | None:
        """What ``schema[keyword]`` (a ``$ref`` / ``$dynamicRef``) names: the schema, its
        site and a key telling cycles; None when it names nothing known (no warning:
        ``translate`` reports it)."""
        if not self.RESOLVES_ALL_REFS:
            return None
        refs = self.references(site.document)
        ref = schema[keyword]
        if not isinstance(ref, str):
            return None
        scope: tuple[str, ...] = getattr(site, "scope", ())
        try:
            base = self.place(site).base
            if keyword == "$dynamicRef":
                target = refs.dynamic_target(ref, base, scope)
            else:
                target = refs.resolve(ref, base)
        except RefError:
            return None
        if refs.uses_dynamic_refs() and target.resource not in scope:
            scope = (*scope, target.resource)
        inner = dataclasses.replace(  # type: ignore[type-var]
            site, pointer=target.location.pointer, root=target.location.document, scope=scope
        )
        return target.schema, inner, target.location

    def evaluated(self, schema: dict[str, Any], site: S) -> Evaluated[S]:
        """What ``schema`` evaluates of its instance (``core.evaluation``), for its
        ``unevaluatedProperties`` / ``unevaluatedItems``. An ``if`` that accepts more
        than it says could pick ``then`` where ``else`` evaluates more: such an ``if``
        counts both (evaluating more only refuses less)."""
        return self._sound(evaluated(schema, site, lambda s, t: s.at(*t), self.follow))

    def _sound(self, plan: Evaluated[S]) -> Evaluated[S]:
        kept = []
        for condition, at, then, otherwise in plan.conditions:
            then, otherwise = self._sound(then), self._sound(otherwise)
            if self.widens(condition, at):
                plan.when_valid += [(True, at, then), (True, at, otherwise)]
            else:
                kept.append((condition, at, then, otherwise))
        plan.conditions = kept
        plan.when_valid = [(s, at, self._sound(p)) for s, at, p in plan.when_valid]
        plan.dependent = [(k, self._sound(p)) for k, p in plan.dependent]
        return plan

    def enum_members(self, schema: dict[str, Any], site: S) -> list[Any] | None:
        """The distinct members of ``enum`` / ``const`` (by JSON Schema's equality) that
        are also valid against the rest of the schema, and are JSON (no value on the wire
        equals ``Infinity``); None, with a warning, when ``enum`` is not a list."""
        members = [schema["const"]] if "const" in schema else schema["enum"]
        if not isinstance(members, list):
            self.warn(site, "enum", f"{members!r} is not a list; ignored")
            return None
        rest = {k: v for k, v in schema.items() if k not in ("enum", "const")}
        unique: list[Any] = []
        for member in members:
            if any(json_equal(m, member) for m in unique):
                continue
            if is_json(member) and self.is_valid(site, rest, member):
                unique.append(member)
        return unique

    def resolve(self, schema: Any, document: Document) -> Any:
        """``schema`` with a bare local ``$ref`` (into ``document``'s ``$defs``) followed."""
        return follow_local_refs(schema, document.local_defs)

    def types_disjoint(self, branches: list[Any], document: Document) -> bool:
        """Whether no JSON value can match two of ``branches`` (``oneOf``), judged by
        their ``type`` or their ``enum``/``const`` members' types alone."""
        seen: set[str] = set()
        for branch in branches:
            target = self.resolve(branch, document)
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

    def declared_types(self, schema: dict[str, Any], site: S) -> list[str] | None:
        """The JSON types ``typed_schema`` must translate, each once; None when neither
        ``type`` nor any type's keywords constrain the schema."""
        declared = schema.get("type")
        if declared is None:
            keywords = (NUMBER_KEYWORDS, STRING_KEYWORDS, ARRAY_KEYWORDS, OBJECT_KEYWORDS)
            if not any(k in schema for family in keywords for k in family):
                return None
            # Keywords of a type constrain only values of that type: the others pass.
            return ["null", "boolean", "number", "string", "array", "object"]
        types = [declared] if isinstance(declared, str) else list(declared)
        unknown = [t for t in types if t not in TYPE_NAMES]
        if unknown:
            self.warn(site, "type", f"unknown type(s) {unknown}; ignored")
            types = [t for t in types if t in TYPE_NAMES]
        if "number" in types and "integer" in types:
            types.remove("integer")
        return list(dict.fromkeys(types))

    # -- one method per keyword family, in the target's language --------------------

    def dependent_schemas(self, base: T, schema: dict[str, Any], site: S) -> T:
        """``dependentSchemas``, for a back end that leaves it out of ``UNSUPPORTED``."""
        raise NotImplementedError

    def unevaluated_schema(self, base: T, schema: dict[str, Any], site: S) -> T:
        """``unevaluatedProperties`` / ``unevaluatedItems`` (see ``evaluated``), for a back
        end that leaves them out of ``UNSUPPORTED``."""
        raise NotImplementedError

    @abstractmethod
    def any_type(self) -> T:
        """What accepts every JSON value."""

    @abstractmethod
    def never_type(self) -> T:
        """What accepts no value."""

    @abstractmethod
    def intersect(self, parts: list[T]) -> T:
        """What accepts only values every part accepts."""

    @abstractmethod
    def union(self, options: list[T]) -> T:
        """What accepts the values any of ``options`` accepts."""

    @abstractmethod
    def enum_schema(self, members: list[Any], site: S) -> T:
        """What accepts exactly ``members`` (``enum_members``: never empty)."""

    @abstractmethod
    def ref_schema(self, definition: Definition, site: S) -> T:
        """What accepts what the referenced ``definition`` accepts."""

    @abstractmethod
    def typed_schema(self, schema: dict[str, Any], site: S) -> T | None:
        """``type`` and the keywords of each type family; None when the schema has none."""

    @abstractmethod
    def all_of_schema(self, branches: Any, site: S) -> T: ...

    @abstractmethod
    def any_of_schema(self, branches: Any, site: S) -> T: ...

    @abstractmethod
    def one_of_schema(self, schema: dict[str, Any], site: S) -> T: ...

    @abstractmethod
    def not_schema(self, base: T, sub: Any, site: S) -> T: ...

    @abstractmethod
    def if_schema(self, base: T, schema: dict[str, Any], site: S) -> T: ...
