"""Many apps in one run: finding them, compiling them (cached, in parallel), running
the targets on each (cached too), writing or checking their files, and the summary.

``generate`` and ``check`` are the same run but for their last step: ``compile_run``,
then ``emit_outcomes``, then ``write_outputs`` or ``check.stale_files`` for each
source. A source that fails at any step keeps its error and the others go on.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from schemagen.cache import ManifestCache, default_cache_dir
from schemagen.emit.core.target import Emitted
from schemagen.errors import SchemagenError, UsageError
from schemagen.loader.api import (
    ENTRYPOINT,
    AppLocation,
    AppOutcome,
    LoadOptions,
    compile_apps,
    default_jobs,
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


def compile_run(
    sources: list[Path],
    *,
    recursive: bool,
    out: Path | None,
    options: LoadOptions,
    jobs: int | None,
    cache_dir: Path | None,
    use_cache: bool,
    on_plan: Callable[[int], None] = lambda _total: None,
    on_done: Callable[[SourceOutcome], None] = lambda _outcome: None,
) -> tuple[list[SourceOutcome], ManifestCache | None]:
    """Every source compiled (``compile_sources``), and the cache the run uses: in
    ``cache_dir``, else the default one; none without ``use_cache``. ``jobs`` defaults
    to the number of cores."""
    cache = None
    if use_cache:
        cache = ManifestCache(cache_dir or default_cache_dir(), options)
    if out is not None and out.exists() and not out.is_dir():
        raise UsageError("--out is not a folder", file=str(out))
    outcomes = compile_sources(
        sources,
        recursive=recursive,
        out=out,
        options=options,
        jobs=jobs or default_jobs(),
        cache=cache,
        on_plan=on_plan,
        on_done=on_done,
    )
    return outcomes, cache


def emit_outcome(
    outcome: SourceOutcome,
    targets: Sequence[str],
    app_ref: str | None,
    cache: ManifestCache | None,
) -> Emitted | None:
    """The files of ``targets`` (default: ``DEFAULT_TARGETS``) for one compiled source,
    from the cache when it has them; None with ``outcome.error`` set (naming the source)
    when a target fails for it. Its warnings join the source's."""
    from schemagen.app_ref import resolve_app_ref
    from schemagen.emit import DEFAULT_TARGETS, emit_targets, request_key
    from schemagen.emit.core.target import EmitContext

    assert outcome.manifest is not None
    names = sorted(targets or DEFAULT_TARGETS)
    try:
        app_ref = resolve_app_ref(app_ref, outcome.source)  # --app-ref, else the app's inf.yml
        context = EmitContext(app_ref=app_ref)
        request = request_key(names, context)
        emitted: Emitted | None = None
        if cache is not None and outcome.cache_key is not None:
            emitted = cache.get_outputs(outcome.cache_key, request)
        if emitted is None:
            emitted = emit_targets(outcome.manifest, names, context)
            if cache is not None and outcome.cache_key is not None:
                cache.put_outputs(outcome.cache_key, request, emitted)
    except SchemagenError as error:
        error.file = error.file or outcome.label  # one of several apps: say which
        outcome.error = error
        return None
    outcome.warnings.extend(emitted.warnings)
    return emitted


def emit_outcomes(
    outcomes: list[SourceOutcome],
    targets: Sequence[str],
    app_ref: str | None,
    cache: ManifestCache | None,
) -> Iterator[tuple[int, SourceOutcome, Emitted]]:
    """Each compiled source with what its targets made of it (``emit_outcome``), in
    order, with its index; a source that failed to compile or to emit is left out."""
    for index, outcome in enumerate(outcomes):
        if outcome.error is not None:
            continue
        emitted = emit_outcome(outcome, targets, app_ref, cache)
        if emitted is not None:
            yield index, outcome, emitted


FileState = Literal["written", "removed", "missing", "stale", "obsolete"]


@dataclass(frozen=True)
class FileReport:
    """One file a run wrote, removed, or found out of date."""

    path: Path
    state: FileState


def write_outputs(outcome: SourceOutcome, emitted: Emitted) -> list[FileReport] | None:
    """Write a source's files into its output folder (obsolete ones removed): the files
    that changed; None with ``outcome.error`` set when they cannot be written."""
    from schemagen.output import write_files

    try:
        changed = write_files(outcome.out_dir, emitted.files, emitted.obsolete)
    except SchemagenError as error:
        outcome.error = error
        return None
    return [FileReport(p, "written" if p.exists() else "removed") for p in changed]


def json_summary(outcomes: list[SourceOutcome], files: dict[int, list[FileReport]]) -> str:
    """The ``--format json`` summary of a run: each source's status, files and warnings,
    and the counts of each status (``files`` by the index of the source)."""
    apps = []
    for i, outcome in enumerate(outcomes):
        entry: dict[str, Any] = {
            "source": outcome.label,
            "out": str(outcome.out_dir),
            "cached": outcome.cached,
            "warnings": outcome.warnings,
        }
        if outcome.error is not None:
            entry["status"] = "error"
            entry["error"] = outcome.error.one_line()
        else:
            entry["files"] = [{"path": str(f.path), "state": f.state} for f in files.get(i, [])]
            states = {f["state"] for f in entry["files"]}
            entry["status"] = "stale" if states & {"stale", "missing", "obsolete"} else "ok"
        apps.append(entry)
    counts = {s: sum(1 for a in apps if a["status"] == s) for s in ("ok", "stale", "error")}
    return json.dumps({"apps": apps, "counts": counts}, indent=2)


def fix_command(outcome: SourceOutcome, targets: Sequence[str], options: LoadOptions) -> str:
    """The ``schemagen generate`` command that brings a stale source's files up to date."""
    argv = ["schemagen", "generate", outcome.label]
    if outcome.out_dir.resolve() != outcome.source.resolve():
        argv += ["--out", shown(outcome.out_dir)]
    for target in targets:
        argv += ["--target", target]
    if options.sdk != "auto":
        argv += ["--sdk", options.sdk]
    for module in options.stubs:
        argv += ["--stub", module]
    if options.stub_all:
        argv.append("--stub-all")
    if options.app_class:
        argv += ["--app-class", options.app_class]
    if options.python:
        argv += ["--python", options.python]
    return shlex.join(argv)
