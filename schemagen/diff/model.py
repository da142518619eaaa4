"""What a diff reports: severities, sides, findings with their witnesses, the report.

Direction is the whole idea. Inputs and setup are *accepted* by the app: a
change breaks callers when NEW rejects a value OLD accepted. Outputs are
*emitted* by the app: a change breaks consumers when NEW may emit a value OLD's
schema rejects. A witness is one concrete JSON value showing that.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Literal

Side = Literal["setup", "input", "output"]
SIDES: tuple[Side, ...] = ("setup", "input", "output")
# Sides whose values the app accepts (callers produce them).
ACCEPT_SIDES: frozenset[Side] = frozenset({"setup", "input"})

Bump = Literal["major", "minor", "patch", "none"]
FailOn = Literal["breaking", "warning", "never"]
FAIL_ON_CHOICES: tuple[FailOn, ...] = ("breaking", "warning", "never")


class Severity(enum.IntEnum):
    """How much a finding matters; ordered, so ``max()`` and ``>=`` work."""

    INFO = 1
    WARNING = 2
    BREAKING = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(text) from None


class Effect(enum.Enum):
    """What a change does to the set of valid values (OLD -> NEW)."""

    NARROWS = "narrows"  # NEW rejects some value OLD accepted
    WIDENS = "widens"  # NEW accepts some value OLD rejected
    BOTH = "both"
    NEUTRAL = "neutral"  # annotations and behaviour: the valid set is unchanged


class Direction(enum.Enum):
    """Which difference a witness shows."""

    OLD_ONLY = "old-only"  # valid under OLD, rejected by NEW
    NEW_ONLY = "new-only"  # valid under NEW, rejected by OLD

    @property
    def accepted_by(self) -> Literal["old", "new"]:
        return "old" if self is Direction.OLD_ONLY else "new"

    @property
    def rejected_by(self) -> Literal["old", "new"]:
        return "new" if self is Direction.OLD_ONLY else "old"


def breaking_direction(side: Side) -> Direction:
    """The difference that breaks someone on ``side``."""
    return Direction.OLD_ONLY if side in ACCEPT_SIDES else Direction.NEW_ONLY


@dataclass(frozen=True)
class Witness:
    """A value proving a break: valid under one version, rejected by the other.

    ``error`` is the rejecting version's validation message and ``error_pointer``
    where in ``value`` it applies; both come from ``jsonschema`` (Draft 2020-12).
    """

    value: Any
    accepted_by: Literal["old", "new"]
    rejected_by: Literal["old", "new"]
    error: str
    error_pointer: str


@dataclass(frozen=True)
class SourceLine:
    """The line of NEW's source a finding points at (the file as the user names it)."""

    file: str
    line: int


@dataclass(frozen=True)
class Finding:
    """One change, classified by a rule, located by function, side and pointer.

    ``pointer`` is a JSON pointer through the schema's keywords with ``$ref``s
    resolved (``/properties/settings/properties/temperature``); ``old_location``
    and ``new_location`` are where the changed schema lives in each document
    (``#/$defs/Settings/properties/temperature``).
    """

    rule: str
    severity: Severity
    default_severity: Severity
    function: str | None
    side: Side | None
    pointer: str
    message: str
    old_location: str | None = None
    new_location: str | None = None
    witness: Witness | None = None
    # Set when a rule that is breaking by default found no witness: the finding
    # is then reported as a warning, and this says why.
    unproven: str | None = None
    # Known when NEW was loaded from an app: the field, model or function changed.
    source: SourceLine | None = None


@dataclass(frozen=True)
class DiffReport:
    """Everything ``schemagen diff`` found, ordered for reading."""

    old_label: str
    new_label: str
    findings: tuple[Finding, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def highest(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    @property
    def suggested_bump(self) -> Bump:
        """major for a break, minor for new or changed behaviour, patch for docs only."""
        from schemagen.diff.registry import RULES

        if not self.findings:
            return "none"
        if self.highest is Severity.BREAKING:
            return "major"
        for finding in self.findings:
            rule = RULES.get(finding.rule)
            if finding.severity is Severity.WARNING or (rule is not None and rule.bump == "minor"):
                return "minor"
        return "patch"
