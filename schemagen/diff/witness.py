"""Concrete JSON values: building them from schemas and checking them with jsonschema.

Nothing the diff claims as breaking rests on schemagen's own reasoning alone:
a witness is a whole input (or output, or setup) document that ``jsonschema``
(Draft 2020-12) accepts under one version and rejects under the other, with
the formats below asserted.

``Validation`` checks values against fragments of one document, in the consumer
view (the schema as written) or the producer view (see ``nodes``). ``Values``
builds valid values for a node: simple ones first (they make readable
witnesses), then values near the bounds that matter for a comparison.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import cache
from typing import Any, Literal
from urllib.parse import quote

import jsonschema
import referencing
from jsonschema.exceptions import ValidationError, best_match
from referencing.jsonschema import DRAFT202012

from schemagen.diff.nodes import FALSE_LOC, TRUE_LOC, Alt, Locs, SchemaDoc
from schemagen.diff.regex_samples import regex_samples
from schemagen.schema.pointers import join
from schemagen.schema.values import json_equal

View = Literal["consumer", "producer"]

# ---------------------------------------------------------------- formats

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_ip(
    kind: type[ipaddress.IPv4Address] | type[ipaddress.IPv6Address],
) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            kind(text)
        except ValueError:
            return False
        return True

    return check


# The formats schemagen asserts, identically everywhere (no optional packages).
# ``file`` is the SDK's File: on the wire a URL or a data URI, i.e. a string with
# a URI scheme. Other formats are annotations, as JSON Schema says by default.
FORMATS: dict[str, Callable[[str], bool]] = {
    "file": lambda s: bool(_SCHEME.match(s)),
    "uri": lambda s: bool(_SCHEME.match(s)),
    "date-time": lambda s: bool(_DATE_TIME.match(s)),
    "date": _is_date,
    "time": lambda s: bool(_TIME.match(s)),
    "email": lambda s: bool(_EMAIL.match(s)),
    "uuid": lambda s: bool(_UUID.match(s)),
    "ipv4": _is_ip(ipaddress.IPv4Address),
    "ipv6": _is_ip(ipaddress.IPv6Address),
    "duration": lambda s: bool(_DURATION.match(s)),
}
FORMAT_SAMPLES: dict[str, tuple[str, ...]] = {
    "file": ("https://example.com/file.png", "data:text/plain;base64,aGk="),
    "uri": ("https://example.com/", "urn:x"),
    "date-time": ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00+02:00"),
    "date": ("2024-01-01",),
    "time": ("12:00:00Z", "12:00:00"),
    "email": ("user@example.com",),
    "uuid": ("00000000-0000-4000-8000-000000000000",),
    "ipv4": ("127.0.0.1",),
    "ipv6": ("::1",),
    "duration": ("P1D", "PT1H"),
}


@cache
def format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(lambda value, check=check: not isinstance(value, str) or check(value))
    return checker


def asserted_format(name: str) -> bool:
    return name in FORMATS


def is_valid(schema: Any, value: Any) -> bool:
    """Validity as the diff defines it: Draft 2020-12 with schemagen's formats."""
    return root_validator(schema).is_valid(value)


def root_validator(schema: Any) -> jsonschema.protocols.Validator:
    """A validator for a whole document (refs inside it resolve against it)."""
    if isinstance(schema, dict) and "$id" in schema:
        schema = {k: v for k, v in schema.items() if k != "$id"}
    validator: jsonschema.protocols.Validator = jsonschema.Draft202012Validator(
        schema, format_checker=format_checker()
    )
    return validator


def describe_error(error: ValidationError) -> tuple[str, str]:
    """A validation error as (message, JSON pointer into the value)."""
    message = error.message
    if len(message) > 300:
        message = message[:297] + "..."
    pointer = join("", *error.absolute_path)
    return message, pointer


# ---------------------------------------------------------------- validation


class Validation:
    """``jsonschema`` checks of values against one document's fragments."""

    def __init__(self, doc: SchemaDoc) -> None:
        self.doc = doc
        self._uris = {"consumer": doc.uri, "producer": doc.uri + ":producer"}
        schemas = {"consumer": doc.schema, "producer": doc.producer_schema}
        self._schemas = {
            view: ({k: v for k, v in s.items() if k != "$id"} if isinstance(s, dict) else s)
            for view, s in schemas.items()
        }
        self._registry: referencing.Registry[Any] = referencing.Registry().with_resources(
            (self._uris[view], DRAFT202012.create_resource(self._schemas[view]))
            for view in ("consumer", "producer")
        )
        self._roots: dict[str, jsonschema.protocols.Validator] = {}
        self._validators: dict[tuple[str, Locs, str | None], jsonschema.protocols.Validator] = {}

    def root(self, view: View) -> jsonschema.protocols.Validator:
        if view not in self._roots:
            self._roots[view] = root_validator(self._schemas[view])
        return self._roots[view]

    def root_error(self, view: View, value: Any) -> ValidationError | None:
        validator = self.root(view)
        if validator.is_valid(value):
            return None
        error: ValidationError | None = best_match(validator.iter_errors(value))
        return error

    def accepts(self, view: View, locs: Locs, value: Any, json_type: str | None = None) -> bool:
        """Whether ``value`` satisfies every fragment in ``locs`` (and the type)."""
        key = (view, locs, json_type)
        validator = self._validators.get(key)
        if validator is None:
            if FALSE_LOC in locs:
                schema: Any = False
            else:
                refs = [
                    {"$ref": self._uris[view] + "#" + quote(loc, safe="/~$-_.!*'()")}
                    for loc in locs
                    if loc != TRUE_LOC
                ]
                schema = {"allOf": refs} if refs else {}
                if json_type is not None:
                    schema["type"] = json_type
            validator = jsonschema.Draft202012Validator(
                schema, registry=self._registry, format_checker=format_checker()
            )
            self._validators[key] = validator
        return bool(validator.is_valid(value))


# ---------------------------------------------------------------- values


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_ANY_VALUES: tuple[Any, ...] = (None, False, 0, 0.5, "a", [], {})


def _num(value: float) -> float:
    """A number as JSON would best show it (2.0 -> 2)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def number_points(alts: Sequence[Alt]) -> list[float]:
    """Numbers at and around the bounds and multiples of ``alts``."""
    points: list[float] = [0, 1, -1, 0.5, 2, 10, -10, 1.5, 100]
    for alt in alts:
        for bound in (alt.lower(), alt.upper()):
            if bound is not None:
                v = bound[0]
                points += [v, v + 1, v - 1, v + 0.5, v - 0.5, v + 0.25, v - 0.25, v + 2, v - 2]
        for m in alt.kw.get("multipleOf", ()):
            points += [m, -m, 2 * m, 3 * m, m / 2, m * 1.5]
    snapped: list[float] = []
    steps = [m for alt in alts for m in alt.kw.get("multipleOf", ())]
    for p in points:
        snapped.append(p)
        snapped += [math.floor(p), math.ceil(p)]
        for m in steps:
            snapped += [math.floor(p / m) * m, math.ceil(p / m) * m]
    out: list[float] = []
    for p in snapped:
        if not math.isfinite(p):
            continue
        v = _num(p)
        if not any(v == o and type(v) is type(o) for o in out):
            out.append(v)
    return out


def string_lengths(alts: Sequence[Alt]) -> list[int]:
    lengths = [0, 1, 3]
    for alt in alts:
        for name in ("minLength", "maxLength"):
            if name in alt.kw:
                n = int(alt.kw[name])
                lengths += [n, n - 1, n + 1]
    return sorted({n for n in lengths if 0 <= n <= 256})


def string_points(alt: Alt, hints: Sequence[Alt]) -> list[str]:
    """Strings worth trying for ``alt`` (some will not be valid: callers filter)."""
    texts: list[str] = []
    for pattern in alt.kw.get("pattern", ()):
        texts += regex_samples(pattern)
    for name in alt.kw.get("format", ()):
        texts += FORMAT_SAMPLES.get(name, ())
    for other in hints:
        for pattern in other.kw.get("pattern", ()):
            texts += regex_samples(pattern)[:4]
    lengths = string_lengths([alt, *hints])
    for n in lengths:
        texts += ["a" * n, ("ab" * n)[:n], "0" * n, " " * n, "A" * n]
    for seed in list(texts[:12]):
        if seed:
            texts += [seed + "!", "!" + seed, seed + seed[-1]]
            for n in lengths:
                if n > len(seed):
                    texts.append(seed + seed[-1] * (n - len(seed)))
    out: list[str] = []
    for text in texts:
        if text not in out:
            out.append(text)
    return out


class Values:
    """Valid values of one document's nodes, in one view."""

    def __init__(self, doc: SchemaDoc, validation: Validation, view: View) -> None:
        self.doc = doc
        self.validation = validation
        self.view: View = view
        self._examples: dict[Locs, tuple[Any, ...]] = {}
        self._first: dict[Locs, Any] = {}
        self._busy: set[Locs] = set()

    # -- checks

    def node_accepts(self, locs: Locs, value: Any) -> bool:
        flat = self.doc.flatten(locs)
        if flat.false:
            return False
        return self.validation.accepts(self.view, flat.asserting, value)

    def alt_accepts(self, alt: Alt, value: Any) -> bool:
        return self.validation.accepts(self.view, alt.locs, value, alt.json_type)

    # -- examples of a node

    def examples(self, locs: Locs) -> tuple[Any, ...]:
        """Some valid values of the node at ``locs``, simplest first (may be empty)."""
        cached = self._examples.get(locs)
        if cached is not None:
            return cached
        if locs in self._busy:
            return ()  # a recursive schema: the caller picks a non-recursive option
        self._busy.add(locs)
        found: list[Any] = []
        try:
            flat = self.doc.flatten(locs)
            for alt in self.doc.alternatives(flat):
                for value in self.alt_examples(alt, limit=3):
                    if len(found) >= 8:
                        break
                    if not any(json_equal(value, f) for f in found) and self.node_accepts(
                        locs, value
                    ):
                        found.append(value)
        finally:
            self._busy.discard(locs)
        result = tuple(found)
        self._examples[locs] = result
        return result

    def first(self, locs: Locs) -> Any:
        """The simplest valid value of the node, or MISSING (cheaper than ``examples``)."""
        if locs in self._examples:
            found = self._examples[locs]
            return found[0] if found else MISSING
        if locs in self._first:
            return self._first[locs]
        if locs in self._busy:
            return MISSING
        self._busy.add(locs)
        result = MISSING
        try:
            flat = self.doc.flatten(locs)
            for alt in self.doc.alternatives(flat):
                for value in self.alt_examples(alt, limit=1):
                    if self.node_accepts(locs, value):
                        result = value
                        break
                if result is not MISSING:
                    break
        finally:
            self._busy.discard(locs)
        self._first[locs] = result
        return result

    # -- examples of one alternative

    def alt_examples(self, alt: Alt, *, limit: int = 6, hints: Sequence[Alt] = ()) -> list[Any]:
        """Valid values of ``alt``; ``hints`` add points near another schema's bounds."""
        out: list[Any] = []
        for value in self.alt_candidates(alt, hints):
            if len(out) >= limit:
                break
            if not any(json_equal(value, o) for o in out) and self.alt_accepts(alt, value):
                out.append(value)
        return out

    def alt_candidates(self, alt: Alt, hints: Sequence[Alt] = ()) -> Iterator[Any]:
        """Values worth trying for ``alt`` (not yet checked)."""
        if alt.enum is not None:
            yield from alt.enum
            return
        if alt.type == "null":
            yield None
        elif alt.type == "boolean":
            yield from (False, True)
        elif alt.type == "number":
            for p in number_points([alt, *hints]):
                if not alt.integral or float(p).is_integer():
                    yield _num(p)
        elif alt.type == "string":
            yield from string_points(alt, hints)
        elif alt.type == "array":
            yield from self._array_candidates(alt, hints)
        elif alt.type == "object":
            yield from self._object_candidates(alt, hints)

    def _item_examples(self, alt: Alt, index: int) -> tuple[Any, ...]:
        if index < len(alt.prefix):
            return self.examples(alt.prefix[index])
        if alt.items is None:
            return _ANY_VALUES
        return self.examples(alt.items)

    def array_of(self, alt: Alt, length: int, *, distinct: bool, head: Sequence[Any] = ()) -> Any:
        """An array of ``length`` items valid for each position, or MISSING."""
        items: list[Any] = list(head)
        for i in range(len(items), length):
            choices = self._item_examples(alt, i)
            if not choices:
                return MISSING
            pick = MISSING
            for c in choices:
                if not distinct or not any(json_equal(c, x) for x in items):
                    pick = c
                    break
            if pick is MISSING:
                return MISSING
            items.append(pick)
        return items

    def _array_candidates(self, alt: Alt, hints: Sequence[Alt]) -> Iterator[Any]:
        low = int(alt.kw.get("minItems", 0))
        lengths = {low, low + 1, max(low, len(alt.prefix)), 0, 1, 2}
        for other in (alt, *hints):
            for name in ("minItems", "maxItems"):
                if name in other.kw:
                    n = int(other.kw[name])
                    lengths |= {n - 1, n, n + 1}
        for n in sorted(x for x in lengths if 0 <= x <= 64):
            for distinct in (True, False):
                value = self.array_of(alt, n, distinct=distinct)
                if value is not MISSING:
                    yield value
        first = self._item_examples(alt, 0)
        if first:
            yield [first[0], first[0]]
            for other in first[1:3]:
                yield [other]

    def bases(
        self, alt: Alt, exclude: str | None = None, *, adding: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Objects for ``alt`` without ``exclude``: required only, then fuller.

        With ``adding``, the caller will add ``exclude`` itself, so it counts
        towards ``minProperties``.
        """
        order = list(alt.props) + sorted(k for k in alt.required if k not in alt.props)
        minimal: dict[str, Any] = {}
        for name in order:
            if name == exclude or name not in alt.required:
                continue
            value = self.property_example(alt, name)
            if value is MISSING:
                return
            minimal[name] = value
        low = int(alt.kw.get("minProperties", 0)) - (1 if adding and exclude is not None else 0)
        for name in order:
            if len(minimal) >= low:
                break
            if name != exclude and name not in minimal:
                value = self.property_example(alt, name)
                if value is not MISSING:
                    minimal[name] = value
        n = 0
        while len(minimal) < low and alt.producer_extras is not False and n < 64:
            key = f"extra_{n}"
            n += 1
            if key != exclude and key not in alt.props and key not in minimal:
                value = self.property_example(alt, key)
                if value is MISSING:
                    return
                minimal[key] = value
        yield _ordered(minimal, order)
        tagged = dict(minimal)
        for name, locs in alt.props.items():
            if name != exclude and name not in tagged:
                raw = [alt.doc.at(loc) for loc in locs]
                if any(
                    isinstance(r, dict) and ("const" in r or len(r.get("enum", ())) == 1)
                    for r in raw
                ):
                    value = self.property_example(alt, name)
                    if value is not MISSING:
                        tagged[name] = value
        if tagged != minimal:
            yield _ordered(tagged, order)
        full = dict(tagged)
        for name in alt.props:
            if name != exclude and name not in full:
                value = self.property_example(alt, name)
                if value is not MISSING:
                    full[name] = value
        if full != tagged:
            yield _ordered(full, order)

    def property_example(self, alt: Alt, name: str) -> Any:
        if name in alt.props:
            return self.first(alt.props[name])
        if alt.producer_extras is False:
            return MISSING
        if alt.producer_extras is True:
            return None
        return self.first(alt.producer_extras)

    def fresh_key(self, *alts: Alt) -> str:
        taken = {k for a in alts for k in (*a.props, *a.required)}
        name = "extra"
        n = 0
        while name in taken:
            n += 1
            name = f"extra_{n}"
        return name

    def _object_candidates(self, alt: Alt, hints: Sequence[Alt]) -> Iterator[Any]:
        bases = list(self.bases(alt))
        yield from bases
        if not bases:
            return
        base = bases[0]
        for name in alt.props:
            if name not in base:
                value = self.property_example(alt, name)
                if value is not MISSING:
                    yield _ordered({**base, name: value}, list(alt.props))
        counts: set[int] = set()
        for other in (alt, *hints):
            for kw in ("minProperties", "maxProperties"):
                if kw in other.kw:
                    n = int(other.kw[kw])
                    counts |= {n - 1, n, n + 1}
        full = bases[-1]
        for n in sorted(c for c in counts if c >= 0):
            if n < len(full):
                yield dict(list(full.items())[:n])
            elif alt.producer_extras is not False:
                padded = dict(full)
                i = 0
                while len(padded) < n and i < 64:
                    key = f"extra_{i}"
                    value = self.property_example(alt, key)
                    if key not in alt.props and value is not MISSING:
                        padded[key] = value
                    i += 1
                yield padded
        if alt.producer_extras is not False:
            key = self.fresh_key(alt, *hints)
            extra = self.property_example(alt, key)
            if extra is not MISSING:
                yield {**base, key: extra}
            if alt.producer_extras is True:
                for value in _ANY_VALUES[1:]:
                    yield {**base, key: value}

    # -- many values, for the last-resort search

    def diverse(self, locs: Locs, depth: int = 0) -> Iterator[Any]:
        """A stream of values around the node, varying one place at a time (unchecked)."""
        if depth > 6 or locs in self._busy:
            return
        self._busy.add(locs)
        try:
            flat = self.doc.flatten(locs)
            for alt in self.doc.alternatives(flat):
                yield from self._diverse_alt(alt, depth)
        finally:
            self._busy.discard(locs)

    def _diverse_alt(self, alt: Alt, depth: int) -> Iterator[Any]:
        yield from self.alt_examples(alt, limit=12)
        if alt.enum is not None:
            return
        if alt.type == "object":
            bases = list(self.bases(alt))
            if not bases:
                return
            for base in bases[:2]:
                for name, locs in alt.props.items():
                    for n, value in enumerate(self.diverse(locs, depth + 1)):
                        if n >= 16:
                            break
                        yield _ordered({**base, name: value}, list(alt.props))
        elif alt.type == "array":
            positions = max(len(alt.prefix), 1)
            for index in range(positions):
                item = alt.prefix[index] if index < len(alt.prefix) else alt.items
                if item is None:
                    continue
                head = self.array_of(alt, index, distinct=True)
                if head is MISSING:
                    continue
                for n, value in enumerate(self.diverse(item, depth + 1)):
                    if n >= 16:
                        break
                    arr = self.array_of(
                        alt,
                        max(int(alt.kw.get("minItems", 0)), index + 1),
                        distinct=True,
                        head=[*head, value],
                    )
                    yield [*head, value] if arr is MISSING else arr


def _ordered(obj: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(obj.items(), key=lambda kv: rank.get(kv[0], len(rank))))
