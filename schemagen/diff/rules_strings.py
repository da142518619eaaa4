"""Rules on strings: ``pattern``, ``format`` (File fields are ``format: file``)
and ``contentMediaType``.

Pattern inclusion is not decided by reasoning: a change is reported, and the
witness search (strings generated from both patterns) decides whether it is
proven breaking. Formats schemagen asserts are listed in ``witness.FORMATS``;
a change to any other format is an annotation change and cannot be proven.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemagen.diff.model import Direction, Effect, Severity
from schemagen.diff.registry import Change, alt_check, change

if TYPE_CHECKING:
    from schemagen.diff.walker import AltPair

FAMILY = "strings"

PATTERN_ADDED = change(
    "pattern-added",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="a pattern now restricts strings",
    keywords=("pattern",),
)
PATTERN_REMOVED = change(
    "pattern-removed",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="a pattern no longer restricts strings",
    keywords=("pattern",),
)
PATTERN_CHANGED = change(
    "pattern-changed",
    family=FAMILY,
    effect=Effect.BOTH,
    summary="the pattern changed (breaking when a string matching one does not match the other)",
    keywords=("pattern",),
)
FORMAT_ADDED = change(
    "format-added",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="a format now restricts strings (e.g. a string became a File field)",
    keywords=("format",),
)
FORMAT_REMOVED = change(
    "format-removed",
    family=FAMILY,
    effect=Effect.WIDENS,
    summary="a format no longer restricts strings (e.g. a File field became a plain string)",
    keywords=("format",),
)
FORMAT_CHANGED = change(
    "format-changed",
    family=FAMILY,
    effect=Effect.BOTH,
    summary="the format changed",
    keywords=("format",),
)
CONTENT_MEDIA_TYPE_CHANGED = change(
    "content-media-type-changed",
    family=FAMILY,
    effect=Effect.NEUTRAL,
    severity=Severity.WARNING,
    summary="a File field's contentMediaType changed (not validated; callers may send other files)",
)


def _patterns(patterns: tuple[str, ...]) -> str:
    return " & ".join(map(repr, patterns)) or "none"


def _formats(formats: tuple[str, ...]) -> str:
    if not formats:
        return "none"
    return ", ".join("file (File field)" if f == "file" else f for f in formats)


def _compare(
    pair: AltPair,
    before: tuple[str, ...],
    after: tuple[str, ...],
    message: str,
    kinds: tuple[Change, Change, Change],
) -> None:
    added, removed, changed = kinds
    if set(before) == set(after):
        return
    if not before:
        pair.report(added, message, candidates=pair.contrasting(Direction.OLD_ONLY))
    elif not after:
        pair.report(removed, message, candidates=pair.contrasting(Direction.NEW_ONLY))
    else:
        pair.report(changed, message, candidates=pair.contrast)


@alt_check("string")
def check_strings(pair: AltPair) -> None:
    old, new = pair.old, pair.new
    if not pair.enum_decides:
        po, pn = old.kw.get("pattern", ()), new.kw.get("pattern", ())
        message = f"pattern {_patterns(po)} -> {_patterns(pn)}"
        _compare(pair, po, pn, message, (PATTERN_ADDED, PATTERN_REMOVED, PATTERN_CHANGED))
        fo, fn = old.kw.get("format", ()), new.kw.get("format", ())
        message = f"format {_formats(fo)} -> {_formats(fn)}"
        _compare(pair, fo, fn, message, (FORMAT_ADDED, FORMAT_REMOVED, FORMAT_CHANGED))
    mo, mn = old.kw.get("contentMediaType"), new.kw.get("contentMediaType")
    if mo != mn:
        pair.report(
            CONTENT_MEDIA_TYPE_CHANGED, f"contentMediaType {mo or 'none'} -> {mn or 'none'}"
        )
