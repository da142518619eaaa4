"""Project configuration: ``[tool.schemagen]`` in pyproject.toml.

::

    [tool.schemagen]
    sources = ["apps/"]          # what generate and check run on without SOURCE arguments
    recursive = true             # search those sources for apps (not SOURCE arguments)
    targets = ["jsonschema", "zod"]
    out = "build/schemas"
    sdk = "bundled"              # and stub, stub-all, timeout, memory-limit, app-class,
    jobs = 4                     # python, cache-dir, app-ref: as the flags of those names

    [tool.schemagen.target.python-client]
    app-ref = "acme/flux@2"      # an option of one target only

    [tool.schemagen.serve]       # port, heartbeat, cancel-timeout, max-instances
    port = 8080

    [tool.schemagen.diff]        # schemagen.diff.config
    fail-on = "warning"

The file is found as ruff finds its own: the nearest ``pyproject.toml`` holding a
``[tool.schemagen]`` table, from the current folder up (one without the table is
passed over); ``--config FILE`` names it instead, ``--no-config`` reads none. Flags
override it. Relative paths in it are relative to its folder. An unknown key or a
value of the wrong type is a ``UsageError`` naming the key, the file and its line.
Each command reads the keys of the flags it has (``diff``: the loader's and
``[tool.schemagen.diff]``, ``serve``: ``sdk``, ``app-class``, ``app-ref`` and
``[tool.schemagen.serve]``), and every key is checked whichever command runs.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemagen.errors import UsageError, not_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYPROJECT = "pyproject.toml"
RUN = frozenset({"generate", "check"})
LOADER = RUN | {"diff", "extract"}


@dataclass(frozen=True)
class Key:
    """A key of ``[tool.schemagen]``: the flag's parameter it sets, for which commands,
    and how its value is checked (and made what the flag takes)."""

    param: str
    commands: frozenset[str]
    kind: str  # a key of _KINDS


@dataclass(frozen=True)
class ProjectConfig:
    """``[tool.schemagen]`` of one file, checked."""

    path: Path | None = None
    # Parameter name -> value, per command (click's default_map of that command).
    defaults: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Target name -> EmitContext option -> value ([tool.schemagen.target.NAME]).
    target_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # [tool.schemagen.diff], read by schemagen.diff.config.
    diff: Mapping[str, Any] = field(default_factory=dict)


KEYS: Mapping[str, Key] = {
    "sources": Key("sources", RUN, "paths"),
    "recursive": Key("recursive", RUN, "bool"),
    "targets": Key("targets", RUN, "targets"),
    "out": Key("out", RUN, "path"),
    "jobs": Key("jobs", RUN, "count"),
    "cache-dir": Key("cache_dir", RUN, "path"),
    "app-ref": Key("app_ref", RUN | {"serve"}, "app-ref"),
    "sdk": Key("sdk", LOADER | {"serve"}, "sdk"),
    "app-class": Key("app_class", LOADER | {"serve"}, "name"),
    "stub": Key("stubs", LOADER, "names"),
    "stub-all": Key("stub_all", LOADER, "bool"),
    "timeout": Key("timeout", LOADER, "seconds"),
    "memory-limit": Key("memory_limit", LOADER, "size"),
    "python": Key("python", LOADER, "program"),
}
SERVE_KEYS: Mapping[str, Key] = {
    "port": Key("port", frozenset({"serve"}), "port"),
    "heartbeat": Key("heartbeat_seconds", frozenset({"serve"}), "seconds"),
    "cancel-timeout": Key("cancel_timeout", frozenset({"serve"}), "seconds"),
    "max-instances": Key("max_instances", frozenset({"serve"}), "count"),
}
TABLES = ("target", "serve", "diff")
# EmitContext options the command line sets for every target, not per target.
_RUN_OPTIONS = frozenset({"regenerate"})


def find_config(cwd: Path) -> Path | None:
    """The nearest pyproject.toml with a ``[tool.schemagen]`` table, from ``cwd`` up."""
    for folder in (cwd, *cwd.parents):
        candidate = folder / PYPROJECT
        if candidate.is_file() and _table(_read(candidate, _shown(candidate, cwd))) is not None:
            return candidate
    return None


def load_project_config(
    path: Path | None, *, cwd: Path, use: bool = True, plain: bool = False
) -> ProjectConfig:
    """``[tool.schemagen]`` of ``path``, else of the file ``find_config`` finds (none:
    an empty config; none either without ``use``), checked. A ``path`` without the
    table is an error unless it is a pyproject.toml or ``plain`` (diff's own file)."""
    if not use:
        return ProjectConfig()
    if path is None:
        path = find_config(cwd)
        if path is None:
            return ProjectConfig()
    table = _table(_read(path, _shown(path, cwd)))
    if table is None:
        if path.name == PYPROJECT or plain:
            return ProjectConfig(path)
        raise UsageError("has no [tool.schemagen] table", file=_shown(path, cwd))
    return _Parser(path, cwd).parse(table)


def key_location(config: ProjectConfig, key: str, cwd: Path) -> str:
    """Where ``config`` sets ``key`` of ``[tool.schemagen]``: ``pyproject.toml:3``."""
    assert config.path is not None
    shown = _shown(config.path, cwd)
    line = _Parser(config.path, cwd)._line("tool.schemagen", key)
    return f"{shown}:{line}" if line else shown


def _read(path: Path, shown: str | None = None) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise UsageError(f"cannot read config: {exc.strerror}", file=shown or str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise not_toml(exc, shown or str(path)) from None


def _table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    table = tool.get("schemagen") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


class _Parser:
    def __init__(self, path: Path, cwd: Path) -> None:
        self.path = path
        self.cwd = cwd
        self.folder = Path(os.path.abspath(path.parent))
        self.lines = path.read_text(encoding="utf-8", errors="replace").splitlines()

    def error(self, table: str, key: str, message: str, hint: str | None = None) -> UsageError:
        return UsageError(
            message, file=_shown(self.path, self.cwd), line=self._line(table, key), hint=hint
        )

    def _line(self, table: str, key: str) -> int | None:
        """The line of ``key`` in ``[table]`` (1-based), or of the table, if found."""
        current, found = "", None
        assignment = re.compile(rf"""\s*["']?{re.escape(key)}["']?\s*=""")
        for number, line in enumerate(self.lines, 1):
            header = re.match(r"\s*\[+([^\]]+)\]+\s*(#.*)?$", line)
            if header:
                current = re.sub(r"""\s|["']""", "", header.group(1))
                if current == f"{table}.{key}" and found is None:
                    found = number
                continue
            if current == table and assignment.match(line):
                return number
        return found

    def parse(self, table: dict[str, Any]) -> ProjectConfig:
        defaults: dict[str, dict[str, Any]] = {}
        self.reject_unknown("tool.schemagen", table, [*KEYS, *TABLES])
        for name, key in KEYS.items():
            if name in table:
                value = self.value("tool.schemagen", name, key.kind, table[name])
                for command in key.commands:
                    defaults.setdefault(command, {})[key.param] = value
        serve = self.subtable(table, "serve")
        self.reject_unknown("tool.schemagen.serve", serve, list(SERVE_KEYS))
        for name, key in SERVE_KEYS.items():
            if name in serve:
                value = self.value("tool.schemagen.serve", name, key.kind, serve[name])
                defaults.setdefault("serve", {})[key.param] = value
        diff = self.subtable(table, "diff")
        if diff:
            from schemagen.diff.config import diff_config

            diff_config(diff, Path(_shown(self.path, self.cwd)))  # its errors, for every command
        return ProjectConfig(
            self.path, defaults, self.targets(self.subtable(table, "target")), diff
        )

    def reject_unknown(self, where: str, table: dict[str, Any], known: list[str]) -> None:
        """An error naming the first key of ``table`` (``[where]``) not in ``known``."""
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise self.error(
                where,
                unknown[0],
                f"unknown key {unknown[0]!r} in [{where}]",
                hint=f"known keys: {', '.join(known)}",
            )

    def subtable(self, table: dict[str, Any], name: str) -> dict[str, Any]:
        value = table.get(name, {})
        if not isinstance(value, dict):
            raise self.error("tool.schemagen", name, f"[tool.schemagen.{name}] must be a table")
        return value

    def targets(self, tables: dict[str, Any]) -> dict[str, dict[str, Any]]:
        from schemagen.emit import REGISTRY, get_target

        options: dict[str, dict[str, Any]] = {}
        for name, table in tables.items():
            where = f"tool.schemagen.target.{name}"
            if name not in REGISTRY:
                raise self.error(
                    "tool.schemagen.target",
                    name,
                    f"[{where}]: no target is called {name!r}",
                    hint=f"targets: {', '.join(REGISTRY)}",
                )
            if not isinstance(table, dict):
                raise self.error("tool.schemagen.target", name, f"[{where}] must be a table")
            settable = {
                option.replace("_", "-"): option
                for option in get_target(name).options
                if option not in _RUN_OPTIONS
            }
            for key, value in table.items():
                if key not in settable:
                    known = ", ".join(settable) or "none"
                    raise self.error(
                        where, key, f"unknown key {key!r} in [{where}]", hint=f"its keys: {known}"
                    )
                kind = key if key in _KINDS else "name"
                options.setdefault(name, {})[settable[key]] = self.value(where, key, kind, value)
        return options

    def value(self, table: str, key: str, kind: str, value: Any) -> Any:
        check, wanted = _KINDS[kind]
        try:
            converted = check(self, value)
        except (TypeError, ValueError) as exc:
            detail = f" ({exc})" if str(exc) else ""
            raise self.error(
                table, key, f"{key} must be {wanted}, not {_toml(value)}{detail}"
            ) from None
        return converted

    def path_value(self, value: Any) -> str:
        text = _string(value)
        path = Path(os.path.normpath(self.folder / text))
        cwd = Path(os.path.abspath(self.cwd))
        return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, dict)):
        return "an array" if isinstance(value, list) else "a table"
    return str(value)


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError
    return value


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise TypeError
    return [_string(item) for item in value]


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise TypeError
    return float(value)


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TypeError
    return value


def _port(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise TypeError
    return value


def _targets(value: Any) -> list[str]:
    from schemagen.emit import REGISTRY

    names = _strings(value)
    for name in names:
        if name not in REGISTRY:
            raise ValueError(f"no target is called {name!r}; targets: {', '.join(REGISTRY)}")
    return names


def _sdk(value: Any) -> str:
    from schemagen.loader.api import SDK_MODES

    if value not in SDK_MODES:
        raise TypeError
    return str(value)


def _size(value: Any) -> str:
    from schemagen.loader.api import parse_size

    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError
    text = str(value)
    parse_size(text)  # ValueError when it is none
    return text


def _app_ref(value: Any) -> str:
    from schemagen.app_ref import APP_REF_PATTERN

    text = _string(value)
    if not APP_REF_PATTERN.match(text):
        raise TypeError
    return text


def _program(parser: _Parser, value: Any) -> str:
    text = _string(value)
    return parser.path_value(text) if os.sep in text or "/" in text else text


_KINDS: Mapping[str, tuple[Callable[[_Parser, Any], Any], str]] = {
    "paths": (lambda p, v: [p.path_value(item) for item in _strings(v)], "an array of paths"),
    "path": (_Parser.path_value, "a path"),
    "bool": (lambda _p, v: _bool(v), "true or false"),
    "targets": (lambda _p, v: _targets(v), "an array of target names"),
    "count": (lambda _p, v: _count(v), "a whole number of at least 1"),
    "seconds": (lambda _p, v: _number(v), "a number of seconds above 0"),
    "port": (lambda _p, v: _port(v), "a port number (0 to 65535)"),
    "sdk": (lambda _p, v: _sdk(v), "'auto', 'bundled' or 'installed'"),
    "name": (lambda _p, v: _string(v), "a name"),
    "names": (lambda _p, v: _strings(v), "an array of module names"),
    "size": (lambda _p, v: _size(v), "a size (4G, 512M or none)"),
    "program": (_program, "a path to an interpreter"),
    "app-ref": (lambda _p, v: _app_ref(v), "an app reference, namespace/name[@version]"),
}
