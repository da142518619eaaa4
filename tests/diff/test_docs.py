"""docs/diff.md stays in step with the registry: its rules table is regenerated here."""

from __future__ import annotations

from pathlib import Path

from schemagen.diff.model import SIDES
from schemagen.diff.registry import Rule, all_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "diff.md"
FAMILIES = [
    "types",
    "unions",
    "enum",
    "bounds",
    "strings",
    "objects",
    "arrays",
    "annotations",
    "semantic",
]


def rules_table() -> str:
    """The rules section's tables, as docs/diff.md must contain them."""
    changes: dict[tuple[str, str], dict[str, Rule]] = {}
    functions = []
    for rule in all_rules().values():
        if rule.family == "functions":
            functions.append(rule)
        else:
            changes.setdefault((rule.family, rule.change), {})[str(rule.side)] = rule
    lines = [
        "| family | change | setup | input | output | meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (family, name), sides in sorted(changes.items(), key=lambda kv: FAMILIES.index(kv[0][0])):
        cells = " | ".join(sides[s].severity.label if s in sides else "—" for s in SIDES)
        summary = next(iter(sides.values())).summary
        lines.append(f"| {family} | `{name}` | {cells} | {summary} |")
    lines += ["", "| rule | severity | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{r.id}` | {r.severity.label} | {r.summary} |" for r in functions]
    return "\n".join(lines) + "\n"


def test_rules_table_is_current() -> None:
    assert rules_table() in DOC.read_text(encoding="utf-8"), (
        "docs/diff.md's rules table is stale: paste tests.diff.test_docs.rules_table() into it"
    )
