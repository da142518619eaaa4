"""Byte-for-byte parity of schemagen's bundled inferencesh surface with inferencesh 0.7.15.

For every class of the surface, and for every model of the parity apps under
``tests/fixtures/parity/`` (apps mixing the surface with their own models), the
text ``json.dumps(Model.model_json_schema(), indent=2)`` (validation mode, what
the platform writes, and serialization mode) must be identical whether the
schema comes from the real ``inferencesh==0.7.15`` (a venv, see ``conftest.py``)
or from the bundled surface (``schemagen/sdk`` first on ``sys.path``).  Each
side runs in one subprocess (``dump_schemas.py``) that dumps everything at once.

Verified with pydantic 2.14.4 and pydantic-core 2.50.5 on CPython 3.11 (see
PARITY.md); the reference venv always pins the pydantic of the interpreter
running the tests, so the comparison holds for whatever pydantic that is.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import FIXTURES, REPO

SDK_DIR = REPO / "schemagen" / "sdk"
DUMP_SCRIPT = Path(__file__).with_name("dump_schemas.py")
PARITY_APPS = FIXTURES / "parity"

# Every class of the surface, under the module that defines it in 0.7.15.
# Enums and File have no model_json_schema(): their TypeAdapter schema is compared.
SURFACE: dict[str, tuple[str, ...]] = {
    "inferencesh.models.base": (
        "Metadata", "OrderedSchemaModel", "BaseAppSetup", "BaseAppInput", "BaseAppOutput",
        "BaseApp",
        "OptionalImageFieldMixin", "RequiredImageFieldMixin",
        "OptionalVideoFieldMixin", "RequiredVideoFieldMixin",
        "OptionalAudioFieldMixin", "RequiredAudioFieldMixin",
        "OptionalTextFieldMixin", "RequiredTextFieldMixin",
        "OptionalFileFieldMixin", "RequiredFileFieldMixin",
    ),
    "inferencesh.models.file": ("File",),
    "inferencesh.models.llm": (
        "ContextMessageRole", "Message", "ContextMessage", "BaseLLMInput", "ChatInput",
        "ModelSettings", "ModelSettingsCapabilityMixin", "ImageCapabilityMixin",
        "FileCapabilityMixin", "ReasoningEffortEnum", "ReasoningCapabilityMixin",
        "ToolsCapabilityMixin", "LLMInput", "LLMUsage", "BaseLLMOutput", "LLMUsageMixin",
        "ReasoningMixin", "ToolCallsMixin", "ImagesMixin", "LLMOutput",
    ),
    "inferencesh.models.output_meta": (
        "MetaItem", "TextMeta", "ImageMeta", "VideoMeta", "AudioMeta", "RawMeta", "OutputMeta",
    ),
    "inferencesh.output_meta_gen": ("MetaItemType", "VideoResolution"),
}  # fmt: skip

STAR_MODULES = (
    "inferencesh",
    "inferencesh.models",
    "inferencesh.models.base",
    "inferencesh.models.file",
    "inferencesh.models.llm",
    "inferencesh.models.output_meta",
    "inferencesh.output_meta_gen",
)

# 0.7.15 leaves ChatInput incomplete (a forward reference to ModelSettings): a
# subclass in a module that does not import ModelSettings fails there until
# ChatInput is rebuilt.  The reference for such an app is 0.7.15 after that
# rebuild; "<app>@as-is" is the same app without it, to show both behaviours.
REBUILD_FIRST = {"chat_bare": [["inferencesh.models.llm", "ChatInput"]]}
AS_IS = "@as-is"


def app_model_names(app_dir: Path) -> list[str]:
    """The classes with bases the app's ``inference.py`` defines, at any depth.

    The parity apps bind each of them to a module-level name.
    """
    tree = ast.parse((app_dir / "inference.py").read_text())
    return [node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and node.bases]


APPS = {app_dir.name: app_model_names(app_dir) for app_dir in sorted(PARITY_APPS.iterdir())}


def _request(
    sys_path: list[str],
    app: dict[str, Any] | None = None,
    classes: list[list[str]] | None = None,
    star_modules: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A request for ``dump_schemas.py``."""
    return {
        "sys_path": sys_path,
        "app": app,
        "classes": classes or [],
        "star_modules": list(star_modules),
    }


def _requests(sys_path: list[str]) -> dict[str, dict[str, Any]]:
    """One dump per process: the surface, then each app in a fresh interpreter."""
    surface = [[module, name] for module, names in SURFACE.items() for name in names]
    requests = {"": _request(sys_path, classes=surface, star_modules=STAR_MODULES)}
    for app, models in APPS.items():
        spec = {"dir": str(PARITY_APPS / app), "classes": models}
        requests[app] = _request(sys_path, {**spec, "rebuild_first": REBUILD_FIRST.get(app, [])})
        if app in REBUILD_FIRST:
            requests[app + AS_IS] = _request(sys_path, {**spec, "rebuild_first": []})
    return requests


def _dump(python: Path | str, sys_path: list[str]) -> dict[str, Any]:
    """Run every dump of ``_requests`` in parallel; the results by request key."""
    requests = _requests(sys_path)
    procs = {
        key: subprocess.Popen(
            [str(python), "-I", str(DUMP_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for key in requests
    }
    results = {}
    for key, proc in procs.items():
        stdout, stderr = proc.communicate(json.dumps(requests[key]), timeout=120)
        assert proc.returncode == 0, f"dump {key!r} failed:\n{stderr}"
        results[key] = json.loads(stdout)
    return results


@pytest.fixture(scope="module")
def reference(sdk_0715_python: Path) -> dict[str, Any]:
    return _dump(sdk_0715_python, [])


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    return _dump(sys.executable, [str(SDK_DIR)])


def test_each_side_uses_its_own_sdk(reference: dict[str, Any], bundled: dict[str, Any]) -> None:
    for key in bundled:
        assert Path(bundled[key]["inferencesh_file"]) == SDK_DIR / "inferencesh" / "__init__.py"
        assert "site-packages" in Path(reference[key]["inferencesh_file"]).parts


# Models whose schema 0.7.15 cannot produce, on purpose: the same error on both sides.
FAILS_ON_PURPOSE = {
    ("layout_quirks", "Renamed"): "error: OSError: could not find class definition",
    (
        "layout_quirks",
        "Homeless",
    ): "error: TypeError: <class 'not_a_module.Homeless'> is a built-in",
}


def _assert_same(
    reference: dict[str, str], bundled: dict[str, str], where: str, error: str | None = None
) -> None:
    if error is None:
        assert not reference["validation"].startswith("error:"), f"{where}: {reference}"
    else:
        assert reference["validation"].startswith(error), f"{where}: {reference}"
    for mode in ("validation", "serialization"):
        assert bundled[mode] == reference[mode], f"{where} ({mode} mode)"


@pytest.mark.parametrize(
    "qualname", [f"{module}.{name}" for module, names in SURFACE.items() for name in names]
)
def test_surface_class(reference: dict[str, Any], bundled: dict[str, Any], qualname: str) -> None:
    _assert_same(reference[""]["classes"][qualname], bundled[""]["classes"][qualname], qualname)


@pytest.mark.parametrize(
    ("app", "model"), [(app, model) for app, models in APPS.items() for model in models]
)
def test_parity_app_model(
    reference: dict[str, Any], bundled: dict[str, Any], app: str, model: str
) -> None:
    _assert_same(
        reference[app]["app"][model],
        bundled[app]["app"][model],
        f"{app}: {model}",
        FAILS_ON_PURPOSE.get((app, model)),
    )


@pytest.mark.parametrize("app", sorted(REBUILD_FIRST))
def test_chat_input_subclass_needs_no_model_settings_import(
    reference: dict[str, Any], bundled: dict[str, Any], app: str
) -> None:
    for model in APPS[app]:
        as_is = reference[app + AS_IS]["app"][model]["validation"]
        assert "is not fully defined" in as_is  # the 0.7.15 quirk, still there
        _assert_same(reference[app]["app"][model], bundled[app + AS_IS]["app"][model], model)


@pytest.mark.parametrize("module", STAR_MODULES)
def test_star_import_binds_the_same_names(
    reference: dict[str, Any], bundled: dict[str, Any], module: str
) -> None:
    assert bundled[""]["star_names"][module] == reference[""]["star_names"][module]
