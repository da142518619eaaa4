"""The command line's help and version: every command shows an example."""

from __future__ import annotations

from pathlib import Path

import pytest

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
