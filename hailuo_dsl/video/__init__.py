"""Reading and writing video with PyAV: checking a clip, its exact last frame, joining clips into a
film with an OpenTimelineIO timeline beside it, and a contact sheet.

Used by the emulator (its animatics) and the render. It may import ``contract`` and ``prompt``,
never ``render``, ``emulator`` or ``cli``. Names are imported from their modules on first use, so
``import hailuo_dsl.video`` loads neither PyAV nor OpenTimelineIO.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hailuo_dsl.video.assembly import Assembly, ClipSpan, JoinMethod, ProgressCallback, assemble
    from hailuo_dsl.video.encode import ClipWriter, EncodeSettings, encode_clip
    from hailuo_dsl.video.frames import DecodedFrame, InvalidVideo, first_frame, last_frame, read_first_frame, read_last_frame
    from hailuo_dsl.video.sheet import contact_sheet, save_contact_sheet
    from hailuo_dsl.video.timeline import (
        TIMELINE_FORMATS,
        TimelineClip,
        TimelineFormatUnavailable,
        build_timeline,
        read_timeline,
        write_timeline,
    )
    from hailuo_dsl.video.verify import DURATION_TOLERANCE, VideoInfo, probe_video, verify_video

_MODULES: dict[str, tuple[str, ...]] = {
    "assembly": ("Assembly", "ClipSpan", "JoinMethod", "ProgressCallback", "assemble"),
    "encode": ("ClipWriter", "EncodeSettings", "encode_clip"),
    "frames": ("DecodedFrame", "InvalidVideo", "first_frame", "last_frame", "read_first_frame", "read_last_frame"),
    "sheet": ("contact_sheet", "save_contact_sheet"),
    "timeline": (
        "TIMELINE_FORMATS",
        "TimelineClip",
        "TimelineFormatUnavailable",
        "build_timeline",
        "read_timeline",
        "write_timeline",
    ),
    "verify": ("DURATION_TOLERANCE", "VideoInfo", "probe_video", "verify_video"),
}


def __getattr__(name: str) -> Any:
    if name in _MODULES["assembly"]:
        from hailuo_dsl.video import assembly

        value: Any = getattr(assembly, name)
    elif name in _MODULES["encode"]:
        from hailuo_dsl.video import encode

        value = getattr(encode, name)
    elif name in _MODULES["frames"]:
        from hailuo_dsl.video import frames

        value = getattr(frames, name)
    elif name in _MODULES["sheet"]:
        from hailuo_dsl.video import sheet

        value = getattr(sheet, name)
    elif name in _MODULES["timeline"]:
        from hailuo_dsl.video import timeline

        value = getattr(timeline, name)
    elif name in _MODULES["verify"]:
        from hailuo_dsl.video import verify

        value = getattr(verify, name)
    else:
        raise AttributeError(f"module 'hailuo_dsl.video' has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "DURATION_TOLERANCE",
    "TIMELINE_FORMATS",
    "Assembly",
    "ClipSpan",
    "ClipWriter",
    "DecodedFrame",
    "EncodeSettings",
    "InvalidVideo",
    "JoinMethod",
    "ProgressCallback",
    "TimelineClip",
    "TimelineFormatUnavailable",
    "VideoInfo",
    "assemble",
    "build_timeline",
    "contact_sheet",
    "encode_clip",
    "first_frame",
    "last_frame",
    "probe_video",
    "read_first_frame",
    "read_last_frame",
    "read_timeline",
    "save_contact_sheet",
    "verify_video",
    "write_timeline",
]
