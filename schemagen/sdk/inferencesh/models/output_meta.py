"""Output metadata models (pricing and usage), as in inferencesh 0.7.15.

Every output model inherits ``output_meta: OutputMeta | None`` from
``BaseAppOutput``, so these models appear in the ``$defs`` of every output
schema: field order, defaults and descriptions must stay exactly the SDK's.
"""
# ruff: noqa: F822  (names in __all__ that __getattr__ provides)

from typing import Any, List, Optional  # noqa: UP035  (re-exported, see __all__)

from pydantic import BaseModel, Field

from .._missing import stub_getattr
from ..output_meta_gen import MetaItemType

# What `from inferencesh.models.output_meta import *` binds with the real module;
# `probe_video` (runs ffprobe) resolves through __getattr__.
__all__ = [
    "Any", "List", "Optional", "BaseModel", "Field", "MetaItemType", "probe_video",
    "MetaItem", "TextMeta", "ImageMeta", "VideoMeta", "AudioMeta", "RawMeta",
    "MetaItemUnion", "OutputMeta",
]  # fmt: skip


class MetaItem(BaseModel):
    """Base class for input/output metadata items."""

    type: str
    extra: dict[str, Any] | None = Field(
        default=None, description="App-specific key-value pairs for custom pricing factors"
    )


class TextMeta(MetaItem):
    """Metadata for text inputs/outputs (e.g., LLM tokens)."""

    type: str = MetaItemType.TEXT.value
    tokens: int = Field(
        default=0,
        description="Token count - in inputs[] = input tokens, in outputs[] = output tokens",
    )


class ImageMeta(MetaItem):
    """Metadata for image inputs/outputs."""

    type: str = MetaItemType.IMAGE.value
    width: int = Field(default=0, description="Image width in pixels")
    height: int = Field(default=0, description="Image height in pixels")
    resolution_mp: float = Field(
        default=0, description="Resolution in megapixels (width * height / 1_000_000)"
    )
    steps: int = Field(default=0, description="Number of diffusion steps")
    count: int = Field(default=1, description="Number of images")


class VideoMeta(MetaItem):
    """Metadata for video inputs/outputs."""

    type: str = MetaItemType.VIDEO.value
    width: int = Field(default=0, description="Video width in pixels")
    height: int = Field(default=0, description="Video height in pixels")
    resolution_mp: float = Field(default=0, description="Resolution in megapixels per frame")
    resolution: str | None = Field(
        default=None, description="Standard resolution preset (480p, 720p, 1080p, 1440p, 4k)"
    )
    seconds: float = Field(default=0, description="Duration in seconds")
    fps: int = Field(default=0, description="Frames per second")


class AudioMeta(MetaItem):
    """Metadata for audio inputs/outputs."""

    type: str = MetaItemType.AUDIO.value
    seconds: float = Field(default=0, description="Duration in seconds")
    sample_rate: int = Field(default=0, description="Sample rate in Hz")


class RawMeta(MetaItem):
    """Metadata for raw inputs/outputs used for custom pricing."""

    type: str = MetaItemType.RAW.value
    cost: float = Field(default=0, description="Cost in dollar cents")


MetaItemUnion = TextMeta | ImageMeta | VideoMeta | AudioMeta | RawMeta


def _no_items() -> list[MetaItemUnion]:
    """The SDK's ``default_factory=list``, as a Python function: pydantic reads a factory's
    signature, and a builtin's means tokenizing its text signature, whose first use in a
    process compiles tokenize's patterns (~8 ms). The schema does not show factories."""
    return []


class OutputMeta(BaseModel):
    """
    Structured metadata about task inputs and outputs for pricing calculation.

    Apps include this in their output to report what was consumed (inputs)
    and what was produced (outputs). The backend uses this with CEL expressions
    to calculate app-level pricing.

    Example usage in an LLM app:
        output_meta = OutputMeta(
            inputs=[TextMeta(tokens=150)],
            outputs=[TextMeta(tokens=500)]
        )

    Example usage in a video generation app:
        output_meta = OutputMeta(
            outputs=[VideoMeta(
                resolution="1080p",
                resolution_mp=2.07,
                seconds=10.5,
                fps=30
            )]
        )
    """

    inputs: list[MetaItemUnion] = Field(
        default_factory=_no_items, description="Metadata about consumed inputs"
    )
    outputs: list[MetaItemUnion] = Field(
        default_factory=_no_items, description="Metadata about produced outputs"
    )


__getattr__ = stub_getattr(__name__, globals())
