"""Every downloaded video is opened with PyAV before it counts: a file that is not the video asked
for (not a video, cut short, the wrong length) is downloaded once more, then the take fails with the
reason, and is never submitted again on its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from render_helpers import assert_video_of, make_shot

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.emulator.models import HttpRequest, HttpResponse
from hailuo_dsl.render import Journal, RenderSummary, ShotState, render_shots

S = ShotState
Spoil = Callable[[bytes], bytes]


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.sqlite") as opened:
        opened.acquire()
        yield opened


def spoil_downloads(emulator: Emulator, *spoilers: Spoil) -> list[str]:
    """The next downloads answered with what each spoiler makes of the real video; the paths asked for."""
    serve, left, asked = emulator.app.handle, list(spoilers), []

    def handle(request: HttpRequest) -> HttpResponse:
        response = serve(request)
        if not request.path.startswith("/files/videos/"):
            return response
        asked.append(request.path)
        if not left or response.status != 200:
            return response
        video = response.produce() if response.produce is not None else response.body
        return HttpResponse(200, left.pop(0)(video), content_type="video/mp4")

    emulator.app.handle = handle  # type: ignore[method-assign]
    return asked


def an_error_page(video: bytes) -> bytes:
    return b"<html><body>502 Bad Gateway</body></html>"


def cut_in_half(video: bytes) -> bytes:
    return video[: len(video) // 2]


async def render(journal: Journal, client: AsyncClient, out: Path, **options: object) -> RenderSummary:
    journal.recover()
    return await render_shots([make_shot("a", "A lamb [Push in].")], client=client, journal=journal, out_dir=out, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("spoiler", [an_error_page, cut_in_half], ids=["error page", "cut in half"])
async def test_a_broken_download_is_fetched_once_more(
    spoiler: Spoil, tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    asked = spoil_downloads(emulator, spoiler)
    summary = await render(journal, client, tmp_path / "out")
    (result,) = summary.shots
    assert summary.ok and len(asked) == 2 and emulator.stats.submits_accepted == 1
    assert result.output is not None and result.task_id is not None
    assert_video_of(result.output, result.task_id)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.mp4"]


async def test_a_video_broken_twice_fails_the_take_and_is_never_resubmitted_on_its_own(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    asked = spoil_downloads(emulator, an_error_page, cut_in_half)
    summary = await render(journal, client, tmp_path / "out")
    (result,) = summary.shots
    assert result.state is S.FAILED and len(asked) == 2
    assert result.error is not None and result.error.startswith("the video was downloaded twice and is not usable: ")
    assert "truncated" in result.error and result.error.endswith("rerun with --retry-failed to submit a new (paid) task")
    assert list((tmp_path / "out").iterdir()) == []  # neither broken file is kept
    summary = await render(journal, client, tmp_path / "out")
    assert summary.shots[0].state is S.FAILED and emulator.stats.submits_accepted == 1 and len(asked) == 2
    summary = await render(journal, client, tmp_path / "out", retry_failed=True)
    assert summary.ok and emulator.stats.submits_accepted == 2


async def test_a_video_of_another_length_is_not_the_one_asked_for(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    longer = await client.submit(VideoRequest(prompt="Ten seconds of rain [Static shot].", duration=10))
    await client.wait(longer.id, timeout=30)
    ten = tmp_path / "ten.mp4"
    await client.download(longer.video_url or f"{emulator.url}/files/videos/{longer.id}.mp4", ten)
    spoil_downloads(emulator, lambda video: ten.read_bytes(), lambda video: ten.read_bytes())
    summary = await render(journal, client, tmp_path / "out")
    (result,) = summary.shots
    assert result.state is S.FAILED and result.error is not None
    assert "lasts 10.00 s, where 6 s was asked for (at most 0.5 s off)" in result.error


async def test_a_broken_file_left_by_a_killed_run_counts_as_the_first_download(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    """A staging file a killed run left is checked before it is kept: broken, it is fetched once more."""
    shot = make_shot("a", "A lamb [Push in].")
    task = await client.wait((await client.submit(shot.request)).id)
    assert task.video_url is not None
    journal.add("a", shot.request_hash(), shot.request.body())
    journal.begin_submit("a")
    journal.submitted("a", task.id)
    journal.completed("a", video_url=task.video_url, expires_at=task.expires_at)
    staging = tmp_path / "out" / f".a.{task.id}.mp4"
    staging.parent.mkdir()
    staging.write_bytes(b"\0" * 1000)  # what a disk that lost its last writes may leave
    asked = spoil_downloads(emulator)
    summary = await render(journal, client, tmp_path / "out")
    assert summary.ok and len(asked) == 1 and emulator.stats.submits_accepted == 1
    assert_video_of(tmp_path / "out" / "a.mp4", task.id)
