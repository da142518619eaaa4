"""The schemagen side of the loader: locate the app, run the child, read its reply.

The app is imported in a child process (``schemagen.loader.child``) so that
its import-time side effects, stubs and SDK surface never touch this process;
the parent only sends options and receives the manifest or a structured error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import schemagen
from schemagen.errors import AppError, ContaminationError, UsageError
from schemagen.manifest import Manifest

SdkMode = Literal["auto", "bundled", "installed"]
SDK_MODES: tuple[SdkMode, ...] = ("auto", "bundled", "installed")
ENTRYPOINT = "inference.py"
NODE_ENTRYPOINTS = ("src/inference.js", "inference.js")
_PACKAGE_PARENT = str(Path(schemagen.__file__).resolve().parent.parent)


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


@dataclass(frozen=True)
class AppLocation:
    """An app's folder and the entrypoint file inside it."""

    app_dir: Path
    entrypoint: Path


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
        if target.suffix != ".py":
            raise UsageError(
                "not a Python entrypoint", file=shown, hint="give an app folder or its inference.py"
            )
        return AppLocation(app_dir=target.resolve().parent, entrypoint=target.resolve())
    entry = target / ENTRYPOINT
    if entry.is_file():
        return AppLocation(app_dir=target.resolve(), entrypoint=entry.resolve())
    for node_entry in NODE_ENTRYPOINTS:
        if (target / node_entry).is_file():
            raise UsageError(
                "Node.js apps are not supported yet by this schemagen",
                file=str(target / node_entry),
                hint="their zod schemas can be checked with --target zod from a manifest",
            )
    raise UsageError(f"no {ENTRYPOINT} in this folder", file=shown, hint="is this an app folder?")


def load_app(path: Path | None, options: LoadOptions) -> LoadResult:
    """Import the app at ``path`` in a child process and compile its manifest."""
    location = locate_app(path)
    request = {
        "app_dir": str(location.app_dir),
        "entrypoint": str(location.entrypoint),
        "options": asdict(options),
    }
    python = sys.executable
    if options.python:
        # Resolved here: the child starts in the app folder.
        found = shutil.which(options.python) if os.sep not in options.python else None
        python = found or os.path.abspath(options.python)
    env = dict(os.environ)
    # Same bytes whatever the caller's hash seed; no __pycache__ left in app folders.
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    boot = (
        f"import sys; sys.path[0] = {_PACKAGE_PARENT!r}; "
        "from schemagen.loader.child import main; main()"
    )
    try:
        proc = subprocess.run(
            [python, "-c", boot],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=options.timeout,
            env=env,
            cwd=location.app_dir,
        )
    except OSError as exc:
        raise UsageError(
            f"cannot start the interpreter: {exc.strerror}", file=options.python
        ) from None
    except subprocess.TimeoutExpired:
        raise AppError(
            f"importing the app took longer than {options.timeout:g} s and was stopped",
            file=_shown(location.entrypoint),
            hint="does it load models or call the network at import time? raise --timeout",
        ) from None
    stderr = proc.stderr.decode("utf-8", "replace")
    try:
        reply: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise AppError(
            f"the app's import ended the process (exit code {proc.returncode}) before "
            "schemagen could read it",
            file=_shown(location.entrypoint),
            hint="does it call os._exit() or crash the interpreter at import time?",
            detail=stderr,
        ) from None
    if not reply["ok"]:
        raise _error_from_reply(reply["error"], stderr)
    manifest = Manifest.from_dict(reply["manifest"], source="<loader>", trusted=True)
    return LoadResult(manifest=manifest, warnings=[_relocate(w) for w in reply["warnings"]])


def _shown(path: str | Path) -> str:
    """A path as the user should see it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def _relocate(warning: dict[str, Any]) -> str:
    if not warning.get("file"):
        return str(warning["message"])
    line = f":{warning['line']}" if warning.get("line") else ""
    return f"{_shown(warning['file'])}{line}: {warning['message']}"


def _error_from_reply(error: dict[str, Any], stderr: str) -> AppError:
    kind = ContaminationError if error["kind"] == "contamination" else AppError
    detail = "\n".join(part for part in (error.get("detail"), stderr) if part)
    return kind(
        error["message"],
        file=_shown(error["file"]) if error.get("file") else None,
        line=error.get("line"),
        hint=error.get("hint"),
        detail=detail or None,
    )
