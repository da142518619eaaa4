"""Write a synthetic monorepo of varied, realistic inference.sh apps.

Each app mixes what real apps do: heavy top-level imports (none installed: the
loader stubs them), helper modules imported both ways, SDK mixins and LLM
inputs, several functions, streaming, setup configs, File fields, enums,
nested models. Deterministic for a given seed.

    python benchmarks/monorepo_gen.py OUT_DIR [--apps 300] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

HEAVY = [
    "import torch\nimport torch.nn as nn\n",
    "from diffusers import DiffusionPipeline, AutoencoderKL\n",
    "from transformers import AutoModelForCausalLM, AutoTokenizer\n",
    "import numpy as np\nfrom PIL import Image\n",
    "import anthropic\nfrom google import genai\n",
    "import cv2\nimport librosa\n",
]
# The top-level modules of HEAVY: never installed where schemagen runs, in the apps' story.
HEAVY_MODULES = (
    "torch",
    "diffusers",
    "transformers",
    "numpy",
    "PIL",
    "anthropic",
    "google",
    "cv2",
    "librosa",
)
PRESET_NAMES = ["fast", "balanced", "quality", "draft", "max"]
KINDS = ["text", "image", "chat", "legacy-llm", "audio", "multi"]


def helper_module(rng: random.Random, index: int) -> str:
    steps = rng.randint(4, 60)
    return (
        "import torch\n\n"
        f"DEFAULT_STEPS = {steps}\n"
        f"PRESETS = {sorted(rng.sample(PRESET_NAMES, 3))!r}\n\n\n"
        "class Wrapper(torch.nn.Module):\n"
        "    def forward(self, x):\n"
        "        return x\n\n\n"
        "def device() -> str:\n"
        "    return 'cuda' if torch.cuda.is_available() else 'cpu'\n"
    )


def app_source(rng: random.Random, index: int) -> str:
    kind = KINDS[index % len(KINDS)]
    imports = "".join(rng.sample(HEAVY, rng.randint(1, 3)))
    fields = []
    for f in range(rng.randint(2, 8)):
        fields.append(
            rng.choice(
                [
                    f"    option_{f}: int = Field(default={rng.randint(0, 9)}, ge=0, le=100, "
                    f'description="Option {f}")',
                    f'    label_{f}: str = Field(default="l{f}", description="Label {f}")',
                    f"    ratio_{f}: Optional[float] = Field(default=None, ge=0.0, le=1.0)",
                    f'    mode_{f}: Literal["a", "b", "c"] = "a"',
                    f"    tags_{f}: List[str] = Field(default_factory=list, max_length=16)",
                    f"    preset_{f}: Preset = Preset.FAST",
                ]
            )
        )
    body = "\n".join(fields)
    base = {
        "text": "BaseAppInput",
        "image": "BaseAppInput, OptionalImageFieldMixin",
        "chat": "ChatInput, ImageCapabilityMixin",
        "legacy-llm": "LLMInput, ToolsCapabilityMixin",
        "audio": "BaseAppInput, RequiredAudioFieldMixin",
        "multi": "BaseAppInput",
    }[kind]
    out_base = "LLMOutput" if kind in ("chat", "legacy-llm") else "BaseAppOutput"
    streaming = kind == "chat"
    ret = "AsyncGenerator[AppOutput, None]" if streaming else "AppOutput"
    extra_fn = ""
    if kind == "multi" or rng.random() < 0.3:
        extra_fn = (
            "\n    async def describe(self, input_data: DescribeInput) -> DescribeOutput:\n"
            '        """Describe the loaded model."""\n'
            "        return DescribeOutput(summary=str(input_data.detail))\n"
        )
    run_body = (
        "        yield AppOutput(response='')\n" if streaming else "        return AppOutput()\n"
    )
    return f'''"""Synthetic app {index} ({kind})."""

from enum import Enum
from typing import AsyncGenerator, List, Literal, Optional

{imports}from pydantic import BaseModel, Field

from inferencesh import BaseApp, BaseAppInput, BaseAppOutput, BaseAppSetup, File
from inferencesh.models import ChatInput, LLMInput, LLMOutput, ModelSettings
from inferencesh.models.base import OptionalImageFieldMixin, RequiredAudioFieldMixin
from inferencesh.models.llm import ImageCapabilityMixin, ToolsCapabilityMixin

from .helpers import DEFAULT_STEPS, PRESETS, Wrapper, device


class Preset(str, Enum):
    FAST = "fast"
    QUALITY = "quality"


class Region(BaseModel):
    x: int = Field(ge=0)
    y: int = Field(ge=0)
    children: List["Region"] = Field(default_factory=list)


class AppSetup(BaseAppSetup):
    model_id: str = Field(default="org/model-{index}", description="Model to load")
    steps: int = Field(default=DEFAULT_STEPS, ge=1)


class AppInput({base}):
{body}
    region: Optional[Region] = None


class AppOutput({out_base}):
    {"" if out_base == "LLMOutput" else "result: Optional[File] = None"}
    elapsed: float = 0.0


class DescribeInput(BaseAppInput):
    detail: Literal["short", "long"] = "short"


class DescribeOutput(BaseAppOutput):
    summary: str


class App(BaseApp):
    async def setup(self, config: AppSetup):
        self.device = device()
        self.model = Wrapper()

    async def run(self, input_data: AppInput, metadata) -> {ret}:
        """Run app {index}."""
{run_body}{extra_fn}
    async def unload(self):
        del self.model
'''


def write_monorepo(out: Path, apps: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    folders = []
    for index in range(apps):
        folder = out / f"team-{index % 7}" / f"app-{index:03d}"
        folder.mkdir(parents=True)
        (folder / "inference.py").write_text(app_source(rng, index))
        (folder / "helpers.py").write_text(helper_module(rng, index))
        (folder / "requirements.txt").write_text("torch\ndiffusers\ntransformers\n")
        (folder / "inf.yml").write_text(f"namespace: bench\nname: app-{index:03d}\n")
        folders.append(folder)
    vendored = out / "team-0" / "vendor" / "lib"
    vendored.mkdir(parents=True)
    (vendored / "inference.py").write_text("def helper():\n    return 1\n")
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--apps", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folders = write_monorepo(args.out, args.apps, args.seed)
    print(f"wrote {len(folders)} apps under {args.out}")


if __name__ == "__main__":
    main()
