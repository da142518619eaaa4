"""Rules on whole functions and on the presence of a setup schema.

A removed function breaks every caller of it. Its witness is a request, as the
platform receives it (``{"function": ..., "input": ...}``), that OLD's app
accepts and NEW's rejects: checked with jsonschema against a request schema
built from each manifest's functions.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from schemagen.diff.model import Direction, Effect, Finding, Severity, Witness
from schemagen.diff.nodes import SchemaDoc, short
from schemagen.diff.registry import function_rule
from schemagen.diff.witness import MISSING, Validation, Values, describe_error, format_checker
from schemagen.manifest import Function, Manifest
from schemagen.schema.values import canonical

FUNCTION_ADDED = function_rule(
    "function-added", severity=Severity.INFO, effect=Effect.WIDENS, summary="a function was added"
)
FUNCTION_REMOVED = function_rule(
    "function-removed",
    severity=Severity.BREAKING,
    effect=Effect.NARROWS,
    summary="a function was removed; its callers' requests are rejected",
)
FUNCTION_STREAMING_CHANGED = function_rule(
    "function-streaming-changed",
    severity=Severity.WARNING,
    effect=Effect.NEUTRAL,
    summary="a function became streaming or stopped streaming "
    "(the final output is unchanged; stream readers see a different protocol)",
)
FUNCTION_DESCRIPTION_CHANGED = function_rule(
    "function-description-changed",
    severity=Severity.INFO,
    effect=Effect.NEUTRAL,
    summary="a function's description (docstring) changed",
    bump="patch",
)
FUNCTION_CREDENTIALS_CHANGED = function_rule(
    "function-credentials-changed",
    severity=Severity.WARNING,
    effect=Effect.NEUTRAL,
    summary="the credentials a function declares changed (callers may need to configure them)",
)
FUNCTION_ANNOTATIONS_CHANGED = function_rule(
    "function-annotations-changed",
    severity=Severity.INFO,
    effect=Effect.NEUTRAL,
    summary="a function's annotations changed",
)
SETUP_SCHEMA_ADDED = function_rule(
    "setup-schema-added",
    side="setup",
    severity=Severity.INFO,
    effect=Effect.NEUTRAL,
    summary="the app now takes a setup config (its required fields are reported as setup rules)",
)
SETUP_SCHEMA_REMOVED = function_rule(
    "setup-schema-removed",
    side="setup",
    severity=Severity.WARNING,
    effect=Effect.NEUTRAL,
    summary="the app no longer takes a setup config (values sent are ignored)",
)

# An app without a setup model takes no config: as a schema, an empty object.
EMPTY_SETUP: dict[str, Any] = {"type": "object", "properties": {}}
_STREAMING_KNOWN = frozenset({"app", "manifest"})


def _finding(rule: Any, function: str | None, message: str, **extra: Any) -> Finding:
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        default_severity=rule.severity,
        function=function,
        side=rule.side,
        pointer="",
        message=message,
        **extra,
    )


def compare_functions(old: Manifest, new: Manifest, *, extra_properties: str) -> list[Finding]:
    """Findings about functions themselves and about the setup schema's presence."""
    findings: list[Finding] = []
    if old.setup is None and new.setup is not None:
        findings.append(_finding(SETUP_SCHEMA_ADDED, None, "the app now takes a setup config"))
    elif old.setup is not None and new.setup is None:
        findings.append(
            _finding(SETUP_SCHEMA_REMOVED, None, "the app no longer takes a setup config")
        )
    for name in sorted(set(old.functions) | set(new.functions)):
        before, after = old.functions.get(name), new.functions.get(name)
        if before is None and after is not None:
            findings.append(_finding(FUNCTION_ADDED, name, "was added"))
        elif before is not None and after is None:
            findings.append(_removed(old, new, before, extra_properties))
        elif before is not None and after is not None:
            findings += _changed(old, new, before, after)
    return findings


def _changed(old: Manifest, new: Manifest, before: Function, after: Function) -> list[Finding]:
    name = before.name
    out: list[Finding] = []
    known = old.app.origin in _STREAMING_KNOWN and new.app.origin in _STREAMING_KNOWN
    if known and before.streaming != after.streaming:
        how = "streams its outputs now" if after.streaming else "no longer streams its outputs"
        out.append(_finding(FUNCTION_STREAMING_CHANGED, name, how))
    if before.description != after.description:
        out.append(
            _finding(
                FUNCTION_DESCRIPTION_CHANGED,
                name,
                f"description {short(before.description, 60)} -> {short(after.description, 60)}",
            )
        )
    if canonical(before.credentials) != canonical(after.credentials):
        out.append(
            _finding(
                FUNCTION_CREDENTIALS_CHANGED,
                name,
                f"credentials {short(before.credentials)} -> {short(after.credentials)}",
            )
        )
    if canonical(before.annotations) != canonical(after.annotations):
        out.append(
            _finding(
                FUNCTION_ANNOTATIONS_CHANGED,
                name,
                f"annotations {short(before.annotations)} -> {short(after.annotations)}",
            )
        )
    return out


def request_validator(manifest: Manifest, label: str) -> jsonschema.protocols.Validator:
    """Validates a platform request ``{"function": ..., "input": ...}`` for this app."""
    registry: referencing.Registry[Any] = referencing.Registry()
    branches = []
    for fn in manifest.sorted_functions():
        uri = f"urn:schemagen:{label}:request:{fn.name}:input"
        registry = registry.with_resource(uri, DRAFT202012.create_resource(fn.input_schema))
        branches.append(
            {
                "type": "object",
                "required": ["function", "input"],
                "properties": {"function": {"const": fn.name}, "input": {"$ref": uri}},
            }
        )
    schema = {"anyOf": branches} if branches else False
    validator: jsonschema.protocols.Validator = jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=format_checker()
    )
    return validator


def _removed(old: Manifest, new: Manifest, fn: Function, extra_properties: str) -> Finding:
    message = "was removed"
    doc = SchemaDoc(
        fn.input_schema,
        uri=f"urn:schemagen:old:{fn.name}:input",
        label="old",
        mode="schema" if extra_properties == "schema" else "declared",
    )
    example = Values(doc, Validation(doc), "producer").first(("",))
    if example is not MISSING:
        request = {"function": fn.name, "input": example}
        if request_validator(old, "old").is_valid(request):
            rejecting = request_validator(new, "new")
            error = next(iter(rejecting.iter_errors(request)), None)
            if error is not None:
                where = describe_error(error)[1]
                witness = Witness(
                    request,
                    Direction.OLD_ONLY.accepted_by,
                    Direction.OLD_ONLY.rejected_by,
                    f"NEW has no function `{fn.name}`",
                    where,
                )
                return _finding(FUNCTION_REMOVED, fn.name, message, witness=witness)
    return Finding(
        rule=FUNCTION_REMOVED.id,
        severity=Severity.WARNING,
        default_severity=FUNCTION_REMOVED.severity,
        function=fn.name,
        side=None,
        pointer="",
        message=message,
        unproven="OLD's input schema accepts no value, so no request to it can be shown",
    )
