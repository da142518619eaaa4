"""Line breaking for generated Python, the way ruff format breaks lines.

Generated statements are built on one line; ``fit`` lays a line that is too long out
as ``ruff format`` (stable style) would, so that ruff leaves the generated module as
it is. The line is parsed into the small expression language the emitters write
(names, literals, calls, subscripts, ``|`` unions, lambdas, list/dict/tuple
displays, parameters) and rendered through a document of groups, as ruff's own
printer works (``schemagen/emit/python/doc.py``):

- brackets hold their contents on one indented line when they fit there, else one
  element per line with a trailing comma (a single element takes none);
- a ``|`` union breaks before each ``|``; where no bracket encloses it (an
  annotation, a lambda's body, a right-hand side) it is parenthesized first;
- ``name: T = value`` first tries the whole line, then splits the value's brackets,
  then parenthesizes the value, and only then splits the annotation; a ``def``
  splits its parameters.

A line the parser does not know is returned as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from schemagen.emit.python.doc import (
    HARD,
    SOFT,
    SPACE,
    BestFit,
    Doc,
    Group,
    IfBreaks,
    Indent,
    render,
    text_width,
)

WIDTH = 88

# -- the expression language ---------------------------------------------------------------


@dataclass
class Atom:
    """A name, number, string or ``...``."""

    text: str


@dataclass
class Attribute:
    value: Expr
    name: str


@dataclass
class Prefix:
    """``await x``, ``*x``, ``**x``, ``-x``: an operator written before its operand."""

    op: str
    operand: Expr


@dataclass
class Keyword:
    """``name=value`` in a call."""

    name: str
    value: Expr


@dataclass
class Pair:
    """``key: value`` in a dict display."""

    key: Expr
    value: Expr


@dataclass
class Brackets:
    """A call's arguments, a subscript's slice, or a list/dict/tuple display."""

    open: str
    items: list[Expr]
    trailing_comma: bool = False


@dataclass
class Applied:
    """``func(args)`` or ``value[slice]``: an expression followed by brackets."""

    func: Expr
    args: Brackets


@dataclass
class Union:
    operands: list[Expr]


@dataclass
class Lambda:
    body: Expr


@dataclass
class Param:
    """A ``def`` parameter: ``name``, ``name: T``, ``name: T = d``, ``*``, ``/``."""

    name: str
    annotation: Expr | None = None
    default: Expr | None = None


Expr = Atom | Attribute | Prefix | Keyword | Pair | Brackets | Applied | Union | Lambda | Param


class Unknown(Exception):
    """The line is not in the language ``fit`` knows."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>[rRbBuUfF]{0,2}(?:\"\"\"|'''|"|'))
    | (?P<number>(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?j?)
    | (?P<name>[^\W\d]\w*)
    | (?P<op>\.\.\.|->|\*\*|[()\[\]{},:=|*/.\-@])
    )""",
    re.VERBOSE,
)
_CLOSE = {"(": ")", "[": "]", "{": "}"}


def _tokens(line: str) -> list[str]:
    tokens: list[str] = []
    i = 0
    while i < len(line):
        if line[i:].isspace():
            break
        match = _TOKEN.match(line, i)
        if match is None:
            raise Unknown(line[i:])
        if match.group("string") is not None:
            start = match.start("string")
            quote_at = start + len(match.group("string").rstrip("\"'"))
            end = _string_end(line, quote_at)
            tokens.append(line[start:end])
            i = end
            continue
        tokens.append(match.group(match.lastgroup or "op"))
        i = match.end()
    return tokens


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
    raise Unknown("an unterminated string")


class _Parser:
    def __init__(self, line: str) -> None:
        self.tokens = _tokens(line)
        self.at = 0

    def peek(self, ahead: int = 0) -> str:
        i = self.at + ahead
        return self.tokens[i] if i < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if not token or expected is not None and token != expected:
            raise Unknown(f"expected {expected!r}, found {token!r}")
        self.at += 1
        return token

    def done(self) -> bool:
        return self.at == len(self.tokens)

    def end(self) -> None:
        if not self.done():
            raise Unknown(f"unexpected {self.peek()!r}")

    def name(self) -> str:
        token = self.take()
        if not token.isidentifier():
            raise Unknown(f"expected a name, found {token!r}")
        return token

    def expr(self) -> Expr:
        if self.peek() == "lambda":  # the emitters' lambdas take no parameters
            self.take()
            self.take(":")
            return Lambda(self.expr())
        operands = [self.prefixed()]
        while self.peek() == "|":
            self.take()
            operands.append(self.prefixed())
        return operands[0] if len(operands) == 1 else Union(operands)

    def prefixed(self) -> Expr:
        if self.peek() == "await":
            return Prefix(self.take() + " ", self.prefixed())
        if self.peek() in ("-", "*", "**"):
            return Prefix(self.take(), self.prefixed())
        return self.postfixed()

    def postfixed(self) -> Expr:
        value = self.atom()
        while self.peek() in (".", "(", "["):
            if self.take() == ".":
                value = Attribute(value, self.name())
            else:
                self.at -= 1
                value = Applied(value, self.brackets())
        return value

    def atom(self) -> Expr:
        token = self.peek()
        if token in _CLOSE:
            return self.brackets()
        self.take()
        if token[0] in "\"'" or token[0].isalnum() or token[0] in "_." or token == "...":
            return Atom(token)
        raise Unknown(f"unexpected {token!r}")

    def brackets(self, parse_item: Callable[[], Expr] | None = None) -> Brackets:
        opening = self.take()
        items: list[Expr] = []
        trailing = False
        while self.peek() != _CLOSE[opening]:
            items.append((parse_item or self.item)())
            trailing = self.peek() == ","
            if trailing:
                self.take()
            elif self.peek() != _CLOSE[opening]:
                raise Unknown(f"expected ',' or {_CLOSE[opening]!r}")
        self.take()
        return Brackets(opening, items, trailing)

    def item(self) -> Expr:
        if self.peek().isidentifier() and self.peek(1) == "=":
            name = self.take()
            self.take("=")
            return Keyword(name, self.expr())
        value = self.expr()
        if self.peek() == ":":
            self.take()
            return Pair(value, self.expr())
        return value

    def param(self) -> Param:
        if self.peek() in ("*", "/"):
            star = self.take()
            if star == "*" and self.peek().isidentifier():
                return self.named_param("*")
            return Param(star)
        if self.peek() == "**":
            self.take()
            return self.named_param("**")
        return self.named_param("")

    def named_param(self, star: str) -> Param:
        param = Param(star + self.name())
        if self.peek() == ":":
            self.take()
            param.annotation = self.expr()
        if self.peek() == "=":
            self.take()
            param.default = self.expr()
        return param


# -- expressions to documents ---------------------------------------------------------------


def expr_doc(node: Expr) -> Doc:
    """``node`` inside brackets: unions break without parentheses of their own."""
    if isinstance(node, Atom):
        return node.text
    if isinstance(node, Attribute):
        return [expr_doc(node.value), "." + node.name]
    if isinstance(node, Prefix):
        return [node.op, expr_doc(node.operand)]
    if isinstance(node, Keyword):
        return [node.name + "=", expr_doc(node.value)]
    if isinstance(node, Pair):
        return [expr_doc(node.key), ": ", expr_doc(node.value)]
    if isinstance(node, Brackets):
        return brackets_doc(node, inner_group=False)
    if isinstance(node, Applied):
        return [expr_doc(node.func), brackets_doc(node.args, inner_group=True)]
    if isinstance(node, Union):
        parts: list[Doc] = [expr_doc(node.operands[0])]
        for operand in node.operands[1:]:
            parts += [SPACE, "| ", expr_doc(operand)]
        return Group(parts)
    if isinstance(node, Lambda):
        # A body that does not fit after ``lambda:`` (deep in a nesting) splits its own
        # brackets if their opening fits there, else is parenthesized; a name is
        # parenthesized even when it does not fit then either (as ruff does).
        if isinstance(node.body, (Atom, Attribute)):
            body = Indent([SOFT, expr_doc(node.body)])
            return ["lambda: ", Group([IfBreaks("("), body, SOFT, IfBreaks(")")])]
        return value_after("lambda: ", node.body)
    return param_doc(node)


def brackets_doc(node: Brackets, inner_group: bool) -> Doc:
    """Brackets hug nothing: contents on one indented line, else one item per line.

    A call's or subscript's items are a group of their own (so they may share one
    line inside broken brackets); a display's are not (a broken list is one item per
    line). A trailing comma is added only to two items or more; one already there
    (a magic trailing comma) keeps the brackets broken."""
    close = _CLOSE[node.open]
    if not node.items:
        return node.open + close
    one_tuple = node.open == "(" and not inner_group and len(node.items) == 1
    entries: list[Doc] = []
    for i, item in enumerate(node.items):
        if i:
            entries += [",", SPACE]
        entries.append(expr_doc(item))
    if one_tuple:
        entries.append(",")
    elif len(node.items) > 1 or node.trailing_comma:
        entries.append(IfBreaks(","))
    magic = node.trailing_comma and not one_tuple
    contents: Doc = Group(entries, expand=magic) if inner_group else entries
    return Group([node.open, Indent([SOFT, contents]), SOFT, close], expand=magic)


def param_doc(node: Param) -> Doc:
    if node.annotation is None:
        return node.name if node.default is None else [node.name, "=", expr_doc(node.default)]
    parts: list[Doc] = [node.name + ": ", expr_doc(node.annotation)]
    if node.default is not None:
        parts += [" = ", expr_doc(node.default)]
    return parts


def parenthesized_if_union(node: Expr) -> Doc:
    """A union where no bracket encloses it gets parentheses when it breaks."""
    if isinstance(node, Union):
        return Group([IfBreaks("("), Indent([SOFT, expr_doc(node)]), SOFT, IfBreaks(")")])
    return expr_doc(node)


def _core(node: Expr) -> Expr:
    return _core(node.operand) if isinstance(node, Prefix) else node


def _ends_in_brackets(node: Expr) -> bool:
    """A call or subscript (not a display): ruff splits its brackets before adding
    parentheses around it."""
    core = _core(node)
    return (
        isinstance(core, Applied) or isinstance(core, Attribute) and _ends_in_brackets(core.value)
    )


def _parenthesized(head: Doc, value: Expr) -> Doc:
    return [head, "(", Indent([HARD, expr_doc(value)]), HARD, ")"]


def _expanded(head: Doc, value: Expr) -> Doc:
    return [head, Group(expr_doc(value), expand=True)]


def value_after(head: Doc, value: Expr) -> Doc:
    """``head`` (unsplittable: ``x = ``, ``return ``) followed by ``value``."""
    if _ends_in_brackets(value):
        flat = [head, expr_doc(value)]
        return BestFit([flat, _expanded(head, value), _parenthesized(head, value)])
    if isinstance(_core(value), (Atom, Attribute)):
        # Parentheses only when they make the value fit.
        flat = [head, expr_doc(value)]
        return BestFit([flat, _parenthesized(head, value), flat], all_lines=True)
    return [head, parenthesized_if_union(value)]


def annotated_value(target: str, annotation: Expr, value: Expr) -> Doc:
    """``target: annotation = value`` with a splittable annotation: the whole line,
    else the value split (or parenthesized), and the annotation split last."""
    left: Doc = [target + ": ", parenthesized_if_union(annotation), " = "]
    if _ends_in_brackets(value):
        flat = [left, expr_doc(value)]
        return BestFit([flat, _expanded(left, value), _parenthesized(left, value), flat])
    # A name, number or string (not ``-1`` nor ``...``: they split the annotation).
    if isinstance(value, (Atom, Attribute)) and value != Atom("..."):
        flat = [left, expr_doc(value)]
        return BestFit([flat, _parenthesized(left, value), flat])
    return [left, parenthesized_if_union(value)]


def statement_doc(line: str) -> Doc:
    """The document of one statement: a ``def`` or ``class`` line, a ``return``, an
    assignment or an annotated one. Raises ``Unknown`` for anything else."""
    parser = _Parser(line)
    if parser.peek() in ("def", "async"):
        return _def_doc(parser)
    if parser.peek() == "class":
        parser.take()
        head = "class " + parser.name()
        bases = parser.brackets() if parser.peek() == "(" else None
        parser.take(":")
        parser.end()
        return [head, brackets_doc(bases, inner_group=True) if bases else "", ":"]
    if parser.peek() == "return":
        parser.take()
        value = parser.expr()
        parser.end()
        return value_after("return ", value)
    return _assignment_doc(parser)


def _def_doc(parser: _Parser) -> Doc:
    """A signature splits its parameters; the return annotation stays whole."""
    head = parser.take()
    if head == "async":
        head += " " + parser.take("def")
    head += " " + parser.name()
    params = parser.brackets(parser.param)
    tail = ""
    if parser.peek() == "->":
        parser.take()
        tail = " -> " + _flat(parser.expr())
    parser.take(":")
    tail += ":"
    if parser.peek() == "...":
        tail += " " + parser.take()
    parser.end()
    return Group([head, brackets_doc(params, inner_group=True), tail])


def _assignment_doc(parser: _Parser) -> Doc:
    target = parser.name()
    while parser.peek() == ".":
        target += parser.take() + parser.name()
    if parser.peek() == "=":
        parser.take()
        value = parser.expr()
        parser.end()
        return value_after(f"{target} = ", value)
    parser.take(":")
    annotation = parser.expr()
    if parser.done():
        return _annotation_only(target, annotation)
    parser.take("=")
    value = parser.expr()
    parser.end()
    if isinstance(_core(annotation), (Applied, Union)):
        return annotated_value(target, annotation, value)
    return value_after(f"{target}: {_flat(annotation)} = ", value)


def _annotation_only(target: str, annotation: Expr) -> Doc:
    if isinstance(annotation, Union) or not _ends_in_brackets(annotation):
        return [target + ": ", parenthesized_if_union(annotation)]
    return value_after(target + ": ", annotation)


def _flat(node: Expr) -> str:
    return render(expr_doc(node), "", width=1 << 30)


def fit(line: str, indent: str = "", width: int = WIDTH) -> str:
    """``line`` at ``indent``, split across lines as ruff format would when too long."""
    if len(indent) + text_width(line) <= width or "\n" in line:
        return indent + line
    try:
        doc = statement_doc(line)
    except Unknown:
        return indent + line
    return render(doc, indent, width)
