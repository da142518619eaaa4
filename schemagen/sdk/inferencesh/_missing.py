"""Stub fallback for the names the bundled surface does not provide.

Apps import many more SDK names than schemas need (``build_openai_messages``,
``stream_generate``, clients, storage helpers, ...).  Each module of the bundled
surface answers those names the way a stubbed module would, so the app imports;
the loader reports a stub that reaches a schema as contamination.
"""

from collections.abc import Callable
from typing import Any


def stub_getattr(module_name: str, namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``module_name`` that stubs unknown names.

    The stub is stored in ``namespace`` (the module's globals) so that every
    access to the same name returns the same object, as a real attribute would.
    """

    def __getattr__(name: str) -> Any:
        # Dunder probes (__path__, __wrapped__, __file__, ...) must stay missing,
        # or the import system and inspect mistake the module for something else.
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        try:
            from schemagen.loader.child.stubs import stub_value
        except ImportError:  # outside the loader's child process
            raise AttributeError(
                f"module {module_name!r} has no attribute {name!r} "
                "(schemagen's bundled inferencesh surface does not provide it)"
            ) from None
        value = stub_value(f"{module_name}.{name}")
        namespace[name] = value
        return value

    return __getattr__
