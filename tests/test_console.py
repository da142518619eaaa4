"""What the commands print at each verbosity (-q, default, -v) and in what colour
(--color, NO_COLOR, FORCE_COLOR): real `schemagen` processes, expected text by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from schemagen.cli import main
from schemagen.console import wants_color
from tests.helpers import EXAMPLES, GOLDEN, run_cli

RED_ERROR = "\x1b[31m\x1b[1merror:\x1b[0m"
STRUCTURE_FILES = [
    "functions_schema.json",
    "input_schema.json",
    "manifest.json",
    "output_schema.json",
    "setup_schema.json",
]
NO_ENV_COLOR = {"NO_COLOR": "", "FORCE_COLOR": ""}


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_takes_verbose_quiet_and_color(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.code == 0
    for flag in ("-v, --verbose", "-q, --quiet", "--color [auto|always|never]"):
        assert flag in result.stdout, (command, flag)


def test_generate_prints_one_line_v_each_file_q_nothing(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "structure", tmp_path / "structure")
    default = run_cli("generate", "structure", cwd=tmp_path)
    assert (default.code, default.stdout) == (0, "")
    assert default.stderr == "schemagen: structure: wrote 5 files\n"
    again = run_cli("generate", "structure", cwd=tmp_path)
    assert again.stderr == "schemagen: structure: up to date, nothing written\n"
    (tmp_path / "structure" / "manifest.json").unlink()
    (tmp_path / "structure" / "input_schema.json").write_text("{}\n")
    verbose = run_cli("generate", "structure", "-v", cwd=tmp_path)
    assert verbose.stderr == (
        "schemagen: wrote structure/input_schema.json\n"
        "schemagen: wrote structure/manifest.json\n"
        "schemagen: structure: wrote 2 files\n"
    )
    (tmp_path / "structure" / "manifest.json").unlink()
    quiet = run_cli("generate", "structure", "-q", cwd=tmp_path)
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert (tmp_path / "structure" / "manifest.json").is_file()


def test_generate_over_several_apps_prints_one_summary_line(tmp_path: Path) -> None:
    for name in ("structure", "multi-function"):
        shutil.copytree(EXAMPLES / name, tmp_path / "apps" / name)
    result = run_cli("generate", "-r", "apps", "--no-cache", cwd=tmp_path)
    assert result.code == 0
    assert result.stderr == "schemagen: 2 apps, 2 ok (0 from cache), 0 failed; wrote 9 files\n"
    # One job: the progress lines come as apps finish, in a fixed order only then.
    verbose = run_cli("generate", "-r", "apps", "--no-cache", "-v", "-j", "1", cwd=tmp_path)
    assert verbose.stderr.splitlines() == [
        "schemagen: compiled apps/multi-function",
        "schemagen: compiled apps/structure",
        "schemagen: 2 apps, 2 ok (0 from cache), 0 failed; wrote 0 files",
    ]


def test_quiet_keeps_errors_and_drops_warnings(tmp_path: Path) -> None:
    args = ["generate", "tests/emit/zod_cases/exotic.json", "--target", "zod"]
    loud = run_cli(*args, "--out", str(tmp_path / "a"), env=NO_ENV_COLOR)
    assert loud.code == 0 and "schemagen: warning: zod: " in loud.stderr
    quiet = run_cli(*args, "--out", str(tmp_path / "b"), "-q")
    assert (quiet.code, quiet.stderr) == (0, "")
    broken = run_cli("generate", "tests/fixtures/errors/syntax-error", "-q", env=NO_ENV_COLOR)
    assert broken.code == 2
    assert broken.stderr == (GOLDEN / "errors" / "syntax-error.txt").read_text()


def test_extract_q_still_prints_the_manifest() -> None:
    result = run_cli("extract", "examples/structure", "--sdk", "bundled", "-q")
    assert result.code == 0 and result.stderr == ""
    assert result.stdout == (GOLDEN / "examples" / "structure" / "manifest.json").read_text()


def test_diff_q_prints_nothing_but_keeps_its_exit_code(tmp_path: Path) -> None:
    old = GOLDEN / "examples" / "structure" / "manifest.json"
    new = tmp_path / "manifest.json"
    new.write_text(old.read_text().replace('"default": "modern"', '"default": "classic"'))
    loud = run_cli("diff", str(old), str(new))
    assert loud.stdout != ""
    quiet = run_cli("diff", str(old), str(new), "-q")
    assert (quiet.code, quiet.stdout, quiet.stderr) == (loud.code, "", "")


def test_colour_marks_the_prefix_only(tmp_path: Path) -> None:
    result = run_cli("extract", "no/such/app", "--color", "always")
    assert result.stderr == f"schemagen: {RED_ERROR} no/such/app: no such file or folder\n"
    never = run_cli("extract", "no/such/app", "--color", "never", env={"FORCE_COLOR": "1"})
    assert never.stderr == "schemagen: error: no/such/app: no such file or folder\n"


def test_no_color_and_force_color_decide_auto() -> None:
    plain = "schemagen: error: no/such/app: no such file or folder\n"
    forced = run_cli("extract", "no/such/app", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert forced.stderr == f"schemagen: {RED_ERROR} no/such/app: no such file or folder\n"
    both = run_cli("extract", "no/such/app", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert both.stderr == plain  # NO_COLOR wins over FORCE_COLOR
    # A command line usage error, before the flags are read: the environment decides.
    usage = run_cli("extract", "--zzz", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert usage.stderr.startswith(f"schemagen: {RED_ERROR} No such option: --zzz")


def test_check_colours_its_states_on_stdout(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "structure", tmp_path / "structure")
    result = run_cli("check", "structure", "--color", "always", cwd=tmp_path)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "\x1b[33mmissing:\x1b[0m structure/functions_schema.json"
    assert lines[-1] == "\x1b[36mfix:\x1b[0m schemagen generate structure"


def test_diff_no_color_is_still_accepted() -> None:
    manifest = str(GOLDEN / "examples" / "structure" / "manifest.json")
    result = run_cli("diff", manifest, manifest, "--no-color", env={"FORCE_COLOR": "1"})
    assert result.code == 0 and "\x1b[" not in result.stdout
    coloured = run_cli("diff", manifest, manifest, "--color", "always")
    plain = run_cli("diff", manifest, manifest, "--color", "never")
    assert "\x1b[" not in plain.stdout and plain.stdout.strip() != ""
    assert coloured.code == plain.code == 0


def test_verbose_and_quiet_together_are_a_usage_error() -> None:
    result = run_cli("generate", "examples/structure", "-v", "-q")
    assert result.code == 2
    assert result.stderr == (
        "schemagen: error: -v and -q cannot be combined (see python -m schemagen generate -h)\n"
    )


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("mode", "tty", "env", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # set but empty: not set (no-color.org)
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", True, {"FORCE_COLOR": "0"}, True),  # 0: not forced, the terminal decides
        ("auto", False, {"FORCE_COLOR": "0"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),  # the flag outranks the environment
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_wants_color(mode: str, tty: bool, env: dict[str, str], expected: bool) -> None:
    assert wants_color(mode, _Stream(tty), env) is expected  # type: ignore[arg-type]
