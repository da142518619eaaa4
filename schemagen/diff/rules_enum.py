"""Rules on ``enum`` and ``const`` (a const is an enum of one value).

The values compared are the ones each version really accepts: an enum value
that another keyword of the same schema rejects does not count.
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING, Any

from schemagen.diff.model import Direction, Effect
from schemagen.diff.nodes import TYPES, short
from schemagen.diff.registry import Change, alt_check, change

if TYPE_CHECKING:
    from schemagen.diff.walker import AltPair

FAMILY = "enum"

ENUM_VALUE_REMOVED = change(
    "enum-value-removed",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="a value of an enum (or a const) is no longer accepted",
)
ENUM_VALUE_ADDED = change(
    "enum-value-added",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="an enum (or a const) accepts a value it did not",
)
BECAME_ENUM = change(
    "became-enum",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="values are now restricted to an enum (or a const)",
)
NO_LONGER_ENUM = change(
    "no-longer-enum",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="values are no longer restricted to an enum (or a const)",
)

_SEARCH = 80


def _listing(values: list[Any]) -> str:
    shown = ", ".join(short(v, 40) for v in values[:5])
    return shown + (f" and {len(values) - 5} more" if len(values) > 5 else "")


@alt_check(*TYPES)
def check_enum(pair: AltPair) -> None:
    if pair.old.enum is None and pair.new.enum is None:
        return
    for direction, kind in (
        (Direction.OLD_ONLY, ENUM_VALUE_REMOVED),
        (Direction.NEW_ONLY, ENUM_VALUE_ADDED),
    ):
        if pair.accepting(direction).enum is not None:
            _values_gone(pair, direction, kind)
        else:
            _restricted(pair, direction)


def _values_gone(pair: AltPair, direction: Direction, kind: Change) -> None:
    """Enum values the accepting side takes and the other side's node rejects."""
    alt = pair.accepting(direction)
    values = [v for v in alt.enum or () if pair.values(direction).alt_accepts(alt, v)]
    gone = [v for v in values if pair.node.proves(direction, v)]
    if gone:
        noun = "value" if len(gone) == 1 else "values"
        text = f"{noun} {_listing(gone)} no longer accepted"
        if direction is Direction.NEW_ONLY:
            text = f"new {noun} {_listing(gone)}"
        pair.report(kind, text, candidates=lambda d: gone if d is direction else ())


def _restricted(pair: AltPair, direction: Direction) -> None:
    """One side has an enum, the other not: report when the free side has more."""
    found = [v for v in islice(pair.contrast(direction), _SEARCH) if pair.node.proves(direction, v)]
    if not found:
        return
    enum_side = pair.new if direction is Direction.OLD_ONLY else pair.old
    listing = _listing(list(enum_side.enum or ()))
    if direction is Direction.OLD_ONLY:
        pair.report(
            BECAME_ENUM,
            f"only {listing} accepted now",
            candidates=lambda d: found if d is direction else (),
        )
    else:
        pair.report(
            NO_LONGER_ENUM,
            f"no longer restricted to {listing}",
            candidates=lambda d: found if d is direction else (),
        )
