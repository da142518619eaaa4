"""The README's promises that CI relies on."""

from __future__ import annotations

import re

from tests.helpers import REPO


def setup_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_shows_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert "schemagen generate examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert setup_commands()[1] in ci
