"""JSON Schema's pattern dialect: ECMA-262 regular expressions with the ``u`` flag.

A ``pattern`` (and a ``patternProperties`` key) is an ECMA-262 regular expression,
used unanchored, with full Unicode (code point) semantics. The platform's
patterns are often written for Python's ``re``; this module tells the two apart
and translates a pattern into an ECMA-262 one that searches alike, for every
target that writes or checks patterns (zod's regex literals, OpenAPI's warnings).
The translation is written so that it can also stand between the slashes of a
``/…/u`` literal.
"""

from __future__ import annotations

import re


def ecma_pattern(pattern: str) -> str:
    """The ECMA-262 (``u`` flag) pattern that searches like the JSON Schema ``pattern``.

    Patterns written for Python's ``re`` are common, so its spellings with one exact
    meaning in ECMA-262 are rewritten (``(?P<n>…)``, ``(?P=n)``, ``\\A``, ``\\Z``,
    escaped non-syntax characters, literal ``{``/``}``/``]``). Such a pattern is
    Python's, so its classes keep Python's meaning too: ``\\d``, ``\\w``, ``\\s`` by
    Unicode property, ``.`` all but ``\\n``, ``$`` also before a final newline.
    Anything a ``u`` regex rejects or cannot say exactly raises ``RegexError``.
    """
    ecma = _RegexTranslator(pattern, python=False)
    body = ecma.translate()
    if ecma.pythonisms:
        body = _RegexTranslator(pattern, python=True).translate()
    return body


def is_ecma_pattern(pattern: str) -> bool:
    """Whether ``pattern`` is an ECMA-262 (``u`` flag) regular expression as written,
    with no spelling only Python's ``re`` knows."""
    translator = _RegexTranslator(pattern, python=False)
    try:
        translator.translate()
    except RegexError:
        return False
    return not translator.pythonisms


class RegexError(ValueError):
    """A JSON Schema pattern that has no exact ECMAScript (``u`` flag) equivalent."""


_SYNTAX_CHARS = set("^$\\.*+?()[]{}|/")
_CLASS_ESCAPES = set("dDwWsS")
_CONTROL_ESCAPES = {"f": "\\f", "n": "\\n", "r": "\\r", "t": "\\t", "v": "\\v"}


def _escape_literal_char(ch: str, *, in_class: bool = False) -> str:
    """One pattern character, as a literal, safe in a ``/…/u`` regex literal."""
    code = ord(ch)
    if ch in _SYNTAX_CHARS or (in_class and ch == "-"):
        return "\\" + ch
    if code < 0x20 or code in (0x2028, 0x2029, 0x7F) or 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\u{{{code:x}}}"
    return ch


# Python's str-pattern classes, spelled with Unicode properties (same Unicode version).
_PYTHON_ATOMS = {
    "d": "\\p{Nd}",
    "D": "\\P{Nd}",
    "w": "[\\p{L}\\p{N}_]",
    "W": "[^\\p{L}\\p{N}_]",
    "s": "(?:(?!\\ufeff)[\\s\\x1c-\\x1f\\x85])",
    "S": "(?:\\ufeff|[^\\s\\x1c-\\x1f\\x85])",
}
_PYTHON_CLASS_ITEMS = {"d": "\\p{Nd}", "w": "\\p{L}\\p{N}_"}


class _RegexTranslator:
    def __init__(self, pattern: str, *, python: bool) -> None:
        self.p = pattern
        self.python = python
        # Set when the pattern uses a spelling only Python's re accepts.
        self.pythonisms = False
        self.i = 0
        self.out: list[str] = []
        self.groups = 0
        self.names: set[str] = set()
        self.backrefs: list[int] = []
        self.named_backrefs: list[str] = []
        self.open_groups: list[str] = []
        # Whether the last emitted atom can take a quantifier.
        self.quantifiable = False

    def fail(self, what: str) -> RegexError:
        return RegexError(f"{what} at offset {self.i} of pattern {self.p!r}")

    def peek(self, n: int = 0) -> str:
        j = self.i + n
        return self.p[j] if j < len(self.p) else ""

    def translate(self) -> str:
        self._count_groups()
        while self.i < len(self.p):
            self._term()
        if self.open_groups:
            raise self.fail("unclosed group")
        for n in self.backrefs:
            if n > self.groups:
                raise self.fail(f"backreference \\{n} to a missing group")
        for name in self.named_backrefs:
            if name not in self.names:
                raise self.fail(f"backreference to a missing group {name!r}")
        return "".join(self.out)

    def _count_groups(self) -> None:
        # Capturing groups, for telling a backreference from an octal escape.
        i, in_class = 0, False
        while i < len(self.p):
            c = self.p[i]
            if c == "\\":
                i += 2
                continue
            if in_class:
                in_class = c != "]"
            elif c == "[":
                in_class = True
            elif c == "(" and (
                self.p[i + 1 : i + 2] != "?"
                or self.p[i + 1 : i + 4] == "?P<"
                or self.p[i + 1 : i + 3] == "?<"
                and self.p[i + 3 : i + 4] not in ("=", "!")
            ):
                self.groups += 1
            i += 1

    def _term(self) -> None:
        c = self.p[self.i]
        if c == "\\":
            self._escape()
        elif c == "[":
            self._class()
        elif c == "(":
            self._group_open()
        elif c == ")":
            if not self.open_groups:
                raise self.fail("unbalanced ')'")
            # A quantified lookaround is a SyntaxError with the u flag.
            self.quantifiable = self.open_groups.pop() not in ("(?=", "(?!", "(?<=", "(?<!")
            self.out.append(")")
            self.i += 1
        elif c in "*+?":
            self._quantifier(c)
        elif c == "{":
            m = re.match(r"\{(\d+)(,(\d*))?\}", self.p[self.i :])
            if m and self.quantifiable:
                lo, hi = int(m.group(1)), m.group(3)
                if hi and int(hi) < lo:
                    raise self.fail("quantifier range out of order")
                self.out.append(m.group(0))
                self.i += len(m.group(0))
                self._lazy_suffix()
                self.quantifiable = False
            elif m:
                raise self.fail("nothing to repeat")
            else:
                self.pythonisms = True
                self._literal("{")
        elif c in "}]":
            self.pythonisms = True
            self._literal(c)
        elif c == "$" and self.python:
            self.out.append("(?=\\n?$)")
            self.i += 1
            self.quantifiable = False
        elif c in "^$":
            self.out.append(c)
            self.i += 1
            self.quantifiable = False
        elif c == "|":
            self.out.append("|")
            self.i += 1
            self.quantifiable = False
        elif c == ".":
            self.out.append("[^\\n]" if self.python else ".")
            self.i += 1
            self.quantifiable = True
        else:
            self._literal(c)

    def _literal(self, ch: str) -> None:
        self.out.append(_escape_literal_char(ch))
        self.i += 1
        self.quantifiable = True

    def _quantifier(self, c: str) -> None:
        if not self.quantifiable:
            raise self.fail("nothing to repeat")
        self.out.append(c)
        self.i += 1
        self._lazy_suffix()
        self.quantifiable = False

    def _lazy_suffix(self) -> None:
        if self.peek() == "?":
            self.out.append("?")
            self.i += 1
        elif self.peek() == "+":
            raise self.fail("possessive quantifier")

    def _group_open(self) -> None:
        rest = self.p[self.i :]
        self.quantifiable = False
        for prefix in ("(?:", "(?=", "(?!", "(?<=", "(?<!"):
            if rest.startswith(prefix):
                self.open_groups.append(prefix)
                self.out.append(prefix)
                self.i += len(prefix)
                return
        m = re.match(r"\(\?P?<([A-Za-z_$][A-Za-z0-9_$]*)>", rest)
        if m:
            self.pythonisms = self.pythonisms or rest.startswith("(?P")
            if m.group(1) in self.names:
                raise self.fail(f"duplicate group name {m.group(1)!r}")
            self.names.add(m.group(1))
            self.open_groups.append("(")
            self.out.append(f"(?<{m.group(1)}>")
            self.i += len(m.group(0))
            return
        m = re.match(r"\(\?P=([A-Za-z_$][A-Za-z0-9_$]*)\)", rest)
        if m:
            self.pythonisms = True
            self.named_backrefs.append(m.group(1))
            self.out.append(f"\\k<{m.group(1)}>")
            self.i += len(m.group(0))
            self.quantifiable = True
            return
        if rest.startswith("(?"):
            raise self.fail("group construct without an ECMAScript equivalent")
        self.open_groups.append("(")
        self.out.append("(")
        self.i += 1

    def _escape(self) -> None:
        nxt = self.peek(1)
        if not nxt:
            raise self.fail("trailing backslash")
        self.i += 2
        self.quantifiable = True
        if nxt in _CLASS_ESCAPES and self.python:
            self.out.append(_PYTHON_ATOMS[nxt])
        elif nxt in _CLASS_ESCAPES or nxt == ".":
            self.out.append("\\" + nxt)
        elif nxt in "bB":
            if self.python:
                raise self.fail(f"\\{nxt} of a Python pattern (Unicode word boundary)")
            self.out.append("\\" + nxt)
            self.quantifiable = False
        elif nxt in "AZ":
            self.pythonisms = True
            self.out.append("^" if nxt == "A" else "$")
            self.quantifiable = False
        elif nxt in _CONTROL_ESCAPES:
            self.out.append(_CONTROL_ESCAPES[nxt])
        elif nxt in "123456789":
            m = re.match(r"\d+", self.p[self.i - 1 :])
            assert m is not None
            self.backrefs.append(int(m.group(0)))
            self.out.append("\\" + m.group(0))
            self.i += len(m.group(0)) - 1
        elif nxt == "k":
            m = re.match(r"<([A-Za-z_$][A-Za-z0-9_$]*)>", self.p[self.i :])
            if not m:
                raise self.fail("malformed \\k")
            self.named_backrefs.append(m.group(1))
            self.out.append(f"\\k<{m.group(1)}>")
            self.i += len(m.group(0))
        else:
            self.out.append(self._char_escape(nxt))

    def _char_escape(self, nxt: str) -> str:
        """An escape that stands for one character (shared by classes and atoms)."""
        if nxt == "0":
            if self.peek().isdigit():
                raise self.fail("octal escape")
            return "\\0"
        if nxt == "x":
            m = re.match(r"[0-9A-Fa-f]{2}", self.p[self.i :])
            if not m:
                raise self.fail("malformed \\x escape")
            self.i += 2
            return "\\x" + m.group(0)
        if nxt == "u":
            m = re.match(r"[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]{1,6}\}", self.p[self.i :])
            if not m:
                raise self.fail("malformed \\u escape")
            self.i += len(m.group(0))
            return "\\u" + m.group(0)
        if nxt == "U":
            self.pythonisms = True
            m = re.match(r"[0-9A-Fa-f]{8}", self.p[self.i :])
            if not m or int(m.group(0), 16) > 0x10FFFF:
                raise self.fail("malformed \\U escape")
            self.i += 8
            return f"\\u{{{int(m.group(0), 16):x}}}"
        if nxt in "pP":
            m = re.match(r"\{[A-Za-z_]+(=[A-Za-z_]+)?\}", self.p[self.i :])
            if not m:
                raise self.fail("malformed \\p escape")
            self.i += len(m.group(0))
            return "\\" + nxt + m.group(0)
        if nxt == "c":
            if not self.peek().isascii() or not self.peek().isalpha():
                raise self.fail("malformed \\c escape")
            self.i += 1
            return "\\c" + self.p[self.i - 1]
        if nxt.isascii() and nxt.isalnum():
            # \e, \g, \N{…}, \z, … : Python-only or meaningless escapes.
            raise self.fail(f"escape \\{nxt} has no ECMAScript equivalent")
        # An escaped punctuation or non-ASCII character means that character; with
        # the u flag only syntax characters may be escaped.
        if nxt not in _SYNTAX_CHARS and nxt != "-":
            self.pythonisms = True
        return _escape_literal_char(nxt)

    def _class(self) -> None:
        self.i += 1
        self.out.append("[")
        if self.peek() == "^":
            self.out.append("^")
            self.i += 1
        first = True
        prev_is_set = False  # whether the previous item was \d, \w, … (not a range end)
        while True:
            c = self.peek()
            if not c:
                raise self.fail("unclosed character class")
            if c == "]" and not first:
                self.i += 1
                break
            if c == "]":
                self.pythonisms = True
            first = False
            if c == "\\":
                nxt = self.peek(1)
                self.i += 2
                if nxt in _CLASS_ESCAPES and self.python:
                    if nxt not in _PYTHON_CLASS_ITEMS:
                        raise self.fail(f"\\{nxt} in a class of a Python pattern")
                    item, is_set = _PYTHON_CLASS_ITEMS[nxt], True
                elif nxt in _CLASS_ESCAPES:
                    item, is_set = "\\" + nxt, True
                elif nxt == "b":
                    item, is_set = "\\b", False
                elif nxt == "-":
                    item, is_set = "\\-", False
                elif nxt in _CONTROL_ESCAPES:
                    item, is_set = _CONTROL_ESCAPES[nxt], False
                elif nxt in "pP":
                    item, is_set = self._char_escape(nxt), True
                else:
                    item, is_set = self._char_escape(nxt), False
            elif c == "-":
                following = self.peek(1)
                at_edge = self.out[-1] in ("[", "^") or following in ("]", "")
                if at_edge or prev_is_set or following == "\\" and self.peek(2) in _CLASS_ESCAPES:
                    self.pythonisms = self.pythonisms or not at_edge
                    item, is_set = "\\-", False
                else:
                    item, is_set = "-", False
                self.i += 1
            elif c == "[" and self.peek(1) == ":":
                raise self.fail("POSIX class")
            else:
                item, is_set = _escape_literal_char(c, in_class=True), False
                self.i += 1
            if is_set and self.out[-1] == "-" and len(self.out) >= 2:
                # [a-\d] is a SyntaxError with the u flag; Python reads a literal '-'.
                self.pythonisms = True
                self.out[-1] = "\\-"
            self.out.append(item)
            prev_is_set = is_set
        self.out.append("]")
        self.quantifiable = True
