"""Which imports become stubs: the finders on ``sys.meta_path``.

Two finders decide what gets stubbed (``StubFinder``):

- its front half sits first on ``sys.meta_path`` and stubs modules the user
  forced (``--stub``, ``--stub-all``) even when installed;
- its back half sits last, so it only sees modules no real finder found, and
  stubs one only when the ``import`` statement is in the app's own files; an
  installed library's optional-dependency probe still gets its ImportError.

The stub values themselves are ``stubs``.
"""

from __future__ import annotations

import errno
import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from schemagen.loader.child import stubs
from schemagen.loader.child.stubs import STUB_VERSION, StubModule, stub_file


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return StubModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


_LOADER = _StubLoader()
# Frames of these files are the import machinery, not the code importing.
_IMPORT_MACHINERY = (os.path.dirname(importlib.__file__), __file__, stubs.__file__)

# pydantic and what it imports: never stubbed, even under --stub-all.
NEVER_STUB = frozenset(
    {"pydantic", "pydantic_core", "typing_extensions", "annotated_types", "typing_inspection"}
)


class StubFinder:
    """Decides, per import, whether a module becomes a stub; records which did.

    Whether an ``import`` statement is the app's own is decided by the path
    Python loaded its file from (``co_filename``), never by where a link
    points: a helper linked in from a shared folder is the app's, and so is a
    file the app reached through a ``sys.path`` entry it added itself. Files
    under the interpreter's own path entries (the standard library,
    site-packages, ``PYTHONPATH``, editable installs) are installed code.
    """

    def __init__(
        self,
        *,
        app_dir: str,
        forced: frozenset[str] = frozenset(),
        stub_all: bool = False,
        keep: frozenset[str] = frozenset(),
        always_stub_children_of: frozenset[str] = frozenset(),
        stubbed: set[str] | None = None,
        installed_roots: Sequence[str] = (),
    ) -> None:
        self.app_dirs = tuple(
            {
                os.path.join(os.path.abspath(app_dir), ""),
                os.path.join(os.path.realpath(app_dir), ""),
            }
        )
        self.forced = forced
        self.stub_all = stub_all
        # Top-level names --stub-all leaves alone: the app's own modules, the SDK.
        self.keep = keep | NEVER_STUB
        self.always_stub_children_of = always_stub_children_of
        self.stubbed: set[str] = stubbed if stubbed is not None else set()
        # Modules of the app's own packages that are not there: (name, importing file, line).
        self.missing_own: list[tuple[str, str, int]] = []
        # Top-level modules the app's own code imported that became stubs: (name, file, line).
        self.stubbed_by_app: list[tuple[str, str, int]] = []
        roots = {os.path.join(os.path.abspath(r), "") for r in installed_roots if r}
        self.installed_roots = tuple(
            r for r in roots if not any(d.startswith(r) for d in self.app_dirs)
        )

    def front(self) -> _Half:
        """First on sys.meta_path: forced stubs, even of installed modules."""
        return _Half(self, self.wants_forced)

    def back(self) -> _Half:
        """Last on sys.meta_path: modules no real finder found."""
        return _Half(self, self.wants_missing)

    def _spec(self, fullname: str) -> importlib.machinery.ModuleSpec:
        parent = fullname.rpartition(".")[0]
        if not (parent and isinstance(sys.modules.get(parent), StubModule)):
            self.stubbed.add(fullname)
        return importlib.machinery.ModuleSpec(fullname, _LOADER, is_package=True)

    def wants_forced(self, fullname: str, path: Sequence[str] | None = None) -> bool:
        top = fullname.partition(".")[0]
        if top in self.forced or fullname in self.forced:
            return True
        if self.stub_all:
            return top not in self.keep and top not in sys.stdlib_module_names
        return False

    def wants_missing(self, fullname: str, path: Sequence[str] | None = None) -> bool:
        parent_name = fullname.rpartition(".")[0]
        parent = sys.modules.get(parent_name) if parent_name else None
        if isinstance(parent, StubModule):
            return True
        if any(fullname.startswith(p + ".") for p in self.always_stub_children_of):
            return True
        importer = self._app_importer()
        if importer is None:
            return False
        if parent is not None and not self._holds_missing_parts(parent):
            # A name or submodule an installed package lacks (``from json import
            # Nothing``, another version than the app's): Python's ImportError.
            return False
        broken = broken_link(fullname, path)
        if broken is not None:
            raise BrokenLinkError(fullname, *broken)
        if parent is not None and self._is_app_package(parent):
            self.missing_own.append((fullname, *importer))
        elif parent is None:
            self.stubbed_by_app.append((fullname, *importer))
        return True

    def missing_path_entries(self) -> list[str]:
        """Entries of sys.path inside the app folder that do not exist (the app added them)."""
        return sorted(
            {
                entry
                for entry in sys.path
                if isinstance(entry, str)
                and entry
                and any(
                    os.path.join(os.path.abspath(entry), "").startswith(d) for d in self.app_dirs
                )
                and not os.path.isdir(entry)
            }
        )

    def _holds_missing_parts(self, package: types.ModuleType) -> bool:
        """Whether a missing submodule of ``package`` may become a stub.

        Of the app's own packages (vendored code lacking a generated module or
        an unbuilt extension) and of namespace packages (``google`` of one
        installed Google library, ``google.genai`` not installed): yes. Of a
        regular installed package: no.
        """
        return getattr(package, "__file__", None) is None or self._is_app_package(package)

    def _is_app_package(self, package: types.ModuleType) -> bool:
        locations = list(getattr(package, "__path__", None) or ())
        file = getattr(package, "__file__", None)
        return any(
            isinstance(p, str) and self.is_app_file(os.path.join(p, ""))
            for p in [*locations, file]
            if p
        )

    def is_app_file(self, filename: str) -> bool:
        """Whether a file Python loaded from ``filename`` is the app's own code."""
        path = os.path.abspath(filename)
        for app_dir in self.app_dirs:
            if path.startswith(app_dir):
                # A virtual environment inside the app folder is installed code.
                inner = path[len(app_dir) :].split(os.sep)
                return "site-packages" not in inner and "dist-packages" not in inner
        return not path.startswith(self.installed_roots)

    def _imported_by_app(self) -> bool:
        return self._app_importer() is not None

    def _app_importer(self) -> tuple[str, int] | None:
        """File and line of the import statement, when it is in the app's own code."""
        frame: types.FrameType | None = sys._getframe(2)
        while frame is not None:
            filename = frame.f_code.co_filename
            if not (filename.startswith("<") or filename.startswith(_IMPORT_MACHINERY)):
                return (filename, frame.f_lineno) if self.is_app_file(filename) else None
            frame = frame.f_back
        return None


class BrokenLinkError(ImportError):
    """The module's file or folder is a symbolic link to nothing (missing target or a cycle)."""

    def __init__(self, fullname: str, link: str, target: str, cycle: bool) -> None:
        what = "a cycle of links" if cycle else f"a link to {target}, which does not exist"
        super().__init__(f"{os.path.basename(link)} is {what}", name=fullname, path=link)
        self.link = link


def broken_link(fullname: str, path: Sequence[str] | None) -> tuple[str, str, bool] | None:
    """The dangling or looping link a module would have been loaded from, if any.

    A missing link target makes the module look absent to Python's finders,
    so without this check it would quietly become a stub.
    """
    name = fullname.rpartition(".")[2]
    folders = list(path) if path is not None else [p or "." for p in sys.path if isinstance(p, str)]
    for folder in folders:
        for candidate in (os.path.join(folder, name + ".py"), os.path.join(folder, name)):
            if os.path.islink(candidate) and not os.path.exists(candidate):
                try:
                    os.stat(candidate)
                    cycle = False
                except OSError as exc:
                    cycle = exc.errno == errno.ELOOP
                return candidate, os.readlink(candidate), cycle
    return None


class _Half(importlib.abc.MetaPathFinder):
    """One of the finder's two places on ``sys.meta_path``, with its own rule."""

    def __init__(self, owner: StubFinder, wants: Callable[..., bool]) -> None:
        self.owner = owner
        self.wants = wants

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        return self.owner._spec(fullname) if self.wants(fullname, path) else None


class _StubDistributions(importlib.abc.MetaPathFinder):
    """``importlib.metadata`` for the app's own code: a package that is not installed.

    App code reads versions of what it imports (``version("diffusers") >=
    "0.30"``); a package that would be a stub when imported answers version
    ``0.0.0`` there too, instead of PackageNotFoundError. Installed libraries
    still find only what is installed.
    """

    def __init__(self, owner: StubFinder) -> None:
        self.owner = owner

    def find_spec(self, *_args: Any) -> None:
        return None

    def find_distributions(self, context: Any = None) -> Iterator[Any]:
        name = getattr(context, "name", None)
        if not name or not self.owner._imported_by_app():
            return iter(())
        return iter((_stub_distribution(name),))


def _stub_distribution(name: str) -> Any:
    from importlib import metadata

    class StubDistribution(metadata.Distribution):
        def read_text(self, filename: str) -> str | None:
            if filename in ("METADATA", "PKG-INFO"):
                return f"Metadata-Version: 2.1\nName: {name}\nVersion: {STUB_VERSION}\n"
            return None

        def locate_file(self, path: Any) -> Any:
            return stub_file(name)

    return StubDistribution()


def install_finders(finder: StubFinder) -> None:
    """Put the finder's two halves on ``sys.meta_path`` (first and last)."""
    sys.meta_path.insert(0, finder.front())
    sys.meta_path.append(finder.back())
    sys.meta_path.append(_StubDistributions(finder))
