"""The enums of inferencesh 0.7.15's generated ``output_meta_gen`` module.

The real module also holds TypedDict mirrors of the Go types; schemas never use
them, so they resolve through ``__getattr__`` like every name not provided here.
"""
# ruff: noqa: F822  (names in __all__ that __getattr__ provides)

from __future__ import annotations

from enum import Enum
from typing import Any, Dict, List, TypedDict  # noqa: UP035  (re-exported, see __all__)

from ._missing import stub_getattr

# What `from inferencesh.output_meta_gen import *` binds with the real module.
__all__ = [
    "annotations", "Enum", "Any", "Dict", "List", "TypedDict",
    "AppSDKTypes", "MetaItem", "OutputMeta", "MetaItemType", "VideoResolution",
]  # fmt: skip


class MetaItemType(str, Enum):
    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    RAW = "raw"


class VideoResolution(str, Enum):
    VIDEO_RES480_P = "480p"
    VIDEO_RES720_P = "720p"
    VIDEO_RES1080_P = "1080p"
    VIDEO_RES1440_P = "1440p"
    VIDEO_RES4_K = "4k"


__getattr__ = stub_getattr(__name__, globals())
