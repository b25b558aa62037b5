"""The render pipeline against the emulator over loopback: what each journal state leads to, and
that a shot whose submit may have been accepted is never submitted again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from render_helpers import assert_video_of, fast_client, make_image, make_shot

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.emulator import Emulator, Faults
from hailuo_dsl.emulator.models import HttpRequest, HttpResponse
from hailuo_dsl.render import Journal, JournalError, RenderEvent, RenderSummary, ShotState, Step, render_shots
from hailuo_dsl.shots import CompiledShot

S = ShotState


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.sqlite") as opened:
        opened.acquire()
        yield opened


async def render(
    shots: Sequence[CompiledShot], client: AsyncClient, journal: Journal, out: Path, **options: object
) -> RenderSummary:
    journal.recover()
    return await render_shots(shots, client=client, journal=journal, out_dir=out, **options)  # type: ignore[arg-type]


def by_name(summary: RenderSummary) -> dict[str, S]:
    return {s.name: s.state for s in summary.shots}


async def test_every_shot_is_submitted_once_and_downloaded(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shots = [make_shot(f"s{i}", f"A boat crosses the bay, take {i} [Pan left].") for i in range(3)]
    summary = await render(shots, client, journal, tmp_path / "out")
    assert summary.ok and by_name(summary) == {"s0": S.DOWNLOADED, "s1": S.DOWNLOADED, "s2": S.DOWNLOADED}
    assert emulator.stats.submits_accepted == 3
    for result in summary.shots:
        assert result.output == tmp_path / "out" / f"{result.name}.mp4"
        assert result.task_id is not None
        assert_video_of(result.output, result.task_id)
        assert emulator.tasks[result.task_id].request["prompt"].endswith(f"take {result.name[1]} [Pan left].")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["s0.mp4", "s1.mp4", "s2.mp4"]


async def test_a_rerun_of_a_finished_render_sends_nothing(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shots = [make_shot("a", "A lamb on a hill [Push in]."), make_shot("b", "Rain on a window [Static shot].")]
    await render(shots, client, journal, tmp_path / "out")
    before = sum(emulator.stats.requests.values())
    summary = await render(shots, client, journal, tmp_path / "out")
    assert summary.ok and [s.note for s in summary.shots] == ["already downloaded", "already downloaded"]
    assert sum(emulator.stats.requests.values()) == before


async def test_a_shared_image_is_uploaded_once_and_reused_by_the_next_run(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    frame = make_image(tmp_path / "frame.png")
    other = make_image(tmp_path / "other.png", "blue")
    shots = [
        make_shot("one", "The mouse runs [Push in].", first=frame),
        make_shot("two", "The mouse stops [Static shot].", first=frame),
        make_shot("three", "It grows up.", first=frame, last=other),
    ]
    summary = await render(shots, client, journal, tmp_path / "out")
    assert summary.ok
    assert emulator.stats.uploads == 2
    urls = {emulator.tasks[s.task_id].request["image_urls"][0] for s in summary.shots if s.task_id}
    assert len(urls) == 1 and urls.pop().startswith(emulator.url + "/files/images/")
    changed = [make_shot("one", "The mouse runs faster [Push in].", first=frame)]
    await render(changed, client, journal, tmp_path / "out")
    assert emulator.stats.uploads == 2  # the URL came from the journal
    assert emulator.stats.submits_accepted == 4


async def test_an_upload_to_one_api_is_not_reused_with_another(
    tmp_path: Path, client: AsyncClient, journal: Journal, emulator_factory: Callable[..., Emulator]
) -> None:
    frame = make_image(tmp_path / "frame.png")
    await render([make_shot("a", "The mouse runs [Push in].", first=frame)], client, journal, tmp_path / "out")
    with emulator_factory() as other:
        async with fast_client(other) as elsewhere:
            summary = await render([make_shot("a", "The mouse stops.", first=frame)], elsewhere, journal, tmp_path / "out")
        assert summary.ok and other.stats.uploads == 1
        assert other.tasks[summary.shots[0].task_id or ""].request["image_urls"][0].startswith(other.url)


async def test_a_changed_request_is_submitted_again_and_the_old_task_kept(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    first = await render([make_shot("a", "A lamb [Push in].")], client, journal, tmp_path / "out")
    old_task = first.shots[0].task_id
    second = await render([make_shot("a", "A lamb on a hill [Push in].")], client, journal, tmp_path / "out")
    new = second.shots[0]
    assert new.state is S.DOWNLOADED and new.task_id != old_task
    assert journal.get("a").previous_tasks == (old_task,)  # type: ignore[union-attr]
    assert new.output is not None and new.task_id is not None
    assert_video_of(new.output, new.task_id)
    assert emulator.stats.submits_accepted == 2


async def test_an_unknown_submit_is_never_resubmitted_until_a_person_decides(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(target="submit", drop_after=1)  # the task is created, the answer lost
    shot = make_shot("a", "A lamb [Push in].")
    summary = await render([shot], client, journal, tmp_path / "out")
    assert by_name(summary) == {"a": S.UNKNOWN}
    assert "--adopt" in summary.shots[0].note and summary.shots[0].error
    for _ in range(2):
        again = await render([shot], client, journal, tmp_path / "out")
        assert by_name(again) == {"a": S.UNKNOWN}
    assert emulator.stats.submits_accepted == 1
    (created,) = emulator.tasks  # what the person finds in the account
    journal.adopt("a", created)
    done = await render([shot], client, journal, tmp_path / "out")
    assert done.ok and done.shots[0].task_id == created
    assert emulator.stats.submits_accepted == 1


async def test_a_forgotten_unknown_submit_is_sent_again(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(target="submit", drop_before=1)  # the request is read, nothing is created
    shot = make_shot("a", "A lamb [Push in].")
    assert by_name(await render([shot], client, journal, tmp_path / "out")) == {"a": S.UNKNOWN}
    assert emulator.stats.submits_accepted == 0
    journal.forget("a")
    summary = await render([shot], client, journal, tmp_path / "out")
    assert summary.ok and emulator.stats.submits_accepted == 1
    assert journal.get("a").attempts == 2  # type: ignore[union-attr]


async def test_a_run_that_died_while_submitting_leaves_the_shot_unknown(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shot = make_shot("a", "A lamb [Push in].")
    journal.add("a", shot.request_hash(), shot.request.body())
    journal.begin_submit("a")  # ... and the process was killed here
    summary = await render([shot], client, journal, tmp_path / "out")
    assert by_name(summary) == {"a": S.UNKNOWN}
    assert emulator.stats.submits_accepted == 0 and sum(emulator.stats.requests.values()) == 0


async def test_a_submitted_task_is_polled_again_not_resubmitted(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shot = make_shot("a", "A lamb [Push in].")
    task = await client.submit(shot.request)
    journal.add("a", shot.request_hash(), shot.request.body())
    journal.begin_submit("a")
    journal.submitted("a", task.id)  # ... and the process was killed here
    summary = await render([shot], client, journal, tmp_path / "out")
    assert summary.ok and summary.shots[0].task_id == task.id
    assert emulator.stats.submits_accepted == 1


async def test_a_task_the_api_does_not_know_stays_submitted_and_is_never_paid_again(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shot = make_shot("a", "A lamb [Push in].")
    journal.add("a", shot.request_hash(), shot.request.body())
    journal.begin_submit("a")
    journal.submitted("a", "vid_the_gateway_forgot")  # answered 404 on every query from now on
    for retry_failed in (False, True):
        summary = await render([shot], client, journal, tmp_path / "out", retry_failed=retry_failed)
        result = summary.shots[0]
        assert not summary.ok and result.state is S.SUBMITTED and result.task_id == "vid_the_gateway_forgot"
        assert "knows no task vid_the_gateway_forgot" in (result.error or "") and "--forget a" in (result.error or "")
    assert emulator.stats.submits_accepted == 0
    journal.forget("a")  # the person checked the account: no such task
    assert (await render([shot], client, journal, tmp_path / "out")).ok and emulator.stats.submits_accepted == 1


async def test_a_download_finished_before_the_crash_is_not_fetched_again(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    out = tmp_path / "out"
    shots = [make_shot("a", "A lamb [Push in]."), make_shot("b", "A goat [Pan left].")]
    for shot in shots:
        task = await client.wait((await client.submit(shot.request)).id)
        assert task.video_url is not None
        journal.add(shot.name, shot.request_hash(), shot.request.body())
        journal.begin_submit(shot.name)
        journal.submitted(shot.name, task.id)
        journal.completed(shot.name, video_url=task.video_url, expires_at=task.expires_at)
        await client.download(task.video_url, out / f".{shot.name}.{task.id}.mp4")  # staging file complete ...
    journal.downloaded("b", out / "b.mp4")  # ... for "b" even recorded, but not renamed
    downloads = emulator.stats.downloads
    summary = await render(shots, client, journal, out)
    assert summary.ok and emulator.stats.downloads == downloads
    assert sorted(p.name for p in out.iterdir()) == ["a.mp4", "b.mp4"]


async def test_a_completed_shot_is_downloaded_on_the_next_run(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shot = make_shot("a", "A lamb [Push in].")
    task = await client.wait((await client.submit(shot.request)).id)
    assert task.video_url is not None
    journal.add("a", shot.request_hash(), shot.request.body())
    journal.begin_submit("a")
    journal.submitted("a", task.id)
    journal.completed("a", video_url=task.video_url, expires_at=task.expires_at)
    leftover = tmp_path / "out" / f"..a.{task.id}.mp4.x1y2.part"  # a download cut off by the kill
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half")
    summary = await render([shot], client, journal, tmp_path / "out")
    assert summary.ok and emulator.stats.downloads == 1 and emulator.stats.submits_accepted == 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.mp4"]


async def test_a_deleted_video_is_fetched_again_while_its_url_lives(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shot = make_shot("a", "A lamb [Push in].")
    first = await render([shot], client, journal, tmp_path / "out")
    assert first.shots[0].output is not None
    first.shots[0].output.unlink()
    again = await render([shot], client, journal, tmp_path / "out")
    assert again.ok and emulator.stats.submits_accepted == 1 and emulator.stats.downloads == 2


async def test_an_expired_url_is_reported_and_only_retried_on_request(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(expired_urls=True)
    shot = make_shot("a", "A lamb [Push in].")
    summary = await render([shot], client, journal, tmp_path / "out")
    result = summary.shots[0]
    assert result.state is S.FAILED and result.error is not None and "expired" in result.error
    assert "--retry-failed" in result.error
    emulator.faults = Faults()
    assert by_name(await render([shot], client, journal, tmp_path / "out")) == {"a": S.FAILED}
    assert emulator.stats.submits_accepted == 1
    retried = await render([shot], client, journal, tmp_path / "out", retry_failed=True)
    assert retried.ok and emulator.stats.submits_accepted == 2


async def test_a_video_past_its_expiry_is_not_even_requested(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shot = make_shot("a", "A lamb [Push in].")
    task = await client.wait((await client.submit(shot.request)).id)
    assert task.video_url is not None
    journal.add("a", shot.request_hash(), shot.request.body())
    journal.begin_submit("a")
    journal.submitted("a", task.id)
    journal.completed("a", video_url=task.video_url, expires_at=int(time.time()) - 60)
    summary = await render([shot], client, journal, tmp_path / "out")
    assert summary.shots[0].state is S.FAILED and "expired at" in (summary.shots[0].error or "")
    assert emulator.stats.downloads == 0


async def test_failed_shots_are_resubmitted_only_with_retry_failed(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(failed_tasks=1, policy_refusals=1)
    shots = [make_shot("a", "A lamb [Push in]."), make_shot("b", "A goat [Pan left].")]
    summary = await render(shots, client, journal, tmp_path / "out", concurrency=1)
    assert by_name(summary) == {"a": S.FAILED, "b": S.FAILED}
    errors = " ".join(s.error or "" for s in summary.shots)
    assert "content policy" in errors and "failed" in errors
    assert emulator.stats.submits_accepted == 1 and emulator.stats.submits_refused == 1
    assert by_name(await render(shots, client, journal, tmp_path / "out")) == {"a": S.FAILED, "b": S.FAILED}
    assert emulator.stats.submits_accepted == 1
    retried = await render(shots, client, journal, tmp_path / "out", retry_failed=True)
    assert retried.ok and emulator.stats.submits_accepted == 3


async def test_a_refusal_that_is_not_the_requests_fault_leaves_the_shot_pending(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(insufficient_balance=1)
    shot = make_shot("a", "A lamb [Push in].")
    summary = await render([shot], client, journal, tmp_path / "out")
    assert summary.shots[0].state is S.PENDING and "balance" in (summary.shots[0].error or "")
    assert (await render([shot], client, journal, tmp_path / "out")).ok
    assert emulator.stats.submits_accepted == 1


async def test_a_task_still_running_at_the_deadline_is_resumed_by_the_next_run(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shot = make_shot("a", "A lamb [Push in].")
    emulator.clock.time_scale = 1.0  # a task now takes a minute
    summary = await render([shot], client, journal, tmp_path / "out", wait_timeout=0.05)
    assert summary.shots[0].state is S.SUBMITTED and "still running" in (summary.shots[0].error or "")
    emulator.clock.advance(120)
    again = await render([shot], client, journal, tmp_path / "out")
    assert again.ok and emulator.stats.submits_accepted == 1


async def test_at_most_concurrency_shots_are_in_flight(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    active: set[str] = set()
    peak = 0

    def on_event(event: RenderEvent) -> None:
        nonlocal peak
        if event.action is Step.DONE:
            active.discard(event.shot)
        elif event.action is not Step.QUEUED:
            active.add(event.shot)
            peak = max(peak, len(active))

    shots = [make_shot(f"s{i}", f"Take {i} [Pan left].") for i in range(8)]
    summary = await render(shots, client, journal, tmp_path / "out", concurrency=2, on_event=on_event)
    assert summary.ok and peak == 2


async def test_stopping_during_a_submit_still_records_its_task(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(target="submit", slow=1, slow_seconds=0.3)
    shot = make_shot("a", "A lamb [Push in].")

    def on_event(event: RenderEvent) -> None:
        if event.action is Step.SUBMITTING:
            run.cancel()  # Ctrl-C while the submit is on its way

    run = asyncio.ensure_future(render([shot], client, journal, tmp_path / "out", on_event=on_event))
    with pytest.raises(asyncio.CancelledError):
        await run
    record = journal.get("a")
    assert record is not None and record.state is S.SUBMITTED
    assert record.task_id in emulator.tasks
    assert (await render([shot], client, journal, tmp_path / "out")).ok
    assert emulator.stats.submits_accepted == 1


async def test_a_second_stop_while_a_submit_is_answered_still_leaves_the_shot_unknown(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(target="submit", slow=1, slow_seconds=1.0)
    loop, serve = asyncio.get_running_loop(), emulator.app.handle

    def stop_again_on_submit(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path.endswith("/generations"):
            loop.call_soon_threadsafe(run.cancel)  # a second Ctrl-C while the first waits for the answer
        return serve(request)

    def on_event(event: RenderEvent) -> None:
        if event.action is Step.SUBMITTING:
            run.cancel()

    emulator.app.handle = stop_again_on_submit  # type: ignore[method-assign]
    run = asyncio.ensure_future(
        render([make_shot("a", "A lamb [Push in].")], client, journal, tmp_path / "out", on_event=on_event)
    )
    with pytest.raises(asyncio.CancelledError):
        await run
    record = journal.get("a")
    assert record is not None and record.state is S.UNKNOWN
    assert emulator.stats.submits_accepted == 1


async def test_an_error_in_one_shot_stops_the_others_with_their_submits_recorded(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(target="submit", slow=1, slow_seconds=0.3)
    shots = [make_shot("a", "A lamb [Push in]."), make_shot("b", "A goat [Pan left].")]

    def on_event(event: RenderEvent) -> None:
        if event.shot == "b" and event.action is Step.SUBMITTING:
            raise RuntimeError("the display broke")  # while a's submit is on its way

    with pytest.raises(RuntimeError, match="the display broke"):
        await render(shots, client, journal, tmp_path / "out", on_event=on_event)
    left = [t for t in asyncio.all_tasks() if t.get_coro().__qualname__ == "_Run.shot"]  # type: ignore[union-attr]
    assert left == []
    a = journal.get("a")
    assert a is not None and a.state is S.SUBMITTED and a.task_id in emulator.tasks
    assert emulator.stats.submits_accepted == 1  # b's submit was never sent, so b is still to do
    assert journal.get("b").state is S.PENDING  # type: ignore[union-attr]
    summary = await render(shots, client, journal, tmp_path / "out")
    assert summary.ok and emulator.stats.submits_accepted == 2
    assert summary.shots[0].task_id == a.task_id


async def test_two_shots_of_one_name_are_refused_before_anything_is_sent(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    shots = [make_shot("a", "A lamb [Push in]."), make_shot("b", "A goat."), make_shot("a", "A kid [Pan left].")]
    with pytest.raises(JournalError, match="two shots are named 'a'"):
        await render(shots, client, journal, tmp_path / "out")
    assert journal.records() == [] and sum(emulator.stats.requests.values()) == 0


async def test_a_stop_while_the_others_are_stopping_after_an_error_still_waits_for_their_submits(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, journal: Journal
) -> None:
    emulator.faults = Faults(target="submit", slow=1, slow_seconds=0.5)
    loop, serve = asyncio.get_running_loop(), emulator.app.handle

    def stop_on_submit(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path.endswith("/generations"):
            loop.call_soon_threadsafe(run.cancel)  # Ctrl-C while a's submit waits for its answer
        return serve(request)

    def on_event(event: RenderEvent) -> None:
        if event.shot == "b" and event.action is Step.SUBMITTING:
            raise RuntimeError("the display broke")

    emulator.app.handle = stop_on_submit  # type: ignore[method-assign]
    shots = [make_shot("a", "A lamb [Push in]."), make_shot("b", "A goat [Pan left].")]
    run = asyncio.ensure_future(render(shots, client, journal, tmp_path / "out", on_event=on_event))
    with pytest.raises(RuntimeError, match="the display broke"):
        await run
    a = journal.get("a")
    assert a is not None and a.state is S.SUBMITTED and a.task_id in emulator.tasks
