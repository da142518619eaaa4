"""Calls apps through generated Python clients and the official ``inferencesh`` SDK.

Runs in the SDK's virtual environment (``tests/venvs.py``), not in schemagen's: a
JSON list of steps on stdin, one JSON result per step on stdout. A step names a
generated ``client.py``, the client class, sync or async, the constructor options,
the method and its input (keyword arguments, or ``model`` to pass the input model),
and whether the function streams. A result is ``{"outputs": [{"type", "data"}],
"requests": n}`` or ``{"error": {"type", "message", "error", "status", "task_id"}}``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any


def load(path: str) -> Any:
    name = "client_" + str(abs(hash(path)))
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class Counting:
    """A transport that counts the requests it passes on (to prove none was sent)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.requests = 0

    def run(self, request: dict[str, Any]) -> Any:
        self.requests += 1
        return self.inner.run(request)


def outcome(outputs: list[Any], spy: Counting | None) -> dict[str, Any]:
    return {
        "outputs": [
            {"type": type(o).__name__, "data": o.model_dump(mode="json", by_alias=True)}
            for o in outputs
        ],
        "requests": spy.requests if spy else None,
    }


def failure(error: BaseException, spy: Counting | None) -> dict[str, Any]:
    return {
        "error": {
            "type": type(error).__name__,
            "bases": [k.__name__ for k in type(error).__mro__],
            "message": str(error),
            "error": getattr(error, "error", None),
            "status": getattr(error, "status", None),
            "task_id": getattr(error, "task_id", None),
        },
        "requests": spy.requests if spy else None,
    }


def prepare(step: dict[str, Any]) -> tuple[Any, Any, Counting | None, tuple[Any, ...], dict]:
    module = load(step["client"])
    asynchronous = step.get("async", False)
    name = ("Async" if asynchronous else "") + step["class"]
    options = dict(step.get("options", {}))
    spy = None
    if step.get("spy"):
        sdk = importlib.import_module("inferencesh")
        factory = sdk.AsyncInference if asynchronous else sdk.Inference
        sdk_client = factory(api_key=options.pop("api_key"), base_url=options.pop("base_url"))
        inner = (module.AsyncSdkTransport if asynchronous else module.SdkTransport)(sdk_client)
        spy = Counting(inner)
        options["transport"] = spy
    client = getattr(module, name)(**options)
    method = getattr(client, step["method"])
    args: tuple[Any, ...] = ()
    kwargs = dict(step.get("kwargs", {}))
    if "model" in step:
        args = (getattr(module, step["input_class"]).model_validate(step["model"]),)
    return client, method, spy, args, kwargs


def run_sync(step: dict[str, Any]) -> dict[str, Any]:
    spy = None
    try:
        _, method, spy, args, kwargs = prepare(step)
        result = method(*args, **kwargs)
        outputs = list(result) if step.get("stream") else [result]
        return outcome(outputs, spy)
    except Exception as error:  # noqa: BLE001 - reported to the test
        return failure(error, spy)


async def run_async(step: dict[str, Any]) -> dict[str, Any]:
    spy = None
    try:
        _, method, spy, args, kwargs = prepare(step)
        if step.get("stream"):
            outputs = [o async for o in method(*args, **kwargs)]
        else:
            outputs = [await method(*args, **kwargs)]
        return outcome(outputs, spy)
    except Exception as error:  # noqa: BLE001 - reported to the test
        return failure(error, spy)


def main() -> None:
    steps = json.load(sys.stdin)
    results = []
    for step in steps:
        if step.get("async"):
            results.append(asyncio.run(run_async(step)))
        else:
            results.append(run_sync(step))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
