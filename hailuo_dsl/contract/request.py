"""The submit request body, exactly as the API takes it (contract §2).

``VideoRequest.body()`` gives the JSON object to POST to the submit endpoint: fields left at
``None`` are omitted, ``metadata`` only appears when it has something in it. The model checks the
rules of contract §3 that need no files (durations per resolution, resolutions per mode, the
prompt); image checks (format, size, aspect) belong to the compiler, which reads the files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hailuo_dsl.contract import (
    DEFAULT_DURATION,
    DEFAULT_RESOLUTION,
    MAX_PROMPT_CHARS,
    MODEL_NAME,
    Duration,
    Metadata,
    Mode,
    Model,
    Offer,
    Resolution,
    duration_problem,
    mode_of,
    needs_first_frame,
    needs_prompt,
    offer,
)


class RequestMetadata(BaseModel):
    """``metadata``: the last frame, the extended switches and the callback URL (contract §2)."""

    model_config = ConfigDict(extra="forbid")

    last_frame_image: str | None = None
    prompt_optimizer: bool | None = None
    fast_pretreatment: bool | None = None
    aigc_watermark: bool | None = None
    callback_url: str | None = None


class VideoRequest(BaseModel):
    """One generation task as the API takes it."""

    model_config = ConfigDict(extra="forbid")

    model: Model = MODEL_NAME
    prompt: str | None = None
    duration: Duration = DEFAULT_DURATION
    resolution: Resolution = DEFAULT_RESOLUTION
    image_urls: list[str] | None = Field(default=None, min_length=1, max_length=1)
    metadata: RequestMetadata | None = None

    @field_validator("resolution", mode="before")
    @classmethod
    def _upper_p(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @property
    def mode(self) -> Mode:
        return mode_of(bool(self.image_urls), bool(self._last_frame()))

    def _last_frame(self) -> str | None:
        return self.metadata.last_frame_image if self.metadata is not None else None

    @model_validator(mode="after")
    def _valid_combination(self) -> VideoRequest:
        if needs_first_frame(bool(self._last_frame()), bool(self.image_urls)):
            raise ValueError("a last frame needs a first frame")
        problem = duration_problem(self.resolution, self.duration)
        if problem is not None:
            raise ValueError(problem)
        if offer(self.resolution, self.mode) is Offer.NO:
            raise ValueError(f"{self.resolution} is not available for {self.mode.value}")
        if needs_prompt(self.mode) and not (self.prompt or "").strip():
            raise ValueError(f"{self.mode.value} needs a prompt")
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
    """A stable SHA-256 of a submit body (canonical JSON), to recognise the same request again.

    ``metadata.callback_url`` is left out: where the gateway reports a task changes nothing in the
    video, so adding a callback to a script already rendered does not submit (and pay for) its
    shots again."""
    metadata = body.get("metadata")
    if isinstance(metadata, Mapping) and Metadata.CALLBACK_URL.value in metadata:
        rest = {k: v for k, v in metadata.items() if k != Metadata.CALLBACK_URL.value}
        body = {k: v for k, v in body.items() if k != "metadata"} | ({"metadata": rest} if rest else {})
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
