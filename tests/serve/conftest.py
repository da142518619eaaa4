"""``schemagen serve`` as users run it: a real process on 127.0.0.1, any free port.

``served(app)`` starts the server (once per test session and app), reads the URL
from its first stderr line and stops it, by its process id, when the session ends.
``generated(app)`` writes the app's typed clients (python-client, zod, ts-client)
into a temporary folder, once per session.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, FIXTURES, REPO, run_cli

# The apps the end-to-end tests cover: every function of each, through both SDKs.
E2E_APPS = {
    "multi-function": EXAMPLES / "multi-function",
    "streaming-story": EXAMPLES / "streaming-story",
    "structure": EXAMPLES / "structure",
    "image-tools": EXAMPLES / "image-tools",
    "counter": FIXTURES / "serve" / "counter",
}


class Server:
    """A running ``schemagen serve`` process."""

    def __init__(self, app: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "schemagen", "serve", str(app), "--port", "0", *args],
            cwd=REPO,
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
def served() -> Iterator[Callable[[str], Server]]:
    """``served(name)``: the URL-bearing server of one of ``E2E_APPS``, started once."""
    running: dict[str, Server] = {}

    def start(name: str) -> Server:
        if name not in running:
            running[name] = Server(E2E_APPS[name], "--sdk", "bundled")
        return running[name]

    yield start
    for server in running.values():
        server.stop()


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``generated(name)``: a folder with the app's client.py, schemas.ts and client.ts."""
    made: dict[str, Path] = {}

    def generate(name: str) -> Path:
        if name not in made:
            out = tmp_path_factory.mktemp(f"clients-{name}")
            result = run_cli(
                "generate", str(E2E_APPS[name]), "--sdk", "bundled", "--out", str(out),
                "--target", "python-client", "--target", "zod", "--target", "ts-client",
            )  # fmt: skip
            assert result.code == 0, result.stderr
            made[name] = out
        return made[name]

    return generate
