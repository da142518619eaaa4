"""Command line: parse flags, call the pipeline, print, choose the exit code.

Exit codes: 0 success, 1 a finding (a breaking diff, stale files), 2 a usage or
input error. Errors a user can cause print one line; ``-v`` adds the detail.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from schemagen import __version__
from schemagen.console import COLOR_MODES, ColorMode, Console, Verbosity
from schemagen.errors import SchemagenError, UsageError
from schemagen.loader.api import SDK_MODES, LoadOptions
from schemagen.manifest import Manifest

if TYPE_CHECKING:
    from schemagen.batch import SourceOutcome
    from schemagen.cache import ManifestCache
    from schemagen.config import ProjectConfig

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDING, EXIT_ERROR = 0, 1, 2
# 128 + the signal, as a shell reports a program a Ctrl-C (SIGINT) or a closed pipe stopped
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE, EXIT_TERMINATED = 130, 141, 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is so that it stops as on Ctrl-C: the loader's
    children killed, half-written files removed (a CI job cancelled, a timeout)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def _stopped(console: Console, interrupt: KeyboardInterrupt) -> NoReturn:
    if isinstance(interrupt, Terminated):
        console.interrupted("terminated")
        sys.exit(EXIT_TERMINATED)
    console.interrupted()
    sys.exit(EXIT_INTERRUPTED)


def reports_errors(command: F) -> F:
    """Turn SchemagenError into one line on stderr and exit code 2; a bug, too; Ctrl-C
    into "schemagen: interrupted" and exit code 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        console: Console = kwargs["console"]
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _reader_left()
        except KeyboardInterrupt as interrupt:
            # What was started is stopped and what was half-written is removed on the
            # way up (the loader's children, output.write_files' temporary files).
            _stopped(console, interrupt)
        except SchemagenError as error:
            _print_traceback(console.verbose)
            console.error(error)
        except Exception as exc:  # noqa: BLE001 - a schemagen bug: one line, not a traceback
            _print_traceback(console.verbose)
            first = (str(exc).strip().splitlines() or [""])[0]
            hint = (
                "the traceback is above" if console.verbose else "rerun with -v for the traceback"
            )
            console.error_text(
                f"{type(exc).__name__}: {first} (a schemagen bug: {hint}, and please report it)",
                "internal error",
            )
        sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def _reader_left() -> NoReturn:
    """The reader of stdout went away (`schemagen ... | head`): nothing more to say, and
    nothing to flush at exit; not exit 1 either, which ``diff`` and ``check`` give a
    finding."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_BROKEN_PIPE)


def _print_traceback(verbose: bool) -> None:
    if verbose:
        import traceback

        traceback.print_exc()


def console_options(command: F) -> F:
    """-v, -q and --color, given to the command as one ``console``."""

    @functools.wraps(command)
    def wrapper(
        *args: Any, verbose: bool, quiet: bool, color: ColorMode, no_color: bool, **kwargs: Any
    ) -> Any:
        if verbose and quiet:
            raise click.UsageError("-v and -q cannot be combined")
        verbosity: Verbosity = "verbose" if verbose else "quiet" if quiet else "normal"
        return command(*args, console=Console(verbosity, "never" if no_color else color), **kwargs)

    decorators = [
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            help="Say more: each file written, tracebacks and the app's own output on errors.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="Print errors only."),
        click.option(
            "--color",
            type=click.Choice(COLOR_MODES),
            default="auto",
            show_default=True,
            help="Colour prefixes and severities: auto (on a terminal, unless NO_COLOR is set).",
        ),
        click.option("--no-color", is_flag=True, hidden=True, help="Same as --color never."),
    ]
    for decorate in reversed(decorators):
        wrapper = decorate(wrapper)
    return wrapper  # type: ignore[return-value]


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
        click.option(
            "--memory-limit",
            metavar="SIZE",
            type=MEMORY_SIZE,
            default="auto",
            help="Address space the app's import may use (4G, 512M, none; "
            "default: half this machine's memory).",
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


class _MemorySize(click.ParamType):
    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from schemagen.loader.api import default_memory_limit, parse_size

        if isinstance(value, int) or value is None:
            return value
        if value == "auto":
            return default_memory_limit()
        try:
            return parse_size(value)
        except ValueError:
            self.fail(f"{value!r} is not a size (write 4G, 512M or none)", param, ctx)


MEMORY_SIZE = _MemorySize()


def _load_options(kwargs: dict[str, Any]) -> LoadOptions:
    return LoadOptions(
        sdk=kwargs["sdk"],
        stubs=tuple(kwargs["stubs"]),
        stub_all=kwargs["stub_all"],
        timeout=kwargs["timeout"],
        app_class=kwargs["app_class"],
        python=kwargs["python"],
        memory_limit=kwargs["memory_limit"],
    )


# The loader's errors that name a flag by its value ("--app-class Nope: ..."), by flag.
_NAMED_FLAGS = {"--app-class": "app_class", "--sdk": "sdk"}


def name_config_keys(error: SchemagenError) -> SchemagenError:
    """``error`` in the config's terms when the value it is about came from
    ``[tool.schemagen]``: its key and line instead of a flag the user never typed."""
    from click.core import ParameterSource

    ctx = click.get_current_context(silent=True)
    config = project_config() if ctx is not None else None
    if ctx is None or config is None or config.path is None:
        return error
    import json

    from schemagen.config import key_location

    flag, _, rest = error.message.partition(" ")
    param = _NAMED_FLAGS.get(flag)
    if param is not None and ctx.get_parameter_source(param) is ParameterSource.DEFAULT_MAP:
        value = str(ctx.params[param])
        key = flag.removeprefix("--")
        where = key_location(config, key, Path.cwd())
        error.message = f"{key} = {json.dumps(value)} ({where}){rest.removeprefix(value)}"
    python = ctx.params.get("python")
    if (
        python is not None
        and error.file == python
        and ctx.get_parameter_source("python") is ParameterSource.DEFAULT_MAP
    ):
        where = key_location(config, "python", Path.cwd())
        error.hint = f"python = {json.dumps(python)} is set in {where}"
    return error


def compile_input(path: Path | None, options: LoadOptions, console: Console) -> Manifest:
    """A manifest from an app folder/entrypoint, a manifest file or functions_schema.json."""
    if path is not None and path.is_file() and path.suffix == ".json":
        from schemagen.manifest import load_manifest_file

        return load_manifest_file(path)
    from schemagen.loader.api import load_app

    try:
        result = load_app(path, options)
    except SchemagenError as error:
        raise name_config_keys(error) from None
    console.warnings(result.warnings)
    return result.manifest


# click >= 8.2 raises it for a group called without arguments (8.1 prints the help itself).
_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _Main(click.Group):
    """The command group; a usage error is one line, like every other error."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False  # errors come back here instead of being printed
        console = Console()  # the flags are not read yet: colour by the terminal
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _raise_terminated)  # serve sets its own
        try:
            code = super().main(*args, **kwargs)
        except _NO_ARGS_IS_HELP as error:  # `schemagen` alone: the help, as click shows it
            error.show()
            sys.exit(error.exit_code)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx is not None else "schemagen"
            console.error_text(f"{error.format_message()} (see {where} -h)")
            sys.exit(EXIT_ERROR)
        except click.ClickException as error:
            console.error_text(error.format_message())
            sys.exit(error.exit_code)
        except click.Abort as error:
            if isinstance(error.__context__, KeyboardInterrupt):  # Ctrl-C while click read
                _stopped(console, error.__context__)
            console.error_text("aborted")
            sys.exit(1)
        except BrokenPipeError:
            _reader_left()
        sys.exit(code if isinstance(code, int) else 0)


# Where a command's ProjectConfig is kept in its click context's meta.
_CONFIG = "schemagen.config"


def _config_flags(args: Sequence[str]) -> tuple[Path | None, bool]:
    """``--config FILE`` and ``--no-config`` among ``args``, read before click parses them
    (the config gives the other flags their defaults)."""
    path: Path | None = None
    use = True
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--no-config":
            use = False
        elif arg == "--config" and i + 1 < len(args):
            path = Path(args[i + 1])
        elif arg.startswith("--config="):
            path = Path(arg.partition("=")[2])
    return path, use


class _Configured(click.Command):
    """A command whose flags default to ``[tool.schemagen]`` (``schemagen.config``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from schemagen.config import load_project_config

        if not {"-h", "--help"} & set(args):
            path, use = _config_flags(args)
            try:
                config = load_project_config(
                    path, cwd=Path.cwd(), use=use, plain=self.name == "diff"
                )
            except SchemagenError as error:
                Console().error(error)
                sys.exit(EXIT_ERROR)
            ctx.meta[_CONFIG] = config
            ctx.default_map = {
                **config.defaults.get(self.name or "", {}),
                **(ctx.default_map or {}),
            }
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        from click.core import ParameterSource

        # The config's recursive searches the config's sources, not SOURCE arguments (so
        # that a printed `schemagen generate apps/x --out build/x` does what it says).
        if (
            "sources" in ctx.params
            and ctx.get_parameter_source("sources") is ParameterSource.COMMANDLINE
            and ctx.get_parameter_source("recursive") is ParameterSource.DEFAULT_MAP
        ):
            ctx.params["recursive"] = False
        return super().invoke(ctx)


def config_options(command: F) -> F:
    """``--config FILE`` and ``--no-config`` (read by ``_Configured`` before the rest)."""
    decorators = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Read [tool.schemagen] from FILE instead of the nearest pyproject.toml "
            "that has it.",
        ),
        click.option("--no-config", is_flag=True, help="Read no [tool.schemagen]."),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def project_config() -> ProjectConfig:
    """The ``[tool.schemagen]`` the running command read."""
    from schemagen.config import ProjectConfig

    config = click.get_current_context().meta.get(_CONFIG)
    return config if isinstance(config, ProjectConfig) else ProjectConfig()


def _target_options() -> Mapping[str, Mapping[str, Any]]:
    """``[tool.schemagen.target.NAME]`` options; a flag given wins over them."""
    from click.core import ParameterSource

    ctx = click.get_current_context()
    options = project_config().target_options
    if ctx.get_parameter_source("app_ref") is ParameterSource.COMMANDLINE:
        options = {
            name: {k: v for k, v in o.items() if k != "app_ref"} for name, o in options.items()
        }
    return options


def _config_out_base() -> Path | None:
    """The config's folder when ``out`` came from it: apps keep their paths from there."""
    from click.core import ParameterSource

    ctx = click.get_current_context()
    config = project_config()
    if config.path is None or ctx.get_parameter_source("out") is not ParameterSource.DEFAULT_MAP:
        return None
    return config.path.parent


@click.group(
    cls=_Main,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: schemagen generate examples/multi-function --out schemas/",
)
@click.version_option(__version__, prog_name="schemagen")
def main() -> None:
    """Compile inference.sh apps into JSON Schema, zod and typed clients; diff their APIs."""


@main.command(
    epilog="Example: schemagen extract examples/structure > manifest.json", cls=_Configured
)
@click.argument("app", required=False, type=click.Path(path_type=Path))
@loader_options
@config_options
@console_options
@reports_errors
def extract(app: Path | None, console: Console, **kwargs: Any) -> None:
    """Import APP statically and print its manifest (the IR) as JSON.

    APP is an app folder (default: the current folder) or its inference.py. The
    loader's flags (--sdk, --stub, ...) default to [tool.schemagen], as for generate.
    """
    manifest = compile_input(app, _load_options(kwargs), console)
    click.echo(manifest.to_json(), nl=False)


def _target_choice() -> click.Choice[str]:
    from schemagen.emit import REGISTRY

    return click.Choice(list(REGISTRY))


def output_options(command: F) -> F:
    """Flags that choose what is generated and where."""
    decorators = [
        click.option(
            "--out",
            type=click.Path(path_type=Path, file_okay=False),
            help="Output folder (default: each app's own folder, as the platform lays files "
            "out; with several apps, one subfolder per app).",
        ),
        click.option(
            "--target",
            "targets",
            multiple=True,
            type=_target_choice(),
            help="Back end to run (repeatable; default: jsonschema).",
        ),
        click.option(
            "--app-ref",
            metavar="NAMESPACE/NAME[@VERSION]",
            help="The app reference typed clients call (default: from inf.yml).",
        ),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def batch_options(command: F) -> F:
    """Flags for runs over many apps."""
    decorators = [
        click.option(
            "-r", "--recursive", is_flag=True, help="Every app folder under the given folders."
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            help="Apps compiled in parallel (default: the number of cores).",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path, file_okay=False),
            help="Manifest cache (default: $SCHEMAGEN_CACHE_DIR or ~/.cache/schemagen).",
        ),
        click.option("--no-cache", is_flag=True, help="Import every app, ignoring the cache."),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["text", "json"]),
            default="text",
            show_default=True,
            help="json: a machine-readable summary on stdout.",
        ),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def run_options(command: F) -> F:
    """The arguments and flags of a run over many sources (generate, check)."""
    decorators = [
        click.argument("sources", nargs=-1, type=click.Path(path_type=Path)),
        output_options,
        batch_options,
        loader_options,
        config_options,
        console_options,
        reports_errors,
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def _compile_all(
    sources: tuple[Path, ...], out: Path | None, console: Console, kwargs: dict[str, Any]
) -> tuple[list[SourceOutcome], ManifestCache | None]:
    from schemagen.batch import compile_run

    progress = _Progress(console, silent=kwargs["output_format"] == "json")
    try:
        outcomes, cache = compile_run(
            list(sources),
            recursive=kwargs["recursive"],
            out=out,
            options=_load_options(kwargs),
            jobs=kwargs["jobs"],
            cache_dir=kwargs["cache_dir"],
            use_cache=not kwargs["no_cache"],
            on_plan=progress.plan,
            on_done=progress.step,
            out_base=_config_out_base(),
        )
    finally:
        progress.close()
    for outcome in outcomes:
        if outcome.error is not None:
            name_config_keys(outcome.error)
    return outcomes, cache


class _Progress:
    """Over several sources: a bar on a terminal; with -v, a line per app instead."""

    def __init__(self, console: Console, silent: bool) -> None:
        self.console = console
        self.silent = silent or console.quiet
        self.total = 0
        self.bar: Any = None

    def plan(self, total: int) -> None:
        self.total = total
        if not self.silent and not self.console.verbose and total > 1 and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="compiling", file=sys.stderr)
            self.bar.__enter__()

    def step(self, outcome: SourceOutcome) -> None:
        if self.bar is not None:
            self.bar.update(1)
        elif not self.silent and self.total > 1:
            state = "failed" if outcome.error else "cached" if outcome.cached else "compiled"
            self.console.detail(f"{state} {outcome.label}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _report(outcomes: Sequence[SourceOutcome], console: Console) -> list[SourceOutcome]:
    """Print the warnings and errors of every source; the sources that failed."""
    failed = [o for o in outcomes if o.error is not None]
    for outcome in outcomes:
        console.warnings(outcome.warnings)
    for outcome in failed:
        assert outcome.error is not None
        console.error(outcome.error)
    return failed


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _apps_summary(outcomes: Sequence[SourceOutcome], stale: set[int] | None = None) -> str:
    """``3 apps, 1 ok (1 from cache), 1 stale, 1 failed`` (no stale count for generate)."""
    failed = [o for o in outcomes if o.error is not None]
    ok = [o for i, o in enumerate(outcomes) if o.error is None and i not in (stale or ())]
    cached = sum(1 for o in ok if o.cached)
    stale_part = f", {len(stale)} stale" if stale is not None else ""
    return (
        f"{_plural(len(outcomes), 'app')}, {len(ok)} ok ({cached} from cache){stale_part}, "
        f"{len(failed)} failed"
    )


@main.command(
    epilog="Examples:\n\n"
    "  schemagen generate examples/structure --out build/structure\n\n"
    "  schemagen generate build/structure/manifest.json --target jsonschema --out out/\n\n"
    "  schemagen generate --recursive apps/ -j 4",
    cls=_Configured,
)
@run_options
def generate(
    sources: tuple[Path, ...],
    out: Path | None,
    targets: tuple[str, ...],
    app_ref: str | None,
    console: Console,
    **kwargs: Any,
) -> None:
    """Write the schema files (and other targets) of each SOURCE.

    SOURCE is an app folder (default: the current folder), its inference.py, a
    manifest.json or a platform functions_schema.json; with --recursive, a
    folder searched for apps. Every file is written atomically; an app that
    fails to compile writes nothing, and the others go on. Prints one summary
    line (-v: each file written, -q: errors only).
    """
    from schemagen.batch import FileReport, emit_outcomes, json_summary, shown, write_outputs

    as_json = kwargs["output_format"] == "json"
    outcomes, cache = _compile_all(sources, out, console, kwargs)
    files: dict[int, list[FileReport]] = {}
    for i, outcome, emitted in emit_outcomes(outcomes, targets, app_ref, cache, _target_options()):
        written = write_outputs(outcome, emitted)
        if written is None:
            continue
        files[i] = written
        if not as_json:
            for item in written:
                console.detail(
                    f"{'wrote' if item.state == 'written' else 'removed'} {shown(item.path)}"
                )
    if as_json:
        click.echo(json_summary(outcomes, files))
        sys.exit(EXIT_ERROR if any(o.error for o in outcomes) else EXIT_OK)
    failed = _report(outcomes, console)
    reports = [item for written in files.values() for item in written]
    wrote = sum(1 for item in reports if item.state == "written")
    removed = len(reports) - wrote
    done = ", ".join(
        [f"wrote {_plural(wrote, 'file')}"] * bool(wrote or not removed)
        + [f"removed {removed}"] * bool(removed)
    )
    if len(outcomes) > 1 or kwargs["recursive"]:
        console.summary(f"{_apps_summary(outcomes)}; {done}")
    elif not failed:  # one source: its error, if any, is the summary
        console.summary(
            f"{outcomes[0].label}: {done if reports else 'up to date, nothing written'}"
        )
    sys.exit(EXIT_ERROR if failed else EXIT_OK)


@main.command(
    epilog="Examples:\n\n"
    "  schemagen check examples/structure\n\n"
    "  schemagen check --recursive apps/ --format json",
    cls=_Configured,
)
@run_options
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Show what regenerating would change, as a unified diff (also with -v).",
)
def check(
    sources: tuple[Path, ...],
    out: Path | None,
    targets: tuple[str, ...],
    app_ref: str | None,
    console: Console,
    show_diff: bool,
    **kwargs: Any,
) -> None:
    """Check that the generated files of each SOURCE are up to date on disk.

    Regenerates in memory and compares byte for byte with the files in each app
    folder (or --out). Lists each stale, missing or obsolete file and the command
    that fixes it (the unified diffs with --diff or -v). Exit 0 when everything is
    up to date, 1 when a file is stale or missing, 2 when an app cannot be compiled.
    """
    from schemagen.batch import FileReport, emit_outcomes, fix_command, json_summary, shown
    from schemagen.check import stale_files

    as_json = kwargs["output_format"] == "json"
    outcomes, cache = _compile_all(sources, out, console, kwargs)
    files: dict[int, list[FileReport]] = {}
    stale_apps: set[int] = set()
    checked = 0
    for i, outcome, emitted in emit_outcomes(outcomes, targets, app_ref, cache, _target_options()):
        stale = stale_files(outcome.out_dir, emitted.files, emitted.obsolete, shown=shown)
        files[i] = [FileReport(f.path, f.state) for f in stale]
        checked += len(emitted.files)
        if not stale:
            continue
        stale_apps.add(i)
        if as_json:
            continue
        for item in stale:
            console.finding(item.state, shown(item.path))
            if show_diff or console.verbose:
                console.report(item.diff)
        console.finding("fix", fix_command(outcome, targets, _load_options(kwargs), app_ref))
    if as_json:
        click.echo(json_summary(outcomes, files))
    failed = [o for o in outcomes if o.error is not None]
    if not as_json:
        _report(outcomes, console)
        if len(outcomes) > 1 or kwargs["recursive"]:
            console.summary(_apps_summary(outcomes, stale_apps))
        elif not failed:
            count = len(files.get(0, []))
            state = (
                f"{count} of {_plural(checked, 'file')} out of date"
                if count
                else (f"up to date ({_plural(checked, 'file')})")
            )
            console.summary(f"{outcomes[0].label}: {state}")
    sys.exit(EXIT_ERROR if failed else EXIT_FINDING if stale_apps else EXIT_OK)


@main.command(
    epilog="Example: schemagen serve examples/multi-function --port 8000\n\n"
    "  then, with the official SDK: inference(api_key='local', "
    "base_url='http://127.0.0.1:8000').run({'app': 'examples/multi-function', "
    "'function': 'reverse', 'input': {'text': 'hello'}})",
    cls=_Configured,
)
@click.argument("app", required=False, type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port; the line on stderr says which).",
)
@click.option(
    "--app-ref",
    metavar="NAMESPACE/NAME",
    help="The app reference the server answers to (default: from inf.yml, else any).",
)
@click.option("--api-key", metavar="KEY", help="Require this bearer token (default: any).")
@click.option(
    "--sdk",
    type=click.Choice(SDK_MODES),
    default="auto",
    show_default=True,
    help="inferencesh the app runs with: the installed package, or schemagen's bundled "
    "surface (models and File only), or auto (installed when importable).",
)
@click.option("--app-class", metavar="NAME", help="The app class, when it is not App.")
@click.option(
    "--max-instances",
    type=click.IntRange(min=1),
    help="Set-up app instances to keep, one per setup config (default: all); "
    "1 re-initialises on every config change, as the platform's worker does.",
)
@click.option(
    "--heartbeat",
    "heartbeat_seconds",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Time between heartbeat lines on a task's stream while it waits (default: 10).",
)
@click.option(
    "--cancel-timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="How long a cancelled task of a Node.js app may take to stop before its node "
    "process is killed and started again (default: 30, as the platform).",
)
@config_options
@console_options
@reports_errors
def serve(
    app: Path | None,
    port: int,
    app_ref: str | None,
    api_key: str | None,
    sdk: str,
    app_class: str | None,
    max_instances: int | None,
    heartbeat_seconds: float | None,
    cancel_timeout: float | None,
    console: Console,
    **_config: Any,
) -> None:
    """Run APP behind the platform's task API on 127.0.0.1, for the official SDKs.

    The real app code runs (its dependencies must be installed): a Python app in
    this process, a Node.js app in one node process. Setup runs once per setup
    config, then each task's function; file outputs are served back as URLs.
    Point an SDK or a generated client at the printed URL. SIGTERM stops it (exit 0),
    and so does Ctrl-C (exit 130).
    """
    from schemagen.serve.server import run_server

    stopped_by = run_server(
        app,
        port=port,
        app_ref=app_ref,
        api_key=api_key,
        sdk=sdk,
        app_class=app_class,
        verbose=console.verbose,
        announce=console.summary,
        max_instances=max_instances,
        heartbeat_seconds=heartbeat_seconds,
        cancel_timeout=cancel_timeout,
    )
    if stopped_by == signal.SIGINT:  # Ctrl-C, as any command; SIGTERM is a clean stop (0)
        console.interrupted()
        sys.exit(EXIT_INTERRUPTED)


@main.command(
    epilog="Examples:\n\n"
    "  schemagen diff git:origin/main:apps/flux apps/flux --format github\n\n"
    "  schemagen diff old/manifest.json new/manifest.json --fail-on warning",
    cls=_Configured,
)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "json", "markdown", "github"]),
    default="text",
    show_default=True,
    help="text (coloured on a terminal), json (stable schema), markdown (pull-request "
    "comment), github (workflow annotations).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "warning", "never"]),
    default=None,
    help="Exit 1 at or above this level [default: breaking, or fail-on from the config].",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read [tool.schemagen] (and its diff table) from FILE instead of the nearest "
    "pyproject.toml that has it; a FILE without it holds the diff table's keys at its top.",
)
@click.option("--no-config", is_flag=True, help="Read no [tool.schemagen].")
@click.option(
    "--allow-new",
    is_flag=True,
    help="When OLD does not exist (an app the change adds), compare NEW with the same app "
    "without functions: each function is reported as added, and nothing breaks.",
)
@loader_options
@console_options
@reports_errors
def diff(
    old: str,
    new: str,
    format_: str,
    fail_on: str | None,
    config_path: Path | None,
    allow_new: bool,
    no_config: bool,
    console: Console,
    **kwargs: Any,
) -> None:
    """Compare two versions of an app's API and classify every change by direction.

    OLD and NEW are each an app folder, a manifest, a functions_schema.json, a
    folder with the platform's schema files, or git:REF:PATH (read from git
    history, no checkout). A change is breaking when NEW rejects an input or
    setup old callers could send, or may emit an output old consumers reject;
    every breaking finding carries a JSON value that proves it. Exit 0 when
    nothing is at or above --fail-on, 1 when something is, 2 on errors.
    """
    from schemagen.diff import exit_code, load_config, render, resolve_source, run_diff
    from schemagen.diff.config import DiffConfig, diff_config
    from schemagen.diff.sources import SourceMissing

    options = _load_options(kwargs)

    def load(path: Path) -> Manifest:
        from schemagen.loader.api import load_app

        # Positions let findings point at the lines they are about.
        result = load_app(path, dataclasses.replace(options, positions=True))
        console.warnings(result.warnings)
        return result.manifest

    cwd = Path.cwd()
    project = project_config()
    if no_config:
        config = DiffConfig()
    elif config_path is not None:
        config = load_config(config_path, cwd)  # its diff table, or its top-level keys
    else:
        config = diff_config(project.diff, project.path)
    new_manifest = resolve_source(new, load, cwd=cwd)
    try:
        old_manifest = resolve_source(old, load, cwd=cwd)
    except SourceMissing as exc:
        if not allow_new:
            extra = "pass --allow-new if the change adds this app"
            hint = f"{exc.hint}; or {extra}" if exc.hint else extra
            raise UsageError(exc.message, hint=hint) from None
        # A new app: every function is added, its setup is its own.
        old_manifest = dataclasses.replace(new_manifest, functions={}, sources=None)
    report = run_diff(
        old_manifest,
        new_manifest,
        config,
        old_label=old,
        new_label=new,
    )
    if not console.quiet:
        text = render(report, format_, color=console.stdout_color())  # type: ignore[arg-type]
        click.echo(text, nl=False, color=True)
    sys.exit(exit_code(report, fail_on or config.fail_on))  # type: ignore[arg-type]
