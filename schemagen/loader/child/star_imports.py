"""``from stubbed import *``: binding the names the importing module goes on to use.

A star import binds what the imported module lists in ``__all__`` (or its
public globals). A stub lists nothing it could know of, so Python's own rule
would bind nothing, and the first bare use of a name the real library would
have provided (``class Pipe(FluxPipeline):``) is a NameError. The stub answers
``__all__`` instead with the names the importing file reads: found by reading
that file, at the moment of its star import. Names already bound and builtins
are left out, so a star import of a stub can only add names the module would
otherwise lack (and a name the file binds later replaces the stub then, as it
would have replaced the real library's).

The same holds one step further: an app module that star-imported a stub
serves, to a module that star-imports *it*, the names that module lacks, and
to ``from module import Name`` any public name it lacks (vendored packages
re-export this way: ``from .pipeline import *``, ``from .pipeline import X``).
"""

from __future__ import annotations

import ast
import builtins
import dis
import sys
import types
from collections.abc import Callable
from functools import cache
from typing import Any

_BUILTINS = frozenset(dir(builtins))
# The opcode of ``from x import *``: its own until 3.11, an intrinsic call since 3.12.
_STAR_OPS = frozenset({"IMPORT_STAR"})
_STAR_INTRINSIC = "INTRINSIC_IMPORT_STAR"
# Set in a module's globals once it star-imported a stub: the stub's module name.
ORIGIN_KEY = "__schemagen_star_origin__"


def _current_op(frame: types.FrameType) -> str | None:
    for instruction in dis.get_instructions(frame.f_code):
        if instruction.offset == frame.f_lasti:
            if instruction.argrepr == _STAR_INTRINSIC:
                return "IMPORT_STAR"
            return instruction.opname
    return None


def star_importer(frame: types.FrameType | None) -> types.FrameType | None:
    """``frame`` when it is executing ``from ... import *``, else None."""
    if frame is not None and _current_op(frame) in _STAR_OPS:
        return frame
    return None


def missing_names(frame: types.FrameType) -> list[str]:
    """The names the module in ``frame`` reads and does not have yet (builtins aside).

    A name the module binds later is included: it may be read before that
    (``pipe = FluxPipeline`` then ``FluxPipeline = patch(FluxPipeline)``), and
    the later binding replaces the stub as it would have replaced the real name.
    """
    present = frame.f_globals
    return sorted(
        name
        for name in _loaded_names(frame.f_code.co_filename)
        if name not in present and name not in _BUILTINS and not name.startswith("__")
    )


def stub_all(origin: str, frame: types.FrameType | None) -> list[str]:
    """A stub module's ``__all__`` as seen by ``frame``'s star import (empty otherwise)."""
    importer = star_importer(frame)
    if importer is None:
        return []
    _share_onwards(importer.f_globals, origin)
    return missing_names(importer)


def _share_onwards(namespace: dict[str, Any], origin: str) -> None:
    """Let modules that star-import this one get the names they lack from the same stub."""
    if ORIGIN_KEY in namespace:
        return
    namespace[ORIGIN_KEY] = origin
    if "__getattr__" not in namespace:
        namespace["__getattr__"] = _module_getattr(namespace)


def _module_getattr(namespace: dict[str, Any]) -> Callable[[str], Any]:
    served: set[str] = set()

    def __getattr__(name: str) -> Any:
        from schemagen.loader.child.stubs import stub_value

        if name == "__all__" and "__all__" not in namespace:
            importer = star_importer(sys._getframe(1))
            if importer is not None:
                public = [n for n in namespace if not n.startswith("_")]
                wanted = [n for n in missing_names(importer) if n not in namespace]
                served.update(wanted)
                _share_onwards(importer.f_globals, namespace[ORIGIN_KEY])
                return public + wanted
        if name in served:
            return stub_value(f"{namespace[ORIGIN_KEY]}.{name}")
        if not name.startswith("_") and _current_op(sys._getframe(1)) == "IMPORT_FROM":
            # ``from vendored.pipeline import FluxPipeline``, a name that module
            # only has through its star import of the stub.
            served.add(name)
            return stub_value(f"{namespace[ORIGIN_KEY]}.{name}")
        raise AttributeError(f"module {namespace.get('__name__')!r} has no attribute {name!r}")

    return __getattr__


def star_imported_modules(filename: str) -> list[str]:
    """The absolute modules ``filename`` star-imports (relative ones are left out)."""
    tree = _parse(filename)
    if tree is None:
        return []
    return [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and not node.level
        and any(alias.name == "*" for alias in node.names)
    ]


@cache
def _parse(filename: str) -> ast.Module | None:
    try:
        with open(filename, encoding="utf-8") as handle:
            return ast.parse(handle.read(), filename)
    except (OSError, SyntaxError, ValueError):
        return None


@cache
def _loaded_names(filename: str) -> frozenset[str]:
    """Every name a source file reads (at module level, in functions, in class bodies)."""
    tree = _parse(filename)
    if tree is None:
        return frozenset()
    return frozenset(
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    )
