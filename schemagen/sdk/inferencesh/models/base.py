"""App base classes, ``Metadata`` and the single-field mixins, as in inferencesh 0.7.15.

The schema rule that matters (SPEC.md section 3, "SDK 0.7.x"): the base classes
of app inputs, outputs and setups reorder the top-level ``properties`` and
``required`` of ``model_json_schema()``: the fields annotated in the class's own
body come first, in source order, then the rest in pydantic's order.  The class
body is found in its source file by ``inspect`` and read with ``ast``, as the SDK
does, so the quirks of that method carry over: only the class's own body counts
(not its bases'), fields are matched by Python name (an aliased field falls to the
rest), nested models in ``$defs`` keep pydantic's order, and a class whose source
cannot be found cannot produce a schema.  One difference in how, not what: the SDK
cuts the class's lines out with ``inspect.getsource`` and parses them again, which
tokenizes them (its first use compiles tokenize's patterns, ~8 ms), after
``inspect.findsource`` parsed the whole file to find the class; here each file is
parsed once, and its classes are found as ``findsource`` finds them (``_class_def``).
"""
# ruff: noqa: F822  (names in __all__ that __getattr__ provides)

import ast
import inspect
import linecache
import sys
import textwrap
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Dict, List, Optional  # noqa: UP035  (re-exported, see __all__)

from pydantic import BaseModel, ConfigDict, Field

from .._missing import stub_getattr
from .file import File
from .output_meta import OutputMeta

# What `from inferencesh.models.base import *` binds with the real module.
__all__ = [
    "Any", "Dict", "List", "Optional", "BaseModel", "ConfigDict", "Field",
    "inspect", "ast", "textwrap", "OrderedDict", "File", "OutputMeta",
    "Metadata", "OrderedSchemaModel", "BaseAppSetup", "BaseAppInput", "BaseAppOutput", "BaseApp",
    "OptionalImageFieldMixin", "RequiredImageFieldMixin",
    "OptionalVideoFieldMixin", "RequiredVideoFieldMixin",
    "OptionalAudioFieldMixin", "RequiredAudioFieldMixin",
    "OptionalTextFieldMixin", "RequiredTextFieldMixin",
    "OptionalFileFieldMixin", "RequiredFileFieldMixin",
]  # fmt: skip


class Metadata(BaseModel):
    """Runtime metadata passed to app setup and run methods."""

    model_config = ConfigDict(extra="allow")

    app_id: str | None = None
    app_version_id: str | None = None
    app_variant: str | None = None
    worker_id: str | None = None
    gpu_ids: list[str] | None = None
    task_id: str | None = None
    team_id: str | None = None
    user_id: str | None = None

    def update(self, other: dict[str, Any] | BaseModel) -> None:
        update_dict = other.model_dump() if isinstance(other, BaseModel) else other
        for key, value in update_dict.items():
            setattr(self, key, value)


class OrderedSchemaModel(BaseModel):
    """A base model that ensures the JSON schema properties and required fields are in the order of field definition."""  # noqa: E501  (the schema's description)

    @classmethod
    def model_json_schema(cls, by_alias: bool = True, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        schema = super().model_json_schema(by_alias=by_alias, **kwargs)
        field_order = cls._get_field_order()
        if field_order:
            properties = schema["properties"]
            first = [name for name in field_order if name in properties]
            schema["properties"] = {name: properties[name] for name in first} | {
                name: value for name, value in properties.items() if name not in first
            }
            if "required" in schema:
                required = [name for name in field_order if name in schema["required"]]
                required += [name for name in schema["required"] if name not in required]
                schema["required"] = required
        return schema

    @classmethod
    def _get_field_order(cls) -> list[str]:
        """The names annotated in the class's own body, in source order."""
        class_def = _class_def(cls)
        return [
            node.target.id
            for node in class_def.body
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        ]


def _class_def(cls: type) -> ast.ClassDef:
    """The statement of ``cls`` that ``inspect.getsource`` would cut out, with its errors.

    Before Python 3.13, ``inspect.findsource`` parses the class's whole file on every
    call to look the class up by qualified name; here the file is parsed once for all
    its classes, and looked up the same way (``_ClassIndex``). From 3.13 on it reads the
    class's ``__firstlineno__`` instead, which costs nothing.
    """
    found = None
    module = sys.modules.get(cls.__module__)
    if sys.version_info < (3, 13) and module is not None:
        file = inspect.getsourcefile(cls)
        if file:
            linecache.checkcache(file)
            index = _class_index("".join(linecache.getlines(file, module.__dict__)))
            found = index.starts.get(cls.__qualname__)
    if found is None:  # as findsource: its lookup, and its errors
        lines, found = inspect.findsource(cls)
        index = _class_index("".join(lines))
    class_def = index.by_start.get((found, cls.__name__))
    if class_def is None:  # pragma: no cover - the same parse found it
        raise OSError("could not find class definition")
    return class_def


class _ClassIndex(ast.NodeVisitor):
    """The classes of one file: the 0-based line ``inspect.findsource`` gives for each
    qualified name (the first such class, by the walk of ``inspect._ClassFinder``:
    ``f.<locals>.C`` for a class in a function; its first decorator's line, else its
    own), and each class statement by that line and its name."""

    def __init__(self, source: str) -> None:
        self.stack: list[str] = []
        self.starts: dict[str, int] = {}
        self.by_start: dict[tuple[int, str], ast.ClassDef] = {}
        self.visit(ast.parse(source))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stack += [node.name, "<locals>"]
        self.generic_visit(node)
        del self.stack[-2:]

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.stack.append(node.name)
        start = (node.decorator_list[0] if node.decorator_list else node).lineno - 1
        self.starts.setdefault(".".join(self.stack), start)
        self.by_start[start, node.name] = node
        self.generic_visit(node)
        self.stack.pop()


@lru_cache(maxsize=8)
def _class_index(source: str) -> _ClassIndex:
    return _ClassIndex(source)


class BaseAppSetup(OrderedSchemaModel):
    pass


class BaseAppInput(OrderedSchemaModel):
    pass


class BaseAppOutput(OrderedSchemaModel):
    output_meta: OutputMeta | None = Field(
        default=None,
        description="Structured metadata about inputs/outputs for pricing calculation",
    )


class BaseApp(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, extra="allow")

    async def setup(self):
        pass

    async def run(self, app_input: BaseAppInput) -> BaseAppOutput:
        raise NotImplementedError("run method must be implemented")

    async def unload(self):
        pass


# Mixins: one field each.  `RequiredFileFieldMixin` is optional in the SDK too.


class OptionalImageFieldMixin(BaseModel):
    image: File | None = Field(
        description="the image to use for the model",
        default=None,
        json_schema_extra={"contentMediaType": "image/*"},
    )


class RequiredImageFieldMixin(BaseModel):
    image: File = Field(
        description="the image to use for the model",
        json_schema_extra={"contentMediaType": "image/*"},
    )


class OptionalVideoFieldMixin(BaseModel):
    video: File | None = Field(
        description="the video to use for the model",
        default=None,
        json_schema_extra={"contentMediaType": "video/*"},
    )


class RequiredVideoFieldMixin(BaseModel):
    video: File = Field(
        description="the video to use for the model",
        json_schema_extra={"contentMediaType": "video/*"},
    )


class OptionalAudioFieldMixin(BaseModel):
    audio: File | None = Field(
        description="the audio to use for the model",
        default=None,
        json_schema_extra={"contentMediaType": "audio/*"},
    )


class RequiredAudioFieldMixin(BaseModel):
    audio: File = Field(
        description="the audio to use for the model",
        json_schema_extra={"contentMediaType": "audio/*"},
    )


class OptionalTextFieldMixin(BaseModel):
    text: str | None = Field(description="the text to use for the model", default=None)


class RequiredTextFieldMixin(BaseModel):
    text: str = Field(description="the text to use for the model")


class OptionalFileFieldMixin(BaseModel):
    file: File | None = Field(description="the file to use for the model", default=None)


class RequiredFileFieldMixin(BaseModel):
    file: File | None = Field(description="the file to use for the model", default=None)


__getattr__ = stub_getattr(__name__, globals())
