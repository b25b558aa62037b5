"""The film's timeline in OpenTimelineIO, the format editors exchange (Resolve, Premiere, Avid through
adapters), so an editor can take over from the assembled cut.

One video track; one clip per shot, named after it, referencing the shot's own clip file with its
whole range, and carrying ``metadata["hailuo"]`` (prompt, task id, take). OTIO's JSON (``.otio``)
is always written; EDL (CMX 3600) and Final Cut Pro 7 XML (which Premiere and Resolve read) need
their adapters, the ``hailuo-dsl[edit]`` extra.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opentimelineio as otio

from hailuo_dsl.video.verify import probe_video

EDIT_EXTRA = "edit"
METADATA_KEY = "hailuo"


@dataclass(frozen=True, slots=True)
class TimelineFormat:
    """A timeline file format: its name here, OTIO's adapter, the file suffix, and the package it needs."""

    name: str
    adapter: str
    suffix: str
    package: str | None = None


TIMELINE_FORMATS: dict[str, TimelineFormat] = {
    "otio": TimelineFormat("otio", "otio_json", ".otio"),
    "edl": TimelineFormat("edl", "cmx_3600", ".edl", "otio-cmx3600-adapter"),
    "fcp-xml": TimelineFormat("fcp-xml", "fcp_xml", ".xml", "otio-fcp-adapter"),
}


class TimelineFormatUnavailable(ValueError):
    """A timeline format that is unknown, or whose adapter is not installed; the message says what to do."""


@dataclass(frozen=True, slots=True)
class TimelineClip:
    """One shot on the timeline: its name, its clip file, and what made it."""

    name: str
    path: Path
    prompt: str | None = None
    task_id: str | None = None
    take: int | None = None


def build_timeline(clips: Sequence[TimelineClip], *, name: str) -> otio.schema.Timeline:
    """A timeline of ``clips`` in order, each reading its whole file (frame counts from the files)."""
    track = otio.schema.Track(name="Video", kind=otio.schema.TrackKind.Video)
    for clip in clips:
        info = probe_video(clip.path)
        rate = float(info.fps)
        whole = otio.opentime.TimeRange(otio.opentime.RationalTime(0, rate), otio.opentime.RationalTime(info.frames, rate))
        reference = otio.schema.ExternalReference(target_url=Path(clip.path).resolve().as_uri(), available_range=whole)
        made: dict[str, Any] = {"prompt": clip.prompt, "task_id": clip.task_id, "take": clip.take}
        track.append(
            otio.schema.Clip(name=clip.name, media_reference=reference, source_range=whole, metadata={METADATA_KEY: made})
        )
    timeline = otio.schema.Timeline(name=name)
    timeline.tracks.append(track)
    return timeline


def timeline_format(path: Path | str, format: str | None = None) -> TimelineFormat:
    """The format named by ``format``, else by the suffix of ``path``; ``TimelineFormatUnavailable`` if neither fits."""
    if format is not None:
        found = TIMELINE_FORMATS.get(format.lower())
        if found is None:
            raise TimelineFormatUnavailable(f"unknown timeline format '{format}'; choose one of {', '.join(TIMELINE_FORMATS)}")
        return found
    suffix = Path(path).suffix.lower()
    for candidate in TIMELINE_FORMATS.values():
        if candidate.suffix == suffix:
            return candidate
    known = ", ".join(f"{f.suffix} ({f.name})" for f in TIMELINE_FORMATS.values())
    raise TimelineFormatUnavailable(f"{Path(path).name}: no timeline format ends in '{suffix}'; use {known}")


def write_timeline(timeline: otio.schema.Timeline, path: Path | str, *, format: str | None = None) -> Path:
    """Write ``timeline`` to ``path`` in ``format`` (default: from the suffix); returns the path."""
    path = Path(path)
    chosen = timeline_format(path, format)
    try:
        otio.adapters.from_name(chosen.adapter)
    except otio.exceptions.NotSupportedError:
        raise TimelineFormatUnavailable(
            f"the {chosen.name} timeline format needs {chosen.package}: pip install 'hailuo-dsl[{EDIT_EXTRA}]'"
        ) from None
    otio.adapters.write_to_file(timeline, str(path), adapter_name=chosen.adapter)
    return path


def read_timeline(path: Path | str, *, format: str | None = None) -> otio.schema.Timeline:
    """Read a timeline written by :func:`write_timeline` (or any file OTIO reads in a known format)."""
    chosen = timeline_format(path, format)
    result = otio.adapters.read_from_file(str(path), adapter_name=chosen.adapter)
    if not isinstance(result, otio.schema.Timeline):
        raise TimelineFormatUnavailable(f"{Path(path).name}: holds no timeline")
    return result
