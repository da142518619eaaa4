"""Ctrl-C and a closed pipe, on real `schemagen` processes: exit 130 with one line and
the import children killed, nothing half-written; `| head` quiet."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REPO

# An app whose import says where it runs, then sleeps far past the test.
SLEEPING_APP = """\
import os
import time
from pathlib import Path

from pydantic import BaseModel

Path(os.environ["SCHEMAGEN_TEST_PIDS"], Path(__file__).parent.name).write_text(str(os.getpid()))
time.sleep(120)


class AppInput(BaseModel):
    text: str


class App:
    async def run(self, input_data: AppInput) -> AppInput:
        return input_data
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _written_pids(folder: Path, count: int) -> list[int] | None:
    """The pids the apps wrote in ``folder``, once ``count`` are there in full (a file
    exists a moment before its text)."""
    texts = [p.read_text() for p in folder.iterdir()]
    if len(texts) < count or not all(texts):
        return None
    return [int(text) for text in texts]


def _wait_for(predicate: object, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# The same, for Node.js (evaluated in a child node).
SLEEPING_NODE_APP = """\
import { writeFileSync } from "node:fs";
import { z } from "zod";

writeFileSync(`${process.env.SCHEMAGEN_TEST_PIDS}/node`, String(process.pid));
await new Promise((resolve) => setTimeout(resolve, 120000));

export const RunInput = z.object({ text: z.string() });
export class App {
  async run(input) {
    return input;
  }
}
"""
NODE_PACKAGE = '{"type": "module", "dependencies": {"zod": "^3.23.0"}}\n'


@pytest.mark.parametrize(
    ("apps", "language", "stop"),
    [
        (["one"], "python", signal.SIGINT),
        (["one", "two"], "python", signal.SIGINT),
        (["node"], "node", signal.SIGINT),
        # SIGTERM (a cancelled CI job) stops a run the same way, as "terminated", 143.
        (["one"], "python", signal.SIGTERM),
        (["one", "two"], "python", signal.SIGTERM),
    ],
    ids=["one-app", "worker-pool", "node-app", "one-app-sigterm", "worker-pool-sigterm"],
)
def test_ctrl_c_or_sigterm_kills_the_imports_and_writes_nothing(
    tmp_path: Path, apps: list[str], language: str, stop: signal.Signals
) -> None:
    tree, pids = tmp_path / "apps", tmp_path / "pids"
    pids.mkdir()
    for name in apps:
        (tree / name).mkdir(parents=True)
        if language == "node":
            (tree / name / "inference.js").write_text(SLEEPING_NODE_APP)
            (tree / name / "package.json").write_text(NODE_PACKAGE)
        else:
            (tree / name / "inference.py").write_text(SLEEPING_APP)
    before = sorted(p.relative_to(tree) for p in tree.rglob("*"))
    sources = ["-r", str(tree), "-j", "2"] if len(apps) > 1 else [str(tree / apps[0])]
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemagen", "generate", *sources, "--no-cache", "--stub-all"],
        cwd=REPO,
        env={**os.environ, "SCHEMAGEN_TEST_PIDS": str(pids)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: _written_pids(pids, len(apps)) is not None)
        children = _written_pids(pids, len(apps)) or []
        proc.send_signal(stop)  # to schemagen alone, not to its process group
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    if stop == signal.SIGINT:
        assert (proc.returncode, stdout, stderr) == (130, "", "schemagen: interrupted\n")
    else:
        assert (proc.returncode, stdout, stderr) == (143, "", "schemagen: terminated\n")
    _wait_for(lambda: not any(_alive(pid) for pid in children), 10)
    assert sorted(p.relative_to(tree) for p in tree.rglob("*")) == before


def test_an_interrupted_write_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schemagen import output

    out = tmp_path / "out"
    out.mkdir()
    (out / "a.json").write_text("old a\n")
    real_replace = os.replace
    renames = []

    def interrupted(src: str, dst: str) -> None:
        renames.append(dst)
        if len(renames) == 3:  # b.json aside, then a Ctrl-C before its new bytes land
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_files(out, {"a.json": b"new a\n", "b.json": b"new b\n"})
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert sorted(p.name for p in out.iterdir()) == ["a.json"]
    assert (out / "a.json").read_text() == "old a\n"


def test_a_closed_pipe_is_quiet() -> None:
    # `schemagen extract | true`: the reader is gone before the first write.
    read, write = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemagen", "extract", "golden/examples/structure/manifest.json"],
        cwd=REPO,
        stdout=write,
        stderr=subprocess.PIPE,
    )
    os.close(write)
    os.close(read)
    _, stderr = proc.communicate(timeout=60)
    assert stderr == b""
    assert proc.returncode == 141  # 128 + SIGPIPE, as a shell reports it


def test_ctrl_c_stops_serve_with_exit_130() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemagen", "serve", "tests/fixtures/serve/counter"]
        + ["--port", "0", "--sdk", "bundled"],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    try:
        assert proc.stderr.readline().startswith("schemagen: serving tests/counter ")
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert stderr.splitlines()[-1] == "schemagen: interrupted"
