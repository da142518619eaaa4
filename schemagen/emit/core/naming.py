"""Naming, as every language's naming module provides it.

Each language folder owns its identifier rules and reserved words; what the
shared code needs of them is a ``Namer``: a namespace handing out unique names.
"""

from __future__ import annotations

import re
from typing import Protocol

# What a word of a name is made of: ASCII letters and digits, or accented letters too.
ASCII_LETTERS = "0-9A-Za-z"
UNICODE_LETTERS = "0-9A-Za-z\u00c0-\uffff"


class Namer(Protocol):
    """A namespace of one generated module: unique names, deterministically."""

    def allocate(self, wanted: str, *alternatives: str) -> str:
        """The first free name among ``wanted`` and ``alternatives`` (each made a valid
        name of the language), else a variant of ``wanted``; it is taken from then on."""
        ...


def words(name: str, letters: str = ASCII_LETTERS) -> list[str]:
    """The words of ``name``: split at characters outside ``letters`` (a regex class
    body) and at lower->Upper steps (``generate_image`` and ``generateImage``: two)."""
    found: list[str] = []
    for part in re.split(f"[^{letters}]+", name):
        found.extend(w for w in re.split(r"(?<=[a-z0-9])(?=[A-Z])", part) if w)
    return found


def pascal_words(name: str, letters: str = ASCII_LETTERS) -> str:
    """The words of ``name`` joined, each capitalised (``flux.1-dev``: ``Flux1Dev``)."""
    return "".join(w[0].upper() + w[1:] for w in words(name, letters))
