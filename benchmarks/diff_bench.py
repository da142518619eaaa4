"""Time to diff two versions of a large app, and of a whole folder of apps.

The large app has 50 functions whose inputs and outputs are deep nested models
(pydantic shapes: $defs chains, Optional fields, enums, bounded numbers, File
fields, lists of sub-models, a discriminated union, a recursive tree). Three
scenarios: nothing changed; a typical release (8 functions changed, some
breaking); everything changed (every function, deep in its models). The folder
scenario diffs 40 apps given as platform schema folders, from disk, in one
process. Prints figures; asserts nothing.

    python benchmarks/diff_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schemagen.diff import render, resolve_source, run_diff  # noqa: E402
from schemagen.diff.model import DiffReport, Severity  # noqa: E402
from schemagen.manifest import AppInfo, Function, Manifest, SdkInfo  # noqa: E402

DEPTH = 6


def model(level: int, prefix: str) -> dict[str, Any]:
    """One level of the nested model chain (level 0 is the innermost)."""
    props: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1, "maxLength": 200, "title": "Name"},
        "count": {"type": "integer", "minimum": 0, "maximum": 100, "default": 1},
        "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.5},
        "mode": {"$ref": f"#/$defs/{prefix}Mode", "default": "fast"},
        "image": {
            "anyOf": [
                {"type": "string", "format": "file", "contentMediaType": "image/*"},
                {"type": "null"},
            ],
            "default": None,
            "description": "An input image",
        },
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 16, "default": []},
        "pet": {
            "oneOf": [{"$ref": f"#/$defs/{prefix}Cat"}, {"$ref": f"#/$defs/{prefix}Dog"}],
            "discriminator": {"propertyName": "kind"},
        },
        "tree": {"anyOf": [{"$ref": f"#/$defs/{prefix}Tree"}, {"type": "null"}], "default": None},
    }
    required = ["name", "pet"]
    if level > 0:
        props["child"] = {"$ref": f"#/$defs/{prefix}Level{level - 1}"}
        props["children"] = {
            "type": "array",
            "items": {"$ref": f"#/$defs/{prefix}Level{level - 1}"},
        }
        required.append("child")
    return {"type": "object", "title": f"Level{level}", "properties": props, "required": required}


def document(prefix: str) -> dict[str, Any]:
    defs: dict[str, Any] = {f"{prefix}Level{i}": model(i, prefix) for i in range(DEPTH)}
    defs[f"{prefix}Mode"] = {
        "enum": ["fast", "balanced", "quality"],
        "type": "string",
        "title": "Mode",
    }
    for kind, field in (("Cat", "meow"), ("Dog", "bark")):
        defs[f"{prefix}{kind}"] = {
            "type": "object",
            "title": kind,
            "properties": {
                "kind": {"const": kind.lower(), "type": "string", "default": kind.lower()},
                field: {"type": "integer"},
            },
            "required": [field],
        }
    defs[f"{prefix}Tree"] = {
        "type": "object",
        "properties": {
            "value": {"type": "integer"},
            "children": {
                "type": "array",
                "items": {"$ref": f"#/$defs/{prefix}Tree"},
                "default": [],
            },
        },
        "required": ["value"],
    }
    root = copy.deepcopy(model(DEPTH, prefix))
    root["title"] = "AppInput"
    root["$defs"] = defs
    return root


def app(functions: int) -> Manifest:
    fns = {}
    for i in range(functions):
        name = f"fn_{i:02d}"
        fns[name] = Function(name, f"Function {i}.", document("In"), document("Out"))
    info = AppInfo("big", "python", "inference.py", "App", SdkInfo("bundled"), origin="app")
    return Manifest(app=info, setup=document("Setup"), functions=fns)


def release(base: Manifest, changed: int) -> Manifest:
    """``base`` with ``changed`` functions changed deep in their models."""
    fns = dict(base.functions)
    for i, name in enumerate(sorted(fns)[:changed]):
        fn = fns[name]
        inp, out = copy.deepcopy(fn.input_schema), copy.deepcopy(fn.output_schema)
        inner = inp["$defs"]["InLevel0"]["properties"]
        inner["count"]["maximum"] = 50  # breaking for callers
        inner["name"]["description"] = "Renamed"  # info
        if i % 2:
            inp["$defs"]["InMode"]["enum"].remove("quality")  # breaking
            out["$defs"]["OutMode"]["enum"].append("draft")  # breaking for consumers
        else:
            out["$defs"]["OutLevel1"]["properties"]["extra"] = {"type": "string"}  # info
        inp["$defs"]["InTree"]["properties"]["value"]["type"] = "number"  # widening
        fns[name] = Function(name, fn.description, inp, out)
    return Manifest(app=base.app, setup=base.setup, functions=fns)


def timed(label: str, action: Callable[[], DiffReport], repeat: int) -> DiffReport:
    samples = []
    report = action()
    for _ in range(repeat):
        start = time.perf_counter()
        report = action()
        samples.append(time.perf_counter() - start)
    print(
        f"{label:<44} {statistics.median(samples) * 1000:9.1f} ms   "
        f"({len(report.findings)} findings, {report.count(Severity.BREAKING)} breaking)"
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base = app(50)
    size = len(json.dumps(base.to_dict()))
    print(f"large app: 50 functions, models {DEPTH + 1} levels deep, manifest {size / 1e6:.1f} MB")
    timed("unchanged", lambda: run_diff(base, base), args.repeat)
    typical = release(base, 8)
    report = timed(
        "typical release (8 functions changed)", lambda: run_diff(base, typical), args.repeat
    )
    every = release(base, 50)
    timed("everything changed (50 functions)", lambda: run_diff(base, every), args.repeat)
    for fmt in ("text", "json", "markdown", "github"):
        start = time.perf_counter()
        render(report, fmt)  # type: ignore[arg-type]
        print(f"  render {fmt:<37} {(time.perf_counter() - start) * 1000:9.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        small = app(5)
        for i in range(40):
            for version, manifest in (
                ("old", small),
                ("new", release(small, 2 if i % 4 == 0 else 0)),
            ):
                folder = root / version / f"app-{i:02d}"
                folder.mkdir(parents=True)
                text = json.dumps(manifest.platform_functions_schema(), indent=2)
                (folder / "functions_schema.json").write_text(text)
                (folder / "setup_schema.json").write_text(json.dumps(manifest.setup, indent=2))

        def folder_run() -> DiffReport:
            last = None
            for i in range(40):
                name = f"app-{i:02d}"
                old = resolve_source(str(root / "old" / name), _no_apps)
                new = resolve_source(str(root / "new" / name), _no_apps)
                last = run_diff(old, new)
            assert last is not None
            return last

        timed("folder of 40 apps (5 functions each, from disk)", folder_run, args.repeat)


def _no_apps(path: Path) -> Manifest:
    raise SystemExit(f"unexpected app folder {path}")


if __name__ == "__main__":
    main()
