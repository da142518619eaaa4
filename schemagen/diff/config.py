"""Diff configuration: ``[tool.schemagen.diff]`` in pyproject.toml, or a file.

::

    [tool.schemagen.diff]
    fail-on = "breaking"            # breaking | warning | never (--fail-on wins)
    extra-properties = "declared"   # declared | schema

    [tool.schemagen.diff.severity]  # rule ID or glob -> breaking|warning|info|ignore
    "output-property-removed" = "breaking"
    "*-description-changed" = "ignore"

An exact rule ID wins over a glob; among globs, the longest wins. ``--config
FILE`` reads a TOML file holding either that table (a pyproject.toml) or the
same keys at its top level.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from schemagen.diff.model import FAIL_ON_CHOICES, FailOn, Severity
from schemagen.diff.nodes import ExtraMode
from schemagen.diff.registry import all_rules
from schemagen.errors import UsageError, not_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

Override = Severity | Literal["ignore"]
_KEYS = frozenset({"fail-on", "extra-properties", "severity"})


@dataclass(frozen=True)
class DiffConfig:
    """How to classify and gate: severity overrides, fail level, extra-property semantics."""

    severity: Mapping[str, Override] = field(default_factory=dict)
    fail_on: FailOn = "breaking"
    extra_properties: ExtraMode = "declared"
    source: Path | None = None

    def override(self, rule_id: str) -> Override | None:
        """The configured severity for a rule, or None to keep its own."""
        if rule_id in self.severity:
            return self.severity[rule_id]
        matches = [p for p in self.severity if fnmatch.fnmatchcase(rule_id, p)]
        if not matches:
            return None
        return self.severity[max(matches, key=lambda p: (len(p), p))]


def load_config(path: Path, cwd: Path) -> DiffConfig:
    """The diff configuration in ``path`` (``--config FILE``): its
    ``[tool.schemagen.diff]``, else, in a file other than pyproject.toml, its top-level
    keys. (The nearest pyproject.toml is found by ``schemagen.config``, which hands its
    table to ``diff_config``.)"""
    data = _read(path)
    table = _section(data)
    if table is None:
        table = {} if path.name == "pyproject.toml" else data
    return _parse(table, path)


def diff_config(table: Mapping[str, Any], source: Path | None) -> DiffConfig:
    """The diff configuration of a ``[tool.schemagen.diff]`` table read from ``source``."""
    return _parse(dict(table), source if table else None)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise UsageError(f"cannot read config: {exc.strerror}", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise not_toml(exc, str(path)) from None


def _section(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    if isinstance(tool, dict):
        schemagen = tool.get("schemagen")
        if isinstance(schemagen, dict):
            table = schemagen.get("diff")
            if isinstance(table, dict):
                return table
    return None


def _parse(table: dict[str, Any], source: Path | None) -> DiffConfig:
    where = str(source) if source else None
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(
            f"unknown key(s) in [tool.schemagen.diff]: {', '.join(unknown)}",
            file=where,
            hint=f"known keys: {', '.join(sorted(_KEYS))}",
        )
    fail_on = table.get("fail-on", "breaking")
    if fail_on not in FAIL_ON_CHOICES:
        raise UsageError(
            f"fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}", file=where
        )
    extra = table.get("extra-properties", "declared")
    if extra not in ("declared", "schema"):
        raise UsageError(
            f"extra-properties must be 'declared' or 'schema', not {extra!r}", file=where
        )
    raw = table.get("severity", {})
    if not isinstance(raw, dict):
        raise UsageError("[tool.schemagen.diff.severity] must be a table", file=where)
    rules = all_rules()
    severity: dict[str, Override] = {}
    for pattern, value in raw.items():
        if not any(fnmatch.fnmatchcase(rule, pattern) for rule in rules):
            raise UsageError(
                f"severity override {pattern!r} matches no rule",
                file=where,
                hint="see `docs/diff.md` for the rule IDs",
            )
        if value == "ignore":
            severity[pattern] = "ignore"
            continue
        try:
            severity[pattern] = Severity.parse(str(value))
        except ValueError:
            raise UsageError(
                f"severity for {pattern!r} must be breaking, warning, info or ignore, "
                f"not {value!r}",
                file=where,
            ) from None
    return DiffConfig(severity=severity, fail_on=fail_on, extra_properties=extra, source=source)
