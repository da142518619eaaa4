"""``inferencesh.models``: the whole bundled model surface.

Besides the names the real package exports here (``__all__``, kept identical so
that star-imports bind the same names), every model of the surface is an
attribute, so ``from inferencesh.models import ImageCapabilityMixin`` gives the
real class rather than a stub (the LLM ones once asked for: ``_lazy.py``).
"""
# ruff: noqa: F401, F822  (re-exports; names in __all__ that __getattr__ provides)

from .._lazy import LLM_NAMES, lazy_getattr
from .._missing import stub_getattr
from ..output_meta_gen import MetaItemType, VideoResolution
from .base import (
    BaseApp,
    BaseAppInput,
    BaseAppOutput,
    BaseAppSetup,
    Metadata,
    OptionalAudioFieldMixin,
    OptionalFileFieldMixin,
    OptionalImageFieldMixin,
    OptionalTextFieldMixin,
    OptionalVideoFieldMixin,
    OrderedSchemaModel,
    RequiredAudioFieldMixin,
    RequiredFileFieldMixin,
    RequiredImageFieldMixin,
    RequiredTextFieldMixin,
    RequiredVideoFieldMixin,
)
from .file import File
from .output_meta import (
    AudioMeta,
    ImageMeta,
    MetaItem,
    OutputMeta,
    RawMeta,
    TextMeta,
    VideoMeta,
)

# The real package's __all__ for inferencesh.models.
__all__ = [
    "BaseApp", "BaseAppInput", "BaseAppOutput", "BaseAppSetup", "File", "Metadata",
    "ContextMessageRole", "Message", "ContextMessage", "ChatInput", "LLMInput", "LLMOutput",
    "ModelSettings", "ModelSettingsCapabilityMixin",
    "build_messages", "stream_generate", "timing_context",
    "MetaItem", "MetaItemType", "TextMeta", "ImageMeta", "VideoMeta", "VideoResolution",
    "AudioMeta", "RawMeta", "OutputMeta", "probe_video",
    "APIError", "RequirementsNotMetError", "RequirementError", "SetupAction",
]  # fmt: skip

# The LLM models come from .llm when first asked for (see _lazy.py).
__getattr__ = lazy_getattr(globals(), LLM_NAMES, stub_getattr(__name__, globals()))
