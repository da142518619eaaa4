"""Throw-away virtual environments for tests that need another package set.

``make_venv("inferencesh-0.7.15-pydantic-2.14.4", [...])`` creates, once, a venv
under ``.cache/venvs/<name>/`` with exactly the given requirements, installed by
pip from PyPI, and returns its Python.  A venv counts as complete only when its
marker file records the same requirements and interpreter; anything else (a
half-built venv, other pins, another Python) is rebuilt.  A file lock keeps
parallel test workers from building the same venv twice.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENVS = REPO / ".cache" / "venvs"
_MARKER = "schemagen-venv.json"


def installed_version(distribution: str) -> str:
    """The version of ``distribution`` in the running interpreter."""
    return importlib.metadata.version(distribution)


def pydantic_pins() -> list[str]:
    """Exact pins of the running interpreter's pydantic and pydantic-core.

    Schemas are pydantic's output, so a reference venv must use the very same
    pydantic as the code under test.
    """
    return [
        f"pydantic=={installed_version('pydantic')}",
        f"pydantic-core=={installed_version('pydantic-core')}",
    ]


def make_venv(name: str, requirements: list[str]) -> Path:
    """The Python executable of venv ``name`` holding exactly ``requirements``."""
    root = VENVS / name
    python = root / "bin" / "python"
    wanted = {"python": sys.version, "requirements": sorted(requirements)}
    VENVS.mkdir(parents=True, exist_ok=True)
    with open(VENVS / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = root / _MARKER
        if marker.is_file() and python.is_file():
            try:
                if json.loads(marker.read_text()) == wanted:
                    return python
            except ValueError:
                pass  # a torn marker: rebuild
        shutil.rmtree(root, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(root)])
        _run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-input", *requirements]
        )  # fmt: skip
        marker.write_text(json.dumps(wanted, indent=2))
    return python


def _run(command: list[str]) -> None:
    proc = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
