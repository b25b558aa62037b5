"""The submit request body, exactly as the API takes it (contract section 2).

``VideoRequest.body()`` gives the JSON object to POST to ``/v1/videos/generations``: fields left
at ``None`` are omitted, ``metadata`` only appears when it has something in it. The model checks
the rules of section 3 that need no files: durations, resolutions per mode, the prompt's length.
Image checks (format, size, aspect) belong to the compiler, which reads the files.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hailuo_dsl.prompt.directives import MAX_PROMPT_CHARS

MODEL_NAME = "MiniMax-Hailuo-02"


class Mode(str, enum.Enum):
    """The generation mode, which follows the images given."""

    TEXT = "text-to-video"
    IMAGE = "image-to-video"
    FIRST_LAST = "first-last-frame"


Resolution = Literal["512P", "768P", "1080P"]
Duration = Literal[6, 10]


class RequestMetadata(BaseModel):
    """``metadata``: the last frame and the extended switches."""

    model_config = ConfigDict(extra="forbid")

    last_frame_image: str | None = None
    prompt_optimizer: bool | None = None
    fast_pretreatment: bool | None = None
    watermark: bool | None = None


class VideoRequest(BaseModel):
    """One generation task as the API takes it."""

    model_config = ConfigDict(extra="forbid")

    model: Literal["MiniMax-Hailuo-02"] = "MiniMax-Hailuo-02"
    prompt: str | None = None
    duration: Duration = 6
    resolution: Resolution = "768P"
    image_urls: list[str] | None = Field(default=None, min_length=1, max_length=1)
    metadata: RequestMetadata | None = None

    @field_validator("resolution", mode="before")
    @classmethod
    def _upper_p(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @property
    def mode(self) -> Mode:
        if not self.image_urls:
            return Mode.TEXT
        if self.metadata is not None and self.metadata.last_frame_image:
            return Mode.FIRST_LAST
        return Mode.IMAGE

    @model_validator(mode="after")
    def _valid_combination(self) -> VideoRequest:
        last = self.metadata.last_frame_image if self.metadata is not None else None
        if last and not self.image_urls:
            raise ValueError("a last frame needs a first frame")
        if self.resolution == "1080P" and self.duration != 6:
            raise ValueError("1080P takes only 6-second clips")
        if self.resolution == "512P" and self.mode is Mode.FIRST_LAST:
            raise ValueError("512P is not available for first-last-frame")
        if self.mode is Mode.TEXT and not (self.prompt or "").strip():
            raise ValueError("text-to-video needs a prompt")
        if self.prompt is not None and len(self.prompt) > MAX_PROMPT_CHARS:
            raise ValueError(f"the prompt has {len(self.prompt)} characters; at most {MAX_PROMPT_CHARS}")
        return self

    def body(self) -> dict[str, Any]:
        """The JSON body to submit: unset fields and an empty ``metadata`` are left out."""
        data = self.model_dump(exclude_none=True)
        if not data.get("metadata"):
            data.pop("metadata", None)
        return data


def request_hash(body: Mapping[str, Any]) -> str:
    """A stable SHA-256 of a submit body (canonical JSON), to recognise the same request again."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
