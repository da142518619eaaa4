"""Property tests: no false "compatible", and every witness verifies.

Random schemas (pydantic/zod shapes: objects, optional fields, unions, enums,
bounds, patterns, formats, $defs with recursion) are mutated at random. For each
pair, values are sampled; whenever one is valid for the producing version and
rejected by the consuming one (input: OLD's callers vs NEW; output: NEW's app vs
OLD's consumers), the diff must have reported a breaking finding on that side.
Every breaking finding's witness must verify the same way.

Profiles: quick by default (deterministic, CI); ``HYPOTHESIS_PROFILE=long``
runs many more random examples (minutes) and also requires that a specific rule,
not only the last-resort search, explains every sampled break.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemagen.diff.config import DiffConfig
from schemagen.diff.engine import compare_side
from schemagen.diff.model import Severity
from schemagen.diff.witness import format_checker
from tests import profiles
from tests.diff.strategies import closed, dumps, mutated, schema_documents, values_for

SEARCH_RULES = {"input-schema-narrowed", "output-schema-widened"}
LONG = profiles.LONG
SETTINGS = settings(
    max_examples=2500 if LONG else 100,
    deadline=None,
    derandomize=not LONG,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def _summary(findings: list[Any]) -> list[tuple[str, str, str | None]]:
    return [(f.rule, f.pointer, f.unproven) for f in findings]


def _validator(schema: Any) -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=format_checker())


@pytest.mark.parametrize("mode", ["declared", "schema"])
@pytest.mark.parametrize("side", ["input", "output"])
@SETTINGS
@given(data=st.data())
def test_no_false_compatible(side: str, mode: str, data: st.DataObject) -> None:
    old = data.draw(schema_documents(), label="old")
    new = data.draw(mutated(old), label="new")
    findings = compare_side(side, "run", old, new, DiffConfig(extra_properties=mode))  # type: ignore[arg-type]
    producer, consumer = (old, new) if side == "input" else (new, old)
    produce = _validator(closed(producer) if mode == "declared" else producer)
    consume = _validator(consumer)
    breaking = [f for f in findings if f.severity is Severity.BREAKING]
    for finding in breaking:
        assert finding.witness is not None, finding
        value = finding.witness.value
        assert produce.is_valid(value), (finding, "witness not valid for the producer")
        assert not consume.is_valid(value), (finding, "witness not rejected by the consumer")
    samples = data.draw(
        st.lists(
            st.one_of(values_for(producer, producer), values_for(consumer, consumer)),
            min_size=12,
            max_size=30,
        ),
        label="samples",
    )
    for value in samples:
        if produce.is_valid(value) and not consume.is_valid(value):
            assert breaking, (
                f"no breaking finding, but {dumps(value)} is produced by one version "
                f"and rejected by the other; findings: {_summary(findings)}"
            )
            if LONG:
                assert any(f.rule not in SEARCH_RULES for f in breaking), (
                    f"only the last-resort search explains {dumps(value)}: {_summary(findings)}"
                )
            return
