"""The README's promises that CI relies on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import EXAMPLES, REPO, git


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


def pull_request_step() -> str:
    """The README workflow's pull-request step, as the bash script GitHub runs."""
    readme = (REPO / "README.md").read_text()
    block = readme.split("if: github.event_name == 'pull_request'", 1)[1]
    body = re.search(r"run: \|\n((?:          .*\n)+)", block)
    assert body is not None
    script = "\n".join(line[10:] for line in body.group(1).splitlines())
    return script.replace("${{ github.base_ref }}", "main")


def test_the_workflow_fails_when_any_app_breaks(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for name in ("a-broken", "b-same"):
        shutil.copytree(EXAMPLES / "structure", repo / "apps" / name)

    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    # The pull request: a required input in the first app, a new app last.
    source = repo / "apps" / "a-broken" / "inference.py"
    source.write_text(
        source.read_text().replace("    count: int", "    seed: int\n    count: int", 1)
    )
    shutil.copytree(EXAMPLES / "structure", repo / "apps" / "c-new")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    # GitHub runs `run:` steps with `bash -e`.
    run = subprocess.run(
        ["bash", "-e", "-c", pull_request_step()],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "::error file=apps/a-broken/inference.py" in run.stdout
    # The added app is reported, not skipped and not an error.
    assert "::notice file=apps/c-new/inference.py" in run.stdout
    assert "function-added::function run: was added" in run.stdout
    assert "error" not in run.stderr
