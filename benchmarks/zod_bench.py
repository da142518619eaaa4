"""schemagen's zod target beside json-schema-to-zod and zod 4's z.fromJSONSchema.

For one corpus of schemas (the hand-written zod cases, the example and fixture
apps' schemas, and hypothesis-generated ones) every tool turns each JSON Schema
into a zod schema; all of them then validate the same instances, labelled by
Python ``jsonschema`` (Draft 2020-12, ECMA-262 patterns; see
tests/emit/zod_differential.py). Prints time and agreement side by side; asserts
nothing. Needs ``npm ci`` and the test extra.

    python benchmarks/zod_bench.py [--generated 40]

schemagen's time is split into emitting ``schemas.ts`` (Python, one module per
app as ``schemagen generate`` does) and loading it (esbuild transpile +
evaluate, node); the others' time is their per-schema conversion in node
(json-schema-to-zod: code generation + evaluate; z.fromJSONSchema: building
the schema at run time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schemagen.emit.ts_naming import pascal_case  # noqa: E402
from schemagen.emit.zod import emit_zod_module  # noqa: E402
from schemagen.manifest import Manifest, load_manifest_file  # noqa: E402
from tests.emit import zod_differential as zd  # noqa: E402


def corpus(generated: int) -> list[tuple[Manifest, list[tuple[str, str, dict[str, Any]]]]]:
    """Per app: its manifest and (id, export name, schema) for each of its schemas."""
    found = []
    paths = sorted((ROOT / "tests" / "emit" / "zod_cases").glob("*.json"))
    paths += sorted((ROOT / "golden").glob("*/*/manifest.json"))
    manifests = [
        (p.stem if p.name != "manifest.json" else p.parent.name, load_manifest_file(p))
        for p in paths
    ]
    manifests.append(
        ("generated", Manifest.from_dict(zd.manifest_for(zd.generated_schemas(generated))))
    )
    for label, manifest in manifests:
        entries = []
        for fn in manifest.sorted_functions():
            pascal = pascal_case(fn.name)
            entries.append((f"{label}/{fn.name}/input", f"{pascal}Input", fn.input_schema))
            entries.append((f"{label}/{fn.name}/output", f"{pascal}Output", fn.output_schema))
        found.append((manifest, entries))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generated", type=int, default=40, help="generated schemas to add")
    args = parser.parse_args()

    apps = corpus(args.generated)
    count = sum(len(entries) for _, entries in apps)
    print(f"corpus: {count} schemas in {len(apps)} apps; labelling instances…", flush=True)
    cases = []
    labels: list[list[bool]] = []
    for _, entries in apps:
        for schema_id, _, schema in entries:
            items = zd.instance_corpus(schema)
            cases.append(
                {"id": schema_id, "schema": schema, "instances": [i.instance for i in items]}
            )
            labels.append([i.valid for i in items])

    # schemagen emits one module per app, as `schemagen generate` does.
    # Best of three rounds, like the node side.
    modules = []
    emit_ms: list[float] = []
    for _ in range(3):
        round_ms = []
        modules = []
        for manifest, entries in apps:
            started = time.perf_counter()
            text = emit_zod_module(manifest).text
            round_ms.append((time.perf_counter() - started) * 1000)
            modules.append({"source": text, "exports": {i: name for i, name, _ in entries}})
        if not emit_ms or sum(round_ms) < sum(emit_ms):
            emit_ms = round_ms

    result = subprocess.run(
        ["node", str(ROOT / "benchmarks" / "zod_bench.cjs")],
        input=json.dumps({"cases": cases, "modules": modules}),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    tools: dict[str, Any] = json.loads(result.stdout)

    total = sum(map(len, labels))
    print(f"{sum(map(sum, labels))} valid and {total - sum(map(sum, labels))} invalid instances\n")
    header = (
        f"{'tool':<32} {'ms/schema (median)':>19} {'ms total':>10} {'agree':>14} "
        f"{'schemas 100%':>13} {'failed':>7}"
    )
    print(header)
    print("-" * len(header))
    print(f"{'schemagen emit (python)':<32} {sum(emit_ms) / count:>19.3f} {sum(emit_ms):>10.1f}")
    for tool, data in tools.items():
        if data["verdicts"] is None:
            print(f"{tool:<32} {statistics.median(data['ms']):>19.3f} {sum(data['ms']):>10.1f}")
            continue
        agree = 0
        perfect = 0
        for verdicts, expected in zip(data["verdicts"], labels, strict=True):
            hits = sum(v is e for v, e in zip(verdicts, expected, strict=True))
            agree += hits
            perfect += hits == len(expected)
        per_schema = statistics.median(data["ms"])
        print(
            f"{tool:<32} {per_schema:>19.3f} {sum(data['ms']):>10.1f} "
            f"{100 * agree / total:>13.2f}% {perfect:>6}/{len(labels):<6} {data['errors']:>7}"
        )
    print(
        "\nGenerating code (schemagen emit, json-schema-to-zod generate) happens once, at build"
        "\ntime; what an app pays at run time is loading it, or z.fromJSONSchema's conversion."
        "\nschemagen's figures are totals over one module per app, divided by the schema count."
    )


if __name__ == "__main__":
    main()
