"""Strings that match a regular expression, for building witnesses.

JSON Schema's ``pattern`` is a search (unanchored). This walks the parse tree of
Python's ``re`` and produces a handful of different matching strings: shortest
repetitions, longer ones, other branches and other characters of each class.
Every string is confirmed with ``re.search`` before it is returned.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Any

if sys.version_info >= (3, 11):
    import re._parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse

# Characters tried for a class, in order; the first ones make readable witnesses.
_ALPHABET = "aZ0_ -.b1yA9/:@~!#%&xz" + "".join(chr(c) for c in range(32, 127))
_CATEGORY = {
    "CATEGORY_DIGIT": "0159",
    "CATEGORY_NOT_DIGIT": "aZ_ -",
    "CATEGORY_SPACE": " \t",
    "CATEGORY_NOT_SPACE": "aZ0_-",
    "CATEGORY_WORD": "aZ0_",
    "CATEGORY_NOT_WORD": "- .!",
}


class _Unsupported(Exception):
    pass


def _class_chars(items: list[Any]) -> list[str]:
    """Characters a character class matches, from a small alphabet."""
    negate = False
    accepted: set[str] = set()
    ranges: list[tuple[int, int]] = []
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            accepted.add(chr(arg))
        elif name == "RANGE":
            ranges.append(arg)
        elif name == "CATEGORY":
            accepted |= set(_CATEGORY.get(str(arg), ""))
        else:
            raise _Unsupported(name)

    def in_class(ch: str) -> bool:
        return ch in accepted or any(lo <= ord(ch) <= hi for lo, hi in ranges)

    if negate:
        return [ch for ch in _ALPHABET if not in_class(ch)][:4]
    chars = sorted(accepted, key=lambda c: (_ALPHABET.find(c) if c in _ALPHABET else 999, c))
    for lo, hi in ranges:
        chars += [chr(lo), chr(hi), chr((lo + hi) // 2)]
    seen: list[str] = []
    for ch in chars:
        if ch not in seen:
            seen.append(ch)
    return seen


def _generate(tokens: Any, variant: int, groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, arg in tokens:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append(next(ch for ch in _ALPHABET if ord(ch) != arg))
        elif name == "ANY":
            out.append("ab"[variant % 2])
        elif name == "IN":
            chars = _class_chars(arg)
            if not chars:
                raise _Unsupported("empty class")
            out.append(chars[variant % len(chars)])
        elif name == "BRANCH":
            branches = arg[1]
            out.append(_generate(branches[variant % len(branches)], variant // 2, groups))
        elif name == "SUBPATTERN":
            text = _generate(arg[-1], variant, groups)
            if arg[0] is not None:
                groups[arg[0]] = text
            out.append(text)
        elif name == "ATOMIC_GROUP":
            out.append(_generate(arg, variant, groups))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = arg
            extra = (0, 1, 2, 5, 20)[variant % 5]
            count = low + extra
            if str(high) != "MAXREPEAT":
                count = min(count, high)
            out.append("".join(_generate(body, variant + i, groups) for i in range(count)))
        elif name == "GROUPREF":
            out.append(groups.get(arg, ""))
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # anchors and lookarounds add nothing; re.search confirms
        else:
            raise _Unsupported(name)
    return "".join(out)


@lru_cache(maxsize=512)
def regex_samples(pattern: str, limit: int = 12) -> tuple[str, ...]:
    """Up to ``limit`` different strings ``re.search(pattern, s)`` accepts."""
    try:
        compiled = re.compile(pattern)
        tree = _sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return ()
    found: list[str] = []
    for variant in range(limit * 4):
        try:
            text = _generate(tree, variant, {})
        except (_Unsupported, StopIteration, RecursionError):
            break
        if len(text) <= 200 and compiled.search(text) and text not in found:
            found.append(text)
            if len(found) >= limit:
                break
    return tuple(found)
