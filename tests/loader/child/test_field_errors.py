"""pydantic's errors about a field, retold: the real pydantic raises, the expected
messages are written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field

from schemagen.loader.child import field_errors


def _schema_error(pattern: str, engine: str = "rust-regex") -> str:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - pydantic_core.SchemaError

        class _M(BaseModel):
            model_config = ConfigDict(regex_engine=engine)  # type: ignore[typeddict-item]
            code: str = Field(pattern=pattern)

    return str(caught.value)


def test_in_app_terms_drops_the_synthetic_package() -> None:
    text = "Cannot generate for <class '_schemagen_app.inference.Conn'> in _schemagen_app"
    assert field_errors.in_app_terms(text) == "Cannot generate for <class 'Conn'> in the app"


def test_a_bad_pattern_is_named_at_its_field(tmp_path: Path) -> None:
    source = tmp_path / "inference.py"
    source.write_text(
        "class AppInput(BaseModel):\n"
        "    name: str\n"
        "    code: str = Field(\n"
        "        pattern='a{2,1}',\n"
        "    )\n"
    )
    error = field_errors.schema_error_at_class(_schema_error("a{2,1}"), str(source), 1)
    assert error.message == (
        "AppInput.code: invalid pattern 'a{2,1}': invalid repetition count range, "
        "the start must be <= the end"
    )
    assert (error.line, error.hint) == (3, None)


def test_python_re_names_the_pattern_from_the_source(tmp_path: Path) -> None:
    source = tmp_path / "inference.py"
    source.write_text("class AppInput(BaseModel):\n    code: str = Field(pattern='[a-z')\n")
    text = _schema_error("[a-z", engine="python-re")
    error = field_errors.schema_error_at_class(text, str(source), 1)
    assert error.message == (
        "AppInput.code: invalid pattern '[a-z': unterminated character set at position 0"
    )
    assert error.line == 2


def test_without_its_source_the_field_is_still_named(tmp_path: Path) -> None:
    error = field_errors.schema_error_at_class(_schema_error("(?=x)"), str(tmp_path / "gone.py"), 7)
    assert error.message == (
        "field code: invalid pattern '(?=x)': look-around, including look-ahead and "
        "look-behind, is not supported"
    )
    assert error.line == 7 and error.hint is not None and "python-re" in error.hint
