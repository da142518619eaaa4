"""The manifest cache: an app whose inputs did not change is not imported again.

An entry's key hashes everything a manifest depends on:

- the app folder's files (content; size and mtime for files over 1 MiB), linked
  folders followed, except hidden entries, ``__pycache__``, ``node_modules`` and the files
  schemagen itself writes there;
- schemagen's own loader and bundled SDK source;
- the interpreter that imports the app and every distribution installed in it
  (what is installed decides what gets stubbed), pydantic and the SDK included;
  for a Node.js app, the ``node`` that evaluates it and every package installed
  in its own ``node_modules`` (name and version);
- the loader flags.

Entries are JSON files under ``<cache dir>/v1/<2 hex>/<key>.json``, written to
a temporary file and renamed, so concurrent runs never see a torn entry; an
unreadable entry is a miss. A failure is stored like a success (the same
inputs fail the same way), except that an import that timed out is tried
again under a longer ``--timeout``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import schemagen
from schemagen.emit.core.target import Emitted
from schemagen.errors import (
    ImportOutOfMemory,
    ImportTimeout,
    SchemagenError,
    error_from_dict,
    error_to_dict,
)
from schemagen.loader.api import AppLocation, LoadOptions, LoadResult, environment
from schemagen.manifest import Manifest

CACHE_FORMAT = "v1"
LARGE_FILE = 1 << 20
SKIPPED_DIRS = frozenset({"__pycache__", "node_modules"})


@cache
def output_names() -> frozenset[str]:
    """Files schemagen's own targets write into app folders: never an input. A Python
    module is the exception (``client.py``): the app may have its own of that name."""
    from schemagen.emit import declared_files

    return frozenset(name for name in declared_files() if not name.endswith(".py"))


def default_cache_dir() -> Path:
    """``$SCHEMAGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/schemagen``, else ``~/.cache/schemagen``."""
    explicit = os.environ.get("SCHEMAGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "schemagen"


def hash_app_folder(app_dir: Path) -> str:
    digest = hashlib.sha256()
    # Linked folders are followed (shared code linked into an app is imported as its
    # own), each real folder once, so a link back up is no endless walk.
    walked = {os.path.realpath(app_dir)}
    for root, dirs, files in os.walk(app_dir, followlinks=True):
        kept = []
        for d in sorted(dirs):
            real = os.path.realpath(os.path.join(root, d))
            if not d.startswith(".") and d not in SKIPPED_DIRS and real not in walked:
                walked.add(real)
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith(".") or name in output_names():
                continue
            path = Path(root, name)
            try:
                stat = path.stat()
                rel = path.relative_to(app_dir).as_posix()
                digest.update(f"{rel}\0{stat.st_size}\0".encode())
                if stat.st_size > LARGE_FILE:
                    digest.update(str(stat.st_mtime_ns).encode())
                else:
                    digest.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                digest.update(f"{name}\0unreadable".encode())
    return digest.hexdigest()


@cache
def schemagen_fingerprint() -> str:
    """Hash of schemagen's own code and templates: they decide manifests and outputs."""
    from schemagen.templates import templates_dir

    root = Path(schemagen.__file__).parent
    digest = hashlib.sha256(schemagen.__version__.encode())
    # The Node.js loader's runtime and vendored packages are JavaScript.
    suffixes = ("py", "json", "mjs", "cjs", "js")
    paths = [p for suffix in suffixes for p in root.rglob(f"*.{suffix}")]
    paths += templates_dir().rglob("*")
    for path in sorted(p for p in paths if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def environment_fingerprint(python: str | None) -> str:
    """Hash of the interpreter that imports apps and everything installed in it."""
    if python is None:
        data: Any = environment()
    else:
        from schemagen.loader.api import child_command

        entry = "import json; from schemagen.loader.child.boot import environment; "
        argv = child_command(python, entry + "print(json.dumps(environment()))")
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        data = {"probe": proc.stdout, "error": proc.returncode}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _more(limit: int | None, stored: int | None) -> bool:
    """Whether memory limit ``limit`` allows more than ``stored`` (None: no limit)."""
    if limit is None:
        return stored is not None
    return stored is not None and limit > stored


class ManifestCache:
    """Content-addressed store of compiled manifests."""

    def __init__(self, root: Path, options: LoadOptions) -> None:
        self.root = root / CACHE_FORMAT
        flags = asdict(options)
        # How long we waited, and how much memory the import could use, do not
        # change a success; a failure they caused is retried under a larger one.
        flags.pop("timeout")
        flags.pop("memory_limit")
        self.prefix = json.dumps(
            {
                "schemagen": schemagen_fingerprint(),
                "environment": environment_fingerprint(options.python),
                "flags": flags,
                # Warnings name files relative to the folder schemagen ran in.
                "cwd": os.getcwd(),
            },
            sort_keys=True,
        )

    def key(self, location: AppLocation) -> str:
        digest = hashlib.sha256(self.prefix.encode())
        # The folder's path too: the manifest names the app after its folder.
        digest.update(f"{location.app_dir}\0{location.entrypoint}\0".encode())
        digest.update(hash_app_folder(location.app_dir).encode())
        if location.language == "node":
            from schemagen.loader.api import node_environment

            digest.update(node_environment(location.app_dir).encode())
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, options: LoadOptions) -> LoadResult | SchemagenError | None:
        """The stored outcome of compiling the app: its result, or the error it gave."""
        try:
            data: dict[str, Any] = json.loads(self._path(key).read_text(encoding="utf-8"))
            if "error" in data:
                error = error_from_dict(data["error"])
                if isinstance(error, ImportTimeout) and options.timeout > data["timeout"]:
                    return None  # it may finish in the time it has now
                if isinstance(error, ImportOutOfMemory) and _more(
                    options.memory_limit, data.get("memory_limit")
                ):
                    return None  # it may fit in the memory it has now
                return error
            manifest = Manifest.from_dict(data["manifest"], source="<cache>", trusted=True)
            return LoadResult(manifest=manifest, warnings=list(data["warnings"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, outcome: LoadResult | SchemagenError, options: LoadOptions) -> None:
        if isinstance(outcome, SchemagenError):
            data: dict[str, Any] = {
                "error": error_to_dict(outcome),
                "timeout": options.timeout,
                "memory_limit": options.memory_limit,
            }
        else:
            data = {"manifest": outcome.manifest.to_dict(), "warnings": outcome.warnings}
        self._write(self._path(key), json.dumps(data))

    def _outputs_path(self, key: str, request: str) -> Path:
        digest = hashlib.sha256(f"{key}\0{request}".encode()).hexdigest()
        return self.root / key[:2] / f"{key}.out.{digest[:16]}.json"

    def get_outputs(self, key: str, request: str) -> Emitted | None:
        """What the back ends emitted from this entry's manifest for ``request``.

        ``request`` names the targets and their options; emitting is
        deterministic, and the key covers schemagen's own code, so stored
        bytes are what emitting again would give (only much faster).
        """
        try:
            data = json.loads(self._outputs_path(key, request).read_text(encoding="utf-8"))
            files = {name: text.encode("utf-8") for name, text in data["files"].items()}
            return Emitted(
                files=files, warnings=list(data["warnings"]), obsolete=list(data["obsolete"])
            )
        except (OSError, ValueError, AttributeError, KeyError, TypeError):
            return None

    def put_outputs(self, key: str, request: str, emitted: Emitted) -> None:
        try:
            files = {name: content.decode("utf-8") for name, content in emitted.files.items()}
        except UnicodeDecodeError:
            return
        data = {"files": files, "warnings": emitted.warnings, "obsolete": emitted.obsolete}
        text = json.dumps(data)
        self._write(self._outputs_path(key, request), text)

    def _write(self, path: Path, text: str) -> None:
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass  # a cache that cannot be written only costs time
        finally:
            if tmp is not None:  # a failed or interrupted write leaves no temporary file
                Path(tmp).unlink(missing_ok=True)
