"""The order of the generated module's blocks (``models._ordered``): what an alias or
a RootModel's root names at import time is defined before it; a ``_Lazy`` type, read
on first use only, moves nothing (also with brackets in its string literals)."""

from __future__ import annotations

from schemagen.emit.python.model_code import ModelClass, TypeAlias
from schemagen.emit.python.models import _eager, _ordered


def test_lazy_types_are_not_read_at_import_time() -> None:
    expr = 'A | _Lazy(lambda: Annotated[X, AfterValidator(_pattern("a(b\\")"))]) | B'
    assert _eager(expr) == "A |  | B"
    assert _eager("_Lazy(lambda: C) | _Lazy(lambda: list[D])") == " | "


def test_a_block_follows_what_it_names_at_import_time() -> None:
    blocks = [
        TypeAlias("Foo", "Bar | None"),  # names Bar, defined below it
        ModelClass("Node", root="list[Node]", rebuild=True),  # a forward reference
        TypeAlias("Lazy", "Annotated[Any, BeforeValidator(_not(_Lazy(lambda: Baz)))]"),
        TypeAlias("Bar", "Baz"),
        ModelClass("Baz"),
    ]
    order = [b.name for b in _ordered(blocks)]
    assert order == ["Node", "Lazy", "Baz", "Bar", "Foo"]
