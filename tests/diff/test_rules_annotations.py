"""Rules of ``rules_annotations``: defaults, descriptions, titles, deprecation."""

from __future__ import annotations

import pytest

from tests.diff.cases import Case, check, diff, obj

S = {"type": "string"}

CASES = [
    Case("default-added", obj(S, required=False), obj({**S, "default": "a"}, required=False)),
    Case(
        "default-added",
        obj({**S, "default": "a"}),
        obj({**S, "default": "a"}, minProperties=0),
        fires=False,
    ),
    Case("default-removed", obj({**S, "default": "a"}, required=False), obj(S, required=False)),
    Case("default-removed", obj(S), obj({**S, "default": "a"}), fires=False),
    Case(
        "default-changed",
        obj({**S, "default": "a"}),
        obj({**S, "default": "b"}),
        message='"a" -> "b"',
    ),
    Case(
        "default-changed",
        obj({"type": "number", "default": 1}),
        obj({"type": "number", "default": 1.0}),
        fires=False,
        note="same-number",
    ),
    Case("description-changed", obj({**S, "description": "old"}), obj({**S, "description": "new"})),
    Case(
        "description-changed",
        obj({**S, "description": "same"}),
        obj({**S, "description": "same", "title": "X"}),
        fires=False,
    ),
    Case("title-changed", obj({**S, "title": "Old"}), obj({**S, "title": "New"})),
    Case(
        "title-changed",
        obj({**S, "title": "Same"}),
        obj({**S, "title": "Same", "default": ""}),
        fires=False,
    ),
    Case("became-deprecated", obj(S), obj({**S, "deprecated": True})),
    Case("became-deprecated", obj({**S, "deprecated": True}), obj(S), fires=False),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)


def test_default_severity_depends_on_side() -> None:
    old, new = obj({**S, "default": "a"}), obj({**S, "default": "b"})
    assert [f.severity.label for f in diff("setup", old, new)] == ["warning"]
    assert [f.severity.label for f in diff("input", old, new)] == ["warning"]
    assert [f.severity.label for f in diff("output", old, new)] == ["info"]


def test_union_branch_description_is_compared() -> None:
    def pet(doc: str) -> dict[str, object]:
        return obj(
            {"anyOf": [{"type": "object", "description": doc, "properties": {}}, {"type": "null"}]}
        )

    findings = diff("output", pet("A cat."), pet("A dog."))
    assert [f.rule for f in findings] == ["output-description-changed"]
