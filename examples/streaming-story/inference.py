from __future__ import annotations

from collections.abc import AsyncGenerator, Iterator
from enum import Enum

from pydantic import BaseModel, Field

from inferencesh import BaseApp, BaseAppInput, BaseAppOutput


class Genre(str, Enum):
    FANTASY = "fantasy"
    MYSTERY = "mystery"
    SCIFI = "sci-fi"


class StoryInput(BaseAppInput):
    topic: str = Field(description="What the story is about")
    genre: Genre = Field(default=Genre.FANTASY, description="Story genre")
    paragraphs: int = Field(default=3, ge=1, le=20)


class Chunk(BaseModel):
    index: int
    text: str


class StoryOutput(BaseAppOutput):
    chunk: Chunk = Field(description="The next piece of the story")
    done: bool = False


class CountInput(BaseAppInput):
    up_to: int = Field(ge=1, le=1000)


class CountOutput(BaseAppOutput):
    value: int


class App(BaseApp):
    async def run(self, input_data: StoryInput) -> AsyncGenerator[StoryOutput, None]:
        """Tell a story, one paragraph at a time."""
        for i in range(input_data.paragraphs):
            yield StoryOutput(chunk=Chunk(index=i, text=f"{input_data.topic} #{i}"))
        yield StoryOutput(chunk=Chunk(index=input_data.paragraphs, text=""), done=True)

    def count(self, input_data: CountInput) -> Iterator[CountOutput]:
        """Count from 1, synchronously streamed."""
        for value in range(1, input_data.up_to + 1):
            yield CountOutput(value=value)
