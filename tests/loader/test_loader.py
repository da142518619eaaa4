"""Loader rules: isolation, import layout, stubbing policy, SDK modes, determinism."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, FIXTURES, REPO, run_cli

SPECIAL = FIXTURES / "special"


def extract(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> dict:
    result = run_cli("extract", *args, cwd=cwd, env=env)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def test_current_folder_and_entrypoint_path_are_accepted() -> None:
    app = EXAMPLES / "multi-function"
    from_cwd = extract(cwd=app)
    from_file = extract(str(app / "inference.py"))
    assert from_cwd == from_file
    assert sorted(from_cwd["functions"]) == ["reverse", "run"]


def test_installed_library_probes_still_see_import_error() -> None:
    env = {"PYTHONPATH": str(SPECIAL / "installed-probe" / "site")}
    manifest = extract(str(SPECIAL / "installed-probe" / "app"), env=env)
    prop = manifest["functions"]["run"]["input_schema"]["properties"]["accelerated"]
    assert prop["default"] is False
    assert manifest["app"]["stubbed_modules"] == []


def test_forced_stub_replaces_an_installed_module(tmp_path: Path) -> None:
    (tmp_path / "inference.py").write_text(
        "import jinja2\n"
        "from pydantic import BaseModel\n"
        "assert 'stub' in type(jinja2).__name__.lower()\n"
        "class M(BaseModel):\n    x: int = 1\n"
        "class App:\n    def run(self, i: M) -> M: ...\n"
    )
    manifest = extract(str(tmp_path), "--stub", "jinja2")
    assert manifest["app"]["stubbed_modules"] == ["jinja2"]
    result = run_cli("extract", str(tmp_path))
    assert result.code == 2 and "AssertionError" in result.stderr


def test_stub_all_stubs_installed_third_party_but_not_pydantic_or_stdlib(tmp_path: Path) -> None:
    (tmp_path / "local_helper.py").write_text("VALUE = 3\n")
    (tmp_path / "inference.py").write_text(
        "import json, click, jsonschema\n"
        "import pydantic\n"
        "from local_helper import VALUE\n"
        "from pydantic import BaseModel\n"
        "assert json.dumps(1) == '1'\n"
        "class M(BaseModel):\n    x: int = VALUE\n"
        "class App:\n    def run(self, i: M) -> M: ...\n"
    )
    manifest = extract(str(tmp_path), "--stub-all")
    assert manifest["app"]["stubbed_modules"] == ["click", "jsonschema"]
    assert manifest["functions"]["run"]["input_schema"]["properties"]["x"]["default"] == 3


def test_app_is_never_instantiated_nor_called(tmp_path: Path) -> None:
    marker = tmp_path / "called"
    (tmp_path / "inference.py").write_text(
        "from pydantic import BaseModel\n"
        f"MARK = {str(marker)!r}\n"
        "def touch(): open(MARK, 'w').close()\n"
        "class M(BaseModel):\n    x: int = 0\n"
        "class App:\n"
        "    def __new__(cls, *a, **k): touch()\n"
        "    def __init__(self): touch()\n"
        "    async def setup(self, config: M): touch()\n"
        "    async def run(self, i: M) -> M: touch()\n"
        "    async def unload(self): touch()\n"
    )
    manifest = extract(str(tmp_path))
    assert manifest["setup"]["title"] == "M"
    assert not marker.exists()


def test_app_class_option_selects_among_several() -> None:
    manifest = extract(str(FIXTURES / "errors" / "several-apps"), "--app-class", "Second")
    assert manifest["app"]["app_class"] == "Second"
    result = run_cli("extract", str(FIXTURES / "errors" / "several-apps"), "--app-class", "Nope")
    assert result.code == 2 and "--app-class Nope" in result.stderr


def test_unresolvable_method_hint_is_a_warning_with_location() -> None:
    result = run_cli("extract", "tests/fixtures/apps/future-annotations")
    assert result.code == 0
    assert (
        "schemagen: warning: tests/fixtures/apps/future-annotations/inference.py:41: "
        "App.typed_only is not exposed" in result.stderr
    )
    assert "typed_only" not in json.loads(result.stdout)["functions"]


def test_app_output_goes_to_stderr_not_into_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "inference.py").write_text(
        "print('hello from the app')\n"
        "from pydantic import BaseModel\n"
        "class M(BaseModel):\n    x: int = 0\n"
        "class App:\n    def run(self, i: M) -> M: ...\n"
    )
    result = run_cli("extract", str(tmp_path))
    assert result.code == 0
    json.loads(result.stdout)
    assert "hello from the app" not in result.stdout


def test_no_bytecode_is_left_in_the_app_folder(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "apps" / "relative-imports.v2", app)
    extract(str(app))
    assert not list(app.rglob("__pycache__"))


def test_the_child_keeps_bytecode_of_schemagen_and_the_sdk_but_not_of_the_app(
    tmp_path: Path,
) -> None:
    # Where bytecode can be written (not under PYTHONDONTWRITEBYTECODE), the child's own
    # modules are compiled once, not in every run; the app's files never are.
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "apps" / "relative-imports.v2", app)
    prefix = tmp_path / "pycache"
    result = run_cli(
        "extract",
        str(app),
        "--sdk",
        "bundled",
        env={"PYTHONPYCACHEPREFIX": str(prefix)},
        unset=("PYTHONDONTWRITEBYTECODE",),
    )
    assert result.code == 0, result.stderr
    tag = sys.implementation.cache_tag
    mirror = prefix / REPO.relative_to(REPO.anchor)
    assert (mirror / "schemagen" / "loader" / "child" / f"main.{tag}.pyc").is_file()
    assert (mirror / "schemagen" / "sdk" / "inferencesh" / "models" / f"base.{tag}.pyc").is_file()
    assert not list((prefix / app.relative_to(app.anchor)).rglob("*.pyc"))
    assert not list(app.rglob("__pycache__"))


SEEN_WHEN_IMPORTED = (
    "import sys\n"
    "from pydantic import BaseModel\n"
    "class First(BaseModel):\n    x: int = 0\n"  # the first model built asks for plugins
    "SEEN = ','.join(m for m in ('importlib.metadata', 'schemagen.loader.process')\n"
    "                if m in sys.modules)\n"
    "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP\n"
    "class M(BaseModel):\n"
    "    seen: str = SEEN\n"
    "    group: str = PYDANTIC_ENTRY_POINT_GROUP\n"
    "class App:\n    def run(self, i: M) -> M: ...\n"
)


@pytest.mark.parametrize("batch", [False, True], ids=["one-shot", "worker"])
def test_the_child_imports_no_plugin_discovery_and_the_one_shot_child_no_worker(
    tmp_path: Path, batch: bool
) -> None:
    # pydantic plugins are off in the child, so their discovery (importlib.metadata) is
    # skipped; the loader's other names still come from pydantic's own module.
    for name in ("a", "b") if batch else ("a",):
        (tmp_path / name).mkdir()
        (tmp_path / name / "inference.py").write_text(SEEN_WHEN_IMPORTED)
    args = ["-r", str(tmp_path), "-j", "2"] if batch else [str(tmp_path / "a")]
    out = tmp_path / "out"
    result = run_cli("generate", *args, "--no-cache", "--target", "jsonschema", "--out", str(out))
    assert result.code == 0, result.stderr
    written = out / "a" if batch else out
    schema = json.loads((written / "functions_schema.json").read_text())
    properties = schema["run"]["output_schema"]["properties"]
    assert properties["group"]["default"] == "pydantic"
    assert properties["seen"]["default"] == ("schemagen.loader.process" if batch else "")


@pytest.mark.parametrize("app", ["examples/chat-llm", "tests/fixtures/apps/cwd-data"])
def test_output_is_identical_across_hash_seeds(app: str, tmp_path: Path) -> None:
    outputs = set()
    for seed in ("0", "1", "random", "12345"):
        result = run_cli("extract", app, env={"PYTHONHASHSEED": seed})
        assert result.code == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_set_iteration_in_the_app_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "inference.py").write_text(
        "from enum import Enum\n"
        "from pydantic import BaseModel\n"
        "NAMES = {'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'}\n"
        "E = Enum('E', {n: n for n in NAMES}, type=str)\n"
        "class M(BaseModel):\n    e: E\n"
        "class App:\n    def run(self, i: M) -> M: ...\n"
    )
    outputs = {
        run_cli("extract", str(tmp_path), env={"PYTHONHASHSEED": s}).stdout
        for s in ("1", "2", "3", "4", "0")
    }
    outputs.add(run_cli("extract", str(tmp_path), unset=("PYTHONHASHSEED",)).stdout)
    assert len(outputs) == 1


# Raises at import with how the import child was started, for the message to show.
HOW_STARTED_APP = (
    "import os, sys\n"
    'raise RuntimeError(f\'{"early=True" in sys.orig_argv[-1]} {sys.argv} '
    '{sys.flags.hash_randomization} {os.environ.get("PYTHONHASHSEED")}\')\n'
)


@pytest.mark.parametrize(
    ("command", "args", "started"),
    [
        # Started before the flags were read (loader/early.py), as any child: `-c`, seed 0.
        ("extract", (), "True ['-c'] 0 0"),
        ("generate", ("--no-cache", "--out", "out"), "True ['-c'] 0 0"),
        # Another interpreter: started once the flags say which.
        ("extract", ("--python", sys.executable), "False ['-c'] 0 0"),
    ],
)
def test_one_apps_import_child_is_started_before_the_flags_are_read(
    tmp_path: Path, command: str, args: tuple[str, ...], started: str
) -> None:
    (tmp_path / "inference.py").write_text(HOW_STARTED_APP)
    result = run_cli(command, str(tmp_path), *args, cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.endswith(f"RuntimeError while being imported: {started}\n")


def _processes_with(marker: str) -> list[int]:
    """The processes whose environment holds ``marker`` (Linux: /proc)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    "args",
    [
        (
            "generate",
            "golden/linked-repo/api/falai/upscaler/functions_schema.json",
            "--out",
            "{out}",
        ),
        ("generate", "examples/html-render", "--out", "{out}"),  # a Node.js app
        ("generate", "-r", "examples", "-j", "2", "--out", "{out}"),  # the worker pool
    ],
    ids=["platform-file", "node-app", "many-apps"],
)
def test_a_child_started_early_and_not_needed_is_ended(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    marker = f"SCHEMAGEN_TEST_MARKER={tmp_path.name}"
    argv = [arg.replace("{out}", str(tmp_path / "out")) for arg in args]
    result = run_cli(*argv, env={"SCHEMAGEN_TEST_MARKER": tmp_path.name})
    assert result.code == 0, result.stderr
    assert _processes_with(marker) == []


def test_the_early_child_is_started_before_typing_or_subprocess_is_imported() -> None:
    # What `schemagen` imports before it starts the child delays every one-app run.
    probe = (
        "import sys\n"
        "from schemagen.loader import early\n"
        "print(sorted({'typing', 'subprocess', 'signal'} & set(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert run.stdout == "[]\n"


@pytest.mark.parametrize("python", [False, True], ids=["early-child", "python-flag"])
def test_the_import_child_inherits_no_descriptor_of_schemagens_caller(
    tmp_path: Path, python: bool
) -> None:
    # A descriptor schemagen was given (a jobserver's, a lock's) stays out of the app's
    # import, whichever way its child was started.
    read, write = os.pipe()
    os.set_inheritable(write, True)
    (tmp_path / "inference.py").write_text(
        "import os\nfrom pydantic import BaseModel\n"
        "def is_open(fd):\n    try:\n        os.fstat(fd)\n    except OSError:\n"
        "        return False\n    return True\n"
        f"class M(BaseModel):\n    inherited: bool = is_open({write})\n"
        "class App:\n    def run(self, i: M) -> M: ...\n"
    )
    argv = [sys.executable, "-m", "schemagen", "extract", str(tmp_path)]
    argv += ["--python", sys.executable] if python else []
    try:
        run = subprocess.run(argv, pass_fds=(write,), capture_output=True, text=True, cwd=REPO)
    finally:
        os.close(read)
        os.close(write)
    assert run.returncode == 0, run.stderr
    schema = json.loads(run.stdout)["functions"]["run"]["input_schema"]
    assert schema["properties"]["inherited"]["default"] is False


def test_failed_generate_leaves_the_output_folder_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("generate", "examples/structure", "--out", str(out))
    assert result.code == 0, result.stderr
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    broken = run_cli("generate", "tests/fixtures/errors/syntax-error", "--out", str(out))
    assert broken.code == 2
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    assert before == after


def test_generate_from_a_manifest_and_from_functions_schema(tmp_path: Path) -> None:
    first = tmp_path / "first"
    assert run_cli("generate", "examples/image-tools", "--out", str(first)).code == 0
    again = tmp_path / "again"
    result = run_cli("generate", str(first / "manifest.json"), "--out", str(again))
    assert result.code == 0, result.stderr
    for name in ("functions_schema.json", "input_schema.json", "setup_schema.json"):
        assert (again / name).read_bytes() == (first / name).read_bytes()
    platform_only = tmp_path / "platform"
    platform_only.mkdir()
    for name in ("functions_schema.json", "setup_schema.json"):
        shutil.copy(first / name, platform_only / name)
    third = tmp_path / "third"
    result = run_cli("generate", str(platform_only / "functions_schema.json"), "--out", str(third))
    assert result.code == 0, result.stderr
    for name in ("functions_schema.json", "input_schema.json", "output_schema.json"):
        assert (third / name).read_bytes() == (first / name).read_bytes()
    assert (third / "setup_schema.json").read_bytes() == (first / "setup_schema.json").read_bytes()


def test_generate_defaults_to_the_app_folder(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(EXAMPLES / "multi-function", app)
    assert run_cli("generate", str(app)).code == 0
    assert sorted(p.name for p in app.iterdir() if p.suffix == ".json") == [
        "functions_schema.json",
        "input_schema.json",
        "manifest.json",
        "output_schema.json",
    ]


def test_invalid_manifest_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "manifest.json"
    bad.write_text(json.dumps({"format": "schemagen-manifest", "format_version": 1}))
    result = run_cli("generate", str(bad), "--out", str(tmp_path / "o"))
    assert result.code == 2
    assert "not a valid manifest" in result.stderr and "'app' is a required property" in (
        result.stderr
    )
    assert not (tmp_path / "o").exists()
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": "schemagen-manifest", "format_version": 99}))
    result = run_cli("generate", str(newer))
    assert result.code == 2 and "newer than this schemagen reads" in result.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{\n  nope")
    result = run_cli("generate", str(garbage))
    assert result.code == 2 and f"{garbage}:2:3: not JSON" in result.stderr


def test_sdk_installed_without_the_package_is_a_clear_error() -> None:
    result = run_cli("extract", "examples/structure", "--sdk", "installed")
    assert result.code == 2
    assert "inferencesh package is not installed" in result.stderr


def test_bundled_sdk_does_not_leak_into_the_parent_process() -> None:
    import importlib.util

    assert importlib.util.find_spec("inferencesh") is None
    manifest = extract("examples/structure")
    assert manifest["app"]["sdk"] == {"source": "bundled", "version": "0.7.15"}
    assert os.environ.get("PYTHONPATH", "").find("schemagen/sdk") == -1


def test_ctrl_c_during_an_import_ends_the_import_too(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    (tmp_path / "inference.py").write_text(
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    cli = subprocess.Popen(
        [sys.executable, "-m", "schemagen", "extract", str(tmp_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the app's import never started"
        time.sleep(0.05)
    child = int(pid_file.read_text())
    assert child != cli.pid
    cli.send_signal(signal.SIGINT)  # to the CLI alone, not its process group
    cli.wait(timeout=30)
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
