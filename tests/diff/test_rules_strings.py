"""Rules of ``rules_strings``: pattern, format (File fields), contentMediaType."""

from __future__ import annotations

from typing import Any

import pytest

from tests.diff.cases import Case, check, obj


def text(**kw: Any) -> dict[str, Any]:
    return obj({"type": "string", **kw})


FILE = {"format": "file"}

CASES = [
    Case("pattern-added", text(), text(pattern="^[a-z]+$")),
    Case("pattern-added", text(pattern="^[a-z]+$"), text(), fires=False),
    Case("pattern-removed", text(pattern="^[a-z]+$"), text()),
    Case("pattern-removed", text(), text(pattern="^[a-z]+$"), fires=False),
    Case("pattern-changed", text(pattern="^[a-z]+$"), text(pattern="^[0-9]+$")),
    Case(
        "pattern-changed",
        text(pattern="^[a-z]+$"),
        text(pattern="^[a-z]+$", minLength=1),
        fires=False,
    ),
    Case("format-added", text(), text(**FILE), message="File field"),
    Case("format-added", text(**FILE), text(), fires=False),
    Case("format-removed", text(**FILE), text()),
    Case("format-removed", text(), text(**FILE), fires=False),
    Case("format-changed", text(format="date"), text(format="email")),
    Case("format-changed", text(format="date"), text(format="date"), fires=False),
    Case(
        "content-media-type-changed",
        text(**FILE, contentMediaType="image/*"),
        text(**FILE, contentMediaType="video/*"),
    ),
    Case(
        "content-media-type-changed",
        text(**FILE, contentMediaType="image/*"),
        text(**FILE, contentMediaType="image/*", description="now documented"),
        fires=False,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule(case: Case) -> None:
    check(case)


def test_unasserted_format_change_is_reported_unproven() -> None:
    from tests.diff.cases import diff

    findings = diff("input", text(), text(format="password"))
    (finding,) = [f for f in findings if f.rule == "input-format-added"]
    assert finding.severity.label == "warning"
    assert finding.witness is None and finding.unproven
