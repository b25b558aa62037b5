"""The settings a shot can carry (``@key value``): one table that the script parser (unknown keys),
the compiler (values, API fields, defaults), the language server (completion, hover) and the
documentation all read, so they never disagree."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from hailuo_dsl.contract import (
    DEFAULT_DURATION,
    DEFAULT_RESOLUTION,
    DURATIONS,
    METADATA_DEFAULTS,
    MODEL_NAME,
    RESOLUTIONS,
    Metadata,
)

TAKES = (1, 2, 3, 4)
"""How many takes of a shot a render may make (``@takes``): each one is a paid task."""

RENDER_OPTION = "none: a render option"
"""The request field of a setting that fills none (``@takes``: the render makes several tasks)."""

SettingKind = Literal["int", "choice", "bool", "path", "url", "str", "shot"]


@dataclass(frozen=True, slots=True)
class SettingInfo:
    """One setting: its key, the kind of value, the values allowed (None = any value of the kind),
    a one-line description, the request field it fills (:data:`RENDER_OPTION` for none), and the
    value the API applies when it is not given (None = absent from the request). ``bare`` settings
    may stand without a value (``@continue``); ``script_only`` ones are written in the script
    alone, never in a shot-spec (a spec's ``[defaults]`` could not mean them)."""

    name: str
    kind: SettingKind
    allowed: tuple[str, ...] | None
    description: str
    api_field: str
    default: object
    bare: bool = False
    script_only: bool = False


_BOOL = ("true", "false")


def _switch(name: str, field: Metadata, description: str) -> SettingInfo:
    """A true/false setting that fills a ``metadata`` field (absent: the service's default)."""
    return SettingInfo(name, "bool", _BOOL, description, f"metadata.{field.value}", METADATA_DEFAULTS[field])


SETTINGS: dict[str, SettingInfo] = {
    info.name: info
    for info in (
        SettingInfo("model", "choice", (MODEL_NAME,), "The video model.", "model", MODEL_NAME),
        SettingInfo(
            "duration",
            "int",
            tuple(str(d) for d in DURATIONS),
            "Clip length in seconds; 1080P allows 6 only.",
            "duration",
            DEFAULT_DURATION,
        ),
        SettingInfo(
            "resolution",
            "choice",
            RESOLUTIONS,
            "Output resolution (either case of P is read); 512P is for image-to-video.",
            "resolution",
            DEFAULT_RESOLUTION,
        ),
        SettingInfo(
            "first_frame",
            "path",
            None,
            "The first frame: an http(s) URL or a local image (JPG, PNG, WebP), relative to this file; "
            "makes the shot image-to-video.",
            "image_urls",
            None,
        ),
        SettingInfo(
            "last_frame",
            "path",
            None,
            "The last frame (needs a first frame): an http(s) URL or a local image; makes the shot first-last-frame.",
            f"metadata.{Metadata.LAST_FRAME_IMAGE.value}",
            None,
        ),
        _switch(
            "prompt_optimizer",
            Metadata.PROMPT_OPTIMIZER,
            "Let the service rewrite the prompt; false keeps the directives exactly as written.",
        ),
        _switch(
            "fast_pretreatment",
            Metadata.FAST_PRETREATMENT,
            "Shorten prompt optimisation (only meaningful with prompt_optimizer on).",
        ),
        _switch("watermark", Metadata.AIGC_WATERMARK, "Add the service's AIGC watermark to the video."),
        SettingInfo(
            "callback_url",
            "url",
            None,
            "An http(s) URL the gateway posts the final task state to (needs a webhook set up in the "
            "gateway account); polling stays the source of truth.",
            f"metadata.{Metadata.CALLBACK_URL.value}",
            None,
        ),
        SettingInfo(
            "continue",
            "shot",
            None,
            "Start on the last frame of another shot's chosen take: the shot named, or the one before "
            "this one when no name is given; makes the shot image-to-video (first-last-frame with @last_frame).",
            "image_urls",
            None,
            bare=True,
            script_only=True,
        ),
        SettingInfo(
            "takes",
            "int",
            tuple(str(n) for n in TAKES),
            "How many variants of the shot to render (default 1; each a paid task); `hailuo pick` chooses the one used.",
            RENDER_OPTION,
            None,
        ),
    )
}

SPEC_SETTINGS: tuple[str, ...] = tuple(name for name, info in SETTINGS.items() if not info.script_only)
"""The settings a shot-spec's tables may give."""

METADATA_SWITCHES: dict[str, Metadata] = {
    name: Metadata(info.api_field.removeprefix("metadata.")) for name, info in SETTINGS.items() if info.kind == "bool"
}
"""The true/false settings and the ``metadata`` field each fills."""
METADATA_VALUES: dict[str, Metadata] = {
    name: Metadata(info.api_field.removeprefix("metadata."))
    for name, info in SETTINGS.items()
    if info.kind in ("bool", "url") and info.api_field.startswith("metadata.")
}
"""The settings sent in ``metadata`` as they are written (the switches and the callback URL);
the last frame goes there too, once uploaded, through the frames."""


def closest_setting(key: str) -> str | None:
    """The setting a mistyped key most likely means (``durration`` -> ``duration``,
    ``First-Frame`` -> ``first_frame``), or None when nothing is close."""
    normal = key.lower().replace("-", "_")
    if normal in SETTINGS:
        return normal
    close = difflib.get_close_matches(normal, list(SETTINGS), n=1, cutoff=0.75)
    return close[0] if close else None
