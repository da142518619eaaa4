"""Resolving OLD and NEW: app folders (through the injected loader), manifests,
platform schema files, and git:REF:PATH read without a checkout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from schemagen.diff.sources import SourceMissing, resolve_source
from schemagen.errors import ManifestError, UsageError
from schemagen.manifest import Manifest
from tests.diff.test_rules_functions import IN, OUT, fn, manifest
from tests.helpers import git

DATA = Path(__file__).parent / "data"
FUNCTIONS = {"run": {"description": "", "input_schema": IN, "output_schema": OUT}}


class FakeLoader:
    """Stands in for the loader: records the folder and what inference.py says."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, path: Path) -> Manifest:
        self.seen.append((path.name, (path / "inference.py").read_text(encoding="utf-8")))
        return manifest(fn())


def make_app(folder: Path, body: str = "# v1\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "inference.py").write_text(body, encoding="utf-8")
    return folder


def test_app_folder_goes_through_the_loader(tmp_path: Path) -> None:
    loader = FakeLoader()
    result = resolve_source("flux", loader, cwd=make_app(tmp_path / "flux").parent)
    assert result.functions.keys() == {"run"}
    assert loader.seen == [("flux", "# v1\n")]


def test_manifest_file_and_folder(tmp_path: Path) -> None:
    shutil.copy(DATA / "flux-v1.manifest.json", tmp_path / "manifest.json")
    for spec in ("manifest.json", "."):
        result = resolve_source(spec, FakeLoader(), cwd=tmp_path)
        assert set(result.functions) == {"run", "upscale"}


def test_functions_schema_with_setup_beside_it(tmp_path: Path) -> None:
    (tmp_path / "functions_schema.json").write_text(json.dumps(FUNCTIONS), encoding="utf-8")
    (tmp_path / "setup_schema.json").write_text(json.dumps(IN), encoding="utf-8")
    for spec in ("functions_schema.json", str(tmp_path)):
        result = resolve_source(spec, FakeLoader(), cwd=tmp_path)
        assert result.setup == IN and result.app.origin == "functions_schema"


def test_platform_schema_files_describe_run(tmp_path: Path) -> None:
    (tmp_path / "input_schema.json").write_text(json.dumps(IN), encoding="utf-8")
    (tmp_path / "output_schema.json").write_text(json.dumps(OUT), encoding="utf-8")
    for spec in (".", "input_schema.json"):
        result = resolve_source(spec, FakeLoader(), cwd=tmp_path)
        assert result.functions["run"].input_schema == IN and result.setup is None
        assert result.app.origin == "schema_files"


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceMissing, match="no such file"):
        resolve_source("missing", FakeLoader(), cwd=tmp_path)
    with pytest.raises(UsageError, match="not an app folder"):
        resolve_source(".", FakeLoader(), cwd=tmp_path)
    (tmp_path / "input_schema.json").write_text("{", encoding="utf-8")
    (tmp_path / "output_schema.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ManifestError, match="not JSON"):
        resolve_source(".", FakeLoader(), cwd=tmp_path)
    with pytest.raises(UsageError, match="bad source"):
        resolve_source("git:HEAD", FakeLoader(), cwd=tmp_path)


# ---------------------------------------------------------------- git


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(tmp_path, "init", "-q")
    app = make_app(tmp_path / "apps" / "flux", "# committed\n")
    (app / "helper.py").write_text("X = 1\n", encoding="utf-8")
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "functions_schema.json").write_text(json.dumps(FUNCTIONS), encoding="utf-8")
    (schemas / "setup_schema.json").write_text(json.dumps(IN), encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "v1")
    make_app(app, "# working tree\n")  # not committed: git:HEAD must not see it
    return tmp_path


def test_git_app_folder_is_extracted_not_checked_out(repo: Path) -> None:
    loader = FakeLoader()
    resolve_source("git:HEAD:apps/flux", loader, cwd=repo)
    assert loader.seen == [("flux", "# committed\n")]
    assert (repo / "apps" / "flux" / "inference.py").read_text() == "# working tree\n"


def test_git_path_is_relative_to_the_current_folder(repo: Path) -> None:
    loader = FakeLoader()
    resolve_source("git:HEAD:flux", loader, cwd=repo / "apps")
    assert loader.seen == [("flux", "# committed\n")]


def test_git_schema_file_brings_its_setup(repo: Path) -> None:
    result = resolve_source("git:HEAD:schemas/functions_schema.json", FakeLoader(), cwd=repo)
    assert result.setup == IN and set(result.functions) == {"run"}
    folder = resolve_source("git:HEAD:schemas", FakeLoader(), cwd=repo)
    assert folder.setup == IN


def test_git_errors(repo: Path) -> None:
    # A path missing at a revision that exists is a missing source (diff --allow-new)...
    with pytest.raises(SourceMissing, match="git:HEAD:apps/nope: no 'apps/nope' at HEAD"):
        resolve_source("git:HEAD:apps/nope", FakeLoader(), cwd=repo)
    # ... a revision that does not exist is a plain error.
    with pytest.raises(UsageError, match="no commit 'no-such-ref'") as error:
        resolve_source("git:no-such-ref:apps/flux", FakeLoader(), cwd=repo)
    assert not isinstance(error.value, SourceMissing)
    with pytest.raises(UsageError, match="leaves the repository"):
        resolve_source("git:HEAD:../x", FakeLoader(), cwd=repo)
