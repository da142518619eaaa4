"""What a schema evaluates of its instance, as ``unevaluatedProperties`` and
``unevaluatedItems`` read it (JSON Schema 2020-12, section 11), statically.

A keyword's annotations reach the unevaluated keywords of the schemas around it
through in-place applicators only (``allOf``, ``anyOf``, ``oneOf``, ``if``/``then``/
``else``, ``dependentSchemas``, ``$ref``, ``$dynamicRef``, ``not`` never), and only
from sub-schemas the instance is valid against. What is known before run time is
kept as data (property names, patterns, the prefix length, "everything"); what
depends on the instance is the sub-schema whose verdict decides it (an ``anyOf``
branch counts when valid, ``if`` picks ``then`` or ``else``, ``contains`` marks the
items that match). Each back end turns an ``Evaluated`` into code of its language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from schemagen.schema.keywords import SCHEMA_LISTS

S = TypeVar("S")  # a back end's Site


@dataclass
class Evaluated(Generic[S]):
    """What a schema (valid against the instance) evaluates of that object or array."""

    names: list[str] = field(default_factory=list)  # properties
    patterns: list[str] = field(default_factory=list)  # patternProperties
    all_keys: bool = False  # additionalProperties, or a nested unevaluatedProperties
    prefix: int = 0  # prefixItems
    all_items: bool = False  # items, or a nested unevaluatedItems
    # Items valid against one of these are evaluated (contains).
    contains: list[tuple[Any, S]] = field(default_factory=list)
    # (sub-schema, its site, what it evaluates): counts when the instance is valid
    # against the sub-schema (anyOf, oneOf branches).
    when_valid: list[tuple[Any, S, Evaluated[S]]] = field(default_factory=list)
    # (if, its site, what if and then evaluate, what else evaluates).
    conditions: list[tuple[Any, S, Evaluated[S], Evaluated[S]]] = field(default_factory=list)
    # (property name, what its dependent schema evaluates): counts when the key is present.
    dependent: list[tuple[str, Evaluated[S]]] = field(default_factory=list)

    def merge(self, other: Evaluated[S]) -> None:
        """Add what ``other`` (a schema valid whenever this one is) evaluates."""
        self.names += [n for n in other.names if n not in self.names]
        self.patterns += [p for p in other.patterns if p not in self.patterns]
        self.all_keys = self.all_keys or other.all_keys
        self.prefix = max(self.prefix, other.prefix)
        self.all_items = self.all_items or other.all_items
        self.contains += other.contains
        self.when_valid += other.when_valid
        self.conditions += other.conditions
        self.dependent += other.dependent

    @property
    def static(self) -> bool:
        """Whether nothing of it depends on the instance beyond its keys and length."""
        return not (self.contains or self.when_valid or self.conditions or self.dependent)


# A followed reference: the schema it names and the site to read it at, or None.
Follow = Callable[[Any, str, S], "tuple[Any, S, Any] | None"]


def evaluated(
    schema: Any,
    site: S,
    at: Callable[[S, tuple[str | int, ...]], S],
    follow: Follow[S],
    _seen: frozenset[Any] = frozenset(),
) -> Evaluated[S]:
    """What ``schema`` at ``site`` evaluates of its instance when valid against it,
    the keywords ``unevaluatedProperties``/``unevaluatedItems`` of ``schema`` itself
    left out (they are what asks). ``at(site, tokens)`` is the site of a sub-schema;
    ``follow(schema, keyword, site)`` what its ``$ref`` / ``$dynamicRef`` names (the
    schema, its site, and a key for cycles), None when it names nothing known."""
    result: Evaluated[S] = Evaluated()
    if not isinstance(schema, dict):
        return result

    def sub(value: Any, *tokens: str | int) -> Evaluated[S]:
        inner = evaluated(value, at(site, tokens), at, follow, _seen)
        if isinstance(value, dict):
            inner.all_keys = inner.all_keys or "unevaluatedProperties" in value
            inner.all_items = inner.all_items or "unevaluatedItems" in value
        return inner

    properties = schema.get("properties")
    if isinstance(properties, dict):
        result.names += list(properties)
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        result.patterns += list(patterns)
    result.all_keys = "additionalProperties" in schema
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list):
        result.prefix = len(prefix)
    result.all_items = "items" in schema
    if "contains" in schema:
        result.contains.append((schema["contains"], at(site, ("contains",))))
    for keyword in ("$ref", "$dynamicRef"):
        if keyword not in schema:
            continue
        target = follow(schema, keyword, site)
        if target is None:  # names nothing known: everything (refusing less, never more)
            result.all_keys = result.all_items = True
            continue
        if target[2] in _seen:
            continue
        value, target_site, key = target
        inner = evaluated(value, target_site, at, follow, _seen | {key})
        if isinstance(value, dict):
            inner.all_keys = inner.all_keys or "unevaluatedProperties" in value
            inner.all_items = inner.all_items or "unevaluatedItems" in value
        result.merge(inner)
    for keyword in SCHEMA_LISTS:
        branches = schema.get(keyword)
        if keyword == "prefixItems" or not isinstance(branches, list):
            continue
        for i, branch in enumerate(branches):
            inner = sub(branch, keyword, i)
            if keyword == "allOf":
                result.merge(inner)
            else:
                result.when_valid.append((branch, at(site, (keyword, i)), inner))
    if "if" in schema:
        chosen = sub(schema["if"], "if")
        if "then" in schema:
            chosen.merge(sub(schema["then"], "then"))
        otherwise = sub(schema["else"], "else") if "else" in schema else Evaluated[S]()
        result.conditions.append((schema["if"], at(site, ("if",)), chosen, otherwise))
    dependent = schema.get("dependentSchemas")
    if isinstance(dependent, dict):
        for name, value in dependent.items():
            result.dependent.append((name, sub(value, "dependentSchemas", name)))
    return result
