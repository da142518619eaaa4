"""The walker: a recursive comparison of an OLD and a NEW schema document.

It visits pairs of nodes (OLD fragment set, NEW fragment set) from the roots,
``$ref``s resolved, splits each node into typed alternatives, pairs them, and
runs every registered check on each pair; checks descend into properties,
items and additional properties through ``AltPair.descend``.

Recursive schemas: a pair of nodes is compared once (the walk is memoised on
the pair, so cycles end), but every path that reaches it is recorded as a
*context*: (parent pair, step). A finding's witness is a value at its node;
``lift`` carries it up through the steps (wrapping it in an object with the
required siblings, in an array, ...) to a whole document, trying each path,
until ``jsonschema`` confirms it at the root.

Findings are ``RawFinding``s here (a change kind, where, candidate values);
``engine`` turns them into reported findings with rules, severities, witnesses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from jsonschema.exceptions import ValidationError, best_match

from schemagen.diff.model import Direction, Side, Witness
from schemagen.diff.nodes import Alt, Flat, Locs, SchemaDoc, display
from schemagen.diff.registry import ALT_CHECKS, NODE_CHECKS, SITE_CHECKS, Change, load_families
from schemagen.diff.witness import MISSING, Validation, Values, View, describe_error
from schemagen.schema.pointers import join
from schemagen.schema.values import canonical

NodeKey = tuple[Locs, Locs]
Candidates = Callable[[Direction], Iterable[Any]]

# Budgets for one finding's witness search.
_LOCAL_TRIES = 300
_ROOT_TRIES = 120
_MAX_DEPTH = 48


class Step(Protocol):
    """How a value at a child node becomes a value at its parent node."""

    @property
    def token(self) -> str | int:
        """Where the child value sits in the parent value (property name or index)."""
        ...

    def embed(self, value: Any, direction: Direction) -> Iterator[Any]: ...


@dataclass(frozen=True)
class Context:
    parent: NodeKey | None
    step: Step | None
    pointer: str


@dataclass
class RawFinding:
    """A change found at a node, before rules and witnesses are applied."""

    change: Change
    key: NodeKey
    suffix: str
    message: str
    old_location: str | None
    new_location: str | None
    candidates: Candidates | None
    pointer: str = ""


@dataclass
class NodePair:
    """An OLD node and a NEW node at the same place."""

    walker: Walker
    key: NodeKey
    old: Flat
    new: Flat
    pointer: str
    old_alts: tuple[Alt, ...] = ()
    new_alts: tuple[Alt, ...] = ()
    pairs: list[tuple[Alt, Alt]] = field(default_factory=list)

    @property
    def side(self) -> Side:
        return self.walker.side

    def values(self, direction: Direction) -> Values:
        """Values of the side that accepts in ``direction`` (producer view)."""
        return self.walker.producer[direction.accepted_by]

    def accepts(self, label: str, value: Any, view: View = "consumer") -> bool:
        """Whether the OLD (``label="old"``) or NEW node accepts ``value``."""
        locs = self.key[0] if label == "old" else self.key[1]
        return self.walker.validation[label].accepts(view, locs, value)

    def proves(self, direction: Direction, value: Any) -> bool:
        """Whether ``value`` shows ``direction`` at this node (before lifting to the root)."""
        return self.accepts(direction.accepted_by, value, "producer") and not self.accepts(
            direction.rejected_by, value
        )

    def report(
        self,
        change: Change,
        message: str,
        *,
        candidates: Candidates | None = None,
        suffix: str = "",
        old_location: str | None = None,
        new_location: str | None = None,
    ) -> None:
        self.walker.findings.append(
            RawFinding(
                change=change,
                key=self.key,
                suffix=suffix,
                message=message,
                old_location=old_location or _main_location(self.old),
                new_location=new_location or _main_location(self.new),
                candidates=candidates,
                pointer=self.pointer + suffix,
            )
        )


@dataclass
class AltPair:
    """Paired alternatives (same JSON type) of an OLD and a NEW node."""

    node: NodePair
    old: Alt
    new: Alt
    segment: str  # the union branch, when the node is a union of several

    @property
    def pointer(self) -> str:
        return self.node.pointer + self.segment

    @property
    def side(self) -> Side:
        return self.node.side

    @property
    def enum_decides(self) -> bool:
        """An enum on either side fixes the values; bounds etc. then add nothing."""
        return self.old.enum is not None or self.new.enum is not None

    def accepting(self, direction: Direction) -> Alt:
        return self.old if direction is Direction.OLD_ONLY else self.new

    def rejecting(self, direction: Direction) -> Alt:
        return self.new if direction is Direction.OLD_ONLY else self.old

    def values(self, direction: Direction) -> Values:
        return self.node.values(direction)

    def contrast(self, direction: Direction) -> Iterator[Any]:
        """Values of the accepting alternative near the other one's bounds."""
        return self.values(direction).alt_candidates(
            self.accepting(direction), [self.rejecting(direction)]
        )

    def contrasting(self, direction: Direction) -> Candidates:
        """Candidates for a finding that only ``direction`` can prove."""

        def candidates(d: Direction) -> Iterable[Any]:
            return self.contrast(d) if d is direction else ()

        return candidates

    def report(
        self,
        change: Change,
        message: str,
        *,
        candidates: Candidates | None = None,
        suffix: str = "",
        old_location: str | None = None,
        new_location: str | None = None,
    ) -> None:
        self.node.report(
            change,
            message,
            candidates=candidates,
            suffix=self.segment + suffix,
            old_location=old_location or _alt_location(self.old),
            new_location=new_location or _alt_location(self.new),
        )

    def descend(self, old_locs: Locs, new_locs: Locs, step: Step, suffix: str) -> None:
        self.node.walker.compare(old_locs, new_locs, self.node.key, step, self.pointer + suffix)


# ---------------------------------------------------------------- steps


@dataclass(frozen=True)
class PropertyStep:
    """The value of property ``name`` inside the paired objects."""

    pair: AltPair
    name: str
    _agreed: dict[tuple[Direction, str], dict[str, Any] | None] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @property
    def token(self) -> str | int:
        return self.name

    def embed(self, value: Any, direction: Direction) -> Iterator[Any]:
        alt = self.pair.accepting(direction)
        values = self.pair.values(direction)
        rank = {n: i for i, n in enumerate(alt.props)}
        bases = list(values.bases(alt, exclude=self.name, adding=True))
        agreeing = self._agreeing(bases[0], direction) if bases else None
        if agreeing is not None and agreeing not in bases:
            bases.insert(0, agreeing)
        for base in bases:
            merged = {**base, self.name: value}
            yield dict(sorted(merged.items(), key=lambda kv: rank.get(kv[0], len(rank))))

    def _agreeing(self, base: dict[str, Any], direction: Direction) -> dict[str, Any] | None:
        """``base`` with each sibling the other version refuses swapped for a value both
        versions take, so that a witness is refused only where its finding is."""
        key = (direction, canonical(base))
        if key not in self._agreed:
            self._agreed[key] = self._find_agreeing(base, direction)
        return self._agreed[key]

    def _find_agreeing(self, base: dict[str, Any], direction: Direction) -> dict[str, Any] | None:
        accepting, rejecting = self.pair.accepting(direction), self.pair.rejecting(direction)
        values = self.pair.values(direction)
        walker = self.pair.node.walker
        other = walker.validation[direction.rejected_by]
        other_values = walker.producer[direction.rejected_by]
        agreed = dict(base)
        for name, current in base.items():
            theirs, ours = rejecting.props.get(name), accepting.props.get(name)
            if theirs is None or ours is None or other.accepts("consumer", theirs, current):
                continue
            # Values of ours near the other version's bounds and patterns for this property.
            hints = other_values.doc.alternatives(other_values.doc.flatten(theirs))
            pool = [
                value
                for alt in values.doc.alternatives(values.doc.flatten(ours))
                for value in values.alt_examples(alt, limit=12, hints=hints)
            ]
            found = next(
                (
                    v
                    for v in pool
                    if values.node_accepts(ours, v) and other.accepts("consumer", theirs, v)
                ),
                MISSING,
            )
            if found is not MISSING:
                agreed[name] = found
        return agreed if agreed != base else None


@dataclass(frozen=True)
class ItemStep:
    """The array item at ``index`` (``index`` past the prefix: any ``items`` item)."""

    pair: AltPair
    index: int

    @property
    def token(self) -> str | int:
        return self.index

    def embed(self, value: Any, direction: Direction) -> Iterator[Any]:
        alt = self.pair.accepting(direction)
        values = self.pair.values(direction)
        head = values.array_of(alt, self.index, distinct=True)
        if head is MISSING:
            return
        minimum = max(int(alt.kw.get("minItems", 0)), self.index + 1)
        unique = bool(alt.kw.get("uniqueItems"))
        padded = values.array_of(alt, minimum, distinct=unique, head=[*head, value])
        if padded is not MISSING:
            yield padded
        if minimum > self.index + 1:
            yield [*head, value] + [value] * (minimum - self.index - 1)


# ---------------------------------------------------------------- sameness


class Sameness:
    """Whether two fragments are the same schema, following ``$ref`` (cycles allowed)."""

    def __init__(self, old: SchemaDoc, new: SchemaDoc) -> None:
        self.old = old
        self.new = new
        self._known: dict[tuple[str, str], bool] = {}

    def same_locs(self, a: Locs, b: Locs) -> bool:
        if len(a) != len(b):
            return False
        return all(self.same(x, y) for x, y in zip(a, b, strict=True))

    def same(self, old_loc: str, new_loc: str) -> bool:
        assumed: set[tuple[str, str]] = set()
        result = self._same(old_loc, new_loc, assumed)
        if result:
            for key in assumed:
                self._known[key] = True
        return result

    def _same(self, o: str, n: str, assumed: set[tuple[str, str]]) -> bool:
        key = (o, n)
        known = self._known.get(key)
        if known is not None:
            return known
        if key in assumed:
            return True
        assumed.add(key)
        result = self._eq(self.old.at(o), self.new.at(n), o, n, assumed)
        if not result:
            self._known[key] = False
        return result

    def _eq(self, a: Any, b: Any, o: str, n: str, assumed: set[tuple[str, str]]) -> bool:
        if isinstance(a, dict) and isinstance(b, dict):
            if a.keys() != b.keys():
                return False
            for k in a:
                if k == "$ref" and isinstance(a[k], str) and isinstance(b[k], str):
                    target_o = self.old.ref_target(o, a[k])
                    target_n = self.new.ref_target(n, b[k])
                    if not self._same(target_o, target_n, assumed):
                        return False
                elif not self._eq(a[k], b[k], join(o, k), join(n, k), assumed):
                    return False
            return True
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(
                self._eq(x, y, join(o, i), join(n, i), assumed)
                for i, (x, y) in enumerate(zip(a, b, strict=True))
            )
        return type(a) is type(b) and bool(a == b)


# ---------------------------------------------------------------- walker


class Walker:
    """Compares one side (input, output or setup) of one function."""

    def __init__(self, side: Side, old: SchemaDoc, new: SchemaDoc) -> None:
        load_families()
        self.side: Side = side
        self.docs = {"old": old, "new": new}
        self.validation = {"old": Validation(old), "new": Validation(new)}
        self.producer = {
            label: Values(doc, self.validation[label], "producer")
            for label, doc in self.docs.items()
        }
        self.contexts: dict[NodeKey, list[Context]] = {}
        self.visited: set[NodeKey] = set()
        self.findings: list[RawFinding] = []
        self._sites: set[tuple[Locs, Locs]] = set()
        # Why the rules may not have the last word on this side (see engine).
        self.approximate: set[str] = set()
        self._sameness = Sameness(old, new)

    def run(self) -> list[RawFinding]:
        self.compare(("",), ("",), None, None, "")
        return self.findings

    def compare(
        self,
        old_locs: Locs,
        new_locs: Locs,
        parent: NodeKey | None,
        step: Step | None,
        pointer: str,
    ) -> None:
        from schemagen.diff.rules_unions import pair_alternatives

        old_flat = self.docs["old"].flatten(old_locs)
        new_flat = self.docs["new"].flatten(new_locs)
        key: NodeKey = (_identity(old_flat), _identity(new_flat))
        node = NodePair(self, key, old_flat, new_flat, pointer)
        site = (old_flat.locs, new_flat.locs)
        if site not in self._sites:
            self._sites.add(site)
            for site_check in SITE_CHECKS:
                site_check(node)
        self.contexts.setdefault(key, []).append(Context(parent, step, pointer))
        if key in self.visited:
            return
        self.visited.add(key)
        if old_flat.false == new_flat.false and self._sameness.same_locs(
            old_flat.locs, new_flat.locs
        ):
            return
        node.old_alts = self.docs["old"].alternatives(old_flat)
        node.new_alts = self.docs["new"].alternatives(new_flat)
        self._note_approximations(node)
        for check in NODE_CHECKS:
            check(node)
        for old_alt, new_alt in pair_alternatives(node):
            pair = AltPair(node, old_alt, new_alt, _segment(old_alt, new_alt))
            for types, alt_check in ALT_CHECKS:
                if old_alt.type in types:
                    alt_check(pair)

    def _note_approximations(self, node: NodePair) -> None:
        """Record constructs whose comparison rests on heuristics, not exact rules."""
        from schemagen.diff.rules_unions import one_of_holders

        for alts in (node.old_alts, node.new_alts):
            types = [a.type for a in alts]
            if len(types) != len(set(types)):
                self.approximate.add("union alternatives of one type (paired by likeness)")
            if any(a.unsupported for a in alts):
                self.approximate.add("keywords schemagen does not model")
        if one_of_holders(node.old_alts) or one_of_holders(node.new_alts):
            self.approximate.add("oneOf (exclusive) unions")

    # -- witnesses

    def witness(self, finding: RawFinding, direction: Direction) -> tuple[Witness, str] | None:
        """A whole document proving ``finding`` in ``direction``, and the pointer it went through.

        A witness the rejecting version refuses *at the finding's place* and
        only for the change's keywords is preferred. Kept as fallbacks while the
        search goes on, best first: one refused there for those keywords and
        others (a new step shown by a value also below a raised minimum), one
        refused there for other keywords only, one refused only elsewhere (say,
        for a new required sibling).
        """
        if finding.candidates is None:
            return None
        accepting = direction.accepted_by
        acc_locs = finding.key[0] if accepting == "old" else finding.key[1]
        rej_locs = finding.key[1] if accepting == "old" else finding.key[0]
        acc_check = self.validation[accepting]
        rej_check = self.validation[direction.rejected_by]
        tried: set[str] = set()
        root_budget = _ROOT_TRIES
        keywords = set(finding.change.keywords)
        fallbacks: list[tuple[Witness, str] | None] = [None, None, None]
        for value in finding.candidates(direction):
            if len(tried) >= _LOCAL_TRIES or root_budget <= 0:
                break
            marker = canonical(value)
            if marker in tried:
                continue
            tried.add(marker)
            if not acc_check.accepts("producer", acc_locs, value):
                continue
            if rej_check.accepts("consumer", rej_locs, value):
                continue
            for root_value, pointer, path in self.lift(finding.key, value, direction):
                if root_budget <= 0:
                    break
                root_budget -= 1
                errors = self.rejections(root_value, direction)
                if not errors:
                    continue
                local = _errors_under(errors, path)
                shown = [e for e in local if e.validator in keywords]
                chosen = (shown or local or [best_match(errors)])[0]
                message, where = describe_error(chosen)
                witness = Witness(
                    value=root_value,
                    accepted_by=direction.accepted_by,
                    rejected_by=direction.rejected_by,
                    error=message,
                    error_pointer=where,
                )
                reasons = _reasons(local)
                if local and (not keywords or (reasons and reasons <= keywords)):
                    return witness, pointer + finding.suffix
                rank = 0 if shown else 1 if local else 2
                if fallbacks[rank] is None:
                    fallbacks[rank] = witness, pointer + finding.suffix
                break
        return next((found for found in fallbacks if found is not None), None)

    def rejections(self, value: Any, direction: Direction) -> list[ValidationError]:
        """The rejecting version's errors when ``value`` proves ``direction``, else []."""
        if not self.validation[direction.accepted_by].root("producer").is_valid(value):
            return []
        consumer = self.validation[direction.rejected_by].root("consumer")
        if consumer.is_valid(value):
            return []
        return list(consumer.iter_errors(value))

    def lift(
        self, key: NodeKey, value: Any, direction: Direction
    ) -> Iterator[tuple[Any, str, tuple[str | int, ...]]]:
        """``value`` at node ``key`` embedded in whole documents, one per path.

        Yields (document, schema pointer of the path, instance path of ``value``).
        """
        for context in self.contexts.get(key, ()):
            for root_value, path in self._up(context, value, direction, ()):
                yield root_value, context.pointer, path

    def _up(
        self, context: Context, value: Any, direction: Direction, path: tuple[str | int, ...]
    ) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
        if context.parent is None or context.step is None:
            yield value, path
            return
        if len(path) >= _MAX_DEPTH:
            return
        token = context.step.token
        for parent_value in context.step.embed(value, direction):
            for parent_context in self.contexts.get(context.parent, ()):
                yield from self._up(parent_context, parent_value, direction, (token, *path))


def _errors_under(
    errors: list[ValidationError], path: tuple[str | int, ...]
) -> list[ValidationError]:
    """Errors (nested ones of anyOf/oneOf included) at or below ``path``, nearest first."""
    found: list[ValidationError] = []
    stack = list(errors)
    while stack:
        error = stack.pop(0)
        where = tuple(error.absolute_path)
        if where[: len(path)] == path:
            found.append(error)
        stack.extend(error.context or ())
    found.sort(key=lambda e: len(e.absolute_path))
    return found


def _reasons(errors: list[ValidationError]) -> set[str]:
    """The keywords that refused a value: the leaf errors', leaving out a union's
    branches of another JSON type (the ``null`` of a nullable field)."""
    return {str(e.validator) for e in errors if not e.context and e.validator != "type"}


def _identity(flat: Flat) -> Locs:
    return flat.asserting + (("<false>",) if flat.false else ())


def _main_location(flat: Flat) -> str | None:
    if flat.asserting:
        return display(flat.asserting[-1])
    if flat.locs:
        return display(flat.locs[0])
    return None


def _alt_location(alt: Alt) -> str | None:
    if alt.branch:
        # The branch as resolved (Optional[Model]'s branch is only a $ref to the model).
        own = alt.doc.flatten(alt.branch[-1:]).asserting
        return display(own[-1] if own else alt.branch[-1])
    return display(alt.locs[-1]) if alt.locs else None


def _segment(old: Alt, new: Alt) -> str:
    """``/anyOf/N`` for an alternative of a union with several non-null branches."""
    alt = new if new.branch else old
    parts = []
    for loc in alt.branch:
        holder, kind, index = loc.rsplit("/", 2)
        branches = alt.doc.at(holder)[kind]
        non_null = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
        if len(non_null) > 1:
            parts.append(f"/{kind}/{index}")
    return "".join(parts)
