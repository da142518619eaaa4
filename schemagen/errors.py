"""Errors a user can cause, as values: what went wrong, where, and what to do.

One exception type per family; ``cli.py`` turns them into one line on stderr
and exit code 2. Nothing else in the package prints or exits.
"""

from __future__ import annotations


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
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint
        # A traceback or other long text, shown only with -v.
        self.detail = detail

    def location(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

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


class ManifestError(SchemagenError):
    """A manifest or platform schema file that cannot be read or is invalid."""
