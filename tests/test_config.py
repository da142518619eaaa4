"""``[tool.schemagen]`` in pyproject.toml: found as ruff finds its own, read by generate,
check, diff, serve and extract, overridden by flags, checked key by key."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from schemagen.config import find_config, load_project_config
from schemagen.errors import UsageError
from tests.helpers import EXAMPLES, REPO, git, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_config() -> str:
    section = README.split("### Project configuration", 1)[1]
    block = re.search(r"```toml\n(.+?)```", section, re.DOTALL)
    assert block is not None
    return block.group(1)


def project(tmp_path: Path, config: str) -> Path:
    """A repository with two apps (one without inf.yml) and ``config`` as its pyproject."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "multi-function", repo / "apps" / "words")
    shutil.copytree(EXAMPLES / "structure", repo / "apps" / "structure")
    (repo / "pyproject.toml").write_text(config, encoding="utf-8")
    git(repo, "init", "-q")
    return repo


def test_the_readme_example_makes_check_one_word(tmp_path: Path) -> None:
    repo = project(tmp_path, '[project]\nname = "apps"\n\n' + readme_config())
    stale = run_cli("check", "--no-cache", cwd=repo)
    assert stale.code == 1, stale.stderr
    assert "missing: build/schemas/apps/words/schemas.ts" in stale.stdout
    assert run_cli("generate", cwd=repo).code == 0
    out = repo / "build" / "schemas" / "apps"
    assert {p.name for p in (out / "words").iterdir()} == {
        "client.py", "schemas.ts", "functions_schema.json", "input_schema.json",
        "output_schema.json", "manifest.json",
    }  # fmt: skip
    # [tool.schemagen.target.python-client] over inf.yml; zod knows no app reference.
    assert 'APP_REF = "acme/words@1"\n' in (out / "words" / "client.py").read_text()
    assert run_cli("check", cwd=repo).code == 0
    # The same run from a folder inside: paths are the config's folder's.
    inside = run_cli("check", "--no-cache", cwd=repo / "apps" / "words")
    assert inside.code == 0, inside.stdout + inside.stderr
    # A SOURCE argument is taken as given (not searched), into its folder under out.
    one = run_cli("check", "apps/words", "--format", "json", cwd=repo)
    assert one.code == 0, one.stdout
    [app] = json.loads(one.stdout)["apps"]
    assert app["out"] == "build/schemas/apps/words"


def test_flags_override_the_config(tmp_path: Path) -> None:
    repo = project(tmp_path, readme_config())
    result = run_cli("generate", "apps/words", "--target", "python-client", "--out", "other",
                     "--app-ref", "flag/words", cwd=repo)  # fmt: skip
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in (repo / "other").iterdir()) == ["client.py"]
    assert 'APP_REF = "flag/words"\n' in (repo / "other" / "client.py").read_text()
    assert not (repo / "build").exists()


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    repo = project(tmp_path, '[tool.schemagen]\ntargets = ["zod"]\n')
    (repo / "apps" / "words" / "pyproject.toml").write_text('[project]\nname = "words"\n')
    assert find_config(repo / "apps" / "words") == repo / "pyproject.toml"
    assert run_cli("generate", cwd=repo / "apps" / "words").code == 0
    assert (repo / "apps" / "words" / "schemas.ts").is_file()
    assert not (repo / "apps" / "words" / "functions_schema.json").exists()


def test_config_file_and_no_config(tmp_path: Path) -> None:
    repo = project(tmp_path, '[tool.schemagen]\ntargets = ["zod"]\n')
    other = tmp_path / "other.toml"
    other.write_text('[tool.schemagen]\ntargets = ["llm-tools"]\n')
    words = repo / "apps" / "words"
    assert run_cli("generate", "--config", str(other), cwd=words).code == 0
    assert (words / "openai_tools.json").is_file() and not (words / "schemas.ts").exists()
    assert run_cli("generate", "--no-config", cwd=words).code == 0
    assert (words / "functions_schema.json").is_file() and not (words / "schemas.ts").exists()
    plain = tmp_path / "plain.toml"
    plain.write_text("targets = ['zod']\n")
    result = run_cli("generate", "--config", str(plain), cwd=words)
    assert result.code == 2
    assert result.stderr == f"schemagen: error: {plain}: has no [tool.schemagen] table\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.schemagen]\nout = "b"\ntagrets = ["zod"]\n',
         "pyproject.toml:3: unknown key 'tagrets' in [tool.schemagen] (known keys: sources, "
         "recursive, targets, out, jobs, cache-dir, app-ref, sdk, app-class, stub, stub-all, "
         "timeout, memory-limit, python, target, serve, diff)"),
        ("[tool.schemagen]\n\njobs = 'two'\n",
         "pyproject.toml:3: jobs must be a whole number of at least 1, not 'two'"),
        ("[tool.schemagen]\nrecursive = 1\n",
         "pyproject.toml:2: recursive must be true or false, not 1"),
        ('[tool.schemagen]\ntargets = "zod"\n',
         "pyproject.toml:2: targets must be an array of target names, not 'zod'"),
        ('[tool.schemagen]\ntargets = ["zod", "rust"]\n',
         "pyproject.toml:2: targets must be an array of target names, not an array (no target "
         "is called 'rust'; targets: jsonschema, zod, python-client, ts-client, openapi, "
         "llm-tools)"),
        ("[tool.schemagen]\ntimeout = 0\n",
         "pyproject.toml:2: timeout must be a number of seconds above 0, not 0"),
        ('[tool.schemagen]\nmemory-limit = "lots"\n',
         "pyproject.toml:2: memory-limit must be a size (4G, 512M or none), not 'lots'"),
        ('[tool.schemagen]\nsdk = "latest"\n',
         "pyproject.toml:2: sdk must be 'auto', 'bundled' or 'installed', not 'latest'"),
        ('[tool.schemagen]\napp-ref = "words"\n',
         "pyproject.toml:2: app-ref must be an app reference, namespace/name[@version], "
         "not 'words'"),
        ('[tool.schemagen]\n\n[tool.schemagen.target.zod]\napp-ref = "a/b"\n',
         "pyproject.toml:4: unknown key 'app-ref' in [tool.schemagen.target.zod] "
         "(its keys: none)"),
        ('[tool.schemagen.target.rust]\n',
         "pyproject.toml:1: [tool.schemagen.target.rust]: no target is called 'rust' (targets: "
         "jsonschema, zod, python-client, ts-client, openapi, llm-tools)"),
        ('[tool.schemagen.serve]\nport = 99999\n',
         "pyproject.toml:2: port must be a port number (0 to 65535), not 99999"),
        ('[tool.schemagen]\nserve = 1\n',
         "pyproject.toml:2: [tool.schemagen.serve] must be a table"),
        ('[tool.schemagen.diff]\nfail-on = "sometimes"\n',
         "pyproject.toml: fail-on must be one of breaking, warning, never, not 'sometimes'"),
        ('[tool.schemagen]\nout = "a\nb"\n',
         "pyproject.toml:2:9: not valid TOML: Illegal character '\\n'"),
    ],
)  # fmt: skip
def test_a_bad_key_or_value_names_the_key_the_file_and_the_line(
    tmp_path: Path, text: str, message: str
) -> None:
    repo = project(tmp_path, text)
    # Every command checks every key (all of them for the first case only: it is slow).
    commands = ["generate", "check", "diff apps/words apps/words", "serve"]
    for command in commands if "tagrets" in text else ["check"]:
        result = run_cli(*command.split(), cwd=repo)
        assert result.code == 2, command
        assert result.stderr.startswith(f"schemagen: error: {message}"), (command, result.stderr)
        assert result.stderr.count("\n") == 1
    assert not list(repo.glob("apps/*/*_schema.json"))  # nothing written


def test_diff_reads_its_table_and_the_loader_keys(tmp_path: Path) -> None:
    repo = project(tmp_path, '[tool.schemagen]\nsdk = "bundled"\n'
                   '[tool.schemagen.diff.severity]\n"function-added" = "breaking"\n')  # fmt: skip
    old = repo / "old"
    shutil.copytree(repo / "apps" / "words", old)
    source = old / "inference.py"
    source.write_text(source.read_text().replace("async def reverse", "async def _gone"))
    result = run_cli("diff", "old", "apps/words", "--format", "json", cwd=repo)
    assert result.code == 1, result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["severity"]) == ("function-added", "breaking")
    assert run_cli("diff", "old", "apps/words", "--no-config", cwd=repo).code == 0


def test_serve_and_the_loader_keys_become_the_commands_defaults(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.schemagen]\nsdk = "bundled"\nstub = ["torch"]\npython = "venv/bin/python"\n'
        'cache-dir = "../cache"\napp-class = "Words"\nmemory-limit = "512M"\ntimeout = 5\n'
        "jobs = 3\nstub-all = true\n"
        "[tool.schemagen.serve]\nport = 0\nheartbeat = 2.5\nmax-instances = 1\n"
    )
    loaded = load_project_config(None, cwd=tmp_path)
    assert loaded.path == config
    assert loaded.defaults["serve"] == {
        "sdk": "bundled", "app_class": "Words", "port": 0, "heartbeat_seconds": 2.5,
        "max_instances": 1,
    }  # fmt: skip
    loader = {
        "sdk": "bundled", "stubs": ["torch"], "python": "venv/bin/python", "app_class": "Words",
        "memory_limit": "512M", "timeout": 5.0, "stub_all": True,
    }  # fmt: skip
    assert loaded.defaults["diff"] == loader
    assert loaded.defaults["check"] == loaded.defaults["generate"] == {
        **loader, "cache_dir": str(tmp_path.parent / "cache"), "jobs": 3
    }  # fmt: skip
    with pytest.raises(UsageError, match="has no"):
        other = tmp_path / "x.toml"
        other.write_text("")
        load_project_config(other, cwd=tmp_path)


def test_the_loader_keys_reach_the_import_and_its_errors_name_them(tmp_path: Path) -> None:
    repo = project(tmp_path, '[tool.schemagen]\nsdk = "bundled"\napp-class = "Nope"\n')
    said = 'app-class = "Nope" (pyproject.toml:3): no class of that name in the entrypoint'
    for command in (["generate", "apps/words", "--no-cache"], ["extract", "apps/words"]):
        result = run_cli(*command, cwd=repo)
        assert result.code == 2
        assert said in result.stderr, result.stderr
    flag = run_cli("extract", "apps/words", "--app-class", "Nope", cwd=repo)
    assert "--app-class Nope: no class of that name in the entrypoint" in flag.stderr
    assert run_cli("generate", "apps/words", "--app-class", "App", cwd=repo).code == 0


def test_extract_reads_the_loader_keys(tmp_path: Path) -> None:
    # The test environment has no inferencesh installed: only the config asks for it.
    repo = project(tmp_path, '[tool.schemagen]\nsdk = "installed"\n')
    result = run_cli("extract", "apps/structure", cwd=repo)
    assert result.code == 2
    assert 'sdk = "installed" (pyproject.toml:2): the inferencesh package is not installed' in (
        result.stderr
    )
    plain = json.loads(run_cli("extract", "apps/structure", "--no-config", cwd=repo).stdout)
    assert plain["app"]["sdk"]["source"] == "bundled"


def test_a_python_from_the_config_that_cannot_start_says_where_it_is_set(
    tmp_path: Path,
) -> None:
    repo = project(tmp_path, '[tool.schemagen]\npython = "venv/bin/python"\n')
    result = run_cli("extract", "apps/words", cwd=repo)
    assert result.code == 2
    assert result.stderr.endswith('(python = "venv/bin/python" is set in pyproject.toml:2)\n')
