"""A non-editable install from the built wheel works on its own.

Builds the wheel, checks that the Jinja2 templates and the bundled SDK are
inside it, installs it into a fresh venv (dependencies from PyPI) and runs the
README's main job from there, outside the source tree.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers import EXAMPLES, REPO
from tests.venvs import make_venv


def test_wheel_ships_templates_and_sdk_and_runs_from_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = dist.glob("inferencesh_schemagen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    templates = sorted(REPO.glob("templates/**/*.j2"))
    assert templates, "the repo has templates"
    for template in templates:
        assert f"schemagen/{template.relative_to(REPO).as_posix()}" in names
    assert "schemagen/sdk/inferencesh/models/llm.py" in names
    assert "schemagen/manifest.schema.json" in names
    node = sorted(REPO.glob("schemagen/loader/node/*/**/*.*"))
    assert any(p.name == "index.cjs" for p in node), "the repo has the vendored zod builds"
    for path in node:
        if "__pycache__" not in path.parts:
            assert path.relative_to(REPO).as_posix() in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "-q",
            str(wheel),
            "-c",
            str(REPO / "constraints.txt"),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [
            str(venv / "bin" / "schemagen"),
            "generate",
            str(EXAMPLES / "structure"),
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    golden = REPO / "golden" / "examples" / "structure"
    for name in ("functions_schema.json", "input_schema.json", "setup_schema.json"):
        assert (out / name).read_bytes() == (golden / name).read_bytes()
    # A Node.js app, its zod and @inferencesh/app from the wheel's vendored copies.
    node_out = tmp_path / "node-out"
    result = subprocess.run(
        [str(venv / "bin" / "schemagen"), "generate", str(EXAMPLES / "html-render"),
         "--out", str(node_out)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    golden = REPO / "golden" / "examples" / "html-render"
    for name in ("functions_schema.json", "input_schema.json", "manifest.json"):
        assert (node_out / name).read_bytes() == (golden / name).read_bytes()
    _python_flag_uses_the_target_interpreters_pydantic(venv / "bin" / "schemagen", tmp_path)


def _python_flag_uses_the_target_interpreters_pydantic(schemagen: Path, tmp_path: Path) -> None:
    # Installed from a wheel, schemagen sits in a site-packages with its own pydantic;
    # an app imported with --python must get that interpreter's pydantic, not this one.
    other = make_venv("pydantic-2.11.7", ["pydantic==2.11.7", "pydantic-core==2.33.2"])
    result = subprocess.run(
        [str(schemagen), "extract", str(EXAMPLES / "structure"), "--python", str(other)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["app"]["pydantic_version"] == "2.11.7"
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    result = subprocess.run(
        [
            str(schemagen),
            "extract",
            str(EXAMPLES / "structure"),
            "--python",
            str(bare / "bin/python"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"schemagen: error: pydantic is not installed for {bare / 'bin/python'} "
        "(the app's models need it there)\n"
    )
