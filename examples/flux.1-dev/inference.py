"""Text-to-image with diffusers: torch and diffusers are imported at top level.

Neither needs to be installed for schemagen: they are stubbed.
"""

import os
from typing import Optional

import numpy as np
import torch
import torch.nn as nn
from diffusers import AutoencoderKL
from diffusers.utils import logging as diffusers_logging
from pydantic import Field

from inferencesh import BaseApp, BaseAppInput, BaseAppOutput, BaseAppSetup, File

from .helpers import DEFAULT_STEPS, QuietFluxPipeline, pick_device

diffusers_logging.set_verbosity_error()
torch.backends.cuda.matmul.allow_tf32 = True
os.environ.setdefault("HF_HUB_ENABLE_HF_TRANSFER", "1")


class LoraAdapter(nn.Module):
    def __init__(self, rank: int = 4):
        super().__init__()
        self.rank = rank


class AppSetup(BaseAppSetup):
    model_id: str = Field(default="black-forest-labs/FLUX.1-dev", description="Hugging Face model id")
    enable_cpu_offload: bool = Field(default=False, description="Offload weights to the CPU")


class AppInput(BaseAppInput):
    prompt: str = Field(description="What to draw")
    width: int = Field(default=1024, ge=256, le=2048, multiple_of=16)
    height: int = Field(default=1024, ge=256, le=2048, multiple_of=16)
    num_inference_steps: int = Field(default=DEFAULT_STEPS, ge=1, le=100)
    guidance_scale: float = Field(default=3.5, ge=0.0, le=20.0)
    seed: Optional[int] = Field(default=None, description="Random seed; random when unset")


class AppOutput(BaseAppOutput):
    image: File = Field(description="The generated image", json_schema_extra={"contentMediaType": "image/png"})
    seed: int = Field(description="The seed that was used")


class App(BaseApp):
    async def setup(self, config: AppSetup):
        self.device = pick_device()
        self.pipe = QuietFluxPipeline.from_pretrained(config.model_id, torch_dtype=torch.bfloat16)
        self.vae = AutoencoderKL.from_pretrained(config.model_id, subfolder="vae")

    @torch.inference_mode()
    async def run(self, input_data: AppInput, metadata) -> AppOutput:
        """Generate one image from a prompt."""
        seed = input_data.seed if input_data.seed is not None else int(np.random.randint(0, 2**31))
        generator = torch.Generator(self.device).manual_seed(seed)
        image = self.pipe(input_data.prompt, generator=generator).images[0]
        image.save("/tmp/out.png")
        return AppOutput(image=File(path="/tmp/out.png"), seed=seed)

    async def unload(self):
        del self.pipe
        torch.cuda.empty_cache()
