"""Where OLD and NEW come from.

A source is one of:

- an app folder (``inference.py``, ``src/inference.js`` or ``inference.js``),
  loaded by the function the caller passes in (the diff never imports the loader);
- a manifest file, or a folder holding ``manifest.json``;
- a platform ``functions_schema.json`` (with ``setup_schema.json`` beside it, if any),
  or a folder holding one;
- a folder with the platform's ``input_schema.json`` / ``output_schema.json``
  (and ``setup_schema.json``): the ``run`` function only;
- ``git:REF:PATH``: any of those as it is at REF, read with ``git archive`` /
  ``git cat-file`` into a temporary folder, without touching the work tree.
  PATH is relative to the current folder, as in ``git show REF:./PATH``.
"""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from schemagen.diff.git_checkout import PartialCheckout
from schemagen.errors import ManifestError, UsageError, not_json
from schemagen.manifest import AppInfo, Function, Manifest, SdkInfo, load_manifest_file

AppLoader = Callable[[Path], Manifest]

APP_ENTRYPOINTS = ("inference.py", "src/inference.js", "inference.js")
SCHEMA_FILES = ("input_schema.json", "output_schema.json", "setup_schema.json")
_SIBLINGS = ("functions_schema.json", "manifest.json", *SCHEMA_FILES)
_KINDS = (
    "an app folder, a manifest, a functions_schema.json, a folder with input_schema.json, "
    "or git:REF:PATH"
)


class SourceMissing(UsageError):
    """The source names nothing: no such path, or none at that git REF (which exists)."""


def resolve_source(spec: str, load_app: AppLoader, *, cwd: Path | None = None) -> Manifest:
    """The manifest that ``spec`` (a path or ``git:REF:PATH``) describes."""
    base = cwd if cwd is not None else Path.cwd()
    if spec.startswith("git:"):
        return _from_git(spec, load_app, base)
    path = Path(spec)
    if not path.is_absolute():
        path = base / path
    if not path.exists():
        raise SourceMissing(f"no such file or folder: {spec}", hint=f"give {_KINDS}")
    return _from_path(path, load_app)


def _holds_a_source(folder: Path) -> bool:
    """Whether ``folder`` is an app folder or holds a manifest or schema files."""
    names = (*APP_ENTRYPOINTS, "manifest.json", "functions_schema.json", "input_schema.json")
    return any((folder / name).is_file() for name in names)


def _from_path(path: Path, load_app: AppLoader) -> Manifest:
    if path.is_dir():
        if any((path / entry).is_file() for entry in APP_ENTRYPOINTS):
            return load_app(path)
        for name in ("manifest.json", "functions_schema.json"):
            if (path / name).is_file():
                return load_manifest_file(path / name)
        if (path / "input_schema.json").is_file():
            return _from_schema_files(path)
        raise UsageError(
            "not an app folder and holds no schema files", file=str(path), hint=f"give {_KINDS}"
        )
    if path.name in SCHEMA_FILES:
        return _from_schema_files(path.parent)
    if path.name == "inference.py":
        return load_app(path)
    if path.name == "inference.js":
        return load_app(path.parent.parent if path.parent.name == "src" else path.parent)
    return load_manifest_file(path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"cannot read: {exc.strerror}", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise not_json(exc, str(path)) from None


def _from_schema_files(folder: Path) -> Manifest:
    """The platform's per-app schema files: they describe the ``run`` function."""
    missing = [n for n in SCHEMA_FILES[:2] if not (folder / n).is_file()]
    if missing:
        raise UsageError(f"{missing[0]} is missing beside the other schema files", file=str(folder))
    schemas = {n: _read_json(folder / n) for n in SCHEMA_FILES if (folder / n).is_file()}
    for name, schema in schemas.items():
        if not isinstance(schema, (dict, bool)):
            raise ManifestError(
                "not a JSON Schema (an object or a boolean)", file=str(folder / name)
            )
    return Manifest(
        app=AppInfo(
            name=folder.resolve().name,
            language="unknown",
            entrypoint=None,
            app_class=None,
            sdk=SdkInfo(source="unknown"),
            origin="schema_files",
        ),
        setup=schemas.get("setup_schema.json"),
        functions={
            "run": Function(
                name="run",
                description="",
                input_schema=schemas["input_schema.json"],
                output_schema=schemas["output_schema.json"],
            )
        },
    )


# ---------------------------------------------------------------- git


def _git(cwd: Path, *args: str, binary: bool = False) -> Any:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, text=not binary
        )
    except FileNotFoundError:
        raise UsageError("git is not installed", hint="install git to read git:REF:PATH") from None
    if done.returncode != 0:
        stderr = (
            done.stderr if isinstance(done.stderr, str) else done.stderr.decode(errors="replace")
        )
        first = stderr.strip().splitlines()[0] if stderr.strip() else f"exit {done.returncode}"
        raise UsageError(f"git {args[0]} failed: {first}")
    return done.stdout


def parse_git_spec(spec: str) -> tuple[str, str]:
    """``git:REF:PATH`` -> (REF, PATH)."""
    rest = spec[len("git:") :]
    ref, sep, path = rest.partition(":")
    if not ref or not sep:
        raise UsageError(
            f"bad source {spec!r}", hint="write git:REF:PATH, e.g. git:origin/main:apps/flux"
        )
    return ref, path


def _from_git(spec: str, load_app: AppLoader, cwd: Path) -> Manifest:
    ref, rel = parse_git_spec(spec)
    if os.path.isabs(rel):
        raise UsageError(f"{spec}: PATH must be relative (to the current folder)")
    prefix = _git(cwd, "rev-parse", "--show-prefix").strip()
    path = os.path.normpath(os.path.join(prefix, rel)) if (prefix or rel) else "."
    if path == ".." or path.startswith("../"):
        raise UsageError(f"{spec}: PATH leaves the repository")
    path = "" if path == "." else path
    top = Path(_git(cwd, "rev-parse", "--show-toplevel").strip())
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except UsageError:
        raise UsageError(f"{spec}: no commit {ref!r} in this repository") from None
    with tempfile.TemporaryDirectory(prefix="schemagen-diff-") as tmp:
        checkout = PartialCheckout(
            lambda *args, binary=False: _git(top, *args, binary=binary), ref, Path(tmp) / top.name
        )
        real = checkout.resolve(path)
        entry = checkout._entry(real) if real is not None else None
        if real is None or entry is None:
            raise SourceMissing(f"{spec}: no {path or '.'!r} at {ref}")
        if entry[1] == "tree":
            target = checkout.add(real)
            if not _holds_a_source(target):  # a folder that became an app after REF
                raise SourceMissing(
                    f"{spec}: no app or schema files at {ref}", hint=f"give {_KINDS}"
                )
            return _rerooted(_from_path(target, load_app), rel)
        if entry[1] != "blob":
            raise UsageError(f"{spec}: not a file or folder at {ref} ({entry[1]})")
        folder, _, filename = real.rpartition("/")
        if filename in ("inference.py", "inference.js"):
            # An app's entrypoint: the app is the whole folder, helpers and links included.
            in_src = filename == "inference.js" and posixpath.basename(folder) == "src"
            checkout.add(posixpath.dirname(folder) if in_src else folder)
            return _rerooted(_from_path(checkout.root / real, load_app), os.path.dirname(rel))
        listing = _git(top, "ls-tree", "--name-only", f"{ref}:{folder}").splitlines()
        for sibling in {filename, *(n for n in _SIBLINGS if n in listing)}:
            checkout.add(f"{folder}/{sibling}" if folder else sibling)
        return _from_path(checkout.root / real, load_app)


def _rerooted(manifest: Manifest, app_dir: str) -> Manifest:
    """An app read from a temporary checkout, its source lines named as in the work tree."""
    if manifest.sources is None:
        return manifest
    shown = os.path.normpath(app_dir).replace(os.sep, "/") if app_dir else "."
    return replace(manifest, sources=replace(manifest.sources, app_dir=shown))
