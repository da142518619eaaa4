"""JSON pointers (RFC 6901) into schema documents, and local ``$ref`` resolution.

A pointer here is the part after ``#`` of a reference: ``""`` is the document,
``/properties/a~1b`` the property ``a/b``. A ``$ref`` is a URI reference, so
its fragment may also be percent-encoded (``#/$defs/Caf%C3%A9``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from schemagen.schema.keywords import ANNOTATIONS, DEFS_KEYWORDS


def escape(token: str) -> str:
    """``token`` as one pointer token: ``~`` -> ``~0``, ``/`` -> ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """The key one pointer token names."""
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """``pointer`` extended by ``tokens`` (keys or array indexes)."""
    return pointer + "".join("/" + escape(str(token)) for token in tokens)


def tokens(pointer: str) -> list[str]:
    """The keys a pointer names, in order (``""``: none)."""
    return [unescape(token) for token in pointer.split("/")[1:]]


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at ``pointer`` in ``document``; ``LookupError`` when nothing is there."""
    node = document
    for token in tokens(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise LookupError(pointer)
    return node


def ref_pointer(ref: str) -> str | None:
    """The pointer of a reference into the same document (``#…``), else None."""
    if not ref.startswith("#"):
        return None
    return unquote(ref[1:])


def local_ref_name(ref: str) -> str | None:
    """The ``$defs`` (or ``definitions``) entry a reference names, when it names one."""
    for keyword in DEFS_KEYWORDS:
        prefix = f"#/{keyword}/"
        if ref.startswith(prefix) and "/" not in ref[len(prefix) :]:
            return unescape(unquote(ref[len(prefix) :]))
    return None


def follow_local_refs(schema: Any, defs: Mapping[str, Any], *, with_siblings: bool = False) -> Any:
    """``schema`` with its reference to an entry of ``defs`` followed, and the
    reference that entry is, and so on (a cycle stops where it closes).

    Only a bare reference is followed (nothing beside ``$ref`` but annotations),
    unless ``with_siblings``: then the keywords beside the reference are dropped,
    as a caller looking for what the reference says (a ``format``) wants.
    """
    seen: set[str] = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        if not with_siblings and set(schema) - ANNOTATIONS != {"$ref"}:
            break
        name = local_ref_name(schema["$ref"])
        if name is None or name not in defs or name in seen:
            break
        seen.add(name)
        schema = defs[name]
    return schema
