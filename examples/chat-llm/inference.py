"""A chat app on the SDK's ChatInput: sampling settings nest under model_settings."""

from typing import AsyncGenerator

from pydantic import Field

from inferencesh import BaseApp
from inferencesh.models import ChatInput, LLMOutput, ModelSettings  # noqa: F401 (resolves ChatInput.model_settings)
from inferencesh.models.llm import ImageCapabilityMixin, ReasoningCapabilityMixin


class AppInput(ChatInput, ImageCapabilityMixin, ReasoningCapabilityMixin):
    stream: bool = Field(default=True, description="stream partial responses")


class AppOutput(LLMOutput):
    pass


class App(BaseApp):
    async def setup(self):
        self.default_temperature = 0.7

    async def run(self, input_data: AppInput) -> AsyncGenerator[AppOutput, None]:
        """Answer the conversation, streaming partial responses."""
        settings = input_data.model_settings
        temperature = settings.temperature if settings and settings.temperature is not None else 0.7
        yield AppOutput(response=f"(t={temperature}) {input_data.text}")
