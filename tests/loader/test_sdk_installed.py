"""SDK modes checked against the real inferencesh packages.

The oracle is the real package itself: a plain script in a venv holding
inferencesh imports each app and prints ``Model.model_json_schema()``.

- 0.7.15 (the bundled surface's reference): the committed goldens, which
  schemagen wrote with ``--sdk bundled``, must equal the oracle byte for byte,
  and so must ``--sdk installed`` run in that venv.
- 0.36.0 (the current release): ``--sdk installed`` in that venv must equal
  the oracle, and copy the ``@function`` metadata the real decorator set.

Pydantic is pinned to the version under test (see tests/venvs.py).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, FIXTURES, GOLDEN, run_cli
from tests.venvs import installed_version, make_venv, pydantic_pins

REFERENCE_SDK, CURRENT_SDK = "0.7.15", "0.36.0"

# app -> ({function: (input model, output model)}, setup model or None)
AppModels = tuple[dict[str, tuple[str, str]], str | None]
APPS: dict[Path, AppModels] = {
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
    EXAMPLES / "chat-llm": ({"run": ("AppInput", "AppOutput")}, None),
    EXAMPLES / "multi-function": (
        {"run": ("GreetInput", "GreetOutput"), "reverse": ("ReverseInput", "ReverseOutput")},
        None,
    ),
    FIXTURES / "apps" / "function-metadata": (
        {"run": ("EventInput", "EventOutput"), "create_event": ("EventInput", "EventOutput")},
        None,
    ),
    # A generator of Union[LLMDelta, AppOutput]: the output model is the non-delta member.
    FIXTURES / "apps" / "streaming-deltas": ({"run": ("AppInput", "AppOutput")}, None),
}
# 0.7.15 has no @function decorator and no LLMDelta; 0.36.0 no longer has ChatInput's
# nested settings.
SKIP = {
    REFERENCE_SDK: {
        FIXTURES / "apps" / "function-metadata",
        FIXTURES / "apps" / "streaming-deltas",
    },
    CURRENT_SDK: {EXAMPLES / "chat-llm"},
}

ORACLE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import inference
print(json.dumps({
    "schemas": {n: getattr(inference, n).model_json_schema() for n in json.loads(sys.argv[2])},
    "meta": {
        n: getattr(getattr(inference.App, n), "__inferencesh_function__", None)
        for n in json.loads(sys.argv[3])
    },
}))
"""

CASES = [
    (version, app)
    for version in (REFERENCE_SDK, CURRENT_SDK)
    for app in sorted(APPS)
    if app not in SKIP[version]
]


@pytest.fixture(scope="module")
def sdk_python() -> dict[str, Path]:
    pydantic = installed_version("pydantic")
    return {
        version: make_venv(
            f"inferencesh-{version}-pydantic-{pydantic}",
            [f"inferencesh=={version}", *pydantic_pins()],
        )
        for version in (REFERENCE_SDK, CURRENT_SDK)
    }


def oracle(python: Path, app: Path) -> dict:  # type: ignore[type-arg]
    functions, setup = APPS[app]
    models = {m for pair in functions.values() for m in pair} | ({setup} if setup else set())
    proc = subprocess.run(
        [
            str(python),
            "-c",
            ORACLE,
            str(app),
            json.dumps(sorted(models)),
            json.dumps(sorted(functions)),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def expected_files(app: Path, result: dict) -> dict[str, str]:  # type: ignore[type-arg]
    """The platform files the oracle's schemas make (json.dumps(indent=2))."""
    functions, setup = APPS[app]
    schemas = result["schemas"]
    files = {}
    for name, (input_model, output_model) in functions.items():
        if name == "run":
            files["input_schema.json"] = json.dumps(schemas[input_model], indent=2)
            files["output_schema.json"] = json.dumps(schemas[output_model], indent=2)
    if setup:
        files["setup_schema.json"] = json.dumps(schemas[setup], indent=2)
    return files


@pytest.mark.parametrize(("version", "app"), CASES, ids=[f"{v}-{a.name}" for v, a in CASES])
def test_installed_sdk_schemas_equal_the_packages_own(
    version: str, app: Path, sdk_python: dict[str, Path]
) -> None:
    functions, setup = APPS[app]
    expected = oracle(sdk_python[version], app)
    result = run_cli(
        "extract", str(app), "--sdk", "installed", "--python", str(sdk_python[version])
    )
    assert result.code == 0, result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["app"]["sdk"]["source"] in ("installed", "none")
    assert sorted(manifest["functions"]) == sorted(functions)
    for name, (input_model, output_model) in functions.items():
        entry = manifest["functions"][name]
        assert entry["input_schema"] == expected["schemas"][input_model]
        assert entry["output_schema"] == expected["schemas"][output_model]
        declared = expected["meta"][name] or {}
        assert {k: entry[k] for k in ("credentials", "annotations") if k in entry} == declared
    assert manifest["setup"] == (expected["schemas"][setup] if setup else None)


@pytest.mark.parametrize(
    "app",
    sorted(a for a in APPS if a not in SKIP[REFERENCE_SDK]),
    ids=lambda a: a.name,
)
def test_bundled_goldens_equal_real_0715_byte_for_byte(
    app: Path, sdk_python: dict[str, Path]
) -> None:
    expected = expected_files(app, oracle(sdk_python[REFERENCE_SDK], app))
    golden = GOLDEN / ("examples" if app.parent == EXAMPLES else "fixtures") / app.name
    for name, text in expected.items():
        assert (golden / name).read_text() == text, name


def test_auto_picks_the_installed_package(sdk_python: dict[str, Path]) -> None:
    result = run_cli(
        "extract", str(EXAMPLES / "structure"), "--python", str(sdk_python[CURRENT_SDK])
    )
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["app"]["sdk"] == {
        "source": "installed",
        "version": CURRENT_SDK,
    }
