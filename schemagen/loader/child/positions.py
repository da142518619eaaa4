"""Where the app declares what its schemas describe: file and line of each function,
model, enum and field, for pointing a reader at the source (``schemagen diff``'s
annotations).

Runs inside the loader's child process, after discovery. Each source file is
parsed once (``ast``); a class is found by its ``__qualname__`` in the file of its
module. Only files inside the app folder are recorded (the SDK's and installed
libraries' classes have no line a reviewer could act on), with ``/``-separated
paths relative to that folder. A schema location is ``#`` for the model itself
and ``#/$defs/<Name>`` for the classes it reaches, when ``Name`` is unambiguous.
"""

from __future__ import annotations

import ast
import enum
import inspect
import os
import sys
import typing
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from schemagen.loader.child.discovery import Discovered

JsonObject = dict[str, Any]


@cache
def parse_source(file: str) -> ast.Module | None:
    try:
        with open(file, "rb") as handle:
            return ast.parse(handle.read(), filename=file)
    except (OSError, SyntaxError, ValueError):
        return None


@cache
def _class_nodes(file: str) -> dict[str, ast.ClassDef]:
    """Every class statement of ``file`` by qualified name (``Outer.Inner``)."""
    found: dict[str, ast.ClassDef] = {}
    tree = parse_source(file)

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                found.setdefault(prefix + node.name, node)
                visit(node.body, f"{prefix}{node.name}.")

    if tree is not None:
        visit(tree.body, "")
    return found


def class_node(klass: type) -> tuple[str, ast.ClassDef] | None:
    """The file of ``klass``'s module and the class statement there, when found."""
    file = getattr(sys.modules.get(klass.__module__), "__file__", None)
    if not isinstance(file, str):
        return None
    node = _class_nodes(file).get(klass.__qualname__)
    return (file, node) if node is not None else None


def declaring_class(model: type, name: str) -> type | None:
    """The class of ``model``'s MRO whose body annotates field ``name``."""
    return next((k for k in model.__mro__ if name in k.__dict__.get("__annotations__", {})), None)


def field_line(model: type, name: str) -> int | None:
    """The line where ``model`` (or the base that declares it) annotates field ``name``."""
    declaring = declaring_class(model, name)
    found = class_node(declaring) if declaring is not None else None
    return _annotation_line(found[1], name) if found is not None else None


class Locator:
    """File-and-line lookups for one app folder."""

    def __init__(self, app_dir: str) -> None:
        self.app_dir = os.path.abspath(app_dir)

    def relative(self, file: str | None) -> str | None:
        """``file`` relative to the app folder ('/'-separated), or None when outside it.

        By the path the file was loaded from: a helper linked into the folder is inside.
        """
        if not file:
            return None
        path = os.path.relpath(os.path.abspath(file), self.app_dir)
        if path == ".." or path.startswith(".." + os.sep) or os.path.isabs(path):
            return None
        return path.replace(os.sep, "/")

    def class_node(self, klass: type) -> tuple[str, ast.ClassDef] | None:
        """``class_node``, its file relative to the app folder; None outside it."""
        found = class_node(klass)
        relative = self.relative(found[0]) if found is not None else None
        return (relative, found[1]) if found is not None and relative is not None else None

    def function(self, method: Any) -> JsonObject | None:
        try:
            code = getattr(inspect.unwrap(method), "__code__", None)
        except ValueError:  # a __wrapped__ chain that never ends (a stub's)
            return None
        relative = self.relative(getattr(code, "co_filename", None))
        if code is None or relative is None:
            return None
        return {"file": relative, "line": code.co_firstlineno}

    def model(self, klass: type, schema: JsonObject) -> JsonObject | None:
        """A class's position and, for a model, its fields' lines by property name."""
        found = self.class_node(klass)
        if found is None:
            return None
        file, node = found
        entry: JsonObject = {"file": file, "line": node.lineno, "fields": {}}
        if issubclass(klass, BaseModel):
            entry["fields"] = self.field_lines(klass, schema)
        return entry

    def field_lines(self, model: type[BaseModel], schema: JsonObject) -> dict[str, int]:
        """The line of each field's annotation (by property name), for the fields declared
        in the model's own file: by the model itself or by a base class written there."""
        properties = schema.get("properties", {})
        own_file = self.class_node(model)
        lines: dict[str, int] = {}
        for name, info in model.model_fields.items():
            key = next(
                (
                    k
                    for k in (info.validation_alias, info.alias, name)
                    if isinstance(k, str) and k in properties
                ),
                None,
            )
            if key is None:
                continue
            declaring = declaring_class(model, name)
            found = self.class_node(declaring) if declaring is not None else None
            if found is None or own_file is None or found[0] != own_file[0]:
                continue  # declared in a base outside this file: no line in this class's file
            line = _annotation_line(found[1], name)
            if line is not None:
                lines[key] = line
        return dict(sorted(lines.items()))


def _annotation_line(node: ast.ClassDef, name: str) -> int | None:
    for statement in node.body:
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == name
        ):
            return statement.lineno
    return None


def _reachable(model: type[BaseModel]) -> list[type]:
    """The model classes and enums that ``model``'s fields reach, ``model`` excluded."""
    seen: dict[type, None] = {}

    def walk_hint(hint: Any) -> None:
        if isinstance(hint, type) and (issubclass(hint, (BaseModel, enum.Enum))):
            if hint not in seen:
                seen[hint] = None
                if issubclass(hint, BaseModel):
                    walk_model(hint)
            return
        for arg in typing.get_args(hint):
            walk_hint(arg)

    def walk_model(klass: type[BaseModel]) -> None:
        for info in klass.model_fields.values():
            walk_hint(info.annotation)

    walk_model(model)
    seen.pop(model, None)
    return list(seen)


def schema_positions(locator: Locator, model: type[BaseModel], schema: JsonObject) -> JsonObject:
    """Positions by schema location (``#``, ``#/$defs/<Name>``) for one side's model."""
    found: JsonObject = {}
    root = locator.model(model, schema)
    if root is not None:
        found["#"] = root
    defs = schema.get("$defs", {})
    classes = _reachable(model)
    names = [klass.__name__ for klass in classes]
    for klass in classes:
        name = klass.__name__
        if name in defs and names.count(name) == 1:
            entry = locator.model(klass, defs[name])
            if entry is not None:
                found[f"#/$defs/{name}"] = entry
    return dict(sorted(found.items()))


def app_positions(
    app_dir: str,
    functions: list[Discovered],
    setup_model: type[BaseModel] | None,
    manifest: JsonObject,
) -> JsonObject:
    """The ``sources`` part of the child's reply (see ``schemagen.manifest.Sources``)."""
    locator = Locator(app_dir)
    entries: JsonObject = {}
    for fn in functions:
        schemas = manifest["functions"][fn.name]
        entries[fn.name] = {
            "at": locator.function(fn.method),
            "input": schema_positions(locator, fn.input_model, schemas["input_schema"]),
            "output": schema_positions(locator, fn.output_model, schemas["output_schema"]),
        }
    setup = (
        schema_positions(locator, setup_model, manifest["setup"]) if setup_model is not None else {}
    )
    return {"functions": entries, "setup": setup}
