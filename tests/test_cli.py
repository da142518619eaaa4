"""The command line's help and version: every command shows an example."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from schemagen import __version__
from schemagen.cli import main
from tests.helpers import GOLDEN, run_cli


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(main.commands))])
def test_every_help_carries_an_example(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.code == 0
    assert "Example" in result.stdout
    assert "schemagen " in result.stdout.split("Example", 1)[1]


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0 and __version__ in result.stdout


def test_back_end_warnings_are_printed_once_each(tmp_path: Path) -> None:
    result = run_cli(
        "generate", "tests/emit/zod_cases/exotic.json", "--target", "zod", "--out", str(tmp_path)
    )
    assert result.code == 0, result.stderr
    expected = (GOLDEN / "zod" / "exotic" / "warnings.txt").read_text().splitlines()
    printed = [
        line.removeprefix("schemagen: warning: zod: ")
        for line in result.stderr.splitlines()
        if line.startswith("schemagen: warning: ")
    ]
    assert printed == expected


def test_extract_does_not_import_the_code_generators() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from schemagen.cli import main\n"
        "try: main(['extract', 'examples/multi-function'])\n"
        "except SystemExit: pass\n"
        "sys.stderr.write(' '.join(m for m in sys.modules if m.startswith('schemagen.emit')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stderr.split() == ["schemagen.emit"]


@pytest.mark.parametrize("verbose", [False, True])
def test_a_schemagen_bug_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, verbose: bool
) -> None:
    import schemagen.manifest

    def broken(path: object) -> None:
        raise ValueError("Out of range float values are not JSON compliant\nsecond line")

    monkeypatch.setattr(schemagen.manifest, "load_manifest_file", broken)
    manifest = str(GOLDEN / "examples" / "structure" / "manifest.json")
    args = ["extract", manifest] + (["-v"] if verbose else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[-1] == (
        "schemagen: internal error: ValueError: Out of range float values are not JSON "
        "compliant (a schemagen bug: "
        + ("the traceback is above" if verbose else "rerun with -v for the traceback")
        + ", and please report it)"
    )
    assert ("Traceback (most recent call last)" in result.stderr) is verbose


def test_the_summary_counts_from_cache_among_the_apps_that_are_ok() -> None:
    from types import SimpleNamespace
    from typing import Any

    from schemagen.cli import _apps_summary
    from schemagen.errors import UsageError

    def outcome(cached: bool, error: UsageError | None = None) -> Any:
        return SimpleNamespace(cached=cached, error=error, warnings=[])

    # An app whose manifest came from the cache but whose target failed is not "ok".
    failed = outcome(True, UsageError("the python-client target needs the app reference"))
    outcomes = [outcome(True), outcome(False), failed, outcome(True)]
    assert _apps_summary(outcomes) == "4 apps, 3 ok (2 from cache), 1 failed"
    # check: a stale app (the last) is not "ok" either
    assert _apps_summary(outcomes, {3}) == "4 apps, 2 ok (1 from cache), 1 stale, 1 failed"
