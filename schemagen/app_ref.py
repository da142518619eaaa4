"""The app reference typed clients call and ``schemagen serve`` answers to.

An app is called as ``namespace/name[@version]``. It comes from ``--app-ref`` or
from the app folder's ``inf.yml`` (its top-level ``namespace`` and ``name`` keys,
and ``version`` when present). ``inf.yml`` is read as the flat ``key: value`` YAML
these keys use; nothing else of it is interpreted.
"""

from __future__ import annotations

import re
from pathlib import Path

from schemagen.errors import UsageError

INF_YML = "inf.yml"
APP_REF_PATTERN = re.compile(r"[^/\s@]+/[^/\s@]+(@[^/\s@]+)?\Z")
_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*?)\s*\Z")


def check_app_ref(ref: str, *, where: str = "--app-ref") -> str:
    """``ref`` if it has the shape ``namespace/name[@version]``, else a UsageError."""
    if not APP_REF_PATTERN.match(ref):
        raise UsageError(
            f"{where}: {ref!r} is not an app reference",
            hint="write it as namespace/name or namespace/name@version",
        )
    return ref


def read_inf_yml(folder: Path) -> dict[str, str]:
    """The top-level scalar ``key: value`` pairs of ``folder/inf.yml`` ({} without one)."""
    path = folder / INF_YML
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line[0].isspace() or line.startswith(("#", "-")):
            continue
        match = _LINE.match(line.split(" #", 1)[0])
        if match is None or not match.group(2):
            continue
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[match.group(1)] = value
    return values


def app_ref_from_folder(source: Path | None) -> str | None:
    """``namespace/name[@version]`` from the ``inf.yml`` of the app at ``source``.

    ``source`` is an app folder, a file in it (its ``inference.py``, a manifest), or
    None for the current folder. None when there is no ``inf.yml`` with both keys.
    """
    folder = Path.cwd() if source is None else source
    if folder.is_file():
        folder = folder.parent
    values = read_inf_yml(folder)
    namespace, name = values.get("namespace"), values.get("name")
    if not namespace or not name:
        return None
    ref = f"{namespace}/{name}"
    if values.get("version"):
        ref += f"@{values['version']}"
    return check_app_ref(ref, where=str(folder / INF_YML))


def resolve_app_ref(given: str | None, source: Path | None) -> str | None:
    """``--app-ref`` when given (checked), else the app folder's ``inf.yml``, else None."""
    if given is not None:
        return check_app_ref(given)
    return app_ref_from_folder(source)
