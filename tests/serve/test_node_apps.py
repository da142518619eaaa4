"""``schemagen serve`` of Node.js apps: the app's real code in one node process, its
packages installed in its folder, behind the same HTTP API as a Python app.

The oracles are the official clients over real HTTP: the ``inferencesh`` SDK (PyPI,
in its own venv) and ``@inferencesh/sdk`` (npm), each through the app's generated
typed client, and the protocol spoken directly for what the SDKs do not show
(snapshots, logs, cancellation, heartbeats). The fixture apps are
``tests/fixtures/serve/node-*``: node-counter (zod 3: greets, streams, counts its
setups, throws), node-files (zod 4: files in and out), node-hold (tasks that wait,
for cancel and for a node that ends).
"""

from __future__ import annotations

import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_cli
from tests.serve import test_sdk_node as npm
from tests.serve import test_sdk_python as pypi
from tests.serve.conftest import NODE_APPS, Server, install_node_app, node_missing
from tests.serve.test_sdk_python import GIF, GIF_URI, PNG, PNG_URI, sdk_python, typed
from tests.serve.test_server import HEARTBEAT, call, cancel, release, stream, updates

pytestmark = pytest.mark.skipif(node_missing() is not None, reason=str(node_missing()))
__all__ = ["release", "sdk_python"]  # fixtures of test_server and test_sdk_python

# (app, method, step options, expected outputs): what the app's code returns.
CALLS: list[tuple[str, str, dict[str, Any], list[dict[str, Any]]]] = [
    ("node-counter", "run", {"kwargs": {"name": "Ada", "excited": True}},
     typed("RunOutput", {"message": "Hello, Ada!"})),
    # Defaults come from the zod schema, parsed in node as the platform's kernel does.
    ("node-counter", "run", {"kwargs": {}}, typed("RunOutput", {"message": "Hello, World."})),
    ("node-counter", "count", {"stream": True, "kwargs": {"up_to": 3}},
     typed("CountOutput", {"value": 1}, {"value": 2}, {"value": 3})),
]  # fmt: skip
FAILURES = [
    # The app throws: the task fails with the error's name and message.
    ("node-counter", "fail", {"kwargs": {"message": "boom"}}, "Error: boom"),
    ("node-counter", "ticks", {"stream": True, "kwargs": {}}, "TypeError: stream broke: boom"),
]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        data: bytes = response.read()
    return data


def check_files(run: dict[str, Any], sheet: dict[str, Any], url: str) -> None:
    """node-files' outputs: every File the app returned is a URL of this server."""
    assert run["size"] == len(PNG)
    assert fetch(run["copy"]) == PNG * 2
    assert fetch(run["report"]) == f"{len(PNG)} bytes".encode()  # a File in a z.any() field
    # The input arrived as a lazy File of the URL the SDK uploaded the data URI to.
    assert run["uri"].startswith(url + "/files/")
    assert fetch(sheet["sheet"]) == GIF + PNG
    assert [fetch(part) for part in sheet["parts"]] == [GIF, PNG]


def check_failures(results: list[dict[str, Any]], keys: tuple[str, str, str]) -> None:
    """Each of ``FAILURES`` (after ``CALLS`` in ``results``) raised the client's
    TaskFailedError with the task's error; ``keys``: the driver's names for the
    error's class, its task error and its status."""
    failed = results[len(CALLS) : len(CALLS) + len(FAILURES)]
    for (_, method, _, message), result in zip(FAILURES, failed, strict=True):
        error = result["error"]
        assert tuple(error[key] for key in keys) == ("TaskFailedError", message, "failed"), method


def test_through_the_python_sdk(
    sdk_python: Path, served: Callable[[str], Server], generated: Callable[[str], Path]
) -> None:
    def step(app: str, method: str, options: dict[str, Any]) -> dict[str, Any]:
        return pypi.step(app, method, dict(options), served(app).url, generated(app))

    steps = [step(app, method, options) for app, method, options, _ in CALLS]
    steps += [step(app, method, options) for app, method, options, _ in FAILURES]
    steps += [
        step("node-files", "run", {"kwargs": {"image": PNG_URI, "times": 2}}),
        step("node-files", "sheet", {"async": True, "kwargs": {"images": [GIF_URI, PNG_URI]}}),
    ]
    results = pypi.drive(sdk_python, steps)
    for (app, method, _, expected), result in zip(CALLS, results, strict=False):
        assert result.get("outputs") == expected, (app, method, result)
    check_failures(results, ("type", "error", "status"))
    run, sheet = (r["outputs"][0] for r in results[-2:])
    assert (run["type"], sheet["type"]) == ("RunOutput", "SheetOutput")
    check_files(run["data"], sheet["data"], served("node-files").url)


def test_through_the_npm_sdk(
    served: Callable[[str], Server], generated: Callable[[str], Path]
) -> None:
    def step(app: str, method: str, options: dict[str, Any]) -> dict[str, Any]:
        return npm.step(app, method, options, served(app).url)

    steps = [step(app, method, options) for app, method, options, _ in CALLS]
    steps += [step(app, method, options) for app, method, options, _ in FAILURES]
    steps += [
        step("node-files", "run", {"kwargs": {"image": PNG_URI, "times": 2}}),
        step("node-files", "sheet", {"kwargs": {"images": [GIF_URI, PNG_URI]}}),
        # The SDK's polling mode (GET /tasks/{id}/status) instead of the NDJSON stream.
        step("node-counter", "run",
             {"kwargs": {"name": "Bo"}, "sdk": {"stream": False, "pollIntervalMs": 20}}),
    ]  # fmt: skip
    results = npm.drive(["node-counter", "node-files"], generated, steps)
    for (app, method, _, expected), result in zip(CALLS, results, strict=False):
        assert result.get("outputs") == [e["data"] for e in expected], (app, method, result)
    check_failures(results, ("name", "taskError", "status"))
    run, sheet, polled = (r["outputs"] for r in results[-3:])
    check_files(run[0], sheet[0], served("node-files").url)
    assert polled == [{"message": "Hello, Bo."}]


@pytest.mark.parametrize(
    ("options", "expected", "unloaded"),
    [
        # Each distinct config is set up once; its instance answers from then on.
        ((), [(1, 1), (1, 1), (2, 2), (2, 2), (2, 1)], ["b", "a"]),
        # One instance at a time: a change unloads the other and sets up anew.
        (("--max-instances", "1"), [(1, 1), (1, 1), (2, 2), (2, 2), (3, 3)], ["a", "b", "a"]),
    ],
    ids=["all", "one"],
)
def test_setup_runs_once_per_setup_config_and_unload_at_the_end(
    options: tuple[str, ...],
    expected: list[tuple[int, int]],
    unloaded: list[str],
    sdk_python: Path,
    app_path: Callable[[str], Path],
    generated: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    notes = tmp_path / "unloaded"
    server = Server(app_path("node-counter"), *options, env={"NODE_COUNTER_UNLOADED": str(notes)})
    labels = ["a", "a", "b", "b", "a"]
    try:
        steps = [
            pypi.step("node-counter", "whoami", {"options": {"setup": {"label": label}}},
                      server.url, generated("node-counter"))
            for label in labels
        ]  # fmt: skip
        results = pypi.drive(sdk_python, steps)
    finally:
        assert server.stop() == 0
    seen = [r["outputs"][0]["data"] for r in results]
    assert [(s["label"], s["setups"], s["instance"]) for s in seen] == [
        (label, setups, instance)
        for label, (setups, instance) in zip(labels, expected, strict=True)
    ]
    assert len({s["task"] for s in seen}) == len(labels)  # each call its own task id
    # Evicted instances were unloaded as they went, the others when the server stopped.
    assert notes.read_text().split() == unloaded


# -- the protocol, spoken directly -----------------------------------------------------


def run_task(url: str, app: str, function: str, body: Any, setup: Any = None) -> str:
    request = {"app": app, "function": function, "input": body}
    if setup is not None:
        request["setup"] = setup
    status, created = call(f"{url}/apps/run", "POST", request)
    assert status == 200, created
    return str(created["data"]["id"])


def test_a_streaming_task_and_a_failed_one(served: Callable[[str], Server]) -> None:
    url = served("node-counter").url
    task = run_task(url, "tests/node-counter", "count", {"up_to": 2})
    snapshots = stream(f"{url}/tasks/{task}/stream")
    assert [s["status"] for s in snapshots] == [1, 7, 7, 7, 10]
    assert [s["output"] for s in snapshots] == [None, None, {"value": 1}, {"value": 2},
                                               {"value": 2}]  # fmt: skip
    final = stream(f"{url}/tasks/{run_task(url, 'tests/node-counter', 'fail', {})}/stream")[-1]
    assert (final["status"], final["error"]) == (11, "Error: boom")
    # What the app printed during the task is the task's log.
    assert [log["content"] for log in final["logs"]][-1] == "about to fail"


@pytest.mark.parametrize(
    ("setup", "body", "error"),
    [
        (None, {"up_to": "x"}, "invalid input: up_to: Expected number, received string"),
        ({"label": 5}, {"up_to": 1}, "invalid setup: label: Expected string, received number"),
    ],
)
def test_input_and_setup_are_parsed_with_the_apps_zod(
    setup: Any, body: Any, error: str, served: Callable[[str], Server]
) -> None:
    url = served("node-counter").url
    task = run_task(url, "tests/node-counter", "count", body, setup)
    final = stream(f"{url}/tasks/{task}/stream")[-1]
    assert (final["status"], final["error"]) == (11, error)


@pytest.fixture(scope="module")
def holding(app_path: Callable[[str], Path]) -> Iterator[Server]:
    """A server of node-hold: heartbeats every 50 ms, a cancelled task has 3 s to stop."""
    server = Server(app_path("node-hold"), "--heartbeat", "0.05", "--cancel-timeout", "3")
    yield server
    server.stop()


def hold(url: str, release: Path, function: str = "hold") -> str:
    return run_task(url, "tests/node-hold", function, {"release": str(release)})


def running(url: str, task: str) -> Iterator[dict[str, Any]]:
    """The task's stream, read until it runs; the rest of it, heartbeats left out."""
    lines = (line for line in updates(f"{url}/tasks/{task}/stream", within=15) if line != HEARTBEAT)
    assert next(line for line in lines if line.get("status") == 7)
    return lines


def node_of(url: str, release: Path) -> tuple[int, int]:
    """node-hold's node process id, and how many times its setup ran there."""
    release.touch()
    final = stream(f"{url}/tasks/{hold(url, release)}/stream")[-1]
    assert final["status"] == 10, final
    return int(final["output"]["pid"]), int(final["output"]["setups"])


def test_heartbeats_while_a_node_task_waits(holding: Server, release: Path) -> None:
    task = hold(holding.url, release)
    seen = []
    for line in updates(f"{holding.url}/tasks/{task}/stream", within=10):
        seen.append(line)
        if seen.count(HEARTBEAT) == 2:
            release.touch()
    assert [s["status"] for s in seen if s != HEARTBEAT] == [1, 7, 10]
    assert seen[-1]["output"]["released"] is True


def test_cancel_calls_on_cancel_and_the_task_ends_when_the_function_does(
    holding: Server, release: Path
) -> None:
    url = holding.url
    before = node_of(url, release.with_name("other"))
    task, queued = hold(url, release), hold(url, release)
    lines = running(url, task)
    # A task waiting its turn never starts.
    assert cancel(url, queued) == {"id": queued, "status": 12}
    cancel(url, task)
    final = list(lines)[-1]
    # onCancel made the function return; what it returned is dropped.
    assert (final["status"], final["output"]) == (12, None)
    assert cancel(url, task) == {"id": task, "status": 12}
    # The same node and instance go on: it was not killed.
    assert node_of(url, release) == before


def test_a_task_that_ignores_cancel_is_stopped_by_killing_its_node(
    holding: Server, release: Path
) -> None:
    url = holding.url
    pid, _ = node_of(url, release.with_name("other"))
    task = hold(url, release, "stubborn")
    lines = running(url, task)
    # Cancel once the function runs (a cancel before that ends the task at once).
    began = release.with_name(release.name + ".started")
    deadline = time.monotonic() + 15
    while not began.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    assert cancel(url, task)["status"] == 7  # still running: it ends when it stops
    assert list(lines)[-1]["status"] == 12
    assert time.monotonic() - started >= 3  # --cancel-timeout 3
    # The next task runs in a new node, set up anew.
    again, count = node_of(url, release)
    assert again != pid and count == 1


def test_a_cancelled_stream_keeps_what_it_sent(holding: Server, release: Path) -> None:
    url = holding.url
    task = hold(url, release, "waves")
    lines = running(url, task)
    assert next(lines)["output"] == {"wave": 1}
    cancel(url, task)
    final = list(lines)[-1]
    assert (final["status"], final["output"]) == (12, {"wave": 1})


@pytest.mark.parametrize(
    ("function", "error"),
    [
        ("exit", "the app's node process ended (exit code 3)"),
        ("crash", "the app's node process ended (exit code 1): RangeError: thrown from a timer"),
        (
            "talk",
            "talk is a stream function (it takes a socket), which schemagen serve does not run",
        ),
    ],
)
def test_a_node_that_ends_fails_its_task_and_the_server_goes_on(
    function: str, error: str, holding: Server, release: Path
) -> None:
    url = holding.url
    task = run_task(url, "tests/node-hold", function, {})
    final = stream(f"{url}/tasks/{task}/stream")[-1]
    assert (final["status"], final["error"]) == (11, error)
    assert node_of(url, release)  # the next task runs


def test_apps_that_cannot_be_served_are_one_line_and_exit_2(tmp_path: Path) -> None:
    # Nothing installed: the app's import fails as node reports it, saying what to do.
    bare = tmp_path / "bare"
    shutil.copytree(NODE_APPS["node-counter"], bare)
    result = run_cli("serve", str(bare), "--port", "0")
    assert result.code == 2
    assert result.stderr == (
        f"schemagen: error: {bare}/inference.js:6: import failed: Cannot find package 'zod' "
        "imported from inference.js (run npm install in the app's folder)\n"
    )
    app = install_node_app(NODE_APPS["node-counter"], tmp_path / "app")
    for flag, message in [
        (("--sdk", "bundled"), "--sdk bundled is for Python apps"),
        (("--app-class", "Other"), "--app-class is for Python apps"),
    ]:
        result = run_cli("serve", str(app), *flag)
        assert result.code == 2 and message in result.stderr
        assert result.stderr.count("\n") == 1
    result = run_cli("serve", "tests/fixtures/node/errors/syntax-error", "--port", "0")
    assert result.code == 2 and result.stderr.startswith(
        "schemagen: error: tests/fixtures/node/errors/syntax-error/inference.js:"
    )
    assert "Traceback" not in result.stderr


def test_the_files_of_a_node_app_task_are_json(served: Callable[[str], Server]) -> None:
    """A File is sent as the URL of its bytes wherever it is; the rest as JSON.stringify."""
    url = served("node-files").url
    record = call(f"{url}/files", "POST", {"files": [{"filename": "in.bin"}]})[1]["data"][0]
    put = urllib.request.Request(record["upload_url"], data=b"abc", method="PUT")
    urllib.request.urlopen(put, timeout=10).close()
    task = run_task(url, "tests/node-files", "run", {"image": record["uri"]})
    output = stream(f"{url}/tasks/{task}/stream")[-1]["output"]
    assert set(output) == {"copy", "size", "uri", "report"}
    assert fetch(output["copy"]) == b"abc" and output["uri"] == record["uri"]
