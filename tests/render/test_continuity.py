"""Continuity against the emulator: a shot that continues another waits for that shot's verified
video, starts on its exact last frame (in the film the frames either side of the cut are the same
picture), and the journal records which take fed which shot; independent chains run side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import film_frames, make_image, make_shot, same_picture, write_script

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.contract import MIN_SHORT_SIDE
from hailuo_dsl.emulator import Emulator, Faults
from hailuo_dsl.render import Journal, RenderEvent, RenderSummary, ShotState, Step, render_script
from hailuo_dsl.render.continuity import FrameRefused, check_frame, pixel_digest
from hailuo_dsl.render.film import assemble_film, film_shots
from hailuo_dsl.video import JoinMethod, first_frame, last_frame

S = ShotState
CHAIN = """shot harbour
  @first_frame harbour.png
  Boats rock in the harbour [Truck right].

shot beam
  @continue
  A lighthouse beam sweeps the water [Pan left].

shot storm
  @continue harbour
  Rain lashes the quay [Shake], then the sea is calm [Static shot].
"""


async def render(script: Path, client: AsyncClient, **options: object) -> RenderSummary:
    folder = script.parent
    return await render_script(
        script,
        client=client,
        journal=folder / "journal.sqlite",
        out_dir=folder / "out",
        **options,  # type: ignore[arg-type]
    )


def journal_of(script: Path) -> Journal:
    return Journal(script.parent / "journal.sqlite", create=False)


async def test_a_continued_shot_starts_on_the_exact_last_frame_of_its_parent(
    tmp_path: Path, emulator: Emulator, client: AsyncClient
) -> None:
    script = write_script(tmp_path / "p", CHAIN, {"harbour.png": (640, 360)})
    summary = await render(script, client)
    assert summary.ok and emulator.stats.submits_accepted == 3, [(s.name, s.state, s.error) for s in summary.shots]
    out = tmp_path / "p" / "out"
    with journal_of(script) as journal:
        beam, storm = journal.get("beam"), journal.get("storm")
        shots = film_shots(["harbour", "beam", "storm"], journal)
    assert beam is not None and beam.lineage is not None and storm is not None and storm.lineage is not None
    parent = last_frame(out / "harbour.mp4")
    assert (beam.lineage.shot, beam.lineage.take, beam.lineage.digest) == ("harbour", 1, pixel_digest(parent))
    assert storm.lineage.digest == beam.lineage.digest  # one parent frame, one file, however many children
    frame = Path(beam.lineage.frame)
    assert frame.parent == out / "frames" and frame.is_file()
    assert min(make_image_size(frame)) == 768 > MIN_SHORT_SIDE > min(parent.size)  # given the size 768P names
    # The child's request carried the uploaded frame (once, for both children), and its hash the frame's digest.
    submitted = {t.request["prompt"]: t.request for t in emulator.tasks.values()}
    assert submitted["A lighthouse beam sweeps the water [Pan left]."]["image_urls"][0].startswith(
        emulator.url + "/files/images/"
    )
    assert emulator.stats.requests["upload"] == 2  # harbour.png, and the one frame of harbour
    film = assemble_film(shots, tmp_path / "film.mp4")
    assert film.assembly.method is JoinMethod.COPY
    pictures = film_frames(film.assembly.output)
    assert len(pictures) == 450
    assert same_picture(pictures[149], pictures[150])  # harbour | beam: beam starts where harbour ends
    assert same_picture(first_frame(out / "storm.mp4"), parent)  # storm continues harbour too


def make_image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as picture:
        return picture.size


async def test_a_child_waits_for_its_parent_and_independent_chains_run_side_by_side(
    tmp_path: Path, emulator: Emulator, client: AsyncClient
) -> None:
    text = "".join(
        f"shot {a}\n  Chain {a} begins [Pan left].\n\nshot {b}\n  @continue\n  Chain {a} goes on.\n\n"
        for a, b in [("a", "a2"), ("c", "c2")]
    )
    script = write_script(tmp_path / "p", text)
    seen: list[tuple[str, Step]] = []

    def on_event(event: RenderEvent) -> None:
        seen.append((event.shot, event.action))

    summary = await render(script, client, on_event=on_event, concurrency=4)
    assert summary.ok
    submits = [shot for shot, action in seen if action is Step.SUBMITTING]
    assert sorted(submits[:2]) == ["a", "c"]  # both chains start at once
    for parent, child in (("a", "a2"), ("c", "c2")):
        done = seen.index((parent, Step.DONE))
        assert seen.index((child, Step.SUBMITTING)) > done  # submitted once the parent's video is in
        assert (child, Step.CONTINUING) in seen[:done]  # it waited, holding no place


async def test_a_child_of_a_failed_parent_is_not_submitted_until_the_parent_has_a_video(
    tmp_path: Path, emulator: Emulator, client: AsyncClient
) -> None:
    emulator.faults = Faults(failed_tasks=1)
    script = write_script(tmp_path / "p", "shot a\n  A kite rises [Tilt up].\n\nshot b\n  @continue\n  It falls.\n")
    summary = await render(script, client)
    results = {s.name: s for s in summary.shots}
    assert results["a"].state is S.FAILED and results["b"].state is S.PENDING
    assert results["b"].note == "continues a: waits for a video of a, which is not on disk yet"
    assert emulator.stats.submits_accepted == 1 and not summary.ok
    summary = await render(script, client, retry_failed=True)
    assert summary.ok and emulator.stats.submits_accepted == 3


async def test_a_parent_outside_the_run_gives_its_chosen_take_from_the_journal(
    tmp_path: Path, emulator: Emulator, client: AsyncClient
) -> None:
    script = write_script(tmp_path / "p", "shot a\n  A kite rises [Tilt up].\n\nshot b\n  @continue\n  It falls.\n")
    assert (await render(script, client, shots=["a"])).ok
    summary = await render(script, client, shots=["b"])
    assert summary.ok and emulator.stats.submits_accepted == 2
    before = emulator.stats.submits_accepted
    assert (await render(script, client)).ok and emulator.stats.submits_accepted == before  # a rerun pays nothing


def test_the_childs_request_hash_holds_the_frames_digest_not_its_file(tmp_path: Path) -> None:
    shot = make_shot("b", "It falls.")
    continued = type(shot)(
        **{**shot.__dict__, "continues": "a", "request": shot.request.model_copy(update={"image_urls": ["last-frame-of:a"]})}
    )
    one, two = make_image(tmp_path / "one.png", "red"), make_image(tmp_path / "two.png", "red")
    assert continued.bound(one, "d1").request_hash() == continued.bound(two, "d1").request_hash()
    assert continued.bound(one, "d1").request_hash() != continued.bound(one, "d2").request_hash()
    assert continued.bound(one, "d1").request.image_urls == [one.as_uri()]


def test_a_frame_that_breaks_a_frame_rule_is_refused_with_its_rule(tmp_path: Path) -> None:
    with pytest.raises(FrameRefused, match=r"^the last frame of a \(take 1\) cannot be a first frame: HL610 "):
        check_frame(make_image(tmp_path / "tiny.png", "red", (200, 120)), "the last frame of a (take 1)")
    check_frame(make_image(tmp_path / "fine.png", "red", (640, 360)), "a frame")
