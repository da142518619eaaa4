"""schemagen's zod target beside json-schema-to-zod and zod 4's z.fromJSONSchema.

For one corpus of schemas (the hand-written zod cases, the example and fixture
apps' schemas, and hypothesis-generated ones) every tool turns each JSON Schema
into a zod schema; all of them then validate the same instances, labelled by
Python ``jsonschema`` (Draft 2020-12, ECMA-262 patterns; see
tests/emit/zod_differential.py). Prints time and agreement side by side; asserts
nothing. Needs ``npm ci`` and the test extra.

    python benchmarks/zod_bench.py [--generated 40]
    python benchmarks/zod_bench.py --suite

``--suite`` runs the official JSON-Schema-Test-Suite (draft 2020-12, the copy in
tests/data; see tests/emit/official_suite.py) instead: each group's schema as a
user hands it to each tool (schemagen: a function's input in a functions_schema.json),
its cases labelled by the suite, and prints every tool's agreement side by side.

Every tool converts one schema at a time: schemagen emits a ``schemas.ts`` for
a one-function manifest holding the schema (Python), which node transpiles
(esbuild) and loads; json-schema-to-zod generates code (node) which node loads;
z.fromJSONSchema builds the schema at run time. Times are per schema, the
fastest of five rounds.

The corpus holds each distinct schema once (the generated functions all share
one empty output schema, which would otherwise count forty times). Each
schemagen module holds the schema and, on the function's other side, ``{}``
(``z.unknown()``), the cheapest filler.

Two totals are printed: over the whole corpus, and over the "common ground",
the schemas every tool converts exactly. Exact means every verdict agrees and
the tool built every part of the schema: json-schema-to-zod writes ``z.any()``
for every ``$ref``, so a schema holding one is not exact for it even where the
instances happened not to reach the reference. A tool that replaces what it
cannot translate does less work and is wrong; the common ground compares the
tools on the same work. A conversion that throws costs no check time, so the
whole-corpus check totals favour the tools that fail (see "failed").
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

from schemagen.emit.typescript.zod import emit_zod_module  # noqa: E402
from schemagen.manifest import Manifest, load_manifest_file  # noqa: E402
from tests.emit import zod_differential as zd  # noqa: E402

ROUNDS = 5
# Instances per schema: the long test profile's, so that exactness is judged on a
# corpus that reaches each schema's corners (2^60 in an integer, astral characters
# at a length bound, ...), whatever profile the tests run.
VALID = 30
MUTANTS = 300
FILLER: dict[str, Any] = {}
# Tools that write z.any() for every $ref (see the module docstring).
SUBSTITUTES_REFS = ("json-schema-to-zod",)


def corpus(generated: int) -> list[tuple[str, dict[str, Any]]]:
    """(id, schema) for every input and output schema of the corpus's apps."""
    paths = sorted((ROOT / "tests" / "emit" / "zod_cases").glob("*.json"))
    paths += sorted((ROOT / "golden").glob("*/*/manifest.json"))
    manifests = [
        (p.stem if p.name != "manifest.json" else p.parent.name, load_manifest_file(p))
        for p in paths
    ]
    manifests.append(
        ("generated", Manifest.from_dict(zd.manifest_for(zd.generated_schemas(generated))))
    )
    distinct: dict[str, tuple[str, dict[str, Any]]] = {}
    for label, manifest in manifests:
        for fn in manifest.sorted_functions():
            for side, schema in (("input", fn.input_schema), ("output", fn.output_schema)):
                key = json.dumps(schema, sort_keys=True)
                distinct.setdefault(key, (f"{label}/{fn.name}/{side}", schema))
    return list(distinct.values())


def has_ref(schema: Any) -> bool:
    if isinstance(schema, dict):
        return "$ref" in schema or any(has_ref(v) for v in schema.values())
    return isinstance(schema, list) and any(has_ref(v) for v in schema)


def single_manifest(schema: dict[str, Any], side: str) -> Manifest:
    """A one-function manifest with ``schema`` on ``side`` and ``FILLER`` on the other."""
    data = zd.manifest_for([schema if side == "input" else FILLER], name="bench")
    data["functions"]["f000"]["output_schema"] = schema if side == "output" else FILLER
    return Manifest.from_dict(data)


def emit(schemas: list[tuple[str, dict[str, Any]]]) -> tuple[list[str], list[float]]:
    """Each schema's module text and its emit time (ms, fastest of ROUNDS)."""
    manifests = [single_manifest(schema, case.rsplit("/", 1)[1]) for case, schema in schemas]
    fastest = [float("inf")] * len(manifests)
    texts: list[str] = []
    for _ in range(ROUNDS):
        texts = []
        for i, manifest in enumerate(manifests):
            started = time.perf_counter()
            texts.append(emit_zod_module(manifest).text)
            fastest[i] = min(fastest[i], (time.perf_counter() - started) * 1000)
    return texts, fastest


def run_tools(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Every node-side tool's times and verdicts on ``cases`` (zod_bench.cjs)."""
    result = subprocess.run(
        ["node", str(ROOT / "benchmarks" / "zod_bench.cjs")],
        input=json.dumps({"cases": cases}),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    tools: dict[str, Any] = json.loads(result.stdout)
    return tools


def suite_main() -> None:
    """The official suite's agreement, tool by tool."""
    from schemagen.emit.typescript.naming import pascal_case
    from tests.emit import official_suite as suite

    groups = suite.groups()
    print(suite.skip_report())
    cases = []
    emit_ms = []
    warned = 0
    for group in groups:
        manifest = suite.manifest([group])
        fastest = float("inf")
        for _ in range(ROUNDS):
            started = time.perf_counter()
            module = emit_zod_module(manifest)
            fastest = min(fastest, (time.perf_counter() - started) * 1000)
        emit_ms.append(fastest)
        warned += bool(module.warnings)
        cases.append(
            {
                "id": group.id,
                "schema": group.schema,
                "instances": [case.data for case in group.cases],
                "module": module.text,
                "export": f"{pascal_case(suite.function_name(group))}Input",
            }
        )
    tools = run_tools(cases)
    labels = [[case.valid for case in group.cases] for group in groups]
    total = sum(map(len, labels))
    print(
        f"\nofficial suite (draft 2020-12): {len(groups)} groups, {total} cases;"
        f" schemagen warned on {warned} group(s)\n"
    )
    header = f"{'tool':<30} {'agree':>8} {'cases':>11} {'groups':>9} {'failed':>6} {'build ms':>9}"
    print(header)
    print("-" * len(header))
    print(f"{'schemagen emit (python)':<30} {'':>8} {'':>11} {'':>9} {'':>6} {sum(emit_ms):>9.1f}")
    for tool, data in tools.items():
        if data["verdicts"] is None:
            print(f"{tool:<30} {'':>8} {'':>11} {'':>9} {'':>6} {sum(data['ms']):>9.1f}")
            continue
        agree = [
            [v is e for v, e in zip(verdicts, expected, strict=True)]
            for verdicts, expected in zip(data["verdicts"], labels, strict=True)
        ]
        right = sum(map(sum, agree))
        exact = sum(all(flags) for flags in agree)
        print(
            f"{tool:<30} {100 * right / total:>7.2f}% {right:>5}/{total:<5} "
            f"{exact:>4}/{len(groups):<4} {data['errors']:>6} {sum(data['ms']):>9.1f}"
        )
    print(
        "\nagree: cases given the suite's verdict; groups: groups with every case right;"
        "\nfailed: conversions that threw (all their cases count as wrong); build ms: the"
        "\nwhole suite's, fastest of five rounds per group."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generated", type=int, default=40, help="generated schemas to add")
    parser.add_argument("--suite", action="store_true", help="the official test suite instead")
    args = parser.parse_args()
    if args.suite:
        suite_main()
        return

    schemas = corpus(args.generated)
    print(f"corpus: {len(schemas)} schemas; labelling instances…", flush=True)
    labelled = [
        zd.instance_corpus(schema, valid=VALID, mutants_per_schema=MUTANTS) for _, schema in schemas
    ]
    labels = [[item.valid for item in items] for items in labelled]
    texts, emit_ms = emit(schemas)
    cases = [
        {
            "id": case,
            "schema": schema,
            "instances": [item.instance for item in items],
            "module": text,
            "export": "F000" + case.rsplit("/", 1)[1].capitalize(),
        }
        for (case, schema), items, text in zip(schemas, labelled, texts, strict=True)
    ]
    tools: dict[str, Any] = {"schemagen emit (python)": {"ms": emit_ms, "verdicts": None}}
    tools.update(run_tools(cases))

    refs = [has_ref(schema) for _, schema in schemas]
    exact = {
        tool: [
            all(v is e for v, e in zip(verdicts, expected, strict=True))
            and not (ref and tool.startswith(SUBSTITUTES_REFS))
            for verdicts, expected, ref in zip(data["verdicts"], labels, refs, strict=True)
        ]
        for tool, data in tools.items()
        if data["verdicts"] is not None
    }
    common = [all(flags) for flags in zip(*exact.values(), strict=True)]
    total = sum(map(len, labels))
    valid = sum(map(sum, labels))
    print(f"{valid} valid and {total - valid} invalid instances")
    print(f"common ground: {sum(common)} schemas every tool converts exactly\n")
    header = (
        f"{'tool':<30} {'median':>7} {'total':>7} {'common':>7} │ {'total':>7} {'common':>7}"
        f" │ {'agree':>8} {'exact':>8} {'failed':>6}"
    )
    print(f"{'':<30} {'build ms':^23} │ {'check ms':^15} │")
    print(header)
    print("-" * len(header))

    def totals(times: list[float]) -> str:
        kept = sum(t for t, keep in zip(times, common, strict=True) if keep)
        return f"{sum(times):>7.1f} {kept:>7.1f}"

    for tool, data in tools.items():
        line = f"{tool:<30} {statistics.median(data['ms']):>7.3f} {totals(data['ms'])}"
        if data["verdicts"] is not None:
            agree = sum(
                v is e
                for verdicts, expected in zip(data["verdicts"], labels, strict=True)
                for v, e in zip(verdicts, expected, strict=True)
            )
            line += (
                f" │ {totals(data['check_ms'])}"
                f" │ {100 * agree / total:>7.2f}% {sum(exact[tool]):>3}/{len(labels):<4}"
                f" {data['errors']:>6}"
            )
        print(line)
    print(
        "\nms: per schema, fastest of five rounds; totals over all schemas and over the common"
        "\nground. build: emitting, transpiling or generating code (once, at build time), loading"
        "\nit, or z.fromJSONSchema's conversion (at run time). check: then validating the"
        "\nschema's instances (json-schema-to-zod builds some sub-schemas at every check)."
        "\nschemagen's modules also hold the one-function manifest's registry and its other"
        "\nside ({}, z.unknown())."
    )


if __name__ == "__main__":
    main()
