"""Values and checks: asserted formats, regex samples, examples of a node."""

from __future__ import annotations

import re

import pytest

from schemagen.diff.nodes import SchemaDoc
from schemagen.diff.regex_samples import regex_samples
from schemagen.diff.witness import FORMAT_SAMPLES, FORMATS, Validation, Values, is_valid


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_samples_are_valid_and_plain_text_is_not(name: str) -> None:
    for sample in FORMAT_SAMPLES[name]:
        assert is_valid({"type": "string", "format": name}, sample)
    assert not is_valid({"type": "string", "format": name}, "plain text")
    assert is_valid({"format": name}, 5)  # formats apply to strings only


def test_unknown_formats_are_annotations() -> None:
    assert is_valid({"type": "string", "format": "password"}, "anything")


@pytest.mark.parametrize(
    "pattern", ["^[a-z]+$", r"^\d{3}-\d{2}$", "^(cat|dog)s?$", "b$", r"^[^abc]x", r"(ab)\1"]
)
def test_regex_samples_match(pattern: str) -> None:
    samples = regex_samples(pattern)
    assert samples
    assert all(re.search(pattern, s) for s in samples)


def test_regex_samples_of_a_bad_pattern() -> None:
    assert regex_samples("(") == ()


def test_examples_are_valid_and_simplest_first() -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 2, "pattern": "^[a-z]+$"},
            "n": {"type": "integer", "exclusiveMinimum": 3, "multipleOf": 5},
            "tags": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 2,
                "uniqueItems": True,
            },
            "opt": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
        "required": ["name", "n", "tags"],
    }
    doc = SchemaDoc(schema, uri="urn:t", label="old", mode="declared")
    values = Values(doc, Validation(doc), "producer")
    first = values.first(("",))
    assert list(first) == ["name", "n", "tags"]  # required only, in declaration order
    assert first["n"] == 5 and first["tags"] == ["", "a"]
    assert is_valid(doc.producer_schema, first)
    for example in values.examples(("",)):
        assert is_valid(doc.producer_schema, example)
