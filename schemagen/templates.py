"""The Jinja2 environment every back end renders its templates with.

Templates live in the repository's top-level ``templates/`` folder, which the
wheel ships as ``schemagen/templates``; both layouts are found here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

_PACKAGE_DIR = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """``schemagen/templates`` in an installed wheel, else the repository's ``templates/``."""
    packaged = _PACKAGE_DIR / "templates"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "templates"


@cache
def environment() -> jinja2.Environment:
    """Generated code is not HTML: no autoescape; trailing newlines are kept; a
    missing variable is an error, never an empty string. Templates are read once
    (no check of their files at every render)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        auto_reload=False,
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
