"""Exact transport-level behaviour through ``httpx.MockTransport`` (both clients): what is sent,
which failures are retried, and the API key kept out of everything shown."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from hailuo_dsl.client import ConnectionFailed, HailuoError, SubmitOutcomeUnknown, Task, Timeout
from hailuo_dsl.contract.request import VideoRequest

if TYPE_CHECKING:
    from conftest import Api

KEY = "sk-live-TOPSECRET-42"
REQUEST = VideoRequest(prompt="Waves hitting the beach at sunset", duration=10)
TASK = {"id": "vid_1", "object": "generation.task", "status": "queued", "progress": 0, "created_at": 1}


class Script:
    """A mock server answering from a list of steps: a response, or an exception to raise."""

    def __init__(self, *steps: httpx.Response | Exception) -> None:
        self.steps = list(steps)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.seen.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return step

    def client(self, make_api: Callable[..., Api], **settings: object) -> Api:
        return make_api(api_key=KEY, base_url="https://api.test", transport=httpx.MockTransport(self), **settings)


async def test_what_a_submit_sends(make_api: Callable[..., Api]) -> None:
    script = Script(httpx.Response(200, json=TASK))
    task = await script.client(make_api).submit(REQUEST)
    assert isinstance(task, Task) and task.id == "vid_1"
    (sent,) = script.seen
    assert sent.method == "POST" and str(sent.url) == "https://api.test/v1/videos/generations"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert json.loads(sent.content) == {
        "model": "MiniMax-Hailuo-02",
        "prompt": REQUEST.prompt,
        "duration": 10,
        "resolution": "768P",
    }


async def test_query_quotes_the_task_id(make_api: Callable[..., Api]) -> None:
    script = Script(httpx.Response(200, json={**TASK, "id": "a/b c"}))
    await script.client(make_api).get("a/b c")
    assert script.seen[0].url.raw_path == b"/v1/videos/generations/a%2Fb%20c"


async def test_submit_retried_after_connection_refused(make_api: Callable[..., Api]) -> None:
    script = Script(httpx.ConnectError("Connection refused"), httpx.ConnectTimeout("connect"), httpx.Response(200, json=TASK))
    assert (await script.client(make_api).submit(REQUEST)).id == "vid_1"
    assert len(script.seen) == 3


@pytest.mark.parametrize(
    "failure",
    [httpx.LocalProtocolError("Illegal header value"), httpx.UnsupportedProtocol("Request URL has an unsupported protocol")],
    ids=["local-protocol-error", "unsupported-protocol"],
)
async def test_submit_that_could_not_be_sent_is_no_unknown_outcome(make_api: Callable[..., Api], failure: Exception) -> None:
    script = Script(failure)
    with pytest.raises(ConnectionFailed) as caught:
        await script.client(make_api).submit(REQUEST)
    assert not isinstance(caught.value, SubmitOutcomeUnknown) and len(script.seen) == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("read"),
        httpx.WriteTimeout("write"),
        httpx.RemoteProtocolError("Server disconnected"),
        httpx.ReadError("reset"),
    ],
    ids=["read-timeout", "write-timeout", "disconnected", "read-error"],
)
async def test_submit_not_retried_once_sent(make_api: Callable[..., Api], failure: Exception) -> None:
    script = Script(failure, httpx.Response(200, json=TASK))
    with pytest.raises(SubmitOutcomeUnknown):
        await script.client(make_api).submit(REQUEST)
    assert len(script.seen) == 1


async def test_query_retried_after_any_transport_error(make_api: Callable[..., Api]) -> None:
    script = Script(
        httpx.ReadTimeout("read"), httpx.RemoteProtocolError("gone"), httpx.Response(503), httpx.Response(200, json=TASK)
    )
    assert (await script.client(make_api).get("vid_1")).id == "vid_1"
    assert len(script.seen) == 4


async def test_query_timeouts_exhausted(make_api: Callable[..., Api]) -> None:
    script = Script(httpx.ReadTimeout("read"))
    with pytest.raises(Timeout, match="did not answer in time"):
        await script.client(make_api).get("vid_1")
    assert len(script.seen) == 4
    refused = Script(httpx.ConnectError("refused"))
    with pytest.raises(ConnectionFailed):
        await refused.client(make_api).get("vid_1")


async def test_submit_answer_without_id_is_outcome_unknown(make_api: Callable[..., Api]) -> None:
    script = Script(httpx.Response(200, json={"object": "generation.task", "status": "queued"}))
    with pytest.raises(SubmitOutcomeUnknown, match="without a task id"):
        await script.client(make_api).submit(REQUEST)


async def test_key_echoed_by_the_server_is_redacted(make_api: Callable[..., Api], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="hailuo_dsl")
    echo = {"error": {"code": "invalid_api_key", "message": f"Incorrect API key provided: {KEY}", "type": "auth"}}
    script = Script(httpx.Response(500, text=f"upstream said Bearer {KEY}"), httpx.Response(401, json=echo))
    api = script.client(make_api)
    with pytest.raises(HailuoError) as caught:
        await api.get("vid_1")
    err = caught.value
    assert err.status == 401 and "<api-key>" in err.message and "<api-key>" in (err.body or "")
    with pytest.raises(SubmitOutcomeUnknown) as unknown:
        await Script(httpx.Response(502, text=KEY)).client(make_api).submit(REQUEST)
    for text in (
        str(err),
        repr(err),
        err.body or "",
        str(unknown.value),
        repr(unknown.value),
        unknown.value.body or "",
        repr(api.client),
        caplog.text,
    ):
        assert KEY not in text


async def test_base_url_needs_a_scheme(make_api: Callable[..., Api]) -> None:
    with pytest.raises(HailuoError, match="must start with http"):
        make_api(base_url="api.test")
    with pytest.raises(HailuoError, match="must start with http"):
        make_api(base_url="https://")
    with pytest.raises(HailuoError, match=r"'http://\[::1' is not a valid URL"):
        make_api(base_url="http://[::1")


@pytest.mark.parametrize("url", ["http://[::1/v.mp4", "video.mp4", "ftp://cdn.test/v.mp4"])
async def test_download_of_a_bad_url_is_refused_before_any_request(
    make_api: Callable[..., Api], url: str, tmp_path: Path
) -> None:
    script = Script(httpx.Response(200, content=b"video"))
    with pytest.raises(HailuoError, match="The video URL") as caught:
        await script.client(make_api).download(url, tmp_path)
    assert type(caught.value) is HailuoError and script.seen == [] and list(tmp_path.iterdir()) == []


async def test_submit_5xx_says_what_the_server_answered(make_api: Callable[..., Api]) -> None:
    body = {"error": {"code": 503, "message": "upstream overloaded", "type": "server_error"}}
    script = Script(httpx.Response(503, json=body), httpx.Response(200, json=TASK))
    with pytest.raises(SubmitOutcomeUnknown, match=r"HTTP 503\): upstream overloaded") as caught:
        await script.client(make_api).submit(REQUEST)
    assert caught.value.status == 503 and len(script.seen) == 1


async def test_download_names_the_file_inside_the_folder_whatever_the_task_id(
    make_api: Callable[..., Api], tmp_path: Path
) -> None:
    script = Script(httpx.Response(200, content=b"video"))
    task = Task.from_api({"id": "../../escape/x", "status": "completed", "url": "https://cdn.test/v.mp4"})
    folder = tmp_path / "out"
    folder.mkdir()
    path = await script.client(make_api).download(task, folder)
    assert path == folder / ".._.._escape_x.mp4" and path.read_bytes() == b"video"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


async def test_redirect_loop_is_a_one_line_error(make_api: Callable[..., Api]) -> None:
    script = Script(httpx.Response(302, headers={"Location": "https://api.test/v1/videos/generations/vid_1"}))
    with pytest.raises(ConnectionFailed, match="TooManyRedirects"):
        await script.client(make_api).get("vid_1")
    assert len(script.seen) == 21  # httpx gives up after 20 redirects; a redirect loop is not retried
    with pytest.raises(SubmitOutcomeUnknown, match="TooManyRedirects"):
        await Script(httpx.Response(307, headers={"Location": "https://api.test/again"})).client(make_api).submit(REQUEST)
