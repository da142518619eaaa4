"""Rules on JSON types: a type accepted by one version only (``integer`` is a
subset of ``number``; ``null`` is nullability, as ``Optional[X]`` writes it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from schemagen.diff.model import Direction, Effect
from schemagen.diff.nodes import TYPES, Alt
from schemagen.diff.registry import change, node_check

if TYPE_CHECKING:
    from schemagen.diff.walker import NodePair

FAMILY = "types"

TYPE_REMOVED = change(
    "type-removed",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="a JSON type OLD accepted is no longer accepted",
)
TYPE_ADDED = change(
    "type-added",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="a JSON type is accepted that OLD did not",
)
TYPE_CHANGED = change(
    "type-changed",
    family=FAMILY,
    effect=Effect.BOTH,
    summary="the JSON type changed and neither version's types include the other's",
)
BECAME_NON_NULLABLE = change(
    "became-non-nullable",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="null is no longer accepted",
)
BECAME_NULLABLE = change(
    "became-nullable", family=FAMILY, effect=Effect.WIDENS, summary="null is now accepted"
)
NUMBER_BECAME_INTEGER = change(
    "number-became-integer",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="only integers are accepted where any number was",
)
INTEGER_BECAME_NUMBER = change(
    "integer-became-number",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="any number is accepted where only integers were",
)

_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")


def type_names(alts: tuple[Alt, ...]) -> set[str]:
    return {"integer" if a.type == "number" and a.integral else a.type for a in alts}


def describe_types(names: set[str]) -> str:
    if not names:
        return "nothing"
    if names >= set(TYPES):
        return "any"
    return "|".join(t for t in _ORDER if t in names)


def _covered(name: str, names: set[str]) -> bool:
    return name in names or (name == "integer" and "number" in names)


@node_check
def check_types(node: NodePair) -> None:
    old_names = type_names(node.old_alts)
    new_names = type_names(node.new_alts)
    removed = {t for t in old_names if not _covered(t, new_names)}
    added = {t for t in new_names if not _covered(t, old_names)}
    if not removed and not added:
        return
    message = f"type changed from {describe_types(old_names)} to {describe_types(new_names)}"
    if removed == {"null"} and not added:
        kind, message = BECAME_NON_NULLABLE, "null is no longer accepted"
    elif added == {"null"} and not removed:
        kind, message = BECAME_NULLABLE, "null is now accepted"
    elif removed == {"number"} and not added and "integer" in new_names:
        kind, message = NUMBER_BECAME_INTEGER, "only integers are accepted now (was any number)"
    elif added == {"number"} and not removed and "integer" in old_names:
        kind, message = INTEGER_BECAME_NUMBER, "any number is accepted now (was integers only)"
    elif removed and added:
        kind = TYPE_CHANGED
    elif removed:
        kind = TYPE_REMOVED
    else:
        kind = TYPE_ADDED

    def candidates(direction: Direction) -> Iterator[Any]:
        old_side = direction is Direction.OLD_ONLY
        source = node.old_alts if old_side else node.new_alts
        other = node.new_alts if old_side else node.old_alts
        gone = removed if old_side else added
        values = node.values(direction)
        for alt in source:
            if ("integer" if alt.type == "number" and alt.integral else alt.type) in gone:
                yield from values.alt_candidates(alt, [o for o in other if o.type == alt.type])

    node.report(kind, message, candidates=candidates)
