"""Many apps in one run: finding them, compiling them (cached, in parallel), laying out outputs."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from schemagen.cache import ManifestCache
from schemagen.errors import SchemagenError, UsageError
from schemagen.loader.api import (
    ENTRYPOINT,
    AppLocation,
    AppOutcome,
    LoadOptions,
    compile_apps,
    load_app,
    locate_app,
)
from schemagen.manifest import Manifest, load_manifest_file

# Folders never searched for apps: environments, dependencies, caches, VCS.
SKIPPED_DIRS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "venv", "env", "build", "dist"}
)
_APP_CLASS = re.compile(r"^class\s+\w+\s*\(.*BaseApp.*\)\s*:|^class\s+App\b", re.MULTILINE)


def looks_like_app(entrypoint: Path) -> bool:
    """True when the file defines ``App`` or a BaseApp subclass (vendored code does not)."""
    try:
        return (
            _APP_CLASS.search(entrypoint.read_text(encoding="utf-8", errors="replace")) is not None
        )
    except OSError:
        return False


def find_apps(roots: list[Path], recursive: bool) -> list[AppLocation]:
    """The apps named by ``roots`` (each an app, or with ``recursive`` a tree of apps)."""
    if not roots:
        roots = [Path.cwd()]
    found: dict[Path, AppLocation] = {}
    for root in roots:
        if not root.exists():
            raise UsageError("no such file or folder", file=str(root))
        if recursive and root.is_dir():
            for location in _walk(root):
                found.setdefault(location.app_dir, location)
        else:
            location = locate_app(root)
            found.setdefault(location.app_dir, location)
    return sorted(found.values(), key=lambda loc: str(loc.app_dir))


def _walk(root: Path) -> Iterator[AppLocation]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        if ENTRYPOINT in files:
            entry = Path(folder, ENTRYPOINT)
            if looks_like_app(entry):
                yield AppLocation(app_dir=Path(folder).resolve(), entrypoint=entry.resolve())


@dataclass
class CompiledApp(AppOutcome):
    cached: bool = False
    cache_key: str | None = None


def compile_many(
    locations: list[AppLocation],
    options: LoadOptions,
    *,
    jobs: int,
    cache: ManifestCache | None,
    on_done: Callable[[CompiledApp], None] = lambda _app: None,
) -> list[CompiledApp]:
    """Compile every app (cache first, then workers); one outcome per app, in input order."""
    outcomes: dict[Path, CompiledApp] = {}
    keys: dict[Path, str] = {}
    misses = []
    for location in locations:
        if cache is not None:
            keys[location.app_dir] = key = cache.key(location)
            hit = cache.get(key)
            if hit is not None:
                app = CompiledApp(location, result=hit, cached=True, cache_key=key)
                outcomes[location.app_dir] = app
                on_done(app)
                continue
        misses.append(location)
    for outcome in _compile(misses, options, jobs):
        app = CompiledApp(outcome.location, outcome.result, outcome.error)
        if cache is not None and app.result is not None:
            app.cache_key = keys[app.location.app_dir]
            cache.put(app.cache_key, app.result)
        outcomes[app.location.app_dir] = app
        on_done(app)
    return [outcomes[location.app_dir] for location in locations]


def _compile(locations: list[AppLocation], options: LoadOptions, jobs: int) -> Iterator[AppOutcome]:
    if len(locations) == 1 or not hasattr(os, "fork"):
        # One app: a plain child process starts as fast as a worker would.
        for location in locations:
            try:
                yield AppOutcome(location, result=load_app(location.entrypoint, options))
            except SchemagenError as error:
                yield AppOutcome(location, error=error)
        return
    yield from compile_apps(locations, options, jobs)


def output_dirs(locations: list[AppLocation], out: Path | None, single: bool) -> dict[Path, Path]:
    """Where each app's files go.

    Without ``--out``: the app folder itself (the platform's layout). With
    ``--out`` and one app: that folder. With several apps: one subfolder of
    ``--out`` per app, named by the app's path relative to the current folder.
    """
    if out is None:
        return {loc.app_dir: loc.app_dir for loc in locations}
    if single:
        return {loc.app_dir: out for loc in locations}
    cwd = Path.cwd().resolve()
    dirs: dict[Path, Path] = {}
    for loc in locations:
        try:
            rel = loc.app_dir.relative_to(cwd)
        except ValueError:
            rel = Path(loc.app_dir.name)
        dirs[loc.app_dir] = out / rel
    return dirs


@dataclass
class SourceOutcome:
    """One source of a run (an app, a manifest or functions_schema.json) compiled."""

    label: str
    source: Path
    out_dir: Path
    manifest: Manifest | None = None
    warnings: list[str] = field(default_factory=list)
    error: SchemagenError | None = None
    cached: bool = False
    # Where the cache keeps this source's entry (apps compiled with a cache only).
    cache_key: str | None = None


def shown(path: Path) -> str:
    """``path`` relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def compile_sources(
    sources: list[Path],
    *,
    recursive: bool,
    out: Path | None,
    options: LoadOptions,
    jobs: int,
    cache: ManifestCache | None,
    on_plan: Callable[[int], None] = lambda _total: None,
    on_done: Callable[[SourceOutcome], None] = lambda _outcome: None,
) -> list[SourceOutcome]:
    """Compile every source; a broken one is an outcome with an error, never an exception."""
    files = [s for s in sources if s.is_file() and s.suffix == ".json"]
    app_roots = [s for s in sources if s not in files]
    apps = find_apps(app_roots, recursive) if app_roots or not sources else []
    if not apps and not files:
        raise UsageError("no app found", file=", ".join(map(str, sources)) or ".")
    single = len(apps) + len(files) == 1 and not recursive
    on_plan(len(apps) + len(files))
    outcomes: list[SourceOutcome] = []
    for path in files:
        outcome = SourceOutcome(shown(path), path, out or path.parent)
        try:
            outcome.manifest = load_manifest_file(path)
        except SchemagenError as error:
            outcome.error = error
        outcomes.append(outcome)
        on_done(outcome)
    dirs = output_dirs(apps, out, single)

    def finished(app: CompiledApp) -> None:
        outcome = SourceOutcome(
            shown(app.location.app_dir),
            app.location.app_dir,
            dirs[app.location.app_dir],
            manifest=app.result.manifest if app.result else None,
            warnings=app.result.warnings if app.result else [],
            error=app.error,
            cached=app.cached,
            cache_key=app.cache_key,
        )
        outcomes.append(outcome)
        on_done(outcome)

    compile_many(apps, options, jobs=jobs, cache=cache, on_done=finished)
    order = {path: i for i, path in enumerate([*files, *(a.app_dir for a in apps)])}
    return sorted(outcomes, key=lambda o: order[o.source])
