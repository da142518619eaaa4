"""`schemagen generate -r` over a repository laid out like a real one, beside a baseline.

The repository (``corpus_gen.py``, 500 apps by default) links shared helpers
into app folders, vendors upstream code, has connectors without ``run``, and
carries a few broken apps, with none of its heavy dependencies installed.
Figures, all from one run on this machine (nothing is asserted):

- apps compiled and failed, the failures by cause (the first words of each
  error), and whether each kind of app compiled as it should;
- cold: ``schemagen generate -r`` with an empty cache;
- warm: the same command again with nothing changed (failures included:
  they are cached too);
- baseline: one ``python -c "import pydantic"`` per app, as many at a time
  as there are cores: the floor of any tool that starts an interpreter per app.

    python benchmarks/corpus_bench.py [--apps 500] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BROKEN_KINDS = ("broken-link", "syntax-error", "contaminated", "no-functions")


def generate(root: Path, out: Path, env: dict[str, str]) -> tuple[float, dict[str, object]]:
    argv = [sys.executable, "-m", "schemagen", "generate", "-r", str(root)]
    argv += ["--sdk", "bundled", "--out", str(out), "--format", "json"]
    # The chat apps import anthropic, which the test venv has (for llm-tools' tests): stubbed
    # as on a machine without it, so that the figures do not depend on what is installed.
    argv += ["--stub", "anthropic"]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=root)
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(proc.stdout)


def cause(message: str) -> str:
    """A failure's kind: its message without the location and the specifics."""
    text = re.sub(r"^\S+?:\d+: |^\S+?: ", "", message)
    text = re.sub(r"'[^']*'|\([^)]*\)|\S+\.py", "…", text)
    return " ".join(text.split()[:6])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="write the repository here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "repo"
        by_kind = write_corpus(root, args.apps, seed=0)
        env = {**os.environ, "SCHEMAGEN_CACHE_DIR": str(Path(scratch) / "cache")}
        cold, summary = generate(root, Path(scratch) / "out", env)
        warm, warm_summary = generate(root, Path(scratch) / "out", env)
        apps = [a for kind in by_kind.values() for a in kind]
        jobs = len(os.sched_getaffinity(0))
        argv = [sys.executable, "-c", "import pydantic"]
        start = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(lambda _: subprocess.run(argv, check=True), apps))
        baseline = time.perf_counter() - start
    results = {str(root / a["source"]): a for a in summary["apps"]}  # type: ignore[index]
    print(f"{len(apps)} app folders ({', '.join(f'{k} {len(v)}' for k, v in by_kind.items())})")
    print(f"{jobs} cores; schemagen found {len(results)} apps")
    causes = collections.Counter(
        cause(a["error"]) for a in results.values() if a["status"] == "error"
    )
    ok = sum(1 for a in results.values() if a["status"] == "ok")
    print(f"compiled {ok}, failed {len(results) - ok}")
    for text, count in causes.most_common():
        print(f"  {count:4d}  {text}")
    wrong = []
    for kind, folders in by_kind.items():
        for folder in folders:
            status = results.get(str(folder), {}).get("status")
            if (status == "error") != (kind in BROKEN_KINDS):
                wrong.append(f"{kind}: {folder.relative_to(root)} -> {status}")
    print(f"apps whose outcome is not the one their kind should give: {len(wrong)}")
    for line in wrong[:10]:
        print(f"  {line}")
    cached = sum(1 for a in warm_summary["apps"] if a["cached"])  # type: ignore[union-attr]
    n = len(apps)
    print(f"\n{'':<40} {'total s':>8} {'per app ms':>11}")
    rows = [
        ("baseline: python -c 'import pydantic'", baseline, ""),
        ("schemagen generate -r, cold", cold, ""),
        (f"schemagen generate -r, warm ({cached} cached)", warm, "(goal < 2 s)"),
    ]
    for label, seconds, goal in rows:
        print(f"{label:<40} {seconds:8.2f} {seconds / n * 1000:11.1f}   {goal}")


if __name__ == "__main__":
    main()
