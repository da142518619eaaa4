"""pydantic's errors about one field, retold in the app's terms: which model and field,
at the field's own line, and what is wrong with it in full.

pydantic reports a bad ``pattern`` as a chain of "Error building ... validator" lines
raised at the class statement, and a type it cannot describe with the names of its own
core schemas (``core_schema.IsInstanceSchema``) or of the synthetic package the app is
imported into. Nothing here is imported from the app: the field is found in the class
statement's source (an error at import time, before the class exists) or in the built
model's core schema (an error of ``model_json_schema``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from schemagen.loader.child import positions

APP_PACKAGE = "_schemagen_app"  # the synthetic package the entrypoint is imported into

_FIELD = re.compile(r'Field "([^"]+)":')
_CLASS = re.compile(r"<class '([^']+)'>")
_LOOKAROUND_HINT = (
    "pydantic's default regex engine has no look-around and no backreferences; "
    "model_config = ConfigDict(regex_engine='python-re') allows them"
)


@dataclass(frozen=True)
class FieldError:
    """A message naming ``Model.field``, the field's line when found, and a hint;
    ``owner``: the model declaring the field, when it is built."""

    message: str
    line: int | None
    hint: str | None
    owner: type | None = None


def in_app_terms(text: str) -> str:
    """``text`` without the synthetic package's name (``_schemagen_app.inference.X``)."""
    return re.sub(rf"\b{APP_PACKAGE}\.(?:[\w]+\.)?", "", text).replace(APP_PACKAGE, "the app")


def class_statement(file: str, line: int | None) -> ast.ClassDef | None:
    """The class statement of ``file`` that starts at ``line`` (decorators aside)."""
    tree = positions.parse_source(file)
    if tree is None or line is None:
        return None
    return next(
        (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.lineno == line), None
    )


def _field_statement(node: ast.ClassDef, name: str) -> ast.AnnAssign | None:
    return next(
        (
            stmt
            for stmt in node.body
            if isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == name
        ),
        None,
    )


def _pattern_literal(statement: ast.AnnAssign | None) -> str | None:
    """The ``pattern=`` string of a field's statement (Field, constr, StringConstraints)."""
    if statement is None:
        return None
    for node in ast.walk(statement):
        if isinstance(node, ast.keyword) and node.arg == "pattern":
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    return None


def schema_error_at_class(text: str, file: str, line: int | None) -> FieldError | None:
    """pydantic-core's SchemaError raised while the class at ``file:line`` was built
    (a bad ``pattern``, a constraint its type cannot take), or None when it names no field."""
    field = _FIELD.search(text)
    node = class_statement(file, line)
    if field is None or node is None:
        return None
    name = field.group(1)
    statement = _field_statement(node, name)
    where = f"{node.name}.{name}"
    at = statement.lineno if statement is not None else line
    rest = text[field.end() :]
    reason = _last_error(rest)
    if "regex parse error:" in rest or "validator:\n  error:" in rest or "regex" in reason:
        pattern = _pattern_literal(statement) or _rust_pattern(rest)
        shown = f" '{pattern}'" if pattern is not None else ""
        hint = _LOOKAROUND_HINT if re.search(r"look-?around|backreference", reason) else None
        return FieldError(f"{where}: invalid pattern{shown}: {reason}", at, hint)
    return FieldError(f"{where}: invalid field: {reason}", at, None)


def _last_error(text: str) -> str:
    """The innermost reason of a SchemaError chain (its ``error:`` line, else its last)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line.removeprefix("error:").strip() for line in lines if line.startswith("error:")]
    if errors:
        return errors[-1]
    last = lines[-1] if lines else ""
    return last.removeprefix("SchemaError:").strip()


def _rust_pattern(text: str) -> str | None:
    """The pattern the Rust regex crate quotes under "regex parse error:"."""
    after = text.split("regex parse error:", 1)
    if len(after) < 2:
        return None
    lines = [line for line in after[1].splitlines() if line.strip()]
    return lines[0].strip() if lines else None


def generation_error_at_class(text: str, file: str, line: int | None) -> FieldError | None:
    """pydantic's "Unable to generate pydantic-core schema for <class X>", raised while
    the class at ``file:line`` was built: the field whose annotation names X."""
    found = _CLASS.search(text)
    node = class_statement(file, line)
    if found is None or node is None:
        return None
    type_name = in_app_terms(found.group(1)).rsplit(".", 1)[-1]
    for statement in node.body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            continue
        if re.search(rf"\b{re.escape(type_name)}\b", ast.unparse(statement.annotation)):
            return FieldError(
                f"{node.name}.{statement.target.id}: unsupported field type {type_name}: "
                "pydantic can neither validate nor describe it",
                statement.lineno,
                "use a pydantic model or a type pydantic knows, such as str, int or list[str]",
            )
    return None


def json_schema_failure(model: type, text: str) -> FieldError | None:
    """pydantic's "Cannot generate a JsonSchema for core_schema.XSchema (<class Y>)" of
    ``model.model_json_schema()``: the model and field (``model``'s, or a nested
    model's) whose core schema holds that node."""
    kind = re.search(r"core_schema\.(\w+)Schema", text)
    if kind is None:
        return None
    node_type = re.sub(r"(?<!^)([A-Z])", r"-\1", kind.group(1)).lower()  # IsInstance: is-instance
    cls = _CLASS.search(text)
    target = in_app_terms(cls.group(1)).rsplit(".", 1)[-1] if cls else None
    core = getattr(model, "__pydantic_core_schema__", None)
    if not isinstance(core, dict):
        return None
    found = _find_field(core, node_type, target, _definitions(core), (None, None), set())
    if found is None:
        return None
    owner, name = found
    if node_type == "is-instance" and target is not None:
        what = f"{target}, a plain class (arbitrary_types_allowed), has no JSON Schema"
    else:
        what = f"pydantic has no JSON Schema for a {node_type} field"
    line = positions.field_line(owner, name)
    declaring = positions.declaring_class(owner, name) or owner
    return FieldError(
        f"{owner.__name__}.{name}: unsupported field type: {what}",
        line,
        "use a pydantic model or a type pydantic can describe in JSON Schema, or give the "
        "field a JSON Schema of its own with WithJsonSchema",
        declaring,
    )


def _definitions(core: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("ref"), str):
                found.setdefault(node["ref"], node)
            for value in node.values():
                visit(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                visit(value)

    visit(core)
    return found


def _find_field(
    node: Any,
    node_type: str,
    target: str | None,
    definitions: dict[str, Any],
    at: tuple[type | None, tuple[type, str] | None],
    seen: set[int],
) -> tuple[type, str] | None:
    """The innermost (model, field) above the first core-schema node of ``node_type``
    (of class ``target``, when named); ``at``: the model whose schema this is in, and
    the field."""
    if isinstance(node, (list, tuple)):
        hits = (_find_field(item, node_type, target, definitions, at, seen) for item in node)
        return next((hit for hit in hits if hit is not None), None)
    if not isinstance(node, dict) or id(node) in seen:
        return None
    seen.add(id(node))
    model, owner = at
    kind = node.get("type")
    if kind == node_type and owner is not None:
        if target is None or getattr(node.get("cls"), "__name__", None) == target:
            return owner
    if kind == "definition-ref":
        node = {"definition": definitions.get(node.get("schema_ref", ""))}
    if kind == "model" and isinstance(node.get("cls"), type):
        model = node["cls"]
    if kind == "model-fields" and model is not None and isinstance(node.get("fields"), dict):
        hits = (
            _find_field(field, node_type, target, definitions, (None, (model, name)), seen)
            for name, field in node["fields"].items()
        )
        return next((hit for hit in hits if hit is not None), None)
    values = [v for v in node.values() if isinstance(v, (dict, list, tuple))]
    return _find_field(values, node_type, target, definitions, (model, owner), seen)
