"""Real repository layouts: linked shared helpers, inherited functions, vendored code.

The fixture ``tests/fixtures/linked-repo`` (see its README) is laid out like a
public app repository. Its apps must compile with none of their dependencies
installed, byte for byte as the platform writes them: the oracle is the real
``inferencesh==0.7.15`` importing each app with plain Python and its
dependencies present (``tests/sdk/platform_reference.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, GOLDEN, REPO, compare_or_update, git, read_tree, run_cli
from tests.sdk.conftest import sdk_0715_python  # noqa: F401 - the reference venv fixture

REPO_FIXTURE = FIXTURES / "linked-repo"
APPS = (
    "api/connectors/calendar",
    "api/falai/flux-schnell",
    "api/falai/upscaler",
    "native/plain-tool",
    "native/talking-head",
)
# The apps the real SDK can import with their (stand-in) dependencies installed;
# the vendored app lacks generated files upstream builds, as a repository does.
REFERENCE_APPS = APPS[:4]
INSTALLED_DEPS = REPO / "tests" / "sdk" / "installed_deps"
PLATFORM_REFERENCE = REPO / "tests" / "sdk" / "platform_reference.py"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("linked-repo")
    result = run_cli(
        "generate", "-r", "tests/fixtures/linked-repo", "--sdk", "bundled", "--no-cache",
        "--out", str(out),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return out / "tests" / "fixtures" / "linked-repo"


def test_recursive_finds_every_app_and_no_folder_that_only_imports_base_app(
    generated: Path,
) -> None:
    found = sorted(str(p.parent.relative_to(generated)) for p in generated.rglob("manifest.json"))
    assert found == sorted(APPS)


@pytest.mark.parametrize("app", APPS)
def test_generated_files_match_golden(generated: Path, app: str, update_golden: bool) -> None:
    compare_or_update(GOLDEN / "linked-repo" / app, read_tree(generated / app), update_golden)


@pytest.mark.parametrize("app", REFERENCE_APPS)
def test_platform_files_match_the_real_sdk(
    generated: Path,
    app: str,
    sdk_0715_python: Path,  # noqa: F811
) -> None:
    proc = subprocess.run(
        [str(sdk_0715_python), str(PLATFORM_REFERENCE), str(REPO_FIXTURE / app)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(INSTALLED_DEPS)},
        check=True,
    )
    reference: dict[str, str] = json.loads(proc.stdout)
    ours = {p.name: p.read_text(encoding="utf-8") for p in (generated / app).iterdir()}
    ours.pop("manifest.json")
    assert ours == reference


def test_stubbed_modules_are_the_linked_helpers_imports(generated: Path) -> None:
    def stubbed(app: str) -> list[str]:
        manifest = json.loads((generated / app / "manifest.json").read_text())
        return list(manifest["app"]["stubbed_modules"])

    assert stubbed("api/falai/flux-schnell") == [
        "fal_client", "google_genai_sdk", "httpx_never_installed",
    ]  # fmt: skip
    # Missing modules of the app's own (vendored) packages, named as the app names them.
    assert "Vendor.talk.version" in stubbed("native/talking-head")
    assert not any(name.startswith("_schemagen") for name in stubbed("native/talking-head"))


def test_an_app_without_run_lists_the_sdks_run(generated: Path) -> None:
    functions = json.loads(
        (generated / "api/connectors/calendar/functions_schema.json").read_text()
    )
    assert list(functions) == ["create_event", "list_events", "run"]
    assert functions["run"]["input_schema"] == {
        "properties": {}, "title": "BaseAppInput", "type": "object",
    }  # fmt: skip
    assert functions["run"]["description"] == ""


def test_values_from_vendored_code_reach_the_schema(generated: Path) -> None:
    schema = json.loads((generated / "native/talking-head/input_schema.json").read_text())
    assert schema["properties"]["resolution"]["enum"] == ["480", "720"]
    assert schema["properties"]["steps"]["default"] == 8


def test_source_lines_name_the_linked_file_as_the_app_reaches_it(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    models = repo / "shared" / "media_models.py"
    models.write_text(models.read_text().replace("le=2048", "le=1024"))
    app = "api/falai/flux-schnell"
    result = run_cli("diff", f"git:HEAD:{app}", app, "--sdk", "bundled", cwd=repo)
    assert result.code == 1, result.stderr
    assert f"{app}/media_models.py:9: run input /properties/size/properties/width" in result.stdout


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(REPO_FIXTURE, target, symlinks=True)
    return target


def _extract(app: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = run_cli("extract", str(app), "--sdk", "bundled", *args)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_absolute_links_are_read_like_relative_ones(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    app = repo / "api/falai/flux-schnell"
    before = _extract(app)
    for name in ("fal_helper.py", "gemini", "media_models.py"):
        target = (app / name).resolve()
        (app / name).unlink()
        (app / name).symlink_to(target)
    assert _extract(app) == before


def test_a_dangling_link_is_an_error_naming_it(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    app = repo / "api/falai/flux-schnell"
    (repo / "shared" / "fal_helper.py").unlink()
    result = run_cli("extract", str(app), "--sdk", "bundled")
    assert result.code == 2
    assert result.stderr.startswith("schemagen: error: ")
    assert "inference.py:6: import failed: fal_helper.py is a link to" in result.stderr
    assert "shared/fal_helper.py, which does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_link_cycle_is_an_error_not_a_hang(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    app = repo / "api/falai/flux-schnell"
    (app / "fal_helper.py").unlink()
    (app / "fal_helper.py").symlink_to("loop.py")
    (app / "loop.py").symlink_to("fal_helper.py")
    result = run_cli("extract", str(app), "--sdk", "bundled", "--timeout", "20")
    assert result.code == 2
    assert "import failed: fal_helper.py is a cycle of links" in result.stderr


def test_a_folder_linked_back_to_an_ancestor_is_walked_once(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    app = repo / "api/falai/flux-schnell"
    (app / "up").symlink_to("..", target_is_directory=True)
    result = run_cli("generate", str(app), "--sdk", "bundled", "--out", str(tmp_path / "out"))
    assert result.code == 0, result.stderr


def test_a_change_to_a_linked_file_recompiles_every_app_linking_it(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    args = ("generate", "-r", str(repo / "api"), "--sdk", "bundled", "--out", str(tmp_path / "o"))
    env = {"SCHEMAGEN_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli(*args, env=env).code == 0
    warm = run_cli(*args, env=env)
    assert "3 apps, 3 ok (3 from cache)" in warm.stderr
    helper = repo / "shared" / "fal_helper.py"
    helper.write_text(helper.read_text() + "\nEXTRA = 1\n")
    after = run_cli(*args, env=env)
    # flux-schnell and upscaler link the helper; the calendar connector does not.
    assert "3 apps, 3 ok (1 from cache)" in after.stderr, after.stderr


def test_a_failure_is_cached_like_a_success(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    (repo / "shared" / "media_models.py").write_text("raise RuntimeError('broken')\n")
    args = ("generate", "-r", str(repo / "api"), "--sdk", "bundled", "--out", str(tmp_path / "o"))
    env = {"SCHEMAGEN_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_cli(*args, env=env)
    warm = run_cli(*args, env=env)
    assert cold.code == warm.code == 2
    assert "3 apps, 2 ok (0 from cache), 1 failed" in cold.stderr
    assert "3 apps, 2 ok (2 from cache), 1 failed" in warm.stderr
    # The same message, read back from the cache.
    error = [line for line in cold.stderr.splitlines() if "RuntimeError" in line]
    assert error and error == [line for line in warm.stderr.splitlines() if "RuntimeError" in line]
    (repo / "shared" / "media_models.py").unlink()
    shutil.copy(REPO_FIXTURE / "shared" / "media_models.py", repo / "shared" / "media_models.py")
    assert "3 apps, 3 ok (2 from cache)" in run_cli(*args, env=env).stderr


def test_a_linked_entrypoint_runs_at_the_apps_place(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    variant = repo / "native" / "plain-tool-variant"
    variant.mkdir()
    (variant / "inference.py").symlink_to("../plain-tool/inference.py")
    (variant / "probe.py").write_text("import os\nHERE = os.path.dirname(__file__)\n")
    with (repo / "native/plain-tool/inference.py").open("a") as entry:
        entry.write("\nfrom probe import HERE  # found beside the link, not the target\n")
    (repo / "native/plain-tool/probe.py").write_text("raise RuntimeError('the target folder')\n")
    manifest = _extract(variant)
    assert manifest["app"]["name"] == "plain-tool-variant"
    assert manifest["app"]["entrypoint"] == "inference.py"


def test_missing_modules_of_the_apps_own_packages_are_named_in_warnings() -> None:
    result = run_cli(
        "extract", "tests/fixtures/linked-repo/native/talking-head", "--sdk", "bundled"
    )
    assert result.code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    vendored = "tests/fixtures/linked-repo/native/talking-head/Vendor/talk/__init__.py"
    assert warnings == [
        f"schemagen: warning: {vendored}:{line}: the app's own module {module} is missing (left "
        "out of the repository, or generated when upstream code is built?): it is a stub here"
        for line, module in ((3, "talk.version"), (4, "talk._C"), (3, "Vendor.talk.version"),
                             (4, "Vendor.talk._C"))
    ]  # fmt: skip


def test_sdk_bases_the_bundled_surface_lacks_are_named_in_a_warning(tmp_path: Path) -> None:
    (tmp_path / "inference.py").write_text(
        "from inferencesh import BaseApp, BaseAppInput, BaseAppOutput\n"
        "from inferencesh.openai import OpenAIChatMixin\n\n\n"
        "class App(OpenAIChatMixin, BaseApp):\n"
        "    async def run(self, input_data: BaseAppInput) -> BaseAppOutput: ...\n"
    )
    result = run_cli("extract", str(tmp_path), "--sdk", "bundled")
    assert result.code == 0, result.stderr
    assert (
        "inference.py:5: App derives from inferencesh.openai.OpenAIChatMixin, which the bundled "
        "inferencesh surface (0.7.15) does not have: functions it adds are not listed"
    ) in result.stderr


def test_a_name_an_installed_package_lacks_is_an_import_error_not_a_stub(tmp_path: Path) -> None:
    (tmp_path / "inference.py").write_text(
        "from json.decoder import NoSuchThing\nfrom pydantic import BaseModel\n\n\n"
        "class M(BaseModel):\n    x: int = 1\n\n\nclass App:\n    def run(self, i: M) -> M: ...\n"
    )
    result = run_cli("extract", str(tmp_path))
    assert result.code == 2
    assert "cannot import name 'NoSuchThing' from 'json.decoder' (the installed json.decoder" in (
        result.stderr
    )


SUBMODULE_APP = (
    "import os\nimport sys\n\n"
    'sys.path.insert(0, os.path.join(os.path.dirname(__file__), "third_party", "CosyVoice"))\n\n'
    "from cosyvoice.cli import CosyVoice2  # noqa: E402\n"
    "from pydantic import BaseModel  # noqa: E402\n\n\n"
    "class M(BaseModel):\n    text: str\n\n\n"
    "class App:\n    def run(self, i: M) -> M: ...\n"
)


def test_a_missing_folder_the_app_puts_on_sys_path_is_named_beside_its_stubs(
    tmp_path: Path,
) -> None:
    (tmp_path / "inference.py").write_text(SUBMODULE_APP)
    result = run_cli("extract", str(tmp_path))
    assert result.code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"schemagen: warning: {tmp_path}/inference.py:6: the app adds third_party/CosyVoice to "
        "sys.path, which is not there (a git submodule not checked out, or made by a build "
        "step?); cosyvoice became a stub"
    ]


def test_no_path_warning_when_the_folder_is_there(tmp_path: Path) -> None:
    (tmp_path / "inference.py").write_text(SUBMODULE_APP)
    (tmp_path / "third_party" / "CosyVoice").mkdir(parents=True)
    result = run_cli("extract", str(tmp_path))
    assert result.code == 0, result.stderr
    assert "warning" not in result.stderr
