"""Front end: an app folder in, a Manifest out.

``parent`` runs in the schemagen process: it locates the app, starts the
child (``child``) and turns its reply into a Manifest or an error. The child
imports the app with ``stubs`` for missing modules and compiles it with
``discovery``. ``api`` is what the rest of schemagen uses (and the names below
are its, imported on first use). This package file stays empty of imports: the
child imports it first, and every millisecond here is paid once per extracted app.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_PARENT_NAMES = frozenset(
    {"LoadOptions", "LoadResult", "AppLocation", "SDK_MODES", "SdkMode", "load_app", "locate_app"}
)


def __getattr__(name: str) -> Any:
    if name in _PARENT_NAMES:
        from schemagen.loader import api

        return getattr(api, name)
    raise AttributeError(name)
