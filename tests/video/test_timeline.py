"""The film's OpenTimelineIO timeline: one clip per shot with its file and range, read back; other formats
through the ``edit`` extra's adapters, and a one-line error without them."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest
from video_helpers import make_clip

from hailuo_dsl.video import TimelineClip, TimelineFormatUnavailable, build_timeline, read_timeline, write_timeline

SHOTS = [("opening", "A calm sea [Pan left]", 6), ("storm", "Waves rise [Shake]", 10), ("calm", "The sun returns [Pull out]", 6)]


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[TimelineClip]:
    folder = tmp_path_factory.mktemp("shots")
    return [
        TimelineClip(name, make_clip(folder, name, {"prompt": prompt, "duration": duration}), prompt, f"vid_{name}", take)
        for take, (name, prompt, duration) in enumerate(SHOTS, start=1)
    ]


def test_the_timeline_reads_back_with_one_clip_per_shot(clips: list[TimelineClip], tmp_path: Path) -> None:
    path = write_timeline(build_timeline(clips, name="sea"), tmp_path / "sea.otio")
    timeline = read_timeline(path)
    assert timeline.name == "sea" and len(timeline.tracks) == 1
    track = timeline.tracks[0]
    assert track.kind == otio.schema.TrackKind.Video
    assert [clip.name for clip in track] == ["opening", "storm", "calm"]
    frames = [150, 250, 150]
    for index, (clip, shot, count) in enumerate(zip(track, clips, frames, strict=True)):
        assert clip.source_range == otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, 25), otio.opentime.RationalTime(count, 25)
        )
        assert clip.media_reference.target_url == shot.path.resolve().as_uri()
        assert clip.media_reference.available_range == clip.source_range
        assert dict(clip.metadata["hailuo"]) == {"prompt": shot.prompt, "task_id": shot.task_id, "take": index + 1}
        assert track.range_of_child_at_index(index).start_time.to_frames() == sum(frames[:index])
    assert timeline.duration().to_seconds() == 22


@pytest.mark.parametrize(("suffix", "adapter"), [(".edl", "cmx_3600"), (".xml", "fcp_xml")])
def test_other_formats_through_their_adapters(clips: list[TimelineClip], tmp_path: Path, suffix: str, adapter: str) -> None:
    try:
        otio.adapters.from_name(adapter)
    except otio.exceptions.NotSupportedError:
        pytest.skip(f"the {adapter} adapter (the edit extra) is not installed")
    path = write_timeline(build_timeline(clips, name="sea"), tmp_path / f"sea{suffix}")
    back = otio.adapters.read_from_file(str(path), adapter_name=adapter)
    assert [clip.name for clip in back.find_clips()] == ["opening", "storm", "calm"]
    assert [clip.source_range.duration.to_seconds() for clip in back.find_clips()] == [6, 10, 6]


def test_a_format_without_its_adapter_names_the_extra(
    clips: list[TimelineClip], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str) -> None:
        raise otio.exceptions.NotSupportedError(f"adapter not supported: {name}")

    monkeypatch.setattr(otio.adapters, "from_name", missing)
    timeline = build_timeline(clips[:1], name="sea")
    with pytest.raises(TimelineFormatUnavailable) as caught:
        write_timeline(timeline, tmp_path / "sea.edl")
    assert str(caught.value) == "the edl timeline format needs otio-cmx3600-adapter: pip install 'hailuo-dsl[edit]'"
    assert not (tmp_path / "sea.edl").exists()


def test_unknown_formats_are_refused_in_one_line(clips: list[TimelineClip], tmp_path: Path) -> None:
    timeline = build_timeline(clips[:1], name="sea")
    with pytest.raises(
        TimelineFormatUnavailable, match=r"^sea\.aaf: no timeline format ends in '\.aaf'; use \.otio \(otio\), \.edl"
    ):
        write_timeline(timeline, tmp_path / "sea.aaf")
    with pytest.raises(TimelineFormatUnavailable, match=r"^unknown timeline format 'avid'; choose one of otio, edl, fcp-xml$"):
        write_timeline(timeline, tmp_path / "sea.txt", format="avid")
    assert write_timeline(timeline, tmp_path / "sea.json", format="otio").read_text().startswith("{")
