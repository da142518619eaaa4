"""`schemagen diff` end to end: real apps, exit codes, formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema

from schemagen.diff.report import report_json_schema
from tests.helpers import EXAMPLES, run_cli


def changed_copy(tmp_path: Path) -> Path:
    app = tmp_path / "structure"
    shutil.copytree(EXAMPLES / "structure", app)
    source = app / "inference.py"
    source.write_text(
        source.read_text().replace(
            '    count: int = Field(default=1, description="How many to generate")',
            '    count: int = Field(default=1, description="How many to generate")\n'
            '    seed: int = Field(description="Random seed")',
        )
    )
    return app


def test_breaking_change_exits_1_and_shows_a_witness(tmp_path: Path) -> None:
    result = run_cli("diff", "examples/structure", str(changed_copy(tmp_path)))
    assert result.code == 1
    assert "BREAKING input-required-property-added" in result.stdout
    assert "accepted by OLD, rejected by NEW" in result.stdout
    assert "suggested version bump: major" in result.stdout


def test_fail_on_never_and_json_report(tmp_path: Path) -> None:
    new = changed_copy(tmp_path)
    result = run_cli(
        "diff", "examples/structure", str(new), "--fail-on", "never", "--format", "json"
    )
    assert result.code == 0
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_json_schema())
    breaking = [f for f in report["findings"] if f["severity"] == "breaking"]
    assert breaking and all(f["witness"] is not None for f in breaking)


def test_identical_apps_and_git_sources_exit_0() -> None:
    result = run_cli("diff", "git:HEAD:examples/structure", "examples/structure")
    assert result.code == 0, result.stderr
    assert "no API changes" in result.stdout


def test_a_bad_source_is_exit_2() -> None:
    result = run_cli("diff", "no/such/app", "examples/structure")
    assert result.code == 2
    assert result.stderr.startswith("schemagen: error: ")
