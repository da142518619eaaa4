"""``[tool.schemagen.diff]`` / ``--config``: severity overrides, fail-on, extra properties."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemagen.config import load_project_config
from schemagen.diff import load_config, run_diff
from schemagen.diff.config import DiffConfig, diff_config
from schemagen.diff.model import Severity
from schemagen.errors import UsageError
from tests.diff.test_rules_functions import fn, manifest


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def found(cwd: Path) -> DiffConfig:
    """The diff configuration the command line reads: [tool.schemagen.diff] of the
    project configuration found from ``cwd``."""
    project = load_project_config(None, cwd=cwd)
    return diff_config(project.diff, project.path)


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    assert found(tmp_path / "nowhere") == DiffConfig()


def test_nearest_pyproject_section(tmp_path: Path) -> None:
    project = write(
        tmp_path / "pyproject.toml",
        '[tool.schemagen.diff]\nfail-on = "warning"\nextra-properties = "schema"\n'
        '[tool.schemagen.diff.severity]\n"function-added" = "warning"\n'
        '"*-description-changed" = "ignore"\n',
    )
    sub = tmp_path / "apps" / "flux"
    sub.mkdir(parents=True)
    config = found(sub)
    assert config.source == project
    assert config.fail_on == "warning" and config.extra_properties == "schema"
    assert config.override("function-added") is Severity.WARNING
    assert config.override("output-description-changed") == "ignore"
    assert config.override("function-removed") is None


def test_pyproject_without_section_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    assert found(tmp_path) == DiffConfig()
    write(tmp_path / "pyproject.toml", '[tool.schemagen]\nsdk = "bundled"\n')
    assert found(tmp_path) == DiffConfig()


def test_config_file_with_top_level_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path / "diff.toml",
        '[severity]\n"input-*" = "info"\n"input-type-changed" = "breaking"\n',
    )
    config = load_config(path, tmp_path)
    assert config.override("input-enum-value-removed") is Severity.INFO
    assert config.override("input-type-changed") is Severity.BREAKING


@pytest.mark.parametrize(
    "text",
    [
        'fail-on = "sometimes"\n',
        'extra-properties = "maybe"\n',
        "colour = true\n",
        '[severity]\n"no-such-rule" = "info"\n',
        '[severity]\n"function-added" = "fatal"\n',
        "not toml [",
    ],
)
def test_bad_config_is_a_usage_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(UsageError):
        load_config(write(tmp_path / "diff.toml", text), tmp_path)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        load_config(tmp_path / "missing.toml", tmp_path)


def test_overrides_apply_to_report() -> None:
    old, new = manifest(fn(), fn("greet")), manifest(fn(), fn("hello"))
    config = DiffConfig(severity={"function-removed": Severity.INFO, "function-added": "ignore"})
    report = run_diff(old, new, config)
    assert [(f.rule, f.severity) for f in report.findings] == [("function-removed", Severity.INFO)]
    assert report.findings[0].default_severity is Severity.BREAKING
    assert report.suggested_bump == "minor"
