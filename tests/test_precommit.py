"""The pre-commit hooks work as an app repository would run them."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import yaml

from tests.helpers import EXAMPLES, REPO, run_cli


def hook_argv(hook_id: str) -> list[str]:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks[hook_id]
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    argv = shlex.split(hook["entry"])
    assert argv[0] == "schemagen"
    return argv[1:]


def test_check_hook_fails_on_stale_files_until_the_generate_hook_ran(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "structure", tmp_path / "apps" / "structure")
    shutil.copytree(EXAMPLES / "multi-function", tmp_path / "apps" / "greet")
    check, generate = hook_argv("schemagen-check"), hook_argv("schemagen-generate")
    stale = run_cli(*check, cwd=tmp_path)
    assert stale.code == 1
    assert "missing: apps/greet/functions_schema.json" in stale.stdout
    assert run_cli(*generate, cwd=tmp_path).code == 0
    assert run_cli(*check, cwd=tmp_path).code == 0
