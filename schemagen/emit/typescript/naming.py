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

from schemagen.emit.core.naming import UNICODE_LETTERS, pascal_words
from schemagen.emit.core.patterns import ecma_pattern

# ECMAScript reserved words, strict-mode and TypeScript-only reserved names, and
# names a module-level binding must not shadow (``exports``, ``require``, ``module``:
# the names of a CommonJS module's scope, which tsc reserves). A bare identifier in
# generated code is never one of these.
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
    exports __dirname __filename
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


def pascal_case(name: str) -> str:
    """``generate_image`` -> ``GenerateImage``; ``run`` -> ``Run``; a valid identifier."""
    return binding_name(pascal_words(name, UNICODE_LETTERS) or "Schema")


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
    """Hands out unique module-level binding names, deterministically (a ``Namer``)."""

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


def regex_literal(pattern: str) -> str:
    """A ``/…/u`` regex literal that searches like the JSON Schema ``pattern``
    (``RegexError`` when no ECMA-262 pattern does: see ``core.patterns``)."""
    return "/" + ecma_pattern(pattern) + "/u"
