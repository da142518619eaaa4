"""Reporters: goldens for every format, the JSON format's schema, exit codes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from schemagen.diff import exit_code, render, run_diff
from schemagen.diff.model import DiffReport, Severity
from schemagen.diff.report import FORMATS, report_json_schema
from schemagen.errors import UsageError
from schemagen.manifest import AppInfo, Function, Manifest, SdkInfo, load_manifest_file
from tests.diff.conftest import Golden

DATA = Path(__file__).parent / "data"
SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "github": "github.txt"}


@pytest.fixture(scope="module")
def flux() -> DiffReport:
    old = load_manifest_file(DATA / "flux-v1.manifest.json")
    new = load_manifest_file(DATA / "flux-v2.manifest.json")
    return run_diff(old, new, old_label="git:origin/main:apps/flux", new_label="apps/flux")


@pytest.fixture(scope="module")
def unchanged() -> DiffReport:
    app = load_manifest_file(DATA / "flux-v1.manifest.json")
    return run_diff(app, app, old_label="git:origin/main:apps/flux", new_label="apps/flux")


@pytest.mark.parametrize("format", FORMATS)
def test_flux_report_golden(flux: DiffReport, golden: Golden, format: str) -> None:
    golden.check(f"flux.{SUFFIX[format]}", render(flux, format))  # type: ignore[arg-type]


@pytest.mark.parametrize("format", FORMATS)
def test_unchanged_report_golden(unchanged: DiffReport, golden: Golden, format: str) -> None:
    golden.check(f"unchanged.{SUFFIX[format]}", render(unchanged, format))  # type: ignore[arg-type]


def test_json_report_matches_its_schema(flux: DiffReport, unchanged: DiffReport) -> None:
    schema = report_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for report in (flux, unchanged):
        jsonschema.Draft202012Validator(schema).validate(json.loads(render(report, "json")))


def test_flux_summary(flux: DiffReport) -> None:
    assert flux.suggested_bump == "major"
    assert flux.count(Severity.BREAKING) == 7
    assert all(f.witness is not None for f in flux.findings if f.severity is Severity.BREAKING)


def test_colour_only_when_asked(flux: DiffReport) -> None:
    assert "\x1b[" not in render(flux, "text")
    assert "\x1b[1;31mBREAKING" in render(flux, "text", color=True)


def test_unknown_format() -> None:
    with pytest.raises(UsageError):
        render(DiffReport("a", "b", ()), "yaml")  # type: ignore[arg-type]


def test_github_annotations_escape_newlines_and_properties(flux: DiffReport) -> None:
    lines = render(flux, "github").splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines[:-1])
    assert lines[0].startswith("::warning title=schemagen diff%3A setup-default-changed::")
    assert "%0AWitness: " in render(flux, "github")


def test_exit_codes(flux: DiffReport, unchanged: DiffReport) -> None:
    assert exit_code(flux, "breaking") == 1
    assert exit_code(flux, "warning") == 1
    assert exit_code(flux, "never") == 0
    assert exit_code(unchanged, "breaking") == 0
    warnings_only = replace(
        flux, findings=tuple(f for f in flux.findings if f.severity is not Severity.BREAKING)
    )
    assert exit_code(warnings_only, "breaking") == 0
    assert exit_code(warnings_only, "warning") == 1


def test_bump_levels(flux: DiffReport, unchanged: DiffReport) -> None:
    assert unchanged.suggested_bump == "none"
    info = replace(flux, findings=tuple(f for f in flux.findings if f.rule == "function-added"))
    assert info.suggested_bump == "minor"
    docs = replace(
        flux,
        findings=tuple(
            replace(f, rule="input-description-changed", severity=Severity.INFO)
            for f in flux.findings[:1]
        ),
    )
    assert docs.suggested_bump == "patch"


def test_values_with_line_separators_stay_on_their_line() -> None:
    def app(values: list[str]) -> Manifest:
        schema = {"type": "object", "properties": {"style": {"enum": values}}}
        run = Function("run", "", schema, {"type": "object", "properties": {}})
        return Manifest(
            AppInfo("app", "python", None, None, SdkInfo("bundled")), None, {"run": run}
        )

    report = run_diff(app(["plain"]), app(["plain", "line\u2028sep\u2029end\x85"]))
    assert report.findings
    for format in ("text", "markdown", "github"):
        text = render(report, format)
        assert not {"\u2028", "\u2029", "\x85"} & set(text), format
        assert "line\\u2028sep\\u2029end\\u0085" in text, format
    json.loads(render(report, "json"))
