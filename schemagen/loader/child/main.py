"""The loader's child process: import one app, compile its manifest, reply in JSON.

Protocol: the parent writes ``{"app_dir", "entrypoint", "options"}`` to stdin;
the child writes exactly one JSON document to its original stdout, either
``{"ok": true, "manifest": {...}, "warnings": [...]}`` or
``{"ok": false, "error": {"kind", "message", "file", "line", "hint", "detail"}}``.
Whatever the app prints goes to stderr, which the parent keeps for ``-v``.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import json
import os
import re
import sys
import traceback
import types
from pathlib import Path
from typing import Any, NoReturn

from schemagen.loader.child import field_errors, star_imports, stubs
from schemagen.loader.child.boot import limit_memory
from schemagen.loader.child.discovery import (
    APP_PACKAGE,
    ChildError,
    compile_manifest,
    source_location,
)
from schemagen.loader.child.finder import BrokenLinkError, StubFinder, install_finders

# Imported before the stub finder is installed, which would stub a module imported later.
from schemagen.loader.child.positions import app_positions

SCHEMAGEN_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SDK_DIR = str(Path(__file__).resolve().parents[2] / "sdk")
BUNDLED_SDK_VERSION = "0.7.15"
# The finder of the app being loaded: it knows which files are the app's own.
_FINDER: StubFinder | None = None


def main(early: bool = False) -> None:
    """One-shot mode: one request on stdin, one reply on the original stdout.

    ``early``: started while schemagen was still reading its flags, this child
    imports the bundled SDK (when ``--sdk auto`` would choose it) before its
    request comes, as a compile worker does; a request for another SDK drops it.
    """
    result_fd = os.dup(1)
    os.dup2(2, 1)  # the app's prints must not corrupt the reply
    sys.stdout = sys.stderr
    if sys.path and sys.path[0] == "":
        del sys.path[0]  # `python -c`'s entry; the app folder goes first later
    preloaded = None
    if early:
        from schemagen.loader.child import preload

        if preload.resolve_sdk("auto") == "bundled":
            preloaded = preload.preload_bundled_sdk()
    request = json.load(sys.stdin)
    if preloaded is not None:
        if request["options"]["sdk"] == "installed":
            sys.meta_path.remove(preloaded)
        else:  # "auto" resolved before the preload, which now answers find_spec itself
            request["options"]["sdk"] = "bundled"
    reply = run_request(request)
    with os.fdopen(result_fd, "w", encoding="utf-8") as out:
        json.dump(reply, out)
    # Skip interpreter teardown: app modules may hold threads or atexit hooks. The
    # output's end is told now, not when the process has unmapped its memory (~2 ms).
    sys.stderr.flush()
    os.close(1)
    os.close(2)
    os._exit(0)


def run_request(request: dict[str, Any]) -> dict[str, Any]:
    """Import and compile one app; the reply, never an exception."""
    try:
        limit_memory(request["options"].get("memory_limit"))
        return {"ok": True, **load(request)}
    except MemoryError:
        return {"ok": False, "error": {"kind": "memory"}}
    except ChildError as exc:
        return {"ok": False, "error": exc.as_dict()}
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never lost
        return {
            "ok": False,
            "error": {
                "kind": "internal",
                "message": f"schemagen failed while compiling the app: {type(exc).__name__}: {exc}",
                "hint": "this is a schemagen bug; please report it with -v output",
                "detail": traceback.format_exc(),
            },
        }


def load(request: dict[str, Any]) -> dict[str, Any]:
    # No __pycache__ left in app folders. Not before: schemagen's own modules and the
    # bundled SDK, imported by now, are cached like any installed code, else every
    # child would compile them again (a checkout, or an install that was not compiled).
    sys.dont_write_bytecode = True
    app_dir = request["app_dir"]
    entrypoint = request["entrypoint"]
    options = request["options"]
    sdk_source, sdk_version = _select_sdk(options["sdk"])
    global _FINDER
    _FINDER = finder = StubFinder(
        app_dir=app_dir,
        forced=frozenset(options["stubs"]),
        stub_all=options["stub_all"],
        keep=frozenset({"inferencesh", APP_PACKAGE, *_local_module_names(app_dir)}),
        # In bundled mode, SDK submodules the surface lacks behave like stubs.
        always_stub_children_of=frozenset({"inferencesh"} if sdk_source == "bundled" else ()),
        # Before the app folder goes on sys.path: what is found here is installed code.
        installed_roots=[SCHEMAGEN_DIR, *(p for p in sys.path if isinstance(p, str) and p)],
    )
    install_finders(finder)
    os.chdir(app_dir)
    sys.path.insert(0, app_dir)
    module = import_app_module(app_dir, entrypoint)
    if "inferencesh" not in sys.modules:
        sdk_source, sdk_version = "none", None  # the app never imported the SDK
    compiled = compile_manifest(
        module,
        app_dir=app_dir,
        entrypoint=entrypoint,
        app_class_name=options["app_class"],
        sdk={"source": sdk_source, "version": sdk_version},
        stubbed=finder.stubbed,
    )
    warnings = [
        *compiled.warnings,
        *_missing_module_warnings(finder),
        *_missing_path_warnings(finder, app_dir),
    ]
    if sdk_source == "bundled":
        warnings += _newer_sdk_warnings(compiled.app_class)
    reply = {"manifest": compiled.manifest, "warnings": warnings}
    if options.get("positions"):
        reply["sources"] = app_positions(
            app_dir, compiled.functions, compiled.setup_model, compiled.manifest
        )
    return reply


def _missing_module_warnings(finder: StubFinder) -> list[dict[str, Any]]:
    """A warning per module of the app's own packages that is missing (and became a stub)."""
    warnings = []
    for name, file, line in finder.missing_own:
        shown = name.removeprefix(APP_PACKAGE + ".")
        warnings.append(
            {
                "message": f"the app's own module {shown} is missing (left out of the "
                "repository, or generated when upstream code is built?): it is a stub here",
                "file": file,
                "line": line,
            }
        )
    return warnings


def _missing_path_warnings(finder: StubFinder, app_dir: str) -> list[dict[str, Any]]:
    """A warning when the app puts a folder of its own that is not there on sys.path.

    Its modules (a git submodule not checked out, a folder a build step makes) then
    become stubs, which explains an error or a schema that says less than it should.
    """
    entries = finder.missing_path_entries()
    if not entries or not finder.stubbed_by_app:
        return []
    root = os.path.abspath(app_dir)
    shown = ", ".join(os.path.relpath(os.path.abspath(e), root) for e in entries)
    stubbed = sorted({name for name, _, _ in finder.stubbed_by_app})
    names = ", ".join(stubbed) + (" became stubs" if len(stubbed) > 1 else " became a stub")
    _, file, line = finder.stubbed_by_app[0]
    return [
        {
            "message": f"the app adds {shown} to sys.path, which is not there (a git "
            f"submodule not checked out, or made by a build step?); {names}",
            "file": file,
            "line": line,
        }
    ]


def _newer_sdk_warnings(app_class: type) -> list[dict[str, Any]]:
    """SDK classes among the App's bases that the bundled surface lacks."""
    missing = [
        path
        for klass in app_class.__mro__
        for path in [klass.__dict__.get("__schemagen_stub__")]
        if isinstance(path, str) and path.startswith("inferencesh.")
    ]
    if not missing:
        return []
    file, line = source_location(app_class)
    return [
        {
            "message": f"{app_class.__name__} derives from {', '.join(missing)}, which the bundled "
            f"inferencesh surface ({BUNDLED_SDK_VERSION}) does not have: functions it adds are "
            "not listed (install the inferencesh the app is written for, and use --sdk installed)",
            "file": file,
            "line": line,
        }
    ]


def _select_sdk(mode: str) -> tuple[str, str | None]:
    installed = importlib.util.find_spec("inferencesh") is not None
    if mode == "installed" and not installed:
        raise ChildError(
            "--sdk installed: the inferencesh package is not installed in this environment",
            hint="pip install inferencesh, or use --sdk bundled",
        )
    if mode == "installed" or (mode == "auto" and installed):
        from importlib import metadata  # only here: it costs ~20 ms to import

        try:
            version: str | None = metadata.version("inferencesh")
        except metadata.PackageNotFoundError:
            version = None
        return "installed", version
    sys.path.insert(0, SDK_DIR)
    return "bundled", BUNDLED_SDK_VERSION


def _local_module_names(app_dir: str) -> set[str]:
    names = set()
    for entry in os.listdir(app_dir):
        stem, ext = os.path.splitext(entry)
        if ext == ".py" or os.path.isdir(os.path.join(app_dir, entry)):
            names.add(stem if ext == ".py" else entry)
    return names


def import_app_module(app_dir: str, entrypoint: str) -> types.ModuleType:
    """Import the entrypoint as a submodule of a package rooted at the app folder.

    ``from .helper import x`` then works whatever the folder is called (hyphens,
    dots), and ``from helper import x`` works because the folder is on sys.path.
    The folder's own ``__init__.py`` is not run.
    """
    package = types.ModuleType(APP_PACKAGE)
    package.__path__ = [app_dir]
    package.__package__ = APP_PACKAGE
    package.__spec__ = importlib.machinery.ModuleSpec(APP_PACKAGE, None, is_package=True)
    package.__spec__.submodule_search_locations = [app_dir]
    sys.modules[APP_PACKAGE] = package
    stem = Path(entrypoint).stem
    name = f"{APP_PACKAGE}.{stem if stem.isidentifier() else 'entrypoint'}"
    spec = importlib.util.spec_from_file_location(name, entrypoint)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise ChildError(
            f"syntax error: {exc.msg}",
            file=exc.filename or entrypoint,
            line=exc.lineno,
            detail=traceback.format_exc(),
        ) from None
    except SystemExit as exc:
        file, line = _app_frame(exc, app_dir)
        raise ChildError(
            f"the app called sys.exit({exc.code!r}) while being imported",
            file=file,
            line=line,
            hint='move that call under `if __name__ == "__main__":` or into setup()',
            detail=traceback.format_exc(),
        ) from None
    except MemoryError:
        raise  # the limit was hit: reported as such, not as the app's error
    except Exception as exc:  # noqa: BLE001 - every import failure is the app's
        _raise_import_failure(exc, app_dir, entrypoint)
    return module


def _raise_import_failure(exc: Exception, app_dir: str, entrypoint: str) -> NoReturn:
    file, line = _app_frame(exc, app_dir)
    kind = type(exc).__name__
    text = _first_line(exc, app_dir)
    hint = None
    field = _field_error(exc, file, line)
    if field is not None:
        raise ChildError(
            field.message,
            file=file,
            line=field.line or line,
            hint=field.hint,
            detail=traceback.format_exc(),
        ) from None
    if getattr(exc, "code", None) == "class-not-fully-defined":
        message = f"a type hint cannot be resolved: {text}"
    elif type(exc).__module__.startswith("pydantic") and "schema" in kind.lower():
        message = f"unsupported field type: {text}"
        hint = "use a type pydantic can describe in JSON Schema"
    elif isinstance(exc, BrokenLinkError):
        message = f"import failed: {text}"
        hint = "fix the link or remove it"
    elif isinstance(exc, ImportError):
        message = f"import failed: {kind}: {text}"
        name = (exc.name or "").removeprefix(APP_PACKAGE + ".")
        top = name.split(".")[0]
        if top in _local_module_names(app_dir) or name == APP_PACKAGE:
            hint = "the app's own module is missing or broken"
        elif text.startswith("cannot import name") and file is not None:
            # The app's own line asks an installed package for a name it lacks.
            hint = (
                f"the installed {name} has no such name: is it another version than the app "
                f"is written for? --stub {top} replaces it"
            )
        else:
            hint = "an installed library failed to import; --stub MODULE replaces it"
    else:
        message = f"the app raised {kind} while being imported: {text}"
        if isinstance(exc, NameError) and file is not None:
            hint = _star_import_hint(file)
        elif isinstance(exc, FileNotFoundError):
            hint = _missing_data_file_hint(exc, app_dir)
    raise ChildError(
        message, file=file or entrypoint, line=line, hint=hint, detail=traceback.format_exc()
    ) from None


def _field_error(
    exc: Exception, file: str | None, line: int | None
) -> field_errors.FieldError | None:
    """A pydantic error about one field of the class being built at ``file:line``."""
    if file is None or not type(exc).__module__.startswith("pydantic"):
        return None
    text = field_errors.in_app_terms(str(exc))
    if type(exc).__name__ == "SchemaError":
        return field_errors.schema_error_at_class(text, file, line)
    if type(exc).__name__ == "PydanticSchemaGenerationError":
        return field_errors.generation_error_at_class(text, file, line)
    return None


def _missing_data_file_hint(exc: FileNotFoundError, app_dir: str) -> str | None:
    """For a file of the app's folder that its import reads and that is not there."""
    if not isinstance(exc.filename, str | bytes):
        return None
    path = os.path.abspath(os.fsdecode(exc.filename))
    root = os.path.abspath(app_dir)
    if os.path.commonpath([path, root]) != root:
        return None
    shown = os.path.relpath(path, root)
    return (
        f"the app reads {shown} from its folder when it is imported: is the file left out of "
        "the repository (.gitignore), or made by a build or download step? Commit it, or "
        "read it in setup()"
    )


def _star_import_hint(file: str) -> str | None:
    """For a NameError: the star imports of stubbed modules the name may have come from."""
    stubbed = sorted(
        module
        for module in star_imports.star_imported_modules(file)
        if isinstance(sys.modules.get(module), stubs.StubModule)
    )
    if not stubbed:
        return None
    modules = ", ".join(f"`from {m} import *`" for m in stubbed)
    return (
        f"{modules} binds only the names this file is seen to use, and {stubbed[0]} is "
        f"stubbed; install {stubbed[0].partition('.')[0]} or import the name explicitly"
    )


def _first_line(exc: BaseException, app_dir: str) -> str:
    """The exception's first line, in the app's own terms (no synthetic package, no abs paths)."""
    text = str(exc).strip()
    text = text.splitlines()[0] if text else ""
    text = text.replace(APP_PACKAGE + ".", "").replace(os.path.join(app_dir, ""), "")
    # "cannot import name 'x' from 'json' (/usr/lib/python3.11/json/__init__.py)": the
    # installed file's place says nothing the module's name does not, and varies by machine.
    return re.sub(r" \(/[^()]*\)$", "", text)


def _app_frame(exc: BaseException, app_dir: str) -> tuple[str | None, int | None]:
    """The innermost traceback frame in the app's own files (by the path they were loaded from)."""
    finder = _FINDER or StubFinder(app_dir=app_dir)
    found: tuple[str | None, int | None] = (None, None)
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if not filename.startswith("<") and finder.is_app_file(filename):
            found = (filename, lineno)
    return found
