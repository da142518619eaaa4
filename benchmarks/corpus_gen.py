"""Write a synthetic app repository laid out like a real public one.

Like ``inference-sh/grid``: provider folders under ``api/`` whose apps link a
shared provider helper (``fal_helper.py -> ../fal_helper.py``) and shared
packages and models from ``shared/``; connectors with named functions only
(the SDK's ``run`` is inherited); native apps that vendor upstream code
(``sys.path`` edits, star imports of heavy libraries, generated modules that
are not in the repository); folders with an ``inference.py`` that is no app;
and a few broken apps of each kind a real repository has (a dangling link, a
syntax error, a stub reaching a schema, an app without functions). None of
the heavy libraries is installed. Deterministic for a given seed.

    python benchmarks/corpus_gen.py OUT_DIR [--apps 500] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
from pathlib import Path

PROVIDERS = ["falai", "google", "bria", "alibaba", "elevenlabs", "bytedance", "runway", "luma"]
HEAVY_SDKS = ["fal_client", "google.genai", "httpx_sdk", "boto3_sdk", "elevenlabs_sdk"]
# Of every 100 apps: (kind, how many); the broken kinds are what a repository
# carries at any time (one each per hundred apps).
MIX = [("api", 62), ("connector", 12), ("native", 18), ("chat", 4)] + [
    ("broken-link", 1),
    ("syntax-error", 1),
    ("contaminated", 1),
    ("no-functions", 1),
]

SHARED_MODELS = '''"""Models shared by many apps (linked into each app folder)."""

from typing import Literal

from pydantic import BaseModel, Field


class ImageSize(BaseModel):
    width: int = Field(default=1024, ge=256, le=4096)
    height: int = Field(default=1024, ge=256, le=4096)


Quality = Literal["draft", "standard", "high"]
'''

SHARED_PACKAGE = {
    "__init__.py": "from .client import make_client\nfrom .retry import with_retries\n",
    "client.py": (
        "import os\n\nimport httpx_sdk\nfrom google.genai import types as genai_types\n\n"
        "SAFETY = genai_types.SafetySetting(category='ANY', threshold='OFF')\n\n\n"
        "def make_client():\n"
        "    return httpx_sdk.AsyncClient(headers={'k': os.environ.get('K', '')})\n"
    ),
    "retry.py": (
        "import functools\n\nimport tenacity_sdk\n\n\n"
        "def with_retries(fn):\n    return functools.wraps(fn)(tenacity_sdk.retry(fn))\n"
    ),
}


def provider_helper(provider: str, rng: random.Random) -> str:
    sdk = rng.choice(HEAVY_SDKS)
    return f'''"""{provider} helper, linked into each of its apps."""

import asyncio
import logging

import {sdk}
from {sdk.partition(".")[0]} import errors as sdk_errors

logger = logging.getLogger(__name__)
TIMEOUT = {rng.randint(60, 900)}


async def submit(model: str, arguments: dict) -> dict:
    try:
        handle = await {sdk}.submit_async(model, arguments=arguments)
        return await asyncio.wait_for(handle.get(), TIMEOUT)
    except sdk_errors.ApiError:
        logger.exception("request failed")
        raise
'''


def api_app(index: int, provider: str, rng: random.Random) -> str:
    fields = []
    for f in range(rng.randint(2, 7)):
        fields.append(
            rng.choice(
                [
                    f'    prompt_{f}: str = Field(description="Prompt {f}")',
                    f"    steps_{f}: int = Field(default={rng.randint(1, 50)}, ge=1, le=100)",
                    f"    guidance_{f}: Optional[float] = Field(default=None, ge=0.0, le=20.0)",
                    f'    quality_{f}: Quality = Field(default="standard")',
                    f"    images_{f}: List[File] = Field(default_factory=list, max_length=4)",
                ]
            )
        )
    body = "\n".join(fields)
    return f'''from typing import List, Optional

from inferencesh import BaseApp, BaseAppInput, BaseAppOutput, File, ImageMeta, OutputMeta
from pydantic import Field

from .{provider}_helper import submit
from .shared_models import ImageSize, Quality
from .sharedkit import make_client, with_retries


class AppInput(BaseAppInput):
{body}
    size: ImageSize = Field(default_factory=ImageSize)


class AppOutput(BaseAppOutput):
    image: File = Field(description="Result")


class App(BaseApp):
    async def setup(self, metadata):
        self.client = make_client()

    @with_retries
    async def run(self, input_data: AppInput, metadata) -> AppOutput:
        """{provider} model {index}."""
        result = await submit("{provider}/model-{index}", input_data.model_dump())
        meta = OutputMeta(outputs=[ImageMeta(width=1, height=1)])
        return AppOutput(image=File(path=result["url"]), output_meta=meta)
'''


def connector_app(index: int) -> str:
    return f'''from typing import List

from inferencesh import BaseApp, BaseAppInput, BaseAppOutput, BaseAppSetup
from pydantic import Field
from googleapiclient_sdk.discovery import build


class Setup(BaseAppSetup):
    account: str = Field(description="Account {index}")


class ListInput(BaseAppInput):
    query: str = ""
    limit: int = Field(default=25, ge=1, le=500)


class ListOutput(BaseAppOutput):
    items: List[str] = Field(default_factory=list)


class CreateInput(BaseAppInput):
    title: str


class CreateOutput(BaseAppOutput):
    id: str


class App(BaseApp):
    async def setup(self, config: Setup):
        self.service = build("calendar", "v3")

    async def list_items(self, input_data: ListInput) -> ListOutput:
        """List items."""
        return ListOutput()

    async def create_item(self, input_data: CreateInput) -> CreateOutput:
        """Create an item."""
        return CreateOutput(id="x")
'''


VENDORED = {
    "__init__.py": (
        "from .version import __version__\nfrom . import _C\nfrom .pipeline import *\n"
        "from .pipeline import SIZE_CONFIGS, Pipeline\n"
    ),
    "pipeline.py": (
        "import os\nfrom dataclasses import dataclass\nfrom importlib.metadata import version\n\n"
        "import torch\nfrom diffusers.pipelines import *\n"
        "from transformers import __version__ as tv\n\n"
        "CONFIGS = os.path.join(os.path.dirname(torch.__file__), 'configs')\n"
        "NEW = version('diffusers') >= '0.30'\n"
        "DEVICE = 'cuda' if torch.cuda.is_available() else 'cpu'\n"
        "SIZE_CONFIGS = {'480p': (832, 480), '720p': (1280, 720)}\n\n\n"
        "class Pipeline(DiffusionPipeline):\n"
        "    scheduler_cls = FlowMatchEulerDiscreteScheduler\n\n\n"
        "def unwrap(m):\n    return unwrap(m.module) if hasattr(m, 'module') else m\n\n\n"
        "BASE = unwrap(torch.nn.parallel.DistributedDataParallel(Pipeline))\n\n\n"
        "@dataclass\nclass Config:\n    steps: int = 30\n    dtype: torch.dtype = torch.bfloat16\n"
    ),
    "models/__init__.py": "from .attention import *\n",
    "models/attention.py": (
        "import torch.nn as nn\nfrom flash_attn import *\n\ntry:\n    import xformers.ops as xops\n"
        "except ImportError:\n    xops = None\n\n\nclass Attention(nn.Module):\n"
        "    def forward(self, q, k, v):\n        return flash_attn_func(q, k, v)\n"
    ),
}


def native_app(index: int, rng: random.Random) -> str:
    return f'''import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "upstream"))

import numpy as np
import torch
from huggingface_hub import snapshot_download
from inferencesh import BaseApp, BaseAppInput, BaseAppOutput, File
from pydantic import Field

from upstream_model import SIZE_CONFIGS, Config, Pipeline
from .upstream.upstream_model.models import Attention


class AppInput(BaseAppInput):
    image: File = Field(description="Input image")
    resolution: str = Field(default="480p", enum=list(SIZE_CONFIGS))
    steps: int = Field(default=Config.steps, ge=1, le={rng.randint(50, 150)})
    seed: int = Field(default={index}, description="Seed")


class AppOutput(BaseAppOutput):
    video: File


class App(BaseApp):
    async def setup(self, metadata):
        self.pipe = Pipeline.from_pretrained(snapshot_download("org/m{index}")).to("cuda")

    @torch.inference_mode()
    async def run(self, input_data: AppInput) -> AppOutput:
        """Native model {index}."""
        return AppOutput(video=File(path=self.pipe(np.zeros(1)).save()))
'''


CHAT_APP = '''from typing import AsyncGenerator

from inferencesh import BaseApp, ChatInput, LLMOutput
from inferencesh.models.llm import ImageCapabilityMixin, ToolsCapabilityMixin
from pydantic import Field

import anthropic


class AppInput(ChatInput, ImageCapabilityMixin, ToolsCapabilityMixin):
    max_tokens: int = Field(default=4096, ge=1, le=64000)


class AppOutput(LLMOutput):
    pass


class App(BaseApp):
    async def setup(self, metadata):
        self.client = anthropic.AsyncAnthropic()

    async def run(self, input_data: AppInput) -> AsyncGenerator[AppOutput, None]:
        """Chat."""
        yield AppOutput(response="")
'''

BROKEN = {
    "syntax-error": "from inferencesh import BaseApp\n\nclass App(BaseApp)\n    pass\n",
    "contaminated": (
        "import torch\nfrom inferencesh import BaseApp, BaseAppInput, BaseAppOutput\n\n\n"
        "class AppInput(BaseAppInput):\n    dtype: str = torch.float16\n\n\n"
        "class App(BaseApp):\n    async def run(self, input_data: AppInput) -> BaseAppOutput:\n"
        "        return BaseAppOutput()\n"
    ),
    "no-functions": "class App:\n    async def run(self, input_data):\n        return None\n",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _link(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(target, link.parent), link)


def write_corpus(out: Path, apps: int, seed: int) -> dict[str, list[Path]]:
    """Write the repository; the app folders by kind."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    shared = out / "shared"
    _write(shared / "shared_models.py", SHARED_MODELS)
    for name, text in SHARED_PACKAGE.items():
        _write(shared / "sharedkit" / name, text)
    for provider in PROVIDERS:
        _write(out / "api" / provider / f"{provider}_helper.py", provider_helper(provider, rng))
    kinds = [kind for kind, count in MIX for _ in range(count)]
    by_kind: dict[str, list[Path]] = {}
    for index in range(apps):
        kind = kinds[index % len(kinds)]
        provider = PROVIDERS[index % len(PROVIDERS)]
        if kind in ("api", "broken-link"):
            folder = out / "api" / provider / f"model-{index:03d}"
            _write(folder / "inference.py", api_app(index, provider, rng))
            helper = out / "api" / provider / f"{provider}_helper.py"
            _link(folder / f"{provider}_helper.py", helper)
            _link(folder / "shared_models.py", shared / "shared_models.py")
            _link(folder / "sharedkit", shared / "sharedkit")
            if kind == "broken-link":
                (folder / "shared_models.py").unlink()
                _link(folder / "shared_models.py", shared / "removed_models.py")
        elif kind == "connector":
            folder = out / "api" / "connectors" / f"service-{index:03d}"
            _write(folder / "inference.py", connector_app(index))
        elif kind == "native":
            folder = out / "native" / f"model-{index:03d}"
            _write(folder / "inference.py", native_app(index, rng))
            for name, text in VENDORED.items():
                _write(folder / "upstream" / "upstream_model" / name, text)
            # Upstream's own scripts: an inference.py that is no app.
            _write(
                folder / "upstream" / "inference.py", "import torch\n\n\ndef main():\n    pass\n"
            )
        elif kind == "chat":
            folder = out / "llm" / f"chat-{index:03d}"
            _write(folder / "inference.py", CHAT_APP)
        else:
            folder = out / "broken" / f"{kind}-{index:03d}"
            _write(folder / "inference.py", BROKEN[kind])
        _write(folder / "inf.yml", f"namespace: corpus\nname: {folder.name}\n")
        (folder / "__init__.py").touch()
        by_kind.setdefault(kind, []).append(folder)
    _write(out / "tools" / "common" / "inference.py", "from inferencesh import BaseApp\n")
    return by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--apps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    by_kind = write_corpus(args.out, args.apps, args.seed)
    total = sum(len(folders) for folders in by_kind.values())
    print(f"wrote {total} apps under {args.out}")


if __name__ == "__main__":
    main()
