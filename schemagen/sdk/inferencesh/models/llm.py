"""LLM input/output models and capability mixins, as in inferencesh 0.7.15.

Only the models are here; the helpers of the real module (``build_openai_messages``,
``build_tools``, ``stream_generate``, ``timing_context``, ``ResponseTransformer``, ...)
resolve through ``__getattr__`` to stubs.  Field definitions, defaults, examples
and docstrings (a model's docstring is its schema ``description``) are the SDK's.
"""
# ruff: noqa: F822  (names in __all__ that __getattr__ provides)

import base64
import time
from contextlib import contextmanager
from enum import Enum
from threading import Thread
from typing import Any, Callable, Dict, Generator, List, Optional  # noqa: UP035  (see __all__)

from pydantic import BaseModel, Field

from .._missing import stub_getattr
from .base import BaseAppInput, BaseAppOutput
from .file import File

# What `from inferencesh.models.llm import *` binds with the real module.
__all__ = [
    "Optional", "List", "Any", "Callable", "Dict", "Generator", "Enum", "Field", "BaseModel",
    "Queue", "Empty", "Thread", "time", "contextmanager", "base64", "json",
    "BaseAppInput", "BaseAppOutput", "File",
    "ContextMessageRole", "Message", "ContextMessage", "BaseLLMInput", "ChatInput",
    "ModelSettings", "ModelSettingsCapabilityMixin", "ImageCapabilityMixin",
    "FileCapabilityMixin", "ReasoningEffortEnum", "ReasoningCapabilityMixin",
    "ToolsCapabilityMixin", "LLMInput", "LLMUsage", "BaseLLMOutput", "LLMUsageMixin",
    "ReasoningMixin", "ToolCallsMixin", "ImagesMixin", "LLMOutput",
    "timing_context", "image_to_base64_data_uri", "file_to_base64_data_uri",
    "build_openai_messages", "build_messages", "build_tools",
    "StreamResponse", "ResponseState", "ResponseTransformer", "stream_generate",
]  # fmt: skip


class ContextMessageRole(str, Enum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"
    TOOL = "tool"


class Message(BaseAppInput):
    role: ContextMessageRole
    content: str


class ContextMessage(BaseAppInput):
    role: ContextMessageRole = Field(
        description="the role of the message. user, assistant, or system",
    )
    text: str = Field(description="the text content of the message")
    reasoning: str | None = Field(description="the reasoning content of the message", default=None)
    images: list[File] | None = Field(description="the images of the message", default=None)
    files: list[File] | None = Field(description="the files of the message", default=None)
    tool_calls: list[dict[str, Any]] | None = Field(
        description="the tool calls of the message", default=None
    )
    tool_call_id: str | None = Field(
        description="the tool call id for tool role messages", default=None
    )


# The chat fields BaseLLMInput and ChatInput share, with the SDK's examples.
_SYSTEM_PROMPT = "you are a helpful assistant that can answer questions and help with tasks."
_CONTEXT_EXAMPLE = [
    {"role": "user", "content": [{"type": "text", "text": "What is the capital of France?"}]},
    {"role": "assistant", "content": [{"type": "text", "text": "The capital of France is Paris."}]},
]
_TEXT_EXAMPLE = "write a haiku about artificial general intelligence"


class BaseLLMInput(BaseAppInput):
    """Base class with common LLM fields."""

    system_prompt: str = Field(
        description="the system prompt to use for the model",
        default=_SYSTEM_PROMPT,
        examples=[_SYSTEM_PROMPT],
    )
    context: list[ContextMessage] = Field(
        description="the context to use for the model", default=[], examples=[_CONTEXT_EXAMPLE]
    )
    role: ContextMessageRole = Field(
        description="the role of the input text", default=ContextMessageRole.USER
    )
    text: str = Field(description="the input text to use for the model", examples=[_TEXT_EXAMPLE])
    temperature: float = Field(default=0.7, ge=0.0, le=1.0)
    top_p: float = Field(default=0.95, ge=0.0, le=1.0)
    context_size: int = Field(default=4096)
    max_tokens: int = Field(default=64000)


class ModelSettings(BaseModel):
    """Sampling and generation settings for LLM inference.

    Group all provider-agnostic knobs in one object so they collapse in
    the input schema and can be passed around / overridden as a unit.
    All fields are optional — omitted fields are not sent to the provider,
    which lets each model app set its own defaults.
    """

    temperature: float | None = Field(
        default=None, ge=0.0, le=2.0, description="sampling temperature."
    )
    top_p: float | None = Field(
        default=None, ge=0.0, le=1.0, description="nucleus sampling probability mass."
    )
    top_k: int | None = Field(
        default=None,
        ge=-1,
        description="top-k sampling. limits to k most likely tokens. -1 to disable.",
    )
    min_p: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="min-p sampling. tokens below this probability are dropped.",
    )
    frequency_penalty: float | None = Field(
        default=None,
        ge=-2.0,
        le=2.0,
        description="penalize tokens by how often they appear in the output so far.",
    )
    presence_penalty: float | None = Field(
        default=None,
        ge=-2.0,
        le=2.0,
        description="penalize tokens that have appeared at all in the output so far.",
    )
    repetition_penalty: float | None = Field(
        default=None,
        ge=0.0,
        description=(
            "multiplicative penalty for repeated tokens (1.0 = no penalty). vLLM/HuggingFace style."
        ),
    )
    seed: int | None = Field(default=None, description="random seed for reproducible generation.")
    stop: list[str] | None = Field(
        default=None,
        description="stop sequences. generation stops when any of these strings is produced.",
    )
    max_tokens: int | None = Field(default=None, ge=1, description="maximum tokens to generate.")


_MODEL_SETTINGS_DESCRIPTION = (
    "sampling and generation settings. fields left null use the app's defaults."
)


class ChatInput(BaseAppInput):
    """Chat input with settings in a nested ModelSettings object.

    Use this instead of BaseLLMInput for new apps. Sampling params live
    in model_settings rather than as flat top-level fields.
    """

    # The SDK declares these before ModelSettings exists (a forward reference),
    # which leaves ChatInput incomplete until rebuilt: there, a subclass in a
    # module that does not import ModelSettings cannot produce a schema.  Here
    # ModelSettings comes first, so ChatInput is complete; the schemas are equal.
    system_prompt: str = Field(
        description="the system prompt to use for the model",
        default=_SYSTEM_PROMPT,
        examples=[_SYSTEM_PROMPT],
    )
    context: list[ContextMessage] = Field(
        description="the context to use for the model", default=[], examples=[_CONTEXT_EXAMPLE]
    )
    role: ContextMessageRole = Field(
        description="the role of the input text", default=ContextMessageRole.USER
    )
    text: str = Field(description="the input text to use for the model", examples=[_TEXT_EXAMPLE])
    context_size: int = Field(default=4096)
    model_settings: ModelSettings | None = Field(
        default=None, description=_MODEL_SETTINGS_DESCRIPTION
    )


class ModelSettingsCapabilityMixin(BaseModel):
    """Mixin that adds a nested model_settings object to an LLM input."""

    model_settings: ModelSettings | None = Field(
        default=None, description=_MODEL_SETTINGS_DESCRIPTION
    )


class ImageCapabilityMixin(BaseModel):
    """Mixin for models that support image inputs."""

    images: list[File] | None = Field(description="the images to use for the model", default=None)


class FileCapabilityMixin(BaseModel):
    """Mixin for models that support file inputs."""

    files: list[File] | None = Field(description="the files to use for the model", default=None)


class ReasoningEffortEnum(str, Enum):
    """Enum for reasoning effort."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    NONE = "none"


class ReasoningCapabilityMixin(BaseModel):
    """Mixin for models that support reasoning."""

    reasoning: str | None = Field(description="the reasoning input of the message", default=None)
    reasoning_effort: ReasoningEffortEnum = Field(
        description="enable step-by-step reasoning", default=ReasoningEffortEnum.NONE
    )
    reasoning_max_tokens: int | None = Field(
        description="the maximum number of tokens to use for reasoning", default=None
    )


class ToolsCapabilityMixin(BaseModel):
    """Mixin for models that support tool/function calling."""

    tools: list[dict[str, Any]] | None = Field(
        description="tool definitions for function calling", default=None
    )
    tool_call_id: str | None = Field(
        description="the tool call id for tool role messages", default=None
    )


class LLMInput(BaseLLMInput):
    """Default LLM input model with no special capabilities."""


# The SDK sets this after the class exists: LLMInput's own schema is unchanged,
# but every later subclass inherits the title, so `class AppInput(LLMInput)`
# has the schema title "LLMInput".  Same for LLMOutput below.
LLMInput.model_config["title"] = "LLMInput"


class LLMUsage(BaseAppOutput):
    stop_reason: str = ""
    time_to_first_token: float = 0.0
    tokens_per_second: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int = 0
    reasoning_time: float = 0.0


class BaseLLMOutput(BaseAppOutput):
    """Base class for LLM outputs with common fields."""

    response: str = Field(description="the generated text response")


class LLMUsageMixin(BaseModel):
    """Mixin for models that provide token usage statistics."""

    usage: LLMUsage | None = Field(description="token usage statistics", default=None)


class ReasoningMixin(BaseModel):
    """Mixin for models that support reasoning."""

    reasoning: str | None = Field(description="the reasoning output of the model", default=None)


class ToolCallsMixin(BaseModel):
    """Mixin for models that support tool calls."""

    tool_calls: list[dict[str, Any]] | None = Field(
        description="tool calls for function calling", default=None
    )


class ImagesMixin(BaseModel):
    """Mixin for models that support image outputs."""

    images: list[File] | None = Field(description="the images of the output", default=None)


class LLMOutput(LLMUsageMixin, BaseLLMOutput):
    """Default LLM output model with token usage tracking."""


LLMOutput.model_config["title"] = "LLMOutput"


__getattr__ = stub_getattr(__name__, globals())
