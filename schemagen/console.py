"""What schemagen prints, in one place: how much (``-q``, default, ``-v``) and in what
colour (``--color``, ``NO_COLOR``, ``FORCE_COLOR``).

stdout carries what a command produces (a manifest, a diff report, ``check``'s list of
stale files); stderr carries what it says about the run: errors, warnings, the summary
line, and with ``-v`` each file written. ``-q`` keeps errors only. Colour marks the
prefixes and severities alone (``schemagen: error:``, ``stale:``), never the text a
user may copy, and only on a terminal unless asked.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import IO, Literal

import click

from schemagen.errors import SchemagenError

ColorMode = Literal["auto", "always", "never"]
COLOR_MODES: tuple[ColorMode, ...] = ("auto", "always", "never")
Verbosity = Literal["quiet", "normal", "verbose"]

# Prefixes and the colours they are shown in.
_STYLES: dict[str, dict[str, object]] = {
    "error": {"fg": "red", "bold": True},
    "internal error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "interrupted": {"fg": "red", "bold": True},
    "stale": {"fg": "yellow"},
    "missing": {"fg": "yellow"},
    "obsolete": {"fg": "yellow"},
    "fix": {"fg": "cyan"},
}


def wants_color(mode: ColorMode, stream: IO[str], environ: dict[str, str] | None = None) -> bool:
    """Whether to colour ``stream``: ``always``/``never`` as said; ``auto``: never with
    ``NO_COLOR`` set (https://no-color.org), always with ``FORCE_COLOR`` set (but to 0),
    else when ``stream`` is a terminal."""
    if mode != "auto":
        return mode == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "") not in ("", "0", "false"):  # Node.js reads 0 as off
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class Console:
    """The printing of one command run."""

    verbosity: Verbosity = "normal"
    color: ColorMode = "auto"

    @property
    def verbose(self) -> bool:
        return self.verbosity == "verbose"

    @property
    def quiet(self) -> bool:
        return self.verbosity == "quiet"

    def stdout_color(self) -> bool:
        """Whether what goes to stdout (a diff report) may be coloured."""
        return wants_color(self.color, sys.stdout)

    def _prefix(self, severity: str, stream: IO[str]) -> str:
        if severity in _STYLES and wants_color(self.color, stream):
            return click.style(f"{severity}:", **_STYLES[severity])  # type: ignore[arg-type]
        return f"{severity}:"

    def _say(self, text: str, severity: str | None = None) -> None:
        prefix = f"schemagen: {self._prefix(severity, sys.stderr)} " if severity else "schemagen: "
        click.echo(prefix + text, err=True, color=True)

    # -- stderr -------------------------------------------------------------------------

    def error(self, error: SchemagenError) -> None:
        """One line; with ``-v``, the detail (a traceback, the app's output) before it."""
        if self.verbose and error.detail:
            click.echo(error.detail.rstrip(), err=True)
        self._say(error.one_line(), "error")

    def error_text(self, text: str, severity: str = "error") -> None:
        """An error that is no SchemagenError (a usage error of click, a schemagen bug)."""
        self._say(text, severity)

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._say(message, "warning")

    def warnings(self, messages: list[str]) -> None:
        for message in messages:
            self.warning(message)

    def summary(self, text: str) -> None:
        """The line a run ends with (not under ``-q``)."""
        if not self.quiet:
            self._say(text)

    def detail(self, text: str) -> None:
        """What only ``-v`` shows (each file written)."""
        if self.verbose:
            self._say(text)

    def interrupted(self) -> None:
        self._say("interrupted")

    # -- stdout -------------------------------------------------------------------------

    def finding(self, severity: str, text: str) -> None:
        """One line of a command's report on stdout (``stale: PATH``), not under ``-q``."""
        if not self.quiet:
            click.echo(f"{self._prefix(severity, sys.stdout)} {text}", color=True)

    def report(self, text: str) -> None:
        """Text of a command's report on stdout (a diff), not under ``-q``."""
        if not self.quiet:
            click.echo(text, nl=False)
