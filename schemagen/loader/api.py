"""The loader's public API: everything the rest of schemagen uses of the front end.

Compiling apps into manifests (each in a child process, ``parent``/``child``; many
at once in fork-server workers, ``pool``), and, for ``schemagen serve``, importing
one app into this process to run it. Nothing outside ``schemagen/loader/`` imports
the loader's other modules.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemagen.errors import UsageError
from schemagen.loader.child.boot import environment
from schemagen.loader.early import child_command
from schemagen.loader.parent import (
    ENTRYPOINT,
    NODE_ENTRYPOINTS,
    SDK_MODES,
    AppLocation,
    LoadOptions,
    LoadResult,
    SdkMode,
    app_in_folder,
    error_from_child,
    load_app,
    locate_app,
)
from schemagen.loader.pool import AppOutcome, compile_apps, default_jobs
from schemagen.loader.process import default_memory_limit, kill_running_children, parse_size

if TYPE_CHECKING:
    from pydantic import BaseModel

    from schemagen.loader.child.discovery import Discovered

__all__ = [
    "ENTRYPOINT",
    "NODE_ENTRYPOINTS",
    "SDK_MODES",
    "AppLocation",
    "AppOutcome",
    "ImportedApp",
    "LoadOptions",
    "LoadResult",
    "SdkMode",
    "app_in_folder",
    "child_command",
    "compile_apps",
    "default_jobs",
    "default_memory_limit",
    "environment",
    "error_from_child",
    "import_app",
    "kill_running_children",
    "load_app",
    "locate_app",
    "node_environment",
    "node_serve_command",
    "parse_size",
    "select_sdk",
]


def node_environment(app_dir: Path) -> str:
    """What a Node.js app's manifest depends on beyond its files (node, its packages)."""
    from schemagen.loader.node.parent import node_environment as of_node

    return of_node(app_dir)


def node_serve_command(location: AppLocation, config: dict[str, Any]) -> list[str]:
    """The argv of a long-lived ``node`` that runs a Node.js app's functions for
    ``schemagen serve`` (the protocol is ``loader/node/runtime/serve.mjs``'s); a
    ``UsageError`` when there is no Node.js 18 or newer."""
    from schemagen.loader.node.parent import serve_command

    return serve_command(location, config)


def select_sdk(mode: SdkMode) -> str:
    """Make ``import inferencesh`` work in this process as ``--sdk mode`` says (the
    bundled surface goes on ``sys.path`` when chosen); ``"installed"`` or ``"bundled"``.
    A ``UsageError`` when ``installed`` is asked for and none is installed."""
    from schemagen.loader.child import discovery
    from schemagen.loader.child import main as child

    try:
        source, _ = child._select_sdk(mode)
    except discovery.ChildError as error:
        fields = error.as_dict()
        raise UsageError(fields["message"], hint=fields["hint"]) from None
    return source


@dataclass(frozen=True)
class ImportedApp:
    """An app imported into this process: its class and what the platform would run."""

    app_class: type
    functions: list[Discovered]  # each with its method and its input and output models
    setup_model: type[BaseModel] | None


def import_app(location: AppLocation, app_class: str | None) -> ImportedApp:
    """Import the app into this process as the loader's child does (nothing stubbed),
    with its folder as the working directory and first on ``sys.path``, as the
    platform runs an app; both stay so for its code. An ``AppError`` (paths relative
    to the caller's folder, which is then the working directory again) when it cannot
    be imported or has no app class."""
    from schemagen.loader.child import discovery
    from schemagen.loader.child import main as child

    app_dir = str(location.app_dir)
    caller_cwd = os.getcwd()
    os.chdir(app_dir)
    sys.path.insert(0, app_dir)
    try:
        module = child.import_app_module(app_dir, str(location.entrypoint))
        klass = discovery.find_app_class(module, app_class)
        functions = discovery.discover_functions(klass, [])
        setup_model = discovery.discover_setup_model(klass)
    except discovery.ChildError as error:
        os.chdir(caller_cwd)  # the app will not run: paths in the error are the caller's
        raise error_from_child(error.as_dict()) from None
    return ImportedApp(klass, functions, setup_model)
