"""The bundled SDK surface imported before the app is known, for an app to find as if
it imported it itself: by a compile worker before it forks, and by the one-app child
started early (``loader/early.py``) while schemagen reads its flags.

Apart from the worker's machinery (``loader/process``), so that the one-app child
does not import what it never uses.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Sequence

from schemagen.loader.child import main as child

BUNDLED_MODULES = (
    "inferencesh",
    "inferencesh.models",
    "inferencesh.models.base",
    "inferencesh.models.file",
    "inferencesh.models.output_meta",
    "inferencesh.output_meta_gen",
)
# Imported by the surface when an app first asks for an LLM model (sdk/inferencesh/_lazy.py).
LLM_MODULE = "inferencesh.models.llm"


class _PreloadedLoader(importlib.abc.Loader):
    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class PreloadedFinder(importlib.abc.MetaPathFinder):
    """Serves modules imported before the fork, as if imported now.

    They stay out of ``sys.modules`` until an app asks for one; then all of
    them return at once (their classes refer to each other's modules), so
    "did the app import the SDK?" still has its one-shot answer.
    """

    def __init__(self, modules: dict[str, types.ModuleType]) -> None:
        self.modules = modules

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        for name, module in self.modules.items():
            if name != fullname:
                sys.modules.setdefault(name, module)
        module = self.modules[fullname]
        return importlib.machinery.ModuleSpec(
            fullname,
            _PreloadedLoader(module),
            is_package=hasattr(module, "__path__"),
        )


def resolve_sdk(mode: str) -> str:
    """``auto`` resolved once for the whole batch, as the child would resolve it."""
    if mode != "auto":
        return mode
    return "installed" if importlib.util.find_spec("inferencesh") is not None else "bundled"


def preload_bundled_sdk(llm: bool = False) -> PreloadedFinder:
    """Import the bundled surface once, for every fork to find as if it imported it.

    Its models are created with ``defer_build``: each builds its validator the
    first time something needs it, so the models an app does not use cost
    nothing. The setting is taken off them after, so that the app's own models,
    which inherit their config, are built as usual. ``llm``: the LLM models too,
    which the surface otherwise creates (deferred as well) when an app first asks
    for one: a worker preloads them once for all its apps, a one-app child only
    when its app needs them.
    """
    from pydantic import BaseModel

    sys.path.insert(0, child.SDK_DIR)
    BaseModel.model_config["defer_build"] = True
    try:
        for name in (*BUNDLED_MODULES, LLM_MODULE) if llm else BUNDLED_MODULES:
            importlib.import_module(name)
    finally:
        del BaseModel.model_config["defer_build"]
    modules = {
        name: module
        for name, module in sys.modules.items()
        if name == "inferencesh" or name.startswith("inferencesh.")
    }
    for module in modules.values():
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                value.model_config.pop("defer_build", None)
    for name in modules:
        del sys.modules[name]
    sys.path.remove(child.SDK_DIR)
    finder = PreloadedFinder(modules)
    sys.meta_path.insert(0, finder)
    return finder
