"""The safety net: keywords schemagen does not model, and the last-resort search.

A change to a keyword no rule understands (``not``, ``if``/``then``/``else``,
``patternProperties``, ...) is reported, and searched for a witness like any
other change.

When no rule proved a break on a side, ``search_side`` still samples many
values of the producing version and checks each against the consuming one. A
hit is reported as ``<side>-schema-narrowed`` (inputs, setup) or
``output-schema-widened``: a real break that no specific rule explained. This is
what makes "no break reported" mean "no break found by rules or by search".
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING, Any

from jsonschema.exceptions import best_match

from schemagen.diff.model import Direction, Effect, Witness
from schemagen.diff.nodes import TYPES
from schemagen.diff.registry import alt_check, change
from schemagen.diff.witness import describe_error
from schemagen.schema.values import canonical

if TYPE_CHECKING:
    from schemagen.diff.walker import AltPair, Walker

FAMILY = "semantic"

UNSUPPORTED_KEYWORD_CHANGED = change(
    "unsupported-keyword-changed",
    family=FAMILY,
    effect=Effect.BOTH,
    summary="a keyword schemagen does not model changed; breaking when a witness is found",
)
SCHEMA_NARROWED = change(
    "schema-narrowed",
    family=FAMILY,
    effect=Effect.NARROWS,
    sides=("setup", "input"),
    summary="last resort: a value OLD accepts that NEW rejects, found by search",
)
SCHEMA_WIDENED = change(
    "schema-widened",
    family=FAMILY,
    effect=Effect.WIDENS,
    sides=("output",),
    summary="last resort: a value NEW may emit that OLD rejects, found by search",
)

_SEARCH_VALUES = 150


@alt_check(*TYPES)
def check_unsupported(pair: AltPair) -> None:
    keywords = sorted(pair.old.unsupported | pair.new.unsupported)
    if not keywords:
        return

    def values(alt: Any, keyword: str) -> str:
        return canonical([alt.doc.at(loc).get(keyword) for loc in alt.frags])

    changed = [k for k in keywords if values(pair.old, k) != values(pair.new, k)]
    if changed:
        pair.report(
            UNSUPPORTED_KEYWORD_CHANGED,
            f"{', '.join(changed)} changed (not modelled by schemagen; checked by search)",
            candidates=lambda d: _alt_search(pair, d),
        )


def _alt_search(pair: AltPair, direction: Direction) -> Any:
    values = pair.values(direction)
    alt = pair.accepting(direction)
    yield from pair.contrast(direction)
    yield from islice(values.diverse(alt.frags), 200)


def search_side(walker: Walker, direction: Direction) -> Witness | None:
    """A whole document proving ``direction``, found by sampling (or None)."""
    values = walker.producer[direction.accepted_by]
    seen: set[str] = set()
    for value in islice(values.diverse(("",)), _SEARCH_VALUES):
        marker = canonical(value)
        if marker in seen:
            continue
        seen.add(marker)
        errors = walker.rejections(value, direction)
        if errors:
            message, where = describe_error(best_match(errors))
            return Witness(value, direction.accepted_by, direction.rejected_by, message, where)
    return None
