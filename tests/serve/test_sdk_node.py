"""End to end: generated TypeScript clients -> official ``@inferencesh/sdk`` (npm) ->
``schemagen serve`` -> the real app code: the same calls as the Python side.

All steps run in one node process (``tests/node/client_e2e.mjs``), which bundles each
generated ``client.ts`` with esbuild. Needs ``npm ci`` at the repository root.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REPO
from tests.serve.conftest import Server, node_missing
from tests.serve.test_sdk_python import (
    CALLS,
    CLASSES,
    GIF,
    GIF_URI,
    PNG,
    PNG_URI,
    closed_port,
)

DRIVER = REPO / "tests" / "node" / "client_e2e.mjs"


pytestmark = pytest.mark.skipif(node_missing() is not None, reason=str(node_missing()))


def step(app: str, method: str, options: dict[str, Any], url: str) -> dict[str, Any]:
    options = dict(options)
    client_options = dict(options.pop("options", {}))
    data = options.pop("model", None) or options.pop("kwargs", {})
    return {
        "module": app,
        "class": CLASSES[app],
        "baseUrl": url,
        "options": client_options,
        "method": method,
        "input": data,
        "stream": options.get("stream", False),
        "spy": options.get("spy", False),
        "sdk": options.get("sdk", {}),
    }


def drive(apps: list[str], generated: Callable[[str], Path], steps: list[dict[str, Any]]) -> Any:
    request = {
        "modules": [{"id": app, "dir": str(generated(app))} for app in apps],
        "steps": steps,
    }
    proc = subprocess.run(
        ["node", str(DRIVER)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_every_function_of_the_examples(
    served: Callable[[str], Server], generated: Callable[[str], Path]
) -> None:
    apps = sorted({app for app, _, _, _ in CALLS} | {"image-tools"})
    steps = [step(app, method, options, served(app).url) for app, method, options, _ in CALLS]
    url = served("image-tools").url
    steps += [
        step("image-tools", "run", {"options": {"setup": {"backend": "opencv"}},
                                    "kwargs": {"image": PNG_URI, "width": 10}}, url),
        step("image-tools", "contact_sheet",
             {"kwargs": {"images": [GIF_URI, PNG_URI], "columns": 2}}, url),
        # The SDK's polling mode (GET /tasks/{id}/status) instead of the NDJSON stream.
        step("multi-function", "reverse",
             {"kwargs": {"text": "polled"}, "sdk": {"stream": False, "pollIntervalMs": 20}},
             served("multi-function").url),
    ]  # fmt: skip
    results = drive(apps, generated, steps)
    for (app, method, _, expected), result in zip(CALLS, results, strict=False):
        assert result.get("outputs") == [e["data"] for e in expected], (app, method, result)
    resized, sheet, polled = results[len(CALLS) :]
    [output] = resized["outputs"]
    assert {k: v for k, v in output.items() if k != "image"} == {
        "width": 10, "height": 0, "output_meta": None
    }  # fmt: skip
    assert urllib.request.urlopen(output["image"], timeout=10).read() == PNG
    assert urllib.request.urlopen(sheet["outputs"][0]["sheet"], timeout=10).read() == GIF
    assert polled["outputs"] == [{"reversed_text": "dellop"}]


def test_a_client_without_an_app_reference_calls_the_one_it_is_given(
    served: Callable[[str], Server], without_app_ref: Path
) -> None:
    url = served("multi-function").url
    steps = [
        step("multi-function", "reverse",
             {"options": {"app": "examples/multi-function"}, "kwargs": {"text": "abc"}}, url),
        step("multi-function", "reverse", {"kwargs": {"text": "abc"}}, url),
    ]  # fmt: skip
    called, missing = drive(["multi-function"], lambda _app: without_app_ref, steps)
    assert called["outputs"] == [{"reversed_text": "cba"}]
    assert missing["error"]["name"] == "TypeError"
    assert missing["error"]["message"] == (
        "MultiFunctionClient needs options.app, the app's reference: namespace/name[@version]"
    )
    assert missing["requests"] == 0


def test_errors(served: Callable[[str], Server], generated: Callable[[str], Path]) -> None:
    counter, words = served("counter").url, served("multi-function").url
    down = f"http://127.0.0.1:{closed_port()}"
    cases = [
        (step("counter", "fail", {"kwargs": {"message": "boom"}}, counter),
         "TaskFailedError", "ValueError: boom"),
        (step("counter", "ticks", {"stream": True, "kwargs": {}}, counter),
         "TaskFailedError", "RuntimeError: stream broke: boom"),
        (step("multi-function", "reverse", {"spy": True, "kwargs": {"text": 5}}, words),
         "InputValidationError", 'invalid input for "reverse": text:'),
        (step("multi-function", "reverse", {"spy": True, "kwargs": {}}, words),
         "InputValidationError", 'invalid input for "reverse": text:'),
        (step("multi-function", "reverse", {"kwargs": {"text": "x"}}, down),
         "ApiConnectionError",
         f"cannot reach the inference.sh API ({down.removeprefix('http://')}): ECONNREFUSED"),
        (step("multi-function", "reverse",
              {"options": {"app": "someone/else"}, "kwargs": {"text": "x"}}, words),
         "InferenceError", "app 'someone/else' not found"),
    ]  # fmt: skip
    results = drive(["counter", "multi-function"], generated, [c for c, _, _ in cases])
    for (case, kind, text), result in zip(cases, results, strict=True):
        error = result.get("error")
        assert error is not None, (case, result)
        assert error["name"] == kind, (case, error)
        assert text in error["message"], (case, error)
        if kind == "TaskFailedError":
            assert error["taskError"] == text and error["status"] == "failed" and error["taskId"]
        if kind == "InputValidationError":
            assert result["requests"] == 0 and error["issues"] == 1
