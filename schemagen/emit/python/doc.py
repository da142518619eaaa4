"""A document of groups and its printer: the model ruff's formatter (after prettier and
Wadler) lays code out with, reduced to what ``layout`` needs.

A document is text, line breaks, groups, indentation, text printed only when its group
breaks, and best-fitting alternatives. The printer keeps a group on one line when it
fits there *together with what follows it up to the next possible line break*; that
measure is what makes right-hand splits win (``x = f(`` splits the call, not the
assignment), as in ruff.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """A line break, or, in a group laid out flat: nothing (soft) or a space."""

    kind: str  # "soft", "space" or "hard" (always breaks)


SOFT = Line("soft")
SPACE = Line("space")
HARD = Line("hard")


@dataclass
class Group:
    """Contents laid out flat if they fit, else with every line break of theirs taken.
    ``expand``: always broken."""

    contents: Doc
    expand: bool = False


@dataclass
class Indent:
    contents: Doc


@dataclass
class IfBreaks:
    """Text printed only when the enclosing group is broken (a trailing comma)."""

    contents: Doc


@dataclass
class BestFit:
    """The first of ``variants`` whose first line (every line, with ``all_lines``) fits,
    printed flat but for its own hard breaks and expanded groups; else the last one,
    broken."""

    variants: list[Doc]
    all_lines: bool = False


Doc = str | Line | Group | Indent | IfBreaks | BestFit | list["Doc"]
_FLAT, _BREAK = False, True
_Command = tuple[int, bool, Doc]  # indentation, broken?, document


def text_width(text: str) -> int:
    """Columns ``text`` takes, as ruff counts them: wide East Asian characters and
    emoji take two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def render(doc: Doc, indent: str, width: int) -> str:
    """``doc`` printed at ``indent`` within ``width`` columns."""
    out: list[str] = [indent]
    column = len(indent)
    remeasure = False  # a line break was printed since the last measure
    stack: list[_Command] = [(len(indent), _BREAK, doc)]
    while stack:
        level, broken, node = stack.pop()
        children = _children(level, broken, node)
        if children is not None:
            stack.extend(reversed(children))
        elif isinstance(node, str):
            out.append(node)
            column += text_width(node)
        elif isinstance(node, Line):
            if broken or node.kind == "hard":
                out.append("\n" + " " * level)
                column = level
                remeasure = True
            elif node.kind == "space":
                out.append(" ")
                column += 1
        elif isinstance(node, Group):
            if node.expand:
                stack.append((level, _BREAK, node.contents))
            elif not broken and not remeasure:
                stack.append((level, _FLAT, node.contents))
            else:
                remeasure = False
                flat = _fits([(level, _FLAT, node.contents)], stack, width - column, width)
                stack.append((level, not flat, node.contents))
        elif isinstance(node, BestFit):
            if not broken and not remeasure:
                stack.append((level, _FLAT, node.variants[0]))
                continue
            remeasure = False
            for variant in node.variants[:-1]:
                command = (level, _FLAT, variant)
                if _fits([command], stack, width - column, width, node.all_lines):
                    stack.append(command)
                    break
            else:
                stack.append((level, _BREAK, node.variants[-1]))
    return "".join(out)


def _fits(
    commands: list[_Command], rest: list[_Command], room: int, width: int, all_lines: bool = False
) -> bool:
    """Whether ``commands``, then ``rest`` up to its next line break, fit in ``room``."""
    commands = list(commands)
    rest_at = len(rest)
    while room >= 0:
        if not commands:
            if rest_at == 0:
                return True
            rest_at -= 1
            commands.append(rest[rest_at])
            continue
        level, broken, node = commands.pop()
        children = _children(level, broken, node)
        if children is not None:
            commands.extend(reversed(children))
        elif isinstance(node, str):
            room -= text_width(node)
        elif isinstance(node, Line):
            if broken or node.kind == "hard":
                if not all_lines:
                    return True
                room = width - level
            elif node.kind == "space":
                room -= 1
        elif isinstance(node, Group):
            commands.append((level, broken or node.expand, node.contents))
        elif isinstance(node, BestFit):
            variant = node.variants[-1] if broken else node.variants[0]
            commands.append((level, broken, variant))
    return False


def _children(level: int, broken: bool, node: Doc) -> list[_Command] | None:
    """What a list, an indentation or a text-if-broken stands for, in order; None for
    the other nodes (printing and measuring treat those differently)."""
    if isinstance(node, list):
        return [(level, broken, child) for child in node]
    if isinstance(node, Indent):
        return [(level + 4, broken, node.contents)]
    if isinstance(node, IfBreaks):
        return [(level, broken, node.contents)] if broken else []
    return None
