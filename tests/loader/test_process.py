"""The import child's limits: memory, signals, and an app that prints without end."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from schemagen.loader.process import Tail, format_size, parse_size
from tests.helpers import REPO, run_cli

APP = """
from pydantic import BaseModel


class Model(BaseModel):
    x: int = 1


class App:
    def run(self, input_data: Model) -> Model: ...
"""


def make_app(folder: Path, prelude: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "inference.py").write_text(prelude + "\n" + APP)
    return folder


def test_tail_keeps_the_last_bytes_from_a_line_start() -> None:
    tail = Tail(limit=10)
    for line in ("first line\n", "second\n", "third\n"):
        tail.write(line.encode())
    assert tail.dropped == 14
    assert tail.text() == "[14 earlier bytes of the app's output not kept]\nthird\n"
    short = Tail(limit=100)
    short.write(b"all of it\n")
    assert short.text() == "all of it\n"


@pytest.mark.parametrize(
    ("text", "size"),
    [("4G", 4 << 30), ("512M", 512 << 20), ("1.5GiB", 3 << 29), ("2048", 2048), ("none", None)],
)
def test_sizes_are_read_as_people_write_them(text: str, size: int | None) -> None:
    assert parse_size(text) == size


def test_sizes_are_shown_in_binary_units() -> None:
    assert (format_size(12 << 30), format_size(3 << 29), format_size(100)) == (
        "12 GiB", "1.5 GiB", "100 B",
    )  # fmt: skip


@pytest.mark.parametrize("batch", [False, True], ids=["one-shot", "worker"])
def test_an_import_over_the_memory_limit_says_so(tmp_path: Path, batch: bool) -> None:
    app = make_app(tmp_path / "hungry", "BUFFER = bytearray(3 << 30)")
    args = ["-r", str(tmp_path), "-j", "2"] if batch else [str(app)]
    if batch:
        make_app(tmp_path / "modest", "")  # two apps: the fork-server workers compile them
    result = run_cli(
        "generate", *args, "--memory-limit", "1G", "--no-cache", "--out", "o", cwd=tmp_path
    )
    assert result.code == 2
    line = next(line for line in result.stderr.splitlines() if "hungry" in line and "error" in line)
    assert line == (
        "schemagen: error: hungry/inference.py: the app ran out of memory while being imported "
        "(the limit is 1 GiB) "
        "(raise --memory-limit, or free memory on this machine; does it load a model at "
        "import time?)"
    )


def test_a_child_killed_by_sigkill_is_reported_as_likely_out_of_memory(tmp_path: Path) -> None:
    app = make_app(tmp_path / "killed", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    result = run_cli("extract", str(app), "--memory-limit", "2G")
    assert result.code == 2
    assert "the app's import was killed by SIGKILL, likely out of memory (the limit is 2 GiB)" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_crash_names_its_signal(tmp_path: Path) -> None:
    app = make_app(tmp_path / "crash", "import ctypes\nctypes.string_at(0)")
    result = run_cli("extract", str(app))
    assert result.code == 2
    assert "the app's import was killed by SIGSEGV before schemagen could read it" in result.stderr


def test_a_bad_memory_limit_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("extract", str(make_app(tmp_path / "a", "")), "--memory-limit", "lots")
    assert result.code == 2
    assert "'lots' is not a size (write 4G, 512M or none)" in result.stderr


def test_an_app_that_floods_its_output_costs_a_bounded_tail(tmp_path: Path) -> None:
    flood = (
        "import sys\n"
        "for i in range(1_500_000):\n"
        "    print('progress', i, 'x' * 40, file=sys.stderr if i % 2 else sys.stdout)\n"
        "raise RuntimeError('after the flood')\n"
    )
    app = make_app(tmp_path / "flood", flood)
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done.returncode, len(done.stderr), peak)\n"
    )
    argv = [sys.executable, "-c", probe, sys.executable, "-m", "schemagen", "extract", str(app)]
    proc = subprocess.run([*argv, "-v"], capture_output=True, text=True, cwd=REPO, check=True)
    code, printed, peak_kib = map(int, proc.stdout.split())
    assert code == 2
    # About 70 MB printed; -v shows the last 64 KiB of it after the traceback.
    assert printed < 100_000
    # No process of the run holds the flood: the peak is an interpreter's, not 70 MB more.
    assert peak_kib < 60_000 + _interpreter_peak_kib()


def _interpreter_peak_kib() -> int:
    probe = "import resource, pydantic; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    return int(subprocess.run([sys.executable, "-c", probe], capture_output=True).stdout)


def test_an_out_of_memory_failure_is_retried_under_a_larger_limit(tmp_path: Path) -> None:
    make_app(tmp_path / "apps" / "hungry", "BUFFER = bytearray(1536 << 20)")
    make_app(tmp_path / "apps" / "modest", "")
    env = {"SCHEMAGEN_CACHE_DIR": str(tmp_path / "cache")}

    def run(limit: str) -> dict:  # type: ignore[type-arg]
        args = ("generate", "-r", str(tmp_path / "apps"), "--format", "json", "--out", "o")
        result = run_cli(*args, "--memory-limit", limit, env=env, cwd=tmp_path)
        return {a["source"]: a for a in json.loads(result.stdout)["apps"]}

    first = run("1G")
    assert first["apps/hungry"]["status"] == "error"
    assert run("1G")["apps/hungry"]["cached"] is True
    again = run("4G")
    assert again["apps/hungry"]["status"] == "ok" and again["apps/modest"]["cached"] is True


def test_the_limit_is_an_address_space_cap_in_the_child() -> None:
    script = (
        "import resource\nfrom schemagen.loader.child.boot import limit_memory\n"
        "limit_memory(1 << 30)\nprint(resource.getrlimit(resource.RLIMIT_AS)[0])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert int(done.stdout) == 1 << 30
    assert resource.getrlimit(resource.RLIMIT_AS)[0] != 1 << 30  # this process is untouched
