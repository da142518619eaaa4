"""TypeScript's lexical rules, in one place, for every back end that writes TypeScript.

Identifiers and reserved words, names made from schema and function names,
string / number / regular-expression literals, object keys and JSDoc blocks.
Rendering code never escapes anything itself: it calls these functions, so a
name, description or enum value can hold quotes, backslashes, ``*/``, line
terminators (including U+2028/U+2029), lone surrogates or ``__proto__`` and the
generated module still parses and means what the schema says.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

# ECMAScript reserved words, strict-mode and TypeScript-only reserved names, and
# names a module-level binding must not shadow. A bare identifier in generated
# code is never one of these.
RESERVED_WORDS = frozenset(
    """
    break case catch class const continue debugger default delete do else enum export
    extends false finally for function if import in instanceof new null return super
    switch this throw true try typeof var void while with
    implements interface let package private protected public static yield await
    any boolean constructor declare get module require number set string symbol type
    from of as async is keyof namespace never readonly unique unknown object infer
    satisfies accessor abstract asserts bigint global out override
    arguments eval undefined NaN Infinity globalThis Object Array String Number Boolean
    Symbol Function Error JSON Math Date RegExp Map Set Promise Record Partial Required
    """.split()
)

# Keys every plain JS object inherits: zod reads ``value[key]`` and would see these
# on an object that does not have the key itself (and ``__proto__`` cannot be
# assigned as an own key of an object literal or a parse result).
PROTOTYPE_KEYS = frozenset(
    [
        "__proto__",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
        "constructor",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
    ]
)

_ID_START_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl"})
_ID_PART_CATEGORIES = _ID_START_CATEGORIES | {"Mn", "Mc", "Nd", "Pc"}
_LINE_TERMINATORS = ("\r\n", "\r", "\n", "\u2028", "\u2029")


def _is_id_start(ch: str) -> bool:
    return ch in "$_" or unicodedata.category(ch) in _ID_START_CATEGORIES


def _is_id_part(ch: str) -> bool:
    return ch in "$_\u200c\u200d" or unicodedata.category(ch) in _ID_PART_CATEGORIES


_ASCII_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def is_identifier_name(name: str) -> bool:
    """True when ``name`` is an IdentifierName (may be used as ``obj.name``)."""
    if _ASCII_IDENTIFIER.fullmatch(name):
        return True
    return bool(name) and _is_id_start(name[0]) and all(_is_id_part(c) for c in name[1:])


def is_identifier(name: str) -> bool:
    """True when ``name`` can be a binding: an IdentifierName that is not reserved."""
    return is_identifier_name(name) and name not in RESERVED_WORDS


def _words(name: str) -> list[str]:
    # Split on anything that is not a letter or digit, and at lower->Upper steps.
    parts = re.split(r"[^0-9A-Za-z\u00c0-\uffff]+", name)
    words: list[str] = []
    for part in parts:
        words.extend(w for w in re.split(r"(?<=[a-z0-9])(?=[A-Z])", part) if w)
    return words


def pascal_case(name: str) -> str:
    """``generate_image`` -> ``GenerateImage``; ``run`` -> ``Run``; a valid identifier."""
    words = _words(name)
    result = "".join(w[0].upper() + w[1:] for w in words)
    return binding_name(result or "Schema")


def binding_name(name: str) -> str:
    """``name`` made a valid, non-reserved binding by dropping invalid characters."""
    if _ASCII_IDENTIFIER.fullmatch(name):
        return name + "_" if name in RESERVED_WORDS else name
    cleaned = "".join(c for c in name if _is_id_part(c))
    if not cleaned or not _is_id_start(cleaned[0]):
        cleaned = "_" + cleaned
    if cleaned in RESERVED_WORDS:
        cleaned += "_"
    return cleaned


class NameAllocator:
    """Hands out unique module-level binding names, deterministically."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(reserved)

    def reserve(self, name: str) -> None:
        self._taken.add(name)

    def __contains__(self, name: str) -> bool:
        return name in self._taken

    def allocate(self, wanted: str, *alternatives: str) -> str:
        """The first free name of ``wanted`` and ``alternatives``, else ``wanted2``, ``wanted3``…"""
        for candidate in (wanted, *alternatives):
            name = binding_name(candidate)
            if name not in self._taken:
                self._taken.add(name)
                return name
        base = binding_name(wanted)
        n = 2
        while f"{base}{n}" in self._taken:
            n += 1
        self._taken.add(f"{base}{n}")
        return f"{base}{n}"


_UNSAFE_IN_JSON_STRING = re.compile("[\u2028\u2029\ud800-\udfff\x7f]")


def string_literal(value: str) -> str:
    """A double-quoted TS string literal for ``value`` (any str, even lone surrogates)."""
    # JSON escapes quotes, backslashes and control characters; what it leaves and a
    # module must not contain raw is escaped after it.
    literal = json.dumps(value, ensure_ascii=False)
    return _UNSAFE_IN_JSON_STRING.sub(lambda m: f"\\u{ord(m.group()):04x}", literal)


def property_key(name: str) -> str:
    """An object-literal key that defines an own property named exactly ``name``.

    ``{"__proto__": x}`` would set the prototype instead, so that key is computed.
    """
    if name == "__proto__":
        return '["__proto__"]'
    if is_identifier_name(name):
        return name
    return string_literal(name)


def number_literal(value: int | float) -> str:
    """A TS number literal equal to the JSON number ``value``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"not a JSON number: {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite JSON number: {value!r}")
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value)) if value != 0 or math.copysign(1, value) > 0 else "-0"
        return repr(value)
    return str(value)


def json_literal(value: Any) -> str:
    """A TS expression (object/array/primitive literal) equal to a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_literal(value)
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, list):
        return "[" + ", ".join(json_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ", ".join(f"{property_key(k)}: {json_literal(v)}" for k, v in value.items())
        return "{ " + items + " }"
    raise TypeError(f"not a JSON value: {value!r}")


def split_lines(text: str) -> list[str]:
    """``text`` split at every JS line terminator (CR, LF, CRLF, U+2028, U+2029)."""
    return re.split("|".join(map(re.escape, _LINE_TERMINATORS)), text)


def line_comment(text: str) -> str:
    """``text`` made safe inside a ``//`` comment: line terminators become spaces."""
    return " ".join(split_lines(text))


def jsdoc(lines: list[str], indent: str = "") -> str:
    """A ``/** … */`` block holding ``lines`` verbatim but safe: ``*/`` cannot end it early.

    Returns "" for no lines; otherwise the block ends with a newline.
    """
    body: list[str] = []
    for line in lines:
        for part in split_lines(line):
            part = part.replace("*/", "*\\/").rstrip()
            body.append(part)
    while body and not body[-1]:
        body.pop()
    while body and not body[0]:
        body.pop(0)
    if not body:
        return ""
    if len(body) == 1:
        return f"{indent}/** {body[0]} */\n"
    inner = "".join(f"{indent} *{' ' + b if b else ''}\n" for b in body)
    return f"{indent}/**\n{inner}{indent} */\n"


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


def regex_literal(pattern: str) -> str:
    """A ``/…/u`` regex literal that searches like the JSON Schema ``pattern``.

    JSON Schema patterns are ECMA-262 regular expressions, used unanchored, with
    full Unicode (code point) semantics, hence the ``u`` flag. Patterns written
    for Python's ``re`` are common, so its spellings with one exact meaning in
    ECMA-262 are rewritten (``(?P<n>…)``, ``(?P=n)``, ``\\A``, ``\\Z``, escaped
    non-syntax characters, literal ``{``/``}``/``]``). Such a pattern is Python's,
    so its classes keep Python's meaning too: ``\\d``, ``\\w``, ``\\s`` by Unicode
    property, ``.`` all but ``\\n``, ``$`` also before a final newline. Anything a
    ``u`` regex rejects or cannot say exactly raises ``RegexError``.
    """
    ecma = _RegexTranslator(pattern, python=False)
    body = ecma.translate()
    if ecma.pythonisms:
        body = _RegexTranslator(pattern, python=True).translate()
    return "/" + body + "/u"


def is_ecma_pattern(pattern: str) -> bool:
    """Whether ``pattern`` is an ECMA-262 (``u`` flag) regular expression as written,
    with no spelling only Python's ``re`` knows."""
    translator = _RegexTranslator(pattern, python=False)
    try:
        translator.translate()
    except RegexError:
        return False
    return not translator.pythonisms


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
