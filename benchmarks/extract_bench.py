"""Cold `schemagen extract` wall time per example app, beside `python -c "import pydantic"`.

Each run is a fresh process (what CI pays per app). The floor is the cost of
starting Python and importing pydantic, measured in the same run on the same
machine; the goal is at most 2x that floor. A second reference shows what any
pydantic-based extraction pays at least: one interpreter building one
one-field model and its JSON Schema. Node.js example apps are measured beside
their own floor, `node -e 'require("zod")'` (starting node and loading zod 3),
in the same run. Prints figures; asserts nothing.

    python benchmarks/extract_bench.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ONE_MODEL = (
    "from pydantic import BaseModel\nclass Model(BaseModel):\n    x: int\nModel.model_json_schema()"
)


def time_command(argv: list[str], repeat: int) -> float:
    """Median wall time in seconds of ``repeat`` fresh runs (after one warm-up)."""
    subprocess.run(argv, check=True, capture_output=True, cwd=REPO)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, cwd=REPO)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    floor = time_command([sys.executable, "-c", "import pydantic"], args.repeat)
    print(f"floor  python -c 'import pydantic'  {floor * 1000:7.1f} ms")
    one_model = time_command([sys.executable, "-c", ONE_MODEL], args.repeat)
    print(
        f"one model's schema, one interpreter  {one_model * 1000:7.1f} ms  {one_model / floor:.2f}x"
    )
    print(f"{'app':<24} {'extract ms':>10} {'x floor':>8} {'x one model':>12}")
    ratios, to_one_model = [], []
    for app in sorted(p for p in (REPO / "examples").iterdir() if (p / "inference.py").exists()):
        seconds = time_command(
            [sys.executable, "-m", "schemagen", "extract", str(app), "--sdk", "bundled"],
            args.repeat,
        )
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
    node_floor = time_command(["node", "-e", f"require({str(zod3)!r})"], args.repeat)
    print(f"floor  node -e 'require(\"zod\")'  {node_floor * 1000:7.1f} ms")
    print(f"{'node.js app (cold)':<24} {'extract ms':>10} {'x floor':>8}")
    for app in node_apps:
        argv = [sys.executable, "-m", "schemagen", "extract", str(app)]
        seconds = time_command(argv, args.repeat)
        print(f"{app.name:<24} {seconds * 1000:10.1f} {seconds / node_floor:8.2f}")


def _is_node_app(folder: Path) -> bool:
    return (folder / "src" / "inference.js").is_file() or (folder / "inference.js").is_file()


if __name__ == "__main__":
    main()
