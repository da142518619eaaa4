"""Line breaking for generated Python, the way ruff format (and black) break lines.

Generated statements are built on one line; ``fit`` splits a line that is too long
at its brackets, so that ``ruff format`` leaves the generated module as it is:
a ``def`` splits at its parameters (left-hand split), anything else at its last
bracket pair (right-hand split); a bracket's contents go on one indented line when
they fit there, else one element per line with a trailing comma, each element
split again if needed.
"""

from __future__ import annotations

WIDTH = 88
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}


def _pairs(line: str) -> list[tuple[int, int]]:
    """(open, close) offsets of every bracket pair outside string literals."""
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch in "\"'":
            i = _string_end(line, i)
            continue
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            pairs.append((stack.pop(), i))
        i += 1
    return pairs


def _string_end(line: str, start: int) -> int:
    quote = line[start]
    triple = line.startswith(quote * 3, start)
    i = start + (3 if triple else 1)
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if triple and line.startswith(quote * 3, i):
            return i + 3
        if not triple and line[i] == quote:
            return i + 1
        i += 1
    return i


def _split_commas(body: str) -> list[str]:
    """``body`` split at its top-level commas (a trailing empty part dropped)."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(body):
        ch = body[i]
        if ch in "\"'":
            i = _string_end(body, i)
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
        i += 1
    last = body[start:].strip()
    if last:
        parts.append(last)
    return parts


def fit(line: str, indent: str = "", width: int = WIDTH) -> str:
    """``line`` at ``indent``, split across lines as ruff format would when too long."""
    if len(indent) + len(line) <= width or "\n" in line:
        return indent + line
    pairs = _pairs(line)
    if not pairs:
        return _parenthesize_value(line, indent, width)
    if line.startswith(("def ", "async def ")):
        opening, closing = min(pairs)
    else:
        closing = max(close for _, close in pairs)
        opening = next(o for o, c in pairs if c == closing)
    head, body, tail = line[: opening + 1], line[opening + 1 : closing], line[closing:]
    inner = indent + "    "
    if not body.strip():
        return indent + line
    parts = _split_commas(body)
    if len(inner) + len(body.strip()) <= width and not body.rstrip().endswith(","):
        middle = inner + body.strip()
    else:
        # A one-element subscript takes no trailing comma (it would make a tuple).
        comma = "" if head.endswith("[") and len(parts) == 1 else ","
        middle = "\n".join(fit(part + comma, inner, width) for part in parts)
    return f"{indent}{head}\n{middle}\n{indent}{tail}"


def _parenthesize_value(line: str, indent: str, width: int) -> str:
    """``name = value`` with a long bracket-free value: the value in parentheses on its
    own line, when that makes it fit (as ruff does); else the line as it is."""
    name, sep, value = line.partition(" = ")
    if not sep or len(indent) + 4 + len(value) > width:
        return indent + line
    return f"{indent}{name} = (\n{indent}    {value}\n{indent})"
