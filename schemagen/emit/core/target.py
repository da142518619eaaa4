"""The ``Target`` protocol: what a target declares, what it reads, what it returns.

A target is declared once, in its folder's ``__init__.py`` (which stays cheap to
import): its name, the files it may write, the ``EmitContext`` options it reads,
and ``emitter``, the function that does the work, imported only when the target
runs. That function reads only the manifest and the context and returns a
``TargetOutput``: the files as bytes and, as data, a warning for each schema part
it could not express exactly. Nothing touches the disk (``schemagen.output``
writes the files, atomically).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from schemagen.errors import UsageError

if TYPE_CHECKING:
    from schemagen.manifest import Manifest

# Relative path inside the output folder -> exact bytes.
GeneratedFiles = dict[str, bytes]


@dataclass(frozen=True)
class EmitWarning:
    """A schema part a target could not express exactly, and what it did instead."""

    where: str  # "RunInput #/properties/x/pattern"
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}"


@dataclass(frozen=True)
class EmitContext:
    """What a target may know besides the manifest (set by the command line's flags)."""

    app_ref: str | None = None
    # The run's command as typed at the repository root, without its --target options
    # (``schemagen generate apps/x --out build/x``): what a generated file's header
    # says regenerates it, each target adding its own --target.
    regenerate: str | None = None

    def regenerate_command(self, target: str, source: str) -> str:
        """The command in a file's ``Regenerate:`` header: the run's (``regenerate``),
        else one naming ``source``, with ``--target target``."""
        return f"{self.regenerate or f'schemagen generate {source}'} --target {target}"


# Each option of EmitContext: what it is called, and how to set it, for the error when a
# target that requires it runs without it.
OPTIONS: Mapping[str, tuple[str, str]] = {
    "app_ref": (
        "the app reference",
        "pass --app-ref NAMESPACE/NAME, or add inf.yml with namespace and name",
    ),
    "regenerate": ("the command that regenerates its files", "run it from schemagen generate"),
}


@dataclass(frozen=True)
class TargetOutput:
    """What one target made of a manifest."""

    files: GeneratedFiles
    warnings: tuple[EmitWarning, ...] = ()


Emitter = Callable[["Manifest", EmitContext], TargetOutput]


@dataclass(frozen=True)
class Target:
    """One back end, as the registry (``schemagen.emit.REGISTRY``) lists it."""

    name: str  # the --target value
    help: str
    # "module:function": an ``Emitter``, imported when the target runs.
    emitter: str
    # Every file the target may write.
    files: tuple[str, ...]
    # The files it writes only for some manifests (setup_schema.json): when it does not
    # write one, a copy left on disk is obsolete.
    optional_files: tuple[str, ...] = ()
    # The EmitContext options it reads, and those it cannot run without.
    options: tuple[str, ...] = ()
    required_options: tuple[str, ...] = ()

    def emit(self, manifest: Manifest, context: EmitContext) -> TargetOutput:
        """Run the target on ``manifest``; a ``UsageError`` when a required option is unset."""
        for option in self.required_options:
            if getattr(context, option) is None:
                what, hint = OPTIONS[option]
                raise UsageError(f"the {self.name} target needs {what}", hint=hint)
        module, _, function = self.emitter.partition(":")
        emitter = cast(Emitter, getattr(importlib.import_module(module), function))
        output = emitter(manifest, context)
        undeclared = set(output.files) - set(self.files)
        if undeclared:
            raise AssertionError(f"{self.name} wrote undeclared files {sorted(undeclared)}")
        return output


@dataclass
class Emitted:
    """What a run of targets produced: their files, and their warnings as the command
    line prints them (each once, after the target's name)."""

    files: GeneratedFiles = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Files these targets own but did not write for this manifest.
    obsolete: list[str] = field(default_factory=list)
