"""Rules on annotations: defaults, descriptions, titles, deprecation.

They change no value's validity. A changed default changes what the app does
for callers who leave the field out, so it is a warning on inputs and setup.
Annotations are read where a schema is written: a property's description wins
over its model's docstring, as documentation generators show it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemagen.diff.model import Effect, Severity, Side
from schemagen.diff.nodes import TYPES, Flat, SchemaDoc, short
from schemagen.diff.registry import alt_check, change, site_check
from schemagen.schema.values import json_equal

if TYPE_CHECKING:
    from schemagen.diff.walker import AltPair, NodePair

FAMILY = "annotations"

_BEHAVIOUR: dict[Side, Severity] = {
    "setup": Severity.WARNING,
    "input": Severity.WARNING,
    "output": Severity.INFO,
}

DEFAULT_ADDED = change(
    "default-added",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=_BEHAVIOUR,
    summary="a default was added (callers who omit the field get it)",
)
DEFAULT_REMOVED = change(
    "default-removed",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=_BEHAVIOUR,
    summary="a default was removed",
)
DEFAULT_CHANGED = change(
    "default-changed",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=_BEHAVIOUR,
    summary="a default changed (callers who omit the field get another value)",
)
DESCRIPTION_CHANGED = change(
    "description-changed",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=Severity.INFO,
    summary="a description changed",
    bump="patch",
)
TITLE_CHANGED = change(
    "title-changed",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=Severity.INFO,
    summary="a title changed",
    bump="patch",
)
BECAME_DEPRECATED = change(
    "became-deprecated",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=Severity.INFO,
    summary="a field or model was marked deprecated",
)

_MISSING = object()


def _first(doc: SchemaDoc, flat: Flat, keyword: str) -> Any:
    for loc in flat.locs:
        raw = doc.at(loc)
        if keyword in raw:
            return raw[keyword]
    return _MISSING


@site_check
def check_site_annotations(node: NodePair) -> None:
    docs = node.walker.docs
    old = {
        k: _first(docs["old"], node.old, k)
        for k in ("default", "description", "title", "deprecated")
    }
    new = {
        k: _first(docs["new"], node.new, k)
        for k in ("default", "description", "title", "deprecated")
    }
    _compare(node.report, old, new)


@alt_check(*TYPES)
def check_branch_annotations(pair: AltPair) -> None:
    if not pair.old.branch and not pair.new.branch:
        return
    keys = ("description", "title", "deprecated")
    old = {k: _or_missing(pair.old.branch_annotation(k)) for k in keys}
    new = {k: _or_missing(pair.new.branch_annotation(k)) for k in keys}
    _compare(pair.report, old, new)


def _or_missing(value: Any) -> Any:
    return _MISSING if value is None else value


def _compare(report: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
    od, nd = old.get("default", _MISSING), new.get("default", _MISSING)
    if od is _MISSING and nd is not _MISSING:
        report(DEFAULT_ADDED, f"default {short(nd)} added")
    elif od is not _MISSING and nd is _MISSING:
        report(DEFAULT_REMOVED, f"default {short(od)} removed")
    elif od is not _MISSING and not json_equal(od, nd):
        report(DEFAULT_CHANGED, f"default {short(od)} -> {short(nd)}")
    for keyword, kind in (("description", DESCRIPTION_CHANGED), ("title", TITLE_CHANGED)):
        ov, nv = old[keyword], new[keyword]
        if ov is _MISSING and nv is _MISSING:
            continue
        if ov is _MISSING or nv is _MISSING or ov != nv:
            before = "none" if ov is _MISSING else short(ov, 60)
            after = "none" if nv is _MISSING else short(nv, 60)
            report(kind, f"{keyword} {before} -> {after}")
    if new["deprecated"] is True and old["deprecated"] is not True:
        report(BECAME_DEPRECATED, "marked deprecated")
