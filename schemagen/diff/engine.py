"""``run_diff``: two manifests in, a classified, witnessed report out.

For the setup schema and each function's input and output schema, the walker
finds changes; each becomes a finding of its side's rule. A finding of a rule
that is breaking by default must carry a witness that jsonschema confirms on
whole documents; without one it is reported as a warning saying so. When no
rule proved a break on a side, a last-resort search samples values (see
``rules_semantic``). Config overrides apply last.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from schemagen.diff.config import DiffConfig
from schemagen.diff.model import (
    DiffReport,
    Direction,
    Finding,
    Severity,
    Side,
    SourceLine,
    breaking_direction,
)
from schemagen.diff.nodes import SchemaDoc
from schemagen.diff.registry import load_families
from schemagen.diff.rules_functions import EMPTY_SETUP, compare_functions
from schemagen.diff.rules_semantic import SCHEMA_NARROWED, SCHEMA_WIDENED, search_side
from schemagen.diff.walker import Walker
from schemagen.manifest import Declared, Manifest, Sources
from schemagen.schema.keywords import DEFS_KEYWORDS
from schemagen.schema.pointers import tokens as pointer_tokens

_SIDE_RANK = {None: 0, "setup": 0, "input": 1, "output": 2}


def run_diff(
    old: Manifest,
    new: Manifest,
    config: DiffConfig | None = None,
    *,
    old_label: str = "OLD",
    new_label: str = "NEW",
) -> DiffReport:
    """Compare two versions of an app's API; see ``schemagen.diff`` for the semantics."""
    load_families()
    config = config or DiffConfig()
    findings = compare_functions(old, new, extra_properties=config.extra_properties)
    findings += compare_side(
        "setup",
        None,
        old.setup if old.setup is not None else EMPTY_SETUP,
        new.setup if new.setup is not None else EMPTY_SETUP,
        config,
    )
    for name in sorted(set(old.functions) & set(new.functions)):
        before, after = old.functions[name], new.functions[name]
        findings += compare_side("input", name, before.input_schema, after.input_schema, config)
        findings += compare_side("output", name, before.output_schema, after.output_schema, config)
    ordered = sorted(
        enumerate(findings),
        key=lambda item: (
            item[1].function is not None,
            item[1].function or "",
            _SIDE_RANK[item[1].side] if item[1].function else 0,
            item[0],
        ),
    )
    final = [f for f in (_configured(f, config) for _, f in ordered) if f is not None]
    if new.sources is not None:
        final = [replace(f, source=locate(f, new.sources)) for f in final]
    return DiffReport(old_label=old_label, new_label=new_label, findings=tuple(final))


def locate(finding: Finding, sources: Sources) -> SourceLine | None:
    """The line of NEW's source that ``finding`` is about: the changed field's, else its
    model's (``$defs`` entry or the side's own model), else the function's."""
    function = sources.functions.get(finding.function) if finding.function else None
    if finding.side == "setup":
        models = sources.setup
    elif finding.side is not None and function is not None:
        models = function.input if finding.side == "input" else function.output
    else:
        models = {}
    location = finding.new_location or finding.old_location or ""
    model_key, field = _model_and_field(location)
    declared = models.get(model_key)
    if declared is not None:
        return SourceLine(sources.path(declared), declared.fields.get(field or "", declared.line))
    at: Declared | None = function.at if function is not None else None
    return SourceLine(sources.path(at), at.line) if at is not None else None


def _model_and_field(location: str) -> tuple[str, str | None]:
    """``#/$defs/Settings/properties/temperature/…`` -> ``#/$defs/Settings``, ``temperature``."""
    tokens = pointer_tokens(location)
    model, field = "#", None
    if len(tokens) >= 2 and tokens[0] in DEFS_KEYWORDS:
        model = f"#/$defs/{tokens[1]}"
        tokens = tokens[2:]
    if len(tokens) >= 2 and tokens[0] == "properties":
        field = tokens[1]
    return model, field


def compare_side(
    side: Side, function: str | None, old_schema: Any, new_schema: Any, config: DiffConfig
) -> list[Finding]:
    """Findings for one schema pair (``function`` None for setup)."""
    if json.dumps(old_schema, sort_keys=True) == json.dumps(new_schema, sort_keys=True):
        return []
    name = f"{function}:{side}" if function else side
    old_doc = SchemaDoc(
        old_schema, uri=f"urn:schemagen:old:{name}", label="old", mode=config.extra_properties
    )
    new_doc = SchemaDoc(
        new_schema, uri=f"urn:schemagen:new:{name}", label="new", mode=config.extra_properties
    )
    walker = Walker(side, old_doc, new_doc)
    findings: list[Finding] = []
    proven = False
    seen: set[tuple[str, str, str]] = set()
    for raw in walker.run():
        rule = raw.change.rule(side)
        pointer = raw.pointer
        witness = None
        unproven = None
        direction = rule.witness_direction
        if direction is not None:
            found = walker.witness(raw, direction)
            if found is not None:
                witness, pointer = found
                proven = True
            else:
                unproven = _unproven_reason(direction)
        marker = (rule.id, pointer, raw.message)
        if marker in seen:
            continue
        seen.add(marker)
        findings.append(
            Finding(
                rule=rule.id,
                severity=Severity.WARNING if unproven else rule.severity,
                default_severity=rule.severity,
                function=function,
                side=side,
                pointer=pointer,
                message=raw.message,
                old_location=raw.old_location,
                new_location=raw.new_location,
                witness=witness,
                unproven=unproven,
            )
        )
    unproven_break = any(f.unproven for f in findings)
    if not proven and (unproven_break or walker.approximate):
        # The rules are exact outside the constructs the walker noted as
        # approximate; there, and when a claimed break found no witness, search.
        direction = breaking_direction(side)
        witness = search_side(walker, direction)
        if witness is not None:
            rule = (SCHEMA_NARROWED if direction is Direction.OLD_ONLY else SCHEMA_WIDENED).rule(
                side
            )
            verb = "rejects" if direction is Direction.OLD_ONLY else "rejects this output of NEW"
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=rule.severity,
                    default_severity=rule.severity,
                    function=function,
                    side=side,
                    pointer=witness.error_pointer,
                    message=(
                        f"{'NEW' if direction is Direction.OLD_ONLY else 'OLD'} {verb} "
                        f"at {witness.error_pointer or '/'}: {witness.error}"
                    ),
                    witness=witness,
                )
            )
    return findings


def _unproven_reason(direction: Direction) -> str:
    if direction is Direction.OLD_ONLY:
        return "no value was found that OLD accepts and NEW rejects"
    return "no value was found that NEW may emit and OLD rejects"


def _configured(finding: Finding, config: DiffConfig) -> Finding | None:
    override = config.override(finding.rule)
    if override is None:
        return finding
    if override == "ignore":
        return None
    severity = override
    if finding.unproven and severity > Severity.WARNING:
        severity = Severity.WARNING
    if severity is finding.severity:
        return finding
    return replace(finding, severity=severity)
