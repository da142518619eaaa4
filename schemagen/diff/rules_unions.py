"""Rules on unions (``anyOf``/``oneOf``): which alternatives correspond, which
were removed or added, and values a ``oneOf`` rejects for matching twice.

Alternatives of the same JSON type are paired by what identifies a model in
practice: the ``$defs`` name, a discriminator property's constant, the title,
then the share of property names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from schemagen.diff.model import Direction, Effect, breaking_direction
from schemagen.diff.nodes import TYPES, Alt, short
from schemagen.diff.registry import change, node_check
from schemagen.diff.witness import MISSING
from schemagen.schema.values import json_equal

if TYPE_CHECKING:
    from schemagen.diff.walker import NodePair

FAMILY = "unions"

VARIANT_REMOVED = change(
    "variant-removed",
    family=FAMILY,
    effect=Effect.NARROWS,
    summary="a union alternative was removed",
)
VARIANT_ADDED = change(
    "variant-added", family=FAMILY, effect=Effect.WIDENS, summary="a union alternative was added"
)
ONE_OF_OVERLAP = change(
    "one-of-overlap",
    family=FAMILY,
    effect=Effect.BOTH,
    summary="a value matches several oneOf branches, so oneOf rejects it",
)


def _const(alt: Alt, name: str) -> Any:
    flat = alt.doc.flatten(alt.props[name])
    for loc in flat.locs:
        raw = alt.doc.at(loc)
        if "const" in raw:
            return raw["const"]
        if isinstance(raw.get("enum"), list) and len(raw["enum"]) == 1:
            return raw["enum"][0]
    return MISSING


def _score(a: Alt, b: Alt) -> float:
    score = 0.0
    if set(a.ref_names) & set(b.ref_names):
        score += 100
    title = a.annotation("title")
    if title is not None and title == b.annotation("title"):
        score += 30
    for name in set(a.props) & set(b.props):
        ca, cb = _const(a, name), _const(b, name)
        if ca is not MISSING and cb is not MISSING:
            score += 60 if json_equal(ca, cb) else -60
    names = set(a.props) | set(b.props)
    if names:
        score += 20 * len(set(a.props) & set(b.props)) / len(names)
    if a.enum is not None and b.enum is not None:
        shared = sum(1 for v in a.enum if any(json_equal(v, w) for w in b.enum))
        score += 10 * shared / max(len(a.enum), len(b.enum))
    if dict(a.kw) == dict(b.kw):
        score += 15
    return score


def pair_alternatives(node: NodePair) -> list[tuple[Alt, Alt]]:
    """Pair OLD and NEW alternatives by type; report the ones left unpaired."""
    pairs: list[tuple[Alt, Alt]] = []
    for t in TYPES:
        olds = [a for a in node.old_alts if a.type == t]
        news = [b for b in node.new_alts if b.type == t]
        if not olds or not news:
            continue  # the types rules report a type that is gone or new
        if len(olds) == 1 and len(news) == 1:
            pairs.append((olds[0], news[0]))
            continue
        scored = sorted(
            ((_score(a, b), i, j) for i, a in enumerate(olds) for j, b in enumerate(news)),
            key=lambda s: (-s[0], s[1], s[2]),
        )
        # One side single: it became (or came from) one of the others, whichever is closest.
        threshold = float("-inf") if len(olds) == 1 or len(news) == 1 else 1.0
        used_old: set[int] = set()
        used_new: set[int] = set()
        for score, i, j in scored:
            if score < threshold:
                break
            if i in used_old or j in used_new:
                continue
            used_old.add(i)
            used_new.add(j)
            pairs.append((olds[i], news[j]))
        for i, a in enumerate(olds):
            if i not in used_old:
                _report_lone(node, a, Direction.OLD_ONLY)
        for j, b in enumerate(news):
            if j not in used_new:
                _report_lone(node, b, Direction.NEW_ONLY)
    order = {id(a): i for i, a in enumerate(node.old_alts)}
    pairs.sort(key=lambda p: order[id(p[0])])
    return pairs


def _describe(alt: Alt) -> str:
    title = alt.annotation("title")
    if alt.ref_names:
        return f"{alt.type} alternative `{alt.ref_names[-1]}`"
    if isinstance(title, str):
        return f"{alt.type} alternative `{title}`"
    if alt.enum is not None:
        return f"{alt.type} alternative {short([*alt.enum])}"
    return f"a {alt.type} alternative"


def _report_lone(node: NodePair, alt: Alt, direction: Direction) -> None:
    def candidates(d: Direction) -> Iterator[Any]:
        if d is direction:
            yield from node.values(d).alt_candidates(alt)

    segment = "/" + "/".join(alt.branch[-1].split("/")[-2:]) if alt.branch else ""
    where = "#" + (alt.branch[-1] if alt.branch else alt.frags[0] if alt.frags else "")
    if direction is Direction.OLD_ONLY:
        kind, text, locations = VARIANT_REMOVED, "removed", {"old_location": where}
    else:
        kind, text, locations = VARIANT_ADDED, "added", {"new_location": where}
    node.report(
        kind, f"{_describe(alt)} was {text}", candidates=candidates, suffix=segment, **locations
    )


def one_of_holders(alts: tuple[Alt, ...]) -> set[str]:
    """The ``oneOf`` keywords (their schemas' locations) the alternatives come through."""
    holders = set()
    for alt in alts:
        for loc in alt.branch:
            holder, kind, _ = loc.rsplit("/", 2)
            if kind == "oneOf" and len(alt.doc.at(holder)["oneOf"]) > 1:
                holders.add(holder)
    return holders


@node_check
def check_one_of_overlap(node: NodePair) -> None:
    """Values a ``oneOf`` of the rejecting side refuses because they match two branches."""
    direction = breaking_direction(node.side)
    old_side = direction is Direction.OLD_ONLY
    rejecting_alts = node.new_alts if old_side else node.old_alts
    accepting_alts = node.old_alts if old_side else node.new_alts
    holders = one_of_holders(rejecting_alts)
    if not holders:
        return
    label = "new" if old_side else "old"
    values = node.values(direction)
    found: list[Any] = []
    for alt in accepting_alts:
        for value in values.alt_examples(alt, limit=8):
            if node.proves(direction, value) and _matches_several(node, label, holders, value):
                found.append(value)
    if found:
        node.report(
            ONE_OF_OVERLAP,
            f"{short(found[0])} matches several oneOf branches of "
            f"{'NEW' if old_side else 'OLD'}, so it is rejected",
            candidates=lambda d: found if d is direction else (),
        )


def _matches_several(node: NodePair, label: str, holders: set[str], value: Any) -> bool:
    doc = node.walker.docs[label]
    validation = node.walker.validation[label]
    for holder in sorted(holders):
        branches = len(doc.at(holder)["oneOf"])
        hits = sum(
            1
            for i in range(branches)
            if validation.accepts("consumer", (f"{holder}/oneOf/{i}",), value)
        )
        if hits > 1:
            return True
    return False
