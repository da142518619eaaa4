"""``fit`` lays long lines out exactly as ``ruff format --isolated`` does.

Field declarations of the shapes the python-client emitter writes (nested
``Annotated``, ``|`` unions, ``Field(...)`` calls, ``Literal``, validator helpers with
lambdas, defaults of every kind) are generated at random, laid out with ``fit`` and
formatted by ruff in one call for them all; ruff must change nothing.

Profiles: quick by default; ``HYPOTHESIS_PROFILE=long`` checks ten times more lines.
"""

from __future__ import annotations

import keyword
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemagen.emit.python.layout import fit
from schemagen.emit.python.naming import json_literal, string_literal
from tests import profiles

DECLARATIONS = 5000 if profiles.LONG else 500

NAMES = st.sampled_from(["StrictStr", "Integer", "Number", "StrictBool", "Any", "FileUrl",
                         "RunInputNestedSettings", "None"])  # fmt: skip
IDENTIFIERS = st.from_regex(r"[a-z][a-z0-9_]{0,40}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name)
)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False), TEXT,
).map(json_literal)  # fmt: skip
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), TEXT),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
).map(json_literal)


def _call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args)})"


def _keywords(value: st.SearchStrategy[str], min_size: int = 0) -> st.SearchStrategy[list[str]]:
    """Keyword arguments with distinct names."""
    return st.dictionaries(IDENTIFIERS, value, min_size=min_size, max_size=4).map(
        lambda kws: [f"{k}={v}" for k, v in kws.items()]
    )


def _arguments(value: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """Positional arguments, then keyword arguments."""
    return st.tuples(st.lists(value, max_size=4), _keywords(value)).map(lambda a: a[0] + a[1])


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    lazy = inner.map(lambda t: f"_Lazy(lambda: {t})")
    helper_arg = st.one_of(
        lazy, SCALARS,
        st.lists(lazy, max_size=3).map(lambda xs: f"[{', '.join(xs)}]"),
        st.dictionaries(TEXT.map(string_literal), lazy, max_size=2).map(
            lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
        ),
    )  # fmt: skip
    validators = st.one_of(
        _keywords(SCALARS, min_size=1).map(lambda kws: _call("Field", kws)),
        st.tuples(st.sampled_from(["BeforeValidator", "AfterValidator"]),
                  st.sampled_from(["_object_rules", "_contains", "_member", "_all_of", "_not"]),
                  _arguments(helper_arg)).map(lambda v: f"{v[0]}({_call(v[1], v[2])})"),
        TEXT.map(lambda p: f"AfterValidator(_pattern({string_literal(p)}))"),
        st.just("BeforeValidator(_not_null)"),
    )  # fmt: skip
    return st.one_of(
        inner.map(lambda t: f"list[{t}]"),
        inner.map(lambda t: f"dict[str, {t}]"),
        inner.map(lambda t: f"{t} | None"),
        st.lists(inner, min_size=2, max_size=5).map(" | ".join),
        st.tuples(inner, st.lists(validators, min_size=1, max_size=3)).map(
            lambda a: f"Annotated[{', '.join([a[0], *a[1]])}]"
        ),
    )


LITERALS = st.lists(SCALARS.filter(lambda s: not s.startswith(("-", "N", "T", "F"))),
                    min_size=1, max_size=6).map(lambda xs: f"Literal[{', '.join(xs)}]")  # fmt: skip
TYPES = st.recursive(NAMES | LITERALS, _extend, max_leaves=10)
FIELD_ARGUMENTS = st.tuples(
    st.one_of(st.none(), SCALARS, JSON.map(lambda j: f"_unchecked({j})")).map(
        lambda d: [] if d is None else [f"default={d}"]
    ),
    st.one_of(st.none(), JSON).map(lambda j: [] if j is None else [f"default_factory=lambda: {j}"]),
    st.one_of(st.none(), TEXT).map(lambda t: [] if t is None else [f"alias={string_literal(t)}"]),
).map(lambda parts: parts[0] + parts[1] + parts[2])
DEFAULTS = st.one_of(
    st.just("None"), st.just("..."), SCALARS,
    FIELD_ARGUMENTS.filter(bool).map(lambda args: _call("Field", args)),
)  # fmt: skip


@st.composite
def declarations(draw: st.DrawFn) -> tuple[str, str]:
    """(indent, one-line statement): a model field, a required field or an alias."""
    kind = draw(st.sampled_from(["field", "field", "field", "required", "alias"]))
    annotation = draw(TYPES)
    if kind == "alias":
        return "", f"{draw(IDENTIFIERS).title()}: TypeAlias = {annotation}"
    name = draw(IDENTIFIERS)
    if kind == "required":
        return "    ", f"{name}: {annotation}"
    return "    ", f"{name}: {annotation} = {draw(DEFAULTS)}"


def ruff_format(source: str) -> str:
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "-"],
        input=source, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert formatted.returncode == 0, formatted.stderr
    return formatted.stdout


def block(indent: str, line: str) -> str:
    """The statement laid out by ``fit``, in a class when it is indented."""
    laid_out = fit(line, indent)
    return f"class C:\n{laid_out}\n" if indent else laid_out + "\n"


# Top-level statements are two blank lines apart, in the module and in ruff's output.
BETWEEN = "\n\n\n"


def test_fit_lays_out_field_declarations_as_ruff_format() -> None:
    statements: list[tuple[str, str]] = []

    @settings(max_examples=DECLARATIONS, deadline=None, derandomize=not profiles.LONG,
              database=None, suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(declarations())
    def collect(statement: tuple[str, str]) -> None:
        statements.append(statement)

    collect()
    statements = sorted(set(statements))
    blocks = [block(indent, line) for indent, line in statements]
    assert sum(b.count("\n") > 2 for b in blocks) > len(blocks) // 5  # many lines split
    # One ruff call for them all, then the statements ruff changed.
    formatted = ruff_format(BETWEEN.join(b.rstrip("\n") for b in blocks) + "\n").split(BETWEEN)
    assert len(formatted) == len(blocks)
    wrong = [
        f"{line}\n--- fit:\n{ours}--- ruff:\n{theirs.rstrip()}\n"
        for (_, line), ours, theirs in zip(statements, blocks, formatted, strict=True)
        if theirs.rstrip("\n") != ours.rstrip("\n")
    ]
    assert not wrong, f"{len(wrong)} of {len(blocks)} differ:\n" + "\n".join(wrong[:5])


@pytest.mark.parametrize("line", [
    "x: Annotated[list[TextMeta | ImageMeta | VideoMeta | AudioMeta | RawMeta] | None, "
    "BeforeValidator(_not_null)] = None",
    "def run(self, *, topic: StrictStr, genre: Genre = ..., paragraphs: Annotated[Integer, "
    "Field(ge=1, le=20)] = ...) -> Iterator[RunOutput]: ...",
    'system_prompt: StrictStr = "you are a helpful assistant that can answer questions and help."',
    "y: list[Annotated[StrictStr, Field(min_length=1, max_length=100)]] = Field(default_factory="
    "lambda: [\"a\", \"b\"], alias=\"the-y\")",
    "scalar: Annotated[StrictStr, Field(min_length=2)] | Annotated[Number, Field(ge=10)] | None "
    "= None",
    "mixed: Annotated[Any, BeforeValidator(_member(\"a\", 1, 2.5, True, None, 'x\"y'))] = None",
    "data = _input_data(\"generate_image\", GenerateImageInput, input, fields, {\"a_b\": \"a-b\"})",
    "return await self._call(\"generate_image\", data, TypeAdapter(GenerateImageOutput)"
    ".validate_python)",
    "_RUN_INPUT_CHECKS = (_object_rules(dependent_required={\"card\": [\"billing\", \"zip\"]}),)",
    "_RUN_INPUT_CHECKS = (_object_rules(min_properties=1), _object_rules(max_properties=3),)",
    # a name that does not fit after ``lambda:`` (deep nesting) is parenthesized
    "x: Annotated[Any, BeforeValidator(_unevaluated(_Evaluated(), properties=_Lazy(lambda: "
    "UnevaluatedProperties12InputPart0Option1NotRestOfTheVeryLongName)))] = None",
    # ... and one whose own brackets do not open there either
    "x: " + "Annotated[Any, BeforeValidator(_not(_Lazy(lambda: " * 4
    + "Annotated[StrictStr, Field(min_length=1)]" + ")))]" * 4 + " = None",
])  # fmt: skip
def test_long_lines_break_as_ruff_format_does(line: str) -> None:
    source = f"class C:\n    def f(self):\n{fit(line, ' ' * 8)}\n"
    assert ruff_format(source) == source
