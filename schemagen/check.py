"""Staleness: generated files compared with what is on disk."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from schemagen.emit.core.target import GeneratedFiles


@dataclass(frozen=True)
class StaleFile:
    """One generated file that is missing or differs on disk."""

    path: Path
    state: Literal["missing", "stale", "obsolete"]
    diff: str


def stale_files(
    out_dir: Path,
    files: GeneratedFiles,
    obsolete: Sequence[str] = (),
    *,
    shown: Callable[[Path], str] = str,
) -> list[StaleFile]:
    """Every file of ``files`` whose bytes are not exactly on disk under ``out_dir``,
    and every ``obsolete`` file still there; ``shown`` names a file in a diff's header."""
    found = []
    for rel in obsolete:
        path = out_dir / rel
        if path.is_file():
            found.append(
                StaleFile(path, "obsolete", unified_diff(shown(path), path.read_bytes(), b""))
            )
    for rel, expected in sorted(files.items()):
        path = out_dir / rel
        try:
            actual: bytes | None = path.read_bytes()
        except FileNotFoundError:
            actual = None
        if actual == expected:
            continue
        found.append(
            StaleFile(
                path=path,
                state="missing" if actual is None else "stale",
                diff=unified_diff(shown(path), actual or b"", expected),
            )
        )
    return found


def unified_diff(name: str, actual: bytes, expected: bytes) -> str:
    """What regenerating the file ``name`` would change, as a unified diff."""
    before = actual.decode("utf-8", "replace").splitlines(keepends=True)
    after = expected.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(
        before, after, fromfile=f"{name} (on disk)", tofile=f"{name} (generated)"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
