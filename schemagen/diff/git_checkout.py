"""A partial checkout of a revision: one path, and whatever its links point to.

``git:REF:PATH`` needs the app folder as it was at REF, without touching the
work tree. ``git archive`` gives the folder, but links in it (a shared helper,
``fal_helper.py -> ../../shared/fal_helper.py``) point outside it. Here the
folder is written at its own place in a scratch copy of the repository, links
kept as links, and each link's target is then read from REF too (a file or a
whole folder, links inside it followed the same way), so the app sees at REF
exactly what a checkout of REF would show it. A link whose target does not
exist at REF stays dangling, as it would in a checkout; an absolute link is
kept as written.
"""

from __future__ import annotations

import io
import os
import posixpath
import tarfile
from collections.abc import Callable
from pathlib import Path

from schemagen.errors import UsageError

Git = Callable[..., object]
_LINK_MODE = "120000"
# Links followed while resolving one path: more is a cycle (as the OS says ELOOP).
_MAX_HOPS = 40


class PartialCheckout:
    """Paths of one revision written under ``root``, with their links' targets."""

    def __init__(self, git: Git, ref: str, root: Path) -> None:
        self.git = git
        self.ref = ref
        self.root = root
        self.done: set[str] = set()

    def add(self, path: str) -> Path:
        """Write ``path`` (repository-relative, '/'-separated; '' for the top) and its links."""
        pending = [path]
        while pending:
            current = pending.pop()
            if any(not d or current == d or current.startswith(d + "/") for d in self.done):
                continue  # written already, as itself or inside a folder
            self.done.add(current)
            pending.extend(self._write(current))
        return self.root / path if path else self.root

    def _entry(self, path: str) -> tuple[str, str] | None:
        """(mode, kind) of ``path`` at the revision, links not followed; None when absent."""
        if not path:
            return ("040000", "tree")
        listing = str(self.git("ls-tree", self.ref, "--", path)).strip()
        if not listing:
            return None
        meta = listing.split("\t", 1)[0].split()
        return meta[0], meta[1]

    def resolve(self, path: str) -> str | None:
        """``path`` with each link on the way replaced by its target; None if it leads nowhere."""
        parts = [p for p in path.split("/") if p]
        resolved: list[str] = []
        hops = 0
        while parts:
            part = parts.pop(0)
            if part == "..":
                if not resolved:
                    return None  # above the repository
                resolved.pop()
                continue
            candidate = "/".join([*resolved, part])
            entry = self._entry(candidate)
            if entry is None:
                return None
            if entry[0] == _LINK_MODE:
                hops += 1
                if hops > _MAX_HOPS:
                    return None
                target = self._blob(candidate).decode("utf-8", "surrogateescape")
                if posixpath.isabs(target):
                    return None
                parts = [p for p in target.split("/") if p and p != "."] + parts
                continue
            resolved.append(part)
        return "/".join(resolved)

    def _blob(self, path: str) -> bytes:
        data = self.git("cat-file", "blob", f"{self.ref}:{path}", binary=True)
        assert isinstance(data, bytes)
        return data

    def _write(self, path: str) -> list[str]:
        """Write one resolved path; the repository paths its links point to."""
        entry = self._entry(path)
        if entry is None:
            return []
        if entry[1] == "blob":
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self._blob(path))
            return []
        args = ["archive", "--format=tar", self.ref]
        archive = self.git(*args, "--", path, binary=True) if path else self.git(*args, binary=True)
        assert isinstance(archive, bytes)
        links: list[tuple[str, str]] = []
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            members = []
            for member in tar.getmembers():
                if member.issym():
                    links.append((member.name, member.linkname))
                elif member.isfile() or member.isdir():
                    members.append(member)
            _extract(tar, members, self.root)
        wanted = []
        for name, linkname in links:
            place = self.root / name
            place.parent.mkdir(parents=True, exist_ok=True)
            if not place.is_symlink():
                os.symlink(linkname, place)
            if not posixpath.isabs(linkname):
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(name), linkname))
                real = self.resolve(joined)
                if real is not None:
                    wanted.append(real)
        return wanted


def _extract(tar: tarfile.TarFile, members: list[tarfile.TarInfo], root: Path) -> None:
    """Files and folders only (links are written by the caller, after them)."""
    if hasattr(tarfile, "data_filter"):
        tar.extractall(root, members=members, filter="data")
        return
    top = str(root.resolve())  # pragma: no cover - Python without extraction filters
    for member in members:  # pragma: no cover
        if not str((root / member.name).resolve()).startswith(top):
            raise UsageError(f"unsafe path in git archive: {member.name}")
    tar.extractall(root, members=members)  # noqa: S202  # pragma: no cover
