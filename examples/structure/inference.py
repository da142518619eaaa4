"""The platform's "App Code" structure example, with a setup config and inputs."""

from pydantic import Field

from inferencesh import BaseApp, BaseAppInput, BaseAppOutput


class AppSetup(BaseAppInput):
    model_id: str = Field(default="gpt2", description="Model to load")
    precision: str = Field(default="fp16", description="Model precision")


class AppInput(BaseAppInput):
    prompt: str = Field(description="What to generate")
    style: str = Field(default="modern", description="Style to use")
    count: int = Field(default=1, description="How many to generate")


class AppOutput(BaseAppOutput):
    result: str = Field(description="Generated text")


class App(BaseApp):
    async def setup(self, config: AppSetup):
        self.model_id = config.model_id

    async def run(self, input_data: AppInput, metadata) -> AppOutput:
        """Generate text in the requested style."""
        metadata.log("Processing...")
        return AppOutput(result=f"{input_data.style}: {input_data.prompt}" * input_data.count)

    async def unload(self):
        pass
