"""The LLM models of the surface, created when an app first asks for one.

Most apps never use them, and their ~20 classes were a tenth of a cold
extraction. ``inferencesh`` and ``inferencesh.models`` resolve those names through
``lazy_getattr``, which imports ``models.llm`` then; an app sees the same classes
under the same names, whichever module it asks (``from inferencesh import
ChatInput``, ``from inferencesh.models.llm import *``, star-imports of either).

They are created with ``defer_build``, as the loader's preload creates the rest
of the surface: a model builds its validator when something first needs it, so
the ones an app does not use cost nothing. The setting is taken off after, so
that the app's own models, which inherit their config, are built as usual.
"""

import importlib
import sys
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

LLM = "inferencesh.models.llm"
# The models of models.llm that inferencesh and inferencesh.models also bind.
LLM_NAMES = (
    "BaseLLMInput", "BaseLLMOutput", "ChatInput", "ContextMessage", "ContextMessageRole",
    "FileCapabilityMixin", "ImageCapabilityMixin", "ImagesMixin", "LLMInput", "LLMOutput",
    "LLMUsage", "LLMUsageMixin", "Message", "ModelSettings", "ModelSettingsCapabilityMixin",
    "ReasoningCapabilityMixin", "ReasoningEffortEnum", "ReasoningMixin", "ToolCallsMixin",
    "ToolsCapabilityMixin",
)  # fmt: skip


def lazy_getattr(
    namespace: dict[str, Any], names: Iterable[str], fallback: Callable[[str], Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` giving ``names`` from ``models.llm`` (bound in
    ``namespace`` once given, as an attribute would be), any other name ``fallback``'s."""
    lazy = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name not in lazy:
            return fallback(name)
        value = getattr(import_llm(), name)
        namespace[name] = value
        return value

    return __getattr__


def import_llm() -> ModuleType:
    """``models.llm``, imported now if it is not yet, its models' building deferred."""
    module = sys.modules.get(LLM)
    if module is not None:
        return module
    from pydantic import BaseModel

    from .models.base import BaseAppInput, BaseAppOutput

    bases = (BaseModel, BaseAppInput, BaseAppOutput)  # what its classes derive from
    deferred = [base for base in bases if "defer_build" not in base.model_config]
    for base in deferred:
        base.model_config["defer_build"] = True
    try:
        module = importlib.import_module(LLM)
    finally:
        for base in deferred:
            del base.model_config["defer_build"]
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, BaseModel) and value not in bases:
            value.model_config.pop("defer_build", None)
    return module
