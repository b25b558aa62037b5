"""The API contract of MiniMax-Hailuo-02 behind the gateway: every fact the other modules use.

``docs/api-contract.md`` explains each fact and where it comes from; code cites its sections as
"contract §N". No other module writes these values: the request model, the settings table, the
compiler's checks, the command line's choices, the client and the emulator all read them here.
This module imports nothing heavy, so every part of the program can afford it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal, get_args

# -- §1 Endpoints ----------------------------------------------------------------------------------

DEFAULT_BASE_URL = "https://toapis.com"
API_KEY_ENV = "HAILUO_API_KEY"
BASE_URL_ENV = "HAILUO_BASE_URL"
SUBMIT_PATH = "/v1/videos/generations"
"""POST a body to submit a task; GET ``SUBMIT_PATH/<task id>`` to query it."""
UPLOAD_PATH = "/v1/uploads/images"
UPLOAD_FIELD = "file"
UPLOAD_PURPOSE = "generation"
SHOT_HEADER = "X-Hailuo-Shot"
"""A request header only the project's emulator reads (contract §7): the shot's name, shown on a
text-to-video card. The API ignores headers it does not know; a render sends it only to a server
on loopback (an emulator), where it is not noise."""

# -- §2 The request body ---------------------------------------------------------------------------

Model = Literal["MiniMax-Hailuo-02"]
Duration = Literal[6, 10]
Resolution = Literal["512P", "768P", "1080P"]

MODEL_NAME: Model = "MiniMax-Hailuo-02"
DURATIONS: tuple[Duration, ...] = get_args(Duration)
RESOLUTIONS: tuple[Resolution, ...] = get_args(Resolution)
DEFAULT_DURATION: Duration = 6
DEFAULT_RESOLUTION: Resolution = "768P"
MAX_PROMPT_CHARS = 2000
"""The prompt's limit, in Unicode code points."""
IMAGE_URL_SCHEMES: tuple[str, ...] = ("http", "https")
"""The schemes of the image URLs the API takes (public URLs: no ``data:`` URIs)."""


class Metadata(str, enum.Enum):
    """The fields of the request's ``metadata`` object."""

    LAST_FRAME_IMAGE = "last_frame_image"
    PROMPT_OPTIMIZER = "prompt_optimizer"
    FAST_PRETREATMENT = "fast_pretreatment"
    AIGC_WATERMARK = "aigc_watermark"
    CALLBACK_URL = "callback_url"


METADATA_DEFAULTS: dict[Metadata, bool] = {
    Metadata.PROMPT_OPTIMIZER: True,
    Metadata.FAST_PRETREATMENT: False,
    Metadata.AIGC_WATERMARK: False,
}
"""What the service applies to a switch the request leaves out."""

# -- §3 What is valid ------------------------------------------------------------------------------


class Mode(str, enum.Enum):
    """The generation mode, which follows the images given."""

    TEXT = "text-to-video"
    IMAGE = "image-to-video"
    FIRST_LAST = "first-last-frame"


def mode_of(first_frame: bool, last_frame: bool) -> Mode:
    """The mode of a request with these frames (a last frame alone is invalid: see
    :func:`needs_first_frame`)."""
    if not first_frame:
        return Mode.TEXT
    return Mode.FIRST_LAST if last_frame else Mode.IMAGE


class Offer(enum.Enum):
    """Whether a resolution is offered for a mode."""

    YES = "yes"
    DOUBTFUL = "doubtful"  # allowed by the gateway's table, denied by its own text: warn, never reject
    NO = "no"


@dataclass(frozen=True, slots=True)
class ResolutionRow:
    """One row of the resolution table: the durations it takes and what it offers per mode."""

    durations: tuple[Duration, ...]
    modes: dict[Mode, Offer]


RESOLUTION_TABLE: dict[Resolution, ResolutionRow] = {
    "512P": ResolutionRow((6, 10), {Mode.TEXT: Offer.DOUBTFUL, Mode.IMAGE: Offer.YES, Mode.FIRST_LAST: Offer.NO}),
    "768P": ResolutionRow((6, 10), {Mode.TEXT: Offer.YES, Mode.IMAGE: Offer.YES, Mode.FIRST_LAST: Offer.YES}),
    "1080P": ResolutionRow((6,), {Mode.TEXT: Offer.YES, Mode.IMAGE: Offer.YES, Mode.FIRST_LAST: Offer.YES}),
}


def duration_problem(resolution: Resolution, duration: int) -> str | None:
    """Why this resolution does not take this duration (``1080P takes only 6-second clips``), or None."""
    allowed = RESOLUTION_TABLE[resolution].durations
    if duration in allowed:
        return None
    return f"{resolution} takes only {' or '.join(str(d) for d in allowed)}-second clips"


def offer(resolution: Resolution, mode: Mode) -> Offer:
    """Whether ``resolution`` is offered for ``mode``."""
    return RESOLUTION_TABLE[resolution].modes[mode]


def resolutions_for(mode: Mode) -> tuple[Resolution, ...]:
    """The resolutions a mode may use without doubt, in table order."""
    return tuple(r for r in RESOLUTIONS if offer(r, mode) is Offer.YES)


def needs_first_frame(last_frame: bool, first_frame: bool) -> bool:
    """True for a last frame without a first frame, which is no mode at all."""
    return last_frame and not first_frame


def short_side(resolution: Resolution) -> int:
    """The pixels of a clip's short side at ``resolution``: the resolution names it (``768P``: 768)."""
    return int(resolution.upper().removesuffix("P"))


def needs_prompt(mode: Mode) -> bool:
    """Text-to-video needs a prompt; with a first frame it is optional (it describes motion)."""
    return mode is Mode.TEXT


MB = 1_000_000
"""Image sizes are decimal megabytes, as the documentation writes them (the stricter reading)."""
MAX_UPLOAD_BYTES = 10 * MB
"""The upload endpoint's limit."""
MAX_MODEL_IMAGE_BYTES = 20 * MB
"""The model's own limit (images must be under it)."""
MIN_SHORT_SIDE = 300
"""A frame's short side must be over this many pixels."""
ASPECT_MIN = (2, 5)
ASPECT_MAX = (5, 2)
"""A frame's width:height must lie between 2:5 and 5:2."""
IMAGE_FORMATS: dict[str, str] = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}
"""The frame formats the model takes, by MIME type, with the names people use."""
UPLOAD_TYPES: tuple[str, ...] = (*IMAGE_FORMATS, "image/gif")
"""What the upload endpoint accepts (GIF too, which the model does not take)."""


def aspect_ok(width: int, height: int) -> bool:
    """Whether width:height lies between :data:`ASPECT_MIN` and :data:`ASPECT_MAX`."""
    (low_w, low_h), (high_w, high_h) = ASPECT_MIN, ASPECT_MAX
    return low_w * height <= low_h * width and high_h * width <= high_w * height


# -- §4 Responses and polling ----------------------------------------------------------------------


class Status(str, enum.Enum):
    """The statuses a task reports (``submitted`` is an older name of ``queued``)."""

    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"


STATUS_ALIASES: dict[str, Status] = {"submitted": Status.QUEUED}
FINAL_STATUSES = frozenset({Status.COMPLETED, Status.FAILED})
FIRST_POLL_DELAY = 5.0
"""Seconds to wait after a submit before the first query."""
POLL_INTERVAL = 10.0
"""Seconds between queries; polling faster only spends request quota."""
VIDEO_LIFETIME = 24 * 3600
"""Seconds a video URL works after completion (``expires_at``)."""

# -- §5 Errors -------------------------------------------------------------------------------------

ERROR_MEANINGS: dict[int, str] = {
    400: "invalid parameters",
    401: "authentication failed",
    402: "insufficient balance",
    404: "task not found",
    422: "content policy violation",
    429: "rate limit exceeded",
    500: "internal error",
}

__all__ = [
    "API_KEY_ENV",
    "ASPECT_MAX",
    "ASPECT_MIN",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "DEFAULT_DURATION",
    "DEFAULT_RESOLUTION",
    "DURATIONS",
    "ERROR_MEANINGS",
    "FINAL_STATUSES",
    "FIRST_POLL_DELAY",
    "IMAGE_FORMATS",
    "IMAGE_URL_SCHEMES",
    "MAX_MODEL_IMAGE_BYTES",
    "MAX_PROMPT_CHARS",
    "MAX_UPLOAD_BYTES",
    "MB",
    "METADATA_DEFAULTS",
    "MIN_SHORT_SIDE",
    "MODEL_NAME",
    "POLL_INTERVAL",
    "RESOLUTIONS",
    "RESOLUTION_TABLE",
    "SHOT_HEADER",
    "STATUS_ALIASES",
    "SUBMIT_PATH",
    "UPLOAD_FIELD",
    "UPLOAD_PATH",
    "UPLOAD_PURPOSE",
    "UPLOAD_TYPES",
    "VIDEO_LIFETIME",
    "Duration",
    "Metadata",
    "Mode",
    "Model",
    "Offer",
    "Resolution",
    "ResolutionRow",
    "Status",
    "aspect_ok",
    "duration_problem",
    "mode_of",
    "needs_first_frame",
    "needs_prompt",
    "offer",
    "resolutions_for",
    "short_side",
]
