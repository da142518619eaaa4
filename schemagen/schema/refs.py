"""``$ref`` and ``$dynamicRef`` in every form JSON Schema 2020-12 defines.

A document is made of schema resources: the document itself and every
sub-schema with an ``$id``, each with its base URI (an ``$id`` is resolved
against the base of the resource it sits in). A reference is a URI reference
resolved against the base at its place, and names a resource (``other.json``,
``urn:uuid:…``), a JSON pointer into one (``#/$defs/a~1b``, ``#/properties/Caf%C3%A9``,
``other.json#/items``), or an ``$anchor`` / ``$dynamicAnchor`` of one (``#name``).

``$dynamicRef`` resolves like ``$ref``; when what it names is a ``$dynamicAnchor``
of the same name, the target is instead that anchor in the outermost resource of
the *dynamic scope* (the resources evaluation passed through to get there) that
has one. ``References.dynamic_target`` takes the scope as a list of resource URIs,
outermost first.

The 2020-12 metaschema and its vocabularies are bundled (``metaschema/``), so a
``$ref`` to ``https://json-schema.org/draft/2020-12/schema`` resolves offline.
Nothing else outside the document does: ``resolve`` raises ``RefError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from schemagen.schema.keywords import SCHEMA_KEYWORDS, SCHEMA_LISTS, SCHEMA_MAPS
from schemagen.schema.pointers import join, tokens

# The base URI of a document that has no ``$id`` of its own.
DEFAULT_BASE = "https://schemagen.invalid/schema.json"
METASCHEMA = "https://json-schema.org/draft/2020-12/schema"
_BUNDLED = Path(__file__).with_name("metaschema")
_ANCHOR = re.compile(r"[A-Za-z_][-A-Za-z0-9._]*\Z")


class RefError(LookupError):
    """A reference that names nothing this document (or the bundled metaschema) holds."""


@dataclass(frozen=True, order=True)
class Location:
    """A place in one JSON document: ``document`` is ``""`` for the schema document
    itself, else the URI of a bundled one; ``pointer`` is a JSON pointer into it."""

    document: str
    pointer: str


@dataclass(frozen=True)
class Target:
    """What a reference names: where it is, the schema there, and that place's
    base URI and resource (the URI of the schema resource it belongs to)."""

    location: Location
    schema: Any
    base: str
    resource: str


def _strip_fragment(uri: str) -> str:
    return uri.split("#", 1)[0]


def resolve_uri(ref: str, base: str) -> str:
    """``ref`` resolved against ``base`` (RFC 3986; a fragment-only reference keeps
    ``base``'s scheme-specific part, URNs included), an empty fragment removed."""
    if urlsplit(ref).scheme:
        uri = ref
    elif ref.startswith("#"):
        uri = _strip_fragment(base) + ref
    else:
        uri = urljoin(base, ref)
    return uri[:-1] if uri.endswith("#") else uri


@cache
def bundled_documents() -> dict[str, Any]:
    """The bundled metaschema documents, by their ``$id``."""
    documents: dict[str, Any] = {}
    for path in sorted(_BUNDLED.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        documents[document["$id"]] = document
    return documents


@dataclass(frozen=True)
class _Node:
    location: Location
    schema: Any
    base: str
    resource: str


class References:
    """The resources, anchors and dynamic anchors of one schema document (and of the
    bundled metaschema), resolving references between them."""

    def __init__(self, schema: Any, base: str = DEFAULT_BASE) -> None:
        self.documents: dict[str, Any] = {"": schema}
        self._nodes: dict[Location, _Node] = {}
        self.resources: dict[str, Location] = {}  # resource URI -> its place
        self.anchors: dict[str, Location] = {}  # "uri#name" -> its place
        self.dynamic_anchors: dict[str, Location] = {}  # "uri#name" -> its place
        self._dynamic = False
        self._index("", schema, base)
        self._bundled_indexed = False

    # -- indexing -------------------------------------------------------------------

    def _index(self, document: str, schema: Any, base: str) -> None:
        self.resources.setdefault(_strip_fragment(base), Location(document, ""))
        stack = [(Location(document, ""), schema, base, _strip_fragment(base))]
        while stack:
            location, node, base, resource = stack.pop()
            if isinstance(node, dict):
                if isinstance(node.get("$id"), str):
                    base = resolve_uri(node["$id"], base)
                    resource = _strip_fragment(base)
                    self.resources.setdefault(resource, location)
                for keyword, table in (("$anchor", self.anchors), ("$dynamicAnchor", None)):
                    name = node.get(keyword)
                    if isinstance(name, str) and _ANCHOR.match(name):
                        self.anchors.setdefault(f"{resource}#{name}", location)
                        if table is None:
                            self.dynamic_anchors.setdefault(f"{resource}#{name}", location)
            self._nodes[location] = _Node(location, node, base, resource)
            if isinstance(node, dict) and "$dynamicRef" in node:
                self._dynamic = True
            for pointer, sub in _children(location.pointer, node):
                stack.append((Location(document, pointer), sub, base, resource))

    def _index_bundled(self) -> None:
        if self._bundled_indexed:
            return
        self._bundled_indexed = True
        for uri, document in bundled_documents().items():
            if uri not in self.resources:
                self.documents[uri] = document
                self._index(uri, document, uri)

    # -- what is where --------------------------------------------------------------

    def at(self, location: Location) -> Target:
        """The schema at ``location``, with its base URI and resource."""
        node = self._nodes.get(location)
        if node is not None:
            return Target(location, node.schema, node.base, node.resource)
        # A pointer into a place no walk of sub-schemas visits: its nearest schema's base.
        document = self.documents[location.document]
        parts = tokens(location.pointer)
        value = _resolve_tokens(document, parts, location)
        base, resource = self._nodes[Location(location.document, "")].base, ""
        for depth in range(len(parts), -1, -1):
            known = self._nodes.get(Location(location.document, join("", *parts[:depth])))
            if known is not None:
                base, resource = known.base, known.resource
                break
        if isinstance(value, dict) and isinstance(value.get("$id"), str):
            base = resolve_uri(value["$id"], base)
            resource = _strip_fragment(base)
        return Target(location, value, base, resource)

    def resolve(self, ref: str, base: str) -> Target:
        """What ``ref`` (a ``$ref`` value at a place of base URI ``base``) names;
        ``RefError`` when nothing here has that URI."""
        uri = resolve_uri(ref, base)
        resource, _, fragment = uri.partition("#")
        if resource not in self.resources:
            self._index_bundled()
        if resource not in self.resources:
            named = "" if resource == ref else f" ({resource})"
            raise RefError(f"{ref!r}{named} is in neither the document nor the metaschema")
        start = self.resources[resource]
        if fragment == "" or fragment.startswith("/"):
            pointer = unquote(fragment)
            location = Location(start.document, start.pointer + pointer)
            try:
                return self.at(location)
            except LookupError:
                raise RefError(f"{ref!r}: nothing at {pointer!r} of {resource!r}") from None
        anchor = self.anchors.get(f"{resource}#{unquote(fragment)}")
        if anchor is None:
            raise RefError(f"{ref!r}: no anchor {fragment!r} in {resource!r}")
        return self.at(anchor)

    def dynamic_target(self, ref: str, base: str, scope: Sequence[str]) -> Target:
        """What ``$dynamicRef: ref`` names, evaluated through the resources ``scope``
        (their URIs, outermost first)."""
        target = self.resolve(ref, base)
        fragment = resolve_uri(ref, base).partition("#")[2]
        name = unquote(fragment)
        if not name or name.startswith("/"):
            return target
        if self.dynamic_anchors.get(f"{target.resource}#{name}") != target.location:
            return target  # the initial target must itself be that dynamic anchor
        for resource in scope:
            found = self.dynamic_anchors.get(f"{resource}#{name}")
            if found is not None:
                return self.at(found)
        return target

    def dynamic_names(self, resource: str) -> frozenset[str]:
        """The ``$dynamicAnchor`` names resource ``resource`` declares."""
        prefix = resource + "#"
        return frozenset(k[len(prefix) :] for k in self.dynamic_anchors if k.startswith(prefix))

    def uses_dynamic_refs(self) -> bool:
        """Whether any schema of the document, or of the bundled metaschema once a
        reference reached it, has a ``$dynamicRef``."""
        return self._dynamic


def _resolve_tokens(document: Any, parts: list[str], location: Location) -> Any:
    node = document
    for token in parts:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise LookupError(location.pointer)
    return node


def _children(pointer: str, node: Any) -> Iterator[tuple[str, Any]]:
    """The sub-schemas directly inside ``node`` (the keywords that hold schemas; data
    such as ``enum`` or ``const`` never does, so an ``$id`` there names nothing)."""
    if not isinstance(node, dict):
        return
    for keyword in SCHEMA_KEYWORDS:
        if isinstance(node.get(keyword), (dict, bool)):
            yield join(pointer, keyword), node[keyword]
    for keyword in SCHEMA_MAPS:
        if isinstance(node.get(keyword), dict):
            for name, sub in node[keyword].items():
                yield join(pointer, keyword, name), sub
    for keyword in SCHEMA_LISTS:
        if isinstance(node.get(keyword), list):
            for i, sub in enumerate(node[keyword]):
                yield join(pointer, keyword, i), sub
