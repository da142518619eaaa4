"""Stand-ins for modules an app imports but that are not installed.

Only the loader's child process uses this. A stubbed module hands out ``Stub``
values for every attribute; a ``Stub`` survives what app code does with a
library at import time (attribute chains, calls, decorators, subclassing,
``with``, iteration, arithmetic, ``isinstance``, ``except``) without ever
pretending to be real data: its text form carries ``STUB_MARKER`` so that a
stub reaching a schema is found and reported (``find_stub``), never emitted.

Two finders decide what gets stubbed:

- ``StubFinder(front=True)`` sits first on ``sys.meta_path`` and stubs modules
  the user forced (``--stub``, ``--stub-all``) even when installed;
- ``StubFinder(front=False)`` sits last, so it only sees modules no real finder
  found, and stubs one only when the ``import`` statement is in the app's own
  files; an installed library's optional-dependency probe still gets its
  ImportError.
"""

from __future__ import annotations

import enum
import errno
import importlib.abc
import importlib.machinery
import inspect
import os
import re
import sys
import types
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any

from schemagen.loader.child import star_imports

STUB_MARKER = "\u27e8schemagen-stub:"
_MARKER_RE = re.compile(re.escape(STUB_MARKER) + r"([^\u27e9]*)\u27e9")
# Attribute names that read as exception classes get real exception classes,
# so that ``except stub.SomeError:`` and ``raise`` keep working.
_EXCEPTION_NAME = re.compile(r"(Error|Exception|Warning|Exit|Interrupt)$")
STUB_VERSION = "0.0.0"


def _marker(path: str) -> str:
    return f"{STUB_MARKER}{path}\u27e9"


def _is_stub_path(obj: object) -> str | None:
    """The dotted stub path behind ``obj``, or None when it is not stub-made."""
    if isinstance(obj, Stub):
        return object.__getattribute__(obj, "_stub_path")  # type: ignore[no-any-return]
    if isinstance(obj, StubModule):
        return obj.__name__
    if isinstance(obj, StubVersion):
        return obj.stub_path
    if isinstance(obj, type):
        for klass in obj.__mro__:
            path = klass.__dict__.get("__schemagen_stub__")
            if isinstance(path, str):
                return path
    return None


def stub_path_of(obj: object) -> str | None:
    """Where a stub value came from (``torch.nn.Module``), or None for real values."""
    path = _is_stub_path(obj)
    if path is not None:
        return path
    if isinstance(obj, str):
        match = _MARKER_RE.search(obj)
        if match:
            return match.group(1)
    return None


def find_stub(value: Any, _seen: set[int] | None = None) -> str | None:
    """First stub path found anywhere inside a JSON-like or typing value."""
    seen = _seen if _seen is not None else set()
    if id(value) in seen:
        return None
    seen.add(id(value))
    path = stub_path_of(value)
    if path is not None:
        return path
    children: Sequence[Any] = ()
    if isinstance(value, enum.Enum):
        children = [value.value]
    elif isinstance(value, type) and issubclass(value, enum.Enum):
        children = [member.value for member in value]
    elif isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
    else:
        args = getattr(value, "__args__", None)
        if isinstance(args, tuple) and not isinstance(value, type):
            children = [*args, *getattr(value, "__metadata__", ())]
    for child in children:
        found = find_stub(child, seen)
        if found is not None:
            return found
    return None


class StubVersion(str):
    """A module's ``__version__``: a parseable version string that stays traceable."""

    stub_path: str

    def __new__(cls, path: str) -> StubVersion:
        value = super().__new__(cls, STUB_VERSION)
        value.stub_path = path
        return value

    # f"torch {torch.__version__}" or "torch " + torch.__version__ in a description
    # must stay traceable; version checks (comparisons, packaging's parse, split)
    # still see "0.0.0". (`"text " + version` reaches __radd__ first: a str
    # subclass's reflected method wins over str's own.)
    def __format__(self, spec: str) -> str:
        return _marker(self.stub_path)

    def __add__(self, other: str) -> str:
        return _marker(self.stub_path) + other

    def __radd__(self, other: str) -> str:
        return other + _marker(self.stub_path)


_classes: dict[str, type] = {}
_values: dict[str, Stub] = {}


def stub_class(path: str) -> type:
    """A real class standing for the stubbed class ``path`` (one per path).

    Apps subclass it, mix it with real bases (its metaclass is plain ``type``,
    so it combines with pydantic's), raise and catch it, and check
    ``isinstance`` against it.
    """
    klass = _classes.get(path)
    if klass is None:
        module, _, name = path.rpartition(".")
        base: type = Exception if _EXCEPTION_NAME.search(name) else object
        namespace: dict[str, Any] = {
            "__schemagen_stub__": path,
            "__module__": module or name,
            "__qualname__": name,
            "__doc__": f"Stub of {path} (module not installed).",
            "__init_subclass__": classmethod(lambda cls, **kwargs: None),
            "__get_pydantic_core_schema__": classmethod(_stub_core_schema),
        }
        klass = type(name or path, (base,), namespace)
        if base is object:
            klass.__init__ = _cooperative_init(klass)  # type: ignore[misc]
            klass.__getattr__ = _cooperative_getattr(klass)  # type: ignore[attr-defined]
        _classes[path] = klass
    return klass


def _next_in_mro(instance: object, klass: type, attr: str) -> Any:
    mro = type(instance).__mro__
    for later in mro[mro.index(klass) + 1 :]:
        if attr in later.__dict__ and later is not object:
            return later.__dict__[attr]
    return None


def _cooperative_init(klass: type) -> Callable[..., None]:
    # A stub base mixed with real ones (``class M(nn.Module, BaseModel)``)
    # must not swallow the real bases' __init__.
    def __init__(self: object, *args: Any, **kwargs: Any) -> None:
        init = _next_in_mro(self, klass, "__init__")
        if init is not None:
            init(self, *args, **kwargs)

    return __init__


def _cooperative_getattr(klass: type) -> Callable[[object, str], Any]:
    def __getattr__(self: object, name: str) -> Any:
        getattr_ = _next_in_mro(self, klass, "__getattr__")
        if getattr_ is not None:
            return getattr_(self, name)
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return stub_value(f"{klass.__dict__['__schemagen_stub__']}.{name}")

    return __getattr__


def _stub_core_schema(source: Any, source_type: Any, handler: Any) -> Any:
    # Lets pydantic build a model that mentions a stub; the schema it would
    # give carries the marker, and the contamination check reports it.
    from pydantic_core import core_schema

    if isinstance(source, type) and "__schemagen_stub__" not in source.__dict__:
        # An app class deriving from a stub and from real bases (a pydantic
        # model among them): the real bases decide its schema.
        if any(
            k.__module__.startswith("pydantic.") and k.__name__ == "BaseModel"
            for k in source.__mro__
        ):
            return handler(source_type)
        mro = source.__mro__
        stub_index = next(i for i, k in enumerate(mro) if "__schemagen_stub__" in k.__dict__)
        for later in mro[stub_index + 1 :]:
            method = later.__dict__.get("__get_pydantic_core_schema__")
            if method is not None:
                return method.__get__(None, source)(source_type, handler)
    path = _is_stub_path(source) or "?"
    marker = {"x-schemagen-stub": _marker(path)}
    return core_schema.any_schema(
        metadata={"pydantic_js_functions": [lambda _schema, _handler: dict(marker)]}
    )


def stub_value(path: str) -> Any:
    """The stub for the dotted name ``path`` (``torch.nn.Module``), cached per path."""
    name = path.rpartition(".")[2]
    if _EXCEPTION_NAME.search(name):
        return stub_class(path)
    value = _values.get(path)
    if value is None:
        value = Stub(path)
        _values[path] = value
    return value


# Attribute chains longer than this end (AttributeError): code that walks a
# chain until it ends (``while hasattr(m, "module"): m = m.module``, or the
# recursive version) would otherwise never stop on a stub.
MAX_ATTRIBUTE_DEPTH = 32


def _derived(self: Stub, suffix: str) -> Any:
    path: str = object.__getattribute__(self, "_stub_path")
    if suffix.startswith("."):
        if path.count(".") >= MAX_ATTRIBUTE_DEPTH:
            raise AttributeError(
                f"{suffix[1:]} (schemagen ends stub attribute chains at "
                f"{MAX_ATTRIBUTE_DEPTH} levels: {path.partition('.')[0]} is stubbed)"
            )
    elif path.endswith(suffix):
        return self  # x() of x(), x + 1 of x + 1: the same trace, however many times
    return stub_value(path + suffix)


def _is_decorated_target(value: object) -> bool:
    return (
        inspect.isfunction(value)
        or inspect.ismethod(value)
        or inspect.isclass(value)
        or isinstance(value, (staticmethod, classmethod, property))
    ) and _is_stub_path(value) is None


def _decorated(target: Any) -> Any:
    """What a stub decorator gives back: the target, or for a function an equal copy.

    A copy, because a decorator of the app's own often wraps the library's
    (``functools.wraps(fn)(tenacity.retry(fn))``): handed ``fn`` itself, that
    would set ``fn.__wrapped__ = fn``, a loop that ``inspect.signature`` refuses
    and ``typing.get_type_hints`` never leaves.
    """
    if not inspect.isfunction(target):
        return target
    copy = types.FunctionType(
        target.__code__, target.__globals__, target.__name__, target.__defaults__,
        target.__closure__,
    )  # fmt: skip
    copy.__dict__.update(target.__dict__)
    copy.__kwdefaults__ = target.__kwdefaults__
    copy.__annotations__ = target.__annotations__
    copy.__qualname__ = target.__qualname__
    copy.__module__ = target.__module__
    copy.__doc__ = target.__doc__
    return copy


def _binary(suffix: str) -> Callable[[Stub, Any], Any]:
    def op(self: Stub, _other: Any) -> Any:
        return _derived(self, suffix)

    return op


class Stub:
    """A value from a module that is not installed: tolerant, traceable, never data."""

    def __init__(self, path: str) -> None:
        object.__setattr__(self, "_stub_path", path)

    def __getattr__(self, name: str) -> Any:
        if name == "__file__":  # ``from lib import subpackage``, then its folder
            return stub_file(object.__getattribute__(self, "_stub_path"))
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _derived(self, f".{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Decorators and decorator factories: ``@torch.no_grad()`` and
        # ``@spaces.GPU`` hand back what they decorate, so discovery still
        # sees the app's methods.
        if len(args) == 1 and not kwargs and _is_decorated_target(args[0]):
            return _decorated(args[0])
        return _derived(self, "()")

    def __getitem__(self, _key: Any) -> Any:
        return _derived(self, "[]")

    def __setitem__(self, _key: Any, _value: Any) -> None:
        pass

    def __delitem__(self, _key: Any) -> None:
        pass

    def __mro_entries__(self, _bases: tuple[Any, ...]) -> tuple[type, ...]:
        return (stub_class(object.__getattribute__(self, "_stub_path")),)

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, stub_class(object.__getattribute__(self, "_stub_path")))

    def __subclasscheck__(self, subclass: type) -> bool:
        return issubclass(subclass, stub_class(object.__getattribute__(self, "_stub_path")))

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return _stub_core_schema(self, source, handler)

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __aiter__(self) -> Stub:
        return self

    async def __anext__(self) -> Any:
        raise StopAsyncIteration

    def __len__(self) -> int:
        return 0

    def __contains__(self, _item: Any) -> bool:
        return False

    def __bool__(self) -> bool:
        # ``torch.cuda.is_available()`` reads as True: import-time code then
        # configures the "real" path instead of raising "needs a GPU".
        return True

    def __enter__(self) -> Stub:
        return self

    def __exit__(self, *_exc: Any) -> None:
        return None

    async def __aenter__(self) -> Stub:
        return self

    async def __aexit__(self, *_exc: Any) -> None:
        return None

    def __await__(self) -> Generator[Any, None, Any]:
        yield from ()
        return self

    def __str__(self) -> str:
        return _marker(object.__getattribute__(self, "_stub_path"))

    __repr__ = __str__

    def __format__(self, _spec: str) -> str:
        return str(self)

    def __fspath__(self) -> str:
        return str(self)

    def __hash__(self) -> int:
        return hash(object.__getattribute__(self, "_stub_path"))

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __int__(self) -> int:
        return 0

    def __float__(self) -> float:
        return 0.0

    def __index__(self) -> int:
        return 0

    __lt__ = __le__ = __gt__ = __ge__ = _binary("<cmp>")
    __add__ = __radd__ = __sub__ = __rsub__ = _binary("<op>")
    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _binary("<op>")
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _binary("<op>")
    __pow__ = __rpow__ = __matmul__ = __rmatmul__ = _binary("<op>")
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = _binary("<op>")
    __lshift__ = __rlshift__ = __rshift__ = __rrshift__ = _binary("<op>")

    def __neg__(self) -> Any:
        return _derived(self, "<op>")

    __pos__ = __invert__ = __abs__ = __neg__


class StubModule(types.ModuleType):
    """A module that is not installed; every attribute is a ``Stub``.

    ``__file__`` is a path that names the stub (code that reads files beside a
    package finds nothing there, and a path that reaches a schema is caught);
    ``__all__`` is what a star import of it needs (``star_imports``).
    """

    def __init__(self, name: str) -> None:
        super().__init__(name, f"Stub of module {name} (not installed).")
        self.__path__: list[str] = []
        self.__file__ = stub_file(name)
        self.__version__ = StubVersion(f"{name}.__version__")

    def __getattr__(self, name: str) -> Any:
        if name == "__all__":
            return star_imports.stub_all(self.__name__, sys._getframe(1))
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return stub_value(f"{self.__name__}.{name}")

    def __mro_entries__(self, _bases: tuple[Any, ...]) -> tuple[type, ...]:
        return (stub_class(self.__name__),)


def stub_file(name: str) -> str:
    """The ``__file__`` of stubbed module ``name``: a relative path that carries the marker."""
    return os.path.join(_marker(f"{name}.__file__"), "__init__.py")


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return StubModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


_LOADER = _StubLoader()
_IMPORT_MACHINERY = (os.path.dirname(importlib.__file__), __file__)

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
        return True

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


def install(finder: StubFinder) -> None:
    """Put the finder's two halves on ``sys.meta_path`` (first and last)."""
    sys.meta_path.insert(0, finder.front())
    sys.meta_path.append(finder.back())
    sys.meta_path.append(_StubDistributions(finder))
