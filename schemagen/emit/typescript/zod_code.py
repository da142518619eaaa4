"""zod code: what a translation returns (``Zod``), where it stands (``Site``), and how
the code is laid out and documented (JSDoc tags from the annotations)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from schemagen.emit.core.definitions import Document
from schemagen.emit.typescript.naming import string_literal
from schemagen.schema.pointers import join
from schemagen.schema.values import JsonSchema

LINE_WIDTH = 100


@dataclass(frozen=True)
class Zod:
    """A translated schema: a zod expression and the TS type of the JSON it accepts."""

    code: str
    ts: str
    # "object": a plain z.object (usable in z.discriminatedUnion); "string"/"number"/
    # "array": a zod type whose native checks can still be chained; else "other".
    kind: Literal["object", "string", "number", "array", "other"] = "other"
    # The parse result may differ from the input (unknown keys stripped, defaults filled).
    changes: bool = False
    # The schema accepts `undefined` (so a required object key would pass when missing).
    accepts_undefined: bool = False
    # A literal-like schema for a discriminator: the string values it accepts.
    literals: tuple[str, ...] | None = None
    # A z.strictObject (additionalProperties: false): the keys it allows.
    closed_keys: tuple[str, ...] | None = None


ANY = Zod("z.unknown()", "unknown", accepts_undefined=True)
NEVER = Zod("z.never()", "never")


@dataclass(frozen=True)
class Site:
    """Where a schema sits: its document and JSON pointer, for refs and warnings."""

    document: Document
    pointer: str = ""
    in_all_of: bool = False
    root: str = ""  # "" (the document), or the bundled document the pointer is into
    scope: tuple[str, ...] = ()  # the dynamic scope: resources entered, outermost first

    def at(self, *tokens: str | int) -> Site:
        pointer = join(self.pointer, *tokens)  # not dataclasses.replace: four times slower
        return Site(self.document, pointer, self.in_all_of, self.root, self.scope)


def indent(code: str, prefix: str = "  ") -> str:
    """Indent every line of ``code`` but the first (it continues the current line)."""
    return code.replace("\n", "\n" + prefix)


def code_list(open_: str, items: list[str], close: str, width: int = LINE_WIDTH) -> str:
    """``open_ a, b close`` on one line when short, else one item per line."""
    one_line = open_ + ", ".join(items) + close
    if len(one_line) <= width and "\n" not in one_line:
        return one_line
    body = "".join(f"  {indent(item)},\n" for item in items)
    return f"{open_}\n{body}{close}"


def union_ts(types: Iterable[str]) -> str:
    seen: list[str] = []
    for t in types:
        t = f"({t})" if "=>" in t else t
        if t not in seen:
            seen.append(t)
    if "unknown" in seen:
        return "unknown"
    return " | ".join(seen) if seen else "never"


def chain(code: str, calls: list[str]) -> str:
    """``code`` with method ``calls`` appended, one per line when they would be long."""
    if len(code) + sum(map(len, calls)) <= 60:
        return code + "".join(calls)
    return code + "".join(f"\n  {call}" for call in calls)


def refine(check: str, message: str) -> str:
    return f".refine({check}, {string_literal(message)})"


def doc_lines(schema: JsonSchema, name: str | None, default_applied: bool) -> list[str]:
    """JSDoc lines: description, then @title, @deprecated, @default, @format, @example."""
    if not isinstance(schema, dict):
        return []
    lines: list[str] = []
    description = schema.get("description")
    if isinstance(description, str) and description:
        lines.append(description)
    tags: list[str] = []
    title = schema.get("title")
    if isinstance(title, str) and title and not _is_default_title(title, name):
        tags.append(f"@title {title}")
    if schema.get("deprecated") is True:
        tags.append("@deprecated")
    if "default" in schema and not default_applied:
        tags.append(f"@default {compact_json(schema['default'])}")
    for keyword in ("format", "contentMediaType", "contentEncoding"):
        if isinstance(schema.get(keyword), str):
            tags.append(f"@{keyword} {schema[keyword]}")
    for example in schema.get("examples", []) if isinstance(schema.get("examples"), list) else []:
        tags.append(f"@example {compact_json(example)}")
    if lines and tags:
        lines.append("")
    return lines + tags


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _is_default_title(title: str, name: str | None) -> bool:
    """pydantic titles every field ``name.replace('_', ' ').title()`` and every model by
    its class name: those repeat the name and are left out of the docs."""
    if name is None:
        return False
    return title in (name, name.replace("_", " ").title())
