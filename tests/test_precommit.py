"""The pre-commit hooks work as an app repository would run them, and the README's
install lines and pre-commit snippet name the tag of the version the package declares."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import EXAMPLES, REPO, git, run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

README = (REPO / "README.md").read_text()


def hook_argv(hook_id: str) -> list[str]:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks[hook_id]
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    argv = shlex.split(hook["entry"])
    assert argv[0] == "schemagen"
    return argv[1:]


def declared_tag() -> str:
    """``v`` and the version pyproject.toml declares: the tag a release is made from."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == "inferencesh-schemagen"
    return f"v{project['version']}"


def readme_precommit_repo() -> dict[str, Any]:
    """The one ``repos:`` entry of the README's pre-commit snippet."""
    block = README.split("pre-commit (`.pre-commit-hooks.yaml`", 1)[1]
    snippet = re.search(r"```yaml\n(.+?)```", block, re.DOTALL)
    assert snippet is not None
    (repo,) = yaml.safe_load(snippet.group(1))["repos"]
    return dict(repo)


def test_install_lines_and_the_snippet_name_the_declared_version_tag() -> None:
    tag = declared_tag()
    install = f'pip install "git+https://github.com/inference-sh/schemagen@{tag}"'
    assert f"```sh\n{install}\n```" in README  # the Install section
    assert f"      - run: {install}\n" in README  # the GitHub workflow
    assert (
        f"      - run: {install}  # see the README, Install\n"
        in (REPO / "docs" / "diff.md").read_text()
    )
    repo = readme_precommit_repo()
    assert repo["repo"] == "https://github.com/inference-sh/schemagen"
    assert repo["rev"] == tag
    # No install line names the PyPI project "schemagen" (someone else's GraphQL tool).
    for text in (README, *(p.read_text() for p in (REPO / "docs").glob("*.md"))):
        assert not re.search(r"pip install (-\S+ )*schemagen\b", text)
        assert "example.com" not in text


def test_check_hook_fails_on_stale_files_until_the_generate_hook_ran(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "structure", tmp_path / "apps" / "structure")
    shutil.copytree(EXAMPLES / "multi-function", tmp_path / "apps" / "greet")
    check, generate = hook_argv("schemagen-check"), hook_argv("schemagen-generate")
    stale = run_cli(*check, cwd=tmp_path)
    assert stale.code == 1
    assert "missing: apps/greet/functions_schema.json" in stale.stdout
    assert run_cli(*generate, cwd=tmp_path).code == 0
    assert run_cli(*check, cwd=tmp_path).code == 0


def clean_clone(tmp_path: Path) -> Path:
    """The checkout's files git would commit (tracked and new, not ignored), committed
    in a fresh repository and tagged with the declared version, as a release would be."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    clone = tmp_path / "schemagen"
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name, follow_symlinks=False)
    git(clone, "init", "-q")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "release")
    git(clone, "tag", declared_tag())
    return clone


def test_the_readme_snippet_runs_with_pre_commit_try_repo(tmp_path: Path) -> None:
    # pre-commit clones the repository at the snippet's rev and pip-installs it into
    # a virtualenv of its own: the install an app repository gets. Its dependencies
    # come from the package index (or pip's cache, or the configured find-links).
    clone = clean_clone(tmp_path)
    apps = tmp_path / "apps-repo"
    shutil.copytree(EXAMPLES / "structure", apps / "apps" / "structure")
    shutil.copytree(EXAMPLES / "multi-function", apps / "apps" / "greet")
    (apps / "apps" / "greet" / "functions_schema.json").unlink(missing_ok=True)
    git(apps, "init", "-q")
    git(apps, "add", "-A")
    git(apps, "commit", "-q", "-m", "apps")
    entry = readme_precommit_repo()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }

    def try_repo(hook_id: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(clone), hook_id,
             "--ref", entry["rev"], "--all-files"],
            cwd=apps, env=env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    hook_ids = [hook["id"] for hook in entry["hooks"]]
    assert hook_ids == ["schemagen-check"]
    stale = try_repo("schemagen-check")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "missing: apps/greet/functions_schema.json" in stale.stdout
    # The generate hook writes the missing files (new files are no change to
    # pre-commit, which fails a hook only for modifying tracked ones).
    generated = try_repo("schemagen-generate")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert (apps / "apps" / "greet" / "functions_schema.json").is_file()
    fresh = try_repo("schemagen-check")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
