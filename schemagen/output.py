"""Writing generated files: all or nothing, never a half-written file."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from schemagen.errors import UsageError


def write_files(
    out_dir: Path, files: Mapping[str, bytes], obsolete: Sequence[str] = ()
) -> list[Path]:
    """Write every file under ``out_dir`` atomically; return the paths that changed.

    Each file is written to a temporary file in its destination folder, then
    renamed over the target, so a reader never sees a partial file. The files a
    run replaces are kept aside until every rename has succeeded: if one fails (or
    the run is interrupted), the ones already renamed are put back, so the folder
    is as it was. Files whose
    bytes are already on disk are left untouched (their mtime too). Once all are
    written, the ``obsolete`` ones that exist are removed (and returned).
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"cannot create output folder: {exc.strerror}"
        raise UsageError(message, file=str(out_dir)) from None
    staged: list[tuple[str, Path]] = []
    # (target, where the file it replaced was put aside, or None for a new file)
    renamed: list[tuple[Path, str | None]] = []
    changed: list[Path] = []
    try:
        for rel, content in sorted(files.items()):
            target = out_dir / rel
            if target.is_dir():
                raise IsADirectoryError(f"{target}: a folder is where the file goes")
            if target.is_file() and target.read_bytes() == content:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.fchmod(fd, _mode_for(target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            staged.append((tmp, target))
        for tmp, target in staged:
            aside = tmp + ".old" if target.exists() else None
            if aside is not None:
                os.replace(target, aside)
            renamed.append((target, aside))
            os.replace(tmp, target)
            changed.append(target)
    except OSError as exc:
        _undo(staged, renamed, written=len(changed))
        raise UsageError(f"cannot write output: {exc}", file=str(out_dir)) from None
    except BaseException:  # Ctrl-C: the folder is left as it was, too
        _undo(staged, renamed, written=len(changed))
        raise
    for _, aside in renamed:
        if aside is not None:
            os.unlink(aside)
    try:
        for rel in obsolete:
            stale = out_dir / rel
            if stale.is_file():
                stale.unlink()
                changed.append(stale)
    except OSError as exc:
        raise UsageError(f"cannot remove an obsolete file: {exc}", file=str(out_dir)) from None
    return changed


def _undo(
    staged: list[tuple[str, Path]], renamed: list[tuple[Path, str | None]], written: int
) -> None:
    """Put back what a failed run of renames replaced, and remove its temporary files."""
    for index, (target, aside) in reversed(list(enumerate(renamed))):
        if index < written:  # the new file is in place: take it away
            target.unlink(missing_ok=True)
        if aside is not None:
            os.replace(aside, target)
    for tmp, _ in staged:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _mode_for(target: Path) -> int:
    """The permissions a plain write would leave: the file's own when it exists, else
    what the umask allows (a temporary file is created private, 0600)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
