"""The ts-client back end: goldens, ``tsc --strict`` under zod 4 and zod 3 (with the
official SDK's ``Inference`` as the client), and hostile names round-tripped in node.

Goldens: ``golden/ts_client/<example>/client.ts``, emitted from each example's golden
manifest; refresh with ``pytest tests/emit/typescript/test_client.py --update-golden``.
The end-to-end calls through ``@inferencesh/sdk`` are in ``tests/serve/test_sdk_node.py``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from schemagen.app_ref import app_ref_from_folder
from schemagen.emit.typescript.client import emit_ts_client, method_names
from schemagen.emit.typescript.zod import emit_zod_module
from schemagen.manifest import Manifest
from tests.emit import zod_differential as corpus
from tests.emit.node_harness import NODE_MODULES, ZOD_PACKAGES
from tests.emit.python.test_client import (
    EXAMPLE_APPS,
    HOSTILE_MANIFESTS,
    HOSTILE_SAMPLE,
    example_manifest,
    hostile_manifests,
    value_for,
)
from tests.helpers import GOLDEN, REPO, compare_or_update
from tests.serve.test_sdk_node import node_missing

DRIVER = REPO / "tests" / "node" / "client_e2e.mjs"
needs_node = pytest.mark.skipif(node_missing() is not None, reason=str(node_missing()))

# Type-level use of the examples' clients: what must compile and what must not.
USAGE = {
    "multi-function": """
import { inference } from "@inferencesh/sdk";
import { MultiFunctionClient, TaskFailedError } from "./client.js";

export async function use(): Promise<string> {
  const app = new MultiFunctionClient(inference({ apiKey: "k", baseUrl: "http://127.0.0.1:1" }));
  const greeting: string = (await app.run({})).message;
  const reversed: string = (await app.reverse({ text: "abc" })).reversed_text;
  // @ts-expect-error: text is required
  await app.reverse({});
  // @ts-expect-error: text is a string
  await app.reverse({ text: 1 });
  try {
    await app.run({ name: "x" });
  } catch (error) {
    if (error instanceof TaskFailedError) return error.taskError;
  }
  return greeting + reversed;
}
""",
    "streaming-story": """
import { inference } from "@inferencesh/sdk";
import { StreamingStoryClient } from "./client.js";

export async function use(): Promise<number> {
  const app = new StreamingStoryClient(inference({ apiKey: "k" }));
  let total = 0;
  for await (const part of app.run({ topic: "t", genre: "sci-fi" })) total += part.chunk.index;
  for await (const part of app.count({ up_to: 2 })) total += part.value;
  // @ts-expect-error: not a genre
  app.run({ topic: "t", genre: "poetry" });
  return total;
}
""",
    "image-tools": """
import { inference } from "@inferencesh/sdk";
import { ImageToolsClient } from "./client.js";

export async function use(): Promise<string> {
  const app = new ImageToolsClient(inference({ apiKey: "k" }), { setup: { backend: "opencv" } });
  // @ts-expect-error: not a backend
  new ImageToolsClient(inference({ apiKey: "k" }), { setup: { backend: "gimp" } });
  const out = await app.run({ image: "https://example.com/a.png", width: 10 });
  return out.image + (await app.contact_sheet({ images: [out.image] })).sheet;
}
""",
}


def modules_of(manifest: Manifest, app_ref: str) -> dict[str, str]:
    schemas = emit_zod_module(manifest).text  # as the ts-client target writes it
    return {"schemas.ts": schemas, "client.ts": emit_ts_client(manifest, app_ref)}


@pytest.mark.parametrize("app", EXAMPLE_APPS, ids=[p.name for p in EXAMPLE_APPS])
def test_golden(app: Path, update_golden: bool) -> None:
    app_ref = app_ref_from_folder(app)
    assert app_ref is not None
    text = emit_ts_client(example_manifest(app), app_ref)
    compare_or_update(
        GOLDEN / "ts_client" / app.name, {"client.ts": text.encode("utf-8")}, update_golden
    )


def typecheck(
    files: dict[str, str], zod: str, resolution: str = "bundler"
) -> subprocess.CompletedProcess[str]:
    """``tsc --strict --noEmit`` over ``files`` with "zod" resolved to zod 3 or zod 4 and
    "@inferencesh/sdk" to the installed SDK; ``resolution`` "bundler", or "nodenext"
    (Node's own ESM: a package of "type": "module", relative imports need their ".js")."""
    with tempfile.TemporaryDirectory(prefix=f"tsc-client-{zod}-") as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        module = "esnext" if resolution == "bundler" else resolution
        if resolution == "nodenext":  # an app's own package: its node_modules, no paths
            (folder / "package.json").write_text('{"type": "module"}', encoding="utf-8")
            (folder / "node_modules" / "@inferencesh").mkdir(parents=True)
            (folder / "node_modules" / "zod").symlink_to(ZOD_PACKAGES[zod])
            (folder / "node_modules" / "@inferencesh" / "sdk").symlink_to(
                NODE_MODULES / "@inferencesh" / "sdk"
            )
        config = {
            "compilerOptions": {
                "strict": True, "noEmit": True, "target": "es2022", "module": module,
                "moduleResolution": resolution, "skipLibCheck": True, "types": [],
                "noUnusedLocals": True, "baseUrl": ".",
                "paths": {"zod": [str(ZOD_PACKAGES[zod])],
                          "@inferencesh/sdk": [str(NODE_MODULES / "@inferencesh" / "sdk")]},
            },
            "files": sorted(files),
        }  # fmt: skip
        if resolution == "nodenext":
            del config["compilerOptions"]["paths"]  # type: ignore[attr-defined]
        (folder / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
        return subprocess.run(
            ["node", str(NODE_MODULES / "typescript" / "bin" / "tsc"), "-p", str(folder)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip


@needs_node
@pytest.mark.parametrize("resolution", ["bundler", "nodenext"])
@pytest.mark.parametrize("zod", ["zod4", "zod3"])
def test_clients_pass_tsc_strict(zod: str, resolution: str) -> None:
    files: dict[str, str] = {}
    for app in EXAMPLE_APPS:
        manifest = example_manifest(app)
        for name, text in modules_of(manifest, f"examples/{app.name}").items():
            files[f"{app.name}/{name}"] = text
        if app.name in USAGE:
            files[f"{app.name}/usage.ts"] = USAGE[app.name]
    for name, text in modules_of(Manifest.from_dict(HOSTILE_SAMPLE), 'ns/"*/\\`').items():
        files[f"hostile/{name}"] = text
    result = typecheck(files, zod, resolution)
    assert result.returncode == 0, result.stdout + result.stderr


def drive(request: dict[str, Any]) -> list[dict[str, Any]]:
    proc = subprocess.run(
        ["node", str(DRIVER)], input=json.dumps(request), capture_output=True, text=True,
        timeout=300, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


@needs_node
def test_hostile_names_round_trip_in_node(tmp_path: Path) -> None:
    """Every function of hostile manifests, called through its client with a stand-in
    client that echoes: the output equals the input, sent under the exact wire name."""
    manifests: list[Manifest] = [Manifest.from_dict(HOSTILE_SAMPLE)]

    @corpus.hypothesis_settings(HOSTILE_MANIFESTS)
    @given(hostile_manifests())
    def collect(data: dict[str, Any]) -> None:
        manifests.append(Manifest.from_dict(data))

    collect()
    request: dict[str, Any] = {"modules": [], "steps": []}
    expected: list[tuple[str, Any]] = []
    for i, manifest in enumerate(manifests):
        folder = tmp_path / f"m{i}"
        folder.mkdir()
        for name, text in modules_of(manifest, 'ns/"*/\\`').items():
            (folder / name).write_text(text, encoding="utf-8")
        client = re.findall(r"export class (\w+) \{", emit_ts_client(manifest, "x/y"))[-1]
        request["modules"].append({"id": f"m{i}", "dir": str(folder)})
        methods = method_names(manifest)
        for fn in manifest.sorted_functions():
            properties = fn.input_schema["properties"]
            data = {k: value_for(s, j) for j, (k, s) in enumerate(properties.items())}
            request["steps"].append({
                "module": f"m{i}", "class": client, "echo": True, "method": methods[fn.name],
                "input": data, "stream": fn.streaming,
            })  # fmt: skip
            expected.append((fn.name, data))
    results = drive(request)
    for (name, data), result in zip(expected, results, strict=True):
        assert result.get("sent") == [name], (name, result)
        assert result["outputs"] == [data], (name, data, result)


def test_no_method_makes_a_client_thenable() -> None:
    # A `then` method would make `await` (or an async function returning the client)
    # call the app's function with resolve/reject as its input.
    manifest = example_manifest(REPO / "examples" / "multi-function")
    run = manifest.functions["run"]
    functions = {"then": dataclasses.replace(run, name="then"), "run": run}
    methods = method_names(dataclasses.replace(manifest, functions=functions))
    assert methods["then"] != "then" and methods["run"] == "run"


@needs_node
def test_invalid_input_is_rejected_before_sending(tmp_path: Path) -> None:
    manifest = example_manifest(REPO / "examples" / "streaming-story")
    for name, text in modules_of(manifest, "examples/streaming-story").items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    steps = [
        {"module": "s", "class": "StreamingStoryClient", "echo": True, "spy": True,
         "method": "run", "input": {"topic": "t", "paragraphs": 0}, "stream": True},
        {"module": "s", "class": "StreamingStoryClient", "echo": True, "spy": True,
         "method": "count", "input": {"up_to": 1.5}, "stream": True},
    ]  # fmt: skip
    results = drive({"modules": [{"id": "s", "dir": str(tmp_path)}], "steps": steps})
    for result in results:
        assert result["error"]["name"] == "InputValidationError"
        assert result["requests"] == 0
    assert "paragraphs:" in results[0]["error"]["message"]
    assert "up_to:" in results[1]["error"]["message"]


def test_only_what_an_app_uses_is_written() -> None:
    # noUnusedLocals: no stream helper without a streaming function, no setup without one.
    text = emit_ts_client(example_manifest(REPO / "examples" / "multi-function"), "a/b")
    assert "#stream" not in text and "setupSchema" not in text
    text = emit_ts_client(example_manifest(REPO / "examples" / "streaming-story"), "a/b")
    assert "#call" not in text
