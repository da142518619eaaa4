"""Python's lexical rules, in one place, for every back end that writes Python.

Identifiers and reserved names, names made from schema, property and function
names, string / docstring literals and literal JSON values. Rendering code never
escapes anything itself: it calls these functions, so a name, description or enum
value can hold quotes, backslashes, ``\"\"\"``, line terminators (including
U+2028/U+2029), lone surrogates or reserved words and the generated module still
parses and means what the schema says.

Identifiers are ASCII only: Python folds non-ASCII identifiers with NFKC, so two
different wire names could otherwise become one attribute.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
from collections.abc import Iterable
from typing import Any

from schemagen.emit.core.naming import pascal_words

# Names generated code never gives a field or a keyword parameter: hard keywords, the
# builtins generated annotations use (a class-body field named ``str`` would shadow
# the type in the annotations after it), the typing/pydantic names they use, every
# attribute of pydantic's BaseModel (a field named ``json`` would shadow the
# method), and the parameters of a client method (``self``, ``input``).
KEYWORDS = frozenset(keyword.kwlist)
ANNOTATION_BUILTINS = frozenset({"bool", "dict", "float", "int", "list", "object", "str", "tuple"})
BASEMODEL_ATTRIBUTES = frozenset(
    """
    construct copy dict from_orm json model_computed_fields model_config model_construct
    model_copy model_dump model_dump_json model_extra model_fields model_fields_set
    model_json_schema model_parametrized_name model_post_init model_rebuild model_validate
    model_validate_json model_validate_strings parse_file parse_obj parse_raw schema
    schema_json update_forward_refs validate
    """.split()
)
TYPING_NAMES = frozenset(
    """
    Annotated Any AsyncIterable AsyncIterator Callable Iterable Iterator Literal Mapping
    Protocol Sequence TypeAlias TypeVar overload AfterValidator BaseModel BeforeValidator
    ConfigDict Field RootModel Strict StrictBool StrictInt StrictFloat StrictStr TypeAdapter
    ValidationError model_validator
    """.split()
)
# The other names a generated module imports.
IMPORTED_NAMES = frozenset({"Fraction", "importlib", "re"})
BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))
RESERVED_FIELD_NAMES = (
    KEYWORDS
    | ANNOTATION_BUILTINS
    | BASEMODEL_ATTRIBUTES
    | TYPING_NAMES
    | IMPORTED_NAMES
    | {"self", "input"}
)
# A method of a generated class must not shadow any builtin either: the class body's
# later annotations (``-> dict[str, Any]``) would see the method.
RESERVED_METHOD_NAMES = RESERVED_FIELD_NAMES | BUILTIN_NAMES
# Module-level names (classes and aliases made from ``$defs`` keys and function names)
# must be identifiers (``True``, ``None``, ``False`` are keywords) and must not rebind
# what the module imports or the builtins it uses (``Any``, ``Field``, ``Exception``).
RESERVED_MODULE_NAMES = KEYWORDS | TYPING_NAMES | IMPORTED_NAMES | BUILTIN_NAMES

_ASCII_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_identifier(name: str) -> bool:
    """True when ``name`` is an ASCII identifier that is not a keyword."""
    return bool(_ASCII_IDENTIFIER.match(name)) and name not in KEYWORDS


def pascal_case(name: str, fallback: str = "Model") -> str:
    """``generate_image`` -> ``GenerateImage``; ``flux.1-dev`` -> ``Flux1Dev``."""
    result = pascal_words(name)  # ASCII words: identifiers are ASCII only
    if not result:
        return fallback
    if result[0].isdigit():
        result = fallback + result
    return result


def snake_name(name: str, fallback: str = "field") -> str:
    """A lower-case identifier for ``name``, keeping it when it already is one.

    ``reversed_text`` stays; ``a-b`` -> ``a_b``; ``2x`` -> ``field_2x``; a name
    starting with ``_`` loses it (pydantic keeps those for private attributes).
    """
    if is_identifier(name) and not name.startswith("_"):
        return name
    cleaned = re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_")
    if not cleaned:
        return fallback
    if cleaned[0].isdigit():
        cleaned = f"{fallback}_{cleaned}"
    return cleaned


class NameAllocator:
    """Hands out unique names in one namespace, deterministically (a ``Namer``).

    ``taken`` names are never handed out; a wanted name that is taken or reserved
    gets ``_`` appended (``class`` -> ``class_``), then a number (``a_b_2``).
    """

    def __init__(
        self,
        reserved: Iterable[str] = (),
        taken: Iterable[str] = (),
        parent: NameAllocator | None = None,
    ) -> None:
        self._reserved = frozenset(reserved)
        self._taken: set[str] = set(taken)
        # An enclosing namespace whose names this one must not shadow (module <- class).
        self._parent = parent

    def __contains__(self, name: str) -> bool:
        return name in self._taken or (self._parent is not None and name in self._parent)

    def _free(self, name: str) -> bool:
        return name not in self and name not in self._reserved

    def allocate(self, wanted: str, *alternatives: str) -> str:
        """The first free name among ``wanted``, ``alternatives``, ``wanted_``, ``wanted_2``…"""
        for candidate in (wanted, *alternatives):
            if self._free(candidate):
                self._taken.add(candidate)
                return candidate
        base = wanted if wanted.endswith("_") else wanted + "_"
        if self._free(base):
            self._taken.add(base)
            return base
        n = 2
        while not self._free(f"{base}{n}"):
            n += 1
        self._taken.add(f"{base}{n}")
        return f"{base}{n}"


def _escape_char(ch: str, quote: str) -> str:
    code = ord(ch)
    if ch == "\\":
        return "\\\\"
    if ch == quote:
        return "\\" + quote
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    if ch == "\t":
        return "\\t"
    if ch.isprintable() and not 0xD800 <= code <= 0xDFFF:
        return ch
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def string_literal(value: str) -> str:
    """A one-line Python string literal for ``value`` (any str, even lone surrogates).

    Double quotes unless the text holds ``"`` and no ``'`` (as ruff format prefers).
    """
    quote = "'" if '"' in value and "'" not in value else '"'
    return quote + "".join(_escape_char(ch, quote) for ch in value) + quote


def docstring_text(text: str) -> str:
    """``text`` as it can stand inside a triple-quoted docstring, meaning itself.

    Backslashes and control characters become escapes (so do line terminators other
    than ``\\n``), and a ``"`` is escaped when another follows it or it ends the text,
    so ``\"\"\"`` cannot close the docstring early.
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append(ch)
        elif ch == '"':
            closing = i + 1 == len(text) or text[i + 1] == '"'
            out.append('\\"' if closing else '"')
        else:
            out.append(_escape_char(ch, '"'))
    return "".join(out)


def docstring(text: str, indent: str) -> str:
    """A triple-quoted docstring block for ``text``, indented, ending with a newline;
    "" for blank text. Trailing spaces and blank edge lines are dropped."""
    lines = [line.rstrip() for line in text.strip().split("\n")]
    if not lines or not lines[0]:
        return ""
    escaped = docstring_text("\n".join(lines)).split("\n")
    if len(escaped) == 1:
        return f'{indent}"""{escaped[0]}"""\n'
    rest = "".join(f"{indent}{line}\n" if line else "\n" for line in escaped[1:])
    return f'{indent}"""{escaped[0]}\n{rest}{indent}"""\n'


def json_literal(value: Any) -> str:
    """A Python expression equal to the JSON value ``value``."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite JSON number: {value!r}")
        return repr(value).replace("e+", "e")  # 1e16, as ruff format writes it
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, list):
        return "[" + ", ".join(json_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{string_literal(k)}: {json_literal(v)}" for k, v in value.items())
            + "}"
        )
    raise TypeError(f"not a JSON value: {value!r}")
