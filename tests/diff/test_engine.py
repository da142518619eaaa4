"""run_diff's last step: pointing each finding at a line of NEW's source."""

from __future__ import annotations

from schemagen.diff.engine import locate
from schemagen.diff.model import Finding, Severity, Side, SourceLine
from schemagen.manifest import Declared, FunctionSource, Sources

SETTINGS = Declared("models.py", 10, {"temperature": 11})
INPUT = Declared("inference.py", 20, {"prompt": 21, "settings": 22})
SOURCES = Sources(
    app_dir="apps/x",
    functions={
        "run": FunctionSource(
            at=Declared("inference.py", 40),
            input={"#": INPUT, "#/$defs/Settings": SETTINGS},
            output={},
        )
    },
    setup={"#": Declared("inference.py", 5, {"model_id": 6})},
)


def finding(side: Side | None, function: str | None, old: str | None, new: str | None) -> Finding:
    return Finding(
        rule="r",
        severity=Severity.INFO,
        default_severity=Severity.INFO,
        function=function,
        side=side,
        pointer="",
        message="m",
        old_location=old,
        new_location=new,
    )


def test_a_changed_field_points_at_its_line() -> None:
    found = locate(finding("input", "run", None, "#/properties/prompt"), SOURCES)
    assert found == SourceLine("apps/x/inference.py", 21)
    nested = "#/$defs/Settings/properties/temperature/anyOf/0/maximum"
    assert locate(finding("input", "run", None, nested), SOURCES) == SourceLine(
        "apps/x/models.py", 11
    )
    assert locate(finding("setup", None, None, "#/properties/model_id"), SOURCES) == SourceLine(
        "apps/x/inference.py", 6
    )


def test_fallbacks_model_then_function_then_nothing() -> None:
    # A removed field (only in OLD): its model's line in NEW.
    removed = finding("input", "run", "#/$defs/Settings/properties/top_k", None)
    assert locate(removed, SOURCES) == SourceLine("apps/x/models.py", 10)
    # A model NEW's sources do not know (e.g. the SDK's): the function's line.
    sdk = finding("output", "run", None, "#/$defs/OutputMeta/properties/inputs")
    assert locate(sdk, SOURCES) == SourceLine("apps/x/inference.py", 40)
    # A function-level finding: the function's line; a removed function: nothing.
    assert locate(finding(None, "run", None, None), SOURCES) == SourceLine(
        "apps/x/inference.py", 40
    )
    assert locate(finding(None, "gone", None, None), SOURCES) is None


def test_an_app_in_the_current_folder_names_bare_files() -> None:
    here = Sources(app_dir=".", functions={}, setup={"#": Declared("inference.py", 5)})
    assert locate(finding("setup", None, None, "#"), here) == SourceLine("inference.py", 5)
