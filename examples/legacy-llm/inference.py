"""A legacy LLM app: flat temperature/top_p/max_tokens on LLMInput."""

from inferencesh import BaseApp, LLMInput, LLMOutput
from inferencesh.models.llm import ToolCallsMixin, ToolsCapabilityMixin


class AppInput(LLMInput, ToolsCapabilityMixin):
    pass


class AppOutput(ToolCallsMixin, LLMOutput):
    pass


class App(BaseApp):
    async def run(self, input_data: AppInput) -> AppOutput:
        return AppOutput(response=input_data.text.upper())
