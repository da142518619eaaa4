"""End to end: generated Python clients -> official ``inferencesh`` SDK (PyPI) -> ``schemagen
serve`` -> the real app code, for every function of the covered examples.

The SDK runs in its own virtual environment (``inferencesh==0.36.0`` with ``aiohttp``
for ``AsyncInference``, pinned, and this interpreter's pydantic); the steps run in
one process there (``sdk_python_driver.py``). Typed outputs are compared, dumped, with
what each app's code returns for the input.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.serve.conftest import E2E_APPS, Server
from tests.venvs import installed_version, make_venv, pydantic_pins

DRIVER = Path(__file__).with_name("sdk_python_driver.py")
SDK = ["inferencesh==0.36.0", "aiohttp==3.14.5"]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
PNG_URI = "data:image/png;base64," + base64.b64encode(PNG).decode()
GIF = b"GIF89a" + bytes(range(32))
GIF_URI = "data:image/gif;base64," + base64.b64encode(GIF).decode()
CLASSES = {
    "multi-function": "MultiFunctionClient",
    "streaming-story": "StreamingStoryClient",
    "structure": "StructureClient",
    "image-tools": "ImageToolsClient",
    "counter": "CounterClient",
    "node-counter": "NodeCounterClient",
    "node-files": "NodeFilesClient",
}


@pytest.fixture(scope="module")
def sdk_python() -> Path:
    name = f"python-client-e2e-pydantic-{installed_version('pydantic')}"
    return make_venv(name, [*SDK, *pydantic_pins()])


def story(index: int, text: str, done: bool = False) -> dict[str, Any]:
    return {"chunk": {"index": index, "text": text}, "done": done, "output_meta": None}


def typed(kind: str, *data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": kind, "data": d} for d in data]


# (app, method, step options, expected outputs). Outputs are what the app's code returns.
CALLS: list[tuple[str, str, dict[str, Any], list[dict[str, Any]]]] = [
    ("multi-function", "run", {"kwargs": {"name": "Ada"}},
     typed("RunOutput", {"message": "Hello, Ada!"})),
    ("multi-function", "run", {"kwargs": {}}, typed("RunOutput", {"message": "Hello, World!"})),
    ("multi-function", "run", {"async": True, "kwargs": {"name": "Bo"}},
     typed("RunOutput", {"message": "Hello, Bo!"})),
    ("multi-function", "reverse", {"kwargs": {"text": "hello"}},
     typed("ReverseOutput", {"reversed_text": "olleh"})),
    ("multi-function", "reverse",
     {"async": True, "model": {"text": "stressed"}, "input_class": "ReverseInput"},
     typed("ReverseOutput", {"reversed_text": "desserts"})),
    ("streaming-story", "run", {"stream": True, "kwargs": {"topic": "dragons", "paragraphs": 2}},
     typed("RunOutput", story(0, "dragons #0"), story(1, "dragons #1"), story(2, "", True))),
    ("streaming-story", "run",
     {"stream": True, "async": True, "kwargs": {"topic": "ships", "genre": "sci-fi",
                                                 "paragraphs": 1}},
     typed("RunOutput", story(0, "ships #0"), story(1, "", True))),
    ("streaming-story", "count", {"stream": True, "kwargs": {"up_to": 3}},
     typed("CountOutput", *({"value": n, "output_meta": None} for n in (1, 2, 3)))),
    ("streaming-story", "count", {"stream": True, "async": True, "kwargs": {"up_to": 2}},
     typed("CountOutput", *({"value": n, "output_meta": None} for n in (1, 2)))),
    ("structure", "run",
     {"options": {"setup": {"model_id": "m2"}},
      "kwargs": {"prompt": "hi", "style": "bold", "count": 2}},
     typed("RunOutput", {"result": "bold: hibold: hi", "output_meta": None})),
    ("structure", "run", {"async": True, "kwargs": {"prompt": "x"}},
     typed("RunOutput", {"result": "modern: x", "output_meta": None})),
]  # fmt: skip


def step(app: str, method: str, options: dict[str, Any], url: str, clients: Path) -> dict[str, Any]:
    constructor = {"api_key": "local", "base_url": url, **options.pop("options", {})}
    return {
        "client": str(clients / "client.py"),
        "class": CLASSES[app],
        "method": method,
        "options": constructor,
        **options,
    }


def drive(python: Path, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [str(python), str(DRIVER)],
        input=json.dumps(steps),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


def test_every_function_of_the_examples(
    sdk_python: Path, served: Callable[[str], Server], generated: Callable[[str], Path]
) -> None:
    steps = [
        step(app, method, dict(options), served(app).url, generated(app))
        for app, method, options, _ in CALLS
    ]
    image_tools = served("image-tools").url, generated("image-tools")
    steps.append(step("image-tools", "run", {"options": {"setup": {"backend": "opencv"}},
                                             "kwargs": {"image": PNG_URI, "width": 10}},
                      *image_tools))  # fmt: skip
    steps.append(step("image-tools", "contact_sheet",
                      {"async": True, "kwargs": {"images": [GIF_URI, PNG_URI], "columns": 2}},
                      *image_tools))  # fmt: skip
    results = drive(sdk_python, steps)
    for (app, method, _, expected), result in zip(CALLS, results, strict=False):
        assert result.get("outputs") == expected, (app, method, result)
    resized, sheet = results[len(CALLS) :]
    # File outputs travel as URLs the server serves: the app returned its input image.
    [output] = resized["outputs"]
    assert output["type"] == "RunOutput"
    assert {k: v for k, v in output["data"].items() if k != "image"} == {
        "width": 10, "height": 0, "output_meta": None
    }  # fmt: skip
    assert urllib.request.urlopen(output["data"]["image"], timeout=10).read() == PNG
    [output] = sheet["outputs"]
    assert output["type"] == "ContactSheetOutput"
    assert urllib.request.urlopen(output["data"]["sheet"], timeout=10).read() == GIF


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # Each distinct config is set up once; its instance answers from then on.
        ((), [(1, 1), (1, 1), (2, 2), (2, 2), (2, 1)]),
        # One instance at a time, as the platform's worker: a change sets up anew.
        (("--max-instances", "1"), [(1, 1), (1, 1), (2, 2), (2, 2), (3, 3)]),
    ],
    ids=["all", "one"],
)
def test_setup_runs_once_per_setup_config(
    options: tuple[str, ...],
    expected: list[tuple[int, int]],
    sdk_python: Path,
    generated: Callable[[str], Path],
) -> None:
    server = Server(E2E_APPS["counter"], "--sdk", "bundled", *options)  # counts from zero
    try:
        clients = generated("counter")
        labels = ["a", "a", "b", "b", "a"]
        steps = [
            step(
                "counter",
                "whoami",
                {"options": {"setup": {"label": label}}, "async": i % 2 == 1},
                server.url,
                clients,
            )  # fmt: skip
            for i, label in enumerate(labels)
        ]
        results = drive(sdk_python, steps)
    finally:
        server.stop()
    seen = [r["outputs"][0]["data"] for r in results]
    assert seen == [
        {"label": label, "setups": setups, "instance": instance}
        for label, (setups, instance) in zip(labels, expected, strict=True)
    ]


def test_a_client_without_an_app_reference_calls_the_one_it_is_given(
    sdk_python: Path, served: Callable[[str], Server], without_app_ref: Path
) -> None:
    url = served("multi-function").url
    given = {"app": "examples/multi-function"}
    steps = [
        step("multi-function", "reverse", {"options": given, "kwargs": {"text": "abc"}}, url,
             without_app_ref),
        step("multi-function", "reverse", {"async": True, "options": given,
                                           "kwargs": {"text": "xy"}}, url, without_app_ref),
        step("multi-function", "reverse", {"kwargs": {"text": "abc"}}, url, without_app_ref),
    ]  # fmt: skip
    called, called_async, missing = drive(sdk_python, steps)
    assert called["outputs"] == typed("ReverseOutput", {"reversed_text": "cba"})
    assert called_async["outputs"] == typed("ReverseOutput", {"reversed_text": "yx"})
    assert missing["error"]["type"] == "TypeError"
    assert "missing 1 required keyword-only argument: 'app'" in missing["error"]["message"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_errors(
    sdk_python: Path, served: Callable[[str], Server], generated: Callable[[str], Path]
) -> None:
    counter = served("counter").url, generated("counter")
    words = served("multi-function").url, generated("multi-function")
    down = f"http://127.0.0.1:{closed_port()}"
    cases = [
        # The app raises: the task fails, the client raises TaskFailedError with its error.
        (step("counter", "fail", {"kwargs": {"message": "boom"}}, *counter),
         "TaskFailedError", "ValueError: boom"),
        (step("counter", "fail", {"async": True, "kwargs": {"message": "bang"}}, *counter),
         "TaskFailedError", "ValueError: bang"),
        (step("counter", "ticks", {"stream": True, "kwargs": {}}, *counter),
         "TaskFailedError", "RuntimeError: stream broke: boom"),
        # Invalid input never leaves the client.
        (step("multi-function", "reverse", {"spy": True, "kwargs": {"text": 5}}, *words),
         "InputValidationError", "text\n  Input should be a valid string"),
        (step("multi-function", "reverse", {"spy": True, "async": True, "kwargs": {}}, *words),
         "InputValidationError", "text\n  Field required"),
        # Nothing listens there.
        (step("multi-function", "reverse", {"kwargs": {"text": "x"}}, down, words[1]),
         "ApiConnectionError", f"cannot reach {down}: Connection refused"),
        (step("multi-function", "reverse", {"async": True, "kwargs": {"text": "x"}}, down,
              words[1]), "ApiConnectionError", f"cannot reach {down}: Connect call failed"),
        # The server answers for another app.
        (step("multi-function", "reverse",
              {"options": {"app": "someone/else"}, "kwargs": {"text": "x"}}, *words),
         "TransportError", "HTTP 404: app 'someone/else' not found"),
    ]  # fmt: skip
    results = drive(sdk_python, [case for case, _, _ in cases])
    for (case, kind, text), result in zip(cases, results, strict=True):
        error = result.get("error")
        assert error is not None, (case, result)
        assert error["type"] == kind, (case, error)
        assert "ClientError" in error["bases"]
        assert text in error["message"], (case, error)
        if kind == "TaskFailedError":
            assert error["error"] == text and error["status"] == "failed" and error["task_id"]
        if kind == "InputValidationError":
            assert result["requests"] == 0  # rejected before any request
