"""From takes to a film on the command line, against the built-in emulator: ``render --assemble``,
``takes``, ``pick``, ``assemble`` (an MP4 and its OpenTimelineIO timeline, read back) and ``sheet``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import opentimelineio as otio
import pytest
from click.testing import CliRunner
from PIL import Image
from render_helpers import film_frames, same_picture

from hailuo_dsl.cli import cli
from hailuo_dsl.video import probe_video, read_timeline, verify_video

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHOTS = ["harbour", "beam", "storm", "lantern", "dawn"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"HAILUO_API_KEY": "", "HAILUO_BASE_URL": ""})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lighthouse example, copied and rendered on the emulator with --assemble."""
    folder = tmp_path_factory.mktemp("film")
    shutil.copytree(EXAMPLES / "frames", folder / "frames")
    script = folder / "lighthouse.shot"
    shutil.copy(EXAMPLES / "lighthouse.shot", script)
    code, out, err = run("render", str(script), "--emulator", "--assemble")
    assert code == 0, out + err
    assert "lighthouse.emulator.mp4" in out
    return script


def test_render_assemble_joins_the_chosen_takes_by_copying_packets(rendered: Path) -> None:
    film = rendered.parent / "renders" / "lighthouse.emulator.mp4"
    info = verify_video(film, 30)
    assert (info.width, info.height, info.frames) == (342, 192, 750)
    pictures = film_frames(film)
    for cut in (150, 300):  # harbour | beam and beam | storm: each continues the shot before
        assert same_picture(pictures[cut - 1], pictures[cut]), cut
    assert not same_picture(pictures[449], pictures[450])  # storm | lantern: a cut to another place
    code, out, err = run("assemble", str(rendered), "--emulator")
    assert code == 0 and "(5 shots, 30.0 s, 342x192, 25 fps; packets copied, nothing re-encoded)" in out, err


def test_the_timeline_reads_back_with_one_clip_per_shot(rendered: Path) -> None:
    timeline = read_timeline(rendered.parent / "renders" / "lighthouse.emulator.otio")
    (track,) = timeline.tracks
    assert [clip.name for clip in track] == SHOTS
    code, out, _ = run("takes", str(rendered), "--emulator", "--json")
    assert code == 0
    chosen = {t["shot"]: t for t in json.loads(out)["takes"] if t["chosen"]}
    for clip in track:
        take = chosen[clip.name]
        assert clip.media_reference.target_url == Path(take["output"]).resolve().as_uri()
        assert clip.source_range.duration == otio.opentime.RationalTime(150, 25)
        assert dict(clip.metadata["hailuo"]) == {
            "prompt": take_prompt(rendered, clip.name),
            "task_id": take["task_id"],
            "take": take["take"],
        }
    assert timeline.duration().to_seconds() == 30


def take_prompt(script: Path, shot: str) -> str:
    from hailuo_dsl.shots.parser import load_script

    found = load_script(script).shot(shot)
    assert found is not None
    return found.prompt


def test_takes_lists_every_take_and_pick_chooses_another(rendered: Path) -> None:
    code, out, _ = run("takes", str(rendered), "--emulator", "--json")
    takes = json.loads(out)["takes"]
    assert code == 0 and [(t["shot"], t["take"]) for t in takes] == [("harbour", 1), ("harbour", 2)] + [(s, 1) for s in SHOTS[1:]]
    assert all(t["state"] == "downloaded" and Path(t["output"]).is_file() for t in takes)
    assert [t["continues"]["shot"] if t["continues"] else None for t in takes] == [None, None, "harbour", "beam", None, "storm"]
    first = next(t for t in takes if t["chosen"] and t["shot"] == "harbour")["take"]
    other = 3 - first
    code, out, err = run("pick", str(rendered), "harbour", str(other), "--emulator")
    assert code == 0, err
    assert out.startswith(f"harbour: take {other} chosen (was take {first}).\nThe shots that continue it (beam)")
    code, out, _ = run("takes", str(rendered), "--emulator")
    assert code == 0 and "harbour │ " in out
    code, out, _ = run("takes", str(rendered), "--emulator", "--json")
    assert [t["take"] for t in json.loads(out)["takes"] if t["chosen"] and t["shot"] == "harbour"] == [other]
    run("pick", str(rendered), "harbour", str(first), "--emulator")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pick", "{script}", "harbor", "1", "--emulator"], "no shot named 'harbor'; did you mean 'harbour'?"),
        (["pick", "{script}", "harbour", "7", "--emulator"], "harbour has no take 7 (its takes: 1, 2)"),
        (["assemble", "{script}"], "no journal here: render {script} first (for the emulator's render, add --emulator)"),
        (["sheet", "{script}", "--emulator", "-o", "sheet.gif"], "sheet.gif: a contact sheet is a .png or .jpg file"),
    ],
)
def test_mistakes_are_one_line_errors(rendered: Path, args: list[str], message: str) -> None:
    code, out, err = run(*[a.format(script=rendered) for a in args])
    assert code == 2 and out == "" and err.count("\n") == 1 and message.format(script=rendered) in err, err


def test_other_timeline_formats_beside_the_otio_one(rendered: Path, tmp_path: Path) -> None:
    try:
        otio.adapters.from_name("cmx_3600")
    except otio.exceptions.NotSupportedError:
        pytest.skip("the cmx_3600 adapter (the edit extra) is not installed")
    code, out, err = run("assemble", str(rendered), "--emulator", "-o", str(tmp_path / "cut.mp4"), "--timeline-format", "edl")
    assert code == 0 and "cut.otio" in out and "cut.edl" in out, err
    assert (tmp_path / "cut.otio").is_file() and (tmp_path / "cut.edl").is_file()
    edl = read_timeline(tmp_path / "cut.edl")
    assert [clip.name for clip in edl.tracks[0]] == SHOTS


def test_the_contact_sheet_shows_each_shot(rendered: Path, tmp_path: Path) -> None:
    code, out, err = run("sheet", str(rendered), "--emulator", "-o", str(tmp_path / "sheet.png"))
    assert code == 0 and out.startswith("Contact sheet: ") and "(5 shots" in out, err
    with Image.open(tmp_path / "sheet.png") as sheet:
        assert sheet.width > 480 and sheet.height > 3 * 135


def test_an_assembly_of_different_sizes_is_encoded_once(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "frames", tmp_path / "frames")
    script = tmp_path / "launch.shot"
    shutil.copy(EXAMPLES / "launch.shot", script)
    shutil.copy(EXAMPLES / "launch.toml", tmp_path / "launch.toml")
    code, out, err = run("render", str(script), "--emulator", "--assemble")
    assert code == 0, out + err
    film = tmp_path / "renders" / "launch.emulator.mp4"
    code, out, _ = run("assemble", str(script), "--emulator")
    assert "re-encoded once with libx264" in out
    info = probe_video(film)
    assert round(info.duration) == 10 + 6 + 6 and info.size == (480, 270)  # the largest clip's size: the 1080P title
