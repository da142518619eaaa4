"""Tool names: both formats take ``^[a-zA-Z0-9_-]{1,64}$``."""

from __future__ import annotations

import re

NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}\Z")
MAX_LENGTH = 64
_NOT_IN_NAME = re.compile(r"[^a-zA-Z0-9_-]")


def tool_names(functions: list[str]) -> dict[str, str]:
    """Each function's tool name: its own when it is one, else its characters outside
    the alphabet made ``_`` and the name cut to 64 (a function's name is a Python
    identifier: only its length keeps it from being a tool's), numbered on a clash."""
    names: dict[str, str] = {}
    taken = {name for name in functions if NAME.match(name)}
    for function in functions:
        if NAME.match(function):
            names[function] = function
            continue
        base = (_NOT_IN_NAME.sub("_", function) or "function")[:MAX_LENGTH]
        candidate, n = base, 2
        while candidate in taken:
            suffix = f"_{n}"
            candidate = base[: MAX_LENGTH - len(suffix)] + suffix
            n += 1
        taken.add(candidate)
        names[function] = candidate
    return names
