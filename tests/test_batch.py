"""Many apps per run: --recursive, -j, the cache, isolation, and `schemagen check`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from schemagen.cache import hash_app_folder
from tests.helpers import EXAMPLES, FIXTURES, GOLDEN, REPO, is_app, read_tree, run_cli

MONOREPO = FIXTURES / "monorepo"


def json_run(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = run_cli(*args, "--format", "json", cwd=cwd, env=env)
    return result.code, json.loads(result.stdout)


@pytest.fixture
def cache(tmp_path: Path) -> dict[str, str]:
    return {"SCHEMAGEN_CACHE_DIR": str(tmp_path / "cache")}


def test_recursive_finds_apps_and_skips_vendored_and_hidden(
    tmp_path: Path, cache: dict[str, str]
) -> None:
    code, summary = json_run(
        "generate", "-r", str(MONOREPO), "--out", str(tmp_path / "o"), env=cache
    )
    assert code == 0
    assert [a["source"] for a in summary["apps"]] == [
        "tests/fixtures/monorepo/team-a/alpha",
        "tests/fixtures/monorepo/team-b/beta",
    ]


def test_parallel_workers_match_one_shot_goldens(tmp_path: Path, cache: dict[str, str]) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "generate", "-r", "examples", "tests/fixtures/apps", "--sdk", "bundled",
        "--out", str(out), "-j", "2", "--no-cache", env=cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    for group, root in (("examples", EXAMPLES), ("fixtures", FIXTURES / "apps")):
        for app in sorted(p for p in root.iterdir() if is_app(p)):
            generated = read_tree(out / app.relative_to(REPO))
            assert generated == read_tree(GOLDEN / group / app.name), app.name


def test_apps_cannot_affect_each_other(tmp_path: Path, cache: dict[str, str]) -> None:
    out = tmp_path / "out"
    code, _ = json_run("generate", "-r", str(MONOREPO), "--out", str(out), "-j", "1", "--no-cache")
    assert code == 0
    for app in ("team-a/alpha", "team-b/beta"):
        alone = run_cli("extract", str(MONOREPO / app))
        assert alone.code == 0, alone.stderr
        batch = (out / "tests/fixtures/monorepo" / app / "manifest.json").read_text()
        assert batch == alone.stdout, app
    beta = json.loads((out / "tests/fixtures/monorepo/team-b/beta/output_schema.json").read_text())
    assert beta["properties"]["patched"]["default"] is False  # alpha's patch did not leak
    alpha = json.loads((out / "tests/fixtures/monorepo/team-a/alpha/input_schema.json").read_text())
    assert "x-patched-by" not in alpha  # beta's patch did not leak either


def test_one_broken_app_does_not_stop_the_others(tmp_path: Path, cache: dict[str, str]) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "multi-function", tree / "good")
    shutil.copytree(FIXTURES / "errors" / "own-import-error", tree / "broken")
    shutil.copytree(EXAMPLES / "structure", tree / "also-good")
    result = run_cli("generate", "-r", str(tree), env=cache)
    assert result.code == 2
    assert (tree / "good" / "functions_schema.json").is_file()
    assert (tree / "also-good" / "setup_schema.json").is_file()
    assert not (tree / "broken" / "functions_schema.json").exists()
    assert "broken/inference.py:3: import failed" in result.stderr
    assert "3 apps, 2 ok" in result.stderr
    code, summary = json_run("generate", "-r", str(tree), env=cache)
    assert code == 2
    assert [a["status"] for a in summary["apps"]] == ["ok", "error", "ok"]
    assert summary["counts"] == {"ok": 2, "stale": 0, "error": 1}


def test_warm_run_is_served_from_the_cache(tmp_path: Path, cache: dict[str, str]) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(MONOREPO / "team-a", tree)
    code, cold = json_run("check", "-r", str(tree), env=cache)
    assert code == 1 and [a["cached"] for a in cold["apps"]] == [False]
    code, warm = json_run("generate", "-r", str(tree), env=cache)
    assert code == 0 and [a["cached"] for a in warm["apps"]] == [True]
    code, _ = json_run("check", "-r", str(tree), env=cache)
    assert code == 0
    code, fresh = json_run("check", "-r", str(tree), "--no-cache", env=cache)
    assert code == 0 and [a["cached"] for a in fresh["apps"]] == [False]


def test_a_changed_helper_module_is_re_extracted(tmp_path: Path, cache: dict[str, str]) -> None:
    app = tmp_path / "alpha"
    shutil.copytree(MONOREPO / "team-a" / "alpha", app)
    assert run_cli("generate", str(app), env=cache).code == 0
    helper = app / "helper.py"
    helper.write_text(helper.read_text().replace('DEFAULT = "alpha"', 'DEFAULT = "changed"'))
    code, summary = json_run("check", str(app), env=cache)
    assert code == 1
    assert summary["apps"][0]["cached"] is False
    assert summary["apps"][0]["status"] == "stale"
    assert run_cli("generate", str(app), env=cache).code == 0
    schema = json.loads((app / "input_schema.json").read_text())
    assert schema["$defs"]["Shared"]["properties"]["value"]["default"] == "changed"


def test_a_helper_in_a_symlinked_folder_is_part_of_the_cache_key(tmp_path: Path) -> None:
    # Monorepos link shared code into app folders; the app imports it as its own.
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "models.py").write_text("LIMIT = 2\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "inference.py").write_text("from .shared.models import LIMIT\n")
    (app / "shared").symlink_to(shared, target_is_directory=True)
    (shared / "loop").symlink_to(app, target_is_directory=True)  # a cycle is walked once
    before = hash_app_folder(app)
    (shared / "models.py").write_text("LIMIT = 5\n")
    assert hash_app_folder(app) != before


def test_flags_are_part_of_the_cache_key(tmp_path: Path, cache: dict[str, str]) -> None:
    app = tmp_path / "app"
    shutil.copytree(EXAMPLES / "flux.1-dev", app)
    code, first = json_run("check", str(app), env=cache)
    code, second = json_run("check", str(app), "--stub-all", env=cache)
    assert second["apps"][0]["cached"] is False


def test_concurrent_runs_share_the_cache_safely(tmp_path: Path, cache: dict[str, str]) -> None:
    tree = tmp_path / "tree"
    for name in ("a", "b", "c", "d"):
        shutil.copytree(EXAMPLES / "multi-function", tree / name)
    argv = [sys.executable, "-m", "schemagen", "check", "-r", str(tree), "--format", "json"]
    env = {**__import__("os").environ, **cache}
    procs = [subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE) for _ in range(4)]
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 1  # nothing generated yet: every file is missing
        assert json.loads(out)["counts"]["error"] == 0
    root = Path(cache["SCHEMAGEN_CACHE_DIR"]) / "v1"
    manifests = [e for e in root.rglob("*.json") if ".out." not in e.name]
    names = sorted(json.loads(m.read_text())["manifest"]["app"]["name"] for m in manifests)
    assert names == ["a", "b", "c", "d"]  # same content, four apps: four entries
    assert not list(root.rglob(".entry.*"))  # no temporary file left behind


def test_check_lists_stale_and_missing_files_and_the_fix(tmp_path: Path) -> None:
    app = tmp_path / "structure"
    shutil.copytree(EXAMPLES / "structure", app)
    assert run_cli("generate", "structure", cwd=tmp_path).code == 0
    up_to_date = run_cli("check", "structure", cwd=tmp_path)
    assert (up_to_date.code, up_to_date.stdout) == (0, "")
    assert up_to_date.stderr == "schemagen: structure: up to date (5 files)\n"
    (app / "setup_schema.json").unlink()
    schema = app / "input_schema.json"
    schema.write_text(schema.read_text().replace('"modern"', '"classic"'))
    result = run_cli("check", "structure", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout == (
        "stale: structure/input_schema.json\n"
        "missing: structure/setup_schema.json\n"
        "fix: schemagen generate structure\n"
    )
    assert result.stderr == "schemagen: structure: 2 of 5 files out of date\n"
    fix = result.stdout.split("fix: ", 1)[1].splitlines()[0].split()[1:]
    assert run_cli(*fix, cwd=tmp_path).code == 0
    assert run_cli("check", "structure", cwd=tmp_path).code == 0


def test_check_shows_the_diffs_with_diff_or_v_under_relative_names(tmp_path: Path) -> None:
    app = tmp_path / "structure"
    shutil.copytree(EXAMPLES / "structure", app)
    assert run_cli("generate", "structure", cwd=tmp_path).code == 0
    schema = app / "input_schema.json"
    schema.write_text(schema.read_text().replace('"modern"', '"classic"'))
    for flag in ("--diff", "-v"):
        result = run_cli("check", str(app), flag, cwd=tmp_path)
        assert result.code == 1
        lines = result.stdout.splitlines()
        assert lines[:3] == [
            "stale: structure/input_schema.json",
            "--- structure/input_schema.json (on disk)",
            "+++ structure/input_schema.json (generated)",
        ]
        assert '-      "default": "classic",\n+      "default": "modern",' in result.stdout
        assert lines[-1] == "fix: schemagen generate structure"
    quiet = run_cli("check", "structure", "-q", cwd=tmp_path)
    assert (quiet.code, quiet.stdout, quiet.stderr) == (1, "", "")


def test_check_summary_exit_code_and_json_agree(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(MONOREPO / "team-a" / "alpha", tree / "a-fresh")
    shutil.copytree(MONOREPO / "team-a" / "alpha", tree / "b-stale")
    shutil.copytree(FIXTURES / "errors" / "own-import-error", tree / "c-broken")
    assert run_cli("generate", str(tree / "a-fresh"), "--no-cache").code == 0
    assert run_cli("generate", str(tree / "b-stale"), "--no-cache").code == 0
    (tree / "b-stale" / "manifest.json").write_text("{}\n")
    result = run_cli("check", "-r", "tree", "--no-cache", cwd=tmp_path)
    assert result.code == 2  # an app that cannot be compiled outweighs a stale one
    assert (
        result.stdout == "stale: tree/b-stale/manifest.json\nfix: schemagen generate tree/b-stale\n"
    )
    assert (
        result.stderr.splitlines()[-1]
        == "schemagen: 3 apps, 1 ok (0 from cache), 1 stale, 1 failed"
    )
    code, summary = json_run("check", "-r", "tree", "--no-cache", cwd=tmp_path)
    assert code == 2
    assert summary["counts"] == {"ok": 1, "stale": 1, "error": 1}
    shutil.rmtree(tree / "c-broken")
    result = run_cli("check", "-r", "tree", "--no-cache", cwd=tmp_path)
    assert result.code == 1
    assert result.stderr == "schemagen: 2 apps, 1 ok (0 from cache), 1 stale, 0 failed\n"


def test_check_of_a_broken_app_is_exit_2() -> None:
    result = run_cli("check", "tests/fixtures/errors/syntax-error")
    assert result.code == 2
    assert "syntax error" in result.stderr


def test_check_against_an_out_folder(tmp_path: Path) -> None:
    assert run_cli("generate", "examples/structure", "--out", str(tmp_path)).code == 0
    assert run_cli("check", "examples/structure", "--out", str(tmp_path)).code == 0
    assert run_cli("check", "examples/image-tools", "--out", str(tmp_path)).code == 1


def test_a_file_the_app_no_longer_has_is_obsolete_and_removed(tmp_path: Path) -> None:
    app = tmp_path / "structure"
    shutil.copytree(EXAMPLES / "structure", app)
    assert run_cli("generate", str(app)).code == 0
    source = app / "inference.py"
    source.write_text(source.read_text().replace("config: AppSetup", "config"))
    result = run_cli("check", str(app), "--diff")
    assert result.code == 1
    assert f"obsolete: {app / 'setup_schema.json'}" in result.stdout
    assert '-  "title": "AppSetup",' in result.stdout
    generated = run_cli("generate", str(app), "-v")
    assert generated.code == 0
    assert f"schemagen: removed {app / 'setup_schema.json'}" in generated.stderr
    assert not (app / "setup_schema.json").exists()
    assert run_cli("check", str(app)).code == 0


def test_an_app_a_target_fails_for_is_named_and_the_others_are_checked(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "multi-function", tree / "a-bad-ref")
    # Its app reference is no namespace/name: the client cannot be written.
    (tree / "a-bad-ref" / "inf.yml").write_text("namespace: a/b\nname: words\n")
    shutil.copytree(EXAMPLES / "multi-function", tree / "b-ref")
    for command in ("check", "generate"):
        result = run_cli(command, "-r", str(tree), "--target", "python-client", "--no-cache")
        assert result.code == 2, command
        assert (
            f"error: {tree / 'a-bad-ref'}: {tree / 'a-bad-ref' / 'inf.yml'}: 'a/b/words' is not"
            " an app reference" in result.stderr
        )
        # b-ref has no client yet: stale, until generate writes it
        summary_line = "2 apps, 0 ok (0 from cache), 1 stale, 1 failed"
        if command == "generate":
            summary_line = "2 apps, 1 ok (0 from cache), 1 failed; wrote 1 file"  # client.py
        assert result.stderr.splitlines()[-1] == f"schemagen: {summary_line}", command
    code, summary = json_run("check", "-r", str(tree), "--target", "python-client", "--no-cache")
    assert code == 2
    assert [a["status"] for a in summary["apps"]] == ["error", "ok"]


def test_an_app_without_a_reference_gets_a_client_that_takes_one(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "multi-function", tree / "a-no-ref")
    (tree / "a-no-ref" / "inf.yml").unlink()
    shutil.copytree(EXAMPLES / "multi-function", tree / "b-ref")
    result = run_cli("generate", "-r", str(tree), "--target", "python-client",
                     "--target", "jsonschema", "--no-cache")  # fmt: skip
    assert result.code == 0, result.stderr
    assert "APP_REF: str | None = None\n" in (tree / "a-no-ref" / "client.py").read_text()
    assert 'APP_REF = "examples/multi-function"\n' in (tree / "b-ref" / "client.py").read_text()
    assert (tree / "a-no-ref" / "functions_schema.json").is_file()


def test_what_generate_writes_into_an_app_folder_leaves_its_cache_key(tmp_path: Path) -> None:
    from schemagen.cache import hash_app_folder

    app = tmp_path / "structure"
    shutil.copytree(EXAMPLES / "structure", app)
    before = hash_app_folder(app)
    targets = ["--target", "jsonschema", "--target", "zod", "--target", "ts-client"]
    result = run_cli("generate", str(app), *targets, "--target", "openapi")
    assert result.code == 0, result.stderr
    assert {"manifest.json", "schemas.ts", "client.ts", "openapi.json"} <= {
        p.name for p in app.iterdir()
    }
    assert hash_app_folder(app) == before


def test_apps_outside_the_current_folder_keep_their_paths_under_out(tmp_path: Path) -> None:
    for group in ("arxiv", "archive"):
        shutil.copytree(EXAMPLES / "structure", tmp_path / "apps" / group / "search")
    work = tmp_path / "elsewhere"
    work.mkdir()
    args = [str(tmp_path / "apps" / g / "search") for g in ("arxiv", "archive")]
    result = run_cli("generate", *args, "--out", "out", cwd=work)
    assert result.code == 0, result.stderr
    written = (work / "out").rglob("manifest.json")
    folders = sorted(p.parent.relative_to(work / "out").as_posix() for p in written)
    assert folders == ["archive/search", "arxiv/search"]


def test_two_sources_writing_to_one_folder_is_an_error_before_writing(tmp_path: Path) -> None:
    source = tmp_path / "schemas"
    shutil.copytree(GOLDEN / "examples" / "structure", source)
    result = run_cli(
        "generate", str(source / "manifest.json"), str(source / "functions_schema.json"),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.code == 2
    assert "would both write to" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_fix_command_repeats_the_loader_flags(tmp_path: Path) -> None:
    from schemagen.batch import SourceOutcome, fix_command
    from schemagen.loader.api import LoadOptions

    outcome = SourceOutcome("apps/my app", tmp_path / "app", tmp_path / "out")
    options = LoadOptions(
        sdk="bundled", stubs=("torch", "cv2"), stub_all=True, app_class="Main", python="/v/py"
    )
    assert fix_command(outcome, ["zod"], options) == (
        f"schemagen generate 'apps/my app' --out {tmp_path / 'out'} --target zod --sdk bundled"
        " --stub torch --stub cv2 --stub-all --app-class Main --python /v/py"
    )
    same = SourceOutcome("app", tmp_path, tmp_path)
    assert fix_command(same, [], LoadOptions(timeout=5)) == "schemagen generate app"
