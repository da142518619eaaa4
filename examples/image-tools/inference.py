"""File inputs and outputs, a setup config, and two functions."""

from typing import List, Literal, Optional

from pydantic import Field

from inferencesh import BaseApp, BaseAppInput, BaseAppOutput, BaseAppSetup, File


class AppSetup(BaseAppSetup):
    backend: Literal["pillow", "opencv"] = Field(default="pillow", description="Image library")
    max_side: int = Field(default=4096, ge=64, le=16384, description="Largest side accepted")


class AppInput(BaseAppInput):
    image: File = Field(
        description="Image to resize", json_schema_extra={"contentMediaType": "image/*"}
    )
    width: int = Field(ge=1, le=8192, description="Target width in pixels")
    height: Optional[int] = Field(default=None, ge=1, description="Target height; keeps aspect if unset")
    format: Literal["png", "jpeg", "webp"] = Field(default="png", description="Output format")


class AppOutput(BaseAppOutput):
    image: File = Field(description="Resized image", json_schema_extra={"contentMediaType": "image/*"})
    width: int
    height: int


class ContactSheetInput(BaseAppInput):
    images: List[File] = Field(min_length=1, max_length=64, description="Images to tile")
    columns: int = Field(default=4, ge=1, le=16)


class ContactSheetOutput(BaseAppOutput):
    sheet: File = Field(description="The tiled contact sheet")


class App(BaseApp):
    async def setup(self, config: AppSetup):
        self.config = config

    async def run(self, input_data: AppInput, metadata) -> AppOutput:
        """Resize one image."""
        return AppOutput(image=input_data.image, width=input_data.width, height=input_data.height or 0)

    async def contact_sheet(self, input_data: ContactSheetInput) -> ContactSheetOutput:
        """Tile several images into one contact sheet.

        Images are placed left to right, top to bottom.
        """
        return ContactSheetOutput(sheet=input_data.images[0])
