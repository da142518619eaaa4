"""Rules on arrays: ``items``, ``prefixItems`` (tuples) and ``uniqueItems``.

Items are compared position by position: each prefix position, then the
positions ``items`` governs. A missing ``items`` is ``true`` (any value).
Lengths are bounds (``rules_bounds``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemagen.diff.model import Direction, Effect
from schemagen.diff.nodes import TRUE_LOC, Alt, Locs
from schemagen.diff.registry import alt_check, change
from schemagen.diff.walker import ItemStep

if TYPE_CHECKING:
    from schemagen.diff.walker import AltPair

FAMILY = "arrays"

UNIQUE_ITEMS_ADDED = change(
    "unique-items-added",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="array items must now be unique",
)
UNIQUE_ITEMS_REMOVED = change(
    "unique-items-removed",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="array items need no longer be unique",
)


def _position(alt: Alt, index: int) -> Locs:
    if index < len(alt.prefix):
        return alt.prefix[index]
    return alt.items if alt.items is not None else (TRUE_LOC,)


@alt_check("array")
def check_array(pair: AltPair) -> None:
    if pair.enum_decides:
        return
    old, new = pair.old, pair.new
    uo, un = bool(old.kw.get("uniqueItems")), bool(new.kw.get("uniqueItems"))
    if un and not uo:
        pair.report(
            UNIQUE_ITEMS_ADDED,
            "items must be unique now",
            candidates=pair.contrasting(Direction.OLD_ONLY),
        )
    elif uo and not un:
        pair.report(
            UNIQUE_ITEMS_REMOVED,
            "items need no longer be unique",
            candidates=pair.contrasting(Direction.NEW_ONLY),
        )
    length = max(len(old.prefix), len(new.prefix))
    for index in range(length):
        pair.descend(
            _position(old, index),
            _position(new, index),
            ItemStep(pair, index),
            f"/prefixItems/{index}",
        )
    if old.items is not None or new.items is not None:
        pair.descend(
            _position(old, length), _position(new, length), ItemStep(pair, length), "/items"
        )
