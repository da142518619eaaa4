"""``--sdk installed`` against the current inferencesh release.

The oracle is the real package itself: a plain script in a venv holding
inferencesh 0.36.0 imports each app and prints ``Model.model_json_schema()``;
schemagen, importing the same app in that venv with ``--python``, must give
the same schemas, and copy the ``@function`` metadata the real decorator set.
Pydantic is pinned to the version under test (see tests/venvs.py).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, FIXTURES, run_cli
from tests.venvs import installed_version, make_venv, pydantic_pins

CURRENT_SDK = "0.36.0"

# app -> {function: (input model, output model)}, plus the setup model or None.
APPS: dict[Path, tuple[dict[str, tuple[str, str]], str | None]] = {
    EXAMPLES / "structure": ({"run": ("AppInput", "AppOutput")}, "AppSetup"),
    EXAMPLES / "image-tools": (
        {
            "run": ("AppInput", "AppOutput"),
            "contact_sheet": ("ContactSheetInput", "ContactSheetOutput"),
        },
        "AppSetup",
    ),
    EXAMPLES / "streaming-story": (
        {"run": ("StoryInput", "StoryOutput"), "count": ("CountInput", "CountOutput")},
        None,
    ),
    EXAMPLES / "legacy-llm": ({"run": ("AppInput", "AppOutput")}, None),
    FIXTURES / "apps" / "function-metadata": (
        {"run": ("EventInput", "EventOutput"), "create_event": ("EventInput", "EventOutput")},
        None,
    ),
}

ORACLE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import inference
names = json.loads(sys.argv[2])
meta = {
    name: getattr(getattr(inference.App, name), "__inferencesh_function__", None)
    for name in json.loads(sys.argv[3])
}
print(json.dumps({
    "schemas": {n: getattr(inference, n).model_json_schema() for n in names},
    "meta": meta,
}))
"""


@pytest.fixture(scope="module")
def current_sdk_python() -> Path:
    name = f"inferencesh-{CURRENT_SDK}-pydantic-{installed_version('pydantic')}"
    return make_venv(name, [f"inferencesh=={CURRENT_SDK}", *pydantic_pins()])


@pytest.mark.parametrize("app", sorted(APPS), ids=[p.name for p in sorted(APPS)])
def test_schemas_equal_the_installed_packages_own(app: Path, current_sdk_python: Path) -> None:
    functions, setup = APPS[app]
    models = sorted(
        {m for pair in functions.values() for m in pair} | ({setup} if setup else set())
    )
    oracle = subprocess.run(
        [
            str(current_sdk_python),
            "-c",
            ORACLE,
            str(app),
            json.dumps(models),
            json.dumps(sorted(functions)),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(oracle.stdout)
    result = run_cli("extract", str(app), "--sdk", "installed", "--python", str(current_sdk_python))
    assert result.code == 0, result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["app"]["sdk"] == {"source": "installed", "version": CURRENT_SDK}
    assert sorted(manifest["functions"]) == sorted(functions)
    for name, (input_model, output_model) in functions.items():
        entry = manifest["functions"][name]
        assert entry["input_schema"] == expected["schemas"][input_model]
        assert entry["output_schema"] == expected["schemas"][output_model]
        declared = expected["meta"][name] or {}
        assert {k: entry[k] for k in ("credentials", "annotations") if k in entry} == declared
    assert manifest["setup"] == (expected["schemas"][setup] if setup else None)


def test_auto_picks_the_installed_package(current_sdk_python: Path) -> None:
    result = run_cli("extract", str(EXAMPLES / "structure"), "--python", str(current_sdk_python))
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["app"]["sdk"]["source"] == "installed"
