"""Command line: parse flags, call the pipeline, print, choose the exit code.

Exit codes: 0 success, 1 a finding (a breaking diff, stale files), 2 a usage or
input error. Errors a user can cause print one line; ``-v`` adds the detail.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from schemagen import __version__
from schemagen.errors import SchemagenError, UsageError
from schemagen.loader.parent import SDK_MODES, LoadOptions
from schemagen.manifest import Manifest

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDING, EXIT_ERROR = 0, 1, 2


def _fail(error: SchemagenError, verbose: bool) -> None:
    if verbose and error.detail:
        click.echo(error.detail.rstrip(), err=True)
    click.echo(f"schemagen: error: {error.one_line()}", err=True)
    sys.exit(EXIT_ERROR)


def reports_errors(command: F) -> F:
    """Turn SchemagenError into one line on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verbose = bool(kwargs.get("verbose"))
        try:
            return command(*args, **kwargs)
        except SchemagenError as error:
            if verbose:
                import traceback

                traceback.print_exc()
            _fail(error, verbose)

    return wrapper  # type: ignore[return-value]


def verbose_option(command: F) -> F:
    return click.option(
        "-v", "--verbose", is_flag=True, help="Show tracebacks and the app's own output on errors."
    )(command)


def loader_options(command: F) -> F:
    """Flags that control how an app is imported."""
    decorators = [
        click.option(
            "--sdk",
            type=click.Choice(SDK_MODES),
            default="auto",
            show_default=True,
            help="inferencesh surface: the installed package, schemagen's bundled copy of "
            "0.7.15, or auto (installed when importable).",
        ),
        click.option(
            "--stub",
            "stubs",
            multiple=True,
            metavar="MODULE",
            help="Replace MODULE by a stub even when it is installed (repeatable).",
        ),
        click.option(
            "--stub-all",
            is_flag=True,
            help="Stub every third-party module except pydantic (fast, environment-free).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=60.0,
            show_default=True,
            help="Seconds the app's import may take.",
        ),
        click.option("--app-class", metavar="NAME", help="The app class, when it is not App."),
        click.option(
            "--python",
            metavar="PATH",
            help="Interpreter to import the app with, e.g. the app's own venv "
            "(it needs pydantic, not schemagen).",
        ),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def _load_options(kwargs: dict[str, Any]) -> LoadOptions:
    return LoadOptions(
        sdk=kwargs["sdk"],
        stubs=tuple(kwargs["stubs"]),
        stub_all=kwargs["stub_all"],
        timeout=kwargs["timeout"],
        app_class=kwargs["app_class"],
        python=kwargs["python"],
    )


def _warn(messages: list[str]) -> None:
    for message in messages:
        click.echo(f"schemagen: warning: {message}", err=True)


def compile_input(path: Path | None, options: LoadOptions) -> Manifest:
    """A manifest from an app folder/entrypoint, a manifest file or functions_schema.json."""
    if path is not None and path.is_file() and path.suffix == ".json":
        from schemagen.manifest import load_manifest_file

        return load_manifest_file(path)
    from schemagen.loader.parent import load_app

    result = load_app(path, options)
    _warn(result.warnings)
    return result.manifest


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: schemagen generate examples/multi-function --out schemas/",
)
@click.version_option(__version__, prog_name="schemagen")
def main() -> None:
    """Compile inference.sh apps into JSON Schema, zod and typed clients; diff their APIs."""


@main.command(epilog="Example: schemagen extract examples/structure > manifest.json")
@click.argument("app", required=False, type=click.Path(path_type=Path))
@loader_options
@verbose_option
@reports_errors
def extract(app: Path | None, verbose: bool, **kwargs: Any) -> None:
    """Import APP statically and print its manifest (the IR) as JSON.

    APP is an app folder (default: the current folder) or its inference.py.
    """
    manifest = compile_input(app, _load_options(kwargs))
    click.echo(manifest.to_json(), nl=False)


def _target_choice() -> click.Choice[str]:
    from schemagen.emit import TARGETS

    return click.Choice(sorted(TARGETS))


@main.command(
    epilog="Examples:\n\n"
    "  schemagen generate examples/structure --out build/structure\n\n"
    "  schemagen generate build/structure/manifest.json --target jsonschema --out out/"
)
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: the app folder, as the platform lays files out).",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    type=_target_choice(),
    help="Back end to run (repeatable; default: jsonschema).",
)
@click.option(
    "--app-ref",
    metavar="NAMESPACE/NAME[@VERSION]",
    help="The app reference typed clients call (default: from inf.yml).",
)
@loader_options
@verbose_option
@reports_errors
def generate(
    source: Path | None,
    out: Path | None,
    targets: tuple[str, ...],
    app_ref: str | None,
    verbose: bool,
    **kwargs: Any,
) -> None:
    """Write the schema files (and other targets) of SOURCE into a folder.

    SOURCE is an app folder (default: the current folder), its inference.py, a
    manifest.json or a platform functions_schema.json. Every file is written
    atomically; on any error nothing is written.
    """
    from schemagen.emit import DEFAULT_TARGETS, EmitContext, emit_targets
    from schemagen.output import write_files

    manifest = compile_input(source, _load_options(kwargs))
    if out is None:
        base = source if source is not None else Path.cwd()
        out = base if base.is_dir() else base.parent
    if out.exists() and not out.is_dir():
        raise UsageError("--out is not a folder", file=str(out))
    files = emit_targets(manifest, list(targets or DEFAULT_TARGETS), EmitContext(app_ref=app_ref))
    changed = write_files(out, files)
    for path in changed:
        click.echo(f"wrote {path}", err=True)
