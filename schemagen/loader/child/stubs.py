"""Stand-ins for modules an app imports but that are not installed.

Only the loader's child process uses this. A stubbed module hands out ``Stub``
values for every attribute; a ``Stub`` survives what app code does with a
library at import time (attribute chains, calls, decorators, subclassing,
``with``, iteration, arithmetic, ``isinstance``, ``except``) without ever
pretending to be real data: its text form carries ``STUB_MARKER`` so that a
stub reaching a schema is found and reported (``find_stub``), never emitted.
Which imports become stubs is ``finder``'s decision.
"""

from __future__ import annotations

import enum
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
