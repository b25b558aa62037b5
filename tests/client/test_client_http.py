"""The client over real loopback HTTP against the emulator, each test for ``Client`` and ``AsyncClient``."""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hailuo_dsl.client import (
    AuthenticationError,
    BadRequest,
    ConnectionFailed,
    ContentPolicy,
    DeadlineExceeded,
    HailuoError,
    InsufficientBalance,
    MalformedResponse,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    SubmitOutcomeUnknown,
    Task,
    TaskFailed,
    TaskStatus,
    VideoExpired,
    request_hash,
)
from hailuo_dsl.contract.request import Mode, RequestMetadata, VideoRequest
from hailuo_dsl.emulator import Emulator, Faults, http_date
from hailuo_dsl.video import probe_video, verify_video

if TYPE_CHECKING:
    from conftest import Api

T2V = VideoRequest(prompt="City night scene, neon lights flickering [Pan left]", resolution="1080P")


def assert_video_of(path: Path, task_id: str) -> None:
    """The whole video of ``task_id`` (tagged with it), its first and last frames decoding."""
    info = probe_video(path)
    assert info.tags.get("comment") == task_id
    verify_video(path, round(info.duration))


# -- the happy path of every mode --------------------------------------------------------------


async def test_text_to_video(api: Api, emulator: Emulator, tmp_path: Path) -> None:
    task = await api.submit(T2V)
    assert task.status is TaskStatus.QUEUED and task.progress == 0 and not task.is_final
    assert emulator.tasks[task.id].request == T2V.body()
    seen: list[Task] = []
    done = await api.wait(task.id, timeout=10, on_progress=seen.append)
    assert done.status is TaskStatus.COMPLETED and done.is_final and done.progress == 100
    assert done.video_url is not None and done.completed_at is not None and done.expires_at is not None
    assert done.expires_at > done.completed_at >= done.created_at
    assert seen[-1] == done
    progress = [t.progress for t in seen]
    assert progress == sorted(progress)
    path = await api.download(done, tmp_path)
    assert path == tmp_path / f"{task.id}.mp4"
    assert_video_of(path, task.id)
    assert emulator.stats.submits_accepted == 1 and emulator.stats.downloads == 1


async def test_image_to_video_with_upload(api: Api, emulator: Emulator, images: dict[str, Path], tmp_path: Path) -> None:
    url = await api.upload_image(images["png"])
    assert url.startswith(emulator.url) and url.endswith(".png")
    request = VideoRequest(prompt="A mouse runs toward the camera", image_urls=[url], resolution="512P", duration=10)
    assert request.mode is Mode.IMAGE
    done = await api.wait((await api.submit(request)).id, timeout=10)
    target = tmp_path / "out" / "mouse.mp4"
    assert await api.download(done.video_url, target) == target
    assert_video_of(target, done.id)
    assert emulator.stats.uploads == 1


async def test_first_last_frame_with_uploads(api: Api, emulator: Emulator, images: dict[str, Path], tmp_path: Path) -> None:
    first = await api.upload_image(images["png"])
    last = await api.upload_image(images["jpeg"])
    assert last.endswith(".jpg") and first != last
    request = VideoRequest(prompt="A girl grows up", image_urls=[first], metadata=RequestMetadata(last_frame_image=last))
    assert request.mode is Mode.FIRST_LAST
    task = await api.submit(request)
    assert emulator.tasks[task.id].request["metadata"] == {"last_frame_image": last}
    done = await api.wait(task.id, timeout=10)
    assert_video_of(await api.download(done, tmp_path / "flf.mp4"), task.id)


async def test_two_videos_differ(api: Api, tmp_path: Path) -> None:
    one = await api.wait((await api.submit(T2V)).id, timeout=10)
    two = await api.wait((await api.submit(T2V)).id, timeout=10)
    assert one.id != two.id
    a = await api.download(one, tmp_path)
    b = await api.download(two, tmp_path)
    assert a.read_bytes() != b.read_bytes()


async def test_key_and_url_from_environment(
    make_api: Callable[..., Api], emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAILUO_API_KEY", emulator.api_key)
    monkeypatch.setenv("HAILUO_BASE_URL", emulator.url)
    api = make_api(api_key=None, base_url=None)
    task = await api.submit(T2V)
    assert (await api.get(task.id)).id == task.id


# -- each error status -------------------------------------------------------------------------


async def test_400_invalid_parameters(api: Api, emulator: Emulator) -> None:
    with pytest.raises(BadRequest) as caught:
        await api.submit(VideoRequest(prompt="x", image_urls=["data:image/png;base64,AAAA"]))
    assert caught.value.status == 400 and "http" in caught.value.message
    unchecked = VideoRequest.model_construct(prompt="x", resolution="1080P", duration=10, model="MiniMax-Hailuo-02")
    with pytest.raises(BadRequest, match="1080P"):
        await api.submit(unchecked)
    assert emulator.stats.submits_refused == 2 and emulator.stats.submits_accepted == 0


async def test_401_wrong_key(make_api: Callable[..., Api], emulator: Emulator) -> None:
    api = make_api(api_key="sk-wrong")
    with pytest.raises(AuthenticationError) as caught:
        await api.submit(T2V)
    assert caught.value.status == 401 and "authentication_error" in (caught.value.body or "")


async def test_missing_key_is_refused_at_construction(make_api: Callable[..., Api], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAILUO_API_KEY", raising=False)
    with pytest.raises(AuthenticationError, match="HAILUO_API_KEY"):
        make_api(api_key=None)


async def test_402_insufficient_balance(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(insufficient_balance=1)
    with pytest.raises(InsufficientBalance) as caught:
        await api.submit(T2V)
    assert caught.value.status == 402 and emulator.stats.requests["submit"] == 1


async def test_404_unknown_task(api: Api) -> None:
    with pytest.raises(NotFound) as caught:
        await api.get("vid_does_not_exist")
    assert caught.value.status == 404


async def test_422_content_policy_on_submit(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(policy_refusals=1)
    with pytest.raises(ContentPolicy) as caught:
        await api.submit(T2V)
    assert caught.value.status == 422 and "content policy" in caught.value.message.lower()


async def test_429_gives_up_after_max_attempts(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(rate_limited=100)
    with pytest.raises(RateLimited) as caught:
        await api.submit(T2V)
    assert caught.value.status == 429 and caught.value.retry_after is None
    assert emulator.stats.requests["submit"] == 4 and emulator.stats.submits_accepted == 0


async def test_500_on_query_gives_up_after_max_attempts(api: Api, emulator: Emulator) -> None:
    task = await api.submit(T2V)
    emulator.faults = Faults(target="query", server_errors=100)
    with pytest.raises(ServerError) as caught:
        await api.get(task.id)
    assert caught.value.status == 500 and emulator.stats.queries == 4


# -- retries -----------------------------------------------------------------------------------


async def test_query_retried_through_500s(api: Api, emulator: Emulator) -> None:
    task = await api.submit(T2V)
    emulator.faults = Faults(target="query", server_errors=2)
    assert (await api.get(task.id)).id == task.id
    assert emulator.stats.queries == 3


async def test_submit_retried_after_429_is_accepted_once(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(target="submit", rate_limited=2, retry_after="0")
    task = await api.submit(T2V)
    assert emulator.stats.requests["submit"] == 3
    assert emulator.stats.submits_accepted == 1 and list(emulator.tasks) == [task.id]


async def test_retry_after_seconds(make_api: Callable[..., Api], emulator: Emulator) -> None:
    api = make_api(retry=RetryPolicy(max_attempts=4, base_delay=0.001, retry_after_cap=600, deadline=5.0))
    emulator.faults = Faults(rate_limited=100, retry_after="3600")
    with pytest.raises(RateLimited) as caught:
        await api.submit(T2V)
    assert caught.value.retry_after == 3600.0
    assert emulator.stats.requests["submit"] == 1  # a wait beyond the deadline: given up at once


async def test_retry_after_is_capped(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(target="submit", rate_limited=1, retry_after="3600")
    await api.submit(T2V)  # the policy's cap (50 ms) applies, not the hour asked for
    assert emulator.stats.requests["submit"] == 2 and emulator.stats.submits_accepted == 1


async def test_retry_after_http_date(make_api: Callable[..., Api], emulator: Emulator) -> None:
    api = make_api(retry=RetryPolicy(max_attempts=4, base_delay=0.001, retry_after_cap=600, deadline=5.0))
    emulator.faults = Faults(rate_limited=100, retry_after=http_date(time.time() + 3600))
    with pytest.raises(RateLimited) as caught:
        await api.submit(T2V)
    assert caught.value.retry_after is not None and 3500 < caught.value.retry_after <= 3600
    assert emulator.stats.requests["submit"] == 1
    emulator.faults = Faults(rate_limited=1, retry_after=http_date(time.time() - 60))
    await api.submit(T2V)
    assert emulator.stats.requests["submit"] == 3 and emulator.stats.submits_accepted == 1


async def test_retries_stop_at_the_deadline(make_api: Callable[..., Api], emulator: Emulator) -> None:
    api = make_api(retry=RetryPolicy(max_attempts=10_000, base_delay=0.02, max_delay=0.02, deadline=0.3))
    task = await api.submit(T2V)
    emulator.faults = Faults(target="query", server_errors=10_000)
    with pytest.raises(ServerError):
        await api.get(task.id)
    assert 2 <= emulator.stats.queries < 100


async def test_slow_query_is_retried(make_api: Callable[..., Api], emulator: Emulator) -> None:
    api = make_api(timeout=0.2)
    task = await api.submit(T2V)
    emulator.faults = Faults(target="query", slow=1, slow_seconds=2.0)
    assert (await api.get(task.id)).id == task.id
    assert emulator.stats.queries == 2


async def test_unreachable_server_is_a_connection_failure(make_api: Callable[..., Api]) -> None:
    closed = Emulator().start()
    url = closed.url
    closed.stop()
    api = make_api(base_url=url)
    with pytest.raises(ConnectionFailed, match="Could not reach"):
        await api.submit(T2V)
    with pytest.raises(ConnectionFailed):
        await api.get("vid_x")


# -- a submit that may have been accepted is never retried -------------------------------------


@pytest.mark.parametrize(
    ("faults", "accepted"),
    [
        (Faults(target="submit", drop_after=5), 1),
        (Faults(target="submit", drop_before=5), 0),
        (Faults(target="submit", server_errors=5), 0),
        (Faults(target="submit", malformed_json=5), 1),
    ],
    ids=["dropped-after-accepting", "dropped-before-accepting", "500", "malformed-200"],
)
async def test_submit_outcome_unknown_is_never_retried(api: Api, emulator: Emulator, faults: Faults, accepted: int) -> None:
    emulator.faults = faults
    with pytest.raises(SubmitOutcomeUnknown) as caught:
        await api.submit(T2V)
    assert emulator.stats.requests["submit"] == 1
    assert emulator.stats.submits_accepted == accepted
    assert caught.value.request_body == T2V.body()
    assert caught.value.request_hash == request_hash(T2V.body())
    assert "not retried" in caught.value.message


async def test_submit_read_timeout_is_outcome_unknown(make_api: Callable[..., Api], emulator: Emulator) -> None:
    api = make_api(timeout=0.2)
    emulator.faults = Faults(target="submit", slow=1, slow_seconds=2.0)
    with pytest.raises(SubmitOutcomeUnknown, match="ReadTimeout"):
        await api.submit(T2V)
    assert emulator.stats.requests["submit"] == 1 and emulator.stats.submits_accepted == 1


# -- lenient reading and odd answers -----------------------------------------------------------


async def test_old_submit_shape(api: Api, emulator: Emulator, tmp_path: Path) -> None:
    emulator.faults = Faults(old_submit_shape=True)
    task = await api.submit(T2V)
    assert task.id.startswith("task_") and task.status is TaskStatus.QUEUED and task.status_text == "submitted"
    done = await api.wait(task.id, timeout=10)
    assert "result" not in done.raw and done.video_url == done.raw["url"]
    assert_video_of(await api.download(done, tmp_path), task.id)


async def test_unknown_status_is_not_final_and_wait_ends_at_deadline(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(unknown_status="rendering_frames")
    task = await api.submit(T2V)
    assert task.status is TaskStatus.UNKNOWN and task.status_text == "rendering_frames" and not task.is_final
    with pytest.raises(DeadlineExceeded) as caught:
        await api.wait(task.id, timeout=0.2)
    assert caught.value.task is not None and caught.value.task.status is TaskStatus.UNKNOWN
    assert "rendering_frames" in caught.value.message
    assert emulator.stats.queries >= 2


async def test_wait_deadline_on_a_slow_task(make_api: Callable[..., Api], emulator: Emulator) -> None:
    emulator.clock.time_scale = 0.0  # emulated time stands still: the task never finishes
    api = make_api()
    task = await api.submit(T2V)
    with pytest.raises(DeadlineExceeded) as caught:
        await api.wait(task.id, timeout=0.1)
    assert caught.value.task is not None and caught.value.task.status is TaskStatus.QUEUED


async def test_malformed_json_on_query(api: Api, emulator: Emulator) -> None:
    task = await api.submit(T2V)
    emulator.faults = Faults(target="query", malformed_json=1)
    with pytest.raises(MalformedResponse) as caught:
        await api.get(task.id)
    assert caught.value.status == 200 and "502 Bad Gateway" in (caught.value.body or "")


async def test_malformed_json_on_upload(api: Api, emulator: Emulator, images: dict[str, Path]) -> None:
    emulator.faults = Faults(target="upload", malformed_json=1)
    with pytest.raises(MalformedResponse):
        await api.upload_image(images["png"])


async def test_200_with_error_body(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(target="submit", error_body_200=1)
    with pytest.raises(BadRequest) as caught:
        await api.submit(T2V)
    assert caught.value.status == 200 and emulator.stats.submits_accepted == 0
    task = await api.submit(T2V)
    emulator.faults = Faults(target="query", error_body_200=1)
    with pytest.raises(HailuoError, match="internal_error") as query_error:
        await api.get(task.id)
    assert query_error.value.status == 200


async def test_failed_task(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(failed_tasks=1)
    task = await api.submit(T2V)
    with pytest.raises(TaskFailed) as caught:
        await api.wait(task.id, timeout=10)
    assert caught.value.task.status is TaskStatus.FAILED and caught.value.error is not None
    assert caught.value.error.code == 500


async def test_content_policy_failure_on_200(api: Api, emulator: Emulator) -> None:
    emulator.faults = Faults(policy_failures=1)
    task = await api.submit(T2V)
    with pytest.raises(TaskFailed, match="content_policy_violation") as caught:
        await api.wait(task.id, timeout=10)
    assert caught.value.error is not None and caught.value.error.type == "content_policy"


# -- uploads -----------------------------------------------------------------------------------


async def test_upload_refusals(api: Api, emulator: Emulator, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    with pytest.raises(BadRequest, match="JPEG, PNG, WebP or GIF"):
        await api.upload_image(text)
    assert emulator.stats.uploads == 1  # the server judges the type
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(10 * 1024 * 1024))
    with pytest.raises(HailuoError, match="over the upload limit of 10 MB; nothing was sent"):
        await api.upload_image(big)
    with pytest.raises(HailuoError, match="over the upload limit"):
        await api.upload_image("/dev/zero")  # an endless file is read no further than the limit
    assert emulator.stats.uploads == 1  # the client judges the size, before sending


async def test_upload_retried_through_500(api: Api, emulator: Emulator, images: dict[str, Path]) -> None:
    emulator.faults = Faults(target="upload", server_errors=1)
    assert (await api.upload_image(images["jpeg"])).endswith(".jpg")
    assert emulator.stats.uploads == 2


# -- downloads ---------------------------------------------------------------------------------


async def test_download_cut_off_is_retried(api: Api, emulator: Emulator, tmp_path: Path) -> None:
    done = await api.wait((await api.submit(T2V)).id, timeout=10)
    emulator.faults = Faults(cut_downloads=1)
    path = await api.download(done, tmp_path / "video.mp4")
    assert_video_of(path, done.id)
    assert emulator.stats.downloads == 2
    assert [p.name for p in tmp_path.iterdir()] == ["video.mp4"]


async def test_downloaded_video_has_the_ordinary_file_mode(api: Api, tmp_path: Path) -> None:
    done = await api.wait((await api.submit(T2V)).id, timeout=10)
    path = await api.download(done, tmp_path / "video.mp4")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # as open() makes it, not mkstemp's 0600


async def test_download_cut_off_leaves_no_file(api: Api, emulator: Emulator, tmp_path: Path) -> None:
    done = await api.wait((await api.submit(T2V)).id, timeout=10)
    emulator.faults = Faults(cut_downloads=100)
    target = tmp_path / "video.mp4"
    with pytest.raises(ConnectionFailed):
        await api.download(done, target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert emulator.stats.downloads == 4


async def test_expired_url(api: Api, emulator: Emulator, tmp_path: Path) -> None:
    done = await api.wait((await api.submit(T2V)).id, timeout=10)
    emulator.faults = Faults(expired_urls=True)
    with pytest.raises(VideoExpired, match="expired") as caught:
        await api.download(done, tmp_path)
    assert caught.value.status == 403
    emulator.faults = Faults()
    emulator.clock.advance(25 * 3600)
    with pytest.raises(VideoExpired):
        await api.download(done.video_url, tmp_path)
    assert list(tmp_path.iterdir()) == []


async def test_expired_task_is_not_fetched(api: Api, emulator: Emulator, tmp_path: Path) -> None:
    done = await api.wait((await api.submit(T2V)).id, timeout=10)
    stale = done.model_copy(update={"expires_at": int(time.time()) - 60})
    with pytest.raises(VideoExpired, match="only a new task"):
        await api.download(stale, tmp_path)
    assert emulator.stats.downloads == 0


async def test_unfinished_task_has_nothing_to_download(api: Api, emulator: Emulator, tmp_path: Path) -> None:
    emulator.clock.time_scale = 0.0
    task = await api.submit(T2V)
    with pytest.raises(HailuoError, match="no video"):
        await api.download(task, tmp_path)


# -- the API key stays secret ------------------------------------------------------------------


async def test_api_key_never_shown(
    make_api: Callable[..., Api], api: Api, emulator: Emulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[HailuoError] = []
    calls: list[tuple[Faults, Callable[[], Awaitable[object]]]] = [
        (Faults(target="submit", server_errors=1), lambda: api.submit(T2V)),
        (Faults(target="submit", drop_after=1), lambda: api.submit(T2V)),
        (Faults(rate_limited=100), lambda: api.get("vid_x")),
        (Faults(), lambda: api.get("vid_missing")),
        (Faults(target="query", malformed_json=1), lambda: api.get(next(iter(emulator.tasks)))),  # the dropped submit's task
    ]
    for fault, call in calls:
        emulator.faults = fault
        try:
            await call()
        except HailuoError as err:
            errors.append(err)
    with pytest.raises(AuthenticationError) as wrong_key:
        await make_api(api_key=emulator.api_key + "-old").get("vid_x")
    errors.append(wrong_key.value)
    kinds = [type(e) for e in errors]
    assert kinds == [SubmitOutcomeUnknown, SubmitOutcomeUnknown, RateLimited, NotFound, MalformedResponse, AuthenticationError]
    shown = [str(e) + repr(e) + (e.body or "") + e.message for e in errors]
    shown += [repr(api.client), str(api.client.__dict__), caplog.text]
    assert caplog.text  # the retries were logged
    for text in shown:
        assert emulator.api_key not in text
