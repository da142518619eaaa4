"""The bundled inferencesh surface beyond its schemas: what apps import and use.

Each check runs in a fresh interpreter with ``schemagen/sdk`` first on
``sys.path``, as in the loader's child: the bundled package is named
``inferencesh`` and must never enter the test process itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import REPO

SDK_DIR = REPO / "schemagen" / "sdk"

# SPEC.md section 4, by the module paths apps import from.
LLM_NAMES = (
    "ContextMessageRole", "Message", "ContextMessage", "ChatInput", "ModelSettings",
    "ModelSettingsCapabilityMixin", "BaseLLMInput", "LLMInput", "ImageCapabilityMixin",
    "FileCapabilityMixin", "ReasoningCapabilityMixin", "ReasoningEffortEnum",
    "ToolsCapabilityMixin", "LLMUsage", "BaseLLMOutput", "LLMUsageMixin", "ReasoningMixin",
    "ToolCallsMixin", "ImagesMixin", "LLMOutput",
)  # fmt: skip
FIELD_MIXINS = tuple(
    f"{need}{kind}FieldMixin"
    for kind in ("Image", "Video", "Audio", "Text", "File")
    for need in ("Optional", "Required")
)
BASE_NAMES = ("BaseApp", "BaseAppInput", "BaseAppOutput", "BaseAppSetup", "File", "Metadata")
META_NAMES = (
    "OutputMeta", "TextMeta", "ImageMeta", "VideoMeta", "AudioMeta", "RawMeta", "MetaItemType",
)  # fmt: skip
SURFACE = BASE_NAMES + LLM_NAMES + META_NAMES + ("VideoResolution",) + FIELD_MIXINS
PROVIDED = {
    "inferencesh": SURFACE,
    "inferencesh.models": SURFACE,
    "inferencesh.models.llm": LLM_NAMES + ("File", "BaseAppInput", "BaseAppOutput"),
    "inferencesh.models.base": BASE_NAMES + FIELD_MIXINS + ("OutputMeta",),
    "inferencesh.models.output_meta": META_NAMES,
}


def run_bundled(code: str) -> str:
    """Run ``code`` with the bundled surface importable; its stdout (fails on an error)."""
    prelude = f"import sys\nsys.path[:0] = [{str(SDK_DIR)!r}, {str(REPO)!r}]\n"
    proc = subprocess.run(
        [sys.executable, "-I", "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_version_is_the_reference_sdk() -> None:
    assert run_bundled("import inferencesh; print(inferencesh.__version__)").strip() == "0.7.15"


@pytest.mark.parametrize("module", sorted(PROVIDED))
def test_surface_names_are_real_attributes(module: str) -> None:
    """Each name is bound in the module itself (not a __getattr__ stub; the LLM models of
    inferencesh and inferencesh.models once asked for) and is one object."""
    run_bundled(
        f"""
        import importlib, inferencesh.models
        from schemagen.loader.child.stubs import stub_path_of
        module = importlib.import_module({module!r})
        lazy = {LLM_NAMES!r} if {module!r} in ("inferencesh", "inferencesh.models") else ()
        for name in {PROVIDED[module]!r}:
            assert (name in vars(module)) is (name not in lazy), name
            value = getattr(module, name)
            assert name in vars(module) and stub_path_of(value) is None, name
            assert value is getattr(inferencesh.models, name), name
        """
    )


def test_the_llm_models_are_created_when_first_asked_for() -> None:
    out = run_bundled(
        """
        import inferencesh
        from pydantic import BaseModel
        before = "inferencesh.models.llm" in sys.modules
        from inferencesh import ChatInput
        from inferencesh.models import llm
        deferred = [
            value for value in vars(llm).values()
            if isinstance(value, type) and issubclass(value, BaseModel)
            and value.__module__ == llm.__name__ and not value.__pydantic_complete__
        ]
        class AppInput(ChatInput):
            extra: int = 0
        print(before, ChatInput is llm.ChatInput, AppInput.__pydantic_complete__, len(deferred))
        """
    )
    # Not imported until asked for; one class; the building of its ~20 models deferred
    # (an app's own subclass is built as usual).
    before, same, built, deferred = out.split()
    assert (before, same, built) == ("False", "True", "True") and int(deferred) >= 15


def test_other_names_are_stubs_of_their_module_path() -> None:
    out = run_bundled(
        """
        from schemagen.loader.child.stubs import stub_path_of
        import inferencesh
        from inferencesh import build_messages, StorageDir, Inference
        from inferencesh.models.llm import build_tools, stream_generate, ResponseTransformer
        from inferencesh.models import APIError
        for value in (build_messages, StorageDir, Inference, build_tools, stream_generate,
                      ResponseTransformer, APIError):
            print(stub_path_of(value))
        assert inferencesh.download is inferencesh.download
        """
    )
    assert out.split() == [
        "inferencesh.build_messages",
        "inferencesh.StorageDir",
        "inferencesh.Inference",
        "inferencesh.models.llm.build_tools",
        "inferencesh.models.llm.stream_generate",
        "inferencesh.models.llm.ResponseTransformer",
        "inferencesh.models.APIError",
    ]


def test_dunder_probes_stay_missing() -> None:
    """The import system and inspect probe dunders; a stub there would mislead them."""
    run_bundled(
        """
        import inferencesh.models.llm as llm
        for name in ("__path__", "__wrapped__", "__loader_state__"):
            assert not hasattr(llm, name), name
        from inferencesh.models.llm import ChatInput  # a plain module, not a package
        """
    )


def test_file_validates_urls_paths_and_dicts_without_downloading(tmp_path: Path) -> None:
    local = tmp_path / "image.png"
    local.write_bytes(b"\x89PNG")
    out = run_bundled(
        f"""
        import json
        from typing import Optional
        from pydantic import ValidationError
        from inferencesh import BaseAppInput, File

        class In(BaseAppInput):
            image: File
            maybe: Optional[File] = None

        url = In(image="https://example.com/a.png").image
        local = In(image={str(local)!r}, maybe="").image
        from_dict = In(image={{"uri": "https://example.com/b.wav", "content_type": "audio/wav"}})
        try:
            In(image=42)
            rejected = False
        except ValidationError:
            rejected = True
        print(json.dumps({{
            "url": [url.uri, url.path],
            "local": [local.path, local.content_type, local.size, local.filename],
            "dict": from_dict.model_dump(mode="json"),
            "empty_is_none": In(image=url, maybe="").maybe is None,
            "rejected": rejected,
        }}))
        """
    )
    assert json.loads(out) == {
        "url": ["https://example.com/a.png", None],
        "local": [str(local), "image/png", 4, "image.png"],
        "dict": {
            "image": {"uri": "https://example.com/b.wav", "content_type": "audio/wav"},
            "maybe": None,
        },
        "empty_is_none": True,
        "rejected": True,
    }


def test_import_is_light() -> None:
    out = run_bundled(
        """
        import inferencesh
        heavy = ("requests", "tqdm", "numpy", "httpx", "aiohttp", "urllib.request")
        print([name for name in heavy if name in sys.modules])
        """
    )
    assert out.strip() == "[]"


def test_schemas_of_the_base_classes_tokenize_nothing(tmp_path: Path) -> None:
    # Field order is read from the parse of the class's file, and no factory is a builtin
    # (pydantic tokenizes a builtin's text signature): tokenize's patterns, ~8 ms to
    # compile, are not needed for an app's schema.
    (tmp_path / "models.py").write_text(
        "from inferencesh import BaseAppInput, BaseAppOutput, File\n"
        "class AppInput(BaseAppInput):\n    b: int\n    a: File\n"
        "class AppOutput(BaseAppOutput):\n    z: str\n    y: int\n"
    )
    out = run_bundled(
        f"""
        import tokenize
        compiled = []
        def compile(expr, real=tokenize._compile):
            compiled.append(expr)
            return real(expr)
        tokenize._compile = compile
        sys.path.insert(0, {str(tmp_path)!r})
        from models import AppInput, AppOutput
        print(
            list(AppInput.model_json_schema()["properties"]),
            list(AppOutput.model_json_schema()["properties"]),
            len(compiled),
        )
        """
    )
    assert out.strip() == "['b', 'a'] ['z', 'y', 'output_meta'] 0"


# Declarations in every accepted form, and malformed ones (compared by exception type).
DECLARATIONS = [
    {},
    {"credentials": {"slack": {"capabilities": ["slack.channels.write"]}}},
    {"credentials": {"google": None, "github": {"description": "repos", "optional": True}}},
    {"credentials": ["aikido-mcp", "slack.chat.write"]},
    {"credentials": [{"slug": "x", "secrets": ["X_TOKEN"], "scopes": [], "auth": {"a": 1}}]},
    {"credentials": [{"provider": "stripe", "key": "stripe.charges", "name": "Stripe"}]},
    {"credentials": [{"slug": "s", "provider": {"name": "S Inc", "website": "https://s.io"}}]},
    {"annotations": {"title": "Create", "readOnlyHint": False, "destructiveHint": None}},
    {"annotations": {"openWorldHint": None}},
    {
        "credentials": {"google": {"capabilities": ["google.calendar.events"]}},
        "annotations": {"readOnlyHint": True, "idempotentHint": True},
    },
    {"credentials": {}},
    {"credentials": []},
    {"credentials": "slack"},
    {"credentials": [{"slug": "a", "bogus": 1}]},
    {"credentials": {"slack": {"slug": "other"}}},
    {"credentials": [{"capabilities": ["nodot"]}]},
    {"credentials": [{"slug": "a", "optional": "yes"}]},
    {"annotations": {"readOnlyHint": "no"}},
    {"annotations": {"color": "red"}},
    {"annotations": ["readOnlyHint"]},
]


def _apply_function_decorator(python: Path | str, sys_path: list[str]) -> list[object]:
    proc = subprocess.run(
        [str(python), "-I", str(Path(__file__).with_name("apply_function_decorator.py"))],
        input=json.dumps({"sys_path": sys_path, "declarations": DECLARATIONS}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    results: list[object] = json.loads(proc.stdout)
    return results


def test_function_decorator_records_what_the_sdk_records(sdk_with_function_python: Path) -> None:
    """``inferencesh.function`` is an extension of 0.7.15: it follows inferencesh 0.36.0."""
    expected = _apply_function_decorator(sdk_with_function_python, [])
    actual = _apply_function_decorator(sys.executable, [str(SDK_DIR)])
    for declaration, want, got in zip(DECLARATIONS, expected, actual, strict=True):
        assert got == want, declaration
