"""The schemagen side of the loader: locate the app, run the child, read its reply.

The app is imported in a child process (``schemagen.loader.child``, one module per step) so that
its import-time side effects, stubs and SDK surface never touch this process;
the parent only sends options and receives the manifest or a structured error.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from schemagen.errors import (
    AppError,
    ContaminationError,
    ImportOutOfMemory,
    ImportTimeout,
    UsageError,
)
from schemagen.loader import early
from schemagen.loader.early import CHILD_ENTRY, child_command, child_environment
from schemagen.loader.process import format_size, reply_of, run_child
from schemagen.manifest import Language, Manifest, Sources

SdkMode = Literal["auto", "bundled", "installed"]
SDK_MODES: tuple[SdkMode, ...] = ("auto", "bundled", "installed")
ENTRYPOINT = "inference.py"
NODE_ENTRYPOINTS = ("src/inference.js", "inference.js")
NODE_SUFFIXES = (".js", ".mjs", ".cjs")


@dataclass(frozen=True)
class LoadOptions:
    """How to import an app (the loader's flags)."""

    sdk: SdkMode = "auto"
    stubs: tuple[str, ...] = ()
    stub_all: bool = False
    timeout: float = 60.0
    app_class: str | None = None
    # The interpreter that imports the app (the app's own environment);
    # schemagen itself need not be installed there, pydantic must be.
    python: str | None = None
    # Also find where each function, model and field is declared (Manifest.sources).
    positions: bool = False
    # The import child's address space, in bytes (None: no cap); see process.py.
    memory_limit: int | None = None


@dataclass(frozen=True)
class AppLocation:
    """An app's folder and the entrypoint file inside it."""

    app_dir: Path
    entrypoint: Path
    language: Language = "python"


@dataclass
class LoadResult:
    manifest: Manifest
    warnings: list[str] = field(default_factory=list)


def locate_app(path: Path | None) -> AppLocation:
    """Resolve an app folder, an entrypoint path or nothing (the current folder)."""
    target = Path.cwd() if path is None else path
    shown = str(path) if path is not None else "."
    if not target.exists():
        raise UsageError("no such file or folder", file=shown)
    if target.is_file():
        # The folder is resolved, the file is not: a linked entrypoint is the
        # app's own, at the app's place (its __file__, its relative imports).
        entry = target.absolute().parent.resolve() / target.name
        if entry.suffix in NODE_SUFFIXES:
            # src/inference.js belongs to the folder above src/.
            in_src = entry.parent.name == "src" and f"src/{entry.name}" in NODE_ENTRYPOINTS
            app_dir = entry.parent.parent if in_src else entry.parent
            return AppLocation(app_dir=app_dir, entrypoint=entry, language="node")
        if entry.suffix != ".py":
            raise UsageError(
                "not an app entrypoint",
                file=shown,
                hint="give an app folder, its inference.py or its inference.js",
            )
        return AppLocation(app_dir=entry.parent, entrypoint=entry)
    return app_in_folder(target, shown)


def app_in_folder(folder: Path, shown: str) -> AppLocation:
    """The app whose entrypoint is in ``folder``; both kinds at once is an error naming them."""
    found = [name for name in (ENTRYPOINT, *NODE_ENTRYPOINTS) if (folder / name).is_file()]
    if len(found) > 1:
        raise UsageError(
            f"two app entrypoints in one folder: {' and '.join(found)}",
            file=shown,
            hint="the platform runs one; remove or rename the other",
        )
    if not found:
        typescript = [n for n in ("src/inference.ts", "inference.ts") if (folder / n).is_file()]
        if typescript:
            raise UsageError(
                f"{typescript[0]}: the platform runs JavaScript entrypoints only "
                "(src/inference.js or inference.js)",
                file=shown,
                hint="compile it to inference.js",
            )
        modules = [
            f"{place}inference{suffix}"
            for place in ("src/", "")
            for suffix in (".mjs", ".cjs")
            if (folder / f"{place}inference{suffix}").is_file()
        ]
        if modules:
            raise UsageError(
                f"{modules[0]}: the platform's entrypoint is named src/inference.js or "
                "inference.js",
                file=shown,
                hint='rename it; "type": "module" in package.json makes inference.js an ES module',
            )
        raise UsageError(
            f"no {ENTRYPOINT} or inference.js in this folder",
            file=shown,
            hint="is this an app folder?",
        )
    language: Language = "python" if found[0] == ENTRYPOINT else "node"
    app_dir = folder.resolve()
    return AppLocation(app_dir, app_dir / found[0], language)


def child_env() -> dict[str, str]:
    return child_environment()


def child_request(location: AppLocation, options: LoadOptions) -> dict[str, Any]:
    return {
        "app_dir": str(location.app_dir),
        "entrypoint": str(location.entrypoint),
        "options": asdict(options),
    }


def load_app(path: Path | None, options: LoadOptions) -> LoadResult:
    """Import the app at ``path`` in a child process and compile its manifest."""
    location = locate_app(path)
    if location.language == "node":
        from schemagen.loader.node.parent import load_node_app

        early.discard()
        return load_node_app(location, options)
    try:
        ended = run_child(
            child_command(options.python, CHILD_ENTRY),
            json.dumps(child_request(location, options)).encode(),
            timeout=options.timeout,
            env=child_env(),
            cwd=str(location.app_dir),
            started=early.take(options.python),  # the child schemagen.__main__ started
        )
    except OSError as exc:
        raise UsageError(
            f"cannot start the interpreter: {exc.strerror}", file=options.python
        ) from None
    return result_from_reply(location, options, reply_of(ended), ended.output)


def result_from_reply(
    location: AppLocation, options: LoadOptions, reply: dict[str, Any], output: str = ""
) -> LoadResult:
    """The LoadResult of a child's reply, or the AppError it reports."""
    if reply["ok"]:
        manifest = Manifest.from_dict(reply["manifest"], source="<loader>", trusted=True)
        if "sources" in reply:
            sources = Sources.from_dict(reply["sources"], app_dir=_shown(location.app_dir))
            manifest = replace(manifest, sources=sources)
        return LoadResult(manifest=manifest, warnings=[_relocate(w) for w in reply["warnings"]])
    error = reply["error"]
    entry = _shown(location.entrypoint)
    if error["kind"] == "environment":
        raise UsageError(error["message"])
    if error["kind"] == "timeout":
        raise ImportTimeout(
            f"importing the app took longer than {options.timeout:g} s and was stopped",
            file=entry,
            hint="does it load models or call the network at import time? raise --timeout",
            detail=output or None,
        )
    if error["kind"] == "memory" or error.get("signal") == "SIGKILL":
        limit = options.memory_limit
        cap = f"the limit is {format_size(limit)}" if limit else "no limit was set"
        what = (
            "the app ran out of memory while being imported"
            if error["kind"] == "memory"
            else "the app's import was killed by SIGKILL, likely out of memory"
        )
        raise ImportOutOfMemory(
            f"{what} ({cap})",
            file=entry,
            hint="raise --memory-limit, or free memory on this machine; "
            "does it load a model at import time?",
            detail=output or None,
        )
    if error["kind"] == "crashed":
        how = (
            f"was killed by {error['signal']}"
            if error.get("signal")
            else f"ended the process (exit code {error['exit_code']})"
        )
        raise AppError(
            f"the app's import {how} before schemagen could read it",
            file=entry,
            hint="does it call os._exit() or crash the interpreter at import time?",
            detail=output or None,
        )
    raise error_from_child(error, output)


def error_from_child(error: dict[str, Any], output: str = "") -> AppError:
    """The AppError for a ChildError's fields (paths shown relative to the current folder)."""
    kind = ContaminationError if error["kind"] == "contamination" else AppError
    detail = "\n".join(part for part in (error.get("detail"), output) if part)
    return kind(
        error["message"],
        file=_shown(error["file"]) if error.get("file") else None,
        line=error.get("line"),
        column=error.get("column"),
        hint=error.get("hint"),
        detail=detail or None,
    )


def _shown(path: str | Path) -> str:
    """A path as the user should see it: relative to the current folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _relocate(warning: dict[str, Any]) -> str:
    if not warning.get("file"):
        return str(warning["message"])
    line = f":{warning['line']}" if warning.get("line") else ""
    return f"{_shown(warning['file'])}{line}: {warning['message']}"
