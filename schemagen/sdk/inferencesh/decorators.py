"""``inferencesh.function``: per-function metadata (an extension of this surface).

inferencesh 0.7.15 has no such decorator; later SDKs (checked against 0.36.0's
``inferencesh/decorators.py``) do, and apps written for them import it.  It is
provided here so those apps load in bundled mode; discovery copies the metadata
into the function's entry (SPEC.md section 2).

``@function(credentials=..., annotations=...)`` sets ``__inferencesh_function__``
on the method to ``{"credentials": [...], "annotations": {...}}`` (only the keys
given) and returns the method unchanged.  Credentials are normalised as the SDK
does: a dict keyed by slug, a list of entries, or bare slugs (a dotted string is
a capability ``<slug>.<name>``); the older keys ``provider`` (a string), ``key``,
``name`` and ``website`` fold into ``slug``, ``capabilities`` and ``provider``.
A malformed declaration raises TypeError or ValueError at decoration time.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ._missing import stub_getattr

F = TypeVar("F", bound=Callable[..., Any])

FUNCTION_META_ATTR = "__inferencesh_function__"

# A normalised credential entry, keys in this order (as the SDK writes it).
CREDENTIAL_KEYS = ("slug", "capabilities", "description", "optional", "secrets", "scopes", "provider", "auth")  # fmt: skip  # noqa: E501
PROVIDER_SEED_KEYS = ("slug", "name", "description", "website", "logo_uri", "docs_uri", "tos_uri", "policy_uri")  # fmt: skip  # noqa: E501
_LEGACY_CREDENTIAL_KEYS = ("key", "name", "website")
_ANNOTATION_HINT_KEYS = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")
_ANNOTATION_KEYS = ("title", *_ANNOTATION_HINT_KEYS)


def function(
    *, credentials: Any = None, annotations: Mapping[str, Any] | None = None
) -> Callable[[F], F]:
    """Declare a function's credentials and MCP tool annotations."""
    meta: dict[str, Any] = {}
    if credentials is not None:
        meta["credentials"] = normalize_credentials(credentials)
    if annotations is not None:
        checked = _check_annotations(annotations)
        if checked:
            meta["annotations"] = checked

    def decorate(fn: F) -> F:
        if not callable(fn):
            raise TypeError(f"@function decorates a method, got {type(fn).__name__}")
        setattr(fn, FUNCTION_META_ATTR, meta)
        return fn

    return decorate


def normalize_credentials(
    credentials: Any, where: str = "@function credentials"
) -> list[dict[str, Any]]:
    """Every accepted form of a credentials declaration as the list of entries."""
    if isinstance(credentials, Mapping):
        if not credentials:
            raise ValueError(f"{where}: empty; omit credentials to use the app-wide list")
        entries = []
        for slug, entry in credentials.items():
            if not isinstance(slug, str) or not slug:
                raise TypeError(f"{where}: keys must be credential slugs")
            if entry is not None and not isinstance(entry, dict):
                raise TypeError(f"{where}[{slug!r}]: expected a dict, got {type(entry).__name__}")
            entries.append(_credential(f"{where}[{slug!r}]", entry or {}, slug_from_key=slug))
        return entries
    if isinstance(credentials, (str, bytes)) or not isinstance(credentials, Sequence):
        raise TypeError(
            f"{where}: expected a dict keyed by slug or a list of entries, "
            f"got {type(credentials).__name__}"
        )
    if not credentials:
        raise ValueError(f"{where}: empty list; omit credentials to use the app-wide list")
    return [_credential(f"{where}[{i}]", entry) for i, entry in enumerate(credentials)]


def _credential(where: str, entry: Any, slug_from_key: str = "") -> dict[str, Any]:
    """One entry, in any accepted spelling, as the normalised dict."""
    if isinstance(entry, str):  # a bare slug, or a capability when dotted
        entry = {"key": entry} if "." in entry else {"slug": entry}
    if not isinstance(entry, dict):
        raise TypeError(f"{where}: expected a dict or a slug, got {type(entry).__name__}")
    _reject_unknown(where, entry, CREDENTIAL_KEYS + _LEGACY_CREDENTIAL_KEYS, CREDENTIAL_KEYS)
    for key in ("slug", "description", *_LEGACY_CREDENTIAL_KEYS):
        _check_type(where, entry, key, str)
    _check_type(where, entry, "optional", bool)

    slug = entry.get("slug") or ""
    provider_seed: dict[str, Any] = {}
    provider = entry.get("provider")
    if isinstance(provider, str):  # the older form: provider was the slug
        if slug and provider != slug:
            raise ValueError(f"{where}: slug {slug!r} and provider {provider!r} disagree")
        slug = provider
    elif provider is not None:
        provider_seed = _provider_seed(f"{where}.provider", provider)
    for key in ("name", "website"):
        if entry.get(key):
            provider_seed.setdefault(key, entry[key])

    capabilities = _str_list(where, entry, "capabilities")
    capability = entry.get("key")
    if capability:
        if capability not in capabilities and "." in capability:
            capabilities.append(capability)
        slug = slug or capability.split(".", 1)[0]
    if slug_from_key:
        if slug and slug != slug_from_key:
            raise ValueError(f"{where}: entry says slug {slug!r} but is keyed as {slug_from_key!r}")
        slug = slug_from_key
    if not slug:
        raise ValueError(f"{where}: set 'slug' or a capability under 'capabilities'")
    for name in capabilities:
        if "." not in name:
            raise ValueError(f"{where}: capability {name!r} is not <slug>.<name>")
    auth = entry.get("auth")
    if auth is not None and not isinstance(auth, dict):
        raise TypeError(f"{where}.auth: expected a dict, got {type(auth).__name__}")

    normalised: dict[str, Any] = {"slug": slug}
    if capabilities:
        normalised["capabilities"] = capabilities
    if entry.get("description"):
        normalised["description"] = entry["description"]
    if "optional" in entry:
        normalised["optional"] = entry["optional"]
    for key in ("secrets", "scopes"):
        if values := _str_list(where, entry, key):
            normalised[key] = values
    if provider_seed:
        normalised["provider"] = provider_seed
    if auth:
        normalised["auth"] = dict(auth)
    return normalised


def _provider_seed(where: str, seed: Any) -> dict[str, Any]:
    if not isinstance(seed, dict):
        raise TypeError(f"{where}: expected a dict, got {type(seed).__name__}")
    _reject_unknown(where, seed, PROVIDER_SEED_KEYS, PROVIDER_SEED_KEYS)
    for key in seed:
        _check_type(where, seed, key, str)
    return {key: seed[key] for key in PROVIDER_SEED_KEYS if seed.get(key)}


def _check_annotations(annotations: Any) -> dict[str, Any]:
    where = "@function annotations"
    if not isinstance(annotations, dict):
        raise TypeError(f"{where}: expected a dict, got {type(annotations).__name__}")
    _reject_unknown(where, annotations, _ANNOTATION_KEYS, _ANNOTATION_KEYS)
    _check_type(where, annotations, "title", str)
    for key in _ANNOTATION_HINT_KEYS:
        if annotations.get(key) is not None:
            _check_type(where, annotations, key, bool)
    # None means "not declared": dropped so the schema omits the hint.
    return {key: value for key, value in annotations.items() if value is not None}


def _reject_unknown(
    where: str, mapping: Mapping[Any, Any], accepted: tuple[str, ...], shown: tuple[str, ...]
) -> None:
    unknown = sorted(str(key) for key in mapping if key not in accepted)
    if unknown:
        raise ValueError(f"{where}: unknown keys {unknown}; allowed: {list(shown)}")


def _check_type(where: str, mapping: Mapping[str, Any], key: str, expected: type) -> None:
    if key in mapping and not isinstance(mapping[key], expected):
        raise TypeError(
            f"{where}.{key}: expected a {expected.__name__}, got {type(mapping[key]).__name__}"
        )


def _str_list(where: str, entry: Mapping[str, Any], key: str) -> list[str]:
    if key not in entry:
        return []
    value = entry[key]
    if not isinstance(value, (list, tuple)) or not all(isinstance(s, str) for s in value):
        raise TypeError(f"{where}.{key}: expected a list of strings")
    return list(value)


__all__ = ["function", "normalize_credentials", "FUNCTION_META_ATTR"]

__getattr__ = stub_getattr(__name__, globals())
