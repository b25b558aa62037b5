"""The settings a shot can carry (``@key value``): one table that the script parser (unknown keys),
the compiler (values, API fields, defaults), the language server (completion, hover) and the
documentation all read, so they never disagree."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

SettingKind = Literal["int", "choice", "bool", "path", "str"]


@dataclass(frozen=True, slots=True)
class SettingInfo:
    """One setting: its key, the kind of value, the values allowed (None = any value of the kind),
    a one-line description, the request field it fills, and the value the API applies when it is
    not given (None = absent from the request)."""

    name: str
    kind: SettingKind
    allowed: tuple[str, ...] | None
    description: str
    api_field: str
    default: object


_BOOL = ("true", "false")

SETTINGS: dict[str, SettingInfo] = {
    info.name: info
    for info in (
        SettingInfo("model", "choice", ("MiniMax-Hailuo-02",), "The video model.", "model", "MiniMax-Hailuo-02"),
        SettingInfo("duration", "int", ("6", "10"), "Clip length in seconds; 1080P allows 6 only.", "duration", 6),
        SettingInfo(
            "resolution",
            "choice",
            ("512P", "768P", "1080P"),
            "Output resolution (either case of P is read); 512P is for image-to-video.",
            "resolution",
            "768P",
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
            "metadata.last_frame_image",
            None,
        ),
        SettingInfo(
            "prompt_optimizer",
            "bool",
            _BOOL,
            "Let the service rewrite the prompt; false keeps the directives exactly as written.",
            "metadata.prompt_optimizer",
            True,
        ),
        SettingInfo(
            "fast_pretreatment",
            "bool",
            _BOOL,
            "Shorten prompt optimisation (only meaningful with prompt_optimizer on).",
            "metadata.fast_pretreatment",
            False,
        ),
        SettingInfo("watermark", "bool", _BOOL, "Add the service's watermark to the video.", "metadata.watermark", False),
    )
}


def closest_setting(key: str) -> str | None:
    """The setting a mistyped key most likely means (``durration`` -> ``duration``,
    ``First-Frame`` -> ``first_frame``), or None when nothing is close."""
    normal = key.lower().replace("-", "_")
    if normal in SETTINGS:
        return normal
    close = difflib.get_close_matches(normal, list(SETTINGS), n=1, cutoff=0.75)
    return close[0] if close else None
