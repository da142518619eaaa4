"""Rules on objects: declared properties, required properties, additional properties.

``additionalProperties`` left out means any undeclared property is accepted
(JSON Schema's default ``true``). Which undeclared properties are *produced* is
the producer view's business (``nodes``): with ``extra_properties = "declared"``
a property NEW declares is no break for callers who never sent it, while in
``"schema"`` mode OLD's callers may have sent it with any value.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from schemagen.diff.model import Direction, Effect, Severity
from schemagen.diff.nodes import TRUE_LOC, Alt, Locs, display
from schemagen.diff.registry import alt_check, change
from schemagen.diff.rules_types import describe_types, type_names
from schemagen.diff.walker import PropertyStep
from schemagen.schema.pointers import escape

if TYPE_CHECKING:
    from schemagen.diff.walker import AltPair

FAMILY = "objects"

PROPERTY_ADDED = change(
    "property-added",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=Severity.INFO,
    summary="a property was declared",
)
PROPERTY_REMOVED = change(
    "property-removed",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=Severity.WARNING,
    summary="a declared property was removed: callers' values for it are ignored, "
    "consumers no longer receive it",
)
PROPERTY_BECAME_REQUIRED = change(
    "property-became-required",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="an optional property became required",
)
PROPERTY_BECAME_OPTIONAL = change(
    "property-became-optional",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="a required property became optional",
)
REQUIRED_PROPERTY_ADDED = change(
    "required-property-added",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="a new property is required (and has no default)",
)
REQUIRED_PROPERTY_REMOVED = change(
    "required-property-removed",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="a required property was removed",
)
ADDITIONAL_PROPERTIES_RESTRICTED = change(
    "additional-properties-restricted",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="a property OLD's producers could send outside the declared ones is rejected or "
    "constrained",
)
ADDITIONAL_PROPERTIES_WIDENED = change(
    "additional-properties-widened",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="NEW may produce a property that OLD's schema rejects as undeclared",
)
ADDITIONAL_PROPERTIES_FORBIDDEN = change(
    "additional-properties-forbidden",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity={"setup": Severity.WARNING, "input": Severity.WARNING, "output": Severity.INFO},
    summary="undeclared properties, ignored before, are now rejected (additionalProperties: false)",
)
ADDITIONAL_PROPERTIES_ALLOWED = change(
    "additional-properties-allowed",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=Severity.INFO,
    summary="undeclared properties, rejected before, are now accepted and ignored",
)

_ANY_VALUES: tuple[Any, ...] = (None, False, True, 0, -1, 0.5, "", "a", [], [0], {}, {"a": 0})


def _prop(name: str) -> str:
    return "/properties/" + escape(name)


def _where(alt: Alt, name: str) -> str | None:
    """The property's own schema in ``alt``'s document, if it declares it."""
    if name in alt.props:
        return display(alt.props[name][-1])
    return None


def _types_of(alt: Alt, locs: Locs) -> str:
    return describe_types(type_names(alt.doc.alternatives(alt.doc.flatten(locs))))


def _extras_text(alt: Alt) -> str:
    if alt.extras is True:
        return "any undeclared property accepted"
    if alt.extras is False:
        return "additionalProperties: false"
    return f"additionalProperties: {_types_of(alt, alt.extras)}"


@alt_check("object")
def check_object(pair: AltPair) -> None:
    if pair.enum_decides:
        return
    old, new = pair.old, pair.new
    names = list(old.props) + [k for k in new.props if k not in old.props]
    for name in names:
        if name in old.props and name in new.props:
            _required(pair, name)
            pair.descend(old.props[name], new.props[name], PropertyStep(pair, name), _prop(name))
            continue
        if name in new.props:
            _added(pair, name)
        else:
            _removed(pair, name)
        _required(pair, name)
    undeclared = (old.required | new.required) - set(old.props) - set(new.props)
    for name in sorted(undeclared):
        _required(pair, name)
    _extras(pair)


def _without(pair: AltPair, direction: Direction, name: str) -> Iterator[Any]:
    alt = pair.accepting(direction)
    for base in pair.values(direction).bases(alt, exclude=name):
        if name not in base:
            yield base


def _with(pair: AltPair, direction: Direction, name: str, values: Any) -> Iterator[Any]:
    alt = pair.accepting(direction)
    for base in pair.values(direction).bases(alt, exclude=name, adding=True):
        for value in values:
            yield {**base, name: value}


def _required(pair: AltPair, name: str) -> None:
    """Required-ness of ``name`` changed (declared on either side, or on neither)."""
    old, new = pair.old, pair.new
    in_old, in_new = name in old.required, name in new.required
    if in_new == in_old:
        return
    direction = Direction.OLD_ONLY if in_new else Direction.NEW_ONLY
    if in_new:
        fresh = name in new.props and name not in old.props
        kind = REQUIRED_PROPERTY_ADDED if fresh else PROPERTY_BECAME_REQUIRED
        text = (
            f"new property `{name}` is required" if fresh else f"property `{name}` is now required"
        )
    else:
        gone = name in old.props and name not in new.props
        kind = REQUIRED_PROPERTY_REMOVED if gone else PROPERTY_BECAME_OPTIONAL
        text = (
            f"required property `{name}` was removed"
            if gone
            else f"property `{name}` is no longer required"
        )
    pair.report(
        kind,
        text,
        suffix=_prop(name),
        old_location=_where(pair.old, name),
        new_location=_where(pair.new, name),
        candidates=lambda d: _without(pair, d, name) if d is direction else (),
    )


def _rejected_by(pair: AltPair, label: str, locs: Locs, values: Any) -> list[Any]:
    """Values the ``label`` version's schema at ``locs`` rejects (consumer view)."""
    validation = pair.node.walker.validation[label]
    return [v for v in values if not validation.accepts("consumer", locs, v)]


def _examples(pair: AltPair, direction: Direction, locs: Locs) -> list[Any]:
    values = pair.values(direction)
    return list(values.examples(locs)) + list(islice(values.diverse(locs), 24))


def _added(pair: AltPair, name: str) -> None:
    old, new = pair.old, pair.new
    required = name in new.required and name not in old.required
    pair.report(
        PROPERTY_ADDED,
        f"property `{name}` was added" + (" (required)" if required else ""),
        suffix=_prop(name),
        old_location=_where(pair.old, name),
        new_location=_where(pair.new, name),
    )
    if old.producer_extras is not False and isinstance(old.extras, tuple):
        pair.descend(old.extras, new.props[name], PropertyStep(pair, name), _prop(name))
        return
    if old.producer_extras is not False and old.extras is True:
        # OLD's callers could send this name with any value; NEW constrains it.
        sent = _rejected_by(pair, "new", new.props[name], _ANY_VALUES)
        if sent:
            pair.report(
                ADDITIONAL_PROPERTIES_RESTRICTED,
                f"property `{name}`, an undeclared property OLD accepted with any value, "
                f"is now declared as {_types_of(new, new.props[name])}",
                suffix=_prop(name),
                old_location=_where(pair.old, name),
                new_location=_where(pair.new, name),
                candidates=lambda d: _with(pair, d, name, sent) if d is Direction.OLD_ONLY else (),
            )
    if old.extras is False:
        pair.report(
            ADDITIONAL_PROPERTIES_WIDENED,
            f"property `{name}` is new, and OLD rejects undeclared properties "
            "(additionalProperties: false)",
            suffix=_prop(name),
            old_location=_where(pair.old, name),
            new_location=_where(pair.new, name),
            candidates=lambda d: (
                _with(pair, d, name, _examples(pair, d, new.props[name]))
                if d is Direction.NEW_ONLY
                else ()
            ),
        )


def _removed(pair: AltPair, name: str) -> None:
    old, new = pair.old, pair.new
    pair.report(
        PROPERTY_REMOVED,
        f"property `{name}` was removed",
        suffix=_prop(name),
        old_location=_where(pair.old, name),
    )
    if isinstance(new.extras, tuple):
        pair.descend(old.props[name], new.extras, PropertyStep(pair, name), _prop(name))
        return
    if new.extras is False:
        pair.report(
            ADDITIONAL_PROPERTIES_RESTRICTED,
            f"property `{name}` was removed and NEW rejects it ({_extras_text(new)})",
            suffix=_prop(name),
            old_location=_where(pair.old, name),
            new_location=_where(pair.new, name),
            candidates=lambda d: (
                _with(pair, d, name, _examples(pair, d, old.props[name]))
                if d is Direction.OLD_ONLY
                else ()
            ),
        )
    if new.producer_extras is True:
        # NEW may produce this name as an undeclared property, with any value.
        emitted = _rejected_by(pair, "old", old.props[name], _ANY_VALUES)
        if emitted:
            pair.report(
                ADDITIONAL_PROPERTIES_WIDENED,
                f"property `{name}` was removed, and NEW accepts it as an undeclared "
                "property with any value",
                suffix=_prop(name),
                old_location=_where(pair.old, name),
                new_location=_where(pair.new, name),
                candidates=lambda d: (
                    _with(pair, d, name, emitted) if d is Direction.NEW_ONLY else ()
                ),
            )


def _extras(pair: AltPair) -> None:
    old, new = pair.old, pair.new
    values = pair.values(Direction.OLD_ONLY)
    key = values.fresh_key(old, new)
    if isinstance(old.extras, tuple) and isinstance(new.extras, tuple):
        pair.descend(old.extras, new.extras, PropertyStep(pair, key), "/additionalProperties")
        return
    if old.extras == new.extras:
        return
    message = f"{_extras_text(old)} -> {_extras_text(new)}"
    if not _extras_differ(pair, key, message, Direction.OLD_ONLY):
        if old.producer_extras is False and old.extras is True and new.extras is not True:
            pair.report(ADDITIONAL_PROPERTIES_FORBIDDEN, message, suffix="/additionalProperties")
    if not _extras_differ(pair, key, message, Direction.NEW_ONLY):
        if new.producer_extras is False and new.extras is True and old.extras is not True:
            pair.report(ADDITIONAL_PROPERTIES_ALLOWED, message, suffix="/additionalProperties")


def _extras_differ(pair: AltPair, key: str, message: str, direction: Direction) -> bool:
    """Report undeclared properties the accepting side produces and the other rejects."""
    producer, consumer = pair.accepting(direction), pair.rejecting(direction)
    if producer.producer_extras is False or consumer.extras is True:
        return False
    produced: Locs = producer.extras if isinstance(producer.extras, tuple) else (TRUE_LOC,)
    validation = pair.node.walker.validation[direction.rejected_by]
    values = [
        v
        for v in [*_examples(pair, direction, produced), *_ANY_VALUES]
        if consumer.extras is False or not validation.accepts("consumer", consumer.extras, v)
    ]
    kind = (
        ADDITIONAL_PROPERTIES_RESTRICTED
        if direction is Direction.OLD_ONLY
        else ADDITIONAL_PROPERTIES_WIDENED
    )
    pair.report(
        kind,
        message,
        suffix="/additionalProperties",
        candidates=lambda d: _with(pair, d, key, values) if d is direction else (),
    )
    return True
