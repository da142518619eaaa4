"""The schemagen side of the Node.js loader: run ``node`` on the app, read its reply.

The child (``runtime/extract.mjs``) answers in the Python child's protocol, so
its reply becomes a LoadResult or an AppError through the same
``result_from_reply``. Node.js 18 or newer is the only thing the user's
machine needs: zod and ``@inferencesh/app`` come from the app's own
``node_modules`` when installed there, else from ``vendor/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from schemagen.errors import AppError, ImportTimeout, UsageError
from schemagen.loader.node.zod_range import best_match, locked_major, parse_version
from schemagen.loader.parent import AppLocation, LoadOptions, LoadResult, result_from_reply
from schemagen.loader.process import run_child

HERE = Path(__file__).resolve().parent
RUNTIME = HERE / "runtime"
VENDOR = HERE / "vendor"
NODE_ENV = "SCHEMAGEN_NODE"
# The zod major an app gets when its package.json names none (the public apps use zod 3).
DEFAULT_ZOD_MAJOR = 3
MIN_NODE_MAJOR = 18


def node_executable() -> str:
    """The ``node`` to run apps with: ``$SCHEMAGEN_NODE``, else ``node`` on PATH."""
    explicit = os.environ.get(NODE_ENV)
    found = shutil.which(explicit or "node")
    if found is None:
        where = f"${NODE_ENV}={explicit}" if explicit else "node on PATH"
        raise UsageError(
            f"Node.js apps need Node.js {MIN_NODE_MAJOR} or newer, and there is no {where}",
            hint=f"install Node.js, or set {NODE_ENV} to its node executable",
        )
    return found


@cache
def node_version(node: str) -> str:
    """``node --version`` without the v; also checks it is new enough."""
    try:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"cannot run {node}: {exc}") from None
    version = done.stdout.strip().lstrip("v")
    major = re.match(r"\d+", version)
    if done.returncode != 0 or major is None:
        raise UsageError(f"{node} --version did not print a version", file=node)
    if int(major.group()) < MIN_NODE_MAJOR:
        raise UsageError(
            f"Node.js {version} is too old to load Node.js apps",
            file=node,
            hint=f"install Node.js {MIN_NODE_MAJOR} or newer",
        )
    return version


@cache
def vendor_versions() -> dict[str, str]:
    versions: dict[str, str] = json.loads((VENDOR / "versions.json").read_text(encoding="utf-8"))
    return versions


def zod_major(app_dir: Path) -> int:
    """The zod major version npm would install for the app (3 or 4): its lockfile's, else
    the vendored zod its package.json's range allows (the higher of the two)."""
    locked = locked_major(app_dir)
    if locked is not None:
        return 4 if locked >= 4 else 3
    spec = zod_range(app_dir)
    if spec is None:
        return DEFAULT_ZOD_MAJOR
    best = best_match(spec, _carried())
    if best is not None:
        return best[0]
    # A range neither carried zod is in ("~4.1", "^5"): the first version number counts.
    found = re.search(r"(\d+)(?:\.|\b)", spec.rsplit("@", 1)[-1])
    if found:
        return 4 if int(found.group(1)) >= 4 else 3
    return DEFAULT_ZOD_MAJOR


def zod_range(app_dir: Path) -> str | None:
    """The zod range the app's package.json names (dependencies first), if any."""
    try:
        package = json.loads((app_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for field in ("dependencies", "devDependencies", "peerDependencies"):
        deps = package.get(field) if isinstance(package, dict) else None
        spec = deps.get("zod") if isinstance(deps, dict) else None
        if isinstance(spec, str):
            return spec
    return None


def _carried() -> list[tuple[int, int, int]]:
    return [parse_version(vendor_versions()[name]) for name in ("zod3", "zod4")]


def zod_range_warning(app_dir: Path, major: int) -> str | None:
    """When the app gets a vendored zod (of ``major``, ``zod_major``'s) that its
    package.json's range does not allow (``"^5"``; no node_modules, no lockfile):
    which one, and how to use its own."""
    spec = zod_range(app_dir)
    installed = (app_dir / "node_modules" / "zod" / "package.json").is_file()
    if spec is None or installed or locked_major(app_dir) is not None:
        return None
    if best_match(spec, _carried()) is not None:
        return None
    used = vendor_versions()[f"zod{major}"]
    carried = " and ".join(vendor_versions()[name] for name in ("zod3", "zod4"))
    return (
        f"{_shown(app_dir / 'package.json')}: the app asks for zod {json.dumps(spec)}, which "
        f"schemagen does not carry (it has {carried}): it is evaluated with zod {used}; "
        "install its dependencies (npm install) to evaluate it with its own"
    )


def runtime_config(location: AppLocation, options: LoadOptions) -> dict[str, Any]:
    """What the child's hooks need: the app folder, the zod to give it, the vendored files."""
    return {
        "appDir": str(location.app_dir),
        "zodMajor": zod_major(location.app_dir),
        "vendorDir": str(VENDOR),
        "vendor": {
            "zod3": str(VENDOR / "zod3" / "index.cjs"),
            "zod4": str(VENDOR / "zod4" / "index.cjs"),
            "zod4mini": str(VENDOR / "zod4" / "mini.cjs"),
            "inferenceshApp": str(VENDOR / "inferencesh-app" / "index.js"),
        },
        "vendorVersions": vendor_versions(),
        "sdk": options.sdk,
        "stubs": list(options.stubs),
        "stubAll": options.stub_all,
    }


def node_environment(app_dir: Path) -> str:
    """What a Node.js app's manifest depends on beside its files: node, its installed packages."""
    node = node_executable()
    installed = []
    modules = app_dir / "node_modules"
    packages = [p for p in modules.glob("*") if not p.name.startswith((".", "@"))]
    packages += list(modules.glob("@*/*"))
    for package in sorted(packages):
        try:
            version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError, TypeError):
            version = None
        installed.append([package.relative_to(modules).as_posix(), version])
    return json.dumps({"node": node, "version": node_version(node), "installed": installed})


def node_command(node: str) -> list[str]:
    """The child's argv: loader hooks; symlinks kept, as the platform packs the app."""
    return [
        node,
        "--no-warnings",
        "--preserve-symlinks",
        "--preserve-symlinks-main",
        f"--experimental-loader={(RUNTIME / 'hooks.mjs').as_uri()}",
        str(RUNTIME / "extract.mjs"),
    ]


def serve_command(location: AppLocation, config: dict[str, Any]) -> list[str]:
    """The argv of ``schemagen serve``'s runner of a Node.js app (``runtime/serve.mjs``).

    No loader hooks: the app runs with what Node resolves for it (its own
    ``node_modules``), nothing stubbed or vendored. ``config`` is the runner's
    (its socket, ``maxInstances``); the app folder and entrypoint are added.
    """
    node = node_executable()
    node_version(node)
    config = {"appDir": str(location.app_dir), "entrypoint": str(location.entrypoint), **config}
    return [
        node,
        "--preserve-symlinks",
        "--preserve-symlinks-main",
        str(RUNTIME / "serve.mjs"),
        json.dumps(config),
    ]


def load_node_app(location: AppLocation, options: LoadOptions) -> LoadResult:
    """Evaluate a Node.js app's entrypoint in a child ``node`` and compile its manifest."""
    node = node_executable()
    node_version(node)
    env = dict(os.environ)
    config = runtime_config(location, options)
    env["SCHEMAGEN_NODE_CONFIG"] = json.dumps(config)
    env.pop("NODE_OPTIONS", None)  # a user's --require or --loader must not run in the child
    request = {
        "appDir": str(location.app_dir),
        "entrypoint": str(location.entrypoint),
        "positions": options.positions,
    }
    try:
        # In a process group of its own, killed with what it started on a timeout or a
        # Ctrl-C; what it prints is kept as a bounded tail.
        ended = run_child(
            node_command(node),
            json.dumps(request).encode(),
            timeout=options.timeout,
            cwd=str(location.app_dir),
            env=env,
        )
    except OSError as exc:
        raise UsageError(f"cannot start Node.js: {exc.strerror}", file=node) from None
    output = ended.output
    if ended.timed_out:
        raise ImportTimeout(
            f"evaluating the app took longer than {options.timeout:g} s and was stopped",
            file=_shown(location.entrypoint),
            hint="does it wait on the network or a never-settled promise at top level? "
            "raise --timeout",
            detail=output or None,
        )
    try:
        reply: dict[str, Any] = json.loads(ended.reply)
    except json.JSONDecodeError:
        raise AppError(
            f"node ended (exit code {ended.returncode}) while the app was being imported, "
            "before schemagen could read it",
            file=_shown(location.entrypoint),
            hint="does it call process.exit() at top level?",
            detail=output or None,
        ) from None
    result = result_from_reply(location, options, reply, output)
    warning = zod_range_warning(location.app_dir, config["zodMajor"])
    if warning is not None:
        result.warnings.insert(0, warning)
    return result


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
