"""The ``Regenerate:`` header of a generated file is a command that, run from the
repository root, writes the same bytes again."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from tests.helpers import EXAMPLES, git, run_cli

HEADER = re.compile(r"^(?://|) ?Regenerate: (.+)$", re.MULTILINE)


def header_command(path: Path) -> list[str]:
    (line,) = HEADER.findall(path.read_text(encoding="utf-8"))
    return shlex.split(line)


def test_the_header_command_run_from_the_root_rewrites_the_same_bytes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "multi-function", repo / "apps" / "words")
    (repo / "web").mkdir()
    git(repo, "init", "-q")
    # Generated from a subfolder, with a path that leaves it, --out and --app-ref.
    result = run_cli("generate", "../apps/words", "--out", "gen/words",
                     "--app-ref", "acme/words@1", "--target", "zod", "--target", "ts-client",
                     "--target", "python-client", "--no-cache", cwd=repo / "web")  # fmt: skip
    assert result.code == 0, result.stderr
    out = repo / "web" / "gen" / "words"
    expected = {
        "schemas.ts": "schemagen generate apps/words --out web/gen/words --app-ref acme/words@1"
        " --target zod",
        "client.ts": "schemagen generate apps/words --out web/gen/words --app-ref acme/words@1"
        " --target ts-client",
        "client.py": "schemagen generate apps/words --out web/gen/words --app-ref acme/words@1"
        " --target python-client",
    }
    before = {name: (out / name).read_bytes() for name in expected}
    for name, command in expected.items():
        argv = header_command(out / name)
        assert argv == shlex.split(command)
        (out / name).unlink()
        rerun = run_cli(*argv[1:], "--no-cache", cwd=repo)
        assert rerun.code == 0, rerun.stderr
        assert (out / name).read_bytes() == before[name], name
        # check, with the header's options, agrees from the root.
        assert run_cli("check", *argv[2:], cwd=repo).code == 0


def test_without_out_the_header_names_the_app_folder_from_the_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "multi-function", repo / "apps" / "my words")
    git(repo, "init", "-q")
    app = repo / "apps" / "my words"
    result = run_cli("generate", ".", "--target", "ts-client", "--no-cache", cwd=app)
    assert result.code == 0, result.stderr
    assert header_command(app / "client.ts") == [
        "schemagen", "generate", "apps/my words", "--target", "ts-client"
    ]  # fmt: skip
    # The same bytes whichever folder of the repository the run starts in.
    before = (app / "client.ts").read_bytes()
    assert run_cli("generate", "apps/my words", "--target", "ts-client", cwd=repo).code == 0
    assert (app / "client.ts").read_bytes() == before


def test_the_fix_check_prints_keeps_the_app_reference(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "multi-function", repo / "words")
    git(repo, "init", "-q")
    stale = run_cli("check", "words", "--target", "python-client", "--app-ref", "acme/w",
                    "--out", "gen", cwd=repo)  # fmt: skip
    assert stale.code == 1
    (fix,) = [line for line in stale.stdout.splitlines() if line.startswith("fix: ")]
    argv = shlex.split(fix.removeprefix("fix: "))
    assert argv == ["schemagen", "generate", "words", "--out", "gen", "--target",
                    "python-client", "--app-ref", "acme/w"]  # fmt: skip
    assert run_cli(*argv[1:], cwd=repo).code == 0
    assert 'APP_REF = "acme/w"\n' in (repo / "gen" / "client.py").read_text()
    fresh = run_cli("check", "words", "--target", "python-client", "--app-ref", "acme/w",
                    "--out", "gen", cwd=repo)  # fmt: skip
    assert fresh.code == 0, fresh.stdout


def test_outside_git_the_paths_are_from_the_project_configuration(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLES / "multi-function", project / "apps" / "words")
    (project / "pyproject.toml").write_text('[tool.schemagen]\ntargets = ["zod"]\n')
    words = project / "apps" / "words"
    assert run_cli("generate", cwd=words).code == 0
    assert header_command(words / "schemas.ts") == [
        "schemagen", "generate", "apps/words", "--target", "zod"
    ]  # fmt: skip
