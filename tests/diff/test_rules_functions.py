"""Rules of ``rules_functions``: functions added, removed, changed; setup presence."""

from __future__ import annotations

from typing import Any

import jsonschema

from schemagen.diff.engine import run_diff
from schemagen.diff.model import Severity
from schemagen.diff.rules_functions import request_validator
from schemagen.manifest import AppInfo, Function, Manifest, SdkInfo

IN = {"type": "object", "properties": {"prompt": {"type": "string"}}, "required": ["prompt"]}
OUT = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}


def manifest(*functions: Function, setup: Any = None, origin: str = "app") -> Manifest:
    app = AppInfo(
        name="app",
        language="python",
        entrypoint="inference.py",
        app_class="App",
        sdk=SdkInfo("bundled"),
        origin=origin,  # type: ignore[arg-type]
    )
    return Manifest(app=app, setup=setup, functions={f.name: f for f in functions})


def fn(name: str = "run", **kw: Any) -> Function:
    return Function(
        name=name, description=kw.pop("description", ""), input_schema=IN, output_schema=OUT, **kw
    )


def rules(old: Manifest, new: Manifest) -> list[str]:
    return [f.rule for f in run_diff(old, new).findings]


COVERS = {
    "function-added": ("test_function_added", "test_unchanged_app_has_no_findings"),
    "function-removed": (
        "test_function_removed_with_request_witness",
        "test_unchanged_app_has_no_findings",
    ),
    "function-streaming-changed": (
        "test_streaming_changed",
        "test_streaming_unknown_is_not_compared",
    ),
    "function-description-changed": (
        "test_description_changed",
        "test_unchanged_app_has_no_findings",
    ),
    "function-credentials-changed": (
        "test_credentials_and_annotations",
        "test_unchanged_app_has_no_findings",
    ),
    "function-annotations-changed": (
        "test_credentials_and_annotations",
        "test_unchanged_app_has_no_findings",
    ),
    "setup-schema-added": (
        "test_setup_added_with_required_field",
        "test_unchanged_app_has_no_findings",
    ),
    "setup-schema-removed": ("test_setup_removed", "test_unchanged_app_has_no_findings"),
}


def test_unchanged_app_has_no_findings() -> None:
    app = manifest(fn(), fn("greet", credentials=["x"], annotations={"a": 1}), setup=IN)
    assert run_diff(app, app).findings == ()


def test_function_added() -> None:
    assert rules(manifest(fn()), manifest(fn(), fn("greet"))) == ["function-added"]


def test_function_removed_with_request_witness() -> None:
    old, new = manifest(fn(), fn("greet")), manifest(fn())
    (finding,) = run_diff(old, new).findings
    assert finding.rule == "function-removed" and finding.severity is Severity.BREAKING
    assert finding.witness is not None
    request = finding.witness.value
    assert request == {"function": "greet", "input": {"prompt": ""}}
    assert request_validator(old, "old").is_valid(request)
    assert not request_validator(new, "new").is_valid(request)


def test_streaming_changed() -> None:
    old, new = manifest(fn()), manifest(fn(streaming=True))
    assert rules(old, new) == ["function-streaming-changed"]


def test_streaming_unknown_is_not_compared() -> None:
    old = manifest(fn(), origin="functions_schema")
    assert rules(old, manifest(fn(streaming=True))) == []


def test_description_changed() -> None:
    assert rules(manifest(fn()), manifest(fn(description="Greets."))) == [
        "function-description-changed"
    ]


def test_credentials_and_annotations() -> None:
    old = manifest(fn())
    new = manifest(fn(credentials=["google"], annotations={"readOnly": True}))
    assert rules(old, new) == ["function-credentials-changed", "function-annotations-changed"]


def test_setup_added_with_required_field() -> None:
    report = run_diff(manifest(fn()), manifest(fn(), setup=IN))
    assert [f.rule for f in report.findings] == [
        "setup-schema-added",
        "setup-property-added",
        "setup-required-property-added",
    ]
    breaking = report.findings[-1]
    assert breaking.witness is not None and breaking.witness.value == {}
    assert not jsonschema.Draft202012Validator(IN).is_valid(breaking.witness.value)


def test_setup_removed() -> None:
    report = run_diff(manifest(fn(), setup=IN), manifest(fn()))
    assert [f.rule for f in report.findings][0] == "setup-schema-removed"
    assert report.highest is not Severity.BREAKING
