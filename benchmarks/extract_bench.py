"""Cold `schemagen extract` wall time per example app, beside `python -c "import pydantic"`.

Each run is a fresh process (what CI pays per app). The floor is the cost of
starting Python and importing pydantic, measured in the same run on the same
machine; the goal is at most 2x that floor. A second reference shows what any
pydantic-based extraction pays at least: one interpreter building one
one-field model and its JSON Schema. Node.js example apps are measured beside
their own floor, `node -e 'require("zod")'` (starting node and loading zod 3),
in the same run. Prints figures; asserts nothing.

Runs are interleaved (one of each command per round, medians over the
rounds), so that a machine that slows down or speeds up mid-run moves every
line alike. schemagen is byte-compiled first, as installing its wheel does:
under PYTHONDONTWRITEBYTECODE, or in a checkout whose folders are not
writable, every run would otherwise compile its modules again, a cost no
installed copy pays.

    python benchmarks/extract_bench.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ONE_MODEL = (
    "from pydantic import BaseModel\nclass Model(BaseModel):\n    x: int\nModel.model_json_schema()"
)


def time_commands(commands: list[list[str]], repeat: int) -> list[float]:
    """Median wall time in seconds of each command over ``repeat`` rounds of fresh runs,
    one run of each command per round (after one warm-up round)."""
    samples: list[list[float]] = [[] for _ in commands]
    for round_ in range(repeat + 1):
        for argv, times in zip(commands, samples, strict=True):
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, cwd=REPO)
            if round_:
                times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    compileall.compile_dir(REPO / "schemagen", quiet=1)
    apps = sorted(p for p in (REPO / "examples").iterdir() if (p / "inference.py").exists())
    floor, one_model, *per_app = time_commands(
        [
            [sys.executable, "-c", "import pydantic"],
            [sys.executable, "-c", ONE_MODEL],
            *(
                [sys.executable, "-m", "schemagen", "extract", str(app), "--sdk", "bundled"]
                for app in apps
            ),
        ],
        args.repeat,
    )
    print(f"floor  python -c 'import pydantic'  {floor * 1000:7.1f} ms")
    print(
        f"one model's schema, one interpreter  {one_model * 1000:7.1f} ms  {one_model / floor:.2f}x"
    )
    print(f"{'app':<24} {'extract ms':>10} {'x floor':>8} {'x one model':>12}")
    ratios, to_one_model = [], []
    for app, seconds in zip(apps, per_app, strict=True):
        ratios.append(seconds / floor)
        to_one_model.append(seconds / one_model)
        print(
            f"{app.name:<24} {seconds * 1000:10.1f} {seconds / floor:8.2f} "
            f"{seconds / one_model:12.2f}"
        )
    print(
        f"{'median':<24} {'':>10} {statistics.median(ratios):8.2f} "
        f"{statistics.median(to_one_model):12.2f}   (goal: <= 1.20 x one model's schema)"
    )
    node_apps = sorted(p for p in (REPO / "examples").iterdir() if _is_node_app(p))
    if not node_apps:
        return
    # zod 3 as the Node.js apps get it without node_modules (schemagen's vendored build).
    zod3 = REPO / "schemagen" / "loader" / "node" / "vendor" / "zod3" / "index.cjs"
    node_floor, *per_node_app = time_commands(
        [
            ["node", "-e", f"require({str(zod3)!r})"],
            *([sys.executable, "-m", "schemagen", "extract", str(app)] for app in node_apps),
        ],
        args.repeat,
    )
    print(f"floor  node -e 'require(\"zod\")'  {node_floor * 1000:7.1f} ms")
    print(f"{'node.js app (cold)':<24} {'extract ms':>10} {'x floor':>8}")
    for app, seconds in zip(node_apps, per_node_app, strict=True):
        print(f"{app.name:<24} {seconds * 1000:10.1f} {seconds / node_floor:8.2f}")


def _is_node_app(folder: Path) -> bool:
    return (folder / "src" / "inference.js").is_file() or (folder / "inference.js").is_file()


if __name__ == "__main__":
    main()
