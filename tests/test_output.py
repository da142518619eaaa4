"""Writing generated files (``schemagen.output``)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from schemagen.errors import UsageError
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


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_folder_in_the_way_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"old a")
    (tmp_path / "b.json").mkdir()
    with pytest.raises(UsageError, match="a folder is where the file goes"):
        write_files(tmp_path, {"a.json": b"new a", "b.json": b"new b", "c.json": b"new c"})
    assert listing(tmp_path) == {"a.json": b"old a"}


def test_a_rename_failing_midway_puts_back_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.json").write_bytes(b"old a")
    (tmp_path / "c.json").write_bytes(b"old c")
    real_replace = os.replace

    def replace(source: str, target: Path | str) -> None:
        if Path(target).name == "c.json" and str(source).endswith(".tmp"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(UsageError, match="No space left on device"):
        write_files(tmp_path, {"a.json": b"new a", "b.json": b"new b", "c.json": b"new c"})
    # a.json and b.json were renamed before c.json failed: both are undone.
    assert listing(tmp_path) == {"a.json": b"old a", "c.json": b"old c"}
