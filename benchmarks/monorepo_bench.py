"""`schemagen generate --recursive` over a synthetic monorepo, beside the naive baseline.

Figures, all from one run on this machine (nothing is asserted):

- cold: ``schemagen generate -r`` with an empty cache, amortised per app;
- baseline: one fresh ``python`` process per app that imports it (with the
  same stubs and bundled SDK, so the heavy imports resolve) and calls
  ``model_json_schema()`` on its models, run as many at a time as there are
  cores, amortised per app;
- warm: the same ``generate -r`` again with nothing changed (total).

The apps' heavy imports (torch, anthropic, ...) are stubbed on both sides
(``--stub``) even where this environment has one installed (the test venv has
anthropic, for the llm-tools target's tests): the figures are those of a
machine without them, whatever is installed here.

Goals on 2 cores: cold at most 100 ms per app, warm at most 1 s for 300 apps.

    python benchmarks/monorepo_bench.py [--apps 300] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from monorepo_gen import HEAVY_MODULES, write_monorepo  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BASELINE = """
import sys
from pydantic import BaseModel
sys.path.insert(0, {sdk!r})
from schemagen.loader.child import finder
from schemagen.loader.child.main import import_app_module
app = sys.argv[1]
finder.install_finders(finder.StubFinder(app_dir=app, forced=frozenset({heavy!r})))
sys.path.insert(0, app)
module = import_app_module(app, app + "/inference.py")
for value in list(vars(module).values()):
    if isinstance(value, type) and issubclass(value, BaseModel):
        if value.__module__ == module.__name__:
            value.model_json_schema()
"""


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env, cwd=REPO)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="write the monorepo here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "monorepo"
        apps = write_monorepo(root, args.apps, seed=0)
        env = {**os.environ, "SCHEMAGEN_CACHE_DIR": str(Path(scratch) / "cache")}
        generate = [
            sys.executable,
            "-m",
            "schemagen",
            "generate",
            "-r",
            str(root),
            "--sdk",
            "bundled",
            *(arg for module in HEAVY_MODULES for arg in ("--stub", module)),
        ]
        cold = timed(generate, env)
        warm = timed(generate, env)
        sdk = str(REPO / "schemagen" / "sdk")
        code = BASELINE.format(sdk=sdk, heavy=HEAVY_MODULES)
        jobs = len(os.sched_getaffinity(0))
        start = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            list(
                pool.map(
                    lambda app: subprocess.run(
                        [sys.executable, "-c", code, str(app)], check=True, capture_output=True
                    ),
                    apps,
                )
            )
        baseline = time.perf_counter() - start
    n = len(apps)
    print(f"{n} apps, {jobs} cores")
    print(f"{'':<34} {'total s':>8} {'per app ms':>11}")
    rows = [
        ("baseline: python per app", baseline, ""),
        ("schemagen generate -r, cold", cold, "(goal <= 100 ms/app)"),
        ("schemagen generate -r, warm", warm, "(goal <= 1 s total)"),
    ]
    for label, seconds, goal in rows:
        print(f"{label:<34} {seconds:8.2f} {seconds / n * 1000:11.1f}   {goal}")


if __name__ == "__main__":
    main()
