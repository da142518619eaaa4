"""Schema documents and their normal form for comparison.

A node of a schema is a conjunction of *fragments* (JSON pointers into one
document): the fragment written at a place, plus every fragment its ``$ref`` and
``allOf`` lead to. Its ``anyOf``/``oneOf`` make it a union of *alternatives*,
and each alternative is split by JSON type, so the rules compare like with
like: ``Optional[Settings]`` is an object alternative and a null alternative.

Every alternative remembers the fragments and branch choices that define it,
so ``jsonschema`` can check a value against exactly that alternative
(``{"allOf": [{"$ref": ...}, ...], "type": ...}``) - the rules' reasoning is
always confirmed by the real validator before anything is claimed.

Two views of each document exist. The *consumer* view is the schema as written:
what a validator accepts. The *producer* view (``extra_properties = "declared"``,
the default) closes objects whose ``additionalProperties`` is left out, because
pydantic and zod models never produce undeclared properties: callers built from
OLD's schema send only declared fields, and the app emits only declared fields.
An explicit ``additionalProperties: true`` (pydantic ``extra="allow"``) stays open.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from schemagen.errors import ManifestError
from schemagen.schema.keywords import (
    DEFS_KEYWORDS,
    NUMBER_KEYWORDS,
    STRING_ANNOTATIONS,
    STRING_KEYWORDS,
    TYPE_NAMES,
)
from schemagen.schema.pointers import join, ref_pointer, resolve_pointer, unescape
from schemagen.schema.producer import closable_objects, closed_objects
from schemagen.schema.values import canonical, json_equal, json_type
from schemagen.schema.walk import subschemas

Locs = tuple[str, ...]
ExtraMode = Literal["declared", "schema"]
Label = Literal["old", "new"]

# Virtual fragments: an absent ``items`` or ``additionalProperties`` is `true`.
TRUE_LOC = "<true>"
FALSE_LOC = "<false>"

# The alternatives' types: ``number`` alternatives say whether they are integral.
TYPES = tuple(t for t in TYPE_NAMES if t != "integer")
_JSON_TYPES = frozenset(TYPE_NAMES)

_NUMBER_KW = NUMBER_KEYWORDS
_STRING_KW = STRING_KEYWORDS + STRING_ANNOTATIONS
# What the diff reasons about (the rest of each family is unsupported, below).
_ARRAY_KW = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")
_OBJECT_KW = ("properties", "required", "additionalProperties", "minProperties", "maxProperties")
# Keywords schemagen does not reason about; jsonschema still applies them, and a
# change to them is reported (and searched for a witness) as such.
_UNSUPPORTED_ANY = ("not", "if", "then", "else", "$dynamicRef", "$recursiveRef")
_UNSUPPORTED_BY_TYPE = {
    "array": ("contains", "minContains", "maxContains", "unevaluatedItems", "additionalItems"),
    "object": (
        "patternProperties",
        "propertyNames",
        "unevaluatedProperties",
        "dependentRequired",
        "dependentSchemas",
        "dependencies",
    ),
}
UNSUPPORTED_KEYWORDS = frozenset(
    _UNSUPPORTED_ANY + tuple(k for ks in _UNSUPPORTED_BY_TYPE.values() for k in ks)
)
# Keywords that constrain values (a fragment without any is annotation only).
_ASSERTIONS = frozenset(
    ("type", "enum", "const", "anyOf", "oneOf")
    + _NUMBER_KW
    + _STRING_KW
    + _ARRAY_KW
    + _OBJECT_KW
    + tuple(UNSUPPORTED_KEYWORDS)
)
MAX_ALTERNATIVES = 64


def display(loc: str) -> str:
    """A location as a URI fragment (``#/$defs/Model``)."""
    return "#" + loc


# ---------------------------------------------------------------- JSON values


# Characters JSON leaves raw that terminals, GitHub and Markdown take as line breaks.
_LINE_BREAKS = {ord(c): f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"}


def json_text(value: Any, separators: tuple[str, str] = (",", ":")) -> str:
    """``value`` as one line of JSON (non-ASCII kept, line-breaking characters escaped)."""
    return json.dumps(value, ensure_ascii=False, separators=separators).translate(_LINE_BREAKS)


def short(value: Any, limit: int = 80) -> str:
    """A value as compact JSON for a message, shortened."""
    text = json_text(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_matches(value: Any, alt_type: str, integral: bool) -> bool:
    t = json_type(value)
    if alt_type == "number":
        return t == "integer" or (t == "number" and not integral)
    return t == alt_type


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class Union:
    """An ``anyOf``/``oneOf`` keyword: where it is and its branch fragments."""

    loc: str
    kind: str
    branches: Locs


@dataclass(frozen=True)
class Flat:
    """A node's fragments with ``$ref`` and ``allOf`` followed, in reading order."""

    locs: Locs  # every fragment, the written one first (annotations are read here)
    asserting: Locs  # the fragments that constrain values: the node's identity
    unions: tuple[Union, ...]
    false: bool  # a `false` schema is among them: nothing is valid


@dataclass(frozen=True, eq=False)
class Alt:
    """One alternative of a node, restricted to one JSON type."""

    doc: SchemaDoc
    type: str
    integral: bool
    locs: Locs  # the conjunction that defines it (for validation)
    frags: Locs  # every fragment in reading order (for annotations)
    branch: Locs  # the union branches chosen (their fragments)
    enum: tuple[Any, ...] | None
    kw: Mapping[str, Any]
    unsupported: frozenset[str]
    props: Mapping[str, Locs] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    # additionalProperties: True, False, or the fragments of its schema.
    extras: bool | Locs = True
    extras_explicit: bool = False
    producer_extras: bool | Locs = True
    items: Locs | None = None
    prefix: tuple[Locs, ...] = ()
    ref_names: tuple[str, ...] = ()

    @property
    def json_type(self) -> str:
        """The type keyword that restricts a value to this alternative."""
        if self.type == "number" and self.integral:
            return "integer"
        return self.type

    def annotation(self, keyword: str) -> Any:
        for loc in self.frags:
            raw = self.doc.at(loc)
            if isinstance(raw, dict) and keyword in raw:
                return raw[keyword]
        return None

    def branch_annotation(self, keyword: str) -> Any:
        """An annotation written inside the union branch this alternative came from."""
        if not self.branch:
            return None
        seen_branch = False
        for loc in self.frags:
            if loc in self.branch:
                seen_branch = True
            if not seen_branch:
                continue
            raw = self.doc.at(loc)
            if isinstance(raw, dict) and keyword in raw:
                return raw[keyword]
        return None

    def lower(self) -> tuple[float, bool] | None:
        """The lower bound (value, exclusive) after merging, if any."""
        bound: tuple[float, bool] | None = self.kw.get("lower")
        return bound

    def upper(self) -> tuple[float, bool] | None:
        bound: tuple[float, bool] | None = self.kw.get("upper")
        return bound


class SchemaDoc:
    """One JSON Schema document (an input, output or setup schema) of one version."""

    def __init__(self, schema: Any, *, uri: str, label: Label, mode: ExtraMode) -> None:
        if not isinstance(schema, (dict, bool)):
            raise ManifestError(f"{uri}: a schema must be an object or a boolean")
        self.schema = schema
        self.uri = uri
        self.label = label
        self.mode = mode
        self._at: dict[str, Any] = {}
        self._flat: dict[Locs, Flat] = {}
        self._alts: dict[Locs, tuple[Alt, ...]] = {}
        for loc, node, _ in subschemas(schema):
            if isinstance(node, dict) and "$ref" in node:
                self.ref_target(loc, node["$ref"])  # fail early, with a clear message
        self.closed: frozenset[str] = (
            frozenset(closable_objects(schema)) if mode == "declared" else frozenset()
        )
        self.producer_schema = closed_objects(schema, self.closed)

    def __repr__(self) -> str:
        return f"SchemaDoc({self.uri})"

    # -- fragments

    def at(self, loc: str) -> Any:
        """The fragment at a JSON pointer (``""`` is the root)."""
        if loc == TRUE_LOC:
            return True
        if loc == FALSE_LOC:
            return False
        if loc in self._at:
            return self._at[loc]
        try:
            node = resolve_pointer(self.schema, loc)
        except LookupError:
            raise ManifestError(f"{self.uri}: no schema at {display(loc)}") from None
        self._at[loc] = node
        return node

    def ref_target(self, loc: str, ref: Any) -> str:
        target = ref_pointer(ref) if isinstance(ref, str) else None
        if target is None:
            raise ManifestError(
                f"{self.uri}: unsupported $ref {ref!r} at {display(loc)}",
                hint="only references inside the document (#/...) are supported",
            )
        if target and not target.startswith("/"):
            raise ManifestError(f"{self.uri}: unsupported $ref {ref!r} at {display(loc)}")
        try:
            self.at(target)
        except ManifestError:
            raise ManifestError(
                f"{self.uri}: $ref {ref!r} at {display(loc)} points to nothing"
            ) from None
        return target

    def flatten(self, locs: Iterable[str]) -> Flat:
        """Follow ``$ref`` and ``allOf`` from ``locs``; guard against cycles."""
        key = tuple(locs)
        cached = self._flat.get(key)
        if cached is not None:
            return cached
        order: list[str] = []
        unions: list[Union] = []
        false = False
        seen: set[str] = set()

        def visit(loc: str) -> None:
            nonlocal false
            if loc in seen:
                return
            seen.add(loc)
            raw = self.at(loc)
            if raw is False:
                false = True
                return
            if raw is True:
                return
            if not isinstance(raw, dict):
                raise ManifestError(f"{self.uri}: not a schema at {display(loc)}")
            order.append(loc)
            for kind in ("anyOf", "oneOf"):
                branches = raw.get(kind)
                if isinstance(branches, list):
                    unions.append(
                        Union(loc, kind, tuple(join(loc, kind, i) for i in range(len(branches))))
                    )
            if "$ref" in raw:
                visit(self.ref_target(loc, raw["$ref"]))
            members = raw.get("allOf")
            if isinstance(members, list):
                for i in range(len(members)):
                    visit(join(loc, "allOf", i))

        for loc in key:
            visit(loc)
        asserting = tuple(loc for loc in order if any(k in _ASSERTIONS for k in self.at(loc)))
        flat = Flat(tuple(order), asserting, tuple(unions), false)
        self._flat[key] = flat
        return flat

    # -- alternatives

    def alternatives(self, flat: Flat) -> tuple[Alt, ...]:
        """The node's typed alternatives (empty when nothing is valid)."""
        key = flat.locs + (("<false>",) if flat.false else ())
        cached = self._alts.get(key)
        if cached is not None:
            return cached
        out: list[Alt] = []
        if not flat.false:
            self._expand(list(flat.locs), list(flat.unions), (), out)
        result = _prune(out)
        self._alts[key] = result
        return result

    def _expand(
        self,
        locs: list[str],
        unions: list[Union],
        branch: Locs,
        out: list[Alt],
    ) -> None:
        if len(out) > MAX_ALTERNATIVES:
            raise ManifestError(
                f"{self.uri}: more than {MAX_ALTERNATIVES} union alternatives",
                hint="schemagen diff compares unions of up to that many alternatives",
            )
        if not unions:
            out.extend(self._typed(tuple(locs), branch))
            return
        union, rest = unions[0], unions[1:]
        for loc in union.branches:
            inner = self.flatten((loc,))
            if inner.false:
                continue
            merged = locs + [x for x in inner.locs if x not in locs]
            self._expand(merged, rest + list(inner.unions), branch + (loc,), out)

    def _typed(self, locs: Locs, branch: Locs) -> list[Alt]:
        raws = [(loc, self.at(loc)) for loc in locs]
        allowed = set(_JSON_TYPES)
        enum: list[Any] | None = None
        for _, raw in raws:
            if "type" in raw:
                declared = raw["type"]
                names = {declared} if isinstance(declared, str) else set(declared)
                if "number" in names:
                    names.add("integer")
                allowed &= names
            for values in ([raw["const"]] if "const" in raw else None, raw.get("enum")):
                if isinstance(values, list):
                    enum = (
                        list(values)
                        if enum is None
                        else [v for v in enum if any(json_equal(v, w) for w in values)]
                    )
        if enum is not None:
            types: set[str] = set()
            for value in enum:
                t = json_type(value)
                types |= {"integer", "number"} if t == "integer" else {t}
            allowed &= types
        alts = []
        asserting = tuple(loc for loc, raw in raws if any(k in _ASSERTIONS for k in raw))
        for t in TYPES:
            if t == "number":
                if "integer" not in allowed and "number" not in allowed:
                    continue
                integral = "number" not in allowed
            elif t not in allowed:
                continue
            else:
                integral = False
            values = (
                None if enum is None else tuple(v for v in enum if _type_matches(v, t, integral))
            )
            if values == ():
                continue
            alts.append(self._alt(t, integral, asserting, locs, branch, values))
        return alts

    def _alt(
        self,
        t: str,
        integral: bool,
        asserting: Locs,
        locs: Locs,
        branch: Locs,
        enum: tuple[Any, ...] | None,
    ) -> Alt:
        raws = [(loc, self.at(loc)) for loc in locs]
        kw: dict[str, Any] = {}
        unsupported: set[str] = {k for _, raw in raws for k in _UNSUPPORTED_ANY if k in raw}
        unsupported |= {k for _, raw in raws for k in _UNSUPPORTED_BY_TYPE.get(t, ()) if k in raw}
        ref_names = tuple(
            unescape(loc.split("/")[2])
            for loc in locs
            if loc.count("/") == 2 and loc.split("/")[1] in DEFS_KEYWORDS
        )
        extra: dict[str, Any] = {}
        if t == "number":
            kw.update(_number_keywords(raws))
        elif t == "string":
            kw.update(_string_keywords(raws))
        elif t == "array":
            kw.update(_bound_keywords(raws, "minItems", "maxItems"))
            kw["uniqueItems"] = any(raw.get("uniqueItems") is True for _, raw in raws)
            extra.update(self._array_shape(raws, unsupported))
        elif t == "object":
            kw.update(_bound_keywords(raws, "minProperties", "maxProperties"))
            extra.update(self._object_shape(raws, unsupported))
        return Alt(
            doc=self,
            type=t,
            integral=integral,
            locs=asserting,
            frags=locs,
            branch=branch,
            enum=enum,
            kw=kw,
            unsupported=frozenset(unsupported),
            ref_names=ref_names,
            **extra,
        )

    def _array_shape(self, raws: list[tuple[str, Any]], unsupported: set[str]) -> dict[str, Any]:
        items = [
            join(loc, "items") for loc, raw in raws if isinstance(raw.get("items"), (dict, bool))
        ]
        if any(isinstance(raw.get("items"), list) for _, raw in raws):
            unsupported.add("items")
        holders = [(loc, raw) for loc, raw in raws if "prefixItems" in raw or "items" in raw]
        prefixes = [
            (loc, raw["prefixItems"])
            for loc, raw in raws
            if isinstance(raw.get("prefixItems"), list)
        ]
        if (
            len({len(p) for _, p in prefixes} | ({0} if len(holders) > len(prefixes) else set()))
            > 1
        ):
            unsupported.add("prefixItems")
        length = max((len(p) for _, p in prefixes), default=0)
        prefix = tuple(
            tuple(join(loc, "prefixItems", i) for loc, p in prefixes if i < len(p))
            for i in range(length)
        )
        return {"items": tuple(items) if items else None, "prefix": prefix}

    def _object_shape(self, raws: list[tuple[str, Any]], unsupported: set[str]) -> dict[str, Any]:
        props: dict[str, list[str]] = {}
        required: set[str] = set()
        for loc, raw in raws:
            declared = raw.get("properties")
            if isinstance(declared, dict):
                for name in declared:
                    props.setdefault(name, []).append(join(loc, "properties", name))
            if isinstance(raw.get("required"), list):
                required |= {r for r in raw["required"] if isinstance(r, str)}
        holders = [
            (loc, raw) for loc, raw in raws if "properties" in raw or "additionalProperties" in raw
        ]
        extras: bool | Locs = True
        explicit = False
        producer: bool | Locs = True
        if len(holders) == 1:
            loc, raw = holders[0]
            if "additionalProperties" in raw:
                explicit = True
                ap = raw["additionalProperties"]
                extras = ap if isinstance(ap, bool) else (join(loc, "additionalProperties"),)
            producer = False if loc in self.closed else extras
        elif holders:
            if any(raw.get("additionalProperties", True) is not True for _, raw in holders):
                unsupported.add("additionalProperties")
            explicit = any("additionalProperties" in raw for _, raw in holders)
            producer = False if any(loc in self.closed for loc, _ in holders) else True
        return {
            "props": {k: tuple(v) for k, v in props.items()},
            "required": frozenset(required),
            "extras": extras,
            "extras_explicit": explicit,
            "producer_extras": producer,
        }


def _unconstrained(alt: Alt) -> bool:
    """Whether ``alt`` accepts every value of its JSON type (in both views)."""
    if alt.enum is not None or alt.unsupported or alt.integral:
        return False
    if any(v not in (None, False, ()) for v in alt.kw.values()):
        return False
    if alt.type == "object":
        return (
            not alt.props
            and not alt.required
            and alt.extras is True
            and alt.producer_extras is True
        )
    if alt.type == "array":
        return alt.items is None and not alt.prefix
    return True


def _signature(alt: Alt) -> str:
    """Equal signatures: alternatives with the same constraints (duplicates in a union)."""
    at = alt.doc.at
    return canonical(
        [
            alt.type,
            alt.integral,
            None if alt.enum is None else [canonical(v) for v in alt.enum],
            sorted((k, canonical(v)) for k, v in alt.kw.items()),
            {k: [at(loc) for loc in locs] for k, locs in alt.props.items()},
            sorted(alt.required),
            alt.extras if isinstance(alt.extras, bool) else [at(loc) for loc in alt.extras],
            alt.producer_extras if isinstance(alt.producer_extras, bool) else True,
            None if alt.items is None else [at(loc) for loc in alt.items],
            [[at(loc) for loc in locs] for locs in alt.prefix],
            sorted((k, canonical([at(loc).get(k) for loc in alt.frags])) for k in alt.unsupported),
        ]
    )


def _prune(alts: list[Alt]) -> tuple[Alt, ...]:
    """Drop alternatives another one of the same node already covers.

    Only the pairing of alternatives uses this; what a node accepts is always
    checked against its fragments, so a dropped duplicate changes no verdict.
    """
    free = {a.type for a in alts if _unconstrained(a)}
    kept: list[Alt] = []
    seen: set[str] = set()
    for alt in alts:
        if alt.type in free and not _unconstrained(alt):
            continue
        signature = _signature(alt)
        if signature in seen:
            continue
        seen.add(signature)
        kept.append(alt)
    return tuple(kept)


def _bound_keywords(raws: list[tuple[str, Any]], low: str, high: str) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    lows = [raw[low] for _, raw in raws if isinstance(raw.get(low), (int, float))]
    highs = [raw[high] for _, raw in raws if isinstance(raw.get(high), (int, float))]
    if lows:
        kw[low] = max(lows)
    if highs:
        kw[high] = min(highs)
    return kw


def _string_keywords(raws: list[tuple[str, Any]]) -> dict[str, Any]:
    kw = _bound_keywords(raws, "minLength", "maxLength")
    kw["pattern"] = tuple(raw["pattern"] for _, raw in raws if isinstance(raw.get("pattern"), str))
    formats: list[str] = []
    for _, raw in raws:
        if isinstance(raw.get("format"), str) and raw["format"] not in formats:
            formats.append(raw["format"])
    kw["format"] = tuple(formats)
    for name in ("contentMediaType", "contentEncoding"):
        values = [raw[name] for _, raw in raws if name in raw]
        kw[name] = values[0] if values else None
    return kw


def _number_keywords(raws: list[tuple[str, Any]]) -> dict[str, Any]:
    lower: tuple[float, bool] | None = None
    upper: tuple[float, bool] | None = None
    multiples: list[float] = []
    for _, raw in raws:
        for name, excl in (("minimum", False), ("exclusiveMinimum", True)):
            v = raw.get(name)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                cand = (v, excl)
                if lower is None or v > lower[0] or (v == lower[0] and excl):
                    lower = cand
        for name, excl in (("maximum", False), ("exclusiveMaximum", True)):
            v = raw.get(name)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                cand = (v, excl)
                if upper is None or v < upper[0] or (v == upper[0] and excl):
                    upper = cand
        m = raw.get("multipleOf")
        if isinstance(m, (int, float)) and not isinstance(m, bool) and m > 0 and m not in multiples:
            multiples.append(m)
    return {"lower": lower, "upper": upper, "multipleOf": tuple(multiples)}
