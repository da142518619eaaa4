"""Rules on bounds: numeric minimum/maximum (exclusive or not) and multipleOf,
string length, array length, object property count.

Bounds are compared in the domain of the version whose values are at stake:
for integers, ``exclusiveMinimum: 0`` and ``minimum: 1`` are the same bound.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from schemagen.diff.model import Direction, Effect
from schemagen.diff.nodes import Alt
from schemagen.diff.registry import Change, alt_check, change

if TYPE_CHECKING:
    from schemagen.diff.walker import AltPair

FAMILY = "bounds"
Bound = tuple[float, bool] | None


def _pair(
    name: str, what: str, narrows: str, widens: str, keywords: tuple[str, ...]
) -> tuple[Change, Change]:
    return (
        change(
            f"{name}-{narrows}",
            family=FAMILY,
            effect=Effect.NARROWS,
            summary=f"the {what} is stricter",
            keywords=keywords,
        ),
        change(
            f"{name}-{widens}",
            family=FAMILY,
            effect=Effect.WIDENS,
            summary=f"the {what} is looser",
            keywords=keywords,
        ),
    )


MINIMUM_INCREASED, MINIMUM_DECREASED = _pair(
    "minimum", "numeric lower bound", "increased", "decreased", ("minimum", "exclusiveMinimum")
)
MAXIMUM_DECREASED, MAXIMUM_INCREASED = _pair(
    "maximum", "numeric upper bound", "decreased", "increased", ("maximum", "exclusiveMaximum")
)
MULTIPLE_OF_NARROWED, MULTIPLE_OF_WIDENED = _pair(
    "multiple-of", "multipleOf step", "narrowed", "widened", ("multipleOf",)
)
MIN_LENGTH_INCREASED, MIN_LENGTH_DECREASED = _pair(
    "min-length", "minimum string length", "increased", "decreased", ("minLength",)
)
MAX_LENGTH_DECREASED, MAX_LENGTH_INCREASED = _pair(
    "max-length", "maximum string length", "decreased", "increased", ("maxLength",)
)
MIN_ITEMS_INCREASED, MIN_ITEMS_DECREASED = _pair(
    "min-items", "minimum array length", "increased", "decreased", ("minItems",)
)
MAX_ITEMS_DECREASED, MAX_ITEMS_INCREASED = _pair(
    "max-items", "maximum array length", "decreased", "increased", ("maxItems",)
)
MIN_PROPERTIES_INCREASED, MIN_PROPERTIES_DECREASED = _pair(
    "min-properties",
    "minimum property count",
    "increased",
    "decreased",
    ("minProperties", "required"),
)
MAX_PROPERTIES_DECREASED, MAX_PROPERTIES_INCREASED = _pair(
    "max-properties", "maximum property count", "decreased", "increased", ("maxProperties",)
)


def _fmt_bound(bound: Bound, lower: bool) -> str:
    if bound is None:
        return "none"
    value, exclusive = bound
    word = (
        ("exclusiveMinimum" if lower else "exclusiveMaximum")
        if exclusive
        else ("minimum" if lower else "maximum")
    )
    return f"{word} {_num(value)}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _as_integer(bound: Bound, lower: bool) -> Bound:
    """The same bound over integers, inclusive."""
    if bound is None:
        return None
    value, exclusive = bound
    if lower:
        return (math.floor(value) + 1 if exclusive else math.ceil(value), False)
    return (math.ceil(value) - 1 if exclusive else math.floor(value), False)


def _stricter(x: Bound, y: Bound, lower: bool) -> bool:
    """Whether bound ``x`` excludes values that bound ``y`` allows."""
    if x is None:
        return False
    if y is None:
        return True
    if x[0] != y[0]:
        return x[0] > y[0] if lower else x[0] < y[0]
    return x[1] and not y[1]


def _compare_bound(pair: AltPair, lower: bool) -> None:
    old, new = pair.old, pair.new
    get = Alt.lower if lower else Alt.upper
    narrows, widens = (
        (MINIMUM_INCREASED, MINIMUM_DECREASED)
        if lower
        else (
            MAXIMUM_DECREASED,
            MAXIMUM_INCREASED,
        )
    )
    message = f"{_fmt_bound(get(old), lower)} -> {_fmt_bound(get(new), lower)}"
    for direction, kind, domain in (
        (Direction.OLD_ONLY, narrows, old),
        (Direction.NEW_ONLY, widens, new),
    ):
        ob, nb = get(old), get(new)
        if domain.integral:
            ob, nb = _as_integer(ob, lower), _as_integer(nb, lower)
        here, there = (nb, ob) if direction is Direction.OLD_ONLY else (ob, nb)
        if _stricter(here, there, lower):
            pair.report(kind, message, candidates=pair.contrasting(direction))


def _steps(alt: Alt) -> list[float]:
    return list(alt.kw.get("multipleOf", ())) + ([1] if alt.integral else [])


def _divides(step: float, value: float) -> bool:
    quotient = value / step
    return math.isfinite(quotient) and abs(quotient - round(quotient)) < 1e-9


def _multiple_of(pair: AltPair) -> None:
    old, new = pair.old, pair.new
    mo, mn = old.kw.get("multipleOf", ()), new.kw.get("multipleOf", ())
    if tuple(mo) == tuple(mn):
        return
    message = (
        f"multipleOf {', '.join(map(_num, mo)) or 'none'} -> {', '.join(map(_num, mn)) or 'none'}"
    )
    # NEW's step m narrows OLD when some OLD value is not a multiple of m: OLD's
    # values are multiples of each of OLD's steps, so m must divide one of them.
    if any(not any(_divides(m, s) for s in _steps(old)) for m in mn):
        pair.report(MULTIPLE_OF_NARROWED, message, candidates=pair.contrasting(Direction.OLD_ONLY))
    if any(not any(_divides(m, s) for s in _steps(new)) for m in mo):
        pair.report(MULTIPLE_OF_WIDENED, message, candidates=pair.contrasting(Direction.NEW_ONLY))


@alt_check("number")
def check_number_bounds(pair: AltPair) -> None:
    if pair.enum_decides:
        return
    _compare_bound(pair, lower=True)
    _compare_bound(pair, lower=False)
    _multiple_of(pair)


_COUNTS = {
    "string": (
        "minLength",
        "maxLength",
        MIN_LENGTH_INCREASED,
        MIN_LENGTH_DECREASED,
        MAX_LENGTH_DECREASED,
        MAX_LENGTH_INCREASED,
    ),
    "array": (
        "minItems",
        "maxItems",
        MIN_ITEMS_INCREASED,
        MIN_ITEMS_DECREASED,
        MAX_ITEMS_DECREASED,
        MAX_ITEMS_INCREASED,
    ),
    "object": (
        "minProperties",
        "maxProperties",
        MIN_PROPERTIES_INCREASED,
        MIN_PROPERTIES_DECREASED,
        MAX_PROPERTIES_DECREASED,
        MAX_PROPERTIES_INCREASED,
    ),
}


@alt_check("string", "array", "object")
def check_count_bounds(pair: AltPair) -> None:
    if pair.enum_decides:
        return
    low, high, low_up, low_down, high_down, high_up = _COUNTS[pair.old.type]
    lo_old, lo_new = pair.old.kw.get(low, 0), pair.new.kw.get(low, 0)
    if pair.old.type == "object" and pair.old.kw.get(low) != pair.new.kw.get(low):
        # Required properties are present anyway: they count towards the minimum.
        lo_old, lo_new = max(lo_old, len(pair.old.required)), max(lo_new, len(pair.new.required))
    elif pair.old.type == "object":
        lo_old = lo_new
    hi_old, hi_new = pair.old.kw.get(high, math.inf), pair.new.kw.get(high, math.inf)
    if lo_new > lo_old:
        pair.report(
            low_up,
            f"{low} {_num(lo_old)} -> {_num(lo_new)}",
            candidates=pair.contrasting(Direction.OLD_ONLY),
        )
    elif lo_new < lo_old:
        pair.report(
            low_down,
            f"{low} {_num(lo_old)} -> {_num(lo_new)}",
            candidates=pair.contrasting(Direction.NEW_ONLY),
        )
    if hi_new < hi_old:
        pair.report(
            high_down,
            f"{high} {_fmt_count(hi_old)} -> {_fmt_count(hi_new)}",
            candidates=pair.contrasting(Direction.OLD_ONLY),
        )
    elif hi_new > hi_old:
        pair.report(
            high_up,
            f"{high} {_fmt_count(hi_old)} -> {_fmt_count(hi_new)}",
            candidates=pair.contrasting(Direction.NEW_ONLY),
        )


def _fmt_count(value: float) -> str:
    return "none" if value == math.inf else _num(value)
