"""The ``python-client`` back end: ``client.py``, a typed client of one app.

The module needs only pydantic (v2): the models of every function's input and
output and of the setup config (``models.py`` translates the schemas), then
``{App}Client`` and ``Async{App}Client`` with one method per function. A method
takes the input model or its fields as keyword arguments, validates before
sending, and returns the output model (an iterator of them for a streaming
function). The official ``inferencesh`` SDK carries the calls by default (it is
imported only when a client is built without a transport); the documented
``Transport`` protocol replaces it.

Naming: the client is ``{Pascal(app name)}Client``; functions keep their names as
methods unless those are not identifiers or are taken (then ``snake_case`` and a
trailing ``_``); the wire names always travel unchanged.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from schemagen.emit.core.target import EmitContext, EmitWarning, TargetOutput
from schemagen.emit.python.layout import fit
from schemagen.emit.python.model_code import BASE_MODEL, Block, ModelClass, TypeAlias
from schemagen.emit.python.models import Root, translate_manifest
from schemagen.emit.python.naming import (
    RESERVED_METHOD_NAMES,
    NameAllocator,
    docstring,
    docstring_text,
    pascal_case,
    snake_name,
    string_literal,
)
from schemagen.manifest import Manifest
from schemagen.templates import environment

LINE_WIDTH = 88
# Helpers each helper needs, so that using one writes its dependencies too.
HELPER_NEEDS = {
    "_unique": ("_plain", "_json_equal"),
    "_member": ("_plain", "_json_equal"),
    "_all_of": ("_plain", "_Lazy"),
    "_one_of": ("_plain", "_Lazy"),
    "_not": ("_plain", "_Lazy"),
    "_if_then_else": ("_plain", "_Lazy"),
    "_items": ("_plain", "_Lazy"),
    "_contains": ("_plain", "_Lazy"),
    "_object_rules": ("_plain", "_Lazy", "_search"),
    "_pattern": ("_search",),
    "_dependent_schemas": ("_plain", "_Lazy"),
    "_Evaluated": ("_Lazy", "_search"),
    "_unevaluated": ("_plain", "_Lazy", "_Evaluated", "_search"),
}
# In the order they are written (dependencies first).
HELPER_ORDER = (
    "_plain",
    "_json_equal",
    "Integer",
    "Number",
    "FileUrl",
    "_search",
    "_pattern",
    "_multiple_of",
    "_unique",
    "_member",
    "_not_null",
    "_unchecked",
    "_never",
    "_Lazy",
    "_all_of",
    "_one_of",
    "_not",
    "_if_then_else",
    "_items",
    "_contains",
    "_object_rules",
    "_dependent_schemas",
    "_Evaluated",
    "_unevaluated",
)
# Attributes of the generated client classes a method must not take.
CLIENT_ATTRIBUTES = frozenset({"transport", "app_ref", "setup"})
# Import line per name the module may use; only the names it uses are imported.
IMPORTS: dict[str, tuple[str, str]] = {
    **{name: ("", name) for name in ("importlib", "re")},
    **{
        name: ("collections.abc", name)
        for name in (
            "AsyncIterable",
            "AsyncIterator",
            "Callable",
            "Iterable",
            "Iterator",
            "Mapping",
            "Sequence",
        )
    },
    "Fraction": ("fractions", "Fraction"),
    **{
        name: ("typing", name)
        for name in ("Annotated", "Any", "Literal", "Protocol", "TypeAlias", "TypeVar", "overload")
    },
    **{
        name: ("pydantic", name)
        for name in (
            "AfterValidator",
            "BaseModel",
            "BeforeValidator",
            "ConfigDict",
            "Field",
            "RootModel",
            "Strict",
            "StrictBool",
            "StrictFloat",
            "StrictInt",
            "StrictStr",
            "TypeAdapter",
            "ValidationError",
            "model_validator",
        )
    },
}


@dataclass
class Method:
    """One client method: a function of the app."""

    method: str
    wire: str
    doc: str
    input: str
    output: str
    streaming: bool
    input_is_model: bool
    output_is_model: bool
    params: list[str] = field(default_factory=list)
    aliases: str | None = None

    @property
    def parse(self) -> str:
        if self.output_is_model:
            return f"{self.output}.model_validate"
        return f"TypeAdapter({self.output}).validate_python"

    @property
    def read_input(self) -> str:
        """The statement that validates the input and makes its wire form."""
        if not self.input_is_model:
            return fit(f"data = _input_value({self.wire}, {self.input}, input)", " " * 8)
        aliases = f", {self.aliases}" if self.aliases else ""
        return fit(
            f"data = _input_data({self.wire}, {self.input}, input, fields{aliases})", " " * 8
        )

    def call(self, asynchronous: bool) -> str:
        """The statement that runs the task and returns its output(s)."""
        if self.streaming:
            call = "self._stream"
        else:
            call = "await self._call" if asynchronous else "self._call"
        return fit(f"return {call}({self.wire}, data, {self.parse})", " " * 8)

    def returns(self, asynchronous: bool) -> str:
        if not self.streaming:
            return self.output
        return f"{'AsyncIterator' if asynchronous else 'Iterator'}[{self.output}]"

    def _def(self, asynchronous: bool) -> str:
        return "async def" if asynchronous and not self.streaming else "def"

    def overloads(self, asynchronous: bool) -> list[str]:
        """The ``@overload`` signatures: the input model, or its fields as keywords."""
        if not self.input_is_model:
            return []
        head = f"{self._def(asynchronous)} {self.method}"
        returns = self.returns(asynchronous)
        keywords = "".join(f", {p}" for p in self.params)
        return [
            "    @overload\n"
            + fit(f"{head}(self, input: {self.input}, /) -> {returns}: ...", "    "),
            "    @overload\n"
            + fit(f"{head}(self{', *' if keywords else ''}{keywords}) -> {returns}: ...", "    "),
        ]

    def signature(self, asynchronous: bool) -> str:
        head = f"{self._def(asynchronous)} {self.method}"
        returns = self.returns(asynchronous)
        if self.input_is_model:
            params = f"self, input: {self.input} | None = None, **fields: Any"
        else:
            params = f"self, input: {self.input}, /"
        return fit(f"{head}({params}) -> {returns}:", "    ")


@dataclass
class RenderedField:
    line: str
    doc: str


@dataclass
class RenderedBlock:
    """A model class or alias as the template writes it."""

    kind: str  # "class" or "alias"
    name: str
    line: str = ""  # an alias's assignment
    doc: str = ""
    class_line: str = ""
    config: str | None = None
    fields: list[RenderedField] = field(default_factory=list)
    extra_line: str = ""
    checks_line: str = ""
    checks_name: str = ""


def _rendered(block: Block, names: NameAllocator) -> RenderedBlock:
    if isinstance(block, TypeAlias):
        return RenderedBlock(
            "alias", block.name, line=fit(f"{block.name}: TypeAlias = {block.expr}"), doc=block.doc
        )
    assert isinstance(block, ModelClass)
    root = block.root
    if root is not None and block.rebuild:
        # It names itself (or a later block): a forward reference, which
        # model_rebuild() resolves once every block is defined.
        root = string_literal(root)
    base = f"RootModel[{root}]" if root is not None else BASE_MODEL
    rendered = RenderedBlock(
        "class",
        block.name,
        doc=block.doc,
        class_line=fit(f"class {block.name}({base}):"),
        config=block.config,
    )
    for f in block.fields:
        default = f" = {f.default}" if f.default is not None else ""
        rendered.fields.append(
            RenderedField(fit(f"{f.name}: {f.annotation}{default}", "    "), f.doc)
        )
    if block.extra:
        rendered.extra_line = fit(
            f"__pydantic_extra__: dict[str, {block.extra}] = Field(init=False)", "    "
        )
    if block.checks:
        rendered.checks_name = names.allocate(f"_{snake_name(block.name).upper()}_CHECKS")
        rendered.checks_line = fit(f"{rendered.checks_name} = ({', '.join(block.checks)},)")
    return rendered


def client_class_name(manifest: Manifest) -> str:
    return pascal_case(manifest.app.name or "App", "App") + "Client"


def _methods(
    manifest: Manifest, roots: dict[tuple[str | None, str], Root], names: NameAllocator
) -> list[Method]:
    methods = NameAllocator(RESERVED_METHOD_NAMES | CLIENT_ATTRIBUTES, parent=names)
    found: list[Method] = []
    for fn in manifest.sorted_functions():
        source, target = roots[fn.name, "input"], roots[fn.name, "output"]
        method = Method(
            method=methods.allocate(snake_name(fn.name, "function")),
            wire=string_literal(fn.name),
            doc=docstring(fn.description, " " * 8),
            input=source.label,
            output=target.label,
            streaming=fn.streaming,
            input_is_model=source.is_model,
            output_is_model=target.is_model,
        )
        aliases = {}
        for f in source.fields:
            if f.wire != f.name:
                aliases[f.name] = f.wire
            optional = "" if f.required else " = ..."
            method.params.append(f"{f.name}: {f.annotation}{optional}")
        if aliases:
            method.aliases = (
                "{"
                + ", ".join(f"{string_literal(k)}: {string_literal(v)}" for k, v in aliases.items())
                + "}"
            )
        found.append(method)
    return found


def _code_of(body: str) -> str:
    """``body`` without its comments and plain string literals (docstrings, descriptions:
    "you're" names no ``re``); f-strings stay, as they hold code."""
    starts = [0]
    for line in body.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    code, end = [], 0
    for token in tokenize.generate_tokens(io.StringIO(body).readline):
        text = token.string
        plain = token.type == tokenize.STRING and "f" not in text[: text.find(text[-1])].lower()
        if plain or token.type == tokenize.COMMENT:
            first = starts[token.start[0] - 1] + token.start[1]
            code.append(body[end:first])
            end = starts[token.end[0] - 1] + token.end[1]
    return "".join(code) + body[end:]


def _import_lines(body: str) -> list[str]:
    """The import statements of the names ``body`` uses, grouped and sorted as isort does."""
    code = _code_of(body)
    used = {name for name in IMPORTS if re.search(rf"(?<![\w.]){re.escape(name)}\b", code)}
    plain = sorted(IMPORTS[n][1] for n in used if IMPORTS[n][0] == "")
    modules: dict[str, list[str]] = {}
    for name in used:
        module, member = IMPORTS[name]
        if module:
            modules.setdefault(module, []).append(member)

    def order(member: str) -> tuple[int, str]:
        kind = 0 if member.isupper() else 1 if member[0].isupper() else 2
        return kind, member.lower()

    def line(module: str) -> str:
        members = sorted(modules[module], key=order)
        text = f"from {module} import {', '.join(members)}"
        if len(text) <= LINE_WIDTH:
            return text
        return f"from {module} import (\n" + "".join(f"    {m},\n" for m in members) + ")"

    stdlib = [f"import {m}" for m in plain]
    stdlib += [line(m) for m in sorted(modules) if m != "pydantic"]
    third_party = [line("pydantic")] if "pydantic" in modules else []
    return stdlib + ([""] if stdlib and third_party else []) + third_party


def _header(
    manifest: Manifest,
    app_ref: str | None,
    client: str,
    methods: list[Method],
    regenerate: str | None,
) -> str:
    source = manifest.app.name or "manifest"
    app = f"the inference.sh app ``{app_ref}``" if app_ref else "an inference.sh app"
    lines = [
        f"Typed client for {app}.",
        "",
        f"Generated by schemagen from {source}; do not edit.",
        f"Regenerate: {regenerate or f'schemagen generate {source} --target python-client'}",
        "",
        "Needs pydantic v2; the default transport is the official SDK (pip install inferencesh)::",
        "",
        f"    client = {client}(api_key=...)  # or INFERENCE_API_KEY"
        if app_ref
        else f'    client = {client}(api_key=..., app="namespace/name@version")',
    ]
    if methods:
        first = methods[0]
        call = f"client.{first.method}(...)"
        if first.streaming:
            lines.append(f"    for output in {call}:")
            lines.append("        ...")
        else:
            lines.append(f"    output = {call}")
    return docstring("\n".join(lines), "").rstrip("\n")


def emit_python_client(
    manifest: Manifest, app_ref: str | None, regenerate: str | None = None
) -> tuple[str, list[EmitWarning]]:
    """The text of ``client.py`` for ``manifest``, and the translation's warnings: clients
    of ``app_ref``, else clients whose constructor takes the app's reference (``app``);
    ``regenerate`` is the header's command (default: one naming the app)."""
    client = client_class_name(manifest)
    reserved = {client, f"Async{client}", "InputValidationError"}
    module = translate_manifest(manifest, reserved)
    helpers = set(module.helpers)
    for helper in list(helpers):
        helpers.update(HELPER_NEEDS.get(helper, ()))
    blocks = [_rendered(b, module.names) for b in module.blocks]
    recursive = [b for b in module.blocks if isinstance(b, ModelClass) and b.rebuild]
    methods = _methods(manifest, module.roots, module.names)
    setup_root = module.roots.get((None, "input"))
    template = environment().get_template("python_client/client.py.j2")
    context = {
        "header": _header(manifest, app_ref, client, methods, regenerate),
        "app_ref": docstring_text(app_ref) if app_ref is not None else None,
        "app_ref_literal": string_literal(app_ref) if app_ref is not None else None,
        "helper_names": [h.lstrip("_") for h in HELPER_ORDER if h in helpers],
        "base_model": BASE_MODEL,
        "blocks": blocks,
        "rebuild": [b.name for b in recursive],
        "functions": methods,
        "any_streaming": any(m.streaming for m in methods),
        "any_call": any(not m.streaming for m in methods),
        "setup": setup_root.label if setup_root is not None and setup_root.is_model else None,
        "client": client,
        "async_client": f"Async{client}",
    }
    body = template.render(imports=[], **context)
    # The forward-reference roots of recursive RootModels are strings, yet code.
    forward = [b.root for b in recursive if b.root is not None]
    text = template.render(imports=_import_lines("\n".join([body, *forward])), **context)
    return text, list(module.warnings)


def emit(manifest: Manifest, context: EmitContext) -> TargetOutput:
    """The ``python-client`` target: ``client.py``, and a warning per untranslatable
    keyword."""
    regenerate = context.regenerate_command("python-client", manifest.app.name or "manifest")
    text, found = emit_python_client(manifest, context.app_ref, regenerate)
    return TargetOutput({"client.py": text.encode("utf-8")}, tuple(found))
