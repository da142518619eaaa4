"""``schemagen serve``'s HTTP protocol, spoken directly (no SDK): what the SDKs rely on.

The SDK end-to-end tests (``test_sdk_python.py``, ``test_sdk_node.py``) prove the
whole path; these pin the protocol's details and the command's errors.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, FIXTURES, run_cli
from tests.serve.conftest import Server


def call(url: str, method: str = "GET", body: Any = None, key: str = "local") -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        assert error.headers["Content-Type"] == "application/problem+json"
        return error.code, json.loads(error.read())


def updates(url: str, within: float = 30) -> Iterator[dict[str, Any]]:
    """The lines of a task's stream as they arrive; the stream must end ``within`` seconds
    (heartbeats would keep a stream that never ends from timing out)."""
    deadline = time.monotonic() + within
    request = urllib.request.Request(url, headers={"Accept": "application/x-ndjson"})
    with urllib.request.urlopen(request, timeout=within) as response:
        assert response.headers["Content-Type"] == "application/x-ndjson"
        assert response.headers["Transfer-Encoding"] == "chunked"
        for line in response:
            assert time.monotonic() < deadline, f"the stream did not end within {within} s"
            if line.strip():
                yield json.loads(line)


def stream(url: str) -> list[dict[str, Any]]:
    return list(updates(url))


def test_a_streaming_task_from_creation_to_completion(served: Callable[[str], Server]) -> None:
    url = served("streaming-story").url
    status, created = call(f"{url}/apps/run", "POST", {
        "app": "examples/streaming-story@abc1", "function": "count", "input": {"up_to": 2},
    })  # fmt: skip
    assert status == 200
    task = created["data"]
    assert task["status"] == 1 and task["output"] is None and task["function"] == "count"
    snapshots = stream(f"{url}/tasks/{task['id']}/stream")
    # Received, running, one running snapshot per output, completed with the last.
    assert [s["status"] for s in snapshots] == [1, 7, 7, 7, 10]
    assert [s["output"] for s in snapshots] == [
        None, None, {"value": 1, "output_meta": None}, {"value": 2, "output_meta": None},
        {"value": 2, "output_meta": None},
    ]  # fmt: skip
    assert call(f"{url}/tasks/{task['id']}")[1]["data"]["status"] == 10
    assert call(f"{url}/tasks/{task['id']}/status")[1]["data"] == {"id": task["id"], "status": 10}
    # The stream of a finished task replays it whole (clients may connect late).
    assert stream(f"{url}/tasks/{task['id']}/stream") == snapshots


def test_a_failed_task_carries_the_error_and_the_logs(served: Callable[[str], Server]) -> None:
    url = served("counter").url
    task = call(f"{url}/apps/run", "POST", {"app": "tests/counter", "function": "fail",
                                            "input": {"message": "no"}})[1]["data"]  # fmt: skip
    final = stream(f"{url}/tasks/{task['id']}/stream")[-1]
    assert final["status"] == 11
    assert final["error"] == "ValueError: no"
    assert [log["content"] for log in final["logs"]][-1] == "about to fail"


def test_requests_the_server_refuses(served: Callable[[str], Server]) -> None:
    url = served("multi-function").url
    cases = [
        ({"app": "other/app", "input": {}}, 404, "app 'other/app' not found"),
        ({"app": "examples/multi-function", "function": "nope", "input": {}}, 404,
         "function 'nope' not found (the app has: reverse, run)"),
        ({"input": {}}, 400, "'app' is required"),
        ([1], 400, "must be a JSON object"),
    ]  # fmt: skip
    for body, code, detail in cases:
        status, problem = call(f"{url}/apps/run", "POST", body)
        assert (status, problem["status"]) == (code, code)
        assert detail in problem["detail"]
    assert call(f"{url}/tasks/0123abc")[0] == 404
    assert call(f"{url}/nowhere")[0] == 404


def test_invalid_input_fails_the_task_as_the_worker_would(served: Callable[[str], Server]) -> None:
    url = served("multi-function").url
    task = call(
        f"{url}/apps/run",
        "POST",
        {"app": "examples/multi-function", "function": "reverse", "input": {}},
    )[1]["data"]
    final = stream(f"{url}/tasks/{task['id']}/stream")[-1]
    assert final["status"] == 11 and final["error"].startswith("invalid input: 1 validation error")


def test_uploads_are_served_back(served: Callable[[str], Server]) -> None:
    url = served("image-tools").url
    record = call(
        f"{url}/files", "POST", {"files": [{"filename": "a.png", "content_type": "image/png"}]}
    )[1]
    [created] = record["data"]
    put = urllib.request.Request(created["upload_url"], data=b"pixels", method="PUT")
    assert urllib.request.urlopen(put, timeout=10).status == 200
    with urllib.request.urlopen(created["uri"], timeout=10) as response:
        assert response.read() == b"pixels"
        assert response.headers["Content-Type"] == "image/png"


def test_api_key_and_app_ref_options() -> None:
    server = Server(EXAMPLES / "multi-function", "--sdk", "bundled", "--api-key", "sesame",
                    "--app-ref", "me/words")  # fmt: skip
    try:
        body = {"app": "me/words", "function": "reverse", "input": {"text": "ab"}}
        status, problem = call(f"{server.url}/apps/run", "POST", body, key="wrong")
        assert status == 401 and problem["detail"] == "a valid API key is required"
        assert call(f"{server.url}/apps/run", "POST", body, key="sesame")[0] == 200
        assert call(f"{server.url}/", key="sesame")[1]["data"]["app"] == "me/words"
    finally:
        assert server.stop() == 0


def test_serve_errors_are_one_line_and_exit_2(served: Callable[[str], Server]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", str(EXAMPLES / "multi-function"), "--port", str(port))
    assert result.code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    result = run_cli("serve", str(FIXTURES / "errors" / "no-functions"))
    assert result.code == 2 and "Traceback" not in result.stderr
    result = run_cli("serve", str(EXAMPLES / "structure"), "--app-ref", "not a ref")
    assert result.code == 2 and "is not an app reference" in result.stderr


def test_help_has_an_example() -> None:
    result = run_cli("serve", "--help")
    assert result.code == 0 and "Example: schemagen serve" in result.stdout


@pytest.mark.parametrize("port", ["65536", "-1"])
def test_port_is_checked(port: str) -> None:
    assert run_cli("serve", str(EXAMPLES / "multi-function"), "--port", port).code == 2


def test_cancel_answers_the_task(served: Callable[[str], Server]) -> None:
    url = served("multi-function").url
    task = call(f"{url}/apps/run", "POST", {"app": "examples/multi-function",
                                            "input": {}})[1]["data"]  # fmt: skip
    final = stream(f"{url}/tasks/{task['id']}/stream")[-1]
    # A finished task stays as it ended.
    assert call(f"{url}/tasks/{task['id']}/cancel", "POST", {})[1]["data"] == {
        "id": task["id"], "status": final["status"]
    }  # fmt: skip
    assert call(f"{url}/tasks/feed/cancel", "POST", {})[0] == 404


def test_an_app_that_cannot_load_is_one_line_and_exit_2() -> None:
    from tests.helpers import run_cli

    result = run_cli("serve", "tests/fixtures/errors/syntax-error", "--port", "0")
    assert result.code == 2
    assert result.stderr == (
        "schemagen: error: tests/fixtures/errors/syntax-error/inference.py:4: "
        "syntax error: expected ':'\n"
    )


HEARTBEAT = {"type": "heartbeat"}


@pytest.fixture(scope="module")
def holding() -> Iterator[Server]:
    """A server of the hold app (tasks wait for a release file), heartbeats every 50 ms."""
    server = Server(FIXTURES / "serve" / "hold", "--sdk", "bundled", "--heartbeat", "0.05")
    yield server
    server.stop()


@pytest.fixture
def release(tmp_path: Path) -> Iterator[Path]:
    """The file a hold task waits for; made at the end so that no task keeps the worker."""
    path = tmp_path / "release"
    yield path
    path.touch()


def hold(url: str, release: Path, function: str = "hold") -> str:
    """Start a hold task; its id."""
    body = {"app": "tests/hold", "function": function, "input": {"release": str(release)}}
    status, created = call(f"{url}/apps/run", "POST", body)
    assert status == 200, created
    return str(created["data"]["id"])


def test_a_waiting_stream_sends_heartbeats_then_the_terminal_update(
    holding: Server, release: Path
) -> None:
    task = hold(holding.url, release)
    seen = []
    for line in updates(f"{holding.url}/tasks/{task}/stream", within=5):
        seen.append(line)
        if seen.count(HEARTBEAT) == 2:
            release.touch()  # the task ends only once the stream has had heartbeats
    snapshots = [line for line in seen if line != HEARTBEAT]
    assert [s["status"] for s in snapshots] == [1, 7, 10]
    assert seen[-1] == snapshots[-1] and seen[-1]["output"] == {"released": True}
    assert seen.count(HEARTBEAT) >= 2


def cancel(url: str, task: str) -> Any:
    status, answer = call(f"{url}/tasks/{task}/cancel", "POST", {})
    assert status == 200, answer
    return answer["data"]


def test_cancel_stops_a_running_task_and_a_queued_one(holding: Server, release: Path) -> None:
    url = holding.url
    running, queued = hold(url, release), hold(url, release)
    lines = updates(f"{url}/tasks/{running}/stream", within=5)
    assert next(line for line in lines if line.get("status") == 7)
    # A task waiting its turn never starts: it is cancelled at once.
    assert cancel(url, queued) == {"id": queued, "status": 12}
    # A running one stops at its next await, though its release never comes.
    cancel(url, running)
    assert [line for line in lines if line != HEARTBEAT][-1]["status"] == 12
    assert [s["status"] for s in stream(f"{url}/tasks/{queued}/stream")] == [1, 12]
    assert call(f"{url}/tasks/{running}/status")[1]["data"] == {"id": running, "status": 12}
    # Cancelling again changes nothing; the worker goes on with the next task.
    assert cancel(url, running) == {"id": running, "status": 12}
    release.touch()
    assert stream(f"{url}/tasks/{hold(url, release)}/stream")[-1]["status"] == 10


def test_cancel_discards_what_blocking_code_returns(holding: Server, release: Path) -> None:
    url = holding.url
    task = hold(url, release, "hold_blocking")
    lines = updates(f"{url}/tasks/{task}/stream", within=5)
    assert next(line for line in lines if line.get("status") == 7)
    # Blocking code cannot be interrupted: the task runs until it returns, then ends
    # cancelled, without its output.
    assert cancel(url, task) == {"id": task, "status": 7}
    release.touch()
    final = [line for line in lines if line != HEARTBEAT][-1]
    assert (final["status"], final["output"]) == (12, None)
