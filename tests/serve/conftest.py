"""``schemagen serve`` as users run it: a real process on 127.0.0.1, any free port.

``served(app)`` starts the server (once per test session and app), reads the URL
from its first stderr line and stops it, by its process id, when the session ends.
``generated(app)`` writes the app's typed clients (python-client, zod, ts-client)
into a temporary folder, once per session.

A Node.js app is served from a copy of its fixture folder whose ``node_modules``
holds what its package.json asks for, linked from the repository's own
``node_modules`` (``npm ci``): ``zod`` is the lockfile's zod 4, or its zod 3
(``zod3``) for an app asking for ``^3``, and ``@inferencesh/app`` the real package.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, FIXTURES, GOLDEN, REPO, run_cli

# The apps the end-to-end tests cover: every function of each, through both SDKs.
E2E_APPS = {
    "multi-function": EXAMPLES / "multi-function",
    "streaming-story": EXAMPLES / "streaming-story",
    "structure": EXAMPLES / "structure",
    "image-tools": EXAMPLES / "image-tools",
    "counter": FIXTURES / "serve" / "counter",
}
# Node.js apps, served from an installed copy (node_app).
NODE_APPS = {
    name: FIXTURES / "serve" / name for name in ("node-counter", "node-files", "node-hold")
}


def node_missing() -> str | None:
    """Why the Node.js end-to-end tests cannot run, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    for package in ("@inferencesh/sdk", "@inferencesh/app", "esbuild", "zod", "zod3"):
        if not (REPO / "node_modules" / package / "package.json").is_file():
            return f"node_modules/{package} missing: run `npm ci`"
    return None


def install_node_app(source: Path, dest: Path) -> Path:
    """A copy of the Node.js app at ``source`` in ``dest``, its dependencies installed
    (linked from the repository's node_modules)."""
    shutil.copytree(source, dest)
    dependencies = json.loads((source / "package.json").read_text())["dependencies"]
    modules = dest / "node_modules"
    for name, spec in dependencies.items():
        package = "zod3" if name == "zod" and spec.lstrip("^~").startswith("3") else name
        link = modules / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(REPO / "node_modules" / package, target_is_directory=True)
    return dest


class Server:
    """A running ``schemagen serve`` process."""

    def __init__(self, app: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "schemagen", "serve", str(app), "--port", "0", *args],
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        self.lines: list[str] = []
        first = self.process.stderr.readline()
        self.lines.append(first)
        match = re.search(r"at (http://127\.0\.0\.1:\d+)", first)
        if match is None:
            self.stop()
            raise RuntimeError(f"schemagen serve did not start: {first}{self._rest()}")
        self.url = match.group(1)
        # Keep reading stderr so that the server never blocks on a full pipe.
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def _rest(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=15)


@pytest.fixture(scope="session")
def app_path(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``app_path(name)``: the folder of one of ``E2E_APPS`` or ``NODE_APPS`` (a Node.js
    app installed once per session)."""
    installed: dict[str, Path] = {}

    def path(name: str) -> Path:
        if name in E2E_APPS:
            return E2E_APPS[name]
        if name not in installed:
            installed[name] = install_node_app(
                NODE_APPS[name], tmp_path_factory.mktemp("node-apps") / name
            )
        return installed[name]

    return path


def serve_options(name: str) -> tuple[str, ...]:
    """A Python app runs with the bundled SDK surface; a Node.js app with its own packages."""
    return () if name in NODE_APPS else ("--sdk", "bundled")


@pytest.fixture(scope="session")
def served(app_path: Callable[[str], Path]) -> Iterator[Callable[[str], Server]]:
    """``served(name)``: the URL-bearing server of one of the apps, started once."""
    running: dict[str, Server] = {}

    def start(name: str) -> Server:
        if name not in running:
            running[name] = Server(app_path(name), *serve_options(name))
        return running[name]

    yield start
    for server in running.values():
        server.stop()


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory, app_path: Callable[[str], Path]
) -> Callable[[str], Path]:
    """``generated(name)``: a folder with the app's client.py, schemas.ts and client.ts."""
    made: dict[str, Path] = {}

    def generate(name: str) -> Path:
        if name not in made:
            out = tmp_path_factory.mktemp(f"clients-{name}")
            result = run_cli(
                "generate", str(app_path(name)), "--sdk", "bundled", "--out", str(out),
                "--target", "python-client", "--target", "zod", "--target", "ts-client",
            )  # fmt: skip
            assert result.code == 0, result.stderr
            made[name] = out
        return made[name]

    return generate


@pytest.fixture(scope="session")
def without_app_ref(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """multi-function's clients generated from its manifest, which has no inf.yml beside it:
    their constructors take the app's reference."""
    out = tmp_path_factory.mktemp("clients-no-ref")
    manifest = GOLDEN / "examples" / "multi-function" / "manifest.json"
    result = run_cli("generate", str(manifest), "--out", str(out), "--target", "python-client",
                     "--target", "zod", "--target", "ts-client")  # fmt: skip
    assert result.code == 0, result.stderr
    return out
