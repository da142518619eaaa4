"""The first thing a loader child runs: is this interpreter able to import apps at all?

Only the standard library here: with ``--python`` the child runs in the app's
own environment, which has none of schemagen's dependencies, and a missing
pydantic must be an error the parent can show, not a crash on import.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import types
from typing import Any

PLUGIN_LOADER = "pydantic.plugin._loader"


def interpreter_problem() -> str | None:
    """Why this interpreter cannot compile apps, or None when it can."""
    where = sys.executable or "this interpreter"
    if sys.version_info < (3, 10):  # noqa: UP036 - the app's interpreter, not ours
        found = ".".join(map(str, sys.version_info[:3]))
        return f"{where} is Python {found}; schemagen needs Python 3.10 or newer to import apps"
    if importlib.util.find_spec("pydantic") is None:
        return f"pydantic is not installed for {where} (the app's models need it there)"
    from pydantic.version import VERSION

    if not VERSION.startswith("2."):
        return f"{where} has pydantic {VERSION}; schemagen needs pydantic 2"
    return None


def environment() -> dict[str, Any]:
    """The running interpreter and every distribution installed in it (for cache keys)."""
    from importlib import metadata

    return {
        "python": sys.version,
        "executable": sys.executable,
        "distributions": sorted(
            f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()
        ),
    }


def limit_memory(limit: int | None) -> None:
    """Cap this process's address space at ``limit`` bytes (``None``: no cap)."""
    if not limit:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def skip_plugin_discovery() -> None:
    """pydantic's plugin loader as it is under ``PYDANTIC_DISABLE_PLUGINS=__all__``, which
    every import child's environment sets: no plugins, and no import of
    ``importlib.metadata`` (~20 ms) to look for them when the first model is built.

    Any other name of the loader (a later pydantic's) comes from the real module.
    """
    if PLUGIN_LOADER in sys.modules:
        return
    loader = types.ModuleType(PLUGIN_LOADER)

    def get_plugins() -> tuple[()]:
        return ()

    def real_attribute(name: str) -> Any:
        if name.startswith("__"):  # the import system's probes (__path__, ...)
            raise AttributeError(name)
        del sys.modules[PLUGIN_LOADER]
        return getattr(importlib.import_module(PLUGIN_LOADER), name)

    loader.get_plugins = get_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = real_attribute  # type: ignore[method-assign]
    sys.modules[PLUGIN_LOADER] = loader


def _error(message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"kind": "environment", "message": message}}


def child(early: bool = False) -> None:
    """One-shot child (``child.main``), unless the interpreter cannot run it; ``early``:
    started before its request was known (``loader/early.py``), so it gets ready first."""
    problem = interpreter_problem()
    if problem is None:
        skip_plugin_discovery()
        from schemagen.loader.child.main import main

        main(early=early)
        return
    sys.stdout.write(json.dumps(_error(problem)))
    sys.stdout.flush()
    os._exit(0)


def worker() -> None:
    """A compile worker (``child.worker``), or one that answers every request with the problem."""
    problem = interpreter_problem()
    if problem is None:
        skip_plugin_discovery()
        from schemagen.loader.child.worker import main

        main()
        return
    sys.stdin.readline()  # the worker's configuration
    for line in sys.stdin:
        reply = {"id": json.loads(line)["id"], "reply": _error(problem), "output": ""}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    os._exit(0)
