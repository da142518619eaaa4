"""Writing generated files (``schemagen.output``)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from schemagen.output import write_files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_get_the_permissions_a_plain_write_gives(tmp_path: Path) -> None:
    # A new file: what the umask allows (not the private 0600 of a temporary file);
    # a rewritten one keeps its own.
    old = os.umask(0o022)
    try:
        kept = tmp_path / "kept.json"
        kept.write_text("old")
        kept.chmod(0o640)
        write_files(tmp_path, {"new.json": b"{}", "kept.json": b"new"})
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.json") == 0o644
    assert mode(kept) == 0o640 and kept.read_text() == "new"
