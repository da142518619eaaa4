import torch
from diffusers import FluxPipeline

DEFAULT_STEPS = 28
DTYPE = torch.bfloat16


class QuietFluxPipeline(FluxPipeline):
    """Subclasses a class of an uninstalled library: the stub carries it."""

    def __call__(self, *args, **kwargs):
        with torch.inference_mode():
            return super().__call__(*args, **kwargs)


def pick_device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"
