"""``File``: the SDK's file type, as schemas and validation see it.

Unlike inferencesh 0.7.15 this never downloads or decodes anything: a URL or
data URI stays a ``uri`` with no local ``path``.  Its pydantic integration is
the real one's: the same core schema, hence the same JSON Schema
``{"type": "string", "format": "file"}`` into which ``Field(json_schema_extra=...)``
keys merge, and the same serializer (a schema default is rendered through it).
"""
# ruff: noqa: F822  (names in __all__ that __getattr__ provides)

import base64
import hashlib
import os
import re
import urllib
from pathlib import Path
from typing import Any, Optional, Tuple, Union  # noqa: UP035  (re-exported, see __all__)
from urllib.parse import urlparse

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from .._missing import stub_getattr

# What `from inferencesh.models.file import *` binds with the real module
# (which has no __all__); `mimetypes` and `tqdm` resolve through __getattr__.
__all__ = [
    "Optional", "Union", "Any", "Tuple", "GetCoreSchemaHandler", "CoreSchema", "core_schema",
    "base64", "mimetypes", "os", "re", "urllib", "hashlib", "Path", "tqdm", "File",
]  # fmt: skip


class File:
    """A file in the inference.sh ecosystem: a URL, a data URI or a local path."""

    uri: str | None
    content_type: str | None
    size: int | None
    filename: str | None

    def __init__(
        self,
        initializer: "str | dict | File | None" = None,
        *,
        uri: str | None = None,
        path: str | None = None,
        content_type: str | None = None,
        size: int | None = None,
        filename: str | None = None,
    ) -> None:
        if isinstance(initializer, str):
            uri = initializer
        elif isinstance(initializer, File):
            uri, path = initializer.uri, initializer._path
            content_type = content_type or initializer.content_type
            size = size or initializer.size
            filename = filename or initializer.filename
        elif isinstance(initializer, dict):
            uri = initializer.get("uri", uri)
            path = initializer.get("path", path)
            content_type = initializer.get("content_type", content_type)
            size = initializer.get("size", size)
            filename = initializer.get("filename", filename)
        elif initializer is not None:
            raise ValueError(f"Invalid input for File: {initializer}")
        if not uri and not path:
            raise ValueError("Either 'uri' or 'path' must be provided")

        self.uri = uri
        self.content_type = content_type
        self.size = size
        self.filename = filename
        self._path: str | None = None
        if path:
            self._set_local_path(path)
        elif uri and not _is_remote(uri):
            self._set_local_path(uri)

    @property
    def path(self) -> str | None:
        """The local path; None for a URL or data URI (nothing is downloaded)."""
        return self._path

    @path.setter
    def path(self, value: str | None) -> None:
        self._path = value

    @classmethod
    def from_path(cls, path: "str | os.PathLike[str]") -> "File":
        return cls(uri=str(path))

    def exists(self) -> bool:
        return self._path is not None and os.path.exists(self._path)

    def to_dict(self) -> dict:
        return self._pydantic_serialize(self)

    def __repr__(self) -> str:
        return f"File(uri={self.uri!r}, path={self._path!r})"

    # --- pydantic integration (a custom type, not a model) ---

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._pydantic_validate,
            serialization=core_schema.plain_serializer_function_ser_schema(cls._pydantic_serialize),
            metadata={
                "pydantic_js_functions": [lambda _s, _h: {"type": "string", "format": "file"}]
            },
        )

    @classmethod
    def _pydantic_validate(cls, v: Any) -> "File | None":
        if v is None or v == "" or v == {}:
            return None
        if isinstance(v, cls):
            return v
        if isinstance(v, str):
            return cls(v)
        if isinstance(v, dict):
            return cls(**v)
        raise ValueError(f"Invalid input for File: {v}")

    @staticmethod
    def _pydantic_serialize(v: "File") -> dict:
        # Attribute access on purpose: a non-File value (a str default) fails
        # here exactly as in the real SDK, which pydantic reports by dropping
        # the default from a serialization-mode schema.
        result: dict[str, Any] = {}
        if v.uri is not None:
            result["uri"] = v.uri
        if v._path is not None:
            result["path"] = v._path
        if v.content_type is not None:
            result["content_type"] = v.content_type
        if v.size is not None:
            result["size"] = v.size
        if v.filename is not None:
            result["filename"] = v.filename
        return result

    def _set_local_path(self, path: str) -> None:
        """Point at a local file and fill in what the disk tells (as the real SDK does)."""
        self._path = os.path.abspath(path)
        if not os.path.exists(self._path):
            return
        if not self.content_type:
            import mimetypes

            self.content_type = mimetypes.guess_type(self._path)[0]
        if not self.size:
            self.size = os.path.getsize(self._path)
        if not self.filename:
            self.filename = os.path.basename(self._path)


def _is_remote(uri: str) -> bool:
    return uri.startswith("data:") or urlparse(uri).scheme in ("http", "https")


__getattr__ = stub_getattr(__name__, globals())
