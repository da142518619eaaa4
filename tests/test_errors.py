"""Each error a user can cause: one line on stderr, exit code 2, no traceback.

The expected line of every fixture in tests/fixtures/errors is in
golden/errors/<name>.txt (refresh with ``--update-golden``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES, GOLDEN, REPO, run_cli

ERROR_APPS = sorted(p for p in (FIXTURES / "errors").iterdir() if p.is_dir())
EXTRA_ARGS = {"import-timeout": ["--timeout", "1.5"]}


@pytest.mark.parametrize("app", ERROR_APPS, ids=[p.name for p in ERROR_APPS])
def test_error_is_one_line_and_exit_2(app: Path, update_golden: bool) -> None:
    rel = app.relative_to(REPO)
    result = run_cli("extract", str(rel), "--sdk", "bundled", *EXTRA_ARGS.get(app.name, []))
    assert result.code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"schemagen: error: {rel}/")
    golden = GOLDEN / "errors" / f"{app.name}.txt"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stderr)
    assert result.stderr == golden.read_text()


def test_verbose_adds_the_traceback() -> None:
    result = run_cli("extract", "tests/fixtures/errors/raises-at-import", "-v")
    assert result.code == 2
    assert "Traceback" in result.stderr
    assert "json.decoder.JSONDecodeError" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("schemagen: error: ")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["extract", "no/such/app"], "no/such/app: no such file or folder"),
        (["extract", "README.md"], "README.md: not an app entrypoint"),
        (["extract", "tests"], "tests: no inference.py or inference.js in this folder"),
        (["extract", "examples/structure", "--sdk", "nope"], "Invalid value for '--sdk'"),
        (["generate", "examples/structure", "--target", "nope"], "Invalid value for '--target'"),
        (["extract", "examples/structure", "--timeout", "0"], "Invalid value for '--timeout'"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], needle: str) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert needle in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("schemagen: error: ")


def test_a_bad_flag_is_one_line_naming_the_help_to_read() -> None:
    result = run_cli("generate", "examples/structure", "--zzz")
    assert result.code == 2
    # (run as `python -m schemagen`, which click names the program)
    assert result.stderr.startswith("schemagen: error: No such option: --zzz (see ")
    assert result.stderr.endswith("schemagen generate -h)\n")
    assert len(result.stderr.splitlines()) == 1


def test_no_message_names_schemagen_internals() -> None:
    # The synthetic package apps are imported into, pydantic's core schema classes, the
    # loader's own modules: none of them is something a user can act on.
    for golden in sorted((GOLDEN / "errors").glob("*.txt")):
        text = golden.read_text()
        for internal in ("_schemagen_app", "core_schema", "schemagen.loader", "schemagen/loader"):
            assert internal not in text, golden.name


def test_a_json_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"format": "schemagen-manifest",\n  "app": }\n')
    result = run_cli("generate", "manifest.json", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr == "schemagen: error: manifest.json:2:10: not JSON: Expecting value\n"


def test_a_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.schemagen.diff]\nfail-on = "warning\n')
    manifest = str(GOLDEN / "examples" / "structure" / "manifest.json")
    result = run_cli("diff", manifest, manifest, cwd=tmp_path)
    assert result.code == 2
    # Found by walking up from the current folder, and named from there.
    assert result.stderr == (
        "schemagen: error: pyproject.toml:2:19: not valid TOML: Illegal character '\\n'\n"
    )
