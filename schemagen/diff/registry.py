"""The rule registry: every rule's stable ID, default severity and summary.

A rule family (``rules_<family>.py``) declares each kind of change once with
``change()``: its name, its effect on the set of valid values and a summary.
That registers one rule per side, ``<side>-<name>`` (``input-enum-value-removed``),
whose default severity follows from the effect and the side's direction:

=========  ==================  ===========
effect     input / setup       output
=========  ==================  ===========
NARROWS    breaking            info
WIDENS     info                breaking
BOTH       breaking            breaking
NEUTRAL    given per side      given per side
=========  ==================  ===========

Function-level rules (``function-removed``) are registered with ``function_rule``.
The family also registers its checks (``node_check`` / ``alt_check``); the
walker runs them on every pair of schemas it compares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from schemagen.diff.model import (
    ACCEPT_SIDES,
    SIDES,
    Direction,
    Effect,
    Severity,
    Side,
    breaking_direction,
)

if TYPE_CHECKING:
    from schemagen.diff.walker import AltPair, NodePair

BumpKind = Literal["minor", "patch"]


@dataclass(frozen=True)
class Rule:
    """One reportable rule: ID, default severity, what it means."""

    id: str
    change: str
    side: Side | None
    severity: Severity
    effect: Effect
    family: str
    summary: str
    # How a non-breaking finding of this rule moves the version.
    bump: BumpKind = "minor"

    @property
    def witness_direction(self) -> Direction | None:
        """The difference a witness must show, for rules breaking by default."""
        if self.severity is not Severity.BREAKING:
            return None
        if self.side is None:
            return Direction.OLD_ONLY
        return breaking_direction(self.side)


@dataclass(frozen=True)
class Change:
    """A side-less kind of change; ``rule(side)`` is its registered rule."""

    name: str
    effect: Effect
    family: str
    summary: str
    sides: tuple[Side, ...]
    # The JSON Schema keywords the change is about: a witness the rejecting version
    # refuses for one of them shows this change, not another one at the same place.
    keywords: tuple[str, ...] = ()

    def rule(self, side: Side) -> Rule:
        return RULES[f"{side}-{self.name}"]

    def affects(self, direction: Direction) -> bool:
        if self.effect is Effect.BOTH:
            return True
        if self.effect is Effect.NARROWS:
            return direction is Direction.OLD_ONLY
        if self.effect is Effect.WIDENS:
            return direction is Direction.NEW_ONLY
        return False


RULES: dict[str, Rule] = {}


def _default_severity(effect: Effect, side: Side) -> Severity:
    accepts = side in ACCEPT_SIDES
    if effect is Effect.BOTH:
        return Severity.BREAKING
    if effect is Effect.NARROWS:
        return Severity.BREAKING if accepts else Severity.INFO
    if effect is Effect.WIDENS:
        return Severity.INFO if accepts else Severity.BREAKING
    raise ValueError("a NEUTRAL change needs explicit severities")


def _register(rule: Rule) -> None:
    if rule.id in RULES:
        raise ValueError(f"rule {rule.id} registered twice")
    RULES[rule.id] = rule


def change(
    name: str,
    *,
    family: str,
    effect: Effect,
    summary: str,
    severity: Severity | Mapping[Side, Severity] | None = None,
    sides: tuple[Side, ...] = SIDES,
    bump: BumpKind = "minor",
    keywords: tuple[str, ...] = (),
) -> Change:
    """Declare a kind of change and register its per-side rules."""
    for side in sides:
        if severity is None:
            sev = _default_severity(effect, side)
        elif isinstance(severity, Severity):
            sev = severity
        else:
            sev = severity[side]
        _register(
            Rule(
                id=f"{side}-{name}",
                change=name,
                side=side,
                severity=sev,
                effect=effect,
                family=family,
                summary=summary,
                bump=bump,
            )
        )
    return Change(
        name=name, effect=effect, family=family, summary=summary, sides=sides, keywords=keywords
    )


def function_rule(
    rule_id: str,
    *,
    severity: Severity,
    effect: Effect,
    summary: str,
    side: Side | None = None,
    bump: BumpKind = "minor",
) -> Rule:
    """Register a rule about a whole function or the setup schema's presence."""
    rule = Rule(
        id=rule_id,
        change=rule_id,
        side=side,
        severity=severity,
        effect=effect,
        family="functions",
        summary=summary,
        bump=bump,
    )
    _register(rule)
    return rule


NodeCheck = Callable[["NodePair"], None]
AltCheck = Callable[["AltPair"], None]

SITE_CHECKS: list[NodeCheck] = []
NODE_CHECKS: list[NodeCheck] = []
ALT_CHECKS: list[tuple[frozenset[str], AltCheck]] = []


def site_check(check: NodeCheck) -> NodeCheck:
    """Register a check run at every place a node is written (annotations live there)."""
    SITE_CHECKS.append(check)
    return check


def node_check(check: NodeCheck) -> NodeCheck:
    """Register a check run once per compared pair of schema nodes."""
    NODE_CHECKS.append(check)
    return check


def alt_check(*types: str) -> Callable[[AltCheck], AltCheck]:
    """Register a check run on paired alternatives of the given JSON types."""

    def register(check: AltCheck) -> AltCheck:
        ALT_CHECKS.append((frozenset(types), check))
        return check

    return register


def all_rules() -> dict[str, Rule]:
    """Every registered rule, families loaded."""
    load_families()
    return dict(sorted(RULES.items()))


def load_families() -> None:
    # Importing a family registers its rules and checks; the order here is the
    # order checks run in, and so the order of findings at one location.
    from schemagen.diff import (  # noqa: F401
        rules_annotations,
        rules_arrays,
        rules_bounds,
        rules_enum,
        rules_functions,
        rules_objects,
        rules_semantic,
        rules_strings,
        rules_types,
        rules_unions,
    )
