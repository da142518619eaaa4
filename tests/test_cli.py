"""The command line's help and version: every command shows an example."""

from __future__ import annotations

import pytest

from schemagen import __version__
from schemagen.cli import main
from tests.helpers import run_cli


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(main.commands))])
def test_every_help_carries_an_example(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.code == 0
    assert "Example" in result.stdout
    assert "schemagen " in result.stdout.split("Example", 1)[1]


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0 and __version__ in result.stdout
