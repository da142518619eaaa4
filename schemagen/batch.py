"""Many apps in one run: finding them, compiling them (cached, in parallel), running
the targets on each (cached too), writing or checking their files, and the summary.

``generate`` and ``check`` are the same run but for their last step: ``compile_run``,
then ``emit_outcomes``, then ``write_outputs`` or ``check.stale_files`` for each
source. A source that fails at any step keeps its error and the others go on.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from schemagen.cache import ManifestCache, default_cache_dir
from schemagen.emit import DEFAULT_TARGETS
from schemagen.emit.core.target import EmitContext, Emitted
from schemagen.errors import SchemagenError, UsageError
from schemagen.loader.api import (
    ENTRYPOINT,
    NODE_ENTRYPOINTS,
    AppLocation,
    AppOutcome,
    LoadOptions,
    app_in_folder,
    compile_apps,
    default_jobs,
    kill_running_children,
    load_app,
    locate_app,
)
from schemagen.manifest import Manifest, load_manifest_file

# Folders never searched for apps: environments, dependencies, caches, VCS.
SKIPPED_DIRS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "venv", "env", "build", "dist"}
)
_APP_CLASS = re.compile(r"^class\s+App\b|^class\s+\w+\s*\([^)]*\bBaseApp\b", re.MULTILINE)
# A Node.js entrypoint exports class App (export class App, export { App }).
_NODE_APP_CLASS = re.compile(r"\bclass\s+App\b|\bexport\s*\{[^}]*\bApp\b")


def looks_like_app(entrypoint: Path) -> bool:
    """True when the file defines ``App`` or a BaseApp subclass (vendored code does not).

    Read, not imported. Python: a class named ``App``, or one with a base named
    ``BaseApp`` (``inferencesh.BaseApp`` too) or ending in ``App`` (an app
    class of the repository's own, ``FalApp``); importing ``BaseApp`` or
    deriving ``BaseAppInput`` alone is no app, and a file that does not parse
    is taken for a broken app, so that its error is reported. Node.js: an
    exported class ``App``.
    """
    try:
        source = entrypoint.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if entrypoint.suffix != ".py":
        return _NODE_APP_CLASS.search(source) is not None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return _APP_CLASS.search(source) is not None
    return any(
        node.name == "App" or any(_names_an_app(base) for base in node.bases)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    )


def _names_an_app(base: ast.expr) -> bool:
    name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
    return isinstance(name, str) and name.endswith("App")


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
    for folder, dirs, _files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        entries = [Path(folder, name) for name in (ENTRYPOINT, *NODE_ENTRYPOINTS)]
        if any(entry.is_file() and looks_like_app(entry) for entry in entries):
            if "src" in dirs and Path(folder, NODE_ENTRYPOINTS[0]).is_file():
                dirs.remove("src")  # src/inference.js is this app's, not an app in src/
            yield app_in_folder(Path(folder), shown(Path(folder)))


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
            hit = cache.get(key, options)
            if hit is not None:
                app = CompiledApp(location, cached=True, cache_key=key)
                if isinstance(hit, SchemagenError):
                    app.error = hit
                else:
                    app.result = hit
                outcomes[location.app_dir] = app
                on_done(app)
                continue
        misses.append(location)
    for outcome in _compile(misses, options, jobs):
        app = CompiledApp(outcome.location, outcome.result, outcome.error)
        if cache is not None:
            app.cache_key = keys[app.location.app_dir]
            stored = app.result if app.result is not None else app.error
            if stored is not None:
                cache.put(app.cache_key, stored, options)
        outcomes[app.location.app_dir] = app
        on_done(app)
    return [outcomes[location.app_dir] for location in locations]


def _compile(locations: list[AppLocation], options: LoadOptions, jobs: int) -> Iterator[AppOutcome]:
    node_apps = [location for location in locations if location.language == "node"]
    if node_apps:
        # Each Node.js app is its own node process; threads only wait for them.
        yield from _compile_node(node_apps, options, jobs)
        locations = [location for location in locations if location.language != "node"]
    if len(locations) == 1 or not hasattr(os, "fork"):
        # One app: a plain child process starts as fast as a worker would.
        for location in locations:
            try:
                yield AppOutcome(location, result=load_app(location.entrypoint, options))
            except SchemagenError as error:
                yield AppOutcome(location, error=error)
        return
    yield from compile_apps(locations, options, jobs)


def _compile_node(
    locations: list[AppLocation], options: LoadOptions, jobs: int
) -> Iterator[AppOutcome]:
    from concurrent.futures import ThreadPoolExecutor, as_completed

    def compile_one(location: AppLocation) -> AppOutcome:
        try:
            return AppOutcome(location, result=load_app(location.entrypoint, options))
        except SchemagenError as error:
            return AppOutcome(location, error=error)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(compile_one, loc) for loc in locations]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:  # Ctrl-C: the threads wait on nodes that must stop now
            for future in futures:
                future.cancel()
            kill_running_children()
            raise


def output_dirs(
    folders: list[Path], out: Path | None, single: bool, base: Path | None = None
) -> dict[Path, Path]:
    """Where the files of each source folder (an app's, a manifest's) go.

    Without ``--out``: the folder itself (the platform's layout). With
    ``--out`` and one source: that folder. With several: one subfolder of
    ``--out`` each, named by the folder's path relative to the current folder
    (outside it, relative to what the folders outside it have in common). With
    ``base`` (the folder of the config that set ``out``), always one subfolder
    each, relative to ``base``: the same layout from wherever the run starts. Two
    sources whose files would land in one folder are an error before anything
    is written.
    """
    if single and (base is None or out is None):
        return {folder: out or folder for folder in folders}
    resolved = {folder: folder.resolve() for folder in folders}  # each once: 300 apps, 300 calls
    seen: set[Path] = set()
    for folder in folders:
        if resolved[folder] in seen:
            raise UsageError(
                f"two sources in {shown(folder)} would both write to {out or folder}",
                hint="give one source per folder",
            )
        seen.add(resolved[folder])
    if out is None:
        return {folder: folder for folder in folders}
    cwd = (base or Path.cwd()).resolve()
    outside = [real for real in resolved.values() if not real.is_relative_to(cwd)]
    common = Path(os.path.commonpath(outside)) if outside else cwd
    if len(outside) == 1:
        common = common.parent
    dirs: dict[Path, Path] = {}
    claimed: dict[Path, Path] = {}
    for folder in folders:
        real = resolved[folder]
        rel = real.relative_to(cwd if real.is_relative_to(cwd) else common)
        target = out / rel
        if target in claimed and claimed[target] != folder:
            raise UsageError(
                f"{shown(claimed[target])} and {shown(folder)} would both write to {target}",
                hint="give each its own --out, or run from a folder that holds both",
            )
        claimed[target] = folder
        dirs[folder] = target
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
    out_base: Path | None = None,
) -> list[SourceOutcome]:
    """Compile every source; a broken one is an outcome with an error, never an exception."""
    files = [s for s in sources if s.is_file() and s.suffix == ".json"]
    app_roots = [s for s in sources if s not in files]
    apps = find_apps(app_roots, recursive) if app_roots or not sources else []
    if not apps and not files:
        raise UsageError("no app found", file=", ".join(map(str, sources)) or ".")
    single = len(apps) + len(files) == 1 and not recursive
    dirs = output_dirs(
        [*(path.parent for path in files), *(app.app_dir for app in apps)], out, single, out_base
    )
    on_plan(len(apps) + len(files))
    outcomes: list[SourceOutcome] = []
    for path in files:
        outcome = SourceOutcome(shown(path), path, dirs[path.parent])
        try:
            outcome.manifest = load_manifest_file(path)
        except SchemagenError as error:
            outcome.error = error
        outcomes.append(outcome)
        on_done(outcome)

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
    out_base: Path | None = None,
) -> tuple[list[SourceOutcome], ManifestCache | None]:
    """Every source compiled (``compile_sources``), and the cache the run uses: in
    ``cache_dir``, else the default one; none without ``use_cache``. ``jobs`` defaults
    to the number of cores; ``out_base`` is ``output_dirs``'s ``base``."""
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
        out_base=out_base,
    )
    return outcomes, cache


def emit_outcome(
    outcome: SourceOutcome,
    targets: Sequence[str],
    app_ref: str | None,
    cache: ManifestCache | None,
    target_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> Emitted | None:
    """The files of ``targets`` (default: ``DEFAULT_TARGETS``) for one compiled source,
    from the cache when it has them; None with ``outcome.error`` set (naming the source)
    when a target fails for it. Its warnings join the source's. ``target_options`` are
    the options of single targets (``[tool.schemagen.target.NAME]``), over the run's."""
    from schemagen.app_ref import resolve_app_ref
    from schemagen.emit.core.target import EmitContext

    assert outcome.manifest is not None
    groups: dict[tuple[str | None, tuple[tuple[str, Any], ...]], list[str]] = {}
    for name in sorted(targets or DEFAULT_TARGETS):
        own = dict((target_options or {}).get(name, {}))
        ref = own.pop("app_ref", app_ref)
        groups.setdefault((ref, tuple(sorted(own.items()))), []).append(name)
    emitted = Emitted()
    try:
        for (ref, own_options), names in groups.items():
            context = EmitContext(
                app_ref=resolve_app_ref(ref, outcome.source),  # given, else the app's inf.yml
                regenerate=regenerate_command(outcome, ref),
                **dict(own_options),
            )
            _merge(emitted, _emit_cached(outcome, names, context, cache))
    except SchemagenError as error:
        error.file = error.file or outcome.label  # one of several apps: say which
        outcome.error = error
        return None
    outcome.warnings.extend(emitted.warnings)
    return emitted


def _emit_cached(
    outcome: SourceOutcome, names: list[str], context: EmitContext, cache: ManifestCache | None
) -> Emitted:
    from schemagen.emit import emit_targets, request_key

    assert outcome.manifest is not None
    request = request_key(names, context)
    emitted: Emitted | None = None
    if cache is not None and outcome.cache_key is not None:
        emitted = cache.get_outputs(outcome.cache_key, request)
    if emitted is None:
        emitted = emit_targets(outcome.manifest, names, context)
        if cache is not None and outcome.cache_key is not None:
            cache.put_outputs(outcome.cache_key, request, emitted)
    return emitted


def _merge(into: Emitted, part: Emitted) -> None:
    """``part`` added to ``into``, as ``emit_targets`` merges its targets."""
    for path, content in part.files.items():
        if path in into.files and into.files[path] != content:
            raise AssertionError(f"targets disagree on {path}")
        into.files[path] = content
    into.warnings += [w for w in part.warnings if w not in into.warnings]
    into.obsolete = sorted((set(into.obsolete) | set(part.obsolete)) - into.files.keys())


def emit_outcomes(
    outcomes: list[SourceOutcome],
    targets: Sequence[str],
    app_ref: str | None,
    cache: ManifestCache | None,
    target_options: Mapping[str, Mapping[str, Any]] | None = None,
) -> Iterator[tuple[int, SourceOutcome, Emitted]]:
    """Each compiled source with what its targets made of it (``emit_outcome``), in
    order, with its index; a source that failed to compile or to emit is left out."""
    for index, outcome in enumerate(outcomes):
        if outcome.error is not None:
            continue
        emitted = emit_outcome(outcome, targets, app_ref, cache, target_options)
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


def _own_out(outcome: SourceOutcome) -> bool:
    """Whether the source's files go where the source is (no ``--out`` needed)."""
    source = outcome.source.resolve()
    return outcome.out_dir.resolve() == (source if source.is_dir() else source.parent)


def repository_root(folder: Path) -> Path:
    """The top folder of the git work tree holding ``folder``; outside one, the folder
    of the project configuration (``[tool.schemagen]``) found from it, else ``folder``."""
    from schemagen.config import find_config

    folder = Path(os.path.abspath(folder))
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    config = find_config(folder)
    return config.parent if config is not None else folder


def _from_root(path: Path, root: Path) -> str:
    """``path`` as written from ``root``: relative inside it, else absolute."""
    for real, base in ((Path(os.path.abspath(path)), root), (path.resolve(), root.resolve())):
        if real.is_relative_to(base):
            return real.relative_to(base).as_posix() or "."
    return str(path.resolve())


def regenerate_command(outcome: SourceOutcome, app_ref: str | None) -> str:
    """What a generated file's ``Regenerate:`` header says, as run from the repository
    root (``repository_root`` of the current folder): the source and ``--out`` as paths
    from there, and ``--app-ref`` when given; each target adds its own ``--target``.
    Loader flags are left out: they change whether an app imports, not what it makes."""
    root = repository_root(Path.cwd())
    argv = ["schemagen", "generate", _from_root(outcome.source, root)]
    if not _own_out(outcome):
        argv += ["--out", _from_root(outcome.out_dir, root)]
    if app_ref is not None:
        argv += ["--app-ref", app_ref]
    return shlex.join(argv)


def fix_command(
    outcome: SourceOutcome,
    targets: Sequence[str],
    options: LoadOptions,
    app_ref: str | None = None,
) -> str:
    """The ``schemagen generate`` command that brings a stale source's files up to date."""
    argv = ["schemagen", "generate", outcome.label]
    if not _own_out(outcome):
        argv += ["--out", shown(outcome.out_dir)]
    for target in targets:
        argv += ["--target", target]
    if app_ref is not None:
        argv += ["--app-ref", app_ref]
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
