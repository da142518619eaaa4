"""The ``llm-tools`` target: one tool definition per function, in the function-calling
formats agents use: OpenAI's ``tools[]`` (``openai_tools.json``) and Anthropic's
(``anthropic_tools.json``)."""

from __future__ import annotations

from schemagen.emit.core.target import Target

TARGET = Target(
    name="llm-tools",
    help="openai_tools.json, anthropic_tools.json: a tool definition per function",
    emitter="schemagen.emit.llm_tools.tools:emit",
    files=("openai_tools.json", "anthropic_tools.json"),
)
