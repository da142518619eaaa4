"""The import rules of docs/architecture.md ("What each folder may import"), checked on
every import statement of the package (function-level and TYPE_CHECKING ones too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import REPO

PACKAGE = REPO / "schemagen"
# Every folder of emit/ but core/ is a target language's (a new one is found here).
LANGUAGES = sorted(
    p.name
    for p in (PACKAGE / "emit").iterdir()
    if (p / "__init__.py").is_file() and p.name != "core"
)
# The layers below every other: they import nothing of schemagen but these.
BASE = ("schemagen.errors", "schemagen.schema", "schemagen.manifest", "schemagen.templates")

# (modules a rule is about, what they may import of schemagen)
ALLOWED: list[tuple[str, tuple[str, ...]]] = [
    ("schemagen.schema", ("schemagen.schema",)),
    ("schemagen.errors", ()),
    ("schemagen.manifest", ("schemagen.errors", "schemagen.schema")),
    ("schemagen.emit", (*BASE, "schemagen.emit")),
    (
        "schemagen.diff",
        ("schemagen.errors", "schemagen.schema", "schemagen.manifest", "schemagen.diff"),
    ),
    (
        "schemagen.serve",
        ("schemagen.errors", "schemagen.schema", "schemagen.app_ref", "schemagen.loader.api")
        + ("schemagen.serve",),
    ),
    # "schemagen" alone: the package itself (its version and where it is installed).
    (
        "schemagen.loader",
        ("schemagen", "schemagen.errors", "schemagen.schema", "schemagen.manifest")
        + ("schemagen.loader",),
    ),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    base = REPO.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(path: Path) -> set[str]:
    """Every schemagen module ``path`` imports (``from a import b``: ``a.b`` when that
    is a module, else ``a``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if is_module(sub) else node.module)
    return {name for name in found if name == "schemagen" or name.startswith("schemagen.")}


MODULES = sorted((module_name(p), p) for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def allowed_by(name: str, allowed: str) -> bool:
    """Whether importing ``name`` is what ``allowed`` allows (``schemagen``: itself only)."""
    return name == allowed if allowed == "schemagen" else within(name, allowed)


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_a_module_imports_only_what_its_folder_may(name: str, path: Path) -> None:
    found = imports(path)
    for scope, allowed in ALLOWED:
        if within(name, scope):
            bad = sorted(i for i in found if not any(allowed_by(i, a) for a in allowed))
            assert not bad, f"{name} ({scope}) may not import {bad}"
    # Only the loader's public API is used outside the front end (the SDK runs in it),
    # and by the command's entry point its import-light part that starts a child early.
    if not within(name, "schemagen.loader") and not within(name, "schemagen.sdk"):
        public = {"schemagen.loader.api"} | (
            {"schemagen.loader.early"} if name == "schemagen.__main__" else set()
        )
        used = sorted(i for i in found if within(i, "schemagen.loader"))
        assert set(used) <= public, f"{name} imports {used}"


@pytest.mark.parametrize(("name", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_language_folder_imports_another_and_core_imports_none(name: str, path: Path) -> None:
    folders = [f"schemagen.emit.{language}" for language in LANGUAGES]
    own = [folder for folder in folders if within(name, folder)]
    if not own and not within(name, "schemagen.emit.core"):
        return
    crossing = sorted(
        i for i in imports(path) for folder in folders if within(i, folder) and folder not in own
    )
    assert not crossing, f"{name} imports another target folder: {crossing}"


def test_the_rules_see_the_folders_and_imports_they_judge() -> None:
    assert {"typescript", "python", "openapi", "jsonschema", "llm_tools"} <= set(LANGUAGES)
    # A rule that reads no import judges nothing: the parser must see these.
    assert "schemagen.loader.api" in imports(PACKAGE / "serve" / "runner.py")
    assert "schemagen.emit.typescript.zod" in imports(PACKAGE / "emit" / "typescript" / "client.py")
    assert "schemagen.emit.core.target" in imports(
        PACKAGE / "emit" / "__init__.py"
    )  # TYPE_CHECKING
    assert "schemagen.loader.child.discovery" in imports(
        PACKAGE / "loader" / "api.py"
    )  # in a function
    assert not allowed_by("schemagen.emit", "schemagen") and allowed_by("schemagen", "schemagen")
