"""Reporters: text (default; colour on a terminal), json, markdown, github.

``json`` is the stable, documented format: ``report.schema.json`` beside this
file describes it and the tests validate every report against it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Literal

from schemagen.diff.model import DiffReport, FailOn, Finding, Severity
from schemagen.diff.nodes import json_text
from schemagen.errors import UsageError

Format = Literal["text", "json", "markdown", "github"]
FORMATS: tuple[Format, ...] = ("text", "json", "markdown", "github")
REPORT_FORMAT = "schemagen-diff"
REPORT_FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")

_ORDER = (Severity.BREAKING, Severity.WARNING, Severity.INFO)
_COLOURS = {
    Severity.BREAKING: "\x1b[1;31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def render(report: DiffReport, format: Format = "text", *, color: bool = False) -> str:
    """The report as text in ``format``; ends with a newline."""
    renderers: dict[str, Callable[[DiffReport], str]] = {
        "json": render_json,
        "markdown": render_markdown,
        "github": render_github,
    }
    if format == "text":
        return render_text(report, color=color)
    if format not in renderers:
        raise UsageError(
            f"unknown report format {format!r}", hint=f"use one of {', '.join(FORMATS)}"
        )
    return renderers[format](report)


def exit_code(report: DiffReport, fail_on: FailOn) -> int:
    """1 when a finding is at or above ``fail_on``, else 0 (2 is the CLI's, for errors)."""
    if fail_on == "never":
        return 0
    level = Severity.BREAKING if fail_on == "breaking" else Severity.WARNING
    return 1 if any(f.severity >= level for f in report.findings) else 0


def summary_line(report: DiffReport) -> str:
    counts = ", ".join(f"{report.count(s)} {s.label}" for s in _ORDER)
    return f"{counts}; suggested version bump: {report.suggested_bump}"


def _where(finding: Finding) -> str:
    parts = []
    if finding.function is not None:
        parts.append(finding.function if finding.side else f"function {finding.function}")
    if finding.side is not None:
        parts.append(finding.side)
    if finding.pointer:
        parts.append(finding.pointer)
    return " ".join(parts)


def _at(finding: Finding) -> str:
    """``file:line: `` (as compilers print it) when the finding's source line is known."""
    source = finding.source
    return f"{source.file}:{source.line}: " if source is not None else ""


def _compact(value: Any) -> str:
    return json_text(value, separators=(", ", ": "))


def _witness_note(finding: Finding) -> str:
    w = finding.witness
    assert w is not None
    return (
        f"accepted by {w.accepted_by.upper()}, rejected by {w.rejected_by.upper()} "
        f"at {w.error_pointer or '/'}: {w.error}"
    )


# ---------------------------------------------------------------- text


def render_text(report: DiffReport, *, color: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines = [f"schemagen diff {report.old_label} -> {report.new_label}"]
    if not report.findings:
        lines.append("no API changes")
        return "\n".join(lines) + "\n"
    lines.append(summary_line(report))
    for finding in report.findings:
        lines.append("")
        label = paint(finding.severity.label.upper(), _COLOURS[finding.severity])
        lines.append(f"{label} {finding.rule}")
        lines.append(f"  {_at(finding)}{_where(finding)}: {finding.message}")
        if finding.witness is not None:
            lines.append(f"  witness: {_compact(finding.witness.value)}")
            lines.append("    " + paint(_witness_note(finding), _DIM))
        if finding.unproven:
            lines.append("  " + paint(f"not proven breaking: {finding.unproven}", _DIM))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- json


def report_dict(report: DiffReport) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "format_version": REPORT_FORMAT_VERSION,
        "old": report.old_label,
        "new": report.new_label,
        "summary": {
            "breaking": report.count(Severity.BREAKING),
            "warning": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "suggested_bump": report.suggested_bump,
        },
        "findings": [_finding_dict(f) for f in report.findings],
    }


def _finding_dict(finding: Finding) -> dict[str, Any]:
    w = finding.witness
    return {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "default_severity": finding.default_severity.label,
        "function": finding.function,
        "side": finding.side,
        "pointer": finding.pointer,
        "old_location": finding.old_location,
        "new_location": finding.new_location,
        "message": finding.message,
        "witness": None
        if w is None
        else {
            "value": w.value,
            "accepted_by": w.accepted_by,
            "rejected_by": w.rejected_by,
            "error": w.error,
            "error_pointer": w.error_pointer,
        },
        "unproven": finding.unproven,
        "source": None
        if finding.source is None
        else {"file": finding.source.file, "line": finding.source.line},
    }


def render_json(report: DiffReport) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


@cache
def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``--format json`` output."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


# ---------------------------------------------------------------- markdown


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_finding(finding: Finding) -> list[str]:
    lines = [f"- **`{finding.rule}`** {_cell(_at(finding) + _where(finding))}: {finding.message}"]
    if finding.witness is not None:
        lines.append(f"  Witness, {_witness_note(finding)}:")
        body = json.dumps(finding.witness.value, indent=2, ensure_ascii=False)
        lines.append("  ```json")
        lines += ["  " + line for line in body.splitlines()]
        lines.append("  ```")
    if finding.unproven:
        lines.append(f"  Not proven breaking: {finding.unproven}.")
    return lines


def render_markdown(report: DiffReport) -> str:
    lines = [f"### schemagen diff: `{report.old_label}` → `{report.new_label}`", ""]
    if not report.findings:
        lines.append("No API changes.")
        return "\n".join(lines) + "\n"
    lines += [
        "| breaking | warning | info | suggested bump |",
        "| ---: | ---: | ---: | :--- |",
        f"| {report.count(Severity.BREAKING)} | {report.count(Severity.WARNING)} | "
        f"{report.count(Severity.INFO)} | **{report.suggested_bump}** |",
        "",
        "| severity | rule | function | side | where | change |",
        "| :--- | :--- | :--- | :--- | :--- | :--- |",
    ]
    for f in report.findings:
        function = f"`{f.function}`" if f.function else ""
        pointer = f"`{_cell(f.pointer)}`" if f.pointer else ""
        lines.append(
            f"| {f.severity.label} | `{f.rule}` | {function} | {f.side or ''} | {pointer} | "
            f"{_cell(f.message)} |"
        )
    titles = {Severity.BREAKING: "Breaking changes", Severity.WARNING: "Warnings"}
    for severity in (Severity.BREAKING, Severity.WARNING):
        chosen = [f for f in report.findings if f.severity is severity]
        if chosen:
            lines += ["", f"#### {titles[severity]}", ""]
            for f in chosen:
                lines += _markdown_finding(f)
    infos = [f for f in report.findings if f.severity is Severity.INFO]
    if infos:
        lines += ["", f"<details><summary>{len(infos)} info</summary>", ""]
        for f in infos:
            lines += _markdown_finding(f)
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- github


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_COMMANDS = {Severity.BREAKING: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(report: DiffReport) -> str:
    """GitHub Actions workflow commands: one annotation per finding, then a summary."""
    lines = []
    for f in report.findings:
        text = f"{_where(f)}: {f.message}"
        if f.witness is not None:
            text += f"\nWitness: {_compact(f.witness.value)}\n{_witness_note(f)}"
        if f.unproven:
            text += f"\nNot proven breaking: {f.unproven}"
        properties = f"title={_escape_property(f'schemagen diff: {f.rule}')}"
        if f.source is not None:
            properties = f"file={_escape_property(f.source.file)},line={f.source.line},{properties}"
        lines.append(f"::{_COMMANDS[f.severity]} {properties}::{_escape_data(text)}")
    lines.append(
        f"schemagen diff {report.old_label} -> {report.new_label}: "
        + (summary_line(report) if report.findings else "no API changes")
    )
    return "\n".join(lines) + "\n"
