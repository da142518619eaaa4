"""Running schemagen as users do: a real process, a real exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FIXTURES = REPO / "tests" / "fixtures"
GOLDEN = REPO / "golden"
APP_ENTRYPOINTS = ("inference.py", "src/inference.js", "inference.js")


def is_app(folder: Path) -> bool:
    """Whether ``folder`` is an app folder (a Python or a Node.js entrypoint)."""
    return any((folder / name).is_file() for name in APP_ENTRYPOINTS)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None, unset: tuple[str, ...] = ()
) -> Run:
    """``python -m schemagen ARGS`` in ``cwd`` (``env`` added, ``unset`` taken out of this
    process's environment); never raises on a non-zero exit."""
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "schemagen", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def outputs_across_hash_seeds(script: str, seeds: tuple[str, ...] = ("0", "1", "4242")) -> set[str]:
    """What ``python -c script`` prints under each hash seed (one item: deterministic)."""
    return {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in seeds
    }


def git(repo: Path, *args: str) -> None:
    """Run git in ``repo`` as a throwaway committer; raise on failure."""
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def compare_or_update(expected_dir: Path, actual: dict[str, bytes], update: bool) -> None:
    """Assert ``actual`` (name -> bytes) equals the files of ``expected_dir`` exactly."""
    if update:
        expected_dir.mkdir(parents=True, exist_ok=True)
        for stale in expected_dir.iterdir():
            if stale.name not in actual:
                stale.unlink()
        for name, content in actual.items():
            (expected_dir / name).write_bytes(content)
        return
    assert expected_dir.is_dir(), f"no golden for {expected_dir}; run pytest --update-golden"
    expected = {p.name: p.read_bytes() for p in expected_dir.iterdir()}
    assert sorted(actual) == sorted(expected), f"files differ from {expected_dir}"
    for name in sorted(actual):
        assert actual[name] == expected[name], f"{expected_dir / name} differs"


def read_tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
