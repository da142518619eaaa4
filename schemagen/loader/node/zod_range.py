"""Which of schemagen's vendored zods an app's ``package.json`` would get from npm.

npm installs the highest published version its range allows: the app's
lockfile says which when there is one (``package-lock.json``); else the
range is matched against the two versions schemagen carries, the higher
one that satisfies it winning, as npm's pick would be of the same major
(``latest``, ``*`` and ``>=3 <5`` are zod 4, ``^3.23.0`` zod 3). npm's
range grammar, without prereleases: ``||`` alternatives of space-separated
comparators (``^``, ``~``, ``>=``, ``>``, ``<=``, ``<``, ``=``, x-ranges,
``A - B``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

Version = tuple[int, int, int]

_PART = r"(\d+|[xX*])"
_COMPARATOR = re.compile(
    rf"(\^|~>?|>=|<=|>|<|=)?\s*v?{_PART}(?:\.{_PART})?(?:\.{_PART})?(?:-[0-9A-Za-z.-]+)?(?:\+\S*)?"
)
_HYPHEN = re.compile(r"^\s*(\S+)\s+-\s+(\S+)\s*$")


def locked_major(app_dir: Path) -> int | None:
    """The major version of zod the app's package-lock.json installs, if it names one."""
    try:
        lock = json.loads((app_dir / "package-lock.json").read_text(encoding="utf-8"))
        version = lock["packages"]["node_modules/zod"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    found = re.match(r"(\d+)\.", version) if isinstance(version, str) else None
    return int(found.group(1)) if found else None


def parse_version(text: str) -> Version:
    """``"3.25.76"`` as ``(3, 25, 76)``."""
    major, minor, patch = (int(part) for part in text.split("-")[0].split(".")[:3])
    return (major, minor, patch)


def best_match(spec: str, candidates: list[Version]) -> Version | None:
    """The highest of ``candidates`` the npm range ``spec`` allows, or None."""
    spec = spec.strip().rsplit("@", 1)[-1] if spec.startswith("npm:") else spec.strip()
    if spec in ("", "latest"):
        spec = "*"
    allowed = [v for v in candidates if any(_allows(alt, v) for alt in spec.split("||"))]
    return max(allowed, default=None)


def _allows(alternative: str, version: Version) -> bool:
    hyphen = _HYPHEN.match(alternative)
    if hyphen:
        low, high = _parts(hyphen.group(1)), _parts(hyphen.group(2))
        return low is not None and high is not None and _ge(version, low) and _le(version, high)
    comparators = list(_COMPARATOR.finditer(alternative))
    return bool(comparators) and all(_allows_one(m, version) for m in comparators)


def _parts(text: str) -> list[int] | None:
    match = _COMPARATOR.fullmatch(text.strip())
    return None if match is None else _numbers(match)


def _numbers(match: re.Match[str]) -> list[int]:
    """The leading numeric parts of a comparator's version (``3.x`` is ``[3]``)."""
    numbers = []
    for part in match.groups()[1:4]:
        if part is None or not part.isdigit():
            break
        numbers.append(int(part))
    return numbers


def _ge(version: Version, parts: list[int]) -> bool:
    return list(version[: len(parts)]) >= parts


def _le(version: Version, parts: list[int]) -> bool:
    return list(version[: len(parts)]) <= parts


def _allows_one(match: re.Match[str], version: Version) -> bool:
    operator, parts = match.group(1) or "", _numbers(match)
    if not parts:  # *, x
        return operator not in ("<", ">")
    head = list(version[: len(parts)])
    if operator == "^":
        # Up to the first non-zero part stays fixed (^0.3 is <0.4, ^3.2 is <4).
        fixed = next((i + 1 for i, p in enumerate(parts) if p != 0), len(parts))
        return head >= parts and list(version[:fixed]) == parts[:fixed]
    if operator.startswith("~"):
        fixed = 2 if len(parts) >= 2 else 1
        return head >= parts and list(version[:fixed]) == parts[:fixed]
    if operator == ">=":
        return head >= parts
    if operator == ">":
        return head > parts
    if operator == "<=":
        return head <= parts
    if operator == "<":
        return head < parts
    return head == parts  # "=", or a bare (x-)version
