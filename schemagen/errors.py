"""Errors a user can cause, as values: what went wrong, where, and what to do.

One exception type per family; ``cli.py`` turns them into one line on stderr
and exit code 2. Nothing else in the package prints or exits.
"""

from __future__ import annotations

import re


class SchemagenError(Exception):
    """Base of every error schemagen reports to a person."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        detail: str | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column  # 1-based, with a line only (a JSON or TOML syntax error)
        self.hint = hint
        # A traceback or other long text, shown only with -v.
        self.detail = detail

    def location(self) -> str:
        if self.file is None:
            return ""
        if not self.line:
            return self.file
        return (
            f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"
        )

    def one_line(self) -> str:
        """The message as the CLI prints it: location, what, what to do."""
        parts = []
        loc = self.location()
        if loc:
            parts.append(f"{loc}: ")
        parts.append(self.message)
        if self.hint:
            parts.append(f" ({self.hint})")
        return "".join(parts).replace("\n", " ")


class UsageError(SchemagenError):
    """A bad path, flag or combination of flags."""


class AppError(SchemagenError):
    """The app could not be imported or compiled (syntax, import, discovery)."""


class ContaminationError(AppError):
    """A stubbed module's value would end up inside a schema."""


class ImportTimeout(AppError):
    """The app's import took longer than ``--timeout``."""


class ImportOutOfMemory(AppError):
    """The app's import needed more memory than ``--memory-limit`` (or the machine) had."""


# By name, for errors stored and read back (the manifest cache keeps failures too).
ERROR_TYPES: dict[str, type[SchemagenError]] = {
    kind.__name__: kind
    for kind in (
        SchemagenError,
        UsageError,
        AppError,
        ContaminationError,
        ImportTimeout,
        ImportOutOfMemory,
    )
}


class ManifestError(SchemagenError):
    """A manifest or platform schema file that cannot be read or is invalid."""


ERROR_TYPES[ManifestError.__name__] = ManifestError


def error_to_dict(error: SchemagenError) -> dict[str, object]:
    """``error`` as JSON data (``error_from_dict`` reads it back)."""
    fields = ("message", "file", "line", "column", "hint", "detail")
    return {"type": type(error).__name__, **{name: getattr(error, name) for name in fields}}


def error_from_dict(data: dict[str, object]) -> SchemagenError:
    kind = ERROR_TYPES.get(str(data.get("type")), SchemagenError)
    line, column = data.get("line"), data.get("column")
    return kind(
        str(data["message"]),
        file=str(data["file"]) if data.get("file") is not None else None,
        line=line if isinstance(line, int) else None,
        column=column if isinstance(column, int) else None,
        hint=str(data["hint"]) if data.get("hint") is not None else None,
        detail=str(data["detail"]) if data.get("detail") is not None else None,
    )


def not_json(error: ValueError, file: str) -> ManifestError:
    """A ``json.JSONDecodeError`` of ``file``: its reason at its line and column."""
    reason = getattr(error, "msg", str(error))
    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    return ManifestError(f"not JSON: {reason}", file=file, line=line, column=column)


_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def not_toml(error: ValueError, file: str) -> UsageError:
    """A ``tomllib.TOMLDecodeError`` of ``file``: its reason at its line and column
    (Python before 3.14 has them in the message only)."""
    text = str(error)
    place = _TOML_PLACE.search(text)
    if place is None:
        return UsageError(f"not valid TOML: {text}", file=file)
    reason = text[: place.start()]
    return UsageError(
        f"not valid TOML: {reason}",
        file=file,
        line=int(place.group(1)),
        column=int(place.group(2)),
    )
